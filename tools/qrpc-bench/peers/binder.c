// SPDX-License-Identifier: GPL-2.0
/*
 * Android binder, spoken raw through its uapi: the one mainline IPC built
 * for synchronous calls between processes, and so the closest existing
 * relative of qrpc.  The server is the context manager (handle 0), so no
 * service lookup is needed; each call is a BC_TRANSACTION to handle 0 and
 * a BC_REPLY back, each copied once by the kernel straight into the
 * receiver's binder mapping, with the caller's thread handed to the
 * server's looper thread and back.  That single-copy, direct hand-off is
 * what makes binder fast, and what we compare against.
 *
 * Needs a /dev/binder misc device (binder_linux loaded, or built in with
 * CONFIG_ANDROID_BINDER_DEVICES naming "binder"), or, on kernels with
 * binderfs (which then makes no misc devices), binderfs mounted on
 * /dev/binderfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "peer.h"

static const char *const binder_devs[] = {
	"/dev/binder", "/dev/binderfs/binder",
};
#define BINDER_MAP_SIZE		(1U << 20)
/*
 * A call's buffer is allocated in the receiver's mapping; leave room for
 * the allocator's bookkeeping and alignment.
 */
#define BINDER_MAX_PAYLOAD	(BINDER_MAP_SIZE / 2)
/* How long to wait for a previous context manager to go: 10 ms each. */
#define BINDER_MGR_TRIES	300
/* Enough for a few return commands; the driver keeps the rest queued. */
#define BINDER_READ_SIZE	256
/* Commands we queue: a free, a reply, and reference acknowledgements. */
#define BINDER_WRITE_SIZE	512

struct binder_end {
	int		fd;
	void		*map;
	unsigned char	out[BINDER_WRITE_SIZE];	/* commands not yet written */
	size_t		out_len;
	unsigned char	in[BINDER_READ_SIZE];
};

struct binder_state {
	struct peer_state	peer;	/* buf: the payload we send */
	struct binder_end	end;	/* this process's: server or client */
};

static int binder_open(struct binder_end *e)
{
	struct binder_version v = { 0 };
	unsigned int i;

	e->fd = -1;
	for (i = 0; e->fd < 0 && i < sizeof(binder_devs) / sizeof(binder_devs[0]); i++)
		e->fd = open(binder_devs[i], O_RDWR | O_CLOEXEC);
	if (e->fd < 0) {
		int err = -errno;

		if (err == -ENOENT || err == -ENODEV || err == -ENXIO)
			fprintf(stderr,
				"qrpc-bench: binder: no %s or %s (%s): load binder_linux, or mount binderfs there\n",
				binder_devs[0], binder_devs[1], strerror(-err));
		return err;
	}
	if (ioctl(e->fd, BINDER_VERSION, &v))
		return -errno;
	if (v.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) {
		fprintf(stderr,
			"qrpc-bench: binder: protocol %d, we speak %d\n",
			v.protocol_version, BINDER_CURRENT_PROTOCOL_VERSION);
		return -EPROTO;
	}
	return 0;
}

/* The mapping the driver copies incoming calls into: read-only to us. */
static int binder_map(struct binder_end *e)
{
	e->map = mmap(NULL, BINDER_MAP_SIZE, PROT_READ, MAP_PRIVATE, e->fd, 0);
	if (e->map == MAP_FAILED) {
		e->map = NULL;
		return -errno;
	}
	return 0;
}

static void binder_close(struct binder_end *e)
{
	if (e->map)
		munmap(e->map, BINDER_MAP_SIZE);
	e->map = NULL;
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

static int binder_queue(struct binder_end *e, uint32_t cmd, const void *arg,
			size_t len)
{
	if (e->out_len + sizeof(cmd) + len > sizeof(e->out))
		return -ENOBUFS;
	memcpy(e->out + e->out_len, &cmd, sizeof(cmd));
	if (len)	/* memcpy() from NULL is undefined even for 0 bytes */
		memcpy(e->out + e->out_len + sizeof(cmd), arg, len);
	e->out_len += sizeof(cmd) + len;
	return 0;
}

/*
 * Write the queued commands and, if @read, read what the driver has for
 * us (blocking until there is something).  The number of bytes read, or
 * -errno.
 */
static ssize_t binder_io(struct binder_end *e, int read)
{
	struct binder_write_read bwr = {
		.write_size = e->out_len,
		.write_buffer = (uintptr_t)e->out,
		.read_size = read ? sizeof(e->in) : 0,
		.read_buffer = (uintptr_t)e->in,
	};

	while (ioctl(e->fd, BINDER_WRITE_READ, &bwr)) {
		/* The driver updates the consumed counts even then. */
		if (errno != EINTR)
			return -errno;
		if (bwr.read_consumed)
			break;
	}
	e->out_len -= bwr.write_consumed;
	memmove(e->out, e->out + bwr.write_consumed, e->out_len);
	return (ssize_t)bwr.read_consumed;
}

/*
 * Every return command encodes the size of its argument in its ioctl
 * number, which lets us step over the ones we do not care about.
 */
static size_t binder_arg_size(uint32_t cmd)
{
	return _IOC_SIZE(cmd);
}

/* Commands that end a call in failure, as -errno; 0 for any other. */
static int binder_failure(uint32_t cmd, const unsigned char *arg)
{
	int32_t err;

	switch (cmd) {
	case BR_DEAD_REPLY:
		return -EPIPE;		/* the server is gone */
	case BR_FAILED_REPLY:
		return -ECOMM;
	case BR_FROZEN_REPLY:
		return -EAGAIN;
	case BR_ERROR:
		memcpy(&err, arg, sizeof(err));
		return err < 0 ? err : -EIO;
	default:
		return 0;
	}
}

static int binder_setup(struct bench_env *env)
{
	struct binder_state *s;
	int ret;

	ret = peer_alloc(env, BINDER_MAX_PAYLOAD, sizeof(*s));
	if (ret)
		return ret;
	s = env->priv;
	s->end.fd = -1;
	/* Fail here, before the fork, if there is no usable binder. */
	ret = binder_open(&s->end);
	binder_close(&s->end);
	return ret;
}

/*
 * Answer one call: copy the request out of our mapping into the reply
 * (so the bytes really travel both ways), give the request's buffer back
 * and reply, both in the next write.
 */
static int binder_answer(struct bench_env *env,
			 const struct binder_transaction_data *req)
{
	struct binder_state *s = env->priv;
	struct binder_transaction_data reply = {
		.data_size = env->payload,
		.data.ptr.buffer = (uintptr_t)s->peer.buf,
	};
	binder_uintptr_t buffer = req->data.ptr.buffer;
	int ret;

	if (req->data_size != env->payload || req->offsets_size)
		return -EPROTO;
	memcpy(s->peer.buf, (const void *)(uintptr_t)buffer, /* NOLINT(performance-no-int-to-ptr) */
	       env->payload);
	ret = binder_queue(&s->end, BC_FREE_BUFFER, &buffer, sizeof(buffer));
	return ret ? ret : binder_queue(&s->end, BC_REPLY, &reply,
					sizeof(reply));
}

/*
 * The previous run's server gives up the context manager role only when
 * the driver's deferred release of its binder_proc has run: give that a
 * moment rather than fail a run that follows another.
 */
static int binder_become_manager(struct binder_end *e)
{
	int tries;

	for (tries = 0; tries < BINDER_MGR_TRIES; tries++) {
		if (!ioctl(e->fd, BINDER_SET_CONTEXT_MGR, &(int32_t){ 0 }))
			return 0;
		if (errno != EBUSY)
			break;
		usleep(10000);
	}
	return -errno;
}

static int binder_serve(struct bench_env *env)
{
	struct binder_state *s = env->priv;
	struct binder_end *e = &s->end;
	struct binder_ptr_cookie pc;
	unsigned long answered = 0;
	uint32_t cmd;
	ssize_t got;
	size_t pos;
	int ret;

	ret = binder_open(e);
	if (!ret)
		ret = binder_map(e);
	if (!ret)
		ret = binder_become_manager(e);
	if (!ret)
		ret = binder_queue(e, BC_ENTER_LOOPER, NULL, 0);
	if (!ret) {
		got = binder_io(e, 0);
		ret = got < 0 ? (int)got : 0;
	}
	if (ret)
		goto out;
	bench_ready(env);
	while (!ret && answered < env->rounds) {
		got = binder_io(e, 1);
		if (got < 0) {
			ret = (int)got;
			break;
		}
		for (pos = 0; !ret && pos + sizeof(cmd) <= (size_t)got;
		     pos += sizeof(cmd) + binder_arg_size(cmd)) {
			const unsigned char *arg;

			memcpy(&cmd, e->in + pos, sizeof(cmd));
			arg = e->in + pos + sizeof(cmd);
			if (pos + sizeof(cmd) + binder_arg_size(cmd) >
			    (size_t)got) {
				ret = -EPROTO;
				break;
			}
			switch (cmd) {
			/* Only with BINDER_SET_CONTEXT_MGR_EXT, but harmless. */
			case BR_TRANSACTION_SEC_CTX:
			case BR_TRANSACTION: {
				struct binder_transaction_data tr;

				memcpy(&tr, arg, sizeof(tr));
				ret = binder_answer(env, &tr);
				answered++;
				break;
			}
			/* The driver wants acks for references to our node. */
			case BR_INCREFS:
			case BR_ACQUIRE:
				memcpy(&pc, arg, sizeof(pc));
				ret = binder_queue(e, cmd == BR_INCREFS ?
						   BC_INCREFS_DONE :
						   BC_ACQUIRE_DONE,
						   &pc, sizeof(pc));
				break;
			default:
				/* BR_NOOP, BR_TRANSACTION_COMPLETE, ... */
				ret = binder_failure(cmd, arg);
				break;
			}
		}
	}
	/* The last reply is still queued: the client is waiting for it. */
	if (!ret && e->out_len) {
		got = binder_io(e, 0);
		if (got < 0)
			ret = (int)got;
	}
out:
	binder_close(e);
	return ret;
}

static int binder_connect(struct bench_env *env)
{
	struct binder_state *s = env->priv;
	int ret = binder_open(&s->end);

	return ret ? ret : binder_map(&s->end);
}

static int binder_ping(struct bench_env *env)
{
	struct binder_state *s = env->priv;
	struct binder_end *e = &s->end;
	struct binder_transaction_data tr = {
		.target.handle = 0,		/* the context manager */
		.data_size = env->payload,
		.data.ptr.buffer = (uintptr_t)s->peer.buf,
	};
	uint32_t cmd;
	size_t pos;
	int ret;

	/* The previous reply's buffer is freed in the same write as the call. */
	ret = binder_queue(e, BC_TRANSACTION, &tr, sizeof(tr));
	while (!ret) {
		ssize_t got = binder_io(e, 1);

		if (got < 0)
			return (int)got;
		for (pos = 0; pos + sizeof(cmd) <= (size_t)got;
		     pos += sizeof(cmd) + binder_arg_size(cmd)) {
			const unsigned char *arg;
			binder_uintptr_t buffer;

			memcpy(&cmd, e->in + pos, sizeof(cmd));
			arg = e->in + pos + sizeof(cmd);
			if (pos + sizeof(cmd) + binder_arg_size(cmd) >
			    (size_t)got)
				return -EPROTO;
			if (cmd != BR_REPLY) {
				ret = binder_failure(cmd, arg);
				if (ret)
					return ret;
				continue;
			}
			memcpy(&tr, arg, sizeof(tr));
			buffer = tr.data.ptr.buffer;
			ret = binder_queue(e, BC_FREE_BUFFER, &buffer,
					   sizeof(buffer));
			if (ret)
				return ret;
			if (tr.flags & TF_STATUS_CODE ||
			    tr.data_size != env->payload)
				return -EPROTO;
			memcpy(s->peer.buf, (const void *)(uintptr_t)buffer, /* NOLINT(performance-no-int-to-ptr) */
			       env->payload);
			return 0;
		}
	}
	return ret;
}

static void binder_teardown(struct bench_env *env)
{
	struct binder_state *s = env->priv;

	if (s)
		binder_close(&s->end);
	peer_free(env);
}

const struct rt_peer rt_binder = {
	.name		= "binder",
	.max_payload	= BINDER_MAX_PAYLOAD,
	.setup		= binder_setup,
	.serve		= binder_serve,
	.connect	= binder_connect,
	.ping		= binder_ping,
	.teardown	= binder_teardown,
};
