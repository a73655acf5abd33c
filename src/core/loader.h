/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: loads the BPF objects, ties their maps to the pins, attaches and pins their links. */
#ifndef CANISTERD_LOADER_H
#define CANISTERD_LOADER_H

#include "core/canisterd.h"

#include <canister/abi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * loader_load_label() - load the label programs (fork/exit tracking) with
 * their maps reused from, or newly pinned at, the pin path, and attach them.
 *
 * Links are pinned too, so labels keep being inherited while canisterd is
 * stopped or restarting; a restart attaches the new programs before it
 * releases the old ones, so no fork goes untracked in between.
 *
 * Returns 0, or -errno with the reason in @why.
 */
int loader_load_label(struct canisterd *d, char *why, size_t why_len);

/*
 * loader_load_namespaces() - load and attach the setns/unshare programs
 * (namespace records, joins by setns) on the maps of the label object.
 * Returns 0, or -errno with the reason in @why.
 */
int loader_load_namespaces(struct canisterd *d, char *why, size_t why_len);

/*
 * loader_load_guard() - load and attach the BPF LSM programs that defend
 * canister against labelled processes.  Failing is how trace mode is detected.
 * Returns 0, or -errno with the reason in @why.
 */
int loader_load_guard(struct canisterd *d, char *why, size_t why_len);

/*
 * loader_probe_ima_hash() - whether the kernel's verifier accepts a sleepable
 * LSM program that calls bpf_ima_file_hash(); nothing is attached.
 */
bool loader_probe_ima_hash(char *detail, size_t detail_len);

/* loader_drop_stale_links() - unpin links that no program of this run owns. */
void loader_drop_stale_links(struct canisterd *d);

void loader_close(struct canisterd *d);

/*
 * loader_unload() - remove every pin under @pin_path (links, then maps), which
 * detaches canister from the kernel for good and forgets every label.
 * Returns 0 or -errno with the reason in @why.
 */
int loader_unload(const char *pin_path, char *why, size_t why_len);

/*
 * loader_map_walk() - call @visit for every entry of the hash map @fd, until it
 * returns false; each entry at most once, even while entries are deleted.
 * Returns 0 or -errno.
 */
int loader_map_walk(int fd, size_t key_size, size_t value_size,
		    bool (*visit)(const void *key, const void *value, void *ctx), void *ctx);

/*
 * loader_for_each_label() - call @visit for every labelled thread group, until
 * it returns false.  Entries that vanish during the walk (exits) may be missed.
 */
void loader_for_each_label(const struct canisterd *d,
			   bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
			   void *ctx);

/* One counter of the per-CPU stats map (enum canister_stat), summed over the CPUs. */
uint64_t loader_stat_sum(const struct canisterd *d, __u32 index);

/* The fd of a map of the label object, for the control socket and status. */
int loader_labels_fd(const struct canisterd *d);
int loader_stats_fd(const struct canisterd *d);
int loader_events_fd(const struct canisterd *d);
int loader_containers_fd(const struct canisterd *d);
int loader_census_fd(const struct canisterd *d);
int loader_watch_fd(const struct canisterd *d);
int loader_nsjoin_fd(const struct canisterd *d);

#endif
