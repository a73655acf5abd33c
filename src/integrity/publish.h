/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a container's measurement files under integrity_dir, never seen half written. */
#ifndef CANISTERD_INTEGRITY_PUBLISH_H
#define CANISTERD_INTEGRITY_PUBLISH_H

#include "integrity/ima_list.h"
#include "integrity/ima_policy.h"

#include <stdint.h>

/*
 * publish_lists() - write @list (and @policy, NULL: none) as @dir/@contid/'s
 * files: ascii_runtime_measurements and binary_runtime_measurements (sha1
 * bank, as the kernel's classic files), their _sha256 twins,
 * runtime_measurements_count, policy, pcrs-sha1 and pcrs-sha256.  Each file
 * is written beside itself and renamed over the old one, so a reader sees the
 * old list or the new one, never a torn one.  Returns 0 or the first -errno.
 */
int publish_lists(const char *dir, uint64_t contid, const struct canister_ima_list *list,
		  const struct canister_ima_policy *policy);

/*
 * publish_read_list() - the binary list @dir/@contid/binary_runtime_measurements
 * a previous canisterd wrote, read back into *@ret_list.  Returns 0, -ENOENT
 * when there is none, or another -errno (-EINVAL: corrupt, with @why).
 */
int publish_read_list(const char *dir, uint64_t contid, struct canister_ima_list *ret_list,
		      char *why, size_t why_len);

#endif
