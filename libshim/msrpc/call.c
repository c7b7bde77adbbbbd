// SPDX-License-Identifier: MIT
/*
 * The client side of a stub's call: I_RpcGetBuffer, I_RpcSendReceive and
 * I_RpcFreeBuffer on libqrpc's calls.  A plain call is in place: the stub
 * writes its request straight into the connection's request area
 * (qrpc_call_prepare()) and reads the reply where the server wrote it
 * (qrpc_call_inplace()).  A [maybe] or [message] call has no reply and
 * may be stored for later: its request is built in memory of its own
 * and copied once, by the module, into the port's queue.
 *
 * What the stub holds between the three is a struct client_call, behind
 * RPC_MESSAGE.ReservedForRuntime.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Room for a plain call's reply: half a connection's 2 MiB area. */
#define REPLY_CAP	(1u << 20)
#define CLIENT_CALL_MAGIC	0x6c6e6963u	/* "icnl" */

struct client_call {
	uint32_t magic;
	struct qrpc_binding *qb;
	struct qrpc_if_id id;
	unsigned int kind;		/* QRPC_KIND_* */
	struct qrpc_call_buf cb;	/* a plain call's room */
	bool prepared;
	void *oneway;			/* a one-way call's request */
};

void msrpc_if_id(const RPC_SYNTAX_IDENTIFIER *s, struct qrpc_if_id *id)
{
	const GUID *g = &s->SyntaxGUID;

	/* The UUID's bytes in the order its string form writes them. */
	memset(id, 0, sizeof(*id));
	id->uuid[0] = (uint8_t)(g->Data1 >> 24);
	id->uuid[1] = (uint8_t)(g->Data1 >> 16);
	id->uuid[2] = (uint8_t)(g->Data1 >> 8);
	id->uuid[3] = (uint8_t)g->Data1;
	id->uuid[4] = (uint8_t)(g->Data2 >> 8);
	id->uuid[5] = (uint8_t)g->Data2;
	id->uuid[6] = (uint8_t)(g->Data3 >> 8);
	id->uuid[7] = (uint8_t)g->Data3;
	memcpy(id->uuid + 8, g->Data4, 8);
	id->major = s->SyntaxVersion.MajorVersion;
	id->minor = s->SyntaxVersion.MinorVersion;
}

RPC_STATUS msrpc_status(int ret)
{
	if (ret > 0)
		return ret;		/* the server's fault code */
	switch (ret) {
	case 0:
		return RPC_S_OK;
	case -ENOENT:			/* no such port */
	case -ENOTCONN:			/* no server serves the interface */
		return RPC_S_SERVER_UNAVAILABLE;
	case -ENOBUFS:			/* the queue is full */
	case -EDQUOT:
		return RPC_S_SERVER_TOO_BUSY;
	case -ETIMEDOUT:		/* RPC_C_OPT_CALL_TIMEOUT ran out */
	case -ECANCELED:
		return RPC_S_CALL_CANCELLED;
	case -EPIPE:			/* the server died in the call */
		return RPC_S_CALL_FAILED;
	case -ENOMEM:
		return RPC_S_OUT_OF_MEMORY;
	case -EMSGSIZE:
	case -EBUSY:
	case -ENOSPC:
		return RPC_S_OUT_OF_RESOURCES;
	case -EACCES:
	case -EPERM:
		return RPC_S_ACCESS_DENIED;
	case -EINVAL:
		return RPC_S_INVALID_ARG;
	default:
		return RPC_S_CALL_FAILED;
	}
}

static struct client_call *client_get(PRPC_MESSAGE m)
{
	struct client_call *c = m ? m->ReservedForRuntime : NULL;

	return c && c->magic == CLIENT_CALL_MAGIC ? c : NULL;
}

static RPC_STATUS client_get_buffer(PRPC_MESSAGE m, struct msrpc_binding *b)
{
	const RPC_CLIENT_INTERFACE *ci = m->RpcInterfaceInformation;
	struct client_call *c;
	RPC_STATUS st;
	int ret;

	if (!ci || ci->Length != sizeof(*ci))
		return RPC_S_UNKNOWN_IF;
	c = calloc(1, sizeof(*c));
	if (!c)
		return RPC_S_OUT_OF_MEMORY;
	c->magic = CLIENT_CALL_MAGIC;
	c->qb = msrpc_binding_port(b, ci->RpcProtseqEndpoint,
				   ci->RpcProtseqEndpointCount, &st);
	if (!c->qb) {
		free(c);
		return st;
	}
	msrpc_if_id(&ci->InterfaceId, &c->id);
	c->kind = m->RpcFlags & RPCFLG_MESSAGE ? QRPC_KIND_MESSAGE :
		  m->RpcFlags & RPC_NCA_FLAGS_MAYBE ? QRPC_KIND_MAYBE :
		  QRPC_KIND_CALL;
	/* An [async] request is copied when the call starts. */
	if (c->kind == QRPC_KIND_CALL && !(m->RpcFlags & RPC_BUFFER_ASYNC)) {
		ret = qrpc_call_prepare(c->qb, m->BufferLength, REPLY_CAP,
					&c->cb);
		if (ret) {
			free(c);
			return msrpc_status(ret);
		}
		c->prepared = true;
		m->Buffer = c->cb.req;
	} else {
		c->oneway = malloc(m->BufferLength ? m->BufferLength : 1);
		if (!c->oneway) {
			free(c);
			return RPC_S_OUT_OF_MEMORY;
		}
		m->Buffer = c->oneway;
	}
	m->ReservedForRuntime = c;
	return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY I_RpcGetBuffer(PRPC_MESSAGE Message)
{
	struct msrpc_binding *b;

	if (!Message)
		return RPC_S_INVALID_ARG;
	b = msrpc_binding_get(Message->Handle);
	return b ? client_get_buffer(Message, b) :
		   msrpc_server_get_buffer(Message);
}

RPC_STATUS RPC_ENTRY I_RpcSendReceive(PRPC_MESSAGE Message)
{
	struct client_call *c = client_get(Message);
	int ret;

	if (!c)
		return RPC_S_INVALID_BINDING;
	switch (c->kind) {
	case QRPC_KIND_MAYBE:
		return msrpc_status(qrpc_call_maybe(c->qb, &c->id,
						    Message->ProcNum,
						    c->oneway,
						    Message->BufferLength));
	case QRPC_KIND_MESSAGE:
		return msrpc_status(qrpc_call_message(c->qb, &c->id,
						      Message->ProcNum,
						      c->oneway,
						      Message->BufferLength));
	default:
		break;
	}
	/* The request is the BufferLength I_RpcGetBuffer() was given. */
	ret = qrpc_call_inplace(&c->cb, &c->id, Message->ProcNum);
	if (ret)
		return msrpc_status(ret);
	Message->Buffer = (void *)c->cb.reply;
	Message->BufferLength = (unsigned int)c->cb.reply_len;
	return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY I_RpcFreeBuffer(PRPC_MESSAGE Message)
{
	struct client_call *c = client_get(Message);

	if (!c)
		return RPC_S_OK;
	if (c->prepared)
		qrpc_call_release(&c->cb);
	free(c->oneway);
	c->magic = 0;
	free(c);
	Message->ReservedForRuntime = NULL;
	Message->Buffer = NULL;
	return RPC_S_OK;
}
