/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what the access capability offers the core and the other capabilities. */
#ifndef CANISTERD_ACCESS_H
#define CANISTERD_ACCESS_H

#include "core/canisterd.h"

#include <stdbool.h>

struct capability;
extern const struct capability access_capability;

/* Whether the capability started (it holds policies). */
bool access_running(void);

/* access_dir, as canisterd started with it (a reload does not move it). */
const char *access_dir(void);

/* access_policy (the default policy's file), as canisterd started with it; "" none. */
const char *access_default_path(void);

#endif
