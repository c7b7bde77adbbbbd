// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues: the kernel's own message-passing primitive with
 * per-message priorities, the nearest thing in mainline to a port that
 * orders calls by priority.  Round trips use one queue each way; the
 * one-way run sends with priorities cycling 0..7 through one queue deep
 * enough that the sender rarely blocks, so the kernel's priority-ordered
 * insertion is part of what is measured.
 *
 * The queues are opened in the parent before the fork and unlinked at
 * once: the child inherits the descriptors, and nothing is left in
 * /dev/mqueue if the run dies.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "peer.h"

/* The default /proc/sys/fs/mqueue/msgsize_max: what works unconfigured. */
#define MQ_MAX_PAYLOAD	8192
/* Deep enough to let the one-way sender run ahead of the receiver. */
#define MQ_PRIO_DEPTH	64
#define MQ_PRIOS	8

struct mq_state {
	struct peer_state	peer;	/* buf */
	mqd_t			to_server;
	mqd_t			to_client;
};

/*
 * Queues deeper than fs.mqueue.msg_max need CAP_SYS_RESOURCE or a higher
 * limit; raise the limit (never lower it) so that the run does not depend
 * on which of the two the caller has.
 */
static int mq_raise_msg_max(long want)
{
	const char *path = "/proc/sys/fs/mqueue/msg_max";
	char text[32], *end;
	FILE *f = fopen(path, "r");
	long cur;
	int ok;

	if (!f)
		return -errno;
	ok = fgets(text, sizeof(text), f) != NULL;
	fclose(f);
	if (!ok)
		return -EINVAL;
	errno = 0;
	cur = strtol(text, &end, 10);
	if (errno || end == text)
		return -EINVAL;
	if (cur >= want)
		return -EINVAL;	/* the limit was not the problem */
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ok = fprintf(f, "%ld\n", want) > 0;
	ok = !fclose(f) && ok;
	return ok ? 0 : -EIO;
}

/* A private queue: opened, then unlinked straight away.  -errno or 0. */
static int mq_private(const char *what, long maxmsg, size_t msgsize,
		      mqd_t *out)
{
	struct mq_attr attr = {
		.mq_maxmsg = maxmsg,
		.mq_msgsize = (long)(msgsize ? msgsize : 1),
	};
	char name[64];
	int raised = 0;
	mqd_t q;

	snprintf(name, sizeof(name), "/qrpc-bench-%s-%d", what, (int)getpid());
	for (;;) {
		int err;

		q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
		if (q != (mqd_t)-1)
			break;
		err = errno;
		/* Left behind by an earlier run with our pid. */
		if (err == EEXIST && !mq_unlink(name))
			continue;
		if (err == EINVAL && !raised++ && !mq_raise_msg_max(maxmsg))
			continue;
		return -err;
	}
	mq_unlink(name);
	*out = q;
	return 0;
}

static int mq_setup_common(struct bench_env *env)
{
	struct mq_state *s;
	int ret = peer_alloc(env, MQ_MAX_PAYLOAD, sizeof(*s));

	if (ret)
		return ret;
	s = env->priv;
	s->to_server = (mqd_t)-1;
	s->to_client = (mqd_t)-1;
	return 0;
}

static void mq_teardown(struct bench_env *env)
{
	struct mq_state *s = env->priv;

	if (s) {
		if (s->to_server != (mqd_t)-1)
			mq_close(s->to_server);
		if (s->to_client != (mqd_t)-1)
			mq_close(s->to_client);
	}
	peer_free(env);
}

static int mq_put(mqd_t q, const void *buf, size_t len, unsigned int prio)
{
	while (mq_send(q, buf, len, prio))
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* One message of exactly @len bytes (the queue's msgsize). */
static int mq_get(mqd_t q, void *buf, size_t len)
{
	ssize_t n;

	do
		n = mq_receive(q, buf, len ? len : 1, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EPROTO;
}

/* Round trips: one queue each way, one message in flight on each. */

static int mq_rt_setup(struct bench_env *env)
{
	struct mq_state *s;
	int ret = mq_setup_common(env);

	if (ret)
		return ret;
	s = env->priv;
	ret = mq_private("c2s", 1, env->payload, &s->to_server);
	return ret ? ret : mq_private("s2c", 1, env->payload, &s->to_client);
}

static int mq_rt_serve(struct bench_env *env)
{
	struct mq_state *s = env->priv;
	unsigned long i;
	int ret = 0;

	bench_ready(env);
	for (i = 0; !ret && i < env->rounds; i++) {
		ret = mq_get(s->to_server, s->peer.buf, env->payload);
		if (!ret)
			ret = mq_put(s->to_client, s->peer.buf, env->payload,
				     0);
	}
	return ret;
}

static int mq_rt_ping(struct bench_env *env)
{
	struct mq_state *s = env->priv;
	int ret = mq_put(s->to_server, s->peer.buf, env->payload, 0);

	return ret ? ret : mq_get(s->to_client, s->peer.buf, env->payload);
}

const struct rt_peer rt_posix_mq = {
	.name		= "posix-mq",
	.max_payload	= MQ_MAX_PAYLOAD,
	.setup		= mq_rt_setup,
	.serve		= mq_rt_serve,
	.ping		= mq_rt_ping,
	.teardown	= mq_teardown,
};

/* One way: a single deep queue, priorities 0..7 in turn. */

static int mq_ow_setup(struct bench_env *env)
{
	struct mq_state *s;
	int ret = mq_setup_common(env);

	if (ret)
		return ret;
	s = env->priv;
	return mq_private("prio", MQ_PRIO_DEPTH, env->payload, &s->to_server);
}

static int mq_ow_drain(struct bench_env *env)
{
	struct mq_state *s = env->priv;
	unsigned long i;
	int ret = 0;

	bench_ready(env);
	for (i = 0; !ret && i < env->rounds; i++)
		ret = mq_get(s->to_server, s->peer.buf, env->payload);
	if (!ret)
		bench_done(env);
	return ret;
}

static int mq_ow_flood(struct bench_env *env)
{
	struct mq_state *s = env->priv;
	unsigned long i;
	int ret = 0;

	for (i = 0; !ret && i < env->rounds; i++)
		ret = mq_put(s->to_server, s->peer.buf, env->payload,
			     (unsigned int)(i % MQ_PRIOS));
	return ret;
}

const struct ow_peer ow_posix_mq = {
	.name		= "posix-mq-prio",
	.setup		= mq_ow_setup,
	.drain		= mq_ow_drain,
	.flood		= mq_ow_flood,
	.teardown	= mq_teardown,
};
