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
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Ticks (100 ms) between sweeps. */
#define SWEEP_TICKS 10
/*
 * Seconds a container is gone before its list is set aside: its swtpm
 * (attest.c), whose state lies in the list's directory, is stopped by a
 * sweep of its own within about two seconds of the drop.
 */
#define GRACE_SECONDS 3

struct gone {
	uint64_t contid;
	time_t since; /* CLOCK_MONOTONIC seconds when a sweep first found it gone */
};

static struct {
	char dir[CANISTER_CONFIG_PATH_MAX];
	unsigned int keep;
	unsigned int ticks;
	bool open;
	struct gone *gone;
	size_t gone_count;
} ended;

static time_t monotonic_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec;
}

static bool container_gone(uint64_t contid)
{
	uint64_t parent;

	return identity_parent(contid, &parent) == -ENOENT;
}

static void set_aside(uint64_t contid)
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

void ended_open(const char *dir, unsigned int keep)
{
	struct dirent *entry;
	DIR *top;

	snprintf(ended.dir, sizeof(ended.dir), "%s", dir);
	ended.keep = keep;
	ended.ticks = 0;
	ended.open = true;
	top = opendir(dir);
	if (top) {
		/* Renaming while reading the directory may show an entry twice: the second
		 * finds no list (-ENOENT). */
		while ((entry = readdir(top))) {
			uint64_t contid;
			char *end;

			if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
				continue;
			errno = 0;
			contid = strtoull(entry->d_name, &end, 10);
			if (errno || *end || contid == CANISTER_CONTID_UNSET ||
			    !container_gone(contid))
				continue;
			set_aside(contid);
		}
		closedir(top);
	}
	prune();
}

void ended_close(void)
{
	free(ended.gone);
	ended.gone = NULL;
	ended.gone_count = 0;
	ended.open = false;
}

/* When @contid was first found gone (now, if not before); -1 with no memory to remember it. */
static time_t gone_since(uint64_t contid, time_t now)
{
	struct gone *bigger;

	for (size_t i = 0; i < ended.gone_count; i++)
		if (ended.gone[i].contid == contid)
			return ended.gone[i].since;
	bigger = realloc(ended.gone, (ended.gone_count + 1) * sizeof(*ended.gone));
	if (!bigger)
		return -1;
	ended.gone = bigger;
	ended.gone[ended.gone_count++] = (struct gone){ .contid = contid, .since = now };
	return now;
}

static void forget_gone(size_t i)
{
	ended.gone[i] = ended.gone[--ended.gone_count];
}

static void sweep(void)
{
	size_t total = measure_containers(NULL, 0), n;
	struct measure_container *held;
	time_t now = monotonic_seconds();
	bool any = false;

	held = total ? calloc(total, sizeof(*held)) : NULL;
	if (!held)
		return;
	n = measure_containers(held, total);
	n = n < total ? n : total;
	for (size_t i = 0; i < n; i++) {
		time_t since;

		if (!container_gone(held[i].contid))
			continue;
		since = gone_since(held[i].contid, now);
		if (since < 0 || now - since < GRACE_SECONDS)
			continue;
		set_aside(held[i].contid);
		any = true;
	}
	free(held);
	/* Forget what is set aside, or came back (a contid registered again). */
	for (size_t i = 0; i < ended.gone_count;)
		if (now - ended.gone[i].since >= GRACE_SECONDS ||
		    !container_gone(ended.gone[i].contid))
			forget_gone(i);
		else
			i++;
	if (any)
		prune();
}

void ended_tick(void)
{
	if (ended.open && ++ended.ticks % SWEEP_TICKS == 0)
		sweep();
}
