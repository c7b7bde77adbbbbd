// SPDX-License-Identifier: GPL-2.0
/*
 * Round trips over TCP on the loopback interface: how local services talk
 * when they were written for the network (HTTP, gRPC, databases).  The
 * payload goes through the whole TCP/IP stack and the loopback device's
 * softirq: the heaviest of the socket paths measured here.
 * Nagle is off on both ends, as any request/response protocol sets it,
 * or each small write would wait for the previous one's ACK.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer.h"

struct tcp_state {
	struct peer_state	peer;		/* buf */
	int			listen_fd;
	int			conn_fd;	/* this process's connection */
	struct sockaddr_in	addr;		/* where the server listens */
};

static int tcp_setup(struct bench_env *env)
{
	socklen_t len = sizeof(struct sockaddr_in);
	struct tcp_state *s;
	int ret = peer_alloc(env, 0, sizeof(*s));

	if (ret)
		return ret;
	s = env->priv;
	s->listen_fd = -1;
	s->conn_fd = -1;
	s->addr.sin_family = AF_INET;
	s->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->addr.sin_port = 0;		/* any free port */
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0)
		return -errno;
	/*
	 * Listening before the fork means the client's connect completes
	 * from the backlog whether or not the server has reached accept().
	 */
	if (bind(s->listen_fd, (struct sockaddr *)&s->addr, sizeof(s->addr)) ||
	    listen(s->listen_fd, 1) ||
	    getsockname(s->listen_fd, (struct sockaddr *)&s->addr, &len))
		return -errno;
	return 0;
}

static int tcp_nodelay(int fd)
{
	int one = 1;

	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ?
		-errno : 0;
}

static int tcp_serve(struct bench_env *env)
{
	struct tcp_state *s = env->priv;
	unsigned long i;
	int ret;

	bench_ready(env);
	do
		s->conn_fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	while (s->conn_fd < 0 && errno == EINTR);
	if (s->conn_fd < 0)
		return -errno;
	close(s->listen_fd);
	s->listen_fd = -1;
	ret = tcp_nodelay(s->conn_fd);
	for (i = 0; !ret && i < env->rounds; i++) {
		ret = bench_read_full(s->conn_fd, s->peer.buf, env->payload);
		if (!ret)
			ret = bench_write_full(s->conn_fd, s->peer.buf,
					       env->payload);
	}
	return ret;
}

static int tcp_connect(struct bench_env *env)
{
	struct tcp_state *s = env->priv;
	int ret;

	s->conn_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->conn_fd < 0)
		return -errno;
	ret = tcp_nodelay(s->conn_fd);
	if (ret)
		return ret;
	if (connect(s->conn_fd, (struct sockaddr *)&s->addr, sizeof(s->addr)))
		return -errno;
	/* The server has its own copy; a stray one here only confuses. */
	close(s->listen_fd);
	s->listen_fd = -1;
	return 0;
}

static int tcp_ping(struct bench_env *env)
{
	struct tcp_state *s = env->priv;
	int ret = bench_write_full(s->conn_fd, s->peer.buf, env->payload);

	return ret ? ret : bench_read_full(s->conn_fd, s->peer.buf,
					   env->payload);
}

static void tcp_teardown(struct bench_env *env)
{
	struct tcp_state *s = env->priv;

	if (s) {
		if (s->listen_fd >= 0)
			close(s->listen_fd);
		if (s->conn_fd >= 0)
			close(s->conn_fd);
	}
	peer_free(env);
}

const struct rt_peer rt_tcp = {
	.name		= "tcp",
	.setup		= tcp_setup,
	.serve		= tcp_serve,
	.connect	= tcp_connect,
	.ping		= tcp_ping,
	.teardown	= tcp_teardown,
};
