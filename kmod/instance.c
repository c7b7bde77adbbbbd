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

#include "port.h"
#include "qrpc.h"

/* Handles per open file; an fd is not meant to hold more. */
#define QRPC_MAX_HANDLES	65535

static void qrpc_handle_free(struct qrpc_handle *h)
{
	switch (h->type) {
	case QRPC_HANDLE_PORT:
		if (h->creator)
			qrpc_port_creator_closed(h->port);
		qrpc_port_put(h->port);
		break;
	}
	kfree(h);
}

/*
 * Give @h a number in @inst; on success @inst owns @h.  -EMFILE when the
 * file holds the most handles it may.
 */
int qrpc_handle_add(struct qrpc_instance *inst, struct qrpc_handle *h,
		    u32 *id)
{
	int ret = xa_alloc(&inst->handles, id, h,
			   XA_LIMIT(1, QRPC_MAX_HANDLES), GFP_KERNEL_ACCOUNT);

	return ret == -EBUSY ? -EMFILE : ret;
}

int qrpc_handle_close(struct qrpc_instance *inst, u32 id)
{
	struct qrpc_handle *h = xa_erase(&inst->handles, id);

	if (!h)
		return -EBADF;
	qrpc_handle_free(h);
	return 0;
}

static int qrpc_open(struct inode *inode, struct file *file)
{
	struct qrpc_instance *inst;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL_ACCOUNT);
	if (!inst)
		return -ENOMEM;
	inst->cred = get_current_cred();
	inst->tgid = task_tgid_nr(current);
	xa_init_flags(&inst->handles, XA_FLAGS_ALLOC1);
	file->private_data = inst;
	return nonseekable_open(inode, file);
}

static int qrpc_release(struct inode *inode, struct file *file)
{
	struct qrpc_instance *inst = file->private_data;
	struct qrpc_handle *h;
	unsigned long id;

	xa_for_each(&inst->handles, id, h)
		qrpc_handle_free(h);
	xa_destroy(&inst->handles);
	put_cred(inst->cred);
	kfree(inst);
	return 0;
}

static long qrpc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return qrpc_command(file->private_data, cmd, (void __user *)arg,
			    _IOC_SIZE(cmd));
}

/*
 * No region of the device is mappable yet: the queue rings and payload
 * arenas that will be mapped here are created by commands, and an offset
 * that names none of them is invalid.
 */
static int qrpc_mmap(struct file *file, struct vm_area_struct *vma)
{
	return -EINVAL;
}

/* Readiness comes from completed calls; an instance without any has none. */
static __poll_t qrpc_poll(struct file *file, struct poll_table_struct *wait)
{
	return 0;
}

const struct file_operations qrpc_fops = {
	.owner		= THIS_MODULE,
	.open		= qrpc_open,
	.release	= qrpc_release,
	.unlocked_ioctl	= qrpc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= qrpc_mmap,
	.poll		= qrpc_poll,
	.uring_cmd	= qrpc_uring_cmd,
};
