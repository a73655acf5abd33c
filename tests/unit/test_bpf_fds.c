// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: BPF objects named by /proc/PID/fd links and fdinfo (identity/bpf_fds.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "identity/bpf_fds.h"

#include <canister/abi.h>
#include <errno.h>

static void test_kind(void **state)
{
	assert_int_equal(bpf_fd_kind("anon_inode:bpf-map"), CANISTER_GUARDED_MAP);
	assert_int_equal(bpf_fd_kind("anon_inode:bpf-prog"), CANISTER_GUARDED_PROG);
	assert_int_equal(bpf_fd_kind("anon_inode:bpf_link"), CANISTER_GUARDED_LINK);
	assert_int_equal(bpf_fd_kind("anon_inode:bpf-token"), 0);
	assert_int_equal(bpf_fd_kind("anon_inode:bpf-map2"), 0);
	/* A file may be named so: only the anonymous inode's name counts. */
	assert_int_equal(bpf_fd_kind("/tmp/anon_inode:bpf-map"), 0);
	assert_int_equal(bpf_fd_kind("socket:[1234]"), 0);
}

/* As 6.18 prints them. */
static const char map_info[] = "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t1063\n"
			       "map_type:\t1\nkey_size:\t4\nvalue_size:\t16\nmax_entries:\t32768\n"
			       "map_flags:\t0x1\nmap_extra:\t0x0\nmemlock:\t0\nmap_id:\t812\n"
			       "frozen:\t0\n";
static const char prog_info[] = "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t1063\n"
				"prog_type:\t26\nprog_jited:\t1\nprog_tag:\t0123456789abcdef\n"
				"memlock:\t4096\nprog_id:\t99\nrun_time_ns:\t0\nrun_cnt:\t0\n";
static const char link_info[] =
	"pos:\t0\nflags:\t02000000\nmnt_id:\t16\nino:\t1063\n"
	"link_type:\ttracing\nlink_id:\t4294967295\nprog_tag:\tx\nprog_id:\t7\n";

static void test_id(void **state)
{
	uint32_t id = 0;

	assert_int_equal(bpf_fd_id(map_info, CANISTER_GUARDED_MAP, &id), 0);
	assert_int_equal(id, 812);
	assert_int_equal(bpf_fd_id(prog_info, CANISTER_GUARDED_PROG, &id), 0);
	assert_int_equal(id, 99);
	/* A link's fdinfo names its program too: the link's own id is the one. */
	assert_int_equal(bpf_fd_id(link_info, CANISTER_GUARDED_LINK, &id), 0);
	assert_true(id == 4294967295u);
	assert_int_equal(bpf_fd_id(link_info, CANISTER_GUARDED_PROG, &id), 0);
	assert_int_equal(id, 7);
	/* Missing, malformed, or of another kind. */
	assert_int_equal(bpf_fd_id(map_info, CANISTER_GUARDED_LINK, &id), -ENOENT);
	assert_int_equal(bpf_fd_id("map_id:\tx\n", CANISTER_GUARDED_MAP, &id), -ENOENT);
	assert_int_equal(bpf_fd_id("map_id:\t12x\n", CANISTER_GUARDED_MAP, &id), -ENOENT);
	assert_int_equal(bpf_fd_id("map_id:\t4294967296\n", CANISTER_GUARDED_MAP, &id), -ENOENT);
	assert_int_equal(bpf_fd_id("map_id:\t5", CANISTER_GUARDED_MAP, &id), 0);
	assert_int_equal(id, 5);
	assert_int_equal(bpf_fd_id("", CANISTER_GUARDED_MAP, &id), -ENOENT);
	assert_int_equal(bpf_fd_id(map_info, 9, &id), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
