// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: servers.  A server is attached to one port and has depth tags; a
 * tag holds at most one call.  FETCH parks on a tag until a call is
 * assigned to it, COMMIT answers the call it holds.  Dispatch prefers, in
 * this order: a call already queued for an interface the server
 * registered (highest priority first, oldest first within a priority),
 * and, for a new call, a tag already parked (handed over directly).
 */
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "compat.h"
#include "engine.h"
#include "port.h"
#include "qrpc.h"
#include "user.h"

static DEFINE_XARRAY_ALLOC1(qrpc_servers);
static u32 qrpc_server_next;

static void qrpc_server_uncharge(struct qrpc_server *server)
{
	if (server->pinned)
		qrpc_user_uncharge_pinned(server->user,
					  PAGE_ALIGN(server->depth *
						     sizeof(struct qrpc_call_desc)));
	if (server->user)
		qrpc_user_put(server->user);
}

/* Freeing unmaps the descriptor table, which may sleep: a worker does it. */
static void qrpc_server_free_work(struct work_struct *work)
{
	struct qrpc_server *server = container_of(work, struct qrpc_server,
						  free_work);

	qrpc_buf_free(&server->desc_buf);
	kvfree(server->tags);
	qrpc_server_uncharge(server);
	put_user_ns(server->user_ns);
	put_pid_ns(server->pid_ns);
	qrpc_port_put(server->port);
	kfree(server);
}

static void qrpc_server_free(struct kref *ref)
{
	struct qrpc_server *server = container_of(ref, struct qrpc_server, ref);

	xa_erase(&qrpc_servers, server->id);
	INIT_WORK(&server->free_work, qrpc_server_free_work);
	queue_work(qrpc_wq, &server->free_work);
}

void qrpc_server_put(struct qrpc_server *server)
{
	kref_put(&server->ref, qrpc_server_free);
}

struct qrpc_server *qrpc_server_lookup(u32 id)
{
	struct qrpc_server *server;

	xa_lock(&qrpc_servers);
	server = xa_load(&qrpc_servers, id);
	if (server && !kref_get_unless_zero(&server->ref))
		server = NULL;
	xa_unlock(&qrpc_servers);
	return server;
}

/* A parked FETCH was cancelled (exit, signal): the tag is idle again. */
static void qrpc_tag_cancel(struct qrpc_waiter *w, struct list_head *to_post)
{
	struct qrpc_tag *tag = container_of(w, struct qrpc_tag, fetch);

	list_del_init(&tag->park_node);
	tag->armed = false;
}

/* A parked FETCH has been completed: drop its reference. */
static void qrpc_tag_release(struct qrpc_waiter *w)
{
	qrpc_server_put(container_of(w, struct qrpc_tag, fetch)->server);
}

int qrpc_serve(struct qrpc_instance *inst, struct qrpc_serve *s)
{
	struct qrpc_server *server;
	struct qrpc_handle *ph, *h = NULL;
	struct qrpc_port *port;
	u32 i;
	int ret;

	if (!s->depth || s->depth > QRPC_MAX_TAGS)
		return -EINVAL;
	ph = qrpc_handle_get(inst, s->port, QRPC_HANDLE_PORT);
	if (IS_ERR(ph))
		return PTR_ERR(ph);
	port = ph->port;
	ret = -EACCES;
	if (!(ph->access & QRPC_ACCESS_SERVE))
		goto out;

	ret = -ENOMEM;
	server = kzalloc(sizeof(*server), GFP_KERNEL_ACCOUNT);
	if (!server)
		goto out;
	server->user = qrpc_user_get_current();
	if (!server->user)
		goto fail;
	/* The descriptor table stays in memory: the user's to pay for. */
	ret = qrpc_user_charge_pinned(server->user,
				      PAGE_ALIGN(s->depth *
						 sizeof(struct qrpc_call_desc)));
	if (ret)
		goto fail;
	server->pinned = true;
	ret = -ENOMEM;
	server->depth = s->depth;
	server->tags = kvcalloc(s->depth, sizeof(*server->tags),
				GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!server->tags ||
	    qrpc_buf_alloc(&server->desc_buf,
			   s->depth * sizeof(struct qrpc_call_desc)))
		goto fail;
	server->desc = server->desc_buf.vaddr;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		goto fail;

	kref_init(&server->ref);
	server->inst = inst;
	INIT_LIST_HEAD(&server->node);
	INIT_LIST_HEAD(&server->parked);
	for (i = 0; i < s->depth; i++) {
		struct qrpc_tag *tag = &server->tags[i];

		tag->server = server;
		tag->index = i;
		INIT_LIST_HEAD(&tag->park_node);
		qrpc_waiter_init(&tag->fetch, &port->lock, qrpc_tag_cancel,
				 qrpc_tag_release);
	}
	server->user_ns = get_user_ns(current_user_ns());
	server->pid_ns = get_pid_ns(task_active_pid_ns(current));
	kref_get(&port->ref);
	server->port = port;

	/* Complete: it may be found by id (mmap) from here on. */
	ret = xa_alloc_cyclic(&qrpc_servers, &server->id, server,
			      XA_LIMIT(1, QRPC_REGION_ID_MAX),
			      &qrpc_server_next, GFP_KERNEL_ACCOUNT);
	if (ret < 0) {
		put_user_ns(server->user_ns);
		put_pid_ns(server->pid_ns);
		qrpc_port_put(port);
		goto fail;
	}
	/* From here the free path is the normal one. */

	spin_lock(&port->lock);
	list_add_tail(&server->node, &port->servers);
	port->nservers++;
	port->users++;
	spin_unlock(&port->lock);
	s->desc_off = qrpc_region_offset(QRPC_REGION_DESC, server->id);
	s->desc_size = server->desc_buf.npages << PAGE_SHIFT;

	/*
	 * The handle last: once it is published, another thread may close
	 * it, and the server with it.
	 */
	h->type = QRPC_HANDLE_SERVER;
	h->server = server;
	ret = qrpc_handle_add(inst, h, &s->handle);
	if (ret) {
		kfree(h);
		qrpc_server_close(server);
		qrpc_server_put(server);
	}
	goto out;
fail:
	kfree(h);
	qrpc_buf_free(&server->desc_buf);
	kvfree(server->tags);
	qrpc_server_uncharge(server);
	kfree(server);
out:
	qrpc_handle_put(ph);
	return ret;
}

/* Write @call's description into @server's table at @tag. */
static void qrpc_desc_write(struct qrpc_server *server, u32 tag,
			    struct qrpc_call *call)
{
	struct qrpc_call_desc *d = &server->desc[tag];

	memset(d, 0, sizeof(*d));
	d->call_id = call->call_id;
	d->conn_id = call->arena->id;
	d->slot = call->slot;
	d->kind = call->desc.kind;
	d->priority = call->desc.priority;
	d->flags = call->arena->client ? 0 : QRPC_DESC_F_ORPHAN;
	d->opnum = call->desc.opnum;
	d->iface = call->desc.iface;
	d->req_off = call->desc.req_off;
	d->req_len = call->desc.req_len;
	d->rep_off = call->desc.rep_off;
	d->rep_cap = call->desc.rep_cap;
	d->pid = pid_nr_ns(call->pid, server->pid_ns);
	d->uid = from_kuid_munged(server->user_ns, call->uid);
	d->gid = from_kgid_munged(server->user_ns, call->gid);
	d->cancelled = call->cancelled;
}

/* Give @call to idle or parked @tag.  Under port->lock. */
static void qrpc_tag_give(struct qrpc_tag *tag, struct qrpc_call *call)
{
	struct qrpc_server *server = tag->server;

	/* Received: a [message]'s time to be received no longer runs. */
	if (call->desc.kind == QRPC_KIND_MESSAGE)
		qrpc_call_disarm(call);
	call->state = QRPC_CALL_DISPATCHED;
	call->server = server;
	call->tag = tag->index;
	tag->call = call;
	qrpc_desc_write(server, tag->index, call);
	server->port->delivered++;
}

/* Give @call to parked @tag and complete its FETCH.  Under port->lock. */
static void qrpc_tag_assign(struct qrpc_tag *tag, struct qrpc_call *call,
			    struct list_head *to_post)
{
	qrpc_tag_give(tag, call);
	list_del_init(&tag->park_node);
	tag->armed = false;
	qrpc_waiter_finish(&tag->fetch, 0, to_post);
}

/* Whether @server has a call it could take now (for poll()). */
bool qrpc_server_ready(struct qrpc_server *server)
{
	struct qrpc_port *port = server->port;
	bool ready;

	spin_lock(&port->lock);
	ready = qrpc_ifq_peek(server);
	spin_unlock(&port->lock);
	return ready;
}

/* Whether @server serves @call's interface at its version. */
static bool qrpc_server_takes(struct qrpc_server *server,
			      struct qrpc_call *call)
{
	unsigned int i;

	for (i = 0; i < server->nifs; i++)
		if (server->ifs[i].iff == call->ifq->iff)
			return call->ifq->minor <= server->ifs[i].minor;
	return false;
}

/* @server may have a call to fetch now: wake its file's poll() sleepers. */
static void qrpc_server_wake(struct qrpc_server *server)
{
	if (wq_has_sleeper(&server->inst->poll_wq))
		wake_up_interruptible_poll(&server->inst->poll_wq,
					   EPOLLIN | EPOLLRDNORM);
}

/*
 * @call was queued on @port: wake the pollers of the servers that could
 * take it, not every server of the port.  Whether anyone polls is the
 * cheaper test, so it comes first.  Under port->lock.
 */
void qrpc_servers_wake(struct qrpc_port *port, struct qrpc_call *call)
{
	struct qrpc_server *server;

	list_for_each_entry(server, &port->servers, node) {
		wait_queue_head_t *wq = &server->inst->poll_wq;

		if (wq_has_sleeper(wq) && qrpc_server_takes(server, call))
			wake_up_interruptible_poll(wq, EPOLLIN | EPOLLRDNORM);
	}
}

/*
 * Hand a new @call straight to a parked tag of a server that serves it,
 * if there is one.  Servers take turns.  Under port->lock.
 */
bool qrpc_dispatch_to_parked(struct qrpc_port *port, struct qrpc_call *call,
			     struct list_head *to_post)
{
	struct qrpc_server *server;

	list_for_each_entry(server, &port->servers, node) {
		struct qrpc_tag *tag;

		if (list_empty(&server->parked) ||
		    !qrpc_server_takes(server, call))
			continue;
		tag = list_first_entry(&server->parked, struct qrpc_tag,
				       park_node);
		qrpc_tag_assign(tag, call, to_post);
		list_move_tail(&server->node, &port->servers);
		return true;
	}
	return false;
}

/* Give queued calls to @server's parked tags.  Under port->lock. */
static void qrpc_server_pump(struct qrpc_server *server,
			     struct list_head *to_post)
{
	while (!list_empty(&server->parked)) {
		struct qrpc_call *call = qrpc_ifq_take(server);

		if (!call)
			break;
		qrpc_tag_assign(list_first_entry(&server->parked,
						 struct qrpc_tag, park_node),
				call, to_post);
	}
	qrpc_port_admit(server->port, to_post);
}

int qrpc_if_register(struct qrpc_instance *inst, struct qrpc_if_reg *r,
		     bool reg)
{
	struct qrpc_iff *spare = NULL, *iff;
	struct qrpc_server *server;
	struct qrpc_handle *sh;
	struct qrpc_port *port;
	LIST_HEAD(to_post);
	unsigned int i;
	int ret = 0;

	if (r->flags || r->iface.reserved0 ||
	    memchr_inv(r->reserved, 0, sizeof(r->reserved)))
		return -EINVAL;
	sh = qrpc_handle_get(inst, r->server, QRPC_HANDLE_SERVER);
	if (IS_ERR(sh))
		return PTR_ERR(sh);
	server = sh->server;
	port = server->port;
	if (reg) {
		spare = qrpc_iff_alloc();
		if (!spare) {
			ret = -ENOMEM;
			goto out;
		}
	}

	spin_lock(&port->lock);
	for (i = 0; i < server->nifs; i++) {
		iff = server->ifs[i].iff;
		if (iff->major == r->iface.major &&
		    !memcmp(iff->uuid, r->iface.uuid, sizeof(iff->uuid)))
			break;
	}
	if (server->dead) {
		ret = -EPIPE;
	} else if (!reg) {
		if (i == server->nifs) {
			ret = -ENOENT;
		} else {
			u16 minor = server->ifs[i].minor;

			iff = server->ifs[i].iff;
			server->ifs[i] = server->ifs[--server->nifs];
			qrpc_iff_unregister(port, iff, minor);
		}
	} else if (i < server->nifs) {
		ret = -EEXIST;
	} else if (server->nifs == QRPC_MAX_SERVER_IFS) {
		ret = -ENOSPC;
	} else {
		iff = qrpc_iff_get(port, r->iface.uuid, r->iface.major, &spare);
		qrpc_iff_register(iff, r->iface.minor);
		server->ifs[server->nifs].iff = iff;
		server->ifs[server->nifs].minor = r->iface.minor;
		server->nifs++;
		/* Messages may have been waiting for this interface. */
		qrpc_server_pump(server, &to_post);
		/* Those left queued are this server's to fetch now. */
		qrpc_server_wake(server);
	}
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	kfree(spare);
out:
	qrpc_handle_put(sh);
	return ret;
}

/*
 * FETCH (and the second half of COMMIT_AND_FETCH): take the best queued
 * call now, or park the tag until one comes.
 */
static long qrpc_do_fetch(struct qrpc_instance *inst, struct qrpc_tag *tag,
			  struct io_uring_cmd *cmd, unsigned int issue_flags,
			  int intr_res)
{
	struct qrpc_server *server = tag->server;
	struct qrpc_port *port = server->port;
	struct qrpc_call *call;
	LIST_HEAD(to_post);
	bool done_here;

	spin_lock(&port->lock);
	/*
	 * A tag is busy while it holds a call, while a FETCH is being parked
	 * on it, and until its last FETCH's completion has been delivered: a
	 * server that reads its descriptor table sees a call before that.
	 */
	if (tag->armed || tag->call || !qrpc_waiter_idle(&tag->fetch)) {
		spin_unlock(&port->lock);
		return -EBUSY;
	}
	if (server->dead) {
		spin_unlock(&port->lock);
		return -EPIPE;
	}
	call = qrpc_ifq_take(server);
	if (call) {
		/* The fast case: a call is waiting, nothing to park. */
		qrpc_tag_give(tag, call);
		qrpc_port_admit(port, &to_post);
		spin_unlock(&port->lock);
		qrpc_waiters_post(&to_post);
		return 0;
	}
	tag->armed = true;
	spin_unlock(&port->lock);

	/*
	 * Making a uring_cmd cancelable may sleep, so it is done before the
	 * tag is published.  The parked FETCH holds a server reference.
	 */
	kref_get(&server->ref);
	qrpc_waiter_prepare(&tag->fetch, inst, cmd, issue_flags);

	spin_lock(&port->lock);
	qrpc_waiter_park(&tag->fetch);
	if (server->dead) {
		tag->armed = false;
		qrpc_waiter_finish(&tag->fetch, -EPIPE, &to_post);
	} else {
		list_add_tail(&tag->park_node, &server->parked);
		/* A call may have come while the lock was dropped. */
		call = qrpc_ifq_take(server);
		if (call) {
			qrpc_tag_assign(tag, call, &to_post);
			qrpc_port_admit(port, &to_post);
		}
	}
	/*
	 * Decided under the lock: once it is dropped, a parked tag is
	 * anyone's to complete.
	 */
	done_here = !qrpc_waiter_parked(&tag->fetch);
	spin_unlock(&port->lock);

	if (!done_here) {
		qrpc_waiters_post(&to_post);
		return cmd ? -EIOCBQUEUED :
			     qrpc_waiter_wait(&tag->fetch, false, intr_res);
	}

	/* Finished before anyone else saw it: complete it here. */
	list_del_init(&tag->fetch.post_node);
	qrpc_waiters_post(&to_post);
	return qrpc_waiter_complete_here(&tag->fetch, cmd, issue_flags,
					 tag->fetch.res);
}

/* COMMIT: answer the call @tag holds with @fault (0 = success), @len bytes. */
static long qrpc_commit(struct qrpc_tag *tag, u32 fault, u32 len)
{
	struct qrpc_port *port = tag->server->port;
	struct qrpc_call *call;
	LIST_HEAD(to_post);
	bool reply;

	spin_lock(&port->lock);
	call = tag->call;
	if (!call) {
		spin_unlock(&port->lock);
		return -ENOENT;
	}
	reply = call->desc.kind == QRPC_KIND_CALL;
	/* A one-way call has no reply; a reply must fit where it was put. */
	if (len > (reply ? call->desc.rep_cap : 0) || (fault && !reply)) {
		spin_unlock(&port->lock);
		return -EINVAL;
	}
	tag->call = NULL;
	if (fault)
		qrpc_call_finish(call, -EREMOTEIO, 0, fault, QRPC_RELEASE_DONE,
				 &to_post);
	else
		qrpc_call_finish(call, 0, len, 0,
				 reply ? QRPC_RELEASE_DONE : QRPC_RELEASE_RECEIVED,
				 &to_post);
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	qrpc_call_put(call);		/* the engine's reference */
	return 0;
}

long qrpc_server_io(struct qrpc_instance *inst, unsigned int op,
		    const struct qrpc_io *io, struct io_uring_cmd *cmd,
		    unsigned int issue_flags)
{
	struct qrpc_server *server;
	struct qrpc_handle *sh;
	struct qrpc_tag *tag;
	long ret;

	sh = qrpc_handle_get(inst, io->handle, QRPC_HANDLE_SERVER);
	if (IS_ERR(sh))
		return PTR_ERR(sh);
	server = sh->server;
	if (io->index >= server->depth ||
	    (op == QRPC_IOC_FETCH && (io->arg || io->len))) {
		qrpc_handle_put(sh);
		return -EINVAL;
	}
	tag = &server->tags[io->index];
	/*
	 * An ioctl FETCH sleeps; it must not keep the handle from being
	 * closed, since closing it (stopping the server) is what wakes it.
	 * It holds the server instead.
	 */
	kref_get(&server->ref);
	qrpc_handle_put(sh);

	ret = 0;
	if (op != QRPC_IOC_FETCH)
		ret = qrpc_commit(tag, io->arg, io->len);
	/*
	 * A signal ends an ioctl FETCH that got nothing, which can simply be
	 * issued again (-ERESTARTSYS); after a commit, the restart would
	 * commit twice, so COMMIT_AND_FETCH returns -EINTR.
	 */
	if (!ret && op != QRPC_IOC_COMMIT)
		ret = qrpc_do_fetch(inst, tag, cmd, issue_flags,
				    op == QRPC_IOC_FETCH ? -ERESTARTSYS : -EINTR);
	qrpc_server_put(server);
	return ret;
}

/*
 * The server's handle is gone: fail what it holds and wake what it parked.
 * A plain call it held fails with -EPIPE; a [message] goes back to the head
 * of its queue for the next server; a [maybe] it held is counted failed.
 */
void qrpc_server_close(struct qrpc_server *server)
{
	struct qrpc_port *port = server->port;
	LIST_HEAD(finished);
	LIST_HEAD(to_post);
	unsigned int i;

	spin_lock(&port->lock);
	server->dead = true;
	list_del_init(&server->node);
	/* Its instance may go now, and another take its address. */
	WRITE_ONCE(server->inst, NULL);
	port->nservers--;
	while (server->nifs) {
		struct qrpc_server_if *sif = &server->ifs[--server->nifs];

		qrpc_iff_unregister(port, sif->iff, sif->minor);
	}
	for (i = 0; i < server->depth; i++) {
		struct qrpc_tag *tag = &server->tags[i];
		struct qrpc_call *call = tag->call;

		if (qrpc_waiter_parked(&tag->fetch)) {
			qrpc_tag_cancel(&tag->fetch, &to_post);
			qrpc_waiter_finish(&tag->fetch, -EPIPE, &to_post);
		}
		if (!call)
			continue;
		tag->call = NULL;
		if (call->desc.kind == QRPC_KIND_MESSAGE) {
			qrpc_ifq_requeue(call);
			continue;
		}
		port->failed++;
		qrpc_call_finish(call, -EPIPE, 0, 0,
				 call->desc.kind == QRPC_KIND_CALL ?
				 QRPC_RELEASE_DONE : QRPC_RELEASE_FAILED,
				 &to_post);
		list_add_tail(&call->node, &finished);
	}
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	qrpc_calls_put(&finished);
	qrpc_port_user_put(port);
}
