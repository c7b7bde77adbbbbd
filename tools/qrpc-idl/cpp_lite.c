// SPDX-License-Identifier: GPL-2.0
/*
 * The in-process preprocessor of cpp_lite.h.
 *
 * Its rule is to decline rather than guess: every function returns
 * false when it stops, with l->declined (give the file to cpp) or
 * l->no_memory set.  Where cpp's exact behaviour takes subtlety (tokens
 * painted so they are never expanded again, an invocation whose
 * arguments come from the text after a rescan, stringizing, pasting),
 * the case is declined, not reproduced.
 *
 * Macros are looked up by a linear search: files define a few dozen.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_lite.h"

#define LITE_MAX_DEPTH	 32	/* expansions inside expansions */
#define LITE_MAX_PARAMS	 32
#define LITE_MAX_NESTING 64	/* #if inside #if */
#define LITE_MAX_MACROS	 4096
#define LITE_MAX_EXPR	 256	/* #if expression nesting */

struct sbuf {
	char *data;
	size_t len, cap;
	/* An expansion starts or ends here: keep tokens from joining. */
	bool boundary;
};

struct macro {
	char *name;		/* one malloc'd block: name, params, body */
	size_t name_len;
	bool fn;
	bool busy;		/* being expanded */
	unsigned n_params;
	const char *param[LITE_MAX_PARAMS];
	size_t param_len[LITE_MAX_PARAMS];
	const char *body;
	size_t body_len;
};

struct cond {
	bool parent_active;	/* the group around this one is read */
	bool active;		/* the branch being read is taken */
	bool taken;		/* a branch was taken, or none may be */
	bool seen_else;
};

struct lite {
	struct macro *macros;
	size_t n_macros, cap_macros;
	struct cond cond[LITE_MAX_NESTING];
	unsigned n_cond;
	size_t out_limit;	/* past this the text is left to cpp */
	bool declined, no_memory;
};

static bool decline(struct lite *l)
{
	l->declined = true;
	return false;
}

static bool is_ident_start(char c)
{
	/* gcc takes '$' in identifiers by default. */
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || is_digit(c);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool same(const char *a, size_t an, const char *b)
{
	return an == strlen(b) && !memcmp(a, b, an);
}

static bool starts(const char *a, size_t an, const char *prefix)
{
	size_t pn = strlen(prefix);

	return an >= pn && !memcmp(a, prefix, pn);
}

/*
 * Names cpp gives a meaning of its own under -undef, and the GNU
 * family a preprocessor other than gcc's might still predefine.
 */
static bool cpp_owns(const char *w, size_t n)
{
	static const char *const names[] = {
		"__FILE__", "__LINE__", "__DATE__", "__TIME__",
		"__TIMESTAMP__", "__COUNTER__", "__INCLUDE_LEVEL__",
		"__BASE_FILE__", "__FILE_NAME__", "__OBJC__",
		"__ASSEMBLER__", "_Pragma", "defined",
	};
	static const char *const prefixes[] = {
		"__STDC", "_STDC", "__has_", "__VA_", "__GNUC", "__GCC_",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (same(w, n, names[i]))
			return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (starts(w, n, prefixes[i]))
			return true;
	return false;
}

static bool sb_reserve(struct lite *l, struct sbuf *b, size_t more)
{
	size_t cap;
	char *nd;

	if (b->len + more + 1 <= b->cap)
		return true;
	if (b->len + more > l->out_limit)
		return decline(l);	/* a macro that multiplies */
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	nd = realloc(b->data, cap);
	if (!nd) {
		l->no_memory = true;
		return false;
	}
	b->data = nd;
	b->cap = cap;
	return true;
}

/* Would @a followed by @b lex differently from @a, blank, @b? */
static bool could_join(char a, char b)
{
	static const char separate[] = "()[]{},;";

	if (is_blank(a) || a == '\n' || is_blank(b) || b == '\n')
		return false;
	return !memchr(separate, a, sizeof(separate) - 1) &&
	       !memchr(separate, b, sizeof(separate) - 1);
}

static bool sb_put(struct lite *l, struct sbuf *b, const char *s, size_t n)
{
	if (!n)
		return true;
	if (!sb_reserve(l, b, n + 1))
		return false;
	if (b->boundary && b->len && could_join(b->data[b->len - 1], s[0]))
		b->data[b->len++] = ' ';
	b->boundary = false;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

/* Make @b an empty string (it may be given out empty). */
static bool sb_init(struct lite *l, struct sbuf *b)
{
	if (!sb_reserve(l, b, 1))
		return false;
	b->data[b->len] = '\0';
	return true;
}

static bool sb_puts(struct lite *l, struct sbuf *b, const char *s)
{
	return sb_put(l, b, s, strlen(s));
}

/* Past the literal at @p, which must end before @e and its line. */
static const char *skip_literal(const char *p, const char *e)
{
	char q = *p;

	for (p++; p < e && *p != '\n'; p++) {
		if (*p == '\\' && p + 1 < e && p[1] != '\n')
			p++;
		else if (*p == q)
			return p + 1;
	}
	return NULL;
}

/*
 * Past the comment at @p.  A block comment may run over lines unless
 * @one_line; NULL if it does not end before @e (or the line).
 */
static const char *skip_comment(const char *p, const char *e, bool one_line)
{
	if (p[1] == '/') {
		while (p < e && *p != '\n')
			p++;
		return p;
	}
	for (p += 2; p + 1 < e; p++) {
		if (p[0] == '*' && p[1] == '/')
			return p + 2;
		if (*p == '\n' && one_line)
			return NULL;
	}
	return NULL;
}

static bool at_comment(const char *p, const char *e)
{
	return p[0] == '/' && p + 1 < e && (p[1] == '*' || p[1] == '/');
}

/* A preprocessing number: digits, letters, '.', and signed exponents. */
static const char *skip_number(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if ((*p == '+' || *p == '-') &&
		    (p[-1] == 'e' || p[-1] == 'E' || p[-1] == 'p' ||
		     p[-1] == 'P'))
			continue;
		if (!is_ident_char(*p) && *p != '.')
			break;
	}
	return p;
}

static const char *skip_ident(const char *p, const char *e)
{
	while (p < e && is_ident_char(*p))
		p++;
	return p;
}

/* Blanks, and comments that end on this line. */
static const char *skip_space(const char *p, const char *e)
{
	for (;;) {
		while (p < e && is_blank(*p))
			p++;
		if (p < e && p[0] == '/' && p + 1 < e && p[1] == '*') {
			const char *q = skip_comment(p, e, true);

			if (!q)
				return p;
			p = q;
			continue;
		}
		return p;
	}
}

static struct macro *find_macro(struct lite *l, const char *w, size_t n)
{
	for (size_t i = 0; i < l->n_macros; i++) {
		struct macro *m = &l->macros[i];

		if (m->name_len == n && m->name[0] == w[0] &&
		    !memcmp(m->name, w, n))
			return m;
	}
	return NULL;
}

static bool expand(struct lite *l, struct sbuf *out, const char *s,
		   const char *e, unsigned depth);

/*
 * The arguments of an invocation whose '(' is at @p: their bounds in
 * @as/@ae, their number in *n; *after is past the ')'.  They must end
 * before @e, on this line.
 */
static bool collect_args(struct lite *l, const char *p, const char *e,
			 const char **as, const char **ae, unsigned *n,
			 const char **after)
{
	unsigned nest = 0;
	const char *start = ++p;

	*n = 0;
	while (p < e) {
		char c = *p;

		if (c == '\n')
			return decline(l);
		if (at_comment(p, e)) {
			p = skip_comment(p, e, true);
			if (!p || p >= e || *p == '\n')
				return decline(l);
			continue;
		}
		if (c == '"' || c == '\'') {
			p = skip_literal(p, e);
			if (!p)
				return decline(l);
			continue;
		}
		if (c == '(') {
			nest++;
		} else if ((c == ',' && !nest) || (c == ')' && !nest)) {
			if (*n == LITE_MAX_PARAMS)
				return decline(l);
			as[*n] = start;
			ae[*n] = p;
			(*n)++;
			start = p + 1;
			if (c == ')') {
				*after = p + 1;
				return true;
			}
		} else if (c == ')') {
			nest--;
		}
		p++;
	}
	return decline(l);	/* the ')' may be on a later line */
}

static bool only_blank(const char *s, const char *e)
{
	const char *p = skip_space(s, e);

	return p == e;
}

/*
 * Expand the function-like @m, whose '(' is at @p; *after is set past
 * the invocation.
 */
static bool expand_call(struct lite *l, struct sbuf *out, struct macro *m,
			const char *p, const char *e, unsigned depth,
			const char **after)
{
	const char *as[LITE_MAX_PARAMS], *ae[LITE_MAX_PARAMS];
	struct sbuf arg[LITE_MAX_PARAMS] = { 0 }, sub = { 0 };
	const char *b = m->body, *be = m->body + m->body_len;
	unsigned n;
	bool ok = false;

	if (!collect_args(l, p, e, as, ae, &n, after))
		return false;
	if (!m->n_params) {
		if (n != 1 || !only_blank(as[0], ae[0]))
			return decline(l);
		n = 0;
	} else if (n != m->n_params) {
		return decline(l);
	}
	/* Arguments are expanded on their own, before they are put in. */
	for (unsigned i = 0; i < n; i++)
		if (!sb_init(l, &arg[i]) ||
		    !expand(l, &arg[i], as[i], ae[i], depth + 1))
			goto out;
	while (b < be) {
		const char *q;

		if (*b == '"' || *b == '\'') {
			q = skip_literal(b, be);
			if (!q || !sb_put(l, &sub, b, (size_t)(q - b)))
				goto out;
			b = q;
			continue;
		}
		if (is_digit(*b)) {
			q = skip_number(b, be);
			if (!sb_put(l, &sub, b, (size_t)(q - b)))
				goto out;
			b = q;
			continue;
		}
		if (is_ident_start(*b)) {
			unsigned i;

			q = skip_ident(b, be);
			for (i = 0; i < n; i++)
				if (m->param_len[i] == (size_t)(q - b) &&
				    !memcmp(m->param[i], b, (size_t)(q - b)))
					break;
			if (i < n) {
				sub.boundary = true;
				if (!sb_put(l, &sub, arg[i].data, arg[i].len))
					goto out;
				sub.boundary = true;
			} else if (!sb_put(l, &sub, b, (size_t)(q - b))) {
				goto out;
			}
			b = q;
			continue;
		}
		if (!sb_put(l, &sub, b, 1))
			goto out;
		b++;
	}
	m->busy = true;
	out->boundary = true;
	ok = expand(l, out, sub.data ? sub.data : "",
		    sub.data ? sub.data + sub.len : "", depth + 1);
	out->boundary = true;
	m->busy = false;
out:
	for (unsigned i = 0; i < LITE_MAX_PARAMS; i++)
		free(arg[i].data);
	free(sub.data);
	return ok;
}

static bool literal_prefix(const char *w, size_t n, char next)
{
	if (next == '"' && n && w[n - 1] == 'R')
		n--;		/* a raw string's prefix: declined below */
	return (n == 0 && w[0] == 'R') || same(w, n, "L") ||
	       same(w, n, "u") || same(w, n, "U") || same(w, n, "u8");
}

/* The identifier at [@w, @p): copied, or expanded. */
static bool expand_ident(struct lite *l, struct sbuf *out, const char *w,
			 const char **pp, const char *e, unsigned depth)
{
	const char *p = *pp, *q;
	size_t n = (size_t)(p - w);
	struct macro *m;
	bool ok;

	if (p < e && (*p == '"' || *p == '\'') && literal_prefix(w, n, *p)) {
		if (w[n - 1] == 'R' && *p == '"')
			return decline(l);	/* R"x(...)x" */
		return sb_put(l, out, w, n);
	}
	if (cpp_owns(w, n))
		return decline(l);
	m = find_macro(l, w, n);
	if (!m)
		return sb_put(l, out, w, n);
	if (m->busy)
		return decline(l);	/* cpp paints it; not done here */
	if (!m->fn) {
		m->busy = true;
		out->boundary = true;
		ok = expand(l, out, m->body, m->body + m->body_len, depth + 1);
		out->boundary = true;
		m->busy = false;
		return ok;
	}
	q = skip_space(p, e);
	if (q >= e || at_comment(q, e))
		return decline(l);	/* its '(' may come later */
	if (*q != '(')
		return sb_put(l, out, w, n);
	return expand_call(l, out, m, q, e, depth, pp);
}

/*
 * Copy [@s, @e) to @out with its macros expanded.  Comments in it end
 * before @e (they may span lines in the file's text).
 */
static bool expand(struct lite *l, struct sbuf *out, const char *s,
		   const char *e, unsigned depth)
{
	const char *p = s, *q;

	if (depth > LITE_MAX_DEPTH)
		return decline(l);
	while (p < e) {
		char c = *p;

		if (at_comment(p, e)) {
			q = skip_comment(p, e, false);
			if (!q)
				return decline(l);
		} else if (c == '"' || c == '\'') {
			q = skip_literal(p, e);
			if (!q)
				return decline(l);
		} else if (is_digit(c) || (c == '.' && p + 1 < e &&
					   is_digit(p[1]))) {
			q = skip_number(p, e);
		} else if (is_ident_start(c)) {
			const char *w = p;

			p = skip_ident(p, e);
			if (!expand_ident(l, out, w, &p, e, depth))
				return false;
			continue;
		} else if (c == '#' || (c == '%' && p + 1 < e && p[1] == ':') ||
			   (unsigned char)c >= 0x80) {
			return decline(l);	/* stray '#', or UTF-8 */
		} else {
			q = p + 1;
		}
		if (!sb_put(l, out, p, (size_t)(q - p)))
			return false;
		p = q;
	}
	return true;
}

/*
 * The rest of a directive line from @p: comments become blanks.  *eol is
 * set to its newline (or @e).  A comment that runs on to the next line
 * is declined.
 */
static bool directive_text(struct lite *l, struct sbuf *d, const char *p,
			   const char *e, const char **eol)
{
	d->len = 0;
	d->boundary = false;
	if (!sb_init(l, d))
		return false;
	while (p < e && *p != '\n') {
		const char *q;

		if (at_comment(p, e)) {
			/* A comment is a blank; a // one ends the line. */
			q = skip_comment(p, e, true);
			if (!q)
				return decline(l);
			if (!sb_put(l, d, " ", 1))
				return false;
		} else if (*p == '"' || *p == '\'') {
			q = skip_literal(p, e);
			if (!q || !sb_put(l, d, p, (size_t)(q - p)))
				return q ? false : decline(l);
		} else {
			q = p + 1;
			if (!sb_put(l, d, p, 1))
				return false;
		}
		p = q;
	}
	*eol = p;
	return true;
}

/* @s with runs of blanks outside literals squeezed, and trimmed. */
static bool squeeze(struct lite *l, struct sbuf *out, const char *s,
		    const char *e)
{
	bool blank = false;

	while (s < e && is_blank(*s))
		s++;
	while (e > s && is_blank(e[-1]))
		e--;
	while (s < e) {
		const char *q;

		if (is_blank(*s)) {
			blank = true;
			s++;
			continue;
		}
		if (blank && !sb_put(l, out, " ", 1))
			return false;
		blank = false;
		if (*s == '"' || *s == '\'') {
			q = skip_literal(s, e);
			if (!q)
				return decline(l);
		} else {
			q = s + 1;
		}
		if (!sb_put(l, out, s, (size_t)(q - s)))
			return false;
		s = q;
	}
	return true;
}

static void free_macro(struct macro *m)
{
	free(m->name);
}

/* Define from "NAME body" or "NAME(params) body" (comments gone). */
static bool define(struct lite *l, const char *s, const char *e)
{
	const char *w = skip_space(s, e), *p = skip_ident(w, e), *bs;
	struct macro m = { 0 }, *old;
	struct sbuf body = { 0 };
	const char *pw[LITE_MAX_PARAMS] = { NULL };
	size_t pn[LITE_MAX_PARAMS] = { 0 }, total;
	char *block, *at;
	bool ok;

	if (w == p || is_digit(*w) || cpp_owns(w, (size_t)(p - w)))
		return decline(l);
	if (p < e && *p == '(') {
		m.fn = true;
		p = skip_space(p + 1, e);
		if (p < e && *p == ')') {
			p++;
		} else {
			for (;;) {
				const char *pe = skip_ident(p, e);

				if (pe == p || is_digit(*p) ||
				    m.n_params == LITE_MAX_PARAMS ||
				    cpp_owns(p, (size_t)(pe - p)))
					return decline(l);
				for (unsigned i = 0; i < m.n_params; i++)
					if (pn[i] == (size_t)(pe - p) &&
					    !memcmp(pw[i], p, pn[i]))
						return decline(l);
				pw[m.n_params] = p;
				pn[m.n_params++] = (size_t)(pe - p);
				p = skip_space(pe, e);
				if (p < e && *p == ')') {
					p++;
					break;
				}
				if (p >= e || *p != ',')
					return decline(l);
				p = skip_space(p + 1, e);
			}
		}
	} else if (p < e && !is_blank(*p)) {
		return decline(l);	/* cpp wants a blank after the name */
	}
	bs = p;
	for (const char *c = bs; c < e; c++) {
		if (*c == '"' || *c == '\'') {
			c = skip_literal(c, e);
			if (!c)
				return decline(l);
			c--;
		} else if (*c == '#' || (*c == '%' && c + 1 < e &&
					 c[1] == ':')) {
			return decline(l);	/* # and ## */
		}
	}
	if (!squeeze(l, &body, bs, e)) {
		free(body.data);
		return false;
	}
	m.name_len = (size_t)(p - w);
	if (m.fn)
		m.name_len = (size_t)(skip_ident(w, e) - w);
	total = m.name_len + 1 + body.len + 1;
	for (unsigned i = 0; i < m.n_params; i++)
		total += pn[i];
	block = malloc(total);
	if (!block) {
		free(body.data);
		l->no_memory = true;
		return false;
	}
	memcpy(block, w, m.name_len);
	block[m.name_len] = '\0';
	at = block + m.name_len + 1;
	for (unsigned i = 0; i < m.n_params; i++) {
		memcpy(at, pw[i], pn[i]);
		m.param[i] = at;
		m.param_len[i] = pn[i];
		at += pn[i];
	}
	if (body.len)
		memcpy(at, body.data, body.len);
	at[body.len] = '\0';
	m.body = at;
	m.body_len = body.len;
	m.name = block;
	free(body.data);

	old = find_macro(l, m.name, m.name_len);
	if (old) {
		/* The same definition again is allowed; another is not. */
		ok = old->fn == m.fn && old->n_params == m.n_params &&
		     old->body_len == m.body_len &&
		     !memcmp(old->body, m.body, m.body_len);
		for (unsigned i = 0; ok && i < m.n_params; i++)
			ok = old->param_len[i] == m.param_len[i] &&
			     !memcmp(old->param[i], m.param[i],
				     m.param_len[i]);
		free_macro(&m);
		return ok ? true : decline(l);
	}
	if (l->n_macros == l->cap_macros) {
		size_t cap = l->cap_macros ? l->cap_macros * 2 : 32;
		struct macro *nm;

		if (cap > LITE_MAX_MACROS) {
			free_macro(&m);
			return decline(l);
		}
		nm = realloc(l->macros, cap * sizeof(*nm));
		if (!nm) {
			free_macro(&m);
			l->no_memory = true;
			return false;
		}
		l->macros = nm;
		l->cap_macros = cap;
	}
	l->macros[l->n_macros++] = m;
	return true;
}

/* One identifier, alone: the operand of #ifdef, #ifndef and #undef. */
static bool sole_ident(struct lite *l, const char *s, const char *e,
		       const char **w, size_t *n)
{
	const char *p = skip_space(s, e), *q = skip_ident(p, e);

	if (q == p || is_digit(*p) || skip_space(q, e) != e ||
	    cpp_owns(p, (size_t)(q - p)))
		return decline(l);
	*w = p;
	*n = (size_t)(q - p);
	return true;
}

static void undefine(struct lite *l, const char *w, size_t n)
{
	struct macro *m = find_macro(l, w, n);

	if (m) {
		free_macro(m);
		*m = l->macros[--l->n_macros];
	}
}

/* A #if expression, macros expanded: a small recursive descent. */
struct expr {
	struct lite *l;
	const char *p, *e;
	unsigned depth;
};

static bool ex_cond(struct expr *x, intmax_t *v);

static void ex_space(struct expr *x)
{
	while (x->p < x->e && is_blank(*x->p))
		x->p++;
}

static bool ex_op(struct expr *x, const char *op)
{
	size_t n = strlen(op);

	ex_space(x);
	if ((size_t)(x->e - x->p) < n || memcmp(x->p, op, n) != 0)
		return false;
	/* "<" is not the start of "<<" or "<=", nor "&" of "&&". */
	if (n == 1 && x->p + 1 < x->e &&
	    (x->p[1] == op[0] || x->p[1] == '=') && op[0] != '!' &&
	    op[0] != '~' && op[0] != '(' && op[0] != ')')
		return false;
	if (n == 1 && op[0] == '!' && x->p + 1 < x->e && x->p[1] == '=')
		return false;
	x->p += n;
	return true;
}

static bool ex_number(struct expr *x, intmax_t *v)
{
	const char *p = x->p, *end = skip_number(p, x->e);
	uintmax_t r = 0;
	unsigned base = 10, d;

	if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (p == end)
			return decline(x->l);
	} else if (p[0] == '0') {
		base = 8;
	}
	for (; p < end; p++) {
		char c = *p;

		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (d >= base || r > (UINTMAX_MAX - d) / base)
			return decline(x->l);
		r = r * base + d;
	}
	/* l, L, ll, LL may follow; u (unsigned arithmetic) is declined. */
	if (p < end && (*p == 'l' || *p == 'L')) {
		p++;
		if (p < end && *p == p[-1])
			p++;
	}
	if (p != end || r > INTMAX_MAX)
		return decline(x->l);
	x->p = end;
	*v = (intmax_t)r;
	return true;
}

static bool ex_unary(struct expr *x, intmax_t *v)
{
	const char *w;
	bool ok;

	if (++x->depth > LITE_MAX_EXPR)
		return decline(x->l);
	ex_space(x);
	if (x->p >= x->e)
		return decline(x->l);
	if (ex_op(x, "(")) {
		ok = ex_cond(x, v) && (ex_op(x, ")") || decline(x->l));
	} else if (ex_op(x, "!")) {
		ok = ex_unary(x, v);
		*v = !*v;
	} else if (ex_op(x, "~")) {
		ok = ex_unary(x, v);
		*v = ~*v;
	} else if (ex_op(x, "-")) {
		ok = ex_unary(x, v) &&
		     (*v != INTMAX_MIN || decline(x->l));
		*v = ok ? -*v : 0;
	} else if (ex_op(x, "+")) {
		ok = ex_unary(x, v);
	} else if (is_digit(*x->p)) {
		ok = ex_number(x, v);
	} else if (is_ident_start(*x->p)) {
		/* A name no macro replaced is 0. */
		w = x->p;
		x->p = skip_ident(w, x->e);
		*v = 0;
		ok = true;
	} else {
		ok = decline(x->l);	/* character constants, and errors */
	}
	x->depth--;
	return ok;
}

/* The binary operators by precedence, loosest first, from "||". */
static const char *const ex_levels[][4] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<=", ">=", "<", ">" }, { "<<", ">>" }, { "+", "-" },
	{ "*", "/", "%" },
};

#define EX_LEVELS (sizeof(ex_levels) / sizeof(ex_levels[0]))

static bool ex_apply(struct expr *x, const char *op, intmax_t a, intmax_t b,
		     intmax_t *r)
{
	bool bad = false;

	switch (op[0] * 256 + op[1]) {
	case '|' * 256 + '|': *r = a || b; break;
	case '&' * 256 + '&': *r = a && b; break;
	case '|' * 256: *r = a | b; break;
	case '^' * 256: *r = a ^ b; break;
	case '&' * 256: *r = a & b; break;
	case '=' * 256 + '=': *r = a == b; break;
	case '!' * 256 + '=': *r = a != b; break;
	case '<' * 256 + '=': *r = a <= b; break;
	case '>' * 256 + '=': *r = a >= b; break;
	case '<' * 256: *r = a < b; break;
	case '>' * 256: *r = a > b; break;
	case '<' * 256 + '<':
		bad = a < 0 || b < 0 || b >= 63 || a > (INTMAX_MAX >> b);
		*r = bad ? 0 : a << b;
		break;
	case '>' * 256 + '>':
		bad = a < 0 || b < 0 || b >= 64;
		*r = bad ? 0 : a >> b;
		break;
	case '+' * 256: bad = __builtin_add_overflow(a, b, r); break;
	case '-' * 256: bad = __builtin_sub_overflow(a, b, r); break;
	case '*' * 256: bad = __builtin_mul_overflow(a, b, r); break;
	case '/' * 256:
	case '%' * 256:
		bad = !b || (a == INTMAX_MIN && b == -1);
		*r = bad ? 0 : op[0] == '/' ? a / b : a % b;
		break;
	default:
		bad = true;
	}
	return bad ? decline(x->l) : true;
}

static bool ex_binary(struct expr *x, unsigned level, intmax_t *v)
{
	if (level == EX_LEVELS)
		return ex_unary(x, v);
	if (!ex_binary(x, level + 1, v))
		return false;
	for (;;) {
		const char *op = NULL;
		intmax_t rhs;

		for (unsigned i = 0; i < 4 && ex_levels[level][i]; i++)
			if (ex_op(x, ex_levels[level][i])) {
				op = ex_levels[level][i];
				break;
			}
		if (!op)
			return true;
		if (!ex_binary(x, level + 1, &rhs) ||
		    !ex_apply(x, op, *v, rhs, v))
			return false;
	}
}

static bool ex_cond(struct expr *x, intmax_t *v)
{
	intmax_t a, b;

	if (++x->depth > LITE_MAX_EXPR)
		return decline(x->l);
	if (!ex_binary(x, 0, v))
		return false;
	if (ex_op(x, "?")) {
		if (!ex_cond(x, &a) || !(ex_op(x, ":") || decline(x->l)) ||
		    !ex_cond(x, &b))
			return false;
		*v = *v ? a : b;
	}
	x->depth--;
	return true;
}

/* Evaluate the #if or #elif expression [@s, @e). */
static bool eval_if(struct lite *l, const char *s, const char *e, bool *val)
{
	struct sbuf d = { 0 }, x = { 0 };
	struct expr ex = { .l = l };
	intmax_t v = 0;
	bool ok = false;

	/* defined X and defined(X) first: their names are not expanded. */
	while (s < e) {
		const char *w, *q;

		if (*s == '"' || *s == '\'') {
			q = skip_literal(s, e);
			if (!q) {
				decline(l);
				goto out;
			}
		} else if (is_digit(*s)) {
			q = skip_number(s, e);
		} else if (is_ident_start(*s)) {
			q = skip_ident(s, e);
			if (same(s, (size_t)(q - s), "defined")) {
				bool paren;

				q = skip_space(q, e);
				paren = q < e && *q == '(';
				if (paren)
					q = skip_space(q + 1, e);
				w = q;
				q = skip_ident(q, e);
				if (q == w || is_digit(*w) ||
				    cpp_owns(w, (size_t)(q - w))) {
					decline(l);
					goto out;
				}
				if (!sb_puts(l, &d, find_macro(l, w,
						(size_t)(q - w)) ? " 1 " : " 0 "))
					goto out;
				if (paren) {
					q = skip_space(q, e);
					if (q >= e || *q != ')') {
						decline(l);
						goto out;
					}
					q++;
				}
				s = q;
				continue;
			}
		} else {
			q = s + 1;
		}
		if (!sb_put(l, &d, s, (size_t)(q - s)))
			goto out;
		s = q;
	}
	if (!sb_init(l, &x) ||
	    !expand(l, &x, d.data ? d.data : "", d.data ? d.data + d.len : "",
		    1))
		goto out;
	ex.p = x.data ? x.data : "";
	ex.e = ex.p + x.len;
	if (!ex_cond(&ex, &v))
		goto out;
	ex_space(&ex);
	if (ex.p != ex.e) {
		decline(l);
		goto out;
	}
	*val = v != 0;
	ok = true;
out:
	free(d.data);
	free(x.data);
	return ok;
}

static bool reading(const struct lite *l)
{
	return !l->n_cond || l->cond[l->n_cond - 1].active;
}

static bool push_cond(struct lite *l, bool val)
{
	struct cond *c;
	bool parent = reading(l);

	if (l->n_cond == LITE_MAX_NESTING)
		return decline(l);
	c = &l->cond[l->n_cond++];
	c->parent_active = parent;
	c->active = parent && val;
	c->taken = !parent || val;
	c->seen_else = false;
	return true;
}

/* Pragmas cpp copies as they are; others it may act on or expand. */
static bool plain_pragma(const char *s, const char *e)
{
	static const char *const names[] = {
		"makedep", "midl_echo", "prefast", "warning", "winrt",
	};
	const char *w = skip_space(s, e), *q = skip_ident(w, e);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (same(w, (size_t)(q - w), names[i]))
			return true;
	return false;
}

/* The directive whose '#' is at @hash; *next is set past its line. */
static bool directive(struct lite *l, struct sbuf *out, struct sbuf *d,
		      const char *hash, const char *e, const char **next)
{
	const char *p = skip_space(hash + 1, e), *w = p, *eol, *s, *de;
	size_t n;
	bool val = false;
	struct cond *top = l->n_cond ? &l->cond[l->n_cond - 1] : NULL;

	p = skip_ident(p, e);
	n = (size_t)(p - w);
	if (!directive_text(l, d, p, e, &eol))
		return false;
	*next = eol < e ? eol + 1 : eol;
	s = d->data;
	de = d->data + d->len;
	if (same(w, n, "if") || same(w, n, "ifdef") || same(w, n, "ifndef")) {
		if (reading(l) && w[2] == 'd') {
			if (!sole_ident(l, s, de, &w, &n))
				return false;
			val = find_macro(l, w, n) != NULL;
		} else if (reading(l) && w[2] == 'n') {
			if (!sole_ident(l, s, de, &w, &n))
				return false;
			val = find_macro(l, w, n) == NULL;
		} else if (reading(l) && !eval_if(l, s, de, &val)) {
			return false;
		}
		if (!push_cond(l, val))
			return false;
	} else if (same(w, n, "elif")) {
		if (!top || top->seen_else)
			return decline(l);
		if (top->parent_active && !top->taken) {
			if (!eval_if(l, s, de, &val))
				return false;
			top->active = val;
			top->taken = val;
		} else {
			top->active = false;
		}
	} else if (same(w, n, "else")) {
		if (!top || top->seen_else || !only_blank(s, de))
			return decline(l);
		top->active = top->parent_active && !top->taken;
		top->taken = true;
		top->seen_else = true;
	} else if (same(w, n, "endif")) {
		if (!top || !only_blank(s, de))
			return decline(l);
		l->n_cond--;
	} else if (!reading(l)) {
		/* Any other directive in a skipped group is skipped. */
	} else if (!n) {
		if (!only_blank(s, de))
			return decline(l);	/* # 12 "file", #!... */
	} else if (same(w, n, "define")) {
		if (!define(l, s, de))
			return false;
	} else if (same(w, n, "undef")) {
		if (!sole_ident(l, s, de, &w, &n))
			return false;
		undefine(l, w, n);
	} else if (same(w, n, "pragma")) {
		if (!plain_pragma(s, de))
			return decline(l);
		if (!sb_puts(l, out, "#pragma ") || !squeeze(l, out, s, de))
			return false;
	} else {
		return decline(l);	/* #include, #line, #error, ... */
	}
	out->boundary = false;
	return eol < e ? sb_put(l, out, "\n", 1) : true;
}

/*
 * Is the line at @p a directive?  Its '#' is the first thing on it but
 * blanks and comments that end on the line.
 */
static const char *directive_hash(const char *p, const char *e)
{
	p = skip_space(p, e);
	return p < e && *p == '#' ? p : NULL;
}

/*
 * The end of the line at @p: its first newline outside comments (which
 * may span lines) and literals.
 */
static bool line_end(struct lite *l, const char *p, const char *e,
		     const char **eol)
{
	while (p < e && *p != '\n') {
		if (at_comment(p, e)) {
			const char *q = skip_comment(p, e, false);

			if (!q && p[1] == '*')
				return decline(l);
			p = q ? q : e;
		} else if (*p == '"' || *p == '\'') {
			p = skip_literal(p, e);
			if (!p)
				return decline(l);
		} else {
			p++;
		}
	}
	*eol = p;
	return true;
}

/* What cpp does before it sees tokens, and what is left to it. */
static bool plain_characters(const char *text, size_t len)
{
	for (const char *q = text, *e = text + len; q < e; q++) {
		switch (*q) {
		case '\r': case '\f': case '\v': case '\0':
			return false;
		case '?':
			if (q + 1 < e && q[1] == '?')
				return false;	/* a trigraph */
			break;
		case '\\': {
			const char *r = q + 1;

			while (r < e && is_blank(*r))
				r++;
			if (r == e || *r == '\n')
				return false;	/* a line splice */
			break;
		}
		case '%':
			if (q + 1 < e && q[1] == ':')
				return false;	/* the digraph of '#' */
			break;
		default:
			break;
		}
	}
	return true;
}

/* The -D and -U options, in order, after the built-in macros. */
static bool command_line(struct lite *l, const struct cpp_options *o)
{
	static const char *const builtin[] = {
		"__midl " CPP_MIDL_VERSION, "__QRPC_IDL__ 1",
	};
	struct sbuf d = { 0 };
	bool ok = true;

	for (size_t i = 0; ok && i < sizeof(builtin) / sizeof(builtin[0]);
	     i++)
		ok = define(l, builtin[i], builtin[i] + strlen(builtin[i]));
	for (unsigned i = 0; ok && i < o->n_args; i++) {
		const char *a = o->args[i], *eq;

		if (!strncmp(a, "-I", 2))
			continue;
		if (!strncmp(a, "-U", 2)) {
			const char *w;
			size_t n;

			ok = sole_ident(l, a + 2, a + strlen(a), &w, &n);
			if (ok)
				undefine(l, w, n);
			continue;
		}
		if (strncmp(a, "-D", 2) != 0) {
			ok = decline(l);
			break;
		}
		/* -DX is "X 1"; -DX=V and -DF(a)=V are "X V", "F(a) V". */
		d.len = 0;
		eq = strchr(a, '=');
		ok = eq ? sb_put(l, &d, a + 2, (size_t)(eq - a - 2)) &&
			  sb_puts(l, &d, " ") && sb_puts(l, &d, eq + 1) :
			  sb_puts(l, &d, a + 2) && sb_puts(l, &d, " 1");
		if (ok && (!d.len || memchr(d.data, '\n', d.len)))
			ok = decline(l);
		if (ok)
			ok = define(l, d.data, d.data + d.len);
	}
	free(d.data);
	return ok;
}

enum cpp_lite_result cpp_lite(const struct cpp_options *o, const char *text,
			      size_t len, char **out, size_t *out_len)
{
	struct lite l = { .out_limit = len * 8 + (1u << 20) };
	struct sbuf ob = { 0 }, d = { 0 };
	const char *p = text, *e = text + len;
	enum cpp_lite_result r = CPP_LITE_DECLINED;

	*out = NULL;
	*out_len = 0;
	/* Another preprocessor, or one writing dependency files, runs. */
	if (o->cmd || getenv("DEPENDENCIES_OUTPUT") ||
	    getenv("SUNPRO_DEPENDENCIES") || !plain_characters(text, len))
		return CPP_LITE_DECLINED;
	if (!command_line(&l, o) || !sb_init(&l, &ob))
		goto done;
	while (p < e) {
		const char *hash = directive_hash(p, e), *eol;

		if (hash) {
			if (!directive(&l, &ob, &d, hash, e, &p))
				goto done;
			continue;
		}
		if (!line_end(&l, p, e, &eol))
			goto done;
		if (reading(&l)) {
			if (!expand(&l, &ob, p, eol, 0))
				goto done;
		} else {
			/* A skipped line keeps its newlines (in comments). */
			for (const char *q = p; q < eol; q++)
				if (*q == '\n' && !sb_put(&l, &ob, "\n", 1))
					goto done;
		}
		ob.boundary = false;
		if (eol < e && !sb_put(&l, &ob, "\n", 1))
			goto done;
		p = eol < e ? eol + 1 : eol;
	}
	if (l.n_cond) {
		decline(&l);		/* an unterminated #if */
		goto done;
	}
	*out = ob.data;
	*out_len = ob.len;
	ob.data = NULL;
	r = CPP_LITE_DONE;
done:
	if (l.no_memory)
		r = CPP_LITE_NO_MEMORY;
	for (size_t i = 0; i < l.n_macros; i++)
		free_macro(&l.macros[i]);
	free(l.macros);
	free(ob.data);
	free(d.data);
	return r;
}
