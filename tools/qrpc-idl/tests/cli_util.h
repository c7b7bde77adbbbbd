/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the tests that run the qrpc-idl binary (its path compiled
 * in as QRPC_IDL_BIN): a scratch directory made before the first test
 * and removed when the test program ends, files written into it, and a
 * run of the binary there with its status and output captured.  The
 * binary's preprocessor cache defaults to a directory in there.
 */
#ifndef QRPC_IDL_CLI_UTIL_H
#define QRPC_IDL_CLI_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef QRPC_IDL_BIN
#define QRPC_IDL_BIN "qrpc-idl"
#endif
/* qrpc's own <rpc.h> set (libshim/include/msrpc), given by the Makefile. */
#ifndef QRPC_MSRPC_INC
#define QRPC_MSRPC_INC "libshim/include/msrpc"
#endif

struct cli_result {
	int status;
	char out[8192];
	char err[8192];
};

static char dir[] = "/tmp/qrpc-idl-test-XXXXXX";
static pid_t dir_maker;

/* Each TEST runs in a child process: the directory is made before. */
static void __attribute__((constructor)) make_dir(void)
{
	char cache[300];

	if (!mkdtemp(dir))
		abort();
	dir_maker = getpid();
	/* The runs' preprocessor cache stays in here, not in $HOME. */
	snprintf(cache, sizeof(cache), "%s/.cpp-cache", dir);
	setenv("QRPC_IDL_CACHE_DIR", cache, 1);
}

/* Removed by the process that made it, which exits after every test. */
static void __attribute__((destructor)) remove_dir(void)
{
	char cmd[300];

	if (getpid() != dir_maker)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) == -1)
		return;
}

/* Write @len bytes to @name (relative to the scratch directory). */
static inline void write_file(const char *name, const char *text, size_t len)
{
	char path[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (!fp)
		abort();
	if (fwrite(text, 1, len, fp) != len)
		abort();
	fclose(fp);
}

#define W(name, text) write_file(name, text, sizeof(text) - 1)

static inline void put(const char *name, const char *text)
{
	write_file(name, text, strlen(text));
}

/* @name's contents into @buf (at most @cap - 1 bytes); "" if missing. */
static inline void slurp(const char *name, char *buf, size_t cap)
{
	char path[1024];
	FILE *fp;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	if (fp) {
		n = fread(buf, 1, cap - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
}

/* Run "qrpc-idl ARGS" in the scratch directory. */
static inline void run(struct cli_result *r, const char *args)
{
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "cd %s && %s %s >out.txt 2>err.txt </dev/null", dir,
		 QRPC_IDL_BIN, args);
	st = system(cmd);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	slurp("out.txt", r->out, sizeof(r->out));
	slurp("err.txt", r->err, sizeof(r->err));
}

/*
 * Run the shell command @fmt in the scratch directory, formatted with
 * the directory's path first and @a, @b after; its exit status.
 */
static inline int sh(const char *fmt, const char *a, const char *b)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), fmt, dir, a, b);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif
