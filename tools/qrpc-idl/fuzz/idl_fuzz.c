// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the whole compiler but its file output: the test
 * of whether a file needs the preprocessor, lexer, parser, import
 * handling, ACF merge, diagnostics, the semantic checks, the AST dump,
 * the header generator and the stubs' (writing to /dev/null).
 *
 * The input is an IDL file, optionally followed by a NUL byte and an
 * ACF.  Both are in-memory files ("fuzz.idl", "fuzz.acf") preprocessed
 * in-process only (cpp_lite.h; what it declines is read as it is), and
 * nothing touches the disk, so imports can only find the two files
 * themselves (which exercises the cycle guard).
 * Sanitizer reports, crashes and hangs are the bugs; parse errors are
 * the normal case.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cpp.h"
#include "frontend.h"
#include "header.h"
#include "stub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keeps cpp_needed()'s result from being optimised away. */
static volatile int sink_byte;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	struct mem_file files[2] = {
		{ "fuzz.idl", text, nul ? (size_t)(nul - text) : size },
	};
	struct frontend_options o = {
		.cpp_lite_only = true,
		.no_disk = true,
		.mem_files = files,
		.n_mem_files = 1,
	};
	struct frontend fe;
	struct diag d;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		return 0;
	if (nul) {
		files[1].name = "fuzz.acf";
		files[1].data = nul + 1;
		files[1].len = size - files[0].len - 1;
		o.n_mem_files = 2;
	}
	/* Whether cpp must run is decided over the same untrusted bytes. */
	{
		static const char *const args[] = { "-DX", "-DF(a)=a" };
		struct cpp_options co = { .args = args, .n_args = 2 };

		if (!cpp_needed(&co, text, files[0].len))
			sink_byte ^= 1;
	}
	diag_init(&d, sink);
	d.max_errors = 50;
	frontend_init(&fe, &d, &o);
	if (frontend_run(&fe, "fuzz.idl") == 0 &&
	    check_run(&fe.ast, &d) == 0) {
		ast_dump(sink, &fe.ast);
		header_emit(sink, &fe.ast, NULL);
		if (stub_check(&fe.ast, &d) == 0) {
			stub_emit(sink, &fe.ast, NULL, "fuzz.h", false);
			stub_emit(sink, &fe.ast, NULL, "fuzz.h", true);
		}
	}
	frontend_fini(&fe);
	diag_fini(&d);
	return 0;
}
