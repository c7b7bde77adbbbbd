// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: the IORING_OP_URING_CMD entry point.
 *
 * Data-path commands (CALL, CANCEL, FETCH, COMMIT, COMMIT_AND_FETCH) carry
 * their struct qrpc_io in the SQE's 16-byte command area itself, and may
 * park (-EIOCBQUEUED).  Control commands carry a struct qrpc_uring_cmd that
 * points at their argument, and run exactly as their ioctl twins do.
 */
#include <linux/uaccess.h>

#include "compat.h"
#include "engine.h"
#include "qrpc.h"

/* The command area of a 128-byte SQE; qrpc uses its first 16 bytes. */
#define QRPC_SQE128_CMD_BYTES	80

/*
 * With 128-byte SQEs, what qrpc does not use of the command area must be
 * zero, as reserved fields are: a later ABI may give those bytes a
 * meaning.  Read once, and never again.
 */
static bool qrpc_uring_rest_zero(const void *area, unsigned int issue_flags)
{
	if (!(issue_flags & IO_URING_F_SQE128))
		return true;
	return !memchr_inv((const u8 *)area + 16, 0,
			   QRPC_SQE128_CMD_BYTES - 16);
}

static long qrpc_uring_io(struct qrpc_instance *inst, unsigned int op,
			  struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	const struct qrpc_io *area = qrpc_uring_cmd_area(ioucmd);
	struct qrpc_io io;

	/* The SQE may still be shared with user space: read it once. */
	io.handle = READ_ONCE(area->handle);
	io.index = READ_ONCE(area->index);
	io.arg = READ_ONCE(area->arg);
	io.len = READ_ONCE(area->len);

	switch (op) {
	case QRPC_IOC_CALL:
		return qrpc_call(inst, &io, ioucmd, issue_flags);
	case QRPC_IOC_CANCEL:
		return qrpc_cancel(inst, &io);
	default:
		return qrpc_server_io(inst, op, &io, ioucmd, issue_flags);
	}
}

int qrpc_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	const struct qrpc_uring_cmd *area = qrpc_uring_cmd_area(ioucmd);
	struct qrpc_instance *inst = ioucmd->file->private_data;
	unsigned int op = READ_ONCE(ioucmd->cmd_op);
	struct qrpc_uring_cmd ucmd;

	BUILD_BUG_ON(sizeof(struct qrpc_uring_cmd) != 16);
	BUILD_BUG_ON(sizeof(struct qrpc_io) != 16);

	if (QRPC_URING_IS_CANCEL(issue_flags)) {
		qrpc_uring_cancel(ioucmd, issue_flags);
		return 0;
	}
	if (!qrpc_uring_rest_zero(area, issue_flags))
		return -EINVAL;

	switch (op) {
	case QRPC_IOC_CALL:
	case QRPC_IOC_CANCEL:
	case QRPC_IOC_FETCH:
	case QRPC_IOC_COMMIT:
	case QRPC_IOC_COMMIT_AND_FETCH:
		/* Each changes something: not for a read-only open. */
		if (!inst->writable)
			return -EBADF;
		return qrpc_uring_io(inst, op, ioucmd, issue_flags);
	}

	ucmd.addr = READ_ONCE(area->addr);
	ucmd.len = READ_ONCE(area->len);
	ucmd.flags = READ_ONCE(area->flags);
	if (!qrpc_command_known(op))
		return -ENOTTY;
	if (ucmd.flags)
		return -EINVAL;
	return qrpc_command(inst, op, u64_to_user_ptr(ucmd.addr), ucmd.len);
}
