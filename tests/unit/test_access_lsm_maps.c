// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a held access policy as the BPF LSM maps hold it (access/lsm_maps.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/lsm_maps.h"

#include <stdlib.h>
#include <string.h>

#define CAP_CHOWN 0
#define CAP_NET_RAW 13
#define CAP_SYS_ADMIN 21
#define CAP_CHECKPOINT_RESTORE 40

static struct canister_access_policy *parse_ok(const char *text)
{
	struct canister_access_policy *policy = NULL;
	char why[512] = "";

	if (canister_access_policy_parse(text, strlen(text), "test", &policy, why, sizeof(why)))
		fail_msg("policy refused: %s\n%s", why, text);
	return policy;
}

/* The mode, the handled rights and the bound, as dropped bits: kept ones are never refused. */
static void test_policy_value(void **state)
{
	struct canister_access_policy *policy =
		parse_ok("net handle bind,connect\ncapability drop CAP_NET_RAW,CAP_SYS_ADMIN\n");
	struct canister_access_lsm_policy value;

	(void)state;
	access_lsm_policy_value(policy, CANISTER_ACCESS_ENFORCE, &value);
	assert_int_equal(value.mode, CANISTER_ACCESS_LSM_ENFORCE);
	assert_int_equal(value.net_handled, CANISTER_ACCESS_LSM_BIND | CANISTER_ACCESS_LSM_CONNECT);
	assert_true(value.cap_dropped ==
		    ((UINT64_C(1) << CAP_NET_RAW) | (UINT64_C(1) << CAP_SYS_ADMIN)));
	access_lsm_policy_value(policy, CANISTER_ACCESS_COMPLAIN, &value);
	assert_int_equal(value.mode, CANISTER_ACCESS_LSM_COMPLAIN);
	canister_access_policy_free(policy);

	/* A keep-list drops everything else the bound can name, nothing past CAP_LAST. */
	policy = parse_ok("capability keep CAP_CHOWN\n");
	access_lsm_policy_value(policy, CANISTER_ACCESS_ENFORCE, &value);
	assert_int_equal(value.net_handled, 0);
	assert_false(value.cap_dropped & (UINT64_C(1) << CAP_CHOWN));
	assert_true(value.cap_dropped & (UINT64_C(1) << CAP_CHECKPOINT_RESTORE));
	assert_false(value.cap_dropped >> (CAP_CHECKPOINT_RESTORE + 1));
	canister_access_policy_free(policy);

	/* Nothing handled, nothing dropped: an entry that refuses nothing. */
	policy = parse_ok("fs handle read\nfs allow read beneath /\n");
	access_lsm_policy_value(policy, CANISTER_ACCESS_ENFORCE, &value);
	assert_int_equal(value.net_handled, 0);
	assert_true(value.cap_dropped == 0);
	canister_access_policy_free(policy);
}

/* Every range of a right, its ends included, and nothing of the other right's. */
static void test_ports(void **state)
{
	struct canister_access_policy *policy =
		parse_ok("net handle bind,connect\nnet allow connect 8080\nnet allow connect "
			 "63-65\nnet allow bind,connect 65535\nnet allow bind 0-1\n");
	struct canister_access_lsm_ports *ports = malloc(sizeof(*ports));
	unsigned int granted = 0;

	(void)state;
	assert_non_null(ports);
	access_lsm_ports(policy, CANISTER_ACCESS_NET_CONNECT, ports);
	for (unsigned int port = 0; port <= 65535; port++)
		granted += access_lsm_port_granted(ports, (uint16_t)port);
	assert_int_equal(granted, 5);
	assert_true(access_lsm_port_granted(ports, 8080));
	assert_false(access_lsm_port_granted(ports, 8081));
	assert_false(access_lsm_port_granted(ports, 62));
	assert_true(access_lsm_port_granted(ports, 63));
	assert_true(access_lsm_port_granted(ports, 64)); /* across a word */
	assert_true(access_lsm_port_granted(ports, 65));
	assert_true(access_lsm_port_granted(ports, 65535));
	assert_false(access_lsm_port_granted(ports, 0));
	/* As BPF reads it: word port / 64, bit port % 64. */
	assert_true(ports->words[8080 / 64] == UINT64_C(1) << (8080 % 64));

	access_lsm_ports(policy, CANISTER_ACCESS_NET_BIND, ports);
	assert_true(access_lsm_port_granted(ports, 0));
	assert_true(access_lsm_port_granted(ports, 1));
	assert_true(access_lsm_port_granted(ports, 65535));
	assert_false(access_lsm_port_granted(ports, 8080));
	canister_access_policy_free(policy);

	/* Handled with no grant: an empty bitmap, every port refused. */
	policy = parse_ok("net handle bind\n");
	access_lsm_ports(policy, CANISTER_ACCESS_NET_BIND, ports);
	for (unsigned int i = 0; i < CANISTER_ACCESS_LSM_PORT_WORDS; i++)
		assert_true(ports->words[i] == 0);
	canister_access_policy_free(policy);

	/* The whole range: every bit. */
	policy = parse_ok("net handle connect\nnet allow connect 0-65535\n");
	access_lsm_ports(policy, CANISTER_ACCESS_NET_CONNECT, ports);
	for (unsigned int i = 0; i < CANISTER_ACCESS_LSM_PORT_WORDS; i++)
		assert_true(ports->words[i] == UINT64_MAX);
	canister_access_policy_free(policy);
	free(ports);
}

/*
 * The rule paths BPF LSM binds: one entry a path naming create or remove,
 * an allow and a deny line on one path merged; other rights' paths left out.
 */
static void test_fs_paths(void **state)
{
	struct canister_access_policy *policy = parse_ok(
		"fs handle read,create,remove\nfs allow create,remove beneath /work\n"
		"fs deny create beneath /work/locked\nfs allow remove beneath /work/locked\n"
		"fs allow read beneath /usr\n");
	struct access_lsm_fs_path paths[8];
	struct canister_access_lsm_policy value;
	size_t n;

	(void)state;
	access_lsm_policy_value(policy, CANISTER_ACCESS_ENFORCE, &value);
	assert_int_equal(value.fs_handled, CANISTER_ACCESS_LSM_CREATE | CANISTER_ACCESS_LSM_REMOVE);
	assert_true(policy->fs_count <= 8);
	n = access_lsm_fs_paths(policy, paths);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(paths[i].path, "/work")) {
			assert_int_equal(paths[i].allowed,
					 CANISTER_ACCESS_LSM_CREATE | CANISTER_ACCESS_LSM_REMOVE);
			assert_int_equal(paths[i].denied, 0);
		} else {
			assert_string_equal(paths[i].path, "/work/locked");
			assert_int_equal(paths[i].path_len, strlen("/work/locked"));
			assert_int_equal(paths[i].allowed, CANISTER_ACCESS_LSM_REMOVE);
			assert_int_equal(paths[i].denied, CANISTER_ACCESS_LSM_CREATE);
		}
	}
	canister_access_policy_free(policy);

	/* A policy that handles neither binds nothing, whatever its paths. */
	policy = parse_ok("fs handle write\nfs allow write beneath /srv\n");
	access_lsm_policy_value(policy, CANISTER_ACCESS_ENFORCE, &value);
	assert_int_equal(value.fs_handled, 0);
	assert_int_equal(access_lsm_fs_paths(policy, paths), 0);
	canister_access_policy_free(policy);

	/* Handled and granted nowhere: no path, every create refused. */
	policy = parse_ok("fs handle create\n");
	access_lsm_policy_value(policy, CANISTER_ACCESS_ENFORCE, &value);
	assert_int_equal(value.fs_handled, CANISTER_ACCESS_LSM_CREATE);
	assert_int_equal(access_lsm_fs_paths(policy, paths), 0);
	canister_access_policy_free(policy);
}

/* A report's path as the record names it: innermost first in the report, outermost first here. */
static void test_fs_target(void **state)
{
	struct canister_access_lsm_fs_report rep;
	char buf[CANISTER_ACCESS_LSM_FS_PARTS * (CANISTER_ACCESS_LSM_FS_PART_BYTES + 1) + 8];

	(void)state;
	memset(&rep, 0, sizeof(rep));
	strcpy(rep.names[0], "x");
	strcpy(rep.names[1], "vm113");
	strcpy(rep.names[2], "srv");
	rep.parts = 3;
	rep.whole = 1;
	access_lsm_fs_target(&rep, buf, sizeof(buf));
	assert_string_equal(buf, "/srv/vm113/x");

	/* Deeper than the parts: said, not guessed. */
	rep.whole = 0;
	access_lsm_fs_target(&rep, buf, sizeof(buf));
	assert_string_equal(buf, ".../srv/vm113/x");

	/* The root itself (a rename of a mount's root is refused before, but a record is whole). */
	rep.parts = 0;
	rep.whole = 1;
	access_lsm_fs_target(&rep, buf, sizeof(buf));
	assert_string_equal(buf, "/");

	/* A count beyond the array (a report of another build) reads no further than it. */
	for (unsigned int i = 0; i < CANISTER_ACCESS_LSM_FS_PARTS; i++)
		strcpy(rep.names[i], "d");
	rep.parts = 1000;
	access_lsm_fs_target(&rep, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 2 * CANISTER_ACCESS_LSM_FS_PARTS);

	/* A small buffer is cut, and terminated. */
	access_lsm_fs_target(&rep, buf, 5);
	assert_string_equal(buf, "/d/d");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_value),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_fs_paths),
		cmocka_unit_test(test_fs_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
