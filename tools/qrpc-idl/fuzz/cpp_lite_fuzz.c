// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target, differential: the in-process preprocessor against
 * the real one.  Every text cpp_lite() accepts is run through cpp too,
 * and the tokens and their lines must be the same (tests/cpp_tokens.h);
 * cpp rejecting a text cpp_lite() accepted is a finding as well.  What
 * cpp_lite() declines costs nothing, so most of the time goes to the
 * cases that matter.  Needs cpp on $PATH.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpp_lite.h"
#include "../tests/cpp_tokens.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const args[] = { "-DUSER=7", "-DF(a)=(a)",
					     "-UNOPE" };
	const struct cpp_options o = { .args = args, .n_args = 3 };
	const char *text = (const char *)data;
	struct ctoks a = { 0 }, b = { 0 };
	size_t la, lb;
	char *mine, *real;

	if (cpp_lite(&o, text, size, &mine, &la) != CPP_LITE_DONE)
		return 0;
	real = ctok_real_cpp(&o, "f.idl", text, size, &lb, stderr);
	if (!real) {
		fprintf(stderr, "cpp rejected what cpp_lite accepted:\n%s\n",
			mine);
		abort();
	}
	ctok_split(&a, mine, la, "f.idl");
	ctok_split(&b, real, lb, "f.idl");
	if (!ctok_same(&a, &b, stderr)) {
		fprintf(stderr, "in-process:\n%s\ncpp:\n%s\n", mine, real);
		abort();
	}
	free(a.t);
	free(b.t);
	free(mine);
	free(real);
	return 0;
}
