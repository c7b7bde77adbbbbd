// SPDX-License-Identifier: GPL-2.0
/*
 * Driving the stages.  Every text a tree may point into (file contents,
 * preprocessor output) is kept until frontend_fini(): tokens and
 * literals refer to it.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "acf.h"
#include "cpp_lite.h"
#include "frontend.h"
#include "parser.h"

/* Files already imported or being imported, by canonical name. */
struct seen_file {
	char *key;
	char *given;		/* the path it was found by */
	struct idl_file *file;	/* NULL while it is being parsed */
	struct seen_file *next;
};

struct text_buf {
	char *data;
	struct text_buf *next;
};

void frontend_init(struct frontend *fe, struct diag *d,
		   const struct frontend_options *o)
{
	memset(fe, 0, sizeof(*fe));
	arena_init(&fe->arena);
	fe->ast.arena = &fe->arena;
	fe->diag = d;
	fe->opts = o;
}

void frontend_fini(struct frontend *fe)
{
	struct seen_file *s, *sn;
	struct text_buf *t, *tn;

	for (s = fe->seen; s; s = sn) {
		sn = s->next;
		free(s->key);
		free(s->given);
		free(s);
	}
	for (t = fe->texts; t; t = tn) {
		tn = t->next;
		free(t->data);
		free(t);
	}
	arena_free(&fe->arena);
	memset(&fe->ast, 0, sizeof(fe->ast));
	fe->seen = NULL;
	fe->texts = NULL;
}

/*
 * Keep @data until the compilation ends; 0, or -1 (and @data freed, a
 * diagnostic given) if there is no memory to keep it.
 */
static int keep_text(struct frontend *fe, char *data)
{
	struct text_buf *t = malloc(sizeof(*t));

	if (!t) {
		free(data);
		diag_error(fe->diag, NULL, 0, "out of memory");
		return -1;
	}
	t->data = data;
	t->next = fe->texts;
	fe->texts = t;
	return 0;
}

static const struct mem_file *find_mem(struct frontend *fe, const char *name)
{
	for (unsigned i = 0; i < fe->opts->n_mem_files; i++)
		if (!strcmp(fe->opts->mem_files[i].name, name))
			return &fe->opts->mem_files[i];
	return NULL;
}

static bool file_exists(struct frontend *fe, const char *path)
{
	struct stat st;

	if (find_mem(fe, path))
		return true;
	if (fe->opts->no_disk)
		return false;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Read @path whole into a malloc'd, NUL-terminated buffer; *st is its
 * stat as opened, *have_st false for a memory file.  Returns NULL with
 * errno set on failure.
 */
static char *read_file(struct frontend *fe, const char *path, size_t *len,
		       struct stat *st, bool *have_st)
{
	const struct mem_file *m = find_mem(fe, path);
	size_t cap = 0, n;
	char *buf = NULL, *nb;
	FILE *fp;

	*len = 0;
	*have_st = false;
	if (m) {
		buf = malloc(m->len + 1);
		if (!buf)
			return NULL;
		memcpy(buf, m->data, m->len);
		buf[m->len] = '\0';
		*len = m->len;
		return buf;
	}
	if (fe->opts->no_disk) {
		errno = ENOENT;
		return NULL;
	}
	fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	*have_st = fstat(fileno(fp), st) == 0;
	/* Room for the whole file at once, when its size is known. */
	if (*have_st && S_ISREG(st->st_mode) && st->st_size >= 0 &&
	    (uint64_t)st->st_size < SIZE_MAX / 2) {
		cap = (size_t)st->st_size + 2;
		buf = malloc(cap);
		if (!buf) {
			fclose(fp);
			errno = ENOMEM;
			return NULL;
		}
	}
	for (;;) {
		if (*len + 1 >= cap) {
			cap = cap ? cap * 2 : (size_t)65536 * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(fp);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len - 1, fp);
		if (!n)
			break;
		*len += n;
	}
	if (ferror(fp)) {
		free(buf);
		fclose(fp);
		errno = EIO;
		return NULL;
	}
	fclose(fp);
	if (!buf) {
		buf = malloc(1);
		if (!buf)
			return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

/*
 * Read and preprocess @path; the text to lex comes back in *text
 * (owned by fe).  DOS editors end files with ^Z (0x1A), which cpp and
 * the lexer would see as a stray character: it is dropped first.  Every
 * file read from disk goes through the preprocessor cache: imports are
 * shared by many compilations, and a file compiled is often imported by
 * another (an edited one just replaces its entry).
 */
static int load(struct frontend *fe, const char *path,
		const struct src_loc *from, const char **text, size_t *len,
		bool *raw_text)
{
	struct src_loc loc = { .file = path };
	size_t raw_len, out_len;
	char *raw, *out;
	struct stat st;
	bool have_st;

	*raw_text = false;
	raw = read_file(fe, path, &raw_len, &st, &have_st);
	if (!raw) {
		diag_error(fe->diag, from ? from : &loc, 1001,
			   "cannot open input file '%s': %s", path,
			   strerror(errno));
		return -1;
	}
	while (raw_len && raw[raw_len - 1] == 0x1a)
		raw[--raw_len] = '\0';
	if (keep_text(fe, raw))
		return -1;
	if (find_mem(fe, path))
		diag_set_source(fe->diag, path, raw, raw_len);
	if (fe->opts->no_cpp || !cpp_needed(&fe->opts->cpp, raw, raw_len))
		goto as_is;
	switch (cpp_lite(&fe->opts->cpp, raw, raw_len, &out, &out_len)) {
	case CPP_LITE_DONE:
		if (keep_text(fe, out))
			return -1;
		*text = out;
		*len = out_len;
		return 0;
	case CPP_LITE_NO_MEMORY:
		diag_error(fe->diag, &loc, 1001, "cannot preprocess '%s': %s",
			   path, strerror(ENOMEM));
		return -1;
	case CPP_LITE_DECLINED:
		break;
	}
	if (fe->opts->cpp_lite_only)
		goto as_is;
	if (cpp_run(&fe->opts->cpp, fe->diag, path, raw, raw_len,
		    have_st ? &st : NULL, &out, &out_len))
		return -1;
	if (keep_text(fe, out))
		return -1;
	*text = out;
	*len = out_len;
	return 0;
as_is:
	*text = raw;
	*len = raw_len;
	*raw_text = true;
	return 0;
}

static char *canonical(struct frontend *fe, const char *path)
{
	char *r;

	if (find_mem(fe, path) || fe->opts->no_disk)
		return strdup(path);
	r = realpath(path, NULL);
	return r ? r : strdup(path);
}

static struct seen_file *mark_seen(struct frontend *fe, const char *path)
{
	struct seen_file *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->key = canonical(fe, path);
	s->given = strdup(path);
	if (!s->key || !s->given) {
		free(s->key);
		free(s->given);
		free(s);
		return NULL;
	}
	s->next = fe->seen;
	fe->seen = s;
	return s;
}

static struct seen_file *find_seen(struct frontend *fe, const char *path)
{
	struct seen_file *s;
	char *key;

	/* Most imports name a file as others did: no realpath() then. */
	for (s = fe->seen; s; s = s->next)
		if (!strcmp(s->given, path))
			return s;
	key = canonical(fe, path);
	if (!key)
		return NULL;
	for (s = fe->seen; s; s = s->next)
		if (!strcmp(s->key, key))
			break;
	free(key);
	return s;
}

static char *join(const char *dir, const char *name)
{
	char *s;

	if (asprintf(&s, "%s/%s", dir, name) < 0)
		return NULL;
	return s;
}

/* The importing file's directory first, then the -I directories. */
static char *find_import(struct frontend *fe, const char *name,
			 const char *from_file)
{
	char *cand;

	if (name[0] == '/')
		return file_exists(fe, name) ? strdup(name) : NULL;
	if (from_file) {
		const char *slash = strrchr(from_file, '/');

		if (slash) {
			char *dir = strndup(from_file,
					    (size_t)(slash - from_file));

			cand = dir ? join(dir, name) : NULL;
			free(dir);
		} else {
			cand = strdup(name);
		}
		if (cand && file_exists(fe, cand))
			return cand;
		free(cand);
	}
	for (unsigned i = 0; i < fe->opts->n_include_dirs; i++) {
		cand = join(fe->opts->include_dirs[i], name);
		if (cand && file_exists(fe, cand))
			return cand;
		free(cand);
	}
	if (file_exists(fe, name))
		return strdup(name);
	return NULL;
}

static struct idl_file *parse_file(struct frontend *fe, const char *path,
				   const struct src_loc *from,
				   bool imported);

static struct idl_file *import_file(void *ctx, const char *name,
				    const struct src_loc *loc)
{
	struct frontend *fe = ctx;
	struct idl_file *f;
	struct seen_file *s;
	char *path;

	path = find_import(fe, name, loc->file);
	if (!path) {
		diag_error(fe->diag, loc, 1001, "cannot find import file '%s'",
			   name);
		return NULL;
	}
	s = find_seen(fe, path);
	if (s) {
		/* MIDL2007: importing again is a no-op; a cycle ends here. */
		free(path);
		return s->file;
	}
	if (fe->import_depth >= FRONTEND_MAX_IMPORT_DEPTH) {
		diag_error(fe->diag, loc, 0,
			   "imports nested too deeply (more than %d)",
			   FRONTEND_MAX_IMPORT_DEPTH);
		free(path);
		return NULL;
	}
	fe->import_depth++;
	f = parse_file(fe, path, loc, true);
	fe->import_depth--;
	free(path);
	return f;
}

static struct idl_file *parse_file(struct frontend *fe, const char *path,
				   const struct src_loc *from, bool imported)
{
	struct import_hook hook = { .import = import_file, .ctx = fe };
	struct seen_file *s = mark_seen(fe, path);
	struct idl_file *f;
	const char *text;
	size_t len;
	bool raw;

	if (load(fe, path, from, &text, &len, &raw))
		return NULL;
	f = parse_idl(&fe->ast, fe->diag, text, len, path, raw, imported,
		      &hook);
	if (s)
		s->file = f;
	return f;
}

/* foo.idl -> foo.acf, or NULL. */
static char *default_acf(const char *idl)
{
	const char *slash = strrchr(idl, '/');
	const char *dot = strrchr(idl, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - idl) :
		      strlen(idl);
	char *s = malloc(stem + 5);

	if (!s)
		return NULL;
	memcpy(s, idl, stem);
	memcpy(s + stem, ".acf", 4);
	s[stem + 4] = '\0';
	return s;
}

int frontend_run(struct frontend *fe, const char *path)
{
	const struct frontend_options *o = fe->opts;
	char *acf = NULL;

	fe->ast.main = parse_file(fe, path, NULL, false);
	if (!fe->ast.main || diag_stopped(fe->diag))
		return -1;
	if (o->acf_path) {
		acf = strdup(o->acf_path);
	} else if (!o->no_acf) {
		acf = default_acf(path);
		if (acf && (!strcmp(acf, path) || !file_exists(fe, acf))) {
			free(acf);
			acf = NULL;
		}
	}
	if (acf) {
		const char *text;
		size_t len;
		bool raw;

		if (!load(fe, acf, NULL, &text, &len, &raw))
			acf_apply(&fe->ast, fe->diag, text, len, acf, raw,
				  o->acf_explicit);
		free(acf);
	}
	return fe->diag->errors ? -1 : 0;
}
