/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: ties BPF objects' maps to their pins, attaches and pins their links, probes the
 * kernel. */
#ifndef CANISTERD_LOADER_H
#define CANISTERD_LOADER_H

#include <canister/abi.h>
#include <stdbool.h>
#include <stddef.h>

struct bpf_object;

/*
 * Capabilities load their own BPF objects (skeletons) with these helpers, so
 * that every object shares one scheme: maps that outlive canisterd are
 * pinned under pin_path by name, links under pin_path/links, and a restart
 * attaches the new programs before it releases the old ones, so no fork goes
 * untracked in between.
 */

/*
 * loader_set_pin_paths() - before load: the maps of @obj named in @pinned
 * (NULL-terminated) are reused from, or newly pinned at, @pin_path/NAME.
 * Returns 0 or -EINVAL with @why.
 */
int loader_set_pin_paths(struct bpf_object *obj, const char *pin_path, const char *const *pinned,
			 char *why, size_t why_len);

/*
 * loader_attach_all() - attach every program of the loaded @obj and pin its
 * link, or none (a half-attached object would record some changes and miss
 * others).  Returns 0, or -errno with @why.
 */
int loader_attach_all(const char *pin_path, struct bpf_object *obj, char *why, size_t why_len);

/*
 * loader_detach_all() - undo loader_attach_all() for @obj: each of its
 * programs' links is unpinned and released, which detaches it, and leaves the
 * record of the pins and the objects of this run.  @obj stays loaded, its
 * maps too, ready for the next loader_attach_all().
 */
void loader_detach_all(const char *pin_path, struct bpf_object *obj);

/*
 * loader_note_object() - the loaded @obj's maps and programs are this run's
 * (loader_objects()) from now on, and the guard takes them
 * (loader_watch_objects()): for a capability that attaches its object itself
 * (not through loader_attach_all(), which notes its object) or only now and
 * then.  Call it after the load and before the first attach; noting one twice
 * adds nothing.
 */
void loader_note_object(struct bpf_object *obj);

/* One BPF object of this run: kind (enum canister_guarded_kind: map, program, link) and id. */
struct loader_object {
	__u32 kind;
	__u32 id;
	char name[24]; /* the map's or program's name, the link's pin name; cut */
};
typedef void (*loader_object_fn)(const struct loader_object *object, void *ctx);

/*
 * loader_watch_objects() - @watch is called for every map, program and link
 * that this run loaded or attached through loader_attach_all(): at once for
 * those before the call, then for each new one (a map or program before its
 * object's first attach, a link as it is attached).  NULL stops the calls.
 */
void loader_watch_objects(loader_object_fn watch, void *ctx);

/*
 * loader_objects() - copy up to @max of this run's objects to @ret, in the
 * order they were seen.  Returns how many there are (may exceed @max).
 */
size_t loader_objects(struct loader_object *ret, size_t max);

/* loader_object_is_ours() - whether this run loaded or attached @object. */
bool loader_object_is_ours(const struct loader_object *object);

/* loader_explain_load_failure() - @why for a failed load of @object (-errno @r). */
void loader_explain_load_failure(const char *object, int r, const char *pin_path, char *why,
				 size_t why_len);

/*
 * loader_explain_refusal() - after a refused load: @obj, opened afresh and
 * prepared as the refused one was, loaded again with the verifier's log
 * kept, whose last lines say why (libbpf's own lines are cut at canisterd's
 * line length).  Logged after @prefix; the last line goes into @why, which
 * names @object.
 * The caller destroys @obj.
 */
void loader_explain_refusal(struct bpf_object *obj, const char *prefix, const char *object,
			    char *why, size_t why_len);

/* loader_drop_stale_links() - unpin links under @pin_path that no program of this run owns. */
void loader_drop_stale_links(const char *pin_path);

/* loader_close() - release this run's links; the pinned ones stay attached. */
void loader_close(void);

/*
 * loader_unload() - remove every pin under @pin_path (links, then each
 * capability's pinned maps), which detaches canister from the kernel for
 * good and forgets every label.  Returns 0 or -errno with the reason in @why.
 */
int loader_unload(const char *pin_path, char *why, size_t why_len);

/*
 * loader_probe_lsm() - whether the kernel loads and attaches a BPF LSM
 * program (attached for a moment, then detached): what lsm mode needs.
 */
bool loader_probe_lsm(char *detail, size_t detail_len);

/*
 * loader_probe_ima_hash() - whether the kernel's verifier accepts a sleepable
 * LSM program that calls bpf_ima_file_hash(); nothing is attached.
 */
bool loader_probe_ima_hash(char *detail, size_t detail_len);

/*
 * loader_map_walk() - call @visit for every entry of the hash map @fd, until it
 * returns false; each entry at most once, even while entries are deleted.
 * Returns 0 or -errno.
 */
int loader_map_walk(int fd, size_t key_size, size_t value_size,
		    bool (*visit)(const void *key, const void *value, void *ctx), void *ctx);

#endif
