// SPDX-License-Identifier: GPL-2.0
/*
 * Client and server stubs for RPC interfaces (-c, -s).
 *
 * A client stub sizes the request, gets room for it in place
 * (I_RpcGetBuffer), encodes the [in] parameters with qrpc_marshal.h,
 * makes the call (I_RpcSendReceive), decodes the [out] parameters and
 * the return value from the reply where it lies, and gives the room
 * back; a failure is raised (RpcRaiseException), as MIDL's stubs do.
 * A server stub decodes the request, which another process wrote and
 * may still be writing, into locals (strings are copied; byte arrays
 * are read in place), raises RPC_X_BAD_STUB_DATA for anything malformed
 * before the manager runs, calls the manager through the EPV, and
 * encodes the reply in place.
 *
 * Supported so far: parameters of MIDL's base types (through typedefs)
 * by value, [out] and [in, out] pointers to them, [in, string] char
 * strings, [in, size_is(n)] byte and char arrays with n an [in]
 * parameter; a base-type or void return; an explicit handle_t binding,
 * [implicit_handle] or [explicit_handle]; plain, [maybe] and [message]
 * procedures.  stub_check() names, with its location, anything else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "header_int.h"
#include "stub.h"

/* How a scalar travels: qrpc_marshal.h's name for it and its size. */
struct scalar {
	const char *wire;	/* "i32": qrpc_enc_i32, int32_t */
	const char *ctype;	/* "int32_t" */
	unsigned int size;
};

/* What a parameter is to the stubs. */
enum pkind {
	PK_HANDLE,		/* the binding handle */
	PK_VALUE,		/* [in] scalar */
	PK_OUT,			/* [out] or [in, out] pointer to a scalar */
	PK_STRING,		/* [in, string] char * */
	PK_BYTES,		/* [in, size_is(n)] byte or char * */
};

struct pinfo {
	const struct param *p;
	enum pkind kind;
	bool in, out;
	struct scalar s;
	const char *size_name;	/* PK_BYTES: the [in] parameter n */
};

#define MAX_PARAMS 64

/* The base type @t stands for, through typedefs; NULL if not one. */
static const struct type *base_of(const struct type *t)
{
	for (int depth = 0; t && depth < 64; depth++) {
		if (t->kind == TYPE_BASE)
			return t;
		if (t->kind != TYPE_NAMED || !t->decl ||
		    t->decl->kind != DECL_TYPEDEF)
			return NULL;
		t = t->decl->type;
	}
	return NULL;
}

static bool scalar_of(const struct type *t, struct scalar *s)
{
	const struct type *b = base_of(t);
	bool u;

	if (!b)
		return false;
	u = b->sign == SIGN_UNSIGNED;
	switch (b->base) {
	case BT_CHAR:
	case BT_BYTE:
	case BT_BOOLEAN:
		*s = (struct scalar){ "u8", "uint8_t", 1 };
		return true;
	case BT_SMALL:
	case BT_INT8:
		*s = u ? (struct scalar){ "u8", "uint8_t", 1 } :
			 (struct scalar){ "i8", "int8_t", 1 };
		return true;
	case BT_SHORT:
	case BT_INT16:
		*s = u ? (struct scalar){ "u16", "uint16_t", 2 } :
			 (struct scalar){ "i16", "int16_t", 2 };
		return true;
	case BT_WCHAR:
		*s = (struct scalar){ "u16", "uint16_t", 2 };
		return true;
	case BT_INT:
	case BT_LONG:
	case BT_INT32:
		*s = u ? (struct scalar){ "u32", "uint32_t", 4 } :
			 (struct scalar){ "i32", "int32_t", 4 };
		return true;
	case BT_ERROR_STATUS:
		*s = (struct scalar){ "u32", "uint32_t", 4 };
		return true;
	case BT_HYPER:
	case BT_INT64:
		*s = u ? (struct scalar){ "u64", "uint64_t", 8 } :
			 (struct scalar){ "i64", "int64_t", 8 };
		return true;
	case BT_FLOAT:
		*s = (struct scalar){ "f32", "float", 4 };
		return true;
	case BT_DOUBLE:
		*s = (struct scalar){ "f64", "double", 8 };
		return true;
	default:
		return false;
	}
}

static bool is_char_or_byte(const struct type *t)
{
	const struct type *b = base_of(t);

	return b && (b->base == BT_CHAR || b->base == BT_BYTE);
}

/* The name a size_is(n) argument names, if it is a plain name. */
static const char *size_param(const struct param *p)
{
	const struct attr *a = attr_find(p->attrs, ATTR_SIZE_IS);
	const struct expr *e;

	if (!a || !a->args || a->n_args != 1 || a->args->kind != ARG_EXPR)
		return NULL;
	e = a->args->expr;
	return e && e->kind == EXPR_IDENT ? e->str : NULL;
}

static const struct param *find_param(const struct type *f, const char *name)
{
	for (const struct param *p = f->params; p; p = p->next)
		if (p->name && !strcmp(p->name, name))
			return p;
	return NULL;
}

static bool is_rpc_iface(const struct decl *d)
{
	return d->kind == DECL_INTERFACE && d->defined && !d->imported &&
	       !hg_is_object(d) && !attr_find(d->attrs, ATTR_LOCAL);
}

static bool is_stubbed(const struct decl *fn)
{
	return fn->kind == DECL_FUNC && fn->type &&
	       fn->type->kind == TYPE_FUNCTION &&
	       !attr_find(fn->attrs, ATTR_CALLBACK) &&
	       !attr_find(fn->attrs, ATTR_LOCAL);
}

/* Report what stubs cannot do yet; @d NULL: only say so (-1). */
static int unsupported(struct diag *d, const struct src_loc *loc,
		       const char *what, const char *name)
{
	if (d)
		diag_error(d, loc, 0,
			   "stubs (-c, -s) for %s are not supported yet ('%s')",
			   what, name ? name : "");
	return -1;
}

/* Classify @fn's parameters into @pi; report what stubs cannot do. */
static int classify(const struct decl *iface, const struct decl *fn,
		    struct pinfo *pi, unsigned int *n, struct diag *d)
{
	const struct type *f = fn->type;
	const char *nm = fn->name;
	int bad = 0;

	*n = 0;
	if (attr_find(fn->attrs, ATTR_ASYNC) ||
	    attr_find(iface->attrs, ATTR_ASYNC))
		bad |= unsupported(d, &fn->loc, "[async] procedures", nm);
	if (f->varargs)
		bad |= unsupported(d, &fn->loc, "variable arguments", nm);
	if (!hg_is_void(f->sub) && !scalar_of(f->sub, &(struct scalar){ 0 }))
		bad |= unsupported(d, &fn->loc,
				   "return types other than base types", nm);
	for (const struct param *p = f->params; p; p = p->next) {
		struct pinfo x = { .p = p };
		const struct type *t = p->type;

		x.in = attr_find(p->attrs, ATTR_IN) || !attr_find(p->attrs,
								  ATTR_OUT);
		x.out = attr_find(p->attrs, ATTR_OUT) != NULL;
		if (*n == MAX_PARAMS)
			return unsupported(d, &p->loc, "more than 64 parameters",
					   nm);
		if (!p->name) {
			bad |= unsupported(d, &p->loc, "unnamed parameters", nm);
			continue;
		}
		if (p == f->params && hg_is_handle_type(t) &&
		    base_of(t) && base_of(t)->base == BT_HANDLE) {
			x.kind = PK_HANDLE;
		} else if (!x.out && scalar_of(t, &x.s)) {
			x.kind = PK_VALUE;
		} else if (t->kind == TYPE_POINTER && x.out &&
			   scalar_of(t->sub, &x.s) &&
			   !attr_find(p->attrs, ATTR_STRING) &&
			   !attr_find(p->attrs, ATTR_SIZE_IS)) {
			x.kind = PK_OUT;
		} else if (t->kind == TYPE_POINTER && !x.out &&
			   attr_find(p->attrs, ATTR_STRING) &&
			   is_char_or_byte(t->sub) &&
			   base_of(t->sub)->base == BT_CHAR) {
			x.kind = PK_STRING;
		} else if (t->kind == TYPE_POINTER && !x.out &&
			   is_char_or_byte(t->sub) && size_param(p)) {
			const struct param *np = find_param(f, size_param(p));
			struct scalar ns;

			x.kind = PK_BYTES;
			x.size_name = size_param(p);
			if (!np || attr_find(np->attrs, ATTR_OUT) ||
			    !scalar_of(np->type, &ns) || ns.wire[0] == 'f')
				bad |= unsupported(d, &p->loc,
						   "size_is of other than an [in] integer parameter",
						   p->name);
		} else {
			bad |= unsupported(d, &p->loc,
					   "parameters of this type", p->name);
			continue;
		}
		pi[(*n)++] = x;
	}
	return bad ? -1 : 0;
}

/* The binding handle's expression in a client stub; NULL: none. */
static const char *binding_of(const struct decl *iface, const struct decl *fn,
			      const struct pinfo *pi, unsigned int n)
{
	const struct attr *ih = attr_find(iface->attrs, ATTR_IMPLICIT_HANDLE);

	if (hg_rpc_adds_idl_handle(iface, fn))
		return "IDL_handle";
	if (n && pi[0].kind == PK_HANDLE)
		return pi[0].p->name;
	if (ih && ih->args && ih->args->kind == ARG_DECL && ih->args->name)
		return ih->args->name;
	return NULL;
}

int stub_check(const struct ast *ast, struct diag *d)
{
	struct pinfo pi[MAX_PARAMS];
	int bad = 0;

	if (!ast->main)
		return 0;
	for (const struct decl *i = ast->main->decls; i; i = i->next) {
		if (!is_rpc_iface(i))
			continue;
		for (const struct decl *fn = i->body; fn; fn = fn->next) {
			unsigned int n;

			if (!is_stubbed(fn))
				continue;
			if (classify(i, fn, pi, &n, d)) {
				bad = -1;
				continue;
			}
			if (!binding_of(i, fn, pi, n))
				bad |= unsupported(d, &fn->loc,
						   "[auto_handle] procedures (give a handle_t, or [implicit_handle])",
						   fn->name);
		}
	}
	return bad;
}

struct stub_job {
	const struct ast *ast;
	const struct gen_options *g;
	const char *header;
	bool server;
};

/* The GUID initializer of a UUID in string byte order. */
static void guid(FILE *o, const uint8_t *u)
{
	fprintf(o, "{ 0x%02x%02x%02x%02x, 0x%02x%02x, 0x%02x%02x, { ",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]);
	for (int i = 8; i < 16; i++)
		fprintf(o, "0x%02x%s", u[i], i < 15 ? ", " : " } }");
}

/* endpoint("ncalrpc:[calc]", ...) as RPC_PROTSEQ_ENDPOINT entries. */
static unsigned int endpoints(FILE *o, const struct decl *iface)
{
	const struct attr *a = attr_find(iface->attrs, ATTR_ENDPOINT);
	unsigned int n = 0;

	if (!a)
		return 0;
	fprintf(o, "static RPC_PROTSEQ_ENDPOINT %s__RpcProtseqEndpoint[] = {\n",
		iface->name);
	for (const struct attr_arg *g = a->args; g; g = g->next) {
		const char *s, *colon, *open, *close;

		if (g->kind != ARG_EXPR || !g->expr ||
		    g->expr->kind != EXPR_STRING)
			continue;
		s = g->expr->str;
		colon = strchr(s, ':');
		open = colon ? strchr(colon, '[') : NULL;
		close = open ? strchr(open, ']') : NULL;
		if (!close)
			continue;
		fprintf(o, "    { (unsigned char *)\"%.*s\", (unsigned char *)\"%.*s\" },\n",
			(int)(colon - s), s, (int)(close - open - 1), open + 1);
		n++;
	}
	fputs("};\n\n", o);
	return n;
}

static void interface_struct(FILE *o, const struct decl *iface, bool server)
{
	const uint8_t *u = hg_uuid(iface, ATTR_UUID);
	static const uint8_t nil[16];
	unsigned int ma, mi, n;
	const char *kind = server ? "Server" : "Client";

	hg_version(iface, &ma, &mi);
	n = endpoints(o, iface);
	fprintf(o, "static RPC_%s_INTERFACE %s___Rpc%sInterface = {\n",
		server ? "SERVER" : "CLIENT", iface->name, kind);
	fprintf(o, "    sizeof(RPC_%s_INTERFACE),\n    { ",
		server ? "SERVER" : "CLIENT");
	guid(o, u ? u : nil);
	fprintf(o, ", { %u, %u } },\n", ma, mi);
	/* qrpc_marshal.h's encoding: no transfer syntax travels. */
	fputs("    { { 0, 0, 0, { 0, 0, 0, 0, 0, 0, 0, 0 } }, { 0, 0 } },\n",
	      o);
	if (server)
		fprintf(o, "    &%s_v%u_%u_DispatchTable,\n", iface->name, ma, mi);
	else
		fputs("    0,\n", o);
	if (n)
		fprintf(o, "    %u, %s__RpcProtseqEndpoint,\n", n, iface->name);
	else
		fputs("    0, 0,\n", o);
	if (server)
		fprintf(o, "    &%s_v%u_%u_DefaultEpv,\n", iface->name, ma, mi);
	else
		fputs("    0,\n", o);
	fputs("    0,\n    0,\n};\n", o);
	fprintf(o, "RPC_IF_HANDLE %s_v%u_%u_%c_ifspec = (RPC_IF_HANDLE)&%s___Rpc%sInterface;\n\n",
		iface->name, ma, mi, server ? 's' : 'c', iface->name, kind);
}

/* Statements adding @pi's size on the wire to _n. */
static void size_in(FILE *o, const struct pinfo *x, const char *ind)
{
	const char *n = x->p->name;

	switch (x->kind) {
	case PK_VALUE:
		fprintf(o, "%s_n = _qrpc_align(_n, %u) + %u;\n", ind, x->s.size,
			x->s.size);
		break;
	case PK_OUT:
		if (x->in)
			fprintf(o, "%s_n = _qrpc_align(_n, %u) + %u;\n", ind,
				x->s.size, x->s.size);
		break;
	case PK_STRING:
		fprintf(o, "%s_n = _qrpc_align(_n, 4) + 4 + strlen((const char *)%s) + 1;\n",
			ind, n);
		break;
	case PK_BYTES:
		fprintf(o, "%s_n = _qrpc_align(_n, 4) + 4 + (size_t)%s;\n", ind,
			x->size_name);
		break;
	default:
		break;
	}
}

static void client_stub(FILE *o, struct hgen *h, const struct decl *iface,
			const struct decl *fn, const struct pinfo *pi,
			unsigned int n, unsigned int opnum)
{
	const char *pfx = h->g->prefix_client ? h->g->prefix_client : "";
	const struct type *ret = fn->type->sub;
	bool has_ret = !hg_is_void(ret);
	bool oneway = attr_find(fn->attrs, ATTR_MAYBE) ||
		      attr_find(fn->attrs, ATTR_MESSAGE);
	struct scalar rs = { 0 };

	if (has_ret)
		scalar_of(ret, &rs);
	hg_rpc_signature(h, iface, fn, pfx);
	fputs("\n{\n", o);
	fprintf(o, "    RPC_MESSAGE _m;\n    struct qrpc_enc _e;\n"
		"    RPC_STATUS _st;\n    size_t _n = 0;\n");
	if (!oneway)
		fputs("    struct qrpc_dec _d;\n", o);
	if (has_ret) {
		fputs("    ", o);
		hg_decl(h, ret, "_ret", HCTX_PLAIN);
		fputs(" = 0;\n", o);
	}
	fprintf(o, "\n    memset(&_m, 0, sizeof(_m));\n    _m.Handle = %s;\n",
		binding_of(iface, fn, pi, n));
	fprintf(o, "    _m.RpcInterfaceInformation = (void *)&%s___RpcClientInterface;\n",
		iface->name);
	fprintf(o, "    _m.ProcNum = %u;\n", opnum);
	if (attr_find(fn->attrs, ATTR_MESSAGE))
		fputs("    _m.RpcFlags = RPCFLG_MESSAGE;\n", o);
	else if (attr_find(fn->attrs, ATTR_MAYBE))
		fputs("    _m.RpcFlags = RPC_NCA_FLAGS_MAYBE;\n", o);
	for (unsigned int i = 0; i < n; i++) {
		if (pi[i].kind == PK_STRING)
			fprintf(o, "    if (!%s)\n        RpcRaiseException(RPC_X_NULL_REF_POINTER);\n",
				pi[i].p->name);
		if (pi[i].kind == PK_OUT || (pi[i].kind == PK_BYTES))
			fprintf(o, "    if (!%s)\n        RpcRaiseException(RPC_X_NULL_REF_POINTER);\n",
				pi[i].p->name);
	}
	for (unsigned int i = 0; i < n; i++)
		size_in(o, &pi[i], "    ");
	fputs("    if (_n != (unsigned int)_n)\n        RpcRaiseException(RPC_S_OUT_OF_RESOURCES);\n"
	      "    _m.BufferLength = (unsigned int)_n;\n"
	      "    _st = I_RpcGetBuffer(&_m);\n"
	      "    if (_st != RPC_S_OK)\n        RpcRaiseException(_st);\n"
	      "    qrpc_enc_init(&_e, _m.Buffer, _m.BufferLength);\n", o);
	for (unsigned int i = 0; i < n; i++) {
		const struct pinfo *x = &pi[i];
		const char *nm = x->p->name;

		if (x->kind == PK_VALUE)
			fprintf(o, "    qrpc_enc_%s(&_e, (%s)%s);\n", x->s.wire,
				x->s.ctype, nm);
		else if (x->kind == PK_OUT && x->in)
			fprintf(o, "    qrpc_enc_%s(&_e, (%s)*%s);\n", x->s.wire,
				x->s.ctype, nm);
		else if (x->kind == PK_STRING)
			fprintf(o, "    qrpc_enc_string(&_e, (const char *)%s);\n",
				nm);
		else if (x->kind == PK_BYTES)
			fprintf(o, "    qrpc_enc_array_header(&_e, (uint32_t)%s);\n"
				"    qrpc_enc_bytes(&_e, %s, (size_t)%s);\n",
				x->size_name, nm, x->size_name);
	}
	fputs("    _st = qrpc_enc_len(&_e) == _n && !_e.err ? I_RpcSendReceive(&_m) :\n"
	      "          RPC_S_INTERNAL_ERROR;\n", o);
	if (!oneway) {
		fputs("    if (_st == RPC_S_OK) {\n"
		      "        qrpc_dec_init(&_d, _m.Buffer, _m.BufferLength);\n",
		      o);
		for (unsigned int i = 0; i < n; i++) {
			const struct pinfo *x = &pi[i];

			if (x->kind != PK_OUT)
				continue;
			fprintf(o, "        {\n            %s _v = 0;\n\n"
				"            qrpc_dec_%s(&_d, &_v);\n"
				"            *%s = (",
				x->s.ctype, x->s.wire, x->p->name);
			hg_type(h, x->p->type->sub);
			fputs(")_v;\n        }\n", o);
		}
		if (has_ret) {
			fprintf(o, "        {\n            %s _v = 0;\n\n"
				"            qrpc_dec_%s(&_d, &_v);\n"
				"            _ret = (", rs.ctype, rs.wire);
			hg_type(h, ret);
			fputs(")_v;\n        }\n", o);
		}
		fputs("        if (qrpc_dec_end(&_d))\n"
		      "            _st = RPC_X_BAD_STUB_DATA;\n    }\n", o);
	}
	fputs("    I_RpcFreeBuffer(&_m);\n"
	      "    if (_st != RPC_S_OK)\n        RpcRaiseException(_st);\n", o);
	if (has_ret)
		fputs("    return _ret;\n", o);
	fputs("}\n\n", o);
}

static void server_stub(FILE *o, struct hgen *h, const struct decl *iface,
			const struct decl *fn, const struct pinfo *pi,
			unsigned int n)
{
	const struct type *ret = fn->type->sub;
	bool has_ret = !hg_is_void(ret);
	bool oneway = attr_find(fn->attrs, ATTR_MAYBE) ||
		      attr_find(fn->attrs, ATTR_MESSAGE);
	bool idl_handle = hg_rpc_adds_idl_handle(iface, fn);
	unsigned int ma, mi;
	struct scalar rs = { 0 };
	bool first = true, strings = false;

	hg_version(iface, &ma, &mi);
	if (has_ret)
		scalar_of(ret, &rs);
	/*
	 * With strings the manager runs in an RpcTryFinally (they are
	 * freed however it returns): what it sets is volatile, as setjmp()
	 * wants.
	 */
	for (unsigned int i = 0; i < n; i++)
		if (pi[i].kind == PK_STRING)
			strings = true;
	fprintf(o, "static void __RPC_STUB %s_%s(PRPC_MESSAGE _m)\n{\n",
		iface->name, fn->name);
	fprintf(o, "    %s_v%u_%u_epv_t *_epv = (%s_v%u_%u_epv_t *)_m->ManagerEpv;\n",
		iface->name, ma, mi, iface->name, ma, mi);
	fputs("    struct qrpc_dec _d;\n", o);
	if (!oneway)
		fputs("    struct qrpc_enc _e;\n    size_t _n = 0;\n", o);
	for (unsigned int i = 0; i < n; i++) {
		const struct pinfo *x = &pi[i];

		fputs("    ", o);
		switch (x->kind) {
		case PK_HANDLE:
			fputs("handle_t ", o);
			fputs(x->p->name, o);
			fputs(" = _m->Handle;\n", o);
			continue;
		case PK_VALUE:
			hg_decl(h, x->p->type, x->p->name, HCTX_PLAIN);
			fputs(" = 0;\n", o);
			continue;
		case PK_OUT:
			hg_decl(h, x->p->type->sub, x->p->name, HCTX_PLAIN);
			fputs(" = 0;\n", o);
			continue;
		case PK_STRING:
			fprintf(o, "char *volatile %s = NULL;\n", x->p->name);
			continue;
		case PK_BYTES:
			fprintf(o, "const void *%s;\n    uint32_t _count_%s = 0;\n",
				x->p->name, x->p->name);
			continue;
		}
	}
	if (has_ret) {
		fputs(strings ? "    volatile " : "    ", o);
		hg_decl(h, ret, "_ret", HCTX_PLAIN);
		fputs(";\n", o);
	}
	fputs("\n    qrpc_dec_init(&_d, _m->Buffer, _m->BufferLength);\n", o);
	for (unsigned int i = 0; i < n; i++) {
		const struct pinfo *x = &pi[i];
		const char *nm = x->p->name;

		if (x->kind == PK_VALUE || (x->kind == PK_OUT && x->in)) {
			fprintf(o, "    {\n        %s _v = 0;\n\n"
				"        qrpc_dec_%s(&_d, &_v);\n"
				"        %s = (", x->s.ctype, x->s.wire, nm);
			hg_type(h, x->kind == PK_OUT ? x->p->type->sub :
				   x->p->type);
			fputs(")_v;\n    }\n", o);
		} else if (x->kind == PK_STRING) {
			/* Copied, then checked: the sender may still write. */
			fprintf(o, "    {\n        struct qrpc_dec _peek = _d;\n"
				"        const char *_s;\n        uint32_t _l;\n\n"
				"        if (qrpc_dec_string(&_peek, &_s, &_l) == 0) {\n"
				"            %s = (char *)midl_user_allocate((size_t)_l + 1);\n"
				"            if (!%s)\n"
				"                RpcRaiseException(RPC_S_OUT_OF_MEMORY);\n"
				"            qrpc_dec_string_copy(&_d, %s, (size_t)_l + 1);\n"
				"        } else {\n            _d = _peek;\n        }\n    }\n",
				nm, nm, nm);
		} else if (x->kind == PK_BYTES) {
			fprintf(o, "    qrpc_dec_array_header(&_d, &_count_%s, 1, 0);\n"
				"    %s = qrpc_dec_bytes(&_d, _count_%s);\n",
				nm, nm, nm);
		}
	}
	fputs("    if (qrpc_dec_end(&_d) != 0", o);
	for (unsigned int i = 0; i < n; i++)
		if (pi[i].kind == PK_BYTES)
			fprintf(o, " ||\n        _count_%s != (uint32_t)%s",
				pi[i].p->name, pi[i].size_name);
	fputs(") {\n", o);
	for (unsigned int i = 0; i < n; i++)
		if (pi[i].kind == PK_STRING)
			fprintf(o, "        if (%s)\n            midl_user_free(%s);\n",
				pi[i].p->name, pi[i].p->name);
	fputs("        RpcRaiseException(RPC_X_BAD_STUB_DATA);\n    }\n", o);
	/* The manager: the EPV's member, arguments in order. */
	if (strings)
		fputs("    RpcTryFinally {\n    ", o);
	fprintf(o, "    %s_epv->%s(", has_ret ? "_ret = " : "", fn->name);
	if (idl_handle) {
		fputs("_m->Handle", o);
		first = false;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct pinfo *x = &pi[i];

		if (!first)
			fputs(", ", o);
		first = false;
		if (x->kind == PK_OUT) {
			fprintf(o, "&%s", x->p->name);
		} else if (x->kind == PK_STRING || x->kind == PK_BYTES) {
			/* Byte arrays are read in place, as they lie. */
			fputc('(', o);
			hg_type(h, x->p->type);
			fprintf(o, ")%s", x->p->name);
		} else {
			fputs(x->p->name, o);
		}
	}
	fputs(");\n", o);
	if (strings) {
		fputs("    } RpcFinally {\n", o);
		for (unsigned int i = 0; i < n; i++)
			if (pi[i].kind == PK_STRING)
				fprintf(o, "        midl_user_free(%s);\n",
					pi[i].p->name);
		fputs("    } RpcEndFinally\n", o);
	}
	if (oneway) {
		fputs("}\n\n", o);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		if (pi[i].kind == PK_OUT)
			fprintf(o, "    _n = _qrpc_align(_n, %u) + %u;\n",
				pi[i].s.size, pi[i].s.size);
	if (has_ret)
		fprintf(o, "    _n = _qrpc_align(_n, %u) + %u;\n", rs.size,
			rs.size);
	fputs("    _m->BufferLength = (unsigned int)_n;\n"
	      "    if (I_RpcGetBuffer(_m) != RPC_S_OK)\n"
	      "        RpcRaiseException(RPC_S_SERVER_OUT_OF_MEMORY);\n"
	      "    qrpc_enc_init(&_e, _m->Buffer, _m->BufferLength);\n", o);
	for (unsigned int i = 0; i < n; i++)
		if (pi[i].kind == PK_OUT)
			fprintf(o, "    qrpc_enc_%s(&_e, (%s)%s);\n", pi[i].s.wire,
				pi[i].s.ctype, pi[i].p->name);
	if (has_ret)
		fprintf(o, "    qrpc_enc_%s(&_e, (%s)_ret);\n", rs.wire,
			rs.ctype);
	fputs("    _m->BufferLength = (unsigned int)qrpc_enc_len(&_e);\n}\n\n",
	      o);
}

static void server_tables(FILE *o, const struct decl *iface,
			  const char *pfx)
{
	unsigned int ma, mi, count = 0;

	hg_version(iface, &ma, &mi);
	fprintf(o, "static RPC_DISPATCH_FUNCTION %s_table[] = {\n",
		iface->name);
	for (const struct decl *fn = iface->body; fn; fn = fn->next) {
		if (!is_stubbed(fn))
			continue;
		fprintf(o, "    %s_%s,\n", iface->name, fn->name);
		count++;
	}
	fputs("};\n\n", o);
	fprintf(o, "static RPC_DISPATCH_TABLE %s_v%u_%u_DispatchTable = { %u, %s_table, 0 };\n\n",
		iface->name, ma, mi, count, iface->name);
	/* The manager routines named as the procedures, as MIDL's default. */
	fprintf(o, "static %s_v%u_%u_epv_t %s_v%u_%u_DefaultEpv = {\n",
		iface->name, ma, mi, iface->name, ma, mi);
	for (const struct decl *fn = iface->body; fn; fn = fn->next)
		if (is_stubbed(fn))
			fprintf(o, "    %s%s,\n", pfx, fn->name);
	fputs("};\n\n", o);
}

static int emit(FILE *o, void *arg)
{
	const struct stub_job *j = arg;
	struct hgen h = { .out = o, .ast = j->ast, .g = j->g };
	struct pinfo pi[MAX_PARAMS];

	fprintf(o, "/*** %s stub generated by qrpc-idl from %s - Do not edit ***/\n\n",
		j->server ? "Server" : "Client", j->ast->main->path);
	fputs("#include <stdint.h>\n#include <string.h>\n\n#include <qrpc_marshal.h>\n",
	      o);
	fprintf(o, "\n#include \"%s\"\n\n", j->header);
	fputs("static inline size_t _qrpc_align(size_t n, size_t a)\n{\n"
	      "    return (n + a - 1) & ~(a - 1);\n}\n\n", o);
	for (const struct decl *i = j->ast->main->decls; i; i = i->next) {
		unsigned int opnum = 0;
		const char *pfx = j->g && j->g->prefix_server ?
				  j->g->prefix_server : "";

		if (!is_rpc_iface(i))
			continue;
		h.rpc_iface = i;
		if (!j->server) {
			const struct attr *ih = attr_find(i->attrs,
							  ATTR_IMPLICIT_HANDLE);

			interface_struct(o, i, false);
			if (ih && ih->args && ih->args->kind == ARG_DECL &&
			    ih->args->name) {
				hg_decl(&h, ih->args->type, ih->args->name,
					HCTX_PLAIN);
				fputs(";\n\n", o);
			}
		}
		for (const struct decl *fn = i->body; fn; fn = fn->next) {
			unsigned int n;

			if (!is_stubbed(fn))
				continue;
			/* stub_check() reported what fails here. */
			if (classify(i, fn, pi, &n, NULL) == 0) {
				if (j->server)
					server_stub(o, &h, i, fn, pi, n);
				else
					client_stub(o, &h, i, fn, pi, n, opnum);
			}
			opnum++;
		}
		if (j->server) {
			server_tables(o, i, pfx);
			interface_struct(o, i, true);
		}
	}
	return h.oom || ferror(o) ? -1 : 0;
}

int stub_emit(FILE *out, const struct ast *ast, const struct gen_options *g,
	      const char *header_name, bool server)
{
	static const struct gen_options none;
	struct stub_job j = { ast, g ? g : &none, header_name, server };

	return emit(out, &j);
}

int stub_write(const struct ast *ast, const struct gen_options *g,
	       const char *path, const char *header_name, bool server,
	       struct diag *d)
{
	static const struct gen_options none;
	struct stub_job j = { ast, g ? g : &none, header_name, server };

	return gen_write(g, path, emit, &j, d);
}
