/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what the audit capability offers the core: its table entry. */
#ifndef CANISTERD_AUDIT_H
#define CANISTERD_AUDIT_H

struct capability;
extern const struct capability audit_capability;

#endif
