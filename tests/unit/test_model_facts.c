// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister unit tests: what model_facts reads of a live process.  An exec
 * the gate never saw (a memfd's) stays unseen when the process's first
 * event was judged first, its TASK_ID derived from /proc (host 162 failed
 * on the CI so: canisterd judged the program's capable event before it read
 * identity's exec event, and the exec was neither recorded nor untrusted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/facts.h"
#include "model/task_ids.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONTID 9

/*
 * A child running /bin/sleep from a memfd, its exec done: the write end of a
 * close-on-exec pipe is closed by the exec, so the read gets its end.
 */
static pid_t memfd_sleeper(void)
{
	int pipefd[2], fd, src;
	struct stat st;
	char byte;
	pid_t pid;

	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	src = open("/bin/sleep", O_RDONLY | O_CLOEXEC);
	assert_true(src >= 0);
	assert_int_equal(fstat(src, &st), 0);
	fd = memfd_create("facts-sleeper", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(sendfile(fd, src, NULL, (size_t)st.st_size), st.st_size);
	close(src);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *const argv[] = { "sleep", "60", NULL };
		char *const envp[] = { NULL };

		fexecve(fd, argv, envp);
		_exit(127);
	}
	close(fd);
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &byte, 1), 0);
	close(pipefd[0]);
	return pid;
}

static void test_memfd_exec_unseen_after_derived(void **state)
{
	uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE];
	uint64_t start_time;
	pid_t pid = memfd_sleeper();

	(void)state;
	/* Its first event judged before the exec event: the TASK_ID derived from /proc. */
	assert_int_equal(model_facts_task(pid, CONTID, &start_time, task_id), 0);
	assert_int_equal(model_facts_exec_unseen(pid, CONTID), 1);
	/* Each exec event asks once: asked again, the answer is the same. */
	assert_int_equal(model_facts_exec_unseen(pid, CONTID), 1);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	/* Gone: an error, not an exec taken for unseen. */
	assert_true(model_facts_exec_unseen(pid, CONTID) < 0);
	model_task_ids_clear();
}

/* An executable with links is on a filesystem the gate may watch: never taken for unseen. */
static void test_linked_exec_not_unseen(void **state)
{
	(void)state;
	assert_int_equal(model_facts_exec_unseen(getpid(), CONTID), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memfd_exec_unseen_after_derived),
		cmocka_unit_test(test_linked_exec_not_unseen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
