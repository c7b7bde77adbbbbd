/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared-memory round trip that eventfd-shm, futex-shm, shm-spin and
 * msg-ring have in common: the payload travels in a MAP_SHARED region
 * made before the fork, copied in by the sender and out by the receiver as
 * a real RPC would, and only the way each side tells the other that the
 * region is theirs differs.  A mechanism supplies that as two hooks,
 * notify and wait, and keeps its own control words at the start of the
 * region, ahead of the payload.
 */
#ifndef QRPC_BENCH_SHM_LINK_H
#define QRPC_BENCH_SHM_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../bench.h"
#include "peer.h"

/* The first member of each shared-memory peer's state. */
struct shm_link {
	struct peer_state peer;		/* this process's own copy: buf */
	void		*shm;		/* shared: control words, then data */
	unsigned char	*data;		/* the payload, both ways */
	size_t		shm_size;
	uint64_t	seq;		/* round trips this process began */
	int		server;		/* set by shm_link_serve() */
};

struct shm_link_ops {
	/* Hand the region to the other side, for round link->seq. */
	int	(*notify)(struct bench_env *env);
	/* Wait until the other side hands it back, for round link->seq. */
	int	(*wait)(struct bench_env *env);
};

/*
 * Setup: as peer_alloc(), for a state that begins with a struct shm_link,
 * plus a shared region of @ctl_size bytes of control words (a multiple of
 * 64, so that the payload starts a cache line of its own) followed by the
 * payload.
 */
int shm_link_setup(struct bench_env *env, size_t max_payload,
		   size_t ctl_size, size_t size);
/* Free what shm_link_setup() made, after the mechanism's own. */
void shm_link_teardown(struct bench_env *env);

/*
 * The loops are inline so that each peer calls its hooks directly: on
 * shm-spin a round trip is little more than two cache-line transfers,
 * and indirect calls would be a visible part of it.
 */

/* Server: say we are ready and answer env->rounds round trips. */
static inline int shm_link_serve(struct bench_env *env,
				 const struct shm_link_ops *ops)
{
	struct shm_link *l = env->priv;
	unsigned long i;
	int ret = 0;

	l->server = 1;
	bench_ready(env);
	for (i = 0; !ret && i < env->rounds; i++) {
		l->seq++;
		ret = ops->wait(env);
		if (ret)
			break;
		memcpy(l->peer.buf, l->data, env->payload);
		memcpy(l->data, l->peer.buf, env->payload);
		ret = ops->notify(env);
	}
	return ret;
}

/* Client: one round trip. */
static inline int shm_link_ping(struct bench_env *env,
				const struct shm_link_ops *ops)
{
	struct shm_link *l = env->priv;
	int ret;

	l->seq++;
	memcpy(l->data, l->peer.buf, env->payload);
	ret = ops->notify(env);
	if (!ret)
		ret = ops->wait(env);
	if (!ret)
		memcpy(l->peer.buf, l->data, env->payload);
	return ret;
}

#endif /* QRPC_BENCH_SHM_LINK_H */
