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
#include <sys/ioctl.h>

#include <liburing.h>
#include <linux/qrpc.h>

/*
 * Submit one uring_cmd with @op and a struct qrpc_uring_cmd built from
 * @addr, @len and @flags on @ring and wait for it.  Returns the CQE's
 * result (a negative errno on failure), or the liburing error.
 */
/*
 * Submit @op with the @len bytes @area as its command area (16 bytes fit
 * any SQE, 80 need a ring made with IORING_SETUP_SQE128); the CQE's res.
 */
static inline int t_uring_cmd_raw(struct io_uring *ring, int fd,
				  unsigned int op, const void *area,
				  size_t len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, area, len);
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

static inline int t_uring_cmd(struct io_uring *ring, int fd, unsigned int op,
			      void *addr, unsigned int len, unsigned int flags)
{
	struct qrpc_uring_cmd ucmd = {
		.addr = (unsigned long)addr,
		.len = len,
		.flags = flags,
	};

	return t_uring_cmd_raw(ring, fd, op, &ucmd, sizeof(ucmd));
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

/* ioctl() as a negative errno or 0, like the uring_cmd path. */
static inline int t_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* Fill @name with "PREFIX-PID-N", unique within a test run. */
static inline void t_port_name(char name[QRPC_NAME_MAX], const char *prefix)
{
	static unsigned int n;

	memset(name, 0, QRPC_NAME_MAX);
	snprintf(name, QRPC_NAME_MAX, "%s-%d-%u", prefix, (int)getpid(), n++);
}

/* Copy @src into the name field @dst, zero-filled, cut to fit. */
static inline void t_copy_name(char dst[QRPC_NAME_MAX], const char *src)
{
	size_t n = strnlen(src, QRPC_NAME_MAX - 1);

	memset(dst, 0, QRPC_NAME_MAX);
	memcpy(dst, src, n);
}

/* Create port @name with @mode and @flags; the handle, or -errno. */
static inline int t_port_create(int fd, const char *name, unsigned int mode,
				unsigned int flags)
{
	struct qrpc_port_create c;
	int ret;

	memset(&c, 0, sizeof(c));
	t_copy_name(c.name, name);
	c.mode = mode;
	c.flags = flags;
	c.access = QRPC_ACCESS_CALL | QRPC_ACCESS_SERVE;
	ret = t_ioctl(fd, QRPC_IOC_PORT_CREATE, &c);
	return ret < 0 ? ret : (int)c.handle;
}

/* Open port @name for @access; the handle, or -errno. */
static inline int t_port_open(int fd, const char *name, unsigned int access)
{
	struct qrpc_port_open o;
	int ret;

	memset(&o, 0, sizeof(o));
	t_copy_name(o.name, name);
	o.access = access;
	ret = t_ioctl(fd, QRPC_IOC_PORT_OPEN, &o);
	return ret < 0 ? ret : (int)o.handle;
}

static inline int t_port_unlink(int fd, const char *name)
{
	struct qrpc_port_name n;

	memset(&n, 0, sizeof(n));
	t_copy_name(n.name, name);
	return t_ioctl(fd, QRPC_IOC_PORT_UNLINK, &n);
}

static inline int t_close_handle(int fd, unsigned int handle)
{
	struct qrpc_handle_arg h = { .handle = handle };

	return t_ioctl(fd, QRPC_IOC_CLOSE, &h);
}

/* Port @name's entry in QRPC_IOC_PORT_LIST; 0, or -1 if not listed. */
static inline int t_port_info(int fd, const char *name,
			      struct qrpc_port_info *out)
{
	struct qrpc_port_info infos[64];
	struct qrpc_port_list l;
	unsigned int i;

	memset(&l, 0, sizeof(l));
	l.addr = (unsigned long)infos;
	l.count = 64;
	if (t_ioctl(fd, QRPC_IOC_PORT_LIST, &l))
		return -1;
	for (i = 0; i < l.count; i++) {
		if (!strcmp(infos[i].name, name)) {
			*out = infos[i];
			return 0;
		}
	}
	return -1;
}

/*
 * Set module parameter @name to @value; its old value goes to @old (if
 * not NULL, @len bytes).  0 or -errno.
 */
static inline int t_set_param(const char *name, const char *value,
			      char *old, size_t len)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/sys/module/qrpc/parameters/%s", name);
	if (old) {
		ret = t_read_line(path, old, len);
		if (ret)
			return ret;
	}
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%s\n", value) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

#endif /* QRPC_SELFTEST_HELPERS_H */
