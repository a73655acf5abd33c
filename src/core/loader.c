// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: loads the BPF objects, ties their maps to the pins, attaches and pins their links. */
#include "core/loader.h"

#include "core/log.h"
#include "guard.skel.h"
#include "label.skel.h"
#include "namespaces.skel.h"
#include "probe.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <canister/abi.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const pinned_maps[] = {
	CANISTER_MAP_LABELS, CANISTER_MAP_EVENTS, CANISTER_MAP_STATS,  CANISTER_MAP_CONTAINERS,
	CANISTER_MAP_CENSUS, CANISTER_MAP_WATCH,  CANISTER_MAP_NSJOIN,
};

/* The links this run pinned, by name, so that leftovers of other builds can be dropped. */
static char owned_links[16][64];
static struct bpf_link *run_links[16];
static size_t owned_link_count;

static int set_pin_paths(struct bpf_object *obj, const char *pin_path, char *why, size_t why_len)
{
	struct bpf_map *map;
	char path[512];

	bpf_object__for_each_map(map, obj)
	{
		const char *name = bpf_map__name(map);
		bool shared = false;

		for (size_t i = 0; i < ARRAY_SIZE(pinned_maps); i++)
			shared |= strcmp(pinned_maps[i], name) == 0;
		/* .rodata/.bss belong to one object and one run; they are not pinned. */
		if (!shared)
			continue;
		snprintf(path, sizeof(path), "%s/%s", pin_path, name);
		if (bpf_map__set_pin_path(map, path)) {
			snprintf(why, why_len, "cannot set pin path %s", path);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The new link is attached before the old pin goes away, and the old link is
 * only released by that unlink: for a moment both run, which is harmless
 * because both copy the same label, while the reverse order would let a fork
 * slip through unlabelled.
 */
static int attach_and_pin(const char *pin_path, struct bpf_program *prog, char *why, size_t why_len)
{
	const char *name = bpf_program__name(prog);
	struct bpf_link *link;
	char path[512];
	int r;

	link = bpf_program__attach(prog);
	if (!link) {
		r = -errno;
		snprintf(why, why_len, "cannot attach %s: %s", name, strerror(-r));
		return r;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", pin_path, CANISTER_LINKS_DIR, name);
	if (unlink(path) < 0 && errno != ENOENT) {
		r = -errno;
		snprintf(why, why_len, "cannot replace pinned link %s: %s", path, strerror(-r));
		bpf_link__destroy(link);
		return r;
	}
	r = bpf_link__pin(link, path);
	if (r) {
		snprintf(why, why_len, "cannot pin link %s: %s", path, strerror(-r));
		bpf_link__destroy(link);
		return r;
	}
	if (owned_link_count == ARRAY_SIZE(owned_links)) {
		snprintf(why, why_len, "more than %zu programs to attach", ARRAY_SIZE(owned_links));
		bpf_link__destroy(link);
		return -E2BIG;
	}
	snprintf(owned_links[owned_link_count], sizeof(owned_links[0]), "%s", name);
	run_links[owned_link_count++] = link;
	return 0;
}

/*
 * Every program of @obj is attached, or none: a half-attached object (say,
 * setns tracked but not unshare) would record some changes and miss others.
 */
static int attach_all(const char *pin_path, struct bpf_object *obj, char *why, size_t why_len)
{
	size_t first = owned_link_count;
	struct bpf_program *prog;
	char path[512];
	int r;

	bpf_object__for_each_program(prog, obj)
	{
		r = attach_and_pin(pin_path, prog, why, why_len);
		if (r < 0)
			goto undo;
	}
	return 0;
undo:
	while (owned_link_count > first) {
		owned_link_count--;
		snprintf(path, sizeof(path), "%s/%s/%s", pin_path, CANISTER_LINKS_DIR,
			 owned_links[owned_link_count]);
		unlink(path);
		bpf_link__destroy(run_links[owned_link_count]);
	}
	return r;
}

static int links_dir(const char *pin_path, char *why, size_t why_len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", pin_path, CANISTER_LINKS_DIR);
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		int r = -errno;

		snprintf(why, why_len, "cannot create %s: %s", path, strerror(errno));
		return r;
	}
	return 0;
}

static void explain_load_failure(const char *object, int r, const char *pin_path, char *why,
				 size_t why_len)
{
	if (r == -EINVAL)
		snprintf(why, why_len,
			 "cannot load %s: %s (if the maps pinned at %s come from another "
			 "canister version, `canisterd --unload` discards them and every label)",
			 object, strerror(-r), pin_path);
	else
		snprintf(why, why_len, "cannot load %s: %s", object, strerror(-r));
}

int loader_load_label(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct label_bpf *skel;
	int r;

	skel = label_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the label BPF object: %s", strerror(-r));
		return r;
	}
	r = set_pin_paths(skel->obj, pin_path, why, why_len);
	if (r < 0)
		goto fail;
	r = label_bpf__load(skel);
	if (r) {
		explain_load_failure("the label programs", r, pin_path, why, why_len);
		goto fail;
	}
	r = links_dir(pin_path, why, why_len);
	if (r < 0)
		goto fail;
	r = attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	d->label = skel;
	return 0;
fail:
	label_bpf__destroy(skel);
	return r;
}

int loader_load_namespaces(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct namespaces_bpf *skel;
	int r;

	skel = namespaces_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the namespaces BPF object: %s", strerror(-r));
		return r;
	}
	r = set_pin_paths(skel->obj, pin_path, why, why_len);
	if (r < 0)
		goto fail;
	skel->rodata->join_policy = d->config.join_policy;
	r = namespaces_bpf__load(skel);
	if (r) {
		explain_load_failure("the namespace programs", r, pin_path, why, why_len);
		goto fail;
	}
	r = attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	d->namespaces = skel;
	return 0;
fail:
	namespaces_bpf__destroy(skel);
	return r;
}

static int map_id(int fd, __u32 *ret_id)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*ret_id = info.id;
	return 0;
}

int loader_load_guard(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct guard_bpf *skel;
	int fds[7], r;

	skel = guard_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the guard BPF object: %s", strerror(-r));
		return r;
	}
	r = set_pin_paths(skel->obj, pin_path, why, why_len);
	if (r < 0)
		goto fail;

	skel->rodata->canisterd_tgid = d->pid;
	fds[0] = bpf_map__fd(d->label->maps.labels);
	fds[1] = bpf_map__fd(d->label->maps.events);
	fds[2] = bpf_map__fd(d->label->maps.stats);
	fds[3] = bpf_map__fd(d->label->maps.containers);
	fds[4] = bpf_map__fd(d->label->maps.census);
	fds[5] = bpf_map__fd(d->label->maps.watch);
	fds[6] = bpf_map__fd(d->label->maps.nsjoin);
	_Static_assert(ARRAY_SIZE(fds) == ARRAY_SIZE(skel->rodata->guarded_map_ids),
		       "guard every shared map");
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		r = map_id(fds[i], (__u32 *)&skel->rodata->guarded_map_ids[i]);
		if (r < 0) {
			snprintf(why, why_len, "cannot read a map id: %s", strerror(-r));
			goto fail;
		}
	}

	r = guard_bpf__load(skel);
	if (r) {
		snprintf(why, why_len, "the kernel refused to load an lsm program: %s",
			 strerror(-r));
		goto fail;
	}
	r = attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	d->guard = skel;
	return 0;
fail:
	guard_bpf__destroy(skel);
	return r;
}

bool loader_probe_ima_hash(char *detail, size_t detail_len)
{
	struct probe_bpf *skel;
	int r;

	skel = probe_bpf__open();
	if (!skel) {
		snprintf(detail, detail_len, "cannot open the probe object: %s", strerror(errno));
		return false;
	}
	r = probe_bpf__load(skel);
	probe_bpf__destroy(skel);
	if (r) {
		snprintf(detail, detail_len,
			 "the kernel refused a sleepable lsm program calling bpf_ima_file_hash: "
			 "%s",
			 strerror(-r));
		return false;
	}
	snprintf(detail, detail_len, "verifier accepts bpf_ima_file_hash in lsm.s programs");
	return true;
}

void loader_drop_stale_links(struct canisterd *d)
{
	char path[512];
	struct dirent *entry;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s", d->config.pin_path, CANISTER_LINKS_DIR);
	dir = opendir(path);
	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		bool owned = false;

		if (entry->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < owned_link_count; i++)
			owned |= strcmp(owned_links[i], entry->d_name) == 0;
		if (owned)
			continue;
		if (unlinkat(dirfd(dir), entry->d_name, 0) == 0)
			log_info("dropped pinned link %s/%s, which this run does not use", path,
				 entry->d_name);
		else
			log_warning("cannot drop stale pinned link %s/%s: %s", path, entry->d_name,
				    strerror(errno));
	}
	closedir(dir);
}

void loader_close(struct canisterd *d)
{
	/* Destroying the skeletons closes our fds; the pinned links stay attached. */
	guard_bpf__destroy(d->guard);
	d->guard = NULL;
	namespaces_bpf__destroy(d->namespaces);
	d->namespaces = NULL;
	label_bpf__destroy(d->label);
	d->label = NULL;
	for (size_t i = 0; i < owned_link_count; i++)
		bpf_link__destroy(run_links[i]);
	owned_link_count = 0;
}

int loader_unload(const char *pin_path, char *why, size_t why_len)
{
	char path[512];
	struct dirent *entry;
	DIR *dir;
	int r = 0;

	snprintf(path, sizeof(path), "%s/%s", pin_path, CANISTER_LINKS_DIR);
	dir = opendir(path);
	if (dir) {
		while ((entry = readdir(dir))) {
			if (entry->d_name[0] == '.')
				continue;
			if (unlinkat(dirfd(dir), entry->d_name, 0) < 0 && !r) {
				r = -errno;
				snprintf(why, why_len, "cannot remove %s/%s: %s", path,
					 entry->d_name, strerror(errno));
			}
		}
		closedir(dir);
		if (rmdir(path) < 0 && !r) {
			r = -errno;
			snprintf(why, why_len, "cannot remove %s: %s", path, strerror(errno));
		}
	} else if (errno != ENOENT) {
		r = -errno;
		snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
	}

	for (size_t i = 0; i < ARRAY_SIZE(pinned_maps); i++) {
		snprintf(path, sizeof(path), "%s/%s", pin_path, pinned_maps[i]);
		if (unlink(path) < 0 && errno != ENOENT && !r) {
			r = -errno;
			snprintf(why, why_len, "cannot remove %s: %s", path, strerror(errno));
		}
	}
	/* Anything else in there is not ours to delete; rmdir fails and says so. */
	if (rmdir(pin_path) < 0 && errno != ENOENT && !r) {
		r = -errno;
		snprintf(why, why_len, "cannot remove %s: %s", pin_path, strerror(errno));
	}
	return r;
}

/*
 * Batch lookups walk a hash map bucket by bucket; a get_next_key walk restarts
 * from the first bucket when the key it stands on is deleted (an exit), and
 * would then report entries twice.
 */
int loader_map_walk(int fd, size_t key_size, size_t value_size,
		    bool (*visit)(const void *key, const void *value, void *ctx), void *ctx)
{
	__u32 batch_size = 256, count;
	__u64 cursor = 0;
	bool first = true, done = false;
	char *keys, *values;
	int r = 0;

	keys = malloc(batch_size * key_size);
	values = malloc(batch_size * value_size);
	if (!keys || !values) {
		r = -ENOMEM;
		goto out;
	}
	while (!done) {
		count = batch_size;
		if (bpf_map_lookup_batch(fd, first ? NULL : &cursor, &cursor, keys, values, &count,
					 NULL)) {
			if (errno != ENOENT) {
				r = -errno;
				goto out;
			}
			done = true; /* the last entries come with ENOENT */
		}
		first = false;
		for (__u32 i = 0; i < count; i++)
			if (!visit(keys + i * key_size, values + i * value_size, ctx))
				goto out;
	}
out:
	free(keys);
	free(values);
	return r;
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

void loader_for_each_label(const struct canisterd *d,
			   bool (*visit)(__u32 tgid, const struct canister_label *label, void *ctx),
			   void *ctx)
{
	struct label_walk walk = { .visit = visit, .ctx = ctx };
	int r;

	r = loader_map_walk(loader_labels_fd(d), sizeof(__u32), sizeof(struct canister_label),
			    visit_label, &walk);
	if (r < 0)
		log_warning("cannot walk the labels map: %s", strerror(-r));
}

uint64_t loader_stat_sum(const struct canisterd *d, __u32 index)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t sum = 0, *values;

	if (cpus <= 0)
		return 0;
	values = calloc(cpus, sizeof(*values));
	if (!values)
		return 0;
	if (bpf_map_lookup_elem(loader_stats_fd(d), &index, values) == 0)
		for (int i = 0; i < cpus; i++)
			sum += values[i];
	free(values);
	return sum;
}

int loader_labels_fd(const struct canisterd *d)
{
	return bpf_map__fd(d->label->maps.labels);
}

int loader_stats_fd(const struct canisterd *d)
{
	return bpf_map__fd(d->label->maps.stats);
}

int loader_events_fd(const struct canisterd *d)
{
	return bpf_map__fd(d->label->maps.events);
}

int loader_containers_fd(const struct canisterd *d)
{
	return bpf_map__fd(d->label->maps.containers);
}

int loader_census_fd(const struct canisterd *d)
{
	return bpf_map__fd(d->label->maps.census);
}

int loader_watch_fd(const struct canisterd *d)
{
	return bpf_map__fd(d->label->maps.watch);
}

int loader_nsjoin_fd(const struct canisterd *d)
{
	return bpf_map__fd(d->label->maps.nsjoin);
}
