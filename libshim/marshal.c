// SPDX-License-Identifier: MIT
/*
 * Marshalling runtime of the generated stubs: the parts of the encoder and
 * decoder that are not inline in qrpc_marshal.h.  The wire format is
 * described there.
 *
 * The decoder reads memory that a hostile peer may rewrite while we read
 * it: each header word is read once into a local (hidden from the
 * optimizer, see QRPC__HIDE), checked, and only the local is used after;
 * sizes are compared as "n > room" and "count > room / size", never as a
 * sum or product that could wrap.
 */
#include <string.h>

#include "qrpc_marshal.h"

_Static_assert(sizeof(float) == 4, "float is not IEEE single");
_Static_assert(sizeof(double) == 8, "double is not IEEE double");

/*
 * Where an encoder or decoder given no buffer points, so that buf + pos
 * is always valid pointer arithmetic (NULL + 0 is not, in C) and an empty
 * qrpc_dec_bytes() is told apart from an error.  Never written: cap is 0.
 */
static uint8_t empty_buf[1];

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* One read of a u32 of the peer's; the caller hides the result. */
static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void qrpc_enc_init(struct qrpc_enc *e, void *buf, size_t cap)
{
	e->buf = buf ? (uint8_t *)buf : empty_buf;
	e->cap = buf ? cap : 0;
	e->pos = 0;
	e->err = 0;
}

int qrpc_enc_bytes(struct qrpc_enc *e, const void *p, size_t n)
{
	uint8_t *dst = (uint8_t *)qrpc_enc_reserve(e, n, 1);

	if (!dst)
		return e->err;
	if (n)
		memcpy(dst, p, n);
	return 0;
}

int qrpc_enc_string(struct qrpc_enc *e, const char *s)
{
	size_t n;
	uint8_t *p;

	if (e->err)
		return e->err;
	if (!s)
		return qrpc__enc_fail(e, -EINVAL);
	n = strlen(s);
	/* The length on the wire counts the NUL and is a u32. */
	if (n >= UINT32_MAX)
		return qrpc__enc_fail(e, -EMSGSIZE);
	/* Header and bytes at once, so that a failure writes nothing. */
	p = (uint8_t *)qrpc_enc_reserve(e, 4 + n + 1, 4);
	if (!p)
		return e->err;
	put_le32(p, (uint32_t)(n + 1));
	memcpy(p + 4, s, n + 1);
	return 0;
}

int qrpc_enc_array_header(struct qrpc_enc *e, uint32_t count)
{
	return qrpc_enc_u32(e, count);
}

/* offset + count <= max, without the sum wrapping. */
static bool range_ok(uint32_t max, uint32_t offset, uint32_t count)
{
	return count <= max && offset <= max - count;
}

int qrpc_enc_varying_header(struct qrpc_enc *e, uint32_t max,
			    uint32_t offset, uint32_t count)
{
	uint8_t *p;

	if (e->err)
		return e->err;
	if (!range_ok(max, offset, count))
		return qrpc__enc_fail(e, -EINVAL);
	p = (uint8_t *)qrpc_enc_reserve(e, 12, 4);
	if (!p)
		return e->err;
	put_le32(p, max);
	put_le32(p + 4, offset);
	put_le32(p + 8, count);
	return 0;
}

int qrpc_enc_fixed_varying_header(struct qrpc_enc *e, uint32_t max,
				  uint32_t offset, uint32_t count)
{
	uint8_t *p;

	if (e->err)
		return e->err;
	if (!range_ok(max, offset, count))
		return qrpc__enc_fail(e, -EINVAL);
	p = (uint8_t *)qrpc_enc_reserve(e, 8, 4);
	if (!p)
		return e->err;
	put_le32(p, offset);
	put_le32(p + 4, count);
	return 0;
}

int qrpc_enc_unique(struct qrpc_enc *e, const void *p)
{
	int ret = qrpc_enc_u32(e, p ? 1 : 0);

	return ret ? ret : p != NULL;
}

int qrpc_enc_ref(struct qrpc_enc *e, const void *p)
{
	if (e->err)
		return e->err;
	return p ? 0 : qrpc__enc_fail(e, -EINVAL);
}

void qrpc_dec_init(struct qrpc_dec *d, const void *buf, size_t len)
{
	d->buf = buf ? (const uint8_t *)buf : empty_buf;
	d->len = buf ? len : 0;
	d->pos = 0;
	d->err = 0;
}

const void *qrpc_dec_bytes(struct qrpc_dec *d, size_t n)
{
	return qrpc__dec_take(d, n, 1);
}

/*
 * The length word of a string: checked non-zero (the NUL is counted) and
 * within the buffer.  Returns a pointer to the @*len bytes, or NULL with
 * the sticky error set.
 */
static const uint8_t *take_string(struct qrpc_dec *d, uint32_t *len)
{
	const uint8_t *p = qrpc__dec_take(d, 4, 4);
	uint32_t n;

	*len = 0;
	if (!p)
		return NULL;
	n = get_le32(p);
	QRPC__HIDE(n);
	if (n == 0) {
		qrpc__dec_fail(d, -EBADMSG);
		return NULL;
	}
	p = qrpc__dec_take(d, n, 1);
	if (p)
		*len = n;
	return p;
}

/* @n bytes (n >= 1): NUL at the end and nowhere else. */
static bool string_ok(const char *s, uint32_t n)
{
	return s[n - 1] == '\0' && !memchr(s, '\0', n - 1);
}

int qrpc_dec_string(struct qrpc_dec *d, const char **s, uint32_t *len)
{
	const uint8_t *p;
	uint32_t n;

	*s = NULL;
	if (len)
		*len = 0;
	p = take_string(d, &n);
	if (!p)
		return d->err;
	/* Racy by nature against a writing peer: see the header. */
	if (!string_ok((const char *)p, n))
		return qrpc__dec_fail(d, -EBADMSG);
	*s = (const char *)p;
	if (len)
		*len = n - 1;
	return 0;
}

int qrpc_dec_string_copy(struct qrpc_dec *d, char *dst, size_t cap)
{
	const uint8_t *p;
	uint32_t n;

	if (cap)
		dst[0] = '\0';
	p = take_string(d, &n);
	if (!p)
		return d->err;
	if (n > cap)
		return qrpc__dec_fail(d, -EMSGSIZE);
	/* Check the copy, which only we can write. */
	memcpy(dst, p, n);
	if (!string_ok(dst, n)) {
		dst[0] = '\0';
		return qrpc__dec_fail(d, -EBADMSG);
	}
	return 0;
}

/* Can @count elements of at least @elem_size bytes be left in @d? */
static bool count_fits(const struct qrpc_dec *d, uint32_t count,
		       size_t elem_size)
{
	return !elem_size || count <= (d->len - d->pos) / elem_size;
}

int qrpc_dec_array_header(struct qrpc_dec *d, uint32_t *count,
			  size_t elem_size, uint32_t max_count)
{
	const uint8_t *p = qrpc__dec_take(d, 4, 4);
	uint32_t n;

	*count = 0;
	if (!p)
		return d->err;
	n = get_le32(p);
	QRPC__HIDE(n);
	if ((max_count && n > max_count) || !count_fits(d, n, elem_size))
		return qrpc__dec_fail(d, -EBADMSG);
	*count = n;
	return 0;
}

int qrpc_dec_varying_header(struct qrpc_dec *d, uint32_t *max,
			    uint32_t *offset, uint32_t *count,
			    size_t elem_size)
{
	const uint8_t *p = qrpc__dec_take(d, 12, 4);
	uint32_t m, o, c;

	*max = *offset = *count = 0;
	if (!p)
		return d->err;
	m = get_le32(p);
	o = get_le32(p + 4);
	c = get_le32(p + 8);
	QRPC__HIDE(m);
	QRPC__HIDE(o);
	QRPC__HIDE(c);
	if (!range_ok(m, o, c) || !count_fits(d, c, elem_size))
		return qrpc__dec_fail(d, -EBADMSG);
	*max = m;
	*offset = o;
	*count = c;
	return 0;
}

int qrpc_dec_fixed_varying_header(struct qrpc_dec *d, uint32_t max,
				  uint32_t *offset, uint32_t *count,
				  size_t elem_size)
{
	const uint8_t *p = qrpc__dec_take(d, 8, 4);
	uint32_t o, c;

	*offset = *count = 0;
	if (!p)
		return d->err;
	o = get_le32(p);
	c = get_le32(p + 4);
	QRPC__HIDE(o);
	QRPC__HIDE(c);
	if (!range_ok(max, o, c) || !count_fits(d, c, elem_size))
		return qrpc__dec_fail(d, -EBADMSG);
	*offset = o;
	*count = c;
	return 0;
}

int qrpc_dec_unique(struct qrpc_dec *d)
{
	uint32_t marker;

	if (qrpc_dec_u32(d, &marker))
		return d->err;
	if (marker > 1)
		return qrpc__dec_fail(d, -EBADMSG);
	return (int)marker;
}

int qrpc_dec_end(const struct qrpc_dec *d)
{
	if (d->err)
		return d->err;
	return d->pos == d->len ? 0 : -EBADMSG;
}
