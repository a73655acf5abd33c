// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: `model-cred STEP ARG... [STEP ARG...]...`: the steps
 * in order, each printing "STEP ARG: ok" or "STEP ARG: ERROR", stopping at
 * the first that fails; exits with its errno (0 when all passed).  Steps:
 * `mount DIR` (in a mount namespace of its own, made private: canisterd's
 * guard refuses a mount in its namespace; a tmpfs mounted on DIR), `setgid ID`,
 * `setuid ID` (setgid(2), setuid(2): all the ids at once), `mknod PATH`
 * (a character device node of /dev/null's numbers: CAP_MKNOD), `nice N`
 * (setpriority(2) of the process to N: CAP_SYS_NICE below its nice).
 * Each step makes known capability checks and setid or mount hooks, so
 * that a model learned from one run holds exactly those.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int step(const char *name, const char *arg)
{
	long id = strtol(arg, NULL, 10);
	int r;

	if (strcmp(name, "mount") == 0) {
		/* canisterd's guard refuses a mount in its own mount namespace. */
		r = unshare(CLONE_NEWNS);
		if (r == 0)
			r = mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		if (r == 0)
			r = mount("tmpfs", arg, "tmpfs", 0, NULL);
	} else if (strcmp(name, "setgid") == 0) {
		r = setgid((gid_t)id);
	} else if (strcmp(name, "setuid") == 0) {
		r = setuid((uid_t)id);
	} else if (strcmp(name, "mknod") == 0) {
		r = mknod(arg, S_IFCHR | 0600, makedev(1, 3));
	} else if (strcmp(name, "nice") == 0) {
		r = setpriority(PRIO_PROCESS, 0, (int)id);
	} else {
		fprintf(stderr, "model-cred: unknown step %s\n", name);
		exit(2);
	}
	if (r < 0) {
		int e = errno;

		printf("%s %s: %s\n", name, arg, strerror(e));
		return e;
	}
	printf("%s %s: ok\n", name, arg);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (argc - 1) % 2) {
		fprintf(stderr, "usage: model-cred STEP ARG [STEP ARG]...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i += 2) {
		int e = step(argv[i], argv[i + 1]);

		if (e)
			return e;
	}
	return 0;
}
