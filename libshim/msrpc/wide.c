// SPDX-License-Identifier: MIT
/*
 * RPC_WSTR (UTF-16, as Windows' WCHAR strings are) to and from UTF-8,
 * which the A functions and qrpc's port names use.  Strict both ways: a
 * lone surrogate, an overlong or truncated UTF-8 sequence, or a code
 * point past U+10FFFF is an error, never replaced, so that two different
 * strings never name the same port.
 */
#include <stdlib.h>

#include "internal.h"

RPC_STATUS msrpc_utf16_to_8(const WCHAR *in, char **out, RPC_STATUS bad)
{
	size_t n = 0, o = 0;
	char *s;

	*out = NULL;
	if (!in)
		return RPC_S_OK;
	while (in[n])
		n++;
	s = malloc(n * 3 + 1);		/* a unit gives at most 3 bytes */
	if (!s)
		return RPC_S_OUT_OF_MEMORY;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = in[i];

		if (c >= 0xdc00 && c <= 0xdfff)
			goto bad;
		if (c >= 0xd800 && c <= 0xdbff) {
			if (in[i + 1] < 0xdc00 || in[i + 1] > 0xdfff)
				goto bad;
			c = 0x10000 + ((c - 0xd800) << 10) + (in[++i] - 0xdc00);
		}
		if (c < 0x80) {
			s[o++] = (char)c;
		} else if (c < 0x800) {
			s[o++] = (char)(0xc0 | c >> 6);
			s[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			s[o++] = (char)(0xe0 | c >> 12);
			s[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			s[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			/* Two units in, four bytes out: still within n * 3. */
			s[o++] = (char)(0xf0 | c >> 18);
			s[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			s[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			s[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	s[o] = '\0';
	*out = s;
	return RPC_S_OK;
bad:
	free(s);
	return bad;
}

/* The length of the sequence led by @b, or 0 if it cannot lead one. */
static unsigned int utf8_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

RPC_STATUS msrpc_utf8_to_16(const char *in, WCHAR **out, RPC_STATUS bad)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = 0, o = 0;
	WCHAR *w;

	*out = NULL;
	if (!in)
		return RPC_S_OK;
	while (p[n])
		n++;
	w = malloc((n + 1) * sizeof(*w));	/* a byte gives at most a unit */
	if (!w)
		return RPC_S_OUT_OF_MEMORY;
	for (size_t i = 0; i < n;) {
		unsigned int len = utf8_len(p[i]);
		uint32_t c;

		if (!len || i + len > n)
			goto bad;
		c = len == 1 ? p[i] : p[i] & (0x7f >> len);
		for (unsigned int k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and past U+10FFFF. */
		if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			goto bad;
		if (c >= 0x10000) {
			c -= 0x10000;
			w[o++] = (WCHAR)(0xd800 + (c >> 10));
			w[o++] = (WCHAR)(0xdc00 + (c & 0x3ff));
		} else {
			w[o++] = (WCHAR)c;
		}
		i += len;
	}
	w[o] = 0;
	*out = w;
	return RPC_S_OK;
bad:
	free(w);
	return bad;
}
