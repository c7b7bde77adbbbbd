// SPDX-License-Identifier: GPL-2.0
/*
 * Interface versions and the queues calls wait in: a call that no
 * registered server can take (its minor version is newer than any
 * server's) hides no other call, at any priority; a server registering a
 * newer version gets it; queues nothing is waiting in are freed, so
 * clients cannot fill a port's table of interfaces for good.
 */
#include <poll.h>

#include "engine.h"
#include "kselftest_harness.h"

#define AREA	(256 * 1024)

FIXTURE(ver) {
	char name[QRPC_NAME_MAX];
	int owner;
	struct t_server srv;
	struct t_client cli;
};

FIXTURE_SETUP(ver)
{
	struct qrpc_port_create pc;

	self->owner = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->owner);
	memset(&pc, 0, sizeof(pc));
	t_port_name(pc.name, "ver");
	strcpy(self->name, pc.name);
	pc.mode = 0666;
	pc.limits.max_depth = 1024;
	ASSERT_EQ(0, t_ioctl(self->owner, QRPC_IOC_PORT_CREATE, &pc));
	/* Registers t_iface at minor 0. */
	ASSERT_EQ(0, t_server_start(&self->srv, self->name, 1, 1));
	ASSERT_EQ(0, t_client_start(&self->cli, self->name, 512, AREA));
}

FIXTURE_TEARDOWN(ver)
{
	t_client_stop(&self->cli);
	t_server_stop(&self->srv);
	t_port_unlink(self->owner, self->name);
	close(self->owner);
}

/* Send a [message] from @slot for @iface at @prio; the CALL's result. */
static int send_message(FIXTURE_DATA(ver) *self, unsigned int slot,
			const struct qrpc_if_id *iface, unsigned int prio,
			unsigned int ttbr_s)
{
	t_slot_fill(&self->cli, slot, QRPC_KIND_MESSAGE, prio, 16, slot);
	self->cli.slots[slot].iface = *iface;
	self->cli.slots[slot].ttbr_s = ttbr_s;
	return t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, slot, 0, 0);
}

static int fetch_commit(FIXTURE_DATA(ver) *self, unsigned int *slot)
{
	int ret = t_io(self->srv.fd, QRPC_IOC_FETCH, self->srv.handle, 0, 0, 0);

	if (ret)
		return ret;
	*slot = self->srv.desc[0].slot;
	return t_io(self->srv.fd, QRPC_IOC_COMMIT, self->srv.handle, 0, 0, 0);
}

TEST_F(ver, newer_minor_hides_nothing)
{
	struct qrpc_if_id newer = t_iface;
	struct pollfd pfd;
	unsigned int slot = ~0u;

	newer.minor = 5;
	/* First, at the top priority: a version nobody serves yet. */
	ASSERT_EQ(0, send_message(self, 0, &newer, 7, 0));
	ASSERT_EQ(0, send_message(self, 1, &t_iface, 0, 0));
	ASSERT_EQ(0, send_message(self, 2, &t_iface, 3, 0));

	pfd.fd = self->srv.fd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 1000));
	ASSERT_TRUE(pfd.revents & POLLIN);
	/* The servable ones, by priority; the newer one stays queued. */
	ASSERT_EQ(0, fetch_commit(self, &slot));
	EXPECT_EQ(2, slot);
	ASSERT_EQ(0, fetch_commit(self, &slot));
	EXPECT_EQ(1, slot);
	EXPECT_EQ(0, poll(&pfd, 1, 100));

	/* A server of version 5 takes it. */
	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 0));
	ASSERT_EQ(0, t_server_register(&self->srv, &newer, 1));
	ASSERT_EQ(1, poll(&pfd, 1, 1000));
	ASSERT_EQ(0, fetch_commit(self, &slot));
	EXPECT_EQ(0, slot);
}

/* A plain call of a version nobody serves is refused, not queued. */
TEST_F(ver, plain_call_to_unserved_minor_refused)
{
	t_slot_fill(&self->cli, 0, QRPC_KIND_CALL, 3, 8, 1);
	self->cli.slots[0].iface.minor = 1;
	EXPECT_EQ(-ENOTCONN, t_io(self->cli.fd, QRPC_IOC_CALL,
				  self->cli.handle, 0, 0, 0));
}

/*
 * Fill the port's table of interface versions with messages nobody
 * serves, let them expire, and the table is free again.
 */
TEST_F_TIMEOUT(ver, emptied_queues_are_freed, 60)
{
	struct qrpc_if_id other = t_iface;
	unsigned int i, n = 0;
	int ret = 0;

	for (i = 0; i < 400 && !ret; i++) {
		other.uuid[0] = (unsigned char)i;
		other.uuid[1] = (unsigned char)(i >> 8) ^ 0x80;
		ret = send_message(self, i, &other, 1, 1);
		if (!ret)
			n++;
	}
	/* max_interfaces, 256 by default, bounds them. */
	ASSERT_EQ(-ENOSPC, ret);
	ASSERT_LT(0, n);
	TH_LOG("%u interfaces queued before -ENOSPC", n);
	/* They expire within a second or two; then the table is empty. */
	for (i = 0; i < 50; i++) {
		other.uuid[0] = 0xee;
		other.uuid[1] = 0xee;
		ret = send_message(self, 500, &other, 1, 0);
		if (ret != -ENOSPC)
			break;
		usleep(100000);
	}
	EXPECT_EQ(0, ret);
}

TEST_HARNESS_MAIN
