// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the bytes the preprocessor cache reads back: an
 * entry file (anything may have written or damaged it) and the line
 * markers of preprocessor output.  The input is parsed as an entry with
 * and without a key (its first 16 bytes), with a dependency callback
 * that refuses some, and scanned for markers.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cpp_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool some_deps(const struct cpp_cache_dep *d)
{
	return strlen(d->path) % 3 != 0;
}

static void touch_name(void *ctx, const char *name)
{
	size_t *total = ctx;

	*total += strlen(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct cpp_cache_entry e;
	size_t total = 0;

	if (!cpp_cache_parse(buf, size, NULL, 0, some_deps, &e)) {
		/* What a hit hands on must be whole and terminated. */
		if (e.out[e.out_len] != '\0' || e.err[e.err_len] != '\0')
			__builtin_trap();
		cpp_cache_entry_free(&e);
	}
	if (size >= 16 && !cpp_cache_parse(buf, size, buf, 16, NULL, &e))
		cpp_cache_entry_free(&e);
	cpp_cache_marked_files(buf, size, touch_name, &total);
	return 0;
}
