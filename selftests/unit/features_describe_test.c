// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test: naming feature bits (libshim/features.c), including
 * unknown bits and every truncation length.
 */
#include <string.h>

#include "qrpc.h"
#include "kselftest_harness.h"

TEST(names_of_known_bits)
{
	EXPECT_STREQ("ioctl", qrpc_feature_name(QRPC_F_IOCTL));
	EXPECT_STREQ("uring_cmd", qrpc_feature_name(QRPC_F_URING_CMD));
	EXPECT_STREQ("poll", qrpc_feature_name(QRPC_F_POLL));
	EXPECT_STREQ("uring_cancel", qrpc_feature_name(QRPC_F_URING_CANCEL));
	EXPECT_STREQ("ports", qrpc_feature_name(QRPC_F_PORTS));
	EXPECT_STREQ("calls", qrpc_feature_name(QRPC_F_CALLS));
}

TEST(no_name_for_unknown_or_combined_bits)
{
	EXPECT_EQ(NULL, qrpc_feature_name(0));
	EXPECT_EQ(NULL, qrpc_feature_name(1ULL << 63));
	EXPECT_EQ(NULL, qrpc_feature_name(QRPC_F_IOCTL | QRPC_F_POLL));
}

TEST(describe_lists_bits_in_order)
{
	char buf[128];

	EXPECT_EQ(strlen("ioctl,uring_cmd,poll"),
		  qrpc_features_describe(QRPC_F_POLL | QRPC_F_IOCTL |
					 QRPC_F_URING_CMD, buf, sizeof(buf)));
	EXPECT_STREQ("ioctl,uring_cmd,poll", buf);
}

TEST(describe_empty_mask)
{
	char buf[8] = "garbage";

	EXPECT_EQ(0, qrpc_features_describe(0, buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
}

TEST(describe_unknown_bits_as_hex)
{
	char buf[128];

	qrpc_features_describe(QRPC_F_IOCTL | (1ULL << 40) | (1ULL << 63),
			       buf, sizeof(buf));
	EXPECT_STREQ("ioctl,0x8000010000000000", buf);
	qrpc_features_describe(1ULL << 62, buf, sizeof(buf));
	EXPECT_STREQ("0x4000000000000000", buf);
}

/* Every buffer size behaves like snprintf: same length, NUL-terminated. */
TEST(describe_truncates_like_snprintf)
{
	const char *full = "ioctl,uring_cmd,poll,uring_cancel,0x100";
	uint64_t mask = QRPC_F_IOCTL | QRPC_F_URING_CMD | QRPC_F_POLL |
			QRPC_F_URING_CANCEL | 0x100;
	char buf[64];
	size_t len;

	for (len = 0; len <= strlen(full) + 1; len++) {
		memset(buf, 'X', sizeof(buf));
		EXPECT_EQ(strlen(full), qrpc_features_describe(mask, buf, len));
		if (len == 0) {
			EXPECT_EQ('X', buf[0]);
			continue;
		}
		EXPECT_EQ(len - 1 < strlen(full) ? len - 1 : strlen(full),
			  strlen(buf));
		EXPECT_EQ(0, strncmp(full, buf, strlen(buf)));
		/* Nothing written past the buffer. */
		EXPECT_EQ('X', buf[len]);
	}
}

TEST_HARNESS_MAIN
