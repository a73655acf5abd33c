// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: auditd's plugin lines (format = string) read back into kernel messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/auditd_line.h"
#include "audit/grouper.h"

#include <errno.h>
#include <libaudit.h>
#include <string.h>

static struct auditd_line parse_ok(const char *line)
{
	struct auditd_line parsed;

	assert_int_equal(auditd_line_parse(line, strlen(line), &parsed), 0);
	return parsed;
}

static void expect_body(const char *line, int type, const char *body)
{
	struct auditd_line parsed = parse_ok(line);

	assert_int_equal(parsed.kind, AUDITD_LINE_RECORD);
	assert_int_equal(parsed.type, type);
	assert_int_equal(parsed.body_len, strlen(body));
	assert_memory_equal(parsed.body, body, strlen(body));
}

/* What auditd 3.0.9 writes with log_format = RAW: the kernel's text after "msg=". */
static void test_raw_records(void **state)
{
	expect_body("type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=59 "
		    "success=yes pid=8731 key=\"exec\"\n",
		    AUDIT_SYSCALL,
		    "audit(1700000000.123:42): arch=c000003e syscall=59 success=yes pid=8731 "
		    "key=\"exec\"");
	expect_body("type=EOE msg=audit(1700000000.123:42): \n", AUDIT_EOE,
		    "audit(1700000000.123:42): ");
	/* Without its newline too. */
	expect_body("type=CWD msg=audit(1700000000.123:42): cwd=\"/root\"", AUDIT_CWD,
		    "audit(1700000000.123:42): cwd=\"/root\"");
}

/* log_format = ENRICHED (Debian's default): auditd's interpretation after 0x1d is not the kernel's.
 */
static void test_enriched_records(void **state)
{
	expect_body("type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=59 "
		    "key=\"exec\"\x1d"
		    "ARCH=x86_64 SYSCALL=execve AUID=\"unset\" UID=\"root\"\n",
		    AUDIT_SYSCALL,
		    "audit(1700000000.123:42): arch=c000003e syscall=59 key=\"exec\"");
}

/* name_format: node= is auditd's to write; canisterd writes its own. */
static void test_node_prefix(void **state)
{
	expect_body("node=web-1 type=PATH msg=audit(1700000000.123:42): item=0 name=\"/x\"",
		    AUDIT_PATH, "audit(1700000000.123:42): item=0 name=\"/x\"");
	expect_body("node=web-1 type=UNKNOWN[1337] msg=audit(1700000000.123:42): x=1", 1337,
		    "audit(1700000000.123:42): x=1");
}

static void test_relay_note(void **state)
{
	struct auditd_line parsed = parse_ok("canister-audisp lost=18446744073709551615\n");

	assert_int_equal(parsed.kind, AUDITD_LINE_LOST);
	assert_true(parsed.lost == UINT64_MAX);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"type=SYSCALL",
		"type=SYSCALL msg",
		"type= msg=audit(1700000000.123:42): x=1",
		"type=NOSUCHTYPE msg=audit(1700000000.123:42): x=1",
		"type=UNKNOWN[0] msg=audit(1700000000.123:42): x=1",
		"type=UNKNOWN[65536] msg=audit(1700000000.123:42): x=1",
		"type=UNKNOWN[] msg=audit(1700000000.123:42): x=1",
		"node= type=SYSCALL msg=audit(1700000000.123:42): x=1",
		"node=web-1",
		"canister-audisp lost=",
		"canister-audisp lost=18446744073709551616",
		"canister-audisp lost=12x",
		" type=SYSCALL msg=audit(1700000000.123:42): x=1",
	};
	struct auditd_line parsed;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(auditd_line_parse(bad[i], strlen(bad[i]), &parsed), -EINVAL);
	/* A NUL inside the line. */
	assert_int_equal(auditd_line_parse("type=CWD msg=audit(1.000:1): \0x", 30, &parsed),
			 -EINVAL);
	assert_int_equal(auditd_line_parse(NULL, 0, &parsed), -EINVAL);
}

struct collected {
	int events;
	char lines[4096];
};

static void collect(struct audit_event *event, void *ctx)
{
	struct collected *c = ctx;

	c->events++;
	strncat(c->lines, event->bytes, event->len);
}

/* Fed to the grouper, auditd's lines give back the lines the netlink would have given. */
static void test_same_event_as_netlink(void **state)
{
	static const char *const feed[] = {
		"type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=59 success=yes "
		"pid=8731 key=\"exec\"\x1d"
		"ARCH=x86_64 SYSCALL=execve\n",
		"type=EXECVE msg=audit(1700000000.123:42): argc=1 a0=\"ls\"\n",
		"type=PROCTITLE msg=audit(1700000000.123:42): proctitle=6C73\n",
		"type=EOE msg=audit(1700000000.123:42): \n",
	};
	struct collected c = { 0 };
	struct audit_grouper *g;

	assert_int_equal(audit_grouper_new(collect, &c, NULL, &g), 0);
	for (size_t i = 0; i < sizeof(feed) / sizeof(feed[0]); i++) {
		struct auditd_line parsed = parse_ok(feed[i]);

		assert_int_equal(audit_grouper_feed(g, parsed.type, parsed.body, parsed.body_len),
				 0);
	}
	assert_int_equal(c.events, 1);
	assert_string_equal(c.lines,
			    "type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=59 "
			    "success=yes pid=8731 key=\"exec\"\n"
			    "type=EXECVE msg=audit(1700000000.123:42): argc=1 a0=\"ls\"\n"
			    "type=PROCTITLE msg=audit(1700000000.123:42): proctitle=6C73\n");
	audit_grouper_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_records), cmocka_unit_test(test_enriched_records),
		cmocka_unit_test(test_node_prefix), cmocka_unit_test(test_relay_note),
		cmocka_unit_test(test_refused),	    cmocka_unit_test(test_same_event_as_netlink),
	};

	return cmocka_run_group_tests_name("auditd_line", tests, NULL, NULL);
}
