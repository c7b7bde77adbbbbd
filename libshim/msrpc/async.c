// SPDX-License-Identifier: MIT
/*
 * [async] calls: RpcAsyncInitializeHandle, RpcAsyncGetCallStatus,
 * RpcAsyncCompleteCall, RpcAsyncCancelCall and RpcAsyncAbortCall, on
 * both sides, over libqrpc's asynchronous calls (client) and pending
 * handlers (server).
 *
 * RPC_ASYNC_STATE.RuntimeInfo holds the run time's side of the call: a
 * struct client_async (a libqrpc handle, and what the stub needs to
 * decode the reply into the call's [out] parameters when the program
 * completes it) or, on the server, the heap msrpc_call of the pending
 * call (which RpcServerTestCancel takes) with the stub's encoder of the
 * reply.  Each is freed when the call is completed or aborted, once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* "ASYC", as Windows and Wine sign an initialized handle. */
#define ASYNC_SIGNATURE		0x43595341u
#define CLIENT_ASYNC_MAGIC	0x61796e63u	/* "cnya" */
/* Room for an [async] call's reply; calls of a binding share 2 MiB. */
#define ASYNC_REPLY_CAP		(64u << 10)

struct client_async {
	uint32_t magic;
	struct qrpc_async *qa;
	PRPC_ASYNC_STATE state;
	QRPC_ASYNC_DECODE_FN *decode;
	void *outs;			/* a copy of the stub's, or NULL */
};

RPC_STATUS RPC_ENTRY RpcAsyncInitializeHandle(PRPC_ASYNC_STATE pAsync,
					      unsigned int Size)
{
	if (!pAsync)
		return RPC_S_INVALID_ASYNC_HANDLE;
	if (Size != sizeof(RPC_ASYNC_STATE))
		return RPC_S_INVALID_ARG;
	/* UserInfo and the notification fields are the program's. */
	pAsync->Size = sizeof(RPC_ASYNC_STATE);
	pAsync->Signature = ASYNC_SIGNATURE;
	pAsync->Lock = 0;
	pAsync->Flags = 0;
	pAsync->StubInfo = NULL;
	pAsync->RuntimeInfo = NULL;
	pAsync->Event = RpcCallComplete;
	memset(pAsync->Reserved, 0, sizeof(pAsync->Reserved));
	return RPC_S_OK;
}

static bool valid_state(const RPC_ASYNC_STATE *p)
{
	return p && p->Size == sizeof(*p) && p->Signature == ASYNC_SIGNATURE;
}

static struct client_async *client_get(PRPC_ASYNC_STATE p)
{
	struct client_async *c = valid_state(p) ? p->RuntimeInfo : NULL;

	return c && c->magic == CLIENT_ASYNC_MAGIC ? c : NULL;
}

/* How the program asked to be told; the runtime thread runs this. */
static void announce(struct qrpc_async *qa, void *arg)
{
	PRPC_ASYNC_STATE p = arg;

	(void)qa;
	p->Event = RpcCallComplete;
	switch (p->NotificationType) {
	case RpcNotificationTypeCallback:
		p->u.NotificationRoutine(p, NULL, RpcCallComplete);
		break;
	case RpcNotificationTypeIoc: {
		QRPC_IOC_COMPLETION rec = {
			.CompletionKey = p->u.IOC.dwCompletionKey,
			.Overlapped = p->u.IOC.lpOverlapped,
			.Async = p,
		};
		ssize_t n;

		/* Smaller than PIPE_BUF: one record, whole, per write. */
		do
			n = write((int)(intptr_t)p->u.IOC.hIOPort, &rec,
				  sizeof(rec));
		while (n < 0 && errno == EINTR);
		break;
	}
	default:
		break;
	}
}

RPC_STATUS RPC_ENTRY QrpcAsyncClientCall(PRPC_MESSAGE Message,
					 PRPC_ASYNC_STATE pAsync,
					 QRPC_ASYNC_DECODE_FN *Decode,
					 const void *Outs, size_t OutsSize)
{
	const RPC_CLIENT_INTERFACE *ci;
	struct qrpc_async_notify how = { .type = QRPC_NOTIFY_NONE };
	struct msrpc_binding *b;
	struct client_async *c;
	struct qrpc_binding *qb;
	struct qrpc_if_id id;
	RPC_STATUS st;
	int ret;

	if (!valid_state(pAsync))
		return RPC_S_INVALID_ASYNC_HANDLE;
	if (!Message || !Decode)
		return RPC_S_INVALID_ARG;
	b = msrpc_binding_get(Message->Handle);
	ci = Message->RpcInterfaceInformation;
	if (!b)
		return RPC_S_INVALID_BINDING;
	if (!ci || ci->Length != sizeof(*ci))
		return RPC_S_UNKNOWN_IF;
	switch (pAsync->NotificationType) {
	case RpcNotificationTypeNone:
		break;
	case RpcNotificationTypeEvent:
		/* The event is an eventfd: see RpcAsyncInitializeHandle(3). */
		how.type = QRPC_NOTIFY_EVENTFD;
		how.eventfd = (int)(intptr_t)pAsync->u.hEvent;
		break;
	case RpcNotificationTypeCallback:
		if (!pAsync->u.NotificationRoutine)
			return RPC_S_INVALID_ARG;
		how.type = QRPC_NOTIFY_CALLBACK;
		break;
	case RpcNotificationTypeIoc:
		how.type = QRPC_NOTIFY_CALLBACK;
		break;
	default:
		return RPC_S_CANNOT_SUPPORT;	/* APCs and windows */
	}
	if (how.type == QRPC_NOTIFY_CALLBACK) {
		how.callback = announce;
		how.arg = pAsync;
	}
	qb = msrpc_binding_port(b, ci->RpcProtseqEndpoint,
				ci->RpcProtseqEndpointCount, &st);
	if (!qb)
		return st;
	c = calloc(1, sizeof(*c));
	if (!c)
		return RPC_S_OUT_OF_MEMORY;
	if (OutsSize) {
		c->outs = malloc(OutsSize);
		if (!c->outs) {
			free(c);
			return RPC_S_OUT_OF_MEMORY;
		}
		memcpy(c->outs, Outs, OutsSize);
	}
	c->magic = CLIENT_ASYNC_MAGIC;
	c->state = pAsync;
	c->decode = Decode;
	msrpc_if_id(&ci->InterfaceId, &id);
	/* Published before the call can complete and announce itself. */
	pAsync->RuntimeInfo = c;
	ret = qrpc_async_call(qb, &id, Message->ProcNum, Message->Buffer,
			      Message->BufferLength, ASYNC_REPLY_CAP, &how,
			      &c->qa);
	if (ret) {
		pAsync->RuntimeInfo = NULL;
		free(c->outs);
		free(c);
		return msrpc_status(ret);
	}
	return RPC_S_OK;
}

static void client_end(struct client_async *c)
{
	c->state->RuntimeInfo = NULL;
	c->magic = 0;
	free(c->outs);
	free(c);
}

static RPC_STATUS client_complete(struct client_async *c, void *Reply)
{
	size_t len = 0;
	void *buf = malloc(ASYNC_REPLY_CAP);
	RPC_STATUS st;
	int ret;

	if (!buf)
		return RPC_S_OUT_OF_MEMORY;	/* the call stays: try again */
	ret = qrpc_async_complete(c->qa, buf, ASYNC_REPLY_CAP, &len);
	if (ret == -EINPROGRESS) {
		free(buf);
		return RPC_S_ASYNC_CALL_PENDING;
	}
	st = ret ? msrpc_status(ret) : c->decode(buf, len, c->outs, Reply);
	free(buf);
	client_end(c);
	return st;
}

/* Server side: the pending call behind an RPC_ASYNC_STATE. */
static struct msrpc_call *server_get(PRPC_ASYNC_STATE p)
{
	struct msrpc_call *c = valid_state(p) ? p->RuntimeInfo : NULL;

	return c && c->magic == MSRPC_CALL_MAGIC && c->async == p ? c : NULL;
}

/*
 * Finish the pending call @c with what the stub encodes, or with @fault.
 * The stub's block (holding the RPC_ASYNC_STATE) is released first; then
 * the result goes to the worker, if the stub has not returned yet (it
 * reports it as the call's), or to the module.
 */
static RPC_STATUS server_finish(struct msrpc_call *c, void *Reply,
				uint32_t fault)
{
	PRPC_ASYNC_STATE p = c->async;
	RPC_STATUS st = RPC_S_OK;
	int expected = ASYNC_RUNNING;

	if (__atomic_exchange_n(&c->finishing, true, __ATOMIC_ACQ_REL))
		return RPC_S_INVALID_ASYNC_CALL;	/* completed twice */
	if (!fault) {
		size_t cap, len = 0;
		void *buf = qrpc_ctx_reply_buf(c->ctx, &cap);

		st = c->encode(buf, cap, &len, p->StubInfo, Reply);
		if (st == RPC_S_OK)
			qrpc_ctx_set_reply_len(c->ctx, len);
		else
			fault = (uint32_t)st;
	}
	p->RuntimeInfo = NULL;
	if (c->release)
		c->release(p);
	c->fault = fault;
	if (__atomic_compare_exchange_n(&c->astate, &expected, ASYNC_DONE,
					false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return st;		/* the worker reports it */
	c->magic = 0;
	qrpc_ctx_complete(c->ctx, fault);
	free(c);
	msrpc_async_pending(-1);	/* its worker may go now */
	return st;
}

int msrpc_async_dispatch_end(struct msrpc_call *c)
{
	int expected = ASYNC_RUNNING, ret;

	/* Counted first, so that a stop never misses it. */
	msrpc_async_pending(1);
	if (__atomic_compare_exchange_n(&c->astate, &expected, ASYNC_PENDING,
					false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return QRPC_PENDING;
	msrpc_async_pending(-1);
	ret = (int)c->fault;
	c->magic = 0;
	free(c);
	return ret;
}

RPC_STATUS msrpc_async_server_abort(struct msrpc_call *c, RPC_STATUS code)
{
	return server_finish(c, NULL, code > 0 ? (uint32_t)code :
				      RPC_S_CALL_FAILED);
}

RPC_STATUS RPC_ENTRY QrpcAsyncServerBegin(PRPC_MESSAGE Message,
					  PRPC_ASYNC_STATE pAsync,
					  QRPC_ASYNC_ENCODE_FN *Encode,
					  void (*Release)(PRPC_ASYNC_STATE))
{
	struct msrpc_call *call = Message && Message->Handle ?
				  msrpc_call_get(Message->Handle) : NULL;
	struct msrpc_call *c;

	if (!call || !pAsync || !Encode)
		return RPC_S_INVALID_ARG;
	c = calloc(1, sizeof(*c));
	if (!c)
		return RPC_S_OUT_OF_MEMORY;
	RpcAsyncInitializeHandle(pAsync, sizeof(*pAsync));
	c->magic = MSRPC_CALL_MAGIC;
	c->ctx = call->ctx;
	c->astate = ASYNC_RUNNING;
	c->async = pAsync;
	c->encode = Encode;
	c->release = Release;
	pAsync->RuntimeInfo = c;
	/* The worker leaves the call pending; the manager finishes it. */
	call->pending = c;
	return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY RpcAsyncGetCallStatus(PRPC_ASYNC_STATE pAsync)
{
	struct client_async *c = client_get(pAsync);

	if (!c)
		return RPC_S_INVALID_ASYNC_HANDLE;
	switch (qrpc_async_status(c->qa)) {
	case QRPC_ASYNC_PENDING:
		return RPC_S_ASYNC_CALL_PENDING;
	case QRPC_ASYNC_DONE:
		return RPC_S_OK;
	case QRPC_ASYNC_CANCELLED:
		return RPC_S_CALL_CANCELLED;
	default:
		return RPC_S_CALL_FAILED;	/* RpcAsyncCompleteCall says why */
	}
}

RPC_STATUS RPC_ENTRY RpcAsyncCompleteCall(PRPC_ASYNC_STATE pAsync,
					  void *Reply)
{
	struct client_async *cc = client_get(pAsync);
	struct msrpc_call *sc;

	if (cc)
		return client_complete(cc, Reply);
	sc = server_get(pAsync);
	if (!sc)
		return RPC_S_INVALID_ASYNC_HANDLE;
	return server_finish(sc, Reply, 0);
}

RPC_STATUS RPC_ENTRY RpcAsyncAbortCall(PRPC_ASYNC_STATE pAsync,
				       unsigned long ExceptionCode)
{
	struct msrpc_call *sc = server_get(pAsync);

	if (!sc)
		return RPC_S_INVALID_ASYNC_HANDLE;
	if (!ExceptionCode || ExceptionCode > INT32_MAX)
		return RPC_S_INVALID_ARG;
	return server_finish(sc, NULL, (uint32_t)ExceptionCode);
}

RPC_STATUS RPC_ENTRY RpcAsyncCancelCall(PRPC_ASYNC_STATE pAsync,
					BOOL fAbortCall)
{
	struct client_async *c = client_get(pAsync);
	int ret;

	if (!c)
		return RPC_S_INVALID_ASYNC_HANDLE;
	ret = qrpc_async_cancel(c->qa, fAbortCall);
	/* A call that ended already is no error: completing it tells how. */
	return ret == -EALREADY ? RPC_S_OK : msrpc_status(ret);
}
