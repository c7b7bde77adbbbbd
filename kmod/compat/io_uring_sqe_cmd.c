// SPDX-License-Identifier: GPL-2.0
/* The command area is reached through cmd->sqe (6.4 and later), not cmd->cmd. */
#include "probe_io_uring.h"

const void *probe(struct io_uring_cmd *cmd);
const void *probe(struct io_uring_cmd *cmd)
{
	return io_uring_sqe_cmd(cmd->sqe);
}
