// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_request_decode() on arbitrary datagrams, and round trips. */
#include "lib/name.h"
#include "lib/protocol.h"

#include <canister/abi.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *err)
{
	fprintf(stderr, "invariant broken: %s (err \"%s\")\n", what, err);
	abort();
}

/* The members of one op's union: the policy ops' text is not an integrity op's. */
static bool same_members(const struct canister_request *a, const struct canister_request *b)
{
	/* The grant ops' members share the union's bytes: read as their own. */
	if (canister_op_grant(a->op))
		return a->grant.credential == b->grant.credential &&
		       a->grant.has_uid == b->grant.has_uid && a->grant.uid == b->grant.uid &&
		       a->grant.as_contid == b->grant.as_contid &&
		       a->grant.as_uid == b->grant.as_uid;
	if (canister_op_model(a->op))
		return a->model.action == b->model.action && a->model.offset == b->model.offset &&
		       a->model.enforce == b->model.enforce && a->model.init == b->model.init &&
		       a->model.text_len == b->model.text_len &&
		       memcmp(a->model.text, b->model.text, a->model.text_len) == 0;
	if (canister_op_policy(a->op))
		return a->policy.mode == b->policy.mode &&
		       a->policy.effective == b->policy.effective &&
		       a->policy.policy_len == b->policy.policy_len &&
		       memcmp(a->policy.policy, b->policy.policy, a->policy.policy_len) == 0;
	return a->integrity.file == b->integrity.file &&
	       a->integrity.sha256 == b->integrity.sha256 &&
	       a->integrity.offset == b->integrity.offset &&
	       a->integrity.policy_len == b->integrity.policy_len &&
	       memcmp(a->integrity.policy, b->integrity.policy, a->integrity.policy_len) == 0;
}

static bool same_request(const struct canister_request *a, const struct canister_request *b)
{
	return a->op == b->op && a->pid == b->pid && a->allocate == b->allocate &&
	       a->contid == b->contid && a->has_name == b->has_name &&
	       strcmp(a->name, b->name) == 0 && a->has_after == b->has_after &&
	       a->after == b->after && strcmp(a->sink.log, b->sink.log) == 0 &&
	       strcmp(a->sink.rules, b->sink.rules) == 0 &&
	       strcmp(a->sink.socket, b->sink.socket) == 0 && a->sink.backlog == b->sink.backlog &&
	       a->sink.json == b->sink.json && same_members(a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Static: a request holds a whole policy text (protocol.h). */
	static struct canister_request request, again, untouched;
	static char buf[CANISTER_REQUEST_LARGE_MAX + 1];
	char err[256];
	int r, len;

	memset(&request, 0xa5, sizeof(request));
	memset(err, 'x', sizeof(err));
	r = canister_request_decode((const char *)data, size, &request, err, sizeof(err));
	if (r < 0) {
		memset(&untouched, 0xa5, sizeof(untouched));
		if (r != -EINVAL && r != -EMSGSIZE && r != -EPROTO && r != -ENOMEM)
			broken("undocumented errno", err);
		/* The daemon sends this text back; it must exist and end. */
		if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
			broken("no reason given", "");
		if (memcmp(&request, &untouched, sizeof(request)) != 0)
			broken("output written on error", err);
		return 0;
	}

	/* What the daemon acts on must already be in range. */
	switch (request.op) {
	case CANISTER_OP_STATUS:
	case CANISTER_OP_LIST:
		if (request.pid != 0)
			broken("pid set for an op without one", "");
		break;
	case CANISTER_OP_GET:
	case CANISTER_OP_SET:
	case CANISTER_OP_DELEGATE:
		if (request.pid < 1)
			broken("pid out of range", "");
		if (request.op == CANISTER_OP_SET && !request.allocate &&
		    request.contid == CANISTER_CONTID_UNSET)
			broken("contid is the unset value", "");
		break;
	case CANISTER_OP_AUDIT_ADD:
	case CANISTER_OP_AUDIT_REMOVE:
		if (request.pid != 0 || request.contid == 0 ||
		    request.contid == CANISTER_CONTID_UNSET)
			broken("audit op with a pid, or a contid out of range", "");
		if (request.op == CANISTER_OP_AUDIT_ADD &&
		    (request.sink.log[0] != '/' ||
		     (request.sink.rules[0] && request.sink.rules[0] != '/') ||
		     (request.sink.socket[0] && request.sink.socket[0] != '/') ||
		     request.sink.backlog > 1000000))
			broken("sink path not absolute or backlog out of range", "");
		if (request.op == CANISTER_OP_AUDIT_REMOVE && request.sink.log[0])
			broken("a sink for audit-remove", "");
		break;
	case CANISTER_OP_INTEGRITY_POLICY:
	case CANISTER_OP_INTEGRITY_READ:
	case CANISTER_OP_INTEGRITY_QUOTE:
	case CANISTER_OP_INTEGRITY_TPM:
	case CANISTER_OP_INTEGRITY_KEY_ADD:
	case CANISTER_OP_INTEGRITY_KEY_REMOVE:
	case CANISTER_OP_INTEGRITY_APPRAISE:
		if (request.pid != 0 || request.contid == 0 ||
		    request.contid == CANISTER_CONTID_UNSET)
			broken("integrity op with a pid, or a contid out of range", "");
		/* A certificate shares the policy's bytes: checked as text only when it is one. */
		if (request.op != CANISTER_OP_INTEGRITY_KEY_ADD &&
		    (request.integrity.policy_len > CANISTER_INTEGRITY_POLICY_TEXT_MAX ||
		     strlen(request.integrity.policy) != request.integrity.policy_len))
			broken("policy text unterminated or too long", "");
		if (request.op == CANISTER_OP_INTEGRITY_READ &&
		    (!canister_integrity_file_name(request.integrity.file) ||
		     request.integrity.offset > (UINT64_C(1) << 53)))
			broken("integrity-read out of range", "");
		if (request.op == CANISTER_OP_INTEGRITY_QUOTE &&
		    (request.integrity.nonce_len < 1 ||
		     request.integrity.nonce_len > CANISTER_INTEGRITY_NONCE_MAX))
			broken("integrity-quote nonce out of range", "");
		if (request.op == CANISTER_OP_INTEGRITY_TPM &&
		    !canister_tpm_choice_name(request.integrity.tpm))
			broken("integrity-tpm choice out of range", "");
		if (request.op == CANISTER_OP_INTEGRITY_KEY_ADD &&
		    (request.integrity.certificate_len < 1 ||
		     request.integrity.certificate_len > CANISTER_INTEGRITY_CERTIFICATE_MAX))
			broken("integrity-key-add certificate out of range", "");
		if (request.op == CANISTER_OP_INTEGRITY_APPRAISE && request.integrity.has_mode &&
		    !canister_appraise_mode_name(request.integrity.mode))
			broken("integrity-appraise mode out of range", "");
		break;
	case CANISTER_OP_POLICY_LOAD:
	case CANISTER_OP_POLICY_SHOW:
		if (request.pid != 0 || request.contid == 0 ||
		    request.contid == CANISTER_CONTID_UNSET)
			broken("policy op with a pid, or a contid out of range", "");
		if (request.policy.policy_len > CANISTER_ACCESS_POLICY_TEXT_MAX ||
		    strlen(request.policy.policy) != request.policy.policy_len)
			broken("access policy text unterminated or too long", "");
		if (!canister_access_mode_name(request.policy.mode))
			broken("policy-load mode out of range", "");
		if (request.op == CANISTER_OP_POLICY_SHOW &&
		    (request.policy.policy_len || request.policy.mode != CANISTER_ACCESS_ENFORCE))
			broken("policy-show with a policy or a mode", "");
		if (request.op == CANISTER_OP_POLICY_LOAD && request.policy.effective)
			broken("policy-load asking for the effective policy", "");
		break;
	case CANISTER_OP_GRANT:
	case CANISTER_OP_REVOKE:
	case CANISTER_OP_GRANT_LIST:
		if (request.pid != 0 || request.contid == 0 ||
		    request.contid == CANISTER_CONTID_UNSET)
			broken("grant op with a pid, or a contid out of range", "");
		if (request.grant.credential &&
		    (request.grant.as_contid == 0 ||
		     request.grant.as_contid == CANISTER_CONTID_UNSET ||
		     request.grant.as_uid > CANISTER_GRANT_UID_MAX ||
		     (request.grant.has_uid && request.grant.uid > CANISTER_GRANT_UID_MAX)))
			broken("a credential out of range", "");
		if ((!request.grant.credential || request.op == CANISTER_OP_GRANT_LIST) &&
		    (request.grant.has_uid || request.grant.as_contid || request.grant.as_uid ||
		     (request.op == CANISTER_OP_GRANT_LIST && request.grant.credential)))
			broken("a host-admin grant, or a list, with a credential's members", "");
		break;
	case CANISTER_OP_MODEL:
	case CANISTER_OP_MODEL_LOAD:
		if (request.pid != 0 || request.contid == 0 ||
		    request.contid == CANISTER_CONTID_UNSET)
			broken("model op with a pid, or a contid out of range", "");
		if (request.op == CANISTER_OP_MODEL &&
		    (!canister_model_action_name(request.model.action) ||
		     request.model.offset > (UINT64_C(1) << 53)))
			broken("model action or offset out of range", "");
		if (request.op == CANISTER_OP_MODEL_LOAD &&
		    (request.model.text_len > CANISTER_MODEL_TEXT_MAX ||
		     strlen(request.model.text) != request.model.text_len))
			broken("model text unterminated or too long", "");
		/* The text, or a memfd passed beside the request: never both. */
		if (request.model.memfd &&
		    (request.op != CANISTER_OP_MODEL_LOAD || request.model.text_len))
			broken("model_memfd with a text, or on another op", "");
		/* The runtime's init: a pid, and only where a domain is made. */
		if (request.model.init > CANISTER_MODEL_INIT_MAX ||
		    (request.model.init && request.op == CANISTER_OP_MODEL &&
		     request.model.action != CANISTER_MODEL_ACT_LEARN))
			broken("model init out of range or out of place", "");
		break;
	default:
		broken("unknown op accepted", "");
	}
	if (!memchr(request.sink.log, '\0', sizeof(request.sink.log)) ||
	    !memchr(request.sink.rules, '\0', sizeof(request.sink.rules)) ||
	    !memchr(request.sink.socket, '\0', sizeof(request.sink.socket)))
		broken("sink path not terminated", "");
	if (!memchr(request.name, '\0', sizeof(request.name)))
		broken("name not terminated", "");
	if (request.has_name) {
		char why[128];

		if (request.op != CANISTER_OP_SET)
			broken("name for an op without one", "");
		/* The daemon records it and puts it in log lines: it must be a name canister takes.
		 */
		if (canister_name_check(request.name, why, sizeof(why)) != 0)
			broken("invalid name accepted", why);
	} else if (request.name[0]) {
		broken("name without has_name", "");
	}
	if (request.has_after &&
	    (request.op != CANISTER_OP_LIST || request.after == CANISTER_CONTID_UNSET))
		broken("after out of place or the unset value", "");
	if (!request.has_after && request.after != 0)
		broken("after without has_after", "");

	len = canister_request_encode(&request, buf, sizeof(buf));
	if (len <= 0)
		broken("accepted request does not encode", "");
	memset(&again, 0x5a, sizeof(again));
	if (canister_request_decode(buf, len, &again, err, sizeof(err)) != 0)
		broken("own encoding refused", err);
	if (!same_request(&request, &again))
		broken("encode then decode changes the request", buf);
	return 0;
}
