// SPDX-License-Identifier: GPL-2.0
/*
 * qrpcctl: inspect and manage qrpc.
 *
 *   qrpcctl [--device PATH] version [--json] [--via auto|ioctl|uring]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qrpc.h"

static const char *device_path;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: qrpcctl [--device PATH] COMMAND [OPTIONS]\n"
		"\n"
		"Commands:\n"
		"  version [--json] [--via auto|ioctl|uring]\n"
		"      show the loaded module's version, ABI and features\n"
		"\n"
		"Options:\n"
		"  -d, --device PATH   the qrpc device (default %s)\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 on success, 1 on failure, 2 on a usage error.\n",
		QRPC_DEVICE_PATH);
}

static int open_device(void)
{
	const char *path = device_path ? device_path : QRPC_DEVICE_PATH;
	int fd = qrpc_open_device(path);

	if (fd == -ENOENT)
		fprintf(stderr, "qrpcctl: %s does not exist: is the qrpc module loaded?\n",
			path);
	else if (fd < 0)
		fprintf(stderr, "qrpcctl: cannot open %s: %s\n", path,
			strerror(-fd));
	return fd;
}

static void print_json(const struct qrpc_features *f)
{
	uint64_t bit;
	int first = 1;

	printf("{\"module_version\": \"%s\", \"abi\": {\"major\": %u, \"minor\": %u}, "
	       "\"features_mask\": %llu, \"features\": [",
	       f->module_version, f->abi_major, f->abi_minor,
	       (unsigned long long)f->features);
	for (bit = 1; bit; bit <<= 1) {
		const char *name = qrpc_feature_name(bit);

		if (!(f->features & bit) || !name)
			continue;
		printf("%s\"%s\"", first ? "" : ", ", name);
		first = 0;
	}
	printf("]}\n");
}

static int cmd_version(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "via", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum qrpc_via via = QRPC_VIA_AUTO;
	struct qrpc_features f;
	char names[256];
	int json = 0, c, fd, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jv:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'v':
			if (!strcmp(optarg, "auto")) {
				via = QRPC_VIA_AUTO;
			} else if (!strcmp(optarg, "ioctl")) {
				via = QRPC_VIA_IOCTL;
			} else if (!strcmp(optarg, "uring")) {
				via = QRPC_VIA_URING;
			} else {
				fprintf(stderr, "qrpcctl: --via takes auto, ioctl or uring, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "qrpcctl: version takes no arguments\n");
		return 2;
	}

	fd = open_device();
	if (fd < 0)
		return 1;
	ret = qrpc_query_features(fd, &f, via);
	close(fd);
	if (ret < 0) {
		fprintf(stderr, "qrpcctl: cannot query the module: %s\n",
			strerror(-ret));
		return 1;
	}

	if (json) {
		print_json(&f);
		return 0;
	}
	qrpc_features_describe(f.features, names, sizeof(names));
	printf("qrpc module %s, ABI %u.%u\n", f.module_version, f.abi_major,
	       f.abi_minor);
	printf("features: %s\n", names[0] ? names : "(none)");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* Options before the command only; the command parses the rest. */
	while ((c = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			device_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[optind], "version"))
		return cmd_version(argc - optind, argv + optind);

	fprintf(stderr, "qrpcctl: unknown command '%s' (try --help)\n",
		argv[optind]);
	return 2;
}
