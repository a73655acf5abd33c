// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the gate's appraisal answer and IMA's cause words
 * (integrity/appraise_verdict.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/appraise_verdict.h"

#include <string.h>

static void test_level_asked(void **state)
{
	struct canister_ima_decision appraise = { .actions = CANISTER_IMA_APPRAISE };
	struct canister_ima_decision measure = { .actions = CANISTER_IMA_MEASURE };

	(void)state;
	assert_false(appraise_level_asked(&appraise, CANISTER_APPRAISE_OFF));
	assert_true(appraise_level_asked(&appraise, CANISTER_APPRAISE_LOG));
	assert_true(appraise_level_asked(&appraise, CANISTER_APPRAISE_ENFORCE));
	/* A mode without a matching appraise rule (or after a dont_appraise) asks nothing. */
	assert_false(appraise_level_asked(&measure, CANISTER_APPRAISE_ENFORCE));
}

static void test_answer(void **state)
{
	struct appraise_level chain[2] = {
		{ CANISTER_APPRAISE_OFF, APPRAISE_NOT_ASKED },
		{ CANISTER_APPRAISE_ENFORCE, APPRAISE_PASSED },
	};

	(void)state;
	assert_true(appraise_answer(chain, 2, true));
	/* An ancestor in enforce that fails binds the container nested in it. */
	chain[1].outcome = APPRAISE_FAILED;
	assert_false(appraise_answer(chain, 2, false));
	/* Log records only, at any level. */
	chain[1].mode = CANISTER_APPRAISE_LOG;
	assert_true(appraise_answer(chain, 2, true));
	chain[0] = (struct appraise_level){ CANISTER_APPRAISE_LOG, APPRAISE_FAILED };
	assert_true(appraise_answer(chain, 2, true));
	/* One failing level in enforce denies even when the other passed. */
	chain[0] = (struct appraise_level){ CANISTER_APPRAISE_ENFORCE, APPRAISE_FAILED };
	chain[1] = (struct appraise_level){ CANISTER_APPRAISE_ENFORCE, APPRAISE_PASSED };
	assert_false(appraise_answer(chain, 2, false));
	/* A file that did not read: the fail policy, and only in enforce. */
	chain[0].outcome = APPRAISE_UNREADABLE;
	assert_true(appraise_answer(chain, 2, false));
	assert_false(appraise_answer(chain, 2, true));
	chain[0].mode = CANISTER_APPRAISE_LOG;
	assert_true(appraise_answer(chain, 2, true));
	assert_true(appraise_answer(chain, 0, true));
}

/* IMA's new file, as far as the gate can see it: empty, no value, and the opener writes. */
static void test_new_file(void **state)
{
	(void)state;
	assert_true(appraise_new_file(CANISTER_IMA_FAIL_NO_XATTR, 0, true));
	/* IMA passes only what this open created; the gate cannot see that, so content never. */
	assert_false(appraise_new_file(CANISTER_IMA_FAIL_NO_XATTR, 1, true));
	/* A reader of an empty file without a value is refused, as IMA refuses it. */
	assert_false(appraise_new_file(CANISTER_IMA_FAIL_NO_XATTR, 0, false));
	/* A value that fails is no new file's (IMA_NEW_FILE is for a missing value only). */
	assert_false(appraise_new_file(CANISTER_IMA_FAIL_HASH_MISMATCH, 0, true));
	assert_false(appraise_new_file(CANISTER_IMA_FAIL_SIGNATURE_REQUIRED, 0, true));
	assert_false(appraise_new_file(CANISTER_IMA_FAIL_BAD_SIGNATURE, 0, true));
	assert_false(appraise_new_file(CANISTER_IMA_FAIL_INVALID_XATTR, 0, true));
	assert_false(appraise_new_file(CANISTER_IMA_FAIL_UNKNOWN_KEY, 0, true));
}

/* IMA's signed files: an opener that writes is refused a signed file, never a hash value. */
static void test_signed_immutable(void **state)
{
	(void)state;
	assert_true(appraise_signed_immutable(CANISTER_IMA_PASS_SIGNED, true));
	assert_false(appraise_signed_immutable(CANISTER_IMA_PASS_SIGNED, false));
	/* IMA writes a hash value again at the last close: a hash value may be opened to write. */
	assert_false(appraise_signed_immutable(CANISTER_IMA_PASS_HASH, true));
	/* A failed verdict is refused anyway, under its own cause. */
	assert_false(appraise_signed_immutable(CANISTER_IMA_FAIL_BAD_SIGNATURE, true));
}

static void test_causes(void **state)
{
	(void)state;
	assert_null(appraise_cause(CANISTER_IMA_PASS_SIGNED, true));
	assert_null(appraise_cause(CANISTER_IMA_PASS_HASH, false));
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_NO_XATTR, false), "missing-hash");
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_NO_XATTR, true),
			    "IMA-signature-required");
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_SIGNATURE_REQUIRED, true),
			    "IMA-signature-required");
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_HASH_MISMATCH, false), "invalid-hash");
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_UNKNOWN_KEY, true),
			    "invalid-signature");
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_BAD_SIGNATURE, false),
			    "invalid-signature");
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_INVALID_XATTR, true),
			    "unknown-ima-data");
	assert_string_equal(appraise_cause(CANISTER_IMA_FAIL_UNSUPPORTED, false),
			    "unknown-ima-data");
}

static void test_cached(void **state)
{
	const struct appraise_cached verdict = { .generation = 0x0102030405060708ULL,
						 .signature_required = true,
						 .pass = false,
						 .reason = CANISTER_IMA_FAIL_BAD_SIGNATURE };
	struct appraise_cached back;
	uint8_t value[32];

	(void)state;
	appraise_cached_pack(&verdict, value);
	assert_true(appraise_cached_unpack(value, verdict.generation, true, &back));
	assert_int_equal(back.generation, verdict.generation);
	assert_true(back.signature_required);
	assert_false(back.pass);
	assert_int_equal(back.reason, CANISTER_IMA_FAIL_BAD_SIGNATURE);
	/* Keys or mode changed since (another snapshot), or another rule: stale. */
	assert_false(appraise_cached_unpack(value, verdict.generation + 1, true, &back));
	assert_false(appraise_cached_unpack(value, verdict.generation, false, &back));
	/* A value that is no verdict (a zeroed slot, a reason out of range). */
	memset(value, 0, sizeof(value));
	assert_false(appraise_cached_unpack(value, 0, false, &back));
	appraise_cached_pack(&verdict, value);
	value[3] = 0xee;
	assert_false(appraise_cached_unpack(value, verdict.generation, true, &back));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_asked), cmocka_unit_test(test_answer),
		cmocka_unit_test(test_new_file),    cmocka_unit_test(test_signed_immutable),
		cmocka_unit_test(test_causes),	    cmocka_unit_test(test_cached),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
