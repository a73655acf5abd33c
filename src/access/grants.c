// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the cross-container grants held, kept in access_dir/grants, dropped with containers.
 */
#include "access/grants.h"

#include "core/log.h"
#include "lib/mkdir.h"
#include "lib/trusted_file.h"
#include "lib/whole_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* access_dir (CANISTER_CONFIG_PATH_MAX at most) and a file name. */
#define DIR_MAX_GRANTS 512
#define PATH_MAX_GRANTS (DIR_MAX_GRANTS + 32)

static struct {
	char dir[DIR_MAX_GRANTS];
	struct access_grant held[ACCESS_GRANTS_MAX];
	size_t count;
	char refused[512];
	bool was_refused;
} grants;

static void path_of(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX_GRANTS, "%s/%s", grants.dir, name);
}

/* @list of @count as the file, replacing the old one whole; -errno with @why. */
static int save(const struct access_grant *list, size_t count, char *why, size_t why_len)
{
	char path[PATH_MAX_GRANTS], temp[PATH_MAX_GRANTS];
	size_t len;
	char *text;
	int r;

	/* Only root reads it: who may act on whose processes. */
	r = canister_mkdir_p(grants.dir, 0700);
	if (r < 0) {
		snprintf(why, why_len, "%s: cannot create: %s", grants.dir, strerror(-r));
		return r;
	}
	r = access_grants_format(list, count, &text, &len);
	if (r < 0) {
		snprintf(why, why_len, "out of memory");
		return r;
	}
	path_of(path, ACCESS_GRANTS_FILE);
	path_of(temp, ACCESS_GRANTS_FILE ".tmp");
	r = canister_write_whole_file(path, temp, text, len, 0600, true, why, why_len);
	free(text);
	return r;
}

static void refuse(const char *why)
{
	char path[PATH_MAX_GRANTS], aside[PATH_MAX_GRANTS];

	log_error("access: the stored grants are refused, no container holds one: %s", why);
	snprintf(grants.refused, sizeof(grants.refused), "%s", why);
	grants.was_refused = true;
	path_of(path, ACCESS_GRANTS_FILE);
	path_of(aside, ACCESS_GRANTS_REFUSED_FILE);
	if (rename(path, aside) < 0)
		log_warning("access: the refused grants file stays: %s", strerror(errno));
}

int access_grants_open(const char *dir, char *why, size_t why_len)
{
	char path[PATH_MAX_GRANTS], reason[768];
	char *text = NULL;
	size_t len;
	int r;

	grants.count = 0;
	grants.was_refused = false;
	grants.refused[0] = '\0';
	snprintf(grants.dir, sizeof(grants.dir), "%s", dir);
	path_of(path, ACCESS_GRANTS_FILE);
	/* canisterd's own file: root's, and nobody else may have written it. */
	r = canister_read_trusted_file(path, ACCESS_GRANTS_FILE_MAX, &text, &len, reason,
				       sizeof(reason));
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		refuse(reason);
		return 0;
	}
	r = access_grants_parse(text, len, ACCESS_GRANTS_FILE, grants.held, &grants.count, reason,
				sizeof(reason));
	free(text);
	if (r < 0) {
		grants.count = 0;
		refuse(reason);
	}
	(void)why;
	(void)why_len;
	return 0;
}

void access_grants_close(void)
{
	grants.count = 0;
}

static ssize_t find(const struct access_grant *grant)
{
	for (size_t i = 0; i < grants.count; i++)
		if (access_grant_same(&grants.held[i], grant))
			return (ssize_t)i;
	return -1;
}

int access_grants_add(const struct access_grant *grant, char *why, size_t why_len)
{
	int r;

	if (find(grant) >= 0)
		return -EEXIST;
	if (grants.count == ACCESS_GRANTS_MAX)
		return -ENOSPC;
	grants.held[grants.count] = *grant;
	/* On disk first: a grant that would not survive a restart is not taken. */
	r = save(grants.held, grants.count + 1, why, why_len);
	if (r < 0)
		return -EIO;
	grants.count++;
	return 0;
}

/* @list without entry @i, in @scratch. */
static size_t without(size_t i, struct access_grant *scratch)
{
	memcpy(scratch, grants.held, i * sizeof(*scratch));
	memcpy(scratch + i, grants.held + i + 1, (grants.count - i - 1) * sizeof(*scratch));
	return grants.count - 1;
}

int access_grants_remove(const struct access_grant *grant, char *why, size_t why_len)
{
	static struct access_grant scratch[ACCESS_GRANTS_MAX];
	ssize_t i = find(grant);
	size_t count;
	int r;

	if (i < 0)
		return -ENOENT;
	count = without((size_t)i, scratch);
	/* A revoke that would come back at a restart is not done. */
	r = save(scratch, count, why, why_len);
	if (r < 0)
		return -EIO;
	memcpy(grants.held, scratch, count * sizeof(*scratch));
	grants.count = count;
	return 0;
}

size_t access_grants_of(uint64_t holder, struct access_grant *ret, size_t room)
{
	size_t n = 0;

	for (size_t i = 0; i < grants.count && n < room; i++)
		if (grants.held[i].holder == holder)
			ret[n++] = grants.held[i];
	return n;
}

const struct access_grant *access_grants_all(size_t *ret_count)
{
	*ret_count = grants.count;
	return grants.held;
}

bool access_grants_sweep(bool (*live)(uint64_t contid, int64_t registered_ns))
{
	size_t kept = 0, before = grants.count;
	char why[512];

	for (size_t i = 0; i < grants.count; i++) {
		const struct access_grant *g = &grants.held[i];

		if (live(g->holder, g->holder_registered) &&
		    (!g->credential || live(g->target, g->target_registered))) {
			grants.held[kept++] = *g;
			continue;
		}
		log_info("access: a grant to container %llu goes with a dropped container",
			 (unsigned long long)g->holder);
	}
	grants.count = kept;
	if (kept == before)
		return false;
	/* Held no more whatever the disk says; a file left behind is swept again at start. */
	if (save(grants.held, grants.count, why, sizeof(why)) < 0)
		log_error("access: cannot write the grants after a drop: %s", why);
	return true;
}

const char *access_grants_refused(void)
{
	return grants.was_refused ? grants.refused : NULL;
}
