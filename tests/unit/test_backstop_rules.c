// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the appraisal backstop's pure decisions (integrity/backstop_rules.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/backstop_rules.h"

#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

static uint32_t bits_of(const char *text)
{
	struct canister_ima_policy *policy;
	char why[256];
	uint32_t bits;

	assert_int_equal(
		canister_ima_policy_parse(text, strlen(text), "test", &policy, why, sizeof(why)),
		0);
	bits = backstop_policy_bits(policy);
	canister_ima_policy_free(policy);
	return bits;
}

static void test_policy_bits(void **state)
{
	(void)state;
	assert_int_equal(backstop_policy_bits(NULL), 0);
	assert_int_equal(bits_of("measure func=BPRM_CHECK\n"), 0);
	assert_int_equal(bits_of("appraise func=BPRM_CHECK fowner=1000\n"), CANISTER_BACKSTOP_EXEC);
	assert_int_equal(bits_of("appraise func=MMAP_CHECK mask=MAY_EXEC\n"),
			 CANISTER_BACKSTOP_MMAP);
	/* FILE_CHECK appraisal is the gate's (an open): nothing for the kernel hooks. */
	assert_int_equal(bits_of("appraise func=FILE_CHECK\n"), 0);
	/* A rule without func= matches every hook. */
	assert_int_equal(bits_of("appraise fowner=0\n"),
			 CANISTER_BACKSTOP_EXEC | CANISTER_BACKSTOP_MMAP);
	/* dont_appraise alone binds nothing; a later appraise rule still counts (conditions are
	 * the gate's: a wider set of hooks costs a verdict, never a wrong allow). */
	assert_int_equal(bits_of("dont_appraise fowner=0\n"), 0);
	assert_int_equal(bits_of("dont_appraise fowner=0\nappraise func=BPRM_CHECK\n"),
			 CANISTER_BACKSTOP_EXEC);
}

static void test_container_bits(void **state)
{
	uint32_t both = CANISTER_BACKSTOP_EXEC | CANISTER_BACKSTOP_MMAP;

	(void)state;
	assert_int_equal(backstop_container_bits(CANISTER_APPRAISE_ENFORCE, both), both);
	assert_int_equal(backstop_container_bits(CANISTER_APPRAISE_LOG, CANISTER_BACKSTOP_EXEC),
			 CANISTER_BACKSTOP_EXEC << CANISTER_BACKSTOP_LOG_SHIFT);
	assert_int_equal(backstop_container_bits(CANISTER_APPRAISE_OFF, both), 0);
	/* Enforced or logged, the gate judges the same hooks. */
	assert_int_equal(
		backstop_judged_hooks(backstop_container_bits(CANISTER_APPRAISE_LOG, both)), both);
	assert_int_equal(backstop_judged_hooks(CANISTER_BACKSTOP_MMAP), CANISTER_BACKSTOP_MMAP);
	assert_int_equal(backstop_judged_hooks(0), 0);
}

static void test_verdict(void **state)
{
	struct canister_backstop_verdict verdict;
	struct canister_backstop_key key;
	struct stat st;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.st_dev = makedev(8, 1);
	st.st_ino = 4242;
	st.st_size = 77;
	st.st_ctim.tv_sec = 1700000000;
	st.st_ctim.tv_nsec = 123456789;
	backstop_verdict_of(1123, &st, CANISTER_BACKSTOP_EXEC, &key, &verdict);
	assert_int_equal(key.contid, 1123);
	/* The kernel's s_dev: major << 20 | minor, as BPF reads it from the superblock. */
	assert_int_equal(key.dev, (8ULL << 20) | 1);
	assert_int_equal(key.ino, 4242);
	assert_int_equal(verdict.ctime_sec, 1700000000);
	assert_int_equal(verdict.ctime_nsec, 123456789);
	assert_int_equal(verdict.size, 77);
	assert_int_equal(verdict.allowed, CANISTER_BACKSTOP_EXEC);
	/* Another allowed set is the same version; any moved ctime or size is not. */
	{
		struct canister_backstop_verdict other = verdict;

		other.allowed = CANISTER_BACKSTOP_MMAP;
		assert_true(backstop_same_version(&verdict, &other));
		other.ctime_nsec++;
		assert_false(backstop_same_version(&verdict, &other));
		other = verdict;
		other.size++;
		assert_false(backstop_same_version(&verdict, &other));
		other = verdict;
		other.ctime_sec--;
		assert_false(backstop_same_version(&verdict, &other));
	}
	/* A large minor (minor bits above 8 sit apart in dev_t). */
	assert_int_equal(backstop_kernel_dev(makedev(259, 70000)), (259ULL << 20) | 70000);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(backstop_hook_name(CANISTER_BACKSTOP_HOOK_BPRM), "backstop_bprm_check");
	assert_string_equal(backstop_hook_name(CANISTER_BACKSTOP_HOOK_MMAP), "backstop_mmap_file");
	assert_string_equal(backstop_hook_name(CANISTER_BACKSTOP_HOOK_MPROTECT),
			    "backstop_file_mprotect");
	assert_string_equal(backstop_hook_name(99), "?");
	assert_string_equal(backstop_cause_name(CANISTER_BACKSTOP_NOT_APPRAISED), "not-appraised");
	assert_string_equal(backstop_cause_name(CANISTER_BACKSTOP_CHANGED),
			    "changed-since-appraised");
	assert_string_equal(backstop_cause_name(CANISTER_BACKSTOP_NOT_ALLOWED), "not-allowed");
	assert_string_equal(backstop_cause_name(0), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_bits),
		cmocka_unit_test(test_container_bits),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
