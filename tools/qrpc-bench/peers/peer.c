// SPDX-License-Identifier: GPL-2.0
/*
 * The private state and payload buffer every peer keeps: made in setup,
 * before the fork, so that both processes have their own copy.
 */
#include <errno.h>
#include <stdlib.h>

#include "peer.h"

int peer_alloc(struct bench_env *env, size_t max_payload, size_t size)
{
	struct peer_state *p;

	if (max_payload && env->payload > max_payload)
		return -EMSGSIZE;
	p = calloc(1, size);
	if (!p)
		return -ENOMEM;
	/* calloc(1, 0) may return NULL: always ask for at least a byte. */
	p->buf = calloc(1, env->payload ? env->payload : 1);
	if (!p->buf) {
		free(p);
		return -ENOMEM;
	}
	env->priv = p;
	return 0;
}

void peer_free(struct bench_env *env)
{
	struct peer_state *p = env->priv;

	if (!p)
		return;
	free(p->buf);
	free(p);
	env->priv = NULL;
}
