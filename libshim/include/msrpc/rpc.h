/* SPDX-License-Identifier: MIT */
/*
 * <rpc.h> on Linux, from qrpc-msrpc (pkg-config --cflags qrpc-msrpc):
 * the types, calling-convention macros and status codes that Windows'
 * <rpc.h> gives a program and a MIDL-written header, with Windows' names,
 * values and sizes.  Windows is LLP64: LONG, ULONG and DWORD are 32 bits
 * here too, and WCHAR is 16.
 *
 * It holds what headers written by qrpc-idl -h need, so that an
 * interface using MIDL's own types compiles with no Windows headers, and
 * declares the run time libqrpc-msrpc implements: string bindings,
 * binding handles and servers (<rpcdce.h>), what stubs and the run time
 * exchange (<rpcdcep.h>), [async] calls (<rpcasync.h>), and RpcTryExcept
 * and its family (<rpcexcept.h>).  Windows functions it does not provide
 * are not declared, so a program that calls one fails to compile rather
 * than to link.
 */
#ifndef QRPC_MSRPC_RPC_H
#define QRPC_MSRPC_RPC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Calling conventions and annotations: nothing on Linux. */
#define RPC_ENTRY
#define RPC_VAR_ENTRY
#define RPCRTAPI
#define __RPC_API
#define __RPC_USER
#define __RPC_STUB
#define __RPC_FAR
#define __RPC_CALLEE

/* The base types, Windows' widths. */
typedef int8_t INT8;
typedef uint8_t UINT8;
typedef int16_t INT16;
typedef uint16_t UINT16;
typedef int32_t INT32;
typedef uint32_t UINT32;
typedef int64_t INT64;
typedef uint64_t UINT64;
typedef intptr_t INT_PTR, LONG_PTR;
typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR;
typedef uint8_t BYTE, UCHAR;
typedef uint16_t USHORT, WORD, WCHAR;
typedef int32_t LONG;
typedef uint32_t ULONG, DWORD;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef unsigned int UINT;
typedef int BOOL;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
typedef int32_t HRESULT;
typedef void *PVOID, *HANDLE;

typedef struct _GUID {
	uint32_t Data1;
	uint16_t Data2;
	uint16_t Data3;
	uint8_t Data4[8];
} GUID, UUID;

/* The run time's handles and status. */
typedef int32_t RPC_STATUS;
typedef void *RPC_BINDING_HANDLE;
typedef RPC_BINDING_HANDLE handle_t;
typedef void *RPC_IF_HANDLE;
typedef unsigned char *RPC_CSTR;
typedef WCHAR *RPC_WSTR;

/* Status codes, as winerror.h numbers them. */
#define RPC_S_OK			0
#define RPC_S_ACCESS_DENIED		5
#define RPC_S_OUT_OF_MEMORY		14
#define RPC_S_INVALID_ARG		87
#define RPC_S_BUFFER_TOO_SMALL		122
#define RPC_S_SERVER_OUT_OF_MEMORY	1130
#define RPC_S_ASYNC_CALL_PENDING	997
#define RPC_S_INVALID_STRING_BINDING	1700
#define RPC_S_WRONG_KIND_OF_BINDING	1701
#define RPC_S_INVALID_BINDING		1702
#define RPC_S_PROTSEQ_NOT_SUPPORTED	1703
#define RPC_S_INVALID_RPC_PROTSEQ	1704
#define RPC_S_INVALID_STRING_UUID	1705
#define RPC_S_INVALID_ENDPOINT_FORMAT	1706
#define RPC_S_INVALID_NET_ADDR		1707
#define RPC_S_NO_ENDPOINT_FOUND		1708
#define RPC_S_INVALID_TIMEOUT		1709
#define RPC_S_ALREADY_REGISTERED	1711
#define RPC_S_TYPE_ALREADY_REGISTERED	1712
#define RPC_S_ALREADY_LISTENING		1713
#define RPC_S_NO_PROTSEQS_REGISTERED	1714
#define RPC_S_NOT_LISTENING		1715
#define RPC_S_UNKNOWN_MGR_TYPE		1716
#define RPC_S_UNKNOWN_IF		1717
#define RPC_S_OUT_OF_RESOURCES		1721
#define RPC_S_SERVER_UNAVAILABLE	1722
#define RPC_S_SERVER_TOO_BUSY		1723
#define RPC_S_NO_CALL_ACTIVE		1725
#define RPC_S_CALL_FAILED		1726
#define RPC_S_CALL_FAILED_DNE		1727
#define RPC_S_INVALID_BOUND		1734
#define RPC_S_MAX_CALLS_TOO_SMALL	1742
#define RPC_S_STRING_TOO_LONG		1743
#define RPC_S_PROCNUM_OUT_OF_RANGE	1745
#define RPC_S_UNKNOWN_AUTHN_SERVICE	1747
#define RPC_S_INTERNAL_ERROR		1766
#define RPC_S_ZERO_DIVIDE		1767
#define RPC_S_CANNOT_SUPPORT		1764
#define RPC_X_SS_IN_NULL_CONTEXT	1775
#define RPC_X_SS_CONTEXT_DAMAGED	1777
#define RPC_X_NULL_REF_POINTER		1780
#define RPC_X_ENUM_VALUE_OUT_OF_RANGE	1781
#define RPC_X_BAD_STUB_DATA		1783
#define RPC_S_CALL_IN_PROGRESS		1791
#define RPC_S_CALL_CANCELLED		1818
#define RPC_X_WRONG_STUB_VERSION	1829
#define RPC_S_INVALID_ASYNC_HANDLE	1914
#define RPC_S_INVALID_ASYNC_CALL	1915
#define RPC_X_PIPE_CLOSED		1916
#define RPC_X_PIPE_DISCIPLINE_ERROR	1917
#define RPC_X_PIPE_EMPTY		1918
#define RPC_X_INVALID_BOUND		RPC_S_INVALID_BOUND

#ifdef __cplusplus
}
#endif

#include <rpcdce.h>
#include <rpcdcep.h>
#include <rpcasync.h>
#include <rpcexcept.h>

#endif
