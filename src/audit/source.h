/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: whether canisterd takes the kernel's audit stream itself or through auditd's plugin. */
#ifndef CANISTER_AUDIT_SOURCE_H
#define CANISTER_AUDIT_SOURCE_H

#include "lib/config.h"
#include "lib/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * kaudit_source_choose() - how canisterd (pid @self) takes the kernel's
 * events, with kernel_audit = @how, when AUDIT_GET names @holder as the
 * audit daemon (0: none) and @holder_alive says whether that process lives
 * (the kernel clears a dead daemon's pid only at its next send).  A holder
 * that is canisterd itself, or dead, holds nothing.  Writes in @why (may be
 * NULL) why, in words, naming @holder_name (its comm, may be NULL) when it
 * decides; @why is left alone when @how is off.
 *
 * Returns the source (enum canister_audit_source):
 *   off         @how off
 *   own_stream  @how on or auto, and no other living daemon holds the stream
 *   auditd      @how auto, and another living daemon holds it: canisterd
 *               takes what that daemon hands its plugins
 * or -EBUSY: @how on, and another living daemon holds the stream.
 */
int kaudit_source_choose(enum canister_kernel_audit how, uint32_t holder, bool holder_alive,
			 const char *holder_name, pid_t self, char *why, size_t why_len);

#endif
