// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory for the payload, an eventfd each way for the wake-up: the
 * pattern of hand-rolled shared-memory RPC (and of vhost-style doorbells).
 * The kernel never copies the payload; what it costs is one eventfd write
 * and one blocking eventfd read per direction, so this isolates the price
 * of a syscall-based sleep and wake from that of moving the bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../bench.h"

/* Any size works; this only bounds the shared region. */
#define EFD_MAX_PAYLOAD	(1U << 20)

struct efd_state {
	int		to_server;
	int		to_client;
	unsigned char	*shm;		/* the payload, both ways */
	size_t		shm_size;
	void		*buf;		/* this process's own copy */
};

static int efd_setup(struct bench_env *env)
{
	struct efd_state *s;

	if (env->payload > EFD_MAX_PAYLOAD)
		return -EMSGSIZE;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->to_server = -1;
	s->to_client = -1;
	env->priv = s;
	s->buf = calloc(1, env->payload ? env->payload : 1);
	if (!s->buf)
		return -ENOMEM;
	s->shm_size = env->payload ? env->payload : 1;
	s->shm = bench_shared_alloc(s->shm_size);
	if (!s->shm)
		return -ENOMEM;
	s->to_server = eventfd(0, EFD_CLOEXEC);
	if (s->to_server < 0)
		return -errno;
	s->to_client = eventfd(0, EFD_CLOEXEC);
	return s->to_client < 0 ? -errno : 0;
}

static int efd_signal(int fd)
{
	uint64_t one = 1;
	ssize_t n;

	do
		n = write(fd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

static int efd_wait(int fd)
{
	uint64_t v;
	ssize_t n;

	do
		n = read(fd, &v, sizeof(v));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* One request in flight: a count above 1 means we lost step. */
	return v == 1 ? 0 : -EPROTO;
}

static int efd_serve(struct bench_env *env)
{
	struct efd_state *s = env->priv;
	unsigned long i;
	int ret = 0;

	bench_ready(env);
	for (i = 0; !ret && i < env->rounds; i++) {
		ret = efd_wait(s->to_server);
		if (ret)
			break;
		memcpy(s->buf, s->shm, env->payload);
		memcpy(s->shm, s->buf, env->payload);
		ret = efd_signal(s->to_client);
	}
	return ret;
}

static int efd_ping(struct bench_env *env)
{
	struct efd_state *s = env->priv;
	int ret;

	memcpy(s->shm, s->buf, env->payload);
	ret = efd_signal(s->to_server);
	if (!ret)
		ret = efd_wait(s->to_client);
	if (!ret)
		memcpy(s->buf, s->shm, env->payload);
	return ret;
}

static void efd_teardown(struct bench_env *env)
{
	struct efd_state *s = env->priv;

	if (!s)
		return;
	if (s->to_server >= 0)
		close(s->to_server);
	if (s->to_client >= 0)
		close(s->to_client);
	bench_shared_free(s->shm, s->shm_size);
	free(s->buf);
	free(s);
	env->priv = NULL;
}

const struct rt_peer rt_eventfd_shm = {
	.name		= "eventfd-shm",
	.max_payload	= EFD_MAX_PAYLOAD,
	.setup		= efd_setup,
	.serve		= efd_serve,
	.ping		= efd_ping,
	.teardown	= efd_teardown,
};
