// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc-demo: what qrpc does, in one run a person can read.
 *
 * A client sends [message] calls at several priorities, and a [maybe] call,
 * while no server runs; then the server starts and receives the messages,
 * highest priority first; then the client makes [async] calls, one
 * completed through a callback, one through an eventfd in epoll, and one
 * cancelled.  Everything goes through the public API of libqrpc.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "qrpc.h"

#define PORT	"demo"

static const struct qrpc_if_id notes_if = {
	.uuid = { 0x6e, 0x6f, 0x74, 0x65, 0x73, 0x2d, 0x64, 0x65,
		  0x6d, 0x6f, 0x2d, 0x71, 0x72, 0x70, 0x63, 0x01 },
	.major = 1,
};

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int received, saw_cancel;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	va_start(ap, fmt);
	/* clang 14's analyzer does not see the va_start just above. */
	vprintf(fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* op 0 [message]: print the note. */
static int op_note(struct qrpc_call_ctx *ctx, void *arg)
{
	size_t len;
	const char *note = qrpc_ctx_request(ctx, &len);
	pid_t pid;

	(void)arg;
	qrpc_ctx_caller(ctx, &pid, NULL, NULL);
	say("   server received: \"%.*s\" (from pid %d)\n", (int)len, note, pid);
	__atomic_add_fetch(&received, 1, __ATOMIC_RELEASE);
	return 0;
}

/* op 1, a plain call: answer with the request upper-cased. */
static int op_shout(struct qrpc_call_ctx *ctx, void *arg)
{
	size_t len, cap, i;
	const char *req = qrpc_ctx_request(ctx, &len);
	char *rep = qrpc_ctx_reply_buf(ctx, &cap);

	(void)arg;
	if (len > cap)
		return 1;
	for (i = 0; i < len; i++)
		rep[i] = (char)toupper((unsigned char)req[i]);
	qrpc_ctx_set_reply_len(ctx, len);
	return 0;
}

/* op 2, a slow call that notices a cancel. */
static int op_slow(struct qrpc_call_ctx *ctx, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 300; i++) {
		if (qrpc_ctx_test_cancel(ctx)) {
			__atomic_store_n(&saw_cancel, 1, __ATOMIC_RELEASE);
			return 1818;	/* RPC_S_CALL_CANCELLED */
		}
		usleep(10000);
	}
	return 0;
}

static const qrpc_handler_fn ops[] = { op_note, op_shout, op_slow };

static void on_reply(struct qrpc_async *a, void *arg)
{
	(void)a;
	say("   callback on the runtime thread: call \"%s\" has ended\n",
	    (const char *)arg);
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "qrpc-demo: %s: %s\n", what,
		err < 0 ? strerror(-err) : "the server faulted");
	return 1;
}

static int send_messages(struct qrpc_binding *b)
{
	static const struct { int prio; const char *note; } notes[] = {
		{ 1, "low: rotate the logs" },
		{ 6, "high: page the on-call engineer" },
		{ 3, "normal: refresh the cache" },
		{ 6, "high: fail over the database" },
		{ 0, "lowest: send the weekly report" },
	};
	unsigned int i;
	int ret;

	say("\n== 1. A client sends [message] calls while no server is running\n");
	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		qrpc_binding_set_option(b, QRPC_OPT_PRIORITY, notes[i].prio);
		ret = qrpc_call_message(b, &notes_if, 0, notes[i].note,
					strlen(notes[i].note));
		if (ret)
			return fail("message", ret);
		say("   stored, priority %d: \"%s\"\n", notes[i].prio,
		    notes[i].note);
	}
	ret = qrpc_call_maybe(b, &notes_if, 0, "maybe: ping", 11);
	say("   [maybe] \"maybe: ping\": returned %d at once; no server has the\n"
	    "   interface, so the module dropped it and counted it\n", ret);
	return 0;
}

static int async_calls(struct qrpc_binding *b)
{
	struct qrpc_async_notify by_cb = {
		.type = QRPC_NOTIFY_CALLBACK, .callback = on_reply,
		.arg = "hello, callback",
	};
	struct qrpc_async_notify by_fd = { .type = QRPC_NOTIFY_EVENTFD };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct qrpc_async *a1, *a2, *a3;
	char rep[64];
	size_t len;
	int ep, ret, i;

	say("\n== 3. [async] calls\n");
	by_fd.eventfd = eventfd(0, EFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (by_fd.eventfd < 0 || ep < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, by_fd.eventfd, &ev))
		return fail("eventfd", -errno);

	ret = qrpc_async_call(b, &notes_if, 1, "hello, callback", 15,
			      sizeof(rep), &by_cb, &a1);
	if (!ret)
		ret = qrpc_async_call(b, &notes_if, 1, "hello, eventfd", 14,
				      sizeof(rep), &by_fd, &a2);
	if (!ret)
		ret = qrpc_async_call(b, &notes_if, 2, NULL, 0, 0, NULL, &a3);
	if (ret)
		return fail("async call", ret);
	say("   three calls started; the client goes on with its work\n");

	while (qrpc_async_status(a1) == QRPC_ASYNC_PENDING)
		usleep(1000);
	ret = qrpc_async_complete(a1, rep, sizeof(rep), &len);
	say("   call 1 (callback): %s, reply \"%.*s\"\n",
	    ret ? "failed" : "done", ret ? 0 : (int)len, rep);

	do {
		ret = epoll_wait(ep, &out, 1, 10000);
	} while (ret < 0 && errno == EINTR);
	say("   call 2 (eventfd): epoll says it is %s\n",
	    ret == 1 ? "ready" : "late");
	ret = qrpc_async_complete(a2, rep, sizeof(rep), &len);
	say("   call 2: %s, reply \"%.*s\"\n", ret ? "failed" : "done",
	    ret ? 0 : (int)len, rep);

	usleep(100000);
	say("   call 3 (a slow one): status %s; cancelling it, abortively\n",
	    qrpc_async_status(a3) == QRPC_ASYNC_PENDING ? "pending" : "ended");
	qrpc_async_cancel(a3, 1);
	ret = qrpc_async_complete(a3, NULL, 0, NULL);
	say("   call 3: %s\n", ret == -ECANCELED ? "cancelled" : "not cancelled");
	for (i = 0; i < 300 && !__atomic_load_n(&saw_cancel, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	say("   the server %s the cancel (qrpc_ctx_test_cancel)\n",
	    saw_cancel ? "saw" : "did not see");
	close(ep);
	close(by_fd.eventfd);
	return 0;
}

int main(void)
{
	struct qrpc_dispatch d = { .iface = notes_if, .nops = 3, .ops = ops };
	struct qrpc_binding *b;
	struct qrpc_server *srv;
	int ret, i;

	say("qrpc demo: a port, a server that comes late, and a client\n");
	/* The port persists: messages wait in it until a server comes. */
	ret = qrpc_server_create(PORT, 0666, 0, &srv);
	if (!ret)
		ret = qrpc_server_register(srv, &d);
	if (!ret)
		ret = qrpc_binding_create("qrpc:" PORT, &b);
	if (ret)
		return fail("setup", ret);

	if (send_messages(b))
		return 1;

	say("\n== 2. The server starts and registers the interface\n");
	ret = qrpc_server_listen(srv, 1);
	if (ret)
		return fail("listen", ret);
	for (i = 0; i < 500 && __atomic_load_n(&received, __ATOMIC_ACQUIRE) < 5; i++)
		usleep(10000);
	say("   %d messages received, highest priority first, in order within\n"
	    "   a priority\n", received);

	if (async_calls(b))
		return 1;

	qrpc_binding_free(b);
	qrpc_server_free(srv);
	say("\n== 4. The port's counters (qrpcctl inspect %s)\n", PORT);
	return 0;
}
