// SPDX-License-Identifier: GPL-2.0
/*
 * Stubs written by qrpc-idl (-c, -s) from idl/gen.idl, client and server
 * in one process over a port, in the guest: every parameter kind they
 * take so far, faults raised by the manager, a NULL where a pointer must
 * be, [message] and [maybe] calls, and every string copied for a manager
 * freed, however the manager returned.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "helpers.h"
#include "kselftest_harness.h"

/* The program supplies the stubs' allocator, as on Windows. */
static int allocs, frees;

void *__RPC_USER midl_user_allocate(size_t size)
{
	__atomic_add_fetch(&allocs, 1, __ATOMIC_SEQ_CST);
	return malloc(size);
}

void __RPC_USER midl_user_free(void *p)
{
	if (p)
		__atomic_add_fetch(&frees, 1, __ATOMIC_SEQ_CST);
	free(p);
}

/*
 * The manager routines: the procedures' names with the server prefix
 * (--prefix-server=mgr_), since this program is the client too.
 */
static int notes, note_sum, pings;

INT32 mgr_Add(handle_t h, INT32 a, MYLONG b)
{
	(void)h;
	if (a == 13)
		RpcRaiseException(1234);
	return a + b;
}

void mgr_Div(handle_t h, INT64 a, short b, INT64 *q, double *r)
{
	(void)h;
	if (!b)
		RpcRaiseException(RPC_S_ZERO_DIVIDE);
	*q = a / b;
	*r *= 2;
}

UINT32 mgr_Len(handle_t h, char *s)
{
	(void)h;
	if (!strcmp(s, "boom"))
		RpcRaiseException(99);
	return (UINT32)strlen(s);
}

byte mgr_Sum(handle_t h, UINT32 n, byte *data)
{
	byte sum = 0;

	(void)h;
	for (UINT32 i = 0; i < n; i++)
		sum = (byte)(sum + data[i]);
	return sum;
}

void mgr_Note(handle_t h, INT32 n)
{
	(void)h;
	__atomic_add_fetch(&notes, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&note_sum, n, __ATOMIC_SEQ_CST);
}

void mgr_Ping(handle_t h, boolean b)
{
	(void)h;
	if (b)
		__atomic_add_fetch(&pings, 1, __ATOMIC_SEQ_CST);
}

unsigned char mgr_Echo8(handle_t h, unsigned char a, WCHAR w, WCHAR *w2, float f,
		    float *f2)
{
	(void)h;
	*w2 = (WCHAR)(w + 1);
	*f2 = f * 2;
	return (unsigned char)(a + 1);
}

FIXTURE(gen) {
	char name[QRPC_NAME_MAX];
	RPC_BINDING_HANDLE h;
};

FIXTURE_SETUP(gen)
{
	static const RPC_POLICY temporary = { sizeof(RPC_POLICY), 0, 0 };
	char s[96];

	t_port_name(self->name, "gen");
	ASSERT_EQ(RPC_S_OK,
		  RpcServerUseProtseqEpExA((RPC_CSTR)"ncadg_mq", 10,
					   (RPC_CSTR)self->name, NULL,
					   (PRPC_POLICY)&temporary));
	ASSERT_EQ(RPC_S_OK, RpcServerRegisterIf(Gen_v1_0_s_ifspec, NULL, NULL));
	ASSERT_EQ(RPC_S_OK, RpcServerListen(2, 10, 1));
	snprintf(s, sizeof(s), "ncalrpc:[%s]", self->name);
	ASSERT_EQ(RPC_S_OK, RpcBindingFromStringBinding((RPC_CSTR)s, &self->h));
}

FIXTURE_TEARDOWN(gen)
{
	RpcBindingFree(&self->h);
	RpcMgmtStopServerListening(NULL);
}

/*
 * Each call in a function of its own, its exception caught: the status,
 * RPC_S_OK if none (the results go through pointers, so that no local
 * of the function that catches changes between setjmp and longjmp).
 */
static RPC_STATUS try_add(handle_t h, INT32 a, INT32 b, INT32 *r)
{
	volatile RPC_STATUS c = RPC_S_OK;

	RpcTryExcept {
		*r = Add(h, a, b);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		c = RpcExceptionCode();
	} RpcEndExcept
	return c;
}

static RPC_STATUS try_div(handle_t h, INT64 a, short b, INT64 *q, double *r)
{
	volatile RPC_STATUS c = RPC_S_OK;

	RpcTryExcept {
		Div(h, a, b, q, r);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		c = RpcExceptionCode();
	} RpcEndExcept
	return c;
}

static RPC_STATUS try_len(handle_t h, const char *s, UINT32 *r)
{
	volatile RPC_STATUS c = RPC_S_OK;

	RpcTryExcept {
		*r = Len(h, (char *)s);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		c = RpcExceptionCode();
	} RpcEndExcept
	return c;
}

static RPC_STATUS try_sum(handle_t h, UINT32 n, byte *data, byte *r)
{
	volatile RPC_STATUS c = RPC_S_OK;

	RpcTryExcept {
		*r = Sum(h, n, data);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		c = RpcExceptionCode();
	} RpcEndExcept
	return c;
}

static RPC_STATUS try_echo(handle_t h, unsigned char a, WCHAR w, WCHAR *w2,
			   float f, float *f2, unsigned char *r)
{
	volatile RPC_STATUS c = RPC_S_OK;

	RpcTryExcept {
		*r = Echo8(h, a, w, w2, f, f2);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		c = RpcExceptionCode();
	} RpcEndExcept
	return c;
}

static RPC_STATUS try_note(handle_t h, INT32 n, boolean ping)
{
	volatile RPC_STATUS c = RPC_S_OK;

	RpcTryExcept {
		if (ping)
			Ping(h, 1);
		else
			Note(h, n);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		c = RpcExceptionCode();
	} RpcEndExcept
	return c;
}

TEST_F(gen, values_out_parameters_and_faults)
{
	INT64 q = 0;
	double r = 1.25;
	WCHAR w2 = 0;
	float f2 = 0;
	INT32 sum = 0;
	unsigned char c = 0;

	EXPECT_EQ(RPC_S_OK, try_add(self->h, 40, 2, &sum));
	EXPECT_EQ(42, sum);
	EXPECT_EQ(RPC_S_OK, try_add(self->h, -7, -8, &sum));
	EXPECT_EQ(-15, sum);
	EXPECT_EQ(1234, try_add(self->h, 13, 0, &sum));
	EXPECT_EQ(RPC_S_OK, try_div(self->h, -9000000000000LL, 3, &q, &r));
	EXPECT_EQ(-3000000000000LL, q);
	EXPECT_EQ(2.5, r);
	EXPECT_EQ(RPC_S_ZERO_DIVIDE, try_div(self->h, 1, 0, &q, &r));
	/* A ref pointer may not be NULL: the client stub says so. */
	EXPECT_EQ(RPC_X_NULL_REF_POINTER, try_div(self->h, 1, 1, NULL, &r));
	EXPECT_EQ(RPC_S_OK, try_echo(self->h, 254, 0xfffe, &w2, 1.5f, &f2, &c));
	EXPECT_EQ(255, c);
	EXPECT_EQ(0xffff, w2);
	EXPECT_EQ(3.0f, f2);
}

TEST_F(gen, strings_and_byte_arrays)
{
	static byte data[65536];
	char *big = malloc(5001);
	UINT32 len = 0;
	byte sum = 0, want = 0;

	ASSERT_NE(NULL, big);
	memset(big, 'x', 5000);
	big[5000] = '\0';
	EXPECT_EQ(RPC_S_OK, try_len(self->h, "hello", &len));
	EXPECT_EQ(5, len);
	EXPECT_EQ(RPC_S_OK, try_len(self->h, big, &len));
	EXPECT_EQ(5000, len);
	EXPECT_EQ(RPC_S_OK, try_len(self->h, "", &len));
	EXPECT_EQ(0, len);
	EXPECT_EQ(99, try_len(self->h, "boom", &len));
	EXPECT_EQ(RPC_X_NULL_REF_POINTER, try_len(self->h, NULL, &len));
	/* Each string copied for the manager was freed, the raise too. */
	EXPECT_EQ(4, __atomic_load_n(&allocs, __ATOMIC_SEQ_CST));
	EXPECT_EQ(4, __atomic_load_n(&frees, __ATOMIC_SEQ_CST));
	for (size_t i = 0; i < sizeof(data); i++) {
		data[i] = (byte)(i * 7);
		want = (byte)(want + data[i]);
	}
	EXPECT_EQ(RPC_S_OK, try_sum(self->h, sizeof(data), data, &sum));
	EXPECT_EQ(want, sum);
	EXPECT_EQ(RPC_S_OK, try_sum(self->h, 0, data, &sum));
	EXPECT_EQ(0, sum);
	free(big);
}

TEST_F(gen, one_way_calls)
{
	for (INT32 n = 1; n <= 3; n++)
		EXPECT_EQ(RPC_S_OK, try_note(self->h, n, 0));
	EXPECT_EQ(RPC_S_OK, try_note(self->h, 0, 1));
	for (int i = 0; i < 500 && (__atomic_load_n(&notes, __ATOMIC_SEQ_CST) < 3 ||
				    !__atomic_load_n(&pings, __ATOMIC_SEQ_CST)); i++)
		usleep(10 * 1000);
	EXPECT_EQ(3, __atomic_load_n(&notes, __ATOMIC_SEQ_CST));
	EXPECT_EQ(6, __atomic_load_n(&note_sum, __ATOMIC_SEQ_CST));
	/* A [maybe] may be dropped, but not here, with a server listening. */
	EXPECT_EQ(1, __atomic_load_n(&pings, __ATOMIC_SEQ_CST));
}

TEST_F(gen, no_server_is_an_exception)
{
	RPC_BINDING_HANDLE h;
	INT32 r;
	char s[96];

	snprintf(s, sizeof(s), "ncalrpc:[%s-gone]", self->name);
	ASSERT_EQ(RPC_S_OK, RpcBindingFromStringBinding((RPC_CSTR)s, &h));
	EXPECT_EQ(RPC_S_SERVER_UNAVAILABLE, try_add(h, 1, 2, &r));
	RpcBindingFree(&h);
}

TEST_HARNESS_MAIN
