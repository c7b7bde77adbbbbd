// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: interface queues.
 *
 * A port knows each interface (UUID and major version) that a server
 * registered or a [message] named, and keeps one queue per version of it
 * (minor) that calls are waiting in: eight FIFO lists, one per priority,
 * and a mask of the non-empty ones, so enqueue and dequeue are O(1).
 *
 * Calls of different minor versions never share a queue.  A server that
 * registered version M of an interface takes from the queues of minor
 * M and below, the highest priority first and the oldest (port-wide
 * sequence number) among equals; a call that no registered server can
 * take waits in its own queue without hiding any other.  A queue lives
 * exactly as long as some call names it (queued, with a server, waiting
 * for room or dead-lettered), so clients cannot fill the port's table of
 * queues with ones nobody uses; an interface lives while it has queues or
 * registrations.  A few emptied queues are kept per port for reuse, so
 * that a call does not allocate one each time.
 */
#include <linux/bitops.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "engine.h"
#include "port.h"
#include "user.h"

static unsigned int max_interfaces = 256;
module_param(max_interfaces, uint, 0644);
MODULE_PARM_DESC(max_interfaces,
		 "Interface versions one port may have calls queued for at once (default 256)");

/* Emptied queues a port keeps for reuse. */
#define QRPC_IFQ_CACHE	4

struct qrpc_iff *qrpc_iff_alloc(void)
{
	struct qrpc_iff *iff = kzalloc(sizeof(*iff), GFP_KERNEL_ACCOUNT);

	if (iff) {
		INIT_LIST_HEAD(&iff->node);
		INIT_LIST_HEAD(&iff->queues);
	}
	return iff;
}

struct qrpc_ifq *qrpc_ifq_alloc(void)
{
	struct qrpc_ifq *ifq = kzalloc(sizeof(*ifq), GFP_KERNEL_ACCOUNT);
	unsigned int i;

	if (ifq) {
		INIT_LIST_HEAD(&ifq->node);
		for (i = 0; i < QRPC_NR_PRIO; i++)
			INIT_LIST_HEAD(&ifq->levels[i]);
	}
	return ifq;
}

/* Interface @uuid/@major of @port, or NULL.  Under port->lock. */
struct qrpc_iff *qrpc_iff_lookup(struct qrpc_port *port, const u8 *uuid,
				 u16 major)
{
	struct qrpc_iff *iff;

	list_for_each_entry(iff, &port->iffs, node)
		if (iff->major == major && !memcmp(iff->uuid, uuid, 16))
			return iff;
	return NULL;
}

/*
 * Interface @uuid/@major of @port; if there is none, *@spare becomes it
 * (and is cleared).  NULL if there is none and no spare.  Under port->lock.
 */
struct qrpc_iff *qrpc_iff_get(struct qrpc_port *port, const u8 *uuid,
			      u16 major, struct qrpc_iff **spare)
{
	struct qrpc_iff *iff = qrpc_iff_lookup(port, uuid, major);

	if (iff || !*spare)
		return iff;
	iff = *spare;
	*spare = NULL;
	memcpy(iff->uuid, uuid, sizeof(iff->uuid));
	iff->major = major;
	list_add_tail(&iff->node, &port->iffs);
	return iff;
}

/* Free @iff if nothing uses it any more.  Under port->lock. */
void qrpc_iff_maybe_free(struct qrpc_iff *iff)
{
	if (iff && !iff->nregs && list_empty(&iff->queues)) {
		list_del(&iff->node);
		kfree(iff);
	}
}

/* Whether a registered server takes calls of version @minor of @iff. */
bool qrpc_iff_serves(const struct qrpc_iff *iff, u16 minor)
{
	return iff && iff->nregs && minor <= iff->max_minor;
}

/* A server registered version @minor of @iff.  Under port->lock. */
void qrpc_iff_register(struct qrpc_iff *iff, u16 minor)
{
	if (!iff->nregs++ || minor > iff->max_minor)
		iff->max_minor = minor;
}

/*
 * A server's registration of version @minor of @iff is gone (it is no
 * longer in the server's list); @iff may be freed.  Under port->lock.
 */
void qrpc_iff_unregister(struct qrpc_port *port, struct qrpc_iff *iff,
			 u16 minor)
{
	struct qrpc_server *server;
	unsigned int i;

	if (--iff->nregs && minor == iff->max_minor) {
		/* The highest version went: find the next (rare, bounded). */
		iff->max_minor = 0;
		list_for_each_entry(server, &port->servers, node)
			for (i = 0; i < server->nifs; i++)
				if (server->ifs[i].iff == iff &&
				    server->ifs[i].minor > iff->max_minor)
					iff->max_minor = server->ifs[i].minor;
	}
	qrpc_iff_maybe_free(iff);
}

/*
 * Give @call the queue of its interface version in @iff, making one from
 * the port's cache or *@spare if needed.  -ENOMEM when one must be made
 * and there is nothing to make it from (the caller allocates a spare with
 * the lock dropped and tries again), -ENOSPC at the port's limit.  Under
 * port->lock.
 */
int qrpc_ifq_attach(struct qrpc_port *port, struct qrpc_call *call,
		    struct qrpc_iff *iff, struct qrpc_ifq **spare)
{
	u16 minor = call->desc.iface.minor;
	struct qrpc_ifq *ifq, *pos;

	if (!iff)
		return -ENOMEM;
	/* By minor, ascending; usually one entry. */
	list_for_each_entry(pos, &iff->queues, node) {
		if (pos->minor == minor) {
			ifq = pos;
			goto found;
		}
		if (pos->minor > minor)
			break;
	}
	if (port->nifqs >= READ_ONCE(max_interfaces))
		return -ENOSPC;
	if (!list_empty(&port->ifq_cache)) {
		ifq = list_first_entry(&port->ifq_cache, struct qrpc_ifq, node);
		list_del(&ifq->node);
		port->ncached--;
	} else if (*spare) {
		ifq = *spare;
		*spare = NULL;
	} else {
		return -ENOMEM;
	}
	ifq->iff = iff;
	ifq->minor = minor;
	ifq->mask = 0;
	/* Before @pos: the first of a higher minor, or the list head. */
	list_add_tail(&ifq->node, &pos->node);
	port->nifqs++;
found:
	ifq->ncalls++;
	call->ifq = ifq;
	return 0;
}

/*
 * @call no longer names its queue (it ended, or was refused); the queue
 * goes with the last call, and its interface if nothing else uses it.
 * Under port->lock.
 */
void qrpc_ifq_detach(struct qrpc_port *port, struct qrpc_call *call)
{
	struct qrpc_ifq *ifq = call->ifq;
	struct qrpc_iff *iff;

	if (!ifq)
		return;
	call->ifq = NULL;
	if (--ifq->ncalls)
		return;
	WARN_ON_ONCE(ifq->mask);
	iff = ifq->iff;
	list_del(&ifq->node);
	port->nifqs--;
	if (port->ncached < QRPC_IFQ_CACHE) {
		list_add(&ifq->node, &port->ifq_cache);
		port->ncached++;
	} else {
		kfree(ifq);
	}
	qrpc_iff_maybe_free(iff);
}

/* The port is being freed: its cache of queues goes. */
void qrpc_ifq_cache_free(struct qrpc_port *port)
{
	struct qrpc_ifq *ifq, *tmp;

	list_for_each_entry_safe(ifq, tmp, &port->ifq_cache, node)
		kfree(ifq);
	INIT_LIST_HEAD(&port->ifq_cache);
	port->ncached = 0;
}

/* Queue @call, whose bytes are already charged to its sender. */
void qrpc_ifq_add_charged(struct qrpc_call *call, bool at_head)
{
	struct qrpc_ifq *ifq = call->ifq;
	struct qrpc_port *port = call->arena->port;
	u8 prio = call->desc.priority;

	if (at_head)
		list_add(&call->node, &ifq->levels[prio]);
	else
		list_add_tail(&call->node, &ifq->levels[prio]);
	ifq->mask |= BIT(prio);
	port->depth[prio]++;
	port->depth_total++;
	port->queued_bytes += call->desc.req_len;
	call->state = QRPC_CALL_QUEUED;
	qrpc_servers_wake(port, call);
}

/*
 * Queue @call, charging its sender past the quota if need be: for calls
 * going back to a queue (server died, requeued, let in after waiting),
 * which the sender was allowed to send.
 */
void qrpc_ifq_add(struct qrpc_call *call, bool at_head)
{
	qrpc_user_charge_bytes(call->arena->user, qrpc_call_charge(call), true);
	qrpc_ifq_add_charged(call, at_head);
}

/* Take queued @call off its queue (it stays attached to it). */
void qrpc_ifq_unlink(struct qrpc_call *call)
{
	struct qrpc_ifq *ifq = call->ifq;
	struct qrpc_port *port = call->arena->port;
	u8 prio = call->desc.priority;

	list_del_init(&call->node);
	if (list_empty(&ifq->levels[prio]))
		ifq->mask &= ~BIT(prio);
	port->depth[prio]--;
	port->depth_total--;
	port->queued_bytes -= call->desc.req_len;
	qrpc_user_uncharge_bytes(call->arena->user, qrpc_call_charge(call));
}

/* A dispatched [message] whose server died waits for the next one, first. */
void qrpc_ifq_requeue(struct qrpc_call *call)
{
	call->server = NULL;
	qrpc_ifq_add(call, true);
}

/*
 * The queued call @server should handle next, or NULL: over the versions
 * of each interface it registered that it serves, the head of the highest
 * priority, the oldest among equals.  O(queues it may take from), bounded
 * by max_interfaces.  Under port->lock.
 */
struct qrpc_call *qrpc_ifq_peek(struct qrpc_server *server)
{
	struct qrpc_call *best = NULL, *head;
	int best_prio = -1;
	unsigned int i;

	for (i = 0; i < server->nifs; i++) {
		const struct qrpc_server_if *sif = &server->ifs[i];
		struct qrpc_ifq *ifq;

		list_for_each_entry(ifq, &sif->iff->queues, node) {
			int prio;

			if (ifq->minor > sif->minor)
				break;
			if (!ifq->mask)
				continue;
			prio = fls(ifq->mask) - 1;
			if (prio < best_prio)
				continue;
			head = list_first_entry(&ifq->levels[prio],
						struct qrpc_call, node);
			if (prio > best_prio || head->seq < best->seq) {
				best = head;
				best_prio = prio;
			}
		}
	}
	return best;
}

/* qrpc_ifq_peek(), and the call taken off its queue. */
struct qrpc_call *qrpc_ifq_take(struct qrpc_server *server)
{
	struct qrpc_call *call = qrpc_ifq_peek(server);

	if (call)
		qrpc_ifq_unlink(call);
	return call;
}

/*
 * Take every queued call of @port off its queue onto @calls (linked by
 * node), for the port's purge.  Under port->lock.
 */
void qrpc_ifq_take_all(struct qrpc_port *port, struct list_head *calls)
{
	struct qrpc_call *call, *next;
	struct qrpc_iff *iff;
	struct qrpc_ifq *ifq;
	unsigned int i;

	list_for_each_entry(iff, &port->iffs, node)
		list_for_each_entry(ifq, &iff->queues, node)
			for (i = 0; i < QRPC_NR_PRIO; i++)
				list_for_each_entry_safe(call, next,
							 &ifq->levels[i], node) {
					qrpc_ifq_unlink(call);
					list_add_tail(&call->node, calls);
				}
}
