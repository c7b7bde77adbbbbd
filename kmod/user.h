/* SPDX-License-Identifier: GPL-2.0 */
#ifndef QRPC_USER_H
#define QRPC_USER_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct qrpc_user {
	struct hlist_node	node;
	kuid_t			uid;
	unsigned int		refs;		/* under qrpc_users_lock */
	unsigned int		ports;		/* likewise */
	u64			queued_bytes;	/* likewise */
	u64			pinned_bytes;	/* likewise */
};

struct qrpc_user *qrpc_user_get(kuid_t uid);
struct qrpc_user *qrpc_user_get_current(void);
void qrpc_user_put(struct qrpc_user *u);
bool qrpc_user_charge_port(struct qrpc_user *u);
void qrpc_user_uncharge_port(struct qrpc_user *u);
int qrpc_user_charge_bytes(struct qrpc_user *u, u32 len, bool force);
void qrpc_user_uncharge_bytes(struct qrpc_user *u, u32 len);
int qrpc_user_charge_pinned(struct qrpc_user *u, u64 bytes);
void qrpc_user_uncharge_pinned(struct qrpc_user *u, u64 bytes);
void qrpc_users_init(void);
void qrpc_users_exit(void);

#endif /* QRPC_USER_H */
