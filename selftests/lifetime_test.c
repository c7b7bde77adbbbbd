// SPDX-License-Identifier: GPL-2.0
/*
 * Time in the call engine: per-call timeouts, [message] expiry (time to
 * be received) into nothing or the dead-letter queue, waiting for room in
 * a full queue (time to reach the queue), and the dead-letter commands;
 * and thousands of messages of mixed priorities, none lost, in order.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "engine.h"
#include "kselftest_harness.h"

#define AREA (64 * 1024)

FIXTURE(life) {
	char name[QRPC_NAME_MAX];
	int owner;
	unsigned int owner_port;
	struct t_server srv;
	struct t_client cli;
};

/* A port with @depth queue entries, a server (not registered), a client. */
static void life_prepare(struct __test_metadata *_metadata,
		       FIXTURE_DATA(life) *self, unsigned int depth,
		       unsigned int nslots)
{
	struct qrpc_port_create pc;

	self->owner = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->owner);
	memset(&pc, 0, sizeof(pc));
	t_port_name(pc.name, "life");
	strcpy(self->name, pc.name);
	pc.mode = 0666;
	pc.limits.max_depth = depth;
	ASSERT_EQ(0, t_ioctl(self->owner, QRPC_IOC_PORT_CREATE, &pc));
	self->owner_port = pc.handle;
	ASSERT_EQ(0, t_server_start(&self->srv, self->name, 2, 0));
	ASSERT_EQ(0, t_client_start(&self->cli, self->name, nslots,
				    nslots * 256 > AREA ? nslots * 256 : AREA));
}

FIXTURE_SETUP(life)
{
	life_prepare(_metadata, self, 4, 16);
}

FIXTURE_TEARDOWN(life)
{
	t_client_stop(&self->cli);
	t_server_stop(&self->srv);
	t_port_unlink(self->owner, self->name);
	close(self->owner);
}

static int call_ioctl(FIXTURE_DATA(life) *self, unsigned int slot)
{
	return t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, slot, 0, 0);
}

/* Wait up to @ms for the next release-ring entry. */
static long release_wait(FIXTURE_DATA(life) *self, unsigned int ms)
{
	long e;

	for (;;) {
		e = t_release_next(&self->cli);
		if (e >= 0 || ms < 10)
			return e;
		usleep(10000);
		ms -= 10;
	}
}

TEST_F(life, plain_call_times_out_while_queued)
{
	struct qrpc_port_info pi;
	long e;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	t_slot_fill(&self->cli, 1, QRPC_KIND_CALL, 3, 4, 0);
	self->cli.slots[1].timeout_ms = 200;
	ASSERT_EQ(0, t_call_submit(&self->cli, 1));
	EXPECT_EQ(-ETIMEDOUT, t_wait_cqe(&self->cli.uring, 10000, NULL));
	EXPECT_EQ(-ETIMEDOUT, self->cli.results[1].status);
	e = t_release_next(&self->cli);
	EXPECT_EQ(1, QRPC_RELEASE_SLOT(e));
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &pi));
	EXPECT_EQ(1, pi.failed);
	EXPECT_EQ(0, pi.depth[3]);
}

/*
 * A call its server holds past the timeout completes at once with
 * -ETIMEDOUT; the server sees it cancelled; the slot comes back when the
 * server lets go.
 */
TEST_F(life, plain_call_times_out_at_server)
{
	long e;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	t_slot_fill(&self->cli, 2, QRPC_KIND_CALL, 3, 4, 0);
	self->cli.slots[2].timeout_ms = 200;
	ASSERT_EQ(0, t_call_submit(&self->cli, 2));
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0,
			  0, 0));
	EXPECT_EQ(-ETIMEDOUT, t_wait_cqe(&self->cli.uring, 10000, NULL));
	EXPECT_EQ(1, self->srv.desc[0].cancelled);
	EXPECT_EQ(-1, t_release_next(&self->cli));
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle, 0,
			  0, 0));
	e = t_release_next(&self->cli);
	EXPECT_EQ(2, QRPC_RELEASE_SLOT(e));
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 50, NULL));
}

/* A call answered in time is not touched by its timeout later. */
TEST_F(life, answered_call_unaffected_by_timeout)
{
	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	t_slot_fill(&self->cli, 0, QRPC_KIND_CALL, 3, 4, 0);
	self->cli.slots[0].timeout_ms = 300;
	ASSERT_EQ(0, t_call_submit(&self->cli, 0));
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0,
			  0, 0));
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle, 0,
			  0, 2));
	EXPECT_EQ(2, t_wait_cqe(&self->cli.uring, 5000, NULL));
	usleep(500000);
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 50, NULL));
	EXPECT_EQ(2, self->cli.results[0].rep_len);
}

/* A [message] not received in time is discarded, and the sender told. */
TEST_F(life, message_expires)
{
	struct qrpc_port_info pi;
	long e;

	t_slot_fill(&self->cli, 3, QRPC_KIND_MESSAGE, 3, 4, 0);
	self->cli.slots[3].ttbr_s = 1;
	ASSERT_EQ(0, call_ioctl(self, 3));
	EXPECT_EQ(-1, t_release_next(&self->cli));
	e = release_wait(self, 10000);
	EXPECT_EQ(3, QRPC_RELEASE_SLOT(e));
	EXPECT_EQ(QRPC_RELEASE_EXPIRED, QRPC_RELEASE_REASON(e));
	EXPECT_EQ(-ETIMEDOUT, self->cli.results[3].status);
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &pi));
	EXPECT_EQ(1, pi.expired);
	EXPECT_EQ(0, pi.deadlettered);
	EXPECT_EQ(0, pi.depth[3]);
}

/* Received in time: a server holding it past the deadline does not expire it. */
TEST_F(life, message_received_in_time_does_not_expire)
{
	long e;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	t_slot_fill(&self->cli, 0, QRPC_KIND_MESSAGE, 3, 4, 0);
	self->cli.slots[0].ttbr_s = 1;
	ASSERT_EQ(0, call_ioctl(self, 0));
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0,
			  0, 0));
	usleep(1500000);
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle, 0,
			  0, 0));
	e = t_release_next(&self->cli);
	EXPECT_EQ(QRPC_RELEASE_RECEIVED, QRPC_RELEASE_REASON(e));
}

static int dlq_list(FIXTURE_DATA(life) *self, struct qrpc_dlq_entry *e,
		    unsigned int n, unsigned int *total)
{
	struct qrpc_dlq_list l;
	int ret;

	memset(&l, 0, sizeof(l));
	l.port = self->owner_port;
	l.addr = (unsigned long)e;
	l.count = n;
	ret = t_ioctl(self->owner, QRPC_IOC_DLQ_LIST, &l);
	if (total)
		*total = l.total;
	return ret ? ret : (int)l.count;
}

static int dlq_op(FIXTURE_DATA(life) *self, unsigned long op,
		  unsigned long long id)
{
	struct qrpc_dlq_op o;
	int ret;

	memset(&o, 0, sizeof(o));
	o.port = self->owner_port;
	o.call_id = id;
	ret = t_ioctl(self->owner, op, &o);
	return ret ? ret : (int)o.count;
}

/*
 * With QRPC_SLOT_F_DEADLETTER an expired [message] is kept in the
 * dead-letter queue, with its bytes; it can be requeued and served, or
 * purged, which releases its slot.
 */
TEST_F(life, dead_letter_queue)
{
	struct qrpc_dlq_entry e[4];
	struct qrpc_port_info pi;
	struct qrpc_map_conn m;
	unsigned int total, i;
	unsigned char *req;
	long r;

	for (i = 0; i < 2; i++) {
		t_slot_fill(&self->cli, i, QRPC_KIND_MESSAGE, 6, 32, 0x40 + i);
		self->cli.slots[i].ttbr_s = 1;
		self->cli.slots[i].flags = QRPC_SLOT_F_DEADLETTER;
		ASSERT_EQ(0, call_ioctl(self, i));
	}
	for (i = 0; i < 300; i++) {
		ASSERT_EQ(0, t_port_info(self->owner, self->name, &pi));
		if (pi.dlq_depth == 2)
			break;
		usleep(10000);
	}
	EXPECT_EQ(2, pi.dlq_depth);
	EXPECT_EQ(2, pi.expired);
	EXPECT_EQ(2, pi.deadlettered);
	EXPECT_EQ(0, pi.queued_bytes);
	/* Dead-lettered messages keep their slots. */
	EXPECT_EQ(-1, t_release_next(&self->cli));

	ASSERT_EQ(2, dlq_list(self, e, 4, &total));
	EXPECT_EQ(2, total);
	EXPECT_EQ(0, e[0].slot);
	EXPECT_EQ(1, e[1].slot);
	EXPECT_EQ(32, e[0].req_len);
	EXPECT_EQ(6, e[0].priority);
	EXPECT_EQ(self->cli.conn_id, e[0].conn_id);
	EXPECT_EQ(getpid(), e[0].pid);
	EXPECT_LE(1000, e[0].age_ms);
	EXPECT_EQ(1, dlq_list(self, e, 1, &total));
	EXPECT_EQ(2, total);

	/* Requeue the first: it waits for a server, bytes intact. */
	EXPECT_EQ(1, dlq_op(self, QRPC_IOC_DLQ_REQUEUE, e[0].call_id));
	EXPECT_EQ(-ENOENT, dlq_op(self, QRPC_IOC_DLQ_REQUEUE, e[0].call_id));
	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0,
			  0, 0));
	EXPECT_EQ(0, self->srv.desc[0].slot);
	memset(&m, 0, sizeof(m));
	m.server = self->srv.handle;
	m.conn_id = self->cli.conn_id;
	ASSERT_EQ(0, t_ioctl(self->srv.fd, QRPC_IOC_MAP_CONN, &m));
	req = mmap(NULL, m.request_size, PROT_READ, MAP_SHARED, self->srv.fd,
		   m.request_off);
	ASSERT_NE(MAP_FAILED, req);
	EXPECT_EQ(0x40, req[self->srv.desc[0].req_off + 31]);
	munmap(req, m.request_size);
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle, 0,
			  0, 0));
	r = t_release_next(&self->cli);
	EXPECT_EQ(0, QRPC_RELEASE_SLOT(r));
	EXPECT_EQ(QRPC_RELEASE_RECEIVED, QRPC_RELEASE_REASON(r));

	/* Purge the rest: its slot comes back, marked dead-lettered. */
	EXPECT_EQ(1, dlq_op(self, QRPC_IOC_DLQ_PURGE, 0));
	r = t_release_next(&self->cli);
	EXPECT_EQ(1, QRPC_RELEASE_SLOT(r));
	EXPECT_EQ(QRPC_RELEASE_DEADLETTER, QRPC_RELEASE_REASON(r));
	EXPECT_EQ(-ENOENT, dlq_op(self, QRPC_IOC_DLQ_PURGE, 0));
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &pi));
	EXPECT_EQ(0, pi.dlq_depth);
}

TEST_F(life, dead_letter_commands_checked)
{
	struct qrpc_dlq_list l;
	struct qrpc_dlq_op o;
	unsigned int call_only = 0;
	int fd = t_open_port(self->name, QRPC_ACCESS_CALL, &call_only);

	ASSERT_LE(0, fd);
	memset(&l, 0, sizeof(l));
	l.port = call_only;
	EXPECT_EQ(-EACCES, t_ioctl(fd, QRPC_IOC_DLQ_LIST, &l));
	memset(&o, 0, sizeof(o));
	o.port = call_only;
	EXPECT_EQ(-EACCES, t_ioctl(fd, QRPC_IOC_DLQ_PURGE, &o));
	close(fd);
	memset(&l, 0, sizeof(l));
	l.port = self->owner_port;
	l.reserved0 = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(self->owner, QRPC_IOC_DLQ_LIST, &l));
	memset(&o, 0, sizeof(o));
	o.port = self->owner_port;
	o.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(self->owner, QRPC_IOC_DLQ_REQUEUE, &o));
	o.reserved[1] = 0;
	o.call_id = 12345678;
	EXPECT_EQ(-ENOENT, t_ioctl(self->owner, QRPC_IOC_DLQ_REQUEUE, &o));
	l.reserved0 = 0;
	l.port = 999;
	EXPECT_EQ(-EBADF, t_ioctl(self->owner, QRPC_IOC_DLQ_LIST, &l));
}

/* A full queue: -ENOBUFS, or a dropped [maybe], never a silent loss. */
TEST_F(life, full_queue_is_an_error_the_sender_sees)
{
	struct qrpc_port_info pi;
	unsigned int i;
	long e;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	for (i = 0; i < 4; i++) {
		t_slot_fill(&self->cli, i, QRPC_KIND_MESSAGE, 3, 4, 0);
		ASSERT_EQ(0, call_ioctl(self, i));
	}
	t_slot_fill(&self->cli, 4, QRPC_KIND_MESSAGE, 3, 4, 0);
	EXPECT_EQ(-ENOBUFS, call_ioctl(self, 4));
	t_slot_fill(&self->cli, 4, QRPC_KIND_CALL, 3, 4, 0);
	EXPECT_EQ(-ENOBUFS, call_ioctl(self, 4));
	/*
	 * Through io_uring too: -EAGAIN from ->uring_cmd would have io_uring
	 * issue the command again from a worker.
	 */
	t_slot_fill(&self->cli, 4, QRPC_KIND_MESSAGE, 3, 4, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 4));
	EXPECT_EQ(-ENOBUFS, t_wait_cqe(&self->cli.uring, 5000, NULL));
	t_slot_fill(&self->cli, 4, QRPC_KIND_MAYBE, 3, 4, 0);
	EXPECT_EQ(0, call_ioctl(self, 4));
	e = t_release_next(&self->cli);
	EXPECT_EQ(QRPC_RELEASE_DROPPED, QRPC_RELEASE_REASON(e));
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &pi));
	EXPECT_EQ(4, pi.depth[3]);
	EXPECT_EQ(1, pi.dropped);
	EXPECT_EQ(4, pi.enqueued);
}

/*
 * With a time to reach the queue, a [message] to a full queue waits for
 * room: its CALL completes when a server makes room, or fails with
 * -ETIMEDOUT when the time runs out.
 */
TEST_F(life, message_waits_for_room)
{
	struct qrpc_port_info pi;
	unsigned long long ud;
	unsigned int i;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	for (i = 0; i < 4; i++) {
		t_slot_fill(&self->cli, i, QRPC_KIND_MESSAGE, 3, 4, 0);
		ASSERT_EQ(0, call_ioctl(self, i));
	}
	t_slot_fill(&self->cli, 5, QRPC_KIND_MESSAGE, 3, 4, 0);
	self->cli.slots[5].ttrq_ms = 10000;
	ASSERT_EQ(0, t_call_submit(&self->cli, 5));
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 100, NULL));
	/* Taking one makes room: the waiting one is stored. */
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0,
			  0, 0));
	EXPECT_EQ(0, t_wait_cqe(&self->cli.uring, 5000, &ud));
	EXPECT_EQ(5, ud);
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &pi));
	EXPECT_EQ(4, pi.depth[3]);

	/* Nobody makes room this time. */
	t_slot_fill(&self->cli, 6, QRPC_KIND_MESSAGE, 3, 4, 0);
	self->cli.slots[6].ttrq_ms = 200;
	ASSERT_EQ(0, t_call_submit(&self->cli, 6));
	EXPECT_EQ(-ETIMEDOUT, t_wait_cqe(&self->cli.uring, 10000, NULL));
	/* A failed CALL leaves the slot free: not -EBUSY, but a new wait. */
	EXPECT_EQ(-ETIMEDOUT, call_ioctl(self, 6));
}

/*
 * A queued call whose caller dies makes room like any other that leaves
 * the queue: a [message] waiting for room is let in at once, instead of
 * waiting out its time to reach the queue.
 */
TEST_F(life, dead_callers_room_lets_a_waiting_message_in)
{
	unsigned long long ud = 0;
	unsigned int i;
	int status;
	pid_t pid;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	for (i = 0; i < 3; i++) {
		t_slot_fill(&self->cli, i, QRPC_KIND_MESSAGE, 3, 4, 0);
		ASSERT_EQ(0, call_ioctl(self, i));
	}
	/* The fourth entry: a plain call, its caller a child that dies. */
	t_slot_fill(&self->cli, 3, QRPC_KIND_CALL, 3, 4, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		call_ioctl(self, 3);
		_exit(0);
	}
	for (i = 0; i < 500; i++) {
		struct qrpc_port_info pi;

		ASSERT_EQ(0, t_port_info(self->owner, self->name, &pi));
		if (pi.depth[3] == 4)
			break;
		usleep(10000);
	}
	t_slot_fill(&self->cli, 5, QRPC_KIND_MESSAGE, 3, 4, 0);
	self->cli.slots[5].ttrq_ms = 60000;
	ASSERT_EQ(0, t_call_submit(&self->cli, 5));
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 100, NULL));

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* Long before its minute is up. */
	EXPECT_EQ(0, t_wait_cqe(&self->cli.uring, 20000, &ud));
	EXPECT_EQ(5, ud);
}

/* A user's queued bytes are bounded: -EDQUOT, or a dropped [maybe]. */
TEST_F(life, per_user_queued_bytes_quota)
{
	char old[32], quota[32];
	long e;

	if (getuid() != 0)
		SKIP(return, "needs root to change the module parameter");
	snprintf(quota, sizeof(quota), "%d", QRPC_CALL_OVERHEAD + 64);
	ASSERT_EQ(0, t_set_param("max_queued_bytes_per_user", quota, old,
				 sizeof(old)));

	t_slot_fill(&self->cli, 0, QRPC_KIND_MESSAGE, 3, 40, 0);
	EXPECT_EQ(0, call_ioctl(self, 0));
	t_slot_fill(&self->cli, 1, QRPC_KIND_MESSAGE, 3, 40, 0);
	EXPECT_EQ(-EDQUOT, call_ioctl(self, 1));
	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	t_slot_fill(&self->cli, 1, QRPC_KIND_MAYBE, 3, 40, 0);
	EXPECT_EQ(0, call_ioctl(self, 1));
	e = t_release_next(&self->cli);
	EXPECT_EQ(QRPC_RELEASE_DROPPED, QRPC_RELEASE_REASON(e));
	/* Taken off the queue, the bytes no longer count. */
	ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0,
			  0, 0));
	t_slot_fill(&self->cli, 1, QRPC_KIND_MESSAGE, 3, 40, 0);
	EXPECT_EQ(0, call_ioctl(self, 1));

	ASSERT_EQ(0, t_set_param("max_queued_bytes_per_user", old, NULL, 0));
}

FIXTURE(many) {
	FIXTURE_DATA(life) l;
};

FIXTURE_SETUP(many)
{
	life_prepare(_metadata, &self->l, 4096, 4096);
}

FIXTURE_TEARDOWN(many)
{
	t_client_stop(&self->l.cli);
	t_server_stop(&self->l.srv);
	t_port_unlink(self->l.owner, self->l.name);
	close(self->l.owner);
}

/* 3000 messages of mixed priorities: all delivered, in priority order. */
TEST_F(many, thousands_of_messages_in_order)
{
	FIXTURE_DATA(life) *l = &self->l;
	unsigned int i, n = 3000, last_prio = 8, last_seq = 0, got = 0;
	unsigned int per_prio[8] = { 0 };
	struct qrpc_map_conn m;
	unsigned char *req;

	srand(7);
	for (i = 0; i < n; i++) {
		unsigned int prio = rand() % 8;
		struct qrpc_slot *s = &l->cli.slots[i];

		t_slot_fill(&l->cli, i, QRPC_KIND_MESSAGE, prio, 4, 0);
		memcpy(l->cli.req + s->req_off, &i, sizeof(i));
		per_prio[prio]++;
		ASSERT_EQ(0, t_io(l->cli.fd, QRPC_IOC_CALL, l->cli.handle, i,
				  0, 0));
	}
	ASSERT_EQ(0, t_server_register(&l->srv, &t_iface, 1));
	memset(&m, 0, sizeof(m));
	m.server = l->srv.handle;
	m.conn_id = l->cli.conn_id;
	ASSERT_EQ(0, t_ioctl(l->srv.fd, QRPC_IOC_MAP_CONN, &m));
	req = mmap(NULL, m.request_size, PROT_READ, MAP_SHARED, l->srv.fd,
		   m.request_off);
	ASSERT_NE(MAP_FAILED, req);
	for (i = 0; i < n; i++) {
		struct qrpc_call_desc *d = &l->srv.desc[0];
		unsigned int seq;

		ASSERT_EQ(0, t_io(l->srv.fd, QRPC_IOC_FETCH, l->srv.handle, 0,
				  0, 0));
		memcpy(&seq, req + d->req_off, sizeof(seq));
		ASSERT_GE(last_prio, d->priority);
		if (d->priority == last_prio)
			ASSERT_LT(last_seq, seq);
		last_prio = d->priority;
		last_seq = seq;
		per_prio[d->priority]--;
		got++;
		ASSERT_EQ(0, t_io(l->srv.fd, QRPC_IOC_COMMIT, l->srv.handle, 0,
				  0, 0));
	}
	EXPECT_EQ(n, got);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, per_prio[i]);
	for (i = 0; i < n; i++)
		EXPECT_EQ(QRPC_RELEASE_RECEIVED,
			  QRPC_RELEASE_REASON(t_release_next(&l->cli)));
	EXPECT_EQ(-1, t_release_next(&l->cli));
	munmap(req, m.request_size);
}

TEST_HARNESS_MAIN
