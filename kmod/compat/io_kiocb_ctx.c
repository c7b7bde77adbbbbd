// SPDX-License-Identifier: GPL-2.0
/*
 * A uring_cmd's request shows its ring and the task that owns it (6.1):
 * the exit monitor watches those where parked commands cannot be
 * cancelled by io_uring itself.
 */
#include "probe_io_uring.h"
#include <linux/io_uring_types.h>
#include <linux/percpu-refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

bool probe(struct io_uring_cmd *cmd);
bool probe(struct io_uring_cmd *cmd)
{
	struct io_kiocb *req = cmd_to_io_kiocb(cmd);

	return percpu_ref_is_dying(&req->ctx->refs) || req->task->in_execve ||
	       (READ_ONCE(req->task->signal->flags) & SIGNAL_GROUP_EXIT);
}
