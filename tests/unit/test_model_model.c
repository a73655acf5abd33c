// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a behaviour model: learn, seal, forensics, counts, and the state value and
 * measurement as TSEM defines them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model_fixture.h"
#include "model/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct canister_model *new_model(void)
{
	struct canister_model *model = canister_model_new(NULL, NULL);

	assert_non_null(model);
	return model;
}

static enum canister_model_verdict observe(struct canister_model *model, const uint8_t *c)
{
	enum canister_model_verdict verdict = (enum canister_model_verdict) - 1;

	assert_int_equal(canister_model_observe(model, c, NULL, &verdict), 0);
	return verdict;
}

static void state_of(const struct canister_model *model, bool model_only, uint8_t *out)
{
	assert_int_equal(canister_model_state(model, model_only, out), 0);
}

/* The same coefficients in another order: the same state, another measurement. */
static void test_state_independent_of_order(void **state)
{
	enum { N = 5000 };
	struct canister_model *forward = new_model(), *backward = new_model(),
			      *shuffled = new_model();
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE], s1[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t s2[CANISTER_MODEL_DIGEST_SIZE], s3[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t m1[CANISTER_MODEL_DIGEST_SIZE], m2[CANISTER_MODEL_DIGEST_SIZE];

	for (uint32_t i = 0; i < N; i++) {
		fixture_coefficient(i, c);
		assert_int_equal(observe(forward, c), CANISTER_MODEL_NEW);
		fixture_coefficient(N - 1 - i, c);
		assert_int_equal(observe(backward, c), CANISTER_MODEL_NEW);
		fixture_coefficient((i * 7919u) % N, c); /* 7919 is prime to N: a permutation */
		assert_int_equal(observe(shuffled, c), CANISTER_MODEL_NEW);
	}
	/* Repeats change nothing but counts. */
	fixture_coefficient(17, c);
	assert_int_equal(observe(shuffled, c), CANISTER_MODEL_KNOWN);
	state_of(forward, false, s1);
	state_of(backward, false, s2);
	state_of(shuffled, false, s3);
	assert_memory_equal(s1, s2, sizeof(s1));
	assert_memory_equal(s1, s3, sizeof(s1));
	canister_model_measurement(forward, m1);
	canister_model_measurement(backward, m2);
	assert_memory_not_equal(m1, m2, sizeof(m1));
	assert_int_equal(canister_model_points(shuffled), N);
	canister_model_free(forward);
	canister_model_free(backward);
	canister_model_free(shuffled);
}

/* The state of a model that saw every event type, by @order_of(i). */
static void state_of_events(int (*order_of)(int i), bool change_one, uint8_t *out)
{
	struct canister_model *model = new_model();
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];

	for (int i = 0; i < CANISTER_MODEL_EVENT_TYPES; i++) {
		struct canister_model_event event = fixture_event(order_of(i));

		/* Told apart by nothing hashed: another pid, time and name each run. */
		event.pid = (uint32_t)(1000 + i * 37 + change_one);
		event.ts = (uint64_t)i * 1000003;
		event.comm = i % 2 ? "worker" : "main";
		if (change_one && event.type == CANISTER_MODEL_FILE_OPEN)
			event.cell.file.path = "/etc/shadow";
		assert_int_equal(canister_model_coefficient(&event, c), 0);
		observe(model, c);
	}
	state_of(model, false, out);
	canister_model_free(model);
}

static int forward_order(int i)
{
	return i;
}

static int backward_order(int i)
{
	return CANISTER_MODEL_EVENT_TYPES - 1 - i;
}

/* The same events in another order, with other pids and times: the same state; one other
 * event: another state. */
static void test_events_state_deterministic(void **state)
{
	uint8_t a[CANISTER_MODEL_DIGEST_SIZE], b[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];

	state_of_events(forward_order, false, a);
	state_of_events(backward_order, false, b);
	state_of_events(forward_order, true, c);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
}

/* One coefficient more, or one other: another state. */
static void test_different_set_different_state(void **state)
{
	struct canister_model *a = new_model(), *b = new_model(), *c_model = new_model();
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE], sa[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t sb[CANISTER_MODEL_DIGEST_SIZE], sc[CANISTER_MODEL_DIGEST_SIZE];

	for (uint32_t i = 0; i < 10; i++) {
		fixture_coefficient(i, c);
		observe(a, c);
		observe(b, c);
		fixture_coefficient(i == 9 ? 10 : i, c);
		observe(c_model, c);
	}
	fixture_coefficient(11, c);
	observe(b, c);
	state_of(a, false, sa);
	state_of(b, false, sb);
	state_of(c_model, false, sc);
	assert_memory_not_equal(sa, sb, sizeof(sa));
	assert_memory_not_equal(sa, sc, sizeof(sa));
	canister_model_free(a);
	canister_model_free(b);
	canister_model_free(c_model);
}

/* kat.py's state and measurement: file_open, then capable, zero aggregate and base. */
static void test_known_state_and_measurement(void **state)
{
	static const char *const want_measurement =
		"2d4c08d558e2d8bd2b0101527a73bffeef9e5cb640e74a78f08162d5fac17db7";
	static const char *const want_state =
		"14c24803d6d47cbe576a280c7c4a22bfa33c06c2067a2b7db10da12a49828a5d";
	struct canister_model *model = new_model();
	struct canister_model_event open = fixture_event(CANISTER_MODEL_FILE_OPEN);
	struct canister_model_event capable = fixture_event(CANISTER_MODEL_CAPABLE);
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE], out[CANISTER_MODEL_DIGEST_SIZE];

	assert_int_equal(canister_model_coefficient(&open, c), 0);
	observe(model, c);
	assert_int_equal(canister_model_coefficient(&capable, c), 0);
	observe(model, c);
	canister_model_measurement(model, out);
	assert_string_equal(hex32(out), want_measurement);
	state_of(model, false, out);
	assert_string_equal(hex32(out), want_state);
	canister_model_free(model);
}

/* An empty model's values start from the aggregate; another aggregate or base changes both. */
static void test_aggregate_and_base(void **state)
{
	uint8_t one[CANISTER_MODEL_DIGEST_SIZE], s0[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t m0[CANISTER_MODEL_DIGEST_SIZE], s1[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t s2[CANISTER_MODEL_DIGEST_SIZE], h[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t zero[2 * CANISTER_MODEL_DIGEST_SIZE] = { 0 };
	struct canister_model *plain = new_model(), *aggregate, *base;

	memset(one, 1, sizeof(one));
	aggregate = canister_model_new(one, NULL);
	base = canister_model_new(NULL, one);
	assert_non_null(aggregate);
	assert_non_null(base);
	state_of(plain, false, s0);
	canister_model_measurement(plain, m0);
	assert_memory_equal(s0, m0, sizeof(s0));
	/* SHA256(0^32 || SHA256(base 0^32 || aggregate 0^32)), from the definition */
	assert_int_equal(model_sha256(zero, sizeof(zero), NULL, 0, h), 0);
	assert_int_equal(model_sha256(zero, CANISTER_MODEL_DIGEST_SIZE, h, sizeof(h), h), 0);
	assert_memory_equal(s0, h, sizeof(h));
	state_of(aggregate, false, s1);
	state_of(base, false, s2);
	assert_memory_not_equal(s0, s1, sizeof(s0));
	assert_memory_not_equal(s0, s2, sizeof(s0));
	assert_memory_not_equal(s1, s2, sizeof(s0));
	canister_model_free(plain);
	canister_model_free(aggregate);
	canister_model_free(base);
}

/* Learning adds; sealed, a new coefficient is forensics, and stays forensics when seen again. */
static void test_learn_seal_forensics(void **state)
{
	struct canister_model *model = new_model();
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE], all[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t model_only[CANISTER_MODEL_DIGEST_SIZE], before[CANISTER_MODEL_DIGEST_SIZE];
	const struct canister_model_point *point;
	enum canister_model_verdict verdict;

	fixture_coefficient(1, c);
	assert_int_equal(canister_model_observe(model, c, "{\"first\": 1}", &verdict), 0);
	assert_int_equal(verdict, CANISTER_MODEL_NEW);
	fixture_coefficient(2, c);
	assert_int_equal(observe(model, c), CANISTER_MODEL_NEW);
	assert_int_equal(observe(model, c), CANISTER_MODEL_KNOWN);
	state_of(model, false, before);
	assert_false(canister_model_sealed(model));
	canister_model_seal(model);
	assert_true(canister_model_sealed(model));

	assert_int_equal(observe(model, c), CANISTER_MODEL_KNOWN);
	fixture_coefficient(3, c);
	assert_false(canister_model_knows(model, c));
	assert_int_equal(canister_model_observe(model, c, "{\"third\": 3}", &verdict), 0);
	assert_int_equal(verdict, CANISTER_MODEL_VIOLATION);
	assert_int_equal(observe(model, c), CANISTER_MODEL_VIOLATION);
	assert_false(canister_model_knows(model, c));
	fixture_coefficient(2, c);
	assert_true(canister_model_knows(model, c));

	assert_int_equal(canister_model_count(model, CANISTER_MODEL_LEARNED), 2);
	assert_int_equal(canister_model_count(model, CANISTER_MODEL_FORENSIC), 1);
	assert_int_equal(canister_model_count(model, CANISTER_MODEL_LOADED), 0);
	assert_int_equal(canister_model_points(model), 3);
	/* The trajectory in the order of first appearance, with counts and descriptions. */
	point = canister_model_point(model, 0);
	assert_string_equal(point->description, "{\"first\": 1}");
	assert_int_equal(point->seen, 1);
	assert_int_equal(point->source, CANISTER_MODEL_LEARNED);
	point = canister_model_point(model, 1);
	assert_null(point->description);
	assert_int_equal(point->seen, 3);
	point = canister_model_point(model, 2);
	assert_int_equal(point->source, CANISTER_MODEL_FORENSIC);
	assert_int_equal(point->seen, 2);
	assert_string_equal(point->description, "{\"third\": 3}");
	assert_null(canister_model_point(model, 3));

	/* TSEM's state covers the forensic point; the model's own state does not. */
	state_of(model, false, all);
	state_of(model, true, model_only);
	assert_memory_not_equal(all, before, sizeof(all));
	assert_memory_equal(model_only, before, sizeof(all));
	canister_model_free(model);
}

/* A loaded coefficient is model; loading one twice is refused. */
static void test_load(void **state)
{
	struct canister_model *model = new_model();
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];

	fixture_coefficient(5, c);
	assert_int_equal(canister_model_load(model, c), 0);
	assert_int_equal(canister_model_load(model, c), -EEXIST);
	assert_true(canister_model_knows(model, c));
	assert_int_equal(canister_model_point(model, 0)->seen, 0);
	canister_model_seal(model);
	assert_int_equal(observe(model, c), CANISTER_MODEL_KNOWN);
	assert_int_equal(canister_model_point(model, 0)->seen, 1);
	canister_model_free(model);
}

static int collect(const struct canister_model_point *point, void *data)
{
	const uint8_t **previous = data;

	if (*previous)
		assert_true(memcmp(*previous, point->coefficient, CANISTER_MODEL_DIGEST_SIZE) < 0);
	*previous = point->coefficient;
	return 0;
}

/*
 * A full model: CANISTER_MODEL_COEFFICIENTS_MAX taken, one more refused with
 * -E2BIG and nothing changed; the sorted walk is ascending throughout.
 */
static void test_full(void **state)
{
	struct canister_model *model = new_model();
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE], m1[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t m2[CANISTER_MODEL_DIGEST_SIZE];
	const uint8_t *previous = NULL;
	enum canister_model_verdict verdict;

	for (uint32_t i = 0; i < CANISTER_MODEL_COEFFICIENTS_MAX; i++) {
		fixture_coefficient(i, c);
		assert_int_equal(canister_model_observe(model, c, NULL, &verdict), 0);
	}
	canister_model_measurement(model, m1);
	fixture_coefficient(CANISTER_MODEL_COEFFICIENTS_MAX, c);
	assert_int_equal(canister_model_observe(model, c, NULL, &verdict), -E2BIG);
	assert_int_equal(canister_model_load(model, c), -E2BIG);
	canister_model_measurement(model, m2);
	assert_memory_equal(m1, m2, sizeof(m1));
	assert_int_equal(canister_model_points(model), CANISTER_MODEL_COEFFICIENTS_MAX);
	/* Known ones are still known when full. */
	fixture_coefficient(12345, c);
	assert_int_equal(canister_model_observe(model, c, NULL, &verdict), 0);
	assert_int_equal(verdict, CANISTER_MODEL_KNOWN);
	assert_int_equal(canister_model_for_each_sorted(model, collect, &previous), 0);
	canister_model_free(model);
}

/* Descriptions stop being kept at CANISTER_MODEL_DESCRIPTIONS_MAX bytes; the points do not. */
static void test_descriptions_bounded(void **state)
{
	enum { LEN = 1 << 20 };
	struct canister_model *model = new_model();
	char *description = malloc(LEN);
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];
	enum canister_model_verdict verdict;
	size_t kept = 0, n = CANISTER_MODEL_DESCRIPTIONS_MAX / LEN + 3;

	assert_non_null(description);
	memset(description, 'd', LEN - 1);
	description[LEN - 1] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		fixture_coefficient(i, c);
		assert_int_equal(canister_model_observe(model, c, description, &verdict), 0);
		assert_int_equal(verdict, CANISTER_MODEL_NEW);
	}
	for (size_t i = 0; i < n; i++)
		kept += canister_model_point(model, i)->description != NULL;
	assert_int_equal(canister_model_points(model), n);
	assert_int_equal(kept, CANISTER_MODEL_DESCRIPTIONS_MAX / LEN);
	assert_int_equal(canister_model_descriptions_dropped(model), n - kept);
	free(description);
	canister_model_free(model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_independent_of_order),
		cmocka_unit_test(test_different_set_different_state),
		cmocka_unit_test(test_events_state_deterministic),
		cmocka_unit_test(test_known_state_and_measurement),
		cmocka_unit_test(test_aggregate_and_base),
		cmocka_unit_test(test_learn_seal_forensics),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_descriptions_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
