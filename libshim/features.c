// SPDX-License-Identifier: MIT
/*
 * Names for the module's feature bits, for tools and logs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "qrpc.h"

static const struct {
	uint64_t	bit;
	const char	*name;
} feature_names[] = {
	{ QRPC_F_IOCTL,		"ioctl" },
	{ QRPC_F_URING_CMD,	"uring_cmd" },
	{ QRPC_F_POLL,		"poll" },
	{ QRPC_F_URING_CANCEL,	"uring_cancel" },
	{ QRPC_F_PORTS,		"ports" },
	{ QRPC_F_CALLS,		"calls" },
};

#define N_FEATURE_NAMES (sizeof(feature_names) / sizeof(feature_names[0]))

const char *qrpc_feature_name(uint64_t bit)
{
	size_t i;

	for (i = 0; i < N_FEATURE_NAMES; i++)
		if (feature_names[i].bit == bit)
			return feature_names[i].name;
	return NULL;
}

/* Append @s to @buf at offset @pos, as far as it fits; return the new pos. */
static size_t append(char *buf, size_t len, size_t pos, const char *s)
{
	size_t n = strlen(s);

	if (pos < len) {
		size_t room = len - pos - 1;

		memcpy(buf + pos, s, n < room ? n : room);
		buf[pos + (n < room ? n : room)] = '\0';
	}
	return pos + n;
}

size_t qrpc_features_describe(uint64_t features, char *buf, size_t len)
{
	uint64_t unknown = features;
	char hex[2 + 16 + 1];
	size_t pos = 0, i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < N_FEATURE_NAMES; i++) {
		if (!(features & feature_names[i].bit))
			continue;
		if (pos)
			pos = append(buf, len, pos, ",");
		pos = append(buf, len, pos, feature_names[i].name);
		unknown &= ~feature_names[i].bit;
	}
	if (unknown) {
		snprintf(hex, sizeof(hex), "%#" PRIx64, unknown);
		if (pos)
			pos = append(buf, len, pos, ",");
		pos = append(buf, len, pos, hex);
	}
	return pos;
}
