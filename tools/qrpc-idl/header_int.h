/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the header generator, shared by its parts:
 *   header.c       the file: prologue, imports, declarations in order,
 *                  writing it atomically
 *   header_type.c  types, declarators and expressions as C text
 *   header_rpc.c   RPC (non-[object]) interfaces: prototypes, [async],
 *                  ifspecs, the manager EPV, rundowns
 *   header_com.c   [object] interfaces, [async_uuid], dispinterfaces,
 *                  coclasses
 */
#ifndef QRPC_IDL_HEADER_INT_H
#define QRPC_IDL_HEADER_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"
#include "header.h"

struct name_set {
	const char **v;
	size_t n, cap;
};

struct hgen {
	FILE *out;
	const struct ast *ast;
	const struct gen_options *g;
	/* Struct/union/enum bodies already written, so each is once. */
	const struct tagged **seen;
	size_t n_seen, cap_seen;
	/* Context-handle types, for the rundown prototypes at the end. */
	struct name_set rundowns;
	/* The WinRT namespace of each struct/union/enum defined in one. */
	const struct tagged **ns_tagged;
	const char **ns_of;
	size_t n_ns, cap_ns;
	bool any_rpc;		/* an RPC interface with procedures */
	bool oom;
	bool no_spec;		/* declarators only: typedef A, *PA */
	/* The RPC interface whose procedures are being declared. */
	const struct decl *rpc_iface;
	int indent;		/* levels of 4 spaces inside bodies */
};

/* Where a declarator stands: fields write conformant arrays as [1]. */
enum hctx {
	HCTX_PLAIN,
	HCTX_FIELD,
};

/* ---- header_type.c ---- */

/* "TYPE NAME" for @t, @name NULL for an abstract declarator. */
void hg_decl(struct hgen *h, const struct type *t, const char *name,
	     enum hctx ctx);
/* The type alone, as in a cast. */
void hg_type(struct hgen *h, const struct type *t);
/* The parts of a declarator left and right of the name (and its
 * parameters), for declarations the caller spells itself. */
void hg_decl_open(struct hgen *h, const struct type *t);
void hg_decl_close(struct hgen *h, const struct type *t);
void hg_expr(struct hgen *h, const struct expr *e);
/* One parameter, with its direction as a comment as MIDL does. */
void hg_param(struct hgen *h, const struct param *p, const char *fallback);
bool hg_mark_seen(struct hgen *h, const struct tagged *t);
bool hg_was_seen(const struct hgen *h, const struct tagged *t);
/* The tagged type a declaration's type is built on, or NULL. */
const struct type *hg_tagged_root(const struct type *t);
/* Is @t (a struct, union or enum) the place its body is written? */
bool hg_defines_tagged(const struct type *t);
void hg_indent(struct hgen *h);
/* Whether a name refers to a type whose C spelling is "void". */
bool hg_is_void(const struct type *t);

/* ---- header.c ---- */

/* Declarations in source order; @funcs: prototypes of DECL_FUNCs too. */
void hg_decls(struct hgen *h, const struct decl *list, bool funcs);
/* A decl's [uuid], or NULL. */
const uint8_t *hg_uuid(const struct decl *d, enum attr_id id);
void hg_guid(struct hgen *h, const char *prefix, const char *name,
	     const uint8_t *u);
void hg_uuid_text(struct hgen *h, const uint8_t *u);
void hg_banner(struct hgen *h, const char *name, const char *what);
/* #ifndef __NAME_WHAT_DEFINED__ and its #define. */
void hg_guard(struct hgen *h, const char *name, const char *what);
/* The defined interface named @name anywhere in the compilation. */
const struct decl *hg_find_iface(const struct hgen *h, const char *name);
const struct decl *hg_find_decl(const struct hgen *h, enum decl_kind kind,
				const char *name);
void hg_add_rundown(struct hgen *h, const char *name);
/*
 * C names of WinRT declarations, as widl spells them: Windows.Foo's IBar
 * is __x_ABI_CWindows_CFoo_CIBar.  Names outside a namespace stay.
 * The strings live in the compilation's arena.
 */
const char *hg_mangle(struct hgen *h, const char *ns, const char *name);
const char *hg_cname(struct hgen *h, const struct decl *d);
const char *hg_tagged_ns(const struct hgen *h, const struct tagged *t);
/* __FIVector_1_HSTRING for IVector<HSTRING>. */
const char *hg_generic_name(struct hgen *h, const struct type *t);

/* ---- header_rpc.c ---- */

void hg_rpc_interface(struct hgen *h, const struct decl *d);
/* A procedure of h->rpc_iface. */
void hg_rpc_proc(struct hgen *h, const struct decl *fn);
/* "RET PREFIXNAME(params)", as the prototype has it, for a definition. */
void hg_rpc_signature(struct hgen *h, const struct decl *iface,
		      const struct decl *fn, const char *pfx);
/* Whether [explicit_handle] gives @fn a first "handle_t IDL_handle". */
bool hg_rpc_adds_idl_handle(const struct decl *iface, const struct decl *fn);
/* handle_t, a [handle] type or a context handle, through typedefs. */
bool hg_is_handle_type(const struct type *t);
/* The version numbers of [version(M.m)]. */
void hg_version(const struct decl *d, unsigned int *major, unsigned int *minor);

/* ---- header_com.c ---- */

bool hg_is_object(const struct decl *d);
void hg_com_forward(struct hgen *h, const char *name);
void hg_com_interface(struct hgen *h, const struct decl *d);
void hg_dispinterface(struct hgen *h, const struct decl *d);
void hg_coclass_forward(struct hgen *h, const struct decl *d);
void hg_coclass(struct hgen *h, const struct decl *d);
/* A WinRT delegate: an interface of one method, Invoke. */
void hg_delegate(struct hgen *h, const struct decl *d);

#endif
