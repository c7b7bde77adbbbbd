// SPDX-License-Identifier: GPL-2.0
/*
 * Round trips and one-way messages over AF_UNIX socketpairs, the usual way
 * two local processes talk.  SOCK_STREAM is the byte pipe most RPC stacks
 * sit on (the kernel copies the payload through skbs and wakes the reader);
 * SOCK_SEQPACKET keeps message boundaries, so one send and one recv carry a
 * whole request, the closest socket analogue of a message-based port.
 *
 * The socket buffers are left at their defaults (net.core.wmem_default):
 * that is what an application gets unless it tunes them, and 64 KiB
 * messages already fit.
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer.h"

/* The largest SOCK_SEQPACKET message we send: fits the default sndbuf. */
#define SEQPACKET_MAX	(64UL * 1024)

/* How one process hands a payload to the other over the socket type. */
struct unix_io {
	int	(*send)(int fd, const void *buf, size_t len);
	int	(*recv)(int fd, void *buf, size_t len);
};

struct unix_state {
	struct peer_state	peer;	/* buf */
	const struct unix_io	*io;
	int			sv[2];	/* [0]: the client's, [1]: the server's */
};

static int unix_setup(struct bench_env *env, int type,
		      const struct unix_io *io, size_t max_payload)
{
	struct unix_state *s;
	int ret = peer_alloc(env, max_payload, sizeof(*s));

	if (ret)
		return ret;
	s = env->priv;
	s->io = io;
	s->sv[0] = -1;
	s->sv[1] = -1;
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, s->sv))
		return -errno;
	return 0;
}

/*
 * Each process drops the other's end, so that if one side dies the other
 * reads EOF instead of waiting forever on a socket it holds itself.
 */
static int unix_own_end(struct unix_state *s, int mine)
{
	close(s->sv[!mine]);
	s->sv[!mine] = -1;
	return s->sv[mine];
}

static void unix_teardown(struct bench_env *env)
{
	struct unix_state *s = env->priv;
	int i;

	for (i = 0; s && i < 2; i++)
		if (s->sv[i] >= 0)
			close(s->sv[i]);
	peer_free(env);
}

static int unix_connect(struct bench_env *env)
{
	unix_own_end(env->priv, 0);
	return 0;
}

/*
 * The server end, the same for both types but for how a payload moves:
 * receive env->rounds payloads, sending each one back if @answer.
 */
static int unix_receive(struct bench_env *env, int answer)
{
	struct unix_state *s = env->priv;
	int fd = unix_own_end(s, 1);
	unsigned long i;
	int ret = 0;

	bench_ready(env);
	for (i = 0; !ret && i < env->rounds; i++) {
		ret = s->io->recv(fd, s->peer.buf, env->payload);
		if (!ret && answer)
			ret = s->io->send(fd, s->peer.buf, env->payload);
	}
	return ret;
}

static int unix_serve(struct bench_env *env)
{
	return unix_receive(env, 1);
}

static int unix_ping(struct bench_env *env)
{
	struct unix_state *s = env->priv;
	int ret = s->io->send(s->sv[0], s->peer.buf, env->payload);

	return ret ? ret : s->io->recv(s->sv[0], s->peer.buf, env->payload);
}

/* SOCK_STREAM: any size, in as many reads and writes as it takes. */

static const struct unix_io stream_io = {
	.send	= bench_write_full,
	.recv	= bench_read_full,
};

static int stream_setup(struct bench_env *env)
{
	return unix_setup(env, SOCK_STREAM, &stream_io, 0);
}

const struct rt_peer rt_unix_stream = {
	.name		= "unix-stream",
	.setup		= stream_setup,
	.serve		= unix_serve,
	.connect	= unix_connect,
	.ping		= unix_ping,
	.teardown	= unix_teardown,
};

/* SOCK_SEQPACKET: one message each way, whole or not at all. */

static int seq_send(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = send(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* One message of exactly @len bytes: -EPIPE at EOF, -EPROTO if not @len. */
static int seq_recv(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(fd, buf, len, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0 && len)
		return -EPIPE;
	return (size_t)n == len ? 0 : -EPROTO;
}

static const struct unix_io seq_io = {
	.send	= seq_send,
	.recv	= seq_recv,
};

static int seq_setup(struct bench_env *env)
{
	return unix_setup(env, SOCK_SEQPACKET, &seq_io, SEQPACKET_MAX);
}

const struct rt_peer rt_unix_seqpacket = {
	.name		= "unix-seqpacket",
	.max_payload	= SEQPACKET_MAX,
	.setup		= seq_setup,
	.serve		= unix_serve,
	.connect	= unix_connect,
	.ping		= unix_ping,
	.teardown	= unix_teardown,
};

/*
 * One way: the parent sends back to back and blocks only when the socket's
 * send buffer is full, so this measures messages a second, not latency.
 */

static int seq_drain(struct bench_env *env)
{
	int ret = unix_receive(env, 0);

	if (!ret)
		bench_done(env);
	return ret;
}

static int seq_flood(struct bench_env *env)
{
	struct unix_state *s = env->priv;
	unsigned long i;
	int ret = 0;

	for (i = 0; !ret && i < env->rounds; i++)
		ret = seq_send(s->sv[0], s->peer.buf, env->payload);
	return ret;
}

const struct ow_peer ow_unix_seqpacket = {
	.name		= "unix-seqpacket",
	.setup		= seq_setup,
	.drain		= seq_drain,
	.connect	= unix_connect,
	.flood		= seq_flood,
	.teardown	= unix_teardown,
};
