// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: whether a labelled process can reach and write canister's pins, from /proc. */
#include "identity/pin_reach.h"

#include "lib/mountinfo.h"
#include "lib/u64map.h"

#include <canister/abi.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Directories between the bpffs root and the pin directory that are judged. */
#define PIN_DEPTH_MAX 16

/*
 * canister's pins as canisterd sees them, read at the start of each scan:
 * the bpffs instance that holds them (its device), the pin directory's path
 * from that filesystem's root, and the modes of the pin directory, the
 * labels pin and the directories above the pin directory on the same bpffs.
 * A labelled process is judged against these, never by a walk of its own.
 */
struct pin_reach {
	bool known;
	unsigned int major, minor;
	char rel[PATH_MAX];
	struct stat dir, labels;
	bool labels_known;
	struct pin_dir {
		char rel[PATH_MAX];
		struct stat st;
	} above[PIN_DEPTH_MAX]; /* from the bpffs root down to the pin directory's parent */
	unsigned int above_count;
	/* mount namespace inode -> 0: no mount exposes the pins; else 1 | search mask << 1 */
	struct canister_u64map mount_ns;
};

/*
 * canisterd's own mount of the pins' bpffs (the deepest that holds the pin
 * path) gives the pin directory's path within that filesystem.
 */
static int pins_rel(const char *pin_path, unsigned int major, unsigned int minor, char *rel,
		    size_t rel_len, struct mountinfo_entry *ret_mount)
{
	struct mountinfo_entry *entry = malloc(sizeof(*entry));
	size_t best = 0, cap = 0;
	char *line = NULL;
	int r = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f || !entry) {
		r = -errno;
		goto out;
	}
	while (getline(&line, &cap, f) > 0) {
		if (mountinfo_parse(line, entry) || entry->major != major ||
		    entry->minor != minor || !mountinfo_within(pin_path, entry->point) ||
		    strlen(entry->point) < best)
			continue;
		best = strlen(entry->point);
		r = mountinfo_relative(entry, pin_path, rel, rel_len);
		*ret_mount = *entry;
	}
out:
	free(line);
	free(entry);
	if (f)
		fclose(f);
	return r;
}

/* What canisterd sees of its pins now; ->known false when it sees nothing. */
static void read_view(struct pin_reach *view, const char *pin_path)
{
	char path[PATH_MAX + 16], rel[PATH_MAX];
	struct mountinfo_entry *mount = malloc(sizeof(*mount));
	unsigned int depth = 0;
	char *slash;

	view->known = false;
	view->above_count = 0;
	if (!mount || stat(pin_path, &view->dir) < 0)
		goto out;
	view->major = major(view->dir.st_dev);
	view->minor = minor(view->dir.st_dev);
	if (pins_rel(pin_path, view->major, view->minor, view->rel, sizeof(view->rel), mount))
		goto out;
	snprintf(path, sizeof(path), "%s/%s", pin_path, CANISTER_MAP_LABELS);
	view->labels_known = stat(path, &view->labels) == 0;
	/* Up from the pin directory: each parent within the bpffs, in canisterd's view of it. */
	snprintf(path, sizeof(path), "%s", pin_path);
	snprintf(rel, sizeof(rel), "%s", view->rel);
	while (depth < PIN_DEPTH_MAX && strcmp(rel, "/") != 0 && (slash = strrchr(rel, '/'))) {
		*(slash == rel ? slash + 1 : slash) = '\0';
		slash = strrchr(path, '/');
		*(slash == path ? slash + 1 : slash) = '\0';
		/* Above canisterd's own mount's root it sees nothing: taken as searchable. */
		if (!mountinfo_within(rel, mount->root) || stat(path, &view->above[depth].st) < 0)
			break;
		snprintf(view->above[depth].rel, sizeof(view->above[depth].rel), "%s", rel);
		depth++;
	}
	/* Kept from the root down, as a process's mount root cuts them. */
	for (unsigned int i = 0; i < depth / 2; i++) {
		struct pin_dir swap = view->above[i];

		view->above[i] = view->above[depth - 1 - i];
		view->above[depth - 1 - i] = swap;
	}
	view->above_count = depth;
	view->known = true;
out:
	free(mount);
}

/*
 * Which mounts of @tgid's mount namespace expose the pin directory, from
 * /proc/@tgid/mountinfo (once per namespace and scan): 0 for none, else
 * 1 | a mask << 1 of the directories above the pin directory that its
 * easiest way in must search (those beneath the deepest mount root).
 *
 * "Reachable" means: a mount of the very bpffs instance that holds the pins,
 * under the process's root (mountinfo lists only those), showing a directory
 * at or above the pin directory.  A bpffs mounted anew is another, empty
 * instance (each bpffs mount is its own superblock) and reaches nothing of
 * canister's; a mount stacked over the pins' mount is not taken to hide it
 * (one with CAP_SYS_ADMIN unmounts it), which errs towards naming.  Not
 * counted: a path through another process's /proc/PID/root, which needs
 * ptrace access to it (uid 0 or CAP_SYS_PTRACE are reasons of their own;
 * the same uid in a shared pid namespace is not judged).
 */
static uint64_t exposed_in(struct pin_reach *reach, pid_t tgid)
{
	struct mountinfo_entry *entry;
	char path[64], *line = NULL;
	size_t cap = 0;
	uint64_t found = 0;
	struct stat ns;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)tgid);
	if (stat(path, &ns) < 0)
		return 0;
	if (canister_u64map_get(&reach->mount_ns, ns.st_ino, &found))
		return found;
	entry = malloc(sizeof(*entry));
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)tgid);
	f = entry ? fopen(path, "re") : NULL;
	if (!f) {
		free(entry);
		return 0;
	}
	while (getline(&line, &cap, f) > 0) {
		uint64_t mask = 0;

		if (mountinfo_parse(line, entry) ||
		    !mountinfo_exposes(entry, reach->major, reach->minor, reach->rel))
			continue;
		for (unsigned int i = 0; i < reach->above_count; i++)
			if (mountinfo_within(reach->above[i].rel, entry->root))
				mask |= 1ULL << i;
		/* The deepest root asks the fewest searches: the masks nest. */
		if (!found || (mask & ~(found >> 1)) == 0)
			found = 1 | mask << 1;
	}
	free(line);
	fclose(f);
	free(entry);
	canister_u64map_put(&reach->mount_ns, ns.st_ino, found);
	return found;
}

static bool mode_allows(const struct stat *st, const struct canister_proc_creds *creds,
			uint32_t want)
{
	uint32_t group = st->st_gid;

	/* Groups beyond what /proc showed may hold the file's group: assume they do. */
	return tamper_mode_allows(st->st_mode, st->st_uid, st->st_gid, creds->uid[TAMPER_FS],
				  creds->gid[TAMPER_FS], creds->groups_cut ? &group : creds->groups,
				  creds->groups_cut ? 1 : creds->group_count, want);
}

/*
 * Whether ids @creds may search the directories of @exposed on the way and
 * either change the pin directory's entries (write and search it) or open
 * the labels pin for writing, by mode bits alone.  Directories above the
 * mount in the process's own tree (its /sys, say) are its own and not judged.
 */
static bool writable(const struct pin_reach *pins, uint64_t exposed,
		     const struct canister_proc_creds *creds)
{
	for (unsigned int i = 0; i < pins->above_count; i++)
		if ((exposed >> 1 & 1ULL << i) && !mode_allows(&pins->above[i].st, creds, 1))
			return false;
	if (mode_allows(&pins->dir, creds, 2 | 1))
		return true;
	return mode_allows(&pins->dir, creds, 1) && pins->labels_known &&
	       mode_allows(&pins->labels, creds, 4 | 2);
}

/* Whether /proc/@tgid/@map_file ("uid_map", "gid_map") maps the initial namespace's @id. */
static bool id_mapped(pid_t tgid, const char *map_file, uint32_t id)
{
	unsigned long inside, outside, count;
	char path[64];
	bool mapped = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)tgid, map_file);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!mapped && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		mapped = id >= outside && id - outside < count;
	fclose(f);
	return mapped;
}

struct pin_reach *pin_reach_new(const char *pin_path)
{
	struct pin_reach *reach = calloc(1, sizeof(*reach));

	if (reach)
		read_view(reach, pin_path);
	return reach;
}

void pin_reach_judge(struct pin_reach *reach, pid_t tgid, const struct canister_proc_creds *creds,
		     struct tamper_facts *facts)
{
	uint64_t exposed = reach->known ? exposed_in(reach, tgid) : 0;

	if (!exposed)
		return;
	facts->pin_reached = true;
	facts->pin_writable = writable(reach, exposed, creds);
	facts->pin_owner_mapped = !facts->init_userns &&
				  id_mapped(tgid, "uid_map", (uint32_t)reach->dir.st_uid) &&
				  id_mapped(tgid, "gid_map", (uint32_t)reach->dir.st_gid);
}

void pin_reach_free(struct pin_reach *reach)
{
	if (!reach)
		return;
	canister_u64map_clear(&reach->mount_ns);
	free(reach);
}
