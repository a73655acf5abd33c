// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: kernel_audit = auto/on/off against who holds the kernel's audit stream. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/source.h"

#include <errno.h>
#include <string.h>

#define SELF 500

static void test_off_never_looks(void **state)
{
	char why[256] = "untouched";

	assert_int_equal(kaudit_source_choose(CANISTER_KERNEL_AUDIT_OFF, 812, true, "auditd", SELF,
					      why, sizeof(why)),
			 CANISTER_AUDIT_SOURCE_OFF);
	assert_string_equal(why, "untouched");
}

/* No holder, a dead one (the kernel clears it only at its next send), or canisterd itself. */
static void test_free_stream_is_taken(void **state)
{
	static const struct {
		uint32_t holder;
		bool alive;
	} free_cases[] = { { 0, false }, { 812, false }, { SELF, true } };
	char why[256];

	for (size_t i = 0; i < sizeof(free_cases) / sizeof(free_cases[0]); i++) {
		assert_int_equal(kaudit_source_choose(CANISTER_KERNEL_AUDIT_AUTO,
						      free_cases[i].holder, free_cases[i].alive,
						      NULL, SELF, why, sizeof(why)),
				 CANISTER_AUDIT_SOURCE_OWN);
		assert_string_equal(why, "kernel_audit = auto: no audit daemon held the stream");
		assert_int_equal(kaudit_source_choose(CANISTER_KERNEL_AUDIT_ON,
						      free_cases[i].holder, free_cases[i].alive,
						      NULL, SELF, why, sizeof(why)),
				 CANISTER_AUDIT_SOURCE_OWN);
	}
}

static void test_living_daemon(void **state)
{
	char why[256];

	assert_int_equal(kaudit_source_choose(CANISTER_KERNEL_AUDIT_AUTO, 812, true, "auditd", SELF,
					      why, sizeof(why)),
			 CANISTER_AUDIT_SOURCE_AUDITD);
	assert_string_equal(why, "kernel_audit = auto: audit daemon pid 812 (auditd) holds the "
				 "stream; its plugin canister-audisp feeds canisterd");
	assert_int_equal(kaudit_source_choose(CANISTER_KERNEL_AUDIT_ON, 812, true, "", SELF, why,
					      sizeof(why)),
			 -EBUSY);
	assert_string_equal(why, "kernel_audit = on: audit daemon pid 812 (?) already receives "
				 "the kernel's records; stop it, or set kernel_audit = auto to "
				 "run beside it");
	/* @why may be NULL. */
	assert_int_equal(
		kaudit_source_choose(CANISTER_KERNEL_AUDIT_AUTO, 812, true, NULL, SELF, NULL, 0),
		CANISTER_AUDIT_SOURCE_AUDITD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_never_looks),
		cmocka_unit_test(test_free_stream_is_taken),
		cmocka_unit_test(test_living_daemon),
	};

	return cmocka_run_group_tests_name("audit_source", tests, NULL, NULL);
}
