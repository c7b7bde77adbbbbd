// SPDX-License-Identifier: GPL-2.0
/*
 * Races an unprivileged user can run against the module with two threads,
 * each of which once corrupted kernel memory:
 *
 * - a server re-arms a tag as soon as it sees the call in its (mapped)
 *   descriptor table, before the FETCH's completion is delivered;
 * - a sleeping ioctl() waiter returns, and frees what it slept on, while
 *   the thread that finished it is still waking it;
 * - a handle is closed, by a thread guessing its number, while the command
 *   that made it is still linking its object.
 *
 * Each test checks what the ABI promises (every command completes exactly
 * once, with a documented result); KASAN and slub_debug in the debug
 * kernel turn a corruption that happens to pass into a failure.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "engine.h"
#include "kselftest_harness.h"

#define AREA		(64 * 1024)
#define RUN_MS		3000	/* each race runs this long */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

FIXTURE(race) {
	char name[QRPC_NAME_MAX];
	int owner;
	struct t_server srv;
	struct t_client cli;
	atomic_int stop;
	atomic_int calls;
};

FIXTURE_SETUP(race)
{
	self->owner = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->owner);
	t_port_name(self->name, "race");
	ASSERT_LT(0, t_port_create(self->owner, self->name, 0666, 0));
	ASSERT_EQ(0, t_server_start(&self->srv, self->name, 1, 1));
	ASSERT_EQ(0, t_client_start(&self->cli, self->name, 4, AREA));
	atomic_store(&self->stop, 0);
	atomic_store(&self->calls, 0);
}

FIXTURE_TEARDOWN(race)
{
	atomic_store(&self->stop, 1);
	t_client_stop(&self->cli);
	t_server_stop(&self->srv);
	t_port_unlink(self->owner, self->name);
	close(self->owner);
}

/* Plain calls by ioctl on slot 0, one after another, until told to stop. */
static void *caller(void *arg)
{
	FIXTURE_DATA(race) *self = arg;

	while (!atomic_load(&self->stop)) {
		t_slot_fill(&self->cli, 0, QRPC_KIND_CALL, 3, 8, 0x5a);
		if (t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 0, 0,
			 0) < 0 && atomic_load(&self->stop))
			break;
		atomic_fetch_add(&self->calls, 1);
	}
	return NULL;
}

/* Submit data-path command @op on tag 0 of @s with user_data @ud. */
static int submit_tag0(struct io_uring *ring, struct t_server *s,
		       unsigned int op, unsigned long long ud)
{
	struct io_uring_sqe *sqe = t_prep_io(ring, s->fd, op, s->handle, 0,
					     0, 0);

	if (!sqe)
		return -EBUSY;
	sqe->user_data = ud;
	return io_uring_submit(ring) == 1 ? 0 : -EIO;
}

/* Wait until desc[0] names a call other than @last; its id, or 0. */
static unsigned long long desc_wait_new(struct t_server *s,
					unsigned long long last)
{
	long long until = now_ms() + 2000;
	unsigned long long id;

	do {
		id = __atomic_load_n(&s->desc[0].call_id, __ATOMIC_ACQUIRE);
		if (id && id != last)
			return id;
	} while (now_ms() < until);
	return 0;
}

/*
 * The attacker's server: it reads each call from its descriptor table and
 * answers with COMMIT_AND_FETCH on the same tag at once, before reaping the
 * FETCH that delivered it.  Whatever the timing, both commands complete,
 * once each: the old FETCH with 0, the re-arm with 0 (it parked and got the
 * next call) or -EBUSY (the tag was still delivering; the commit stands).
 */
TEST_F_TIMEOUT(race, rearm_before_fetch_completes, 60)
{
	struct io_uring ring;
	unsigned long long last = 0, ud;
	unsigned int rounds = 0, busy = 0;
	long long until;
	pthread_t th;
	int ret;

	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	ASSERT_EQ(0, pthread_create(&th, NULL, caller, self));
	until = now_ms() + RUN_MS;
	ASSERT_EQ(0, submit_tag0(&ring, &self->srv, QRPC_IOC_FETCH, 0));
	while (now_ms() < until) {
		int seen_fetch = 0, seen_rearm = 0, rearm_res = 0;

		last = desc_wait_new(&self->srv, last);
		ASSERT_NE(0, last) TH_LOG("no call reached the tag");
		/* user_data 1: the re-arm; the FETCH before it has 0. */
		ASSERT_EQ(0, submit_tag0(&ring, &self->srv,
					 QRPC_IOC_COMMIT_AND_FETCH, 1));
		while (!seen_fetch || !seen_rearm) {
			ret = t_wait_cqe(&ring, 5000, &ud);
			ASSERT_NE(-ETIME, ret)
				TH_LOG("round %u: a command never completed "
				       "(fetch %d, re-arm %d)", rounds,
				       seen_fetch, seen_rearm);
			if (ud == 1) {
				ASSERT_EQ(0, seen_rearm);
				seen_rearm = 1;
				rearm_res = ret;
			} else {
				ASSERT_EQ(0, seen_fetch);
				ASSERT_EQ(0, ret);
				seen_fetch = 1;
			}
		}
		rounds++;
		if (rearm_res == -EBUSY) {
			busy++;
		} else {
			ASSERT_EQ(0, rearm_res);
			/* The re-arm holds the next call: answer it. */
			last = __atomic_load_n(&self->srv.desc[0].call_id,
					       __ATOMIC_ACQUIRE);
			ASSERT_EQ(0, t_io(self->srv.fd, QRPC_IOC_COMMIT,
					  self->srv.handle, 0, 0, 0));
		}
		ASSERT_EQ(0, submit_tag0(&ring, &self->srv, QRPC_IOC_FETCH,
					 0));
	}
	atomic_store(&self->stop, 1);
	/* Closing the server ends the parked FETCH and the caller's call. */
	ASSERT_EQ(0, t_close_handle(self->srv.fd, self->srv.handle));
	ret = t_wait_cqe(&ring, 5000, &ud);
	EXPECT_TRUE(ret == -EPIPE || ret == 0) TH_LOG("last FETCH: %d", ret);
	pthread_join(th, NULL);
	io_uring_queue_exit(&ring);
	TH_LOG("%u rounds, %u re-arms refused while delivering", rounds, busy);
	EXPECT_LT(0, rounds);
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Signals at the caller thread, as fast as they go, until told to stop. */
struct storm {
	pthread_t target;
	atomic_int *stop;
};

static void *signaller(void *arg)
{
	struct storm *st = arg;

	while (!atomic_load(st->stop)) {
		pthread_kill(st->target, SIGUSR1);
		sched_yield();
	}
	return NULL;
}

/*
 * Ioctl callers sleep on their call while a server answers and the client
 * closes the connection at the same moment, with signals raining on the
 * sleeper: the wake-up must never touch the call after the sleeper let it
 * go.  Every CALL returns a documented result.
 */
TEST_F_TIMEOUT(race, ioctl_waiter_woken_while_closing, 90)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int rounds = 0;
	long long until;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	until = now_ms() + RUN_MS;
	while (now_ms() < until) {
		struct storm st = { .stop = &self->stop };
		pthread_t th, sig;

		atomic_store(&self->stop, 0);
		ASSERT_EQ(0, pthread_create(&th, NULL, caller, self));
		st.target = th;
		ASSERT_EQ(0, pthread_create(&sig, NULL, signaller, &st));
		/* Take a call, then answer it as the connection goes. */
		if (t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0, 0,
			 0) == 0) {
			atomic_store(&self->stop, 1);
			t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle,
			     0, 0, 0);
		}
		atomic_store(&self->stop, 1);
		t_close_handle(self->cli.fd, self->cli.handle);
		pthread_join(th, NULL);
		pthread_join(sig, NULL);
		/* A tag whose call was orphaned is answered to free it. */
		t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle, 0, 0, 0);
		t_client_stop(&self->cli);
		ASSERT_EQ(0, t_client_start(&self->cli, self->name, 4, AREA));
		rounds++;
	}
	signal(SIGUSR1, SIG_DFL);
	TH_LOG("%u rounds", rounds);
	EXPECT_LT(0, rounds);
}

struct guesser {
	int fd;
	atomic_int *stop;
	unsigned int keep;	/* the port handle: not to be closed */
};

/* Close every handle number near the ones being made, blindly. */
static void *guess_close(void *arg)
{
	struct guesser *g = arg;
	unsigned int h = 1;

	while (!atomic_load(g->stop)) {
		if (h != g->keep)
			t_close_handle(g->fd, h);
		h = h % 64 + 1;
	}
	return NULL;
}

/*
 * SERVE and CONNECT, each closed at once, against a thread that closes
 * handle numbers it guesses: no object may be closed before it is linked,
 * and when everything is closed the port counts no server and no
 * connection.  Handle numbers are not reused at once, so the guesser
 * rarely hits, but it must be harmless when it does.
 */
TEST_F_TIMEOUT(race, handle_closed_while_being_made, 60)
{
	struct qrpc_port_info info;
	struct guesser g = { .stop = &self->stop };
	unsigned int made = 0, last = 0, reused = 0;
	long long until;
	pthread_t th;
	int fd, port;

	fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	port = t_port_open(fd, self->name, QRPC_ACCESS_CALL | QRPC_ACCESS_SERVE);
	ASSERT_LT(0, port);
	g.fd = fd;
	g.keep = port;
	ASSERT_EQ(0, pthread_create(&th, NULL, guess_close, &g));
	until = now_ms() + RUN_MS;
	while (now_ms() < until) {
		struct qrpc_serve sv = { .port = port, .depth = 4 };
		struct qrpc_connect cn = {
			.port = port, .nslots = 2,
			.req_size = 4096, .rep_size = 4096,
		};

		if (!t_ioctl(fd, QRPC_IOC_SERVE, &sv)) {
			reused += sv.handle == last;
			last = sv.handle;
			t_close_handle(fd, sv.handle);
			made++;
		}
		if (!t_ioctl(fd, QRPC_IOC_CONNECT, &cn)) {
			reused += cn.handle == last;
			last = cn.handle;
			t_close_handle(fd, cn.handle);
			made++;
		}
	}
	atomic_store(&self->stop, 1);
	pthread_join(th, NULL);
	TH_LOG("%u objects made, %u handle numbers reused at once", made,
	       reused);
	EXPECT_LT(0, made);
	/* Cyclic numbering: a closed handle's number is not the next one. */
	EXPECT_EQ(0, reused);
	close(fd);
	ASSERT_EQ(0, t_port_info(self->owner, self->name, &info));
	/* The fixture's own server and client remain. */
	EXPECT_EQ(1, info.servers);
	EXPECT_EQ(1, info.connections);
}

TEST_HARNESS_MAIN
