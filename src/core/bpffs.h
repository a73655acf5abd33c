/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: makes sure the pin directory exists on a bpffs (mounting /sys/fs/bpf if needed). */
#ifndef CANISTERD_BPFFS_H
#define CANISTERD_BPFFS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * bpffs_prepare() - make @pin_path a directory on a bpffs, ready for pins.
 *
 * When the pin path lies under /sys/fs/bpf and nothing is mounted there yet
 * (systemd normally mounts it; bare systems and VMs may not), bpffs is mounted
 * at /sys/fs/bpf, as libbpf-based tools expect.  Any other non-bpffs location
 * is refused rather than silently pinning nowhere.
 *
 * Returns 0 with a description in @detail, or -errno with the reason there.
 */
int bpffs_prepare(const char *pin_path, char *detail, size_t detail_len);

/* bpffs_is_bpffs() - whether @path is on a bpffs. */
bool bpffs_is_bpffs(const char *path);

#endif
