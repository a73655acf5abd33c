/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the integrity capability's control requests (policy, TPM choice, read, quote). */
#ifndef CANISTERD_INTEGRITY_REQUESTS_H
#define CANISTERD_INTEGRITY_REQUESTS_H

#include "core/canisterd.h"
#include "integrity/access.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <stdbool.h>

/*
 * integrity-policy: the container's own policy, parsed here (EINVAL with
 * "policy:LINE: reason", nothing changed), refused with EBUSY once its list
 * holds more than the boot_aggregate.  Who may: integrity/access.h.
 */
int integrity_handle_policy(struct canisterd *d, const struct peer *peer,
			    const struct canister_request *request, struct canister_reply *ret);

/*
 * integrity-tpm: whether the container has a swtpm of its own, in place of
 * integrity_tpm's default; the same rules as integrity-policy (who may, and
 * EBUSY once its list holds more than the boot_aggregate), EOPNOTSUPP for
 * swtpm from a canisterd without the TSS.
 */
int integrity_handle_tpm(struct canisterd *d, const struct peer *peer,
			 const struct canister_request *request, struct canister_reply *ret);

/*
 * integrity-read: one page of one of the container's files under
 * integrity_dir, read from the file canisterd published (each is replaced
 * whole, so a page is of one version; lists only grow, so pages read one
 * after the other are of one list as long as the client stops at the size the
 * first page gave).
 */
int integrity_handle_read(struct canisterd *d, const struct peer *peer,
			  const struct canister_request *request, struct canister_reply *ret);

/*
 * integrity_check_caller() - the caller, the container it names, and whether
 * the one may @what the other (integrity/access.h).  A container no longer
 * live keeps its lists on disk: the host's administrator may still read them
 * (*@ret_live false), nobody else can be shown to be entitled to; nobody
 * changes anything of it (ENOENT).  Returns 0, or the refusal in @ret.
 */
int integrity_check_caller(struct canisterd *d, const struct peer *peer, uint64_t contid,
			   enum integrity_access what, bool *ret_live, struct canister_reply *ret);

/*
 * integrity-key-add, integrity-key-remove, integrity-appraise
 * (appraise_requests.c): a container's appraisal keys, mode and host-keys
 * choice; each answers the container's appraisal after it.  Who may change
 * them: who may set its policy; who may read them: who may read its lists.
 */
int integrity_handle_key_add(struct canisterd *d, const struct peer *peer,
			     const struct canister_request *request, struct canister_reply *ret);
int integrity_handle_key_remove(struct canisterd *d, const struct peer *peer,
				const struct canister_request *request, struct canister_reply *ret);
int integrity_handle_appraise(struct canisterd *d, const struct peer *peer,
			      const struct canister_request *request, struct canister_reply *ret);

/* Whether the capability is measuring (integrity = on, and it started). */
bool integrity_running(void);

/*
 * integrity_handle_quote() - integrity-quote: container N's TPM quotes its
 * PCR 10 over the caller's nonce, after every entry listed so far is
 * extended; who may read N's list may ask.  Waits on the TPM thread (a few
 * ms; at most QUOTE_WAIT_MS).
 */
int integrity_handle_quote(struct canisterd *d, const struct peer *peer,
			   const struct canister_request *request, struct canister_reply *ret);

#endif
