/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every peer's private state starts with: the process's own copy of
 * the payload, made and freed the same way for all of them.
 */
#ifndef QRPC_BENCH_PEER_H
#define QRPC_BENCH_PEER_H

#include <stddef.h>

#include "../bench.h"

struct peer_state {
	void	*buf;		/* env->payload bytes (at least one) */
};

/*
 * Set env->priv to a zeroed state of @size bytes, which begins with a
 * struct peer_state, and give it a zeroed buffer.  0, -EMSGSIZE if the
 * payload is over @max_payload (0: any), or -ENOMEM; on failure nothing
 * is left allocated.
 */
int peer_alloc(struct bench_env *env, size_t max_payload, size_t size);
/* Free what peer_alloc() made; env->priv may be NULL. */
void peer_free(struct bench_env *env);

#endif /* QRPC_BENCH_PEER_H */
