// SPDX-License-Identifier: GPL-2.0
/*
 * Setup and teardown of the shared region and private buffer that the
 * shared-memory peers (eventfd-shm, futex-shm, shm-spin, msg-ring) share;
 * see shm_link.h.
 */
#include <errno.h>

#include "shm_link.h"

int shm_link_setup(struct bench_env *env, size_t max_payload,
		   size_t ctl_size, size_t size)
{
	struct shm_link *l;
	int ret = peer_alloc(env, max_payload, size);

	if (ret)
		return ret;
	l = env->priv;
	l->shm_size = ctl_size + env->payload;
	if (!l->shm_size)
		l->shm_size = 1;
	l->shm = bench_shared_alloc(l->shm_size);
	if (!l->shm) {
		peer_free(env);
		return -ENOMEM;
	}
	l->data = (unsigned char *)l->shm + ctl_size;
	return 0;
}

void shm_link_teardown(struct bench_env *env)
{
	struct shm_link *l = env->priv;

	if (l)
		bench_shared_free(l->shm, l->shm_size);
	peer_free(env);
}
