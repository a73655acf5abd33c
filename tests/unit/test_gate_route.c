// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: where the file gate sends one permission event (integrity/gate_route.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/gate_route.h"

static struct gate_route_facts facts(pid_t pid, bool labelled)
{
	return (struct gate_route_facts){ .pid = pid,
					  .self = 100,
					  .labelled = labelled,
					  .pending = 0,
					  .pending_max = 8,
					  .container_pending = 0,
					  .container_max = 2 };
}

static void test_own_opens_first(void **state)
{
	struct gate_route_facts f = facts(100, true);

	/* Even a full gate answers canisterd at once: a judge may be waiting on that open. */
	f.pending = f.pending_max;
	f.container_pending = f.container_max;
	assert_int_equal(gate_route(&f), GATE_ROUTE_SELF);
}

static void test_host_passes(void **state)
{
	struct gate_route_facts f = facts(200, false);

	assert_int_equal(gate_route(&f), GATE_ROUTE_HOST);
	f.pending = f.pending_max;
	assert_int_equal(gate_route(&f), GATE_ROUTE_HOST);
}

static void test_container_judged(void **state)
{
	struct gate_route_facts f = facts(200, true);

	assert_int_equal(gate_route(&f), GATE_ROUTE_JUDGE);
	f.pending = f.pending_max - 1;
	f.container_pending = f.container_max - 1;
	assert_int_equal(gate_route(&f), GATE_ROUTE_JUDGE);
}

static void test_no_room(void **state)
{
	struct gate_route_facts f = facts(200, true);

	f.pending = f.pending_max;
	assert_int_equal(gate_route(&f), GATE_ROUTE_BUSY);
	/* One container's share is used up: its own events only. */
	f = facts(200, true);
	f.container_pending = f.container_max;
	f.pending = f.container_max;
	assert_int_equal(gate_route(&f), GATE_ROUTE_BUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_opens_first),
		cmocka_unit_test(test_host_passes),
		cmocka_unit_test(test_container_judged),
		cmocka_unit_test(test_no_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
