/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the Unix control socket: accepts clients, identifies them, answers requests. */
#ifndef CANISTERD_CONTROL_H
#define CANISTERD_CONTROL_H

#include "core/canisterd.h"

/*
 * control_open() - create and listen on the configured socket (mode 0600).
 * A socket that still answers belongs to another canisterd: that is refused
 * (-EADDRINUSE) instead of stealing it.  The socket and every client it
 * accepts are served by the main loop from then on.  Returns 0 or -errno with @why.
 */
int control_open(struct canisterd *d, char *why, size_t why_len);

void control_close(struct canisterd *d);

/* control_daemon_running() - whether something answers on @socket_path. */
bool control_daemon_running(const char *socket_path);

#endif
