// SPDX-License-Identifier: GPL-2.0
/*
 * Placeholder for the header generator: the option is accepted so that
 * build rules can be written now, but no file is produced, since a
 * half-made header would compile and mislead.
 */
#include "header.h"

int header_write(const struct ast *ast, const struct gen_options *g,
		 const char *path, struct diag *d)
{
	(void)ast;
	(void)g;
	diag_warning(d, NULL, W_GENERAL, 0,
		     "header generation is not implemented yet: '%s' was not written",
		     path);
	return 0;
}
