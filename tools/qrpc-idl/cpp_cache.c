// SPDX-License-Identifier: GPL-2.0
/*
 * The store behind cpp_cache.h.  An entry file is text framing around
 * counted byte strings, so that any byte may appear in the key, a path
 * or the output:
 *
 *	QRPC-IDL-CPP-CACHE 1
 *	K <len>\n<key bytes>\n
 *	D <dev> <ino> <size> <mtime s> <ns> <ctime s> <ns> <type> <len>\n<path>\n
 *	...
 *	E <len>\n<messages>\n
 *	O <len>\n<output>\n
 *	END\n
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpp_cache.h"

#define MAGIC "QRPC-IDL-CPP-CACHE 1\n"
/* Larger entries are not read back: no import preprocesses to this. */
#define MAX_ENTRY ((size_t)256 << 20)

struct cursor {
	const char *p, *end;
};

static bool parse_u64(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (p == end || *p < '0' || *p > '9')
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (n > (UINT64_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*s = p;
	*v = n;
	return true;
}

/*
 * The line at the cursor must be @tag followed by @n space-separated
 * numbers; they go to @v and the cursor moves past the newline.
 */
static bool parse_line(struct cursor *c, const char *tag, uint64_t *v,
		       unsigned n)
{
	size_t tl = strlen(tag);
	const char *p = c->p;

	if ((size_t)(c->end - p) < tl || memcmp(p, tag, tl) != 0)
		return false;
	p += tl;
	for (unsigned i = 0; i < n; i++) {
		if (p == c->end || *p != ' ')
			return false;
		p++;
		if (!parse_u64(&p, c->end, &v[i]))
			return false;
	}
	if (p == c->end || *p != '\n')
		return false;
	c->p = p + 1;
	return true;
}

/* @len bytes and a newline; *s points at the bytes. */
static bool parse_blob(struct cursor *c, uint64_t len, const char **s)
{
	if (len >= (uint64_t)(c->end - c->p) || c->p[len] != '\n')
		return false;
	*s = c->p;
	c->p += len + 1;
	return true;
}

static char *copy_out(const char *s, size_t len)
{
	char *r = malloc(len + 1);

	if (r) {
		memcpy(r, s, len);
		r[len] = '\0';
	}
	return r;
}

void cpp_cache_entry_free(struct cpp_cache_entry *e)
{
	free(e->out);
	free(e->err);
	memset(e, 0, sizeof(*e));
}

int cpp_cache_parse(const char *buf, size_t len, const char *key,
		    size_t key_len,
		    bool (*deps)(const struct cpp_cache_dep *dep),
		    struct cpp_cache_entry *e)
{
	struct cursor c = { .p = buf, .end = buf + len };
	const char *k, *err, *out;
	uint64_t v[9], err_len, out_len;

	memset(e, 0, sizeof(*e));
	if (len < sizeof(MAGIC) - 1 ||
	    memcmp(buf, MAGIC, sizeof(MAGIC) - 1) != 0)
		return -1;
	c.p += sizeof(MAGIC) - 1;
	if (!parse_line(&c, "K", v, 1) || !parse_blob(&c, v[0], &k))
		return -1;
	if (key && (v[0] != key_len || memcmp(k, key, key_len) != 0))
		return -1;
	while (c.p < c.end && *c.p == 'D') {
		struct cpp_cache_dep d = { 0 };
		char path[PATH_MAX];
		const char *s;

		if (!parse_line(&c, "D", v, 9) || !parse_blob(&c, v[8], &s))
			return -1;
		if (v[8] == 0 || v[8] >= sizeof(path) || memchr(s, 0, v[8]))
			return -1;
		memcpy(path, s, v[8]);
		path[v[8]] = '\0';
		d.path = path;
		d.st.st_dev = (dev_t)v[0];
		d.st.st_ino = (ino_t)v[1];
		d.st.st_size = (off_t)v[2];
		d.st.st_mtim.tv_sec = (time_t)v[3];
		d.st.st_mtim.tv_nsec = (long)v[4];
		d.st.st_ctim.tv_sec = (time_t)v[5];
		d.st.st_ctim.tv_nsec = (long)v[6];
		d.st.st_mode = (mode_t)v[7];
		if (deps && !deps(&d))
			return -1;
	}
	if (!parse_line(&c, "E", &err_len, 1) ||
	    !parse_blob(&c, err_len, &err) ||
	    !parse_line(&c, "O", &out_len, 1) ||
	    !parse_blob(&c, out_len, &out))
		return -1;
	if ((size_t)(c.end - c.p) != 4 || memcmp(c.p, "END\n", 4) != 0)
		return -1;
	e->err = copy_out(err, err_len);
	e->out = copy_out(out, out_len);
	if (!e->err || !e->out) {
		cpp_cache_entry_free(e);
		return -1;
	}
	e->err_len = err_len;
	e->out_len = out_len;
	return 0;
}

/* A dependency is unchanged if it is the same inode, untouched since. */
static bool same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       (a->st_mode & S_IFMT) == (b->st_mode & S_IFMT) &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static bool dep_unchanged(const struct cpp_cache_dep *d)
{
	struct stat now;

	return stat(d->path, &now) == 0 && same_stat(&now, &d->st);
}

/* FNV-1a: it only spreads entries over names; the key decides. */
static uint64_t key_hash(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * DIR/v1/hhhhhhhhhhhhhhhh, or DIR/v1 itself when @dir_only.  One flat
 * directory: creating a few hundred subdirectories made ext4 spread the
 * entries' inodes over its block groups, which cost more than the
 * lookups they were meant to save.
 */
static char *entry_path(const char *dir, const char *key, size_t len,
			bool dir_only)
{
	char *s;

	if ((dir_only ? asprintf(&s, "%s/v1", dir) :
			asprintf(&s, "%s/v1/%016llx", dir,
				 (unsigned long long)key_hash(key, len))) < 0)
		return NULL;
	return s;
}

static char *read_all(const char *path, size_t *len)
{
	struct stat st;
	size_t n = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > MAX_ENTRY) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf && n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			buf = NULL;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

int cpp_cache_get(const char *dir, const char *key, size_t key_len,
		  struct cpp_cache_entry *e)
{
	char *path = entry_path(dir, key, key_len, false), *buf;
	size_t len = 0;
	int ret;

	memset(e, 0, sizeof(*e));
	buf = path ? read_all(path, &len) : NULL;
	free(path);
	if (!buf)
		return -1;
	ret = cpp_cache_parse(buf, len, key, key_len, dep_unchanged, e);
	free(buf);
	return ret;
}

/* ---- writing */

struct dep_list {
	struct cpp_cache_dep *v;
	unsigned n, cap;
	bool failed;		/* a dependency could not be recorded */
	time_t now;
	const char *input;
};

static bool dep_known(const struct dep_list *l, const char *path)
{
	for (unsigned i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return true;
	return false;
}

/* Record @path with @st, or stat it now when @st is NULL. */
static void dep_add(struct dep_list *l, const char *path,
		    const struct stat *st)
{
	struct cpp_cache_dep d;

	if (l->failed || dep_known(l, path))
		return;
	if (st)
		d.st = *st;
	else if (stat(path, &d.st))
		goto fail;
	/* Changed within the last tick: a later change could look equal. */
	if (d.st.st_mtim.tv_sec >= l->now - 1 ||
	    d.st.st_ctim.tv_sec >= l->now - 1)
		goto fail;
	if (l->n == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 16;
		struct cpp_cache_dep *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			goto fail;
		l->v = nv;
		l->cap = cap;
	}
	d.path = strdup(path);
	if (!d.path)
		goto fail;
	l->v[l->n++] = d;
	return;
fail:
	l->failed = true;
}

static void dep_add_dir_of(struct dep_list *l, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir) {
		l->failed = true;
		return;
	}
	dep_add(l, dir, NULL);
	free(dir);
}

static void add_marked(void *ctx, const char *name)
{
	struct dep_list *l = ctx;

	if (strcmp(name, l->input) != 0)
		dep_add(l, name, NULL);
}

static bool write_blob(FILE *fp, const char *tag, const char *s, size_t len)
{
	return fprintf(fp, "%s %zu\n", tag, len) > 0 &&
	       fwrite(s, 1, len, fp) == len && fputc('\n', fp) != EOF;
}

static bool write_entry(FILE *fp, const struct dep_list *l, const char *key,
			size_t key_len, const char *out, size_t out_len,
			const char *err, size_t err_len)
{
	if (fputs(MAGIC, fp) == EOF || !write_blob(fp, "K", key, key_len))
		return false;
	for (unsigned i = 0; i < l->n; i++) {
		const struct stat *st = &l->v[i].st;
		size_t n = strlen(l->v[i].path);

		if (fprintf(fp, "D %llu %llu %llu %llu %llu %llu %llu %u %zu\n",
			    (unsigned long long)st->st_dev,
			    (unsigned long long)st->st_ino,
			    (unsigned long long)st->st_size,
			    (unsigned long long)st->st_mtim.tv_sec,
			    (unsigned long long)st->st_mtim.tv_nsec,
			    (unsigned long long)st->st_ctim.tv_sec,
			    (unsigned long long)st->st_ctim.tv_nsec,
			    (unsigned)(st->st_mode & S_IFMT), n) < 0 ||
		    fwrite(l->v[i].path, 1, n, fp) != n || fputc('\n', fp) == EOF)
			return false;
	}
	return write_blob(fp, "E", err, err_len) &&
	       write_blob(fp, "O", out, out_len) && fputs("END\n", fp) != EOF;
}

/* mkdir -p: $XDG_CACHE_HOME or ~/.cache may not exist yet. */
static int mkdir_p(const char *dir)
{
	char *s = strdup(dir);
	int ret = -1;

	if (!s)
		return -1;
	for (char *p = s + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0777) && errno != EEXIST)
			goto out;
		*p = '/';
	}
	ret = mkdir(s, 0777) && errno != EEXIST ? -1 : 0;
out:
	free(s);
	return ret;
}

/* A temporary file in @sub, making @dir and @sub first if need be. */
static int make_temp(const char *dir, const char *sub, char *tmp)
{
	int fd = mkstemp(tmp);

	if (fd >= 0 || errno != ENOENT)
		return fd;
	if (mkdir(dir, 0777) && errno != EEXIST && mkdir_p(dir))
		return -1;
	if (mkdir(sub, 0777) && errno != EEXIST)
		return -1;
	/* mkstemp() may have filled the template in: put it back. */
	memset(tmp + strlen(tmp) - 6, 'X', 6);
	return mkstemp(tmp);
}

void cpp_cache_put(const char *dir, const char *key, size_t key_len,
		   const char *input, const struct stat *input_st,
		   const char *const *dirs, unsigned n_dirs,
		   const char *out, size_t out_len,
		   const char *err, size_t err_len)
{
	struct dep_list l = { .now = time(NULL), .input = input };
	char *sub = NULL, *path = NULL, *tmp = NULL;
	unsigned n_files;
	FILE *fp;
	int fd;

	dep_add(&l, input, input_st);
	cpp_cache_marked_files(out, out_len, add_marked, &l);
	n_files = l.n;
	for (unsigned i = 0; i < n_files && !l.failed; i++)
		dep_add_dir_of(&l, l.v[i].path);
	for (unsigned i = 0; i < n_dirs && !l.failed; i++)
		dep_add(&l, dirs[i], NULL);
	if (l.failed)
		goto out;
	sub = entry_path(dir, key, key_len, true);
	path = entry_path(dir, key, key_len, false);
	if (!sub || !path || asprintf(&tmp, "%s/.tmp-XXXXXX", sub) < 0) {
		tmp = NULL;
		goto out;
	}
	fd = make_temp(dir, sub, tmp);
	if (fd < 0)
		goto out;
	fp = fdopen(fd, "wb");
	if (!fp) {
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (!write_entry(fp, &l, key, key_len, out, out_len, err, err_len) ||
	    fclose(fp) == EOF || rename(tmp, path))
		unlink(tmp);
out:
	for (unsigned i = 0; i < l.n; i++)
		free((char *)l.v[i].path);
	free(l.v);
	free(tmp);
	free(path);
	free(sub);
}

/* ---- line markers */

/*
 * Unquote the name of a marker "# N "name" ..." starting at @p (after
 * the opening quote) into @buf; false if it is not well formed.
 */
static bool unquote(const char *p, const char *end, char *buf, size_t cap)
{
	size_t n = 0;

	while (p < end && *p != '"' && *p != '\n') {
		char ch = *p++;

		if (ch == '\\' && p < end) {
			if (*p >= '0' && *p <= '7') {
				unsigned v = 0;

				for (int i = 0; i < 3 && p < end &&
				     *p >= '0' && *p <= '7'; i++)
					v = v * 8 + (unsigned)(*p++ - '0');
				ch = (char)v;
			} else {
				ch = *p++;
			}
		}
		if (!ch || n + 1 >= cap)
			return false;
		buf[n++] = ch;
	}
	if (p == end || *p != '"')
		return false;
	buf[n] = '\0';
	return true;
}

struct name_set {
	char **v;
	unsigned n, cap;
};

static bool name_seen(struct name_set *s, const char *name)
{
	char **nv;

	for (unsigned i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return true;
	if (s->n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 16;

		nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv)
			return false;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n] = strdup(name);
	if (s->v[s->n])
		s->n++;
	return false;
}

void cpp_cache_marked_files(const char *out, size_t len,
			    void (*fn)(void *ctx, const char *name),
			    void *ctx)
{
	const char *p = out, *end = out + len;
	struct name_set seen = { 0 };
	char name[PATH_MAX];

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (!eol)
			eol = end;
		if (q + 2 < eol && q[0] == '#' && q[1] == ' ' &&
		    q[2] >= '0' && q[2] <= '9') {
			q += 2;
			while (q < eol && *q >= '0' && *q <= '9')
				q++;
			if (q + 1 < eol && q[0] == ' ' && q[1] == '"' &&
			    unquote(q + 2, eol, name, sizeof(name)) &&
			    name[0] != '<' && !name_seen(&seen, name))
				fn(ctx, name);
		}
		p = eol + (eol < end);
	}
	for (unsigned i = 0; i < seen.n; i++)
		free(seen.v[i]);
	free(seen.v);
}

char *cpp_cache_default_dir(void)
{
	const char *v = getenv("QRPC_IDL_CACHE_DIR");
	char *s;

	if (v)
		return *v ? strdup(v) : NULL;
	v = getenv("XDG_CACHE_HOME");
	if (v && v[0] == '/')
		return asprintf(&s, "%s/qrpc-idl", v) < 0 ? NULL : s;
	v = getenv("HOME");
	if (v && v[0] == '/')
		return asprintf(&s, "%s/.cache/qrpc-idl", v) < 0 ? NULL : s;
	return NULL;
}
