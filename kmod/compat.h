/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where differences between the kernels qrpc supports are
 * handled.  QRPC_HAVE_* come from compat_probed.h, which Kbuild generates by
 * try-compiling the probes in compat/ against the target kernel's headers: Debian's
 * 6.1 carries backports that a version check would get wrong.
 */
#ifndef QRPC_COMPAT_H
#define QRPC_COMPAT_H

#include "compat_probed.h"

#ifdef QRPC_HAVE_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif

/* The 16-byte command area of the SQE that carried @cmd. */
static inline const void *qrpc_uring_cmd_area(struct io_uring_cmd *cmd)
{
#ifdef QRPC_HAVE_IO_URING_SQE_CMD
	return io_uring_sqe_cmd(cmd->sqe);
#else
	return cmd->cmd;
#endif
}

/*
 * Whether io_uring itself cancels parked commands when their ring goes
 * away.  Without it, parked commands must be completed by watching the
 * task that owns them.
 */
#ifdef QRPC_HAVE_URING_CMD_CANCELABLE
#define QRPC_URING_CAN_CANCEL	true
#define QRPC_URING_IS_CANCEL(issue_flags) ((issue_flags) & IO_URING_F_CANCEL)
#else
#define QRPC_URING_CAN_CANCEL	false
#define QRPC_URING_IS_CANCEL(issue_flags) false
#endif

/*
 * Where io_uring cannot cancel parked commands (6.1), the exit monitor
 * looks at each one's request for what makes later kernels cancel it: its
 * ring being torn down (closed, or its process gone), the task that owns
 * it (the submitter, also for IOSQE_ASYNC; or the SQPOLL thread) in
 * execve(), or its whole process exiting: those wait for all their
 * requests (an SQPOLL thread shares its process's files and waits before
 * they, so the ring, are closed).  A thread that merely exits leaves its
 * requests to the ring, as io_uring does everywhere.
 */
#if !defined(QRPC_HAVE_URING_CMD_CANCELABLE)
#ifndef QRPC_HAVE_IO_KIOCB_CTX
#error "qrpc: this kernel neither cancels uring_cmds nor shows their requests"
#endif
#include <linux/io_uring_types.h>
#include <linux/percpu-refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

static inline bool qrpc_uring_cmd_orphaned(struct io_uring_cmd *cmd)
{
	struct io_kiocb *req = cmd_to_io_kiocb(cmd);

	return percpu_ref_is_dying(&req->ctx->refs) || req->task->in_execve ||
	       (READ_ONCE(req->task->signal->flags) & SIGNAL_GROUP_EXIT);
}
#endif

#include <linux/mm.h>

/* vma->vm_flags became read-only behind accessors in 6.3. */
static inline void qrpc_vm_flags_mod(struct vm_area_struct *vma,
				     vm_flags_t set, vm_flags_t clear)
{
#ifdef QRPC_HAVE_VM_FLAGS_SET
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

#endif /* QRPC_COMPAT_H */
