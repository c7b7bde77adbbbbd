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
#include <sys/wait.h>
#include <unistd.h>

#include "shm_link.h"

#define SPIN_MAX_PAYLOAD	(1U << 20)
/*
 * Spins between looks at whether the other side is still there, so that a
 * dead peer does not leave a CPU spinning forever: rare enough to cost
 * nothing measurable (milliseconds apart), and never on the fast path.
 */
#define SPIN_CHECK_EVERY	(1U << 16)

/* The control words ahead of the payload in the shared region. */
struct spin_shm {
	_Alignas(64) uint64_t	req;	/* last request the client posted */
	_Alignas(64) uint64_t	rep;	/* last request the server answered */
	_Alignas(64) pid_t	server;	/* for the client's liveness check */
	_Alignas(64) unsigned char data[];
};

static int spin_setup(struct bench_env *env)
{
	return shm_link_setup(env, SPIN_MAX_PAYLOAD, sizeof(struct spin_shm),
			      sizeof(struct shm_link));
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

static int peer_gone(struct bench_env *env)
{
	struct shm_link *l = env->priv;
	struct spin_shm *shm = l->shm;

	if (l->server)
		return client_gone(env);
	return server_gone(__atomic_load_n(&shm->server, __ATOMIC_RELAXED));
}

/* The client posts requests and waits for replies; the server, the reverse. */
static int spin_notify(struct bench_env *env)
{
	struct shm_link *l = env->priv;
	struct spin_shm *shm = l->shm;

	__atomic_store_n(l->server ? &shm->rep : &shm->req, l->seq,
			 __ATOMIC_RELEASE);
	return 0;
}

static int spin_wait(struct bench_env *env)
{
	struct shm_link *l = env->priv;
	struct spin_shm *shm = l->shm;
	const uint64_t *word = l->server ? &shm->req : &shm->rep;
	uint64_t want = l->seq;
	unsigned int n;

	for (n = 1; __atomic_load_n(word, __ATOMIC_ACQUIRE) != want; n++) {
		__builtin_ia32_pause();
		if (!(n % SPIN_CHECK_EVERY) && peer_gone(env))
			return -EPIPE;
	}
	return 0;
}

static const struct shm_link_ops spin_ops = {
	.notify	= spin_notify,
	.wait	= spin_wait,
};

static int spin_serve(struct bench_env *env)
{
	struct shm_link *l = env->priv;
	struct spin_shm *shm = l->shm;

	shm->server = getpid();
	return shm_link_serve(env, &spin_ops);
}

static int spin_ping(struct bench_env *env)
{
	return shm_link_ping(env, &spin_ops);
}

const struct rt_peer rt_shm_spin = {
	.name		= "shm-spin",
	.max_payload	= SPIN_MAX_PAYLOAD,
	.setup		= spin_setup,
	.serve		= spin_serve,
	.ping		= spin_ping,
	.teardown	= shm_link_teardown,
};
