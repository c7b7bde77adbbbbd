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
/* Named ports: QRPC_IOC_PORT_CREATE, _OPEN, _UNLINK, _LIST and _CLOSE. */
#define QRPC_F_PORTS		_BITULL(4)

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

/*
 * Ports.
 *
 * A port is a named endpoint in the caller's IPC namespace, with an owner
 * and a mode as POSIX message queues have: write permission lets a process
 * call through the port, read permission lets it serve the port.  Names are
 * 1 to QRPC_NAME_MAX - 1 bytes of [A-Za-z0-9._-], not starting with '.',
 * NUL-terminated, with the rest of the field zero.
 *
 * Commands that open a port return a handle: a small number, private to
 * the open file of /dev/qrpc, that later commands use.  QRPC_IOC_CLOSE
 * drops it; closing the file drops them all.
 */
#define QRPC_NAME_MAX		64

/* The access a handle to a port grants (struct qrpc_port_open.access). */
#define QRPC_ACCESS_CALL	_BITUL(0)	/* needs write permission */
#define QRPC_ACCESS_SERVE	_BITUL(1)	/* needs read permission */

/* Port creation flags (struct qrpc_port_create.flags). */
/* Fail with -EEXIST if the name exists, instead of opening that port. */
#define QRPC_PORT_F_EXCL	_BITUL(0)
/*
 * The port is unlinked when the handle that created it is closed, as a
 * server's private endpoint; without it a port stays until unlinked.
 */
#define QRPC_PORT_F_TEMPORARY	_BITUL(1)

/**
 * struct qrpc_port_limits - a port's limits, fixed when it is created
 * @max_depth:	calls that may wait in the queue at once
 * @max_payload: largest request, in bytes
 * @max_bytes:	request bytes that may wait in the queue at once
 *
 * Zero asks for the module's default; a value above the module's maximum
 * is -EINVAL.  The effective limits are written back.
 */
struct qrpc_port_limits {
	__u32	max_depth;
	__u32	max_payload;
	__u64	max_bytes;
};

/**
 * struct qrpc_port_create - QRPC_IOC_PORT_CREATE argument
 * @name:	the port's name (in)
 * @mode:	permission bits, at most 0777, masked by the umask (in)
 * @flags:	QRPC_PORT_F_* (in)
 * @access:	QRPC_ACCESS_* wanted if the port exists already (in); the
 *		creator of a new port gets both
 * @handle:	the new handle (out)
 * @limits:	requested limits (in), effective limits (out)
 * @created:	1 if this call created the port, 0 if it opened it (out)
 * @reserved:	must be zero
 */
struct qrpc_port_create {
	char	name[QRPC_NAME_MAX];
	__u32	mode;
	__u32	flags;
	__u32	access;
	__u32	handle;
	struct qrpc_port_limits limits;
	__u32	created;
	__u32	reserved0;
	__u64	reserved[4];
};

/**
 * struct qrpc_port_open - QRPC_IOC_PORT_OPEN argument
 * @name:	the port's name (in)
 * @access:	QRPC_ACCESS_* wanted, at least one (in)
 * @handle:	the new handle (out)
 * @reserved:	must be zero
 */
struct qrpc_port_open {
	char	name[QRPC_NAME_MAX];
	__u32	access;
	__u32	handle;
	__u64	reserved[2];
};

/**
 * struct qrpc_port_name - QRPC_IOC_PORT_UNLINK argument
 * @name:	the port to unlink; allowed to its owner and to holders of
 *		CAP_IPC_OWNER
 * @reserved:	must be zero
 */
struct qrpc_port_name {
	char	name[QRPC_NAME_MAX];
	__u64	reserved[2];
};

/**
 * struct qrpc_port_info - what QRPC_IOC_PORT_LIST reports of one port
 * @name:	its name
 * @mode:	permission bits
 * @uid:	owner, as seen from the caller's user namespace
 * @gid:	group, likewise
 * @flags:	QRPC_PORT_F_TEMPORARY if temporary
 * @limits:	its limits
 * @servers:	attached servers
 * @connections: client connections
 * @depth:	calls waiting, per priority 0-7
 * @queued_bytes: request bytes waiting
 * @enqueued:	calls accepted into the queue, ever
 * @delivered:	calls handed to a server, ever
 * @dropped:	[maybe] calls dropped (no server or queue full), ever
 * @expired:	messages whose time to be received ran out, ever
 * @deadlettered: of those, moved to the dead-letter queue
 * @failed:	calls failed (server died, unlinked, timed out), ever
 * @reserved:	zero
 */
struct qrpc_port_info {
	char	name[QRPC_NAME_MAX];
	__u32	mode;
	__u32	uid;
	__u32	gid;
	__u32	flags;
	struct qrpc_port_limits limits;
	__u32	servers;
	__u32	connections;
	__u32	depth[8];
	__u64	queued_bytes;
	__u64	enqueued;
	__u64	delivered;
	__u64	dropped;
	__u64	expired;
	__u64	deadlettered;
	__u64	failed;
	__u64	reserved[4];
};

/**
 * struct qrpc_port_list - QRPC_IOC_PORT_LIST argument
 * @addr:	user address of an array of struct qrpc_port_info (in)
 * @count:	entries the array holds (in); entries filled (out)
 * @total:	ports in the caller's namespace (out); when larger than
 *		@count, call again with a bigger array
 * @reserved:	must be zero
 *
 * Lists the ports of the caller's IPC namespace, sorted by name.  Ports
 * the caller may neither call nor serve are listed too, as POSIX message
 * queues are visible in /dev/mqueue.
 */
struct qrpc_port_list {
	__u64	addr;
	__u32	count;
	__u32	total;
	__u64	reserved[2];
};

/**
 * struct qrpc_handle_arg - QRPC_IOC_CLOSE argument
 * @handle:	the handle to drop
 * @reserved0:	must be zero
 */
struct qrpc_handle_arg {
	__u32	handle;
	__u32	reserved0;
};

/*
 * QRPC_IOC_PORT_CREATE: create a port, or open it if it exists and
 * QRPC_PORT_F_EXCL is not set.  -EEXIST with QRPC_PORT_F_EXCL, -EACCES
 * without permission for the access asked, -EINVAL for a bad name, mode,
 * flag or limit, -ENOSPC when the caller's user owns the most ports the
 * module allows (module parameter max_ports_per_user).
 */
#define QRPC_IOC_PORT_CREATE \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x01, struct qrpc_port_create)
/* QRPC_IOC_PORT_OPEN: open a port; -ENOENT if there is none of that name. */
#define QRPC_IOC_PORT_OPEN \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x02, struct qrpc_port_open)
/*
 * QRPC_IOC_PORT_UNLINK: remove a port's name; it goes away when the last
 * handle to it is closed.  -ENOENT, -EPERM if not the owner.
 */
#define QRPC_IOC_PORT_UNLINK \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x03, struct qrpc_port_name)
/* QRPC_IOC_PORT_LIST: describe the ports of the caller's namespace. */
#define QRPC_IOC_PORT_LIST \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x04, struct qrpc_port_list)
/* QRPC_IOC_CLOSE: drop a handle; -EBADF if it names nothing. */
#define QRPC_IOC_CLOSE \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x05, struct qrpc_handle_arg)

#endif /* _UAPI_LINUX_QRPC_H */
