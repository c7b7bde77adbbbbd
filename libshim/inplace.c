// SPDX-License-Identifier: MIT
/*
 * In-place calls: the caller writes its request straight into the
 * connection's request area and reads the reply where the server wrote
 * it, so that a call moves its payload without a copy on the client side
 * (the module never copies payloads).  The slot, and the area pages it
 * holds, stay the caller's until qrpc_call_release(), even once the module
 * has released them.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "internal.h"
#include "qrpc.h"

/* Which state a struct qrpc_call_buf is in (its ->state). */
enum {
	CB_IDLE = 0,		/* not prepared, or released */
	CB_PREPARED,		/* the request is being written */
	CB_SENT_HELD,		/* sent; the module will release the slot */
	CB_SENT_FREE,		/* sent; the slot is the caller's alone */
};

int qrpc_call_prepare(struct qrpc_binding *b, size_t req_len,
		      size_t reply_cap, struct qrpc_call_buf *cb)
{
	static const struct qrpc_if_id none;
	struct qrpc_channel *ch;
	int slot, ret;

	if (!b || !cb)
		return -EINVAL;
	memset(cb, 0, sizeof(*cb));
	ret = qrpc_channel_get(b, &ch);
	if (ret)
		return ret;
	slot = qrpc_channel_slot(ch);
	if (slot < 0)
		return slot;
	/* The interface and operation are set when the call is sent. */
	ret = qrpc_channel_fill(ch, slot, QRPC_KIND_CALL, &none, 0, NULL,
				req_len, reply_cap);
	if (ret) {
		ch->free[ch->nfree++] = slot;	/* fill holds nothing on failure */
		return ret;
	}
	ch->hold[slot] = QRPC_HOLD_HELD;
	cb->req = ch->req + ch->slots[slot].req_off;
	cb->req_len = req_len;
	cb->priv = ch;
	cb->slot = (unsigned int)slot;
	cb->state = CB_PREPARED;
	return 0;
}

int qrpc_call_inplace(struct qrpc_call_buf *cb, const struct qrpc_if_id *iface,
		      uint32_t opnum)
{
	struct qrpc_channel *ch;
	struct qrpc_slot *s;
	int ret;

	if (!cb || !iface || cb->state != CB_PREPARED)
		return -EINVAL;
	ch = cb->priv;
	/* The channel, its ring and its slots are the preparing thread's. */
	if (!pthread_equal(ch->owner, pthread_self()))
		return -EINVAL;
	s = &ch->slots[cb->slot];
	s->iface = *iface;
	s->opnum = opnum;
	ret = qrpc_channel_issue(ch, cb->slot);
	cb->state = qrpc_released_later(QRPC_KIND_CALL, ret) ? CB_SENT_HELD :
							       CB_SENT_FREE;
	if (ret == -EREMOTEIO)
		return (int)ch->results[cb->slot].fault;
	if (ret < 0)
		return ret;
	if ((size_t)ret > s->rep_cap)
		return -EPROTO;
	cb->reply = ch->reply + s->rep_off;
	cb->reply_len = (size_t)ret;
	return 0;
}

void qrpc_call_release(struct qrpc_call_buf *cb)
{
	struct qrpc_channel *ch;

	if (!cb || cb->state == CB_IDLE)
		return;
	ch = cb->priv;
	/*
	 * Free the slot now unless the module still has to release it; then
	 * the next reap of the release ring frees it.
	 */
	if (cb->state != CB_SENT_HELD ||
	    ch->hold[cb->slot] == QRPC_HOLD_RELEASED)
		qrpc_channel_slot_put(ch, cb->slot);
	ch->hold[cb->slot] = QRPC_HOLD_NONE;
	memset(cb, 0, sizeof(*cb));
}
