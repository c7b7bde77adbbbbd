// SPDX-License-Identifier: GPL-2.0
/*
 * A chained hash table in the arena: never freed by itself, never
 * resized (the largest corpus compilation declares some 20k names).
 */
#include <string.h>

#include "symtab.h"

#define SYMTAB_BUCKETS 8192

struct sym {
	const char *name;
	void *value;
	struct sym *next;
};

struct symtab {
	struct arena *arena;
	struct sym *types[SYMTAB_BUCKETS];
	struct sym *tags[SYMTAB_BUCKETS];
};

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % SYMTAB_BUCKETS;
}

struct symtab *symtab_new(struct arena *a)
{
	struct symtab *s = arena_new(a, struct symtab);

	s->arena = a;
	return s;
}

static void add(struct arena *a, struct sym **tab, const char *name,
		void *value)
{
	struct sym *e = arena_new(a, struct sym);
	unsigned h = hash(name);

	e->name = name;
	e->value = value;
	e->next = tab[h];
	tab[h] = e;
}

static void *lookup(struct sym *const *tab, const char *name)
{
	for (struct sym *e = tab[hash(name)]; e; e = e->next)
		if (!strcmp(e->name, name))
			return e->value;
	return NULL;
}

void symtab_add(struct symtab *s, const char *name, struct decl *d)
{
	add(s->arena, s->types, name, d);
}

struct decl *symtab_lookup(const struct symtab *s, const char *name)
{
	return lookup(s->types, name);
}

void symtab_remove(struct symtab *s, const char *name)
{
	struct sym **pp = &s->types[hash(name)];

	for (; *pp; pp = &(*pp)->next) {
		if (!strcmp((*pp)->name, name)) {
			*pp = (*pp)->next;
			return;
		}
	}
}

void symtab_add_tag(struct symtab *s, const char *tag, struct tagged *t)
{
	add(s->arena, s->tags, tag, t);
}

struct tagged *symtab_lookup_tag(const struct symtab *s, const char *tag)
{
	return lookup(s->tags, tag);
}
