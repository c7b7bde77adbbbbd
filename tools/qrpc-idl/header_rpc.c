// SPDX-License-Identifier: GPL-2.0
/*
 * RPC (non-[object]) interfaces in the header: the procedure prototypes
 * that the client stub defines and the server's manager implements,
 * with MIDL's [async] transformation; the interface handles; the
 * manager entry-point vector; [implicit_handle] globals.
 *
 * [async] (from the ACF, on the procedure or the interface) changes the
 * C signature, not the wire: the call no longer returns its value but
 * completes through the RPC_ASYNC_STATE handle, which comes first:
 *
 *   IDL:  long F(handle_t h, [in] long x);     ACF: [async] F();
 *   C:    void F(PRPC_ASYNC_STATE F_AsyncHandle, handle_t h, INT32 x);
 */
#include <stdlib.h>
#include <string.h>

#include "header_int.h"

void hg_version(const struct decl *d, unsigned int *major, unsigned int *minor)
{
	const struct attr *a = attr_find(d->attrs, ATTR_VERSION);
	const struct expr *e;
	char *end;

	*major = 0;
	*minor = 0;
	if (!a || !a->args || a->args->kind != ARG_EXPR)
		return;
	e = a->args->expr;
	if (!e || (e->kind != EXPR_INT && e->kind != EXPR_FLOAT))
		return;
	if (!e->spelling) {
		*major = (unsigned int)e->ival;
		return;
	}
	/* The spelling, not the value: version(1.10) is minor 10. */
	*major = (unsigned int)strtoul(e->spelling, &end, 10);
	if (*end == '.')
		*minor = (unsigned int)strtoul(end + 1, NULL, 10);
}

static bool is_async(const struct decl *iface, const struct decl *fn)
{
	return attr_find(fn->attrs, ATTR_ASYNC) ||
	       attr_find(iface->attrs, ATTR_ASYNC);
}

/* A typedef chain that ends in handle_t or names a [handle] type. */
static bool handle_type(const struct type *t, int depth)
{
	if (!t || depth > 32)
		return false;
	if (t->kind == TYPE_BASE)
		return t->base == BT_HANDLE;
	if (t->kind == TYPE_POINTER)
		return handle_type(t->sub, depth + 1);
	if (t->kind != TYPE_NAMED || !t->decl)
		return false;
	if (attr_find(t->decl->attrs, ATTR_HANDLE) ||
	    attr_find(t->decl->attrs, ATTR_CONTEXT_HANDLE))
		return true;
	return t->decl->kind == DECL_TYPEDEF &&
	       handle_type(t->decl->type, depth + 1);
}

/*
 * Under [explicit_handle] MIDL gives each procedure that has no binding
 * handle of its own a first parameter "handle_t IDL_handle".
 */
static bool adds_idl_handle(const struct decl *iface, const struct decl *fn)
{
	const struct param *p = fn->type->params;

	if (!attr_find(iface->attrs, ATTR_EXPLICIT_HANDLE) &&
	    !attr_find(fn->attrs, ATTR_EXPLICIT_HANDLE))
		return false;
	if (!p)
		return true;
	return !attr_find(p->attrs, ATTR_CONTEXT_HANDLE) &&
	       !handle_type(p->type, 0);
}

static void direction(struct hgen *h, const struct param *p)
{
	bool in = attr_find(p->attrs, ATTR_IN), out = attr_find(p->attrs,
								 ATTR_OUT);

	if (in || out)
		fprintf(h->out, "/* %s%s */ ", in ? "[in]" : "",
			out ? "[out]" : "");
}

/*
 * One procedure's declarator: "RET PREFIXNAME(...)", or with @member an
 * EPV member's "RET (*NAME)(...)".
 */
static void signature(struct hgen *h, const struct decl *iface,
		      const struct decl *fn, const char *pfx, bool member)
{
	const struct type *f = fn->type;
	bool async = is_async(iface, fn);
	bool first = true;
	const char *sep = member ? ",\n        " : ",\n    ";

	if (!f || f->kind != TYPE_FUNCTION)
		return;
	hg_indent(h);
	if (!member) {
		if (async)
			fputs("/* [async] */ ", h->out);
		if (attr_find(fn->attrs, ATTR_MESSAGE))
			fputs("/* [message] */ ", h->out);
	}
	if (async)
		fputs("void ", h->out);
	else
		hg_decl_open(h, f->sub);
	if (f->callconv)
		fprintf(h->out, "%s ", f->callconv);
	if (member)
		fprintf(h->out, "(*%s)(", fn->name);
	else
		fprintf(h->out, "%s%s(", pfx, fn->name);
	if (async) {
		fprintf(h->out, "%s/* [in] */ PRPC_ASYNC_STATE %s_AsyncHandle",
			sep + 1, fn->name);
		first = false;
	}
	if (adds_idl_handle(iface, fn)) {
		fprintf(h->out, "%s/* [in] */ handle_t IDL_handle",
			first ? sep + 1 : sep);
		first = false;
	}
	for (const struct param *p = f->params; p; p = p->next) {
		fputs(first ? sep + 1 : sep, h->out);
		direction(h, p);
		hg_param(h, p, NULL);
		first = false;
	}
	if (f->varargs) {
		fprintf(h->out, "%s...", first ? sep + 1 : sep);
		first = false;
	}
	if (first)
		fputs("void", h->out);
	fputc(')', h->out);
	if (!async)
		hg_decl_close(h, f->sub);
}

/* A prototype, or with @member an EPV member, as the header has them. */
static void proc(struct hgen *h, const struct decl *iface,
		 const struct decl *fn, const char *pfx, bool member)
{
	if (!fn->type || fn->type->kind != TYPE_FUNCTION)
		return;
	signature(h, iface, fn, pfx, member);
	fputs(";\n", h->out);
}

void hg_rpc_signature(struct hgen *h, const struct decl *iface,
		      const struct decl *fn, const char *pfx)
{
	signature(h, iface, fn, pfx, false);
}

bool hg_rpc_adds_idl_handle(const struct decl *iface, const struct decl *fn)
{
	return adds_idl_handle(iface, fn);
}

bool hg_is_handle_type(const struct type *t)
{
	return handle_type(t, 0);
}

/* The names the prototypes carry: client and server prefixes, once. */
static void prototypes(struct hgen *h, const struct decl *iface,
		       const struct decl *fn)
{
	const char *c = h->g->prefix_client ? h->g->prefix_client : "";
	const char *s = h->g->prefix_server ? h->g->prefix_server : "";

	proc(h, iface, fn, c, false);
	if (strcmp(c, s) != 0)
		proc(h, iface, fn, s, false);
	h->any_rpc = true;
}

void hg_rpc_proc(struct hgen *h, const struct decl *fn)
{
	fputc('\n', h->out);
	prototypes(h, h->rpc_iface, fn);
}

static void epv(struct hgen *h, const struct decl *d, unsigned int ma,
		unsigned int mi)
{
	bool any = false;

	for (const struct decl *x = d->body; x; x = x->next)
		if (x->kind == DECL_FUNC && !attr_find(x->attrs, ATTR_CALLBACK))
			any = true;
	if (!any)
		return;
	/* The manager routines a server registers, in procedure order. */
	fprintf(h->out, "\ntypedef struct _%s_v%u_%u_epv_t {\n", d->name, ma,
		mi);
	h->indent++;
	for (const struct decl *x = d->body; x; x = x->next)
		if (x->kind == DECL_FUNC &&
		    !attr_find(x->attrs, ATTR_CALLBACK))
			proc(h, d, x, "", true);
	h->indent--;
	fprintf(h->out, "} %s_v%u_%u_epv_t;\n", d->name, ma, mi);
}

void hg_rpc_interface(struct hgen *h, const struct decl *d)
{
	const struct decl *saved = h->rpc_iface;
	const struct attr *ih = attr_find(d->attrs, ATTR_IMPLICIT_HANDLE);
	unsigned int ma, mi;
	char what[64];

	hg_version(d, &ma, &mi);
	snprintf(what, sizeof(what), "interface (v%u.%u)", ma, mi);
	hg_banner(h, d->name, what);
	hg_guard(h, d->name, "INTERFACE");
	fputc('\n', h->out);
	if (ih && ih->args && ih->args->kind == ARG_DECL && ih->args->name) {
		fputs("extern ", h->out);
		hg_decl(h, ih->args->type, ih->args->name, HCTX_PLAIN);
		fputs(";\n", h->out);
	}
	h->rpc_iface = d;
	hg_decls(h, d->body, true);
	h->rpc_iface = saved;
	epv(h, d, ma, mi);
	fprintf(h->out, "\nextern RPC_IF_HANDLE %s_v%u_%u_c_ifspec;\n"
		"extern RPC_IF_HANDLE %s_v%u_%u_s_ifspec;\n",
		d->name, ma, mi, d->name, ma, mi);
	/* The MIDL 1.0 names, which older code still uses. */
	fprintf(h->out, "#define %s_ClientIfHandle %s_v%u_%u_c_ifspec\n"
		"#define %s_ServerIfHandle %s_v%u_%u_s_ifspec\n",
		d->name, d->name, ma, mi, d->name, d->name, ma, mi);
	fprintf(h->out, "\n#endif /* __%s_INTERFACE_DEFINED__ */\n\n",
		d->name);
}
