// SPDX-License-Identifier: GPL-2.0
/*
 * libqrpc in the guest: bindings and their options, plain calls, faults,
 * [maybe] and [message] calls, a server with several workers, handlers
 * that finish later from another thread, and the caller's credentials.
 */
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "qrpc.h"
#include "helpers.h"
#include "kselftest_harness.h"

static const struct qrpc_if_id echo_if = {
	.uuid = { 0xec, 0x40, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
		  0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e },
	.major = 1,
};

struct echo_state {
	int maybes;
	int messages;
	int last_priority_order[16];
	int nmsg;
	pid_t last_pid;
	struct qrpc_call_ctx *pending;
	pthread_mutex_t lock;
};

/* op 0: echo the request back. */
static int op_echo(struct qrpc_call_ctx *ctx, void *arg)
{
	size_t len, cap;
	const void *req = qrpc_ctx_request(ctx, &len);
	void *rep = qrpc_ctx_reply_buf(ctx, &cap);
	struct echo_state *st = arg;

	if (len > cap)
		return 1;
	memcpy(rep, req, len);
	qrpc_ctx_set_reply_len(ctx, len);
	qrpc_ctx_caller(ctx, &st->last_pid, NULL, NULL);
	return 0;
}

/* op 1: fail with RPC_S_CALL_CANCELLED's number, as a fault. */
static int op_fault(struct qrpc_call_ctx *ctx, void *arg)
{
	(void)ctx;
	(void)arg;
	return 1818;
}

/* op 2: count a one-way call and record its first byte. */
static int op_count(struct qrpc_call_ctx *ctx, void *arg)
{
	struct echo_state *st = arg;
	size_t len;
	const unsigned char *req = qrpc_ctx_request(ctx, &len);

	pthread_mutex_lock(&st->lock);
	if (qrpc_ctx_kind(ctx) == QRPC_KIND_MAYBE)
		st->maybes++;
	else
		st->messages++;
	if (len && st->nmsg < 16)
		st->last_priority_order[st->nmsg++] = req[0];
	pthread_mutex_unlock(&st->lock);
	return 0;
}

/* op 3: leave the call pending; another thread completes it. */
static int op_later(struct qrpc_call_ctx *ctx, void *arg)
{
	struct echo_state *st = arg;

	pthread_mutex_lock(&st->lock);
	st->pending = ctx;
	pthread_mutex_unlock(&st->lock);
	return QRPC_PENDING;
}

static const qrpc_handler_fn echo_ops[] = {
	op_echo, op_fault, op_count, op_later,
};

FIXTURE(lib) {
	char name[QRPC_NAME_MAX];
	char binding[QRPC_NAME_MAX + 8];
	struct qrpc_server *srv;
	struct qrpc_binding *b;
	struct echo_state st;
};

FIXTURE_SETUP(lib)
{
	struct qrpc_dispatch d = {
		.iface = echo_if, .nops = 4, .ops = echo_ops, .arg = &self->st,
	};

	memset(&self->st, 0, sizeof(self->st));
	pthread_mutex_init(&self->st.lock, NULL);
	t_port_name(self->name, "lib");
	snprintf(self->binding, sizeof(self->binding), "qrpc:%s", self->name);
	ASSERT_EQ(0, qrpc_server_create(self->name, 0666,
					QRPC_SERVER_TEMPORARY, &self->srv));
	ASSERT_EQ(0, qrpc_server_register(self->srv, &d));
	ASSERT_EQ(0, qrpc_binding_create(self->binding, &self->b));
}

FIXTURE_TEARDOWN(lib)
{
	qrpc_binding_free(self->b);
	qrpc_server_free(self->srv);
}

TEST_F(lib, binding_strings_and_options)
{
	struct qrpc_binding *b;
	uint64_t v;

	EXPECT_EQ(-EINVAL, qrpc_binding_create("ncalrpc:x", &b));
	EXPECT_EQ(-EINVAL, qrpc_binding_create("qrpc:", &b));
	EXPECT_EQ(-EINVAL, qrpc_binding_create("qrpc:a/b", &b));
	EXPECT_EQ(-EINVAL, qrpc_binding_create(NULL, &b));

	EXPECT_EQ(0, qrpc_binding_inq_option(self->b, QRPC_OPT_PRIORITY, &v));
	EXPECT_EQ(3, v);
	EXPECT_EQ(0, qrpc_binding_set_option(self->b, QRPC_OPT_PRIORITY, 7));
	EXPECT_EQ(0, qrpc_binding_inq_option(self->b, QRPC_OPT_PRIORITY, &v));
	EXPECT_EQ(7, v);
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, QRPC_OPT_PRIORITY, 8));
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, QRPC_OPT_DELIVERY, 2));
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, QRPC_OPT_JOURNAL, 9));
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, QRPC_OPT_ACKNOWLEDGE, 2));
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, 99, 0));
	EXPECT_EQ(-EINVAL, qrpc_binding_inq_option(self->b, 0, &v));
	EXPECT_EQ(0, qrpc_binding_set_option(self->b, QRPC_OPT_CALL_TIMEOUT, 5000));
	EXPECT_EQ(0, qrpc_binding_inq_option(self->b, QRPC_OPT_CALL_TIMEOUT, &v));
	EXPECT_EQ(5000, v);
}

TEST_F(lib, plain_calls_and_faults)
{
	char req[100], rep[100];
	size_t len = 0;
	int i;

	ASSERT_EQ(0, qrpc_server_listen(self->srv, 2));
	EXPECT_EQ(-EBUSY, qrpc_server_listen(self->srv, 2));
	for (i = 0; i < 100; i++) {
		memset(req, i, sizeof(req));
		ASSERT_EQ(0, qrpc_call(self->b, &echo_if, 0, req, i + 1, rep,
				       sizeof(rep), &len));
		ASSERT_EQ(i + 1, len);
		ASSERT_EQ(0, memcmp(req, rep, len));
	}
	EXPECT_EQ(getpid(), self->st.last_pid);
	/* A fault comes back as a positive RPC status. */
	EXPECT_EQ(1818, qrpc_call(self->b, &echo_if, 1, NULL, 0, NULL, 0, NULL));
	/* An operation the interface lacks. */
	EXPECT_EQ(1745, qrpc_call(self->b, &echo_if, 9, NULL, 0, NULL, 0, NULL));
	/* A reply larger than the room is the server's problem: it faults. */
	EXPECT_EQ(1, qrpc_call(self->b, &echo_if, 0, req, 100, rep, 10, &len));
}

TEST_F(lib, no_port_or_no_server)
{
	struct qrpc_binding *b;
	struct qrpc_if_id other = echo_if;

	ASSERT_EQ(0, qrpc_binding_create("qrpc:no-such-port-here", &b));
	EXPECT_EQ(-ENOENT, qrpc_call(b, &echo_if, 0, NULL, 0, NULL, 0, NULL));
	qrpc_binding_free(b);
	/* The server does not listen yet. */
	EXPECT_EQ(-ENOTCONN, qrpc_call(self->b, &echo_if, 0, "x", 1, NULL, 0,
				       NULL));
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 1));
	other.major = 2;
	EXPECT_EQ(-ENOTCONN, qrpc_call(self->b, &other, 0, "x", 1, NULL, 0,
				       NULL));
	/* A [maybe] nobody serves is dropped, not an error. */
	EXPECT_EQ(0, qrpc_call_maybe(self->b, &other, 2, "m", 1));
	/* More than the connection's area (2 MiB): refused before any copy. */
	EXPECT_EQ(-EMSGSIZE, qrpc_call(self->b, &echo_if, 0, "x", 3 << 20,
				       NULL, 0, NULL));
}

/*
 * [message]s sent while no server listens wait; the server receives them
 * by priority when it starts.
 */
TEST_F(lib, messages_before_the_server_in_priority_order)
{
	static const unsigned char prio[6] = { 1, 6, 3, 6, 0, 3 };
	unsigned char tagbyte;
	unsigned int i;

	for (i = 0; i < 6; i++) {
		ASSERT_EQ(0, qrpc_binding_set_option(self->b, QRPC_OPT_PRIORITY,
						     prio[i]));
		tagbyte = (unsigned char)(prio[i] * 10 + i);
		ASSERT_EQ(0, qrpc_call_message(self->b, &echo_if, 2, &tagbyte,
					       1));
	}
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 1));
	for (i = 0; i < 200 && self->st.messages < 6; i++)
		usleep(10000);
	ASSERT_EQ(6, self->st.messages);
	/* 6 (sent 2nd), 6 (4th), 3 (3rd), 3 (6th), 1, 0. */
	EXPECT_EQ(61, self->st.last_priority_order[0]);
	EXPECT_EQ(63, self->st.last_priority_order[1]);
	EXPECT_EQ(32, self->st.last_priority_order[2]);
	EXPECT_EQ(35, self->st.last_priority_order[3]);
	EXPECT_EQ(10, self->st.last_priority_order[4]);
	EXPECT_EQ(4, self->st.last_priority_order[5]);
}

TEST_F(lib, maybe_calls_reach_a_listening_server)
{
	int i;

	ASSERT_EQ(0, qrpc_server_listen(self->srv, 2));
	for (i = 0; i < 50; i++)
		ASSERT_EQ(0, qrpc_call_maybe(self->b, &echo_if, 2, "", 0));
	for (i = 0; i < 200 && self->st.maybes < 50; i++)
		usleep(10000);
	EXPECT_EQ(50, self->st.maybes);
}

struct caller {
	struct qrpc_binding *b;
	int errors;
};

static void *call_many(void *arg)
{
	struct caller *c = arg;
	unsigned int i, v, r;
	size_t len;

	for (i = 0; i < 200; i++) {
		v = i * 7919 + (unsigned int)(uintptr_t)c;
		if (qrpc_call(c->b, &echo_if, 0, &v, sizeof(v), &r, sizeof(r),
			      &len) || len != sizeof(r) || r != v)
			c->errors++;
	}
	return NULL;
}

/* One binding, several threads: each gets its own connection. */
TEST_F(lib, threads_share_a_binding)
{
	struct caller c[4];
	pthread_t th[4];
	int i;

	ASSERT_EQ(0, qrpc_server_listen(self->srv, 3));
	for (i = 0; i < 4; i++) {
		c[i].b = self->b;
		c[i].errors = 0;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, call_many, &c[i]));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(th[i], NULL));
		EXPECT_EQ(0, c[i].errors);
	}
}

static void *complete_later(void *arg)
{
	struct echo_state *st = arg;
	struct qrpc_call_ctx *ctx = NULL;
	int i;

	for (i = 0; i < 500 && !ctx; i++) {
		pthread_mutex_lock(&st->lock);
		ctx = st->pending;
		pthread_mutex_unlock(&st->lock);
		usleep(10000);
	}
	if (ctx) {
		size_t cap;
		char *rep = qrpc_ctx_reply_buf(ctx, &cap);

		memcpy(rep, "later", 5);
		qrpc_ctx_set_reply_len(ctx, 5);
		qrpc_ctx_complete(ctx, 0);
	}
	return NULL;
}

/* A handler may return QRPC_PENDING and finish from another thread. */
TEST_F(lib, handler_completes_from_another_thread)
{
	char rep[16];
	size_t len = 0;
	pthread_t th;
	int i;

	ASSERT_EQ(0, qrpc_server_listen(self->srv, 1));
	ASSERT_EQ(0, pthread_create(&th, NULL, complete_later, &self->st));
	ASSERT_EQ(0, qrpc_call(self->b, &echo_if, 3, NULL, 0, rep, sizeof(rep),
			       &len));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(rep, "later", 5));
	/* The worker took the tag back: calls keep working. */
	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, qrpc_call(self->b, &echo_if, 0, "a", 1, rep,
				       sizeof(rep), &len));
}

/* Requests and replies of up to the area's size (2 MiB), in place. */
TEST_F(lib, large_payloads)
{
	size_t sizes[] = { 16 << 10, 64 << 10, 1 << 20 }, len, i;
	unsigned char *req = malloc(1 << 20), *rep = malloc(1 << 20);

	ASSERT_NE(NULL, req);
	ASSERT_NE(NULL, rep);
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 1));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(req, (int)i + 1, sizes[i]);
		req[sizes[i] - 1] = 0x5a;
		len = 0;
		ASSERT_EQ(0, qrpc_call(self->b, &echo_if, 0, req, sizes[i], rep,
				       sizes[i], &len)) TH_LOG("size %zu", sizes[i]);
		EXPECT_EQ(sizes[i], len);
		EXPECT_EQ(0, memcmp(req, rep, sizes[i]));
	}
	/*
	 * Many more calls than the area holds at once: the pages of each
	 * answered call are reclaimed before the next needs them.
	 */
	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, qrpc_call(self->b, &echo_if, 0, req, 64 << 10, rep,
				       64 << 10, &len)) TH_LOG("call %zu", i);
	EXPECT_EQ(-EMSGSIZE, qrpc_call(self->b, &echo_if, 0, req, 3 << 20, rep,
				       16, &len));
	free(req);
	free(rep);
}

static void *inplace_other_thread(void *arg)
{
	struct qrpc_call_buf *cb = arg;

	return (void *)(intptr_t)qrpc_call_inplace(cb, &echo_if, 0);
}

/* In-place calls: the request written and the reply read in the areas. */
TEST_F(lib, inplace_calls)
{
	struct qrpc_call_buf cb, held[64];
	pthread_t t;
	void *res;
	size_t i;

	ASSERT_EQ(0, qrpc_server_listen(self->srv, 1));
	EXPECT_EQ(-EINVAL, qrpc_call_prepare(NULL, 8, 8, &cb));
	EXPECT_EQ(-EMSGSIZE, qrpc_call_prepare(self->b, 3 << 20, 8, &cb));
	/* More calls than the areas hold at once, 1 MiB each way. */
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, qrpc_call_prepare(self->b, 1 << 20, 1 << 20, &cb));
		memset(cb.req, (int)i, 1 << 20);
		((unsigned char *)cb.req)[12345] = 0xa5;
		ASSERT_EQ(0, qrpc_call_inplace(&cb, &echo_if, 0));
		ASSERT_EQ(1 << 20, cb.reply_len);
		EXPECT_EQ(0xa5, ((const unsigned char *)cb.reply)[12345]);
		EXPECT_EQ(i, ((const unsigned char *)cb.reply)[(1 << 20) - 1]);
		/* A call is made once. */
		EXPECT_EQ(-EINVAL, qrpc_call_inplace(&cb, &echo_if, 0));
		qrpc_call_release(&cb);
	}
	/* The reply stays put while other calls run. */
	ASSERT_EQ(0, qrpc_call_prepare(self->b, 4, 4096, &held[0]));
	memcpy(held[0].req, "abcd", 4);
	ASSERT_EQ(0, qrpc_call_inplace(&held[0], &echo_if, 0));
	for (i = 0; i < 100; i++) {
		char rep[8];
		size_t len;

		ASSERT_EQ(0, qrpc_call(self->b, &echo_if, 0, "wxyz", 4, rep,
				       sizeof(rep), &len));
	}
	EXPECT_EQ(0, memcmp(held[0].reply, "abcd", 4));
	qrpc_call_release(&held[0]);
	/* A fault, and a call from a thread that did not prepare it. */
	ASSERT_EQ(0, qrpc_call_prepare(self->b, 0, 0, &cb));
	EXPECT_EQ(1818, qrpc_call_inplace(&cb, &echo_if, 1));
	qrpc_call_release(&cb);
	ASSERT_EQ(0, qrpc_call_prepare(self->b, 1, 1, &cb));
	ASSERT_EQ(0, pthread_create(&t, NULL, inplace_other_thread, &cb));
	ASSERT_EQ(0, pthread_join(t, &res));
	EXPECT_EQ(-EINVAL, (int)(intptr_t)res);
	qrpc_call_release(&cb);
	/* Held slots run out; released unsent, they come back. */
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, qrpc_call_prepare(self->b, 16, 16, &held[i]));
	EXPECT_EQ(-EBUSY, qrpc_call_prepare(self->b, 16, 16, &cb));
	for (i = 0; i < 64; i++)
		qrpc_call_release(&held[i]);
	ASSERT_EQ(0, qrpc_call_prepare(self->b, 16, 16, &cb));
	qrpc_call_release(&cb);
	qrpc_call_release(&cb);	/* twice is harmless */
}

/* How callers and workers wait: sleeping at once, polling, adapting. */
TEST_F(lib, spin_options)
{
	static const uint64_t spins[] = { 0, 1000, QRPC_SPIN_ADAPTIVE, 0 };
	char rep[8];
	uint64_t v;
	size_t len;
	int i;

	EXPECT_EQ(0, qrpc_binding_inq_option(self->b, QRPC_OPT_SPIN, &v));
	EXPECT_EQ(QRPC_SPIN_ADAPTIVE, v);
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, QRPC_OPT_SPIN,
						   QRPC_SPIN_MAX_US + 1ULL));
	EXPECT_EQ(-EINVAL, qrpc_server_set_spin(self->srv,
						QRPC_SPIN_MAX_US + 1U));
	ASSERT_EQ(0, qrpc_server_set_spin(self->srv, 2000));
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 1));
	EXPECT_EQ(-EBUSY, qrpc_server_set_spin(self->srv, 0));
	for (i = 0; i < 400; i++) {
		ASSERT_EQ(0, qrpc_binding_set_option(self->b, QRPC_OPT_SPIN,
						     spins[i / 100]));
		ASSERT_EQ(0, qrpc_call(self->b, &echo_if, 0, &i, sizeof(i), rep,
				       sizeof(rep), &len));
		ASSERT_EQ(sizeof(i), len);
		ASSERT_EQ(0, memcmp(rep, &i, sizeof(i)));
	}
	EXPECT_EQ(0, qrpc_binding_inq_option(self->b, QRPC_OPT_SPIN, &v));
	EXPECT_EQ(0, v);
}

/* Batches of one-way calls: one submission for many, every result kept. */
TEST_F(lib, batches_of_one_way_calls)
{
	struct qrpc_req reqs[200];
	int results[200];
	unsigned char tags[200];
	struct qrpc_if_id other = echo_if;
	unsigned int i;

	for (i = 0; i < 200; i++) {
		tags[i] = (unsigned char)i;
		reqs[i].data = &tags[i];
		reqs[i].len = 1;
		reqs[i].opnum = 2;
	}
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 2));
	EXPECT_EQ(200, qrpc_call_batch(self->b, QRPC_KIND_MESSAGE, &echo_if,
				       reqs, 200, results));
	for (i = 0; i < 200; i++)
		EXPECT_EQ(0, results[i]);
	EXPECT_EQ(50, qrpc_call_batch(self->b, QRPC_KIND_MAYBE, &echo_if,
				      reqs, 50, NULL));
	for (i = 0; i < 500 && self->st.messages + self->st.maybes < 250; i++)
		usleep(10000);
	EXPECT_EQ(200, self->st.messages);
	EXPECT_EQ(50, self->st.maybes);
	/* Nobody serves this one: [maybe] calls are dropped, still "sent". */
	other.major = 7;
	EXPECT_EQ(10, qrpc_call_batch(self->b, QRPC_KIND_MAYBE, &other, reqs,
				      10, results));
	/* A request larger than the area fails alone, before any copy. */
	reqs[3].len = 3 << 20;
	EXPECT_EQ(9, qrpc_call_batch(self->b, QRPC_KIND_MESSAGE, &echo_if, reqs,
				     10, results));
	EXPECT_EQ(-EMSGSIZE, results[3]);
	EXPECT_EQ(0, results[4]);
	EXPECT_EQ(-EINVAL, qrpc_call_batch(self->b, QRPC_KIND_CALL, &echo_if,
					   reqs, 1, NULL));
}

#define HANDOVER_MSGS	3000

/* Each [message] of the hand-over test, counted by its number. */
static unsigned char handover_seen[HANDOVER_MSGS];

static int op_note(struct qrpc_call_ctx *ctx, void *arg)
{
	size_t len;
	const uint32_t *id = qrpc_ctx_request(ctx, &len);

	(void)arg;
	if (len == sizeof(*id) && *id < HANDOVER_MSGS)
		__atomic_add_fetch(&handover_seen[*id], 1, __ATOMIC_RELAXED);
	/* Slow enough that calls queue up in the worker's ring. */
	usleep(20);
	return 0;
}

struct handover {
	const char *name;
	const struct qrpc_dispatch *d;
	struct qrpc_server *a, *b;
	int ret;
};

/* Replace server a by server b, while the test thread keeps sending. */
static void *handover_replace(void *arg)
{
	struct handover *h = arg;

	qrpc_server_free(h->a);
	h->ret = qrpc_server_create(h->name, 0666, 0, &h->b);
	if (!h->ret)
		h->ret = qrpc_server_register(h->b, h->d);
	if (!h->ret)
		h->ret = qrpc_server_listen(h->b, 1);
	return NULL;
}

static unsigned int handover_total(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < HANDOVER_MSGS; i++)
		n += __atomic_load_n(&handover_seen[i], __ATOMIC_RELAXED);
	return n;
}

/*
 * A server stopped while [message]s stream in hands the ones it has not
 * handled to the next server, and none it has: each is handled once.
 */
TEST_F(lib, stopping_server_hands_over_each_message_once)
{
	static const qrpc_handler_fn note_ops[] = { op_note };
	struct qrpc_dispatch d = {
		.iface = echo_if, .nops = 1, .ops = note_ops,
	};
	struct handover h = { .name = self->name, .d = &d };
	struct qrpc_req reqs[100];
	int results[100];
	uint32_t ids[HANDOVER_MSGS];
	unsigned int i, sent = 0, dup = 0;
	pthread_t t;
	int ret, replacing = 0;

	memset(handover_seen, 0, sizeof(handover_seen));
	ASSERT_EQ(0, qrpc_server_create(self->name, 0666, 0, &h.a));
	ASSERT_EQ(0, qrpc_server_register(h.a, &d));
	ASSERT_EQ(0, qrpc_server_listen(h.a, 1));
	for (i = 0; i < HANDOVER_MSGS; i++)
		ids[i] = i;
	while (sent < HANDOVER_MSGS) {
		unsigned int n = HANDOVER_MSGS - sent < 100 ?
				 HANDOVER_MSGS - sent : 100;

		for (i = 0; i < n; i++) {
			reqs[i].data = &ids[sent + i];
			reqs[i].len = sizeof(ids[0]);
			reqs[i].opnum = 0;
		}
		/* Those refused for want of a slot go again. */
		ret = qrpc_call_batch(self->b, QRPC_KIND_MESSAGE, &echo_if,
				      reqs, n, results);
		ASSERT_TRUE(ret >= 0 || ret == -EBUSY) TH_LOG("ret %d", ret);
		for (i = 0; ret > 0 && i < n && !results[i]; i++)
			sent++;
		for (; ret > 0 && i < n; i++)
			ASSERT_EQ(-EBUSY, results[i]);
		/* Replace the server in the middle of the stream. */
		if (!replacing && sent >= HANDOVER_MSGS / 3) {
			ASSERT_EQ(0, pthread_create(&t, NULL, handover_replace,
						    &h));
			replacing = 1;
		}
	}
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, h.ret);
	for (i = 0; i < 1000 && handover_total() < HANDOVER_MSGS; i++)
		usleep(10000);
	qrpc_server_free(h.b);
	for (i = 0; i < HANDOVER_MSGS; i++) {
		EXPECT_EQ(1, handover_seen[i]) TH_LOG("message %u", i);
		dup += handover_seen[i] > 1;
		if (handover_seen[i] != 1)
			break;
	}
	EXPECT_EQ(0, dup);
}

/* The servers @name has, by PORT_LIST; -1 if it cannot be listed. */
static int port_servers(const char *name)
{
	struct qrpc_port_info info;
	int fd = open(QRPC_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	int ret = -1;

	if (fd < 0)
		return -1;
	if (!t_port_info(fd, name, &info))
		ret = (int)info.servers;
	close(fd);
	return ret;
}

/*
 * A server freed while its threads have FETCHes parked, in a process that
 * goes on running: its ring and device file are closed, and the kernel
 * lets go of the parked commands (and so of the server) within moments,
 * not when the process exits.
 */
TEST_F(lib, freed_server_leaves_nothing_parked)
{
	struct qrpc_dispatch d = {
		.iface = echo_if, .nops = 4, .ops = echo_ops, .arg = &self->st,
	};
	char name[QRPC_NAME_MAX];
	struct qrpc_server *s;
	int i, fd, n = -1;

	t_port_name(name, "freed");
	/* Persistent, so that the port outlives the server. */
	ASSERT_EQ(0, qrpc_server_create(name, 0666, 0, &s));
	ASSERT_EQ(0, qrpc_server_register(s, &d));
	ASSERT_EQ(0, qrpc_server_listen(s, 2));
	EXPECT_LT(0, port_servers(name));
	qrpc_server_free(s);
	for (i = 0; i < 100; i++) {
		n = port_servers(name);
		if (n == 0)
			break;
		usleep(50000);
	}
	EXPECT_EQ(0, n);
	fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, t_port_unlink(fd, name));
	close(fd);
}

/* Connections with io_uring's SQ polling thread, pinned to a CPU. */
TEST_F(lib, sqpoll_connections)
{
	struct qrpc_binding *b;
	char binding[QRPC_NAME_MAX + 8], rep[8];
	uint64_t v;
	size_t len;
	int i;

	EXPECT_EQ(0, qrpc_binding_inq_option(self->b, QRPC_OPT_SQPOLL_CPU, &v));
	EXPECT_EQ(QRPC_CPU_ANY, v);
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, QRPC_OPT_SQPOLL_CPU,
						   1 << 20));
	EXPECT_EQ(-EINVAL, qrpc_binding_set_option(self->b, QRPC_OPT_SQPOLL,
						   1ULL << 33));

	snprintf(binding, sizeof(binding), "qrpc:%s", self->name);
	ASSERT_EQ(0, qrpc_binding_create(binding, &b));
	ASSERT_EQ(0, qrpc_binding_set_option(b, QRPC_OPT_SQPOLL, 100));
	ASSERT_EQ(0, qrpc_binding_set_option(b, QRPC_OPT_SQPOLL_CPU, 0));
	ASSERT_EQ(0, qrpc_server_listen(self->srv, 1));
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, qrpc_call(b, &echo_if, 0, &i, sizeof(i), rep,
				       sizeof(rep), &len));
		ASSERT_EQ(0, memcmp(rep, &i, sizeof(i)));
	}
	qrpc_binding_free(b);
}

TEST_HARNESS_MAIN
