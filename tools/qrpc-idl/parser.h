/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IDL parser: recursive descent over preprocessed text into the
 * tree of ast.h.  Errors are reported through diag and parsing goes on
 * from the next ';' or '}', so one run reports several errors; any
 * input ends in bounded time and stack.
 */
#ifndef QRPC_IDL_PARSER_H
#define QRPC_IDL_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "diag.h"

/*
 * How "import" finds and parses another file.  Returns the parsed file,
 * or NULL when it was skipped (already imported: MIDL2007) or could not
 * be read (an error has been reported at @loc then).
 */
struct import_hook {
	struct idl_file *(*import)(void *ctx, const char *name,
				   const struct src_loc *loc);
	void *ctx;
};

/* Deepest nesting of declarators, expressions and bodies accepted. */
#define PARSER_MAX_DEPTH 200

/*
 * Parse @len bytes at @text (kept alive by the caller: tokens point into
 * it), first named @path, into a new file of @ast.  @raw: the text did
 * not go through cpp.  @imported marks every declaration as imported.
 */
struct idl_file *parse_idl(struct ast *ast, struct diag *d,
			   const char *text, size_t len, const char *path,
			   bool raw, bool imported,
			   const struct import_hook *hook);

#endif
