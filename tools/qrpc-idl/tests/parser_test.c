// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the parser, through --dump-ast output of representative
 * inputs, and its diagnostics (exact text and location) and recovery.
 */
#include "test_util.h"
#include "kselftest_harness.h"

TEST(types_and_declarators)
{
	struct run r;

	run_idl(&r,
		"const long N = 2 * (3 + 1) ? 1 : 0;\n"
		"const char *EP = \"87\" \"65\";\n"
		"typedef enum { A = 1, B, C = A | 4, } E;\n"
		"typedef struct tagS { long n; [size_is(n)] char d[]; long m[2][3]; } S, *PS;\n"
		"typedef long (__stdcall *FN)(long, ...);\n"
		"typedef unsigned short US; typedef signed char SC; typedef unsigned UI;\n"
		"typedef const unsigned long __RPC_FAR *PCUL; typedef hyper H; typedef __int3264 P;\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ("",  r.diag);
	EXPECT_STREQ(
		"file \"t.idl\"\n"
		"  const N @1:12: const long = ((2 * (3 + 1)) ? 1 : 0)\n"
		"  const EP @2:13: ptr(const char) = \"8765\"\n"
		"  typedef E @3:39: enum <anon>\n"
		"    enum <anon> @3:9\n"
		"      value A @3:16 = 1\n"
		"      value B @3:23\n"
		"      value C @3:26 = (A | 4)\n"
		"  typedef S @4:70: struct tagS\n"
		"    struct tagS @4:9\n"
		"      field n @4:28: long\n"
		"      field d @4:49: array[](char)\n"
		"        attrs size_is(n)\n"
		"      field m @4:59: array[2](array[3](long))\n"
		"  typedef PS @4:74: ptr(struct tagS)\n"
		"  typedef FN @5:26: ptr(func __stdcall(long, ...) -> long)\n"
		"    param <anon> @5:30: long\n"
		"    param ...\n"
		"  typedef US @6:24: unsigned short\n"
		"  typedef SC @6:48: signed char\n"
		"  typedef UI @6:69: unsigned int\n"
		"  typedef PCUL @7:40: ptr(const unsigned long)\n"
		"  typedef H @7:60: hyper\n"
		"  typedef P @7:81: __int3264\n",
		r.dump);
	run_free(&r);
}

TEST(unions)
{
	struct run r;

	run_idl(&r,
		"typedef [switch_type(short)] union U { [case(1, 2)] long a; [default] ; } U;\n"
		"typedef union V switch (long d) arm { case 1: case 2: float f; default: ; } V;\n"
		"typedef union switch (short k) { case 0: long x; } W;\n"
		"typedef struct { long k; [switch_is(k)] union { [case(1)] long y; [case(2)] ; } u; } X;\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
		"file \"t.idl\"\n"
		"  typedef U @1:75: union U\n"
		"    attrs switch_type(short)\n"
		"    union U @1:30\n"
		"      field a @1:58: long\n"
		"        cases 1 2\n"
		"        attrs case(1, 2)\n"
		"      arm <empty> @1:61\n"
		"        cases default\n"
		"        attrs default\n"
		"  typedef V @2:77: union V\n"
		"    union V @2:9 switch(long d) arm\n"
		"      field f @2:61: float\n"
		"        cases 1 2\n"
		"      arm <empty> @2:73\n"
		"        cases default\n"
		"  typedef W @3:52: union <anon>\n"
		"    union <anon> @3:9 switch(short k) <default-arm-name>\n"
		"      field x @3:47: long\n"
		"        cases 0\n"
		"  typedef X @4:86: struct <anon>\n"
		"    struct <anon> @4:9\n"
		"      field k @4:23: long\n"
		"      field u @4:81: union <anon>\n"
		"        attrs switch_is(k)\n"
		"        union <anon> @4:41\n"
		"          field y @4:64: long\n"
		"            cases 1\n"
		"            attrs case(1)\n"
		"          arm <empty> @4:67\n"
		"            cases 2\n"
		"            attrs case(2)\n",
		r.dump);
	run_free(&r);
}

TEST(interface_items)
{
	struct run r;

	run_idl(&r,
		"cpp_quote(\"#include \\\"x.h\\\"\")\n"
		"#pragma midl_echo(\"hi\")\n"
		"midl_pragma warning(disable: 2111 2112)\n"
		"interface IFwd;\n"
		"[uuid(12345678-1234-ABCD-EF00-0123456789AB), version(1.0), pointer_default(unique)]\n"
		"interface I {\n"
		"  long f([in, size_is(, *n)] long **pp, [in] long *n, [in] long a[0..*]);\n"
		"  void g(void);\n"
		"  void h();\n"
		"  [idempotent] void async([in] long message, [in] long idempotent);\n"
		"  void u([in] long, [in] [string] char *);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ("", r.diag);
	EXPECT_STREQ(
		"file \"t.idl\"\n"
		"  cpp_quote \"#include \\\"x.h\\\"\" @1:1\n"
		"  pragma \"midl_echo(\\\"hi\\\")\" @2:1\n"
		"  midl_pragma \"warning(disable: 2111 2112)\" @3:1\n"
		"  interface IFwd @4:11 (forward)\n"
		"  interface I @6:11\n"
		"    attrs uuid(12345678-1234-abcd-ef00-0123456789ab), version(1.0), pointer_default(unique)\n"
		"    func f @7:8: long\n"
		"      param pp @7:37: ptr(ptr(long))\n"
		"        attrs in, size_is(, (*n))\n"
		"      param n @7:52: ptr(long)\n"
		"        attrs in\n"
		"      param a @7:65: array[0..*](long)\n"
		"        attrs in\n"
		"    func g @8:8: void\n"
		"    func h @9:8: void\n"
		"    func async @10:21: void\n"
		"      attrs idempotent\n"
		"      param message @10:37: long\n"
		"        attrs in\n"
		"      param idempotent @10:56: long\n"
		"        attrs in\n"
		"    func u @11:8: void\n"
		"      param <anon> @11:15: long\n"
		"        attrs in\n"
		"      param <anon> @11:35: ptr(char)\n"
		"        attrs in, string\n",
		r.dump);
	run_free(&r);
}

TEST(odl_items)
{
	struct run r;

	run_idl(&r,
		"typedef long HRESULT;\n"
		"[uuid(00000000-0000-0000-C000-000000000046), object]\n"
		"interface IUnknown { HRESULT QueryInterface(); }\n"
		"library L {\n"
		"  importlib(\"stdole2.tlb\");\n"
		"  [uuid(\"00000000-0000-0000-C000-000000000047\")] dispinterface D {\n"
		"    properties: [id(1)] long p;\n"
		"    methods: [id(2)] void m(SAFEARRAY(long) s);\n"
		"  };\n"
		"  [uuid(00000000-0000-0000-C000-000000000048)] coclass C { [default] interface IUnknown; };\n"
		"  module M { const long K = 1; [entry(\"f\")] long mf(void); };\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
		"file \"t.idl\"\n"
		"  typedef HRESULT @1:14: long\n"
		"  interface IUnknown @3:11\n"
		"    attrs uuid(00000000-0000-0000-c000-000000000046), object\n"
		"    func QueryInterface @3:30: named(HRESULT)\n"
		"  library L @4:9\n"
		"    importlib \"stdole2.tlb\" @5:3\n"
		"    dispinterface D @6:64\n"
		"      attrs uuid(00000000-0000-0000-c000-000000000047)\n"
		"      var p @7:30: long\n"
		"        attrs id(1)\n"
		"      func m @8:27: void\n"
		"        attrs id(2)\n"
		"        param s @8:45: SAFEARRAY(long)\n"
		"    coclass C @10:56\n"
		"      attrs uuid(00000000-0000-0000-c000-000000000048)\n"
		"      interface IUnknown @10:80 (forward)\n"
		"        attrs default\n"
		"    module M @11:10\n"
		"      const K @11:25: const long = 1\n"
		"      func mf @11:50: long\n"
		"        attrs entry(\"f\")\n",
		r.dump);
	run_free(&r);
}

TEST(message_seed)
{
	struct run r;

	/* The [message] examples of the MIDL documentation. */
	run_idl(&r,
		"[uuid(12345678-1234-abcd-ef00-0123456789ab), version(1.0)]\n"
		"interface M {\n"
		"typedef [string] char *ARRAY_TYPE;\n"
		"[message] void DisplayString(\n"
		"    [in, string] char * p1);\n"
		"[message] void VarDataArray(\n"
		"    [in, size_is(iSize)] ARRAY_TYPE lpMyArray,\n"
		"    [in] int iSize,\n"
		"    [in] unsigned long ulChksum);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_TRUE(strstr(r.dump,
		"    func VarDataArray @6:16: void\n"
		"      attrs message\n"
		"      param lpMyArray @7:37: named(ARRAY_TYPE)\n"
		"        attrs in, size_is(iSize)\n") != NULL);
	run_free(&r);
}

TEST(winrt)
{
	struct run r;

	run_idl(&r,
		"typedef long HRESULT; interface IInspectable {}\n"
		"namespace A.B {\n"
		"  [contract(A.C, 1.0)] enum E { X = 1 };\n"
		"  delegate HRESULT D<T>([in] T x);\n"
		"  declare { interface Q<E *>; }\n"
		"  interface I<T> : IInspectable requires IInspectable { HRESULT g([out] T *v); }\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ("", r.diag);
	EXPECT_STREQ(
		"file \"t.idl\"\n"
		"  typedef HRESULT @1:14: long\n"
		"  interface IInspectable @1:33\n"
		"  namespace A.B @2:11\n"
		"    type E @3:24: enum E\n"
		"      attrs contract(A.C, 1.0)\n"
		"      enum E @3:24\n"
		"        attrs contract(A.C, 1.0)\n"
		"        value X @3:33 = 1\n"
		"    delegate D<T> @4:20: named(HRESULT)\n"
		"      param x @4:32: named(T)\n"
		"        attrs in\n"
		"    declare @5:3\n"
		"      interface Q @5:23: named(Q<ptr(named(E))>)? (forward)\n"
		"    interface I<T> @6:13\n"
		"      base IInspectable\n"
		"      requires named(IInspectable)\n"
		"      func g @6:65: named(HRESULT)\n"
		"        param v @6:76: ptr(named(T))\n"
		"          attrs out\n",
		r.dump);
	run_free(&r);
}

TEST(syntax_errors_exact)
{
	struct run r;

	run_idl(&r, "interface I { long f(long x) }", NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_EQ(1, r.errors);
	EXPECT_STREQ("t.idl:1:30: error: expected ';' before '}' [MIDL2025]\n",
		     r.diag);
	run_free(&r);

	run_idl(&r, "interface I { void f(", NULL);
	EXPECT_STREQ("t.idl:1:22: error: expected a type at end of input [MIDL2025]\n"
		     "t.idl:1:22: error: expected '}' at end of input [MIDL2025]\n",
		     r.diag);
	run_free(&r);

	run_idl(&r, "typedef Nope X;\n[bogus] interface J {}", NULL);
	EXPECT_STREQ("t.idl:1:9: error: unknown type name 'Nope'\n"
		     "t.idl:2:2: error: unknown attribute 'bogus'\n", r.diag);
	run_free(&r);

	run_idl(&r, "[uuid(1234)] interface K {}", NULL);
	EXPECT_STREQ("t.idl:1:7: error: invalid UUID '1234'\n", r.diag);
	run_free(&r);

	run_idl(&r, "struct S { long a; };\nstruct S { long b; };\n", NULL);
	EXPECT_STREQ("t.idl:2:1: error: redefinition of 'struct S' [MIDL2003]\n"
		     "t.idl:1:1: note: previous definition is here\n", r.diag);
	run_free(&r);

	run_idl(&r, "long x = 1;", NULL);
	EXPECT_STREQ("t.idl:1:6: error: instantiation of data is illegal; a constant needs 'const' [MIDL2001]\n",
		     r.diag);
	run_free(&r);
}

TEST(recovery_reports_several_errors)
{
	struct run r;

	run_idl(&r,
		"interface I {\n"
		"  long f(long x)\n"
		"  void g([in] long);\n"
		"  typedef struct { long a; long b c; long d; } S;\n"
		"  void h(];\n"
		"}\n"
		"}\n"
		"void k(void);\n"
		"typedef S T;\n", NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_EQ(4, r.errors);
	EXPECT_STREQ("t.idl:3:3: error: expected ';' before 'void' [MIDL2025]\n"
		     "t.idl:4:35: error: expected ';' before 'c' [MIDL2025]\n"
		     "t.idl:5:10: error: expected a type before ']' [MIDL2025]\n"
		     "t.idl:7:1: error: unexpected '}' [MIDL2025]\n", r.diag);
	run_free(&r);
}

TEST(error_cap)
{
	struct run r;
	char *src = malloc(100 * 8 + 1);
	size_t len = 0;

	for (int i = 0; i < 100; i++) {
		memcpy(src + len, "bad x;\n", 7);
		len += 7;
	}
	src[len] = '\0';
	run_idl(&r, src, NULL);
	EXPECT_EQ(50, r.errors);
	EXPECT_TRUE(strstr(r.diag,
		"compilation terminated due to -fmax-errors=50.\n") != NULL);
	run_free(&r);
	free(src);
}

TEST(nesting_is_bounded)
{
	struct run r;
	size_t n = 100000;
	char *src = malloc(n * 2 + 32);

	memcpy(src, "const long x = ", 15);
	memset(src + 15, '(', n);
	memcpy(src + 15 + n, "1;", 3);
	run_idl(&r, src, NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_TRUE(strstr(r.diag, "error: nesting too deep (more than 200 levels) [MIDL2002]") != NULL);
	run_free(&r);

	memset(src, '[', n);
	src[n] = '\0';
	run_idl(&r, src, NULL);
	EXPECT_EQ(-1, r.rc);
	run_free(&r);
	free(src);
}

TEST(dos_eof_and_no_newline)
{
	struct run r;

	run_idl(&r, "interface I { void f(long); }\x1a", NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ("", r.diag);
	run_free(&r);
	run_idl(&r, "interface I { void f(long); }", NULL);
	EXPECT_EQ(0, r.rc);
	run_free(&r);
	/* A 0x1A that is not at the end is a stray character. */
	run_idl(&r, "interface I \x1a{ void f(long); }", NULL);
	EXPECT_STREQ("t.idl:1:13: error: stray '\\32' in program\n", r.diag);
	run_free(&r);
}

TEST(import_once_and_cycles)
{
	static const char *const files[][2] = {
		{ "m.idl", "import \"b.idl\";\nimport \"b.idl\", \"c.idl\";\n"
			   "interface I { void f([in] T1 a, [in] T2 b); }\n" },
		{ "b.idl", "import \"m.idl\";\ntypedef long T1;\n" },
		{ "c.idl", "import \"b.idl\";\ntypedef short T2;\n" },
	};
	struct run r;

	run_files(&r, files, 3, "m.idl", NULL, false);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ("", r.diag);
	/* Imported declarations are known, but not dumped as ours. */
	EXPECT_STREQ(
		"file \"m.idl\"\n"
		"  import \"b.idl\" @1:8\n"
		"  import \"b.idl\" @2:8\n"
		"  import \"c.idl\" @2:17\n"
		"  interface I @3:11\n"
		"    func f @3:20: void\n"
		"      param a @3:30: named(T1)\n"
		"        attrs in\n"
		"      param b @3:41: named(T2)\n"
		"        attrs in\n", r.dump);
	run_free(&r);
}

TEST(import_missing)
{
	struct run r;

	run_idl(&r, "import \"nowhere.idl\";\ninterface I {}\n", NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ("t.idl:1:8: error: cannot find import file 'nowhere.idl' [MIDL1001]\n",
		     r.diag);
	run_free(&r);
}

TEST(caret_output)
{
	static const char *const files[][2] = {
		{ "t.idl", "interface I {\n\tlong f(long x) }\n" },
	};
	struct run r;

	run_files(&r, files, 1, "t.idl", NULL, true);
	EXPECT_STREQ("t.idl:2:17: error: expected ';' before '}' [MIDL2025]\n"
		     "     2 | \tlong f(long x) }\n"
		     "       | \t               ^\n", r.diag);
	run_free(&r);
}

TEST_HARNESS_MAIN
