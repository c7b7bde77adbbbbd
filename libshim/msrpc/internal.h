/* SPDX-License-Identifier: MIT */
/*
 * What the files of libqrpc-msrpc share: the binding handle behind an
 * RPC_BINDING_HANDLE, and UTF-16 strings (RPC_WSTR) converted to and from
 * UTF-8 (RPC_CSTR) so that each W function is its A twin.
 */
#ifndef QRPC_MSRPC_INTERNAL_H
#define QRPC_MSRPC_INTERNAL_H

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
	/* The port the endpoint names; NULL while it has none. */
	struct qrpc_binding *qb;
	/* Every RPC_C_OPT_* value as set (RpcBindingInqOption). */
	ULONG_PTR opt[RPC_C_OPT_MAX_OPTIONS];
};

/* The binding behind @h, or NULL if @h is not one (freed, or garbage). */
struct msrpc_binding *msrpc_binding_get(RPC_BINDING_HANDLE h);

/*
 * UTF-16 to a malloc'd UTF-8 string, NULL for NULL.  Returns RPC_S_OK,
 * RPC_S_OUT_OF_MEMORY, or @bad for a string that is not UTF-16 (a lone
 * surrogate).
 */
RPC_STATUS msrpc_utf16_to_8(const WCHAR *in, char **out, RPC_STATUS bad);

/* UTF-8 to a malloc'd UTF-16 string; as msrpc_utf16_to_8(). */
RPC_STATUS msrpc_utf8_to_16(const char *in, WCHAR **out, RPC_STATUS bad);

#endif
