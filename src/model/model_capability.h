/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what the behaviour model capability offers the core. */
#ifndef CANISTERD_MODEL_CAPABILITY_H
#define CANISTERD_MODEL_CAPABILITY_H

#include <stdbool.h>

struct capability;
extern const struct capability model_capability;

/* Whether the capability started (it holds domains). */
bool model_running(void);

#endif
