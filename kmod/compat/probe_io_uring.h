/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included by the probes that need the uring_cmd API: it moved from
 * <linux/io_uring.h> to <linux/io_uring/cmd.h> (kernel 6.8).
 */
#if __has_include("linux/io_uring/cmd.h")
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif
