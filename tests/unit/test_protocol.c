// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: decoding and encoding the control socket's JSON requests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/protocol.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const struct canister_request sentinel = {
	.op = (enum canister_op)77,
	.pid = 4242,
	.allocate = true,
	.contid = 0x5a5a5a5a5a5a5a5aULL,
};

/* Field by field: struct copies leave padding bytes undefined. */
static void assert_untouched(const struct canister_request *request)
{
	assert_int_equal(request->op, sentinel.op);
	assert_int_equal(request->pid, sentinel.pid);
	assert_int_equal(request->allocate, sentinel.allocate);
	assert_true(request->contid == sentinel.contid);
}

static int decode_len(const char *buf, size_t len, struct canister_request *request, char *err,
		      size_t err_len)
{
	return canister_request_decode(buf, len, request, err, err_len);
}

static struct canister_request decode_ok(const char *json)
{
	struct canister_request request = sentinel;
	char err[256] = "";

	if (decode_len(json, strlen(json), &request, err, sizeof(err)) != 0)
		fail_msg("refused %s: %s", json, err);
	return request;
}

/*
 * @json must be refused with @errnum and a reason containing @reason (the
 * daemon sends it back to the user), leaving the output as it was.
 */
static void expect_refused_len(const char *json, size_t len, int errnum, const char *reason)
{
	struct canister_request request = sentinel;
	char err[256] = "";
	int r;

	r = decode_len(json, len, &request, err, sizeof(err));
	if (r != errnum)
		fail_msg("%.*s: got %d (%s), expected %d", (int)len, json, r, err, errnum);
	if (!strstr(err, reason))
		fail_msg("%.*s: reason \"%s\" lacks \"%s\"", (int)len, json, err, reason);
	assert_untouched(&request);
}

static void expect_refused(const char *json, int errnum, const char *reason)
{
	expect_refused_len(json, strlen(json), errnum, reason);
}

static void test_decodes_status(void **state)
{
	struct canister_request request = decode_ok("{\"op\":\"status\"}");

	assert_int_equal(request.op, CANISTER_OP_STATUS);
	request = decode_ok(" { \"version\" : 1 , \"op\" : \"status\" } ");
	assert_int_equal(request.op, CANISTER_OP_STATUS);
}

static void test_decodes_get(void **state)
{
	struct canister_request request = decode_ok("{\"op\":\"get\",\"pid\":1234}");

	assert_int_equal(request.op, CANISTER_OP_GET);
	assert_int_equal(request.pid, 1234);
}

static void test_decodes_set_with_contid(void **state)
{
	struct canister_request request = decode_ok(
		"{\"version\":1,\"op\":\"set\",\"pid\":7,\"contid\":\"9007199254740993\"}");

	assert_int_equal(request.op, CANISTER_OP_SET);
	assert_int_equal(request.pid, 7);
	assert_false(request.allocate);
	/* 2^53+1 would come back as 2^53 through a double: contids are strings for this. */
	assert_true(request.contid == 9007199254740993ULL);
}

static void test_set_without_contid_asks_to_allocate(void **state)
{
	struct canister_request request = decode_ok("{\"op\":\"set\",\"pid\":7}");

	assert_int_equal(request.op, CANISTER_OP_SET);
	assert_true(request.allocate);
}

static void test_contid_range(void **state)
{
	struct canister_request request;

	request = decode_ok("{\"op\":\"set\",\"pid\":7,\"contid\":\"0\"}");
	assert_true(!request.allocate && request.contid == 0);
	request = decode_ok("{\"op\":\"set\",\"pid\":7,\"contid\":\"18446744073709551614\"}");
	assert_true(!request.allocate && request.contid == UINT64_MAX - 1);

	static const char *const refused[] = {
		"\"18446744073709551615\"",
		"\"18446744073709551616\"",
		"\"-1\"",
		"\" 7\"",
		"\"0x7\"",
		"\"+7\"",
		"\"\"",
		"\"unset\"",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"set\",\"pid\":7,\"contid\":%s}",
			 refused[i]);
		expect_refused(json, -EINVAL,
			       "\"contid\" must be a decimal number in 0..18446744073709551614");
	}
}

/* A number would be rounded by half the JSON readers in the world; only strings are taken. */
static void test_contid_must_be_a_string(void **state)
{
	static const char *const values[] = { "42", "42.0", "true", "null", "[\"42\"]", "{}" };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"set\",\"pid\":7,\"contid\":%s}", values[i]);
		expect_refused(json, -EINVAL, "\"contid\" must be a decimal string");
	}
}

/*
 * A "\u0000" escape puts a NUL inside a JSON string; C sees only what comes
 * before it, so "7\u0000junk" would pass for "7" and "get\u0000x" for "get".
 */
static void test_strings_with_escaped_nul_are_refused(void **state)
{
	expect_refused("{\"op\":\"set\",\"pid\":7,\"contid\":\"7\\u0000junk\"}", -EINVAL,
		       "\"contid\"");
	expect_refused("{\"op\":\"status\\u0000x\"}", -EINVAL, "op");
}

static void test_pid_range(void **state)
{
	static const char *const refused[] = {
		"0",
		"-1",
		"2147483648",
		"-2147483648",
		"4294967297",
		"9223372036854775807",
		"18446744073709551615",
		"99999999999999999999999",
	};
	struct canister_request request;

	request = decode_ok("{\"op\":\"get\",\"pid\":1}");
	assert_int_equal(request.pid, 1);
	request = decode_ok("{\"op\":\"get\",\"pid\":2147483647}");
	assert_int_equal(request.pid, INT_MAX);

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"get\",\"pid\":%s}", refused[i]);
		/* Huge numbers may parse as doubles; either reason refuses them. */
		expect_refused(json, -EINVAL, "\"pid\" must be");
	}
	expect_refused("{\"op\":\"set\",\"pid\":0}", -EINVAL, "\"pid\" must be in 1..2147483647");
	expect_refused("{\"op\":\"get\",\"pid\":-1}", -EINVAL, "\"pid\" must be in 1..2147483647");
}

static void test_pid_must_be_an_integer(void **state)
{
	static const char *const values[] = { "\"42\"", "42.0", "4.2e1", "true", "null", "[42]" };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"get\",\"pid\":%s}", values[i]);
		expect_refused(json, -EINVAL, "\"pid\" must be an integer");
	}
}

static void test_pid_is_required(void **state)
{
	expect_refused("{\"op\":\"get\"}", -EINVAL, "op \"get\" needs \"pid\"");
	expect_refused("{\"op\":\"set\",\"contid\":\"5\"}", -EINVAL, "op \"set\" needs \"pid\"");
}

/* Exactly the members the op takes: a typo must not be silently ignored. */
static void test_unknown_members_are_refused(void **state)
{
	expect_refused("{\"op\":\"status\",\"pid\":1}", -EINVAL,
		       "op \"status\" takes no member \"pid\"");
	expect_refused("{\"op\":\"get\",\"pid\":1,\"contid\":\"5\"}", -EINVAL,
		       "op \"get\" takes no member \"contid\"");
	expect_refused("{\"op\":\"set\",\"pid\":1,\"contId\":\"5\"}", -EINVAL,
		       "op \"set\" takes no member \"contId\"");
	expect_refused("{\"op\":\"set\",\"pid\":1,\"force\":true}", -EINVAL,
		       "takes no member \"force\"");
}

static void test_op_is_required_and_known(void **state)
{
	expect_refused("{}", -EINVAL, "request has no \"op\" string");
	expect_refused("{\"pid\":1}", -EINVAL, "request has no \"op\" string");
	expect_refused("{\"op\":1}", -EINVAL, "request has no \"op\" string");
	expect_refused("{\"op\":null}", -EINVAL, "request has no \"op\" string");
	expect_refused("{\"op\":\"delete\",\"pid\":1}", -EINVAL, "unknown op \"delete\"");
	expect_refused("{\"op\":\"STATUS\"}", -EINVAL, "unknown op \"STATUS\"");
	expect_refused("{\"op\":\"\"}", -EINVAL, "unknown op \"\"");
}

/* A client speaking another protocol version hears so, rather than a misleading EINVAL. */
static void test_wrong_version_is_eproto(void **state)
{
	static const char *const versions[] = { "0", "2", "-1", "\"1\"", "1.0", "true", "null" };

	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"version\":%s,\"op\":\"status\"}", versions[i]);
		expect_refused(json, -EPROTO,
			       "unsupported protocol version (this daemon speaks 1)");
	}
	/* The version is judged first: a newer client's new op is not "unknown". */
	expect_refused("{\"version\":2,\"op\":\"label-tree\"}", -EPROTO, "protocol version");
}

static void test_not_an_object_is_refused(void **state)
{
	static const char *const texts[] = { "[]", "[{\"op\":\"status\"}]", "\"status\"" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect_refused(texts[i], -EINVAL, "request is not a JSON object");
}

static void test_invalid_json_is_refused(void **state)
{
	static const char *const texts[] = {
		"{'op':'status'}",	       /* single quotes */
		"{\"op\":\"status\",}",	       /* trailing comma */
		"{op:\"status\"}",	       /* bare key */
		"{\"op\":\"get\",\"pid\":01}", /* leading zero */
		"{\"op\":\"get\",\"pid\":NaN}",
		"status",
		/* json-c reads a bare literal at the end of input as truncated; refused all the
		   same. */
		"null",
		"42",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect_refused(texts[i], -EINVAL, "");
}

static void test_trailing_data_is_refused(void **state)
{
	expect_refused("{\"op\":\"status\"}x", -EINVAL, "");
	expect_refused("{\"op\":\"status\"}{\"op\":\"set\",\"pid\":1}", -EINVAL, "");
	expect_refused("{\"op\":\"status\"}/* comment */", -EINVAL, "");
}

/* Every proper prefix of a valid request is a truncated datagram, and none may pass. */
static void test_truncated_json_is_refused(void **state)
{
	static const char json[] = "{\"version\":1,\"op\":\"set\",\"pid\":12,\"contid\":\"345\"}";

	for (size_t len = 1; len < sizeof(json) - 1; len++)
		expect_refused_len(json, len, -EINVAL, "");
	expect_refused_len(json, 20, -EINVAL, "request is not valid JSON: unexpected end of input");
	expect_refused_len(json, sizeof(json) - 2, -EINVAL, "unexpected end of input");
}

static void test_empty_and_nul_are_refused(void **state)
{
	static const char with_nul[] = "{\"op\":\"status\"}";

	expect_refused_len("", 0, -EINVAL, "request is empty or contains a NUL byte");
	/* The terminating NUL sent along with the datagram. */
	expect_refused_len(with_nul, sizeof(with_nul), -EINVAL, "contains a NUL byte");
	expect_refused_len("{\"op\":\0\"status\"}", 16, -EINVAL, "contains a NUL byte");
}

/* The daemon reads one datagram of at most CANISTER_REQUEST_MAX; anything larger is refused whole.
 */
static void test_size_limit(void **state)
{
	static const char json[] = "{\"op\":\"status\"}";
	char buf[CANISTER_REQUEST_MAX + 1];
	size_t pad;

	assert_int_equal(CANISTER_REQUEST_MAX, 4096);
	/* Leading white space is valid JSON, so the limit itself can be reached. */
	pad = CANISTER_REQUEST_MAX - (sizeof(json) - 1);
	memset(buf, ' ', pad);
	memcpy(buf + pad, json, sizeof(json) - 1);
	{
		struct canister_request request = sentinel;
		char err[256] = "";

		assert_int_equal(decode_len(buf, CANISTER_REQUEST_MAX, &request, err, sizeof(err)),
				 0);
		assert_int_equal(request.op, CANISTER_OP_STATUS);
	}
	memset(buf, ' ', pad + 1);
	memcpy(buf + pad + 1, json, sizeof(json) - 1);
	expect_refused_len(buf, sizeof(buf), -EMSGSIZE, "request larger than 4096 bytes");
}

/* A short or missing error buffer must not stop the refusal or overrun. */
static void test_error_buffer_is_bounded(void **state)
{
	struct canister_request request = sentinel;
	char err[8];

	memset(err, 'x', sizeof(err));
	assert_int_equal(decode_len("[]", 2, &request, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "request");
	assert_int_equal(decode_len("[]", 2, &request, NULL, 0), -EINVAL);
	assert_untouched(&request);
}

static void expect_encoding(const struct canister_request *request, const char *expected)
{
	char buf[256];
	int len;

	memset(buf, 'x', sizeof(buf));
	len = canister_request_encode(request, buf, sizeof(buf));
	assert_string_equal(buf, expected);
	assert_int_equal(len, strlen(expected));
}

/* Other clients implement the wire format from this text; it must not drift. */
static void test_encodes_documented_wire_format(void **state)
{
	struct canister_request status = { .op = CANISTER_OP_STATUS };
	struct canister_request get = { .op = CANISTER_OP_GET, .pid = 31 };
	struct canister_request set = { .op = CANISTER_OP_SET,
					.pid = 42,
					.contid = UINT64_MAX - 1 };
	struct canister_request allocate = { .op = CANISTER_OP_SET, .pid = 42, .allocate = true };

	expect_encoding(&status, "{\"version\":1,\"op\":\"status\"}");
	expect_encoding(&get, "{\"version\":1,\"op\":\"get\",\"pid\":31}");
	expect_encoding(
		&set,
		"{\"version\":1,\"op\":\"set\",\"pid\":42,\"contid\":\"18446744073709551614\"}");
	expect_encoding(&allocate, "{\"version\":1,\"op\":\"set\",\"pid\":42}");
}

static void test_encode_then_decode_round_trips(void **state)
{
	static const struct canister_request requests[] = {
		{ .op = CANISTER_OP_STATUS },
		{ .op = CANISTER_OP_GET, .pid = 1 },
		{ .op = CANISTER_OP_GET, .pid = INT_MAX },
		{ .op = CANISTER_OP_SET, .pid = 1, .allocate = true },
		{ .op = CANISTER_OP_SET, .pid = 99, .contid = 0 },
		{ .op = CANISTER_OP_SET, .pid = INT_MAX, .contid = UINT64_MAX - 1 },
		{ .op = CANISTER_OP_SET, .pid = 5, .contid = 9007199254740993ULL },
	};

	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		struct canister_request decoded = sentinel;
		char buf[CANISTER_REQUEST_MAX], err[256] = "";
		int len = canister_request_encode(&requests[i], buf, sizeof(buf));

		assert_true(len > 0);
		if (decode_len(buf, len, &decoded, err, sizeof(err)) != 0)
			fail_msg("own encoding %s refused: %s", buf, err);
		assert_int_equal(decoded.op, requests[i].op);
		assert_int_equal(decoded.pid, requests[i].pid);
		assert_int_equal(decoded.allocate, requests[i].allocate);
		assert_true(decoded.contid == requests[i].contid);
	}
}

/* The returned length excludes the NUL; a buffer without room for it is refused, not cut. */
static void test_encode_buffer_boundary(void **state)
{
	struct canister_request set = { .op = CANISTER_OP_SET, .pid = 42, .contid = 7 };
	char buf[128];
	int len;

	len = canister_request_encode(&set, buf, sizeof(buf));
	assert_int_equal(len, strlen("{\"version\":1,\"op\":\"set\",\"pid\":42,\"contid\":\"7\"}"));
	assert_int_equal(canister_request_encode(&set, buf, len), -EMSGSIZE);
	assert_int_equal(canister_request_encode(&set, buf, len + 1), len);
	assert_int_equal(canister_request_encode(&set, buf, 0), -EMSGSIZE);
}

static void test_encode_refuses_unknown_op(void **state)
{
	struct canister_request bogus = { .op = (enum canister_op)0 };
	char buf[128];

	assert_true(canister_request_encode(&bogus, buf, sizeof(buf)) < 0);
	bogus.op = (enum canister_op)(CANISTER_OP_SET + 1);
	assert_true(canister_request_encode(&bogus, buf, sizeof(buf)) < 0);
}

static void test_op_names(void **state)
{
	assert_string_equal(canister_op_name(CANISTER_OP_STATUS), "status");
	assert_string_equal(canister_op_name(CANISTER_OP_GET), "get");
	assert_string_equal(canister_op_name(CANISTER_OP_SET), "set");
	assert_string_equal(canister_op_name((enum canister_op)0), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decodes_status),
		cmocka_unit_test(test_decodes_get),
		cmocka_unit_test(test_decodes_set_with_contid),
		cmocka_unit_test(test_set_without_contid_asks_to_allocate),
		cmocka_unit_test(test_contid_range),
		cmocka_unit_test(test_contid_must_be_a_string),
		cmocka_unit_test(test_strings_with_escaped_nul_are_refused),
		cmocka_unit_test(test_pid_range),
		cmocka_unit_test(test_pid_must_be_an_integer),
		cmocka_unit_test(test_pid_is_required),
		cmocka_unit_test(test_unknown_members_are_refused),
		cmocka_unit_test(test_op_is_required_and_known),
		cmocka_unit_test(test_wrong_version_is_eproto),
		cmocka_unit_test(test_not_an_object_is_refused),
		cmocka_unit_test(test_invalid_json_is_refused),
		cmocka_unit_test(test_trailing_data_is_refused),
		cmocka_unit_test(test_truncated_json_is_refused),
		cmocka_unit_test(test_empty_and_nul_are_refused),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_error_buffer_is_bounded),
		cmocka_unit_test(test_encodes_documented_wire_format),
		cmocka_unit_test(test_encode_then_decode_round_trips),
		cmocka_unit_test(test_encode_buffer_boundary),
		cmocka_unit_test(test_encode_refuses_unknown_op),
		cmocka_unit_test(test_op_names),
	};

	return cmocka_run_group_tests_name("protocol", tests, NULL, NULL);
}
