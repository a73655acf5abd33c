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
#include "identity/labels.h"
#include "identity/programs.h"
#include "lib/cgroup2.h"
#include "lib/status.h"
#include <bpf/bpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* The file handle type of a kernfs node (include/linux/exportfs.h; not in uapi). */
#ifndef FILEID_KERNFS
#define FILEID_KERNFS 0xfe
#endif

/* Levels within() climbs at most; the hook's walk is bounded as well (CGROUP_WALK). */
#define CGROUP_DEPTH_MAX 64

static int map_fd = -1;

/*
 * The containers whose recorded cgroup held processes not theirs when they
 * were registered: the status counts them again (they may have gone since).
 */
struct shared_cgroup {
	struct shared_cgroup *next;
	uint64_t contid;
	char dir[];
};
static struct shared_cgroup *shared;

struct outside {
	uint64_t contid;
	pid_t first; /* registered, labelled only after container_cgroup_record() */
};

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
	const char *root = canister_cgroup2_root();
	int r;

	if (!root)
		return -ENOENT;
	*ret_root_len = strlen(root);
	r = canister_cgroup2_of(pid, root, dir, len);
	if (r < 0)
		return r;
	return cgroup_id(dir, ret_id);
}

/* @pid is @ctx's container's (or its first process's, not labelled yet). */
static bool of_container(pid_t pid, void *ctx)
{
	const struct outside *o = ctx;
	struct canister_label label;
	uint64_t contid;

	if (pid == o->first || (labels_contid(pid, &contid) == 0 && contid == o->contid))
		return true;
	/*
	 * The copy in memory lags behind the map at start-up (a restart finds
	 * containers whose processes forked since it was taken): the map says.
	 */
	return labels_lookup(pid, &label) == 0 && label.contid == o->contid;
}

/* How many processes in cgroup directory @dir are not container @o's. */
static int count_outside(const char *dir, const struct outside *o, uint64_t *ret_count)
{
	char *text = NULL;
	int r;

	r = canister_cgroup2_procs_read(dir, &text);
	if (r < 0)
		return r;
	r = canister_cgroup2_procs_count(text, of_container, (void *)o, ret_count);
	free(text);
	return r;
}

static void forget_shared(uint64_t contid)
{
	for (struct shared_cgroup **at = &shared; *at; at = &(*at)->next) {
		if ((*at)->contid == contid) {
			struct shared_cgroup *gone = *at;

			*at = gone->next;
			free(gone);
			return;
		}
	}
}

/*
 * A container that shares its cgroup with processes not its own may move
 * them into a sub-cgroup of its own (the kernel asks for the common
 * ancestor's cgroup.procs, which it may write) and kill or freeze them there:
 * said at registration, and kept for the status.
 */
static void check_shared(uint64_t contid, pid_t first, const char *dir)
{
	const struct outside o = { .contid = contid, .first = first };
	struct shared_cgroup *entry;
	uint64_t count;
	int r;

	r = count_outside(dir, &o, &count);
	if (r < 0) {
		log_warning("container %" PRIu64 ": cannot read %s/cgroup.procs (%s): whether it "
			    "shares its cgroup with other processes is not known",
			    contid, dir, strerror(-r));
		return;
	}
	if (!count)
		return;
	log_warning("container %" PRIu64 " shares cgroup %s with %" PRIu64
		    " process%s outside it: in lsm mode it may move them into a sub-cgroup of its "
		    "own and kill or freeze them (give it a cgroup of its own)",
		    contid, dir, count, count == 1 ? "" : "es");
	/* Once per container, however often its capability is opened again. */
	forget_shared(contid);
	entry = malloc(sizeof(*entry) + strlen(dir) + 1);
	if (!entry)
		return;
	entry->contid = contid;
	strcpy(entry->dir, dir);
	entry->next = shared;
	shared = entry;
}

void container_cgroup_shared_warnings(struct canister_status_warnings *warnings)
{
	/*
	 * A few by name, counted again (the status has room for
	 * CANISTER_STATUS_WARNINGS_MAX in all); the rest only counted, so that
	 * a status costs a few reads of cgroup.procs however many there are.
	 */
	const unsigned int read_max = 2;
	unsigned int read = 0, more = 0;

	for (const struct shared_cgroup *e = shared; e; e = e->next) {
		const struct outside o = { .contid = e->contid, .first = 0 };
		uint64_t count;

		/* Bounded by reads made, not warnings given: an empty or unreadable one costs too.
		 */
		if (read == read_max) {
			more++;
			continue;
		}
		read++;
		if (count_outside(e->dir, &o, &count) < 0)
			continue;
		if (count)
			canister_status_warn(warnings,
					     "container %" PRIu64 " shares cgroup %s with %" PRIu64
					     " process%s outside it: in lsm mode it may move them "
					     "into a sub-cgroup of its own and kill or freeze them",
					     e->contid, e->dir, count, count == 1 ? "" : "es");
		/*
		 * Said still: none left in the cgroup itself is also what the
		 * container's root leaves once it has moved them into a
		 * sub-cgroup of its own, where it may kill or freeze them.
		 */
		else
			canister_status_warn(warnings,
					     "container %" PRIu64 " was registered in cgroup %s "
					     "with processes outside it: none is there now (in lsm "
					     "mode it may have moved them into a sub-cgroup of its "
					     "own)",
					     e->contid, e->dir);
	}
	if (more)
		canister_status_warn(warnings,
				     "%u more container%s registered in a cgroup that other "
				     "processes shared (canisterd's log names them)",
				     more, more == 1 ? " was" : "s were");
}

void container_cgroup_open(void)
{
	map_fd = programs_map_fd(IDENTITY_MAP_CONTAINER_CGROUPS);
}

void container_cgroup_close(void)
{
	/* The skeleton's fd: programs_close() closes it. */
	map_fd = -1;
	while (shared) {
		struct shared_cgroup *gone = shared;

		shared = gone->next;
		free(gone);
	}
}

bool container_cgroup_record(uint64_t contid, uint64_t parent, pid_t pid)
{
	bool nested = parent != CANISTER_CONTID_UNSET;
	__u64 key = contid, parent_key = parent, parent_id = 0;
	uint64_t id = 0;
	bool parent_recorded, own_read;
	char dir[PATH_MAX + sizeof(CANISTER_CGROUP2_ROOT_HYBRID)];
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
		check_shared(contid, pid, dir);
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
			    contid, (int)pid, CANISTER_CGROUP2_ROOT, CANISTER_CGROUP2_ROOT_HYBRID,
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

/*
 * The directory of the cgroup whose kernfs id is @id, under cgroup2 mount
 * @root, into @dir: opened by its file handle (FILEID_KERNFS, the id
 * itself), its path read back from the descriptor.  Needs
 * CAP_DAC_READ_SEARCH.  Returns 0 or -errno.
 */
static int cgroup_dir_of_id(const char *root, uint64_t id, char *dir, size_t len)
{
	union {
		struct file_handle handle;
		char bytes[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h = { .handle = { .handle_bytes = sizeof(uint64_t), .handle_type = FILEID_KERNFS } };
	char link[64];
	int mount_fd, fd, r = 0;
	ssize_t n;

	memcpy(h.handle.f_handle, &id, sizeof(id));
	mount_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mount_fd < 0)
		return -errno;
	fd = open_by_handle_at(mount_fd, &h.handle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		r = -errno;
	close(mount_fd);
	if (r < 0)
		return r;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, dir, len - 1);
	if (n < 0)
		r = -errno;
	close(fd);
	if (r < 0)
		return r;
	dir[n] = '\0';
	/* Not beneath the mount (another namespace's view): no path to read from. */
	return strncmp(dir, root, strlen(root)) == 0 ? 0 : -EXDEV;
}

void container_cgroup_found_live(uint64_t contid)
{
	char dir[PATH_MAX + sizeof(CANISTER_CGROUP2_ROOT_HYBRID)];
	const char *root = canister_cgroup2_root();
	__u64 key = contid, recorded;
	int r;

	if (map_fd < 0 || !root || bpf_map_lookup_elem(map_fd, &key, &recorded))
		return;
	/* By its id, not from its processes': one that forked and ended is no less in it. */
	r = cgroup_dir_of_id(root, recorded, dir, sizeof(dir));
	if (r < 0) {
		log_debug("container %" PRIu64 ": its recorded cgroup (id %" PRIu64 ") is not "
			  "found (%s): whether it shares it is not checked again",
			  contid, (uint64_t)recorded, strerror(-r));
		return;
	}
	check_shared(contid, 0, dir);
}

void container_cgroup_forget(uint64_t contid)
{
	__u64 key = contid;

	if (map_fd >= 0)
		bpf_map_delete_elem(map_fd, &key);
	forget_shared(contid);
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
