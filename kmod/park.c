// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc: parked commands.
 *
 * A command that must wait (a client's CALL until the reply, a server's
 * FETCH until a call arrives) is a waiter: either a uring_cmd that has
 * returned -EIOCBQUEUED, or a thread asleep in ioctl().  The object that
 * owns the waiter (a call, a server's tag) decides, under its lock, that
 * the waiter is done and with which result (qrpc_waiter_finish); the
 * result is posted after the lock is dropped (qrpc_waiters_post), since
 * completing a uring_cmd may sleep.  The state moves IDLE -> PARKED ->
 * DONE under that lock, so every waiter completes exactly once.
 *
 * A process may exit, or close its ring, with commands parked.  Where
 * io_uring can cancel them (6.7 and later) they are marked cancelable and
 * completed from ->uring_cmd(IO_URING_F_CANCEL).  Elsewhere (Debian's 6.1)
 * a monitor polls each parked request's ring and owning task and completes
 * the commands of dying rings and exec'ing tasks; without it the ring's
 * release would wait for them forever.
 */
#include <linux/llist.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "engine.h"
#include "qrpc.h"

/* How often the exit monitor looks at parked commands: at first, at most. */
#define QRPC_MONITOR_PERIOD	(HZ / 20)
#define QRPC_MONITOR_PERIOD_MAX	HZ

/* The part of a uring_cmd's pdu qrpc uses. */
struct qrpc_pdu {
	struct qrpc_waiter	*waiter;
	int			res;	/* for a completion made later */
	struct llist_node	deferred; /* in qrpc_deferred (6.1) */
};

static struct qrpc_pdu *qrpc_cmd_pdu(struct io_uring_cmd *cmd)
{
	BUILD_BUG_ON(sizeof(struct qrpc_pdu) > sizeof(cmd->pdu));
	return (struct qrpc_pdu *)cmd->pdu;
}

void qrpc_waiter_init(struct qrpc_waiter *w, spinlock_t *lock,
		      void (*cancel)(struct qrpc_waiter *w,
				     struct list_head *to_post),
		      void (*release)(struct qrpc_waiter *w))
{
	w->state = QRPC_WAITER_IDLE;
	w->lock = lock;
	w->cancel = cancel;
	w->release = release;
	w->cmd = NULL;
	w->inst = NULL;
	w->watched = false;
	INIT_LIST_HEAD(&w->watch_node);
	INIT_LIST_HEAD(&w->post_node);
	init_waitqueue_head(&w->wq);
	w->res = 0;
}

/*
 * Whether @w may be parked: its previous completion, if any, has been
 * delivered.  Under w->lock.
 */
bool qrpc_waiter_idle(struct qrpc_waiter *w)
{
	lockdep_assert_held(w->lock);
	/* Pairs with the release stores that end a delivery. */
	return smp_load_acquire(&w->state) == QRPC_WAITER_IDLE;
}

/*
 * Get idle @w ready to park, before it is published under its lock: a
 * uring_cmd is made cancelable (which may sleep) or put under the exit
 * monitor's watch.  @cmd is NULL for an ioctl waiter.  The caller holds
 * the reference the parked command keeps on the owner.
 */
void qrpc_waiter_prepare(struct qrpc_waiter *w, struct qrpc_instance *inst,
			 struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	w->cmd = cmd;
	w->inst = inst;
	w->res = 0;
	if (!cmd)
		return;
	qrpc_cmd_pdu(cmd)->waiter = w;
#ifdef QRPC_HAVE_URING_CMD_CANCELABLE
	io_uring_cmd_mark_cancelable(cmd, issue_flags);
#else
	spin_lock(&inst->watch_lock);
	list_add_tail(&w->watch_node, &inst->watched);
	w->watched = true;
	inst->monitor_period = QRPC_MONITOR_PERIOD;
	spin_unlock(&inst->watch_lock);
	/*
	 * Not mod_delayed_work(): pushing the check back on every park
	 * would cost a timer update per call and, under steady traffic,
	 * put the check off for ever.
	 */
	queue_delayed_work(system_wq, &inst->monitor, QRPC_MONITOR_PERIOD);
#endif
}

/* Take a prepared waiter out of the monitor's sight (6.1). */
static void qrpc_waiter_unprepare(struct qrpc_waiter *w)
{
	if (!w->cmd || QRPC_URING_CAN_CANCEL)
		return;
	spin_lock(&w->inst->watch_lock);
	if (w->watched) {
		list_del_init(&w->watch_node);
		w->watched = false;
	}
	spin_unlock(&w->inst->watch_lock);
}

/* Publish prepared @w: from now on anyone may finish it.  Under w->lock. */
void qrpc_waiter_park(struct qrpc_waiter *w)
{
	lockdep_assert_held(w->lock);
	w->state = QRPC_WAITER_PARKED;
}

/* Whether @w is parked and not finished yet.  Under w->lock. */
bool qrpc_waiter_parked(struct qrpc_waiter *w)
{
	lockdep_assert_held(w->lock);
	return w->state == QRPC_WAITER_PARKED;
}

/*
 * Decide that parked @w completes with @res.  Called under w->lock; the
 * completion itself happens in qrpc_waiters_post() once the lock is
 * dropped.  A waiter that is not parked is left alone.
 */
void qrpc_waiter_finish(struct qrpc_waiter *w, int res,
			struct list_head *to_post)
{
	lockdep_assert_held(w->lock);
	if (w->state != QRPC_WAITER_PARKED)
		return;
	w->state = QRPC_WAITER_DONE;
	w->res = res;
	list_add_tail(&w->post_node, to_post);
}

#ifdef QRPC_HAVE_URING_CMD_CANCELABLE
/*
 * Task work in the command's own task: complete it there, with that
 * context's flags, then drop what the parked command held.  Until
 * io_uring_cmd_done() has taken it off the cancelable list, a
 * ->uring_cmd(IO_URING_F_CANCEL) may still look at the waiter, which is
 * why the reference goes only now.
 */
static void qrpc_uring_complete_tw(struct io_uring_cmd *cmd,
				   unsigned int issue_flags)
{
	struct qrpc_pdu *pdu = qrpc_cmd_pdu(cmd);
	struct qrpc_waiter *w = pdu->waiter;

	io_uring_cmd_done(cmd, pdu->res, 0, issue_flags);
	w->release(w);
}
#endif

/*
 * Complete parked uring_cmd @cmd of @w with @res from outside its issue.
 *
 * On kernels with cancelable uring_cmds, io_uring_cmd_done() from another
 * context takes the target ring's lock, while the caller usually holds
 * its own (it is submitting): two processes completing each other's
 * commands would deadlock.  There the completion goes through the
 * issuer's task work, as ublk's does.  Older kernels (6.1) post the
 * completion directly under a spinlock: the fastest path, with no task
 * switch before the peer can see it.
 */
#ifndef QRPC_HAVE_URING_CMD_CANCELABLE
/*
 * 6.1's io_uring caches the task reference of a request completed in its
 * own task's context, and drops the cache once, when the task starts to
 * exit.  A completion made by an exiting task for a command it issued (a
 * task that both serves and calls a port, whose server is closed with its
 * files, failing the call it parked) would be cached after that and never
 * dropped: a leaked task_struct.  Such completions are made from qrpc's
 * workqueue instead, where the reference is put at once.
 */
static LLIST_HEAD(qrpc_deferred);

static void qrpc_deferred_work_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&qrpc_deferred);
	struct qrpc_pdu *pdu, *tmp;

	llist_for_each_entry_safe(pdu, tmp, list, deferred) {
		struct io_uring_cmd *cmd =
			container_of((void *)pdu, struct io_uring_cmd, pdu);
		struct qrpc_waiter *w = pdu->waiter;

		io_uring_cmd_done(cmd, pdu->res, 0, IO_URING_F_UNLOCKED);
		w->release(w);
	}
}

static DECLARE_WORK(qrpc_deferred_work, qrpc_deferred_work_fn);
#endif

static void qrpc_uring_complete(struct qrpc_waiter *w,
				struct io_uring_cmd *cmd, int res)
{
#ifdef QRPC_HAVE_URING_CMD_CANCELABLE
	qrpc_cmd_pdu(cmd)->res = res;
	io_uring_cmd_complete_in_task(cmd, qrpc_uring_complete_tw);
#else
	if (unlikely(current->flags & PF_EXITING)) {
		struct qrpc_pdu *pdu = qrpc_cmd_pdu(cmd);

		pdu->waiter = w;
		pdu->res = res;
		if (llist_add(&pdu->deferred, &qrpc_deferred))
			queue_work(qrpc_wq, &qrpc_deferred_work);
		return;
	}
	io_uring_cmd_done(cmd, res, 0, IO_URING_F_UNLOCKED);
	w->release(w);
#endif
}

/*
 * Deliver the completion of every waiter on @to_post.  Called without any
 * qrpc lock.  What a delivery needs is read before the waiter is let go
 * (IDLE or POSTED); after that only the reference the parked command
 * holds keeps its memory, and only ->release and ->wq are used.
 */
void qrpc_waiters_post(struct list_head *to_post)
{
	struct qrpc_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, to_post, post_node) {
		struct io_uring_cmd *cmd = w->cmd;
		int res = w->res;

		list_del_init(&w->post_node);
		if (!cmd) {
			/* The sleeper reads res after this, with acquire. */
			smp_store_release(&w->state, QRPC_WAITER_POSTED);
			wake_up(&w->wq);
			w->release(w);
			continue;
		}
		qrpc_waiter_unprepare(w);
		w->cmd = NULL;
		/* Done with its fields: a re-arm (acquire) may reuse them. */
		smp_store_release(&w->state, QRPC_WAITER_IDLE);
		qrpc_uring_complete(w, cmd, res);
	}
}

/*
 * Prepared @w ends during its own issue with @res: it was never published
 * (IDLE), or it was finished under the lock before its issuer let go of it
 * (DONE), and the caller has taken it off the to-post list.  Completes the
 * uring_cmd here (-EIOCBQUEUED is then the issue's result), or returns
 * @res for an ioctl, and drops the parked command's reference.
 */
long qrpc_waiter_complete_here(struct qrpc_waiter *w, struct io_uring_cmd *cmd,
			       unsigned int issue_flags, long res)
{
	qrpc_waiter_unprepare(w);
	w->cmd = NULL;
	/* Done with its fields: a re-arm (acquire) may reuse them. */
	smp_store_release(&w->state, QRPC_WAITER_IDLE);
	if (cmd) {
		/* It was made cancelable: io_uring must see it completed. */
		io_uring_cmd_done(cmd, res, 0, issue_flags);
		res = -EIOCBQUEUED;
	}
	w->release(w);
	return res;
}

static bool qrpc_waiter_posted(struct qrpc_waiter *w)
{
	/* Pairs with the poster's release: res is read after. */
	return smp_load_acquire(&w->state) == QRPC_WAITER_POSTED;
}

/*
 * The ioctl twin of a parked uring_cmd: sleep until @w's completion is
 * delivered, and return its result.  A signal (only a fatal one if
 * @killable) cancels the wait through w->cancel, as an exiting task's
 * parked command would be, and the result is then @intr_res; a completion
 * that won the race still counts.  The caller holds a reference of its own
 * on the owner.
 */
long qrpc_waiter_wait(struct qrpc_waiter *w, bool killable, int intr_res)
{
	LIST_HEAD(to_post);
	long res;
	int err;

	if (killable)
		err = wait_event_killable(w->wq, qrpc_waiter_posted(w));
	else
		err = wait_event_interruptible(w->wq, qrpc_waiter_posted(w));
	if (err) {
		spin_lock(w->lock);
		if (w->state == QRPC_WAITER_PARKED) {
			w->cancel(w, &to_post);
			w->state = QRPC_WAITER_IDLE;
			spin_unlock(w->lock);
			qrpc_waiters_post(&to_post);
			w->release(w);
			return intr_res;
		}
		spin_unlock(w->lock);
		/* Finished meanwhile: its poster is on its way, and quick. */
		wait_event(w->wq, qrpc_waiter_posted(w));
	}
	res = w->res;
	/* Done with res: a re-arm (acquire) may reuse it. */
	smp_store_release(&w->state, QRPC_WAITER_IDLE);
	return res;
}

/* ->uring_cmd(IO_URING_F_CANCEL): the ring or its task is going away. */
void qrpc_uring_cancel(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct qrpc_waiter *w = qrpc_cmd_pdu(cmd)->waiter;
	LIST_HEAD(admitted);
	LIST_HEAD(to_post);

	spin_lock(w->lock);
	/*
	 * @w may already be parked again for another command, while this
	 * one's completion is on its way in task work: leave both alone.
	 */
	if (w->state == QRPC_WAITER_PARKED && w->cmd == cmd) {
		w->cancel(w, &admitted);
		qrpc_waiter_finish(w, -ECANCELED, &to_post);
	}
	spin_unlock(w->lock);
	qrpc_waiters_post(&admitted);
	if (list_empty(&to_post))
		return;		/* already finished; its poster completes it */
	list_del_init(&w->post_node);
	qrpc_waiter_complete_here(w, cmd, issue_flags, -ECANCELED);
}

/*
 * The exit monitor (kernels without cancelable uring_cmds): complete the
 * parked commands whose ring is being torn down or whose owning task is
 * in execve(), so that the ring's release or the exec, which wait for
 * every request in flight, can finish.  It looks often just after a park and
 * less and less often while nothing changes, so that an idle server's
 * parked FETCHes cost a wake-up a second, not twenty.
 */
#ifndef QRPC_HAVE_URING_CMD_CANCELABLE
static void qrpc_monitor_work(struct work_struct *work)
{
	struct qrpc_instance *inst =
		container_of(to_delayed_work(work), struct qrpc_instance, monitor);
	struct qrpc_waiter *w, *tmp;
	LIST_HEAD(to_post);
	bool more;

	spin_lock(&inst->watch_lock);
	list_for_each_entry_safe(w, tmp, &inst->watched, watch_node) {
		/* Watched, so not completed: its request is alive. */
		if (!qrpc_uring_cmd_orphaned(w->cmd))
			continue;
		spin_lock(w->lock);
		if (w->state == QRPC_WAITER_PARKED) {
			w->cancel(w, &to_post);
			qrpc_waiter_finish(w, -ECANCELED, &to_post);
		}
		spin_unlock(w->lock);
	}
	more = !list_empty(&inst->watched);
	if (!list_empty(&to_post))
		inst->monitor_period = QRPC_MONITOR_PERIOD;
	else
		inst->monitor_period = min(inst->monitor_period * 2,
					   QRPC_MONITOR_PERIOD_MAX);
	spin_unlock(&inst->watch_lock);

	qrpc_waiters_post(&to_post);
	if (more)
		mod_delayed_work(system_wq, &inst->monitor,
				 READ_ONCE(inst->monitor_period));
}
#else
static void qrpc_monitor_work(struct work_struct *work)
{
}
#endif

void qrpc_monitor_init(struct qrpc_instance *inst)
{
	spin_lock_init(&inst->watch_lock);
	INIT_LIST_HEAD(&inst->watched);
	inst->monitor_period = QRPC_MONITOR_PERIOD;
	INIT_DELAYED_WORK(&inst->monitor, qrpc_monitor_work);
}

/* The file is being released: nothing can be parked on it any more. */
void qrpc_monitor_exit(struct qrpc_instance *inst)
{
	cancel_delayed_work_sync(&inst->monitor);
	WARN_ON_ONCE(!list_empty(&inst->watched));
}
