/* SPDX-License-Identifier: MIT */
/*
 * <rpcdce.h> on Linux, from qrpc-msrpc (included by <rpc.h>): binding
 * handles and their options, with Windows' names and values, on qrpc
 * ports.  Implemented by libqrpc-msrpc (pkg-config --libs qrpc-msrpc).
 *
 * The protocol sequences are local: "ncalrpc" (endpoint = port name),
 * "ncadg_mq" (endpoint = the queue, also a port name) and "qrpc" (the
 * network address or the endpoint is the port name).  Each function has
 * an A form (RPC_CSTR, UTF-8 here) and a W form (RPC_WSTR, UTF-16); the
 * plain name is the W form when UNICODE is defined, as on Windows.  See
 * RpcBindingFromStringBinding(3) and RpcBindingSetOption(3).
 */
#ifndef QRPC_MSRPC_RPCDCE_H
#define QRPC_MSRPC_RPCDCE_H

#ifdef __cplusplus
extern "C" {
#endif

/* RpcBindingSetOption() and RpcBindingInqOption(). */
#define RPC_C_OPT_MQ_DELIVERY			1
#define RPC_C_OPT_MQ_PRIORITY			2
#define RPC_C_OPT_MQ_JOURNAL			3
#define RPC_C_OPT_MQ_ACKNOWLEDGE		4
#define RPC_C_OPT_MQ_AUTHN_SERVICE		5
#define RPC_C_OPT_MQ_AUTHN_LEVEL		6
#define RPC_C_OPT_MQ_TIME_TO_REACH_QUEUE	7
#define RPC_C_OPT_MQ_TIME_TO_BE_RECEIVED	8
#define RPC_C_OPT_BINDING_NONCAUSAL		9
#define RPC_C_OPT_SECURITY_CALLBACK		10
#define RPC_C_OPT_UNIQUE_BINDING		11
#define RPC_C_OPT_CALL_TIMEOUT			12
#define RPC_C_OPT_DONT_LINGER			13
#define RPC_C_OPT_MAX_OPTIONS			14

#define RPC_C_MQ_EXPRESS			0
#define RPC_C_MQ_RECOVERABLE			1

#define RPC_C_MQ_JOURNAL_NONE			0
#define RPC_C_MQ_JOURNAL_DEADLETTER		1
#define RPC_C_MQ_JOURNAL_ALWAYS			2

/* MSMQ's times, in seconds. */
#define RPC_C_MQ_INFINITE			0xffffffffU
#define RPC_C_MQ_LONG_LIVED			0xfffffffeU

/* RpcServerUseProtseqEpEx()'s RPC_POLICY.EndpointFlags for ncadg_mq. */
#define RPC_C_MQ_TEMPORARY			0x0000
#define RPC_C_MQ_PERMANENT			0x0001
#define RPC_C_MQ_CLEAR_ON_OPEN			0x0002
#define RPC_C_MQ_USE_EXISTING_SECURITY		0x0004
#define RPC_C_MQ_AUTHN_LEVEL_NONE		0x0000
#define RPC_C_MQ_AUTHN_LEVEL_PKT_INTEGRITY	0x0008
#define RPC_C_MQ_AUTHN_LEVEL_PKT_PRIVACY	0x0010

#define RPC_C_AUTHN_NONE			0
#define RPC_C_AUTHN_MQ				100
#define RPC_C_AUTHN_DEFAULT			0xffffffffU

#define RPC_C_AUTHN_LEVEL_DEFAULT		0
#define RPC_C_AUTHN_LEVEL_NONE			1
#define RPC_C_AUTHN_LEVEL_CONNECT		2
#define RPC_C_AUTHN_LEVEL_CALL			3
#define RPC_C_AUTHN_LEVEL_PKT			4
#define RPC_C_AUTHN_LEVEL_PKT_INTEGRITY		5
#define RPC_C_AUTHN_LEVEL_PKT_PRIVACY		6

#define RPC_C_BINDING_INFINITE_TIMEOUT		10
#define RPC_C_BINDING_MIN_TIMEOUT		0
#define RPC_C_BINDING_DEFAULT_TIMEOUT		5
#define RPC_C_BINDING_MAX_TIMEOUT		9
#define RPC_C_CANCEL_INFINITE_TIMEOUT		-1
#define RPC_C_LISTEN_MAX_CALLS_DEFAULT		1234
#define RPC_C_PROTSEQ_MAX_REQS_DEFAULT		10

/* String bindings: ObjUuid@Protseq:NetworkAddr[Endpoint,Options]. */
RPC_STATUS RPC_ENTRY RpcStringBindingComposeA(RPC_CSTR ObjUuid,
					      RPC_CSTR ProtSeq,
					      RPC_CSTR NetworkAddr,
					      RPC_CSTR Endpoint,
					      RPC_CSTR Options,
					      RPC_CSTR *StringBinding);
RPC_STATUS RPC_ENTRY RpcStringBindingComposeW(RPC_WSTR ObjUuid,
					      RPC_WSTR ProtSeq,
					      RPC_WSTR NetworkAddr,
					      RPC_WSTR Endpoint,
					      RPC_WSTR Options,
					      RPC_WSTR *StringBinding);
RPC_STATUS RPC_ENTRY RpcStringBindingParseA(RPC_CSTR StringBinding,
					    RPC_CSTR *ObjUuid,
					    RPC_CSTR *Protseq,
					    RPC_CSTR *NetworkAddr,
					    RPC_CSTR *Endpoint,
					    RPC_CSTR *NetworkOptions);
RPC_STATUS RPC_ENTRY RpcStringBindingParseW(RPC_WSTR StringBinding,
					    RPC_WSTR *ObjUuid,
					    RPC_WSTR *Protseq,
					    RPC_WSTR *NetworkAddr,
					    RPC_WSTR *Endpoint,
					    RPC_WSTR *NetworkOptions);
RPC_STATUS RPC_ENTRY RpcStringFreeA(RPC_CSTR *String);
RPC_STATUS RPC_ENTRY RpcStringFreeW(RPC_WSTR *String);

/* Binding handles. */
RPC_STATUS RPC_ENTRY RpcBindingFromStringBindingA(RPC_CSTR StringBinding,
						  RPC_BINDING_HANDLE *Binding);
RPC_STATUS RPC_ENTRY RpcBindingFromStringBindingW(RPC_WSTR StringBinding,
						  RPC_BINDING_HANDLE *Binding);
RPC_STATUS RPC_ENTRY RpcBindingToStringBindingA(RPC_BINDING_HANDLE Binding,
						RPC_CSTR *StringBinding);
RPC_STATUS RPC_ENTRY RpcBindingToStringBindingW(RPC_BINDING_HANDLE Binding,
						RPC_WSTR *StringBinding);
RPC_STATUS RPC_ENTRY RpcBindingCopy(RPC_BINDING_HANDLE SourceBinding,
				    RPC_BINDING_HANDLE *DestinationBinding);
RPC_STATUS RPC_ENTRY RpcBindingFree(RPC_BINDING_HANDLE *Binding);
RPC_STATUS RPC_ENTRY RpcBindingSetOption(RPC_BINDING_HANDLE hBinding,
					 ULONG option, ULONG_PTR optionValue);
RPC_STATUS RPC_ENTRY RpcBindingInqOption(RPC_BINDING_HANDLE hBinding,
					 ULONG option, ULONG_PTR *pOptionValue);

/* Servers.  See RpcServerListen(3). */
typedef void RPC_MGR_EPV;

typedef struct _RPC_IF_ID {
	UUID Uuid;
	unsigned short VersMajor;
	unsigned short VersMinor;
} RPC_IF_ID;

typedef struct _RPC_POLICY {
	unsigned int Length;
	ULONG EndpointFlags;		/* RPC_C_MQ_* for ncadg_mq */
	ULONG NICFlags;
} RPC_POLICY, *PRPC_POLICY;

/* RpcServerRegisterIfEx() and RpcServerRegisterIf2() flags. */
#define RPC_IF_AUTOLISTEN			0x0001
#define RPC_IF_OLE				0x0002
#define RPC_IF_ALLOW_UNKNOWN_AUTHORITY		0x0004
#define RPC_IF_ALLOW_SECURE_ONLY		0x0008
#define RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH	0x0010
#define RPC_IF_ALLOW_LOCAL_ONLY			0x0020
#define RPC_IF_SEC_NO_CACHE			0x0040

typedef RPC_STATUS RPC_ENTRY RPC_IF_CALLBACK_FN(RPC_IF_HANDLE InterfaceUuid,
						void *Context);

RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpA(RPC_CSTR Protseq,
					    unsigned int MaxCalls,
					    RPC_CSTR Endpoint,
					    void *SecurityDescriptor);
RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpW(RPC_WSTR Protseq,
					    unsigned int MaxCalls,
					    RPC_WSTR Endpoint,
					    void *SecurityDescriptor);
RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpExA(RPC_CSTR Protseq,
					      unsigned int MaxCalls,
					      RPC_CSTR Endpoint,
					      void *SecurityDescriptor,
					      PRPC_POLICY Policy);
RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpExW(RPC_WSTR Protseq,
					      unsigned int MaxCalls,
					      RPC_WSTR Endpoint,
					      void *SecurityDescriptor,
					      PRPC_POLICY Policy);
RPC_STATUS RPC_ENTRY RpcServerRegisterIf(RPC_IF_HANDLE IfSpec,
					 UUID *MgrTypeUuid,
					 RPC_MGR_EPV *MgrEpv);
RPC_STATUS RPC_ENTRY RpcServerRegisterIfEx(RPC_IF_HANDLE IfSpec,
					   UUID *MgrTypeUuid,
					   RPC_MGR_EPV *MgrEpv,
					   unsigned int Flags,
					   unsigned int MaxCalls,
					   RPC_IF_CALLBACK_FN *IfCallback);
RPC_STATUS RPC_ENTRY RpcServerRegisterIf2(RPC_IF_HANDLE IfSpec,
					  UUID *MgrTypeUuid,
					  RPC_MGR_EPV *MgrEpv,
					  unsigned int Flags,
					  unsigned int MaxCalls,
					  unsigned int MaxRpcSize,
					  RPC_IF_CALLBACK_FN *IfCallbackFn);
RPC_STATUS RPC_ENTRY RpcServerUnregisterIf(RPC_IF_HANDLE IfSpec,
					   UUID *MgrTypeUuid,
					   unsigned int WaitForCallsToComplete);
RPC_STATUS RPC_ENTRY RpcServerListen(unsigned int MinimumCallThreads,
				     unsigned int MaxCalls,
				     unsigned int DontWait);
RPC_STATUS RPC_ENTRY RpcMgmtStopServerListening(RPC_BINDING_HANDLE Binding);
RPC_STATUS RPC_ENTRY RpcMgmtWaitServerListen(void);
RPC_STATUS RPC_ENTRY RpcServerTestCancel(RPC_BINDING_HANDLE BindingHandle);

/*
 * A qrpc extension: the caller of the call @Binding is the server's handle
 * to (NULL: the call this thread runs), as the kernel stamped it.  Any of
 * the pointers may be NULL.  RPC_S_OK, RPC_S_NO_CALL_ACTIVE or
 * RPC_S_INVALID_BINDING.
 */
RPC_STATUS RPC_ENTRY QrpcServerInqCaller(RPC_BINDING_HANDLE Binding,
					 int32_t *Pid, uint32_t *Uid,
					 uint32_t *Gid);

#ifdef UNICODE
#define RpcServerUseProtseqEp		RpcServerUseProtseqEpW
#define RpcServerUseProtseqEpEx		RpcServerUseProtseqEpExW
#else
#define RpcServerUseProtseqEp		RpcServerUseProtseqEpA
#define RpcServerUseProtseqEpEx		RpcServerUseProtseqEpExA
#endif

#ifdef UNICODE
#define RpcStringBindingCompose		RpcStringBindingComposeW
#define RpcStringBindingParse		RpcStringBindingParseW
#define RpcStringFree			RpcStringFreeW
#define RpcBindingFromStringBinding	RpcBindingFromStringBindingW
#define RpcBindingToStringBinding	RpcBindingToStringBindingW
#else
#define RpcStringBindingCompose		RpcStringBindingComposeA
#define RpcStringBindingParse		RpcStringBindingParseA
#define RpcStringFree			RpcStringFreeA
#define RpcBindingFromStringBinding	RpcBindingFromStringBindingA
#define RpcBindingToStringBinding	RpcBindingToStringBindingA
#endif

#ifdef __cplusplus
}
#endif

#endif
