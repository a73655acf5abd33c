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
#include <stdlib.h>
#include <string.h>

static const struct canister_request sentinel = {
	.op = (enum canister_op)77,
	.pid = 4242,
	.allocate = true,
	.contid = 0x5a5a5a5a5a5a5a5aULL,
	.has_name = true,
	.name = "sentinel",
	.has_after = true,
	.after = 0x3c3c3c3c3c3c3c3cULL,
};

/* Field by field: struct copies leave padding bytes undefined. */
static void assert_untouched(const struct canister_request *request)
{
	assert_int_equal(request->op, sentinel.op);
	assert_int_equal(request->pid, sentinel.pid);
	assert_int_equal(request->allocate, sentinel.allocate);
	assert_true(request->contid == sentinel.contid);
	assert_int_equal(request->has_name, sentinel.has_name);
	assert_string_equal(request->name, sentinel.name);
	assert_int_equal(request->has_after, sentinel.has_after);
	assert_true(request->after == sentinel.after);
}

/* Fields an op does not take come back zero, whatever the output held before. */
static void assert_no_name_or_after(const struct canister_request *request)
{
	assert_false(request->has_name);
	assert_string_equal(request->name, "");
	assert_false(request->has_after);
	assert_true(request->after == 0);
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

static void test_decodes_set_with_name(void **state)
{
	struct canister_request request;

	request = decode_ok("{\"op\":\"set\",\"pid\":7,\"contid\":\"4\",\"name\":\"web-1\"}");
	assert_int_equal(request.op, CANISTER_OP_SET);
	assert_int_equal(request.pid, 7);
	assert_false(request.allocate);
	assert_true(request.contid == 4);
	assert_true(request.has_name);
	assert_string_equal(request.name, "web-1");
	assert_false(request.has_after);

	/* A name and no contid: the daemon picks the contid, the name stays the caller's. */
	request = decode_ok("{\"op\":\"set\",\"name\":\"0f8fad5b-d9cb-469f-a165-70867728950e\","
			    "\"pid\":7}");
	assert_true(request.allocate);
	assert_true(request.has_name);
	assert_string_equal(request.name, "0f8fad5b-d9cb-469f-a165-70867728950e");

	/* Without "name", none: the output's old name must not survive. */
	request = decode_ok("{\"op\":\"set\",\"pid\":7,\"contid\":\"4\"}");
	assert_no_name_or_after(&request);
}

/* The longest name canister takes: a 64-hex digest, as container engines print ids. */
static void test_name_length_limit(void **state)
{
	static const char digest[] =
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	struct canister_request request;
	char json[256];

	assert_int_equal(strlen(digest), CANISTER_NAME_MAX);
	snprintf(json, sizeof(json), "{\"op\":\"set\",\"pid\":7,\"name\":\"%s\"}", digest);
	request = decode_ok(json);
	assert_string_equal(request.name, digest);

	snprintf(json, sizeof(json), "{\"op\":\"set\",\"pid\":7,\"name\":\"%sa\"}", digest);
	expect_refused(json, -EINVAL, "a container name has at most 64 characters");
}

/* What canister_name_check() refuses is refused with its reason, for the caller to read. */
static void test_bad_names_are_refused_with_reason(void **state)
{
	static const struct {
		const char *value;
		const char *reason;
	} refused[] = {
		{ "\"\"", "a container name must not be empty" },
		{ "\"web 1\"",
		  "character 4 of the container name is not one of [A-Za-z0-9._:+@-]" },
		{ "\"a/b\"", "character 2 of the container name" },
		{ "\"x\\\"y\"", "character 2 of the container name" },
		{ "\"web\\n\"", "character 4 of the container name" },
		{ "\"caf\\u00e9\"", "character 4 of the container name" },
		{ "\"$(reboot)\"", "character 1 of the container name" },
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"set\",\"pid\":7,\"name\":%s}",
			 refused[i].value);
		expect_refused(json, -EINVAL, refused[i].reason);
	}
}

static void test_name_must_be_a_string(void **state)
{
	static const char *const values[] = { "42", "true", "null", "[\"web\"]", "{}" };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"set\",\"pid\":7,\"name\":%s}", values[i]);
		expect_refused(json, -EINVAL, "\"name\" must be a string");
	}
}

/* "web\u0000; rm" would pass for "web" if C string functions judged it. */
static void test_name_with_escaped_nul_is_refused(void **state)
{
	expect_refused("{\"op\":\"set\",\"pid\":7,\"name\":\"web\\u0000x\"}", -EINVAL,
		       "\"name\" contains a NUL character");
	expect_refused("{\"op\":\"set\",\"pid\":7,\"name\":\"\\u0000\"}", -EINVAL,
		       "\"name\" contains a NUL character");
}

static void test_decodes_delegate(void **state)
{
	struct canister_request request =
		decode_ok("{\"version\":1,\"op\":\"delegate\",\"pid\":99}");

	assert_int_equal(request.op, CANISTER_OP_DELEGATE);
	assert_int_equal(request.pid, 99);
	assert_false(request.allocate);
	assert_no_name_or_after(&request);
}

static void test_delegate_pid_is_checked(void **state)
{
	expect_refused("{\"op\":\"delegate\"}", -EINVAL, "op \"delegate\" needs \"pid\"");
	expect_refused("{\"op\":\"delegate\",\"pid\":\"99\"}", -EINVAL,
		       "\"pid\" must be an integer");
	expect_refused("{\"op\":\"delegate\",\"pid\":0}", -EINVAL,
		       "\"pid\" must be in 1..2147483647");
	expect_refused("{\"op\":\"delegate\",\"pid\":2147483648}", -EINVAL,
		       "\"pid\" must be in 1..2147483647");
}

static void test_decodes_list(void **state)
{
	struct canister_request request;

	request = decode_ok("{\"op\":\"list\"}");
	assert_int_equal(request.op, CANISTER_OP_LIST);
	assert_int_equal(request.pid, 0);
	assert_no_name_or_after(&request);

	request = decode_ok("{\"version\":1,\"op\":\"list\",\"after\":\"9007199254740993\"}");
	assert_int_equal(request.op, CANISTER_OP_LIST);
	assert_true(request.has_after);
	assert_true(request.after == 9007199254740993ULL);
	assert_false(request.has_name);

	/* 0 is a contid: "after 0" is not "from the start". */
	request = decode_ok("{\"op\":\"list\",\"after\":\"0\"}");
	assert_true(request.has_after && request.after == 0);
	request = decode_ok("{\"op\":\"list\",\"after\":\"18446744073709551614\"}");
	assert_true(request.has_after && request.after == UINT64_MAX - 1);
}

static void test_after_is_a_contid_string(void **state)
{
	static const char *const not_strings[] = { "4", "4.0", "true", "null", "[\"4\"]", "{}" };
	static const char *const not_contids[] = {
		"\"18446744073709551615\"",
		"\"18446744073709551616\"",
		"\"-1\"",
		"\" 4\"",
		"\"0x4\"",
		"\"\"",
		"\"unset\"",
		"\"4\\u0000\"",
	};

	for (size_t i = 0; i < sizeof(not_strings) / sizeof(not_strings[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"list\",\"after\":%s}", not_strings[i]);
		expect_refused(json, -EINVAL, "\"after\" must be a decimal string");
	}
	for (size_t i = 0; i < sizeof(not_contids) / sizeof(not_contids[0]); i++) {
		char json[128];

		snprintf(json, sizeof(json), "{\"op\":\"list\",\"after\":%s}", not_contids[i]);
		expect_refused(json, -EINVAL,
			       "\"after\" must be a decimal number in 0..18446744073709551614");
	}
}

/* Each new member belongs to one op; elsewhere it is a mistake, not an extra. */
static void test_new_members_only_where_they_belong(void **state)
{
	expect_refused("{\"op\":\"get\",\"pid\":1,\"name\":\"web\"}", -EINVAL,
		       "op \"get\" takes no member \"name\"");
	expect_refused("{\"op\":\"delegate\",\"pid\":1,\"name\":\"web\"}", -EINVAL,
		       "op \"delegate\" takes no member \"name\"");
	expect_refused("{\"op\":\"delegate\",\"pid\":1,\"contid\":\"4\"}", -EINVAL,
		       "op \"delegate\" takes no member \"contid\"");
	expect_refused("{\"op\":\"set\",\"pid\":1,\"after\":\"4\"}", -EINVAL,
		       "op \"set\" takes no member \"after\"");
	expect_refused("{\"op\":\"list\",\"pid\":1}", -EINVAL,
		       "op \"list\" takes no member \"pid\"");
	expect_refused("{\"op\":\"list\",\"name\":\"web\"}", -EINVAL,
		       "op \"list\" takes no member \"name\"");
	expect_refused("{\"op\":\"list\",\"limit\":200}", -EINVAL,
		       "op \"list\" takes no member \"limit\"");
	expect_refused("{\"op\":\"status\",\"after\":\"4\"}", -EINVAL,
		       "op \"status\" takes no member \"after\"");
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

static void test_encodes_new_ops_wire_format(void **state)
{
	struct canister_request named = {
		.op = CANISTER_OP_SET, .pid = 42, .contid = 4, .has_name = true, .name = "web-1"
	};
	struct canister_request named_allocate = { .op = CANISTER_OP_SET,
						   .pid = 42,
						   .allocate = true,
						   .has_name = true,
						   .name = "web-1" };
	struct canister_request delegate = { .op = CANISTER_OP_DELEGATE, .pid = 8 };
	struct canister_request list = { .op = CANISTER_OP_LIST };
	struct canister_request list_after = { .op = CANISTER_OP_LIST,
					       .has_after = true,
					       .after = UINT64_MAX - 1 };
	/* Fields an op does not take stay off the wire, or the daemon would refuse it. */
	struct canister_request list_stray = {
		.op = CANISTER_OP_LIST, .pid = 5, .contid = 3, .has_name = true, .name = "x"
	};
	struct canister_request get_stray = {
		.op = CANISTER_OP_GET, .pid = 5, .has_name = true, .name = "x", .has_after = true
	};

	expect_encoding(
		&named,
		"{\"version\":1,\"op\":\"set\",\"pid\":42,\"contid\":\"4\",\"name\":\"web-1\"}");
	expect_encoding(&named_allocate,
			"{\"version\":1,\"op\":\"set\",\"pid\":42,\"name\":\"web-1\"}");
	expect_encoding(&delegate, "{\"version\":1,\"op\":\"delegate\",\"pid\":8}");
	expect_encoding(&list, "{\"version\":1,\"op\":\"list\"}");
	expect_encoding(&list_after,
			"{\"version\":1,\"op\":\"list\",\"after\":\"18446744073709551614\"}");
	expect_encoding(&list_stray, "{\"version\":1,\"op\":\"list\"}");
	expect_encoding(&get_stray, "{\"version\":1,\"op\":\"get\",\"pid\":5}");
}

/* The encoder writes names unescaped; one that needs escaping must never get that far. */
static void test_encode_refuses_bad_name(void **state)
{
	static const char *const names[] = { "", "a\"b", "a\\b", "a b", "x}" };
	struct canister_request set = { .op = CANISTER_OP_SET, .pid = 42, .has_name = true };
	char buf[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(set.name, sizeof(set.name), "%s", names[i]);
		assert_int_equal(canister_request_encode(&set, buf, sizeof(buf)), -EINVAL);
	}
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
		{ .op = CANISTER_OP_SET, .pid = 5, .contid = 4, .has_name = true, .name = "web-1" },
		{ .op = CANISTER_OP_SET,
		  .pid = 5,
		  .allocate = true,
		  .has_name = true,
		  .name = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ .op = CANISTER_OP_SET,
		  .pid = 5,
		  .allocate = true,
		  .has_name = true,
		  .name = "A.Za-z0_9:+@" },
		{ .op = CANISTER_OP_DELEGATE, .pid = 1 },
		{ .op = CANISTER_OP_DELEGATE, .pid = INT_MAX },
		{ .op = CANISTER_OP_LIST },
		{ .op = CANISTER_OP_LIST, .has_after = true, .after = 0 },
		{ .op = CANISTER_OP_LIST, .has_after = true, .after = UINT64_MAX - 1 },
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
		assert_int_equal(decoded.has_name, requests[i].has_name);
		assert_string_equal(decoded.name, requests[i].name);
		assert_int_equal(decoded.has_after, requests[i].has_after);
		assert_true(decoded.after == requests[i].after);
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
	bogus.op = (enum canister_op)(CANISTER_OP_AUDIT_REMOVE + 1);
	assert_true(canister_request_encode(&bogus, buf, sizeof(buf)) < 0);
}

static void test_op_names(void **state)
{
	assert_string_equal(canister_op_name(CANISTER_OP_STATUS), "status");
	assert_string_equal(canister_op_name(CANISTER_OP_GET), "get");
	assert_string_equal(canister_op_name(CANISTER_OP_SET), "set");
	assert_string_equal(canister_op_name(CANISTER_OP_DELEGATE), "delegate");
	assert_string_equal(canister_op_name(CANISTER_OP_LIST), "list");
	assert_string_equal(canister_op_name((enum canister_op)0), "?");
}

static void test_audit_add_round_trip(void **state)
{
	struct canister_request request = { .op = CANISTER_OP_AUDIT_ADD, .contid = 62 }, back;
	char buf[CANISTER_REQUEST_MAX], err[256];
	int len;

	strcpy(request.sink.log, "/var/log/with \"quote\" and \\ backslash");
	strcpy(request.sink.rules, "/etc/canister/62.rules");
	strcpy(request.sink.socket, "/run/canister/62.sock");
	request.sink.backlog = 4;
	request.sink.json = true;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_AUDIT_ADD);
	assert_int_equal(back.contid, 62);
	assert_string_equal(back.sink.log, request.sink.log);
	assert_string_equal(back.sink.rules, request.sink.rules);
	assert_string_equal(back.sink.socket, request.sink.socket);
	assert_int_equal(back.sink.backlog, 4);
	assert_true(back.sink.json);

	request.op = CANISTER_OP_AUDIT_REMOVE;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_AUDIT_REMOVE);
	assert_int_equal(back.contid, 62);
}

static void expect_audit_refusal(const char *json, const char *message)
{
	struct canister_request request;
	char err[256] = "";

	assert_int_equal(canister_request_decode(json, strlen(json), &request, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, message);
}

static void test_audit_add_refusals(void **state)
{
	expect_audit_refusal("{\"op\":\"audit-add\",\"log\":\"/x\"}",
			     "op \"audit-add\" needs \"contid\"");
	expect_audit_refusal("{\"op\":\"audit-add\",\"contid\":\"0\",\"log\":\"/x\"}",
			     "\"contid\" 0 is no container");
	expect_audit_refusal("{\"op\":\"audit-add\",\"contid\":\"4\"}",
			     "op \"audit-add\" needs \"log\"");
	expect_audit_refusal("{\"op\":\"audit-add\",\"contid\":\"4\",\"log\":\"x.log\"}",
			     "\"log\" must be an absolute path");
	expect_audit_refusal("{\"op\":\"audit-add\",\"contid\":\"4\",\"log\":\"/x\",\"backlog\":0}",
			     "\"backlog\" must be an integer in 1..1000000");
	expect_audit_refusal(
		"{\"op\":\"audit-add\",\"contid\":\"4\",\"log\":\"/x\",\"backlog\":\"5\"}",
		"\"backlog\" must be an integer in 1..1000000");
	expect_audit_refusal(
		"{\"op\":\"audit-add\",\"contid\":\"4\",\"log\":\"/x\",\"format\":\"xml\"}",
		"\"format\" must be \"text\" or \"json\"");
	expect_audit_refusal("{\"op\":\"audit-add\",\"contid\":\"4\",\"log\":\"/x\\u0000y\"}",
			     "\"log\" must be a string without NUL");
	expect_audit_refusal(
		"{\"op\":\"audit-add\",\"contid\":\"4\",\"log\":\"/x\",\"socket\":"
		"\"/0123456789012345678901234567890123456789012345678901234567890123456789"
		"01234567890123456789012345678901234567890123456789\"}",
		"\"socket\" is longer than 107 bytes");
	expect_audit_refusal("{\"op\":\"audit-remove\",\"contid\":\"4\",\"log\":\"/x\"}",
			     "op \"audit-remove\" takes no member \"log\"");
}

static void test_integrity_round_trip(void **state)
{
	static struct canister_request request, back;
	static char buf[CANISTER_REQUEST_LARGE_MAX + 1];
	static const char policy[] = "measure func=BPRM_CHECK \n\"quoted\" \\ \t\n";
	char err[256];
	int len;

	(void)state;
	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_INTEGRITY_POLICY;
	request.contid = 17;
	strcpy(request.integrity.policy, policy);
	request.integrity.policy_len = strlen(policy);
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_INTEGRITY_POLICY);
	assert_int_equal(back.contid, 17);
	assert_int_equal(back.integrity.policy_len, strlen(policy));
	assert_string_equal(back.integrity.policy, policy);

	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_INTEGRITY_READ;
	request.contid = 18;
	request.integrity.file = CANISTER_INTEGRITY_PCRS;
	request.integrity.sha256 = true;
	request.integrity.offset = 131072;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_string_equal(buf, "{\"version\":1,\"op\":\"integrity-read\",\"contid\":\"18\","
				 "\"file\":\"pcrs\",\"bank\":\"sha256\",\"offset\":131072}");
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_INTEGRITY_READ);
	assert_int_equal(back.contid, 18);
	assert_int_equal(back.integrity.file, CANISTER_INTEGRITY_PCRS);
	assert_true(back.integrity.sha256);
	assert_int_equal(back.integrity.offset, 131072);

	/* Defaults: the sha1 bank, from the start. */
	back = decode_ok("{\"op\":\"integrity-read\",\"contid\":\"3\",\"file\":\"binary\"}");
	assert_int_equal(back.integrity.file, CANISTER_INTEGRITY_BINARY);
	assert_false(back.integrity.sha256);
	assert_int_equal(back.integrity.offset, 0);

	/* Nothing else encodes: contid 0, an unknown file. */
	request.contid = 0;
	assert_int_equal(canister_request_encode(&request, buf, sizeof(buf)), -EINVAL);
	request.contid = 18;
	request.integrity.file = (enum canister_integrity_file)9;
	assert_int_equal(canister_request_encode(&request, buf, sizeof(buf)), -EINVAL);
}

static void test_integrity_refusals(void **state)
{
	(void)state;
	expect_refused("{\"op\":\"integrity-policy\",\"contid\":\"4\"}", -EINVAL,
		       "op \"integrity-policy\" needs \"policy\"");
	expect_refused("{\"op\":\"integrity-policy\",\"policy\":\"\"}", -EINVAL,
		       "op \"integrity-policy\" needs \"contid\"");
	expect_refused("{\"op\":\"integrity-policy\",\"contid\":\"4\",\"policy\":7}", -EINVAL,
		       "\"policy\" must be a string without NUL");
	expect_refused("{\"op\":\"integrity-policy\",\"contid\":\"4\",\"policy\":\"a\\u0000\"}",
		       -EINVAL, "\"policy\" must be a string without NUL");
	expect_refused("{\"op\":\"integrity-policy\",\"contid\":\"0\",\"policy\":\"\"}", -EINVAL,
		       "\"contid\" 0 is no container");
	expect_refused("{\"op\":\"integrity-read\",\"contid\":\"4\"}", -EINVAL,
		       "op \"integrity-read\" needs \"file\"");
	expect_refused("{\"op\":\"integrity-read\",\"contid\":\"4\",\"file\":\"shadow\"}", -EINVAL,
		       "\"file\" must be \"ascii\", \"binary\", \"pcrs\", \"policy\" or \"tpm\"");
	expect_refused("{\"op\":\"integrity-read\",\"contid\":\"4\",\"file\":\"pcrs\","
		       "\"bank\":\"md5\"}",
		       -EINVAL, "\"bank\" must be \"sha1\" or \"sha256\"");
	expect_refused("{\"op\":\"integrity-read\",\"contid\":\"4\",\"file\":\"pcrs\","
		       "\"offset\":-1}",
		       -EINVAL, "\"offset\" must be an integer in 0..2^53");
	expect_refused("{\"op\":\"integrity-read\",\"contid\":\"4\",\"file\":\"pcrs\","
		       "\"offset\":\"1\"}",
		       -EINVAL, "\"offset\" must be an integer in 0..2^53");
	expect_refused("{\"op\":\"integrity-read\",\"contid\":\"4\",\"file\":\"pcrs\","
		       "\"policy\":\"\"}",
		       -EINVAL, "op \"integrity-read\" takes no member \"policy\"");
}

/* integrity-tpm: one of two words, encoded and decoded; nothing else passes either way. */
static void test_integrity_tpm(void **state)
{
	static struct canister_request request, back;
	static const char *const bad[] = { "\"tpm\":\"tpm\"", "\"tpm\":\"swtpm\\n\"",
					   "\"tpm\":\"none\\u0000\"", "\"tpm\":\"\"",
					   "\"tpm\":\"SWTPM\"" };
	char buf[CANISTER_REQUEST_MAX], err[256], text[256];
	int len;

	(void)state;
	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_INTEGRITY_TPM;
	request.contid = 19;
	request.integrity.tpm = CANISTER_TPM_SWTPM;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_string_equal(buf, "{\"version\":1,\"op\":\"integrity-tpm\",\"contid\":\"19\","
				 "\"tpm\":\"swtpm\"}");
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_INTEGRITY_TPM);
	assert_int_equal(back.contid, 19);
	assert_int_equal(back.integrity.tpm, CANISTER_TPM_SWTPM);
	back = decode_ok("{\"op\":\"integrity-tpm\",\"contid\":\"3\",\"tpm\":\"none\"}");
	assert_int_equal(back.integrity.tpm, CANISTER_TPM_NONE);
	back = decode_ok("{\"op\":\"integrity-read\",\"contid\":\"3\",\"file\":\"tpm\"}");
	assert_int_equal(back.integrity.file, CANISTER_INTEGRITY_TPM);

	expect_refused("{\"op\":\"integrity-tpm\",\"contid\":\"4\"}", -EINVAL,
		       "op \"integrity-tpm\" needs \"tpm\", a string");
	expect_refused("{\"op\":\"integrity-tpm\",\"contid\":\"4\",\"tpm\":1}", -EINVAL,
		       "op \"integrity-tpm\" needs \"tpm\", a string");
	expect_refused("{\"op\":\"integrity-tpm\",\"tpm\":\"none\"}", -EINVAL,
		       "op \"integrity-tpm\" needs \"contid\"");
	expect_refused("{\"op\":\"integrity-tpm\",\"contid\":\"4\",\"tpm\":\"none\","
		       "\"nonce\":\"00\"}",
		       -EINVAL, "op \"integrity-tpm\" takes no member \"nonce\"");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{\"op\":\"integrity-tpm\",\"contid\":\"4\",%s}",
			 bad[i]);
		expect_refused(text, -EINVAL, "\"tpm\" must be \"none\" or \"swtpm\"");
	}
	/* A choice out of range does not encode. */
	request.integrity.tpm = (enum canister_tpm_choice)2;
	assert_int_equal(canister_request_encode(&request, buf, sizeof(buf)), -EINVAL);
}

static void test_appraisal_round_trip(void **state)
{
	static struct canister_request request, back;
	static char buf[CANISTER_REQUEST_LARGE_MAX + 1];
	char err[256];
	int len;

	(void)state;
	/* A certificate in DER holds NUL bytes: it travels in hex, whole, even at its largest. */
	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_INTEGRITY_KEY_ADD;
	request.contid = 21;
	for (size_t i = 0; i < CANISTER_INTEGRITY_CERTIFICATE_MAX; i++)
		request.integrity.certificate[i] = (uint8_t)i;
	request.integrity.certificate_len = CANISTER_INTEGRITY_CERTIFICATE_MAX;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_true(len > CANISTER_REQUEST_MAX);
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_INTEGRITY_KEY_ADD);
	assert_int_equal(back.integrity.certificate_len, CANISTER_INTEGRITY_CERTIFICATE_MAX);
	assert_memory_equal(back.integrity.certificate, request.integrity.certificate,
			    CANISTER_INTEGRITY_CERTIFICATE_MAX);

	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_INTEGRITY_KEY_REMOVE;
	request.contid = 22;
	request.integrity.keyid = 0x0a0b0c0d;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_string_equal(buf, "{\"version\":1,\"op\":\"integrity-key-remove\",\"contid\":"
				 "\"22\",\"keyid\":\"0a0b0c0d\"}");
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.integrity.keyid, 0x0a0b0c0d);

	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_INTEGRITY_APPRAISE;
	request.contid = 23;
	request.integrity.has_mode = true;
	request.integrity.mode = CANISTER_APPRAISE_ENFORCE;
	request.integrity.has_host_keys = true;
	request.integrity.host_keys = true;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_string_equal(buf, "{\"version\":1,\"op\":\"integrity-appraise\",\"contid\":"
				 "\"23\",\"mode\":\"enforce\",\"host_keys\":true}");
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_true(back.integrity.has_mode && back.integrity.has_host_keys);
	assert_int_equal(back.integrity.mode, CANISTER_APPRAISE_ENFORCE);
	assert_true(back.integrity.host_keys);
	/* Neither: a read. */
	back = decode_ok("{\"op\":\"integrity-appraise\",\"contid\":\"3\"}");
	assert_false(back.integrity.has_mode || back.integrity.has_host_keys);
}

static void test_appraisal_refusals(void **state)
{
	(void)state;
	expect_refused("{\"op\":\"integrity-key-add\",\"contid\":\"4\"}", -EINVAL,
		       "op \"integrity-key-add\" needs \"certificate\", a string");
	expect_refused("{\"op\":\"integrity-key-add\",\"contid\":\"4\",\"certificate\":\"\"}",
		       -EINVAL, "\"certificate\" must be 1 to 65536 bytes in lower-case hex");
	expect_refused("{\"op\":\"integrity-key-add\",\"contid\":\"4\",\"certificate\":\"3G\"}",
		       -EINVAL, "\"certificate\" must be 1 to 65536 bytes in lower-case hex");
	expect_refused("{\"op\":\"integrity-key-remove\",\"contid\":\"4\",\"keyid\":\"ABCDEF01\"}",
		       -EINVAL,
		       "op \"integrity-key-remove\" needs \"keyid\", 8 lower-case hex digits");
	expect_refused("{\"op\":\"integrity-key-remove\",\"contid\":\"4\",\"keyid\":\"abc\"}",
		       -EINVAL,
		       "op \"integrity-key-remove\" needs \"keyid\", 8 lower-case hex digits");
	expect_refused("{\"op\":\"integrity-appraise\",\"contid\":\"4\",\"mode\":\"strict\"}",
		       -EINVAL, "\"mode\" must be \"off\", \"log\" or \"enforce\"");
	expect_refused("{\"op\":\"integrity-appraise\",\"contid\":\"4\",\"host_keys\":\"yes\"}",
		       -EINVAL, "\"host_keys\" must be true or false");
	expect_refused("{\"op\":\"integrity-appraise\",\"contid\":\"4\",\"keyid\":\"01020304\"}",
		       -EINVAL, "op \"integrity-appraise\" takes no member \"keyid\"");
	expect_refused("{\"op\":\"integrity-appraise\",\"mode\":\"off\"}", -EINVAL,
		       "op \"integrity-appraise\" needs \"contid\"");
}

/* policy-load and policy-show: what the CLI sends is what canisterd reads. */
static void test_policy_round_trip(void **state)
{
	static struct canister_request request, back;
	static char buf[CANISTER_REQUEST_LARGE_MAX + 1];
	static const char policy[] =
		"fs handle execute\nfs allow execute beneath /srv/a \"b\"\t\\\n";
	char err[256];
	int len;

	(void)state;
	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_POLICY_LOAD;
	request.contid = 12;
	request.policy.mode = CANISTER_ACCESS_COMPLAIN;
	strcpy(request.policy.policy, policy);
	request.policy.policy_len = strlen(policy);
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_POLICY_LOAD);
	assert_int_equal(back.contid, 12);
	assert_int_equal(back.policy.mode, CANISTER_ACCESS_COMPLAIN);
	assert_int_equal(back.policy.policy_len, strlen(policy));
	assert_string_equal(back.policy.policy, policy);
	/* No mode: enforce. */
	back = decode_ok("{\"op\":\"policy-load\",\"contid\":\"3\",\"policy\":\"\"}");
	assert_int_equal(back.policy.mode, CANISTER_ACCESS_ENFORCE);
	assert_int_equal(back.policy.policy_len, 0);

	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_POLICY_SHOW;
	request.contid = 13;
	request.policy.effective = true;
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_string_equal(
		buf, "{\"version\":1,\"op\":\"policy-show\",\"contid\":\"13\",\"effective\":true}");
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_POLICY_SHOW);
	assert_true(back.policy.effective);
	back = decode_ok("{\"op\":\"policy-show\",\"contid\":\"13\"}");
	assert_false(back.policy.effective);
	/* What the decoder refuses, the encoder does not write. */
	request.contid = 0;
	assert_int_equal(canister_request_encode(&request, buf, sizeof(buf)), -EINVAL);
	memset(&request, 0, sizeof(request));
	request.op = CANISTER_OP_POLICY_LOAD;
	request.contid = 12;
	request.policy.mode = 7;
	assert_int_equal(canister_request_encode(&request, buf, sizeof(buf)), -EINVAL);
	request.policy.mode = CANISTER_ACCESS_ENFORCE;
	request.policy.policy_len = CANISTER_ACCESS_POLICY_TEXT_MAX + 1;
	assert_int_equal(canister_request_encode(&request, buf, sizeof(buf)), -EINVAL);
}

static void test_policy_refusals(void **state)
{
	(void)state;
	expect_refused("{\"op\":\"policy-load\",\"contid\":\"4\"}", -EINVAL,
		       "op \"policy-load\" needs \"policy\"");
	expect_refused("{\"op\":\"policy-load\",\"policy\":\"\"}", -EINVAL,
		       "op \"policy-load\" needs \"contid\"");
	expect_refused("{\"op\":\"policy-load\",\"contid\":\"0\",\"policy\":\"\"}", -EINVAL,
		       "\"contid\" 0 is no container");
	expect_refused("{\"op\":\"policy-load\",\"contid\":\"4\",\"policy\":7}", -EINVAL,
		       "\"policy\" must be a string without NUL");
	expect_refused("{\"op\":\"policy-load\",\"contid\":\"4\",\"policy\":\"a\\u0000\"}", -EINVAL,
		       "\"policy\" must be a string without NUL");
	expect_refused("{\"op\":\"policy-load\",\"contid\":\"4\",\"policy\":\"\",\"mode\":\"log\"}",
		       -EINVAL, "\"mode\" must be \"enforce\" or \"complain\"");
	expect_refused("{\"op\":\"policy-load\",\"contid\":\"4\",\"policy\":\"\",\"mode\":1}",
		       -EINVAL, "\"mode\" must be \"enforce\" or \"complain\"");
	expect_refused(
		"{\"op\":\"policy-load\",\"contid\":\"4\",\"policy\":\"\",\"effective\":true}",
		-EINVAL, "op \"policy-load\" takes no member \"effective\"");
	expect_refused("{\"op\":\"policy-show\",\"contid\":\"4\",\"effective\":1}", -EINVAL,
		       "\"effective\" must be true or false");
	expect_refused("{\"op\":\"policy-show\",\"contid\":\"4\",\"policy\":\"\"}", -EINVAL,
		       "op \"policy-show\" takes no member \"policy\"");
	expect_refused("{\"op\":\"policy-show\"}", -EINVAL, "op \"policy-show\" needs \"contid\"");
	expect_refused("{\"op\":\"policy-show\",\"contid\":\"18446744073709551615\"}", -EINVAL,
		       "\"contid\" must be a decimal number");
}

/* {"op":"OP","contid":"4","policy":"aaa..."} with @text_len a's into @buf; returns its length. */
static size_t text_request(char *buf, const char *op, size_t text_len)
{
	size_t len = (size_t)sprintf(buf, "{\"op\":\"%s\",\"contid\":\"4\",\"policy\":\"", op);

	memset(buf + len, 'a', text_len);
	memcpy(buf + len + text_len, "\"}", 2);
	return len + text_len + 2;
}

/*
 * @op takes a text of @max bytes and not one more; *@decoded_len (a member
 * of @request) is the length it decoded.
 */
static void expect_text_limit(const char *op, size_t max, struct canister_request *request,
			      const size_t *decoded_len)
{
	static char buf[CANISTER_REQUEST_LARGE_MAX + 2];
	char err[256];
	size_t len;

	len = text_request(buf, op, max);
	assert_int_equal(canister_request_decode(buf, len, request, err, sizeof(err)), 0);
	assert_int_equal(*decoded_len, max);
	len = text_request(buf, op, max + 1);
	assert_int_equal(canister_request_decode(buf, len, request, err, sizeof(err)), -EMSGSIZE);
	assert_non_null(strstr(err, "\"policy\" is longer than"));
}

/* policy-load may exceed CANISTER_REQUEST_MAX up to its text's limit; policy-show may not. */
static void test_policy_load_size(void **state)
{
	static char buf[CANISTER_REQUEST_LARGE_MAX + 2];
	struct canister_request *request = malloc(sizeof(*request));
	char err[256];

	(void)state;
	assert_non_null(request);
	expect_text_limit("policy-load", CANISTER_ACCESS_POLICY_TEXT_MAX, request,
			  &request->policy.policy_len);
	/* Every byte of the longest text escaped (a tab is "\t") still fits a request. */
	memset(request, 0, sizeof(*request));
	request->op = CANISTER_OP_POLICY_LOAD;
	request->contid = 4;
	memset(request->policy.policy, '\t', CANISTER_ACCESS_POLICY_TEXT_MAX);
	request->policy.policy_len = CANISTER_ACCESS_POLICY_TEXT_MAX;
	assert_true(canister_request_encode(request, buf, sizeof(buf)) > 0);
	/* policy-show is small. */
	memset(buf, ' ', CANISTER_REQUEST_MAX + 5);
	memcpy(buf + CANISTER_REQUEST_MAX + 5 - 33, "{\"op\":\"policy-show\",\"contid\":\"4\"}",
	       33);
	assert_int_equal(
		canister_request_decode(buf, CANISTER_REQUEST_MAX + 5, request, err, sizeof(err)),
		-EMSGSIZE);
	free(request);
}

/* Only integrity-policy may exceed CANISTER_REQUEST_MAX, and only up to its own limits. */
static void test_integrity_policy_size(void **state)
{
	static char buf[CANISTER_REQUEST_LARGE_MAX + 2];
	struct canister_request *request = malloc(sizeof(*request));
	char err[256];

	(void)state;
	assert_non_null(request);
	expect_text_limit("integrity-policy", CANISTER_INTEGRITY_POLICY_TEXT_MAX, request,
			  &request->integrity.policy_len);
	/* Another op as large is refused as before. */
	memset(buf, ' ', CANISTER_REQUEST_MAX);
	memcpy(buf + CANISTER_REQUEST_MAX - 10, "{\"op\":\"status\"}", 15);
	assert_int_equal(
		canister_request_decode(buf, CANISTER_REQUEST_MAX + 5, request, err, sizeof(err)),
		-EMSGSIZE);
	assert_string_equal(err, "request larger than 4096 bytes");
	/* Beyond the large limit nothing is parsed. */
	assert_int_equal(canister_request_decode(buf, CANISTER_REQUEST_LARGE_MAX + 1, request, err,
						 sizeof(err)),
			 -EMSGSIZE);
	free(request);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decodes_status),
		cmocka_unit_test(test_integrity_tpm),
		cmocka_unit_test(test_decodes_get),
		cmocka_unit_test(test_decodes_set_with_contid),
		cmocka_unit_test(test_set_without_contid_asks_to_allocate),
		cmocka_unit_test(test_decodes_set_with_name),
		cmocka_unit_test(test_name_length_limit),
		cmocka_unit_test(test_bad_names_are_refused_with_reason),
		cmocka_unit_test(test_name_must_be_a_string),
		cmocka_unit_test(test_name_with_escaped_nul_is_refused),
		cmocka_unit_test(test_decodes_delegate),
		cmocka_unit_test(test_delegate_pid_is_checked),
		cmocka_unit_test(test_decodes_list),
		cmocka_unit_test(test_after_is_a_contid_string),
		cmocka_unit_test(test_new_members_only_where_they_belong),
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
		cmocka_unit_test(test_encodes_new_ops_wire_format),
		cmocka_unit_test(test_encode_refuses_bad_name),
		cmocka_unit_test(test_encode_then_decode_round_trips),
		cmocka_unit_test(test_encode_buffer_boundary),
		cmocka_unit_test(test_encode_refuses_unknown_op),
		cmocka_unit_test(test_op_names),
		cmocka_unit_test(test_audit_add_round_trip),
		cmocka_unit_test(test_audit_add_refusals),
		cmocka_unit_test(test_integrity_round_trip),
		cmocka_unit_test(test_integrity_refusals),
		cmocka_unit_test(test_appraisal_round_trip),
		cmocka_unit_test(test_appraisal_refusals),
		cmocka_unit_test(test_integrity_policy_size),
		cmocka_unit_test(test_policy_round_trip),
		cmocka_unit_test(test_policy_refusals),
		cmocka_unit_test(test_policy_load_size),
	};

	return cmocka_run_group_tests_name("protocol", tests, NULL, NULL);
}
