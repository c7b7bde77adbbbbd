// SPDX-License-Identifier: GPL-2.0
/*
 * The header generator (-h): the C declarations MIDL and widl write for
 * an IDL file, so that code written against their headers compiles.
 *
 * Layout of the file, as theirs:
 *   rpc.h and rpcndr.h, and windows.h/ole2.h when COM is involved
 *   the include guard
 *   forward declarations of every COM interface and coclass
 *   one #include "x.h" for each import
 *   the declarations of the main file, in source order
 *   the rundown and midl_user_* prototypes
 * Only the main file's declarations are written: an imported file's are
 * in its own header, which the #include brings in.
 *
 * This file holds the walk and the file handling; types are in
 * header_type.c, RPC interfaces in header_rpc.c, COM in header_com.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "header_int.h"

const uint8_t *hg_uuid(const struct decl *d, enum attr_id id)
{
	const struct attr *a = attr_find(d->attrs, id);

	if (!a || !a->args || a->args->kind != ARG_UUID)
		return NULL;
	return a->args->uuid;
}

/* The comment that opens each section, as in MIDL's and widl's. */
void hg_banner(struct hgen *h, const char *name, const char *what)
{
	fputs("/*", h->out);
	for (int i = 0; i < 77; i++)
		fputc('*', h->out);
	fprintf(h->out, "\n * %s %s\n */\n", name, what);
}

void hg_guard(struct hgen *h, const char *name, const char *what)
{
	fprintf(h->out, "#ifndef __%s_%s_DEFINED__\n", name, what);
	fprintf(h->out, "#define __%s_%s_DEFINED__\n", name, what);
}

/* DEFINE_GUID(PREFIX_NAME, 0x..., ...): an extern unless INITGUID. */
void hg_guid(struct hgen *h, const char *prefix, const char *name,
	     const uint8_t *u)
{
	fprintf(h->out,
		"DEFINE_GUID(%s%s, 0x%02x%02x%02x%02x, 0x%02x%02x, 0x%02x%02x, "
		"0x%02x,0x%02x, 0x%02x,0x%02x,0x%02x,0x%02x,0x%02x,0x%02x);\n",
		prefix, name, u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
		u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

void hg_uuid_text(struct hgen *h, const uint8_t *u)
{
	for (int i = 0; i < 16; i++)
		fprintf(h->out, "%s%02x",
			i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
}

/* Whether @d is called @name, plainly or as NS.NAME. */
static bool names(const struct decl *d, const char *name)
{
	size_t n;

	if (!strcmp(d->name, name))
		return true;
	if (!d->ns)
		return false;
	n = strlen(d->ns);
	return !strncmp(name, d->ns, n) && name[n] == '.' &&
	       !strcmp(name + n + 1, d->name);
}

static const struct decl *find_in(const struct decl *list,
				   enum decl_kind kind, const char *name)
{
	for (; list; list = list->next) {
		const struct decl *r;

		if (list->kind == kind && list->defined &&
		    list->name && names(list, name))
			return list;
		if (list->kind == DECL_LIBRARY ||
		    list->kind == DECL_NAMESPACE) {
			r = find_in(list->body, kind, name);
			if (r)
				return r;
		}
	}
	return NULL;
}

const struct decl *hg_find_iface(const struct hgen *h, const char *name)
{
	return hg_find_decl(h, DECL_INTERFACE, name);
}

const struct decl *hg_find_decl(const struct hgen *h, enum decl_kind kind,
				const char *name)
{
	for (const struct idl_file *f = h->ast->files; f; f = f->next) {
		const struct decl *r = find_in(f->decls, kind, name);

		if (r)
			return r;
	}
	return NULL;
}

/* Add @name to @set unless it is there. */
static void name_add(struct hgen *h, struct name_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->v[i], name))
			return;
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 8;
		const char **n = realloc(set->v, cap * sizeof(*n));

		if (!n) {
			h->oom = true;
			return;
		}
		set->v = n;
		set->cap = cap;
	}
	set->v[set->n++] = name;
}

void hg_add_rundown(struct hgen *h, const char *name)
{
	name_add(h, &h->rundowns, name);
}

const char *hg_mangle(struct hgen *h, const char *ns, const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	const char *r;

	if (!name)
		return "";
	if (!ns && !strchr(name, '.'))
		return name;
	m = open_memstream(&buf, &len);
	if (!m) {
		h->oom = true;
		return name;
	}
	fputs("__x_ABI_C", m);
	for (const char *c = ns; c && *c; c++)
		fputs(*c == '.' ? "_C" : (char[]){ *c, 0 }, m);
	if (ns)
		fputs("_C", m);
	for (const char *c = name; *c; c++)
		fputs(*c == '.' ? "_C" : (char[]){ *c, 0 }, m);
	if (fclose(m)) {
		free(buf);
		h->oom = true;
		return name;
	}
	r = arena_strdup(h->ast->arena, buf);
	free(buf);
	return r ? r : name;
}

const char *hg_cname(struct hgen *h, const struct decl *d)
{
	return hg_mangle(h, d->ns, d->name);
}

const char *hg_tagged_ns(const struct hgen *h, const struct tagged *t)
{
	for (size_t i = 0; i < h->n_ns; i++)
		if (h->ns_tagged[i] == t)
			return h->ns_of[i];
	return NULL;
}

/* Which WinRT namespace each tagged type is defined in, all files. */
static void scan_ns(struct hgen *h, const struct decl *list)
{
	for (const struct decl *d = list; d; d = d->next) {
		const struct type *r;

		if (d->kind == DECL_NAMESPACE) {
			scan_ns(h, d->body);
			continue;
		}
		if (!d->ns || (d->kind != DECL_TYPEDEF && d->kind != DECL_TYPE))
			continue;
		r = hg_tagged_root(d->type);
		if (!r || !r->tagged->defined || hg_tagged_ns(h, r->tagged))
			continue;
		if (h->n_ns == h->cap_ns) {
			size_t cap = h->cap_ns ? h->cap_ns * 2 : 32;
			const struct tagged **t = realloc(h->ns_tagged,
							  cap * sizeof(*t)); // NOLINT(bugprone-sizeof-expression): an array of pointers
			const char **n;

			if (!t) {
				h->oom = true;
				return;
			}
			h->ns_tagged = t;
			n = realloc(h->ns_of, cap * sizeof(*n));
			if (!n) {
				h->oom = true;
				return;
			}
			h->ns_of = n;
			h->cap_ns = cap;
		}
		h->ns_tagged[h->n_ns] = r->tagged;
		h->ns_of[h->n_ns++] = d->ns;
	}
}

/* Whether a number or string stands alone in a #define without ( ). */
static bool is_literal(const struct expr *e)
{
	return e->kind == EXPR_STRING || e->kind == EXPR_CHAR;
}

static void const_decl(struct hgen *h, const struct decl *d)
{
	fprintf(h->out, "#define %s ", d->name);
	if (!d->value) {
		fputc('\n', h->out);
		return;
	}
	if (is_literal(d->value)) {
		hg_expr(h, d->value);
	} else {
		fputc('(', h->out);
		hg_expr(h, d->value);
		fputc(')', h->out);
	}
	fputc('\n', h->out);
}

/*
 * "typedef struct {...} A, *PA;" arrives as two typedefs of one
 * struct; they are written as one statement, so that an anonymous body
 * is defined once and every name reaches it.
 */
static const struct decl *typedef_group(struct hgen *h, const struct decl *d)
{
	const struct type *root = hg_tagged_root(d->type);
	const struct decl *n = d;
	bool ctx = attr_find(d->attrs, ATTR_CONTEXT_HANDLE) != NULL;
	const struct type *t = d->type;
	bool c_only;

	/*
	 * "typedef enum E E;" before E's body: C++ has no such forward
	 * declaration, and needs none (the tag names the type), so C++
	 * skips it, as widl's headers do.
	 */
	c_only = t && t->kind == TYPE_ENUM && t->tagged && t->tagged->tag &&
		 !hg_defines_tagged(t) &&
		 !strcmp(hg_cname(h, d),
			 hg_mangle(h, hg_tagged_ns(h, t->tagged),
				   t->tagged->tag)) &&
		 !(d->next && d->next->kind == DECL_TYPEDEF &&
		   hg_tagged_root(d->next->type) == root);
	if (c_only) {
		fprintf(h->out, "#ifndef __cplusplus\ntypedef enum %s %s;\n"
			"#endif\n", hg_cname(h, d), hg_cname(h, d));
		return d;
	}
	fputs("typedef ", h->out);
	hg_decl(h, d->type, hg_cname(h, d), HCTX_PLAIN);
	if (ctx)
		hg_add_rundown(h, d->name);
	while (root && n->next && n->next->kind == DECL_TYPEDEF) {
		const struct type *r2 = hg_tagged_root(n->next->type);

		if (!r2 || r2->tagged != root->tagged || r2->qual != root->qual)
			break;
		n = n->next;
		fputs(", ", h->out);
		h->no_spec = true;
		hg_decl(h, n->type, hg_cname(h, n), HCTX_PLAIN);
		h->no_spec = false;
		if (attr_find(n->attrs, ATTR_CONTEXT_HANDLE))
			hg_add_rundown(h, n->name);
	}
	fputs(";\n", h->out);
	return n;
}

/* A WinRT struct or enum is a type by its name alone, as in C++. */
static void winrt_typedef(struct hgen *h, const struct decl *d)
{
	const struct type *r = hg_tagged_root(d->type);
	const char *n;

	if (!d->ns || !r || r != d->type || !r->tagged->tag)
		return;
	n = hg_mangle(h, d->ns, r->tagged->tag);
	fprintf(h->out, "typedef %s %s %s;\n",
		r->kind == TYPE_ENUM ? "enum" : r->kind == TYPE_UNION &&
		!r->tagged->encapsulated ? "union" : "struct", n, n);
}

static void library(struct hgen *h, const struct decl *d)
{
	const uint8_t *u = hg_uuid(d, ATTR_UUID);

	hg_banner(h, d->name, "library");
	hg_guard(h, d->name, "LIBRARY");
	fputc('\n', h->out);
	if (u)
		hg_guid(h, "LIBID_", d->name, u);
	fputc('\n', h->out);
	hg_decls(h, d->body, true);
	fprintf(h->out, "#endif /* __%s_LIBRARY_DEFINED__ */\n\n", d->name);
}

static void module(struct hgen *h, const struct decl *d)
{
	hg_banner(h, d->name, "module");
	hg_guard(h, d->name, "MODULE");
	fputc('\n', h->out);
	hg_decls(h, d->body, true);
	fprintf(h->out, "\n#endif /* __%s_MODULE_DEFINED__ */\n\n", d->name);
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/*
 * Whether @d came from a C header that the IDL both #includes (for its
 * types) and passes to C with cpp_quote("#include <x.h>"): Wine's
 * mmreg.h pattern.  C gets the header itself, so repeating its
 * declarations would define them twice.
 */
static bool from_quoted_header(const struct hgen *h, const struct decl *d)
{
	const char *file = d->loc.file, *b;
	size_t n;

	if (!file || !h->ast->main || !strcmp(file, h->ast->main->path))
		return false;
	n = strlen(file);
	if (n < 2 || strcmp(file + n - 2, ".h") != 0)
		return false;
	b = base_name(file);
	n = strlen(b);
	for (const struct decl *q = h->ast->main->decls; q; q = q->next) {
		const char *s, *e;

		if (q->kind != DECL_CPP_QUOTE || !q->str)
			continue;
		s = q->str + strspn(q->str, " \t");
		if (strncmp(s, "#include", 8) != 0)
			continue;
		s += 8;
		s += strspn(s, " \t");
		if (*s != '<' && *s != '"')
			continue;
		e = strpbrk(s + 1, ">\"");
		if (!e)
			continue;
		/* The last path component within the quotes. */
		for (const char *c = ++s; c < e; c++)
			if (*c == '/')
				s = c + 1;
		if ((size_t)(e - s) == n && !strncmp(s, b, n))
			return true;
	}
	return false;
}

void hg_decls(struct hgen *h, const struct decl *list, bool funcs)
{
	for (const struct decl *d = list; d; d = d->next) {
		if (d->kind != DECL_CPP_QUOTE && from_quoted_header(h, d))
			continue;
		switch (d->kind) {
		case DECL_CPP_QUOTE:
			fwrite(d->str, 1, d->str_len, h->out);
			fputc('\n', h->out);
			break;
		case DECL_PRAGMA:
			fprintf(h->out, "#pragma %s\n", d->str);
			break;
		case DECL_INTERFACE:
			if (d->n_generic_params) {
				/* a WinRT template: only its instances are C */
			} else if (!d->defined) {
				hg_com_forward(h, hg_cname(h, d));
			} else if (hg_is_object(d) || d->ns) {
				hg_com_interface(h, d);
			} else {
				hg_rpc_interface(h, d);
			}
			break;
		case DECL_DISPINTERFACE:
			if (d->defined)
				hg_dispinterface(h, d);
			else
				hg_com_forward(h, d->name);
			break;
		case DECL_COCLASS:
			hg_coclass(h, d);
			break;
		case DECL_DELEGATE:
			if (!d->n_generic_params)
				hg_delegate(h, d);
			break;
		case DECL_LIBRARY:
			library(h, d);
			break;
		case DECL_MODULE:
			module(h, d);
			break;
		case DECL_NAMESPACE:
			hg_decls(h, d->body, funcs);
			break;
		case DECL_TYPEDEF:
			d = typedef_group(h, d);
			break;
		case DECL_TYPE:
			hg_decl(h, d->type, NULL, HCTX_PLAIN);
			fputs(";\n", h->out);
			winrt_typedef(h, d);
			break;
		case DECL_CONST:
			const_decl(h, d);
			break;
		case DECL_FUNC:
			if (!funcs)
				break;
			if (h->rpc_iface) {
				hg_rpc_proc(h, d);
				break;
			}
			hg_decl(h, d->type, d->name, HCTX_PLAIN);
			fputs(";\n", h->out);
			break;
		case DECL_VAR:
			if (!funcs)
				break;
			fputs("extern ", h->out);
			hg_decl(h, d->type, d->name, HCTX_PLAIN);
			fputs(";\n", h->out);
			break;
		default:
			/* imports (written at the top), importlib, WinRT
			 * runtime classes and contracts: no C declaration */
			break;
		}
	}
}

static void forwards(struct hgen *h, const struct decl *list)
{
	for (const struct decl *d = list; d; d = d->next) {
		const struct attr *a;

		switch (d->kind) {
		case DECL_DELEGATE:
			if (!d->n_generic_params)
				hg_com_forward(h, hg_cname(h, d));
			break;
		case DECL_INTERFACE:
			if (!d->defined || d->n_generic_params ||
			    (!hg_is_object(d) && !d->ns))
				break;
			hg_com_forward(h, hg_cname(h, d));
			a = attr_find(d->attrs, ATTR_ASYNC_UUID);
			if (a) {
				char *n;

				if (asprintf(&n, "Async%s",
					     hg_cname(h, d)) < 0) {
					h->oom = true;
					break;
				}
				hg_com_forward(h, n);
				free(n);
			}
			break;
		case DECL_DISPINTERFACE:
			if (d->defined)
				hg_com_forward(h, d->name);
			break;
		case DECL_COCLASS:
			hg_coclass_forward(h, d);
			break;
		case DECL_LIBRARY:
		case DECL_NAMESPACE:
			forwards(h, d->body);
			break;
		default:
			break;
		}
	}
}

static void generic_fwd_type(struct hgen *h, const struct type *t,
			     int depth);

static void generic_fwd_fields(struct hgen *h, const struct field *f,
			       int depth)
{
	for (; f; f = f->next)
		generic_fwd_type(h, f->type, depth + 1);
}

/* Forward declarations of the generic instances @t uses. */
static void generic_fwd_type(struct hgen *h, const struct type *t, int depth)
{
	if (depth > 32)
		return;
	for (; t; t = t->sub) {
		if (t->kind == TYPE_NAMED && t->generic_args) {
			for (const struct type_list *l = t->generic_args; l;
			     l = l->next)
				generic_fwd_type(h, l->type, depth + 1);
			hg_com_forward(h, hg_generic_name(h, t));
		}
		if (t->kind == TYPE_FUNCTION)
			for (const struct param *p = t->params; p; p = p->next)
				generic_fwd_type(h, p->type, depth + 1);
		if ((t->kind == TYPE_STRUCT || t->kind == TYPE_UNION) &&
		    t->tagged->defined)
			generic_fwd_fields(h, t->tagged->fields, depth);
	}
}

static void generic_fwds(struct hgen *h, const struct decl *list)
{
	for (const struct decl *d = list; d; d = d->next) {
		if (d->n_generic_params)
			continue;
		generic_fwd_type(h, d->type, 0);
		if (d->kind == DECL_INTERFACE || d->kind == DECL_NAMESPACE ||
		    d->kind == DECL_LIBRARY || d->kind == DECL_DISPINTERFACE)
			generic_fwds(h, d->body);
	}
}

static bool uses_com(const struct decl *list)
{
	for (const struct decl *d = list; d; d = d->next) {
		if ((d->kind == DECL_INTERFACE && hg_is_object(d)) ||
		    d->kind == DECL_DISPINTERFACE || d->kind == DECL_COCLASS ||
		    d->kind == DECL_LIBRARY)
			return true;
	}
	return false;
}

/* "dir/name.idl" -> "name", the guard's stem. */
void gen_stem(const char *path, char *buf, size_t cap)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	/* Only the extension goes: windows.foundation.idl is not windows. */
	n = strrchr(b, '.') ? (size_t)(strrchr(b, '.') - b) : strlen(b);
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++) {
		char c = b[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			c = '_';
		buf[i] = c;
	}
	buf[n] = '\0';
}

static void include_of(struct hgen *h, const char *idl)
{
	size_t n = strlen(idl);

	/* import "x.idl" means x.h; import "basetsd.h" that very file. */
	if (n > 2 && !strcmp(idl + n - 2, ".h")) {
		fprintf(h->out, "#include \"%s\"\n", idl);
		return;
	}
	if (n > 4 && !strcmp(idl + n - 4, ".idl"))
		n -= 4;
	fprintf(h->out, "#include \"%.*s.h\"\n", (int)n, idl);
}

static void marshal_type(struct hgen *h, const struct type *t, int depth,
			 struct name_set *set);

static void marshal_fields(struct hgen *h, const struct field *f, int depth,
			   struct name_set *set)
{
	for (; f; f = f->next)
		marshal_type(h, f->type, depth + 1, set);
}

/*
 * The [wire_marshal]/[user_marshal] types a remotable parameter of type
 * @t carries, whose NAME_UserSize... routines the application writes.
 */
static void marshal_type(struct hgen *h, const struct type *t, int depth,
			 struct name_set *set)
{
	if (depth > 12)
		return;
	for (; t; t = t->sub) {
		const struct decl *d = t->kind == TYPE_NAMED ? t->decl : NULL;

		if (d && d->kind == DECL_TYPEDEF) {
			if (attr_find(d->attrs, ATTR_WIRE_MARSHAL) ||
			    attr_find(d->attrs, ATTR_USER_MARSHAL)) {
				name_add(h, set, hg_cname(h, d));
				return;
			}
			marshal_type(h, d->type, depth + 1, set);
			return;
		}
		if ((t->kind == TYPE_STRUCT || t->kind == TYPE_UNION) &&
		    t->tagged->defined)
			marshal_fields(h, t->tagged->fields, depth, set);
	}
}

static void marshal_decls(struct hgen *h, const struct decl *list,
			  bool remote, struct name_set *set)
{
	for (const struct decl *d = list; d; d = d->next) {
		bool r = remote;

		switch (d->kind) {
		case DECL_INTERFACE:
			if (!d->defined || d->n_generic_params)
				break;
			marshal_decls(h, d->body, true, set);
			break;
		case DECL_LIBRARY:
		case DECL_NAMESPACE:
			marshal_decls(h, d->body, false, set);
			break;
		case DECL_FUNC:
			if (!r || attr_find(d->attrs, ATTR_LOCAL) || !d->type)
				break;
			for (const struct param *p = d->type->params; p;
			     p = p->next)
				marshal_type(h, p->type, 0, set);
			break;
		default:
			break;
		}
	}
}

static void user_marshal_protos(struct hgen *h)
{
	struct name_set set = { 0 };

	marshal_decls(h, h->ast->main->decls, false, &set);
	for (size_t i = 0; i < set.n; i++) {
		const char *n = set.v[i];

		fprintf(h->out, "ULONG           __RPC_USER %s_UserSize     "
			"(ULONG *, ULONG, %s *);\n", n, n);
		fprintf(h->out, "unsigned char * __RPC_USER %s_UserMarshal  "
			"(ULONG *, unsigned char *, %s *);\n", n, n);
		fprintf(h->out, "unsigned char * __RPC_USER %s_UserUnmarshal"
			"(ULONG *, unsigned char *, %s *);\n", n, n);
		fprintf(h->out, "void            __RPC_USER %s_UserFree     "
			"(ULONG *, %s *);\n", n, n);
	}
	free(set.v);
}

static void trailer(struct hgen *h)
{
	fputs("/* Begin additional prototypes for all interfaces */\n\n",
	      h->out);
	user_marshal_protos(h);
	for (size_t i = 0; i < h->rundowns.n; i++)
		fprintf(h->out, "void __RPC_USER %s_rundown(%s);\n",
			h->rundowns.v[i], h->rundowns.v[i]);
	if (h->any_rpc)
		fputs("void *__RPC_USER midl_user_allocate(size_t);\n"
		      "void __RPC_USER midl_user_free(void *);\n", h->out);
	fputs("\n/* End additional prototypes */\n\n", h->out);
}

int header_emit(FILE *out, const struct ast *ast, const struct gen_options *g)
{
	static const struct gen_options none;
	struct hgen h = { .out = out, .ast = ast, .g = g ? g : &none };
	const struct idl_file *f = ast->main;
	char name[256];

	if (!f)
		return -1;
	gen_stem(f->path, name, sizeof(name));
	for (const struct idl_file *i = ast->files; i; i = i->next)
		scan_ns(&h, i->decls);
	fprintf(out,
		"/*** Generated by qrpc-idl from %s - Do not edit ***/\n\n",
		f->path);
	fputs("#ifndef __REQUIRED_RPCNDR_H_VERSION__\n"
	      "#define __REQUIRED_RPCNDR_H_VERSION__ 475\n"
	      "#endif\n"
	      "#include <rpc.h>\n"
	      "#include <rpcndr.h>\n\n", out);
	if (uses_com(f->decls))
		fputs("#ifndef COM_NO_WINDOWS_H\n"
		      "#include <windows.h>\n"
		      "#include <ole2.h>\n"
		      "#endif\n\n", out);
	fprintf(out, "#ifndef __%s_h__\n#define __%s_h__\n\n", name, name);
	fputs("/* Forward declarations */\n\n", out);
	forwards(&h, f->decls);
	generic_fwds(&h, f->decls);
	fputs("/* Headers for imported files */\n\n", out);
	for (const struct decl *d = f->decls; d; d = d->next) {
		if (d->kind == DECL_IMPORT)
			include_of(&h, d->str);
		for (const struct decl *i = d->acf_includes; i; i = i->next)
			fprintf(out, "#include \"%s\"\n", i->str);
		if (d->kind == DECL_ACF_INCLUDE)
			fprintf(out, "#include \"%s\"\n", d->str);
	}
	fputs("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n", out);
	hg_decls(&h, f->decls, true);
	trailer(&h);
	fputs("#ifdef __cplusplus\n}\n#endif\n\n", out);
	fprintf(out, "#endif /* __%s_h__ */\n", name);
	free(h.seen);
	free(h.rundowns.v);
	free(h.ns_tagged);
	free(h.ns_of);
	return h.oom || ferror(out) ? -1 : 0;
}

/* -o DIR applies to a relative path; the caller frees the result. */
static char *out_path(const struct gen_options *g, const char *path)
{
	char *p;

	if (g && g->out_dir && path[0] != '/') {
		if (asprintf(&p, "%s/%s", g->out_dir, path) < 0)
			return NULL;
		return p;
	}
	return strdup(path);
}

/*
 * Write through to @full: /dev/null, a pipe, a terminal or a symbolic
 * link must stay what they are, so they are opened, not renamed over.
 */
static int write_through(const char *full,
			 int (*emit)(FILE *out, void *arg), void *arg,
			 struct diag *d)
{
	FILE *fp = fopen(full, "w");
	int err;

	if (!fp) {
		diag_error(d, NULL, 0, "cannot write '%s': %s", full,
			   strerror(errno));
		return -1;
	}
	err = emit(fp, arg) ? (ferror(fp) ? errno : ENOMEM) : 0;
	if (fclose(fp) && !err)
		err = errno;
	if (!err)
		return 0;
	diag_error(d, NULL, 0, "cannot write '%s': %s", full, strerror(err));
	return -1;
}

int gen_write(const struct gen_options *g, const char *path,
	      int (*emit)(FILE *out, void *arg), void *arg, struct diag *d)
{
	char *full = out_path(g, path), *tmp = NULL;
	FILE *fp = NULL;
	int fd, err = 0, ret = -1;
	struct stat st;
	mode_t mask;

	if (full && !lstat(full, &st) && !S_ISREG(st.st_mode)) {
		ret = write_through(full, emit, arg, d);
		free(full);
		return ret;
	}
	if (!full || asprintf(&tmp, "%s.XXXXXX", full) < 0) {
		tmp = NULL;
		diag_error(d, NULL, 0, "out of memory writing '%s'", path);
		goto out;
	}
	/* A temporary file beside the target, renamed over it at the end,
	 * so that a failed run never leaves a half-written file. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		diag_error(d, NULL, 0, "cannot create '%s': %s", full,
			   strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	fp = fdopen(fd, "w");
	if (!fp) {
		err = errno;
		close(fd);
		goto fail;
	}
	/* mkstemp makes it 0600; output is as readable as any file. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask)) {
		err = errno;
		fclose(fp);
		goto fail;
	}
	if (emit(fp, arg)) {
		err = ferror(fp) ? errno : ENOMEM;
		fclose(fp);
		goto fail;
	}
	if (fclose(fp)) {
		err = errno;
		goto fail;
	}
	if (rename(tmp, full)) {
		err = errno;
		goto fail;
	}
	ret = 0;
	goto out;
fail:
	diag_error(d, NULL, 0, "cannot write '%s': %s", full,
		   strerror(err ? err : EIO));
	unlink(tmp);
out:
	free(tmp);
	free(full);
	return ret;
}

struct header_job {
	const struct ast *ast;
	const struct gen_options *g;
};

static int emit_header(FILE *out, void *arg)
{
	const struct header_job *j = arg;

	return header_emit(out, j->ast, j->g);
}

int header_write(const struct ast *ast, const struct gen_options *g,
		 const char *path, struct diag *d)
{
	struct header_job j = { ast, g };

	return gen_write(g, path, emit_header, &j, d);
}
