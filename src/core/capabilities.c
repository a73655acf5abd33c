// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the table of capabilities, and the core's fan-out to them (open, close, ticks). */
#include "core/capability.h"

#include "access/access.h"
#include "audit/audit.h"
#include "core/control.h"
#include "core/in_root.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "identity/identity.h"
#include "integrity/integrity.h"
#include "model/model_capability.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

/*
 * Identity first: every other capability asks it which container a process
 * is in, and its tick drains the ring buffer, so that exits are known before
 * the audit stream attributes records of processes that have gone.
 */
const struct capability *const canisterd_capabilities[] = {
	&identity_capability,
	&audit_capability,
	/* After identity, which it asks who opens a file, and which must close after it. */
	&integrity_capability,
	/* After identity, which it asks which containers live and since when. */
	&access_capability,
	/* After integrity, whose file gate asks its guard; and after access, which decides first.
	 */
	&model_capability,
	NULL,
};

#define CAPABILITIES_MAX 16

static struct {
	bool open[CAPABILITIES_MAX];
	int tick_fd;
	struct loop_source tick_source;
} table = { .tick_fd = -1 };

#define for_each_capability(i, cap) \
	for (size_t i = 0; (cap = canisterd_capabilities[i]) != NULL; i++)

int capabilities_open(struct canisterd *d, char *why, size_t why_len)
{
	const struct capability *cap;

	for_each_capability(i, cap)
	{
		int r;

		if (i >= CAPABILITIES_MAX) {
			snprintf(why, why_len, "more than %d capabilities", CAPABILITIES_MAX);
			capabilities_close(d);
			return -E2BIG;
		}
		if (!cap->open) {
			table.open[i] = true;
			continue;
		}
		r = cap->open(d, why, why_len);
		if (r < 0) {
			capabilities_close(d);
			return r;
		}
		table.open[i] = true;
	}
	return 0;
}

void capabilities_close(struct canisterd *d)
{
	size_t count = 0;

	if (table.tick_fd >= 0) {
		loop_remove(d, table.tick_fd);
		close(table.tick_fd);
		table.tick_fd = -1;
	}
	while (canisterd_capabilities[count])
		count++;
	while (count-- > 0) {
		const struct capability *cap = canisterd_capabilities[count];

		if (!table.open[count])
			continue;
		table.open[count] = false;
		if (cap->close)
			cap->close(d);
	}
}

void capabilities_reload(struct canisterd *d, const struct canister_config *fresh)
{
	const struct capability *cap;

	for_each_capability(i, cap) if (table.open[i] && cap->reload) cap->reload(d, fresh);
}

void capabilities_rotate_logs(struct canisterd *d, struct rotation_report *report)
{
	const struct capability *cap;

	for_each_capability(i, cap)
	{
		if (table.open[i] && cap->rotate_logs)
			cap->rotate_logs(d, report);
	}
}

void capabilities_status(struct canisterd *d, struct canister_status *ret)
{
	const struct capability *cap;

	for_each_capability(i, cap)
	{
		if (table.open[i] && cap->status)
			cap->status(d, ret);
	}
}

int (*capabilities_helper(const char *arg))(int argc, char **argv)
{
	const struct capability *cap;

	for_each_capability(i, cap)
	{
		if (cap->helper_arg && cap->helper_main && strcmp(cap->helper_arg, arg) == 0)
			return cap->helper_main;
	}
	return NULL;
}

int capabilities_caller_container(struct canisterd *d, const struct peer *peer,
				  uint64_t *ret_contid)
{
	const struct capability *cap;

	for_each_capability(i, cap)
	{
		if (table.open[i] && cap->caller_container)
			return cap->caller_container(d, peer, ret_contid);
	}
	*ret_contid = CANISTER_CONTID_UNSET;
	return 0;
}

void capabilities_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns)
{
	const struct capability *cap;

	for_each_capability(i, cap) if (table.open[i] && cap->process_started)
		cap->process_started(d, pid, ktime_ns);
}

void capabilities_process_executed(struct canisterd *d, const struct process_exec *exec)
{
	const struct capability *cap;

	for_each_capability(i, cap) if (table.open[i] && cap->process_executed)
		cap->process_executed(d, exec);
}

void capabilities_process_exited(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns)
{
	const struct capability *cap;

	for_each_capability(i, cap) if (table.open[i] && cap->process_exited)
		cap->process_exited(d, pid, contid, ktime_ns);
}

void capabilities_containers_present(struct canisterd *d, bool any)
{
	const struct capability *cap;

	for_each_capability(i, cap) if (table.open[i] && cap->containers_present)
		cap->containers_present(d, any);
}

static void tick_ready(struct canisterd *d, struct loop_source *source)
{
	const struct capability *cap;
	uint64_t expirations;

	if (read(table.tick_fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		log_warning("cannot read the tick timer: %s", strerror(errno));
	for_each_capability(i, cap) if (table.open[i] && cap->tick) cap->tick(d);
	control_tick(d);
	in_root_tick();
}

int capabilities_start_ticks(struct canisterd *d)
{
	struct itimerspec every = {
		.it_interval = { .tv_nsec = CANISTERD_TICK_MS * 1000000L },
		.it_value = { .tv_nsec = CANISTERD_TICK_MS * 1000000L },
	};
	int r;

	table.tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (table.tick_fd < 0)
		return -errno;
	if (timerfd_settime(table.tick_fd, 0, &every, NULL) < 0)
		return -errno;
	table.tick_source.ready = tick_ready;
	r = loop_add(d, table.tick_fd, &table.tick_source);
	if (r < 0) {
		close(table.tick_fd);
		table.tick_fd = -1;
	}
	return r;
}
