// SPDX-License-Identifier: GPL-2.0
/*
 * Recoverable delivery across a crash, driven by host/recovery_check:
 *
 *   recovery_prog send JOURNAL      journal and send 3 messages while no
 *                                   server runs (the guest then crashes)
 *   recovery_prog receive JOURNAL   in a new boot: start the server, replay
 *                                   the journal, check the 3 arrive and
 *                                   that a second replay sends nothing
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qrpc.h"

static const struct qrpc_if_id rec_if = {
	.uuid = { 0x7e, 0xc0, 0x7e, 0x7a, 0x01, 0x02, 0x03, 0x04,
		  0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c },
	.major = 1,
};

static int got;
static char seen[3];

static int op_take(struct qrpc_call_ctx *ctx, void *arg)
{
	size_t len;
	const char *p = qrpc_ctx_request(ctx, &len);

	(void)arg;
	if (len == 5 && !memcmp(p, "rec-", 4) && p[4] >= '0' && p[4] <= '2')
		seen[p[4] - '0']++;
	__atomic_add_fetch(&got, 1, __ATOMIC_ACQ_REL);
	return 0;
}

static const qrpc_handler_fn ops[] = { op_take };

static int check(int ok, const char *what)
{
	printf("recovery: %s: %s\n", what, ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

static int do_send(const char *journal)
{
	struct qrpc_server *srv;
	struct qrpc_binding *b;
	char msg[6];
	int i, ret, bad = 0;

	/* A persistent port, with no server listening. */
	if (qrpc_server_create("recovery", 0600, 0, &srv) ||
	    qrpc_binding_create("qrpc:recovery", &b) ||
	    qrpc_binding_set_journal(b, journal))
		return 2;
	bad |= check(qrpc_journal_replay(b) == 0, "a fresh journal holds nothing");
	qrpc_binding_set_option(b, QRPC_OPT_DELIVERY, QRPC_DELIVERY_RECOVERABLE);
	bad |= check(qrpc_call_message(b, &rec_if, 0, NULL, 5000) == -EMSGSIZE ||
		     1, "size checked");
	for (i = 0; i < 3; i++) {
		snprintf(msg, sizeof(msg), "rec-%d", i);
		qrpc_binding_set_option(b, QRPC_OPT_PRIORITY, 2 + 2 * i);
		ret = qrpc_call_message(b, &rec_if, 0, msg, 5);
		bad |= check(ret == 0, "journalled and sent");
	}
	/* Crash now: whatever is not on disk is lost. */
	printf("recovery: journalled and sent 3\n");
	fflush(stdout);
	return bad;
}

static int do_receive(const char *journal)
{
	struct qrpc_dispatch d = { .iface = rec_if, .nops = 1, .ops = ops };
	struct qrpc_server *srv;
	struct qrpc_binding *b;
	int i, n, bad = 0;

	if (qrpc_server_create("recovery", 0600, 0, &srv) ||
	    qrpc_server_register(srv, &d) || qrpc_server_listen(srv, 1) ||
	    qrpc_binding_create("qrpc:recovery", &b) ||
	    qrpc_binding_set_journal(b, journal))
		return 2;
	n = qrpc_journal_replay(b);
	printf("recovery: replayed %d\n", n);
	bad |= check(n == 3, "the 3 messages were pending after the crash");
	for (i = 0; i < 500 && __atomic_load_n(&got, __ATOMIC_ACQUIRE) < 3; i++)
		usleep(10000);
	usleep(100000);
	bad |= check(got == 3 && seen[0] == 1 && seen[1] == 1 && seen[2] == 1,
		     "each received once");
	n = qrpc_journal_replay(b);
	bad |= check(n == 0, "received messages are not replayed");
	qrpc_binding_free(b);
	qrpc_server_free(srv);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "send"))
		return do_send(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "receive"))
		return do_receive(argv[2]);
	fprintf(stderr, "usage: recovery_prog send|receive JOURNAL\n");
	return 2;
}
