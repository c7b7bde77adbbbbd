/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The front end as a library: read the IDL (from disk or memory), run
 * the preprocessor, parse it and what it imports, then merge the ACF.
 * No exit(), no global state: main.c, the unit tests and the fuzzer
 * all drive it the same way.
 */
#ifndef QRPC_IDL_FRONTEND_H
#define QRPC_IDL_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "cpp.h"
#include "diag.h"

/* A file held in memory, found by its name before the file system. */
struct mem_file {
	const char *name;
	const char *data;
	size_t len;
};

struct frontend_options {
	const char *const *include_dirs;	/* -I, also for imports */
	unsigned n_include_dirs;
	struct cpp_options cpp;
	bool no_cpp;
	/*
	 * Preprocess in-process only (cpp_lite.h); a file it declines is
	 * read as with no_cpp.  For the fuzzer, which starts no programs.
	 */
	bool cpp_lite_only;
	const char *acf_path;		/* NULL: NAME.acf beside the IDL */
	bool acf_explicit;		/* --acf given */
	bool no_acf;			/* do not look for one */
	const struct mem_file *mem_files;
	unsigned n_mem_files;
	bool no_disk;			/* memory files only */
};

struct seen_file;
struct text_buf;

struct frontend {
	struct arena arena;
	struct ast ast;
	struct diag *diag;
	const struct frontend_options *opts;
	struct seen_file *seen;
	struct text_buf *texts;
	unsigned import_depth;
};

/* Deepest chain of imports followed. */
#define FRONTEND_MAX_IMPORT_DEPTH 64

void frontend_init(struct frontend *fe, struct diag *d,
		   const struct frontend_options *o);
/* Frees the tree and every buffer. */
void frontend_fini(struct frontend *fe);

/*
 * Parse @path and its imports and merge the ACF into fe->ast.  Returns
 * 0 if no error was reported (diag->errors), else -1.
 */
int frontend_run(struct frontend *fe, const char *path);

#endif
