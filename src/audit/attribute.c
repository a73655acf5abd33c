// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which container each process an audit event names was in when the event happened. */
#include "audit/attribute.h"

#include "audit/pid_history.h"
#include "core/log.h"
#include "identity/identity.h"

#include <canister/canister.h>
#include <inttypes.h>
#include <libaudit.h>
#include <time.h>

/* How long an exited process stays attributable, and how many are remembered. */
#define HISTORY_RETENTION_NS (60ULL * 1000000000ULL)
#define HISTORY_CAPACITY 65536

static struct {
	struct canister_pid_history *history;
	/* CLOCK_REALTIME - CLOCK_MONOTONIC, read once per event batch rather than per record. */
	int64_t realtime_offset_ns;
} attribution;

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int attribute_open(struct canisterd *d)
{
	return canister_pid_history_new(HISTORY_CAPACITY, HISTORY_RETENTION_NS,
					&attribution.history);
}

void attribute_close(void)
{
	canister_pid_history_free(attribution.history);
	attribution.history = NULL;
}

void attribute_process_started(pid_t pid, uint64_t ktime_ns)
{
	if (attribution.history)
		canister_pid_history_started(attribution.history, pid, ktime_ns);
}

void attribute_process_exited(pid_t pid, uint64_t contid, uint64_t ktime_ns)
{
	if (!attribution.history)
		return;
	canister_pid_history_exited(attribution.history, pid, contid, ktime_ns);
	canister_pid_history_expire(attribution.history, clock_ns(CLOCK_MONOTONIC));
}

/* A record's wall-clock stamp on the monotonic clock that BPF's exit times use. */
static uint64_t stamp_to_monotonic(const struct canister_record_stamp *stamp)
{
	uint64_t real = (uint64_t)stamp->sec * 1000000000ULL + stamp->msec * 1000000ULL;

	return real - (uint64_t)attribution.realtime_offset_ns;
}

static bool in_history(pid_t pid, uint64_t at, uint64_t *ret_contid)
{
	/*
	 * The stamp is cut to the millisecond: the event happened in [at, at +
	 * 1 ms), and a short-lived process may both start and exit inside it.
	 */
	return canister_pid_history_lookup(attribution.history, pid, at, ret_contid) == 0 ||
	       canister_pid_history_lookup(attribution.history, pid, at + 999999, ret_contid) == 0;
}

/*
 * The container @pid was in when the event happened.  Its past first: the
 * history answers only for events up to a life's exit, so an old event of a
 * reused pid is not given the new process's container; then its live label.
 */
static bool live_contid(pid_t pid, uint64_t *ret_contid)
{
	uint64_t contid;

	if (identity_contid(pid, &contid) < 0 || contid == CANISTER_CONTID_UNSET)
		return false;
	*ret_contid = contid;
	return true;
}

static bool contid_at(struct canisterd *d, uint64_t at, pid_t pid, uint64_t *ret_contid)
{
	if (in_history(pid, at, ret_contid) || live_contid(pid, ret_contid))
		return true;
	/*
	 * Neither: what BPF reported since the ring buffer was last read may
	 * say (a fork that labelled it, an exit that took its label).
	 */
	identity_catch_up(d);
	return in_history(pid, at, ret_contid) || live_contid(pid, ret_contid);
}

/* The process that acted: the SYSCALL record's (or the event's first), not a kill target. */
static ssize_t acting_record(const struct audit_event *event)
{
	for (size_t i = 0; i < event->count; i++)
		if (event->records[i].pid && !event->records[i].target &&
		    event->records[i].type == AUDIT_SYSCALL)
			return (ssize_t)i;
	for (size_t i = 0; i < event->count; i++)
		if (event->records[i].pid && !event->records[i].target)
			return (ssize_t)i;
	return -1;
}

void attribute_event(struct canisterd *d, struct audit_event *event, struct audit_place *places)
{
	uint64_t at;
	ssize_t actor;

	attribution.realtime_offset_ns =
		(int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
	at = stamp_to_monotonic(&event->stamp);
	for (size_t i = 0; i < event->count; i++) {
		const struct audit_record *record = &event->records[i];
		uint64_t contid;

		places[i].depth = 0;
		if (!record->pid)
			continue;
		/* The same process twice in one event (SYSCALL and its PATH's) is placed once. */
		for (size_t j = 0; j < i; j++)
			if (event->records[j].pid == record->pid) {
				places[i] = places[j];
				goto placed;
			}
		if (contid_at(d, at, record->pid, &contid))
			identity_chain(d, contid, places[i].chain, &places[i].depth);
	placed:
		log_debug("kernel audit: event %" PRIu64 " record %zu: pid %d in %s %" PRIu64,
			  event->stamp.serial, i + 1, (int)record->pid,
			  places[i].depth ? "container" : "no container",
			  places[i].depth ? places[i].chain[0] : 0);
	}
	actor = acting_record(event);
	event->placed = actor >= 0 && places[actor].depth > 0;
	event->depth = event->placed ? places[actor].depth : 0;
	for (unsigned int i = 0; i < event->depth; i++)
		event->chain[i] = places[actor].chain[i];
}
