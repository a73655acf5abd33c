// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the appraisal control requests (integrity-key-add, -key-remove, -appraise). */
#include "integrity/appraise.h"
#include "integrity/backstop.h"
#include "integrity/integrity.h"
#include "integrity/requests.h"

#include "core/reply.h"

#include <errno.h>
#include <inttypes.h>

/*
 * The certificate comes in the request, read by the client with the
 * caller's own rights: canisterd, root, never opens a path a less privileged
 * caller names (it would read for them what they may not).
 */
/*
 * Before the answer: @contid's verdicts (and those of the containers nested
 * in it) are judged again under its new keys or mode, and the kernel binds
 * it by its new mode; an MMAP_CHECK it now enforces needs the gate to see opens.
 */
static void rebind(uint64_t contid)
{
	backstop_forget(contid);
	backstop_sync();
	integrity_follow_file_check(true);
}

int integrity_handle_key_add(struct canisterd *d, const struct peer *peer,
			     const struct canister_request *request, struct canister_reply *ret)
{
	const struct canister_integrity_request *integrity = &request->integrity;
	uint32_t keyid;
	char why[512];
	bool live;
	int r = integrity_check_caller(d, peer, request->contid, INTEGRITY_APPRAISAL, &live, ret);

	if (r < 0)
		return r;
	r = appraise_key_add(request->contid, integrity->certificate, integrity->certificate_len,
			     &keyid, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	rebind(request->contid);
	appraise_describe(request->contid, &ret->appraisal);
	ret->appraisal.added_keyid = keyid;
	return 0;
}

int integrity_handle_key_remove(struct canisterd *d, const struct peer *peer,
				const struct canister_request *request, struct canister_reply *ret)
{
	char why[512];
	bool live;
	int r = integrity_check_caller(d, peer, request->contid, INTEGRITY_APPRAISAL, &live, ret);

	if (r < 0)
		return r;
	r = appraise_key_remove(request->contid, request->integrity.keyid, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	rebind(request->contid);
	appraise_describe(request->contid, &ret->appraisal);
	return 0;
}

int integrity_handle_appraise(struct canisterd *d, const struct peer *peer,
			      const struct canister_request *request, struct canister_reply *ret)
{
	const struct canister_integrity_request *integrity = &request->integrity;
	bool changes = integrity->has_mode || integrity->has_host_keys;
	char why[512];
	bool live;
	int r = integrity_check_caller(d, peer, request->contid,
				       changes ? INTEGRITY_APPRAISAL : INTEGRITY_READ, &live, ret);

	if (r < 0)
		return r;
	if (changes) {
		r = appraise_set(request->contid, integrity->has_mode ? &integrity->mode : NULL,
				 integrity->has_host_keys ? &integrity->host_keys : NULL, why,
				 sizeof(why));
		if (r < 0)
			return reply_refuse(ret, -r, "%s", why);
		/* A mode that appraises opens holds from the container's next open: after the
		 * marks (rebind() follows FILE_CHECK). */
		rebind(request->contid);
	}
	appraise_describe(request->contid, &ret->appraisal);
	return 0;
}
