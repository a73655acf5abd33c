// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the appraisal backstop (lsm mode): BPF LSM denies what the fanotify gate never
 * allowed. */
#include "integrity/backstop.h"

#include "core/loader.h"
#include "core/log.h"
#include "core/ring_reader.h"
#include "identity/identity.h"
#include "integrity/appraise.h"
#include "integrity/backstop_rules.h"
#include "integrity/measure.h"
#include "integrity/records.h"
#include "backstop.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>

_Static_assert(CANISTER_BACKSTOP_NEST_MAX == CANISTER_NEST_LIMIT_MAX,
	       "the BPF walk of a chain stops where canister's nesting does");

const char *const backstop_pinned_maps[] = {
	CANISTER_MAP_APPRAISE_ENFORCE,
	CANISTER_MAP_APPRAISE_VERDICTS,
	CANISTER_MAP_BACKSTOP_DENIALS,
	CANISTER_MAP_BACKSTOP_COUNTS,
	NULL,
};

/* What the enforce map holds (backstop_abi.h), for the gate's workers (a map lookup per level costs
 * a syscall). */
struct enforced {
	uint64_t contid;
	uint32_t bits;
};

static struct {
	struct backstop_bpf *skel;
	struct ring_reader reader;
	atomic_bool on;
	pthread_mutex_t lock;	       /* @enforced, @count */
	pthread_mutex_t verdicts_lock; /* a verdict's read and write back */
	struct enforced enforced[CANISTER_BACKSTOP_CONTAINERS_MAX];
	size_t count;
	uint32_t default_bits; /* of every container without an entry of its own */
	atomic_uint_fast64_t recorded, written;
	char detail[256];
} backstop = { .lock = PTHREAD_MUTEX_INITIALIZER, .verdicts_lock = PTHREAD_MUTEX_INITIALIZER };

/* As the BPF walk reads the map: @contid's own entry, else the default one. */
static uint32_t own_bits_locked(uint64_t contid)
{
	for (size_t i = 0; i < backstop.count; i++)
		if (backstop.enforced[i].contid == contid)
			return backstop.enforced[i].bits;
	return backstop.default_bits;
}

static bool listed_locked(uint64_t contid)
{
	for (size_t i = 0; i < backstop.count; i++)
		if (backstop.enforced[i].contid == contid)
			return true;
	return false;
}

static uint32_t chain_bits(const uint64_t *chain, unsigned int depth)
{
	uint32_t bits = 0;

	pthread_mutex_lock(&backstop.lock);
	for (unsigned int i = 0; i < depth; i++)
		bits |= backstop_judged_hooks(own_bits_locked(chain[i]));
	pthread_mutex_unlock(&backstop.lock);
	return bits;
}

/* @contid is @ancestor or nested in it (as far as the containers map still knows). */
static bool within(uint64_t contid, uint64_t ancestor)
{
	for (unsigned int depth = 0;
	     contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX; depth++) {
		if (contid == ancestor)
			return true;
		if (identity_parent(contid, &contid) < 0)
			break;
	}
	return false;
}

/* @contid's entry into @next (at most CANISTER_BACKSTOP_CONTAINERS_MAX), unless the default says
 * the same. */
static size_t add_entry(struct enforced *next, size_t n, uint64_t contid,
			enum canister_appraise_mode mode, uint32_t default_bits)
{
	uint32_t bits = backstop_container_bits(mode, measure_appraise_bits(contid));

	for (size_t i = 0; i < n; i++)
		if (next[i].contid == contid)
			return n;
	if (bits == default_bits)
		return n;
	if (n == CANISTER_BACKSTOP_CONTAINERS_MAX) {
		log_error("integrity: more than %d containers appraise otherwise than the default; "
			  "the backstop binds container %" PRIu64 " by the default",
			  CANISTER_BACKSTOP_CONTAINERS_MAX, contid);
		return n;
	}
	next[n] = (struct enforced){ .contid = contid, .bits = bits };
	return n + 1;
}

void backstop_sync(void)
{
	static enum canister_appraise_mode modes[CANISTER_BACKSTOP_CONTAINERS_MAX];
	static uint64_t contids[CANISTER_BACKSTOP_CONTAINERS_MAX];
	static struct enforced next[CANISTER_BACKSTOP_CONTAINERS_MAX];
	enum canister_appraise_mode default_mode = appraise_default_mode();
	uint64_t default_key = CANISTER_BACKSTOP_DEFAULT;
	uint32_t default_bits;
	struct enforced *old;
	size_t total, n = 0, old_count;
	int fd;

	if (!atomic_load(&backstop.on))
		return;
	fd = bpf_map__fd(backstop.skel->maps.appraise_enforce);
	/* A container canisterd holds nothing for: the config's mode, the default policy. */
	default_bits =
		backstop_container_bits(default_mode, measure_appraise_bits(CANISTER_CONTID_UNSET));
	/* Its own mode, whatever it is (off under a default enforce needs an entry of 0). */
	total = appraise_held(contids, modes, CANISTER_BACKSTOP_CONTAINERS_MAX);
	for (size_t i = 0; i < total && i < CANISTER_BACKSTOP_CONTAINERS_MAX; i++)
		n = add_entry(next, n, contids[i], modes[i], default_bits);
	/* Its own policy in the default mode. */
	if (default_mode != CANISTER_APPRAISE_OFF) {
		size_t own = measure_own_policies(contids, CANISTER_BACKSTOP_CONTAINERS_MAX);

		for (size_t i = 0; i < own && i < CANISTER_BACKSTOP_CONTAINERS_MAX; i++)
			n = add_entry(next, n, contids[i], default_mode, default_bits);
		total += own;
	}
	if (total > CANISTER_BACKSTOP_CONTAINERS_MAX)
		log_error("integrity: %zu containers have an appraisal or policy of their own; the "
			  "backstop binds the first %d only",
			  total, CANISTER_BACKSTOP_CONTAINERS_MAX);
	/*
	 * Own entries first, the default after, stale entries removed last: a
	 * container that stays never goes unbound in between, and one with a
	 * mode of its own never falls under a default it does not have.
	 */
	for (size_t i = 0; i < n; i++)
		if (bpf_map_update_elem(fd, &next[i].contid, &next[i].bits, BPF_ANY) < 0)
			log_error("integrity: cannot bind container %" PRIu64
				  " in the backstop: %s",
				  next[i].contid, strerror(errno));
	if (default_bits && bpf_map_update_elem(fd, &default_key, &default_bits, BPF_ANY) < 0)
		log_error("integrity: cannot bind the default appraisal in the backstop: %s",
			  strerror(errno));
	if (!default_bits)
		(void)bpf_map_delete_elem(fd, &default_key);
	pthread_mutex_lock(&backstop.lock);
	old = malloc(backstop.count * sizeof(*old) + 1);
	old_count = old ? backstop.count : 0;
	if (old)
		memcpy(old, backstop.enforced, old_count * sizeof(*old));
	memcpy(backstop.enforced, next, n * sizeof(next[0]));
	backstop.count = n;
	backstop.default_bits = default_bits;
	pthread_mutex_unlock(&backstop.lock);
	for (size_t i = 0; i < old_count; i++) {
		bool kept = false;

		for (size_t j = 0; j < n && !kept; j++)
			kept = next[j].contid == old[i].contid;
		if (!kept)
			(void)bpf_map_delete_elem(fd, &old[i].contid);
	}
	free(old);
}

/* Leftovers of an earlier run (whose list of containers is not this run's): read from the map. */
static void drop_unknown_enforced(void)
{
	static uint64_t stale[CANISTER_BACKSTOP_CONTAINERS_MAX];
	int fd = bpf_map__fd(backstop.skel->maps.appraise_enforce);
	uint64_t key, next;
	size_t n = 0;
	bool more = bpf_map_get_next_key(fd, NULL, &key) == 0;

	while (more) {
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		pthread_mutex_lock(&backstop.lock);
		if (key != CANISTER_BACKSTOP_DEFAULT && !listed_locked(key) &&
		    n < sizeof(stale) / sizeof(stale[0]))
			stale[n++] = key;
		pthread_mutex_unlock(&backstop.lock);
		key = next;
	}
	for (size_t i = 0; i < n; i++)
		(void)bpf_map_delete_elem(fd, &stale[i]);
}

struct forget_walk {
	uint64_t contid; /* 0: every verdict */
	struct canister_backstop_key *keys;
	size_t count, room;
};

static bool collect(const void *key, const void *value, void *ctx)
{
	const struct canister_backstop_key *k = key;
	struct forget_walk *walk = ctx;

	(void)value;
	if (walk->contid && !within(k->contid, walk->contid))
		return true;
	if (walk->count == walk->room) {
		size_t room = walk->room ? 2 * walk->room : 256;
		struct canister_backstop_key *keys = realloc(walk->keys, room * sizeof(*keys));

		if (!keys)
			return false;
		walk->keys = keys;
		walk->room = room;
	}
	walk->keys[walk->count++] = *k;
	return true;
}

static void forget(uint64_t contid)
{
	struct forget_walk walk = { .contid = contid };
	int fd = bpf_map__fd(backstop.skel->maps.appraise_verdicts);
	int r = loader_map_walk(fd, sizeof(struct canister_backstop_key),
				sizeof(struct canister_backstop_verdict), collect, &walk);

	if (r < 0)
		log_error("integrity: cannot read the backstop's verdicts: %s", strerror(-r));
	for (size_t i = 0; i < walk.count; i++)
		(void)bpf_map_delete_elem(fd, &walk.keys[i]);
	free(walk.keys);
}

void backstop_forget(uint64_t contid)
{
	if (atomic_load(&backstop.on))
		forget(contid);
}

bool backstop_wants_opens(void)
{
	bool wanted = false;
	uint64_t parent;

	pthread_mutex_lock(&backstop.lock);
	/* The default holds for containers registered before the next tick too. */
	wanted = backstop_judged_hooks(backstop.default_bits) & CANISTER_BACKSTOP_MMAP;
	/* A container dropped has no process left to open anything (its mode outlives it). */
	for (size_t i = 0; i < backstop.count && !wanted; i++)
		wanted = (backstop_judged_hooks(backstop.enforced[i].bits) &
			  CANISTER_BACKSTOP_MMAP) &&
			 identity_parent(backstop.enforced[i].contid, &parent) != -ENOENT;
	pthread_mutex_unlock(&backstop.lock);
	return wanted;
}

void appraise_backstop_allow(const struct gate_event *event, const struct stat *st,
			     const uint64_t *chain, unsigned int depth, bool allow)
{
	struct canister_backstop_verdict verdict;
	struct canister_backstop_key key;
	uint32_t bits, allowed = 0;
	int fd;

	if (!atomic_load(&backstop.on) || !depth)
		return;
	bits = chain_bits(chain, depth);
	if (!bits)
		return;
	if ((bits & CANISTER_BACKSTOP_EXEC) && (event->mask & FAN_OPEN_EXEC_PERM) && allow)
		allowed |= CANISTER_BACKSTOP_EXEC;
	/* Not for an exec the gate denies: it will not map what it never runs. */
	if ((bits & CANISTER_BACKSTOP_MMAP) && (allow || !(event->mask & FAN_OPEN_EXEC_PERM)) &&
	    measure_appraise_mmap(event))
		allowed |= CANISTER_BACKSTOP_MMAP;
	backstop_verdict_of(chain[0], st, allowed, &key, &verdict);
	fd = bpf_map__fd(backstop.skel->maps.appraise_verdicts);
	/*
	 * An exec's open is two events, FAN_OPEN_EXEC_PERM then FAN_OPEN_PERM:
	 * an open judges mappings only, and keeps the exec verdict of the same
	 * version of the file.  Under the lock, so that a concurrent open does
	 * not write back what it read before an exec's verdict.
	 */
	pthread_mutex_lock(&backstop.verdicts_lock);
	if (!(event->mask & FAN_OPEN_EXEC_PERM)) {
		struct canister_backstop_verdict old;

		if (bpf_map_lookup_elem(fd, &key, &old) == 0 &&
		    backstop_same_version(&old, &verdict))
			verdict.allowed |= old.allowed & CANISTER_BACKSTOP_EXEC;
	}
	/* A version judged again that no longer passes loses what it had. */
	if (!verdict.allowed)
		(void)bpf_map_delete_elem(fd, &key);
	else if (bpf_map_update_elem(fd, &key, &verdict, BPF_ANY) < 0)
		log_warning("integrity: cannot write the backstop's verdict for pid %d: %s "
			    "(the kernel will deny what the gate allowed)",
			    event->pid, strerror(errno));
	else
		atomic_fetch_add(&backstop.written, 1);
	pthread_mutex_unlock(&backstop.verdicts_lock);
}

static int denial(void *ctx, void *data, size_t size)
{
	static char path[CANISTER_BACKSTOP_PATH_MAX + 1], reason[512];
	const struct canister_backstop_denial *d = data;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth = 0;
	uint64_t contid;

	(void)ctx;
	if (size < sizeof(*d))
		return 0;
	/* bpf_d_path() fails for a file no path names; a memfd's name ends "(deleted)". */
	if (d->path_len > 0)
		snprintf(path, sizeof(path), "%.*s", (int)sizeof(d->path), d->path);
	else
		snprintf(path, sizeof(path), "?");
	for (contid = d->contid;
	     contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX;) {
		chain[depth++] = contid;
		if (identity_parent(contid, &contid) < 0)
			break;
	}
	snprintf(reason, sizeof(reason),
		 "the kernel (BPF LSM) %s it: %s (dev %" PRIu64 ":%" PRIu64 " ino %" PRIu64 ")",
		 d->denied ? "denied" : "let (log mode)",
		 d->cause == CANISTER_BACKSTOP_CHANGED
			 ? "the file changed since the gate allowed it"
		 : d->cause == CANISTER_BACKSTOP_NOT_ALLOWED ? "the gate allowed it for another use"
							     : "the gate never allowed it",
		 (uint64_t)(d->dev >> 20), (uint64_t)(d->dev & 0xfffff), (uint64_t)d->ino);
	integrity_record_appraisal(chain, depth, (pid_t)d->tgid, path, backstop_hook_name(d->hook),
				   backstop_cause_name(d->cause), reason,
				   d->denied ? "enforce" : "log");
	atomic_fetch_add(&backstop.recorded, 1);
	log_debug("integrity: container %" PRIu64 ": %s of %s by pid %u: %s", (uint64_t)d->contid,
		  backstop_hook_name(d->hook), path, d->tgid, reason);
	return 0;
}

/* After a refused load: the verifier's own words (loader_explain_refusal()). */
static void explain_refusal(struct canisterd *d, char *why, size_t why_len)
{
	struct backstop_bpf *skel = backstop_bpf__open();

	if (!skel)
		return;
	if (identity_prepare_object(d, skel->obj, skel->maps.labels, why, why_len) == 0)
		loader_explain_refusal(skel->obj, "integrity: backstop", "the backstop", why,
				       why_len);
	backstop_bpf__destroy(skel);
}

int backstop_open(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct backstop_bpf *skel;
	int r;

	if (d->mode != DAEMON_MODE_LSM) {
		snprintf(backstop.detail, sizeof(backstop.detail),
			 "trace mode: this kernel runs no BPF LSM programs; enforce is the "
			 "fanotify gate's alone, and fails open while canisterd is gone");
		return 0;
	}
	skel = backstop_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the backstop BPF object: %s", strerror(-r));
		goto out;
	}
	r = identity_prepare_object(d, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	r = loader_set_pin_paths(skel->obj, pin_path, backstop_pinned_maps, why, why_len);
	if (r < 0)
		goto fail;
	r = backstop_bpf__load(skel);
	if (r) {
		loader_explain_load_failure("the appraisal backstop", r, pin_path, why, why_len);
		backstop_bpf__destroy(skel);
		skel = NULL;
		explain_refusal(d, why, why_len);
		goto fail;
	}
	backstop.skel = skel;
	atomic_store(&backstop.on, true);
	/*
	 * Before the programs of this run attach (those of the last one still
	 * run on the same maps): the enforce map binds this run's containers,
	 * updated in place.  The last run's verdicts stay until the gate is up
	 * (backstop_forget(0) then): dropped now, every exec in between would
	 * be denied, fanotify having no group yet to judge it.
	 */
	backstop_sync();
	drop_unknown_enforced();
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail_on;
	/* Its own thread: a record may wait on a sink, and the main loop must not. */
	r = ring_reader_start(&backstop.reader, bpf_map__fd(skel->maps.backstop_denials), denial,
			      NULL, "integrity", "the backstop's denials", why, why_len);
	if (r < 0)
		goto fail_on;
	snprintf(backstop.detail, sizeof(backstop.detail),
		 "lsm/bprm_check_security, lsm/mmap_file, lsm/file_mprotect; pinned, they deny "
		 "what the gate never allowed while canisterd is gone too");
	log_info("integrity: appraisal backstop on (%s)", backstop.detail);
	return 0;
fail_on:
	atomic_store(&backstop.on, false);
	backstop.skel = NULL;
fail:
	backstop_bpf__destroy(skel);
out:
	snprintf(backstop.detail, sizeof(backstop.detail), "%s", why);
	return r;
}

void backstop_close(void)
{
	ring_reader_stop(&backstop.reader);
	atomic_store(&backstop.on, false);
	/* The pinned links and maps stay: the containers stay bound after canisterd stops. */
	backstop_bpf__destroy(backstop.skel);
	backstop.skel = NULL;
	pthread_mutex_lock(&backstop.lock);
	backstop.count = 0;
	pthread_mutex_unlock(&backstop.lock);
}

void backstop_stats(struct backstop_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->on = backstop.reader.running;
	snprintf(ret->detail, sizeof(ret->detail), "%s", backstop.detail);
	ret->recorded = atomic_load(&backstop.recorded);
	ret->written = atomic_load(&backstop.written);
	if (backstop.reader.running) {
		int fd = bpf_map__fd(backstop.skel->maps.backstop_counts);
		__u32 slot = CANISTER_BACKSTOP_DENIED;

		(void)bpf_map_lookup_elem(fd, &slot, &ret->denied);
		slot = CANISTER_BACKSTOP_LOST;
		(void)bpf_map_lookup_elem(fd, &slot, &ret->lost);
		slot = CANISTER_BACKSTOP_LOGGED;
		(void)bpf_map_lookup_elem(fd, &slot, &ret->logged);
	}
}
