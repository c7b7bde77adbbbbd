// SPDX-License-Identifier: GPL-2.0
/*
 * libqrpc-msrpc's [async] calls in the guest, both sides: the handle's
 * initialisation, each notification type (none: poll; an eventfd for an
 * Event; a callback; Ioc records on a pipe), a manager that completes
 * at once, later from another thread, aborts, raises, or waits for a
 * cancel, and both kinds of cancel.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "msrpc_calc.h"
#include "helpers.h"
#include "kselftest_harness.h"

/*
 * Slow's manager, by x: 1 completes at once (x + 1, twice = 2x); 2
 * completes from another thread once the test posts "go"; 3 aborts with
 * 4321 from another thread; 4 waits for the client's cancel (3 s at
 * most) and aborts with RPC_S_CALL_CANCELLED; 5 raises 777.
 */
static sem_t go, entered;

struct later {
	PRPC_ASYNC_STATE p;
	INT32 x, *twice;
};

static void *finish_later(void *arg)
{
	struct later *l = arg;
	INT32 r = l->x + 1;

	if (l->x == 2) {
		sem_post(&entered);	/* the manager holds the call now */
		sem_wait(&go);
		*l->twice = 2 * l->x;
		RpcAsyncCompleteCall(l->p, &r);
	} else if (l->x == 3) {
		RpcAsyncAbortCall(l->p, 4321);
	} else {
		/*
		 * A call cancelled before it reached the module arrives
		 * with no cancel to see: it ends on its own after a while,
		 * since the server's stop waits for every [async] call.
		 */
		for (int i = 0; i < 3000 &&
		     RpcServerTestCancel(RpcAsyncGetCallHandle(l->p)) !=
		     RPC_S_OK; i++)
			usleep(1000);
		RpcAsyncAbortCall(l->p, RPC_S_CALL_CANCELLED);
	}
	free(l);
	return NULL;
}

static void manager(PRPC_ASYNC_STATE p, INT32 x, INT32 *twice)
{
	struct later *l;
	pthread_t t;
	INT32 r = x + 1;

	if (x == 1) {
		*twice = 2 * x;
		RpcAsyncCompleteCall(p, &r);
		return;
	}
	if (x == 5)
		RpcRaiseException(777);
	l = malloc(sizeof(*l));
	l->p = p;
	l->x = x;
	l->twice = twice;
	pthread_create(&t, NULL, finish_later, l);
	pthread_detach(t);
}

FIXTURE(as) {
	char name[QRPC_NAME_MAX];
	RPC_BINDING_HANDLE h;
	RPC_ASYNC_STATE st;
};

FIXTURE_SETUP(as)
{
	static const RPC_POLICY temporary = { sizeof(RPC_POLICY), 0, 0 };
	char s[96];

	sem_init(&go, 0, 0);
	sem_init(&entered, 0, 0);
	slow_manager = manager;
	t_port_name(self->name, "as");
	ASSERT_EQ(RPC_S_OK,
		  RpcServerUseProtseqEpExA((RPC_CSTR)"ncadg_mq", 10,
					   (RPC_CSTR)self->name, NULL,
					   (PRPC_POLICY)&temporary));
	ASSERT_EQ(RPC_S_OK, RpcServerRegisterIf((RPC_IF_HANDLE)&calc_if, NULL,
						NULL));
	ASSERT_EQ(RPC_S_OK, RpcServerListen(2, 10, 1));
	snprintf(s, sizeof(s), "ncalrpc:[%s]", self->name);
	ASSERT_EQ(RPC_S_OK, RpcBindingFromStringBinding((RPC_CSTR)s, &self->h));
	ASSERT_EQ(RPC_S_OK, RpcAsyncInitializeHandle(&self->st, sizeof(self->st)));
}

FIXTURE_TEARDOWN(as)
{
	RpcBindingFree(&self->h);
	RpcMgmtStopServerListening(NULL);
}

/* Start Slow(x); the stub's exception, if it raised one, or 0. */
static RPC_STATUS start(RPC_ASYNC_STATE *st, RPC_BINDING_HANDLE h, INT32 x,
			INT32 *twice)
{
	volatile RPC_STATUS code = RPC_S_OK;

	RpcTryExcept {
		Calc_Slow(st, h, x, twice);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		code = RpcExceptionCode();
	} RpcEndExcept
	return code;
}

/* Complete, waiting (by polling the status) until it is done. */
static RPC_STATUS finish(RPC_ASYNC_STATE *st, INT32 *r)
{
	while (RpcAsyncGetCallStatus(st) == RPC_S_ASYNC_CALL_PENDING)
		usleep(1000);
	return RpcAsyncCompleteCall(st, r);
}

TEST(handles_are_initialized_as_windows_does)
{
	RPC_ASYNC_STATE st;

	memset(&st, 0xa5, sizeof(st));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcAsyncInitializeHandle(&st, sizeof(st) - 1));
	EXPECT_EQ(RPC_S_INVALID_ASYNC_HANDLE, RpcAsyncInitializeHandle(NULL, sizeof(st)));
	ASSERT_EQ(RPC_S_OK, RpcAsyncInitializeHandle(&st, sizeof(st)));
	EXPECT_EQ(sizeof(st), st.Size);
	EXPECT_EQ(0x43595341u, st.Signature);
	EXPECT_EQ(0, st.Lock);
	/* The program's fields are left alone. */
	EXPECT_EQ((void *)0xa5a5a5a5a5a5a5a5ULL, st.UserInfo);
	EXPECT_EQ(RPC_S_INVALID_ASYNC_HANDLE, RpcAsyncGetCallStatus(&st));
	EXPECT_EQ(RPC_S_INVALID_ASYNC_HANDLE, RpcAsyncCompleteCall(&st, NULL));
	EXPECT_EQ(RPC_S_INVALID_ASYNC_HANDLE, RpcAsyncCancelCall(&st, 1));
	EXPECT_EQ(RPC_S_INVALID_ASYNC_HANDLE, RpcAsyncAbortCall(&st, 5));
}

TEST_F(as, polled_until_done)
{
	INT32 twice = 0, r = 0;

	self->st.NotificationType = RpcNotificationTypeNone;
	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 2, &twice));
	/* The manager waits for "go": pending, for sure. */
	EXPECT_EQ(RPC_S_ASYNC_CALL_PENDING, RpcAsyncGetCallStatus(&self->st));
	EXPECT_EQ(RPC_S_ASYNC_CALL_PENDING, RpcAsyncCompleteCall(&self->st, &r));
	sem_post(&go);
	EXPECT_EQ(RPC_S_OK, finish(&self->st, &r));
	EXPECT_EQ(3, r);
	EXPECT_EQ(4, twice);
	/* Completed: the handle holds no call any more. */
	EXPECT_EQ(RPC_S_INVALID_ASYNC_HANDLE, RpcAsyncGetCallStatus(&self->st));
}

TEST_F(as, completed_by_the_manager_at_once)
{
	INT32 twice = 0, r = 0;

	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 1, &twice));
	EXPECT_EQ(RPC_S_OK, finish(&self->st, &r));
	EXPECT_EQ(2, r);
	EXPECT_EQ(2, twice);
}

TEST_F(as, an_event_is_an_eventfd)
{
	INT32 twice = 0, r = 0;
	uint64_t n = 0;
	int efd = eventfd(0, EFD_CLOEXEC);

	ASSERT_LE(0, efd);
	self->st.NotificationType = RpcNotificationTypeEvent;
	self->st.u.hEvent = (HANDLE)(intptr_t)efd;
	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 2, &twice));
	sem_post(&go);
	ASSERT_EQ(sizeof(n), read(efd, &n, sizeof(n)));	/* blocks until done */
	EXPECT_EQ(1, n);
	EXPECT_EQ(RPC_S_OK, RpcAsyncGetCallStatus(&self->st));
	EXPECT_EQ(RPC_S_OK, RpcAsyncCompleteCall(&self->st, &r));
	EXPECT_EQ(3, r);
	close(efd);
}

static sem_t called;
static RPC_ASYNC_EVENT called_event = (RPC_ASYNC_EVENT)-1;
static PRPC_ASYNC_STATE called_state;

static void RPC_ENTRY on_done(PRPC_ASYNC_STATE p, void *ctx,
			      RPC_ASYNC_EVENT e)
{
	(void)ctx;
	called_state = p;
	called_event = e;
	sem_post(&called);
}

TEST_F(as, a_callback_runs_when_done)
{
	INT32 twice = 0, r = 0;

	sem_init(&called, 0, 0);
	self->st.NotificationType = RpcNotificationTypeCallback;
	self->st.u.NotificationRoutine = on_done;
	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 2, &twice));
	sem_post(&go);
	sem_wait(&called);
	EXPECT_EQ(&self->st, called_state);
	EXPECT_EQ(RpcCallComplete, called_event);
	EXPECT_EQ(RPC_S_OK, RpcAsyncCompleteCall(&self->st, &r));
	EXPECT_EQ(4, twice);
}

TEST_F(as, ioc_completions_are_records_on_a_pipe)
{
	QRPC_IOC_COMPLETION rec;
	INT32 twice = 0, r = 0;
	int fds[2], overlapped;

	ASSERT_EQ(0, pipe(fds));
	self->st.NotificationType = RpcNotificationTypeIoc;
	self->st.u.IOC.hIOPort = (HANDLE)(intptr_t)fds[1];
	self->st.u.IOC.dwCompletionKey = 77;
	self->st.u.IOC.lpOverlapped = (struct _OVERLAPPED *)&overlapped;
	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 2, &twice));
	sem_post(&go);
	ASSERT_EQ(sizeof(rec), read(fds[0], &rec, sizeof(rec)));
	EXPECT_EQ(77, rec.CompletionKey);
	EXPECT_EQ((void *)&overlapped, (void *)rec.Overlapped);
	EXPECT_EQ(&self->st, rec.Async);
	EXPECT_EQ(RPC_S_OK, RpcAsyncCompleteCall(&self->st, &r));
	EXPECT_EQ(3, r);
	close(fds[0]);
	close(fds[1]);
}

TEST_F(as, aborts_and_exceptions_are_the_calls_result)
{
	INT32 twice = 0, r = 0;

	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 3, &twice));
	EXPECT_EQ(4321, finish(&self->st, &r));
	ASSERT_EQ(RPC_S_OK, RpcAsyncInitializeHandle(&self->st, sizeof(self->st)));
	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 5, &twice));
	EXPECT_EQ(777, finish(&self->st, &r));
}

TEST_F(as, cancels)
{
	INT32 twice = 0, r = 0;

	/* Not abortive: the server sees it and ends the call. */
	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 4, &twice));
	EXPECT_EQ(RPC_S_OK, RpcAsyncCancelCall(&self->st, FALSE));
	EXPECT_EQ(RPC_S_CALL_CANCELLED, finish(&self->st, &r));
	/* Abortive: over at once, whatever the server does. */
	ASSERT_EQ(RPC_S_OK, RpcAsyncInitializeHandle(&self->st, sizeof(self->st)));
	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 4, &twice));
	EXPECT_EQ(RPC_S_OK, RpcAsyncCancelCall(&self->st, TRUE));
	EXPECT_EQ(RPC_S_CALL_CANCELLED, RpcAsyncGetCallStatus(&self->st));
	EXPECT_EQ(RPC_S_CALL_CANCELLED, RpcAsyncCompleteCall(&self->st, &r));
	/* APCs and window messages do not exist here. */
	ASSERT_EQ(RPC_S_OK, RpcAsyncInitializeHandle(&self->st, sizeof(self->st)));
	self->st.NotificationType = RpcNotificationTypeApc;
	EXPECT_EQ(RPC_S_CANNOT_SUPPORT, start(&self->st, self->h, 1, &twice));
}

/*
 * Without io_uring a thread of its own makes an [async] call, and a
 * cancel may come before it reached the module.
 */
TEST_F(as, cancels_without_io_uring)
{
	RPC_BINDING_HANDLE h;
	INT32 twice = 0, r = 0;

	ASSERT_EQ(0, setenv("QRPC_NO_URING", "1", 1));
	ASSERT_EQ(RPC_S_OK, RpcBindingCopy(self->h, &h));
	for (int i = 0; i < 20; i++) {
		BOOL abortive = i & 1;

		ASSERT_EQ(RPC_S_OK, RpcAsyncInitializeHandle(&self->st,
							     sizeof(self->st)));
		ASSERT_EQ(RPC_S_OK, start(&self->st, h, 4, &twice));
		EXPECT_EQ(RPC_S_OK, RpcAsyncCancelCall(&self->st, abortive));
		EXPECT_EQ(RPC_S_CALL_CANCELLED, finish(&self->st, &r));
	}
	RpcBindingFree(&h);
}

/* The server's stop waits for the [async] calls its managers still hold. */
static int stop_returned;

static void *stopper(void *arg)
{
	*(RPC_STATUS *)arg = RpcMgmtStopServerListening(NULL);
	__atomic_store_n(&stop_returned, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

TEST_F(as, a_stop_waits_for_pending_calls)
{
	INT32 twice = 0, r = 0;
	RPC_STATUS st = -1;
	pthread_t t;

	ASSERT_EQ(RPC_S_OK, start(&self->st, self->h, 2, &twice));
	sem_wait(&entered);
	ASSERT_EQ(0, pthread_create(&t, NULL, stopper, &st));
	/* The manager holds the call until "go": the stop must wait. */
	usleep(100 * 1000);
	EXPECT_EQ(0, __atomic_load_n(&stop_returned, __ATOMIC_SEQ_CST));
	sem_post(&go);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(RPC_S_OK, st);
	/* Completed before the workers went: the reply came. */
	EXPECT_EQ(RPC_S_OK, finish(&self->st, &r));
	EXPECT_EQ(3, r);
	EXPECT_EQ(4, twice);
}

TEST_HARNESS_MAIN
