/* SPDX-License-Identifier: MIT */
/*
 * <rpcdcep.h> on Linux, from qrpc-msrpc (included by <rpc.h>): what the
 * stubs and the run time exchange, with Windows' names and layouts.
 * A server stub is an RPC_DISPATCH_FUNCTION: it finds the request in
 * Message->Buffer (Message->BufferLength bytes, read in place from the
 * port's request area: untrusted, and another process may still write
 * it), calls the manager routine in Message->ManagerEpv, asks
 * I_RpcGetBuffer() for room for the reply (Message->BufferLength bytes,
 * in place in the reply area) and leaves the reply's length in
 * Message->BufferLength.  A fault is raised (RpcRaiseException()); the
 * run time sends its code to the client.
 *
 * Programs do not use these; qrpc-idl's stubs do.  Where a field has a
 * meaning of qrpc's own, the comment says so.
 */
#ifndef QRPC_MSRPC_RPCDCEP_H
#define QRPC_MSRPC_RPCDCEP_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _RPC_VERSION {
	unsigned short MajorVersion;
	unsigned short MinorVersion;
} RPC_VERSION;

typedef struct _RPC_SYNTAX_IDENTIFIER {
	GUID SyntaxGUID;
	RPC_VERSION SyntaxVersion;
} RPC_SYNTAX_IDENTIFIER, *PRPC_SYNTAX_IDENTIFIER;

typedef struct _RPC_MESSAGE {
	/* The server's handle to the call (RpcServerTestCancel()). */
	RPC_BINDING_HANDLE Handle;
	ULONG DataRepresentation;	/* 0x10: little-endian, ASCII, IEEE */
	void *Buffer;
	unsigned int BufferLength;
	unsigned int ProcNum;
	PRPC_SYNTAX_IDENTIFIER TransferSyntax;
	void *RpcInterfaceInformation;	/* the RPC_SERVER_INTERFACE */
	void *ReservedForRuntime;
	void *ManagerEpv;
	void *ImportContext;
	ULONG RpcFlags;
} RPC_MESSAGE, *PRPC_MESSAGE;

typedef void __RPC_STUB RPC_DISPATCH_FUNCTION_T(PRPC_MESSAGE Message);
typedef RPC_DISPATCH_FUNCTION_T *RPC_DISPATCH_FUNCTION;

typedef struct {
	unsigned int DispatchTableCount;	/* the operations, by number */
	RPC_DISPATCH_FUNCTION *DispatchTable;
	LONG_PTR Reserved;
} RPC_DISPATCH_TABLE, *PRPC_DISPATCH_TABLE;

typedef struct _RPC_PROTSEQ_ENDPOINT {
	unsigned char *RpcProtocolSequence;
	unsigned char *Endpoint;
} RPC_PROTSEQ_ENDPOINT, *PRPC_PROTSEQ_ENDPOINT;

/* What a server stub's Name_vM_m_s_ifspec points to. */
typedef struct _RPC_SERVER_INTERFACE {
	unsigned int Length;		/* sizeof(RPC_SERVER_INTERFACE) */
	RPC_SYNTAX_IDENTIFIER InterfaceId;
	RPC_SYNTAX_IDENTIFIER TransferSyntax;
	PRPC_DISPATCH_TABLE DispatchTable;
	unsigned int RpcProtseqEndpointCount;
	PRPC_PROTSEQ_ENDPOINT RpcProtseqEndpoint;
	RPC_MGR_EPV *DefaultManagerEpv;
	void const *InterpreterInfo;	/* unused by qrpc */
	unsigned int Flags;
} RPC_SERVER_INTERFACE, *PRPC_SERVER_INTERFACE;

/* What a client stub's Name_vM_m_c_ifspec points to. */
typedef struct _RPC_CLIENT_INTERFACE {
	unsigned int Length;		/* sizeof(RPC_CLIENT_INTERFACE) */
	RPC_SYNTAX_IDENTIFIER InterfaceId;
	RPC_SYNTAX_IDENTIFIER TransferSyntax;
	PRPC_DISPATCH_TABLE DispatchTable;
	unsigned int RpcProtseqEndpointCount;
	PRPC_PROTSEQ_ENDPOINT RpcProtseqEndpoint;
	ULONG_PTR Reserved;
	void const *InterpreterInfo;
	unsigned int Flags;
} RPC_CLIENT_INTERFACE, *PRPC_CLIENT_INTERFACE;

/* RPC_MESSAGE.RpcFlags: the kind of call a client stub makes. */
#define RPC_NCA_FLAGS_DEFAULT		0x00000000
#define RPC_NCA_FLAGS_IDEMPOTENT	0x00000001
#define RPC_NCA_FLAGS_BROADCAST		0x00000002
#define RPC_NCA_FLAGS_MAYBE		0x00000004	/* [maybe] */
#define RPC_BUFFER_COMPLETE		0x00001000
#define RPC_BUFFER_ASYNC		0x00008000
#define RPCFLG_MESSAGE			0x01000000	/* [message] */
#define RPCFLG_ASYNCHRONOUS		0x40000000

/*
 * Point Message->Buffer at room for Message->BufferLength bytes.
 *
 * Server side (Message->Handle is the call's): room for the reply, in
 * place in the reply area.  RPC_S_SERVER_OUT_OF_MEMORY if the area is
 * smaller.
 *
 * Client side (Message->Handle is a binding, Message->RpcInterfaceInformation
 * the stub's RPC_CLIENT_INTERFACE, Message->RpcFlags the kind of call):
 * room for the request, in place in the connection's request area for a
 * plain call.  A partially bound handle takes its endpoint from the
 * interface's endpoint attribute (RPC_S_NO_ENDPOINT_FOUND without one).
 * The stub then calls I_RpcSendReceive() and, always, I_RpcFreeBuffer().
 *
 * RPC_S_INVALID_BINDING for a handle that is neither.
 */
RPC_STATUS RPC_ENTRY I_RpcGetBuffer(PRPC_MESSAGE Message);

/*
 * Client side: make the call whose request the stub wrote.  For a plain
 * call Message->Buffer and ->BufferLength are then the reply, in place,
 * until I_RpcFreeBuffer(); a [maybe] or [message] call returns once the
 * call is sent or stored.  Returns RPC_S_OK, the server's fault code, or
 * the communication failure (I_RpcGetBuffer(3) lists them).
 */
RPC_STATUS RPC_ENTRY I_RpcSendReceive(PRPC_MESSAGE Message);

/* Client side: give back what I_RpcGetBuffer() took.  Always RPC_S_OK. */
RPC_STATUS RPC_ENTRY I_RpcFreeBuffer(PRPC_MESSAGE Message);

#ifdef __cplusplus
}
#endif

#endif
