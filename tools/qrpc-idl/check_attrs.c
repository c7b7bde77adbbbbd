// SPDX-License-Identifier: GPL-2.0
/*
 * Where each attribute may be written.  The parser takes any known
 * attribute anywhere; this table says, per attribute, the places it
 * applies to in the IDL file and in the ACF, and an attribute found
 * elsewhere is MIDL2072 ("inapplicable attribute") with the places it
 * does go.
 *
 * The table is generous with the ODL (type library) attributes: real
 * files carry helpstring, hidden, restricted... on nearly everything,
 * widl accepts that, and none of it changes the stubs.  It is strict
 * with the attributes that do: directions, pointers, sizes, handles,
 * and the ACF's.  WinRT attributes are accepted anywhere; WinRT blocks
 * are not checked at all.
 */
#include <stdio.h>
#include <string.h>

#include "check_int.h"

#define B(p)	(1u << (p))
#define IFC	B(PL_INTERFACE)
#define DSP	B(PL_DISPINTERFACE)
#define CLS	B(PL_COCLASS)
#define LIB	B(PL_LIBRARY)
#define MOD	B(PL_MODULE)
#define REF	B(PL_IFACE_REF)
#define TDF	B(PL_TYPEDEF)
#define TYP	B(PL_TYPE)
#define FLD	B(PL_FIELD)
#define ARM	B(PL_ARM)
#define ENU	B(PL_ENUMERATOR)
#define PRC	B(PL_PROC)
#define PRM	B(PL_PARAM)
#define CST	B(PL_CONST)
#define PRP	B(PL_PROPERTY)
#define ANY	(B(PL__COUNT) - 1)
/* Members that hold data: what type attributes go on. */
#define MEM	(FLD | ARM | PRM)
/* Containers that type libraries describe. */
#define BLK	(IFC | DSP | CLS | LIB | MOD)

struct place_rule {
	unsigned idl;	/* places in the IDL file */
	unsigned acf;	/* places in the ACF (0: not an ACF attribute) */
};

static const struct place_rule rules[ATTR__COUNT] = {
	/* WinRT: checked by nobody here. */
	[ATTR_ACTIVATABLE] = { ANY, 0 },
	[ATTR_AGILE] = { ANY, 0 },
	[ATTR_COMPOSABLE] = { ANY, 0 },
	[ATTR_CONTRACT] = { ANY, 0 },
	[ATTR_CONTRACTVERSION] = { ANY, 0 },
	[ATTR_DEFAULT_OVERLOAD] = { ANY, 0 },
	[ATTR_DEPRECATED] = { ANY, 0 },
	[ATTR_EVENTADD] = { ANY, 0 },
	[ATTR_EVENTREMOVE] = { ANY, 0 },
	[ATTR_EXCLUSIVETO] = { ANY, 0 },
	[ATTR_FLAGS] = { ANY, 0 },
	[ATTR_MARSHALING_BEHAVIOR] = { ANY, 0 },
	[ATTR_OVERLOAD] = { ANY, 0 },
	[ATTR_PROTECTED] = { ANY, 0 },
	[ATTR_STATIC] = { ANY, 0 },
	[ATTR_THREADING] = { ANY, 0 },

	/* ODL: descriptive, accepted broadly. */
	[ATTR_ANNOTATION] = { ANY, 0 },
	[ATTR_CUSTOM] = { ANY, 0 },
	[ATTR_HELPCONTEXT] = { ANY, 0 },
	[ATTR_HELPSTRING] = { ANY, 0 },
	[ATTR_HELPSTRINGCONTEXT] = { ANY, 0 },
	[ATTR_HIDDEN] = { ANY, 0 },
	[ATTR_RESTRICTED] = { ANY, 0 },
	[ATTR_ID] = { ANY, 0 },
	[ATTR_HELPFILE] = { BLK, 0 },
	[ATTR_HELPSTRINGDLL] = { BLK, 0 },
	[ATTR_LCID] = { PRM | LIB, 0 },
	[ATTR_CONTROL] = { BLK | TDF | TYP, 0 },
	[ATTR_APPOBJECT] = { CLS, 0 },
	[ATTR_AGGREGATABLE] = { CLS, 0 },
	[ATTR_LICENSED] = { CLS, 0 },
	[ATTR_NONCREATABLE] = { CLS, 0 },
	[ATTR_PREDECLID] = { CLS, 0 },
	[ATTR_PROGID] = { CLS, 0 },
	[ATTR_VI_PROGID] = { CLS, 0 },
	[ATTR_DEFAULTVTABLE] = { REF, 0 },
	[ATTR_SOURCE] = { REF | IFC | DSP | PRC | PRP, 0 },
	[ATTR_DUAL] = { IFC, 0 },
	[ATTR_ODL] = { IFC | DSP, 0 },
	[ATTR_OLEAUTOMATION] = { IFC | DSP, 0 },
	[ATTR_NONEXTENSIBLE] = { IFC | DSP, 0 },
	[ATTR_PROXY] = { IFC, 0 },
	[ATTR_DLLNAME] = { MOD, 0 },
	[ATTR_ENTRY] = { PRC | CST, 0 },
	[ATTR_USESGETLASTERROR] = { PRC | MOD, 0 },
	[ATTR_BINDABLE] = { PRC | PRP, 0 },
	[ATTR_DEFAULTBIND] = { PRC | PRP, 0 },
	[ATTR_DISPLAYBIND] = { PRC | PRP, 0 },
	[ATTR_IMMEDIATEBIND] = { PRC | PRP, 0 },
	[ATTR_REQUESTEDIT] = { PRC | PRP, 0 },
	[ATTR_DEFAULTCOLLELEM] = { PRC | PRP, 0 },
	[ATTR_UIDEFAULT] = { PRC | PRP, 0 },
	[ATTR_NONBROWSABLE] = { PRC | PRP, 0 },
	[ATTR_REPLACEABLE] = { BLK | PRC | PRP, 0 },
	[ATTR_PROPGET] = { PRC, 0 },
	[ATTR_PROPPUT] = { PRC, 0 },
	[ATTR_PROPPUTREF] = { PRC, 0 },
	[ATTR_VARARG] = { PRC, 0 },
	[ATTR_READONLY] = { PRP | FLD | PRC, 0 },
	[ATTR_RETVAL] = { PRM, 0 },
	[ATTR_OPTIONAL] = { PRM, 0 },
	[ATTR_DEFAULTVALUE] = { PRM, 0 },
	[ATTR_PUBLIC] = { TDF | TYP, 0 },
	[ATTR_UUID] = { BLK | TDF | TYP, 0 },
	[ATTR_VERSION] = { BLK | TDF | TYP, 0 },

	/* The interface header. */
	[ATTR_OBJECT] = { IFC, 0 },
	[ATTR_ASYNC_UUID] = { IFC, 0 },
	[ATTR_POINTER_DEFAULT] = { IFC, 0 },
	[ATTR_ENDPOINT] = { IFC, 0 },
	[ATTR_MS_UNION] = { IFC | TDF | TYP, 0 },
	[ATTR_LOCAL] = { IFC | PRC, 0 },
	/* The handle attributes are ACF ones that widl takes in IDL too. */
	[ATTR_AUTO_HANDLE] = { IFC, IFC },
	[ATTR_IMPLICIT_HANDLE] = { IFC, IFC },
	[ATTR_EXPLICIT_HANDLE] = { IFC, IFC | PRC },

	/* Procedures. */
	[ATTR_BROADCAST] = { PRC, 0 },
	[ATTR_CALL_AS] = { PRC, 0 },
	[ATTR_CALLBACK] = { PRC, 0 },
	[ATTR_IDEMPOTENT] = { PRC, 0 },
	[ATTR_MAYBE] = { PRC, 0 },
	[ATTR_MESSAGE] = { PRC, 0 },

	/* Parameters, fields and what they point to. */
	[ATTR_IN] = { PRM, 0 },
	[ATTR_OUT] = { PRM, 0 },
	[ATTR_REF] = { MEM | TDF | PRC, 0 },
	[ATTR_UNIQUE] = { MEM | TDF | PRC, 0 },
	[ATTR_PTR] = { MEM | TDF | PRC, 0 },
	[ATTR_STRING] = { MEM | TDF | PRC, 0 },
	[ATTR_SIZE_IS] = { MEM, 0 },
	[ATTR_MAX_IS] = { MEM, 0 },
	[ATTR_MIN_IS] = { MEM, 0 },
	[ATTR_LENGTH_IS] = { MEM, 0 },
	[ATTR_FIRST_IS] = { MEM, 0 },
	[ATTR_LAST_IS] = { MEM, 0 },
	[ATTR_RANGE] = { MEM | TDF, 0 },
	[ATTR_SWITCH_IS] = { MEM, 0 },
	[ATTR_SWITCH_TYPE] = { MEM | TDF | TYP, 0 },
	[ATTR_IID_IS] = { MEM, 0 },
	[ATTR_IGNORE] = { FLD | ARM, 0 },
	[ATTR_PARTIAL_IGNORE] = { PRM, 0 },
	[ATTR_DISABLE_CONSISTENCY_CHECK] = { PRM | PRC | FLD, 0 },
	[ATTR_CASE] = { ARM, 0 },
	[ATTR_DEFAULT] = { ARM | REF, 0 },

	/* Typedefs. */
	[ATTR_CONTEXT_HANDLE] = { TDF | PRM | PRC, 0 },
	[ATTR_HANDLE] = { TDF, 0 },
	[ATTR_TRANSMIT_AS] = { TDF, 0 },
	[ATTR_WIRE_MARSHAL] = { TDF, 0 },
	[ATTR_V1_ENUM] = { TDF | TYP, 0 },

	/* The ACF. */
	[ATTR_ASYNC] = { 0, IFC | PRC },
	[ATTR_CODE] = { PRC, IFC | PRC },
	[ATTR_NOCODE] = { PRC, IFC | PRC },
	[ATTR_OPTIMIZE] = { 0, IFC | PRC },
	[ATTR_ENCODE] = { 0, IFC | PRC | TDF },
	[ATTR_DECODE] = { 0, IFC | PRC | TDF },
	[ATTR_ENABLE_ALLOCATE] = { 0, IFC | PRC },
	[ATTR_STRICT_CONTEXT_HANDLE] = { IFC, IFC },
	[ATTR_COMM_STATUS] = { 0, PRC | PRM },
	[ATTR_FAULT_STATUS] = { 0, PRC | PRM },
	[ATTR_NOTIFY] = { 0, PRC },
	[ATTR_NOTIFY_FLAG] = { 0, PRC },
	[ATTR_CS_TAG_RTN] = { 0, PRC },
	[ATTR_BYTE_COUNT] = { 0, PRM },
	[ATTR_CS_STAG] = { 0, PRM },
	[ATTR_CS_DRTAG] = { 0, PRM },
	[ATTR_CS_RTAG] = { 0, PRM },
	[ATTR_FORCE_ALLOCATE] = { 0, PRM | PRC },
	[ATTR_CONTEXT_HANDLE_NOSERIALIZE] = { 0, TDF | PRM | PRC },
	[ATTR_CONTEXT_HANDLE_SERIALIZE] = { 0, TDF | PRM | PRC },
	[ATTR_ALLOCATE] = { 0, TDF },
	[ATTR_REPRESENT_AS] = { 0, TDF },
	[ATTR_USER_MARSHAL] = { 0, TDF },
	[ATTR_CS_CHAR] = { 0, TDF },
	[ATTR_IN_LINE] = { 0, TDF },
	[ATTR_OUT_OF_LINE] = { 0, TDF },
	[ATTR_HEAP] = { 0, TDF | PRM },
	[ATTR_MANUAL] = { 0, TDF | PRM },
};

static const char *const place_names[PL__COUNT] = {
	[PL_INTERFACE] = "interfaces",
	[PL_DISPINTERFACE] = "dispinterfaces",
	[PL_COCLASS] = "coclasses",
	[PL_LIBRARY] = "libraries",
	[PL_MODULE] = "modules",
	[PL_IFACE_REF] = "interfaces listed in a coclass",
	[PL_TYPEDEF] = "typedefs",
	[PL_TYPE] = "struct, union and enum declarations",
	[PL_FIELD] = "struct fields",
	[PL_ARM] = "union arms",
	[PL_ENUMERATOR] = "enumerators",
	[PL_PROC] = "procedures",
	[PL_PARAM] = "parameters",
	[PL_CONST] = "constants",
	[PL_PROPERTY] = "properties",
};

static const char *const place_one[PL__COUNT] = {
	[PL_INTERFACE] = "an interface",
	[PL_DISPINTERFACE] = "a dispinterface",
	[PL_COCLASS] = "a coclass",
	[PL_LIBRARY] = "a library",
	[PL_MODULE] = "a module",
	[PL_IFACE_REF] = "an interface listed in a coclass",
	[PL_TYPEDEF] = "a typedef",
	[PL_TYPE] = "a struct, union or enum declaration",
	[PL_FIELD] = "a struct field",
	[PL_ARM] = "a union arm",
	[PL_ENUMERATOR] = "an enumerator",
	[PL_PROC] = "a procedure",
	[PL_PARAM] = "a parameter",
	[PL_CONST] = "a constant",
	[PL_PROPERTY] = "a property",
};

/* "procedures, parameters and typedefs" */
static void list_places(char *buf, size_t len, unsigned mask)
{
	unsigned n = 0, total = (unsigned)__builtin_popcount(mask);
	size_t off = 0;

	buf[0] = '\0';
	for (int p = 0; p < PL__COUNT && off < len; p++) {
		if (!(mask & B(p)))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					!n ? "" : n + 1 == total ? " and " :
					", ", place_names[p]);
		n++;
	}
}

static void misplaced(struct check *c, const struct attr *a,
		      enum place where, const struct place_rule *r)
{
	char ok[512];

	if (a->from_acf) {
		if (!r->acf) {
			list_places(ok, sizeof(ok), r->idl);
			diag_error(c->d, &a->loc, 2072,
				   "[%s] is not an ACF attribute; it goes on %s in the IDL file",
				   a->name, ok);
			return;
		}
		list_places(ok, sizeof(ok), r->acf);
		diag_error(c->d, &a->loc, 2072,
			   "[%s] does not apply to %s in the ACF; it goes on %s",
			   a->name, place_one[where], ok);
		return;
	}
	if (!r->idl) {
		list_places(ok, sizeof(ok), r->acf);
		diag_error(c->d, &a->loc, 2072,
			   "[%s] is an ACF attribute; it goes on %s in the ACF",
			   a->name, ok);
		return;
	}
	list_places(ok, sizeof(ok), r->idl);
	diag_error(c->d, &a->loc, 2072,
		   "[%s] does not apply to %s; it goes on %s", a->name,
		   place_one[where], ok);
}

void check_attr_places(struct check *c, struct attr *list, enum place where)
{
	/*
	 * typedef [attrs] T a, *b; shares one list between declarations:
	 * report it once.
	 */
	if (!list || !check_visit_once(c, list))
		return;
	for (struct attr *a = list; a; a = a->next) {
		const struct place_rule *r;
		unsigned mask;

		if (a->id == ATTR_UNKNOWN || a->id >= ATTR__COUNT)
			continue;	/* the parser said so already */
		/* The old COM [async] parameter has its own MIDL2354. */
		if (a->id == ATTR_ASYNC && where == PL_PARAM)
			continue;
		r = &rules[a->id];
		mask = a->from_acf ? r->acf : r->idl;
		if (!mask && !r->acf && !r->idl)
			continue;	/* not in the table: no opinion */
		if (!(mask & B(where)))
			misplaced(c, a, where, r);
	}
}
