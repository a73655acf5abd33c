/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the cross-container grants held, kept in access_dir/grants, dropped with containers.
 */
#ifndef CANISTERD_ACCESS_GRANTS_H
#define CANISTERD_ACCESS_GRANTS_H

#include "access/grant_parse.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The file under access_dir, and where a refused one is set aside. */
#define ACCESS_GRANTS_FILE "grants"
#define ACCESS_GRANTS_REFUSED_FILE "grants.refused"

/*
 * access_grants_open() - read @dir's grants file back; those whose holder or
 * target is no longer the container it was granted for are dropped (and the
 * file written again).  A file that does not read or parse is refused
 * loudly: logged, set aside as grants.refused, said by the status; no grant
 * is held.  Returns 0 (a refused file too), or -errno for a directory that
 * cannot be read.
 */
int access_grants_open(const char *dir, char *why, size_t why_len);
void access_grants_close(void);

/*
 * access_grants_add() - hold @grant, written to disk first (whole, fsync,
 * rename, 0600): -EEXIST when held already, -ENOSPC beyond
 * ACCESS_GRANTS_MAX, -EIO with @why when the file cannot be written
 * (nothing changes).
 */
int access_grants_add(const struct access_grant *grant, char *why, size_t why_len);

/* access_grants_remove() - as add: -ENOENT when @grant is not held. */
int access_grants_remove(const struct access_grant *grant, char *why, size_t why_len);

/* access_grants_of() - the grants @holder holds, at most @room of them, into @ret; their number. */
size_t access_grants_of(uint64_t holder, struct access_grant *ret, size_t room);

/* Every grant held, for the kernel's map: *@ret_count of them, valid until the next change. */
const struct access_grant *access_grants_all(size_t *ret_count);

/*
 * access_grants_sweep() - drop the grants whose holder or target is not
 * @live (live and registered at that time); true when any went.
 */
bool access_grants_sweep(bool (*live)(uint64_t contid, int64_t registered_ns));

/* Why the stored grants were refused at start, or NULL. */
const char *access_grants_refused(void);

#endif
