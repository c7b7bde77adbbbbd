/* SPDX-License-Identifier: MIT */
/*
 * <rpcasync.h> on Linux, from qrpc-msrpc: RPC_ASYNC_STATE, the handle of
 * an [async] call, laid out as Windows lays it out (rpc.h says why the
 * widths match), and the RpcAsync* functions.  What the notification
 * fields hold on Linux (an eventfd for an Event, a descriptor for Ioc) is
 * in RpcAsyncInitializeHandle(3).
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

RPC_STATUS RPC_ENTRY RpcAsyncInitializeHandle(PRPC_ASYNC_STATE pAsync,
					      unsigned int Size);
RPC_STATUS RPC_ENTRY RpcAsyncGetCallStatus(PRPC_ASYNC_STATE pAsync);
RPC_STATUS RPC_ENTRY RpcAsyncCompleteCall(PRPC_ASYNC_STATE pAsync,
					  void *Reply);
RPC_STATUS RPC_ENTRY RpcAsyncAbortCall(PRPC_ASYNC_STATE pAsync,
				       unsigned long ExceptionCode);
RPC_STATUS RPC_ENTRY RpcAsyncCancelCall(PRPC_ASYNC_STATE pAsync,
					BOOL fAbortCall);

/*
 * RpcNotificationTypeIoc on Linux: u.IOC.hIOPort holds a file descriptor
 * (cast to HANDLE), the write end of a pipe the program reads with its
 * other I/O (epoll, io_uring, poll); each completed call writes one of
 * these there, whole.
 */
typedef struct _QRPC_IOC_COMPLETION {
	DWORD_PTR CompletionKey;	/* u.IOC.dwCompletionKey */
	struct _OVERLAPPED *Overlapped;	/* u.IOC.lpOverlapped */
	PRPC_ASYNC_STATE Async;
} QRPC_IOC_COMPLETION;

/*
 * For qrpc-idl's stubs, not programs.  A client stub of an [async]
 * procedure builds the request as for a plain call (I_RpcGetBuffer with
 * RPC_BUFFER_ASYNC in RpcFlags), then QrpcAsyncClientCall() starts it
 * and returns; RpcAsyncCompleteCall() later runs the stub's Decode on
 * the reply, with a copy of the OutsSize bytes at Outs (the addresses of
 * the [out] parameters) and the program's Reply.
 *
 * A server stub of an [async] procedure calls QrpcAsyncServerBegin()
 * before its manager, with an RPC_ASYNC_STATE in a block of its own
 * whose StubInfo the stub points at what Encode needs (the [out]
 * values); RpcAsyncCompleteCall() runs Encode into the reply area, then
 * Release (which frees the block), from whichever thread completes.
 */
typedef RPC_STATUS QRPC_ASYNC_DECODE_FN(const void *Reply, size_t Length,
					void *Outs, void *ReturnValue);
typedef RPC_STATUS QRPC_ASYNC_ENCODE_FN(void *Buffer, size_t Capacity,
					size_t *Length, void *StubInfo,
					void *ReturnValue);

RPC_STATUS RPC_ENTRY QrpcAsyncClientCall(PRPC_MESSAGE Message,
					 PRPC_ASYNC_STATE pAsync,
					 QRPC_ASYNC_DECODE_FN *Decode,
					 const void *Outs, size_t OutsSize);
RPC_STATUS RPC_ENTRY QrpcAsyncServerBegin(PRPC_MESSAGE Message,
					  PRPC_ASYNC_STATE pAsync,
					  QRPC_ASYNC_ENCODE_FN *Encode,
					  void (*Release)(PRPC_ASYNC_STATE));

#ifdef __cplusplus
}
#endif

#endif
