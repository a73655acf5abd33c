// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the boot_aggregate a container's list starts with: the host's, or IMA's no-TPM value.
 */
#include "integrity/boot_aggregate.h"

#include "lib/why.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The most fields a line of a d-ng template has that canister cares about. */
#define LINE_FIELDS_MAX 6

void canister_ima_boot_aggregate_no_tpm(struct canister_ima_boot_aggregate *ret_aggregate)
{
	memset(ret_aggregate, 0, sizeof(*ret_aggregate));
	strcpy(ret_aggregate->algo, "sha256");
	ret_aggregate->digest_len = 32;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Lowercase hex of exactly @size bytes, as ima_print_digest() writes it. */
static bool parse_hex(const char *hex, size_t hex_len, uint8_t *out, unsigned int size)
{
	if (hex_len != 2 * (size_t)size)
		return false;
	for (unsigned int i = 0; i < size; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

int canister_ima_boot_aggregate_parse(const char *text, size_t len,
				      struct canister_ima_boot_aggregate *ret_aggregate, char *why,
				      size_t why_len)
{
	struct canister_ima_boot_aggregate aggregate = { 0 };
	const struct canister_ima_hash_algo *algo;
	const char *field[LINE_FIELDS_MAX], *end, *p, *digest, *colon;
	size_t field_len[LINE_FIELDS_MAX], digest_len, algo_len;
	char quoted[65];
	unsigned int fields = 0;

	end = memchr(text, '\n', len);
	if (!end)
		end = text + len;
	/* The kernel separates fields by one space; an empty ima-sig sig field leaves a last one.
	 */
	for (p = text; p < end && fields < LINE_FIELDS_MAX;) {
		const char *space = memchr(p, ' ', (size_t)(end - p));
		const char *stop = space ? space : end;

		field[fields] = p;
		field_len[fields++] = (size_t)(stop - p);
		p = space ? space + 1 : end;
	}
	if (fields < 5)
		return canister_refuse(why, why_len, -EINVAL,
				       "first measurement: %u fields, expected PCR, template hash, "
				       "template, digest, name",
				       fields);
	if (field_len[4] != strlen(CANISTER_IMA_BOOT_AGGREGATE_NAME) ||
	    memcmp(field[4], CANISTER_IMA_BOOT_AGGREGATE_NAME, field_len[4]) != 0)
		return canister_refuse(
			why, why_len, -EINVAL, "first measurement is \"%s\", not boot_aggregate",
			canister_ima_printable(field[4], field_len[4], quoted, sizeof(quoted)));

	if (field_len[2] == 3 && memcmp(field[2], "ima", 3) == 0) {
		/* The original template: a bare sha1 digest, no algorithm prefix. */
		algo = canister_ima_hash_algo_find("sha1", 4);
		digest = field[3];
		digest_len = field_len[3];
	} else {
		colon = memchr(field[3], ':', field_len[3]);
		if (!colon)
			return canister_refuse(why, why_len, -EINVAL,
					       "boot_aggregate digest has no \"ALGO:\"");
		algo_len = (size_t)(colon - field[3]);
		algo = canister_ima_hash_algo_find(field[3], algo_len);
		if (!algo)
			return canister_refuse(
				why, why_len, -EINVAL,
				"boot_aggregate digest: unknown algorithm \"%s\"",
				canister_ima_printable(field[3], algo_len, quoted, 17));
		digest = colon + 1;
		digest_len = field_len[3] - algo_len - 1;
	}
	if (!parse_hex(digest, digest_len, aggregate.digest, algo->size))
		return canister_refuse(why, why_len, -EINVAL,
				       "boot_aggregate digest is not %u bytes of lowercase hex",
				       algo->size);
	strcpy(aggregate.algo, algo->name);
	aggregate.digest_len = algo->size;
	*ret_aggregate = aggregate;
	return 0;
}

int canister_ima_list_add_boot_aggregate(struct canister_ima_list *list,
					 enum canister_ima_template template,
					 const struct canister_ima_boot_aggregate *aggregate)
{
	struct canister_ima_event event = {
		.template = template,
		.algo = aggregate->algo,
		.digest = aggregate->digest,
		.path = CANISTER_IMA_BOOT_AGGREGATE_NAME,
	};

	if (list->count)
		return -EEXIST;
	return canister_ima_list_add(list, &event);
}
