/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code generation entry points.  The generators are the next stage of
 * the compiler; until they exist these say so instead of writing
 * anything.
 */
#ifndef QRPC_IDL_HEADER_H
#define QRPC_IDL_HEADER_H

#include "ast.h"
#include "diag.h"

struct gen_options {
	const char *out_dir;		/* -o */
	const char *prefix_client;	/* --prefix-client / --prefix-all */
	const char *prefix_server;
};

/*
 * TODO(header generator): write the C header for @ast to @path.  Today
 * it writes nothing and warns so.  Returns 0 or -1 on error.
 */
int header_write(const struct ast *ast, const struct gen_options *g,
		 const char *path, struct diag *d);

#endif
