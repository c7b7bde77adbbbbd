// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: when the preprocessor must run (cpp_needed()), and that a
 * file it would not change compiles the same without it.  A fake "cpp"
 * first on $PATH logs its runs and then runs the real one.
 */
#include "kselftest_harness.h"

#include "cli_util.h"
#include "cpp.h"

static bool needed(const char *text)
{
	static const char *const args[] = { "-DUSER_MACRO=1", "-DFN(x)=x",
					     "-Iinc" };
	struct cpp_options o = { .args = args, .n_args = 3 };

	return cpp_needed(&o, text, strlen(text));
}

TEST(what_needs_the_preprocessor)
{
	static const char *const yes[] = {
		"#include \"x.h\"\n",
		"  # define X 1\n",
		"%:define X 1\n",		/* a digraph # */
		"/* */ #if 0\n#endif\n",
		"typedef long a; \\\ntypedef long b;\n",	/* splice */
		"typedef long a; \\  \t\n",	/* splice with blanks */
		"typedef long a;\r\n",
		"typedef long a;\f\n",
		"const char *s = \"?\?=\";\n",	/* trigraph */
		"#pragma pack(4)\n",
		"int x = __LINE__;\n",
		"int x = __COUNTER__ + __midl + __QRPC_IDL__ + __GNUC__;\n",
		"long v = __STDC_VERSION__;\n",
		"long v = __STDC_ISO_10646__;\n",
		"long v = __has_include(<x.h>);\n",
		"long v = _STDC_PREDEF_H;\n",
		"_Pragma(\"pack(4)\")\n",
		"typedef USER_MACRO x;\n",	/* a -D name */
		"typedef FN(long) y;\n",
		"typedef long a; /* unterminated\n",
		"const char *s = \"unterminated;\n",
		"const char c = 'x;\n",
		"/* # in a comment */ #define X\n",
		"cpp_quote(\"x\") # \n",
		"cpp_quote(\"\\\"\") __x__\n",	/* escaped quote, then __x__ */
		"// a comment \\\n continued\n",
	};
	static const char *const no[] = {
		"",
		"typedef long USER_MACRO_2;\n",	/* only a prefix of a -D name */
		"/* a comment */ typedef long a; // another\n",
		"const long n = 0x10L; typedef long a[2];\n",
		"cpp_quote(\"a \\\"quoted\\\" string\")\n",
		"interface I { void f([in, size_is(n)] long *p, long n); }\n",
		"typedef long _x, x__, a__b; %%\n",
		"typedef __int64 (__stdcall *F)(__int3264 x, __midlx y);\n",
		"typedef struct __tagX { long a; } X;\n",
		"/* __stdcall, #define, USER_MACRO */ typedef long a;\n",
		"// #include <x.h>, __LINE__\ntypedef long a;\n",
		"cpp_quote(\"#include <x.h>\")\n",
		"cpp_quote(\"__RPC_FAR \\\"#\\\"\")\n",
		"const char c = '#', d = '\\'', *e = L\"__x\";\n",
		"/* a / * b ** / */ typedef long a; /**/\n",
	};
	struct cpp_options other = { .cmd = "mycpp" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		EXPECT_TRUE(needed(yes[i]));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		EXPECT_FALSE(needed(no[i]));
	}
	/* A NUL inside the text is for cpp to judge. */
	{
		struct cpp_options o = { 0 };

		EXPECT_TRUE(cpp_needed(&o, "a\0b", 3));
	}
	/* Another preprocessor always runs: it may define anything. */
	EXPECT_TRUE(cpp_needed(&other, "typedef long a;\n", 16));
}

static const char fake_cpp[] =
	"#!/bin/sh\necho run >>\"$(dirname \"$0\")/runs.log\"\n"
	"PATH=${PATH#*:} exec cpp \"$@\"\n";

static int runs(void)
{
	char buf[4096];
	int n = 0;

	slurp("bin/runs.log", buf, sizeof(buf));
	for (char *p = buf; (p = strstr(p, "run\n")); p += 4)
		n++;
	sh("rm -f %s/bin/runs.log%s%s", "", "");
	return n;
}

TEST(files_cpp_would_not_change_skip_it)
{
	struct cli_result r;
	char h1[8192], h2[8192];

	ASSERT_EQ(0, sh("mkdir -p %s/bin%s%s", "", ""));
	put("bin/cpp", fake_cpp);
	ASSERT_EQ(0, sh("chmod +x %s/bin/cpp%s%s", "", ""));
	put("plain.idl",
	    "/* nothing for the preprocessor */\n"
	    "[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)]\n"
	    "interface P { void f([in] long n, [in, size_is(n)] char *p); }\n");
	put("plain.acf", "interface P { }\n");
	run(&r, "--no-cpp-cache -h plain1.h plain.idl");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(0, runs());	/* not from this PATH: the real one */
	/* Through the fake one, first on PATH: still no run. */
	ASSERT_EQ(0, sh("cd %s && PATH=$PWD/bin:$PATH " QRPC_IDL_BIN
			" --no-cpp-cache -h plain1.h plain.idl%s%s", "", ""));
	EXPECT_EQ(0, runs());
	/* --cpp makes it run, and the header is the same. */
	ASSERT_EQ(0, sh("cd %s && PATH=$PWD/bin:$PATH " QRPC_IDL_BIN
			" --no-cpp-cache --cpp cpp -h plain2.h plain.idl%s%s",
			"", ""));
	EXPECT_EQ(2, runs());	/* the IDL and the ACF */
	slurp("plain1.h", h1, sizeof(h1));
	slurp("plain2.h", h2, sizeof(h2));
	EXPECT_STREQ(h1, h2);
	/* Macros and conditionals are done in-process (cpp_lite.h)... */
	put("plain.acf", "#define X\n#ifdef X\ninterface P { }\n#endif\n");
	ASSERT_EQ(0, sh("cd %s && PATH=$PWD/bin:$PATH " QRPC_IDL_BIN
			" --no-cpp-cache -h plain1.h plain.idl%s%s", "", ""));
	EXPECT_EQ(0, runs());
	/* ...but an #include makes it run. */
	put("inc.h", "\n");
	put("plain.acf", "#include \"inc.h\"\ninterface P { }\n");
	ASSERT_EQ(0, sh("cd %s && PATH=$PWD/bin:$PATH " QRPC_IDL_BIN
			" --no-cpp-cache -h plain1.h plain.idl%s%s", "", ""));
	EXPECT_EQ(1, runs());
}

TEST(macros_done_in_process_give_cpps_header_and_errors)
{
	struct cli_result a, b;
	char h1[8192], h2[8192];

	put("m.idl",
	    "#define N 8\n#define SIZE(x) size_is(x)\n"
	    "#ifndef __WIDL__\n#pragma winrt ns_prefix\n#endif\n"
	    "[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)]\n"
	    "interface M {\n  typedef struct { long a[N]; } S;\n"
	    "  void f([in] long n, [in, SIZE(n)] char *p);\n"
	    "  void g([out] S *s, [in] Missing m);\n}\n");
	run(&a, "--no-cpp-cache -h m1.h m.idl");
	run(&b, "--no-cpp-cache --cpp cpp -h m2.h m.idl");
	EXPECT_EQ(1, a.status);
	EXPECT_EQ(1, b.status);
	/* The error is located on the user's line and column either way. */
	EXPECT_TRUE(strstr(a.err, "m.idl:10:") != NULL);
	EXPECT_STREQ(a.err, b.err);
	put("m.idl",
	    "#define N 8\n#define SIZE(x) size_is(x)\n"
	    "[uuid(12345678-1234-1234-1234-123456789abc), version(1.0)]\n"
	    "interface M {\n  typedef struct { long a[N]; } S;\n"
	    "  void f([in] long n, [in, SIZE(n)] char *p);\n}\n");
	run(&a, "--no-cpp-cache -h m1.h m.idl");
	run(&b, "--no-cpp-cache --cpp cpp -h m2.h m.idl");
	ASSERT_EQ(0, a.status);
	ASSERT_EQ(0, b.status);
	slurp("m1.h", h1, sizeof(h1));
	slurp("m2.h", h2, sizeof(h2));
	EXPECT_STREQ(h1, h2);
	EXPECT_TRUE(strstr(h1, "a[8]") != NULL);
}

TEST(errors_are_located_the_same_either_way)
{
	struct cli_result a, b;

	put("bad.idl", "interface B {\n  void f([out] long n);\n}\n");
	run(&a, "--no-cpp-cache --syntax-only bad.idl");
	run(&b, "--no-cpp-cache --cpp cpp --syntax-only bad.idl");
	EXPECT_EQ(1, a.status);
	EXPECT_EQ(1, b.status);
	EXPECT_TRUE(strstr(a.err, "bad.idl:2:") != NULL);
	EXPECT_STREQ(a.err, b.err);
}

TEST_HARNESS_MAIN
