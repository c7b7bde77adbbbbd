/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the check*.c files: the walk's context and the questions
 * about types that every check asks ("is this an integer once the
 * typedefs are looked through?").
 */
#ifndef QRPC_IDL_CHECK_INT_H
#define QRPC_IDL_CHECK_INT_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/* Where an attribute list sits; check_attrs.c knows what may go there. */
enum place {
	PL_INTERFACE,
	PL_DISPINTERFACE,
	PL_COCLASS,
	PL_LIBRARY,
	PL_MODULE,
	PL_IFACE_REF,		/* an interface named in a coclass */
	PL_TYPEDEF,
	PL_TYPE,		/* struct/union/enum declared on its own */
	PL_FIELD,
	PL_ARM,			/* a union arm */
	PL_ENUMERATOR,
	PL_PROC,
	PL_PARAM,
	PL_CONST,
	PL_PROPERTY,		/* a dispinterface property */
	PL__COUNT
};

struct ptr_set;

struct check {
	struct ast *ast;
	struct diag *d;
	unsigned errors_before;
	struct decl *iface;	/* the interface being walked, or NULL */
	bool object;		/* ... and it is [object] */
	bool pd_warned;		/* ... and MIDL2038 was given for it */
	struct ptr_set *seen;	/* struct/union bodies already checked */
};

/* ---- check_attrs.c ---- */

/* Report attributes of @list that do not belong at @where. */
void check_attr_places(struct check *c, struct attr *list, enum place where);

/* ---- check_async.c ---- */

/* [maybe], [message], [async] and the interface's handle, per proc. */
void check_proc_flags(struct check *c, struct decl *fn);
/* [async_uuid] and interface-wide [async]. */
void check_interface_async(struct check *c, struct decl *iface);

/* ---- check_arrays.c ---- */

void check_params(struct check *c, struct decl *fn);
void check_fields(struct check *c, struct tagged *g, bool is_union);
void check_typedef(struct check *c, struct decl *td);
/* Unions reachable from a remote procedure's parameters. */
void check_remote_types(struct check *c, struct decl *fn);

/* ---- check.c: types ---- */

/*
 * Look through typedefs (TYPE_NAMED bound to a DECL_TYPEDEF) down to
 * the type they name.  A name that did not resolve, or that names an
 * interface, stays TYPE_NAMED.
 */
const struct type *type_strip(const struct type *t);
/* The first typedef on the way down that carries @id, or NULL. */
struct attr *type_attr(const struct type *t, enum attr_id id);
/* Does any name on the way down spell @name (HRESULT, IUnknown...)? */
bool type_named(const struct type *t, const char *name);

bool type_is_void(const struct type *t);
/* Integers, characters, boolean, enums, error_status_t. */
bool type_is_integer(const struct type *t);
/* char, byte, wchar_t (also unsigned/signed char): [string] elements. */
bool type_is_char(const struct type *t);
bool type_is_pointer(const struct type *t);	/* pointer or array */
bool type_is_handle_t(const struct type *t);
bool type_is_context_handle(const struct type *t);
/* An interface pointer: IFoo * where IFoo is an interface. */
bool type_is_interface_ptr(const struct type *t);
/* Did the type resolve fully (no unknown names on the way down)? */
bool type_known(const struct type *t);

/* Direction of a parameter; none written means [in]. */
bool param_in(const struct param *p);
bool param_out(const struct param *p);

bool check_visit_once(struct check *c, const void *p);

/*
 * A marshalling error that widl lets through in COM interfaces, and
 * that Wine's own IDL therefore contains: an error in RPC interfaces,
 * a warning (-Wgeneral, so -Werror makes it fatal) in [object] ones.
 */
void check_wire(struct check *c, const struct src_loc *loc, int midl,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
