// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the cache of preprocessed imports (cpp_cache.h), through
 * the binary and through its entry parser.  The preprocessor is wrapped
 * in a script that logs each run, so that a test can tell a hit (the
 * import not preprocessed) from a miss.  Files are written, then the
 * test waits out the cache's two-second rule for fresh files.
 */
#include "kselftest_harness.h"

#include "cli_util.h"
#include "cpp_cache.h"

/* A preprocessor that records its runs in runs.log, then is cpp. */
static const char wrapper[] =
	"#!/bin/sh\necho run >>\"$(dirname \"$0\")/runs.log\"\nexec cpp \"$@\"\n";

static void setup(const char *sub)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if (mkdir(path, 0755))
		abort();
	snprintf(path, sizeof(path), "%s/%s/inc", dir, sub);
	if (mkdir(path, 0755))
		abort();
	snprintf(path, sizeof(path), "%s/wrap.sh", sub);
	put(path, wrapper);
	snprintf(path, sizeof(path), "%s/%s/wrap.sh", dir, sub);
	if (chmod(path, 0755))
		abort();
}

/* Let the files just written age past the cache's two-second rule. */
static void age(void)
{
	usleep(2100 * 1000);
}

/* Runs of the preprocessor logged in @sub since the last call. */
static int runs(const char *sub)
{
	char name[300], buf[4096];
	int n = 0;

	snprintf(name, sizeof(name), "%s/runs.log", sub);
	slurp(name, buf, sizeof(buf));
	for (char *p = buf; (p = strstr(p, "run\n")); p += 4)
		n++;
	snprintf(name, sizeof(name), "%s/%s/runs.log", dir, sub);
	unlink(name);
	return n;
}

/* Compile @sub/u.idl to @sub/u.h with the wrapper; @extra goes first. */
static void compile(struct cli_result *r, const char *sub, const char *extra)
{
	char args[1024];

	snprintf(args, sizeof(args),
		 "--cpp %s/%s/wrap.sh --cpp-cache=%s/%s/cache %s -I %s/inc -h %s/u.h %s/u.idl",
		 dir, sub, dir, sub, extra, sub, sub, sub);
	run(r, args);
}

static int entries(const char *sub)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd),
		 "cd %%s && exit $(find %s/cache -type f | wc -l)%%s%%s", sub);
	return sh(cmd, "", "");
}

/*
 * The user's file takes a [string] of the imported BASE_T: it compiles
 * if the import made BASE_T a character type, and is an error if not,
 * so the status shows which text of the import was used.
 */
static const char user_idl[] =
	"import \"base.idl\";\n"
	"interface U { void f([in, string] BASE_T *x); }\n";

#define BASE_IS_CHAR 0
#define BASE_IS_NOT_CHAR 1

TEST(hits_give_the_same_header_and_messages)
{
	struct cli_result r1, r2;
	char h1[8192], h2[8192];

	setup("a");
	put("a/u.idl", user_idl);
	put("a/inc/base.idl", "#warning \"from base\"\ntypedef char BASE_T;\n");
	age();
	compile(&r1, "a", "");
	ASSERT_EQ(BASE_IS_CHAR, r1.status);
	EXPECT_EQ(2, runs("a"));	/* u.idl, base.idl */
	EXPECT_EQ(1, entries("a"));	/* the import only */
	slurp("a/u.h", h1, sizeof(h1));
	EXPECT_TRUE(strstr(r1.err, "from base") != NULL);

	compile(&r2, "a", "");
	ASSERT_EQ(BASE_IS_CHAR, r2.status);
	EXPECT_EQ(1, runs("a"));	/* base.idl came from the cache */
	slurp("a/u.h", h2, sizeof(h2));
	EXPECT_STREQ(h1, h2);
	/* cpp's warning about the import is shown again, as it was. */
	EXPECT_STREQ(r1.err, r2.err);
}

TEST(a_changed_import_or_include_is_preprocessed_again)
{
	struct cli_result r;

	setup("b");
	put("b/u.idl", user_idl);
	put("b/inc/base.idl", "#include \"defs.h\"\ntypedef BASE_INT BASE_T;\n");
	put("b/inc/defs.h", "#define BASE_INT char\n");
	age();
	compile(&r, "b", "");
	ASSERT_EQ(BASE_IS_CHAR, r.status);
	compile(&r, "b", "");
	ASSERT_EQ(BASE_IS_CHAR, r.status);
	EXPECT_EQ(3, runs("b"));	/* a hit the second time */

	/* The same size, so only the inode times tell. */
	put("b/inc/defs.h", "#define BASE_INT long\n");
	compile(&r, "b", "");
	EXPECT_EQ(BASE_IS_NOT_CHAR, r.status);
	EXPECT_EQ(2, runs("b"));

	put("b/inc/base.idl", "typedef unsigned char BASE_T;\n");
	compile(&r, "b", "");
	EXPECT_EQ(BASE_IS_CHAR, r.status);
	EXPECT_EQ(2, runs("b"));
}

/*
 * A header created in a directory searched before the one that held the
 * cached include must win: the directories are dependencies too.
 */
TEST(a_header_earlier_in_the_search_path_is_seen)
{
	struct cli_result r;

	setup("c");
	ASSERT_EQ(0, sh("mkdir %s/c/first%s%s", "", ""));
	put("c/u.idl", user_idl);
	put("c/inc/base.idl", "#include <defs.h>\ntypedef BASE_INT BASE_T;\n");
	put("c/inc/defs.h", "#define BASE_INT char\n");
	age();
	compile(&r, "c", "-I c/first");
	ASSERT_EQ(BASE_IS_CHAR, r.status);
	compile(&r, "c", "-I c/first");
	EXPECT_EQ(3, runs("c"));

	put("c/first/defs.h", "#define BASE_INT long\n");
	compile(&r, "c", "-I c/first");
	EXPECT_EQ(BASE_IS_NOT_CHAR, r.status);
	EXPECT_EQ(2, runs("c"));
}

TEST(other_macros_other_entries)
{
	struct cli_result r;

	setup("d");
	put("d/u.idl", user_idl);
	put("d/inc/base.idl", "typedef BASE_INT BASE_T;\n");
	age();
	compile(&r, "d", "-DBASE_INT=char");
	ASSERT_EQ(BASE_IS_CHAR, r.status);
	compile(&r, "d", "-DBASE_INT=float");
	EXPECT_EQ(BASE_IS_NOT_CHAR, r.status);
	EXPECT_EQ(4, runs("d"));
	EXPECT_EQ(2, entries("d"));
	compile(&r, "d", "-DBASE_INT=char");
	EXPECT_EQ(BASE_IS_CHAR, r.status);
	EXPECT_EQ(1, runs("d"));
	compile(&r, "d", "-DBASE_INT=float");
	EXPECT_EQ(BASE_IS_NOT_CHAR, r.status);
	EXPECT_EQ(1, runs("d"));
}

/* Every way an entry can be damaged is a miss, and the run succeeds. */
TEST(damaged_entries_are_misses)
{
	static const char *const damage[] = {
		"truncate -s 10",	/* cut short */
		"truncate -s -5",	/* no END */
		"sed -i s/^O/X/",	/* a section renamed */
		"sed -i '1s/1/9/'",	/* another version */
		"truncate -s 0",	/* empty */
		"chmod 000",		/* unreadable (not as root) */
	};
	char h0[8192], h[8192], cmd[600];
	struct cli_result r;
	int first_bad = -1;

	setup("e");
	put("e/u.idl", user_idl);
	put("e/inc/base.idl", "typedef char BASE_T;\n");
	age();
	compile(&r, "e", "");
	ASSERT_EQ(0, r.status);
	slurp("e/u.h", h0, sizeof(h0));
	/* The first damage after which a run went wrong, -1 if none. */
	for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		bool ok;

		runs("e");
		snprintf(cmd, sizeof(cmd),
			 "cd %%s/e && for f in $(find cache -type f); do %s $f; done%%s%%s",
			 damage[i]);
		ok = sh(cmd, "", "") == 0;
		compile(&r, "e", "");
		slurp("e/u.h", h, sizeof(h));
		ok = ok && r.status == 0 && !strcmp(r.err, "") &&
		     !strcmp(h0, h);
		/* Missed: both files preprocessed (root reads mode 000). */
		ok = ok && (runs("e") == 2 || (geteuid() == 0 && i == 5));
		if (!ok && first_bad < 0)
			first_bad = (int)i;
		sh("cd %s/e && rm -rf cache%s%s", "", "");
		compile(&r, "e", "");
	}
	EXPECT_EQ(-1, first_bad);
}

TEST(an_unusable_cache_directory_is_no_error)
{
	struct cli_result r;

	setup("f");
	put("f/u.idl", user_idl);
	put("f/inc/base.idl", "typedef char BASE_T;\n");
	put("f/file", "not a directory\n");
	age();
	run(&r, "--cpp-cache=f/file/sub -I f/inc -h f/u.h f/u.idl");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("", r.err);
}

TEST(where_the_cache_goes)
{
	struct cli_result r;

	setup("g");
	put("g/u.idl", user_idl);
	/*
	 * An #include: a file cpp would not change, or one that needs only
	 * macros, is not given to it.
	 */
	put("g/inc/base.idl", "#include \"base_t.h\"\n");
	put("g/inc/base_t.h", "typedef char BASE_T;\n");
	age();
	/* --no-cpp-cache: nothing written anywhere. */
	run(&r, "--no-cpp-cache -I g/inc -h g/u.h g/u.idl");
	ASSERT_EQ(0, r.status);
	EXPECT_NE(0, sh("test -e %s/.cpp-cache%s%s", "", ""));
	/* $QRPC_IDL_CACHE_DIR, set for every run here by cli_util.h. */
	run(&r, "-I g/inc -h g/u.h g/u.idl");
	ASSERT_EQ(0, r.status);
	EXPECT_EQ(0, sh("test -d %s/.cpp-cache/v1%s%s", "", ""));
	/* Empty: no cache; unset: $XDG_CACHE_HOME, then $HOME/.cache. */
	EXPECT_EQ(0, sh("cd %s && QRPC_IDL_CACHE_DIR= HOME=$PWD/g/home "
			QRPC_IDL_BIN " -I g/inc -h g/u.h g/u.idl && "
			"! test -e g/home%s%s", "", ""));
	EXPECT_EQ(0, sh("cd %s && unset QRPC_IDL_CACHE_DIR && "
			"XDG_CACHE_HOME=$PWD/g/xdg " QRPC_IDL_BIN
			" -I g/inc -h g/u.h g/u.idl && "
			"test -d g/xdg/qrpc-idl/v1%s%s", "", ""));
	EXPECT_EQ(0, sh("cd %s && unset QRPC_IDL_CACHE_DIR XDG_CACHE_HOME && "
			"HOME=$PWD/g/home " QRPC_IDL_BIN
			" -I g/inc -h g/u.h g/u.idl && "
			"test -d g/home/.cache/qrpc-idl/v1%s%s", "", ""));
}

/* ---- the entry parser and the line-marker scan, directly ---- */

static bool count_dep(const struct cpp_cache_dep *d)
{
	return d->path[0] == '/';
}

TEST(entry_parse)
{
	static const char good[] =
		"QRPC-IDL-CPP-CACHE 1\n"
		"K 3\nkey\n"
		"D 1 2 3 4 5 6 7 32768 4\n/a/b\n"
		"E 0\n\n"
		"O 5\nhello\n"
		"END\n";
	struct cpp_cache_entry e;

	ASSERT_EQ(0, cpp_cache_parse(good, sizeof(good) - 1, "key", 3,
				     count_dep, &e));
	EXPECT_STREQ("hello", e.out);
	EXPECT_EQ(5, e.out_len);
	EXPECT_STREQ("", e.err);
	cpp_cache_entry_free(&e);
	/* Another key; a dependency refused; every proper prefix. */
	EXPECT_EQ(-1, cpp_cache_parse(good, sizeof(good) - 1, "kez", 3,
				      NULL, &e));
	EXPECT_EQ(-1, cpp_cache_parse(good, sizeof(good) - 1, "ke", 2,
				      NULL, &e));
	for (size_t n = 0; n < sizeof(good) - 1; n++)
		EXPECT_EQ(-1, cpp_cache_parse(good, n, NULL, 0, NULL, &e));
	/* Lengths that overflow or run past the end. */
	EXPECT_EQ(-1, cpp_cache_parse("QRPC-IDL-CPP-CACHE 1\nK 99999999999999999999\n",
				      44, NULL, 0, NULL, &e));
	EXPECT_EQ(-1, cpp_cache_parse("QRPC-IDL-CPP-CACHE 1\nK 18446744073709551615\nx",
				      45, NULL, 0, NULL, &e));
}

struct names {
	char buf[512];
};

static void add_name(void *ctx, const char *name)
{
	struct names *n = ctx;

	size_t len = strlen(n->buf);

	snprintf(n->buf + len, sizeof(n->buf) - len, "%s|", name);
}

TEST(line_markers_name_the_dependencies)
{
	static const char out[] =
		"# 0 \"<stdin>\"\n"
		"# 0 \"<built-in>\"\n"
		"# 1 \"/x/a.idl\"\n"
		"#pragma once\n"
		"# 1 \"/x/b \\\"q\\\".h\" 1\n"
		"int x; # 3 \"/not/a/marker\"\n"
		"# 7 \"/x/a.idl\" 2\n"
		"# 2 \"/x/c\\\\d\\101.h\"\n"
		"# 5 \"/x/unterminated\n";
	struct names n = { "" };

	cpp_cache_marked_files(out, sizeof(out) - 1, add_name, &n);
	EXPECT_STREQ("/x/a.idl|/x/b \"q\".h|/x/c\\dA.h|", n.buf);
}

TEST_HARNESS_MAIN
