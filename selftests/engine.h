/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selftest helpers for the call engine: a port with a server and a client
 * set up through the raw ABI, with every region mapped.
 */
#ifndef QRPC_SELFTEST_ENGINE_H
#define QRPC_SELFTEST_ENGINE_H

#include <stdatomic.h>
#include <sys/mman.h>

#include "helpers.h"

struct t_server {
	int fd;
	unsigned int handle;
	unsigned int depth;
	struct qrpc_call_desc *desc;
	size_t desc_size;
};

struct t_client {
	int fd;
	unsigned int handle;
	unsigned int conn_id;
	unsigned int nslots;
	struct qrpc_slot *slots;
	unsigned char *req;		/* the request area */
	size_t slots_size;
	struct qrpc_slot_result *results;
	struct qrpc_release_ring *ring;
	size_t results_size;
	unsigned char *reply;
	size_t reply_size;
	unsigned int ring_head;
	struct io_uring uring;
};

/* An interface UUID the tests use. */
static const struct qrpc_if_id t_iface = {
	.uuid = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
		  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef },
	.major = 1,
	.minor = 0,
};

/* Open a port handle on a new fd; returns the fd, handle in *handle. */
static inline int t_open_port(const char *name, unsigned int access,
			      unsigned int *handle)
{
	int fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	int h;

	if (fd < 0)
		return -errno;
	h = t_port_open(fd, name, access);
	if (h < 0) {
		close(fd);
		return h;
	}
	*handle = h;
	return fd;
}

/* Attach a server with @depth tags to port @name and map its table. */
static inline int t_server_start(struct t_server *s, const char *name,
				 unsigned int depth, int register_iface)
{
	struct qrpc_serve sv;
	unsigned int port = 0;
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = t_open_port(name, QRPC_ACCESS_SERVE, &port);
	if (s->fd < 0)
		return s->fd;
	memset(&sv, 0, sizeof(sv));
	sv.port = port;
	sv.depth = depth;
	ret = t_ioctl(s->fd, QRPC_IOC_SERVE, &sv);
	if (ret)
		return ret;
	s->handle = sv.handle;
	s->depth = depth;
	s->desc_size = sv.desc_size;
	s->desc = mmap(NULL, sv.desc_size, PROT_READ, MAP_SHARED, s->fd,
		       sv.desc_off);
	if (s->desc == MAP_FAILED)
		return -errno;
	if (register_iface) {
		struct qrpc_if_reg r;

		memset(&r, 0, sizeof(r));
		r.server = s->handle;
		r.iface = t_iface;
		ret = t_ioctl(s->fd, QRPC_IOC_IF_REGISTER, &r);
	}
	return ret;
}

static inline int t_server_register(struct t_server *s,
				    const struct qrpc_if_id *iface, int reg)
{
	struct qrpc_if_reg r;

	memset(&r, 0, sizeof(r));
	r.server = s->handle;
	r.iface = *iface;
	return t_ioctl(s->fd, reg ? QRPC_IOC_IF_REGISTER :
			      QRPC_IOC_IF_UNREGISTER, &r);
}

static inline void t_server_stop(struct t_server *s)
{
	if (s->desc && s->desc != MAP_FAILED)
		munmap(s->desc, s->desc_size);
	if (s->fd > 0)
		close(s->fd);
	s->fd = -1;
	s->desc = NULL;
}

/* A data-path command through ioctl(): its result or -errno. */
static inline int t_io(int fd, unsigned long op, unsigned int handle,
		       unsigned int index, unsigned int arg, unsigned int len)
{
	struct qrpc_io io = { handle, index, arg, len };
	int ret = ioctl(fd, op, &io);

	return ret < 0 ? -errno : ret;
}

/* Connect to port @name with @nslots slots and map every region. */
static inline int t_client_start(struct t_client *c, const char *name,
				 unsigned int nslots, unsigned int area)
{
	struct qrpc_connect cn;
	unsigned int port = 0;
	void *p;
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = t_open_port(name, QRPC_ACCESS_CALL, &port);
	if (c->fd < 0)
		return c->fd;
	memset(&cn, 0, sizeof(cn));
	cn.port = port;
	cn.nslots = nslots;
	cn.req_size = area;
	cn.rep_size = area;
	ret = t_ioctl(c->fd, QRPC_IOC_CONNECT, &cn);
	if (ret)
		return ret;
	c->handle = cn.handle;
	c->conn_id = cn.conn_id;
	c->nslots = nslots;
	c->slots_size = cn.slots_size;
	c->results_size = cn.results_size;
	c->reply_size = cn.reply_size;
	p = mmap(NULL, cn.slots_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 c->fd, cn.slots_off);
	if (p == MAP_FAILED)
		return -errno;
	c->slots = p;
	c->req = (unsigned char *)p + cn.req_base;
	p = mmap(NULL, cn.results_size, PROT_READ, MAP_SHARED, c->fd,
		 cn.results_off);
	if (p == MAP_FAILED)
		return -errno;
	c->results = p;
	c->ring = (struct qrpc_release_ring *)(c->results + nslots);
	p = mmap(NULL, cn.reply_size, PROT_READ, MAP_SHARED, c->fd,
		 cn.reply_off);
	if (p == MAP_FAILED)
		return -errno;
	c->reply = p;
	return io_uring_queue_init(64, &c->uring, 0);
}

static inline void t_client_stop(struct t_client *c)
{
	if (c->fd <= 0)
		return;
	io_uring_queue_exit(&c->uring);
	if (c->slots)
		munmap(c->slots, c->slots_size);
	if (c->results)
		munmap(c->results, c->results_size);
	if (c->reply)
		munmap(c->reply, c->reply_size);
	close(c->fd);
	c->fd = -1;
}

/* Fill slot @slot for a call of @kind carrying @len bytes of @byte. */
static inline void t_slot_fill(struct t_client *c, unsigned int slot,
			       unsigned int kind, unsigned int prio,
			       unsigned int len, unsigned char byte)
{
	struct qrpc_slot *s = &c->slots[slot];
	unsigned int off = slot * 256;

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->priority = prio;
	s->opnum = 7;
	s->iface = t_iface;
	s->req_off = off;
	s->req_len = len;
	memset(c->req + off, byte, len);
	if (kind == QRPC_KIND_CALL) {
		s->rep_off = off;
		s->rep_cap = 256;
	}
}

/*
 * An SQE for data-path command @op with its struct qrpc_io inline, tagged
 * with user_data @index, not submitted yet (the caller may change its
 * user_data or flags); NULL if the ring is full.
 */
static inline struct io_uring_sqe *t_prep_io(struct io_uring *ring, int fd,
					     unsigned int op,
					     unsigned int handle,
					     unsigned int index,
					     unsigned int arg, unsigned int len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct qrpc_io io = { handle, index, arg, len };

	if (!sqe)
		return NULL;
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &io, sizeof(io));
	sqe->user_data = index;
	return sqe;
}

/*
 * Submit data-path command @op on @ring with its struct qrpc_io inline,
 * tagged with user_data @index; 0 or -errno.
 */
static inline int t_submit_io(struct io_uring *ring, int fd, unsigned int op,
			      unsigned int handle, unsigned int index,
			      unsigned int arg, unsigned int len)
{
	if (!t_prep_io(ring, fd, op, handle, index, arg, len))
		return -EBUSY;
	return io_uring_submit(ring) == 1 ? 0 : -EIO;
}

/* Submit CALL on @slot through io_uring, tagged with user_data @slot. */
static inline int t_call_submit(struct t_client *c, unsigned int slot)
{
	return t_submit_io(&c->uring, c->fd, QRPC_IOC_CALL, c->handle, slot,
			   0, 0);
}

/*
 * Wait up to @ms for one completion on @ring; stores its user_data and
 * returns its result, or -ETIME when none came.
 */
static inline int t_wait_cqe(struct io_uring *ring, unsigned int ms,
			     unsigned long long *user_data)
{
	struct __kernel_timespec ts = {
		.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L,
	};
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

	if (ret)
		return ret == -ETIME ? -ETIME : ret;
	ret = cqe->res;
	if (user_data)
		*user_data = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* The next release-ring entry, or -1 if there is none. */
static inline long t_release_next(struct t_client *c)
{
	unsigned int tail = __atomic_load_n(&c->ring->tail, __ATOMIC_ACQUIRE);
	unsigned int e;

	if (c->ring_head == tail)
		return -1;
	e = c->ring->entries[c->ring_head & c->ring->mask];
	c->ring_head++;
	return e;
}

#endif /* QRPC_SELFTEST_ENGINE_H */
