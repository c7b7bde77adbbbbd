/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of libqrpc; not part of its API.
 */
#ifndef QRPC_INTERNAL_H
#define QRPC_INTERNAL_H

#include <linux/qrpc.h>

/* 0 if @name is a valid port name (see uapi/linux/qrpc.h), else -EINVAL. */
int qrpc_port_name_check(const char *name);

/* Open port @name on device fd @fd for @access: the handle, or -errno. */
int qrpc_port_open_fd(int fd, const char *name, unsigned int access);

#endif /* QRPC_INTERNAL_H */
