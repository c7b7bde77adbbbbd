// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring's IORING_OP_MSG_RING between two processes' rings: the newest
 * mainline way to post an event straight into another ring's completion
 * queue, and the closest thing io_uring has to a message port.  MSG_RING
 * carries only the notification; the payload travels in shared memory as
 * in the eventfd peer, so the two differ only in how the other side is
 * woken.  Waits block in io_uring_enter(), with no polling of the
 * completion queue, to measure the wake-up path.
 *
 * Each side needs the other's ring fd as the MSG_RING target, and an
 * io_uring fd cannot be passed with SCM_RIGHTS: the fix for CVE-2023-6531
 * (6.7, backported to the stable kernels) refuses it, to keep io_uring out
 * of the unix socket garbage collector.  So the client's ring is made in
 * setup, before the fork, and the server only inherits its fd (it never
 * touches that ring's queues); the server makes its own ring after the
 * fork, and the client takes a copy of its fd with pidfd_getfd(), which
 * needs ptrace rights over the server: a parent has them over its own
 * child without privileges, unless Yama's ptrace_scope is 2 or more.
 */
#include <errno.h>
#include <liburing.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shm_link.h"

#define RING_MAX_PAYLOAD	(1U << 20)
#define RING_ENTRIES		4

/*
 * A MSG_RING posts two completions: one on the target ring, with the
 * user_data we chose for it, and one on the sender's ring for the send
 * itself, with the SQE's user_data.
 */
#define TAG_SENT	1
#define TAG_MSG		2

/* The control words ahead of the payload in the shared region. */
struct ring_shm {
	pid_t		server_pid;	/* where the client takes the fd from */
	int		server_fd;	/* the server's ring fd, in its table */

	/* The payload, on cache lines of its own. */
	_Alignas(64) unsigned char data[];
};

struct ring_state {
	struct shm_link	link;
	struct io_uring	client;		/* made in setup, before the fork */
	int		have_client;
	struct io_uring	server;		/* made by the server, after it */
	struct io_uring	*own;		/* the ring this process waits on */
	int		peer;		/* the fd it sends MSG_RINGs to */
};

static int ring_setup(struct bench_env *env)
{
	struct ring_state *s;
	int ret = shm_link_setup(env, RING_MAX_PAYLOAD, sizeof(struct ring_shm),
				 sizeof(*s));

	if (ret)
		return ret;
	s = env->priv;
	s->peer = -1;
	ret = io_uring_queue_init(RING_ENTRIES, &s->client, 0);
	if (ret)
		return ret;
	s->have_client = 1;
	return 0;
}

static int ring_notify(struct bench_env *env)
{
	struct ring_state *s = env->priv;
	struct io_uring_sqe *sqe = io_uring_get_sqe(s->own);
	int ret;

	/* One send in flight at most, so the SQ is never full. */
	if (!sqe)
		return -EBUSY;
	io_uring_prep_msg_ring(sqe, s->peer, (unsigned int)env->payload,
			       TAG_MSG, 0);
	io_uring_sqe_set_data64(sqe, TAG_SENT);
	ret = io_uring_submit(s->own);
	if (ret < 0)
		return ret;
	return ret == 1 ? 0 : -EIO;
}

/* Wait for the other side's message, reaping our own sends' completions. */
static int ring_wait(struct bench_env *env)
{
	struct ring_state *s = env->priv;
	struct io_uring_cqe *cqe;
	uint64_t tag;
	int res;

	for (;;) {
		int ret = io_uring_wait_cqe(s->own, &cqe);

		if (ret == -EINTR)
			continue;
		if (ret)
			return ret;
		tag = io_uring_cqe_get_data64(cqe);
		res = cqe->res;
		io_uring_cqe_seen(s->own, cqe);
		if (tag == TAG_MSG)
			return 0;
		if (tag != TAG_SENT)
			return -EPROTO;
		if (res < 0)
			return res;
	}
}

static const struct shm_link_ops ring_ops = {
	.notify	= ring_notify,
	.wait	= ring_wait,
};

static int ring_serve(struct bench_env *env)
{
	struct ring_state *s = env->priv;
	struct ring_shm *shm = s->link.shm;
	int ret;

	ret = io_uring_queue_init(RING_ENTRIES, &s->server, 0);
	if (ret)
		return ret;
	s->own = &s->server;
	/* Our inherited copy of the client's ring fd: only a target. */
	s->peer = s->client.ring_fd;
	shm->server_pid = getpid();
	shm->server_fd = s->server.ring_fd;
	ret = shm_link_serve(env, &ring_ops);
	io_uring_queue_exit(&s->server);
	return ret;
}

static int ring_connect(struct bench_env *env)
{
	struct ring_state *s = env->priv;
	struct ring_shm *shm = s->link.shm;
	int pidfd, err;

	pidfd = (int)syscall(SYS_pidfd_open, shm->server_pid, 0);
	if (pidfd < 0)
		return -errno;
	s->peer = (int)syscall(SYS_pidfd_getfd, pidfd, shm->server_fd, 0);
	err = s->peer < 0 ? -errno : 0;
	close(pidfd);
	s->own = &s->client;
	return err;
}

static int ring_ping(struct bench_env *env)
{
	return shm_link_ping(env, &ring_ops);
}

static void ring_teardown(struct bench_env *env)
{
	struct ring_state *s = env->priv;

	if (s) {
		if (s->have_client)
			io_uring_queue_exit(&s->client);
		if (s->peer >= 0)
			close(s->peer);
	}
	shm_link_teardown(env);
}

const struct rt_peer rt_msg_ring = {
	.name		= "msg-ring",
	.max_payload	= RING_MAX_PAYLOAD,
	.setup		= ring_setup,
	.serve		= ring_serve,
	.connect	= ring_connect,
	.ping		= ring_ping,
	.teardown	= ring_teardown,
};
