// SPDX-License-Identifier: GPL-2.0
/*
 * What entering the kernel costs on this machine, measured in the same
 * run as the mechanisms: a system call that does nothing, an io_uring
 * submission of a NOP waited for alone, and NOPs submitted 64 at a time.
 * A round trip through the kernel takes at least two entries, one each
 * side, so these bound what a kernel-mediated spinning call can reach
 * against a shared-memory spin, which takes none.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <liburing.h>

#include "bench.h"

#define FLOOR_BATCH	64

static void syscall_floor(unsigned long n, struct lat_stats *out)
{
	uint64_t start = bench_now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	out->n = n;
	out->mean = (double)(bench_now_ns() - start) / (double)n;
}

/* Submit @batch NOPs at once and reap them, @n NOPs in all. */
static int nop_floor(struct io_uring *ring, unsigned long n,
		     unsigned int batch, struct lat_stats *out)
{
	uint64_t start = bench_now_ns();
	unsigned long done;

	for (done = 0; done < n; done += batch) {
		struct io_uring_cqe *cqe;
		unsigned int i;
		int ret;

		for (i = 0; i < batch; i++)
			io_uring_prep_nop(io_uring_get_sqe(ring));
		ret = io_uring_submit_and_wait(ring, batch);
		if (ret < 0)
			return ret;
		for (i = 0; i < batch; i++) {
			ret = io_uring_wait_cqe(ring, &cqe);
			if (ret < 0)
				return ret;
			io_uring_cqe_seen(ring, cqe);
		}
	}
	out->n = done;
	out->mean = (double)(bench_now_ns() - start) / (double)done;
	return 0;
}

int bench_floors(unsigned long n, struct lat_stats *sys,
		 struct lat_stats *nop, struct lat_stats *nop_batch)
{
	struct io_uring ring;
	int ret;

	syscall_floor(n, sys);
	ret = io_uring_queue_init(2 * FLOOR_BATCH, &ring, 0);
	if (ret < 0)
		return ret;
	ret = nop_floor(&ring, n, 1, nop);
	if (!ret)
		ret = nop_floor(&ring, n, FLOOR_BATCH, nop_batch);
	io_uring_queue_exit(&ring);
	return ret;
}
