// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: ports, the named endpoints of an IPC namespace.
 *
 * Linked ports live in one hash table keyed by namespace and name, under
 * qrpc_ports_lock.  A port is refcounted: the table holds a reference while
 * it is linked, and so does every handle (and, later, every server,
 * connection and queued call), so unlinking only removes the name.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/hashtable.h>
#include <linux/ipc_namespace.h>
#include <linux/jhash.h>
#include <linux/list_sort.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "engine.h"
#include "port.h"
#include "user.h"

static unsigned int default_depth = 1024;
module_param(default_depth, uint, 0644);
MODULE_PARM_DESC(default_depth, "Queue depth of a port that asks for 0 (default 1024)");

static unsigned int max_depth = 65536;
module_param(max_depth, uint, 0644);
MODULE_PARM_DESC(max_depth, "Largest queue depth a port may ask for (default 65536)");

static unsigned int default_payload = 1 << 20;
module_param(default_payload, uint, 0644);
MODULE_PARM_DESC(default_payload,
		 "Largest request of a port that asks for 0, bytes (default 1 MiB)");

static unsigned int max_payload = 64 << 20;
module_param(max_payload, uint, 0644);
MODULE_PARM_DESC(max_payload, "Largest request size a port may allow, bytes (default 64 MiB)");

static unsigned long default_bytes = 64UL << 20;
module_param(default_bytes, ulong, 0644);
MODULE_PARM_DESC(default_bytes,
		 "Queued request bytes of a port that asks for 0 (default 64 MiB)");

static unsigned long max_bytes = 1UL << 30;
module_param(max_bytes, ulong, 0644);
MODULE_PARM_DESC(max_bytes, "Most queued request bytes a port may allow (default 1 GiB)");

static unsigned int default_dlq = 1024;
module_param(default_dlq, uint, 0644);
MODULE_PARM_DESC(default_dlq,
		 "Dead-letter queue length of a port that asks for 0 (default 1024)");

static unsigned int max_dlq = 65536;
module_param(max_dlq, uint, 0644);
MODULE_PARM_DESC(max_dlq, "Longest dead-letter queue a port may ask for (default 65536)");

#define QRPC_PORT_HASH_BITS	8

static DEFINE_MUTEX(qrpc_ports_lock);
static DEFINE_HASHTABLE(qrpc_ports, QRPC_PORT_HASH_BITS);
/* Linked ports outside the initial IPC namespace; under qrpc_ports_lock. */
static LIST_HEAD(qrpc_foreign_ports);

#define QRPC_REAP_PERIOD	(10 * HZ)
static void qrpc_ns_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(qrpc_reaper, qrpc_ns_reap);

/* init_ipc_ns is not exported on every kernel (Debian's 6.1): its inode is. */
static bool qrpc_ns_initial(const struct ipc_namespace *ns)
{
	return ns->ns.inum == PROC_IPC_INIT_INO;
}

static u32 qrpc_port_hash(const struct ipc_namespace *ns, const char *name)
{
	return jhash(name, strlen(name), hash_ptr(ns, 32));
}

static struct ipc_namespace *qrpc_current_ns(void)
{
	return current->nsproxy->ipc_ns;
}

/*
 * Ports hold a reference on their namespace.  put_ipc_ns() is not exported
 * on every kernel (Debian's 6.1), but the namespace's own operations are
 * reachable through it, and are what nsfs uses.
 */
static void qrpc_ns_put(struct ipc_namespace *ns)
{
#ifdef CONFIG_IPC_NS
	ns->ns.ops->put(&ns->ns);
#endif
}

/*
 * A valid name is 1 to QRPC_NAME_MAX - 1 bytes of [A-Za-z0-9._-], not
 * starting with '.', then NUL, and nothing but NULs after it: a future ABI
 * may give those bytes a meaning.
 */
int qrpc_port_name_valid(const char *name)
{
	size_t len = strnlen(name, QRPC_NAME_MAX);
	size_t i;

	if (len == 0 || len == QRPC_NAME_MAX || name[0] == '.')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		/* ASCII only: the kernel's isalnum() takes Latin-1 letters. */
		if (!isascii(c) ||
		    (!isalnum(c) && c != '.' && c != '_' && c != '-'))
			return -EINVAL;
	}
	if (memchr_inv(name + len, 0, QRPC_NAME_MAX - len))
		return -EINVAL;
	return 0;
}

/* Called under qrpc_ports_lock. */
static struct qrpc_port *qrpc_port_lookup(struct ipc_namespace *ns,
					  const char *name)
{
	struct qrpc_port *port;

	hash_for_each_possible(qrpc_ports, port, node,
			       qrpc_port_hash(ns, name))
		if (port->ns == ns && !strcmp(port->name, name))
			return port;
	return NULL;
}

static void qrpc_port_free(struct kref *ref)
{
	struct qrpc_port *port = container_of(ref, struct qrpc_port, ref);

	/* Purged when its last user went; a port never used has none. */
	WARN_ON_ONCE(!list_empty(&port->iffs) || !list_empty(&port->dlq));
	qrpc_ifq_cache_free(port);
	qrpc_ns_put(port->ns);
	kfree(port);
}

void qrpc_port_user_get(struct qrpc_port *port)
{
	spin_lock(&port->lock);
	port->users++;
	spin_unlock(&port->lock);
}

void qrpc_port_user_put(struct qrpc_port *port)
{
	bool last;

	spin_lock(&port->lock);
	last = !--port->users;
	spin_unlock(&port->lock);
	if (last)
		qrpc_port_purge(port);
}

void qrpc_port_put(struct qrpc_port *port)
{
	kref_put(&port->ref, qrpc_port_free);
}

/*
 * Whether @cred may use @port for @access, as for SysV IPC and POSIX
 * message queues: the owner's, the group's or the others' bits, or
 * CAP_IPC_OWNER in the namespace's user namespace.
 */
static bool qrpc_port_permitted(struct qrpc_port *port, u32 access)
{
	const struct cred *cred = current_cred();
	umode_t granted = port->mode;
	umode_t need = 0;

	if (access & QRPC_ACCESS_CALL)
		need |= 02;
	if (access & QRPC_ACCESS_SERVE)
		need |= 04;

	if (uid_eq(cred->euid, port->uid))
		granted >>= 6;
	else if (in_group_p(port->gid))
		granted >>= 3;
	if ((granted & need) == need)
		return true;
	return ns_capable(port->ns->user_ns, CAP_IPC_OWNER);
}

static int qrpc_limits_resolve(struct qrpc_port_limits *l)
{
	if (l->max_depth > max_depth || l->max_payload > max_payload ||
	    l->max_bytes > max_bytes || l->max_dlq > max_dlq || l->reserved)
		return -EINVAL;
	if (!l->max_dlq)
		l->max_dlq = min(default_dlq, max_dlq);
	if (!l->max_depth)
		l->max_depth = min(default_depth, max_depth);
	if (!l->max_payload)
		l->max_payload = min(default_payload, max_payload);
	if (!l->max_bytes)
		l->max_bytes = min_t(u64, default_bytes, max_bytes);
	return 0;
}

/* Unlink @port.  Called under qrpc_ports_lock; drops the table's reference. */
static void qrpc_port_unlink_locked(struct qrpc_port *port)
{
	hash_del(&port->node);
	port->linked = false;
	list_del_init(&port->foreign_node);
	qrpc_user_uncharge_port(port->owner);
	qrpc_user_put(port->owner);
	port->owner = NULL;
	qrpc_port_user_put(port);
	qrpc_port_put(port);
}

struct qrpc_port *qrpc_port_create(const struct qrpc_port_create *arg,
				   struct qrpc_port_limits *limits,
				   bool *created)
{
	struct ipc_namespace *ns = qrpc_current_ns();
	const struct cred *cred = current_cred();
	struct qrpc_port *port, *old;
	struct qrpc_user *user;
	int ret;

	*limits = arg->limits;
	ret = qrpc_limits_resolve(limits);
	if (ret)
		return ERR_PTR(ret);

	/* Allocate before taking the lock; most creates create. */
	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	user = qrpc_user_get_current();
	if (!port || !user) {
		kfree(port);
		if (user)
			qrpc_user_put(user);
		return ERR_PTR(-ENOMEM);
	}

	mutex_lock(&qrpc_ports_lock);
	*created = false;
	old = qrpc_port_lookup(ns, arg->name);
	if (old) {
		kfree(port);
		qrpc_user_put(user);
		if (arg->flags & QRPC_PORT_F_EXCL) {
			port = ERR_PTR(-EEXIST);
		} else if (!qrpc_port_permitted(old, arg->access)) {
			port = ERR_PTR(-EACCES);
		} else {
			kref_get(&old->ref);
			*limits = old->limits;
			port = old;
		}
		goto out;
	}

	if (!qrpc_user_charge_port(user)) {
		qrpc_user_put(user);
		kfree(port);
		port = ERR_PTR(-ENOSPC);
		goto out;
	}
	port->owner = user;		/* with the reference from _get */

	kref_init(&port->ref);		/* the table's reference */
	kref_get(&port->ref);		/* the caller's */
	strscpy(port->name, arg->name, sizeof(port->name));
	port->ns = get_ipc_ns(ns);
	port->uid = cred->euid;
	port->gid = cred->egid;
	port->mode = arg->mode & ~current_umask() & 0777;
	port->flags = arg->flags & QRPC_PORT_F_TEMPORARY;
	port->limits = *limits;
	port->linked = true;
	spin_lock_init(&port->lock);
	port->users = 1;		/* the name */
	INIT_LIST_HEAD(&port->iffs);
	INIT_LIST_HEAD(&port->ifq_cache);
	INIT_LIST_HEAD(&port->servers);
	INIT_LIST_HEAD(&port->room_waiters);
	INIT_LIST_HEAD(&port->dlq);
	INIT_LIST_HEAD(&port->foreign_node);
	hash_add(qrpc_ports, &port->node, qrpc_port_hash(ns, port->name));
	*created = true;
	if (!qrpc_ns_initial(ns)) {
		if (list_empty(&qrpc_foreign_ports))
			queue_delayed_work(system_wq, &qrpc_reaper,
					   QRPC_REAP_PERIOD);
		list_add(&port->foreign_node, &qrpc_foreign_ports);
	}
out:
	mutex_unlock(&qrpc_ports_lock);
	return port;
}

struct qrpc_port *qrpc_port_open(const char *name, u32 access)
{
	struct qrpc_port *port;

	mutex_lock(&qrpc_ports_lock);
	port = qrpc_port_lookup(qrpc_current_ns(), name);
	if (!port)
		port = ERR_PTR(-ENOENT);
	else if (!qrpc_port_permitted(port, access))
		port = ERR_PTR(-EACCES);
	else
		kref_get(&port->ref);
	mutex_unlock(&qrpc_ports_lock);
	return port;
}

int qrpc_port_unlink(const char *name)
{
	struct qrpc_port *port;
	int ret = 0;

	mutex_lock(&qrpc_ports_lock);
	port = qrpc_port_lookup(qrpc_current_ns(), name);
	if (!port)
		ret = -ENOENT;
	else if (!uid_eq(current_euid(), port->uid) &&
		 !ns_capable(port->ns->user_ns, CAP_IPC_OWNER))
		ret = -EPERM;
	else
		qrpc_port_unlink_locked(port);
	mutex_unlock(&qrpc_ports_lock);
	return ret;
}

/* A temporary port goes with the handle that created it. */
void qrpc_port_creator_closed(struct qrpc_port *port)
{
	if (!(port->flags & QRPC_PORT_F_TEMPORARY))
		return;
	mutex_lock(&qrpc_ports_lock);
	if (port->linked)
		qrpc_port_unlink_locked(port);
	mutex_unlock(&qrpc_ports_lock);
}

static void qrpc_port_fill_info(struct qrpc_port *port,
				struct qrpc_port_info *info)
{
	struct user_namespace *uns = current_user_ns();

	memset(info, 0, sizeof(*info));
	strscpy(info->name, port->name, sizeof(info->name));
	info->mode = port->mode;
	info->uid = from_kuid_munged(uns, port->uid);
	info->gid = from_kgid_munged(uns, port->gid);
	info->flags = port->flags;
	info->limits = port->limits;

	spin_lock(&port->lock);
	info->servers = port->nservers;
	info->connections = port->nconns;
	memcpy(info->depth, port->depth, sizeof(info->depth));
	info->queued_bytes = port->queued_bytes;
	info->enqueued = port->enqueued;
	info->delivered = port->delivered;
	info->dropped = port->dropped;
	info->expired = port->expired;
	info->deadlettered = port->deadlettered;
	info->failed = port->failed;
	info->dlq_depth = port->dlq_depth;
	info->dlq_dropped = port->dlq_dropped;
	spin_unlock(&port->lock);
}

static int qrpc_info_cmp(const void *a, const void *b)
{
	return strcmp(((const struct qrpc_port_info *)a)->name,
		      ((const struct qrpc_port_info *)b)->name);
}

int qrpc_port_list(struct qrpc_port_list *arg)
{
	struct ipc_namespace *ns = qrpc_current_ns();
	struct qrpc_port_info *infos = NULL;
	struct qrpc_port *port;
	u32 total = 0, n = 0, room;
	int bkt, ret = 0;

	/*
	 * Allocate for what the caller can take, bounded by what exists, so
	 * a huge count costs nothing; ports made meanwhile show in @total.
	 */
	mutex_lock(&qrpc_ports_lock);
	hash_for_each(qrpc_ports, bkt, port, node)
		total += port->ns == ns;
	mutex_unlock(&qrpc_ports_lock);

	room = min(arg->count, total);
	if (room) {
		infos = kvcalloc(room, sizeof(*infos),
				 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!infos)
			return -ENOMEM;
	}

	mutex_lock(&qrpc_ports_lock);
	total = 0;
	hash_for_each(qrpc_ports, bkt, port, node) {
		if (port->ns != ns)
			continue;
		if (n < room)
			qrpc_port_fill_info(port, &infos[n++]);
		total++;
	}
	mutex_unlock(&qrpc_ports_lock);

	sort(infos, n, sizeof(*infos), qrpc_info_cmp, NULL);
	if (n && copy_to_user(u64_to_user_ptr(arg->addr), infos,
			      n * sizeof(*infos)))
		ret = -EFAULT;
	kvfree(infos);
	arg->count = n;
	arg->total = total;
	return ret;
}

/*
 * debugfs "ports": every port of every namespace, one line each, with its
 * counters, for administrators (debugfs is root's).
 */
static int qrpc_ports_show(struct seq_file *m, void *unused)
{
	struct qrpc_port *port;
	int bkt, i;

	seq_puts(m, "# ns name uid gid mode flags servers connections depth[0..7] queued_bytes enqueued delivered dropped expired deadlettered failed dlq dlq_dropped\n");
	mutex_lock(&qrpc_ports_lock);
	hash_for_each(qrpc_ports, bkt, port, node) {
		spin_lock(&port->lock);
		seq_printf(m, "%u %s %u %u %03o %#x %u %u ", port->ns->ns.inum,
			   port->name, from_kuid(&init_user_ns, port->uid),
			   from_kgid(&init_user_ns, port->gid), port->mode,
			   port->flags, port->nservers, port->nconns);
		for (i = 0; i < 8; i++)
			seq_printf(m, "%u%c", port->depth[i], i < 7 ? ',' : ' ');
		seq_printf(m, "%llu %llu %llu %llu %llu %llu %llu %u %llu\n",
			   port->queued_bytes, port->enqueued, port->delivered,
			   port->dropped, port->expired, port->deadlettered,
			   port->failed, port->dlq_depth, port->dlq_dropped);
		spin_unlock(&port->lock);
	}
	mutex_unlock(&qrpc_ports_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(qrpc_ports);

void qrpc_ports_debugfs(struct dentry *dir)
{
	debugfs_create_file("ports", 0400, dir, NULL, &qrpc_ports_fops);
}

/*
 * Ports of namespaces that nothing else can reach.  A port holds its IPC
 * namespace, so a persistent port would keep, for ever, a namespace whose
 * processes are all gone (and its SysV objects), and nobody could reach
 * the port again: no process can enter a namespace that no task, open
 * nsfs file or bind mount holds.  When a namespace's only references are
 * its linked ports', nothing can take a new one (that needs one of those
 * holders), so its ports are unlinked, as if their owner had, and what
 * they queued is failed.  The reaper looks every QRPC_REAP_PERIOD while
 * such ports exist, and soon after a file of the device is closed (the
 * usual last act of a namespace's last process).
 */
#ifdef CONFIG_IPC_NS
static int qrpc_port_ns_cmp(void *priv, const struct list_head *a,
			    const struct list_head *b)
{
	const struct ipc_namespace *x, *y;

	x = list_entry(a, struct qrpc_port, foreign_node)->ns;
	y = list_entry(b, struct qrpc_port, foreign_node)->ns;
	return x < y ? -1 : x > y;
}

static void qrpc_ns_reap(struct work_struct *work)
{
	struct qrpc_port *port, *tmp;

	mutex_lock(&qrpc_ports_lock);
	/*
	 * Sorted by namespace, each namespace's ports are one run of the
	 * list, counted in one pass.  First decide, then unlink: unlinking
	 * changes the counts.
	 */
	list_sort(NULL, &qrpc_foreign_ports, qrpc_port_ns_cmp);
	port = list_first_entry(&qrpc_foreign_ports, struct qrpc_port,
				foreign_node);
	while (!list_entry_is_head(port, &qrpc_foreign_ports, foreign_node)) {
		struct ipc_namespace *ns = port->ns;
		struct qrpc_port *next = port;
		unsigned int n = 0;
		bool orphaned;

		list_for_each_entry_from(next, &qrpc_foreign_ports,
					 foreign_node) {
			if (next->ns != ns)
				break;
			n++;
		}
		orphaned = refcount_read(&ns->ns.count) == n;
		for (; port != next; port = list_next_entry(port, foreign_node))
			port->orphaned = orphaned;
	}
	list_for_each_entry_safe(port, tmp, &qrpc_foreign_ports, foreign_node) {
		if (!port->orphaned)
			continue;
		pr_info_ratelimited("port %s unlinked: nothing can reach its IPC namespace (%u) any more\n",
				    port->name, port->ns->ns.inum);
		qrpc_port_unlink_locked(port);
	}
	if (!list_empty(&qrpc_foreign_ports))
		queue_delayed_work(system_wq, &qrpc_reaper, QRPC_REAP_PERIOD);
	mutex_unlock(&qrpc_ports_lock);
}
#else
static void qrpc_ns_reap(struct work_struct *work)
{
}
#endif

/* A file of the device was closed: look for orphaned namespaces soon. */
void qrpc_ports_reap_soon(void)
{
	/* A hint, read without the lock: the reaper itself takes it. */
	if (!list_empty_careful(&qrpc_foreign_ports))
		mod_delayed_work(system_wq, &qrpc_reaper, HZ);
}

/*
 * Module unload: every file is closed by now (the module cannot go while
 * one is open), so only the table's references remain.
 */
void qrpc_ports_exit(void)
{
	struct qrpc_port *port;
	struct hlist_node *tmp;
	int bkt;

	cancel_delayed_work_sync(&qrpc_reaper);
	mutex_lock(&qrpc_ports_lock);
	hash_for_each_safe(qrpc_ports, bkt, tmp, port, node)
		qrpc_port_unlink_locked(port);
	mutex_unlock(&qrpc_ports_lock);
}
