// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: which mounts expose canister's pins, from mountinfo (lib/mountinfo.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/mountinfo.h"

#include <errno.h>
#include <string.h>

static void test_parse(void **state)
{
	struct mountinfo_entry entry;

	assert_int_equal(mountinfo_parse("36 25 0:32 / /sys/fs/bpf rw,nosuid,nodev,noexec,relatime "
					 "shared:14 - bpf bpf rw,mode=700\n",
					 &entry),
			 0);
	assert_int_equal(entry.major, 0);
	assert_int_equal(entry.minor, 32);
	assert_string_equal(entry.root, "/");
	assert_string_equal(entry.point, "/sys/fs/bpf");
	assert_string_equal(entry.fstype, "bpf");
	assert_false(entry.read_only);

	/* No optional field; escapes (a space, a backslash) undone; no newline. */
	assert_int_equal(
		mountinfo_parse("71 48 259:3 /a\\040dir /mnt/x\\134y rw - ext4 /dev/x rw", &entry),
		0);
	assert_int_equal(entry.major, 259);
	assert_string_equal(entry.root, "/a dir");
	assert_string_equal(entry.point, "/mnt/x\\y");
	assert_string_equal(entry.fstype, "ext4");

	/* Several optional fields. */
	assert_int_equal(mountinfo_parse("1 2 0:5 / /p rw shared:1 master:2 propagate_from:3 - "
					 "fuse.stall stall rw",
					 &entry),
			 0);
	assert_string_equal(entry.fstype, "fuse.stall");

	/* A read-only mount: its own options say "ro" (a superblock's "ro" is not the mount's). */
	assert_int_equal(mountinfo_parse("1 2 0:5 / /p ro,nosuid - cgroup cgroup rw,pids", &entry),
			 0);
	assert_true(entry.read_only);
	assert_int_equal(mountinfo_parse("1 2 0:5 / /p ro - cgroup cgroup rw,pids", &entry), 0);
	assert_true(entry.read_only);
	assert_int_equal(mountinfo_parse("1 2 0:5 / /p rw - cgroup cgroup ro,pids", &entry), 0);
	assert_false(entry.read_only);
	assert_int_equal(mountinfo_parse("1 2 0:5 / /p rox - cgroup cgroup rw", &entry), 0);
	assert_false(entry.read_only);
}

static void test_parse_malformed(void **state)
{
	struct mountinfo_entry entry;

	assert_int_equal(mountinfo_parse("", &entry), -EPROTO);
	assert_int_equal(mountinfo_parse("36 25 0:32 / /sys/fs/bpf rw shared:14\n", &entry),
			 -EPROTO);
	assert_int_equal(mountinfo_parse("36 25 0-32 / /p rw - bpf bpf rw", &entry), -EPROTO);
	assert_int_equal(mountinfo_parse("36 25 0:32x / /p rw - bpf bpf rw", &entry), -EPROTO);
	assert_int_equal(mountinfo_parse("36 25 0:32 rel /p rw - bpf bpf rw", &entry), -EPROTO);
	assert_int_equal(mountinfo_parse("36 25 0:32 / /p rw -", &entry), -EPROTO);
}

static void test_super_options(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(mountinfo_super_options("36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime "
						 "shared:9 - cgroup cgroup rw,freezer\n",
						 buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "rw,freezer");
	/* No optional field, no newline; printed as it is (escapes stay). */
	assert_int_equal(mountinfo_super_options("1 2 0:5 / /p rw - tmpfs a\\040b rw,x\\040y", buf,
						 sizeof(buf)),
			 0);
	assert_string_equal(buf, "rw,x\\040y");
	/* An overlay's options past the buffer; no options; no separator. */
	assert_int_equal(mountinfo_super_options("1 2 0:5 / /p rw - overlay overlay "
						 "rw,lowerdir=/a/very/long/lower/dir",
						 buf, sizeof(buf)),
			 -ENAMETOOLONG);
	assert_int_equal(
		mountinfo_super_options("1 2 0:5 / /p rw - cgroup cgroup", buf, sizeof(buf)),
		-EPROTO);
	assert_int_equal(
		mountinfo_super_options("1 2 0:5 / /p rw - cgroup cgroup \n", buf, sizeof(buf)),
		-EPROTO);
	assert_int_equal(
		mountinfo_super_options("1 2 0:5 / /p rw cgroup cgroup rw", buf, sizeof(buf)),
		-EPROTO);
}

static void test_within(void **state)
{
	assert_true(mountinfo_within("/a/b", "/"));
	assert_true(mountinfo_within("/", "/"));
	assert_true(mountinfo_within("/a/b", "/a"));
	assert_true(mountinfo_within("/a/b", "/a/b"));
	assert_true(mountinfo_within("/a/b/c", "/a/b/"));
	assert_false(mountinfo_within("/a/bc", "/a/b"));
	assert_false(mountinfo_within("/a", "/a/b"));
}

static struct mountinfo_entry mount(unsigned int major, unsigned int minor, const char *root,
				    const char *point)
{
	struct mountinfo_entry entry = { .major = major, .minor = minor };

	strcpy(entry.root, root);
	strcpy(entry.point, point);
	strcpy(entry.fstype, "bpf");
	return entry;
}

static void test_exposes(void **state)
{
	struct mountinfo_entry whole = mount(0, 32, "/", "/sys/fs/bpf");
	struct mountinfo_entry bound = mount(0, 32, "/canister", "/pins");
	struct mountinfo_entry sibling = mount(0, 32, "/other", "/pins");
	struct mountinfo_entry fresh = mount(0, 77, "/", "/sys/fs/bpf");

	assert_true(mountinfo_exposes(&whole, 0, 32, "/canister"));
	/* A bind mount of the pin directory itself, or of a parent. */
	assert_true(mountinfo_exposes(&bound, 0, 32, "/canister"));
	/* A sibling directory of the same bpffs, or another bpffs instance: nothing of canister's.
	 */
	assert_false(mountinfo_exposes(&sibling, 0, 32, "/canister"));
	assert_false(mountinfo_exposes(&fresh, 0, 32, "/canister"));
	/* A mount of a directory beneath the pins shows some pins, not the directory. */
	assert_false(mountinfo_exposes(&bound, 0, 32, "/"));
}

static void test_relative(void **state)
{
	struct mountinfo_entry whole = mount(0, 32, "/", "/sys/fs/bpf");
	struct mountinfo_entry bound = mount(0, 32, "/sub", "/pins");
	struct mountinfo_entry slash = mount(0, 32, "/", "/");
	char rel[64], tiny[4];

	assert_int_equal(mountinfo_relative(&whole, "/sys/fs/bpf/canister", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "/canister");
	assert_int_equal(mountinfo_relative(&whole, "/sys/fs/bpf", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "/");
	assert_int_equal(mountinfo_relative(&bound, "/pins/c", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "/sub/c");
	assert_int_equal(mountinfo_relative(&bound, "/pins", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "/sub");
	assert_int_equal(mountinfo_relative(&slash, "/x/y", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "/x/y");
	assert_int_equal(mountinfo_relative(&whole, "/sys/fs/bpfx", rel, sizeof(rel)), -EINVAL);
	assert_int_equal(mountinfo_relative(&whole, "/sys/fs/bpf/canister", tiny, sizeof(tiny)),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),	 cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_within),	 cmocka_unit_test(test_exposes),
		cmocka_unit_test(test_relative), cmocka_unit_test(test_super_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
