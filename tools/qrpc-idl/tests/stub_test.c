// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the stubs (-c, -s).  What they are written for compiles
 * clean as C11 at -O2 (-Wall -Wextra -Werror: -Wclobbered sees the
 * setjmp of their RpcTryFinally) with gcc and clang, and as C++; what
 * they cannot do yet is a located error, and then nothing is written.
 * Their behaviour is tested in the guest (selftests/msrpc_stubs_test).
 */
#include "kselftest_harness.h"

#include "cli_util.h"

#ifndef QRPC_TOP
#define QRPC_TOP "."
#endif

#define FLAGS " -Wall -Wextra -Werror -O2 -I. -I" QRPC_TOP \
	"/libshim/include -I" QRPC_TOP "/libshim/include/msrpc -I" \
	QRPC_TOP "/uapi -c "

static const char calc_idl[] =
	"[uuid(12345678-1234-5678-9abc-def012345678), version(2.1),\n"
	" endpoint(\"ncalrpc:[calc]\", \"ncadg_mq:[calc-q]\")]\n"
	"interface Calc {\n"
	"  typedef long MYLONG;\n"
	"  long Add([in] handle_t h, [in] long a, [in] MYLONG b);\n"
	"  void Div([in] handle_t h, [in] hyper a, [in] short b,\n"
	"           [out] hyper *q, [in, out] double *r);\n"
	"  unsigned long Len([in] handle_t h, [in, string] char *s,\n"
	"                    [in, string] char *t);\n"
	"  byte Sum([in] handle_t h, [in, size_is(n)] byte *data,\n"
	"           [in] unsigned long n);\n"
	"  [message] void Note([in] handle_t h, [in] long n);\n"
	"  [maybe] void Ping([in] handle_t h, [in] boolean b);\n"
	"  void Nothing([in] handle_t h);\n"
	"}\n";

TEST(stubs_compile_clean_in_c_and_cxx)
{
	char buf[65536];

	put("calc.idl", calc_idl);
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp-cache -h calc.h "
			"-c -s calc.idl%s%s", "", ""));
	slurp("calc_c.c", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "#include \"calc.h\"") != NULL);
	EXPECT_TRUE(strstr(buf, "RPC_IF_HANDLE Calc_v2_1_c_ifspec") != NULL);
	/* The endpoint attribute, for partially bound handles. */
	EXPECT_TRUE(strstr(buf, "\"ncadg_mq\", (unsigned char *)\"calc-q\"") !=
		    NULL);
	EXPECT_TRUE(strstr(buf, "RPCFLG_MESSAGE") != NULL);
	EXPECT_TRUE(strstr(buf, "RPC_NCA_FLAGS_MAYBE") != NULL);
	slurp("calc_s.c", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "RPC_IF_HANDLE Calc_v2_1_s_ifspec") != NULL);
	/* Strings are copied for the manager, and freed whatever it does. */
	EXPECT_TRUE(strstr(buf, "qrpc_dec_string_copy") != NULL);
	EXPECT_TRUE(strstr(buf, "RpcFinally") != NULL);
	EXPECT_TRUE(strstr(buf, "RPC_X_BAD_STUB_DATA") != NULL);
	EXPECT_EQ(0, sh("cd %s && gcc -std=c11" FLAGS "calc_c.c -o c1.o && "
			"gcc -std=c11" FLAGS "calc_s.c -o s1.o%s%s", "", ""));
	EXPECT_EQ(0, sh("cd %s && clang -std=c11" FLAGS "calc_c.c -o c2.o && "
			"clang -std=c11" FLAGS "calc_s.c -o s2.o%s%s", "", ""));
	EXPECT_EQ(0, sh("cd %s && g++ -x c++" FLAGS "calc_c.c -o c3.o && "
			"g++ -x c++" FLAGS "calc_s.c -o s3.o%s%s", "", ""));
	/* --prefix-server names the managers the default EPV points at. */
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp-cache "
			"--prefix-server=srv_ --sstub=other.c -h calc.h "
			"calc.idl%s%s", "", ""));
	slurp("other.c", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "    srv_Add,\n") != NULL);
}

TEST(implicit_and_explicit_handles)
{
	char buf[65536];

	put("ih.idl", "[uuid(12345678-1234-5678-9abc-def012345679)]\n"
	    "interface IH { long F([in] long x); }\n");
	put("ih.acf", "[implicit_handle(handle_t ih_binding)] interface IH {}\n");
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp-cache -h ih.h -c "
			"-s ih.idl && gcc -std=c11" FLAGS "ih_c.c -o ih_c.o && "
			"gcc -std=c11" FLAGS "ih_s.c -o ih_s.o%s%s", "", ""));
	slurp("ih_c.c", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "_m.Handle = ih_binding;") != NULL);
	put("eh.idl", "[uuid(12345678-1234-5678-9abc-def01234567a)]\n"
	    "interface EH { long F([in] long x); }\n");
	put("eh.acf", "[explicit_handle] interface EH {}\n");
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp-cache -h eh.h -c "
			"-s eh.idl && gcc -std=c11" FLAGS "eh_c.c -o eh_c.o && "
			"gcc -std=c11" FLAGS "eh_s.c -o eh_s.o%s%s", "", ""));
	slurp("eh_c.c", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "_m.Handle = IDL_handle;") != NULL);
}

TEST(what_is_not_supported_yet_is_a_located_error)
{
	struct cli_result r;

	put("u.idl",
	    "[uuid(12345678-1234-5678-9abc-def01234567b)]\n"
	    "interface U {\n"
	    "  typedef struct { long a; } S;\n"
	    "  void A([in] handle_t h, [in] S s);\n"
	    "  void B(long x);\n"
	    "  void C([in] handle_t h, [in] long n, [in, size_is(n)] long *p);\n"
	    "  long D([in] handle_t h, [in] long x);\n"
	    "}\n");
	put("u.acf", "interface U { [async] D(); }\n");
	run(&r, "--no-cpp-cache -h u.h -c -s u.idl");
	EXPECT_EQ(1, r.status);
	EXPECT_TRUE(strstr(r.err, "u.idl:4:") != NULL);	/* the struct param */
	EXPECT_TRUE(strstr(r.err, "parameters of this type are not supported yet ('s')") != NULL);
	EXPECT_TRUE(strstr(r.err, "u.idl:5:") != NULL);	/* no handle */
	EXPECT_TRUE(strstr(r.err, "[auto_handle]") != NULL);
	EXPECT_TRUE(strstr(r.err, "u.idl:6:") != NULL);	/* a long array */
	EXPECT_TRUE(strstr(r.err, "[async] procedures") != NULL);
	/* Nothing written, not even the header. */
	EXPECT_NE(0, sh("cd %s && test -e u_c.c%s%s", "", ""));
	EXPECT_NE(0, sh("cd %s && test -e u_s.c%s%s", "", ""));
	EXPECT_NE(0, sh("cd %s && test -e u.h%s%s", "", ""));
	/* The header alone is still written. */
	run(&r, "--no-cpp-cache -h u.h u.idl");
	EXPECT_EQ(0, r.status);
}

TEST_HARNESS_MAIN
