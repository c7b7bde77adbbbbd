// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: the dead-letter queue.  A [message] that expires while queued and
 * asked for QRPC_SLOT_F_DEADLETTER lands here, keeping its slot and its
 * request bytes (so its arena), until it is requeued or purged.
 */
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "engine.h"
#include "port.h"
#include "qrpc.h"
#include "user.h"

/*
 * Move expired, unqueued @call to its port's dead-letter queue, charged
 * to its sender as a queued call is.  Past the port's bound, the oldest
 * message there (maybe @call itself) is released with
 * QRPC_RELEASE_DEADLETTER and counted; it is returned for the caller to
 * drop the engine's reference once the lock is dropped.  Locked.
 */
struct qrpc_call *qrpc_dlq_add(struct qrpc_call *call,
			       struct list_head *to_post)
{
	struct qrpc_port *port = call->arena->port;
	struct qrpc_call *pos, *oldest;

	/*
	 * Oldest first, as sent: deadlines that fall together may fire in
	 * any order.  Usually the newest, so the walk from the end is short.
	 */
	list_for_each_entry_reverse(pos, &port->dlq, node)
		if (pos->seq < call->seq)
			break;
	call->state = QRPC_CALL_DEADLETTER;
	list_add(&call->node, &pos->node);
	port->dlq_depth++;
	port->deadlettered++;
	qrpc_user_charge_bytes(call->arena->user, qrpc_call_charge(call), true);

	if (port->dlq_depth <= port->limits.max_dlq)
		return NULL;
	oldest = list_first_entry(&port->dlq, struct qrpc_call, node);
	qrpc_dlq_del(oldest);
	qrpc_call_finish(oldest, -ETIMEDOUT, 0, 0, QRPC_RELEASE_DEADLETTER,
			 to_post);
	port->dlq_dropped++;
	return oldest;
}

/* Take @call off the dead-letter queue, and its charge with it.  Locked. */
void qrpc_dlq_del(struct qrpc_call *call)
{
	list_del_init(&call->node);
	call->arena->port->dlq_depth--;
	qrpc_user_uncharge_bytes(call->arena->user, qrpc_call_charge(call));
}

/* The port behind @handle, if it may manage the dead-letter queue. */
static struct qrpc_handle *qrpc_dlq_port(struct qrpc_instance *inst,
					 u32 handle)
{
	struct qrpc_handle *ph = qrpc_handle_get(inst, handle,
						 QRPC_HANDLE_PORT);

	if (!IS_ERR(ph) && !(ph->access & QRPC_ACCESS_SERVE)) {
		qrpc_handle_put(ph);
		return ERR_PTR(-EACCES);
	}
	return ph;
}

static void qrpc_dlq_fill(struct qrpc_call *call, struct qrpc_dlq_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->call_id = call->call_id;
	e->conn_id = call->arena->id;
	e->slot = call->slot;
	e->priority = call->desc.priority;
	e->flags = call->desc.flags;
	e->opnum = call->desc.opnum;
	e->iface = call->desc.iface;
	e->req_len = call->desc.req_len;
	e->pid = pid_vnr(call->pid);
	e->uid = from_kuid_munged(current_user_ns(), call->uid);
	e->gid = from_kgid_munged(current_user_ns(), call->gid);
	/* In 64 bits: jiffies_to_msecs() wraps after 49.7 days. */
	e->age_ms = jiffies64_to_msecs(jiffies - call->sent);
}

int qrpc_dlq_list(struct qrpc_instance *inst, struct qrpc_dlq_list *l)
{
	struct qrpc_dlq_entry *entries = NULL;
	struct qrpc_call *call;
	struct qrpc_handle *ph;
	struct qrpc_port *port;
	u32 room, n = 0;
	int ret = 0;

	if (l->reserved0 || memchr_inv(l->reserved, 0, sizeof(l->reserved)))
		return -EINVAL;
	ph = qrpc_dlq_port(inst, l->port);
	if (IS_ERR(ph))
		return PTR_ERR(ph);
	port = ph->port;

	/* Allocate for what the caller can take, bounded by what exists. */
	spin_lock(&port->lock);
	room = min(l->count, port->dlq_depth);
	spin_unlock(&port->lock);
	if (room) {
		entries = kvcalloc(room, sizeof(*entries),
				   GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!entries) {
			ret = -ENOMEM;
			goto out;
		}
	}
	spin_lock(&port->lock);
	list_for_each_entry(call, &port->dlq, node) {
		if (n == room)
			break;
		qrpc_dlq_fill(call, &entries[n++]);
	}
	l->total = port->dlq_depth;
	spin_unlock(&port->lock);

	if (n && copy_to_user(u64_to_user_ptr(l->addr), entries,
			      n * sizeof(*entries)))
		ret = -EFAULT;
	l->count = n;
	kvfree(entries);
out:
	qrpc_handle_put(ph);
	return ret;
}

/*
 * Requeue (to wait for a server again, with no deadline) or purge (release
 * the slot with QRPC_RELEASE_DEADLETTER) the message @op->call_id, or all.
 */
int qrpc_dlq_op(struct qrpc_instance *inst, struct qrpc_dlq_op *op,
		bool requeue)
{
	struct qrpc_call *call, *tmp;
	struct qrpc_handle *ph;
	struct qrpc_port *port;
	LIST_HEAD(finished);
	LIST_HEAD(to_post);
	u32 n = 0;

	if (op->reserved0 || op->reserved1 ||
	    memchr_inv(op->reserved, 0, sizeof(op->reserved)))
		return -EINVAL;
	ph = qrpc_dlq_port(inst, op->port);
	if (IS_ERR(ph))
		return PTR_ERR(ph);
	port = ph->port;

	spin_lock(&port->lock);
	list_for_each_entry_safe(call, tmp, &port->dlq, node) {
		if (op->call_id && call->call_id != op->call_id)
			continue;
		qrpc_dlq_del(call);
		n++;
		if (requeue) {
			/* An operator's decision: it may exceed the limits. */
			port->enqueued++;
			if (!qrpc_iff_serves(call->ifq->iff,
					     call->ifq->minor) ||
			    !qrpc_dispatch_to_parked(port, call, &to_post))
				qrpc_ifq_add(call, false);
		} else {
			qrpc_call_finish(call, -ETIMEDOUT, 0, 0,
					 QRPC_RELEASE_DEADLETTER, &to_post);
			list_add_tail(&call->node, &finished);
		}
	}
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	qrpc_calls_put(&finished);
	qrpc_handle_put(ph);
	op->count = n;
	return n ? 0 : -ENOENT;
}
