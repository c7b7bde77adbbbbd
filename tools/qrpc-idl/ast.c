// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers over the tree: the attribute table and list handling.
 */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"

struct attr_entry {
	const char *name;
	enum attr_id id;
	enum attr_shape shape;
};

/* Sorted by name (attrs.def is kept sorted) for bsearch. */
static const struct attr_entry attr_table[] = {
#define ATTR(id, name, shape) { name, ATTR_##id, shape },
#include "attrs.def"
#undef ATTR
};

static int attr_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct attr_entry *)elem)->name);
}

enum attr_id attr_lookup(const char *name, enum attr_shape *shape)
{
	const struct attr_entry *e;

	e = bsearch(name, attr_table, sizeof(attr_table) / sizeof(attr_table[0]),
		    sizeof(attr_table[0]), attr_cmp);
	if (!e) {
		*shape = SHAPE_ANY;
		return ATTR_UNKNOWN;
	}
	*shape = e->shape;
	return e->id;
}

const char *attr_name(enum attr_id id)
{
	for (size_t i = 0; i < sizeof(attr_table) / sizeof(attr_table[0]); i++)
		if (attr_table[i].id == id)
			return attr_table[i].name;
	return "?";
}

struct attr *attr_find(struct attr *list, enum attr_id id)
{
	for (; list; list = list->next)
		if (list->id == id)
			return list;
	return NULL;
}

void attr_append(struct attr **list, struct attr *add)
{
	while (*list)
		list = &(*list)->next;
	*list = add;
}

const char *base_type_name(enum base_type b)
{
	static const char *const names[] = {
		[BT_VOID] = "void", [BT_CHAR] = "char", [BT_WCHAR] = "wchar_t",
		[BT_SMALL] = "small", [BT_SHORT] = "short", [BT_INT] = "int",
		[BT_LONG] = "long", [BT_HYPER] = "hyper",
		[BT_INT8] = "__int8", [BT_INT16] = "__int16",
		[BT_INT32] = "__int32", [BT_INT64] = "__int64",
		[BT_INT3264] = "__int3264", [BT_FLOAT] = "float",
		[BT_DOUBLE] = "double", [BT_BOOLEAN] = "boolean",
		[BT_BYTE] = "byte", [BT_HANDLE] = "handle_t",
		[BT_ERROR_STATUS] = "error_status_t",
	};

	if ((unsigned)b < sizeof(names) / sizeof(names[0]) && names[b])
		return names[b];
	return "?";
}

const char *expr_op_spelling(int op)
{
	/* The one-character operators, each followed by its terminator. */
	static const char singles[] = "!\0~\0-\0+\0*\0/\0%\0&\0|\0^\0<\0>\0.\0";

	switch (op) {
	case T_OROR: return "||";
	case T_ANDAND: return "&&";
	case T_EQ: return "==";
	case T_NE: return "!=";
	case T_LE: return "<=";
	case T_GE: return ">=";
	case T_SHL: return "<<";
	case T_SHR: return ">>";
	case T_ARROW: return "->";
	}
	for (size_t i = 0; i + 1 < sizeof(singles); i += 2)
		if (singles[i] == op)
			return &singles[i];
	return "?";
}
