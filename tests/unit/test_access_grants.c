// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: cross-container grants: `--as M:V`, `--uid U`, and canisterd's file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/grant_parse.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_parse_as(void **state)
{
	uint64_t contid;
	uint32_t uid;
	char why[256];

	(void)state;
	assert_int_equal(access_grant_parse_as("7:1000", &contid, &uid, why, sizeof(why)), 0);
	assert_int_equal(contid, 7);
	assert_int_equal(uid, 1000);
	assert_int_equal(
		access_grant_parse_as("18446744073709551614:0", &contid, &uid, why, sizeof(why)),
		0);
	assert_true(contid == UINT64_MAX - 1);
	assert_int_equal(uid, 0);
	assert_int_equal(access_grant_parse_as("7:4294967294", &contid, &uid, why, sizeof(why)), 0);
	assert_int_equal(uid, 4294967294U);
	/* Each refusal says what is wrong. */
	assert_int_equal(access_grant_parse_as("7", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_string_equal(why,
			    "--as \"7\": expected M:V, a container and a uid of it (--as 7:1000)");
	assert_int_equal(access_grant_parse_as("7:1:2", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_int_equal(access_grant_parse_as(":5", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "--as \":5\": \"\" is not a container id");
	assert_int_equal(access_grant_parse_as("0:5", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "--as \"0:5\": \"0\" is not a container id");
	/* The unset contid, beyond u64, a sign, a leading zero: no container. */
	assert_int_equal(
		access_grant_parse_as("18446744073709551615:0", &contid, &uid, why, sizeof(why)),
		-EINVAL);
	assert_int_equal(
		access_grant_parse_as("18446744073709551616:0", &contid, &uid, why, sizeof(why)),
		-EINVAL);
	assert_int_equal(access_grant_parse_as("+7:0", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_int_equal(access_grant_parse_as("07:0", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_int_equal(access_grant_parse_as("7:", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_string_equal(why,
			    "--as: the uid \"\" is not a uid (a decimal number in 0..4294967294)");
	assert_int_equal(access_grant_parse_as("7:4294967295", &contid, &uid, why, sizeof(why)),
			 -EINVAL);
	assert_int_equal(access_grant_parse_as("7:-1", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_int_equal(access_grant_parse_as("7:01", &contid, &uid, why, sizeof(why)), -EINVAL);
	assert_int_equal(access_grant_parse_as("7: 1", &contid, &uid, why, sizeof(why)), -EINVAL);
	/* Found by fuzz_access_grants: the message echoed a terminal's control characters. */
	assert_int_equal(access_grant_parse_as("7\x1b[2J:1", &contid, &uid, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "--as: a control character where M:V belongs");
	assert_int_equal(access_grant_parse_as("7:1\n", &contid, &uid, why, sizeof(why)), -EINVAL);
}

static void test_parse_uid(void **state)
{
	uint32_t uid;
	char why[256];

	(void)state;
	assert_int_equal(access_grant_parse_uid("0", "--uid", &uid, why, sizeof(why)), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(access_grant_parse_uid("65534", "--uid", &uid, why, sizeof(why)), 0);
	assert_int_equal(uid, 65534);
	assert_int_equal(access_grant_parse_uid("4294967295", "--uid", &uid, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(
		why, "--uid \"4294967295\" is not a uid (a decimal number in 0..4294967294)");
	assert_int_equal(
		access_grant_parse_uid("99999999999999999999999", "--uid", &uid, why, sizeof(why)),
		-EINVAL);
	assert_int_equal(access_grant_parse_uid("root", "--uid", &uid, why, sizeof(why)), -EINVAL);
	assert_int_equal(access_grant_parse_uid("", "--uid", &uid, why, sizeof(why)), -EINVAL);
}

static const struct access_grant sample[] = {
	{ .holder = 4, .holder_registered = 1700000000123456789, .granted = 1700000001 },
	{ .holder = 4,
	  .holder_registered = 1700000000123456789,
	  .credential = true,
	  .uid = 0,
	  .target = 9,
	  .target_registered = 1700000000999,
	  .target_uid = 1000,
	  .granted = 1700000002 },
	{ .holder = 9,
	  .holder_registered = 1700000000999,
	  .credential = true,
	  .any_uid = true,
	  .target = 4,
	  .target_registered = 1700000000123456789,
	  .target_uid = 4294967294U,
	  .granted = 1700000003 },
};

static void test_file_round_trip(void **state)
{
	static struct access_grant back[ACCESS_GRANTS_MAX];
	size_t len, count;
	char *text, why[256];

	(void)state;
	assert_int_equal(access_grants_format(sample, 3, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "\nhost-admin 4 1700000000123456789 1700000001\n"
				     "credential 4 1700000000123456789 0 9 1700000000999 1000 "
				     "1700000002\n"
				     "credential 9 1700000000999 any 4 1700000000123456789 "
				     "4294967294 1700000003\n"));
	assert_int_equal(access_grants_parse(text, len, "grants", back, &count, why, sizeof(why)),
			 0);
	assert_int_equal(count, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(access_grant_same(&back[i], &sample[i]));
		assert_true(back[i].holder_registered == sample[i].holder_registered);
		assert_true(back[i].target_registered == sample[i].target_registered);
		assert_true(back[i].granted == sample[i].granted);
	}
	free(text);
	/* Nothing held: the comment alone, read back as none. */
	assert_int_equal(access_grants_format(sample, 0, &text, &len), 0);
	assert_int_equal(access_grants_parse(text, len, "grants", back, &count, why, sizeof(why)),
			 0);
	assert_int_equal(count, 0);
	free(text);
}

static void refused_len(const char *text, size_t len, const char *expected)
{
	static struct access_grant back[ACCESS_GRANTS_MAX];
	size_t count = 77;
	char why[256];

	assert_int_equal(access_grants_parse(text, len, "grants", back, &count, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, expected);
	assert_int_equal(count, 77);
}

static void refused(const char *text, const char *expected)
{
	refused_len(text, strlen(text), expected);
}

static void test_file_refusals(void **state)
{
	(void)state;
	refused("host-admin 4 1 x\n", "grants:1: expected \"host-admin HOLDER REGISTERED GRANTED\" "
				      "or \"credential HOLDER "
				      "REGISTERED UID|any TARGET REGISTERED TARGET_UID GRANTED\"");
	refused("# c\nhost-admin 0 1 1\n",
		"grants:2: expected \"host-admin HOLDER REGISTERED GRANTED\" or \"credential "
		"HOLDER REGISTERED UID|any TARGET REGISTERED TARGET_UID GRANTED\"");
	refused("host-admin 4 1 1 extra\n",
		"grants:1: expected \"host-admin HOLDER REGISTERED GRANTED\" or \"credential "
		"HOLDER REGISTERED UID|any TARGET REGISTERED TARGET_UID GRANTED\"");
	refused("credential 4 1 5 4 1 0 1\n",
		"grants:1: a container holds no credential for itself");
	refused("credential 4 1 4294967295 9 1 0 1\n",
		"grants:1: the uid is not one (a decimal number in 0..4294967294, or \"any\")");
	refused("credential 4 1 any 9 1 -1 1\n",
		"grants:1: the target uid is not one (a decimal number in 0..4294967294)");
	refused("host-admin 4 1 1\nhost-admin 4 2 3\n",
		"grants:2: the same grant as an earlier line");
	refused("host-admin 4 1 1\tx\n", "grants:1: a control character");
	/* A NUL inside the file is a control character, not its end. */
	refused_len("host-admin 4 1 1\0\n", 18, "grants:1: a control character");
}

static void test_file_limit(void **state)
{
	static struct access_grant back[ACCESS_GRANTS_MAX];
	size_t room = (ACCESS_GRANTS_MAX + 1) * 40, len = 0, count;
	char *text = malloc(room), why[256];

	(void)state;
	assert_non_null(text);
	for (int i = 1; i <= ACCESS_GRANTS_MAX; i++)
		len += (size_t)snprintf(text + len, room - len, "host-admin %d 1 1\n", i);
	assert_int_equal(access_grants_parse(text, len, "grants", back, &count, why, sizeof(why)),
			 0);
	assert_int_equal(count, ACCESS_GRANTS_MAX);
	len += (size_t)snprintf(text + len, room - len, "host-admin 99999 1 1\n");
	assert_int_equal(access_grants_parse(text, len, "grants", back, &count, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "grants:1025: more than 1024 grants");
	free(text);
}

static void test_same_and_describe(void **state)
{
	struct access_grant a = sample[1], b = sample[1];
	char text[96];

	(void)state;
	b.granted = 5;
	b.target_registered = 6;
	assert_true(access_grant_same(&a, &b));
	b.uid = 1;
	assert_false(access_grant_same(&a, &b));
	b = a;
	b.any_uid = true;
	assert_false(access_grant_same(&a, &b));
	b = a;
	b.target_uid = 0;
	assert_false(access_grant_same(&a, &b));
	assert_false(access_grant_same(&sample[0], &a));
	access_grant_describe(&sample[0], text, sizeof(text));
	assert_string_equal(text, "host-admin");
	access_grant_describe(&sample[1], text, sizeof(text));
	assert_string_equal(text, "credential --uid 0 --as 9:1000");
	access_grant_describe(&sample[2], text, sizeof(text));
	assert_string_equal(text, "credential --as 4:4294967294");
}

/* The ops on the wire: what the CLI encodes canisterd decodes; what it refuses. */
static void test_protocol(void **state)
{
	static struct canister_request request, back;
	char buf[CANISTER_REQUEST_MAX], err[256];
	int len;

	(void)state;
	request = (struct canister_request){ .op = CANISTER_OP_GRANT, .contid = 4 };
	request.grant = (struct canister_grant_request){
		.credential = true, .has_uid = true, .uid = 0, .as_contid = 9, .as_uid = 1000
	};
	len = canister_request_encode(&request, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(canister_request_decode(buf, (size_t)len, &back, err, sizeof(err)), 0);
	assert_int_equal(back.op, CANISTER_OP_GRANT);
	assert_true(back.contid == 4 && back.grant.credential && back.grant.has_uid &&
		    back.grant.uid == 0 && back.grant.as_contid == 9 && back.grant.as_uid == 1000);
	static const struct {
		const char *json, *err;
	} bad[] = {
		{ "{\"op\":\"grant\",\"contid\":\"4\"}", "op \"grant\" needs \"right\"" },
		{ "{\"op\":\"grant\",\"contid\":\"4\",\"right\":\"root\"}",
		  "\"right\" must be \"host-admin\" or \"credential\"" },
		{ "{\"op\":\"revoke\",\"contid\":\"4\",\"right\":\"host-admin\",\"as_uid\":1}",
		  "host-admin takes no \"uid\", \"as_contid\" or \"as_uid\"" },
		{ "{\"op\":\"grant\",\"contid\":\"4\",\"right\":\"credential\",\"as_uid\":1}",
		  "a credential needs \"as_contid\", a container (not 0)" },
		{ "{\"op\":\"grant\",\"contid\":\"4\",\"right\":\"credential\",\"as_contid\":\"9\","
		  "\"as_uid\":4294967295}",
		  "\"as_uid\" must be an integer in 0..4294967294" },
		{ "{\"op\":\"grant-list\",\"contid\":\"4\",\"right\":\"host-admin\"}",
		  "op \"grant-list\" takes no member \"right\"" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(canister_request_decode(bad[i].json, strlen(bad[i].json), &back,
							 err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, bad[i].err);
	}
}

static void test_reply(void **state)
{
	static struct canister_reply reply, back;
	static char buf[CANISTER_REPLY_MAX];
	char err[256];
	int len;

	(void)state;
	reply = (struct canister_reply){ .op = CANISTER_OP_GRANT_LIST, .ok = true };
	reply.grants.count = 2;
	reply.grants.grants[0] = (struct canister_grant_entry){ .granted = 3 };
	reply.grants.grants[1] = (struct canister_grant_entry){
		.credential = true, .as_contid = 9, .as_uid = 1000, .granted = 4
	};
	len = canister_reply_encode(&reply, buf, sizeof(buf));
	assert_true(len > 0);
	assert_string_equal(buf,
			    "{\"ok\":true,\"grants\":[{\"right\":\"host-admin\",\"granted\":3},"
			    "{\"right\":\"credential\",\"granted\":4,\"uid\":-1,\"as_contid\":"
			    "\"9\",\"as_uid\":1000}]}");
	assert_int_equal(canister_reply_decode(buf, (size_t)len, CANISTER_OP_GRANT_LIST, &back, err,
					       sizeof(err)),
			 0);
	assert_int_equal(back.grants.count, 2);
	assert_false(back.grants.grants[1].has_uid);
	assert_true(back.grants.grants[1].as_contid == 9);
	/* A credential for container 0 is no reply canisterd sends. */
	reply.grants.grants[1].as_contid = 0;
	assert_int_equal(canister_reply_encode(&reply, buf, sizeof(buf)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_as),	cmocka_unit_test(test_parse_uid),
		cmocka_unit_test(test_file_round_trip), cmocka_unit_test(test_file_refusals),
		cmocka_unit_test(test_file_limit),	cmocka_unit_test(test_same_and_describe),
		cmocka_unit_test(test_protocol),	cmocka_unit_test(test_reply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
