// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: tries to ptrace-attach to a process, as an attacker in a container would to canisterd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>

/* Prints "ok" (and detaches at once) or "refused: <errno text>". */
int main(int argc, char **argv)
{
	pid_t pid;

	if (argc != 2 || (pid = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: ptrace-attach PID\n");
		return 2;
	}
	/* PTRACE_SEIZE does not stop the target, so canisterd keeps serving during the test. */
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	printf("ok\n");
	return 0;
}
