// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: cross-container isolation in the kernel (lsm mode): the grants map and the reports. */
#include "access/isolation.h"

#include "access/enforcement.h"
#include "access/grants.h"
#include "access/isolation_abi.h"
#include "access/records.h"
#include "core/loader.h"
#include "core/log.h"
#include "core/ring_reader.h"
#include "identity/identity.h"
#include "isolation.skel.h"
#include "isolation_trace.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(CANISTER_ISOLATION_NEST_MAX == CANISTER_NEST_LIMIT_MAX,
	       "the BPF walk of a chain stops where canister's nesting does");
_Static_assert(ACCESS_GRANTS_MAX <= CANISTER_ISOLATION_GRANTS_MAX,
	       "every grant canisterd holds fits the kernel's map");

const char *const isolation_pinned_maps[] = {
	CANISTER_MAP_ISOLATION_REPORTS,
	CANISTER_MAP_ISOLATION_COUNTS,
	/* Pinned so that a restart forgets no file's creator. */
	CANISTER_MAP_ISOLATION_CREATORS,
	CANISTER_MAP_ISOLATION_CREATING,
	NULL,
};

/* The trace-mode recorder's: the reports, on the same pins as lsm mode's. */
static const char *const isolation_trace_pinned_maps[] = {
	CANISTER_MAP_ISOLATION_REPORTS,
	CANISTER_MAP_ISOLATION_COUNTS,
	NULL,
};

/* One of two objects: the lsm-mode hooks, or in trace mode the recorder at the syscalls. */
static struct {
	struct isolation_bpf *skel;
	struct isolation_trace_bpf *trace_skel;
	struct ring_reader reader;
	bool lsm;
	/* Trace mode: the recorder's link, present only while a container lives. */
	bool attached;
	const char *pin_path;
	char detail[256];
} iso;

static void key_of(const struct access_grant *g, struct canister_isolation_grant_key *ret)
{
	*ret = (struct canister_isolation_grant_key){
		.holder = g->holder,
		.target = g->credential ? g->target : CANISTER_ISOLATION_HOST_ADMIN,
		.uid = g->credential && !g->any_uid ? g->uid : CANISTER_ISOLATION_ANY_UID,
		.target_uid = g->credential ? g->target_uid : CANISTER_ISOLATION_ANY_UID,
	};
}

struct stale_walk {
	struct canister_isolation_grant_key keys[CANISTER_ISOLATION_GRANTS_MAX];
	size_t count;
};

/* A key in the map that no grant held makes: an earlier run's, or one just revoked. */
static bool collect_stale(const void *key, const void *value, void *ctx)
{
	const struct canister_isolation_grant_key *k = key;
	struct stale_walk *walk = ctx;
	const struct access_grant *held;
	size_t count;

	(void)value;
	held = access_grants_all(&count);
	for (size_t i = 0; i < count; i++) {
		struct canister_isolation_grant_key mine;

		key_of(&held[i], &mine);
		if (memcmp(&mine, k, sizeof(mine)) == 0)
			return true;
	}
	if (walk->count < CANISTER_ISOLATION_GRANTS_MAX)
		walk->keys[walk->count++] = *k;
	return true;
}

void isolation_sync(void)
{
	static struct stale_walk walk;
	const struct access_grant *held;
	__u32 one = 1;
	size_t count;
	int fd, r;

	if (iso.skel)
		fd = bpf_map__fd(iso.skel->maps.isolation_grants);
	else if (iso.trace_skel)
		fd = bpf_map__fd(iso.trace_skel->maps.isolation_grants);
	else
		return;
	/* Added first, removed after: a grant that stays is never missing in between. */
	held = access_grants_all(&count);
	for (size_t i = 0; i < count; i++) {
		struct canister_isolation_grant_key key;

		key_of(&held[i], &key);
		if (bpf_map_update_elem(fd, &key, &one, BPF_ANY) < 0)
			log_error("access: cannot give container %" PRIu64
				  " its grant in the kernel: %s",
				  held[i].holder, strerror(errno));
	}
	walk.count = 0;
	r = loader_map_walk(fd, sizeof(struct canister_isolation_grant_key), sizeof(__u32),
			    collect_stale, &walk);
	if (r < 0)
		log_error("access: cannot read the kernel's grants: %s", strerror(-r));
	for (size_t i = 0; i < walk.count; i++)
		if (bpf_map_delete_elem(fd, &walk.keys[i]) < 0 && errno != ENOENT)
			log_error("access: cannot take container %" PRIu64
				  "'s grant back in the kernel: %s",
				  (uint64_t)walk.keys[i].holder, strerror(errno));
}

/*
 * The record's op and right for a file report: a write, a removal, a change
 * of its attributes (a write of the file's metadata), or a write to a cgroup
 * outside the writer's container's (it kills, freezes, starves or moves
 * processes as a signal would).
 */
static void file_words(uint16_t op, const char **ret_op, const char **ret_right)
{
	static const struct {
		uint16_t op;
		const char *word, *right;
	} words[] = {
		{ CANISTER_ISOLATION_OP_WRITE, "write", "write" },
		{ CANISTER_ISOLATION_OP_REMOVE, "remove", "remove" },
		{ CANISTER_ISOLATION_OP_CGROUP, "cgroup-write", "signal" },
	};

	*ret_op = "attributes";
	*ret_right = "write";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].op == op) {
			*ret_op = words[i].word;
			*ret_right = words[i].right;
		}
}

/*
 * A write, a removal or an attribute change refused: the target is the
 * file's path (a write's, an inode flags ioctl's) or its name (the inode
 * and path hooks have no mount to make a path from; canisterd's log adds
 * its inode, owner and creator).  A cgroup write's is "DIR/FILE" (the log
 * adds the cgroup's id).
 */
static void file_report(const struct canister_isolation_report *rep, const uint64_t *chain,
			unsigned int depth)
{
	char name[CANISTER_ISOLATION_NAME_MAX + 1];
	const char *op, *right;

	file_words(rep->op, &op, &right);

	snprintf(name, sizeof(name), "%.*s", (int)sizeof(rep->name), rep->name);
	access_record(&(struct access_decision){
		.chain = chain,
		.depth = depth,
		.by = rep->contid,
		.pid = (pid_t)rep->tgid,
		.op = op,
		.target = name[0] ? name : "?",
		.right = right,
		.cause = "cross-container",
		.enforce = true,
	});
	if (rep->op == CANISTER_ISOLATION_OP_CGROUP) {
		log_debug("access: container %" PRIu64 ": write of %s (cgroup id %" PRIu64
			  ", outside its own) by pid %u (uid %u) denied",
			  (uint64_t)rep->contid, name, (uint64_t)rep->ino, rep->tgid, rep->uid);
		return;
	}
	log_debug("access: container %" PRIu64 ": %s of %s (inode %" PRIu64 ", owner uid %u, "
		  "created by container %" PRIu64 ") by pid %u (uid %u) denied",
		  (uint64_t)rep->contid, op, name, (uint64_t)rep->ino, rep->target_uid,
		  (uint64_t)rep->target_contid, rep->tgid, rep->uid);
}

/* The record's op for a process report: a signal, a ptrace, or which control. */
static const char *process_op(uint16_t op, uint16_t detail)
{
	static const char *const controls[] = {
		[CANISTER_ISOLATION_CONTROL_RLIMIT] = "rlimit",
		[CANISTER_ISOLATION_CONTROL_NICE] = "nice",
		[CANISTER_ISOLATION_CONTROL_IOPRIO] = "ioprio",
		[CANISTER_ISOLATION_CONTROL_SCHEDULER] = "scheduler",
		[CANISTER_ISOLATION_CONTROL_MEMORY] = "move-memory",
		[CANISTER_ISOLATION_CONTROL_PROC_WRITE] = "proc-write",
	};

	if (op == CANISTER_ISOLATION_OP_PTRACE)
		return "ptrace";
	if (op != CANISTER_ISOLATION_OP_CONTROL)
		return "signal";
	if (detail < sizeof(controls) / sizeof(controls[0]) && controls[detail])
		return controls[detail];
	return "control";
}

static int report(void *ctx, void *data, size_t size)
{
	const struct canister_isolation_report *rep = data;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	char target[96];
	unsigned int depth = 0;
	const char *op;
	uint64_t contid;

	(void)ctx;
	if (size < sizeof(*rep))
		return 0;
	for (contid = rep->contid;
	     contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX;) {
		chain[depth++] = contid;
		if (identity_parent(contid, &contid) < 0)
			break;
	}
	if (rep->op == CANISTER_ISOLATION_OP_WRITE || rep->op == CANISTER_ISOLATION_OP_REMOVE ||
	    rep->op == CANISTER_ISOLATION_OP_ATTRIBUTES ||
	    rep->op == CANISTER_ISOLATION_OP_CGROUP) {
		file_report(rep, chain, depth);
		return 0;
	}
	/* Commas, not blanks: a blank would make the record hex-encode the whole target. */
	if (rep->target_contid == CANISTER_ISOLATION_HOST_ADMIN)
		snprintf(target, sizeof(target), "pid:%u,uid:%u,host", rep->target_tgid,
			 rep->target_uid);
	else
		snprintf(target, sizeof(target), "pid:%u,uid:%u,contid:%" PRIu64, rep->target_tgid,
			 rep->target_uid, (uint64_t)rep->target_contid);
	op = process_op(rep->op, rep->sig);
	access_record(&(struct access_decision){
		.chain = chain,
		.depth = depth,
		.by = rep->contid,
		.pid = (pid_t)rep->tgid,
		.op = op,
		.target = target,
		/* A control ends or starves a process as a signal does. */
		.right = rep->op == CANISTER_ISOLATION_OP_PTRACE ? "ptrace" : "signal",
		/* Trace mode: what lsm mode would deny, let through and said so. */
		.cause = rep->recorded_only ? "recorded-only" : "cross-container",
		.enforce = !rep->recorded_only,
	});
	log_debug("access: container %" PRIu64 ": %s (detail %u) from pid %u (uid %u) to %s %s",
		  (uint64_t)rep->contid, op, rep->sig, rep->tgid, rep->uid, target,
		  rep->recorded_only ? "recorded" : "denied");
	return 0;
}

/* Trace mode: the recorder at the syscalls that name another process; nothing denied. */
static int load_trace(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct isolation_trace_bpf *skel = isolation_trace_bpf__open();
	int r;

	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the isolation recorder's BPF object: %s",
			 strerror(-r));
		return r;
	}
	r = identity_prepare_object(d, skel->obj, skel->maps.labels, why, why_len);
	if (r == 0)
		r = loader_set_pin_paths(skel->obj, pin_path, isolation_trace_pinned_maps, why,
					 why_len);
	if (r < 0) {
		isolation_trace_bpf__destroy(skel);
		return r;
	}
	skel->rodata->canisterd_tgid = (__u32)getpid();
	r = isolation_trace_bpf__load(skel);
	if (r) {
		loader_explain_load_failure("the isolation recorder", r, pin_path, why, why_len);
		isolation_trace_bpf__destroy(skel);
		return r;
	}
	/* Canister's while it waits to be attached, too. */
	loader_note_object(skel->obj);
	iso.trace_skel = skel;
	return 0;
}

/* lsm mode: the hooks that deny. */
static int load_lsm(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct isolation_bpf *skel = isolation_bpf__open();
	int r;

	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the isolation BPF object: %s", strerror(-r));
		return r;
	}
	/* A 32-bit process's ioctls have a hook of their own on 6.8 and 6.1.y's backport. */
	bpf_program__set_autoload(skel->progs.canister_isolation_ioctl_compat,
				  identity_lsm_hook_arg_count("file_ioctl_compat") > 0);
	/* Identity's pins include the grants map, which its guard reads for ptrace. */
	r = identity_prepare_object(d, skel->obj, skel->maps.labels, why, why_len);
	if (r == 0)
		r = loader_set_pin_paths(skel->obj, pin_path, isolation_pinned_maps, why, why_len);
	if (r < 0) {
		isolation_bpf__destroy(skel);
		return r;
	}
	/* Signals to canisterd and its helpers are the guard's (isolation.bpf.c says why). */
	skel->rodata->canisterd_tgid = (__u32)getpid();
	r = isolation_bpf__load(skel);
	if (r) {
		loader_explain_load_failure("the isolation programs", r, pin_path, why, why_len);
		isolation_bpf__destroy(skel);
		return r;
	}
	iso.skel = skel;
	return 0;
}

static void destroy_objects(void)
{
	isolation_bpf__destroy(iso.skel);
	isolation_trace_bpf__destroy(iso.trace_skel);
	iso.skel = NULL;
	iso.trace_skel = NULL;
}

/*
 * Trace mode: the recorder runs at every system call of the host, labelled
 * or not, and records only labelled processes; without a container it has
 * nothing to record, so it is attached only while one lives.  Detached, its
 * pin goes too, and the next canisterd's start attaches it again if
 * containers live.  Returns 0, or -errno with @why.
 */
static int recorder_attach(char *why, size_t why_len)
{
	int r;

	if (iso.attached)
		return 0;
	r = loader_attach_all(iso.pin_path, iso.trace_skel->obj, why, why_len);
	if (r < 0)
		return r;
	iso.attached = true;
	return 0;
}

static void recorder_detach(void)
{
	if (!iso.attached)
		return;
	loader_detach_all(iso.pin_path, iso.trace_skel->obj);
	iso.attached = false;
}

void isolation_containers_present(bool any)
{
	char why[sizeof(iso.detail)];

	if (iso.lsm || !iso.reader.running)
		return;
	if (!any) {
		recorder_detach();
		log_info("access: isolation recorder detached: no container left");
		return;
	}
	if (recorder_attach(why, sizeof(why)) < 0) {
		/* The status says so; the registration goes on, as trace mode denies nothing. */
		log_error("access: cross-container isolation is not recorded: %s", why);
		snprintf(iso.detail, sizeof(iso.detail), "%s", why);
		return;
	}
	log_info("access: isolation recorder attached: a container lives");
}

int isolation_open(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct bpf_object *obj;
	int r;

	iso.lsm = d->mode == DAEMON_MODE_LSM;
	iso.pin_path = pin_path;
	r = iso.lsm ? load_lsm(d, why, why_len) : load_trace(d, why, why_len);
	if (r < 0)
		goto out;
	obj = iso.lsm ? iso.skel->obj : iso.trace_skel->obj;
	/* Before the attach: this run's grants, and none of a revoke done while canisterd was away.
	 */
	isolation_sync();
	/* Trace mode's recorder waits for a container (a previous run's count). */
	if (iso.lsm)
		r = loader_attach_all(pin_path, obj, why, why_len);
	else
		r = identity_live_containers() ? recorder_attach(why, why_len) : 0;
	if (r < 0)
		goto fail;
	/* Its own thread: access_record() never waits, but the poll does. */
	r = ring_reader_start(&iso.reader,
			      bpf_object__find_map_fd_by_name(obj, CANISTER_MAP_ISOLATION_REPORTS),
			      report, NULL, "access", "the isolation denials", why, why_len);
	if (r < 0)
		goto fail;
	snprintf(iso.detail, sizeof(iso.detail), "%s",
		 iso.lsm ? "lsm/task_kill, inode_permission on cgroupfs, ...; pinned, it keeps "
			   "denying while canisterd is gone"
			 : "trace mode: tp_btf/sys_enter, while a container lives, records the "
			   "signals and ptrace attaches lsm mode would deny; nothing denied");
	log_info("access: cross-container isolation %s (%s)", iso.lsm ? "on" : "recorded only",
		 iso.detail);
	return 0;
fail:
	if (iso.attached)
		recorder_detach();
	destroy_objects();
out:
	snprintf(iso.detail, sizeof(iso.detail), "%s", why);
	return r;
}

void isolation_close(void)
{
	ring_reader_stop(&iso.reader);
	/*
	 * The pinned links and maps stay: the containers stay apart (trace
	 * mode: recorded) after canisterd stops.
	 */
	iso.attached = false;
	destroy_objects();
}

void isolation_status_rows(struct canister_access_right_status *rows, unsigned int *count,
			   unsigned int room)
{
	enum access_isolation_state state;

	if (iso.lsm)
		state = iso.reader.running ? ACCESS_ISOLATION_ON : ACCESS_ISOLATION_FAILED;
	else if (!iso.reader.running)
		state = ACCESS_ISOLATION_TRACE_UNRECORDED;
	else if (iso.attached)
		state = ACCESS_ISOLATION_TRACE;
	else if (identity_live_containers())
		state = ACCESS_ISOLATION_TRACE_UNRECORDED; /* the attach failed: iso.detail */
	else
		state = ACCESS_ISOLATION_TRACE_IDLE;

	access_isolation_enforcement(state, iso.detail, rows, count, room);
}
