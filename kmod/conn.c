// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: client connections and their arenas, and mmap() of every region a
 * client or a server maps.
 *
 * An arena outlives its connection while calls still use it: each queued
 * or dispatched call, and each mapping, holds a reference, so a [message]
 * keeps its request pages after its sender exits.
 */
#include <linux/cred.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "engine.h"
#include "port.h"
#include "qrpc.h"
#include "user.h"

/* Arenas by conn_id, for servers' QRPC_IOC_MAP_CONN and mmap(). */
static DEFINE_XARRAY_ALLOC1(qrpc_arenas);
static u32 qrpc_arena_next;

/* Unmapping the buffers may sleep, and the last put may hold a spinlock. */
static void qrpc_arena_free_work(struct work_struct *work)
{
	struct qrpc_arena *arena = container_of(work, struct qrpc_arena,
						free_work);

	qrpc_buf_free(&arena->slots_buf);
	qrpc_buf_free(&arena->results_buf);
	qrpc_buf_free(&arena->reply_buf);
	kvfree(arena->active);
	qrpc_user_uncharge_pinned(arena->user, arena->pinned);
	qrpc_user_put(arena->user);
	put_pid(arena->caller_pid);
	qrpc_port_put(arena->port);
	kfree(arena);
}

static void qrpc_arena_free(struct kref *ref)
{
	struct qrpc_arena *arena = container_of(ref, struct qrpc_arena, ref);

	xa_erase(&qrpc_arenas, arena->id);
	INIT_WORK(&arena->free_work, qrpc_arena_free_work);
	queue_work(qrpc_wq, &arena->free_work);
}

void qrpc_arena_put(struct qrpc_arena *arena)
{
	kref_put(&arena->ref, qrpc_arena_free);
}

/* The arena with @id, with a reference, or NULL. */
struct qrpc_arena *qrpc_arena_lookup(u32 id)
{
	struct qrpc_arena *arena;

	xa_lock(&qrpc_arenas);
	arena = xa_load(&qrpc_arenas, id);
	if (arena && !kref_get_unless_zero(&arena->ref))
		arena = NULL;
	xa_unlock(&qrpc_arenas);
	return arena;
}

static int qrpc_area_size(u32 in, u32 *out)
{
	if (in < PAGE_SIZE || in > QRPC_MAX_AREA)
		return -EINVAL;
	*out = PAGE_ALIGN(in);
	return 0;
}

static size_t qrpc_results_bytes(u32 nslots)
{
	return nslots * sizeof(struct qrpc_slot_result) +
	       sizeof(struct qrpc_release_ring) + nslots * sizeof(u32);
}

static struct qrpc_arena *qrpc_arena_create(struct qrpc_port *port,
					    struct qrpc_instance *client,
					    u32 nslots, u32 req_size,
					    u32 rep_size)
{
	struct qrpc_arena *arena;
	int ret;

	arena = kzalloc(sizeof(*arena), GFP_KERNEL_ACCOUNT);
	if (!arena)
		return ERR_PTR(-ENOMEM);
	kref_init(&arena->ref);
	spin_lock_init(&arena->ring_lock);
	arena->client = client;
	arena->nslots = nslots;
	arena->req_base = PAGE_ALIGN(nslots * sizeof(struct qrpc_slot));
	arena->req_size = req_size;
	arena->reply_size = rep_size;
	arena->caller_pid = get_pid(task_tgid(current));
	arena->caller_uid = current_euid();
	arena->caller_gid = current_egid();

	arena->active = kvcalloc(nslots, sizeof(*arena->active),
				 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	arena->user = qrpc_user_get_current();
	ret = arena->active && arena->user ? 0 : -ENOMEM;
	/*
	 * The areas stay in memory while the arena lives (after its
	 * connection, while its messages are queued or dead-lettered):
	 * charged to the user first, so that the limit refuses a request
	 * before anything is allocated for it.
	 */
	if (!ret) {
		u64 pinned = PAGE_ALIGN((size_t)arena->req_base + req_size) +
			     PAGE_ALIGN(qrpc_results_bytes(nslots)) +
			     PAGE_ALIGN(rep_size);

		ret = qrpc_user_charge_pinned(arena->user, pinned);
		if (!ret)
			arena->pinned = pinned;
	}
	if (!ret)
		ret = qrpc_buf_alloc(&arena->slots_buf,
				     (size_t)arena->req_base + req_size);
	if (!ret)
		ret = qrpc_buf_alloc(&arena->results_buf,
				     qrpc_results_bytes(nslots));
	if (!ret)
		ret = qrpc_buf_alloc(&arena->reply_buf, rep_size);
	if (ret)
		goto fail;

	arena->slots = arena->slots_buf.vaddr;
	arena->results = arena->results_buf.vaddr;
	arena->ring = (void *)(arena->results + nslots);
	arena->ring->mask = nslots - 1;
	kref_get(&port->ref);
	arena->port = port;

	/* Complete: servers may find it by id from here on. */
	ret = xa_alloc_cyclic(&qrpc_arenas, &arena->id, arena,
			      XA_LIMIT(1, QRPC_REGION_ID_MAX),
			      &qrpc_arena_next, GFP_KERNEL_ACCOUNT);
	if (ret < 0) {
		qrpc_port_put(port);
		goto fail;
	}
	return arena;
fail:
	qrpc_buf_free(&arena->slots_buf);
	qrpc_buf_free(&arena->results_buf);
	qrpc_buf_free(&arena->reply_buf);
	kvfree(arena->active);
	put_pid(arena->caller_pid);
	if (arena->user) {
		qrpc_user_uncharge_pinned(arena->user, arena->pinned);
		qrpc_user_put(arena->user);
	}
	kfree(arena);
	return ERR_PTR(ret);
}

int qrpc_connect(struct qrpc_instance *inst, struct qrpc_connect *c)
{
	struct qrpc_handle *ph, *h;
	struct qrpc_arena *arena;
	struct qrpc_conn *conn;
	u32 req_size, rep_size;
	int ret;

	if (!is_power_of_2(c->nslots) || c->nslots > QRPC_MAX_SLOTS)
		return -EINVAL;
	if (qrpc_area_size(c->req_size, &req_size) ||
	    qrpc_area_size(c->rep_size, &rep_size))
		return -EINVAL;

	ph = qrpc_handle_get(inst, c->port, QRPC_HANDLE_PORT);
	if (IS_ERR(ph))
		return PTR_ERR(ph);
	if (!(ph->access & QRPC_ACCESS_CALL)) {
		ret = -EACCES;
		goto out;
	}

	arena = qrpc_arena_create(ph->port, inst, c->nslots, req_size,
				  rep_size);
	if (IS_ERR(arena)) {
		ret = PTR_ERR(arena);
		goto out;
	}
	ret = -ENOMEM;
	conn = kzalloc(sizeof(*conn), GFP_KERNEL_ACCOUNT);
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!conn || !h)
		goto fail;
	conn->arena = arena;

	spin_lock(&arena->port->lock);
	arena->port->nconns++;
	arena->port->users++;
	spin_unlock(&arena->port->lock);

	c->conn_id = arena->id;
	c->slots_off = qrpc_region_offset(QRPC_REGION_SLOTS, arena->id);
	c->results_off = qrpc_region_offset(QRPC_REGION_RESULTS, arena->id);
	c->reply_off = qrpc_region_offset(QRPC_REGION_REPLY, arena->id);
	c->slots_size = arena->slots_buf.npages << PAGE_SHIFT;
	c->results_size = arena->results_buf.npages << PAGE_SHIFT;
	c->reply_size = arena->reply_buf.npages << PAGE_SHIFT;
	c->req_base = arena->req_base;
	c->req_size = req_size;
	c->rep_size = rep_size;

	/*
	 * The handle last: once it is published, another thread may close
	 * it, and the connection with it.
	 */
	h->type = QRPC_HANDLE_CONN;
	h->conn = conn;
	ret = qrpc_handle_add(inst, h, &c->handle);
	if (ret) {
		kfree(h);
		qrpc_conn_close(conn);
	}
	goto out;
fail:
	kfree(h);
	kfree(conn);
	qrpc_arena_put(arena);
out:
	qrpc_handle_put(ph);
	return ret;
}

/*
 * The connection's handle is gone.  Plain calls still queued are dropped
 * and those with a server are orphaned: nobody will read their replies.
 * One-way calls stay queued, keeping the arena alive, until a server takes
 * them.
 */
void qrpc_conn_close(struct qrpc_conn *conn)
{
	struct qrpc_arena *arena = conn->arena;
	struct qrpc_port *port = arena->port;
	LIST_HEAD(finished);
	LIST_HEAD(to_post);
	u32 i;

	spin_lock(&port->lock);
	WRITE_ONCE(arena->client, NULL);
	port->nconns--;
	for (i = 0; i < arena->nslots; i++) {
		struct qrpc_call *call = arena->active[i];

		if (call && call->state == QRPC_CALL_WAITING_ROOM) {
			/* Its CALL is still parked: it fails, never queued. */
			list_del_init(&call->node);
			qrpc_call_disarm(call);
			qrpc_call_done(call);
			arena->active[i] = NULL;
			qrpc_waiter_finish(&call->client, -ECANCELED, &to_post);
			list_add_tail(&call->node, &finished);
			continue;
		}
		if (!call || call->desc.kind != QRPC_KIND_CALL)
			continue;
		call->cancelled = true;
		if (call->state == QRPC_CALL_QUEUED) {
			qrpc_ifq_unlink(call);
			qrpc_call_finish(call, -ECANCELED, 0, 0,
					 QRPC_RELEASE_DONE, &to_post);
			list_add_tail(&call->node, &finished);
		} else {
			struct qrpc_call_desc *d =
				&call->server->desc[call->tag];

			WRITE_ONCE(d->cancelled, 1);
			WRITE_ONCE(d->flags, d->flags | QRPC_DESC_F_ORPHAN);
			qrpc_waiter_finish(&call->client, -ECANCELED, &to_post);
		}
	}
	qrpc_port_admit(port, &to_post);
	spin_unlock(&port->lock);
	qrpc_waiters_post(&to_post);
	qrpc_calls_put(&finished);
	qrpc_port_user_put(port);
	qrpc_arena_put(arena);
	kfree(conn);
}

int qrpc_map_conn(struct qrpc_instance *inst, struct qrpc_map_conn *m)
{
	struct qrpc_handle *sh;
	struct qrpc_arena *arena;
	int ret = 0;

	sh = qrpc_handle_get(inst, m->server, QRPC_HANDLE_SERVER);
	if (IS_ERR(sh))
		return PTR_ERR(sh);
	arena = qrpc_arena_lookup(m->conn_id);
	if (!arena || arena->port != sh->server->port) {
		ret = -ENOENT;
		goto out;
	}
	m->request_off = qrpc_region_offset(QRPC_REGION_REQUEST, arena->id);
	m->reply_off = qrpc_region_offset(QRPC_REGION_REPLY_RW, arena->id);
	m->request_size = arena->req_size;
	m->reply_size = arena->reply_size;
out:
	if (arena)
		qrpc_arena_put(arena);
	qrpc_handle_put(sh);
	return ret;
}

/*
 * Post @slot on the release ring with @reason, after writing its result.
 * The entry is written before the tail, and the tail with release
 * semantics, so a client that reads the tail with acquire sees both.
 */
void qrpc_arena_release_slot(struct qrpc_arena *arena, u32 slot, int status,
			     u32 rep_len, u32 fault, u32 reason)
{
	struct qrpc_slot_result *r = &arena->results[slot];
	struct qrpc_release_ring *ring = arena->ring;
	u32 tail;

	spin_lock(&arena->ring_lock);
	WRITE_ONCE(r->status, status);
	WRITE_ONCE(r->rep_len, rep_len);
	WRITE_ONCE(r->fault, fault);
	/*
	 * seq last, with release semantics: a caller polling it (with
	 * acquire) for its plain call's end sees the rest, without waiting
	 * for the CALL's completion (task work on 6.7+).
	 */
	smp_store_release(&r->seq, r->seq + 1);
	tail = ring->tail;
	WRITE_ONCE(ring->entries[tail & (arena->nslots - 1)],
		   slot | reason << 24);
	/* Pairs with the client's acquire load of the tail. */
	smp_store_release(&ring->tail, tail + 1);
	spin_unlock(&arena->ring_lock);
}

/* Mappings hold a reference on the arena or server they show. */
static void qrpc_vma_open(struct vm_area_struct *vma)
{
	struct kref *ref = vma->vm_private_data;

	kref_get(ref);
}

static void qrpc_arena_vma_close(struct vm_area_struct *vma)
{
	qrpc_arena_put(container_of(vma->vm_private_data, struct qrpc_arena,
				    ref));
}

static void qrpc_server_vma_close(struct vm_area_struct *vma)
{
	qrpc_server_put(container_of(vma->vm_private_data, struct qrpc_server,
				     ref));
}

static const struct vm_operations_struct qrpc_arena_vm_ops = {
	.open	= qrpc_vma_open,
	.close	= qrpc_arena_vma_close,
};

static const struct vm_operations_struct qrpc_server_vm_ops = {
	.open	= qrpc_vma_open,
	.close	= qrpc_server_vma_close,
};

/*
 * Map @first.. of @buf, exactly @size bytes, writable or not.  Regions the
 * kernel or the peer writes are read-only for good: VM_MAYWRITE goes, so
 * mprotect() cannot add write access later.
 */
static int qrpc_map_region(struct vm_area_struct *vma, struct qrpc_buf *buf,
			   unsigned int first, size_t size, bool writable)
{
	if (vma->vm_end - vma->vm_start != size)
		return -EINVAL;
	if (!writable && (vma->vm_flags & VM_WRITE))
		return -EACCES;
	qrpc_vm_flags_mod(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP,
			  writable ? 0 : VM_MAYWRITE);
	return qrpc_buf_map(buf, first, vma);
}

/* Whether @inst serves @port through some server handle. */
static bool qrpc_serves(struct qrpc_instance *inst, struct qrpc_port *port)
{
	struct qrpc_handle *h;
	unsigned long id;
	bool found = false;

	xa_lock(&inst->handles);
	xa_for_each(&inst->handles, id, h) {
		if (h->type == QRPC_HANDLE_SERVER && h->server->port == port) {
			found = true;
			break;
		}
	}
	xa_unlock(&inst->handles);
	return found;
}

static int qrpc_mmap_arena(struct qrpc_instance *inst,
			   struct vm_area_struct *vma, enum qrpc_region type,
			   struct qrpc_arena *arena)
{
	bool client = READ_ONCE(arena->client) == inst;

	switch (type) {
	case QRPC_REGION_SLOTS:
		if (!client)
			return -EACCES;
		return qrpc_map_region(vma, &arena->slots_buf, 0,
				       arena->slots_buf.npages << PAGE_SHIFT,
				       true);
	case QRPC_REGION_RESULTS:
		if (!client)
			return -EACCES;
		return qrpc_map_region(vma, &arena->results_buf, 0,
				       arena->results_buf.npages << PAGE_SHIFT,
				       false);
	case QRPC_REGION_REPLY:
		if (!client)
			return -EACCES;
		return qrpc_map_region(vma, &arena->reply_buf, 0,
				       arena->reply_size, false);
	case QRPC_REGION_REQUEST:
		if (!qrpc_serves(inst, arena->port))
			return -EACCES;
		return qrpc_map_region(vma, &arena->slots_buf,
				       arena->req_base >> PAGE_SHIFT,
				       arena->req_size, false);
	case QRPC_REGION_REPLY_RW:
		if (!qrpc_serves(inst, arena->port))
			return -EACCES;
		return qrpc_map_region(vma, &arena->reply_buf, 0,
				       arena->reply_size, true);
	default:
		return -EINVAL;
	}
}

int qrpc_mmap(struct qrpc_instance *inst, struct vm_area_struct *vma)
{
	u64 type = (u64)vma->vm_pgoff >> QRPC_REGION_ID_BITS;
	u32 id = vma->vm_pgoff & QRPC_REGION_ID_MAX;
	struct qrpc_server *server;
	struct qrpc_arena *arena;
	int ret;

	/* Shared memory only: a private copy would see nothing. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	if (type == QRPC_REGION_DESC) {
		server = qrpc_server_lookup(id);
		if (!server)
			return -EINVAL;
		ret = -EACCES;
		if (READ_ONCE(server->inst) == inst)
			ret = qrpc_map_region(vma, &server->desc_buf, 0,
					      server->desc_buf.npages << PAGE_SHIFT,
					      false);
		if (ret) {
			qrpc_server_put(server);
			return ret;
		}
		vma->vm_private_data = &server->ref;
		vma->vm_ops = &qrpc_server_vm_ops;
		return 0;
	}

	if (type < QRPC_REGION_SLOTS || type > QRPC_REGION_REPLY_RW)
		return -EINVAL;
	arena = qrpc_arena_lookup(id);
	if (!arena)
		return -EINVAL;
	ret = qrpc_mmap_arena(inst, vma, type, arena);
	if (ret) {
		qrpc_arena_put(arena);
		return ret;
	}
	vma->vm_private_data = &arena->ref;
	vma->vm_ops = &qrpc_arena_vm_ops;
	return 0;
}
