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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libaudit.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

	/* The piece that went out is taken back: the file holds whole records only. */
	write_string(log, record1);
	canister_audit_log_close(log);
	snprintf(expected, sizeof(expected), "%s%s", record1, record1);
	assert_string_equal(slurp(path), expected);
}

/* Record @serial, all of the same length so that sizes can be counted in records. */
static const char *numbered(unsigned int serial)
{
	static char text[8][128];
	static unsigned int next;
	char *record = text[next++ % 8];

	snprintf(record, sizeof(text[0]),
		 "type=CONTAINER_OP msg=audit(1700000000.000:%03u): op=set opid=8730 contid=%03u "
		 "res=1\n",
		 serial, serial);
	return record;
}

#define RECORD_LEN strlen(numbered(0))

/* Records @first..@last, concatenated, as the file holding them must read. */
static const char *numbered_range(unsigned int first, unsigned int last)
{
	static char text[4096];

	text[0] = '\0';
	for (unsigned int i = first; i <= last; i++)
		strcat(text, numbered(i));
	return text;
}

static void assert_file(const char *dir, const char *name, const char *expected)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(access(path, F_OK), 0);
	assert_string_equal(slurp(path), expected);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in @dir, sorted and comma-separated, must be exactly @expected. */
static void assert_names(const char *dir, const char *expected)
{
	char *names[32], joined[512] = "";
	struct dirent *entry;
	size_t n = 0;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((entry = readdir(d))) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		assert_true(n < 32);
		names[n++] = strdup(entry->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), compare_names);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(joined, ",");
		strcat(joined, names[i]);
		free(names[i]);
	}
	assert_string_equal(joined, expected);
}

/* A fresh directory for one test's log, and the log's path in it. */
static void log_dir(const char *name, char *dir, size_t dir_len, char *path, size_t path_len)
{
	tmp_path(dir, dir_len, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, path_len, "%s/audit.log", dir);
}

static struct canister_audit_log *open_with(const char *path, uint64_t max_bytes,
					    unsigned int num_logs, enum canister_audit_flush flush,
					    unsigned int freq)
{
	struct canister_audit_log_policy policy = {
		.max_bytes = max_bytes, .num_logs = num_logs, .flush = flush, .freq = freq
	};
	struct canister_audit_log *log;

	assert_int_equal(canister_audit_log_open(path, &log), 0);
	canister_audit_log_set_policy(log, &policy);
	return log;
}

static void write_numbered(struct canister_audit_log *log, unsigned int first, unsigned int last)
{
	for (unsigned int i = first; i <= last; i++)
		write_string(log, numbered(i));
}

static void assert_stats(struct canister_audit_log *log, uint64_t records, uint64_t rotations,
			 uint64_t failures, int last_errno)
{
	struct canister_audit_log_stats stats;

	memset(&stats, 0x5a, sizeof(stats));
	canister_audit_log_stats(log, &stats);
	assert_int_equal(stats.records, records);
	assert_int_equal(stats.rotations, rotations);
	assert_int_equal(stats.rotation_failures, failures);
	assert_int_equal(stats.last_errno, last_errno);
}

/* Two files: the live one and LOG.1, which each rotation replaces. */
static void test_rotation_keeps_two_files(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];
	struct stat before, after;

	log_dir("rotate2", dir, sizeof(dir), path, sizeof(path));
	/* Exactly two records: "reached" counts, not only "passed". */
	log = open_with(path, 2 * RECORD_LEN, 2, CANISTER_AUDIT_FLUSH_SYNC, 1);
	write_numbered(log, 1, 1);
	assert_names(dir, "audit.log");
	assert_int_equal(stat(path, &before), 0);
	write_numbered(log, 2, 2);
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", numbered_range(1, 2));
	assert_file(dir, "audit.log", "");
	/* Renamed, not copied: LOG.1 is the very file LOG was. */
	snprintf(path, sizeof(path), "%s/audit.log.1", dir);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino);
	snprintf(path, sizeof(path), "%s/audit.log", dir);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_mode & 07777, 0600);

	write_numbered(log, 3, 5);
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", numbered_range(3, 4));
	assert_file(dir, "audit.log", numbered_range(5, 5));
	assert_stats(log, 5, 2, 0, 0);
	canister_audit_log_close(log);
}

/* Four files: each rotation moves every file one up and drops the oldest. */
static void test_rotation_chain_of_four(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];

	log_dir("rotate4", dir, sizeof(dir), path, sizeof(path));
	/* Reached by the second record of each file, not the first. */
	log = open_with(path, 2 * RECORD_LEN - 1, 4, CANISTER_AUDIT_FLUSH_INCREMENTAL, 3);
	write_numbered(log, 1, 7);
	assert_names(dir, "audit.log,audit.log.1,audit.log.2,audit.log.3");
	assert_file(dir, "audit.log.3", numbered_range(1, 2));
	assert_file(dir, "audit.log.2", numbered_range(3, 4));
	assert_file(dir, "audit.log.1", numbered_range(5, 6));
	assert_file(dir, "audit.log", numbered_range(7, 7));

	write_numbered(log, 8, 8);
	assert_names(dir, "audit.log,audit.log.1,audit.log.2,audit.log.3");
	assert_file(dir, "audit.log.3", numbered_range(3, 4));
	assert_file(dir, "audit.log.2", numbered_range(5, 6));
	assert_file(dir, "audit.log.1", numbered_range(7, 8));
	assert_file(dir, "audit.log", "");
	assert_stats(log, 8, 4, 0, 0);
	canister_audit_log_close(log);
}

/* What the file held before the open counts towards max_bytes. */
static void test_rotation_counts_existing_size(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];
	FILE *f;

	log_dir("existing", dir, sizeof(dir), path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(numbered_range(1, 2), f);
	fclose(f);

	log = open_with(path, 3 * RECORD_LEN, 2, CANISTER_AUDIT_FLUSH_NONE, 1);
	write_numbered(log, 3, 3);
	assert_file(dir, "audit.log.1", numbered_range(1, 3));
	assert_file(dir, "audit.log", "");
	canister_audit_log_close(log);

	/* A file already past the limit is rotated after the first record, not before it. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(numbered_range(4, 6), f);
	fclose(f);
	log = open_with(path, RECORD_LEN, 2, CANISTER_AUDIT_FLUSH_NONE, 1);
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", numbered_range(1, 3));
	write_numbered(log, 7, 7);
	assert_file(dir, "audit.log.1", numbered_range(4, 7));
	assert_file(dir, "audit.log", "");
	canister_audit_log_close(log);
}

/* max_bytes 0 never rotates; a file truncated behind the log's back (copytruncate) starts over. */
static void test_rotation_off_and_truncated_file(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];

	log_dir("norotate", dir, sizeof(dir), path, sizeof(path));
	log = open_with(path, 0, 5, CANISTER_AUDIT_FLUSH_NONE, 1);
	write_numbered(log, 1, 20);
	assert_names(dir, "audit.log");
	assert_file(dir, "audit.log", numbered_range(1, 20));
	assert_stats(log, 20, 0, 0, 0);
	canister_audit_log_close(log);

	assert_int_equal(unlink(path), 0);
	log = open_with(path, 2 * RECORD_LEN, 2, CANISTER_AUDIT_FLUSH_NONE, 1);
	write_numbered(log, 1, 1);
	assert_int_equal(truncate(path, 0), 0);
	write_numbered(log, 2, 2);
	assert_names(dir, "audit.log");
	assert_file(dir, "audit.log", numbered_range(2, 2));
	write_numbered(log, 3, 3);
	assert_file(dir, "audit.log.1", numbered_range(2, 3));
	canister_audit_log_close(log);
}

/* num_logs below 2 would leave nowhere to rotate to: it is taken as 2. */
static void test_rotation_num_logs_is_clamped(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];

	log_dir("clamped", dir, sizeof(dir), path, sizeof(path));
	log = open_with(path, RECORD_LEN, 0, CANISTER_AUDIT_FLUSH_NONE, 0);
	write_numbered(log, 1, 3);
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", numbered_range(3, 3));
	assert_stats(log, 3, 3, 0, 0);
	canister_audit_log_close(log);
}

/*
 * A directory where LOG.1 goes makes rename(2) fail, for root too.  The
 * record stays written, the next ones go to the same file, and the rotation
 * is tried again after each of them until it works.
 */
static void test_rotation_failure_keeps_appending(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192], blocker[192], inside[224];
	FILE *f;

	log_dir("blocked", dir, sizeof(dir), path, sizeof(path));
	snprintf(blocker, sizeof(blocker), "%s/audit.log.1", dir);
	snprintf(inside, sizeof(inside), "%s/keep", blocker);
	assert_int_equal(mkdir(blocker, 0700), 0);
	f = fopen(inside, "w");
	assert_non_null(f);
	fclose(f);

	log = open_with(path, RECORD_LEN, 2, CANISTER_AUDIT_FLUSH_DATA, 1);
	write_numbered(log, 1, 1);
	assert_stats(log, 1, 0, 1, EISDIR);
	write_numbered(log, 2, 2);
	assert_stats(log, 2, 0, 2, EISDIR);
	assert_file(dir, "audit.log", numbered_range(1, 2));

	assert_int_equal(unlink(inside), 0);
	assert_int_equal(rmdir(blocker), 0);
	write_numbered(log, 3, 3);
	assert_stats(log, 3, 1, 2, EISDIR);
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", numbered_range(1, 3));
	assert_file(dir, "audit.log", "");
	canister_audit_log_close(log);
}

/* A link of the chain that cannot move stops the rotation: nothing is renamed onto a kept file. */
static void test_rotation_failure_mid_chain_loses_nothing(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192], blocker[192], inside[224];
	FILE *f;

	log_dir("midchain", dir, sizeof(dir), path, sizeof(path));
	log = open_with(path, RECORD_LEN, 3, CANISTER_AUDIT_FLUSH_NONE, 1);
	write_numbered(log, 1, 1);
	assert_file(dir, "audit.log.1", numbered_range(1, 1));

	snprintf(blocker, sizeof(blocker), "%s/audit.log.2", dir);
	snprintf(inside, sizeof(inside), "%s/keep", blocker);
	assert_int_equal(mkdir(blocker, 0700), 0);
	f = fopen(inside, "w");
	assert_non_null(f);
	fclose(f);
	write_numbered(log, 2, 2);
	assert_stats(log, 2, 1, 1, EISDIR);
	assert_file(dir, "audit.log.1", numbered_range(1, 1));
	assert_file(dir, "audit.log", numbered_range(2, 2));

	assert_int_equal(unlink(inside), 0);
	assert_int_equal(rmdir(blocker), 0);
	write_numbered(log, 3, 3);
	assert_stats(log, 3, 2, 1, EISDIR);
	assert_names(dir, "audit.log,audit.log.1,audit.log.2");
	assert_file(dir, "audit.log.2", numbered_range(1, 1));
	assert_file(dir, "audit.log.1", numbered_range(2, 3));
	assert_file(dir, "audit.log", "");
	canister_audit_log_close(log);
}

/* A forked child's steps: each failed check exits with its own status. */
#define CHILD_CHECK(cond, status)      \
	do {                           \
		if (!(cond))           \
			_exit(status); \
	} while (0)

static void run_child(void (*child)(const char *path), const char *path)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		child(path);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child failed at step %d (status 0x%x)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1, status);
}

static void stats_of(struct canister_audit_log *log, struct canister_audit_log_stats *stats)
{
	canister_audit_log_stats(log, stats);
}

/* LOG is renamed, but no descriptor is left to open a fresh one (RLIMIT_NOFILE). */
static void reopen_fails_child(const char *path)
{
	struct canister_audit_log_policy policy = {
		.max_bytes = 1, .num_logs = 3, .flush = CANISTER_AUDIT_FLUSH_INCREMENTAL, .freq = 10
	};
	struct canister_audit_log_stats stats;
	struct canister_audit_log *log;
	struct rlimit saved, none;
	int lowest;

	CHILD_CHECK(canister_audit_log_open(path, &log) == 0, 1);
	canister_audit_log_set_policy(log, &policy);
	CHILD_CHECK(getrlimit(RLIMIT_NOFILE, &saved) == 0, 2);
	lowest = dup(0);
	CHILD_CHECK(lowest >= 0, 3);
	close(lowest);
	none = saved;
	none.rlim_cur = (rlim_t)lowest;
	CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &none) == 0, 4);
	CHILD_CHECK(canister_audit_log_write(log, numbered(1), RECORD_LEN) == 0, 5);
	CHILD_CHECK(canister_audit_log_write(log, numbered(2), RECORD_LEN) == 0, 6);
	stats_of(log, &stats);
	CHILD_CHECK(stats.rotations == 0 && stats.rotation_failures == 2, 7);
	CHILD_CHECK(stats.last_errno == EMFILE, 8);
	CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &saved) == 0, 9);
	CHILD_CHECK(canister_audit_log_write(log, numbered(3), RECORD_LEN) == 0, 10);
	stats_of(log, &stats);
	CHILD_CHECK(stats.rotations == 1 && stats.rotation_failures == 2, 11);
	CHILD_CHECK(stats.records == 3, 12);
	canister_audit_log_close(log);
}

/*
 * Renamed away without a fresh file: records go on to LOG.1, and the retry
 * only opens LOG; shifting the chain again would push LOG.1 on to LOG.2.
 */
static void test_rotation_reopen_failure(void **state)
{
	char dir[128], path[192];

	log_dir("reopen", dir, sizeof(dir), path, sizeof(path));
	run_child(reopen_fails_child, path);
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", numbered_range(1, 3));
	assert_file(dir, "audit.log", "");
}

/*
 * The file size limit cuts record 4 short (EFBIG, SIGXFSZ ignored, as
 * canisterd does): the piece is taken back, so the file holds 1-3 whole;
 * record 5 then fills it and it rotates, LOG.1 ending whole.
 */
static void file_size_limit_child(const char *path)
{
	const size_t len = RECORD_LEN;
	struct canister_audit_log_policy policy = { .max_bytes = 3 * len + 10,
						    .num_logs = 2,
						    .flush = CANISTER_AUDIT_FLUSH_NONE };
	struct canister_audit_log_stats stats;
	struct canister_audit_log *log;
	struct rlimit saved, small;

	signal(SIGXFSZ, SIG_IGN);
	CHILD_CHECK(canister_audit_log_open(path, &log) == 0, 1);
	canister_audit_log_set_policy(log, &policy);
	CHILD_CHECK(getrlimit(RLIMIT_FSIZE, &saved) == 0, 2);
	small = saved;
	small.rlim_cur = 3 * len + 20;
	CHILD_CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0, 3);
	for (unsigned int i = 1; i <= 3; i++)
		CHILD_CHECK(canister_audit_log_write(log, numbered(i), len) == 0, 4);
	CHILD_CHECK(canister_audit_log_write(log, numbered(4), len) == -EFBIG, 5);
	stats_of(log, &stats);
	CHILD_CHECK(stats.records == 3 && stats.bytes == 3 * len, 6);
	CHILD_CHECK(stats.rotations == 0 && stats.rotation_failures == 0, 7);
	CHILD_CHECK(stats.last_errno == EFBIG, 8);
	CHILD_CHECK(setrlimit(RLIMIT_FSIZE, &saved) == 0, 9);
	CHILD_CHECK(canister_audit_log_write(log, numbered(5), len) == 0, 10);
	CHILD_CHECK(canister_audit_log_write(log, numbered(6), len) == 0, 11);
	stats_of(log, &stats);
	CHILD_CHECK(stats.records == 5 && stats.rotations == 1, 12);
	canister_audit_log_close(log);
}

static void test_rotation_after_file_size_limit(void **state)
{
	char dir[128], path[192], expected[2048];

	log_dir("fsize", dir, sizeof(dir), path, sizeof(path));
	run_child(file_size_limit_child, path);
	snprintf(expected, sizeof(expected), "%s%s", numbered_range(1, 3), numbered(5));
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", expected);
	assert_file(dir, "audit.log", numbered_range(6, 6));
}

/*
 * Every flush mode is accepted and every record lands, across a rotation
 * too.  Whether and how often the disk was synced is not observable here,
 * and not asserted.
 */
static void test_flush_modes(void **state)
{
	static const enum canister_audit_flush modes[] = {
		CANISTER_AUDIT_FLUSH_NONE,
		CANISTER_AUDIT_FLUSH_INCREMENTAL,
		CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC,
		CANISTER_AUDIT_FLUSH_DATA,
		CANISTER_AUDIT_FLUSH_SYNC,
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct canister_audit_log *log;
		char name[32], dir[128], path[192], expected[256];

		snprintf(name, sizeof(name), "flush%zu", i);
		log_dir(name, dir, sizeof(dir), path, sizeof(path));
		log = open_with(path, 3 * RECORD_LEN, 2, modes[i], 2);
		write_numbered(log, 1, 4);
		assert_int_equal(
			canister_audit_log_write_text(log, "type=X msg=audit(1.000:5): a=1", 30),
			0);
		assert_stats(log, 5, 1, 0, 0);
		canister_audit_log_close(log);
		assert_file(dir, "audit.log.1", numbered_range(1, 3));
		snprintf(expected, sizeof(expected), "%stype=X msg=audit(1.000:5): a=1\n",
			 numbered(4));
		assert_file(dir, "audit.log", expected);
	}
	canister_audit_log_close(NULL);
}

/*
 * A stand-in for fdatasync() that notes who called it and what the file
 * held then, and can be made to hang as a slow disk would.
 */
#define SYNCS_MAX 16
static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool hold;	  /* calls wait until it is cleared, but the writer's own */
	pthread_t writer; /* which would never return to clear it */
	unsigned int calls;
	pthread_t caller[SYNCS_MAX];
	ino_t inode[SYNCS_MAX];
	off_t size[SYNCS_MAX];
} syncs = { .lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER };

static int watched_sync(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	pthread_mutex_lock(&syncs.lock);
	if (syncs.calls < SYNCS_MAX) {
		syncs.caller[syncs.calls] = pthread_self();
		syncs.inode[syncs.calls] = st.st_ino;
		syncs.size[syncs.calls] = st.st_size;
	}
	syncs.calls++;
	pthread_cond_broadcast(&syncs.changed);
	while (syncs.hold && !pthread_equal(pthread_self(), syncs.writer))
		pthread_cond_wait(&syncs.changed, &syncs.lock);
	pthread_mutex_unlock(&syncs.lock);
	return fdatasync(fd);
}

static void watch_syncs(bool hold)
{
	pthread_mutex_lock(&syncs.lock);
	syncs.hold = hold;
	syncs.writer = pthread_self();
	syncs.calls = 0;
	pthread_mutex_unlock(&syncs.lock);
	canister_audit_log_set_sync(watched_sync);
}

static void release_syncs(void)
{
	pthread_mutex_lock(&syncs.lock);
	syncs.hold = false;
	pthread_cond_broadcast(&syncs.changed);
	pthread_mutex_unlock(&syncs.lock);
}

static unsigned int sync_calls(void)
{
	unsigned int calls;

	pthread_mutex_lock(&syncs.lock);
	calls = syncs.calls;
	pthread_mutex_unlock(&syncs.lock);
	return calls;
}

/* Waits (at most 10 s) until @calls syncs have begun. */
static void wait_for_syncs(unsigned int calls)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&syncs.lock);
	while (syncs.calls < calls)
		if (pthread_cond_timedwait(&syncs.changed, &syncs.lock, &deadline) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&syncs.lock);
	assert_true(sync_calls() >= calls);
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/*
 * incremental_async: the sync is made by another thread, and the writer
 * goes on while it hangs; once the disk answers, the later records are
 * synced too, and the close waits for no sync that is not owed.
 */
static void test_async_flush_leaves_the_writer(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];
	unsigned int last;

	log_dir("async", dir, sizeof(dir), path, sizeof(path));
	watch_syncs(true);
	log = open_with(path, 0, 2, CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC, 2);
	write_numbered(log, 1, 1);
	assert_int_equal(sync_calls(), 0);
	write_numbered(log, 2, 2);
	wait_for_syncs(1);
	/* The disk hangs; the writer does not. */
	write_numbered(log, 3, 6);
	assert_int_equal(sync_calls(), 1);
	assert_false(pthread_equal(syncs.caller[0], pthread_self()));
	assert_int_equal(syncs.inode[0], inode_of(path));

	release_syncs();
	/* Records 3-6 asked for syncs while the first hung: one more covers them all. */
	wait_for_syncs(2);
	last = sync_calls() - 1;
	assert_false(pthread_equal(syncs.caller[last], pthread_self()));
	assert_int_equal(syncs.size[last], 6 * RECORD_LEN);
	canister_audit_log_close(log);
	assert_int_equal(sync_calls(), last + 1);
	assert_file(dir, "audit.log", numbered_range(1, 6));
	canister_audit_log_set_sync(NULL);
}

/* The last records, fewer than freq, are synced at close, by the flusher, before close returns. */
static void test_async_flush_at_close(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];

	log_dir("asyncclose", dir, sizeof(dir), path, sizeof(path));
	watch_syncs(false);
	log = open_with(path, 0, 2, CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC, 50);
	write_numbered(log, 1, 3);
	assert_int_equal(sync_calls(), 0);
	canister_audit_log_close(log);
	assert_int_equal(sync_calls(), 1);
	assert_false(pthread_equal(syncs.caller[0], pthread_self()));
	assert_int_equal(syncs.inode[0], inode_of(path));
	assert_int_equal(syncs.size[0], 3 * RECORD_LEN);
	canister_audit_log_set_sync(NULL);
}

/* A file rotated away is synced by the flusher too, as it was when it was let go. */
static void test_async_flush_of_a_rotated_file(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192], rotated[224];

	log_dir("asyncrotate", dir, sizeof(dir), path, sizeof(path));
	watch_syncs(false);
	log = open_with(path, 2 * RECORD_LEN, 2, CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC, 50);
	write_numbered(log, 1, 3);
	wait_for_syncs(1);
	snprintf(rotated, sizeof(rotated), "%s.1", path);
	assert_false(pthread_equal(syncs.caller[0], pthread_self()));
	assert_int_equal(syncs.inode[0], inode_of(rotated));
	assert_int_equal(syncs.size[0], 2 * RECORD_LEN);
	canister_audit_log_close(log);
	assert_int_equal(sync_calls(), 2);
	assert_false(pthread_equal(syncs.caller[1], pthread_self()));
	assert_int_equal(syncs.inode[1], inode_of(path));
	assert_int_equal(syncs.size[1], RECORD_LEN);
	assert_file(dir, "audit.log.1", numbered_range(1, 2));
	assert_file(dir, "audit.log", numbered_range(3, 3));
	canister_audit_log_set_sync(NULL);
}

/* incremental, by contrast, syncs on the writer's own thread, before the write returns. */
static void test_incremental_flush_is_the_writer_s(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];

	log_dir("incremental", dir, sizeof(dir), path, sizeof(path));
	watch_syncs(false);
	log = open_with(path, 0, 2, CANISTER_AUDIT_FLUSH_INCREMENTAL, 2);
	write_numbered(log, 1, 2);
	assert_int_equal(sync_calls(), 1);
	assert_true(pthread_equal(syncs.caller[0], pthread_self()));
	canister_audit_log_close(log);
	assert_int_equal(sync_calls(), 1);
	canister_audit_log_set_sync(NULL);
}

/* SIGUSR1's rotation: now, whatever the size, an empty file too. */
static void test_rotate_now(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192];

	log_dir("rotatenow", dir, sizeof(dir), path, sizeof(path));
	log = open_with(path, 0, 3, CANISTER_AUDIT_FLUSH_NONE, 1);
	write_numbered(log, 1, 1);
	assert_int_equal(canister_audit_log_rotate(log), 0);
	assert_names(dir, "audit.log,audit.log.1");
	assert_file(dir, "audit.log.1", numbered_range(1, 1));
	assert_file(dir, "audit.log", "");
	assert_int_equal(canister_audit_log_rotate(log), 0);
	assert_names(dir, "audit.log,audit.log.1,audit.log.2");
	assert_file(dir, "audit.log.2", numbered_range(1, 1));
	assert_file(dir, "audit.log.1", "");
	write_numbered(log, 2, 2);
	assert_file(dir, "audit.log", numbered_range(2, 2));
	assert_stats(log, 2, 2, 0, 0);
	canister_audit_log_close(log);
}

/* A rotation asked for that fails says why, and is made after a later record once it can be. */
static void test_rotate_now_failure_is_retried(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192], blocker[192], inside[224];
	FILE *f;

	log_dir("rotatenowfail", dir, sizeof(dir), path, sizeof(path));
	snprintf(blocker, sizeof(blocker), "%s/audit.log.1", dir);
	snprintf(inside, sizeof(inside), "%s/keep", blocker);
	assert_int_equal(mkdir(blocker, 0700), 0);
	f = fopen(inside, "w");
	assert_non_null(f);
	fclose(f);

	log = open_with(path, 0, 2, CANISTER_AUDIT_FLUSH_NONE, 1);
	write_numbered(log, 1, 1);
	assert_int_equal(canister_audit_log_rotate(log), -EISDIR);
	assert_stats(log, 1, 0, 1, EISDIR);
	write_numbered(log, 2, 2);
	assert_stats(log, 2, 0, 2, EISDIR);
	assert_file(dir, "audit.log", numbered_range(1, 2));

	assert_int_equal(unlink(inside), 0);
	assert_int_equal(rmdir(blocker), 0);
	write_numbered(log, 3, 3);
	assert_stats(log, 3, 1, 2, EISDIR);
	assert_file(dir, "audit.log.1", numbered_range(1, 3));
	assert_file(dir, "audit.log", "");
	/* Done with: the next record does not rotate again (max_bytes is 0). */
	write_numbered(log, 4, 4);
	assert_file(dir, "audit.log", numbered_range(4, 4));
	canister_audit_log_close(log);
}

/* A file that ends mid-line is rotated once a record has ended the line, never before. */
static void test_rotate_now_waits_for_a_whole_line(void **state)
{
	struct canister_audit_log *log;
	char dir[128], path[192], expected[512];
	FILE *f;

	log_dir("rotatenowbroken", dir, sizeof(dir), path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("type=CONTAINER_OP msg=audit(1.000:1): op=se", f);
	fclose(f);
	log = open_with(path, 0, 2, CANISTER_AUDIT_FLUSH_NONE, 1);
	assert_int_equal(canister_audit_log_rotate(log), -EAGAIN);
	assert_names(dir, "audit.log");
	write_numbered(log, 1, 1);
	snprintf(expected, sizeof(expected), "type=CONTAINER_OP msg=audit(1.000:1): op=se\n%s",
		 numbered(1));
	assert_file(dir, "audit.log.1", expected);
	assert_file(dir, "audit.log", "");
	canister_audit_log_close(log);
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
		cmocka_unit_test(test_rotation_keeps_two_files),
		cmocka_unit_test(test_rotation_chain_of_four),
		cmocka_unit_test(test_rotation_counts_existing_size),
		cmocka_unit_test(test_rotation_off_and_truncated_file),
		cmocka_unit_test(test_rotation_num_logs_is_clamped),
		cmocka_unit_test(test_rotation_failure_keeps_appending),
		cmocka_unit_test(test_rotation_failure_mid_chain_loses_nothing),
		cmocka_unit_test(test_rotation_reopen_failure),
		cmocka_unit_test(test_rotation_after_file_size_limit),
		cmocka_unit_test(test_flush_modes),
		cmocka_unit_test(test_async_flush_leaves_the_writer),
		cmocka_unit_test(test_async_flush_at_close),
		cmocka_unit_test(test_async_flush_of_a_rotated_file),
		cmocka_unit_test(test_incremental_flush_is_the_writer_s),
		cmocka_unit_test(test_rotate_now),
		cmocka_unit_test(test_rotate_now_failure_is_retried),
		cmocka_unit_test(test_rotate_now_waits_for_a_whole_line),
		cmocka_unit_test(test_auparse_reads_every_record),
	};

	return cmocka_run_group_tests_name("audit_log", tests, setup_tmpdir, remove_tmpdir);
}
