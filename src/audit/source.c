// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: whether canisterd takes the kernel's audit stream itself or through auditd's plugin. */
#include "audit/source.h"

#include <errno.h>
#include <stdio.h>

int kaudit_source_choose(enum canister_kernel_audit how, uint32_t holder, bool holder_alive,
			 const char *holder_name, pid_t self, char *why, size_t why_len)
{
	bool held = holder && holder != (uint32_t)self && holder_alive;
	char buf[1];

	if (!why) {
		why = buf;
		why_len = sizeof(buf);
	}
	if (how == CANISTER_KERNEL_AUDIT_OFF)
		return CANISTER_AUDIT_SOURCE_OFF;
	if (!held) {
		snprintf(why, why_len, "kernel_audit = %s: no audit daemon held the stream",
			 canister_kernel_audit_name(how));
		return CANISTER_AUDIT_SOURCE_OWN;
	}
	if (how == CANISTER_KERNEL_AUDIT_ON) {
		snprintf(
			why, why_len,
			"kernel_audit = on: audit daemon pid %u (%s) already receives the kernel's "
			"records; stop it, or set kernel_audit = auto to run beside it",
			holder, holder_name && holder_name[0] ? holder_name : "?");
		return -EBUSY;
	}
	snprintf(why, why_len,
		 "kernel_audit = auto: audit daemon pid %u (%s) holds the stream; its plugin "
		 "canister-audisp feeds canisterd",
		 holder, holder_name && holder_name[0] ? holder_name : "?");
	return CANISTER_AUDIT_SOURCE_AUDITD;
}
