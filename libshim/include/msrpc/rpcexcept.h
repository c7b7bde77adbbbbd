/* SPDX-License-Identifier: MIT */
/*
 * <rpcexcept.h> on Linux, from qrpc-msrpc: part of <rpc.h>, which
 * includes it; programs include <rpc.h>.  Windows RPC's structured
 * exceptions, as programs and MIDL-written stubs use them:
 *
 *	RpcTryExcept {
 *		...			(may call RpcRaiseException(code))
 *	} RpcExcept(filter) {		(may use RpcExceptionCode())
 *		...			(RpcExceptionCode() is the code)
 *	} RpcEndExcept
 *
 *	RpcTryFinally {
 *		...
 *	} RpcFinally {
 *		...			(RpcAbnormalTermination())
 *	} RpcEndFinally
 *
 * with RpcRaiseException(), RpcExceptionCode(), RpcAbnormalTermination()
 * and the filter values EXCEPTION_EXECUTE_HANDLER (handle here; any
 * positive value does the same) and EXCEPTION_CONTINUE_SEARCH (pass the
 * exception on to the next enclosing handler).  Each form is one
 * statement; a ';' after RpcEndExcept or RpcEndFinally is an empty one.
 * A raise with no handler on the thread prints the code and aborts, as
 * Windows ends the process.  See RpcTryExcept(3).
 *
 * It is built on setjmp() and longjmp(), with a stack of frames per
 * thread (the frames live in the functions that use the macros; nothing
 * is allocated or locked), so unlike Windows:
 *
 *  - A local variable of the function holding the RpcTryExcept or
 *    RpcTryFinally that the try body changes and that is read after an
 *    exception (in the filter, the handler, the finally block or later)
 *    must be volatile: C leaves a non-volatile one indeterminate after
 *    longjmp() (gcc's -Wclobbered, in -Wextra, may point at some).
 *  - EXCEPTION_CONTINUE_EXECUTION (or any negative filter value) cannot
 *    resume the raise: the process aborts, saying so.
 *  - Only RpcRaiseException() raises.  Hardware faults (SIGSEGV,
 *    SIGFPE, ...) are signals, not exceptions, and no handler sees them;
 *    do not raise from a signal handler either (the signal mask is not
 *    restored).
 *  - Leaving a try body with return, break, continue or goto is allowed
 *    and pops its frame, but does not run an RpcFinally block: only
 *    falling off the end of the body or an exception does.
 *  - In C++, longjmp() skips destructors: no object with a non-trivial
 *    destructor may live between a raise and the handler catching it.
 *
 * Everything named qrpc__exc_* is the run time's, for the macros' use.
 */
#ifndef QRPC_MSRPC_RPCEXCEPT_H
#define QRPC_MSRPC_RPCEXCEPT_H

#include <setjmp.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What an RpcExcept filter returns. */
#define EXCEPTION_EXECUTE_HANDLER	1
#define EXCEPTION_CONTINUE_SEARCH	0
#define EXCEPTION_CONTINUE_EXECUTION	(-1)

/* Where a frame is: on its thread's stack, popped, or popped by a raise. */
enum {
	QRPC__EXC_ACTIVE = 1,
	QRPC__EXC_DONE = 2,
	QRPC__EXC_RAISED = 3,
};

/*
 * One RpcTryExcept or RpcTryFinally, on the stack of the function using
 * it.  code and state change between setjmp() and longjmp(), so they are
 * volatile, as C requires for them to be read after the jump.
 */
struct qrpc__exc_frame {
	jmp_buf jb;
	struct qrpc__exc_frame *prev;
	volatile int32_t code;
	volatile int state;
};

void qrpc__exc_push(struct qrpc__exc_frame *f);
void qrpc__exc_pop(struct qrpc__exc_frame *f);
int qrpc__exc_caught(struct qrpc__exc_frame *f, int filter);
void qrpc__exc_end_finally(struct qrpc__exc_frame *f);
/* For tests only: the number of frames on the calling thread's stack. */
unsigned int qrpc__exc_depth(void);

/* RPC_STATUS is int32_t (<rpc.h>). */
void RpcRaiseException(int32_t code) __attribute__((__noreturn__));

/*
 * The frame's cleanup pops it when the block is left by any path a
 * raise does not take (end of the body, return, break, goto...); the
 * raise pops the frame it jumps to, and the pop of a popped frame does
 * nothing, so a frame leaves the stack exactly once.  Handlers and
 * finally blocks run with their frame popped: a raise there goes out.
 * setjmp() in glibc and musl does not save the signal mask: no system
 * call.
 * A frame nested in another of the same kind in one function shadows
 * its variable, on purpose (RpcExceptionCode() names the nearest), so
 * -Wshadow is silenced for the declaration.
 */
#define QRPC__EXC_FRAME(name)						\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wshadow\"")			\
	struct qrpc__exc_frame name					\
		__attribute__((__cleanup__(qrpc__exc_pop)));		\
	_Pragma("GCC diagnostic pop")

#define RpcTryExcept							\
	{								\
		QRPC__EXC_FRAME(qrpc__exc_f)				\
		qrpc__exc_push(&qrpc__exc_f);				\
		if (setjmp(qrpc__exc_f.jb) == 0) {

/* qrpc__exc_caught() returns only to handle; else it raises again. */
#define RpcExcept(filter)						\
			qrpc__exc_pop(&qrpc__exc_f);			\
		} else if (qrpc__exc_caught(&qrpc__exc_f, (filter))) {

#define RpcEndExcept							\
		}							\
	}

/* Valid in an RpcExcept filter and handler, naming the nearest one's. */
#define RpcExceptionCode() ((int32_t)qrpc__exc_f.code)

#define RpcTryFinally							\
	{								\
		QRPC__EXC_FRAME(qrpc__fin_f)				\
		qrpc__exc_push(&qrpc__fin_f);				\
		if (setjmp(qrpc__fin_f.jb) == 0) {

#define RpcFinally							\
			qrpc__exc_pop(&qrpc__fin_f);			\
		}							\
		{

/* After the finally block, an exception goes on outward. */
#define RpcEndFinally							\
		}							\
		qrpc__exc_end_finally(&qrpc__fin_f);			\
	}

/* Valid in an RpcFinally block: non-zero if an exception left the body. */
#define RpcAbnormalTermination() \
	((int)(qrpc__fin_f.state == QRPC__EXC_RAISED))

#ifdef __cplusplus
}
#endif

#endif
