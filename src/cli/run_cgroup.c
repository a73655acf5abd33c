// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister run: the cgroups of its own a container's first process is moved
 * into.  canisterd records the cgroup v2 a container's first process is in at
 * registration, and lsm mode lets the container write that cgroup's delegated
 * files (cgroup.procs among them) and everything beneath it.  Left in the
 * caller's cgroup (a login scope, a service's), the container could move the
 * caller's other processes into a sub-cgroup it makes and kill them there.
 * In a v1 hierarchy (a hybrid host's) nothing is recorded and the rule lets
 * the container write the cgroup it is in: left in the caller's, it could
 * limit or freeze the caller's other processes.
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

/* A new cgroup @name beneath @parent, its directory into @dir (PATH_MAX); "" when none was made. */
static int make_dir(const char *parent, pid_t child, char *dir)
{
	char name[64];
	int r = -EEXIST;

	for (unsigned int i = 0; i < NAME_TRIES && r == -EEXIST; i++) {
		r = canister_cgroup2_run_name(child, i, name, sizeof(name));
		if (r == 0)
			r = canister_cgroup2_dir(parent, "/", name, dir, PATH_MAX);
		if (r == 0 && mkdir(dir, 0755) < 0)
			r = -errno;
	}
	if (r < 0)
		dir[0] = '\0';
	return r;
}

/* What prune() walks: one cgroup mount's tree, and whether it reached the depth it stops at. */
struct walk {
	int mount_id;
	bool too_deep;
};

static uint64_t prune(const char *dir, int depth, bool remove, struct walk *walk);

/* Whether comma-separated @controllers ("cpu,cpuacct") names @one. */
static bool has_controller(const char *controllers, const char *one)
{
	return canister_cgroup1_mounts(one, controllers);
}

/*
 * 1 when a process is in @dir or beneath it, 0 when none is, -errno when
 * that cannot be read (-ENOENT: @dir is gone).  v2 says so in cgroup.events
 * ("populated 1"); a v1 hierarchy has no such file, and its tree's
 * cgroup.procs files are counted.
 */
static int populated(const char *dir, bool v1)
{
	char path[PATH_MAX + sizeof("/cgroup.events")], line[64];
	int found = -ENODATA;
	FILE *f;

	if (v1) {
		struct walk walk = { .mount_id = -1 };

		if (access(dir, F_OK) < 0)
			return -errno;
		/* A tree deeper than it looks may hold processes where it did not look. */
		return prune(dir, 0, false, &walk) > 0 || walk.too_deep;
	}
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
static void sweep(const char *parent, bool v1)
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
		    populated(dir, v1) == 0)
			prune(dir, 0, true, &(struct walk){ .mount_id = -1 });
	}
	closedir(d);
}

/*
 * A v1 cpuset cgroup starts with no CPU and no memory node, and takes no
 * process until given some (ENOSPC): the parent's, as runc gives.  Under a
 * mount with "noprefix" the files lack their "cpuset." prefix.
 */
static int cpuset_inherit(const char *parent, const char *dir)
{
	static const char *const files[][2] = { { "cpuset.cpus", "cpus" },
						{ "cpuset.mems", "mems" } };
	/* A list as the kernel prints it ("0-3,8,10-11"): a host's sparse one fits. */
	static char text[64 << 10];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char from[PATH_MAX + 16], to[PATH_MAX + 16];
		const char *name = files[i][0];
		size_t len = 0;
		ssize_t n;
		int fd, r = 0;

		snprintf(from, sizeof(from), "%s/%s", parent, name);
		if (access(from, F_OK) < 0) {
			name = files[i][1];
			snprintf(from, sizeof(from), "%s/%s", parent, name);
		}
		snprintf(to, sizeof(to), "%s/%s", dir, name);
		fd = open(from, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		while ((n = read(fd, text + len, sizeof(text) - len)) > 0)
			len += (size_t)n;
		if (n < 0)
			r = -errno;
		close(fd);
		if (r == 0 && len == sizeof(text))
			r = -EMSGSIZE;
		if (r < 0)
			return r;
		fd = open(to, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (write(fd, text, len) != (ssize_t)len)
			r = -errno;
		close(fd);
		if (r < 0)
			return r;
	}
	return 0;
}

static int enter_v2(const struct cli *cli, pid_t child, struct run_cgroup *ret)
{
	const char *root = canister_cgroup2_root();
	char parent[PATH_MAX];
	int r;

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
	sweep(parent, false);
	r = make_dir(parent, child, ret->dir);
	if (r < 0) {
		cli_error(cli, -r,
			  "cannot make the container's cgroup under %s: %s (--cgroup none "
			  "runs it in this cgroup, which it could then write)",
			  parent, strerror(-r));
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
		return r;
	}
	return 0;
}

static int enter_v1(const struct cli *cli, pid_t child, struct run_cgroup *ret)
{
	/* Static: about 256 KiB (two paths a hierarchy), the CLI's one run. */
	static struct canister_cgroup1 list[CANISTER_CGROUP1_MAX];
	size_t count;
	int r;

	r = canister_cgroup1_self(list, CANISTER_CGROUP1_MAX, &count);
	if (r < 0) {
		cli_error(cli, -r, "cannot read this process's cgroups of v1: %s", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < count; i++) {
		const char *parent = list[i].dir;
		char *dir = ret->v1_dirs[ret->v1_count];

		/*
		 * Mounted only in another mount namespace, or nowhere (a hierarchy
		 * that outlived its mounts), or here only from a sub-root that
		 * does not hold our cgroup: none can be made here, and the
		 * container stays in ours there.  Said, not refused: a
		 * hierarchy left unmounted would otherwise stop every run of
		 * the host.  The container could write it only by mounting it
		 * (docs/access.md).
		 */
		if (!parent[0]) {
			fprintf(stderr,
				"canister: warning: this process's cgroup %s of v1 hierarchy %s is "
				"not under a cgroup mount here: the container stays in it, and "
				"could "
				"write it if it mounted that hierarchy\n",
				list[i].path, list[i].controllers);
			continue;
		}
		sweep(parent, true);
		r = make_dir(parent, child, dir);
		if (r < 0) {
			cli_error(cli, -r,
				  "cannot make the container's cgroup of v1 hierarchy %s under "
				  "%s: %s (--cgroup none runs it in this cgroup, which it could "
				  "then write)",
				  list[i].controllers, parent, strerror(-r));
			return r;
		}
		ret->v1_count++;
		if (has_controller(list[i].controllers, "cpuset"))
			r = cpuset_inherit(parent, dir);
		if (r == 0)
			r = write_pid(dir, child);
		/*
		 * A labelled CLI (a run nested in a container) may move no process
		 * in a v1 hierarchy: identity's guard refuses it, as a v1 move is
		 * checked against no ancestor.  The child stays in this process's
		 * cgroup there, its container's own.
		 */
		if (r == -EPERM) {
			rmdir(dir);
			dir[0] = '\0';
			ret->v1_count--;
			continue;
		}
		if (r < 0) {
			cli_error(cli, -r,
				  "cannot move pid %d into %s: %s (--cgroup none runs it in this "
				  "cgroup, which it could then write)",
				  (int)child, dir, strerror(-r));
			return r;
		}
	}
	return 0;
}

int run_cgroup_enter(const struct cli *cli, pid_t child, struct run_cgroup *ret)
{
	int r;

	ret->dir[0] = '\0';
	ret->v1_count = 0;
	r = enter_v2(cli, child, ret);
	if (r == 0)
		r = enter_v1(cli, child, ret);
	return r;
}

void run_cgroup_shared_warn(void)
{
	static struct canister_cgroup1 list[CANISTER_CGROUP1_MAX];
	const char *root = canister_cgroup2_root();
	char dir[PATH_MAX];
	size_t count;

	if (root && canister_cgroup2_of(0, root, dir, sizeof(dir)) == 0)
		fprintf(stderr,
			"canister: warning: --cgroup none: the container shares cgroup %s with "
			"this shell; in lsm mode its root may move that cgroup's other processes "
			"into a sub-cgroup of its own and kill or freeze them\n",
			dir);
	if (canister_cgroup1_self(list, CANISTER_CGROUP1_MAX, &count) == 0 && count > 0)
		fprintf(stderr,
			"canister: warning: --cgroup none: the container shares this shell's "
			"cgroups of %zu v1 hierarch%s; in lsm mode its root may set their limits "
			"and freezer state\n",
			count, count == 1 ? "y" : "ies");
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

/* The id of the mount @path is on (following no symlink), or -errno. */
static int mount_id_of(const char *path)
{
	union {
		struct file_handle handle;
		char bytes[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h = { .handle.handle_bytes = MAX_HANDLE_SZ };
	int id;

	if (name_to_handle_at(AT_FDCWD, path, &h.handle, &id, 0) < 0)
		return -errno;
	return id;
}

/*
 * The processes in @dir and beneath it, and with @remove its sub-cgroups
 * removed, deepest first, then @dir (the caller saw the tree unpopulated).
 * Only directories of @dir's own mount: a mount over one is not followed,
 * a bind mount of another cgroup of the same hierarchy either (its device
 * is the same, its mount is not).  @walk's mount_id is -1 at the top; a
 * directory with sub-cgroups at PRUNE_DEPTH_MAX sets its too_deep.
 */
static uint64_t prune(const char *dir, int depth, bool remove, struct walk *walk)
{
	uint64_t left = 0;
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (walk->mount_id < 0)
		walk->mount_id = mount_id_of(dir);
	if (walk->mount_id >= 0 && (d = opendir(dir))) {
		while ((e = readdir(d))) {
			char sub[PATH_MAX];

			if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) >=
				    sizeof(sub) ||
			    lstat(sub, &st) < 0 || !S_ISDIR(st.st_mode) ||
			    mount_id_of(sub) != walk->mount_id)
				continue;
			if (depth + 1 >= PRUNE_DEPTH_MAX) {
				walk->too_deep = true;
				continue;
			}
			left += prune(sub, depth + 1, remove, walk);
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

/*
 * Remove @dir's tree once its processes have gone (0), or leave it as the
 * workload made it, empty sub-cgroups too, and count those left into
 * *@left (1); -ENOENT when it is gone already (another run's sweep found it
 * empty), another -errno when it could not be removed.
 */
static int leave_one(const char *dir, bool v1, uint64_t *left)
{
	const struct timespec pause = { .tv_nsec = RMDIR_PAUSE_NS };
	int r;

	/*
	 * A process the workload's end signalled may take a moment to exit
	 * (a shell's child): waited for, up to a second, before it counts as
	 * left behind.
	 */
	r = populated(dir, v1);
	for (int i = 0; r == 1 && i < RMDIR_TRIES; i++) {
		nanosleep(&pause, NULL);
		r = populated(dir, v1);
	}
	if (r == -ENOENT)
		return r;
	if (r != 0) {
		*left = prune(dir, 0, false, &(struct walk){ .mount_id = -1 });
		return 1;
	}
	prune(dir, 0, true, &(struct walk){ .mount_id = -1 });
	return remove_emptied(dir);
}

void run_cgroup_leave(const struct run_cgroup *cgroup, uint64_t contid)
{
	const char *kept = NULL;
	char v1_said[64] = "";
	size_t v1_kept = 0;
	uint64_t left = 0;
	int r;

	if (cgroup->dir[0]) {
		r = leave_one(cgroup->dir, false, &left);
		if (r == 1)
			kept = cgroup->dir;
		else if (r < 0 && r != -ENOENT)
			fprintf(stderr, "canister: cannot remove %s: %s\n", cgroup->dir,
				strerror(-r));
	}
	for (size_t i = 0; i < cgroup->v1_count; i++) {
		uint64_t v1_left = 0;

		r = leave_one(cgroup->v1_dirs[i], true, &v1_left);
		if (r == 1 && !kept) {
			kept = cgroup->v1_dirs[i];
			left = v1_left;
		} else if (r == 1) {
			v1_kept++;
		} else if (r < 0 && r != -ENOENT) {
			fprintf(stderr, "canister: cannot remove %s: %s\n", cgroup->v1_dirs[i],
				strerror(-r));
		}
	}
	/* Processes left: their cgroups stay, one line for all of them. */
	if (!kept)
		return;
	if (v1_kept)
		snprintf(v1_said, sizeof(v1_said), ", and so do its cgroups in %zu v1 hierarch%s",
			 v1_kept, v1_kept == 1 ? "y" : "ies");
	fprintf(stderr,
		"canister: container %" PRIu64 " left %" PRIu64 " process%s in %s: it stays%s "
		"(a later run from this cgroup removes it once they have ended)\n",
		contid, left, left == 1 ? "" : "es", kept, v1_said);
}
