/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code generation entry points: the C header (-h).  The stubs and the
 * proxy are the next stage.
 */
#ifndef QRPC_IDL_HEADER_H
#define QRPC_IDL_HEADER_H

#include <stdio.h>

#include "ast.h"
#include "diag.h"

struct gen_options {
	const char *out_dir;		/* -o */
	const char *prefix_client;	/* --prefix-client / --prefix-all */
	const char *prefix_server;
};

/*
 * Write the header for the main file of @ast to @out.  @g may be NULL.
 * Returns 0, or -1 on an I/O error or when memory ran out.
 */
int header_emit(FILE *out, const struct ast *ast, const struct gen_options *g);

/*
 * Write the header to @path (under g->out_dir if it is relative) through
 * a temporary file renamed over it.  Returns 0, or -1 after reporting
 * the error to @d.
 */
int header_write(const struct ast *ast, const struct gen_options *g,
		 const char *path, struct diag *d);

/* The file name's stem as a C name: "a/x-y.idl" gives "x_y". */
void gen_stem(const char *path, char *buf, size_t cap);

/*
 * Write what @emit writes (0, or -1 on an I/O error or when memory ran
 * out) to @path, under g->out_dir if relative: through a temporary file
 * renamed over a regular file, straight into anything else (a device,
 * a pipe, a link).  Returns 0, or -1 after reporting to @d.
 */
int gen_write(const struct gen_options *g, const char *path,
	      int (*emit)(FILE *out, void *arg), void *arg, struct diag *d);

#endif
