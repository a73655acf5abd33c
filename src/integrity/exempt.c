// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the host mount exemption: canisterd's own mounts raise no gate event, while no
 * container can reach them. */
#include "integrity/exempt.h"

#include "core/log.h"
#include "identity/identity.h"
#include "lib/mountinfo.h"
#include "integrity/exempt_rule.h"
#include "integrity/gate.h"

#include <canister/abi.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* Procfs instances of canisterd's namespace remembered (a bind of one elsewhere is one of them). */
#define HOST_PROCS_MAX 16
/* Mounts of canisterd's namespace whose ids a descriptor is compared with. */
#define HOST_MOUNTS_MAX 4096

static struct {
	bool open, in_force;
	uint64_t host_mnt, host_pid;
	char why[200]; /* the hole that withdrew it, while withdrawn */
	struct exempt_holders holders;
	uint32_t host_proc[HOST_PROCS_MAX];
	unsigned int host_procs;
	unsigned int placed, failed;
	bool legacy;
	uint64_t removed, withdrawn;
} exempt;

static uint64_t ns_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

void exempt_open(void)
{
	memset(&exempt, 0, sizeof(exempt));
	exempt.open = exempt.in_force = true;
	exempt.host_mnt = ns_inode("/proc/self/ns/mnt");
	exempt.host_pid = ns_inode("/proc/self/ns/pid");
	if (!exempt.host_mnt || !exempt.host_pid) {
		exempt.in_force = false;
		snprintf(exempt.why, sizeof(exempt.why),
			 "canisterd cannot read its own namespaces");
		exempt.holders.overflow = true;
	}
}

void exempt_close(void)
{
	exempt.open = false;
}

bool exempt_in_force(void)
{
	return exempt.open && exempt.in_force;
}

void exempt_flush(void)
{
	uint64_t mask;
	int fan = gate_mark_group(&mask);

	/* The gate's only mount marks are these: a flush takes them all, no path needed. */
	if (fan >= 0 && fanotify_mark(fan, FAN_MARK_FLUSH | FAN_MARK_MOUNT, 0, AT_FDCWD, NULL) < 0)
		log_error("integrity: cannot remove the host mounts' ignore marks: %s",
			  strerror(errno));
}

static bool withdraw(enum exempt_hole hole, uint64_t contid, int fd)
{
	char why[200];
	bool was = exempt.in_force;

	/* A table's hole lasts while the table shows it (marks.c counts), not the container's life.
	 */
	if (hole != EXEMPT_HOST_PROC)
		exempt_holders_add(&exempt.holders, contid);
	if (!was)
		return false;
	exempt_hole_text(hole, contid, fd, why, sizeof(why));
	exempt.in_force = false;
	exempt_flush();
	exempt.removed += exempt.placed;
	exempt.withdrawn++;
	snprintf(exempt.why, sizeof(exempt.why), "%s", why);
	log_info("integrity: host mount exemption withdrawn: %s; %u ignore marks removed: every "
		 "open on a watched filesystem is judged again",
		 why, exempt.placed);
	exempt.placed = 0;
	return true;
}

/* Whether mount @id is one of canisterd's own, from its table now. */
static bool host_mount(const int *ids, unsigned int count, int id)
{
	for (unsigned int i = 0; i < count; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static unsigned int host_mount_ids(int *ids)
{
	FILE *table = fopen("/proc/self/mountinfo", "re");
	unsigned int count = 0;
	char *line = NULL;
	size_t cap = 0;

	if (!table)
		return 0;
	while (count < HOST_MOUNTS_MAX && getline(&line, &cap, table) > 0) {
		int id = exempt_mountinfo_id(line);

		if (id >= 0)
			ids[count++] = id;
	}
	free(line);
	fclose(table);
	return count;
}

/* Up to @len bytes of a proc file, or -errno. */
static ssize_t read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int in = open(path, O_RDONLY | O_CLOEXEC);

	if (in < 0)
		return -errno;
	n = read(in, buf, len);
	if (n < 0)
		n = -errno;
	close(in);
	return n;
}

/*
 * One descriptor of @pid: a hole when it names a directory or a file
 * through one of canisterd's mounts (openat() beneath it, or the file
 * reopened or run through /proc/self/fd), a pidfd, or canisterd's mount or
 * pid namespace.  A descriptor that cannot be read is a hole: what
 * canisterd cannot tell, it does not exempt.
 */
static enum exempt_hole one_fd(pid_t pid, int fd, const int *ids, unsigned int count)
{
	struct exempt_fdinfo info;
	char path[64], text[4096], link[64];
	unsigned long long inode;
	struct statx stx;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	n = read_text(path, text, sizeof(text));
	if (n == -ENOENT)
		return EXEMPT_NO_HOLE; /* closed meanwhile */
	if (n < 0 || exempt_fdinfo_parse(text, (size_t)n, &info) < 0)
		return EXEMPT_HOLDS_FD;
	if (info.is_pidfd)
		return EXEMPT_HOLDS_PIDFD;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		if ((sscanf(link, "mnt:[%llu]", &inode) == 1 && inode == exempt.host_mnt) ||
		    (sscanf(link, "pid:[%llu]", &inode) == 1 && inode == exempt.host_pid))
			return EXEMPT_HOLDS_NS;
	}
	if (!host_mount(ids, count, info.mnt_id))
		return EXEMPT_NO_HOLE;
	/*
	 * A device, a FIFO or a socket opened through a host mount reaches no
	 * other file.  The type from the inode in memory (no filesystem asked
	 * where it keeps one: AT_STATX_DONT_SYNC).
	 */
	if (statx(AT_FDCWD, path, AT_STATX_DONT_SYNC, STATX_TYPE, &stx) < 0)
		return EXEMPT_HOLDS_FD;
	return S_ISDIR(stx.stx_mode) || S_ISREG(stx.stx_mode) || S_ISLNK(stx.stx_mode)
		       ? EXEMPT_HOLDS_FD
		       : EXEMPT_NO_HOLE;
}

static enum exempt_hole scan_fds(pid_t pid, int *ret_fd)
{
	static int ids[HOST_MOUNTS_MAX];
	enum exempt_hole hole = EXEMPT_NO_HOLE;
	unsigned int count = host_mount_ids(ids);
	struct dirent *entry;
	char path[64];
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? EXEMPT_NO_HOLE : EXEMPT_HOLDS_FD;
	while (hole == EXEMPT_NO_HOLE && (entry = readdir(dir))) {
		char *end;
		long fd = strtol(entry->d_name, &end, 10);

		if (entry->d_name[0] < '0' || entry->d_name[0] > '9' || *end)
			continue;
		hole = one_fd(pid, (int)fd, ids, count);
		*ret_fd = (int)fd;
	}
	closedir(dir);
	return hole;
}

bool exempt_check(pid_t pid, uint64_t contid, bool fds)
{
	struct exempt_ns_facts facts = { .host_mnt = exempt.host_mnt, .host_pid = exempt.host_pid };
	enum exempt_hole hole;
	char path[64];
	int fd = -1;

	if (!exempt.open || contid == CANISTER_CONTID_UNSET)
		return false;
	/* Withdrawn already, still checked: each container that holds it off is remembered. */
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	facts.mnt = ns_inode(path);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	facts.pid = ns_inode(path);
	/* Gone already: it can open nothing (a fork's report read after its exit). */
	if (!facts.mnt && !facts.pid && kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	hole = exempt_judge_ns(&facts);
	if (hole == EXEMPT_NO_HOLE && fds)
		hole = scan_fds(pid, &fd);
	return hole != EXEMPT_NO_HOLE && withdraw(hole, contid, fd);
}

void exempt_scan(void)
{
	struct canister_label label;
	struct dirent *entry;
	DIR *dir = opendir("/proc");

	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		char *end;
		long pid = strtol(entry->d_name, &end, 10);

		if (entry->d_name[0] < '1' || entry->d_name[0] > '9' || *end)
			continue;
		if (identity_label((pid_t)pid, &label) == 0 &&
		    label.contid != CANISTER_CONTID_UNSET)
			exempt_check((pid_t)pid, label.contid, true);
	}
	closedir(dir);
}

void exempt_host_table_start(void)
{
	exempt.host_procs = 0;
}

void exempt_host_line(const char *line)
{
	static struct mountinfo_entry entry; /* PATH_MAX twice: not on the stack */
	uint32_t device;

	if (mountinfo_parse(line, &entry) < 0 || strcmp(entry.fstype, "proc") != 0)
		return;
	device = entry.major << 20 | (entry.minor & 0xfffff);
	for (unsigned int i = 0; i < exempt.host_procs; i++)
		if (exempt.host_proc[i] == device)
			return;
	if (exempt.host_procs < HOST_PROCS_MAX)
		exempt.host_proc[exempt.host_procs++] = device;
}

bool exempt_host_proc_line(const char *line)
{
	static struct mountinfo_entry entry;
	uint32_t device;

	if (!exempt.open || mountinfo_parse(line, &entry) < 0 || strcmp(entry.fstype, "proc") != 0)
		return false;
	/* Each mount of procfs is an instance of its own: the same device is a bind of ours. */
	device = entry.major << 20 | (entry.minor & 0xfffff);
	for (unsigned int i = 0; i < exempt.host_procs; i++)
		if (exempt.host_proc[i] == device)
			return true;
	return false;
}

bool exempt_table_hole(uint64_t contid)
{
	return exempt.open && withdraw(EXEMPT_HOST_PROC, contid, -1);
}

void exempt_placed(unsigned int ok, unsigned int failed, bool legacy)
{
	exempt.placed = ok;
	exempt.failed = failed;
	exempt.legacy = legacy;
}

static bool gone(uint64_t contid, void *ctx)
{
	uint64_t parent;

	(void)ctx;
	return identity_parent(contid, &parent) == -ENOENT;
}

bool exempt_tick(unsigned int tables)
{
	if (!exempt.open || exempt.in_force)
		return false;
	if (!exempt_holders_prune(&exempt.holders, gone, NULL) || tables)
		return false;
	exempt.in_force = true;
	exempt.why[0] = '\0';
	log_info("integrity: host mount exemption back in force: the containers that held it off "
		 "are gone, and no container's mount table shows canisterd's /proc");
	return true;
}

void exempt_stats(struct exempt_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->in_force = exempt_in_force();
	ret->mounts = exempt.placed;
	ret->removed = exempt.removed;
	ret->withdrawn = exempt.withdrawn;
	if (!exempt.open)
		snprintf(ret->detail, sizeof(ret->detail), "the gate is not running");
	else if (ret->in_force)
		snprintf(ret->detail, sizeof(ret->detail),
			 "%u of canisterd's mounts ignored (%s), %u could not be", exempt.placed,
			 exempt.legacy ? "FAN_MARK_IGNORED_MASK" : "FAN_MARK_IGNORE",
			 exempt.failed);
	else
		snprintf(ret->detail, sizeof(ret->detail), "withdrawn: %s", exempt.why);
}
