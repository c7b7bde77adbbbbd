// SPDX-License-Identifier: GPL-2.0
/*
 * The four attributes this project exists for: [maybe] and [message]
 * (one-way calls), [async] (RPC interfaces, from the ACF) and
 * [async_uuid] (COM interfaces).  Rules and numbers from MIDL's
 * documentation (research/idl-compiler.md section 1).
 */
#include <string.h>

#include "check_int.h"

static bool iface_local(const struct check *c)
{
	return c->iface && attr_find(c->iface->attrs, ATTR_LOCAL);
}

/* Which attributes may keep [message] company (message.md). */
static bool message_companion(enum attr_id id)
{
	switch (id) {
	case ATTR_MESSAGE:
	case ATTR_LOCAL:
	case ATTR_NOCODE:
	case ATTR_CODE:
	case ATTR_OPTIMIZE:
	/* The status attributes MIDL2358 asks for on error_status_t. */
	case ATTR_COMM_STATUS:
	case ATTR_FAULT_STATUS:
		return true;
	default:
		return false;
	}
}

/*
 * What a queued message cannot carry.  A [message] call is stored and
 * delivered later, maybe after the client has gone, so nothing in it
 * may need the two sides to be connected at once:
 *   - context handles name server state of one client's session, and
 *     a stored message outlives the binding that would run it down;
 *   - interface pointers need a live exporter to call back into;
 *   - pipes stream in both directions while the call is running.
 * Full ([ptr]) pointers stay allowed: their aliasing is resolved
 * within one call's body, which the stored message carries whole.
 */
static const char *unsendable(const struct type *t, unsigned depth)
{
	const struct type *s;

	if (!t || depth > 32)
		return NULL;
	if (type_is_context_handle(t))
		return "a context handle";
	if (type_attr(t, ATTR_WIRE_MARSHAL) || type_attr(t, ATTR_TRANSMIT_AS))
		return NULL;	/* what goes on the wire is another type */
	if (type_is_interface_ptr(t))
		return "an interface pointer";
	s = type_strip(t);
	if (!s)
		return NULL;
	switch (s->kind) {
	case TYPE_PIPE:
		return "a pipe";
	case TYPE_POINTER:
	case TYPE_ARRAY:
		return unsendable(s->sub, depth + 1);
	case TYPE_STRUCT:
	case TYPE_UNION:
		if (!s->tagged)
			return NULL;
		if (s->tagged->switch_field) {
			const char *w = unsendable(s->tagged->switch_field->type,
						   depth + 1);
			if (w)
				return w;
		}
		for (struct field *f = s->tagged->fields; f; f = f->next) {
			const char *w;

			if (attr_find(f->attrs, ATTR_CONTEXT_HANDLE))
				return "a context handle";
			w = unsendable(f->type, depth + 1);
			if (w)
				return w;
		}
		return NULL;
	default:
		return NULL;
	}
}

static void check_one_way(struct check *c, struct decl *fn, struct attr *kw)
{
	const struct type *ret = fn->type->sub;
	bool message = kw->id == ATTR_MESSAGE;

	if (c->object)
		diag_error(c->d, &kw->loc, 0,
			   "[%s] is not allowed on a method of [object] interface '%s'",
			   kw->name, c->iface->name);
	for (struct param *p = fn->type->params; p; p = p->next) {
		struct attr *out = attr_find(p->attrs, ATTR_OUT);
		const char *what;

		if (out)
			diag_error(c->d, &out->loc, 2288,
				   "[%s] procedure '%s' cannot have [out] parameter '%s'",
				   kw->name, fn->name, p->name ? p->name : "");
		if (!message)
			continue;
		if (attr_find(p->attrs, ATTR_CONTEXT_HANDLE))
			what = "a context handle";
		else
			what = unsendable(p->type, 0);
		if (what)
			diag_error(c->d, &p->loc, 0,
				   "parameter '%s' of [message] procedure '%s' is or contains %s, which a queued message cannot carry",
				   p->name ? p->name : "", fn->name, what);
	}
	if (type_is_void(ret) || type_named(ret, "HRESULT"))
		return;
	if (type_is_integer(ret) && type_strip(ret)->kind == TYPE_BASE &&
	    type_strip(ret)->base == BT_ERROR_STATUS) {
		/* The status can only come from the runtime: say where. */
		if (!attr_find(fn->attrs, ATTR_COMM_STATUS) ||
		    !attr_find(fn->attrs, ATTR_FAULT_STATUS))
			diag_error(c->d, &fn->loc, 2358,
				   "[%s] procedure '%s' returns error_status_t, so the ACF must give it both [comm_status] and [fault_status]",
				   kw->name, fn->name);
		return;
	}
	if (!type_known(ret))
		return;
	diag_error(c->d, &fn->loc, 2288,
		   "[%s] procedure '%s' must return void, HRESULT or error_status_t",
		   kw->name, fn->name);
}

static void check_message_company(struct check *c, struct attr *msg,
				  struct attr *list)
{
	for (struct attr *a = list; a; a = a->next) {
		if (a->id == ATTR_UNKNOWN || message_companion(a->id))
			continue;
		diag_error(c->d, &a->loc, 0,
			   "[%s] cannot be combined with [message]; only [local], [nocode], [code] and [optimize] may accompany it",
			   a->name);
		diag_note(c->d, &msg->loc, "[message] is here");
	}
}

/* The parameter that binds the call, if one does (handle.md). */
static struct param *binding_param(const struct type *fn)
{
	for (struct param *p = fn->params; p; p = p->next) {
		const struct type *t = p->type, *s = type_strip(t);

		if (type_is_handle_t(t) || type_attr(t, ATTR_HANDLE) ||
		    type_is_context_handle(t) ||
		    attr_find(p->attrs, ATTR_CONTEXT_HANDLE))
			return p;
		/* [in, out] CTX *p binds through the pointer too. */
		if (s && s->kind == TYPE_POINTER &&
		    type_is_context_handle(s->sub))
			return p;
	}
	return NULL;
}

static void check_async_proc(struct check *c, struct decl *fn,
			     struct attr *async)
{
	struct param *h;
	struct attr *a;

	if (c->object) {
		diag_error(c->d, &async->loc, 2355,
			   "[async] is for RPC interfaces; [object] interface '%s' takes [async_uuid] instead",
			   c->iface->name);
		return;
	}
	a = attr_find(fn->attrs, ATTR_MAYBE);
	if (a)
		diag_error(c->d, &a->loc, 0,
			   "[maybe] procedure '%s' has no reply to wait for; it cannot be [async]",
			   fn->name);
	h = binding_param(fn->type);
	if (h) {
		if (!param_in(h))
			diag_error(c->d, &h->loc, 2353,
				   "the binding handle '%s' of [async] procedure '%s' must be [in]",
				   h->name ? h->name : "", fn->name);
		return;
	}
	if (c->iface && attr_find(c->iface->attrs, ATTR_IMPLICIT_HANDLE) &&
	    !attr_find(c->iface->attrs, ATTR_AUTO_HANDLE))
		return;
	a = c->iface ? attr_find(c->iface->attrs, ATTR_AUTO_HANDLE) : NULL;
	diag_error(c->d, &async->loc, 2357,
		   "[async] procedure '%s' cannot use an auto handle; give it a handle_t first parameter or the interface [implicit_handle]",
		   fn->name);
	if (a)
		diag_note(c->d, &a->loc, "[auto_handle] is here");
}

void check_proc_flags(struct check *c, struct decl *fn)
{
	struct attr *maybe = attr_find(fn->attrs, ATTR_MAYBE);
	struct attr *msg = attr_find(fn->attrs, ATTR_MESSAGE);
	struct attr *async = attr_find(fn->attrs, ATTR_ASYNC);

	if (!fn->type || fn->type->kind != TYPE_FUNCTION)
		return;
	if (msg) {
		check_message_company(c, msg, fn->attrs);
		check_one_way(c, fn, msg);
	} else if (maybe) {
		check_one_way(c, fn, maybe);
	}
	if (!async && c->iface && !c->object)
		async = attr_find(c->iface->attrs, ATTR_ASYNC);
	if (async && !iface_local(c) && !attr_find(fn->attrs, ATTR_LOCAL))
		check_async_proc(c, fn, async);
}

/* ---- [async_uuid] ---- */

static struct decl *find_def_in(struct decl *list, const char *name)
{
	for (; list; list = list->next) {
		struct decl *in;

		if (list->kind == DECL_INTERFACE && list->defined &&
		    list->name && !strcmp(list->name, name))
			return list;
		if (list->kind == DECL_LIBRARY) {
			in = find_def_in(list->body, name);
			if (in)
				return in;
		}
	}
	return NULL;
}

/* The definition of interface @name in any file (not a forward). */
static struct decl *find_iface(struct check *c, const char *name)
{
	for (struct idl_file *f = c->ast->files; f; f = f->next) {
		struct decl *x = find_def_in(f->decls, name);

		if (x)
			return x;
	}
	return NULL;
}

static bool derives_from_idispatch(struct check *c, struct decl *x)
{
	for (unsigned n = 0; x && x->base_name && n < 64; n++) {
		if (!strcmp(x->base_name, "IDispatch"))
			return true;
		x = find_iface(c, x->base_name);
	}
	return false;
}

static struct attr_arg *uuid_of(struct decl *x, enum attr_id id)
{
	struct attr *a = attr_find(x->attrs, id);

	return a && a->args && a->args->kind == ARG_UUID ? a->args : NULL;
}

static void same_uuid_in(struct check *c, struct decl *list,
			 struct decl *self, struct attr_arg *au)
{
	for (; list; list = list->next) {
		struct attr_arg *u;

		if (list->kind == DECL_LIBRARY) {
			same_uuid_in(c, list->body, self, au);
			continue;
		}
		if (list->kind != DECL_INTERFACE || !list->defined ||
		    list == self)
			continue;
		u = uuid_of(list, ATTR_UUID);
		if (u && !memcmp(u->uuid, au->uuid, 16)) {
			diag_error(c->d, &au->loc, 0,
				   "async_uuid of '%s' is the uuid of interface '%s'",
				   self->name, list->name);
			diag_note(c->d, &u->loc, "'%s' has it here",
				  list->name);
		}
		u = uuid_of(list, ATTR_ASYNC_UUID);
		if (u && !memcmp(u->uuid, au->uuid, 16)) {
			diag_error(c->d, &au->loc, 0,
				   "async_uuid of '%s' is also the async_uuid of interface '%s'",
				   self->name, list->name);
			diag_note(c->d, &u->loc, "'%s' has it here",
				  list->name);
		}
	}
}

void check_interface_async(struct check *c, struct decl *x)
{
	struct attr *a = attr_find(x->attrs, ATTR_ASYNC);
	struct attr_arg *au, *u;
	struct decl *base;

	if (c->object && a)
		diag_error(c->d, &a->loc, 2355,
			   "[async] is for RPC interfaces; [object] interface '%s' takes [async_uuid] instead",
			   x->name);
	a = attr_find(x->attrs, ATTR_ASYNC_UUID);
	if (!a)
		return;
	if (!c->object) {
		diag_error(c->d, &a->loc, 0,
			   "[async_uuid] needs an [object] interface; '%s' is an RPC interface (use [async] in the ACF)",
			   x->name);
		return;
	}
	if (x->base_name && derives_from_idispatch(c, x)) {
		diag_error(c->d, &a->loc, 2272,
			   "[async_uuid] interface '%s' cannot derive from IDispatch",
			   x->name);
	} else if (x->base_name && strcmp(x->base_name, "IUnknown") != 0) {
		base = find_iface(c, x->base_name);
		if (base && !attr_find(base->attrs, ATTR_ASYNC_UUID)) {
			diag_error(c->d, &a->loc, 2272,
				   "[async_uuid] interface '%s' must derive from IUnknown or from an interface with [async_uuid], not '%s'",
				   x->name, x->base_name);
			diag_note(c->d, &base->loc,
				  "'%s' is declared here", base->name);
		}
	}
	au = a->args && a->args->kind == ARG_UUID ? a->args : NULL;
	if (!au)
		return;
	u = uuid_of(x, ATTR_UUID);
	if (u && !memcmp(u->uuid, au->uuid, 16))
		diag_error(c->d, &au->loc, 0,
			   "async_uuid of '%s' must differ from its uuid",
			   x->name);
	for (struct idl_file *f = c->ast->files; f; f = f->next)
		same_uuid_in(c, f->decls, x, au);
}
