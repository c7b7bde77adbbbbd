// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: libqrpc-msrpc's structured exceptions (RpcTryExcept,
 * RpcTryFinally, RpcRaiseException; msrpc/except.c).  Catching here and
 * calls away, filters passing an exception on, finally blocks on both
 * paths, raises from handlers, early exits that must pop their frame,
 * threads, and the abort of an exception nobody handles.
 *
 * Nothing here uses ASSERT_* inside a try body: the harness's ASSERT
 * leaves by longjmp(), which would leave the frame behind.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* rpc.h includes rpcexcept.h; naming it too does no harm. */
#include <rpc.h>
#include <rpcexcept.h>

#include "kselftest_harness.h"

/* Set by code that must not run once a raise has left it. */
static volatile int ran_past_raise;

static void raise_code(int32_t code)
{
	RpcRaiseException(code);
}

TEST(catch_in_same_function)
{
	volatile int32_t code = 0;
	volatile int handled = 0;
	unsigned int depth = qrpc__exc_depth();

	RpcTryExcept {
		EXPECT_EQ(depth + 1, qrpc__exc_depth());
		RpcRaiseException(1234);
		ran_past_raise = 1;
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		/* The handler runs with its frame popped. */
		EXPECT_EQ(depth, qrpc__exc_depth());
		code = RpcExceptionCode();
		handled++;
	} RpcEndExcept

	EXPECT_EQ(1234, code);
	EXPECT_EQ(1, handled);
	EXPECT_EQ(0, ran_past_raise);
	EXPECT_EQ(depth, qrpc__exc_depth());
}

TEST(no_exception_skips_handler)
{
	volatile int body = 0, handled = 0;

	RpcTryExcept {
		body = 1;
	} RpcExcept(1) {
		handled = 1;
	} RpcEndExcept;	/* a ';' after it is an empty statement */

	EXPECT_EQ(1, body);
	EXPECT_EQ(0, handled);
	EXPECT_EQ(0, qrpc__exc_depth());
}

static volatile int level_reached;

static void level3(int32_t code)
{
	level_reached = 3;
	raise_code(code);
	ran_past_raise = 1;
}

static void level2(int32_t code)
{
	level_reached = 2;
	level3(code);
	ran_past_raise = 1;
}

static void level1(int32_t code)
{
	level_reached = 1;
	level2(code);
	ran_past_raise = 1;
}

TEST(catch_across_three_calls)
{
	volatile int32_t code = 0;

	RpcTryExcept {
		level1(RPC_S_CALL_FAILED);
		ran_past_raise = 1;
	} RpcExcept(1) {
		code = RpcExceptionCode();
	} RpcEndExcept

	EXPECT_EQ(3, level_reached);
	EXPECT_EQ(RPC_S_CALL_FAILED, code);
	EXPECT_EQ(0, ran_past_raise);
	EXPECT_EQ(0, qrpc__exc_depth());
}

static volatile int filter_calls;

static int count_filter(int verdict)
{
	filter_calls++;
	return verdict;
}

TEST(inner_continue_search_passes_to_outer)
{
	volatile int32_t code = 0;
	volatile int inner_handled = 0, after_inner = 0;

	RpcTryExcept {
		RpcTryExcept {
			raise_code(7);
		} RpcExcept(count_filter(EXCEPTION_CONTINUE_SEARCH)) {
			inner_handled = 1;
		} RpcEndExcept
		after_inner = 1;
	} RpcExcept(count_filter(EXCEPTION_EXECUTE_HANDLER)) {
		code = RpcExceptionCode();
	} RpcEndExcept

	EXPECT_EQ(7, code);
	EXPECT_EQ(2, filter_calls);
	EXPECT_EQ(0, inner_handled);
	EXPECT_EQ(0, after_inner);
	EXPECT_EQ(0, qrpc__exc_depth());
}

/* Catches only 'want'; everything else goes on out. */
static int32_t catch_only(int32_t want, int32_t raised)
{
	volatile int32_t got = -1;

	RpcTryExcept {
		raise_code(raised);
	} RpcExcept(RpcExceptionCode() == want) {
		got = RpcExceptionCode();
	} RpcEndExcept
	return got;
}

TEST(filter_chooses_by_code)
{
	volatile int32_t outer = 0;
	volatile int32_t inner = 0;

	/* The code matches: the inner frame handles it. */
	RpcTryExcept {
		inner = catch_only(RPC_X_BAD_STUB_DATA, RPC_X_BAD_STUB_DATA);
	} RpcExcept(1) {
		outer = RpcExceptionCode();
	} RpcEndExcept
	EXPECT_EQ(RPC_X_BAD_STUB_DATA, inner);
	EXPECT_EQ(0, outer);

	/* It does not: the outer one gets it, and catch_only never returns. */
	inner = 0;
	RpcTryExcept {
		inner = catch_only(RPC_X_BAD_STUB_DATA,
				   RPC_S_SERVER_UNAVAILABLE);
	} RpcExcept(RpcExceptionCode() == RPC_S_SERVER_UNAVAILABLE) {
		outer = RpcExceptionCode();
	} RpcEndExcept
	EXPECT_EQ(0, inner);
	EXPECT_EQ(RPC_S_SERVER_UNAVAILABLE, outer);
	EXPECT_EQ(0, qrpc__exc_depth());
}

TEST(positive_filter_values_handle)
{
	volatile int handled = 0;

	RpcTryExcept {
		raise_code(3);
	} RpcExcept(42) {
		handled = 1;
	} RpcEndExcept
	EXPECT_EQ(1, handled);
}

TEST(nearest_frame_names_the_code)
{
	volatile int32_t before = 0, inner = 0, after = 0;

	RpcTryExcept {
		raise_code(1);
	} RpcExcept(1) {
		before = RpcExceptionCode();
		RpcTryExcept {
			raise_code(2);
		} RpcExcept(1) {
			inner = RpcExceptionCode();
		} RpcEndExcept
		after = RpcExceptionCode();
	} RpcEndExcept

	EXPECT_EQ(1, before);
	EXPECT_EQ(2, inner);
	EXPECT_EQ(1, after);
}

TEST(finally_on_normal_exit)
{
	volatile int body = 0, ran = 0, abnormal = -1, after = 0;

	RpcTryFinally {
		body = 1;
	} RpcFinally {
		EXPECT_EQ(0, qrpc__exc_depth());
		ran++;
		abnormal = RpcAbnormalTermination();
	} RpcEndFinally
	after = 1;

	EXPECT_EQ(1, body);
	EXPECT_EQ(1, ran);
	EXPECT_EQ(0, abnormal);
	EXPECT_EQ(1, after);
	EXPECT_EQ(0, qrpc__exc_depth());
}

TEST(finally_on_exception_then_propagates)
{
	volatile int ran = 0, abnormal = -1, after_finally = 0;
	volatile int32_t code = 0;

	RpcTryExcept {
		RpcTryFinally {
			level1(9);
			ran_past_raise = 1;
		} RpcFinally {
			ran++;
			abnormal = RpcAbnormalTermination();
		} RpcEndFinally
		after_finally = 1;
	} RpcExcept(1) {
		code = RpcExceptionCode();
	} RpcEndExcept

	EXPECT_EQ(1, ran);
	EXPECT_EQ(1, abnormal);
	EXPECT_EQ(0, after_finally);
	EXPECT_EQ(0, ran_past_raise);
	EXPECT_EQ(9, code);
	EXPECT_EQ(0, qrpc__exc_depth());
}

TEST(nested_finally_blocks_run_inside_out)
{
	volatile int order[3] = { 0, 0, 0 };
	volatile int n = 0;
	volatile int32_t code = 0;

	RpcTryExcept {
		RpcTryFinally {
			RpcTryFinally {
				raise_code(11);
			} RpcFinally {
				order[n++] = 1;
			} RpcEndFinally
		} RpcFinally {
			order[n++] = 2;
		} RpcEndFinally
	} RpcExcept(1) {
		order[n++] = 3;
		code = RpcExceptionCode();
	} RpcEndExcept

	EXPECT_EQ(3, n);
	EXPECT_EQ(1, order[0]);
	EXPECT_EQ(2, order[1]);
	EXPECT_EQ(3, order[2]);
	EXPECT_EQ(11, code);
}

TEST(raise_in_except_body_goes_outward)
{
	volatile int inner_handled = 0;
	volatile int32_t code = 0;

	RpcTryExcept {
		RpcTryExcept {
			raise_code(1);
		} RpcExcept(1) {
			/* Were the frame still there, this would come back. */
			inner_handled++;
			raise_code(2);
		} RpcEndExcept
		ran_past_raise = 1;
	} RpcExcept(1) {
		code = RpcExceptionCode();
	} RpcEndExcept

	EXPECT_EQ(1, inner_handled);
	EXPECT_EQ(2, code);
	EXPECT_EQ(0, ran_past_raise);
	EXPECT_EQ(0, qrpc__exc_depth());
}

TEST(raise_in_finally_body_goes_outward)
{
	volatile int finally_ran = 0;
	volatile int32_t code = 0;

	RpcTryExcept {
		RpcTryFinally {
			raise_code(1);
		} RpcFinally {
			finally_ran++;
			raise_code(5);
		} RpcEndFinally
	} RpcExcept(1) {
		code = RpcExceptionCode();
	} RpcEndExcept
	EXPECT_EQ(1, finally_ran);
	EXPECT_EQ(5, code);

	/* And from a finally block entered normally. */
	finally_ran = 0;
	RpcTryExcept {
		RpcTryFinally {
		} RpcFinally {
			finally_ran++;
			raise_code(6);
		} RpcEndFinally
	} RpcExcept(1) {
		code = RpcExceptionCode();
	} RpcEndExcept
	EXPECT_EQ(1, finally_ran);
	EXPECT_EQ(6, code);
	EXPECT_EQ(0, qrpc__exc_depth());
}

static volatile int stale_handler_ran;

static int return_from_try(void)
{
	RpcTryExcept {
		return 42;
	} RpcExcept(1) {
		stale_handler_ran = 1;
		return -1;
	} RpcEndExcept
	return 0;
}

static int return_from_nested_try(void)
{
	RpcTryFinally {
		RpcTryExcept {
			RpcTryExcept {
				return 43;
			} RpcExcept(1) {
				stale_handler_ran = 1;
			} RpcEndExcept
		} RpcExcept(1) {
			stale_handler_ran = 1;
		} RpcEndExcept
	} RpcFinally {
	} RpcEndFinally
	return 0;
}

static int return_from_handler(void)
{
	RpcTryExcept {
		raise_code(3);
	} RpcExcept(1) {
		return RpcExceptionCode();
	} RpcEndExcept
	return 0;
}

static int return_from_finally(void)
{
	RpcTryFinally {
	} RpcFinally {
		return 44;
	} RpcEndFinally
	return 0;
}

/*
 * A frame left on the stack by an early exit would catch the outer
 * raise (in a function that has returned: a crash at best); the outer
 * handler must get it, and the depth must be as it was.
 */
static void expect_outer_catches(struct __test_metadata *_metadata,
				 unsigned int depth)
{
	unsigned int before = qrpc__exc_depth();
	volatile int32_t code = 0;

	RpcTryExcept {
		raise_code(77);
	} RpcExcept(1) {
		code = RpcExceptionCode();
	} RpcEndExcept
	EXPECT_EQ(depth, before);
	EXPECT_EQ(77, code);
	EXPECT_EQ(0, stale_handler_ran);
	EXPECT_EQ(depth, qrpc__exc_depth());
}

TEST(return_leaves_no_stale_frame)
{
	unsigned int depth = qrpc__exc_depth();

	EXPECT_EQ(42, return_from_try());
	expect_outer_catches(_metadata, depth);
	EXPECT_EQ(43, return_from_nested_try());
	expect_outer_catches(_metadata, depth);
	EXPECT_EQ(3, return_from_handler());
	expect_outer_catches(_metadata, depth);
	EXPECT_EQ(44, return_from_finally());
	expect_outer_catches(_metadata, depth);

	/* The same inside an outer frame that is still active. */
	RpcTryExcept {
		EXPECT_EQ(42, return_from_try());
		EXPECT_EQ(43, return_from_nested_try());
		EXPECT_EQ(depth + 1, qrpc__exc_depth());
	} RpcExcept(1) {
		stale_handler_ran = 1;
	} RpcEndExcept
	expect_outer_catches(_metadata, depth);
}

/*
 * The loops are in functions of their own, away from the harness's
 * macros: gcc's -Wclobbered would flag those macros' locals.
 */
static int break_continue_in_try(volatile int *iterations,
				 volatile int *handled)
{
	volatile int i;

	for (i = 0; i < 10; i++) {
		RpcTryExcept {
			(*iterations)++;
			if (i == 1)
				continue;
			if (i == 2)
				raise_code(2);
			if (i == 4)
				break;
		} RpcExcept(1) {
			(*handled)++;
		} RpcEndExcept
	}
	return i;
}

static int break_continue_in_handler(void)
{
	volatile int i;

	for (i = 0; i < 10; i++) {
		RpcTryExcept {
			raise_code(i);
		} RpcExcept(1) {
			if (RpcExceptionCode() == 0)
				continue;
			break;
		} RpcEndExcept
	}
	return i;
}

/* Leaving a try body early skips the finally block (rpcexcept.h). */
static int break_from_nested_try(volatile int *finally_ran)
{
	volatile int i;

	for (i = 0; i < 10; i++) {
		RpcTryFinally {
			RpcTryExcept {
				if (i == 3)
					break;
			} RpcExcept(1) {
			} RpcEndExcept
		} RpcFinally {
			(*finally_ran)++;
		} RpcEndFinally
	}
	return i;
}

static int break_from_finally(void)
{
	volatile int i;

	for (i = 0; i < 10; i++) {
		RpcTryFinally {
		} RpcFinally {
			if (i == 1)
				break;
		} RpcEndFinally
	}
	return i;
}

static void goto_out_of_try(void)
{
	RpcTryExcept {
		RpcTryFinally {
			goto out;
		} RpcFinally {
		} RpcEndFinally
	} RpcExcept(1) {
		stale_handler_ran = 1;
	} RpcEndExcept
out:
	return;
}

TEST(break_continue_goto_leave_no_stale_frame)
{
	volatile int iterations = 0, handled = 0, finally_ran = 0;

	EXPECT_EQ(4, break_continue_in_try(&iterations, &handled));
	EXPECT_EQ(5, iterations);
	EXPECT_EQ(1, handled);
	expect_outer_catches(_metadata, 0);

	EXPECT_EQ(1, break_continue_in_handler());
	expect_outer_catches(_metadata, 0);

	EXPECT_EQ(3, break_from_nested_try(&finally_ran));
	EXPECT_EQ(3, finally_ran);
	expect_outer_catches(_metadata, 0);

	EXPECT_EQ(1, break_from_finally());
	expect_outer_catches(_metadata, 0);

	goto_out_of_try();
	expect_outer_catches(_metadata, 0);
}

TEST(volatile_local_seen_in_handler)
{
	volatile int v = 0;
	volatile int seen = -1;

	RpcTryExcept {
		v = 5;
		raise_code(1);
	} RpcExcept(v == 5) {
		seen = v;
		v = 6;
	} RpcEndExcept

	EXPECT_EQ(5, seen);
	EXPECT_EQ(6, v);
}

static int unbraced_if_else(void)
{
	volatile int which = 0;
	volatile int c;

	for (c = 0; c < 2; c++) {
		/* No braces round them: each form is one statement. */
		if (c == 0)
			RpcTryExcept {
				raise_code(1);
			} RpcExcept(1) {
				which |= 1;
			} RpcEndExcept
		else
			RpcTryFinally {
				which |= 2;
			} RpcFinally {
				which |= 4;
			} RpcEndFinally
	}
	return which;
}

static int32_t unbraced_bodies(void)
{
	volatile int32_t code = 0;

	/* Without braces inside, as Windows' macros allow. */
	RpcTryExcept
		raise_code(2);
	RpcExcept(1)
		code = RpcExceptionCode();
	RpcEndExcept;
	return code;
}

TEST(each_form_is_one_statement)
{
	EXPECT_EQ(7, unbraced_if_else());
	EXPECT_EQ(2, unbraced_bodies());
	EXPECT_EQ(0, qrpc__exc_depth());
}

#define THREAD_ITERATIONS 50000

struct thread_arg {
	int32_t base;
	int wrong;
	int caught;
};

static void raise_in_finally(int32_t code, volatile int *finally_ran)
{
	RpcTryFinally {
		level1(code);
	} RpcFinally {
		(*finally_ran)++;
	} RpcEndFinally
}

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	volatile int finally_ran = 0;
	volatile int i;

	for (i = 0; i < THREAD_ITERATIONS; i++) {
		int32_t want = a->base + i;
		volatile int32_t got = 0;

		RpcTryExcept {
			RpcTryExcept {
				raise_in_finally(want, &finally_ran);
			} RpcExcept(EXCEPTION_CONTINUE_SEARCH) {
				a->wrong++;
			} RpcEndExcept
		} RpcExcept(1) {
			got = RpcExceptionCode();
		} RpcEndExcept
		if (got == want)
			a->caught++;
		else
			a->wrong++;
		if (qrpc__exc_depth() != 0)
			a->wrong++;
		if (finally_ran != i + 1)
			a->wrong++;
		if ((i & 1023) == 0)
			sched_yield();
	}
	return NULL;
}

/* Meanwhile this thread's stack has its one frame, untouched. */
static int main_thread_frames(void)
{
	volatile int wrong = 0;
	int i;

	RpcTryExcept {
		for (i = 0; i < THREAD_ITERATIONS; i++)
			if (qrpc__exc_depth() != 1)
				wrong++;
	} RpcExcept(1) {
		wrong = -1;
	} RpcEndExcept
	return wrong;
}

TEST(threads_see_only_their_own_codes)
{
	struct thread_arg args[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		args[i].base = (i + 1) * 1000000;
		args[i].wrong = 0;
		args[i].caught = 0;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, thread_main,
					    &args[i]));
	}
	EXPECT_EQ(0, main_thread_frames());
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], NULL));
		EXPECT_EQ(0, args[i].wrong);
		EXPECT_EQ(THREAD_ITERATIONS, args[i].caught);
	}
	EXPECT_EQ(0, qrpc__exc_depth());
}

/*
 * Runs fn in a child whose stderr is a pipe; expects it to die of
 * SIGABRT having written msg.
 */
static void expect_abort(struct __test_metadata *_metadata,
			 void (*fn)(void), const char *msg)
{
	char buf[512];
	size_t len = 0;
	ssize_t n;
	int fd[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(fd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], STDERR_FILENO);
		fn();
		_exit(0);
	}
	close(fd[1]);
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	if (WIFSIGNALED(status)) {
		EXPECT_EQ(SIGABRT, WTERMSIG(status));
	}
	EXPECT_NE(NULL, strstr(buf, msg)) {
		TH_LOG("stderr was: %s", buf);
	}
}

static void unhandled_raise(void)
{
	level1(RPC_S_CALL_FAILED);
}

static void unhandled_negative_raise(void)
{
	RpcRaiseException((int32_t)0xc0000005);
}

static void nobody_takes_it(void)
{
	RpcTryExcept {
		RpcTryFinally {
			raise_code(3);
		} RpcFinally {
		} RpcEndFinally
	} RpcExcept(EXCEPTION_CONTINUE_SEARCH) {
		_exit(1);
	} RpcEndExcept
}

static void raise_from_handler_unhandled(void)
{
	RpcTryExcept {
		raise_code(1);
	} RpcExcept(1) {
		raise_code(8);
	} RpcEndExcept
}

static void continue_execution(void)
{
	RpcTryExcept {
		raise_code(4);
	} RpcExcept(EXCEPTION_CONTINUE_EXECUTION) {
		_exit(1);
	} RpcEndExcept
}

TEST(unhandled_raise_aborts)
{
	expect_abort(_metadata, unhandled_raise,
		     "qrpc-msrpc: unhandled RPC exception 1726 (0x6be)\n");
	expect_abort(_metadata, unhandled_negative_raise,
		     "unhandled RPC exception -1073741819 (0xc0000005)\n");
	expect_abort(_metadata, nobody_takes_it,
		     "qrpc-msrpc: unhandled RPC exception 3 (0x3)\n");
	expect_abort(_metadata, raise_from_handler_unhandled,
		     "qrpc-msrpc: unhandled RPC exception 8 (0x8)\n");
}

TEST(continue_execution_aborts)
{
	expect_abort(_metadata, continue_execution,
		     "EXCEPTION_CONTINUE_EXECUTION is not supported");
}

TEST_HARNESS_MAIN
