// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a process's namespaces as /proc/PID/ns/ shows them, for the CONTAINER_NS records. */
#include "lib/ns_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int canister_ns_read(pid_t pid, struct canister_ns_set *ret_ns)
{
	struct canister_ns_set ns = { { 0 } };
	char path[32];
	int dirfd, err = 0;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/ns", (int)pid);
	/* One directory for all the reads, so that they cannot straddle a recycled pid. */
	dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;

	for (unsigned int i = 0; i < CANISTER_NS_COUNT; i++) {
		struct stat st;

		/* Following the link reaches the namespace's own inode in nsfs. */
		if (fstatat(dirfd, canister_ns_name(i), &st, 0) == 0) {
			ns.inum[i] = (uint32_t)st.st_ino;
		} else if (errno != ENOENT) {
			err = -errno;
			break;
		}
	}
	close(dirfd);
	if (err)
		return err;
	/*
	 * Every kernel has a mount namespace, and an exiting task drops it with
	 * the rest of its nsproxy; only user and pid, which hang off its creds
	 * and its pid, stay readable in a zombie.
	 */
	if (!ns.inum[CANISTER_NS_MNT])
		return -ESRCH;
	*ret_ns = ns;
	return 0;
}
