/* SPDX-License-Identifier: MIT */
/*
 * <rpcasync.h> on Linux, from qrpc-msrpc: RPC_ASYNC_STATE, the handle of
 * an [async] call, laid out as Windows lays it out (rpc.h says why the
 * widths match).  How qrpc fills its notification fields (an eventfd for
 * an Event, a descriptor for Ioc) is the run time's, documented with it.
 */
#ifndef QRPC_MSRPC_RPCASYNC_H
#define QRPC_MSRPC_RPCASYNC_H

#include <rpc.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum _RPC_NOTIFICATION_TYPES {
	RpcNotificationTypeNone = 0,
	RpcNotificationTypeEvent = 1,
	RpcNotificationTypeApc = 2,
	RpcNotificationTypeIoc = 3,
	RpcNotificationTypeHwnd = 4,
	RpcNotificationTypeCallback = 5,
} RPC_NOTIFICATION_TYPES;

typedef enum _RPC_ASYNC_EVENT {
	RpcCallComplete = 0,
	RpcSendComplete = 1,
	RpcReceiveComplete = 2,
	RpcClientDisconnect = 3,
	RpcClientCancel = 4,
} RPC_ASYNC_EVENT;

struct _RPC_ASYNC_STATE;
typedef void RPC_ENTRY RPCNOTIFICATION_ROUTINE(struct _RPC_ASYNC_STATE *state,
					       void *context,
					       RPC_ASYNC_EVENT event);
typedef RPCNOTIFICATION_ROUTINE *PFN_RPCNOTIFICATION_ROUTINE;

struct _OVERLAPPED;

typedef union _RPC_ASYNC_NOTIFICATION_INFO {
	struct {
		PFN_RPCNOTIFICATION_ROUTINE NotificationRoutine;
		HANDLE hThread;
	} APC;
	struct {
		HANDLE hIOPort;
		DWORD dwNumberOfBytesTransferred;
		DWORD_PTR dwCompletionKey;
		struct _OVERLAPPED *lpOverlapped;
	} IOC;
	struct {
		void *hWnd;
		UINT Msg;
	} HWND;
	HANDLE hEvent;
	PFN_RPCNOTIFICATION_ROUTINE NotificationRoutine;
} RPC_ASYNC_NOTIFICATION_INFO, *PRPC_ASYNC_NOTIFICATION_INFO;

/* RPC_ASYNC_STATE.Flags */
#define RPC_C_NOTIFY_ON_SEND_COMPLETE	0x1
#define RPC_C_INFINITE_TIMEOUT		0xffffffffU

typedef struct _RPC_ASYNC_STATE {
	unsigned int Size;	/* sizeof(RPC_ASYNC_STATE), set at init */
	ULONG Signature;	/* set at init */
	LONG Lock;
	ULONG Flags;
	void *StubInfo;		/* the stub's */
	void *UserInfo;		/* the application's */
	void *RuntimeInfo;	/* the run time's: the call's handle */
	RPC_ASYNC_EVENT Event;
	RPC_NOTIFICATION_TYPES NotificationType;
	RPC_ASYNC_NOTIFICATION_INFO u;
	LONG_PTR Reserved[4];
} RPC_ASYNC_STATE, *PRPC_ASYNC_STATE;

#define RpcAsyncGetCallHandle(pAsync) \
	(((PRPC_ASYNC_STATE)(pAsync))->RuntimeInfo)

#ifdef __cplusplus
}
#endif

#endif
