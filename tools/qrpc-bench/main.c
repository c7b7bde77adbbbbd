// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc-bench: measure qrpc against the other ways two local processes can
 * talk, in one run on one machine, so that the ratios hold even where the
 * absolute times do not (an emulated guest on a shared host).
 *
 *   qrpc-bench [--count N] [--warmup N] [--quick] [--only SECTIONS]
 *              [--json FILE] [--chart-data FILE]
 *
 * Needs the qrpc module loaded, and for the binder row binder_linux;
 * a mechanism that cannot run is reported as not measured, not skipped
 * silently.  Exits 0 when every figure was measured (whether or not the
 * targets were met), 1 otherwise.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"
#include "report.h"

#define SMALL		64
#define ASYNC_DEPTH	8
#define BATCH		64

static unsigned long count = 20000;
static int failures;
static const char *only_peers;

static int wanted(const char *only, const char *name);

static const struct rt_peer *const round_trip_peers[] = {
	&rt_qrpc_call, &rt_qrpc_sleep, &rt_qrpc_spin, &rt_qrpc_async,
	&rt_shm_spin, &rt_futex_shm, &rt_eventfd_shm, &rt_pipe,
	&rt_unix_stream, &rt_unix_seqpacket, &rt_posix_mq, &rt_msg_ring,
	&rt_tcp, &rt_binder, NULL,
};

#define MAX_SIZES	16
static size_t sweep[MAX_SIZES] = { 64, 4096, 65536, 1U << 20 };
static unsigned int nsweep = 4;

static void round_trip(enum section sec, const struct rt_peer *p,
		       size_t payload, unsigned long n)
{
	struct lat_stats st;
	int ret;

	if (!wanted(only_peers, p->name))
		return;
	ret = bench_round_trips(p, payload, n, ASYNC_DEPTH, &st);
	failures += !!ret;
	report_add(sec, p->name, payload, &st, !ret);
	fprintf(stderr, "  %-20s %8zu B  %s\n", p->name, payload,
		ret ? "FAILED" : "done");
}

static void run_round_trips(void)
{
	unsigned int i;

	fprintf(stderr, "Round trips, %lu each:\n", count);
	for (i = 0; round_trip_peers[i]; i++)
		round_trip(SEC_ROUND_TRIP, round_trip_peers[i], SMALL, count);
}

static void run_payload_sweep(void)
{
	unsigned int i;

	fprintf(stderr, "Payload sweep:\n");
	for (i = 0; i < nsweep; i++) {
		/* Fewer rounds for larger payloads, so each size takes a
		 * similar time; never fewer than 100. */
		unsigned long n = count / (1 + sweep[i] / 4096);

		if (n < 100)
			n = 100;
		round_trip(SEC_PAYLOAD, &rt_qrpc_inplace, sweep[i], n);
		round_trip(SEC_PAYLOAD, &rt_qrpc_call, sweep[i], n);
		round_trip(SEC_PAYLOAD, &rt_unix_stream, sweep[i], n);
	}
}

static void run_one_way(void)
{
	static const struct ow_peer *const peers[] = {
		&ow_qrpc_maybe, &ow_qrpc_message, &ow_posix_mq,
		&ow_unix_seqpacket, NULL,
	};
	unsigned long n = count * 5;
	unsigned int i;

	fprintf(stderr, "One-way throughput, %lu messages each:\n", n);
	for (i = 0; peers[i]; i++) {
		struct lat_stats st;
		int ret;

		if (!wanted(only_peers, peers[i]->name))
			continue;
		ret = bench_one_way(peers[i], SMALL, n, BATCH, &st);
		failures += !!ret;
		report_add(SEC_ONE_WAY, peers[i]->name, SMALL, &st, !ret);
		fprintf(stderr, "  %-20s %s\n", peers[i]->name,
			ret ? "FAILED" : "done");
	}
}

static void run_priority(void)
{
	struct lat_stats idle, flooded;
	int ret;

	fprintf(stderr, "Priority under a flood:\n");
	ret = qrpc_bench_priority(count / 4, &idle, &flooded);
	failures += !!ret;
	report_add(SEC_PRIORITY, "qrpc-prio7-idle", SMALL, &idle, !ret);
	report_add(SEC_PRIORITY, "qrpc-prio7-flooded", SMALL, &flooded, !ret);
	fprintf(stderr, "  %-20s %s\n", "priority", ret ? "FAILED" : "done");
}

static void run_floors(void)
{
	struct lat_stats sys, nop, batch;
	int ret;

	fprintf(stderr, "Floors:\n");
	bench_watch("the floors");
	ret = bench_floors(count, &sys, &nop, &batch);
	bench_watch(NULL);
	if (ret)
		fprintf(stderr, "qrpc-bench: floors: %s\n", strerror(-ret));
	failures += !!ret;
	report_add(SEC_FLOOR, "system call (getppid)", 0, &sys, !ret);
	report_add(SEC_FLOOR, "io_uring NOP, submitted alone", 0, &nop, !ret);
	report_add(SEC_FLOOR, "io_uring NOP, 64 a submission", 0, &batch, !ret);
	fprintf(stderr, "  %-20s %s\n", "floors", ret ? "FAILED" : "done");
}

static const struct {
	const char	*name;
	void		(*run)(void);
} sections[] = {
	{ "round-trip", run_round_trips },
	{ "payload", run_payload_sweep },
	{ "one-way", run_one_way },
	{ "priority", run_priority },
	{ "floors", run_floors },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: qrpc-bench [options]\n"
		"\n"
		"Measure qrpc against pipes, UNIX sockets, POSIX mq, eventfd, futex,\n"
		"shared-memory spinning, io_uring MSG_RING, binder and TCP loopback.\n"
		"\n"
		"  -n, --count N         measured round trips per mechanism (default 20000)\n"
		"  -w, --warmup N        round trips before measuring (default 1000)\n"
		"  -q, --quick           --count 2000 --warmup 200\n"
		"  -o, --only LIST       comma-separated sections: round-trip, payload,\n"
		"                        one-way, priority, floors (default: all)\n"
		"  -p, --peers LIST      comma-separated mechanisms to measure, by the names\n"
		"                        in the tables (default: all)\n"
		"  -s, --sizes LIST      payload sweep sizes in bytes, comma-separated,\n"
		"                        at most 2097152 (default 64,4096,65536,1048576)\n"
		"  -j, --json FILE       write the results as JSON\n"
		"  -c, --chart-data FILE write round-trip latencies for a chart (TSV)\n"
		"  -h, --help            this help\n");
}

static int wanted(const char *only, const char *name)
{
	size_t len = strlen(name);
	const char *p = only;

	if (!only)
		return 1;
	while ((p = strstr(p, name))) {
		if ((p == only || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return 1;
		p += len;
	}
	return 0;
}

/* Comma-separated sizes, each 1 to 2 MiB: 0, or -1 if malformed. */
static int parse_sizes(const char *list)
{
	const char *p = list;
	unsigned int n = 0;
	char *end;

	while (*p && n < MAX_SIZES) {
		unsigned long v;

		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || end == p || !v || v > (2UL << 20) ||
		    (*end && *end != ','))
			return -1;
		sweep[n++] = v;
		p = *end ? end + 1 : end;
	}
	if (*p || !n)
		return -1;
	nsweep = n;
	return 0;
}

static int write_file(const char *path, const char *kernel)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "qrpc-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (kernel)
		report_json(f, kernel, count);
	else
		report_chart_data(f);
	return fclose(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "quick", no_argument, NULL, 'q' },
		{ "only", required_argument, NULL, 'o' },
		{ "peers", required_argument, NULL, 'p' },
		{ "sizes", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },
		{ "chart-data", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL, *json = NULL, *chart = NULL;
	struct utsname u;
	unsigned int i;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "n:w:qo:p:s:j:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
		case 'w':
			errno = 0;
			if (c == 'n')
				count = strtoul(optarg, &end, 10);
			else
				bench_warmup = strtoul(optarg, &end, 10);
			if (errno || *end || (c == 'n' && !count)) {
				fprintf(stderr, "qrpc-bench: bad number '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'q':
			count = 2000;
			bench_warmup = 200;
			break;
		case 'o':
			only = optarg;
			break;
		case 'p':
			only_peers = optarg;
			break;
		case 's':
			if (parse_sizes(optarg)) {
				fprintf(stderr, "qrpc-bench: bad size list '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'j':
			json = optarg;
			break;
		case 'c':
			chart = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (bench_pin(BENCH_CLIENT_CPU)) {
		fprintf(stderr, "qrpc-bench: needs CPUs %d and %d\n",
			BENCH_CLIENT_CPU, BENCH_SERVER_CPU);
		return 1;
	}
	uname(&u);
	for (i = 0; i < sizeof(sections) / sizeof(*sections); i++)
		if (wanted(only, sections[i].name))
			sections[i].run();

	printf("qrpc-bench on Linux %s, %lu measured round trips after %lu "
	       "warm-up; times in microseconds\n", u.release, count,
	       bench_warmup);
	report_print(stdout);
	report_targets(stdout);
	fflush(stdout);
	if (json && write_file(json, u.release))
		failures++;
	if (chart && write_file(chart, NULL))
		failures++;
	if (failures)
		fprintf(stderr, "qrpc-bench: %d measurement(s) failed\n",
			failures);
	return failures ? 1 : 0;
}
