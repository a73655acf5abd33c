// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: makes sure the pin directory exists on a bpffs (mounting /sys/fs/bpf if needed). */
#include "core/bpffs.h"

#include "lib/mkdir.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define DEFAULT_BPFFS "/sys/fs/bpf"

bool bpffs_is_bpffs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

static bool under_default_bpffs(const char *pin_path)
{
	size_t n = strlen(DEFAULT_BPFFS);

	return strncmp(pin_path, DEFAULT_BPFFS, n) == 0 && pin_path[n] == '/';
}

int bpffs_prepare(const char *pin_path, char *detail, size_t detail_len)
{
	char parent[512];
	char *slash;
	bool mounted_here = false;
	int r;

	snprintf(parent, sizeof(parent), "%s", pin_path);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';

	if (!bpffs_is_bpffs(parent) && under_default_bpffs(pin_path) &&
	    !bpffs_is_bpffs(DEFAULT_BPFFS)) {
		if (mount("bpf", DEFAULT_BPFFS, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "mode=0700") < 0) {
			r = -errno;
			snprintf(detail, detail_len, "cannot mount bpffs at %s: %s", DEFAULT_BPFFS,
				 strerror(errno));
			return r;
		}
		mounted_here = true;
	}

	r = canister_mkdir_p(pin_path, 0700);
	if (r < 0) {
		snprintf(detail, detail_len, "cannot create %s: %s", pin_path, strerror(-r));
		return r;
	}
	if (!bpffs_is_bpffs(pin_path)) {
		snprintf(detail, detail_len,
			 "%s is not on a bpffs; pins there would not survive (mount -t bpf)",
			 pin_path);
		return -ENOTSUP;
	}
	snprintf(detail, detail_len, "%s on bpffs%s", pin_path,
		 mounted_here ? " (canisterd mounted " DEFAULT_BPFFS ")" : "");
	return 0;
}
