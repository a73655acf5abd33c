/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* libcanister: what canisterd's replies say beyond the public API, for canister's own CLI. */
#ifndef CANISTER_LIB_CLIENT_H
#define CANISTER_LIB_CLIENT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <canister/canister.h>

#include "lib/protocol.h"

struct canister_set_reply;
struct canister_status;

/*
 * canister_client_cancel_on() - a call waiting for canisterd's reply stops
 * with -EINTR when a signal interrupts it and *@flag is set (its handler
 * sets it, installed without SA_RESTART): a caller whose user asked it to
 * stop is not held by a canisterd that never answers.  Other interrupted
 * waits go on.  NULL: none stops (the default).
 */
void canister_client_cancel_on(struct canister_client *client, volatile sig_atomic_t *flag);

/* canister_register_reply() - canister_register(), also saying whether @pid joined. */
int canister_register_reply(struct canister_client *client, pid_t pid, uint64_t contid,
			    const char *name, struct canister_set_reply *ret_reply);

/*
 * canister_delegate_reply() - canister_delegate(), also returning the number
 * canisterd gave the delegation (what `canister ps` shows as a container's owner).
 */
int canister_delegate_reply(struct canister_client *client, pid_t pid, uint32_t *ret_delegation);

struct canister_sink_request;

/*
 * canister_audit_sink_add() - ask canisterd to start an audit sink for
 * container @contid (and those nested in it).  Returns 0, or the daemon's
 * -errno (canister_client_error() has its words), or a transport error.
 */
int canister_audit_sink_add(struct canister_client *client, uint64_t contid,
			    const struct canister_sink_request *sink);

/* canister_audit_sink_remove() - stop the audit sink of @contid. */
int canister_audit_sink_remove(struct canister_client *client, uint64_t contid);

/*
 * canister_status_read() - canisterd's status, decoded (about 100 KiB: the
 * caller allocates it).  Returns 0, or a transport error (-EPROTO for a
 * malformed status, with the reason in canister_client_error()).
 */
int canister_status_read(struct canister_client *client, struct canister_status *ret_status);

struct canister_integrity_read_reply;
struct canister_integrity_quote_reply;

/*
 * canister_integrity_policy_set() - container @contid's IMA policy from now
 * on: @policy (@len bytes, no NUL) as IMA prints one.  Returns 0, or the
 * daemon's -errno (-EINVAL: refused, "LINE: reason"; -EBUSY: its workload has
 * run already), or a transport error.
 */
int canister_integrity_policy_set(struct canister_client *client, uint64_t contid,
				  const char *policy, size_t len);

/*
 * canister_integrity_tpm_set() - whether container @contid has a swtpm of
 * its own (@choice), in place of integrity_tpm's default.  Returns 0, or the
 * daemon's -errno (-EBUSY: its workload has run already; -EOPNOTSUPP: this
 * canisterd cannot give one), or a transport error.
 */
int canister_integrity_tpm_set(struct canister_client *client, uint64_t contid,
			       enum canister_tpm_choice choice);

/*
 * canister_integrity_read() - one page of one of container @contid's
 * measurement files from @offset (@sha256: the sha256 bank's).  Returns 0
 * with the page, or the daemon's -errno, or a transport error.
 */
int canister_integrity_read(struct canister_client *client, uint64_t contid,
			    enum canister_integrity_file file, bool sha256, uint64_t offset,
			    struct canister_integrity_read_reply *ret_page);

/*
 * canister_integrity_quote() - a quote of container @contid's TPM's PCR 10
 * over @nonce (1..CANISTER_INTEGRITY_NONCE_MAX bytes), with its AK and the
 * PCR values it covers.  Returns 0 or -errno as the other requests.
 */
int canister_integrity_quote(struct canister_client *client, uint64_t contid, const uint8_t *nonce,
			     size_t nonce_len, struct canister_integrity_quote_reply *ret_quote);

struct canister_appraisal_reply;

/*
 * canister_integrity_key_add() - the X.509 certificate in the @len bytes at
 * @certificate (DER or PEM, as its file holds it) becomes one of container
 * @contid's appraisal keys.  Returns 0 with the container's appraisal after
 * it (the new key's id in ->added_keyid), or the daemon's -errno (-EINVAL:
 * the certificate is refused; -EEXIST: a key with its id is there; -ENOSPC:
 * the container has CANISTER_IMA_KEYRING_MAX keys), or a transport error.
 */
int canister_integrity_key_add(struct canister_client *client, uint64_t contid,
			       const uint8_t *certificate, size_t len,
			       struct canister_appraisal_reply *ret_appraisal);

/*
 * canister_integrity_key_remove() - container @contid's key @keyid goes.
 * Returns 0 with its appraisal after, or -ENOENT (no such key), or as above.
 */
int canister_integrity_key_remove(struct canister_client *client, uint64_t contid, uint32_t keyid,
				  struct canister_appraisal_reply *ret_appraisal);

/*
 * canister_integrity_appraise() - container @contid's appraisal: its mode
 * becomes *@mode and whether the host's keys count for it *@host_keys, each
 * when not NULL; with both NULL nothing changes (a read: who may read its
 * lists may).  Returns 0 with the appraisal after, or as above.
 */
int canister_integrity_appraise(struct canister_client *client, uint64_t contid,
				const enum canister_appraise_mode *mode, const bool *host_keys,
				struct canister_appraisal_reply *ret_appraisal);

struct canister_policy_show_reply;

/*
 * canister_policy_load() - container @contid's access policy from now on:
 * @policy (@len bytes, no NUL) as canister_access_policy_print() writes it,
 * in @mode.  canisterd parses it again and keeps it, all or nothing.
 * Returns 0, or the daemon's -errno (-EINVAL: refused, "policy:LINE:
 * reason"; -EPERM: the caller may not; -ESRCH: no such container), or a
 * transport error (-E2BIG: longer than CANISTER_ACCESS_POLICY_TEXT_MAX).
 */
int canister_policy_load(struct canister_client *client, uint64_t contid, const char *policy,
			 size_t len, enum canister_access_mode mode);

/*
 * canister_policy_show() - container @contid's own access policy, or with
 * @effective the one its chain decides (its own and every ancestor's,
 * intersected), with the mode and loader of each level that holds one.
 * Returns 0 or -errno as canister_policy_load().
 */
int canister_policy_show(struct canister_client *client, uint64_t contid, bool effective,
			 struct canister_policy_show_reply *ret_show);

struct canister_model_reply;

/*
 * canister_model_page() - one page of container @contid's behaviour model
 * view @action from @offset, or (learn, seal, enforce) its domain moved on.
 * Returns 0 with the reply, or the daemon's -errno (-ENOENT: no model;
 * -EPERM: a move backwards, or the caller may not; -ESRCH: no container), or
 * a transport error.
 */
int canister_model_page(struct canister_client *client, uint64_t contid,
			enum canister_model_action action, uint64_t offset,
			struct canister_model_reply *ret_page);

/*
 * canister_model_learn() - container @contid learns, as canister_model_page()
 * with the action learn; @init (not 0): the pid of the container's runtime's
 * init, whose steps before its first exec are not the workload's
 * (docs/model.md, "The runtime's init phase").  Returns as
 * canister_model_page(), and -EINVAL when @init is not the container's.
 */
int canister_model_learn(struct canister_client *client, uint64_t contid, pid_t init,
			 struct canister_model_reply *ret_reply);

/*
 * canister_model_load_file() - container @contid's model from now on: @text (@len
 * bytes) a model file, sealed, or enforced with @enforce; @init as
 * canister_model_learn()'s.  canisterd parses it again, all or nothing.  A
 * text longer than CANISTER_MODEL_TEXT_MAX goes as a sealed memfd passed with
 * the request.  Returns 0, or the daemon's -errno (-EINVAL: refused,
 * "model:LINE: reason", or @init is not the container's; -EBUSY: the container
 * has a model), or a transport error (-E2BIG: longer than
 * CANISTER_MODEL_FILE_MAX).
 */
int canister_model_load_file(struct canister_client *client, uint64_t contid, const char *text,
			     size_t len, bool enforce, pid_t init,
			     struct canister_model_reply *ret_reply);

struct canister_grant_request;
struct canister_grants_reply;

/*
 * canister_grant_op() - @op CANISTER_OP_GRANT or CANISTER_OP_REVOKE of
 * @grant to container @contid, or CANISTER_OP_GRANT_LIST (@grant NULL):
 * the grants @contid holds afterwards in *@ret_grants.  Returns 0, or the
 * daemon's -errno (-EPERM: only the host's administrator may grant; -ESRCH:
 * no such container; -EINVAL: a grant to itself; -ENOENT: revoking one it
 * does not hold; -EEXIST: granting one it holds), or a transport error.
 */
int canister_grant_op(struct canister_client *client, enum canister_op op, uint64_t contid,
		      const struct canister_grant_request *grant,
		      struct canister_grants_reply *ret_grants);

#endif
