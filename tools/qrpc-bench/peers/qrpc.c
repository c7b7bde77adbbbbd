// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc itself, through libqrpc as a program would use it: a server process
 * serving an echo interface on a temporary port, and a client binding.
 *
 * - qrpc-call: plain calls as the library ships them: the caller polls its
 *   completion ring for a while that adapts to how soon replies come, then
 *   sleeps; the server sleeps between calls.
 * - qrpc-call-sleep: neither side polls (QRPC_OPT_SPIN 0): each call and
 *   each reply is a wake-up, as with the kernel's other IPC.
 * - qrpc-call-spin: both sides poll their completion rings instead.
 * - qrpc-inplace: qrpc-call, but the client builds its request in the
 *   request area and reads the reply in place (qrpc_call_prepare()):
 *   the payload sweep's zero-copy path.
 * - qrpc-async: [async] calls, several in flight, completions announced on
 *   an eventfd; each sample is one call's latency.
 * - qrpc-maybe-batch, qrpc-message-batch: one-way calls, 64 to a
 *   submission (qrpc_call_batch()).
 * - the priority run: priority-7 calls, alone and while another process
 *   keeps the port full of priority-0 [message]s.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <qrpc.h>

#include "../bench.h"

/* How long "spinning" polls before it gives up and sleeps: 1 s. */
#define SPIN_US		1000000U
#define MAX_DEPTH	64
#define BATCH_MAX	64

enum { OP_ECHO, OP_SINK, NOPS };

static const struct qrpc_if_id bench_if = {
	.uuid = { 0x51, 0x72, 0x70, 0x63, 0x2d, 0x62, 0x65, 0x6e,
		  0x63, 0x68, 0x2d, 0x65, 0x63, 0x68, 0x6f, 0x01 },
	.major = 1,
};

struct qrpc_state {
	char			port[QRPC_NAME_MAX];
	char			binding[QRPC_NAME_MAX + 8];
	uint64_t		client_spin;	/* QRPC_OPT_SPIN */
	unsigned int		server_spin;	/* qrpc_server_set_spin() */
	struct qrpc_binding	*b;
	unsigned char		*buf;		/* request and reply, client side */
	/* Server: the one-way calls received, and when to say so. */
	unsigned long		sunk;
	unsigned long		sink_target;
	struct bench_env	*env;
	/* [async]: the calls in flight, oldest first, and their start. */
	struct qrpc_async	*inflight[MAX_DEPTH];
	uint64_t		started[MAX_DEPTH];
	unsigned int		head;
	int			efd;
};

static int echo(struct qrpc_call_ctx *ctx, void *arg)
{
	size_t len, cap;
	const void *req = qrpc_ctx_request(ctx, &len);
	void *rep = qrpc_ctx_reply_buf(ctx, &cap);

	(void)arg;
	if (len > cap)
		return 1;
	memcpy(rep, req, len);
	qrpc_ctx_set_reply_len(ctx, len);
	return 0;
}

static int sink(struct qrpc_call_ctx *ctx, void *arg)
{
	struct qrpc_state *s = arg;

	(void)ctx;
	/* One worker thread: no other thread counts. */
	if (++s->sunk == s->sink_target)
		bench_done(s->env);
	return 0;
}

static const qrpc_handler_fn bench_ops[NOPS] = { echo, sink };

static int state_new(struct bench_env *env, uint64_t client_spin,
		     unsigned int server_spin)
{
	static unsigned int runs;
	struct qrpc_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	env->priv = s;
	s->efd = -1;
	s->client_spin = client_spin;
	s->server_spin = server_spin;
	snprintf(s->port, sizeof(s->port), "qrpc-bench-%d-%u", getpid(),
		 runs++);
	snprintf(s->binding, sizeof(s->binding), "qrpc:%s", s->port);
	s->buf = calloc(1, env->payload ? env->payload : 1);
	return s->buf ? 0 : -ENOMEM;
}

static int setup_default(struct bench_env *env)
{
	return state_new(env, QRPC_SPIN_ADAPTIVE, 0);
}

static int setup_sleep(struct bench_env *env)
{
	return state_new(env, 0, 0);
}

static int setup_spin(struct bench_env *env)
{
	return state_new(env, SPIN_US, SPIN_US);
}

/* Wait until the harness closes the stop pipe. */
static void wait_stop(struct bench_env *env)
{
	char c;

	while (read(env->stop_fd, &c, 1) > 0 || errno == EINTR)
		;
}

/*
 * The server: one worker, so that one CPU serves, as the other
 * mechanisms' servers do.  It runs until the client is done.
 */
static int serve(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	struct qrpc_dispatch d = {
		.iface = bench_if,
		.nops = NOPS,
		.ops = bench_ops,
		.arg = s,
	};
	struct qrpc_server *srv;
	int ret;

	s->env = env;
	s->sink_target = env->rounds;
	ret = qrpc_server_create(s->port, 0600, QRPC_SERVER_TEMPORARY, &srv);
	if (ret)
		return ret;
	ret = qrpc_server_register(srv, &d);
	if (!ret)
		ret = qrpc_server_set_spin(srv, s->server_spin);
	if (!ret)
		ret = qrpc_server_listen(srv, 1);
	if (!ret) {
		bench_ready(env);
		wait_stop(env);
	}
	qrpc_server_free(srv);
	return ret;
}

static int connect_binding(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	int ret = qrpc_binding_create(s->binding, &s->b);

	if (!ret)
		ret = qrpc_binding_set_option(s->b, QRPC_OPT_SPIN,
					      s->client_spin);
	return ret;
}

static int ping(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	size_t len;
	int ret;

	ret = qrpc_call(s->b, &bench_if, OP_ECHO, s->buf, env->payload,
			s->buf, env->payload, &len);
	if (ret > 0)
		return -EPROTO;		/* a fault from the server */
	if (!ret && len != env->payload)
		return -EPROTO;
	return ret;
}

/*
 * Build the request in place (a copy from the client's own buffer stands
 * for writing it), and look at the reply where the server put it.
 */
static int ping_inplace(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	const unsigned char *rep;
	struct qrpc_call_buf cb;
	int ret;

	ret = qrpc_call_prepare(s->b, env->payload, env->payload, &cb);
	if (ret)
		return ret;
	memcpy(cb.req, s->buf, env->payload);
	ret = qrpc_call_inplace(&cb, &bench_if, OP_ECHO);
	rep = cb.reply;
	if (ret > 0 || (!ret && (cb.reply_len != env->payload ||
				 (env->payload && (rep[0] != s->buf[0] ||
				  rep[env->payload - 1] != s->buf[env->payload - 1])))))
		ret = -EPROTO;
	qrpc_call_release(&cb);
	return ret;
}

static void teardown(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < MAX_DEPTH; i++)
		if (s->inflight[i]) {
			/* The server is gone: each ends now, one way or another. */
			while (qrpc_async_complete(s->inflight[i], s->buf,
						   env->payload, NULL) ==
			       -EINPROGRESS)
				usleep(100);
		}
	if (s->b)
		qrpc_binding_free(s->b);
	if (s->efd >= 0)
		close(s->efd);
	free(s->buf);
	free(s);
}

/* The plain-call peers differ in how they wait and how they call. */
#define QRPC_CALL_PEER(var, label, setup_fn, ping_fn)	\
	const struct rt_peer var = {			\
		.name		= (label),		\
		.setup		= (setup_fn),		\
		.serve		= serve,		\
		.connect	= connect_binding,	\
		.ping		= (ping_fn),		\
		.teardown	= teardown,		\
	}

QRPC_CALL_PEER(rt_qrpc_call, "qrpc-call", setup_default, ping);
QRPC_CALL_PEER(rt_qrpc_inplace, "qrpc-inplace", setup_default, ping_inplace);
QRPC_CALL_PEER(rt_qrpc_sleep, "qrpc-call-sleep", setup_sleep, ping);
QRPC_CALL_PEER(rt_qrpc_spin, "qrpc-call-spin", setup_spin, ping);

/* [async]: start the call in slot @i. */
static int async_start(struct bench_env *env, unsigned int i)
{
	struct qrpc_state *s = env->priv;
	struct qrpc_async_notify how = {
		.type = QRPC_NOTIFY_EVENTFD,
		.eventfd = s->efd,
	};

	s->started[i] = bench_now_ns();
	return qrpc_async_call(s->b, &bench_if, OP_ECHO, s->buf, env->payload,
			       env->payload, &how, &s->inflight[i]);
}

static int async_connect(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	unsigned int i;
	int ret;

	if (!env->depth || env->depth > MAX_DEPTH)
		return -EINVAL;
	s->efd = eventfd(0, EFD_CLOEXEC);
	if (s->efd < 0)
		return -errno;
	ret = qrpc_binding_create(s->binding, &s->b);
	for (i = 0; !ret && i < env->depth; i++)
		ret = async_start(env, i);
	return ret;
}

/*
 * Complete the oldest call (sleeping on the eventfd until it is done: the
 * runtime thread shares this CPU, so polling would starve it) and start
 * another in its place.
 */
static int async_ping(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	unsigned int i = s->head;
	uint64_t v;
	size_t len;
	int ret;

	while (qrpc_async_status(s->inflight[i]) == QRPC_ASYNC_PENDING)
		if (read(s->efd, &v, sizeof(v)) < 0 && errno != EINTR)
			return -errno;
	ret = qrpc_async_complete(s->inflight[i], s->buf, env->payload, &len);
	s->inflight[i] = NULL;
	env->sample_ns = bench_now_ns() - s->started[i];
	if (ret)
		return ret > 0 ? -EPROTO : ret;
	s->head = (i + 1) % env->depth;
	return async_start(env, i);
}

const struct rt_peer rt_qrpc_async = {
	.name		= "qrpc-async-8",
	.setup		= setup_default,
	.serve		= serve,
	.connect	= async_connect,
	.ping		= async_ping,
	.teardown	= teardown,
};

/*
 * A flooding client's binding at @priority, and a batch of one-way calls
 * to the sink, all carrying the client's buffer.
 */
static int flood_prepare(struct bench_env *env, uint64_t priority,
			 struct qrpc_req *reqs)
{
	struct qrpc_state *s = env->priv;
	unsigned int i;
	int ret;

	for (i = 0; i < BATCH_MAX; i++) {
		reqs[i].data = s->buf;
		reqs[i].len = env->payload;
		reqs[i].opnum = OP_SINK;
	}
	ret = qrpc_binding_create(s->binding, &s->b);
	return ret ? ret : qrpc_binding_set_option(s->b, QRPC_OPT_PRIORITY,
						     priority);
}

/* Send env->rounds one-way calls of @kind, BATCH_MAX to a submission. */
static int flood(struct bench_env *env, unsigned int kind)
{
	struct qrpc_state *s = env->priv;
	struct qrpc_req reqs[BATCH_MAX];
	unsigned long sent = 0;
	unsigned int n;
	int ret;

	ret = flood_prepare(env, QRPC_PRIORITY_DEFAULT, reqs);
	while (!ret && sent < env->rounds) {
		n = env->rounds - sent < BATCH_MAX ? env->rounds - sent :
						     BATCH_MAX;
		ret = qrpc_call_batch(s->b, kind, &bench_if, reqs, n, NULL);
		if (ret == -EBUSY)	/* the server has not caught up */
			ret = 0;
		if (ret > 0) {
			sent += ret;
			ret = 0;
		}
	}
	return ret;
}

static int flood_maybe(struct bench_env *env)
{
	return flood(env, QRPC_KIND_MAYBE);
}

static int flood_message(struct bench_env *env)
{
	return flood(env, QRPC_KIND_MESSAGE);
}

const struct ow_peer ow_qrpc_maybe = {
	.name		= "qrpc-maybe-batch",
	.setup		= setup_default,
	.drain		= serve,
	.flood		= flood_maybe,
	.teardown	= teardown,
};

const struct ow_peer ow_qrpc_message = {
	.name		= "qrpc-message-batch",
	.setup		= setup_default,
	.drain		= serve,
	.flood		= flood_message,
	.teardown	= teardown,
};

/* Whether the harness has closed the stop pipe (it then reads EOF). */
static int stop_requested(struct bench_env *env)
{
	struct pollfd pfd = { .fd = env->stop_fd, .events = POLLIN };

	return poll(&pfd, 1, 0) != 0;
}

/*
 * The flooding client of the priority run: priority-0 [message]s, as fast
 * as the server takes them, until stopped.  Once its 64 slots are full,
 * each batch waits for the server to free some, so the port always holds
 * a backlog for the priority-7 call to overtake.
 */
static int flood_low(struct bench_env *env)
{
	struct qrpc_state *s = env->priv;
	struct qrpc_req reqs[BATCH_MAX];
	int ret;

	ret = flood_prepare(env, 0, reqs);
	if (!ret)
		ret = qrpc_call_batch(s->b, QRPC_KIND_MESSAGE, &bench_if, reqs,
				      BATCH_MAX, NULL);
	if (ret < 0)
		return ret;
	bench_ready(env);
	while (!stop_requested(env)) {
		ret = qrpc_call_batch(s->b, QRPC_KIND_MESSAGE, &bench_if, reqs,
				      BATCH_MAX / 8, NULL);
		if (ret < 0 && ret != -EBUSY)
			return ret;
	}
	return 0;
}

int qrpc_bench_priority(unsigned long count, struct lat_stats *idle,
			struct lat_stats *flooded)
{
	struct bench_env senv = { .payload = 64, .rounds = ULONG_MAX };
	struct bench_env fenv = senv;
	struct bench_child server, flooder;
	struct qrpc_state *s, *f;
	int ret, ret2;

	memset(idle, 0, sizeof(*idle));
	memset(flooded, 0, sizeof(*flooded));
	bench_watch("the priority run");
	ret = setup_default(&senv);
	if (!ret)
		ret = setup_default(&fenv);
	if (ret)
		goto out;
	s = senv.priv;
	f = fenv.priv;
	memcpy(f->port, s->port, sizeof(f->port));
	memcpy(f->binding, s->binding, sizeof(f->binding));
	ret = bench_spawn(&senv, serve, BENCH_SERVER_CPU, "priority server",
			  &server);
	if (ret)
		goto out;
	ret = bench_hear(&server);
	if (!ret)
		ret = connect_binding(&senv);
	if (!ret)
		ret = qrpc_binding_set_option(s->b, QRPC_OPT_PRIORITY, 7);
	if (!ret)
		ret = bench_measure(&rt_qrpc_call, &senv, count, idle);
	if (ret)
		goto stop_server;
	ret = bench_spawn(&fenv, flood_low, BENCH_CLIENT_CPU, "priority flood",
			  &flooder);
	if (ret)
		goto stop_server;
	ret = bench_hear(&flooder);
	if (!ret)
		ret = bench_measure(&rt_qrpc_call, &senv, count, flooded);
	ret2 = bench_finish(&flooder, "priority flood");
	if (!ret)
		ret = ret2;
stop_server:
	ret2 = bench_finish(&server, "priority server");
	if (!ret)
		ret = ret2;
out:
	if (ret)
		fprintf(stderr, "qrpc-bench: priority run: %s\n",
			strerror(-ret));
	teardown(&fenv);
	teardown(&senv);
	bench_watch(NULL);
	return ret;
}
