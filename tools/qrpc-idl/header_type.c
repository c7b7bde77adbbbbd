// SPDX-License-Identifier: GPL-2.0
/*
 * Types, declarators and expressions of the tree as C text for the
 * header.
 *
 * Base types keep MIDL's sizes on Linux LP64, where C's "long" is 64
 * bits and wchar_t 32, so neither is ever written for MIDL's:
 *
 *   IDL              C
 *   long             INT32      (unsigned: UINT32)
 *   __int32          INT32      (unsigned: UINT32)
 *   hyper, __int64   INT64      (unsigned: UINT64)
 *   small, __int8    signed char (unsigned: unsigned char; plain small
 *                    "char", which Wine's rpcndr.h defines small as)
 *   wchar_t          WCHAR      (16 bits)
 *   __int3264        INT_PTR    (unsigned: UINT_PTR)
 *   char             char, as widl writes (MIDL's char is unsigned: C
 *                    code that needs that writes "unsigned char")
 *   short, int, float, double, boolean, byte, handle_t, error_status_t
 *                    as written
 *
 * widl writes LONG/ULONG for long.  They are 32 bits in Wine's headers
 * (int on LP64), but qrpc does not ship its rpc.h yet, and another
 * Windows-on-Linux header set may well define LONG as C's long; INT32
 * and UINT32 are 32 bits by their name everywhere (basetsd.h), and are
 * the same C type as Wine's LONG/ULONG, so declarations that Wine's own
 * headers also make still agree.
 */
#include <stdlib.h>
#include <string.h>

#include "header_int.h"
#include "lexer.h"

void hg_indent(struct hgen *h)
{
	for (int i = 0; i < h->indent; i++)
		fputs("    ", h->out);
}

bool hg_was_seen(const struct hgen *h, const struct tagged *t)
{
	for (size_t i = 0; i < h->n_seen; i++)
		if (h->seen[i] == t)
			return true;
	return false;
}

/* Record @t as written; false if it already was (or memory ran out). */
bool hg_mark_seen(struct hgen *h, const struct tagged *t)
{
	if (hg_was_seen(h, t))
		return false;
	if (h->n_seen == h->cap_seen) {
		size_t cap = h->cap_seen ? h->cap_seen * 2 : 64;
		const struct tagged **n = realloc(h->seen, cap * sizeof(*n)); // NOLINT(bugprone-sizeof-expression): an array of pointers

		if (!n) {
			h->oom = true;
			return false;
		}
		h->seen = n;
		h->cap_seen = cap;
	}
	h->seen[h->n_seen++] = t;
	return true;
}

const struct type *hg_tagged_root(const struct type *t)
{
	while (t && (t->kind == TYPE_POINTER || t->kind == TYPE_ARRAY ||
		     t->kind == TYPE_FUNCTION))
		t = t->sub;
	if (t && (t->kind == TYPE_STRUCT || t->kind == TYPE_UNION ||
		  t->kind == TYPE_ENUM))
		return t;
	return NULL;
}

bool hg_is_void(const struct type *t)
{
	return t && t->kind == TYPE_BASE && t->base == BT_VOID;
}

static const char *base_spec(const struct type *t)
{
	bool u = t->sign == SIGN_UNSIGNED;
	bool s = t->sign == SIGN_SIGNED;

	switch (t->base) {
	case BT_VOID:
		return "void";
	case BT_CHAR:
		return u ? "unsigned char" : s ? "signed char" : "char";
	case BT_WCHAR:
		return "WCHAR";
	case BT_SMALL:
		return u ? "unsigned char" : s ? "signed char" : "char";
	case BT_INT8:
		return u ? "unsigned char" : "signed char";
	case BT_SHORT:
	case BT_INT16:
		return u ? "unsigned short" : "short";
	case BT_INT:
		return u ? "unsigned int" : "int";
	case BT_LONG:
	case BT_INT32:
		return u ? "UINT32" : "INT32";
	case BT_HYPER:
	case BT_INT64:
		return u ? "UINT64" : "INT64";
	case BT_INT3264:
		return u ? "UINT_PTR" : "INT_PTR";
	case BT_FLOAT:
		return "float";
	case BT_DOUBLE:
		return "double";
	case BT_BOOLEAN:
		return "boolean";
	case BT_BYTE:
		return "byte";
	case BT_HANDLE:
		return "handle_t";
	case BT_ERROR_STATUS:
		return "error_status_t";
	}
	return "int";
}

/* A name as C sees it: WinRT's dotted names joined with '_'. */
static void c_name(FILE *out, const char *n)
{
	for (; *n; n++)
		fputc(*n == '.' ? '_' : *n, out);
}

static void tagged_body(struct hgen *h, const struct type *t);

/*
 * A WinRT runtime class stands, in C, for its [default] interface
 * (a pointer to which the IDL writes).
 */
static const char *default_iface(struct hgen *h, const struct decl *rc)
{
	for (const struct decl *x = rc->body; x; x = x->next) {
		const struct decl *i;

		if (!x->name || !attr_find(x->attrs, ATTR_DEFAULT))
			continue;
		i = hg_find_iface(h, x->name);
		if (i)
			return hg_cname(h, i);
		return hg_mangle(h, strchr(x->name, '.') ? NULL : x->ns,
				 x->name);
	}
	return NULL;
}

static void generic_arg(struct hgen *h, FILE *m, const struct type *t);

/*
 * An instance of a WinRT generic, as widl names it: IVectorView<HSTRING>
 * is __FIVectorView_1_HSTRING.  C sees it only through pointers, so a
 * forward declaration (written at the top) is all it needs.
 */
const char *hg_generic_name(struct hgen *h, const struct type *t)
{
	const char *base = strrchr(t->name, '.');
	char *buf = NULL;
	size_t len = 0;
	unsigned int n = 0;
	FILE *m = open_memstream(&buf, &len);
	const char *r;

	if (!m) {
		h->oom = true;
		return t->name;
	}
	for (const struct type_list *l = t->generic_args; l; l = l->next)
		n++;
	fprintf(m, "__F%s_%u_", base ? base + 1 : t->name, n);
	for (const struct type_list *l = t->generic_args; l; l = l->next) {
		generic_arg(h, m, l->type);
		if (l->next)
			fputc('_', m);
	}
	if (fclose(m)) {
		free(buf);
		h->oom = true;
		return t->name;
	}
	r = arena_strdup(h->ast->arena, buf);
	free(buf);
	return r ? r : t->name;
}

static void generic_arg(struct hgen *h, FILE *m, const struct type *t)
{
	while (t && t->kind == TYPE_POINTER)
		t = t->sub;
	if (!t)
		return;
	if (t->kind == TYPE_BASE) {
		fputs(base_spec(t), m);
	} else if (t->kind == TYPE_NAMED && t->generic_args) {
		fputs(hg_generic_name(h, t), m);
	} else if (t->kind == TYPE_NAMED) {
		fputs(t->decl && t->decl->ns && t->decl->name ?
		      hg_cname(h, t->decl) : hg_mangle(h, NULL, t->name), m);
	} else if (t->tagged && t->tagged->tag) {
		fputs(hg_mangle(h, hg_tagged_ns(h, t->tagged), t->tagged->tag),
		      m);
	}
}

static void named(struct hgen *h, const struct type *t)
{
	const struct decl *d = t->decl;
	const char *n = NULL;

	if (t->generic_args) {
		fputs(hg_generic_name(h, t), h->out);
		return;
	}
	if (d && d->kind == DECL_RUNTIMECLASS) {
		const struct decl *def = d->defined ? d :
			hg_find_decl(h, DECL_RUNTIMECLASS, d->ns ?
				     arena_printf(h->ast->arena, "%s.%s",
						  d->ns, d->name) :
				     d->name);

		if (def)
			n = default_iface(h, def);
	}
	if (!n && d && d->ns && d->name)
		n = hg_cname(h, d);
	if (!n)
		n = hg_mangle(h, NULL, t->name);
	fputs(n, h->out);
}

static void pipe_spec(struct hgen *h, const struct type *t)
{
	/* MIDL's pipe: the application's pull/push/alloc callbacks. */
	fputs("struct {\n", h->out);
	h->indent++;
	hg_indent(h);
	fputs("void (__RPC_USER *pull)(char *state, ", h->out);
	hg_decl(h, t->sub, "*buf", HCTX_PLAIN);
	fputs(", ULONG esize, ULONG *ecount);\n", h->out);
	hg_indent(h);
	fputs("void (__RPC_USER *push)(char *state, ", h->out);
	hg_decl(h, t->sub, "*buf", HCTX_PLAIN);
	fputs(", ULONG ecount);\n", h->out);
	hg_indent(h);
	fputs("void (__RPC_USER *alloc)(char *state, ULONG bsize, ", h->out);
	hg_decl(h, t->sub, "**buf", HCTX_PLAIN);
	fputs(", ULONG *bcount);\n", h->out);
	hg_indent(h);
	fputs("char *state;\n", h->out);
	h->indent--;
	hg_indent(h);
	fputc('}', h->out);
}

/* The declaration specifiers: the type a declarator is built on. */
static void spec(struct hgen *h, const struct type *t)
{
	if (t->qual & TQ_CONST)
		fputs("const ", h->out);
	if (t->qual & TQ_VOLATILE)
		fputs("volatile ", h->out);
	switch (t->kind) {
	case TYPE_BASE:
		fputs(base_spec(t), h->out);
		break;
	case TYPE_NAMED:
		named(h, t);
		break;
	case TYPE_STRUCT:
	case TYPE_UNION:
	case TYPE_ENUM:
		tagged_body(h, t);
		break;
	case TYPE_PIPE:
		pipe_spec(h, t);
		break;
	case TYPE_SAFEARRAY:
		/* SAFEARRAY(T) is a pointer to the descriptor. */
		fputs("SAFEARRAY *", h->out);
		break;
	default:
		fputs("void", h->out);
		break;
	}
}

static bool needs_parens(const struct type *t)
{
	return t && (t->kind == TYPE_ARRAY || t->kind == TYPE_FUNCTION);
}

/*
 * C declarators read inside out: prefix() writes what goes left of the
 * name, suffix() what goes right, recursing towards the base type.
 */
static void prefix(struct hgen *h, const struct type *t, bool pointed)
{
	switch (t->kind) {
	case TYPE_POINTER:
		prefix(h, t->sub, true);
		if (needs_parens(t->sub)) {
			fputc('(', h->out);
			if (t->sub->kind == TYPE_FUNCTION && t->sub->callconv)
				fprintf(h->out, "%s ", t->sub->callconv);
		}
		fputc('*', h->out);
		if (t->qual & TQ_CONST)
			fputs(" const ", h->out);
		return;
	case TYPE_ARRAY:
		prefix(h, t->sub, false);
		return;
	case TYPE_FUNCTION:
		prefix(h, t->sub, false);
		if (t->callconv && !pointed)
			fprintf(h->out, "%s ", t->callconv);
		return;
	default:
		if (h->no_spec)
			return;
		spec(h, t);
		fputc(' ', h->out);
		return;
	}
}

static void params(struct hgen *h, const struct type *f)
{
	fputc('(', h->out);
	if (!f->params && !f->varargs)
		fputs("void", h->out);
	for (const struct param *p = f->params; p; p = p->next) {
		hg_param(h, p, NULL);
		if (p->next)
			fputs(", ", h->out);
	}
	if (f->varargs)
		fputs(f->params ? ", ..." : "...", h->out);
	fputc(')', h->out);
}

static void suffix(struct hgen *h, const struct type *t, enum hctx ctx)
{
	switch (t->kind) {
	case TYPE_POINTER:
		if (needs_parens(t->sub))
			fputc(')', h->out);
		suffix(h, t->sub, HCTX_PLAIN);
		return;
	case TYPE_ARRAY:
		fputc('[', h->out);
		if (t->size && t->size->kind != EXPR_STAR) {
			if (t->lower) {
				/* DCE's [lo..hi] holds hi - lo + 1. */
				fputc('(', h->out);
				hg_expr(h, t->size);
				fputs(") - (", h->out);
				hg_expr(h, t->lower);
				fputs(") + 1", h->out);
			} else {
				hg_expr(h, t->size);
			}
		} else if (ctx == HCTX_FIELD) {
			/* A conformant member, as MIDL declares it. */
			fputc('1', h->out);
		}
		fputc(']', h->out);
		suffix(h, t->sub, HCTX_PLAIN);
		return;
	case TYPE_FUNCTION:
		params(h, t);
		suffix(h, t->sub, HCTX_PLAIN);
		return;
	default:
		return;
	}
}

void hg_decl(struct hgen *h, const struct type *t, const char *name,
	     enum hctx ctx)
{
	if (!t) {
		fputs("void", h->out);
		if (name)
			fprintf(h->out, " %s", name);
		return;
	}
	prefix(h, t, false);
	if (name)
		fputs(name, h->out);
	suffix(h, t, ctx);
}

void hg_decl_open(struct hgen *h, const struct type *t)
{
	if (t)
		prefix(h, t, false);
	else
		fputs("void ", h->out);
}

void hg_decl_close(struct hgen *h, const struct type *t)
{
	if (t)
		suffix(h, t, HCTX_PLAIN);
}

void hg_type(struct hgen *h, const struct type *t)
{
	hg_decl(h, t, NULL, HCTX_PLAIN);
}

void hg_param(struct hgen *h, const struct param *p, const char *fallback)
{
	hg_decl(h, p->type, p->name ? p->name : fallback, HCTX_PLAIN);
}

static void field(struct hgen *h, const struct field *f)
{
	if (!f->type)
		return;		/* an empty union arm */
	hg_indent(h);
	hg_decl(h, f->type, f->name, HCTX_FIELD);
	if (f->bits) {
		fputs(" : ", h->out);
		hg_expr(h, f->bits);
	}
	fputs(";\n", h->out);
}

static bool defining(const struct type *t)
{
	const struct src_loc *a = &t->loc, *b = &t->tagged->loc;

	return a->line == b->line && a->col == b->col &&
	       (a->file == b->file || (a->file && b->file &&
				       !strcmp(a->file, b->file)));
}

bool hg_defines_tagged(const struct type *t)
{
	return t->tagged && t->tagged->defined && !t->tagged->imported &&
	       defining(t);
}

static void tagged_body(struct hgen *h, const struct type *t)
{
	const struct tagged *g = t->tagged;
	const char *kw = t->kind == TYPE_STRUCT ? "struct" :
			 t->kind == TYPE_UNION ? "union" : "enum";
	const char *ns = hg_tagged_ns(h, g);

	/* An encapsulated union is a struct: discriminant, then union. */
	if (g->encapsulated)
		kw = "struct";
	fputs(kw, h->out);
	if (g->tag)
		fprintf(h->out, " %s", hg_mangle(h, ns, g->tag));
	/* One tagged is shared by every mention of the tag: the body goes
	 * where it was written, not where the tag is first used. */
	if (!g->defined || g->imported || !defining(t) || !hg_mark_seen(h, g))
		return;
	fputs(" {\n", h->out);
	h->indent++;
	if (g->encapsulated) {
		if (g->switch_field)
			field(h, g->switch_field);
		hg_indent(h);
		fputs("union {\n", h->out);
		h->indent++;
	}
	for (const struct field *f = g->fields; f; f = f->next)
		field(h, f);
	for (const struct enumerator *e = g->values; e; e = e->next) {
		hg_indent(h);
		/* WinRT enumerators are scoped: C needs the enum's name. */
		if (ns && g->tag)
			fprintf(h->out, "%s_", g->tag);
		fputs(e->name, h->out);
		if (e->value) {
			fputs(" = ", h->out);
			hg_expr(h, e->value);
		}
		fputs(e->next ? ",\n" : "\n", h->out);
	}
	if (g->encapsulated) {
		h->indent--;
		hg_indent(h);
		fprintf(h->out, "} %s;\n",
			g->arm_name ? g->arm_name : "tagged_union");
	}
	h->indent--;
	hg_indent(h);
	fputc('}', h->out);
}

/* ---- expressions ---- */


static void c_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 32 || c >= 127)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Operands that are themselves operations get parentheses. */
static void operand(struct hgen *h, const struct expr *e)
{
	bool paren = e && (e->kind == EXPR_BINARY || e->kind == EXPR_COND ||
			   e->kind == EXPR_CAST || e->kind == EXPR_UNARY);

	if (paren)
		fputc('(', h->out);
	hg_expr(h, e);
	if (paren)
		fputc(')', h->out);
}

void hg_expr(struct hgen *h, const struct expr *e)
{
	FILE *out = h->out;

	if (!e)
		return;
	switch (e->kind) {
	case EXPR_INT:
	case EXPR_FLOAT:
		if (e->spelling)
			fputs(e->spelling, out);
		else
			fprintf(out, "%llu", (unsigned long long)e->ival);
		break;
	case EXPR_STRING:
		if (e->op == 'L')
			fputc('L', out);
		c_string(out, e->str, e->str_len);
		break;
	case EXPR_CHAR:
		if (e->ival >= 32 && e->ival < 127 && e->ival != '\'' &&
		    e->ival != '\\')
			fprintf(out, "'%c'", (char)e->ival);
		else
			fprintf(out, "'\\x%llx'", (unsigned long long)e->ival);
		break;
	case EXPR_IDENT:
		c_name(out, e->str);
		break;
	case EXPR_UNARY:
		fputs(expr_op_spelling(e->op), out);
		operand(h, e->a);
		break;
	case EXPR_BINARY:
		operand(h, e->a);
		fprintf(out, " %s ", expr_op_spelling(e->op));
		operand(h, e->b);
		break;
	case EXPR_COND:
		operand(h, e->a);
		fputs(" ? ", out);
		operand(h, e->b);
		fputs(" : ", out);
		operand(h, e->c);
		break;
	case EXPR_MEMBER:
		operand(h, e->a);
		fprintf(out, "%s%s", e->op == '.' ? "." : "->", e->str);
		break;
	case EXPR_INDEX:
		operand(h, e->a);
		fputc('[', out);
		hg_expr(h, e->b);
		fputc(']', out);
		break;
	case EXPR_CAST:
		fputc('(', out);
		hg_type(h, e->type);
		fputc(')', out);
		operand(h, e->a);
		break;
	case EXPR_SIZEOF:
		fputs("sizeof(", out);
		if (e->type)
			hg_type(h, e->type);
		else
			hg_expr(h, e->a);
		fputc(')', out);
		break;
	case EXPR_EMPTY:
		break;
	case EXPR_STAR:
		fputc('*', out);
		break;
	}
}
