// SPDX-License-Identifier: MIT
/*
 * Servers: a port served by worker threads.  Each worker attaches its own
 * server to the port, with its own tags, descriptor table and io_uring
 * ring of parked FETCH commands, so workers share nothing on the call
 * path; the module hands each call to one of them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <liburing.h>

#include "internal.h"
#include "qrpc.h"

#define WORKER_TAGS	8
#define MAX_DISPATCH	16
/* user_data of the read on the worker's wake-up eventfd. */
#define WAKE_DATA	(~0ULL)
/* The Windows status for an operation number the interface lacks. */
#define RPC_S_PROCNUM_OUT_OF_RANGE	1745

struct conn_map {
	unsigned int		id;
	unsigned char		*req;
	unsigned char		*rep;
	size_t			req_size;
	size_t			rep_size;
	size_t			span;	/* both areas and the guard page between */
};

struct worker;

struct qrpc_call_ctx {
	struct worker		*w;
	unsigned int		tag;
	const struct qrpc_call_desc *desc;
	const unsigned char	*req;
	unsigned char		*rep;
	size_t			rep_len;
};

struct worker {
	struct qrpc_server	*srv;
	pthread_t		thread;
	int			fd;
	unsigned int		handle;		/* the server handle */
	struct qrpc_call_desc	*desc;
	size_t			desc_size;
	struct io_uring		ring;
	int			wake_fd;
	uint64_t		wake_buf;
	uint32_t		rearm;		/* tags completed elsewhere */
	int			no_uring;	/* FETCH and COMMIT by ioctl() */
	int			pending;	/* ioctl worker: a call left pending */
	struct conn_map		*maps;
	unsigned int		nmaps;
	struct qrpc_call_ctx	ctx[WORKER_TAGS];
};

struct qrpc_server {
	int			owner_fd;	/* holds the port (and a temporary one's life) */
	char			name[QRPC_NAME_MAX];
	unsigned int		nd;
	struct qrpc_dispatch	dispatch[MAX_DISPATCH];
	unsigned int		nworkers;
	struct worker		*workers;
	int			stop;
	unsigned int		spin_us;	/* poll before sleeping */
};

int qrpc_server_create(const char *name, unsigned int mode,
		       unsigned int flags, struct qrpc_server **out)
{
	struct qrpc_port_create c;
	struct qrpc_server *srv;
	int ret;

	if (!name || qrpc_port_name_check(name) || (mode & ~0777U) ||
	    (flags & ~QRPC_SERVER_TEMPORARY))
		return -EINVAL;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->owner_fd = qrpc_open_device(NULL);
	if (srv->owner_fd < 0) {
		ret = srv->owner_fd;
		free(srv);
		return ret;
	}
	memset(&c, 0, sizeof(c));
	memcpy(c.name, name, strlen(name) + 1);	/* validated: fits */
	c.mode = mode;
	c.flags = flags & QRPC_SERVER_TEMPORARY ? QRPC_PORT_F_TEMPORARY : 0;
	c.access = QRPC_ACCESS_SERVE;
	if (ioctl(srv->owner_fd, QRPC_IOC_PORT_CREATE, &c) < 0) {
		ret = -errno;
		close(srv->owner_fd);
		free(srv);
		return ret;
	}
	memcpy(srv->name, name, strlen(name) + 1);
	*out = srv;
	return 0;
}

int qrpc_server_register(struct qrpc_server *srv,
			 const struct qrpc_dispatch *dispatch)
{
	unsigned int i;

	if (!dispatch || (dispatch->nops && !dispatch->ops))
		return -EINVAL;
	if (srv->workers)
		return -EBUSY;
	for (i = 0; i < srv->nd; i++)
		if (srv->dispatch[i].iface.major == dispatch->iface.major &&
		    !memcmp(srv->dispatch[i].iface.uuid, dispatch->iface.uuid,
			    16))
			return -EEXIST;
	if (srv->nd == MAX_DISPATCH)
		return -ENOSPC;
	srv->dispatch[srv->nd++] = *dispatch;
	return 0;
}

static int io_submit(struct worker *w, unsigned int op, unsigned int tag,
		     unsigned int arg, unsigned int len)
{
	struct qrpc_io io = { w->handle, tag, arg, len };

	return qrpc_prep_io(&w->ring, w->fd, op, &io, tag);
}

static int wake_submit(struct worker *w)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_read(sqe, w->wake_fd, &w->wake_buf, sizeof(w->wake_buf),
			   0);
	sqe->user_data = WAKE_DATA;
	return 0;
}

/* The mappings of connection @id's areas, made on first use. */
static struct conn_map *worker_map(struct worker *w, unsigned int id)
{
	struct qrpc_map_conn m;
	struct conn_map *cm;
	unsigned int i;

	for (i = 0; i < w->nmaps; i++)
		if (w->maps[i].id == id)
			return &w->maps[i];
	memset(&m, 0, sizeof(m));
	m.server = w->handle;
	m.conn_id = id;
	if (ioctl(w->fd, QRPC_IOC_MAP_CONN, &m) < 0)
		return NULL;
	cm = realloc(w->maps, (w->nmaps + 1) * sizeof(*cm));
	if (!cm)
		return NULL;
	w->maps = cm;
	cm = &w->maps[w->nmaps];
	/*
	 * The two areas go into one reservation with a guard page between
	 * them.  Besides catching overruns, the odd page distance keeps a
	 * copy from request to reply from hitting one index of a
	 * direct-mapped TLB on every access (QEMU's software TLB thrashes,
	 * 15 times slower, when the areas sit a power of two apart).
	 */
	cm->span = m.request_size + AREA_PAGE + m.reply_size;
	cm->req = mmap(NULL, cm->span, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (cm->req == MAP_FAILED)
		return NULL;
	cm->rep = cm->req + m.request_size + AREA_PAGE;
	if (mmap(cm->req, m.request_size, PROT_READ, MAP_SHARED | MAP_FIXED,
		 w->fd, (off_t)m.request_off) == MAP_FAILED ||
	    mmap(cm->rep, m.reply_size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, w->fd,
		 (off_t)m.reply_off) == MAP_FAILED) {
		munmap(cm->req, cm->span);
		return NULL;
	}
	cm->id = id;
	cm->req_size = m.request_size;
	cm->rep_size = m.reply_size;
	w->nmaps++;
	return cm;
}

static const struct qrpc_dispatch *find_dispatch(struct qrpc_server *srv,
						 const struct qrpc_if_id *iface)
{
	unsigned int i;

	for (i = 0; i < srv->nd; i++)
		if (srv->dispatch[i].iface.major == iface->major &&
		    !memcmp(srv->dispatch[i].iface.uuid, iface->uuid, 16))
			return &srv->dispatch[i];
	return NULL;
}

/*
 * Answer the call on @tag: COMMIT_AND_FETCH through the ring, or a COMMIT
 * ioctl (the ioctl worker fetches again itself).
 */
static void worker_answer(struct worker *w, unsigned int tag,
			  unsigned int fault, unsigned int len)
{
	struct qrpc_io io = { w->handle, tag, fault, len };

	if (!w->no_uring) {
		io_submit(w, QRPC_IOC_COMMIT_AND_FETCH, tag, fault, len);
		return;
	}
	if (ioctl(w->fd, QRPC_IOC_COMMIT, &io) < 0)
		return;	/* the call has gone (server closing): nothing to do */
}

/* Run the handler for the call on @tag and answer it, unless it pends. */
static void worker_dispatch(struct worker *w, unsigned int tag)
{
	const struct qrpc_call_desc *d = &w->desc[tag];
	struct qrpc_call_ctx *ctx = &w->ctx[tag];
	const struct qrpc_dispatch *disp;
	struct conn_map *cm;
	int ret;

	cm = worker_map(w, d->conn_id);
	disp = find_dispatch(w->srv, &d->iface);
	ctx->w = w;
	ctx->tag = tag;
	ctx->desc = d;
	ctx->rep_len = 0;
	if (!cm) {
		/* Nothing we can do for it; let the module have it back. */
		worker_answer(w, tag, 0, 0);
		return;
	}
	ctx->req = cm->req + d->req_off;
	ctx->rep = cm->rep + d->rep_off;
	if (!disp || d->opnum >= disp->nops || !disp->ops[d->opnum])
		ret = RPC_S_PROCNUM_OUT_OF_RANGE;
	else
		ret = disp->ops[d->opnum](ctx, disp->arg);
	if (ret == QRPC_PENDING) {
		__atomic_store_n(&w->pending, 1, __ATOMIC_RELEASE);
		return;
	}
	/* A one-way call has no reply and no fault to report. */
	if (d->kind != QRPC_KIND_CALL)
		worker_answer(w, tag, 0, 0);
	else if (ret > 0)
		worker_answer(w, tag, ret, 0);
	else
		worker_answer(w, tag, 0, ctx->rep_len);
}

/*
 * A worker without io_uring: one call at a time on tag 0, with a blocking
 * FETCH; a call left pending is waited for on the eventfd that
 * qrpc_ctx_complete() signals.  Closing the server handle (stop) ends a
 * FETCH that is waiting with -EPIPE.
 */
/* Whether the call on tag 0 still waits for qrpc_ctx_complete(). */
static int worker_pending(struct worker *w)
{
	return __atomic_load_n(&w->pending, __ATOMIC_ACQUIRE);
}

static void *worker_main_ioctl(void *arg)
{
	struct worker *w = arg;
	struct qrpc_io io = { w->handle, 0, 0, 0 };
	uint64_t v;

	while (!__atomic_load_n(&w->srv->stop, __ATOMIC_ACQUIRE)) {
		if (ioctl(w->fd, QRPC_IOC_FETCH, &io) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		worker_dispatch(w, 0);
		/* Left pending: wait until it is completed elsewhere. */
		while (!__atomic_exchange_n(&w->rearm, 0, __ATOMIC_ACQ_REL) &&
		       !__atomic_load_n(&w->srv->stop, __ATOMIC_ACQUIRE) &&
		       w->ctx[0].desc && worker_pending(w))
			if (read(w->wake_fd, &v, sizeof(v)) < 0 && errno != EINTR)
				break;
	}
	return NULL;
}

/* A worker's ring, polled for its next completion. */
struct ring_poll {
	struct io_uring		*ring;
	struct io_uring_cqe	*cqe;
};

static int ring_has_cqe(void *arg)
{
	struct ring_poll *p = arg;

	return !io_uring_peek_cqe(p->ring, &p->cqe);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		struct io_uring_cqe *cqe;
		unsigned long long ud;
		int res;

		/*
		 * Only when no call is ready: send the answers queued so far
		 * and, not polling, sleep for the next call, in one system
		 * call.  A burst of one-way calls costs one entry to the
		 * kernel, not one each.
		 */
		if (io_uring_peek_cqe(&w->ring, &cqe)) {
			struct ring_poll p = { .ring = &w->ring };

			io_uring_submit_and_wait(&w->ring,
						 w->srv->spin_us ? 0 : 1);
			if (w->srv->spin_us &&
			    !qrpc_poll_for(w->srv->spin_us, ring_has_cqe, &p))
				cqe = p.cqe;
			else if (io_uring_wait_cqe(&w->ring, &cqe))
				continue;
		}
		ud = cqe->user_data;
		res = cqe->res;
		io_uring_cqe_seen(&w->ring, cqe);
		if (ud == WAKE_DATA) {
			uint32_t rearm = __atomic_exchange_n(&w->rearm, 0,
							     __ATOMIC_ACQ_REL);
			unsigned int tag;

			if (__atomic_load_n(&w->srv->stop, __ATOMIC_ACQUIRE)) {
				/*
				 * Answers still queued go first: a handled
				 * [message] left unanswered would be given
				 * to the next server again.
				 */
				io_uring_submit(&w->ring);
				break;
			}
			for (tag = 0; tag < WORKER_TAGS; tag++)
				if (rearm & (1U << tag))
					io_submit(w, QRPC_IOC_FETCH, tag, 0, 0);
			wake_submit(w);
			continue;
		}
		if (res == 0 && ud < WORKER_TAGS) {
			/* A caller waits for this one: answer it at once. */
			int waited = w->desc[ud].kind == QRPC_KIND_CALL;

			worker_dispatch(w, ud);
			if (waited && io_uring_sq_ready(&w->ring))
				io_uring_submit(&w->ring);
		}
		/* Errors (-EPIPE when stopping) leave the tag idle. */
	}
	return NULL;
}

static void worker_teardown(struct worker *w)
{
	struct qrpc_handle_arg h = { .handle = w->handle };
	unsigned int i;

	/*
	 * Closing the server handle completes its parked FETCHes (-EPIPE)
	 * before the ring goes: a ring cannot cancel them itself on every
	 * kernel.
	 */
	if (w->handle)
		ioctl(w->fd, QRPC_IOC_CLOSE, &h);
	if (!w->no_uring && w->ring.ring_fd > 0)
		io_uring_queue_exit(&w->ring);
	for (i = 0; i < w->nmaps; i++)
		munmap(w->maps[i].req, w->maps[i].span);
	free(w->maps);
	if (w->desc)
		munmap(w->desc, w->desc_size);
	if (w->wake_fd > 0)
		close(w->wake_fd);
	if (w->fd > 0)
		close(w->fd);
}

static int worker_setup(struct qrpc_server *srv, struct worker *w)
{
	struct qrpc_serve sv;
	struct qrpc_if_reg r;
	unsigned int i;
	int port, ret;

	w->srv = srv;
	w->fd = qrpc_open_device(NULL);
	if (w->fd < 0)
		return w->fd;
	port = qrpc_port_open_fd(w->fd, srv->name, QRPC_ACCESS_SERVE);
	if (port < 0)
		return port;
	memset(&sv, 0, sizeof(sv));
	sv.port = port;
	sv.depth = WORKER_TAGS;
	if (ioctl(w->fd, QRPC_IOC_SERVE, &sv) < 0)
		return -errno;
	w->handle = sv.handle;
	w->desc = mmap(NULL, sv.desc_size, PROT_READ, MAP_SHARED, w->fd,
		       (off_t)sv.desc_off);
	if (w->desc == MAP_FAILED) {
		w->desc = NULL;
		return -errno;
	}
	w->desc_size = sv.desc_size;
	for (i = 0; i < srv->nd; i++) {
		memset(&r, 0, sizeof(r));
		r.server = w->handle;
		r.iface = srv->dispatch[i].iface;
		if (ioctl(w->fd, QRPC_IOC_IF_REGISTER, &r) < 0)
			return -errno;
	}
	w->wake_fd = eventfd(0, EFD_CLOEXEC);
	if (w->wake_fd < 0)
		return -errno;
	ret = qrpc_uring_init(&w->ring, 2 * WORKER_TAGS + 2, NULL);
	if (ret < 0)
		return ret;
	w->no_uring = ret;
	if (w->no_uring)
		return 0;
	for (i = 0; i < WORKER_TAGS; i++)
		io_submit(w, QRPC_IOC_FETCH, i, 0, 0);
	wake_submit(w);
	return 0;
}

int qrpc_server_listen(struct qrpc_server *srv, unsigned int nthreads)
{
	unsigned int i;
	int ret;

	if (!nthreads || nthreads > 256)
		return -EINVAL;
	if (srv->workers)
		return -EBUSY;
	srv->workers = calloc(nthreads, sizeof(*srv->workers));
	if (!srv->workers)
		return -ENOMEM;
	srv->stop = 0;
	for (i = 0; i < nthreads; i++) {
		ret = worker_setup(srv, &srv->workers[i]);
		if (!ret)
			ret = -qrpc_thread_create(&srv->workers[i].thread,
						  NULL, srv->workers[i].no_uring ?
						  worker_main_ioctl : worker_main,
						  &srv->workers[i]);
		if (ret) {
			worker_teardown(&srv->workers[i]);
			srv->nworkers = i;
			qrpc_server_stop(srv);
			return ret;
		}
	}
	srv->nworkers = nthreads;
	return 0;
}

static void worker_wake(struct worker *w)
{
	uint64_t one = 1;

	if (write(w->wake_fd, &one, sizeof(one)) != sizeof(one))
		return;	/* the counter is saturated: a wake-up is pending */
}

int qrpc_server_set_spin(struct qrpc_server *srv, unsigned int usec)
{
	if (usec > QRPC_SPIN_MAX_US)
		return -EINVAL;
	if (srv->workers)
		return -EBUSY;
	srv->spin_us = usec;
	return 0;
}

int qrpc_server_stop(struct qrpc_server *srv)
{
	unsigned int i;

	if (!srv->workers)
		return 0;
	__atomic_store_n(&srv->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < srv->nworkers; i++) {
		struct worker *w = &srv->workers[i];
		struct qrpc_handle_arg h = { .handle = w->handle };

		worker_wake(w);
		/* An ioctl worker may wait in FETCH: closing ends that. */
		if (w->no_uring && !ioctl(w->fd, QRPC_IOC_CLOSE, &h))
			w->handle = 0;
		pthread_join(w->thread, NULL);
		worker_teardown(w);
	}
	free(srv->workers);
	srv->workers = NULL;
	srv->nworkers = 0;
	return 0;
}

void qrpc_server_free(struct qrpc_server *srv)
{
	if (!srv)
		return;
	qrpc_server_stop(srv);
	close(srv->owner_fd);
	free(srv);
}

const void *qrpc_ctx_request(const struct qrpc_call_ctx *ctx, size_t *len)
{
	if (len)
		*len = ctx->desc->req_len;
	return ctx->req;
}

void *qrpc_ctx_reply_buf(struct qrpc_call_ctx *ctx, size_t *cap)
{
	if (cap)
		*cap = ctx->desc->rep_cap;
	return ctx->rep;
}

int qrpc_ctx_set_reply_len(struct qrpc_call_ctx *ctx, size_t len)
{
	if (len > ctx->desc->rep_cap)
		return -EINVAL;
	ctx->rep_len = len;
	return 0;
}

uint32_t qrpc_ctx_opnum(const struct qrpc_call_ctx *ctx)
{
	return ctx->desc->opnum;
}

int qrpc_ctx_kind(const struct qrpc_call_ctx *ctx)
{
	return ctx->desc->kind;
}

void qrpc_ctx_caller(const struct qrpc_call_ctx *ctx, pid_t *pid, uid_t *uid,
		     gid_t *gid)
{
	if (pid)
		*pid = ctx->desc->pid;
	if (uid)
		*uid = ctx->desc->uid;
	if (gid)
		*gid = ctx->desc->gid;
}

int qrpc_ctx_test_cancel(const struct qrpc_call_ctx *ctx)
{
	return __atomic_load_n(&ctx->desc->cancelled, __ATOMIC_ACQUIRE) != 0;
}

int qrpc_ctx_complete(struct qrpc_call_ctx *ctx, uint32_t fault)
{
	struct worker *w = ctx->w;
	int kind = ctx->desc->kind;
	struct qrpc_io io = {
		.handle = w->handle,
		.index = ctx->tag,
		.arg = kind == QRPC_KIND_CALL ? fault : 0,
		.len = kind == QRPC_KIND_CALL && !fault ? ctx->rep_len : 0,
	};
	int ret = ioctl(w->fd, QRPC_IOC_COMMIT, &io) < 0 ? -errno : 0;

	/* The worker parks a new FETCH on the tag. */
	__atomic_store_n(&w->pending, 0, __ATOMIC_RELEASE);
	__atomic_or_fetch(&w->rearm, 1U << ctx->tag, __ATOMIC_ACQ_REL);
	worker_wake(w);
	return ret;
}
