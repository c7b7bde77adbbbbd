// SPDX-License-Identifier: GPL-2.0
/* io_uring can cancel a parked uring_cmd through ->uring_cmd (6.7 and later). */
#include "probe_io_uring.h"

void probe(struct io_uring_cmd *cmd, unsigned int issue_flags);
void probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	if (!(issue_flags & IO_URING_F_CANCEL))
		io_uring_cmd_mark_cancelable(cmd, issue_flags);
}
