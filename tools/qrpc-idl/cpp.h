/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the system C preprocessor over IDL and ACF files, as MIDL
 * does: real files use #include, #define and #ifdef __midl, and their
 * ACFs #define parts of attribute lists.
 */
#ifndef QRPC_IDL_CPP_H
#define QRPC_IDL_CPP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"

/* The value MIDL gives __midl; files compare it (#if __midl >= 501). */
#define CPP_MIDL_VERSION "501"

struct cpp_options {
	/* "cpp" when NULL; split on spaces into the program and its args. */
	const char *cmd;
	/* User options in command-line order: "-Idir", "-DX=1", "-UX". */
	const char *const *args;
	unsigned n_args;
	/* Where preprocessed imports are cached (cpp_cache.h); NULL: not. */
	const char *cache_dir;
};

/*
 * Preprocess @text (@len bytes, the contents of @path, already cleaned
 * of a DOS end-of-file byte).  The text goes to the preprocessor on its
 * standard input behind a line marker naming @path, so that its output's
 * markers name the real file; @path's directory is searched first for
 * quoted includes, as if cpp had opened the file itself.
 *
 * When @input_st (the stat of @path as it was read) is given and
 * o->cache_dir is set, the output comes from the cache while nothing it
 * was made from has changed, and goes into it otherwise.
 *
 * On success returns 0 and a malloc'd, NUL-terminated *out.  On failure
 * reports a located error and returns -1.
 */
int cpp_run(const struct cpp_options *o, struct diag *d, const char *path,
	    const char *text, size_t len, const struct stat *input_st,
	    char **out, size_t *out_len);

/*
 * Would the preprocessor change @text?  Not if it is the default one
 * and the text has no line splice, trigraph, carriage return or other
 * odd blank anywhere, and, outside comments and string and character
 * literals, no directive (no '#', no "%:") and no identifier that could
 * be a macro: none the preprocessor predefines (__midl, __FILE__, any
 * __X__, the __STDC family; see cpp.c), no _Pragma, no -D name.  Its
 * output would then be
 * the text itself, comments aside, which the lexer skips: such files
 * are not given to it, and most of a compilation's cost goes.
 */
bool cpp_needed(const struct cpp_options *o, const char *text, size_t len);

/*
 * Split @cmd on spaces and tabs into a NULL-terminated malloc'd vector
 * whose strings live in one malloc'd block *storage.  Returns the number
 * of words; 0 if there are none (then nothing is allocated).
 */
unsigned cpp_split_command(const char *cmd, char ***argv, char **storage);

#endif
