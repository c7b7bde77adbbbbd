// SPDX-License-Identifier: MIT
/*
 * The run time of RpcTryExcept and RpcTryFinally (<rpcexcept.h>): each
 * thread's stack of frames, RpcRaiseException(), and what the macros
 * call to push, pop, filter and finish.
 *
 * A raise always jumps to the innermost frame and pops it first; the
 * code there decides (the filter, or the end of a finally block) whether
 * to raise again, which then finds the next frame out.  The functions a
 * raise leaves have no frame on the stack, so it has none to skip, and
 * the chain only ever holds frames of blocks still being executed.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <rpc.h>
#include <rpcexcept.h>

/*
 * The innermost frame of the thread.  A thread only ever reaches its
 * own frames, so there is no lock and nothing atomic.
 */
static _Thread_local struct qrpc__exc_frame *exc_top;

static void __attribute__((__noreturn__)) exc_die(const char *what)
{
	fprintf(stderr, "qrpc-msrpc: %s\n", what);
	abort();
}

void qrpc__exc_push(struct qrpc__exc_frame *f)
{
	f->prev = exc_top;
	f->code = 0;
	f->state = QRPC__EXC_ACTIVE;
	exc_top = f;
}

/*
 * Called at the end of a try body and by the frame's cleanup when its
 * block is left, however it is left; only the first call, if a raise
 * has not popped the frame already, does anything.
 */
void qrpc__exc_pop(struct qrpc__exc_frame *f)
{
	if (f->state != QRPC__EXC_ACTIVE)
		return;
	/*
	 * Blocks end in the reverse order of their start, so an active
	 * frame that ends is the innermost, unless a longjmp() of the
	 * program's own left a try body and its frame behind: going on
	 * would let a later raise jump into a dead stack frame.
	 */
	if (exc_top != f)
		exc_die("exception frame left behind by a longjmp");
	exc_top = f->prev;
	f->state = QRPC__EXC_DONE;
}

void RpcRaiseException(RPC_STATUS code)
{
	struct qrpc__exc_frame *f = exc_top;

	if (!f) {
		/* Windows ends the process; a core dump says where. */
		fprintf(stderr,
			"qrpc-msrpc: unhandled RPC exception %d (0x%x)\n",
			(int)code, (unsigned int)code);
		abort();
	}
	if (f->state != QRPC__EXC_ACTIVE)
		exc_die("exception frame stack corrupted");
	/* Popped before the jump: its handler raising must go outward. */
	exc_top = f->prev;
	f->code = code;
	f->state = QRPC__EXC_RAISED;
	longjmp(f->jb, 1);
}

/*
 * RpcExcept's filter has said what to do with the exception that landed
 * in f, which a raise has popped.
 */
int qrpc__exc_caught(struct qrpc__exc_frame *f, int filter)
{
	char msg[96];

	if (filter > 0)
		return 1;
	if (filter == EXCEPTION_CONTINUE_SEARCH)
		RpcRaiseException(f->code);
	/*
	 * Resuming at the raise needs the raising function's stack, which
	 * longjmp() has already thrown away.
	 */
	snprintf(msg, sizeof(msg),
		 "EXCEPTION_CONTINUE_EXECUTION is not supported (exception %d)",
		 (int)f->code);
	exc_die(msg);
}

/* RpcEndFinally: an exception that ran the finally block goes on. */
void qrpc__exc_end_finally(struct qrpc__exc_frame *f)
{
	if (f->state == QRPC__EXC_RAISED)
		RpcRaiseException(f->code);
}

unsigned int qrpc__exc_depth(void)
{
	const struct qrpc__exc_frame *f;
	unsigned int n = 0;

	for (f = exc_top; f; f = f->prev)
		n++;
	return n;
}
