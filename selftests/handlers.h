/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Server handlers the library selftests share: an echo, and a slow call
 * that watches for its caller's cancel.
 */
#ifndef QRPC_SELFTEST_HANDLERS_H
#define QRPC_SELFTEST_HANDLERS_H

#include <string.h>
#include <unistd.h>

#include "qrpc.h"

/* Set once a slow call saw its caller cancel. */
static int t_saw_cancel;

/* Echo the request back as the reply. */
static inline int t_op_echo(struct qrpc_call_ctx *ctx, void *arg)
{
	size_t len, cap;
	const void *req = qrpc_ctx_request(ctx, &len);
	void *rep = qrpc_ctx_reply_buf(ctx, &cap);

	(void)arg;
	if (len > cap)
		return 1;
	memcpy(rep, req, len);
	qrpc_ctx_set_reply_len(ctx, len);
	return 0;
}

/*
 * Take up to 3 s, watching for a cancel; a cancelled call ends with fault
 * 1818 (RPC_S_CALL_CANCELLED).
 */
static inline int t_op_slow(struct qrpc_call_ctx *ctx, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 300; i++) {
		if (qrpc_ctx_test_cancel(ctx)) {
			__atomic_store_n(&t_saw_cancel, 1, __ATOMIC_RELEASE);
			return 1818;
		}
		usleep(10000);
	}
	return 0;
}

#endif /* QRPC_SELFTEST_HANDLERS_H */
