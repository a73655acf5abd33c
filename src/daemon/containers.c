// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the table of live containers (pinned maps), their process counts and their drop. */
#include "daemon/containers.h"

#include "daemon/loader.h"
#include "daemon/log.h"
#include "daemon/records.h"

#include <bpf/bpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int containers_lookup(const struct canisterd *d, uint64_t contid, struct canister_container *ret)
{
	__u64 key = contid;

	if (contid == CANISTER_CONTID_UNSET)
		return -ENOENT;
	if (bpf_map_lookup_elem(loader_containers_fd(d), &key, ret))
		return -errno;
	return 0;
}

void containers_chain(const struct canisterd *d, uint64_t contid, uint64_t *chain,
		      unsigned int *ret_depth)
{
	unsigned int depth = 0;

	/* The depth bound also ends a cycle, which only a corrupted map could hold. */
	while (contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX) {
		struct canister_container c;

		chain[depth++] = contid;
		if (containers_lookup(d, contid, &c) < 0)
			break;
		contid = c.parent;
	}
	*ret_depth = depth;
}

static int64_t census_delta(const struct canisterd *d, uint64_t contid)
{
	struct canister_census census = { 0 };
	__u64 key = contid;

	if (bpf_map_lookup_elem(loader_census_fd(d), &key, &census))
		return 0;
	return census.delta;
}

int64_t containers_processes(const struct canisterd *d, uint64_t contid)
{
	struct canister_container c;

	if (containers_lookup(d, contid, &c) < 0)
		return 0;
	return c.registered + census_delta(d, contid);
}

int containers_create(struct canisterd *d, uint64_t contid, const struct canister_container *c)
{
	struct canister_census zero = { 0 };
	__u64 key = contid;

	/* The census first: the label written next makes BPF count forks into it. */
	if (bpf_map_update_elem(loader_census_fd(d), &key, &zero, BPF_ANY))
		return -errno;
	if (bpf_map_update_elem(loader_containers_fd(d), &key, c, BPF_NOEXIST)) {
		int r = -errno;

		bpf_map_delete_elem(loader_census_fd(d), &key);
		return r;
	}
	return 0;
}

int containers_adjust(struct canisterd *d, uint64_t contid, int64_t by)
{
	struct canister_container c;
	__u64 key = contid;
	int r;

	r = containers_lookup(d, contid, &c);
	if (r < 0)
		return r;
	/* Only canisterd writes this map, and it does so from one thread. */
	c.registered += by;
	if (bpf_map_update_elem(loader_containers_fd(d), &key, &c, BPF_EXIST))
		return -errno;
	return 0;
}

void containers_destroy(struct canisterd *d, uint64_t contid)
{
	struct canister_container c;
	__u64 key = contid;

	if (containers_lookup(d, contid, &c) == 0 && c.mnt_ns) {
		__u32 mnt = c.mnt_ns;
		struct canister_nsjoin entry;

		/* Another container may have claimed the namespace meanwhile; leave it be. */
		if (bpf_map_lookup_elem(loader_nsjoin_fd(d), &mnt, &entry) == 0 &&
		    entry.contid == contid)
			bpf_map_delete_elem(loader_nsjoin_fd(d), &mnt);
	}
	bpf_map_delete_elem(loader_containers_fd(d), &key);
	bpf_map_delete_elem(loader_census_fd(d), &key);
}

void containers_publish_nsjoin(struct canisterd *d, uint64_t contid,
			       const struct canister_container *c)
{
	struct canister_nsjoin entry = { .contid = contid, .pid_ns = c->pid_ns };
	__u32 mnt = c->mnt_ns;

	if (!c->mnt_ns || !c->pid_ns || c->mnt_ns == d->host_mnt_ns || c->pid_ns == d->host_pid_ns)
		return;
	if (bpf_map_update_elem(loader_nsjoin_fd(d), &mnt, &entry, BPF_NOEXIST))
		log_warning("container %" PRIu64 ": mount namespace %u already belongs to another "
			    "container; processes entering it by setns are not labelled (%s)",
			    contid, mnt, strerror(errno));
}

struct label_count {
	uint64_t contid;
	uint64_t count;
};

static bool count_label(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct label_count *count = ctx;

	if (label->contid == count->contid)
		count->count++;
	return true;
}

uint64_t containers_count_labelled(const struct canisterd *d, uint64_t contid)
{
	struct label_count count = { .contid = contid };

	loader_for_each_label(d, count_label, &count);
	return count.count;
}

void containers_for_each(const struct canisterd *d,
			 bool (*visit)(uint64_t contid, const struct canister_container *c,
				       void *ctx),
			 void *ctx)
{
	int fd = loader_containers_fd(d);
	__u64 key, next;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct canister_container c;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &c) == 0 && !visit(key, &c, ctx))
			return;
	}
}

struct child_search {
	uint64_t parent;
	bool found;
};

static bool find_child(uint64_t contid, const struct canister_container *c, void *ctx)
{
	struct child_search *search = ctx;

	search->found = c->parent == search->parent;
	return !search->found;
}

static bool has_nested(const struct canisterd *d, uint64_t contid)
{
	struct child_search search = { .parent = contid };

	containers_for_each(d, find_child, &search);
	return search.found;
}

void containers_check_drop(struct canisterd *d, uint64_t contid, uint64_t ktime_ns)
{
	/* A drop can empty its parent in turn; the depth bound ends the walk up. */
	for (int level = 0; level < CANISTER_NEST_LIMIT_MAX; level++) {
		struct canister_op_record rec = { .op = CANISTER_CONTAINER_OP_DROP, .res = 1 };
		struct canister_container c;
		int64_t processes;
		uint64_t labelled;

		if (containers_lookup(d, contid, &c) < 0)
			return;
		processes = c.registered + census_delta(d, contid);
		if (processes > 0 || has_nested(d, contid))
			return;
		/* The counts say empty; the labels map is the truth, so ask it. */
		labelled = containers_count_labelled(d, contid);
		if (labelled) {
			log_warning("container %" PRIu64 ": count said %" PRId64
				    " processes but %" PRIu64 " carry its label; count corrected",
				    contid, processes, labelled);
			containers_adjust(d, contid, (int64_t)labelled - processes);
			return;
		}
		rec.opid = (pid_t)c.first_tgid;
		rec.contid = CANISTER_CONTID_UNSET;
		rec.old_contid = contid;
		rec.name = c.name[0] ? c.name : NULL;
		record_op(d, ktime_ns, &rec);
		containers_destroy(d, contid);
		d->drops++;
		log_info("container %" PRIu64 "%s%s%s dropped: its last process exited", contid,
			 c.name[0] ? " (" : "", c.name, c.name[0] ? ")" : "");
		if (c.parent == CANISTER_CONTID_UNSET)
			return;
		contid = c.parent;
	}
}

struct contid_list {
	uint64_t *contids;
	size_t count, cap;
};

static bool collect(uint64_t contid, const struct canister_container *c, void *ctx)
{
	struct contid_list *list = ctx;

	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		uint64_t *grown = realloc(list->contids, cap * sizeof(*grown));

		if (!grown)
			return false;
		list->contids = grown;
		list->cap = cap;
	}
	list->contids[list->count++] = contid;
	return true;
}

void containers_reconcile(struct canisterd *d)
{
	struct contid_list list = { 0 };

	/* Collected first: dropping while iterating the map would skip entries. */
	containers_for_each(d, collect, &list);
	for (size_t i = 0; i < list.count; i++) {
		struct canister_container c;
		int64_t processes;
		uint64_t labelled;

		if (containers_lookup(d, list.contids[i], &c) < 0)
			continue;
		processes = c.registered + census_delta(d, list.contids[i]);
		labelled = containers_count_labelled(d, list.contids[i]);
		/* Losses in the ring buffer do not skew the count (BPF keeps it), but a
		 * crash mid-registration can; the labels are the truth. */
		if (labelled && (int64_t)labelled != processes) {
			log_warning("container %" PRIu64 ": count said %" PRId64
				    " processes but %" PRIu64 " carry its label; count corrected",
				    list.contids[i], processes, labelled);
			containers_adjust(d, list.contids[i], (int64_t)labelled - processes);
		}
		if (!labelled)
			containers_adjust(d, list.contids[i], -processes);
		containers_check_drop(d, list.contids[i], 0);
	}
	free(list.contids);
}
