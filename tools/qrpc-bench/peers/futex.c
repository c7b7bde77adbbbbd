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
#include <sys/syscall.h>
#include <unistd.h>

#include "shm_link.h"

#define FUTEX_MAX_PAYLOAD	(1U << 20)

/* The control words ahead of the payload in the shared region. */
struct futex_shm {
	_Alignas(64) uint32_t	req;	/* last request the client posted */
	_Alignas(64) uint32_t	rep;	/* last request the server answered */
	_Alignas(64) unsigned char data[];
};

static int futex_setup(struct bench_env *env)
{
	return shm_link_setup(env, FUTEX_MAX_PAYLOAD, sizeof(struct futex_shm),
			      sizeof(struct shm_link));
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

/* The client posts requests and waits for replies; the server, the reverse. */
static int futex_notify(struct bench_env *env)
{
	struct shm_link *l = env->priv;
	struct futex_shm *shm = l->shm;

	return futex_post(l->server ? &shm->rep : &shm->req,
			  (uint32_t)l->seq);
}

static int futex_wait(struct bench_env *env)
{
	struct shm_link *l = env->priv;
	struct futex_shm *shm = l->shm;

	return futex_wait_for(l->server ? &shm->req : &shm->rep,
			      (uint32_t)l->seq);
}

static const struct shm_link_ops futex_ops = {
	.notify	= futex_notify,
	.wait	= futex_wait,
};

static int futex_serve(struct bench_env *env)
{
	return shm_link_serve(env, &futex_ops);
}

static int futex_ping(struct bench_env *env)
{
	return shm_link_ping(env, &futex_ops);
}

const struct rt_peer rt_futex_shm = {
	.name		= "futex-shm",
	.max_payload	= FUTEX_MAX_PAYLOAD,
	.setup		= futex_setup,
	.serve		= futex_serve,
	.ping		= futex_ping,
	.teardown	= shm_link_teardown,
};
