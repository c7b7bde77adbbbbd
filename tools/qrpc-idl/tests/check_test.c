// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the semantic checks.  Each diagnostic with its exact text
 * and location, the documentation's [async] and [message] examples
 * that must pass, and the recovery (every error of a run is reported).
 */
#include "check.h"
#include "test_util.h"
#include "kselftest_harness.h"

/*
 * Like run_idl(), with the checks after the front end, as main.c runs
 * them.  @werror makes warnings errors.
 */
static void run_check_opt(struct run *r, const char *idl, const char *acf,
			  bool werror)
{
	struct mem_file mf[2] = {
		{ "t.idl", idl, strlen(idl) },
		{ "t.acf", acf ? acf : "", acf ? strlen(acf) : 0 },
	};
	struct frontend_options opt = {
		.mem_files = mf,
		.n_mem_files = acf ? 2 : 1,
		.no_cpp = true,
		.no_disk = true,
	};
	struct frontend fe;
	struct diag d;
	size_t dlen = 0;
	FILE *dout;

	r->dump = NULL;
	dout = open_memstream(&r->diag, &dlen);
	diag_init(&d, dout);
	d.caret = false;
	d.max_errors = 50;
	d.werror = werror;
	frontend_init(&fe, &d, &opt);
	r->rc = frontend_run(&fe, "t.idl");
	if (!r->rc)
		r->rc = check_run(&fe.ast, &d);
	r->errors = d.errors;
	r->warnings = d.warnings;
	frontend_fini(&fe);
	diag_fini(&d);
	fclose(dout);
}

static void run_check(struct run *r, const char *idl, const char *acf)
{
	run_check_opt(r, idl, acf, false);
}

TEST(async_docs_example_passes)
{
	struct run r;

	run_check(&r,
		"[uuid(7f6c4340-eb67-11d1-b9d7-00c04fc2f6f1), version(1.0)]\n"
		"interface AsyncRPC\n"
		"{\n"
		"    void AsyncFunc(handle_t hBinding, [in] unsigned long nAsychDelay);\n"
		"}\n",
		"interface AsyncRPC\n"
		"{\n"
		"    [async] AsyncFunc();\n"
		"}\n");
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
"",
		r.diag);
	run_free(&r);
}

TEST(message_seed_passes)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef long *ARRAY_TYPE;\n"
		"    [message] void DisplayString(\n"
		"        [in, string] char * p1);\n"
		"    [message] void VarDataArray(\n"
		"        [in, size_is(iSize)] ARRAY_TYPE lpMyArray,\n"
		"        [in] int iSize,\n"
		"        [in] unsigned long ulChksum);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
"",
		r.diag);
	run_free(&r);
}

TEST(maybe_with_out_is_midl2288)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    [maybe] void Ping([in] long a, [out] long *b);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:37: error: [maybe] procedure 'Ping' cannot have [out] parameter 'b' [MIDL2288]\n",
		r.diag);
	run_free(&r);
}

TEST(message_return_type_is_midl2288)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    [message] long Count(void);\n"
		"    [maybe] double Avg(void);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:20: error: [message] procedure 'Count' must return void, HRESULT or error_status_t [MIDL2288]\n"
		"t.idl:5:20: error: [maybe] procedure 'Avg' must return void, HRESULT or error_status_t [MIDL2288]\n",
		r.diag);
	run_free(&r);
}

TEST(message_error_status_needs_both_statuses)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    [message] error_status_t Post([in] long a);\n"
		"    [maybe] error_status_t Ping(void);\n"
		"}\n",
		"interface A\n"
		"{\n"
		"    [comm_status] Post();\n"
		"    [comm_status, fault_status] Ping();\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:30: error: [message] procedure 'Post' returns error_status_t, so the ACF must give it both [comm_status] and [fault_status] [MIDL2358]\n",
		r.diag);
	run_free(&r);
}

TEST(message_hresult_and_void_pass)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef long HRESULT;\n"
		"    [message] HRESULT Post([in] long a);\n"
		"    [message, local] void Local([in] long a);\n"
		"    [maybe, broadcast, idempotent] void Beat(void);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
"",
		r.diag);
	run_free(&r);
}

TEST(message_companions)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    [message, idempotent] void A1([in] long a);\n"
		"    [maybe, message] void A2([in] long a);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:15: error: [idempotent] cannot be combined with [message]; only [local], [nocode], [code] and [optimize] may accompany it\n"
		"t.idl:4:6: note: [message] is here\n"
		"t.idl:5:6: error: [maybe] cannot be combined with [message]; only [local], [nocode], [code] and [optimize] may accompany it\n"
		"t.idl:5:13: note: [message] is here\n",
		r.diag);
	run_free(&r);
}

TEST(one_way_not_on_object_methods)
{
	struct run r;

	run_check(&r,
		"[object, uuid(00000000-0000-0000-c000-000000000046)]\n"
		"interface IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-555555555555)]\n"
		"interface I : IUnknown\n"
		"{\n"
		"    typedef long HRESULT;\n"
		"    [message] HRESULT Post([in] long a);\n"
		"    [maybe] HRESULT Ping(void);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:9:6: error: [message] is not allowed on a method of [object] interface 'I'\n"
		"t.idl:10:6: error: [maybe] is not allowed on a method of [object] interface 'I'\n",
		r.diag);
	run_free(&r);
}

TEST(message_cannot_carry_session_state)
{
	struct run r;

	run_check(&r,
		"[object, uuid(00000000-0000-0000-c000-000000000046)]\n"
		"interface IUnknown\n"
		"{\n"
		"}\n"
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0), pointer_default(unique)]\n"
		"interface A\n"
		"{\n"
		"    typedef [context_handle] void *CTX;\n"
		"    typedef pipe long LPIPE;\n"
		"    typedef struct { long n; CTX *c; } HOLDER;\n"
		"    [message] void M1([in] CTX c);\n"
		"    [message] void M2([in] IUnknown *p);\n"
		"    [message] void M3([in] LPIPE p);\n"
		"    [message] void M4([in] HOLDER *h);\n"
		"    [message] void M5([in, ptr] long *p);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:11:32: error: parameter 'c' of [message] procedure 'M1' is or contains a context handle, which a queued message cannot carry\n"
		"t.idl:12:38: error: parameter 'p' of [message] procedure 'M2' is or contains an interface pointer, which a queued message cannot carry\n"
		"t.idl:13:34: error: parameter 'p' of [message] procedure 'M3' is or contains a pipe, which a queued message cannot carry\n"
		"t.idl:14:36: error: parameter 'h' of [message] procedure 'M4' is or contains a context handle, which a queued message cannot carry\n",
		r.diag);
	run_free(&r);
}

TEST(async_needs_a_binding_handle)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    void F([in] long a);\n"
		"    void G(handle_t h, [in] long a);\n"
		"}\n",
		"[auto_handle]\n"
		"interface A\n"
		"{\n"
		"    [async] F();\n"
		"    [async] G();\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.acf:4:6: error: [async] procedure 'F' cannot use an auto handle; give it a handle_t first parameter or the interface [implicit_handle] [MIDL2357]\n"
		"t.acf:1:2: note: [auto_handle] is here\n",
		r.diag);
	run_free(&r);
}

TEST(async_implicit_handle_passes)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    void F([in] long a);\n"
		"}\n",
		"[implicit_handle(handle_t hA)]\n"
		"interface A\n"
		"{\n"
		"    [async] F();\n"
		"}\n");
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
"",
		r.diag);
	run_free(&r);
}

TEST(async_on_acf_interface)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    void F([in] long a);\n"
		"    void G(handle_t h);\n"
		"}\n",
		"[async]\n"
		"interface A\n"
		"{\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.acf:1:2: error: [async] procedure 'F' cannot use an auto handle; give it a handle_t first parameter or the interface [implicit_handle] [MIDL2357]\n",
		r.diag);
	run_free(&r);
}

TEST(async_handle_must_be_in)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef [context_handle] void *CTX;\n"
		"    void Open([out] CTX *c);\n"
		"    void Use([in] CTX c);\n"
		"}\n",
		"interface A\n"
		"{\n"
		"    [async] Open();\n"
		"    [async] Use();\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:5:26: error: the binding handle 'c' of [async] procedure 'Open' must be [in] [MIDL2353]\n",
		r.diag);
	run_free(&r);
}

TEST(async_not_for_object_interfaces)
{
	struct run r;

	run_check(&r,
		"[object, uuid(00000000-0000-0000-c000-000000000046)]\n"
		"interface IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-555555555555)]\n"
		"interface I : IUnknown\n"
		"{\n"
		"    typedef long HRESULT;\n"
		"    interface IAsyncManager;\n"
		"    HRESULT F([in] long a);\n"
		"    HRESULT G([in, async] IAsyncManager **m);\n"
		"}\n",
		"[async]\n"
		"interface I\n"
		"{\n"
		"    [async] F();\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.acf:1:2: error: [async] is for RPC interfaces; [object] interface 'I' takes [async_uuid] instead [MIDL2355]\n"
		"t.acf:4:6: error: [async] is for RPC interfaces; [object] interface 'I' takes [async_uuid] instead [MIDL2355]\n"
		"t.idl:11:20: error: [async] on parameter 'm' is the obsolete COM form (an IAsyncManager ** parameter) and is not supported; use [async_uuid] on the interface [MIDL2354]\n",
		r.diag);
	run_free(&r);
}

TEST(async_in_idl_is_misplaced)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    [async] void F(handle_t h);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:6: error: [async] is an ACF attribute; it goes on interfaces and procedures in the ACF [MIDL2072]\n",
		r.diag);
	run_free(&r);
}

TEST(async_uuid_rules)
{
	struct run r;

	run_check(&r,
		"[object, uuid(00000000-0000-0000-c000-000000000046)]\n"
		"interface IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(00020400-0000-0000-c000-000000000046)]\n"
		"interface IDispatch : IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-555555555555), async_uuid(11111111-2222-3333-4444-666666666666)]\n"
		"interface IGood : IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-000000000001), async_uuid(11111111-2222-3333-4444-000000000002)]\n"
		"interface IGood2 : IGood\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-000000000003)]\n"
		"interface IPlain : IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-000000000004), async_uuid(11111111-2222-3333-4444-000000000005)]\n"
		"interface IBad : IPlain\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-000000000006), async_uuid(11111111-2222-3333-4444-000000000007)]\n"
		"interface IDisp : IDispatch\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-000000000008), async_uuid(11111111-2222-3333-4444-000000000008)]\n"
		"interface ISame : IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-000000000009), async_uuid(11111111-2222-3333-4444-555555555555)]\n"
		"interface IClash : IUnknown\n"
		"{\n"
		"}\n"
		"[uuid(11111111-2222-3333-4444-00000000000a), async_uuid(11111111-2222-3333-4444-00000000000b)]\n"
		"interface R\n"
		"{\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:21:54: error: [async_uuid] interface 'IBad' must derive from IUnknown or from an interface with [async_uuid], not 'IPlain' [MIDL2272]\n"
		"t.idl:18:11: note: 'IPlain' is declared here\n"
		"t.idl:25:54: error: [async_uuid] interface 'IDisp' cannot derive from IDispatch [MIDL2272]\n"
		"t.idl:29:65: error: async_uuid of 'ISame' must differ from its uuid\n"
		"t.idl:33:65: error: async_uuid of 'IClash' is the uuid of interface 'IGood'\n"
		"t.idl:9:15: note: 'IGood' has it here\n"
		"t.idl:37:46: error: [async_uuid] needs an [object] interface; 'R' is an RPC interface (use [async] in the ACF)\n",
		r.diag);
	run_free(&r);
}

TEST(attributes_in_the_wrong_place)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef [in, unique] long *PL;\n"
		"    [out] void F([object] long a, [string, endpoint(\"x\")] char *s);\n"
		"    typedef struct { [retval] long n; } S;\n"
		"    [size_is(2)] const long N = 1;\n"
		"}\n",
		"[comm_status]\n"
		"interface A\n"
		"{\n"
		"    [in] F([async] a);\n"
		"}\n");
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.acf:1:2: error: [comm_status] does not apply to an interface in the ACF; it goes on procedures and parameters [MIDL2072]\n"
		"t.idl:4:14: error: [in] does not apply to a typedef; it goes on parameters [MIDL2072]\n"
		"t.idl:5:6: error: [out] does not apply to a procedure; it goes on parameters [MIDL2072]\n"
		"t.acf:4:6: error: [in] is not an ACF attribute; it goes on parameters in the IDL file [MIDL2072]\n"
		"t.idl:5:19: error: [object] does not apply to a parameter; it goes on interfaces [MIDL2072]\n"
		"t.idl:5:44: error: [endpoint] does not apply to a parameter; it goes on interfaces [MIDL2072]\n"
		"t.acf:4:13: error: [async] on parameter 'a' is the obsolete COM form (an IAsyncManager ** parameter) and is not supported; use [async_uuid] on the interface [MIDL2354]\n"
		"t.idl:5:32: note: [async] goes on procedures in the ACF\n"
		"t.idl:6:23: error: [retval] does not apply to a struct field; it goes on parameters [MIDL2072]\n"
		"t.idl:7:6: error: [size_is] does not apply to a constant; it goes on struct fields, union arms and parameters [MIDL2072]\n",
		r.diag);
	run_free(&r);
}

TEST(acf_only_attributes_in_idl)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    [comm_status] error_status_t F([in] long a);\n"
		"    typedef [represent_as(long)] short T;\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:6: error: [comm_status] is an ACF attribute; it goes on procedures and parameters in the ACF [MIDL2072]\n"
		"t.idl:5:14: error: [represent_as] is an ACF attribute; it goes on typedefs in the ACF [MIDL2072]\n",
		r.diag);
	run_free(&r);
}

TEST(redefinitions_are_midl2003)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef long T;\n"
		"    typedef short T;\n"
		"    void F(long a, short a);\n"
		"    void F(void);\n"
		"    typedef struct { long x; long x; } S;\n"
		"    typedef enum { E1, E2, E1 } E;\n"
		"    const long E2 = 3;\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:7:10: error: redefinition of procedure 'F' [MIDL2003]\n"
		"t.idl:6:10: note: previous definition of 'F' is here\n"
		"t.idl:5:19: error: redefinition of type 'T' [MIDL2003]\n"
		"t.idl:4:18: note: previous definition of 'T' is here\n"
		"t.idl:6:26: error: redefinition of parameter 'a' [MIDL2003]\n"
		"t.idl:6:17: note: previous definition of 'a' is here\n"
		"t.idl:8:35: error: redefinition of field 'x' [MIDL2003]\n"
		"t.idl:8:27: note: previous definition of 'x' is here\n"
		"t.idl:9:28: error: redefinition of constant 'E1' [MIDL2003]\n"
		"t.idl:9:20: note: previous definition of 'E1' is here\n"
		"t.idl:10:16: error: redefinition of constant 'E2' [MIDL2003]\n"
		"t.idl:9:24: note: previous definition of 'E2' is here\n",
		r.diag);
	run_free(&r);
}

TEST(com_property_pairs_are_not_redefinitions)
{
	struct run r;

	run_check(&r,
		"[object, uuid(00000000-0000-0000-c000-000000000046)]\n"
		"interface IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-555555555555)]\n"
		"interface I : IUnknown\n"
		"{\n"
		"    typedef long HRESULT;\n"
		"    [propget] HRESULT Name([out, retval] long *v);\n"
		"    [propput] HRESULT Name([in] long v);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
"",
		r.diag);
	run_free(&r);
}

TEST(out_must_be_a_pointer)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    void F([out] long a, [out] long b[4]);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:13: error: [out] parameter 'a' must be a pointer [MIDL2042]\n",
		r.diag);
	run_free(&r);
}

TEST(out_problems_warn_in_object_interfaces)
{
	struct run r;

	run_check(&r,
		"[object, uuid(00000000-0000-0000-c000-000000000046)]\n"
		"interface IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-555555555555)]\n"
		"interface I : IUnknown\n"
		"{\n"
		"    typedef long HRESULT;\n"
		"    HRESULT F([out] long a);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
		"t.idl:9:16: warning: [out] parameter 'a' must be a pointer [MIDL2042] [-Wgeneral]\n",
		r.diag);
	run_free(&r);
}

TEST(pointer_attributes)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef [unique] long *PUL;\n"
		"    void F([out, unique] long *a, [out] PUL b, [in, out, unique] long *c);\n"
		"    [ref] long *G(void);\n"
		"    [unique] long *H(void);\n"
		"    void K([in, ref, unique] long *p);\n"
		"    typedef struct { [ref, ptr] long *p; } S;\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:5:18: error: [out]-only parameter 'a' cannot be a [unique] pointer: the server has nothing to tell NULL from [MIDL2121]\n"
		"t.idl:5:45: error: [out]-only parameter 'b' cannot be a [unique] pointer: the server has nothing to tell NULL from [MIDL2121]\n"
		"t.idl:6:6: error: procedure 'G' cannot return a [ref] pointer [MIDL2177]\n"
		"t.idl:8:22: error: [unique] after [ref]: at most one pointer attribute may be given [MIDL2163]\n"
		"t.idl:9:28: error: [ptr] after [ref]: at most one pointer attribute may be given [MIDL2163]\n",
		r.diag);
	run_free(&r);
}

TEST(size_and_length_attributes)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0), pointer_default(unique)]\n"
		"interface A\n"
		"{\n"
		"    void F([in] float f, [in, size_is(f)] long *a);\n"
		"    void G([in, size_is(*n)] long *a, [out] long *n);\n"
		"    void H([in, out, length_is(*n)] long a[10], [out] long *n);\n"
		"    void K([in] long n, [in, size_is(n), max_is(n)] long *a);\n"
		"    void L([in] long n, [in, length_is(n), last_is(n)] long a[10]);\n"
		"    void M([out] long *n, [out, size_is(, *n)] long **a);\n"
		"    void N([in] long n, [in, size_is(n * 2 + 1)] long *a, [in, size_is(*p)] long *b, [in] long *p);\n"
		"    typedef struct { float f; [size_is(f)] long *a; long n; [size_is(n)] long b[]; } S;\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:39: error: the expression of [size_is] must be an integer [MIDL2174]\n"
		"t.idl:5:25: error: [size_is] of [in] parameter 'a' uses [out]-only parameter 'n', which the server does not receive [MIDL2123]\n"
		"t.idl:6:32: error: [length_is] of [in] parameter 'a' uses [out]-only parameter 'n', which the server does not receive [MIDL2124]\n"
		"t.idl:7:42: error: [size_is] and [max_is] cannot both be given: size_is(n) is max_is(n - 1) [MIDL2077]\n"
		"t.idl:8:44: error: [length_is] and [last_is] cannot both be given [MIDL2076]\n"
		"t.idl:11:40: error: the expression of [size_is] must be an integer [MIDL2174]\n",
		r.diag);
	run_free(&r);
}

TEST(strings)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    void F([in, string] long *a, [in, string] char *s, [in, string] wchar_t *w, [in, string] byte *b);\n"
		"    void G([in] long n, [in, string, length_is(n)] char s[20]);\n"
		"    typedef [string] double *PD;\n"
		"    typedef [string] unsigned short *PWSTR;\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:17: error: [string] applies to arrays of or pointers to char, wchar_t or byte [MIDL2082]\n"
		"t.idl:5:38: error: [length_is] cannot be used with [string]: a string's length is where its terminator is [MIDL2075]\n"
		"t.idl:6:14: error: [string] applies to arrays of or pointers to char, wchar_t or byte [MIDL2082]\n",
		r.diag);
	run_free(&r);
}

TEST(unions_need_discriminants)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef [switch_type(long)] union { [case(1)] long a; [case(2, -3)] short b; [case(1)] char c; [default] ; [default] ; } U;\n"
		"    typedef struct { long k; [switch_is(k)] U u; U v; } S;\n"
		"    void F([in] long k, [in] U u, [in, switch_is(k)] U *w);\n"
		"    void G([in] S *s);\n"
		"    void H([in, switch_is(k)] long k);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:88: error: duplicate case value in union\n"
		"t.idl:4:47: note: the value is first used here\n"
		"t.idl:4:113: error: union has more than one default arm\n"
		"t.idl:4:101: note: the first is here\n"
		"t.idl:6:32: error: parameter 'u' is a union without a discriminant; give it [switch_is] [MIDL2143]\n"
		"t.idl:5:52: error: field 'v' is a union without a discriminant; give it [switch_is] [MIDL2147]\n"
		"t.idl:8:17: error: [switch_is] applies to unions; 'k' is not one\n",
		r.diag);
	run_free(&r);
}

TEST(encapsulated_unions_pass)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef union switch (long k) arm { case 1: long a; case 2: short b; default: ; } EU;\n"
		"    void F([in] EU *u);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
"",
		r.diag);
	run_free(&r);
}

TEST(struct_shape_and_handles)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0), pointer_default(unique)]\n"
		"interface A\n"
		"{\n"
		"    typedef [context_handle] void *CTX;\n"
		"    typedef struct L { long n; [ref] struct L *next; } L;\n"
		"    typedef struct { long n; [size_is(n)] long a[]; long after; } C;\n"
		"    typedef struct { CTX c; } H;\n"
		"    void F([out] handle_t *h);\n"
		"    void G(handle_t h, [in] L *l, [in] C *c, [in] H *x);\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:5:48: error: field 'next' makes 'L' recursive through [ref] pointers, which cannot end; use [unique] [MIDL2164]\n"
		"t.idl:6:48: error: conformant array 'a' must be the last field of the struct\n"
		"t.idl:7:26: error: field 'c' is a context handle; context handles can only be parameters or return values [MIDL2135]\n"
		"t.idl:8:13: error: handle_t parameter 'h' cannot be [out]: handles are not transmitted [MIDL2180]\n",
		r.diag);
	run_free(&r);
}

TEST(embedded_pointers_need_a_pointer_default)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    typedef [unique] long *PL;\n"
		"    typedef struct { [ref] long *r; PL u; long *p; long *q; } S;\n"
		"    void F([in] S *s);\n"
		"}\n"
		"[uuid(11111111-2222-3333-4444-555555555556), version(1.0),\n"
		" pointer_default(unique)]\n"
		"interface B\n"
		"{\n"
		"    typedef struct { long *p; } T;\n"
		"}\n"
		"[local]\n"
		"interface C\n"
		"{\n"
		"    typedef struct { long *p; } U;\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_EQ(1, r.warnings);
	/* Once, at the first pointer with no attribute of its own. */
	EXPECT_STREQ(
		"t.idl:5:49: warning: interface 'A' has no [pointer_default]: embedded pointer 'p' is [unique] [MIDL2038] [-Wgeneral]\n",
		r.diag);
	run_free(&r);
}

TEST(ref_default_recursion)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), pointer_default(ref)]\n"
		"interface A\n"
		"{\n"
		"    typedef struct N { long v; struct N *next; } N;\n"
		"    typedef struct M { long v; [unique] struct M *next; } M;\n"
		"}\n",
		NULL);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:4:42: error: field 'next' makes 'N' recursive through [ref] pointers, which cannot end; use [unique] [MIDL2164]\n",
		r.diag);
	run_free(&r);
}

TEST(local_methods_are_not_marshalled)
{
	struct run r;

	run_check(&r,
		"[uuid(11111111-2222-3333-4444-555555555555), version(1.0)]\n"
		"interface A\n"
		"{\n"
		"    [local] void F([out] long a, [in] long n, [out] long *m);\n"
		"}\n"
		"[local, uuid(11111111-2222-3333-4444-666666666666)]\n"
		"interface B\n"
		"{\n"
		"    void G([out] long a);\n"
		"}\n",
		NULL);
	EXPECT_EQ(0, r.rc);
	EXPECT_STREQ(
"",
		r.diag);
	run_free(&r);
}

TEST(werror_makes_object_warnings_fatal)
{
	static const char idl[] =
		"[object, uuid(00000000-0000-0000-c000-000000000046)]\n"
		"interface IUnknown\n"
		"{\n"
		"}\n"
		"[object, uuid(11111111-2222-3333-4444-555555555555)]\n"
		"interface I : IUnknown\n"
		"{\n"
		"    typedef long HRESULT;\n"
		"    HRESULT F([out] long a);\n"
		"}\n";
	struct run r;

	run_check_opt(&r, idl, NULL, true);
	EXPECT_EQ(-1, r.rc);
	EXPECT_STREQ(
		"t.idl:9:16: error: [out] parameter 'a' must be a pointer [MIDL2042] [-Werror=general]\n",
		r.diag);
	run_free(&r);
}

TEST_HARNESS_MAIN
