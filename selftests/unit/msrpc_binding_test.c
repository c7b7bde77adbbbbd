// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: libqrpc-msrpc's string bindings and binding handles
 * (RpcStringBinding*, RpcBinding*), their Windows status codes, and the
 * options as they reach the libqrpc binding underneath.
 */
#include <rpc.h>

#include "kselftest_harness.h"
#include "../../libshim/msrpc/internal.h"

#define S(x) ((RPC_CSTR)(x))

static void expect_parse(struct __test_metadata *_metadata, const char *sb,
			 const char *uuid, const char *protseq,
			 const char *addr, const char *ep, const char *opts)
{
	RPC_CSTR u, p, a, e, o;

	ASSERT_EQ(RPC_S_OK, RpcStringBindingParseA(S(sb), &u, &p, &a, &e, &o));
	EXPECT_STREQ(uuid, (char *)u);
	EXPECT_STREQ(protseq, (char *)p);
	EXPECT_STREQ(addr, (char *)a);
	EXPECT_STREQ(ep, (char *)e);
	EXPECT_STREQ(opts, (char *)o);
	RpcStringFreeA(&u);
	RpcStringFreeA(&p);
	RpcStringFreeA(&a);
	RpcStringFreeA(&e);
	RpcStringFreeA(&o);
	EXPECT_EQ(NULL, u);
}

TEST(compose_writes_the_parts_that_are_there)
{
	RPC_CSTR s;

	ASSERT_EQ(RPC_S_OK,
		  RpcStringBindingComposeA(S("12345678-1234-1234-1234-123456789abc"),
					   S("ncalrpc"), S("host"), S("ep"),
					   S("opt=1"), &s));
	EXPECT_STREQ("12345678-1234-1234-1234-123456789abc@ncalrpc:host[ep,opt=1]",
		     (char *)s);
	RpcStringFreeA(&s);
	ASSERT_EQ(RPC_S_OK, RpcStringBindingComposeA(NULL, S("ncalrpc"), NULL,
						     S("calc"), NULL, &s));
	EXPECT_STREQ("ncalrpc:[calc]", (char *)s);
	RpcStringFreeA(&s);
	ASSERT_EQ(RPC_S_OK, RpcStringBindingComposeA(S(""), S("qrpc"), S("calc"),
						     S(""), S(""), &s));
	EXPECT_STREQ("qrpc:calc", (char *)s);
	RpcStringFreeA(&s);
	ASSERT_EQ(RPC_S_OK, RpcStringBindingComposeA(NULL, S("ncadg_mq"), NULL,
						     NULL, S("x"), &s));
	EXPECT_STREQ("ncadg_mq:[,x]", (char *)s);
	RpcStringFreeA(&s);
	EXPECT_EQ(RPC_S_INVALID_ARG,
		  RpcStringBindingComposeA(NULL, S("ncalrpc"), NULL, NULL, NULL,
					   NULL));
}

TEST(parse_returns_each_part_and_empty_strings_for_absent_ones)
{
	RPC_CSTR p = S("x");

	expect_parse(_metadata,
		     "12345678-1234-1234-1234-123456789abc@ncalrpc:host[ep,a=1,b=2]",
		     "12345678-1234-1234-1234-123456789abc", "ncalrpc", "host",
		     "ep", "a=1,b=2");
	expect_parse(_metadata, "ncalrpc:[calc]", "", "ncalrpc", "", "calc", "");
	expect_parse(_metadata, "qrpc:calc", "", "qrpc", "calc", "", "");
	expect_parse(_metadata, "ncadg_mq:[endpoint=q1]", "", "ncadg_mq", "",
		     "q1", "");
	expect_parse(_metadata, "ncalrpc:", "", "ncalrpc", "", "", "");
	/* The '@' of an address is not the UUID's. */
	expect_parse(_metadata, "ncalrpc:a@b[c]", "", "ncalrpc", "a@b", "c", "");
	/* Parts not asked for are not returned. */
	ASSERT_EQ(RPC_S_OK, RpcStringBindingParseA(S("ncalrpc:[calc]"), NULL,
						   &p, NULL, NULL, NULL));
	EXPECT_STREQ("ncalrpc", (char *)p);
	RpcStringFreeA(&p);
}

TEST(parse_rejects_malformed_bindings)
{
	static const char *const bad[] = {
		"ncalrpc", "ncalrpc:[calc", "ncalrpc:[calc]x", "ncalrpc:calc]",
		"ncalrpc:[a[b]]", "",
	};
	RPC_CSTR p = S("x"), u = S("x");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(RPC_S_INVALID_STRING_BINDING,
			  RpcStringBindingParseA(S(bad[i]), NULL, &p, NULL,
						 NULL, NULL));
		EXPECT_EQ(NULL, p);	/* nothing left to free */
	}
	EXPECT_EQ(RPC_S_INVALID_STRING_UUID,
		  RpcStringBindingParseA(S("not-a-uuid@ncalrpc:[x]"), &u, &p,
					 NULL, NULL, NULL));
	EXPECT_EQ(NULL, u);
	EXPECT_EQ(NULL, p);
	EXPECT_EQ(RPC_S_INVALID_STRING_BINDING,
		  RpcStringBindingParseA(NULL, NULL, NULL, NULL, NULL, NULL));
}

static RPC_STATUS from(const char *sb, RPC_BINDING_HANDLE *h)
{
	return RpcBindingFromStringBindingA(S(sb), h);
}

static uint64_t qrpc_opt(RPC_BINDING_HANDLE h, enum qrpc_option o)
{
	uint64_t v = UINT64_MAX;

	qrpc_binding_inq_option(msrpc_binding_get(h)->qb, o, &v);
	return v;
}

TEST(local_protocol_sequences_name_a_port)
{
	static const char *const good[] = {
		"ncalrpc:[calc]", "ncadg_mq:[queue-1]", "qrpc:calc",
		"qrpc:[calc]", "ncalrpc:localhost[calc]",
		"12345678-1234-1234-1234-123456789abc@ncalrpc:[calc,Security=x]",
	};
	RPC_BINDING_HANDLE h;
	RPC_CSTR s;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(RPC_S_OK, from(good[i], &h));
		EXPECT_NE(NULL, msrpc_binding_get(h)->qb);
		ASSERT_EQ(RPC_S_OK, RpcBindingToStringBindingA(h, &s));
		EXPECT_STREQ(good[i], (char *)s);
		RpcStringFreeA(&s);
		ASSERT_EQ(RPC_S_OK, RpcBindingFree(&h));
		EXPECT_EQ(NULL, h);
	}
	/* No endpoint: partially bound, no port yet. */
	ASSERT_EQ(RPC_S_OK, from("ncalrpc:", &h));
	EXPECT_EQ(NULL, msrpc_binding_get(h)->qb);
	RpcBindingFree(&h);
}

TEST(other_bindings_get_windows_errors)
{
	RPC_BINDING_HANDLE h = (RPC_BINDING_HANDLE)1;

	EXPECT_EQ(RPC_S_PROTSEQ_NOT_SUPPORTED, from("ncacn_ip_tcp:host[80]", &h));
	EXPECT_EQ(NULL, h);
	EXPECT_EQ(RPC_S_PROTSEQ_NOT_SUPPORTED, from("ncacn_np:[\\pipe\\x]", &h));
	EXPECT_EQ(RPC_S_INVALID_RPC_PROTSEQ, from("tcp:[80]", &h));
	EXPECT_EQ(RPC_S_INVALID_RPC_PROTSEQ, from("nca-x:[80]", &h));
	EXPECT_EQ(RPC_S_INVALID_NET_ADDR, from("ncalrpc:far.away.example[x]", &h));
	EXPECT_EQ(RPC_S_INVALID_ENDPOINT_FORMAT, from("ncalrpc:[a/b]", &h));
	EXPECT_EQ(RPC_S_INVALID_ENDPOINT_FORMAT, from("qrpc:.hidden", &h));
	EXPECT_EQ(RPC_S_INVALID_STRING_BINDING, from("ncalrpc[x]", &h));
	EXPECT_EQ(RPC_S_INVALID_STRING_UUID, from("1234@ncalrpc:[x]", &h));
	EXPECT_EQ(RPC_S_INVALID_ARG, from("ncalrpc:[x]", NULL));
	EXPECT_EQ(NULL, h);
}

TEST(options_have_windows_defaults_ranges_and_errors)
{
	RPC_BINDING_HANDLE h;
	ULONG_PTR v;

	ASSERT_EQ(RPC_S_OK, from("ncadg_mq:[q]", &h));
	ASSERT_EQ(RPC_S_OK, RpcBindingInqOption(h, RPC_C_OPT_MQ_PRIORITY, &v));
	EXPECT_EQ(3, v);
	ASSERT_EQ(RPC_S_OK,
		  RpcBindingInqOption(h, RPC_C_OPT_MQ_TIME_TO_BE_RECEIVED, &v));
	EXPECT_EQ(RPC_C_MQ_INFINITE, v);
	ASSERT_EQ(RPC_S_OK, RpcBindingInqOption(h, RPC_C_OPT_MQ_DELIVERY, &v));
	EXPECT_EQ(RPC_C_MQ_EXPRESS, v);

	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_PRIORITY, 7));
	EXPECT_EQ(7, qrpc_opt(h, QRPC_OPT_PRIORITY));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingSetOption(h, RPC_C_OPT_MQ_PRIORITY, 8));
	ASSERT_EQ(RPC_S_OK, RpcBindingInqOption(h, RPC_C_OPT_MQ_PRIORITY, &v));
	EXPECT_EQ(7, v);	/* a refused value changes nothing */
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingSetOption(h, RPC_C_OPT_MQ_DELIVERY, 2));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_DELIVERY,
						RPC_C_MQ_RECOVERABLE));
	EXPECT_EQ(QRPC_DELIVERY_RECOVERABLE, qrpc_opt(h, QRPC_OPT_DELIVERY));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_JOURNAL,
						RPC_C_MQ_JOURNAL_DEADLETTER));
	EXPECT_EQ(QRPC_JOURNAL_DEADLETTER, qrpc_opt(h, QRPC_OPT_JOURNAL));
	EXPECT_EQ(RPC_S_CANNOT_SUPPORT,
		  RpcBindingSetOption(h, RPC_C_OPT_MQ_JOURNAL, RPC_C_MQ_JOURNAL_ALWAYS));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingSetOption(h, RPC_C_OPT_MQ_JOURNAL, 3));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_ACKNOWLEDGE, 5));
	ASSERT_EQ(RPC_S_OK, RpcBindingInqOption(h, RPC_C_OPT_MQ_ACKNOWLEDGE, &v));
	EXPECT_EQ(1, v);	/* a BOOL */
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_AUTHN_SERVICE,
						RPC_C_AUTHN_MQ));
	EXPECT_EQ(RPC_S_UNKNOWN_AUTHN_SERVICE,
		  RpcBindingSetOption(h, RPC_C_OPT_MQ_AUTHN_SERVICE, 9));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingSetOption(h, RPC_C_OPT_MQ_AUTHN_LEVEL, 7));

	/* MSMQ's times, in seconds, as qrpc counts them. */
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_TIME_TO_BE_RECEIVED, 30));
	EXPECT_EQ(30, qrpc_opt(h, QRPC_OPT_TIME_TO_BE_RECEIVED));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_TIME_TO_BE_RECEIVED,
						RPC_C_MQ_INFINITE));
	EXPECT_EQ(0, qrpc_opt(h, QRPC_OPT_TIME_TO_BE_RECEIVED));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_TIME_TO_REACH_QUEUE, 10));
	EXPECT_EQ(10, qrpc_opt(h, QRPC_OPT_TIME_TO_REACH_QUEUE));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_TIME_TO_REACH_QUEUE,
						RPC_C_MQ_LONG_LIVED));
	EXPECT_EQ(UINT32_MAX / 1000, qrpc_opt(h, QRPC_OPT_TIME_TO_REACH_QUEUE));
	ASSERT_EQ(RPC_S_OK,
		  RpcBindingInqOption(h, RPC_C_OPT_MQ_TIME_TO_REACH_QUEUE, &v));
	EXPECT_EQ(RPC_C_MQ_LONG_LIVED, v);	/* what was set */
	EXPECT_EQ(RPC_S_INVALID_ARG,
		  RpcBindingSetOption(h, RPC_C_OPT_MQ_TIME_TO_REACH_QUEUE,
				      (ULONG_PTR)UINT32_MAX + 1));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_CALL_TIMEOUT, 2500));
	EXPECT_EQ(2500, qrpc_opt(h, QRPC_OPT_CALL_TIMEOUT));

	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingSetOption(h, 0, 0));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingSetOption(h, RPC_C_OPT_SECURITY_CALLBACK, 0));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingSetOption(h, RPC_C_OPT_MAX_OPTIONS, 0));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingInqOption(h, 99, &v));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingInqOption(h, RPC_C_OPT_MQ_PRIORITY, NULL));
	RpcBindingFree(&h);
	EXPECT_EQ(RPC_S_INVALID_BINDING, RpcBindingSetOption(NULL, RPC_C_OPT_MQ_PRIORITY, 1));
	EXPECT_EQ(RPC_S_INVALID_BINDING, RpcBindingInqOption(NULL, RPC_C_OPT_MQ_PRIORITY, &v));
}

TEST(copies_keep_the_options_and_a_partial_binding_keeps_them_too)
{
	RPC_BINDING_HANDLE h, c;
	ULONG_PTR v;

	ASSERT_EQ(RPC_S_OK, from("ncalrpc:[calc]", &h));
	ASSERT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_PRIORITY, 6));
	ASSERT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_CALL_TIMEOUT, 40));
	ASSERT_EQ(RPC_S_OK, RpcBindingCopy(h, &c));
	EXPECT_NE(h, c);
	EXPECT_NE(msrpc_binding_get(h)->qb, msrpc_binding_get(c)->qb);
	EXPECT_EQ(6, qrpc_opt(c, QRPC_OPT_PRIORITY));
	EXPECT_EQ(40, qrpc_opt(c, QRPC_OPT_CALL_TIMEOUT));
	/* Each is its own: freeing one leaves the other. */
	ASSERT_EQ(RPC_S_OK, RpcBindingFree(&h));
	ASSERT_EQ(RPC_S_OK, RpcBindingInqOption(c, RPC_C_OPT_MQ_PRIORITY, &v));
	EXPECT_EQ(6, v);
	RpcBindingFree(&c);
	EXPECT_EQ(RPC_S_INVALID_BINDING, RpcBindingFree(&c));
	EXPECT_EQ(RPC_S_INVALID_BINDING, RpcBindingCopy(NULL, &c));
	EXPECT_EQ(RPC_S_INVALID_ARG, RpcBindingFree(NULL));

	ASSERT_EQ(RPC_S_OK, from("ncadg_mq:", &h));
	EXPECT_EQ(RPC_S_OK, RpcBindingSetOption(h, RPC_C_OPT_MQ_PRIORITY, 1));
	ASSERT_EQ(RPC_S_OK, RpcBindingInqOption(h, RPC_C_OPT_MQ_PRIORITY, &v));
	EXPECT_EQ(1, v);
	RpcBindingFree(&h);
}

static WCHAR *w(const char *s)
{
	WCHAR *out;

	if (msrpc_utf8_to_16(s, &out, RPC_S_INVALID_ARG) != RPC_S_OK)
		abort();
	return out;
}

static char *a(const WCHAR *s)
{
	char *out;

	if (msrpc_utf16_to_8(s, &out, RPC_S_INVALID_ARG) != RPC_S_OK)
		abort();
	return out;
}

TEST(wide_forms_are_utf16)
{
	WCHAR *p = w("ncalrpc"), *e = w("cal\xc3\xa9\xf0\x9f\x99\x82");
	WCHAR *sb = NULL, *ep = NULL, *bad;
	RPC_BINDING_HANDLE h;
	char *s;

	ASSERT_EQ(RPC_S_OK, RpcStringBindingComposeW(NULL, p, NULL, e, NULL, &sb));
	s = a(sb);
	EXPECT_STREQ("ncalrpc:[cal\xc3\xa9\xf0\x9f\x99\x82]", s);
	free(s);
	ASSERT_EQ(RPC_S_OK, RpcStringBindingParseW(sb, NULL, NULL, NULL, &ep, NULL));
	s = a(ep);
	EXPECT_STREQ("cal\xc3\xa9\xf0\x9f\x99\x82", s);
	free(s);
	RpcStringFreeW(&ep);
	EXPECT_EQ(NULL, ep);
	/* Not a port name: only [A-Za-z0-9._-] are. */
	EXPECT_EQ(RPC_S_INVALID_ENDPOINT_FORMAT, RpcBindingFromStringBindingW(sb, &h));
	RpcStringFreeW(&sb);

	sb = w("qrpc:calc");
	ASSERT_EQ(RPC_S_OK, RpcBindingFromStringBindingW(sb, &h));
	free(sb);
	ASSERT_EQ(RPC_S_OK, RpcBindingToStringBindingW(h, &sb));
	s = a(sb);
	EXPECT_STREQ("qrpc:calc", s);
	free(s);
	RpcStringFreeW(&sb);
	RpcBindingFree(&h);

	/* A lone surrogate is no string. */
	bad = w("ncalrpc:[ab]");
	bad[9] = 0xd800;
	EXPECT_EQ(RPC_S_INVALID_STRING_BINDING,
		  RpcStringBindingParseW(bad, NULL, &ep, NULL, NULL, NULL));
	EXPECT_EQ(RPC_S_INVALID_STRING_BINDING, RpcBindingFromStringBindingW(bad, &h));
	free(bad);
	free(p);
	free(e);
}

TEST(utf8_that_is_not_is_refused)
{
	static const char *const bad[] = {
		"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\x80", "\xe2\x82",
	};
	WCHAR *out;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(RPC_S_INVALID_ARG,
			  msrpc_utf8_to_16(bad[i], &out, RPC_S_INVALID_ARG));
		EXPECT_EQ(NULL, out);
	}
}

TEST_HARNESS_MAIN
