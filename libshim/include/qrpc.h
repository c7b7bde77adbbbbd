/* SPDX-License-Identifier: MIT */
/*
 * libqrpc: the user-space side of qrpc.
 *
 * Every function returns a non-negative value on success and a negative
 * errno value on failure; none of them sets errno.  All are thread-safe.
 */
#ifndef QRPC_H
#define QRPC_H

#include <stddef.h>
#include <stdint.h>

#include <linux/qrpc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * qrpc_open_device() - open the qrpc device.
 * @path: the device node, or NULL for QRPC_DEVICE_PATH
 *
 * Returns a close-on-exec file descriptor, or -ENOENT when the module is not
 * loaded, -EACCES when the device's mode refuses the caller, or another
 * negative errno from open(2).
 */
int qrpc_open_device(const char *path);

/* How qrpc_query_features() reaches the device. */
enum qrpc_via {
	QRPC_VIA_AUTO = 0,	/* io_uring, falling back to ioctl */
	QRPC_VIA_IOCTL = 1,	/* ioctl(2) only */
	QRPC_VIA_URING = 2,	/* IORING_OP_URING_CMD only */
};

/*
 * qrpc_query_features() - ask the module what it offers.
 * @fd: a descriptor from qrpc_open_device()
 * @out: filled in on success
 * @via: an enum qrpc_via value
 *
 * Returns 0, or -EINVAL for an unknown @via, -ENOSYS/-EPERM when @via is
 * QRPC_VIA_URING and io_uring is unavailable to the caller, or the error
 * the module returned.  QRPC_VIA_AUTO falls back to ioctl(2) only when
 * io_uring itself is unavailable, never after the module answered.
 */
int qrpc_query_features(int fd, struct qrpc_features *out, enum qrpc_via via);

/*
 * qrpc_features_describe() - name the QRPC_F_* bits in @features.
 * @features: a mask of QRPC_F_* bits
 * @buf: where to write a NUL-terminated, comma-separated list; bits without
 *       a name appear as a hexadecimal mask at the end
 * @len: size of @buf
 *
 * Like snprintf(3), returns the length of the whole description, which is
 * @len or more when @buf was too small (the text is then cut short but
 * still terminated if @len > 0).
 */
size_t qrpc_features_describe(uint64_t features, char *buf, size_t len);

/*
 * qrpc_feature_name() - the name of one QRPC_F_* bit.
 * @bit: a single QRPC_F_* value
 *
 * Returns a static string, or NULL when @bit is not exactly one known bit.
 */
const char *qrpc_feature_name(uint64_t bit);

#ifdef __cplusplus
}
#endif

#endif /* QRPC_H */
