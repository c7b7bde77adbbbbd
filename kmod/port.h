/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qrpc: ports.
 */
#ifndef QRPC_PORT_H
#define QRPC_PORT_H

#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <linux/qrpc.h>

struct dentry;
struct ipc_namespace;
struct qrpc_user;

struct qrpc_port {
	struct kref		ref;
	struct hlist_node	node;	/* in the port table while linked */
	bool			linked;	/* under qrpc_ports_lock */
	bool			orphaned; /* likewise: its namespace is */
	/* In qrpc_foreign_ports if linked outside the initial IPC namespace. */
	struct list_head	foreign_node;
	struct ipc_namespace	*ns;	/* holds a reference */
	struct qrpc_user	*owner;	/* charged while linked */
	char			name[QRPC_NAME_MAX];
	kuid_t			uid;
	kgid_t			gid;
	umode_t			mode;
	u32			flags;	/* QRPC_PORT_F_TEMPORARY */
	struct qrpc_port_limits	limits;

	spinlock_t		lock;	/* everything below */
	/*
	 * Who can still reach the port: its name while linked, each handle,
	 * server and connection.  At zero the queue is purged (queued calls
	 * hold the port through their arenas, so the kref alone would never
	 * drop).
	 */
	unsigned int		users;
	struct list_head	iffs;		/* struct qrpc_iff */
	unsigned int		nifqs;		/* queues in use */
	struct list_head	ifq_cache;	/* emptied queues, for reuse */
	unsigned int		ncached;
	struct list_head	servers;	/* struct qrpc_server */
	unsigned int		nservers;
	unsigned int		nconns;
	u64			seq;		/* last call's sequence number */
	unsigned int		depth_total;
	unsigned int		depth[8];
	u64			queued_bytes;
	u64			enqueued;
	u64			delivered;
	u64			dropped;
	u64			expired;
	u64			deadlettered;
	u64			failed;
	/* [message]s waiting for room (time to reach the queue), FIFO. */
	struct list_head	room_waiters;
	struct list_head	dlq;		/* dead-lettered calls */
	unsigned int		dlq_depth;
	u64			dlq_dropped;	/* released for room, ever */
};

int qrpc_port_name_valid(const char *name);
struct qrpc_port *qrpc_port_create(const struct qrpc_port_create *arg,
				   struct qrpc_port_limits *limits,
				   bool *created);
struct qrpc_port *qrpc_port_open(const char *name, u32 access);
int qrpc_port_unlink(const char *name);
int qrpc_port_list(struct qrpc_port_list *arg);
void qrpc_port_creator_closed(struct qrpc_port *port);
void qrpc_port_put(struct qrpc_port *port);
void qrpc_port_user_get(struct qrpc_port *port);
void qrpc_port_user_put(struct qrpc_port *port);
void qrpc_ports_reap_soon(void);
void qrpc_ports_exit(void);
void qrpc_ports_debugfs(struct dentry *dir);

#endif /* QRPC_PORT_H */
