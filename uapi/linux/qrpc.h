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
 *    at the same argument.  A plain 64-byte SQE is enough; with 128-byte
 *    SQEs (IORING_SETUP_SQE128) the rest of the 80-byte command area is
 *    reserved and must be zero (-EINVAL).
 *
 * Errors common to all commands:
 *  -ENOTTY  unknown command number (ioctl and uring_cmd alike)
 *  -EINVAL  unknown flag, non-zero reserved field, or (uring_cmd) a
 *           struct qrpc_uring_cmd whose len is not the argument's size
 *  -EFAULT  the argument is not readable or writable memory
 *  -EBADF   the file was opened for reading only, and the command changes
 *           something: such a file may run only GET_FEATURES, PORT_OPEN,
 *           PORT_LIST, DLQ_LIST and CLOSE (so a dev_mode of 0644 lets
 *           others look at ports, and nothing more)
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
/* Servers, connections and calls: QRPC_IOC_SERVE through _COMMIT_AND_FETCH. */
#define QRPC_F_CALLS		_BITULL(5)

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
 * drops it; closing the file drops them all.  Numbers are given out in
 * turn, not lowest-free first, so a closed handle's number is not at once
 * another object's.  A command that would make one more handle than a file
 * may hold fails with -EMFILE; one that names a handle that does not exist
 * (or is of another kind) fails with -EBADF.
 */
#define QRPC_NAME_MAX		64

/* The access a handle to a port grants (struct qrpc_port_open.access). */
#define QRPC_ACCESS_CALL	0x1U	/* needs write permission */
#define QRPC_ACCESS_SERVE	0x2U	/* needs read permission */

/* Port creation flags (struct qrpc_port_create.flags). */
/* Fail with -EEXIST if the name exists, instead of opening that port. */
#define QRPC_PORT_F_EXCL	0x1U
/*
 * The port is unlinked when the handle that created it is closed, as a
 * server's private endpoint; without it a port stays until unlinked.
 */
#define QRPC_PORT_F_TEMPORARY	0x2U

/**
 * struct qrpc_port_limits - a port's limits, fixed when it is created
 * @max_depth:	calls that may wait in the queue at once
 * @max_payload: largest request, in bytes
 * @max_bytes:	request bytes that may wait in the queue at once
 * @max_dlq:	messages the dead-letter queue keeps; when it is full, the
 *		oldest is released (QRPC_RELEASE_DEADLETTER) to make room,
 *		and counted in struct qrpc_port_info.dlq_dropped
 * @reserved:	must be zero
 *
 * Zero asks for the module's default; a value above the module's maximum
 * is -EINVAL.  The effective limits are written back.
 */
struct qrpc_port_limits {
	__u32	max_depth;
	__u32	max_payload;
	__u64	max_bytes;
	__u32	max_dlq;
	__u32	reserved;
};

/*
 * What a queued call costs its sender's quota (module parameter
 * max_queued_bytes_per_user): its request bytes and this much more, for
 * the module's record of it, so that calls without a payload are bounded
 * too.  A dead-lettered message is charged the same until it is requeued
 * or purged.
 */
#define QRPC_CALL_OVERHEAD	256

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
	__u64	reserved[3];
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
 * @dlq_depth:	messages in the dead-letter queue
 * @reserved0:	zero
 * @dlq_dropped: dead-lettered messages released to make room, ever
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
	__u32	dlq_depth;
	__u32	reserved0;
	__u64	dlq_dropped;
	__u64	reserved[1];
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

/*
 * Calls.
 *
 * A client connects to a port (QRPC_IOC_CONNECT) and gets an arena shared
 * with the port's servers, in three regions it maps with mmap() at the
 * offsets QRPC_IOC_CONNECT returns:
 *
 *   slots    read-write: struct qrpc_slot[nslots], then the request area
 *   results  read-only:  struct qrpc_slot_result[nslots], then the release
 *            ring (struct qrpc_release_ring)
 *   reply    read-only:  the reply area
 *
 * To call, the client writes the request into its request area, fills a
 * free slot and issues QRPC_IOC_CALL on it.  The kernel reads the slot once.
 * A server attaches to a port (QRPC_IOC_SERVE), registers interfaces, and
 * parks QRPC_IOC_FETCH commands, one per tag; when a call is assigned to a
 * tag, its description appears in the server's descriptor table (mapped
 * read-only) and the FETCH completes.  The server maps the caller's request
 * area read-only and reply area read-write (QRPC_IOC_MAP_CONN gives the
 * offsets), reads the request in place, writes the reply in place, and
 * answers with QRPC_IOC_COMMIT or QRPC_IOC_COMMIT_AND_FETCH.
 *
 * Trust.  What is mapped is shared, and a peer may write its side at any
 * time.  A port's servers may read every request area of every client
 * connected to it, and write every client's reply area, at any time:
 * also after COMMIT, and for calls other servers hold.  Any user whom the
 * port's mode gives read permission can serve it, and so receives every
 * call made to it; give serving rights only to whom the callers trust.
 * The kernel copies the slot (and nothing a server writes) before it
 * checks it; clients and servers must do the same with what they read
 * from the other side: copy a request or reply out before validating it,
 * never validate it in place and use it later.  The kernel's own records
 * (slots' results, the release ring, descriptor tables) are read-only
 * mappings.
 *
 * The offsets are opaque, and below 2^43: a 32-bit process maps them with
 * a 64-bit off_t (_FILE_OFFSET_BITS=64, so mmap2()), and, the structures
 * having one layout for both, uses the whole ABI by ioctl or io_uring.
 */

/* Call kinds (struct qrpc_slot.kind). */
#define QRPC_KIND_CALL		1	/* request and reply */
#define QRPC_KIND_MAYBE		2	/* [maybe]: no reply, may be dropped */
#define QRPC_KIND_MESSAGE	3	/* [message]: no reply, stored until taken */

#define QRPC_PRIORITY_MAX	7
#define QRPC_PRIORITY_DEFAULT	3

/* Slot flags (struct qrpc_slot.flags). */
/* A [message] whose time to be received runs out goes to the dead-letter queue. */
#define QRPC_SLOT_F_DEADLETTER	0x1U

/**
 * struct qrpc_if_id - an interface: UUID and version
 * @uuid:	the interface UUID, in the byte order of its string form
 * @major:	major version; a server serves calls of the same major
 * @minor:	minor version; a server serves calls of a minor up to its own
 * @reserved0:	must be zero
 */
struct qrpc_if_id {
	__u8	uuid[16];
	__u16	major;
	__u16	minor;
	__u32	reserved0;
};

/**
 * struct qrpc_slot - one call, written by the client before QRPC_IOC_CALL
 * @kind:	QRPC_KIND_*
 * @priority:	0 (lowest) to QRPC_PRIORITY_MAX
 * @flags:	QRPC_SLOT_F_*
 * @opnum:	the operation within the interface
 * @iface:	the interface called
 * @req_off:	offset of the request in the request area
 * @req_len:	its length; at most the port's max_payload
 * @rep_off:	offset in the reply area where the server may write the reply
 * @rep_cap:	room there; 0 for [maybe] and [message]
 * @timeout_ms:	plain call: fail with -ETIMEDOUT after this long, counted
 *		from QRPC_IOC_CALL; a call a server holds then completes
 *		at once and is marked cancelled for the server; 0 = never
 * @ttrq_ms:	[message]: how long the CALL may wait for room in a full
 *		queue (time to reach the queue), then -ETIMEDOUT; 0 = fail
 *		at once with -ENOBUFS
 * @ttbr_s:	[message]: seconds it may wait to be received, counted from
 *		QRPC_IOC_CALL; then it is discarded (QRPC_RELEASE_EXPIRED),
 *		or dead-lettered with QRPC_SLOT_F_DEADLETTER; 0 = forever
 * @reserved0:	must be zero
 *
 * The kernel reads a slot once, when QRPC_IOC_CALL is issued, and checks
 * that both ranges lie inside their areas.  The slot, and the request and
 * reply ranges it names, belong to the kernel until the slot appears on the
 * release ring.
 */
struct qrpc_slot {
	__u8	kind;
	__u8	priority;
	__u16	flags;
	__u32	opnum;
	struct qrpc_if_id iface;
	__u32	req_off;
	__u32	req_len;
	__u32	rep_off;
	__u32	rep_cap;
	__u32	timeout_ms;
	__u32	ttrq_ms;
	__u32	ttbr_s;
	__u32	reserved0;
};

/**
 * struct qrpc_slot_result - how a slot's call ended, written by the kernel
 * @status:	0, or the negative errno the call failed with
 * @rep_len:	reply bytes the server wrote at the slot's rep_off
 * @fault:	the server's fault code when @status is -EREMOTEIO
 * @seq:	counts the calls this slot has completed
 *
 * Valid once the slot's CALL completed (plain calls) or the slot was
 * released (one-way calls).  @seq is written last, with release
 * semantics: a client that sees it change (reading it with acquire) sees
 * the other fields of that call's end, possibly before the CALL's
 * completion reaches its ring.
 */
struct qrpc_slot_result {
	__s32	status;
	__u32	rep_len;
	__u32	fault;
	__u32	seq;
};

/* Why a slot was released (high byte of a release-ring entry). */
#define QRPC_RELEASE_DONE	1	/* plain call answered or failed */
#define QRPC_RELEASE_RECEIVED	2	/* one-way call taken and committed by a server */
#define QRPC_RELEASE_EXPIRED	3	/* message expired and was discarded */
#define QRPC_RELEASE_DEADLETTER	4	/* message expired into the dead-letter queue */
#define QRPC_RELEASE_DROPPED	5	/* [maybe] dropped: no server, or queue full */
#define QRPC_RELEASE_FAILED	6	/* one-way call failed: server died, port unlinked */

#define QRPC_RELEASE_SLOT(entry)	((entry) & 0xffffff)
#define QRPC_RELEASE_REASON(entry)	((entry) >> 24)

/**
 * struct qrpc_release_ring - slots the kernel gives back to the client
 * @tail:	entries written so far (free-running; the kernel writes it
 *		with release semantics after the entry)
 * @mask:	entries - 1; entries is nslots
 * @pad:	keeps @entries on its own cache line
 * @entries:	slot index | reason << 24
 *
 * The client keeps its own head.  At most nslots entries are ever
 * outstanding, since a slot is released once per call.
 */
struct qrpc_release_ring {
	__u32	tail;
	__u32	mask;
	__u32	pad[14];
	__u32	entries[];
};

/**
 * struct qrpc_connect - QRPC_IOC_CONNECT argument
 * @port:	handle of a port opened with QRPC_ACCESS_CALL (in)
 * @nslots:	calls in flight at once: a power of two, 1 to 4096 (in)
 * @req_size:	request area bytes, 4 KiB to 1 GiB, rounded up to pages (in)
 * @rep_size:	reply area bytes, 4 KiB to 1 GiB, rounded up to pages (in)
 * @handle:	the connection's handle (out)
 * @conn_id:	the connection's id, which servers see in calls (out)
 * @slots_off:	mmap offset of the slots region (out)
 * @results_off: mmap offset of the results region (out)
 * @reply_off:	mmap offset of the reply region (out)
 * @slots_size:	its size: the slot table, page-aligned, then the request area
 * @results_size: its size
 * @reply_size:	its size
 * @req_base:	offset of the request area within the slots region (out)
 * @reserved:	must be zero
 */
struct qrpc_connect {
	__u32	port;
	__u32	nslots;
	__u32	req_size;
	__u32	rep_size;
	__u32	handle;
	__u32	conn_id;
	__u64	slots_off;
	__u64	results_off;
	__u64	reply_off;
	__u32	slots_size;
	__u32	results_size;
	__u32	reply_size;
	__u32	req_base;
	__u64	reserved[2];
};

/**
 * struct qrpc_serve - QRPC_IOC_SERVE argument
 * @port:	handle of a port opened with QRPC_ACCESS_SERVE (in)
 * @depth:	tags, i.e. calls this server holds at once: 1 to 4096 (in)
 * @handle:	the server's handle (out)
 * @reserved0:	must be zero
 * @desc_off:	mmap offset of the descriptor table (out)
 * @desc_size:	its size (out): depth * sizeof(struct qrpc_call_desc),
 *		page-aligned
 * @reserved:	must be zero
 */
struct qrpc_serve {
	__u32	port;
	__u32	depth;
	__u32	handle;
	__u32	reserved0;
	__u64	desc_off;
	__u64	desc_size;
	__u64	reserved[2];
};

/**
 * struct qrpc_if_reg - QRPC_IOC_IF_REGISTER and _UNREGISTER argument
 * @server:	the server's handle
 * @flags:	none defined, must be zero
 * @iface:	the interface
 * @reserved:	must be zero
 */
struct qrpc_if_reg {
	__u32	server;
	__u32	flags;
	struct qrpc_if_id iface;
	__u64	reserved[2];
};

/**
 * struct qrpc_map_conn - QRPC_IOC_MAP_CONN argument
 * @server:	the server's handle (in)
 * @conn_id:	a connection to the server's port, from a call (in)
 * @request_off: mmap offset of its request area, to map read-only (out)
 * @reply_off:	mmap offset of its reply area, to map read-write (out)
 * @request_size: size of the request area (out)
 * @reply_size:	size of the reply area (out)
 * @reserved:	must be zero
 */
struct qrpc_map_conn {
	__u32	server;
	__u32	conn_id;
	__u64	request_off;
	__u64	reply_off;
	__u32	request_size;
	__u32	reply_size;
	__u64	reserved[2];
};

/* Call descriptor flags (struct qrpc_call_desc.flags). */
/* The caller has gone; the reply will be discarded. */
#define QRPC_DESC_F_ORPHAN	0x1U

/**
 * struct qrpc_call_desc - a call assigned to a server's tag
 * @call_id:	unique for the module's lifetime
 * @conn_id:	the caller's connection (for QRPC_IOC_MAP_CONN)
 * @slot:	the caller's slot
 * @kind:	QRPC_KIND_*
 * @priority:	its priority
 * @flags:	QRPC_DESC_F_*
 * @opnum:	the operation
 * @iface:	the interface
 * @req_off:	the request, in the caller's request area
 * @req_len:	its length
 * @rep_off:	where the reply goes, in the caller's reply area
 * @rep_cap:	room there
 * @pid:	the caller's process id, in the server's pid namespace (0 if
 *		not visible there)
 * @uid:	the caller's effective uid, in the server's user namespace
 * @gid:	the caller's effective gid, likewise; all three are those of
 *		the process that made the connection, when it made it (as
 *		SO_PEERCRED), whoever issued the CALL
 * @cancelled:	set non-zero by the kernel when the caller cancels the call;
 *		the server may test it at any time (RpcServerTestCancel)
 * @reserved:	zero
 */
struct qrpc_call_desc {
	__u64	call_id;
	__u32	conn_id;
	__u32	slot;
	__u8	kind;
	__u8	priority;
	__u16	flags;
	__u32	opnum;
	struct qrpc_if_id iface;
	__u32	req_off;
	__u32	req_len;
	__u32	rep_off;
	__u32	rep_cap;
	__s32	pid;
	__u32	uid;
	__u32	gid;
	__u32	cancelled;
	__u64	reserved[4];
};

/**
 * struct qrpc_io - argument of the data-path commands
 * @handle:	a connection (CALL, CANCEL) or a server (FETCH, COMMIT...)
 * @index:	a slot of the connection or a tag of the server
 * @arg:	CANCEL: QRPC_CANCEL_F_*; COMMIT: the fault code, 0 = success
 * @len:	COMMIT: reply bytes written (at most the call's rep_cap)
 *
 * Exactly 16 bytes: as IORING_OP_URING_CMD it is the SQE's command area
 * itself (no pointer); as an ioctl it is passed by address.
 */
struct qrpc_io {
	__u32	handle;
	__u32	index;
	__u32	arg;
	__u32	len;
};

/* Cancel flags (struct qrpc_io.arg of QRPC_IOC_CANCEL). */
/* Complete the call now with -ECANCELED instead of waiting for the server. */
#define QRPC_CANCEL_F_ABORTIVE	0x1U

/*
 * QRPC_IOC_SERVE: attach as a server of a port.  -EDQUOT: the descriptor
 * table would take the user past module parameter
 * max_pinned_bytes_per_user (memory shared with user space, which stays
 * in place while the server lives).
 */
#define QRPC_IOC_SERVE \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x06, struct qrpc_serve)
/* QRPC_IOC_IF_REGISTER: serve an interface; -EEXIST if already served. */
#define QRPC_IOC_IF_REGISTER \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x07, struct qrpc_if_reg)
/* QRPC_IOC_IF_UNREGISTER: stop serving it; -ENOENT if not served. */
#define QRPC_IOC_IF_UNREGISTER \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x08, struct qrpc_if_reg)
/*
 * QRPC_IOC_CONNECT: connect to a port as a client.  -EDQUOT: the
 * connection's areas would take the user past max_pinned_bytes_per_user;
 * they stay charged while the connection, or a message it sent that is
 * still queued or dead-lettered, lives.
 */
#define QRPC_IOC_CONNECT \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x09, struct qrpc_connect)
/* QRPC_IOC_MAP_CONN: where a server maps a caller's areas. */
#define QRPC_IOC_MAP_CONN \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x0a, struct qrpc_map_conn)
/*
 * QRPC_IOC_CALL: issue the call in a slot.  Completes with the reply
 * length (plain call), or 0 once queued ([maybe], [message]); errors:
 * -EINVAL bad slot contents, -EBUSY slot in use, -ENOTCONN no server
 * serves the interface version (plain call), -ENOBUFS queue full, -EDQUOT
 * the sender's queued-bytes quota is used up, -ENOSPC the port has calls
 * for as many interface versions as it may, -EMSGSIZE request too large,
 * -EBADF no such connection (or it is closing), -ENOMEM, -ETIMEDOUT,
 * -ECANCELED, -EREMOTEIO the server faulted (code in the slot's result),
 * -EPIPE the server died.  Unlinking a port takes only its name: its
 * connections and servers go on working (-EIDRM is the release status of
 * calls failed when no one is left to reach the port).  By ioctl, the
 * wait for a plain call's answer goes on through signals a handler
 * catches; only a fatal signal ends it, and cancels the call as an
 * exiting caller's would be.  Give up with the slot's timeout or CANCEL.
 */
#define QRPC_IOC_CALL \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x0b, struct qrpc_io)
/* QRPC_IOC_CANCEL: cancel the call in a slot; -ENOENT if none is pending. */
#define QRPC_IOC_CANCEL \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x0c, struct qrpc_io)
/*
 * QRPC_IOC_FETCH: wait for a call on a tag.  -EBUSY while the tag holds a
 * call, has a FETCH parked, or its last FETCH's completion is still being
 * delivered (a server that sees the call in its descriptor table before
 * the completion must wait for the completion before re-arming); -EPIPE
 * once the server is closed.  By ioctl, a signal ends the wait with
 * -ERESTARTSYS (so SA_RESTART restarts it).
 */
#define QRPC_IOC_FETCH \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x0d, struct qrpc_io)
/* QRPC_IOC_COMMIT: answer the call on a tag; -ENOENT if it holds none. */
#define QRPC_IOC_COMMIT \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x0e, struct qrpc_io)
/*
 * QRPC_IOC_COMMIT_AND_FETCH: answer, then wait for the next call.  The
 * error says which half failed: -EBADF (no such server), -EINVAL (bad
 * tag, reply too large, a fault for a one-way call) and -ENOENT (the tag
 * holds no call) mean nothing was committed or fetched; any other error
 * (-EBUSY, -EPIPE, -EINTR) is the fetch's, after the commit was done.  By
 * ioctl, a signal ends the wait with -EINTR, even with SA_RESTART (a
 * restart would commit again).
 */
#define QRPC_IOC_COMMIT_AND_FETCH \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x0f, struct qrpc_io)

/*
 * The dead-letter queue.  A [message] sent with QRPC_SLOT_F_DEADLETTER whose
 * time to be received (ttbr_s) runs out while it waits is moved to its
 * port's dead-letter queue instead of being discarded.  It keeps its slot
 * and request bytes there: it can be listed, requeued (it then waits for a
 * server again, without a deadline) or purged (its slot is released with
 * QRPC_RELEASE_DEADLETTER).  These commands need a port handle with
 * QRPC_ACCESS_SERVE.
 */

/**
 * struct qrpc_dlq_entry - one dead-lettered message
 * @call_id:	its id, for QRPC_IOC_DLQ_REQUEUE and _PURGE
 * @conn_id:	the sender's connection
 * @slot:	the sender's slot
 * @priority:	its priority
 * @flags:	its slot flags
 * @opnum:	its operation
 * @iface:	its interface
 * @req_len:	its request's length
 * @pid:	the sender's process id, in the caller's pid namespace
 * @uid:	the sender's uid, in the caller's user namespace
 * @gid:	the sender's gid, likewise
 * @age_ms:	milliseconds since it was sent
 * @reserved:	zero
 */
struct qrpc_dlq_entry {
	__u64	call_id;
	__u32	conn_id;
	__u32	slot;
	__u8	priority;
	__u8	reserved0;
	__u16	flags;
	__u32	opnum;
	struct qrpc_if_id iface;
	__u32	req_len;
	__s32	pid;
	__u32	uid;
	__u32	gid;
	__u64	age_ms;
	__u64	reserved[2];
};

/**
 * struct qrpc_dlq_list - QRPC_IOC_DLQ_LIST argument
 * @port:	a port handle with QRPC_ACCESS_SERVE (in)
 * @count:	entries the array at @addr holds (in); filled (out)
 * @addr:	user address of an array of struct qrpc_dlq_entry (in)
 * @total:	messages in the dead-letter queue (out)
 * @reserved0:	must be zero
 * @reserved:	must be zero
 */
struct qrpc_dlq_list {
	__u32	port;
	__u32	count;
	__u64	addr;
	__u32	total;
	__u32	reserved0;
	__u64	reserved[2];
};

/**
 * struct qrpc_dlq_op - QRPC_IOC_DLQ_REQUEUE and _PURGE argument
 * @port:	a port handle with QRPC_ACCESS_SERVE (in)
 * @reserved0:	must be zero
 * @call_id:	the message, or 0 for all of them (in)
 * @count:	messages requeued or purged (out)
 * @reserved1:	must be zero
 * @reserved:	must be zero
 */
struct qrpc_dlq_op {
	__u32	port;
	__u32	reserved0;
	__u64	call_id;
	__u32	count;
	__u32	reserved1;
	__u64	reserved[2];
};

/* QRPC_IOC_DLQ_LIST: describe the dead-letter queue, oldest first. */
#define QRPC_IOC_DLQ_LIST \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x10, struct qrpc_dlq_list)
/* QRPC_IOC_DLQ_REQUEUE: send messages back to the queue; -ENOENT if none. */
#define QRPC_IOC_DLQ_REQUEUE \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x11, struct qrpc_dlq_op)
/* QRPC_IOC_DLQ_PURGE: discard messages; -ENOENT if none. */
#define QRPC_IOC_DLQ_PURGE \
	_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x12, struct qrpc_dlq_op)

#endif /* _UAPI_LINUX_QRPC_H */
