// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the control socket's limits, token buckets and folded refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/control_limits.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct control_caller host = { .class = CONTROL_HOST };
static const struct control_caller box4 = { .class = CONTROL_CONTAINER, .id = 4 };
static const struct control_caller box5 = { .class = CONTROL_CONTAINER, .id = 5 };
static const struct control_caller user1000 = { .class = CONTROL_UID, .id = 1000 };

#define T0 1000000 /* a monotonic time well after boot, in ms */

static struct control_state *new_state(void)
{
	struct control_state *state = calloc(1, sizeof(*state));

	assert_non_null(state);
	return state;
}

static struct canister_control_config defaults(void)
{
	return CANISTER_DEFAULT_CONTROL_CONFIG;
}

static int admit(struct control_state *state, const struct canister_control_config *config,
		 const struct control_caller *caller, char *why)
{
	return control_admit(state, config, caller, T0, why, 256);
}

/* A bucket gives its burst at once, then one token per rate period, never more than the burst. */
static void test_bucket(void **unused)
{
	struct control_bucket bucket = { .credit = 3 * 1000, .at_ms = T0 };

	for (int i = 0; i < 3; i++)
		assert_true(control_bucket_take(&bucket, 2, 1000, 3, T0));
	assert_false(control_bucket_take(&bucket, 2, 1000, 3, T0));
	/* 2 a second: one more after 500 ms, not after 499. */
	assert_false(control_bucket_take(&bucket, 2, 1000, 3, T0 + 499));
	assert_true(control_bucket_take(&bucket, 2, 1000, 3, T0 + 500));
	/* A long quiet time fills it to the burst only, and never wraps. */
	for (int i = 0; i < 3; i++)
		assert_true(control_bucket_take(&bucket, 2, 1000, 3, UINT64_MAX / 2));
	assert_false(control_bucket_take(&bucket, 2, 1000, 3, UINT64_MAX / 2));
	/* A clock that goes back refills nothing. */
	assert_false(control_bucket_take(&bucket, 2, 1000, 3, T0));
}

/* 70 connections from one container: 8 get in, the host still gets its share. */
static void test_container_cannot_take_the_host_connections(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	char why[256];
	int admitted = 0;

	for (int i = 0; i < 70; i++)
		admitted += admit(state, &config, &box4, why) == 0;
	assert_int_equal(admitted, 8);
	assert_string_equal(why, "container 4 has 8 connections open, its limit "
				 "(control_connections_per_container)");
	assert_int_equal(state->totals.refused_connections, 62);
	assert_int_equal(state->entities[0].folded.connections, 62);
	for (int i = 0; i < 56; i++)
		assert_int_equal(admit(state, &config, &host, why), 0);
	assert_int_equal(admit(state, &config, &host, why), -EAGAIN);
	assert_string_equal(why, "canisterd has 64 connections open, its limit "
				 "(control_connections)");
	/* One closes: the host may have it. */
	control_leave(state, &box4);
	assert_int_equal(admit(state, &config, &host, why), 0);
	free(state);
}

/* Many containers together cannot take the host's reserve either. */
static void test_guests_leave_the_reserve(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	char why[256];
	int admitted = 0;

	for (uint64_t contid = 1; contid <= 20; contid++) {
		struct control_caller box = { .class = CONTROL_CONTAINER, .id = contid };

		for (int i = 0; i < 8; i++)
			admitted += admit(state, &config, &box, why) == 0;
	}
	assert_int_equal(admitted, 64 - 16);
	assert_string_equal(why, "the control socket's connections are taken (16 of them are "
				 "kept for the host: control_host_reserve)");
	for (int i = 0; i < 16; i++)
		assert_int_equal(admit(state, &config, &host, why), 0);
	free(state);
}

/* An unlabelled caller other than root counts per uid; two callers do not share a limit. */
static void test_uid_limit(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	char why[256];

	config.connections_per_uid = 2;
	assert_int_equal(admit(state, &config, &user1000, why), 0);
	assert_int_equal(admit(state, &config, &user1000, why), 0);
	assert_int_equal(admit(state, &config, &user1000, why), -EAGAIN);
	assert_string_equal(why, "uid 1000 has 2 connections open, its limit "
				 "(control_connections_per_uid)");
	assert_int_equal(admit(state, &config, &box5, why), 0);
	control_leave(state, &user1000);
	assert_int_equal(admit(state, &config, &user1000, why), 0);
	free(state);
}

/* Requests: the host is never throttled; a container gets its burst, then its rate. */
static void test_request_rate(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	char why[256];
	int served = 0;

	for (int i = 0; i < 1000; i++)
		assert_int_equal(control_request(state, &config, &host, T0, why, sizeof(why)), 0);
	for (int i = 0; i < 1000; i++)
		served += control_request(state, &config, &box4, T0, why, sizeof(why)) == 0;
	assert_int_equal(served, 40);
	assert_string_equal(why, "container 4 asks too often: at most 20 requests a second, "
				 "bursts of 40 (control_requests_per_second, "
				 "control_request_burst)");
	assert_int_equal(state->totals.throttled_requests, 960);
	/* Another container is not slowed by this one. */
	assert_int_equal(control_request(state, &config, &box5, T0, why, sizeof(why)), 0);
	/* A second later, 20 more. */
	served = 0;
	for (int i = 0; i < 100; i++)
		served += control_request(state, &config, &box4, T0 + 1000, why, sizeof(why)) == 0;
	assert_int_equal(served, 20);
	free(state);
}

/*
 * A refusal storm: 30 records, then the rest folded; one summary once the
 * interval has passed, counting exactly what was left out; none before.
 */
static void test_refusals_fold_into_a_summary(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	struct control_caller caller;
	struct control_folded folded;
	char why[256];
	int written = 0;

	assert_int_equal(admit(state, &config, &box4, why), 0);
	for (int i = 0; i < 5000; i++)
		written += control_record_refusal(state, &config, &box4, T0 + (uint64_t)i / 10);
	assert_int_equal(written, 30); /* the burst; 30 a minute refill nothing in 499 ms */
	/* The first was folded at T0 + 3 ms (the 31st refusal): the summary is due 10 s later. */
	assert_false(control_next_summary(state, &config, T0 + 10002, false, &caller, &folded));
	assert_true(control_next_summary(state, &config, T0 + 10003, false, &caller, &folded));
	assert_int_equal(caller.class, CONTROL_CONTAINER);
	assert_int_equal(caller.id, 4);
	assert_int_equal(folded.refused + written, 5000);
	assert_int_equal(state->totals.refusals_folded, folded.refused);
	assert_int_equal(state->totals.refusals_recorded, written);
	assert_false(control_next_summary(state, &config, T0 + 20000, false, &caller, &folded));
	/* The host's refusals are all recorded. */
	for (int i = 0; i < 100; i++)
		assert_true(control_record_refusal(state, &config, &host, T0));
	free(state);
}

/* Throttled requests and refused connections are in the summary too; a flush takes any. */
static void test_summary_counts_everything(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	struct control_caller caller;
	struct control_folded folded;
	char why[256];

	config.connections_per_container = 1;
	assert_int_equal(admit(state, &config, &box4, why), 0);
	assert_int_equal(admit(state, &config, &box4, why), -EAGAIN);
	for (int i = 0; i < 45; i++)
		control_request(state, &config, &box4, T0, why, sizeof(why));
	assert_true(control_next_summary(state, &config, T0, true, &caller, &folded));
	assert_int_equal(folded.connections, 1);
	assert_int_equal(folded.throttled, 6); /* the connection took one of the 40 */
	assert_int_equal(folded.refused, 0);
	free(state);
}

static void test_summary_record(void **unused)
{
	struct canister_record_stamp stamp = { .sec = 1700000000, .msec = 123, .serial = 42 };
	struct control_folded folded = { .refused = 4950, .throttled = 12, .since_ms = T0 };
	char buf[CANISTER_RECORD_MAX + 1];
	int len =
		control_format_summary_record(&stamp, &box4, &folded, T0 + 10000, buf, sizeof(buf));

	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf, "type=CONTAINER_REFUSALS msg=audit(1700000000.123:42): contid=4 "
				 "uid=-1 refused=4950 throttled=12 connections=0 seconds=10\n");
	folded = (struct control_folded){ .connections = 3, .since_ms = T0 };
	control_format_summary_record(&stamp, &user1000, &folded, T0 + 1, buf, sizeof(buf));
	assert_string_equal(buf, "type=CONTAINER_REFUSALS msg=audit(1700000000.123:42): "
				 "contid=-1 uid=1000 refused=0 throttled=0 connections=3 "
				 "seconds=1\n");
	/* The host has no summary; nothing folded is no record; a short buffer is refused whole. */
	assert_int_equal(
		control_format_summary_record(&stamp, &host, &folded, T0, buf, sizeof(buf)),
		-EINVAL);
	assert_int_equal(control_format_summary_record(&stamp, &box4, &(struct control_folded){ 0 },
						       T0, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(control_format_summary_record(&stamp, &box4, &folded, T0, buf, 20),
			 -ENOSPC);
	assert_string_equal(buf, "");
}

/*
 * The table of callers is bounded: when it is full of live ones, a new
 * caller is refused; a caller whose buckets have refilled gives its slot up.
 */
static void test_entities_bounded(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	char why[256];

	config.connections = 1000;
	config.host_reserve = 1;
	for (uint64_t contid = 1; contid <= CONTROL_ENTITIES_MAX; contid++) {
		struct control_caller box = { .class = CONTROL_CONTAINER, .id = contid };

		assert_int_equal(admit(state, &config, &box, why), 0);
	}
	assert_int_equal(
		admit(state, &config, &(struct control_caller){ CONTROL_CONTAINER, 9999 }, why),
		-EAGAIN);
	/* One leaves; once its bucket has refilled (its connection took a token), its slot is free.
	 */
	control_leave(state, &(struct control_caller){ CONTROL_CONTAINER, 1 });
	assert_int_equal(
		admit(state, &config, &(struct control_caller){ CONTROL_CONTAINER, 9999 }, why),
		-EAGAIN);
	assert_int_equal(control_admit(state, &config,
				       &(struct control_caller){ CONTROL_CONTAINER, 9999 }, T0 + 50,
				       why, sizeof(why)),
			 0);
	free(state);
}

/* Reconnecting does not reset a rate: a caller's entity stays while its bucket refills. */
static void test_reconnect_keeps_the_rate(void **unused)
{
	struct canister_control_config config = defaults();
	struct control_state *state = new_state();
	char why[256];

	/* A connection costs a request: 1 + 39 empty the burst of 40. */
	assert_int_equal(admit(state, &config, &box4, why), 0);
	for (int i = 0; i < 39; i++)
		assert_int_equal(control_request(state, &config, &box4, T0, why, sizeof(why)), 0);
	control_leave(state, &box4);
	assert_int_equal(admit(state, &config, &box4, why), -EAGAIN);
	assert_string_equal(why, "container 4 connects too often: at most 20 connections and "
				 "requests a second (control_requests_per_second)");
	/* 50 ms later one token is back: in again, and nothing left to ask with. */
	assert_int_equal(control_request(state, &config, &box4, T0 + 50, why, sizeof(why)), 0);
	assert_int_equal(control_request(state, &config, &box4, T0 + 50, why, sizeof(why)),
			 -EAGAIN);
	free(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_container_cannot_take_the_host_connections),
		cmocka_unit_test(test_guests_leave_the_reserve),
		cmocka_unit_test(test_uid_limit),
		cmocka_unit_test(test_request_rate),
		cmocka_unit_test(test_refusals_fold_into_a_summary),
		cmocka_unit_test(test_summary_counts_everything),
		cmocka_unit_test(test_summary_record),
		cmocka_unit_test(test_entities_bounded),
		cmocka_unit_test(test_reconnect_keeps_the_rate),
	};

	return cmocka_run_group_tests_name("control_limits", tests, NULL, NULL);
}
