// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister run: the cgroup v2 of its own a container's first process is moved
 * into.  canisterd records the cgroup a container's first process is in at
 * registration, and lsm mode lets the container write that cgroup's delegated
 * files (cgroup.procs among them) and everything beneath it.  Left in the
 * caller's cgroup (a login scope, a service's), the container could move the
 * caller's other processes into a sub-cgroup it makes and kill them there.
 */
#include "cli/run_cgroup.h"

#include "lib/cgroup2.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Names tried when "canister-run-PID" is taken (a run killed before it removed its own). */
#define NAME_TRIES 16
/* Sub-cgroups of the workload's pruned at most this deep; deeper ones stay. */
#define PRUNE_DEPTH_MAX 32
/*
 * How long a cgroup whose workload ended is waited for to empty, and an
 * emptied one still busy tried again (podman waits up to 5 s).
 */
#define RMDIR_TRIES 50
#define RMDIR_PAUSE_NS (20 * 1000 * 1000)

static int write_pid(const char *dir, pid_t pid)
{
	char path[PATH_MAX + sizeof("/cgroup.procs")], text[24];
	int fd, n, r = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(text, sizeof(text), "%d\n", (int)pid);
	if (write(fd, text, (size_t)n) != n)
		r = -errno;
	close(fd);
	return r;
}

static int make_dir(const char *parent, pid_t child, struct run_cgroup *ret)
{
	char name[64];
	int r = -EEXIST;

	for (unsigned int i = 0; i < NAME_TRIES && r == -EEXIST; i++) {
		r = canister_cgroup2_run_name(child, i, name, sizeof(name));
		if (r == 0)
			r = canister_cgroup2_dir(parent, "/", name, ret->dir, sizeof(ret->dir));
		if (r == 0 && mkdir(ret->dir, 0755) < 0)
			r = -errno;
	}
	return r;
}

static uint64_t prune(const char *dir, int depth, bool remove);

/*
 * 1 when a process is in @dir or beneath it (cgroup.events' "populated 1"),
 * 0 when none is, -errno when that cannot be read (-ENOENT: @dir is gone).
 */
static int populated(const char *dir)
{
	char path[PATH_MAX + sizeof("/cgroup.events")], line[64];
	int found = -ENODATA;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.events", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "populated ", 10) == 0)
			found = line[10] != '0';
	fclose(f);
	return found;
}

/*
 * The cgroups earlier runs left beside ours once what held them has ended
 * (a workload's leftover processes, a run killed before it removed its own):
 * those whose child has ended, emptied.  A live run's child lives for as long
 * as its cgroup may be empty, so its cgroup is never one of them.
 */
static void sweep(const char *parent)
{
	struct dirent *e;
	DIR *d;

	d = opendir(parent);
	if (!d)
		return;
	while ((e = readdir(d))) {
		pid_t pid = canister_cgroup2_run_pid(e->d_name);
		char dir[PATH_MAX];

		if (e->d_type != DT_DIR || !pid || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		/* One still holding processes stays as its workload made it. */
		if (canister_cgroup2_dir(parent, "/", e->d_name, dir, sizeof(dir)) == 0 &&
		    populated(dir) == 0)
			prune(dir, 0, true);
	}
	closedir(d);
}

int run_cgroup_enter(const struct cli *cli, pid_t child, struct run_cgroup *ret)
{
	const char *root = canister_cgroup2_root();
	char parent[PATH_MAX];
	int r;

	ret->dir[0] = '\0';
	/*
	 * No cgroup v2 mounted here (a v1-only host, a minimal guest): none to
	 * make, and nothing said on CMD's stderr.  canisterd cannot read the
	 * container's cgroup either, logs it, and its status counts such
	 * containers.
	 */
	if (!root)
		return 0;
	r = canister_cgroup2_of(0, root, parent, sizeof(parent));
	if (r < 0) {
		cli_error(cli, -r, "cannot read this process's cgroup v2 under %s: %s", root,
			  strerror(-r));
		return r;
	}
	sweep(parent);
	r = make_dir(parent, child, ret);
	if (r < 0) {
		cli_error(cli, -r,
			  "cannot make the container's cgroup under %s: %s (--cgroup none "
			  "runs it in this cgroup, which it could then write)",
			  parent, strerror(-r));
		ret->dir[0] = '\0';
		return r;
	}
	r = write_pid(ret->dir, child);
	if (r < 0) {
		/*
		 * EOPNOTSUPP: a threaded cgroup's children take threads, not
		 * processes; EBUSY: a parent that enables controllers for its
		 * children (only the root may also hold processes).
		 */
		cli_error(cli, -r,
			  "cannot move pid %d into %s: %s (--cgroup none runs it in this "
			  "cgroup, which it could then write)",
			  (int)child, ret->dir, strerror(-r));
		rmdir(ret->dir);
		ret->dir[0] = '\0';
		return r;
	}
	return 0;
}

void run_cgroup_shared_warn(void)
{
	const char *root = canister_cgroup2_root();
	char dir[PATH_MAX];

	if (!root || canister_cgroup2_of(0, root, dir, sizeof(dir)) < 0)
		return;
	fprintf(stderr,
		"canister: warning: --cgroup none: the container shares cgroup %s with this "
		"shell; in lsm mode its root may move that cgroup's other processes into a "
		"sub-cgroup of its own and kill or freeze them\n",
		dir);
}

/* The processes listed in @dir's cgroup.procs (0 when it cannot be read). */
static uint64_t procs_in(const char *dir)
{
	uint64_t count = 0;
	char *text;

	if (canister_cgroup2_procs_read(dir, &text) < 0)
		return 0;
	if (canister_cgroup2_procs_count(text, NULL, NULL, &count) < 0)
		count = 0;
	free(text);
	return count;
}

/*
 * The processes in @dir and beneath it, and with @remove its sub-cgroups
 * removed, deepest first, then @dir (the caller saw the tree unpopulated).
 * Only directories of @dir's own filesystem: a mount of another filesystem
 * over one is not followed (a bind mount of another cgroup of the same
 * hierarchy is: same device).
 */
static uint64_t prune(const char *dir, int depth, bool remove)
{
	uint64_t left = 0;
	struct stat top, st;
	struct dirent *e;
	DIR *d;

	if (depth < PRUNE_DEPTH_MAX && stat(dir, &top) == 0 && (d = opendir(dir))) {
		while ((e = readdir(d))) {
			char sub[PATH_MAX];

			if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) >=
				    sizeof(sub) ||
			    lstat(sub, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_dev != top.st_dev)
				continue;
			left += prune(sub, depth + 1, remove);
		}
		closedir(d);
	}
	left += procs_in(dir);
	/* Busy while processes or sub-cgroups remain: then it stays as it is. */
	if (remove)
		rmdir(dir);
	return left;
}

/* rmdir(@dir), tried again for a moment while an emptied cgroup is still busy. */
static int remove_emptied(const char *dir)
{
	const struct timespec pause = { .tv_nsec = RMDIR_PAUSE_NS };

	for (int i = 0;; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || i == RMDIR_TRIES)
			return -errno;
		nanosleep(&pause, NULL);
	}
}

void run_cgroup_leave(const struct run_cgroup *cgroup, uint64_t contid)
{
	const struct timespec pause = { .tv_nsec = RMDIR_PAUSE_NS };
	uint64_t left;
	int r;

	if (!cgroup->dir[0])
		return;
	/*
	 * A process the workload's end signalled may take a moment to exit
	 * (a shell's child): waited for, up to a second, before it counts as
	 * left behind.
	 */
	r = populated(cgroup->dir);
	for (int i = 0; r == 1 && i < RMDIR_TRIES; i++) {
		nanosleep(&pause, NULL);
		r = populated(cgroup->dir);
	}
	if (r == -ENOENT)
		return; /* removed already (another run's sweep found it empty) */
	/* Processes left: the tree stays as the workload made it, empty sub-cgroups too. */
	if (r != 0) {
		left = prune(cgroup->dir, 0, false);
		fprintf(stderr,
			"canister: container %" PRIu64 " left %" PRIu64 " process%s in %s: "
			"it stays (a later run from this cgroup removes it once they have "
			"ended)\n",
			contid, left, left == 1 ? "" : "es", cgroup->dir);
		return;
	}
	prune(cgroup->dir, 0, true);
	r = remove_emptied(cgroup->dir);
	if (r < 0)
		fprintf(stderr, "canister: cannot remove %s: %s\n", cgroup->dir, strerror(-r));
}
