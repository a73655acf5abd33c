// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: who may register which process into which container (pure decision, no I/O). */
#include "lib/registry.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

static int refuse(char *why, size_t why_len, int r, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return r;
}

int canister_registry_check_set(const struct canister_caller *caller,
				const struct canister_target *target, uint64_t contid, char *why,
				size_t why_len)
{
	if (contid == CANISTER_CONTID_UNSET)
		return refuse(why, why_len, -EINVAL, "contid %" PRIu64 " means unset", contid);
	if (caller->in_container)
		return refuse(why, why_len, -EPERM,
			      "caller (pid %d) is inside a container and holds no delegation",
			      (int)caller->tgid);
	if (!caller->cap_audit_control)
		return refuse(why, why_len, -EPERM,
			      "caller (pid %d) lacks CAP_AUDIT_CONTROL in the initial user "
			      "namespace",
			      (int)caller->tgid);
	if (!target->exists)
		return refuse(why, why_len, -ESRCH, "no process %d", (int)target->tgid);
	if (target->tgid == caller->tgid)
		return refuse(why, why_len, -EXDEV,
			      "pid %d is the caller itself; register a child instead",
			      (int)target->tgid);
	if (target->in_container)
		return refuse(why, why_len, -EEXIST, "pid %d already belongs to container %" PRIu64,
			      (int)target->tgid, target->contid);
	if (target->has_children)
		return refuse(why, why_len, -EBUSY,
			      "pid %d already has children, which would stay outside the container",
			      (int)target->tgid);
	return 0;
}
