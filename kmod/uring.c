// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: the IORING_OP_URING_CMD entry point.  The SQE's 16-byte command
 * area holds a struct qrpc_uring_cmd naming the command's argument; the
 * command then runs exactly as its ioctl twin does.
 */
#include <linux/uaccess.h>

#include "compat.h"
#include "qrpc.h"

int qrpc_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	const struct qrpc_uring_cmd *area = qrpc_uring_cmd_area(ioucmd);
	struct qrpc_uring_cmd ucmd;
	unsigned int op = READ_ONCE(ioucmd->cmd_op);

	BUILD_BUG_ON(sizeof(struct qrpc_uring_cmd) != 16);

	/*
	 * The SQE may still be shared with user space: read each field once
	 * and validate only the copy.
	 */
	ucmd.addr = READ_ONCE(area->addr);
	ucmd.len = READ_ONCE(area->len);
	ucmd.flags = READ_ONCE(area->flags);

	if (!qrpc_command_known(op))
		return -ENOTTY;
	if (ucmd.flags)
		return -EINVAL;
	return qrpc_command(ioucmd->file->private_data, op,
			    u64_to_user_ptr(ucmd.addr), ucmd.len);
}
