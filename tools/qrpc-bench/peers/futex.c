// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory and futexes: the cheapest blocking hand-off two processes
 * can build themselves, and what a userspace RPC library would use.  A
 * request and a reply sequence word live on their own cache lines next to
 * the payload; each side publishes with a release store and FUTEX_WAKE,
 * and waits with FUTEX_WAIT only, never spinning first, so that every
 * round trip pays for a sleep and a cross-CPU wake-up: the same path a
 * blocking call through the kernel takes, minus the kernel's copy.
 *
 * The futexes are shared (not FUTEX_PRIVATE_FLAG): the words sit in a
 * MAP_SHARED mapping used by two processes.  The waker always calls
 * FUTEX_WAKE rather than tracking whether anyone sleeps: by the time the
 * other CPU answers, the waiter has nearly always gone to sleep anyway.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../bench.h"

#define FUTEX_MAX_PAYLOAD	(1U << 20)

struct futex_shm {
	_Alignas(64) uint32_t	req;	/* last request the client posted */
	_Alignas(64) uint32_t	rep;	/* last request the server answered */
	_Alignas(64) unsigned char data[];
};

struct futex_state {
	struct futex_shm	*shm;
	size_t			shm_size;
	uint32_t		seq;	/* this process's view of the count */
	void			*buf;
};

static int futex_setup(struct bench_env *env)
{
	struct futex_state *s;

	if (env->payload > FUTEX_MAX_PAYLOAD)
		return -EMSGSIZE;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	env->priv = s;
	s->buf = calloc(1, env->payload ? env->payload : 1);
	if (!s->buf)
		return -ENOMEM;
	s->shm_size = sizeof(*s->shm) + env->payload;
	s->shm = bench_shared_alloc(s->shm_size);
	return s->shm ? 0 : -ENOMEM;
}

static long sys_futex(uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* Sleep until *@word reads @want (sequence words only move forward). */
static int futex_wait_for(uint32_t *word, uint32_t want)
{
	uint32_t v;

	while ((v = __atomic_load_n(word, __ATOMIC_ACQUIRE)) != want) {
		if (sys_futex(word, FUTEX_WAIT, v) &&
		    errno != EAGAIN && errno != EINTR)
			return -errno;
	}
	return 0;
}

static int futex_post(uint32_t *word, uint32_t val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	return sys_futex(word, FUTEX_WAKE, 1) < 0 ? -errno : 0;
}

static int futex_serve(struct bench_env *env)
{
	struct futex_state *s = env->priv;
	unsigned long i;
	int ret = 0;

	bench_ready(env);
	for (i = 0; !ret && i < env->rounds; i++) {
		ret = futex_wait_for(&s->shm->req, ++s->seq);
		if (ret)
			break;
		memcpy(s->buf, s->shm->data, env->payload);
		memcpy(s->shm->data, s->buf, env->payload);
		ret = futex_post(&s->shm->rep, s->seq);
	}
	return ret;
}

static int futex_ping(struct bench_env *env)
{
	struct futex_state *s = env->priv;
	int ret;

	memcpy(s->shm->data, s->buf, env->payload);
	ret = futex_post(&s->shm->req, ++s->seq);
	if (!ret)
		ret = futex_wait_for(&s->shm->rep, s->seq);
	if (!ret)
		memcpy(s->buf, s->shm->data, env->payload);
	return ret;
}

static void futex_teardown(struct bench_env *env)
{
	struct futex_state *s = env->priv;

	if (!s)
		return;
	bench_shared_free(s->shm, s->shm_size);
	free(s->buf);
	free(s);
	env->priv = NULL;
}

const struct rt_peer rt_futex_shm = {
	.name		= "futex-shm",
	.max_payload	= FUTEX_MAX_PAYLOAD,
	.setup		= futex_setup,
	.serve		= futex_serve,
	.ping		= futex_ping,
	.teardown	= futex_teardown,
};
