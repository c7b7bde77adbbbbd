// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the in-process preprocessor (cpp_lite.h).  What it does it
 * must do as cpp does: each accepted text is also run through the real
 * cpp and the tokens and their lines compared.  What it cannot do
 * exactly it must decline.
 */
#include "kselftest_harness.h"

#include "cpp_lite.h"
#include "cpp_tokens.h"

static const char *const user_args[] = {
	"-DUSER=7", "-DTWICE(a)=((a) * 2)", "-DEMPTY=", "-UNOPE", "-Iinc",
};

static const struct cpp_options with_args = {
	.args = user_args,
	.n_args = sizeof(user_args) / sizeof(user_args[0]),
};

static enum cpp_lite_result lite(const char *text, char **out)
{
	size_t n;

	return cpp_lite(&with_args, text, strlen(text), out, &n);
}

/* Accepted, and the same tokens on the same lines as cpp's. */
static bool as_cpp_does(const char *text)
{
	struct ctoks a = { 0 }, b = { 0 };
	size_t la, lb;
	char *mine, *real;
	bool same;

	if (cpp_lite(&with_args, text, strlen(text), &mine, &la) !=
	    CPP_LITE_DONE) {
		fprintf(stderr, "declined:\n%s\n", text);
		return false;
	}
	real = ctok_real_cpp(&with_args, "t.idl", text, strlen(text), &lb,
			     stderr);
	if (!real) {
		free(mine);
		return false;
	}
	ctok_split(&a, mine, la, "t.idl");
	ctok_split(&b, real, lb, "t.idl");
	same = ctok_same(&a, &b, stderr);
	if (!same)
		fprintf(stderr, "for:\n%s\nin-process:\n%s\ncpp:\n%s\n", text,
			mine, real);
	free(a.t);
	free(b.t);
	free(mine);
	free(real);
	return same;
}

TEST(object_and_function_macros)
{
	EXPECT_TRUE(as_cpp_does("#define N 10\ntypedef long a[N];\n"));
	EXPECT_TRUE(as_cpp_does("#define A B\n#define B 3\nconst long x = A;\n"));
	EXPECT_TRUE(as_cpp_does("#define F(x, y) x + y * 2\n"
				"const long v = F(1, F(2, 3));\n"
				"const long w = F((1, 2), [3]);\n"));
	EXPECT_TRUE(as_cpp_does("#define progid(str)\n#define threading(m)\n"
				"[threading(both), progid(\"a.b.1\"), uuid(1)]\n"
				"coclass C { interface I; }\n"));
	EXPECT_TRUE(as_cpp_does("#define Z() 0\nconst long z = Z() + Z( );\n"));
	EXPECT_TRUE(as_cpp_does("#define F(x) x\nlong F;\nlong g(long F);\n"));
	EXPECT_TRUE(as_cpp_does("#define X 1\n#undef X\n#define X 2\nX\n"));
	EXPECT_TRUE(as_cpp_does("#define X 1 /* one */\n#define X   1\nX\n"));
	EXPECT_TRUE(as_cpp_does("#define a$b 1\nlong c = a$b;\n"));
	EXPECT_TRUE(as_cpp_does("#define X 1\nX"));	/* no last newline */
	/* Names in literals stay; L"X" is one literal, not L then "X". */
	EXPECT_TRUE(as_cpp_does("#define X 1\n#define L 2\n"
				"cpp_quote(\"X\") const wchar_t *s = L\"X\";\n"
				"const char c = 'X'; long l = L;\n"));
	/* A comment in a call, and a call in a comment. */
	EXPECT_TRUE(as_cpp_does("#define F(x) (x)\nlong v = F(/* a, b */ 1);\n"
				"/* F(2)\n F(3) */ long w = F(4);\n"));
	/* The command line's macros, and one it removed. */
	EXPECT_TRUE(as_cpp_does("long a[USER], b = TWICE(USER) EMPTY;\n"
				"#ifdef NOPE\nno\n#endif\n"));
	EXPECT_TRUE(as_cpp_does("#if __midl >= 501 && __QRPC_IDL__\nyes\n#endif\n"));
}

TEST(expansions_do_not_run_together)
{
	EXPECT_TRUE(as_cpp_does("#define M -1\nconst long v = -M;\n"));
	EXPECT_TRUE(as_cpp_does("#define G >\ntypedef x<y<z> G> w;\n"));
	EXPECT_TRUE(as_cpp_does("#define P +\n#define Q(a) a+\nlong v = 1 P+Q(+)1;\n"));
	EXPECT_TRUE(as_cpp_does("#define I(a) a\nlong v = I(x)I(y);\n"));
}

TEST(conditionals)
{
	EXPECT_TRUE(as_cpp_does("#ifdef __WIDL__\nwidl\n#else\nnot widl\n#endif\n"
				"#ifndef __cplusplus\nc\n#endif\n"));
	EXPECT_TRUE(as_cpp_does("#if 0\n#include <missing.h>\n#error no\n"
				"don`t care\n#if 1\nnested\n#else\n#endif\n"
				"#elif 0\nno\n#elif 1\nyes\n#elif 1\nno\n"
				"#else\nno\n#endif\n"));
	EXPECT_TRUE(as_cpp_does("#if !defined(progid) && !defined __WIDL__\n"
				"#define progid(s)\n#endif\n[progid(\"x\")] coclass C {}\n"));
	EXPECT_TRUE(as_cpp_does("#if (1 << 3) * 2 - 16 == 0 && 7 % 4 == 3 && "
				"10 / 3 == 3 && (0 ? 1 : 2) == 2\nyes\n#endif\n"
				"#if 0x10 == 16 && 010 == 8 && 5L == 5LL && -1 < 0\n"
				"yes\n#endif\n#if ~0 == -1 && !0 && (3 & 5) == 1 && "
				"(3 | 5) == 7 && (3 ^ 5) == 6 && 4 >> 1 == 2\nyes\n"
				"#endif\n#if 1 != 1 || 2 <= 1 || 1 >= 2 || 1 > 2\n"
				"no\n#endif\n"));
	EXPECT_TRUE(as_cpp_does("#if UNDEFINED_NAME\nno\n#else\nyes\n#endif\n"));
	EXPECT_TRUE(as_cpp_does("#define V 3\n#if V > 2 && TWICE(V) == 6\nyes\n#endif\n"));
	/* A directive after a comment, and comments hiding directives. */
	EXPECT_TRUE(as_cpp_does("/* c */ #define X 1\nX\n/* a\n#define Y 2\n */ Y\n"
				"#if 0 /* a comment */\nno\n#endif // another\n"));
	EXPECT_TRUE(as_cpp_does("#\n  #  \n# /* nothing */\nlong a;\n"));
}

TEST(pragmas_stay_with_their_blanks_squeezed)
{
	EXPECT_TRUE(as_cpp_does("#pragma winrt ns_prefix\n"
				"  #  pragma   makedep   install\n"
				"#pragma midl_echo(\"a   b\")\n"
				"#pragma warning(disable:  2111)\nlong a;\n"));
}

TEST(what_is_left_to_cpp)
{
	static const char *const declined[] = {
		"#include \"x.h\"\n",
		"#define S(x) #x\n",
		"#define P(a, b) a##b\n",
		"#define V(...) __VA_ARGS__\n",
		"#define F(x) x\nF\n(1)\n",	/* the '(' may be later */
		"#define F(x) x\nF /* c */\n(1)\n",
		"#define F(x) x\nlong v = F(1,\n2);\n",
		"#define F(x, y) x\nlong v = F(1);\n",
		"#define F() x\nlong v = F(1);\n",
		"#define G F\n#define F(x) x\nG(1)\n",	/* after a rescan */
		"#define X 1\n#define X 2\n",	/* redefined */
		"#define A A\nA\n",		/* painted blue */
		"#define A B\n#define B A\nA\n",
		"#define X-1\n",		/* no blank after the name */
		"#define 1X\n",
		"#define defined 1\n",
		"#define __FILE__ x\n",
		"#define F(a, a) a\n",
		"#line 5\n",
		"# 5 \"x.idl\"\n",
		"#error x\n",
		"#warning x\n",
		"#ident \"x\"\n",
		"#if 1\n",			/* unterminated */
		"#endif\n",
		"#else\n",
		"#elif 1\n",
		"#if 1\n#else\n#else\n#endif\n",
		"#if 1\n#else\n#elif 1\n#endif\n",
		"#ifdef X Y\n#endif\n",
		"#ifdef\n#endif\n",
		"#if 1\n#endif junk\n",
		"#if\n#endif\n",
		"#if 1/0\n#endif\n",
		"#if 1u\n#endif\n",
		"#if 'a'\n#endif\n",
		"#if 1.0\n#endif\n",
		"#if 08\n#endif\n",
		"#if 9223372036854775807 + 1\n#endif\n",
		"#if 1 << 64\n#endif\n",
		"#if (1\n#endif\n",
		"#if 1 ? 2\n#endif\n",
		"#if defined\n#endif\n",
		"#if defined(X\n#endif\n",
		"#if __has_include(<x.h>)\n#endif\n",
		"#define D defined(X)\n#if D\n#endif\n",
		"#pragma once\n",
		"#pragma pack(4)\n",
		"#pragma GCC poison x\n",
		"#pragma\n",
		"#define Y\nlong x = __LINE__;\n",
		"#define Y\nlong x = __STDC_VERSION__;\n",
		"#define Y\n_Pragma(\"x\")\n",
		"#define Y\n/* unterminated",
		"#define Y\nconst char *s = \"unterminated;\n",
		"#define X 1 /* runs\n on */\n",
		"%:define X\n",
		"#define Y\n?\?=\n",
		"#define Y\nlong \xc3\xa9;\n",
		"#define Y\r\n",
		"#define Y 1\\\n2\n",
		"#define Y\nconst char *r = R\"(x)\";\n",
		"#define Y\nlong a # b;\n",
		"#if 0\nit's unterminated\n#endif\n",
		"#define A B B\n#define B C C\n#define C D D\n#define D E E\n"
		"#define E F F\n#define F G G\n#define G H H\n#define H I I\n"
		"#define I J J\n#define J K K\n#define K L L\n#define L M M\n"
		"#define M N N\n#define N O O\n#define O P P\n#define P Q Q\n"
		"#define Q R R\n#define R S S\n#define S T T\n#define T U U\n"
		"A\n",				/* a million tokens */
	};
	char *out;

	for (size_t i = 0; i < sizeof(declined) / sizeof(declined[0]); i++) {
		enum cpp_lite_result r = lite(declined[i], &out);

		if (r != CPP_LITE_DECLINED)
			fprintf(stderr, "accepted:\n%s\n", declined[i]);
		EXPECT_EQ(CPP_LITE_DECLINED, r);
	}
}

TEST(other_options_and_preprocessors_are_left_to_cpp)
{
	static const char *const inc[] = { "-include", "x.h" };
	const struct cpp_options other = { .cmd = "cpp" };
	const struct cpp_options include = { .args = inc, .n_args = 2 };
	char *out;
	size_t n;

	EXPECT_EQ(CPP_LITE_DECLINED, cpp_lite(&other, "#define X\n", 10, &out, &n));
	EXPECT_EQ(CPP_LITE_DECLINED, cpp_lite(&include, "#define X\n", 10, &out,
					      &n));
	/* cpp would write the dependency file these ask for. */
	setenv("DEPENDENCIES_OUTPUT", "deps.d", 1);
	EXPECT_EQ(CPP_LITE_DECLINED, lite("#define X\n", &out));
	unsetenv("DEPENDENCIES_OUTPUT");
	ASSERT_EQ(CPP_LITE_DONE, lite("#define X\n", &out));
	EXPECT_STREQ("\n", out);
	free(out);
}

TEST(output_keeps_the_lines)
{
	char *out;

	ASSERT_EQ(CPP_LITE_DONE,
		  lite("#define N 4\n#if 0\nskipped /* a\nb */\n#endif\n"
		       "long a[N]; /* x\n y */ long b;\n#pragma  winrt  x\n",
		       &out));
	EXPECT_STREQ("\n\n\n\n\nlong a[4]; /* x\n y */ long b;\n"
		     "#pragma winrt x\n", out);
	free(out);
	/* An empty file gives an empty text, not none. */
	ASSERT_EQ(CPP_LITE_DONE, lite("", &out));
	EXPECT_STREQ("", out);
	free(out);
}

TEST_HARNESS_MAIN
