/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bump allocator for everything the front end builds.  The tree is
 * full of cross references (types point at typedefs, ACF attributes at
 * IDL nodes), so freeing node by node would need ownership rules; one
 * arena per compilation frees it all at once and never leaks.
 */
#ifndef QRPC_IDL_ARENA_H
#define QRPC_IDL_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;		/* bytes handed out, for statistics */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);

/* Zeroed memory; aborts the process only if malloc fails. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define arena_new(a, type) ((type *)arena_alloc((a), sizeof(type)))

#endif
