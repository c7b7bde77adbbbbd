// SPDX-License-Identifier: GPL-2.0
/*
 * QRPC_IOC_GET_FEATURES through ioctl and through io_uring, and the
 * documented errors for commands the module must refuse.
 */
#include <sys/ioctl.h>
#include <sys/utsname.h>

#include "helpers.h"
#include "kselftest_harness.h"

FIXTURE(dev) {
	int fd;
	struct io_uring ring;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(QRPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", QRPC_DEVICE_PATH,
				      strerror(errno));
	ASSERT_EQ(0, io_uring_queue_init(4, &self->ring, 0));
}

FIXTURE_TEARDOWN(dev)
{
	io_uring_queue_exit(&self->ring);
	close(self->fd);
}

static void expect_valid(struct __test_metadata *_metadata,
			 const struct qrpc_features *f)
{
	char version[64];
	unsigned int i;

	EXPECT_EQ(QRPC_ABI_MAJOR, f->abi_major);
	EXPECT_EQ(QRPC_ABI_MINOR, f->abi_minor);
	EXPECT_EQ(0, f->flags);
	EXPECT_EQ(QRPC_F_IOCTL | QRPC_F_URING_CMD | QRPC_F_POLL | QRPC_F_PORTS,
		  f->features & (QRPC_F_IOCTL | QRPC_F_URING_CMD | QRPC_F_POLL |
				 QRPC_F_PORTS));
	for (i = 0; i < sizeof(f->reserved) / sizeof(f->reserved[0]); i++)
		EXPECT_EQ(0, f->reserved[i]);
	/* The version reported must be the one modinfo and sysfs show. */
	ASSERT_EQ(0, t_read_line("/sys/module/qrpc/version", version,
				 sizeof(version)));
	EXPECT_STREQ(version, f->module_version);
}

TEST_F(dev, ioctl_reports_features)
{
	struct qrpc_features f;

	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, ioctl(self->fd, QRPC_IOC_GET_FEATURES, &f));
	expect_valid(_metadata, &f);
}

TEST_F(dev, uring_cmd_reports_same_features)
{
	struct qrpc_features by_ioctl, by_uring;

	memset(&by_ioctl, 0, sizeof(by_ioctl));
	memset(&by_uring, 0, sizeof(by_uring));
	ASSERT_EQ(0, ioctl(self->fd, QRPC_IOC_GET_FEATURES, &by_ioctl));
	ASSERT_EQ(0, t_uring_cmd(&self->ring, self->fd, QRPC_IOC_GET_FEATURES,
				 &by_uring, sizeof(by_uring), 0));
	expect_valid(_metadata, &by_uring);
	EXPECT_EQ(0, memcmp(&by_ioctl, &by_uring, sizeof(by_uring)));
}

/*
 * The module learns whether io_uring can cancel parked commands by
 * try-compiling against the kernel it was built for; mainline gained it
 * in 6.7, and the bit must say so on every kernel we test.
 */
TEST_F(dev, uring_cancel_bit_matches_kernel)
{
	struct qrpc_features f;
	struct utsname u;
	unsigned int major, minor;
	int expected;

	ASSERT_EQ(0, uname(&u));
	ASSERT_EQ(2, sscanf(u.release, "%u.%u", &major, &minor));
	expected = major > 6 || (major == 6 && minor >= 7);
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, ioctl(self->fd, QRPC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(expected, !!(f.features & QRPC_F_URING_CANCEL))
		TH_LOG("kernel %s", u.release);
}

TEST_F(dev, nonzero_flags_rejected)
{
	struct qrpc_features f;

	memset(&f, 0, sizeof(f));
	f.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, QRPC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, t_uring_cmd(&self->ring, self->fd,
				       QRPC_IOC_GET_FEATURES, &f, sizeof(f), 0));
}

TEST_F(dev, nonzero_reserved_rejected)
{
	struct qrpc_features f;
	unsigned int i;

	for (i = 0; i < sizeof(f.reserved) / sizeof(f.reserved[0]); i++) {
		memset(&f, 0, sizeof(f));
		f.reserved[i] = 1ULL << 63;
		EXPECT_EQ(-1, ioctl(self->fd, QRPC_IOC_GET_FEATURES, &f));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-EINVAL, t_uring_cmd(&self->ring, self->fd,
					       QRPC_IOC_GET_FEATURES, &f,
					       sizeof(f), 0));
	}
}

TEST_F(dev, unknown_ioctl_is_enotty)
{
	struct qrpc_features f;
	unsigned int bad[] = {
		/* a number past the last command */
		_IOWR(QRPC_IOC_MAGIC, 0x7f, struct qrpc_features),
		/* below the base */
		_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE - 1, struct qrpc_features),
		/* another driver's type byte */
		_IOWR('x', QRPC_IOC_BASE, struct qrpc_features),
		/* the right number with the wrong size or direction */
		_IOWR(QRPC_IOC_MAGIC, QRPC_IOC_BASE, __u64),
		_IOR(QRPC_IOC_MAGIC, QRPC_IOC_BASE, struct qrpc_features),
		_IO(QRPC_IOC_MAGIC, QRPC_IOC_BASE),
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&f, 0, sizeof(f));
		EXPECT_EQ(-1, ioctl(self->fd, bad[i], &f)) TH_LOG("cmd %#x", bad[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#x", bad[i]);
		EXPECT_EQ(-ENOTTY, t_uring_cmd(&self->ring, self->fd, bad[i], &f,
					       _IOC_SIZE(bad[i]), 0))
			TH_LOG("uring cmd %#x", bad[i]);
	}
}

TEST_F(dev, bad_address_is_efault)
{
	EXPECT_EQ(-1, ioctl(self->fd, QRPC_IOC_GET_FEATURES, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, QRPC_IOC_GET_FEATURES, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-EFAULT, t_uring_cmd(&self->ring, self->fd,
				       QRPC_IOC_GET_FEATURES, NULL,
				       sizeof(struct qrpc_features), 0));
	/* A kernel address must be refused like any unmapped one. */
	EXPECT_EQ(-EFAULT, t_uring_cmd(&self->ring, self->fd,
				       QRPC_IOC_GET_FEATURES,
				       (void *)0xffff888000000000UL,
				       sizeof(struct qrpc_features), 0));
}

TEST_F(dev, uring_cmd_wrong_len_rejected)
{
	struct qrpc_features f;
	unsigned int lens[] = { 0, 1, sizeof(f) - 1, sizeof(f) + 1, ~0U };
	unsigned int i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(&f, 0, sizeof(f));
		EXPECT_EQ(-EINVAL, t_uring_cmd(&self->ring, self->fd,
					       QRPC_IOC_GET_FEATURES, &f,
					       lens[i], 0))
			TH_LOG("len %u", lens[i]);
	}
}

TEST_F(dev, uring_cmd_flags_rejected)
{
	struct qrpc_features f;
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		memset(&f, 0, sizeof(f));
		EXPECT_EQ(-EINVAL, t_uring_cmd(&self->ring, self->fd,
					       QRPC_IOC_GET_FEATURES, &f,
					       sizeof(f), 1U << bit))
			TH_LOG("flag bit %u", bit);
	}
}

/* Commands must work the same from a ring with 128-byte SQEs. */
TEST_F(dev, uring_cmd_on_sqe128_ring)
{
	struct qrpc_features f;
	struct io_uring big;

	ASSERT_EQ(0, io_uring_queue_init(4, &big, IORING_SETUP_SQE128));
	memset(&f, 0, sizeof(f));
	EXPECT_EQ(0, t_uring_cmd(&big, self->fd, QRPC_IOC_GET_FEATURES, &f,
				 sizeof(f), 0));
	expect_valid(_metadata, &f);
	io_uring_queue_exit(&big);
}

TEST_HARNESS_MAIN
