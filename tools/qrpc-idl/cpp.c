// SPDX-License-Identifier: GPL-2.0
/*
 * The preprocessor as a child process: fork/exec, its standard input
 * and output on pipes serviced together with poll() so that neither side
 * can block the other on a full pipe, and its standard error left on
 * ours so its own messages reach the user unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpp.h"

unsigned cpp_split_command(const char *cmd, char ***argv, char **storage)
{
	size_t len = strlen(cmd);
	unsigned n = 0, i = 0;
	char *s, *p, **v;
	bool in_word = false;

	*argv = NULL;
	*storage = NULL;
	for (const char *c = cmd; *c; c++) {
		bool space = *c == ' ' || *c == '\t';

		if (!space && !in_word)
			n++;
		in_word = !space;
	}
	if (!n)
		return 0;
	s = malloc(len + 1);
	v = malloc(sizeof(*v) * (n + 1));
	if (!s || !v) {
		free(s);
		free(v);
		return 0;
	}
	memcpy(s, cmd, len + 1);
	in_word = false;
	for (p = s; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			*p = '\0';
			in_word = false;
		} else if (!in_word) {
			v[i++] = p;
			in_word = true;
		}
	}
	v[i] = NULL;
	*argv = v;
	*storage = s;
	return n;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/*
 * The line marker in front of the text: the name is quoted as cpp quotes
 * it, so names with '"' or '\' survive.
 */
static char *make_prefix(const char *path, size_t *len)
{
	size_t n = strlen(path);
	char *buf = malloc(n * 2 + 16), *p;

	if (!buf)
		return NULL;
	p = buf + sprintf(buf, "# 1 \"");
	for (const char *c = path; *c; c++) {
		if (*c == '"' || *c == '\\')
			*p++ = '\\';
		*p++ = *c;
	}
	p += sprintf(p, "\"\n");
	*len = (size_t)(p - buf);
	return buf;
}

struct out_buf {
	char *data;
	size_t len, cap;
};

static int out_reserve(struct out_buf *b, size_t more)
{
	char *nd;
	size_t cap;

	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 65536;
	while (cap < b->len + more + 1)
		cap *= 2;
	nd = realloc(b->data, cap);
	if (!nd)
		return -1;
	b->data = nd;
	b->cap = cap;
	return 0;
}

/* Feed @in to fd @wfd while draining @rfd into @b; both are closed. */
static int pump(int wfd, int rfd, const char *const in[2],
		const size_t in_len[2], struct out_buf *b)
{
	unsigned part = 0;
	size_t off = 0;
	int ret = 0;

	while (rfd >= 0) {
		struct pollfd pf[2];
		nfds_t n = 0;

		while (wfd >= 0 && part < 2 && off == in_len[part]) {
			part++;
			off = 0;
		}
		if (wfd >= 0 && part == 2) {
			close(wfd);
			wfd = -1;
		}
		pf[n].fd = rfd;
		pf[n++].events = POLLIN;
		if (wfd >= 0) {
			pf[n].fd = wfd;
			pf[n++].events = POLLOUT;
		}
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -1;
			break;
		}
		if (pf[0].revents) {
			ssize_t r;

			if (out_reserve(b, 65536)) {
				ret = -1;
				break;
			}
			r = read(rfd, b->data + b->len, b->cap - b->len - 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (r < 0)
					ret = -1;
				close(rfd);
				rfd = -1;
			} else {
				b->len += (size_t)r;
			}
		}
		if (n > 1 && pf[1].revents) {
			size_t chunk = in_len[part] - off;
			ssize_t w;

			if (chunk > 65536)
				chunk = 65536;
			w = write(wfd, in[part] + off, chunk);
			if (w < 0 && errno != EINTR && errno != EAGAIN) {
				/* cpp stopped reading: its status says why. */
				close(wfd);
				wfd = -1;
			} else if (w > 0) {
				off += (size_t)w;
			}
		}
	}
	if (wfd >= 0)
		close(wfd);
	if (rfd >= 0)
		close(rfd);
	return ret;
}

/*
 * The preprocessor's argument vector; strings borrowed from the inputs.
 * -undef: IDL is not compiled for the build host, and headers that test
 * __GNUC__ or define "unix" and "linux" must see what MIDL's sees.
 */
static const char **build_argv(const struct cpp_options *o, char **words,
			       unsigned n_words, const char *dir)
{
	static const char *const fixed[] = {
		"-x", "c", "-undef", ("-D__midl=" CPP_MIDL_VERSION),
		"-D__QRPC_IDL__",
		"-iquote",
	};
	size_t n = n_words + sizeof(fixed) / sizeof(fixed[0]) + 1 +
		   o->n_args + 2;
	const char **argv = calloc(n, sizeof(*argv));
	size_t i = 0;

	if (!argv)
		return NULL;
	for (unsigned w = 0; w < n_words; w++)
		argv[i++] = words[w];
	for (size_t f = 0; f < sizeof(fixed) / sizeof(fixed[0]); f++)
		argv[i++] = fixed[f];
	argv[i++] = dir;
	for (unsigned a = 0; a < o->n_args; a++)
		argv[i++] = o->args[a];
	argv[i++] = "-";
	argv[i] = NULL;
	return argv;
}

int cpp_run(const struct cpp_options *o, struct diag *d, const char *path,
	    const char *text, size_t len, char **out, size_t *out_len)
{
	const char *cmd = o->cmd ? o->cmd : "cpp";
	struct src_loc loc = { .file = path, .line = 0, .col = 0 };
	char **words = NULL, *storage = NULL, *dir = NULL, *prefix = NULL;
	const char **argv = NULL;
	int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
	int err_pipe[2] = { -1, -1 };
	struct out_buf b = { 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	unsigned n_words;
	size_t prefix_len = 0;
	int status, child_errno = 0, ret = -1;
	pid_t pid;

	*out = NULL;
	*out_len = 0;
	n_words = cpp_split_command(cmd, &words, &storage);
	if (!n_words) {
		diag_error(d, NULL, 1005, "no C preprocessor command given");
		return -1;
	}
	dir = dir_of(path);
	prefix = make_prefix(path, &prefix_len);
	argv = dir && prefix ? build_argv(o, words, n_words, dir) : NULL;
	if (!argv || pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) ||
	    pipe2(err_pipe, O_CLOEXEC)) {
		diag_error(d, &loc, 1004, "cannot run the C preprocessor: %s",
			   strerror(errno ? errno : ENOMEM));
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		diag_error(d, &loc, 1004, "cannot run the C preprocessor: %s",
			   strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int e;

		dup2(in_pipe[0], 0);
		dup2(out_pipe[1], 1);
		execvp(argv[0], (char *const *)argv);
		e = errno;
		if (write(err_pipe[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(in_pipe[0]);
	close(out_pipe[1]);
	close(err_pipe[1]);
	in_pipe[0] = out_pipe[1] = err_pipe[1] = -1;

	sigaction(SIGPIPE, &ign, &old_pipe);
	{
		const char *parts[2] = { prefix, text };
		const size_t lens[2] = { prefix_len, len };

		ret = pump(in_pipe[1], out_pipe[0], parts, lens, &b);
	}
	sigaction(SIGPIPE, &old_pipe, NULL);
	in_pipe[1] = out_pipe[0] = -1;

	if (read(err_pipe[0], &child_errno, sizeof(child_errno)) !=
	    sizeof(child_errno))
		child_errno = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (child_errno) {
		diag_error(d, &loc, child_errno == ENOENT ? 1005 : 1004,
			   "cannot execute C preprocessor '%s': %s", argv[0],
			   strerror(child_errno));
		ret = -1;
	} else if (WIFSIGNALED(status)) {
		diag_error(d, &loc, 1003,
			   "C preprocessor '%s' killed by signal %d",
			   argv[0], WTERMSIG(status));
		ret = -1;
	} else if (WEXITSTATUS(status)) {
		diag_error(d, &loc, 1003,
			   "error returned by the C preprocessor '%s' (exit status %d)",
			   argv[0], WEXITSTATUS(status));
		ret = -1;
	} else if (ret) {
		diag_error(d, &loc, 1002,
			   "cannot read the C preprocessor's output");
	}
	if (!ret && out_reserve(&b, 0) == 0) {
		b.data[b.len] = '\0';
		*out = b.data;
		*out_len = b.len;
		b.data = NULL;
	} else {
		ret = -1;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (in_pipe[i] >= 0)
			close(in_pipe[i]);
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	free(b.data);
	free(argv);
	free(prefix);
	free(dir);
	free(words);
	free(storage);
	return ret;
}
