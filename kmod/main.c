// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: module entry points and the /dev/qrpc misc device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/workqueue.h>

#include "port.h"
#include "user.h"
#include "qrpc.h"

/*
 * Ports carry their own owner and mode, so by default anyone may open the
 * device; an administrator can narrow that with this parameter.
 */
static ushort dev_mode = 0666;
module_param(dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode, "Permission bits of /dev/qrpc (default 0666)");

struct workqueue_struct *qrpc_wq;
static struct dentry *qrpc_debugfs;

static struct miscdevice qrpc_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= QRPC_DEVICE_NAME,
	.fops	= &qrpc_fops,
};

static int __init qrpc_init(void)
{
	int ret;

	if (dev_mode & ~0777) {
		pr_err("dev_mode %#o has bits outside 0777\n", dev_mode);
		return -EINVAL;
	}
	qrpc_misc.mode = dev_mode;
	qrpc_users_init();

	qrpc_wq = alloc_workqueue("qrpc", 0, 0);
	if (!qrpc_wq)
		return -ENOMEM;
	ret = misc_register(&qrpc_misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", QRPC_DEVICE_NAME, ret);
		destroy_workqueue(qrpc_wq);
		return ret;
	}
	/* Counters for administrators; qrpc works without them. */
	qrpc_debugfs = debugfs_create_dir(QRPC_DEVICE_NAME, NULL);
	qrpc_ports_debugfs(qrpc_debugfs);
	pr_info("version %s, ABI %u.%u\n", QRPC_MODULE_VERSION,
		QRPC_ABI_MAJOR, QRPC_ABI_MINOR);
	return 0;
}

static void __exit qrpc_exit(void)
{
	debugfs_remove_recursive(qrpc_debugfs);
	misc_deregister(&qrpc_misc);
	/* Purges what ports still queue, which frees arenas on qrpc_wq. */
	qrpc_ports_exit();
	destroy_workqueue(qrpc_wq);
	qrpc_users_exit();
}

module_init(qrpc_init);
module_exit(qrpc_exit);

MODULE_DESCRIPTION("qrpc: local RPC with zero-copy queue rings over io_uring");
MODULE_AUTHOR("The qrpc developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(QRPC_MODULE_VERSION);
