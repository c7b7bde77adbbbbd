/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attribute configuration file: parsed and merged into the IDL's
 * tree.  Its attributes are appended to those of the interface,
 * procedure, parameter or typedef they name, with from_acf set and the
 * ACF's locations, so later checks can tell where an attribute came
 * from and point there.  ACF "include" entries become DECL_ACF_INCLUDE
 * items on the interface's acf_includes.
 */
#ifndef QRPC_IDL_ACF_H
#define QRPC_IDL_ACF_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"

/*
 * Parse the ACF text (@len bytes, first named @path; @raw if it did not
 * go through cpp) and merge it into @ast, whose main file must have been
 * parsed.  @explicit_acf: given with --acf, so its interface name may
 * differ from the IDL's (otherwise MIDL2095).  Errors go to @d.
 */
void acf_apply(struct ast *ast, struct diag *d, const char *text, size_t len,
	       const char *path, bool raw, bool explicit_acf);

#endif
