// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the ACF parser and its merge into the IDL's tree.
 */
#include "test_util.h"
#include "kselftest_harness.h"

static const char async_idl[] =
	"[uuid(7f6c4340-eb67-11d1-b9d7-00c04fc2f6f1), version(1.0)]\n"
	"interface AsyncRPC\n"
	"{\n"
	"    typedef long T;\n"
	"    void AsyncFunc(handle_t hBinding, [in] unsigned long nAsychDelay);\n"
	"    error_status_t Ping([out] error_status_t *st);\n"
	"}\n";

TEST(async_example_merges)
{
	struct run r;

	run_idl(&r, async_idl,
		"[implicit_handle(handle_t hAsync), strict_context_handle]\n"
		"interface AsyncRPC\n"
		"{\n"
		"    include \"a.h\", \"b.h\";\n"
		"    typedef [allocate(all_nodes)] T;\n"
		"    [async] AsyncFunc();\n"
		"    [comm_status, fault_status] Ping([comm_status] st);\n"
		"}\n");
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ("", r.diag);
	EXPECT_STREQ(
		"file \"t.idl\"\n"
		"acf \"t.acf\"\n"
		"  interface AsyncRPC @2:11\n"
		"    attrs uuid(7f6c4340-eb67-11d1-b9d7-00c04fc2f6f1), version(1.0), implicit_handle(handle_t hAsync){acf}, strict_context_handle{acf}\n"
		"    include \"a.h\" @4:13\n"
		"    include \"b.h\" @4:20\n"
		"    typedef T @4:18: long\n"
		"      attrs allocate(all_nodes){acf}\n"
		"    func AsyncFunc @5:10: void\n"
		"      attrs async{acf}\n"
		"      param hBinding @5:29: handle_t\n"
		"      param nAsychDelay @5:58: unsigned long\n"
		"        attrs in\n"
		"    func Ping @6:20: error_status_t\n"
		"      attrs comm_status{acf}, fault_status{acf}\n"
		"      param st @6:47: ptr(error_status_t)\n"
		"        attrs out, comm_status{acf}\n",
		r.dump);
	run_free(&r);
}

TEST(unknown_names_are_located_errors)
{
	struct run r;

	run_idl(&r, async_idl,
		"interface AsyncRPC {\n"
		"  [async] Nope();\n"
		"  [async] AsyncFunc(missing);\n"
		"  typedef [allocate(all_nodes)] U;\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.acf:2:11: error: procedure 'Nope' in the ACF is not in interface 'AsyncRPC'\n"
		"t.acf:3:21: error: procedure 'AsyncFunc' has no parameter 'missing'\n"
		"t.acf:4:33: error: type 'U' in the ACF is not a typedef of the IDL file\n",
		r.diag);
	run_free(&r);
}

TEST(name_mismatch_is_midl2095)
{
	struct run r;

	run_idl(&r, async_idl, "interface Other { [async] AsyncFunc(); }\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.acf:1:11: error: interface name 'Other' in the ACF does not match the IDL file [MIDL2095]\n"
		"t.idl:2:11: note: the IDL file defines interface 'AsyncRPC'\n",
		r.diag);
	run_free(&r);
}

TEST(explicit_acf_may_differ)
{
	static const char *const files[][2] = {
		{ "t.idl", async_idl },
		{ "other.acf", "interface Other { [async] AsyncFunc(); }\n" },
	};
	struct frontend_options o = {
		.acf_path = "other.acf",
		.acf_explicit = true,
	};
	struct run r;

	run_files(&r, files, 2, "t.idl", &o, false);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ("", r.diag);
	EXPECT_TRUE(strstr(r.dump, "      attrs async{acf}\n") != NULL);
	run_free(&r);
}

TEST(acf_syntax_recovery)
{
	struct run r;

	run_idl(&r, async_idl,
		"interface AsyncRPC {\n"
		"  [async AsyncFunc();\n"
		"  [code] AsyncFunc(;\n"
		"  [nocode] Ping();\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_EQ(2, r.errors);
	EXPECT_STREQ(
		"t.acf:2:10: error: expected ']' before 'AsyncFunc' [MIDL2025]\n"
		"t.acf:3:20: error: expected identifier before ';' [MIDL2025]\n",
		r.diag);
	run_free(&r);
}

TEST(contextual_words_in_acf)
{
	struct run r;

	run_idl(&r,
		"interface I { void async([in] long message, [in] long idempotent); }\n",
		"interface I { [async] async([byte_count(idempotent)] message); }\n");
	EXPECT_EQ(0, r.rc);
	EXPECT_TRUE(strstr(r.dump,
		"    func async @1:20: void\n"
		"      attrs async{acf}\n"
		"      param message @1:36: long\n"
		"        attrs in, byte_count(idempotent){acf}\n") != NULL);
	run_free(&r);
}

TEST_HARNESS_MAIN
