/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnostics in the form gcc and clang print, so that editors and CI
 * log scrapers that know those recognise ours:
 *
 *   file:line:col: error: text [MIDLnnnn]
 *      12 | the source line
 *         |     ^
 *
 * Locations name the user's original file (from the preprocessor's line
 * markers), so the quoted line is read from that file, not from the
 * preprocessed text.
 */
#ifndef QRPC_IDL_DIAG_H
#define QRPC_IDL_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A position in an original source file; line and col count from 1. */
struct src_loc {
	const char *file;	/* NULL: no location (command line) */
	unsigned line, col;
};

/*
 * Warnings that -W options name.  Warnings that MIDL numbers can also be
 * silenced by number (midl_pragma warning(disable: N)).
 */
enum diag_warning {
	W_GENERAL,		/* -Wgeneral: the catch-all */
	W_UNKNOWN_PRAGMA,	/* -Wunknown-pragma */
	W_IMPORT,		/* -Wimport: import problems that are not fatal */
	W_ACF,			/* -Wacf: ACF entries with no effect */
	W_SYNTAX,		/* -Wsyntax: accepted but doubtful syntax */
	W__COUNT
};

struct diag_file;

#define DIAG_MAX_MIDL_DISABLED 64

struct diag {
	FILE *out;
	unsigned errors, warnings;
	unsigned max_errors;		/* 0: unlimited */
	bool werror;			/* every warning is an error */
	bool no_warnings;		/* -w */
	bool stopped;			/* max_errors reached */
	bool caret;			/* quote the source line */
	bool suppress_notes;		/* the last warning was silenced */
	bool enabled[W__COUNT];
	bool as_error[W__COUNT];
	unsigned n_midl_disabled;
	int midl_disabled[DIAG_MAX_MIDL_DISABLED];
	struct diag_file *files;
};

void diag_init(struct diag *d, FILE *out);
void diag_fini(struct diag *d);

/*
 * A -W option without its leading "-W" ("error", "no-import", ...) or
 * "-w".  Returns 0, or -1 if the option is unknown.
 */
int diag_option(struct diag *d, const char *opt);

/*
 * Source text for a file name, used for the quoted line instead of
 * reading the file: in-memory inputs (tests, the fuzzer) and files the
 * caller has read already.  The text is copied.
 */
void diag_set_source(struct diag *d, const char *name, const char *text,
		     size_t len);

/*
 * Line @line (from 1) of @file without its newline, or NULL if the file
 * or the line does not exist.  Files are read once and cached.
 */
const char *diag_source_line(struct diag *d, const char *file,
			     unsigned line, size_t *len);

/* midl_pragma warning(disable|enable: N) */
void diag_midl_warning_state(struct diag *d, int midl, bool enable);

/* @midl is the MIDL error number, 0 if MIDL has none. */
void diag_error(struct diag *d, const struct src_loc *loc, int midl,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_warning(struct diag *d, const struct src_loc *loc,
		  enum diag_warning w, int midl, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A note belongs to the preceding error or warning. */
void diag_note(struct diag *d, const struct src_loc *loc,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* True once the error cap is reached: callers stop working. */
static inline bool diag_stopped(const struct diag *d)
{
	return d->stopped;
}

#endif
