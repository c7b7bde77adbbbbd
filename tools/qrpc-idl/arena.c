// SPDX-License-Identifier: GPL-2.0
/*
 * Chunked bump allocation.  Chunks grow geometrically so that a 5 MB
 * corpus file costs a few dozen mallocs; a request larger than a chunk
 * gets a chunk of its own.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_MIN_CHUNK	((size_t)64 * 1024)
#define ARENA_MAX_CHUNK	((size_t)4 * 1024 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, pos;
	max_align_t data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = 0;
}

static struct arena_chunk *arena_grow(struct arena *a, size_t need)
{
	size_t size = a->head ? a->head->size * 2 : ARENA_MIN_CHUNK;
	struct arena_chunk *c;

	if (size > ARENA_MAX_CHUNK)
		size = ARENA_MAX_CHUNK;
	if (size < need)
		size = need;
	c = malloc(sizeof(*c) + size);
	if (!c) {
		fputs("qrpc-idl: out of memory\n", stderr);
		abort();
	}
	c->size = size;
	c->pos = 0;
	c->next = a->head;
	a->head = c;
	return c;
}

/* Uninitialised: for callers that write every byte at once. */
static void *arena_alloc_raw(struct arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct arena_chunk *c = a->head;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (!size)
		size = align;
	if (!c || c->size - c->pos < size)
		c = arena_grow(a, size);
	p = (char *)c->data + c->pos;
	c->pos += size;
	a->used += size;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);

	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_raw(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): va_start just above; clang 14 misses it after the first file of a run
	va_end(ap);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
