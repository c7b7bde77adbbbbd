/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qrpc-bench: what the harness and the mechanisms it measures share.
 *
 * A round-trip mechanism is a struct rt_peer: the harness makes what both
 * ends share (setup), forks a server process pinned to one CPU (serve),
 * pins itself to the other, opens the client end (connect), runs warm-up
 * round trips and then the measured ones (ping), each timed alone, and
 * tears down.  A one-way mechanism is a struct ow_peer: the child receives
 * a fixed count of messages (drain) while the parent sends them (flood),
 * and the time runs from the first send to the child's word that the last
 * one arrived.
 */
#ifndef QRPC_BENCH_H
#define QRPC_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_SERVER_CPU	1
#define BENCH_CLIENT_CPU	0

/* What a peer's callbacks get: the run's parameters and their state. */
struct bench_env {
	size_t		payload;	/* bytes each way (round trips) or per message */
	unsigned long	rounds;		/* warm-up + measured: the server answers this many */
	unsigned int	depth;		/* calls in flight, or batch size, where it applies */
	void		*priv;		/* the peer's own state, made by setup */
	int		ready_fd;	/* server: bench_ready() writes here */
	int		stop_fd;	/* server: readable (EOF) once the client is done */
	/*
	 * Set by a ping that keeps several calls in flight: the latency of
	 * the call it completed, which the harness records instead of the
	 * ping's own duration.
	 */
	uint64_t	sample_ns;
};

struct rt_peer {
	const char	*name;		/* short, for the table and JSON: "pipe" */
	size_t		max_payload;	/* 0: any */
	/* Parent, before the fork: what both ends share.  0 or -errno. */
	int		(*setup)(struct bench_env *env);
	/*
	 * Child: answer env->rounds round trips (or until stop_fd reads
	 * EOF, for servers that run on their own threads), calling
	 * bench_ready() once it can take the first.  0 or -errno.
	 */
	int		(*serve)(struct bench_env *env);
	/* Parent, after the server is ready: the client end.  May be NULL. */
	int		(*connect)(struct bench_env *env);
	/* Parent: one round trip of env->payload bytes each way. 0 or -errno. */
	int		(*ping)(struct bench_env *env);
	/* Parent, after the server exited.  May be NULL. */
	void		(*teardown)(struct bench_env *env);
};

struct ow_peer {
	const char	*name;
	int		(*setup)(struct bench_env *env);
	/*
	 * Child: receive env->rounds messages, calling bench_ready() first
	 * and bench_done() after the last one.  0 or -errno.
	 */
	int		(*drain)(struct bench_env *env);
	int		(*connect)(struct bench_env *env);
	/* Parent: send env->rounds messages of env->payload bytes. */
	int		(*flood)(struct bench_env *env);
	void		(*teardown)(struct bench_env *env);
};

/* A latency distribution, in nanoseconds. */
struct lat_stats {
	unsigned long	n;
	double		p50, p99, p999, max, mean;
	double		per_sec;	/* operations a second over the measured run */
};

/* harness.c */
extern unsigned long bench_warmup;	/* round trips before measuring */

uint64_t bench_now_ns(void);
int bench_pin(int cpu);
/* Shared, zeroed memory that a fork keeps shared; NULL on failure. */
void *bench_shared_alloc(size_t size);
void bench_shared_free(void *p, size_t size);
/*
 * Give up the whole run, naming @name, if it has not ended within ten
 * minutes; NULL disarms.  The harness's own runs are watched already.
 */
void bench_watch(const char *name);
/* Server side: say the server is ready to answer. */
void bench_ready(struct bench_env *env);
/* One-way drain side: say the last message arrived. */
void bench_done(struct bench_env *env);
/* Sort @ns (n samples) and fill @out; @elapsed_ns is the run's wall time. */
void bench_stats(uint64_t *ns, unsigned long n, uint64_t elapsed_ns,
		 struct lat_stats *out);

/* A process the harness forked, and the pipes it is told and tells by. */
struct bench_child {
	pid_t	pid;
	int	ready;	/* the child's bench_ready() and bench_done() words */
	int	stop;	/* closed by bench_finish(): the child's stop_fd reads EOF */
};

/* Fork a child pinned to @cpu that runs @fn(@env) and exits. */
int bench_spawn(struct bench_env *env, int (*fn)(struct bench_env *), int cpu,
		const char *name, struct bench_child *c);
/* Wait for the child's next word: 0, -ETIMEDOUT, or -EPIPE if it died. */
int bench_hear(struct bench_child *c);
/* Tell the child to stop and reap it: 0, or -EPROTO if it failed. */
int bench_finish(struct bench_child *c, const char *name);

/*
 * Warm up, then time @count pings of @peer on the client side of @env,
 * which is connected.  0, or -errno with a message on stderr.
 */
int bench_measure(const struct rt_peer *peer, struct bench_env *env,
		  unsigned long count, struct lat_stats *out);

/*
 * Measure @count round trips of @payload bytes over @peer after the
 * warm-up.  0, or -errno with a message on stderr.
 */
int bench_round_trips(const struct rt_peer *peer, size_t payload,
		      unsigned long count, unsigned int depth,
		      struct lat_stats *out);
/* Measure the one-way throughput of @count messages over @peer. */
int bench_one_way(const struct ow_peer *peer, size_t payload,
		  unsigned long count, unsigned int depth,
		  struct lat_stats *out);

/* Full reads and writes over a stream: 0 or -errno (-EPIPE at EOF). */
int bench_read_full(int fd, void *buf, size_t len);
int bench_write_full(int fd, const void *buf, size_t len);

/* The mechanisms, one file each in peers/. */
extern const struct rt_peer rt_pipe, rt_unix_stream, rt_unix_seqpacket,
	rt_posix_mq, rt_eventfd_shm, rt_futex_shm, rt_shm_spin, rt_msg_ring,
	rt_binder, rt_tcp;
extern const struct ow_peer ow_posix_mq, ow_unix_seqpacket;

/*
 * floors.c: the mean cost of @n null system calls, of @n io_uring NOPs
 * each submitted and reaped alone, and of @n submitted 64 at a time.
 */
int bench_floors(unsigned long n, struct lat_stats *sys,
		 struct lat_stats *nop, struct lat_stats *nop_batch);

/* peers/qrpc.c: qrpc itself. */
extern const struct rt_peer rt_qrpc_call, rt_qrpc_sleep, rt_qrpc_spin,
	rt_qrpc_async, rt_qrpc_inplace;
extern const struct ow_peer ow_qrpc_maybe, ow_qrpc_message;
/*
 * The latency of priority-7 calls, alone and while another process floods
 * the port with priority-0 [message]s.
 */
int qrpc_bench_priority(unsigned long count, struct lat_stats *idle,
			struct lat_stats *flooded);

#endif /* QRPC_BENCH_H */
