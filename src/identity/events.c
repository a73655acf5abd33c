// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: drains the identity programs' ring buffer (fork, exit, joins, guard refusals). */
#include "identity/events.h"

#include "core/capability.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "identity/capscan.h"
#include "identity/records.h"
#include "identity/containers.h"
#include "identity/labels.h"
#include "identity/programs.h"

#include <bpf/libbpf.h>
#include <canister/abi.h>
#include <canister/canister.h>
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* This file owns the events ring buffer. */
static struct {
	struct ring_buffer *ring;
	struct loop_source source;
	uint64_t received[16]; /* by enum canister_event_type */
	uint64_t lost_seen;    /* ring-buffer losses already reconciled */
} events;

static const char *const guard_hooks[] = {
	[CANISTER_GUARD_BPF_MAP] = "access to a canister map",
	[CANISTER_GUARD_TASK_KILL] = "a signal to canisterd",
	[CANISTER_GUARD_PTRACE] = "ptrace of canisterd",
	[CANISTER_GUARD_BPF_ID] = "a fd to a canister BPF object by id",
	[CANISTER_GUARD_BPF_PROG] = "a fd to a canister BPF program",
	[CANISTER_GUARD_PIN_ACCESS] = "access to canister's pin directory",
	[CANISTER_GUARD_PIN_UNLINK] = "removing a canister pin or its directory",
	[CANISTER_GUARD_PIN_RENAME] = "renaming or replacing a canister pin or its directory",
	[CANISTER_GUARD_PIN_CREATE] = "creating in canister's pin directory",
	[CANISTER_GUARD_PIN_LINK] = "a hard link to a canister pin",
	[CANISTER_GUARD_PIN_SETATTR] = "changing the attributes of a canister pin",
	[CANISTER_GUARD_MOUNT] = "a mount in canisterd's mount namespace or on its bpffs",
	[CANISTER_GUARD_MOVE_MOUNT] = "a move_mount in canisterd's mount namespace or of its bpffs",
	[CANISTER_GUARD_UMOUNT] = "an unmount in canisterd's mount namespace or of its bpffs",
	[CANISTER_GUARD_PIVOT_ROOT] = "pivot_root in canisterd's mount namespace",
	[CANISTER_GUARD_MODULE] = "a kernel module load or unload",
	[CANISTER_GUARD_KEXEC] = "a kexec image load",
	[CANISTER_GUARD_KERNEL_POLICY] = "a kernel policy load",
	[CANISTER_GUARD_DAEMON_SCHED] = "a change of canisterd's scheduling or memory placement",
	[CANISTER_GUARD_FANOTIFY_PERM] =
		"a fanotify permission mark (it could hold canisterd's opens)",
	[CANISTER_GUARD_PRLIMIT] = "a change of canisterd's resource limits",
	[CANISTER_GUARD_SIGIO] = "an async-I/O signal to canisterd",
	[CANISTER_GUARD_DAEMON_PROC] = "writing /proc files of canisterd or its helpers",
	[CANISTER_GUARD_CGROUP] = "a change of canisterd's cgroups",
	[CANISTER_GUARD_SYSCTL] = "writing a sysctl of the host",
	[CANISTER_GUARD_SYSRQ] = "writing /proc/sysrq-trigger",
	[CANISTER_GUARD_KERNEL_FS] = "writing a kernel settings file (sysfs, securityfs, ...)",
	[CANISTER_GUARD_LOCKDOWN] = "an action kernel lockdown forbids (/dev/mem, ioperm, ...)",
	[CANISTER_GUARD_BINFMT_MISC] = "registering a binfmt_misc interpreter",
	[CANISTER_GUARD_RELEASE_AGENT] = "setting a cgroup release agent",
	[CANISTER_GUARD_PTRACE_SCOPE] = "ptrace of a process outside its container",
	[CANISTER_GUARD_TRACEME] = "PTRACE_TRACEME toward a parent outside its container",
	[CANISTER_GUARD_MODULE_REQUEST] = "a kernel module autoload",
	[CANISTER_GUARD_AUDIT_CONTROL] = "a change of the kernel's audit configuration",
	[CANISTER_GUARD_REQUEST_KEY] = "a request-key upcall",
	[CANISTER_GUARD_TIOCSTI] = "typing into a terminal (TIOCSTI, TIOCLINUX)",
	[CANISTER_GUARD_BPF_PROG_LOAD] = "loading a BPF program",
	[CANISTER_GUARD_HELPER_KILL] = "a signal to a helper of canisterd (audit guardian, plugin)",
	[CANISTER_GUARD_REBOOT] = "a reboot or kexec of the host",
	[CANISTER_GUARD_MOUNT_SETATTR] =
		"changing a mount's attributes in canisterd's mount namespace",
};

static const char *guard_hook_name(uint32_t hook)
{
	if (hook < sizeof(guard_hooks) / sizeof(guard_hooks[0]) && guard_hooks[hook])
		return guard_hooks[hook];
	return "an action against canister";
}

/*
 * A refusal by the lsm-mode guard, or (@folded > 0) the summary of the
 * refusals of one kind the guard counted past its record rate in a second:
 * logged, and recorded with the container that tried.
 */
static void record_guard(struct canisterd *d, const struct canister_event *event, uint32_t folded)
{
	struct canister_op_record rec = {
		.op = CANISTER_CONTAINER_OP_GUARD,
		.opid = (pid_t)event->tgid,
		.contid = event->contid,
		.old_contid = event->contid,
		.errnum = EPERM,
		.reason = guard_hook_name(event->detail),
		.res = 0,
	};
	struct canister_container c;
	char reason[160];

	if (folded) {
		snprintf(reason, sizeof(reason), "%s (%u more within a second, folded)", rec.reason,
			 folded);
		rec.reason = reason;
	}
	if (containers_lookup(d, event->contid, &c) == 0 && c.name[0])
		rec.name = c.name;
	record_op(d, event->ktime_ns, &rec);
	log_warning("container %" PRIu64 ": refused pid %u %s", (uint64_t)event->contid,
		    event->tgid, rec.reason);
}

/* A process entered a container's namespaces by setns (runc exec, nsenter). */
static void handle_join(struct canisterd *d, const struct canister_event *event)
{
	struct canister_op_record rec = {
		.op = CANISTER_CONTAINER_OP_JOIN,
		.opid = (pid_t)event->tgid,
		.contid = event->contid,
		.old_contid = CANISTER_CONTID_UNSET,
		.res = event->detail ? 1 : 0,
	};
	struct canister_container c;

	if (containers_lookup(d, event->contid, &c) == 0 && c.name[0])
		rec.name = c.name;
	/* join_policy = record: the process stays unlabelled (res=0), and that is said. */
	if (!event->detail)
		rec.reason = "join_policy is record: the process was left unlabelled";
	record_op(d, event->ktime_ns, &rec);
	log_info("pid %u entered container %" PRIu64 " by setns%s", event->tgid,
		 (uint64_t)event->contid,
		 event->detail ? " and carries its label" : "; left unlabelled");
}

/*
 * A labelled process's child could not be labelled: in lsm mode its fork was
 * refused for want of a slot (@op fork; @tgid the parent, @errnum ENOSPC),
 * or the map could not allocate its element and its label is pending in its
 * task storage (@op inherit, @pending; res=1: it is labelled); else it runs
 * unlabelled (@op inherit, from trace mode or a join by setns; @tgid the
 * child).  @folded: reports of the second before that the programs counted
 * only.  Never a debug line: the audit log must say so.
 */
static void handle_no_room(struct canisterd *d, const struct canister_event *event,
			   enum canister_container_op op, int errnum, bool pending, uint32_t folded)
{
	struct canister_op_record rec = {
		.op = op,
		.opid = (pid_t)event->tgid,
		.contid = event->contid,
		.old_contid = CANISTER_CONTID_UNSET,
		.errnum = errnum,
		.res = pending ? 1 : 0,
	};
	const char *what = event->other_tgid ? "the child of pid"
					     : "the process that entered the container by setns";
	uint64_t used, capacity;
	char reason[288], parent[16] = "";
	int n;

	labels_room(&used, &capacity);
	if (event->other_tgid)
		snprintf(parent, sizeof(parent), " %u", event->other_tgid);
	if (errnum == ENOSPC)
		n = snprintf(reason, sizeof(reason),
			     "the labels map is full (%" PRIu64 " entries): ", capacity);
	else
		n = snprintf(reason, sizeof(reason),
			     "the labels map could not add an entry (%s): ", strerror(errnum));
	if (op == CANISTER_CONTAINER_OP_FORK)
		snprintf(reason + n, sizeof(reason) - n, "no room for the child's label");
	else if (pending)
		snprintf(reason + n, sizeof(reason) - n,
			 "%s%s carries its label in its task storage, which the lsm-mode checks "
			 "read; "
			 "lookups by pid miss it",
			 what, parent);
	else
		snprintf(reason + n, sizeof(reason) - n, "%s%s runs unlabelled", what, parent);
	/* The programs report 16 a second per container; the first of a second counts the rest. */
	if (folded) {
		n = (int)strlen(reason);
		snprintf(reason + n, sizeof(reason) - n,
			 " (and %u more in the second before, folded)", folded);
	}
	rec.reason = reason;
	record_op(d, event->ktime_ns, &rec);
	log_error("container %" PRIu64 ": pid %u%s: %s", (uint64_t)event->contid, event->tgid,
		  op == CANISTER_CONTAINER_OP_FORK ? " was refused a fork" : "", reason);
}

/*
 * A child the labels map could not take (CANISTER_EV_INHERIT_ERROR).  A
 * pending one is in its container for every purpose but lookups by pid, and
 * its exit is reported like any other: it starts like a forked one.
 */
static void handle_inherit_error(struct canisterd *d, const struct canister_event *event)
{
	bool pending = event->detail & CANISTER_INHERIT_PENDING;
	int errnum = (int)(event->detail & CANISTER_INHERIT_ERRNO_MASK);

	if (pending) {
		labels_mirror_set((pid_t)event->tgid, event->contid);
		capabilities_process_started(d, (pid_t)event->tgid, event->ktime_ns);
	}
	handle_no_room(d, event, CANISTER_CONTAINER_OP_INHERIT, errnum ? errnum : EIO, pending,
		       event->detail >> CANISTER_INHERIT_FOLDED_SHIFT);
}

static void record_namespaces(struct canisterd *d, const struct canister_ns_event *event)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;

	containers_chain(d, event->contid, chain, &depth);
	record_ns_change(d, event, chain, depth);
}

static void handle_exec(struct canisterd *d, const void *data, size_t size)
{
	const struct canister_exec_event *record = data;
	const struct canister_event *event = data;
	uint64_t since = programs_label_attached_ns();
	struct process_exec exec = {
		.pid = (pid_t)event->tgid,
		.contid = event->contid,
		.kernel_tells = since && event->ktime_ns > since,
		.ktime_ns = event->ktime_ns,
	};
	bool told = event->detail & (CANISTER_EXEC_INTERNAL_MOUNT | CANISTER_EXEC_UNLINKED);
	char name[CANISTER_EXEC_NAME_MAX];

	if (told && size < sizeof(*record)) {
		/* No program of canister's sends it: told from /proc, as an older run's. */
		log_warning("short exec record (%zu bytes) of pid %u; /proc tells", size,
			    event->tgid);
		exec.kernel_tells = false;
	} else if (told) {
		memcpy(name, record->name, sizeof(name));
		name[sizeof(name) - 1] = '\0';
		exec.internal_mount = event->detail & CANISTER_EXEC_INTERNAL_MOUNT;
		exec.unlinked = !exec.internal_mount;
		exec.start_ns = record->start_ns;
		exec.exe_dev = record->exe_dev;
		exec.exe_ino = record->exe_ino;
		exec.name = name;
	}
	capabilities_process_executed(d, &exec);
}

static int handle_record(void *ctx, void *data, size_t size)
{
	struct canisterd *d = ctx;
	const struct canister_event *event = data;

	if (size < sizeof(*event)) {
		log_warning("short ring-buffer record (%zu bytes); ignored", size);
		return 0;
	}
	if (event->type < sizeof(events.received) / sizeof(events.received[0]))
		events.received[event->type]++;

	switch (event->type) {
	case CANISTER_EV_FORK:
		labels_mirror_set((pid_t)event->tgid, event->contid);
		capabilities_process_started(d, (pid_t)event->tgid, event->ktime_ns);
		log_debug("container %" PRIu64 ": pid %u forked pid %u", (uint64_t)event->contid,
			  event->other_tgid, event->tgid);
		break;
	case CANISTER_EV_EXIT:
		labels_mirror_forget((pid_t)event->tgid);
		log_debug("container %" PRIu64 ": pid %u exited", (uint64_t)event->contid,
			  event->tgid);
		if (event->contid != CANISTER_CONTID_UNSET) {
			capabilities_process_exited(d, (pid_t)event->tgid, event->contid,
						    event->ktime_ns);
			containers_check_drop(d, event->contid);
		}
		break;
	case CANISTER_EV_EXEC:
		/* An exec recomputes capabilities: the scanner looks again soon. */
		capscan_request();
		log_debug("container %" PRIu64 ": pid %u exec", (uint64_t)event->contid,
			  event->tgid);
		if (event->contid != CANISTER_CONTID_UNSET)
			handle_exec(d, data, size);
		break;
	case CANISTER_EV_JOIN:
		if (event->detail)
			labels_mirror_set((pid_t)event->tgid, event->contid);
		handle_join(d, event);
		break;
	case CANISTER_EV_NS_CHANGE:
		if (size < sizeof(struct canister_ns_event)) {
			log_warning("short namespace record (%zu bytes); ignored", size);
			break;
		}
		record_namespaces(d, data);
		break;
	case CANISTER_EV_INHERIT_FAILED:
		/* From the programs of an older run: the map was full. */
		handle_no_room(d, event, CANISTER_CONTAINER_OP_INHERIT, ENOSPC, false,
			       event->detail);
		break;
	case CANISTER_EV_INHERIT_ERROR:
		handle_inherit_error(d, event);
		break;
	case CANISTER_EV_FORK_REFUSED:
		handle_no_room(d, event, CANISTER_CONTAINER_OP_FORK, ENOSPC, false, event->detail);
		break;
	case CANISTER_EV_GUARD_DENIED:
		record_guard(d, event, 0);
		break;
	case CANISTER_EV_GUARD_FOLDED:
		/* The guard records CANISTER_GUARD_RECORDS_PER_SECOND a second; all are counted. */
		record_guard(d, event, event->other_tgid ? event->other_tgid : 1);
		break;
	default:
		log_warning("unknown ring-buffer record type %u", event->type);
	}
	return 0;
}

static void events_ready(struct canisterd *d, struct loop_source *source)
{
	events_drain(d);
}

/*
 * A lost exit record would leave its container undropped: after any loss
 * every container is checked against the labels map.  Asked on the tick,
 * not on every drain, which kernel audit does once per event.
 */
void events_tick(struct canisterd *d)
{
	uint64_t lost;

	events_drain(d);
	lost = labels_stat_sum(CANISTER_STAT_LOST);
	if (lost != events.lost_seen) {
		log_warning("%" PRIu64 " ring-buffer records lost; checking every container",
			    lost - events.lost_seen);
		events.lost_seen = lost;
		/* A lost fork, exit or join leaves the copy of the labels behind: made again. */
		labels_mirror_rebuild();
		containers_reconcile(d);
	}
}

int events_open(struct canisterd *d)
{
	/* Routine records do not wake canisterd (wakeup_flags() in bpf/maps.bpf.h): the tick
	 * drains. */
	events.ring =
		ring_buffer__new(programs_map_fd(IDENTITY_MAP_EVENTS), handle_record, d, NULL);
	if (!events.ring)
		return -errno;
	events.source.ready = events_ready;
	return loop_add(d, ring_buffer__epoll_fd(events.ring), &events.source);
}

void events_drain(struct canisterd *d)
{
	int r;

	if (!events.ring)
		return;
	r = ring_buffer__consume(events.ring);
	if (r < 0 && r != -EINTR)
		log_warning("cannot read the ring buffer: %s", strerror(-r));
}

uint64_t events_received_total(void)
{
	uint64_t total = 0;

	for (size_t i = 0; i < sizeof(events.received) / sizeof(events.received[0]); i++)
		total += events.received[i];
	return total;
}

void events_close(struct canisterd *d)
{
	if (events.ring)
		loop_remove(d, ring_buffer__epoll_fd(events.ring));
	ring_buffer__free(events.ring);
	events.ring = NULL;
}
