// SPDX-License-Identifier: GPL-2.0
/*
 * The preprocessor as a child process (posix_spawn), its standard input
 * and output on pipes serviced together with poll() so that neither side
 * can block the other on a full pipe.  Its standard error is left on
 * ours so its own messages reach the user unchanged, except when the
 * output may be cached (cpp_cache.h): then they are collected, shown,
 * and kept with the entry to be shown again on a hit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpp.h"
#include "cpp_cache.h"

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

/*
 * Feed @in to fd @wfd while draining @rfd[i] into @b[i] (@n_out of
 * them); every fd is closed.  The preprocessor may write either stream
 * at any time, so all are serviced together.
 */
static int pump(int wfd, int *rfd, struct out_buf *b, unsigned n_out,
		const char *const in[2], const size_t in_len[2])
{
	unsigned part = 0, open_out = n_out;
	size_t off = 0;
	int ret = 0;

	while (open_out) {
		struct pollfd pf[3];
		int who[3];
		nfds_t n = 0;

		while (wfd >= 0 && part < 2 && off == in_len[part]) {
			part++;
			off = 0;
		}
		if (wfd >= 0 && part == 2) {
			close(wfd);
			wfd = -1;
		}
		for (unsigned i = 0; i < n_out; i++) {
			if (rfd[i] < 0)
				continue;
			pf[n].fd = rfd[i];
			pf[n].events = POLLIN;
			who[n++] = (int)i;
		}
		if (wfd >= 0) {
			pf[n].fd = wfd;
			pf[n].events = POLLOUT;
			who[n++] = -1;
		}
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -1;
			break;
		}
		for (nfds_t k = 0; k < n; k++) {
			int i = who[k];

			if (!pf[k].revents)
				continue;
			if (i >= 0) {
				struct out_buf *o = &b[i];
				ssize_t r;

				if (out_reserve(o, 65536)) {
					ret = -1;
					goto out;
				}
				r = read(rfd[i], o->data + o->len,
					 o->cap - o->len - 1);
				if (r < 0 && errno == EINTR)
					continue;
				if (r <= 0) {
					if (r < 0)
						ret = -1;
					close(rfd[i]);
					rfd[i] = -1;
					open_out--;
				} else {
					o->len += (size_t)r;
				}
			} else {
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
	}
out:
	if (wfd >= 0)
		close(wfd);
	for (unsigned i = 0; i < n_out; i++)
		if (rfd[i] >= 0)
			close(rfd[i]);
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

static bool is_ident_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool has_prefix(const char *w, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);

	return n >= pl && !memcmp(w, prefix, pl);
}

/*
 * Could @w (@n bytes) be a macro the preprocessor defines by itself?
 * With -undef, cpp predefines only the standard's macros (__STDC__ and
 * the __STDC_* of <stdc-predef.h>, which it includes) and its dynamic
 * ones (__FILE__, __LINE__, __COUNTER__, __has_include, ...), and we add
 * __midl and __QRPC_IDL__.  Any name shaped __X__ counts, as do the
 * __STDC, __has_ and __VA_ families and _Pragma; names such as __stdcall
 * or __int64, which real files use as plain words, do not.
 */
static bool maybe_predefined(const char *w, size_t n)
{
	if (n >= 4 && w[0] == '_' && w[1] == '_' && w[n - 1] == '_' &&
	    w[n - 2] == '_')
		return true;
	return has_prefix(w, n, "__STDC") || has_prefix(w, n, "__has_") ||
	       has_prefix(w, n, "__VA_") ||
	       (n == 6 && has_prefix(w, n, "__midl")) ||
	       (n == 14 && has_prefix(w, n, "_STDC_PREDEF_H")) ||
	       (n == 7 && has_prefix(w, n, "_Pragma"));
}

/* Is @w (@n bytes) the name of a macro the user defines with -D? */
static bool user_macro(const struct cpp_options *o, const char *w, size_t n)
{
	for (unsigned i = 0; i < o->n_args; i++) {
		const char *a = o->args[i];

		if (!strncmp(a, "-D", 2) && !strncmp(a + 2, w, n) &&
		    (a[2 + n] == '\0' || a[2 + n] == '=' || a[2 + n] == '('))
			return true;
	}
	return false;
}

/*
 * Past the comment or literal at @p (which starts one); NULL if it does
 * not end where cpp would end it (an unterminated one: cpp has warnings
 * to give about it).
 */
static const char *skip_opaque(const char *p, const char *end)
{
	char q = *p;

	if (q == '/' && p[1] == '*') {
		for (p += 2; p + 1 < end; p++)
			if (p[0] == '*' && p[1] == '/')
				return p + 2;
		return NULL;
	}
	if (q == '/') {			/* a // comment, to the newline */
		while (p < end && *p != '\n')
			p++;
		return p;
	}
	for (p++; p < end && *p != '\n'; p++) {
		if (*p == '\\' && p + 1 < end && p[1] != '\n')
			p++;
		else if (*p == q)
			return p + 1;
	}
	return NULL;
}

bool cpp_needed(const struct cpp_options *o, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	/* Another preprocessor may add what it likes. */
	if (o->cmd)
		return true;
	/* What cpp does before it sees comments and strings. */
	for (const char *q = text; q < end; q++) {
		switch (*q) {
		case '\r': case '\f': case '\v': case '\0':
			return true;
		case '?':		/* a trigraph */
			if (q + 1 < end && q[1] == '?')
				return true;
			break;
		case '\\': {		/* a line splice, even with blanks */
			const char *r = q + 1;

			while (r < end && (*r == ' ' || *r == '\t'))
				r++;
			if (r == end || *r == '\n')
				return true;
			break;
		}
		default:
			break;
		}
	}
	/* Then directives and macros, which comments and literals hide. */
	while (p < end) {
		char c = *p;

		if (is_ident_start(c)) {
			const char *w = p;

			while (p < end && is_ident_char(*p))
				p++;
			/* L"..." and L'...' are literals, seen next. */
			if (p - w == 1 && *w == 'L' && p < end &&
			    (*p == '"' || *p == '\''))
				continue;
			if (maybe_predefined(w, (size_t)(p - w)) ||
			    user_macro(o, w, (size_t)(p - w)))
				return true;
			continue;
		}
		if (c >= '0' && c <= '9') {
			/* A number's suffix is not an identifier. */
			while (p < end && (is_ident_char(*p) || *p == '.'))
				p++;
			continue;
		}
		if (c == '"' || c == '\'' ||
		    (c == '/' && p + 1 < end && (p[1] == '*' || p[1] == '/'))) {
			p = skip_opaque(p, end);
			if (!p)
				return true;
			continue;
		}
		if (c == '#' || (c == '%' && p + 1 < end && p[1] == ':'))
			return true;	/* a directive, or # and ## */
		p++;
	}
	return false;
}

/*
 * @name as execvp() would find it on $PATH, resolved here so that a
 * missing preprocessor is reported once and the cache can tell one
 * preprocessor from another.  Malloc'd, or NULL with errno set.
 */
static char *find_program(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	int err = ENOENT;

	if (!name) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(name, '/'))
		return strdup(name);
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p = colon + 1) {
		struct stat st;
		size_t n;
		char *cand;

		colon = strchr(p, ':');
		n = colon ? (size_t)(colon - p) : strlen(p);
		if (asprintf(&cand, "%.*s%s%s", (int)n, p, n ? "/" : "",
			     name) < 0)
			return NULL;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0)
				return cand;
			err = EACCES;
		}
		free(cand);
		if (!colon)
			break;
	}
	errno = err;
	return NULL;
}

/* What a cached output depends on besides the files it names. */
static const char *const key_env[] = {
	"CPATH", "C_INCLUDE_PATH", "GCC_EXEC_PREFIX", "COMPILER_PATH",
	"SOURCE_DATE_EPOCH", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES",
};

static char *build_key(const char *prog, const char *const *argv,
		       const char *path, size_t *len)
{
	struct stat st;
	char *key = NULL, *cwd;
	FILE *fp;

	if (stat(prog, &st))
		return NULL;
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	fp = open_memstream(&key, len);
	if (!fp) {
		free(cwd);
		return NULL;
	}
	fprintf(fp, "qrpc-idl cpp 1%c%s%c%llu %llu %llu %lld.%ld %lld.%ld%c",
		0, prog, 0, (unsigned long long)st.st_dev,
		(unsigned long long)st.st_ino,
		(unsigned long long)st.st_size,
		(long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		(long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec, 0);
	for (unsigned i = 0; argv[i]; i++)
		fprintf(fp, "arg %s%c", argv[i], 0);
	fprintf(fp, "file %s%ccwd %s%c", path, 0, cwd, 0);
	for (size_t i = 0; i < sizeof(key_env) / sizeof(key_env[0]); i++) {
		const char *v = getenv(key_env[i]);

		if (v)
			fprintf(fp, "env %s=%s%c", key_env[i], v, 0);
	}
	free(cwd);
	if (fclose(fp)) {
		free(key);
		return NULL;
	}
	return key;
}

/* A preprocessor that writes dependency files must run every time. */
static bool may_cache(const struct cpp_options *o, const struct stat *st)
{
	return o->cache_dir && st && !getenv("DEPENDENCIES_OUTPUT") &&
	       !getenv("SUNPRO_DEPENDENCIES");
}

/* The include path a cached output also depends on: -I and -iquote. */
static void put_in_cache(const struct cpp_options *o, const char *key,
			 size_t key_len, const char *path,
			 const struct stat *st, const char *dir,
			 const struct out_buf *out, const struct out_buf *err)
{
	const char **dirs = calloc(o->n_args + 1, sizeof(*dirs));
	unsigned n = 0;

	if (!dirs)
		return;
	dirs[n++] = dir;
	for (unsigned i = 0; i < o->n_args; i++)
		if (!strncmp(o->args[i], "-I", 2) && o->args[i][2])
			dirs[n++] = o->args[i] + 2;
	cpp_cache_put(o->cache_dir, key, key_len, path, st, dirs, n,
		      out->data, out->len, err->data ? err->data : "",
		      err->len);
	free(dirs);
}

static void replay(const char *s, size_t len)
{
	if (len) {
		fwrite(s, 1, len, stderr);
		fflush(stderr);
	}
}

int cpp_run(const struct cpp_options *o, struct diag *d, const char *path,
	    const char *text, size_t len, const struct stat *input_st,
	    char **out, size_t *out_len)
{
	const char *cmd = o->cmd ? o->cmd : "cpp";
	struct src_loc loc = { .file = path, .line = 0, .col = 0 };
	char **words = NULL, *storage = NULL, *dir = NULL, *prefix = NULL;
	char *prog = NULL, *key = NULL;
	const char **argv = NULL;
	int in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
	int err_pipe[2] = { -1, -1 };
	struct out_buf b[2] = { 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	posix_spawn_file_actions_t fa;
	bool cache = may_cache(o, input_st), fa_made = false;
	unsigned n_words;
	size_t prefix_len = 0, key_len = 0;
	int status, err, ret = -1;
	pid_t pid;

	*out = NULL;
	*out_len = 0;
	n_words = cpp_split_command(cmd, &words, &storage);
	if (!n_words || !words) {
		diag_error(d, NULL, 1005, "no C preprocessor command given");
		return -1;
	}
	prog = find_program(words[0]);
	if (!prog) {
		diag_error(d, &loc, errno == ENOENT ? 1005 : 1004,
			   "cannot execute C preprocessor '%s': %s", words[0],
			   strerror(errno));
		goto out;
	}
	dir = dir_of(path);
	prefix = make_prefix(path, &prefix_len);
	argv = dir && prefix ? build_argv(o, words, n_words, dir) : NULL;
	if (argv && cache) {
		struct cpp_cache_entry e;

		key = build_key(prog, argv, path, &key_len);
		if (key && !cpp_cache_get(o->cache_dir, key, key_len, &e)) {
			replay(e.err, e.err_len);
			free(e.err);
			*out = e.out;
			*out_len = e.out_len;
			ret = 0;
			goto out;
		}
		cache = key != NULL;
	}
	if (!argv || pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) ||
	    (cache && pipe2(err_pipe, O_CLOEXEC)) ||
	    posix_spawn_file_actions_init(&fa)) {
		diag_error(d, &loc, 1004, "cannot run the C preprocessor: %s",
			   strerror(errno ? errno : ENOMEM));
		goto out;
	}
	fa_made = true;
	/* When cached, its messages are kept to be shown again on a hit. */
	if (posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0) ||
	    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1) ||
	    (cache && posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2))) {
		diag_error(d, &loc, 1004, "cannot run the C preprocessor: %s",
			   strerror(ENOMEM));
		goto out;
	}
	fflush(NULL);
	err = posix_spawn(&pid, prog, &fa, NULL, (char *const *)argv, environ);
	if (err) {
		diag_error(d, &loc, err == ENOENT ? 1005 : 1004,
			   "cannot execute C preprocessor '%s': %s", argv[0],
			   strerror(err));
		goto out;
	}
	close(in_pipe[0]);
	close(out_pipe[1]);
	in_pipe[0] = out_pipe[1] = -1;
	if (cache) {
		close(err_pipe[1]);
		err_pipe[1] = -1;
	}

	sigaction(SIGPIPE, &ign, &old_pipe);
	{
		const char *parts[2] = { prefix, text };
		const size_t lens[2] = { prefix_len, len };
		int rfd[2] = { out_pipe[0], err_pipe[0] };

		ret = pump(in_pipe[1], rfd, b, cache ? 2 : 1, parts, lens);
	}
	sigaction(SIGPIPE, &old_pipe, NULL);
	in_pipe[1] = out_pipe[0] = err_pipe[0] = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	replay(b[1].data, b[1].len);
	if (WIFSIGNALED(status)) {
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
	if (!ret && out_reserve(&b[0], 0) == 0) {
		b[0].data[b[0].len] = '\0';
		if (cache)
			put_in_cache(o, key, key_len, path, input_st, dir,
				     &b[0], &b[1]);
		*out = b[0].data;
		*out_len = b[0].len;
		b[0].data = NULL;
	} else {
		ret = -1;
	}
out:
	if (fa_made)
		posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 2; i++) {
		if (in_pipe[i] >= 0)
			close(in_pipe[i]);
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	free(b[0].data);
	free(b[1].data);
	free(key);
	free(prog);
	free(argv);
	free(prefix);
	free(dir);
	free(words);
	free(storage);
	return ret;
}
