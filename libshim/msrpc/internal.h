/* SPDX-License-Identifier: MIT */
/*
 * What the files of libqrpc-msrpc share: the binding handle behind an
 * RPC_BINDING_HANDLE, and UTF-16 strings (RPC_WSTR) converted to and from
 * UTF-8 (RPC_CSTR) so that each W function is its A twin.
 */
#ifndef QRPC_MSRPC_INTERNAL_H
#define QRPC_MSRPC_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rpc.h>

#include "qrpc.h"

/* "qrpc" in little-endian ASCII; cleared when the handle is freed. */
#define MSRPC_BINDING_MAGIC	0x63707271u

struct msrpc_binding {
	uint32_t magic;
	/* The string binding's parts, each malloc'd, "" when absent. */
	char *obj_uuid, *protseq, *net_addr, *endpoint, *options;
	/*
	 * The port the endpoint names; NULL while it has none (partially
	 * bound: the first call names it, from its interface, under lock).
	 */
	struct qrpc_binding *qb;
	pthread_mutex_t lock;
	/* Every RPC_C_OPT_* value as set (RpcBindingInqOption). */
	ULONG_PTR opt[RPC_C_OPT_MAX_OPTIONS];
};

/* The binding behind @h, or NULL if @h is not one (freed, or garbage). */
struct msrpc_binding *msrpc_binding_get(RPC_BINDING_HANDLE h);

/*
 * The libqrpc binding of @b, made from @endpoints (an interface's
 * endpoint attribute) if @b has no endpoint yet.  NULL with *st set when
 * neither names a port.
 */
struct qrpc_binding *msrpc_binding_port(struct msrpc_binding *b,
					const RPC_PROTSEQ_ENDPOINT *endpoints,
					unsigned int n, RPC_STATUS *st);

/*
 * A call a server runs: the server's handle to it (RPC_MESSAGE.Handle,
 * RpcServerTestCancel), on the worker's stack while the stub runs.  An
 * [async] call has a heap twin (pending) that outlives the dispatch,
 * behind RPC_ASYNC_STATE.RuntimeInfo, until the manager completes it.
 */
#define MSRPC_CALL_MAGIC	0x6c6c6163u	/* "call" */

enum {
	ASYNC_RUNNING = 1,	/* the stub (or its manager) still runs */
	ASYNC_PENDING,		/* the worker left it for the manager */
	ASYNC_DONE,		/* finished while the stub ran */
};

struct msrpc_call {
	uint32_t magic;
	struct qrpc_call_ctx *ctx;
	bool have_reply;
	struct msrpc_call *pending;	/* [async]: the heap twin */
	PRPC_ASYNC_STATE async;
	QRPC_ASYNC_ENCODE_FN *encode;
	void (*release)(PRPC_ASYNC_STATE);
	int astate;			/* ASYNC_* */
	bool finishing;
	uint32_t fault;			/* the result, if ASYNC_DONE */
};

/* The call @h is the server's handle to (NULL: this thread's), or NULL. */
struct msrpc_call *msrpc_call_get(RPC_BINDING_HANDLE h);

/* An [async] call's stub or manager raised @code: abort the call. */
RPC_STATUS msrpc_async_server_abort(struct msrpc_call *c, RPC_STATUS code);

/*
 * The stub of the [async] call @c returned: QRPC_PENDING if the manager
 * is still to complete it, else its result (0 or a fault; @c is freed).
 */
int msrpc_async_dispatch_end(struct msrpc_call *c);

/* Count an [async] call left to its manager (+1), or completed (-1). */
void msrpc_async_pending(int delta);

/* I_RpcGetBuffer() for a server stub; RPC_S_INVALID_BINDING if not. */
RPC_STATUS msrpc_server_get_buffer(PRPC_MESSAGE Message);

/* The interface id libqrpc matches calls by. */
void msrpc_if_id(const RPC_SYNTAX_IDENTIFIER *s, struct qrpc_if_id *id);

/* A libqrpc error (negative errno) or fault (positive) as RPC_STATUS. */
RPC_STATUS msrpc_status(int ret);

/*
 * RPC_S_OK for a protocol sequence that names a local port (ncalrpc,
 * ncadg_mq, qrpc), RPC_S_PROTSEQ_NOT_SUPPORTED for Windows' others,
 * RPC_S_INVALID_RPC_PROTSEQ for anything else.
 */
RPC_STATUS msrpc_check_protseq(const char *p);

/*
 * UTF-16 to a malloc'd UTF-8 string, NULL for NULL.  Returns RPC_S_OK,
 * RPC_S_OUT_OF_MEMORY, or @bad for a string that is not UTF-16 (a lone
 * surrogate).
 */
RPC_STATUS msrpc_utf16_to_8(const WCHAR *in, char **out, RPC_STATUS bad);

/* UTF-8 to a malloc'd UTF-16 string; as msrpc_utf16_to_8(). */
RPC_STATUS msrpc_utf8_to_16(const char *in, WCHAR **out, RPC_STATUS bad);

#endif
