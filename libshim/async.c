// SPDX-License-Identifier: MIT
/*
 * [async] calls: start a call, then ask for its status, complete it or
 * cancel it, as RpcAsyncGetCallStatus, RpcAsyncCompleteCall and
 * RpcAsyncCancelCall do.
 *
 * A binding's [async] calls share one channel.  Threads that start calls
 * submit to its ring under the binding's async lock; one runtime thread,
 * the ring's only consumer, takes the completions, settles each handle's
 * state and notifies (eventfd or callback).  A handle's state moves once,
 * from PENDING, by compare-and-swap, so a reply and an abortive cancel
 * racing each other settle it exactly once.  A slot goes back to use only
 * when both the module has released it and the application has completed
 * the handle, and the runtime has seen the CALL's completion: a reply is
 * never overwritten before it is read, nor a late completion taken for a
 * new call's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"
#include "qrpc.h"

struct qrpc_async {
	struct qrpc_async_rt	*rt;
	unsigned int		slot;
	int			state;		/* enum qrpc_async_state */
	int			res;		/* the CALL's result */
	uint32_t		fault;
	size_t			reply_cap;
	struct qrpc_async_notify notify;
	int			refs;		/* application + runtime */
};

struct qrpc_async_rt {
	struct qrpc_channel	*ch;
	pthread_mutex_t		lock;		/* submission, slots, handles */
	pthread_t		thread;
	int			stop;
	int			ioctl_threads;	/* calls waiting in ioctl() */
	struct qrpc_async	*calls[CHANNEL_SLOTS];
	/*
	 * A slot is free again once the module has released it, the runtime
	 * has seen its CALL's completion (which may come after an abortive
	 * cancel has settled the handle) and the application has completed
	 * the handle.
	 */
	unsigned char		released[CHANNEL_SLOTS];
	unsigned char		seen[CHANNEL_SLOTS];
	unsigned char		ended[CHANNEL_SLOTS];
};

static void async_put(struct qrpc_async *a)
{
	if (__atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(a);
}

/* Give @slot back if both its halves are done.  Under rt->lock. */
static void slot_settle(struct qrpc_async_rt *rt, unsigned int slot)
{
	struct qrpc_channel *ch = rt->ch;

	if (!rt->released[slot] || !rt->seen[slot] || !rt->ended[slot])
		return;
	rt->released[slot] = 0;
	rt->seen[slot] = 0;
	rt->ended[slot] = 0;
	rt->calls[slot] = NULL;
	qrpc_channel_slot_put(ch, slot);
}

static void reap_releases(struct qrpc_async_rt *rt)
{
	struct qrpc_channel *ch = rt->ch;
	unsigned int tail = __atomic_load_n(&ch->ring->tail, __ATOMIC_ACQUIRE);

	while (ch->release_head != tail) {
		uint32_t slot = QRPC_RELEASE_SLOT(
			ch->ring->entries[ch->release_head & (CHANNEL_SLOTS - 1)]);

		ch->release_head++;
		if (slot < CHANNEL_SLOTS) {
			rt->released[slot] = 1;
			slot_settle(rt, slot);
		}
	}
}

static void notify(struct qrpc_async *a)
{
	uint64_t one = 1;
	ssize_t n;

	switch (a->notify.type) {
	case QRPC_NOTIFY_EVENTFD:
		/*
		 * A failed write means the counter is saturated: a
		 * notification is pending anyway, so there is nothing to do.
		 */
		n = write(a->notify.eventfd, &one, sizeof(one));
		(void)n;
		break;
	case QRPC_NOTIFY_CALLBACK:
		a->notify.callback(a, a->notify.arg);
		break;
	default:
		break;
	}
}

/* A CALL completed with @res: settle its handle, once. */
static void async_settle(struct qrpc_async_rt *rt, unsigned int slot, int res)
{
	struct qrpc_async *a;
	int expected = QRPC_ASYNC_PENDING, state;

	pthread_mutex_lock(&rt->lock);
	a = rt->calls[slot];
	rt->seen[slot] = 1;
	/* Never queued: no release will come for the slot. */
	if (!qrpc_released_later(QRPC_KIND_CALL, res))
		rt->released[slot] = 1;
	pthread_mutex_unlock(&rt->lock);

	if (a) {
		if (res == -EREMOTEIO)
			a->fault = rt->ch->results[slot].fault;
		a->res = res;
		if (res == -ECANCELED)
			state = QRPC_ASYNC_CANCELLED;
		else if (res < 0)
			state = QRPC_ASYNC_FAILED;
		else
			state = QRPC_ASYNC_DONE;
		/* The release publishes res and fault with the state. */
		if (__atomic_compare_exchange_n(&a->state, &expected, state,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			notify(a);
		async_put(a);		/* the runtime's reference */
	}

	pthread_mutex_lock(&rt->lock);
	reap_releases(rt);
	slot_settle(rt, slot);
	pthread_mutex_unlock(&rt->lock);
}

static void *async_runtime(void *arg)
{
	struct qrpc_async_rt *rt = arg;
	struct __kernel_timespec tick = { .tv_nsec = 100 * 1000000L };

	while (!__atomic_load_n(&rt->stop, __ATOMIC_ACQUIRE)) {
		struct io_uring_cqe *cqe;
		unsigned int head, n = 0;

		/* The tick only bounds how long a stop request waits. */
		if (io_uring_wait_cqe_timeout(&rt->ch->uring, &cqe, &tick))
			continue;
		io_uring_for_each_cqe(&rt->ch->uring, head, cqe) {
			if (cqe->user_data < CHANNEL_SLOTS)
				async_settle(rt, cqe->user_data, cqe->res);
			n++;
		}
		io_uring_cq_advance(&rt->ch->uring, n);
	}
	return NULL;
}

struct ioctl_call {
	struct qrpc_async_rt	*rt;
	unsigned int		slot;
};

/*
 * Without io_uring, each [async] call waits in a blocking CALL ioctl on a
 * thread of its own, which then settles the handle as the runtime would.
 */
static void *ioctl_call_main(void *arg)
{
	struct ioctl_call *c = arg;
	struct qrpc_async_rt *rt = c->rt;

	async_settle(rt, c->slot, qrpc_channel_call_ioctl(rt->ch, c->slot));
	free(c);
	__atomic_sub_fetch(&rt->ioctl_threads, 1, __ATOMIC_ACQ_REL);
	return NULL;
}

static int ioctl_call_start(struct qrpc_async_rt *rt, unsigned int slot)
{
	struct ioctl_call *c = malloc(sizeof(*c));
	pthread_attr_t attr;
	pthread_t th;
	int ret;

	if (!c)
		return -ENOMEM;
	c->rt = rt;
	c->slot = slot;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = -qrpc_thread_create(&th, &attr, ioctl_call_main, c);
	pthread_attr_destroy(&attr);
	if (ret) {
		free(c);
		return ret;
	}
	__atomic_add_fetch(&rt->ioctl_threads, 1, __ATOMIC_ACQ_REL);
	return 0;
}

static int async_runtime_get(struct qrpc_binding *b, struct qrpc_async_rt **out)
{
	struct qrpc_async_rt *rt;
	int ret = 0;

	pthread_mutex_lock(&b->lock);
	rt = b->async;
	if (rt)
		goto out;
	rt = calloc(1, sizeof(*rt));
	if (!rt) {
		ret = -ENOMEM;
		goto out;
	}
	ret = qrpc_channel_create(b, &rt->ch);
	if (ret) {
		free(rt);
		goto out;
	}
	pthread_mutex_init(&rt->lock, NULL);
	/* Without io_uring there is no ring to watch: no runtime thread. */
	ret = rt->ch->no_uring ? 0 :
	      -qrpc_thread_create(&rt->thread, NULL, async_runtime, rt);
	if (ret) {
		qrpc_channel_destroy(rt->ch);
		free(rt);
		goto out;
	}
	b->async = rt;
out:
	if (!ret)
		*out = rt;
	pthread_mutex_unlock(&b->lock);
	return ret;
}

/* End the calls still waiting in ioctl() and wait for their threads. */
static void shutdown_ioctl_calls(struct qrpc_async_rt *rt)
{
	struct qrpc_handle_arg h = { .handle = rt->ch->conn };
	int i;

	if (!__atomic_load_n(&rt->ioctl_threads, __ATOMIC_ACQUIRE))
		return;
	/* Closing the connection fails its waiting calls (-ECANCELED). */
	ioctl(rt->ch->fd, QRPC_IOC_CLOSE, &h);
	for (i = 0; i < 10000 &&
	     __atomic_load_n(&rt->ioctl_threads, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
}

void qrpc_async_shutdown(struct qrpc_binding *b)
{
	struct qrpc_async_rt *rt = b->async;
	unsigned int i;

	if (!rt)
		return;
	__atomic_store_n(&rt->stop, 1, __ATOMIC_RELEASE);
	if (!rt->ch->no_uring)
		pthread_join(rt->thread, NULL);
	/*
	 * Calls still blocked in the module end when their connection
	 * closes: close it first, then wait for their threads.
	 */
	shutdown_ioctl_calls(rt);
	/* Handles the application never completed go with the binding. */
	for (i = 0; i < CHANNEL_SLOTS; i++)
		if (rt->calls[i] && !rt->ended[i])
			async_put(rt->calls[i]);
	qrpc_channel_destroy(rt->ch);
	pthread_mutex_destroy(&rt->lock);
	free(rt);
	b->async = NULL;
}

int qrpc_async_call(struct qrpc_binding *b, const struct qrpc_if_id *iface,
		    uint32_t opnum, const void *req, size_t req_len,
		    size_t reply_cap, const struct qrpc_async_notify *how,
		    struct qrpc_async **out)
{
	struct qrpc_async_rt *rt;
	struct qrpc_channel *ch;
	struct qrpc_async *a;
	int slot, ret;

	if (!b || !iface || !out || (req_len && !req))
		return -EINVAL;
	if (how && (how->type > QRPC_NOTIFY_CALLBACK ||
		    (how->type == QRPC_NOTIFY_EVENTFD && how->eventfd < 0) ||
		    (how->type == QRPC_NOTIFY_CALLBACK && !how->callback)))
		return -EINVAL;
	ret = async_runtime_get(b, &rt);
	if (ret)
		return ret;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->rt = rt;
	a->state = QRPC_ASYNC_PENDING;
	a->reply_cap = reply_cap;
	a->refs = 2;
	if (how)
		a->notify = *how;
	ch = rt->ch;

	pthread_mutex_lock(&rt->lock);
	if (!ch->nfree)
		reap_releases(rt);
	ret = ch->nfree ? 0 : -EBUSY;
	if (!ret) {
		slot = (int)ch->free[--ch->nfree];
		ret = qrpc_channel_fill(ch, slot, QRPC_KIND_CALL, iface, opnum,
					req, req_len, reply_cap);
		if (ret) {
			ch->free[ch->nfree++] = slot;	/* fill held nothing */
		} else {
			a->slot = slot;
			rt->calls[slot] = a;
			ret = ch->no_uring ? ioctl_call_start(rt, slot) :
			      qrpc_channel_submit_call(ch, slot, slot);
			if (ret) {
				rt->calls[slot] = NULL;
				qrpc_channel_slot_put(ch, slot);
			}
		}
	}
	pthread_mutex_unlock(&rt->lock);
	if (ret) {
		free(a);
		return ret;
	}
	*out = a;
	return 0;
}

int qrpc_async_status(const struct qrpc_async *a)
{
	return __atomic_load_n(&a->state, __ATOMIC_ACQUIRE);
}

int qrpc_async_complete(struct qrpc_async *a, void *reply, size_t reply_cap,
			size_t *reply_len)
{
	struct qrpc_async_rt *rt = a->rt;
	int state = qrpc_async_status(a), ret;

	if (state == QRPC_ASYNC_PENDING)
		return -EINPROGRESS;
	if (state == QRPC_ASYNC_CANCELLED) {
		ret = -ECANCELED;
	} else if (state == QRPC_ASYNC_FAILED) {
		ret = a->res == -EREMOTEIO ? (int)a->fault : a->res;
	} else if ((size_t)a->res > reply_cap || (a->res && !reply)) {
		ret = -EMSGSIZE;
	} else {
		memcpy(reply, rt->ch->reply + rt->ch->slots[a->slot].rep_off,
		       a->res);
		if (reply_len)
			*reply_len = a->res;
		ret = 0;
	}
	pthread_mutex_lock(&rt->lock);
	rt->ended[a->slot] = 1;
	reap_releases(rt);
	slot_settle(rt, a->slot);
	pthread_mutex_unlock(&rt->lock);
	async_put(a);		/* the application's reference */
	return ret;
}

int qrpc_async_cancel(struct qrpc_async *a, int abortive)
{
	struct qrpc_channel *ch = a->rt->ch;
	struct qrpc_io io = {
		.handle = ch->conn,
		.index = a->slot,
		.arg = abortive ? QRPC_CANCEL_F_ABORTIVE : 0,
	};
	int expected = QRPC_ASYNC_PENDING;

	if (qrpc_async_status(a) != QRPC_ASYNC_PENDING)
		return -EALREADY;
	/*
	 * Without io_uring the call is made by a thread of its own, which
	 * may not have reached the module yet: the module does not know it
	 * (ENOENT) although it is pending.  An abortive cancel settles it
	 * here all the same; a cooperative one tries again until the call
	 * is there to be told (or is over), for a second at most.
	 */
	for (int tries = 0;; tries++) {
		if (ioctl(ch->fd, QRPC_IOC_CANCEL, &io) == 0)
			break;
		if (errno != ENOENT)
			return -errno;
		if (qrpc_async_status(a) != QRPC_ASYNC_PENDING)
			return -EALREADY;
		if (abortive)
			break;
		if (tries == 1000)
			return -EAGAIN;
		usleep(1000);
	}
	/*
	 * An abortive cancel has completed the call in the module; settle the
	 * handle now rather than when the runtime sees the completion, unless
	 * a reply got there first.
	 */
	if (abortive) {
		/* The state alone says cancelled: res stays the runtime's. */
		if (__atomic_compare_exchange_n(&a->state, &expected,
						QRPC_ASYNC_CANCELLED, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			notify(a);
	}
	return 0;
}
