// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister unit tests: what canisterd finds for an observed event read after
 * its process ended: the TASK_ID by thread group and executable, whatever the
 * start time (task_ids.c), and a mapped file's CELL by container and inode
 * (file_cells.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/file_cells.h"
#include "model/task_ids.h"

#include <string.h>

static void test_task_id_by_executable(void **state)
{
	struct model_task_key key = { .tgid = 10, .start_time = 5, .exe_dev = 1, .exe_ino = 2 };
	uint8_t id[CANISTER_MODEL_DIGEST_SIZE], other[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE];
	struct model_task_key probe;

	(void)state;
	model_task_ids_clear();
	memset(id, 0xab, sizeof(id));
	memset(other, 0xcd, sizeof(other));
	assert_false(model_task_ids_get(4, &key, got));
	model_task_ids_put(4, &key, id, false);
	assert_true(model_task_ids_get(4, &key, got));
	assert_memory_equal(got, id, sizeof(id));
	/* Another executable, device, thread group or start time is another task. */
	probe = key, probe.exe_ino = 3;
	assert_false(model_task_ids_get(4, &probe, got));
	probe = key, probe.exe_dev = 2;
	assert_false(model_task_ids_get(4, &probe, got));
	probe = key, probe.tgid = 11;
	assert_false(model_task_ids_get(4, &probe, got));
	/* The same pid reused for the same program, with other credentials: its own TASK_ID. */
	probe = key, probe.start_time = 12;
	assert_false(model_task_ids_get(4, &probe, got));
	model_task_ids_put(4, &probe, other, false);
	assert_true(model_task_ids_get(4, &probe, got));
	assert_memory_equal(got, other, sizeof(other));
	assert_true(model_task_ids_get(4, &key, got));
	assert_memory_equal(got, id, sizeof(id));
	/* Another container's table holds none of them. */
	assert_false(model_task_ids_get(5, &key, got));
	model_task_ids_clear();
}

static void test_file_cells(void **state)
{
	uint8_t digest[CANISTER_MODEL_DIGEST_SIZE], got[CANISTER_MODEL_DIGEST_SIZE];
	char path[64];

	(void)state;
	model_file_cells_clear();
	memset(digest, 0x11, sizeof(digest));
	assert_false(model_file_cells_get(4, 8, 100, path, sizeof(path), got));
	model_file_cells_put(4, 8, 100, "/usr/lib/libc.so.6", digest);
	assert_true(model_file_cells_get(4, 8, 100, path, sizeof(path), got));
	assert_string_equal(path, "/usr/lib/libc.so.6");
	assert_memory_equal(got, digest, sizeof(digest));
	/* Another container sees the inode under its own root: not this CELL. */
	assert_false(model_file_cells_get(5, 8, 100, path, sizeof(path), got));
	assert_false(model_file_cells_get(4, 9, 100, path, sizeof(path), got));
	/* The last CELL made for the inode wins (a rename, a pseudonym given since). */
	digest[0] = 0x22;
	model_file_cells_put(4, 8, 100, "/usr/lib/libc-new.so.6", digest);
	assert_true(model_file_cells_get(4, 8, 100, path, sizeof(path), got));
	assert_string_equal(path, "/usr/lib/libc-new.so.6");
	assert_int_equal(got[0], 0x22);
	/* A path that does not fit the caller's buffer is no answer, never a cut path. */
	assert_false(model_file_cells_get(4, 8, 100, path, 8, got));
	/* Many files: each found or not, never another's CELL. */
	for (uint64_t ino = 1000; ino < 1000 + 3 * MODEL_FILE_CELLS_MAX; ino++)
		model_file_cells_put(4, 8, ino, ino % 2 ? "/odd" : "/even", digest);
	for (uint64_t ino = 1000; ino < 1000 + 3 * MODEL_FILE_CELLS_MAX; ino++)
		if (model_file_cells_get(4, 8, ino, path, sizeof(path), got))
			assert_string_equal(path, ino % 2 ? "/odd" : "/even");
	model_file_cells_clear();
	assert_false(model_file_cells_get(4, 8, 100, path, sizeof(path), got));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task_id_by_executable),
		cmocka_unit_test(test_file_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
