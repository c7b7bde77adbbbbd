/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The preprocessor's work done in-process, for the files that need only
 * a little of it.  Starting cpp costs a compilation more than lexing,
 * parsing and writing the header together, and most IDL files that need
 * it at all use only #define, #ifdef __WIDL__, #if 0 and #pragma.  Those
 * are done here; a file that uses anything else, or anything this code
 * is not sure to do exactly as gcc's cpp would, is left to cpp.
 */
#ifndef QRPC_IDL_CPP_LITE_H
#define QRPC_IDL_CPP_LITE_H

#include <stddef.h>

#include "cpp.h"

enum cpp_lite_result {
	CPP_LITE_NO_MEMORY = -1,
	CPP_LITE_DECLINED = 0,	/* run cpp: its output could differ */
	CPP_LITE_DONE = 1,
};

/*
 * Preprocess @text (@len bytes) as "cpp -undef" with @o's -D and -U
 * (in order, after __midl and __QRPC_IDL__) would, or decline.
 *
 * Done: object-like and function-like macros (no '#', '##' or '...'),
 * #undef, #if/#elif over integer expressions with defined, #ifdef,
 * #ifndef, #else, #endif, the null directive, and the pragmas that cpp
 * copies untouched (makedep, midl_echo, prefast, warning, winrt).
 * Declined: #include and every other directive; an invocation that
 * spans lines or whose '(' might be on a later line; an expansion that
 * meets a macro already being expanded; a redefinition; the names cpp
 * gives a meaning of its own (__FILE__, __STDC__..., __has_..., _Pragma,
 * __GNUC__...); anything cpp would warn about (extra tokens, an
 * unterminated comment, literal or conditional, an overflow); and any
 * user option but -D, -U and -I, or a --cpp command.
 *
 * The output has the input's lines: a directive or a skipped line
 * becomes an empty one (a #pragma stays, its blanks squeezed as cpp
 * squeezes them), comments are kept (the lexer skips them), and an
 * expansion is set off by blanks where its tokens could otherwise run
 * into their neighbours'.
 *
 * On CPP_LITE_DONE *out is a malloc'd, NUL-terminated text of *out_len
 * bytes.
 */
enum cpp_lite_result cpp_lite(const struct cpp_options *o, const char *text,
			      size_t len, char **out, size_t *out_len);

#endif
