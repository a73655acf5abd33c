// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the behaviour-model file: printed, read back, and refused with the file,
 * the line and the reason. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "data_file.h"
#include "model_fixture.h"
#include "model/model_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOURCE "app.model"

/* 64 hex digits repeating @c. */
static const char *hex_of(char c)
{
	static char text[8][65];
	static unsigned int next;
	char *out = text[next++ % 8];

	memset(out, c, 64);
	out[64] = '\0';
	return out;
}

static char *printed(const struct canister_model *model)
{
	long len = canister_model_file_print(model, NULL, 0);
	char *text;

	assert_true(len > 0);
	text = malloc((size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(canister_model_file_print(model, text, (size_t)len + 1), len);
	assert_int_equal(strlen(text), len);
	return text;
}

static struct canister_model *parse_ok(const char *text)
{
	struct canister_model *model = NULL;
	char why[512] = "";
	int r = canister_model_file_parse(text, strlen(text), SOURCE, &model, why, sizeof(why));

	if (r != 0)
		fail_msg("refused (%d): %s\n%s", r, why, text);
	return model;
}

/* @text, which printed(@model) gave, read back: printed again it is the same text; @text freed. */
static struct canister_model *read_back(char *text)
{
	struct canister_model *again = parse_ok(text);
	char *text_again = printed(again);

	assert_string_equal(text, text_again);
	free(text);
	free(text_again);
	return again;
}

static void expect_refused(const char *text, int expected_r, const char *expected_why)
{
	struct canister_model *sentinel = (struct canister_model *)&sentinel, *model = sentinel;
	char why[512] = "";
	int r = canister_model_file_parse(text, strlen(text), SOURCE, &model, why, sizeof(why));

	if (r != expected_r)
		fail_msg("expected %d, got %d (%s) for:\n%s", expected_r, r, why, text);
	assert_string_equal(why, expected_why);
	assert_ptr_equal(model, sentinel); /* all or nothing */
}

/* A model learned, sealed, with a forensic point: printed, read back, printed the same. */
static void test_round_trip(void **state)
{
	struct canister_model *model = canister_model_new(NULL, NULL), *again;
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE], s1[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t s2[CANISTER_MODEL_DIGEST_SIZE], id[CANISTER_MODEL_DIGEST_SIZE];
	enum canister_model_verdict verdict;
	char *text;

	assert_non_null(model);
	assert_int_equal(canister_model_pseudonym_id("/var/log/app.log", id), 0);
	assert_int_equal(canister_model_add_pseudonym(model, id), 0);
	for (uint32_t i = 0; i < 3000; i++) {
		fixture_coefficient(i, c);
		assert_int_equal(canister_model_observe(model, c, NULL, &verdict), 0);
	}
	canister_model_seal(model);
	fixture_coefficient(99999, c);
	assert_int_equal(canister_model_observe(model, c, NULL, &verdict), 0);
	assert_int_equal(verdict, CANISTER_MODEL_VIOLATION);

	text = printed(model);
	assert_non_null(strstr(text, "canister-model 1\ndigest sha256\npseudonym "));
	assert_null(strstr(text, hex32(c))); /* the forensic point is not model */
	again = read_back(text);
	assert_true(canister_model_sealed(again));
	assert_int_equal(canister_model_count(again, CANISTER_MODEL_LOADED), 3000);
	assert_int_equal(canister_model_pseudonyms(again), 1);
	assert_memory_equal(canister_model_pseudonym(again, 0), id, sizeof(id));
	assert_int_equal(canister_model_state(model, true, s1), 0);
	assert_int_equal(canister_model_state(again, false, s2), 0);
	assert_memory_equal(s1, s2, sizeof(s1));
	canister_model_free(model);
	canister_model_free(again);
}

/* Aggregate and base print when not zero, and read back into the same values. */
static void test_round_trip_aggregate_base(void **state)
{
	uint8_t aggregate[CANISTER_MODEL_DIGEST_SIZE], base[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE], c[CANISTER_MODEL_DIGEST_SIZE];
	struct canister_model *model, *again;
	char *text;

	memset(aggregate, 0xab, sizeof(aggregate));
	memset(base, 0xcd, sizeof(base));
	model = canister_model_new(aggregate, base);
	assert_non_null(model);
	fixture_coefficient(1, c);
	assert_int_equal(canister_model_load(model, c), 0);
	text = printed(model);
	assert_non_null(strstr(text, "\naggregate abababab"));
	assert_non_null(strstr(text, "\nbase cdcdcdcd"));
	again = read_back(text);
	canister_model_aggregate(again, got);
	assert_memory_equal(got, aggregate, sizeof(got));
	canister_model_base(again, got);
	assert_memory_equal(got, base, sizeof(got));
	canister_model_free(model);
	canister_model_free(again);
}

/* The smallest file, comments and blank lines, and no newline after end. */
static void test_minimal(void **state)
{
	struct canister_model *model =
		parse_ok("canister-model 1\n# a comment\n\ndigest sha256\nend");

	assert_int_equal(canister_model_points(model), 0);
	canister_model_free(model);
}

#define HEAD "canister-model 1\ndigest sha256\n"

static void test_refusals(void **state)
{
	char text[1024];

	expect_refused("", -EINVAL, SOURCE ":1: empty file");
	expect_refused("canister-model\n", -EINVAL,
		       SOURCE ":1: not a canister model file (the first line must be "
			      "\"canister-model 1\")");
	expect_refused("canister-model 2\n", -EINVAL,
		       SOURCE ":1: format version \"2\" not supported (this canister reads "
			      "version 1)");
	expect_refused("canister-model 1\nend\n", -EINVAL,
		       SOURCE ":2: expected \"digest sha256\" after the first line");
	expect_refused("canister-model 1\ndigest sha512\n", -EINVAL,
		       SOURCE ":2: only sha256 models are supported");
	expect_refused(HEAD, -EINVAL, SOURCE ":2: no end line: the file is incomplete");
	expect_refused(HEAD "frobnicate 1\nend\n", -EINVAL,
		       SOURCE ":3: unknown directive \"frobnicate\"");
	expect_refused(HEAD "\x01\x02 x\nend\n", -EINVAL, SOURCE ":3: unknown directive");
	expect_refused(HEAD "coefficient\nend\n", -EINVAL,
		       SOURCE ":3: coefficient without a value");
	snprintf(text, sizeof(text), HEAD "coefficient %.63s\nend\n", hex_of('a'));
	expect_refused(text, -EINVAL,
		       SOURCE ":3: coefficient: 63 hex digits, a SHA-256 digest has 64");
	snprintf(text, sizeof(text), HEAD "coefficient %sa\nend\n", hex_of('a'));
	expect_refused(text, -EINVAL,
		       SOURCE ":3: coefficient: 65 hex digits, a SHA-256 digest has 64");
	snprintf(text, sizeof(text), HEAD "coefficient %.10sG%.53s\nend\n", hex_of('a'),
		 hex_of('a'));
	expect_refused(text, -EINVAL,
		       SOURCE ":3: coefficient: not lower-case hex (character 11 of the value)");
	snprintf(text, sizeof(text), HEAD "coefficient %s\nend\n", hex_of('A'));
	expect_refused(text, -EINVAL,
		       SOURCE ":3: coefficient: not lower-case hex (character 1 of the value)");
	snprintf(text, sizeof(text), HEAD "coefficient %s\ncoefficient %s\nend\n", hex_of('b'),
		 hex_of('b'));
	expect_refused(text, -EINVAL, SOURCE ":4: duplicate coefficient");
	snprintf(text, sizeof(text), HEAD "coefficient %s\ncoefficient %s\nend\n", hex_of('b'),
		 hex_of('a'));
	expect_refused(text, -EINVAL,
		       SOURCE ":4: coefficient out of order: each must sort after the one before");
	snprintf(text, sizeof(text), HEAD "coefficient %s\npseudonym %s\nend\n", hex_of('b'),
		 hex_of('a'));
	expect_refused(text, -EINVAL,
		       SOURCE ":4: pseudonym after coefficient: the order is aggregate, base, "
			      "pseudonym, coefficient, state, end");
	snprintf(text, sizeof(text), HEAD "aggregate %s\naggregate %s\nend\n", hex_of('b'),
		 hex_of('a'));
	expect_refused(text, -EINVAL, SOURCE ":4: second aggregate line");
	snprintf(text, sizeof(text), HEAD "end\ncoefficient %s\n", hex_of('a'));
	expect_refused(text, -EINVAL, SOURCE ":4: coefficient after end");
	expect_refused(HEAD "end now\n", -EINVAL, SOURCE ":3: end takes no value");
	snprintf(text, sizeof(text), HEAD "coefficient %s\nstate %s\nend\n", hex_of('a'),
		 hex_of('0'));
	expect_refused(text, -EINVAL,
		       SOURCE ":4: state mismatch: the file says "
			      "0000000000000000000000000000000000000000000000000000000000000000, "
			      "its coefficients give "
			      "67639a4382e79836494a8de53ccd1f99d0bf2f500abc471451d20220afb63596");
	/* (python3: ext = lambda v, p: sha256(v + sha256(bytes(32) + p)); ext(ext(bytes(32),
	 * bytes(32)), bytes([0xaa]) * 32).hex()) */
}

/* The NUL test above: strlen() stops at the NUL, so it is given with its length. */
static void test_nul_byte(void **state)
{
	static const char text[] = HEAD "coeff\0icient\nend\n";
	struct canister_model *model = NULL;
	char why[256];

	assert_int_equal(
		canister_model_file_parse(text, sizeof(text) - 1, SOURCE, &model, why, sizeof(why)),
		-EINVAL);
	assert_string_equal(why, SOURCE ":3: NUL byte");
	assert_null(model);
}

/* One coefficient past the maximum: -E2BIG on its line. */
static void test_too_many(void **state)
{
	size_t line_len = strlen("coefficient ") + 65, n = CANISTER_MODEL_COEFFICIENTS_MAX + 1;
	char *text = malloc(strlen(HEAD) + n * line_len + 8), *at = text;
	struct canister_model *model = NULL;
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];
	char why[256], want[256];

	assert_non_null(text);
	at += sprintf(at, HEAD);
	for (uint32_t i = 0; i < n; i++) {
		/* ascending: the index, big-endian, first */
		memset(c, 0, sizeof(c));
		c[0] = (uint8_t)(i >> 24);
		c[1] = (uint8_t)(i >> 16);
		c[2] = (uint8_t)(i >> 8);
		c[3] = (uint8_t)i;
		at += sprintf(at, "coefficient %s\n", hex32(c));
	}
	at += sprintf(at, "end\n");
	assert_int_equal(canister_model_file_parse(text, (size_t)(at - text), SOURCE, &model, why,
						   sizeof(why)),
			 -E2BIG);
	snprintf(want, sizeof(want), SOURCE ":%zu: more than %d coefficients", n + 2,
		 CANISTER_MODEL_COEFFICIENTS_MAX);
	assert_string_equal(why, want);
	assert_null(model);
	free(text);
}

/*
 * A file written by python3 (the generator in tests/unit/data/model/README): its
 * state line, computed from TSEM's definition with hashlib, is accepted.
 */
static void test_file_written_elsewhere(void **state)
{
	static char text[4096];
	size_t len = data_file("tests/unit/data/model/python.model", text, sizeof(text) - 1);
	struct canister_model *model;
	uint8_t aggregate[CANISTER_MODEL_DIGEST_SIZE];

	text[len] = '\0';
	model = parse_ok(text);
	assert_int_equal(canister_model_points(model), 3);
	assert_int_equal(canister_model_pseudonyms(model), 1);
	canister_model_aggregate(model, aggregate);
	assert_int_equal(aggregate[0], 1);
	canister_model_free(model);
}

/* A model canister printed, its state line recomputed by python3 from the file alone. */
static void test_state_recomputed_independently(void **state)
{
	uint8_t aggregate[CANISTER_MODEL_DIGEST_SIZE], base[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];
	char path[] = "/tmp/canister-model-file-XXXXXX", args[256];
	struct canister_model *model;
	char *text;
	int fd, status;

	memset(aggregate, 0x5a, sizeof(aggregate));
	memset(base, 0xa5, sizeof(base));
	model = canister_model_new(aggregate, base);
	assert_non_null(model);
	for (uint32_t i = 0; i < 500; i++) {
		fixture_coefficient(i * 3, c);
		assert_int_equal(canister_model_load(model, c), 0);
	}
	text = printed(model);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	snprintf(args, sizeof(args), "--model %s", path);
	status = run_recompute(args);
	unlink(path);
	free(text);
	canister_model_free(model);
	assert_int_equal(status, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_aggregate_base),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_file_written_elsewhere),
		cmocka_unit_test(test_state_recomputed_independently),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
