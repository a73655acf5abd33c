// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: file versions the gate's reader may answer at once (integrity/listed_set.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "integrity/listed_set.h"

static struct listed_file file(uint64_t contid, uint64_t mnt_id, uint64_t ino)
{
	struct listed_file f;

	memset(&f, 0, sizeof(f));
	f.contid = contid;
	f.mnt_id = mnt_id;
	f.ino = ino;
	f.key.dev = 42;
	f.key.ino = ino;
	f.key.size = 1000;
	f.key.mtime_sec = 1700000000;
	f.key.ctime_sec = 1700000000;
	f.chain[0] = contid;
	f.depth = 1;
	return f;
}

static void test_found_by_container_mount_and_inode(void **state)
{
	struct listed_set set;
	struct listed_file f = file(7, 30, 1234), got;

	(void)state;
	assert_int_equal(listed_set_init(&set, 64), 0);
	assert_false(listed_set_find(&set, 7, 30, 1234, &got));
	listed_set_put(&set, &f);
	assert_true(listed_set_find(&set, 7, 30, 1234, &got));
	assert_memory_equal(&got, &f, sizeof(f));
	/* Another container, mount or inode is another file: never this one's answer. */
	assert_false(listed_set_find(&set, 8, 30, 1234, &got));
	assert_false(listed_set_find(&set, 7, 31, 1234, &got));
	assert_false(listed_set_find(&set, 7, 30, 1235, &got));
	listed_set_free(&set);
}

static void test_matches_only_the_same_version_and_chain(void **state)
{
	struct listed_file f = file(7, 30, 1234);
	struct integrity_file_key key = f.key;
	uint64_t chain[2] = { 7, 3 };

	(void)state;
	f.chain[1] = 3;
	f.depth = 2;
	assert_true(listed_set_matches(&f, &key, chain, 2));
	/* A write moves mtime; a truncate the size: another version, the judge's. */
	key.mtime_nsec++;
	assert_false(listed_set_matches(&f, &key, chain, 2));
	key = f.key;
	key.size--;
	assert_false(listed_set_matches(&f, &key, chain, 2));
	key = f.key;
	/* Registered again under another parent, or no longer nested: another chain. */
	chain[1] = 4;
	assert_false(listed_set_matches(&f, &key, chain, 2));
	chain[1] = 3;
	assert_false(listed_set_matches(&f, &key, chain, 1));
	assert_false(listed_set_matches(&f, &key, chain, 3));
}

static void test_bounded_a_colliding_file_takes_the_slot(void **state)
{
	struct listed_set set;
	struct listed_file got;
	unsigned int found = 0;

	(void)state;
	/* Rounded up to a power of two: 3 slots become 4. */
	assert_int_equal(listed_set_init(&set, 3), 0);
	assert_int_equal(set.slot_count, 4);
	for (uint64_t ino = 1; ino <= 100; ino++) {
		struct listed_file f = file(7, 30, ino);

		listed_set_put(&set, &f);
	}
	for (uint64_t ino = 1; ino <= 100; ino++)
		if (listed_set_find(&set, 7, 30, ino, &got)) {
			assert_int_equal(got.ino, ino);
			found++;
		}
	/* At most one file per slot; what was pushed out is simply not found. */
	assert_in_range(found, 1, 4);
	assert_true(listed_set_find(&set, 7, 30, 100, &got));
	listed_set_free(&set);
	/* A freed set finds nothing and takes nothing. */
	listed_set_put(&set, &got);
	assert_false(listed_set_find(&set, 7, 30, 100, &got));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_by_container_mount_and_inode),
		cmocka_unit_test(test_matches_only_the_same_version_and_chain),
		cmocka_unit_test(test_bounded_a_colliding_file_takes_the_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
