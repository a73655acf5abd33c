/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: probes what the running kernel offers, for the mode decision and `canister status`. */
#ifndef CANISTERD_FEATURES_H
#define CANISTERD_FEATURES_H

#include "core/canisterd.h"

/* Names and empty results for every feature; call once before probing. */
void features_init(struct canisterd *d);

void feature_set(struct canisterd *d, enum feature_id id, bool available, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * features_active_lsms() - the kernel's active LSM list, or why it cannot be
 * read.  Returns true when the list could be read; "bpf" in it means the BPF
 * LSM is enabled (a trial attach still decides lsm mode).
 */
bool features_active_lsms(char *buf, size_t len);

/* features_probe_audit() - whether the kernel audit netlink answers, and its state. */
void features_probe_audit(struct canisterd *d);

#endif
