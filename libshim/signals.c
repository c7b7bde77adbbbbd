// SPDX-License-Identifier: MIT
/*
 * Signals never end a call.  A caller's signal handler runs while the
 * library waits, and the wait goes on: the call is in flight, its server
 * may run it, and an error here would leave the caller unable to tell
 * whether it happened.  A caller that wants to give up sets
 * QRPC_OPT_CALL_TIMEOUT or cancels.  The threads the library starts take
 * no signals at all, so the application's handlers run on its own threads.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>

#include "internal.h"

int qrpc_uring_submit_wait(struct io_uring *ring, unsigned int wait_nr)
{
	int ret = io_uring_submit_and_wait(ring, wait_nr);

	/*
	 * The SQEs are submitted before io_uring_enter() sleeps, so -EINTR
	 * comes after that; submit again anyway, for whatever the ring did
	 * not take, then go on waiting.
	 */
	while (ret == -EINTR) {
		ret = io_uring_submit(ring);
		if (ret >= 0 && wait_nr) {
			struct io_uring_cqe *cqe;

			ret = qrpc_uring_wait_cqe(ring, &cqe);
		}
	}
	return ret;
}

int qrpc_uring_wait_cqe(struct io_uring *ring, struct io_uring_cqe **cqe)
{
	int ret;

	do
		ret = io_uring_wait_cqe(ring, cqe);
	while (ret == -EINTR);
	return ret;
}

int qrpc_thread_create(pthread_t *th, const pthread_attr_t *attr,
		       void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int ret;

	/* A new thread starts with its creator's mask. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(th, attr, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}
