/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Preprocessed text as C tokens with their lines, to compare the
 * in-process preprocessor's output with cpp's: the two space tokens
 * differently and cpp adds line markers, but the tokens and the lines
 * they are on must be the same.  Shared by cpp_lite_test and the
 * cpp_lite_fuzz differential target.
 */
#ifndef QRPC_IDL_CPP_TOKENS_H
#define QRPC_IDL_CPP_TOKENS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpp.h"
#include "diag.h"

struct ctok {
	unsigned line;
	const char *s;
	size_t n;
};

struct ctoks {
	struct ctok *t;
	size_t n, cap;
};

static inline bool ctok_ident(char c)
{
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* C's punctuators of more than one character, longest first. */
static const char *const ctok_puncts[] = {
	"...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==",
	"!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=",
	"##", "::",
};

static inline void ctok_add(struct ctoks *v, unsigned line, const char *s,
			    size_t n)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->t = realloc(v->t, v->cap * sizeof(*v->t));
		if (!v->t)
			abort();
	}
	v->t[v->n++] = (struct ctok){ line, s, n };
}

/*
 * The tokens of @text that belong to @file: cpp's line markers
 * ("# N "name" flags") switch files and lines; text before any marker
 * is @file's from line 1.
 */
static inline void ctok_split(struct ctoks *v, const char *text, size_t len,
			      const char *file)
{
	const char *p = text, *e = text + len;
	unsigned line = 1;
	bool bol = true, mine = true;
	size_t flen = strlen(file);

	while (p < e) {
		const char *s = p;

		if (*p == '\n') {
			line++;
			bol = true;
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (bol && *p == '#') {
			const char *q = p + 1;

			while (q < e && *q == ' ')
				q++;
			if (q < e && *q >= '0' && *q <= '9') {
				line = (unsigned)strtoul(q, NULL, 10);
				while (q < e && *q != '"' && *q != '\n')
					q++;
				mine = q < e && *q == '"' &&
				       (size_t)(e - q) > flen + 1 &&
				       !memcmp(q + 1, file, flen) &&
				       q[1 + flen] == '"';
				while (q < e && *q != '\n')
					q++;
				p = q < e ? q + 1 : q;
				continue;
			}
		}
		bol = false;
		if (p + 1 < e && p[0] == '/' && p[1] == '*') {
			for (p += 2; p + 1 < e && !(p[0] == '*' && p[1] == '/');
			     p++)
				if (*p == '\n')
					line++;
			p = p + 1 < e ? p + 2 : e;
			continue;
		}
		if (p + 1 < e && p[0] == '/' && p[1] == '/') {
			while (p < e && *p != '\n')
				p++;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			for (p++; p < e && *p != s[0] && *p != '\n'; p++)
				if (*p == '\\' && p + 1 < e)
					p++;
			if (p < e && *p == s[0])
				p++;
		} else if (ctok_ident(*p)) {
			while (p < e && (ctok_ident(*p) || *p == '.' ||
					 ((*p == '+' || *p == '-') &&
					  (p[-1] == 'e' || p[-1] == 'E') &&
					  s[0] >= '0' && s[0] <= '9')))
				p++;
		} else {
			size_t n = 1;

			for (size_t i = 0; i < sizeof(ctok_puncts) /
					       sizeof(ctok_puncts[0]); i++) {
				size_t k = strlen(ctok_puncts[i]);

				if ((size_t)(e - p) >= k &&
				    !memcmp(p, ctok_puncts[i], k)) {
					n = k;
					break;
				}
			}
			p += n;
		}
		if (mine)
			ctok_add(v, line, s, (size_t)(p - s));
	}
}

/*
 * Compare; on a difference print both tokens to @why (may be NULL) and
 * return false.
 */
static inline bool ctok_same(const struct ctoks *a, const struct ctoks *b,
			     FILE *why)
{
	for (size_t i = 0; i < a->n || i < b->n; i++) {
		const struct ctok *x = i < a->n ? &a->t[i] : NULL;
		const struct ctok *y = i < b->n ? &b->t[i] : NULL;

		if (x && y && x->line == y->line && x->n == y->n &&
		    !memcmp(x->s, y->s, x->n))
			continue;
		if (why)
			fprintf(why, "token %zu: in-process %u:'%.*s', cpp %u:'%.*s'\n",
				i, x ? x->line : 0, x ? (int)x->n : 5,
				x ? x->s : "(end)", y ? y->line : 0,
				y ? (int)y->n : 5, y ? y->s : "(end)");
		return false;
	}
	return true;
}

/*
 * Run the real cpp over @text as @file with @o's arguments; the output
 * (malloc'd) in *out, or NULL if cpp reported an error or a warning
 * (its messages go to @msgs).
 */
static inline char *ctok_real_cpp(const struct cpp_options *o,
				  const char *file, const char *text,
				  size_t len, size_t *out_len, FILE *msgs)
{
	struct cpp_options real = *o;
	struct diag d;
	char *out = NULL;
	int rc;

	real.cache_dir = NULL;
	diag_init(&d, msgs);
	rc = cpp_run(&real, &d, file, text, len, NULL, &out, out_len);
	diag_fini(&d);
	if (rc) {
		free(out);
		return NULL;
	}
	return out;
}

#endif
