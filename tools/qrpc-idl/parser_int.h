/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parser's machinery, shared with the ACF parser (acf.c), which
 * reuses the token handling, attribute lists and expressions.
 */
#ifndef QRPC_IDL_PARSER_INT_H
#define QRPC_IDL_PARSER_INT_H

#include <setjmp.h>

#include "lexer.h"
#include "parser.h"
#include "symtab.h"

struct parser {
	struct ast *ast;
	struct arena *a;
	struct diag *d;
	struct lexer lx;
	struct token tok;
	/* Where a syntax error resumes: the innermost list being parsed. */
	jmp_buf *recover;
	unsigned depth;
	bool imported;
	bool in_acf;
	bool in_declare;	/* WinRT declare { }: names may be unknown */
	unsigned in_generic;	/* inside IFoo<...>: likewise */
	const struct import_hook *hook;
	const char *ns;		/* current WinRT namespace, dotted */
	struct decl *parent;
	const char *callconv;	/* seen in a declarator, for its function */
	struct decl *pragmas, **pragmas_tail;	/* waiting for a list */
};

void parser_init(struct parser *p, struct ast *ast, struct diag *d,
		 const char *text, size_t len, const char *path, bool raw);
void p_next(struct parser *p);
struct token p_peek(struct parser *p);
bool p_is(const struct parser *p, int kind);
bool p_is_word(const struct parser *p, const char *word);
bool p_accept(struct parser *p, int kind);
void p_expect(struct parser *p, int kind);
const char *p_expect_ident(struct parser *p);
/* Report a syntax error at the current token and resume at recovery. */
void p_fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
void p_fail_expected(struct parser *p, const char *what)
	__attribute__((noreturn));
/* Skip to the end of the current item: past ';', or before '}'. */
void p_sync(struct parser *p);
void p_enter(struct parser *p);
void p_leave(struct parser *p);

/*
 * Run @one over list elements until the token @end (not consumed),
 * recovering from a syntax error in an element by skipping to its end.
 * At least one token goes per failed element, so the loop ends.
 */
struct list_state {
	const char *last_start;
};

typedef void (*p_elem_fn)(struct parser *p, void *ctx,
			  struct list_state *s);
void p_list(struct parser *p, int end, p_elem_fn one, void *ctx,
	    struct list_state *s);

struct attr *p_attr_lists(struct parser *p);
struct expr *p_expr(struct parser *p);
struct type *p_type_name(struct parser *p);
/* Move waiting pragmas onto the end of a decl list. */
void p_flush_pragmas(struct parser *p, struct decl ***tail);

#endif
