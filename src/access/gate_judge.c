// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the held access policies decide the opens and execs the file gate holds. */
#include "access/gate_judge.h"

#include "access/gate_decide.h"
#include "access/held.h"
#include "access/records.h"
#include "identity/identity.h"
#include "integrity/measure.h"
#include "integrity/open_writers.h"
#include "integrity/opener_syscall.h"

#include <canister/canister.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

#define OPEN_RIGHTS (CANISTER_ACCESS_FS_READ | CANISTER_ACCESS_FS_WRITE)

/* The rights an event can need before the opener's flags are known. */
static uint32_t event_rights(const struct gate_event *event)
{
	return event->mask & FAN_OPEN_EXEC_PERM ? CANISTER_ACCESS_FS_EXECUTE : OPEN_RIGHTS;
}

unsigned int access_gate_levels_locked(const uint64_t *chain, unsigned int depth, uint32_t rights,
				       struct access_gate_level *ret)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < depth; i++) {
		/* A container that brought none is judged by canister.conf's default. */
		const struct access_held *held = access_held_judging(chain[i]);

		if (!held || !(held->policy->fs_handled & rights))
			continue;
		if (ret)
			ret[n] = (struct access_gate_level){
				.contid = chain[i],
				.policy = held->policy,
				.enforce = held->settings.mode == CANISTER_ACCESS_ENFORCE,
			};
		n++;
	}
	return n;
}

/* Whether no container holds a policy and there is no default: else no chain is walked. */
static bool none_held(void)
{
	bool any;

	access_held_lock();
	any = access_held_any();
	access_held_unlock();
	return !any;
}

/*
 * On the reader, which never waits: how many levels of @event's opener's
 * chain decide its rights (each in @levels when not NULL), or -1 when the
 * table is busy.  The chain is walked outside the lock (map lookups).
 */
static int reader_levels(const struct gate_event *event, struct access_gate_level *levels)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth, n;

	if (!access_held_trylock())
		return -1;
	n = access_held_any();
	access_held_unlock();
	if (!n)
		return 0;
	depth = identity_parents(event->contid, chain);
	if (!access_held_trylock())
		return -1;
	n = access_gate_levels_locked(chain, depth, event_rights(event), levels);
	access_held_unlock();
	return (int)n;
}

/* On the reader: a busy table is a say (the worker then decides). */
static bool wants(const struct gate_event *event, void *ctx)
{
	(void)ctx;
	return reader_levels(event, NULL) != 0;
}

/*
 * On the reader: an event that a level of the opener's chain decides in
 * enforce mode is denied when no verdict comes in time (late, or no room
 * in the queue), whatever integrity_fail says: with integrity_fail = open a
 * container that keeps its own judges busy (huge files to hash) or fills
 * its places had its refused opens answered "allow", unjudged.  A busy
 * table errs toward holding it strict: that matters only for a late event.
 */
static bool fail_closed(const struct gate_event *event, void *ctx)
{
	struct access_gate_level levels[CANISTER_NEST_LIMIT_MAX];
	int n = reader_levels(event, levels);

	(void)ctx;
	if (n < 0)
		return true;
	for (int i = 0; i < n; i++)
		if (levels[i].enforce)
			return true;
	return false;
}

/*
 * The rights the open of @event asks for.  fanotify's descriptor is the
 * group's (read-only), not the opener's: whether the file is open for
 * writing anywhere (a read lease) says "reads" when it is not; the flags of
 * the open a single-threaded opener is blocked in say exactly (and catch an
 * O_TRUNC without write access).
 */
static uint32_t open_rights(const struct gate_event *event)
{
	uint64_t flags = 0;
	int kind = open_writers_opener_flags(event->pid, &flags);

	return access_gate_open_rights(
		open_writers_any(event->fd),
		kind == OPENER_OPENS_TO_READ || kind == OPENER_OPENS_TO_WRITE, flags);
}

static void record(const struct gate_event *event, const uint64_t *chain, unsigned int depth,
		   const struct access_gate_verdict *verdict, const char *path)
{
	char exe[CANISTER_ACCESS_PATH_MAX];
	struct access_decision decision = {
		.chain = chain,
		.depth = depth,
		.by = verdict->by,
		.pid = event->pid,
		.op = event->mask & FAN_OPEN_EXEC_PERM ? "exec" : "open",
		.target = path,
		.right = canister_access_fs_right_name(verdict->right),
		.cause = "not-granted",
		.enforce = verdict->enforce,
	};

	decision.exe = access_record_exe(event->pid, exe, sizeof(exe));
	access_record(&decision);
}

static bool judge(const struct gate_event *event, void *ctx)
{
	static __thread char path[CANISTER_ACCESS_PATH_MAX + 16];
	struct access_gate_level levels[CANISTER_NEST_LIMIT_MAX];
	struct access_gate_verdict reads, writes, verdict;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	bool exec = event->mask & FAN_OPEN_EXEC_PERM;
	unsigned int depth, count;
	uint32_t rights;

	(void)ctx;
	if (none_held())
		return true;
	depth = identity_parents(event->contid, chain);
	access_held_lock();
	count = access_gate_levels_locked(chain, depth, event_rights(event), NULL);
	access_held_unlock();
	if (!count)
		return true;
	/* The path as the container sees it: the one integrity lists (d_path in its root). */
	measure_file_path(event->fd, path, sizeof(path));
	/* Again: a policy loaded or dropped meanwhile is decided as it is now. */
	access_held_lock();
	count = access_gate_levels_locked(chain, depth, event_rights(event), levels);
	if (exec) {
		access_gate_decide(levels, count, CANISTER_ACCESS_FS_EXECUTE, path, strlen(path),
				   &verdict);
	} else {
		access_gate_decide(levels, count, CANISTER_ACCESS_FS_READ, path, strlen(path),
				   &reads);
		access_gate_decide(levels, count, CANISTER_ACCESS_FS_WRITE, path, strlen(path),
				   &writes);
	}
	access_held_unlock();
	if (!count)
		return true;
	if (!exec) {
		/* Asking what the open wants costs /proc and a lease: only when it matters. */
		if (!reads.refused && !writes.refused)
			return true;
		rights = open_rights(event);
		verdict = (struct access_gate_verdict){ 0 };
		if (rights & CANISTER_ACCESS_FS_READ)
			access_gate_merge(&verdict, &reads);
		if (rights & CANISTER_ACCESS_FS_WRITE)
			access_gate_merge(&verdict, &writes);
	}
	if (!verdict.refused)
		return true;
	record(event, chain, depth, &verdict, path);
	return !verdict.enforce;
}

const struct gate_guard access_gate_guard = {
	.judge = judge,
	.wants = wants,
	.fail_closed = fail_closed,
};

bool access_gate_wants_opens(void)
{
	return access_held_handles_fs(OPEN_RIGHTS);
}
