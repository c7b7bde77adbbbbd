// SPDX-License-Identifier: GPL-2.0
/*
 * What a user may make the module hold: queued calls cost their bytes and
 * a fixed overhead (so empty ones are bounded too), dead-lettered messages
 * keep costing until they are requeued or purged, a full dead-letter queue
 * lets its oldest go (counted), connection and server areas are charged
 * as memory that stays in place, and what a user does inside user
 * namespaces it made is charged to that user.
 */
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "engine.h"
#include "kselftest_harness.h"

#define AREA (64 * 1024)

FIXTURE(acct) {
	char name[QRPC_NAME_MAX];
	int owner;
	struct t_server srv;
	struct t_client cli;
	char old_queued[32];
	char old_pinned[32];
};

FIXTURE_SETUP(acct)
{
	struct qrpc_port_create pc;

	if (getuid() != 0)
		SKIP(return, "needs root to change the module's limits");
	ASSERT_EQ(0, t_read_line("/sys/module/qrpc/parameters/max_queued_bytes_per_user",
				 self->old_queued, sizeof(self->old_queued)));
	ASSERT_EQ(0, t_read_line("/sys/module/qrpc/parameters/max_pinned_bytes_per_user",
				 self->old_pinned, sizeof(self->old_pinned)));
	self->owner = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->owner);
	memset(&pc, 0, sizeof(pc));
	t_port_name(pc.name, "acct");
	strcpy(self->name, pc.name);
	pc.mode = 0666;
	pc.limits.max_depth = 16;
	pc.limits.max_dlq = 2;
	ASSERT_EQ(0, t_ioctl(self->owner, QRPC_IOC_PORT_CREATE, &pc));
	EXPECT_EQ(2, pc.limits.max_dlq);
	ASSERT_EQ(0, t_server_start(&self->srv, self->name, 2, 0));
	ASSERT_EQ(0, t_client_start(&self->cli, self->name, 16, AREA));
}

FIXTURE_TEARDOWN(acct)
{
	if (getuid() != 0)
		return;
	t_client_stop(&self->cli);
	t_server_stop(&self->srv);
	t_port_unlink(self->owner, self->name);
	close(self->owner);
	t_set_param("max_queued_bytes_per_user", self->old_queued, NULL, 0);
	t_set_param("max_pinned_bytes_per_user", self->old_pinned, NULL, 0);
}

static int send_message(FIXTURE_DATA(acct) *self, unsigned int slot,
			unsigned int len, unsigned int ttbr_s)
{
	t_slot_fill(&self->cli, slot, QRPC_KIND_MESSAGE, 3, len, 0x60 + slot);
	self->cli.slots[slot].ttbr_s = ttbr_s;
	if (ttbr_s)
		self->cli.slots[slot].flags = QRPC_SLOT_F_DEADLETTER;
	return t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, slot, 0, 0);
}

static int set_queued_quota(unsigned long bytes)
{
	char v[32];

	snprintf(v, sizeof(v), "%lu", bytes);
	return t_set_param("max_queued_bytes_per_user", v, NULL, 0);
}

/* Wait until the port has dead-lettered @n messages in all. */
static void wait_deadlettered(FIXTURE_DATA(acct) *self, unsigned int n,
			      struct qrpc_port_info *pi)
{
	int i;

	for (i = 0; i < 400; i++) {
		if (t_port_info(self->owner, self->name, pi))
			return;
		if (pi->deadlettered >= n)
			return;
		usleep(10000);
	}
}

/* Calls without a payload cost the overhead: a user cannot queue millions. */
TEST_F(acct, empty_messages_are_charged)
{
	unsigned int i;

	ASSERT_EQ(0, set_queued_quota(3 * QRPC_CALL_OVERHEAD));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, send_message(self, i, 0, 0));
	EXPECT_EQ(-EDQUOT, send_message(self, 3, 0, 0));
	/* A [maybe] is dropped instead, and its slot comes straight back. */
	ASSERT_EQ(0, t_server_register(&self->srv, &t_iface, 1));
	t_slot_fill(&self->cli, 3, QRPC_KIND_MAYBE, 3, 0, 0);
	EXPECT_EQ(0, t_io(self->cli.fd, QRPC_IOC_CALL, self->cli.handle, 3,
			  0, 0));
	EXPECT_EQ(QRPC_RELEASE_DROPPED,
		  QRPC_RELEASE_REASON(t_release_next(&self->cli)));
}

/* A dead-lettered message keeps its charge until it is purged. */
TEST_F(acct, dead_letters_stay_charged)
{
	struct qrpc_port_info pi;
	struct qrpc_dlq_op o;

	ASSERT_EQ(0, set_queued_quota(2 * (QRPC_CALL_OVERHEAD + 32)));
	ASSERT_EQ(0, send_message(self, 0, 32, 1));
	ASSERT_EQ(0, send_message(self, 1, 32, 1));
	wait_deadlettered(self, 2, &pi);
	ASSERT_EQ(2, pi.dlq_depth);
	EXPECT_EQ(0, pi.queued_bytes);
	EXPECT_EQ(-EDQUOT, send_message(self, 2, 32, 0));

	memset(&o, 0, sizeof(o));
	o.port = t_port_open(self->owner, self->name, QRPC_ACCESS_SERVE);
	ASSERT_LT(0, (int)o.port);
	ASSERT_EQ(0, t_ioctl(self->owner, QRPC_IOC_DLQ_PURGE, &o));
	EXPECT_EQ(2, o.count);
	EXPECT_EQ(0, send_message(self, 2, 32, 0));
}

/* A full dead-letter queue releases its oldest message, and counts it. */
TEST_F(acct, full_dead_letter_queue_drops_the_oldest)
{
	struct qrpc_dlq_entry e[4];
	struct qrpc_port_info pi;
	struct qrpc_dlq_list l;
	unsigned int i;
	long r;

	/* Sent in order, dead-lettered in order of sending. */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, send_message(self, i, 16, 1));
	wait_deadlettered(self, 3, &pi);
	EXPECT_EQ(3, pi.deadlettered);
	EXPECT_EQ(2, pi.dlq_depth);
	EXPECT_EQ(1, pi.dlq_dropped);
	EXPECT_EQ(2, pi.limits.max_dlq);

	/* The oldest's slot came back, marked dead-lettered. */
	r = t_release_next(&self->cli);
	EXPECT_EQ(0, QRPC_RELEASE_SLOT(r));
	EXPECT_EQ(QRPC_RELEASE_DEADLETTER, QRPC_RELEASE_REASON(r));
	EXPECT_EQ(-1, t_release_next(&self->cli));

	memset(&l, 0, sizeof(l));
	l.port = t_port_open(self->owner, self->name, QRPC_ACCESS_SERVE);
	ASSERT_LT(0, (int)l.port);
	l.addr = (unsigned long)e;
	l.count = 4;
	ASSERT_EQ(0, t_ioctl(self->owner, QRPC_IOC_DLQ_LIST, &l));
	ASSERT_EQ(2, l.count);
	EXPECT_EQ(1, e[0].slot);
	EXPECT_EQ(2, e[1].slot);
}

/* Areas are memory that stays: charged, refused past the limit, given back. */
TEST_F(acct, areas_are_charged_to_their_user)
{
	struct t_client big, small;
	struct t_server srv2;

	/* Ours so far: a 64 KiB connection's pages and a small table. */
	ASSERT_EQ(0, t_set_param("max_pinned_bytes_per_user", "1048576",
				 NULL, 0));
	EXPECT_EQ(-EDQUOT, t_client_start(&big, self->name, 16, 512 * 1024));
	close(big.fd);
	ASSERT_EQ(0, t_client_start(&small, self->name, 16, 256 * 1024));
	/* Nothing is left to the user for another one... */
	EXPECT_EQ(-EDQUOT, t_client_start(&big, self->name, 16, 256 * 1024));
	close(big.fd);
	/* ...nor for a server's table of 4096 descriptors. */
	EXPECT_EQ(-EDQUOT, t_server_start(&srv2, self->name, 4096, 0));
	t_server_stop(&srv2);
	/* Closed, the connection gives its charge back (freed by a worker). */
	t_client_stop(&small);
	usleep(100000);
	EXPECT_EQ(0, t_client_start(&big, self->name, 16, 256 * 1024));
	t_client_stop(&big);
}

/* Write "@inside @outside 1" to @pid's @file (uid_map or gid_map). */
static int write_map(pid_t pid, const char *file, unsigned int inside,
		     unsigned int outside)
{
	char path[64], line[64];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	snprintf(line, sizeof(line), "%u %u 1\n", inside, outside);
	ret = fputs(line, f) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/*
 * A process in a user namespace that root made, mapped to another uid, is
 * charged to root, whose quota is spent: it gets -EDQUOT, not a quota of
 * its own for each id mapped.
 */
TEST_F(acct, user_namespaces_share_their_makers_quota)
{
	int ready[2], go[2], status;
	struct t_client c;
	char b;
	pid_t pid;

	ASSERT_EQ(0, set_queued_quota(QRPC_CALL_OVERHEAD + 16));
	ASSERT_EQ(0, send_message(self, 0, 16, 0));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int ret;

		close(ready[0]);
		close(go[1]);
		b = unshare(CLONE_NEWUSER) ? 'u' : 'r';
		if (write(ready[1], &b, 1) != 1 || b == 'u')
			_exit(90);
		if (read(go[0], &b, 1) != 1 || b != 'g')
			_exit(92);
		ret = t_client_start(&c, self->name, 16, AREA);
		if (ret)
			_exit(93);
		t_slot_fill(&c, 0, QRPC_KIND_MESSAGE, 3, 16, 0);
		ret = t_io(c.fd, QRPC_IOC_CALL, c.handle, 0, 0, 0);
		_exit(ret == -EDQUOT ? 0 : ret == 0 ? 94 : 95);
	}
	/* Our ends only: a child that dies early ends our reads. */
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &b, 1) != 1)
		b = 0;
	if (b == 'r') {
		/* The child's root is uid 4242 outside: not root's record. */
		b = write_map(pid, "uid_map", 0, 4242) ? 'n' : 'g';
		EXPECT_EQ('g', b);
		EXPECT_EQ(1, write(go[1], &b, 1));
	}
	close(ready[0]);
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (b == 'u')
		SKIP(return, "this kernel has no user namespaces (CONFIG_USER_NS)");
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("child: 93 could not connect, 94 charged to uid 4242");
	}
}

TEST_HARNESS_MAIN
