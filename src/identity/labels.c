// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the one owner of the pinned labels map (thread group -> label) and of BPF's counters.
 */
#include "identity/labels.h"

#include "core/loader.h"
#include "core/log.h"
#include "identity/pending.h"
#include "identity/programs.h"
#include "lib/u64map.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct {
	int labels_fd, stats_fd;
	/*
	 * The labels_room value, mapped: canisterd's own adds and deletes move
	 * its count with the same atomic instructions as BPF's (bpf/maps.bpf.h),
	 * so a registration and a fork never both take the last slot.
	 */
	struct canister_labels_room *room;
	size_t room_bytes;
	/*
	 * Each labelled thread group's contid, kept as the labels map changes:
	 * the audit stream asks for every event, and a system call each is what
	 * it would otherwise cost.  Every change to the map is seen here: those
	 * canisterd makes (labels_write() and the rest), and those BPF makes,
	 * each of which it reports on the ring buffer (a fork copies a label, an
	 * exit deletes it, a join by setns writes one).  A ring-buffer loss may
	 * miss one, so then the copy is made again from the map.
	 */
	struct canister_u64map contids;
	bool contids_complete;
} labels = { .labels_fd = -1, .stats_fd = -1 };

static bool count_entry(__u32 tgid, const struct canister_label *label, void *ctx)
{
	(*(uint64_t *)ctx)++;
	return true;
}

static int room_open(char *why, size_t why_len)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned int entries, wanted;
	uint64_t count = 0;
	void *mapped;

	labels.room_bytes = page > 0 ? (size_t)page : 4096;
	mapped = mmap(NULL, labels.room_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		      programs_labels_room_fd(), 0);
	if (mapped == MAP_FAILED) {
		int r = -errno;

		snprintf(why, why_len, "cannot map the labels_room map: %s", strerror(-r));
		return r;
	}
	labels.room = mapped;
	programs_labels_size(&entries, &wanted);
	/*
	 * A new room map (first start, or after --unload) counts what the labels
	 * map already holds: nothing, unless an older canister left its labels.
	 */
	if (__atomic_load_n(&labels.room->capacity, __ATOMIC_SEQ_CST) == 0) {
		labels_for_each(count_entry, &count);
		__atomic_store_n(&labels.room->used, count, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&labels.room->capacity, entries, __ATOMIC_SEQ_CST);
	return 0;
}

static bool room_reserve(void)
{
	if (__atomic_fetch_add(&labels.room->used, 1, __ATOMIC_SEQ_CST) <
	    __atomic_load_n(&labels.room->capacity, __ATOMIC_SEQ_CST))
		return true;
	__atomic_fetch_sub(&labels.room->used, 1, __ATOMIC_SEQ_CST);
	return false;
}

static void room_release(void)
{
	__atomic_fetch_sub(&labels.room->used, 1, __ATOMIC_SEQ_CST);
}

void labels_room(uint64_t *ret_used, uint64_t *ret_capacity)
{
	*ret_used = labels.room ? __atomic_load_n(&labels.room->used, __ATOMIC_SEQ_CST) : 0;
	*ret_capacity = labels.room ? __atomic_load_n(&labels.room->capacity, __ATOMIC_SEQ_CST) : 0;
}

static bool copy_label(__u32 tgid, const struct canister_label *label, void *ctx)
{
	if (canister_u64map_put(&labels.contids, tgid, label->contid) < 0)
		labels.contids_complete = false;
	return true;
}

void labels_mirror_rebuild(void)
{
	canister_u64map_clear(&labels.contids);
	labels.contids_complete = true;
	/* Pending labels too: canisterd's audit path attributes their events. */
	if (labels_for_each_all(copy_label, NULL) < 0)
		labels.contids_complete = false;
}

int labels_open(char *why, size_t why_len)
{
	int r;

	labels.labels_fd = programs_map_fd(IDENTITY_MAP_LABELS);
	labels.stats_fd = programs_map_fd(IDENTITY_MAP_STATS);
	r = room_open(why, why_len);
	if (r < 0)
		return r;
	labels_mirror_rebuild();
	return 0;
}

void labels_close(void)
{
	if (labels.room)
		munmap(labels.room, labels.room_bytes);
	labels.room = NULL;
	/* The fds are the skeleton's: programs_close() closes them. */
	labels.labels_fd = labels.stats_fd = -1;
	canister_u64map_clear(&labels.contids);
	labels.contids_complete = false;
}

void labels_mirror_set(pid_t tgid, uint64_t contid)
{
	if (canister_u64map_put(&labels.contids, (uint64_t)tgid, contid) < 0)
		labels.contids_complete = false;
}

void labels_mirror_forget(pid_t tgid)
{
	canister_u64map_remove(&labels.contids, (uint64_t)tgid);
}

int labels_contid(pid_t tgid, uint64_t *ret_contid)
{
	struct canister_label label;
	int r;

	if (labels.contids_complete)
		return canister_u64map_get(&labels.contids, (uint64_t)tgid, ret_contid) ? 0
											: -ENOENT;
	/* Short of memory for the copy: the map itself answers. */
	r = labels_lookup(tgid, &label);
	if (r == 0)
		*ret_contid = label.contid;
	return r;
}

/*
 * In lsm mode a process whose label the map could not take at its fork
 * carries it pending in its task storage, and the kernel's checks read it
 * there: a caller or target of canisterd is judged by the same label.
 */
int labels_lookup(pid_t tgid, struct canister_label *ret_label)
{
	__u32 key = tgid;
	int r;

	if (bpf_map_lookup_elem(labels.labels_fd, &key, ret_label) == 0)
		return 0;
	r = -errno;
	if (r == -ENOENT && pending_lookup(tgid, ret_label) == 0)
		return 0;
	return r;
}

int labels_write(pid_t tgid, const struct canister_label *label)
{
	__u32 key = tgid;

	/* Replacing takes no slot; adding one does, as BPF's labels_add(). */
	if (bpf_map_update_elem(labels.labels_fd, &key, label, BPF_EXIST) == 0)
		goto written;
	if (errno != ENOENT)
		return -errno;
	if (!room_reserve())
		return -ENOSPC;
	if (bpf_map_update_elem(labels.labels_fd, &key, label, BPF_NOEXIST)) {
		int r = -errno;

		room_release();
		return r;
	}
	/* The entry replaces a pending label (lsm mode), and has its own slot. */
	if (pending_take(tgid))
		room_release();
written:
	labels_mirror_set(tgid, label->contid);
	return 0;
}

void labels_delete(pid_t tgid)
{
	__u32 key = tgid;

	if (bpf_map_delete_elem(labels.labels_fd, &key) == 0)
		room_release();
	labels_mirror_forget(tgid);
}

void labels_restore(pid_t tgid, const struct canister_label *old, bool had_label)
{
	__u32 key = tgid;

	if (had_label && bpf_map_update_elem(labels.labels_fd, &key, old, BPF_EXIST) == 0)
		labels_mirror_set(tgid, old->contid);
	else if (!had_label)
		labels_delete(tgid);
}

struct label_walk {
	bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx);
	void *ctx;
};

static bool visit_label(const void *key, const void *value, void *ctx)
{
	const struct label_walk *walk = ctx;

	return walk->visit(*(const __u32 *)key, value, walk->ctx);
}

int labels_for_each(bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
		    void *ctx)
{
	struct label_walk walk = { .visit = visit, .ctx = ctx };
	int r;

	r = loader_map_walk(labels.labels_fd, sizeof(__u32), sizeof(struct canister_label),
			    visit_label, &walk);
	if (r < 0)
		log_warning("cannot walk the labels map: %s", strerror(-r));
	return r;
}

struct all_walk {
	struct label_walk walk;
	struct canister_u64map seen; /* pending labels visited */
	bool stopped, incomplete;
};

static bool visit_pending(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct all_walk *all = ctx;

	if (canister_u64map_put(&all->seen, tgid, 1) < 0)
		all->incomplete = true;
	if (!all->walk.visit(tgid, label, all->walk.ctx))
		all->stopped = true;
	return !all->stopped;
}

static bool visit_unseen(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct all_walk *all = ctx;
	uint64_t value;

	if (canister_u64map_get(&all->seen, tgid, &value))
		return true;
	return all->walk.visit(tgid, label, all->walk.ctx);
}

/*
 * The pending labels first, then the map: a label only ever moves from
 * pending into the map (a retry at fork or exec, or canisterd's write), so a
 * process missed by the first walk is in the map by the second, and one that
 * moved between them was seen in the first and is skipped in the second.
 */
int labels_for_each_all(bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
			void *ctx)
{
	struct all_walk all = { .walk = { .visit = visit, .ctx = ctx } };
	int r;

	r = pending_for_each(visit_pending, &all);
	if (r < 0)
		log_warning("cannot look for pending labels in /proc: %s", strerror(-r));
	if (all.incomplete)
		r = -ENOMEM;
	if (r == 0 && !all.stopped)
		r = labels_for_each(visit_unseen, &all);
	canister_u64map_clear(&all.seen);
	return r;
}

uint64_t labels_stat_sum(__u32 index)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t sum = 0, *values;

	if (cpus <= 0)
		return 0;
	values = calloc(cpus, sizeof(*values));
	if (!values)
		return 0;
	if (bpf_map_lookup_elem(labels.stats_fd, &index, values) == 0)
		for (int i = 0; i < cpus; i++)
			sum += values[i];
	free(values);
	return sum;
}
