/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what the integrity capability offers the core: its table entry. */
#ifndef CANISTERD_INTEGRITY_H
#define CANISTERD_INTEGRITY_H

struct capability;
extern const struct capability integrity_capability;

#endif
