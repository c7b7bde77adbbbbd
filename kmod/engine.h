/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qrpc: the call engine's objects (see DESIGN.md): arenas, servers and
 * their tags, interface queues, calls, and the waiters that park a
 * command until it can complete.
 */
#ifndef QRPC_ENGINE_H
#define QRPC_ENGINE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <linux/qrpc.h>

#include "buf.h"

struct io_uring_cmd;
struct qrpc_instance;
struct qrpc_port;
struct qrpc_server;
struct qrpc_user;
struct pid;
struct vm_area_struct;

#define QRPC_MAX_SLOTS		4096
#define QRPC_MAX_TAGS		4096
#define QRPC_MAX_AREA		SZ_1G
#define QRPC_NR_PRIO		(QRPC_PRIORITY_MAX + 1)
/* Interfaces one server may register. */
#define QRPC_MAX_SERVER_IFS	64

/*
 * mmap offsets: the page offset carries the region type in bits 28-30 and
 * the arena or server id below, so that it fits the 32-bit page offset of
 * a 32-bit process's mmap2(), and such processes can map regions too.
 * Ids are therefore below 2^28.
 */
#define QRPC_REGION_ID_BITS	28
#define QRPC_REGION_ID_MAX	((1U << QRPC_REGION_ID_BITS) - 1)

enum qrpc_region {
	QRPC_REGION_SLOTS = 1,		/* client, read-write */
	QRPC_REGION_RESULTS,		/* client, read-only */
	QRPC_REGION_REPLY,		/* client, read-only */
	QRPC_REGION_REQUEST,		/* server, read-only */
	QRPC_REGION_REPLY_RW,		/* server, read-write */
	QRPC_REGION_DESC,		/* server, read-only */
};

static inline u64 qrpc_region_offset(enum qrpc_region type, u32 id)
{
	return ((u64)type << QRPC_REGION_ID_BITS | id) << PAGE_SHIFT;
}

/*
 * A parked command: a uring_cmd, or a thread blocked in ioctl().  Exactly
 * one completion reaches it.  @state moves
 *
 *   IDLE -> PARKED -> DONE -> (ioctl: POSTED ->) IDLE
 *
 * IDLE to PARKED and PARKED to DONE happen under *lock: whoever finishes a
 * parked waiter first decides its result.  The rest belongs to whoever
 * delivers that result, after the lock is dropped: the poster takes the
 * waiter off its to-post list and stores IDLE (uring_cmd) or POSTED
 * (ioctl; the sleeper then stores IDLE) with release semantics only once
 * it is done with the waiter's fields, so the waiter can be parked again
 * (a tag re-armed) only after its previous completion is delivered.
 *
 * A parked command, uring or ioctl, holds a reference on the waiter's
 * owner (a call, a server), dropped through @release by whoever delivers
 * its completion, after the last time it touches the waiter: waking a
 * sleeper never races with the sleeper freeing what it slept on.
 */
enum qrpc_waiter_state {
	QRPC_WAITER_IDLE,
	QRPC_WAITER_PARKED,
	QRPC_WAITER_DONE,
	QRPC_WAITER_POSTED,
};

struct qrpc_waiter {
	enum qrpc_waiter_state	state;
	spinlock_t		*lock;		/* the owner's: port->lock */
	/*
	 * Called under *lock when the waiter is cancelled from outside;
	 * waiters it ends in turn (a [message] let in by the room it
	 * made) go on @to_post.
	 */
	void			(*cancel)(struct qrpc_waiter *w,
					  struct list_head *to_post);
	/* Drops the parked command's reference on the owner. */
	void			(*release)(struct qrpc_waiter *w);
	struct io_uring_cmd	*cmd;		/* NULL for an ioctl waiter */
	struct qrpc_instance	*inst;
	struct list_head	watch_node;	/* in inst->watched (6.1) */
	bool			watched;	/* under inst->watch_lock */
	struct list_head	post_node;	/* on a to-post list */
	wait_queue_head_t	wq;		/* an ioctl waiter sleeps here */
	int			res;
};

/* The memory a connection shares with the port's servers. */
struct qrpc_arena {
	struct kref		ref;
	struct work_struct	free_work;
	u32			id;		/* the conn_id */
	struct qrpc_port	*port;		/* holds a reference */
	struct qrpc_instance	*client;	/* NULL once disconnected */
	struct qrpc_user	*user;		/* charged for queued bytes */
	u64			pinned;		/* bytes of areas charged */
	/*
	 * Who connected: every call of the connection carries it, as
	 * SO_PEERCRED does, whoever issues the CALL later (a child that
	 * inherited the file, a thread that changed its ids).
	 */
	struct pid		*caller_pid;	/* the thread group; a reference */
	kuid_t			caller_uid;	/* effective ids */
	kgid_t			caller_gid;
	u32			nslots;
	struct qrpc_buf		slots_buf;	/* slots, then request area */
	u32			req_base;	/* both page-aligned */
	u32			req_size;
	struct qrpc_buf		results_buf;	/* results, then release ring */
	struct qrpc_buf		reply_buf;
	u32			reply_size;
	struct qrpc_slot	*slots;
	struct qrpc_slot_result	*results;
	struct qrpc_release_ring *ring;
	spinlock_t		ring_lock;	/* results and ring writes */
	struct qrpc_call	**active;	/* per slot, under port->lock */
};

enum qrpc_call_state {
	QRPC_CALL_QUEUED,		/* in an interface queue */
	QRPC_CALL_DISPATCHED,		/* in a server's tag */
	QRPC_CALL_DONE,
	QRPC_CALL_WAITING_ROOM,		/* a [message] waiting for room */
	QRPC_CALL_DEADLETTER,		/* in the port's dead-letter queue */
};

struct qrpc_ifq;

struct qrpc_call {
	struct kref		ref;
	/* In an interface queue level, port->room_waiters or port->dlq. */
	struct list_head	node;
	enum qrpc_call_state	state;		/* under port->lock */
	u64			seq;		/* port-wide arrival order */
	u64			call_id;
	struct qrpc_arena	*arena;		/* holds a reference */
	struct qrpc_ifq		*ifq;
	u32			slot;
	struct qrpc_slot	desc;		/* validated copy */
	struct pid		*pid;		/* the caller process */
	kuid_t			uid;
	kgid_t			gid;
	struct qrpc_server	*server;	/* when dispatched */
	u32			tag;
	bool			cancelled;
	struct qrpc_waiter	client;		/* the caller's parked CALL */
	unsigned long		sent;		/* jiffies at QRPC_IOC_CALL */
	/*
	 * The next deadline (timeout, time to reach the queue, time to be
	 * received) and the work that acts on it; a queued work holds a
	 * reference.  Under port->lock.
	 */
	unsigned long		deadline_at;
	struct delayed_work	deadline;
};

/* An interface a port knows of (UUID and major version); see ifq.c. */
struct qrpc_iff {
	struct list_head	node;		/* in port->iffs */
	u8			uuid[16];
	u16			major;
	struct list_head	queues;		/* struct qrpc_ifq, by minor */
	unsigned int		nregs;		/* servers' registrations */
	u16			max_minor;	/* highest registered, if any */
};

/* The calls of one version (minor) of an interface, by priority. */
struct qrpc_ifq {
	struct list_head	node;		/* in iff->queues or the cache */
	struct qrpc_iff		*iff;
	u16			minor;
	u8			mask;		/* non-empty levels */
	unsigned int		ncalls;		/* calls that name it */
	struct list_head	levels[QRPC_NR_PRIO];
};

struct qrpc_tag {
	struct qrpc_server	*server;
	u32			index;
	bool			armed;		/* a FETCH is being parked */
	struct qrpc_waiter	fetch;		/* parked FETCH */
	struct list_head	park_node;	/* in port->parked when parked */
	struct qrpc_call	*call;		/* assigned call, or NULL */
};

/* A server's registration: it takes calls of @iff up to version @minor. */
struct qrpc_server_if {
	struct qrpc_iff		*iff;
	u16			minor;
};

struct qrpc_server {
	struct kref		ref;
	struct work_struct	free_work;
	u32			id;
	struct qrpc_port	*port;		/* holds a reference */
	struct qrpc_instance	*inst;
	struct list_head	node;		/* in port->servers */
	struct list_head	parked;		/* tags with a parked FETCH */
	bool			dead;		/* under port->lock */
	u32			depth;
	struct qrpc_buf		desc_buf;	/* mapped read-only */
	struct qrpc_call_desc	*desc;
	struct qrpc_tag		*tags;
	unsigned int		nifs;
	struct qrpc_server_if	ifs[QRPC_MAX_SERVER_IFS];
	struct user_namespace	*user_ns;	/* to show callers' ids in */
	struct qrpc_user	*user;		/* charged for the table */
	bool			pinned;		/* the charge was made */
	struct pid_namespace	*pid_ns;
};

/* A connection handle's object. */
struct qrpc_conn {
	struct qrpc_arena	*arena;
};

/* park.c */
void qrpc_waiter_init(struct qrpc_waiter *w, spinlock_t *lock,
		      void (*cancel)(struct qrpc_waiter *w,
				     struct list_head *to_post),
		      void (*release)(struct qrpc_waiter *w));
void qrpc_waiter_prepare(struct qrpc_waiter *w, struct qrpc_instance *inst,
			 struct io_uring_cmd *cmd, unsigned int issue_flags);
bool qrpc_waiter_idle(struct qrpc_waiter *w);
void qrpc_waiter_park(struct qrpc_waiter *w);
bool qrpc_waiter_parked(struct qrpc_waiter *w);
void qrpc_waiter_finish(struct qrpc_waiter *w, int res,
			struct list_head *to_post);
void qrpc_waiters_post(struct list_head *to_post);
long qrpc_waiter_complete_here(struct qrpc_waiter *w, struct io_uring_cmd *cmd,
			       unsigned int issue_flags, long res);
long qrpc_waiter_wait(struct qrpc_waiter *w, bool killable, int intr_res);
void qrpc_uring_cancel(struct io_uring_cmd *cmd, unsigned int issue_flags);
void qrpc_monitor_init(struct qrpc_instance *inst);
void qrpc_monitor_exit(struct qrpc_instance *inst);

/* conn.c */
int qrpc_connect(struct qrpc_instance *inst, struct qrpc_connect *c);
void qrpc_conn_close(struct qrpc_conn *conn);
struct qrpc_arena *qrpc_arena_lookup(u32 id);
void qrpc_arena_put(struct qrpc_arena *arena);
int qrpc_map_conn(struct qrpc_instance *inst, struct qrpc_map_conn *m);
int qrpc_mmap(struct qrpc_instance *inst, struct vm_area_struct *vma);
void qrpc_arena_release_slot(struct qrpc_arena *arena, u32 slot, int status,
			     u32 rep_len, u32 fault, u32 reason);

/* server.c */
int qrpc_serve(struct qrpc_instance *inst, struct qrpc_serve *s);
int qrpc_if_register(struct qrpc_instance *inst, struct qrpc_if_reg *r,
		     bool reg);
void qrpc_server_close(struct qrpc_server *server);
void qrpc_server_put(struct qrpc_server *server);
struct qrpc_server *qrpc_server_lookup(u32 id);
bool qrpc_server_ready(struct qrpc_server *server);
void qrpc_servers_wake(struct qrpc_port *port, struct qrpc_call *call);
long qrpc_server_io(struct qrpc_instance *inst, unsigned int op,
		    const struct qrpc_io *io, struct io_uring_cmd *cmd,
		    unsigned int issue_flags);
bool qrpc_dispatch_to_parked(struct qrpc_port *port, struct qrpc_call *call,
			     struct list_head *to_post);

/* call.c */
long qrpc_call(struct qrpc_instance *inst, const struct qrpc_io *io,
	       struct io_uring_cmd *cmd, unsigned int issue_flags);
long qrpc_cancel(struct qrpc_instance *inst, const struct qrpc_io *io);
void qrpc_call_put(struct qrpc_call *call);
void qrpc_calls_put(struct list_head *calls);
void qrpc_port_purge(struct qrpc_port *port);
void qrpc_call_finish(struct qrpc_call *call, int status, u32 rep_len,
		      u32 fault, u32 reason, struct list_head *to_post);
void qrpc_call_done(struct qrpc_call *call);
void qrpc_call_disarm(struct qrpc_call *call);
void qrpc_port_admit(struct qrpc_port *port, struct list_head *to_post);

/* ifq.c */
struct qrpc_iff *qrpc_iff_alloc(void);
struct qrpc_ifq *qrpc_ifq_alloc(void);
struct qrpc_iff *qrpc_iff_lookup(struct qrpc_port *port, const u8 *uuid,
				 u16 major);
struct qrpc_iff *qrpc_iff_get(struct qrpc_port *port, const u8 *uuid,
			      u16 major, struct qrpc_iff **spare);
void qrpc_iff_maybe_free(struct qrpc_iff *iff);
bool qrpc_iff_serves(const struct qrpc_iff *iff, u16 minor);
void qrpc_iff_register(struct qrpc_iff *iff, u16 minor);
void qrpc_iff_unregister(struct qrpc_port *port, struct qrpc_iff *iff,
			 u16 minor);
int qrpc_ifq_attach(struct qrpc_port *port, struct qrpc_call *call,
		    struct qrpc_iff *iff, struct qrpc_ifq **spare);
void qrpc_ifq_detach(struct qrpc_port *port, struct qrpc_call *call);
void qrpc_ifq_cache_free(struct qrpc_port *port);
void qrpc_ifq_add_charged(struct qrpc_call *call, bool at_head);
void qrpc_ifq_add(struct qrpc_call *call, bool at_head);
void qrpc_ifq_unlink(struct qrpc_call *call);
void qrpc_ifq_requeue(struct qrpc_call *call);
struct qrpc_call *qrpc_ifq_peek(struct qrpc_server *server);
struct qrpc_call *qrpc_ifq_take(struct qrpc_server *server);
void qrpc_ifq_take_all(struct qrpc_port *port, struct list_head *calls);

/*
 * What a queued or dead-lettered call costs its sender's byte quota: its
 * request and a fixed overhead, so that empty calls are bounded too.
 */
static inline u32 qrpc_call_charge(const struct qrpc_call *call)
{
	return call->desc.req_len + QRPC_CALL_OVERHEAD;
}

/* dlq.c */
struct qrpc_call *qrpc_dlq_add(struct qrpc_call *call,
			       struct list_head *to_post);
void qrpc_dlq_del(struct qrpc_call *call);
int qrpc_dlq_list(struct qrpc_instance *inst, struct qrpc_dlq_list *l);
int qrpc_dlq_op(struct qrpc_instance *inst, struct qrpc_dlq_op *op,
		bool requeue);

#endif /* QRPC_ENGINE_H */
