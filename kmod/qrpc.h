/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces shared by the files of the qrpc module.
 */
#ifndef QRPC_INTERNAL_H
#define QRPC_INTERNAL_H

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <linux/qrpc.h>

#define QRPC_MODULE_VERSION	"0.1.0"

#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

struct io_uring_cmd;
struct qrpc_conn;
struct qrpc_port;
struct qrpc_server;

/* What a handle names. */
enum qrpc_handle_type {
	QRPC_HANDLE_PORT = 1,
	QRPC_HANDLE_SERVER,
	QRPC_HANDLE_CONN,
};

/*
 * A handle: a number private to one open file that names an object the
 * file holds a reference on.  Commands look handles up without a lock
 * (RCU) and hold a reference while they use one, so a concurrent
 * QRPC_IOC_CLOSE only takes effect once they are done.
 */
struct qrpc_handle {
	struct kref		ref;
	struct rcu_head		rcu;
	enum qrpc_handle_type	type;
	u32			access;		/* QRPC_ACCESS_*, for ports */
	bool			creator;	/* created the port */
	union {
		struct qrpc_port	*port;
		struct qrpc_server	*server;
		struct qrpc_conn	*conn;
	};
};

/*
 * One open() of /dev/qrpc.  It becomes a client, a server or both through
 * the commands it issues; it remembers who opened it so that permission
 * checks and the credentials stamped on calls do not depend on who happens
 * to issue a later command (an fd may be passed to another process).
 */
struct qrpc_instance {
	/*
	 * Opened for writing: may change something.  An open for reading
	 * only may look (features, ports, dead letters), so that dev_mode
	 * 0644 gives others a view and nothing else.
	 */
	bool			writable;
	struct xarray		handles;	/* of struct qrpc_handle */
	u32			handle_next;	/* next number to try */
	wait_queue_head_t	poll_wq;	/* poll(): a call to fetch */
	/* The exit monitor, where uring_cmds cannot be cancelled (6.1). */
	spinlock_t		watch_lock;
	struct list_head	watched;	/* struct qrpc_waiter */
	struct delayed_work	monitor;
	unsigned long		monitor_period;	/* under watch_lock */
};

/* Frees arenas and servers, whose unmapping may sleep; flushed at exit. */
extern struct workqueue_struct *qrpc_wq;

/* instance.c: the file operations of /dev/qrpc */
extern const struct file_operations qrpc_fops;

/* instance.c: handles */
int qrpc_handle_add(struct qrpc_instance *inst, struct qrpc_handle *h,
		    u32 *id);
int qrpc_handle_close(struct qrpc_instance *inst, u32 id);
struct qrpc_handle *qrpc_handle_get(struct qrpc_instance *inst, u32 id,
				    enum qrpc_handle_type type);
void qrpc_handle_put(struct qrpc_handle *h);

/* commands.c: the command table shared by ioctl and uring_cmd */
long qrpc_command(struct qrpc_instance *inst, unsigned int cmd,
		  void __user *uarg, size_t len);
bool qrpc_command_known(unsigned int cmd);

/* uring.c */
int qrpc_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags);

#endif /* QRPC_INTERNAL_H */
