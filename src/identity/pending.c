// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: labels pending in task storage (lsm mode), which the labels map could not take. */
#include "identity/pending.h"

#include "identity/programs.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* Only lsm mode's programs keep labels pending: trace mode never walks /proc for them. */
static bool pending_enabled;

void pending_enable(bool enabled)
{
	pending_enabled = enabled;
}

/*
 * The fork_room task storage (bpf/pending.bpf.h) is keyed by pidfd: a pidfd
 * names the process that has the pid when it is opened, so what is read
 * through it is that process's own, whatever pid reuse happens around it,
 * just as a lookup of the labels map by pid answers for the pid's process of
 * the moment.  The storage of a thread group's leader is the group's.
 */
static int storage_read(pid_t tgid, int *ret_pidfd, struct canister_fork_room *ret_room)
{
	int map_fd = programs_map_fd(IDENTITY_MAP_FORK_ROOM);
	int pidfd;

	*ret_pidfd = -1;
	if (map_fd < 0 || tgid <= 0)
		return -ENOENT;
	pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pidfd < 0)
		return -ENOENT;
	if (bpf_map_lookup_elem(map_fd, &pidfd, ret_room) || !ret_room->pending) {
		close(pidfd);
		return -ENOENT;
	}
	*ret_pidfd = pidfd;
	return 0;
}

int pending_lookup(pid_t tgid, struct canister_label *ret_label)
{
	struct canister_fork_room room;
	int pidfd, r;

	r = storage_read(tgid, &pidfd, &room);
	if (r < 0)
		return r;
	close(pidfd);
	*ret_label = room.label;
	return 0;
}

/*
 * The BPF side gives a pending label's slot back only at the group's exit,
 * and only when the labels map has no entry for it, which it has from now
 * on: nothing else clears it.  (An exit before the entry was written already
 * cleared it, and then it reads as not pending here.)
 */
bool pending_take(pid_t tgid)
{
	struct canister_fork_room room;
	int pidfd;
	bool taken;

	if (storage_read(tgid, &pidfd, &room) < 0)
		return false;
	room.pending = 0;
	taken = bpf_map_update_elem(programs_map_fd(IDENTITY_MAP_FORK_ROOM), &pidfd, &room,
				    BPF_EXIST) == 0;
	close(pidfd);
	return taken;
}

/*
 * Task storage cannot be walked (no next key), so every process in /proc is
 * asked, one pidfd each: a walk costs a few system calls per process on the
 * host, which is why only what runs rarely calls it (see pending.h).
 */
int pending_for_each(bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
		     void *ctx)
{
	struct canister_fork_room room;
	struct dirent *entry;
	DIR *proc;
	int pidfd;

	if (!pending_enabled)
		return 0;
	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((entry = readdir(proc))) {
		char *end;
		long pid = strtol(entry->d_name, &end, 10);

		if (*end || pid <= 0 || storage_read((pid_t)pid, &pidfd, &room) < 0)
			continue;
		close(pidfd);
		if (!visit((__u32)pid, &room.label, ctx))
			break;
	}
	closedir(proc);
	return 0;
}
