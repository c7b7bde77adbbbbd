// SPDX-License-Identifier: GPL-2.0
/*
 * Tables, ratios, targets and JSON.  Latencies are compared at the median:
 * on an emulated, shared machine the tails say more about the host than
 * about the mechanism, so they are reported but not judged.
 */
#include <string.h>

#include "report.h"

#define MAX_RESULTS	64

struct result {
	const char	*name;
	size_t		payload;
	struct lat_stats st;
	enum section	sec;
	int		ok;
};

static struct result results[MAX_RESULTS];
static unsigned int nresults;

static const char *const section_title[SEC_COUNT] = {
	[SEC_ROUND_TRIP] = "Round trip, 64-byte payload, ends on different CPUs",
	[SEC_PAYLOAD] = "Payload sweep: round trips, the payload both ways",
	[SEC_ONE_WAY] = "One-way throughput",
	[SEC_PRIORITY] = "A priority-7 call, idle and under a flood of priority-0 messages",
	[SEC_FLOOR] = "What entering the kernel costs, on CPU 0 alone",
};

static const char *const section_key[SEC_COUNT] = {
	[SEC_ROUND_TRIP] = "round_trip",
	[SEC_PAYLOAD] = "payload_sweep",
	[SEC_ONE_WAY] = "one_way",
	[SEC_PRIORITY] = "priority",
	[SEC_FLOOR] = "floors",
};

void report_add(enum section sec, const char *name, size_t payload,
		const struct lat_stats *st, int ok)
{
	struct result *r;

	if (nresults == MAX_RESULTS)
		return;
	r = &results[nresults++];
	r->sec = sec;
	r->name = name;
	r->payload = payload;
	r->st = *st;
	r->ok = ok;
}

static const struct result *find(enum section sec, const char *name,
				 size_t payload)
{
	unsigned int i;

	for (i = 0; i < nresults; i++)
		if (results[i].sec == sec && results[i].ok &&
		    results[i].payload == payload &&
		    !strcmp(results[i].name, name))
			return &results[i];
	return NULL;
}

static void size_text(size_t n, char *buf, size_t len)
{
	if (n >= (1U << 20) && !(n % (1U << 20)))
		snprintf(buf, len, "%zu MiB", n >> 20);
	else if (n >= 1024 && !(n % 1024))
		snprintf(buf, len, "%zu KiB", n >> 10);
	else
		snprintf(buf, len, "%zu B", n);
}

/* The row each row of a section is compared with. */
static const struct result *base_of(const struct result *r)
{
	switch (r->sec) {
	case SEC_ROUND_TRIP:
		return find(r->sec, "qrpc-call", r->payload);
	case SEC_PAYLOAD:
		return find(r->sec, "qrpc-inplace", r->payload);
	case SEC_ONE_WAY:
		return find(r->sec, "qrpc-message-batch", r->payload);
	case SEC_PRIORITY:
		return find(r->sec, "qrpc-prio7-idle", r->payload);
	default:
		return NULL;
	}
}

static void print_row(FILE *f, const struct result *r)
{
	const struct result *b = base_of(r);
	char size[32];

	if (r->sec == SEC_FLOOR) {
		if (r->ok)
			fprintf(f, "  %-40s %8.3f us each\n", r->name,
				r->st.mean / 1e3);
		return;
	}
	size_text(r->payload, size, sizeof(size));
	fprintf(f, "  %-22s %8s", r->name, size);
	if (!r->ok) {
		fprintf(f, "  (not measured: see the error above)\n");
		return;
	}
	if (r->sec == SEC_ONE_WAY) {
		fprintf(f, " %12.0f %10.3f", r->st.per_sec, r->st.mean / 1e3);
		if (b && r->st.per_sec > 0)
			fprintf(f, " %8.2fx", b->st.per_sec / r->st.per_sec);
	} else {
		fprintf(f, " %10.2f %10.2f %10.2f %10.1f %11.0f",
			r->st.p50 / 1e3, r->st.p99 / 1e3, r->st.p999 / 1e3,
			r->st.max / 1e3, r->st.per_sec);
		if (b && b->st.p50 > 0)
			fprintf(f, " %8.2fx", r->st.p50 / b->st.p50);
	}
	fputc('\n', f);
}

void report_print(FILE *f)
{
	unsigned int s, i;

	for (s = 0; s < SEC_COUNT; s++) {
		int header = 0;

		for (i = 0; i < nresults; i++) {
			const struct result *r = &results[i];

			if (r->sec != s)
				continue;
			if (!header) {
				fprintf(f, "\n%s\n", section_title[s]);
				if (s == SEC_ONE_WAY)
					fprintf(f, "  %-22s %8s %12s %10s %9s\n",
						"mechanism", "payload",
						"msgs/s", "us/msg",
						"qrpc is");
				else if (s != SEC_FLOOR)
					fprintf(f, "  %-22s %8s %10s %10s %10s %10s %11s %9s\n",
						"mechanism", "payload",
						"p50 us", "p99 us", "p99.9 us",
						"max us", "ops/s",
						"vs qrpc");
				header = 1;
			}
			print_row(f, r);
		}
	}
	fprintf(f, "\nqrpc-call is a plain call as the library makes it: the "
		"caller polls briefly (adaptively)\nbefore it sleeps, the "
		"server sleeps between calls.  qrpc-call-sleep: neither polls.\n"
		"qrpc-call-spin: both poll.  qrpc-async-8: 8 [async] calls in "
		"flight, each call's latency.\n"
		"qrpc-inplace: qrpc-call with the request built and the reply read "
		"in place, no copy.\n"
		"\"vs qrpc\": the row's median over qrpc-call's (in the payload "
		"sweep, qrpc-inplace's; in the\npriority table, the idle call's); "
		"above 1 means qrpc is faster.\n"
		"\"qrpc is\": qrpc's messages a second over the row's.\n");
}

struct target {
	const char	*what;
	double		value;		/* the measured ratio */
	double		limit;
	int		at_most;	/* value must be <= limit (else >=) */
	int		known;
};

/* The verdicts of the last report_targets(), for the JSON. */
#define MAX_TARGETS	16
static struct {
	const char	*what;
	const char	*verdict;
	double		value, limit;
	int		at_most;
} verdicts[MAX_TARGETS];
static unsigned int nverdicts;

static void check(FILE *f, struct target *t, int *misses)
{
	const char *verdict = "SKIP";

	if (nverdicts < MAX_TARGETS) {
		verdicts[nverdicts].what = t->what;
		verdicts[nverdicts].value = t->value;
		verdicts[nverdicts].limit = t->limit;
		verdicts[nverdicts].at_most = t->at_most;
	}
	if (t->known) {
		int pass = t->at_most ? t->value <= t->limit :
					t->value >= t->limit;

		verdict = pass ? "PASS" : "MISS";
		*misses += !pass;
		fprintf(f, "  %-4s %-62s %7.2f (target %s %.2f)\n", verdict,
			t->what, t->value, t->at_most ? "<=" : ">=", t->limit);
	} else {
		fprintf(f, "  %-4s %-62s (a figure is missing)\n", verdict,
			t->what);
	}
	if (nverdicts < MAX_TARGETS)
		verdicts[nverdicts++].verdict = verdict;
}

/* Ratio of two latency medians, a over b. */
static int p50_ratio(const struct result *a, const struct result *b,
		     double *out)
{
	if (!a || !b || b->st.p50 <= 0)
		return 0;
	*out = a->st.p50 / b->st.p50;
	return 1;
}

static int rate_ratio(const struct result *a, const struct result *b,
		      double *out)
{
	if (!a || !b || b->st.per_sec <= 0)
		return 0;
	*out = a->st.per_sec / b->st.per_sec;
	return 1;
}

/*
 * A kernel-mediated round trip enters the kernel at least twice; say what
 * that alone costs against the shared-memory spin, which never does.
 */
static void floor_note(FILE *f)
{
	const struct result *nop = find(SEC_FLOOR, "io_uring NOP, submitted alone", 0);
	const struct result *shm = find(SEC_ROUND_TRIP, "shm-spin", 64);

	if (!nop || !shm || shm->st.p50 <= 0)
		return;
	fprintf(f, "\nTwo io_uring submissions, the least a round trip through "
		"the kernel takes, cost %.2fx\nthe shm spin round trip "
		"(%.2f us against %.2f us).\n",
		2 * nop->st.mean / shm->st.p50, 2 * nop->st.mean / 1e3,
		shm->st.p50 / 1e3);
}

int report_targets(FILE *f)
{
	const struct result *call = find(SEC_ROUND_TRIP, "qrpc-call", 64);
	const struct result *spin = find(SEC_ROUND_TRIP, "qrpc-call-spin", 64);
	const struct result *big = find(SEC_PAYLOAD, "qrpc-inplace", 1U << 20);
	const struct result *idle = find(SEC_PRIORITY, "qrpc-prio7-idle", 64);
	const struct result *mq = find(SEC_ONE_WAY, "posix-mq-prio", 64);
	struct target t[] = {
		{ "qrpc spinning round trip / shm spin ping-pong", 0, 3, 1, 0 },
		{ "qrpc blocking round trip / UNIX stream socket", 0, 1, 1, 0 },
		{ "qrpc blocking round trip / UNIX seqpacket socket", 0, 1, 1, 0 },
		{ "qrpc blocking round trip / pipe", 0, 1, 1, 0 },
		{ "qrpc blocking round trip / binder", 0, 0.5, 1, 0 },
		{ "qrpc [maybe] batched / POSIX mq with priorities, msgs/s", 0, 5, 0, 0 },
		{ "qrpc [message] batched / POSIX mq with priorities, msgs/s", 0, 5, 0, 0 },
		{ "UNIX socket 1 MiB round trip / qrpc in-place 1 MiB round trip", 0, 5, 0, 0 },
		{ "priority-7 call under a flood / idle, median", 0, 2, 1, 0 },
	};
	unsigned int i;
	int misses = 0;

	t[0].known = p50_ratio(spin, find(SEC_ROUND_TRIP, "shm-spin", 64),
			       &t[0].value);
	t[1].known = p50_ratio(call, find(SEC_ROUND_TRIP, "unix-stream", 64),
			       &t[1].value);
	t[2].known = p50_ratio(call,
			       find(SEC_ROUND_TRIP, "unix-seqpacket", 64),
			       &t[2].value);
	t[3].known = p50_ratio(call, find(SEC_ROUND_TRIP, "pipe", 64),
			       &t[3].value);
	t[4].known = p50_ratio(call, find(SEC_ROUND_TRIP, "binder", 64),
			       &t[4].value);
	t[5].known = rate_ratio(find(SEC_ONE_WAY, "qrpc-maybe-batch", 64), mq,
				&t[5].value);
	t[6].known = rate_ratio(find(SEC_ONE_WAY, "qrpc-message-batch", 64),
				mq, &t[6].value);
	t[7].known = p50_ratio(find(SEC_PAYLOAD, "unix-stream", 1U << 20), big,
			       &t[7].value);
	t[8].known = p50_ratio(find(SEC_PRIORITY, "qrpc-prio7-flooded", 64),
			       idle, &t[8].value);

	nverdicts = 0;
	fprintf(f, "\nTargets (BRIEF section 3), ratios of medians or of rates\n");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check(f, &t[i], &misses);
	floor_note(f);
	return misses;
}

static void json_stats(FILE *f, const struct result *r)
{
	fprintf(f, "{\"name\": \"%s\", \"payload\": %zu, \"ok\": %s", r->name,
		r->payload, r->ok ? "true" : "false");
	if (r->ok)
		fprintf(f, ", \"n\": %lu, \"p50_ns\": %.0f, \"p99_ns\": %.0f, "
			"\"p999_ns\": %.0f, \"max_ns\": %.0f, "
			"\"mean_ns\": %.1f, \"per_sec\": %.1f",
			r->st.n, r->st.p50, r->st.p99, r->st.p999, r->st.max,
			r->st.mean, r->st.per_sec);
	fputc('}', f);
}

void report_json(FILE *f, const char *kernel, unsigned long count)
{
	unsigned int s, i;

	fprintf(f, "{\n  \"kernel\": \"%s\",\n  \"count\": %lu,\n"
		"  \"warmup\": %lu", kernel, count, bench_warmup);
	for (s = 0; s < SEC_COUNT; s++) {
		const char *sep = "";

		fprintf(f, ",\n  \"%s\": [", section_key[s]);
		for (i = 0; i < nresults; i++) {
			if (results[i].sec != s)
				continue;
			fprintf(f, "%s\n    ", sep);
			json_stats(f, &results[i]);
			sep = ",";
		}
		fprintf(f, "\n  ]");
	}
	fprintf(f, ",\n  \"targets\": [");
	for (i = 0; i < nverdicts; i++)
		fprintf(f, "%s\n    {\"target\": \"%s\", \"verdict\": \"%s\", "
			"\"ratio\": %.3f, \"limit\": %.2f, \"at_most\": %s}",
			i ? "," : "", verdicts[i].what, verdicts[i].verdict,
			verdicts[i].value, verdicts[i].limit,
			verdicts[i].at_most ? "true" : "false");
	fprintf(f, "\n  ]\n}\n");
}

void report_chart_data(FILE *f)
{
	unsigned int i;

	fprintf(f, "# mechanism\tp50_us\tp99_us\tp999_us\n");
	for (i = 0; i < nresults; i++) {
		const struct result *r = &results[i];

		if (r->sec == SEC_ROUND_TRIP && r->ok)
			fprintf(f, "%s\t%.3f\t%.3f\t%.3f\n", r->name,
				r->st.p50 / 1e3, r->st.p99 / 1e3,
				r->st.p999 / 1e3);
	}
}
