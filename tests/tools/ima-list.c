// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: writes a per-container IMA measurement list from real files, and reads one back. */
#include "integrity/boot_aggregate.h"
#include "integrity/ima_list.h"
#include "integrity/ima_pcr.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * ima-list write DIR [--template ima-ng|ima-sig] [--host-ascii FILE] ENTRY...
 *   DIR gets what canisterd will publish per container (binary and ascii
 *   lists, their _sha256 variants, the count) and the two files evmctl's
 *   --pcrs reads (pcrs-sha1, pcrs-sha256).  The first entry is boot_aggregate
 *   (the first line of FILE, else IMA's no-TPM value); an ENTRY is a file,
 *   measured (sha256 of its content, listed under the name given), or
 *   "!NAME", a violation.
 * ima-list read FILE [sha1|sha256]
 *   reads a binary list back as canisterd reloads it and prints the count,
 *   the violations, each entry's layout ("entry START name AT data AT end AT
 *   violation|measured") and the PCR file of each bank; a refusal is one line
 *   on stderr and exit status 1.
 */

static int die(const char *fmt, const char *arg)
{
	fprintf(stderr, "ima-list: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	*ret_len = len;
	return data;
}

static int file_sha256(const char *path, uint8_t digest[32])
{
	size_t len;
	char *data = slurp(path, &len);
	unsigned int out_len;
	int ok;

	if (!data)
		return -1;
	ok = EVP_Digest(data, len, digest, &out_len, EVP_sha256(), NULL);
	free(data);
	return ok == 1 ? 0 : -1;
}

static int write_file(const char *dir, const char *name, const struct canister_ima_list *list,
		      void (*writer)(const struct canister_ima_list *, enum canister_ima_bank,
				     FILE *),
		      enum canister_ima_bank bank)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return die("cannot create %s", path);
	writer(list, bank, f);
	if (fclose(f) != 0)
		return die("cannot write %s", path);
	return 0;
}

static void write_count(const struct canister_ima_list *list, enum canister_ima_bank bank,
			FILE *out)
{
	canister_ima_list_write_count(list, out);
}

static void write_pcrs(const struct canister_ima_list *list, enum canister_ima_bank bank, FILE *out)
{
	canister_ima_pcrs_write(&list->pcrs, bank, out);
}

static int do_write(int argc, char **argv)
{
	enum canister_ima_template template = CANISTER_IMA_TEMPLATE_NG;
	struct canister_ima_boot_aggregate aggregate;
	struct canister_ima_list list;
	const char *dir = argv[0];
	char why[512];
	int i = 1, r = 0;

	canister_ima_boot_aggregate_no_tpm(&aggregate);
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--template") == 0) {
			if (canister_ima_template_by_name(argv[i + 1], strlen(argv[i + 1]),
							  &template) < 0)
				return die("unknown template %s", argv[i + 1]);
		} else if (strcmp(argv[i], "--host-ascii") == 0) {
			size_t len;
			char *text = slurp(argv[i + 1], &len);

			if (!text)
				return die("cannot read %s", argv[i + 1]);
			r = canister_ima_boot_aggregate_parse(text, len, &aggregate, why,
							      sizeof(why));
			free(text);
			if (r < 0)
				return die("%s", why);
		} else {
			return die("unknown option %s", argv[i]);
		}
	}
	canister_ima_list_init(&list);
	if (canister_ima_list_add_boot_aggregate(&list, template, &aggregate) < 0)
		return die("%s", "cannot add boot_aggregate");
	for (; i < argc; i++) {
		uint8_t digest[32];
		struct canister_ima_event event = {
			.template = template,
			.algo = "sha256",
			.path = argv[i][0] == '!' ? argv[i] + 1 : argv[i],
		};

		if (argv[i][0] != '!') {
			if (file_sha256(argv[i], digest) < 0)
				return die("cannot hash %s", argv[i]);
			event.digest = digest;
		}
		r = canister_ima_list_add(&list, &event);
		if (r < 0)
			return die("cannot add %s", argv[i]);
	}
	r = write_file(dir, "binary_runtime_measurements", &list, canister_ima_list_write_binary,
		       CANISTER_IMA_BANK_SHA1) ||
	    write_file(dir, "binary_runtime_measurements_sha256", &list,
		       canister_ima_list_write_binary, CANISTER_IMA_BANK_SHA256) ||
	    write_file(dir, "ascii_runtime_measurements", &list, canister_ima_list_write_ascii,
		       CANISTER_IMA_BANK_SHA1) ||
	    write_file(dir, "ascii_runtime_measurements_sha256", &list,
		       canister_ima_list_write_ascii, CANISTER_IMA_BANK_SHA256) ||
	    write_file(dir, "runtime_measurements_count", &list, write_count,
		       CANISTER_IMA_BANK_SHA1) ||
	    write_file(dir, "pcrs-sha1", &list, write_pcrs, CANISTER_IMA_BANK_SHA1) ||
	    write_file(dir, "pcrs-sha256", &list, write_pcrs, CANISTER_IMA_BANK_SHA256);
	canister_ima_list_free(&list);
	return r;
}

static int do_read(int argc, char **argv)
{
	enum canister_ima_bank bank = CANISTER_IMA_BANK_SHA1;
	struct canister_ima_list list;
	char why[512];
	size_t len;
	char *data;
	int r;

	if (argc > 1 && canister_ima_bank_by_name(argv[1], &bank) < 0)
		return die("unknown bank %s", argv[1]);
	data = slurp(argv[0], &len);
	if (!data)
		return die("cannot read %s", argv[0]);
	r = canister_ima_list_read_binary((const uint8_t *)data, len, bank, &list, why,
					  sizeof(why));
	free(data);
	if (r < 0)
		return die("%s", r == -EINVAL ? why : strerror(-r));
	printf("entries %zu\nviolations %llu\n", list.count, (unsigned long long)list.violations);
	/* Where each entry's parts lie, for cases that change one byte of them. */
	for (size_t i = 0, at = 0; i < list.count; i++) {
		const struct canister_ima_entry *e = &list.entries[i];
		size_t name_at = at + 4 + canister_ima_bank_size(bank) + 4;
		size_t data_at = name_at + strlen(canister_ima_template_name(e->template)) + 4;

		printf("entry %zu name %zu data %zu end %zu %s\n", at, name_at, data_at,
		       data_at + e->data_len, e->violation ? "violation" : "measured");
		at = data_at + e->data_len;
	}
	for (unsigned int b = 0; b < CANISTER_IMA_BANKS; b++) {
		printf("bank %s\n", canister_ima_bank_name(b));
		canister_ima_pcrs_write(&list.pcrs, b, stdout);
	}
	canister_ima_list_free(&list);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "write") == 0)
		return do_write(argc - 2, argv + 2);
	if (argc >= 3 && strcmp(argv[1], "read") == 0)
		return do_read(argc - 2, argv + 2);
	fprintf(stderr, "usage: ima-list write DIR [--template T] [--host-ascii FILE] "
			"[FILE|!NAME]...\n       ima-list read FILE [sha1|sha256]\n");
	return 2;
}
