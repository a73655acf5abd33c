// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: drains the BPF ring buffer (fork, exit, guard refusals). */
#include "daemon/events.h"

#include "daemon/loader.h"
#include "daemon/log.h"
#include "daemon/mainloop.h"

#include <bpf/libbpf.h>
#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

static const char *const guard_hooks[] = {
	[CANISTER_GUARD_BPF_MAP] = "access to a canister map",
	[CANISTER_GUARD_TASK_KILL] = "a signal to canisterd",
	[CANISTER_GUARD_PTRACE] = "ptrace of canisterd",
};

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
		log_debug("container %" PRIu64 ": pid %u forked pid %u", (uint64_t)event->contid,
			  event->other_tgid, event->tgid);
		break;
	case CANISTER_EV_EXIT:
		log_debug("container %" PRIu64 ": pid %u exited", (uint64_t)event->contid,
			  event->tgid);
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

int events_open(struct canisterd *d)
{
	d->events = ring_buffer__new(loader_events_fd(d), handle_record, d, NULL);
	if (!d->events)
		return -errno;
	return loop_add(d, ring_buffer__epoll_fd(d->events), &events_source);
}

void events_drain(struct canisterd *d)
{
	int r = ring_buffer__consume(d->events);

	if (r < 0 && r != -EINTR)
		log_warning("cannot read the ring buffer: %s", strerror(-r));
}

void events_close(struct canisterd *d)
{
	ring_buffer__free(d->events);
	d->events = NULL;
}
