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

/* A container's name: what the orchestrator calls it (a UUID, an OCI id, a 64-hex digest). */
#define CANISTER_NAME_MAX 64
/* Nesting: a top-level container has depth 1; canisterd's limit is configurable up to this. */
#define CANISTER_NEST_LIMIT_MAX 20
#define CANISTER_NEST_LIMIT_DEFAULT 4

/*
 * canister_register() - make @pid the first process of container @contid, or,
 * when @contid is a live container of the caller's, add @pid to it.
 * @contid: CANISTER_CONTID_UNSET asks canisterd to choose a free contid.
 * @name:   NULL, or 1..CANISTER_NAME_MAX characters of [A-Za-z0-9._:+@-];
 *          recorded once, at registration, next to the contid.
 *
 * Returns 0 with the contid in *ret_contid, or:
 *   -EINVAL    malformed request (contid (u64)-1, a bad name, a thread id)
 *   -EPERM     the caller may not register: it needs CAP_AUDIT_CONTROL in the
 *              initial user namespace outside any container, or a delegation
 *   -ESRCH     no such process
 *   -EXDEV     @pid is the caller itself, or a delegated caller asked for a
 *              process that is not its descendant
 *   -EEXIST    @pid already belongs to a container, and this is not a nested
 *              registration (caller and @pid in the same container)
 *   -ENOTUNIQ  @contid belongs to another orchestrator, or is bound to another name
 *   -EMLINK    the new container would nest deeper than canisterd's limit
 *   -EBUSY     @pid has children (they would stay outside), or forked while
 *              being registered
 *   -ENOSPC    canister's table of labelled processes is full
 *   -EIO       canisterd could not update its maps for another reason
 */
int canister_register(struct canister_client *client, pid_t pid, uint64_t contid, const char *name,
		      uint64_t *ret_contid);

/* canister_set() - canister_register() without a name. */
int canister_set(struct canister_client *client, pid_t pid, uint64_t contid, uint64_t *ret_contid);

/*
 * canister_delegate() - let process @pid (and what it forks from now on)
 * register its own descendants, also from inside a user namespace or a
 * container.  Needs CAP_AUDIT_CONTROL in the initial user namespace.
 * Returns 0, or -EPERM, -ESRCH, -EINVAL, -EEXIST (already delegated), -EIO.
 */
int canister_delegate(struct canister_client *client, pid_t pid);

/* What canister_get_info() reports of one process. */
struct canister_info {
	/* chain[0] is the process's container, chain[1] its parent, ...; depth 0: no container */
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;
	char name[CANISTER_NAME_MAX + 1]; /* "" when the container has none */
	int delegated;			  /* the process may register its descendants */
};

/*
 * canister_get_info() - the container chain and name of process @pid.
 * Returns 0, or the errors of canister_get().
 */
int canister_get_info(struct canister_client *client, pid_t pid, struct canister_info *ret_info);

/* One container as canister_list() reports it. */
struct canister_container_entry {
	uint64_t chain[CANISTER_NEST_LIMIT_MAX]; /* chain[0] is the container itself */
	unsigned int depth;			 /* 1 for a top-level container */
	char name[CANISTER_NAME_MAX + 1];	 /* "" when it has none */
	uint64_t processes;			 /* live thread groups */
	pid_t first_pid;			 /* the process it was registered with */
	uint32_t owner;				 /* 0: the host; else the delegation that made it */
	int64_t registered;			 /* when, in seconds since the epoch */
};

/*
 * canister_list() - every live container, in contid order.  The caller frees
 * *ret_entries with free().  Returns 0, -ENOMEM, or a transport error.
 */
int canister_list(struct canister_client *client, struct canister_container_entry **ret_entries,
		  size_t *ret_count);

/*
 * canister_status_json() - canisterd's status document (mode, features,
 * counters) as JSON text; the caller frees it with free().
 */
int canister_status_json(struct canister_client *client, char **ret_json);

/*
 * canister_version() - the version of the libcanister that is linked ("0.1.0"),
 * which may be newer than the header a program was built with.
 */
const char *canister_version(void);

#ifdef __cplusplus
}
#endif

#endif
