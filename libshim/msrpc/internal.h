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
