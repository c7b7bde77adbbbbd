// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test: the uapi structures have the sizes and offsets the ABI
 * documents, the same for every compiler and architecture, and command
 * numbers encode their argument's size.
 */
#include <stddef.h>
#include <sys/ioctl.h>

#include <linux/qrpc.h>
#include "kselftest_harness.h"

TEST(qrpc_features_layout)
{
	EXPECT_EQ(80, sizeof(struct qrpc_features));
	EXPECT_EQ(0, offsetof(struct qrpc_features, abi_major));
	EXPECT_EQ(2, offsetof(struct qrpc_features, abi_minor));
	EXPECT_EQ(4, offsetof(struct qrpc_features, flags));
	EXPECT_EQ(8, offsetof(struct qrpc_features, features));
	EXPECT_EQ(16, offsetof(struct qrpc_features, module_version));
	EXPECT_EQ(48, offsetof(struct qrpc_features, reserved));
}

/* The uring_cmd area of a 64-byte SQE holds 16 bytes. */
TEST(qrpc_uring_cmd_fits_small_sqe)
{
	EXPECT_EQ(16, sizeof(struct qrpc_uring_cmd));
	EXPECT_EQ(0, offsetof(struct qrpc_uring_cmd, addr));
	EXPECT_EQ(8, offsetof(struct qrpc_uring_cmd, len));
	EXPECT_EQ(12, offsetof(struct qrpc_uring_cmd, flags));
}

/* Sizes equal the sum of the fields: no implicit padding anywhere. */
TEST(port_structures_layout)
{
	EXPECT_EQ(24, sizeof(struct qrpc_port_limits));
	EXPECT_EQ(16, offsetof(struct qrpc_port_limits, max_dlq));
	EXPECT_EQ(136, sizeof(struct qrpc_port_create));
	EXPECT_EQ(80, offsetof(struct qrpc_port_create, limits));
	EXPECT_EQ(104, offsetof(struct qrpc_port_create, created));
	EXPECT_EQ(112, offsetof(struct qrpc_port_create, reserved));
	EXPECT_EQ(88, sizeof(struct qrpc_port_open));
	EXPECT_EQ(72, offsetof(struct qrpc_port_open, reserved));
	EXPECT_EQ(80, sizeof(struct qrpc_port_name));
	EXPECT_EQ(224, sizeof(struct qrpc_port_info));
	EXPECT_EQ(112, offsetof(struct qrpc_port_info, depth));
	EXPECT_EQ(144, offsetof(struct qrpc_port_info, queued_bytes));
	EXPECT_EQ(200, offsetof(struct qrpc_port_info, dlq_depth));
	EXPECT_EQ(208, offsetof(struct qrpc_port_info, dlq_dropped));
	EXPECT_EQ(216, offsetof(struct qrpc_port_info, reserved));
	EXPECT_EQ(32, sizeof(struct qrpc_port_list));
	EXPECT_EQ(8, sizeof(struct qrpc_handle_arg));
}

/* The call engine's shared structures, as the ABI documents them. */
TEST(engine_structures_layout)
{
	EXPECT_EQ(24, sizeof(struct qrpc_if_id));
	EXPECT_EQ(64, sizeof(struct qrpc_slot));
	EXPECT_EQ(8, offsetof(struct qrpc_slot, iface));
	EXPECT_EQ(32, offsetof(struct qrpc_slot, req_off));
	EXPECT_EQ(60, offsetof(struct qrpc_slot, reserved0));
	EXPECT_EQ(16, sizeof(struct qrpc_slot_result));
	/* The ring's entries start on their own cache line. */
	EXPECT_EQ(64, sizeof(struct qrpc_release_ring));
	EXPECT_EQ(64, offsetof(struct qrpc_release_ring, entries));
	EXPECT_EQ(112, sizeof(struct qrpc_call_desc));
	EXPECT_EQ(24, offsetof(struct qrpc_call_desc, iface));
	EXPECT_EQ(64, offsetof(struct qrpc_call_desc, pid));
	EXPECT_EQ(80, offsetof(struct qrpc_call_desc, reserved));
	EXPECT_EQ(16, sizeof(struct qrpc_io));
	EXPECT_EQ(80, sizeof(struct qrpc_connect));
	EXPECT_EQ(48, sizeof(struct qrpc_serve));
	EXPECT_EQ(48, sizeof(struct qrpc_if_reg));
	EXPECT_EQ(48, sizeof(struct qrpc_map_conn));
	EXPECT_EQ(88, sizeof(struct qrpc_dlq_entry));
	EXPECT_EQ(24, offsetof(struct qrpc_dlq_entry, iface));
	EXPECT_EQ(72, offsetof(struct qrpc_dlq_entry, reserved));
	EXPECT_EQ(40, sizeof(struct qrpc_dlq_list));
	EXPECT_EQ(40, sizeof(struct qrpc_dlq_op));
	/* A release-ring entry holds a slot index and a reason. */
	EXPECT_EQ(4095, QRPC_RELEASE_SLOT(4095 | QRPC_RELEASE_DROPPED << 24));
	EXPECT_EQ(QRPC_RELEASE_DROPPED,
		  QRPC_RELEASE_REASON(4095 | QRPC_RELEASE_DROPPED << 24));
}

/* Every command number is unique and within the module's range. */
TEST(command_numbers_distinct)
{
	const unsigned int cmds[] = {
		QRPC_IOC_GET_FEATURES, QRPC_IOC_PORT_CREATE, QRPC_IOC_PORT_OPEN,
		QRPC_IOC_PORT_UNLINK, QRPC_IOC_PORT_LIST, QRPC_IOC_CLOSE,
		QRPC_IOC_SERVE, QRPC_IOC_IF_REGISTER, QRPC_IOC_IF_UNREGISTER,
		QRPC_IOC_CONNECT, QRPC_IOC_MAP_CONN, QRPC_IOC_CALL,
		QRPC_IOC_CANCEL, QRPC_IOC_FETCH, QRPC_IOC_COMMIT,
		QRPC_IOC_COMMIT_AND_FETCH, QRPC_IOC_DLQ_LIST,
		QRPC_IOC_DLQ_REQUEUE, QRPC_IOC_DLQ_PURGE,
	};
	unsigned int i, j, n = sizeof(cmds) / sizeof(cmds[0]);

	for (i = 0; i < n; i++) {
		EXPECT_EQ(QRPC_IOC_MAGIC, _IOC_TYPE(cmds[i]));
		EXPECT_EQ(QRPC_IOC_BASE + i, _IOC_NR(cmds[i]));
		EXPECT_EQ(_IOC_READ | _IOC_WRITE, _IOC_DIR(cmds[i]));
		for (j = i + 1; j < n; j++)
			EXPECT_NE(cmds[i], cmds[j]);
	}
}

TEST(command_numbers_encode_argument)
{
	EXPECT_EQ(QRPC_IOC_MAGIC, _IOC_TYPE(QRPC_IOC_GET_FEATURES));
	EXPECT_EQ(QRPC_IOC_BASE, _IOC_NR(QRPC_IOC_GET_FEATURES));
	EXPECT_EQ(sizeof(struct qrpc_features),
		  _IOC_SIZE(QRPC_IOC_GET_FEATURES));
	EXPECT_EQ(_IOC_READ | _IOC_WRITE, _IOC_DIR(QRPC_IOC_GET_FEATURES));
}

/*
 * Flags of the __u16 and __u32 fields are unsigned ints, not unsigned
 * longs (whose width differs between 32- and 64-bit programs, so that
 * "flags & ~F" would too); the features word is a __u64.
 */
TEST(flag_constants_are_as_wide_as_their_fields)
{
	struct qrpc_features features;

	EXPECT_EQ(sizeof(__u32), sizeof(QRPC_ACCESS_CALL));
	EXPECT_EQ(sizeof(__u32), sizeof(QRPC_ACCESS_SERVE));
	EXPECT_EQ(sizeof(__u32), sizeof(QRPC_PORT_F_EXCL));
	EXPECT_EQ(sizeof(__u32), sizeof(QRPC_PORT_F_TEMPORARY));
	EXPECT_EQ(sizeof(__u32), sizeof(QRPC_SLOT_F_DEADLETTER));
	EXPECT_EQ(sizeof(__u32), sizeof(QRPC_DESC_F_ORPHAN));
	EXPECT_EQ(sizeof(__u32), sizeof(QRPC_CANCEL_F_ABORTIVE));
	EXPECT_EQ(sizeof(features.features), sizeof(QRPC_F_IOCTL));
}

TEST_HARNESS_MAIN
