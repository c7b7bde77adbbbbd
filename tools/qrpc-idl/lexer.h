/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tokens of preprocessed IDL and ACF text.
 *
 * The lexer knows no keywords: MIDL's attribute words are keywords only
 * inside [ ] and real files use "async", "message" and "idempotent" as
 * names, so every word is a T_IDENT and the parser decides what it
 * means where it stands.  For the same reason a UUID, which looks like
 * numbers and words joined by '-', is lexed only when the parser asks
 * (lexer_uuid(), after "uuid(").
 */
#ifndef QRPC_IDL_LEXER_H
#define QRPC_IDL_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

/* One-character punctuators are their own character code. */
enum tok_kind {
	T_EOF = 0,
	T_IDENT = 256,
	T_INT,		/* ival, int_flags */
	T_FLOAT,	/* fval */
	T_STRING,	/* text/text_len: the value, escapes decoded */
	T_WSTRING,	/* L"..." */
	T_CHAR,		/* ival: the value; 'x' and L'x' */
	T_UUID,		/* uuid: from lexer_uuid() only */
	T_PRAGMA,	/* text: the line after "#pragma", trimmed */
	T_OROR,		/* || */
	T_ANDAND,	/* && */
	T_EQ,		/* == */
	T_NE,		/* != */
	T_LE,		/* <= */
	T_GE,		/* >= */
	T_SHL,		/* << */
	T_SHR,		/* >> */
	T_DOTDOT,	/* .. (DCE array bounds) */
	T_ARROW,	/* -> */
	T_ELLIPSIS,	/* ... */
};

/* Integer literal spelling, kept for output that must echo it. */
enum {
	INT_HEX = 1 << 0,
	INT_OCTAL = 1 << 1,
	INT_UNSIGNED = 1 << 2,	/* U suffix */
	INT_LONG = 1 << 3,	/* L suffix */
	INT_LONGLONG = 1 << 4,	/* LL suffix */
};

struct token {
	int kind;
	struct src_loc loc;
	const char *spelling;	/* in the lexed buffer, not NUL-ended */
	size_t spelling_len;
	const char *text;	/* arena copy: identifier, string value... */
	size_t text_len;
	uint64_t ival;
	unsigned int_flags;
	double fval;
	uint8_t uuid[16];	/* in the byte order of the string form */
};

/* Where the lexer is; saved and restored for look-ahead. */
struct lex_pos {
	const char *p;
	const char *line_start;
	const char *file;	/* current file name (arena) */
	unsigned line;
	bool bol;		/* only blanks so far on this line */
	/* The original file's line, to give true columns (see lexer.c). */
	const char *orig;
	size_t orig_len, orig_cursor;
	bool orig_loaded, orig_first;
};

struct lexer {
	struct arena *arena;
	struct diag *diag;
	const char *buf, *end;
	bool raw;		/* --no-cpp: text not preprocessed */
	bool quiet;		/* look-ahead: no diagnostics */
	struct lex_pos pos;
};

/*
 * Lex @len bytes at @buf (which must stay alive), first line named
 * @file.  @raw is set for text that did not go through cpp: directives
 * other than line markers and #pragma are then errors.
 */
void lexer_init(struct lexer *lx, struct arena *a, struct diag *d,
		const char *buf, size_t len, const char *file, bool raw);

void lexer_next(struct lexer *lx, struct token *t);

/*
 * Lex a UUID, bare (12345678-1234-abcd-ef00-0123456789ab) or quoted.
 * Returns false, with an error reported, if the text there is not one;
 * the lexer then stands after what looked like it.
 */
bool lexer_uuid(struct lexer *lx, struct token *t);

/* Parse the 36-character form into 16 bytes; false if malformed. */
bool uuid_parse(const char *s, size_t len, uint8_t out[16]);

/* A readable name for a token kind, for "expected X" messages. */
const char *tok_kind_name(int kind);

/* The token as the user wrote it, for messages ("'foo'", "end of file"). */
const char *tok_describe(struct arena *a, const struct token *t);

#endif
