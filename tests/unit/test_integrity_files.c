// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the digest cache and measured-file sets (integrity/file_digests.c) and the
 * filesystems the gate watches (integrity/mark_pick.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "integrity/file_digests.h"
#include "integrity/mark_pick.h"

static struct integrity_file_key key_of(uint64_t ino, int64_t mtime)
{
	struct stat st = { 0 };
	struct integrity_file_key key;

	st.st_dev = 0x801;
	st.st_ino = ino;
	st.st_size = 100;
	st.st_mtim.tv_sec = mtime;
	st.st_ctim.tv_sec = mtime;
	integrity_file_key_from_stat(&st, 0, &key);
	return key;
}

static void test_put_get(void **state)
{
	struct integrity_file_digests table;
	uint8_t digest[INTEGRITY_SHA256_SIZE], got[INTEGRITY_SHA256_SIZE];
	struct integrity_file_key a = key_of(1, 10);

	integrity_file_digests_init(&table, 0);
	assert_false(integrity_file_digests_get(&table, &a, got));
	memset(digest, 0xab, sizeof(digest));
	assert_int_equal(integrity_file_digests_put(&table, &a, digest), 0);
	assert_true(integrity_file_digests_get(&table, &a, got));
	assert_memory_equal(got, digest, sizeof(digest));
	assert_true(integrity_file_digests_get(&table, &a, NULL));
	/* Putting again replaces, not adds. */
	memset(digest, 0xcd, sizeof(digest));
	assert_int_equal(integrity_file_digests_put(&table, &a, digest), 0);
	assert_int_equal(table.count, 1);
	assert_true(integrity_file_digests_get(&table, &a, got));
	assert_memory_equal(got, digest, sizeof(digest));
	integrity_file_digests_free(&table);
}

static void test_changed_file_is_another(void **state)
{
	struct integrity_file_digests table;
	uint8_t digest[INTEGRITY_SHA256_SIZE] = { 1 };
	struct integrity_file_key before = key_of(7, 10), after = key_of(7, 11);

	integrity_file_digests_init(&table, 0);
	assert_int_equal(integrity_file_digests_put(&table, &before, digest), 0);
	/* A write moves mtime: the file is measured again. */
	assert_false(integrity_file_digests_get(&table, &after, NULL));
	after = before;
	after.size++;
	assert_false(integrity_file_digests_get(&table, &after, NULL));
	after = before;
	after.dev++;
	assert_false(integrity_file_digests_get(&table, &after, NULL));
	integrity_file_digests_free(&table);
}

static void test_many_and_bound(void **state)
{
	struct integrity_file_digests table;
	uint8_t digest[INTEGRITY_SHA256_SIZE];

	integrity_file_digests_init(&table, 0);
	for (uint64_t i = 0; i < 5000; i++) {
		struct integrity_file_key k = key_of(i, 1);

		memcpy(digest, &i, sizeof(i));
		assert_int_equal(integrity_file_digests_put(&table, &k, digest), 0);
	}
	assert_int_equal(table.count, 5000);
	for (uint64_t i = 0; i < 5000; i++) {
		struct integrity_file_key k = key_of(i, 1);
		uint64_t back;

		assert_true(integrity_file_digests_get(&table, &k, digest));
		memcpy(&back, digest, sizeof(back));
		assert_int_equal(back, i);
	}
	integrity_file_digests_free(&table);

	/* A bounded cache forgets everything when full, and goes on. */
	integrity_file_digests_init(&table, 3);
	for (uint64_t i = 0; i < 4; i++) {
		struct integrity_file_key k = key_of(i, 1);

		assert_int_equal(integrity_file_digests_put(&table, &k, digest), 0);
	}
	assert_int_equal(table.count, 1);
	{
		struct integrity_file_key first = key_of(0, 1), last = key_of(3, 1);

		assert_false(integrity_file_digests_get(&table, &first, NULL));
		assert_true(integrity_file_digests_get(&table, &last, NULL));
	}
	integrity_file_digests_free(&table);
}

/* A key is one version only when its times are older than any a later change could get. */
static void test_settled(void **state)
{
	struct integrity_file_key key = { .ctime_sec = 1000, .mtime_sec = 1000, .ctime_nsec = 5 };
	struct timespec now = { .tv_sec = 1002, .tv_nsec = 6 };

	(void)state;
	assert_true(integrity_file_key_settled(&key, &now));
	/* Changed within the last 2 s: a change now could stamp the same times. */
	now.tv_nsec = 5;
	assert_false(integrity_file_key_settled(&key, &now));
	now = (struct timespec){ .tv_sec = 1001, .tv_nsec = 999999999 };
	assert_false(integrity_file_key_settled(&key, &now));
	/* mtime counts too (utimensat can set it ahead), and a time in the future is never settled.
	 */
	now = (struct timespec){ .tv_sec = 5000 };
	key.mtime_sec = 4999;
	assert_false(integrity_file_key_settled(&key, &now));
	key.mtime_sec = 1000;
	key.ctime_sec = 6000;
	assert_false(integrity_file_key_settled(&key, &now));
}

static void test_mark_pick(void **state)
{
	const char *watched[] = { "ext4", "xfs", "btrfs", "tmpfs", "overlay", "nfs4", "vfat" };
	const char *not_watched[] = { "proc",	    "sysfs",	  "cgroup2", "bpf",    "tracefs",
				      "debugfs",    "securityfs", "devpts",  "mqueue", "nsfs",
				      "fuse.sshfs", "fuse",	  "" };

	for (size_t i = 0; i < sizeof(watched) / sizeof(watched[0]); i++)
		assert_true(mark_pick_fstype(watched[i]));
	for (size_t i = 0; i < sizeof(not_watched) / sizeof(not_watched[0]); i++)
		assert_false(mark_pick_fstype(not_watched[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_changed_file_is_another),
		cmocka_unit_test(test_many_and_bound),
		cmocka_unit_test(test_settled),
		cmocka_unit_test(test_mark_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
