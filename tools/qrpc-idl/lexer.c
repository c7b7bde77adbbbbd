// SPDX-License-Identifier: GPL-2.0
/*
 * The lexer.  Works on a length-bounded buffer (the input may hold NUL
 * bytes, and the fuzzer hands over unterminated memory).
 *
 * True columns: gcc's preprocessor keeps each line's first column but
 * squeezes the blanks between tokens and drops comments, so columns
 * taken from its output drift to the left.  The lexer therefore walks
 * the original line (from the diagnostics' file cache) alongside,
 * matching each token's spelling; where a macro expansion makes them
 * differ it searches forward, and failing that keeps the cpp column.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

void lexer_init(struct lexer *lx, struct arena *a, struct diag *d,
		const char *buf, size_t len, const char *file, bool raw)
{
	memset(lx, 0, sizeof(*lx));
	lx->arena = a;
	lx->diag = d;
	lx->buf = buf;
	lx->end = buf + len;
	lx->raw = raw;
	lx->pos.p = buf;
	lx->pos.line_start = buf;
	lx->pos.file = file;
	lx->pos.line = 1;
	lx->pos.bol = true;
}

static int ch(const struct lexer *lx, const char *p)
{
	return p < lx->end ? (unsigned char)*p : -1;
}

static bool is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == '$';
}

static bool is_ident_char(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static struct src_loc here(const struct lexer *lx, const char *p)
{
	struct src_loc l = {
		.file = lx->pos.file,
		.line = lx->pos.line,
		.col = (unsigned)(p - lx->pos.line_start) + 1,
	};
	return l;
}

#define lex_error(lx, loc, ...)						\
	do {								\
		if (!(lx)->quiet)					\
			diag_error((lx)->diag, (loc), 0, __VA_ARGS__);	\
	} while (0)

static void newline(struct lexer *lx, const char *after)
{
	lx->pos.line++;
	lx->pos.line_start = after;
	lx->pos.bol = true;
	lx->pos.orig_loaded = false;
}

/* Skip blanks and comments; stops at a token, a newline is consumed. */
static void skip_space(struct lexer *lx)
{
	const char *p = lx->pos.p;

	for (;;) {
		int c = ch(lx, p);

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			p++;
		} else if (c == '\n') {
			p++;
			newline(lx, p);
		} else if (c == '/' && ch(lx, p + 1) == '/') {
			while (p < lx->end && *p != '\n')
				p++;
		} else if (c == '/' && ch(lx, p + 1) == '*') {
			struct src_loc start = here(lx, p);

			p += 2;
			for (;;) {
				if (p >= lx->end) {
					lex_error(lx, &start,
						  "unterminated comment");
					break;
				}
				if (*p == '*' && ch(lx, p + 1) == '/') {
					p += 2;
					break;
				}
				if (*p == '\n')
					newline(lx, p + 1);
				p++;
			}
		} else {
			break;
		}
	}
	lx->pos.p = p;
}

static void skip_line(struct lexer *lx)
{
	const char *p = lx->pos.p;

	while (p < lx->end && *p != '\n')
		p++;
	lx->pos.p = p;
}

/* Where @len bytes spelled @s start in the original line, or -1. */
static long orig_find(const struct lex_pos *pos, const char *s, size_t len,
		      size_t from, bool word)
{
	const char *o = pos->orig;

	for (size_t i = from; i + len <= pos->orig_len; i++) {
		if (memcmp(o + i, s, len) != 0)
			continue;
		if (word && ((i && is_ident_char((unsigned char)o[i - 1])) ||
			     (i + len < pos->orig_len &&
			      is_ident_char((unsigned char)o[i + len]))))
			continue;
		return (long)i;
	}
	return -1;
}

static size_t orig_skip_blanks(const struct lex_pos *pos, size_t i)
{
	const char *o = pos->orig;

	while (i < pos->orig_len) {
		if (o[i] == ' ' || o[i] == '\t' || o[i] == '\r') {
			i++;
		} else if (o[i] == '/' && i + 1 < pos->orig_len &&
			   o[i + 1] == '*') {
			i += 2;
			while (i + 1 < pos->orig_len &&
			       !(o[i] == '*' && o[i + 1] == '/'))
				i++;
			i += 2;
		} else {
			break;
		}
	}
	return i;
}

static void fix_column(struct lexer *lx, struct token *t)
{
	struct lex_pos *pos = &lx->pos;
	size_t len = t->spelling_len, at;
	long found = -1;

	if (lx->raw || !len)
		return;
	if (!pos->orig_loaded) {
		pos->orig = diag_source_line(lx->diag, pos->file, pos->line,
					     &pos->orig_len);
		pos->orig_loaded = true;
		pos->orig_cursor = 0;
		pos->orig_first = true;
	}
	if (!pos->orig)
		return;
	at = orig_skip_blanks(pos, pos->orig_cursor);
	if (at + len <= pos->orig_len && !memcmp(pos->orig + at, t->spelling,
						  len))
		found = (long)at;
	else if (pos->orig_first && t->loc.col - 1 + len <= pos->orig_len &&
		 !memcmp(pos->orig + t->loc.col - 1, t->spelling, len))
		found = (long)t->loc.col - 1;
	else
		found = orig_find(pos, t->spelling, len, pos->orig_cursor,
				  is_ident_start((unsigned char)t->spelling[0]));
	pos->orig_first = false;
	if (found < 0)
		return;
	t->loc.col = (unsigned)found + 1;
	pos->orig_cursor = (size_t)found + len;
}

/* A line marker "# 12 "file" 1 3" or "#line 12 "file"", at @p. */
static void line_marker(struct lexer *lx, const char *p)
{
	unsigned long line = 0;
	const char *name = NULL;
	size_t name_len = 0;
	char *buf;

	while (is_digit(ch(lx, p))) {
		if (line < 100000000)
			line = line * 10 + (unsigned long)(*p - '0');
		p++;
	}
	while (ch(lx, p) == ' ' || ch(lx, p) == '\t')
		p++;
	if (ch(lx, p) == '"') {
		const char *s = ++p;

		while (p < lx->end && *p != '"' && *p != '\n') {
			if (*p == '\\' && p + 1 < lx->end && p[1] != '\n')
				p++;
			p++;
		}
		name = s;
		name_len = (size_t)(p - s);
	}
	lx->pos.p = p;
	skip_line(lx);
	if (ch(lx, lx->pos.p) == '\n')
		lx->pos.p++;
	lx->pos.line_start = lx->pos.p;
	lx->pos.line = line ? (unsigned)line : 1;
	lx->pos.bol = true;
	lx->pos.orig_loaded = false;
	if (!name)
		return;
	/* Undo the quoting cpp did; reuse the name when it is the same. */
	buf = arena_alloc(lx->arena, name_len + 1);
	for (size_t i = 0, o = 0; i < name_len; i++) {
		if (name[i] == '\\' && i + 1 < name_len)
			i++;
		buf[o++] = name[i];
	}
	if (strcmp(buf, lx->pos.file) != 0)
		lx->pos.file = buf;
}

/*
 * A directive at the start of a line.  Returns true if it produced a
 * token (a pragma) in @t.
 */
static bool directive(struct lexer *lx, struct token *t)
{
	const char *hash = lx->pos.p, *p = hash + 1, *w;
	struct src_loc loc = here(lx, hash);
	size_t wlen;

	while (ch(lx, p) == ' ' || ch(lx, p) == '\t')
		p++;
	if (is_digit(ch(lx, p))) {
		line_marker(lx, p);
		return false;
	}
	w = p;
	while (is_ident_char(ch(lx, p)))
		p++;
	wlen = (size_t)(p - w);
	if (wlen == 4 && !memcmp(w, "line", 4)) {
		while (ch(lx, p) == ' ' || ch(lx, p) == '\t')
			p++;
		if (is_digit(ch(lx, p))) {
			line_marker(lx, p);
			return false;
		}
	}
	if (wlen == 6 && !memcmp(w, "pragma", 6)) {
		const char *s, *e;

		while (ch(lx, p) == ' ' || ch(lx, p) == '\t')
			p++;
		s = p;
		while (p < lx->end && *p != '\n')
			p++;
		e = p;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
				 e[-1] == '\r'))
			e--;
		memset(t, 0, sizeof(*t));
		t->kind = T_PRAGMA;
		t->loc = loc;
		t->spelling = hash;
		t->spelling_len = (size_t)(p - hash);
		t->text = arena_strndup(lx->arena, s, (size_t)(e - s));
		t->text_len = (size_t)(e - s);
		lx->pos.p = p;
		lx->pos.bol = false;
		return true;
	}
	lx->pos.p = p;
	skip_line(lx);
	if (!wlen)	/* the null directive */
		return false;
	if (wlen == 5 && !memcmp(w, "ident", 5))
		return false;
	if (lx->raw)
		lex_error(lx, &loc,
			  "preprocessing directive '#%.*s' needs the C preprocessor (--no-cpp was given)",
			  (int)wlen, w);
	else
		lex_error(lx, &loc, "unexpected preprocessing directive '#%.*s'",
			  (int)wlen, w);
	return false;
}

/* One escape after the backslash at *pp; advances *pp past it. */
static unsigned long escape(struct lexer *lx, const char **pp,
			    const char *limit)
{
	const char *p = *pp + 1;	/* after the backslash */
	int c = p < limit ? (unsigned char)*p : -1;
	unsigned long v = 0;
	int n;

	p++;
	switch (c) {
	case 'n': v = '\n'; break;
	case 't': v = '\t'; break;
	case 'r': v = '\r'; break;
	case 'a': v = '\a'; break;
	case 'b': v = '\b'; break;
	case 'f': v = '\f'; break;
	case 'v': v = '\v'; break;
	case 'e': v = 27; break;
	case '\\': case '\'': case '"': case '?':
		v = (unsigned long)c;
		break;
	case 'x':
		for (n = 0; p < limit && hex_value((unsigned char)*p) >= 0;
		     n++, p++)
			if (v < 0x1000000)
				v = v * 16 + (unsigned long)hex_value(*p);
		if (!n) {
			struct src_loc l = here(lx, *pp);

			lex_error(lx, &l, "\\x used with no following hex digits");
		}
		break;
	case '0': case '1': case '2': case '3':
	case '4': case '5': case '6': case '7':
		v = (unsigned long)(c - '0');
		for (n = 1; n < 3 && p < limit && *p >= '0' && *p <= '7';
		     n++, p++)
			v = v * 8 + (unsigned long)(*p - '0');
		break;
	default:
		v = c < 0 ? 0 : (unsigned long)c;
		if (c >= 0) {
			struct src_loc l = here(lx, *pp);

			if (!lx->quiet)
				diag_warning(lx->diag, &l, W_SYNTAX, 0,
					     "unknown escape sequence '\\%c'",
					     isprint(c) ? c : '?');
		}
		if (c < 0)
			p--;
		break;
	}
	*pp = p;
	return v;
}

/* A quoted string or character at @p (the opening quote). */
static void quoted(struct lexer *lx, struct token *t, const char *p, int q)
{
	const char *s = p + 1, *e;
	char *out;
	size_t n = 0;

	for (e = s; e < lx->end && *e != q && *e != '\n'; e++)
		if (*e == '\\' && e + 1 < lx->end && e[1] != '\n')
			e++;
	out = arena_alloc(lx->arena, (size_t)(e - s) + 1);
	for (const char *c = s; c < e;) {
		if (*c == '\\')
			out[n++] = (char)escape(lx, &c, e);
		else
			out[n++] = *c++;
	}
	out[n] = '\0';
	t->text = out;
	t->text_len = n;
	if (e >= lx->end || *e != q) {
		lex_error(lx, &t->loc, "missing terminating %c character", q);
		lx->pos.p = e;
	} else {
		lx->pos.p = e + 1;
	}
	if (q == '\'') {
		t->ival = n ? (unsigned char)out[0] : 0;
		if (n != 1)
			lex_error(lx, &t->loc, n ? "multi-character character constant"
					       : "empty character constant");
	}
}

static void number(struct lexer *lx, struct token *t, const char *p)
{
	const char *s = p;
	bool is_float = false, overflow = false, bad_octal = false;
	uint64_t v = 0;

	if (*p == '0' && (ch(lx, p + 1) == 'x' || ch(lx, p + 1) == 'X') &&
	    hex_value(ch(lx, p + 2)) >= 0) {
		t->int_flags |= INT_HEX;
		for (p += 2; hex_value(ch(lx, p)) >= 0; p++) {
			if (v >> 60)
				overflow = true;
			v = v * 16 + (uint64_t)hex_value(*p);
		}
	} else {
		bool octal = *p == '0';

		for (; is_digit(ch(lx, p)); p++) {
			unsigned d = (unsigned)(*p - '0');
			uint64_t base = octal ? 8 : 10;

			if (octal && d > 7)
				bad_octal = true;
			if (v > (UINT64_MAX - d) / base)
				overflow = true;
			v = v * base + d;
		}
		/* "0..*" is 0 followed by "..", not the float "0.". */
		if (ch(lx, p) == '.' && ch(lx, p + 1) != '.') {
			is_float = true;
			p++;
			while (is_digit(ch(lx, p)))
				p++;
		}
		if ((ch(lx, p) == 'e' || ch(lx, p) == 'E') &&
		    (is_digit(ch(lx, p + 1)) ||
		     ((ch(lx, p + 1) == '+' || ch(lx, p + 1) == '-') &&
		      is_digit(ch(lx, p + 2))))) {
			is_float = true;
			p += 2;
			while (is_digit(ch(lx, p)))
				p++;
		}
		if (octal && !is_float && p - s > 1)
			t->int_flags |= INT_OCTAL;
	}
	if (is_float) {
		char *copy = arena_strndup(lx->arena, s, (size_t)(p - s));

		t->kind = T_FLOAT;
		t->fval = strtod(copy, NULL);
		if (ch(lx, p) == 'f' || ch(lx, p) == 'F' || ch(lx, p) == 'l' ||
		    ch(lx, p) == 'L')
			p++;
	} else {
		t->kind = T_INT;
		t->ival = v;
		for (;;) {
			int c = ch(lx, p);

			if ((c == 'u' || c == 'U') &&
			    !(t->int_flags & INT_UNSIGNED)) {
				t->int_flags |= INT_UNSIGNED;
			} else if ((c == 'l' || c == 'L') &&
				   !(t->int_flags & INT_LONGLONG)) {
				t->int_flags |= (t->int_flags & INT_LONG) ?
						INT_LONGLONG : INT_LONG;
			} else {
				break;
			}
			p++;
		}
		if (overflow)
			lex_error(lx, &t->loc, "integer constant is too large");
		if (bad_octal && !(t->int_flags & INT_HEX))
			lex_error(lx, &t->loc,
				  "invalid digit in octal constant");
	}
	if (is_ident_char(ch(lx, p))) {
		const char *e = p;

		while (is_ident_char(ch(lx, e)))
			e++;
		lex_error(lx, &t->loc, "invalid suffix '%.*s' on %s constant",
			  (int)(e - p), p, is_float ? "floating" : "integer");
		p = e;
	}
	lx->pos.p = p;
}

static const struct {
	char s[4];
	int kind;
} multi_punct[] = {
	{ "...", T_ELLIPSIS }, { "||", T_OROR }, { "&&", T_ANDAND },
	{ "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
	{ "<<", T_SHL }, { ">>", T_SHR }, { "..", T_DOTDOT },
	{ "->", T_ARROW },
};

static const char single_punct[] = "()[]{},;:?=<>+-*/%&|^!~.";

void lexer_next(struct lexer *lx, struct token *t)
{
	const char *p;
	int c;

again:
	skip_space(lx);
	p = lx->pos.p;
	memset(t, 0, sizeof(*t));
	t->loc = here(lx, p);
	t->spelling = p;
	c = ch(lx, p);
	if (c < 0) {
		t->kind = T_EOF;
		return;
	}
	if (c == '#' && lx->pos.bol) {
		if (directive(lx, t))
			return;
		goto again;
	}
	lx->pos.bol = false;
	if (is_ident_start(c)) {
		if (c == 'L' && (ch(lx, p + 1) == '"' || ch(lx, p + 1) == '\'')) {
			int q = ch(lx, p + 1);

			t->kind = q == '"' ? T_WSTRING : T_CHAR;
			quoted(lx, t, p + 1, q);
		} else {
			while (is_ident_char(ch(lx, p)))
				p++;
			t->kind = T_IDENT;
			t->text_len = (size_t)(p - t->spelling);
			t->text = arena_strndup(lx->arena, t->spelling,
						t->text_len);
			lx->pos.p = p;
		}
	} else if (is_digit(c) || (c == '.' && is_digit(ch(lx, p + 1)))) {
		number(lx, t, p);
	} else if (c == '"' || c == '\'') {
		t->kind = c == '"' ? T_STRING : T_CHAR;
		quoted(lx, t, p, c);
	} else {
		size_t i;

		for (i = 0; i < sizeof(multi_punct) / sizeof(multi_punct[0]);
		     i++) {
			size_t n = strlen(multi_punct[i].s);

			if ((size_t)(lx->end - p) >= n &&
			    !memcmp(p, multi_punct[i].s, n)) {
				t->kind = multi_punct[i].kind;
				lx->pos.p = p + n;
				break;
			}
		}
		if (i == sizeof(multi_punct) / sizeof(multi_punct[0])) {
			if (c && strchr(single_punct, c)) {
				t->kind = c;
				lx->pos.p = p + 1;
			} else {
				if (isprint(c))
					lex_error(lx, &t->loc,
						  "stray '%c' in program", c);
				else
					lex_error(lx, &t->loc,
						  "stray '\\%o' in program", c);
				lx->pos.p = p + 1;
				goto again;
			}
		}
	}
	t->spelling_len = (size_t)(lx->pos.p - t->spelling);
	fix_column(lx, t);
}

bool uuid_parse(const char *s, size_t len, uint8_t out[16])
{
	static const unsigned groups[] = { 8, 4, 4, 4, 12 };
	size_t i = 0;
	unsigned o = 0;

	if (len != 36)
		return false;
	for (unsigned g = 0; g < 5; g++) {
		if (g) {
			if (s[i] != '-')
				return false;
			i++;
		}
		for (unsigned k = 0; k < groups[g]; k += 2) {
			int hi = hex_value((unsigned char)s[i]);
			int lo = hex_value((unsigned char)s[i + 1]);

			if (hi < 0 || lo < 0)
				return false;
			out[o++] = (uint8_t)(hi << 4 | lo);
			i += 2;
		}
	}
	return true;
}

bool lexer_uuid(struct lexer *lx, struct token *t)
{
	const char *p, *s, *e;
	bool quoted_form = false;

	skip_space(lx);
	p = lx->pos.p;
	memset(t, 0, sizeof(*t));
	t->kind = T_UUID;
	t->loc = here(lx, p);
	t->spelling = p;
	lx->pos.bol = false;
	if (ch(lx, p) == '"') {
		quoted_form = true;
		s = ++p;
		while (p < lx->end && *p != '"' && *p != '\n')
			p++;
		e = p;
		if (ch(lx, p) == '"')
			p++;
	} else {
		s = p;
		while (hex_value(ch(lx, p)) >= 0 || ch(lx, p) == '-' ||
		       is_ident_char(ch(lx, p)))
			p++;
		e = p;
	}
	lx->pos.p = p;
	t->spelling_len = (size_t)(p - t->spelling);
	t->text = arena_strndup(lx->arena, s, (size_t)(e - s));
	t->text_len = (size_t)(e - s);
	fix_column(lx, t);
	if (!uuid_parse(s, (size_t)(e - s), t->uuid)) {
		lex_error(lx, &t->loc, "invalid UUID %s%.*s%s",
			  quoted_form ? "\"" : "'", (int)(e - s), s,
			  quoted_form ? "\"" : "'");
		return false;
	}
	return true;
}

const char *tok_kind_name(int kind)
{
	static char one[4][4];
	static unsigned slot;

	switch (kind) {
	case T_EOF: return "end of file";
	case T_IDENT: return "identifier";
	case T_INT: return "integer constant";
	case T_FLOAT: return "floating constant";
	case T_STRING: return "string constant";
	case T_WSTRING: return "wide string constant";
	case T_CHAR: return "character constant";
	case T_UUID: return "UUID";
	case T_PRAGMA: return "'#pragma'";
	case T_OROR: return "'||'";
	case T_ANDAND: return "'&&'";
	case T_EQ: return "'=='";
	case T_NE: return "'!='";
	case T_LE: return "'<='";
	case T_GE: return "'>='";
	case T_SHL: return "'<<'";
	case T_SHR: return "'>>'";
	case T_DOTDOT: return "'..'";
	case T_ARROW: return "'->'";
	case T_ELLIPSIS: return "'...'";
	}
	/* Rotating buffers: a message may name two punctuators. */
	slot = (slot + 1) % 4;
	snprintf(one[slot], sizeof(one[slot]), "'%c'",
		 kind > 32 && kind < 127 ? kind : '?');
	return one[slot];
}

const char *tok_describe(struct arena *a, const struct token *t)
{
	switch (t->kind) {
	case T_IDENT:
		return arena_printf(a, "'%.*s'", (int)(t->text_len > 40 ? 40 :
						       t->text_len), t->text);
	case T_INT:
	case T_FLOAT:
		return arena_printf(a, "'%.*s'", (int)(t->spelling_len > 40 ?
						       40 : t->spelling_len),
				    t->spelling);
	default:
		return tok_kind_name(t->kind);
	}
}
