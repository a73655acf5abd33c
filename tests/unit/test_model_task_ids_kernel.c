// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a process's TASK_IDs as canisterd writes them into its kernel task storage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/observe_deny.h"

#include <string.h>
#include <sys/sysmacros.h>

static const uint8_t *id_of(uint8_t byte)
{
	static uint8_t ids[256][CANISTER_MODEL_DIGEST_SIZE];

	memset(ids[byte], byte, sizeof(ids[byte]));
	return ids[byte];
}

/* The slot holding @ino's TASK_ID for start @start, or -1. */
static int slot_of(const struct canister_model_obs_task_ids *ids, uint64_t start, uint64_t ino)
{
	for (int i = 0; i < CANISTER_MODEL_OBS_TASK_ID_SLOTS; i++)
		if (ids->slot[i].exe_ino == ino && ids->slot[i].start_ticks == start)
			return i;
	return -1;
}

/* The gate's exec (the program about to run) and a TASK_ID derived meanwhile for the running one.
 */
static void exec_and_derived_both_kept(void **state)
{
	struct canister_model_obs_task_ids ids = {};

	(void)state;
	canister_model_deny_task_put(&ids, 10, 0x800001, 55, id_of(1)); /* running: ino 55 */
	canister_model_deny_task_put(&ids, 10, 0x800001, 66, id_of(2)); /* the exec's: ino 66 */
	/* The running program's again, after the exec's: it must not push the exec's out. */
	canister_model_deny_task_put(&ids, 10, 0x800001, 55, id_of(3));
	assert_int_not_equal(slot_of(&ids, 10, 55), -1);
	assert_int_not_equal(slot_of(&ids, 10, 66), -1);
	assert_memory_equal(ids.slot[slot_of(&ids, 10, 55)].task_id, id_of(3),
			    CANISTER_MODEL_DIGEST_SIZE);
	assert_memory_equal(ids.slot[slot_of(&ids, 10, 66)].task_id, id_of(2),
			    CANISTER_MODEL_DIGEST_SIZE);
}

/* A third program replaces the one written before the last, never the last. */
static void third_program_replaces_older(void **state)
{
	struct canister_model_obs_task_ids ids = {};

	(void)state;
	canister_model_deny_task_put(&ids, 10, 1, 55, id_of(1));
	canister_model_deny_task_put(&ids, 10, 1, 66, id_of(2));
	canister_model_deny_task_put(&ids, 10, 1, 77, id_of(3));
	assert_int_equal(slot_of(&ids, 10, 55), -1);
	assert_int_not_equal(slot_of(&ids, 10, 66), -1);
	assert_int_not_equal(slot_of(&ids, 10, 77), -1);
	assert_int_equal(ids.slot[ids.last].exe_ino, 77);
}

/* Another device, or another start (a reused pid), is another entry: never matched as the same. */
static void device_and_start_distinguish(void **state)
{
	struct canister_model_obs_task_ids ids = {};

	(void)state;
	canister_model_deny_task_put(&ids, 10, 1, 55, id_of(1));
	canister_model_deny_task_put(&ids, 10, 2, 55, id_of(2));
	assert_int_equal(ids.slot[0].exe_dev + ids.slot[1].exe_dev, 3);
	canister_model_deny_task_put(&ids, 11, 2, 55, id_of(3));
	assert_int_not_equal(slot_of(&ids, 11, 55), -1);
	assert_memory_equal(ids.slot[slot_of(&ids, 11, 55)].task_id, id_of(3),
			    CANISTER_MODEL_DIGEST_SIZE);
}

/* The kernel's s_dev numbering of a stat() device (MKDEV: 12 bits of major above 20 of minor). */
static void kernel_dev(void **state)
{
	(void)state;
	assert_int_equal(canister_model_deny_kernel_dev(makedev(8, 1)), (8ULL << 20) | 1);
	assert_int_equal(canister_model_deny_kernel_dev(makedev(259, 3)), (259ULL << 20) | 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exec_and_derived_both_kept),
		cmocka_unit_test(third_program_replaces_older),
		cmocka_unit_test(device_and_start_distinguish),
		cmocka_unit_test(kernel_dev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
