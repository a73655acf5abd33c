// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd: lsm mode: BPF LSM decides the TCP ports, the capability
 * bound and the file create and remove rights of every held access policy,
 * from pinned maps canisterd fills.
 */
#include "access/lsm.h"

#include "access/held.h"
#include "access/lsm_fs.h"
#include "access/lsm_maps.h"
#include "access/records.h"
#include "core/loader.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/ring_reader.h"
#include "identity/identity.h"
#include "access_lsm.skel.h"
#include "access_trace.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

_Static_assert(CANISTER_ACCESS_LSM_NEST_MAX == CANISTER_NEST_LIMIT_MAX,
	       "the BPF walk of a chain stops where canister's nesting does");

const char *const access_lsm_pinned_maps[] = {
	CANISTER_MAP_ACCESS_POLICIES,
	CANISTER_MAP_ACCESS_PORTS,
	CANISTER_MAP_ACCESS_REPORTS,
	CANISTER_MAP_ACCESS_COUNTS,
	CANISTER_MAP_ACCESS_FS_RULES,
	CANISTER_MAP_ACCESS_FS_MARKS,
	CANISTER_MAP_ACCESS_FS_EVICTED,
	CANISTER_MAP_ACCESS_FS_STATE,
	CANISTER_MAP_ACCESS_FS_INODES,
	CANISTER_MAP_ACCESS_FS_SBS,
	CANISTER_MAP_ACCESS_FS_LOST,
	CANISTER_MAP_ACCESS_FS_REBOUND,
	NULL,
};

/*
 * One of two objects on the same pinned maps: the lsm-mode hooks, or in
 * trace mode the recorder at bind's and connect's syscall entry.
 */
static struct {
	struct access_lsm_bpf *lsm_skel;
	struct access_trace_bpf *trace_skel;
	struct bpf_object *obj; /* the loaded one's */
	int policies_fd, ports_fd, reports_fd, counts_fd, fs_rules_fd;
	struct access_lsm_fs_maps fs_maps;
	size_t fallbacks;		 /* of the last binding: deny paths bound to an ancestor */
	bool lost_open;			 /* a container lost rules and is not bound again yet */
	struct loop_source retry_source; /* a timerfd: such a binding tried again every second */
	/* lsm mode: rule inodes gone with their filesystem, and what canisterd bound again since.
	 */
	int fs_lost_fd, fs_rebound_fd;
	/* An eventfd the reports' thread writes when a container lost some: the loop binds again.
	 */
	struct loop_source lost_source;
	struct canisterd *d;
	struct ring_reader reader;
	atomic_uint_fast64_t reported;
	char detail[256];
} lsm = { .fs_lost_fd = -1, .fs_rebound_fd = -1, .lost_source.fd = -1, .retry_source.fd = -1 };

bool access_lsm_on(void)
{
	return lsm.obj != NULL;
}

bool access_lsm_enforcing(void)
{
	return lsm.obj != NULL && lsm.lsm_skel != NULL;
}

static const char *right_name(uint32_t right)
{
	switch (right) {
	case CANISTER_ACCESS_LSM_BIND:
		return "bind";
	case CANISTER_ACCESS_LSM_CONNECT:
		return "connect";
	case CANISTER_ACCESS_LSM_CREATE:
		return "create";
	case CANISTER_ACCESS_LSM_REMOVE:
		return "remove";
	default:
		return "capability";
	}
}

/* Removes @contid's ports for every right @handled lacks. */
static void drop_ports(int fd, uint64_t contid, uint32_t handled)
{
	for (uint32_t right = 1; right <= CANISTER_ACCESS_NET_ALL; right <<= 1) {
		struct canister_access_lsm_ports_key key = { .contid = contid, .right = right };

		if (!(handled & right))
			(void)bpf_map_delete_elem(fd, &key);
	}
}

void access_lsm_remove(uint64_t contid)
{
	if (!lsm.obj)
		return;
	/* The policy first: ports and rule paths without it are never read. */
	(void)bpf_map_delete_elem(lsm.policies_fd, &contid);
	drop_ports(lsm.ports_fd, contid, 0);
	access_lsm_fs_unbind(lsm.fs_rules_fd, contid, 0);
	/* No rule of its own left to lose (the BPF side only ever adds to these). */
	if (lsm.fs_lost_fd >= 0) {
		(void)bpf_map_delete_elem(lsm.fs_lost_fd, &contid);
		(void)bpf_map_delete_elem(lsm.fs_rebound_fd, &contid);
	}
}

/*
 * @contid's rule paths for @value, a policy that handles create or remove:
 * bound afresh under the next generation, or with @keep_bound those the
 * maps hold already for the same rights (a restart: the paths stay bound to
 * the inodes of their load, whatever was mounted or linked there since).
 */
static int put_fs(uint64_t contid, const struct canister_access_policy *policy,
		  struct canister_access_lsm_policy *value, bool keep_bound, char *why,
		  size_t why_len)
{
	struct canister_access_lsm_policy old;
	int r;

	value->fs_generation = 0;
	lsm.fallbacks = 0;
	/* Trace mode decides no file right in the kernel: nothing to bind. */
	if (!value->fs_handled || !lsm.lsm_skel)
		return 0;
	if (bpf_map_lookup_elem(lsm.policies_fd, &contid, &old) < 0)
		memset(&old, 0, sizeof(old));
	if (keep_bound && old.fs_generation && old.fs_handled == value->fs_handled &&
	    access_lsm_fs_bound(lsm.fs_rules_fd, contid, old.fs_generation)) {
		value->fs_generation = old.fs_generation;
		return 0;
	}
	value->fs_generation = old.fs_generation + 1 ? old.fs_generation + 1 : 1;
	/* Leftovers of a generation cut short would otherwise be read as this one's. */
	access_lsm_fs_unbind(lsm.fs_rules_fd, contid, old.fs_generation);
	r = access_lsm_fs_bind(&lsm.fs_maps, contid, value->fs_generation, policy, &lsm.fallbacks,
			       why, why_len);
	if (r < 0)
		access_lsm_fs_unbind(lsm.fs_rules_fd, contid, old.fs_generation);
	return r;
}

static int put(uint64_t contid, const struct canister_access_policy *policy,
	       enum canister_access_mode mode, bool keep_bound, char *why, size_t why_len)
{
	static struct canister_access_lsm_ports ports;
	int ports_fd = lsm.ports_fd;
	struct canister_access_lsm_policy value;
	int r;

	access_lsm_policy_value(policy, mode, &value);
	/*
	 * The rule paths before the policy that reads them, under a generation
	 * of their own, and the old generation's after it: a decision in
	 * between is the old policy's or the new one's, never a mix.
	 */
	r = put_fs(contid, policy, &value, keep_bound, why, why_len);
	if (r < 0)
		return r;
	/*
	 * The ports before the policy that reads them, the ports of rights no
	 * longer handled after it: in between, a decision is the old policy's
	 * or the new one's, never a right handled with no ports.
	 */
	for (uint32_t right = 1; right <= CANISTER_ACCESS_NET_ALL; right <<= 1) {
		struct canister_access_lsm_ports_key key = { .contid = contid, .right = right };

		if (!(value.net_handled & right))
			continue;
		access_lsm_ports(policy, right, &ports);
		if (bpf_map_update_elem(ports_fd, &key, &ports, BPF_ANY) < 0) {
			r = -errno;
			snprintf(why, why_len,
				 "BPF LSM cannot hold container %" PRIu64 "'s %s ports: %s", contid,
				 right_name(right), strerror(-r));
			return r;
		}
	}
	if (bpf_map_update_elem(lsm.policies_fd, &contid, &value, BPF_ANY) < 0) {
		r = -errno;
		if (r == -E2BIG)
			snprintf(why, why_len,
				 "BPF LSM holds the policies of %d containers at most, and holds "
				 "that many",
				 CANISTER_ACCESS_LSM_CONTAINERS_MAX);
		else
			snprintf(why, why_len,
				 "BPF LSM cannot hold container %" PRIu64 "'s policy: %s", contid,
				 strerror(-r));
		return r;
	}
	drop_ports(ports_fd, contid, value.net_handled);
	access_lsm_fs_unbind(lsm.fs_rules_fd, contid, value.fs_generation);
	return 0;
}

static void sync_held(uint64_t contid, bool keep_bound)
{
	const struct access_held *held;
	char why[256];

	if (!lsm.obj)
		return;
	held = contid == CANISTER_ACCESS_LSM_DEFAULT_KEY ? access_held_default()
							 : access_held_find(contid);
	if (!held) {
		access_lsm_remove(contid);
		return;
	}
	if (put(contid, held->policy, held->settings.mode, keep_bound, why, sizeof(why)) < 0) {
		/* Held but not in the kernel: unbound while canisterd runs is worse than refused.
		 */
		log_error("access: %s; container %" PRIu64 " is not bound by it in the kernel", why,
			  contid);
	}
}

void access_lsm_sync(uint64_t contid)
{
	sync_held(contid, false);
}

int access_lsm_put(uint64_t contid, const struct canister_access_policy *policy,
		   enum canister_access_mode mode, char *why, size_t why_len)
{
	int r;

	if (!lsm.obj)
		return 0;
	uint64_t lost;
	bool was_lost =
		lsm.fs_lost_fd >= 0 && bpf_map_lookup_elem(lsm.fs_lost_fd, &contid, &lost) == 0;

	r = put(contid, policy, mode, false, why, why_len);
	/* What was there before, as the table still holds it. */
	if (r < 0)
		access_lsm_sync(contid);
	/* Bound afresh by the administrator's load: what was lost before it is bound for. */
	else if (was_lost)
		(void)bpf_map_update_elem(lsm.fs_rebound_fd, &contid, &lost, BPF_ANY);
	return r;
}

/* Whether the maps' entries under @key belong to a held policy (a container's, or the default). */
static bool held_key(uint64_t key)
{
	if (key == CANISTER_ACCESS_LSM_DEFAULT_KEY)
		return access_held_default() != NULL;
	return access_held_find(key) != NULL;
}

/* Whether an access_fs_rules entry is one no held policy reads (@arg unused). */
static bool fs_key_unread(const struct canister_access_lsm_fs_key *key, const void *arg)
{
	struct canister_access_lsm_policy value;

	(void)arg;
	return !held_key(key->contid) ||
	       bpf_map_lookup_elem(lsm.policies_fd, &key->contid, &value) < 0 ||
	       value.fs_generation != key->generation;
}

/* Leftovers of an earlier run, or of a policy dropped while canisterd was away. */
static void drop_unheld(void)
{
	static uint64_t stale[CANISTER_ACCESS_LSM_ENTRIES_MAX];
	int fd = lsm.policies_fd;
	uint64_t key, next;
	size_t n = 0;
	bool more = bpf_map_get_next_key(fd, NULL, &key) == 0;

	while (more) {
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		if (!held_key(key) && n < sizeof(stale) / sizeof(stale[0]))
			stale[n++] = key;
		key = next;
	}
	for (size_t i = 0; i < n; i++) {
		log_info("access: container %" PRIu64 "'s policy left the kernel's maps", stale[i]);
		access_lsm_remove(stale[i]);
	}
	/* Ports whose container holds no policy (a remove cut short): never read, still room. */
	fd = lsm.ports_fd;
	n = 0;
	{
		struct canister_access_lsm_ports_key pkey, pnext;

		more = bpf_map_get_next_key(fd, NULL, &pkey) == 0;
		while (more) {
			more = bpf_map_get_next_key(fd, &pkey, &pnext) == 0;
			if (!held_key(pkey.contid) && n < sizeof(stale) / sizeof(stale[0]))
				stale[n++] = pkey.contid;
			pkey = pnext;
		}
	}
	for (size_t i = 0; i < n; i++)
		drop_ports(fd, stale[i], 0);
	/* Rule paths likewise; a held policy's other generations (a bind cut short) too. */
	access_lsm_fs_drop_if(lsm.fs_rules_fd, fs_key_unread, NULL);
}

/*
 * Every container access_fs_lost counts more often than it was bound again
 * for (a rule inode of its chain went with its filesystem, which the
 * container unmounted): its policy, or the default it is judged by, bound
 * afresh (the paths resolved again in its root, a new generation, the old
 * one dropped after, as a load does), then the count written back, which
 * ends the BPF side's refusal of its creates and removes.  A count made
 * while the binding ran stays above it: bound again on the next pass.
 */
static void rebind_lost(bool retry)
{
	static uint64_t lost_keys[CANISTER_ACCESS_LSM_ENTRIES_MAX];
	bool default_bound = false;
	uint64_t key, next;
	size_t n = 0;
	bool more;

	if (lsm.fs_lost_fd < 0)
		return;
	lsm.lost_open = false;
	more = bpf_map_get_next_key(lsm.fs_lost_fd, NULL, &key) == 0;
	while (more) {
		more = bpf_map_get_next_key(lsm.fs_lost_fd, &key, &next) == 0;
		if (n < sizeof(lost_keys) / sizeof(lost_keys[0]))
			lost_keys[n++] = key;
		key = next;
	}
	for (size_t i = 0; i < n; i++) {
		const struct access_held *held;
		uint64_t contid = lost_keys[i], lost, rebound, bound_key;
		char why[256];

		if (bpf_map_lookup_elem(lsm.fs_lost_fd, &contid, &lost) < 0)
			continue;
		if (bpf_map_lookup_elem(lsm.fs_rebound_fd, &contid, &rebound) == 0 &&
		    rebound == lost)
			continue;
		held = access_held_find(contid);
		bound_key = contid;
		if (!held) {
			held = access_held_default();
			bound_key = CANISTER_ACCESS_LSM_DEFAULT_KEY;
		}
		log_msg(retry ? CANISTER_LOG_DEBUG : CANISTER_LOG_WARNING,
			"access: rules of container %" PRIu64 "'s policy lost their filesystem "
			"(unmounted); re-binding (its create and remove are refused until then)",
			contid);
		if (held && (bound_key != CANISTER_ACCESS_LSM_DEFAULT_KEY || !default_bound) &&
		    put(bound_key, held->policy, held->settings.mode, false, why, sizeof(why)) <
			    0) {
			log_error("access: %s; container %" PRIu64
				  "'s create and remove stay refused",
				  why, contid);
			continue;
		}
		default_bound |= held && bound_key == CANISTER_ACCESS_LSM_DEFAULT_KEY;
		/*
		 * A deny path that does not resolve now would bind to an ancestor, the
		 * bare mount point a new filesystem is mounted over next (a mount hides
		 * what it covers): the container stays refused, tried again every second
		 * until every deny path resolves, or a load of its policy settles it.
		 * Not the default policy's: its paths are canisterd's mount
		 * namespace's, where the guard lets no container mount.
		 */
		if (held && bound_key != CANISTER_ACCESS_LSM_DEFAULT_KEY && lsm.fallbacks) {
			lsm.lost_open = true;
			log_msg(retry ? CANISTER_LOG_DEBUG : CANISTER_LOG_WARNING,
				"access: %zu deny rule path(s) of container %" PRIu64
				"'s policy do not resolve after their filesystem went: its create "
				"and remove stay refused until they do, or its policy is loaded "
				"again",
				lsm.fallbacks, contid);
			continue;
		}
		if (bpf_map_update_elem(lsm.fs_rebound_fd, &contid, &lost, BPF_ANY) < 0) {
			log_error("access: cannot note container %" PRIu64
				  "'s rules bound again: %s",
				  contid, strerror(errno));
			continue;
		}
		log_info("access: container %" PRIu64
			 "'s policy re-bound after its filesystem went",
			 contid);
	}
}

static void lost_ready(struct canisterd *d, struct loop_source *source)
{
	uint64_t count;

	(void)d;
	if (read(source->fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		log_warning("access: %s", strerror(errno));
	rebind_lost(false);
}

static void retry_ready(struct canisterd *d, struct loop_source *source)
{
	uint64_t count;

	(void)d;
	if (read(source->fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		log_warning("access: %s", strerror(errno));
	if (lsm.lost_open)
		rebind_lost(true);
}

/* A marked rule inode went with its filesystem (the reports' thread): the loop binds again. */
static void told_lost(const struct canister_access_lsm_report *rep)
{
	uint64_t one = 1;

	if (rep->contid == CANISTER_CONTID_UNSET) {
		/* The host's own unmount (or a kernel thread's): no container to close, none bound.
		 */
		log_warning("access: a rule path's filesystem (device %u:%u) was unmounted outside "
			    "any container (pid %u, %.16s): the rules on it refuse nothing until "
			    "their policy is loaded again",
			    rep->object >> 20, rep->object & 0xfffff, rep->tgid, rep->comm);
		return;
	}
	if (lsm.lost_source.fd >= 0 && write(lsm.lost_source.fd, &one, sizeof(one)) < 0)
		log_warning("access: cannot wake the loop to bind container %" PRIu64
			    "'s rules again: %s",
			    (uint64_t)rep->contid, strerror(errno));
}

static int report(void *ctx, void *data, size_t size)
{
	const struct canister_access_lsm_report *rep = data;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	char target[CANISTER_ACCESS_LSM_FS_PARTS * (CANISTER_ACCESS_LSM_FS_PART_BYTES + 1) + 8];
	char link[64], exe[4096];
	unsigned int depth = 0;
	uint64_t contid;
	ssize_t len;

	(void)ctx;
	if (size < sizeof(*rep))
		return 0;
	if (rep->right == CANISTER_ACCESS_LSM_FS_LOST) {
		told_lost(rep);
		return 0;
	}
	for (contid = rep->contid;
	     contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX;) {
		chain[depth++] = contid;
		if (identity_parent(contid, &contid) < 0)
			break;
	}
	if (!depth)
		return 0;
	if (rep->right == CANISTER_ACCESS_LSM_CAPABLE) {
		const char *name = canister_access_cap_name(rep->object);

		/* The record's object is lower case, as capabilities(7)'s names in audit are. */
		snprintf(target, sizeof(target), "%s", name ? name : "cap_unknown");
		for (char *c = target; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	} else if (rep->right & CANISTER_ACCESS_LSM_FS) {
		if (size < sizeof(struct canister_access_lsm_fs_report))
			return 0;
		access_lsm_fs_target((const struct canister_access_lsm_fs_report *)data, target,
				     sizeof(target));
	} else {
		snprintf(target, sizeof(target), "tcp:%u", rep->object);
	}
	/* The process may be gone: the record then names no executable. */
	snprintf(link, sizeof(link), "/proc/%u/exe", rep->tgid);
	len = readlink(link, exe, sizeof(exe) - 1);
	if (len >= 0)
		exe[len] = '\0';
	access_record(&(struct access_decision){
		.chain = chain,
		.depth = depth,
		.by = rep->by,
		.pid = (pid_t)rep->tgid,
		.exe = len >= 0 ? exe : NULL,
		.op = rep->right == CANISTER_ACCESS_LSM_CAPABLE ? "capable"
								: right_name(rep->right),
		.target = target,
		.right = right_name(rep->right),
		.cause = rep->recorded_only			     ? "recorded-only"
			 : rep->right == CANISTER_ACCESS_LSM_CAPABLE ? "beyond-bound"
								     : "not-granted",
		.enforce = rep->denied,
	});
	atomic_fetch_add(&lsm.reported, 1);
	return 0;
}

/* Opens the object of @d's mode: its bpf_object in *@ret_obj, its copy of identity's labels. */
static int open_object(const struct canisterd *d, struct bpf_object **ret_obj,
		       struct bpf_map **ret_labels)
{
	if (d->mode == DAEMON_MODE_LSM) {
		lsm.lsm_skel = access_lsm_bpf__open();
		if (!lsm.lsm_skel)
			return -errno;
		*ret_obj = lsm.lsm_skel->obj;
		*ret_labels = lsm.lsm_skel->maps.labels;
		return 0;
	}
	lsm.trace_skel = access_trace_bpf__open();
	if (!lsm.trace_skel)
		return -errno;
	*ret_obj = lsm.trace_skel->obj;
	*ret_labels = lsm.trace_skel->maps.labels;
	return 0;
}

/* Every second: a binding that left a container refused (rebind_lost()) is tried again. */
static int open_retry_timer(struct canisterd *d)
{
	struct itimerspec every = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	lsm.retry_source.ready = retry_ready;
	if (timerfd_settime(fd, 0, &every, NULL) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	r = loop_add(d, fd, &lsm.retry_source);
	if (r < 0) {
		close(fd);
		lsm.retry_source.fd = -1;
	}
	return r;
}

/* After the reports' thread stopped (it writes the eventfd). */
static void close_lost_source(void)
{
	struct loop_source *sources[] = { &lsm.lost_source, &lsm.retry_source };

	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		if (sources[i]->fd < 0 || !lsm.d)
			continue;
		loop_remove(lsm.d, sources[i]->fd);
		close(sources[i]->fd);
		sources[i]->fd = -1;
	}
}

static void destroy_object(void)
{
	access_lsm_bpf__destroy(lsm.lsm_skel);
	access_trace_bpf__destroy(lsm.trace_skel);
	lsm.lsm_skel = NULL;
	lsm.trace_skel = NULL;
	lsm.obj = NULL;
	lsm.fs_lost_fd = -1;
	lsm.fs_rebound_fd = -1;
}

/* After a refused load: the verifier's own words, from the object opened afresh. */
static void explain_refusal(const struct canisterd *d, char *why, size_t why_len)
{
	struct bpf_object *obj;
	struct bpf_map *labels;

	if (open_object(d, &obj, &labels) < 0)
		return;
	if (identity_prepare_object(d, obj, labels, why, why_len) == 0)
		loader_explain_refusal(obj, "access: BPF", "access control's programs", why,
				       why_len);
	destroy_object();
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	return bpf_map__fd(bpf_object__find_map_by_name(obj, name));
}

int access_lsm_open(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	bool lsm_mode = d->mode == DAEMON_MODE_LSM;
	struct bpf_link *binder = NULL;
	struct bpf_map *labels;
	struct bpf_object *obj;
	int r;

	r = open_object(d, &obj, &labels);
	if (r < 0) {
		snprintf(why, why_len, "cannot open access control's BPF object: %s", strerror(-r));
		goto out;
	}
	r = identity_prepare_object(d, obj, labels, why, why_len);
	if (r < 0)
		goto fail;
	r = loader_set_pin_paths(obj, pin_path, access_lsm_pinned_maps, why, why_len);
	if (r < 0)
		goto fail;
	r = lsm_mode ? access_lsm_bpf__load(lsm.lsm_skel) : access_trace_bpf__load(lsm.trace_skel);
	if (r) {
		loader_explain_load_failure("access control's BPF programs", r, pin_path, why,
					    why_len);
		destroy_object();
		explain_refusal(d, why, why_len);
		goto out;
	}
	lsm.obj = obj;
	lsm.policies_fd = map_fd(obj, "access_policies");
	lsm.ports_fd = map_fd(obj, "access_ports");
	lsm.reports_fd = map_fd(obj, "access_reports");
	lsm.counts_fd = map_fd(obj, "access_counts");
	lsm.fs_rules_fd = map_fd(obj, "access_fs_rules");
	lsm.fs_maps.rules_fd = lsm.fs_rules_fd;
	lsm.fs_maps.binding_fd = lsm_mode ? map_fd(obj, "access_fs_binding") : -1;
	lsm.fs_lost_fd = lsm_mode ? map_fd(obj, "access_fs_lost") : -1;
	lsm.fs_rebound_fd = lsm_mode ? map_fd(obj, "access_fs_rebound") : -1;
	lsm.d = d;
	if (lsm_mode) {
		int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

		lsm.lost_source.ready = lost_ready;
		if (fd < 0 || loop_add(d, fd, &lsm.lost_source) < 0) {
			r = fd < 0 ? -errno : -EIO;
			snprintf(why, why_len, "cannot watch for rule paths' filesystems going: %s",
				 strerror(-r));
			if (fd >= 0)
				close(fd);
			lsm.lost_source.fd = -1;
			goto fail;
		}
		r = open_retry_timer(d);
		if (r < 0) {
			snprintf(why, why_len, "cannot make the rule paths' re-binding timer: %s",
				 strerror(-r));
			goto fail;
		}
	}
	/*
	 * Before this run's programs attach (the last run's still decide from
	 * the same maps): every held policy written in place, then what is no
	 * longer held removed, so no container goes unbound in between.  Rule
	 * paths bound anew meanwhile are marked by this run's marking program,
	 * attached alone for that time (the last run's reads its own requests).
	 */
	if (lsm_mode) {
		binder = bpf_program__attach(lsm.lsm_skel->progs.canister_access_fs_bind);
		if (!binder)
			log_warning("access: cannot attach the rule paths' marking program yet: "
				    "%s; a policy bound anew at start is refused",
				    strerror(errno));
	}
	for (size_t i = 0; i < access_held_count(); i++)
		sync_held(access_held_at(i)->contid, lsm_mode);
	sync_held(CANISTER_ACCESS_LSM_DEFAULT_KEY, lsm_mode);
	/* Filesystems of rule paths unmounted while canisterd was away. */
	rebind_lost(false);
	drop_unheld();
	bpf_link__destroy(binder);
	r = loader_attach_all(pin_path, obj, why, why_len);
	if (r < 0)
		goto fail;
	/* Its own thread: access_record() never waits, but the ring buffer is read as it fills. */
	r = ring_reader_start(&lsm.reader, lsm.reports_fd, report, NULL, "access",
			      "BPF LSM's access reports", why, why_len);
	if (r < 0)
		goto fail;
	snprintf(lsm.detail, sizeof(lsm.detail), "%s",
		 lsm_mode ? "lsm/socket_bind, lsm/socket_connect, lsm/socket_sendmsg (TCP Fast "
			    "Open), lsm/capable, lsm/path_mknod, _mkdir, _symlink, _link, _unlink, "
			    "_rmdir, _rename (rule inodes marked); pinned, they "
			    "decide from the held policies while canisterd is gone too"
			  : "trace mode: no BPF LSM, nothing denied; bind and connect that a "
			    "policy would refuse recorded (cause recorded-only) from "
			    "tp/syscalls/sys_enter_bind, _connect and _sendto (TCP Fast Open)");
	log_info("access: %s (%s)", lsm_mode ? "BPF LSM on" : "trace-mode recorder on", lsm.detail);
	return 0;
fail:
	close_lost_source();
	destroy_object();
out:
	snprintf(lsm.detail, sizeof(lsm.detail), "%s", why);
	return r;
}

void access_lsm_close(void)
{
	ring_reader_stop(&lsm.reader);
	close_lost_source();
	/* The pinned links and maps stay: the containers stay bound after canisterd stops. */
	destroy_object();
}

void access_lsm_stats(struct access_lsm_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->on = lsm.reader.running;
	snprintf(ret->detail, sizeof(ret->detail), "%s", lsm.detail);
	ret->reported = atomic_load(&lsm.reported);
	if (lsm.reader.running) {
		int fd = lsm.counts_fd;
		__u32 slot = CANISTER_ACCESS_LSM_DENIED;

		(void)bpf_map_lookup_elem(fd, &slot, &ret->denied);
		slot = CANISTER_ACCESS_LSM_COMPLAINED;
		(void)bpf_map_lookup_elem(fd, &slot, &ret->complained);
		slot = CANISTER_ACCESS_LSM_LOST;
		(void)bpf_map_lookup_elem(fd, &slot, &ret->lost);
	}
}
