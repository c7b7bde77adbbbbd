/* SPDX-License-Identifier: MIT */
/*
 * <rpcndr.h> on Linux, from qrpc-msrpc: the NDR names MIDL-written
 * headers use (MIDL's base types, the user allocator, the stub
 * message), with Windows' sizes.
 */
#ifndef QRPC_MSRPC_RPCNDR_H
#define QRPC_MSRPC_RPCNDR_H

/* What MIDL-written headers check: the version this set stands for. */
#ifndef __RPCNDR_H_VERSION__
#define __RPCNDR_H_VERSION__ 500
#endif

#include <rpc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MIDL's base types: small and byte 8 bits, hyper 64. */
typedef unsigned char byte;
typedef unsigned char boolean;
#define small char
typedef INT64 hyper;
typedef UINT64 MIDL_uhyper;
typedef UINT32 error_status_t;

typedef struct _RPC_MESSAGE *PRPC_MESSAGE;

/* Supplied by the program, as MIDL requires: the stubs' allocator. */
void *__RPC_USER midl_user_allocate(size_t size);
void __RPC_USER midl_user_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
