// SPDX-License-Identifier: GPL-2.0
/*
 * libqrpc-msrpc's servers in the guest: RpcServerUseProtseqEp,
 * RpcServerRegisterIf, RpcServerListen, the RPC_MESSAGE a stub gets, a
 * fault raised by a stub or a manager, [message] calls that wait for
 * their interface, a stop from inside a call, and the Windows errors.
 * The stub is written by hand as qrpc-idl will write it; the client is
 * libqrpc's, so that only the server side is under test.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msrpc_calc.h"
#include "helpers.h"
#include "kselftest_harness.h"

static const RPC_POLICY temporary = { sizeof(RPC_POLICY), RPC_C_MQ_TEMPORARY, 0 };

FIXTURE(msrpc) {
	char name[QRPC_NAME_MAX];
	char binding[QRPC_NAME_MAX + 8];
	struct qrpc_binding *b;
};

FIXTURE_SETUP(msrpc)
{
	t_port_name(self->name, "msrpc");
	snprintf(self->binding, sizeof(self->binding), "qrpc:%s", self->name);
	/* A queue without RPC_C_MQ_PERMANENT goes with the server. */
	ASSERT_EQ(RPC_S_OK,
		  RpcServerUseProtseqEpExA((RPC_CSTR)"ncadg_mq",
					   RPC_C_PROTSEQ_MAX_REQS_DEFAULT,
					   (RPC_CSTR)self->name, NULL,
					   (PRPC_POLICY)&temporary));
	ASSERT_EQ(0, qrpc_binding_create(self->binding, &self->b));
}

FIXTURE_TEARDOWN(msrpc)
{
	qrpc_binding_free(self->b);
}

static int call_add(struct qrpc_binding *b, int32_t x, int32_t y,
		    int32_t *r)
{
	int32_t req[2] = { x, y };
	size_t len = 0;
	int ret = qrpc_call(b, &calc_id, 0, req, sizeof(req), r, sizeof(*r),
			    &len);

	return ret == 0 && len != sizeof(*r) ? -EBADMSG : ret;
}

TEST_F(msrpc, calls_reach_the_stub_and_faults_come_back)
{
	int32_t r = 0, bad = 7;

	ASSERT_EQ(RPC_S_OK, RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, NULL,
						NULL));
	ASSERT_EQ(RPC_S_OK, RpcServerListen(1, RPC_C_LISTEN_MAX_CALLS_DEFAULT, 1));
	ASSERT_EQ(0, call_add(self->b, 2, 40, &r));
	EXPECT_EQ(42, r);
	EXPECT_EQ(RPC_S_CALL_IN_PROGRESS, cancel_status);
	EXPECT_EQ(RPC_S_OK, caller_status);
	EXPECT_EQ(getpid(), caller_pid);
	/* The manager's RpcRaiseException is the call's fault. */
	EXPECT_EQ(1234, call_add(self->b, 13, 1, &r));
	/* Bad stub data never reaches the manager. */
	adds = 0;
	EXPECT_EQ(RPC_X_BAD_STUB_DATA,
		  qrpc_call(self->b, &calc_id, 0, &bad, 2, &r, sizeof(r), NULL));
	EXPECT_EQ(0, adds);
	/* Past the interface's last operation. */
	EXPECT_EQ(RPC_S_PROCNUM_OUT_OF_RANGE,
		  qrpc_call(self->b, &calc_id, calc_dispatch.DispatchTableCount,
			    NULL, 0, &r, sizeof(r), NULL));
	/* Outside a call there is none to ask about. */
	EXPECT_EQ(RPC_S_NO_CALL_ACTIVE, RpcServerTestCancel(NULL));
	EXPECT_EQ(RPC_S_OK, RpcMgmtStopServerListening(NULL));
	EXPECT_EQ(RPC_S_NOT_LISTENING, RpcMgmtStopServerListening(NULL));
	EXPECT_EQ(RPC_S_NOT_LISTENING, RpcMgmtWaitServerListen());
	/* Stopped, and started again. */
	ASSERT_EQ(RPC_S_OK, RpcServerListen(2, 4, 1));
	ASSERT_EQ(0, call_add(self->b, 1, 1, &r));
	EXPECT_EQ(2, r);
	EXPECT_EQ(RPC_S_OK, RpcMgmtStopServerListening(NULL));
}

TEST_F(msrpc, messages_wait_for_their_interface)
{
	int32_t n;

	/* The port exists; nothing serves Calc yet. */
	for (n = 1; n <= 5; n++)
		ASSERT_EQ(0, qrpc_call_message(self->b, &calc_id, 1, &n,
					       sizeof(n)));
	usleep(100 * 1000);
	EXPECT_EQ(0, __atomic_load_n(&notes, __ATOMIC_SEQ_CST));
	ASSERT_EQ(RPC_S_OK, RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, NULL,
						NULL));
	ASSERT_EQ(RPC_S_OK, RpcServerListen(1, 10, 1));
	for (int i = 0; i < 500 && __atomic_load_n(&notes, __ATOMIC_SEQ_CST) < 5; i++)
		usleep(10 * 1000);
	EXPECT_EQ(5, __atomic_load_n(&notes, __ATOMIC_SEQ_CST));
	EXPECT_EQ(15, __atomic_load_n(&note_sum, __ATOMIC_SEQ_CST));
	RpcMgmtStopServerListening(NULL);
}

static void *listen_thread(void *arg)
{
	*(RPC_STATUS *)arg = RpcServerListen(1, 10, 0);
	return NULL;
}

TEST_F(msrpc, a_call_may_stop_the_server_that_runs_it)
{
	pthread_t t;
	RPC_STATUS st = -1;
	int32_t r;

	ASSERT_EQ(RPC_S_OK, RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, NULL,
						NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, listen_thread, &st));
	/* Wait until it listens: a call then goes through. */
	for (int i = 0; i < 500 && call_add(self->b, 1, 2, &r); i++)
		usleep(10 * 1000);
	EXPECT_EQ(3, r);
	EXPECT_EQ(0, qrpc_call(self->b, &calc_id, 2, NULL, 0, NULL, 0, NULL));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(RPC_S_OK, st);	/* RpcServerListen returned */
	EXPECT_EQ(RPC_S_NOT_LISTENING, RpcMgmtWaitServerListen());
}

TEST_F(msrpc, unregistered_interfaces_are_not_served)
{
	int32_t r;

	ASSERT_EQ(RPC_S_OK, RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, NULL,
						NULL));
	EXPECT_EQ(RPC_S_TYPE_ALREADY_REGISTERED,
		  RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, NULL, NULL));
	ASSERT_EQ(RPC_S_OK, RpcServerListen(1, 10, 1));
	ASSERT_EQ(0, call_add(self->b, 5, 5, &r));
	EXPECT_EQ(RPC_S_ALREADY_LISTENING, RpcServerListen(1, 10, 1));
	EXPECT_EQ(RPC_S_OK, RpcServerUnregisterIf((RPC_IF_HANDLE)&calc_if, NULL, 1));
	EXPECT_EQ(-ENOTCONN, call_add(self->b, 5, 5, &r));
	EXPECT_EQ(RPC_S_UNKNOWN_IF, RpcServerUnregisterIf((RPC_IF_HANDLE)&calc_if,
							  NULL, 1));
	RpcMgmtStopServerListening(NULL);
}

TEST_F(msrpc, windows_errors)
{
	static RPC_SERVER_INTERFACE no_default;
	UUID type = { 1, 0, 0, { 0 } };
	RPC_POLICY permanent = { sizeof(RPC_POLICY), RPC_C_MQ_PERMANENT, 0 };
	int sd;

	EXPECT_EQ(RPC_S_PROTSEQ_NOT_SUPPORTED,
		  RpcServerUseProtseqEpA((RPC_CSTR)"ncacn_ip_tcp", 10,
					 (RPC_CSTR)"80", NULL));
	EXPECT_EQ(RPC_S_INVALID_RPC_PROTSEQ,
		  RpcServerUseProtseqEpA((RPC_CSTR)"tcp", 10, (RPC_CSTR)"x", NULL));
	EXPECT_EQ(RPC_S_INVALID_ENDPOINT_FORMAT,
		  RpcServerUseProtseqEpA((RPC_CSTR)"ncalrpc", 10,
					 (RPC_CSTR)"a/b", NULL));
	EXPECT_EQ(RPC_S_CANNOT_SUPPORT,
		  RpcServerUseProtseqEpA((RPC_CSTR)"ncalrpc", 10,
					 (RPC_CSTR)"sd", &sd));
	/* The same endpoint again is no error. */
	EXPECT_EQ(RPC_S_OK,
		  RpcServerUseProtseqEpExA((RPC_CSTR)"ncadg_mq", 10,
					   (RPC_CSTR)self->name, NULL, &permanent));
	EXPECT_EQ(RPC_S_UNKNOWN_IF, RpcServerRegisterIf(NULL, NULL, NULL));
	no_default = calc_if;
	no_default.DefaultManagerEpv = NULL;
	EXPECT_EQ(RPC_S_UNKNOWN_MGR_TYPE,
		  RpcServerRegisterIf((RPC_IF_HANDLE)&no_default, NULL, NULL));
	EXPECT_EQ(RPC_S_CANNOT_SUPPORT,
		  RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, &type, NULL));
	EXPECT_EQ(RPC_S_MAX_CALLS_TOO_SMALL, RpcServerListen(5, 2, 1));
	EXPECT_EQ(RPC_S_NOT_LISTENING, RpcMgmtStopServerListening(NULL));
}

TEST(no_endpoint_no_listen)
{
	EXPECT_EQ(RPC_S_NO_PROTSEQS_REGISTERED, RpcServerListen(1, 10, 1));
}

TEST_HARNESS_MAIN
