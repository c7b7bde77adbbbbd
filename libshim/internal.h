/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of libqrpc; not part of its API.
 */
#ifndef QRPC_INTERNAL_H
#define QRPC_INTERNAL_H

#include <pthread.h>

#include <liburing.h>
#include <linux/qrpc.h>

#include "qrpc.h"

#define CHANNEL_SLOTS		64
#define CHANNEL_AREA		(2U << 20)	/* request and reply areas */
/* Busy-polls of the completion ring before sleeping in io_uring_enter. */
#define SPIN_POLLS		2000

#define AREA_PAGE		4096
#define AREA_PAGES		(CHANNEL_AREA / AREA_PAGE)

/* Which pages of an area are in use: one bit per page. */
struct qrpc_pages {
	uint64_t		used[AREA_PAGES / 64];
};

/*
 * A connection to a binding's port with its arena mapped and an io_uring
 * ring: one per thread for plain calls, one shared by a runtime thread for
 * [async] calls.
 */
struct qrpc_channel {
	struct qrpc_channel	*next_in_thread;
	struct qrpc_channel	*next_in_binding;
	struct qrpc_binding	*binding;
	pthread_t		owner;
	int			fd;
	unsigned int		conn;		/* connection handle */
	struct qrpc_slot	*slots;
	unsigned char		*req;		/* the request area */
	size_t			slots_size;
	size_t			req_size;
	struct qrpc_slot_result	*results;
	struct qrpc_release_ring *ring;
	size_t			results_size;
	unsigned char		*reply;
	size_t			reply_size;
	unsigned int		release_head;
	unsigned int		nfree;
	unsigned int		free[CHANNEL_SLOTS];
	struct io_uring		uring;
	int			no_uring;	/* calls go through ioctl() */
	unsigned int		spin;		/* polls before sleeping; adapts */
	int			jrec[CHANNEL_SLOTS];	/* journal record, or -1 */
	/* The request and reply pages each slot's call holds. */
	struct qrpc_pages	req_map;
	struct qrpc_pages	rep_map;
	uint16_t		req_first[CHANNEL_SLOTS];
	uint16_t		req_npages[CHANNEL_SLOTS];
	uint16_t		rep_first[CHANNEL_SLOTS];
	uint16_t		rep_npages[CHANNEL_SLOTS];
	unsigned int		jpending;	/* slots with a record */
	/* In-place calls (inplace.c): slots the caller still holds. */
	uint8_t			hold[CHANNEL_SLOTS];
	/*
	 * A plain call's CQE carries UD_CALL, a generation and the slot, so
	 * that one arriving after its call ended through its result
	 * (qrpc_channel_issue()) is told from the current call's.
	 */
	uint32_t		gen;
};

#define UD_CALL			(1ULL << 63)

/* struct qrpc_channel's hold[]: */
enum {
	QRPC_HOLD_NONE = 0,	/* a release frees the slot */
	QRPC_HOLD_HELD,		/* held by an in-place call */
	QRPC_HOLD_RELEASED,	/* held, and the module has released it */
};

struct qrpc_async_rt;
struct qrpc_journal_file;

/* Records in a journal: recoverable messages pending at once. */
#define QRPC_JOURNAL_RECORDS	256

struct qrpc_binding {
	char			port[QRPC_NAME_MAX];
	pthread_mutex_t		lock;		/* options, channel list, async */
	uint64_t		options[QRPC_OPT_SPIN + 1];
	struct qrpc_channel	*channels;
	struct qrpc_async_rt	*async;		/* made on the first [async] call */
	struct qrpc_journal_file	*journal;	/* recoverable delivery */
};

int qrpc_channel_create(struct qrpc_binding *b, struct qrpc_channel **out);
/* This thread's channel for @b, made on first use. */
int qrpc_channel_get(struct qrpc_binding *b, struct qrpc_channel **out);
/* A free slot (releases reaped first), or -EBUSY. */
int qrpc_channel_slot(struct qrpc_channel *ch);
/* CALL on @slot and wait as QRPC_OPT_SPIN says: the CQE's result. */
int qrpc_channel_issue(struct qrpc_channel *ch, unsigned int slot);
void qrpc_channel_destroy(struct qrpc_channel *ch);
int qrpc_channel_fill(struct qrpc_channel *ch, unsigned int slot,
		      unsigned int kind, const struct qrpc_if_id *iface,
		      uint32_t opnum, const void *req, size_t req_len,
		      size_t reply_cap);
int qrpc_channel_submit_call(struct qrpc_channel *ch, unsigned int slot,
			     uint64_t user_data);
int qrpc_released_later(unsigned int kind, int ret);
int qrpc_prep_io(struct io_uring *ring, int fd, unsigned int op,
		 const struct qrpc_io *io, uint64_t user_data);
void qrpc_channel_slot_put(struct qrpc_channel *ch, unsigned int slot);
int qrpc_channel_call_ioctl(struct qrpc_channel *ch, unsigned int slot);

/*
 * Make @ring with @entries, unless io_uring is unavailable to this process
 * (forbidden by seccomp or kernel.io_uring_disabled, or QRPC_NO_URING is
 * set in the environment): then return 1, and the caller uses ioctl().
 */
int qrpc_uring_init(struct io_uring *ring, unsigned int entries,
		    struct io_uring_params *params);

/* CLOCK_MONOTONIC in microseconds. */
uint64_t qrpc_now_us(void);

/*
 * Call @done(@arg) until it returns non-zero, for up to @usec
 * microseconds: 0 if it did, -ETIME if the time ran out first.
 */
int qrpc_poll_for(uint64_t usec, int (*done)(void *arg), void *arg);

/*
 * signals.c: waits that a signal does not end, and threads that take no
 * signals.  io_uring_submit_and_wait() and io_uring_wait_cqe() with
 * -EINTR retried; pthread_create() with every signal blocked in the new
 * thread.
 */
int qrpc_uring_submit_wait(struct io_uring *ring, unsigned int wait_nr);
int qrpc_uring_wait_cqe(struct io_uring *ring, struct io_uring_cqe **cqe);
int qrpc_thread_create(pthread_t *th, const pthread_attr_t *attr,
		       void *(*fn)(void *), void *arg);

/* journal.c */
void qrpc_journal_free(struct qrpc_journal_file *j);
int qrpc_journal_add(struct qrpc_journal_file *j, const struct qrpc_if_id *iface,
		     uint32_t opnum, uint32_t priority, uint32_t ttbr_s,
		     const void *req, size_t len);
void qrpc_journal_done(struct qrpc_journal_file *j, int rec);

/* binding.c: send a journalled [message] (record @rec) now. */
int qrpc_send_journalled(struct qrpc_binding *b, const struct qrpc_if_id *iface,
			 uint32_t opnum, uint32_t priority, uint32_t ttbr_s,
			 const void *req, size_t len, int rec);
/* binding.c: note the receipts that reached this thread's channel. */
void qrpc_channel_reap_mine(struct qrpc_binding *b);

/* async.c: stop the runtime of @b's [async] calls, if it runs. */
void qrpc_async_shutdown(struct qrpc_binding *b);

/* 0 if @name is a valid port name (see uapi/linux/qrpc.h), else -EINVAL. */
int qrpc_port_name_check(const char *name);

/* Open port @name on device fd @fd for @access: the handle, or -errno. */
int qrpc_port_open_fd(int fd, const char *name, unsigned int access);

#endif /* QRPC_INTERNAL_H */
