/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the access policies' files under access_dir: written, removed, read back at start. */
#ifndef CANISTERD_ACCESS_STORE_H
#define CANISTERD_ACCESS_STORE_H

#include "access/stored.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* <contid>.policy beneath access_dir; <contid>.policy.refused once refused at start. */
#define ACCESS_STORE_SUFFIX ".policy"
#define ACCESS_STORE_REFUSED_SUFFIX ".policy.refused"

/*
 * access_store_save() - @contid's file under @dir (made, 0700, when missing)
 * becomes @settings and @policy (@len bytes), whole or not at all.  Returns
 * 0, or -errno with "PATH: reason" in @why; the file before stays then.
 */
int access_store_save(const char *dir, uint64_t contid,
		      const struct access_stored_settings *settings, const char *policy, size_t len,
		      char *why, size_t why_len);

/* access_store_remove() - @contid's file goes (and a refused one).  Returns 0 or -errno. */
int access_store_remove(const char *dir, uint64_t contid);

/*
 * access_store_set_aside() - @contid's file, refused, becomes
 * <contid>.policy.refused (replacing an older one), for a human to look at.
 */
int access_store_set_aside(const char *dir, uint64_t contid);

/*
 * access_store_name_contid() - the contid of a directory entry named
 * "<contid>.policy" (decimal, not the unset value); false for any other name.
 */
bool access_store_name_contid(const char *name, uint64_t *ret_contid);

/*
 * access_store_each() - @found for each <contid>.policy under @dir, with its
 * text (NUL-terminated; NULL when it could not be read, @read_error saying
 * why).  A missing @dir holds none.  Returns 0, or -errno when @dir cannot
 * be read.
 */
int access_store_each(const char *dir,
		      void (*found)(uint64_t contid, const char *text, size_t len,
				    const char *read_error, void *ctx),
		      void *ctx);

#endif
