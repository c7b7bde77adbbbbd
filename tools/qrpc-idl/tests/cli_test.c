// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the qrpc-idl command line, run as a program (the path is
 * compiled in as QRPC_IDL_BIN), with the system preprocessor.
 */
#include "kselftest_harness.h"

#include "cli_util.h"

TEST(version_and_help)
{
	struct cli_result r;

	run(&r, "--version");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("qrpc-idl 0.1\n", r.out);
	run(&r, "--help");
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp("Usage: qrpc-idl", r.out, 15));
}

TEST(bad_usage_is_status_2)
{
	struct cli_result r;

	run(&r, "--frobnicate x.idl");
	EXPECT_EQ(2, r.status);
	EXPECT_EQ(0, strncmp("qrpc-idl: error: unknown option '--frobnicate'\n",
			     r.err, 47));
	run(&r, "");
	EXPECT_EQ(2, r.status);
	run(&r, "-Wbogus x.idl");
	EXPECT_EQ(2, r.status);
	run(&r, "a.idl b.idl");
	EXPECT_EQ(2, r.status);
	run(&r, "x.idl -I");
	EXPECT_EQ(2, r.status);
}

/* The stubs are part 2: asking for one is an error, and nothing is written. */
TEST(stubs_not_implemented_header_written)
{
	struct cli_result r;

	W("ok.idl", "interface I { void f(long); }\n");
	run(&r, "-p ok.idl");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("qrpc-idl: error: -p (proxy) is not implemented yet\n",
		     r.err);
	run(&r, "-h ok.h ok.idl");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("", r.err);
	slurp("ok.h", r.out, sizeof(r.out));
	EXPECT_TRUE(strstr(r.out, "void f(") != NULL);
}

/*
 * A header named as a pipe or a symbolic link is written through it,
 * never renamed over it (as root, -h /dev/null once replaced the device
 * with a file).
 */
TEST(special_files_are_written_through)
{
	char buf[8192];

	W("sp.idl", "interface I { void f(long); }\n");
	ASSERT_EQ(0, sh("cd %s && mkfifo fifo.h && (cat fifo.h >got.h &) && "
			QRPC_IDL_BIN " -h fifo.h sp.idl && sleep 0.2 && "
			"test -p fifo.h%s%s", "", ""));
	slurp("got.h", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "void f(") != NULL);
	ASSERT_EQ(0, sh("cd %s && : >real.h && ln -s real.h link.h && "
			QRPC_IDL_BIN " -h link.h sp.idl && test -L link.h%s%s",
			"", ""));
	slurp("real.h", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "void f(") != NULL);
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " -h /dev/null sp.idl && "
			"test -c /dev/null%s%s", "", ""));
}

TEST(preprocessor_defines_and_locations)
{
	struct cli_result r;

	W("d.idl", "#if __midl >= 501 && defined(__QRPC_IDL__)\n"
		   "#ifdef FOO\n"
		   "interface I { void f(FOO    x); }\n"
		   "#else\n"
		   "interface J { void g(UNDEFINED x); }\n"
		   "#endif\n"
		   "#endif\n");
	run(&r, "--syntax-only -D FOO=long d.idl");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("", r.err);
	run(&r, "--syntax-only -DFOO=long -UFOO d.idl");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("d.idl:5:22: error: unknown type name 'UNDEFINED'\n"
		     "     5 | interface J { void g(UNDEFINED x); }\n"
		     "       |                      ^\n", r.err);
	/* The command is split on spaces. */
	run(&r, "--syntax-only --cpp 'cpp -DFOO=short' d.idl");
	EXPECT_EQ(0, r.status);
}

TEST(dos_eof_and_no_newline_through_cpp)
{
	struct cli_result r;

	W("dos.idl", "interface I { void f(long); }\r\n\x1a");
	run(&r, "--syntax-only dos.idl");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("", r.err);
	W("nonl.idl", "#ifndef X\ninterface I { void f(long); }\n#endif");
	run(&r, "--syntax-only nonl.idl");
	EXPECT_EQ(0, r.status);
}

TEST(preprocessor_failures)
{
	struct cli_result r;

	W("e.idl", "#error stop here\n");
	run(&r, "--syntax-only e.idl");
	EXPECT_EQ(1, r.status);
	EXPECT_TRUE(strstr(r.err,
		"e.idl: error: error returned by the C preprocessor 'cpp' (exit status 1) [MIDL1003]\n") != NULL);
	run(&r, "--syntax-only --cpp /nonexistent/cpp e.idl");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("e.idl: error: cannot execute C preprocessor '/nonexistent/cpp': No such file or directory [MIDL1005]\n",
		     r.err);
	run(&r, "--syntax-only missing.idl");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("missing.idl: error: cannot open input file 'missing.idl': No such file or directory [MIDL1001]\n",
		     r.err);
}

TEST(pragmas_survive_cpp)
{
	struct cli_result r;

	W("p.idl", "#pragma midl_echo(\"/* echo */\")\n"
		   "#pragma pack(4)\ninterface I { void f(long); }\n");
	run(&r, "--dump-ast p.idl");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("file \"p.idl\"\n"
		     "  pragma \"midl_echo(\\\"/* echo */\\\")\" @1:1\n"
		     "  pragma \"pack(4)\" @2:1\n"
		     "  interface I @3:11\n"
		     "    func f @3:20: void\n"
		     "      param <anon> @3:22: long\n", r.out);
}

TEST(acf_default_and_explicit)
{
	struct cli_result r;

	W("a.idl", "interface A { void F(handle_t h, [in] long n); }\n");
	W("a.acf", "#define ATTRS async\n"
		   "[explicit_handle] interface A { [ATTRS] F(); }\n");
	W("other.acf", "interface Other { [async] F(); }\n");
	run(&r, "--dump-ast a.idl");
	EXPECT_EQ(0, r.status);
	EXPECT_TRUE(strstr(r.out, "acf \"a.acf\"\n") != NULL);
	EXPECT_TRUE(strstr(r.out, "      attrs async{acf}\n") != NULL);
	run(&r, "--syntax-only --acf other.acf a.idl");
	EXPECT_EQ(0, r.status);
	run(&r, "--syntax-only --no-acf a.idl");
	EXPECT_EQ(0, r.status);
	W("other.idl", "interface A { void F(handle_t h, [in] long n); }\n");
	W("other.acf", "interface Other { [async] F(); }\n");
	run(&r, "--syntax-only -fno-diagnostics-show-caret other.idl");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("other.acf:1:11: error: interface name 'Other' in the ACF does not match the IDL file [MIDL2095]\n"
		     "other.idl:1:11: note: the IDL file defines interface 'A'\n",
		     r.err);
}

TEST(import_search_path)
{
	struct cli_result r;
	char sub[256];

	snprintf(sub, sizeof(sub), "%s/inc", dir);
	mkdir(sub, 0755);
	W("inc/base.idl", "typedef long BASE_T;\n");
	W("u.idl", "import \"base.idl\";\ninterface U { void f([in] BASE_T x); }\n");
	run(&r, "--syntax-only u.idl");
	EXPECT_EQ(1, r.status);
	run(&r, "--syntax-only -I inc u.idl");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("", r.err);
}

TEST_HARNESS_MAIN
