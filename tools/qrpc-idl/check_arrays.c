// SPDX-License-Identifier: GPL-2.0
/*
 * What the marshalling needs to be able to do its job: directions and
 * pointers of parameters, the size and length attributes of arrays,
 * strings, union discriminants, context handles and handle_t, and the
 * shape of structs.  Numbers from MIDL's error list.
 *
 * Checks that only matter for data that crosses the wire (MIDL2042,
 * 2121, 2143, 2147, 2180, context handle placement) apply to remote
 * procedures: those of an RPC or COM interface that is not [local].
 * Dispinterface, module and [local] methods are only declared.
 */
#include <string.h>

#include "check_int.h"

/* ---- helpers ---- */

static const char *pname(const struct param *p)
{
	return p->name ? p->name : "";
}

static bool is_remote(const struct check *c, const struct decl *fn)
{
	return c->iface && c->iface->kind == DECL_INTERFACE &&
	       !attr_find(c->iface->attrs, ATTR_LOCAL) &&
	       !attr_find(fn->attrs, ATTR_LOCAL);
}

/* The pointer attribute of a list, after reporting extra ones. */
static struct attr *one_ptr_attr(struct check *c, struct attr *list)
{
	struct attr *first = NULL;

	for (struct attr *a = list; a; a = a->next) {
		if (a->id != ATTR_REF && a->id != ATTR_UNIQUE &&
		    a->id != ATTR_PTR)
			continue;
		if (!first) {
			first = a;
			continue;
		}
		diag_error(c->d, &a->loc, 2163,
			   "[%s] after [%s]: at most one pointer attribute may be given",
			   a->name, first->name);
	}
	return first;
}

/* The pointer kind of the outermost pointer of a parameter or field. */
static enum attr_id outer_ptr_kind(struct attr *own, const struct type *t)
{
	for (struct attr *a = own; a; a = a->next)
		if (a->id == ATTR_REF || a->id == ATTR_UNIQUE ||
		    a->id == ATTR_PTR)
			return a->id;
	if (t && t->kind == TYPE_NAMED) {
		if (type_attr(t, ATTR_REF))
			return ATTR_REF;
		if (type_attr(t, ATTR_UNIQUE))
			return ATTR_UNIQUE;
		if (type_attr(t, ATTR_PTR))
			return ATTR_PTR;
	}
	return ATTR_UNKNOWN;
}

/* A non-encapsulated union, seen through typedefs and pointers. */
static const struct type *bare_union(const struct type *t)
{
	for (unsigned n = 0; t && n < 16; n++) {
		const struct type *s;

		/* Converted types marshal as their wire type. */
		if (type_attr(t, ATTR_WIRE_MARSHAL) ||
		    type_attr(t, ATTR_TRANSMIT_AS) ||
		    type_attr(t, ATTR_USER_MARSHAL) ||
		    type_attr(t, ATTR_REPRESENT_AS))
			return NULL;
		s = type_strip(t);
		if (!s)
			return NULL;
		if (s->kind == TYPE_UNION)
			return s->tagged && !s->tagged->encapsulated ? s :
			       NULL;
		if (s->kind != TYPE_POINTER && s->kind != TYPE_ARRAY)
			return NULL;
		t = s->sub;
	}
	return NULL;
}

/* Any union at all under pointers: what [switch_is] may go on. */
static bool has_union(const struct type *t)
{
	for (unsigned n = 0; t && n < 16; n++) {
		const struct type *s = type_strip(t);

		if (!s || !type_known(s))
			return true;	/* unknown: no opinion */
		if (s->kind == TYPE_UNION)
			return true;
		if (s->kind != TYPE_POINTER && s->kind != TYPE_ARRAY)
			return false;
		t = s->sub;
	}
	return false;
}

/* The element a [string] describes: below pointers and arrays. */
static const struct type *string_elem(const struct type *t)
{
	const struct type *s = type_strip(t);

	for (unsigned n = 0; s && n < 16; n++) {
		if (s->kind != TYPE_POINTER && s->kind != TYPE_ARRAY)
			return s;
		s = type_strip(s->sub);
	}
	return s;
}

static bool string_ok(const struct type *t)
{
	const struct type *e = string_elem(t);

	if (!e || !type_known(e))
		return true;
	if (e->kind == TYPE_STRUCT)
		return true;	/* MIDL allows byte-only structs */
	if (e->kind != TYPE_BASE)
		return false;
	switch (e->base) {
	case BT_CHAR:
	case BT_WCHAR:
	case BT_BYTE:
	case BT_SMALL:
	case BT_INT8:
	case BT_BOOLEAN:
	/* unsigned short: the wide character of DCE and old headers */
	case BT_SHORT:
	case BT_INT16:
		return true;
	default:
		return false;
	}
}

/* Below every pointer and array: IAsyncManager for IAsyncManager **. */
static const struct type *pointee(const struct type *t)
{
	for (unsigned n = 0; t && n < 16; n++) {
		const struct type *s = type_strip(t);

		if (!s || (s->kind != TYPE_POINTER && s->kind != TYPE_ARRAY))
			return t;
		t = s->sub;
	}
	return t;
}

/* ---- size, length and discriminant expressions ---- */

/* What names in an attribute expression refer to. */
struct scope {
	struct param *params;	/* of the procedure, or NULL */
	struct field *fields;	/* sibling fields, or NULL */
};

static const struct type int_type = { .kind = TYPE_BASE, .base = BT_LONG };
static const struct type float_type = {
	.kind = TYPE_BASE, .base = BT_DOUBLE
};

static const struct type *lookup_name(const struct scope *s, const char *n,
				      struct param **as_param)
{
	for (struct param *p = s->params; p; p = p->next)
		if (p->name && !strcmp(p->name, n)) {
			*as_param = p;
			return p->type;
		}
	for (struct field *f = s->fields; f; f = f->next)
		if (f->name && !strcmp(f->name, n))
			return f->type;
	return NULL;
}

struct expr_info {
	const struct type *type;	/* NULL: unknown, assume fine */
	struct param *out_only;		/* an [out]-only parameter used */
};

static void expr_info(const struct scope *s, const struct expr *e,
		      struct expr_info *r, unsigned depth)
{
	struct expr_info a = { 0 }, b = { 0 };
	const struct type *t;
	struct param *p = NULL;

	r->type = NULL;
	if (!e || depth > 64)
		return;
	switch (e->kind) {
	case EXPR_INT:
	case EXPR_CHAR:
	case EXPR_SIZEOF:
		r->type = &int_type;
		return;
	case EXPR_FLOAT:
		r->type = &float_type;
		return;
	case EXPR_IDENT:
		t = lookup_name(s, e->str, &p);
		if (p && param_out(p) && !attr_find(p->attrs, ATTR_IN))
			r->out_only = p;
		r->type = t;
		return;
	case EXPR_UNARY:
		expr_info(s, e->a, &a, depth + 1);
		r->out_only = a.out_only;
		if (e->op == '*') {
			t = type_strip(a.type);
			r->type = t && (t->kind == TYPE_POINTER ||
					t->kind == TYPE_ARRAY) ? t->sub : NULL;
		} else if (e->op != '&' && a.type) {
			r->type = a.type;
		}
		return;
	case EXPR_BINARY:
	case EXPR_COND:
		expr_info(s, e->kind == EXPR_COND ? e->b : e->a, &a,
			  depth + 1);
		expr_info(s, e->kind == EXPR_COND ? e->c : e->b, &b,
			  depth + 1);
		if (e->kind == EXPR_COND) {
			struct expr_info k = { 0 };

			expr_info(s, e->a, &k, depth + 1);
			if (k.out_only)
				r->out_only = k.out_only;
		}
		if (a.out_only)
			r->out_only = a.out_only;
		if (b.out_only)
			r->out_only = b.out_only;
		/* Comparisons and logic give ints; else a bad side wins. */
		if (a.type && type_known(a.type) && !type_is_integer(a.type))
			r->type = a.type;
		else if (b.type && type_known(b.type) &&
			 !type_is_integer(b.type))
			r->type = b.type;
		else
			r->type = a.type && b.type ? &int_type : NULL;
		return;
	case EXPR_CAST:
		expr_info(s, e->a, &a, depth + 1);
		r->out_only = a.out_only;
		r->type = e->type;
		return;
	default:
		return;
	}
}

static bool is_conformance(enum attr_id id)
{
	return id == ATTR_SIZE_IS || id == ATTR_MAX_IS || id == ATTR_MIN_IS;
}

static bool is_size_attr(enum attr_id id)
{
	return is_conformance(id) || id == ATTR_LENGTH_IS ||
	       id == ATTR_FIRST_IS || id == ATTR_LAST_IS;
}

/*
 * The size/length attributes and [string] of one parameter (@p) or
 * field (@p NULL) of type @t.
 */
static void check_sizes(struct check *c, struct attr *attrs,
			const struct type *t, const struct scope *s,
			struct param *p, bool remote)
{
	struct attr *size = attr_find(attrs, ATTR_SIZE_IS);
	struct attr *max = attr_find(attrs, ATTR_MAX_IS);
	struct attr *len = attr_find(attrs, ATTR_LENGTH_IS);
	struct attr *last = attr_find(attrs, ATTR_LAST_IS);
	struct attr *str = attr_find(attrs, ATTR_STRING);
	struct attr *sw = attr_find(attrs, ATTR_SWITCH_IS);
	bool is_in = remote && p && param_in(p);

	if (size && max)
		diag_error(c->d, &(size->loc.line > max->loc.line ||
				   (size->loc.line == max->loc.line &&
				    size->loc.col > max->loc.col) ?
				   size : max)->loc, 2077,
			   "[size_is] and [max_is] cannot both be given: size_is(n) is max_is(n - 1)");
	if (len && last)
		diag_error(c->d, &(len->loc.line > last->loc.line ||
				   (len->loc.line == last->loc.line &&
				    len->loc.col > last->loc.col) ?
				   len : last)->loc, 2076,
			   "[length_is] and [last_is] cannot both be given");
	if (str && len)
		diag_error(c->d, &len->loc, 2075,
			   "[length_is] cannot be used with [string]: a string's length is where its terminator is");
	if (str && !string_ok(t))
		diag_error(c->d, &str->loc, 2082,
			   "[string] applies to arrays of or pointers to char, wchar_t or byte");
	if (sw && !has_union(t))
		diag_error(c->d, &sw->loc, 0,
			   "[switch_is] applies to unions; '%s' is not one",
			   p ? pname(p) : "this field");
	for (struct attr *a = attrs; a; a = a->next) {
		if (!is_size_attr(a->id) && a->id != ATTR_SWITCH_IS)
			continue;
		for (struct attr_arg *g = a->args; g; g = g->next) {
			struct expr_info r = { 0 };

			if (g->kind != ARG_EXPR || !g->expr ||
			    g->expr->kind == EXPR_EMPTY)
				continue;
			expr_info(s, g->expr, &r, 0);
			if (r.type && type_known(r.type) &&
			    !type_is_integer(r.type))
				diag_error(c->d, &g->loc, 2174,
					   "the expression of [%s] must be an integer",
					   a->name);
			if (is_in && r.out_only && a->id != ATTR_SWITCH_IS)
				diag_error(c->d, &g->loc,
					   is_conformance(a->id) ? 2123 : 2124,
					   "[%s] of [in] parameter '%s' uses [out]-only parameter '%s', which the server does not receive",
					   a->name, pname(p), pname(r.out_only));
		}
	}
}

/* ---- parameters ---- */

static void check_param(struct check *c, struct decl *fn, struct param *p,
			bool remote)
{
	struct scope s = { .params = fn->type->params };
	struct attr *out = attr_find(p->attrs, ATTR_OUT);
	struct attr *a;
	const struct type *st = type_strip(p->type);
	bool out_only = out && !attr_find(p->attrs, ATTR_IN);
	enum attr_id pk;

	one_ptr_attr(c, p->attrs);
	check_sizes(c, p->attrs, p->type, &s, p, remote);
	a = attr_find(p->attrs, ATTR_ASYNC);
	if (a) {
		diag_error(c->d, &a->loc, 2354,
			   "[async] on parameter '%s' is the obsolete COM form (an IAsyncManager ** parameter) and is not supported; use [async_uuid] on the interface",
			   pname(p));
		if (!type_named(pointee(p->type), "IAsyncManager"))
			diag_note(c->d, &p->loc,
				  "[async] goes on procedures in the ACF");
	}
	if (!remote || !st)
		return;
	if (out && type_known(p->type) && !type_is_pointer(p->type) &&
	    st->kind != TYPE_PIPE && !type_is_context_handle(p->type))
		check_wire(c, &out->loc, 2042,
			   "[out] parameter '%s' must be a pointer", pname(p));
	if (out && (type_is_handle_t(p->type) ||
		    (st->kind == TYPE_POINTER && type_is_handle_t(st->sub))))
		diag_error(c->d, &out->loc, 2180,
			   "handle_t parameter '%s' cannot be [out]: handles are not transmitted",
			   pname(p));
	pk = outer_ptr_kind(p->attrs, p->type);
	if (out_only && st->kind == TYPE_POINTER &&
	    (pk == ATTR_UNIQUE || pk == ATTR_PTR)) {
		a = attr_find(p->attrs, pk);
		diag_error(c->d, a ? &a->loc : &p->loc, 2121,
			   "[out]-only parameter '%s' cannot be a [%s] pointer: the server has nothing to tell NULL from",
			   pname(p), attr_name(pk));
	}
	if (bare_union(p->type) && !attr_find(p->attrs, ATTR_SWITCH_IS))
		check_wire(c, &p->loc, 2143,
			   "parameter '%s' is a union without a discriminant; give it [switch_is]",
			   pname(p));
}

static void check_return(struct check *c, struct decl *fn)
{
	const struct type *ret = fn->type->sub;
	const struct type *s = type_strip(ret);

	one_ptr_attr(c, fn->attrs);
	if (s && s->kind == TYPE_POINTER &&
	    outer_ptr_kind(fn->attrs, ret) == ATTR_REF) {
		struct attr *a = attr_find(fn->attrs, ATTR_REF);

		diag_error(c->d, a ? &a->loc : &fn->loc, 2177,
			   "procedure '%s' cannot return a [ref] pointer",
			   fn->name);
	}
}

void check_params(struct check *c, struct decl *fn)
{
	bool remote = is_remote(c, fn);

	for (struct param *p = fn->type->params; p; p = p->next) {
		for (struct param *q = fn->type->params; q != p; q = q->next)
			if (p->name && q->name && !strcmp(p->name, q->name)) {
				diag_error(c->d, &p->loc, 2003,
					   "redefinition of parameter '%s'",
					   p->name);
				diag_note(c->d, &q->loc,
					  "previous definition of '%s' is here",
					  q->name);
				break;
			}
		check_param(c, fn, p, remote);
	}
	check_return(c, fn);
}

/* ---- struct and union bodies ---- */

static bool is_conformant_array(const struct type *t)
{
	return t && t->kind == TYPE_ARRAY &&
	       (!t->size || t->size->kind == EXPR_STAR);
}

/* Value of a case label, when it is a plain number. */
static bool case_value(const struct expr *e, int64_t *v)
{
	int64_t x;

	if (!e)
		return false;
	if (e->kind == EXPR_INT || e->kind == EXPR_CHAR) {
		*v = (int64_t)e->ival;
		return true;
	}
	if (e->kind == EXPR_UNARY && (e->op == '-' || e->op == '+') &&
	    case_value(e->a, &x)) {
		*v = e->op == '-' ? -x : x;
		return true;
	}
	return false;
}

static bool same_case(const struct expr *a, const struct expr *b)
{
	int64_t x, y;

	if (case_value(a, &x) && case_value(b, &y))
		return x == y;
	return a && b && a->kind == EXPR_IDENT && b->kind == EXPR_IDENT &&
	       !strcmp(a->str, b->str);
}

static void check_cases(struct check *c, struct tagged *g)
{
	struct case_label *dflt = NULL;

	for (struct field *f = g->fields; f; f = f->next) {
		for (struct case_label *l = f->cases; l; l = l->next) {
			if (!l->value) {
				if (dflt) {
					diag_error(c->d, &l->loc, 0,
						   "union has more than one default arm");
					diag_note(c->d, &dflt->loc,
						  "the first is here");
				}
				dflt = l;
				continue;
			}
			for (struct field *h = g->fields; h; h = h->next) {
				struct case_label *m;

				for (m = h->cases; m; m = m->next) {
					if (m == l)
						break;
					if (m->value &&
					    same_case(m->value, l->value))
						break;
				}
				if (m == l)
					goto next_label;
				if (m) {
					diag_error(c->d, &l->loc, 0,
						   "duplicate case value in union");
					diag_note(c->d, &m->loc,
						  "the value is first used here");
					goto next_label;
				}
			}
next_label:
			;
		}
	}
}

/*
 * Does struct @target come back through [ref] pointers from @t?  A ref
 * pointer is never NULL, so such a chain has no end (MIDL2164).
 */
static bool ref_reaches(const struct type *t, const struct tagged *target,
			bool ref_default, unsigned depth)
{
	const struct type *s = type_strip(t);

	if (!s || depth > 16)
		return false;
	if ((s->kind == TYPE_STRUCT || s->kind == TYPE_UNION) && s->tagged) {
		if (s->tagged == target)
			return true;
		for (struct field *f = s->tagged->fields; f; f = f->next) {
			const struct type *ft = type_strip(f->type);
			enum attr_id k;

			if (!ft)
				continue;
			if (ft->kind != TYPE_POINTER) {
				if (ft->kind == TYPE_STRUCT &&
				    ref_reaches(ft, target, ref_default,
						depth + 1))
					return true;
				continue;
			}
			k = outer_ptr_kind(f->attrs, f->type);
			if (k == ATTR_REF ||
			    (k == ATTR_UNKNOWN && ref_default))
				if (ref_reaches(ft->sub, target, ref_default,
						depth + 1))
					return true;
		}
	}
	return false;
}

static bool ref_default(const struct check *c)
{
	struct attr *pd = c->iface ? attr_find(c->iface->attrs,
					       ATTR_POINTER_DEFAULT) : NULL;

	return pd && pd->args && pd->args->kind == ARG_EXPR &&
	       pd->args->expr && pd->args->expr->kind == EXPR_IDENT &&
	       !strcmp(pd->args->expr->str, "ref");
}

/*
 * MIDL2038: an embedded pointer with no pointer attribute takes the
 * interface's [pointer_default]; an RPC interface without one gets
 * [unique], said once.  [object] and [local] interfaces default quietly.
 */
static void check_pointer_default(struct check *c, const struct field *f)
{
	const struct decl *i = c->iface;

	if (!i || c->object || c->pd_warned ||
	    attr_find(i->attrs, ATTR_POINTER_DEFAULT) ||
	    attr_find(i->attrs, ATTR_LOCAL) ||
	    outer_ptr_kind(f->attrs, f->type) != ATTR_UNKNOWN)
		return;
	c->pd_warned = true;
	diag_warning(c->d, &f->loc, W_GENERAL, 2038,
		     "interface '%s' has no [pointer_default]: embedded pointer '%s' is [unique]",
		     i->name, f->name);
}

void check_fields(struct check *c, struct tagged *g, bool is_union)
{
	struct scope s = { .fields = g->fields };

	for (struct field *f = g->fields; f; f = f->next) {
		const struct type *st = type_strip(f->type);

		if (!f->name || !f->type)
			continue;
		for (struct field *h = g->fields; h != f; h = h->next)
			if (h->name && !strcmp(h->name, f->name)) {
				diag_error(c->d, &f->loc, 2003,
					   "redefinition of field '%s'",
					   f->name);
				diag_note(c->d, &h->loc,
					  "previous definition of '%s' is here",
					  h->name);
				break;
			}
		one_ptr_attr(c, f->attrs);
		check_sizes(c, f->attrs, f->type, &s, NULL, false);
		if (type_is_context_handle(f->type) ||
		    attr_find(f->attrs, ATTR_CONTEXT_HANDLE))
			diag_error(c->d, &f->loc, 2135,
				   "field '%s' is a context handle; context handles can only be parameters or return values",
				   f->name);
		if (!is_union && f->next && is_conformant_array(f->type))
			diag_error(c->d, &f->loc, 0,
				   "conformant array '%s' must be the last field of the struct",
				   f->name);
		if (st && st->kind == TYPE_POINTER)
			check_pointer_default(c, f);
		if (st && st->kind == TYPE_POINTER && !is_union &&
		    g->tag && ref_reaches(st->sub, g, ref_default(c), 0)) {
			enum attr_id k = outer_ptr_kind(f->attrs, f->type);

			if (k == ATTR_REF || (k == ATTR_UNKNOWN &&
					      ref_default(c)))
				diag_error(c->d, &f->loc, 2164,
					   "field '%s' makes '%s' recursive through [ref] pointers, which cannot end; use [unique]",
					   f->name, g->tag);
		}
	}
	if (is_union)
		check_cases(c, g);
}

/*
 * Fields that hold a union need its discriminant ([switch_is]) where
 * the struct crosses the wire: MIDL2147.  Checked from the types of
 * remote parameters, so that C-only structs of [local] methods stay
 * free to hold plain unions.
 */
static void reach_unions(struct check *c, const struct type *t,
			 unsigned depth)
{
	const struct type *s;

	if (!t || depth > 32)
		return;
	if (type_attr(t, ATTR_WIRE_MARSHAL) || type_attr(t, ATTR_TRANSMIT_AS) ||
	    type_attr(t, ATTR_USER_MARSHAL) || type_attr(t, ATTR_REPRESENT_AS))
		return;
	s = type_strip(t);
	if (!s)
		return;
	if (s->kind == TYPE_POINTER || s->kind == TYPE_ARRAY) {
		reach_unions(c, s->sub, depth + 1);
		return;
	}
	if ((s->kind != TYPE_STRUCT && s->kind != TYPE_UNION) ||
	    !s->tagged || s->tagged->imported)
		return;
	/* Another key than the body's own, which walk_type uses. */
	if (!check_visit_once(c, &s->tagged->fields))
		return;
	for (struct field *f = s->tagged->fields; f; f = f->next) {
		if (!f->type)
			continue;
		if (bare_union(f->type) && !attr_find(f->attrs, ATTR_SWITCH_IS))
			check_wire(c, &f->loc, 2147,
				   "field '%s' is a union without a discriminant; give it [switch_is]",
				   f->name ? f->name : "");
		reach_unions(c, f->type, depth + 1);
	}
}

void check_remote_types(struct check *c, struct decl *fn)
{
	if (!is_remote(c, fn))
		return;
	for (struct param *p = fn->type->params; p; p = p->next)
		reach_unions(c, p->type, 0);
}

void check_typedef(struct check *c, struct decl *td)
{
	struct attr *str = attr_find(td->attrs, ATTR_STRING);

	if (!check_visit_once(c, &td->attrs))
		return;
	one_ptr_attr(c, td->attrs);
	if (str && !string_ok(td->type))
		diag_error(c->d, &str->loc, 2082,
			   "[string] applies to arrays of or pointers to char, wchar_t or byte");
}
