/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of types, so that the parser can tell a cast "(T)x" from a
 * parenthesised expression and point at the declaration a TYPE_NAMED
 * refers to.  IDL has one scope; WinRT generic parameters shadow names
 * while their interface is parsed, hence symtab_remove().  Struct,
 * union and enum tags live in a table of their own, as in C.
 */
#ifndef QRPC_IDL_SYMTAB_H
#define QRPC_IDL_SYMTAB_H

#include "arena.h"

struct decl;
struct tagged;
struct symtab;

struct symtab *symtab_new(struct arena *a);
/* A later binding of the same name shadows the earlier one. */
void symtab_add(struct symtab *s, const char *name, struct decl *d);
struct decl *symtab_lookup(const struct symtab *s, const char *name);
/* Drop the latest binding of @name, revealing any earlier one. */
void symtab_remove(struct symtab *s, const char *name);

void symtab_add_tag(struct symtab *s, const char *tag, struct tagged *t);
struct tagged *symtab_lookup_tag(const struct symtab *s, const char *tag);

#endif
