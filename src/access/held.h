/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the access policies it holds, one per container, and the stored ones it refused. */
#ifndef CANISTERD_ACCESS_HELD_H
#define CANISTERD_ACCESS_HELD_H

#include "access/policy.h"
#include "access/stored.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A container's policy as canisterd holds it. */
struct access_held {
	uint64_t contid;
	struct canister_access_policy *policy;
	char *text; /* its canonical text, NUL-terminated */
	size_t text_len;
	struct access_stored_settings settings;
	bool from_default; /* canister.conf's access_policy: @contid is CANISTER_CONTID_UNSET */
};

/*
 * The containers that hold a policy of their own, at most: a load for one
 * more is refused (the BPF maps are sized for them and the default).
 */
#define ACCESS_HELD_MAX 4096

/*
 * access_held_put() - @contid's policy is @policy (its canonical @text of
 * @text_len bytes, malloc'd), replacing the one it held; the table takes both
 * and forgets a refusal of @contid.  Returns 0, or (both freed, the table
 * as it was) -E2BIG when @contid is new and ACCESS_HELD_MAX containers hold
 * one, -ENOMEM.
 */
int access_held_put(uint64_t contid, struct canister_access_policy *policy, char *text,
		    size_t text_len, const struct access_stored_settings *settings);

/* access_held_find() - @contid's own, or NULL; valid until the table next changes. */
const struct access_held *access_held_find(uint64_t contid);

/*
 * access_held_room() - whether @contid may hold a policy of its own: it holds
 * one already (a replacement), or fewer than ACCESS_HELD_MAX containers do.
 */
bool access_held_room(uint64_t contid);

/*
 * access_held_set_default() - canister.conf's access_policy: the policy of
 * every container that holds none of its own, from now on (NULL: none).  The
 * table takes @policy and @text.
 */
void access_held_set_default(struct canister_access_policy *policy, char *text, size_t text_len,
			     const struct access_stored_settings *settings);

/* access_held_default() - the default policy, or NULL; valid as access_held_find()'s. */
const struct access_held *access_held_default(void);

/*
 * access_held_judging() - the policy that judges @contid's level of a chain:
 * its own, else the default (from_default), else NULL.
 */
const struct access_held *access_held_judging(uint64_t contid);

/*
 * access_held_handles_fs() - whether a held policy, or the default, handles
 * one of the file rights @rights (CANISTER_ACCESS_FS_*).  Main loop.
 */
bool access_held_handles_fs(uint32_t rights);

/* access_held_any() - whether some level can be judged: a container holds one, or a default. */
bool access_held_any(void);

/* access_held_at() - the @index'th of access_held_count(), in no order. */
size_t access_held_count(void);
const struct access_held *access_held_at(size_t index);

/* access_held_drop() - @contid holds no policy any more, and no refusal. */
void access_held_drop(uint64_t contid);

/*
 * access_held_refuse() - @contid's stored policy did not reload: @why, kept
 * for `canister policy show` until it loads one or is dropped.  -ENOMEM.
 */
int access_held_refuse(uint64_t contid, const char *why);

/* access_held_refused() - why @contid's stored policy was refused, or NULL. */
const char *access_held_refused(uint64_t contid);

/* access_held_refused_count() - containers whose stored policy was refused. */
size_t access_held_refused_count(void);

/* access_held_refused_contid() - the @index'th of them. */
uint64_t access_held_refused_contid(size_t index);

void access_held_clear(void);

/*
 * For a thread other than the main loop (the file gate's): access_held_find()
 * and access_held_at() under the lock, for as long as a decision takes.
 * access_held_trylock() never waits (false: the table is busy).
 */
void access_held_lock(void);
bool access_held_trylock(void);
void access_held_unlock(void);

#endif
