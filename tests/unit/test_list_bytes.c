// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a list's published bytes grow by its new entries only, and equal a full
 * write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/ima_list.h"
#include "integrity/list_bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_file(struct canister_ima_list *list, unsigned int n, bool violation)
{
	uint8_t digest[32];
	char path[64];
	struct canister_ima_event event = {
		.template = CANISTER_IMA_TEMPLATE_NG,
		.algo = "sha256",
		.digest = violation ? NULL : digest,
		.path = path,
	};

	memset(digest, (int)n, sizeof(digest));
	snprintf(path, sizeof(path), "/usr/bin/prog-%u", n);
	assert_int_equal(canister_ima_list_add(list, &event), 0);
}

/* Each file's bytes must be exactly what writing the whole list gives. */
static void assert_bytes_are_list(const struct list_bytes *bytes,
				  const struct canister_ima_list *list)
{
	static const struct {
		enum list_bytes_file file;
		bool ascii;
		enum canister_ima_bank bank;
	} files[] = {
		{ LIST_BYTES_BINARY_SHA1, false, CANISTER_IMA_BANK_SHA1 },
		{ LIST_BYTES_BINARY_SHA256, false, CANISTER_IMA_BANK_SHA256 },
		{ LIST_BYTES_ASCII_SHA1, true, CANISTER_IMA_BANK_SHA1 },
		{ LIST_BYTES_ASCII_SHA256, true, CANISTER_IMA_BANK_SHA256 },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *whole = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&whole, &len);

		assert_non_null(out);
		if (files[i].ascii)
			canister_ima_list_write_ascii(list, files[i].bank, out);
		else
			canister_ima_list_write_binary(list, files[i].bank, out);
		assert_int_equal(fclose(out), 0);
		assert_int_equal(bytes->file[files[i].file].len, len);
		assert_memory_equal(bytes->file[files[i].file].data, whole, len);
		free(whole);
	}
	assert_int_equal(bytes->entries, list->count);
}

/* The defect: every publish formatted every entry (8,300 violations took 12 CPU minutes). */
static void test_only_new_entries_are_formatted(void **state)
{
	struct canister_ima_list list;
	struct list_bytes bytes;

	(void)state;
	canister_ima_list_init(&list);
	list_bytes_init(&bytes);
	for (unsigned int n = 0; n < 100; n++) {
		add_file(&list, n, n % 7 == 3);
		assert_int_equal(list_bytes_update(&bytes, &list), 0);
	}
	/* Four files, each entry formatted once: 400, where reformatting would be 4 * 5050. */
	assert_int_equal(bytes.formatted, 4 * 100);
	assert_bytes_are_list(&bytes, &list);

	/* Nothing new: nothing formatted. */
	assert_int_equal(list_bytes_update(&bytes, &list), 0);
	assert_int_equal(bytes.formatted, 4 * 100);

	/* Several entries at once. */
	for (unsigned int n = 100; n < 110; n++)
		add_file(&list, n, false);
	assert_int_equal(list_bytes_update(&bytes, &list), 0);
	assert_int_equal(bytes.formatted, 4 * 110);
	assert_bytes_are_list(&bytes, &list);
	list_bytes_free(&bytes);
	canister_ima_list_free(&list);
}

/* A replaced list (a reload, a list started again) is formatted from its start. */
static void test_replaced_list(void **state)
{
	struct canister_ima_list list;
	struct list_bytes bytes;

	(void)state;
	canister_ima_list_init(&list);
	list_bytes_init(&bytes);
	for (unsigned int n = 0; n < 5; n++)
		add_file(&list, n, false);
	assert_int_equal(list_bytes_update(&bytes, &list), 0);

	/* Shorter: taken as new without being told. */
	canister_ima_list_free(&list);
	add_file(&list, 40, false);
	add_file(&list, 41, true);
	assert_int_equal(list_bytes_update(&bytes, &list), 0);
	assert_bytes_are_list(&bytes, &list);

	/* As long or longer: the caller forgets first. */
	canister_ima_list_free(&list);
	for (unsigned int n = 50; n < 53; n++)
		add_file(&list, n, false);
	list_bytes_forget(&bytes);
	assert_int_equal(list_bytes_update(&bytes, &list), 0);
	assert_bytes_are_list(&bytes, &list);

	/* An empty list has empty files. */
	canister_ima_list_free(&list);
	list_bytes_forget(&bytes);
	assert_int_equal(list_bytes_update(&bytes, &list), 0);
	for (size_t i = 0; i < LIST_BYTES_FILES; i++)
		assert_int_equal(bytes.file[i].len, 0);
	list_bytes_free(&bytes);
	canister_ima_list_free(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_new_entries_are_formatted),
		cmocka_unit_test(test_replaced_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
