// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: the command table.  ioctl() and IORING_OP_URING_CMD both end here,
 * so every command behaves the same whichever way it arrives.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "qrpc.h"

static bool qrpc_all_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static int qrpc_get_features(struct qrpc_instance *inst, void __user *arg)
{
	struct qrpc_features f;

	if (copy_from_user(&f, arg, sizeof(f)))
		return -EFAULT;
	if (f.flags || !qrpc_all_zero(f.reserved, sizeof(f.reserved)))
		return -EINVAL;

	memset(&f, 0, sizeof(f));
	f.abi_major = QRPC_ABI_MAJOR;
	f.abi_minor = QRPC_ABI_MINOR;
	f.features = QRPC_F_IOCTL | QRPC_F_URING_CMD | QRPC_F_POLL;
	if (QRPC_URING_CAN_CANCEL)
		f.features |= QRPC_F_URING_CANCEL;
	strscpy(f.module_version, QRPC_MODULE_VERSION,
		sizeof(f.module_version));

	if (copy_to_user(arg, &f, sizeof(f)))
		return -EFAULT;
	return 0;
}

struct qrpc_command_desc {
	unsigned int	cmd;
	int		(*fn)(struct qrpc_instance *inst, void __user *arg);
};

/* Indexed by _IOC_NR(cmd) - QRPC_IOC_BASE. */
static const struct qrpc_command_desc qrpc_commands[] = {
	{ QRPC_IOC_GET_FEATURES, qrpc_get_features },
};

static const struct qrpc_command_desc *qrpc_command_lookup(unsigned int cmd)
{
	unsigned int idx = _IOC_NR(cmd) - QRPC_IOC_BASE;

	if (_IOC_TYPE(cmd) != QRPC_IOC_MAGIC || idx >= ARRAY_SIZE(qrpc_commands))
		return NULL;
	/*
	 * The whole number must match, not only its index: direction and
	 * size are part of the ABI, and a caller built against a different
	 * layout of the argument must be refused, not misread.
	 */
	if (qrpc_commands[idx].cmd != cmd)
		return NULL;
	return &qrpc_commands[idx];
}

bool qrpc_command_known(unsigned int cmd)
{
	return qrpc_command_lookup(cmd);
}

/*
 * Run command @cmd with its argument at @arg.  @len is the size the caller
 * says the argument has; it must be the size the command number encodes.
 */
long qrpc_command(struct qrpc_instance *inst, unsigned int cmd,
		  void __user *arg, size_t len)
{
	const struct qrpc_command_desc *desc = qrpc_command_lookup(cmd);

	if (!desc)
		return -ENOTTY;
	if (len != _IOC_SIZE(cmd))
		return -EINVAL;
	return desc->fn(inst, arg);
}
