// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the lists of containers that ended: set aside, and the oldest removed. */
#include "integrity/ended.h"

#include "core/log.h"
#include "identity/identity.h"
#include "integrity/measure.h"
#include "integrity/publish.h"

#include <canister/canister.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Ticks (100 ms) between sweeps. */
#define SWEEP_TICKS 10
/*
 * Seconds a list stays where it is once its container is gone and the list
 * was last written: a container registered again with the same contid
 * within that time (an orchestrator restarting it) goes on with its list, as
 * it always did; and its swtpm (attest.c), whose state lies in the list's
 * directory, is stopped by a sweep of its own within about two seconds.
 */
#define ENDED_AFTER_SECONDS 30

static struct {
	char dir[CANISTER_CONFIG_PATH_MAX];
	unsigned int keep;
	unsigned int ticks;
	bool open;
} ended;

static bool container_gone(uint64_t contid)
{
	uint64_t parent;

	return identity_parent(contid, &parent) == -ENOENT;
}

static bool set_aside(uint64_t contid)
{
	char name[4096];
	int r = measure_end(contid, (int64_t)time(NULL), name, sizeof(name));

	if (r == 0)
		log_info("integrity: container %" PRIu64 " ended: its list is kept as %s", contid,
			 name);
	else if (r != -ENOENT)
		log_warning("integrity: container %" PRIu64 " ended, its list stays where it was: "
			    "%s",
			    contid, strerror(-r));
	return r == 0;
}

static void prune(void)
{
	size_t removed;
	int r = publish_prune_ended(ended.dir, ended.keep, &removed);

	if (removed)
		log_info("integrity: %zu ended containers' lists removed (integrity_ended_kept = "
			 "%u)",
			 removed, ended.keep);
	if (r < 0)
		log_warning("integrity: ended containers' lists under %s not all removed: %s",
			    ended.dir, strerror(-r));
}

/*
 * Every live list (a directory named by its contid alone) whose container is
 * gone and which was last written ENDED_AFTER_SECONDS ago or more is set
 * aside, then the oldest ended lists beyond the limit go.  The directory's
 * own time says when the list was last written (each file is renamed into
 * it), so nothing needs remembering, across a restart either.
 */
static void sweep(void)
{
	time_t now = time(NULL);
	struct dirent *entry;
	bool any = false;
	DIR *top;

	top = opendir(ended.dir);
	if (!top)
		return;
	/* A directory renamed while the walk goes on may show again: it then has no list. */
	while ((entry = readdir(top))) {
		struct stat st;
		uint64_t contid;

		if (!publish_dir_contid(entry->d_name, &contid) ||
		    fstatat(dirfd(top), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || now - st.st_mtime < ENDED_AFTER_SECONDS ||
		    !container_gone(contid))
			continue;
		any |= set_aside(contid);
	}
	closedir(top);
	if (any)
		prune();
}

void ended_open(const char *dir, unsigned int keep)
{
	snprintf(ended.dir, sizeof(ended.dir), "%s", dir);
	ended.keep = keep;
	ended.ticks = 0;
	ended.open = true;
	sweep();
	/* Also when nothing ended now: integrity_ended_kept may be lower than before. */
	prune();
}

void ended_close(void)
{
	ended.open = false;
}

void ended_tick(void)
{
	if (ended.open && ++ended.ticks % SWEEP_TICKS == 0)
		sweep();
}
