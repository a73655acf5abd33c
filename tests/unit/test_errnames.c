// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: errno names as canisterd sends them and libcanister turns them back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/errnames.h"

#include <errno.h>

/*
 * Every errno that canister_set(), canister_get() and the daemon's refusals
 * document must survive the socket, or a client sees EPROTO instead.
 */
static void test_documented_errnos_round_trip(void **state)
{
	static const struct {
		int errnum;
		const char *name;
	} documented[] = {
		{ EINVAL, "EINVAL" }, { EPERM, "EPERM" },   { ESRCH, "ESRCH" },
		{ EXDEV, "EXDEV" },   { EEXIST, "EEXIST" }, { EBUSY, "EBUSY" },
		{ ENOSPC, "ENOSPC" }, { EPROTO, "EPROTO" }, { EMSGSIZE, "EMSGSIZE" },
		{ EAGAIN, "EAGAIN" }, { EIO, "EIO" },	    { ENOENT, "ENOENT" },
		{ EACCES, "EACCES" }, { E2BIG, "E2BIG" },
	};

	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++) {
		const char *name = canister_errno_name(documented[i].errnum);

		if (!name)
			fail_msg("%s has no name on the wire", documented[i].name);
		assert_string_equal(name, documented[i].name);
		assert_int_equal(canister_errno_from_name(name), documented[i].errnum);
	}
}

/* Two errnos sharing a name would turn one refusal into another at the client. */
static void test_every_name_maps_back_to_its_errno(void **state)
{
	int named = 0;

	for (int errnum = 1; errnum < 200; errnum++) {
		const char *name = canister_errno_name(errnum);

		if (!name)
			continue;
		named++;
		if (canister_errno_from_name(name) != errnum)
			fail_msg("%s maps back to %d, not %d", name, canister_errno_from_name(name),
				 errnum);
	}
	assert_true(named >= 13);
}

static void test_unknown_values_are_refused(void **state)
{
	assert_null(canister_errno_name(0));
	assert_null(canister_errno_name(-EPERM)); /* a negative return passed by mistake */
	assert_null(canister_errno_name(100000));
	assert_int_equal(canister_errno_from_name(NULL), 0);
	assert_int_equal(canister_errno_from_name(""), 0);
	assert_int_equal(canister_errno_from_name("eperm"), 0);
	assert_int_equal(canister_errno_from_name("EPERM "), 0);
	assert_int_equal(canister_errno_from_name("EWHATEVER"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_errnos_round_trip),
		cmocka_unit_test(test_every_name_maps_back_to_its_errno),
		cmocka_unit_test(test_unknown_values_are_refused),
	};

	return cmocka_run_group_tests_name("errnames", tests, NULL, NULL);
}
