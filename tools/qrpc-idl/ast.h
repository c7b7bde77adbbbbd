/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The syntax tree of an IDL compilation: the main file, the files it
 * imports, and the ACF merged in.
 *
 * Shape, top down:
 *   struct ast          the compilation: files, symbol table, arena
 *   struct idl_file     one parsed file; decls in source order
 *   struct decl         an item: interface, typedef, function, const...
 *                       (DECL_*); bodies are nested decl lists
 *   struct type         a type expression (TYPE_*): base types, names,
 *                       struct/union/enum definitions, pointers, arrays,
 *                       functions
 *   struct attr         one [attribute], with its arguments; attributes
 *                       merged from the ACF have from_acf set
 *   struct expr         a C expression (sizes, cases, consts)
 *
 * Declarators are folded into types in C's inside-out way: for
 * "[size_is(n)] long *p[4]" the param's type is ARRAY(4) of POINTER to
 * BASE long, and its attrs hold size_is(n).  Names that refer to other
 * declarations (TYPE_NAMED) keep the name and, once resolved, the decl.
 *
 * Everything lives in the compilation's arena and carries a src_loc.
 * Lists are singly linked through "next" in source order.
 */
#ifndef QRPC_IDL_AST_H
#define QRPC_IDL_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"

struct decl;
struct type;
struct expr;
struct symtab;

/* ---- expressions ---- */

enum expr_kind {
	EXPR_INT,	/* ival, int_flags (INT_* from lexer.h) */
	EXPR_FLOAT,	/* fval */
	EXPR_STRING,	/* str, str_len; wide if op == 'L' */
	EXPR_CHAR,	/* ival */
	EXPR_IDENT,	/* str: a name (param, field, constant, enumerator) */
	EXPR_UNARY,	/* op ('-', '+', '!', '~', '*', '&'); a */
	EXPR_BINARY,	/* op (char or T_* of lexer.h); a, b */
	EXPR_COND,	/* a ? b : c */
	EXPR_MEMBER,	/* a.str (op '.') or a->str (op T_ARROW) */
	EXPR_INDEX,	/* a[b] */
	EXPR_CAST,	/* (type) a */
	EXPR_SIZEOF,	/* sizeof(type), or sizeof a when type is NULL */
	EXPR_EMPTY,	/* an omitted argument: size_is(, *n) */
	EXPR_STAR,	/* '*' as a bound: [0..*], a[*] */
};

struct expr {
	enum expr_kind kind;
	struct src_loc loc;
	int op;
	const char *spelling;	/* literals as written ("1.10", "0x1F") */
	uint64_t ival;
	unsigned int_flags;
	double fval;
	const char *str;
	size_t str_len;
	struct expr *a, *b, *c;
	struct type *type;
};

/* ---- attributes ---- */

/*
 * Known attributes.  The parser accepts any attribute in the table
 * anywhere; which ones are allowed where is the semantic pass's job.
 * Keep in sync with attr_table[] in ast.c.
 */
enum attr_id {
	ATTR_UNKNOWN,
#define ATTR(id, name, shape) ATTR_##id,
#include "attrs.def"
#undef ATTR
	ATTR__COUNT
};

enum attr_arg_kind {
	ARG_EXPR,	/* expr (also strings, names, "a.b.c" names) */
	ARG_TYPE,	/* type: switch_type(long), transmit_as(T) */
	ARG_UUID,	/* uuid: uuid(...), async_uuid(...), custom(U, v) */
	ARG_DECL,	/* type + name: implicit_handle(handle_t h),
			 * switch(long d) */
};

struct attr_arg {
	enum attr_arg_kind kind;
	struct src_loc loc;
	struct expr *expr;
	struct type *type;
	const char *name;	/* ARG_DECL */
	uint8_t uuid[16];	/* ARG_UUID, string byte order */
	const char *uuid_text;	/* ARG_UUID, as written */
	struct attr_arg *next;
};

struct attr {
	enum attr_id id;
	const char *name;	/* as written */
	struct src_loc loc;
	struct attr_arg *args;	/* NULL when written without ( ) */
	unsigned n_args;
	bool has_parens;	/* "id()" as opposed to "id" */
	bool from_acf;
	struct attr *next;
};

/* ---- types ---- */

enum type_kind {
	TYPE_BASE,	/* base */
	TYPE_NAMED,	/* name -> decl (typedef, interface, ...) */
	TYPE_STRUCT,	/* tagged */
	TYPE_UNION,	/* tagged */
	TYPE_ENUM,	/* tagged */
	TYPE_POINTER,	/* sub: the pointee */
	TYPE_ARRAY,	/* sub: the element; size/lower */
	TYPE_FUNCTION,	/* sub: the return type; params */
	TYPE_PIPE,	/* sub: the element (typedef pipe T P) */
	TYPE_SAFEARRAY,	/* sub: the element (SAFEARRAY(T)) */
};

enum base_type {
	BT_VOID,
	BT_CHAR,	/* MIDL char: unsigned 8 bits */
	BT_WCHAR,	/* wchar_t: 16 bits */
	BT_SMALL,
	BT_SHORT,
	BT_INT,
	BT_LONG,	/* 32 bits in MIDL */
	BT_HYPER,
	BT_INT8,
	BT_INT16,
	BT_INT32,
	BT_INT64,
	BT_INT3264,
	BT_FLOAT,
	BT_DOUBLE,
	BT_BOOLEAN,
	BT_BYTE,
	BT_HANDLE,	/* handle_t */
	BT_ERROR_STATUS,	/* error_status_t */
};

enum {
	SIGN_NONE,		/* not written */
	SIGN_SIGNED,
	SIGN_UNSIGNED,
};

enum {
	TQ_CONST = 1 << 0,
	TQ_VOLATILE = 1 << 1,
};

/* A struct, union or enum: the tag and, if defined here, the body. */
struct tagged {
	const char *tag;	/* NULL if anonymous */
	struct src_loc loc;
	bool defined;		/* has a { body } here */
	bool imported;
	struct field *fields;	/* struct and union members */
	struct enumerator *values;
	/*
	 * Encapsulated unions (union U switch (long d) ARM { case ...: }):
	 * the discriminant as a field, and the arm's member name (NULL
	 * when omitted: MIDL then calls it "tagged_union").
	 */
	bool encapsulated;
	struct field *switch_field;
	const char *arm_name;
	struct attr *attrs;	/* attributes written before the keyword */
};

/* A union arm's label: case(value) or default (value NULL). */
struct case_label {
	struct expr *value;
	struct src_loc loc;
	struct case_label *next;
};

/*
 * A struct or union member.  name is NULL for anonymous members and for
 * empty union arms (then type is NULL too).  cases is filled for union
 * arms from either form: "case 1:" labels, or [case(1)]/[default]
 * attributes (which also stay in attrs).
 */
struct field {
	struct src_loc loc;
	struct attr *attrs;
	struct type *type;
	const char *name;
	struct expr *bits;	/* a bit field's width */
	struct case_label *cases;
	struct field *next;
};

struct enumerator {
	struct src_loc loc;
	struct attr *attrs;
	const char *name;
	struct expr *value;	/* NULL: previous + 1 */
	struct enumerator *next;
};

/* A function parameter; name NULL when unnamed. */
struct param {
	struct src_loc loc;
	struct attr *attrs;
	struct type *type;
	const char *name;
	struct param *next;
};

struct type {
	enum type_kind kind;
	struct src_loc loc;
	unsigned qual;			/* TQ_* */
	/* TYPE_BASE */
	enum base_type base;
	int sign;			/* SIGN_* */
	/* TYPE_NAMED */
	const char *name;		/* possibly qualified: "A.B.C" */
	struct decl *decl;		/* NULL if unresolved */
	struct type_list *generic_args;	/* WinRT IVector<T> */
	/* TYPE_STRUCT, _UNION, _ENUM */
	struct tagged *tagged;
	/* POINTER, ARRAY, FUNCTION, PIPE, SAFEARRAY */
	struct type *sub;
	/* TYPE_ARRAY: size NULL is conformant ([] or [*]); a DCE bound
	 * [lo..hi] keeps lower */
	struct expr *size;
	struct expr *lower;
	/* TYPE_FUNCTION */
	struct param *params;
	bool varargs;			/* ... */
	bool no_params;			/* f(void) rather than f() */
	const char *callconv;		/* __stdcall etc., as written */
};

struct type_list {
	struct type *type;
	struct type_list *next;
};

/* ---- declarations ---- */

enum decl_kind {
	DECL_IMPORT,		/* str: path as written; file: resolved */
	DECL_IMPORTLIB,		/* str */
	DECL_CPP_QUOTE,		/* str: the text, escapes decoded */
	DECL_PRAGMA,		/* str: text after "#pragma" */
	DECL_MIDL_PRAGMA,	/* str: "warning(disable: 2111)" as parsed */
	DECL_INTERFACE,		/* body; base_name/base; forward if !defined */
	DECL_DISPINTERFACE,	/* body (DECL_VAR props, DECL_FUNC methods) */
	DECL_COCLASS,		/* body: DECL_INTERFACE refs (forward) */
	DECL_LIBRARY,		/* body */
	DECL_MODULE,		/* body */
	DECL_NAMESPACE,		/* WinRT; name dotted; body */
	DECL_RUNTIMECLASS,	/* WinRT; body: interface refs */
	DECL_APICONTRACT,	/* WinRT */
	DECL_DELEGATE,		/* WinRT; type: TYPE_FUNCTION */
	DECL_DECLARE,		/* WinRT declare { }; body */
	DECL_TYPEDEF,		/* name = type */
	DECL_TYPE,		/* type: a struct/union/enum on its own */
	DECL_CONST,		/* type name = value */
	DECL_FUNC,		/* type: TYPE_FUNCTION */
	DECL_VAR,		/* type name: dispinterface property */
	DECL_ACF_INCLUDE,	/* str: ACF include "x.h" */
	DECL_GENERIC_PARAM,	/* WinRT: T in interface IFoo<T> (symtab) */
};

struct decl {
	enum decl_kind kind;
	struct src_loc loc;
	const char *name;
	struct attr *attrs;
	struct type *type;
	struct expr *value;	/* DECL_CONST */
	const char *str;
	size_t str_len;
	struct decl *body;	/* nested items */
	bool defined;		/* interface etc. with a body (not forward) */
	bool imported;		/* from an imported file: declare, do not
				 * generate */
	bool in_acf;		/* DECL_ACF_INCLUDE */
	/* interfaces */
	const char *base_name;
	struct decl *base;
	struct type_list *requires;	/* WinRT "requires A, B" */
	const char **generic_params;	/* WinRT IFoo<T, U> */
	unsigned n_generic_params;
	struct decl *acf_includes;	/* DECL_ACF_INCLUDE list */
	struct idl_file *file;		/* DECL_IMPORT: the file, if read */
	const char *ns;			/* enclosing WinRT namespace */
	struct decl *parent;		/* enclosing interface/library... */
	struct decl *next;
};

struct idl_file {
	const char *path;	/* as found (search directory + name) */
	bool imported;
	struct decl *decls;
	struct idl_file *next;	/* in the order parsing began */
};

struct ast {
	struct arena *arena;
	struct idl_file *main;
	struct idl_file *files;		/* main first, then imports */
	struct symtab *types;		/* type names, see symtab.h */
	const char *acf_path;		/* the merged ACF, if any */
};

/* ---- helpers ---- */

enum attr_shape {
	SHAPE_ANY,	/* expressions, optional parentheses */
	SHAPE_TYPE,	/* one type */
	SHAPE_UUID,	/* a UUID first, then expressions */
	SHAPE_DECL,	/* a declaration: type name */
};

enum attr_id attr_lookup(const char *name, enum attr_shape *shape);
const char *attr_name(enum attr_id id);

/* The first attribute @id in the list, or NULL. */
struct attr *attr_find(struct attr *list, enum attr_id id);
/* Append @add (a list) to *@list. */
void attr_append(struct attr **list, struct attr *add);

const char *base_type_name(enum base_type b);

/* How an expression's operator (a token kind or a character) is spelled. */
const char *expr_op_spelling(int op);

/* A stable text dump of the non-imported part of the tree. */
void ast_dump(FILE *out, const struct ast *ast);
/* The type as the dump prints it. */
void ast_dump_type(FILE *out, const struct type *t);
void ast_dump_expr(FILE *out, const struct expr *e);

#endif
