// SPDX-License-Identifier: GPL-2.0
/*
 * qrpcctl: inspect and manage qrpc.
 *
 *   qrpcctl [--device PATH] version [--json] [--via auto|ioctl|uring]
 *   qrpcctl [--device PATH] create NAME [--mode OCTAL] [--depth N]
 *                                [--max-payload BYTES] [--max-bytes BYTES]
 *                                [--max-dlq N]
 *   qrpcctl [--device PATH] list [--json]
 *   qrpcctl [--device PATH] inspect NAME [--json]
 *   qrpcctl [--device PATH] unlink NAME
 *   qrpcctl [--device PATH] dlq NAME [list | requeue [ID] | purge [ID]] [--json]
 *   qrpcctl help [COMMAND]
 *
 * Each command is one function, listed in the table of commands near the
 * end.  main() parses the options every command shares, checks the
 * arguments against the table and opens the device; the functions only do
 * their own work.  The port commands use the ioctls of <linux/qrpc.h>
 * directly.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qrpc.h"

#define EXIT_USAGE	2
/* parse_args(): go on and run the command. */
#define RUN		(-1)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Mode of a port made by "create" without --mode, before the umask. */
#define DEFAULT_MODE	0600

/*
 * The options of the commands.  Each command names those it takes in
 * struct command.options; only --help is common to all.
 */
enum {
	OPT_HELP	= 'h',
	OPT_JSON	= 1 << 8,
	OPT_VIA		= 1 << 9,
	OPT_MODE	= 1 << 10,
	OPT_DEPTH	= 1 << 11,
	OPT_MAX_PAYLOAD	= 1 << 12,
	OPT_MAX_BYTES	= 1 << 13,
	OPT_MAX_DLQ	= 1 << 14,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "via", required_argument, NULL, OPT_VIA },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "max-payload", required_argument, NULL, OPT_MAX_PAYLOAD },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "max-dlq", required_argument, NULL, OPT_MAX_DLQ },
	{ NULL, 0, NULL, 0 },
};

struct command;

/* One run of a command: its arguments, its options and the device. */
struct ctx {
	const struct command *cmd;
	int argc;			/* positional arguments */
	char **argv;
	int fd;				/* the device, if the command needs it */
	bool json;
	enum qrpc_via via;
	const char *action;		/* dlq: list, requeue or purge */
	uint64_t id;			/* dlq: a call id, 0 for all */
	unsigned int mode;
	struct qrpc_port_limits limits;
};

struct command {
	const char *name;
	const char *args;		/* the synopsis after the name */
	const char *summary;		/* one line */
	const char *details;		/* more, with the options; or NULL */
	unsigned int options;		/* OPT_* taken besides --help */
	int min_args;
	int max_args;
	bool port_arg;			/* the first argument is a port name */
	bool device;			/* needs the device open */
	/* Checks the arguments further, before the device is opened. */
	int (*check)(struct ctx *ctx);
	int (*run)(struct ctx *ctx);
};

static const char *device_path;

/* Messages and exit statuses */

static void __attribute__((format(printf, 1, 0)))
vmessage(const char *fmt, va_list ap)
{
	fputs("qrpcctl: ", stderr);
	/* The caller started ap; clang 14's analyzer cannot see it. */
	vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	fputc('\n', stderr);
}

/* Report a failure; returns the exit status for it, 1. */
static int __attribute__((format(printf, 1, 2)))
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	return EXIT_FAILURE;
}

static void print_synopsis(FILE *f, const struct command *cmd)
{
	fprintf(f, "usage: qrpcctl %s%s%s\n", cmd->name, *cmd->args ? " " : "",
		cmd->args);
}

/* Report a usage error with a hint; returns the exit status for it, 2. */
static int __attribute__((format(printf, 2, 3)))
usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	if (cmd) {
		print_synopsis(stderr, cmd);
		fprintf(stderr, "Try 'qrpcctl %s --help' for more.\n",
			cmd->name);
	} else {
		fputs("Try 'qrpcctl --help' for more.\n", stderr);
	}
	return EXIT_USAGE;
}

/* Report the device's refusal of an open(2). */
static int device_error(const char *path, int err)
{
	if (err == -ENOENT)
		return error("the qrpc module is not loaded (%s missing)", path);
	if (err == -EACCES || err == -EPERM)
		return error("permission denied: cannot open %s (see its mode, or the module's dev_mode parameter)",
			     path);
	return error("cannot open %s: %s", path, strerror(-err));
}

/*
 * Report a failed command on port @name: @action is what was attempted, as
 * a verb ("unlink").  Returns the exit status, 1.
 */
static int port_error(const char *name, int err, const char *action)
{
	switch (err) {
	case -ENOENT:
		return error("no port named '%s'", name);
	case -EEXIST:
		return error("a port named '%s' exists already", name);
	case -EACCES:
		return error("permission denied: its mode does not let you %s port '%s' (see: qrpcctl inspect %s)",
			     action, name, name);
	case -EPERM:
		return error("permission denied: only the owner of port '%s' (or CAP_IPC_OWNER) may %s it",
			     name, action);
	case -ENOSPC:
		return error("cannot %s port '%s': your user owns as many ports as the module allows (module parameter max_ports_per_user)",
			     action, name);
	case -ENOTTY:
		return error("the loaded qrpc module does not know this command (is it older than qrpcctl?)");
	default:
		return error("cannot %s port '%s': %s", action, name,
			     strerror(-err));
	}
}

/* Parsing arguments */

/* Names: 1 to QRPC_NAME_MAX - 1 bytes of [A-Za-z0-9._-], no leading '.'. */
static bool valid_port_name(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= QRPC_NAME_MAX || name[0] == '.')
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

/*
 * A whole decimal number up to @max; with @suffixes a K, M or G after it
 * multiplies it by 1024, 1024^2 or 1024^3.  0, or -EINVAL if it is not a
 * number, -ERANGE if it is too large.
 */
static int parse_number(const char *s, bool suffixes, uint64_t max,
			uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	if (suffixes && *end) {
		switch (toupper((unsigned char)*end)) {
		case 'K':
			shift = 10;
			break;
		case 'M':
			shift = 20;
			break;
		case 'G':
			shift = 30;
			break;
		default:
			return -EINVAL;
		}
		end++;
	}
	if (*end)
		return -EINVAL;
	if (v > max >> shift)
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

/* Parse the value of option @opt into @out, or report a usage error. */
static int option_number(const struct ctx *ctx, const char *opt,
			 const char *arg, bool suffixes, uint64_t max,
			 uint64_t *out)
{
	int ret = parse_number(arg, suffixes, max, out);

	if (ret == -ERANGE)
		return usage_error(ctx->cmd, "--%s %s is too large (at most %llu)",
				   opt, arg, (unsigned long long)max);
	if (ret)
		return usage_error(ctx->cmd, "--%s takes a whole number%s, not '%s'",
				   opt, suffixes ? " of bytes, with an optional K, M or G suffix" : "",
				   arg);
	return 0;
}

static int option_mode(struct ctx *ctx, const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 8);
	if (!isdigit((unsigned char)*arg) || *end || errno || v > 0777)
		return usage_error(ctx->cmd, "--mode takes octal permission bits up to 0777, not '%s'",
				   arg);
	ctx->mode = v;
	return 0;
}

static int option_via(struct ctx *ctx, const char *arg)
{
	static const char *const names[] = {
		[QRPC_VIA_AUTO] = "auto",
		[QRPC_VIA_IOCTL] = "ioctl",
		[QRPC_VIA_URING] = "uring",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(arg, names[i])) {
			ctx->via = (enum qrpc_via)i;
			return 0;
		}
	}
	return usage_error(ctx->cmd, "--via takes auto, ioctl or uring, not '%s'",
			   arg);
}

static int parse_option(struct ctx *ctx, int opt, const char *name,
			const char *arg)
{
	uint64_t v = 0;
	int ret;

	switch (opt) {
	case OPT_JSON:
		ctx->json = true;
		return 0;
	case OPT_VIA:
		return option_via(ctx, arg);
	case OPT_MODE:
		return option_mode(ctx, arg);
	case OPT_DEPTH:
		ret = option_number(ctx, name, arg, false, UINT32_MAX, &v);
		ctx->limits.max_depth = (uint32_t)v;
		return ret;
	case OPT_MAX_PAYLOAD:
		ret = option_number(ctx, name, arg, true, UINT32_MAX, &v);
		ctx->limits.max_payload = (uint32_t)v;
		return ret;
	case OPT_MAX_BYTES:
		ret = option_number(ctx, name, arg, true, UINT64_MAX, &v);
		ctx->limits.max_bytes = v;
		return ret;
	case OPT_MAX_DLQ:
		ret = option_number(ctx, name, arg, false, UINT32_MAX, &v);
		ctx->limits.max_dlq = (uint32_t)v;
		return ret;
	default:
		return usage_error(ctx->cmd, "internal error: option %d", opt);
	}
}

/* The usage error for what getopt_long() returned as '?' or ':'. */
static int option_error(const struct command *cmd, int c, char **argv)
{
	const char *bad = argv[optind - 1];

	if (c == ':')
		return usage_error(cmd, "option '%s' needs a value", bad);
	if (strncmp(bad, "--", 2) != 0)
		return usage_error(cmd, "unknown option '-%c'", optopt);
	if (optopt && strchr(bad, '='))
		return usage_error(cmd, "option '%.*s' takes no value",
				   (int)strcspn(bad, "="), bad);
	return usage_error(cmd, "unknown option '%s'", bad);
}

static void command_help(const struct command *cmd)
{
	print_synopsis(stdout, cmd);
	printf("\n%s\n", cmd->summary);
	if (cmd->details)
		printf("\n%s", cmd->details);
}

/*
 * Parse a command's options and check its arguments, which start at
 * @argv[1].  Options may come before or after the arguments.  Returns RUN
 * if the command should run, else the exit status (after --help, or a
 * usage error).
 */
static int parse_args(struct ctx *ctx, int argc, char **argv)
{
	const struct command *cmd = ctx->cmd;
	int c, idx, nargs, ret;

	optind = 0;		/* glibc: start afresh on the new argv */
	opterr = 0;		/* our own messages, below */
	while ((c = getopt_long(argc, argv, ":h", long_opts, &idx)) != -1) {
		switch (c) {
		case OPT_HELP:
			command_help(cmd);
			return EXIT_SUCCESS;
		case '?':
		case ':':
			return option_error(cmd, c, argv);
		default:
			if (!(cmd->options & (unsigned int)c))
				return usage_error(cmd, "%s takes no option --%s",
						   cmd->name, long_opts[idx].name);
			ret = parse_option(ctx, c, long_opts[idx].name, optarg);
			if (ret)
				return ret;
		}
	}

	nargs = argc - optind;
	if (nargs < cmd->min_args)
		return usage_error(cmd, "%s: missing argument", cmd->name);
	if (nargs > cmd->max_args)
		return usage_error(cmd, "%s: unexpected argument '%s'", cmd->name,
				   argv[optind + cmd->max_args]);
	ctx->argc = nargs;
	ctx->argv = argv + optind;
	if (cmd->port_arg && !valid_port_name(ctx->argv[0]))
		return usage_error(cmd, "'%s' is not a port name: 1 to %d characters of A-Z a-z 0-9 . _ -, not starting with '.'",
				   ctx->argv[0], QRPC_NAME_MAX - 1);
	return RUN;
}

/* Talking to the module */

static int xioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

/*
 * A LIST-style query: fill @buf, which has room for *@count entries, and
 * set *@count to the entries filled and *@total to how many there are.
 */
typedef int (*query_fn)(const struct ctx *ctx, uint32_t handle, void *buf,
			uint32_t *count, uint32_t *total);

/*
 * Everything a LIST-style query reports: grow the array until it holds
 * it all (count == total).  *@out is to be freed by the caller.
 */
static int query_all(const struct ctx *ctx, query_fn query, uint32_t handle,
		     size_t size, void **out, uint32_t *count)
{
	uint32_t room = 16, n, total;
	void *buf = NULL;

	for (;;) {
		void *p = realloc(buf, (size_t)room * size);
		int ret;

		if (!p) {
			free(buf);
			return -ENOMEM;
		}
		buf = p;
		n = room;
		ret = query(ctx, handle, buf, &n, &total);
		if (ret) {
			free(buf);
			return ret;
		}
		if (n == total)
			break;
		/* Leave room for some that come meanwhile. */
		room = total < UINT32_MAX - 16 ? total + 16 : UINT32_MAX;
	}
	*out = buf;
	*count = n;
	return 0;
}

static int query_ports(const struct ctx *ctx, uint32_t handle, void *buf,
		       uint32_t *count, uint32_t *total)
{
	struct qrpc_port_list l = { .addr = (uintptr_t)buf, .count = *count };
	int ret = xioctl(ctx->fd, QRPC_IOC_PORT_LIST, &l);

	(void)handle;
	*count = l.count;
	*total = l.total;
	return ret;
}

static int query_dlq(const struct ctx *ctx, uint32_t handle, void *buf,
		     uint32_t *count, uint32_t *total)
{
	struct qrpc_dlq_list l = {
		.port = handle,
		.addr = (uintptr_t)buf,
		.count = *count,
	};
	int ret = xioctl(ctx->fd, QRPC_IOC_DLQ_LIST, &l);

	*count = l.count;
	*total = l.total;
	return ret;
}

static int list_ports(const struct ctx *ctx, struct qrpc_port_info **infos,
		      uint32_t *count)
{
	void *buf;
	int ret = query_all(ctx, query_ports, 0, sizeof(**infos), &buf, count);

	if (!ret)
		*infos = buf;
	return ret;
}

static int list_dlq(const struct ctx *ctx, uint32_t handle,
		    struct qrpc_dlq_entry **entries, uint32_t *count)
{
	void *buf;
	int ret = query_all(ctx, query_dlq, handle, sizeof(**entries), &buf,
			    count);

	if (!ret)
		*entries = buf;
	return ret;
}

/* The port named @name, or -ENOENT. */
static int find_port(const struct ctx *ctx, const char *name,
		     struct qrpc_port_info *info)
{
	struct qrpc_port_info *infos;
	uint32_t i, n;
	int ret = list_ports(ctx, &infos, &n);

	if (ret)
		return ret;
	ret = -ENOENT;
	for (i = 0; i < n; i++) {
		if (!strncmp(infos[i].name, name, sizeof(infos[i].name))) {
			*info = infos[i];
			ret = 0;
			break;
		}
	}
	free(infos);
	return ret;
}

/* Output */

/* A port or interface name from the kernel, which need not end in NUL. */
#define NAME_FMT	"%.*s"
#define NAME_ARG(n)	(int)strnlen((n), sizeof(n)), (n)

static void json_string(const char *s, size_t max)
{
	size_t i;

	putchar('"');
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void format_uuid(char *buf, size_t len, const uint8_t *u)
{
	snprintf(buf, len,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* "1048576 bytes (1 MiB)" */
static void format_bytes(char *buf, size_t len, uint64_t v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double d = (double)v;
	size_t i = 0;
	int n = snprintf(buf, len, "%llu bytes", (unsigned long long)v);

	if (v < 1024 || n < 0 || (size_t)n >= len)
		return;
	d /= 1024;
	while (d >= 1024 && i + 1 < ARRAY_SIZE(units)) {
		d /= 1024;
		i++;
	}
	if (d == (double)(uint64_t)d)
		snprintf(buf + n, len - n, " (%.0f %s)", d, units[i]);
	else
		snprintf(buf + n, len - n, " (%.1f %s)", d, units[i]);
}

/* "950ms", "12.3s", "4m05s", "2h07m", "3d04h" */
static void format_age(char *buf, size_t len, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	else if (s < 60)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ms % 1000 / 100));
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60));
	else
		snprintf(buf, len, "%llud%02lluh", (unsigned long long)(s / 86400),
			 (unsigned long long)(s / 3600 % 24));
}

/* A labelled line of a description: "label          value". */
static void __attribute__((format(printf, 2, 3)))
field(const char *label, const char *fmt, ...)
{
	va_list ap;

	printf("%-15s", label);
	va_start(ap, fmt);
	/* The caller started ap; clang 14's analyzer cannot see it. */
	vprintf(fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	putchar('\n');
}

static void print_mode(unsigned int mode)
{
	static const char rwx[] = "rwxrwxrwx";
	char bits[] = "---------";
	int i;

	for (i = 0; i < 9; i++)
		if (mode & (0400u >> i))
			bits[i] = rwx[i];
	field("mode", "%04o (%s)", mode, bits);
}

static void print_limits(const struct qrpc_port_limits *l)
{
	char buf[64];

	field("max depth", "%u calls", l->max_depth);
	format_bytes(buf, sizeof(buf), l->max_payload);
	field("max payload", "%s", buf);
	format_bytes(buf, sizeof(buf), l->max_bytes);
	field("max bytes", "%s", buf);
	field("max dlq", "%u messages", l->max_dlq);
}

static uint64_t queued_calls(const struct qrpc_port_info *p)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(p->depth); i++)
		sum += p->depth[i];
	return sum;
}

/*
 * One port (a struct qrpc_port_info) as a JSON object on one line, with
 * every field; untyped, for json_array().
 */
static void json_port(const void *item)
{
	const struct qrpc_port_info *p = item;
	size_t i;

	printf("{\"name\": ");
	json_string(p->name, sizeof(p->name));
	printf(", \"mode\": \"%04o\", \"uid\": %u, \"gid\": %u, \"flags\": %u, \"temporary\": %s, ",
	       p->mode, p->uid, p->gid, p->flags,
	       p->flags & QRPC_PORT_F_TEMPORARY ? "true" : "false");
	printf("\"limits\": {\"max_depth\": %u, \"max_payload\": %u, \"max_bytes\": %llu, \"max_dlq\": %u}, ",
	       p->limits.max_depth, p->limits.max_payload,
	       (unsigned long long)p->limits.max_bytes, p->limits.max_dlq);
	printf("\"servers\": %u, \"connections\": %u, \"depth\": [",
	       p->servers, p->connections);
	for (i = 0; i < ARRAY_SIZE(p->depth); i++)
		printf("%s%u", i ? ", " : "", p->depth[i]);
	printf("], \"queued\": %llu, \"queued_bytes\": %llu, \"enqueued\": %llu, \"delivered\": %llu, ",
	       (unsigned long long)queued_calls(p),
	       (unsigned long long)p->queued_bytes,
	       (unsigned long long)p->enqueued,
	       (unsigned long long)p->delivered);
	printf("\"dropped\": %llu, \"expired\": %llu, \"deadlettered\": %llu, \"failed\": %llu, \"dlq_depth\": %u, \"dlq_dropped\": %llu}",
	       (unsigned long long)p->dropped, (unsigned long long)p->expired,
	       (unsigned long long)p->deadlettered,
	       (unsigned long long)p->failed, p->dlq_depth,
	       (unsigned long long)p->dlq_dropped);
}

/* One struct qrpc_dlq_entry as a JSON object on one line. */
static void json_dlq_entry(const void *item)
{
	const struct qrpc_dlq_entry *e = item;
	char uuid[40];

	format_uuid(uuid, sizeof(uuid), e->iface.uuid);
	printf("{\"call_id\": %llu, \"conn_id\": %u, \"slot\": %u, \"priority\": %u, \"flags\": %u, \"opnum\": %u, ",
	       (unsigned long long)e->call_id, e->conn_id, e->slot,
	       e->priority, e->flags, e->opnum);
	printf("\"iface\": {\"uuid\": \"%s\", \"major\": %u, \"minor\": %u}, ",
	       uuid, e->iface.major, e->iface.minor);
	printf("\"req_len\": %u, \"pid\": %d, \"uid\": %u, \"gid\": %u, \"age_ms\": %llu}",
	       e->req_len, e->pid, e->uid, e->gid,
	       (unsigned long long)e->age_ms);
}

/* A JSON array of @n elements of @size bytes, one element a line. */
static void json_array(const void *items, size_t n, size_t size,
		       void (*print)(const void *item))
{
	size_t i;

	if (!n) {
		printf("[]\n");
		return;
	}
	printf("[\n");
	for (i = 0; i < n; i++) {
		printf("  ");
		print((const char *)items + i * size);
		printf("%s\n", i + 1 < n ? "," : "");
	}
	printf("]\n");
}

/*
 * Tables: a header and rows of cells, each column as wide as its widest
 * cell, two spaces apart; columns whose header starts with '<' are
 * aligned left, the others (numbers) right.
 */
#define CELL_MAX	QRPC_NAME_MAX

struct table {
	const char *const *heads;
	size_t ncols;
	size_t nrows;
	char (*cells)[CELL_MAX];
};

static int table_init(struct table *t, const char *const *heads,
		      size_t ncols, size_t nrows)
{
	t->heads = heads;
	t->ncols = ncols;
	t->nrows = nrows;
	t->cells = calloc(ncols * nrows + 1, sizeof(*t->cells));
	return t->cells ? 0 : -ENOMEM;
}

static void __attribute__((format(printf, 4, 5)))
table_set(struct table *t, size_t row, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* The caller started ap; clang 14's analyzer cannot see it. */
	vsnprintf(t->cells[row * t->ncols + col], CELL_MAX, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
}

static const char *table_head(const struct table *t, size_t col)
{
	const char *h = t->heads[col];

	return *h == '<' ? h + 1 : h;
}

static void table_line(const struct table *t, const size_t *width,
		       const char *(*cell)(const struct table *t, size_t row,
					   size_t col),
		       size_t row)
{
	size_t col;

	for (col = 0; col < t->ncols; col++) {
		bool left = *t->heads[col] == '<';
		bool last = col + 1 == t->ncols;

		printf("%s%*s", col ? "  " : "",
		       left ? (last ? 0 : -(int)width[col]) : (int)width[col],
		       cell(t, row, col));
	}
	putchar('\n');
}

static const char *head_cell(const struct table *t, size_t row, size_t col)
{
	(void)row;
	return table_head(t, col);
}

static const char *body_cell(const struct table *t, size_t row, size_t col)
{
	return t->cells[row * t->ncols + col];
}

/* Print the table and free it. */
static void table_print(struct table *t)
{
	size_t *width = calloc(t->ncols, sizeof(*width));
	size_t row, col;

	if (width) {
		for (col = 0; col < t->ncols; col++) {
			width[col] = strlen(table_head(t, col));
			for (row = 0; row < t->nrows; row++) {
				size_t w = strlen(body_cell(t, row, col));

				if (w > width[col])
					width[col] = w;
			}
		}
		table_line(t, width, head_cell, 0);
		for (row = 0; row < t->nrows; row++)
			table_line(t, width, body_cell, row);
	}
	free(width);
	free(t->cells);
	t->cells = NULL;
}

/* The commands */

static int cmd_version(struct ctx *ctx)
{
	struct qrpc_features f;
	char names[256];
	uint64_t bit;
	int ret, first = 1;

	ret = qrpc_query_features(ctx->fd, &f, ctx->via);
	if (ret < 0)
		return error("cannot query the module: %s", strerror(-ret));

	if (!ctx->json) {
		qrpc_features_describe(f.features, names, sizeof(names));
		printf("qrpc module " NAME_FMT ", ABI %u.%u\n",
		       NAME_ARG(f.module_version), f.abi_major, f.abi_minor);
		printf("features: %s\n", names[0] ? names : "(none)");
		return 0;
	}
	printf("{\"module_version\": ");
	json_string(f.module_version, sizeof(f.module_version));
	printf(", \"abi\": {\"major\": %u, \"minor\": %u}, \"features_mask\": %llu, \"features\": [",
	       f.abi_major, f.abi_minor, (unsigned long long)f.features);
	for (bit = 1; bit; bit <<= 1) {
		const char *name = qrpc_feature_name(bit);

		if (!(f.features & bit) || !name)
			continue;
		printf("%s\"%s\"", first ? "" : ", ", name);
		first = 0;
	}
	printf("]}\n");
	return 0;
}

static int cmd_create(struct ctx *ctx)
{
	struct qrpc_port_create c = {
		.mode = ctx->mode,
		.flags = QRPC_PORT_F_EXCL,
		.limits = ctx->limits,
	};
	const char *name = ctx->argv[0];
	mode_t mask;
	int ret;

	strncpy(c.name, name, sizeof(c.name) - 1);
	ret = xioctl(ctx->fd, QRPC_IOC_PORT_CREATE, &c);
	if (ret == -EINVAL)
		return error("cannot create port '%s': the module refused its limits (each must be at most the module parameter max_depth, max_payload, max_bytes or max_dlq)",
			     name);
	if (ret)
		return port_error(name, ret, "create");

	/* The module masks the mode with the umask, as open(2) does. */
	mask = umask(0);
	umask(mask);
	printf("created port %s\n", name);
	print_mode(ctx->mode & ~mask & 0777);
	print_limits(&c.limits);
	return 0;
}

static int cmd_list(struct ctx *ctx)
{
	static const char *const heads[] = {
		"<NAME", "<MODE", "UID", "GID", "SERVERS", "CONNS", "QUEUED",
		"BYTES", "ENQUEUED", "DELIVERED", "DROPPED", "EXPIRED",
		"DEADLETTERED", "FAILED", "DLQ",
	};
	struct qrpc_port_info *infos;
	struct table t;
	uint32_t i, n;
	int ret;

	ret = list_ports(ctx, &infos, &n);
	if (ret)
		return error("cannot list the ports: %s", strerror(-ret));
	if (ctx->json) {
		json_array(infos, n, sizeof(*infos), json_port);
	} else if (!n) {
		printf("no ports\n");
	} else if (table_init(&t, heads, ARRAY_SIZE(heads), n)) {
		ret = -ENOMEM;
	} else {
		for (i = 0; i < n; i++) {
			const struct qrpc_port_info *p = &infos[i];

			table_set(&t, i, 0, NAME_FMT, NAME_ARG(p->name));
			table_set(&t, i, 1, "%04o", p->mode);
			table_set(&t, i, 2, "%u", p->uid);
			table_set(&t, i, 3, "%u", p->gid);
			table_set(&t, i, 4, "%u", p->servers);
			table_set(&t, i, 5, "%u", p->connections);
			table_set(&t, i, 6, "%llu", (unsigned long long)queued_calls(p));
			table_set(&t, i, 7, "%llu", (unsigned long long)p->queued_bytes);
			table_set(&t, i, 8, "%llu", (unsigned long long)p->enqueued);
			table_set(&t, i, 9, "%llu", (unsigned long long)p->delivered);
			table_set(&t, i, 10, "%llu", (unsigned long long)p->dropped);
			table_set(&t, i, 11, "%llu", (unsigned long long)p->expired);
			table_set(&t, i, 12, "%llu", (unsigned long long)p->deadlettered);
			table_set(&t, i, 13, "%llu", (unsigned long long)p->failed);
			table_set(&t, i, 14, "%u", p->dlq_depth);
		}
		table_print(&t);
	}
	free(infos);
	return ret ? error("out of memory") : 0;
}

static int cmd_inspect(struct ctx *ctx)
{
	const char *name = ctx->argv[0];
	struct qrpc_port_info p;
	char buf[64];
	int ret = find_port(ctx, name, &p);

	if (ret)
		return port_error(name, ret, "inspect");
	if (ctx->json) {
		json_port(&p);
		putchar('\n');
		return 0;
	}
	field("name", NAME_FMT, NAME_ARG(p.name));
	print_mode(p.mode);
	field("owner", "uid %u, gid %u", p.uid, p.gid);
	field("lifetime", "%s", p.flags & QRPC_PORT_F_TEMPORARY ?
	      "temporary (goes with its creator's handle)" :
	      "persistent (until unlinked)");
	print_limits(&p.limits);
	field("servers", "%u", p.servers);
	field("connections", "%u", p.connections);
	format_bytes(buf, sizeof(buf), p.queued_bytes);
	field("queued", "%llu calls, %s",
	      (unsigned long long)queued_calls(&p), buf);
	field("depth", "%u %u %u %u %u %u %u %u (priority 0 to 7)",
	      p.depth[0], p.depth[1], p.depth[2], p.depth[3], p.depth[4],
	      p.depth[5], p.depth[6], p.depth[7]);
	field("enqueued", "%llu", (unsigned long long)p.enqueued);
	field("delivered", "%llu", (unsigned long long)p.delivered);
	field("dropped", "%llu", (unsigned long long)p.dropped);
	field("expired", "%llu", (unsigned long long)p.expired);
	field("dead-lettered", "%llu", (unsigned long long)p.deadlettered);
	field("failed", "%llu", (unsigned long long)p.failed);
	field("dlq", "%u messages", p.dlq_depth);
	field("dlq dropped", "%llu", (unsigned long long)p.dlq_dropped);
	return 0;
}

static int cmd_unlink(struct ctx *ctx)
{
	struct qrpc_port_name arg = { .name = "" };
	const char *name = ctx->argv[0];
	int ret;

	strncpy(arg.name, name, sizeof(arg.name) - 1);
	ret = xioctl(ctx->fd, QRPC_IOC_PORT_UNLINK, &arg);
	if (ret)
		return port_error(name, ret, "unlink");
	printf("unlinked port %s\n", name);
	return 0;
}

static int dlq_list(const struct ctx *ctx, const char *name, uint32_t handle)
{
	static const char *const heads[] = {
		"ID", "CONN", "SLOT", "PRIO", "OPNUM", "<INTERFACE", "<VERSION",
		"BYTES", "PID", "UID", "GID", "AGE",
	};
	struct qrpc_dlq_entry *entries;
	struct table t;
	uint32_t i, n;
	int ret;

	ret = list_dlq(ctx, handle, &entries, &n);
	if (ret)
		return port_error(name, ret, "list the dead-letter queue of");
	if (ctx->json) {
		json_array(entries, n, sizeof(*entries), json_dlq_entry);
	} else if (!n) {
		printf("the dead-letter queue of port %s is empty\n", name);
	} else if (table_init(&t, heads, ARRAY_SIZE(heads), n)) {
		ret = -ENOMEM;
	} else {
		for (i = 0; i < n; i++) {
			const struct qrpc_dlq_entry *e = &entries[i];
			char buf[40];

			table_set(&t, i, 0, "%llu", (unsigned long long)e->call_id);
			table_set(&t, i, 1, "%u", e->conn_id);
			table_set(&t, i, 2, "%u", e->slot);
			table_set(&t, i, 3, "%u", e->priority);
			table_set(&t, i, 4, "%u", e->opnum);
			format_uuid(buf, sizeof(buf), e->iface.uuid);
			table_set(&t, i, 5, "%s", buf);
			table_set(&t, i, 6, "%u.%u", e->iface.major, e->iface.minor);
			table_set(&t, i, 7, "%u", e->req_len);
			/* 0: the sender is not visible in our pid namespace. */
			if (e->pid > 0)
				table_set(&t, i, 8, "%d", e->pid);
			else
				table_set(&t, i, 8, "-");
			table_set(&t, i, 9, "%u", e->uid);
			table_set(&t, i, 10, "%u", e->gid);
			format_age(buf, sizeof(buf), e->age_ms);
			table_set(&t, i, 11, "%s", buf);
		}
		table_print(&t);
	}
	free(entries);
	return ret ? error("out of memory") : 0;
}

/* Requeue or purge one message (@id) or all (@id 0). */
static int dlq_op(const struct ctx *ctx, const char *name, uint32_t handle,
		  bool requeue, uint64_t id)
{
	struct qrpc_dlq_op op = { .port = handle, .call_id = id };
	const char *done = requeue ? "requeued" : "purged";
	int ret;

	ret = xioctl(ctx->fd, requeue ? QRPC_IOC_DLQ_REQUEUE : QRPC_IOC_DLQ_PURGE,
		     &op);
	if (ret == -ENOENT && id)
		return error("no dead-lettered message %llu in port %s",
			     (unsigned long long)id, name);
	/* Nothing to do for "all" is not a failure. */
	if (ret == -ENOENT)
		op.count = 0;
	else if (ret)
		return port_error(name, ret, requeue ?
				  "requeue the dead-letter queue of" :
				  "purge the dead-letter queue of");

	if (ctx->json)
		printf("{\"%s\": %u}\n", done, op.count);
	else if (!op.count)
		printf("the dead-letter queue of port %s is empty\n", name);
	else
		printf("%s %u message%s of port %s\n", done, op.count,
		       op.count == 1 ? "" : "s", name);
	return 0;
}

/* dlq NAME [ACTION [ID]]: the action and the message id. */
static int check_dlq(struct ctx *ctx)
{
	ctx->action = ctx->argc > 1 ? ctx->argv[1] : "list";
	if (strcmp(ctx->action, "list") != 0 &&
	    strcmp(ctx->action, "requeue") != 0 &&
	    strcmp(ctx->action, "purge") != 0)
		return usage_error(ctx->cmd, "dlq: unknown action '%s' (list, requeue or purge)",
				   ctx->action);
	if (ctx->argc < 3)
		return 0;
	if (!strcmp(ctx->action, "list"))
		return usage_error(ctx->cmd, "dlq: list takes no message id");
	if (parse_number(ctx->argv[2], false, UINT64_MAX, &ctx->id) || !ctx->id)
		return usage_error(ctx->cmd, "dlq: '%s' is not a message id (a call id from 'dlq NAME list')",
				   ctx->argv[2]);
	return 0;
}

static int cmd_dlq(struct ctx *ctx)
{
	struct qrpc_port_open o = { .access = QRPC_ACCESS_SERVE };
	const char *name = ctx->argv[0];
	int ret;

	strncpy(o.name, name, sizeof(o.name) - 1);
	ret = xioctl(ctx->fd, QRPC_IOC_PORT_OPEN, &o);
	if (ret)
		return port_error(name, ret, "manage the dead-letter queue of");
	/* The handle goes when the device is closed. */
	if (!strcmp(ctx->action, "list"))
		return dlq_list(ctx, name, o.handle);
	return dlq_op(ctx, name, o.handle, !strcmp(ctx->action, "requeue"),
		      ctx->id);
}

static int cmd_help(struct ctx *ctx);

static const struct command commands[] = {
	{
		.name = "version",
		.args = "[--json] [--via auto|ioctl|uring]",
		.summary = "Show the loaded module's version, ABI and features.",
		.details =
			"Options:\n"
			"  --json          print one JSON object\n"
			"  --via HOW       ask through io_uring (uring), ioctl(2) (ioctl),\n"
			"                  or io_uring falling back to ioctl (auto, the default)\n",
		.options = OPT_JSON | OPT_VIA,
		.device = true,
		.run = cmd_version,
	},
	{
		.name = "create",
		.args = "NAME [--mode OCTAL] [--depth N] [--max-payload BYTES] [--max-bytes BYTES] [--max-dlq N]",
		.summary = "Create a persistent port and print its mode and effective limits.",
		.details =
			"The port stays until it is unlinked.\n"
			"\n"
			"Options:\n"
			"  --mode OCTAL         permission bits, masked by the umask (default 0600):\n"
			"                       write lets a process call, read lets it serve\n"
			"  --depth N            calls that may wait in the queue at once\n"
			"  --max-payload BYTES  largest request\n"
			"  --max-bytes BYTES    request bytes that may wait in the queue at once\n"
			"  --max-dlq N          messages the dead-letter queue keeps (when full,\n"
			"                       the oldest goes, counted as dlq dropped)\n"
			"A limit left out, or 0, is the module's default.  BYTES may end in\n"
			"K, M or G (powers of 1024).\n",
		.options = OPT_MODE | OPT_DEPTH | OPT_MAX_PAYLOAD | OPT_MAX_BYTES |
			   OPT_MAX_DLQ,
		.min_args = 1,
		.max_args = 1,
		.port_arg = true,
		.device = true,
		.run = cmd_create,
	},
	{
		.name = "list",
		.args = "[--json]",
		.summary = "List the ports of this IPC namespace with their owners and counters.",
		.details =
			"Columns: NAME, MODE, owner UID and GID, attached SERVERS, client\n"
			"CONNS, calls QUEUED (all priorities) and their BYTES, calls ever\n"
			"ENQUEUED, DELIVERED to a server, DROPPED ([maybe]), EXPIRED\n"
			"([message]), DEADLETTERED and FAILED, and messages in the DLQ.\n"
			"\n"
			"Options:\n"
			"  --json          print a JSON array with one object per port\n",
		.options = OPT_JSON,
		.device = true,
		.run = cmd_list,
	},
	{
		.name = "inspect",
		.args = "NAME [--json]",
		.summary = "Describe one port: mode, owner, limits, depth per priority, counters.",
		.details =
			"Options:\n"
			"  --json          print one JSON object, as in 'list --json'\n",
		.options = OPT_JSON,
		.min_args = 1,
		.max_args = 1,
		.port_arg = true,
		.device = true,
		.run = cmd_inspect,
	},
	{
		.name = "unlink",
		.args = "NAME",
		.summary = "Remove a port's name; the port goes when its last handle is closed.",
		.details =
			"Allowed to the port's owner and to holders of CAP_IPC_OWNER.\n",
		.min_args = 1,
		.max_args = 1,
		.port_arg = true,
		.device = true,
		.run = cmd_unlink,
	},
	{
		.name = "dlq",
		.args = "NAME [list | requeue [ID] | purge [ID]] [--json]",
		.summary = "Manage a port's dead-letter queue (needs permission to serve the port).",
		.details =
			"Actions:\n"
			"  list            show the dead-lettered messages, oldest first\n"
			"                  (the default)\n"
			"  requeue [ID]    send message ID, or all, back to the queue\n"
			"  purge [ID]      discard message ID, or all\n"
			"ID is a call id from the list.  An empty queue is not an error;\n"
			"an ID that is not there is.\n"
			"\n"
			"Options:\n"
			"  --json          list: a JSON array with one object per message;\n"
			"                  requeue, purge: {\"requeued\": N} or {\"purged\": N}\n",
		.options = OPT_JSON,
		.min_args = 1,
		.max_args = 3,
		.port_arg = true,
		.device = true,
		.check = check_dlq,
		.run = cmd_dlq,
	},
	{
		.name = "help",
		.args = "[COMMAND]",
		.summary = "Describe qrpcctl, or one command.",
		.max_args = 1,
		.run = cmd_help,
	},
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: qrpcctl [--device PATH] COMMAND [ARGS] [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s %s\n      %s\n", commands[i].name,
			commands[i].args, commands[i].summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -d, --device PATH   the qrpc device (default %s)\n"
		"  -h, --help          show this help\n"
		"\n"
		"'qrpcctl help COMMAND' or 'qrpcctl COMMAND --help' describes a command.\n"
		"Exit status: 0 on success, 1 on failure, 2 on a usage error.\n",
		QRPC_DEVICE_PATH);
}

static int cmd_help(struct ctx *ctx)
{
	const struct command *cmd;

	if (!ctx->argc) {
		usage(stdout);
		return 0;
	}
	cmd = find_command(ctx->argv[0]);
	if (!cmd)
		return usage_error(ctx->cmd, "no command '%s'", ctx->argv[0]);
	command_help(cmd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx ctx = { .fd = -1, .mode = DEFAULT_MODE };
	const char *path;
	int c, ret;

	/* Options before the command only; the command parses the rest. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			device_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return option_error(NULL, c, argv);
		}
	}
	if (optind >= argc)
		return usage_error(NULL, "no command given");
	ctx.cmd = find_command(argv[optind]);
	if (!ctx.cmd)
		return usage_error(NULL, "unknown command '%s'", argv[optind]);

	ret = parse_args(&ctx, argc - optind, argv + optind);
	if (ret != RUN)
		return ret;
	if (ctx.cmd->check) {
		ret = ctx.cmd->check(&ctx);
		if (ret)
			return ret;
	}

	if (ctx.cmd->device) {
		path = device_path ? device_path : QRPC_DEVICE_PATH;
		ctx.fd = qrpc_open_device(path);
		if (ctx.fd < 0)
			return device_error(path, ctx.fd);
	}
	ret = ctx.cmd->run(&ctx);
	if (ctx.fd >= 0)
		close(ctx.fd);
	return ret;
}
