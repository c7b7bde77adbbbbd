// SPDX-License-Identifier: GPL-2.0
/*
 * A 32-bit process on the 64-bit kernel: built with -m32, it makes a port,
 * serves it, connects to it and maps every region, then sends a [message]
 * and takes it, all by ioctl (there is no 32-bit liburing to link).  The
 * mmap offsets the module hands out must fit the 32-bit page offset of
 * mmap2(), and the uapi structures must have one layout for both.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/qrpc.h>

#include "kselftest_harness.h"

static const struct qrpc_if_id iface = {
	.uuid = { 0x32, 0x32, 0x32, 0x32, 0x00, 0x01, 0x02, 0x03,
		  0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b },
	.major = 1,
};

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static void *map(int fd, size_t len, int prot, __u64 off)
{
	return mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)off);
}

TEST(built_for_32_bits)
{
	/* Else this program tests nothing the others do not. */
	ASSERT_EQ(4, sizeof(long));
	ASSERT_EQ(8, sizeof(off_t));
}

TEST(serve_connect_map_and_deliver)
{
	struct qrpc_port_create pc;
	struct qrpc_port_open po;
	struct qrpc_serve sv;
	struct qrpc_if_reg reg;
	struct qrpc_connect cn;
	struct qrpc_map_conn mc;
	struct qrpc_io io;
	struct qrpc_call_desc *desc;
	struct qrpc_slot *slots;
	struct qrpc_slot_result *results;
	struct qrpc_release_ring *ring;
	unsigned char *req, *sreq, *reply, *sreply;
	unsigned int e;
	int fd;

	fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	memset(&pc, 0, sizeof(pc));
	snprintf(pc.name, sizeof(pc.name), "compat32-%d", getpid());
	pc.mode = 0600;
	pc.flags = QRPC_PORT_F_TEMPORARY;
	pc.access = QRPC_ACCESS_CALL | QRPC_ACCESS_SERVE;
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_PORT_CREATE, &pc));
	EXPECT_EQ(1, pc.created);

	memset(&sv, 0, sizeof(sv));
	sv.port = pc.handle;
	sv.depth = 2;
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_SERVE, &sv));
	desc = map(fd, sv.desc_size, PROT_READ, sv.desc_off);
	ASSERT_NE(MAP_FAILED, desc) {
		TH_LOG("descriptor table at %#llx: %s",
		       (unsigned long long)sv.desc_off, strerror(errno));
	}
	memset(&reg, 0, sizeof(reg));
	reg.server = sv.handle;
	reg.iface = iface;
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_IF_REGISTER, &reg));

	memset(&po, 0, sizeof(po));
	strcpy(po.name, pc.name);
	po.access = QRPC_ACCESS_CALL;
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_PORT_OPEN, &po));
	memset(&cn, 0, sizeof(cn));
	cn.port = po.handle;
	cn.nslots = 4;
	cn.req_size = 4096;
	cn.rep_size = 4096;
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_CONNECT, &cn));
	slots = map(fd, cn.slots_size, PROT_READ | PROT_WRITE, cn.slots_off);
	ASSERT_NE(MAP_FAILED, slots);
	results = map(fd, cn.results_size, PROT_READ, cn.results_off);
	ASSERT_NE(MAP_FAILED, results);
	reply = map(fd, cn.reply_size, PROT_READ, cn.reply_off);
	ASSERT_NE(MAP_FAILED, reply);
	ring = (struct qrpc_release_ring *)(results + cn.nslots);
	req = (unsigned char *)slots + cn.req_base;

	/* A [message] of 32 bytes in slot 1. */
	memset(&slots[1], 0, sizeof(slots[1]));
	slots[1].kind = QRPC_KIND_MESSAGE;
	slots[1].priority = 3;
	slots[1].iface = iface;
	slots[1].opnum = 9;
	slots[1].req_off = 256;
	slots[1].req_len = 32;
	memset(req + 256, 0x5a, 32);
	io = (struct qrpc_io){ .handle = cn.handle, .index = 1 };
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_CALL, &io));

	io = (struct qrpc_io){ .handle = sv.handle, .index = 0 };
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_FETCH, &io));
	EXPECT_EQ(cn.conn_id, desc[0].conn_id);
	EXPECT_EQ(1, desc[0].slot);
	EXPECT_EQ(9, desc[0].opnum);
	EXPECT_EQ(32, desc[0].req_len);
	memset(&mc, 0, sizeof(mc));
	mc.server = sv.handle;
	mc.conn_id = desc[0].conn_id;
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_MAP_CONN, &mc));
	sreq = map(fd, mc.request_size, PROT_READ, mc.request_off);
	ASSERT_NE(MAP_FAILED, sreq);
	sreply = map(fd, mc.reply_size, PROT_READ | PROT_WRITE, mc.reply_off);
	ASSERT_NE(MAP_FAILED, sreply);
	EXPECT_EQ(0x5a, sreq[desc[0].req_off]);
	EXPECT_EQ(0x5a, sreq[desc[0].req_off + 31]);
	ASSERT_EQ(0, xioctl(fd, QRPC_IOC_COMMIT, &io));

	/* The slot comes back, received. */
	ASSERT_EQ(1, __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE));
	e = ring->entries[0];
	EXPECT_EQ(1, QRPC_RELEASE_SLOT(e));
	EXPECT_EQ(QRPC_RELEASE_RECEIVED, QRPC_RELEASE_REASON(e));
	close(fd);
}

TEST_HARNESS_MAIN
