// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the header generator.  Representative inputs are compiled
 * in memory and the text compared; then the real binary writes headers
 * that gcc must accept, against a minimal rpc.h written here and, when
 * the idl-corpus cache is there, against Wine's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "cli_util.h"
#include "frontend.h"
#include "header.h"


/* The header for in-memory "t.idl" (and "t.acf"), NULL on errors. */
static char *gen(const char *idl, const char *acf)
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
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	diag_init(&d, stderr);
	d.max_errors = 50;
	frontend_init(&fe, &d, &opt);
	if (!frontend_run(&fe, "t.idl")) {
		out = open_memstream(&text, &len);
		if (out && header_emit(out, &fe.ast, NULL)) {
			fclose(out);
			free(text);
			text = NULL;
		} else if (out) {
			fclose(out);
		}
	}
	frontend_fini(&fe);
	diag_fini(&d);
	return text;
}

/* Fails the test, showing the header, if @want is not in @text. */
#define EXPECT_HAS(text, want) do {					\
	const char *t_ = (text);					\
	ASSERT_TRUE(t_ != NULL);					\
	if (!strstr(t_, (want))) {					\
		fprintf(stderr, "--- header:\n%s--- lacks:\n%s\n---\n",	\
			t_, (want));					\
		ASSERT_TRUE(0);						\
	}								\
} while (0)

#define EXPECT_HASNT(text, bad) do {					\
	const char *t_ = (text);					\
	ASSERT_TRUE(t_ != NULL);					\
	if (strstr(t_, (bad))) {					\
		fprintf(stderr, "--- header:\n%s--- has:\n%s\n---\n",	\
			t_, (bad));					\
		ASSERT_TRUE(0);						\
	}								\
} while (0)

/* The COM base, written here since the tests read no files. */
#define BASE_IDL							\
	"typedef long HRESULT;\n"					\
	"typedef unsigned long ULONG;\n"				\
	"typedef struct _GUID { unsigned long d1; } GUID;\n"		\
	"typedef GUID *REFIID;\n"					\
	"[object, local, uuid(00000000-0000-0000-C000-000000000046)]\n"	\
	"interface IUnknown {\n"					\
	"  HRESULT QueryInterface([in] REFIID riid,\n"			\
	"                         [out, iid_is(riid)] void **ppv);\n"	\
	"  ULONG AddRef();\n"						\
	"  ULONG Release();\n"						\
	"}\n"

TEST(struct_and_base_types)
{
	char *h = gen("typedef struct S {\n"
		      "  long a; unsigned long b; hyper c;\n"
		      "  unsigned hyper d; small e; wchar_t f;\n"
		      "  short g; __int3264 i; char j; unsigned char k;\n"
		      "  boolean l; byte m; [size_is(a)] long *n;\n"
		      "  long o[4];\n"
		      "} S, *PS;\n", NULL);

	EXPECT_HAS(h, "typedef struct S {\n"
		   "    INT32 a;\n"
		   "    UINT32 b;\n"
		   "    INT64 c;\n"
		   "    UINT64 d;\n"
		   "    char e;\n"
		   "    WCHAR f;\n"
		   "    short g;\n"
		   "    INT_PTR i;\n"
		   "    char j;\n"
		   "    unsigned char k;\n"
		   "    boolean l;\n"
		   "    byte m;\n"
		   "    INT32 *n;\n"
		   "    INT32 o[4];\n"
		   "} S, *PS;\n");
	/* C's long and wchar_t have other sizes on LP64. */
	EXPECT_HASNT(h, " long ");
	EXPECT_HASNT(h, "wchar_t");
	EXPECT_HAS(h, "#include <rpc.h>\n#include <rpcndr.h>\n");
	EXPECT_HAS(h, "#ifndef __t_h__\n#define __t_h__\n");
	free(h);
}

TEST(encapsulated_union)
{
	char *h = gen("typedef union U switch (long d) {\n"
		      "  case 1: long x;\n"
		      "  case 2: hyper y;\n"
		      "  default: ;\n"
		      "} U;\n"
		      "typedef union V switch (short k) arm {\n"
		      "  case 1: long x;\n"
		      "} V;\n", NULL);

	EXPECT_HAS(h, "typedef struct U {\n"
		   "    INT32 d;\n"
		   "    union {\n"
		   "        INT32 x;\n"
		   "        INT64 y;\n"
		   "    } tagged_union;\n"
		   "} U;\n");
	EXPECT_HAS(h, "    } arm;\n} V;\n");
	free(h);
}

TEST(const_enum_cpp_quote_order)
{
	char *h = gen("cpp_quote(\"#define FIRST 1\")\n"
		      "const long N = 1 << 4;\n"
		      "typedef enum { A = 1, B } E;\n"
		      "const char *S = \"str\";\n", NULL);
	const char *a, *b, *c;

	EXPECT_HAS(h, "#define N (1 << 4)\n");
	EXPECT_HAS(h, "typedef enum {\n    A = 1,\n    B\n} E;\n");
	EXPECT_HAS(h, "#define S \"str\"\n");
	a = strstr(h, "#define FIRST 1\n");
	b = strstr(h, "#define N");
	c = strstr(h, "} E;");
	ASSERT_TRUE(a && b && c && a < b && b < c);
	free(h);
}

static const char async_idl[] =
	"[uuid(7a98c250-6808-11cf-b73b-00aa00b677a7), version(1.0)]\n"
	"interface AsyncRPC {\n"
	"  void NonAsyncFunc(handle_t hBinding,\n"
	"                    [in, string] char *pszMessage);\n"
	"  void AsyncFunc(handle_t hBinding,\n"
	"                 [in] unsigned long nAsychDelay);\n"
	"  long Shutdown(handle_t hBinding);\n"
	"}\n";
static const char async_acf[] =
	"interface AsyncRPC { [async] AsyncFunc(); [async] Shutdown(); }\n";

TEST(async_prototype_ifspec_epv)
{
	char *h = gen(async_idl, async_acf);

	EXPECT_HAS(h, "void NonAsyncFunc(\n"
		   "    handle_t hBinding,\n"
		   "    /* [in] */ char *pszMessage);\n");
	EXPECT_HAS(h, "/* [async] */ void AsyncFunc(\n"
		   "    /* [in] */ PRPC_ASYNC_STATE AsyncFunc_AsyncHandle,\n"
		   "    handle_t hBinding,\n"
		   "    /* [in] */ UINT32 nAsychDelay);\n");
	/* The value of an [async] call comes through the handle. */
	EXPECT_HAS(h, "/* [async] */ void Shutdown(\n"
		   "    /* [in] */ PRPC_ASYNC_STATE Shutdown_AsyncHandle,\n"
		   "    handle_t hBinding);\n");
	EXPECT_HAS(h, "extern RPC_IF_HANDLE AsyncRPC_v1_0_c_ifspec;\n"
		   "extern RPC_IF_HANDLE AsyncRPC_v1_0_s_ifspec;\n");
	EXPECT_HAS(h, "#define AsyncRPC_ClientIfHandle "
		   "AsyncRPC_v1_0_c_ifspec\n");
	EXPECT_HAS(h, "typedef struct _AsyncRPC_v1_0_epv_t {\n"
		   "    void (*NonAsyncFunc)(\n"
		   "        handle_t hBinding,\n"
		   "        /* [in] */ char *pszMessage);\n"
		   "    void (*AsyncFunc)(\n"
		   "        /* [in] */ PRPC_ASYNC_STATE "
		   "AsyncFunc_AsyncHandle,\n");
	EXPECT_HAS(h, "} AsyncRPC_v1_0_epv_t;\n");
	EXPECT_HAS(h, "void *__RPC_USER midl_user_allocate(size_t);\n"
		   "void __RPC_USER midl_user_free(void *);\n");
	free(h);
}

TEST(context_handle_rundown_and_implicit_handle)
{
	char *h = gen("[uuid(7a98c250-6808-11cf-b73b-00aa00b677a8)]\n"
		      "interface R {\n"
		      "  typedef [context_handle] void *CTX;\n"
		      "  void Open([in] handle_t h, [out] CTX *c);\n"
		      "  void Close([in, out] CTX *c);\n"
		      "}\n",
		      "[implicit_handle(handle_t R_Binding)] interface R {}\n");

	EXPECT_HAS(h, "typedef void *CTX;\n");
	EXPECT_HAS(h, "void __RPC_USER CTX_rundown(CTX);\n");
	EXPECT_HAS(h, "extern handle_t R_Binding;\n");
	EXPECT_HAS(h, "extern RPC_IF_HANDLE R_v0_0_c_ifspec;\n");
	free(h);
}

TEST(object_interface_vtable_and_macros)
{
	char *h = gen(BASE_IDL
		      "[object, uuid(12345678-1234-1234-1234-123456789abc)]\n"
		      "interface IFoo : IUnknown {\n"
		      "  HRESULT M([in] long a, [out] long *b);\n"
		      "  [propget] HRESULT P([out, retval] long *v);\n"
		      "}\n", NULL);

	EXPECT_HAS(h, "typedef interface IFoo IFoo;\n");
	EXPECT_HAS(h, "DEFINE_GUID(IID_IFoo, 0x12345678, 0x1234, 0x1234, "
		   "0x12,0x34, 0x12,0x34,0x56,0x78,0x9a,0xbc);\n");
	EXPECT_HAS(h, "MIDL_INTERFACE("
		   "\"12345678-1234-1234-1234-123456789abc\")\n"
		   "IFoo : public IUnknown\n{\n"
		   "    virtual HRESULT STDMETHODCALLTYPE M(\n"
		   "        INT32 a,\n"
		   "        INT32 *b) = 0;\n");
	EXPECT_HAS(h, "typedef struct IFooVtbl {\n"
		   "    BEGIN_INTERFACE\n\n"
		   "    /*** IUnknown methods ***/\n"
		   "    HRESULT (STDMETHODCALLTYPE *QueryInterface)(\n"
		   "        IFoo *This,\n"
		   "        REFIID riid,\n"
		   "        void **ppv);\n\n"
		   "    ULONG (STDMETHODCALLTYPE *AddRef)(\n"
		   "        IFoo *This);\n\n"
		   "    ULONG (STDMETHODCALLTYPE *Release)(\n"
		   "        IFoo *This);\n\n"
		   "    /*** IFoo methods ***/\n"
		   "    HRESULT (STDMETHODCALLTYPE *M)(\n"
		   "        IFoo *This,\n"
		   "        INT32 a,\n"
		   "        INT32 *b);\n\n"
		   "    HRESULT (STDMETHODCALLTYPE *get_P)(\n"
		   "        IFoo *This,\n"
		   "        INT32 *v);\n\n"
		   "    END_INTERFACE\n"
		   "} IFooVtbl;\n\n"
		   "interface IFoo {\n"
		   "    CONST_VTBL IFooVtbl* lpVtbl;\n"
		   "};\n");
	EXPECT_HAS(h, "#ifdef COBJMACROS\n");
	EXPECT_HAS(h, "#define IFoo_QueryInterface(This,riid,ppv) "
		   "(This)->lpVtbl->QueryInterface(This,riid,ppv)\n");
	EXPECT_HAS(h, "#define IFoo_M(This,a,b) (This)->lpVtbl->M(This,a,b)\n");
	EXPECT_HAS(h, "#define IFoo_get_P(This,v) "
		   "(This)->lpVtbl->get_P(This,v)\n");
	EXPECT_HAS(h, "HRESULT STDMETHODCALLTYPE IFoo_M_Proxy(\n"
		   "    IFoo* This,\n"
		   "    INT32 a,\n"
		   "    INT32 *b);\n"
		   "void __RPC_STUB IFoo_M_Stub(\n");
	/* No RPC interface: no midl_user_* prototypes. */
	EXPECT_HASNT(h, "midl_user_allocate");
	free(h);
}

TEST(local_call_as_proxies)
{
	char *h = gen(BASE_IDL
		      "[object, uuid(12345678-1234-1234-1234-123456789abd)]\n"
		      "interface IBar : IUnknown {\n"
		      "  [local] HRESULT Get([out] void **p);\n"
		      "  [call_as(Get)]\n"
		      "  HRESULT RemoteGet([out] IUnknown **p);\n"
		      "}\n", NULL);

	/* The remote method has no vtable slot. */
	EXPECT_HASNT(h, "*RemoteGet)");
	EXPECT_HAS(h, "HRESULT STDMETHODCALLTYPE IBar_RemoteGet_Proxy(\n");
	EXPECT_HAS(h, "HRESULT CALLBACK IBar_Get_Proxy(\n"
		   "    IBar* This,\n"
		   "    void **p);\n"
		   "HRESULT __RPC_STUB IBar_Get_Stub(\n"
		   "    IBar* This,\n"
		   "    IUnknown **p);\n");
	free(h);
}

TEST(async_uuid_split)
{
	char *h = gen(BASE_IDL
		      "[object, uuid(12345678-1234-1234-1234-123456789abe),\n"
		      " async_uuid(12345678-1234-1234-1234-123456789abf)]\n"
		      "interface IFoo : IUnknown {\n"
		      "  HRESULT X([in] long a, [out] long *b,\n"
		      "            [in, out] long *c, long d);\n"
		      "}\n", NULL);

	EXPECT_HAS(h, "typedef interface AsyncIFoo AsyncIFoo;\n");
	EXPECT_HAS(h, "DEFINE_GUID(IID_AsyncIFoo, 0x12345678, 0x1234, 0x1234, "
		   "0x12,0x34, 0x12,0x34,0x56,0x78,0x9a,0xbf);\n");
	EXPECT_HAS(h, "AsyncIFoo : public IUnknown\n");
	EXPECT_HAS(h, "    /*** IUnknown methods ***/\n"
		   "    HRESULT (STDMETHODCALLTYPE *QueryInterface)(\n"
		   "        AsyncIFoo *This,\n");
	EXPECT_HAS(h, "    /*** AsyncIFoo methods ***/\n"
		   "    HRESULT (STDMETHODCALLTYPE *Begin_X)(\n"
		   "        AsyncIFoo *This,\n"
		   "        INT32 a,\n"
		   "        INT32 *c,\n"
		   "        INT32 d);\n\n"
		   "    HRESULT (STDMETHODCALLTYPE *Finish_X)(\n"
		   "        AsyncIFoo *This,\n"
		   "        INT32 *b,\n"
		   "        INT32 *c);\n\n"
		   "    END_INTERFACE\n"
		   "} AsyncIFooVtbl;\n");
	EXPECT_HAS(h, "#define AsyncIFoo_Begin_X(This,a,c,d) "
		   "(This)->lpVtbl->Begin_X(This,a,c,d)\n");
	EXPECT_HAS(h, "#define AsyncIFoo_Finish_X(This,b,c) "
		   "(This)->lpVtbl->Finish_X(This,b,c)\n");
	free(h);
}

TEST(async_uuid_derives_from_async_base)
{
	char *h = gen(BASE_IDL
		      "[object, uuid(22345678-1234-1234-1234-123456789abe),\n"
		      " async_uuid(22345678-1234-1234-1234-123456789abf)]\n"
		      "interface IA : IUnknown { HRESULT F([in] long a); }\n"
		      "[object, uuid(32345678-1234-1234-1234-123456789abe),\n"
		      " async_uuid(32345678-1234-1234-1234-123456789abf)]\n"
		      "interface IB : IA { HRESULT G([out] long *b); }\n",
		      NULL);

	EXPECT_HAS(h, "AsyncIB : public AsyncIA\n");
	EXPECT_HAS(h, "    /*** AsyncIA methods ***/\n"
		   "    HRESULT (STDMETHODCALLTYPE *Begin_F)(\n"
		   "        AsyncIB *This,\n"
		   "        INT32 a);\n\n"
		   "    HRESULT (STDMETHODCALLTYPE *Finish_F)(\n"
		   "        AsyncIB *This);\n\n"
		   "    /*** AsyncIB methods ***/\n"
		   "    HRESULT (STDMETHODCALLTYPE *Begin_G)(\n"
		   "        AsyncIB *This);\n\n");
	free(h);
}

TEST(library_coclass)
{
	char *h = gen(BASE_IDL
		      "[uuid(42345678-1234-1234-1234-123456789abe)]\n"
		      "library L {\n"
		      "  [uuid(52345678-1234-1234-1234-123456789abe)]\n"
		      "  coclass C { interface IUnknown; }\n"
		      "}\n", NULL);

	EXPECT_HAS(h, "DEFINE_GUID(LIBID_L, 0x42345678,");
	EXPECT_HAS(h, "DEFINE_GUID(CLSID_C, 0x52345678,");
	EXPECT_HAS(h, "class DECLSPEC_UUID("
		   "\"52345678-1234-1234-1234-123456789abe\") C;\n");
	EXPECT_HAS(h, "typedef struct C C;\n");
	free(h);
}

TEST(user_marshal_prototypes)
{
	char *h = gen(BASE_IDL
		      "typedef struct W { long x; } W;\n"
		      "typedef [wire_marshal(W)] void *HANDLE_T;\n"
		      "[object, uuid(62345678-1234-1234-1234-123456789abe)]\n"
		      "interface IM : IUnknown {\n"
		      "  HRESULT Send([in] HANDLE_T h);\n"
		      "  [local] HRESULT Local([in] HANDLE_T *h);\n"
		      "}\n", NULL);

	EXPECT_HAS(h, "ULONG           __RPC_USER HANDLE_T_UserSize     "
		   "(ULONG *, ULONG, HANDLE_T *);\n"
		   "unsigned char * __RPC_USER HANDLE_T_UserMarshal  "
		   "(ULONG *, unsigned char *, HANDLE_T *);\n");
	EXPECT_HAS(h, "void            __RPC_USER HANDLE_T_UserFree     "
		   "(ULONG *, HANDLE_T *);\n");
	free(h);
}

TEST(winrt_names)
{
	char *h = gen(BASE_IDL
		      "namespace A.B {\n"
		      "  typedef enum E E;\n"
		      "  enum E { X = 1, Y };\n"
		      "  [uuid(72345678-1234-1234-1234-123456789abe)]\n"
		      "  interface IQ : IUnknown {\n"
		      "    HRESULT F([in] E e);\n"
		      "    [eventadd] HRESULT Ev([in] long h);\n"
		      "    [eventremove] HRESULT Ev([in] long h);\n"
		      "  }\n"
		      "}\n", NULL);

	EXPECT_HAS(h, "typedef interface __x_ABI_CA_CB_CIQ "
		   "__x_ABI_CA_CB_CIQ;\n");
	EXPECT_HAS(h, "enum __x_ABI_CA_CB_CE {\n    E_X = 1,\n    E_Y\n}");
	EXPECT_HAS(h, "typedef enum __x_ABI_CA_CB_CE __x_ABI_CA_CB_CE;\n");
	EXPECT_HAS(h, "DEFINE_GUID(IID___x_ABI_CA_CB_CIQ, 0x72345678,");
	EXPECT_HAS(h, "    HRESULT (STDMETHODCALLTYPE *F)(\n"
		   "        __x_ABI_CA_CB_CIQ *This,\n"
		   "        __x_ABI_CA_CB_CE e);\n");
	EXPECT_HAS(h, "(STDMETHODCALLTYPE *add_Ev)(");
	EXPECT_HAS(h, "(STDMETHODCALLTYPE *remove_Ev)(");
	free(h);
}

/*
 * "typedef enum E E;" ahead of E's body is C only: C++ refuses an enum
 * declared without its body, and its tag already names the type.
 */
TEST(enum_forward_typedef_is_c_only)
{
	char *h = gen("typedef enum E E;\n"
		      "typedef enum F G;\n"
		      "enum E { EA, EB };\n"
		      "enum F { FA };\n"
		      "typedef struct { E e; } S;\n", NULL);

	EXPECT_HAS(h, "#ifndef __cplusplus\ntypedef enum E E;\n#endif\n");
	/* Another name than the tag's is needed by C++ too. */
	EXPECT_HAS(h, "\ntypedef enum F G;\n");
	free(h);
	put("e.idl", "typedef enum E E;\nenum E { EA, EB };\n"
	    "typedef struct { E e; } S;\n");
	put("e.cc", "#include \"e.h\"\nS s = { EB };\n");
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp -h e.h e.idl && "
			"g++ -Wall -Werror -fsyntax-only -I%s e.cc%s",
			QRPC_MSRPC_INC, ""));
}

/* ---- the binary, and gcc over what it writes ---- */

/* Just what the generated declarations need, to compile without Wine. */
static const char mini_rpc_h[] =
	"#include <stddef.h>\n#include <stdint.h>\n"
	"typedef int32_t INT32; typedef uint32_t UINT32;\n"
	"typedef int64_t INT64; typedef uint64_t UINT64;\n"
	"typedef intptr_t INT_PTR; typedef uintptr_t UINT_PTR;\n"
	"typedef uint16_t WCHAR; typedef unsigned char boolean, byte;\n"
	"typedef uint32_t ULONG, DWORD; typedef void *handle_t;\n"
	"typedef uint32_t error_status_t; typedef void *RPC_IF_HANDLE;\n"
	"typedef struct _RPC_ASYNC_STATE *PRPC_ASYNC_STATE;\n"
	"typedef struct _RPC_MESSAGE *PRPC_MESSAGE;\n"
	"#define __RPC_USER\n#define __RPC_STUB\n#define STDMETHODCALLTYPE\n"
	"#define CALLBACK\n#define interface struct\n"
	"#define BEGIN_INTERFACE\n#define END_INTERFACE\n#define CONST_VTBL\n"
	"#define DEFINE_GUID(n, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) "
	"extern const struct _GUID n\n"
	"typedef struct IRpcStubBuffer IRpcStubBuffer;\n"
	"typedef struct IRpcChannelBuffer IRpcChannelBuffer;\n";

static const char compile_idl[] =
	"typedef long HRESULT;\n"
	"typedef unsigned long ULONG;\n"
	"typedef struct _GUID { unsigned long d1; } GUID;\n"
	"typedef GUID *REFIID;\n"
	"[object, local, uuid(00000000-0000-0000-C000-000000000046)]\n"
	"interface IUnknown {\n"
	"  HRESULT QueryInterface([in] REFIID riid,\n"
	"                         [out, iid_is(riid)] void **ppv);\n"
	"  ULONG AddRef();\n"
	"  ULONG Release();\n"
	"}\n"
	"[object, uuid(12345678-1234-1234-1234-123456789abe),\n"
	" async_uuid(12345678-1234-1234-1234-123456789abf)]\n"
	"interface IFoo : IUnknown {\n"
	"  typedef struct { long a; [size_is(a)] hyper *p; } S;\n"
	"  HRESULT X([in] S *s, [out] long *b, [in, out] wchar_t *c);\n"
	"}\n"
	"[uuid(7a98c250-6808-11cf-b73b-00aa00b677a9), version(2.1)]\n"
	"interface R {\n"
	"  typedef [context_handle] void *CTX;\n"
	"  typedef union U switch (small k) { case 1: long x; } U;\n"
	"  error_status_t Open([in] handle_t h, [out] CTX *c, [in] U *u);\n"
	"  void Fire([in] handle_t h, [in] byte b, [in] boolean f);\n"
	"}\n";

TEST(gcc_compiles_generated_header)
{
	put("rpc.h", mini_rpc_h);
	put("rpcndr.h", "\n");
	put("c.idl", compile_idl);
	put("c.acf", "interface R { [async] Fire(); }\n");
	put("c.c", "#define COM_NO_WINDOWS_H\n#define COBJMACROS\n"
	    "#include \"c.h\"\n"
	    "static void use(IFoo *f, AsyncIFoo *a, R_v2_1_epv_t *e)\n"
	    "{\n"
	    "\tINT32 b; WCHAR c = 0;\n"
	    "\tIFoo_X(f, 0, &b, &c);\n"
	    "\tAsyncIFoo_Begin_X(a, 0, &c);\n"
	    "\tAsyncIFoo_Finish_X(a, &b, &c);\n"
	    "\te->Fire(0, 0, 1, 0);\n"
	    "\tFire(0, 0, 1, 0);\n"
	    "\t(void)R_v2_1_c_ifspec;\n"
	    "}\n"
	    "void (*keep)(IFoo *, AsyncIFoo *, R_v2_1_epv_t *) = use;\n");
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp -h c.h c.idl%s%s",
			"", ""));
	ASSERT_EQ(0, sh("cd %s && gcc -std=gnu11 -Wall -Werror -fsyntax-only "
			"-I. c.c%s%s", "", ""));
	/* And the header must be able to fail: a use that does not fit. */
	put("bad.c", "#define COM_NO_WINDOWS_H\n#include \"c.h\"\n"
	    "void f(void) { Fire(0, 0); }\n");
	ASSERT_NE(0, sh("cd %s && gcc -fsyntax-only -I. bad.c 2>/dev/null%s%s",
			"", ""));
}

TEST(out_dir_and_write_errors)
{
	put("o.idl", "typedef long T;\n");
	ASSERT_EQ(0, sh("cd %s && mkdir -p od && " QRPC_IDL_BIN
			" --no-cpp -o od -h o.h o.idl && test -s od/o.h && "
			"test ! -e o.h%s%s", "", ""));
	/* No temporary file is left beside it. */
	ASSERT_EQ(0, sh("cd %s && test $(ls od | wc -l) = 1%s%s", "", ""));
	/* A directory that does not exist: a diagnostic, status 1. */
	ASSERT_EQ(1, sh("cd %s && " QRPC_IDL_BIN " --no-cpp -o nodir -h o.h "
			"o.idl 2>err.txt%s%s", "", ""));
	ASSERT_EQ(0, sh("cd %s && grep -q \"cannot create 'nodir/o.h'\" "
			"err.txt%s%s", "", ""));
}

/*
 * Headers of RPC interfaces need only qrpc's <rpc.h>, <rpcndr.h> and
 * <rpcasync.h> (libshim/include/msrpc, installed for pkg-config
 * qrpc-msrpc): as C with -pedantic and as C++, and RPC_ASYNC_STATE has
 * Windows' x64 layout.
 */
TEST(qrpc_msrpc_headers_suffice)
{
	put("q.idl",
	    "[uuid(7a98c250-6808-11cf-b73b-00aa00b677a9), version(1.0)]\n"
	    "interface Q {\n"
	    "  typedef long ARRAY_TYPE[];\n"
	    "  typedef [context_handle] void *CTX;\n"
	    "  typedef struct { small s; hyper h; wchar_t w; byte b;\n"
	    "                   boolean f; error_status_t e; } S;\n"
	    "  [message] void Show([in, string] char *p);\n"
	    "  [message] void Arr([in, size_is(n)] ARRAY_TYPE a, [in] int n);\n"
	    "  [maybe] void Hint([in] S *s);\n"
	    "  void Later([in] handle_t h, [in] unsigned long d);\n"
	    "  error_status_t Open([in] handle_t h, [out] CTX *c);\n"
	    "}\n");
	put("q.acf", "interface Q { [async] Later(); }\n");
	put("q.c", "#include \"q.h\"\n"
	    "#include <stddef.h>\n"
	    "_Static_assert(sizeof(INT32) == 4 && sizeof(UINT64) == 8 &&\n"
	    "  sizeof(WCHAR) == 2 && sizeof(hyper) == 8 &&\n"
	    "  sizeof(small) == 1 && sizeof(ULONG) == 4, \"MIDL's sizes\");\n"
	    "_Static_assert(sizeof(RPC_ASYNC_STATE) == 112 &&\n"
	    "  offsetof(RPC_ASYNC_STATE, Event) == 40 &&\n"
	    "  offsetof(RPC_ASYNC_STATE, u) == 48 &&\n"
	    "  offsetof(RPC_ASYNC_STATE, Reserved) == 80, \"x64 layout\");\n"
	    "_Static_assert(RPC_S_ASYNC_CALL_PENDING == 997 &&\n"
	    "  RPC_S_INVALID_ASYNC_HANDLE == 1914 &&\n"
	    "  RpcNotificationTypeCallback == 5, \"Windows values\");\n"
	    "void f(PRPC_ASYNC_STATE st, CTX c)\n"
	    "{\n"
	    "\tLater(st, 0, 5);\n"
	    "\tShow((char *)\"x\");\n"
	    "\tOpen(0, &c);\n"
	    "\t(void)Q_v1_0_c_ifspec;\n"
	    "}\n");
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp -h q.h q.idl%s%s",
			"", ""));
	ASSERT_EQ(0, sh("cd %s && gcc -std=c11 -pedantic -Wall -Wextra -Werror "
			"-fsyntax-only -I%s q.c%s", QRPC_MSRPC_INC, ""));
	ASSERT_EQ(0, sh("cd %s && sed 's/_Static_assert/static_assert/' q.c "
			">q.cc && g++ -std=c++11 -Wall -Wextra -Werror "
			"-fsyntax-only -I%s q.cc%s", QRPC_MSRPC_INC, ""));
}

/* The examples of the issue, against Wine's rpc.h when it is here. */
static const char *wine_dir(void)
{
	static char path[512];
	const char *bin = QRPC_IDL_BIN, *s = strstr(bin, "/bin/qrpc-idl");
	const char *cache = getenv("QRPC_CACHE");
	struct stat st;

	/* Where tools/scripts/idl-corpus/idl-corpus fetch puts it. */
	if (cache && *cache)
		snprintf(path, sizeof(path),
			 "%s/idl-corpus/libwine-dev/usr/include/wine/wine",
			 cache);
	else if (s)
		snprintf(path, sizeof(path),
			 "%.*s/cache/idl-corpus/libwine-dev/usr/include/wine/wine",
			 (int)(s - bin), bin);
	else
		return NULL;
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	return path;
}

TEST(wine_rpc_h_async_and_message)
{
	const char *w = wine_dir();
	char flags[1400];

	if (!w)
		SKIP(return, "no Wine headers (idl-corpus fetch)");
	put("a.idl", async_idl);
	put("a.acf", "interface AsyncRPC { [async] AsyncFunc(); }\n");
	put("m.idl",
	    "[uuid(7a98c250-6808-11cf-b73b-00aa00b677aa), version(1.0)]\n"
	    "interface Msg {\n"
	    "  typedef long ARRAY_TYPE[];\n"
	    "  [message] void DisplayString([in, string] char *p1);\n"
	    "  [message] void VarDataArray(\n"
	    "      [in, size_is(iSize)] ARRAY_TYPE lpMyArray,\n"
	    "                              [in] int iSize,\n"
	    "                              [in] unsigned long ulChksum);\n"
	    "}\n");
	put("w.c", "#include \"a.h\"\n#include \"m.h\"\n"
	    "void f(PRPC_ASYNC_STATE s)\n"
	    "{\n"
	    "\tAsyncFunc(s, 0, 5);\n"
	    "\tNonAsyncFunc(0, (unsigned char *)\"x\");\n"
	    "\tDisplayString((unsigned char *)\"x\");\n"
	    "}\n");
	ASSERT_EQ(0, sh("cd %s && " QRPC_IDL_BIN " --no-cpp -h a.h a.idl && "
			QRPC_IDL_BIN " --no-cpp -h m.h m.idl%s%s", "", ""));
	snprintf(flags, sizeof(flags),
		 "-D_WIN32 -DWIN32 -D_WIN64 -DWIN64 -fshort-wchar -fno-builtin "
		 "-I %s/windows -I %s/msvcrt", w, w);
	ASSERT_EQ(0, sh("cd %s && gcc -fsyntax-only -x c -Wno-pointer-sign "
			"-I. %s w.c%s", flags, ""));
}

TEST_HARNESS_MAIN
