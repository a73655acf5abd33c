// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a thread that reads the capabilities of every labelled process, off the main loop. */
#include "identity/capscan.h"

#include "core/log.h"
#include "identity/held_fds.h"
#include "identity/labels.h"
#include "identity/pin_reach.h"
#include "identity/privileged.h"
#include "identity/tamper.h"
#include "lib/procfs.h"
#include "lib/u64map.h"

#include <canister/abi.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The initial user namespace's inode number (PROC_USER_INIT_INO), fixed since Linux 3.8. */
#define USER_NS_INIT_INO 0xEFFFFFFDU

/* The scanner's state; @lock guards all of it but @thread. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running;
	bool stopping; /* also read without the lock by a scan in progress */
	bool requested;
	bool scanning;
	struct canister_privileged_scan last; /* ->age_ms is filled when read */
	struct timespec finished;	      /* of @last, CLOCK_MONOTONIC */
	struct timespec tried;		      /* the end of the last scan, failed or not */
	bool tried_once;
	int error;
	char pin_path[PATH_MAX];
	/*
	 * Processes able to change labels, by tgid, with the reasons last
	 * recorded for them (scanner thread only); a process is recorded when
	 * first found able, and again when its reasons change.
	 */
	struct canister_u64map recorded;
	/* Records the main loop writes (capscan_flush()); guarded by @lock. */
	struct capscan_finding pending[CAPSCAN_PENDING_MAX];
	unsigned int pending_count;
	uint64_t pending_dropped;
} scanner = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t ms_between(const struct timespec *from, const struct timespec *to)
{
	int64_t ms = (int64_t)(to->tv_sec - from->tv_sec) * 1000 +
		     (to->tv_nsec - from->tv_nsec) / 1000000;

	return ms > 0 ? (uint64_t)ms : 0;
}

static struct timespec ms_after(const struct timespec *from, uint64_t ms)
{
	struct timespec at = *from;

	at.tv_sec += (time_t)(ms / 1000);
	at.tv_nsec += (long)(ms % 1000) * 1000000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	return at;
}

static bool reached(const struct timespec *at)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > at->tv_sec || (now.tv_sec == at->tv_sec && now.tv_nsec >= at->tv_nsec);
}

/* The pause after a scan: what keeps the scanner's share of a core small. */
static uint64_t gap_ms(void)
{
	uint64_t gap = 10 * scanner.last.duration_ms;

	return gap > CAPSCAN_GAP_MIN_MS ? gap : CAPSCAN_GAP_MIN_MS;
}

static bool stopping(void)
{
	return __atomic_load_n(&scanner.stopping, __ATOMIC_RELAXED);
}

/* One walk of the labels map: the result, the pins, and who was found able. */
struct scan {
	struct canister_privileged_scan result;
	struct pin_reach *pins;	     /* NULL when out of memory: nothing judged reachable */
	struct canister_u64map able; /* tgid -> reasons | held digest << 32, this walk */
};

/* What tamper_classify() needs of @tgid; false when it is gone or unreadable. */
static bool read_facts(struct scan *scan, pid_t tgid, struct tamper_facts *ret,
		       uint64_t *ret_effective)
{
	struct tamper_facts facts = { 0 };
	struct canister_proc_creds creds;
	char path[64];
	struct stat ns;

	if (canister_proc_creds(tgid, &creds) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)tgid);
	if (stat(path, &ns) < 0)
		return false;
	facts.init_userns = ns.st_ino == USER_NS_INIT_INO;
	facts.cap_permitted = creds.cap_permitted;
	facts.cap_ambient = creds.cap_ambient;
	facts.cap_bounding = creds.cap_bounding;
	facts.no_new_privs = creds.no_new_privs;
	memcpy(facts.uid, creds.uid, sizeof(facts.uid));
	if (scan->pins)
		pin_reach_judge(scan->pins, tgid, &creds, &facts);
	held_fds_read(tgid, stopping, &facts);
	*ret = facts;
	*ret_effective = creds.cap_effective;
	return true;
}

/* Queues a record of @tgid for the main loop, which alone writes canister's log. */
static void queue_finding(pid_t tgid, uint64_t contid, const struct tamper_verdict *verdict)
{
	pthread_mutex_lock(&scanner.lock);
	if (scanner.pending_count < CAPSCAN_PENDING_MAX) {
		struct capscan_finding *finding = &scanner.pending[scanner.pending_count++];

		finding->pid = tgid;
		finding->contid = contid;
		finding->reasons = verdict->reasons;
		tamper_describe(verdict, finding->why, sizeof(finding->why));
	} else {
		scanner.pending_dropped++;
	}
	pthread_mutex_unlock(&scanner.lock);
}

static bool scan_one(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct tamper_verdict verdict = { 0 };
	struct tamper_facts facts;
	struct scan *scan = ctx;
	uint64_t effective, before, value;
	char why[CANISTER_STATUS_WHY_MAX + 1] = "";

	if (stopping())
		return false;
	/* A delegated process outside containers carries a label, but no contid. */
	if (label->contid == CANISTER_CONTID_UNSET)
		return true;
	/* One that exited since the map was read is still counted, as it was labelled. */
	if (read_facts(scan, (pid_t)tgid, &facts, &effective))
		tamper_classify(&facts, effective, &verdict);
	if (verdict.reasons) {
		tamper_describe(&verdict, why, sizeof(why));
		/* Recorded again when its reasons change, or the objects it holds. */
		value = verdict.reasons | (uint64_t)tamper_held_digest(&verdict) << 32;
		canister_u64map_put(&scan->able, tgid, value);
		if (!canister_u64map_get(&scanner.recorded, tgid, &before) || before != value)
			queue_finding((pid_t)tgid, label->contid, &verdict);
	}
	privileged_scan_add(&scan->result, (pid_t)tgid, label->contid, verdict.reasons != 0, why);
	return true;
}

static void scan_once(void)
{
	struct scan scan = { .result = { .done = true } };
	struct timespec start, end;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	scan.pins = pin_reach_new(scanner.pin_path);
	/* Only reads: the labels map's owner allows that from this thread while it is open. */
	r = labels_for_each(scan_one, &scan);
	clock_gettime(CLOCK_MONOTONIC, &end);
	scan.result.duration_ms = ms_between(&start, &end);
	pin_reach_free(scan.pins);
	/* A whole walk: who is not able now (or gone) is recorded again if found able later. */
	if (r == 0 && !stopping()) {
		canister_u64map_clear(&scanner.recorded);
		scanner.recorded = scan.able;
	} else {
		canister_u64map_clear(&scan.able);
	}
	pthread_mutex_lock(&scanner.lock);
	/* A scan cut short by the stop is not a result. */
	if (r == 0 && !stopping()) {
		scanner.last = scan.result;
		scanner.finished = end;
	}
	scanner.tried = end;
	scanner.tried_once = true;
	scanner.error = r;
	pthread_mutex_unlock(&scanner.lock);
}

/* Waits, with the lock held, until @at, a request (when @requests) or the stop. */
static void wait_until(const struct timespec *at, bool requests)
{
	while (!stopping() && !(requests && scanner.requested) && !reached(at))
		pthread_cond_timedwait(&scanner.wake, &scanner.lock, at);
}

static void *scanner_main(void *arg)
{
	pthread_mutex_lock(&scanner.lock);
	while (!stopping()) {
		struct timespec due, earliest;

		if (scanner.tried_once) {
			due = ms_after(&scanner.tried, CAPSCAN_PERIOD_MS);
			wait_until(&due, true);
			earliest = ms_after(&scanner.tried, gap_ms());
			wait_until(&earliest, false);
		}
		if (stopping())
			break;
		scanner.requested = false;
		scanner.scanning = true;
		pthread_mutex_unlock(&scanner.lock);
		scan_once();
		pthread_mutex_lock(&scanner.lock);
		scanner.scanning = false;
	}
	pthread_mutex_unlock(&scanner.lock);
	return NULL;
}

void capscan_request(void)
{
	if (!scanner.running)
		return;
	pthread_mutex_lock(&scanner.lock);
	if (!scanner.requested) {
		scanner.requested = true;
		pthread_cond_signal(&scanner.wake);
	}
	pthread_mutex_unlock(&scanner.lock);
}

unsigned int capscan_take_findings(struct capscan_finding *ret, unsigned int max,
				   uint64_t *ret_dropped)
{
	unsigned int count;

	pthread_mutex_lock(&scanner.lock);
	count = scanner.pending_count < max ? scanner.pending_count : max;
	memcpy(ret, scanner.pending, count * sizeof(*ret));
	memmove(scanner.pending, scanner.pending + count,
		(scanner.pending_count - count) * sizeof(*ret));
	scanner.pending_count -= count;
	*ret_dropped = scanner.pending_dropped;
	scanner.pending_dropped = 0;
	pthread_mutex_unlock(&scanner.lock);
	return count;
}

int capscan_open(const char *pin_path, char *why, size_t why_len)
{
	pthread_condattr_t attr;
	sigset_t all, old;
	int r;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&scanner.wake, &attr);
	pthread_condattr_destroy(&attr);
	scanner.stopping = false;
	scanner.requested = false;
	scanner.scanning = false;
	scanner.tried_once = false;
	scanner.error = 0;
	memset(&scanner.last, 0, sizeof(scanner.last));
	snprintf(scanner.pin_path, sizeof(scanner.pin_path), "%s", pin_path);
	/* Every object is loaded before the scanner starts (identity_open()). */
	held_fds_open();
	scanner.pending_count = 0;
	scanner.pending_dropped = 0;

	/* Signals are the main loop's (signalfd): the thread must never take one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&scanner.thread, NULL, scanner_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		snprintf(why, why_len, "cannot start the capability scanner: %s", strerror(-r));
		pthread_cond_destroy(&scanner.wake);
		return r;
	}
	scanner.running = true;
	return 0;
}

void capscan_close(void)
{
	struct timespec deadline;

	if (!scanner.running)
		return;
	pthread_mutex_lock(&scanner.lock);
	__atomic_store_n(&scanner.stopping, true, __ATOMIC_RELAXED);
	pthread_cond_signal(&scanner.wake);
	pthread_mutex_unlock(&scanner.lock);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += CAPSCAN_STOP_WAIT_S;
	/*
	 * A scan stops at its next process, and nothing it reads walks a path
	 * through a container's mounts; should a read of /proc still not return,
	 * the stop does not wait for it: the thread is left to canisterd's exit
	 * (exit_group kills it; its waits are killable), its state untouched.
	 */
	if (pthread_timedjoin_np(scanner.thread, NULL, &deadline) == ETIMEDOUT) {
		log_error("the capability scanner did not stop within %d s; canisterd stops "
			  "without it",
			  CAPSCAN_STOP_WAIT_S);
		pthread_detach(scanner.thread);
		scanner.running = false;
		return;
	}
	pthread_cond_destroy(&scanner.wake);
	canister_u64map_clear(&scanner.recorded);
	scanner.running = false;
}

void capscan_result(struct canister_privileged_scan *ret, int *ret_error)
{
	struct canister_privileged_scan result = { 0 };
	struct timespec now;
	int error = 0;

	if (scanner.running) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		pthread_mutex_lock(&scanner.lock);
		result = scanner.last;
		error = scanner.error;
		if (result.done) {
			result.age_ms = ms_between(&scanner.finished, &now);
			/* One in progress will be fresher than this anyway. */
			if (result.age_ms >= gap_ms() && !scanner.requested && !scanner.scanning) {
				scanner.requested = true;
				pthread_cond_signal(&scanner.wake);
			}
		}
		pthread_mutex_unlock(&scanner.lock);
	}
	*ret = result;
	*ret_error = error;
}
