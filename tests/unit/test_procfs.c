// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: facts read from /proc, checked against the test's own process and children.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Above any pid_max the kernel allows (2^22), so never a live process. */
#define NO_SUCH_PID INT_MAX

static const char status_text[] = "Name:\tcat\n"
				  "Umask:\t0022\n"
				  "State:\tS (sleeping)\n"
				  "Tgid:\t4321\n"
				  "Ngid:\t0\n"
				  "Pid:\t4325\n"
				  "PPid:\t1\n"
				  "CapEff:\t000001ffffffffff\n"
				  "Seccomp:\t2  \n"
				  "Cpus_allowed_list:\t0-3";

static void test_status_field_reads_values(void **state)
{
	char buf[64];

	assert_int_equal(canister_proc_status_field(status_text, "Tgid", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "4321");
	/* "Pid" must not match "PPid", nor "Tgid" a line that merely contains it. */
	assert_int_equal(canister_proc_status_field(status_text, "Pid", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "4325");
	assert_int_equal(canister_proc_status_field(status_text, "PPid", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1");
	/* Internal spaces stay, surrounding white space goes. */
	assert_int_equal(canister_proc_status_field(status_text, "State", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "S (sleeping)");
	assert_int_equal(canister_proc_status_field(status_text, "Seccomp", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2");
	/* The last line may lack its newline. */
	assert_int_equal(
		canister_proc_status_field(status_text, "Cpus_allowed_list", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0-3");
}

static void test_status_field_missing_key(void **state)
{
	char buf[16] = "untouched";

	assert_int_equal(canister_proc_status_field(status_text, "Uid", buf, sizeof(buf)), -ENOENT);
	/* A prefix of a key is not the key. */
	assert_int_equal(canister_proc_status_field(status_text, "Cap", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(canister_proc_status_field(status_text, "Tgid:", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(canister_proc_status_field("", "Tgid", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(
		canister_proc_status_field("Name:\tx\n Tgid:\t5\n", "Tgid", buf, sizeof(buf)),
		-ENOENT);
	assert_string_equal(buf, "untouched");
}

/* A value that does not fit is refused whole rather than cut into a different number. */
static void test_status_field_too_long(void **state)
{
	char buf[8] = "untouch";

	assert_int_equal(canister_proc_status_field(status_text, "CapEff", buf, 16), -ENAMETOOLONG);
	assert_int_equal(canister_proc_status_field(status_text, "Tgid", buf, 4), -ENAMETOOLONG);
	assert_string_equal(buf, "untouch");
	assert_int_equal(canister_proc_status_field(status_text, "Tgid", buf, 5), 0);
	assert_string_equal(buf, "4321");
}

static void test_tgid_of_self(void **state)
{
	pid_t tgid = 0;

	assert_int_equal(canister_proc_tgid(getpid(), &tgid), 0);
	assert_int_equal(tgid, getpid());
}

struct parked_thread {
	pthread_t thread;
	int ready[2];	/* the thread writes its tid (and child pid) here */
	int release[2]; /* the thread exits when this is closed */
	bool fork_child;
};

struct parked_report {
	pid_t tid;
	pid_t child;
};

/*
 * A child that waits for EOF on @release, then exits.  It keeps no other
 * descriptor: a copy of some other pipe's write end would keep that pipe open
 * and leave whoever waits on it hanging.
 */
static pid_t fork_waiting_child(int release[2])
{
	pid_t pid = fork();

	if (pid == 0) {
		char c;

		if (dup2(release[0], STDIN_FILENO) < 0)
			_exit(1);
		close_range(STDERR_FILENO + 1, ~0U, 0);
		(void)!read(STDIN_FILENO, &c, 1);
		_exit(0);
	}
	return pid;
}

static void *parked_main(void *arg)
{
	struct parked_thread *parked = arg;
	struct parked_report report = { .tid = gettid(), .child = 0 };
	int child_release[2];
	char c;

	if (parked->fork_child) {
		/* The child's release pipe is the thread's own, closed when the thread goes. */
		if (pipe(child_release) == 0) {
			report.child = fork_waiting_child(child_release);
			close(child_release[0]);
		}
	}
	(void)!write(parked->ready[1], &report, sizeof(report));
	(void)!read(parked->release[0], &c, 1);
	if (parked->fork_child)
		close(child_release[1]);
	return NULL;
}

static struct parked_report park_thread(struct parked_thread *parked, bool fork_child)
{
	struct parked_report report = { 0 };

	parked->fork_child = fork_child;
	assert_int_equal(pipe(parked->ready), 0);
	assert_int_equal(pipe(parked->release), 0);
	assert_int_equal(pthread_create(&parked->thread, NULL, parked_main, parked), 0);
	assert_int_equal(read(parked->ready[0], &report, sizeof(report)), sizeof(report));
	return report;
}

static void unpark_thread(struct parked_thread *parked)
{
	close(parked->release[1]);
	pthread_join(parked->thread, NULL);
	close(parked->release[0]);
	close(parked->ready[0]);
	close(parked->ready[1]);
}

/* The daemon labels thread groups; a thread id given by a user must resolve to its group. */
static void test_tgid_of_thread(void **state)
{
	struct parked_thread parked;
	struct parked_report report = park_thread(&parked, false);
	pid_t tgid = 0;
	int r;

	r = canister_proc_tgid(report.tid, &tgid);
	unpark_thread(&parked);
	assert_int_not_equal(report.tid, getpid());
	assert_int_equal(r, 0);
	assert_int_equal(tgid, getpid());
}

static void test_tgid_of_missing_process(void **state)
{
	pid_t tgid = 4242;

	assert_int_equal(canister_proc_tgid(NO_SUCH_PID, &tgid), -ESRCH);
	assert_int_equal(tgid, 4242);
}

/* CapEff as /proc shows it must equal what capget() reports for the same process. */
static void test_cap_effective_of_self(void **state)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	uint64_t caps = 0, expected;

	assert_int_equal(syscall(SYS_capget, &header, data), 0);
	expected = (uint64_t)data[1].effective << 32 | data[0].effective;
	assert_int_equal(canister_proc_cap_effective(getpid(), &caps), 0);
	assert_true(caps == expected);
}

static void test_cap_effective_of_missing_process(void **state)
{
	uint64_t caps = 4242;

	assert_int_equal(canister_proc_cap_effective(NO_SUCH_PID, &caps), -ESRCH);
	assert_true(caps == 4242);
}

static void test_own_userns(void **state)
{
	bool same = false;

	assert_int_equal(canister_proc_in_own_userns(getpid(), &same), 0);
	assert_true(same);
	same = false;
	assert_int_equal(canister_proc_in_own_userns(NO_SUCH_PID, &same), -ESRCH);
	assert_false(same);
}

/*
 * A process in a user namespace of its own can hold every capability there;
 * the daemon must see that it is not the initial namespace.
 */
static void test_child_in_new_userns_is_foreign(void **state)
{
	int ready[2], release[2];
	bool same = true;
	char unshared = 0;
	pid_t child;
	int r;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(release), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		char c = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';

		if (dup2(release[0], STDIN_FILENO) < 0 || dup2(ready[1], STDOUT_FILENO) < 0)
			_exit(1);
		close_range(STDERR_FILENO + 1, ~0U, 0);
		(void)!write(STDOUT_FILENO, &c, 1);
		(void)!read(STDIN_FILENO, &c, 1);
		_exit(0);
	}
	close(release[0]);
	close(ready[1]);
	assert_int_equal(read(ready[0], &unshared, 1), 1);
	r = canister_proc_in_own_userns(child, &same);
	close(release[1]);
	close(ready[0]);
	waitpid(child, NULL, 0);
	if (unshared != 'y')
		fail_msg(
			"unshare(CLONE_NEWUSER) failed in the child; user namespaces are disabled");
	assert_int_equal(r, 0);
	assert_false(same);
}

/* -EBUSY at registration rests on this: children present while they live, gone once reaped. */
static void test_has_children_before_and_after_fork(void **state)
{
	bool has_children = true;
	int release[2];
	pid_t child;
	int r;

	assert_int_equal(canister_proc_has_children(getpid(), &has_children), 0);
	assert_false(has_children);

	assert_int_equal(pipe(release), 0);
	child = fork_waiting_child(release);
	assert_true(child > 0);
	close(release[0]);
	r = canister_proc_has_children(getpid(), &has_children);
	close(release[1]);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(r, 0);
	assert_true(has_children);

	assert_int_equal(canister_proc_has_children(getpid(), &has_children), 0);
	assert_false(has_children);
}

static bool thread_lists_children(pid_t tid)
{
	char path[64], buf[64];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)getpid(), (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	got = read(fd, buf, sizeof(buf));
	close(fd);
	return got > 0;
}

/*
 * /proc lists a child under the thread that forked it.  A process whose main
 * thread has no children but another thread does still has children.
 */
static void test_has_children_sees_child_of_other_thread(void **state)
{
	struct parked_thread parked;
	struct parked_report report = park_thread(&parked, true);
	bool has_children = false, main_lists, thread_lists;
	int r;

	main_lists = thread_lists_children(getpid());
	thread_lists = thread_lists_children(report.tid);
	r = canister_proc_has_children(getpid(), &has_children);
	unpark_thread(&parked);
	if (report.child > 0)
		waitpid(report.child, NULL, 0);
	assert_true(report.child > 0);
	assert_false(main_lists);
	assert_true(thread_lists);
	assert_int_equal(r, 0);
	assert_true(has_children);
}

static void test_has_children_of_missing_process(void **state)
{
	assert_int_equal(canister_proc_has_children(NO_SUCH_PID, &(bool){ false }), -ESRCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_field_reads_values),
		cmocka_unit_test(test_status_field_missing_key),
		cmocka_unit_test(test_status_field_too_long),
		cmocka_unit_test(test_tgid_of_self),
		cmocka_unit_test(test_tgid_of_thread),
		cmocka_unit_test(test_tgid_of_missing_process),
		cmocka_unit_test(test_cap_effective_of_self),
		cmocka_unit_test(test_cap_effective_of_missing_process),
		cmocka_unit_test(test_own_userns),
		cmocka_unit_test(test_child_in_new_userns_is_foreign),
		cmocka_unit_test(test_has_children_before_and_after_fork),
		cmocka_unit_test(test_has_children_sees_child_of_other_thread),
		cmocka_unit_test(test_has_children_of_missing_process),
	};

	return cmocka_run_group_tests_name("procfs", tests, NULL, NULL);
}
