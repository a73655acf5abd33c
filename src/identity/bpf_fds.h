/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which BPF object a process's descriptor holds, from /proc/PID/fd and fdinfo (pure). */
#ifndef CANISTERD_IDENTITY_BPF_FDS_H
#define CANISTERD_IDENTITY_BPF_FDS_H

#include <stdint.h>

/*
 * In lsm mode the guards refuse labelled processes every way of *getting* an
 * fd to canister's maps, programs and links (by id, by pin); an fd taken
 * before (canisterd in trace mode, or before the guard was attached) stays
 * valid across restarts, as the pinned objects keep their ids.  The scanner
 * finds such fds: the link /proc/PID/fd/N names an anonymous inode of the
 * kind, and /proc/PID/fdinfo/N its id.  Both are printed from the open file
 * (d_path of an anonymous inode, the object's own fields) and ask no
 * filesystem anything, so a container cannot make the scan wait on them.
 */

/*
 * bpf_fd_kind() - the enum canister_guarded_kind (map, program, link) of an
 * fd whose /proc/PID/fd link reads @target ("anon_inode:bpf-map",
 * "anon_inode:bpf-prog", "anon_inode:bpf_link"), 0 for any other file.
 */
uint32_t bpf_fd_kind(const char *target);

/*
 * bpf_fd_id() - the id in /proc/PID/fdinfo/N text @fdinfo of an fd of @kind
 * ("map_id:", "prog_id:", "link_id:").  Returns 0, or -ENOENT (no such line:
 * a kernel too old to print it).
 */
int bpf_fd_id(const char *fdinfo, uint32_t kind, uint32_t *ret_id);

#endif
