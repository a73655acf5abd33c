// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the table of live containers (pinned maps), their process counts and their drop. */
#include "identity/containers.h"
#include "identity/container_cgroup.h"

#include "core/capability.h"
#include "core/loader.h"
#include "core/log.h"
#include "identity/identity.h"
#include "identity/records.h"
#include "lib/u64map.h"
#include "identity/labels.h"
#include "identity/programs.h"
#include "lib/clock.h"

#include <bpf/bpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Containers dropped lately and what they were nested in: kernel audit
 * records are read after the fact, and a nested container's event read after
 * its drop still names its whole chain.  Kept as long as exited processes
 * stay attributable (the audit stream's pid history), in a ring that forgets
 * the oldest first.
 */
#define DROPPED_KEPT 4096
#define DROPPED_RETENTION_NS (60ULL * 1000000000ULL)

/* This file owns the containers, census and nsjoin maps; nobody else touches them. */
static struct {
	int containers_fd, census_fd, nsjoin_fd;
	uint64_t dropped_count; /* containers dropped since start */
	/*
	 * Each live container's parent, as the containers map has it: a chain is
	 * asked for every audit event of a contained process, and this map is
	 * written by canisterd alone (create, destroy), so a copy in memory
	 * saves a system call per link.  The gate's reader walks it for every
	 * cached exec of a container: written under @parents_lock, which other
	 * threads take to read (the main loop, the one writer, reads without).
	 */
	struct canister_u64map parents;
	pthread_mutex_t parents_lock;
	uint64_t live; /* entries in the containers map */
	struct {
		uint64_t contid, parent, dropped_ns;
	} dropped[DROPPED_KEPT];
	size_t dropped_next;
} owned = { .containers_fd = -1,
	    .census_fd = -1,
	    .nsjoin_fd = -1,
	    .parents_lock = PTHREAD_MUTEX_INITIALIZER };

static int parents_put(uint64_t contid, uint64_t parent)
{
	int r;

	pthread_mutex_lock(&owned.parents_lock);
	r = canister_u64map_put(&owned.parents, contid, parent);
	pthread_mutex_unlock(&owned.parents_lock);
	return r;
}

static void parents_remove(uint64_t contid)
{
	pthread_mutex_lock(&owned.parents_lock);
	canister_u64map_remove(&owned.parents, contid);
	pthread_mutex_unlock(&owned.parents_lock);
}

static bool remember_parent(uint64_t contid, const struct canister_container *c, void *ctx)
{
	owned.live++;
	if (parents_put(contid, c->parent) < 0)
		*(bool *)ctx = false;
	/* What the previous canisterd said of its cgroup, said again. */
	container_cgroup_found_live(contid);
	return true;
}

int containers_open(struct canisterd *d)
{
	bool complete = true;

	owned.containers_fd = programs_map_fd(IDENTITY_MAP_CONTAINERS);
	owned.census_fd = programs_map_fd(IDENTITY_MAP_CENSUS);
	owned.nsjoin_fd = programs_map_fd(IDENTITY_MAP_NSJOIN);
	container_cgroup_open();
	owned.live = 0;
	/* The containers a previous canisterd left (they outlive it) are known from the start. */
	containers_for_each(d, remember_parent, &complete);
	return complete ? 0 : -ENOMEM;
}

void containers_close(void)
{
	/* The skeleton's fds: programs_close() closes them. */
	owned.containers_fd = owned.census_fd = owned.nsjoin_fd = -1;
	container_cgroup_close();
	pthread_mutex_lock(&owned.parents_lock);
	canister_u64map_clear(&owned.parents);
	pthread_mutex_unlock(&owned.parents_lock);
	owned.live = 0;
}

uint64_t identity_live_containers(void)
{
	return owned.live;
}

uint64_t containers_dropped_count(void)
{
	return owned.dropped_count;
}

int containers_lookup(const struct canisterd *d, uint64_t contid, struct canister_container *ret)
{
	__u64 key = contid;

	if (contid == CANISTER_CONTID_UNSET)
		return -ENOENT;
	if (bpf_map_lookup_elem(owned.containers_fd, &key, ret))
		return -errno;
	return 0;
}

int containers_parent(uint64_t contid, uint64_t *ret_parent)
{
	struct canister_container c;
	bool found;
	int r;

	if (contid == CANISTER_CONTID_UNSET)
		return -ENOENT;
	/*
	 * Held only while the main loop adds or removes one entry, but an add
	 * may grow the table: a reader that finds it held asks the map instead
	 * of waiting, and gets the same answer.
	 */
	if (pthread_mutex_trylock(&owned.parents_lock) == 0) {
		found = canister_u64map_get(&owned.parents, contid, ret_parent);
		pthread_mutex_unlock(&owned.parents_lock);
		return found ? 0 : -ENOENT;
	}
	r = containers_lookup(NULL, contid, &c);
	if (r == 0)
		*ret_parent = c.parent;
	return r;
}

static void remember_dropped(uint64_t contid, uint64_t parent)
{
	owned.dropped[owned.dropped_next].contid = contid;
	owned.dropped[owned.dropped_next].parent = parent;
	owned.dropped[owned.dropped_next].dropped_ns = canister_monotonic_ns();
	owned.dropped_next = (owned.dropped_next + 1) % DROPPED_KEPT;
}

static bool parent_of_dropped(uint64_t contid, uint64_t *ret_parent)
{
	uint64_t now = canister_monotonic_ns();

	/* Newest first: a contid dropped twice was last nested where it was last. */
	for (size_t n = 1; n <= DROPPED_KEPT; n++) {
		size_t i = (owned.dropped_next + DROPPED_KEPT - n) % DROPPED_KEPT;

		if (!owned.dropped[i].dropped_ns ||
		    now - owned.dropped[i].dropped_ns > DROPPED_RETENTION_NS)
			return false;
		if (owned.dropped[i].contid == contid) {
			*ret_parent = owned.dropped[i].parent;
			return true;
		}
	}
	return false;
}

void containers_chain(const struct canisterd *d, uint64_t contid, uint64_t *chain,
		      unsigned int *ret_depth)
{
	unsigned int depth = 0;

	/* The depth bound also ends a cycle, which only a corrupted map could hold. */
	while (contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX) {
		chain[depth++] = contid;
		if (!canister_u64map_get(&owned.parents, contid, &contid) &&
		    !parent_of_dropped(contid, &contid))
			break;
	}
	*ret_depth = depth;
}

static int64_t census_delta(const struct canisterd *d, uint64_t contid)
{
	struct canister_census census = { 0 };
	__u64 key = contid;

	if (bpf_map_lookup_elem(owned.census_fd, &key, &census))
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
	if (bpf_map_update_elem(owned.census_fd, &key, &zero, BPF_ANY))
		return -errno;
	if (bpf_map_update_elem(owned.containers_fd, &key, c, BPF_NOEXIST)) {
		int r = -errno;

		bpf_map_delete_elem(owned.census_fd, &key);
		return r;
	}
	if (parents_put(contid, c->parent) < 0) {
		bpf_map_delete_elem(owned.containers_fd, &key);
		bpf_map_delete_elem(owned.census_fd, &key);
		return -ENOMEM;
	}
	/* Before the label too: the container's first write to a cgroup finds it. */
	container_cgroup_record(contid, c->parent, (pid_t)c->first_tgid);
	/* Told before the caller writes the label: what watches containers misses none of it. */
	if (owned.live++ == 0)
		capabilities_containers_present(d, true);
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
	if (bpf_map_update_elem(owned.containers_fd, &key, &c, BPF_EXIST))
		return -errno;
	return 0;
}

static void unpublish_nsjoin(struct canisterd *d, uint64_t contid,
			     const struct canister_container *c)
{
	struct canister_nsjoin entry;
	__u32 mnt = c->mnt_ns;

	/* Another container may have claimed the namespace meanwhile; leave it be. */
	if (c->mnt_ns && bpf_map_lookup_elem(owned.nsjoin_fd, &mnt, &entry) == 0 &&
	    entry.contid == contid)
		bpf_map_delete_elem(owned.nsjoin_fd, &mnt);
}

void containers_destroy(struct canisterd *d, uint64_t contid)
{
	struct canister_container c;
	__u64 key = contid;

	if (containers_lookup(d, contid, &c) == 0)
		unpublish_nsjoin(d, contid, &c);
	if (bpf_map_delete_elem(owned.containers_fd, &key) == 0 && owned.live && --owned.live == 0)
		capabilities_containers_present(d, false);
	bpf_map_delete_elem(owned.census_fd, &key);
	container_cgroup_forget(contid);
	parents_remove(contid);
}

void containers_publish_nsjoin(struct canisterd *d, uint64_t contid,
			       const struct canister_container *c)
{
	struct canister_nsjoin entry = { .contid = contid, .pid_ns = c->pid_ns };
	__u32 mnt = c->mnt_ns;

	if (!c->mnt_ns || !c->pid_ns || c->mnt_ns == d->host_mnt_ns || c->pid_ns == d->host_pid_ns)
		return;
	if (bpf_map_update_elem(owned.nsjoin_fd, &mnt, &entry, BPF_NOEXIST))
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

	labels_for_each_all(count_label, &count);
	return count.count;
}

struct container_walk {
	bool (*visit)(uint64_t contid, const struct canister_container *c, void *ctx);
	void *ctx;
};

static bool visit_container(const void *key, const void *value, void *ctx)
{
	const struct container_walk *walk = ctx;

	return walk->visit(*(const __u64 *)key, value, walk->ctx);
}

void containers_for_each(const struct canisterd *d,
			 bool (*visit)(uint64_t contid, const struct canister_container *c,
				       void *ctx),
			 void *ctx)
{
	struct container_walk walk = { .visit = visit, .ctx = ctx };
	int r;

	r = loader_map_walk(owned.containers_fd, sizeof(__u64), sizeof(struct canister_container),
			    visit_container, &walk);
	if (r < 0)
		log_warning("cannot walk the containers map: %s", strerror(-r));
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

/*
 * The labels map is the truth, the count a cheap trigger.  The count is only
 * corrected when it did not move while the labels were walked, or a fork or
 * exit during the walk would be counted twice, for good.
 */
static void correct_count(struct canisterd *d, uint64_t contid, int64_t before, int64_t after,
			  uint64_t labelled)
{
	if (before != after || (int64_t)labelled == after)
		return;
	log_warning("container %" PRIu64 ": count said %" PRId64 " processes but %" PRIu64
		    " carry its label; count corrected",
		    contid, after, labelled);
	containers_adjust(d, contid, (int64_t)labelled - after);
}

void containers_check_drop(struct canisterd *d, uint64_t contid)
{
	/* A drop can empty its parent in turn; the depth bound ends the walk up. */
	for (int level = 0; level < CANISTER_NEST_LIMIT_MAX; level++) {
		struct canister_op_record rec = { .op = CANISTER_CONTAINER_OP_DROP, .res = 1 };
		struct canister_container c;
		int64_t before, after;
		uint64_t labelled;

		if (containers_lookup(d, contid, &c) < 0)
			return;
		before = c.registered + census_delta(d, contid);
		if (before > 0 || has_nested(d, contid))
			return;
		/*
		 * No process should be left.  Nobody can enter by setns once the
		 * namespace is unpublished; then the labels are asked.
		 */
		unpublish_nsjoin(d, contid, &c);
		labelled = containers_count_labelled(d, contid);
		after = containers_processes(d, contid);
		if (labelled || after > 0) {
			correct_count(d, contid, before, after, labelled);
			containers_publish_nsjoin(d, contid, &c);
			return;
		}
		rec.opid = (pid_t)c.first_tgid;
		rec.contid = CANISTER_CONTID_UNSET;
		rec.old_contid = contid;
		rec.name = c.name[0] ? c.name : NULL;
		record_op(d, 0, &rec);
		remember_dropped(contid, c.parent);
		containers_destroy(d, contid);
		owned.dropped_count++;
		log_info("container %" PRIu64 "%s%s%s dropped: its last process exited", contid,
			 c.name[0] ? " (" : "", c.name, c.name[0] ? ")" : "");
		if (c.parent == CANISTER_CONTID_UNSET)
			return;
		contid = c.parent;
	}
}

struct census_entry {
	uint64_t contid;
	int64_t before; /* the count before the walk */
	uint64_t labelled;
};

struct census_table {
	struct census_entry *entries;
	size_t count, cap;
};

static bool collect(uint64_t contid, const struct canister_container *c, void *ctx)
{
	struct census_table *table = ctx;

	if (table->count == table->cap) {
		size_t cap = table->cap ? table->cap * 2 : 64;
		struct census_entry *grown = realloc(table->entries, cap * sizeof(*grown));

		if (!grown)
			return false;
		table->entries = grown;
		table->cap = cap;
	}
	table->entries[table->count++] = (struct census_entry){ .contid = contid };
	return true;
}

static int by_contid(const void *a, const void *b)
{
	uint64_t x = ((const struct census_entry *)a)->contid;
	uint64_t y = ((const struct census_entry *)b)->contid;

	return x < y ? -1 : x > y;
}

static bool tally(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct census_table *table = ctx;
	struct census_entry key = { .contid = label->contid }, *entry;

	entry = bsearch(&key, table->entries, table->count, sizeof(key), by_contid);
	if (entry)
		entry->labelled++;
	return true;
}

void containers_reconcile(struct canisterd *d)
{
	struct census_table table = { 0 };
	bool walked;

	/* One walk over the labels for every container, not one per container. */
	containers_for_each(d, collect, &table);
	qsort(table.entries, table.count, sizeof(table.entries[0]), by_contid);
	for (size_t i = 0; i < table.count; i++)
		table.entries[i].before = containers_processes(d, table.entries[i].contid);
	/* A pending label (lsm mode) is a process of its container too. */
	walked = labels_for_each_all(tally, &table) == 0;
	for (size_t i = 0; i < table.count; i++) {
		struct census_entry *entry = &table.entries[i];

		/* A walk cut short counts too few: no count is corrected from it. */
		if (walked)
			correct_count(d, entry->contid, entry->before,
				      containers_processes(d, entry->contid), entry->labelled);
		containers_check_drop(d, entry->contid);
	}
	free(table.entries);
}
