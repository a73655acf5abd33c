// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the contid an OCI container derives from its id (SHA-256, 53 bits). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/oci_contid.h"

#include <errno.h>
#include <stdio.h>

#define CONTID_SENTINEL 0x5a5a5a5a5a5a5a5aULL

/*
 * Expected values come from coreutils, not from this code:
 *   printf %s mycontainer | sha256sum   -> 9f9d0063f5ab4b04...
 *     0x9f9d0063f5ab4b04 & (2^53 - 1) = 0x1d0063f5ab4b04 = 8163203648015108
 *   printf %s 0123...cdef (64 hex digits) | sha256sum -> a8ae6e6ee929abea...
 *     0xa8ae6e6ee929abea & (2^53 - 1) = 0xe6e6ee929abea = 4062072311229418
 * An orchestrator can therefore predict a container's contid with a shell.
 */
static void test_matches_sha256sum(void **state)
{
	static const struct {
		const char *id;
		uint64_t contid;
	} vectors[] = {
		{ "mycontainer", 8163203648015108ULL },
		{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		  4062072311229418ULL },
	};

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		uint64_t contid = CONTID_SENTINEL;

		assert_int_equal(canister_oci_derive_contid(vectors[i].id, &contid), 0);
		assert_true(contid == vectors[i].contid);
	}
}

/* JSON readers that hold numbers in doubles (jq, JavaScript) must see the exact value. */
static void test_fits_in_53_bits(void **state)
{
	for (int i = 0; i < 4096; i++) {
		uint64_t contid = CONTID_SENTINEL;
		char id[32];

		snprintf(id, sizeof(id), "container-%d", i);
		assert_int_equal(canister_oci_derive_contid(id, &contid), 0);
		assert_true(contid <= (1ULL << 53) - 1);
	}
}

static void test_same_id_same_contid(void **state)
{
	uint64_t first = 0, second = CONTID_SENTINEL;

	assert_int_equal(canister_oci_derive_contid("web-1", &first), 0);
	assert_int_equal(canister_oci_derive_contid("web-1", &second), 0);
	assert_true(first == second);
}

static void test_different_ids_differ(void **state)
{
	static const char *const ids[] = { "a", "b", "web-1", "web-2", "Web-1", "web-1 " };
	uint64_t contids[sizeof(ids) / sizeof(ids[0])];

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_int_equal(canister_oci_derive_contid(ids[i], &contids[i]), 0);
		for (size_t j = 0; j < i; j++)
			if (contids[i] == contids[j])
				fail_msg("\"%s\" and \"%s\" give the same contid", ids[i], ids[j]);
	}
}

static void test_refuses_empty_id(void **state)
{
	uint64_t contid = CONTID_SENTINEL;

	assert_int_equal(canister_oci_derive_contid("", &contid), -EINVAL);
	assert_int_equal(canister_oci_derive_contid(NULL, &contid), -EINVAL);
	assert_true(contid == CONTID_SENTINEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_sha256sum),
		cmocka_unit_test(test_fits_in_53_bits),
		cmocka_unit_test(test_same_id_same_contid),
		cmocka_unit_test(test_different_ids_differ),
		cmocka_unit_test(test_refuses_empty_id),
	};

	return cmocka_run_group_tests_name("oci_contid", tests, NULL, NULL);
}
