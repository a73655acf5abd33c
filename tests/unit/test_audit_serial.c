// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for canister_serial_next(): canister's stamps never equal one the kernel gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/serial.h"

#include <errno.h>
#include <stdlib.h>

static void test_first_record_in_a_millisecond_takes_serial_zero(void **unused)
{
	struct canister_serial_state state = { 0 };
	uint32_t serial = 99;

	assert_int_equal(canister_serial_next(&state, 1000, &serial), 0);
	assert_int_equal(serial, 0);
	assert_int_equal(canister_serial_next(&state, 1001, &serial), 0);
	assert_int_equal(serial, 0);
}

static void test_second_record_waits_without_a_kernel_serial(void **unused)
{
	struct canister_serial_state state = { 0 };
	uint32_t serial;

	assert_int_equal(canister_serial_next(&state, 1000, &serial), 0);
	assert_int_equal(canister_serial_next(&state, 1000, &serial), -EAGAIN);
	assert_int_equal(canister_serial_next(&state, 1001, &serial), 0);
	assert_int_equal(serial, 0);
}

static void test_further_records_borrow_spent_kernel_serials(void **unused)
{
	struct canister_serial_state state = { 0 };
	uint32_t serial;

	canister_serial_kernel_seen(&state, 500, 990);
	canister_serial_kernel_seen(&state, 498, 995); /* out of order: the maximum stays */
	assert_int_equal(canister_serial_next(&state, 1000, &serial), 0);
	assert_int_equal(serial, 0);
	assert_int_equal(canister_serial_next(&state, 1000, &serial), 0);
	assert_int_equal(serial, 500);
	assert_int_equal(canister_serial_next(&state, 1000, &serial), 0);
	assert_int_equal(serial, 499);
	assert_int_equal(canister_serial_next(&state, 1001, &serial), 0);
	assert_int_equal(serial, 0);
	assert_int_equal(canister_serial_next(&state, 1001, &serial), 0);
	assert_int_equal(serial, 500);
}

static void test_no_borrowing_in_the_millisecond_of_the_delivery(void **unused)
{
	struct canister_serial_state state = { 0 };
	uint32_t serial;

	/* The kernel may still stamp later events with this millisecond. */
	canister_serial_kernel_seen(&state, 500, 1000);
	assert_int_equal(canister_serial_next(&state, 1000, &serial), 0);
	assert_int_equal(serial, 0);
	assert_int_equal(canister_serial_next(&state, 1000, &serial), -EAGAIN);
	/* A re-delivery of the maximum moves its time. */
	canister_serial_kernel_seen(&state, 500, 1001);
	assert_int_equal(canister_serial_next(&state, 1001, &serial), 0);
	assert_int_equal(canister_serial_next(&state, 1001, &serial), -EAGAIN);
	assert_int_equal(canister_serial_next(&state, 1002, &serial), 0);
	assert_int_equal(canister_serial_next(&state, 1002, &serial), 0);
	assert_int_equal(serial, 500);
}

static void test_never_borrows_below_one(void **unused)
{
	struct canister_serial_state state = { 0 };
	uint32_t serial;

	canister_serial_kernel_seen(&state, 2, 10);
	assert_int_equal(canister_serial_next(&state, 20, &serial), 0);
	assert_int_equal(canister_serial_next(&state, 20, &serial), 0);
	assert_int_equal(serial, 2);
	assert_int_equal(canister_serial_next(&state, 20, &serial), 0);
	assert_int_equal(serial, 1);
	assert_int_equal(canister_serial_next(&state, 20, &serial), -EAGAIN);
}

static void test_clock_set_back_counts_as_the_same_millisecond(void **unused)
{
	struct canister_serial_state state = { 0 };
	uint32_t serial;

	assert_int_equal(canister_serial_next(&state, 5000, &serial), 0);
	assert_int_equal(canister_serial_next(&state, 4000, &serial), -EAGAIN);
}

static void test_a_wrapped_kernel_counter_restarts_the_maximum(void **unused)
{
	struct canister_serial_state state = { 0 };
	uint32_t serial;

	canister_serial_kernel_seen(&state, UINT32_MAX - 1, 100);
	canister_serial_kernel_seen(&state, 7, 200);
	assert_int_equal(state.kernel_max, 7);
	assert_int_equal(canister_serial_next(&state, 300, &serial), 0);
	assert_int_equal(canister_serial_next(&state, 300, &serial), 0);
	assert_int_equal(serial, 7);
}

/*
 * A model of the kernel: serials handed out in order, each event stamped at or
 * before the moment its serial was taken and delivered later.  Every stamp
 * canister makes must differ from every stamp the kernel made or makes.
 */
static void test_model_no_stamp_collides_with_the_kernels(void **unused)
{
	enum { STEPS = 200000 };
	struct canister_serial_state state = { 0 };
	static int64_t kernel_msec_of[STEPS + 2];
	static int64_t ours_msec_of[STEPS + 2];
	uint32_t next_kernel = 1, delivered = 0;
	int64_t now = 1000;

	srandom(7);
	for (int step = 0; step < STEPS; step++) {
		long dice = random() % 10;

		if (random() % 4 == 0)
			now++;
		if (dice < 4 && next_kernel <= STEPS) {
			/* An event's time may lag its serial (a coarse clock, a long syscall). */
			kernel_msec_of[next_kernel++] = now - random() % 3;
		} else if (dice < 7 && delivered + 1 < next_kernel) {
			delivered += 1 + random() % (next_kernel - delivered - 1);
			canister_serial_kernel_seen(&state, delivered, now);
		} else {
			uint32_t serial;

			if (canister_serial_next(&state, now, &serial) < 0)
				continue;
			if (serial == 0)
				continue;
			assert_true(serial <= delivered);
			/* Never a time the kernel used or can still use with this serial. */
			assert_true(kernel_msec_of[serial] != now);
			/* Nor one of our own stamps. */
			assert_true(ours_msec_of[serial] != now);
			ours_msec_of[serial] = now;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_record_in_a_millisecond_takes_serial_zero),
		cmocka_unit_test(test_second_record_waits_without_a_kernel_serial),
		cmocka_unit_test(test_further_records_borrow_spent_kernel_serials),
		cmocka_unit_test(test_no_borrowing_in_the_millisecond_of_the_delivery),
		cmocka_unit_test(test_never_borrows_below_one),
		cmocka_unit_test(test_clock_set_back_counts_as_the_same_millisecond),
		cmocka_unit_test(test_a_wrapped_kernel_counter_restarts_the_maximum),
		cmocka_unit_test(test_model_no_stamp_collides_with_the_kernels),
	};

	return cmocka_run_group_tests_name("audit_serial", tests, NULL, NULL);
}
