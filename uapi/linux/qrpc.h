/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * qrpc: local RPC over a character device, driven through io_uring.
 *
 * This header is the ABI between the qrpc kernel module and user space.
 * It uses only fixed-width types, carries user pointers as __u64, pads
 * every structure explicitly, and reserves space that callers must zero:
 * the kernel rejects a non-zero reserved field or an unknown flag with
 * -EINVAL, so each can be given a meaning later without breaking old
 * programs.
 *
 * Every command exists twice, with the same number and argument:
 *
 *  - as an ioctl on an open /dev/qrpc: ioctl(fd, QRPC_IOC_X, &arg);
 *  - as IORING_OP_URING_CMD on that fd, with sqe->cmd_op = QRPC_IOC_X and
 *    the 16-byte command area holding a struct qrpc_uring_cmd that points
 *    at the same argument.  A plain 64-byte SQE is enough.
 *
 * Errors common to all commands:
 *  -ENOTTY  unknown command number (ioctl and uring_cmd alike)
 *  -EINVAL  unknown flag, non-zero reserved field, or (uring_cmd) a
 *           struct qrpc_uring_cmd whose len is not the argument's size
 *  -EFAULT  the argument is not readable or writable memory
 */
#ifndef _UAPI_LINUX_QRPC_H
#define _UAPI_LINUX_QRPC_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define QRPC_DEVICE_NAME	"qrpc"
#define QRPC_DEVICE_PATH	"/dev/qrpc"

/*
 * ABI version.  The major number changes only if an existing command
 * changes meaning; additions are announced by feature bits instead.
 */
#define QRPC_ABI_MAJOR		0
#define QRPC_ABI_MINOR		1

/*
 * Feature bits reported by QRPC_IOC_GET_FEATURES.  A program tests for
 * what it needs rather than comparing version numbers.
 */
/* Every command is available through ioctl(). */
#define QRPC_F_IOCTL		_BITULL(0)
/* Every command is available as IORING_OP_URING_CMD. */
#define QRPC_F_URING_CMD	_BITULL(1)
/* The device supports poll()/epoll for readiness. */
#define QRPC_F_POLL		_BITULL(2)
/*
 * Parked uring_cmds are cancelled by io_uring itself when their ring goes
 * away (kernel 6.7 and later).  Without it the module watches the owning
 * task instead; either way each command completes exactly once.
 */
#define QRPC_F_URING_CANCEL	_BITULL(3)

/* ioctl type byte; 'q' 0x40-0x7f is free in ioctl-number.rst. */
#define QRPC_IOC_MAGIC		'q'
#define QRPC_IOC_BASE		0x40

/**
 * struct qrpc_features - what the loaded module offers
 * @abi_major:	QRPC_ABI_MAJOR of the module (out)
 * @abi_minor:	QRPC_ABI_MINOR of the module (out)
 * @flags:	request flags; none are defined, must be zero (in)
 * @features:	QRPC_F_* bits (out)
 * @module_version: NUL-terminated version string of the module (out)
 * @reserved:	must be zero on input; zero on output
 */
struct qrpc_features {
	__u16	abi_major;
	__u16	abi_minor;
	__u32	flags;
	__u64	features;
	char	module_version[32];
	__u64	reserved[4];
};

/**
 * struct qrpc_uring_cmd - the command area of an IORING_OP_URING_CMD SQE
 * @addr:	user address of the command's argument structure
 * @len:	size of that structure; must equal _IOC_SIZE(cmd_op)
 * @flags:	none defined, must be zero
 *
 * Exactly 16 bytes, so it fits the command area of a 64-byte SQE.
 */
struct qrpc_uring_cmd {
	__u64	addr;
	__u32	len;
	__u32	flags;
};

/*
 * QRPC_IOC_GET_FEATURES: fill in a struct qrpc_features.  The caller zeroes
 * the structure first; reserved fields and flags must be zero.
 */
#define QRPC_IOC_GET_FEATURES \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x00, struct qrpc_features)

#endif /* _UAPI_LINUX_QRPC_H */
