// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: who could change labels in trace mode, and why (identity/tamper.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "identity/tamper.h"
#include "lib/procfs.h"
#include "lib/status.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

#define BIT(cap) (1ULL << (cap))
/* Root's full set on this kernel's 41 capabilities. */
#define ALL_CAPS 0x000001ffffffffffULL
/* docker's default profile for root: no SYS_ADMIN, BPF, PTRACE or DAC_READ_SEARCH. */
static const uint64_t DOCKER_CAPS = BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FOWNER) |
				    BIT(CAP_FSETID) | BIT(CAP_KILL) | BIT(CAP_SETGID) |
				    BIT(CAP_SETUID) | BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE) |
				    BIT(CAP_NET_RAW) | BIT(CAP_SYS_CHROOT) | BIT(CAP_MKNOD) |
				    BIT(CAP_AUDIT_WRITE) | BIT(CAP_SETFCAP);

static const struct tamper_facts nobody = {
	.init_userns = true,
	.cap_bounding = ALL_CAPS,
	.uid = { 65534, 65534, 65534, 65534 },
};

static struct tamper_verdict classify(const struct tamper_facts *facts, uint64_t effective)
{
	struct tamper_verdict verdict;

	memset(&verdict, 0x5a, sizeof(verdict));
	tamper_classify(facts, effective, &verdict);
	return verdict;
}

static void test_unprivileged_user_cannot(void **state)
{
	struct tamper_verdict v = classify(&nobody, 0);

	assert_int_equal(v.reasons, 0);
	/* A bounding set is only a ceiling for exec: it gives nothing to a non-root uid. */
	assert_true(v.regained == 0);
}

/* The case status missed: effective cleared, permitted kept (setresuid with keepcaps). */
static void test_permitted_counts_not_only_effective(void **state)
{
	struct tamper_facts facts = nobody;
	struct tamper_verdict v;
	char text[CANISTER_STATUS_WHY_MAX + 1];

	facts.cap_permitted = ALL_CAPS;
	v = classify(&facts, 0);
	assert_int_equal(v.reasons, TAMPER_CAPS);
	assert_true(v.caps == tamper_deciding_caps());
	assert_false(v.effective);
	tamper_describe(&v, text, sizeof(text));
	assert_string_equal(text, "CAP_SYS_ADMIN,CAP_BPF,CAP_SYS_PTRACE,CAP_KILL,CAP_DAC_OVERRIDE,"
				  "CAP_FOWNER,CAP_CHOWN,CAP_SETUID,CAP_SYS_MODULE,CAP_SYS_RAWIO "
				  "permitted, not effective");

	facts.cap_permitted = BIT(CAP_BPF) | BIT(CAP_NET_ADMIN);
	v = classify(&facts, BIT(CAP_BPF));
	assert_int_equal(v.reasons, TAMPER_CAPS);
	assert_true(v.caps == BIT(CAP_BPF));
	assert_true(v.effective);
	tamper_describe(&v, text, sizeof(text));
	assert_string_equal(text, "CAP_BPF effective");
	facts.cap_permitted = BIT(CAP_BPF) | BIT(CAP_SYS_ADMIN);
	v = classify(&facts, BIT(CAP_BPF));
	tamper_describe(&v, text, sizeof(text));
	assert_string_equal(text, "CAP_SYS_ADMIN,CAP_BPF permitted, partly effective");

	/* Ambient ones are permitted too, and survive exec. */
	facts.cap_permitted = 0;
	facts.cap_ambient = BIT(CAP_SYS_PTRACE);
	assert_int_equal(classify(&facts, 0).reasons, TAMPER_CAPS);

	/* Capabilities that reach nothing of canister's. */
	facts.cap_ambient = 0;
	facts.cap_permitted = BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_NET_RAW) | BIT(CAP_SYS_CHROOT);
	assert_int_equal(classify(&facts, facts.cap_permitted).reasons, 0);
}

/* The case status missed: uid 0 holding no capability, the pins owned by root. */
static void test_uid0_without_caps(void **state)
{
	struct tamper_facts facts = nobody;
	struct tamper_verdict v;
	char text[CANISTER_STATUS_WHY_MAX + 1];

	memset(facts.uid, 0, sizeof(facts.uid));
	facts.cap_bounding = 0;
	facts.pin_reached = true;
	facts.pin_writable = true;
	v = classify(&facts, 0);
	assert_int_equal(v.reasons, TAMPER_UID0 | TAMPER_PINS);
	tamper_describe(&v, text, sizeof(text));
	assert_string_equal(text, "uid 0; pins writable");

	/* With a bounding set, exec gives root its capabilities back ... */
	facts.cap_bounding = DOCKER_CAPS;
	v = classify(&facts, 0);
	assert_int_equal(v.reasons, TAMPER_UID0 | TAMPER_PINS | TAMPER_EXEC_CAPS);
	assert_true(v.regained == (DOCKER_CAPS & tamper_deciding_caps()));
	tamper_describe(&v, text, sizeof(text));
	assert_string_equal(text, "uid 0; exec regains CAP_KILL,CAP_DAC_OVERRIDE,CAP_FOWNER,"
				  "CAP_CHOWN,CAP_SETUID; pins writable");
	/* ... unless no_new_privs caps it at what it has. */
	facts.no_new_privs = true;
	assert_int_equal(classify(&facts, 0).reasons, TAMPER_UID0 | TAMPER_PINS);

	/* A saved or filesystem uid 0 is as good: setresuid takes it back. */
	facts = nobody;
	facts.uid[TAMPER_SAVED] = 0;
	facts.cap_bounding = 0;
	assert_int_equal(classify(&facts, 0).reasons, TAMPER_UID0);
}

/* The false alarm: every capability, but in its own user namespace, mapped to an ordinary uid. */
static void test_caps_in_child_userns_do_not_count(void **state)
{
	struct tamper_facts facts = nobody;

	facts.init_userns = false;
	facts.cap_permitted = facts.cap_ambient = ALL_CAPS;
	facts.pin_reached = true;
	assert_int_equal(classify(&facts, ALL_CAPS).reasons, 0);

	/* uid 0 inside, but root's own uid outside (unshare -U -r by root): uid 0 counts. */
	memset(facts.uid, 0, sizeof(facts.uid));
	assert_int_equal(classify(&facts, ALL_CAPS).reasons, TAMPER_UID0);

	/* DAC capabilities of its namespace do reach pins whose owner it maps. */
	facts = nobody;
	facts.init_userns = false;
	facts.cap_permitted = BIT(CAP_DAC_OVERRIDE);
	facts.pin_reached = true;
	facts.pin_owner_mapped = true;
	assert_int_equal(classify(&facts, 0).reasons, TAMPER_PINS);
	/* ... but not pins it cannot reach from its root. */
	facts.pin_reached = false;
	assert_int_equal(classify(&facts, 0).reasons, 0);
}

static void test_pins_by_mode_or_dac_caps(void **state)
{
	struct tamper_facts facts = nobody;

	facts.pin_reached = true;
	assert_int_equal(classify(&facts, 0).reasons, 0);
	facts.pin_writable = true;
	assert_int_equal(classify(&facts, 0).reasons, TAMPER_PINS);
	facts.pin_writable = false;
	facts.cap_permitted = BIT(CAP_FOWNER);
	assert_int_equal(classify(&facts, 0).reasons, TAMPER_CAPS | TAMPER_PINS);
	/* Unreachable pins: only the capability remains. */
	facts.pin_reached = false;
	assert_int_equal(classify(&facts, 0).reasons, TAMPER_CAPS);
}

static void test_mode_bits(void **state)
{
	const uint32_t groups[] = { 10, 20 };

	/* Owner class decides for the owner, even when others would get more. */
	assert_true(tamper_mode_allows(0700, 0, 0, 0, 0, NULL, 0, 7));
	assert_false(tamper_mode_allows(0077, 0, 0, 0, 0, NULL, 0, 2));
	/* Group by fsgid or a supplementary group. */
	assert_true(tamper_mode_allows(0070, 0, 20, 1000, 1000, groups, 2, 2 | 1));
	assert_true(tamper_mode_allows(0070, 0, 1000, 1000, 1000, NULL, 0, 4));
	assert_false(tamper_mode_allows(0070, 0, 30, 1000, 1000, groups, 2, 4));
	/* Others. */
	assert_true(tamper_mode_allows(0755, 0, 0, 1000, 1000, groups, 2, 1));
	assert_false(tamper_mode_allows(0755, 0, 0, 1000, 1000, groups, 2, 2));
	assert_false(tamper_mode_allows(0700, 0, 0, 65534, 65534, NULL, 0, 1));
}

static void test_describe_cut(void **state)
{
	struct tamper_facts facts = nobody;
	struct tamper_verdict v;
	char small[12];
	size_t need;

	facts.cap_permitted = ALL_CAPS;
	v = classify(&facts, ALL_CAPS);
	memset(small, 'x', sizeof(small));
	need = tamper_describe(&v, small, sizeof(small) - 1);
	assert_true(need > sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 2);
	assert_int_equal(small[sizeof(small) - 1], 'x');
}

static const char status_text[] = "Name:\tsleep\n"
				  "Uid:\t0\t1000\t0\t1000\n"
				  "Gid:\t0\t0\t0\t0\n"
				  "Groups:\t4 24 27 \n"
				  "NoNewPrivs:\t1\n"
				  "CapInh:\t0000000000000000\n"
				  "CapPrm:\t000001ffffffffff\n"
				  "CapEff:\t0000000000000000\n"
				  "CapBnd:\t000001ffffffffff\n"
				  "CapAmb:\t0000000000200000\n";

static void test_proc_creds_parse(void **state)
{
	struct canister_proc_creds creds;
	char text[sizeof(status_text) + 64];

	assert_int_equal(canister_proc_creds_parse(status_text, &creds), 0);
	assert_true(creds.cap_permitted == ALL_CAPS && creds.cap_effective == 0);
	assert_true(creds.cap_ambient == BIT(CAP_SYS_ADMIN) && creds.cap_bounding == ALL_CAPS);
	assert_true(creds.uid[0] == 0 && creds.uid[1] == 1000 && creds.uid[3] == 1000);
	assert_int_equal(creds.group_count, 3);
	assert_true(creds.groups[2] == 27 && !creds.groups_cut);
	assert_true(creds.no_new_privs);

	/* Older kernels: no CapAmb, no NoNewPrivs; no supplementary groups. */
	assert_int_equal(canister_proc_creds_parse("Uid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\nGroups:\t\n"
						   "CapPrm:\t0\nCapEff:\t0\nCapBnd:\t3f\n",
						   &creds),
			 0);
	assert_true(creds.cap_ambient == 0 && !creds.no_new_privs && creds.group_count == 0);
	assert_true(creds.uid[3] == 4 && creds.gid[0] == 5);

	/* Malformed: refused, never half read. */
	assert_int_equal(canister_proc_creds_parse("Uid:\t1\t2\t3\nGid:\t0\t0\t0\t0\nGroups:\n"
						   "CapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\n",
						   &creds),
			 -EPROTO);
	snprintf(text, sizeof(text), "%s", status_text);
	memcpy(strstr(text, "CapPrm:\t0"), "CapPrm:\tz", 9);
	assert_int_equal(canister_proc_creds_parse(text, &creds), -EPROTO);
	assert_int_equal(canister_proc_creds_parse("Name:\tx\n", &creds), -EPROTO);
}

/* An fd held to canister's objects is a reason of its own, whatever else the process is. */
static void test_held_fds(void **state)
{
	struct tamper_facts facts = nobody;
	struct tamper_verdict verdict, other;
	char why[CANISTER_STATUS_WHY_MAX + 1];

	facts.held[0] = (struct tamper_held){ .kind = 1, .id = 12, .name = "labels" };
	facts.held_count = 1;
	verdict = classify(&facts, 0);
	assert_int_equal(verdict.reasons, TAMPER_HELD);
	tamper_describe(&verdict, why, sizeof(why));
	assert_string_equal(why, "holds map labels (id 12)");
	assert_int_not_equal(tamper_held_digest(&verdict), 0);

	facts.held[1] = (struct tamper_held){ .kind = 3, .id = 40, .name = "" };
	facts.held[2] = (struct tamper_held){ .kind = 2, .id = 7, .name = "label_fork" };
	facts.held_count = 3;
	facts.held_more = 2;
	facts.uid[TAMPER_EFFECTIVE] = 0;
	facts.no_new_privs = true;
	other = classify(&facts, 0);
	assert_int_equal(other.reasons, TAMPER_UID0 | TAMPER_HELD);
	tamper_describe(&other, why, sizeof(why));
	assert_string_equal(why, "uid 0; holds map labels (id 12), link (id 40), program "
				 "label_fork (id 7) and 2 more");
	/* Other objects held: another digest, so the holder is recorded again. */
	assert_int_not_equal(tamper_held_digest(&other), tamper_held_digest(&verdict));

	facts.held_count = 0;
	facts.held_more = 0;
	other = classify(&facts, 0);
	assert_int_equal(other.reasons & TAMPER_HELD, 0);
	assert_int_equal(tamper_held_digest(&other), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unprivileged_user_cannot),
		cmocka_unit_test(test_permitted_counts_not_only_effective),
		cmocka_unit_test(test_uid0_without_caps),
		cmocka_unit_test(test_caps_in_child_userns_do_not_count),
		cmocka_unit_test(test_pins_by_mode_or_dac_caps),
		cmocka_unit_test(test_mode_bits),
		cmocka_unit_test(test_describe_cut),
		cmocka_unit_test(test_proc_creds_parse),
		cmocka_unit_test(test_held_fds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
