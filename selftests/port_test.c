// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: create, open, unlink, list, close; names, modes, flags and
 * limits validated; permissions, umask, temporary ports, IPC namespaces,
 * the per-user quota, and handles private to their file.
 */
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "helpers.h"
#include "kselftest_harness.h"

#define ALL_ACCESS (QRPC_ACCESS_CALL | QRPC_ACCESS_SERVE)

FIXTURE(port) {
	int fd;
	char name[QRPC_NAME_MAX];
};

FIXTURE_SETUP(port)
{
	self->fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	t_port_name(self->name, "port");
}

FIXTURE_TEARDOWN(port)
{
	t_port_unlink(self->fd, self->name);
	close(self->fd);
}

/*
 * Run @fn in a child process as an unprivileged user (uid/gid 65534, no
 * capabilities) and return its exit status.
 */
static int as_nobody(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F(port, create_open_unlink_close)
{
	struct qrpc_port_create c;
	int h, h2;

	memset(&c, 0, sizeof(c));
	strcpy(c.name, self->name);
	c.mode = 0600;
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	EXPECT_LT(0, c.handle);
	EXPECT_EQ(1, c.created);
	/* Zero limits ask for the defaults, which are reported back. */
	EXPECT_LT(0, c.limits.max_depth);
	EXPECT_LT(0, c.limits.max_payload);
	EXPECT_LT(0, c.limits.max_bytes);

	h = t_port_open(self->fd, self->name, QRPC_ACCESS_CALL);
	ASSERT_LT(0, h);
	EXPECT_NE((int)c.handle, h);
	EXPECT_EQ(0, t_port_unlink(self->fd, self->name));
	/* The name is gone; the handles still work until closed. */
	EXPECT_EQ(-ENOENT, t_port_open(self->fd, self->name, QRPC_ACCESS_CALL));
	EXPECT_EQ(-ENOENT, t_port_unlink(self->fd, self->name));
	EXPECT_EQ(0, t_close_handle(self->fd, h));
	EXPECT_EQ(-EBADF, t_close_handle(self->fd, h));
	EXPECT_EQ(0, t_close_handle(self->fd, c.handle));
	/* The name can be used again at once. */
	h2 = t_port_create(self->fd, self->name, 0600, QRPC_PORT_F_EXCL);
	EXPECT_LT(0, h2);
}

TEST_F(port, create_opens_existing_unless_excl)
{
	struct qrpc_port_create c;

	ASSERT_LT(0, t_port_create(self->fd, self->name, 0600, 0));
	memset(&c, 0, sizeof(c));
	strcpy(c.name, self->name);
	c.access = QRPC_ACCESS_SERVE;
	c.limits.max_depth = 7;	/* ignored: the port exists */
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	EXPECT_EQ(0, c.created);
	EXPECT_NE(7, c.limits.max_depth);
	EXPECT_EQ(-EEXIST, t_port_create(self->fd, self->name, 0600,
					 QRPC_PORT_F_EXCL));
}

TEST_F(port, limits_requested_and_bounded)
{
	struct qrpc_port_create c;

	memset(&c, 0, sizeof(c));
	strcpy(c.name, self->name);
	c.limits.max_depth = 5;
	c.limits.max_payload = 4096;
	c.limits.max_bytes = 1 << 20;
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	EXPECT_EQ(5, c.limits.max_depth);
	EXPECT_EQ(4096, c.limits.max_payload);
	EXPECT_EQ(1 << 20, c.limits.max_bytes);

	memset(&c, 0, sizeof(c));
	t_port_name(c.name, "big");
	c.limits.max_depth = ~0U;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.limits.max_depth = 0;
	c.limits.max_payload = ~0U;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.limits.max_payload = 0;
	c.limits.max_bytes = ~0ULL;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
}

TEST_F(port, names_validated)
{
	static const char *const bad[] = {
		"", ".hidden", "a/b", "a b", "tab\\t", "caf\xc3\xa9", "x\n",
		"colon:", "star*",
		/* Latin-1 letters, which the kernel's isalnum() takes. */
		"\xc0\xe9\xff", "n\xe9",
	};
	struct qrpc_port_create c;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0, sizeof(c));
		strcpy(c.name, bad[i]);
		EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c))
			TH_LOG("name '%s'", bad[i]);
		EXPECT_EQ(-EINVAL, t_port_open(self->fd, bad[i], QRPC_ACCESS_CALL));
		EXPECT_EQ(-EINVAL, t_port_unlink(self->fd, bad[i]));
	}
	/* 63 bytes is the longest name; 64 leaves no room for the NUL. */
	memset(&c, 0, sizeof(c));
	memset(c.name, 'n', QRPC_NAME_MAX);
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.name[QRPC_NAME_MAX - 1] = '\0';
	c.name[0] = 'L';
	c.name[1] = '0' + getpid() % 10;
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	EXPECT_EQ(0, t_port_unlink(self->fd, c.name));
	/* Bytes after the NUL must be zero. */
	memset(&c, 0, sizeof(c));
	strcpy(c.name, self->name);
	c.name[QRPC_NAME_MAX - 1] = 'x';
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
}

TEST_F(port, bad_mode_flags_access_reserved)
{
	struct qrpc_port_create c;
	struct qrpc_port_open o;
	struct qrpc_port_list l;
	struct qrpc_handle_arg h;

	memset(&c, 0, sizeof(c));
	strcpy(c.name, self->name);
	c.mode = 01600;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.mode = 0600;
	c.flags = 1U << 31;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.flags = 0;
	c.access = 1U << 7;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.access = 0;
	c.reserved0 = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.reserved0 = 0;
	c.reserved[2] = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.reserved[2] = 0;
	c.limits.reserved = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.limits.reserved = 0;
	c.limits.max_dlq = 1U << 30;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));
	c.limits.max_dlq = 0;
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_CREATE, &c));

	memset(&o, 0, sizeof(o));
	strcpy(o.name, self->name);
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_OPEN, &o));
	o.access = 4;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_OPEN, &o));
	o.access = QRPC_ACCESS_CALL;
	o.reserved[1] = 9;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_OPEN, &o));

	memset(&l, 0, sizeof(l));
	l.reserved[0] = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_PORT_LIST, &l));

	memset(&h, 0, sizeof(h));
	h.handle = c.handle;
	h.reserved0 = 1;
	EXPECT_EQ(-EINVAL, t_ioctl(self->fd, QRPC_IOC_CLOSE, &h));
	EXPECT_EQ(-EBADF, t_close_handle(self->fd, 0));
	EXPECT_EQ(-EBADF, t_close_handle(self->fd, ~0U));
}

struct perm_case {
	const char *name;
	unsigned int access;
};

static int open_as(void *arg)
{
	const struct perm_case *pc = arg;
	int fd = open(QRPC_DEVICE_PATH, O_RDWR);
	int ret;

	if (fd < 0)
		return 101;
	ret = t_port_open(fd, pc->name, pc->access);
	if (ret == -EACCES)
		return 1;
	return ret > 0 ? 0 : 102;
}

static int unlink_as(void *arg)
{
	int fd = open(QRPC_DEVICE_PATH, O_RDWR);

	if (fd < 0)
		return 101;
	return t_port_unlink(fd, arg) == -EPERM ? 1 : 0;
}

/* write = may call, read = may serve, for owner, group and others. */
TEST_F(port, permissions_follow_mode)
{
	struct perm_case pc = { .name = self->name };

	if (getuid() != 0)
		SKIP(return, "needs root to act as another user");
	/* The modes below are meant as written, not as the umask leaves them. */
	umask(0);
	ASSERT_LT(0, t_port_create(self->fd, self->name, 0600, 0));
	pc.access = QRPC_ACCESS_CALL;
	EXPECT_EQ(1, as_nobody(open_as, &pc));
	pc.access = QRPC_ACCESS_SERVE;
	EXPECT_EQ(1, as_nobody(open_as, &pc));
	EXPECT_EQ(1, as_nobody(unlink_as, self->name));
	ASSERT_EQ(0, t_port_unlink(self->fd, self->name));

	ASSERT_LT(0, t_port_create(self->fd, self->name, 0602, 0));
	pc.access = QRPC_ACCESS_CALL;
	EXPECT_EQ(0, as_nobody(open_as, &pc));
	pc.access = QRPC_ACCESS_SERVE;
	EXPECT_EQ(1, as_nobody(open_as, &pc));
	pc.access = ALL_ACCESS;
	EXPECT_EQ(1, as_nobody(open_as, &pc));
	ASSERT_EQ(0, t_port_unlink(self->fd, self->name));

	ASSERT_LT(0, t_port_create(self->fd, self->name, 0604, 0));
	pc.access = QRPC_ACCESS_SERVE;
	EXPECT_EQ(0, as_nobody(open_as, &pc));
	pc.access = QRPC_ACCESS_CALL;
	EXPECT_EQ(1, as_nobody(open_as, &pc));
}

/* Root holds CAP_IPC_OWNER, which overrides the mode, as for mqueue. */
TEST_F(port, cap_ipc_owner_overrides_mode)
{
	if (getuid() != 0)
		SKIP(return, "needs CAP_IPC_OWNER");
	ASSERT_LT(0, t_port_create(self->fd, self->name, 0, 0));
	EXPECT_LT(0, t_port_open(self->fd, self->name, ALL_ACCESS));
}

TEST_F(port, mode_masked_by_umask)
{
	struct qrpc_port_info info;
	mode_t old = umask(027);

	ASSERT_LT(0, t_port_create(self->fd, self->name, 0666, 0));
	umask(old);
	ASSERT_EQ(0, t_port_info(self->fd, self->name, &info));
	EXPECT_EQ(0640, info.mode);
	EXPECT_EQ(getuid(), info.uid);
	EXPECT_EQ(getgid(), info.gid);
}

TEST_F(port, temporary_port_goes_with_its_creator)
{
	int h, opener;

	h = t_port_create(self->fd, self->name, 0600, QRPC_PORT_F_TEMPORARY);
	ASSERT_LT(0, h);
	opener = t_port_open(self->fd, self->name, QRPC_ACCESS_CALL);
	ASSERT_LT(0, opener);
	/* Another handle closing does not end it; the creator's does. */
	EXPECT_EQ(0, t_close_handle(self->fd, opener));
	EXPECT_LT(0, t_port_open(self->fd, self->name, QRPC_ACCESS_CALL));
	EXPECT_EQ(0, t_close_handle(self->fd, h));
	EXPECT_EQ(-ENOENT, t_port_open(self->fd, self->name, QRPC_ACCESS_CALL));
}

TEST_F(port, temporary_port_goes_when_file_closes)
{
	int fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, t_port_create(fd, self->name, 0600, QRPC_PORT_F_TEMPORARY));
	EXPECT_LT(0, t_port_open(self->fd, self->name, QRPC_ACCESS_CALL));
	close(fd);
	EXPECT_EQ(-ENOENT, t_port_open(self->fd, self->name, QRPC_ACCESS_CALL));
}

TEST_F(port, persistent_port_outlives_its_creator)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open(QRPC_DEVICE_PATH, O_RDWR);

		_exit(fd >= 0 && t_port_create(fd, self->name, 0600, 0) > 0 ?
		      0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_LT(0, t_port_open(self->fd, self->name, ALL_ACCESS));
}

TEST_F(port, list_sorted_and_counted)
{
	struct qrpc_port_info infos[256];
	char names[3][QRPC_NAME_MAX];
	struct qrpc_port_list l;
	unsigned int i, seen = 0;

	for (i = 0; i < 3; i++) {
		t_port_name(names[i], "list");
		ASSERT_LT(0, t_port_create(self->fd, names[i], 0644, 0));
	}
	memset(&l, 0, sizeof(l));
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_LIST, &l));
	EXPECT_EQ(0, l.count);
	EXPECT_LE(3, l.total);

	memset(&l, 0, sizeof(l));
	l.addr = (unsigned long)infos;
	l.count = 256;
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_LIST, &l));
	EXPECT_EQ(l.total, l.count);
	for (i = 0; i < l.count; i++) {
		if (i)
			EXPECT_GT(0, strcmp(infos[i - 1].name, infos[i].name));
		if (!strncmp(infos[i].name, "list-", 5))
			seen++;
		EXPECT_EQ(0, infos[i].reserved[0]);
	}
	EXPECT_LE(3, seen);

	/* A short array gets what fits and the true total. */
	memset(&l, 0, sizeof(l));
	l.addr = (unsigned long)infos;
	l.count = 2;
	ASSERT_EQ(0, t_ioctl(self->fd, QRPC_IOC_PORT_LIST, &l));
	EXPECT_EQ(2, l.count);
	EXPECT_LE(3, l.total);

	/* A bad address with room to fill is -EFAULT. */
	memset(&l, 0, sizeof(l));
	l.addr = 8;
	l.count = 10;
	EXPECT_EQ(-EFAULT, t_ioctl(self->fd, QRPC_IOC_PORT_LIST, &l));

	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, t_port_unlink(self->fd, names[i]));
}

/* Each IPC namespace has its own ports; a container sees only its own. */
TEST_F(port, ipc_namespaces_are_separate)
{
	pid_t pid;
	int status;

	ASSERT_LT(0, t_port_create(self->fd, self->name, 0600, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (unshare(CLONE_NEWIPC))
			_exit(100);
		fd = open(QRPC_DEVICE_PATH, O_RDWR);
		if (fd < 0)
			_exit(101);
		if (t_port_open(fd, self->name, QRPC_ACCESS_CALL) != -ENOENT)
			_exit(1);
		/* The same name is free here, and creating it is private. */
		if (t_port_create(fd, self->name, 0600, QRPC_PORT_F_EXCL) <= 0)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Our port is still ours, and one, not replaced. */
	EXPECT_EQ(-EEXIST, t_port_create(self->fd, self->name, 0600,
					 QRPC_PORT_F_EXCL));
}

/* Whether debugfs lists a port named @name. */
static int debugfs_lists(const char *name)
{
	char line[512], word[QRPC_NAME_MAX + 1];
	unsigned int inum;
	FILE *f = fopen("/sys/kernel/debug/qrpc/ports", "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%u %64s", &inum, word) == 2 &&
			!strcmp(word, name);
	fclose(f);
	return found;
}

/* Poll for up to 30 s until debugfs lists @name (@want 1) or not (0). */
static int debugfs_wait(const char *name, int want)
{
	int i, got = -1;

	for (i = 0; i < 300; i++) {
		got = debugfs_lists(name);
		if (got == want || got < 0)
			break;
		usleep(100000);
	}
	return got;
}

/*
 * A persistent port would keep its IPC namespace alive after its last
 * process: it stays while anything can still enter the namespace (here an
 * open /proc/PID/ns/ipc), and is unlinked once nothing can.
 */
TEST_F(port, ports_go_with_their_unreachable_namespace)
{
	int ready[2], status, nsfd, dev;
	char path[64], b;
	pid_t pid;

	if (debugfs_lists("") < 0)
		SKIP(return, "debugfs is not mounted");
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		close(ready[0]);
		if (unshare(CLONE_NEWIPC))
			_exit(100);
		fd = open(QRPC_DEVICE_PATH, O_RDWR);
		if (fd < 0 || t_port_create(fd, self->name, 0600, 0) <= 0)
			_exit(101);
		b = 'r';
		if (write(ready[1], &b, 1) != 1)
			_exit(102);
		/* Until the parent holds the namespace. */
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &b, 1));
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, nsfd);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));

	/* Reachable through nsfd: kept, past a reaper's look or two. */
	dev = open(QRPC_DEVICE_PATH, O_RDWR);
	close(dev);
	sleep(2);
	EXPECT_EQ(1, debugfs_lists(self->name));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (setns(nsfd, CLONE_NEWIPC))
			_exit(100);
		fd = open(QRPC_DEVICE_PATH, O_RDWR);
		_exit(t_port_open(fd, self->name, QRPC_ACCESS_CALL) > 0 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* Now nothing can enter it: the port goes. */
	close(nsfd);
	dev = open(QRPC_DEVICE_PATH, O_RDWR);
	close(dev);
	EXPECT_EQ(0, debugfs_wait(self->name, 0));
}

/* The fd that made a handle is the only one that can use it. */
TEST_F(port, handles_are_private_to_their_file)
{
	int other = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	int h;

	ASSERT_LE(0, other);
	h = t_port_create(self->fd, self->name, 0600, 0);
	ASSERT_LT(0, h);
	EXPECT_EQ(-EBADF, t_close_handle(other, h));
	EXPECT_EQ(0, t_close_handle(self->fd, h));
	close(other);
}

/* The same commands through io_uring. */
TEST_F(port, commands_through_io_uring)
{
	struct qrpc_port_create c;
	struct qrpc_port_name n;
	struct io_uring ring;

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	memset(&c, 0, sizeof(c));
	strcpy(c.name, self->name);
	c.mode = 0600;
	ASSERT_EQ(0, t_uring_cmd(&ring, self->fd, QRPC_IOC_PORT_CREATE, &c,
				 sizeof(c), 0));
	EXPECT_LT(0, c.handle);
	EXPECT_EQ(1, c.created);
	EXPECT_LT(0, t_port_open(self->fd, self->name, QRPC_ACCESS_CALL));
	memset(&n, 0, sizeof(n));
	strcpy(n.name, self->name);
	EXPECT_EQ(0, t_uring_cmd(&ring, self->fd, QRPC_IOC_PORT_UNLINK, &n,
				 sizeof(n), 0));
	EXPECT_EQ(-ENOENT, t_port_open(self->fd, self->name, QRPC_ACCESS_CALL));
	io_uring_queue_exit(&ring);
}

/*
 * A file opened for reading only may look (features, ports, dead
 * letters) and nothing more: every command that changes something is
 * -EBADF, by ioctl and by io_uring alike.
 */
TEST_F(port, read_only_open_may_only_look)
{
	int ro = open(QRPC_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	struct qrpc_features f;
	struct qrpc_port_info pi;
	struct qrpc_dlq_entry e;
	struct qrpc_dlq_list l;
	struct qrpc_connect cn;
	struct qrpc_serve sv;
	struct io_uring ring;
	struct qrpc_io io;
	int h;

	ASSERT_LE(0, ro);
	ASSERT_LT(0, t_port_create(self->fd, self->name, 0600, 0));
	memset(&f, 0, sizeof(f));
	EXPECT_EQ(0, t_ioctl(ro, QRPC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(0, t_port_info(ro, self->name, &pi));
	h = t_port_open(ro, self->name, ALL_ACCESS);
	ASSERT_LT(0, h);
	memset(&l, 0, sizeof(l));
	l.port = h;
	l.addr = (unsigned long)&e;
	l.count = 1;
	EXPECT_EQ(0, t_ioctl(ro, QRPC_IOC_DLQ_LIST, &l));

	memset(&cn, 0, sizeof(cn));
	cn.port = h;
	cn.nslots = 4;
	cn.req_size = cn.rep_size = 4096;
	EXPECT_EQ(-EBADF, t_ioctl(ro, QRPC_IOC_CONNECT, &cn));
	memset(&sv, 0, sizeof(sv));
	sv.port = h;
	sv.depth = 1;
	EXPECT_EQ(-EBADF, t_ioctl(ro, QRPC_IOC_SERVE, &sv));
	EXPECT_EQ(-EBADF, t_port_create(ro, "read-only-made", 0600, 0));
	EXPECT_EQ(-EBADF, t_port_unlink(ro, self->name));
	memset(&io, 0, sizeof(io));
	EXPECT_EQ(-EBADF, t_ioctl(ro, QRPC_IOC_CALL, &io));
	EXPECT_EQ(-EBADF, t_ioctl(ro, QRPC_IOC_FETCH, &io));

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	EXPECT_EQ(-EBADF, t_uring_cmd(&ring, ro, QRPC_IOC_CONNECT, &cn,
				      sizeof(cn), 0));
	memset(&f, 0, sizeof(f));
	EXPECT_EQ(0, t_uring_cmd(&ring, ro, QRPC_IOC_GET_FEATURES, &f,
				 sizeof(f), 0));
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;

		ASSERT_NE(NULL, sqe);
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, ro, NULL, 0, 0);
		sqe->cmd_op = QRPC_IOC_CALL;
		memcpy(sqe->cmd, &io, sizeof(io));
		ASSERT_EQ(1, io_uring_submit_and_wait(&ring, 1));
		ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
		EXPECT_EQ(-EBADF, cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	EXPECT_EQ(0, t_close_handle(ro, h));
	close(ro);
}

/*
 * With 128-byte SQEs, the command area past qrpc's 16 bytes is reserved:
 * a byte set there is -EINVAL, for control and data-path commands.
 */
TEST_F(port, sqe128_rest_must_be_zero)
{
	struct qrpc_features f;
	struct qrpc_uring_cmd uc;
	struct qrpc_io io = { .handle = 12345 };
	unsigned char cmd[80];
	struct io_uring ring;

	if (io_uring_queue_init(4, &ring, IORING_SETUP_SQE128))
		SKIP(return, "this kernel has no 128-byte SQEs");
	memset(&f, 0, sizeof(f));
	memset(&uc, 0, sizeof(uc));
	uc.addr = (unsigned long)&f;
	uc.len = sizeof(f);
	memset(cmd, 0, sizeof(cmd));
	memcpy(cmd, &uc, sizeof(uc));
	EXPECT_EQ(0, t_uring_cmd_raw(&ring, self->fd, QRPC_IOC_GET_FEATURES,
				     cmd, sizeof(cmd)));
	cmd[79] = 1;
	EXPECT_EQ(-EINVAL, t_uring_cmd_raw(&ring, self->fd,
					   QRPC_IOC_GET_FEATURES, cmd,
					   sizeof(cmd)));

	memset(cmd, 0, sizeof(cmd));
	memcpy(cmd, &io, sizeof(io));
	EXPECT_EQ(-EBADF, t_uring_cmd_raw(&ring, self->fd, QRPC_IOC_CALL,
					  cmd, sizeof(cmd)));
	cmd[16] = 1;
	EXPECT_EQ(-EINVAL, t_uring_cmd_raw(&ring, self->fd, QRPC_IOC_CALL,
					   cmd, sizeof(cmd)));
	io_uring_queue_exit(&ring);
}

static int create_many(void *arg)
{
	int fd = open(QRPC_DEVICE_PATH, O_RDWR);
	char name[QRPC_NAME_MAX];
	int made = 0, ret;

	(void)arg;
	if (fd < 0)
		return 101;
	for (;;) {
		t_port_name(name, "quota");
		ret = t_port_create(fd, name, 0600, QRPC_PORT_F_TEMPORARY);
		if (ret == -ENOSPC)
			return made;
		if (ret <= 0 || made > 50)
			return 102;
		made++;
	}
}

/* A user may own only max_ports_per_user ports; then -ENOSPC. */
TEST(per_user_port_quota)
{
	char old[32];

	if (getuid() != 0)
		SKIP(return, "needs root to change the module parameter");
	ASSERT_EQ(0, t_set_param("max_ports_per_user", "3", old, sizeof(old)));
	EXPECT_EQ(3, as_nobody(create_many, NULL));
	/* Temporary ports went with their file: the quota is free again. */
	EXPECT_EQ(3, as_nobody(create_many, NULL));
	ASSERT_EQ(0, t_set_param("max_ports_per_user", old, NULL, 0));
}

TEST_HARNESS_MAIN
