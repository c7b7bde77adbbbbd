// SPDX-License-Identifier: GPL-2.0
/*
 * libqrpc without io_uring: where io_uring is forbidden (seccomp, the
 * kernel.io_uring_disabled sysctl) or switched off with QRPC_NO_URING, the
 * library makes the same calls through ioctl(): plain calls and faults,
 * [maybe] and [message], handlers finishing later, and [async] calls with
 * cancel.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qrpc.h"
#include "handlers.h"
#include "helpers.h"
#include "kselftest_harness.h"

static const struct qrpc_if_id fb_if = {
	.uuid = { 0xfb, 0xac, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
		  0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e },
	.major = 1,
};

static int one_way;
static struct qrpc_call_ctx *pending;

static int op_fault(struct qrpc_call_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	return 1818;
}

static int op_count(struct qrpc_call_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	__atomic_add_fetch(&one_way, 1, __ATOMIC_ACQ_REL);
	return 0;
}

static int op_later(struct qrpc_call_ctx *ctx, void *arg)
{
	(void)arg;
	__atomic_store_n(&pending, ctx, __ATOMIC_RELEASE);
	return QRPC_PENDING;
}

static const qrpc_handler_fn fb_ops[] = {
	t_op_echo, op_fault, op_count, t_op_slow, op_later,
};

FIXTURE(fb) {
	char name[QRPC_NAME_MAX];
	struct qrpc_server *srv;
	struct qrpc_binding *b;
};

FIXTURE_SETUP(fb)
{
	struct qrpc_dispatch d = { .iface = fb_if, .nops = 5, .ops = fb_ops };
	char binding[QRPC_NAME_MAX + 8];

	/* Each test runs in a process of its own: this is its setting. */
	setenv("QRPC_NO_URING", "1", 1);
	one_way = t_saw_cancel = 0;
	pending = NULL;
	t_port_name(self->name, "fallback");
	snprintf(binding, sizeof(binding), "qrpc:%s", self->name);
	ASSERT_EQ(0, qrpc_server_create(self->name, 0600,
					QRPC_SERVER_TEMPORARY, &self->srv));
	ASSERT_EQ(0, qrpc_server_register(self->srv, &d));
	ASSERT_EQ(0, qrpc_binding_create(binding, &self->b));
}

FIXTURE_TEARDOWN(fb)
{
	qrpc_binding_free(self->b);
	qrpc_server_free(self->srv);
}

static void *complete_later(void *arg)
{
	struct qrpc_call_ctx *ctx = NULL;
	int i;

	(void)arg;
	for (i = 0; i < 500 && !ctx; i++) {
		ctx = __atomic_load_n(&pending, __ATOMIC_ACQUIRE);
		usleep(5000);
	}
	if (ctx) {
		size_t cap;

		memcpy(qrpc_ctx_reply_buf(ctx, &cap), "later", 5);
		qrpc_ctx_set_reply_len(ctx, 5);
		qrpc_ctx_complete(ctx, 0);
	}
	return NULL;
}

TEST_F(fb, calls_through_ioctl)
{
	char rep[64];
	size_t len;
	pthread_t th;
	int i;

	ASSERT_EQ(0, qrpc_server_listen(self->srv, 2));
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, qrpc_call(self->b, &fb_if, 0, "ping", 4, rep,
				       sizeof(rep), &len));
		ASSERT_EQ(4, len);
	}
	EXPECT_EQ(1818, qrpc_call(self->b, &fb_if, 1, NULL, 0, NULL, 0, NULL));
	for (i = 0; i < 10; i++) {
		EXPECT_EQ(0, qrpc_call_maybe(self->b, &fb_if, 2, NULL, 0));
		EXPECT_EQ(0, qrpc_call_message(self->b, &fb_if, 2, NULL, 0));
	}
	for (i = 0; i < 300 && __atomic_load_n(&one_way, __ATOMIC_ACQUIRE) < 20; i++)
		usleep(10000);
	EXPECT_EQ(20, one_way);

	ASSERT_EQ(0, pthread_create(&th, NULL, complete_later, NULL));
	EXPECT_EQ(0, qrpc_call(self->b, &fb_if, 4, NULL, 0, rep, sizeof(rep),
			       &len));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, qrpc_call(self->b, &fb_if, 0, "x", 1, rep, sizeof(rep),
			       &len));
}

TEST_F(fb, async_through_ioctl)
{
	struct qrpc_async *a, *slow;
	char rep[8];
	int i;

	ASSERT_EQ(0, qrpc_server_listen(self->srv, 2));
	ASSERT_EQ(0, qrpc_async_call(self->b, &fb_if, 0, "abc", 3, sizeof(rep),
				     NULL, &a));
	ASSERT_EQ(0, qrpc_async_call(self->b, &fb_if, 3, NULL, 0, 0, NULL,
				     &slow));
	for (i = 0; i < 1000 && qrpc_async_status(a) == QRPC_ASYNC_PENDING; i++)
		usleep(5000);
	EXPECT_EQ(QRPC_ASYNC_DONE, qrpc_async_status(a));
	EXPECT_EQ(0, qrpc_async_complete(a, rep, sizeof(rep), NULL));
	EXPECT_EQ(0, memcmp(rep, "abc", 3));
	usleep(100000);
	EXPECT_EQ(0, qrpc_async_cancel(slow, 1));
	EXPECT_EQ(-ECANCELED, qrpc_async_complete(slow, NULL, 0, NULL));
	for (i = 0; i < 300 && !__atomic_load_n(&t_saw_cancel, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	EXPECT_EQ(1, t_saw_cancel);
}

/*
 * With io_uring really switched off for the whole system (6.6 and
 * later), the library notices and uses ioctl() without being told.
 */
TEST_F(fb, io_uring_disabled_by_sysctl)
{
	const char *sysctl = "/proc/sys/kernel/io_uring_disabled";
	char old[16], rep[8];
	size_t len = 0;
	FILE *f;

	if (access(sysctl, W_OK))
		SKIP(return, "this kernel has no kernel.io_uring_disabled (added in 6.6)");
	unsetenv("QRPC_NO_URING");
	ASSERT_EQ(0, t_read_line(sysctl, old, sizeof(old)));
	f = fopen(sysctl, "w");
	ASSERT_NE(NULL, f);
	fputs("2\n", f);
	fclose(f);

	EXPECT_EQ(0, qrpc_server_listen(self->srv, 1));
	EXPECT_EQ(0, qrpc_call(self->b, &fb_if, 0, "on", 2, rep, sizeof(rep),
			       &len));
	EXPECT_EQ(2, len);
	qrpc_server_stop(self->srv);

	f = fopen(sysctl, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "%s\n", old);
	fclose(f);
}

TEST_HARNESS_MAIN
