// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the runtime's init phase of a runc container's model, and its wire member.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/domains.h"
#include "model/runtime_init.h"

#include <errno.h>
#include <string.h>

/* runc init: pid 40, started at tick 500, running the memfd copy of runc (dev 1, inode 7). */
#define INIT 40
#define START 500
#define RUNC_DEV 1, 7
#define SH_DEV 8, 12   /* the container's /bin/sh */
#define LD_DEV 8, 13   /* its ELF interpreter */
#define PROG_DEV 8, 14 /* another program of the container */

static struct model_runtime_init runc_init(void)
{
	return (struct model_runtime_init){
		.tgid = INIT, .start_time = START, .exe_dev = 1, .exe_ino = 7
	};
}

/* runc's own steps, its exec of the configured process and that exec's interpreter: exempt. */
static void test_runtime_steps(void **state)
{
	struct model_runtime_init init = runc_init();

	(void)state;
	assert_true(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, false, 0, 0, 100));
	assert_true(model_runtime_init_observed(&init, INIT, RUNC_DEV, 150));
	assert_true(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, true, SH_DEV, 200));
	assert_true(init.executed);
	assert_int_equal(init.over_monotonic_ns, 0);
	/* The same execve opens the interpreter: still runc's executable. */
	assert_true(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, true, LD_DEV, 210));
	/* runc's other threads run on while the exec waits for the gate. */
	assert_true(model_runtime_init_observed(&init, INIT, RUNC_DEV, 220));
	/* The workload runs: its first event ends the phase. */
	assert_false(model_runtime_init_gate(&init, INIT, START, SH_DEV, false, 0, 0, 300));
	assert_int_equal(init.over_monotonic_ns, 300);
	assert_false(model_runtime_init_gate(&init, INIT, START, SH_DEV, true, PROG_DEV, 310));
	/* A record read late, of an event before, is runc's whenever it is read. */
	assert_true(model_runtime_init_observed(&init, INIT, RUNC_DEV, 220));
	assert_false(model_runtime_init_observed(&init, INIT, SH_DEV, 250));
	assert_false(model_runtime_init_observed(&init, INIT, SH_DEV, 301));
}

/* Nobody but the registered init is ever exempt: a child, a reused pid, another executable. */
static void test_only_the_init(void **state)
{
	struct model_runtime_init init = runc_init();

	(void)state;
	assert_false(model_runtime_init_gate(&init, INIT + 1, START, RUNC_DEV, false, 0, 0, 100));
	assert_false(model_runtime_init_observed(&init, INIT + 1, RUNC_DEV, 100));
	assert_false(model_runtime_init_gate(&init, INIT, START + 1, RUNC_DEV, false, 0, 0, 100));
	assert_int_equal(init.over_monotonic_ns, 0);
	assert_false(model_runtime_init_observed(&init, INIT, SH_DEV, 100));
}

/*
 * The attack: the workload, as the init, executes the runtime's executable
 * again to be unmodelled.  That exec is made while it runs the workload: it is
 * judged, and the phase is over for good, so what the runtime's executable
 * does then is modelled too.
 */
static void test_no_way_back(void **state)
{
	struct model_runtime_init init = runc_init();

	(void)state;
	assert_true(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, true, SH_DEV, 200));
	assert_false(model_runtime_init_gate(&init, INIT, START, SH_DEV, true, RUNC_DEV, 300));
	assert_int_equal(init.over_monotonic_ns, 300);
	assert_false(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, false, 0, 0, 400));
	assert_false(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, true, LD_DEV, 410));
	assert_false(model_runtime_init_observed(&init, INIT, RUNC_DEV, 420));
}

/* A configured process that is the runtime's executable itself: its first exec is the last step. */
static void test_workload_is_the_runtime(void **state)
{
	struct model_runtime_init init = runc_init();

	(void)state;
	assert_true(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, true, RUNC_DEV, 200));
	assert_int_equal(init.over_monotonic_ns, 200);
	assert_false(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, false, 0, 0, 300));
	assert_true(model_runtime_init_observed(&init, INIT, RUNC_DEV, 150));
	assert_false(model_runtime_init_observed(&init, INIT, RUNC_DEV, 250));
}

/* An exec the gate never saw (an unwatched filesystem): the next event ends the phase. */
static void test_exec_unseen(void **state)
{
	struct model_runtime_init init = runc_init();

	(void)state;
	assert_false(model_runtime_init_gate(&init, INIT, START, SH_DEV, false, 0, 0, 300));
	assert_true(model_runtime_init_observed(&init, INIT, RUNC_DEV, 150));
	assert_false(model_runtime_init_observed(&init, INIT, RUNC_DEV, 350));
	assert_false(model_runtime_init_gate(&init, INIT, START, RUNC_DEV, true, SH_DEV, 400));
}

/* A domain made with its runtime's init keeps the phase; one made without has none. */
static void test_domain(void **state)
{
	struct model_runtime_init init = runc_init();
	pid_t tgid = 0;

	(void)state;
	assert_int_equal(model_domains_add(44, NULL, MODEL_MODE_LEARN, &init), 0);
	assert_int_equal(model_domains_init_tgid(44, &tgid), 0);
	assert_int_equal(tgid, INIT);
	assert_true(model_domains_init_gate(44, INIT, START, RUNC_DEV, true, SH_DEV, 200));
	assert_false(model_domains_init_gate(44, INIT, START, SH_DEV, false, 0, 0, 300));
	assert_int_equal(model_domains_init_tgid(44, &tgid), -ENOENT);
	assert_true(model_domains_init_observed(44, INIT, RUNC_DEV, 250));
	assert_false(model_domains_init_observed(44, INIT, RUNC_DEV, 350));
	assert_int_equal(model_domains_add(45, NULL, MODEL_MODE_LEARN, NULL), 0);
	assert_int_equal(model_domains_init_tgid(45, &tgid), -ENOENT);
	assert_false(model_domains_init_gate(45, INIT, START, RUNC_DEV, false, 0, 0, 100));
	assert_false(model_domains_init_observed(45, INIT, RUNC_DEV, 100));
	assert_false(model_domains_init_gate(46, INIT, START, RUNC_DEV, false, 0, 0, 100));
	model_domains_clear();
}

/* The phase as kept with the domain: printed and read back whole; bad lines refused by name. */
static void test_kept(void **state)
{
	struct model_runtime_init init = { .tgid = 4242,
					   .start_time = 123456,
					   .exe_dev = 2049,
					   .exe_ino = 77,
					   .executed = true,
					   .over_monotonic_ns = 18446744073709551615ULL },
				  back, untouched = { .tgid = 9 };
	char line[MODEL_RUNTIME_INIT_TEXT_MAX + 1], why[256];
	int len;

	(void)state;
	len = model_runtime_init_print(&init, line, sizeof(line));
	assert_true(len > 0);
	assert_string_equal(line, "runtime-init 1 4242 123456 2049 77 1 18446744073709551615\n");
	assert_int_equal(model_runtime_init_parse(line, (size_t)len, &back, why, sizeof(why)), 0);
	assert_int_equal(back.tgid, init.tgid);
	assert_int_equal(back.start_time, init.start_time);
	assert_int_equal(back.exe_dev, init.exe_dev);
	assert_int_equal(back.exe_ino, init.exe_ino);
	assert_true(back.executed);
	assert_int_equal(back.over_monotonic_ns, init.over_monotonic_ns);
	assert_int_equal(model_runtime_init_print(&init, line, 10), -ENOSPC);

	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "runtime-init 2 1 2 3 4 0 0\n", "not a \"runtime-init 1\" line" },
		{ "runtime-init 1 0 2 3 4 0 0\n", "TGID is not a pid" },
		{ "runtime-init 1 2147483648 2 3 4 0 0\n", "TGID is not a pid" },
		{ "runtime-init 1 1 -2 3 4 0 0\n", "START_TIME is not a decimal number" },
		{ "runtime-init 1 1 02 3 4 0 0\n", "START_TIME is not a decimal number" },
		{ "runtime-init 1 1 2 18446744073709551616 4 0 0\n",
		  "EXE_DEV is not a decimal number" },
		{ "runtime-init 1 1 2 3 4 2 0\n", "EXECUTED is not 0 or 1" },
		{ "runtime-init 1 1 2 3 4 0\n", "ENDED_NS is missing" },
		{ "runtime-init 1 1 2 3 4 0 0", "ENDED_NS is not a decimal number" },
		{ "runtime-init 1 1 2 3 4 0 0 7\n", "more than six fields" },
		{ "runtime-init 1 1 2 3 4 0 0\n\n", "more than one line" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		back = untouched;
		assert_int_equal(model_runtime_init_parse(bad[i].text, strlen(bad[i].text), &back,
							  why, sizeof(why)),
				 -EINVAL);
		assert_string_equal(why, bad[i].why);
		assert_int_equal(back.tgid, untouched.tgid); /* written only on success */
	}
	memset(line, '1', sizeof(line));
	assert_int_equal(model_runtime_init_parse(line, sizeof(line), &back, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "longer than 128 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtime_steps),
		cmocka_unit_test(test_only_the_init),
		cmocka_unit_test(test_no_way_back),
		cmocka_unit_test(test_workload_is_the_runtime),
		cmocka_unit_test(test_exec_unseen),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
