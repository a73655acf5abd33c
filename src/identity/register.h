/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: registration of a process into a container, and delegation to orchestrators. */
#ifndef CANISTERD_REGISTER_H
#define CANISTERD_REGISTER_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

/*
 * The handlers of "set" and "delegate" (see core/reply.h): 0 with ret->set or
 * ret->delegate, or -errno with the reason; every decision is also a
 * CONTAINER_OP record.
 */
int register_handle_set(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret);
int register_handle_delegate(struct canisterd *d, const struct peer *peer,
			     const struct canister_request *request, struct canister_reply *ret);

/* register_open() - take the watch map from programs.c (after programs_load_label()). */
void register_open(void);
void register_close(void);

/*
 * register_forget_watches() - at start-up, remove the fork watches a
 * previous canisterd left when it died in the middle of a registration.
 */
void register_forget_watches(void);

/*
 * register_check_pid_namespace() - pids in requests are resolved in
 * canisterd's pid namespace; a caller in another one would name someone
 * else.  Returns 0, or -EXDEV (-EPERM if the caller is gone) with @why.
 */
int register_check_pid_namespace(const struct canisterd *d, const struct peer *peer, char *why,
				 size_t why_len);

/*
 * register_check_host_admin() - is the caller the host's audit administrator
 * (CAP_AUDIT_CONTROL in the initial user namespace, in no container)?
 * Returns 0, or -EPERM with the reason in @why.
 */
int register_check_host_admin(const struct canisterd *d, const struct peer *peer, char *why,
			      size_t why_len);

#endif
