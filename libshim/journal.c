// SPDX-License-Identifier: MIT
/*
 * Recoverable delivery: a [message] sent with QRPC_DELIVERY_RECOVERABLE is
 * written to the binding's journal and flushed to disk (an io_uring write
 * linked to an fdatasync) before it is sent, and marked done once the
 * module reports its fate.  After a crash, qrpc_journal_replay() sends
 * again every message the journal still holds as pending.  Delivery is
 * thus at least once: a message received just before a crash may be
 * received again.
 *
 * The journal is a file or a block device of QRPC_JOURNAL_RECORDS records
 * of 4 KiB, each one message: a header with a checksum, then the request.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "qrpc.h"

#define RECORD_SIZE	4096
#define RECORD_MAGIC	0x4a505251	/* "QRPJ" */

enum { REC_FREE = 0, REC_PENDING = 1, REC_DONE = 2 };

struct record {
	uint32_t		magic;
	uint32_t		state;
	uint64_t		seq;
	struct qrpc_if_id	iface;
	uint32_t		opnum;
	uint32_t		priority;
	uint32_t		ttbr_s;
	uint32_t		len;
	uint32_t		sum;		/* over the record, with sum = 0 */
	uint32_t		pad[3];
	unsigned char		payload[RECORD_SIZE - 72];
};

_Static_assert(sizeof(struct record) == RECORD_SIZE, "record size");

struct qrpc_journal_file {
	int			fd;
	pthread_mutex_t		lock;
	struct io_uring		ring;
	int			no_uring;
	uint64_t		seq;
	unsigned char		state[QRPC_JOURNAL_RECORDS];
	struct record		*buf;		/* aligned staging record */
};

/* A simple checksum (FNV-1a): it finds torn or stale records. */
static uint32_t record_sum(const struct record *r)
{
	const unsigned char *p = (const void *)r;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*r); i++) {
		unsigned char c = p[i];

		if (i >= offsetof(struct record, sum) &&
		    i < offsetof(struct record, sum) + sizeof(r->sum))
			c = 0;
		h = (h ^ c) * 16777619u;
	}
	return h;
}

/* Write @len bytes at @off and make them durable: a linked write + fdatasync. */
static int journal_write(struct qrpc_journal_file *j, const void *p, size_t len,
			 off_t off, int sync)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret, i, n = sync ? 2 : 1;

	if (j->no_uring) {
		if (pwrite(j->fd, p, len, off) != (ssize_t)len)
			return -EIO;
		return sync && fdatasync(j->fd) ? -errno : 0;
	}
	sqe = io_uring_get_sqe(&j->ring);
	io_uring_prep_write(sqe, j->fd, p, len, off);
	if (sync) {
		sqe->flags |= IOSQE_IO_LINK;
		sqe = io_uring_get_sqe(&j->ring);
		io_uring_prep_fsync(sqe, j->fd, IORING_FSYNC_DATASYNC);
	}
	ret = qrpc_uring_submit_wait(&j->ring, n);
	if (ret < 0)
		return ret;
	for (i = 0, ret = 0; i < n; i++) {
		if (qrpc_uring_wait_cqe(&j->ring, &cqe))
			return -EIO;
		/* The write's result is its length; the fsync's, 0. */
		if (cqe->res < 0 && !ret)
			ret = cqe->res;
		io_uring_cqe_seen(&j->ring, cqe);
	}
	return ret;
}

int qrpc_binding_set_journal(struct qrpc_binding *b, const char *path)
{
	struct qrpc_journal_file *j;
	struct record r;
	struct stat st;
	unsigned int i;
	int ret;

	if (!b || !path || b->journal)
		return -EINVAL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	if (posix_memalign((void **)&j->buf, RECORD_SIZE, RECORD_SIZE)) {
		free(j);
		return -ENOMEM;
	}
	j->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	ret = j->fd < 0 ? -errno : 0;
	if (!ret && !fstat(j->fd, &st) && S_ISREG(st.st_mode) &&
	    st.st_size < (off_t)QRPC_JOURNAL_RECORDS * RECORD_SIZE &&
	    ftruncate(j->fd, (off_t)QRPC_JOURNAL_RECORDS * RECORD_SIZE))
		ret = -errno;
	if (!ret) {
		ret = qrpc_uring_init(&j->ring, 4, NULL);
		j->no_uring = ret == 1;
		if (ret == 1)
			ret = 0;
	}
	/* Learn which records are pending and where the sequence stands. */
	for (i = 0; !ret && i < QRPC_JOURNAL_RECORDS; i++) {
		if (pread(j->fd, &r, sizeof(r), (off_t)i * RECORD_SIZE) !=
		    sizeof(r)) {
			ret = -EIO;
			break;
		}
		if (r.magic == RECORD_MAGIC && r.len <= sizeof(r.payload) &&
		    r.sum == record_sum(&r) && r.state == REC_PENDING)
			j->state[i] = REC_PENDING;
		if (r.magic == RECORD_MAGIC && r.seq > j->seq)
			j->seq = r.seq;
	}
	if (ret) {
		if (j->fd >= 0)
			close(j->fd);
		free(j->buf);
		free(j);
		return ret;
	}
	pthread_mutex_init(&j->lock, NULL);
	b->journal = j;
	return 0;
}

void qrpc_journal_free(struct qrpc_journal_file *j)
{
	if (!j)
		return;
	if (!j->no_uring)
		io_uring_queue_exit(&j->ring);
	close(j->fd);
	pthread_mutex_destroy(&j->lock);
	free(j->buf);
	free(j);
}

/*
 * Journal a [message] before it is sent: the record number, or -EMSGSIZE
 * (larger than a record holds), -ENOSPC (every record pending), -EIO.
 */
int qrpc_journal_add(struct qrpc_journal_file *j, const struct qrpc_if_id *iface,
		     uint32_t opnum, uint32_t priority, uint32_t ttbr_s,
		     const void *req, size_t len)
{
	struct record *r = j->buf;
	int rec, ret;

	if (len > sizeof(r->payload))
		return -EMSGSIZE;
	pthread_mutex_lock(&j->lock);
	for (rec = 0; rec < QRPC_JOURNAL_RECORDS; rec++)
		if (j->state[rec] != REC_PENDING)
			break;
	if (rec == QRPC_JOURNAL_RECORDS) {
		pthread_mutex_unlock(&j->lock);
		return -ENOSPC;
	}
	memset(r, 0, sizeof(*r));
	r->magic = RECORD_MAGIC;
	r->state = REC_PENDING;
	r->seq = ++j->seq;
	r->iface = *iface;
	r->opnum = opnum;
	r->priority = priority;
	r->ttbr_s = ttbr_s;
	r->len = len;
	if (len)
		memcpy(r->payload, req, len);
	r->sum = record_sum(r);
	ret = journal_write(j, r, RECORD_SIZE, (off_t)rec * RECORD_SIZE, 1);
	if (!ret)
		j->state[rec] = REC_PENDING;
	pthread_mutex_unlock(&j->lock);
	return ret ? ret : rec;
}

/*
 * The message of record @rec has met its fate (received, or failed for
 * good): it will not be replayed.  Not flushed: a crash before the write
 * reaches the disk replays it once more, which at-least-once allows.
 */
void qrpc_journal_done(struct qrpc_journal_file *j, int rec)
{
	uint32_t state = REC_DONE;

	if (rec < 0 || rec >= QRPC_JOURNAL_RECORDS)
		return;
	pthread_mutex_lock(&j->lock);
	/*
	 * Only the state word changes; the checksum then no longer matches,
	 * which also keeps the record from being replayed.
	 */
	journal_write(j, &state, sizeof(state),
		      (off_t)rec * RECORD_SIZE +
		      (off_t)offsetof(struct record, state),
		      0);
	j->state[rec] = REC_DONE;
	pthread_mutex_unlock(&j->lock);
}

int qrpc_journal_replay(struct qrpc_binding *b)
{
	struct qrpc_journal_file *j = b ? b->journal : NULL;
	struct record *r;
	int rec, sent = 0, ret = 0;

	if (!j)
		return -EINVAL;
	/* Receipts that already came in mark their records done first. */
	qrpc_channel_reap_mine(b);
	r = malloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (rec = 0; rec < QRPC_JOURNAL_RECORDS; rec++) {
		pthread_mutex_lock(&j->lock);
		if (j->state[rec] != REC_PENDING ||
		    pread(j->fd, r, sizeof(*r), (off_t)rec * RECORD_SIZE) !=
		    sizeof(*r) || r->sum != record_sum(r)) {
			pthread_mutex_unlock(&j->lock);
			continue;
		}
		pthread_mutex_unlock(&j->lock);
		ret = qrpc_send_journalled(b, &r->iface, r->opnum, r->priority,
					   r->ttbr_s, r->payload, r->len, rec);
		if (ret)
			break;
		sent++;
	}
	free(r);
	return ret ? ret : sent;
}
