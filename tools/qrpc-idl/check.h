/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The semantic checks: what MIDL rejects once a file has parsed.  They
 * run over the main file's declarations (imports are declared, not
 * generated, and are trusted as the front end trusts them), with the
 * ACF already merged, and report every problem they find rather than
 * stopping at the first.
 */
#ifndef QRPC_IDL_CHECK_H
#define QRPC_IDL_CHECK_H

#include "ast.h"
#include "diag.h"

/* Returns 0 if the checks added no error to @d, else -1. */
int check_run(struct ast *ast, struct diag *d);

#endif
