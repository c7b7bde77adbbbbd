// SPDX-License-Identifier: GPL-2.0
/*
 * The semantic checks' driver: walk the main file's declarations, hand
 * each to the checks for its kind, and find names defined twice.  Also
 * the type questions the checks share (check_int.h).
 *
 * Imported files are not checked: they are declared, not generated,
 * and the front end already lets them use names it does not know.
 * WinRT items (namespaces, runtime classes, delegates...) follow rules
 * of their own that MIDL 3 checks and we do not generate; they are
 * skipped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_int.h"

/* ---- a set of pointers and a map of names, for "seen before?" ---- */

struct ptr_set {
	const void **slot;
	size_t cap, n;
};

static size_t ptr_hash(const void *p, size_t cap)
{
	return ((uintptr_t)p >> 4) * 2654435761u % cap;
}

/* True the first time @p is seen (and on allocation failure). */
bool check_visit_once(struct check *c, const void *p)
{
	struct ptr_set *s = c->seen;
	size_t i;

	if (s->n * 2 >= s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		const void **ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return true;
		for (size_t j = 0; j < s->cap; j++) {
			if (!s->slot[j])
				continue;
			i = ptr_hash(s->slot[j], ncap);
			while (ns[i])
				i = (i + 1) % ncap;
			ns[i] = s->slot[j];
		}
		free(s->slot);
		s->slot = ns;
		s->cap = ncap;
	}
	for (i = ptr_hash(p, s->cap); s->slot[i]; i = (i + 1) % s->cap)
		if (s->slot[i] == p)
			return false;
	s->slot[i] = p;
	s->n++;
	return true;
}

struct name_ent {
	const char *name;
	const struct src_loc *loc;
	struct name_ent *next;
};

#define NAME_BUCKETS 1024

struct name_map {
	struct name_ent *b[NAME_BUCKETS];
};

static unsigned name_hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % NAME_BUCKETS;
}

/* Add @name; returns the earlier entry's location if there was one. */
static const struct src_loc *name_add(struct name_map *m, const char *name,
				      const struct src_loc *loc)
{
	unsigned h = name_hash(name);
	struct name_ent *e;

	for (e = m->b[h]; e; e = e->next)
		if (!strcmp(e->name, name))
			return e->loc;
	e = malloc(sizeof(*e));
	if (!e)
		return NULL;
	e->name = name;
	e->loc = loc;
	e->next = m->b[h];
	m->b[h] = e;
	return NULL;
}

static void name_map_free(struct name_map *m)
{
	for (unsigned i = 0; i < NAME_BUCKETS; i++) {
		struct name_ent *e = m->b[i], *n;

		for (; e; e = n) {
			n = e->next;
			free(e);
		}
	}
	free(m);
}

/* ---- types ---- */

const struct type *type_strip(const struct type *t)
{
	/* The bound only guards against a cycle the parser let through. */
	for (unsigned n = 0; t && t->kind == TYPE_NAMED && n < 64; n++) {
		if (!t->decl || t->decl->kind != DECL_TYPEDEF ||
		    !t->decl->type)
			break;
		t = t->decl->type;
	}
	return t;
}

struct attr *type_attr(const struct type *t, enum attr_id id)
{
	for (unsigned n = 0; t && t->kind == TYPE_NAMED && n < 64; n++) {
		struct attr *a;

		if (!t->decl || t->decl->kind != DECL_TYPEDEF)
			break;
		a = attr_find(t->decl->attrs, id);
		if (a)
			return a;
		t = t->decl->type;
	}
	return NULL;
}

bool type_named(const struct type *t, const char *name)
{
	for (unsigned n = 0; t && t->kind == TYPE_NAMED && n < 64; n++) {
		if (t->name && !strcmp(t->name, name))
			return true;
		if (!t->decl || t->decl->kind != DECL_TYPEDEF)
			break;
		t = t->decl->type;
	}
	return false;
}

bool type_known(const struct type *t)
{
	t = type_strip(t);
	if (!t)
		return false;
	if (t->kind != TYPE_NAMED)
		return true;
	return t->decl && (t->decl->kind == DECL_INTERFACE ||
			   t->decl->kind == DECL_DISPINTERFACE ||
			   t->decl->kind == DECL_COCLASS);
}

bool type_is_void(const struct type *t)
{
	t = type_strip(t);
	return t && t->kind == TYPE_BASE && t->base == BT_VOID;
}

bool type_is_integer(const struct type *t)
{
	t = type_strip(t);
	if (!t)
		return false;
	if (t->kind == TYPE_ENUM)
		return true;
	if (t->kind != TYPE_BASE)
		return false;
	switch (t->base) {
	case BT_VOID:
	case BT_FLOAT:
	case BT_DOUBLE:
	case BT_HANDLE:
		return false;
	default:
		return true;
	}
}

bool type_is_char(const struct type *t)
{
	t = type_strip(t);
	return t && t->kind == TYPE_BASE &&
	       (t->base == BT_CHAR || t->base == BT_WCHAR ||
		t->base == BT_BYTE);
}

bool type_is_pointer(const struct type *t)
{
	t = type_strip(t);
	return t && (t->kind == TYPE_POINTER || t->kind == TYPE_ARRAY);
}

bool type_is_handle_t(const struct type *t)
{
	t = type_strip(t);
	return t && t->kind == TYPE_BASE && t->base == BT_HANDLE;
}

bool type_is_context_handle(const struct type *t)
{
	return type_attr(t, ATTR_CONTEXT_HANDLE) != NULL;
}

bool type_is_interface_ptr(const struct type *t)
{
	t = type_strip(t);
	if (!t || t->kind != TYPE_POINTER)
		return false;
	t = type_strip(t->sub);
	return t && t->kind == TYPE_NAMED && t->decl &&
	       (t->decl->kind == DECL_INTERFACE ||
		t->decl->kind == DECL_DISPINTERFACE);
}

bool param_in(const struct param *p)
{
	return attr_find(p->attrs, ATTR_IN) || !attr_find(p->attrs, ATTR_OUT);
}

bool param_out(const struct param *p)
{
	return attr_find(p->attrs, ATTR_OUT) != NULL;
}

void check_wire(struct check *c, const struct src_loc *loc, int midl,
		const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): va_start just above; clang 14 misses it after the first file of a run
	va_end(ap);
	if (c->object)
		diag_warning(c->d, loc, W_GENERAL, midl, "%s", buf);
	else
		diag_error(c->d, loc, midl, "%s", buf);
}

/* ---- the walk ---- */

struct walk {
	struct check *c;
	struct name_map *types;		/* type and interface names */
	struct name_map *values;	/* enumerators and constants */
};

static void redefinition(struct check *c, const struct src_loc *loc,
			 const struct src_loc *prev, const char *what,
			 const char *name)
{
	diag_error(c->d, loc, 2003, "redefinition of %s '%s'", what, name);
	diag_note(c->d, prev, "previous definition of '%s' is here", name);
}

static void note_type_name(struct walk *w, const char *name,
			   const struct src_loc *loc)
{
	const struct src_loc *prev;

	if (!name)
		return;
	prev = name_add(w->types, name, loc);
	if (prev)
		redefinition(w->c, loc, prev, "type", name);
}

static void note_value_name(struct walk *w, const char *name,
			    const struct src_loc *loc)
{
	const struct src_loc *prev;

	if (!name)
		return;
	prev = name_add(w->values, name, loc);
	if (prev)
		redefinition(w->c, loc, prev, "constant", name);
}

static void walk_type(struct walk *w, const struct type *t);

static void walk_enum(struct walk *w, struct tagged *g)
{
	for (struct enumerator *e = g->values; e; e = e->next) {
		check_attr_places(w->c, e->attrs, PL_ENUMERATOR);
		note_value_name(w, e->name, &e->loc);
	}
}

static void walk_params(struct walk *w, const struct type *fn)
{
	for (struct param *p = fn->params; p; p = p->next) {
		check_attr_places(w->c, p->attrs, PL_PARAM);
		walk_type(w, p->type);
	}
}

static void walk_fields(struct walk *w, struct tagged *g, bool is_union)
{
	for (struct field *f = g->fields; f; f = f->next) {
		check_attr_places(w->c, f->attrs,
				  is_union ? PL_ARM : PL_FIELD);
		if (f->type)
			walk_type(w, f->type);
	}
	if (g->switch_field && g->switch_field->type)
		walk_type(w, g->switch_field->type);
	check_fields(w->c, g, is_union);
}

/* Struct, union and enum bodies defined somewhere inside @t. */
static void walk_type(struct walk *w, const struct type *t)
{
	for (unsigned depth = 0; t && depth < 256; depth++) {
		switch (t->kind) {
		case TYPE_STRUCT:
		case TYPE_UNION:
		case TYPE_ENUM:
			if (!t->tagged || !t->tagged->defined ||
			    t->tagged->imported ||
			    !check_visit_once(w->c, t->tagged))
				return;
			if (t->kind == TYPE_ENUM)
				walk_enum(w, t->tagged);
			else
				walk_fields(w, t->tagged,
					    t->kind == TYPE_UNION);
			return;
		case TYPE_FUNCTION:
			walk_params(w, t);
			t = t->sub;
			break;
		case TYPE_POINTER:
		case TYPE_ARRAY:
		case TYPE_PIPE:
		case TYPE_SAFEARRAY:
			t = t->sub;
			break;
		default:
			return;
		}
	}
}

static bool is_object(const struct decl *x)
{
	return attr_find(x->attrs, ATTR_OBJECT) ||
	       attr_find(x->attrs, ATTR_ODL);
}

static bool is_prop(const struct decl *fn)
{
	return attr_find(fn->attrs, ATTR_PROPGET) ||
	       attr_find(fn->attrs, ATTR_PROPPUT) ||
	       attr_find(fn->attrs, ATTR_PROPPUTREF);
}

/*
 * Two procedures of one name: an error, except for the property
 * accessors of COM, where [propget] and [propput] X are one property.
 * Wine's IDL sometimes forgets the [propget] of the pair (cdosys,
 * wmp), so one accessor is enough to pass.
 */
static void check_dup_procs(struct check *c, struct decl *body)
{
	for (struct decl *a = body; a; a = a->next) {
		if (a->kind != DECL_FUNC || !a->name)
			continue;
		for (struct decl *b = body; b != a; b = b->next) {
			if (b->kind != DECL_FUNC || !b->name ||
			    strcmp(a->name, b->name) != 0)
				continue;
			if (is_prop(a) || is_prop(b))
				continue;
			redefinition(c, &a->loc, &b->loc, "procedure",
				     a->name);
			break;
		}
	}
}

static void walk_items(struct walk *w, struct decl *list, enum place scope);

static void walk_func(struct walk *w, struct decl *x, enum place where)
{
	check_attr_places(w->c, x->attrs, where);
	if (!x->type || x->type->kind != TYPE_FUNCTION)
		return;
	walk_type(w, x->type);
	check_params(w->c, x);
	check_remote_types(w->c, x);
	check_proc_flags(w->c, x);
}

static void walk_interface(struct walk *w, struct decl *x, enum place where)
{
	struct check *c = w->c;
	struct decl *saved = c->iface;
	bool saved_object = c->object;

	check_attr_places(c, x->attrs, where);
	if (!x->defined)
		return;
	note_type_name(w, x->name, &x->loc);
	c->iface = x;
	c->object = is_object(x);
	c->pd_warned = false;
	check_interface_async(c, x);
	check_dup_procs(c, x->body);
	walk_items(w, x->body, x->kind == DECL_DISPINTERFACE ?
		   PL_DISPINTERFACE : PL_INTERFACE);
	c->iface = saved;
	c->object = saved_object;
	c->pd_warned = false;
}

static void walk_items(struct walk *w, struct decl *list, enum place scope)
{
	struct check *c = w->c;

	for (struct decl *x = list; x; x = x->next) {
		if (diag_stopped(c->d))
			return;
		if (x->imported || x->ns)
			continue;
		switch (x->kind) {
		case DECL_INTERFACE:
		case DECL_DISPINTERFACE:
			walk_interface(w, x, scope == PL_COCLASS ?
				       PL_IFACE_REF :
				       x->kind == DECL_INTERFACE ?
				       PL_INTERFACE : PL_DISPINTERFACE);
			break;
		case DECL_COCLASS:
			check_attr_places(c, x->attrs, PL_COCLASS);
			if (!x->defined)
				break;
			note_type_name(w, x->name, &x->loc);
			walk_items(w, x->body, PL_COCLASS);
			break;
		case DECL_LIBRARY:
			check_attr_places(c, x->attrs, PL_LIBRARY);
			walk_items(w, x->body, PL_LIBRARY);
			break;
		case DECL_MODULE:
			check_attr_places(c, x->attrs, PL_MODULE);
			walk_items(w, x->body, PL_MODULE);
			break;
		case DECL_TYPEDEF:
			check_attr_places(c, x->attrs, PL_TYPEDEF);
			note_type_name(w, x->name, &x->loc);
			walk_type(w, x->type);
			check_typedef(c, x);
			break;
		case DECL_TYPE:
			check_attr_places(c, x->attrs, PL_TYPE);
			walk_type(w, x->type);
			break;
		case DECL_CONST:
			check_attr_places(c, x->attrs, PL_CONST);
			note_value_name(w, x->name, &x->loc);
			break;
		case DECL_FUNC:
			walk_func(w, x, PL_PROC);
			break;
		case DECL_VAR:
			check_attr_places(c, x->attrs, PL_PROPERTY);
			walk_type(w, x->type);
			break;
		default:
			/* Imports, pragmas, cpp_quote; WinRT blocks. */
			break;
		}
	}
}

int check_run(struct ast *ast, struct diag *d)
{
	struct check c = {
		.ast = ast,
		.d = d,
		.errors_before = d->errors,
	};
	struct ptr_set seen = { 0 };
	struct walk w = { .c = &c };

	if (!ast->main)
		return 0;
	c.seen = &seen;
	w.types = calloc(1, sizeof(*w.types));
	w.values = calloc(1, sizeof(*w.values));
	if (w.types && w.values) {
		walk_items(&w, ast->main->decls, PL__COUNT);
	}
	if (w.types)
		name_map_free(w.types);
	if (w.values)
		name_map_free(w.values);
	free(seen.slot);
	return d->errors > c.errors_before ? -1 : 0;
}
