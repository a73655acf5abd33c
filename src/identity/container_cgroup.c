// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd: the cgroup v2 a container was registered in.  lsm mode lets a
 * labelled process write the cgroupfs files of its container's recorded
 * cgroup and of those beneath it only (isolation.bpf.c); the cgroup the
 * writer is in now is no reference, as a container's init moves itself into
 * a leaf (systemd into init.scope) and still manages its container's root.
 */
#include "identity/container_cgroup.h"
#include "core/log.h"
#include "identity/programs.h"
#include <bpf/bpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* /proc/PID/cgroup: one line per hierarchy; a v2 path is at most PATH_MAX. */
#define PROC_CGROUP_BYTES 8192
/* Levels within() climbs at most; the hook's walk is bounded as well (CGROUP_WALK). */
#define CGROUP_DEPTH_MAX 64

static int map_fd = -1;

int container_cgroup_v2_path(const char *text, char *buf, size_t len)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		if (n >= 3 && strncmp(line, "0::", 3) == 0) {
			const char *path = line + 3;

			n -= 3;
			if (n == 0 || path[0] != '/')
				return -EINVAL;
			/* A removed cgroup shows " (deleted)"; outside one's cgroup namespace
			 * "/..". */
			if (memmem(path, n, "/..", 3) || memmem(path, n, " (deleted)", 10))
				return -EINVAL;
			if (n >= len)
				return -ENAMETOOLONG;
			memcpy(buf, path, n);
			buf[n] = '\0';
			return 0;
		}
		line = end ? end + 1 : NULL;
	}
	return -ENOENT;
}

enum container_cgroup_choice container_cgroup_choose(bool own_read, bool nested,
						     bool parent_recorded, bool own_within_parent)
{
	if (nested && parent_recorded)
		return own_read && own_within_parent ? CONTAINER_CGROUP_OWN
						     : CONTAINER_CGROUP_PARENT;
	return own_read ? CONTAINER_CGROUP_OWN : CONTAINER_CGROUP_NONE;
}

/*
 * The cgroup id of directory @path: on cgroup v2 its inode number is its
 * kernfs id, which is the cgroup's id (64-bit).  Returns 0 or -errno.
 */
static int cgroup_id(const char *path, uint64_t *ret)
{
	struct statfs fs;
	struct stat st;

	if (statfs(path, &fs) < 0 || stat(path, &st) < 0)
		return -errno;
	if ((unsigned long)fs.f_type != CGROUP2_SUPER_MAGIC || !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	*ret = (uint64_t)st.st_ino;
	return 0;
}

/* Whether the cgroup at @dir (under a root @root_len long) is @ancestor or beneath it. */
static bool within(char *dir, size_t root_len, uint64_t ancestor)
{
	for (int i = 0; i <= CGROUP_DEPTH_MAX; i++) {
		uint64_t id;
		char *slash;

		if (cgroup_id(dir, &id) == 0 && id == ancestor)
			return true;
		slash = strrchr(dir + root_len, '/');
		if (!slash)
			return false;
		*slash = '\0';
	}
	return false;
}

/*
 * @pid's cgroup v2 directory under the root cgroup2 is mounted at (its length
 * in *@ret_root_len), and its id.
 */
static int read_cgroup(pid_t pid, char *dir, size_t len, size_t *ret_root_len, uint64_t *ret_id)
{
	const char *root = CONTAINER_CGROUP_ROOT;
	uint64_t root_id;
	char text[PROC_CGROUP_BYTES], proc[64], path[PATH_MAX];
	ssize_t n;
	int fd, r;

	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	fd = open(proc, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	text[n] = '\0';
	r = container_cgroup_v2_path(text, path, sizeof(path));
	if (r < 0)
		return r;
	if (cgroup_id(root, &root_id) < 0)
		root = CONTAINER_CGROUP_ROOT_HYBRID;
	*ret_root_len = strlen(root);
	/* "/" is the root cgroup: the directory itself. */
	if ((size_t)snprintf(dir, len, "%s%s", root, strcmp(path, "/") == 0 ? "" : path) >= len)
		return -ENAMETOOLONG;
	return cgroup_id(dir, ret_id);
}

void container_cgroup_open(void)
{
	map_fd = programs_map_fd(IDENTITY_MAP_CONTAINER_CGROUPS);
}

void container_cgroup_close(void)
{
	/* The skeleton's fd: programs_close() closes it. */
	map_fd = -1;
}

bool container_cgroup_record(uint64_t contid, uint64_t parent, pid_t pid)
{
	bool nested = parent != CANISTER_CONTID_UNSET;
	__u64 key = contid, parent_key = parent, parent_id = 0;
	uint64_t id = 0;
	bool parent_recorded, own_read;
	char dir[PATH_MAX + sizeof(CONTAINER_CGROUP_ROOT_HYBRID)];
	size_t root_len = 0;
	int r;

	if (map_fd < 0)
		return false;
	r = read_cgroup(pid, dir, sizeof(dir), &root_len, &id);
	own_read = r == 0;
	parent_recorded = nested && bpf_map_lookup_elem(map_fd, &parent_key, &parent_id) == 0;
	switch (container_cgroup_choose(own_read, nested, parent_recorded,
					parent_recorded && own_read &&
						within(dir, root_len, parent_id))) {
	case CONTAINER_CGROUP_OWN:
		break;
	case CONTAINER_CGROUP_PARENT:
		if (own_read)
			log_info("container %" PRIu64 ": pid %d's cgroup is not within container "
				 "%" PRIu64
				 "'s: its cgroup writes are bound by its parent's cgroup",
				 contid, (int)pid, parent);
		id = parent_id;
		break;
	case CONTAINER_CGROUP_NONE:
		log_warning("container %" PRIu64 ": cannot read the cgroup v2 of pid %d under "
			    "%s or %s (%s): its processes may write only the cgroups they are in "
			    "and beneath (lsm mode)",
			    contid, (int)pid, CONTAINER_CGROUP_ROOT, CONTAINER_CGROUP_ROOT_HYBRID,
			    strerror(-r));
		/* An entry a dropped container of this contid left (an older canisterd) goes. */
		bpf_map_delete_elem(map_fd, &key);
		return false;
	}
	if (bpf_map_update_elem(map_fd, &key, &id, BPF_ANY)) {
		log_warning("container %" PRIu64 ": cannot record its cgroup: %s", contid,
			    strerror(errno));
		return false;
	}
	log_debug("container %" PRIu64 ": cgroup id %" PRIu64 " recorded", contid, (uint64_t)id);
	return true;
}

void container_cgroup_forget(uint64_t contid)
{
	__u64 key = contid;

	if (map_fd >= 0)
		bpf_map_delete_elem(map_fd, &key);
}

uint64_t container_cgroup_recorded(void)
{
	__u64 key, next;
	uint64_t count = 0;
	void *prev = NULL;

	if (map_fd < 0)
		return 0;
	while (count <= CANISTER_MAX_CONTAINERS && bpf_map_get_next_key(map_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		count++;
	}
	return count;
}
