// SPDX-License-Identifier: GPL-2.0
/*
 * COM in the header: [object] interfaces in their C++ form (a class of
 * pure virtual methods) and their C form (a vtable struct whose
 * function pointers take "This" first, inherited methods first, with
 * the IFoo_M(This, ...) macros under COBJMACROS); the proxy and stub
 * prototypes; the AsyncIFoo interface of [async_uuid]; dispinterfaces
 * and coclasses.
 *
 * An [async_uuid(U)] interface IFoo : IBase gets AsyncIFoo (IID U),
 * derived from AsyncIBase if IBase has one, else from IUnknown, whose
 * every method X becomes Begin_X, taking the [in] and [in, out]
 * parameters, then Finish_X, taking the [out] and [in, out] ones.
 */
#include <stdlib.h>
#include <string.h>

#include "header_int.h"

enum split {
	SPLIT_NONE,
	SPLIT_BEGIN,
	SPLIT_FINISH,
};

/* One vtable slot. */
struct meth {
	const struct decl *owner;	/* the interface that declares it */
	bool async_owner;		/* owner is AsyncOWNER */
	const struct decl *fn;
	enum split split;
};

struct meths {
	struct meth *v;
	size_t n, cap;
};

/* The interface being written. */
struct com_if {
	const char *name;
	const char *base;		/* C++ base class, NULL for a root */
	const uint8_t *uuid;
	const char *iid_prefix;
	const char *kind;		/* "interface", "dispinterface" */
	const char *guard;		/* INTERFACE, DISPINTERFACE */
	const struct decl *self;	/* whose methods are its own */
	bool self_async;
	struct meths m;
};

bool hg_is_object(const struct decl *d)
{
	return attr_find(d->attrs, ATTR_OBJECT) ||
	       attr_find(d->attrs, ATTR_ODL) ||
	       attr_find(d->attrs, ATTR_DUAL) || d->base_name;
}

void hg_com_forward(struct hgen *h, const char *name)
{
	fprintf(h->out, "#ifndef __%s_FWD_DEFINED__\n"
		"#define __%s_FWD_DEFINED__\n"
		"typedef interface %s %s;\n"
		"#ifdef __cplusplus\n"
		"interface %s;\n"
		"#endif /* __cplusplus */\n"
		"#endif\n\n", name, name, name, name, name);
}

/* What C sees of a method's name: [propget] P is get_P, [eventadd] E
 * add_E, and so on. */
static const char *prop_prefix(const struct decl *fn)
{
	if (attr_find(fn->attrs, ATTR_PROPGET))
		return "get_";
	if (attr_find(fn->attrs, ATTR_PROPPUT))
		return "put_";
	if (attr_find(fn->attrs, ATTR_PROPPUTREF))
		return "putref_";
	if (attr_find(fn->attrs, ATTR_EVENTADD))
		return "add_";
	if (attr_find(fn->attrs, ATTR_EVENTREMOVE))
		return "remove_";
	return "";
}

static void meth_name(struct hgen *h, const struct meth *m)
{
	fprintf(h->out, "%s%s%s", m->split == SPLIT_BEGIN ? "Begin_" :
		m->split == SPLIT_FINISH ? "Finish_" : "",
		prop_prefix(m->fn), m->fn->name);
}

/* Whether another slot of @c, before (@dir < 0) or after @i, has the
 * name of slot @i: C++ overloads, which C cannot have. */
static bool same_name(const struct com_if *c, size_t i, int dir)
{
	const struct meth *a = &c->m.v[i];

	for (size_t j = dir < 0 ? 0 : i + 1; dir < 0 ? j < i : j < c->m.n;
	     j++) {
		const struct meth *b = &c->m.v[j];

		/* The cheap test first: most names differ at once. */
		if (strcmp(a->fn->name, b->fn->name) != 0)
			continue;
		if (a->split == b->split &&
		    !strcmp(prop_prefix(a->fn), prop_prefix(b->fn)))
			return true;
	}
	return false;
}

/* A slot's C member name: a later overload is OWNER_NAME, as widl's. */
static void slot_name(struct hgen *h, const struct com_if *c, size_t i)
{
	const struct meth *m = &c->m.v[i];

	if (same_name(c, i, -1))
		fprintf(h->out, "%s%s_", m->async_owner ? "Async" : "",
			hg_cname(h, m->owner));
	meth_name(h, m);
}

static bool takes(const struct meth *m, const struct param *p)
{
	bool in = attr_find(p->attrs, ATTR_IN);
	bool out = attr_find(p->attrs, ATTR_OUT);

	switch (m->split) {
	case SPLIT_BEGIN:
		return in || !out;
	case SPLIT_FINISH:
		return out;
	default:
		return true;
	}
}

static const struct decl *resolve(const struct hgen *h, const struct decl *d,
				  const char *name)
{
	if (d && d->defined)
		return d;
	return name ? hg_find_iface(h, name) : NULL;
}

static const struct decl *base_of(const struct hgen *h, const struct decl *d)
{
	if (!d->base_name)
		return NULL;
	return resolve(h, d->base, d->base_name);
}

static void push(struct hgen *h, struct meths *v, const struct meth *m)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		struct meth *n = realloc(v->v, cap * sizeof(*n));

		if (!n) {
			h->oom = true;
			return;
		}
		v->v = n;
		v->cap = cap;
	}
	v->v[v->n++] = *m;
}

/* [call_as] methods are the remote halves of a [local] one: no slot. */
static bool in_vtbl(const struct decl *fn)
{
	return fn->kind == DECL_FUNC && !attr_find(fn->attrs, ATTR_CALL_AS);
}

static void collect(struct hgen *h, const struct decl *d, bool async,
		    struct meths *v, int depth)
{
	const struct decl *base;

	if (!d || depth > 64)
		return;
	base = base_of(h, d);
	if (async) {
		if (base && attr_find(base->attrs, ATTR_ASYNC_UUID))
			collect(h, base, true, v, depth + 1);
		else
			collect(h, hg_find_iface(h, "IUnknown"), false, v,
				depth + 1);
	} else {
		collect(h, base, false, v, depth + 1);
	}
	for (const struct decl *x = d->body; x; x = x->next) {
		struct meth m = { d, async, x, SPLIT_NONE };

		if (!in_vtbl(x))
			continue;
		if (async) {
			m.split = SPLIT_BEGIN;
			push(h, v, &m);
			m.split = SPLIT_FINISH;
		}
		push(h, v, &m);
	}
}

static void guid_args(struct hgen *h, const uint8_t *u)
{
	fprintf(h->out, "0x%02x%02x%02x%02x, 0x%02x%02x, 0x%02x%02x, "
		"0x%02x,0x%02x, 0x%02x,0x%02x,0x%02x,0x%02x,0x%02x,0x%02x",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		u[10], u[11], u[12], u[13], u[14], u[15]);
}

static void crt_uuid(struct hgen *h, const char *name, const uint8_t *u)
{
	fprintf(h->out, "#ifdef __CRT_UUID_DECL\n__CRT_UUID_DECL(%s, ", name);
	guid_args(h, u);
	fputs(")\n#endif\n", h->out);
}

/* The parameters of @m after @first, one a line, as widl lays them. */
static void meth_params(struct hgen *h, const struct meth *m,
			const char *first, const char *ind)
{
	const struct type *f = m->fn->type;
	bool any = first != NULL;

	if (first)
		fprintf(h->out, "\n%s%s", ind, first);
	for (const struct param *p = f->params; p; p = p->next) {
		if (!takes(m, p))
			continue;
		fprintf(h->out, "%s\n%s", any ? "," : "", ind);
		hg_param(h, p, NULL);
		any = true;
	}
	if (f->varargs && m->split == SPLIT_NONE) {
		fprintf(h->out, "%s\n%s...", any ? "," : "", ind);
		any = true;
	}
	if (!any)
		fprintf(h->out, "\n%s", ind);
}

static const struct type *ret_of(const struct decl *fn)
{
	return fn->type ? fn->type->sub : NULL;
}

static void cxx_form(struct hgen *h, const struct com_if *c)
{
	fputs("#if defined(__cplusplus) && !defined(CINTERFACE)\n", h->out);
	if (c->uuid) {
		fputs("MIDL_INTERFACE(\"", h->out);
		hg_uuid_text(h, c->uuid);
		fprintf(h->out, "\")\n%s", c->name);
	} else {
		fprintf(h->out, "interface %s", c->name);
	}
	if (c->base)
		fprintf(h->out, " : public %s", c->base);
	fputs("\n{\n", h->out);
	if (!c->base)
		fputs("    BEGIN_INTERFACE\n\n", h->out);
	for (size_t i = 0; i < c->m.n; i++) {
		const struct meth *m = &c->m.v[i];

		/* Only the interface's own methods: the rest inherit. */
		if (m->owner != c->self || m->async_owner != c->self_async)
			continue;
		fputs("    virtual ", h->out);
		hg_decl_open(h, ret_of(m->fn));
		fputs("STDMETHODCALLTYPE ", h->out);
		meth_name(h, m);
		fputc('(', h->out);
		meth_params(h, m, NULL, "        ");
		fputc(')', h->out);
		hg_decl_close(h, ret_of(m->fn));
		fputs(" = 0;\n\n", h->out);
	}
	if (!c->base)
		fputs("    END_INTERFACE\n\n", h->out);
	fputs("};\n", h->out);
	if (c->uuid)
		crt_uuid(h, c->name, c->uuid);
}

static void section(struct hgen *h, const struct meth *m,
		    const struct meth *prev)
{
	if (prev && prev->owner == m->owner &&
	    prev->async_owner == m->async_owner)
		return;
	fprintf(h->out, "    /*** %s%s methods ***/\n",
		m->async_owner ? "Async" : "", hg_cname(h, m->owner));
}

static void c_form(struct hgen *h, const struct com_if *c)
{
	char *this;

	if (asprintf(&this, "%s *This", c->name) < 0) {
		h->oom = true;
		return;
	}
	fprintf(h->out, "typedef struct %sVtbl {\n    BEGIN_INTERFACE\n\n",
		c->name);
	for (size_t i = 0; i < c->m.n; i++) {
		const struct meth *m = &c->m.v[i];

		section(h, m, i ? m - 1 : NULL);
		fputs("    ", h->out);
		hg_decl_open(h, ret_of(m->fn));
		fputs("(STDMETHODCALLTYPE *", h->out);
		slot_name(h, c, i);
		fputs(")(", h->out);
		meth_params(h, m, this, "        ");
		fputc(')', h->out);
		hg_decl_close(h, ret_of(m->fn));
		fputs(";\n\n", h->out);
	}
	fprintf(h->out, "    END_INTERFACE\n} %sVtbl;\n\n", c->name);
	fprintf(h->out,
		"interface %s {\n    CONST_VTBL %sVtbl* lpVtbl;\n};\n\n",
		c->name, c->name);
	free(this);

	fputs("#ifdef COBJMACROS\n", h->out);
	for (size_t i = 0; i < c->m.n; i++) {
		const struct meth *m = &c->m.v[i];
		unsigned int k;

		/* One macro a name: the last overload's. */
		if (same_name(c, i, 1))
			continue;
		if (!i || m->owner != m[-1].owner ||
		    m->async_owner != m[-1].async_owner)
			fprintf(h->out, "/*** %s%s methods ***/\n",
				m->async_owner ? "Async" : "",
				hg_cname(h, m->owner));
		for (int pass = 0; pass < 2; pass++) {
			if (pass == 0) {
				fprintf(h->out, "#define %s_", c->name);
				meth_name(h, m);
			} else {
				fputs(" (This)->lpVtbl->", h->out);
				slot_name(h, c, i);
			}
			fputs("(This", h->out);
			k = 0;
			for (const struct param *p = m->fn->type->params; p;
			     p = p->next, k++) {
				if (!takes(m, p))
					continue;
				if (p->name)
					fprintf(h->out, ",%s", p->name);
				else
					fprintf(h->out, ",__arg%u", k);
			}
			fputc(')', h->out);
		}
		fputc('\n', h->out);
	}
	fputs("#endif\n\n", h->out);
}

/* The C++ class, the C vtable and macros, inside the guard. */
static void com_body(struct hgen *h, const struct com_if *c)
{
	if (c->uuid)
		hg_guid(h, c->iid_prefix, c->name, c->uuid);
	cxx_form(h, c);
	fputs("#else\n", h->out);
	c_form(h, c);
	fputs("#endif\n\n", h->out);
}

static void open_guard(struct hgen *h, const struct com_if *c)
{
	hg_banner(h, c->name, c->kind);
	hg_guard(h, c->name, c->guard);
	fputc('\n', h->out);
}

static void close_guard(struct hgen *h, const struct com_if *c)
{
	fprintf(h->out, "#endif  /* __%s_%s_DEFINED__ */\n\n", c->name,
		c->guard);
}

static void proxy_params(struct hgen *h, const char *iface,
			 const struct decl *fn)
{
	fprintf(h->out, "(\n    %s* This", iface);
	for (const struct param *p = fn->type->params; p; p = p->next) {
		fputs(",\n    ", h->out);
		hg_param(h, p, NULL);
	}
	if (fn->type->varargs)
		fputs(",\n    ...", h->out);
	fputc(')', h->out);
}

static const struct decl *find_method(const struct decl *d, const char *name)
{
	for (const struct decl *x = d->body; x; x = x->next)
		if (x->kind == DECL_FUNC && x->name && !strcmp(x->name, name))
			return x;
	return NULL;
}

static const char *call_as_target(const struct decl *fn)
{
	const struct attr *a = attr_find(fn->attrs, ATTR_CALL_AS);

	if (!a || !a->args || a->args->kind != ARG_EXPR || !a->args->expr ||
	    a->args->expr->kind != EXPR_IDENT)
		return NULL;
	return a->args->expr->str;
}

/*
 * What the proxy DLL defines: IFoo_M_Proxy and IFoo_M_Stub for each
 * remotable method; for a [local] M with a [call_as(M)] R, also the
 * hand-written IFoo_M_Proxy (M's signature) and IFoo_M_Stub (R's).
 */
static void proxies(struct hgen *h, const struct decl *d)
{
	const char *name = hg_cname(h, d);

	for (const struct decl *x = d->body; x; x = x->next) {
		if (x->kind != DECL_FUNC || attr_find(x->attrs, ATTR_LOCAL))
			continue;
		hg_decl_open(h, ret_of(x));
		fprintf(h->out, "STDMETHODCALLTYPE %s_%s%s_Proxy", name,
			prop_prefix(x), x->name);
		proxy_params(h, name, x);
		hg_decl_close(h, ret_of(x));
		fprintf(h->out, ";\nvoid __RPC_STUB %s_%s%s_Stub(\n"
			"    IRpcStubBuffer* This,\n"
			"    IRpcChannelBuffer* pRpcChannelBuffer,\n"
			"    PRPC_MESSAGE pRpcMessage,\n"
			"    DWORD* pdwStubPhase);\n", name, prop_prefix(x),
			x->name);
	}
	for (const struct decl *x = d->body; x; x = x->next) {
		const char *t = x->kind == DECL_FUNC ? call_as_target(x) : NULL;
		const struct decl *local = t ? find_method(d, t) : NULL;

		if (!local)
			continue;
		hg_decl_open(h, ret_of(local));
		fprintf(h->out, "CALLBACK %s_%s%s_Proxy", name,
			prop_prefix(local), local->name);
		proxy_params(h, name, local);
		hg_decl_close(h, ret_of(local));
		fputs(";\n", h->out);
		hg_decl_open(h, ret_of(x));
		fprintf(h->out, "__RPC_STUB %s_%s%s_Stub", name,
			prop_prefix(local), local->name);
		proxy_params(h, name, x);
		hg_decl_close(h, ret_of(x));
		fputs(";\n", h->out);
	}
	fputc('\n', h->out);
}

static void async_interface(struct hgen *h, const struct decl *d)
{
	const struct decl *base = base_of(h, d);
	struct com_if c = {
		.uuid = hg_uuid(d, ATTR_ASYNC_UUID),
		.iid_prefix = "IID_",
		.kind = "interface",
		.guard = "INTERFACE",
	};
	char *name, *bname = NULL;

	if (asprintf(&name, "Async%s", hg_cname(h, d)) < 0) {
		h->oom = true;
		return;
	}
	if (base && attr_find(base->attrs, ATTR_ASYNC_UUID)) {
		if (asprintf(&bname, "Async%s", hg_cname(h, base)) < 0) {
			h->oom = true;
			free(name);
			return;
		}
		c.base = bname;
	} else {
		c.base = "IUnknown";
	}
	c.name = name;
	c.self = d;
	c.self_async = true;
	collect(h, d, true, &c.m, 0);
	open_guard(h, &c);
	com_body(h, &c);
	close_guard(h, &c);
	free(c.m.v);
	free(name);
	free(bname);
}

void hg_com_interface(struct hgen *h, const struct decl *d)
{
	const struct decl *base = base_of(h, d);
	struct com_if c = {
		.name = hg_cname(h, d),
		.base = base ? hg_cname(h, base) :
			d->base_name ? hg_mangle(h, NULL, d->base_name) : NULL,
		.uuid = hg_uuid(d, ATTR_UUID),
		.iid_prefix = "IID_",
		.kind = "interface",
		.guard = "INTERFACE",
		.self = d,
	};

	collect(h, d, false, &c.m, 0);
	open_guard(h, &c);
	/* Types and constants declared in the interface come first. */
	hg_decls(h, d->body, false);
	com_body(h, &c);
	proxies(h, d);
	close_guard(h, &c);
	free(c.m.v);
	if (attr_find(d->attrs, ATTR_ASYNC_UUID))
		async_interface(h, d);
}

/*
 * A dispinterface's methods and properties go through IDispatch::Invoke:
 * its vtable is IDispatch's.
 */
void hg_dispinterface(struct hgen *h, const struct decl *d)
{
	struct com_if c = {
		.name = d->name,
		.base = "IDispatch",
		.uuid = hg_uuid(d, ATTR_UUID),
		.iid_prefix = "DIID_",
		.kind = "dispinterface",
		.guard = "DISPINTERFACE",
	};

	collect(h, hg_find_iface(h, "IDispatch"), false, &c.m, 0);
	open_guard(h, &c);
	if (c.uuid)
		hg_guid(h, c.iid_prefix, c.name, c.uuid);
	fputs("#if defined(__cplusplus) && !defined(CINTERFACE)\n", h->out);
	if (c.uuid) {
		fputs("MIDL_INTERFACE(\"", h->out);
		hg_uuid_text(h, c.uuid);
		fputs("\")\n", h->out);
	}
	fprintf(h->out, "%s : public IDispatch\n{\n};\n", c.name);
	if (c.uuid)
		crt_uuid(h, c.name, c.uuid);
	fputs("#else\n", h->out);
	c_form(h, &c);
	fputs("#endif\n\n", h->out);
	close_guard(h, &c);
	free(c.m.v);
}

void hg_coclass_forward(struct hgen *h, const struct decl *d)
{
	fprintf(h->out, "#ifndef __%s_FWD_DEFINED__\n"
		"#define __%s_FWD_DEFINED__\n"
		"#ifdef __cplusplus\n"
		"typedef class %s %s;\n"
		"#else\n"
		"typedef struct %s %s;\n"
		"#endif /* defined __cplusplus */\n"
		"#endif /* defined __%s_FWD_DEFINED__ */\n\n",
		d->name, d->name, d->name, d->name, d->name, d->name, d->name);
}

void hg_coclass(struct hgen *h, const struct decl *d)
{
	const uint8_t *u = hg_uuid(d, ATTR_UUID);

	hg_banner(h, d->name, "coclass");
	fputc('\n', h->out);
	if (!u)
		return;
	hg_guid(h, "CLSID_", d->name, u);
	fputs("\n#ifdef __cplusplus\nclass DECLSPEC_UUID(\"", h->out);
	hg_uuid_text(h, u);
	fprintf(h->out, "\") %s;\n", d->name);
	crt_uuid(h, d->name, u);
	fputs("#endif\n\n", h->out);
}

void hg_delegate(struct hgen *h, const struct decl *d)
{
	struct decl invoke = {
		.kind = DECL_FUNC,
		.loc = d->loc,
		.name = "Invoke",
		.type = d->type,
	};
	struct decl iface = *d;

	/* widl's shape: IUnknown's methods, then Invoke. */
	iface.kind = DECL_INTERFACE;
	iface.body = &invoke;
	iface.base = NULL;
	iface.base_name = "IUnknown";
	iface.defined = true;
	iface.next = NULL;
	hg_com_interface(h, &iface);
}
