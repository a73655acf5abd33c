/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the integrity capability's control requests (policy, TPM choice, read, quote). */
#ifndef CANISTERD_INTEGRITY_REQUESTS_H
#define CANISTERD_INTEGRITY_REQUESTS_H

#include "core/canisterd.h"
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
