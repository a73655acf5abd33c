// SPDX-License-Identifier: GPL-2.0-only
/* canister: namespace changes of labelled processes, and processes entering a container by setns.
 */
#include "maps.bpf.h"
#include "no_room.bpf.h"
#include "pending.bpf.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by canisterd before load. */
const volatile __u32 join_policy = CANISTER_JOIN_LABEL;

/* Namespaces of a thread between the entry and the exit of its setns/unshare. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32); /* thread id */
	__type(value, struct canister_ns_event);
} ns_before SEC(".maps");

/* An event being built is too large for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct canister_ns_event);
} ns_scratch SEC(".maps");

static __always_inline void read_namespaces(struct task_struct *task, __u32 *ns)
{
	struct nsproxy *proxy = BPF_CORE_READ(task, nsproxy);
	struct pid *thread_pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(thread_pid, level);

	ns[CANISTER_NSI_MNT] = BPF_CORE_READ(proxy, mnt_ns, ns.inum);
	ns[CANISTER_NSI_UTS] = BPF_CORE_READ(proxy, uts_ns, ns.inum);
	ns[CANISTER_NSI_IPC] = BPF_CORE_READ(proxy, ipc_ns, ns.inum);
	/* The pid namespace a process is in is that of its pid's deepest level (at most 32). */
	if (level <= 32)
		ns[CANISTER_NSI_PID] = BPF_CORE_READ(thread_pid, numbers[level].ns, ns.inum);
	ns[CANISTER_NSI_PID_FOR_CHILDREN] = BPF_CORE_READ(proxy, pid_ns_for_children, ns.inum);
	ns[CANISTER_NSI_NET] = BPF_CORE_READ(proxy, net_ns, ns.inum);
	ns[CANISTER_NSI_USER] = BPF_CORE_READ(task, cred, user_ns, ns.inum);
	ns[CANISTER_NSI_CGROUP] = BPF_CORE_READ(proxy, cgroup_ns, ns.inum);
	ns[CANISTER_NSI_TIME] = BPF_CORE_READ(proxy, time_ns, ns.inum);
	ns[CANISTER_NSI_TIME_FOR_CHILDREN] = BPF_CORE_READ(proxy, time_ns_for_children, ns.inum);
}

static __always_inline void ns_enter(__u32 syscall)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid, zero = 0;
	struct canister_label *label = task_label(bpf_get_current_task_btf(), tgid);
	struct canister_ns_event *event;

	if (!label || label->contid == CANISTER_CONTID_UNSET)
		return;
	event = bpf_map_lookup_elem(&ns_scratch, &zero);
	if (!event)
		return;
	__builtin_memset(event, 0, sizeof(*event));
	event->type = CANISTER_EV_NS_CHANGE;
	event->tgid = tgid;
	event->tid = tid;
	event->syscall = syscall;
	event->contid = label->contid;
	read_namespaces(bpf_get_current_task_btf(), event->old_ns);
	bpf_map_update_elem(&ns_before, &tid, event, BPF_ANY);
}

static __always_inline void ns_change_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct canister_ns_event *before, *event;
	bool changed = false;

	before = bpf_map_lookup_elem(&ns_before, &tid);
	if (!before)
		return;
	if (ret != 0)
		goto out;
	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		stat_inc(CANISTER_STAT_LOST);
		goto out;
	}
	__builtin_memcpy(event, before, sizeof(*event));
	read_namespaces(bpf_get_current_task_btf(), event->new_ns);
	for (int i = 0; i < CANISTER_NSI_COUNT; i++)
		changed |= event->old_ns[i] != event->new_ns[i];
	if (!changed) {
		bpf_ringbuf_discard(event, 0);
		goto out;
	}
	event->ktime_ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(event, BPF_RB_FORCE_WAKEUP);
	stat_inc(CANISTER_STAT_EVENTS);
out:
	bpf_map_delete_elem(&ns_before, &tid);
}

/*
 * runc exec and nsenter enter a container with setns(2) one namespace at a
 * time; once a process stands in a container's mount and pid-for-children
 * namespaces it is that container's, and what it forks from then on is born
 * inside.  Labelling it here, in the syscall's exit, leaves no window in which
 * it could fork an unlabelled child.
 */
static __always_inline void join_check(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct canister_label *current, label = {};
	struct canister_fork_room *room;
	struct canister_nsjoin *entry;
	__u32 mnt_ns, pid_ns;
	int err;

	mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	entry = bpf_map_lookup_elem(&nsjoin, &mnt_ns);
	if (!entry)
		return;
	pid_ns = BPF_CORE_READ(task, nsproxy, pid_ns_for_children, ns.inum);
	if (pid_ns != entry->pid_ns)
		return;
	current = task_label(task, tgid);
	if (current && current->contid != CANISTER_CONTID_UNSET)
		return; /* already someone's; a labelled process changing namespaces is recorded
			   above */
	if (join_policy != CANISTER_JOIN_LABEL) {
		emit(CANISTER_EV_JOIN, tgid, 0, 0, entry->contid);
		return;
	}
	label.contid = entry->contid;
	err = labels_add(tgid, &label, false);
	if (err) {
		stat_inc(CANISTER_STAT_INHERIT_FAILED);
		emit_inherit_error(tgid, 0, entry->contid, err, false);
		return;
	}
	/* A delegated process's pending label (lsm mode) is replaced: its slot is the entry's. */
	room = pending_room(task);
	if (room && pending_claim(room))
		room_release();
	census_add(entry->contid, 1);
	stat_inc(CANISTER_STAT_JOINED);
	emit(CANISTER_EV_JOIN, tgid, 0, 1, entry->contid);
}

SEC("tracepoint/syscalls/sys_enter_setns")
int canister_setns_enter(struct trace_event_raw_sys_enter *ctx)
{
	ns_enter(CANISTER_NS_SETNS);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_setns")
int canister_setns_exit(struct trace_event_raw_sys_exit *ctx)
{
	ns_change_exit(ctx->ret);
	if (ctx->ret == 0)
		join_check();
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_unshare")
int canister_unshare_enter(struct trace_event_raw_sys_enter *ctx)
{
	ns_enter(CANISTER_NS_UNSHARE);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_unshare")
int canister_unshare_exit(struct trace_event_raw_sys_exit *ctx)
{
	ns_change_exit(ctx->ret);
	return 0;
}
