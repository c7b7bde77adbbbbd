/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small interface, Calc, with its server stub and manager written by
 * hand as qrpc-idl writes them, for the libqrpc-msrpc guest tests:
 * 0 Add(long, long) -> long, 1 Note([message] long), 2 Stop(),
 * 3 [async] Slow([in] long x, [out] long *twice) -> long.  The manager
 * records what it saw in the counters below; Slow's manager is the
 * test's (slow_manager).
 */
#ifndef QRPC_SELFTEST_MSRPC_CALC_H
#define QRPC_SELFTEST_MSRPC_CALC_H

#include <rpc.h>

#include "qrpc.h"
#include "qrpc_marshal.h"

typedef struct {
	INT32 (*Add)(INT32 a, INT32 b);
	void (*Note)(INT32 n);
	void (*Stop)(void);
	void (*Slow)(PRPC_ASYNC_STATE p, INT32 x, INT32 *twice);
} Calc_epv_t;

static int adds, notes, note_sum;
static RPC_STATUS cancel_status, caller_status;
static int32_t caller_pid;

static INT32 add(INT32 a, INT32 b)
{
	adds++;
	cancel_status = RpcServerTestCancel(NULL);
	caller_status = QrpcServerInqCaller(NULL, &caller_pid, NULL, NULL);
	if (a == 13)
		RpcRaiseException(1234);	/* the manager's own fault */
	return a + b;
}

static void note(INT32 n)
{
	__atomic_add_fetch(&notes, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&note_sum, n, __ATOMIC_SEQ_CST);
}

static void stop_server(void)
{
	RpcMgmtStopServerListening(NULL);
}

/* Set by a test that calls Slow. */
static void (*slow_manager)(PRPC_ASYNC_STATE p, INT32 x, INT32 *twice);

static void slow(PRPC_ASYNC_STATE p, INT32 x, INT32 *twice)
{
	slow_manager(p, x, twice);
}

static Calc_epv_t calc_manager = { add, note, stop_server, slow };

static void __RPC_STUB calc_add_stub(PRPC_MESSAGE m)
{
	Calc_epv_t *epv = m->ManagerEpv;
	struct qrpc_dec d;
	struct qrpc_enc e;
	int32_t a, b, r;

	qrpc_dec_init(&d, m->Buffer, m->BufferLength);
	qrpc_dec_i32(&d, &a);
	qrpc_dec_i32(&d, &b);
	if (qrpc_dec_end(&d))
		RpcRaiseException(RPC_X_BAD_STUB_DATA);
	r = epv->Add(a, b);
	m->BufferLength = 4;
	if (I_RpcGetBuffer(m) != RPC_S_OK)
		RpcRaiseException(RPC_S_SERVER_OUT_OF_MEMORY);
	qrpc_enc_init(&e, m->Buffer, m->BufferLength);
	qrpc_enc_i32(&e, r);
	m->BufferLength = (unsigned int)qrpc_enc_len(&e);
}

static void __RPC_STUB calc_note_stub(PRPC_MESSAGE m)
{
	Calc_epv_t *epv = m->ManagerEpv;
	struct qrpc_dec d;
	int32_t n;

	qrpc_dec_init(&d, m->Buffer, m->BufferLength);
	qrpc_dec_i32(&d, &n);
	if (qrpc_dec_end(&d))
		RpcRaiseException(RPC_X_BAD_STUB_DATA);
	epv->Note(n);
}

static void __RPC_STUB calc_stop_stub(PRPC_MESSAGE m)
{
	((Calc_epv_t *)m->ManagerEpv)->Stop();
	m->BufferLength = 0;
}

/* Slow's server half: its [out] value lives beside its async state. */
struct slow_block {
	RPC_ASYNC_STATE state;
	INT32 twice;
};

static RPC_STATUS slow_encode(void *buf, size_t cap, size_t *len,
			      void *stub_info, void *ret)
{
	struct slow_block *b = stub_info;
	struct qrpc_enc e;

	qrpc_enc_init(&e, buf, cap);
	qrpc_enc_i32(&e, *(INT32 *)ret);
	qrpc_enc_i32(&e, b->twice);
	*len = qrpc_enc_len(&e);
	return e.err ? RPC_S_SERVER_OUT_OF_MEMORY : RPC_S_OK;
}

static void slow_release(PRPC_ASYNC_STATE p)
{
	free(p);		/* the block, which starts with the state */
}

static void __RPC_STUB calc_slow_stub(PRPC_MESSAGE m)
{
	Calc_epv_t *epv = m->ManagerEpv;
	struct slow_block *b;
	struct qrpc_dec d;
	RPC_STATUS st;
	int32_t x;

	qrpc_dec_init(&d, m->Buffer, m->BufferLength);
	qrpc_dec_i32(&d, &x);
	if (qrpc_dec_end(&d))
		RpcRaiseException(RPC_X_BAD_STUB_DATA);
	b = calloc(1, sizeof(*b));
	if (!b)
		RpcRaiseException(RPC_S_SERVER_OUT_OF_MEMORY);
	st = QrpcAsyncServerBegin(m, &b->state, slow_encode, slow_release);
	if (st != RPC_S_OK) {
		free(b);
		RpcRaiseException(st);
	}
	b->state.StubInfo = b;
	epv->Slow(&b->state, x, &b->twice);
}

static RPC_DISPATCH_FUNCTION calc_table[] = {
	calc_add_stub, calc_note_stub, calc_stop_stub, calc_slow_stub,
};
static RPC_DISPATCH_TABLE calc_dispatch = { 4, calc_table, 0 };

static const RPC_SERVER_INTERFACE calc_if = {
	.Length = sizeof(RPC_SERVER_INTERFACE),
	.InterfaceId = {
		{ 0x12345678, 0x1234, 0x5678,
		  { 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78 } },
		{ 1, 0 } },
	.DispatchTable = &calc_dispatch,
	.DefaultManagerEpv = &calc_manager,
};

/* The same interface, as libqrpc's clients name it. */
static const struct qrpc_if_id calc_id = {
	.uuid = { 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78,
		  0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78 },
	.major = 1,
};

/*
 * The client side: the interface, with an endpoint attribute the test
 * fills in (a partially bound handle takes it), and the client stubs.
 */
static RPC_PROTSEQ_ENDPOINT calc_endpoints[] = {
	{ (unsigned char *)"ncalrpc", NULL },
};

static RPC_CLIENT_INTERFACE calc_client_if = {
	.Length = sizeof(RPC_CLIENT_INTERFACE),
	.InterfaceId = {
		{ 0x12345678, 0x1234, 0x5678,
		  { 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78 } },
		{ 1, 0 } },
	.RpcProtseqEndpointCount = 1,
	.RpcProtseqEndpoint = calc_endpoints,
};

static inline INT32 Calc_Add(handle_t h, INT32 a, INT32 b)
{
	RPC_MESSAGE m = {
		.Handle = h, .RpcInterfaceInformation = &calc_client_if,
		.ProcNum = 0, .BufferLength = 8,
	};
	struct qrpc_enc e;
	struct qrpc_dec d;
	int32_t r = 0;
	RPC_STATUS st;

	st = I_RpcGetBuffer(&m);
	if (st != RPC_S_OK)
		RpcRaiseException(st);
	qrpc_enc_init(&e, m.Buffer, m.BufferLength);
	qrpc_enc_i32(&e, a);
	qrpc_enc_i32(&e, b);
	st = I_RpcSendReceive(&m);
	if (st == RPC_S_OK) {
		qrpc_dec_init(&d, m.Buffer, m.BufferLength);
		qrpc_dec_i32(&d, &r);
		if (qrpc_dec_end(&d))
			st = RPC_X_BAD_STUB_DATA;
	}
	I_RpcFreeBuffer(&m);
	if (st != RPC_S_OK)
		RpcRaiseException(st);
	return r;
}

static inline void Calc_Note(handle_t h, INT32 n)
{
	RPC_MESSAGE m = {
		.Handle = h, .RpcInterfaceInformation = &calc_client_if,
		.ProcNum = 1, .BufferLength = 4, .RpcFlags = RPCFLG_MESSAGE,
	};
	struct qrpc_enc e;
	RPC_STATUS st;

	st = I_RpcGetBuffer(&m);
	if (st != RPC_S_OK)
		RpcRaiseException(st);
	qrpc_enc_init(&e, m.Buffer, m.BufferLength);
	qrpc_enc_i32(&e, n);
	st = I_RpcSendReceive(&m);
	I_RpcFreeBuffer(&m);
	if (st != RPC_S_OK)
		RpcRaiseException(st);
}

/* Slow's client half: the [out] addresses travel with the handle. */
struct slow_outs {
	INT32 *twice;
};

static inline RPC_STATUS slow_decode(const void *reply, size_t len,
				     void *outs, void *ret)
{
	struct slow_outs *o = outs;
	struct qrpc_dec d;

	qrpc_dec_init(&d, reply, len);
	qrpc_dec_i32(&d, ret);
	qrpc_dec_i32(&d, o->twice);
	return qrpc_dec_end(&d) ? RPC_X_BAD_STUB_DATA : RPC_S_OK;
}

static inline void Calc_Slow(PRPC_ASYNC_STATE p, handle_t h, INT32 x,
			     INT32 *twice)
{
	RPC_MESSAGE m = {
		.Handle = h, .RpcInterfaceInformation = &calc_client_if,
		.ProcNum = 3, .BufferLength = 4, .RpcFlags = RPC_BUFFER_ASYNC,
	};
	struct slow_outs o = { twice };
	struct qrpc_enc e;
	RPC_STATUS st;

	st = I_RpcGetBuffer(&m);
	if (st != RPC_S_OK)
		RpcRaiseException(st);
	qrpc_enc_init(&e, m.Buffer, m.BufferLength);
	qrpc_enc_i32(&e, x);
	st = QrpcAsyncClientCall(&m, p, slow_decode, &o, sizeof(o));
	I_RpcFreeBuffer(&m);
	if (st != RPC_S_OK)
		RpcRaiseException(st);
}

#endif
