/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* libcanister: talk to canisterd over its control socket (for orchestrators and the CLI). */
#ifndef CANISTER_CANISTER_H
#define CANISTER_CANISTER_H

#include <stdint.h>
#include <sys/types.h>

#include <canister/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Used when neither the caller nor $CANISTER_SOCKET names a socket. */
#define CANISTER_SOCKET_DEFAULT "/run/canister/control.sock"

struct canister_client;

/*
 * canister_client_connect() - connect to canisterd.
 * @socket_path: NULL for $CANISTER_SOCKET, or else CANISTER_SOCKET_DEFAULT.
 *
 * canisterd identifies the caller from the kernel's record of the connecting
 * process (SO_PEERCRED and a pidfd), so what a client may do depends on who
 * connected, never on what it claims.
 *
 * Returns 0 and a client in *ret_client, or:
 *   -ENOENT        no socket at that path (canisterd not running?)
 *   -ECONNREFUSED  the socket exists but nothing listens
 *   -EACCES        the socket's permissions refuse this user
 *   -ENAMETOOLONG  the path does not fit in a sockaddr_un
 *   -ENOMEM
 */
int canister_client_connect(const char *socket_path, struct canister_client **ret_client);

void canister_client_close(struct canister_client *client);

/*
 * canister_client_error() - a one-line explanation of the client's last
 * failure, as canisterd worded it where it came from the daemon.
 */
const char *canister_client_error(const struct canister_client *client);

/*
 * canister_get() - the contid of process @pid's thread group.
 *
 * Returns 0 with *ret_contid set (CANISTER_CONTID_UNSET when the process is in
 * no container), or -ESRCH (no such process), -EINVAL, or a transport error
 * (-ECONNRESET, -EPROTO, ...).
 */
int canister_get(struct canister_client *client, pid_t pid, uint64_t *ret_contid);

/*
 * canister_set() - register @pid as the first process of container @contid.
 * @contid: CANISTER_CONTID_UNSET asks canisterd to choose a free contid.
 *
 * Returns 0 with the contid in *ret_contid, or:
 *   -EINVAL  malformed request
 *   -EPERM   the caller may not register (needs CAP_AUDIT_CONTROL in the
 *            initial user namespace and must not itself be in a container)
 *   -ESRCH   no such process
 *   -EXDEV   @pid is the caller itself
 *   -EBUSY   @pid already has children (they would escape the container)
 *   -EEXIST  @pid already belongs to a container
 *   -ENOSPC  canister's table of labelled processes is full
 *   -EIO     canisterd could not update its labels map for another reason
 */
int canister_set(struct canister_client *client, pid_t pid, uint64_t contid, uint64_t *ret_contid);

/*
 * canister_status_json() - canisterd's status document (mode, features,
 * counters) as JSON text; the caller frees it with free().
 */
int canister_status_json(struct canister_client *client, char **ret_json);

#ifdef __cplusplus
}
#endif

#endif
