// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: runs a command as another uid (and gid), as a container's unprivileged user would. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long uid;

	if (argc < 3 || (uid = strtol(argv[1], &end, 10)) < 0 || *end || uid > 65535) {
		fprintf(stderr, "usage: run-as UID CMD [ARG...]\n");
		return 2;
	}
	/* Groups first: once the uid is dropped, they can no longer be. */
	if (setgroups(0, NULL) < 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) < 0 ||
	    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0) {
		fprintf(stderr, "run-as: cannot become uid %ld: %s\n", uid, strerror(errno));
		return 125;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "run-as: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
