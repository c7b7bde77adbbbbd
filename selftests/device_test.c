// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/qrpc node itself: its mode, opening and closing, the file
 * operations that have nothing to act on yet, and the module reference
 * an open file holds.
 */
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "helpers.h"
#include "kselftest_harness.h"

TEST(node_mode_matches_parameter)
{
	char param[32];
	struct stat st;
	unsigned long mode;

	ASSERT_EQ(0, stat(QRPC_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(0, t_read_line("/sys/module/qrpc/parameters/dev_mode",
				 param, sizeof(param)));
	mode = strtoul(param, NULL, 10);
	EXPECT_EQ(mode, st.st_mode & 07777);
}

TEST(open_close_many)
{
	int fds[256];
	unsigned int i;

	for (i = 0; i < 256; i++) {
		fds[i] = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fds[i]) TH_LOG("open #%u: %s", i, strerror(errno));
	}
	for (i = 0; i < 256; i++)
		EXPECT_EQ(0, close(fds[i]));
}

/* With the default mode 0666 an unprivileged user may open the device. */
TEST(unprivileged_open)
{
	pid_t pid;
	int status;

	if (getuid() != 0)
		SKIP(return, "needs root to switch to an unprivileged user");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open(QRPC_DEVICE_PATH, O_RDWR);
		_exit(fd >= 0 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(mmap_without_object_is_einval)
{
	int fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	void *p;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 1UL << 30);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST(poll_idle_device_not_ready)
{
	struct pollfd pfd = { .events = POLLIN | POLLOUT };

	pfd.fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, pfd.fd);
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pfd.revents);
	close(pfd.fd);
}

TEST(lseek_is_espipe)
{
	int fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(fd);
}

/* An open file pins the module: unloading must be refused, not crash. */
TEST(unload_refused_while_open)
{
	int fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_delete_module, "qrpc", O_NONBLOCK));
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY)
		TH_LOG("errno %d", errno);
	close(fd);
}

TEST_HARNESS_MAIN
