// SPDX-License-Identifier: GPL-2.0
/*
 * libqrpc-msrpc's client side in the guest: a client stub's
 * I_RpcGetBuffer, I_RpcSendReceive and I_RpcFreeBuffer against a server
 * of the same process, with the Windows status of each failure raised
 * as the stub raises it, [message] calls through a stub, partially bound
 * handles that take the interface's endpoint, and threads sharing one.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msrpc_calc.h"
#include "helpers.h"
#include "kselftest_harness.h"

FIXTURE(call) {
	char name[QRPC_NAME_MAX];
	RPC_BINDING_HANDLE h;
};

static RPC_STATUS bind_to(const char *fmt, const char *name,
			  RPC_BINDING_HANDLE *h)
{
	char s[128];

	snprintf(s, sizeof(s), fmt, name);
	return RpcBindingFromStringBinding((RPC_CSTR)s, h);
}

FIXTURE_SETUP(call)
{
	static const RPC_POLICY temporary = { sizeof(RPC_POLICY), 0, 0 };

	t_port_name(self->name, "call");
	calc_endpoints[0].Endpoint = (unsigned char *)self->name;
	ASSERT_EQ(RPC_S_OK,
		  RpcServerUseProtseqEpExA((RPC_CSTR)"ncadg_mq", 10,
					   (RPC_CSTR)self->name, NULL,
					   (PRPC_POLICY)&temporary));
	ASSERT_EQ(RPC_S_OK, bind_to("ncalrpc:[%s]", self->name, &self->h));
}

FIXTURE_TEARDOWN(call)
{
	RpcBindingFree(&self->h);
}

/* The stub's call, its exception caught: the status, 0 if none. */
static RPC_STATUS try_add(RPC_BINDING_HANDLE h, INT32 a, INT32 b, INT32 *r)
{
	volatile RPC_STATUS st = RPC_S_OK;

	RpcTryExcept {
		*r = Calc_Add(h, a, b);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		st = RpcExceptionCode();
	} RpcEndExcept
	return st;
}

static void listen_calc(struct __test_metadata *_metadata)
{
	ASSERT_EQ(RPC_S_OK, RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, NULL,
						NULL));
	ASSERT_EQ(RPC_S_OK, RpcServerListen(2, 10, 1));
}

TEST_F(call, stubs_round_trip_and_faults_are_raised)
{
	INT32 r = 0;

	/* The port is there, but nothing serves Calc yet. */
	EXPECT_EQ(RPC_S_SERVER_UNAVAILABLE, try_add(self->h, 1, 2, &r));
	listen_calc(_metadata);
	EXPECT_EQ(RPC_S_OK, try_add(self->h, 20, 22, &r));
	EXPECT_EQ(42, r);
	EXPECT_EQ(1234, try_add(self->h, 13, 0, &r));
	/* The connection is still good after a fault. */
	EXPECT_EQ(RPC_S_OK, try_add(self->h, -5, 2, &r));
	EXPECT_EQ(-3, r);
	RpcMgmtStopServerListening(NULL);
}

TEST_F(call, no_such_port)
{
	RPC_BINDING_HANDLE h;
	INT32 r;

	ASSERT_EQ(RPC_S_OK, bind_to("ncalrpc:[%s-none]", self->name, &h));
	EXPECT_EQ(RPC_S_SERVER_UNAVAILABLE, try_add(h, 1, 2, &r));
	RpcBindingFree(&h);
	/* Not a binding at all. */
	EXPECT_EQ(RPC_S_INVALID_BINDING, try_add(NULL, 1, 2, &r));
}

TEST_F(call, messages_through_the_stub_wait_for_the_server)
{
	volatile RPC_STATUS st = RPC_S_OK;

	RpcTryExcept {
		for (INT32 n = 1; n <= 4; n++)
			Calc_Note(self->h, n * 10);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		st = RpcExceptionCode();
	} RpcEndExcept
	ASSERT_EQ(RPC_S_OK, st);
	listen_calc(_metadata);
	for (int i = 0; i < 500 && __atomic_load_n(&notes, __ATOMIC_SEQ_CST) < 4; i++)
		usleep(10 * 1000);
	EXPECT_EQ(4, __atomic_load_n(&notes, __ATOMIC_SEQ_CST));
	EXPECT_EQ(100, __atomic_load_n(&note_sum, __ATOMIC_SEQ_CST));
	RpcMgmtStopServerListening(NULL);
}

struct worker {
	RPC_BINDING_HANDLE h;
	int ok;
};

static void *adder(void *arg)
{
	struct worker *w = arg;

	for (INT32 i = 0; i < 200; i++) {
		INT32 r = 0;

		/* (13 would fault: see add().) */
		if (try_add(w->h, 1000 + i, i, &r) == RPC_S_OK &&
		    r == 1000 + 2 * i)
			w->ok++;
	}
	return NULL;
}

TEST_F(call, a_partial_binding_takes_the_interface_endpoint)
{
	RPC_BINDING_HANDLE h;
	struct worker w[4];
	pthread_t t[4];
	INT32 r;

	listen_calc(_metadata);
	ASSERT_EQ(RPC_S_OK, RpcBindingFromStringBinding((RPC_CSTR)"ncalrpc:", &h));
	/* Four threads make the first calls on it at once. */
	for (int i = 0; i < 4; i++) {
		w[i].h = h;
		w[i].ok = 0;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, adder, &w[i]));
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(200, w[i].ok);
	}
	RpcBindingFree(&h);
	/* Without an endpoint attribute there is nothing to call. */
	calc_client_if.RpcProtseqEndpointCount = 0;
	ASSERT_EQ(RPC_S_OK, RpcBindingFromStringBinding((RPC_CSTR)"ncalrpc:", &h));
	EXPECT_EQ(RPC_S_NO_ENDPOINT_FOUND, try_add(h, 1, 1, &r));
	RpcBindingFree(&h);
	RpcMgmtStopServerListening(NULL);
}

TEST_HARNESS_MAIN
