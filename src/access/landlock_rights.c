// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: an access policy's rights as Landlock's access bits, per Landlock ABI version. */
#include "access/landlock_rights.h"

#include <stdio.h>
#include <string.h>

uint64_t access_ll_fs(uint32_t rights, int abi)
{
	uint64_t bits = 0;

	if (abi < 1)
		return 0;
	if (rights & CANISTER_ACCESS_FS_EXECUTE)
		bits |= ACCESS_LL_FS_EXECUTE;
	if (rights & CANISTER_ACCESS_FS_READ)
		bits |= ACCESS_LL_FS_READ_FILE | ACCESS_LL_FS_READ_DIR;
	if (rights & CANISTER_ACCESS_FS_WRITE)
		bits |= ACCESS_LL_FS_WRITE_FILE | (abi >= 3 ? ACCESS_LL_FS_TRUNCATE : 0);
	if (rights & CANISTER_ACCESS_FS_CREATE)
		bits |= ACCESS_LL_FS_MAKE_ALL;
	if (rights & CANISTER_ACCESS_FS_REMOVE)
		bits |= ACCESS_LL_FS_REMOVE_DIR | ACCESS_LL_FS_REMOVE_FILE;
	return bits;
}

uint64_t access_ll_net(uint32_t rights, int abi)
{
	uint64_t bits = 0;

	if (abi < 4)
		return 0;
	if (rights & CANISTER_ACCESS_NET_BIND)
		bits |= ACCESS_LL_NET_BIND_TCP;
	if (rights & CANISTER_ACCESS_NET_CONNECT)
		bits |= ACCESS_LL_NET_CONNECT_TCP;
	return bits;
}

void access_ll_gaps(const struct canister_access_policy *policy, int abi,
		    struct access_ll_gaps *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (abi < 1) {
		ret->fs = policy->fs_handled;
		ret->net = policy->net_handled;
		ret->scopes = policy->scopes;
		return;
	}
	if (abi < 4)
		ret->net = policy->net_handled;
	/* ptrace is scoped by every Landlock domain since ABI 1; signals since ABI 6. */
	if (abi < 6)
		ret->scopes = policy->scopes & CANISTER_ACCESS_SCOPE_SIGNAL;
	ret->truncate = abi < 3 && (policy->fs_handled & CANISTER_ACCESS_FS_WRITE);
	ret->refer = abi < 2;
}

static void put_names(char *buf, size_t size, const char *kind, uint32_t bits, uint32_t all,
		      const char *(*name)(uint32_t))
{
	for (uint32_t bit = 1; bit <= all; bit <<= 1)
		if (bits & bit)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s %s",
				 buf[0] ? ", " : "", kind, name(bit));
}

bool access_ll_gaps_text(const struct access_ll_gaps *gaps, char *buf, size_t size)
{
	if (!size)
		return false;
	buf[0] = '\0';
	put_names(buf, size, "fs", gaps->fs, CANISTER_ACCESS_FS_ALL, canister_access_fs_right_name);
	put_names(buf, size, "net", gaps->net, CANISTER_ACCESS_NET_ALL,
		  canister_access_net_right_name);
	put_names(buf, size, "scope", gaps->scopes, CANISTER_ACCESS_SCOPE_ALL,
		  canister_access_scope_name);
	if (gaps->truncate)
		snprintf(buf + strlen(buf), size - strlen(buf), "%struncate(2) under fs write",
			 buf[0] ? ", " : "");
	if (gaps->refer)
		snprintf(buf + strlen(buf), size - strlen(buf),
			 "%srenames across directories (all refused)", buf[0] ? ", " : "");
	return buf[0] != '\0';
}
