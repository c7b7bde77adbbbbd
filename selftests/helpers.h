/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the qrpc selftests.  They talk to the device through
 * the raw ABI (ioctl and IORING_OP_URING_CMD), not through libqrpc, so
 * that the tests check the module itself.
 */
#ifndef QRPC_SELFTEST_HELPERS_H
#define QRPC_SELFTEST_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <liburing.h>
#include <linux/qrpc.h>

/*
 * Submit one uring_cmd with @op and a struct qrpc_uring_cmd built from
 * @addr, @len and @flags on @ring and wait for it.  Returns the CQE's
 * result (a negative errno on failure), or the liburing error.
 */
static inline int t_uring_cmd(struct io_uring *ring, int fd, unsigned int op,
			      void *addr, unsigned int len, unsigned int flags)
{
	struct qrpc_uring_cmd ucmd = {
		.addr = (unsigned long)addr,
		.len = len,
		.flags = flags,
	};
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &ucmd, sizeof(ucmd));
	ret = io_uring_submit_and_wait(ring, 1);
	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* Read a one-line sysfs file into @buf without its newline; 0 or -errno. */
static inline int t_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = -EIO;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return ret;
}

#endif /* QRPC_SELFTEST_HELPERS_H */
