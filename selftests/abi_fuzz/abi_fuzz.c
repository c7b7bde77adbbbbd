// SPDX-License-Identifier: GPL-2.0
/*
 * abi_fuzz: a syzkaller-style fuzzer of the module's raw ABI, run in a
 * guest by tools/scripts/fuzz-kernel.
 *
 *   abi_fuzz [--seed N] [--seconds S] [--procs P] [--threads T]
 *
 * It runs rounds until S seconds (default 60) are up.  Each round forks P
 * worker processes (default 4) of T threads (default 4) that issue random
 * but well-formed sequences of commands, by ioctl() and by
 * IORING_OP_URING_CMD (now and then with IOSQE_ASYNC, or on an SQPOLL
 * ring), on a few port names all of them share: ports (temporary ones
 * too), servers, interfaces, connections and their mappings, calls of
 * every kind, cancels, fetches, commits, the dead-letter queue, closes of
 * guessed handle numbers, wrong mmap offsets, rings closed with commands
 * parked, a server re-arming a tag it saw in its descriptor table before
 * the FETCH completed, fork, kill -9, thread and process exit.  After a
 * few seconds the round's processes are killed and reaped (some are
 * killed in mid-round too) and the next round starts.
 *
 * Errors from the module are expected and ignored: what matters is the
 * kernel's log (qrpc-vm fails the run on a splat) and that every process
 * can be killed and reaped.  The fuzzer itself never waits
 * without a limit: every CQE wait has a time-out, ioctls that may block
 * are interrupted by signals, and alarm() watchdogs back that up.  A run
 * is reproducible from its seed, as far as thread scheduling allows: each
 * process and thread derives its own PRNG seed from the main one.
 *
 * The workers run in a memory cgroup of 192 MiB when one can be set up
 * (and then sometimes ask for the largest arena the ABI allows); without
 * one they stay within a budget of arena bytes.
 *
 * Output is KTAP with one test: "abi_fuzz: seed N" first, "ok 1 abi_fuzz"
 * (or "not ok 1 abi_fuzz" if processes could not be reaped 30 s after
 * kill -9, which means a task is stuck in the kernel: the state and kernel
 * stack of each of their threads are printed), then the summary line
 * "abi_fuzz: seed N rounds R ops O seconds S".  Lines starting with "#"
 * tell how the run went: rounds, results of CALL and FETCH by errno, and
 * any worker that died of SIGSEGV or SIGBUS, with the faulting mapping.
 */
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>

#include "../engine.h"

#define MAX_PROCS	16
#define MAX_THREADS	32
#define NAMES		8	/* shared port names fz.0 .. fz.7 */
#define MAX_FDS		4	/* open /dev/qrpc files per process */
#define MAX_PORTS	8	/* objects one thread holds */
#define MAX_SERVERS	4
#define MAX_CONNS	4
#define MAX_SMAPS	6	/* connections a server keeps mapped */
#define MAX_KIDS	2	/* forked children per thread */
#define NRECENT		64	/* handle numbers any thread may guess */
#define CTRL_BUF	512	/* room for any control argument */
#define MEMCG		"/sys/fs/cgroup/abi_fuzz"
#define MEMCG_LIMIT	"192M"
#define KiB		1024u
#define MiB		(1024u * 1024u)
#define GiB		(1024u * 1024u * 1024u)
#define PAGE		4096u

/* The module's encoding: the type above 28 bits of id, in pages. */
#define REGION_OFF(type, id)	((((uint64_t)(type) << 28) | ((uint32_t)(id) & 0x0fffffff)) * PAGE)
#define REGION_DESC		6	/* the module's QRPC_REGION_DESC */

/* Statistics, in memory shared by every process of the run. */
struct stats {
	_Atomic unsigned long long ops;
	_Atomic unsigned long long calls;	/* CALLs that succeeded */
	_Atomic unsigned long long fetches;	/* FETCHes that got a call */
	_Atomic unsigned long long commits;	/* COMMITs that succeeded */
	_Atomic unsigned long long early;	/* tags re-armed before the CQE */
	_Atomic unsigned long long dlq;		/* messages seen dead-lettered */
	_Atomic unsigned long long forks;
	_Atomic unsigned long long kills;
	_Atomic unsigned long long crashes;	/* workers killed by SIGSEGV etc. */
	_Atomic unsigned long long oddities;	/* ABI promises seen broken */
	_Atomic int huge_left;			/* 1 GiB CONNECTs left this round */
	/* Results by errno (0: success) of CALL and FETCH. */
#define NRES	160
	_Atomic unsigned long long call_res[NRES];
	_Atomic unsigned long long fetch_res[NRES];
};

static void count_res(_Atomic unsigned long long *tab, int res)
{
	atomic_fetch_add(&tab[res >= 0 ? 0 : (-res < NRES ? -res : NRES - 1)], 1);
}
static struct stats *g_stats;
static unsigned char g_sink;		/* what servers read of requests */

/* ---- the PRNG: splitmix64, seeded per process and per thread ---------- */

struct rng {
	uint64_t s;
};

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t derive(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	return mix64(mix64(mix64(mix64(a) ^ b) ^ c) ^ d);
}

static uint64_t rnd64(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, n); 0 if n is 0. */
static uint32_t rnd(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rnd64(r) % n) : 0;
}

static bool one_in(struct rng *r, uint32_t n)
{
	return rnd(r, n) == 0;
}

/* Log-uniform in [lo, hi]: small values as often as large ones. */
static uint32_t rnd_log(struct rng *r, uint32_t lo, uint32_t hi)
{
	uint32_t v = lo, span;
	int bits = 0;

	while ((hi >> bits) > lo && bits < 31)
		bits++;
	v = lo << rnd(r, (uint32_t)bits + 1);
	if (v > hi || v < lo)
		v = hi;
	span = v / 2;
	if (span && one_in(r, 2))
		v += rnd(r, span);
	return v > hi ? hi : v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_us(unsigned int us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/* ---- what the ABI is fed ---------------------------------------------- */

static const uint8_t uuids[3][16] = {
	{ 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef },
	{ 0xf0, 0x0d, 0xca, 0xfe, 0x00, 0x11, 0x22, 0x33,
	  0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb },
	{ 0x6b, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00,
	  0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 },
};

static void pick_iface(struct rng *r, struct qrpc_if_id *id)
{
	memset(id, 0, sizeof(*id));
	memcpy(id->uuid, uuids[one_in(r, 2) ? 0 : rnd(r, 3)], 16);
	if (one_in(r, 200))
		id->uuid[rnd(r, 16)] ^= 1 << rnd(r, 8);
	id->major = one_in(r, 20) ? (uint16_t)rnd(r, 4) :
		    (uint16_t)(one_in(r, 5) ? 2 : 1);
	id->minor = (uint16_t)rnd(r, 3);
	if (one_in(r, 300))
		id->minor = 0xffff;
	if (one_in(r, 200))
		id->reserved0 = 1;
}

/* A port name: mostly one of the shared ones, sometimes bad. */
static int pick_name(struct rng *r, char name[QRPC_NAME_MAX])
{
	int k = one_in(r, 4) ? (int)rnd(r, NAMES) : (int)rnd(r, NAMES / 2);

	memset(name, 0, QRPC_NAME_MAX);
	if (one_in(r, 40)) {
		switch (rnd(r, 5)) {
		case 0:			/* empty */
			break;
		case 1:
			strcpy(name, ".hidden");
			break;
		case 2:
			strcpy(name, "a/b");
			break;
		case 3:			/* no terminating NUL */
			memset(name, 'x', QRPC_NAME_MAX);
			break;
		default:		/* junk after the NUL */
			strcpy(name, "fz.0");
			name[QRPC_NAME_MAX - 1] = 'j';
			break;
		}
		return -1;
	}
	snprintf(name, QRPC_NAME_MAX, "fz.%d", k);
	return k;
}

/* ---- per-process state (a worker or one of its forked children) ------- */

struct tslot {
	pthread_t tid;
	_Atomic int state;		/* 0 free, 1 running, 2 exited */
	_Atomic int ktid;		/* its kernel thread id, for tgkill */
	_Atomic uint64_t block_until;	/* interrupt its ioctl after this */
	uint64_t seed;
	unsigned int inc;
};

static _Atomic int g_fds[MAX_FDS];
static int g_null = -1;			/* /dev/null, to retire fd numbers */
static _Atomic uint64_t g_recent[NRECENT];	/* fd << 32 | handle, + 1 */
static _Atomic unsigned int g_recent_pos;
static _Atomic long long g_arena_bytes;
static long long g_budget;
static bool g_memcg;
static bool g_forked;			/* a forked child: no sibling threads */
static _Atomic int g_forks_left;
static unsigned int g_nthreads;
static struct tslot g_slots[MAX_THREADS];

static void remember_handle(int fd, unsigned int handle)
{
	unsigned int i = atomic_fetch_add(&g_recent_pos, 1) % NRECENT;

	atomic_store(&g_recent[i], ((uint64_t)(unsigned int)fd << 32 | handle) + 1);
}

/* A handle number some thread got (fd in *fd), or 0 and *fd -1. */
static unsigned int guess_handle(struct rng *r, int *fd)
{
	uint64_t v = atomic_load(&g_recent[rnd(r, NRECENT)]);

	if (!v) {
		*fd = -1;
		return 0;
	}
	v--;
	*fd = (int)(v >> 32);
	return (uint32_t)v;
}

static int any_fd(struct rng *r)
{
	int i, start = (int)rnd(r, MAX_FDS), fd, dev;

	for (i = 0; i < MAX_FDS; i++) {
		fd = atomic_load(&g_fds[(start + i) % MAX_FDS]);
		if (fd >= 0)
			return fd;
	}
	dev = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -1;
	for (i = 0; i < MAX_FDS; i++) {
		int expect = -1;

		if (atomic_compare_exchange_strong(&g_fds[i], &expect, dev))
			return dev;
	}
	close(dev);
	return atomic_load(&g_fds[0]);
}

/* ---- per-thread state ------------------------------------------------- */

enum { TAG_IDLE, TAG_ARMED, TAG_HELD };

/* user_data: kind << 56 | object generation << 32 | index */
enum { K_CALL = 1, K_CANCEL, K_FETCH, K_COMMIT, K_CAF, K_CTRL = 0x7f };
#define UD(kind, gen, idx) \
	((uint64_t)(kind) << 56 | (uint64_t)((gen) & 0xffffff) << 32 | (uint32_t)(idx))
#define UD_PTR_MASK	((1ULL << 56) - 1)

static const unsigned long io_cmds[] = {
	[K_CALL] = QRPC_IOC_CALL,
	[K_CANCEL] = QRPC_IOC_CANCEL,
	[K_FETCH] = QRPC_IOC_FETCH,
	[K_COMMIT] = QRPC_IOC_COMMIT,
	[K_CAF] = QRPC_IOC_COMMIT_AND_FETCH,
};

struct port {
	bool used;
	bool stale;			/* its handle is gone: drop it */
	int fd;
	unsigned int handle;
	unsigned int access;
	unsigned int max_payload;
};

struct smap {
	unsigned int conn_id;
	unsigned char *req;
	size_t req_size;
	unsigned char *rep;
	size_t rep_size;
};

struct server {
	bool used;
	bool stale;
	unsigned int gen;
	int fd;
	unsigned int handle;
	unsigned int depth;
	uint64_t desc_off;
	size_t desc_size;
	volatile struct qrpc_call_desc *desc;	/* NULL when not mapped */
	unsigned char *tag;
	uint64_t *armed_id;			/* desc call_id when armed */
	struct smap maps[MAX_SMAPS];
};

struct conn {
	bool used;
	bool stale;
	unsigned int gen;
	int fd;
	unsigned int handle;
	unsigned int nslots;
	unsigned int max_payload;
	struct qrpc_connect cn;
	struct qrpc_slot *slots;	/* NULL when not mapped */
	unsigned char *req;
	size_t req_area;
	struct qrpc_slot_result *results;
	struct qrpc_release_ring *ring;
	unsigned char *reply;
	unsigned int ring_head;
	unsigned char *busy;		/* 1 plain call, 2 one-way, in flight */
	long long bytes;		/* charged to g_arena_bytes */
	bool sent;			/* may have left messages queued */
};

struct th {
	struct rng r;
	struct tslot *slot;		/* NULL in a forked child */
	struct io_uring ring;
	bool have_ring;
	unsigned int cq_entries;
	unsigned int inflight;
	unsigned int nest;		/* inside a CQE wait */
	void *waiting;			/* control buffer waited for */
	bool wait_done;
	int wait_res;
	struct port ports[MAX_PORTS];
	struct server srv[MAX_SERVERS];
	struct conn conns[MAX_CONNS];
	unsigned int gen_next;
	unsigned long long ops, ops_flushed;
	pid_t kids[MAX_KIDS];
	int depth;			/* fork depth */
	uint64_t deadline;		/* a forked child's end */
	bool want_exit;
};

static void flush_ops(struct th *t)
{
	atomic_fetch_add(&g_stats->ops, t->ops - t->ops_flushed);
	t->ops_flushed = t->ops;
}

/* ---- io_uring plumbing ------------------------------------------------ */

static void on_cqe(struct th *t, uint64_t ud, int res);

static void ring_open(struct th *t)
{
	struct io_uring_params p;
	unsigned int entries = 8u << rnd(&t->r, 5);

	memset(&p, 0, sizeof(p));
	if (one_in(&t->r, 10)) {
		p.flags |= IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 10 + rnd(&t->r, 100);
	}
	if (io_uring_queue_init_params(entries, &t->ring, &p) < 0 &&
	    (!(p.flags & IORING_SETUP_SQPOLL) ||
	     io_uring_queue_init(entries, &t->ring, 0) < 0)) {
		t->have_ring = false;
		return;
	}
	t->have_ring = true;
	t->cq_entries = *t->ring.cq.kring_entries;
	t->inflight = 0;
}

/* Forget what was parked on the ring: it is cancelled by its closing. */
static void ring_forgot(struct th *t)
{
	unsigned int i, j;

	for (i = 0; i < MAX_SERVERS; i++)
		if (t->srv[i].used)
			for (j = 0; j < t->srv[i].depth; j++)
				if (t->srv[i].tag[j] == TAG_ARMED)
					t->srv[i].tag[j] = TAG_IDLE;
	for (i = 0; i < MAX_CONNS; i++)
		if (t->conns[i].used)
			memset(t->conns[i].busy, 0, t->conns[i].nslots);
	t->inflight = 0;
	/* A control buffer still in flight is leaked, not freed. */
	t->waiting = NULL;
}

/* Close the ring, often with commands parked on it. */
static void ring_close(struct th *t)
{
	if (!t->have_ring)
		return;
	io_uring_queue_exit(&t->ring);
	t->have_ring = false;
	ring_forgot(t);
}

static struct io_uring_sqe *get_sqe(struct th *t)
{
	struct io_uring_sqe *sqe;

	if (!t->have_ring)
		return NULL;
	sqe = io_uring_get_sqe(&t->ring);
	if (!sqe) {
		io_uring_submit(&t->ring);
		sqe = io_uring_get_sqe(&t->ring);
	}
	if (sqe && one_in(&t->r, 6))
		sqe->flags |= IOSQE_ASYNC;
	return sqe;
}

/* Take the completions there are, waiting up to @ms for the first. */
static void reap(struct th *t, unsigned int ms)
{
	struct io_uring_cqe *cqe;
	int n = 0, ret;

	if (!t->have_ring)
		return;
	t->nest++;
	while (n < 256) {
		ret = io_uring_peek_cqe(&t->ring, &cqe);
		if (ret == -EAGAIN && ms && !n) {
			struct __kernel_timespec ts = {
				.tv_sec = ms / 1000,
				.tv_nsec = (long long)(ms % 1000) * 1000000,
			};

			ret = io_uring_wait_cqe_timeout(&t->ring, &cqe, &ts);
		}
		if (ret)
			break;
		{
			uint64_t ud = cqe->user_data;
			int res = cqe->res;

			io_uring_cqe_seen(&t->ring, cqe);
			on_cqe(t, ud, res);
		}
		n++;
		if (!t->have_ring)
			break;
	}
	t->nest--;
}

/* Room on the ring for one more parked command? */
static bool ring_room(struct th *t)
{
	if (!t->have_ring)
		return false;
	if (t->inflight + 8 < t->cq_entries)
		return true;
	if (t->nest)		/* no deeper: a CQE handler is issuing */
		return false;
	reap(t, 5);
	return t->inflight + 8 < t->cq_entries;
}

static void block_begin(struct th *t)
{
	if (t->slot)
		atomic_store(&t->slot->block_until,
			     now_ns() + (5 + rnd(&t->r, 300)) * 1000000ULL);
}

static void block_end(struct th *t)
{
	if (t->slot)
		atomic_store(&t->slot->block_until, 0);
}

/* An address the kernel must refuse to read or write. */
static void *bad_ptr(struct rng *r)
{
	static const uintptr_t bad[] = {
		8, 4096, 0xffff800000000000ULL, 0x7ffffffff000ULL,
	};

	return (void *)bad[rnd(r, 4)];
}

/*
 * A control command, by ioctl or through the ring (with its argument
 * pointed at); its result, 0 or -errno.  The argument is copied back.
 */
static int ctrl(struct th *t, int fd, unsigned long op, void *arg, size_t size)
{
	struct qrpc_uring_cmd u;
	struct io_uring_sqe *sqe;
	unsigned char *buf;
	uint64_t end;
	int ret;

	if (one_in(&t->r, 400))
		return t_ioctl(fd, op, bad_ptr(&t->r));
	if (!t->have_ring || t->nest || !one_in(&t->r, 3) || !ring_room(t))
		return t_ioctl(fd, op, arg);
	buf = calloc(1, CTRL_BUF);
	sqe = buf ? get_sqe(t) : NULL;
	if (!sqe) {
		free(buf);
		return t_ioctl(fd, op, arg);
	}
	memcpy(buf, arg, size);
	u.addr = (uintptr_t)buf;
	u.len = (uint32_t)size;
	u.flags = 0;
	if (one_in(&t->r, 150))
		u.len = (uint32_t)size + (one_in(&t->r, 2) ? 8 : -1u);
	if (one_in(&t->r, 300))
		u.flags = 1;
	if (one_in(&t->r, 300))
		u.addr = (uintptr_t)bad_ptr(&t->r);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = (uint32_t)op;
	memcpy(sqe->cmd, &u, sizeof(u));
	sqe->user_data = (uint64_t)K_CTRL << 56 | ((uintptr_t)buf & UD_PTR_MASK);
	if (io_uring_submit(&t->ring) < 0) {
		/* The SQE may still go in later: the buffer is leaked. */
		return -EIO;
	}
	t->waiting = buf;
	t->wait_done = false;
	end = now_ns() + 2000000000ULL;
	while (!t->wait_done && t->have_ring && now_ns() < end)
		reap(t, 50);
	if (!t->wait_done) {
		t->waiting = NULL;	/* freed if it ever completes */
		return -ETIME;
	}
	t->waiting = NULL;
	ret = t->wait_res;
	memcpy(arg, buf, size);
	free(buf);
	return ret;
}

/*
 * A data-path command on @fd: through the ring, with a CQE tagged
 * (@kind, @gen, @index) to come (returns true), or by ioctl, with its
 * result in *res (returns false).  An ioctl that may block is interrupted
 * by a signal if it takes too long.
 */
static bool io_cmd(struct th *t, int kind, unsigned int gen, int fd,
		   unsigned int handle, unsigned int index, unsigned int arg,
		   unsigned int len, bool by_ring, int *res)
{
	struct qrpc_io io = { handle, index, arg, len };
	struct io_uring_sqe *sqe;

	if (by_ring && ring_room(t) && (sqe = get_sqe(t))) {
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
		sqe->cmd_op = (uint32_t)io_cmds[kind];
		memcpy(sqe->cmd, &io, sizeof(io));
		sqe->user_data = UD(kind, gen, index);
		if (io_uring_submit(&t->ring) >= 0) {
			t->inflight++;
			return true;
		}
		/* Not submitted, or so it seems: the CQE may come anyway. */
		t->inflight++;
		return true;
	}
	if (kind == K_CALL || kind == K_FETCH || kind == K_CAF)
		block_begin(t);
	*res = ioctl(fd, io_cmds[kind], &io) < 0 ? -errno : 0;
	block_end(t);
	return false;
}

/* ---- object tables ---------------------------------------------------- */

static struct port *new_port(struct th *t)
{
	unsigned int i;

	for (i = 0; i < MAX_PORTS; i++)
		if (!t->ports[i].used)
			return &t->ports[i];
	return NULL;
}

static struct port *pick_port(struct th *t, unsigned int access)
{
	unsigned int i, start = rnd(&t->r, MAX_PORTS);

	for (i = 0; i < MAX_PORTS; i++) {
		struct port *p = &t->ports[(start + i) % MAX_PORTS];

		if (p->used && (p->access & access) == access)
			return p;
	}
	return NULL;
}

static struct server *pick_server(struct th *t)
{
	unsigned int i, start = rnd(&t->r, MAX_SERVERS);

	for (i = 0; i < MAX_SERVERS; i++)
		if (t->srv[(start + i) % MAX_SERVERS].used)
			return &t->srv[(start + i) % MAX_SERVERS];
	return NULL;
}

static struct conn *pick_conn(struct th *t)
{
	unsigned int i, start = rnd(&t->r, MAX_CONNS);

	for (i = 0; i < MAX_CONNS; i++)
		if (t->conns[(start + i) % MAX_CONNS].used)
			return &t->conns[(start + i) % MAX_CONNS];
	return NULL;
}

static struct server *server_by_gen(struct th *t, unsigned int gen)
{
	unsigned int i;

	for (i = 0; i < MAX_SERVERS; i++)
		if (t->srv[i].used && (t->srv[i].gen & 0xffffff) == gen)
			return &t->srv[i];
	return NULL;
}

static struct conn *conn_by_gen(struct th *t, unsigned int gen)
{
	unsigned int i;

	for (i = 0; i < MAX_CONNS; i++)
		if (t->conns[i].used && (t->conns[i].gen & 0xffffff) == gen)
			return &t->conns[i];
	return NULL;
}

static void smap_drop(struct smap *m)
{
	if (m->req)
		munmap(m->req, m->req_size);
	if (m->rep)
		munmap(m->rep, m->rep_size);
	memset(m, 0, sizeof(*m));
}

static void server_unmap(struct server *s)
{
	unsigned int i;

	if (s->desc)
		munmap((void *)s->desc, s->desc_size);
	s->desc = NULL;
	for (i = 0; i < MAX_SMAPS; i++)
		smap_drop(&s->maps[i]);
}

static void server_drop(struct server *s)
{
	server_unmap(s);
	free(s->tag);
	free(s->armed_id);
	memset(s, 0, sizeof(*s));
}

static void conn_unmap(struct conn *c)
{
	if (c->slots)
		munmap(c->slots, c->cn.slots_size);
	if (c->results)
		munmap(c->results, c->cn.results_size);
	if (c->reply)
		munmap(c->reply, c->cn.reply_size);
	c->slots = NULL;
	c->req = NULL;
	c->results = NULL;
	c->ring = NULL;
	c->reply = NULL;
}

static void conn_drop(struct conn *c)
{
	conn_unmap(c);
	/* Queued messages may keep the arena: keep it charged then. */
	if (!c->sent)
		atomic_fetch_sub(&g_arena_bytes, c->bytes);
	free(c->busy);
	memset(c, 0, sizeof(*c));
}

/* ---- the operations --------------------------------------------------- */

static void op_port_create(struct th *t)
{
	struct qrpc_port_create c;
	struct port *p = new_port(t);
	int fd = any_fd(&t->r), ret;

	if (fd < 0)
		return;
	memset(&c, 0, sizeof(c));
	if (one_in(&t->r, 4)) {
		/* A server's private endpoint, or just one more name. */
		snprintf(c.name, sizeof(c.name), "fz.t%d.%u", (int)getpid(),
			 rnd(&t->r, 1000));
		c.flags = QRPC_PORT_F_TEMPORARY;
	} else {
		pick_name(&t->r, c.name);
		c.flags = rnd(&t->r, 4);
	}
	if (one_in(&t->r, 100))
		c.flags |= 1u << (2 + rnd(&t->r, 30));
	c.mode = one_in(&t->r, 10) ? rnd(&t->r, 01000) : 0666;
	if (one_in(&t->r, 200))
		c.mode = 01777;
	c.access = rnd(&t->r, 4);
	if (one_in(&t->r, 3)) {
		switch (rnd(&t->r, 4)) {
		case 0:			/* small, to fill up */
			c.limits.max_depth = 1 + rnd(&t->r, 4);
			c.limits.max_payload = rnd_log(&t->r, 1, 64 * KiB);
			c.limits.max_bytes = rnd_log(&t->r, 1, 256 * KiB);
			break;
		case 1:			/* the module's maximum */
			c.limits.max_depth = 65536;
			c.limits.max_payload = 64 * MiB;
			c.limits.max_bytes = 1ULL << 30;
			break;
		case 2:			/* just above it */
			c.limits.max_depth = one_in(&t->r, 2) ? 65537 : 0;
			c.limits.max_payload = one_in(&t->r, 2) ? 64 * MiB + 1 : 0;
			c.limits.max_bytes = one_in(&t->r, 2) ? (1ULL << 30) + 1 : 0;
			break;
		default:
			c.limits.max_depth = rnd_log(&t->r, 1, 4096);
			c.limits.max_payload = rnd_log(&t->r, 1, 4 * MiB);
			c.limits.max_bytes = rnd_log(&t->r, 1, 16 * MiB);
			break;
		}
	}
	if (one_in(&t->r, 300))
		c.reserved[rnd(&t->r, 4)] = 1;
	if (one_in(&t->r, 300))
		c.reserved0 = 1;
	ret = ctrl(t, fd, QRPC_IOC_PORT_CREATE, &c, sizeof(c));
	if (ret)
		return;
	remember_handle(fd, c.handle);
	if (!p) {
		if (one_in(&t->r, 2))
			t_close_handle(fd, c.handle);
		return;
	}
	p->used = true;
	p->fd = fd;
	p->handle = c.handle;
	p->access = c.created ? QRPC_ACCESS_CALL | QRPC_ACCESS_SERVE : c.access;
	p->max_payload = c.limits.max_payload ? c.limits.max_payload : 1 * MiB;
}

static void op_port_open(struct th *t)
{
	struct qrpc_port_open o;
	struct port *p = new_port(t);
	int fd = any_fd(&t->r);

	if (fd < 0)
		return;
	memset(&o, 0, sizeof(o));
	pick_name(&t->r, o.name);
	o.access = one_in(&t->r, 20) ? rnd(&t->r, 8) : 1 + rnd(&t->r, 3);
	if (one_in(&t->r, 300))
		o.reserved[rnd(&t->r, 2)] = 1;
	if (ctrl(t, fd, QRPC_IOC_PORT_OPEN, &o, sizeof(o)))
		return;
	remember_handle(fd, o.handle);
	if (!p) {
		t_close_handle(fd, o.handle);
		return;
	}
	p->used = true;
	p->fd = fd;
	p->handle = o.handle;
	p->access = o.access;
	p->max_payload = 1 * MiB;
}

static void op_port_unlink(struct th *t)
{
	struct qrpc_port_name n;
	int fd = any_fd(&t->r);

	if (fd < 0)
		return;
	memset(&n, 0, sizeof(n));
	pick_name(&t->r, n.name);
	ctrl(t, fd, QRPC_IOC_PORT_UNLINK, &n, sizeof(n));
}

static void op_port_list(struct th *t)
{
	struct qrpc_port_info infos[16];
	struct qrpc_port_list l;
	int fd = any_fd(&t->r);

	if (fd < 0)
		return;
	memset(&l, 0, sizeof(l));
	l.addr = (uintptr_t)infos;
	l.count = rnd(&t->r, 17);
	if (one_in(&t->r, 30))
		l.addr = (uintptr_t)bad_ptr(&t->r);
	if (one_in(&t->r, 30)) {
		l.addr = 0;
		l.count = 0;
	}
	ctrl(t, fd, QRPC_IOC_PORT_LIST, &l, sizeof(l));
}

static void op_features(struct th *t)
{
	struct qrpc_features f;
	int fd = any_fd(&t->r);

	if (fd < 0)
		return;
	memset(&f, 0, sizeof(f));
	if (one_in(&t->r, 10))
		f.flags = 1;
	ctrl(t, fd, QRPC_IOC_GET_FEATURES, &f, sizeof(f));
}

static void op_serve(struct th *t)
{
	static const unsigned int depths[] = { 0, 4095, 4096, 4097 };
	struct qrpc_serve sv;
	struct server *s = NULL;
	struct port *p = pick_port(t, QRPC_ACCESS_SERVE);
	unsigned int i;
	int fd, ret;
	void *m;

	for (i = 0; i < MAX_SERVERS; i++)
		if (!t->srv[i].used) {
			s = &t->srv[i];
			break;
		}
	memset(&sv, 0, sizeof(sv));
	if (p && !one_in(&t->r, 20)) {
		fd = p->fd;
		sv.port = p->handle;
	} else {
		sv.port = guess_handle(&t->r, &fd);
		if (fd < 0)
			return;
	}
	sv.depth = one_in(&t->r, 15) ? depths[rnd(&t->r, 4)] :
		   rnd_log(&t->r, 1, 64);
	if (one_in(&t->r, 300))
		sv.reserved0 = 1;
	ret = ctrl(t, fd, QRPC_IOC_SERVE, &sv, sizeof(sv));
	if (ret == -EBADF && p && sv.port == p->handle && fd == p->fd)
		p->stale = true;
	if (ret)
		return;
	remember_handle(fd, sv.handle);
	if (!s) {
		t_close_handle(fd, sv.handle);
		return;
	}
	s->tag = calloc(sv.depth, 1);
	s->armed_id = calloc(sv.depth, sizeof(uint64_t));
	if (!s->tag || !s->armed_id) {
		free(s->tag);
		free(s->armed_id);
		s->tag = NULL;
		s->armed_id = NULL;
		t_close_handle(fd, sv.handle);
		return;
	}
	s->used = true;
	s->gen = ++t->gen_next;
	s->fd = fd;
	s->handle = sv.handle;
	s->depth = sv.depth;
	s->desc_off = sv.desc_off;
	s->desc_size = sv.desc_size;
	if (!one_in(&t->r, 10)) {
		m = mmap(NULL, sv.desc_size, PROT_READ, MAP_SHARED, fd,
			 (off_t)sv.desc_off);
		if (m != MAP_FAILED)
			s->desc = m;
	}
	/* Most servers serve something at once. */
	if (!one_in(&t->r, 5)) {
		struct qrpc_if_reg r;

		memset(&r, 0, sizeof(r));
		r.server = s->handle;
		pick_iface(&t->r, &r.iface);
		ctrl(t, fd, QRPC_IOC_IF_REGISTER, &r, sizeof(r));
	}
}

static void op_if_reg(struct th *t)
{
	struct qrpc_if_reg r;
	struct server *s = pick_server(t);
	int fd;

	memset(&r, 0, sizeof(r));
	if (s && !one_in(&t->r, 20)) {
		fd = s->fd;
		r.server = s->handle;
	} else {
		r.server = guess_handle(&t->r, &fd);
		if (fd < 0)
			return;
	}
	pick_iface(&t->r, &r.iface);
	if (one_in(&t->r, 200))
		r.flags = 1;
	if (one_in(&t->r, 300))
		r.reserved[rnd(&t->r, 2)] = 1;
	ctrl(t, fd, one_in(&t->r, 3) ? QRPC_IOC_IF_UNREGISTER :
		    QRPC_IOC_IF_REGISTER, &r, sizeof(r));
}

/* An area size: 4 KiB to a few MiB, now and then a limit or past it. */
static uint32_t area_size(struct th *t, bool *huge)
{
	if (one_in(&t->r, 50))
		return one_in(&t->r, 2) ? PAGE - 1 : 0;
	if (one_in(&t->r, 100))
		return GiB + 1;
	if (g_memcg && one_in(&t->r, 50) &&
	    atomic_fetch_sub(&g_stats->huge_left, 1) > 0) {
		*huge = true;
		return GiB;
	}
	if (one_in(&t->r, 8))
		return rnd_log(&t->r, PAGE, 4 * MiB) + (one_in(&t->r, 3) ? rnd(&t->r, PAGE) : 0);
	return rnd_log(&t->r, PAGE, 64 * KiB);
}

static void *map_region(int fd, size_t size, int prot, uint64_t off)
{
	void *p = mmap(NULL, size, prot, MAP_SHARED, fd, (off_t)off);

	return p == MAP_FAILED ? NULL : p;
}

/* mmap a wrong offset, size, protection or kind: never touched. */
static void wrong_mmap(struct th *t, int fd, uint64_t off, size_t size)
{
	int prot = PROT_READ, flags = MAP_SHARED;
	void *p;

	switch (rnd(&t->r, 7)) {
	case 0:
		prot |= PROT_WRITE;
		break;
	case 1:
		size += PAGE * (1 + rnd(&t->r, 4));
		break;
	case 2:
		off += PAGE * (1 + rnd(&t->r, 2));
		break;
	case 3:
		flags = MAP_PRIVATE;
		break;
	case 4:
		off = REGION_OFF(rnd(&t->r, 9), (off / PAGE + rnd(&t->r, 3) - 1) & 0xffffffff);
		break;
	case 5:
		off = (uint64_t)rnd64(&t->r) & 0x0000ffffffff000ULL;
		break;
	default:
		prot = PROT_READ | PROT_WRITE | PROT_EXEC;
		break;
	}
	if (!size)
		size = PAGE;
	p = mmap(NULL, size, prot, flags, fd, (off_t)off);
	if (p != MAP_FAILED)
		munmap(p, size);
}

static void conn_map(struct th *t, struct conn *c)
{
	void *p;

	if (!c->slots) {
		p = map_region(c->fd, c->cn.slots_size, PROT_READ | PROT_WRITE,
			       c->cn.slots_off);
		if (p) {
			c->slots = p;
			c->req = (unsigned char *)p + c->cn.req_base;
			c->req_area = c->cn.slots_size > c->cn.req_base ?
				      c->cn.slots_size - c->cn.req_base : 0;
		}
	}
	if (!c->results) {
		p = map_region(c->fd, c->cn.results_size, PROT_READ,
			       c->cn.results_off);
		if (p) {
			c->results = p;
			c->ring = (struct qrpc_release_ring *)(c->results + c->nslots);
			c->ring_head = __atomic_load_n(&c->ring->tail, __ATOMIC_ACQUIRE);
		}
	}
	if (!c->reply && one_in(&t->r, 2))
		c->reply = map_region(c->fd, c->cn.reply_size, PROT_READ,
				      c->cn.reply_off);
}

static void op_connect(struct th *t)
{
	struct qrpc_connect cn;
	struct conn *c = NULL;
	struct port *p = pick_port(t, QRPC_ACCESS_CALL);
	bool huge = false;
	long long bytes;
	unsigned int i;
	int fd, ret;

	for (i = 0; i < MAX_CONNS; i++)
		if (!t->conns[i].used) {
			c = &t->conns[i];
			break;
		}
	memset(&cn, 0, sizeof(cn));
	if (p && !one_in(&t->r, 20)) {
		fd = p->fd;
		cn.port = p->handle;
	} else {
		cn.port = guess_handle(&t->r, &fd);
		if (fd < 0)
			return;
	}
	cn.nslots = one_in(&t->r, 4) ? 1u << rnd(&t->r, 13) : 1u << rnd(&t->r, 5);
	if (one_in(&t->r, 40))
		cn.nslots = one_in(&t->r, 2) ? 3 : (one_in(&t->r, 2) ? 0 : 8192);
	cn.req_size = area_size(t, &huge);
	cn.rep_size = huge ? PAGE : area_size(t, &huge);
	bytes = (long long)cn.req_size + cn.rep_size + cn.nslots * 96LL + 3 * PAGE;
	if (!huge && atomic_load(&g_arena_bytes) + bytes > g_budget) {
		cn.req_size = PAGE;
		cn.rep_size = PAGE;
		bytes = 2 * PAGE + cn.nslots * 96LL + 3 * PAGE;
	}
	if (one_in(&t->r, 300))
		cn.reserved[rnd(&t->r, 2)] = 1;
	if (huge) {
		/* Let the memory cgroup's OOM killer pick this process. */
		int adj = open("/proc/self/oom_score_adj", O_WRONLY);

		if (adj >= 0) {
			if (write(adj, "1000", 4) < 0) {
				/* it may pick another */
			}
			close(adj);
		}
	} else {
		atomic_fetch_add(&g_arena_bytes, bytes);
	}
	ret = ctrl(t, fd, QRPC_IOC_CONNECT, &cn, sizeof(cn));
	if (huge) {
		if (!ret)
			t_close_handle(fd, cn.handle);
		return;
	}
	if (ret) {
		atomic_fetch_sub(&g_arena_bytes, bytes);
		if (ret == -EBADF && p && cn.port == p->handle && fd == p->fd)
			p->stale = true;
		return;
	}
	remember_handle(fd, cn.handle);
	if (!c || !(c->busy = calloc(cn.nslots, 1))) {
		t_close_handle(fd, cn.handle);
		atomic_fetch_sub(&g_arena_bytes, bytes);
		return;
	}
	c->used = true;
	c->gen = ++t->gen_next;
	c->fd = fd;
	c->handle = cn.handle;
	c->nslots = cn.nslots;
	c->cn = cn;
	c->bytes = bytes;
	c->max_payload = p ? p->max_payload : 1 * MiB;
	if (!one_in(&t->r, 10))
		conn_map(t, c);
	if (one_in(&t->r, 10))
		wrong_mmap(t, fd, one_in(&t->r, 2) ? cn.results_off : cn.reply_off,
			   one_in(&t->r, 2) ? cn.results_size : cn.reply_size);
}

/* The next release-ring entries, checked against what the ABI promises. */
static void conn_drain(struct conn *c)
{
	unsigned int tail, e, n = 0;

	if (!c->ring)
		return;
	tail = __atomic_load_n(&c->ring->tail, __ATOMIC_ACQUIRE);
	while (c->ring_head != tail && n++ < c->nslots) {
		e = c->ring->entries[c->ring_head & (c->nslots - 1)];
		c->ring_head++;
		if (QRPC_RELEASE_SLOT(e) >= c->nslots ||
		    QRPC_RELEASE_REASON(e) < QRPC_RELEASE_DONE ||
		    QRPC_RELEASE_REASON(e) > QRPC_RELEASE_FAILED)
			atomic_fetch_add(&g_stats->oddities, 1);
		else
			c->busy[QRPC_RELEASE_SLOT(e)] = 0;
	}
	/* Too far behind (a ring we never drained): start again from here. */
	c->ring_head = tail;
}

/* A length near @cap: 0, small, the limit, or just past it. */
static uint32_t near(struct rng *r, uint32_t cap)
{
	switch (rnd(r, 10)) {
	case 0:
		return 0;
	case 1:
		return cap;
	case 2:
		return cap + 1;
	case 3:
		return cap ? cap - 1 : 0;
	case 4:
		return rnd_log(r, 1, cap > 1 ? cap : 1);
	default:
		return rnd(r, cap < 256 ? cap + 1 : 257);
	}
}

static void fill_slot(struct th *t, struct conn *c, unsigned int i)
{
	struct qrpc_slot s;
	struct rng *r = &t->r;
	uint32_t area = (uint32_t)c->req_area, rep_area = c->cn.reply_size;
	uint32_t n;

	memset(&s, 0, sizeof(s));
	switch (rnd(r, 10)) {
	case 0: case 1: case 2:
		s.kind = QRPC_KIND_MESSAGE;
		break;
	case 3: case 4:
		s.kind = QRPC_KIND_MAYBE;
		break;
	default:
		s.kind = QRPC_KIND_CALL;
	}
	if (one_in(r, 60))
		s.kind = one_in(r, 2) ? 0 : (uint8_t)(4 + rnd(r, 252));
	s.priority = (uint8_t)rnd(r, 8);
	if (one_in(r, 60))
		s.priority = (uint8_t)(8 + rnd(r, 248));
	if (s.kind == QRPC_KIND_MESSAGE && one_in(r, 2))
		s.flags = QRPC_SLOT_F_DEADLETTER;
	if (one_in(r, 80))
		s.flags = (uint16_t)rnd64(r);
	s.opnum = one_in(r, 10) ? (uint32_t)rnd64(r) : rnd(r, 16);
	pick_iface(r, &s.iface);
	/* The request: a length near the port's or area's limit, or small. */
	s.req_len = one_in(r, 4) ? near(r, one_in(r, 2) ? c->max_payload : area) :
		    rnd_log(r, 1, 512);
	if (s.req_len > area && !one_in(r, 8))
		s.req_len = area;
	s.req_off = area > s.req_len ? rnd(r, area - s.req_len + 1) & ~7u : 0;
	if (one_in(r, 8))
		s.req_off = area - s.req_len;		/* at the very end */
	if (one_in(r, 50))
		s.req_off = (uint32_t)(area - s.req_len + 1 + rnd(r, 8));
	if (one_in(r, 100))
		s.req_off = UINT32_MAX - rnd(r, 64);	/* wraps */
	if (s.kind == QRPC_KIND_CALL || one_in(r, 30)) {
		s.rep_cap = one_in(r, 4) ? near(r, rep_area) : rnd_log(r, 1, 512);
		if (s.rep_cap > rep_area && !one_in(r, 8))
			s.rep_cap = rep_area;
		s.rep_off = rep_area > s.rep_cap ?
			    rnd(r, rep_area - s.rep_cap + 1) : 0;
		if (one_in(r, 50))
			s.rep_off = rep_area - s.rep_cap + 1;
		if (one_in(r, 100))
			s.rep_off = UINT32_MAX - rnd(r, 64);
	}
	if (s.kind == QRPC_KIND_CALL)
		s.timeout_ms = one_in(r, 4) ? 0 : 1 + rnd(r, 300);
	else if (one_in(r, 30))
		s.timeout_ms = rnd(r, 100);
	if (s.kind == QRPC_KIND_MESSAGE) {
		s.ttrq_ms = one_in(r, 2) ? 0 : rnd(r, 50);
		s.ttbr_s = one_in(r, 3) ? 0 : 1 + rnd(r, 2);
	} else if (one_in(r, 30)) {
		s.ttrq_ms = rnd(r, 50);
		s.ttbr_s = rnd(r, 3);
	}
	if (one_in(r, 300))
		s.reserved0 = 1;
	c->slots[i] = s;
	/* Some request bytes, where they really are inside the area. */
	n = s.req_len < 256 ? s.req_len : 256;
	if ((uint64_t)s.req_off + n <= area)
		memset(c->req + s.req_off, (int)rnd(r, 256), n);
	if (s.kind != QRPC_KIND_CALL)
		c->sent = true;
}

static void op_call(struct th *t)
{
	struct conn *c = pick_conn(t);
	unsigned int i, slot;
	int res;
	bool ring;

	if (!c || one_in(&t->r, 50)) {
		if (!c || one_in(&t->r, 2)) {
			op_connect(t);
			return;
		}
	}
	conn_drain(c);
	slot = rnd(&t->r, c->nslots);
	for (i = 0; i < 8 && c->busy[slot]; i++)
		slot = rnd(&t->r, c->nslots);
	if (c->busy[slot] && !one_in(&t->r, 8)) {
		/* All in use, as far as we know: cancel one instead. */
		io_cmd(t, K_CANCEL, c->gen, c->fd, c->handle, slot,
		       rnd(&t->r, 2), 0, !one_in(&t->r, 3), &res);
		return;
	}
	if (one_in(&t->r, 40))
		slot = c->nslots + rnd(&t->r, 4);	/* no such slot */
	if (slot < c->nslots && c->slots)
		fill_slot(t, c, slot);
	ring = !one_in(&t->r, 5);
	if (io_cmd(t, K_CALL, c->gen, c->fd, c->handle, slot, 0, 0, ring, &res)) {
		if (slot < c->nslots)
			c->busy[slot] = c->slots && c->slots[slot].kind != QRPC_KIND_CALL ? 2 : 1;
		/* The same slot again, at once: -EBUSY. */
		if (one_in(&t->r, 30))
			io_cmd(t, K_CALL, c->gen, c->fd, c->handle, slot, 0, 0,
			       true, &res);
		/* Or cancel it at once. */
		if (one_in(&t->r, 10))
			io_cmd(t, K_CANCEL, c->gen, c->fd, c->handle, slot,
			       rnd(&t->r, 2), 0, !one_in(&t->r, 3), &res);
	} else {
		count_res(g_stats->call_res, res);
		if (res >= 0)
			atomic_fetch_add(&g_stats->calls, 1);
		if (res >= 0 && slot < c->nslots && c->slots &&
		    c->slots[slot].kind != QRPC_KIND_CALL)
			c->busy[slot] = 2;
		if (res == -EBADF && !one_in(&t->r, 4))
			c->stale = true;
	}
}

static void op_cancel(struct th *t)
{
	struct conn *c = pick_conn(t);
	unsigned int slot, i, arg;
	int res;

	if (!c)
		return;
	slot = rnd(&t->r, c->nslots);
	for (i = 0; i < 8 && !c->busy[slot]; i++)
		slot = rnd(&t->r, c->nslots);
	arg = one_in(&t->r, 2) ? QRPC_CANCEL_F_ABORTIVE : 0;
	if (one_in(&t->r, 50))
		arg = (uint32_t)rnd64(&t->r);
	io_cmd(t, K_CANCEL, c->gen, c->fd, c->handle, slot, arg, 0,
	       !one_in(&t->r, 3), &res);
}

/* The server's mapping of connection @conn_id, made on first use. */
static struct smap *smap_get(struct th *t, struct server *s, unsigned int conn_id)
{
	struct qrpc_map_conn m;
	struct smap *e = NULL;
	unsigned int i;

	for (i = 0; i < MAX_SMAPS; i++) {
		if (s->maps[i].conn_id == conn_id && (s->maps[i].req || s->maps[i].rep))
			return &s->maps[i];
		if (!e && !s->maps[i].req && !s->maps[i].rep)
			e = &s->maps[i];
	}
	if (!e) {
		e = &s->maps[rnd(&t->r, MAX_SMAPS)];
		smap_drop(e);
	}
	memset(&m, 0, sizeof(m));
	m.server = s->handle;
	m.conn_id = conn_id;
	if (ctrl(t, s->fd, QRPC_IOC_MAP_CONN, &m, sizeof(m)))
		return NULL;
	e->conn_id = conn_id;
	e->req_size = m.request_size;
	e->rep_size = m.reply_size;
	if (one_in(&t->r, 20))
		wrong_mmap(t, s->fd, one_in(&t->r, 2) ? m.request_off : m.reply_off,
			   m.request_size);
	e->req = map_region(s->fd, m.request_size, PROT_READ, m.request_off);
	e->rep = map_region(s->fd, m.reply_size, PROT_READ | PROT_WRITE,
			    m.reply_off);
	if (!e->req && !e->rep)
		return NULL;
	return e;
}

/* Answer the call that tag @tag holds. */
static void serve(struct th *t, struct server *s, unsigned int tag)
{
	struct qrpc_call_desc d;
	struct smap *m = NULL;
	unsigned int len, fault = 0, n, how;
	unsigned char sum = 0;
	int res;

	memset(&d, 0, sizeof(d));
	if (s->desc) {
		memcpy(&d, (const void *)&s->desc[tag], sizeof(d));
		if (d.req_len && !one_in(&t->r, 4))
			m = smap_get(t, s, d.conn_id);
	}
	len = one_in(&t->r, 3) ? near(&t->r, d.rep_cap) :
	      (d.rep_cap ? rnd(&t->r, d.rep_cap + 1) : 0);
	if (m) {
		n = d.req_len < 64 ? d.req_len : 64;
		if (m->req && (uint64_t)d.req_off + n <= m->req_size) {
			while (n--)
				sum += m->req[d.req_off + n];
			__atomic_store_n(&g_sink, sum, __ATOMIC_RELAXED);
		} else if (m->req && n) {
			atomic_fetch_add(&g_stats->oddities, 1);
		}
		n = len < 512 ? len : 512;
		if (m->rep && n && (uint64_t)d.rep_off + n <= m->rep_size)
			memset(m->rep + d.rep_off, 0x5a, n);
	}
	if (one_in(&t->r, 8))
		fault = one_in(&t->r, 2) ? 1818 : (uint32_t)rnd64(&t->r);
	if (d.cancelled && one_in(&t->r, 2))
		fault = 1818;
	if (one_in(&t->r, 15))
		sleep_us(rnd(&t->r, 3000));	/* a slow handler */
	how = rnd(&t->r, 20);
	if (how < 12) {
		if (io_cmd(t, K_CAF, s->gen, s->fd, s->handle, tag, fault, len,
			   true, &res)) {
			s->tag[tag] = TAG_ARMED;
			s->armed_id[tag] = d.call_id;
			return;
		}
	} else if (how < 16) {
		if (io_cmd(t, K_COMMIT, s->gen, s->fd, s->handle, tag, fault,
			   len, true, &res)) {
			s->tag[tag] = TAG_IDLE;
			return;
		}
	} else if (how < 19) {
		io_cmd(t, K_COMMIT, s->gen, s->fd, s->handle, tag, fault, len,
		       false, &res);
		if (!res)
			atomic_fetch_add(&g_stats->commits, 1);
		s->tag[tag] = TAG_IDLE;
		return;
	}
	/* COMMIT_AND_FETCH by ioctl: answers and waits for the next. */
	io_cmd(t, K_CAF, s->gen, s->fd, s->handle, tag, fault, len, false, &res);
	if (!res) {
		atomic_fetch_add(&g_stats->fetches, 1);
		s->tag[tag] = TAG_HELD;
	} else {
		s->tag[tag] = TAG_IDLE;
	}
}

static void on_cqe(struct th *t, uint64_t ud, int res)
{
	unsigned int kind = (unsigned int)(ud >> 56);
	unsigned int gen = (unsigned int)(ud >> 32) & 0xffffff;
	unsigned int idx = (uint32_t)ud;
	struct server *s;
	struct conn *c;

	if (kind == K_CTRL) {
		void *buf = (void *)(uintptr_t)(ud & UD_PTR_MASK);

		if (buf == t->waiting) {
			t->wait_done = true;
			t->wait_res = res;
		} else {
			free(buf);
		}
		return;
	}
	if (t->inflight)
		t->inflight--;
	switch (kind) {
	case K_CALL:
		c = conn_by_gen(t, gen);
		/* A one-way call's slot is busy until it is released. */
		if (c && idx < c->nslots && (c->busy[idx] == 1 || res < 0))
			c->busy[idx] = 0;
		if (c && res == -EBADF && !one_in(&t->r, 4))
			c->stale = true;
		count_res(g_stats->call_res, res);
		if (res >= 0)
			atomic_fetch_add(&g_stats->calls, 1);
		break;
	case K_FETCH:
	case K_CAF:
		count_res(g_stats->fetch_res, res);
		s = server_by_gen(t, gen);
		if (s && (res == -EBADF || res == -EPIPE) && !one_in(&t->r, 4))
			s->stale = true;
		if (!s || idx >= s->depth)
			break;
		if (res == 0) {
			atomic_fetch_add(&g_stats->fetches, 1);
			s->tag[idx] = TAG_HELD;
			if (!one_in(&t->r, 4))
				serve(t, s, idx);
		} else if (s->tag[idx] == TAG_ARMED) {
			s->tag[idx] = TAG_IDLE;
		}
		break;
	case K_COMMIT:
		if (res == 0)
			atomic_fetch_add(&g_stats->commits, 1);
		break;
	default:
		break;
	}
}

static void op_fetch(struct th *t)
{
	struct server *s = pick_server(t);
	unsigned int tag, i;
	int res;

	if (!s) {
		op_serve(t);
		return;
	}
	tag = rnd(&t->r, s->depth);
	for (i = 0; i < 8 && s->tag[tag] != TAG_IDLE; i++)
		tag = rnd(&t->r, s->depth);
	if (s->tag[tag] != TAG_IDLE && !one_in(&t->r, 8))
		return;
	if (one_in(&t->r, 40))
		tag = s->depth + rnd(&t->r, 3);
	if (io_cmd(t, K_FETCH, s->gen, s->fd, s->handle, tag, 0, 0,
		   !one_in(&t->r, 8), &res)) {
		if (tag < s->depth) {
			s->tag[tag] = TAG_ARMED;
			s->armed_id[tag] = s->desc ? s->desc[tag].call_id : 0;
		}
	} else if (count_res(g_stats->fetch_res, res),
		   (res == -EBADF || res == -EPIPE) && !one_in(&t->r, 4)) {
		s->stale = true;
	} else if (!res && tag < s->depth) {
		atomic_fetch_add(&g_stats->fetches, 1);
		s->tag[tag] = TAG_HELD;
		if (!one_in(&t->r, 4))
			serve(t, s, tag);
	}
}

/* Commit (or commit and fetch) a held tag, or a random one. */
static void op_commit(struct th *t, bool and_fetch)
{
	struct server *s = pick_server(t);
	unsigned int tag, i;
	int res;

	if (!s)
		return;
	tag = rnd(&t->r, s->depth);
	for (i = 0; i < 16 && s->tag[tag] != TAG_HELD; i++)
		tag = rnd(&t->r, s->depth);
	if (s->tag[tag] == TAG_HELD && !one_in(&t->r, 4)) {
		serve(t, s, tag);
		return;
	}
	io_cmd(t, and_fetch ? K_CAF : K_COMMIT, s->gen, s->fd, s->handle, tag,
	       rnd(&t->r, 3), near(&t->r, 64), !one_in(&t->r, 4), &res);
}

/*
 * The attacker's move: a call landed on armed tag @tag (its descriptor
 * changed) and the FETCH's CQE is not reaped yet: answer it, or re-arm
 * the tag, now.
 */
static void early(struct th *t, struct server *s, unsigned int tag, uint64_t id)
{
	int res;

	s->armed_id[tag] = id;
	atomic_fetch_add(&g_stats->early, 1);
	switch (rnd(&t->r, 5)) {
	case 0:
		io_cmd(t, K_FETCH, s->gen, s->fd, s->handle, tag, 0, 0, true, &res);
		break;
	case 1:
		io_cmd(t, K_COMMIT, s->gen, s->fd, s->handle, tag, 0, 0, false, &res);
		break;
	case 2:
		io_cmd(t, K_COMMIT, s->gen, s->fd, s->handle, tag, 0, 0, true, &res);
		break;
	default:
		io_cmd(t, K_CAF, s->gen, s->fd, s->handle, tag, 0,
		       rnd(&t->r, 8), true, &res);
		break;
	}
}

/* Look for calls on armed tags; true if one was found (and acted on). */
static bool scan_desc(struct th *t, struct server *s, unsigned int start)
{
	unsigned int i, tag, lim = s->depth < 64 ? s->depth : 64;
	uint64_t id;

	for (i = 0; i < lim; i++) {
		tag = (start + i) % s->depth;
		if (s->tag[tag] != TAG_ARMED)
			continue;
		id = __atomic_load_n(&s->desc[tag].call_id, __ATOMIC_ACQUIRE);
		if (id && id != s->armed_id[tag]) {
			early(t, s, tag, id);
			return true;
		}
	}
	return false;
}

/* Arm a few tags and spin on the descriptor table for a while. */
static void op_attack(struct th *t)
{
	struct server *s = pick_server(t);
	uint64_t end = now_ns() + rnd(&t->r, 5000) * 1000ULL;
	unsigned int i, tag, start;
	int res;

	if (!s || !s->desc)
		return;
	start = rnd(&t->r, s->depth);
	for (i = 0; i < 3; i++) {
		tag = (start + i) % s->depth;
		if (s->tag[tag] == TAG_IDLE &&
		    io_cmd(t, K_FETCH, s->gen, s->fd, s->handle, tag, 0, 0,
			   true, &res)) {
			s->tag[tag] = TAG_ARMED;
			s->armed_id[tag] = s->desc[tag].call_id;
		}
	}
	while (!scan_desc(t, s, start) && now_ns() < end)
		;
}

static void op_map_conn(struct th *t)
{
	struct server *s = pick_server(t);
	struct conn *c = pick_conn(t);
	unsigned int id;

	if (!s)
		return;
	/* Our own connection, a random id, or one a call came from. */
	id = c ? c->cn.conn_id : rnd(&t->r, 64);
	if (s->desc && one_in(&t->r, 2))
		id = s->desc[rnd(&t->r, s->depth)].conn_id;
	if (one_in(&t->r, 10))
		id = (uint32_t)rnd64(&t->r);
	smap_get(t, s, id);
}

static void op_dlq(struct th *t)
{
	struct qrpc_dlq_entry ents[8];
	struct qrpc_dlq_list l;
	struct qrpc_dlq_op o;
	struct port *p = pick_port(t, QRPC_ACCESS_SERVE);
	unsigned int h;
	int fd;

	if (p && !one_in(&t->r, 10)) {
		fd = p->fd;
		h = p->handle;
	} else {
		h = guess_handle(&t->r, &fd);
		if (fd < 0)
			return;
	}
	memset(&l, 0, sizeof(l));
	l.port = h;
	l.count = rnd(&t->r, 9);
	l.addr = one_in(&t->r, 30) ? (uintptr_t)bad_ptr(&t->r) : (uintptr_t)ents;
	if (ctrl(t, fd, QRPC_IOC_DLQ_LIST, &l, sizeof(l)) == 0 && l.total)
		atomic_fetch_add(&g_stats->dlq, l.total);
	memset(&o, 0, sizeof(o));
	o.port = h;
	if (l.count && l.count <= 8 && l.addr == (uintptr_t)ents && !one_in(&t->r, 3))
		o.call_id = ents[rnd(&t->r, l.count)].call_id;
	else if (one_in(&t->r, 3))
		o.call_id = rnd64(&t->r);
	switch (rnd(&t->r, 3)) {
	case 0:
		break;
	case 1:
		ctrl(t, fd, QRPC_IOC_DLQ_REQUEUE, &o, sizeof(o));
		break;
	default:
		ctrl(t, fd, QRPC_IOC_DLQ_PURGE, &o, sizeof(o));
		break;
	}
}

/* Close one of our handles, someone else's, or a number made up. */
static void op_close(struct th *t)
{
	unsigned int h;
	int fd;

	switch (rnd(&t->r, 8)) {
	case 0: case 1: {
		struct port *p = pick_port(t, 0);

		if (p) {
			t_close_handle(p->fd, p->handle);
			p->used = false;
		}
		return;
	}
	case 2: {
		struct server *s = pick_server(t);

		if (s) {
			t_close_handle(s->fd, s->handle);
			/* Sometimes keep it, mapped, and go on using it. */
			if (!one_in(&t->r, 4))
				server_drop(s);
		}
		return;
	}
	case 3: {
		struct conn *c = pick_conn(t);

		if (c) {
			t_close_handle(c->fd, c->handle);
			if (!one_in(&t->r, 4))
				conn_drop(c);
		}
		return;
	}
	case 4: case 5: case 6:
		h = guess_handle(&t->r, &fd);
		if (fd < 0)
			return;
		if (one_in(&t->r, 4))
			h += rnd(&t->r, 3);	/* the next one, maybe */
		break;
	default:
		fd = any_fd(&t->r);
		if (fd < 0)
			return;
		h = one_in(&t->r, 10) ? (uint32_t)rnd64(&t->r) : rnd(&t->r, 64);
		break;
	}
	if (one_in(&t->r, 50)) {
		struct qrpc_handle_arg a = { h, 1 };

		t_ioctl(fd, QRPC_IOC_CLOSE, &a);
		return;
	}
	{
		struct qrpc_handle_arg a = { h, 0 };

		ctrl(t, fd, QRPC_IOC_CLOSE, &a, sizeof(a));
	}
}

/* mmap and munmap: remap a region, drop one, or try a wrong offset. */
static void op_mmap(struct th *t)
{
	struct server *s = pick_server(t);
	struct conn *c = pick_conn(t);
	void *p;

	switch (rnd(&t->r, 6)) {
	case 0:
		if (c) {
			conn_unmap(c);
			conn_map(t, c);
		}
		break;
	case 1:
		if (s && !s->desc) {
			p = map_region(s->fd, s->desc_size, PROT_READ, s->desc_off);
			if (p)
				s->desc = p;
		} else if (s) {
			munmap((void *)s->desc, s->desc_size);
			s->desc = NULL;
		}
		break;
	case 2:
		if (c && c->results)
			wrong_mmap(t, c->fd, c->cn.slots_off, c->cn.slots_size);
		else if (s)
			wrong_mmap(t, s->fd, s->desc_off, s->desc_size);
		break;
	case 3:
		/* A read-only region must not become writable. */
		if (c && c->results &&
		    mprotect(c->results, c->cn.results_size, PROT_READ | PROT_WRITE) == 0) {
			atomic_fetch_add(&g_stats->oddities, 1);
			mprotect(c->results, c->cn.results_size, PROT_READ);
		}
		if (s && s->desc &&
		    mprotect((void *)s->desc, s->desc_size, PROT_READ | PROT_WRITE) == 0) {
			atomic_fetch_add(&g_stats->oddities, 1);
			mprotect((void *)s->desc, s->desc_size, PROT_READ);
		}
		break;
	case 4:
		/* Another file's view of the same offsets. */
		if (c) {
			int fd = any_fd(&t->r);

			if (fd >= 0)
				wrong_mmap(t, fd, c->cn.slots_off, c->cn.slots_size);
		}
		break;
	default:
		if (s && one_in(&t->r, 2)) {
			unsigned int i = rnd(&t->r, MAX_SMAPS);

			smap_drop(&s->maps[i]);
		} else if (c) {
			conn_unmap(c);
		}
		break;
	}
}

/* A data-path command on a handle some other thread got. */
static void op_stray(struct th *t)
{
	static const int kinds[] = { K_CALL, K_CANCEL, K_FETCH, K_COMMIT, K_CAF };
	unsigned int h;
	int fd, res, kind = kinds[rnd(&t->r, 5)];

	h = guess_handle(&t->r, &fd);
	if (fd < 0)
		return;
	io_cmd(t, kind, 0, fd, h, rnd(&t->r, 8), rnd(&t->r, 2), rnd(&t->r, 16),
	       !one_in(&t->r, 4), &res);
}

/* Unknown command numbers, and known ones with a wrong size. */
static void op_badcmd(struct th *t)
{
	unsigned char buf[256];
	unsigned long cmd;
	int fd = any_fd(&t->r);

	if (fd < 0)
		return;
	memset(buf, 0, sizeof(buf));
	if (one_in(&t->r, 2))
		cmd = _IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE + 0x13 + rnd(&t->r, 0x2c),
			    struct qrpc_io);
	else
		cmd = _IOC(_IOC_READ | _IOC_WRITE, QRPC_IOC_MAGIC,
			   QRPC_IOC_BASE + rnd(&t->r, 0x13), rnd(&t->r, 256));
	t_ioctl(fd, cmd, buf);
}

static void op_poll(struct th *t)
{
	struct pollfd p = { .events = POLLIN | POLLOUT };

	p.fd = any_fd(&t->r);
	if (p.fd >= 0)
		poll(&p, 1, (int)rnd(&t->r, 5));
}

static void op_fd(struct th *t, bool open_it)
{
	int i = (int)rnd(&t->r, MAX_FDS), fd;

	if (open_it) {
		int expect = -1;

		fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && !atomic_compare_exchange_strong(&g_fds[i], &expect, fd))
			close(fd);
		return;
	}
	/*
	 * Objects of other threads still name this fd.  Replacing it with
	 * /dev/null drops the file all the same, and keeps its number from
	 * being reused (by a ring, say, whose mmap would take our offsets).
	 */
	fd = atomic_exchange(&g_fds[i], -1);
	if (fd >= 0 && (g_null < 0 || dup2(g_null, fd) < 0))
		atomic_store(&g_fds[i], fd);	/* keep it open instead */
}

static void op_ring(struct th *t)
{
	if (!t->have_ring) {
		ring_open(t);
		return;
	}
	if (one_in(&t->r, 2)) {
		ring_close(t);		/* commands parked, often */
		if (!one_in(&t->r, 4))
			ring_open(t);
	} else {
		reap(t, rnd(&t->r, 20));
	}
}

/*
 * Signal a thread of this process by its kernel id: a stale id names no
 * thread, or another of ours, never another process's.
 */
static void tkill(struct tslot *sl)
{
	int tid = atomic_load(&sl->ktid);

	if (tid > 0)
		syscall(SYS_tgkill, (int)getpid(), tid, SIGUSR1);
}

static void op_signal(struct th *t)
{
	if (!g_forked)
		tkill(&g_slots[rnd(&t->r, g_nthreads)]);
}

static void noop_handler(int sig)
{
	(void)sig;
}

/* Async-signal-safe formatting for the crash report. */
static size_t put_str(char *b, size_t n, const char *s)
{
	while (*s)
		b[n++] = *s++;
	return n;
}

static size_t put_hex(char *b, size_t n, unsigned long v)
{
	char tmp[20];
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	n = put_str(b, n, "0x");
	while (i)
		b[n++] = tmp[--i];
	return n;
}

/*
 * A worker's SIGSEGV or SIGBUS: say where, and in which mapping (a fault
 * in a region the module mapped is worth a look), then die of it.
 */
static void crash_handler(int sig, siginfo_t *si, void *uc)
{
	unsigned long addr = (unsigned long)si->si_addr, lo, hi;
	char line[512], maps[8192];
	ssize_t got;
	size_t n = 0, i, start;
	int fd;

	n = put_str(line, n, "# abi_fuzz: pid ");
	n = put_hex(line, n, (unsigned long)getpid());
	n = put_str(line, n, sig == SIGBUS ? " SIGBUS" : " SIGSEGV");
	n = put_str(line, n, " code ");
	n = put_hex(line, n, (unsigned long)si->si_code);
	n = put_str(line, n, " at ");
	n = put_hex(line, n, addr);
	n = put_str(line, n, " rip ");
	n = put_hex(line, n, (unsigned long)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP]);
	fd = open("/proc/self/maps", O_RDONLY);
	got = fd >= 0 ? read(fd, maps, sizeof(maps) - 1) : -1;
	for (start = 0, i = 0; got > 0 && i < (size_t)got; i++) {
		if (maps[i] != '\n')
			continue;
		maps[i] = 0;
		lo = strtoul(maps + start, NULL, 16);
		hi = strtoul(strchr(maps + start, '-') + 1, NULL, 16);
		if (addr >= lo && addr < hi && i - start < 200) {
			n = put_str(line, n, " in ");
			n = put_str(line, n, maps + start);
			break;
		}
		start = i + 1;
	}
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0) {
		/* nowhere else to say it */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void reap_kids(struct th *t, bool kill_one)
{
	int i, st;

	for (i = 0; i < MAX_KIDS; i++) {
		if (!t->kids[i])
			continue;
		if (kill_one && one_in(&t->r, 2)) {
			kill(t->kids[i], SIGKILL);
			atomic_fetch_add(&g_stats->kills, 1);
			kill_one = false;
		}
		if (waitpid(t->kids[i], &st, WNOHANG) != 0)
			t->kids[i] = 0;		/* reaped, or not ours any more */
	}
}

/* The child of a fork: its mappings are gone (VM_DONTCOPY). */
static void become_child(struct th *t)
{
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } };
	struct sigaction sa;
	unsigned int i;

	g_forked = true;
	t->slot = NULL;
	t->depth++;
	memset(t->kids, 0, sizeof(t->kids));
	for (i = 0; i < MAX_SERVERS; i++) {
		if (!t->srv[i].used)
			continue;
		t->srv[i].desc = NULL;
		memset(t->srv[i].maps, 0, sizeof(t->srv[i].maps));
	}
	for (i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &t->conns[i];

		if (!c->used)
			continue;
		c->slots = NULL;
		c->req = NULL;
		c->results = NULL;
		c->ring = NULL;
		c->reply = NULL;
		if (one_in(&t->r, 2))
			conn_map(t, c);		/* the same offsets, another mm */
	}
	/*
	 * The parent's ring is still the parent's: two processes sharing
	 * one SQ and CQ without a lock would trample each other's entries.
	 * Drop this process's reference to it (its mapping and fd) and make
	 * a ring of our own, or have none for a while.
	 */
	if (t->have_ring) {
		io_uring_queue_exit(&t->ring);
		t->have_ring = false;
	}
	ring_forgot(t);
	if (!one_in(&t->r, 4))
		ring_open(t);
	/* Interrupt blocked ioctls, as the signaller thread does. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = noop_handler;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	t->deadline = now_ns() + (200 + rnd(&t->r, 2000)) * 1000000ULL;
}

static void op_fork(struct th *t)
{
	int i, slot = -1;
	uint64_t seed;
	pid_t pid;

	if (t->depth >= 2 || atomic_fetch_sub(&g_forks_left, 1) <= 0)
		return;
	for (i = 0; i < MAX_KIDS; i++)
		if (!t->kids[i])
			slot = i;
	if (slot < 0)
		return;
	seed = rnd64(&t->r);
	pid = fork();
	if (pid == 0) {
		t->r.s = seed;
		atomic_store(&g_forks_left, 2);
		become_child(t);
		return;
	}
	if (pid > 0) {
		t->kids[slot] = pid;
		atomic_fetch_add(&g_stats->forks, 1);
	}
}

/* The threads' op mix; weights out of their sum. */
enum {
	A_OPEN_FD, A_CLOSE_FD, A_PORT_CREATE, A_PORT_OPEN, A_PORT_UNLINK,
	A_PORT_LIST, A_FEATURES, A_SERVE, A_IF_REG, A_CONNECT, A_MAP_CONN,
	A_CALL, A_CANCEL, A_FETCH, A_COMMIT, A_CAF, A_ATTACK, A_DLQ, A_CLOSE,
	A_MMAP, A_STRAY, A_BADCMD, A_POLL, A_RING, A_REAP, A_SIGNAL, A_FORK,
	A_KILL_KID, A_THREAD_EXIT, A_EXIT, A_N
};

static const unsigned int weights[A_N] = {
	[A_OPEN_FD] = 4, [A_CLOSE_FD] = 1, [A_PORT_CREATE] = 25,
	[A_PORT_OPEN] = 15, [A_PORT_UNLINK] = 3, [A_PORT_LIST] = 4,
	[A_FEATURES] = 2, [A_SERVE] = 15, [A_IF_REG] = 20, [A_CONNECT] = 12,
	[A_MAP_CONN] = 6, [A_CALL] = 140, [A_CANCEL] = 25, [A_FETCH] = 70,
	[A_COMMIT] = 25, [A_CAF] = 20, [A_ATTACK] = 20, [A_DLQ] = 8,
	[A_CLOSE] = 15, [A_MMAP] = 8, [A_STRAY] = 15, [A_BADCMD] = 2,
	[A_POLL] = 4, [A_RING] = 4, [A_REAP] = 40, [A_SIGNAL] = 6,
	[A_FORK] = 1, [A_KILL_KID] = 2, [A_THREAD_EXIT] = 1, [A_EXIT] = 1,
};

static unsigned int weights_total;

static unsigned int pick_action(struct rng *r)
{
	unsigned int i, x = rnd(r, weights_total);

	for (i = 0; i < A_N; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return A_REAP;
}

/* Drop the objects whose handles turned out to be gone. */
static void sweep(struct th *t)
{
	unsigned int i;

	for (i = 0; i < MAX_SERVERS; i++)
		if (t->srv[i].used && t->srv[i].stale)
			server_drop(&t->srv[i]);
	for (i = 0; i < MAX_CONNS; i++)
		if (t->conns[i].used && t->conns[i].stale)
			conn_drop(&t->conns[i]);
	for (i = 0; i < MAX_PORTS; i++)
		if (t->ports[i].used && t->ports[i].stale)
			t->ports[i].used = t->ports[i].stale = false;
}

static void step(struct th *t)
{
	struct server *s;

	sweep(t);
	switch (pick_action(&t->r)) {
	case A_OPEN_FD:
		op_fd(t, true);
		break;
	case A_CLOSE_FD:
		if (one_in(&t->r, 5))
			op_fd(t, false);
		break;
	case A_PORT_CREATE:
		op_port_create(t);
		break;
	case A_PORT_OPEN:
		op_port_open(t);
		break;
	case A_PORT_UNLINK:
		op_port_unlink(t);
		break;
	case A_PORT_LIST:
		op_port_list(t);
		break;
	case A_FEATURES:
		op_features(t);
		break;
	case A_SERVE:
		op_serve(t);
		break;
	case A_IF_REG:
		op_if_reg(t);
		break;
	case A_CONNECT:
		op_connect(t);
		break;
	case A_MAP_CONN:
		op_map_conn(t);
		break;
	case A_CALL:
		op_call(t);
		break;
	case A_CANCEL:
		op_cancel(t);
		break;
	case A_FETCH:
		op_fetch(t);
		break;
	case A_COMMIT:
		op_commit(t, false);
		break;
	case A_CAF:
		op_commit(t, true);
		break;
	case A_ATTACK:
		op_attack(t);
		break;
	case A_DLQ:
		op_dlq(t);
		break;
	case A_CLOSE:
		op_close(t);
		break;
	case A_MMAP:
		op_mmap(t);
		break;
	case A_STRAY:
		op_stray(t);
		break;
	case A_BADCMD:
		op_badcmd(t);
		break;
	case A_POLL:
		op_poll(t);
		break;
	case A_RING:
		op_ring(t);
		break;
	case A_REAP:
		reap(t, one_in(&t->r, 4) ? rnd(&t->r, 20) : 0);
		/* A server with nothing armed arms something. */
		s = pick_server(t);
		if (s && one_in(&t->r, 2))
			op_fetch(t);
		break;
	case A_SIGNAL:
		op_signal(t);
		break;
	case A_FORK:
		if (one_in(&t->r, 3))
			op_fork(t);
		break;
	case A_KILL_KID:
		reap_kids(t, true);
		break;
	case A_THREAD_EXIT:
		if (!g_forked && one_in(&t->r, 5))
			t->want_exit = true;
		break;
	case A_EXIT:
		if (one_in(&t->r, 100)) {
			flush_ops(t);
			if (one_in(&t->r, 2))
				exit(0);
			_exit(0);
		}
		break;
	}
	t->ops++;
	if (t->have_ring && one_in(&t->r, 4)) {
		/* Before reaping, look at the table, as an attacker would. */
		s = pick_server(t);
		if (s && s->desc && one_in(&t->r, 2))
			scan_desc(t, s, rnd(&t->r, s->depth));
		reap(t, 0);
	}
	if ((t->ops & 63) == 0) {
		flush_ops(t);
		reap_kids(t, false);
	}
}

static void *thread_main(void *arg)
{
	struct tslot *sl = arg;
	struct th *t = calloc(1, sizeof(*t));
	unsigned int i;

	if (!t) {
		atomic_store(&sl->state, 2);
		return NULL;
	}
	t->slot = sl;
	t->r.s = sl->seed;
	atomic_store(&sl->ktid, (int)syscall(SYS_gettid));
	if (!one_in(&t->r, 10))
		ring_open(t);
	while (!t->want_exit) {
		step(t);
		if (g_forked && now_ns() > t->deadline) {
			flush_ops(t);
			if (one_in(&t->r, 4))
				kill(getpid(), SIGKILL);
			_exit(0);
		}
	}
	flush_ops(t);
	/* A thread that exits leaves its ring, handles and parked commands;
	 * sometimes its mappings too. */
	if (one_in(&t->r, 2)) {
		for (i = 0; i < MAX_SERVERS; i++)
			if (t->srv[i].used)
				server_unmap(&t->srv[i]);
		for (i = 0; i < MAX_CONNS; i++)
			if (t->conns[i].used)
				conn_unmap(&t->conns[i]);
	}
	atomic_store(&sl->ktid, 0);
	atomic_store(&sl->state, 2);
	return NULL;
}

static void spawn_thread(unsigned int i, uint64_t pseed)
{
	struct tslot *sl = &g_slots[i];
	pthread_attr_t a;

	sl->seed = derive(pseed, i, sl->inc++, 0x7468);
	atomic_store(&sl->block_until, 0);
	atomic_store(&sl->ktid, 0);
	atomic_store(&sl->state, 1);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 * 1024);
	if (pthread_create(&sl->tid, &a, thread_main, sl))
		atomic_store(&sl->state, 0);
	pthread_attr_destroy(&a);
}

/*
 * A worker process: T threads doing random operations, and this main
 * thread interrupting ioctls that block too long and replacing threads
 * that exit, until the round's end kills it.
 */
static void worker(uint64_t seed, unsigned int threads, unsigned int round_ms)
{
	struct sigaction sa;
	struct rng r = { seed };
	unsigned int i, nfds;
	int fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (g_memcg) {
		fd = open(MEMCG "/cgroup.procs", O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			g_memcg = false;
		if (fd >= 0)
			close(fd);
	}
	/* The watchdog: the default action of SIGALRM ends the process. */
	signal(SIGALRM, SIG_DFL);
	alarm(round_ms / 1000 + 15);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = noop_handler;	/* no SA_RESTART: ioctls return */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = NULL;
	sa.sa_sigaction = crash_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	for (i = 0; i < MAX_FDS; i++)
		atomic_store(&g_fds[i], -1);
	g_null = open("/dev/null", O_RDWR | O_CLOEXEC);
	nfds = 1 + rnd(&r, 2);
	for (i = 0; i < nfds; i++)
		atomic_store(&g_fds[i], open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC));
	atomic_store(&g_forks_left, 4);
	g_nthreads = threads;
	for (i = 0; i < threads; i++)
		spawn_thread(i, seed);
	for (;;) {
		uint64_t now;

		sleep_us(5000);
		now = now_ns();
		for (i = 0; i < threads; i++) {
			struct tslot *sl = &g_slots[i];
			uint64_t until = atomic_load(&sl->block_until);

			if (atomic_load(&sl->state) == 1 && until && now > until) {
				tkill(sl);
				atomic_store(&sl->block_until, now + 20000000ULL);
			}
			if (atomic_load(&sl->state) == 2) {
				pthread_join(sl->tid, NULL);
				spawn_thread(i, seed);
			}
		}
	}
}

/* ---- the main process ------------------------------------------------- */

static struct {
	uint64_t seed;
	unsigned int seconds, procs, threads;
} cfg = { 0, 60, 4, 4 };

struct proc {
	pid_t pid;		/* 0 when not running */
	unsigned int inc;
};

static struct proc procs[MAX_PROCS];
/* The process groups of this round's workers, dead ones too: their
 * forked children may live on. */
#define MAX_GROUPS	512
static pid_t groups[MAX_GROUPS];
static volatile sig_atomic_t ngroups;

static void kill_groups(void)
{
	int i;

	for (i = 0; i < ngroups; i++)
		kill(-groups[i], SIGKILL);
}

static void watchdog(int sig)
{
	static const char msg[] = "not ok 1 abi_fuzz # watchdog: the run took far too long\n";

	(void)sig;
	kill_groups();
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing else to do */
	}
	_exit(1);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

/* A memory cgroup for the workers, if the kernel has one to give. */
static bool memcg_setup(void)
{
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK)) {
		mkdir("/sys/fs/cgroup", 0755);
		if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL))
			return false;
	}
	if (write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory"))
		return false;
	if (mkdir(MEMCG, 0755) && errno != EEXIST)
		return false;
	if (write_file(MEMCG "/memory.max", MEMCG_LIMIT))
		return false;
	write_file(MEMCG "/memory.swap.max", "0");
	return true;
}

static void kmsg(const char *s)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0) {
			/* only a marker */
		}
		close(fd);
	}
}

static void spawn_proc(unsigned int p, unsigned int round, unsigned int round_ms)
{
	uint64_t seed = derive(cfg.seed, round, p, procs[p].inc++);
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		worker(seed, cfg.threads, round_ms);
		_exit(0);
	}
	if (pid > 0) {
		setpgid(pid, pid);	/* as the child does: no race */
		procs[p].pid = pid;
		if (ngroups < MAX_GROUPS)
			groups[ngroups++] = pid;
	}
}

static void note_exit(pid_t pid, int st)
{
	unsigned int i;

	for (i = 0; i < cfg.procs; i++)
		if (procs[i].pid == pid)
			procs[i].pid = 0;
	if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL && WTERMSIG(st) != SIGALRM) {
		atomic_fetch_add(&g_stats->crashes, 1);
		printf("# process %d died of signal %d\n", (int)pid, WTERMSIG(st));
	}
}

/* Reap what has exited; with @wait_ms, wait for every child to go. */
static int reap_all(unsigned int wait_ms)
{
	uint64_t end = now_ns() + wait_ms * 1000000ULL;
	int st;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &st, WNOHANG);
		if (pid > 0) {
			note_exit(pid, st);
			continue;
		}
		if (pid < 0 && errno == ECHILD)
			return 0;
		if (!wait_ms || now_ns() > end)
			return pid < 0 ? 0 : -1;
		sleep_us(10000);
	}
}

/* Print the first line of @path after @prefix; false if unreadable. */
static bool print_file(const char *prefix, const char *path, bool all)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		printf("%s%s", prefix, line);
		if (!all)
			break;
	}
	fclose(f);
	return true;
}

/*
 * Processes that outlived kill -9: say what each of their threads is
 * doing in the kernel (state, wait channel, kernel stack).
 */
static void dump_stuck(void)
{
	char path[128], comm[64];
	struct dirent *p, *t;
	DIR *proc = opendir("/proc"), *task;
	int shown = 0;

	while (proc && (p = readdir(proc)) && shown < 12) {
		int pid = atoi(p->d_name);
		FILE *f;

		if (pid <= 1 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		comm[0] = 0;
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = 0;
		fclose(f);
		if (strncmp(comm, "abi_fuzz", 8))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		task = opendir(path);
		while (task && (t = readdir(task)) && shown < 12) {
			int tid = atoi(t->d_name);

			if (tid <= 0)
				continue;
			shown++;
			printf("# stuck: pid %d task %d\n", pid, tid);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
			print_file("#   stat ", path, false);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
			print_file("#   wchan ", path, false);
			printf("\n");
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
			print_file("#   ", path, true);
		}
		if (task)
			closedir(task);
	}
	if (proc)
		closedir(proc);
}

static void unlink_names(void)
{
	char name[QRPC_NAME_MAX];
	int fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC), k;

	if (fd < 0)
		return;
	for (k = 0; k < NAMES; k++) {
		snprintf(name, sizeof(name), "fz.%d", k);
		t_port_unlink(fd, name);
	}
	close(fd);
}

static void print_res(const char *what, _Atomic unsigned long long *tab)
{
	char buf[512];
	size_t n = 0;
	int i;

	for (i = 0; i < NRES && n < sizeof(buf) - 32; i++)
		if (tab[i])
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s %llu",
					      i ? strerrorname_np(i) ? strerrorname_np(i) : "?" : "ok",
					      (unsigned long long)tab[i]);
	printf("# %s results:%s\n", what, n ? buf : " none");
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: abi_fuzz [--seed N] [--seconds S] [--procs P] [--threads T]\n"
		"  --seed N     PRNG seed (default: from the time)\n"
		"  --seconds S  total run time (default 60)\n"
		"  --procs P    worker processes per round, 1-%d (default 4)\n"
		"  --threads T  threads per worker, 1-%d (default 4)\n",
		MAX_PROCS, MAX_THREADS);
}

static unsigned long long parse_num(const char *opt, const char *s,
				    unsigned long long lo, unsigned long long hi)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s ? s : "", &end, 0);
	if (!s || !*s || *end || errno || v < lo || v > hi) {
		fprintf(stderr, "abi_fuzz: %s needs a number from %llu to %llu\n",
			opt, lo, hi);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct rng r;
	uint64_t start, end, rend, now;
	unsigned int round = 0, p, stuck = 0;
	bool have_seed = false;
	char line[128];
	int i, fd;

	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--seed")) {
			cfg.seed = parse_num(a, v, 0, ULLONG_MAX);
			have_seed = true;
		} else if (!strcmp(a, "--seconds")) {
			cfg.seconds = (unsigned int)parse_num(a, v, 1, 86400);
		} else if (!strcmp(a, "--procs")) {
			cfg.procs = (unsigned int)parse_num(a, v, 1, MAX_PROCS);
		} else if (!strcmp(a, "--threads")) {
			cfg.threads = (unsigned int)parse_num(a, v, 1, MAX_THREADS);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		cfg.seed = ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000) %
			   1000000000000ULL;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("abi_fuzz: seed %llu\n", (unsigned long long)cfg.seed);
	printf("TAP version 13\n1..1\n");

	fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("not ok 1 abi_fuzz # %s: %s\n", QRPC_DEVICE_PATH, strerror(errno));
		return 1;
	}
	close(fd);
	g_stats = mmap(NULL, sizeof(*g_stats), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g_stats == MAP_FAILED) {
		printf("not ok 1 abi_fuzz # mmap: %s\n", strerror(errno));
		return 1;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	g_memcg = geteuid() == 0 && memcg_setup();
	g_budget = (g_memcg ? 150LL : 120LL) * MiB / cfg.procs;
	printf("# %u s, %u processes x %u threads, %s\n", cfg.seconds,
	       cfg.procs, cfg.threads,
	       g_memcg ? "in a memory cgroup of " MEMCG_LIMIT :
	       "no memory cgroup");
	signal(SIGALRM, watchdog);
	alarm(cfg.seconds + 180);

	for (i = 0; i < A_N; i++)
		weights_total += weights[i];
	start = now_ns();
	end = start + cfg.seconds * 1000000000ULL;
	do {
		/* Each round's own streams: its length does not depend on
		 * how the rounds before it went. */
		struct rng len = { derive(cfg.seed, round, 0x6c656e, 0) };
		unsigned int round_ms = 2000 + rnd(&len, 4000);

		r.s = derive(cfg.seed, round, 0x6d61696e, 0);

		now = now_ns();
		if (now + round_ms * 1000000ULL > end)
			round_ms = (unsigned int)((end - now) / 1000000);
		if (round_ms < 500)
			round_ms = 500;
		rend = now + round_ms * 1000000ULL;
		snprintf(line, sizeof(line), "<6>abi_fuzz: seed %llu round %u\n",
			 (unsigned long long)cfg.seed, round);
		kmsg(line);
		printf("# round %u: %u ms, ops so far %llu\n", round, round_ms,
		       (unsigned long long)atomic_load(&g_stats->ops));
		ngroups = 0;
		atomic_store(&g_stats->huge_left, round % 4 == 1);
		for (p = 0; p < cfg.procs; p++)
			spawn_proc(p, round, round_ms);
		while ((now = now_ns()) < rend) {
			sleep_us(20000);
			reap_all(0);
			p = rnd(&r, cfg.procs);
			if (procs[p].pid && one_in(&r, 100)) {
				/* kill -9 in mid-round: the process or its group */
				kill(one_in(&r, 2) ? procs[p].pid : -procs[p].pid, SIGKILL);
				atomic_fetch_add(&g_stats->kills, 1);
			}
			for (p = 0; p < cfg.procs; p++)
				if (!procs[p].pid && now + 300000000ULL < rend &&
				    one_in(&r, 5))
					spawn_proc(p, round, (unsigned int)((rend - now) / 1000000));
		}
		kill_groups();
		if (reap_all(30000)) {
			stuck = 1;
			printf("# round %u: processes still alive 30 s after kill -9: stuck in the kernel?\n",
			       round);
			dump_stuck();
			break;
		}
		unlink_names();
		round++;
	} while (now_ns() < end);

	alarm(0);
	if (g_memcg)
		rmdir(MEMCG);
	printf("# calls %llu fetches %llu commits %llu early-rearms %llu"
	       " dead-lettered %llu forks %llu kills %llu\n",
	       (unsigned long long)g_stats->calls, (unsigned long long)g_stats->fetches,
	       (unsigned long long)g_stats->commits, (unsigned long long)g_stats->early,
	       (unsigned long long)g_stats->dlq, (unsigned long long)g_stats->forks,
	       (unsigned long long)g_stats->kills);
	print_res("CALL", g_stats->call_res);
	print_res("FETCH", g_stats->fetch_res);
	if (g_stats->crashes || g_stats->oddities)
		printf("# warning: %llu worker crashes, %llu broken ABI promises seen\n",
		       (unsigned long long)g_stats->crashes,
		       (unsigned long long)g_stats->oddities);
	printf("%sok 1 abi_fuzz\n", stuck ? "not " : "");
	printf("abi_fuzz: seed %llu rounds %u ops %llu seconds %llu\n",
	       (unsigned long long)cfg.seed, round,
	       (unsigned long long)g_stats->ops,
	       (unsigned long long)((now_ns() - start) / 1000000000ULL));
	return stuck ? 1 : 0;
}
