/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the boot_aggregate a container's list starts with: the host's, or IMA's no-TPM value.
 */
#ifndef CANISTER_INTEGRITY_BOOT_AGGREGATE_H
#define CANISTER_INTEGRITY_BOOT_AGGREGATE_H

#include "integrity/ima_list.h"
#include "integrity/ima_template.h"

#include <stddef.h>
#include <stdint.h>

/* IMA's name for the first entry (ima_init.c's boot_aggregate_name). */
#define CANISTER_IMA_BOOT_AGGREGATE_NAME "boot_aggregate"

struct canister_ima_boot_aggregate {
	char algo[CANISTER_IMA_ALGO_NAME_MAX + 1];
	uint8_t digest[CANISTER_IMA_DIGEST_MAX];
	unsigned int digest_len;
};

/*
 * canister_ima_boot_aggregate_no_tpm() - what IMA records when it has no TPM:
 * ima_add_boot_aggregate() leaves the digest zeroed, so "sha256:" and 32 zero
 * bytes with IMA's default hash (a hashed entry, not a violation).
 */
void canister_ima_boot_aggregate_no_tpm(struct canister_ima_boot_aggregate *ret_aggregate);

/*
 * canister_ima_boot_aggregate_parse() - the host's boot_aggregate from the
 * first line of its /sys/kernel/security/ima/ascii_runtime_measurements
 * (@text, @len bytes; anything after the first newline is ignored):
 * "PCR TEMPLATE-HASH TEMPLATE ALGO:HEX boot_aggregate[ SIG]" for ima-ng,
 * ima-sig and other d-ng templates, or "PCR TEMPLATE-HASH ima HEX
 * boot_aggregate" (sha1) for the old ima template.  Returns 0, or -EINVAL
 * with the reason in @why: not such a line, an unknown algorithm, a digest of
 * the wrong size, or an entry other than boot_aggregate.
 */
int canister_ima_boot_aggregate_parse(const char *text, size_t len,
				      struct canister_ima_boot_aggregate *ret_aggregate, char *why,
				      size_t why_len);

/*
 * canister_ima_list_add_boot_aggregate() - @aggregate as @list's first entry,
 * in @template.  Returns 0, -EEXIST when the list already has entries, or an
 * error of canister_ima_list_add().
 */
int canister_ima_list_add_boot_aggregate(struct canister_ima_list *list,
					 enum canister_ima_template template,
					 const struct canister_ima_boot_aggregate *aggregate);

#endif
