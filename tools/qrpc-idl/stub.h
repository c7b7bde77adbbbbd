/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The client and server stubs (-c, -s) of the RPC interfaces of the
 * main file, on libqrpc-msrpc (I_RpcGetBuffer(3)) and qrpc_marshal.h.
 */
#ifndef QRPC_IDL_STUB_H
#define QRPC_IDL_STUB_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "header.h"

/*
 * Check that every procedure can be given stubs; each construct not
 * supported yet is a located error.  Returns 0, or -1 after reporting.
 */
int stub_check(const struct ast *ast, struct diag *d);

/* Write the client (@server false) or server stub to @out. */
int stub_emit(FILE *out, const struct ast *ast, const struct gen_options *g,
	      const char *header_name, bool server);

/*
 * Write the client (@server false) or server stub to @path (under
 * g->out_dir if relative), including the header @header_name.  Returns
 * 0, or -1 after reporting the error to @d.
 */
int stub_write(const struct ast *ast, const struct gen_options *g,
	       const char *path, const char *header_name, bool server,
	       struct diag *d);

#endif
