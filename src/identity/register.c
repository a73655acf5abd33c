// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: registration of a process into a container, and delegation to orchestrators. */
#include "identity/register.h"

#include "identity/containers.h"
#include "identity/events.h"
#include "identity/labels.h"
#include "identity/programs.h"
#include "core/log.h"
#include "identity/records.h"
#include "core/reply.h"
#include "lib/ns_read.h"
#include "lib/procfs.h"
#include "identity/registry.h"

#include <bpf/bpf.h>
#include <canister/abi.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a registration waits for forks that are between label lookup and count. */
#define WATCH_SPINS 100000

/* The watch map (registrations in flight) is this file's alone. */
static struct {
	int watch_fd;
} registration = { .watch_fd = -1 };

void register_open(void)
{
	registration.watch_fd = programs_map_fd(IDENTITY_MAP_WATCH);
}

void register_close(void)
{
	registration.watch_fd = -1; /* the skeleton's fd: programs_close() closes it */
}

void register_forget_watches(void)
{
	int fd = registration.watch_fd;
	__u32 key;

	/* Left by a canisterd that died mid-registration: nobody waits on them now. */
	while (bpf_map_get_next_key(fd, NULL, &key) == 0) {
		log_warning("dropping the watch of an unfinished registration of pid %u", key);
		if (bpf_map_delete_elem(fd, &key))
			break;
	}
}

static uint32_t depth_of(const struct canisterd *d, uint64_t contid)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;

	containers_chain(d, contid, chain, &depth);
	return depth;
}

int register_check_pid_namespace(const struct canisterd *d, const struct peer *peer, char *why,
				 size_t why_len)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)peer->tgid);
	/* Alive after the stat: the namespace read was the caller's, not a recycled pid's. */
	if (stat(path, &st) < 0 || !peer_alive(peer)) {
		snprintf(why, why_len, "cannot identify the caller (pid %d): %s", (int)peer->tgid,
			 peer_alive(peer) ? strerror(errno) : "it exited");
		return -EPERM;
	}
	if (d->host_pid_ns && st.st_ino != d->host_pid_ns) {
		snprintf(why, why_len,
			 "caller (pid %d) is in another pid namespace, whose pids canisterd cannot "
			 "resolve; ask from canisterd's pid namespace",
			 (int)peer->tgid);
		return -EXDEV;
	}
	return 0;
}

/* Facts about the caller, pinned by its pidfd; -ESRCH if it went away while we looked. */
static int caller_facts(const struct canisterd *d, const struct peer *peer,
			struct canister_caller *ret_caller)
{
	struct canister_caller caller = { .tgid = peer->tgid, .contid = CANISTER_CONTID_UNSET };
	struct canister_label label;
	uint64_t caps = 0;
	bool own_userns = false;
	int r;

	r = canister_proc_cap_effective(peer->tgid, &caps);
	if (r < 0)
		return r;
	r = canister_proc_in_own_userns(peer->tgid, &own_userns);
	if (r < 0)
		return r;
	caller.cap_audit_control = own_userns && (caps & (1ULL << CAP_AUDIT_CONTROL));
	r = labels_lookup(peer->tgid, &label);
	if (r < 0 && r != -ENOENT)
		return r;
	if (r == 0) {
		caller.contid = label.contid;
		caller.delegation = label.delegation;
		caller.depth = depth_of(d, label.contid);
	}
	if (!peer_alive(peer))
		return -ESRCH;
	*ret_caller = caller;
	return 0;
}

int register_check_host_admin(const struct canisterd *d, const struct peer *peer, char *why,
			      size_t why_len)
{
	struct canister_caller caller;
	int r = caller_facts(d, peer, &caller);

	if (r < 0) {
		snprintf(why, why_len, "cannot identify the caller (pid %d): %s", (int)peer->tgid,
			 strerror(-r));
		return -EPERM;
	}
	if (caller.contid != CANISTER_CONTID_UNSET || !caller.cap_audit_control) {
		snprintf(why, why_len,
			 "needs CAP_AUDIT_CONTROL in the initial user namespace, outside any "
			 "container");
		return -EPERM;
	}
	return 0;
}

/* The target as the rules need it; *ret_pidfd pins it (or is -1 when it does not exist). */
static void target_facts(const struct canisterd *d, pid_t pid, struct canister_target *ret_target,
			 struct canister_label *ret_label, bool *ret_had_label, int *ret_pidfd)
{
	struct canister_target target = { .tgid = pid, .contid = CANISTER_CONTID_UNSET };
	int pidfd;

	*ret_had_label = false;
	*ret_pidfd = -1;
	pidfd = pidfd_open(pid, 0);
	/* A zombie still opens, but has no label left to judge it by. */
	if (pidfd >= 0 && !pidfd_exited(pidfd) &&
	    canister_proc_has_children(pid, &target.has_children) == 0) {
		target.exists = true;
		*ret_pidfd = pidfd;
	} else if (pidfd >= 0) {
		close(pidfd);
	}
	if (target.exists && labels_lookup(pid, ret_label) == 0) {
		*ret_had_label = true;
		target.contid = ret_label->contid;
		target.delegation = ret_label->delegation;
		target.depth = depth_of(d, ret_label->contid);
	}
	*ret_target = target;
}

struct contid_use {
	uint64_t contid;
	bool found;
};

static bool label_uses(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct contid_use *use = ctx;

	use->found = label->contid == use->contid;
	return !use->found;
}

/* A random contid keeps allocations from colliding across restarts and hosts. */
static int allocate_contid(const struct canisterd *d, uint64_t *ret_contid)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		struct canister_container c;
		struct contid_use use;
		uint64_t contid;

		if (getrandom(&contid, sizeof(contid), 0) != sizeof(contid))
			return -errno;
		contid &= (1ULL << 53) - 1; /* stays exact in any JSON reader */
		if (contid == 0 || containers_lookup(d, contid, &c) == 0)
			continue;
		use = (struct contid_use){ .contid = contid };
		labels_for_each(label_uses, &use);
		if (use.found)
			continue;
		*ret_contid = contid;
		return 0;
	}
	return -EAGAIN;
}

/* The orchestrator's identity for the record: pid, uid, login uid and session. */
static void fill_orchestrator(const struct peer *peer, struct canister_op_record *rec)
{
	rec->has_orchestrator = true;
	rec->pid = peer->tgid;
	rec->uid = peer->uid;
	rec->auid = (uint32_t)-1;
	rec->ses = (uint32_t)-1;
	canister_proc_audit_ids(peer->tgid, &rec->auid, &rec->ses);
}

static int refuse_set(struct canisterd *d, const struct peer *peer,
		      const struct canister_request *request, uint64_t contid, uint64_t old_contid,
		      int errnum, const char *why, struct canister_reply *ret)
{
	struct canister_op_record rec = {
		.op = CANISTER_CONTAINER_OP_SET,
		.opid = request->pid,
		.contid = contid,
		.old_contid = old_contid,
		.name = request->has_name ? request->name : NULL,
		.errnum = errnum,
		.reason = why,
		.res = 0,
	};

	fill_orchestrator(peer, &rec);
	record_op(d, 0, &rec);
	log_info("refused to register pid %d into container %" PRIu64 " for pid %d (uid %u): %s",
		 (int)request->pid, contid, (int)peer->tgid, (unsigned)peer->uid, why);
	return reply_refuse(ret, errnum, "%s", why);
}

/*
 * Waits until no fork of @tgid is between reading its label and being
 * counted, then says how many forks since the watch began did not copy the
 * label being registered.  A fork that never finishes its count in time is
 * taken as missed: refusing is safe, guessing is not.
 */
static int64_t watch_finish(const struct canisterd *d, pid_t tgid)
{
	struct canister_watch watched;
	__u32 key = tgid;
	int64_t missed = 1;

	/*
	 * The entry is only deleted with no fork in flight: a fork still holding
	 * a pointer to it would otherwise count into the next watch that reuses
	 * the element.
	 */
	for (int spin = 0; spin < WATCH_SPINS; spin++) {
		if (bpf_map_lookup_elem(registration.watch_fd, &key, &watched))
			break;
		if (watched.inflight == 0) {
			missed = watched.missed_forks;
			break;
		}
		sched_yield();
	}
	bpf_map_delete_elem(registration.watch_fd, &key);
	return missed;
}

struct relabel {
	const struct canisterd *d;
	uint64_t from;
	pid_t root; /* only descendants of this process (0: every holder of @from) */
	struct canister_label to;
	bool to_none;
	uint64_t moved;
};

static bool descends_from(pid_t pid, pid_t root)
{
	for (int hops = 0; hops < 4096 && pid > 1; hops++) {
		pid_t ppid;

		if (pid == root)
			return true;
		if (canister_proc_ppid(pid, &ppid) < 0)
			return false;
		pid = ppid;
	}
	return false;
}

static bool relabel_one(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct relabel *relabel = ctx;

	if (label->contid != relabel->from || (pid_t)tgid == relabel->root)
		return true;
	if (relabel->root && !descends_from((pid_t)tgid, relabel->root))
		return true;
	labels_restore((pid_t)tgid, &relabel->to, !relabel->to_none);
	relabel->moved++;
	return true;
}

/*
 * Undoes a registration that failed after the label was written: the target
 * forked in the window, or exited.  A living target gets its old label back,
 * and so does every process that inherited the new one meanwhile; repeated
 * until a pass finds none, because those may fork too (once the target is
 * restored no new one appears).  A dead target's exit has already been
 * counted, either against its old container (it died before the write, and
 * the entry now there is ours: deleted) or against the new one (the exit hook
 * removed our label: both counts are moved back where they belong).
 */
static void roll_back(struct canisterd *d, pid_t target, uint64_t contid, bool join,
		      const struct canister_label *old, bool had_label, bool target_exited)
{
	struct relabel relabel = {
		.d = d,
		.from = contid,
		.root = join ? target : 0,
		.to_none = !had_label,
	};
	bool old_contained = had_label && old->contid != CANISTER_CONTID_UNSET;
	struct canister_label now;
	uint64_t moved = 0;

	if (had_label)
		relabel.to = *old;
	if (!target_exited) {
		labels_restore(target, old, had_label);
	} else if (labels_lookup(target, &now) == 0) {
		__u32 key = target;

		if (now.contid == contid)
			labels_delete(key);
	} else {
		if (join)
			containers_adjust(d, contid, 1);
		if (old_contained)
			containers_adjust(d, old->contid, -1);
	}
	for (int pass = 0; pass < 64; pass++) {
		relabel.moved = 0;
		labels_for_each(relabel_one, &relabel);
		moved += relabel.moved;
		if (!relabel.moved)
			break;
	}
	/* Each moved process was counted into @contid by its fork; it now counts where it went. */
	if (join && moved)
		containers_adjust(d, contid, -(int64_t)moved);
	if (old_contained && moved)
		containers_adjust(d, old->contid, (int64_t)moved);
	if (old_contained)
		containers_check_drop(d, old->contid);
}

struct set_context {
	struct canisterd *d;
	const struct peer *peer;
	const struct canister_request *request;
	uint64_t contid;
	struct canister_target target;
	struct canister_label old_label;
	bool had_label;
	int pidfd;
	struct canister_registration reg;
	struct canister_existing existing;
	struct canister_container existing_entry;
	struct canister_reply *ret;
};

static int commit_set(struct set_context *ctx)
{
	struct canisterd *d = ctx->d;
	const struct canister_request *request = ctx->request;
	struct canister_label label = { .contid = ctx->contid };
	struct canister_watch watched = { .contid = ctx->contid };
	struct canister_container fresh = { 0 };
	struct canister_ns_set ns = { 0 };
	struct canister_op_record rec = { 0 };
	struct timespec now;
	__u32 key = request->pid;
	char why[256];
	bool children;
	int64_t missed;
	int r;

	/* From here on, BPF counts the target's forks that miss the new label. */
	if (bpf_map_update_elem(registration.watch_fd, &key, &watched, BPF_NOEXIST)) {
		snprintf(why, sizeof(why), "pid %d is being registered by another request",
			 (int)request->pid);
		return refuse_set(d, ctx->peer, request, ctx->contid, ctx->target.contid, EBUSY,
				  why, ctx->ret);
	}
	/* Children that existed before the watch would stay outside. */
	r = canister_proc_has_children(request->pid, &children);
	if (r < 0 || children) {
		watch_finish(d, request->pid);
		if (r < 0)
			snprintf(why, sizeof(why), "no process %d", (int)request->pid);
		else
			snprintf(why, sizeof(why),
				 "pid %d already has children, which would stay outside the "
				 "container",
				 (int)request->pid);
		return refuse_set(d, ctx->peer, request, ctx->contid, ctx->target.contid,
				  r < 0 ? ESRCH : EBUSY, why, ctx->ret);
	}

	if (!ctx->reg.join) {
		canister_ns_read(request->pid, &ns);
		clock_gettime(CLOCK_REALTIME, &now);
		fresh.parent = ctx->reg.parent;
		fresh.depth = ctx->reg.depth;
		fresh.owner = ctx->reg.owner;
		fresh.first_tgid = request->pid;
		fresh.created_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
		fresh.pid_ns = ns.inum[CANISTER_NS_PID];
		fresh.mnt_ns = ns.inum[CANISTER_NS_MNT];
		if (request->has_name)
			snprintf(fresh.name, sizeof(fresh.name), "%s", request->name);
		r = containers_create(d, ctx->contid, &fresh);
		if (r < 0) {
			watch_finish(d, request->pid);
			snprintf(why, sizeof(why), "cannot add container %" PRIu64 ": %s",
				 ctx->contid, strerror(-r));
			return refuse_set(d, ctx->peer, request, ctx->contid, ctx->target.contid,
					  r == -E2BIG || r == -ENOMEM ? ENOSPC : EIO, why,
					  ctx->ret);
		}
	}

	r = labels_write(request->pid, &label);
	if (r < 0) {
		int errnum = r == -ENOSPC || r == -E2BIG || r == -ENOMEM ? ENOSPC : EIO;
		uint64_t used, capacity;

		watch_finish(d, request->pid);
		if (!ctx->reg.join)
			containers_destroy(d, ctx->contid);
		labels_room(&used, &capacity);
		if (errnum == ENOSPC)
			snprintf(why, sizeof(why), "the labels map is full (%" PRIu64 " processes)",
				 capacity);
		else
			snprintf(why, sizeof(why), "cannot update the labels map: %s",
				 strerror(-r));
		return refuse_set(d, ctx->peer, request, ctx->contid, ctx->target.contid, errnum,
				  why, ctx->ret);
	}

	missed = watch_finish(d, request->pid);
	if (missed || pidfd_exited(ctx->pidfd)) {
		bool exited = pidfd_exited(ctx->pidfd);

		roll_back(d, request->pid, ctx->contid, ctx->reg.join, &ctx->old_label,
			  ctx->had_label, exited);
		if (!ctx->reg.join)
			containers_destroy(d, ctx->contid);
		if (exited)
			snprintf(why, sizeof(why), "pid %d exited during registration",
				 (int)request->pid);
		else
			snprintf(why, sizeof(why),
				 "pid %d forked while it was being registered; nothing was changed",
				 (int)request->pid);
		return refuse_set(d, ctx->peer, request, ctx->contid, ctx->target.contid,
				  exited ? ESRCH : EBUSY, why, ctx->ret);
	}

	/* The target now counts in its new container, no longer in the old one. */
	containers_adjust(d, ctx->contid, 1);
	if (ctx->target.contid != CANISTER_CONTID_UNSET)
		containers_adjust(d, ctx->target.contid, -1);

	rec.op = ctx->reg.join ? CANISTER_CONTAINER_OP_JOIN : CANISTER_CONTAINER_OP_SET;
	rec.opid = request->pid;
	rec.contid = ctx->contid;
	rec.old_contid = ctx->target.contid;
	rec.name = ctx->reg.join ? (ctx->existing_entry.name[0] ? ctx->existing_entry.name : NULL)
				 : (request->has_name ? request->name : NULL);
	rec.res = 1;
	fill_orchestrator(ctx->peer, &rec);
	record_op(d, 0, &rec);
	if (!ctx->reg.join) {
		uint64_t chain[CANISTER_NEST_LIMIT_MAX];
		unsigned int depth;

		containers_chain(d, ctx->contid, chain, &depth);
		record_ns_register(d, request->pid, chain, depth, &ns);
		containers_publish_nsjoin(d, ctx->contid, &fresh);
	}

	log_info("%s pid %d %s container %" PRIu64 "%s%s%s (by pid %d, uid %u)",
		 ctx->reg.join ? "added" : "registered", (int)request->pid,
		 ctx->reg.join ? "to" : "into", ctx->contid, rec.name ? " (" : "",
		 rec.name ? rec.name : "", rec.name ? ")" : "", (int)ctx->peer->tgid,
		 (unsigned)ctx->peer->uid);
	ctx->ret->set = (struct canister_set_reply){
		.pid = request->pid,
		.contid = ctx->contid,
		.joined = ctx->reg.join,
	};
	return 0;
}

int register_handle_set(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret)
{
	struct set_context ctx = {
		.d = d, .peer = peer, .request = request, .pidfd = -1, .ret = ret
	};
	struct canister_caller caller;
	char why[256];
	pid_t tgid;
	int r;

	/* Exits already queued must be seen first: a drop frees its contid for this request. */
	events_drain(d);

	ctx.contid = request->allocate ? CANISTER_CONTID_UNSET : request->contid;
	r = caller_facts(d, peer, &caller);
	if (r < 0) {
		snprintf(why, sizeof(why), "cannot identify the caller (pid %d): %s",
			 (int)peer->tgid, strerror(-r));
		return refuse_set(d, peer, request, ctx.contid, CANISTER_CONTID_UNSET,
				  r == -ESRCH ? EPERM : EIO, why, ret);
	}
	r = register_check_pid_namespace(d, peer, why, sizeof(why));
	if (r == 0 && request->allocate)
		r = canister_registry_check_authority(&caller, why, sizeof(why));
	if (r < 0)
		return refuse_set(d, peer, request, ctx.contid, CANISTER_CONTID_UNSET, -r, why,
				  ret);
	if (canister_proc_tgid(request->pid, &tgid) == 0 && tgid != request->pid) {
		snprintf(why, sizeof(why),
			 "pid %d is a thread of process %d; a container holds whole processes",
			 (int)request->pid, (int)tgid);
		return refuse_set(d, peer, request, ctx.contid, CANISTER_CONTID_UNSET, EINVAL, why,
				  ret);
	}
	target_facts(d, request->pid, &ctx.target, &ctx.old_label, &ctx.had_label, &ctx.pidfd);

	if (request->allocate) {
		r = allocate_contid(d, &ctx.contid);
		if (r < 0) {
			snprintf(why, sizeof(why), "cannot choose a free contid: %s", strerror(-r));
			r = refuse_set(d, peer, request, ctx.contid, ctx.target.contid, EAGAIN, why,
				       ret);
			goto out;
		}
	}
	if (containers_lookup(d, ctx.contid, &ctx.existing_entry) == 0) {
		ctx.existing.exists = true;
		ctx.existing.parent = ctx.existing_entry.parent;
		ctx.existing.depth = ctx.existing_entry.depth;
		ctx.existing.owner = ctx.existing_entry.owner;
		ctx.existing.name = ctx.existing_entry.name;
	}

	r = canister_registry_check_set(&caller, &ctx.target, ctx.contid,
					request->has_name ? request->name : NULL, &ctx.existing,
					d->config.nest_limit, &ctx.reg, why, sizeof(why));
	if (r < 0) {
		r = refuse_set(d, peer, request, ctx.contid, ctx.target.contid, -r, why, ret);
		goto out;
	}
	r = commit_set(&ctx);
out:
	if (ctx.pidfd >= 0)
		close(ctx.pidfd);
	return r;
}

struct delegation_use {
	uint32_t delegation;
	bool found;
};

static bool delegation_used(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct delegation_use *use = ctx;

	use->found = label->delegation == use->delegation;
	return !use->found;
}

/* A dead delegate's containers keep their owner; a new delegation must not inherit them. */
static bool delegation_owns(uint64_t contid, const struct canister_container *c, void *ctx)
{
	struct delegation_use *use = ctx;

	use->found = c->owner == use->delegation;
	return !use->found;
}

static int allocate_delegation(const struct canisterd *d, uint32_t *ret_delegation)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		struct delegation_use use = { 0 };

		if (getrandom(&use.delegation, sizeof(use.delegation), 0) != sizeof(use.delegation))
			return -errno;
		if (use.delegation == 0)
			continue;
		labels_for_each(delegation_used, &use);
		if (!use.found)
			containers_for_each(d, delegation_owns, &use);
		if (!use.found) {
			*ret_delegation = use.delegation;
			return 0;
		}
	}
	return -EAGAIN;
}

static void record_delegation(struct canisterd *d, const struct peer *peer, pid_t pid,
			      uint64_t contid, uint32_t delegation, int errnum, const char *why)
{
	struct canister_op_record rec = {
		.op = CANISTER_CONTAINER_OP_DELEGATE,
		.opid = pid,
		.contid = contid,
		.old_contid = contid,
		.delegation = delegation,
		.errnum = errnum,
		.reason = errnum ? why : NULL,
		.res = errnum ? 0 : 1,
	};

	fill_orchestrator(peer, &rec);
	record_op(d, 0, &rec);
}

static int refuse_delegate(struct canisterd *d, const struct peer *peer, pid_t pid, uint64_t contid,
			   int errnum, const char *why, struct canister_reply *ret)
{
	record_delegation(d, peer, pid, contid, 0, errnum, why);
	log_info("refused to delegate to pid %d for pid %d: %s", (int)pid, (int)peer->tgid, why);
	return reply_refuse(ret, errnum, "%s", why);
}

int register_handle_delegate(struct canisterd *d, const struct peer *peer,
			     const struct canister_request *request, struct canister_reply *ret)
{
	struct canister_label label = { .contid = CANISTER_CONTID_UNSET }, old, now;
	struct canister_caller caller;
	struct canister_target target;
	bool had_label;
	char why[256];
	pid_t tgid;
	int pidfd = -1, r;

	r = caller_facts(d, peer, &caller);
	if (r < 0) {
		snprintf(why, sizeof(why), "cannot identify the caller (pid %d): %s",
			 (int)peer->tgid, strerror(-r));
		return refuse_delegate(d, peer, request->pid, CANISTER_CONTID_UNSET,
				       r == -ESRCH ? EPERM : EIO, why, ret);
	}
	r = register_check_pid_namespace(d, peer, why, sizeof(why));
	if (r < 0)
		return refuse_delegate(d, peer, request->pid, CANISTER_CONTID_UNSET, -r, why, ret);
	if (canister_proc_tgid(request->pid, &tgid) == 0 && tgid != request->pid) {
		snprintf(why, sizeof(why),
			 "pid %d is a thread of process %d; a delegation holds whole processes",
			 (int)request->pid, (int)tgid);
		return refuse_delegate(d, peer, request->pid, CANISTER_CONTID_UNSET, EINVAL, why,
				       ret);
	}
	target_facts(d, request->pid, &target, &old, &had_label, &pidfd);
	r = canister_registry_check_delegate(&caller, &target, why, sizeof(why));
	if (r == 0)
		r = allocate_delegation(d, &label.delegation);
	if (r < 0) {
		if (r == -EAGAIN)
			snprintf(why, sizeof(why), "cannot choose a free delegation id");
		r = refuse_delegate(d, peer, request->pid, target.contid, -r, why, ret);
		goto out;
	}
	if (had_label) {
		label.contid = old.contid;
		label.flags = old.flags;
	}
	r = labels_write(request->pid, &label);
	if (r == 0 && pidfd_exited(pidfd)) {
		__u32 key = request->pid;

		/*
		 * Our entry is still there only if the exit came before the write;
		 * it is deleted then, never restored (the exit has been counted).
		 */
		if (labels_lookup(request->pid, &now) == 0 && now.delegation == label.delegation)
			labels_delete(key);
		r = -ESRCH;
	}
	if (r < 0) {
		snprintf(why, sizeof(why), "cannot delegate to pid %d: %s", (int)request->pid,
			 r == -ESRCH ? "it exited meanwhile" : strerror(-r));
		r = refuse_delegate(d, peer, request->pid, target.contid, r == -ESRCH ? ESRCH : EIO,
				    why, ret);
		goto out;
	}
	record_delegation(d, peer, request->pid, label.contid, label.delegation, 0, NULL);
	log_info("delegated registration to pid %d (delegation %u, by pid %d, uid %u)",
		 (int)request->pid, (unsigned)label.delegation, (int)peer->tgid,
		 (unsigned)peer->uid);
	ret->delegate = (struct canister_delegate_reply){
		.pid = request->pid,
		.delegation = label.delegation,
	};
out:
	if (pidfd >= 0)
		close(pidfd);
	return r;
}
