// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: the command table.  ioctl() and IORING_OP_URING_CMD both end here,
 * so every command behaves the same whichever way it arrives.  The
 * argument is copied in once before the command runs and copied back after
 * it succeeds; commands only validate and act.
 */
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "engine.h"
#include "port.h"
#include "qrpc.h"

#define all_zero(field)	(!memchr_inv(&(field), 0, sizeof(field)))

static int qrpc_get_features(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_features *f = arg;

	if (f->flags || !all_zero(f->reserved))
		return -EINVAL;

	memset(f, 0, sizeof(*f));
	f->abi_major = QRPC_ABI_MAJOR;
	f->abi_minor = QRPC_ABI_MINOR;
	f->features = QRPC_F_IOCTL | QRPC_F_URING_CMD | QRPC_F_POLL |
		      QRPC_F_PORTS | QRPC_F_CALLS;
	if (QRPC_URING_CAN_CANCEL)
		f->features |= QRPC_F_URING_CANCEL;
	strscpy(f->module_version, QRPC_MODULE_VERSION,
		sizeof(f->module_version));
	return 0;
}

#define QRPC_ACCESS_ALL	(QRPC_ACCESS_CALL | QRPC_ACCESS_SERVE)

/* Take a reference to @port into a new handle; on failure drop it. */
static int qrpc_port_handle(struct qrpc_instance *inst, struct qrpc_port *port,
			    u32 access, bool creator, u32 *id)
{
	struct qrpc_handle *h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	int ret;

	if (h) {
		h->type = QRPC_HANDLE_PORT;
		h->access = access;
		h->creator = creator;
		h->port = port;
		qrpc_port_user_get(port);
		ret = qrpc_handle_add(inst, h, id);
		if (!ret)
			return 0;
		qrpc_port_user_put(port);
		kfree(h);
	} else {
		ret = -ENOMEM;
	}
	if (creator)
		qrpc_port_creator_closed(port);
	qrpc_port_put(port);
	return ret;
}

static int qrpc_cmd_port_create(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_port_create *c = arg;
	struct qrpc_port_limits limits;
	struct qrpc_port *port;
	bool created;
	int ret;

	ret = qrpc_port_name_valid(c->name);
	if (ret)
		return ret;
	if ((c->mode & ~0777) ||
	    (c->flags & ~(QRPC_PORT_F_EXCL | QRPC_PORT_F_TEMPORARY)) ||
	    (c->access & ~QRPC_ACCESS_ALL) || c->reserved0 ||
	    !all_zero(c->reserved))
		return -EINVAL;

	port = qrpc_port_create(c, &limits, &created);
	if (IS_ERR(port))
		return PTR_ERR(port);
	ret = qrpc_port_handle(inst, port, created ? QRPC_ACCESS_ALL : c->access,
			       created, &c->handle);
	if (ret)
		return ret;
	c->limits = limits;
	c->created = created;
	return 0;
}

static int qrpc_cmd_port_open(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_port_open *o = arg;
	struct qrpc_port *port;
	int ret;

	ret = qrpc_port_name_valid(o->name);
	if (ret)
		return ret;
	if (!o->access || (o->access & ~QRPC_ACCESS_ALL) ||
	    !all_zero(o->reserved))
		return -EINVAL;

	port = qrpc_port_open(o->name, o->access);
	if (IS_ERR(port))
		return PTR_ERR(port);
	return qrpc_port_handle(inst, port, o->access, false, &o->handle);
}

static int qrpc_cmd_port_unlink(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_port_name *n = arg;
	int ret = qrpc_port_name_valid(n->name);

	if (ret)
		return ret;
	if (!all_zero(n->reserved))
		return -EINVAL;
	return qrpc_port_unlink(n->name);
}

static int qrpc_cmd_port_list(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_port_list *l = arg;

	if (!all_zero(l->reserved))
		return -EINVAL;
	return qrpc_port_list(l);
}

static int qrpc_cmd_serve(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_serve *s = arg;

	if (s->reserved0 || !all_zero(s->reserved))
		return -EINVAL;
	return qrpc_serve(inst, s);
}

static int qrpc_cmd_if_register(struct qrpc_instance *inst, void *arg)
{
	return qrpc_if_register(inst, arg, true);
}

static int qrpc_cmd_if_unregister(struct qrpc_instance *inst, void *arg)
{
	return qrpc_if_register(inst, arg, false);
}

static int qrpc_cmd_connect(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_connect *c = arg;

	if (!all_zero(c->reserved))
		return -EINVAL;
	return qrpc_connect(inst, c);
}

static int qrpc_cmd_map_conn(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_map_conn *m = arg;

	if (!all_zero(m->reserved))
		return -EINVAL;
	return qrpc_map_conn(inst, m);
}

/*
 * The data-path commands, from ioctl(): they may block, as the uring_cmd
 * would park.
 */
static int qrpc_cmd_call(struct qrpc_instance *inst, void *arg)
{
	return qrpc_call(inst, arg, NULL, 0);
}

static int qrpc_cmd_cancel(struct qrpc_instance *inst, void *arg)
{
	return qrpc_cancel(inst, arg);
}

static int qrpc_cmd_fetch(struct qrpc_instance *inst, void *arg)
{
	return qrpc_server_io(inst, QRPC_IOC_FETCH, arg, NULL, 0);
}

static int qrpc_cmd_commit(struct qrpc_instance *inst, void *arg)
{
	return qrpc_server_io(inst, QRPC_IOC_COMMIT, arg, NULL, 0);
}

static int qrpc_cmd_commit_fetch(struct qrpc_instance *inst, void *arg)
{
	return qrpc_server_io(inst, QRPC_IOC_COMMIT_AND_FETCH, arg, NULL, 0);
}

static int qrpc_cmd_dlq_list(struct qrpc_instance *inst, void *arg)
{
	return qrpc_dlq_list(inst, arg);
}

static int qrpc_cmd_dlq_requeue(struct qrpc_instance *inst, void *arg)
{
	return qrpc_dlq_op(inst, arg, true);
}

static int qrpc_cmd_dlq_purge(struct qrpc_instance *inst, void *arg)
{
	return qrpc_dlq_op(inst, arg, false);
}

static int qrpc_cmd_close(struct qrpc_instance *inst, void *arg)
{
	struct qrpc_handle_arg *h = arg;

	if (h->reserved0)
		return -EINVAL;
	return qrpc_handle_close(inst, h->handle);
}

/* Every command's argument fits here; it lives on the stack. */
union qrpc_command_arg {
	struct qrpc_features	features;
	struct qrpc_port_create	port_create;
	struct qrpc_port_open	port_open;
	struct qrpc_port_name	port_name;
	struct qrpc_port_list	port_list;
	struct qrpc_handle_arg	handle;
	struct qrpc_serve	serve;
	struct qrpc_if_reg	if_reg;
	struct qrpc_connect	connect;
	struct qrpc_map_conn	map_conn;
	struct qrpc_io		io;
	struct qrpc_dlq_list	dlq_list;
	struct qrpc_dlq_op	dlq_op;
};

struct qrpc_command_desc {
	unsigned int	cmd;
	int		(*fn)(struct qrpc_instance *inst, void *arg);
	/* Whether the argument goes back to user space on success. */
	bool		copy_out;
	/*
	 * Where a command that makes a handle returns it (an offset into
	 * the argument), or -1: if the copy-out fails, the handle is closed
	 * again, since nobody could ever know its number.
	 */
	int		handle_off;
	/* Whether a file opened for reading only may run it (-EBADF). */
	bool		looks_only;
};

#define CMD(c, f)		{ c, f, true, -1, false }
#define CMD_HANDLE(c, f, t, m)	{ c, f, true, offsetof(t, m), false }
/* Data-path commands return their result only: the argument stays. */
#define CMD_IO(c, f)		{ c, f, false, -1, false }
/* Commands that change nothing but the file's own handles. */
#define CMD_LOOK(c, f)		{ c, f, true, -1, true }
#define CMD_LOOK_HANDLE(c, f, t, m) { c, f, true, offsetof(t, m), true }

/* Indexed by _IOC_NR(cmd) - QRPC_IOC_BASE. */
static const struct qrpc_command_desc qrpc_commands[] = {
	CMD_LOOK(QRPC_IOC_GET_FEATURES, qrpc_get_features),
	CMD_HANDLE(QRPC_IOC_PORT_CREATE, qrpc_cmd_port_create,
		   struct qrpc_port_create, handle),
	CMD_LOOK_HANDLE(QRPC_IOC_PORT_OPEN, qrpc_cmd_port_open,
			struct qrpc_port_open, handle),
	CMD(QRPC_IOC_PORT_UNLINK, qrpc_cmd_port_unlink),
	CMD_LOOK(QRPC_IOC_PORT_LIST, qrpc_cmd_port_list),
	CMD_LOOK(QRPC_IOC_CLOSE, qrpc_cmd_close),
	CMD_HANDLE(QRPC_IOC_SERVE, qrpc_cmd_serve, struct qrpc_serve, handle),
	CMD(QRPC_IOC_IF_REGISTER, qrpc_cmd_if_register),
	CMD(QRPC_IOC_IF_UNREGISTER, qrpc_cmd_if_unregister),
	CMD_HANDLE(QRPC_IOC_CONNECT, qrpc_cmd_connect, struct qrpc_connect,
		   handle),
	CMD(QRPC_IOC_MAP_CONN, qrpc_cmd_map_conn),
	CMD_IO(QRPC_IOC_CALL, qrpc_cmd_call),
	CMD_IO(QRPC_IOC_CANCEL, qrpc_cmd_cancel),
	CMD_IO(QRPC_IOC_FETCH, qrpc_cmd_fetch),
	CMD_IO(QRPC_IOC_COMMIT, qrpc_cmd_commit),
	CMD_IO(QRPC_IOC_COMMIT_AND_FETCH, qrpc_cmd_commit_fetch),
	CMD_LOOK(QRPC_IOC_DLQ_LIST, qrpc_cmd_dlq_list),
	CMD(QRPC_IOC_DLQ_REQUEUE, qrpc_cmd_dlq_requeue),
	CMD(QRPC_IOC_DLQ_PURGE, qrpc_cmd_dlq_purge),
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
 * Run command @cmd with its argument at @uarg.  @len is the size the caller
 * says the argument has; it must be the size the command number encodes.
 */
long qrpc_command(struct qrpc_instance *inst, unsigned int cmd,
		  void __user *uarg, size_t len)
{
	const struct qrpc_command_desc *desc = qrpc_command_lookup(cmd);
	union qrpc_command_arg arg;
	size_t size;
	int ret;

	if (!desc)
		return -ENOTTY;
	if (!desc->looks_only && !inst->writable)
		return -EBADF;
	size = _IOC_SIZE(cmd);
	if (len != size)
		return -EINVAL;
	if (WARN_ON_ONCE(size > sizeof(arg)))
		return -ENOTTY;
	if (copy_from_user(&arg, uarg, size))
		return -EFAULT;
	ret = desc->fn(inst, &arg);
	if (ret < 0 || !desc->copy_out || !copy_to_user(uarg, &arg, size))
		return ret;
	if (desc->handle_off >= 0) {
		u32 handle;

		memcpy(&handle, (char *)&arg + desc->handle_off, sizeof(handle));
		qrpc_handle_close(inst, handle);
	}
	return -EFAULT;
}
