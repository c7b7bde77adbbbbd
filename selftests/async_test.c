// SPDX-License-Identifier: GPL-2.0
/*
 * [async] calls through libqrpc: status, complete (pending until done),
 * notification by polling, eventfd and callback, abortive and
 * non-abortive cancel, many calls in flight, and cancel racing the reply.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "qrpc.h"
#include "handlers.h"
#include "helpers.h"
#include "kselftest_harness.h"

static const struct qrpc_if_id async_if = {
	.uuid = { 0xa5, 0x1c, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
		  0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e },
	.major = 1,
};


static const qrpc_handler_fn async_ops[] = { t_op_echo, t_op_slow };

FIXTURE(as) {
	char name[QRPC_NAME_MAX];
	struct qrpc_server *srv;
	struct qrpc_binding *b;
};

FIXTURE_SETUP(as)
{
	struct qrpc_dispatch d = { .iface = async_if, .nops = 2, .ops = async_ops };
	char binding[QRPC_NAME_MAX + 8];

	t_saw_cancel = 0;
	t_port_name(self->name, "async");
	snprintf(binding, sizeof(binding), "qrpc:%s", self->name);
	ASSERT_EQ(0, qrpc_server_create(self->name, 0600,
					QRPC_SERVER_TEMPORARY, &self->srv));
	ASSERT_EQ(0, qrpc_server_register(self->srv, &d));
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 2));
	ASSERT_EQ(0, qrpc_binding_create(binding, &self->b));
}

FIXTURE_TEARDOWN(as)
{
	qrpc_binding_free(self->b);
	qrpc_server_free(self->srv);
}

/* Poll until the handle is no longer pending (at most 10 s). */
static int wait_settled(struct qrpc_async *a)
{
	int i, st = QRPC_ASYNC_PENDING;

	for (i = 0; i < 10000 && st == QRPC_ASYNC_PENDING; i++) {
		st = qrpc_async_status(a);
		if (st == QRPC_ASYNC_PENDING)
			usleep(1000);
	}
	return st;
}

TEST_F(as, poll_then_complete)
{
	struct qrpc_async *a;
	char rep[32];
	size_t len = 0;

	ASSERT_EQ(0, qrpc_async_call(self->b, &async_if, 0, "hello", 5,
				     sizeof(rep), NULL, &a));
	EXPECT_EQ(QRPC_ASYNC_DONE, wait_settled(a));
	EXPECT_EQ(0, qrpc_async_complete(a, rep, sizeof(rep), &len));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(rep, "hello", 5));
}

TEST_F(as, complete_is_pending_until_done)
{
	struct qrpc_async *a;
	size_t len = 1;

	ASSERT_EQ(0, qrpc_async_call(self->b, &async_if, 1, NULL, 0, 0, NULL,
				     &a));
	EXPECT_EQ(QRPC_ASYNC_PENDING, qrpc_async_status(a));
	EXPECT_EQ(-EINPROGRESS, qrpc_async_complete(a, NULL, 0, &len));
	EXPECT_EQ(QRPC_ASYNC_DONE, wait_settled(a));
	EXPECT_EQ(0, qrpc_async_complete(a, NULL, 0, &len));
	EXPECT_EQ(0, len);
}

/* An eventfd in the application's own epoll set says when it is done. */
TEST_F(as, eventfd_in_epoll)
{
	struct qrpc_async_notify how = { .type = QRPC_NOTIFY_EVENTFD };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct qrpc_async *a;
	char rep[8];
	int ep, ret;

	how.eventfd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, how.eventfd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, how.eventfd, &ev));
	ASSERT_EQ(0, qrpc_async_call(self->b, &async_if, 0, "ev", 2,
				     sizeof(rep), &how, &a));
	do {
		ret = epoll_wait(ep, &out, 1, 10000);
	} while (ret < 0 && errno == EINTR);
	ASSERT_EQ(1, ret) TH_LOG("errno %d", errno);
	EXPECT_EQ(QRPC_ASYNC_DONE, qrpc_async_status(a));
	EXPECT_EQ(0, qrpc_async_complete(a, rep, sizeof(rep), NULL));
	close(ep);
	close(how.eventfd);
}

struct cb_count {
	int calls;
	pthread_t thread;
};

static void on_done(struct qrpc_async *a, void *arg)
{
	struct cb_count *c = arg;

	(void)a;
	c->thread = pthread_self();
	__atomic_add_fetch(&c->calls, 1, __ATOMIC_ACQ_REL);
}

/* A callback runs once per call, on the runtime thread. */
TEST_F(as, callback_once_per_call)
{
	struct cb_count c = { 0 };
	struct qrpc_async_notify how = {
		.type = QRPC_NOTIFY_CALLBACK, .callback = on_done, .arg = &c,
	};
	struct qrpc_async *a[20];
	unsigned int i;
	char rep[4];

	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, qrpc_async_call(self->b, &async_if, 0, &i, 4,
					     sizeof(rep), &how, &a[i]));
	for (i = 0; i < 20; i++) {
		EXPECT_EQ(QRPC_ASYNC_DONE, wait_settled(a[i]));
		EXPECT_EQ(0, qrpc_async_complete(a[i], rep, sizeof(rep), NULL));
		EXPECT_EQ(0, memcmp(rep, &i, 4));
	}
	EXPECT_EQ(20, __atomic_load_n(&c.calls, __ATOMIC_ACQUIRE));
	EXPECT_FALSE(pthread_equal(c.thread, pthread_self()));
}

/* Abortive: cancelled at once; the server is told too. */
TEST_F(as, abortive_cancel)
{
	struct qrpc_async *a;
	int i;

	ASSERT_EQ(0, qrpc_async_call(self->b, &async_if, 1, NULL, 0, 0, NULL,
				     &a));
	usleep(100000);
	EXPECT_EQ(0, qrpc_async_cancel(a, 1));
	EXPECT_EQ(QRPC_ASYNC_CANCELLED, qrpc_async_status(a));
	EXPECT_EQ(-EALREADY, qrpc_async_cancel(a, 1));
	EXPECT_EQ(-ECANCELED, qrpc_async_complete(a, NULL, 0, NULL));
	for (i = 0; i < 300 && !__atomic_load_n(&t_saw_cancel, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	EXPECT_EQ(1, t_saw_cancel);
	/* The binding goes on working. */
	EXPECT_EQ(0, qrpc_call(self->b, &async_if, 0, "x", 1, NULL, 0, NULL) < 0);
}

/* Non-abortive: the server decides; here it aborts with a fault. */
TEST_F(as, non_abortive_cancel_lets_the_server_answer)
{
	struct qrpc_async *a;

	ASSERT_EQ(0, qrpc_async_call(self->b, &async_if, 1, NULL, 0, 0, NULL,
				     &a));
	usleep(100000);
	EXPECT_EQ(0, qrpc_async_cancel(a, 0));
	EXPECT_EQ(QRPC_ASYNC_PENDING, qrpc_async_status(a));
	EXPECT_EQ(QRPC_ASYNC_FAILED, wait_settled(a));
	EXPECT_EQ(1818, qrpc_async_complete(a, NULL, 0, NULL));
	EXPECT_EQ(1, t_saw_cancel);
}

TEST_F(as, failures_are_reported_through_the_handle)
{
	struct qrpc_if_id nobody = async_if;
	struct qrpc_async *a;

	nobody.major = 9;
	ASSERT_EQ(0, qrpc_async_call(self->b, &nobody, 0, NULL, 0, 0, NULL, &a));
	EXPECT_EQ(QRPC_ASYNC_FAILED, wait_settled(a));
	EXPECT_EQ(-ENOTCONN, qrpc_async_complete(a, NULL, 0, NULL));
	EXPECT_EQ(-EINVAL, qrpc_async_call(self->b, &async_if, 0, NULL, 5, 0,
					   NULL, &a));
}

/* Many calls at once, all answered right. */
TEST_F(as, fifty_in_flight)
{
	struct qrpc_async *a[50];
	unsigned int i, v;

	for (i = 0; i < 50; i++) {
		v = i * 31;
		ASSERT_EQ(0, qrpc_async_call(self->b, &async_if, 0, &v, 4, 4,
					     NULL, &a[i]));
	}
	for (i = 0; i < 50; i++) {
		EXPECT_EQ(QRPC_ASYNC_DONE, wait_settled(a[i]));
		EXPECT_EQ(0, qrpc_async_complete(a[i], &v, 4, NULL));
		EXPECT_EQ(i * 31, v);
	}
}

/* Cancel racing the reply: each call ends exactly once, either way. */
TEST_F(as, cancel_races_reply)
{
	struct cb_count c = { 0 };
	struct qrpc_async_notify how = {
		.type = QRPC_NOTIFY_CALLBACK, .callback = on_done, .arg = &c,
	};
	int i, done = 0, cancelled = 0, ret;
	unsigned int v;

	for (i = 0; i < 200; i++) {
		struct qrpc_async *a;

		v = i;
		/* Cancelled calls hold their slot until the server lets go. */
		while ((ret = qrpc_async_call(self->b, &async_if, 0, &v, 4, 4,
					      &how, &a)) == -EBUSY)
			usleep(1000);
		ASSERT_EQ(0, ret);
		qrpc_async_cancel(a, 1);
		ASSERT_NE(QRPC_ASYNC_PENDING, wait_settled(a));
		ret = qrpc_async_complete(a, &v, 4, NULL);
		if (ret == 0 && v == (unsigned int)i)
			done++;
		else if (ret == -ECANCELED)
			cancelled++;
	}
	EXPECT_EQ(200, done + cancelled);
	/* Late completions of cancelled calls must not notify again. */
	usleep(200000);
	EXPECT_EQ(200, __atomic_load_n(&c.calls, __ATOMIC_ACQUIRE));
	TH_LOG("%d answered, %d cancelled", done, cancelled);
}

TEST_HARNESS_MAIN
