/* SPDX-License-Identifier: MIT */
/*
 * qrpc_marshal.h - encoding and decoding the arguments of a call.
 *
 * The runtime of the stubs made by the IDL compiler: an encoder writes the
 * arguments of a call into a byte buffer (the request or reply area of an
 * arena) and a decoder reads them back on the other side.  The decoder's
 * bytes are untrusted: another process wrote them, may be hostile and may
 * still be writing.  Every length is checked against what is left of the
 * buffer before it is used, and every header word is read once.
 *
 * Wire format (NDR-like):
 *
 *  - Little-endian.  Each primitive is aligned to its own size (1, 2, 4 or
 *    8) measured from the start of the buffer, not from its address, so
 *    the layout does not depend on where the buffer is mapped.  The
 *    encoder writes padding as zero; the decoder skips padding without
 *    looking at it (it means nothing, and a check would only read bytes
 *    that a hostile peer controls anyway).
 *  - u8/i8, u16/i16, u32/i32, u64/i64: two's complement.  float and
 *    double: their IEEE 754 bit patterns as u32 and u64 (NaN payloads are
 *    kept).  bool: one byte, 0 or 1; the decoder rejects anything else.
 *    Enums: u32; the stub checks the value against the enum's members.
 *  - Strings: u32 length in bytes counting the terminating NUL, then the
 *    bytes.  The last byte is NUL and no other byte is; the decoder
 *    rejects length 0, a missing NUL and an embedded one.
 *  - Conformant arrays: u32 count, then the elements.
 *  - Varying arrays (fixed bound in the IDL): u32 offset, u32 count, then
 *    the count elements; offset + count <= the IDL's bound.
 *  - Conformant varying arrays: u32 max, u32 offset, u32 count, then the
 *    count elements; offset + count <= max.
 *  - Byte arrays are elements of size 1 and can be read in place.
 *  - Structs: the stub aligns to the struct's largest member
 *    (qrpc_enc_align()/qrpc_dec_align()), then encodes the fields in order.
 *  - Unique pointers: u32 referent marker (0 = NULL, 1 = a referent
 *    follows), then the referent.  Ref pointers: the referent alone; they
 *    are never NULL (qrpc_enc_ref() makes encoding NULL an error).
 *
 * Errors are sticky: the first failure is kept in ->err, later calls do
 * nothing and return it, so a stub may run all its calls and test the
 * result once (qrpc_enc_len() / qrpc_dec_end()).  Functions return 0 or a
 * negative errno and never set errno.  The encoder fails with -EMSGSIZE
 * when out of room and never writes past cap; the decoder fails with
 * -EBADMSG on malformed or truncated input.  Misuse by the caller
 * (alignment other than 1, 2, 4, 8; a NULL string or ref pointer) is
 * -EINVAL, sticky too.
 *
 * The primitives are inline: the stubs call them once per field.  The
 * rest lives in marshal.c.
 */
#ifndef QRPC_MARSHAL_H
#define QRPC_MARSHAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

struct qrpc_enc {
	uint8_t		*buf;
	size_t		cap;
	size_t		pos;	/* bytes used; always <= cap */
	int		err;	/* first failure, sticky */
};

struct qrpc_dec {
	const uint8_t	*buf;
	size_t		len;
	size_t		pos;	/* bytes consumed; always <= len */
	int		err;	/* first failure, sticky */
};

/*
 * Keep the compiler from reading a value from the shared buffer a second
 * time in place of the copy we validated (it may, as the memory is not
 * volatile): the value becomes the opaque output of an empty asm.  The
 * kernel's OPTIMIZER_HIDE_VAR().
 */
#if defined(__GNUC__) || defined(__clang__)
#define QRPC__HIDE(v)	__asm__("" : "+r"(v))
#else
#define QRPC__HIDE(v)	((void)0)
#endif

/* ---- Encoder ---------------------------------------------------------- */

/*
 * Start encoding into @buf, @cap bytes long, at offset 0.  A NULL @buf
 * counts as @cap 0: every non-empty encode then fails with -EMSGSIZE.
 * Always initialize through this, never by hand: buf is never NULL after.
 */
void qrpc_enc_init(struct qrpc_enc *e, void *buf, size_t cap);

/* Bytes encoded so far (meaningful as a message length only if !e->err). */
static inline size_t qrpc_enc_len(const struct qrpc_enc *e)
{
	return e->pos;
}

/* Record the first failure and return the sticky error. */
static inline int qrpc__enc_fail(struct qrpc_enc *e, int err)
{
	if (!e->err)
		e->err = err;
	return e->err;
}

/* Alignments of the wire format: 1, 2, 4 and 8. */
static inline int qrpc__align_ok(size_t align)
{
	return align == 1 || align == 2 || align == 4 || align == 8;
}

/*
 * Zero-copy encoding: pad with zeroes to @align (1, 2, 4 or 8), then
 * reserve @n bytes for the caller to fill in place.  The reserved bytes
 * hold whatever the buffer held before: fill all of them.  Returns a
 * pointer to the space, or NULL on error (sticky: -EMSGSIZE if out of
 * room, -EINVAL for a bad @align), in which case nothing was written.
 * All or nothing: padding is not written unless the @n bytes fit too.
 */
static inline void *qrpc_enc_reserve(struct qrpc_enc *e, size_t n,
				     size_t align)
{
	size_t pad, room;
	uint8_t *p;

	if (e->err)
		return NULL;
	if (!qrpc__align_ok(align)) {
		qrpc__enc_fail(e, -EINVAL);
		return NULL;
	}
	pad = (0 - e->pos) & (align - 1);
	room = e->cap - e->pos;
	if (pad > room || n > room - pad) {
		qrpc__enc_fail(e, -EMSGSIZE);
		return NULL;
	}
	p = e->buf + e->pos;
	e->pos += pad + n;
	/* At most 7 bytes: a loop beats a call. */
	while (pad--)
		*p++ = 0;
	return p;
}

/*
 * Pad with zero bytes to a multiple of @align (1, 2, 4 or 8) from the
 * start of the buffer, e.g. before a struct, to its largest member.
 * Returns 0 or the sticky error.
 */
static inline int qrpc_enc_align(struct qrpc_enc *e, size_t align)
{
	return qrpc_enc_reserve(e, 0, align) ? 0 : e->err;
}

/*
 * The primitives: align to the size, write little-endian.  Each returns 0
 * or the sticky error; nothing is written on error.
 */
static inline int qrpc_enc_u8(struct qrpc_enc *e, uint8_t v)
{
	uint8_t *p = (uint8_t *)qrpc_enc_reserve(e, 1, 1);

	if (!p)
		return e->err;
	p[0] = v;
	return 0;
}

static inline int qrpc_enc_u16(struct qrpc_enc *e, uint16_t v)
{
	uint8_t *p = (uint8_t *)qrpc_enc_reserve(e, 2, 2);

	if (!p)
		return e->err;
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return 0;
}

static inline int qrpc_enc_u32(struct qrpc_enc *e, uint32_t v)
{
	uint8_t *p = (uint8_t *)qrpc_enc_reserve(e, 4, 4);
	int i;

	if (!p)
		return e->err;
	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return 0;
}

static inline int qrpc_enc_u64(struct qrpc_enc *e, uint64_t v)
{
	uint8_t *p = (uint8_t *)qrpc_enc_reserve(e, 8, 8);
	int i;

	if (!p)
		return e->err;
	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return 0;
}

/* Signed and floating types go through their bit patterns. */
static inline int qrpc_enc_i8(struct qrpc_enc *e, int8_t v)
{
	uint8_t u;

	memcpy(&u, &v, sizeof(u));
	return qrpc_enc_u8(e, u);
}

static inline int qrpc_enc_i16(struct qrpc_enc *e, int16_t v)
{
	uint16_t u;

	memcpy(&u, &v, sizeof(u));
	return qrpc_enc_u16(e, u);
}

static inline int qrpc_enc_i32(struct qrpc_enc *e, int32_t v)
{
	uint32_t u;

	memcpy(&u, &v, sizeof(u));
	return qrpc_enc_u32(e, u);
}

static inline int qrpc_enc_i64(struct qrpc_enc *e, int64_t v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return qrpc_enc_u64(e, u);
}

static inline int qrpc_enc_f32(struct qrpc_enc *e, float v)
{
	uint32_t u;

	memcpy(&u, &v, sizeof(u));
	return qrpc_enc_u32(e, u);
}

static inline int qrpc_enc_f64(struct qrpc_enc *e, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return qrpc_enc_u64(e, u);
}

/* A bool is one byte, 0 or 1 (any true value is written as 1). */
static inline int qrpc_enc_bool(struct qrpc_enc *e, bool v)
{
	return qrpc_enc_u8(e, v ? 1 : 0);
}

/*
 * Copy @n raw bytes, unaligned and without a length (the stub wrote the
 * count).  Returns 0 or the sticky error.
 */
int qrpc_enc_bytes(struct qrpc_enc *e, const void *p, size_t n);

/*
 * Encode the NUL-terminated string @s: u32 length counting the NUL, then
 * the bytes with the NUL.  Returns 0 or the sticky error: -EINVAL if @s
 * is NULL, -EMSGSIZE if out of room or longer than a u32 can count.
 */
int qrpc_enc_string(struct qrpc_enc *e, const char *s);

/*
 * Header of a conformant array: u32 @count; the stub then encodes the
 * elements.  Returns 0 or the sticky error.
 */
int qrpc_enc_array_header(struct qrpc_enc *e, uint32_t count);

/*
 * Header of a conformant varying array: u32 @max, @offset, @count.
 * Returns 0 or the sticky error; -EINVAL if @offset + @count > @max.
 */
int qrpc_enc_varying_header(struct qrpc_enc *e, uint32_t max,
			    uint32_t offset, uint32_t count);

/*
 * Header of a varying array whose bound @max is fixed by the IDL (not on
 * the wire): u32 @offset, @count.  Returns 0 or the sticky error; -EINVAL
 * if @offset + @count > @max.
 */
int qrpc_enc_fixed_varying_header(struct qrpc_enc *e, uint32_t max,
				  uint32_t offset, uint32_t count);

/*
 * Referent marker of a unique pointer: u32 0 if @p is NULL, else 1.
 * Returns 1 if the stub must now encode the referent, 0 if @p is NULL,
 * or the (negative) sticky error.
 */
int qrpc_enc_unique(struct qrpc_enc *e, const void *p);

/*
 * A ref pointer has no marker: this only checks @p.  Returns 0 if the
 * referent is to be encoded, -EINVAL (sticky) if @p is NULL, or the
 * sticky error.
 */
int qrpc_enc_ref(struct qrpc_enc *e, const void *p);

/* ---- Decoder ---------------------------------------------------------- */

/*
 * Start decoding @len bytes at @buf (a NULL @buf counts as @len 0).  The
 * bytes are untrusted and may change while we read them.
 */
void qrpc_dec_init(struct qrpc_dec *d, const void *buf, size_t len);

/* Record the first failure and return the sticky error. */
static inline int qrpc__dec_fail(struct qrpc_dec *d, int err)
{
	if (!d->err)
		d->err = err;
	return d->err;
}

/*
 * Skip padding to @align (1, 2, 4 or 8), then take @n bytes.  Returns a
 * pointer to them in the buffer, or NULL on error (sticky: -EBADMSG if
 * the input is too short, -EINVAL for a bad @align).
 */
static inline const uint8_t *qrpc__dec_take(struct qrpc_dec *d, size_t n,
					    size_t align)
{
	size_t pad, room;
	const uint8_t *p;

	if (d->err)
		return NULL;
	if (!qrpc__align_ok(align)) {
		qrpc__dec_fail(d, -EINVAL);
		return NULL;
	}
	pad = (0 - d->pos) & (align - 1);
	room = d->len - d->pos;
	if (pad > room || n > room - pad) {
		qrpc__dec_fail(d, -EBADMSG);
		return NULL;
	}
	p = d->buf + d->pos + pad;
	d->pos += pad + n;
	return p;
}

/*
 * Skip padding to a multiple of @align (1, 2, 4 or 8).  The padding bytes
 * are not checked (see the top of the file).  Returns 0 or the sticky
 * error: -EBADMSG if the padding runs past the end.
 */
static inline int qrpc_dec_align(struct qrpc_dec *d, size_t align)
{
	return qrpc__dec_take(d, 0, align) ? 0 : d->err;
}

/*
 * The primitives: skip padding to the size, read little-endian into
 * *@out.  Each returns 0, or the sticky error with *@out set to zero so
 * that a stub testing the error only at the end never uses garbage.
 */
static inline int qrpc_dec_u8(struct qrpc_dec *d, uint8_t *out)
{
	const uint8_t *p = qrpc__dec_take(d, 1, 1);
	uint8_t v;

	*out = 0;
	if (!p)
		return d->err;
	v = p[0];
	QRPC__HIDE(v);
	*out = v;
	return 0;
}

static inline int qrpc_dec_u16(struct qrpc_dec *d, uint16_t *out)
{
	const uint8_t *p = qrpc__dec_take(d, 2, 2);
	uint16_t v;

	*out = 0;
	if (!p)
		return d->err;
	v = (uint16_t)(p[0] | (unsigned int)p[1] << 8);
	QRPC__HIDE(v);
	*out = v;
	return 0;
}

static inline int qrpc_dec_u32(struct qrpc_dec *d, uint32_t *out)
{
	const uint8_t *p = qrpc__dec_take(d, 4, 4);
	uint32_t v;

	*out = 0;
	if (!p)
		return d->err;
	v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	QRPC__HIDE(v);
	*out = v;
	return 0;
}

static inline int qrpc_dec_u64(struct qrpc_dec *d, uint64_t *out)
{
	const uint8_t *p = qrpc__dec_take(d, 8, 8);
	uint64_t v;

	*out = 0;
	if (!p)
		return d->err;
	v = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
	QRPC__HIDE(v);
	*out = v;
	return 0;
}

static inline int qrpc_dec_i8(struct qrpc_dec *d, int8_t *out)
{
	uint8_t u;
	int ret = qrpc_dec_u8(d, &u);

	memcpy(out, &u, sizeof(u));
	return ret;
}

static inline int qrpc_dec_i16(struct qrpc_dec *d, int16_t *out)
{
	uint16_t u;
	int ret = qrpc_dec_u16(d, &u);

	memcpy(out, &u, sizeof(u));
	return ret;
}

static inline int qrpc_dec_i32(struct qrpc_dec *d, int32_t *out)
{
	uint32_t u;
	int ret = qrpc_dec_u32(d, &u);

	memcpy(out, &u, sizeof(u));
	return ret;
}

static inline int qrpc_dec_i64(struct qrpc_dec *d, int64_t *out)
{
	uint64_t u;
	int ret = qrpc_dec_u64(d, &u);

	memcpy(out, &u, sizeof(u));
	return ret;
}

static inline int qrpc_dec_f32(struct qrpc_dec *d, float *out)
{
	uint32_t u;
	int ret = qrpc_dec_u32(d, &u);

	memcpy(out, &u, sizeof(u));
	return ret;
}

static inline int qrpc_dec_f64(struct qrpc_dec *d, double *out)
{
	uint64_t u;
	int ret = qrpc_dec_u64(d, &u);

	memcpy(out, &u, sizeof(u));
	return ret;
}

/*
 * A bool: one byte that must be 0 or 1.  Returns 0, or the sticky error
 * (-EBADMSG for any other value) with *@out false.
 */
static inline int qrpc_dec_bool(struct qrpc_dec *d, bool *out)
{
	uint8_t v;

	*out = 0;
	if (qrpc_dec_u8(d, &v))
		return d->err;
	if (v > 1)
		return qrpc__dec_fail(d, -EBADMSG);
	*out = v;
	return 0;
}

/*
 * Take @n raw bytes, unaligned, in place.  Returns a pointer into the
 * buffer (not NULL, even for @n 0), or NULL on error (sticky, -EBADMSG if
 * fewer than @n bytes are left).  The bytes stay in the peer's hands:
 * copy what must not change between two reads.
 */
const void *qrpc_dec_bytes(struct qrpc_dec *d, size_t n);

/*
 * Decode a string in place: *@s points at its bytes in the buffer and
 * *@len (if @len is not NULL) is its length without the NUL.  Returns 0,
 * or the sticky error (-EBADMSG: truncated, length 0, NUL missing at the
 * end or present before it) with *@s NULL and *@len 0.
 *
 * The string was valid when checked, but it lives in shared memory: a
 * peer writing concurrently can remove its NUL afterwards.  Use this only
 * when the sender is trusted or the buffer is private to us by now (the
 * kernel copied it); else use qrpc_dec_string_copy().
 */
int qrpc_dec_string(struct qrpc_dec *d, const char **s, uint32_t *len);

/*
 * Decode a string into @dst, @cap bytes, copying first and then checking
 * the copy, so a concurrent writer cannot invalidate it.  Returns 0, or
 * the sticky error: -EBADMSG for a malformed string, -EMSGSIZE if it does
 * not fit @cap with its NUL.  On error @dst holds "" when @cap > 0.
 */
int qrpc_dec_string_copy(struct qrpc_dec *d, char *dst, size_t cap);

/*
 * Header of a conformant array: the u32 count, into *@count.  @elem_size
 * is the smallest encoded size of an element (its size for primitives,
 * e.g. 4 for a string): count * @elem_size must fit what is left of the
 * buffer, so a stub can allocate count elements without trusting the
 * peer.  @max_count, if not 0, bounds the count (the IDL's bound; pass
 * one when @elem_size is 0, or the count is unbounded).  Returns 0, or
 * the sticky error (-EBADMSG) with *@count 0.
 */
int qrpc_dec_array_header(struct qrpc_dec *d, uint32_t *count,
			  size_t elem_size, uint32_t max_count);

/*
 * Header of a conformant varying array: u32 max, offset and count, with
 * offset + count <= max and count * @elem_size fitting what is left.
 * max itself is not bounded by the buffer: check it against the IDL's
 * bound before allocating max elements.  Returns 0, or the sticky error
 * (-EBADMSG) with the three outputs 0.
 */
int qrpc_dec_varying_header(struct qrpc_dec *d, uint32_t *max,
			    uint32_t *offset, uint32_t *count,
			    size_t elem_size);

/*
 * Header of a varying array with the fixed bound @max from the IDL: u32
 * offset and count, with offset + count <= @max and count * @elem_size
 * fitting what is left.  Returns 0, or the sticky error (-EBADMSG) with
 * the outputs 0.
 */
int qrpc_dec_fixed_varying_header(struct qrpc_dec *d, uint32_t max,
				  uint32_t *offset, uint32_t *count,
				  size_t elem_size);

/*
 * Referent marker of a unique pointer.  Returns 1 if a referent follows,
 * 0 for NULL, or the sticky error (-EBADMSG for a marker other than 0 or
 * 1).
 */
int qrpc_dec_unique(struct qrpc_dec *d);

/*
 * Finish decoding: returns 0 if there was no error and every byte was
 * consumed, -EBADMSG if bytes are left over, else the sticky error.
 */
int qrpc_dec_end(const struct qrpc_dec *d);

#ifdef __cplusplus
}
#endif

#endif /* QRPC_MARSHAL_H */
