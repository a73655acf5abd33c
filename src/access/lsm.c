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
#include <unistd.h>

_Static_assert(CANISTER_ACCESS_LSM_NEST_MAX == CANISTER_NEST_LIMIT_MAX,
	       "the BPF walk of a chain stops where canister's nesting does");

const char *const access_lsm_pinned_maps[] = {
	CANISTER_MAP_ACCESS_POLICIES,	CANISTER_MAP_ACCESS_PORTS,    CANISTER_MAP_ACCESS_REPORTS,
	CANISTER_MAP_ACCESS_COUNTS,	CANISTER_MAP_ACCESS_FS_RULES, CANISTER_MAP_ACCESS_FS_MARKS,
	CANISTER_MAP_ACCESS_FS_EVICTED, CANISTER_MAP_ACCESS_FS_STATE, CANISTER_MAP_ACCESS_FS_INODES,
	CANISTER_MAP_ACCESS_FS_SBS,	CANISTER_MAP_ACCESS_WORKLOAD, NULL,
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
	struct ring_reader reader;
	atomic_uint_fast64_t reported;
	char detail[256];
} lsm;

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
	case CANISTER_ACCESS_LSM_MOUNT:
		return "mount";
	default:
		return "capability";
	}
}

/* A mount report's operation, the record's op. */
static const char *mount_op_name(uint32_t op)
{
	switch (op) {
	case CANISTER_ACCESS_LSM_OP_UMOUNT:
		return "umount";
	case CANISTER_ACCESS_LSM_OP_MOVE_MOUNT:
		return "move_mount";
	case CANISTER_ACCESS_LSM_OP_PIVOT_ROOT:
		return "pivot_root";
	default:
		return "mount";
	}
}

/*
 * The record's op: a mount's own operation, autobind for a listen()'s bind
 * to port 0, else the right's name (capable for a capability).
 */
static const char *report_op(const struct canister_access_lsm_report *rep)
{
	if (rep->right == CANISTER_ACCESS_LSM_BIND && rep->object == CANISTER_ACCESS_LSM_AUTOBIND)
		return "autobind";
	if (rep->right == CANISTER_ACCESS_LSM_MOUNT)
		return mount_op_name(rep->object);
	return rep->right == CANISTER_ACCESS_LSM_CAPABLE ? "capable" : right_name(rep->right);
}

/* The record's cause: why the level refused. */
static const char *report_cause(const struct canister_access_lsm_report *rep)
{
	if (rep->recorded_only)
		return "recorded-only";
	if (rep->right == CANISTER_ACCESS_LSM_CAPABLE)
		return "beyond-bound";
	/* The policy handles file rights: its paths must stay what they were. */
	return rep->right == CANISTER_ACCESS_LSM_MOUNT ? "fs-handled" : "not-granted";
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
	r = access_lsm_fs_bind(&lsm.fs_maps, contid, value->fs_generation, policy, why, why_len);
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
	r = put(contid, policy, mode, false, why, why_len);
	/* What was there before, as the table still holds it. */
	if (r < 0)
		access_lsm_sync(contid);
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
	} else if (rep->right & (CANISTER_ACCESS_LSM_FS | CANISTER_ACCESS_LSM_MOUNT)) {
		if (size < sizeof(struct canister_access_lsm_fs_report))
			return 0;
		access_lsm_fs_target((const struct canister_access_lsm_fs_report *)data, target,
				     sizeof(target));
	} else {
		/* An autobind is the bind to port 0 it was decided as. */
		snprintf(target, sizeof(target), "tcp:%u",
			 rep->object == CANISTER_ACCESS_LSM_AUTOBIND ? 0 : rep->object);
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
		.op = report_op(rep),
		.target = target,
		.right = right_name(rep->right),
		.cause = report_cause(rep),
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

static void destroy_object(void)
{
	access_lsm_bpf__destroy(lsm.lsm_skel);
	access_trace_bpf__destroy(lsm.trace_skel);
	lsm.lsm_skel = NULL;
	lsm.trace_skel = NULL;
	lsm.obj = NULL;
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
		 lsm_mode ? "lsm/socket_bind, _connect, _sendmsg (TCP Fast Open), lsm/capable, "
			    "lsm/path_mknod, _mkdir, _symlink, _link, _unlink, _rmdir, _rename, "
			    "lsm/sb_mount, _sb_umount, _move_mount, _sb_pivotroot; pinned, they "
			    "decide while canisterd is gone too"
			  : "trace mode: no BPF LSM, nothing denied; bind and connect that a "
			    "policy would refuse recorded (cause recorded-only) from "
			    "tp/syscalls/sys_enter_bind, _connect and _sendto (TCP Fast Open)");
	log_info("access: %s (%s)", lsm_mode ? "BPF LSM on" : "trace-mode recorder on", lsm.detail);
	return 0;
fail:
	destroy_object();
out:
	snprintf(lsm.detail, sizeof(lsm.detail), "%s", why);
	return r;
}

void access_lsm_close(void)
{
	ring_reader_stop(&lsm.reader);
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
