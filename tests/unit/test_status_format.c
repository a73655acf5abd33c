// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: `canister status` text from canisterd's status document, and durations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/status_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shaped like the daemon's status_document(), member order included. */
static const char realistic_document[] =
	"{\"ok\":true,\"mode\":\"trace\",\"mode_reason\":\"BPF LSM unavailable: bpf not in "
	"/sys/kernel/security/lsm\","
	"\"daemon\":{\"pid\":812,\"version\":\"0.1.0\",\"started\":\"2024-05-01T10:00:00Z\","
	"\"uptime_seconds\":273906,\"config\":\"/etc/canister/canister.conf (absent: defaults)\","
	"\"pin_path\":\"/sys/fs/bpf/canister\",\"control_socket\":\"/run/canister/control.sock\","
	"\"log\":\"/var/log/canister/canisterd.log\",\"log_level\":\"info\"},"
	"\"features\":{\"bpf_lsm\":{\"available\":false,\"detail\":\"bpf not in "
	"/sys/kernel/security/lsm\"},"
	"\"tp_btf\":{\"available\":true,\"detail\":\"sched_process_fork attached\"},"
	"\"bpffs\":{\"available\":true,\"detail\":\"mounted at /sys/fs/bpf\"}},"
	"\"protection\":\"trace mode: labels are observed, not defended\","
	"\"counters\":{\"events\":9007199254740993,\"events_received\":12,\"lost\":3,"
	"\"inherited\":40,\"cleared\":38,\"inherit_failed\":0,\"guard_denied\":0,"
	"\"labelled_processes\":2},"
	"\"warnings\":[\"3 event records were lost (ring buffer full)\","
	"\"changed in the config, effective at restart: pin_path\"]}";

static const char realistic_text[] =
	"mode: trace\n"
	"  why: BPF LSM unavailable: bpf not in /sys/kernel/security/lsm\n"
	"daemon: pid 812, up 3d 04h 05m 06s (since 2024-05-01T10:00:00Z)\n"
	"  config: /etc/canister/canister.conf (absent: defaults)\n"
	"  pin path: /sys/fs/bpf/canister\n"
	"  control socket: /run/canister/control.sock\n"
	"  log: /var/log/canister/canisterd.log\n"
	"features:\n"
	"  bpf_lsm        unavailable  bpf not in /sys/kernel/security/lsm\n"
	"  tp_btf         available    sched_process_fork attached\n"
	"  bpffs          available    mounted at /sys/fs/bpf\n"
	"protection: trace mode: labels are observed, not defended\n"
	"counters:\n"
	"  events             9007199254740993\n"
	"  events_received    12\n"
	"  lost               3\n"
	"  inherited          40\n"
	"  cleared            38\n"
	"  inherit_failed     0\n"
	"  guard_denied       0\n"
	"  labelled_processes 2\n"
	"warning: 3 event records were lost (ring buffer full)\n"
	"warning: changed in the config, effective at restart: pin_path\n";

/* Runs canister_status_print() into memory; returns its result and the text in *ret_text. */
static int print_to_string(const char *json, char **ret_text)
{
	size_t size = 0;
	FILE *out;
	int r;

	*ret_text = NULL;
	out = open_memstream(ret_text, &size);
	assert_non_null(out);
	r = canister_status_print(json, out);
	assert_int_equal(fclose(out), 0);
	return r;
}

/* Counters above 2^53 print exactly: an operator compares them with bpftool's. */
static void test_realistic_document(void **state)
{
	char *text;

	assert_int_equal(print_to_string(realistic_document, &text), 0);
	assert_string_equal(text, realistic_text);
	free(text);
}

/* No warnings means no warning lines, not an empty one. */
static void test_document_without_warnings(void **state)
{
	static const char json[] =
		"{\"mode\":\"lsm\",\"mode_reason\":\"BPF LSM active\","
		"\"daemon\":{\"pid\":1,\"started\":\"2024-05-01T10:00:00Z\",\"uptime_seconds\":59,"
		"\"config\":\"/etc/canister/canister.conf\",\"pin_path\":\"/sys/fs/bpf/c\","
		"\"control_socket\":\"/run/c.sock\",\"log\":\"stderr\"},"
		"\"features\":{},\"protection\":\"lsm mode\",\"counters\":{},\"warnings\":[]}";
	char *text;

	assert_int_equal(print_to_string(json, &text), 0);
	assert_string_equal(text, "mode: lsm\n"
				  "  why: BPF LSM active\n"
				  "daemon: pid 1, up 59s (since 2024-05-01T10:00:00Z)\n"
				  "  config: /etc/canister/canister.conf\n"
				  "  pin path: /sys/fs/bpf/c\n"
				  "  control socket: /run/c.sock\n"
				  "  log: stderr\n"
				  "features:\n"
				  "protection: lsm mode\n"
				  "counters:\n");
	free(text);
}

/*
 * A daemon of another version may leave members out; what is missing shows as
 * "?" rather than as an invented value.
 */
static void test_missing_members_show_as_unknown(void **state)
{
	static const char json[] = "{\"daemon\":{},\"features\":{\"bpf_lsm\":{}},\"counters\":{}}";
	char *text;

	assert_int_equal(print_to_string(json, &text), 0);
	assert_string_equal(text, "mode: ?\n"
				  "  why: ?\n"
				  "daemon: pid ?, up ? (since ?)\n"
				  "  config: ?\n"
				  "  pin path: ?\n"
				  "  control socket: ?\n"
				  "  log: ?\n"
				  "features:\n"
				  "  bpf_lsm        ?            ?\n"
				  "protection: ?\n"
				  "counters:\n");
	free(text);
}

/* Whatever is not a status document is refused before a single line is printed. */
static void test_garbage_is_eproto_and_prints_nothing(void **state)
{
	static const char *const documents[] = {
		"",
		"not json",
		"{\"daemon\":",
		"null",
		"[]",
		"42",
		"{}",
		"{\"ok\":false,\"errno\":\"EPERM\",\"error\":\"refused\"}",
		"{\"daemon\":{},\"features\":{}}",
		"{\"daemon\":{},\"counters\":{}}",
		"{\"features\":{},\"counters\":{}}",
		"{\"daemon\":{},\"features\":[],\"counters\":{}}",
		"{\"daemon\":{},\"features\":{},\"counters\":[1,2]}",
		"{\"daemon\":\"up\",\"features\":{},\"counters\":{}}",
		"{\"daemon\":null,\"features\":{},\"counters\":{}}",
	};

	for (size_t i = 0; i < sizeof(documents) / sizeof(documents[0]); i++) {
		char *text;
		int r = print_to_string(documents[i], &text);

		if (r != -EPROTO)
			fail_msg("%s: got %d, expected -EPROTO", documents[i], r);
		if (text[0])
			fail_msg("%s: printed \"%s\"", documents[i], text);
		free(text);
	}
}

static void test_duration_shortest_exact_form(void **state)
{
	static const struct {
		unsigned long long seconds;
		const char *text;
	} cases[] = {
		{ 0, "0s" },
		{ 59, "59s" },
		{ 60, "1m 00s" },
		{ 3599, "59m 59s" },
		{ 3600, "1h 00m 00s" },
		{ 3661, "1h 01m 01s" },
		{ 86399, "23h 59m 59s" },
		{ 86400, "1d 00h 00m 00s" },
		{ 273906, "3d 04h 05m 06s" },
		{ 400 * 86400ULL + 1, "400d 00h 00m 01s" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];

		canister_format_duration(cases[i].seconds, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

static void test_duration_short_buffer_is_terminated(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	canister_format_duration(273906, buf, 6);
	assert_string_equal(buf, "3d 04");
	assert_int_equal(buf[6], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realistic_document),
		cmocka_unit_test(test_document_without_warnings),
		cmocka_unit_test(test_missing_members_show_as_unknown),
		cmocka_unit_test(test_garbage_is_eproto_and_prints_nothing),
		cmocka_unit_test(test_duration_shortest_exact_form),
		cmocka_unit_test(test_duration_short_buffer_is_terminated),
	};

	return cmocka_run_group_tests_name("status_format", tests, NULL, NULL);
}
