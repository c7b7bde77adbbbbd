// SPDX-License-Identifier: MIT
/*
 * Servers: RpcServerUseProtseqEp, RpcServerRegisterIf, RpcServerListen
 * and the calls they dispatch to the stubs.
 *
 * Windows keeps one server per process, with endpoints and interfaces
 * added in any order; libqrpc has a server per port, whose interfaces
 * are registered before it listens.  So the process's endpoints and
 * interfaces are kept here, under one lock: each endpoint is a libqrpc
 * server on its port (made when the endpoint is added, which creates
 * the port), given every interface registered, before or after; at
 * RpcServerListen each starts its workers, and RpcMgmtStopServerListening
 * stops them (the servers and ports stay, with what is queued for them)
 * until the next RpcServerListen.
 *
 * Each worker runs dispatch(), which hands the call to the interface's
 * stub as an RPC_MESSAGE whose Handle is a struct msrpc_call on the
 * worker's stack: the handle lives exactly as long as the call.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_ENDPOINTS	16
#define MAX_IFS		16	/* libqrpc's limit per server */
#define MAX_THREADS	256	/* libqrpc's limit per server */
/* Ports made by RpcServerUseProtseqEp: the owner's only, as a pipe's. */
#define PORT_MODE	0600

struct endpoint {
	char *name;
	unsigned int flags;		/* QRPC_SERVER_* */
	struct qrpc_server *srv;	/* NULL after a stop, until a listen */
};

struct reg {
	const RPC_SERVER_INTERFACE *ifs;
	RPC_MGR_EPV *epv;
	struct qrpc_if_id id;
	qrpc_handler_fn *ops;
	struct qrpc_dispatch dispatch;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t stopped;
	struct endpoint ep[MAX_ENDPOINTS];
	unsigned int n_ep;
	struct reg *reg[MAX_IFS];
	unsigned int n_reg;
	bool listening;
	bool stopping;		/* a stop or a re-registration is under way */
	unsigned int threads;
	/* [async] calls a manager is still to complete (their worker's). */
	unsigned int pending_async;
	pthread_cond_t no_pending;
} S = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.stopped = PTHREAD_COND_INITIALIZER,
	.no_pending = PTHREAD_COND_INITIALIZER,
};

void msrpc_async_pending(int delta)
{
	pthread_mutex_lock(&S.lock);
	S.pending_async += delta;
	if (!S.pending_async)
		pthread_cond_broadcast(&S.no_pending);
	pthread_mutex_unlock(&S.lock);
}

/* The call a server thread runs, for RpcServerTestCancel(NULL). */
static _Thread_local struct msrpc_call *current_call;

struct msrpc_call *msrpc_call_get(RPC_BINDING_HANDLE h)
{
	struct msrpc_call *c = h ? h : current_call;

	return c && c->magic == MSRPC_CALL_MAGIC ? c : NULL;
}

static RPC_STATUS from_errno(int err)
{
	switch (err) {
	case 0:
		return RPC_S_OK;
	case -ENOMEM:
		return RPC_S_OUT_OF_MEMORY;
	case -EACCES:
	case -EPERM:
		return RPC_S_ACCESS_DENIED;
	case -EINVAL:
		return RPC_S_INVALID_ENDPOINT_FORMAT;
	case -ENOSPC:
		return RPC_S_OUT_OF_RESOURCES;
	case -ENOENT:
		return RPC_S_SERVER_UNAVAILABLE;	/* the module is not loaded */
	default:
		return RPC_S_INTERNAL_ERROR;
	}
}

/*
 * A libqrpc handler for every operation: the stub runs inside an
 * RpcTryExcept, and what it raises (bad stub data, the manager's own
 * RpcRaiseException) goes back as the call's fault.
 */
static int dispatch(struct qrpc_call_ctx *ctx, void *arg)
{
	const struct reg *r = arg;
	struct msrpc_call call = { .magic = MSRPC_CALL_MAGIC, .ctx = ctx };
	const RPC_DISPATCH_TABLE *t = r->ifs->DispatchTable;
	RPC_MESSAGE m = { 0 };
	struct msrpc_call *volatile outer = current_call;
	volatile RPC_STATUS fault = RPC_S_OK;
	size_t len;

	m.Handle = &call;
	m.DataRepresentation = 0x10;
	m.Buffer = (void *)qrpc_ctx_request(ctx, &len);
	m.BufferLength = (unsigned int)len;
	m.ProcNum = qrpc_ctx_opnum(ctx);
	m.RpcInterfaceInformation = (void *)r->ifs;
	m.ManagerEpv = r->epv;
	m.ReservedForRuntime = ctx;
	if (m.ProcNum >= t->DispatchTableCount ||
	    !t->DispatchTable[m.ProcNum])
		return RPC_S_PROCNUM_OUT_OF_RANGE;
	current_call = &call;
	RpcTryExcept {
		t->DispatchTable[m.ProcNum](&m);
	} RpcExcept(EXCEPTION_EXECUTE_HANDLER) {
		fault = RpcExceptionCode();
	} RpcEndExcept
	current_call = outer;
	call.magic = 0;
	if (call.pending) {
		/* [async]: the manager completes it, now or later. */
		if (fault != RPC_S_OK)
			msrpc_async_server_abort(call.pending, fault);
		return msrpc_async_dispatch_end(call.pending);
	}
	if (fault != RPC_S_OK)
		return fault > 0 ? fault : RPC_S_CALL_FAILED;
	if (call.have_reply)
		qrpc_ctx_set_reply_len(ctx, m.BufferLength);
	return 0;
}

RPC_STATUS msrpc_server_get_buffer(PRPC_MESSAGE Message)
{
	struct msrpc_call *c = Message->Handle ? msrpc_call_get(Message->Handle) :
						 NULL;
	size_t cap;
	void *buf;

	if (!c)
		return RPC_S_INVALID_BINDING;
	buf = qrpc_ctx_reply_buf(c->ctx, &cap);
	if (Message->BufferLength > cap)
		return RPC_S_SERVER_OUT_OF_MEMORY;
	Message->Buffer = buf;
	c->have_reply = true;
	return RPC_S_OK;
}

RPC_STATUS RPC_ENTRY RpcServerTestCancel(RPC_BINDING_HANDLE BindingHandle)
{
	struct msrpc_call *c = msrpc_call_get(BindingHandle);

	if (!c)
		return BindingHandle ? RPC_S_INVALID_BINDING :
				       RPC_S_NO_CALL_ACTIVE;
	/* Windows' inverted sense: OK means the client cancelled. */
	return qrpc_ctx_test_cancel(c->ctx) ? RPC_S_OK : RPC_S_CALL_IN_PROGRESS;
}

RPC_STATUS RPC_ENTRY QrpcServerInqCaller(RPC_BINDING_HANDLE Binding,
					 int32_t *Pid, uint32_t *Uid,
					 uint32_t *Gid)
{
	struct msrpc_call *c = msrpc_call_get(Binding);
	pid_t pid;
	uid_t uid;
	gid_t gid;

	if (!c)
		return Binding ? RPC_S_INVALID_BINDING : RPC_S_NO_CALL_ACTIVE;
	qrpc_ctx_caller(c->ctx, &pid, &uid, &gid);
	if (Pid)
		*Pid = pid;
	if (Uid)
		*Uid = uid;
	if (Gid)
		*Gid = gid;
	return RPC_S_OK;
}

/* Give @e's server every interface; the caller holds the lock. */
static RPC_STATUS register_all(struct endpoint *e)
{
	for (unsigned int i = 0; i < S.n_reg; i++) {
		int ret = qrpc_server_register(e->srv, &S.reg[i]->dispatch);

		if (ret && ret != -EEXIST)
			return ret == -ENOSPC ? RPC_S_OUT_OF_RESOURCES :
						RPC_S_INTERNAL_ERROR;
	}
	return RPC_S_OK;
}

static RPC_STATUS open_endpoint(struct endpoint *e)
{
	RPC_STATUS st = from_errno(qrpc_server_create(e->name, PORT_MODE,
						      e->flags, &e->srv));

	if (st != RPC_S_OK) {
		e->srv = NULL;
		return st;
	}
	st = register_all(e);
	if (st != RPC_S_OK) {
		qrpc_server_free(e->srv);
		e->srv = NULL;
	}
	return st;
}

static RPC_STATUS use_endpoint(const char *protseq, unsigned int max_calls,
			       const char *endpoint, void *sd,
			       const RPC_POLICY *policy)
{
	unsigned int flags = 0;
	struct endpoint *e;
	RPC_STATUS st;

	if (!protseq || !endpoint)
		return RPC_S_INVALID_ARG;
	st = msrpc_check_protseq(protseq);
	if (st != RPC_S_OK)
		return st;
	/* Security descriptors are Windows'; the port's mode is 0600. */
	if (sd)
		return RPC_S_CANNOT_SUPPORT;
	(void)max_calls;	/* a hint on Windows too: RpcServerListen's counts */
	/*
	 * A queue is temporary on Windows unless the policy says permanent;
	 * everything else is a port that outlives the server, so that
	 * [message] calls wait for the next one.
	 */
	if (policy && !strcmp(protseq, "ncadg_mq") &&
	    !(policy->EndpointFlags & RPC_C_MQ_PERMANENT))
		flags |= QRPC_SERVER_TEMPORARY;
	pthread_mutex_lock(&S.lock);
	for (unsigned int i = 0; i < S.n_ep; i++) {
		if (!strcmp(S.ep[i].name, endpoint)) {
			pthread_mutex_unlock(&S.lock);
			return RPC_S_OK;	/* in use already, by us */
		}
	}
	if (S.n_ep == MAX_ENDPOINTS) {
		pthread_mutex_unlock(&S.lock);
		return RPC_S_OUT_OF_RESOURCES;
	}
	e = &S.ep[S.n_ep];
	e->name = strdup(endpoint);
	e->flags = flags;
	st = e->name ? open_endpoint(e) : RPC_S_OUT_OF_MEMORY;
	if (st == RPC_S_OK && S.listening && !S.stopping &&
	    qrpc_server_listen(e->srv, S.threads))
		st = RPC_S_INTERNAL_ERROR;
	if (st == RPC_S_OK) {
		S.n_ep++;
	} else {
		if (e->srv)
			qrpc_server_free(e->srv);
		free(e->name);
		memset(e, 0, sizeof(*e));
	}
	pthread_mutex_unlock(&S.lock);
	return st;
}

RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpExA(RPC_CSTR Protseq,
					      unsigned int MaxCalls,
					      RPC_CSTR Endpoint,
					      void *SecurityDescriptor,
					      PRPC_POLICY Policy)
{
	return use_endpoint((const char *)Protseq, MaxCalls,
			    (const char *)Endpoint, SecurityDescriptor,
			    Policy);
}

RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpA(RPC_CSTR Protseq,
					    unsigned int MaxCalls,
					    RPC_CSTR Endpoint,
					    void *SecurityDescriptor)
{
	return use_endpoint((const char *)Protseq, MaxCalls,
			    (const char *)Endpoint, SecurityDescriptor, NULL);
}

RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpExW(RPC_WSTR Protseq,
					      unsigned int MaxCalls,
					      RPC_WSTR Endpoint,
					      void *SecurityDescriptor,
					      PRPC_POLICY Policy)
{
	char *p = NULL, *e = NULL;
	RPC_STATUS st;

	st = msrpc_utf16_to_8(Protseq, &p, RPC_S_INVALID_RPC_PROTSEQ);
	if (st == RPC_S_OK)
		st = msrpc_utf16_to_8(Endpoint, &e,
				      RPC_S_INVALID_ENDPOINT_FORMAT);
	if (st == RPC_S_OK)
		st = use_endpoint(p, MaxCalls, e, SecurityDescriptor, Policy);
	free(p);
	free(e);
	return st;
}

RPC_STATUS RPC_ENTRY RpcServerUseProtseqEpW(RPC_WSTR Protseq,
					    unsigned int MaxCalls,
					    RPC_WSTR Endpoint,
					    void *SecurityDescriptor)
{
	return RpcServerUseProtseqEpExW(Protseq, MaxCalls, Endpoint,
					SecurityDescriptor, NULL);
}

static bool nil_uuid(const UUID *u)
{
	static const UUID nil;

	return !u || !memcmp(u, &nil, sizeof(nil));
}

RPC_STATUS RPC_ENTRY RpcServerRegisterIf2(RPC_IF_HANDLE IfSpec,
					  UUID *MgrTypeUuid,
					  RPC_MGR_EPV *MgrEpv,
					  unsigned int Flags,
					  unsigned int MaxCalls,
					  unsigned int MaxRpcSize,
					  RPC_IF_CALLBACK_FN *IfCallbackFn)
{
	const RPC_SERVER_INTERFACE *ifs = IfSpec;
	struct reg *r;
	RPC_STATUS st = RPC_S_OK;
	unsigned int n;

	(void)MaxCalls;
	(void)MaxRpcSize;	/* the port's own limit applies */
	if (!ifs || ifs->Length != sizeof(*ifs) || !ifs->DispatchTable)
		return RPC_S_UNKNOWN_IF;
	/* One manager per interface; no security callback (no remote). */
	if (!nil_uuid(MgrTypeUuid) || IfCallbackFn ||
	    (Flags & RPC_IF_AUTOLISTEN))
		return RPC_S_CANNOT_SUPPORT;
	if (!MgrEpv)
		MgrEpv = ifs->DefaultManagerEpv;
	if (!MgrEpv)
		return RPC_S_UNKNOWN_MGR_TYPE;
	n = ifs->DispatchTable->DispatchTableCount;
	r = calloc(1, sizeof(*r));
	if (!r)
		return RPC_S_OUT_OF_MEMORY;
	r->ops = calloc(n ? n : 1, sizeof(*r->ops));
	if (!r->ops) {
		free(r);
		return RPC_S_OUT_OF_MEMORY;
	}
	r->ifs = ifs;
	r->epv = MgrEpv;
	msrpc_if_id(&ifs->InterfaceId, &r->id);
	for (unsigned int i = 0; i < n; i++)
		r->ops[i] = dispatch;
	r->dispatch.iface = r->id;
	r->dispatch.nops = n;
	r->dispatch.ops = r->ops;
	r->dispatch.arg = r;

	pthread_mutex_lock(&S.lock);
	for (unsigned int i = 0; i < S.n_reg; i++)
		if (!memcmp(&S.reg[i]->id, &r->id, sizeof(r->id)))
			st = RPC_S_TYPE_ALREADY_REGISTERED;
	if (st == RPC_S_OK && S.n_reg == MAX_IFS)
		st = RPC_S_OUT_OF_RESOURCES;
	/* libqrpc's servers take interfaces only before they listen. */
	if (st == RPC_S_OK && S.listening)
		st = RPC_S_ALREADY_LISTENING;
	for (unsigned int i = 0; st == RPC_S_OK && i < S.n_ep; i++) {
		int ret = S.ep[i].srv ?
			  qrpc_server_register(S.ep[i].srv, &r->dispatch) : 0;

		if (ret)
			st = ret == -ENOSPC ? RPC_S_OUT_OF_RESOURCES :
					      RPC_S_INTERNAL_ERROR;
	}
	if (st == RPC_S_OK)
		S.reg[S.n_reg++] = r;
	pthread_mutex_unlock(&S.lock);
	if (st != RPC_S_OK) {
		free(r->ops);
		free(r);
	}
	return st;
}

RPC_STATUS RPC_ENTRY RpcServerRegisterIfEx(RPC_IF_HANDLE IfSpec,
					   UUID *MgrTypeUuid,
					   RPC_MGR_EPV *MgrEpv,
					   unsigned int Flags,
					   unsigned int MaxCalls,
					   RPC_IF_CALLBACK_FN *IfCallback)
{
	return RpcServerRegisterIf2(IfSpec, MgrTypeUuid, MgrEpv, Flags,
				    MaxCalls, 0, IfCallback);
}

RPC_STATUS RPC_ENTRY RpcServerRegisterIf(RPC_IF_HANDLE IfSpec,
					 UUID *MgrTypeUuid,
					 RPC_MGR_EPV *MgrEpv)
{
	return RpcServerRegisterIf2(IfSpec, MgrTypeUuid, MgrEpv, 0,
				    RPC_C_LISTEN_MAX_CALLS_DEFAULT, 0, NULL);
}

/*
 * Take every endpoint's server out, lock held; free_servers() then
 * stops and frees them with the lock dropped, since their workers may be
 * running managers that call in here.  A temporary port goes with its
 * server.
 */
static unsigned int take_servers(struct qrpc_server **out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < S.n_ep; i++) {
		if (S.ep[i].srv)
			out[n++] = S.ep[i].srv;
		S.ep[i].srv = NULL;
	}
	return n;
}

static void free_servers(struct qrpc_server **srv, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		qrpc_server_free(srv[i]);
}

/*
 * Stop listening: the workers finish their calls and exit.  The servers
 * stay, with their ports and interfaces, for the next RpcServerListen.
 */
static void stop(void)
{
	struct qrpc_server *srv[MAX_ENDPOINTS];
	unsigned int n = 0;

	pthread_mutex_lock(&S.lock);
	/*
	 * A pending [async] call belongs to its worker until completed:
	 * the workers go only after every such call, as on Windows, where
	 * RpcServerListen returns once all calls are done.
	 */
	while (S.pending_async)
		pthread_cond_wait(&S.no_pending, &S.lock);
	for (unsigned int i = 0; i < S.n_ep; i++)
		if (S.ep[i].srv)
			srv[n++] = S.ep[i].srv;
	pthread_mutex_unlock(&S.lock);
	for (unsigned int i = 0; i < n; i++)
		qrpc_server_stop(srv[i]);
	pthread_mutex_lock(&S.lock);
	S.listening = false;
	S.stopping = false;
	pthread_cond_broadcast(&S.stopped);
	pthread_mutex_unlock(&S.lock);
}

static void *stop_thread(void *unused)
{
	(void)unused;
	stop();
	return NULL;
}

RPC_STATUS RPC_ENTRY RpcServerUnregisterIf(RPC_IF_HANDLE IfSpec,
					   UUID *MgrTypeUuid,
					   unsigned int WaitForCallsToComplete)
{
	struct qrpc_server *srv[MAX_ENDPOINTS];
	RPC_STATUS st = RPC_S_UNKNOWN_IF;
	unsigned int n;
	bool was;

	(void)WaitForCallsToComplete;	/* a stop always waits for them */
	if (!nil_uuid(MgrTypeUuid))
		return RPC_S_UNKNOWN_MGR_TYPE;
	/* A call cannot wait for the server it runs on to stop. */
	if (current_call)
		return RPC_S_CANNOT_SUPPORT;
	/*
	 * libqrpc cannot take one interface off a server: the servers are
	 * freed (their calls finished) and opened again without it,
	 * listening again if they were.
	 */
	pthread_mutex_lock(&S.lock);
	if (S.stopping) {
		pthread_mutex_unlock(&S.lock);
		return RPC_S_NOT_LISTENING;
	}
	was = S.listening;
	S.stopping = true;
	n = take_servers(srv);
	pthread_mutex_unlock(&S.lock);
	free_servers(srv, n);
	pthread_mutex_lock(&S.lock);
	for (unsigned int i = 0; i < S.n_reg; i++) {
		struct reg *r = S.reg[i];

		if (IfSpec && r->ifs != IfSpec)
			continue;
		S.reg[i--] = S.reg[--S.n_reg];
		free(r->ops);
		free(r);
		st = RPC_S_OK;
	}
	for (unsigned int k = 0; k < S.n_ep; k++)
		if (open_endpoint(&S.ep[k]) == RPC_S_OK && was)
			qrpc_server_listen(S.ep[k].srv, S.threads);
	S.stopping = false;
	pthread_mutex_unlock(&S.lock);
	return st;
}

RPC_STATUS RPC_ENTRY RpcServerListen(unsigned int MinimumCallThreads,
				     unsigned int MaxCalls,
				     unsigned int DontWait)
{
	unsigned int threads = MinimumCallThreads ? MinimumCallThreads : 1;
	RPC_STATUS st = RPC_S_OK;

	if (MaxCalls < MinimumCallThreads)
		return RPC_S_MAX_CALLS_TOO_SMALL;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	pthread_mutex_lock(&S.lock);
	if (S.listening)
		st = RPC_S_ALREADY_LISTENING;
	else if (!S.n_ep)
		st = RPC_S_NO_PROTSEQS_REGISTERED;
	for (unsigned int i = 0; st == RPC_S_OK && i < S.n_ep; i++) {
		if (!S.ep[i].srv)
			st = open_endpoint(&S.ep[i]);
		if (st == RPC_S_OK && qrpc_server_listen(S.ep[i].srv, threads))
			st = RPC_S_OUT_OF_RESOURCES;
	}
	if (st == RPC_S_OK) {
		S.listening = true;
		S.threads = threads;
		while (!DontWait && S.listening)
			pthread_cond_wait(&S.stopped, &S.lock);
		pthread_mutex_unlock(&S.lock);
		return RPC_S_OK;
	}
	if (st != RPC_S_ALREADY_LISTENING) {
		/* Those that started: stopped, so the next listen is whole. */
		struct qrpc_server *srv[MAX_ENDPOINTS];
		unsigned int n = take_servers(srv);

		pthread_mutex_unlock(&S.lock);
		free_servers(srv, n);
		return st;
	}
	pthread_mutex_unlock(&S.lock);
	return st;
}

RPC_STATUS RPC_ENTRY RpcMgmtStopServerListening(RPC_BINDING_HANDLE Binding)
{
	RPC_STATUS st = RPC_S_OK;

	if (Binding)
		return RPC_S_CANNOT_SUPPORT;	/* no remote management */
	pthread_mutex_lock(&S.lock);
	if (!S.listening) {
		st = RPC_S_NOT_LISTENING;
	} else if (!S.stopping) {
		S.stopping = true;
		/*
		 * From a manager (a "shut down" call, as Windows programs
		 * make), the stop cannot wait here for the call it is in:
		 * a thread of its own does it, and RpcServerListen returns
		 * once it is done.
		 */
		if (current_call) {
			pthread_t t;
			pthread_attr_t a;

			pthread_attr_init(&a);
			pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
			if (pthread_create(&t, &a, stop_thread, NULL)) {
				S.stopping = false;
				st = RPC_S_OUT_OF_RESOURCES;
			}
			pthread_attr_destroy(&a);
			pthread_mutex_unlock(&S.lock);
			return st;
		}
		pthread_mutex_unlock(&S.lock);
		stop();
		return RPC_S_OK;
	}
	pthread_mutex_unlock(&S.lock);
	return st;
}

RPC_STATUS RPC_ENTRY RpcMgmtWaitServerListen(void)
{
	RPC_STATUS st = RPC_S_OK;

	pthread_mutex_lock(&S.lock);
	if (!S.listening)
		st = RPC_S_NOT_LISTENING;
	while (S.listening)
		pthread_cond_wait(&S.stopped, &S.lock);
	pthread_mutex_unlock(&S.lock);
	return st;
}
