// SPDX-License-Identifier: GPL-2.0
/*
 * The measuring harness: processes, pinning, timing and statistics, the
 * same for every mechanism so that only the mechanism differs.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* How long a server may take to get ready, or to exit once told. */
#define SERVER_WAIT_MS	20000

unsigned long bench_warmup = 1000;

/*
 * A mechanism whose server died can leave the client blocked for good
 * (the parent holds both ends of a pipe, a futex is never woken...): the
 * watchdog ends the run with the mechanism's name instead of hanging.
 */
#define WATCHDOG_S	600
static const char *running;

static void watchdog(int sig)
{
	static const char msg[] = "qrpc-bench: no end after 600 s, giving up in ";
	ssize_t n = write(2, msg, sizeof(msg) - 1);

	(void)sig;
	if (n > 0)
		n = write(2, running, strlen(running));
	if (n > 0)
		n = write(2, "\n", 1);
	_exit(n > 0 ? 1 : 2);
}

void bench_watch(const char *name)
{
	running = name;
	signal(SIGALRM, watchdog);
	alarm(name ? WATCHDOG_S : 0);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

void *bench_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void bench_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

static void say(int fd)
{
	char c = 1;

	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

void bench_ready(struct bench_env *env)
{
	say(env->ready_fd);
}

void bench_done(struct bench_env *env)
{
	say(env->ready_fd);
}

int bench_read_full(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int bench_write_full(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Wait for one byte from the child: 0, or -EPIPE if it died first. */
static int hear(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;
	int ret;

	do
		ret = poll(&pfd, 1, timeout_ms);
	while (ret < 0 && errno == EINTR);
	if (ret == 0)
		return -ETIMEDOUT;
	if (ret < 0)
		return -errno;
	return read(fd, &c, 1) == 1 ? 0 : -EPIPE;
}

/* Reap @pid, killing it if it does not exit in time; its exit status. */
static int reap(pid_t pid)
{
	int waited, status;

	for (waited = 0; waited < SERVER_WAIT_MS; waited++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		if (r < 0)
			return 128;
		usleep(1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return 124;
}

int bench_spawn(struct bench_env *env, int (*fn)(struct bench_env *), int cpu,
		const char *name, struct bench_child *c)
{
	int rp[2], sp[2];

	c->pid = -1;
	c->ready = -1;
	c->stop = -1;
	if (pipe2(rp, O_CLOEXEC))
		return -errno;
	if (pipe2(sp, O_CLOEXEC)) {
		close(rp[0]);
		close(rp[1]);
		return -errno;
	}
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0) {
		int err = -errno;

		close(rp[0]);
		close(rp[1]);
		close(sp[0]);
		close(sp[1]);
		return err;
	}
	if (c->pid == 0) {
		int ret;

		close(rp[0]);
		close(sp[1]);
		/* A benchmark that dies must not leave its servers behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		env->ready_fd = rp[1];
		env->stop_fd = sp[0];
		ret = bench_pin(cpu);
		if (!ret)
			ret = fn(env);
		if (ret)
			fprintf(stderr, "qrpc-bench: %s: server side: %s\n",
				name, strerror(-ret));
		fflush(NULL);
		_exit(ret ? 1 : 0);
	}
	close(rp[1]);
	close(sp[0]);
	c->ready = rp[0];
	c->stop = sp[1];
	return 0;
}

int bench_hear(struct bench_child *c)
{
	return hear(c->ready, SERVER_WAIT_MS);
}

int bench_finish(struct bench_child *c, const char *name)
{
	int st;

	close(c->stop);
	st = reap(c->pid);
	close(c->ready);
	if (st) {
		fprintf(stderr, "qrpc-bench: %s: server exited with %d\n",
			name, st);
		return -EPROTO;
	}
	return 0;
}

static void fail(const char *name, const char *what, int err)
{
	fprintf(stderr, "qrpc-bench: %s: %s: %s\n", name, what, strerror(-err));
}

int bench_measure(const struct rt_peer *peer, struct bench_env *env,
		  unsigned long count, struct lat_stats *out)
{
	uint64_t *ns = calloc(count, sizeof(*ns));
	uint64_t t0, start;
	unsigned long i;
	int ret = 0;

	if (!ns)
		return -ENOMEM;
	for (i = 0; !ret && i < bench_warmup; i++)
		ret = peer->ping(env);
	start = bench_now_ns();
	for (i = 0; !ret && i < count; i++) {
		env->sample_ns = 0;
		t0 = bench_now_ns();
		ret = peer->ping(env);
		ns[i] = env->sample_ns ? env->sample_ns : bench_now_ns() - t0;
	}
	if (ret)
		fail(peer->name, "round trip", ret);
	else
		bench_stats(ns, count, bench_now_ns() - start, out);
	free(ns);
	return ret;
}

/*
 * What a run is made of, whichever kind: the two ends' callbacks, and
 * what the client side does once the other end is ready.
 */
struct run {
	const char	*name;
	int		(*setup)(struct bench_env *env);
	int		(*child)(struct bench_env *env);
	int		(*connect)(struct bench_env *env);
	void		(*teardown)(struct bench_env *env);
	/* The measurement; -errno with a message on stderr. */
	int		(*client)(const struct run *run, struct bench_env *env,
				  struct bench_child *c, struct lat_stats *out);
	const struct rt_peer *rt;			/* round trips */
	int		(*flood)(struct bench_env *env);	/* one way */
	unsigned long	count;
};

/*
 * Set up, fork the other end and wait until it is ready, connect,
 * measure, tell the other end to stop and reap it, tear down.
 */
static int run_one(const struct run *run, struct bench_env *env,
		   struct lat_stats *out)
{
	struct bench_child c;
	int ret;

	memset(out, 0, sizeof(*out));
	bench_watch(run->name);
	ret = run->setup ? run->setup(env) : 0;
	if (ret) {
		fail(run->name, "setup", ret);
		goto out;
	}
	ret = bench_spawn(env, run->child, BENCH_SERVER_CPU, run->name, &c);
	if (ret) {
		fail(run->name, "fork", ret);
		goto out;
	}
	ret = bench_hear(&c);
	if (ret)
		fail(run->name, "server start", ret);
	if (!ret && run->connect) {
		ret = run->connect(env);
		if (ret)
			fail(run->name, "connect", ret);
	}
	if (!ret)
		ret = run->client(run, env, &c, out);
	if (ret) {
		kill(c.pid, SIGKILL);
		bench_finish(&c, run->name);
	} else {
		ret = bench_finish(&c, run->name);
	}
out:
	if (run->teardown)
		run->teardown(env);
	bench_watch(NULL);
	return ret;
}

static int measure_round_trips(const struct run *run, struct bench_env *env,
			       struct bench_child *c, struct lat_stats *out)
{
	(void)c;
	return bench_measure(run->rt, env, run->count, out);
}

int bench_round_trips(const struct rt_peer *peer, size_t payload,
		      unsigned long count, unsigned int depth,
		      struct lat_stats *out)
{
	struct bench_env env = {
		.payload = payload,
		.rounds = bench_warmup + count,
		.depth = depth,
	};
	const struct run run = {
		.name = peer->name,
		.setup = peer->setup,
		.child = peer->serve,
		.connect = peer->connect,
		.teardown = peer->teardown,
		.client = measure_round_trips,
		.rt = peer,
		.count = count,
	};

	return run_one(&run, &env, out);
}

/* Time from the first send to the other end's word that all arrived. */
static int measure_flood(const struct run *run, struct bench_env *env,
			 struct bench_child *c, struct lat_stats *out)
{
	uint64_t start = bench_now_ns();
	int ret = run->flood(env);

	if (!ret)
		ret = hear(c->ready, 10 * SERVER_WAIT_MS);
	if (ret) {
		fail(run->name, "one-way run", ret);
		return ret;
	}
	out->n = run->count;
	out->mean = (double)(bench_now_ns() - start) / (double)run->count;
	out->per_sec = 1e9 / out->mean;
	return 0;
}

int bench_one_way(const struct ow_peer *peer, size_t payload,
		  unsigned long count, unsigned int depth,
		  struct lat_stats *out)
{
	struct bench_env env = {
		.payload = payload,
		.rounds = count,
		.depth = depth,
	};
	const struct run run = {
		.name = peer->name,
		.setup = peer->setup,
		.child = peer->drain,
		.connect = peer->connect,
		.teardown = peer->teardown,
		.client = measure_flood,
		.flood = peer->flood,
		.count = count,
	};

	return run_one(&run, &env, out);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double quantile(const uint64_t *sorted, unsigned long n, double q)
{
	unsigned long i = (unsigned long)(q * (double)n);

	return (double)sorted[i < n ? i : n - 1];
}

void bench_stats(uint64_t *ns, unsigned long n, uint64_t elapsed_ns,
		 struct lat_stats *out)
{
	double sum = 0;
	unsigned long i;

	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	qsort(ns, n, sizeof(*ns), cmp_u64);
	for (i = 0; i < n; i++)
		sum += (double)ns[i];
	out->n = n;
	out->p50 = quantile(ns, n, 0.50);
	out->p99 = quantile(ns, n, 0.99);
	out->p999 = quantile(ns, n, 0.999);
	out->max = (double)ns[n - 1];
	out->mean = sum / (double)n;
	out->per_sec = elapsed_ns ? (double)n * 1e9 / (double)elapsed_ns : 0;
}
