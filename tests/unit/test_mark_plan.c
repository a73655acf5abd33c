// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: which mounts of one mount namespace the file gate marks
 * (integrity/mark_plan.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integrity/mark_pick.h"
#include "integrity/mark_plan.h"
#include "integrity/mark_record.h"

/* A runc container's table: overlay root, proc, a tmpfs twice (bind), a host bind, FUSE. */
static const char *const table[] = {
	"600 500 0:70 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n",
	"601 600 0:71 / /proc rw,nosuid - proc proc rw\n",
	"602 600 0:72 / /tmp rw - tmpfs tmpfs rw\n",
	"603 600 0:72 /sub /mnt/again rw - tmpfs tmpfs rw\n",
	"604 600 8:1 /etc/hosts /etc/hosts rw - ext4 /dev/sda1 rw\n",
	"605 600 0:80 / /mnt/f\\040x rw - fuse.sshfs h:/ rw\n",
	"606 600 0:81 / /mnt/g rw - fuse /dev/fuse rw\n",
	"not a mountinfo line\n",
};

static struct mark_plan *plan_of(mark_plan_known_fn known, void *ctx)
{
	struct mark_plan *plan = malloc(sizeof(*plan));

	assert_non_null(plan);
	mark_plan_init(plan);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		mark_plan_add(plan, table[i], known, ctx);
	return plan;
}

static void test_one_per_superblock(void **state)
{
	struct mark_plan *plan = plan_of(NULL, NULL);

	(void)state;
	assert_int_equal(plan->count, 3);
	assert_string_equal(plan->target[0].point, "/");
	assert_string_equal(plan->target[0].fstype, "overlay");
	assert_int_equal(plan->target[0].device, mark_plan_device(0, 70));
	/* The bind mount of the same tmpfs adds nothing: a mark covers the superblock. */
	assert_string_equal(plan->target[1].point, "/tmp");
	assert_string_equal(plan->target[2].point, "/etc/hosts");
	assert_true(mark_plan_has(plan, mark_plan_device(8, 1)));
	assert_false(mark_plan_has(plan, mark_plan_device(0, 71)));
	/* Both FUSE mounts are left out and counted; the first is named, unescaped. */
	assert_int_equal(plan->fuse, 2);
	assert_string_equal(plan->fuse_point, "/mnt/f x");
	assert_int_equal(plan->known, 0);
	free(plan);
}

static bool host_has_sda1(uint32_t device, void *ctx)
{
	(*(int *)ctx)++;
	return device == mark_plan_device(8, 1);
}

static void test_known_elsewhere(void **state)
{
	int asked = 0;
	struct mark_plan *plan = plan_of(host_has_sda1, &asked);

	(void)state;
	assert_int_equal(plan->count, 2);
	assert_false(mark_plan_has(plan, mark_plan_device(8, 1)));
	assert_int_equal(plan->known, 1);
	/* Asked once per new superblock: not for pseudo filesystems, FUSE or a repeat. */
	assert_int_equal(asked, 3);
	free(plan);
}

static void test_bounded(void **state)
{
	struct mark_plan *plan = malloc(sizeof(*plan));
	char line[128];

	(void)state;
	assert_non_null(plan);
	mark_plan_init(plan);
	for (unsigned int i = 0; i < MARK_PLAN_MAX + 5; i++) {
		snprintf(line, sizeof(line), "%u 1 0:%u / /m%u rw - tmpfs tmpfs rw", 100 + i,
			 1000 + i, i);
		mark_plan_add(plan, line, NULL, NULL);
	}
	assert_int_equal(plan->count, MARK_PLAN_MAX);
	assert_int_equal(plan->too_many, 5);
	free(plan);
}

static void test_fuse_names(void **state)
{
	(void)state;
	assert_true(mark_pick_fuse("fuse"));
	assert_true(mark_pick_fuse("fuseblk"));
	assert_true(mark_pick_fuse("fuse.sshfs"));
	assert_false(mark_pick_fuse("fusectl"));
	assert_false(mark_pick_fuse("tmpfs"));
}

static pid_t pid_of(const char *line)
{
	return mark_record_pid(line, strlen(line));
}

static void test_record_pid(void **state)
{
	(void)state;
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:1): op=set opid=4242 contid=7 "
				"old-contid=-1 res=1\n"),
			 4242);
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:2): op=join opid=17 contid=7"),
			 17);
	assert_int_equal(pid_of("type=CONTAINER_NS msg=audit(1.000:3): op=unshare opid=99 contid=7 "
				"mnt=4026532173"),
			 99);
	/* Not a process entering a namespace: a drop, a refused fork, another record type. */
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:4): op=drop opid=5 contid=7"),
			 0);
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:5): op=fork opid=5 contid=7"),
			 0);
	assert_int_equal(pid_of("type=CONTAINER_ID msg=audit(1.000:6): op=set opid=5 contid=7"), 0);
	/* Malformed or out of range pids. */
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:7): op=set opid=x contid=7"), 0);
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:8): op=set opid=0 contid=7"), 0);
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:9): op=set opid=99999999 c"), 0);
	assert_int_equal(pid_of("type=CONTAINER_OP msg=audit(1.000:9): op=set opid=12"), 0);
	assert_int_equal(pid_of("type=CONTAINER_OP"), 0);
}

/* The host mount exemption's targets: every mount of a marked filesystem, bind mounts apart. */
static void test_ignore_every_mount(void **state)
{
	struct mark_plan *plan = malloc(sizeof(*plan));

	(void)state;
	assert_non_null(plan);
	mark_plan_init(plan);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		mark_plan_add_ignore(plan, table[i]);
	/* overlay, tmpfs and its bind, ext4; not proc, FUSE or the line that does not parse. */
	assert_int_equal(plan->ignore_count, 4);
	assert_string_equal(plan->ignore[0], "/");
	assert_string_equal(plan->ignore[1], "/tmp");
	assert_string_equal(plan->ignore[2], "/mnt/again");
	assert_string_equal(plan->ignore[3], "/etc/hosts");
	/* Beyond the bound: counted, not added (those mounts keep their events). */
	plan->ignore_count = MARK_PLAN_MAX;
	assert_false(mark_plan_add_ignore(plan, table[2]));
	assert_int_equal(plan->ignore_too_many, 1);
	/* A new plan starts empty. */
	mark_plan_init(plan);
	assert_int_equal(plan->ignore_count, 0);
	assert_int_equal(plan->ignore_too_many, 0);
	free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_per_superblock),
		cmocka_unit_test(test_known_elsewhere),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_fuse_names),
		cmocka_unit_test(test_record_pid),
		cmocka_unit_test(test_ignore_every_mount),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
