// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister: the appraisal a new container starts with (`canister run --ima-key
 * --appraise --ima-host-keys`, the OCI hook's annotations), read before the
 * container is registered and applied before its workload's first exec.
 */
#include "integrity/appraise_setup.h"

#include "lib/client.h"
#include "lib/reply.h"
#include "lib/trusted_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int appraise_setup_add_key(struct appraise_setup *setup, const char *path, char *why,
			   size_t why_len)
{
	struct canister_ima_key key;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (setup->count >= CANISTER_IMA_KEYRING_MAX) {
		snprintf(why, why_len, "%s: more than %d keys for one container", path,
			 CANISTER_IMA_KEYRING_MAX);
		return -ENOSPC;
	}
	r = canister_read_trusted_named_file(path, "certificate file", CANISTER_IMA_KEY_FILE_MAX,
					     &text, &len, why, why_len);
	if (r < 0)
		return r;
	r = canister_ima_key_parse((const uint8_t *)text, len, path, &key, why, why_len);
	if (r < 0) {
		free(text);
		return r;
	}
	canister_ima_key_clear(&key);
	setup->certs[setup->count].data = (uint8_t *)text;
	setup->certs[setup->count].len = len;
	setup->count++;
	return 0;
}

int appraise_setup_apply(const struct appraise_setup *setup, struct canister_client *client,
			 uint64_t contid)
{
	struct canister_appraisal_reply *appraisal;
	int r = 0;

	if (!setup->count && !setup->has_mode && !setup->has_host_keys)
		return 0;
	appraisal = malloc(sizeof(*appraisal));
	if (!appraisal)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < setup->count; i++) {
		r = canister_integrity_key_add(client, contid, setup->certs[i].data,
					       setup->certs[i].len, appraisal);
		if (r == -EEXIST)
			r = 0;
	}
	if (r == 0 && (setup->has_mode || setup->has_host_keys))
		r = canister_integrity_appraise(
			client, contid, setup->has_mode ? &setup->mode : NULL,
			setup->has_host_keys ? &setup->host_keys : NULL, appraisal);
	free(appraisal);
	return r;
}

void appraise_setup_free(struct appraise_setup *setup)
{
	for (size_t i = 0; i < setup->count; i++)
		free(setup->certs[i].data);
	setup->count = 0;
}
