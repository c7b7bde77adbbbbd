// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the marshalling runtime (libshim/marshal.c).
 *
 * The input is a little schema program followed by a message: byte 0 is
 * the schema's length (up to MAX_SCHEMA), then come the schema's type
 * codes, then the message, which is decoded as the schema says.  Every
 * value decoded is logged; the log is replayed through the encoder into a
 * fresh buffer of exactly the decoded length, which is decoded again.
 * The two logs must agree, and encoding the second must give the same
 * bytes (the encoding is canonical: padding is zero).  Anything else, or
 * a read or write out of bounds, is a bug: abort().
 *
 * Schema codes (code % N_CODES), children follow their parent; a schema
 * that ends early reads as u8:
 *   0-10  u8 u16 u32 u64 i8 i16 i32 i64 f32 f64 bool
 *   11    string, in place         12  string, copied (cap COPY_CAP)
 *   13    conformant array of <child>; code >= 128: at most 7 elements
 *   14    conformant varying array of <child>
 *   15    varying array, bound <next byte>, of <child>
 *   16    unique pointer to <child>
 *   17    struct: <next byte> = fields (1-4) | align (1, 2, 4, 8) << 2,
 *         then the fields
 *   18    <next byte> raw bytes, in place
 *   19    align to 1 << (<next byte> & 3)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qrpc_marshal.h"

#define MAX_SCHEMA	64
#define COPY_CAP	16
/* Elements that may encode to nothing are not bounded by the buffer. */
#define MAX_EMPTY_ELEMS	64

enum op {
	OP_U8, OP_U16, OP_U32, OP_U64, OP_I8, OP_I16, OP_I32, OP_I64,
	OP_F32, OP_F64, OP_BOOL,
	OP_STRING, OP_STRING_COPY, OP_ARRAY, OP_VARYING, OP_FIXED_VARYING,
	OP_UNIQUE, OP_STRUCT, OP_BYTES, OP_ALIGN,
	N_CODES
};

struct entry {
	enum op		op;
	uint64_t	v[3];		/* values, bit patterns for floats */
	const uint8_t	*data;		/* strings (with NUL) and raw bytes */
	size_t		len;
	size_t		pos;		/* decoder position after the call */
};

struct log {
	struct entry	*e;
	size_t		n, cap;
	bool		stopped;	/* hit MAX_EMPTY_ELEMS */
};

struct schema {
	const uint8_t	*s;
	size_t		n;
};

static uint8_t code_at(const struct schema *sc, size_t i)
{
	return i < sc->n ? sc->s[i] : 0;
}

static struct entry *add(struct log *log, enum op op)
{
	struct entry *e;

	if (log->n == log->cap) {
		log->cap = log->cap ? 2 * log->cap : 64;
		log->e = realloc(log->e, log->cap * sizeof(*log->e));
		if (!log->e)
			abort();
	}
	e = &log->e[log->n++];
	memset(e, 0, sizeof(*e));
	e->op = op;
	return e;
}

/* Index just past the node at @i. */
static size_t skip(const struct schema *sc, size_t i)
{
	uint8_t c = code_at(sc, i);
	size_t k, fields;

	switch (c % N_CODES) {
	case OP_ARRAY:
	case OP_VARYING:
	case OP_UNIQUE:
		return skip(sc, i + 1);
	case OP_FIXED_VARYING:
		return skip(sc, i + 2);
	case OP_STRUCT:
		fields = (code_at(sc, i + 1) & 3) + 1u;
		i += 2;
		for (k = 0; k < fields; k++)
			i = skip(sc, i);
		return i;
	case OP_BYTES:
	case OP_ALIGN:
		return i + 2;
	default:
		return i + 1;
	}
}

/* Smallest encoded size of the node at @i, padding not counted. */
static size_t min_size(const struct schema *sc, size_t i)
{
	static const uint8_t prim[] = { 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 1 };
	uint8_t c = code_at(sc, i);
	size_t k, sum, fields;

	switch (c % N_CODES) {
	case OP_STRING:
	case OP_STRING_COPY:
		return 5;
	case OP_ARRAY:
	case OP_UNIQUE:
		return 4;
	case OP_VARYING:
		return 12;
	case OP_FIXED_VARYING:
		return 8;
	case OP_STRUCT:
		sum = 0;
		fields = (code_at(sc, i + 1) & 3) + 1u;
		i += 2;
		for (k = 0; k < fields; k++) {
			sum += min_size(sc, i);
			i = skip(sc, i);
		}
		return sum;
	case OP_BYTES:
		return code_at(sc, i + 1);
	case OP_ALIGN:
		return 0;
	default:
		return prim[c % N_CODES];
	}
}

static bool walk(struct qrpc_dec *d, const struct schema *sc, size_t i,
		 struct log *log);

/* Log a call that succeeded, with where it left the decoder. */
static bool logged(struct log *log, const struct qrpc_dec *d, enum op op,
		   const uint64_t v[3], const uint8_t *data, size_t len)
{
	struct entry *e;

	if (d->pos > d->len)
		abort();
	e = add(log, op);
	memcpy(e->v, v, sizeof(e->v));
	e->data = data;
	e->len = len;
	e->pos = d->pos;
	return true;
}

/* @count elements of the node at @i; false to stop. */
static bool elements(struct qrpc_dec *d, const struct schema *sc, size_t i,
		     uint32_t count, struct log *log)
{
	uint32_t k;

	if (!min_size(sc, i) && count > MAX_EMPTY_ELEMS) {
		log->stopped = true;
		return false;
	}
	for (k = 0; k < count; k++)
		if (!walk(d, sc, i, log))
			return false;
	return true;
}

/*
 * Decode the node at @i, logging what succeeded.  Returns false to stop
 * (an error, or the fuzzer's own limit).
 */
static bool walk(struct qrpc_dec *d, const struct schema *sc, size_t i,
		 struct log *log)
{
	uint8_t c = code_at(sc, i), arg = code_at(sc, i + 1);
	enum op op = (enum op)(c % N_CODES);
	uint64_t v[3] = { 0, 0, 0 };
	const uint8_t *data = NULL;
	size_t len = 0, elem, k;
	char copy[COPY_CAP];
	int ret = 0;

	switch (op) {
	case OP_U8: {
		uint8_t x;

		ret = qrpc_dec_u8(d, &x);
		v[0] = x;
		break;
	}
	case OP_U16: {
		uint16_t x;

		ret = qrpc_dec_u16(d, &x);
		v[0] = x;
		break;
	}
	case OP_U32: {
		uint32_t x;

		ret = qrpc_dec_u32(d, &x);
		v[0] = x;
		break;
	}
	case OP_U64:
		ret = qrpc_dec_u64(d, &v[0]);
		break;
	case OP_I8: {
		int8_t x;

		ret = qrpc_dec_i8(d, &x);
		v[0] = (uint64_t)(int64_t)x;
		break;
	}
	case OP_I16: {
		int16_t x;

		ret = qrpc_dec_i16(d, &x);
		v[0] = (uint64_t)(int64_t)x;
		break;
	}
	case OP_I32: {
		int32_t x;

		ret = qrpc_dec_i32(d, &x);
		v[0] = (uint64_t)(int64_t)x;
		break;
	}
	case OP_I64: {
		int64_t x;

		ret = qrpc_dec_i64(d, &x);
		v[0] = (uint64_t)x;
		break;
	}
	case OP_F32: {
		float x;
		uint32_t bits;

		ret = qrpc_dec_f32(d, &x);
		memcpy(&bits, &x, sizeof(bits));
		v[0] = bits;
		break;
	}
	case OP_F64: {
		double x;

		ret = qrpc_dec_f64(d, &x);
		memcpy(&v[0], &x, sizeof(v[0]));
		break;
	}
	case OP_BOOL: {
		bool x;

		ret = qrpc_dec_bool(d, &x);
		v[0] = x;
		break;
	}
	case OP_STRING: {
		const char *s;
		uint32_t n;

		ret = qrpc_dec_string(d, &s, &n);
		if (ret)
			break;
		if (strlen(s) != n)
			abort();
		data = (const uint8_t *)s;
		len = (size_t)n + 1;
		break;
	}
	case OP_STRING_COPY:
		ret = qrpc_dec_string_copy(d, copy, sizeof(copy));
		if (ret)
			break;
		/* The copy is the string just consumed. */
		len = strlen(copy) + 1;
		if (len > sizeof(copy) || len > d->pos)
			abort();
		data = d->buf + d->pos - len;
		if (memcmp(data, copy, len) != 0)
			abort();
		break;
	case OP_ARRAY: {
		uint32_t n;

		elem = min_size(sc, i + 1);
		ret = qrpc_dec_array_header(d, &n, elem, c >= 128 ? 7 : 0);
		if (ret)
			break;
		if ((c >= 128 && n > 7) ||
		    (elem && (size_t)n * elem > d->len - d->pos))
			abort();
		v[0] = n;
		logged(log, d, op, v, NULL, 0);
		return elements(d, sc, i + 1, n, log);
	}
	case OP_VARYING: {
		uint32_t m, o, n;

		elem = min_size(sc, i + 1);
		ret = qrpc_dec_varying_header(d, &m, &o, &n, elem);
		if (ret)
			break;
		if ((uint64_t)o + n > m)
			abort();
		v[0] = m;
		v[1] = o;
		v[2] = n;
		logged(log, d, op, v, NULL, 0);
		return elements(d, sc, i + 1, n, log);
	}
	case OP_FIXED_VARYING: {
		uint32_t o, n;

		elem = min_size(sc, i + 2);
		ret = qrpc_dec_fixed_varying_header(d, arg, &o, &n, elem);
		if (ret)
			break;
		if ((uint64_t)o + n > arg)
			abort();
		v[0] = arg;
		v[1] = o;
		v[2] = n;
		logged(log, d, op, v, NULL, 0);
		return elements(d, sc, i + 2, n, log);
	}
	case OP_UNIQUE:
		ret = qrpc_dec_unique(d);
		if (ret < 0)
			break;
		if (ret > 1)
			abort();
		v[0] = (uint64_t)ret;
		logged(log, d, op, v, NULL, 0);
		return ret ? walk(d, sc, i + 1, log) : true;
	case OP_STRUCT:
		ret = qrpc_dec_align(d, (size_t)1 << ((arg >> 2) & 3));
		if (ret)
			break;
		v[0] = (uint64_t)1 << ((arg >> 2) & 3);
		logged(log, d, OP_ALIGN, v, NULL, 0);
		i += 2;
		for (k = 0; k < (arg & 3) + 1u; k++) {
			if (!walk(d, sc, i, log))
				return false;
			i = skip(sc, i);
		}
		return true;
	case OP_BYTES:
		data = qrpc_dec_bytes(d, arg);
		if (!data)
			ret = d->err;
		len = arg;
		break;
	case OP_ALIGN:
		v[0] = (uint64_t)1 << (arg & 3);
		ret = qrpc_dec_align(d, v[0]);
		break;
	default:
		abort();
	}
	if (ret) {
		/*
		 * Failures are sticky, leave the position in bounds, and
		 * are malformed input, or a string too long for our copy.
		 */
		if (ret != d->err || d->pos > d->len ||
		    (ret != -EBADMSG &&
		     !(op == OP_STRING_COPY && ret == -EMSGSIZE)))
			abort();
		return false;
	}
	return logged(log, d, op, v, data, len);
}

/* Replay @log through an encoder; returns its sticky error. */
static int replay(struct qrpc_enc *e, const struct log *log)
{
	static const uint8_t referent;
	size_t k;
	void *p;
	int ret;

	for (k = 0; k < log->n; k++) {
		const struct entry *x = &log->e[k];

		switch (x->op) {
		case OP_U8:	qrpc_enc_u8(e, (uint8_t)x->v[0]); break;
		case OP_U16:	qrpc_enc_u16(e, (uint16_t)x->v[0]); break;
		case OP_U32:	qrpc_enc_u32(e, (uint32_t)x->v[0]); break;
		case OP_U64:	qrpc_enc_u64(e, x->v[0]); break;
		case OP_I8:	qrpc_enc_i8(e, (int8_t)x->v[0]); break;
		case OP_I16:	qrpc_enc_i16(e, (int16_t)x->v[0]); break;
		case OP_I32:	qrpc_enc_i32(e, (int32_t)x->v[0]); break;
		case OP_I64:	qrpc_enc_i64(e, (int64_t)x->v[0]); break;
		case OP_F32: {
			uint32_t bits = (uint32_t)x->v[0];
			float f;

			memcpy(&f, &bits, sizeof(f));
			qrpc_enc_f32(e, f);
			break;
		}
		case OP_F64: {
			double f;

			memcpy(&f, &x->v[0], sizeof(f));
			qrpc_enc_f64(e, f);
			break;
		}
		case OP_BOOL:	qrpc_enc_bool(e, x->v[0] != 0); break;
		case OP_STRING:
		case OP_STRING_COPY:
			qrpc_enc_string(e, (const char *)x->data);
			break;
		case OP_ARRAY:
			qrpc_enc_array_header(e, (uint32_t)x->v[0]);
			break;
		case OP_VARYING:
			qrpc_enc_varying_header(e, (uint32_t)x->v[0],
						(uint32_t)x->v[1],
						(uint32_t)x->v[2]);
			break;
		case OP_FIXED_VARYING:
			qrpc_enc_fixed_varying_header(e, (uint32_t)x->v[0],
						      (uint32_t)x->v[1],
						      (uint32_t)x->v[2]);
			break;
		case OP_UNIQUE:
			ret = qrpc_enc_unique(e, x->v[0] ? &referent : NULL);
			if (ret >= 0 && (uint64_t)ret != x->v[0])
				abort();
			break;
		case OP_BYTES:
			/* Both ways of writing raw bytes. */
			if (x->len & 1) {
				qrpc_enc_bytes(e, x->data, x->len);
				break;
			}
			p = qrpc_enc_reserve(e, x->len, 1);
			if (p && x->len)
				memcpy(p, x->data, x->len);
			break;
		case OP_ALIGN:
			qrpc_enc_align(e, x->v[0]);
			break;
		default:
			abort();
		}
		if (!e->err && qrpc_enc_len(e) != x->pos)
			abort();
	}
	return e->err;
}

static bool same_entry(const struct entry *a, const struct entry *b)
{
	return a->op == b->op && memcmp(a->v, b->v, sizeof(a->v)) == 0 &&
	       a->len == b->len && a->pos == b->pos &&
	       (!a->len || memcmp(a->data, b->data, a->len) == 0);
}

static int decode(const struct schema *sc, const uint8_t *buf, size_t len,
		  struct log *log, struct qrpc_dec *d)
{
	size_t i = 0;

	qrpc_dec_init(d, buf, len);
	/* The schema's nodes one after another, as a call's arguments. */
	while (i < sc->n && walk(d, sc, i, log))
		i = skip(sc, i);
	return d->err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct log log1 = { 0 }, log2 = { 0 }, log3 = { 0 };
	struct qrpc_dec d1, d2;
	struct qrpc_enc e;
	struct schema sc;
	uint8_t *buf2, *buf3;
	size_t len, k;
	int err1, err2;
	bool complete;

	if (!size)
		return 0;
	sc.n = data[0] % (MAX_SCHEMA + 1);
	if (sc.n > size - 1)
		sc.n = size - 1;
	sc.s = data + 1;
	data += 1 + sc.n;
	size -= 1 + sc.n;

	err1 = decode(&sc, data, size, &log1, &d1);
	if (d1.pos > size || (err1 && qrpc_dec_end(&d1) != err1))
		abort();
	if (!err1 && !log1.stopped &&
	    qrpc_dec_end(&d1) != (d1.pos == size ? 0 : -EBADMSG))
		abort();

	/* What decoded re-encodes into exactly as many bytes. */
	len = log1.n ? log1.e[log1.n - 1].pos : 0;
	buf2 = malloc(len ? len : 1);
	buf3 = malloc(len ? len : 1);
	if (!buf2 || !buf3)
		abort();
	qrpc_enc_init(&e, buf2, len);
	if (replay(&e, &log1) || qrpc_enc_len(&e) != len)
		abort();
	/* And fails cleanly with one byte less. */
	if (len) {
		qrpc_enc_init(&e, buf3, len - 1);
		if (replay(&e, &log1) != -EMSGSIZE || qrpc_enc_len(&e) >= len)
			abort();
	}

	/*
	 * Decoding it again gives the same values.  If the first decode
	 * ended early (error or limit), only a prefix: a header's count is
	 * checked against less room now, and there is no more to decode.
	 */
	complete = !err1 && !log1.stopped;
	err2 = decode(&sc, buf2, len, &log2, &d2);
	if (log2.n > log1.n)
		abort();
	if (complete && (err2 || log2.stopped || log2.n != log1.n ||
			 qrpc_dec_end(&d2)))
		abort();
	if (!complete && !err2 && !log2.stopped)
		abort();
	for (k = 0; k < log2.n; k++)
		if (!same_entry(&log1.e[k], &log2.e[k]))
			abort();

	/* Canonical: encoding the second decode gives the same bytes. */
	if (complete) {
		qrpc_enc_init(&e, buf3, len);
		if (replay(&e, &log2) || qrpc_enc_len(&e) != len ||
		    (len && memcmp(buf2, buf3, len) != 0))
			abort();
		/* Decoding never writes. */
		err2 = decode(&sc, buf3, len, &log3, &d2);
		if (err2 || (len && memcmp(buf2, buf3, len) != 0))
			abort();
	}

	free(log1.e);
	free(log2.e);
	free(log3.e);
	free(buf2);
	free(buf3);
	return 0;
}
