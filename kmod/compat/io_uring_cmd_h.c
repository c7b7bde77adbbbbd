// SPDX-License-Identifier: GPL-2.0
/* The uring_cmd API has its own header (6.8 and later). */
#include <linux/io_uring/cmd.h>
