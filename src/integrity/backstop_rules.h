/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the appraisal backstop's pure decisions: what a container enforces, what a verdict
 * holds. */
#ifndef CANISTERD_INTEGRITY_BACKSTOP_RULES_H
#define CANISTERD_INTEGRITY_BACKSTOP_RULES_H

#include "integrity/ima_policy.h"
#include "lib/protocol.h"

#include <linux/types.h>

#include "integrity/backstop_abi.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * backstop_policy_bits() - the hooks (CANISTER_BACKSTOP_EXEC for BPRM_CHECK,
 * CANISTER_BACKSTOP_MMAP for MMAP_CHECK) for which @policy has an `appraise`
 * rule that can match: one naming that func, or naming none.  Its other
 * conditions (fowner, uid, fsmagic...) are left to the gate: the backstop
 * denies only what the gate did not allow, so a wider set of hooks costs a
 * verdict entry, never a wrong allow.  NULL (no policy) appraises nothing.
 */
uint32_t backstop_policy_bits(const struct canister_ima_policy *policy);

/*
 * backstop_container_bits() - a container's value in the enforce map: its
 * policy's bits when its own mode is enforce (denied), the same shifted by
 * CANISTER_BACKSTOP_LOG_SHIFT in log mode (reported, allowed), 0 when off.
 * Its ancestors' values are the BPF side's walk.
 */
uint32_t backstop_container_bits(enum canister_appraise_mode own_mode, uint32_t policy_bits);

/* backstop_judged_hooks() - the hooks an enforce map @value appraises, enforced or logged. */
uint32_t backstop_judged_hooks(uint32_t value);

/* backstop_kernel_dev() - stat(2)'s st_dev as the kernel's s_dev (major << 20 | minor). */
uint64_t backstop_kernel_dev(dev_t dev);

/*
 * backstop_verdict_of() - the key and value that let @contid's processes use
 * the file @st describes for @allowed (CANISTER_BACKSTOP_*) while its ctime
 * and size stay those of @st.
 */
void backstop_verdict_of(uint64_t contid, const struct stat *st, uint32_t allowed,
			 struct canister_backstop_key *ret_key,
			 struct canister_backstop_verdict *ret_verdict);

/* backstop_same_version() - @a and @b were made for the same ctime and size of an inode. */
bool backstop_same_version(const struct canister_backstop_verdict *a,
			   const struct canister_backstop_verdict *b);

/*
 * backstop_hook_name(), backstop_cause_name() - a denial's op= and cause= words
 * in its CONTAINER_INTEGRITY record ("backstop_bprm_check", "not-appraised");
 * "?" for values this build does not know.
 */
const char *backstop_hook_name(unsigned int hook);
const char *backstop_cause_name(unsigned int cause);

#endif
