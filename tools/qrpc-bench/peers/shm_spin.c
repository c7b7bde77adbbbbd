// SPDX-License-Identifier: GPL-2.0
/*
 * The floor: shared memory with both sides busy-polling, no kernel at all
 * on the path.  A request and a reply sequence word sit on separate cache
 * lines so that each line only ever has one writer; the payload is copied
 * in and out as a real RPC would.  What remains is the cost of moving two
 * (or a few) cache lines between the CPUs and back, which no mechanism
 * that crosses processes can beat; it is the reference the others are
 * read against, bought with two CPUs burnt at 100%.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../bench.h"

#define SPIN_MAX_PAYLOAD	(1U << 20)
/*
 * Spins between looks at whether the other side is still there, so that a
 * dead peer does not leave a CPU spinning forever: rare enough to cost
 * nothing measurable (milliseconds apart), and never on the fast path.
 */
#define SPIN_CHECK_EVERY	(1U << 16)

struct spin_shm {
	_Alignas(64) uint64_t	req;	/* last request the client posted */
	_Alignas(64) uint64_t	rep;	/* last request the server answered */
	_Alignas(64) pid_t	server;	/* for the client's liveness check */
	_Alignas(64) unsigned char data[];
};

struct spin_state {
	struct spin_shm	*shm;
	size_t		shm_size;
	uint64_t	seq;
	void		*buf;
};

static int spin_setup(struct bench_env *env)
{
	struct spin_state *s;

	if (env->payload > SPIN_MAX_PAYLOAD)
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

/* Server: the client closes stop_fd when done, or dies and it closes. */
static int client_gone(struct bench_env *env)
{
	struct pollfd pfd = { .fd = env->stop_fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

/* Client: has the server exited?  It stays a zombie until reaped. */
static int server_gone(pid_t pid)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return errno == ECHILD;
	return si.si_pid == pid;
}

static int spin_serve(struct bench_env *env)
{
	struct spin_state *s = env->priv;
	struct spin_shm *shm = s->shm;
	unsigned long i;
	unsigned int n;

	shm->server = getpid();
	bench_ready(env);
	for (i = 1; i <= env->rounds; i++) {
		for (n = 1; __atomic_load_n(&shm->req, __ATOMIC_ACQUIRE) != i;
		     n++) {
			__builtin_ia32_pause();
			if (!(n % SPIN_CHECK_EVERY) && client_gone(env))
				return -EPIPE;
		}
		memcpy(s->buf, shm->data, env->payload);
		memcpy(shm->data, s->buf, env->payload);
		__atomic_store_n(&shm->rep, i, __ATOMIC_RELEASE);
	}
	return 0;
}

static int spin_ping(struct bench_env *env)
{
	struct spin_state *s = env->priv;
	struct spin_shm *shm = s->shm;
	uint64_t seq = ++s->seq;
	unsigned int n;

	memcpy(shm->data, s->buf, env->payload);
	__atomic_store_n(&shm->req, seq, __ATOMIC_RELEASE);
	for (n = 1; __atomic_load_n(&shm->rep, __ATOMIC_ACQUIRE) != seq; n++) {
		__builtin_ia32_pause();
		if (!(n % SPIN_CHECK_EVERY) &&
		    server_gone(__atomic_load_n(&shm->server, __ATOMIC_RELAXED)))
			return -EPIPE;
	}
	memcpy(s->buf, shm->data, env->payload);
	return 0;
}

static void spin_teardown(struct bench_env *env)
{
	struct spin_state *s = env->priv;

	if (!s)
		return;
	bench_shared_free(s->shm, s->shm_size);
	free(s->buf);
	free(s);
	env->priv = NULL;
}

const struct rt_peer rt_shm_spin = {
	.name		= "shm-spin",
	.max_payload	= SPIN_MAX_PAYLOAD,
	.setup		= spin_setup,
	.serve		= spin_serve,
	.ping		= spin_ping,
	.teardown	= spin_teardown,
};
