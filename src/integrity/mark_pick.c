// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which filesystems the file gate watches (pure). */
#include "integrity/mark_pick.h"

#include <string.h>

/* The kernel's pseudo filesystems (and FUSE), by their mountinfo type. */
static const char *const unwatched[] = {
	"proc",	   "sysfs",	 "cgroup",    "cgroup2",     "bpf",	 "tracefs",
	"debugfs", "securityfs", "devpts",    "mqueue",	     "pstore",	 "configfs",
	"fusectl", "hugetlbfs",	 "autofs",    "binfmt_misc", "efivarfs", "rpc_pipefs",
	"nsfs",	   "devtmpfs",	 "selinuxfs", "fuse",	     "fuseblk",
};

bool mark_pick_fstype(const char *fstype)
{
	if (!fstype[0] || strncmp(fstype, "fuse.", 5) == 0)
		return false;
	for (size_t i = 0; i < sizeof(unwatched) / sizeof(unwatched[0]); i++)
		if (strcmp(fstype, unwatched[i]) == 0)
			return false;
	return true;
}

bool mark_pick_fuse(const char *fstype)
{
	return strcmp(fstype, "fuse") == 0 || strcmp(fstype, "fuseblk") == 0 ||
	       strncmp(fstype, "fuse.", 5) == 0;
}
