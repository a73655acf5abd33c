// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: canister_ima_list_read_binary() on arbitrary bytes, and round trips.
 */
#include "integrity/boot_aggregate.h"
#include "integrity/ima_list.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *why)
{
	fprintf(stderr, "invariant broken: %s (why \"%s\")\n", what, why);
	abort();
}

/* canisterd logs the reason as one line: it must name where the list went wrong. */
static void check_reason(const char *why, size_t why_size)
{
	if (!memchr(why, '\0', why_size))
		broken("reason not NUL-terminated", "");
	for (const char *p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			broken("reason has a control or non-ASCII byte", why);
	if (strncmp(why, "binary measurement list: entry ", 31) != 0 || !strstr(why, " at offset "))
		broken("reason does not name the entry and the offset", why);
}

static char *written(const struct canister_ima_list *list, enum canister_ima_bank bank, int ascii,
		     size_t *ret_len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, ret_len);

	if (!f)
		abort();
	if (ascii)
		canister_ima_list_write_ascii(list, bank, f);
	else
		canister_ima_list_write_binary(list, bank, f);
	if (fclose(f) != 0)
		abort();
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks the bank the list's digests are in; the rest is the list. */
	enum canister_ima_bank bank =
		size && (data[0] & 1) ? CANISTER_IMA_BANK_SHA256 : CANISTER_IMA_BANK_SHA1;
	struct canister_ima_list list, again;
	char why[512], *text;
	size_t len;
	int r;

	if (size)
		data++, size--;

	/* The same bytes as the host's ascii list: a refusal is still one printable line. */
	struct canister_ima_boot_aggregate aggregate;
	why[0] = '\0';
	if (canister_ima_boot_aggregate_parse((const char *)data, size, &aggregate, why,
					      sizeof(why)) < 0) {
		for (const char *p = why; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				broken("boot_aggregate reason has a control or non-ASCII byte",
				       why);
	} else if (!canister_ima_hash_algo_find(aggregate.algo, strlen(aggregate.algo))) {
		broken("boot_aggregate with an unknown algorithm", aggregate.algo);
	}

	memset(&list, 0xa5, sizeof(list));
	memset(why, 'x', sizeof(why));
	r = canister_ima_list_read_binary(data, size, bank, &list, why, sizeof(why));
	if (r < 0) {
		if (r != -EINVAL && r != -ENOMEM && r != -EIO)
			broken("undocumented errno", why);
		if (r == -EINVAL)
			check_reason(why, sizeof(why));
		if (((uint8_t *)&list)[0] != 0xa5)
			broken("list written on error", why);
		return 0;
	}

	/* A list taken back is written again byte for byte: nothing is lost or made up. */
	text = written(&list, bank, 0, &len);
	if (len != size || memcmp(text, data, size) != 0)
		broken("accepted list differs when written back", "");
	free(text);

	/* Written in the other bank, it reads back to the same PCRs and count. */
	text = written(&list, !bank, 0, &len);
	if (canister_ima_list_read_binary((uint8_t *)text, len, !bank, &again, why, sizeof(why)))
		broken("list written in the other bank is refused", why);
	if (again.count != list.count || again.violations != list.violations ||
	    memcmp(&again.pcrs, &list.pcrs, sizeof(list.pcrs)) != 0)
		broken("list changes when written in the other bank", "");
	free(text);
	canister_ima_list_free(&again);

	/* One ascii line per entry. */
	text = written(&list, bank, 1, &len);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (lines < list.count)
		broken("fewer ascii lines than entries", "");
	free(text);
	canister_ima_list_free(&list);
	return 0;
}
