/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the front end's unit tests: run it over in-memory files
 * (no preprocessor, no disk) and capture its diagnostics and AST dump as
 * strings to compare.
 */
#ifndef QRPC_IDL_TEST_UTIL_H
#define QRPC_IDL_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"

struct run {
	char *diag;		/* everything diag printed */
	char *dump;		/* --dump-ast output, "" on errors */
	int rc;
	unsigned errors, warnings;
};

/*
 * Run over @n @files (NUL-terminated strings), compiling @main.  @o may
 * be NULL; its mem_files/no_cpp/no_disk are overridden.
 */
static inline void run_files(struct run *r, const char *const files[][2],
			     unsigned n, const char *main,
			     const struct frontend_options *o, bool caret)
{
	struct mem_file mf[8];
	struct frontend_options opt = { 0 };
	struct frontend fe;
	struct diag d;
	size_t dlen = 0, plen = 0;
	FILE *dout, *pout;

	if (o)
		opt = *o;
	for (unsigned i = 0; i < n && i < 8; i++) {
		mf[i].name = files[i][0];
		mf[i].data = files[i][1];
		mf[i].len = strlen(files[i][1]);
	}
	opt.mem_files = mf;
	opt.n_mem_files = n;
	opt.no_cpp = true;
	opt.no_disk = true;
	dout = open_memstream(&r->diag, &dlen);
	pout = open_memstream(&r->dump, &plen);
	diag_init(&d, dout);
	d.caret = caret;
	d.max_errors = 50;
	frontend_init(&fe, &d, &opt);
	r->rc = frontend_run(&fe, main);
	if (!r->rc)
		ast_dump(pout, &fe.ast);
	r->errors = d.errors;
	r->warnings = d.warnings;
	frontend_fini(&fe);
	diag_fini(&d);
	fclose(dout);
	fclose(pout);
}

/* One IDL file "t.idl", and an ACF "t.acf" when @acf is not NULL. */
static inline void run_idl(struct run *r, const char *idl, const char *acf)
{
	const char *files[2][2] = { { "t.idl", idl }, { "t.acf", acf } };

	run_files(r, files, acf ? 2 : 1, "t.idl", NULL, false);
}

static inline void run_free(struct run *r)
{
	free(r->diag);
	free(r->dump);
}

#endif
