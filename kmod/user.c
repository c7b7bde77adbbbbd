// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: per-user accounting.  One record per uid, across all namespaces (a
 * user who may make namespaces must not escape a quota by making one),
 * counting the ports the user owns and the request bytes the user has
 * waiting in queues.  Records are refcounted by what charges them (owned
 * ports, connections) and go with the last reference.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "user.h"

static unsigned int max_ports_per_user = 256;
module_param(max_ports_per_user, uint, 0644);
MODULE_PARM_DESC(max_ports_per_user,
		 "Ports one user may own at once, in all namespaces (default 256)");

static unsigned long max_queued_bytes_per_user = 256UL << 20;
module_param(max_queued_bytes_per_user, ulong, 0644);
MODULE_PARM_DESC(max_queued_bytes_per_user,
		 "Request bytes one user may have waiting in queues (default 256 MiB)");

static DEFINE_SPINLOCK(qrpc_users_lock);
static DEFINE_HASHTABLE(qrpc_users, 6);

/* @uid's record, with a reference; NULL if memory runs out. */
struct qrpc_user *qrpc_user_get(kuid_t uid)
{
	struct qrpc_user *u, *spare;

	/* Allocated before the lock is taken; freed if not needed. */
	spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
	spin_lock(&qrpc_users_lock);
	hash_for_each_possible(qrpc_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			goto found;
	u = spare;
	spare = NULL;
	if (u) {
		u->uid = uid;
		hash_add(qrpc_users, &u->node, __kuid_val(uid));
	}
found:
	if (u)
		u->refs++;
	spin_unlock(&qrpc_users_lock);
	kfree(spare);
	return u;
}

/* Drop a reference; any context. */
void qrpc_user_put(struct qrpc_user *u)
{
	bool last;

	spin_lock(&qrpc_users_lock);
	last = !--u->refs;
	if (last) {
		WARN_ON_ONCE(u->ports || u->queued_bytes);
		hash_del(&u->node);
	}
	spin_unlock(&qrpc_users_lock);
	if (last)
		kfree(u);
}

/* Count one more port for @u; false when @u owns the most it may. */
bool qrpc_user_charge_port(struct qrpc_user *u)
{
	bool ok;

	spin_lock(&qrpc_users_lock);
	ok = u->ports < READ_ONCE(max_ports_per_user);
	if (ok)
		u->ports++;
	spin_unlock(&qrpc_users_lock);
	return ok;
}

void qrpc_user_uncharge_port(struct qrpc_user *u)
{
	spin_lock(&qrpc_users_lock);
	u->ports--;
	spin_unlock(&qrpc_users_lock);
}

/*
 * Charge @len queued bytes to @u: -EDQUOT past the user's quota, unless
 * @force (a call going back to a queue it was already charged to once).
 */
int qrpc_user_charge_bytes(struct qrpc_user *u, u32 len, bool force)
{
	int ret = 0;

	spin_lock(&qrpc_users_lock);
	if (!force &&
	    u->queued_bytes + len > READ_ONCE(max_queued_bytes_per_user))
		ret = -EDQUOT;
	else
		u->queued_bytes += len;
	spin_unlock(&qrpc_users_lock);
	return ret;
}

void qrpc_user_uncharge_bytes(struct qrpc_user *u, u32 len)
{
	spin_lock(&qrpc_users_lock);
	u->queued_bytes -= len;
	spin_unlock(&qrpc_users_lock);
}

/* Module unload: every record must be gone with what charged it. */
void qrpc_users_exit(void)
{
	WARN_ON_ONCE(!hash_empty(qrpc_users));
}
