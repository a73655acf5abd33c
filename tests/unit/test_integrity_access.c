// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: who may read a container's lists and set its policy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/access.h"

#include <canister/abi.h>
#include <errno.h>
#include <string.h>

#define UNSET CANISTER_CONTID_UNSET

/* Container 9, nested in 5, nested in 2; registered by delegation 3. */
static const uint64_t chain[] = { 9, 5, 2 };
static const struct integrity_target target = {
	.contid = 9, .owner = 3, .chain = chain, .depth = 3
};

static int check(struct integrity_caller caller, enum integrity_access what, char *why)
{
	why[0] = '\0';
	return integrity_access_check(&caller, &target, what, why, 256);
}

static void test_host_admin_may_do_both(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(check((struct integrity_caller){ .host_admin = true, .contid = UNSET },
			       INTEGRITY_SET, why),
			 0);
	assert_int_equal(check((struct integrity_caller){ .host_admin = true, .contid = UNSET },
			       INTEGRITY_READ, why),
			 0);
}

static void test_owner_may_do_both(void **state)
{
	struct integrity_caller owner = { .contid = 5, .delegation = 3 };
	char why[256];

	(void)state;
	assert_int_equal(check(owner, INTEGRITY_SET, why), 0);
	assert_int_equal(check(owner, INTEGRITY_READ, why), 0);
	/* Another orchestrator, outside containers, may not. */
	owner = (struct integrity_caller){ .contid = UNSET, .delegation = 4 };
	assert_int_equal(check(owner, INTEGRITY_SET, why), -EPERM);
	assert_string_equal(why, "only the host's audit administrator or the orchestrator that "
				 "registered container 9 may set its policy or its TPM");
	assert_int_equal(check(owner, INTEGRITY_READ, why), -EPERM);
}

static void test_inside_reads_own_and_nested_only(void **state)
{
	char why[256];

	(void)state;
	/* In 9 itself, in 5 and in 2: 9 is theirs or nested in theirs. */
	assert_int_equal(check((struct integrity_caller){ .contid = 9 }, INTEGRITY_READ, why), 0);
	assert_int_equal(check((struct integrity_caller){ .contid = 5 }, INTEGRITY_READ, why), 0);
	assert_int_equal(check((struct integrity_caller){ .contid = 2 }, INTEGRITY_READ, why), 0);
	/* A sibling or a child of 9 may not. */
	assert_int_equal(check((struct integrity_caller){ .contid = 7 }, INTEGRITY_READ, why),
			 -EPERM);
	assert_string_equal(why, "a process in container 7 may read the lists of that container "
				 "and of those nested in it, not container 9's");
	/* Nobody inside sets a policy, not even for its own container. */
	assert_int_equal(check((struct integrity_caller){ .contid = 9 }, INTEGRITY_SET, why),
			 -EPERM);
}

static void test_unprivileged_host_process_is_refused(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(check((struct integrity_caller){ .contid = UNSET }, INTEGRITY_READ, why),
			 -EPERM);
	assert_non_null(strstr(why, "may read its lists"));
	/* Delegation 0 is the host's owner number, never a caller's match. */
	assert_int_equal(integrity_access_check(&(struct integrity_caller){ .contid = UNSET },
						&(struct integrity_target){
							.contid = 9, .chain = chain, .depth = 3 },
						INTEGRITY_SET, why, sizeof(why)),
			 -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_admin_may_do_both),
		cmocka_unit_test(test_owner_may_do_both),
		cmocka_unit_test(test_inside_reads_own_and_nested_only),
		cmocka_unit_test(test_unprivileged_host_process_is_refused),
	};

	return cmocka_run_group_tests_name("integrity_access", tests, NULL, NULL);
}
