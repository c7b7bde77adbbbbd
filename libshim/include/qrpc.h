/* SPDX-License-Identifier: MIT */
/*
 * libqrpc: the user-space side of qrpc.
 *
 * Every function returns a non-negative value on success and a negative
 * errno value on failure; none of them sets errno.  All are thread-safe.
 */
#ifndef QRPC_H
#define QRPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/qrpc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * qrpc_open_device() - open the qrpc device.
 * @path: the device node, or NULL for QRPC_DEVICE_PATH
 *
 * Returns a close-on-exec file descriptor, or -ENOENT when the module is not
 * loaded, -EACCES when the device's mode refuses the caller, or another
 * negative errno from open(2).
 */
int qrpc_open_device(const char *path);

/* How qrpc_query_features() reaches the device. */
enum qrpc_via {
	QRPC_VIA_AUTO = 0,	/* io_uring, falling back to ioctl */
	QRPC_VIA_IOCTL = 1,	/* ioctl(2) only */
	QRPC_VIA_URING = 2,	/* IORING_OP_URING_CMD only */
};

/*
 * qrpc_query_features() - ask the module what it offers.
 * @fd: a descriptor from qrpc_open_device()
 * @out: filled in on success
 * @via: an enum qrpc_via value
 *
 * Returns 0, or -EINVAL for an unknown @via, -ENOSYS/-EPERM when @via is
 * QRPC_VIA_URING and io_uring is unavailable to the caller, or the error
 * the module returned.  QRPC_VIA_AUTO falls back to ioctl(2) only when
 * io_uring itself is unavailable, never after the module answered.
 */
int qrpc_query_features(int fd, struct qrpc_features *out, enum qrpc_via via);

/*
 * qrpc_features_describe() - name the QRPC_F_* bits in @features.
 * @features: a mask of QRPC_F_* bits
 * @buf: where to write a NUL-terminated, comma-separated list; bits without
 *       a name appear as a hexadecimal mask at the end
 * @len: size of @buf
 *
 * Like snprintf(3), returns the length of the whole description, which is
 * @len or more when @buf was too small (the text is then cut short but
 * still terminated if @len > 0).
 */
size_t qrpc_features_describe(uint64_t features, char *buf, size_t len);

/*
 * qrpc_feature_name() - the name of one QRPC_F_* bit.
 * @bit: a single QRPC_F_* value
 *
 * Returns a static string, or NULL when @bit is not exactly one known bit.
 */
const char *qrpc_feature_name(uint64_t bit);

/*
 * Bindings.
 *
 * A binding names a port and carries options, as an RPC binding handle
 * does.  It is thread-safe: each thread that calls through it gets its own
 * connection and io_uring ring (made on its first call), so calls from
 * different threads share nothing.
 */
struct qrpc_binding;

/*
 * qrpc_binding_create() - make a binding from a string.
 * @string: "qrpc:NAME", NAME being a port name (see QRPC_NAME_MAX)
 * @out: the new binding
 *
 * Returns 0, -EINVAL for a malformed string, or -ENOMEM.  No connection is
 * made yet: errors such as a missing port show on the first call.
 */
int qrpc_binding_create(const char *string, struct qrpc_binding **out);

/*
 * qrpc_binding_free() - free a binding and every connection made through
 * it.  No call may be in progress on it.
 */
void qrpc_binding_free(struct qrpc_binding *b);

/* Binding options (qrpc_binding_set_option()), after RpcBindingSetOption. */
enum qrpc_option {
	QRPC_OPT_PRIORITY = 1,		/* 0-7, default 3; higher goes first */
	QRPC_OPT_DELIVERY,		/* enum qrpc_delivery */
	QRPC_OPT_TIME_TO_REACH_QUEUE,	/* [message]: seconds to wait for room; 0 (default) = fail at once */
	QRPC_OPT_TIME_TO_BE_RECEIVED,	/* [message]: seconds; 0 (default) = forever */
	QRPC_OPT_ACKNOWLEDGE,		/* [message]: wait until queued; 0 or 1 (see below) */
	QRPC_OPT_JOURNAL,		/* enum qrpc_journal */
	QRPC_OPT_CALL_TIMEOUT,		/* plain calls: milliseconds; 0 (default) = none */
	/*
	 * io_uring's SQ polling thread for connections made from now on: 0
	 * (default) = off, else how many milliseconds it polls idle before
	 * it sleeps.  Submissions then need no system call.
	 */
	QRPC_OPT_SQPOLL,
	/* The CPU the SQ polling thread runs on; QRPC_CPU_ANY (default) = any. */
	QRPC_OPT_SQPOLL_CPU,
	/*
	 * How a thread waits for a plain call's reply: QRPC_SPIN_ADAPTIVE
	 * (default) polls its completion ring for as long as replies have
	 * lately taken to come, then sleeps; 0 sleeps at once (no CPU spent
	 * waiting); N polls for up to N microseconds (at most
	 * QRPC_SPIN_MAX_US) before it sleeps.
	 */
	QRPC_OPT_SPIN,
};

#define QRPC_CPU_ANY		UINT64_MAX
#define QRPC_SPIN_ADAPTIVE	UINT64_MAX
#define QRPC_SPIN_MAX_US	10000000U	/* 10 s */

enum qrpc_delivery {
	QRPC_DELIVERY_EXPRESS = 0,	/* kept in memory (default) */
	QRPC_DELIVERY_RECOVERABLE = 1,	/* [message]: journalled to disk first (qrpc_binding_set_journal()) */
};

enum qrpc_journal {
	QRPC_JOURNAL_NONE = 0,		/* an expired message is discarded (default) */
	QRPC_JOURNAL_DEADLETTER = 1,	/* it goes to the port's dead-letter queue */
};

/*
 * qrpc_binding_set_option() - set a binding option; it sticks to the
 * binding and applies to the calls made after.
 *
 * Returns 0, or -EINVAL for an unknown option or a value out of range.
 * QRPC_OPT_ACKNOWLEDGE is accepted with either value: a [message] call
 * always returns once the module has stored the message (a local,
 * immediate step), so its errors always reach the sender.
 */
int qrpc_binding_set_option(struct qrpc_binding *b, enum qrpc_option option,
			    uint64_t value);

/* qrpc_binding_inq_option() - read an option; 0 or -EINVAL. */
int qrpc_binding_inq_option(const struct qrpc_binding *b,
			    enum qrpc_option option, uint64_t *value);

/*
 * qrpc_binding_set_journal() - journal for recoverable delivery.
 * @path: a file (created if missing, grown to 1 MiB) or a block device
 *
 * With QRPC_OPT_DELIVERY set to QRPC_DELIVERY_RECOVERABLE, a [message] is
 * written to the journal and flushed to disk before it is sent, and kept
 * there as pending until the module reports it received (or failed for
 * good: expired, dead-lettered, port gone).  After a crash, the program
 * calls qrpc_journal_replay() to send again what is still pending:
 * delivery is at least once.  Returns 0, -EINVAL (a journal is set
 * already), -ENOMEM, or the error of opening @path.
 */
int qrpc_binding_set_journal(struct qrpc_binding *b, const char *path);

/*
 * qrpc_journal_replay() - send again every message the journal holds as
 * pending, with the priority and time to be received it was first sent
 * with.  Call it once, when the program starts, before sending.  Returns
 * how many were sent, or a negative errno (-EINVAL: no journal; the error
 * of a send, which stops the replay).
 */
int qrpc_journal_replay(struct qrpc_binding *b);

/*
 * Calls.  The functions below copy the request into the connection's
 * request area and the reply out of its reply area; generated stubs
 * marshal in place instead.  Each returns 0 on success, a negative errno
 * when the call could not be made or completed (-ENOENT: no such port,
 * -ENOTCONN: no server serves the interface, -ENOBUFS: queue full,
 * -EDQUOT: the user's queued bytes are at their quota, -EMSGSIZE: a
 * request or reply room above 2 MiB, the size of a connection's areas, or
 * above the port's limit, -EBUSY: the thread's calls in flight hold all
 * of the area, -ETIMEDOUT, -EPIPE: the server died), or a positive RPC
 * status: the fault code a server aborted the call with.
 */

/*
 * qrpc_call() - make a plain call and wait for its reply.
 * @reply: where the reply is copied, @reply_cap bytes at most
 * @reply_len: the reply's length (may be NULL)
 *
 * The calling thread spins briefly on its completion ring before it
 * sleeps, so a fast server's reply is seen without a wake-up.
 */
int qrpc_call(struct qrpc_binding *b, const struct qrpc_if_id *iface,
	      uint32_t opnum, const void *req, size_t req_len, void *reply,
	      size_t reply_cap, size_t *reply_len);

/*
 * In-place calls: no copy of the request or the reply on the client side.
 * qrpc_call_prepare() takes a slot and room in the connection's areas and
 * says where to write the request; qrpc_call_inplace() makes the call and
 * says where the reply is; qrpc_call_release() gives the room back.  All
 * three run on the same thread (the connection is the thread's), and the
 * thread can hold up to 64 calls so at once.  The fields before priv are
 * the caller's to read; the rest is the library's.
 */
struct qrpc_call_buf {
	void		*req;		/* write the request here: req_len bytes */
	size_t		req_len;
	const void	*reply;		/* after qrpc_call_inplace(): the reply */
	size_t		reply_len;
	void		*priv;
	unsigned int	slot;
	int		state;
};

/*
 * qrpc_call_prepare() - get room for a plain call's request (@req_len
 * bytes, at @cb->req) and reply (up to @reply_cap bytes).  Returns 0, or
 * -EINVAL, -EMSGSIZE (above 2 MiB), -EBUSY (the thread's calls in flight
 * or held hold all of the areas), -ENOENT (no such port) or another
 * negative errno from making the connection.
 */
int qrpc_call_prepare(struct qrpc_binding *b, size_t req_len,
		      size_t reply_cap, struct qrpc_call_buf *cb);

/*
 * qrpc_call_inplace() - make the call prepared in @cb and wait for its
 * reply, which is then at @cb->reply, @cb->reply_len bytes, read-only,
 * until qrpc_call_release().  Returns as qrpc_call() does; -EINVAL if @cb
 * is not prepared, or was prepared on another thread.  A call is made
 * once: prepare again for the next.
 */
int qrpc_call_inplace(struct qrpc_call_buf *cb, const struct qrpc_if_id *iface,
		      uint32_t opnum);

/*
 * qrpc_call_release() - give back what @cb holds, whether or not the call
 * was made (or succeeded).  @cb may then be prepared again.
 */
void qrpc_call_release(struct qrpc_call_buf *cb);

/*
 * qrpc_call_maybe() - send a [maybe] call: no reply, no delivery
 * guarantee.  Returns 0 even when it is dropped (no server listens, or
 * the queue is full; the port counts it), or a negative errno for a call
 * that could not be made at all (bad binding, request too large).
 */
int qrpc_call_maybe(struct qrpc_binding *b, const struct qrpc_if_id *iface,
		    uint32_t opnum, const void *req, size_t req_len);

/*
 * qrpc_call_message() - send a [message] call: stored until a server that
 * registered @iface takes it, even if none runs now.  Returns once it is
 * stored: 0, or a negative errno (-ENOBUFS: queue full, and no time to
 * reach the queue set; -ETIMEDOUT: no room came within it).  With
 * recoverable delivery the message is on disk first (-EINVAL: no journal
 * set; -ENOSPC: 256 recoverable messages pending; -EMSGSIZE: above 4024
 * bytes).
 */
int qrpc_call_message(struct qrpc_binding *b, const struct qrpc_if_id *iface,
		      uint32_t opnum, const void *req, size_t req_len);

/*
 * [async] calls.
 *
 * qrpc_async_call() starts a plain call and returns at once with a handle.
 * The caller then learns the outcome by polling qrpc_async_status(), from
 * an eventfd it can put in its own epoll or io_uring set, or from a
 * callback; and collects it with qrpc_async_complete().  The calls of one
 * binding share one connection and a runtime thread that receives their
 * completions.
 */
struct qrpc_async;

/* What qrpc_async_status() returns. */
enum qrpc_async_state {
	QRPC_ASYNC_PENDING = 1,		/* not finished yet */
	QRPC_ASYNC_DONE,		/* the reply is there */
	QRPC_ASYNC_FAILED,		/* failed: qrpc_async_complete() says why */
	QRPC_ASYNC_CANCELLED,		/* cancelled */
};

/* How a handle announces that it is no longer pending. */
enum qrpc_notify_type {
	QRPC_NOTIFY_NONE = 0,		/* poll qrpc_async_status() */
	QRPC_NOTIFY_EVENTFD,		/* add 1 to an eventfd */
	QRPC_NOTIFY_CALLBACK,		/* call a function on the runtime thread */
};

struct qrpc_async_notify {
	enum qrpc_notify_type	type;
	int			eventfd;
	void			(*callback)(struct qrpc_async *a, void *arg);
	void			*arg;
};

/*
 * qrpc_async_call() - start a plain call.
 * @reply_cap: room for the reply
 * @how: how to announce the end (NULL: poll)
 * @out: the handle, to be completed with qrpc_async_complete()
 *
 * Returns 0, or a negative errno if the call could not be started
 * (-EINVAL, -ENOENT no such port, -EMSGSIZE, -EBUSY too many calls in
 * flight on the binding (64)).  Whether the server could be reached is
 * learnt from the handle.
 */
int qrpc_async_call(struct qrpc_binding *b, const struct qrpc_if_id *iface,
		    uint32_t opnum, const void *req, size_t req_len,
		    size_t reply_cap, const struct qrpc_async_notify *how,
		    struct qrpc_async **out);

/* qrpc_async_status() - an enum qrpc_async_state; never blocks. */
int qrpc_async_status(const struct qrpc_async *a);

/*
 * qrpc_async_complete() - collect the outcome and free the handle.
 *
 * Returns -EINPROGRESS while the call is pending (the handle stays valid);
 * otherwise the outcome, after which the handle is gone: 0 (the reply is
 * in @reply, its length in @reply_len), -ECANCELED, a positive fault code
 * from the server, -EMSGSIZE (the reply does not fit @reply_cap), or the
 * negative errno the call failed with (-ENOTCONN, -EPIPE, -ETIMEDOUT...).
 */
int qrpc_async_complete(struct qrpc_async *a, void *reply, size_t reply_cap,
			size_t *reply_len);

/*
 * qrpc_async_cancel() - cancel a pending call.
 * @abortive: non-zero: the call ends now as cancelled, whatever the server
 *            does; zero: the server is told (qrpc_ctx_test_cancel()) and
 *            the call ends when it answers
 *
 * Either way the handle must still be completed.  Returns 0, -EALREADY
 * if the call had already ended, or -EAGAIN if a cooperative cancel found
 * the call not yet in the module for a second (without io_uring, where a
 * thread makes the call, it may start late).
 */
int qrpc_async_cancel(struct qrpc_async *a, int abortive);

/* One call of a batch. */
struct qrpc_req {
	const void	*data;
	size_t		len;
	uint32_t	opnum;
};

/*
 * qrpc_call_batch() - send @n one-way calls of @kind (QRPC_KIND_MAYBE or
 * QRPC_KIND_MESSAGE) with as few submissions as possible: up to 64 slots
 * are filled and submitted to the module at once.
 * @results: if not NULL, each call's result, as qrpc_call_maybe() or
 *           qrpc_call_message() would have returned it
 *
 * Returns how many calls were stored (for [maybe]: sent, dropped or not),
 * or a negative errno when none could be made (-EINVAL, -ENOENT no such
 * port, -EBUSY: every slot of the thread's connection (64) still holds a
 * message no server has taken, and none came back within a second; the
 * batch waits that long for them).  With recoverable delivery the messages
 * go one by one, each journalled first.
 */
int qrpc_call_batch(struct qrpc_binding *b, unsigned int kind,
		    const struct qrpc_if_id *iface, const struct qrpc_req *reqs,
		    unsigned int n, int *results);

/*
 * Servers.
 */
struct qrpc_server;
struct qrpc_call_ctx;

/*
 * A handler: runs on a server worker thread for each call of its opnum.
 * It reads the request (qrpc_ctx_request()), writes the reply in place
 * (qrpc_ctx_reply_buf()), and returns 0 to send the reply, a positive
 * fault code to abort the call with it, or QRPC_PENDING to finish the call
 * later, from any thread, with qrpc_ctx_complete().
 */
typedef int (*qrpc_handler_fn)(struct qrpc_call_ctx *ctx, void *arg);

#define QRPC_PENDING	(-1)

/* An interface a server serves: its id and its operations by opnum. */
struct qrpc_dispatch {
	struct qrpc_if_id	iface;
	unsigned int		nops;
	const qrpc_handler_fn	*ops;	/* ops[opnum]; NULL = no such op */
	void			*arg;	/* passed to every handler */
};

/* qrpc_server_create() flags. */
#define QRPC_SERVER_TEMPORARY	(1U << 0)	/* the port goes with the server */

/*
 * qrpc_server_create() - open port @name as a server, creating it (with
 * @mode) if it does not exist.
 *
 * Returns 0, or -EACCES (no permission to serve it), -EINVAL (bad name,
 * mode or flags), -ENOENT (the module is not loaded), -ENOMEM.
 */
int qrpc_server_create(const char *name, unsigned int mode,
		       unsigned int flags, struct qrpc_server **out);

/*
 * qrpc_server_register() - serve an interface.  Calls for it are dispatched
 * once qrpc_server_listen() runs; [message]s that waited for it are
 * delivered then.  Register before listening.  Returns 0, -EINVAL (bad
 * dispatch table), -EEXIST (the interface is registered already), -ENOSPC
 * (the server serves the most interfaces it can, 16) or -EBUSY (the server
 * is listening already).
 */
int qrpc_server_register(struct qrpc_server *srv,
			 const struct qrpc_dispatch *dispatch);

/*
 * qrpc_server_listen() - start @nthreads worker threads, each with its own
 * ring of parked FETCH commands, and return.  Returns 0, -EBUSY if
 * already listening, -EINVAL (@nthreads 0 or above 256), -ENOMEM, or the
 * error of attaching a worker.
 */
int qrpc_server_listen(struct qrpc_server *srv, unsigned int nthreads);

/*
 * qrpc_server_set_spin() - let each worker poll its completion ring for up
 * to @usec microseconds (at most QRPC_SPIN_MAX_US) for the next call after
 * it answered one, before it sleeps: calls that follow each other closely
 * then need no wake-up, at the price of a busy CPU.  0 (the default)
 * sleeps at once.  Set it before qrpc_server_listen().  Returns 0, -EINVAL
 * (@usec too large) or -EBUSY (already listening).
 */
int qrpc_server_set_spin(struct qrpc_server *srv, unsigned int usec);

/*
 * qrpc_server_stop() - stop listening: the workers finish the calls they
 * run and exit; calls still queued wait for the next server.  Returns 0.
 */
int qrpc_server_stop(struct qrpc_server *srv);

/* qrpc_server_free() - stop if needed and free the server. */
void qrpc_server_free(struct qrpc_server *srv);

/* The request of the call, in place (read-only, untrusted bytes). */
const void *qrpc_ctx_request(const struct qrpc_call_ctx *ctx, size_t *len);

/* Where the reply goes, in place, and how much room there is. */
void *qrpc_ctx_reply_buf(struct qrpc_call_ctx *ctx, size_t *cap);

/* Set the reply's length (0 by default); -EINVAL if beyond the room. */
int qrpc_ctx_set_reply_len(struct qrpc_call_ctx *ctx, size_t len);

/* The operation (opnum) and the kind (QRPC_KIND_*) of the call. */
uint32_t qrpc_ctx_opnum(const struct qrpc_call_ctx *ctx);
int qrpc_ctx_kind(const struct qrpc_call_ctx *ctx);

/* The caller's pid, uid and gid, stamped by the kernel. */
void qrpc_ctx_caller(const struct qrpc_call_ctx *ctx, pid_t *pid, uid_t *uid,
		     gid_t *gid);

/*
 * qrpc_ctx_test_cancel() - whether the caller has cancelled the call
 * (RpcServerTestCancel): 1 if cancelled, 0 if not.
 */
int qrpc_ctx_test_cancel(const struct qrpc_call_ctx *ctx);

/*
 * qrpc_ctx_complete() - finish a call whose handler returned QRPC_PENDING,
 * from any thread: @fault 0 sends the reply (its length set with
 * qrpc_ctx_set_reply_len()), a positive @fault aborts the call with it.
 * @ctx belongs to the worker again and must not be used after.  Returns 0,
 * or the module's error.
 */
int qrpc_ctx_complete(struct qrpc_call_ctx *ctx, uint32_t fault);

#ifdef __cplusplus
}
#endif

#endif /* QRPC_H */
