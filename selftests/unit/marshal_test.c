// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test: the marshalling runtime (libshim/marshal.c and the
 * inline part of qrpc_marshal.h).  Round trips, the exact bytes on the
 * wire, running out of room at every size, and the decoder's answer to
 * every truncation and to each kind of malformed input.
 */
#include <stdlib.h>
#include <string.h>

#include "qrpc_marshal.h"
#include "kselftest_harness.h"

#define FILL 0xa5

/*
 * A message touching every encoder call, with padding everywhere a
 * primitive can need it.  Returns the sticky error.
 */
static int encode_sample(struct qrpc_enc *e)
{
	static const uint8_t blob[3] = { 1, 2, 3 };
	uint8_t *z;

	qrpc_enc_u8(e, 0x11);
	qrpc_enc_u64(e, 0x0102030405060708ULL);
	qrpc_enc_bool(e, true);
	qrpc_enc_i16(e, -2);
	qrpc_enc_i8(e, -3);
	qrpc_enc_i32(e, -4);
	qrpc_enc_i64(e, INT64_MIN);
	qrpc_enc_u16(e, 0xbeef);
	qrpc_enc_f32(e, 1.5f);
	qrpc_enc_f64(e, -0.25);
	qrpc_enc_string(e, "hello");
	qrpc_enc_string(e, "");
	qrpc_enc_array_header(e, 3);
	qrpc_enc_u16(e, 10);
	qrpc_enc_u16(e, 20);
	qrpc_enc_u16(e, 30);
	qrpc_enc_varying_header(e, 8, 2, 2);
	qrpc_enc_u64(e, 7);
	qrpc_enc_u64(e, 9);
	qrpc_enc_fixed_varying_header(e, 4, 1, 3);
	qrpc_enc_bytes(e, blob, sizeof(blob));
	if (qrpc_enc_unique(e, blob) == 1)
		qrpc_enc_u32(e, 0xcafe);
	qrpc_enc_unique(e, NULL);
	qrpc_enc_ref(e, blob);
	qrpc_enc_align(e, 8);
	z = qrpc_enc_reserve(e, 5, 4);
	if (z)
		memcpy(z, "zcopy", 5);
	qrpc_enc_bool(e, false);
	return e->err;
}

/* Decode what encode_sample() wrote, checking each value.  */
static int decode_sample(struct qrpc_dec *d, struct __test_metadata *_metadata,
			 bool check)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32, max, off, cnt;
	uint64_t u64;
	int8_t i8;
	int16_t i16;
	int32_t i32;
	int64_t i64;
	float f;
	double g;
	bool b;
	const char *s;
	const uint8_t *p;
	char copy[8];

	qrpc_dec_u8(d, &u8);
	if (check) {
		EXPECT_EQ(0x11, u8);
	}
	qrpc_dec_u64(d, &u64);
	if (check) {
		EXPECT_EQ(0x0102030405060708ULL, u64);
	}
	qrpc_dec_bool(d, &b);
	if (check) {
		EXPECT_TRUE(b);
	}
	qrpc_dec_i16(d, &i16);
	if (check) {
		EXPECT_EQ(-2, i16);
	}
	qrpc_dec_i8(d, &i8);
	if (check) {
		EXPECT_EQ(-3, i8);
	}
	qrpc_dec_i32(d, &i32);
	if (check) {
		EXPECT_EQ(-4, i32);
	}
	qrpc_dec_i64(d, &i64);
	if (check) {
		EXPECT_EQ(INT64_MIN, i64);
	}
	qrpc_dec_u16(d, &u16);
	if (check) {
		EXPECT_EQ(0xbeef, u16);
	}
	qrpc_dec_f32(d, &f);
	if (check) {
		EXPECT_TRUE(f == 1.5f);
	}
	qrpc_dec_f64(d, &g);
	if (check) {
		EXPECT_TRUE(g == -0.25);
	}
	qrpc_dec_string(d, &s, &u32);
	if (check) {
		EXPECT_STREQ("hello", s);
		EXPECT_EQ(5, u32);
	}
	qrpc_dec_string_copy(d, copy, sizeof(copy));
	if (check) {
		EXPECT_STREQ("", copy);
	}
	qrpc_dec_array_header(d, &cnt, 2, 0);
	if (check) {
		EXPECT_EQ(3, cnt);
	}
	qrpc_dec_u16(d, &u16);
	if (check) {
		EXPECT_EQ(10, u16);
	}
	qrpc_dec_u16(d, &u16);
	if (check) {
		EXPECT_EQ(20, u16);
	}
	qrpc_dec_u16(d, &u16);
	if (check) {
		EXPECT_EQ(30, u16);
	}
	qrpc_dec_varying_header(d, &max, &off, &cnt, 8);
	if (check) {
		EXPECT_EQ(8, max);
		EXPECT_EQ(2, off);
		EXPECT_EQ(2, cnt);
	}
	qrpc_dec_u64(d, &u64);
	if (check) {
		EXPECT_EQ(7, u64);
	}
	qrpc_dec_u64(d, &u64);
	if (check) {
		EXPECT_EQ(9, u64);
	}
	qrpc_dec_fixed_varying_header(d, 4, &off, &cnt, 1);
	if (check) {
		EXPECT_EQ(1, off);
		EXPECT_EQ(3, cnt);
	}
	p = qrpc_dec_bytes(d, 3);
	if (check) {
		EXPECT_EQ(0, memcmp(p, "\1\2\3", 3));
	}
	if (qrpc_dec_unique(d) == 1) {
		qrpc_dec_u32(d, &u32);
		if (check) {
		EXPECT_EQ(0xcafe, u32);
	}
	} else if (check) {
		EXPECT_TRUE(0);
	}
	if (check) {
		EXPECT_EQ(0, qrpc_dec_unique(d));
	}
	else qrpc_dec_unique(d);
	qrpc_dec_align(d, 8);
	p = qrpc_dec_bytes(d, 5);
	if (check) {
		EXPECT_EQ(0, memcmp(p, "zcopy", 5));
	}
	qrpc_dec_bool(d, &b);
	if (check) {
		EXPECT_FALSE(b);
	}
	return qrpc_dec_end(d);
}

static size_t sample_len(void)
{
	uint8_t buf[256];
	struct qrpc_enc e;

	qrpc_enc_init(&e, buf, sizeof(buf));
	if (encode_sample(&e))
		abort();
	return qrpc_enc_len(&e);
}

TEST(round_trip_every_type)
{
	uint8_t buf[256];
	struct qrpc_enc e;
	struct qrpc_dec d;

	qrpc_enc_init(&e, buf, sizeof(buf));
	ASSERT_EQ(0, encode_sample(&e));
	qrpc_dec_init(&d, buf, qrpc_enc_len(&e));
	EXPECT_EQ(0, decode_sample(&d, _metadata, true));
}

TEST(round_trip_extremes)
{
	uint8_t buf[128];
	struct qrpc_enc e;
	struct qrpc_dec d;
	uint64_t u64;
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;
	int64_t i64;
	int32_t i32;
	int16_t i16;
	int8_t i8;
	float f, nanf = __builtin_nanf("0x12345");
	double g;

	qrpc_enc_init(&e, buf, sizeof(buf));
	qrpc_enc_u8(&e, UINT8_MAX);
	qrpc_enc_u16(&e, UINT16_MAX);
	qrpc_enc_u32(&e, UINT32_MAX);
	qrpc_enc_u64(&e, UINT64_MAX);
	qrpc_enc_i8(&e, INT8_MIN);
	qrpc_enc_i16(&e, INT16_MIN);
	qrpc_enc_i32(&e, INT32_MIN);
	qrpc_enc_i64(&e, INT64_MAX);
	qrpc_enc_f32(&e, nanf);
	qrpc_enc_f64(&e, -0.0);
	ASSERT_EQ(0, e.err);

	qrpc_dec_init(&d, buf, qrpc_enc_len(&e));
	EXPECT_EQ(0, qrpc_dec_u8(&d, &u8));
	EXPECT_EQ(UINT8_MAX, u8);
	EXPECT_EQ(0, qrpc_dec_u16(&d, &u16));
	EXPECT_EQ(UINT16_MAX, u16);
	EXPECT_EQ(0, qrpc_dec_u32(&d, &u32));
	EXPECT_EQ(UINT32_MAX, u32);
	EXPECT_EQ(0, qrpc_dec_u64(&d, &u64));
	EXPECT_EQ(UINT64_MAX, u64);
	EXPECT_EQ(0, qrpc_dec_i8(&d, &i8));
	EXPECT_EQ(INT8_MIN, i8);
	EXPECT_EQ(0, qrpc_dec_i16(&d, &i16));
	EXPECT_EQ(INT16_MIN, i16);
	EXPECT_EQ(0, qrpc_dec_i32(&d, &i32));
	EXPECT_EQ(INT32_MIN, i32);
	EXPECT_EQ(0, qrpc_dec_i64(&d, &i64));
	EXPECT_EQ(INT64_MAX, i64);
	/* Bit patterns survive, NaN payload and the sign of zero too. */
	EXPECT_EQ(0, qrpc_dec_f32(&d, &f));
	EXPECT_EQ(0, memcmp(&f, &nanf, sizeof(f)));
	EXPECT_EQ(0, qrpc_dec_f64(&d, &g));
	memcpy(&u64, &g, sizeof(u64));
	EXPECT_EQ(0x8000000000000000ULL, u64);
	EXPECT_EQ(0, qrpc_dec_end(&d));
}

/* Little-endian, aligned from the buffer start, zero padding. */
TEST(exact_bytes_on_the_wire)
{
	static const uint8_t want[] = {
		0x11, 0x00, 0x33, 0x22,				/* u8, pad, u16 */
		0x77, 0x66, 0x55, 0x44,				/* u32 */
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* bool, pad */
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,	/* u64 */
		0xfe, 0x00, 0x00, 0x00,				/* i8, pad */
		0x03, 0x00, 0x00, 0x00, 'h', 'i', 0x00,		/* string */
		0x00,						/* pad */
		0x00, 0x00, 0xc0, 0x3f,				/* 1.5f */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xbf,	/* -1.0 */
		0x01, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,	/* unique, u32 */
		0x00, 0x00, 0x00, 0x00,				/* unique NULL */
		0x09, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,	/* varying */
		0x02, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00,				/* array */
		0xab, 0xcd,					/* bytes */
		0x00, 0x00,					/* align 8 */
	};
	uint8_t buf[sizeof(want) + 8];
	struct qrpc_enc e;

	memset(buf, FILL, sizeof(buf));
	qrpc_enc_init(&e, buf, sizeof(buf));
	qrpc_enc_u8(&e, 0x11);
	qrpc_enc_u16(&e, 0x2233);
	qrpc_enc_u32(&e, 0x44556677);
	qrpc_enc_bool(&e, 42);
	qrpc_enc_u64(&e, 0x0102030405060708ULL);
	qrpc_enc_i8(&e, -2);
	qrpc_enc_string(&e, "hi");
	qrpc_enc_f32(&e, 1.5f);
	qrpc_enc_f64(&e, -1.0);
	EXPECT_EQ(1, qrpc_enc_unique(&e, buf));
	qrpc_enc_u32(&e, UINT32_MAX);
	EXPECT_EQ(0, qrpc_enc_unique(&e, NULL));
	qrpc_enc_varying_header(&e, 9, 1, 2);
	qrpc_enc_array_header(&e, 2);
	qrpc_enc_bytes(&e, "\xab\xcd", 2);
	qrpc_enc_align(&e, 8);
	ASSERT_EQ(0, e.err);
	ASSERT_EQ(sizeof(want), qrpc_enc_len(&e));
	EXPECT_EQ(0, memcmp(want, buf, sizeof(want)));
	/* Nothing written past the end of the message. */
	EXPECT_EQ(FILL, buf[sizeof(want)]);
}

TEST(fixed_varying_layout)
{
	static const uint8_t want[] = {
		0x07, 0x00, 0x00, 0x00,				/* u8, pad */
		0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
	};
	uint8_t buf[32];
	struct qrpc_enc e;

	memset(buf, FILL, sizeof(buf));
	qrpc_enc_init(&e, buf, sizeof(buf));
	qrpc_enc_u8(&e, 7);
	EXPECT_EQ(0, qrpc_enc_fixed_varying_header(&e, 3, 1, 2));
	ASSERT_EQ(sizeof(want), qrpc_enc_len(&e));
	EXPECT_EQ(0, memcmp(want, buf, sizeof(want)));
}

/*
 * At every capacity short of the full message the encoder fails with
 * -EMSGSIZE, writes nothing past cap, and what it wrote is a prefix of
 * the full message.
 */
TEST(every_capacity)
{
	size_t full = sample_len(), cap, i;
	uint8_t ref[256], buf[256 + 16];
	struct qrpc_enc e;

	qrpc_enc_init(&e, ref, sizeof(ref));
	ASSERT_EQ(0, encode_sample(&e));

	for (cap = 0; cap <= full; cap++) {
		memset(buf, FILL, sizeof(buf));
		qrpc_enc_init(&e, buf, cap);
		if (cap < full) {
			EXPECT_EQ(-EMSGSIZE, encode_sample(&e));
		} else {
			EXPECT_EQ(0, encode_sample(&e));
			EXPECT_EQ(full, qrpc_enc_len(&e));
		}
		EXPECT_LE(qrpc_enc_len(&e), cap);
		for (i = cap; i < sizeof(buf); i++)
			if (buf[i] != FILL)
				break;
		EXPECT_EQ(sizeof(buf), i);
		EXPECT_EQ(0, memcmp(ref, buf, qrpc_enc_len(&e)));
	}
}

/* The first error stays; later calls do nothing and return it. */
TEST(sticky_errors)
{
	uint8_t buf[8];
	struct qrpc_enc e;
	size_t pos;

	memset(buf, FILL, sizeof(buf));
	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(0, qrpc_enc_u32(&e, 1));
	EXPECT_EQ(-EMSGSIZE, qrpc_enc_u64(&e, 2));
	pos = qrpc_enc_len(&e);
	EXPECT_EQ(4, pos);
	/* This would fit, but the message is already lost. */
	EXPECT_EQ(-EMSGSIZE, qrpc_enc_u8(&e, 3));
	EXPECT_EQ(-EMSGSIZE, qrpc_enc_string(&e, NULL));
	EXPECT_EQ(-EMSGSIZE, qrpc_enc_ref(&e, NULL));
	EXPECT_EQ(-EMSGSIZE, qrpc_enc_unique(&e, buf));
	EXPECT_EQ(-EMSGSIZE, qrpc_enc_align(&e, 3));
	EXPECT_EQ(NULL, qrpc_enc_reserve(&e, 0, 1));
	EXPECT_EQ(pos, qrpc_enc_len(&e));
	EXPECT_EQ(FILL, buf[4]);

	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(-EINVAL, qrpc_enc_string(&e, NULL));
	EXPECT_EQ(-EINVAL, qrpc_enc_u64(&e, 1));
	EXPECT_EQ(0, qrpc_enc_len(&e));

	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(-EINVAL, qrpc_enc_ref(&e, NULL));
	EXPECT_EQ(-EINVAL, e.err);

	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(0, qrpc_enc_ref(&e, buf));
	EXPECT_EQ(-EINVAL, qrpc_enc_align(&e, 16));
	EXPECT_EQ(-EINVAL, e.err);

	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(-EINVAL, qrpc_enc_varying_header(&e, 4, 3, 2));
	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(-EINVAL, qrpc_enc_fixed_varying_header(&e, UINT32_MAX,
							 UINT32_MAX, 1));
	EXPECT_EQ(0, qrpc_enc_len(&e));
}

TEST(no_buffer)
{
	struct qrpc_enc e;
	struct qrpc_dec d;

	qrpc_enc_init(&e, NULL, 100);
	EXPECT_EQ(0, qrpc_enc_align(&e, 8));
	EXPECT_NE(NULL, qrpc_enc_reserve(&e, 0, 1));
	EXPECT_EQ(-EMSGSIZE, qrpc_enc_u8(&e, 1));

	qrpc_dec_init(&d, NULL, 100);
	EXPECT_NE(NULL, qrpc_dec_bytes(&d, 0));
	EXPECT_EQ(0, qrpc_dec_end(&d));
	EXPECT_EQ(NULL, qrpc_dec_bytes(&d, 1));
	EXPECT_EQ(-EBADMSG, qrpc_dec_end(&d));
}

/*
 * Every proper prefix of a valid message fails cleanly.  Each is decoded
 * from an allocation of exactly its size, so ASan catches any read past
 * the end.
 */
TEST(every_truncation)
{
	uint8_t ref[256];
	struct qrpc_enc e;
	struct qrpc_dec d;
	size_t len, full;

	qrpc_enc_init(&e, ref, sizeof(ref));
	ASSERT_EQ(0, encode_sample(&e));
	full = qrpc_enc_len(&e);

	for (len = 0; len <= full; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		ASSERT_NE(NULL, copy);
		memcpy(copy, ref, len);
		qrpc_dec_init(&d, copy, len);
		if (len < full) {
			EXPECT_EQ(-EBADMSG, decode_sample(&d, _metadata, false));
			EXPECT_LE(d.pos, len);
		} else {
			EXPECT_EQ(0, decode_sample(&d, _metadata, true));
		}
		free(copy);
	}
}

TEST(trailing_bytes)
{
	uint8_t buf[8] = { 1, 2, 3, 4, 5 };
	struct qrpc_dec d;
	uint32_t v;

	qrpc_dec_init(&d, buf, 5);
	EXPECT_EQ(0, qrpc_dec_u32(&d, &v));
	EXPECT_EQ(0x04030201, v);
	EXPECT_EQ(-EBADMSG, qrpc_dec_end(&d));
	EXPECT_EQ(0, d.err);
	qrpc_dec_bytes(&d, 1);
	EXPECT_EQ(0, qrpc_dec_end(&d));
	/* Reading past the end is an error, and it sticks. */
	EXPECT_EQ(-EBADMSG, qrpc_dec_u8(&d, buf));
	EXPECT_EQ(0, buf[0]);
	EXPECT_EQ(-EBADMSG, qrpc_dec_end(&d));
}

/* Padding means nothing: the decoder skips it, whatever it holds. */
TEST(decode_skips_padding)
{
	static const uint8_t buf[] = {
		0x01, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x03,
		0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
	};
	struct qrpc_dec d;
	uint8_t a, c;
	uint32_t b;

	qrpc_dec_init(&d, buf, sizeof(buf));
	EXPECT_EQ(0, qrpc_dec_u8(&d, &a));
	EXPECT_EQ(0, qrpc_dec_u32(&d, &b));
	EXPECT_EQ(0, qrpc_dec_u8(&d, &c));
	EXPECT_EQ(0, qrpc_dec_align(&d, 8));
	EXPECT_EQ(1, a);
	EXPECT_EQ(2, b);
	EXPECT_EQ(3, c);
	EXPECT_EQ(0, qrpc_dec_end(&d));
	EXPECT_EQ(0, qrpc_dec_align(&d, 8));
	EXPECT_EQ(-EINVAL, qrpc_dec_align(&d, 5));

	/* Padding that runs past the end is truncation. */
	qrpc_dec_init(&d, buf, 9);
	qrpc_dec_bytes(&d, 9);
	EXPECT_EQ(-EBADMSG, qrpc_dec_align(&d, 2));
}

static int dec_string_of(const void *wire, size_t len, const char **s,
			 uint32_t *n)
{
	struct qrpc_dec d;
	int ret;

	qrpc_dec_init(&d, wire, len);
	ret = qrpc_dec_string(&d, s, n);
	return ret ? ret : qrpc_dec_end(&d);
}

static int dec_string_copy_of(const void *wire, size_t len, char *dst,
			      size_t cap)
{
	struct qrpc_dec d;
	int ret;

	qrpc_dec_init(&d, wire, len);
	ret = qrpc_dec_string_copy(&d, dst, cap);
	return ret ? ret : qrpc_dec_end(&d);
}

TEST(strings)
{
	const char *s;
	uint32_t n;
	char dst[8];

	EXPECT_EQ(0, dec_string_of("\3\0\0\0ab", 7, &s, &n));
	EXPECT_STREQ("ab", s);
	EXPECT_EQ(2, n);
	EXPECT_EQ(0, dec_string_of("\1\0\0\0", 5, &s, NULL));
	EXPECT_STREQ("", s);

	/* Length 0: no room even for the NUL. */
	EXPECT_EQ(-EBADMSG, dec_string_of("\0\0\0\0", 4, &s, &n));
	EXPECT_EQ(NULL, s);
	EXPECT_EQ(0, n);
	/* Missing NUL. */
	EXPECT_EQ(-EBADMSG, dec_string_of("\3\0\0\0abc", 7, &s, &n));
	EXPECT_EQ(NULL, s);
	/* Embedded NUL. */
	EXPECT_EQ(-EBADMSG, dec_string_of("\3\0\0\0a\0", 7, &s, &n));
	EXPECT_EQ(-EBADMSG, dec_string_of("\3\0\0\0\0\0", 7, &s, &n));
	/* Longer than the buffer, up to the largest length. */
	EXPECT_EQ(-EBADMSG, dec_string_of("\4\0\0\0ab", 7, &s, &n));
	EXPECT_EQ(-EBADMSG, dec_string_of("\xff\xff\xff\xff" "ab", 7, &s, &n));
	EXPECT_EQ(-EBADMSG, dec_string_of("\3\0\0", 3, &s, &n));

	EXPECT_EQ(0, dec_string_copy_of("\3\0\0\0ab", 7, dst, sizeof(dst)));
	EXPECT_STREQ("ab", dst);
	EXPECT_EQ(0, dec_string_copy_of("\3\0\0\0ab", 7, dst, 3));
	EXPECT_STREQ("ab", dst);
	EXPECT_EQ(-EMSGSIZE, dec_string_copy_of("\3\0\0\0ab", 7, dst, 2));
	EXPECT_STREQ("", dst);
	memcpy(dst, "junk", 5);
	EXPECT_EQ(-EBADMSG, dec_string_copy_of("\3\0\0\0a\0", 7, dst, 8));
	EXPECT_STREQ("", dst);
	memcpy(dst, "junk", 5);
	EXPECT_EQ(-EBADMSG, dec_string_copy_of("\3\0\0\0abc", 7, dst, 8));
	EXPECT_STREQ("", dst);
	EXPECT_EQ(-EBADMSG, dec_string_copy_of("\0\0\0\0", 4, dst, 8));
	EXPECT_EQ(-EBADMSG, dec_string_copy_of("\x10\0\0\0ab", 7, dst, 0));
}

TEST(bool_values)
{
	static const uint8_t buf[] = { 0, 1, 2, 0xff };
	struct qrpc_dec d;
	bool b;

	qrpc_dec_init(&d, buf, sizeof(buf));
	EXPECT_EQ(0, qrpc_dec_bool(&d, &b));
	EXPECT_FALSE(b);
	EXPECT_EQ(0, qrpc_dec_bool(&d, &b));
	EXPECT_TRUE(b);
	EXPECT_EQ(-EBADMSG, qrpc_dec_bool(&d, &b));
	EXPECT_FALSE(b);

	qrpc_dec_init(&d, buf + 3, 1);
	EXPECT_EQ(-EBADMSG, qrpc_dec_bool(&d, &b));
}

static int dec_array_of(uint32_t count, size_t room, size_t elem_size,
			uint32_t max_count, uint32_t *out)
{
	uint8_t *buf = calloc(1, 4 + room);
	struct qrpc_dec d;
	int ret;

	if (!buf)
		abort();
	buf[0] = (uint8_t)count;
	buf[1] = (uint8_t)(count >> 8);
	buf[2] = (uint8_t)(count >> 16);
	buf[3] = (uint8_t)(count >> 24);
	qrpc_dec_init(&d, buf, 4 + room);
	ret = qrpc_dec_array_header(&d, out, elem_size, max_count);
	free(buf);
	return ret;
}

TEST(array_counts)
{
	uint32_t n;

	EXPECT_EQ(0, dec_array_of(4, 16, 4, 0, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(0, dec_array_of(0, 0, 8, 0, &n));
	EXPECT_EQ(0, dec_array_of(3, 0, 0, 0, &n));
	EXPECT_EQ(3, n);
	/* One element too many for what is left. */
	EXPECT_EQ(-EBADMSG, dec_array_of(5, 16, 4, 0, &n));
	EXPECT_EQ(0, n);
	/* count * elem_size wraps around size_t. */
	EXPECT_EQ(-EBADMSG, dec_array_of(UINT32_MAX, 16, SIZE_MAX / 2, 0, &n));
	EXPECT_EQ(-EBADMSG, dec_array_of(2, 16, SIZE_MAX / 2 + 1, 0, &n));
	EXPECT_EQ(-EBADMSG, dec_array_of(UINT32_MAX, 16, 1, 0, &n));
	/* The IDL's bound. */
	EXPECT_EQ(0, dec_array_of(4, 16, 1, 4, &n));
	EXPECT_EQ(-EBADMSG, dec_array_of(5, 16, 1, 4, &n));
	EXPECT_EQ(-EBADMSG, dec_array_of(UINT32_MAX, 0, 0, 1000, &n));
	EXPECT_EQ(0, n);
}

static int dec_varying_of(uint32_t max, uint32_t off, uint32_t cnt,
			  size_t room, size_t elem_size)
{
	uint8_t *buf = calloc(1, 12 + room);
	struct qrpc_enc e;
	struct qrpc_dec d;
	uint32_t m, o, c;
	int ret;

	if (!buf)
		abort();
	/* Written raw: the encoder would refuse the bad ones. */
	qrpc_enc_init(&e, buf, 12);
	qrpc_enc_u32(&e, max);
	qrpc_enc_u32(&e, off);
	qrpc_enc_u32(&e, cnt);
	qrpc_dec_init(&d, buf, 12 + room);
	ret = qrpc_dec_varying_header(&d, &m, &o, &c, elem_size);
	if (!ret && (m != max || o != off || c != cnt))
		ret = -1;
	if (ret && (m || o || c))
		ret = -2;
	free(buf);
	return ret;
}

static int dec_fixed_varying_of(uint32_t max, uint32_t off, uint32_t cnt,
				size_t room, size_t elem_size)
{
	uint8_t *buf = calloc(1, 8 + room);
	struct qrpc_enc e;
	struct qrpc_dec d;
	uint32_t o, c;
	int ret;

	if (!buf)
		abort();
	qrpc_enc_init(&e, buf, 8);
	qrpc_enc_u32(&e, off);
	qrpc_enc_u32(&e, cnt);
	qrpc_dec_init(&d, buf, 8 + room);
	ret = qrpc_dec_fixed_varying_header(&d, max, &o, &c, elem_size);
	if (!ret && (o != off || c != cnt))
		ret = -1;
	if (ret && (o || c))
		ret = -2;
	free(buf);
	return ret;
}

TEST(varying_bounds)
{
	EXPECT_EQ(0, dec_varying_of(10, 2, 8, 32, 4));
	EXPECT_EQ(0, dec_varying_of(10, 10, 0, 0, 4));
	EXPECT_EQ(0, dec_varying_of(UINT32_MAX, 0, 0, 0, 4));
	EXPECT_EQ(-EBADMSG, dec_varying_of(10, 3, 8, 64, 4));
	EXPECT_EQ(-EBADMSG, dec_varying_of(10, 11, 0, 64, 4));
	/* offset + count wraps a u32 to something <= max. */
	EXPECT_EQ(-EBADMSG, dec_varying_of(UINT32_MAX, UINT32_MAX, 2, 64, 0));
	EXPECT_EQ(-EBADMSG, dec_varying_of(5, 0xfffffffe, 4, 64, 0));
	/* count elements must fit what is left. */
	EXPECT_EQ(-EBADMSG, dec_varying_of(10, 2, 8, 31, 4));
	EXPECT_EQ(-EBADMSG, dec_varying_of(UINT32_MAX, 0, UINT32_MAX, 64,
					   SIZE_MAX / 2));

	EXPECT_EQ(0, dec_fixed_varying_of(4, 1, 3, 3, 1));
	EXPECT_EQ(-EBADMSG, dec_fixed_varying_of(4, 2, 3, 8, 1));
	EXPECT_EQ(-EBADMSG, dec_fixed_varying_of(4, UINT32_MAX, 5, 8, 1));
	EXPECT_EQ(-EBADMSG, dec_fixed_varying_of(4, 1, 3, 2, 1));
}

TEST(unique_markers)
{
	uint8_t buf[4];
	struct qrpc_dec d;
	static const uint32_t bad[] = { 2, 0x100, 0x10000, 0x01000000,
					0x80000001, UINT32_MAX };
	size_t i;

	for (i = 0; i < 2; i++) {
		memcpy(buf, "\0\0\0\0", 4);
		buf[0] = (uint8_t)i;
		qrpc_dec_init(&d, buf, 4);
		EXPECT_EQ((int)i, qrpc_dec_unique(&d));
		EXPECT_EQ(0, qrpc_dec_end(&d));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf[0] = (uint8_t)bad[i];
		buf[1] = (uint8_t)(bad[i] >> 8);
		buf[2] = (uint8_t)(bad[i] >> 16);
		buf[3] = (uint8_t)(bad[i] >> 24);
		qrpc_dec_init(&d, buf, 4);
		EXPECT_EQ(-EBADMSG, qrpc_dec_unique(&d));
		EXPECT_EQ(-EBADMSG, qrpc_dec_end(&d));
	}
	qrpc_dec_init(&d, buf, 3);
	EXPECT_EQ(-EBADMSG, qrpc_dec_unique(&d));
}

TEST(reserve_zero_copy)
{
	uint8_t buf[24];
	struct qrpc_enc e;
	struct qrpc_dec d;
	uint64_t *p;
	const uint8_t *q;
	uint8_t u8;

	memset(buf, FILL, sizeof(buf));
	qrpc_enc_init(&e, buf, sizeof(buf));
	qrpc_enc_u8(&e, 9);
	p = qrpc_enc_reserve(&e, 8, 8);
	ASSERT_EQ((void *)(buf + 8), (void *)p);
	/* Padding is zeroed; the reserved bytes are the caller's. */
	EXPECT_EQ(0, memcmp(buf + 1, "\0\0\0\0\0\0\0", 7));
	EXPECT_EQ(FILL, buf[8]);
	memcpy(p, "ABCDEFGH", 8);
	EXPECT_EQ(16, qrpc_enc_len(&e));
	EXPECT_EQ(buf + 16, qrpc_enc_reserve(&e, 0, 8));

	/* All or nothing: no padding written when the space won't fit. */
	qrpc_enc_u8(&e, 1);
	EXPECT_EQ(NULL, qrpc_enc_reserve(&e, 1, 8));
	EXPECT_EQ(-EMSGSIZE, e.err);
	EXPECT_EQ(17, qrpc_enc_len(&e));
	EXPECT_EQ(FILL, buf[17]);

	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(NULL, qrpc_enc_reserve(&e, SIZE_MAX, 1));
	EXPECT_EQ(-EMSGSIZE, e.err);
	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(NULL, qrpc_enc_reserve(&e, 1, 0));
	EXPECT_EQ(-EINVAL, e.err);
	qrpc_enc_init(&e, buf, sizeof(buf));
	EXPECT_EQ(NULL, qrpc_enc_reserve(&e, 1, 6));
	EXPECT_EQ(-EINVAL, e.err);

	qrpc_dec_init(&d, buf, 16);
	EXPECT_EQ(0, qrpc_dec_u8(&d, &u8));
	EXPECT_EQ(0, qrpc_dec_align(&d, 8));
	q = qrpc_dec_bytes(&d, 8);
	ASSERT_EQ(buf + 8, q);
	EXPECT_EQ(0, memcmp(q, "ABCDEFGH", 8));
	EXPECT_EQ(0, qrpc_dec_end(&d));
	EXPECT_EQ(NULL, qrpc_dec_bytes(&d, SIZE_MAX));
}

/* Outputs are zeroed on error, so stubs never see stale values. */
TEST(outputs_zeroed_on_error)
{
	static const uint8_t buf[2] = { 0xff, 0xff };
	struct qrpc_dec d;
	uint64_t u64 = 1;
	uint32_t a = 1, b = 1, c = 1;
	double g = 1;
	const char *s = "x";

	qrpc_dec_init(&d, buf, sizeof(buf));
	EXPECT_EQ(-EBADMSG, qrpc_dec_u64(&d, &u64));
	EXPECT_EQ(0, u64);
	EXPECT_EQ(-EBADMSG, qrpc_dec_f64(&d, &g));
	EXPECT_TRUE(g == 0);
	EXPECT_EQ(-EBADMSG, qrpc_dec_varying_header(&d, &a, &b, &c, 1));
	EXPECT_EQ(0, a + b + c);
	EXPECT_EQ(-EBADMSG, qrpc_dec_string(&d, &s, &a));
	EXPECT_EQ(NULL, s);
	a = 1;
	EXPECT_EQ(-EBADMSG, qrpc_dec_array_header(&d, &a, 1, 0));
	EXPECT_EQ(0, a);
}

TEST_HARNESS_MAIN
