// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: the file operations of /dev/qrpc.  Each open() makes an instance;
 * everything it creates is torn down when the last reference to the file
 * goes.
 */
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "engine.h"
#include "port.h"
#include "qrpc.h"

/* Handles per open file; an fd is not meant to hold more. */
#define QRPC_MAX_HANDLES	65535

/* The last reference to a handle is gone: let go of what it names. */
static void qrpc_handle_release(struct kref *ref)
{
	struct qrpc_handle *h = container_of(ref, struct qrpc_handle, ref);

	switch (h->type) {
	case QRPC_HANDLE_PORT:
		if (h->creator)
			qrpc_port_creator_closed(h->port);
		qrpc_port_user_put(h->port);
		qrpc_port_put(h->port);
		break;
	case QRPC_HANDLE_SERVER:
		qrpc_server_close(h->server);
		qrpc_server_put(h->server);
		break;
	case QRPC_HANDLE_CONN:
		qrpc_conn_close(h->conn);
		break;
	}
	kfree_rcu(h, rcu);
}

void qrpc_handle_put(struct qrpc_handle *h)
{
	kref_put(&h->ref, qrpc_handle_release);
}

/* Handle @id of @inst if it names a @type, with a reference; or -EBADF. */
struct qrpc_handle *qrpc_handle_get(struct qrpc_instance *inst, u32 id,
				    enum qrpc_handle_type type)
{
	struct qrpc_handle *h;

	rcu_read_lock();
	h = xa_load(&inst->handles, id);
	if (h && (h->type != type || !kref_get_unless_zero(&h->ref)))
		h = NULL;
	rcu_read_unlock();
	return h ? h : ERR_PTR(-EBADF);
}

/*
 * Publish @h, whose object must be complete, under a number in @inst; on
 * success @inst owns @h, and any thread may close it at once.  Numbers go
 * round (never the lowest free one), so a number closed is not soon given
 * to something else.  -EMFILE when the file holds the most handles it may.
 */
int qrpc_handle_add(struct qrpc_instance *inst, struct qrpc_handle *h,
		    u32 *id)
{
	int ret;

	kref_init(&h->ref);
	ret = xa_alloc_cyclic(&inst->handles, id, h,
			      XA_LIMIT(1, QRPC_MAX_HANDLES),
			      &inst->handle_next, GFP_KERNEL_ACCOUNT);
	if (ret == -EBUSY)
		return -EMFILE;
	return ret < 0 ? ret : 0;
}

int qrpc_handle_close(struct qrpc_instance *inst, u32 id)
{
	struct qrpc_handle *h = xa_erase(&inst->handles, id);

	if (!h)
		return -EBADF;
	qrpc_handle_put(h);
	return 0;
}

static int qrpc_open(struct inode *inode, struct file *file)
{
	struct qrpc_instance *inst;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL_ACCOUNT);
	if (!inst)
		return -ENOMEM;
	inst->writable = file->f_mode & FMODE_WRITE;
	xa_init_flags(&inst->handles, XA_FLAGS_ALLOC1);
	init_waitqueue_head(&inst->poll_wq);
	qrpc_monitor_init(inst);
	file->private_data = inst;
	return nonseekable_open(inode, file);
}

static int qrpc_release(struct inode *inode, struct file *file)
{
	struct qrpc_instance *inst = file->private_data;
	struct qrpc_handle *h;
	unsigned long id;

	/* No command can run any more: the file's last reference is gone. */
	xa_for_each(&inst->handles, id, h) {
		xa_erase(&inst->handles, id);
		qrpc_handle_put(h);
	}
	xa_destroy(&inst->handles);
	qrpc_monitor_exit(inst);
	qrpc_ports_reap_soon();
	kfree(inst);
	return 0;
}

static long qrpc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return qrpc_command(file->private_data, cmd, (void __user *)arg,
			    _IOC_SIZE(cmd));
}

/*
 * The offsets of mappable regions come from QRPC_IOC_CONNECT, _SERVE and
 * _MAP_CONN; any other offset is -EINVAL.
 */
static int qrpc_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	return qrpc_mmap(file->private_data, vma);
}

/*
 * Readable (EPOLLIN) when a server of this file has a call it could FETCH
 * now, so a program that cannot use io_uring can wait in poll() or epoll
 * and then FETCH through ioctl() without blocking.
 */
static __poll_t qrpc_poll(struct file *file, struct poll_table_struct *wait)
{
	struct qrpc_instance *inst = file->private_data;
	struct qrpc_handle *h;
	unsigned long id;
	__poll_t mask = 0;

	poll_wait(file, &inst->poll_wq, wait);
	/* Under the table's lock a listed handle still holds its server. */
	xa_lock(&inst->handles);
	xa_for_each(&inst->handles, id, h) {
		if (h->type == QRPC_HANDLE_SERVER && qrpc_server_ready(h->server)) {
			mask = EPOLLIN | EPOLLRDNORM;
			break;
		}
	}
	xa_unlock(&inst->handles);
	return mask;
}

const struct file_operations qrpc_fops = {
	.owner		= THIS_MODULE,
	.open		= qrpc_open,
	.release	= qrpc_release,
	.unlocked_ioctl	= qrpc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= qrpc_file_mmap,
	.poll		= qrpc_poll,
	.uring_cmd	= qrpc_uring_cmd,
};
