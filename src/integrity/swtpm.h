/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a container's swtpm process: started in its state directory, stopped and reaped. */
#ifndef CANISTERD_INTEGRITY_SWTPM_H
#define CANISTERD_INTEGRITY_SWTPM_H

#include <stddef.h>
#include <sys/types.h>

/* The server socket's name in the state directory; the control socket adds ".ctrl". */
#define SWTPM_SOCKET "sock"
#define SWTPM_ARGS_MAX 16

/*
 * swtpm_args() - the argument vector of `swtpm socket` for state directory
 * @dir: TPM 2.0, state in @dir, server and control on unix sockets in @dir,
 * started up already (not-need-init, startup-clear: canisterd never sends
 * TPM2_Startup or CMD_INIT).  @paths holds the strings the vector points to
 * (3 * @paths_len bytes).  Returns 0, or -ENAMETOOLONG when a socket path
 * would not fit a sockaddr_un.
 */
int swtpm_args(const char *dir, char *paths, size_t paths_len, const char **ret_argv);

/*
 * swtpm_start() - a swtpm for state directory @dir (made if missing, 0700)
 * as a child of canisterd that dies with it (PR_SET_PDEATHSIG), waited for
 * until its server socket accepts, up to @wait_ms.  Returns its pid, or
 * -errno with @why (the child is killed and reaped).
 */
pid_t swtpm_start(const char *dir, unsigned int wait_ms, char *why, size_t why_len);

/*
 * swtpm_stop() - SIGTERM, up to @wait_ms for it to exit (swtpm saves its
 * state on the way), then SIGKILL; reaped either way.
 */
void swtpm_stop(pid_t pid, unsigned int wait_ms);

#endif
