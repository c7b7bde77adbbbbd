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

#include "qrpc.h"

static int qrpc_open(struct inode *inode, struct file *file)
{
	struct qrpc_instance *inst;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL_ACCOUNT);
	if (!inst)
		return -ENOMEM;
	inst->cred = get_current_cred();
	inst->tgid = task_tgid_nr(current);
	file->private_data = inst;
	return nonseekable_open(inode, file);
}

static int qrpc_release(struct inode *inode, struct file *file)
{
	struct qrpc_instance *inst = file->private_data;

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
