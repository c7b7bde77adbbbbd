// SPDX-License-Identifier: GPL-2.0
/*
 * Recursive-descent parser for MIDL IDL (with ODL and WinRT items).
 *
 * Error handling: a syntax error is reported and longjmp()s to the
 * innermost list being parsed (items of a body, members of a struct),
 * which skips to the end of the broken item and goes on.  Everything is
 * in the arena, so nothing leaks across the jump.  Each list loop makes
 * sure a token is consumed per turn, and p_enter() bounds the depth, so
 * no input hangs or overflows the stack.
 *
 * Words are keywords only where the grammar expects one: item starts
 * (typedef, interface...), type specifiers (long, struct...) and
 * attribute names.  Anywhere else they are names.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parser_int.h"

/* ---- tokens ---- */

void parser_init(struct parser *p, struct ast *ast, struct diag *d,
		 const char *text, size_t len, const char *path, bool raw)
{
	memset(p, 0, sizeof(*p));
	p->ast = ast;
	p->a = ast->arena;
	p->d = d;
	p->pragmas_tail = &p->pragmas;
	lexer_init(&p->lx, ast->arena, d, text, len, path, raw);
	p_next(p);
}

static struct decl *new_decl(struct parser *p, enum decl_kind kind,
			     const struct src_loc *loc)
{
	struct decl *x = arena_new(p->a, struct decl);

	x->kind = kind;
	x->loc = *loc;
	x->imported = p->imported;
	x->ns = p->ns;
	x->parent = p->parent;
	return x;
}

/* Pragmas are not tokens of the grammar: they wait for the next list. */
static void take_pragma(struct parser *p, const struct token *t)
{
	struct decl *x = new_decl(p, DECL_PRAGMA, &t->loc);
	const char *s = t->text;
	size_t n = 0;

	x->str = t->text;
	x->str_len = t->text_len;
	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '(')
		n++;
	x->name = arena_strndup(p->a, s, n);
	if (!strcmp(x->name, "midl_echo")) {
		struct lexer sub;
		struct token a, b, c, e;

		/* midl_echo("text"): the string goes to the header. */
		lexer_init(&sub, p->a, p->d, s + n, strlen(s + n),
			   t->loc.file, true);
		sub.quiet = true;
		lexer_next(&sub, &a);
		lexer_next(&sub, &b);
		lexer_next(&sub, &c);
		lexer_next(&sub, &e);
		if (a.kind != '(' || b.kind != T_STRING || c.kind != ')' ||
		    e.kind != T_EOF) {
			diag_warning(p->d, &t->loc, W_UNKNOWN_PRAGMA, 0,
				     "malformed '#pragma midl_echo': expected midl_echo(\"text\")");
		} else {
			struct expr *v = arena_new(p->a, struct expr);

			v->kind = EXPR_STRING;
			v->loc = t->loc;
			v->str = b.text;
			v->str_len = b.text_len;
			x->value = v;
		}
	}
	*p->pragmas_tail = x;
	p->pragmas_tail = &x->next;
}

void p_flush_pragmas(struct parser *p, struct decl ***tail)
{
	if (!p->pragmas)
		return;
	**tail = p->pragmas;
	while (**tail)
		*tail = &(**tail)->next;
	p->pragmas = NULL;
	p->pragmas_tail = &p->pragmas;
}

void p_next(struct parser *p)
{
	for (;;) {
		lexer_next(&p->lx, &p->tok);
		if (p->tok.kind != T_PRAGMA)
			return;
		take_pragma(p, &p->tok);
	}
}

struct token p_peek(struct parser *p)
{
	struct lex_pos saved = p->lx.pos;
	struct token t;

	p->lx.quiet = true;
	do
		lexer_next(&p->lx, &t);
	while (t.kind == T_PRAGMA);
	p->lx.quiet = false;
	p->lx.pos = saved;
	return t;
}

bool p_is(const struct parser *p, int kind)
{
	return p->tok.kind == kind;
}

bool p_is_word(const struct parser *p, const char *word)
{
	return p->tok.kind == T_IDENT && p->tok.text[0] == word[0] &&
	       !strcmp(p->tok.text, word);
}

bool p_accept(struct parser *p, int kind)
{
	if (p->tok.kind != kind)
		return false;
	p_next(p);
	return true;
}

void p_fail(struct parser *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): va_start just above; clang 14 misses it after the first file of a run
	va_end(ap);
	diag_error(p->d, &p->tok.loc, 2025, "%s", buf);
	longjmp(*p->recover, 1);
}

void p_fail_expected(struct parser *p, const char *what)
{
	if (p->tok.kind == T_EOF)
		p_fail(p, "expected %s at end of input", what);
	p_fail(p, "expected %s before %s", what, tok_describe(p->a, &p->tok));
}

void p_expect(struct parser *p, int kind)
{
	if (kind == '>' && p->tok.kind == T_SHR) {
		/* IFoo<IBar<T>>: the first '>' of '>>' closes the inner. */
		p->tok.kind = '>';
		p->tok.loc.col++;
		p->tok.spelling++;
		p->tok.spelling_len = 1;
		return;
	}
	if (!p_accept(p, kind))
		p_fail_expected(p, tok_kind_name(kind));
}

const char *p_expect_ident(struct parser *p)
{
	const char *s;

	if (p->tok.kind != T_IDENT)
		p_fail_expected(p, "identifier");
	s = p->tok.text;
	p_next(p);
	return s;
}

void p_sync(struct parser *p)
{
	int depth = 0;

	for (;;) {
		switch (p->tok.kind) {
		case T_EOF:
			return;
		case ';':
			p_next(p);
			if (!depth)
				return;
			break;
		case '{':
			depth++;
			p_next(p);
			break;
		case '}':
			if (!depth)
				return;
			p_next(p);
			if (!--depth) {
				p_accept(p, ';');
				return;
			}
			break;
		default:
			p_next(p);
			break;
		}
	}
}

void p_enter(struct parser *p)
{
	if (++p->depth > PARSER_MAX_DEPTH) {
		diag_error(p->d, &p->tok.loc, 2002,
			   "nesting too deep (more than %d levels)",
			   PARSER_MAX_DEPTH);
		longjmp(*p->recover, 1);
	}
}

void p_leave(struct parser *p)
{
	p->depth--;
}

void p_list(struct parser *p, int end, p_elem_fn one, void *ctx,
	    struct list_state *s)
{
	jmp_buf jb, *saved = p->recover;
	unsigned depth = p->depth;
	const char *ns = p->ns;
	struct decl *parent = p->parent;
	bool in_declare = p->in_declare;

	/* Restored below on every way out: no one keeps the address. */
	// cppcheck-suppress autoVariables
	p->recover = &jb;
	for (;;) {
		if (p->tok.kind == end || p->tok.kind == T_EOF ||
		    diag_stopped(p->d))
			break;
		s->last_start = p->tok.spelling;
		if (setjmp(jb)) {
			p->depth = depth;
			p->callconv = NULL;
			p->in_generic = 0;
			p->ns = ns;
			p->parent = parent;
			p->in_declare = in_declare;
			if (diag_stopped(p->d))
				break;
			p_sync(p);
			/* A '}' that no list wanted: drop it to go on. */
			if (p->tok.spelling == s->last_start &&
			    p->tok.kind != end && p->tok.kind != T_EOF)
				p_next(p);
			continue;
		}
		one(p, ctx, s);
	}
	p->recover = saved;
}

/* ---- expressions ---- */

static struct expr *new_expr(struct parser *p, enum expr_kind kind,
			     const struct src_loc *loc)
{
	struct expr *e = arena_new(p->a, struct expr);

	e->kind = kind;
	e->loc = *loc;
	return e;
}

static bool starts_type(struct parser *p, const struct token *t);
static struct type *parse_type_spec(struct parser *p, bool allow_def);
static struct type *parse_abstract(struct parser *p, struct type *base);

static struct expr *parse_cond(struct parser *p);
static struct expr *parse_unary(struct parser *p);

/* Adjacent string literals join, as in C. */
static struct expr *parse_strings(struct parser *p)
{
	struct expr *e = new_expr(p, EXPR_STRING, &p->tok.loc);
	int kind = p->tok.kind;
	char *buf = NULL;
	size_t len = 0;

	e->op = kind == T_WSTRING ? 'L' : 0;
	while (p->tok.kind == T_STRING || p->tok.kind == T_WSTRING) {
		char *nb = arena_alloc(p->a, len + p->tok.text_len + 1);

		if (len)
			memcpy(nb, buf, len);
		memcpy(nb + len, p->tok.text, p->tok.text_len);
		len += p->tok.text_len;
		nb[len] = '\0';
		buf = nb;
		p_next(p);
	}
	e->str = buf;
	e->str_len = len;
	return e;
}

static struct expr *parse_primary(struct parser *p)
{
	struct expr *e;

	switch (p->tok.kind) {
	case T_INT:
		e = new_expr(p, EXPR_INT, &p->tok.loc);
		e->ival = p->tok.ival;
		e->int_flags = p->tok.int_flags;
		e->spelling = arena_strndup(p->a, p->tok.spelling,
					    p->tok.spelling_len);
		p_next(p);
		return e;
	case T_FLOAT:
		e = new_expr(p, EXPR_FLOAT, &p->tok.loc);
		e->fval = p->tok.fval;
		e->spelling = arena_strndup(p->a, p->tok.spelling,
					    p->tok.spelling_len);
		p_next(p);
		return e;
	case T_CHAR:
		e = new_expr(p, EXPR_CHAR, &p->tok.loc);
		e->ival = p->tok.ival;
		p_next(p);
		return e;
	case T_STRING:
	case T_WSTRING:
		return parse_strings(p);
	case T_IDENT:
		e = new_expr(p, EXPR_IDENT, &p->tok.loc);
		e->str = p->tok.text;
		p_next(p);
		return e;
	case '(':
		p_next(p);
		e = p_expr(p);
		p_expect(p, ')');
		return e;
	}
	p_fail_expected(p, "expression");
}

static struct expr *parse_postfix(struct parser *p)
{
	struct expr *e = parse_primary(p), *x;

	for (;;) {
		if (p->tok.kind == '.' || p->tok.kind == T_ARROW) {
			x = new_expr(p, EXPR_MEMBER, &p->tok.loc);
			x->op = p->tok.kind;
			p_next(p);
			x->a = e;
			x->str = p_expect_ident(p);
			e = x;
		} else if (p->tok.kind == '[') {
			x = new_expr(p, EXPR_INDEX, &p->tok.loc);
			p_next(p);
			x->a = e;
			x->b = p_expr(p);
			p_expect(p, ']');
			e = x;
		} else {
			return e;
		}
	}
}

static struct expr *parse_unary(struct parser *p)
{
	struct src_loc loc = p->tok.loc;
	struct expr *e;
	int op = p->tok.kind;

	p_enter(p);
	switch (op) {
	case '-': case '+': case '!': case '~': case '*': case '&':
		p_next(p);
		e = new_expr(p, EXPR_UNARY, &loc);
		e->op = op;
		e->a = parse_unary(p);
		break;
	case '(': {
		struct token t = p_peek(p);

		if (!starts_type(p, &t)) {
			e = parse_postfix(p);
			break;
		}
		p_next(p);
		e = new_expr(p, EXPR_CAST, &loc);
		e->type = parse_abstract(p, parse_type_spec(p, false));
		p_expect(p, ')');
		e->a = parse_unary(p);
		break;
	}
	default:
		if (p_is_word(p, "sizeof")) {
			struct token t;

			p_next(p);
			e = new_expr(p, EXPR_SIZEOF, &loc);
			t = p_peek(p);
			if (p->tok.kind == '(' && starts_type(p, &t)) {
				p_next(p);
				e->type = parse_abstract(p,
						parse_type_spec(p, false));
				p_expect(p, ')');
			} else {
				e->a = parse_unary(p);
			}
			break;
		}
		e = parse_postfix(p);
		break;
	}
	p_leave(p);
	return e;
}

/* Binary operators by precedence, loosest first. */
static int binary_level(int kind)
{
	switch (kind) {
	case T_OROR: return 1;
	case T_ANDAND: return 2;
	case '|': return 3;
	case '^': return 4;
	case '&': return 5;
	case T_EQ: case T_NE: return 6;
	case '<': case '>': case T_LE: case T_GE: return 7;
	case T_SHL: case T_SHR: return 8;
	case '+': case '-': return 9;
	case '*': case '/': case '%': return 10;
	}
	return 0;
}

static struct expr *parse_binary(struct parser *p, int min_level)
{
	struct expr *lhs = parse_unary(p);

	p_enter(p);
	for (;;) {
		int level = binary_level(p->tok.kind);
		struct expr *e;

		if (!level || level < min_level)
			break;
		e = new_expr(p, EXPR_BINARY, &p->tok.loc);
		e->op = p->tok.kind;
		p_next(p);
		e->a = lhs;
		e->b = parse_binary(p, level + 1);
		lhs = e;
	}
	p_leave(p);
	return lhs;
}

static struct expr *parse_cond(struct parser *p)
{
	struct expr *c = parse_binary(p, 1), *e;

	if (p->tok.kind != '?')
		return c;
	p_enter(p);
	e = new_expr(p, EXPR_COND, &p->tok.loc);
	p_next(p);
	e->a = c;
	e->b = p_expr(p);
	p_expect(p, ':');
	e->c = parse_cond(p);
	p_leave(p);
	return e;
}

struct expr *p_expr(struct parser *p)
{
	return parse_cond(p);
}

/* ---- attributes ---- */

static struct attr_arg *new_arg(struct parser *p, enum attr_arg_kind kind)
{
	struct attr_arg *g = arena_new(p->a, struct attr_arg);

	g->kind = kind;
	g->loc = p->tok.loc;
	return g;
}

static struct type *parse_declarator(struct parser *p, struct type *base,
				     const char **name,
				     struct src_loc *name_loc, bool need_name);

static void parse_attr_args(struct parser *p, struct attr *at,
			    enum attr_shape shape)
{
	struct attr_arg **tail = &at->args;
	bool first = true;

	at->has_parens = true;
	if (shape == SHAPE_UUID) {
		struct token t;
		struct attr_arg *g;

		/* The lexer stands right after '(': no token was read. */
		g = new_arg(p, ARG_UUID);
		lexer_uuid(&p->lx, &t);
		g->loc = t.loc;
		memcpy(g->uuid, t.uuid, sizeof(g->uuid));
		g->uuid_text = t.text;
		*tail = g;
		tail = &g->next;
		at->n_args++;
		p_next(p);
		first = false;
		if (p->tok.kind == ')') {
			p_next(p);
			return;
		}
		p_expect(p, ',');
	} else {
		p_next(p);
	}
	for (;;) {
		struct attr_arg *g;

		if (first && p->tok.kind == ')')
			break;
		first = false;
		if (shape == SHAPE_TYPE) {
			g = new_arg(p, ARG_TYPE);
			g->type = p_type_name(p);
		} else if (shape == SHAPE_DECL) {
			struct src_loc nl;

			g = new_arg(p, ARG_DECL);
			g->type = parse_declarator(p,
					parse_type_spec(p, false), &g->name,
					&nl, false);
		} else if (p->tok.kind == ',' || p->tok.kind == ')') {
			g = new_arg(p, ARG_EXPR);
			g->expr = new_expr(p, EXPR_EMPTY, &p->tok.loc);
		} else {
			g = new_arg(p, ARG_EXPR);
			g->expr = p_expr(p);
		}
		*tail = g;
		tail = &g->next;
		at->n_args++;
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ')');
}

static struct attr *parse_attr(struct parser *p)
{
	struct attr *at = arena_new(p->a, struct attr);
	enum attr_shape shape;

	at->loc = p->tok.loc;
	at->from_acf = p->in_acf;
	at->name = p_expect_ident(p);
	at->id = attr_lookup(at->name, &shape);
	if (at->id == ATTR_UNKNOWN)
		diag_error(p->d, &at->loc, 0, "unknown attribute '%s'",
			   at->name);
	if (p->tok.kind == '(') {
		/* uuid( must not have read ahead: see parse_attr_args. */
		parse_attr_args(p, at, shape);
	}
	return at;
}

/*
 * Attribute lists, possibly several in a row: "[in] [size_is(n)]".
 * The lexer must not have looked past '(' of uuid(: p_next() is called
 * only when the UUID has been lexed.
 */
struct attr *p_attr_lists(struct parser *p)
{
	struct attr *head = NULL, **tail = &head;

	while (p->tok.kind == '[') {
		p_next(p);
		while (p->tok.kind != ']') {
			/*
			 * Empty entries are allowed: headers #define
			 * progid(x) to nothing for other compilers.
			 */
			if (p->tok.kind != ',') {
				*tail = parse_attr(p);
				tail = &(*tail)->next;
			}
			if (!p_accept(p, ','))
				break;
		}
		p_expect(p, ']');
	}
	return head;
}

/* ---- types ---- */

static struct type *new_type(struct parser *p, enum type_kind kind,
			     const struct src_loc *loc)
{
	struct type *t = arena_new(p->a, struct type);

	t->kind = kind;
	t->loc = *loc;
	return t;
}

static const char *const base_words[] = {
	"void", "char", "wchar_t", "small", "short", "int", "long", "hyper",
	"__int8", "__int16", "__int32", "__int64", "__int3264", "float",
	"double", "boolean", "byte", "handle_t", "error_status_t",
	"signed", "unsigned",
};

/*
 * Is @s one of the @n @words?  Called for nearly every identifier: the
 * first letters are compared before strcmp() is called.
 */
static bool word_in(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (words[i][0] == s[0] && !strcmp(s, words[i]))
			return true;
	return false;
}

#define WORD_IN(s, list) \
	word_in((s), (list), sizeof(list) / sizeof((list)[0]))

static bool is_base_word(const char *s)
{
	return WORD_IN(s, base_words);
}

/* C qualifiers and MS modifiers that carry nothing for IDL. */
static const char *const skip_words[] = {
	"__RPC_FAR", "volatile", "extern", "__far", "__near", "__ptr64",
	"__ptr32", "__unaligned",
};

static bool is_skip_word(const char *s)
{
	return WORD_IN(s, skip_words);
}

static const char *const callconv_words[] = {
	"__stdcall", "_stdcall", "__cdecl", "_cdecl", "__fastcall", "__pascal",
};

static bool is_callconv(const char *s)
{
	return s[0] == '_' && WORD_IN(s, callconv_words);
}

static const char *const tag_words[] = { "struct", "union", "enum" };

static bool is_tag_word(const char *s)
{
	return WORD_IN(s, tag_words);
}

/* Can @t (the token after '(' or a type position) begin a type? */
static bool starts_type(struct parser *p, const struct token *t)
{
	if (t->kind != T_IDENT)
		return false;
	if (is_base_word(t->text) || is_tag_word(t->text) ||
	    !strcmp(t->text, "const") || is_skip_word(t->text) ||
	    !strcmp(t->text, "interface") || !strcmp(t->text, "SAFEARRAY"))
		return true;
	return symtab_lookup(p->ast->types, t->text) != NULL;
}

static unsigned parse_quals(struct parser *p)
{
	unsigned q = 0;

	while (p->tok.kind == T_IDENT) {
		if (!strcmp(p->tok.text, "const"))
			q |= TQ_CONST;
		else if (!strcmp(p->tok.text, "volatile"))
			q |= TQ_VOLATILE;
		else if (is_skip_word(p->tok.text))
			;
		else if (is_callconv(p->tok.text))
			p->callconv = p->tok.text;
		else
			break;
		p_next(p);
	}
	return q;
}

static struct type *parse_base(struct parser *p)
{
	struct type *t = new_type(p, TYPE_BASE, &p->tok.loc);
	int n_long = 0, n_short = 0, n_int = 0;
	bool have = false;

	while (p->tok.kind == T_IDENT && is_base_word(p->tok.text)) {
		const char *w = p->tok.text;

		if (!strcmp(w, "signed") || !strcmp(w, "unsigned")) {
			if (t->sign)
				p_fail(p, "duplicate '%s'", w);
			t->sign = w[0] == 's' ? SIGN_SIGNED : SIGN_UNSIGNED;
		} else if (!strcmp(w, "long")) {
			n_long++;
			if (!have || t->base == BT_INT)
				t->base = BT_LONG;
			else if (t->base != BT_LONG && t->base != BT_DOUBLE)
				p_fail(p, "'long' after '%s'",
				       base_type_name(t->base));
			if (n_long == 2)
				t->base = BT_INT64;
			have = true;
		} else if (!strcmp(w, "short")) {
			n_short++;
			if (have && t->base != BT_INT)
				p_fail(p, "'short' after '%s'",
				       base_type_name(t->base));
			t->base = BT_SHORT;
			have = true;
		} else if (!strcmp(w, "int")) {
			n_int++;
			if (!have)
				t->base = BT_INT;
			else if (t->base != BT_LONG && t->base != BT_SHORT &&
				 t->base != BT_SMALL && t->base != BT_HYPER &&
				 t->base != BT_INT64)
				p_fail(p, "'int' after '%s'",
				       base_type_name(t->base));
			have = true;
		} else {
			enum base_type b;

			for (b = BT_VOID; b <= BT_ERROR_STATUS; b++)
				if (!strcmp(w, base_type_name(b)))
					break;
			if (have && !(b == BT_DOUBLE && t->base == BT_LONG) &&
			    !(t->base == BT_INT && n_int == 0))
				p_fail(p, "two types in one declaration ('%s' after '%s')",
				       w, base_type_name(t->base));
			t->base = b;
			have = true;
		}
		p_next(p);
		if (n_long > 2 || n_short > 1 || n_int > 1)
			p_fail(p, "too many type words");
	}
	if (!have)
		t->base = BT_INT;	/* "unsigned" alone */
	return t;
}

static void parse_struct_body(struct parser *p, struct tagged *g,
			      bool is_union);
static void parse_enum_body(struct parser *p, struct tagged *g);
static void parse_encapsulated(struct parser *p, struct tagged *g);

static struct type *parse_tagged(struct parser *p, bool allow_def)
{
	struct src_loc loc = p->tok.loc;
	const char *kw = p->tok.text;
	enum type_kind kind = kw[0] == 's' ? TYPE_STRUCT :
			      kw[0] == 'u' ? TYPE_UNION : TYPE_ENUM;
	struct type *t = new_type(p, kind, &loc);
	struct tagged *g = NULL;
	const char *tag = NULL;
	bool body, encap = false;

	p_next(p);
	if (p->tok.kind == T_IDENT && !p_is_word(p, "switch")) {
		tag = p->tok.text;
		p_next(p);
	}
	encap = kind == TYPE_UNION && p_is_word(p, "switch");
	body = p->tok.kind == '{' || encap;
	if (!tag && !body)
		p_fail_expected(p, "'{' or a tag name");
	if (body && !allow_def)
		p_fail(p, "a %s cannot be defined here", kw);
	if (tag)
		g = symtab_lookup_tag(p->ast->types, tag);
	if (g && body && g->defined && !p->imported && !g->imported) {
		diag_error(p->d, &loc, 2003, "redefinition of '%s %s'", kw,
			   tag);
		diag_note(p->d, &g->loc, "previous definition is here");
		g = NULL;
	}
	if (!g || (body && g->defined)) {
		g = arena_new(p->a, struct tagged);
		g->tag = tag;
		g->loc = loc;
		g->imported = p->imported;
		if (tag)
			symtab_add_tag(p->ast->types, tag, g);
	}
	t->tagged = g;
	if (!body)
		return t;
	g->loc = loc;
	g->imported = p->imported;
	g->defined = true;
	p_enter(p);
	if (encap)
		parse_encapsulated(p, g);
	else if (kind == TYPE_ENUM)
		parse_enum_body(p, g);
	else
		parse_struct_body(p, g, kind == TYPE_UNION);
	p_leave(p);
	return t;
}

static const char *parse_qualified(struct parser *p, struct src_loc *loc)
{
	const char *name;

	*loc = p->tok.loc;
	name = p_expect_ident(p);
	while (p->tok.kind == '.') {
		p_next(p);
		name = arena_printf(p->a, "%s.%s", name, p_expect_ident(p));
	}
	return name;
}

static struct decl *lookup_type(struct parser *p, const char *name)
{
	struct decl *x = symtab_lookup(p->ast->types, name);
	const char *dot;

	if (x)
		return x;
	if (p->ns) {
		x = symtab_lookup(p->ast->types,
				  arena_printf(p->a, "%s.%s", p->ns, name));
		if (x)
			return x;
	}
	dot = strrchr(name, '.');
	return dot ? symtab_lookup(p->ast->types, dot + 1) : NULL;
}

static struct type_list *parse_generic_args(struct parser *p)
{
	struct type_list *head = NULL, **tail = &head;

	p_expect(p, '<');
	p->in_generic++;
	do {
		struct type_list *l = arena_new(p->a, struct type_list);

		l->type = p_type_name(p);
		*tail = l;
		tail = &l->next;
	} while (p_accept(p, ','));
	p_expect(p, '>');
	p->in_generic--;
	return head;
}

static bool is_c_header(const char *file)
{
	size_t n = file ? strlen(file) : 0;

	return n > 2 && !strcmp(file + n - 2, ".h");
}

static struct type *parse_named(struct parser *p)
{
	struct src_loc loc;
	struct type *t;

	t = new_type(p, TYPE_NAMED, &p->tok.loc);
	t->name = parse_qualified(p, &loc);
	t->decl = lookup_type(p, t->name);
	if (p->tok.kind == '<')
		t->generic_args = parse_generic_args(p);
	/*
	 * Unknown plain names are errors in the file being compiled.  WinRT
	 * names in declare blocks and generic arguments refer to
	 * instantiations widl knows and we need not, dotted names resolve
	 * through namespaces, and imported files and C headers (with
	 * their own #ifdef paths for C compilers) only matter where the
	 * main file uses what they declare.
	 */
	if (!t->decl && !p->in_declare && !p->in_generic && !p->imported &&
	    !strchr(t->name, '.') && !is_c_header(loc.file))
		diag_error(p->d, &loc, 0, "unknown type name '%s'", t->name);
	return t;
}

/*
 * A type specifier with its qualifiers: "const unsigned long",
 * "struct S { ... }", "IFoo", "SAFEARRAY(BSTR)".
 */
static struct type *parse_type_spec(struct parser *p, bool allow_def)
{
	struct type *t;
	unsigned q;

	p_enter(p);
	q = parse_quals(p);
	if (p->tok.kind != T_IDENT)
		p_fail_expected(p, "a type");
	if (is_base_word(p->tok.text)) {
		t = parse_base(p);
	} else if (is_tag_word(p->tok.text)) {
		t = parse_tagged(p, allow_def);
	} else if (p_is_word(p, "interface") || p_is_word(p, "dispinterface") ||
		   p_is_word(p, "coclass")) {
		p_next(p);
		t = parse_named(p);
	} else if (p_is_word(p, "SAFEARRAY") && p_peek(p).kind == '(') {
		t = new_type(p, TYPE_SAFEARRAY, &p->tok.loc);
		p_next(p);
		p_expect(p, '(');
		t->sub = p_type_name(p);
		p_expect(p, ')');
	} else if (p_is_word(p, "pipe")) {
		t = new_type(p, TYPE_PIPE, &p->tok.loc);
		p_next(p);
		t->sub = parse_type_spec(p, allow_def);
	} else {
		t = parse_named(p);
	}
	q |= parse_quals(p);
	t->qual |= q;
	p_leave(p);
	return t;
}

static void parse_params(struct parser *p, struct type *fn);

/* One array suffix "[...]", the '[' being the current token. */
static struct type *parse_array_suffix(struct parser *p)
{
	struct type *t = new_type(p, TYPE_ARRAY, &p->tok.loc);

	p_next(p);
	if (p->tok.kind == ']') {
		p_next(p);
		return t;
	}
	if (p->tok.kind == '*' && p_peek(p).kind == ']') {
		p_next(p);
		p_next(p);
		return t;
	}
	t->size = p_expr(p);
	if (p_accept(p, T_DOTDOT)) {
		t->lower = t->size;
		t->size = NULL;
		if (p->tok.kind == '*') {
			t->size = new_expr(p, EXPR_STAR, &p->tok.loc);
			p_next(p);
		} else {
			t->size = p_expr(p);
		}
	}
	p_expect(p, ']');
	return t;
}

/*
 * A declarator around @base: pointers, a name (or none when @need_name
 * is false), array and function suffixes, parentheses.  C reads it
 * inside out; the nested part is parsed first over a placeholder that
 * is then overwritten with what surrounds it.
 */
static struct type *parse_declarator(struct parser *p, struct type *base,
				     const char **name,
				     struct src_loc *name_loc, bool need_name)
{
	struct type *t = base, *inner = NULL, *hole = NULL;
	struct type *suffix[64];
	unsigned n_suffix = 0;

	p_enter(p);
	*name = NULL;
	*name_loc = p->tok.loc;
	parse_quals(p);
	while (p->tok.kind == '*' || p->tok.kind == '&') {
		struct type *ptr = new_type(p, TYPE_POINTER, &p->tok.loc);

		if (p->tok.kind == '&')
			p_fail(p, "C++ references are not IDL");
		p_next(p);
		ptr->sub = t;
		ptr->qual = parse_quals(p);
		t = ptr;
	}
	if (p->tok.kind == '(') {
		struct token n = p_peek(p);

		if (n.kind == '*' || n.kind == '(' ||
		    (n.kind == T_IDENT && (is_callconv(n.text) ||
					   is_skip_word(n.text)))) {
			p_next(p);
			hole = new_type(p, TYPE_BASE, &p->tok.loc);
			inner = parse_declarator(p, hole, name, name_loc,
						 need_name);
			p_expect(p, ')');
		}
	}
	if (!inner) {
		if (p->tok.kind == T_IDENT) {
			*name_loc = p->tok.loc;
			*name = p->tok.text;
			p_next(p);
		} else if (need_name) {
			p_fail_expected(p, "identifier");
		}
	}
	for (;;) {
		struct type *s;

		if (p->tok.kind == '[') {
			s = parse_array_suffix(p);
		} else if (p->tok.kind == '(') {
			s = new_type(p, TYPE_FUNCTION, &p->tok.loc);
			s->callconv = p->callconv;
			p->callconv = NULL;
			parse_params(p, s);
		} else {
			break;
		}
		if (n_suffix == sizeof(suffix) / sizeof(suffix[0]))
			p_fail(p, "too many array dimensions");
		suffix[n_suffix++] = s;
	}
	/* a[2][3]: array 2 of array 3 of T, so wrap from the right. */
	while (n_suffix--) {
		suffix[n_suffix]->sub = t;
		t = suffix[n_suffix];
	}
	if (inner) {
		*hole = *t;
		t = inner;
	}
	p_leave(p);
	return t;
}

static struct type *parse_abstract(struct parser *p, struct type *base)
{
	const char *name;
	struct src_loc loc;

	return parse_declarator(p, base, &name, &loc, false);
}

struct type *p_type_name(struct parser *p)
{
	return parse_abstract(p, parse_type_spec(p, false));
}

static void parse_params(struct parser *p, struct type *fn)
{
	struct param **tail = &fn->params;

	p_expect(p, '(');
	if (p->tok.kind == ')') {
		p_next(p);
		return;
	}
	if (p_is_word(p, "void") && p_peek(p).kind == ')') {
		p_next(p);
		p_next(p);
		fn->no_params = true;
		return;
	}
	for (;;) {
		struct src_loc type_loc;
		struct param *pa;

		if (p->tok.kind == T_ELLIPSIS) {
			p_next(p);
			fn->varargs = true;
			break;
		}
		pa = arena_new(p->a, struct param);
		pa->attrs = p_attr_lists(p);
		type_loc = p->tok.loc;
		pa->type = parse_declarator(p, parse_type_spec(p, true),
					    &pa->name, &pa->loc, false);
		/* An unnamed parameter is where its type is. */
		if (!pa->name)
			pa->loc = type_loc;
		*tail = pa;
		tail = &pa->next;
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ')');
}

/* ---- struct, union and enum bodies ---- */

struct field_list {
	struct field **tail;
	bool is_union;
};

/* Fill a union arm's cases from [case(...)] and [default]. */
static void cases_from_attrs(struct parser *p, struct field *f)
{
	struct case_label **tail = &f->cases;

	for (struct attr *a = f->attrs; a; a = a->next) {
		if (a->id == ATTR_CASE) {
			for (struct attr_arg *g = a->args; g; g = g->next) {
				struct case_label *c =
					arena_new(p->a, struct case_label);

				c->value = g->expr;
				c->loc = g->loc;
				*tail = c;
				tail = &c->next;
			}
		} else if (a->id == ATTR_DEFAULT) {
			struct case_label *c =
				arena_new(p->a, struct case_label);

			c->loc = a->loc;
			*tail = c;
			tail = &c->next;
		}
	}
}

static struct case_label *parse_case_labels(struct parser *p)
{
	struct case_label *head = NULL, **tail = &head;

	for (;;) {
		struct case_label *c;

		if (p_is_word(p, "case")) {
			c = arena_new(p->a, struct case_label);
			c->loc = p->tok.loc;
			p_next(p);
			c->value = p_expr(p);
		} else if (p_is_word(p, "default")) {
			c = arena_new(p->a, struct case_label);
			c->loc = p->tok.loc;
			p_next(p);
		} else {
			break;
		}
		p_expect(p, ':');
		*tail = c;
		tail = &c->next;
	}
	return head;
}

/*
 * One member declaration: "[attrs] T a, *b[2];", "union {...};", an
 * empty arm "[default] ;", or with "case 1:" labels first.
 */
static void parse_member(struct parser *p, void *ctx, struct list_state *s)
{
	struct field_list *fl = ctx;
	struct case_label *labels = NULL;
	struct src_loc loc;
	struct attr *attrs;
	struct type *base;

	(void)s;
	if (fl->is_union)
		labels = parse_case_labels(p);
	loc = p->tok.loc;
	attrs = p_attr_lists(p);
	if (p->tok.kind == ';') {
		struct field *f = arena_new(p->a, struct field);

		if (!fl->is_union)
			diag_error(p->d, &p->tok.loc, 2025,
				   "expected a member declaration before ';'");
		f->loc = loc;
		f->attrs = attrs;
		f->cases = labels;
		if (!labels)
			cases_from_attrs(p, f);
		p_next(p);
		*fl->tail = f;
		fl->tail = &f->next;
		return;
	}
	base = parse_type_spec(p, true);
	if (p->tok.kind == ';' && (base->kind == TYPE_STRUCT ||
				   base->kind == TYPE_UNION)) {
		/* An anonymous member: union { ... }; */
		struct field *f = arena_new(p->a, struct field);

		f->loc = base->loc;
		f->attrs = attrs;
		f->type = base;
		f->cases = labels;
		if (!labels)
			cases_from_attrs(p, f);
		p_next(p);
		*fl->tail = f;
		fl->tail = &f->next;
		return;
	}
	for (;;) {
		struct field *f = arena_new(p->a, struct field);

		f->attrs = attrs;
		f->type = parse_declarator(p, base, &f->name, &f->loc, true);
		if (p_accept(p, ':'))
			f->bits = p_expr(p);
		f->cases = labels;
		if (!labels)
			cases_from_attrs(p, f);
		*fl->tail = f;
		fl->tail = &f->next;
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ';');
}

static void parse_members(struct parser *p, struct tagged *g, bool is_union)
{
	struct field_list fl = { .tail = &g->fields, .is_union = is_union };
	struct list_state s = { 0 };

	p_expect(p, '{');
	p_list(p, '}', parse_member, &fl, &s);
	p_expect(p, '}');
}

static void parse_struct_body(struct parser *p, struct tagged *g,
			      bool is_union)
{
	parse_members(p, g, is_union);
}

/* union U switch (T d) ARM { case ...: ... } */
static void parse_encapsulated(struct parser *p, struct tagged *g)
{
	struct field *sw = arena_new(p->a, struct field);

	g->encapsulated = true;
	p_next(p);		/* switch */
	p_expect(p, '(');
	sw->attrs = p_attr_lists(p);
	sw->type = parse_declarator(p, parse_type_spec(p, true), &sw->name,
				    &sw->loc, true);
	p_expect(p, ')');
	g->switch_field = sw;
	if (p->tok.kind == T_IDENT)
		g->arm_name = p_expect_ident(p);
	parse_members(p, g, true);
}

static void parse_enum_body(struct parser *p, struct tagged *g)
{
	struct enumerator **tail = &g->values;

	p_expect(p, '{');
	while (p->tok.kind != '}') {
		struct enumerator *e = arena_new(p->a, struct enumerator);

		e->attrs = p_attr_lists(p);
		e->loc = p->tok.loc;
		e->name = p_expect_ident(p);
		if (p_accept(p, '='))
			e->value = p_expr(p);
		*tail = e;
		tail = &e->next;
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, '}');
}

/* ---- items ---- */

enum scope {
	SCOPE_FILE,
	SCOPE_INTERFACE,
	SCOPE_DISPINTERFACE,
	SCOPE_COCLASS,
	SCOPE_LIBRARY,
	SCOPE_MODULE,
	SCOPE_NAMESPACE,
	SCOPE_RUNTIMECLASS,
	SCOPE_DECLARE,
};

struct item_list {
	struct decl **tail;
	enum scope scope;
};

static void append(struct item_list *l, struct decl *x)
{
	*l->tail = x;
	l->tail = &x->next;
}

static void register_type(struct parser *p, struct decl *x)
{
	symtab_add(p->ast->types, x->name, x);
	if (p->ns)
		symtab_add(p->ast->types,
			   arena_printf(p->a, "%s.%s", p->ns, x->name), x);
}

static struct decl *parse_items(struct parser *p, enum scope scope);

static void no_attrs(struct parser *p, struct attr *attrs, const char *what)
{
	if (attrs)
		diag_error(p->d, &attrs->loc, 2025,
			   "attributes are not allowed on %s", what);
}

static const char *parse_string_arg(struct parser *p, size_t *len)
{
	struct expr *e;

	if (p->tok.kind != T_STRING)
		p_fail_expected(p, "string constant");
	e = parse_strings(p);
	if (len)
		*len = e->str_len;
	return e->str;
}

static void parse_import(struct parser *p, struct item_list *l)
{
	p_next(p);
	for (;;) {
		struct decl *x = new_decl(p, DECL_IMPORT, &p->tok.loc);

		x->str = parse_string_arg(p, &x->str_len);
		if (p->hook && p->hook->import)
			x->file = p->hook->import(p->hook->ctx, x->str,
						  &x->loc);
		append(l, x);
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ';');
}

static void parse_midl_pragma(struct parser *p, struct item_list *l)
{
	struct decl *x = new_decl(p, DECL_MIDL_PRAGMA, &p->tok.loc);
	const char *action;
	char *text;
	bool enable;

	p_next(p);
	if (!p_is_word(p, "warning"))
		p_fail_expected(p, "'warning'");
	p_next(p);
	p_expect(p, '(');
	action = p_expect_ident(p);
	if (strcmp(action, "disable") != 0 &&
	    strcmp(action, "enable") != 0 &&
	    strcmp(action, "default") != 0)
		diag_error(p->d, &x->loc, 2025,
			   "expected 'disable', 'enable' or 'default' in midl_pragma warning");
	enable = strcmp(action, "disable") != 0;
	p_expect(p, ':');
	text = arena_printf(p->a, "warning(%s:", action);
	do {
		if (p->tok.kind != T_INT)
			p_fail_expected(p, "warning number");
		diag_midl_warning_state(p->d, (int)p->tok.ival, enable);
		text = arena_printf(p->a, "%s %llu", text,
				    (unsigned long long)p->tok.ival);
		p_next(p);
		p_accept(p, ',');
	} while (p->tok.kind != ')');
	p_expect(p, ')');
	p_accept(p, ';');
	x->str = arena_printf(p->a, "%s)", text);
	x->str_len = strlen(x->str);
	append(l, x);
}

/* interface NAME[<T>] [: BASE] [requires A, B] { ... } or a reference */
static void parse_interface(struct parser *p, struct item_list *l,
			    struct attr *attrs, enum decl_kind kind)
{
	struct decl *x = new_decl(p, kind, &p->tok.loc), *saved_parent;
	struct type_list *gen = NULL;
	struct src_loc nloc;
	bool saved_declare = p->in_declare;
	enum scope body_scope;

	p_next(p);
	x->attrs = attrs;
	x->name = parse_qualified(p, &nloc);
	x->loc = nloc;
	if (p->tok.kind == '<')
		gen = parse_generic_args(p);
	if (gen && (p->tok.kind == ':' || p->tok.kind == '{')) {
		unsigned n = 0;

		for (struct type_list *g = gen; g; g = g->next)
			n++;
		x->generic_params = arena_alloc(p->a, n * sizeof(char *));
		for (struct type_list *g = gen; g; g = g->next) {
			if (g->type->kind != TYPE_NAMED)
				p_fail(p, "a generic parameter must be a name");
			x->generic_params[x->n_generic_params++] =
				g->type->name;
		}
	} else if (gen) {
		struct type *t = new_type(p, TYPE_NAMED, &nloc);

		t->name = x->name;
		t->generic_args = gen;
		t->decl = lookup_type(p, x->name);
		x->type = t;
	}
	if (p->tok.kind == ';') {
		/* A forward declaration or a coclass/declare reference. */
		p_next(p);
		if (!x->type && !lookup_type(p, x->name))
			register_type(p, x);
		append(l, x);
		return;
	}
	register_type(p, x);
	if (p_accept(p, ':')) {
		struct src_loc bl;

		x->base_name = parse_qualified(p, &bl);
		x->base = lookup_type(p, x->base_name);
		if (p->tok.kind == '<')
			parse_generic_args(p);
		if (!x->base)
			diag_error(p->d, &bl, 0, "unknown base interface '%s'",
				   x->base_name);
	}
	if (p_is_word(p, "requires")) {
		struct type_list **tail = &x->requires;

		p_next(p);
		do {
			struct type_list *r = arena_new(p->a,
							struct type_list);

			p->in_generic++;
			r->type = parse_named(p);
			p->in_generic--;
			*tail = r;
			tail = &r->next;
		} while (p_accept(p, ','));
	}
	x->defined = true;
	for (unsigned i = 0; i < x->n_generic_params; i++) {
		struct decl *g = new_decl(p, DECL_GENERIC_PARAM, &x->loc);

		g->name = x->generic_params[i];
		symtab_add(p->ast->types, g->name, g);
	}
	body_scope = kind == DECL_DISPINTERFACE ? SCOPE_DISPINTERFACE :
		     kind == DECL_RUNTIMECLASS ? SCOPE_RUNTIMECLASS :
		     SCOPE_INTERFACE;
	p_expect(p, '{');
	saved_parent = p->parent;
	p->parent = x;
	x->body = parse_items(p, body_scope);
	p->parent = saved_parent;
	p->in_declare = saved_declare;
	for (unsigned i = 0; i < x->n_generic_params; i++)
		symtab_remove(p->ast->types, x->generic_params[i]);
	p_expect(p, '}');
	p_accept(p, ';');
	append(l, x);
}

/* library, coclass, module, namespace, declare, apicontract bodies */
static void parse_block(struct parser *p, struct item_list *l,
			struct attr *attrs, enum decl_kind kind,
			enum scope scope)
{
	struct decl *x = new_decl(p, kind, &p->tok.loc), *saved_parent;
	const char *saved_ns = p->ns;
	bool saved_declare = p->in_declare;
	struct src_loc nloc;

	p_next(p);
	x->attrs = attrs;
	if (kind != DECL_DECLARE) {
		x->name = parse_qualified(p, &nloc);
		x->loc = nloc;
	}
	if (p->tok.kind == ';' && (kind == DECL_COCLASS ||
				   kind == DECL_RUNTIMECLASS)) {
		p_next(p);
		register_type(p, x);
		append(l, x);
		return;
	}
	if (kind == DECL_COCLASS || kind == DECL_RUNTIMECLASS ||
	    kind == DECL_APICONTRACT)
		register_type(p, x);
	p_expect(p, '{');
	x->defined = true;
	if (kind == DECL_NAMESPACE)
		p->ns = p->ns ? arena_printf(p->a, "%s.%s", p->ns, x->name) :
				x->name;
	if (kind == DECL_DECLARE)
		p->in_declare = true;
	saved_parent = p->parent;
	p->parent = x;
	x->body = parse_items(p, scope);
	p->parent = saved_parent;
	p->ns = saved_ns;
	p->in_declare = saved_declare;
	p_expect(p, '}');
	p_accept(p, ';');
	append(l, x);
}

static void parse_typedef(struct parser *p, struct item_list *l,
			  struct attr *attrs)
{
	struct src_loc loc = p->tok.loc;
	struct type *base;

	p_next(p);
	attr_append(&attrs, p_attr_lists(p));
	base = parse_type_spec(p, true);
	for (;;) {
		struct decl *x = new_decl(p, DECL_TYPEDEF, &loc);

		x->attrs = attrs;
		x->type = parse_declarator(p, base, &x->name, &x->loc, true);
		register_type(p, x);
		append(l, x);
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ';');
}

/* delegate RET NAME[<T>](params); */
static void parse_delegate(struct parser *p, struct item_list *l,
			   struct attr *attrs)
{
	struct decl *x = new_decl(p, DECL_DELEGATE, &p->tok.loc);
	struct type *fn;
	struct src_loc nloc;
	unsigned n = 0;

	p_next(p);
	x->attrs = attrs;
	fn = new_type(p, TYPE_FUNCTION, &p->tok.loc);
	fn->sub = parse_type_spec(p, false);
	x->name = parse_qualified(p, &nloc);
	x->loc = nloc;
	register_type(p, x);
	if (p->tok.kind == '<') {
		struct type_list *gen = parse_generic_args(p);

		for (struct type_list *g = gen; g; g = g->next)
			n++;
		x->generic_params = arena_alloc(p->a, n * sizeof(char *));
		for (struct type_list *g = gen; g; g = g->next)
			if (g->type->kind == TYPE_NAMED)
				x->generic_params[x->n_generic_params++] =
					g->type->name;
		for (unsigned i = 0; i < x->n_generic_params; i++) {
			struct decl *g = new_decl(p, DECL_GENERIC_PARAM,
						  &nloc);

			g->name = x->generic_params[i];
			symtab_add(p->ast->types, g->name, g);
		}
	}
	parse_params(p, fn);
	for (unsigned i = 0; i < x->n_generic_params; i++)
		symtab_remove(p->ast->types, x->generic_params[i]);
	x->type = fn;
	p_expect(p, ';');
	append(l, x);
}

/* "[attrs] T decl, decl;": functions, properties, constants, types. */
static void parse_declaration(struct parser *p, struct item_list *l,
			      struct attr *attrs)
{
	struct src_loc loc = p->tok.loc;
	bool is_const = p_is_word(p, "const");
	struct type *base = parse_type_spec(p, true);

	if (p->tok.kind == ';' && (base->kind == TYPE_STRUCT ||
				   base->kind == TYPE_UNION ||
				   base->kind == TYPE_ENUM)) {
		struct decl *x = new_decl(p, DECL_TYPE, &loc);

		x->attrs = attrs;
		x->type = base;
		x->name = base->tagged->tag;
		if (!base->tagged->attrs)
			base->tagged->attrs = attrs;
		/* WinRT names its structs and enums without typedefs. */
		if (p->ns && x->name)
			register_type(p, x);
		p_next(p);
		append(l, x);
		return;
	}
	for (;;) {
		struct decl *x = new_decl(p, DECL_VAR, &loc);

		x->attrs = attrs;
		x->type = parse_declarator(p, base, &x->name, &x->loc, true);
		if (x->type->kind == TYPE_FUNCTION) {
			x->kind = DECL_FUNC;
		} else if (p_accept(p, '=')) {
			x->kind = DECL_CONST;
			x->value = p_expr(p);
			if (!is_const)
				diag_error(p->d, &x->loc, 2001,
					   "instantiation of data is illegal; a constant needs 'const'");
		} else if (is_const) {
			p_fail_expected(p, "'='");
		}
		append(l, x);
		if (!p_accept(p, ','))
			break;
	}
	p_expect(p, ';');
}

static void parse_item(struct parser *p, void *ctx, struct list_state *s)
{
	struct item_list *l = ctx;
	struct attr *attrs;
	struct src_loc loc;

	(void)s;
	if (p->tok.kind == ';') {
		p_next(p);
		return;
	}
	if (p->tok.kind == '}') {
		p_fail(p, "unexpected '}'");
	}
	if (l->scope == SCOPE_DISPINTERFACE &&
	    (p_is_word(p, "properties") || p_is_word(p, "methods")) &&
	    p_peek(p).kind == ':') {
		p_next(p);
		p_next(p);
		return;
	}
	loc = p->tok.loc;
	attrs = p_attr_lists(p);
	if (p->tok.kind != T_IDENT)
		p_fail_expected(p, attrs ? "a declaration after the attributes"
				: "a declaration");
	if (p_is_word(p, "import")) {
		no_attrs(p, attrs, "import");
		parse_import(p, l);
	} else if (p_is_word(p, "importlib")) {
		struct decl *x = new_decl(p, DECL_IMPORTLIB, &loc);

		no_attrs(p, attrs, "importlib");
		p_next(p);
		p_expect(p, '(');
		x->str = parse_string_arg(p, &x->str_len);
		p_expect(p, ')');
		p_expect(p, ';');
		append(l, x);
	} else if (p_is_word(p, "cpp_quote")) {
		struct decl *x = new_decl(p, DECL_CPP_QUOTE, &loc);

		no_attrs(p, attrs, "cpp_quote");
		p_next(p);
		p_expect(p, '(');
		x->str = parse_string_arg(p, &x->str_len);
		p_expect(p, ')');
		p_accept(p, ';');
		append(l, x);
	} else if (p_is_word(p, "midl_pragma")) {
		no_attrs(p, attrs, "midl_pragma");
		parse_midl_pragma(p, l);
	} else if (p_is_word(p, "interface")) {
		parse_interface(p, l, attrs, DECL_INTERFACE);
	} else if (p_is_word(p, "dispinterface")) {
		parse_interface(p, l, attrs, DECL_DISPINTERFACE);
	} else if (p_is_word(p, "runtimeclass")) {
		parse_block(p, l, attrs, DECL_RUNTIMECLASS,
			    SCOPE_RUNTIMECLASS);
	} else if (p_is_word(p, "coclass")) {
		parse_block(p, l, attrs, DECL_COCLASS, SCOPE_COCLASS);
	} else if (p_is_word(p, "library")) {
		parse_block(p, l, attrs, DECL_LIBRARY, SCOPE_LIBRARY);
	} else if (p_is_word(p, "module")) {
		parse_block(p, l, attrs, DECL_MODULE, SCOPE_MODULE);
	} else if (p_is_word(p, "namespace")) {
		parse_block(p, l, attrs, DECL_NAMESPACE, SCOPE_NAMESPACE);
	} else if (p_is_word(p, "apicontract")) {
		parse_block(p, l, attrs, DECL_APICONTRACT, SCOPE_LIBRARY);
	} else if (p_is_word(p, "declare") && p_peek(p).kind == '{') {
		parse_block(p, l, attrs, DECL_DECLARE, SCOPE_DECLARE);
	} else if (p_is_word(p, "delegate")) {
		parse_delegate(p, l, attrs);
	} else if (p_is_word(p, "typedef")) {
		parse_typedef(p, l, attrs);
	} else {
		parse_declaration(p, l, attrs);
	}
}

static void item_elem(struct parser *p, void *ctx, struct list_state *s)
{
	struct item_list *l = ctx;

	p_flush_pragmas(p, &l->tail);
	if (p->tok.kind == T_EOF)
		return;
	parse_item(p, ctx, s);
}

static struct decl *parse_items(struct parser *p, enum scope scope)
{
	struct decl *head = NULL;
	struct item_list l = { .tail = &head, .scope = scope };
	struct list_state s = { 0 };

	p_enter(p);
	p_list(p, scope == SCOPE_FILE ? T_EOF : '}', item_elem, &l, &s);
	p_flush_pragmas(p, &l.tail);
	p_leave(p);
	return head;
}

struct idl_file *parse_idl(struct ast *ast, struct diag *d,
			   const char *text, size_t len, const char *path,
			   bool raw, bool imported,
			   const struct import_hook *hook)
{
	struct idl_file *f = arena_new(ast->arena, struct idl_file);
	struct idl_file **tail;
	struct parser *p = arena_new(ast->arena, struct parser);
	jmp_buf top;

	f->path = arena_strdup(ast->arena, path);
	f->imported = imported;
	for (tail = &ast->files; *tail; tail = &(*tail)->next)
		;
	*tail = f;
	if (!ast->types)
		ast->types = symtab_new(ast->arena);
	/* The first token may already be an error (stray character). */
	parser_init(p, ast, d, text, len, f->path, raw);
	p->imported = imported;
	p->hook = hook;
	p->recover = &top;
	if (setjmp(top))
		return f;	/* only from nesting errors at the top */
	f->decls = parse_items(p, SCOPE_FILE);
	return f;
}
