// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a thread that reads the capabilities of every labelled process, off the main loop. */
#include "identity/capscan.h"

#include "identity/labels.h"
#include "identity/privileged.h"
#include "lib/procfs.h"

#include <canister/abi.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

static bool scan_one(__u32 tgid, const struct canister_label *label, void *ctx)
{
	uint64_t caps;

	if (stopping())
		return false;
	/* A delegated process outside containers carries a label, but no contid. */
	if (label->contid == CANISTER_CONTID_UNSET)
		return true;
	/* One that exited since the map was read is still counted, as it was labelled. */
	privileged_scan_add(ctx, (pid_t)tgid, label->contid,
			    canister_proc_cap_effective((pid_t)tgid, &caps) == 0 &&
				    privileged_caps(caps));
	return true;
}

static void scan_once(void)
{
	struct canister_privileged_scan result = { .done = true };
	struct timespec start, end;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	/* Only reads: the labels map's owner allows that from this thread while it is open. */
	r = labels_for_each(scan_one, &result);
	clock_gettime(CLOCK_MONOTONIC, &end);
	result.duration_ms = ms_between(&start, &end);

	pthread_mutex_lock(&scanner.lock);
	/* A scan cut short by the stop is not a result. */
	if (r == 0 && !stopping()) {
		scanner.last = result;
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

int capscan_open(char *why, size_t why_len)
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
	if (!scanner.running)
		return;
	pthread_mutex_lock(&scanner.lock);
	__atomic_store_n(&scanner.stopping, true, __ATOMIC_RELAXED);
	pthread_cond_signal(&scanner.wake);
	pthread_mutex_unlock(&scanner.lock);
	pthread_join(scanner.thread, NULL);
	pthread_cond_destroy(&scanner.wake);
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
