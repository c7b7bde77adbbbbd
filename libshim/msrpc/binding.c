// SPDX-License-Identifier: MIT
/*
 * String bindings and binding handles (RpcStringBinding*, RpcBinding*).
 *
 * A handle is a struct msrpc_binding holding the parts of the string it
 * was made from and, once it names a port, a libqrpc binding that makes
 * the connections.  The options are kept here as Windows values and
 * applied to the libqrpc binding as its own; RpcBindingInqOption reads
 * back what was set, Windows' default otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

struct msrpc_binding *msrpc_binding_get(RPC_BINDING_HANDLE h)
{
	struct msrpc_binding *b = h;

	return b && b->magic == MSRPC_BINDING_MAGIC ? b : NULL;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static const char *or_empty(const unsigned char *s)
{
	return s ? (const char *)s : "";
}

RPC_STATUS RPC_ENTRY RpcStringBindingComposeA(RPC_CSTR ObjUuid,
					      RPC_CSTR ProtSeq,
					      RPC_CSTR NetworkAddr,
					      RPC_CSTR Endpoint,
					      RPC_CSTR Options,
					      RPC_CSTR *StringBinding)
{
	const char *u = or_empty(ObjUuid), *p = or_empty(ProtSeq);
	const char *a = or_empty(NetworkAddr), *e = or_empty(Endpoint);
	const char *o = or_empty(Options);
	size_t n = strlen(u) + strlen(p) + strlen(a) + strlen(e) +
		   strlen(o) + 6;	/* @ : [ , ] and the NUL */
	char *s, *at;

	if (!StringBinding)
		return RPC_S_INVALID_ARG;
	s = malloc(n);
	if (!s)
		return RPC_S_OUT_OF_MEMORY;
	/* Windows writes each part that is there, and nothing else. */
	at = s;
	if (*u)
		at = stpcpy(stpcpy(at, u), "@");
	if (*p)
		at = stpcpy(stpcpy(at, p), ":");
	at = stpcpy(at, a);
	if (*e || *o) {
		at = stpcpy(stpcpy(at, "["), e);
		if (*o)
			at = stpcpy(stpcpy(at, ","), o);
		stpcpy(at, "]");
	}
	*StringBinding = (RPC_CSTR)s;
	return RPC_S_OK;
}

/* The five parts of a string binding, pointers into it and lengths. */
struct parts {
	const char *s[5];
	size_t n[5];
};

enum { P_UUID, P_PROTSEQ, P_ADDR, P_ENDPOINT, P_OPTIONS };

/*
 * Split @s.  The object UUID is what comes before an '@' that comes
 * before the first ':'; an endpoint may be written "endpoint=NAME".
 */
static RPC_STATUS split(const char *s, struct parts *p)
{
	const char *colon = strchr(s, ':'), *at = strchr(s, '@');
	const char *open, *close, *comma;

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < 5; i++)
		p->s[i] = "";
	if (!colon)
		return RPC_S_INVALID_STRING_BINDING;
	if (at && at < colon) {
		p->s[P_UUID] = s;
		p->n[P_UUID] = (size_t)(at - s);
		s = at + 1;
	}
	p->s[P_PROTSEQ] = s;
	p->n[P_PROTSEQ] = (size_t)(colon - s);
	s = colon + 1;
	open = strchr(s, '[');
	p->s[P_ADDR] = s;
	p->n[P_ADDR] = open ? (size_t)(open - s) : strlen(s);
	if (!open)
		return memchr(s, ']', strlen(s)) ? RPC_S_INVALID_STRING_BINDING :
						   RPC_S_OK;
	close = strchr(open, ']');
	if (!close || close[1] || memchr(open + 1, '[', (size_t)(close - open)))
		return RPC_S_INVALID_STRING_BINDING;
	s = open + 1;
	comma = memchr(s, ',', (size_t)(close - s));
	p->s[P_ENDPOINT] = s;
	p->n[P_ENDPOINT] = (size_t)((comma ? comma : close) - s);
	if (p->n[P_ENDPOINT] > 9 && !strncmp(s, "endpoint=", 9)) {
		p->s[P_ENDPOINT] += 9;
		p->n[P_ENDPOINT] -= 9;
	}
	if (comma) {
		p->s[P_OPTIONS] = comma + 1;
		p->n[P_OPTIONS] = (size_t)(close - comma - 1);
	}
	return RPC_S_OK;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* 8-4-4-4-12 hexadecimal digits, or nothing. */
static bool valid_uuid(const char *s, size_t n)
{
	if (!n)
		return true;
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return false;
	}
	return true;
}

RPC_STATUS RPC_ENTRY RpcStringBindingParseA(RPC_CSTR StringBinding,
					    RPC_CSTR *ObjUuid,
					    RPC_CSTR *Protseq,
					    RPC_CSTR *NetworkAddr,
					    RPC_CSTR *Endpoint,
					    RPC_CSTR *NetworkOptions)
{
	RPC_CSTR *out[5] = { ObjUuid, Protseq, NetworkAddr, Endpoint,
			     NetworkOptions };
	struct parts p;
	RPC_STATUS st;
	int i;

	for (i = 0; i < 5; i++)
		if (out[i])
			*out[i] = NULL;
	if (!StringBinding)
		return RPC_S_INVALID_STRING_BINDING;
	st = split((const char *)StringBinding, &p);
	if (st == RPC_S_OK && !valid_uuid(p.s[P_UUID], p.n[P_UUID]))
		st = RPC_S_INVALID_STRING_UUID;
	for (i = 0; st == RPC_S_OK && i < 5; i++) {
		if (!out[i])
			continue;
		*out[i] = (RPC_CSTR)dup_n(p.s[i], p.n[i]);
		if (!*out[i])
			st = RPC_S_OUT_OF_MEMORY;
	}
	if (st != RPC_S_OK)
		for (i = 0; i < 5; i++)
			if (out[i])
				RpcStringFreeA(out[i]);
	return st;
}

RPC_STATUS RPC_ENTRY RpcStringFreeA(RPC_CSTR *String)
{
	if (!String)
		return RPC_S_INVALID_ARG;
	free(*String);
	*String = NULL;
	return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY RpcStringFreeW(RPC_WSTR *String)
{
	if (!String)
		return RPC_S_INVALID_ARG;
	free(*String);
	*String = NULL;
	return RPC_S_OK;
}

/* The protocol sequences that name a local qrpc port. */
static bool local_protseq(const char *p)
{
	return !strcmp(p, "ncalrpc") || !strcmp(p, "ncadg_mq") ||
	       !strcmp(p, "qrpc");
}

/*
 * Windows' others are valid but not here; anything that is not shaped
 * like one (nca + letters, digits and '_') is not a protocol sequence.
 */
RPC_STATUS msrpc_check_protseq(const char *p)
{
	if (local_protseq(p))
		return RPC_S_OK;
	if (strncmp(p, "nca", 3) != 0)
		return RPC_S_INVALID_RPC_PROTSEQ;
	for (const char *c = p; *c; c++)
		if (!(*c == '_' || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9')))
			return RPC_S_INVALID_RPC_PROTSEQ;
	return RPC_S_PROTSEQ_NOT_SUPPORTED;
}

/* Only this machine: no address, "localhost", "." or its own name. */
static bool local_address(const char *a)
{
	char host[256];

	if (!*a || !strcmp(a, "localhost") || !strcmp(a, "."))
		return true;
	if (gethostname(host, sizeof(host)))
		return false;
	host[sizeof(host) - 1] = '\0';
	return !strcasecmp(a, host);
}

/* The Windows defaults RpcBindingInqOption reports before a set. */
static void default_options(struct msrpc_binding *b)
{
	memset(b->opt, 0, sizeof(b->opt));
	b->opt[RPC_C_OPT_MQ_PRIORITY] = 3;
	b->opt[RPC_C_OPT_MQ_TIME_TO_BE_RECEIVED] = RPC_C_MQ_INFINITE;
	b->opt[RPC_C_OPT_MQ_AUTHN_LEVEL] = RPC_C_AUTHN_LEVEL_NONE;
}

static void free_binding(struct msrpc_binding *b)
{
	if (!b)
		return;
	b->magic = 0;
	if (b->qb)
		qrpc_binding_free(b->qb);
	pthread_mutex_destroy(&b->lock);
	free(b->obj_uuid);
	free(b->protseq);
	free(b->net_addr);
	free(b->endpoint);
	free(b->options);
	free(b);
}

static int apply_option(struct msrpc_binding *b, ULONG option);

/* Make the libqrpc binding for port @name, with @b's options. */
static RPC_STATUS connect_name(struct msrpc_binding *b, const char *name)
{
	char *s;
	int ret;

	if (asprintf(&s, "qrpc:%s", name) < 0)
		return RPC_S_OUT_OF_MEMORY;
	ret = qrpc_binding_create(s, &b->qb);
	free(s);
	if (ret == -ENOMEM)
		return RPC_S_OUT_OF_MEMORY;
	if (ret)
		return RPC_S_INVALID_ENDPOINT_FORMAT;
	for (ULONG o = 1; o < RPC_C_OPT_MAX_OPTIONS; o++)
		if (apply_option(b, o))
			return RPC_S_INTERNAL_ERROR;
	return RPC_S_OK;
}

/* The port the string binding names, if it names one. */
static RPC_STATUS connect_port(struct msrpc_binding *b)
{
	const char *name = !strcmp(b->protseq, "qrpc") && *b->net_addr ?
			   b->net_addr : b->endpoint;

	return *name ? connect_name(b, name) : RPC_S_OK;
}

struct qrpc_binding *msrpc_binding_port(struct msrpc_binding *b,
					const RPC_PROTSEQ_ENDPOINT *endpoints,
					unsigned int n, RPC_STATUS *st)
{
	struct qrpc_binding *qb;

	pthread_mutex_lock(&b->lock);
	*st = RPC_S_NO_ENDPOINT_FOUND;
	for (unsigned int i = 0; !b->qb && endpoints && i < n; i++) {
		const char *p = (const char *)endpoints[i].RpcProtocolSequence;

		if (p && endpoints[i].Endpoint && !strcmp(p, b->protseq)) {
			*st = connect_name(b, (const char *)endpoints[i].Endpoint);
			break;
		}
	}
	qb = b->qb;
	if (qb)
		*st = RPC_S_OK;
	pthread_mutex_unlock(&b->lock);
	return qb;
}

static RPC_STATUS from_parts(const struct parts *p,
			     RPC_BINDING_HANDLE *Binding)
{
	struct msrpc_binding *b;
	char **field[5];
	RPC_STATUS st;

	b = calloc(1, sizeof(*b));
	if (!b)
		return RPC_S_OUT_OF_MEMORY;
	pthread_mutex_init(&b->lock, NULL);
	field[P_UUID] = &b->obj_uuid;
	field[P_PROTSEQ] = &b->protseq;
	field[P_ADDR] = &b->net_addr;
	field[P_ENDPOINT] = &b->endpoint;
	field[P_OPTIONS] = &b->options;
	for (int i = 0; i < 5; i++) {
		*field[i] = dup_n(p->s[i], p->n[i]);
		if (!*field[i]) {
			free_binding(b);
			return RPC_S_OUT_OF_MEMORY;
		}
	}
	default_options(b);
	st = msrpc_check_protseq(b->protseq);
	if (st == RPC_S_OK && !local_address(b->net_addr) &&
	    strcmp(b->protseq, "qrpc") != 0)
		st = RPC_S_INVALID_NET_ADDR;
	if (st == RPC_S_OK)
		st = connect_port(b);
	if (st != RPC_S_OK) {
		free_binding(b);
		return st;
	}
	/* Complete before it is handed out. */
	b->magic = MSRPC_BINDING_MAGIC;
	*Binding = b;
	return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY RpcBindingFromStringBindingA(RPC_CSTR StringBinding,
						  RPC_BINDING_HANDLE *Binding)
{
	struct parts p;
	RPC_STATUS st;

	if (!Binding)
		return RPC_S_INVALID_ARG;
	*Binding = NULL;
	if (!StringBinding)
		return RPC_S_INVALID_STRING_BINDING;
	st = split((const char *)StringBinding, &p);
	if (st != RPC_S_OK)
		return st;
	if (!valid_uuid(p.s[P_UUID], p.n[P_UUID]))
		return RPC_S_INVALID_STRING_UUID;
	return from_parts(&p, Binding);
}

RPC_STATUS RPC_ENTRY RpcBindingToStringBindingA(RPC_BINDING_HANDLE Binding,
						RPC_CSTR *StringBinding)
{
	struct msrpc_binding *b = msrpc_binding_get(Binding);

	if (!b)
		return RPC_S_INVALID_BINDING;
	return RpcStringBindingComposeA((RPC_CSTR)b->obj_uuid,
					(RPC_CSTR)b->protseq,
					(RPC_CSTR)b->net_addr,
					(RPC_CSTR)b->endpoint,
					(RPC_CSTR)b->options, StringBinding);
}

RPC_STATUS RPC_ENTRY RpcBindingCopy(RPC_BINDING_HANDLE SourceBinding,
				    RPC_BINDING_HANDLE *DestinationBinding)
{
	struct msrpc_binding *src = msrpc_binding_get(SourceBinding), *b;
	struct parts p;
	RPC_STATUS st;

	if (!DestinationBinding)
		return RPC_S_INVALID_ARG;
	*DestinationBinding = NULL;
	if (!src)
		return RPC_S_INVALID_BINDING;
	p.s[P_UUID] = src->obj_uuid;
	p.s[P_PROTSEQ] = src->protseq;
	p.s[P_ADDR] = src->net_addr;
	p.s[P_ENDPOINT] = src->endpoint;
	p.s[P_OPTIONS] = src->options;
	for (int i = 0; i < 5; i++)
		p.n[i] = strlen(p.s[i]);
	st = from_parts(&p, DestinationBinding);
	if (st != RPC_S_OK)
		return st;
	/* The copy has the source's options, and its own connections. */
	b = *DestinationBinding;
	memcpy(b->opt, src->opt, sizeof(b->opt));
	for (ULONG o = 1; b->qb && o < RPC_C_OPT_MAX_OPTIONS; o++) {
		if (apply_option(b, o)) {
			RpcBindingFree(DestinationBinding);
			return RPC_S_INTERNAL_ERROR;
		}
	}
	return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY RpcBindingFree(RPC_BINDING_HANDLE *Binding)
{
	struct msrpc_binding *b;

	if (!Binding)
		return RPC_S_INVALID_ARG;
	b = msrpc_binding_get(*Binding);
	if (!b)
		return RPC_S_INVALID_BINDING;
	free_binding(b);
	*Binding = NULL;
	return RPC_S_OK;
}

/* The largest TTRQ libqrpc takes: milliseconds in 32 bits. */
#define QRPC_TTRQ_MAX_S	(UINT32_MAX / 1000)

/*
 * Check a Windows option value; returns the status to give, and in *v
 * the value to keep (booleans become 0 or 1).
 */
static RPC_STATUS check_option(ULONG option, ULONG_PTR *v)
{
	switch (option) {
	case RPC_C_OPT_MQ_DELIVERY:
		return *v <= RPC_C_MQ_RECOVERABLE ? RPC_S_OK : RPC_S_INVALID_ARG;
	case RPC_C_OPT_MQ_PRIORITY:
		return *v <= 7 ? RPC_S_OK : RPC_S_INVALID_ARG;
	case RPC_C_OPT_MQ_JOURNAL:
		/* No copy of every message sent is kept: see the man page. */
		if (*v == RPC_C_MQ_JOURNAL_ALWAYS)
			return RPC_S_CANNOT_SUPPORT;
		return *v <= RPC_C_MQ_JOURNAL_DEADLETTER ? RPC_S_OK :
							   RPC_S_INVALID_ARG;
	case RPC_C_OPT_MQ_AUTHN_SERVICE:
		/* The kernel stamps every call with its sender: "MQ". */
		return *v == RPC_C_AUTHN_NONE || *v == RPC_C_AUTHN_MQ ?
		       RPC_S_OK : RPC_S_UNKNOWN_AUTHN_SERVICE;
	case RPC_C_OPT_MQ_AUTHN_LEVEL:
		return *v <= RPC_C_AUTHN_LEVEL_PKT_PRIVACY ? RPC_S_OK :
							     RPC_S_INVALID_ARG;
	case RPC_C_OPT_MQ_TIME_TO_REACH_QUEUE:
	case RPC_C_OPT_MQ_TIME_TO_BE_RECEIVED:
	case RPC_C_OPT_CALL_TIMEOUT:
		return *v <= UINT32_MAX ? RPC_S_OK : RPC_S_INVALID_ARG;
	case RPC_C_OPT_MQ_ACKNOWLEDGE:
	case RPC_C_OPT_BINDING_NONCAUSAL:
	case RPC_C_OPT_UNIQUE_BINDING:
	case RPC_C_OPT_DONT_LINGER:
		*v = *v != 0;
		return RPC_S_OK;
	default:
		return RPC_S_INVALID_ARG;
	}
}

/* Give the libqrpc binding @b's value of @option, if it has a twin. */
static int apply_option(struct msrpc_binding *b, ULONG option)
{
	ULONG_PTR v = b->opt[option];
	enum qrpc_option q;

	if (!b->qb)
		return 0;
	switch (option) {
	case RPC_C_OPT_MQ_DELIVERY:
		q = QRPC_OPT_DELIVERY;
		break;
	case RPC_C_OPT_MQ_PRIORITY:
		q = QRPC_OPT_PRIORITY;
		break;
	case RPC_C_OPT_MQ_JOURNAL:
		q = QRPC_OPT_JOURNAL;
		break;
	case RPC_C_OPT_MQ_ACKNOWLEDGE:
		q = QRPC_OPT_ACKNOWLEDGE;
		break;
	case RPC_C_OPT_MQ_TIME_TO_REACH_QUEUE:
		/* MSMQ's LONG_LIVED and INFINITE: as long as qrpc waits. */
		q = QRPC_OPT_TIME_TO_REACH_QUEUE;
		if (v > QRPC_TTRQ_MAX_S)
			v = QRPC_TTRQ_MAX_S;
		break;
	case RPC_C_OPT_MQ_TIME_TO_BE_RECEIVED:
		/* INFINITE is qrpc's 0; MSMQ's 0 is qrpc's shortest. */
		q = QRPC_OPT_TIME_TO_BE_RECEIVED;
		v = v == RPC_C_MQ_INFINITE ? 0 : v ? v : 1;
		break;
	case RPC_C_OPT_CALL_TIMEOUT:
		q = QRPC_OPT_CALL_TIMEOUT;
		break;
	default:
		return 0;	/* no effect here: see the man page */
	}
	return qrpc_binding_set_option(b->qb, q, v);
}

RPC_STATUS RPC_ENTRY RpcBindingSetOption(RPC_BINDING_HANDLE hBinding,
					 ULONG option, ULONG_PTR optionValue)
{
	struct msrpc_binding *b = msrpc_binding_get(hBinding);
	ULONG_PTR v = optionValue;
	RPC_STATUS st;

	if (!b)
		return RPC_S_INVALID_BINDING;
	st = check_option(option, &v);
	if (st != RPC_S_OK)
		return st;
	pthread_mutex_lock(&b->lock);
	b->opt[option] = v;
	st = apply_option(b, option) ? RPC_S_INVALID_ARG : RPC_S_OK;
	pthread_mutex_unlock(&b->lock);
	return st;
}

RPC_STATUS RPC_ENTRY RpcBindingInqOption(RPC_BINDING_HANDLE hBinding,
					 ULONG option, ULONG_PTR *pOptionValue)
{
	struct msrpc_binding *b = msrpc_binding_get(hBinding);
	ULONG_PTR v = 0;

	if (!b)
		return RPC_S_INVALID_BINDING;
	if (!pOptionValue || check_option(option, &v) == RPC_S_INVALID_ARG)
		return RPC_S_INVALID_ARG;
	pthread_mutex_lock(&b->lock);
	*pOptionValue = b->opt[option];
	pthread_mutex_unlock(&b->lock);
	return RPC_S_OK;
}

/* The W forms: convert, call the A form, convert back. */

RPC_STATUS RPC_ENTRY RpcStringBindingComposeW(RPC_WSTR ObjUuid,
					      RPC_WSTR ProtSeq,
					      RPC_WSTR NetworkAddr,
					      RPC_WSTR Endpoint,
					      RPC_WSTR Options,
					      RPC_WSTR *StringBinding)
{
	RPC_WSTR in[5] = { ObjUuid, ProtSeq, NetworkAddr, Endpoint, Options };
	char *a[5] = { 0 };
	RPC_CSTR s = NULL;
	RPC_STATUS st = RPC_S_OK;

	if (!StringBinding)
		return RPC_S_INVALID_ARG;
	*StringBinding = NULL;
	for (int i = 0; st == RPC_S_OK && i < 5; i++)
		st = msrpc_utf16_to_8(in[i], &a[i], RPC_S_INVALID_ARG);
	if (st == RPC_S_OK)
		st = RpcStringBindingComposeA((RPC_CSTR)a[0], (RPC_CSTR)a[1],
					      (RPC_CSTR)a[2], (RPC_CSTR)a[3],
					      (RPC_CSTR)a[4], &s);
	if (st == RPC_S_OK)
		st = msrpc_utf8_to_16((char *)s, StringBinding,
				      RPC_S_INVALID_ARG);
	for (int i = 0; i < 5; i++)
		free(a[i]);
	free(s);
	return st;
}

RPC_STATUS RPC_ENTRY RpcStringBindingParseW(RPC_WSTR StringBinding,
					    RPC_WSTR *ObjUuid,
					    RPC_WSTR *Protseq,
					    RPC_WSTR *NetworkAddr,
					    RPC_WSTR *Endpoint,
					    RPC_WSTR *NetworkOptions)
{
	RPC_WSTR *out[5] = { ObjUuid, Protseq, NetworkAddr, Endpoint,
			     NetworkOptions };
	RPC_CSTR a[5] = { 0 };
	char *s;
	RPC_STATUS st;
	int i;

	for (i = 0; i < 5; i++)
		if (out[i])
			*out[i] = NULL;
	if (!StringBinding)
		return RPC_S_INVALID_STRING_BINDING;
	st = msrpc_utf16_to_8(StringBinding, &s, RPC_S_INVALID_STRING_BINDING);
	if (st != RPC_S_OK)
		return st;
	st = RpcStringBindingParseA((RPC_CSTR)s, &a[0], &a[1], &a[2], &a[3],
				    &a[4]);
	free(s);
	for (i = 0; st == RPC_S_OK && i < 5; i++)
		if (out[i])
			st = msrpc_utf8_to_16((char *)a[i], out[i],
					      RPC_S_INVALID_STRING_BINDING);
	for (i = 0; i < 5; i++) {
		RpcStringFreeA(&a[i]);
		if (st != RPC_S_OK && out[i])
			RpcStringFreeW(out[i]);
	}
	return st;
}

RPC_STATUS RPC_ENTRY RpcBindingFromStringBindingW(RPC_WSTR StringBinding,
						  RPC_BINDING_HANDLE *Binding)
{
	char *s;
	RPC_STATUS st;

	if (!Binding)
		return RPC_S_INVALID_ARG;
	*Binding = NULL;
	if (!StringBinding)
		return RPC_S_INVALID_STRING_BINDING;
	st = msrpc_utf16_to_8(StringBinding, &s, RPC_S_INVALID_STRING_BINDING);
	if (st != RPC_S_OK)
		return st;
	st = RpcBindingFromStringBindingA((RPC_CSTR)s, Binding);
	free(s);
	return st;
}

RPC_STATUS RPC_ENTRY RpcBindingToStringBindingW(RPC_BINDING_HANDLE Binding,
						RPC_WSTR *StringBinding)
{
	RPC_CSTR s;
	RPC_STATUS st;

	if (!StringBinding)
		return RPC_S_INVALID_ARG;
	*StringBinding = NULL;
	st = RpcBindingToStringBindingA(Binding, &s);
	if (st != RPC_S_OK)
		return st;
	st = msrpc_utf8_to_16((char *)s, StringBinding, RPC_S_INVALID_ARG);
	RpcStringFreeA(&s);
	return st;
}
