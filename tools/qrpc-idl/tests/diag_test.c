// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: diagnostics format, counting, -W options and the cap.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kselftest_harness.h"

struct cap {
	struct diag d;
	char *out;
	size_t len;
	FILE *fp;
};

static void cap_open(struct cap *c)
{
	static const char text[] = "line one\n\tx = y;\r\nlast";

	c->fp = open_memstream(&c->out, &c->len);
	diag_init(&c->d, c->fp);
	diag_set_source(&c->d, "f.idl", text, strlen(text));
}

static const char *cap_text(struct cap *c)
{
	fflush(c->fp);
	return c->out;
}

static void cap_close(struct cap *c)
{
	fclose(c->fp);
	free(c->out);
	diag_fini(&c->d);
}

TEST(error_with_caret_and_number)
{
	struct cap c;
	struct src_loc l = { "f.idl", 2, 4 };

	cap_open(&c);
	diag_error(&c.d, &l, 2025, "expected %s", "';'");
	EXPECT_STREQ("f.idl:2:4: error: expected ';' [MIDL2025]\n"
		     "     2 | \tx = y;\n"
		     "       | \t  ^\n", cap_text(&c));
	EXPECT_EQ(1, c.d.errors);
	cap_close(&c);
}

TEST(no_location_and_no_source)
{
	struct cap c;
	struct src_loc l = { "missing.idl", 3, 1 };

	cap_open(&c);
	diag_error(&c.d, NULL, 0, "bad");
	diag_note(&c.d, &l, "here");
	EXPECT_STREQ("qrpc-idl: error: bad\n"
		     "missing.idl:3:1: note: here\n", cap_text(&c));
	cap_close(&c);
}

TEST(warnings_and_werror)
{
	struct cap c;
	struct src_loc l = { "f.idl", 3, 1 };

	cap_open(&c);
	c.d.caret = false;
	diag_warning(&c.d, &l, W_ACF, 0, "w1");
	EXPECT_EQ(0, diag_option(&c.d, "no-acf"));
	diag_warning(&c.d, &l, W_ACF, 0, "hidden");
	diag_note(&c.d, &l, "hidden note");
	EXPECT_EQ(0, diag_option(&c.d, "error"));
	diag_warning(&c.d, &l, W_IMPORT, 2007, "w2");
	EXPECT_EQ(-1, diag_option(&c.d, "no-such-warning"));
	EXPECT_STREQ("f.idl:3:1: warning: w1 [-Wacf]\n"
		     "f.idl:3:1: error: w2 [MIDL2007] [-Werror=import]\n",
		     cap_text(&c));
	EXPECT_EQ(1, c.d.warnings);
	EXPECT_EQ(1, c.d.errors);
	cap_close(&c);
}

TEST(midl_numbers_can_be_disabled)
{
	struct cap c;
	struct src_loc l = { "f.idl", 1, 1 };

	cap_open(&c);
	c.d.caret = false;
	diag_midl_warning_state(&c.d, 2111, false);
	diag_warning(&c.d, &l, W_GENERAL, 2111, "off");
	diag_midl_warning_state(&c.d, 2111, true);
	diag_warning(&c.d, &l, W_GENERAL, 2111, "on");
	EXPECT_STREQ("f.idl:1:1: warning: on [MIDL2111] [-Wgeneral]\n",
		     cap_text(&c));
	cap_close(&c);
}

TEST(error_cap_stops)
{
	struct cap c;
	struct src_loc l = { "f.idl", 1, 1 };

	cap_open(&c);
	c.d.caret = false;
	c.d.max_errors = 2;
	diag_error(&c.d, &l, 0, "a");
	EXPECT_FALSE(diag_stopped(&c.d));
	diag_error(&c.d, &l, 0, "b");
	EXPECT_TRUE(diag_stopped(&c.d));
	diag_error(&c.d, &l, 0, "c");
	EXPECT_STREQ("f.idl:1:1: error: a\nf.idl:1:1: error: b\n"
		     "compilation terminated due to -fmax-errors=2.\n",
		     cap_text(&c));
	EXPECT_EQ(2, c.d.errors);
	cap_close(&c);
}

TEST(source_lines)
{
	struct cap c;
	const char *s;
	size_t n;

	cap_open(&c);
	s = diag_source_line(&c.d, "f.idl", 2, &n);
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(7, n);	/* the CR is not part of it */
	s = diag_source_line(&c.d, "f.idl", 3, &n);
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(0, strncmp("last", s, n));
	EXPECT_TRUE(diag_source_line(&c.d, "f.idl", 4, &n) == NULL);
	EXPECT_TRUE(diag_source_line(&c.d, "<stdin>", 1, &n) == NULL);
	cap_close(&c);
}

TEST_HARNESS_MAIN
