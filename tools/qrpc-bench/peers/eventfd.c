// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory for the payload, an eventfd each way for the wake-up: the
 * pattern of hand-rolled shared-memory RPC (and of vhost-style doorbells).
 * The kernel never copies the payload; what it costs is one eventfd write
 * and one blocking eventfd read per direction, so this isolates the price
 * of a syscall-based sleep and wake from that of moving the bytes.
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "shm_link.h"

/* Any size works; this only bounds the shared region. */
#define EFD_MAX_PAYLOAD	(1U << 20)

struct efd_state {
	struct shm_link	link;		/* no control words: payload only */
	int		to_server;
	int		to_client;
};

static int efd_setup(struct bench_env *env)
{
	struct efd_state *s;
	int ret = shm_link_setup(env, EFD_MAX_PAYLOAD, 0, sizeof(*s));

	if (ret)
		return ret;
	s = env->priv;
	s->to_client = -1;
	s->to_server = eventfd(0, EFD_CLOEXEC);
	if (s->to_server < 0)
		return -errno;
	s->to_client = eventfd(0, EFD_CLOEXEC);
	return s->to_client < 0 ? -errno : 0;
}

static int efd_notify(struct bench_env *env)
{
	struct efd_state *s = env->priv;
	int fd = s->link.server ? s->to_client : s->to_server;
	uint64_t one = 1;
	ssize_t n;

	do
		n = write(fd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

static int efd_wait(struct bench_env *env)
{
	struct efd_state *s = env->priv;
	int fd = s->link.server ? s->to_server : s->to_client;
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

static const struct shm_link_ops efd_ops = {
	.notify	= efd_notify,
	.wait	= efd_wait,
};

static int efd_serve(struct bench_env *env)
{
	return shm_link_serve(env, &efd_ops);
}

static int efd_ping(struct bench_env *env)
{
	return shm_link_ping(env, &efd_ops);
}

static void efd_teardown(struct bench_env *env)
{
	struct efd_state *s = env->priv;

	if (s) {
		if (s->to_server >= 0)
			close(s->to_server);
		if (s->to_client >= 0)
			close(s->to_client);
	}
	shm_link_teardown(env);
}

const struct rt_peer rt_eventfd_shm = {
	.name		= "eventfd-shm",
	.max_payload	= EFD_MAX_PAYLOAD,
	.setup		= efd_setup,
	.serve		= efd_serve,
	.ping		= efd_ping,
	.teardown	= efd_teardown,
};
