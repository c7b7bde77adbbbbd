// SPDX-License-Identifier: GPL-2.0
/*
 * ACF grammar (MIDL's "ACF header" and "ACF body"):
 *
 *   [iface-attrs] interface NAME {
 *       include "f.h", ...;
 *       typedef [type-attrs] TYPENAME, ...;
 *       [proc-attrs] PROC([param-attrs] param, ...);
 *   }
 *
 * The entries name IDL declarations; each is looked up when it is
 * parsed and its attributes are attached there.  A name that matches
 * nothing is an error at the ACF entry.
 */
#include <string.h>

#include "acf.h"
#include "parser_int.h"

struct acf_ctx {
	bool explicit_acf;
	struct decl *iface;	/* the IDL interface the body applies to */
	struct decl **includes_tail;
};

/*
 * A copy of an attribute list, so that one ACF list can go onto several
 * declarations (the list is linked through the nodes).
 */
static struct attr *clone_attrs(struct arena *a, const struct attr *list)
{
	struct attr *head = NULL, **tail = &head;

	for (; list; list = list->next) {
		struct attr *c = arena_new(a, struct attr);

		*c = *list;
		c->next = NULL;
		*tail = c;
		tail = &c->next;
	}
	return head;
}

static struct decl *find_in(struct decl *list, enum decl_kind kind,
			    const char *name)
{
	for (; list; list = list->next)
		if (list->kind == kind && list->name &&
		    !strcmp(list->name, name))
			return list;
	return NULL;
}

/* The interfaces the main file defines (not forward references). */
static struct decl *first_interface(struct decl *list, const char *name)
{
	for (; list; list = list->next) {
		struct decl *in;

		if (list->kind == DECL_INTERFACE && list->defined &&
		    (!name || !strcmp(list->name, name)))
			return list;
		if (list->kind == DECL_LIBRARY || list->kind == DECL_NAMESPACE) {
			in = first_interface(list->body, name);
			if (in)
				return in;
		}
	}
	return NULL;
}

static void acf_include(struct parser *p, struct acf_ctx *c)
{
	p_next(p);
	for (;;) {
		struct decl *x = arena_new(p->a, struct decl);

		x->kind = DECL_ACF_INCLUDE;
		x->loc = p->tok.loc;
		x->in_acf = true;
		if (p->tok.kind != T_STRING)
			p_fail_expected(p, "string constant");
		x->str = p->tok.text;
		x->str_len = p->tok.text_len;
		p_next(p);
		if (c->iface) {
			*c->includes_tail = x;
			c->includes_tail = &x->next;
		}
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ';');
}

static void acf_typedef(struct parser *p, struct acf_ctx *c)
{
	struct attr *attrs;

	(void)c;
	p_next(p);
	attrs = p_attr_lists(p);
	for (;;) {
		struct src_loc loc = p->tok.loc;
		const char *name = p_expect_ident(p);
		struct decl *t = symtab_lookup(p->ast->types, name);

		if (!t || t->kind != DECL_TYPEDEF)
			diag_error(p->d, &loc, 0,
				   "type '%s' in the ACF is not a typedef of the IDL file",
				   name);
		else
			attr_append(&t->attrs, clone_attrs(p->a, attrs));
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ';');
}

static void acf_proc(struct parser *p, struct acf_ctx *c, struct attr *attrs)
{
	struct src_loc loc = p->tok.loc;
	const char *name = p_expect_ident(p);
	struct decl *fn = NULL;

	if (c->iface) {
		fn = find_in(c->iface->body, DECL_FUNC, name);
		if (!fn)
			diag_error(p->d, &loc, 0,
				   "procedure '%s' in the ACF is not in interface '%s'",
				   name, c->iface->name);
	}
	if (fn)
		attr_append(&fn->attrs, attrs);
	p_expect(p, '(');
	if (p->tok.kind != ')') {
		for (;;) {
			struct attr *pa = p_attr_lists(p);
			struct src_loc ploc = p->tok.loc;
			const char *pname = p_expect_ident(p);
			struct param *prm = NULL;

			if (fn) {
				for (prm = fn->type->params; prm;
				     prm = prm->next)
					if (prm->name &&
					    !strcmp(prm->name, pname))
						break;
				if (!prm)
					diag_error(p->d, &ploc, 0,
						   "procedure '%s' has no parameter '%s'",
						   name, pname);
				else
					attr_append(&prm->attrs, pa);
			}
			if (!p_accept(p, ','))
				break;
		}
	}
	p_expect(p, ')');
	p_expect(p, ';');
}

static void acf_body_elem(struct parser *p, void *ctx, struct list_state *s)
{
	struct acf_ctx *c = ctx;
	struct attr *attrs;

	(void)s;
	if (p_accept(p, ';'))
		return;
	if (p_is_word(p, "include")) {
		acf_include(p, c);
		return;
	}
	if (p_is_word(p, "typedef")) {
		acf_typedef(p, c);
		return;
	}
	attrs = p_attr_lists(p);
	if (p->tok.kind != T_IDENT)
		p_fail_expected(p, "a procedure name");
	acf_proc(p, c, attrs);
}

static void acf_interface(struct parser *p, struct acf_ctx *c,
			  struct attr *attrs)
{
	struct src_loc loc;
	struct decl *idl;
	struct list_state s = { 0 };
	const char *name;

	p_next(p);
	loc = p->tok.loc;
	name = p_expect_ident(p);
	idl = first_interface(p->ast->main->decls, name);
	if (!idl) {
		struct decl *only = first_interface(p->ast->main->decls, NULL);

		if (!only) {
			diag_error(p->d, &loc, 0,
				   "the IDL file defines no interface for the ACF's '%s'",
				   name);
		} else if (!c->explicit_acf) {
			diag_error(p->d, &loc, 2095,
				   "interface name '%s' in the ACF does not match the IDL file",
				   name);
			diag_note(p->d, &only->loc,
				  "the IDL file defines interface '%s'",
				  only->name);
		} else {
			idl = only;
		}
	}
	c->iface = idl;
	if (idl) {
		attr_append(&idl->attrs, attrs);
		c->includes_tail = &idl->acf_includes;
		while (*c->includes_tail)
			c->includes_tail = &(*c->includes_tail)->next;
	}
	p_expect(p, '{');
	p_list(p, '}', acf_body_elem, c, &s);
	p_expect(p, '}');
	p_accept(p, ';');
	c->iface = NULL;
}

static void acf_top_elem(struct parser *p, void *ctx, struct list_state *s)
{
	struct acf_ctx *c = ctx;
	struct attr *attrs;

	(void)s;
	p_flush_pragmas(p, &(struct decl **){ &(struct decl *){ NULL } });
	if (p_accept(p, ';'))
		return;
	if (p_is_word(p, "typedef")) {
		acf_typedef(p, c);
		return;
	}
	attrs = p_attr_lists(p);
	if (!p_is_word(p, "interface"))
		p_fail_expected(p, "'interface'");
	acf_interface(p, c, attrs);
}

void acf_apply(struct ast *ast, struct diag *d, const char *text, size_t len,
	       const char *path, bool raw, bool explicit_acf)
{
	struct parser *p = arena_new(ast->arena, struct parser);
	struct acf_ctx c = { .explicit_acf = explicit_acf };
	struct list_state s = { 0 };
	jmp_buf top;

	if (!ast->types)
		ast->types = symtab_new(ast->arena);
	ast->acf_path = arena_strdup(ast->arena, path);
	parser_init(p, ast, d, text, len, ast->acf_path, raw);
	p->in_acf = true;
	p->recover = &top;
	if (setjmp(top))
		return;
	if (!ast->main)
		return;
	p_list(p, T_EOF, acf_top_elem, &c, &s);
}
