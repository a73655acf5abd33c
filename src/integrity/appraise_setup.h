/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister: the appraisal a new container starts with (`canister run --ima-key
 * --appraise --ima-host-keys`, the OCI hook's annotations), read before the
 * container is registered and applied before its workload's first exec.
 */
#ifndef CANISTER_INTEGRITY_APPRAISE_SETUP_H
#define CANISTER_INTEGRITY_APPRAISE_SETUP_H

#include "integrity/ima_keys.h"
#include "lib/protocol.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct canister_client;

struct appraise_setup {
	struct {
		uint8_t *data; /* the certificate file's bytes */
		size_t len;
	} certs[CANISTER_IMA_KEYRING_MAX];
	size_t count;
	bool has_mode;
	enum canister_appraise_mode mode;
	bool has_host_keys;
	bool host_keys;
};

/*
 * appraise_setup_add_key() - the certificate file @path, read as the caller
 * may read it (canister_read_trusted_named_file(): a regular file, not a
 * symlink, owned by the caller, not writable by group or others) and
 * checked as canisterd will check it, joins @setup.  Returns 0, or -errno with
 * "PATH: reason" in @why and @setup unchanged (-ENOSPC: more than
 * CANISTER_IMA_KEYRING_MAX keys).
 */
int appraise_setup_add_key(struct appraise_setup *setup, const char *path, char *why,
			   size_t why_len);

/*
 * appraise_setup_apply() - @setup for container @contid through @client: each
 * key (one it has already counts as added: a run that joins a live container
 * asks again), then the mode and host-keys choice.  Returns 0, or the first
 * refusal's -errno (its words in canister_client_error()).
 */
int appraise_setup_apply(const struct appraise_setup *setup, struct canister_client *client,
			 uint64_t contid);

/* appraise_setup_free() - the certificates' bytes go; @setup is empty again. */
void appraise_setup_free(struct appraise_setup *setup);

#endif
