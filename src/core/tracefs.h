/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: makes sure tracefs is mounted, which attaching syscall tracepoints needs. */
#ifndef CANISTERD_TRACEFS_H
#define CANISTERD_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * tracefs_prepare() - make /sys/kernel/tracing (or debugfs's tracing/) usable.
 *
 * libbpf finds a tracepoint's id under tracefs.  systemd mounts it on most
 * systems; where nothing is mounted (minimal hosts, VMs) canisterd mounts
 * tracefs at /sys/kernel/tracing, its standard place, and says so in @detail.
 * Returns 0, or -errno with the reason in @detail.
 */
int tracefs_prepare(char *detail, size_t detail_len);

#endif
