// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: drains the BPF ring buffer (fork, exit, guard refusals). */
#include "identity/events.h"

#include "identity/containers.h"
#include "core/loader.h"
#include "core/records.h"
#include "core/log.h"
#include "core/mainloop.h"

#include <bpf/libbpf.h>
#include <canister/abi.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

static const struct events_watcher *watcher;

void events_watch(const struct events_watcher *new_watcher)
{
	watcher = new_watcher;
}
static const char *const guard_hooks[] = {
	[CANISTER_GUARD_BPF_MAP] = "access to a canister map",
	[CANISTER_GUARD_TASK_KILL] = "a signal to canisterd",
	[CANISTER_GUARD_PTRACE] = "ptrace of canisterd",
};

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

static void record_namespaces(struct canisterd *d, const struct canister_ns_event *event)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth;

	containers_chain(d, event->contid, chain, &depth);
	record_ns_change(d, event, chain, depth);
}

static int handle_record(void *ctx, void *data, size_t size)
{
	struct canisterd *d = ctx;
	const struct canister_event *event = data;

	if (size < sizeof(*event)) {
		log_warning("short ring-buffer record (%zu bytes); ignored", size);
		return 0;
	}
	if (event->type < sizeof(d->events_received) / sizeof(d->events_received[0]))
		d->events_received[event->type]++;

	switch (event->type) {
	case CANISTER_EV_FORK:
		if (watcher)
			watcher->started(d, (pid_t)event->tgid, event->ktime_ns);
		log_debug("container %" PRIu64 ": pid %u forked pid %u", (uint64_t)event->contid,
			  event->other_tgid, event->tgid);
		break;
	case CANISTER_EV_EXIT:
		log_debug("container %" PRIu64 ": pid %u exited", (uint64_t)event->contid,
			  event->tgid);
		if (event->contid != CANISTER_CONTID_UNSET) {
			if (watcher)
				watcher->exited(d, (pid_t)event->tgid, event->contid,
						event->ktime_ns);
			containers_check_drop(d, event->contid, event->ktime_ns);
		}
		break;
	case CANISTER_EV_EXEC:
		log_debug("container %" PRIu64 ": pid %u exec", (uint64_t)event->contid,
			  event->tgid);
		break;
	case CANISTER_EV_JOIN:
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
		/* Not debug: a child escaped its container's label. */
		log_error("container %" PRIu64 ": pid %u forked pid %u, which could not be "
			  "labelled (labels map full at %d)",
			  (uint64_t)event->contid, event->other_tgid, event->tgid,
			  CANISTER_MAX_LABELLED);
		break;
	case CANISTER_EV_GUARD_DENIED:
		log_warning("container %" PRIu64 ": refused pid %u %s", (uint64_t)event->contid,
			    event->tgid,
			    event->detail < sizeof(guard_hooks) / sizeof(guard_hooks[0]) &&
					    guard_hooks[event->detail]
				    ? guard_hooks[event->detail]
				    : "an action against canister");
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

static struct loop_source events_source = { .ready = events_ready };

/*
 * A lost exit record would leave its container undropped: after any loss
 * every container is checked against the labels map.  Asked on the drain
 * timer, not on every drain, which kernel audit does once per event.
 */
static void check_losses(struct canisterd *d)
{
	uint64_t lost = loader_stat_sum(d, CANISTER_STAT_LOST);

	if (lost != d->lost_seen) {
		log_warning("%" PRIu64 " ring-buffer records lost; checking every container",
			    lost - d->lost_seen);
		d->lost_seen = lost;
		containers_reconcile(d);
	}
}

static void drain_timer_ready(struct canisterd *d, struct loop_source *source)
{
	uint64_t expirations;

	if (read(d->drain_timer_fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		log_warning("cannot read the drain timer: %s", strerror(errno));
	events_drain(d);
	check_losses(d);
	if (watcher)
		watcher->tick(d);
}

static struct loop_source drain_timer_source = { .ready = drain_timer_ready };

int events_open(struct canisterd *d)
{
	struct itimerspec every = {
		.it_interval = { .tv_nsec = CANISTER_EVENTS_DRAIN_MS * 1000000L },
		.it_value = { .tv_nsec = CANISTER_EVENTS_DRAIN_MS * 1000000L },
	};
	int r;

	d->events = ring_buffer__new(loader_events_fd(d), handle_record, d, NULL);
	if (!d->events)
		return -errno;
	r = loop_add(d, ring_buffer__epoll_fd(d->events), &events_source);
	if (r < 0)
		return r;
	/* Routine records do not wake canisterd (see wakeup_flags() in bpf/label.bpf.c). */
	d->drain_timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->drain_timer_fd < 0)
		return -errno;
	if (timerfd_settime(d->drain_timer_fd, 0, &every, NULL) < 0)
		return -errno;
	return loop_add(d, d->drain_timer_fd, &drain_timer_source);
}

void events_drain(struct canisterd *d)
{
	int r = ring_buffer__consume(d->events);

	if (r < 0 && r != -EINTR)
		log_warning("cannot read the ring buffer: %s", strerror(-r));
}

void events_close(struct canisterd *d)
{
	if (d->drain_timer_fd >= 0)
		close(d->drain_timer_fd);
	d->drain_timer_fd = -1;
	ring_buffer__free(d->events);
	d->events = NULL;
}
