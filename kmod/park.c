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
 * A process may exit with commands parked.  Where io_uring can cancel
 * them (6.7 and later) they are marked cancelable and completed from
 * ->uring_cmd(IO_URING_F_CANCEL).  Elsewhere (Debian's 6.1) a monitor polls
 * the issuing tasks and completes the commands of those that are exiting;
 * without it the exit would wait for them forever.
 */
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "engine.h"
#include "qrpc.h"

/* How often the exit monitor looks at the issuers of parked commands. */
#define QRPC_MONITOR_PERIOD	(HZ / 20)

/* The part of a uring_cmd's pdu qrpc uses. */
struct qrpc_pdu {
	struct qrpc_waiter	*waiter;
	int			res;	/* for a completion in task work */
};

static struct qrpc_pdu *qrpc_cmd_pdu(struct io_uring_cmd *cmd)
{
	BUILD_BUG_ON(sizeof(struct qrpc_pdu) > sizeof(cmd->pdu));
	return (struct qrpc_pdu *)cmd->pdu;
}

void qrpc_waiter_init(struct qrpc_waiter *w, spinlock_t *lock,
		      void (*cancel)(struct qrpc_waiter *w),
		      void (*release)(struct qrpc_waiter *w))
{
	w->state = QRPC_WAITER_IDLE;
	w->lock = lock;
	w->cancel = cancel;
	w->release = release;
	w->cmd = NULL;
	w->task = NULL;
	w->inst = NULL;
	w->watched = false;
	INIT_LIST_HEAD(&w->watch_node);
	INIT_LIST_HEAD(&w->post_node);
	init_waitqueue_head(&w->wq);
	w->res = 0;
}

/*
 * Get @w ready to park, before it is published under its lock: a
 * uring_cmd is made cancelable (which may sleep) or put under the exit
 * monitor's watch.  @cmd is NULL for an ioctl waiter.
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
	w->task = get_task_struct(current);
	spin_lock(&inst->watch_lock);
	list_add_tail(&w->watch_node, &inst->watched);
	w->watched = true;
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
void qrpc_waiter_unprepare(struct qrpc_waiter *w)
{
	if (!w->task)
		return;
	spin_lock(&w->inst->watch_lock);
	if (w->watched) {
		list_del_init(&w->watch_node);
		w->watched = false;
	}
	spin_unlock(&w->inst->watch_lock);
	put_task_struct(w->task);
	w->task = NULL;
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
static void qrpc_uring_complete(struct qrpc_waiter *w,
				struct io_uring_cmd *cmd, int res)
{
#ifdef QRPC_HAVE_URING_CMD_CANCELABLE
	qrpc_cmd_pdu(cmd)->res = res;
	io_uring_cmd_complete_in_task(cmd, qrpc_uring_complete_tw);
#else
	io_uring_cmd_done(cmd, res, 0, IO_URING_F_UNLOCKED);
	w->release(w);
#endif
}

/* Complete every waiter on @to_post.  Called without any qrpc lock. */
void qrpc_waiters_post(struct list_head *to_post)
{
	struct qrpc_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, to_post, post_node) {
		struct io_uring_cmd *cmd = w->cmd;
		int res = w->res;

		list_del_init(&w->post_node);
		if (!cmd) {
			wake_up(&w->wq);
			continue;
		}
		qrpc_waiter_unprepare(w);
		/*
		 * The waiter may be parked again (a tag re-armed) before the
		 * completion is delivered: nothing of it but ->release is
		 * used from here on.
		 */
		w->cmd = NULL;
		qrpc_uring_complete(w, cmd, res);
	}
}

/*
 * The ioctl twin of a parked uring_cmd: sleep until @w is finished.  A
 * signal cancels the wait through w->cancel, as an exiting task's parked
 * command would be.  Returns the result.
 */
long qrpc_waiter_wait(struct qrpc_waiter *w)
{
	if (!wait_event_interruptible(w->wq,
				      READ_ONCE(w->state) == QRPC_WAITER_DONE))
		return w->res;

	spin_lock(w->lock);
	if (w->state == QRPC_WAITER_PARKED) {
		w->state = QRPC_WAITER_DONE;
		w->res = -EINTR;
		w->cancel(w);
	}
	spin_unlock(w->lock);
	/* A completion that won the race still counts. */
	return w->res;
}

static void qrpc_waiter_cancel_locked(struct qrpc_waiter *w,
				      struct list_head *to_post)
{
	spin_lock(w->lock);
	if (w->state == QRPC_WAITER_PARKED) {
		w->cancel(w);
		qrpc_waiter_finish(w, -ECANCELED, to_post);
	}
	spin_unlock(w->lock);
}

/* ->uring_cmd(IO_URING_F_CANCEL): the ring or its task is going away. */
void qrpc_uring_cancel(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct qrpc_waiter *w = qrpc_cmd_pdu(cmd)->waiter;
	LIST_HEAD(to_post);

	qrpc_waiter_cancel_locked(w, &to_post);
	if (list_empty(&to_post))
		return;		/* already finished; its poster completes it */
	list_del_init(&w->post_node);
	w->cmd = NULL;
	io_uring_cmd_done(cmd, -ECANCELED, 0, issue_flags);
	w->release(w);
}

/*
 * The exit monitor (kernels without cancelable uring_cmds): complete the
 * parked commands of tasks that are exiting, so that their exit, which
 * waits for every request in flight, can finish.
 */
static void qrpc_monitor_work(struct work_struct *work)
{
	struct qrpc_instance *inst =
		container_of(to_delayed_work(work), struct qrpc_instance, monitor);
	struct qrpc_waiter *w, *tmp;
	LIST_HEAD(to_post);
	bool more;

	spin_lock(&inst->watch_lock);
	list_for_each_entry_safe(w, tmp, &inst->watched, watch_node) {
		if (!(w->task->flags & PF_EXITING))
			continue;
		qrpc_waiter_cancel_locked(w, &to_post);
	}
	more = !list_empty(&inst->watched);
	spin_unlock(&inst->watch_lock);

	qrpc_waiters_post(&to_post);
	if (more)
		mod_delayed_work(system_wq, &inst->monitor, QRPC_MONITOR_PERIOD);
}

void qrpc_monitor_init(struct qrpc_instance *inst)
{
	spin_lock_init(&inst->watch_lock);
	INIT_LIST_HEAD(&inst->watched);
	INIT_DELAYED_WORK(&inst->monitor, qrpc_monitor_work);
}

/* The file is being released: nothing can be parked on it any more. */
void qrpc_monitor_exit(struct qrpc_instance *inst)
{
	cancel_delayed_work_sync(&inst->monitor);
	WARN_ON_ONCE(!list_empty(&inst->watched));
}
