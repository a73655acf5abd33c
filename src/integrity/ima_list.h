/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a container's IMA measurement list, written and read back in the kernel's formats. */
#ifndef CANISTER_INTEGRITY_IMA_LIST_H
#define CANISTER_INTEGRITY_IMA_LIST_H

#include "integrity/ima_pcr.h"
#include "integrity/ima_template.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The binary list's template name length is a u32, but evmctl refuses more than this. */
#define CANISTER_IMA_TEMPLATE_NAME_MAX 255

struct canister_ima_entry {
	uint32_t pcr;
	enum canister_ima_template template;
	bool violation;
	struct canister_ima_digests digests; /* zeros for a violation, as listed */
	uint8_t *data;			     /* template data, as the binary list holds it */
	uint32_t data_len;
};

/* A list and the PCRs it was extended into; zeroed (or _init) before first use. */
struct canister_ima_list {
	struct canister_ima_entry *entries;
	size_t count;
	size_t capacity;
	uint64_t violations;
	struct canister_ima_pcrs pcrs;
};

void canister_ima_list_init(struct canister_ima_list *list);

/* canister_ima_list_free() - frees the entries; the list is empty (and usable) again. */
void canister_ima_list_free(struct canister_ima_list *list);

/*
 * canister_ima_list_add() - append @event as an entry for PCR 10: its
 * template data, its template digest in each bank (zeros for a violation)
 * and the extension of PCR 10 in each bank.  Returns 0, or an error of
 * canister_ima_template_build() or canister_ima_pcrs_extend(); the list is
 * unchanged on error.
 */
int canister_ima_list_add(struct canister_ima_list *list, const struct canister_ima_event *event);

/*
 * canister_ima_list_add_once() - as canister_ima_list_add(), unless an entry
 * for PCR 10 with the same sha1 template digest is in the list already: then
 * -EEXIST and nothing changes.  This is IMA's own rule (ima_add_template_entry()
 * refuses "hash_exists" through ima_lookup_digest_entry()): for ima-ng the
 * template digest covers the file digest and the path, so a file unchanged
 * since it was listed, even by a canisterd before a restart, is not listed
 * again.  Violations are always added, as IMA adds them.  Linear in the list:
 * it is asked only for a file version not seen since canisterd started.
 */
int canister_ima_list_add_once(struct canister_ima_list *list,
			       const struct canister_ima_event *event);

/*
 * canister_ima_list_write_binary() - binary_runtime_measurements: per entry,
 * in native byte order, u32 PCR, the template digest of @bank (sha1: the
 * classic file of 20-byte digests; sha256: the _sha256 file of kernels from
 * 6.10), u32 name length, the template name, u32 data length, the data.
 */
void canister_ima_list_write_binary(const struct canister_ima_list *list,
				    enum canister_ima_bank bank, FILE *out);

/*
 * canister_ima_list_write_ascii() - ascii_runtime_measurements: per entry
 * "%2d " PCR, the template digest of @bank in hex, " " template name, the
 * fields (canister_ima_template_print()) and "\n".
 */
void canister_ima_list_write_ascii(const struct canister_ima_list *list,
				   enum canister_ima_bank bank, FILE *out);

/*
 * canister_ima_list_write_binary_from(), canister_ima_list_write_ascii_from() -
 * the same, for the entries from index @from on: what a list grew by since it
 * was last written.
 */
void canister_ima_list_write_binary_from(const struct canister_ima_list *list,
					 enum canister_ima_bank bank, size_t from, FILE *out);
void canister_ima_list_write_ascii_from(const struct canister_ima_list *list,
					enum canister_ima_bank bank, size_t from, FILE *out);

/* canister_ima_list_write_count() - runtime_measurements_count: the entries (violations too),
 * "%zu\n". */
void canister_ima_list_write_count(const struct canister_ima_list *list, FILE *out);

/*
 * canister_ima_list_read_binary() - a binary list (@len bytes at @data, as
 * canister_ima_list_write_binary() with @bank wrote it, or the kernel) back
 * into *ret_list, its PCRs replayed and its count and violations recounted:
 * what canisterd reloads after a restart.  Every entry must be whole, name
 * ima-ng or ima-sig, hold well-formed template data, and carry its data's
 * template digest (or zeros: a violation); *ret_list is written only on
 * success.  Returns 0, or:
 *   -EINVAL  the list is corrupt or truncated; @why says how, naming the
 *            entry (from 1) and the byte offset in @data
 *   -ENOMEM, -EIO  libcrypto or memory failed
 */
int canister_ima_list_read_binary(const uint8_t *data, size_t len, enum canister_ima_bank bank,
				  struct canister_ima_list *ret_list, char *why, size_t why_len);

#endif
