// SPDX-License-Identifier: GPL-2.0
/*
 * qrpc-idl: the command line.  Options follow MIDL's and widl's (-I,
 * -D, -U, -h, -c, -s, -p, --acf, --prefix-*), spelled the Unix way.
 * Exit status: 0 success, 1 errors in the input, 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cpp_cache.h"
#include "frontend.h"
#include "header.h"
#include "stub.h"

#define QRPC_IDL_VERSION "0.1"

#define EXIT_USAGE 2

static const char usage_text[] =
"Usage: qrpc-idl [OPTION]... FILE.idl\n"
"Compile a MIDL interface definition (and its ACF) for libqrpc.\n"
"\n"
"Input:\n"
"  -I DIR                 search DIR for imports and #include\n"
"  -D NAME[=VALUE]        define a preprocessor macro\n"
"  -U NAME                undefine a preprocessor macro\n"
"  --acf FILE             use FILE as the ACF (default: FILE.acf beside\n"
"                         the IDL, if it exists)\n"
"  --no-acf               do not look for the default ACF\n"
"  --cpp CMD              preprocessor command (default: cpp)\n"
"  --no-cpp               do not preprocess\n"
"  --cpp-cache=DIR        cache preprocessed files in DIR (default:\n"
"                         $QRPC_IDL_CACHE_DIR, else\n"
"                         $XDG_CACHE_HOME/qrpc-idl or ~/.cache/qrpc-idl)\n"
"  --no-cpp-cache         preprocess every file afresh\n"
"\n"
"Output:\n"
"  --syntax-only          parse and merge the ACF, nothing else\n"
"  --dump-ast             print the syntax tree to standard output\n"
"  -h FILE                write the C header to FILE\n"
"  -c, -s                 write the client stub NAME_c.c, the server\n"
"                         stub NAME_s.c (RPC interfaces; they include\n"
"                         the -h header, default NAME.h)\n"
"  --cstub=FILE, --sstub=FILE\n"
"                         name the client or server stub (implies -c, -s)\n"
"  -p                     proxy (not implemented yet: an error)\n"
"  -o DIR                 output directory\n"
"  --prefix-client=P, --prefix-server=P, --prefix-all=P\n"
"                         prefix for generated routine names\n"
"\n"
"Diagnostics:\n"
"  -Werror                make warnings errors\n"
"  -WNAME, -Wno-NAME      enable or disable a warning: general,\n"
"                         unknown-pragma, import, acf, syntax\n"
"  -Werror=NAME           make one warning an error\n"
"  -w                     no warnings\n"
"  -fmax-errors=N         stop after N errors (default 50, 0: no limit)\n"
"  -fno-diagnostics-show-caret\n"
"                         do not quote the source line\n"
"\n"
"  --help                 this text\n"
"  --version              the version\n";

struct cli {
	const char *input;
	const char **cpp_args;
	unsigned n_cpp_args;
	const char **include_dirs;
	unsigned n_include_dirs;
	const char *header;
	const char *cstub, *sstub;
	bool syntax_only, dump_ast;
	bool want_client, want_server, want_proxy;
	struct frontend_options fe;
	struct gen_options gen;
	char *cache_dir;		/* the default, malloc'd */
	bool cache_set;			/* --cpp-cache or --no-cpp-cache */
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("qrpc-idl: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'qrpc-idl --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/*
 * The value of an option that takes one: "-IDIR", "-I DIR",
 * "--acf=FILE" or "--acf FILE".  NULL if it is missing.
 */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (a[n] == '=' && a[1] == '-')
		return a + n + 1;
	if (a[n] && a[1] != '-')
		return a + n;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool opt_is(const char *a, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return false;
	if (!a[n])
		return true;
	/* Short options glue their value on; long ones use '='. */
	return name[1] != '-' ? true : a[n] == '=';
}

static int add_cpp_arg(struct cli *c, const char *flag, const char *value)
{
	char *s;

	if (asprintf(&s, "%s%s", flag, value) < 0)
		return -1;
	c->cpp_args[c->n_cpp_args++] = s;
	return 0;
}

static int parse_args(struct cli *c, struct diag *d, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if (a[0] != '-' || !a[1]) {
			if (c->input)
				return usage_error("more than one input file ('%s')",
						   a);
			c->input = a;
		} else if (!strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			printf("qrpc-idl %s\n", QRPC_IDL_VERSION);
			exit(0);
		} else if (!strcmp(a, "--syntax-only")) {
			c->syntax_only = true;
		} else if (!strcmp(a, "--dump-ast")) {
			c->dump_ast = true;
		} else if (!strcmp(a, "--no-cpp")) {
			c->fe.no_cpp = true;
		} else if (!strcmp(a, "--no-cpp-cache")) {
			c->fe.cpp.cache_dir = NULL;
			c->cache_set = true;
		} else if (opt_is(a, "--cpp-cache")) {
			v = opt_value(argc, argv, &i, "--cpp-cache");
			if (!v || !*v)
				return usage_error("missing directory after '%s'",
						   "--cpp-cache");
			c->fe.cpp.cache_dir = v;
			c->cache_set = true;
		} else if (!strcmp(a, "--no-acf")) {
			c->fe.no_acf = true;
		} else if (!strncmp(a, "--cstub=", 8) && a[8]) {
			c->cstub = a + 8;
			c->want_client = true;
		} else if (!strncmp(a, "--sstub=", 8) && a[8]) {
			c->sstub = a + 8;
			c->want_server = true;
		} else if (!strcmp(a, "-c")) {
			c->want_client = true;
		} else if (!strcmp(a, "-s")) {
			c->want_server = true;
		} else if (!strcmp(a, "-p")) {
			c->want_proxy = true;
		} else if (!strcmp(a, "-w")) {
			diag_option(d, "w");
		} else if (!strcmp(a, "-fno-diagnostics-show-caret")) {
			d->caret = false;
		} else if (!strncmp(a, "-fmax-errors=", 13)) {
			char *end;
			long n = strtol(a + 13, &end, 10);

			if (*end || end == a + 13 || n < 0)
				return usage_error("bad value in '%s'", a);
			d->max_errors = (unsigned)n;
		} else if (!strncmp(a, "-W", 2) && a[2]) {
			if (diag_option(d, a + 2))
				return usage_error("unknown warning option '%s'",
						   a);
		} else if (opt_is(a, "-I")) {
			v = opt_value(argc, argv, &i, "-I");
			if (!v || !*v)
				return usage_error("missing directory after '%s'",
						   "-I");
			c->include_dirs[c->n_include_dirs++] = v;
			if (add_cpp_arg(c, "-I", v))
				return 1;
		} else if (opt_is(a, "-D") || opt_is(a, "-U")) {
			char flag[3] = { '-', a[1], '\0' };

			v = opt_value(argc, argv, &i, flag);
			if (!v || !*v)
				return usage_error("missing macro name after '%s'",
						   flag);
			if (add_cpp_arg(c, flag, v))
				return 1;
		} else if (opt_is(a, "--acf")) {
			v = opt_value(argc, argv, &i, "--acf");
			if (!v || !*v)
				return usage_error("missing file after '%s'",
						   "--acf");
			c->fe.acf_path = v;
			c->fe.acf_explicit = true;
		} else if (opt_is(a, "--cpp")) {
			v = opt_value(argc, argv, &i, "--cpp");
			if (!v || !*v)
				return usage_error("missing command after '%s'",
						   "--cpp");
			c->fe.cpp.cmd = v;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--header") ||
			   !strncmp(a, "--header=", 9)) {
			v = opt_value(argc, argv, &i, a[1] == '-' ? "--header" :
				      "-h");
			if (!v || !*v)
				return usage_error("missing file after '%s'",
						   "-h");
			c->header = v;
		} else if (opt_is(a, "-o")) {
			v = opt_value(argc, argv, &i, "-o");
			if (!v || !*v)
				return usage_error("missing directory after '%s'",
						   "-o");
			c->gen.out_dir = v;
		} else if (!strncmp(a, "--prefix-client=", 16)) {
			c->gen.prefix_client = a + 16;
		} else if (!strncmp(a, "--prefix-server=", 16)) {
			c->gen.prefix_server = a + 16;
		} else if (!strncmp(a, "--prefix-all=", 13)) {
			c->gen.prefix_client = a + 13;
			c->gen.prefix_server = a + 13;
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	if (!c->input)
		return usage_error("%s", "no input file");
	return 0;
}

/* -c and -s: NAME_c.c and NAME_s.c, including the -h header's name. */
static int write_stubs(const struct cli *c, const struct ast *ast,
		       struct diag *d)
{
	char stem[256], hdr[300], cs[300], ss[300];
	const char *h = c->header;
	int ret = 0;

	gen_stem(c->input, stem, sizeof(stem));
	if (h && strrchr(h, '/'))
		h = strrchr(h, '/') + 1;
	if (!h) {
		snprintf(hdr, sizeof(hdr), "%s.h", stem);
		h = hdr;
	}
	snprintf(cs, sizeof(cs), "%s_c.c", stem);
	snprintf(ss, sizeof(ss), "%s_s.c", stem);
	if (c->want_client &&
	    stub_write(ast, &c->gen, c->cstub ? c->cstub : cs, h, false, d))
		ret = -1;
	if (c->want_server &&
	    stub_write(ast, &c->gen, c->sstub ? c->sstub : ss, h, true, d))
		ret = -1;
	return ret;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct frontend fe;
	struct diag d;
	int ret;

	diag_init(&d, stderr);
	d.max_errors = 50;
	/* Every argument is at most one -I and one cpp argument. */
	c.cpp_args = calloc((size_t)argc + 1, sizeof(*c.cpp_args));
	c.include_dirs = calloc((size_t)argc + 1, sizeof(*c.include_dirs));
	if (!c.cpp_args || !c.include_dirs) {
		fputs("qrpc-idl: out of memory\n", stderr);
		free(c.cpp_args);
		free(c.include_dirs);
		return 1;
	}
	ret = parse_args(&c, &d, argc, argv);
	if (ret)
		goto out;
	c.fe.cpp.args = c.cpp_args;
	c.fe.cpp.n_args = c.n_cpp_args;
	if (!c.cache_set) {
		c.cache_dir = cpp_cache_default_dir();
		c.fe.cpp.cache_dir = c.cache_dir;
	}
	c.fe.include_dirs = c.include_dirs;
	c.fe.n_include_dirs = c.n_include_dirs;
	if (!c.syntax_only) {
		if (c.want_proxy)
			diag_error(&d, NULL, 0, "-p (proxy) is not implemented yet");
		if (d.errors) {
			ret = 1;
			goto out;
		}
	}
	frontend_init(&fe, &d, &c.fe);
	ret = frontend_run(&fe, c.input) ? 1 : 0;
	if (!ret && check_run(&fe.ast, &d))
		ret = 1;
	if (!ret && c.dump_ast)
		ast_dump(stdout, &fe.ast);
	if (!ret && !c.syntax_only && (c.want_client || c.want_server) &&
	    stub_check(&fe.ast, &d))
		ret = 1;
	if (!ret && !c.syntax_only && c.header &&
	    header_write(&fe.ast, &c.gen, c.header, &d))
		ret = 1;
	if (!ret && !c.syntax_only && (c.want_client || c.want_server) &&
	    write_stubs(&c, &fe.ast, &d))
		ret = 1;
	if (d.errors)
		ret = 1;
	frontend_fini(&fe);
out:
	for (unsigned i = 0; i < c.n_cpp_args; i++)
		free((char *)c.cpp_args[i]);
	free(c.cpp_args);
	free(c.include_dirs);
	free(c.cache_dir);
	diag_fini(&d);
	if (fflush(stdout))
		ret = 1;
	return ret;
}
