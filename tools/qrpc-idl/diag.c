// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnostic printing, counting and the -W switches.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct diag_file {
	struct diag_file *next;
	char *name;
	char *text;		/* NULL: the file could not be read */
	size_t len;
	size_t *line_off;	/* start of each line */
	unsigned n_lines;
};

static const char *const warning_names[W__COUNT] = {
	[W_GENERAL] = "general",
	[W_UNKNOWN_PRAGMA] = "unknown-pragma",
	[W_IMPORT] = "import",
	[W_ACF] = "acf",
	[W_SYNTAX] = "syntax",
};

void diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
	d->caret = true;
	for (int i = 0; i < W__COUNT; i++)
		d->enabled[i] = true;
}

void diag_fini(struct diag *d)
{
	struct diag_file *f = d->files, *next;

	for (; f; f = next) {
		next = f->next;
		free(f->name);
		free(f->text);
		free(f->line_off);
		free(f);
	}
	d->files = NULL;
}

static int warning_by_name(const char *name)
{
	for (int i = 0; i < W__COUNT; i++)
		if (!strcmp(name, warning_names[i]))
			return i;
	return -1;
}

int diag_option(struct diag *d, const char *opt)
{
	bool no = false;
	int w;

	if (!strcmp(opt, "w")) {
		d->no_warnings = true;
		return 0;
	}
	if (!strcmp(opt, "error")) {
		d->werror = true;
		return 0;
	}
	if (!strcmp(opt, "no-error")) {
		d->werror = false;
		return 0;
	}
	if (!strcmp(opt, "all") || !strcmp(opt, "extra")) {
		for (int i = 0; i < W__COUNT; i++)
			d->enabled[i] = true;
		return 0;
	}
	if (!strncmp(opt, "error=", 6)) {
		w = warning_by_name(opt + 6);
		if (w < 0)
			return -1;
		d->enabled[w] = true;
		d->as_error[w] = true;
		return 0;
	}
	if (!strncmp(opt, "no-error=", 9)) {
		w = warning_by_name(opt + 9);
		if (w < 0)
			return -1;
		d->as_error[w] = false;
		return 0;
	}
	if (!strncmp(opt, "no-", 3)) {
		no = true;
		opt += 3;
	}
	w = warning_by_name(opt);
	if (w < 0)
		return -1;
	d->enabled[w] = !no;
	return 0;
}

static void index_lines(struct diag_file *f)
{
	unsigned n = 1;
	size_t i;

	for (i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			n++;
	f->line_off = malloc(sizeof(*f->line_off) * (n + 1));
	if (!f->line_off) {
		f->n_lines = 0;
		return;
	}
	n = 0;
	f->line_off[n++] = 0;
	for (i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			f->line_off[n++] = i + 1;
	f->line_off[n] = f->len + 1;	/* sentinel: past the end */
	f->n_lines = n;
}

static struct diag_file *new_file(struct diag *d, const char *name)
{
	struct diag_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->name = strdup(name);
	if (!f->name) {
		free(f);
		return NULL;
	}
	f->next = d->files;
	d->files = f;
	return f;
}

void diag_set_source(struct diag *d, const char *name, const char *text,
		     size_t len)
{
	struct diag_file *f;

	for (f = d->files; f; f = f->next)
		if (!strcmp(f->name, name))
			break;
	if (!f)
		f = new_file(d, name);
	if (!f)
		return;
	free(f->text);
	free(f->line_off);
	f->line_off = NULL;
	f->n_lines = 0;
	f->text = malloc(len + 1);
	if (!f->text)
		return;
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
	index_lines(f);
}

static void read_whole(struct diag_file *f)
{
	FILE *fp = fopen(f->name, "rb");
	size_t cap = 0, n;
	char *buf = NULL, *nb;

	if (!fp)
		return;
	for (;;) {
		if (f->len + 4096 + 1 > cap) {
			cap = (cap ? cap * 2 : 8192) + 4096;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		n = fread(buf + f->len, 1, cap - f->len - 1, fp);
		if (!n)
			break;
		f->len += n;
	}
	fclose(fp);
	if (!buf)
		return;
	buf[f->len] = '\0';
	f->text = buf;
	index_lines(f);
}

const char *diag_source_line(struct diag *d, const char *file,
			     unsigned line, size_t *len)
{
	struct diag_file *f;
	size_t start, end;

	if (!file || !line)
		return NULL;
	/*
	 * The lexer asks for every line of a file in turn: the file found
	 * moves to the front, so the next lookup is one comparison.
	 */
	for (struct diag_file **pp = &d->files; (f = *pp); pp = &f->next) {
		if (f->name != file && strcmp(f->name, file) != 0)
			continue;
		*pp = f->next;
		f->next = d->files;
		d->files = f;
		break;
	}
	if (!f) {
		/* Names like "<stdin>" and "<built-in>" are not files. */
		f = new_file(d, file);
		if (!f)
			return NULL;
		if (file[0] != '<')
			read_whole(f);
	}
	if (!f->text || line > f->n_lines)
		return NULL;
	start = f->line_off[line - 1];
	end = f->line_off[line] - 1;	/* the newline, or the end */
	if (end > f->len)
		end = f->len;
	if (end > start && f->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->text + start;
}

void diag_midl_warning_state(struct diag *d, int midl, bool enable)
{
	unsigned i;

	for (i = 0; i < d->n_midl_disabled; i++)
		if (d->midl_disabled[i] == midl)
			break;
	if (enable) {
		if (i < d->n_midl_disabled)
			d->midl_disabled[i] =
				d->midl_disabled[--d->n_midl_disabled];
	} else if (i == d->n_midl_disabled &&
		   d->n_midl_disabled < DIAG_MAX_MIDL_DISABLED) {
		d->midl_disabled[d->n_midl_disabled++] = midl;
	}
}

static void print_caret(struct diag *d, const struct src_loc *loc)
{
	const char *text;
	size_t len, i, col;

	if (!d->caret || !loc || !loc->file)
		return;
	text = diag_source_line(d, loc->file, loc->line, &len);
	if (!text)
		return;
	fprintf(d->out, " %5u | %.*s\n       | ", loc->line, (int)len, text);
	/* Copy tabs from the line so the caret lines up in any tab width. */
	col = loc->col ? loc->col - 1 : 0;
	for (i = 0; i < col && i < len; i++)
		fputc(text[i] == '\t' ? '\t' : ' ', d->out);
	for (; i < col; i++)
		fputc(' ', d->out);
	fputs("^\n", d->out);
}

static void emit(struct diag *d, const struct src_loc *loc, const char *kind,
		 int midl, const char *wname, const char *fmt, va_list ap)
{
	if (loc && loc->file) {
		/* Line 0 stands for the whole file, as gcc prints it. */
		fprintf(d->out, "%s:", loc->file);
		if (loc->line)
			fprintf(d->out, "%u:", loc->line);
		if (loc->line && loc->col)
			fprintf(d->out, "%u:", loc->col);
		fputc(' ', d->out);
	} else {
		fputs("qrpc-idl: ", d->out);
	}
	fprintf(d->out, "%s: ", kind);
	vfprintf(d->out, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized): every caller va_starts it; clang 14 misses that after the first file of a run
	if (midl)
		fprintf(d->out, " [MIDL%04d]", midl);
	if (wname)
		fprintf(d->out, " [%s]", wname);
	fputc('\n', d->out);
	print_caret(d, loc);
}

static void count_error(struct diag *d)
{
	d->errors++;
	if (d->max_errors && d->errors >= d->max_errors) {
		fprintf(d->out,
			"compilation terminated due to -fmax-errors=%u.\n",
			d->max_errors);
		d->stopped = true;
	}
}

void diag_error(struct diag *d, const struct src_loc *loc, int midl,
		const char *fmt, ...)
{
	va_list ap;

	if (d->stopped)
		return;
	d->suppress_notes = false;
	va_start(ap, fmt);
	emit(d, loc, "error", midl, NULL, fmt, ap);
	va_end(ap);
	count_error(d);
}

void diag_warning(struct diag *d, const struct src_loc *loc,
		  enum diag_warning w, int midl, const char *fmt, ...)
{
	char wname[64];
	bool err;
	va_list ap;

	if (d->stopped)
		return;
	d->suppress_notes = true;
	if (d->no_warnings || !d->enabled[w])
		return;
	for (unsigned i = 0; midl && i < d->n_midl_disabled; i++)
		if (d->midl_disabled[i] == midl)
			return;
	d->suppress_notes = false;
	err = d->werror || d->as_error[w];
	snprintf(wname, sizeof(wname), "-W%s%s", err ? "error=" : "",
		 warning_names[w]);
	va_start(ap, fmt);
	emit(d, loc, err ? "error" : "warning", midl, wname, fmt, ap);
	va_end(ap);
	if (err)
		count_error(d);
	else
		d->warnings++;
}

void diag_note(struct diag *d, const struct src_loc *loc,
	       const char *fmt, ...)
{
	va_list ap;

	if (d->stopped || d->suppress_notes)
		return;
	va_start(ap, fmt);
	emit(d, loc, "note", 0, NULL, fmt, ap);
	va_end(ap);
}
