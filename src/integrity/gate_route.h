/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: where the file gate sends one permission event (pure). */
#ifndef CANISTERD_GATE_ROUTE_H
#define CANISTERD_GATE_ROUTE_H

#include <stdbool.h>
#include <sys/types.h>

enum gate_route {
	GATE_ROUTE_SELF,  /* canisterd's own access: allowed at once, never judged */
	GATE_ROUTE_HOST,  /* a process in no container: allowed at once */
	GATE_ROUTE_JUDGE, /* a container's: to a worker, which measures and judges */
	GATE_ROUTE_BUSY,  /* a container's with no room left to judge it: the fail policy answers */
};

struct gate_route_facts {
	pid_t pid;  /* the opener's thread group, as fanotify reports it */
	pid_t self; /* canisterd's */
	bool labelled;
	unsigned int pending;		/* events taken and not yet released, all containers */
	unsigned int pending_max;	/* the gate's room for them */
	unsigned int container_pending; /* of those, the opener's container's */
	unsigned int container_max;	/* one container's share */
};

/*
 * gate_route() - the route of one event.  canisterd's own opens come first:
 * a judge that waits on an open of canisterd's own (its log, a list) would
 * otherwise wait on itself.  A container gets at most @container_max of the
 * room, so one that stalls its judges (a FUSE file that never answers a
 * read) cannot take every other container's turn.
 */
enum gate_route gate_route(const struct gate_route_facts *facts);

#endif
