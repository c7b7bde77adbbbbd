// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the lexer.  Token kinds, values and locations; literals;
 * line markers and pragmas; UUIDs; errors.
 */
#include "lexer.h"
#include "kselftest_harness.h"

struct lx_fixture {
	struct arena a;
	struct diag d;
	struct lexer lx;
	char *out;
	size_t out_len;
	FILE *fp;
};

static void lx_open(struct lx_fixture *f, const char *text, bool raw)
{
	arena_init(&f->a);
	f->fp = open_memstream(&f->out, &f->out_len);
	diag_init(&f->d, f->fp);
	f->d.caret = false;
	lexer_init(&f->lx, &f->a, &f->d, text, strlen(text), "t.idl", raw);
}

static void lx_close(struct lx_fixture *f)
{
	fclose(f->fp);
	free(f->out);
	diag_fini(&f->d);
	arena_free(&f->a);
}

TEST(identifiers_and_locations)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "interface async\n  message idempotent", true);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_IDENT, t.kind);
	EXPECT_STREQ("interface", t.text);
	EXPECT_EQ(1, t.loc.line);
	EXPECT_EQ(1, t.loc.col);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("async", t.text);
	EXPECT_EQ(11, t.loc.col);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("message", t.text);
	EXPECT_EQ(2, t.loc.line);
	EXPECT_EQ(3, t.loc.col);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("idempotent", t.text);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_EOF, t.kind);
	EXPECT_EQ(0, f.d.errors);
	lx_close(&f);
}

TEST(integers)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "0 42 0x1F 0777 10L 7UL 0xffffffffffffffff 5u", true);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_INT, t.kind);
	EXPECT_EQ(0, t.ival);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(42, t.ival);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(31, t.ival);
	EXPECT_EQ(INT_HEX, t.int_flags);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(511, t.ival);
	EXPECT_EQ(INT_OCTAL, t.int_flags);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(10, t.ival);
	EXPECT_EQ(INT_LONG, t.int_flags);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(7, t.ival);
	EXPECT_EQ(INT_UNSIGNED | INT_LONG, t.int_flags);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(UINT64_MAX, t.ival);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(INT_UNSIGNED, t.int_flags);
	EXPECT_EQ(0, f.d.errors);
	lx_close(&f);
}

TEST(integer_errors)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "0x10000000000000000 12abc 09", true);
	lexer_next(&f.lx, &t);
	lexer_next(&f.lx, &t);
	lexer_next(&f.lx, &t);
	fflush(f.fp);
	EXPECT_EQ(3, f.d.errors);
	EXPECT_STREQ("t.idl:1:1: error: integer constant is too large\n"
		     "t.idl:1:21: error: invalid suffix 'abc' on integer constant\n"
		     "t.idl:1:27: error: invalid digit in octal constant\n",
		     f.out);
	lx_close(&f);
}

TEST(floats_and_ranges)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "1.0 2.5e3 .5 0..*", true);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_FLOAT, t.kind);
	EXPECT_EQ(3, t.spelling_len);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_FLOAT, t.kind);
	EXPECT_TRUE(t.fval == 2500.0);
	lexer_next(&f.lx, &t);
	EXPECT_TRUE(t.fval == 0.5);
	/* DCE bounds: "0..*" is 0, "..", "*" and not the float "0." */
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_INT, t.kind);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_DOTDOT, t.kind);
	lexer_next(&f.lx, &t);
	EXPECT_EQ('*', t.kind);
	lx_close(&f);
}

TEST(strings_and_chars)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "\"a\\n\\\"b\\x41\\101\\0z\" L\"w\" 'c' '\\n' L'x'", true);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_STRING, t.kind);
	EXPECT_EQ(8, t.text_len);
	EXPECT_EQ(0, memcmp("a\n\"bAA\0z", t.text, 8));
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_WSTRING, t.kind);
	EXPECT_STREQ("w", t.text);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_CHAR, t.kind);
	EXPECT_EQ('c', t.ival);
	lexer_next(&f.lx, &t);
	EXPECT_EQ('\n', t.ival);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_CHAR, t.kind);
	EXPECT_EQ('x', t.ival);
	EXPECT_EQ(0, f.d.errors);
	lx_close(&f);
}

TEST(unterminated)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "\"abc\nx /* never", true);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_STRING, t.kind);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("x", t.text);
	EXPECT_EQ(2, t.loc.line);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_EOF, t.kind);
	fflush(f.fp);
	EXPECT_STREQ("t.idl:1:1: error: missing terminating \" character\n"
		     "t.idl:2:3: error: unterminated comment\n", f.out);
	lx_close(&f);
}

TEST(operators)
{
	static const int want[] = {
		'?', ':', T_OROR, T_ANDAND, '|', '^', '&', T_EQ, T_NE, '<',
		'>', T_LE, T_GE, T_SHL, T_SHR, '+', '-', '*', '/', '%', '!',
		'~', T_DOTDOT, T_ARROW, T_ELLIPSIS, '.', '[', ']', T_EOF,
	};
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "? : || && | ^ & == != < > <= >= << >> + - * / % ! ~ .. -> ... . [ ]",
		true);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		lexer_next(&f.lx, &t);
		EXPECT_EQ(want[i], t.kind);
	}
	lx_close(&f);
}

TEST(comments)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "// one\na /* two\nthree */ b", true);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("a", t.text);
	EXPECT_EQ(2, t.loc.line);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("b", t.text);
	EXPECT_EQ(3, t.loc.line);
	EXPECT_EQ(10, t.loc.col);
	lx_close(&f);
}

TEST(line_markers)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "# 1 \"<stdin>\"\n# 12 \"dir/foo.idl\" 1\n  a\n#line 40 \"b.idl\"\nb\n# 7\nc\n",
		false);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("a", t.text);
	EXPECT_STREQ("dir/foo.idl", t.loc.file);
	EXPECT_EQ(12, t.loc.line);
	EXPECT_EQ(3, t.loc.col);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("b.idl", t.loc.file);
	EXPECT_EQ(40, t.loc.line);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("b.idl", t.loc.file);
	EXPECT_EQ(7, t.loc.line);
	EXPECT_EQ(0, f.d.errors);
	lx_close(&f);
}

TEST(true_columns_from_original)
{
	struct lx_fixture f;
	struct token t;

	/* cpp squeezes "long    x" to "long x"; columns come from t.idl. */
	lx_open(&f, "# 3 \"t.idl\"\n  long x /* c */;\n", false);
	diag_set_source(&f.d, "t.idl", "\n\n  long    x /* c */;\n", 23);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(3, t.loc.col);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("x", t.text);
	EXPECT_EQ(11, t.loc.col);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(';', t.kind);
	EXPECT_EQ(20, t.loc.col);
	lx_close(&f);
}

TEST(pragma_token)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "a\n  #pragma midl_echo(\"x\")  \nb # c", true);
	lexer_next(&f.lx, &t);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_PRAGMA, t.kind);
	EXPECT_STREQ("midl_echo(\"x\")", t.text);
	EXPECT_EQ(2, t.loc.line);
	EXPECT_EQ(3, t.loc.col);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("b", t.text);
	/* '#' not at the start of a line is a stray character. */
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("c", t.text);
	EXPECT_EQ(1, f.d.errors);
	lx_close(&f);
}

TEST(directives_without_cpp)
{
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "#include \"x.h\"\na", true);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("a", t.text);
	fflush(f.fp);
	EXPECT_STREQ("t.idl:1:1: error: preprocessing directive '#include' needs the C preprocessor (--no-cpp was given)\n",
		     f.out);
	lx_close(&f);
}

TEST(uuids)
{
	static const uint8_t want[16] = {
		0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0xab, 0xcd,
		0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
	};
	struct lx_fixture f;
	struct token t;

	lx_open(&f, "( 12345678-1234-ABCD-EF00-0123456789AB) (\"12345678-1234-abcd-ef00-0123456789ab\") (1234-5)",
		true);
	lexer_next(&f.lx, &t);
	EXPECT_TRUE(lexer_uuid(&f.lx, &t));
	EXPECT_EQ(T_UUID, t.kind);
	EXPECT_EQ(3, t.loc.col);
	EXPECT_EQ(0, memcmp(want, t.uuid, 16));
	lexer_next(&f.lx, &t);
	EXPECT_EQ(')', t.kind);
	lexer_next(&f.lx, &t);
	EXPECT_TRUE(lexer_uuid(&f.lx, &t));
	EXPECT_EQ(0, memcmp(want, t.uuid, 16));
	lexer_next(&f.lx, &t);
	lexer_next(&f.lx, &t);
	EXPECT_FALSE(lexer_uuid(&f.lx, &t));
	fflush(f.fp);
	EXPECT_STREQ("t.idl:1:83: error: invalid UUID '1234-5'\n", f.out);
	lx_close(&f);
}

TEST(stray_and_nul)
{
	struct lx_fixture f;
	struct token t;
	static const char text[] = { 'a', '\0', '@', 'b' };

	arena_init(&f.a);
	f.fp = open_memstream(&f.out, &f.out_len);
	diag_init(&f.d, f.fp);
	f.d.caret = false;
	lexer_init(&f.lx, &f.a, &f.d, text, sizeof(text), "t.idl", true);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("a", t.text);
	lexer_next(&f.lx, &t);
	EXPECT_STREQ("b", t.text);
	lexer_next(&f.lx, &t);
	EXPECT_EQ(T_EOF, t.kind);
	fflush(f.fp);
	EXPECT_STREQ("t.idl:1:2: error: stray '\\0' in program\n"
		     "t.idl:1:3: error: stray '@' in program\n", f.out);
	lx_close(&f);
}

TEST_HARNESS_MAIN
