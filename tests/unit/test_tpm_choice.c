// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: a container's TPM choice, as the CLI, the hook, the wire and the saved file spell it.
 */
#include "lib/tpm_choice.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static int parse(const char *text, size_t len, enum canister_tpm_choice *choice, char *why)
{
	return canister_tpm_choice_parse(text, len, choice, why, 128);
}

static void test_words(void **state)
{
	enum canister_tpm_choice choice = CANISTER_TPM_SWTPM;
	char why[128] = "";

	(void)state;
	assert_int_equal(parse("none", 4, &choice, why), 0);
	assert_int_equal(choice, CANISTER_TPM_NONE);
	assert_int_equal(parse("swtpm", 5, &choice, why), 0);
	assert_int_equal(choice, CANISTER_TPM_SWTPM);
	/* The saved file is the word and a newline. */
	assert_int_equal(canister_tpm_choice_parse_file("none\n", 5, &choice, why, 128), 0);
	assert_int_equal(choice, CANISTER_TPM_NONE);
	assert_int_equal(canister_tpm_choice_parse_file("swtpm\n", 6, &choice, why, 128), 0);
	assert_int_equal(choice, CANISTER_TPM_SWTPM);
	assert_string_equal(canister_tpm_choice_name(CANISTER_TPM_NONE), "none");
	assert_string_equal(canister_tpm_choice_name(CANISTER_TPM_SWTPM), "swtpm");
	assert_null(canister_tpm_choice_name((enum canister_tpm_choice)2));
	assert_string_equal(why, "");
}

/* Everything else is refused, the choice untouched, the message quoting what was given. */
static void test_refused(void **state)
{
	enum canister_tpm_choice choice = CANISTER_TPM_SWTPM;
	char why[128];

	(void)state;
	assert_int_equal(parse("tpm", 3, &choice, why), -EINVAL);
	assert_string_equal(why, "'tpm' is no TPM choice (none or swtpm)");
	assert_int_equal(parse("", 0, &choice, why), -EINVAL);
	assert_string_equal(why, "'' is no TPM choice (none or swtpm)");
	assert_int_equal(parse("\n", 1, &choice, why), -EINVAL);
	assert_string_equal(why, "'?' is no TPM choice (none or swtpm)");
	/* A word on the command line or the wire has no newline; the file has exactly one. */
	assert_int_equal(parse("swtpm\n", 6, &choice, why), -EINVAL);
	assert_int_equal(canister_tpm_choice_parse_file("swtpm", 5, &choice, why, 128), -EINVAL);
	assert_string_equal(why, "does not end in a newline (a word and a newline: none or swtpm)");
	assert_int_equal(canister_tpm_choice_parse_file("", 0, &choice, why, 128), -EINVAL);
	assert_int_equal(canister_tpm_choice_parse_file("swtpm\n\n", 7, &choice, why, 128),
			 -EINVAL);
	assert_string_equal(why, "'swtpm?' is no TPM choice (none or swtpm)");
	assert_int_equal(parse("SWTPM", 5, &choice, why), -EINVAL);
	assert_int_equal(parse("swtpm ", 6, &choice, why), -EINVAL);
	assert_int_equal(parse(" none", 5, &choice, why), -EINVAL);
	assert_int_equal(canister_tpm_choice_parse_file("none\r\n", 6, &choice, why, 128), -EINVAL);
	assert_string_equal(why, "'none?' is no TPM choice (none or swtpm)");
	/* A NUL inside is not the end of the word. */
	assert_int_equal(parse("none\0x", 6, &choice, why), -EINVAL);
	assert_int_equal(parse("swtp", 4, &choice, why), -EINVAL);
	/* A long input is cut in the message. */
	assert_int_equal(parse("swtpmswtpmswtpmswtpmswtpmswtpmswtpm", 35, &choice, why), -EINVAL);
	assert_string_equal(
		why, "'swtpmswtpmswtpmswtpmswtpmswtpmsw...' is no TPM choice (none or swtpm)");
	assert_int_equal(choice, CANISTER_TPM_SWTPM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
