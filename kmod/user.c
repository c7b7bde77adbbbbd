// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: per-user accounting.  One record per user, across all namespaces,
 * counting the ports the user owns, the bytes the user has waiting in
 * queues and dead-letter queues, and the pages of the user's connections
 * and servers, which stay in memory (shared with user space, never
 * swapped) for as long as they exist.  Records are refcounted by what
 * charges them (owned ports, connections, servers) and go with the last
 * reference.
 *
 * The user charged is the process's effective uid, except inside user
 * namespaces: there it is the uid that made the outermost of them, so that
 * a user who may make namespaces, or has subordinate ids to map in them,
 * does not get a quota for each id mapped.
 */
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>

#include "user.h"

static unsigned int max_ports_per_user = 256;
module_param(max_ports_per_user, uint, 0644);
MODULE_PARM_DESC(max_ports_per_user,
		 "Ports one user may own at once, in all namespaces (default 256)");

static unsigned long max_queued_bytes_per_user = 256UL << 20;
module_param(max_queued_bytes_per_user, ulong, 0644);
MODULE_PARM_DESC(max_queued_bytes_per_user,
		 "Request bytes one user may have waiting in queues (default 256 MiB)");

/* 0 at load: a quarter of the machine's memory (set by qrpc_users_init). */
static unsigned long max_pinned_bytes_per_user;
module_param(max_pinned_bytes_per_user, ulong, 0644);
MODULE_PARM_DESC(max_pinned_bytes_per_user,
		 "Bytes of connection and server areas one user may have at once (default: a quarter of memory)");

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

/* The record of the user charged for what the current task makes. */
struct qrpc_user *qrpc_user_get_current(void)
{
	struct user_namespace *ns = current_user_ns();

	if (ns == &init_user_ns)
		return qrpc_user_get(current_euid());
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return qrpc_user_get(ns->owner);
}

/* Drop a reference; any context. */
void qrpc_user_put(struct qrpc_user *u)
{
	bool last;

	spin_lock(&qrpc_users_lock);
	last = !--u->refs;
	if (last) {
		WARN_ON_ONCE(u->ports || u->queued_bytes || u->pinned_bytes);
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

/* Add @n to @count, unless it would pass @limit and not @force. */
static int qrpc_user_charge(u64 *count, u64 n, unsigned long limit,
			    bool force)
{
	int ret = 0;

	spin_lock(&qrpc_users_lock);
	if (!force && *count + n > limit)
		ret = -EDQUOT;
	else
		*count += n;
	spin_unlock(&qrpc_users_lock);
	return ret;
}

static void qrpc_user_uncharge(u64 *count, u64 n)
{
	spin_lock(&qrpc_users_lock);
	*count -= n;
	spin_unlock(&qrpc_users_lock);
}

/*
 * Charge @len queued bytes to @u: -EDQUOT past the user's quota, unless
 * @force (a call going back to a queue it was already charged to once).
 */
int qrpc_user_charge_bytes(struct qrpc_user *u, u32 len, bool force)
{
	return qrpc_user_charge(&u->queued_bytes, len,
				READ_ONCE(max_queued_bytes_per_user), force);
}

void qrpc_user_uncharge_bytes(struct qrpc_user *u, u32 len)
{
	qrpc_user_uncharge(&u->queued_bytes, len);
}

/*
 * Charge @bytes of memory shared with user space to @u: -EDQUOT past the
 * user's limit.  Checked before the pages are allocated, so that a
 * request the limit refuses allocates nothing.
 */
int qrpc_user_charge_pinned(struct qrpc_user *u, u64 bytes)
{
	return qrpc_user_charge(&u->pinned_bytes, bytes,
				READ_ONCE(max_pinned_bytes_per_user), false);
}

void qrpc_user_uncharge_pinned(struct qrpc_user *u, u64 bytes)
{
	qrpc_user_uncharge(&u->pinned_bytes, bytes);
}

void qrpc_users_init(void)
{
	if (!max_pinned_bytes_per_user)
		max_pinned_bytes_per_user =
			(unsigned long)totalram_pages() << PAGE_SHIFT >> 2;
}

/* Module unload: every record must be gone with what charged it. */
void qrpc_users_exit(void)
{
	WARN_ON_ONCE(!hash_empty(qrpc_users));
}
