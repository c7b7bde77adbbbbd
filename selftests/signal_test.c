// SPDX-License-Identifier: GPL-2.0
/*
 * Signals do not end calls.  A caller whose thread is hit by a storm of
 * signals a handler catches (with SA_RESTART or without) still gets every
 * reply, and each call runs exactly once on its server; through io_uring
 * and through ioctl().  The threads the library starts take no signals, so
 * a process-directed signal goes to a thread of the application's.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qrpc.h"
#include "handlers.h"
#include "helpers.h"
#include "kselftest_harness.h"

static const struct qrpc_if_id sig_if = {
	.uuid = { 0x51, 0x67, 0x4e, 0x41, 0x4c, 0x53, 0x00, 0x01,
		  0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 },
	.major = 1,
};

static int slow_runs, one_way_runs;
static volatile sig_atomic_t caught;

/* Echo after 30 ms, long enough for several signals to land meanwhile. */
static int op_slow_echo(struct qrpc_call_ctx *ctx, void *arg)
{
	__atomic_add_fetch(&slow_runs, 1, __ATOMIC_ACQ_REL);
	usleep(30000);
	return t_op_echo(ctx, arg);
}

static int op_count(struct qrpc_call_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	__atomic_add_fetch(&one_way_runs, 1, __ATOMIC_ACQ_REL);
	return 0;
}

static const qrpc_handler_fn sig_ops[] = { op_slow_echo, op_count };

static void on_signal(int sig)
{
	(void)sig;
	caught = caught + 1;
}

struct storm {
	pthread_t	target;
	pthread_t	thread;
	int		stop;
};

/* A signal at the caller's thread every half millisecond. */
static void *storm_main(void *arg)
{
	struct storm *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		pthread_kill(s->target, SIGUSR1);
		usleep(500);
	}
	return NULL;
}

static int storm_start(struct storm *s)
{
	s->target = pthread_self();
	s->stop = 0;
	return pthread_create(&s->thread, NULL, storm_main, s);
}

static void storm_stop(struct storm *s)
{
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	pthread_join(s->thread, NULL);
}

FIXTURE(sig) {
	char name[QRPC_NAME_MAX];
	struct qrpc_server *srv;
	struct qrpc_binding *b;
};

FIXTURE_VARIANT(sig) {
	int no_uring;
	int sa_flags;
};

FIXTURE_VARIANT_ADD(sig, uring) {
	.no_uring = 0,
	.sa_flags = 0,
};

FIXTURE_VARIANT_ADD(sig, uring_sa_restart) {
	.no_uring = 0,
	.sa_flags = SA_RESTART,
};

FIXTURE_VARIANT_ADD(sig, ioctl) {
	.no_uring = 1,
	.sa_flags = 0,
};

FIXTURE_VARIANT_ADD(sig, ioctl_sa_restart) {
	.no_uring = 1,
	.sa_flags = SA_RESTART,
};

FIXTURE_SETUP(sig)
{
	struct qrpc_dispatch d = { .iface = sig_if, .nops = 2, .ops = sig_ops };
	struct sigaction sa = { .sa_handler = on_signal };
	char binding[QRPC_NAME_MAX + 8];

	/* Each test runs in a process of its own: these are its settings. */
	if (variant->no_uring)
		setenv("QRPC_NO_URING", "1", 1);
	sa.sa_flags = variant->sa_flags;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, sigaction(SIGUSR2, &sa, NULL));
	slow_runs = one_way_runs = 0;
	caught = 0;

	t_port_name(self->name, "signal");
	snprintf(binding, sizeof(binding), "qrpc:%s", self->name);
	ASSERT_EQ(0, qrpc_server_create(self->name, 0600,
					QRPC_SERVER_TEMPORARY, &self->srv));
	ASSERT_EQ(0, qrpc_server_register(self->srv, &d));
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 2));
	ASSERT_EQ(0, qrpc_binding_create(binding, &self->b));
}

FIXTURE_TEARDOWN(sig)
{
	qrpc_binding_free(self->b);
	qrpc_server_free(self->srv);
}

TEST_F(sig, plain_calls_get_their_replies)
{
	struct storm s;
	char req[16], rep[16];
	size_t len;
	int i;

	ASSERT_EQ(0, storm_start(&s));
	for (i = 0; i < 15; i++) {
		snprintf(req, sizeof(req), "call %d", i);
		len = 0;
		EXPECT_EQ(0, qrpc_call(self->b, &sig_if, 0, req, strlen(req),
				       rep, sizeof(rep), &len)) {
			TH_LOG("call %d, after %d signals", i, (int)caught);
		}
		EXPECT_EQ(strlen(req), len);
		EXPECT_EQ(0, memcmp(req, rep, len));
	}
	storm_stop(&s);
	/* The storm really hit the calls: 15 calls take 450 ms at least. */
	EXPECT_LT(15, caught);
	/* Each call ran once: none was given up and made again. */
	EXPECT_EQ(15, __atomic_load_n(&slow_runs, __ATOMIC_ACQUIRE));
}

TEST_F(sig, async_call_completes_once)
{
	struct qrpc_async *a;
	struct storm s;
	char rep[8];
	size_t len = 0;
	int i, ret;

	ASSERT_EQ(0, storm_start(&s));
	ASSERT_EQ(0, qrpc_async_call(self->b, &sig_if, 0, "async", 5,
				     sizeof(rep), NULL, &a));
	for (i = 0; i < 1000; i++) {
		ret = qrpc_async_complete(a, rep, sizeof(rep), &len);
		if (ret != -EINPROGRESS)
			break;
		usleep(2000);
	}
	storm_stop(&s);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(rep, "async", 5));
	EXPECT_EQ(1, __atomic_load_n(&slow_runs, __ATOMIC_ACQUIRE));
}

TEST_F(sig, batch_stores_every_message)
{
	struct qrpc_req reqs[40];
	int results[40];
	struct storm s;
	int i;

	for (i = 0; i < 40; i++)
		reqs[i] = (struct qrpc_req){ .data = "m", .len = 1, .opnum = 1 };
	ASSERT_EQ(0, storm_start(&s));
	/* Two rounds, so that the second waits for the first's slots. */
	EXPECT_EQ(40, qrpc_call_batch(self->b, QRPC_KIND_MESSAGE, &sig_if,
				      reqs, 40, results));
	for (i = 0; i < 40; i++)
		EXPECT_EQ(0, results[i]);
	EXPECT_EQ(40, qrpc_call_batch(self->b, QRPC_KIND_MESSAGE, &sig_if,
				      reqs, 40, results));
	for (i = 0; i < 40; i++)
		EXPECT_EQ(0, results[i]);
	storm_stop(&s);
	for (i = 0; i < 500 && __atomic_load_n(&one_way_runs,
					       __ATOMIC_ACQUIRE) < 80; i++)
		usleep(10000);
	EXPECT_EQ(80, one_way_runs);
}

/*
 * With the signal blocked in the only thread of ours, a process-directed
 * signal stays pending rather than run its handler on a thread of the
 * library's (its server workers, its [async] runtime).
 */
TEST_F(sig, library_threads_take_no_signals)
{
	struct qrpc_async *a;
	sigset_t usr2;
	char rep[8];
	int i, ret;

	/* An [async] call starts the binding's runtime thread. */
	ASSERT_EQ(0, qrpc_async_call(self->b, &sig_if, 0, "x", 1, sizeof(rep),
				     NULL, &a));
	for (i = 0; i < 1000; i++) {
		ret = qrpc_async_complete(a, rep, sizeof(rep), NULL);
		if (ret != -EINPROGRESS)
			break;
		usleep(2000);
	}
	EXPECT_EQ(0, ret);

	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &usr2, NULL));
	ASSERT_EQ(0, kill(getpid(), SIGUSR2));
	usleep(100000);
	EXPECT_EQ(0, caught);
	/* Unblocked, it is delivered here at once. */
	ASSERT_EQ(0, pthread_sigmask(SIG_UNBLOCK, &usr2, NULL));
	EXPECT_EQ(1, caught);
}

TEST_HARNESS_MAIN
