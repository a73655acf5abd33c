// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: loads the observers of the running kernel's
 * mode on the identity capability's pinned labels, reports the events it
 * cannot observe, keeps the wanted containers and reads the ring buffer.
 */
#include "model/observers.h"
#include "identity/shared_maps.h"

#include "model/observe_deny.h"

#include "observe_lsm.skel.h"
#include "observe_trace.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <canister/abi.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Room for every program of either variant, with some to spare for events to come. */
#define PROGRAMS_MAX 48

/* One budget setting written for either variant: both take it from observe.bpf.h. */
_Static_assert(sizeof(struct observe_trace_bpf__rodata) == sizeof(struct observe_lsm_bpf__rodata),
	       "the variants' settings differ");
#define HOW_MAX 512

/* The identity maps an observer object declares (maps.bpf.h): reused from their pins. */
static const char *const identity_maps[] = { IDENTITY_SHARED_MAPS, NULL };

struct canister_model_observers {
	struct canister_model_observers_config config;
	struct bpf_object *obj;
	struct bpf_link *links[PROGRAMS_MAX];
	bool link_origin[PROGRAMS_MAX]; /* the link is an origin_ program's */
	char link_pins[PROGRAMS_MAX][256];
	size_t nlinks;
	int wanted_fd, counts_fd;
	int compat_seen_fd; /* trace mode's model_compat_seen; -1 in lsm mode */
	struct ring_buffer *rb;
	canister_model_observed_fn fn;
	void *fn_ctx;
	uint64_t decoded, malformed;
	int malformed_last;
	uint32_t malformed_last_kind;
	char how[CANISTER_MODEL_EVENT_TYPES][HOW_MAX];
	bool unavailable[CANISTER_MODEL_EVENT_TYPES];
	/* The origin_ programs (observe_origin.bpf.h): refused or not attached, and why. */
	bool origins_refused;
	char origins_why[HOW_MAX];
	/* The compat_ program (trace mode's 32-bit calls): refused or not attached, and why. */
	bool compat_refused;
	char compat_why[HOW_MAX];
	struct canister_model_deny *deny; /* lsm mode: NULL in trace mode */
	int deny_error;			  /* why none in lsm mode */
};

static const void *variant_elf(enum canister_model_observe_mode mode, size_t *ret_size)
{
	return mode == CANISTER_MODEL_OBSERVE_LSM ? observe_lsm_bpf__elf_bytes(ret_size)
						  : observe_trace_bpf__elf_bytes(ret_size);
}

/* The event whose programs' names start with its EVENT_ID, or -1. */
static int program_event(const struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);

	for (int type = 0; type < CANISTER_MODEL_EVENT_TYPES; type++) {
		const char *event = canister_model_event_name(type);
		size_t len = strlen(event);

		if (strncmp(name, event, len) == 0 && name[len] == '_')
			return type;
	}
	return -1;
}

/*
 * The programs that keep each process's origin (observe_origin.bpf.h): no
 * event's, loaded beside them, all or none.
 */
static bool program_origin(const struct bpf_program *prog)
{
	return strncmp(bpf_program__name(prog), "origin_", strlen("origin_")) == 0;
}

/*
 * Trace mode's program of 32-bit system calls (observe_compat_trace.bpf.h):
 * of several events, so no event's; without it those calls go unseen, as
 * the warning at the start says.
 */
static bool program_compat(const struct bpf_program *prog)
{
	return strncmp(bpf_program__name(prog), "compat_", strlen("compat_")) == 0;
}

/*
 * A fresh object of the mode's variant, its budget set, the identity maps
 * reused from their pins (and those it does not use and canisterd has not
 * pinned left uncreated); only the programs @only (NULL: all but the
 * refused ones) load.
 */
static int open_variant(struct canister_model_observers *o, const struct bpf_program *only,
			struct bpf_object **ret, char *why, size_t why_len)
{
	const struct canister_model_observers_config *c = &o->config;
	struct observe_trace_bpf__rodata rodata;
	const void *initial;
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *map;
	size_t size;
	const void *elf = variant_elf(c->mode, &size);
	int r;

	obj = bpf_object__open_mem(elf, size, NULL);
	if (!obj) {
		r = -errno;
		snprintf(why, why_len, "cannot open the model observers' BPF object: %s",
			 strerror(-r));
		return r;
	}
	map = bpf_object__find_map_by_name(obj, ".rodata");
	initial = map ? bpf_map__initial_value(map, &size) : NULL;
	if (!initial || size != sizeof(rodata)) {
		snprintf(why, why_len, "the model observers' BPF object has no budget settings");
		r = -EINVAL;
		goto fail;
	}
	/* The rest as compiled (SHA-256's constants): only the budget is the loader's. */
	memcpy(&rodata, initial, sizeof(rodata));
	rodata.budget_interval_ns = 1000000000ull / (c->budget_per_second ?: 10000);
	rodata.budget_burst = c->budget_burst ?: 1000;
	r = bpf_map__set_initial_value(map, &rodata, sizeof(rodata));
	if (r) {
		snprintf(why, why_len, "cannot set the observers' budget: %s", strerror(-r));
		goto fail;
	}
	bpf_object__for_each_map(map, obj)
	{
		const char *name = bpf_map__name(map);
		char path[512];
		bool identity = false;
		int fd;

		for (size_t i = 0; identity_maps[i]; i++)
			identity |= strcmp(identity_maps[i], name) == 0;
		if (!identity)
			continue;
		snprintf(path, sizeof(path), "%s/%s", c->identity_pin_path, name);
		fd = bpf_obj_get(path);
		if (fd < 0) {
			if (strcmp(name, CANISTER_MAP_LABELS) == 0 ||
			    (c->mode == CANISTER_MODEL_OBSERVE_LSM &&
			     strcmp(name, CANISTER_MAP_FORK_ROOM) == 0)) {
				r = -ENOENT;
				snprintf(why, why_len,
					 "no %s map pinned at %s: is canisterd running with that "
					 "pin_path?",
					 name, c->identity_pin_path);
				goto fail;
			}
			bpf_map__set_autocreate(map, false);
			continue;
		}
		r = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (r) {
			snprintf(why, why_len, "cannot use the pinned %s map: %s", name,
				 strerror(-r));
			goto fail;
		}
	}
	bpf_object__for_each_program(prog, obj)
	{
		int type = program_event(prog);
		bool load = only ? strcmp(bpf_program__name(prog), bpf_program__name(only)) == 0
				 : (type >= 0 && !o->unavailable[type]) ||
					    (program_origin(prog) && !o->origins_refused) ||
					    (program_compat(prog) && !o->compat_refused);

		bpf_program__set_autoload(prog, load);
	}
	*ret = obj;
	return 0;
fail:
	bpf_object__close(obj);
	return r;
}

/*
 * After a refused load: which programs the kernel refuses, each loaded
 * alone; their events are unavailable, with the kernel's errno as reason.
 */
static void find_refused(struct canister_model_observers *o, struct bpf_object *all)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, all)
	{
		int type = program_event(prog);
		bool origin = program_origin(prog), compat = program_compat(prog);
		struct bpf_object *alone;
		char why[256];
		int r;

		if (compat   ? o->compat_refused
		    : origin ? o->origins_refused
			     : type < 0 || o->unavailable[type])
			continue;
		if (open_variant(o, prog, &alone, why, sizeof(why)) < 0)
			continue;
		r = bpf_object__load(alone);
		bpf_object__close(alone);
		if (r == 0)
			continue;
		if (compat) {
			o->compat_refused = true;
			snprintf(o->compat_why, HOW_MAX, "the kernel refuses %s (%s)",
				 bpf_program__section_name(prog), strerror(-r));
			continue;
		}
		if (origin) {
			o->origins_refused = true;
			snprintf(o->origins_why, HOW_MAX, "the kernel refuses %s (%s)",
				 bpf_program__section_name(prog), strerror(-r));
			continue;
		}
		o->unavailable[type] = true;
		snprintf(o->how[type], HOW_MAX, "unavailable: the kernel refuses %s (%s)",
			 bpf_program__section_name(prog), strerror(-r));
	}
}

static void note_program(struct canister_model_observers *o, const struct bpf_program *prog)
{
	int type = program_event(prog);
	char *how = o->how[type];
	size_t len = strlen(how);

	/* A hook named once: an event may have two programs on it (exec's, lsm mode). */
	if (o->unavailable[type] || strstr(how, bpf_program__section_name(prog)))
		return;
	snprintf(how + len, HOW_MAX - len, "%s%s", len ? ", " : "",
		 bpf_program__section_name(prog));
}

static void detach(struct canister_model_observers *o, size_t i)
{
	if (o->link_pins[i][0])
		(void)bpf_link__unpin(o->links[i]);
	bpf_link__destroy(o->links[i]);
	o->links[i] = NULL;
}

/*
 * All the origin programs run, or none: an entry the fork made and an exec
 * did not delete would give a process that executed its parent's TASK_ID.
 * Without them a forked child that never executes is found in /proc while
 * it runs (docs/model.md, "Without a TASK_ID").  The fork's program is
 * attached last, so none made an entry (model_forks, task storage, which
 * cannot be walked) when another origin program was refused.
 */
static void detach_origins(struct canister_model_observers *o)
{
	for (size_t i = 0; i < o->nlinks; i++)
		if (o->link_origin[i] && o->links[i])
			detach(o, i);
}

/* @prog attached (and pinned); a program the kernel does not attach is noted, not an error. */
static int attach_one(struct canister_model_observers *o, struct bpf_program *prog, char *why,
		      size_t why_len)
{
	int type = program_event(prog);
	struct bpf_link *link;

	if (o->nlinks == PROGRAMS_MAX) {
		snprintf(why, why_len, "more than %d observer programs", PROGRAMS_MAX);
		return -E2BIG;
	}
	link = bpf_program__attach(prog);
	if (!link && program_compat(prog)) {
		o->compat_refused = true;
		snprintf(o->compat_why, HOW_MAX, "cannot attach %s (%s)",
			 bpf_program__section_name(prog), strerror(errno));
		return 0;
	}
	if (!link && program_origin(prog)) {
		o->origins_refused = true;
		snprintf(o->origins_why, HOW_MAX, "cannot attach %s (%s)",
			 bpf_program__section_name(prog), strerror(errno));
		return 0;
	}
	if (!link) {
		o->unavailable[type] = true;
		snprintf(o->how[type], HOW_MAX, "unavailable: cannot attach %s (%s)",
			 bpf_program__section_name(prog), strerror(errno));
		return 0;
	}
	o->links[o->nlinks] = link;
	o->link_origin[o->nlinks] = program_origin(prog);
	if (o->config.pin_path) {
		char *pin = o->link_pins[o->nlinks];

		snprintf(pin, sizeof(o->link_pins[0]), "%s/model_%s", o->config.pin_path,
			 bpf_program__name(prog));
		/* A pin a killed run left: this run's link takes its place. */
		(void)unlink(pin);
		if (bpf_link__pin(link, pin)) {
			snprintf(why, why_len, "cannot pin %s", pin);
			pin[0] = '\0';
			o->nlinks++;
			return -EIO;
		}
	}
	o->nlinks++;
	if (type >= 0)
		note_program(o, prog);
	return 0;
}

/*
 * Every program loaded; the fork's origin program last, once the ones that
 * drop an origin run: an entry made before the exec program ran could
 * outlive its process's exec.
 */
static int attach(struct canister_model_observers *o, char *why, size_t why_len)
{
	struct bpf_program *prog;
	int r;

	for (int fork_pass = 0; fork_pass < 2; fork_pass++) {
		bpf_object__for_each_program(prog, o->obj)
		{
			bool fork = strcmp(bpf_program__name(prog), "origin_fork") == 0;

			if (!bpf_program__autoload(prog) || fork != (fork_pass == 1) ||
			    (fork && o->origins_refused))
				continue;
			r = attach_one(o, prog, why, why_len);
			if (r < 0)
				return r;
		}
	}
	if (o->origins_refused)
		detach_origins(o);
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct canister_model_observers *o = ctx;
	struct canister_model_observed observed;

	int r = canister_model_observe_decode(data, size, &observed);

	if (r < 0) {
		o->malformed++;
		o->malformed_last = r;
		o->malformed_last_kind = size >= sizeof(uint32_t) ? *(const uint32_t *)data : 0;
		return 0;
	}
	o->decoded++;
	if (o->fn)
		o->fn(&observed, o->fn_ctx);
	return 0;
}

int canister_model_observers_open(const struct canister_model_observers_config *config,
				  struct canister_model_observers **ret, char *why, size_t why_len)
{
	struct canister_model_observers *o = calloc(1, sizeof(*o));
	struct bpf_map *map;
	bool any = false;
	int r;

	if (!config->identity_pin_path) {
		snprintf(why, why_len,
			 "no identity pin path: the observers read canisterd's labels");
		free(o);
		return -EINVAL;
	}
	if (!o)
		return -ENOMEM;
	o->config = *config;
	r = open_variant(o, NULL, &o->obj, why, why_len);
	if (r < 0)
		goto fail;
	r = bpf_object__load(o->obj);
	if (r) {
		find_refused(o, o->obj);
		bpf_object__close(o->obj);
		o->obj = NULL;
		r = open_variant(o, NULL, &o->obj, why, why_len);
		if (r < 0)
			goto fail;
		r = bpf_object__load(o->obj);
		if (r) {
			snprintf(why, why_len, "cannot load the model observers: %s", strerror(-r));
			goto fail;
		}
	}
	/* Guarded before any program runs: nothing of it is reachable unguarded. */
	if (config->loaded)
		config->loaded(o->obj);
	o->wanted_fd = bpf_map__fd(bpf_object__find_map_by_name(o->obj, "model_wanted"));
	o->counts_fd = bpf_map__fd(bpf_object__find_map_by_name(o->obj, "model_counts"));
	map = bpf_object__find_map_by_name(o->obj, "model_compat_seen");
	o->compat_seen_fd = map ? bpf_map__fd(map) : -1;
	o->rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(o->obj, "model_records")),
				 on_record, o, NULL);
	if (!o->rb) {
		r = -errno;
		snprintf(why, why_len, "cannot read the model observers' ring buffer: %s",
			 strerror(-r));
		goto fail;
	}
	/* Before the programs attach: a hook finds its settings from its first run. */
	if (config->mode == CANISTER_MODEL_OBSERVE_LSM)
		o->deny_error = canister_model_deny_open(o->obj, &o->deny);
	r = attach(o, why, why_len);
	if (r < 0)
		goto fail;
	for (int type = 0; type < CANISTER_MODEL_EVENT_TYPES; type++) {
		/*
		 * lsm mode's one exec program denies what the gate never sees
		 * (a memfd's exec); the event stays the gate's to observe.
		 */
		if (type == CANISTER_MODEL_EXEC && config->mode == CANISTER_MODEL_OBSERVE_LSM) {
			char how[HOW_MAX / 2]; /* section names: short */

			snprintf(how, sizeof(how), "%.255s", o->how[type]);
			if (!o->unavailable[type] && how[0])
				snprintf(o->how[type], HOW_MAX,
					 "the file gate's; an exec the gate never sees (a memfd) "
					 "denied in the kernel when enforced (%s)",
					 how);
			else
				snprintf(o->how[type], HOW_MAX,
					 "the file gate's; an exec the gate never sees is not "
					 "denied: %s",
					 how[0] ? how : "no program for it");
			o->unavailable[type] = true;
			continue;
		}
		if (type == CANISTER_MODEL_EXEC || type == CANISTER_MODEL_FILE_OPEN) {
			snprintf(o->how[type], HOW_MAX, "not an observer's: the file gate's");
			o->unavailable[type] = true;
			continue;
		}
		if (!o->how[type][0]) {
			o->unavailable[type] = true;
			snprintf(o->how[type], HOW_MAX, "unavailable: no program for it");
		}
		any |= !o->unavailable[type];
	}
	if (!any) {
		snprintf(why, why_len, "the kernel runs none of the model observers");
		r = -ENOTSUP;
		goto fail;
	}
	*ret = o;
	return 0;
fail:
	canister_model_observers_close(o);
	return r;
}

bool canister_model_observers_available(const struct canister_model_observers *observers,
					enum canister_model_event_type type, const char **ret_how)
{
	if ((unsigned int)type >= CANISTER_MODEL_EVENT_TYPES) {
		*ret_how = "no such event";
		return false;
	}
	*ret_how = observers->how[type];
	return !observers->unavailable[type];
}

bool canister_model_observers_compat(const struct canister_model_observers *observers,
				     const char **ret_why)
{
	*ret_why = observers->compat_why;
	return !observers->compat_refused;
}

/*
 * The walk keeps the key it stands on until it has the next: a key deleted
 * before the next is found would restart the walk at the map's first.  A
 * key the LRU drops under the walk restarts it all the same, so the walk is
 * bounded (every key it deletes is one fewer to find again).
 */
int canister_model_observers_compat_forget(struct canister_model_observers *observers,
					   uint64_t contid)
{
	struct canister_model_obs_compat_seen key, next;
	bool have = false;
	int fd = observers->compat_seen_fd, deleted = 0, steps;

	if (fd < 0)
		return 0;
	for (steps = 0; steps < 4 * CANISTER_MODEL_OBS_COMPAT_SEEN_MAX; steps++) {
		if (bpf_map_get_next_key(fd, have ? &key : NULL, &next)) {
			if (errno != ENOENT)
				return -errno;
			break;
		}
		if (have && key.contid == contid && bpf_map_delete_elem(fd, &key) == 0)
			deleted++;
		key = next;
		have = true;
	}
	if (steps == 4 * CANISTER_MODEL_OBS_COMPAT_SEEN_MAX)
		return -EAGAIN; /* a key the walk never reached may hide a call: said */
	if (have && key.contid == contid && bpf_map_delete_elem(fd, &key) == 0)
		deleted++;
	return deleted;
}

bool canister_model_observers_origins(const struct canister_model_observers *observers,
				      const char **ret_why)
{
	*ret_why = observers->origins_why;
	return !observers->origins_refused;
}

int canister_model_observers_want(struct canister_model_observers *observers, uint64_t contid)
{
	struct canister_model_obs_wanted fresh = {};

	if (contid == CANISTER_CONTID_UNSET)
		return -EINVAL;
	if (bpf_map_update_elem(observers->wanted_fd, &contid, &fresh, BPF_NOEXIST) == 0 ||
	    errno == EEXIST)
		return 0;
	return errno == E2BIG ? -ENOSPC : -errno;
}

int canister_model_observers_unwant(struct canister_model_observers *observers, uint64_t contid)
{
	return bpf_map_delete_elem(observers->wanted_fd, &contid) ? -errno : 0;
}

bool canister_model_observers_is_wanted(const struct canister_model_observers *observers,
					uint64_t contid)
{
	struct canister_model_obs_wanted value;

	return bpf_map_lookup_elem(observers->wanted_fd, &contid, &value) == 0;
}

int canister_model_observers_wanted(const struct canister_model_observers *observers, uint64_t *ret,
				    size_t max)
{
	uint64_t key, next;
	size_t count = 0;
	int r;

	for (r = bpf_map_get_next_key(observers->wanted_fd, NULL, &next); r == 0;
	     r = bpf_map_get_next_key(observers->wanted_fd, &key, &next)) {
		if (ret && count < max)
			ret[count] = next;
		count++;
		key = next;
	}
	if (errno != ENOENT)
		return -errno;
	return (int)count;
}

int canister_model_observers_poll(struct canister_model_observers *observers, int timeout_ms,
				  canister_model_observed_fn fn, void *ctx)
{
	int r;

	observers->fn = fn;
	observers->fn_ctx = ctx;
	r = ring_buffer__poll(observers->rb, timeout_ms);
	/* Records submitted without a wakeup: the wait ended on its timer, they are read now. */
	if (r >= 0) {
		int more = ring_buffer__consume(observers->rb);

		r = more < 0 ? more : r + more;
	}
	observers->fn = NULL;
	return r;
}

struct canister_model_deny *
canister_model_observers_deny(struct canister_model_observers *observers, int *ret_error)
{
	*ret_error = observers->deny ? 0 : observers->deny_error ?: -ENOTSUP;
	return observers->deny;
}

int canister_model_observers_fd(const struct canister_model_observers *observers)
{
	return ring_buffer__epoll_fd(observers->rb);
}

void canister_model_observers_counts(const struct canister_model_observers *observers,
				     struct canister_model_observers_counts *ret)
{
	uint64_t *slots[CANISTER_MODEL_OBS_COUNT_MAX] = {
		[CANISTER_MODEL_OBS_EMITTED] = &ret->emitted,
		[CANISTER_MODEL_OBS_OVER_BUDGET] = &ret->over_budget,
		[CANISTER_MODEL_OBS_RING_FULL] = &ret->ring_full,
		[CANISTER_MODEL_OBS_STASH_FULL] = &ret->stash_full,
		[CANISTER_MODEL_OBS_ORIGINS_FULL] = &ret->origins_full,
	};

	memset(ret, 0, sizeof(*ret));
	for (__u32 slot = 0; slot < CANISTER_MODEL_OBS_COUNT_MAX; slot++)
		(void)bpf_map_lookup_elem(observers->counts_fd, &slot, slots[slot]);
	ret->decoded = observers->decoded;
	ret->malformed = observers->malformed;
	ret->malformed_last = observers->malformed_last;
	ret->malformed_last_kind = observers->malformed_last_kind;
}

int canister_model_observers_container(const struct canister_model_observers *observers,
				       uint64_t contid, struct canister_model_obs_wanted *ret)
{
	return bpf_map_lookup_elem(observers->wanted_fd, &contid, ret) ? -errno : 0;
}

void canister_model_observers_close(struct canister_model_observers *observers)
{
	if (!observers)
		return;
	ring_buffer__free(observers->rb);
	canister_model_deny_free(observers->deny);
	for (size_t i = 0; i < observers->nlinks; i++)
		if (observers->links[i])
			detach(observers, i);
	bpf_object__close(observers->obj);
	free(observers);
}
