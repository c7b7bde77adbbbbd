// SPDX-License-Identifier: GPL-2.0
/*
 * --dump-ast: the tree as indented text, one node a line, for tests to
 * compare and people to read.  The format is part of the test suite's
 * contract, so it changes only on purpose:
 *
 *   KIND NAME @LINE:COL: TYPE
 *     attrs A, B(ARG){acf}
 *     ...children...
 *
 * Types print prefix-style: ptr(T), array[N](T), array[](T),
 * func(PARAMS) -> T, named(N), struct TAG; a struct, union or enum body
 * is printed once, under the first node whose type defines it.
 * Expressions print fully parenthesised.  Imported files show only as
 * their import line.
 */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"

struct dumper {
	FILE *out;
	const struct tagged **seen;
	size_t n_seen, cap_seen;
};

static void indent(struct dumper *d, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", d->out);
}

static void dump_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 32 || c >= 127)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}


void ast_dump_expr(FILE *out, const struct expr *e)
{
	if (!e) {
		fputs("<null>", out);
		return;
	}
	switch (e->kind) {
	case EXPR_INT:
	case EXPR_FLOAT:
		fputs(e->spelling ? e->spelling : "?", out);
		break;
	case EXPR_STRING:
		if (e->op == 'L')
			fputc('L', out);
		dump_string(out, e->str, e->str_len);
		break;
	case EXPR_CHAR:
		fprintf(out, "'\\x%llx'", (unsigned long long)e->ival);
		break;
	case EXPR_IDENT:
		fputs(e->str, out);
		break;
	case EXPR_UNARY:
		fprintf(out, "(%s", expr_op_spelling(e->op));
		ast_dump_expr(out, e->a);
		fputc(')', out);
		break;
	case EXPR_BINARY:
		fputc('(', out);
		ast_dump_expr(out, e->a);
		fprintf(out, " %s ", expr_op_spelling(e->op));
		ast_dump_expr(out, e->b);
		fputc(')', out);
		break;
	case EXPR_COND:
		fputc('(', out);
		ast_dump_expr(out, e->a);
		fputs(" ? ", out);
		ast_dump_expr(out, e->b);
		fputs(" : ", out);
		ast_dump_expr(out, e->c);
		fputc(')', out);
		break;
	case EXPR_MEMBER:
		ast_dump_expr(out, e->a);
		fprintf(out, "%s%s", e->op == '.' ? "." : "->", e->str);
		break;
	case EXPR_INDEX:
		ast_dump_expr(out, e->a);
		fputc('[', out);
		ast_dump_expr(out, e->b);
		fputc(']', out);
		break;
	case EXPR_CAST:
		fputs("((", out);
		ast_dump_type(out, e->type);
		fputs(")", out);
		ast_dump_expr(out, e->a);
		fputc(')', out);
		break;
	case EXPR_SIZEOF:
		fputs("sizeof(", out);
		if (e->type)
			ast_dump_type(out, e->type);
		else
			ast_dump_expr(out, e->a);
		fputc(')', out);
		break;
	case EXPR_EMPTY:
		break;
	case EXPR_STAR:
		fputc('*', out);
		break;
	}
}

static void dump_params(FILE *out, const struct param *p);

void ast_dump_type(FILE *out, const struct type *t)
{
	if (!t) {
		fputs("<none>", out);
		return;
	}
	if (t->qual & TQ_CONST)
		fputs("const ", out);
	switch (t->kind) {
	case TYPE_BASE:
		if (t->sign == SIGN_SIGNED)
			fputs("signed ", out);
		else if (t->sign == SIGN_UNSIGNED)
			fputs("unsigned ", out);
		fputs(base_type_name(t->base), out);
		break;
	case TYPE_NAMED:
		fprintf(out, "named(%s", t->name);
		if (t->generic_args) {
			fputc('<', out);
			for (const struct type_list *l = t->generic_args; l;
			     l = l->next) {
				ast_dump_type(out, l->type);
				if (l->next)
					fputs(", ", out);
			}
			fputc('>', out);
		}
		fputs(t->decl ? ")" : ")?", out);
		break;
	case TYPE_STRUCT:
	case TYPE_UNION:
	case TYPE_ENUM:
		fprintf(out, "%s %s", t->kind == TYPE_STRUCT ? "struct" :
			t->kind == TYPE_UNION ? "union" : "enum",
			t->tagged->tag ? t->tagged->tag : "<anon>");
		break;
	case TYPE_POINTER:
		fputs("ptr(", out);
		ast_dump_type(out, t->sub);
		fputc(')', out);
		break;
	case TYPE_ARRAY:
		fputs("array[", out);
		if (t->lower) {
			ast_dump_expr(out, t->lower);
			fputs("..", out);
		}
		if (t->size)
			ast_dump_expr(out, t->size);
		fputs("](", out);
		ast_dump_type(out, t->sub);
		fputc(')', out);
		break;
	case TYPE_FUNCTION:
		fputs("func", out);
		if (t->callconv)
			fprintf(out, " %s", t->callconv);
		fputc('(', out);
		if (t->no_params)
			fputs("void", out);
		dump_params(out, t->params);
		if (t->varargs)
			fputs(t->params ? ", ..." : "...", out);
		fputs(") -> ", out);
		ast_dump_type(out, t->sub);
		break;
	case TYPE_PIPE:
		fputs("pipe(", out);
		ast_dump_type(out, t->sub);
		fputc(')', out);
		break;
	case TYPE_SAFEARRAY:
		fputs("SAFEARRAY(", out);
		ast_dump_type(out, t->sub);
		fputc(')', out);
		break;
	}
}

static void dump_attr_list(FILE *out, const struct attr *a)
{
	for (; a; a = a->next) {
		fputs(a->name, out);
		if (a->has_parens) {
			fputc('(', out);
			for (const struct attr_arg *g = a->args; g;
			     g = g->next) {
				switch (g->kind) {
				case ARG_EXPR:
					ast_dump_expr(out, g->expr);
					break;
				case ARG_TYPE:
					ast_dump_type(out, g->type);
					break;
				case ARG_UUID:
					for (int i = 0; i < 16; i++)
						fprintf(out, "%s%02x",
							i == 4 || i == 6 ||
							i == 8 || i == 10 ?
							"-" : "", g->uuid[i]);
					break;
				case ARG_DECL:
					ast_dump_type(out, g->type);
					fprintf(out, " %s", g->name ? g->name :
						"<anon>");
					break;
				}
				if (g->next)
					fputs(", ", out);
			}
			fputc(')', out);
		}
		if (a->from_acf)
			fputs("{acf}", out);
		if (a->next)
			fputs(", ", out);
	}
}

static void dump_params(FILE *out, const struct param *p)
{
	for (; p; p = p->next) {
		if (p->attrs) {
			fputc('[', out);
			dump_attr_list(out, p->attrs);
			fputs("] ", out);
		}
		ast_dump_type(out, p->type);
		if (p->name)
			fprintf(out, " %s", p->name);
		if (p->next)
			fputs(", ", out);
	}
}

static void dump_loc(struct dumper *d, const struct src_loc *l)
{
	fprintf(d->out, " @%u:%u", l->line, l->col);
}

static void dump_attrs(struct dumper *d, const struct attr *a, int depth)
{
	if (!a)
		return;
	indent(d, depth);
	fputs("attrs ", d->out);
	dump_attr_list(d->out, a);
	fputc('\n', d->out);
}

static void dump_tagged_body(struct dumper *d, const struct type *t,
			     int depth);

/* Bodies of struct/union/enum types defined in @t, and parameters. */
static void dump_type_children(struct dumper *d, const struct type *t,
			       int depth)
{
	for (; t; t = t->sub) {
		if (t->kind == TYPE_STRUCT || t->kind == TYPE_UNION ||
		    t->kind == TYPE_ENUM) {
			dump_tagged_body(d, t, depth);
			return;
		}
		if (t->kind == TYPE_FUNCTION) {
			for (const struct param *p = t->params; p;
			     p = p->next) {
				indent(d, depth);
				fprintf(d->out, "param %s",
					p->name ? p->name : "<anon>");
				dump_loc(d, &p->loc);
				fputs(": ", d->out);
				ast_dump_type(d->out, p->type);
				fputc('\n', d->out);
				dump_attrs(d, p->attrs, depth + 1);
				dump_type_children(d, p->type, depth + 1);
			}
			if (t->varargs) {
				indent(d, depth);
				fputs("param ...\n", d->out);
			}
		}
		if (t->kind == TYPE_SAFEARRAY || t->kind == TYPE_PIPE)
			continue;
	}
}

static void dump_field(struct dumper *d, const struct field *f, int depth)
{
	indent(d, depth);
	if (!f->type && !f->name) {
		fputs("arm <empty>", d->out);
	} else {
		fprintf(d->out, "field %s", f->name ? f->name : "<anon>");
	}
	dump_loc(d, &f->loc);
	if (f->type) {
		fputs(": ", d->out);
		ast_dump_type(d->out, f->type);
	}
	if (f->bits) {
		fputs(" : ", d->out);
		ast_dump_expr(d->out, f->bits);
	}
	fputc('\n', d->out);
	if (f->cases) {
		indent(d, depth + 1);
		fputs("cases", d->out);
		for (const struct case_label *c = f->cases; c; c = c->next) {
			fputc(' ', d->out);
			if (c->value)
				ast_dump_expr(d->out, c->value);
			else
				fputs("default", d->out);
		}
		fputc('\n', d->out);
	}
	dump_attrs(d, f->attrs, depth + 1);
	dump_type_children(d, f->type, depth + 1);
}

static void dump_tagged_body(struct dumper *d, const struct type *t,
			     int depth)
{
	const struct tagged *g = t->tagged;

	if (!g->defined)
		return;
	for (size_t i = 0; i < d->n_seen; i++)
		if (d->seen[i] == g)
			return;
	if (d->n_seen == d->cap_seen) {
		size_t cap = d->cap_seen ? d->cap_seen * 2 : 32;
		const struct tagged **n = realloc(d->seen, cap * sizeof(*n)); // NOLINT(bugprone-sizeof-expression): an array of pointers

		if (!n)
			return;
		d->seen = n;
		d->cap_seen = cap;
	}
	d->seen[d->n_seen++] = g;
	indent(d, depth);
	fprintf(d->out, "%s %s", t->kind == TYPE_STRUCT ? "struct" :
		t->kind == TYPE_UNION ? "union" : "enum",
		g->tag ? g->tag : "<anon>");
	dump_loc(d, &g->loc);
	if (g->encapsulated) {
		fputs(" switch(", d->out);
		ast_dump_type(d->out, g->switch_field->type);
		fprintf(d->out, " %s) %s", g->switch_field->name,
			g->arm_name ? g->arm_name : "<default-arm-name>");
	}
	fputc('\n', d->out);
	dump_attrs(d, g->attrs, depth + 1);
	for (const struct field *f = g->fields; f; f = f->next)
		dump_field(d, f, depth + 1);
	for (const struct enumerator *e = g->values; e; e = e->next) {
		indent(d, depth + 1);
		fprintf(d->out, "value %s", e->name);
		dump_loc(d, &e->loc);
		if (e->value) {
			fputs(" = ", d->out);
			ast_dump_expr(d->out, e->value);
		}
		fputc('\n', d->out);
		dump_attrs(d, e->attrs, depth + 2);
	}
}

static const char *const decl_kind_names[] = {
	[DECL_IMPORT] = "import",
	[DECL_IMPORTLIB] = "importlib",
	[DECL_CPP_QUOTE] = "cpp_quote",
	[DECL_PRAGMA] = "pragma",
	[DECL_MIDL_PRAGMA] = "midl_pragma",
	[DECL_INTERFACE] = "interface",
	[DECL_DISPINTERFACE] = "dispinterface",
	[DECL_COCLASS] = "coclass",
	[DECL_LIBRARY] = "library",
	[DECL_MODULE] = "module",
	[DECL_NAMESPACE] = "namespace",
	[DECL_RUNTIMECLASS] = "runtimeclass",
	[DECL_APICONTRACT] = "apicontract",
	[DECL_DELEGATE] = "delegate",
	[DECL_DECLARE] = "declare",
	[DECL_TYPEDEF] = "typedef",
	[DECL_TYPE] = "type",
	[DECL_CONST] = "const",
	[DECL_FUNC] = "func",
	[DECL_VAR] = "var",
	[DECL_ACF_INCLUDE] = "include",
	[DECL_GENERIC_PARAM] = "generic-param",
};

static void dump_decls(struct dumper *d, const struct decl *list, int depth);

static void dump_decl(struct dumper *d, const struct decl *x, int depth)
{
	indent(d, depth);
	fputs(decl_kind_names[x->kind], d->out);
	switch (x->kind) {
	case DECL_IMPORT:
	case DECL_IMPORTLIB:
	case DECL_CPP_QUOTE:
	case DECL_PRAGMA:
	case DECL_MIDL_PRAGMA:
	case DECL_ACF_INCLUDE:
		fputc(' ', d->out);
		dump_string(d->out, x->str, x->str_len);
		dump_loc(d, &x->loc);
		if (x->kind == DECL_IMPORT && !x->file)
			fputs(" (skipped)", d->out);
		fputc('\n', d->out);
		return;
	default:
		break;
	}
	if (x->name)
		fprintf(d->out, " %s", x->name);
	if (x->n_generic_params) {
		fputc('<', d->out);
		for (unsigned i = 0; i < x->n_generic_params; i++)
			fprintf(d->out, "%s%s", i ? ", " : "",
				x->generic_params[i]);
		fputc('>', d->out);
	}
	dump_loc(d, &x->loc);
	if (x->type) {
		fputs(": ", d->out);
		if (x->kind == DECL_FUNC || x->kind == DECL_DELEGATE)
			ast_dump_type(d->out, x->type->sub);
		else
			ast_dump_type(d->out, x->type);
	}
	if (x->value) {
		fputs(" = ", d->out);
		ast_dump_expr(d->out, x->value);
	}
	if ((x->kind == DECL_INTERFACE || x->kind == DECL_DISPINTERFACE ||
	     x->kind == DECL_RUNTIMECLASS) && !x->defined)
		fputs(" (forward)", d->out);
	fputc('\n', d->out);
	dump_attrs(d, x->attrs, depth + 1);
	if (x->base_name) {
		indent(d, depth + 1);
		fprintf(d->out, "base %s%s\n", x->base_name,
			x->base ? "" : "?");
	}
	for (const struct type_list *r = x->requires; r; r = r->next) {
		indent(d, depth + 1);
		fputs("requires ", d->out);
		ast_dump_type(d->out, r->type);
		fputc('\n', d->out);
	}
	for (const struct decl *i = x->acf_includes; i; i = i->next)
		dump_decl(d, i, depth + 1);
	if (x->type)
		dump_type_children(d, x->type, depth + 1);
	dump_decls(d, x->body, depth + 1);
}

static void dump_decls(struct dumper *d, const struct decl *list, int depth)
{
	for (; list; list = list->next)
		dump_decl(d, list, depth);
}

void ast_dump(FILE *out, const struct ast *ast)
{
	struct dumper d = { .out = out };

	if (!ast->main)
		return;
	fputs("file ", out);
	dump_string(out, ast->main->path, strlen(ast->main->path));
	fputc('\n', out);
	if (ast->acf_path) {
		fputs("acf ", out);
		dump_string(out, ast->acf_path, strlen(ast->acf_path));
		fputc('\n', out);
	}
	dump_decls(&d, ast->main->decls, 1);
	free(d.seen);
}
