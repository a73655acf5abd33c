// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the audit log writer, and stock libauparse reading what it wrote. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "canister/abi.h"
#include "lib/audit_log.h"
#include "lib/audit_record.h"

#include <auparse.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libaudit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static int setup_tmpdir(void **state)
{
	/* The modes asserted below are the ones asked for, before a stricter umask. */
	umask(022);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/canister-test-audit-log.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* The whole file as a string ("" when missing). */
static const char *slurp(const char *path)
{
	static char text[CANISTER_AUDIT_LINE_MAX + 64];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static void write_string(struct canister_audit_log *log, const char *record)
{
	assert_int_equal(canister_audit_log_write(log, record, strlen(record)), 0);
}

static const char record1[] = "type=CONTAINER_OP msg=audit(1700000000.123:42): op=set opid=8730 "
			      "contid=4 old-contid=-1 res=1\n";
static const char record2[] = "type=CONTAINER_OP msg=audit(1700000000.200:43): op=drop opid=8730 "
			      "contid=-1 old-contid=4 res=1\n";

static void test_open_creates_parent_and_file(void **state)
{
	struct canister_audit_log *log = NULL;
	char path[128], dir[128];
	struct stat st;

	tmp_path(path, sizeof(path), "new/sub/audit.log");
	assert_int_equal(canister_audit_log_open(path, &log), 0);
	assert_non_null(log);
	canister_audit_log_close(log);

	tmp_path(dir, sizeof(dir), "new/sub");
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* Records name users and refusals: nobody but root reads them. */
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 0);
}

static void test_write_appends_whole_records(void **state)
{
	struct canister_audit_log *log;
	char path[128], expected[512];

	tmp_path(path, sizeof(path), "append.log");
	assert_int_equal(canister_audit_log_open(path, &log), 0);
	write_string(log, record1);
	write_string(log, record2);
	canister_audit_log_close(log);

	/* A reopened log is appended to, never truncated. */
	assert_int_equal(canister_audit_log_open(path, &log), 0);
	write_string(log, record1);
	canister_audit_log_close(log);
	snprintf(expected, sizeof(expected), "%s%s%s", record1, record2, record1);
	assert_string_equal(slurp(path), expected);
}

static void test_open_refuses_symlink(void **state)
{
	struct canister_audit_log *log = (void *)0x1;
	char path[128], target[128];

	tmp_path(target, sizeof(target), "symlink-target");
	tmp_path(path, sizeof(path), "symlink.log");
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(canister_audit_log_open(path, &log), -ELOOP);
	assert_ptr_equal(log, (void *)0x1);
	/* Nothing was created through the link. */
	assert_int_equal(access(target, F_OK), -1);
}

static void test_open_refuses_fifo_and_directory(void **state)
{
	struct canister_audit_log *log = (void *)0x1;
	char path[128];

	/* A FIFO with no reader would block a plain open for writing forever. */
	tmp_path(path, sizeof(path), "fifo.log");
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(canister_audit_log_open(path, &log), -EINVAL);
	tmp_path(path, sizeof(path), "dir.log");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(canister_audit_log_open(path, &log), -EISDIR);
	assert_ptr_equal(log, (void *)0x1);
}

static void test_write_refuses_what_is_not_one_line(void **state)
{
	struct canister_audit_log *log;
	char path[128], longest[CANISTER_AUDIT_LINE_MAX + 1];

	tmp_path(path, sizeof(path), "malformed.log");
	assert_int_equal(canister_audit_log_open(path, &log), 0);
	assert_int_equal(canister_audit_log_write(log, "", 0), -EINVAL);
	assert_int_equal(canister_audit_log_write(log, "type=X", 6), -EINVAL);
	/* Two lines would be two records sharing one write: each must stand alone. */
	assert_int_equal(canister_audit_log_write(log, "type=X\ntype=Y\n", 14), -EINVAL);
	memset(longest, 'a', sizeof(longest));
	longest[CANISTER_AUDIT_LINE_MAX] = '\n';
	assert_int_equal(canister_audit_log_write(log, longest, CANISTER_AUDIT_LINE_MAX + 1),
			 -EINVAL);
	assert_string_equal(slurp(path), "");

	longest[CANISTER_AUDIT_LINE_MAX - 1] = '\n';
	assert_int_equal(canister_audit_log_write(log, longest, CANISTER_AUDIT_LINE_MAX), 0);
	assert_int_equal(strlen(slurp(path)), CANISTER_AUDIT_LINE_MAX);
	canister_audit_log_close(log);
}

static void test_write_text_adds_the_newline(void **state)
{
	struct canister_audit_log *log;
	char path[128];

	tmp_path(path, sizeof(path), "text.log");
	assert_int_equal(canister_audit_log_open(path, &log), 0);
	assert_int_equal(
		canister_audit_log_write_text(log, "type=SYSCALL msg=audit(1.000:1): a=1", 36), 0);
	assert_int_equal(canister_audit_log_write_text(log, "", 0), -EINVAL);
	assert_int_equal(canister_audit_log_write_text(log, "a\nb", 3), -EINVAL);
	assert_string_equal(slurp(path), "type=SYSCALL msg=audit(1.000:1): a=1\n");
	canister_audit_log_close(log);
}

static void test_open_ends_a_broken_last_line(void **state)
{
	struct canister_audit_log *log;
	char path[128], expected[512];
	static const char partial[] = "type=CONTAINER_OP msg=audit(1700000000.100:41): op=se";
	FILE *f;

	/* What a power cut can leave behind. */
	tmp_path(path, sizeof(path), "broken.log");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(partial, f);
	fclose(f);

	assert_int_equal(canister_audit_log_open(path, &log), 0);
	write_string(log, record1);
	write_string(log, record2);
	canister_audit_log_close(log);
	snprintf(expected, sizeof(expected), "%s\n%s%s", partial, record1, record2);
	assert_string_equal(slurp(path), expected);
}

static void test_short_write_is_contained(void **state)
{
	struct canister_audit_log *log;
	struct rlimit saved, small;
	char path[128], expected[512];
	void (*saved_handler)(int);
	int r;

	tmp_path(path, sizeof(path), "short.log");
	assert_int_equal(canister_audit_log_open(path, &log), 0);
	write_string(log, record1);

	/* A file size limit 20 bytes further cuts the next record short, as a full disk would. */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = strlen(record1) + 20;
	saved_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	r = canister_audit_log_write(log, record2, strlen(record2));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, saved_handler);
	assert_int_equal(r, -EFBIG);

	/* The broken line is ended before the next record, which stays whole and parseable. */
	write_string(log, record1);
	canister_audit_log_close(log);
	snprintf(expected, sizeof(expected), "%s%.20s\n%s", record1, record2, record1);
	assert_string_equal(slurp(path), expected);
}

static void test_flush_data(void **state)
{
	struct canister_audit_log *log;
	char path[128];

	tmp_path(path, sizeof(path), "flush.log");
	assert_int_equal(canister_audit_log_open(path, &log), 0);
	canister_audit_log_set_flush(log, CANISTER_AUDIT_FLUSH_DATA);
	write_string(log, record1);
	canister_audit_log_set_flush(log, CANISTER_AUDIT_FLUSH_NONE);
	write_string(log, record2);
	canister_audit_log_close(log);
	canister_audit_log_close(NULL);
}

/* One record of each kind, as canisterd writes them, and a kernel event they join. */
static void write_sample_log(const char *path)
{
	static const uint64_t chain[] = { 4, 2 };
	struct canister_ns_set ns = { { 0 } }, moved;
	struct canister_record_stamp stamp = { .sec = 1700000000, .msec = 123, .serial = 42 };
	struct canister_op_record rec = {
		.op = CANISTER_CONTAINER_OP_SET,
		.opid = 8730,
		.contid = 4,
		.old_contid = CANISTER_CONTID_UNSET,
		.name = "web-1",
		.has_orchestrator = true,
		.pid = 8700,
		.auid = (uint32_t)-1,
		.uid = 0,
		.ses = (uint32_t)-1,
		.res = 1,
	};
	struct canister_audit_log *log;
	char buf[CANISTER_RECORD_MAX + 1], syscall[512];
	int len;

	for (int i = 0; i < CANISTER_NS_COUNT; i++)
		ns.inum[i] = 4026531830u + (uint32_t)i;
	moved = ns;
	moved.inum[CANISTER_NS_NET] = 4026532301u;

	assert_int_equal(canister_audit_log_open(path, &log), 0);

	/* 42: a registration. */
	len = canister_format_op_record(&stamp, &rec, buf, sizeof(buf));
	assert_int_equal(canister_audit_log_write(log, buf, len), 0);

	/* 43: a refusal, with a reason that must be hexed. */
	stamp.serial = 43;
	rec.opid = 8731;
	rec.name = NULL;
	rec.errnum = EEXIST;
	rec.reason = "already in container 7";
	rec.res = 0;
	len = canister_format_op_record(&stamp, &rec, buf, sizeof(buf));
	assert_int_equal(canister_audit_log_write(log, buf, len), 0);

	/* 44: the container ends. */
	stamp.serial = 44;
	rec = (struct canister_op_record){ .op = CANISTER_CONTAINER_OP_DROP,
					   .opid = 8730,
					   .contid = CANISTER_CONTID_UNSET,
					   .old_contid = 4,
					   .name = "web-1",
					   .res = 1 };
	len = canister_format_op_record(&stamp, &rec, buf, sizeof(buf));
	assert_int_equal(canister_audit_log_write(log, buf, len), 0);

	/* 45: a nested container's namespaces. */
	stamp.serial = 45;
	len = canister_format_ns_record(&stamp, "register", 8730, chain, 2, &ns, buf, sizeof(buf));
	assert_int_equal(canister_audit_log_write(log, buf, len), 0);

	/* 46: a kernel event and a record of canister's with the same stamp: one event. */
	stamp.serial = 46;
	snprintf(syscall, sizeof(syscall),
		 "type=SYSCALL msg=audit(1700000000.123:46): arch=c000003e syscall=59 "
		 "success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=8700 pid=8732 "
		 "auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
		 "tty=(none) ses=4294967295 comm=\"sh\" exe=\"/usr/bin/dash\" key=(null)\n");
	write_string(log, syscall);
	rec = (struct canister_op_record){ .op = CANISTER_CONTAINER_OP_JOIN,
					   .opid = 8732,
					   .contid = 4,
					   .old_contid = CANISTER_CONTID_UNSET,
					   .name = "caf\xc3\xa9 1",
					   .res = 1 };
	len = canister_format_op_record(&stamp, &rec, buf, sizeof(buf));
	assert_int_equal(canister_audit_log_write(log, buf, len), 0);

	/* 47: a process of the container moved to another network namespace. */
	stamp.serial = 47;
	len = canister_format_ns_change_record(&stamp, "unshare", 8732, chain, 2, &ns, &moved, buf,
					       sizeof(buf));
	assert_int_equal(canister_audit_log_write(log, buf, len), 0);
	canister_audit_log_close(log);
}

/* The raw value of field @name in the current event, and its interpretation. */
static void expect_field(auparse_state_t *au, const char *name, const char *raw,
			 const char *interpreted)
{
	const char *value;

	assert_int_equal(auparse_first_record(au), 1);
	value = auparse_find_field(au, name);
	assert_non_null(value);
	assert_string_equal(value, raw);
	if (interpreted)
		assert_string_equal(auparse_interpret_field(au), interpreted);
}

static void expect_event(auparse_state_t *au, unsigned long serial, unsigned int records)
{
	assert_int_equal(auparse_next_event(au), 1);
	assert_int_equal(auparse_get_serial(au), serial);
	assert_int_equal(auparse_get_time(au), 1700000000);
	assert_int_equal(auparse_get_milli(au), 123);
	assert_int_equal(auparse_get_num_records(au), records);
}

static void hex_decode(const char *hex, char *buf, size_t len)
{
	size_t n = strlen(hex) / 2;

	assert_true(n < len);
	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", (unsigned char *)&buf[i]);
	buf[n] = '\0';
}

static void test_auparse_reads_every_record(void **state)
{
	auparse_state_t *au;
	char path[128], reason[128];

	tmp_path(path, sizeof(path), "auparse/audit.log");
	write_sample_log(path);
	au = auparse_init(AUSOURCE_FILE, path);
	assert_non_null(au);

	expect_event(au, 42, 1);
	expect_field(au, "type", "CONTAINER_OP", NULL);
	expect_field(au, "op", "set", NULL);
	expect_field(au, "opid", "8730", NULL);
	expect_field(au, "contid", "4", NULL);
	expect_field(au, "old-contid", "-1", NULL);
	expect_field(au, "name", "\"web-1\"", "web-1");
	expect_field(au, "auid", "4294967295", "unset");
	expect_field(au, "ses", "4294967295", "unset");
	expect_field(au, "res", "1", "yes");

	expect_event(au, 43, 1);
	expect_field(au, "opid", "8731", NULL);
	expect_field(au, "errno", "EEXIST", NULL);
	/* auparse does not know reason= as an encoded field; the hex still decodes back. */
	expect_field(au, "reason", "616C726561647920696E20636F6E7461696E65722037", NULL);
	hex_decode(auparse_get_field_str(au), reason, sizeof(reason));
	assert_string_equal(reason, "already in container 7");
	expect_field(au, "res", "0", "no");
	assert_int_equal(auparse_first_record(au), 1);
	assert_null(auparse_find_field(au, "name"));

	expect_event(au, 44, 1);
	expect_field(au, "op", "drop", NULL);
	expect_field(au, "contid", "-1", NULL);
	expect_field(au, "old-contid", "4", NULL);

	expect_event(au, 45, 1);
	expect_field(au, "type", "CONTAINER_NS", NULL);
	expect_field(au, "op", "register", NULL);
	expect_field(au, "contid", "4,^2", NULL);
	expect_field(au, "mnt_ns", "4026531830", "4026531830");
	/* Unlike a bare cgroup=, which auparse would hex-decode into garbage. */
	expect_field(au, "cgroup_ns", "4026531837", "4026531837");
	expect_field(au, "time_for_children_ns", "4026531839", "4026531839");

	expect_event(au, 46, 2);
	assert_int_equal(auparse_first_record(au), 1);
	assert_int_equal(auparse_get_type(au), AUDIT_SYSCALL);
	assert_int_equal(auparse_next_record(au), 1);
	assert_true(strncmp(auparse_get_record_text(au), "type=CONTAINER_OP ", 18) == 0);
	expect_field(au, "contid", "4", NULL);
	expect_field(au, "op", "join", NULL);
	/* A name that needed hex comes back whole through auparse's own decoding. */
	expect_field(au, "name", "636166C3A92031", "caf\xc3\xa9 1");

	expect_event(au, 47, 1);
	expect_field(au, "op", "unshare", NULL);
	expect_field(au, "old-net_ns", "4026531835", "4026531835");
	expect_field(au, "net_ns", "4026532301", NULL);
	assert_int_equal(auparse_first_record(au), 1);
	assert_null(auparse_find_field(au, "mnt_ns"));

	assert_int_equal(auparse_next_event(au), 0);
	auparse_destroy(au);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_parent_and_file),
		cmocka_unit_test(test_write_appends_whole_records),
		cmocka_unit_test(test_open_refuses_symlink),
		cmocka_unit_test(test_open_refuses_fifo_and_directory),
		cmocka_unit_test(test_write_refuses_what_is_not_one_line),
		cmocka_unit_test(test_write_text_adds_the_newline),
		cmocka_unit_test(test_open_ends_a_broken_last_line),
		cmocka_unit_test(test_short_write_is_contained),
		cmocka_unit_test(test_flush_data),
		cmocka_unit_test(test_auparse_reads_every_record),
	};

	return cmocka_run_group_tests_name("audit_log", tests, setup_tmpdir, remove_tmpdir);
}
