// SPDX-License-Identifier: MIT
/*
 * Opening the device and querying it, through io_uring or ioctl(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <liburing.h>

#include "internal.h"
#include "qrpc.h"

int qrpc_open_device(const char *path)
{
	int fd = open(path ? path : QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int qrpc_port_name_check(const char *name)
{
	size_t i, len = strnlen(name, QRPC_NAME_MAX);

	if (len == 0 || len == QRPC_NAME_MAX || name[0] == '.')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-')
			return -EINVAL;
	}
	return 0;
}

int qrpc_port_open_fd(int fd, const char *name, unsigned int access)
{
	struct qrpc_port_open o;

	if (qrpc_port_name_check(name))
		return -EINVAL;
	memset(&o, 0, sizeof(o));
	memcpy(o.name, name, strlen(name) + 1);	/* validated: fits */
	o.access = access;
	if (ioctl(fd, QRPC_IOC_PORT_OPEN, &o) < 0)
		return -errno;
	return (int)o.handle;
}

static int query_ioctl(int fd, struct qrpc_features *out)
{
	memset(out, 0, sizeof(*out));
	return ioctl(fd, QRPC_IOC_GET_FEATURES, out) < 0 ? -errno : 0;
}

/*
 * A one-shot ring is enough for a query made once per program; the call
 * paths keep long-lived rings of their own.
 */
static int query_uring(int fd, struct qrpc_features *out)
{
	struct qrpc_uring_cmd ucmd = {
		.addr = (uintptr_t)out,
		.len = sizeof(*out),
	};
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret;

	ret = io_uring_queue_init(1, &ring, 0);
	if (ret < 0)
		return ret;

	memset(out, 0, sizeof(*out));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = QRPC_IOC_GET_FEATURES;
	memcpy(sqe->cmd, &ucmd, sizeof(ucmd));

	ret = qrpc_uring_submit_wait(&ring, 1);
	if (ret >= 0) {
		ret = qrpc_uring_wait_cqe(&ring, &cqe);
		if (ret == 0) {
			ret = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	return ret < 0 ? ret : 0;
}

/* io_uring itself is missing or forbidden (seccomp, io_uring_disabled). */
static int uring_unavailable(int err)
{
	return err == -ENOSYS || err == -EPERM;
}

int qrpc_query_features(int fd, struct qrpc_features *out, enum qrpc_via via)
{
	int ret;

	switch (via) {
	case QRPC_VIA_IOCTL:
		return query_ioctl(fd, out);
	case QRPC_VIA_URING:
		return query_uring(fd, out);
	case QRPC_VIA_AUTO:
		ret = query_uring(fd, out);
		return uring_unavailable(ret) ? query_ioctl(fd, out) : ret;
	}
	return -EINVAL;
}
