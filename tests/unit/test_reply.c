// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: encoding and decoding control replies, and their size bound. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/reply.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *buf; /* CANISTER_REPLY_MAX + 1 */

static int setup(void **state)
{
	buf = malloc(CANISTER_REPLY_MAX + 1);
	return buf ? 0 : -1;
}

static int teardown(void **state)
{
	free(buf);
	return 0;
}

static struct canister_reply *new_reply(enum canister_op op)
{
	struct canister_reply *reply = calloc(1, sizeof(*reply));

	assert_non_null(reply);
	reply->op = op;
	reply->ok = true;
	return reply;
}

/*
 * @reply must encode, decode to what it was, and encode again to the same
 * text; returns the decoded copy (the caller frees it) for checks of its own.
 */
static struct canister_reply *round_trip(const struct canister_reply *reply)
{
	struct canister_reply *decoded = new_reply(CANISTER_OP_STATUS);
	char err[256] = "", *first;
	int len, again;

	len = canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1);
	if (len <= 0)
		fail_msg("encode refused a valid reply: %d", len);
	first = strdup(buf);
	assert_non_null(first);
	if (canister_reply_decode(buf, (size_t)len, reply->op, decoded, err, sizeof(err)) != 0)
		fail_msg("own encoding refused: %s: %s", err, first);
	assert_int_equal(decoded->op, reply->op);
	assert_int_equal(decoded->ok, reply->ok);
	again = canister_reply_encode(decoded, buf, CANISTER_REPLY_MAX + 1);
	assert_int_equal(again, len);
	assert_string_equal(buf, first);
	free(first);
	return decoded;
}

/* @reply, the largest of its kind (@what), fits a datagram and round-trips; the copy back. */
static struct canister_reply *largest_fits(const struct canister_reply *reply, const char *what)
{
	int len = canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1);

	print_message("largest %s: %d bytes (limit %d)\n", what, len, CANISTER_REPLY_MAX);
	assert_true(len > 0 && len <= CANISTER_REPLY_MAX);
	return round_trip(reply);
}

/* @json, as the reply to @op, must be refused with -EPROTO and a reason containing @reason. */
static void expect_refused(enum canister_op op, const char *json, const char *reason)
{
	struct canister_reply *reply = new_reply(op);
	char err[256] = "";
	int r;

	memset(reply, 0xa5, sizeof(*reply));
	r = canister_reply_decode(json, strlen(json), op, reply, err, sizeof(err));
	if (r != -EPROTO)
		fail_msg("got %d (%s), expected -EPROTO: %.300s", r, err, json);
	if (!strstr(err, reason))
		fail_msg("reason \"%s\" lacks \"%s\": %.300s", err, reason, json);
	/* Nothing of a refused reply reaches the caller. */
	for (size_t i = 0; i < sizeof(*reply); i++)
		if (((unsigned char *)reply)[i] != 0xa5)
			fail_msg("%s: output written at byte %zu", json, i);
	free(reply);
}

static struct canister_reply *decode_ok(enum canister_op op, const char *json)
{
	struct canister_reply *reply = new_reply(op);
	char err[256] = "";

	if (canister_reply_decode(json, strlen(json), op, reply, err, sizeof(err)) != 0)
		fail_msg("refused %s: %s", json, err);
	return reply;
}

static void test_get_round_trip(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_GET), *back;
	struct canister_info *info = &reply->get.info;

	reply->get.pid = INT_MAX;
	info->depth = CANISTER_NEST_LIMIT_MAX;
	for (unsigned int i = 0; i < info->depth; i++)
		info->chain[i] = UINT64_MAX - 1 - i;
	strcpy(info->name, "0f8fad5b-d9cb-469f-a165-70867728950e");
	info->delegated = 1;
	back = round_trip(reply);
	assert_int_equal(back->get.pid, INT_MAX);
	assert_int_equal(back->get.info.depth, CANISTER_NEST_LIMIT_MAX);
	/* Above 2^53 a JSON number would lose the last digits: contids travel as strings. */
	assert_true(back->get.info.chain[0] == UINT64_MAX - 1);
	assert_true(back->get.info.chain[19] == UINT64_MAX - 20);
	assert_string_equal(back->get.info.name, "0f8fad5b-d9cb-469f-a165-70867728950e");
	assert_int_equal(back->get.info.delegated, 1);
	free(back);

	/* Outside any container: contid "unset", an empty chain, no name. */
	memset(&reply->get, 0, sizeof(reply->get));
	reply->get.pid = 1;
	back = round_trip(reply);
	assert_int_equal(back->get.info.depth, 0);
	assert_string_equal(back->get.info.name, "");
	assert_true(strstr(buf, "\"contid\":\"unset\"") && strstr(buf, "\"chain\":[]"));
	assert_null(strstr(buf, "\"name\""));
	free(back);
	free(reply);
}

static void test_set_and_delegate_round_trip(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_SET), *back;

	reply->set = (struct canister_set_reply){ .pid = 77,
						  .contid = 9007199254740993ULL,
						  .joined = true };
	back = round_trip(reply);
	assert_string_equal(buf, "{\"ok\":true,\"pid\":77,\"contid\":\"9007199254740993\","
				 "\"joined\":true}");
	assert_true(back->set.contid == 9007199254740993ULL && back->set.joined);
	free(back);

	reply->op = CANISTER_OP_DELEGATE;
	reply->delegate = (struct canister_delegate_reply){ .pid = 300, .delegation = UINT32_MAX };
	back = round_trip(reply);
	assert_string_equal(buf, "{\"ok\":true,\"pid\":300,\"delegation\":4294967295}");
	assert_int_equal(back->delegate.delegation, UINT32_MAX);
	free(back);
	free(reply);
}

static void test_audit_ops_carry_nothing_more(void **state)
{
	enum canister_op ops[] = { CANISTER_OP_AUDIT_ADD, CANISTER_OP_AUDIT_REMOVE };

	for (size_t i = 0; i < 2; i++) {
		struct canister_reply *reply = new_reply(ops[i]), *back;

		back = round_trip(reply);
		assert_string_equal(buf, "{\"ok\":true}");
		free(back);
		free(reply);
		expect_refused(ops[i], "{\"ok\":true,\"contid\":\"4\"}", "unknown member");
	}
}

static void test_list_round_trip(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_LIST), *back;
	struct canister_list_reply *list = &reply->list;

	list->count = 3;
	list->more = true;
	list->containers[0] = (struct canister_container_entry){ .chain = { 2 },
								 .depth = 1,
								 .name = "db-1",
								 .processes = 3,
								 .first_pid = 123,
								 .registered = 1700000000 };
	list->containers[1] = (struct canister_container_entry){
		.chain = { 4, 2 }, .depth = 2, .processes = 1, .first_pid = 130, .owner = 7
	};
	list->containers[2] = (struct canister_container_entry){ .chain = { UINT64_MAX - 1 },
								 .depth = 1,
								 .processes = INT64_MAX,
								 .first_pid = INT_MAX,
								 .owner = UINT32_MAX,
								 .registered = INT64_MAX };
	back = round_trip(reply);
	assert_int_equal(back->list.count, 3);
	assert_true(back->list.more);
	assert_string_equal(back->list.containers[0].name, "db-1");
	assert_int_equal(back->list.containers[1].depth, 2);
	assert_true(back->list.containers[1].chain[1] == 2);
	assert_int_equal(back->list.containers[1].owner, 7);
	assert_true(back->list.containers[2].processes == INT64_MAX);
	free(back);

	list->count = 0;
	list->more = false;
	back = round_trip(reply);
	assert_string_equal(buf, "{\"ok\":true,\"containers\":[],\"more\":false}");
	free(back);
	free(reply);
}

/* Every errno the protocol names comes back as itself, with the daemon's words. */
static void test_error_round_trip(void **state)
{
	static const int errnums[] = { EPERM,  ESRCH,  EXDEV,	 EEXIST, ENOTUNIQ,
				       EMLINK, EBUSY,  ENOSPC,	 EINVAL, EIO,
				       EPROTO, EAGAIN, ENOTCONN, ENOENT, EMSGSIZE };

	for (size_t i = 0; i < sizeof(errnums) / sizeof(errnums[0]); i++) {
		struct canister_reply *reply = new_reply(CANISTER_OP_SET), *back;

		reply->ok = false;
		reply->error.errnum = errnums[i];
		snprintf(reply->error.message, sizeof(reply->error.message),
			 "refused \"%zu\"\n\t\\ with quotes", i);
		back = round_trip(reply);
		assert_false(back->ok);
		assert_int_equal(back->error.errnum, errnums[i]);
		assert_string_equal(back->error.message, reply->error.message);
		free(back);
		free(reply);
	}
}

/* A newer daemon's errno stays a refusal, with its words; EPROTO, never success. */
static void test_unknown_errno_name_is_eproto(void **state)
{
	struct canister_reply *reply = decode_ok(
		CANISTER_OP_GET, "{\"ok\":false,\"errno\":\"EFUTURE\",\"error\":\"newer daemon\"}");

	assert_false(reply->ok);
	assert_int_equal(reply->error.errnum, EPROTO);
	assert_string_equal(reply->error.message, "newer daemon");
	free(reply);
}

static void test_encode_refuses_what_decode_would(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_GET);

	/* An errno without a name on the wire. */
	reply->ok = false;
	reply->error.errnum = 4095;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	reply->ok = true;

	memset(&reply->get, 0, sizeof(reply->get));
	reply->get.pid = 0;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	reply->get.pid = 5;
	strcpy(reply->get.info.name, "web");
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	reply->get.info.depth = 1;
	reply->get.info.chain[0] = 4;
	strcpy(reply->get.info.name, "web 1");
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	strcpy(reply->get.info.name, "web-1");
	reply->get.info.depth = CANISTER_NEST_LIMIT_MAX + 1;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	reply->get.info.depth = 1;
	assert_true(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX) > 0);
	/* Too small a buffer is said, not overrun. */
	assert_int_equal(canister_reply_encode(reply, buf, 10), -EMSGSIZE);

	reply->op = CANISTER_OP_SET;
	reply->set = (struct canister_set_reply){ .pid = 5, .contid = CANISTER_CONTID_UNSET };
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);

	reply->op = CANISTER_OP_DELEGATE;
	reply->delegate = (struct canister_delegate_reply){ .pid = 5, .delegation = 0 };
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);

	/* An appraisal in a mode that is none of the three, or a key without an origin. */
	reply->op = CANISTER_OP_INTEGRITY_APPRAISE;
	memset(&reply->appraisal, 0, sizeof(reply->appraisal));
	reply->appraisal.mode = (enum canister_appraise_mode)3;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	reply->appraisal.mode = CANISTER_APPRAISE_LOG;
	reply->appraisal.key_count = 1;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	strcpy(reply->appraisal.keys[0].origin, "container");
	assert_true(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX) > 0);

	reply->op = CANISTER_OP_LIST;
	memset(&reply->list, 0, sizeof(reply->list));
	reply->list.more = true;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	reply->list.count = 2;
	reply->list.containers[0] =
		(struct canister_container_entry){ .chain = { 4 }, .depth = 1, .first_pid = 1 };
	reply->list.containers[1] = reply->list.containers[0];
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	reply->list.count = CANISTER_LIST_PAGE_MAX + 1;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);

	reply->op = (enum canister_op)77;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX), -EINVAL);
	free(reply);
}

static void test_malformed_replies_are_refused(void **state)
{
	static const struct {
		enum canister_op op;
		const char *json;
		const char *reason;
	} cases[] = {
		{ CANISTER_OP_GET, "", "empty" },
		{ CANISTER_OP_GET, "not json", "not valid JSON" },
		{ CANISTER_OP_GET, "{\"ok\":true", "unexpected end" },
		{ CANISTER_OP_GET, "[true]", "not a JSON object" },
		{ CANISTER_OP_GET, "{\"ok\":1}", "ok: not true or false" },
		{ CANISTER_OP_GET, "{\"ok\":true} {}", "not valid JSON" },
		{ CANISTER_OP_GET, "{\"ok\":false,\"errno\":\"EPERM\"}", "error: missing" },
		{ CANISTER_OP_GET, "{\"ok\":false,\"errno\":\"EPERM\",\"error\":\"x\",\"pid\":1}",
		  "unknown member \"pid\"" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false,"
		  "\"future\":1}",
		  "unknown member \"future\"" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false}",
		  "pid: missing" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":2147483648,\"contid\":\"5\",\"chain\":[\"5\"],"
		  "\"delegated\":false}",
		  "pid: not in" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":5,\"chain\":[\"5\"],\"delegated\":false}",
		  "contid: not a string" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":\"18446744073709551615\",\"chain\":[\"5\"],"
		  "\"delegated\":false}",
		  "contid: not a decimal contid" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":\"5\\u0000\",\"chain\":[\"5\"],"
		  "\"delegated\":false}",
		  "NUL" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"2\",\"5\"],"
		  "\"delegated\":false}",
		  "does not begin with the contid" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":\"unset\",\"chain\":[],\"name\":\"w\","
		  "\"delegated\":false}",
		  "a name without a container" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"name\":\"a b\","
		  "\"delegated\":false}",
		  "name" },
		{ CANISTER_OP_GET,
		  "{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":1.0}",
		  "delegated: not true or false" },
		{ CANISTER_OP_SET, "{\"ok\":true,\"pid\":7,\"contid\":\"unset\",\"joined\":false}",
		  "contid" },
		{ CANISTER_OP_SET, "{\"ok\":true,\"pid\":7,\"contid\":\"4\",\"joined\":\"no\"}",
		  "joined" },
		{ CANISTER_OP_DELEGATE, "{\"ok\":true,\"pid\":7,\"delegation\":0}",
		  "delegation: not in 1..4294967295" },
		{ CANISTER_OP_DELEGATE, "{\"ok\":true,\"pid\":7,\"delegation\":-1}", "delegation" },
		{ CANISTER_OP_DELEGATE, "{\"ok\":true,\"pid\":7,\"delegation\":7.5}",
		  "not an integer" },
		{ CANISTER_OP_LIST, "{\"ok\":true,\"containers\":[],\"more\":true}",
		  "true with no containers" },
		{ CANISTER_OP_LIST, "{\"ok\":true,\"containers\":{},\"more\":false}",
		  "containers: not an array" },
		{ CANISTER_OP_LIST,
		  "{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],"
		  "\"processes\":1,\"first_pid\":10,\"owner\":0,\"registered\":5,\"x\":1}],"
		  "\"more\":false}",
		  "containers[0]: unknown member \"x\"" },
		{ CANISTER_OP_LIST,
		  "{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],"
		  "\"processes\":1,\"first_pid\":10,\"owner\":0,\"registered\":5},"
		  "{\"contid\":\"2\",\"chain\":[\"2\"],\"processes\":1,\"first_pid\":10,"
		  "\"owner\":0,\"registered\":5}],\"more\":false}",
		  "out of order" },
		{ CANISTER_OP_STATUS, "{\"ok\":true,\"mode\":\"trace\"}", "missing" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_refused(cases[i].op, cases[i].json, cases[i].reason);
}

/* A list page longer than the daemon ever sends is refused, not read into a short array. */
static void test_list_page_bound(void **state)
{
	size_t size = 128 * (CANISTER_LIST_PAGE_MAX + 1) + 64, used;
	char *json = malloc(size);

	assert_non_null(json);
	used = snprintf(json, size, "{\"ok\":true,\"containers\":[");
	for (size_t i = 1; i <= CANISTER_LIST_PAGE_MAX + 1; i++)
		used += snprintf(json + used, size - used,
				 "%s{\"contid\":\"%zu\",\"chain\":[\"%zu\"],\"processes\":1,"
				 "\"first_pid\":1,\"owner\":0,\"registered\":5}",
				 i > 1 ? "," : "", i, i);
	snprintf(json + used, size - used, "],\"more\":true}");
	expect_refused(CANISTER_OP_LIST, json, "more than 200 elements");
	free(json);
}

static void test_oversized_is_emsgsize(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_GET);
	char err[128] = "";

	memset(buf, ' ', CANISTER_REPLY_MAX + 1);
	assert_int_equal(canister_reply_decode(buf, CANISTER_REPLY_MAX + 1, CANISTER_OP_GET, reply,
					       err, sizeof(err)),
			 -EMSGSIZE);
	assert_non_null(strstr(err, "larger than"));
	free(reply);
}

/* Fills @s, an array, with @c up to its last byte. */
#define FILL(s, c) (memset((s), (c), sizeof(s) - 1), (s)[sizeof(s) - 1] = '\0')

/*
 * The largest status canisterd can send: every list full, every string at
 * its longest and made of characters JSON escapes as \u00XX, every counter
 * at its largest.
 */
static void largest_status(struct canister_status *status, char c)
{
	struct canister_daemon_status *daemon = &status->core.daemon;

	memset(status, 0, sizeof(*status));
	status->core.mode = CANISTER_MODE_LSM;
	FILL(status->core.mode_reason, c);
	FILL(status->core.protection, c);
	daemon->pid = INT_MAX;
	FILL(daemon->version, c);
	daemon->started = 253402300799LL; /* 9999-12-31T23:59:59Z */
	daemon->uptime_seconds = UINT64_MAX;
	FILL(daemon->config, c);
	FILL(daemon->pin_path, c);
	FILL(daemon->control_socket, c);
	FILL(daemon->log, c);
	FILL(daemon->audit_log, c);
	FILL(daemon->host_log, c);
	FILL(daemon->audit_rules, c);
	daemon->log_level = CANISTER_LOG_WARNING;
	daemon->nest_limit = CANISTER_NEST_LIMIT_MAX;
	daemon->join_policy = CANISTER_JOIN_RECORD;
	status->core.feature_count = CANISTER_STATUS_FEATURES_MAX;
	for (int i = 0; i < CANISTER_STATUS_FEATURES_MAX; i++) {
		FILL(status->core.features[i].name, '_');
		status->core.features[i].name[0] = 'a' + i;
		FILL(status->core.features[i].detail, c);
	}
	status->core.records_written = status->core.records_failed = UINT64_MAX;
	memset(&status->identity, 0xff, offsetof(struct canister_identity_status, privileged));
	status->identity.privileged =
		(struct canister_privileged_scan){ .done = true,
						   .age_ms = UINT64_MAX,
						   .duration_ms = UINT64_MAX,
						   .scanned = UINT64_MAX,
						   .privileged = UINT64_MAX,
						   .shown_count =
							   CANISTER_STATUS_PRIVILEGED_SHOWN };
	for (int i = 0; i < CANISTER_STATUS_PRIVILEGED_SHOWN; i++)
		status->identity.privileged.shown[i] = (struct canister_privileged_process){
			.pid = INT_MAX - CANISTER_STATUS_PRIVILEGED_SHOWN + i,
			.contid = UINT64_MAX - 1
		};
	memset(&status->audit.kernel, 0xff, sizeof(status->audit.kernel));
	status->audit.kernel.audit_daemon = true;
	status->audit.kernel.source = CANISTER_AUDIT_SOURCE_AUDITD;
	FILL(status->audit.kernel.source_reason, c);
	status->audit.kernel.auditd_pid = INT_MAX;
	status->audit.kernel.plugin_connected = true;
	daemon->kernel_audit = CANISTER_KERNEL_AUDIT_AUTO;
	status->audit.sink_count = CANISTER_SINKS_MAX;
	for (int i = 0; i < CANISTER_SINKS_MAX; i++) {
		struct canister_sink_status *sink = &status->audit.sinks[i];

		memset(sink, 0xff, sizeof(*sink));
		sink->contid = UINT64_MAX - 1;
		sink->format = CANISTER_LOG_FORMAT_JSON;
		FILL(sink->log, c);
		FILL(sink->rules, c);
		FILL(sink->socket, c);
	}
	status->audit.plugin_count = CANISTER_STATUS_PLUGINS_MAX;
	for (int i = 0; i < CANISTER_STATUS_PLUGINS_MAX; i++) {
		struct canister_plugin_status *plugin = &status->audit.plugins[i];

		memset(plugin, 0xff, sizeof(*plugin));
		plugin->pid = INT_MAX;
		plugin->running = true;
		FILL(plugin->name, c);
	}
	status->warnings.count = CANISTER_STATUS_WARNINGS_MAX;
	for (int i = 0; i < CANISTER_STATUS_WARNINGS_MAX; i++)
		FILL(status->warnings.text[i], c);
}

/*
 * Whatever canisterd tracks (thousands of labelled processes, containers,
 * sinks, plugins), its status and its list pages fit in one datagram.
 */
static void test_largest_replies_fit(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_STATUS), *back;
	int len;

	largest_status(&reply->status, '\x01');
	len = canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1);
	print_message("largest status: %d bytes (limit %d)\n", len, CANISTER_REPLY_MAX);
	assert_true(len > 0 && len <= CANISTER_REPLY_MAX);
	back = round_trip(reply);
	assert_int_equal(back->status.audit.sink_count, CANISTER_SINKS_MAX);
	assert_string_equal(back->status.warnings.text[15], reply->status.warnings.text[15]);
	free(back);

	/* The longest key listing: a container's 64 keys and the host's 64, every string full. */
	reply->op = CANISTER_OP_INTEGRITY_KEY_ADD;
	memset(&reply->appraisal, 0, sizeof(reply->appraisal));
	reply->appraisal.mode = CANISTER_APPRAISE_ENFORCE;
	reply->appraisal.generation = UINT64_C(1) << 53;
	reply->appraisal.added_keyid = UINT32_MAX;
	FILL(reply->appraisal.refused, '\x01');
	reply->appraisal.key_count = CANISTER_APPRAISAL_KEYS_MAX;
	for (size_t i = 0; i < CANISTER_APPRAISAL_KEYS_MAX; i++) {
		struct canister_appraisal_key *key = &reply->appraisal.keys[i];

		key->keyid = UINT32_MAX - (uint32_t)i;
		FILL(key->algorithm, '\x01');
		FILL(key->subject, '\x01');
		FILL(key->origin, '\x01');
	}
	back = largest_fits(reply, "key listing");
	assert_int_equal(back->appraisal.key_count, CANISTER_APPRAISAL_KEYS_MAX);
	assert_int_equal(back->appraisal.added_keyid, UINT32_MAX);
	assert_string_equal(back->appraisal.keys[127].subject, reply->appraisal.keys[127].subject);
	free(back);

	reply->op = CANISTER_OP_LIST;
	memset(&reply->list, 0, sizeof(reply->list));
	reply->list.count = CANISTER_LIST_PAGE_MAX;
	reply->list.more = true;
	for (size_t i = 0; i < CANISTER_LIST_PAGE_MAX; i++) {
		struct canister_container_entry *entry = &reply->list.containers[i];

		entry->depth = CANISTER_NEST_LIMIT_MAX;
		for (unsigned int k = 0; k < entry->depth; k++)
			entry->chain[k] = UINT64_MAX - 1 - CANISTER_LIST_PAGE_MAX + i;
		FILL(entry->name, 'a');
		entry->processes = INT64_MAX;
		entry->first_pid = INT_MAX;
		entry->owner = UINT32_MAX;
		entry->registered = INT64_MAX;
	}
	len = canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1);
	print_message("largest list page: %d bytes\n", len);
	assert_true(len > 0 && len <= CANISTER_REPLY_MAX);
	free(reply);
}

/* A status as canisterd fills it, with an absent config file and a pending scan. */
static void test_status_round_trip(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_STATUS), *back;
	struct canister_status *status = &reply->status;

	largest_status(status, 'x');
	status->core.mode = CANISTER_MODE_TRACE;
	strcpy(status->core.daemon.config, "/etc/canister/canister.conf");
	status->core.daemon.config_present = false;
	status->core.daemon.started = 1714557600;
	status->audit.sinks[3].rules[0] = '\0';
	status->audit.sinks[3].socket[0] = '\0';
	status->audit.sinks[3].format = CANISTER_LOG_FORMAT_TEXT;
	back = round_trip(reply);
	assert_non_null(
		strstr(buf, "\"config\":\"/etc/canister/canister.conf (absent: defaults)\""));
	assert_non_null(strstr(buf, "\"started\":\"2024-05-01T10:00:00Z\""));
	assert_false(back->status.core.daemon.config_present);
	assert_string_equal(back->status.core.daemon.config, "/etc/canister/canister.conf");
	assert_true(back->status.identity.privileged.scanned == UINT64_MAX);
	assert_string_equal(back->status.audit.sinks[3].rules, "");
	assert_int_equal(back->status.audit.sinks[3].format, CANISTER_LOG_FORMAT_TEXT);
	free(back);

	status->identity.privileged = (struct canister_privileged_scan){ .done = false };
	status->core.daemon.config_present = true;
	back = round_trip(reply);
	assert_false(back->status.identity.privileged.done);
	assert_true(back->status.core.daemon.config_present);
	free(back);
	free(reply);
}

/* What a decoded status could never be, the encoder refuses too. */
static void test_status_encode_refusals(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_STATUS);
	struct canister_status *status = &reply->status;

	largest_status(status, 'x');
	assert_true(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1) > 0);
	status->core.mode = CANISTER_MODE_AUTO;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	status->core.mode = CANISTER_MODE_TRACE;
	strcpy(status->core.features[1].name, status->core.features[0].name);
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	strcpy(status->core.features[1].name, "Bad-Name");
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	strcpy(status->core.features[1].name, "b");
	status->identity.privileged.shown_count = 3;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	status->identity.privileged.shown_count = CANISTER_STATUS_PRIVILEGED_SHOWN;
	status->audit.sinks[0].contid = CANISTER_CONTID_UNSET;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	status->audit.sinks[0].contid = 4;
	status->warnings.count = CANISTER_STATUS_WARNINGS_MAX + 1;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	status->warnings.count = 0;
	status->core.daemon.log_level = (enum canister_log_level)9;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	status->core.daemon.log_level = CANISTER_LOG_INFO;
	assert_true(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1) > 0);
	free(reply);
}

/* Each status here is a good one but for one member. */
static void test_status_malformed_members(void **state)
{
	static const struct {
		const char *from, *to, *reason;
	} edits[] = {
		{ "\"mode\":\"lsm\"", "\"mode\":\"auto\"", "mode: unknown value" },
		{ "\"pid\":2147483647,", "\"pid\":0,", "daemon.pid" },
		{ "\"started\":\"9999-12-31T23:59:59Z\"", "\"started\":\"9999-12-31 23:59:59\"",
		  "daemon.started" },
		{ "\"started\":\"9999-12-31T23:59:59Z\"", "\"started\":\"1969-12-31T23:59:59Z\"",
		  "daemon.started" },
		{ "\"kernel_audit\":\"off\"", "\"kernel_audit\":true", "daemon.kernel_audit" },
		{ "\"kernel_audit\":\"off\"", "\"kernel_audit\":\"maybe\"", "daemon.kernel_audit" },
		{ "\"source\":\"auditd_plugin\"", "\"source\":\"netlink\"",
		  "kernel_audit.source: unknown value" },
		{ "\"auditd_pid\":2147483647", "\"auditd_pid\":-1", "kernel_audit.auditd_pid" },
		{ "\"nest_limit\":20", "\"nest_limit\":21", "daemon.nest_limit" },
		{ "\"log_level\":\"warning\"", "\"log_level\":\"loud\"", "daemon.log_level" },
		{ "\"records_failed\":18446744073709551615",
		  "\"records_failed\":18446744073709551616", "beyond 64 bits" },
		{ "\"lost\":18446744073709551615", "\"lost\":-1", "counters.lost: negative" },
		{ "\"joined\":18446744073709551615,", "", "counters.joined: missing" },
		{ "\"privileged_scan\":{\"done\":true", "\"privileged_scan\":{\"done\":1",
		  "privileged_scan.done" },
		{ "\"audit_daemon\":true", "\"audit_daemon\":true,\"x\":0",
		  "kernel_audit: unknown member \"x\"" },
		{ "\"format\":\"json\"", "\"format\":\"xml\"", "sinks[0].format" },
		{ "\"warnings\":[", "\"warnings\":[7,", "warnings: not a string" },
		{ "\"warnings\":[", "\"warnings\":[\"\",\"\",", "warnings: more than 16" },
	};
	struct canister_reply *reply = new_reply(CANISTER_OP_STATUS);
	char *good, *json;
	int len;

	largest_status(&reply->status, 'x');
	reply->status.core.daemon.kernel_audit = CANISTER_KERNEL_AUDIT_OFF;
	reply->status.warnings.count = CANISTER_STATUS_WARNINGS_MAX - 1; /* room for one more */
	len = canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1);
	assert_true(len > 0);
	good = strdup(buf);
	json = malloc(strlen(good) + 256);
	assert_non_null(good);
	assert_non_null(json);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char *at = strstr(good, edits[i].from);

		if (!at)
			fail_msg("\"%s\" not in the encoded status", edits[i].from);
		sprintf(json, "%.*s%s%s", (int)(at - good), good, edits[i].to,
			at + strlen(edits[i].from));
		expect_refused(CANISTER_OP_STATUS, json, edits[i].reason);
	}
	free(json);
	free(good);
	free(reply);
}

/* policy-show: the text, the levels and the refusal come back as they went. */
static void test_policy_show_round_trip(void **state)
{
	struct canister_reply *reply = new_reply(CANISTER_OP_POLICY_SHOW), *back;
	struct canister_policy_show_reply *show = &reply->policy_show;
	static const char text[] = "fs handle execute\nfs allow execute beneath /srv/\"a\"\t\\\n";

	(void)state;
	show->effective = true;
	strcpy(show->policy, text);
	show->policy_len = strlen(text);
	show->levels[0] =
		(struct canister_policy_level){ 5, CANISTER_ACCESS_COMPLAIN, 3, 1700000000, false };
	show->levels[1] = (struct canister_policy_level){ 2, CANISTER_ACCESS_ENFORCE, 0, 1, true };
	show->level_count = 2;
	strcpy(show->default_path, "/etc/canister/default.policy");
	back = round_trip(reply);
	assert_true(back->policy_show.effective);
	assert_string_equal(back->policy_show.policy, text);
	assert_int_equal(back->policy_show.level_count, 2);
	assert_true(back->policy_show.levels[0].contid == 5);
	assert_int_equal(back->policy_show.levels[0].mode, CANISTER_ACCESS_COMPLAIN);
	assert_int_equal(back->policy_show.levels[0].loaded_by, 3);
	assert_int_equal(back->policy_show.levels[1].mode, CANISTER_ACCESS_ENFORCE);
	assert_false(back->policy_show.levels[0].from_default);
	assert_true(back->policy_show.levels[1].from_default);
	assert_string_equal(back->policy_show.default_path, "/etc/canister/default.policy");
	free(back);

	/* The largest: the longest text, every byte escaped as canisterd's text can be (a tab). */
	memset(show->policy, '\t', CANISTER_ACCESS_POLICY_TEXT_MAX);
	show->policy[CANISTER_ACCESS_POLICY_TEXT_MAX] = '\0';
	show->policy_len = CANISTER_ACCESS_POLICY_TEXT_MAX;
	for (unsigned int i = 0; i < CANISTER_NEST_LIMIT_MAX; i++)
		show->levels[i] = (struct canister_policy_level){ UINT64_MAX - 1 - i,
								  CANISTER_ACCESS_COMPLAIN,
								  UINT32_MAX, INT64_MAX, true };
	show->level_count = CANISTER_NEST_LIMIT_MAX;
	FILL(show->refused, '\x01');
	FILL(show->default_path, '\x01');
	back = largest_fits(reply, "policy-show");
	assert_int_equal(back->policy_show.policy_len, CANISTER_ACCESS_POLICY_TEXT_MAX);
	free(back);

	/* A container's own policy is one level at most. */
	show->effective = false;
	assert_int_equal(canister_reply_encode(reply, buf, CANISTER_REPLY_MAX + 1), -EINVAL);
	free(reply);

	expect_refused(CANISTER_OP_POLICY_SHOW,
		       "{\"ok\":true,\"effective\":false,\"policy\":\"\",\"refused\":\"\","
		       "\"default_path\":\"\",\"levels\":["
		       "{\"contid\":\"5\",\"mode\":\"enforce\",\"loaded_by\":0,\"loaded\":1,\"from_"
		       "default\":false},"
		       "{\"contid\":\"2\",\"mode\":\"enforce\",\"loaded_by\":0,\"loaded\":1,\"from_"
		       "default\":false}]}",
		       "one level at most");
	expect_refused(CANISTER_OP_POLICY_SHOW,
		       "{\"ok\":true,\"effective\":true,\"policy\":\"\",\"refused\":\"\",\"default_"
		       "path\":\"\",\"levels\":["
		       "{\"contid\":\"5\",\"mode\":\"log\",\"loaded_by\":0,\"loaded\":1,\"from_"
		       "default\":false}]}",
		       "unknown value \"log\"");
	expect_refused(CANISTER_OP_POLICY_SHOW,
		       "{\"ok\":true,\"effective\":true,\"policy\":\"a\\u0000\",\"refused\":\"\","
		       "\"default_path\":\"\",\"levels\":[]}",
		       "without NUL");
	expect_refused(CANISTER_OP_POLICY_SHOW,
		       "{\"ok\":true,\"effective\":true,\"policy\":\"\",\"levels\":[]}", "refused");
	expect_refused(CANISTER_OP_POLICY_LOAD, "{\"ok\":true,\"policy\":\"\"}", "policy");
	reply = decode_ok(CANISTER_OP_POLICY_LOAD, "{\"ok\":true}");
	free(reply);
}

/* integrity-read: a full page of every byte value comes back as it went, in lower-case hex. */
static int decode_page(const char *json, struct canister_reply *ret)
{
	char err[256];

	return canister_reply_decode(json, strlen(json), CANISTER_OP_INTEGRITY_READ, ret, err,
				     sizeof(err));
}

static void test_integrity_read_round_trip(void **state)
{
	static struct canister_reply reply, back;
	static char text[CANISTER_REPLY_MAX + 1];
	char err[256];
	int len;

	(void)state;
	memset(&reply, 0, sizeof(reply));
	reply.op = CANISTER_OP_INTEGRITY_READ;
	reply.ok = true;
	reply.integrity_read.size = 3 * CANISTER_INTEGRITY_PAGE_MAX;
	reply.integrity_read.offset = CANISTER_INTEGRITY_PAGE_MAX;
	reply.integrity_read.len = CANISTER_INTEGRITY_PAGE_MAX;
	for (size_t i = 0; i < CANISTER_INTEGRITY_PAGE_MAX; i++)
		reply.integrity_read.data[i] = (uint8_t)(i * 7);
	len = canister_reply_encode(&reply, text, sizeof(text));
	assert_true(len > 2 * CANISTER_INTEGRITY_PAGE_MAX);
	assert_int_equal(canister_reply_decode(text, (size_t)len, CANISTER_OP_INTEGRITY_READ, &back,
					       err, sizeof(err)),
			 0);
	assert_true(back.integrity_read.size == reply.integrity_read.size);
	assert_true(back.integrity_read.offset == reply.integrity_read.offset);
	assert_int_equal(back.integrity_read.len, reply.integrity_read.len);
	assert_memory_equal(back.integrity_read.data, reply.integrity_read.data,
			    CANISTER_INTEGRITY_PAGE_MAX);

	/* A page past the file's end is no reply. */
	reply.integrity_read.size = CANISTER_INTEGRITY_PAGE_MAX + 1;
	assert_int_equal(canister_reply_encode(&reply, text, sizeof(text)), -EINVAL);

	assert_int_equal(
		decode_page("{\"ok\":true,\"size\":2,\"offset\":0,\"data\":\"AB\"}", &back),
		-EPROTO);
	assert_int_equal(
		decode_page("{\"ok\":true,\"size\":1,\"offset\":0,\"data\":\"abab\"}", &back),
		-EPROTO);
	assert_int_equal(
		decode_page("{\"ok\":true,\"size\":2,\"offset\":1,\"data\":\"0a\"}", &back), 0);
	assert_int_equal(back.integrity_read.len, 1);
	assert_int_equal(back.integrity_read.data[0], 0x0a);
	assert_int_equal(canister_reply_decode("{\"ok\":true}", 11, CANISTER_OP_INTEGRITY_POLICY,
					       &back, err, sizeof(err)),
			 0);
}

/* integrity-quote: PCR 10 and the model's PCR 11 and both extend counts come back as they went. */
static void test_integrity_quote_round_trip(void **state)
{
	static struct canister_reply reply, back;
	static char text[CANISTER_REPLY_MAX + 1];
	const char *missing =
		"{\"ok\":true,\"quote\":\"ff\",\"signature\":\"00\",\"ak\":\"k\","
		"\"pcr10_sha1\":\"1111111111111111111111111111111111111111\","
		"\"pcr10_sha256\":"
		"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
		"\"pcr11_sha1\":\"2222222222222222222222222222222222222222\","
		"\"pcr_update_counter\":5,\"counter_at_start\":1,\"extends\":1,"
		"\"model_extends\":2}";
	char err[256];
	int len;

	(void)state;
	memset(&reply, 0, sizeof(reply));
	reply.op = CANISTER_OP_INTEGRITY_QUOTE;
	reply.ok = true;
	reply.integrity_quote.quote_len = 3;
	memset(reply.integrity_quote.quote, 0xff, 3);
	reply.integrity_quote.signature_len = 2;
	snprintf(reply.integrity_quote.ak, sizeof(reply.integrity_quote.ak), "PEM");
	memset(reply.integrity_quote.pcr10_sha1, 0x11, 20);
	memset(reply.integrity_quote.pcr10_sha256, 0xaa, 32);
	memset(reply.integrity_quote.pcr11_sha1, 0xcc, 20);
	memset(reply.integrity_quote.pcr11_sha256, 0xbb, 32);
	reply.integrity_quote.pcr_update_counter = 40;
	reply.integrity_quote.counter_at_start = 3;
	reply.integrity_quote.extends = 12;
	reply.integrity_quote.model_extends = 13;
	len = canister_reply_encode(&reply, text, sizeof(text));
	assert_true(len > 0);
	assert_int_equal(canister_reply_decode(text, (size_t)len, CANISTER_OP_INTEGRITY_QUOTE,
					       &back, err, sizeof(err)),
			 0);
	assert_memory_equal(back.integrity_quote.pcr11_sha256, reply.integrity_quote.pcr11_sha256,
			    32);
	assert_memory_equal(back.integrity_quote.pcr11_sha1, reply.integrity_quote.pcr11_sha1, 20);
	assert_memory_equal(back.integrity_quote.pcr10_sha256, reply.integrity_quote.pcr10_sha256,
			    32);
	assert_true(back.integrity_quote.extends == 12 && back.integrity_quote.model_extends == 13);
	/* Without the model's PCR 11 it is not a quote of this canister. */
	assert_int_equal(canister_reply_decode(missing, strlen(missing),
					       CANISTER_OP_INTEGRITY_QUOTE, &back, err,
					       sizeof(err)),
			 -EPROTO);
	assert_non_null(strstr(err, "pcr11_sha256"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_round_trip),
		cmocka_unit_test(test_set_and_delegate_round_trip),
		cmocka_unit_test(test_audit_ops_carry_nothing_more),
		cmocka_unit_test(test_list_round_trip),
		cmocka_unit_test(test_error_round_trip),
		cmocka_unit_test(test_unknown_errno_name_is_eproto),
		cmocka_unit_test(test_encode_refuses_what_decode_would),
		cmocka_unit_test(test_malformed_replies_are_refused),
		cmocka_unit_test(test_list_page_bound),
		cmocka_unit_test(test_oversized_is_emsgsize),
		cmocka_unit_test(test_largest_replies_fit),
		cmocka_unit_test(test_status_round_trip),
		cmocka_unit_test(test_status_encode_refusals),
		cmocka_unit_test(test_status_malformed_members),
		cmocka_unit_test(test_integrity_read_round_trip),
		cmocka_unit_test(test_integrity_quote_round_trip),
		cmocka_unit_test(test_policy_show_round_trip),
	};

	return cmocka_run_group_tests_name("reply", tests, setup, teardown);
}
