// SPDX-License-Identifier: GPL-2.0
/*
 * Round trips over two pipes, one each way: the kernel copies the payload
 * in and out, and wakes the reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "../bench.h"

struct pipe_state {
	int	to_server[2];
	int	to_client[2];
	void	*buf;
};

static int pipe_setup(struct bench_env *env)
{
	struct pipe_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	env->priv = s;
	s->to_server[0] = s->to_server[1] = -1;
	s->to_client[0] = s->to_client[1] = -1;
	s->buf = calloc(1, env->payload);
	if (!s->buf)
		return -ENOMEM;
	if (pipe2(s->to_server, O_CLOEXEC) || pipe2(s->to_client, O_CLOEXEC))
		return -errno;
	return 0;
}

/* Each side closes the other's ends: a side that dies is then EOF. */
static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int pipe_serve(struct bench_env *env)
{
	struct pipe_state *s = env->priv;
	unsigned long i;
	int ret = 0;

	close_fd(&s->to_server[1]);
	close_fd(&s->to_client[0]);
	bench_ready(env);
	for (i = 0; !ret && i < env->rounds; i++) {
		ret = bench_read_full(s->to_server[0], s->buf, env->payload);
		if (!ret)
			ret = bench_write_full(s->to_client[1], s->buf,
					       env->payload);
	}
	return ret;
}

static int pipe_connect(struct bench_env *env)
{
	struct pipe_state *s = env->priv;

	close_fd(&s->to_server[0]);
	close_fd(&s->to_client[1]);
	return 0;
}

static int pipe_ping(struct bench_env *env)
{
	struct pipe_state *s = env->priv;
	int ret = bench_write_full(s->to_server[1], s->buf, env->payload);

	return ret ? ret : bench_read_full(s->to_client[0], s->buf,
					   env->payload);
}

static void pipe_teardown(struct bench_env *env)
{
	struct pipe_state *s = env->priv;
	int i;

	if (!s)
		return;
	for (i = 0; i < 2; i++) {
		close_fd(&s->to_server[i]);
		close_fd(&s->to_client[i]);
	}
	free(s->buf);
	free(s);
}

const struct rt_peer rt_pipe = {
	.name		= "pipe",
	.setup		= pipe_setup,
	.serve		= pipe_serve,
	.connect	= pipe_connect,
	.ping		= pipe_ping,
	.teardown	= pipe_teardown,
};
