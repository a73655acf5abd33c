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

/*
 * control_tick() - every CANISTERD_TICK_MS: closes connections idle for
 * control_idle_timeout, and writes the summary records that are due.
 */
void control_tick(struct canisterd *d);

/* What `canister status` shows of the control socket ("counters": control_*). */
struct control_counters {
	uint64_t connections, host_connections;	     /* open now */
	uint64_t accepted, refused_connections;	     /* refused: by a limit or unidentified */
	uint64_t unidentified, idle_closed;	     /* refused unidentified; closed idle */
	uint64_t throttled_requests;		     /* refused over the request rate */
	uint64_t refusals_recorded, refusals_folded; /* refusal records written, left out */
	uint64_t summaries;			     /* CONTAINER_REFUSALS records */
};
void control_counters(struct control_counters *ret);

/* control_daemon_running() - whether something answers on @socket_path. */
bool control_daemon_running(const char *socket_path);

#endif
