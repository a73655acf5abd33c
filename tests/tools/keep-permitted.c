// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: root that becomes UID keeping its capabilities permitted but not effective, then
 * waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/*
 * With PR_SET_KEEPCAPS, setresuid() from root to another uid clears the
 * effective set and keeps the permitted one: a process that looks harmless
 * in CapEff and raises any capability again with capset(2).  Writes its pid
 * to READY_FILE (opened while still root) and waits to be killed.
 */
int main(int argc, char **argv)
{
	char pid[32];
	uid_t uid;
	int fd, n;

	if (argc != 3) {
		fprintf(stderr, "usage: keep-permitted UID READY_FILE\n");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(0, NULL) < 0 ||
	    setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0) {
		fprintf(stderr, "keep-permitted: %s\n", strerror(errno));
		return 1;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (write(fd, pid, (size_t)n) != n) {
		fprintf(stderr, "keep-permitted: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	close(fd);
	for (;;)
		pause();
}
