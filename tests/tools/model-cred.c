// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: `model-cred STEP ARG... [STEP ARG...]...`: the steps
 * in order, each printing "STEP ARG: ok" or "STEP ARG: ERROR", stopping at
 * the first that fails; exits with its errno (0 when all passed).  Steps:
 * `mount DIR` (in a mount namespace of its own, made private: canisterd's
 * guard refuses a mount in its namespace; a tmpfs mounted on DIR), `setgid ID`,
 * `setuid ID` (setgid(2), setuid(2): all the ids at once), `mknod PATH`
 * (a character device node of /dev/null's numbers: CAP_MKNOD), `nice N`
 * (setpriority(2) of the process to N: CAP_SYS_NICE below its nice);
 * the new mount API, each in the mount namespace of its own as `mount`:
 * `bind DIR` (open_tree(DIR, OPEN_TREE_CLONE) attached on DIR by
 * move_mount()), `bindproc DIR` (a clone of /proc attached on DIR), `fsmount
 * DIR` (fsopen("tmpfs"), fsconfig(FSCONFIG_CMD_CREATE), fsmount(), attached
 * on DIR); `own-ns -` (the caller made the mount namespace private already:
 * the steps after it make none, and so no mount of their own but theirs).
 * Each step makes known capability checks and setid or mount hooks, so
 * that a model learned from one run holds exactly those.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* include/uapi/linux/mount.h; called by number: Debian 12's glibc has no wrappers. */
#define OPEN_TREE_CLONE_ 1
#define MOVE_MOUNT_F_EMPTY_PATH_ 0x4
#define FSCONFIG_CMD_CREATE_ 6

/* A private mount namespace is there already (made, or `own-ns`). */
static bool done;

static int private_namespace(void)
{
	/* canisterd's guard refuses a mount in its own mount namespace. */
	if (done)
		return 0;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	done = true;
	return 0;
}

/* The detached mount @fd attached on @dir; @fd closed. */
static int attach(int fd, const char *dir)
{
	int r, e;

	if (fd < 0)
		return -1;
	r = (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH_);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

static int new_api(const char *name, const char *dir)
{
	int fs, e;

	if (private_namespace() < 0)
		return -1;
	if (strcmp(name, "bind") == 0 || strcmp(name, "bindproc") == 0)
		return attach((int)syscall(SYS_open_tree, AT_FDCWD,
					   strcmp(name, "bind") == 0 ? dir : "/proc",
					   OPEN_TREE_CLONE_ | O_CLOEXEC),
			      dir);
	fs = (int)syscall(SYS_fsopen, "tmpfs", 0);
	if (fs < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE_, NULL, NULL, 0) < 0) {
		e = errno;
		close(fs);
		errno = e;
		return -1;
	}
	e = (int)syscall(SYS_fsmount, fs, 0, 0);
	close(fs);
	return attach(e, dir);
}

static int step(const char *name, const char *arg)
{
	long id = strtol(arg, NULL, 10);
	int r;

	if (strcmp(name, "own-ns") == 0) {
		done = true;
		r = 0;
	} else if (strcmp(name, "mount") == 0) {
		r = private_namespace();
		if (r == 0)
			r = mount("tmpfs", arg, "tmpfs", 0, NULL);
	} else if (strcmp(name, "bind") == 0 || strcmp(name, "bindproc") == 0 ||
		   strcmp(name, "fsmount") == 0) {
		r = new_api(name, arg);
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
