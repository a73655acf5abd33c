// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: ties BPF objects' maps to their pins, attaches and pins their links, probes the
 * kernel. */
#include "core/loader.h"

#include "core/capability.h"
#include "core/log.h"
#include "core/pins.h"
#include "lsm_probe.skel.h"
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

/*
 * Every map, program and link this run loaded or attached, by kind and id, for
 * the guard (loader_watch_objects()), which must know all of them: a map of
 * one object (.rodata, a scratch map) is as much canister's as a pinned one.
 */
static struct {
	struct loader_object objects[512];
	size_t count;
	loader_object_fn watch;
	void *watch_ctx;
} seen;

/* Every lsm hook of the three guards is a link of its own; room for the capabilities to come. */
#define LOADER_MAX_LINKS 128

/* The links this run pinned, by name, so that leftovers of other builds can be dropped. */
static struct {
	char names[LOADER_MAX_LINKS][64];
	struct bpf_link *links[LOADER_MAX_LINKS];
	size_t count;
} owned;

static void object_seen(enum canister_guarded_kind kind, __u32 id, const char *name)
{
	struct loader_object object = { .kind = kind, .id = id };

	/*
	 * Noted once: an object attached again after a detach, a pinned map
	 * another object reuses (the labels); the table is bounded.
	 */
	if (loader_object_is_ours(&object))
		return;
	snprintf(object.name, sizeof(object.name), "%s", name ? name : "");
	if (seen.count < ARRAY_SIZE(seen.objects))
		seen.objects[seen.count++] = object;
	else
		log_error("more than %zu BPF objects: %s id %u is not guarded",
			  ARRAY_SIZE(seen.objects),
			  kind == CANISTER_GUARDED_LINK ? "link" : "object", id);
	if (seen.watch)
		seen.watch(&object, seen.watch_ctx);
}

/* A link this run pinned as links/@name: guarded, and in the record of the pins. */
static void link_seen(struct bpf_link *link, const char *name)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_link__fd(link), &info, &len) == 0) {
		object_seen(CANISTER_GUARDED_LINK, info.id, name);
		pins_note_link(name, info.id);
	} else {
		log_error("cannot read a link's id (%s); it is not guarded", strerror(errno));
	}
}

/* A link released for good leaves the table, or attach and detach cycles would fill it. */
static void object_forget(enum canister_guarded_kind kind, __u32 id)
{
	for (size_t i = 0; i < seen.count; i++) {
		if (seen.objects[i].kind != kind || seen.objects[i].id != id)
			continue;
		seen.objects[i] = seen.objects[--seen.count];
		return;
	}
}

static void bpf_object_seen(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
	{
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);

		const char *pin = bpf_map__pin_path(map);

		if (bpf_map__fd(map) < 0 || bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &len))
			continue;
		object_seen(CANISTER_GUARDED_MAP, info.id, bpf_map__name(map));
		if (pin && bpf_map__is_pinned(map))
			pins_note_map(strrchr(pin, '/') ? strrchr(pin, '/') + 1 : pin, info.id);
	}
	bpf_object__for_each_program(prog, obj)
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_program__fd(prog) >= 0 &&
		    !bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			object_seen(CANISTER_GUARDED_PROG, info.id, bpf_program__name(prog));
	}
}

void loader_note_object(struct bpf_object *obj)
{
	bpf_object_seen(obj);
}

void loader_watch_objects(loader_object_fn watch, void *ctx)
{
	seen.watch = watch;
	seen.watch_ctx = ctx;
	for (size_t i = 0; watch && i < seen.count; i++)
		watch(&seen.objects[i], ctx);
}

size_t loader_objects(struct loader_object *ret, size_t max)
{
	memcpy(ret, seen.objects, (seen.count < max ? seen.count : max) * sizeof(*ret));
	return seen.count;
}

bool loader_object_is_ours(const struct loader_object *object)
{
	for (size_t i = 0; i < seen.count; i++)
		if (seen.objects[i].kind == object->kind && seen.objects[i].id == object->id)
			return true;
	return false;
}

int loader_set_pin_paths(struct bpf_object *obj, const char *pin_path, const char *const *pinned,
			 char *why, size_t why_len)
{
	struct bpf_map *map;
	char path[512];

	bpf_object__for_each_map(map, obj)
	{
		const char *name = bpf_map__name(map);
		bool shared = false;

		for (size_t i = 0; pinned[i]; i++)
			shared |= strcmp(pinned[i], name) == 0;
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

	/* Checked before the attach, so that a refusal leaves no pin behind. */
	if (owned.count == ARRAY_SIZE(owned.names)) {
		snprintf(why, why_len, "more than %zu programs to attach", ARRAY_SIZE(owned.names));
		return -E2BIG;
	}
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
	snprintf(owned.names[owned.count], sizeof(owned.names[0]), "%s", name);
	owned.links[owned.count++] = link;
	link_seen(link, name);
	return 0;
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

/*
 * Unpinned first, released after: the pin holds the link as well, so the
 * program runs until both are gone.  The link leaves the record of the pins
 * (a pin the record names must exist at the next start) and the table of
 * this run's objects.
 */
static void release_owned(const char *pin_path, size_t i)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/%s", pin_path, CANISTER_LINKS_DIR, owned.names[i]);
	if (unlink(path) < 0 && errno != ENOENT)
		log_warning("cannot unpin link %s: %s", path, strerror(errno));
	pins_forget_link(owned.names[i]);
	if (bpf_obj_get_info_by_fd(bpf_link__fd(owned.links[i]), &info, &len) == 0)
		object_forget(CANISTER_GUARDED_LINK, info.id);
	bpf_link__destroy(owned.links[i]);
	/* In order: the undo of loader_attach_all() releases the last ones first. */
	memmove(&owned.names[i], &owned.names[i + 1],
		(owned.count - i - 1) * sizeof(owned.names[0]));
	memmove(&owned.links[i], &owned.links[i + 1],
		(owned.count - i - 1) * sizeof(owned.links[0]));
	owned.count--;
}

/*
 * Every program of @obj is attached, or none: a half-attached object (say,
 * setns tracked but not unshare) would record some changes and miss others.
 */
int loader_attach_all(const char *pin_path, struct bpf_object *obj, char *why, size_t why_len)
{
	size_t first = owned.count;
	struct bpf_program *prog;
	int r;

	r = links_dir(pin_path, why, why_len);
	if (r < 0)
		return r;
	/* Guarded before they run: the guard learns of them before the first attach. */
	bpf_object_seen(obj);
	bpf_object__for_each_program(prog, obj)
	{
		r = attach_and_pin(pin_path, prog, why, why_len);
		if (r < 0)
			goto undo;
	}
	return 0;
undo:
	while (owned.count > first)
		release_owned(pin_path, owned.count - 1);
	return r;
}

void loader_detach_all(const char *pin_path, struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
	{
		for (size_t i = 0; i < owned.count; i++) {
			if (strcmp(owned.names[i], bpf_program__name(prog)) == 0) {
				release_owned(pin_path, i);
				break;
			}
		}
	}
}

void loader_explain_load_failure(const char *object, int r, const char *pin_path, char *why,
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

void loader_explain_refusal(struct bpf_object *obj, const char *prefix, const char *object,
			    char *why, size_t why_len)
{
	static char verifier_log[1 << 20];
	struct bpf_program *prog;
	char *tail, *line;
	size_t len;

	verifier_log[0] = '\0';
	bpf_object__for_each_program(prog, obj)
	{
		bpf_program__set_log_buf(prog, verifier_log, sizeof(verifier_log));
		bpf_program__set_log_level(prog, 1);
	}
	if (bpf_object__load(obj) == 0 || !verifier_log[0])
		return;
	len = strlen(verifier_log);
	while (len && verifier_log[len - 1] == '\n')
		verifier_log[--len] = '\0';
	tail = verifier_log + (len > 1500 ? len - 1500 : 0);
	for (line = strtok(tail, "\n"); line; line = strtok(NULL, "\n")) {
		log_error("%s verifier: %s", prefix, line);
		snprintf(why, why_len, "the kernel's verifier refused %s: %s", object, line);
	}
}

bool loader_probe_lsm(char *detail, size_t detail_len)
{
	struct lsm_probe_bpf *skel = lsm_probe_bpf__open();
	int r;

	if (!skel) {
		snprintf(detail, detail_len, "cannot open the lsm probe object: %s",
			 strerror(errno));
		return false;
	}
	r = lsm_probe_bpf__load(skel);
	if (r) {
		snprintf(detail, detail_len, "the kernel refused to load an lsm program: %s",
			 strerror(-r));
		goto out;
	}
	r = lsm_probe_bpf__attach(skel);
	if (r)
		snprintf(detail, detail_len, "the kernel refused to attach an lsm program: %s",
			 strerror(-r));
	else
		snprintf(detail, detail_len, "lsm programs load and attach");
out:
	/* Detached as soon as it proved the point: it decides nothing. */
	lsm_probe_bpf__destroy(skel);
	return r == 0;
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

void loader_drop_stale_links(const char *pin_path)
{
	char path[512];
	struct dirent *entry;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s", pin_path, CANISTER_LINKS_DIR);
	dir = opendir(path);
	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		bool mine = false;

		if (entry->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < owned.count; i++)
			mine |= strcmp(owned.names[i], entry->d_name) == 0;
		if (mine)
			continue;
		if (unlinkat(dirfd(dir), entry->d_name, 0) == 0) {
			pins_forget_link(entry->d_name);
			log_info("dropped pinned link %s/%s, which this run does not use", path,
				 entry->d_name);
		} else
			log_warning("cannot drop stale pinned link %s/%s: %s", path, entry->d_name,
				    strerror(errno));
	}
	closedir(dir);
}

void loader_close(void)
{
	/* Our references go; the pinned links keep the programs attached. */
	for (size_t i = 0; i < owned.count; i++)
		bpf_link__destroy(owned.links[i]);
	owned.count = 0;
	seen.count = 0;
	seen.watch = NULL;
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

	for (size_t c = 0; canisterd_capabilities[c]; c++) {
		const char *const *const *lists = canisterd_capabilities[c]->pinned_maps;

		for (size_t l = 0; lists && lists[l]; l++) {
			for (size_t i = 0; lists[l][i]; i++) {
				snprintf(path, sizeof(path), "%s/%s", pin_path, lists[l][i]);
				if (unlink(path) < 0 && errno != ENOENT && !r) {
					r = -errno;
					snprintf(why, why_len, "cannot remove %s: %s", path,
						 strerror(errno));
				}
			}
		}
	}
	if (pins_remove_record(pin_path) < 0 && !r) {
		r = -errno;
		snprintf(why, why_len, "cannot remove the record of the pins in %s: %s", pin_path,
			 strerror(errno));
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
