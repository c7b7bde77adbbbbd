// SPDX-License-Identifier: GPL-2.0
/*
 * The call engine: plain calls, [maybe] and [message], through io_uring
 * and ioctl; direct hand-over to a parked server; strict priority with
 * FIFO within a level; registration before dispatch; server death;
 * faults; cancellation; hostile slots and mappings; caller credentials;
 * and processes that exit or are killed with commands parked.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "engine.h"
#include "kselftest_harness.h"

#define AREA (64 * 1024)

FIXTURE(eng) {
	char name[QRPC_NAME_MAX];
	int owner;
	struct t_server srv;
	struct t_client cli;
	unsigned char *srv_req;
	unsigned char *srv_rep;
};

FIXTURE_SETUP(eng)
{
	self->owner = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->owner);
	t_port_name(self->name, "eng");
	ASSERT_LT(0, t_port_create(self->owner, self->name, 0666, 0));
	ASSERT_EQ(0, t_server_start(&self->srv, self->name, 4, 1));
	ASSERT_EQ(0, t_client_start(&self->cli, self->name, 16, AREA));
	self->srv_req = NULL;
	self->srv_rep = NULL;
}

FIXTURE_TEARDOWN(eng)
{
	if (self->srv_req)
		munmap(self->srv_req, AREA);
	if (self->srv_rep)
		munmap(self->srv_rep, AREA);
	t_client_stop(&self->cli);
	t_server_stop(&self->srv);
	t_port_unlink(self->owner, self->name);
	close(self->owner);
}

/* Map the client's request (read-only) and reply (read-write) areas. */
static int map_client_areas(FIXTURE_DATA(eng) *self)
{
	struct qrpc_map_conn m;

	memset(&m, 0, sizeof(m));
	m.server = self->srv.handle;
	m.conn_id = self->cli.conn_id;
	if (t_ioctl(self->srv.fd, QRPC_IOC_MAP_CONN, &m))
		return -1;
	self->srv_req = mmap(NULL, m.request_size, PROT_READ, MAP_SHARED,
			     self->srv.fd, m.request_off);
	self->srv_rep = mmap(NULL, m.reply_size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, self->srv.fd, m.reply_off);
	return self->srv_req == MAP_FAILED || self->srv_rep == MAP_FAILED ?
	       -1 : 0;
}

static int fetch(FIXTURE_DATA(eng) *self, unsigned int tag)
{
	return t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, tag, 0, 0);
}

static int commit(FIXTURE_DATA(eng) *self, unsigned int tag,
		  unsigned int fault, unsigned int len)
{
	return t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle, tag,
		    fault, len);
}

/* A call the server reads and answers in place, end to end. */
TEST_F(eng, round_trip_uring_client_ioctl_server)
{
	struct qrpc_call_desc *d = &self->srv.desc[0];
	unsigned long long ud;
	long e;

	t_slot_fill(&self->cli, 3, QRPC_KIND_CALL, 5, 100, 0xab);
	ASSERT_EQ(0, t_call_submit(&self->cli, 3));
	/* Nothing has answered yet. */
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 50, NULL));

	ASSERT_EQ(0, fetch(self, 0));
	EXPECT_EQ(QRPC_KIND_CALL, d->kind);
	EXPECT_EQ(5, d->priority);
	EXPECT_EQ(7, d->opnum);
	EXPECT_EQ(3, d->slot);
	EXPECT_EQ(self->cli.conn_id, d->conn_id);
	EXPECT_EQ(100, d->req_len);
	EXPECT_EQ(0, memcmp(&t_iface, &d->iface, sizeof(t_iface)));
	EXPECT_EQ(getpid(), d->pid);
	EXPECT_EQ(geteuid(), d->uid);
	EXPECT_EQ(getegid(), d->gid);
	EXPECT_EQ(0, d->cancelled);

	ASSERT_EQ(0, map_client_areas(self));
	EXPECT_EQ(0xab, self->srv_req[d->req_off]);
	EXPECT_EQ(0xab, self->srv_req[d->req_off + 99]);
	memset(self->srv_rep + d->rep_off, 0x5c, 40);
	ASSERT_EQ(0, commit(self, 0, 0, 40));

	ASSERT_EQ(40, t_wait_cqe(&self->cli.uring, 5000, &ud));
	EXPECT_EQ(3, ud);
	EXPECT_EQ(0x5c, self->cli.reply[self->cli.slots[3].rep_off + 39]);
	EXPECT_EQ(0, self->cli.results[3].status);
	EXPECT_EQ(40, self->cli.results[3].rep_len);
	e = t_release_next(&self->cli);
	EXPECT_EQ(3, QRPC_RELEASE_SLOT(e));
	EXPECT_EQ(QRPC_RELEASE_DONE, QRPC_RELEASE_REASON(e));
	EXPECT_EQ(-1, t_release_next(&self->cli));
	/* The tag is free again; nothing else is queued. */
	EXPECT_EQ(-ENOENT, commit(self, 0, 0, 0));
}

struct ioctl_call {
	struct t_client *cli;
	unsigned int slot;
	int ret;
};

static void *ioctl_caller(void *arg)
{
	struct ioctl_call *ic = arg;

	ic->ret = t_io(ic->cli->fd, QRPC_IOC_CALL, ic->cli->handle, ic->slot,
		       0, 0);
	return NULL;
}

/*
 * A parked FETCH gets a new call handed over directly; the client here
 * blocks in ioctl() and the server answers with COMMIT_AND_FETCH.
 */
TEST_F(eng, parked_fetch_gets_call_ioctl_client)
{
	struct ioctl_call ic = { &self->cli, 1, 1 };
	struct io_uring sring;
	pthread_t th;

	ASSERT_EQ(0, io_uring_queue_init(8, &sring, 0));
	t_submit_io(&sring, self->srv.fd, QRPC_IOC_FETCH, self->srv.handle,
		     2, 0, 0);
	EXPECT_EQ(-ETIME, t_wait_cqe(&sring, 50, NULL));

	t_slot_fill(&self->cli, 1, QRPC_KIND_CALL, 0, 8, 1);
	ASSERT_EQ(0, pthread_create(&th, NULL, ioctl_caller, &ic));
	ASSERT_EQ(0, t_wait_cqe(&sring, 5000, NULL));
	EXPECT_EQ(1, self->srv.desc[2].slot);

	/* Answer and park again in one command. */
	t_submit_io(&sring, self->srv.fd, QRPC_IOC_COMMIT_AND_FETCH,
		     self->srv.handle, 2, 0, 3);
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(3, ic.ret);
	EXPECT_EQ(-ETIME, t_wait_cqe(&sring, 50, NULL));
	/* The re-armed tag is busy until a call comes. */
	EXPECT_EQ(-EBUSY, fetch(self, 2));
	io_uring_queue_exit(&sring);
}

TEST_F(eng, commit_checks)
{
	t_slot_fill(&self->cli, 0, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 0));
	ASSERT_EQ(0, fetch(self, 0));
	/* A reply larger than the room the caller gave. */
	EXPECT_EQ(-EINVAL, commit(self, 0, 0, 257));
	EXPECT_EQ(-EINVAL, t_io(self->srv.fd, QRPC_IOC_COMMIT,
				self->srv.handle, 99, 0, 0));
	EXPECT_EQ(-EBADF, t_io(self->srv.fd, QRPC_IOC_COMMIT,
			       self->srv.handle + 100, 0, 0, 0));
	EXPECT_EQ(-EBUSY, fetch(self, 0));
	EXPECT_EQ(-EINVAL, t_io(self->srv.fd, QRPC_IOC_FETCH,
				self->srv.handle, 1, 1, 0));
	ASSERT_EQ(0, commit(self, 0, 0, 256));
	EXPECT_EQ(256, t_wait_cqe(&self->cli.uring, 5000, NULL));
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * COMMIT_AND_FETCH says which half failed: -ENOENT and -EINVAL are the
 * commit's (nothing was committed or fetched), any other error the
 * fetch's after the commit was done; a signal during the fetch is -EINTR
 * even with SA_RESTART, since a restart would commit twice.
 */
TEST_F(eng, commit_and_fetch_errors_say_which_half_failed)
{
	struct sigaction sa, old;
	struct itimerval it;
	unsigned long long ud;

	/* Nothing held: -ENOENT, and the tag was not armed. */
	EXPECT_EQ(-ENOENT, t_io(self->srv.fd, QRPC_IOC_COMMIT_AND_FETCH,
				self->srv.handle, 0, 0, 0));
	t_slot_fill(&self->cli, 5, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 5));
	ASSERT_EQ(0, fetch(self, 0));
	/* A reply too large: -EINVAL, and the call is still held. */
	EXPECT_EQ(-EINVAL, t_io(self->srv.fd, QRPC_IOC_COMMIT_AND_FETCH,
				self->srv.handle, 0, 0, 257));
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 50, NULL));
	EXPECT_EQ(-EBUSY, fetch(self, 0));

	/* Committed, then the wait for the next call is interrupted. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, &old));
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 200 * 1000;
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, t_io(self->srv.fd, QRPC_IOC_COMMIT_AND_FETCH,
			       self->srv.handle, 0, 0, 9));
	sigaction(SIGALRM, &old, NULL);
	EXPECT_EQ(9, t_wait_cqe(&self->cli.uring, 5000, &ud));
	EXPECT_EQ(5, ud);
	/* The tag holds nothing: there is nothing to commit again. */
	EXPECT_EQ(-ENOENT, commit(self, 0, 0, 0));
}

/* The server aborts with a fault code; the caller gets it. */
TEST_F(eng, server_fault_reaches_caller)
{
	t_slot_fill(&self->cli, 4, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 4));
	ASSERT_EQ(0, fetch(self, 0));
	ASSERT_EQ(0, commit(self, 0, 1818, 0));
	EXPECT_EQ(-EREMOTEIO, t_wait_cqe(&self->cli.uring, 5000, NULL));
	EXPECT_EQ(-EREMOTEIO, self->cli.results[4].status);
	EXPECT_EQ(1818, self->cli.results[4].fault);
}

/* Strict priority, FIFO within a level, nothing lost. */
TEST_F(eng, messages_by_priority_then_arrival)
{
	static const unsigned char prio[16] = {
		0, 7, 3, 3, 7, 0, 5, 1, 3, 7, 2, 0, 6, 3, 5, 4,
	};
	unsigned int i, last_prio = 8, last_seq = 0;
	struct qrpc_port_info info;

	for (i = 0; i < 16; i++) {
		t_slot_fill(&self->cli, i, QRPC_KIND_MESSAGE, prio[i], 1, i);
		/* One-way calls complete once queued. */
		ASSERT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle,
				  i, 0, 0));
	}
	ASSERT_EQ(0, map_client_areas(self));
	for (i = 0; i < 16; i++) {
		struct qrpc_call_desc *d = &self->srv.desc[0];
		unsigned int seq;

		ASSERT_EQ(0, fetch(self, 0));
		seq = self->srv_req[d->req_off];
		EXPECT_EQ(QRPC_KIND_MESSAGE, d->kind);
		EXPECT_EQ(prio[seq], d->priority);
		EXPECT_GE(last_prio, d->priority);
		if (d->priority == last_prio)
			EXPECT_LT(last_seq, seq);
		last_prio = d->priority;
		last_seq = seq;
		ASSERT_EQ(0, commit(self, 0, 0, 0));
		EXPECT_EQ(QRPC_RELEASE_RECEIVED,
			  QRPC_RELEASE_REASON(t_release_next(&self->cli)));
	}
	/* Drained: nothing is left queued. */
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &info));
	EXPECT_EQ(0, info.queued_bytes);
	EXPECT_EQ(16, info.enqueued);
	EXPECT_EQ(16, info.delivered);
}

/* With no server for the interface: [maybe] is dropped and counted. */
TEST_F(eng, maybe_without_server_dropped_and_counted)
{
	struct qrpc_port_info info;
	long e;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 0));
	t_slot_fill(&self->cli, 2, QRPC_KIND_MAYBE, 3, 4, 0);
	EXPECT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 2,
			  0, 0));
	e = t_release_next(&self->cli);
	EXPECT_EQ(2, QRPC_RELEASE_SLOT(e));
	EXPECT_EQ(QRPC_RELEASE_DROPPED, QRPC_RELEASE_REASON(e));
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &info));
	EXPECT_EQ(1, info.dropped);
	EXPECT_EQ(1, info.servers);
	EXPECT_EQ(1, info.connections);
	/* A plain call says why it cannot be made. */
	t_slot_fill(&self->cli, 3, QRPC_KIND_CALL, 3, 4, 0);
	EXPECT_EQ(-ENOTCONN, t_io(self->cli.fd, QRPC_IOC_CALL,
				  self->cli.handle, 3, 0, 0));
}

/*
 * A [message] sent before any server registered its interface waits, and
 * is handed to a parked FETCH as soon as the interface is registered.
 */
TEST_F(eng, message_waits_for_registration)
{
	struct qrpc_port_info info;
	struct io_uring sring;

	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 0));
	t_slot_fill(&self->cli, 5, QRPC_KIND_MESSAGE, 2, 16, 9);
	ASSERT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 5,
			  0, 0));
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &info));
	EXPECT_EQ(1, info.depth[2]);
	EXPECT_EQ(16, info.queued_bytes);

	ASSERT_EQ(0, io_uring_queue_init(4, &sring, 0));
	t_submit_io(&sring, self->srv.fd, QRPC_IOC_FETCH, self->srv.handle,
		     0, 0, 0);
	EXPECT_EQ(-ETIME, t_wait_cqe(&sring, 50, NULL));
	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	ASSERT_EQ(0, t_wait_cqe(&sring, 5000, NULL));
	EXPECT_EQ(5, self->srv.desc[0].slot);
	EXPECT_EQ(QRPC_KIND_MESSAGE, self->srv.desc[0].kind);
	io_uring_queue_exit(&sring);
	EXPECT_EQ(-EEXIST, t_server_register(&self->srv, &t_iface, 1));
}

/* Park a FETCH on tag @tag through io_uring; 0 or -errno. */
static int park_fetch(FIXTURE_DATA(eng) *self, struct io_uring *r,
		      unsigned int tag)
{
	int ret = io_uring_queue_init(4, r, 0);

	if (!ret)
		t_submit_io(r, self->srv.fd, QRPC_IOC_FETCH, self->srv.handle,
			     tag, 0, 0);
	return ret;
}

/* Calls carry a major and minor version; a server takes minor <= its own. */
TEST_F(eng, interface_versions)
{
	struct qrpc_if_id v2 = t_iface;
	struct io_uring r;

	t_slot_fill(&self->cli, 0, QRPC_KIND_MESSAGE, 3, 1, 0);
	self->cli.slots[0].iface.minor = 2;
	ASSERT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 0,
			  0, 0));
	ASSERT_EQ(0, park_fetch(self, &r, 1));
	/* Registered at minor 0: the minor-2 call is not for this server. */
	EXPECT_EQ(-ETIME, t_wait_cqe(&r, 100, NULL));
	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 0));
	v2.minor = 2;
	ASSERT_EQ(0, t_server_register(&self->srv, &v2, 1));
	/* The queued call goes out when a server can take it. */
	ASSERT_EQ(0, t_wait_cqe(&r, 5000, NULL));
	EXPECT_EQ(2, self->srv.desc[1].iface.minor);
	io_uring_queue_exit(&r);
	/* Another major is another interface. */
	v2.major = 2;
	t_slot_fill(&self->cli, 1, QRPC_KIND_CALL, 3, 1, 0);
	self->cli.slots[1].iface.major = 2;
	EXPECT_EQ(-ENOTCONN, t_io(self->cli.fd, QRPC_IOC_CALL,
				  self->cli.handle, 1, 0, 0));
}

/*
 * The server goes away holding calls: the plain call fails with -EPIPE,
 * the [message] goes back to the queue for the next server.
 */
TEST_F(eng, server_death_fails_calls_keeps_messages)
{
	struct t_server next;
	long e;

	t_slot_fill(&self->cli, 0, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 0));
	t_slot_fill(&self->cli, 1, QRPC_KIND_MESSAGE, 3, 1, 0x77);
	ASSERT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 1,
			  0, 0));
	ASSERT_EQ(0, fetch(self, 0));
	ASSERT_EQ(0, fetch(self, 1));
	EXPECT_EQ(0, self->srv.desc[0].slot);
	EXPECT_EQ(1, self->srv.desc[1].slot);

	t_server_stop(&self->srv);
	EXPECT_EQ(-EPIPE, t_wait_cqe(&self->cli.uring, 5000, NULL));
	EXPECT_EQ(-EPIPE, self->cli.results[0].status);
	e = t_release_next(&self->cli);
	EXPECT_EQ(0, QRPC_RELEASE_SLOT(e));

	ASSERT_EQ(0, t_server_start(&next, self->name, 2, 1));
	ASSERT_EQ(0, t_io(next.fd, QRPC_IOC_FETCH, next.handle, 0, 0, 0));
	EXPECT_EQ(1, next.desc[0].slot);
	EXPECT_EQ(QRPC_KIND_MESSAGE, next.desc[0].kind);
	ASSERT_EQ(0, t_io(next.fd, QRPC_IOC_COMMIT, next.handle, 0, 0, 0));
	e = t_release_next(&self->cli);
	EXPECT_EQ(1, QRPC_RELEASE_SLOT(e));
	EXPECT_EQ(QRPC_RELEASE_RECEIVED, QRPC_RELEASE_REASON(e));
	t_server_stop(&next);
}

/*
 * A call carries the identity of the process that made its connection,
 * as SO_PEERCRED does: a child that inherited the connection and dropped
 * to another uid is still seen as its parent, root.
 */
TEST_F(eng, caller_is_who_connected)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs root to change the child's ids");
	t_slot_fill(&self->cli, 3, QRPC_KIND_MESSAGE, 3, 8, 0x33);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 3,
			   0, 0) ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, fetch(self, 0));
	EXPECT_EQ(3, self->srv.desc[0].slot);
	EXPECT_EQ(getpid(), self->srv.desc[0].pid);
	EXPECT_EQ(0, self->srv.desc[0].uid);
	EXPECT_EQ(getegid(), self->srv.desc[0].gid);
	EXPECT_EQ(0, commit(self, 0, 0, 0));
}

/* A queued call is dropped by cancel; its slot comes back at once. */
TEST_F(eng, cancel_queued_call)
{
	long e;

	t_slot_fill(&self->cli, 6, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 6));
	EXPECT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CANCEL, self->cli.handle, 6,
			  0, 0));
	EXPECT_EQ(-ECANCELED, t_wait_cqe(&self->cli.uring, 5000, NULL));
	e = t_release_next(&self->cli);
	EXPECT_EQ(6, QRPC_RELEASE_SLOT(e));
	EXPECT_EQ(-ECANCELED, self->cli.results[6].status);
	EXPECT_EQ(-ENOENT, t_io(self->cli.fd, QRPC_IOC_CANCEL,
				self->cli.handle, 6, 0, 0));
}

/*
 * Abortive cancel completes the call now; the server sees the flag, and
 * the slot stays the kernel's until the server lets go of the call.
 */
TEST_F(eng, abortive_cancel_of_dispatched_call)
{
	long e;

	t_slot_fill(&self->cli, 2, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 2));
	ASSERT_EQ(0, fetch(self, 0));
	EXPECT_EQ(0, self->srv.desc[0].cancelled);
	EXPECT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CANCEL, self->cli.handle, 2,
			  QRPC_CANCEL_F_ABORTIVE, 0));
	EXPECT_EQ(-ECANCELED, t_wait_cqe(&self->cli.uring, 5000, NULL));
	EXPECT_EQ(1, self->srv.desc[0].cancelled);
	EXPECT_EQ(-1, t_release_next(&self->cli));
	/* The slot is still busy. */
	t_slot_fill(&self->cli, 2, QRPC_KIND_CALL, 3, 1, 0);
	EXPECT_EQ(-EBUSY, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle,
			       2, 0, 0));
	ASSERT_EQ(0, commit(self, 0, 0, 1));
	e = t_release_next(&self->cli);
	EXPECT_EQ(2, QRPC_RELEASE_SLOT(e));
	/* No second completion for the call. */
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 50, NULL));
}

/* Non-abortive cancel only tells the server; the reply still comes. */
TEST_F(eng, non_abortive_cancel_waits_for_server)
{
	t_slot_fill(&self->cli, 2, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 2));
	ASSERT_EQ(0, fetch(self, 0));
	EXPECT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CANCEL, self->cli.handle, 2,
			  0, 0));
	EXPECT_EQ(-ETIME, t_wait_cqe(&self->cli.uring, 50, NULL));
	EXPECT_EQ(1, self->srv.desc[0].cancelled);
	ASSERT_EQ(0, commit(self, 0, 0, 5));
	EXPECT_EQ(5, t_wait_cqe(&self->cli.uring, 5000, NULL));
	EXPECT_EQ(-EINVAL, t_io(self->cli.fd, QRPC_IOC_CANCEL,
				self->cli.handle, 2, 2, 0));
}

/* Everything a slot can get wrong is refused, and nothing is queued. */
TEST_F(eng, hostile_slots_rejected)
{
	struct qrpc_port_info info;
	struct qrpc_slot *s = &self->cli.slots[0];
	int h = self->cli.handle, fd = self->cli.fd;

#define BAD(expect, mutate) do {					\
		t_slot_fill(&self->cli, 0, QRPC_KIND_CALL, 3, 8, 0);	\
		mutate;							\
		EXPECT_EQ(expect, t_io(fd, QRPC_IOC_CALL, h, 0, 0, 0))	\
			TH_LOG("%s", #mutate);				\
	} while (0)

	BAD(-EINVAL, s->kind = 0);
	BAD(-EINVAL, s->kind = 4);
	BAD(-EINVAL, s->priority = 8);
	BAD(-EINVAL, s->flags = 0x8000);
	BAD(-EINVAL, s->reserved0 = 1);
	BAD(-EINVAL, s->iface.reserved0 = 1);
	BAD(-EINVAL, s->req_off = AREA);
	BAD(-EINVAL, (s->req_off = 0xffffffff, s->req_len = 2));
	BAD(-EINVAL, (s->req_off = 8, s->req_len = AREA));
	BAD(-EINVAL, s->rep_off = AREA - 10);
	BAD(-EINVAL, (s->rep_off = 0xfffffff0, s->rep_cap = 0x20));
	BAD(-EINVAL, s->ttbr_s = 5);
	BAD(-EINVAL, (s->kind = QRPC_KIND_MESSAGE, s->rep_cap = 256));
	BAD(-EINVAL, (s->kind = QRPC_KIND_MAYBE, s->rep_cap = 0,
		      s->rep_off = 0, s->ttbr_s = 1));
	EXPECT_EQ(-EINVAL, t_io(fd, QRPC_IOC_CALL, h, 16, 0, 0));
	EXPECT_EQ(-EINVAL, t_io(fd, QRPC_IOC_CALL, h, ~0U, 0, 0));
	EXPECT_EQ(-EINVAL, t_io(fd, QRPC_IOC_CALL, h, 0, 1, 0));
	EXPECT_EQ(-EBADF, t_io(fd, QRPC_IOC_CALL, h + 1000, 0, 0, 0));
	/* A port handle is not a connection. */
	EXPECT_EQ(-EBADF, t_io(self->owner, QRPC_IOC_CALL, 1, 0, 0, 0));
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &info));
	EXPECT_EQ(0, info.enqueued);
#undef BAD
}

/*
 * The module's mmap offset of region @type of object @id, made up here
 * to aim at regions the test was not given (the module's encoding: the
 * type above 28 bits of id, in pages).
 */
static off_t region_off(unsigned int type, unsigned int id)
{
	return (off_t)((__u64)type << 28 | id) * 4096;
}

/* Regions map only as documented. */
TEST_F(eng, hostile_mmaps_rejected)
{
	struct qrpc_connect cn;
	unsigned int port = 0;
	int other;
	void *p;

	/* Read-only regions refuse write access, now and later. */
	p = mmap(NULL, self->cli.results_size, PROT_READ | PROT_WRITE,
		 MAP_SHARED, self->cli.fd,
		 region_off(2, self->cli.conn_id));
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, mprotect(self->cli.results, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(-1, mprotect(self->cli.reply, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(-1, mprotect(self->srv.desc, 4096, PROT_READ | PROT_WRITE));

	/* Wrong sizes, private mappings, unknown offsets. */
	memset(&cn, 0, sizeof(cn));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->cli.fd,
		 region_off(2, self->cli.conn_id));
	if (self->cli.results_size != 4096) {
		EXPECT_EQ(MAP_FAILED, p);
	} else {
		EXPECT_NE(MAP_FAILED, p);
		munmap(p, 4096);
	}
	p = mmap(NULL, self->cli.reply_size * 2, PROT_READ, MAP_SHARED,
		 self->cli.fd,
		 region_off(3, self->cli.conn_id));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, self->cli.reply_size, PROT_READ, MAP_PRIVATE,
		 self->cli.fd,
		 region_off(3, self->cli.conn_id));
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->cli.fd,
		 region_off(99, self->cli.conn_id));
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->cli.fd,
		 region_off(3, 0x0ffffff0));
	EXPECT_EQ(MAP_FAILED, p);

	/* Another file may map neither the client's areas nor the table. */
	other = t_open_port(self->name, QRPC_ACCESS_CALL, &port);
	ASSERT_LE(0, other);
	p = mmap(NULL, self->cli.reply_size, PROT_READ, MAP_SHARED, other,
		 region_off(3, self->cli.conn_id));
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	/* The request area is for servers of the port only. */
	p = mmap(NULL, AREA, PROT_READ, MAP_SHARED, other,
		 region_off(4, self->cli.conn_id));
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, self->srv.desc_size, PROT_READ, MAP_SHARED, other,
		 region_off(6, 0));
	EXPECT_EQ(MAP_FAILED, p);
	close(other);
}

/*
 * Unlinking a port removes its name, as unlinking a file does: connections
 * and servers made before go on working; once no server is left, a plain
 * call is -ENOTCONN.  -EIDRM reaches no caller: calls still queued when
 * the last connection and server are gone fail with the port, unseen.
 */
TEST_F(eng, unlinked_port_keeps_its_connections)
{
	unsigned int h;

	ASSERT_EQ(0, t_port_unlink(self->owner, self->name));
	EXPECT_EQ(-ENOENT, t_open_port(self->name, QRPC_ACCESS_CALL, &h));

	t_slot_fill(&self->cli, 1, QRPC_KIND_CALL, 3, 8, 0x11);
	ASSERT_EQ(0, t_call_submit(&self->cli, 1));
	ASSERT_EQ(0, fetch(self, 0));
	ASSERT_EQ(0, commit(self, 0, 0, 4));
	EXPECT_EQ(4, t_wait_cqe(&self->cli.uring, 5000, NULL));
	EXPECT_EQ(1, QRPC_RELEASE_SLOT(t_release_next(&self->cli)));

	t_server_stop(&self->srv);
	t_slot_fill(&self->cli, 2, QRPC_KIND_CALL, 3, 8, 0x22);
	EXPECT_EQ(-ENOTCONN, t_io(self->cli.fd, QRPC_IOC_CALL,
				  self->cli.handle, 2, 0, 0));
}

/* A request larger than the port allows is -EMSGSIZE, even if it fits. */
TEST_F(eng, request_above_port_limit)
{
	struct qrpc_port_create pc;
	struct t_client small;

	memset(&pc, 0, sizeof(pc));
	t_port_name(pc.name, "small");
	pc.mode = 0600;
	pc.limits.max_payload = 16;
	ASSERT_EQ(0, t_ioctl(self->owner, QRPC_IOC_PORT_CREATE, &pc));
	ASSERT_EQ(0, t_client_start(&small, pc.name, 4, 4096));
	t_slot_fill(&small, 0, QRPC_KIND_MESSAGE, 3, 17, 0);
	EXPECT_EQ(-EMSGSIZE, t_io(small.fd, QRPC_IOC_CALL, small.handle, 0,
				  0, 0));
	t_slot_fill(&small, 0, QRPC_KIND_MESSAGE, 3, 16, 0);
	EXPECT_EQ(0, t_io(small.fd, QRPC_IOC_CALL, small.handle, 0, 0, 0));
	t_client_stop(&small);
	EXPECT_EQ(0, t_port_unlink(self->owner, pc.name));
}

TEST_F(eng, connect_and_serve_arguments_checked)
{
	struct qrpc_connect cn;
	struct qrpc_serve sv;
	unsigned int port = 0;
	int fd = t_open_port(self->name, QRPC_ACCESS_CALL, &port);

	ASSERT_LE(0, fd);
	memset(&cn, 0, sizeof(cn));
	cn.port = port;
	cn.req_size = cn.rep_size = 4096;
	cn.nslots = 3;
	EXPECT_EQ(-EINVAL, t_ioctl(fd, QRPC_IOC_CONNECT, &cn));
	cn.nslots = 8192;
	EXPECT_EQ(-EINVAL, t_ioctl(fd, QRPC_IOC_CONNECT, &cn));
	cn.nslots = 4;
	cn.req_size = 100;
	EXPECT_EQ(-EINVAL, t_ioctl(fd, QRPC_IOC_CONNECT, &cn));
	cn.req_size = 0x80000000U;
	EXPECT_EQ(-EINVAL, t_ioctl(fd, QRPC_IOC_CONNECT, &cn));
	cn.req_size = 4096;
	cn.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(fd, QRPC_IOC_CONNECT, &cn));
	cn.reserved[1] = 0;
	EXPECT_EQ(0, t_ioctl(fd, QRPC_IOC_CONNECT, &cn));

	/* A port opened only to call cannot serve. */
	memset(&sv, 0, sizeof(sv));
	sv.port = port;
	sv.depth = 1;
	EXPECT_EQ(-EACCES, t_ioctl(fd, QRPC_IOC_SERVE, &sv));
	sv.depth = 0;
	EXPECT_EQ(-EINVAL, t_ioctl(fd, QRPC_IOC_SERVE, &sv));
	close(fd);
}

/*
 * A process that exits with parked commands (a CALL and a FETCH) exits
 * promptly, each command completed once, on every kernel.
 */
TEST_F(eng, exit_with_parked_commands)
{
	pid_t pid;
	int status, i;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct t_client c;
		struct t_server s;
		struct io_uring r;

		if (t_client_start(&c, self->name, 4, 4096) ||
		    t_server_start(&s, self->name, 2, 0) ||
		    io_uring_queue_init(4, &r, 0))
			_exit(1);
		t_slot_fill(&c, 0, QRPC_KIND_CALL, 3, 1, 0);
		c.slots[0].iface.uuid[0] ^= 0xff;	/* nobody serves it */
		c.slots[0].kind = QRPC_KIND_MESSAGE;
		c.slots[0].rep_cap = 0;
		c.slots[0].rep_off = 0;
		if (t_io(c.fd, QRPC_IOC_CALL, c.handle, 0, 0, 0))
			_exit(2);
		t_slot_fill(&c, 1, QRPC_KIND_CALL, 3, 1, 0);
		if (t_call_submit(&c, 1))
			_exit(3);
		t_submit_io(&r, s.fd, QRPC_IOC_FETCH, s.handle, 0, 0, 0);
		_exit(0);
	}
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(50000);
	}
	ASSERT_GT(200, i) TH_LOG("the process did not exit within 10 s");
	EXPECT_EQ(0, WEXITSTATUS(status));
	{
		struct qrpc_port_info info;

		/*
		 * Its files are released once io_uring has let go of them,
		 * which may be after the exit.  Then its queued plain call
		 * has gone with it, and its [message] (for an interface
		 * nobody serves) stays queued for a future server.
		 */
		for (i = 0; i < 200; i++) {
			ASSERT_EQ(0, t_port_info(self->owner, self->name, &info));
			if (info.connections == 1 && info.servers == 1)
				break;
			usleep(50000);
		}
		EXPECT_EQ(1, info.connections);
		EXPECT_EQ(1, info.servers);
		EXPECT_EQ(2, info.enqueued);
		EXPECT_EQ(1, info.depth[3]);
	}
}

/* A client killed while its call is with the server: the reply is discarded. */
TEST_F(eng, client_killed_mid_call)
{
	pid_t pid;
	int status, pipefd[2], i;
	char c;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct t_client cl;

		if (t_client_start(&cl, self->name, 4, 4096))
			_exit(1);
		t_slot_fill(&cl, 0, QRPC_KIND_CALL, 3, 1, 0);
		if (t_call_submit(&cl, 0))
			_exit(2);
		write(pipefd[1], "x", 1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(pipefd[0], &c, 1));
	ASSERT_EQ(0, fetch(self, 0));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	/*
	 * The server can see that nobody waits for this reply, once the
	 * dead process's files are released (io_uring may do that after
	 * the exit).
	 */
	for (i = 0; i < 200 && !self->srv.desc[0].flags; i++)
		usleep(50000);
	EXPECT_EQ(QRPC_DESC_F_ORPHAN, self->srv.desc[0].flags);
	EXPECT_EQ(1, self->srv.desc[0].cancelled);
	EXPECT_EQ(0, commit(self, 0, 0, 1));
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A server killed while holding a call: the caller learns it died. */
TEST_F(eng, server_killed_mid_call)
{
	pid_t pid;
	int status, pipefd[2];
	char c;

	t_server_stop(&self->srv);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct t_server s;

		if (t_server_start(&s, self->name, 1, 1))
			_exit(1);
		if (t_io(s.fd, QRPC_IOC_FETCH, s.handle, 0, 0, 0))
			_exit(2);
		write(pipefd[1], "x", 1);
		pause();
		_exit(0);
	}
	usleep(100000);
	t_slot_fill(&self->cli, 0, QRPC_KIND_CALL, 3, 1, 0);
	ASSERT_EQ(0, t_call_submit(&self->cli, 0));
	ASSERT_EQ(1, read(pipefd[0], &c, 1));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(-EPIPE, t_wait_cqe(&self->cli.uring, 5000, NULL));
	close(pipefd[0]);
	close(pipefd[1]);
}

/*
 * A [message] outlives its sender: after the process that sent it has
 * exited, a server still receives it with its bytes intact.
 */
TEST_F(eng, message_survives_sender_exit)
{
	struct qrpc_map_conn m;
	unsigned char *req;
	unsigned int conn_id;
	int pipefd[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct t_client c;

		if (t_client_start(&c, self->name, 4, 4096))
			_exit(1);
		t_slot_fill(&c, 2, QRPC_KIND_MESSAGE, 1, 200, 0x3c);
		if (t_io(c.fd, QRPC_IOC_CALL, c.handle, 2, 0, 0))
			_exit(2);
		if (write(pipefd[1], &c.conn_id, sizeof(c.conn_id)) !=
		    sizeof(c.conn_id))
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(sizeof(conn_id), read(pipefd[0], &conn_id, sizeof(conn_id)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	usleep(200000);		/* let its files go */

	ASSERT_EQ(0, fetch(self, 0));
	EXPECT_EQ(conn_id, self->srv.desc[0].conn_id);
	EXPECT_EQ(QRPC_DESC_F_ORPHAN, self->srv.desc[0].flags);
	memset(&m, 0, sizeof(m));
	m.server = self->srv.handle;
	m.conn_id = conn_id;
	ASSERT_EQ(0, t_ioctl(self->srv.fd, QRPC_IOC_MAP_CONN, &m));
	req = mmap(NULL, m.request_size, PROT_READ, MAP_SHARED, self->srv.fd,
		   m.request_off);
	ASSERT_NE(MAP_FAILED, req);
	EXPECT_EQ(0x3c, req[self->srv.desc[0].req_off]);
	EXPECT_EQ(0x3c, req[self->srv.desc[0].req_off + 199]);
	EXPECT_EQ(0, commit(self, 0, 0, 0));
	munmap(req, m.request_size);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* A handle opened only to serve cannot connect, and one only to call cannot serve. */
TEST_F(eng, access_of_handles_enforced)
{
	struct qrpc_connect cn;
	unsigned int port = 0;
	int fd = t_open_port(self->name, QRPC_ACCESS_SERVE, &port);

	ASSERT_LE(0, fd);
	memset(&cn, 0, sizeof(cn));
	cn.port = port;
	cn.nslots = 1;
	cn.req_size = cn.rep_size = 4096;
	EXPECT_EQ(-EACCES, t_ioctl(fd, QRPC_IOC_CONNECT, &cn));
	/* A server handle is not a port handle, nor a connection. */
	cn.port = self->srv.handle;
	EXPECT_EQ(-EBADF, t_ioctl(self->srv.fd, QRPC_IOC_CONNECT, &cn));
	EXPECT_EQ(-EBADF, t_io(self->srv.fd, QRPC_IOC_CALL, self->srv.handle,
			       0, 0, 0));
	EXPECT_EQ(-EBADF, t_io(self->cli.fd, QRPC_IOC_FETCH, self->cli.handle,
			       0, 0, 0));
	close(fd);
}

/* poll() says when a server has a call to fetch. */
TEST_F(eng, poll_readiness_for_servers)
{
	struct pollfd pfd = { .fd = self->srv.fd, .events = POLLIN };

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	t_slot_fill(&self->cli, 0, QRPC_KIND_MESSAGE, 3, 1, 0);
	ASSERT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 0,
			  0, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	/* The client's file has no server: nothing to read there. */
	pfd.fd = self->cli.fd;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, fetch(self, 0));
	pfd.fd = self->srv.fd;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
}

struct poll_waiter {
	int fd;
	int ret;
};

static void *poll_thread(void *arg)
{
	struct poll_waiter *pw = arg;
	struct pollfd pfd = { .fd = pw->fd, .events = POLLIN };

	pw->ret = poll(&pfd, 1, 10000);
	return NULL;
}

/* A poller asleep is woken by a new call. */
TEST_F(eng, poll_wakes_on_new_call)
{
	struct poll_waiter pw = { self->srv.fd, -1 };
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, poll_thread, &pw));
	usleep(100000);
	t_slot_fill(&self->cli, 0, QRPC_KIND_MESSAGE, 3, 1, 0);
	ASSERT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 0,
			  0, 0));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(1, pw.ret);
}

/* The counters are readable in debugfs too, one line per port. */
TEST_F(eng, counters_in_debugfs)
{
	char line[512], name[QRPC_NAME_MAX];
	unsigned int enq = 99, found = 0;
	FILE *f;

	f = fopen("/sys/kernel/debug/qrpc/ports", "r");
	if (!f)
		SKIP(return, "debugfs is not mounted");
	fclose(f);
	t_slot_fill(&self->cli, 0, QRPC_KIND_MESSAGE, 3, 1, 0);
	ASSERT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 0,
			  0, 0));
	f = fopen("/sys/kernel/debug/qrpc/ports", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int ns, uid, gid, mode, flags, srv, conns;
		char depth[64];

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%u %63s %u %u %o %x %u %u %63s %*u %u", &ns,
			   name, &uid, &gid, &mode, &flags, &srv, &conns,
			   depth, &enq) != 10)
			continue;
		if (strcmp(name, self->name))
			continue;
		found = 1;
		EXPECT_EQ(1, srv);
		EXPECT_EQ(1, conns);
		EXPECT_STREQ("0,0,0,1,0,0,0,0", depth);
		EXPECT_EQ(1, enq);
	}
	fclose(f);
	EXPECT_EQ(1, found);
}

TEST_HARNESS_MAIN
