// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded stress run: several server and client processes on one port
 * at once, plain calls and [message]s, with abortive cancels racing the
 * replies.  Every call completes exactly once with the right reply (or
 * -ECANCELED), every slot comes back exactly once, and every message is
 * received.
 */
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>

#include "engine.h"
#include "kselftest_harness.h"

#define SERVERS		3
#define CLIENTS		4
#define PER_CLIENT	400
#define INFLIGHT	8
#define NSLOTS		16

/* Shared by all the processes of the run. */
struct tally {
	int stop;
	int msgs_sent;
	int msgs_received;
	int calls_sent;
	int calls_answered;
	int calls_cancelled;
	int errors;
};

#define add(field, n)	__atomic_add_fetch(&(field), (n), __ATOMIC_RELAXED)

/* Map the request and reply areas of connection @conn_id (cached). */
static int server_map(struct t_server *s, unsigned int conn_id,
		      unsigned char **req, unsigned char **rep)
{
	static unsigned int ids[64];
	static unsigned char *reqs[64], *reps[64];
	static unsigned int n;
	struct qrpc_map_conn m;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ids[i] == conn_id)
			goto found;
	if (n == 64)
		return -1;
	memset(&m, 0, sizeof(m));
	m.server = s->handle;
	m.conn_id = conn_id;
	if (t_ioctl(s->fd, QRPC_IOC_MAP_CONN, &m))
		return -1;
	reqs[n] = mmap(NULL, m.request_size, PROT_READ, MAP_SHARED, s->fd,
		       m.request_off);
	reps[n] = mmap(NULL, m.reply_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       s->fd, m.reply_off);
	if (reqs[n] == MAP_FAILED || reps[n] == MAP_FAILED)
		return -1;
	ids[n] = conn_id;
	i = n++;
found:
	*req = reqs[i];
	*rep = reps[i];
	return 0;
}

static int server_main(const char *name, struct tally *t)
{
	struct t_server s;
	struct io_uring r;
	unsigned int tag;

	if (t_server_start(&s, name, 4, 1) || io_uring_queue_init(16, &r, 0))
		return 1;
	for (tag = 0; tag < 4; tag++)
		if (t_submit_io(&r, s.fd, QRPC_IOC_FETCH, s.handle, tag, 0, 0))
			return 4;
	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		unsigned long long ud = 0;
		unsigned char *req, *rep;
		struct qrpc_call_desc *d;
		unsigned int v, len = 0;
		int ret = t_wait_cqe(&r, 100, &ud);

		if (ret == -ETIME)
			continue;
		if (ret < 0)
			return 2;
		d = &s.desc[ud];
		if (server_map(&s, d->conn_id, &req, &rep))
			return 3;
		memcpy(&v, req + d->req_off, sizeof(v));
		if (d->kind == QRPC_KIND_MESSAGE) {
			add(t->msgs_received, 1);
		} else if (!(d->flags & QRPC_DESC_F_ORPHAN)) {
			v++;
			memcpy(rep + d->rep_off, &v, sizeof(v));
			len = sizeof(v);
		}
		if (t_submit_io(&r, s.fd, QRPC_IOC_COMMIT_AND_FETCH, s.handle,
				ud, 0, len))
			return 5;
	}
	return 0;
}

static int client_main(const char *name, struct tally *t, unsigned int seed)
{
	unsigned int value[NSLOTS], kind[NSLOTS], busy = 0, released = 0;
	unsigned int sent = 0;
	unsigned int answered = 0, cancelled = 0, errors = 0;
	int cqe_seen[NSLOTS] = { 0 };
	struct t_client c;

	if (t_client_start(&c, name, NSLOTS, 64 * 1024))
		return 1;
	srand(seed);
	while (sent < PER_CLIENT || busy) {
		unsigned long long ud = 0;
		unsigned int slot, v;
		long e;
		int ret;

		/* Fill free slots while there is work and room. */
		for (slot = 0; slot < NSLOTS && sent < PER_CLIENT; slot++) {
			if (busy & (1U << slot) || __builtin_popcount(busy) >= INFLIGHT)
				continue;
			kind[slot] = rand() % 10 < 7 ? QRPC_KIND_CALL :
						       QRPC_KIND_MESSAGE;
			value[slot] = rand();
			t_slot_fill(&c, slot, kind[slot], rand() % 8, 4, 0);
			memcpy(c.req + c.slots[slot].req_off, &value[slot], 4);
			cqe_seen[slot] = 0;
			busy |= 1U << slot;
			sent++;
			if (kind[slot] == QRPC_KIND_MESSAGE) {
				add(t->msgs_sent, 1);
				if (t_io(c.fd, QRPC_IOC_CALL, c.handle, slot,
					 0, 0))
					errors++;
				continue;
			}
			add(t->calls_sent, 1);
			if (t_call_submit(&c, slot))
				errors++;
			/* Every 7th call races an abortive cancel. */
			if (sent % 7 == 0)
				t_io(c.fd, QRPC_IOC_CANCEL, c.handle, slot,
				     QRPC_CANCEL_F_ABORTIVE, 0);
		}
		/* Completions of plain calls. */
		while ((ret = t_wait_cqe(&c.uring, 5, &ud)) != -ETIME) {
			if (ud >= NSLOTS || kind[ud] != QRPC_KIND_CALL ||
			    cqe_seen[ud]++) {
				errors++;
				continue;
			}
			if (ret == -ECANCELED) {
				cancelled++;
			} else if (ret == 4) {
				memcpy(&v, c.reply + c.slots[ud].rep_off, 4);
				answered++;
				if (v != value[ud] + 1)
					errors++;
			} else {
				errors++;
			}
		}
		/*
		 * Slots coming back, each exactly once.  A plain call's slot
		 * is reused only once its CQE has been seen too, which may
		 * come just after the release.
		 */
		while ((e = t_release_next(&c)) >= 0) {
			slot = QRPC_RELEASE_SLOT(e);
			if (slot >= NSLOTS || !(busy & (1U << slot)) ||
			    released & (1U << slot))
				errors++;
			else
				released |= 1U << slot;
		}
		for (slot = 0; slot < NSLOTS; slot++) {
			if (!(released & (1U << slot)))
				continue;
			if (kind[slot] == QRPC_KIND_CALL && !cqe_seen[slot])
				continue;
			released &= ~(1U << slot);
			busy &= ~(1U << slot);
		}
	}
	add(t->calls_answered, answered);
	add(t->calls_cancelled, cancelled);
	add(t->errors, errors);
	t_client_stop(&c);
	return errors ? 4 : 0;
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

/* Emulated machines are slow: a generous limit, however long it takes. */
TEST_F_TIMEOUT(stress, several_clients_and_servers, 240)
{
	struct timespec t0, t1;
	char name[QRPC_NAME_MAX];
	pid_t servers[SERVERS], clients[CLIENTS];
	struct tally *t;
	int owner, i, status;

	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	owner = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, owner);
	t_port_name(name, "stress");
	ASSERT_LT(0, t_port_create(owner, name, 0666, 0));
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (i = 0; i < SERVERS; i++) {
		servers[i] = fork();
		ASSERT_LE(0, servers[i]);
		if (!servers[i])
			_exit(server_main(name, t));
	}
	usleep(200000);
	for (i = 0; i < CLIENTS; i++) {
		clients[i] = fork();
		ASSERT_LE(0, clients[i]);
		if (!clients[i])
			_exit(client_main(name, t, i + 1));
	}
	for (i = 0; i < CLIENTS; i++) {
		ASSERT_EQ(clients[i], waitpid(clients[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("client %d", i);
	}
	/* Messages may still be on their way to a server. */
	for (i = 0; i < 100; i++) {
		if (__atomic_load_n(&t->msgs_received, __ATOMIC_RELAXED) ==
		    t->msgs_sent)
			break;
		usleep(50000);
	}
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < SERVERS; i++) {
		ASSERT_EQ(servers[i], waitpid(servers[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("server %d", i);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	TH_LOG("calls %d (answered %d, cancelled %d), messages %d/%d, %.1f s",
	       t->calls_sent, t->calls_answered, t->calls_cancelled,
	       t->msgs_received, t->msgs_sent,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	EXPECT_EQ(CLIENTS * PER_CLIENT, t->calls_sent + t->msgs_sent);
	EXPECT_EQ(t->calls_sent, t->calls_answered + t->calls_cancelled);
	EXPECT_EQ(t->msgs_sent, t->msgs_received);
	EXPECT_EQ(0, t->errors);
	EXPECT_LT(0, t->calls_cancelled);
	EXPECT_EQ(0, t_port_unlink(owner, name));
	close(owner);
}

TEST_HARNESS_MAIN
