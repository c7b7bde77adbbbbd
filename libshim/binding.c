// SPDX-License-Identifier: MIT
/*
 * Bindings, and the calls made through them.
 *
 * Each thread that calls through a binding gets its own channel: an open
 * of the device, a connection to the port with its arena mapped, and an
 * io_uring ring.  Channels are found through a per-thread list, so the
 * call path takes no lock and shares no cache line with other threads.
 */
#include <errno.h>
#include <sched.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "internal.h"
#include "qrpc.h"

/*
 * How long a thread polls its completion ring before it sleeps, in polls.
 * It adapts per channel, as adaptive mutexes do: a reply that came while
 * polling lets the next call poll a little longer; having to sleep halves
 * the budget, so a slow server soon costs no polling at all, while a fast
 * one is answered without a wake-up.
 */
#define SPIN_START		2000
#define SPIN_MAX		50000
#define SPIN_MIN		16

static __thread struct qrpc_channel *thread_channels;

int qrpc_binding_create(const char *string, struct qrpc_binding **out)
{
	struct qrpc_binding *b;
	const char *name;

	if (!string || strncmp(string, "qrpc:", 5) != 0)
		return -EINVAL;
	name = string + 5;
	if (qrpc_port_name_check(name))
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	memcpy(b->port, name, strlen(name) + 1);	/* validated: fits */
	pthread_mutex_init(&b->lock, NULL);
	b->options[QRPC_OPT_PRIORITY] = QRPC_PRIORITY_DEFAULT;
	b->options[QRPC_OPT_SQPOLL_CPU] = QRPC_CPU_ANY;
	b->options[QRPC_OPT_SPIN] = QRPC_SPIN_ADAPTIVE;
	*out = b;
	return 0;
}

int qrpc_uring_init(struct io_uring *ring, unsigned int entries,
		    struct io_uring_params *params)
{
	const char *off = getenv("QRPC_NO_URING");
	struct io_uring_params none;
	int ret;

	if (off && *off && strcmp(off, "0") != 0)
		return 1;
	if (!params) {
		memset(&none, 0, sizeof(none));
		params = &none;
	}
	ret = io_uring_queue_init_params(entries, ring, params);
	if (ret == -EPERM || ret == -ENOSYS || ret == -EACCES)
		return 1;
	return ret;
}

void qrpc_channel_destroy(struct qrpc_channel *ch)
{
	if (!ch->no_uring)
		io_uring_queue_exit(&ch->uring);
	if (ch->slots)
		munmap(ch->slots, ch->slots_size);
	if (ch->results)
		munmap(ch->results, ch->results_size);
	if (ch->reply)
		munmap(ch->reply, ch->reply_size);
	close(ch->fd);
	free(ch);
}

void qrpc_binding_free(struct qrpc_binding *b)
{
	struct qrpc_channel *ch, **pp;

	if (!b)
		return;
	/* Forget this thread's references; other threads' go stale. */
	for (pp = &thread_channels; *pp;) {
		if ((*pp)->binding == b)
			*pp = (*pp)->next_in_thread;
		else
			pp = &(*pp)->next_in_thread;
	}
	qrpc_async_shutdown(b);
	qrpc_journal_free(b->journal);
	while ((ch = b->channels)) {
		b->channels = ch->next_in_binding;
		qrpc_channel_destroy(ch);
	}
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static int option_check(enum qrpc_option option, uint64_t value)
{
	switch (option) {
	case QRPC_OPT_PRIORITY:
		return value <= QRPC_PRIORITY_MAX ? 0 : -EINVAL;
	case QRPC_OPT_DELIVERY:
		return value <= QRPC_DELIVERY_RECOVERABLE ? 0 : -EINVAL;
	case QRPC_OPT_TIME_TO_REACH_QUEUE:
		/* The module counts it in milliseconds in 32 bits. */
		return value <= UINT32_MAX / 1000 ? 0 : -EINVAL;
	case QRPC_OPT_TIME_TO_BE_RECEIVED:
	case QRPC_OPT_CALL_TIMEOUT:
		return value <= UINT32_MAX ? 0 : -EINVAL;
	case QRPC_OPT_ACKNOWLEDGE:
		return value <= 1 ? 0 : -EINVAL;
	case QRPC_OPT_JOURNAL:
		return value <= QRPC_JOURNAL_DEADLETTER ? 0 : -EINVAL;
	case QRPC_OPT_SQPOLL:
		return value <= UINT32_MAX ? 0 : -EINVAL;
	case QRPC_OPT_SQPOLL_CPU:
		return value < CPU_SETSIZE || value == QRPC_CPU_ANY ? 0 : -EINVAL;
	case QRPC_OPT_SPIN:
		return value <= QRPC_SPIN_MAX_US || value == QRPC_SPIN_ADAPTIVE ?
		       0 : -EINVAL;
	}
	return -EINVAL;
}

int qrpc_binding_set_option(struct qrpc_binding *b, enum qrpc_option option,
			    uint64_t value)
{
	int ret = option_check(option, value);

	if (ret)
		return ret;
	pthread_mutex_lock(&b->lock);
	b->options[option] = value;
	pthread_mutex_unlock(&b->lock);
	return 0;
}

int qrpc_binding_inq_option(const struct qrpc_binding *b,
			    enum qrpc_option option, uint64_t *value)
{
	if (option < QRPC_OPT_PRIORITY || option > QRPC_OPT_SPIN)
		return -EINVAL;
	*value = __atomic_load_n(&b->options[option], __ATOMIC_RELAXED);
	return 0;
}

static int channel_map(struct qrpc_channel *ch, const struct qrpc_connect *cn)
{
	void *p;

	p = mmap(NULL, cn->slots_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 ch->fd, (off_t)cn->slots_off);
	if (p == MAP_FAILED)
		return -errno;
	ch->slots = p;
	ch->slots_size = cn->slots_size;
	ch->req = (unsigned char *)p + cn->req_base;
	ch->req_size = cn->req_size;
	p = mmap(NULL, cn->results_size, PROT_READ, MAP_SHARED, ch->fd,
		 (off_t)cn->results_off);
	if (p == MAP_FAILED)
		return -errno;
	ch->results = p;
	ch->results_size = cn->results_size;
	ch->ring = (struct qrpc_release_ring *)(ch->results + CHANNEL_SLOTS);
	p = mmap(NULL, cn->reply_size, PROT_READ, MAP_SHARED, ch->fd,
		 (off_t)cn->reply_off);
	if (p == MAP_FAILED)
		return -errno;
	ch->reply = p;
	ch->reply_size = cn->reply_size;
	return 0;
}

/*
 * Connect to @b's port and map the arena: a channel no thread list knows
 * of yet.
 */
int qrpc_channel_create(struct qrpc_binding *b, struct qrpc_channel **out)
{
	struct qrpc_channel *ch = calloc(1, sizeof(*ch));
	struct io_uring_params params;
	struct qrpc_connect cn;
	int port, ret;
	unsigned int i;

	if (!ch)
		return -ENOMEM;
	memset(&params, 0, sizeof(params));
	if (b->options[QRPC_OPT_SQPOLL]) {
		params.flags |= IORING_SETUP_SQPOLL;
		params.sq_thread_idle = b->options[QRPC_OPT_SQPOLL];
		if (b->options[QRPC_OPT_SQPOLL_CPU] != QRPC_CPU_ANY) {
			params.flags |= IORING_SETUP_SQ_AFF;
			params.sq_thread_cpu = b->options[QRPC_OPT_SQPOLL_CPU];
		}
	}
	ret = qrpc_uring_init(&ch->uring, 2 * CHANNEL_SLOTS, &params);
	if (ret < 0) {
		free(ch);
		return ret;
	}
	ch->no_uring = ret;
	ch->fd = qrpc_open_device(NULL);
	if (ch->fd < 0) {
		ret = ch->fd;
		if (!ch->no_uring)
			io_uring_queue_exit(&ch->uring);
		free(ch);
		return ret;
	}
	port = qrpc_port_open_fd(ch->fd, b->port, QRPC_ACCESS_CALL);
	ret = port;
	if (port < 0)
		goto fail;
	memset(&cn, 0, sizeof(cn));
	cn.port = port;
	cn.nslots = CHANNEL_SLOTS;
	cn.req_size = CHANNEL_AREA;
	cn.rep_size = CHANNEL_AREA;
	ret = ioctl(ch->fd, QRPC_IOC_CONNECT, &cn) < 0 ? -errno : 0;
	if (ret)
		goto fail;
	ch->conn = cn.handle;
	ret = channel_map(ch, &cn);
	if (ret)
		goto fail;
	for (i = 0; i < CHANNEL_SLOTS; i++)
		ch->free[ch->nfree++] = CHANNEL_SLOTS - 1 - i;
	ch->binding = b;
	ch->spin = SPIN_START;
	for (i = 0; i < CHANNEL_SLOTS; i++)
		ch->jrec[i] = -1;
	*out = ch;
	return 0;
fail:
	qrpc_channel_destroy(ch);
	return ret;
}

static int channel_open(struct qrpc_binding *b, struct qrpc_channel **out)
{
	struct qrpc_channel *ch;
	int ret = qrpc_channel_create(b, &ch);

	if (ret)
		return ret;
	ch->owner = pthread_self();
	pthread_mutex_lock(&b->lock);
	ch->next_in_binding = b->channels;
	b->channels = ch;
	pthread_mutex_unlock(&b->lock);
	ch->next_in_thread = thread_channels;
	thread_channels = ch;
	*out = ch;
	return 0;
}

/* This thread's channel for @b, made on first use. */
int qrpc_channel_get(struct qrpc_binding *b, struct qrpc_channel **out)
{
	struct qrpc_channel *ch;

	for (ch = thread_channels; ch; ch = ch->next_in_thread) {
		if (ch->binding == b) {
			*out = ch;
			return 0;
		}
	}
	return channel_open(b, out);
}


/*
 * First fit of @n consecutive free pages in @map: the first page, or -1.
 * An area has 512 pages, so a scan is short.
 */
static int pages_get(struct qrpc_pages *map, unsigned int n)
{
	unsigned int first = 0, run = 0, i;

	for (i = 0; i < AREA_PAGES; i++) {
		if (map->used[i / 64] & (1ULL << (i % 64))) {
			run = 0;
			first = i + 1;
			continue;
		}
		if (++run == n) {
			for (i = first; i < first + n; i++)
				map->used[i / 64] |= 1ULL << (i % 64);
			return (int)first;
		}
	}
	return -1;
}

static void pages_put(struct qrpc_pages *map, unsigned int first,
		      unsigned int n)
{
	unsigned int i;

	for (i = first; i < first + n; i++)
		map->used[i / 64] &= ~(1ULL << (i % 64));
}

/* @slot is free again, and so are the pages its call held. */
void qrpc_channel_slot_put(struct qrpc_channel *ch, unsigned int slot)
{
	pages_put(&ch->req_map, ch->req_first[slot], ch->req_npages[slot]);
	pages_put(&ch->rep_map, ch->rep_first[slot], ch->rep_npages[slot]);
	ch->req_npages[slot] = 0;
	ch->rep_npages[slot] = 0;
	if (ch->nfree < CHANNEL_SLOTS)
		ch->free[ch->nfree++] = slot;
}

/* Take back the slots the module has released. */
static void channel_reap_releases(struct qrpc_channel *ch)
{
	unsigned int tail = __atomic_load_n(&ch->ring->tail, __ATOMIC_ACQUIRE);

	while (ch->release_head != tail) {
		uint32_t e = ch->ring->entries[ch->release_head &
					       (CHANNEL_SLOTS - 1)];

		ch->release_head++;
		if (QRPC_RELEASE_SLOT(e) >= CHANNEL_SLOTS)
			continue;
		/* A journalled message met its fate: no replay for it. */
		if (ch->jrec[QRPC_RELEASE_SLOT(e)] >= 0) {
			qrpc_journal_done(ch->binding->journal,
					  ch->jrec[QRPC_RELEASE_SLOT(e)]);
			ch->jrec[QRPC_RELEASE_SLOT(e)] = -1;
			ch->jpending--;
		}
		/* An in-place call's reply is still being read. */
		if (ch->hold[QRPC_RELEASE_SLOT(e)]) {
			ch->hold[QRPC_RELEASE_SLOT(e)] = QRPC_HOLD_RELEASED;
			continue;
		}
		qrpc_channel_slot_put(ch, QRPC_RELEASE_SLOT(e));
	}
}

void qrpc_channel_reap_mine(struct qrpc_binding *b)
{
	struct qrpc_channel *ch;

	if (!qrpc_channel_get(b, &ch))
		channel_reap_releases(ch);
}

int qrpc_channel_slot(struct qrpc_channel *ch)
{
	/*
	 * Always: besides a slot, the call needs area pages, which calls
	 * the module has released still hold until they are reaped.
	 */
	channel_reap_releases(ch);
	return ch->nfree ? (int)ch->free[--ch->nfree] : -EBUSY;
}

/*
 * Fill slot @slot for a call of @kind and copy the request in.  Each slot
 * owns an equal share of the request and reply areas.
 */
int qrpc_channel_fill(struct qrpc_channel *ch, unsigned int slot,
		      unsigned int kind, const struct qrpc_if_id *iface,
		      uint32_t opnum, const void *req, size_t req_len,
		      size_t reply_cap)
{
	struct qrpc_binding *b = ch->binding;
	unsigned int req_pages, rep_pages;
	int req_first = 0, rep_first = 0;
	struct qrpc_slot s;

	if (req_len > CHANNEL_AREA || reply_cap > CHANNEL_AREA)
		return -EMSGSIZE;
	if (kind != QRPC_KIND_CALL)
		reply_cap = 0;
	/*
	 * The request and the reply get pages of their own for as long as
	 * the call holds its slot: no copy, and no limit but the area's.
	 */
	req_pages = (req_len + AREA_PAGE - 1) / AREA_PAGE;
	rep_pages = (reply_cap + AREA_PAGE - 1) / AREA_PAGE;
	if (req_pages) {
		req_first = pages_get(&ch->req_map, req_pages);
		if (req_first < 0)
			return -EBUSY;	/* pages held by calls in flight */
	}
	if (rep_pages) {
		rep_first = pages_get(&ch->rep_map, rep_pages);
		if (rep_first < 0) {
			pages_put(&ch->req_map, req_first, req_pages);
			return -EBUSY;
		}
	}
	ch->req_first[slot] = req_first;
	ch->req_npages[slot] = req_pages;
	ch->rep_first[slot] = rep_first;
	ch->rep_npages[slot] = rep_pages;

	memset(&s, 0, sizeof(s));
	s.kind = kind;
	s.priority = __atomic_load_n(&b->options[QRPC_OPT_PRIORITY],
				     __ATOMIC_RELAXED);
	s.opnum = opnum;
	s.iface = *iface;
	s.req_off = req_first * AREA_PAGE;
	s.req_len = req_len;
	if (kind == QRPC_KIND_CALL) {
		s.rep_off = rep_first * AREA_PAGE;
		s.rep_cap = reply_cap;
		s.timeout_ms = b->options[QRPC_OPT_CALL_TIMEOUT];
	} else if (kind == QRPC_KIND_MESSAGE) {
		s.ttrq_ms = b->options[QRPC_OPT_TIME_TO_REACH_QUEUE] * 1000;
		s.ttbr_s = b->options[QRPC_OPT_TIME_TO_BE_RECEIVED];
		if (b->options[QRPC_OPT_JOURNAL] == QRPC_JOURNAL_DEADLETTER)
			s.flags = QRPC_SLOT_F_DEADLETTER;
	}
	if (req_len && req)	/* NULL: the caller writes it in place */
		memcpy(ch->req + s.req_off, req, req_len);
	ch->slots[slot] = s;
	return 0;
}

/*
 * Queue data-path command @op on @ring, its struct qrpc_io in the SQE's
 * command area; not yet submitted.  -EBUSY if the ring is full.
 */
int qrpc_prep_io(struct io_uring *ring, int fd, unsigned int op,
		 const struct qrpc_io *io, uint64_t user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, io, sizeof(*io));
	sqe->user_data = user_data;
	return 0;
}

/* Queue CALL on @slot in @ch's ring, not yet submitted. */
static int channel_prep_call(struct qrpc_channel *ch, unsigned int slot,
			     uint64_t user_data)
{
	struct qrpc_io io = { ch->conn, slot, 0, 0 };

	return qrpc_prep_io(&ch->uring, ch->fd, QRPC_IOC_CALL, &io, user_data);
}

/* Queue CALL on @slot in @ch's ring and submit it. */
int qrpc_channel_submit_call(struct qrpc_channel *ch, unsigned int slot,
			     uint64_t user_data)
{
	int ret = channel_prep_call(ch, slot, user_data);

	if (!ret)
		ret = io_uring_submit(&ch->uring);
	return ret < 0 ? ret : 0;
}

/*
 * CALL on @slot through ioctl(), which blocks as the uring_cmd would park.
 * A signal a handler catches does not end the wait (the module waits
 * killably); a fatal one ends the process anyway.
 */
int qrpc_channel_call_ioctl(struct qrpc_channel *ch, unsigned int slot)
{
	struct qrpc_io io = { ch->conn, slot, 0, 0 };
	int ret = ioctl(ch->fd, QRPC_IOC_CALL, &io);

	return ret < 0 ? -errno : ret;
}

uint64_t qrpc_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int qrpc_poll_for(uint64_t usec, int (*done)(void *arg), void *arg)
{
	uint64_t end = qrpc_now_us() + usec;
	unsigned int i;

	for (i = 1;; i++) {
		if (done(arg))
			return 0;
		/* The clock is read now and then: it costs more than a poll. */
		if (!(i % 64) && qrpc_now_us() >= end)
			return -ETIME;
		__builtin_ia32_pause();
	}
}

/*
 * Whether the plain call on @slot, submitted with user_data @tag, has
 * ended; if so its result goes to *@res.  Two signs, whichever comes
 * first: its CQE, or its result in the results area, which the module
 * writes (seq last, with release semantics) before it completes the
 * CALL.  On kernels that complete a CALL through the caller's task work
 * the second comes sooner; the CQE then arrives later, and is passed
 * over.
 */
static int channel_call_ended(struct qrpc_channel *ch, unsigned int slot,
			      uint64_t tag, uint32_t seq0, int *res)
{
	const struct qrpc_slot_result *r = &ch->results[slot];
	struct io_uring_cqe *cqe;

	while (!io_uring_peek_cqe(&ch->uring, &cqe)) {
		uint64_t ud = cqe->user_data;
		int cres = cqe->res;

		io_uring_cqe_seen(&ch->uring, cqe);
		if (ud == tag) {
			*res = cres;
			return 1;
		}
		/* Else a late one, of an earlier call that ended already. */
	}
	if (__atomic_load_n(&r->seq, __ATOMIC_ACQUIRE) == seq0)
		return 0;
	*res = r->status ? r->status : (int)r->rep_len;
	return 1;
}

/*
 * Poll for the end of the call as long as replies lately took to come,
 * and learn: a reply seen while polling makes the next poll longer, a
 * sleep shorter.
 */
static int channel_spin_adaptive(struct qrpc_channel *ch, unsigned int slot,
				 uint64_t tag, uint32_t seq0, int *res)
{
	unsigned int spins;

	for (spins = 0; spins < ch->spin; spins++) {
		if (channel_call_ended(ch, slot, tag, seq0, res)) {
			if (ch->spin < SPIN_MAX)
				ch->spin += ch->spin / 8 + 1;
			return 0;
		}
		__builtin_ia32_pause();
	}
	if (ch->spin > SPIN_MIN)
		ch->spin /= 2;
	return -ETIME;
}

/* A plain call being waited for, as channel_call_ended() looks at it. */
struct call_wait {
	struct qrpc_channel	*ch;
	unsigned int		slot;
	uint32_t		seq0;
	uint64_t		tag;
	int			res;
};

static int call_wait_ended(void *arg)
{
	struct call_wait *cw = arg;

	return channel_call_ended(cw->ch, cw->slot, cw->tag, cw->seq0,
				  &cw->res);
}

/*
 * Issue CALL on @slot and wait for its end: poll as the binding's
 * QRPC_OPT_SPIN says, then sleep.  The ring is this thread's alone; its
 * CQEs are this call's, or late ones of calls that ended already.
 */
int qrpc_channel_issue(struct qrpc_channel *ch, unsigned int slot)
{
	uint64_t spin = __atomic_load_n(&ch->binding->options[QRPC_OPT_SPIN],
					__ATOMIC_RELAXED);
	struct call_wait cw = { .ch = ch, .slot = slot };
	struct io_uring_cqe *cqe;
	uint32_t seq0;
	uint64_t tag;
	int ret, res;

	if (ch->no_uring)
		return qrpc_channel_call_ioctl(ch, slot);
	seq0 = __atomic_load_n(&ch->results[slot].seq, __ATOMIC_ACQUIRE);
	tag = UD_CALL | (uint64_t)++ch->gen << 8 | slot;
	ret = channel_prep_call(ch, slot, tag);
	if (ret)
		return ret;
	/* Not polling: submit and sleep in one system call. */
	ret = io_uring_submit_and_wait(&ch->uring, spin ? 0 : 1);
	/* A signal: the CALL is submitted all the same (see signals.c). */
	if (ret < 0 && ret != -EINTR)
		return ret;
	if (spin == QRPC_SPIN_ADAPTIVE)
		ret = channel_spin_adaptive(ch, slot, tag, seq0, &res);
	else if (spin) {
		cw.seq0 = seq0;
		cw.tag = tag;
		ret = qrpc_poll_for(spin, call_wait_ended, &cw);
		res = cw.res;
	} else
		ret = channel_call_ended(ch, slot, tag, seq0, &res) ? 0 : -ETIME;
	/* Asleep, only the CQE wakes us: late ones are passed over. */
	while (ret) {
		ret = qrpc_uring_wait_cqe(&ch->uring, &cqe);
		if (ret < 0)
			return ret;
		if (cqe->user_data == tag)
			res = cqe->res;
		else
			ret = -EAGAIN;
		io_uring_cqe_seen(&ch->uring, cqe);
	}
	return res;
}

/*
 * Whether the module will post @slot on the release ring after a CALL of
 * @kind that ended with @ret; if not, the slot is free at once.
 */
int qrpc_released_later(unsigned int kind, int ret)
{
	if (ret >= 0 || ret == -EREMOTEIO)
		return 1;		/* queued or answered */
	if (kind != QRPC_KIND_CALL)
		return 0;		/* a one-way call refused, never queued */
	/* A plain call that was queued, then ended another way. */
	return ret == -ECANCELED || ret == -ETIMEDOUT || ret == -EPIPE ||
	       ret == -EIDRM || ret == -EINTR;
}

static int make_call_rec(struct qrpc_binding *b, unsigned int kind,
			 const struct qrpc_if_id *iface, uint32_t opnum,
			 const void *req, size_t req_len, void *reply,
			 size_t reply_cap, size_t *reply_len, int rec,
			 const uint32_t *prio_ttbr)
{
	struct qrpc_channel *ch;
	int slot, ret;

	ret = qrpc_channel_get(b, &ch);
	if (ret)
		return ret;
	/* Note receipts of journalled messages as they come. */
	if (ch->jpending)
		channel_reap_releases(ch);
	slot = qrpc_channel_slot(ch);
	if (slot < 0)
		return slot;
	ret = qrpc_channel_fill(ch, slot, kind, iface, opnum, req, req_len,
				reply_cap);
	if (ret) {
		ch->free[ch->nfree++] = slot;	/* fill holds nothing on failure */
		return ret;
	}
	if (prio_ttbr) {
		/* A replayed message keeps what it was first sent with. */
		ch->slots[slot].priority = prio_ttbr[0];
		ch->slots[slot].ttbr_s = prio_ttbr[1];
	}
	ret = qrpc_channel_issue(ch, slot);
	if (!qrpc_released_later(kind, ret))
		qrpc_channel_slot_put(ch, slot);
	else if (rec >= 0) {
		ch->jrec[slot] = rec;
		ch->jpending++;
	}
	if (ret < 0 && ret != -EREMOTEIO)
		return ret;
	if (ret == -EREMOTEIO)
		return (int)ch->results[slot].fault;
	if (kind == QRPC_KIND_CALL) {
		if ((size_t)ret > reply_cap)
			return -EPROTO;
		memcpy(reply, ch->reply + ch->slots[slot].rep_off, ret);
		if (reply_len)
			*reply_len = ret;
	}
	return 0;
}

int qrpc_send_journalled(struct qrpc_binding *b, const struct qrpc_if_id *iface,
			 uint32_t opnum, uint32_t priority, uint32_t ttbr_s,
			 const void *req, size_t len, int rec)
{
	const uint32_t prio_ttbr[2] = { priority, ttbr_s };

	return make_call_rec(b, QRPC_KIND_MESSAGE, iface, opnum, req, len,
			     NULL, 0, NULL, rec, prio_ttbr);
}

static int make_call(struct qrpc_binding *b, unsigned int kind,
		     const struct qrpc_if_id *iface, uint32_t opnum,
		     const void *req, size_t req_len, void *reply,
		     size_t reply_cap, size_t *reply_len)
{
	int rec, ret;

	if (!b || !iface || (req_len && !req) || (reply_cap && !reply))
		return -EINVAL;
	if (kind != QRPC_KIND_MESSAGE ||
	    b->options[QRPC_OPT_DELIVERY] != QRPC_DELIVERY_RECOVERABLE)
		return make_call_rec(b, kind, iface, opnum, req, req_len, reply,
				     reply_cap, reply_len, -1, NULL);

	/* Recoverable: on disk before it is sent. */
	if (!b->journal)
		return -EINVAL;
	rec = qrpc_journal_add(b->journal, iface, opnum,
			       b->options[QRPC_OPT_PRIORITY],
			       b->options[QRPC_OPT_TIME_TO_BE_RECEIVED], req,
			       req_len);
	if (rec < 0)
		return rec;
	ret = qrpc_send_journalled(b, iface, opnum,
				   b->options[QRPC_OPT_PRIORITY],
				   b->options[QRPC_OPT_TIME_TO_BE_RECEIVED],
				   req, req_len, rec);
	/* Refused now: the caller has the error; nothing to replay. */
	if (ret)
		qrpc_journal_done(b->journal, rec);
	return ret;
}

int qrpc_call(struct qrpc_binding *b, const struct qrpc_if_id *iface,
	      uint32_t opnum, const void *req, size_t req_len, void *reply,
	      size_t reply_cap, size_t *reply_len)
{
	return make_call(b, QRPC_KIND_CALL, iface, opnum, req, req_len, reply,
			 reply_cap, reply_len);
}

int qrpc_call_maybe(struct qrpc_binding *b, const struct qrpc_if_id *iface,
		    uint32_t opnum, const void *req, size_t req_len)
{
	return make_call(b, QRPC_KIND_MAYBE, iface, opnum, req, req_len, NULL,
			 0, NULL);
}

int qrpc_call_message(struct qrpc_binding *b, const struct qrpc_if_id *iface,
		      uint32_t opnum, const void *req, size_t req_len)
{
	return make_call(b, QRPC_KIND_MESSAGE, iface, opnum, req, req_len, NULL,
			 0, NULL);
}

/*
 * One-way calls hold their slots until a server takes them: when all are
 * busy, wait for some to come back (back-pressure), a second at most.  A
 * server that keeps up frees slots within microseconds, so the release
 * ring is polled for a short while before the wait turns to naps.
 */
#define SLOT_POLL_US	200
#define SLOT_WAIT_US	1000000

static void channel_wait_slot(struct qrpc_channel *ch)
{
	uint64_t start = qrpc_now_us(), waited = 0;
	unsigned int i;

	for (i = 1; !ch->nfree && waited < SLOT_WAIT_US; i++) {
		if (waited < SLOT_POLL_US)
			__builtin_ia32_pause();
		else
			usleep(100);
		channel_reap_releases(ch);
		if (!(i % 64) || waited >= SLOT_POLL_US)
			waited = qrpc_now_us() - start;
	}
}

/*
 * One chunk of a batch: up to CHANNEL_SLOTS one-way calls filled, queued
 * and submitted at once, then their results collected.  Returns how many
 * were taken from @reqs (stored or failed), or a negative errno if none
 * could be.
 */
static int batch_chunk(struct qrpc_channel *ch, unsigned int kind,
		       const struct qrpc_if_id *iface,
		       const struct qrpc_req *reqs, unsigned int n,
		       int *results)
{
	unsigned int slots[CHANNEL_SLOTS], q = 0, i;
	struct io_uring_cqe *cqe;
	int ret, fail = 0;

	channel_reap_releases(ch);
	if (!ch->nfree)
		channel_wait_slot(ch);
	while (q < n && q < CHANNEL_SLOTS && ch->nfree) {
		unsigned int slot = ch->free[--ch->nfree];

		ret = qrpc_channel_fill(ch, slot, kind, iface, reqs[q].opnum,
					reqs[q].data, reqs[q].len, 0);
		if (!ret && !ch->no_uring)
			ret = channel_prep_call(ch, slot, q);
		if (ret) {
			/* This one fails alone; those queued still go. */
			qrpc_channel_slot_put(ch, slot);
			fail = ret;
			break;
		}
		slots[q++] = slot;
	}
	if (!q && !fail)
		return -EBUSY;	/* no slot came back within the second */
	if (ch->no_uring) {
		for (i = 0; i < q; i++)
			results[i] = qrpc_channel_call_ioctl(ch, slots[i]);
	} else if (q) {
		ret = qrpc_uring_submit_wait(&ch->uring, q);
		for (i = 0; i < q; i++)
			results[i] = ret < 0 ? ret : -EIO;
		for (i = 0; ret >= 0 && i < q;) {
			if (qrpc_uring_wait_cqe(&ch->uring, &cqe))
				break;
			/* Others are late ones of plain calls, ended already. */
			if (cqe->user_data < q) {
				results[cqe->user_data] = cqe->res;
				i++;
			}
			io_uring_cqe_seen(&ch->uring, cqe);
		}
	}
	for (i = 0; i < q; i++)
		if (!qrpc_released_later(kind, results[i]))
			qrpc_channel_slot_put(ch, slots[i]);
	if (fail) {
		results[q] = fail;
		return (int)q + 1;
	}
	return (int)q;
}

int qrpc_call_batch(struct qrpc_binding *b, unsigned int kind,
		    const struct qrpc_if_id *iface, const struct qrpc_req *reqs,
		    unsigned int n, int *results)
{
	struct qrpc_channel *ch;
	int chunk[CHANNEL_SLOTS];
	unsigned int done = 0, i;
	int ok = 0, ret;

	if (!b || !iface || !reqs ||
	    (kind != QRPC_KIND_MAYBE && kind != QRPC_KIND_MESSAGE))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (reqs[i].len && !reqs[i].data)
			return -EINVAL;
	/* Journalled messages go one by one: each is on disk before sent. */
	if (kind == QRPC_KIND_MESSAGE &&
	    b->options[QRPC_OPT_DELIVERY] == QRPC_DELIVERY_RECOVERABLE) {
		for (i = 0; i < n; i++) {
			ret = make_call(b, kind, iface, reqs[i].opnum,
					reqs[i].data, reqs[i].len, NULL, 0,
					NULL);
			if (results)
				results[i] = ret;
			ok += !ret;
		}
		return ok;
	}
	ret = qrpc_channel_get(b, &ch);
	if (ret)
		return ret;
	while (done < n) {
		ret = batch_chunk(ch, kind, iface, reqs + done, n - done, chunk);
		if (ret < 0) {
			if (!ok && !done)
				return ret;
			/* The rest cannot go now: say so for each. */
			for (; done < n; done++)
				if (results)
					results[done] = ret;
			break;
		}
		for (i = 0; i < (unsigned int)ret; i++) {
			if (results)
				results[done + i] = chunk[i];
			ok += !chunk[i];
		}
		done += ret;
	}
	return ok;
}
