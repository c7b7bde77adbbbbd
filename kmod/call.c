// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: calls: submission, completion, cancellation and deadlines.  The
 * queues they wait in are in ifq.c.
 */
#include <linux/bitops.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "compat.h"
#include "engine.h"
#include "port.h"
#include "qrpc.h"
#include "user.h"

static atomic64_t qrpc_call_ids = ATOMIC64_INIT(0);

static void qrpc_call_free(struct kref *ref)
{
	struct qrpc_call *call = container_of(ref, struct qrpc_call, ref);

	put_pid(call->pid);
	qrpc_arena_put(call->arena);
	kfree(call);
}

/* Safe under any lock: freeing the arena is left to a worker. */
void qrpc_call_put(struct qrpc_call *call)
{
	kref_put(&call->ref, qrpc_call_free);
}

/* Drop the engine's reference on each call on @calls (linked by node). */
void qrpc_calls_put(struct list_head *calls)
{
	struct qrpc_call *call, *tmp;

	list_for_each_entry_safe(call, tmp, calls, node) {
		list_del_init(&call->node);
		qrpc_call_put(call);
	}
}

/*
 * @call has ended: nothing will queue or dispatch it again, and it lets go
 * of its interface queue.  Under port->lock.
 */
void qrpc_call_done(struct qrpc_call *call)
{
	call->state = QRPC_CALL_DONE;
	qrpc_ifq_detach(call->arena->port, call);
}

/*
 * @call has ended with @status: record it, give its slot back, and
 * complete the caller's parked CALL (a plain call's; a one-way call's
 * CALL completed when it was queued).  The caller then drops the engine's
 * reference.  Under port->lock.
 */
void qrpc_call_finish(struct qrpc_call *call, int status, u32 rep_len,
		      u32 fault, u32 reason, struct list_head *to_post)
{
	struct qrpc_arena *arena = call->arena;

	qrpc_call_disarm(call);
	qrpc_call_done(call);
	arena->active[call->slot] = NULL;
	qrpc_arena_release_slot(arena, call->slot, status, rep_len, fault,
				reason);
	if (call->desc.kind == QRPC_KIND_CALL)
		qrpc_waiter_finish(&call->client, status ? status : rep_len,
				   to_post);
}

/*
 * The caller's parked CALL is cancelled from outside (its task exits, or
 * the ioctl caught a signal): a queued call is dropped now; a dispatched
 * one stays with its server, marked, and is released when it commits.
 */
static void qrpc_call_client_cancel(struct qrpc_waiter *w,
				    struct list_head *to_post)
{
	struct qrpc_call *call = container_of(w, struct qrpc_call, client);
	struct qrpc_arena *arena = call->arena;

	call->cancelled = true;
	if (call->state == QRPC_CALL_QUEUED) {
		qrpc_ifq_unlink(call);
		qrpc_call_disarm(call);
		qrpc_call_done(call);
		arena->active[call->slot] = NULL;
		qrpc_arena_release_slot(arena, call->slot, -ECANCELED, 0, 0,
					QRPC_RELEASE_DONE);
		/* Its room goes to the [message]s waiting for some. */
		qrpc_port_admit(arena->port, to_post);
		qrpc_call_put(call);	/* the engine's reference */
	} else if (call->state == QRPC_CALL_WAITING_ROOM) {
		/* Never queued: the failed CALL itself frees the slot. */
		list_del_init(&call->node);
		qrpc_call_disarm(call);
		qrpc_call_done(call);
		arena->active[call->slot] = NULL;
		qrpc_call_put(call);	/* the engine's reference */
	} else if (call->state == QRPC_CALL_DISPATCHED) {
		WRITE_ONCE(call->server->desc[call->tag].cancelled, 1);
	}
}

static void qrpc_call_client_release(struct qrpc_waiter *w)
{
	qrpc_call_put(container_of(w, struct qrpc_call, client));
}

/* Read slot @slot once and check it; the copy goes to @d. */
static int qrpc_slot_read(struct qrpc_arena *arena, u32 slot,
			  struct qrpc_slot *d)
{
	const struct qrpc_port_limits *limits = &arena->port->limits;

	/*
	 * The slot is shared with the client, which may change it at any
	 * time: copy it, then look only at the copy.
	 */
	memcpy(d, &arena->slots[slot], sizeof(*d));
	barrier();

	if (d->kind < QRPC_KIND_CALL || d->kind > QRPC_KIND_MESSAGE ||
	    d->priority > QRPC_PRIORITY_MAX ||
	    (d->flags & ~QRPC_SLOT_F_DEADLETTER) || d->reserved0 ||
	    d->iface.reserved0)
		return -EINVAL;
	if ((u64)d->req_off + d->req_len > arena->req_size)
		return -EINVAL;
	if (d->req_len > limits->max_payload)
		return -EMSGSIZE;
	if (d->kind == QRPC_KIND_CALL) {
		if ((u64)d->rep_off + d->rep_cap > arena->reply_size ||
		    d->ttrq_ms || d->ttbr_s || (d->flags & QRPC_SLOT_F_DEADLETTER))
			return -EINVAL;
	} else if (d->rep_off || d->rep_cap || d->timeout_ms) {
		return -EINVAL;
	} else if (d->kind == QRPC_KIND_MAYBE &&
		   (d->ttrq_ms || d->ttbr_s || d->flags)) {
		return -EINVAL;
	}
	return 0;
}

static bool qrpc_port_has_room(struct qrpc_port *port, u32 len)
{
	return port->depth_total < port->limits.max_depth &&
	       port->queued_bytes + len <= port->limits.max_bytes;
}

/* Arm @call's next deadline, or disarm it if it has none.  Under port->lock. */
static void qrpc_call_arm(struct qrpc_call *call)
{
	const struct qrpc_slot *d = &call->desc;
	/* In unsigned long: ttbr_s * HZ overflows 32 bits after 199 days. */
	unsigned long ttbr = (unsigned long)d->ttbr_s * HZ;
	unsigned long at = 0;

	switch (call->state) {
	case QRPC_CALL_QUEUED:
	case QRPC_CALL_DISPATCHED:
		if (d->kind == QRPC_KIND_CALL && d->timeout_ms)
			at = call->sent + msecs_to_jiffies(d->timeout_ms);
		else if (d->kind == QRPC_KIND_MESSAGE && d->ttbr_s &&
			 call->state == QRPC_CALL_QUEUED)
			at = call->sent + ttbr;
		break;
	case QRPC_CALL_WAITING_ROOM:
		at = call->sent + msecs_to_jiffies(d->ttrq_ms);
		if (d->ttbr_s && time_before(call->sent + ttbr, at))
			at = call->sent + ttbr;
		break;
	default:
		break;
	}
	if (!at) {
		qrpc_call_disarm(call);
		return;
	}
	call->deadline_at = at;
	/* A newly queued work takes a reference; a re-timed one has it. */
	if (!mod_delayed_work(qrpc_wq, &call->deadline,
			      time_after(at, jiffies) ? at - jiffies : 0))
		kref_get(&call->ref);
}

void qrpc_call_disarm(struct qrpc_call *call)
{
	/*
	 * The work is only ever queued with a deadline set, under the lock:
	 * without one there is nothing to cancel, and most calls have none.
	 */
	if (!call->deadline_at)
		return;
	call->deadline_at = 0;
	if (cancel_delayed_work(&call->deadline))
		qrpc_call_put(call);	/* the work's; never the last */
}

/*
 * A deadline has passed: a queued plain call times out, a queued [message]
 * expires (or is dead-lettered), a dispatched plain call completes with
 * -ETIMEDOUT (its server sees it cancelled), and a [message] still waiting
 * for room fails its CALL with -ETIMEDOUT.
 */
static void qrpc_call_deadline(struct work_struct *work)
{
	struct qrpc_call *call = container_of(to_delayed_work(work),
					      struct qrpc_call, deadline);
	struct qrpc_arena *arena = call->arena;
	struct qrpc_port *port = arena->port;
	bool message = call->desc.kind == QRPC_KIND_MESSAGE;
	struct qrpc_call *evicted = NULL;
	LIST_HEAD(to_post);
	bool drop = false;

	spin_lock(&port->lock);
	/* Re-armed for later (or disarmed) while this run was on its way. */
	if (!call->deadline_at || time_before(jiffies, call->deadline_at))
		goto out;
	call->deadline_at = 0;
	switch (call->state) {
	case QRPC_CALL_QUEUED:
		qrpc_ifq_unlink(call);
		if (!message) {
			port->failed++;
			qrpc_call_finish(call, -ETIMEDOUT, 0, 0,
					 QRPC_RELEASE_DONE, &to_post);
			drop = true;
		} else if (call->desc.flags & QRPC_SLOT_F_DEADLETTER) {
			port->expired++;
			evicted = qrpc_dlq_add(call, &to_post);
		} else {
			port->expired++;
			qrpc_call_finish(call, -ETIMEDOUT, 0, 0,
					 QRPC_RELEASE_EXPIRED, &to_post);
			drop = true;
		}
		qrpc_port_admit(port, &to_post);
		break;
	case QRPC_CALL_DISPATCHED:
		if (message)
			break;
		port->failed++;
		call->cancelled = true;
		WRITE_ONCE(call->server->desc[call->tag].cancelled, 1);
		qrpc_waiter_finish(&call->client, -ETIMEDOUT, &to_post);
		break;
	case QRPC_CALL_WAITING_ROOM:
		list_del_init(&call->node);
		qrpc_call_done(call);
		arena->active[call->slot] = NULL;
		qrpc_waiter_finish(&call->client, -ETIMEDOUT, &to_post);
		drop = true;
		break;
	default:
		break;
	}
out:
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	if (evicted)
		qrpc_call_put(evicted);		/* the engine's */
	if (drop)
		qrpc_call_put(call);		/* the engine's */
	qrpc_call_put(call);			/* the work's */
}

/* Queue @call, or hand it to a parked tag.  Under port->lock. */
static void qrpc_call_enter(struct qrpc_port *port, struct qrpc_call *call,
			    struct list_head *to_post)
{
	port->enqueued++;
	if (qrpc_iff_serves(call->ifq->iff, call->ifq->minor) &&
	    qrpc_dispatch_to_parked(port, call, to_post))
		return;
	qrpc_ifq_add(call, false);
}

/*
 * Room has been made in @port's queue: let in the [message]s waiting for
 * it, oldest first, and complete their CALLs.  Under port->lock.
 */
void qrpc_port_admit(struct qrpc_port *port, struct list_head *to_post)
{
	while (!list_empty(&port->room_waiters)) {
		struct qrpc_call *call = list_first_entry(&port->room_waiters,
							  struct qrpc_call,
							  node);

		if (!qrpc_port_has_room(port, call->desc.req_len))
			break;
		list_del_init(&call->node);
		qrpc_call_enter(port, call, to_post);
		qrpc_call_arm(call);
		qrpc_waiter_finish(&call->client, 0, to_post);
	}
}

enum qrpc_submit {
	QRPC_SUBMIT_QUEUED,		/* queued or handed to a server */
	QRPC_SUBMIT_DROPPED,		/* a [maybe] that could not be */
	QRPC_SUBMIT_WAITING,		/* a [message] waiting for room */
};

/* What a submission may need to make, allocated with the lock dropped. */
struct qrpc_spares {
	struct qrpc_iff	*iff;
	struct qrpc_ifq	*ifq;
};

/*
 * Queue (or hand over) @call: an enum qrpc_submit, or a negative errno;
 * -ENOMEM when a queue must be made and @spares has nothing to make it
 * from.  Under port->lock.
 */
static int qrpc_call_submit(struct qrpc_port *port, struct qrpc_call *call,
			    struct qrpc_spares *spares,
			    struct list_head *to_post)
{
	const struct qrpc_slot *d = &call->desc;
	bool message = d->kind == QRPC_KIND_MESSAGE;
	struct qrpc_iff *iff;
	bool served;
	int ret;

	/* Only a [message] may wait for an interface nobody serves yet. */
	iff = message ? qrpc_iff_get(port, d->iface.uuid, d->iface.major,
				     &spares->iff) :
			qrpc_iff_lookup(port, d->iface.uuid, d->iface.major);
	served = qrpc_iff_serves(iff, d->iface.minor);
	if (!served && !message)
		return d->kind == QRPC_KIND_MAYBE ? QRPC_SUBMIT_DROPPED :
						    -ENOTCONN;
	ret = qrpc_ifq_attach(port, call, iff, &spares->ifq);
	if (ret) {
		qrpc_iff_maybe_free(iff);
		if (ret == -ENOSPC && d->kind == QRPC_KIND_MAYBE)
			return QRPC_SUBMIT_DROPPED;
		return ret;
	}
	call->seq = ++port->seq;

	port->enqueued++;
	if (served && qrpc_dispatch_to_parked(port, call, to_post))
		return QRPC_SUBMIT_QUEUED;	/* a server was waiting for it */
	if (qrpc_port_has_room(port, d->req_len)) {
		/* The sender's quota: an error it sees, never a silent loss. */
		if (qrpc_user_charge_bytes(call->arena->user,
					   qrpc_call_charge(call), false)) {
			port->enqueued--;
			qrpc_ifq_detach(port, call);
			return d->kind == QRPC_KIND_MAYBE ?
			       QRPC_SUBMIT_DROPPED : -EDQUOT;
		}
		qrpc_ifq_add_charged(call, false);
		return QRPC_SUBMIT_QUEUED;
	}
	/*
	 * A full queue: [maybe] is dropped, a plain call refused; a
	 * [message] refused too, unless it may wait for room.
	 */
	port->enqueued--;
	if (!message || !d->ttrq_ms) {
		qrpc_ifq_detach(port, call);
		if (d->kind == QRPC_KIND_MAYBE)
			return QRPC_SUBMIT_DROPPED;
		/* Not -EAGAIN: io_uring would re-issue the command. */
		return -ENOBUFS;
	}
	call->state = QRPC_CALL_WAITING_ROOM;
	list_add_tail(&call->node, &port->room_waiters);
	return QRPC_SUBMIT_WAITING;
}

/*
 * The connection @io names, with its slot index checked; the handle's
 * reference is in *@ch for the caller to drop.
 */
static struct qrpc_arena *qrpc_io_conn(struct qrpc_instance *inst,
				       const struct qrpc_io *io,
				       struct qrpc_handle **ch)
{
	*ch = qrpc_handle_get(inst, io->handle, QRPC_HANDLE_CONN);
	if (IS_ERR(*ch))
		return ERR_CAST(*ch);
	if (io->index >= (*ch)->conn->arena->nslots) {
		qrpc_handle_put(*ch);
		return ERR_PTR(-EINVAL);
	}
	return (*ch)->conn->arena;
}

long qrpc_call(struct qrpc_instance *inst, const struct qrpc_io *io,
	       struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct qrpc_spares spares = { NULL, NULL };
	struct qrpc_arena *arena;
	struct qrpc_handle *ch;
	struct qrpc_call *call;
	struct qrpc_port *port;
	LIST_HEAD(to_post);
	bool reply, parks, parked;
	long ret;

	if (io->arg || io->len)
		return -EINVAL;
	arena = qrpc_io_conn(inst, io, &ch);
	if (IS_ERR(arena))
		return PTR_ERR(arena);
	port = arena->port;

	ret = -ENOMEM;
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (!call)
		goto out;
	ret = qrpc_slot_read(arena, io->index, &call->desc);
	if (ret) {
		kfree(call);
		goto out;
	}

	/*
	 * References: the engine's (kref_init), held while the call is
	 * queued, waiting or with a server, and dropped by whoever ends it;
	 * and, while its CALL is parked, the parked CALL's.
	 */
	kref_init(&call->ref);
	INIT_LIST_HEAD(&call->node);
	INIT_DELAYED_WORK(&call->deadline, qrpc_call_deadline);
	kref_get(&arena->ref);
	call->arena = arena;
	call->slot = io->index;
	call->call_id = atomic64_inc_return(&qrpc_call_ids);
	call->pid = get_pid(arena->caller_pid);
	call->uid = arena->caller_uid;
	call->gid = arena->caller_gid;
	call->sent = jiffies;
	qrpc_waiter_init(&call->client, &port->lock, qrpc_call_client_cancel,
			 qrpc_call_client_release);
	reply = call->desc.kind == QRPC_KIND_CALL;
	/* A plain call parks for its reply; a [message] may wait for room. */
	parks = reply || (call->desc.kind == QRPC_KIND_MESSAGE &&
			  call->desc.ttrq_ms);
	if (parks) {
		/* The parked CALL's reference, and a sleeping ioctl's own. */
		kref_get(&call->ref);
		if (!cmd)
			kref_get(&call->ref);
		qrpc_waiter_prepare(&call->client, inst, cmd, issue_flags);
	}

retry:
	spin_lock(&port->lock);
	if (arena->client != inst) {
		ret = -EBADF;		/* the connection is closing */
	} else if (arena->active[io->index]) {
		ret = -EBUSY;
	} else {
		ret = qrpc_call_submit(port, call, &spares, &to_post);
		if (ret == -ENOMEM && !spares.ifq) {
			/*
			 * A new queue (and interface) must be made: rarely,
			 * since emptied queues are kept for reuse.
			 */
			spin_unlock(&port->lock);
			spares.ifq = qrpc_ifq_alloc();
			if (!spares.iff)
				spares.iff = qrpc_iff_alloc();
			if (spares.ifq && spares.iff)
				goto retry;
			spin_lock(&port->lock);
		}
		if (ret == QRPC_SUBMIT_QUEUED || ret == QRPC_SUBMIT_WAITING) {
			arena->active[io->index] = call;
			qrpc_call_arm(call);
		}
		if (ret == QRPC_SUBMIT_DROPPED) {
			port->dropped++;
			qrpc_arena_release_slot(arena, io->index, 0, 0, 0,
						QRPC_RELEASE_DROPPED);
		}
		/*
		 * Only a queued plain call, or a [message] kept waiting,
		 * parks; nobody could finish it before the lock is dropped.
		 */
		if (ret == QRPC_SUBMIT_WAITING || (reply && ret >= 0))
			qrpc_waiter_park(&call->client);
	}
	/*
	 * Decided under the lock: once it is dropped, a queued call we hold
	 * no reference on may be taken, answered and freed at any moment.
	 */
	parked = parks && qrpc_waiter_parked(&call->client);
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);

	if (!parked) {
		/* Refused, dropped, or a one-way call now queued. */
		bool queued = ret == QRPC_SUBMIT_QUEUED;

		if (ret == QRPC_SUBMIT_DROPPED)
			ret = 0;
		if (parks) {
			/* Drops the parked CALL's reference. */
			ret = qrpc_waiter_complete_here(&call->client, cmd,
							issue_flags, ret);
			if (!cmd)
				qrpc_call_put(call);	/* the ioctl's */
		}
		if (!queued)
			qrpc_call_put(call);	/* the engine's */
	} else if (cmd) {
		/* Parked; it may even have completed already. */
		ret = -EIOCBQUEUED;
	} else {
		/*
		 * An ioctl CALL sleeps; it must not keep the connection from
		 * being closed, since closing it is what cancels the call.
		 * The call holds the arena meanwhile.
		 */
		qrpc_handle_put(ch);
		ch = NULL;
		/*
		 * Only a fatal signal ends the wait, as it would end a parked
		 * uring CALL: a handler that runs must not leave the caller
		 * unable to tell whether its call ran (the server may well
		 * run it).  Giving up is for the timeout and CANCEL.
		 */
		ret = qrpc_waiter_wait(&call->client, true, -EINTR);
		qrpc_call_put(call);		/* the ioctl's */
	}
out:
	kfree(spares.iff);
	kfree(spares.ifq);
	if (ch)
		qrpc_handle_put(ch);
	return ret;
}

/*
 * CANCEL: tell the server (it sees desc.cancelled) and, if abortive,
 * complete the caller's CALL now with -ECANCELED.  A call still queued is
 * simply dropped.  The slot comes back on the release ring once no server
 * holds the call any more.
 */
long qrpc_cancel(struct qrpc_instance *inst, const struct qrpc_io *io)
{
	struct qrpc_arena *arena;
	struct qrpc_handle *ch;
	struct qrpc_call *call;
	struct qrpc_port *port;
	LIST_HEAD(to_post);
	bool drop = false;
	long ret = 0;

	if (io->len || (io->arg & ~QRPC_CANCEL_F_ABORTIVE))
		return -EINVAL;
	arena = qrpc_io_conn(inst, io, &ch);
	if (IS_ERR(arena))
		return PTR_ERR(arena);
	port = arena->port;

	spin_lock(&port->lock);
	call = arena->active[io->index];
	if (!call || call->desc.kind != QRPC_KIND_CALL ||
	    !qrpc_waiter_parked(&call->client)) {
		ret = -ENOENT;
	} else if (call->state == QRPC_CALL_QUEUED) {
		qrpc_ifq_unlink(call);
		qrpc_call_finish(call, -ECANCELED, 0, 0, QRPC_RELEASE_DONE,
				 &to_post);
		qrpc_port_admit(port, &to_post);
		drop = true;
	} else {
		call->cancelled = true;
		WRITE_ONCE(call->server->desc[call->tag].cancelled, 1);
		if (io->arg & QRPC_CANCEL_F_ABORTIVE)
			qrpc_waiter_finish(&call->client, -ECANCELED, &to_post);
	}
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	if (drop)
		qrpc_call_put(call);		/* the engine's */
	qrpc_handle_put(ch);
	return ret;
}

/*
 * No one can reach @port any more (no name, handle, server or connection):
 * fail what is still queued, which also breaks the cycle port -> queued
 * call -> arena -> port.
 */
void qrpc_port_purge(struct qrpc_port *port)
{
	struct qrpc_call *call, *next;
	LIST_HEAD(queued);
	LIST_HEAD(finished);
	LIST_HEAD(to_post);

	spin_lock(&port->lock);
	/* Taken off first: ending a call may free its queue. */
	qrpc_ifq_take_all(port, &queued);
	list_for_each_entry_safe(call, next, &queued, node) {
		port->failed++;
		qrpc_call_finish(call, -EIDRM, 0, 0, QRPC_RELEASE_FAILED,
				 &to_post);
		list_move_tail(&call->node, &finished);
	}
	list_for_each_entry_safe(call, next, &port->dlq, node) {
		qrpc_dlq_del(call);
		qrpc_call_finish(call, -EIDRM, 0, 0, QRPC_RELEASE_FAILED,
				 &to_post);
		list_add_tail(&call->node, &finished);
	}
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	qrpc_calls_put(&finished);
}
