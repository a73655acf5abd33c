// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: auditctl-syntax rules parsed into the libaudit rules the kernel is sent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/rules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SOURCE "test.rules"
#define EXAMPLES "/usr/share/doc/auditd/examples/rules"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* x86_64 syscall numbers, and i386's, as the kernel's tables have them. */
#define NR_EXECVE 59
#define NR_KILL 62
#define NR_TKILL 200
#define NR_I386_EXECVE 11

/*
 * Parsing must never ask the kernel anything: libaudit would over netlink
 * when building some fields.  These stand in for libaudit's and count.
 */
static unsigned int kernel_asked;

int audit_open(void);
uint32_t audit_get_features(void);

int audit_open(void)
{
	kernel_asked++;
	return -1;
}

uint32_t audit_get_features(void)
{
	kernel_asked++;
	return 0;
}

static char tmpdir[64];

static int setup_tmpdir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/canister-test-audit-rules.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	return rmdir(tmpdir);
}

static bool native_x86_64(void)
{
	return audit_detect_machine() == MACH_86_64;
}

static struct canister_audit_rule parse_ok(const char *line)
{
	struct canister_audit_rule rule;
	char why[512] = "";
	int r;

	r = canister_audit_rule_parse_line(line, 7, &rule, why, sizeof(why));
	if (r != 0)
		fail_msg("\"%s\" refused (%d): %s", line, r, why);
	assert_int_equal(rule.line, 7);
	return rule;
}

static void fill_sentinel(struct canister_audit_rule *rule)
{
	memset(rule, 0x5a, sizeof(*rule));
}

static void assert_sentinel(const struct canister_audit_rule *rule)
{
	struct canister_audit_rule sentinel;

	fill_sentinel(&sentinel);
	assert_memory_equal(rule, &sentinel, sizeof(sentinel));
}

/* The line must be refused with exactly @message, and the output left alone. */
static void expect_refusal(const char *line, const char *message)
{
	struct canister_audit_rule rule;
	char why[512] = "";
	int r;

	fill_sentinel(&rule);
	r = canister_audit_rule_parse_line(line, 1, &rule, why, sizeof(why));
	if (r != -EINVAL)
		fail_msg("\"%s\": expected -EINVAL, got %d", line, r);
	if (strcmp(why, message) != 0)
		fail_msg("\"%s\":\n  got      \"%s\"\n  expected \"%s\"", line, why, message);
	assert_sentinel(&rule);
}

static void assert_field(const struct audit_rule_data *data, unsigned int i, int field, int op,
			 uint32_t value)
{
	if (i >= data->field_count)
		fail_msg("field %u missing (field_count %u)", i, data->field_count);
	assert_int_equal(data->fields[i], field);
	assert_int_equal(data->fieldflags[i], op);
	assert_int_equal(data->values[i], value);
}

static bool is_string_field(uint32_t field)
{
	return (field >= AUDIT_SUBJ_USER && field <= AUDIT_SUBJ_CLR) ||
	       (field >= AUDIT_OBJ_USER && field <= AUDIT_OBJ_LEV_HIGH) || field == AUDIT_WATCH ||
	       field == AUDIT_DIR || field == AUDIT_FILTERKEY || field == AUDIT_EXE;
}

/* Field @i is a string field holding exactly @text, at its place in buf[]. */
static void assert_string_field(const struct audit_rule_data *data, unsigned int i, int field,
				const char *text)
{
	size_t offset = 0;

	assert_field(data, i, field, AUDIT_EQUAL, strlen(text));
	for (unsigned int j = 0; j < i; j++)
		if (is_string_field(data->fields[j]))
			offset += data->values[j];
	assert_true(offset + strlen(text) <= data->buflen);
	assert_memory_equal(data->buf + offset, text, strlen(text));
}

static bool syscall_bit(const struct audit_rule_data *data, unsigned int nr)
{
	return data->mask[AUDIT_WORD(nr)] & AUDIT_BIT(nr);
}

static unsigned int syscall_count(const struct audit_rule_data *data)
{
	unsigned int count = 0;

	for (unsigned int nr = 0; nr < AUDIT_BITMASK_SIZE * 32; nr++)
		count += syscall_bit(data, nr);
	return count;
}

static void assert_all_syscalls(const struct audit_rule_data *data)
{
	assert_int_equal(syscall_count(data), AUDIT_BITMASK_SIZE * 32);
}

static void test_exec_rule(void **state)
{
	struct canister_audit_rule rule;

	if (!native_x86_64())
		skip();
	rule = parse_ok("-a always,exit -F arch=b64 -S execve -k exec");
	assert_int_equal(rule.kind, CANISTER_RULE_KERNEL);
	assert_int_equal(rule.list, AUDIT_FILTER_EXIT);
	assert_int_equal(rule.action, AUDIT_ALWAYS);
	assert_false(rule.prepend);
	assert_int_equal(rule.contid.kind, CONTID_ANY);
	assert_string_equal(rule.key, "exec");
	assert_int_equal(rule.data->flags, AUDIT_FILTER_EXIT);
	assert_int_equal(rule.data->action, AUDIT_ALWAYS);
	assert_int_equal(rule.data->field_count, 2);
	assert_field(rule.data, 0, AUDIT_ARCH, AUDIT_EQUAL, AUDIT_ARCH_X86_64);
	assert_string_field(rule.data, 1, AUDIT_FILTERKEY, "exec");
	assert_int_equal(rule.data->buflen, 4);
	assert_true(syscall_bit(rule.data, NR_EXECVE));
	assert_int_equal(syscall_count(rule.data), 1);
	free(rule.data);
}

static void test_file_watch(void **state)
{
	struct canister_audit_rule rule = parse_ok("-w /etc/passwd -p wa -k identity");

	assert_int_equal(rule.list, AUDIT_FILTER_EXIT);
	assert_int_equal(rule.action, AUDIT_ALWAYS);
	assert_string_equal(rule.key, "identity");
	assert_int_equal(rule.data->flags, AUDIT_FILTER_EXIT);
	assert_int_equal(rule.data->field_count, 3);
	assert_string_field(rule.data, 0, AUDIT_WATCH, "/etc/passwd");
	assert_field(rule.data, 1, AUDIT_PERM, AUDIT_EQUAL, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
	assert_string_field(rule.data, 2, AUDIT_FILTERKEY, "identity");
	assert_int_equal(rule.data->buflen, strlen("/etc/passwdidentity"));
	assert_all_syscalls(rule.data);
	free(rule.data);

	/* Without -p every kind of access is watched. */
	rule = parse_ok("-w /etc/passwd");
	assert_field(rule.data, 1, AUDIT_PERM, AUDIT_EQUAL,
		     AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR);
	free(rule.data);
	rule = parse_ok("-w /etc/passwd -p RX");
	assert_field(rule.data, 1, AUDIT_PERM, AUDIT_EQUAL, AUDIT_PERM_READ | AUDIT_PERM_EXEC);
	free(rule.data);
}

/* A directory is watched as a tree (AUDIT_DIR), named without its trailing '/'. */
static void test_directory_watch(void **state)
{
	struct canister_audit_rule rule;
	char line[256], path[128];

	snprintf(line, sizeof(line), "-w %s/ -p wa -k actions", tmpdir);
	rule = parse_ok(line);
	assert_string_field(rule.data, 0, AUDIT_DIR, tmpdir);
	assert_field(rule.data, 1, AUDIT_PERM, AUDIT_EQUAL, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
	assert_string_field(rule.data, 2, AUDIT_FILTERKEY, "actions");
	free(rule.data);

	/* "\ " is a space inside a path, as auditctl reads it; nothing there is a file watch. */
	snprintf(line, sizeof(line), "-w %s/with\\ space -p r", tmpdir);
	snprintf(path, sizeof(path), "%s/with space", tmpdir);
	rule = parse_ok(line);
	assert_string_field(rule.data, 0, AUDIT_WATCH, path);
	free(rule.data);

	rule = parse_ok("-w /tmp/back\\\\slash");
	assert_string_field(rule.data, 0, AUDIT_WATCH, "/tmp/back\\slash");
	free(rule.data);
}

static void test_exclude_msgtype(void **state)
{
	struct canister_audit_rule rule = parse_ok("-a never,exclude -F msgtype=CWD");

	assert_int_equal(rule.list, AUDIT_FILTER_EXCLUDE);
	assert_int_equal(rule.action, AUDIT_NEVER);
	assert_int_equal(rule.data->flags, AUDIT_FILTER_EXCLUDE);
	assert_int_equal(rule.data->action, AUDIT_NEVER);
	assert_int_equal(rule.data->field_count, 1);
	assert_field(rule.data, 0, AUDIT_MSGTYPE, AUDIT_EQUAL, AUDIT_CWD);
	assert_int_equal(rule.data->buflen, 0);
	assert_string_equal(rule.key, "");
	/* As auditctl sends it: a rule on a list other than task covers every syscall. */
	assert_all_syscalls(rule.data);
	free(rule.data);

	/* The fields the exclude filter takes besides msgtype. */
	rule = parse_ok("-a never,exclude -F uid=0 -F msgtype>=1300 -F msgtype<=1399");
	assert_field(rule.data, 0, AUDIT_UID, AUDIT_EQUAL, 0);
	assert_field(rule.data, 1, AUDIT_MSGTYPE, AUDIT_GREATER_THAN_OR_EQUAL, 1300);
	assert_field(rule.data, 2, AUDIT_MSGTYPE, AUDIT_LESS_THAN_OR_EQUAL, 1399);
	free(rule.data);
}

static void test_kill_rule(void **state)
{
	struct canister_audit_rule rule;

	if (!native_x86_64())
		skip();
	rule = parse_ok("-a always,exit -F arch=b64 -S kill,tkill -F a1=9 -k kill");
	assert_int_equal(rule.data->field_count, 3);
	assert_field(rule.data, 0, AUDIT_ARCH, AUDIT_EQUAL, AUDIT_ARCH_X86_64);
	assert_field(rule.data, 1, AUDIT_ARG1, AUDIT_EQUAL, 9);
	assert_string_field(rule.data, 2, AUDIT_FILTERKEY, "kill");
	assert_true(syscall_bit(rule.data, NR_KILL));
	assert_true(syscall_bit(rule.data, NR_TKILL));
	assert_int_equal(syscall_count(rule.data), 2);
	free(rule.data);
}

/* The arch picks the syscall table: execve is 11 for i386. */
static void test_arch_picks_syscall_table(void **state)
{
	static const char *const b32[] = {
		"-a always,exit -F arch=b32 -S execve",
		"-a always,exit -F arch=i386 -S execve",
		"-a always,exit -F arch=0x40000003 -S execve",
	};
	struct canister_audit_rule rule;

	if (!native_x86_64())
		skip();
	for (size_t i = 0; i < ARRAY_SIZE(b32); i++) {
		rule = parse_ok(b32[i]);
		assert_field(rule.data, 0, AUDIT_ARCH, AUDIT_EQUAL, AUDIT_ARCH_I386);
		assert_true(syscall_bit(rule.data, NR_I386_EXECVE));
		assert_int_equal(syscall_count(rule.data), 1);
		free(rule.data);
	}
	/* No arch: this machine's table, and no arch field. */
	rule = parse_ok("-a always,exit -S execve");
	assert_int_equal(rule.data->field_count, 0);
	assert_true(syscall_bit(rule.data, NR_EXECVE));
	free(rule.data);

	rule = parse_ok("-a always,exit -F arch!=b64 -S 59,all");
	assert_field(rule.data, 0, AUDIT_ARCH, AUDIT_NOT_EQUAL, AUDIT_ARCH_X86_64);
	assert_all_syscalls(rule.data);
	free(rule.data);

	/* A number is a syscall too, up to the mask's 2048 bits. */
	rule = parse_ok("-a always,exit -S 59 -S 2047");
	assert_true(syscall_bit(rule.data, NR_EXECVE));
	assert_true(syscall_bit(rule.data, 2047));
	assert_int_equal(syscall_count(rule.data), 2);
	free(rule.data);
}

static void test_field_operators_and_values(void **state)
{
	struct canister_audit_rule rule = parse_ok(
		"-a always,exit -S open -F a0&0x7C020000 -F a3&=8 -F auid>=1000 -F auid!=unset "
		"-F exit=-EACCES -F pid<100 -F ppid>1 -F uid=root -F a1=-1 -F success=0");

	assert_int_equal(rule.data->field_count, 10);
	assert_field(rule.data, 0, AUDIT_ARG0, AUDIT_BIT_MASK, 0x7C020000);
	assert_field(rule.data, 1, AUDIT_ARG3, AUDIT_BIT_TEST, 8);
	assert_field(rule.data, 2, AUDIT_LOGINUID, AUDIT_GREATER_THAN_OR_EQUAL, 1000);
	assert_field(rule.data, 3, AUDIT_LOGINUID, AUDIT_NOT_EQUAL, UINT32_MAX);
	assert_field(rule.data, 4, AUDIT_EXIT, AUDIT_EQUAL, (uint32_t)-EACCES);
	assert_field(rule.data, 5, AUDIT_PID, AUDIT_LESS_THAN, 100);
	assert_field(rule.data, 6, AUDIT_PPID, AUDIT_GREATER_THAN, 1);
	assert_field(rule.data, 7, AUDIT_UID, AUDIT_EQUAL, 0);
	assert_field(rule.data, 8, AUDIT_ARG1, AUDIT_EQUAL, UINT32_MAX);
	assert_field(rule.data, 9, AUDIT_SUCCESS, AUDIT_EQUAL, 0);
	free(rule.data);

	/* Fields libaudit would ask the kernel about are built here instead. */
	rule = parse_ok("-a always,exit -S all -F exe=/usr/bin/ls -F sessionid=unset "
			"-F dir=/home -F perm=wa -k power");
	assert_string_field(rule.data, 0, AUDIT_EXE, "/usr/bin/ls");
	assert_field(rule.data, 1, AUDIT_SESSIONID, AUDIT_EQUAL, UINT32_MAX);
	assert_string_field(rule.data, 2, AUDIT_DIR, "/home");
	assert_field(rule.data, 3, AUDIT_PERM, AUDIT_EQUAL, AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
	assert_string_field(rule.data, 4, AUDIT_FILTERKEY, "power");
	free(rule.data);
}

static void test_field_comparisons(void **state)
{
	struct canister_audit_rule rule =
		parse_ok("-a always,exit -F dir=/home -F uid=0 -F auid>=1000 -F auid!=unset "
			 "-C auid!=obj_uid -F key=power-abuse");

	assert_int_equal(rule.data->field_count, 6);
	assert_field(rule.data, 4, AUDIT_FIELD_COMPARE, AUDIT_NOT_EQUAL,
		     AUDIT_COMPARE_AUID_TO_OBJ_UID);
	assert_string_field(rule.data, 5, AUDIT_FILTERKEY, "power-abuse");
	free(rule.data);

	rule = parse_ok("-a always,exit -S execve -C uid!=euid -F euid=0");
	assert_field(rule.data, 0, AUDIT_FIELD_COMPARE, AUDIT_NOT_EQUAL, AUDIT_COMPARE_UID_TO_EUID);
	assert_field(rule.data, 1, AUDIT_EUID, AUDIT_EQUAL, 0);
	free(rule.data);
}

static void test_filesystem_and_task_lists(void **state)
{
	struct canister_audit_rule rule = parse_ok("-a never,filesystem -F fstype=tracefs -k fs");

	assert_int_equal(rule.data->flags, AUDIT_FILTER_FS);
	assert_field(rule.data, 0, AUDIT_FSTYPE, AUDIT_EQUAL, 0x74726163); /* TRACEFS_MAGIC */
	assert_string_field(rule.data, 1, AUDIT_FILTERKEY, "fs");
	free(rule.data);

	/* The task list gets no syscall mask at all. */
	rule = parse_ok("-a task,never");
	assert_int_equal(rule.data->flags, AUDIT_FILTER_TASK);
	assert_int_equal(rule.data->action, AUDIT_NEVER);
	assert_int_equal(rule.data->field_count, 0);
	assert_int_equal(syscall_count(rule.data), 0);
	free(rule.data);

	rule = parse_ok("-a always,user -F uid=0 -F sessionid=5");
	assert_int_equal(rule.data->flags, AUDIT_FILTER_USER);
	assert_field(rule.data, 1, AUDIT_SESSIONID, AUDIT_EQUAL, 5);
	free(rule.data);
}

/* -A puts the rule first; list and action come in either order, as auditctl takes them. */
static void test_prepend_and_either_order(void **state)
{
	struct canister_audit_rule rule = parse_ok("-A exit,always -S open");

	assert_true(rule.prepend);
	assert_int_equal(rule.list, AUDIT_FILTER_EXIT);
	assert_int_equal(rule.action, AUDIT_ALWAYS);
	assert_int_equal(rule.data->flags, AUDIT_FILTER_EXIT | AUDIT_FILTER_PREPEND);
	free(rule.data);

	rule = parse_ok("-a exclude,never -F msgtype=EOE");
	assert_false(rule.prepend);
	assert_int_equal(rule.list, AUDIT_FILTER_EXCLUDE);
	assert_int_equal(rule.action, AUDIT_NEVER);
	free(rule.data);
}

/* Several keys become one key field, joined by 0x01, as auditctl sends them. */
static void test_keys_are_joined(void **state)
{
	struct canister_audit_rule rule = parse_ok("-a always,exit -S open -k one -F key=two -k 3");
	char keys[AUDIT_MAX_KEY_LEN + 8];

	assert_string_equal(rule.key, "one\001two\0013");
	assert_int_equal(rule.data->field_count, 1);
	assert_string_field(rule.data, 0, AUDIT_FILTERKEY, "one\001two\0013");
	free(rule.data);

	/* Field names are matched regardless of case, as libaudit matches them. */
	rule = parse_ok("-a always,exit -S open -k one -F KEY=two -F Contid=3");
	assert_string_equal(rule.key, "one\001two");
	assert_int_equal(rule.data->field_count, 1);
	assert_int_equal(rule.contid.kind, CONTID_EQ);
	free(rule.data);

	/* 256 bytes in all, separators included, is the kernel's limit. */
	memset(keys, 'k', 254);
	strcpy(keys + 254, " -k x");
	{
		char line[512];

		snprintf(line, sizeof(line), "-a always,exit -S open -k %s", keys);
		rule = parse_ok(line);
		assert_int_equal(strlen(rule.key), AUDIT_MAX_KEY_LEN);
		free(rule.data);
		snprintf(line, sizeof(line), "-a always,exit -S open -k %s -k y", keys);
		expect_refusal(line, "-k: keys longer than 256 bytes in all");
	}
}

static void test_contid_filters(void **state)
{
	static const struct {
		const char *field;
		int kind;
		uint64_t contid;
		bool negate;
	} cases[] = {
		{ "contid=42", CONTID_EQ, 42, false },
		{ "contid!=42", CONTID_EQ, 42, true },
		{ "contid=unset", CONTID_UNSET, 0, false },
		{ "contid!=unset", CONTID_UNSET, 0, true },
		{ "contid^=7", CONTID_SUBTREE, 7, false },
		{ "contid=0", CONTID_EQ, 0, false },
		{ "contid=18446744073709551614", CONTID_EQ, UINT64_MAX - 1, false },
	};
	struct canister_audit_rule plain = parse_ok("-a always,exit -S execve -F uid=0 -k exec");

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct canister_audit_rule rule;
		char line[256];

		snprintf(line, sizeof(line), "-a always,exit -S execve -F uid=0 -F %s -k exec",
			 cases[i].field);
		rule = parse_ok(line);
		assert_int_equal(rule.contid.kind, cases[i].kind);
		assert_int_equal(rule.contid.contid, cases[i].contid);
		assert_int_equal(rule.contid.negate, cases[i].negate);
		/* The kernel is sent the rule without the filter it does not know. */
		assert_int_equal(rule.data->field_count, plain.data->field_count);
		assert_memory_equal(rule.data, plain.data,
				    sizeof(*plain.data) + plain.data->buflen);
		free(rule.data);
	}
	free(plain.data);

	/* A watch can be narrowed to a container too. */
	plain = parse_ok("-w /etc/shadow -p r -F contid^=3 -k shadow");
	assert_int_equal(plain.contid.kind, CONTID_SUBTREE);
	assert_int_equal(plain.contid.contid, 3);
	assert_int_equal(plain.data->field_count, 3);
	free(plain.data);
}

static void test_contid_refusals(void **state)
{
	expect_refusal("-a always,exit -S open -F contid=1 -F contid=2",
		       "-F: one contid filter per rule");
	expect_refusal("-a always,exit -S open -F contid<5", "-F: contid takes =, != or ^=");
	expect_refusal("-a always,exit -S open -F contid&=5", "-F: contid takes =, != or ^=");
	expect_refusal("-a always,exit -S open -F contid^=unset",
		       "-F: contid^= needs a contid, not 'unset'");
	expect_refusal("-a always,exit -S open -F contid=-1",
		       "-F: contid '-1' is not a container ID (decimal, at most "
		       "18446744073709551614) or 'unset'");
	expect_refusal("-a always,exit -S open -F contid=18446744073709551615",
		       "-F: contid '18446744073709551615' is not a container ID (decimal, at most "
		       "18446744073709551614) or 'unset'");
	expect_refusal("-a always,exit -S open -F contid=0x10",
		       "-F: contid '0x10' is not a container ID (decimal, at most "
		       "18446744073709551614) or 'unset'");
	expect_refusal("-a always,exit -S open -F uid^=0", "-F: '^=' is only for contid");
	/* Stripped of its filter, a never rule would silence every container. */
	expect_refusal("-a never,exit -S open -F contid=5",
		       "-F: contid cannot narrow a never rule; the kernel would apply it to every "
		       "container");
	expect_refusal("-a never,exclude -F contid=unset",
		       "-F: contid cannot narrow a never rule; the kernel would apply it to every "
		       "container");
}

static void test_controls(void **state)
{
	static const struct {
		const char *line;
		enum canister_audit_control control;
		uint32_t value;
	} cases[] = {
		{ "-e 0", CANISTER_AUDIT_ENABLED, 0 },
		{ "-e 2", CANISTER_AUDIT_ENABLED, 2 },
		{ "-f 1", CANISTER_AUDIT_FAILURE, 1 },
		{ "-b 8192", CANISTER_AUDIT_BACKLOG_LIMIT, 8192 },
		{ "-b 0x2000", CANISTER_AUDIT_BACKLOG_LIMIT, 8192 },
		{ "-r 4294967295", CANISTER_AUDIT_RATE_LIMIT, UINT32_MAX },
		{ "--backlog_wait_time 60000", CANISTER_AUDIT_BACKLOG_WAIT_TIME, 60000 },
		{ "--backlog_wait_time=60000", CANISTER_AUDIT_BACKLOG_WAIT_TIME, 60000 },
		{ "--loginuid-immutable", CANISTER_AUDIT_LOGINUID_IMMUTABLE, 1 },
		{ "  -b\t320  ", CANISTER_AUDIT_BACKLOG_LIMIT, 320 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct canister_audit_rule rule = parse_ok(cases[i].line);

		assert_int_equal(rule.kind, CANISTER_RULE_CONTROL);
		assert_null(rule.data);
		assert_int_equal(rule.control, cases[i].control);
		assert_int_equal(rule.value, cases[i].value);
	}
	expect_refusal("-e 3", "-e: must be 0, 1 or 2, not '3'");
	expect_refusal("-f 01", "-f: must be 0, 1 or 2, not '01'");
	expect_refusal("-b -1", "-b: '-1' is not a number from 0 to 4294967295");
	expect_refusal("-b 4294967296", "-b: '4294967296' is not a number from 0 to 4294967295");
	expect_refusal("-r 10/s", "-r: '10/s' is not a number from 0 to 4294967295");
	expect_refusal("--backlog_wait_time", "--backlog_wait_time: needs an argument");
	expect_refusal("--loginuid-immutable=1", "--loginuid-immutable: takes no argument");
	expect_refusal("-b 10 -e 1", "-b: a setting must be alone on its line");
	expect_refusal("-e 1 -a always,exit", "-e: a setting must be alone on its line");
	expect_refusal("-a always,exit -S open -r 5", "-r: a setting must be alone on its line");
}

static void test_delete_all(void **state)
{
	struct canister_audit_rule rule = parse_ok("-D");

	assert_int_equal(rule.kind, CANISTER_RULE_DELETE_ALL);
	assert_null(rule.data);
	assert_string_equal(rule.key, "");
	/* auditctl's -D -k deletes only the rules with that key. */
	rule = parse_ok("-D -k identity");
	assert_int_equal(rule.kind, CANISTER_RULE_DELETE_ALL);
	assert_string_equal(rule.key, "identity");

	expect_refusal("-D -k a -k b", "-D: takes one -k at most");
	expect_refusal("-D -S open", "-D: takes no option but -k");
	expect_refusal("-D -e 1", "-D: takes no option but -k");
	expect_refusal("-a always,exit -D", "-D: takes no option but -k");
	expect_refusal("-Dx", "unknown option '-Dx'");
}

/* What auditctl refuses, and what canister refuses beyond it, each with its reason. */
static void test_refusals(void **state)
{
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{ "-x", "unknown option '-x'" },
		{ "--frobnicate", "unknown option '--frobnicate'" },
		{ "-", "unknown option '-'" },
		{ "always,exit", "unexpected argument 'always,exit'" },
		{ "-w /etc/passwd -p wa identity", "unexpected argument 'identity'" },
		{ "-a always,exit -S open # trailing comment", "unexpected argument '#'" },
		{ "-a", "-a: needs an argument" },
		{ "-a always,exit -F", "-F: needs an argument" },
		{ "-a always", "-a: expected LIST,ACTION, not 'always'" },
		{ "-a always,exit,task", "-a: expected LIST,ACTION, not 'always,exit,task'" },
		{ "-a ,exit", "-a: expected LIST,ACTION, not ',exit'" },
		{ "-a always,bogus",
		  "-a: unknown list 'bogus' (task, exit, user, exclude, filesystem)" },
		{ "-a exit,sometimes", "-a: unknown action 'sometimes' (always, never)" },
		{ "-a entry,always", "-a: unknown list or action 'entry'" },
		{ "-a possible,exit", "-a: action 'possible' is deprecated; use always or never" },
		{ "-a always,exit -A always,exit", "-A: one -a or -A per rule" },
		{ "-w /etc/passwd -a always,exit", "-a: cannot be combined with -w" },
		{ "-a always,exit -w /etc/passwd", "-w: cannot be combined with -a or -A" },
		{ "-w /etc/passwd -w /etc/shadow", "-w: one watch per rule" },
		{ "-a always,exit -S nosuchcall", "-S: unknown syscall 'nosuchcall' for x86_64" },
		{ "-a always,exit -S 2048", "-S: syscall number 2048 is out of range (0 to 2047)" },
		{ "-a always,exit -S open,", "-S: empty syscall name in 'open,'" },
		{ "-a always,task -S open", "-S: the task list takes no syscalls" },
		{ "-S open -a always,task", "-S: the task list takes no syscalls" },
		{ "-a never,exclude -S open", "-S: the exclude list takes no syscalls" },
		{ "-a always,user -S open", "-S: the user list takes no syscalls" },
		{ "-a never,filesystem -S open", "-S: the filesystem list takes no syscalls" },
		{ "-S open", "-S: needs -a or -A in the same rule" },
		{ "-F uid=0 -a always,exit", "-F: needs -a, -A or -w before it" },
		{ "-a always,exit -F foo=1", "-F: unknown field 'foo'" },
		{ "-a always,exit -F uid",
		  "-F: 'uid' has no operator (=, !=, <, >, <=, >=, &, &=)" },
		{ "-a always,exit -F =1", "-F: '=1' has no field name" },
		{ "-a always,exit -F uid=", "-F: 'uid=' has no value" },
		{ "-a always,exit -S open -F arch=b64",
		  "-F: arch must come before -S and -w; it picks "
		  "the syscall table" },
		{ "-w /etc/passwd -F arch=b64", "-F: arch must come before -S and -w; it picks the "
						"syscall table" },
		{ "-a always,exit -F arch<b64", "-F: arch takes only = or !=" },
		{ "-a always,exit -F arch=sparc", "-F: unknown arch 'sparc'" },
		{ "-a always,exit -F arch=0x1234", "-F: unknown arch '0x1234'" },
		{ "-a always,exit -S open -F a1=9x", "-F: a1 value '9x' is not a 32-bit number" },
		{ "-a always,exit -S open -F a1=4294967296",
		  "-F: a1 value '4294967296' is not a 32-bit number" },
		{ "-a always,exit -S open -F a1=-2147483649",
		  "-F: a1 value '-2147483649' is not a 32-bit number" },
		{ "-a always,exit -S open -F pid=-1", "-F: pid cannot be negative ('-1')" },
		{ "-a always,exit -S open -F pid=init", "-F: pid value 'init' is not a number" },
		{ "-a always,exit -S open -F uid=canister-no-such-user",
		  "-F: unknown user 'canister-no-such-user'" },
		{ "-a always,exit -S open -F gid=canister-no-such-group",
		  "-F: unknown group 'canister-no-such-group'" },
		{ "-a always,exit -S open -F exit=-EFOO", "-F: unknown errno '-EFOO'" },
		{ "-a always,user -F msgtype=NO_SUCH_TYPE",
		  "-F: unknown message type 'NO_SUCH_TYPE'" },
		{ "-a always,exit -F msgtype=CWD",
		  "-F: field 'msgtype' cannot be used on the exit list" },
		{ "-a always,user -F ppid=1", "-F: field 'ppid' cannot be used on the user list" },
		{ "-a always,user -F path=/etc",
		  "-F: field 'path' cannot be used on the user list" },
		{ "-a always,exit -F fstype=tracefs",
		  "-F: field 'fstype' cannot be used on the exit list" },
		{ "-a never,filesystem -F uid=0",
		  "-F: field 'uid' cannot be used on the filesystem list" },
		{ "-a never,filesystem -F fstype=nosuchfs",
		  "-F: unknown file system type 'nosuchfs'" },
		{ "-a never,filesystem -F fstype>1", "-F: fstype takes only = or !=" },
		{ "-a never,exclude -F euid=0",
		  "-F: field 'euid' cannot be used on the exclude list" },
		{ "-a never,exclude -F sessionid=1",
		  "-F: field 'sessionid' cannot be used on the exclude list" },
		{ "-a always,task -F sessionid=1",
		  "-F: field 'sessionid' cannot be used on the task list" },
		{ "-a always,exit -S open -F sessionid=none",
		  "-F: sessionid value 'none' is not a 32-bit number or 'unset'" },
		{ "-a always,exit -S open -F exe>/bin/ls", "-F: exe takes only = or !=" },
		{ "-a always,exit -S open -F inode<5", "-F: inode takes only = or !=" },
		{ "-a always,exit -S open -F perm!=r", "-F: perm takes only =" },
		{ "-a always,exit -S open -F perm=rq",
		  "-F: perm 'rq': permissions are r, w, x and a" },
		{ "-a always,exit -S open -F filetype=pipe2", "-F: unknown file type 'pipe2'" },
		{ "-a always,exit -S open -F key!=x", "-F: key takes only =" },
		{ "-a always,exit -F key=x",
		  "-F: key needs -S, -w or a path, dir, perm, exe or fstype "
		  "field in the same rule" },
		{ "-k x", "-k: needs -a, -A or -w before it" },
		{ "-a always,exit -k x -S open",
		  "-k: needs -S, -w or a path, dir, perm, exe or fstype "
		  "field before it" },
		{ "-a always,exit -S open -k a\001b",
		  "-k: key 'a\001b' holds byte 0x01, which separates keys" },
		{ "-C uid=euid -a always,exit", "-C: needs -a, -A or -w before it" },
		{ "-a always,user -C uid=euid", "-C: cannot be used on the user list" },
		{ "-a always,exit -C uid", "-C: expected FIELD=FIELD or FIELD!=FIELD, not 'uid'" },
		{ "-a always,exit -C foo=uid", "-C: unknown field 'foo'" },
		{ "-a always,exit -C uid!=bar", "-C: unknown field 'bar'" },
		{ "-a always,exit -C uid=gid", "-C: cannot compare uid with gid" },
		{ "-w etc/passwd", "-w: 'etc/passwd' is not an absolute path" },
		{ "-w /etc/passwd -p wq", "-p: 'wq': permissions are r, w, x and a" },
		{ "-w /etc/passwd -p rwxaw", "-p: 'rwxaw' is more than 4 permissions" },
		{ "-p r", "-p: needs -w before it" },
		{ "-a always,exit -S open -p r", "-p: needs -w, or a -F, before it" },
		{ "-a always,user -F uid=0 -p r", "-p: cannot be used on the user list" },
		{ "-d always,exit -S open",
		  "-d: deleting one rule is not supported; -D deletes all" },
		{ "-W /etc/passwd", "-W: deleting one watch is not supported; -D deletes all" },
		{ "-c", "-c: not supported: a rules file is loaded all or nothing" },
		{ "-i", "-i: not supported: a rules file is loaded all or nothing" },
		{ "-R /etc/audit/audit.rules", "-R: nested rules files are not supported" },
		{ "-l", "-l: an auditctl command, not a rule" },
		{ "-s", "-s: an auditctl command, not a rule" },
		{ "-m hello", "-m: an auditctl command, not a rule" },
		{ "-t", "-t: an auditctl command, not a rule" },
		{ "--signal HUP", "--signal: an auditctl command, not a rule" },
		{ "--reset-lost", "--reset-lost: an auditctl command, not a rule" },
		/* One '\r' ends the line (CRLF); another is part of the text. */
		{ "-a always,exit -S open\r\r", "-S: unknown syscall 'open\r' for x86_64" },
	};

	if (!native_x86_64())
		skip();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char sanitized[512];

		/* A message shows the input's control bytes as '?', to stay one printable line. */
		snprintf(sanitized, sizeof(sanitized), "%s", cases[i].message);
		for (char *p = sanitized; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = '?';
		expect_refusal(cases[i].line, sanitized);
	}
}

/* Rules built to the limit of 63 fields, and one more. */
static void test_too_many_fields(void **state)
{
	char line[2048] = "-a always,exit -S open";
	struct canister_audit_rule rule;

	for (int i = 0; i < 63; i++)
		strcat(line, " -F a0=1");
	rule = parse_ok(line);
	assert_int_equal(rule.data->field_count, 63);
	free(rule.data);

	strcat(line, " -F a0=1");
	expect_refusal(line, "-F: too many fields (at most 63)");
	/* The key is one more field too. */
	line[strlen(line) - strlen(" -F a0=1")] = '\0';
	strcat(line, " -k full");
	expect_refusal(line, "-k: too many fields (at most 63)");
}

static void test_blank_and_comment_lines(void **state)
{
	static const char *const lines[] = {
		"", "   ", "\t", "\r", "# comment", "  # indented", "#-a always,exit", "#",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		struct canister_audit_rule rule;
		char why[64] = "untouched";

		fill_sentinel(&rule);
		assert_int_equal(
			canister_audit_rule_parse_line(lines[i], 1, &rule, why, sizeof(why)),
			-ENODATA);
		assert_sentinel(&rule);
		assert_string_equal(why, "untouched");
	}
}

static void test_line_limits(void **state)
{
	char line[CANISTER_AUDIT_RULE_LINE_MAX + 2];
	struct canister_audit_rule rule;

	/* A comment of exactly the limit is fine; a byte more is not. */
	memset(line, '#', CANISTER_AUDIT_RULE_LINE_MAX);
	line[CANISTER_AUDIT_RULE_LINE_MAX] = '\0';
	assert_int_equal(canister_audit_rule_parse_line(line, 1, &rule, NULL, 0), -ENODATA);
	strcat(line, "#");
	expect_refusal(line, "line is longer than 4096 bytes");
	expect_refusal("-D\n-e 1", "holds a line break; give one line at a time");
}

/* The error buffer is bounded, and optional. */
static void test_why_is_bounded(void **state)
{
	struct canister_audit_rule rule;
	char why[16];

	memset(why, 'x', sizeof(why));
	assert_int_equal(
		canister_audit_rule_parse_line("-a always,exit -F foo=1", 1, &rule, why, 8),
		-EINVAL);
	assert_string_equal(why, "-F: unk");
	assert_int_equal(why[8], 'x');
	assert_int_equal(canister_audit_rule_parse_line("-x", 1, &rule, NULL, 0), -EINVAL);
}

static int parse_text(const char *text, size_t len, struct canister_audit_rule **rules,
		      size_t *count, char *why, size_t why_len)
{
	return canister_audit_rules_parse(text, len, SOURCE, rules, count, why, why_len);
}

static void test_file_parses_every_line(void **state)
{
	static const char text[] = "# canister rules\r\n"
				   "-D\r\n"
				   "\r\n"
				   "-b 8192\n"
				   "-w /etc/passwd -p wa -k identity\n"
				   "  # done\n"
				   "-a always,exit -S execve -F contid^=4 -k exec\n"
				   "-e 1";
	struct canister_audit_rule *rules = NULL;
	char why[256] = "";
	size_t count = 0;

	assert_int_equal(parse_text(text, strlen(text), &rules, &count, why, sizeof(why)), 0);
	assert_int_equal(count, 5);
	assert_int_equal(rules[0].kind, CANISTER_RULE_DELETE_ALL);
	assert_int_equal(rules[0].line, 2);
	assert_int_equal(rules[1].kind, CANISTER_RULE_CONTROL);
	assert_int_equal(rules[1].line, 4);
	assert_int_equal(rules[2].kind, CANISTER_RULE_KERNEL);
	assert_string_equal(rules[2].key, "identity");
	assert_int_equal(rules[2].line, 5);
	assert_int_equal(rules[3].contid.kind, CONTID_SUBTREE);
	assert_int_equal(rules[3].contid.contid, 4);
	assert_string_equal(rules[3].key, "exec");
	assert_int_equal(rules[3].line, 7);
	assert_int_equal(rules[4].control, CANISTER_AUDIT_ENABLED);
	assert_int_equal(rules[4].line, 8);
	canister_audit_rules_free(rules, count);

	/* Nothing to load is not an error. */
	rules = (void *)1;
	assert_int_equal(parse_text("# only\n\n", 8, &rules, &count, why, sizeof(why)), 0);
	assert_null(rules);
	assert_int_equal(count, 0);
	canister_audit_rules_free(NULL, 0);
}

/* One bad line refuses the whole file, naming its line; the outputs stay as they were. */
static void expect_file_refusal(const char *text, size_t len, const char *message)
{
	struct canister_audit_rule *rules = (void *)0x5a5a;
	size_t count = 17;
	char why[256] = "";

	assert_int_equal(parse_text(text, len, &rules, &count, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, message);
	assert_ptr_equal(rules, (void *)0x5a5a);
	assert_int_equal(count, 17);
}

static void test_file_is_all_or_nothing(void **state)
{
	static const char text[] = "-D\n"
				   "-w /etc/passwd -p wa -k identity\n"
				   "# a comment\n"
				   "-a always,exit -F arch=b64 -S execve -F colour=blue\n"
				   "-a always,exit -S bogus\n";
	static const char nul[] = "-D\n# comment\n-b 1\0 24\n-x\n";
	static const char locked[] = "-D\n-e 2\n# comments are fine\n-w /etc/passwd\n";
	char *text_long = malloc(CANISTER_AUDIT_RULE_LINE_MAX + 64);

	expect_file_refusal(text, strlen(text), SOURCE ":4: -F: unknown field 'colour'");
	expect_file_refusal(nul, sizeof(nul) - 1,
			    SOURCE ":3: contains a NUL byte; not a text file");

	assert_non_null(text_long);
	strcpy(text_long, "-D\n");
	memset(text_long + 3, '#', CANISTER_AUDIT_RULE_LINE_MAX + 1);
	strcpy(text_long + 3 + CANISTER_AUDIT_RULE_LINE_MAX + 1, "\n-D\n");
	expect_file_refusal(text_long, strlen(text_long),
			    SOURCE ":2: line is longer than 4096 bytes");
	free(text_long);

	/* The kernel refuses every change once -e 2 has locked it. */
	expect_file_refusal(locked, strlen(locked),
			    SOURCE ":4: -e 2 on line 2 locks the configuration; nothing may "
				   "follow it");
}

static void test_debian_example_rules(void **state)
{
	static const struct {
		const char *file;
		const char *error; /* after "PATH:" */
	} refused[] = {
		{ "12-cont-fail.rules",
		  "-c: not supported: a rules file is loaded all or nothing" },
		{ "12-ignore-error.rules",
		  "-i: not supported: a rules file is loaded all or nothing" },
		/* The chrony user exists only where chrony is installed. */
		{ "22-ignore-chrony.rules", "-F: unknown user 'chrony'" },
	};
	unsigned int files = 0, kernel_rules = 0;
	struct dirent *entry;
	DIR *dir = opendir(EXAMPLES);

	if (!dir || !native_x86_64())
		skip();
	while ((entry = readdir(dir))) {
		struct canister_audit_rule *rules;
		const char *expected = NULL;
		char path[512], why[1024] = "", text[65536];
		size_t count, len;
		ssize_t got;
		int fd, r;

		if (!strstr(entry->d_name, ".rules"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", EXAMPLES, entry->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fd >= 0);
		got = read(fd, text, sizeof(text));
		close(fd);
		assert_true(got >= 0 && (size_t)got < sizeof(text));
		len = (size_t)got;
		for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
			if (strcmp(entry->d_name, refused[i].file) == 0)
				expected = refused[i].error;
		if (expected && strstr(expected, "chrony") && getpwnam("chrony"))
			expected = NULL;

		r = canister_audit_rules_parse(text, len, path, &rules, &count, why, sizeof(why));
		if (expected) {
			assert_int_equal(r, -EINVAL);
			assert_non_null(strstr(why, expected));
			assert_true(strncmp(why, path, strlen(path)) == 0);
		} else {
			if (r != 0)
				fail_msg("%s", why);
			for (size_t i = 0; i < count; i++)
				kernel_rules += rules[i].kind == CANISTER_RULE_KERNEL;
			canister_audit_rules_free(rules, count);
		}
		files++;
	}
	closedir(dir);
	if (!files)
		skip();
	/* Debian 3.0.9 ships about 30 files and 200 rules. */
	assert_true(files >= 20);
	assert_true(kernel_rules >= 150);
}

static void test_contid_filter_match(void **state)
{
	static const uint64_t chain[] = { 4, 2 }; /* in 4, which is nested in 2 */
	static const struct {
		struct canister_contid_filter filter;
		bool in_chain, outside;
	} cases[] = {
		{ { CONTID_ANY, 0, false }, true, true },
		{ { CONTID_EQ, 4, false }, true, false },
		{ { CONTID_EQ, 2, false }, false, false },
		{ { CONTID_EQ, 9, false }, false, false },
		{ { CONTID_SUBTREE, 2, false }, true, false },
		{ { CONTID_SUBTREE, 4, false }, true, false },
		{ { CONTID_SUBTREE, 9, false }, false, false },
		{ { CONTID_UNSET, 0, false }, false, true },
		{ { CONTID_EQ, 4, true }, false, true },
		{ { CONTID_EQ, 2, true }, true, true },
		{ { CONTID_SUBTREE, 2, true }, false, true },
		{ { CONTID_UNSET, 0, true }, true, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (canister_contid_filter_match(&cases[i].filter, chain, 2) != cases[i].in_chain)
			fail_msg("case %zu with chain {4,2}", i);
		if (canister_contid_filter_match(&cases[i].filter, NULL, 0) != cases[i].outside)
			fail_msg("case %zu with depth 0", i);
	}
}

/* Last: everything above was parsed without a word to the kernel. */
static void test_parsing_never_asks_the_kernel(void **state)
{
	struct canister_audit_rule rule;

	if (!native_x86_64())
		skip();
	rule = parse_ok("-a always,exit -S all -F exe=/bin/sh "
			"-F sessionid=1 -k exe");

	free(rule.data);
	rule = parse_ok("-a never,exclude -F uid=0");
	free(rule.data);
	rule = parse_ok("-a never,filesystem -F FSTYPE=debugfs");
	free(rule.data);
	rule = parse_ok("-a always,exit -F ARCH=b32 -S all -F Exe=/bin/sh -F SessionID=2");
	assert_field(rule.data, 0, AUDIT_ARCH, AUDIT_EQUAL, AUDIT_ARCH_I386);
	assert_string_field(rule.data, 1, AUDIT_EXE, "/bin/sh");
	assert_field(rule.data, 2, AUDIT_SESSIONID, AUDIT_EQUAL, 2);
	free(rule.data);
	assert_int_equal(kernel_asked, 0);
}

static void expect_sink_refusal(const char *line, const char *message_start)
{
	struct canister_audit_rule rule = parse_ok(line);
	char why[512] = "";

	assert_int_equal(canister_audit_rule_sink_check(&rule, why, sizeof(why)), -EINVAL);
	if (strncmp(why, message_start, strlen(message_start)) != 0)
		fail_msg("\"%s\": got \"%s\", expected it to start \"%s\"", line, why,
			 message_start);
	free(rule.data);
}

static void test_sink_rules_use_what_the_syscall_record_shows(void **unused)
{
	struct canister_audit_rule rule;
	char why[512] = "";

	if (!native_x86_64())
		skip();
	rule = parse_ok("-a always,exit -F arch=b64 -S execve,uname -F success=1 -k mine");
	assert_int_equal(canister_audit_rule_sink_check(&rule, why, sizeof(why)), 0);
	assert_true(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 59, true));
	assert_true(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 63, true));
	assert_false(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 59, false));
	assert_false(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 60, true));
	assert_false(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_I386, 59, true));
	assert_false(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 100000, true));
	free(rule.data);

	/* success=0 is the kernel's failure; != inverts arch (-S names follow -F arch). */
	rule = parse_ok("-a always,exit -F arch!=b32 -S all -F success=0 -k failed");
	assert_int_equal(canister_audit_rule_sink_check(&rule, why, sizeof(why)), 0);
	assert_true(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 257, false));
	assert_false(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 257, true));
	assert_false(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_I386, 257, false));
	free(rule.data);

	rule = parse_ok("-a always,exit -F arch=b64 -S all -k everything");
	assert_int_equal(canister_audit_rule_sink_check(&rule, why, sizeof(why)), 0);
	assert_true(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 0, true));
	assert_true(canister_audit_rule_matches_syscall(&rule, AUDIT_ARCH_X86_64, 335, false));
	free(rule.data);

	expect_sink_refusal("-a always,exit -F arch=b64 -S execve -F uid=0 -k k",
			    "-F uid: a sink's rules may use -S, -F arch, -F success");
	expect_sink_refusal("-a never,exit -F arch=b64 -S execve -k k",
			    "a sink's rules are `-a always,exit` rules");
	expect_sink_refusal("-a always,exit -F arch=b64 -S execve",
			    "a sink's rule needs one -k key");
	expect_sink_refusal("-a always,exit -F arch=b64 -S execve -k a -k b",
			    "a sink's rule needs one -k key");
	/* A key the kernel would write in hex: the sink would never know its events. */
	expect_sink_refusal("-a always,exit -F arch=b64 -S execve -k cl\xc3\xa9",
			    "a sink's rule needs one -k key of plain characters");
	expect_sink_refusal("-a always,exit -F arch=b64 -S execve -k a\x02",
			    "a sink's rule needs one -k key of plain characters");
	expect_sink_refusal("-a always,exit -F arch=b64 -S execve -k a\\ b",
			    "a sink's rule needs one -k key of plain characters");
	expect_sink_refusal("-w /etc/passwd -p wa -k pw", "-F path: a sink's rules may use");
	expect_sink_refusal("-a always,exit -F arch=b64 -S execve -F contid=4 -k k",
			    "-F contid: a sink's containers are given by the sink");
}

static void test_rules_that_select_alike(void **unused)
{
	struct canister_audit_rule a, b, c, d, e;

	if (!native_x86_64())
		skip();
	a = parse_ok("-a always,exit -F arch=b64 -S uname -F contid=777 -k a");
	b = parse_ok("-a always,exit -F arch=b64 -S uname -k b");
	c = parse_ok("-a always,exit -F arch=b64 -S uname -F uid=0 -k c");
	d = parse_ok("-a always,exit -F arch=b64 -S uname,execve -k d");
	e = parse_ok("-w /etc/passwd -p wa -k e");
	/* The key and the contid filter (never in the kernel) aside, a and b are one rule. */
	assert_true(canister_audit_rules_select_alike(&a, &b));
	assert_true(canister_audit_rules_select_alike(&b, &a));
	assert_false(canister_audit_rules_select_alike(&a, &c));
	assert_false(canister_audit_rules_select_alike(&a, &d));
	assert_false(canister_audit_rules_select_alike(&a, &e));
	assert_true(canister_audit_rules_select_alike(&e, &e));
	free(a.data);
	free(b.data);
	free(c.data);
	free(d.data);
	free(e.data);
	a = parse_ok("-w /etc/passwd -p wa -k one");
	b = parse_ok("-w /etc/shadow -p wa -k one");
	assert_false(canister_audit_rules_select_alike(&a, &b));
	free(a.data);
	free(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_rule),
		cmocka_unit_test(test_file_watch),
		cmocka_unit_test(test_directory_watch),
		cmocka_unit_test(test_exclude_msgtype),
		cmocka_unit_test(test_kill_rule),
		cmocka_unit_test(test_arch_picks_syscall_table),
		cmocka_unit_test(test_field_operators_and_values),
		cmocka_unit_test(test_field_comparisons),
		cmocka_unit_test(test_filesystem_and_task_lists),
		cmocka_unit_test(test_prepend_and_either_order),
		cmocka_unit_test(test_keys_are_joined),
		cmocka_unit_test(test_contid_filters),
		cmocka_unit_test(test_contid_refusals),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_delete_all),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_blank_and_comment_lines),
		cmocka_unit_test(test_line_limits),
		cmocka_unit_test(test_why_is_bounded),
		cmocka_unit_test(test_file_parses_every_line),
		cmocka_unit_test(test_file_is_all_or_nothing),
		cmocka_unit_test(test_debian_example_rules),
		cmocka_unit_test(test_contid_filter_match),
		cmocka_unit_test(test_parsing_never_asks_the_kernel),
		cmocka_unit_test(test_sink_rules_use_what_the_syscall_record_shows),
		cmocka_unit_test(test_rules_that_select_alike),
	};

	return cmocka_run_group_tests_name("audit_rules", tests, setup_tmpdir, remove_tmpdir);
}
