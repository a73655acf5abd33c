/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a container's measurement files under integrity_dir, never seen half written. */
#ifndef CANISTERD_INTEGRITY_PUBLISH_H
#define CANISTERD_INTEGRITY_PUBLISH_H

#include "integrity/ima_list.h"
#include "integrity/ima_policy.h"
#include "integrity/list_bytes.h"
#include "lib/tpm_choice.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * publish_lists() - write @list (and @policy, NULL: none) as @dir/@contid/'s
 * files: ascii_runtime_measurements and binary_runtime_measurements (sha1
 * bank, as the kernel's classic files), their _sha256 twins,
 * runtime_measurements_count, policy, pcrs-sha1 and pcrs-sha256.  Each file
 * is written beside itself and renamed over the old one, so a reader sees the
 * old list or the new one, never a torn one.  The lists' bytes come from
 * @bytes, brought up to @list first (only its new entries are formatted).
 * Returns 0 or the first -errno.
 */
int publish_lists(const char *dir, uint64_t contid, const struct canister_ima_list *list,
		  struct list_bytes *bytes, const struct canister_ima_policy *policy);

/*
 * publish_dir_contid() - the contid an entry @name of integrity_dir is the
 * directory of (digits only, not the unset value) into *@ret_contid; false
 * for any other name (a set-aside or ended list, a dot file).
 */
bool publish_dir_contid(const char *name, uint64_t *ret_contid);

/*
 * publish_read_list() - the binary list @dir/@contid/binary_runtime_measurements
 * a previous canisterd wrote, read back into *@ret_list.  Returns 0, -ENOENT
 * when there is none, or another -errno (-EINVAL: corrupt, with @why).
 */
int publish_read_list(const char *dir, uint64_t contid, struct canister_ima_list *ret_list,
		      char *why, size_t why_len);

/*
 * publish_read_policy() - the policy @dir/@contid/policy holds, as
 * publish_lists() wrote it (the policy the list was measured under), parsed
 * back into *@ret_policy; the file is read as a policy file is
 * (canister_ima_policy_load(): canisterd's own, not group or world writable).
 * Returns 0, -ENOENT when there is none, or another -errno with @why.
 */
int publish_read_policy(const char *dir, uint64_t contid, struct canister_ima_policy **ret_policy,
			char *why, size_t why_len);

/* The file beside the list that says whether the container has a swtpm. */
#define PUBLISH_TPM_FILE "integrity_tpm"

/*
 * publish_write_tpm() - @choice as @dir/@contid/integrity_tpm ("none" or
 * "swtpm" and a newline), written beside itself and renamed.  Returns 0 or
 * -errno.
 */
int publish_write_tpm(const char *dir, uint64_t contid, enum canister_tpm_choice choice);

/*
 * publish_read_tpm() - the choice publish_write_tpm() saved, read as a
 * policy file is (canisterd's own, not group or world writable, no symlink).
 * Returns 0, -ENOENT when there is none, or another -errno with @why
 * (-EINVAL: not a choice).
 */
int publish_read_tpm(const char *dir, uint64_t contid, enum canister_tpm_choice *ret_choice,
		     char *why, size_t why_len);

/*
 * publish_set_aside() - @dir/@contid renamed to @dir/@contid.refused-@when,
 * its name in @aside: a list canisterd refused to reload stays for whoever
 * looks into it, and the container's next list starts in a directory of its
 * own.  Returns 0 or -errno.
 */
int publish_set_aside(const char *dir, uint64_t contid, int64_t when, char *aside,
		      size_t aside_len);

/*
 * publish_end() - @dir/@contid renamed to @dir/@contid.ended-@when (a later
 * second if that name is taken), its name in @ended: the list of a container
 * that ended, kept for a verifier, never reloaded as a live one's, and out of
 * the way of a later container given the same contid.  Returns 0, -ENOENT
 * when @contid has no list, or another -errno.
 */
int publish_end(const char *dir, uint64_t contid, int64_t when, char *ended, size_t ended_len);

/*
 * publish_find_ended() - the newest ended list of @contid under @dir, its
 * directory's name (no path) into @ret_name.  Returns 0 or -ENOENT.
 */
int publish_find_ended(const char *dir, uint64_t contid, char *ret_name, size_t name_len);

/*
 * publish_prune_ended() - removes the oldest ended lists under @dir until at
 * most @keep stay (ended_lists.h says which names are ended lists; nothing
 * else is touched).  *@ret_removed counts those removed.  Returns 0 or the
 * first -errno (what could be removed is).
 */
int publish_prune_ended(const char *dir, size_t keep, size_t *ret_removed);

#endif
