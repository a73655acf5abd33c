/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister: an access policy's rights as Landlock's access bits, for the
 * Landlock ABI version the running kernel has, and what that version
 * cannot enforce.
 */
#ifndef CANISTER_ACCESS_LANDLOCK_RIGHTS_H
#define CANISTER_ACCESS_LANDLOCK_RIGHTS_H

#include "access/policy.h"

/*
 * The kernel's UAPI values (include/uapi/linux/landlock.h, stable ABI);
 * Debian 12's headers stop at ABI 2, so the later ones are named here.
 */
#define ACCESS_LL_FS_EXECUTE (1ULL << 0)
#define ACCESS_LL_FS_WRITE_FILE (1ULL << 1)
#define ACCESS_LL_FS_READ_FILE (1ULL << 2)
#define ACCESS_LL_FS_READ_DIR (1ULL << 3)
#define ACCESS_LL_FS_REMOVE_DIR (1ULL << 4)
#define ACCESS_LL_FS_REMOVE_FILE (1ULL << 5)
#define ACCESS_LL_FS_MAKE_ALL (0x7fULL << 6) /* MAKE_CHAR ... MAKE_SYM */
#define ACCESS_LL_FS_REFER (1ULL << 13)	     /* ABI 2 */
#define ACCESS_LL_FS_TRUNCATE (1ULL << 14)   /* ABI 3 */
#define ACCESS_LL_NET_BIND_TCP (1ULL << 0)   /* ABI 4 */
#define ACCESS_LL_NET_CONNECT_TCP (1ULL << 1)
#define ACCESS_LL_SCOPE_SIGNAL (1ULL << 1) /* ABI 6 */
/* What Landlock lets a rule grant on a file that is not a directory. */
#define ACCESS_LL_FS_FILE_ONLY                                                     \
	(ACCESS_LL_FS_EXECUTE | ACCESS_LL_FS_WRITE_FILE | ACCESS_LL_FS_READ_FILE | \
	 ACCESS_LL_FS_TRUNCATE)

/* access_ll_fs() - the Landlock file access bits of @rights (CANISTER_ACCESS_FS_*) at @abi. */
uint64_t access_ll_fs(uint32_t rights, int abi);

/* access_ll_net() - the Landlock TCP access bits of @rights (CANISTER_ACCESS_NET_*) at @abi. */
uint64_t access_ll_net(uint32_t rights, int abi);

/* What a policy asks that Landlock at @abi cannot enforce (0 < @abi; @abi <= 0: no Landlock). */
struct access_ll_gaps {
	uint32_t fs;	 /* CANISTER_ACCESS_FS_* not enforced */
	uint32_t net;	 /* CANISTER_ACCESS_NET_* not enforced */
	uint32_t scopes; /* CANISTER_ACCESS_SCOPE_* not enforced */
	bool truncate;	 /* write is enforced but truncate(2) is not (ABI < 3) */
	bool refer;	 /* every rename or link across directories is refused (ABI 1) */
};
void access_ll_gaps(const struct canister_access_policy *policy, int abi,
		    struct access_ll_gaps *ret);

/*
 * access_ll_gaps_text() - the gaps as one line for a user ("net connect,
 * scope signal"), into @buf; returns false when there is none.
 */
bool access_ll_gaps_text(const struct access_ll_gaps *gaps, char *buf, size_t size);

#endif
