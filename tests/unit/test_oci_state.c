// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the OCI state document a runtime hands canister-oci-hook on stdin. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/oci_state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What runc 1.1 writes to a createRuntime hook's stdin (it omits empty annotations). */
#define RUNC_STATE                                                                             \
	"{\"ociVersion\":\"1.0.2-dev\",\"id\":\"web-1\",\"status\":\"creating\",\"pid\":4242," \
	"\"bundle\":\"/run/containerd/io.containerd.runtime.v2.task/default/web-1\"}"

/* The members of a document built by build(); NULL keeps the good default, OMIT drops it. */
struct members {
	const char *oci_version, *id, *pid, *status, *bundle, *annotations;
};
static const char OMIT[] = "";

static char built[4096];

static const char *build(const struct members *m)
{
	const char *parts[] = {
		m->oci_version ? m->oci_version : "\"ociVersion\":\"1.0.2\"",
		m->id ? m->id : "\"id\":\"web-1\"",
		m->pid ? m->pid : "\"pid\":4242",
		m->status ? m->status : "\"status\":\"creating\"",
		m->bundle ? m->bundle : "\"bundle\":\"/run/bundle/web-1\"",
		m->annotations ? m->annotations : OMIT,
	};
	size_t len = 0;

	built[len++] = '{';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i] == OMIT || !*parts[i])
			continue;
		len += snprintf(built + len, sizeof(built) - len, "%s%s", len > 1 ? "," : "",
				parts[i]);
		assert_true(len < sizeof(built) - 1);
	}
	built[len++] = '}';
	built[len] = '\0';
	return built;
}

#define BUILD(...) build(&(struct members){ __VA_ARGS__ })

/* A state unlike any the parser produces, so "untouched on error" cannot pass by accident. */
static void fill_sentinel(struct canister_oci_state *state)
{
	memset(state, 0x5a, sizeof(*state));
}

static void assert_sentinel(const struct canister_oci_state *state)
{
	struct canister_oci_state sentinel;

	fill_sentinel(&sentinel);
	assert_memory_equal(state, &sentinel, sizeof(sentinel));
}

static int parse_len(const char *text, size_t len, struct canister_oci_state *state, char *why,
		     size_t why_len)
{
	return canister_oci_state_parse(text, len, state, why, why_len);
}

static void expect_ok(const char *text, struct canister_oci_state *state)
{
	char why[512] = "";

	if (parse_len(text, strlen(text), state, why, sizeof(why)) != 0)
		fail_msg("refused: %s\n  because: %s", text, why);
}

/* @text must be refused with exactly @message (a prefix when @prefix_only), output untouched. */
static void expect_error_len(const char *text, size_t len, const char *message, bool prefix_only)
{
	struct canister_oci_state state;
	char why[512] = "";

	fill_sentinel(&state);
	if (parse_len(text, len, &state, why, sizeof(why)) != -EINVAL)
		fail_msg("accepted: %.*s", (int)len, text);
	if (prefix_only ? strncmp(why, message, strlen(message)) != 0 : strcmp(why, message) != 0)
		fail_msg("%.*s\n  got:      \"%s\"\n  expected: \"%s\"%s", (int)len, text, why,
			 message, prefix_only ? "..." : "");
	assert_sentinel(&state);
}

static void expect_error(const char *text, const char *message)
{
	expect_error_len(text, strlen(text), message, false);
}

#define PID_RANGE "state member \"pid\" must be an integer between 1 and 2147483647"
#define CONTID_RANGE                                                                       \
	"state annotation \"org.canister.contid\" must be a decimal number between 0 and " \
	"18446744073709551614"

static void test_reads_runc_state(void **unused)
{
	struct canister_oci_state state;

	fill_sentinel(&state);
	expect_ok(RUNC_STATE, &state);
	assert_string_equal(state.id, "web-1");
	assert_int_equal(state.pid, 4242);
	assert_string_equal(state.status, "creating");
	assert_string_equal(state.bundle,
			    "/run/containerd/io.containerd.runtime.v2.task/default/web-1");
	assert_false(state.has_contid);
}

/* Whitespace around the object is how runtimes that pretty-print or add a newline send it. */
static void test_accepts_surrounding_whitespace(void **unused)
{
	struct canister_oci_state state;

	expect_ok("\n  " RUNC_STATE " \r\n\t", &state);
	assert_int_equal(state.pid, 4242);
	expect_ok("{\n  \"ociVersion\": \"1.0.2\",\n  \"id\": \"a\",\n  \"pid\": 1,\n"
		  "  \"status\": \"created\",\n  \"bundle\": \"/b\"\n}\n",
		  &state);
	assert_int_equal(state.pid, 1);
}

/* The specification is extensible: members this version does not know must not fail a start. */
static void test_ignores_unknown_members(void **unused)
{
	struct canister_oci_state state;

	expect_ok(BUILD(.annotations = "\"rootless\":false,\"created\":\"2024-01-01T00:00:00Z\","
				       "\"owner\":\"\",\"x\":{\"y\":[1,2.5,null,{\"z\":true}]}"),
		  &state);
	assert_string_equal(state.id, "web-1");
}

static void test_reads_contid_annotation(void **unused)
{
	static const struct {
		const char *value;
		uint64_t contid;
	} cases[] = {
		{ "0", 0 },
		{ "42", 42 },
		{ "18446744073709551614", UINT64_MAX - 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct canister_oci_state state;
		char annotations[256];

		snprintf(annotations, sizeof(annotations),
			 "\"annotations\":{\"io.kubernetes.pod.name\":\"web\","
			 "\"org.canister.contid\":\"%s\"}",
			 cases[i].value);
		fill_sentinel(&state);
		expect_ok(BUILD(.annotations = annotations), &state);
		assert_true(state.has_contid);
		assert_true(state.contid == cases[i].contid);
	}
}

static void test_annotations_without_contid(void **unused)
{
	struct canister_oci_state state;

	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{\"org.canister.other\":\"x\"}"), &state);
	assert_false(state.has_contid);
	expect_ok(BUILD(.annotations = "\"annotations\":{}"), &state);
	assert_false(state.has_contid);
}

/* (u64)-1 is "no container": an annotation must not ask for it, nor for anything unclear. */
static void test_refuses_bad_contid_annotation(void **unused)
{
	static const char *const values[] = {
		"\"18446744073709551615\"",
		"\"18446744073709551616\"",
		"\"-1\"",
		"\"\"",
		"\" 7\"",
		"\"0x10\"",
		"\"7 \"",
		"\"1e3\"",
		"\"7\\u0000junk\"",
	};

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char annotations[256];

		snprintf(annotations, sizeof(annotations),
			 "\"annotations\":{\"org.canister.contid\":%s}", values[i]);
		expect_error(BUILD(.annotations = annotations), CONTID_RANGE);
	}
	expect_error(BUILD(.annotations = "\"annotations\":{\"org.canister.contid\":7}"),
		     "state annotation \"org.canister.contid\" must be a string");
}

static void test_ima_policy_annotation(void **unused)
{
	static const char *const bad[] = { "\"policy\"", "\"\"", "\"./p\"", "\"/p\\u0000x\"" };
	struct canister_oci_state state;

	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{\"org.canister.ima-policy\":"
				       "\"/etc/canister/web.policy\"}"),
		  &state);
	assert_string_equal(state.ima_policy, "/etc/canister/web.policy");
	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{}"), &state);
	assert_string_equal(state.ima_policy, "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char annotations[256];

		snprintf(annotations, sizeof(annotations),
			 "\"annotations\":{\"org.canister.ima-policy\":%s}", bad[i]);
		expect_error(
			BUILD(.annotations = annotations),
			"state annotation \"org.canister.ima-policy\" must be an absolute path "
			"of at most 4095 bytes");
	}
}

/* org.canister.policy: the access policy's file, read by the hook as the IMA policy's is. */
static void test_access_policy_annotation(void **unused)
{
	static const char *const bad[] = { "\"web.policy\"", "\"\"", "\"../p\"", "\"/p\\u0000x\"" };
	struct canister_oci_state state;

	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{\"org.canister.policy\":"
				       "\"/etc/canister/no-net-raw.policy\"}"),
		  &state);
	assert_string_equal(state.access_policy, "/etc/canister/no-net-raw.policy");
	assert_string_equal(state.ima_policy, "");
	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{}"), &state);
	assert_string_equal(state.access_policy, "");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char annotations[256];

		snprintf(annotations, sizeof(annotations),
			 "\"annotations\":{\"org.canister.policy\":%s}", bad[i]);
		expect_error(BUILD(.annotations = annotations),
			     "state annotation \"org.canister.policy\" must be an absolute path "
			     "of at most 4095 bytes");
	}
}

static void test_integrity_tpm_annotation(void **unused)
{
	static const char *const bad[] = { "\"tpm\"", "\"\"", "\"swtpm \"", "\"none\\u0000x\"" };
	struct canister_oci_state state;

	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{\"org.canister.integrity-tpm\":"
				       "\"swtpm\"}"),
		  &state);
	assert_true(state.has_tpm);
	assert_int_equal(state.tpm, CANISTER_TPM_SWTPM);
	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{\"org.canister.integrity-tpm\":"
				       "\"none\"}"),
		  &state);
	assert_true(state.has_tpm);
	assert_int_equal(state.tpm, CANISTER_TPM_NONE);
	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{}"), &state);
	assert_false(state.has_tpm);
	expect_error(BUILD(.annotations = "\"annotations\":{\"org.canister.integrity-tpm\":"
					  "\"tpm\"}"),
		     "state annotation \"org.canister.integrity-tpm\": 'tpm' is no TPM choice "
		     "(none or swtpm)");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char annotations[256];
		const char *text;

		snprintf(annotations, sizeof(annotations),
			 "\"annotations\":{\"org.canister.integrity-tpm\":%s}", bad[i]);
		text = BUILD(.annotations = annotations);
		expect_error_len(text, strlen(text),
				 "state annotation \"org.canister.integrity-tpm\": '", true);
	}
}

static void test_appraisal_annotations(void **unused)
{
	static const struct {
		const char *value, *why;
	} bad_keys[] = {
		{ "\"\"", "state annotation \"org.canister.ima-keys\" must be 1 to 16383 bytes" },
		{ "\"/a.pem:\"",
		  "state annotation \"org.canister.ima-keys\": path 2 must be "
		  "absolute and shorter than 4096 bytes (paths are separated by ':')" },
		{ "\"a.pem\"",
		  "state annotation \"org.canister.ima-keys\": path 1 must be "
		  "absolute and shorter than 4096 bytes (paths are separated by ':')" },
		{ "\"/a\\u0000b\"", "state annotation \"org.canister.ima-keys\" must be 1 to "
				    "16383 bytes" },
	};
	struct canister_oci_state state;
	char annotations[1024];

	(void)unused;
	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{\"org.canister.ima-keys\":"
				       "\"/k/a.pem:/k/b.der\",\"org.canister.appraise\":\"log\","
				       "\"org.canister.ima-host-keys\":\"yes\"}"),
		  &state);
	assert_string_equal(state.ima_keys, "/k/a.pem:/k/b.der");
	assert_true(state.has_appraise);
	assert_int_equal(state.appraise, CANISTER_APPRAISE_LOG);
	assert_true(state.has_ima_host_keys && state.ima_host_keys);
	fill_sentinel(&state);
	expect_ok(BUILD(.annotations = "\"annotations\":{}"), &state);
	assert_string_equal(state.ima_keys, "");
	assert_false(state.has_appraise || state.has_ima_host_keys);
	for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
		snprintf(annotations, sizeof(annotations),
			 "\"annotations\":{\"org.canister.ima-keys\":%s}", bad_keys[i].value);
		expect_error(BUILD(.annotations = annotations), bad_keys[i].why);
	}
	/* 65 paths: one more than a container's keyring holds. */
	strcpy(annotations, "\"annotations\":{\"org.canister.ima-keys\":\"/k");
	for (int i = 0; i < 64; i++)
		strcat(annotations, ":/k");
	strcat(annotations, "\"}");
	expect_error(BUILD(.annotations = annotations),
		     "state annotation \"org.canister.ima-keys\" names more than 64 certificate "
		     "files");
	expect_error(BUILD(.annotations = "\"annotations\":{\"org.canister.appraise\":\"on\"}"),
		     "state annotation \"org.canister.appraise\" must be off, log or enforce");
	expect_error(BUILD(.annotations = "\"annotations\":{\"org.canister.ima-host-keys\":"
					  "\"true\"}"),
		     "state annotation \"org.canister.ima-host-keys\" must be yes or no");
}

static void test_refuses_missing_pid(void **unused)
{
	expect_error(BUILD(.pid = OMIT), "state member \"pid\" is missing");
}

/* A runtime writes a JSON integer; "4242" or 4242.0 means something else is talking. */
static void test_refuses_pid_of_other_type(void **unused)
{
	static const char *const pids[] = {
		"\"pid\":\"4242\"", "\"pid\":4242.0", "\"pid\":4.242e3", "\"pid\":true",
		"\"pid\":null",	    "\"pid\":[4242]", "\"pid\":{}",
	};

	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++)
		expect_error(BUILD(.pid = pids[i]), PID_RANGE);
}

static void test_refuses_pid_zero_and_negative(void **unused)
{
	expect_error(BUILD(.pid = "\"pid\":0"), PID_RANGE);
	expect_error(BUILD(.pid = "\"pid\":-0"), PID_RANGE);
	expect_error(BUILD(.pid = "\"pid\":-1"), PID_RANGE);
	expect_error(BUILD(.pid = "\"pid\":-2147483648"), PID_RANGE);
}

/* Beyond INT_MAX, and beyond what int64 holds (json-c clamps those). */
static void test_refuses_huge_pid(void **unused)
{
	struct canister_oci_state state;

	expect_error(BUILD(.pid = "\"pid\":2147483648"), PID_RANGE);
	expect_error(BUILD(.pid = "\"pid\":9223372036854775807"), PID_RANGE);
	expect_error(BUILD(.pid = "\"pid\":18446744073709551615"), PID_RANGE);
	expect_error(BUILD(.pid = "\"pid\":99999999999999999999999"), PID_RANGE);
	expect_error(BUILD(.pid = "\"pid\":-99999999999999999999999"), PID_RANGE);
	expect_ok(BUILD(.pid = "\"pid\":2147483647"), &state);
	assert_int_equal(state.pid, 2147483647);
}

/* Every proper prefix of a document is truncated, and says so rather than "invalid". */
static void test_refuses_truncated_document(void **unused)
{
	const char *text = RUNC_STATE;

	expect_error_len(text, 0, "state is empty", false);
	for (size_t len = 1; len < strlen(text); len++)
		expect_error_len(text, len,
				 "state is truncated: the JSON object ends before its closing '}'",
				 false);
}

/* @suffix follows RUNC_STATE; the message must point at its first byte after @skip blanks. */
static void expect_data_after(const char *suffix, size_t skip)
{
	char text[1024], message[128];

	snprintf(text, sizeof(text), "%s%s", RUNC_STATE, suffix);
	snprintf(message, sizeof(message), "state has data after the JSON object (at byte %zu)",
		 strlen(RUNC_STATE) + skip + 1);
	expect_error(text, message);
}

static void test_refuses_trailing_garbage(void **unused)
{
	expect_data_after("x", 0);
	expect_data_after("}", 0);
	expect_data_after("\n,", 1);
	expect_data_after(" \t\r\n\"id\"", 4);
}

/* Two documents are ambiguous: the hook would register only one of two containers. */
static void test_refuses_two_objects(void **unused)
{
	expect_data_after(RUNC_STATE, 0);
	expect_data_after("\n" RUNC_STATE "\n", 1);
	expect_data_after("{}", 0);
}

static void test_refuses_other_json_values(void **unused)
{
	static const char *const texts[] = { "[]",   "42",   "\"web-1\"",
					     "null", "true", "[" RUNC_STATE "]" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect_error(texts[i], "state is not a JSON object");
	expect_error(" \n\t ", "state is empty");
}

/* Lenient JSON (single quotes, trailing commas, comments) is not what runtimes write. */
static void test_refuses_invalid_json(void **unused)
{
	static const char *const texts[] = {
		"{'ociVersion':'1.0.2'}",
		"{\"ociVersion\":\"1.0.2\",}",
		"{\"pid\":01}",
		"{/* c */\"pid\":1}",
		"{\"pid\" 1}",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect_error_len(texts[i], strlen(texts[i]), "state is not valid JSON: ", true);
}

static void test_refuses_nul_byte(void **unused)
{
	static const char text[] = "{\"ociVersion\":\"1.0.2\"}\0{}";

	expect_error_len(text, sizeof(text) - 1, "state contains a NUL byte", false);
}

static void test_refuses_oversized_document(void **unused)
{
	size_t len = CANISTER_OCI_STATE_MAX + 1;
	char *text = malloc(len);

	assert_non_null(text);
	memset(text, ' ', len);
	memcpy(text, RUNC_STATE, strlen(RUNC_STATE));
	expect_error_len(text, len, "state is larger than 1048576 bytes", false);
	/* At the limit it is still read: a byte more is what the hook refuses on stdin too. */
	{
		struct canister_oci_state state;
		char why[256] = "";

		assert_int_equal(parse_len(text, len - 1, &state, why, sizeof(why)), 0);
		assert_int_equal(state.pid, 4242);
	}
	free(text);
}

static void test_refuses_missing_or_bad_oci_version(void **unused)
{
	expect_error(BUILD(.oci_version = OMIT), "state member \"ociVersion\" is missing");
	expect_error(BUILD(.oci_version = "\"ociVersion\":1"),
		     "state member \"ociVersion\" must be a string");
}

static void test_refuses_missing_or_bad_id(void **unused)
{
	expect_error(BUILD(.id = OMIT), "state member \"id\" is missing");
	expect_error(BUILD(.id = "\"id\":42"), "state member \"id\" must be a string");
	expect_error(BUILD(.id = "\"id\":\"web\\u0000-1\""),
		     "state member \"id\" must be a string");
	expect_error(BUILD(.id = "\"id\":\"\""), "state member \"id\" is not a container name "
						 "canister accepts: a container name must not be "
						 "empty");
}

/* The id becomes the container's recorded name, so it must be one a log line can carry. */
static void test_refuses_bad_id_characters(void **unused)
{
	expect_error(BUILD(.id = "\"id\":\"my container\""),
		     "state member \"id\" is not a container name canister accepts: character 3 "
		     "of the container name is not one of [A-Za-z0-9._:+@-]");
	expect_error(BUILD(.id = "\"id\":\"a/b\""),
		     "state member \"id\" is not a container name canister accepts: character 2 "
		     "of the container name is not one of [A-Za-z0-9._:+@-]");
	expect_error(BUILD(.id = "\"id\":\"web\\n1\""),
		     "state member \"id\" is not a container name canister accepts: character 4 "
		     "of the container name is not one of [A-Za-z0-9._:+@-]");
	expect_error(BUILD(.id = "\"id\":\"caf\\u00e9\""),
		     "state member \"id\" is not a container name canister accepts: character 4 "
		     "of the container name is not one of [A-Za-z0-9._:+@-]");
}

/* A 64-hex digest (podman, CRI-O, containerd ids) fits; one character more does not. */
static void test_refuses_id_too_long(void **unused)
{
	struct canister_oci_state state;
	const char *hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char id[128];

	snprintf(id, sizeof(id), "\"id\":\"%s\"", hex64);
	expect_ok(BUILD(.id = id), &state);
	assert_string_equal(state.id, hex64);
	snprintf(id, sizeof(id), "\"id\":\"%s0\"", hex64);
	expect_error(BUILD(.id = id), "state member \"id\" is not a container name canister "
				      "accepts: a container name has at most 64 characters");
}

static void test_refuses_missing_or_bad_status(void **unused)
{
	static const char message[] =
		"state member \"status\" must be a string of 1 to 31 printable characters";

	expect_error(BUILD(.status = OMIT), "state member \"status\" is missing");
	expect_error(BUILD(.status = "\"status\":1"), message);
	expect_error(BUILD(.status = "\"status\":\"\""), message);
	expect_error(BUILD(.status = "\"status\":\"crea ting\""), message);
	expect_error(BUILD(.status = "\"status\":\"creating\\n\""), message);
	expect_error(BUILD(.status = "\"status\":\"0123456789abcdef0123456789abcdef\""), message);
}

static void test_refuses_missing_or_bad_bundle(void **unused)
{
	static const char message[] =
		"state member \"bundle\" must be an absolute path shorter than 4096 bytes";

	expect_error(BUILD(.bundle = OMIT), "state member \"bundle\" is missing");
	expect_error(BUILD(.bundle = "\"bundle\":\"run/bundle\""), message);
	expect_error(BUILD(.bundle = "\"bundle\":\"\""), message);
	expect_error(BUILD(.bundle = "\"bundle\":[\"/run\"]"), message);

	/* build() holds 4096 bytes; a path of PATH_MAX needs its own document. */
	{
		size_t doc_len = PATH_MAX + 256;
		char *doc = malloc(doc_len);
		char path[PATH_MAX + 1];

		assert_non_null(doc);
		memset(path, 'b', sizeof(path));
		path[0] = '/';
		path[PATH_MAX] = '\0';
		snprintf(doc, doc_len,
			 "{\"ociVersion\":\"1\",\"id\":\"a\",\"pid\":1,\"status\":\"creating\","
			 "\"bundle\":\"%s\"}",
			 path);
		expect_error(doc, message);
		path[PATH_MAX - 1] = '\0';
		snprintf(doc, doc_len,
			 "{\"ociVersion\":\"1\",\"id\":\"a\",\"pid\":1,\"status\":\"creating\","
			 "\"bundle\":\"%s\"}",
			 path);
		{
			struct canister_oci_state state;

			expect_ok(doc, &state);
			assert_int_equal(strlen(state.bundle), PATH_MAX - 1);
		}
		free(doc);
	}
}

static void test_refuses_annotations_not_object(void **unused)
{
	static const char *const values[] = { "[]", "\"org.canister.contid=7\"", "null", "7" };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char annotations[128];

		snprintf(annotations, sizeof(annotations), "\"annotations\":%s", values[i]);
		expect_error(BUILD(.annotations = annotations),
			     "state member \"annotations\" must be an object");
	}
}

static void test_refuses_annotation_value_not_string(void **unused)
{
	expect_error(BUILD(.annotations = "\"annotations\":{\"a\":\"ok\",\"io.example/n\":1}"),
		     "state annotation \"io.example/n\" must be a string");
	expect_error(BUILD(.annotations = "\"annotations\":{\"x\":null}"),
		     "state annotation \"x\" must be a string");
	expect_error(BUILD(.annotations = "\"annotations\":{\"x\":{\"y\":\"z\"}}"),
		     "state annotation \"x\" must be a string");
}

/* The key is the container creator's text; the runtime prints the message as one line. */
static void test_annotation_key_shown_on_one_line(void **unused)
{
	expect_error(BUILD(.annotations = "\"annotations\":{\"a\\nb\\\"c\\u0001\":true}"),
		     "state annotation \"a?b?c?\" must be a string");
	expect_error(BUILD(.annotations = "\"annotations\":{\"k0123456789abcdef0123456789abcdef0"
					  "123456789abcdef0123456789abcdefXYZ\":1}"),
		     "state annotation \"k0123456789abcdef0123456789abcdef0123456789abcdef0123"
		     "456789ab...\" must be a string");
}

/* A reason that does not fit the caller's buffer is cut, never overrun. */
static void test_short_reason_buffer(void **unused)
{
	struct canister_oci_state state;
	char why[8];

	memset(why, 'x', sizeof(why));
	assert_int_equal(parse_len("[]", 2, &state, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "state i");
	assert_int_equal(parse_len("[]", 2, &state, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_runc_state),
		cmocka_unit_test(test_accepts_surrounding_whitespace),
		cmocka_unit_test(test_ignores_unknown_members),
		cmocka_unit_test(test_reads_contid_annotation),
		cmocka_unit_test(test_annotations_without_contid),
		cmocka_unit_test(test_refuses_bad_contid_annotation),
		cmocka_unit_test(test_ima_policy_annotation),
		cmocka_unit_test(test_access_policy_annotation),
		cmocka_unit_test(test_integrity_tpm_annotation),
		cmocka_unit_test(test_appraisal_annotations),
		cmocka_unit_test(test_refuses_missing_pid),
		cmocka_unit_test(test_refuses_pid_of_other_type),
		cmocka_unit_test(test_refuses_pid_zero_and_negative),
		cmocka_unit_test(test_refuses_huge_pid),
		cmocka_unit_test(test_refuses_truncated_document),
		cmocka_unit_test(test_refuses_trailing_garbage),
		cmocka_unit_test(test_refuses_two_objects),
		cmocka_unit_test(test_refuses_other_json_values),
		cmocka_unit_test(test_refuses_invalid_json),
		cmocka_unit_test(test_refuses_nul_byte),
		cmocka_unit_test(test_refuses_oversized_document),
		cmocka_unit_test(test_refuses_missing_or_bad_oci_version),
		cmocka_unit_test(test_refuses_missing_or_bad_id),
		cmocka_unit_test(test_refuses_bad_id_characters),
		cmocka_unit_test(test_refuses_id_too_long),
		cmocka_unit_test(test_refuses_missing_or_bad_status),
		cmocka_unit_test(test_refuses_missing_or_bad_bundle),
		cmocka_unit_test(test_refuses_annotations_not_object),
		cmocka_unit_test(test_refuses_annotation_value_not_string),
		cmocka_unit_test(test_annotation_key_shown_on_one_line),
		cmocka_unit_test(test_short_reason_buffer),
	};

	return cmocka_run_group_tests_name("oci_state", tests, NULL, NULL);
}
