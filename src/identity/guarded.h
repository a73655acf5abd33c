/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: owns the guarded map (lsm mode): canister's BPF object ids and the pins' inodes. */
#ifndef CANISTERD_IDENTITY_GUARDED_H
#define CANISTERD_IDENTITY_GUARDED_H

#include <canister/abi.h>
#include <stddef.h>

/*
 * guarded_open() - fill the guarded map @map_fd (guard_objects.bpf.c reads
 * it) with the pin directory's inodes and the id of every BPF object the
 * loader has seen, then of each one it sees later; entries of earlier runs
 * whose object is gone are dropped.  Returns 0, or -errno with @why (the pin
 * directory cannot be read).
 */
int guarded_open(int map_fd, const char *pin_path, char *why, size_t why_len);

/*
 * guarded_adopt_pinned() - on a restart in lsm mode, before this run loads
 * anything: the guarded map pinned by the last run (which the still attached
 * guard reads) learns each new object as it comes, not only once this run's
 * guard is loaded.  Nothing happens when there is no such pin.
 */
void guarded_adopt_pinned(const char *pin_path);

/* guarded_close() - stop adding; the map and its entries stay pinned. */
void guarded_close(void);

/*
 * guarded_pins_dev() - the kernel's device number (s_dev) of the filesystem
 * that holds @pin_path.  Returns 0 or -errno (stat).
 */
int guarded_pins_dev(const char *pin_path, __u32 *ret_dev);

#endif
