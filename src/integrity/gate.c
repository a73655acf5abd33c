// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the synchronous file gate: fanotify permission events, judged per container. */
#include "integrity/gate.h"

#include "integrity/gate_route.h"
#include "integrity/gate_share.h"
#include "integrity/reader_nice.h"
#include "integrity/write_gen.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define PERM_EVENTS (FAN_OPEN_EXEC_PERM | FAN_OPEN_PERM)
_Static_assert(GATE_PENDING_MAX <= GATE_SHARE_SLOTS, "every job has a slot in the share");
/* How long gate_stop() waits for judges still reading a file. */
#define STOP_WAIT_MS 2000

/*
 * JOB_LATE: a queued event whose deadline passed, out of the queue while the
 * reader reads its opener's ids without the lock; queued again afterwards.
 */
enum job_state { JOB_FREE, JOB_QUEUED, JOB_LATE, JOB_JUDGING };

/* One event taken by the gate, from its read to the release of its file. */
struct job {
	struct gate_event event;
	enum job_state state;
	bool answered;
	uint64_t owner;		  /* whose share of the judges it uses (gate_share.h) */
	struct timespec deadline; /* CLOCK_MONOTONIC */
	/* read for a JOB_LATE event; event.opener points here then */
	struct canister_proc_creds opener;
};

/*
 * The reader never waits on anything but poll(): not on a judge, not on the
 * lock for longer than a few instructions, not on a file.  That is what keeps
 * canisterd off its own gate: its other threads' opens on a watched
 * filesystem are answered by this thread at once, and this thread opens
 * nothing.  All state but the descriptors is under @lock.
 */
static struct {
	struct gate_config config;
	int fan_fd, wake_fd;
	pid_t self;
	pthread_t reader, workers[GATE_WORKERS_MAX];
	unsigned int workers_started;
	bool reader_started, stopping;
	unsigned int left_behind; /* judges gate_stop() did not wait for */
	pthread_mutex_t lock;
	pthread_cond_t work, released;
	struct job jobs[GATE_PENDING_MAX];
	struct gate_share share; /* the queued and judged jobs, by index in @jobs */
	unsigned int pending;	 /* jobs not JOB_FREE */
	struct gate_stats stats;
	char reader_detail[160]; /* its priority (integrity/reader_nice.h) */
} gate = { .fan_fd = -1, .wake_fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

static void answer(int fd, bool allow)
{
	struct fanotify_response response = { .fd = fd, .response = allow ? FAN_ALLOW : FAN_DENY };

	/* ENOENT: the opener was killed meanwhile, and the kernel dropped the event. */
	if (write(gate.fan_fd, &response, sizeof(response)) != sizeof(response))
		gate.stats.write_fail++;
}

/*
 * An event the reader answers itself: its descriptor is closed first, then
 * answered.  The answer wakes the opener, often on the reader's own CPU;
 * closing after it (the file's last reference, a few µs) kept the woken
 * opener waiting for that CPU or had it preempt the reader, which the
 * scheduler then often moved to the other CPU, where the next hand-offs
 * cross (docs/integrity.md, "The reader's priority").  The kernel finds the
 * event by the number alone, among the events read and not yet answered;
 * each of those still holds its own descriptor, and only this thread reads
 * new ones, so the number names this event until the answer is written.
 */
static bool answer_closed(int fd, bool allow)
{
	struct fanotify_response response = { .fd = fd, .response = allow ? FAN_ALLOW : FAN_DENY };

	close(fd);
	return write(gate.fan_fd, &response, sizeof(response)) == sizeof(response);
}

/* Called with the lock held: each event is answered exactly once. */
static void job_answer(struct job *job, bool allow, uint64_t *counter)
{
	if (job->answered)
		return;
	job->answered = true;
	answer(job->event.fd, allow);
	(*counter)++;
}

static void job_release(struct job *job)
{
	close(job->event.fd);
	job->state = JOB_FREE;
	gate.pending--;
	pthread_cond_broadcast(&gate.released);
}

/* What no verdict answered gets; an event a guard holds strict is denied whatever the config. */
static bool fail_answer(const struct gate_event *event)
{
	if (event->strict && !gate.config.fail_closed)
		gate.stats.strict++;
	return !gate.config.fail_closed && !event->strict;
}

static void timespec_add_ms(struct timespec *ts, unsigned int ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

static long ms_until(const struct timespec *now, const struct timespec *at)
{
	long ms = (long)(at->tv_sec - now->tv_sec) * 1000 + (at->tv_nsec - now->tv_nsec) / 1000000;

	return ms > 0 ? ms : 0;
}

/*
 * Answers every judged event whose deadline passed, and takes every such
 * queued one out of the queue into @late (*@late_count of them) for
 * late_answer(); the ms to the next deadline, or -1.
 */
static int expire_locked(unsigned int *late, unsigned int *late_count)
{
	struct timespec now;
	long next = -1;

	*late_count = 0;
	/* The reader's every wake-up: with nothing taken, no clock and no scan of the jobs. */
	if (!gate.pending)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (unsigned int i = 0; i < GATE_PENDING_MAX; i++) {
		struct job *job = &gate.jobs[i];
		long left;

		if ((job->state != JOB_QUEUED && job->state != JOB_JUDGING) || job->answered)
			continue;
		left = ms_until(&now, &job->deadline);
		if (left == 0 && job->state == JOB_QUEUED) {
			/* No judge may take it while its opener's ids are read. */
			gate_share_remove(&gate.share, (int)i);
			job->state = JOB_LATE;
			late[(*late_count)++] = i;
			continue;
		}
		if (left == 0) {
			job_answer(job, fail_answer(&job->event), &gate.stats.late);
			gate.stats.stuck++;
			continue;
		}
		if (next < 0 || left < next)
			next = left;
	}
	/* A deadline rounded down to 0 ms would spin; poll rounds up instead. */
	return next < 0 ? -1 : (int)next + 1;
}

/*
 * The deadline lets @late's queued events go before a judge took them: what
 * the judge will ask of each opener is read first, while it still waits,
 * and without the lock (a /proc read: the reader must not hold up the
 * judges, nor they it).  Only the reader touches a JOB_LATE job, so no judge
 * can take it meanwhile and judge it with ids read after the answer; it is
 * queued again (behind its container's events that still wait) to be
 * measured, as one a judge was slow on.
 */
static void late_answer(const unsigned int *late, unsigned int late_count)
{
	for (unsigned int i = 0; i < late_count; i++) {
		struct job *job = &gate.jobs[late[i]];

		job->event.opener = canister_proc_creds(job->event.pid, &job->opener) == 0
					    ? &job->opener
					    : NULL;
	}
	pthread_mutex_lock(&gate.lock);
	for (unsigned int i = 0; i < late_count; i++) {
		struct job *job = &gate.jobs[late[i]];

		/* gate_stop() may have answered it meanwhile: then it is only released. */
		job_answer(job, fail_answer(&job->event), &gate.stats.late);
		if (gate.stopping) {
			job_release(job);
			continue;
		}
		job->state = JOB_QUEUED;
		gate_share_push(&gate.share, (int)late[i], job->owner);
		pthread_cond_signal(&gate.work);
	}
	pthread_mutex_unlock(&gate.lock);
}

/* The jobs of @owner (nested containers' included) taken and not released. */
static unsigned int container_pending_locked(uint64_t owner)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < GATE_PENDING_MAX; i++)
		n += gate.jobs[i].state != JOB_FREE && gate.jobs[i].owner == owner;
	return n;
}

static void queue_locked(const struct gate_event *event, uint64_t owner)
{
	unsigned int slot = 0;
	struct job *job;

	while (gate.jobs[slot].state != JOB_FREE)
		slot++;
	job = &gate.jobs[slot];
	job->event = *event;
	job->event.opener = NULL;
	job->state = JOB_QUEUED;
	job->answered = false;
	job->owner = owner;
	clock_gettime(CLOCK_MONOTONIC, &job->deadline);
	timespec_add_ms(&job->deadline, gate.config.deadline_ms);
	gate_share_push(&gate.share, (int)slot, owner);
	gate.pending++;
	pthread_cond_signal(&gate.work);
}

int gate_event_creds(const struct gate_event *event, struct canister_proc_creds *ret)
{
	if (!event->opener)
		return canister_proc_creds(event->pid, ret);
	*ret = *event->opener;
	return 0;
}

#define for_each_guard(i, guard)                                                                 \
	for (unsigned int i = 0; i < GATE_GUARDS_MAX && (guard = gate.config.guards[i]) != NULL; \
	     i++)

/* Whether a guard has a say in a container's @event: then only a worker answers it. */
static bool guard_wants(const struct gate_event *event)
{
	const struct gate_guard *guard;

	for_each_guard(i, guard)
	{
		if (guard->wants(event, gate.config.ctx))
			return true;
	}
	return false;
}

/* Whether a guard holds @event strict: no verdict in time denies it. */
static bool guard_strict(const struct gate_event *event)
{
	const struct gate_guard *guard;

	for_each_guard(i, guard)
	{
		if (guard->fail_closed && guard->fail_closed(event, gate.config.ctx))
			return true;
	}
	return false;
}

/* The guards' decisions, then the judge's: a refusal by a guard is not measured. */
static bool judge(const struct gate_event *event)
{
	const struct gate_guard *guard;

	for_each_guard(i, guard)
	{
		if (!guard->judge(event, gate.config.ctx))
			return false;
	}
	return gate.config.judge(event, gate.config.ctx);
}

static void handle(const struct fanotify_event_metadata *meta)
{
	struct gate_event event = { .fd = meta->fd, .pid = meta->pid, .mask = meta->mask };
	struct gate_route_facts facts = { .pid = meta->pid, .self = gate.self };
	uint64_t owner;

	/* Lost events may have been closes: every file version known is old. */
	if (meta->mask & FAN_Q_OVERFLOW)
		write_gen_bump_all();
	if (meta->fd < 0)
		return;
	/*
	 * Before any later event is answered or queued: a file written through a
	 * mapping on tmpfs keeps its times, and its last writer's close is all
	 * that says so.  The inode's cached attributes, as the fast answers read
	 * them: no filesystem is asked (a FUSE server could make it wait).
	 */
	if (meta->mask & FAN_CLOSE_WRITE) {
		struct statx stx;

		if (statx(meta->fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_INO, &stx) == 0)
			write_gen_bump(makedev(stx.stx_dev_major, stx.stx_dev_minor), stx.stx_ino);
		else
			write_gen_bump_all();
	}
	if (!(meta->mask & PERM_EVENTS)) {
		close(meta->fd);
		return;
	}
	/* Outside the lock: the classifier makes a system call. */
	facts.labelled = meta->pid != gate.self &&
			 gate.config.classify(meta->pid, &event.contid, gate.config.ctx);
	event.strict = facts.labelled && guard_strict(&event);
	/* Outside the lock as well; a container's open that needs no judge skips the queue. */
	if (facts.labelled && gate.config.fast && !guard_wants(&event) &&
	    gate.config.fast(&event, gate.config.ctx)) {
		bool written = answer_closed(meta->fd, true);

		pthread_mutex_lock(&gate.lock);
		gate.stats.events++;
		gate.stats.fast++;
		gate.stats.write_fail += !written;
		pthread_mutex_unlock(&gate.lock);
		return;
	}
	/* Outside the lock too: map lookups. */
	owner = facts.labelled && gate.config.owner
			? gate.config.owner(event.contid, gate.config.ctx)
			: event.contid;
	pthread_mutex_lock(&gate.lock);
	gate.stats.events++;
	gate.stats.opens += (meta->mask & FAN_OPEN_PERM) != 0;
	facts.pending = gate.pending;
	facts.pending_max = gate.config.pending_max;
	facts.container_pending = facts.labelled ? container_pending_locked(owner) : 0;
	facts.container_max = gate.config.container_max;
	switch (gate_route(&facts)) {
	case GATE_ROUTE_SELF:
		gate.stats.write_fail += !answer_closed(meta->fd, true);
		gate.stats.own++;
		break;
	case GATE_ROUTE_HOST:
		gate.stats.write_fail += !answer_closed(meta->fd, true);
		gate.stats.host++;
		break;
	case GATE_ROUTE_BUSY:
		answer(meta->fd, fail_answer(&event));
		gate.stats.busy++;
		close(meta->fd);
		break;
	case GATE_ROUTE_JUDGE:
		if (!gate.stopping) {
			queue_locked(&event, owner);
			break;
		}
		/* Read while the gate stops: its judges may be gone already. */
		answer(meta->fd, fail_answer(&event));
		gate.stats.late++;
		close(meta->fd);
		break;
	}
	pthread_mutex_unlock(&gate.lock);
}

/* Reads what the group holds; false once it is empty (or failed). */
static bool read_events(void)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	const struct fanotify_event_metadata *meta = (const void *)buf;
	ssize_t len = read(gate.fan_fd, buf, sizeof(buf));

	if (len <= 0)
		return false;
	for (; FAN_EVENT_OK(meta, len); meta = FAN_EVENT_NEXT(meta, len)) {
		/* A metadata layout this build does not know carries no fd it can answer. */
		if (meta->vers != FANOTIFY_METADATA_VERSION)
			return false;
		handle(meta);
	}
	return true;
}

/*
 * The reader thread alone runs a little above canisterd (why: reader_nice.h).
 * Nice values are per thread on Linux: PRIO_PROCESS with a thread id sets that
 * thread's.  Failing leaves the reader as it was, and status says why.
 */
static void reader_priority(void)
{
	pid_t tid = gettid();
	int now, want, r = 0;

	errno = 0;
	now = getpriority(PRIO_PROCESS, tid);
	if (now == -1 && errno) {
		r = -errno;
		pthread_mutex_lock(&gate.lock);
		snprintf(gate.reader_detail, sizeof(gate.reader_detail),
			 "as canisterd: its nice value cannot be read: %s", strerror(-r));
		pthread_mutex_unlock(&gate.lock);
		return;
	}
	want = reader_nice_of(now);
	if (want != now && setpriority(PRIO_PROCESS, tid, want) < 0)
		r = -errno;
	pthread_mutex_lock(&gate.lock);
	reader_nice_describe(r, now, r < 0 ? now : want, gate.reader_detail,
			     sizeof(gate.reader_detail));
	pthread_mutex_unlock(&gate.lock);
}

static void *reader_main(void *unused)
{
	static unsigned int late[GATE_PENDING_MAX];

	(void)unused;
	reader_priority();
	for (;;) {
		struct pollfd fds[2] = { { .fd = gate.fan_fd, .events = POLLIN },
					 { .fd = gate.wake_fd, .events = POLLIN } };
		unsigned int late_count;
		int timeout;

		pthread_mutex_lock(&gate.lock);
		if (gate.stopping) {
			pthread_mutex_unlock(&gate.lock);
			break;
		}
		timeout = expire_locked(late, &late_count);
		pthread_mutex_unlock(&gate.lock);
		if (late_count) {
			late_answer(late, late_count);
			/* Another deadline may have passed while the ids were read. */
			continue;
		}
		if (poll(fds, 2, timeout) < 0)
			continue;
		if (fds[1].revents & POLLIN) {
			uint64_t count;

			if (read(gate.wake_fd, &count, sizeof(count)) < 0)
				continue;
		}
		if (fds[0].revents & POLLIN)
			read_events();
	}
	return NULL;
}

static void *worker_main(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&gate.lock);
	for (;;) {
		struct gate_event event;
		struct job *job;
		bool allow, late;
		int slot;

		/*
		 * The next container's turn among those below their share of the
		 * judges: one whose files stall its judges waits for its own.
		 */
		while ((slot = gate_share_pop(&gate.share)) < 0 && !gate.stopping)
			pthread_cond_wait(&gate.work, &gate.lock);
		/*
		 * Stopping with none to take: a container's queued events left wait
		 * for its judges, which take them when they return.
		 */
		if (slot < 0)
			break;
		job = &gate.jobs[slot];
		/*
		 * Answered by its deadline while it waited for a judge: judged all the
		 * same, as an event a judge was slow on is, so that a file the fail
		 * policy let run is measured and what a guard refuses is recorded
		 * (its verdict comes too late to matter).  Whether a judge had taken
		 * it in time must not decide what the lists say.  A stopping gate
		 * judges nothing more: its judges may be gone.
		 */
		if (job->answered && gate.stopping) {
			gate_share_done(&gate.share, slot);
			job_release(job);
			continue;
		}
		late = job->answered;
		job->state = JOB_JUDGING;
		event = job->event;
		pthread_mutex_unlock(&gate.lock);
		allow = judge(&event);
		pthread_mutex_lock(&gate.lock);
		if (job->answered) {
			/* Counted stuck when its deadline found it judging. */
			if (!late)
				gate.stats.stuck--;
		} else {
			job_answer(job, allow, &gate.stats.judged);
			gate.stats.denied += !allow;
		}
		gate_share_done(&gate.share, slot);
		job_release(job);
	}
	pthread_mutex_unlock(&gate.lock);
	return NULL;
}

static int config_check(const struct gate_config *config, char *why, size_t why_len)
{
	if (!config->classify || !config->judge) {
		snprintf(why, why_len, "the file gate needs a classifier and a judge");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < GATE_GUARDS_MAX && config->guards[i]; i++)
		if (!config->guards[i]->judge || !config->guards[i]->wants) {
			snprintf(why, why_len, "a file gate's guard needs a judge and a wants");
			return -EINVAL;
		}
	if (config->workers < 1 || config->workers > GATE_WORKERS_MAX || config->pending_max < 1 ||
	    config->pending_max > GATE_PENDING_MAX || config->container_max < 1 ||
	    config->container_judges < 1 || config->container_judges > config->workers ||
	    config->deadline_ms < 1) {
		snprintf(why, why_len,
			 "file gate: workers %u (1..%d), pending %u (1..%d), per container %u "
			 "(at least 1), judges per container %u (1..workers), deadline %u ms "
			 "(at least 1)",
			 config->workers, GATE_WORKERS_MAX, config->pending_max, GATE_PENDING_MAX,
			 config->container_max, config->container_judges, config->deadline_ms);
		return -EINVAL;
	}
	return 0;
}

static int start_threads(char *why, size_t why_len)
{
	sigset_t all, old;
	int r;

	/* Signals are the main loop's (signalfd); these threads take none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&gate.reader, NULL, reader_main, NULL);
	gate.reader_started = r == 0;
	for (unsigned int i = 0; r == 0 && i < gate.config.workers; i++) {
		r = -pthread_create(&gate.workers[i], NULL, worker_main, NULL);
		gate.workers_started += r == 0;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		snprintf(why, why_len, "cannot start the file gate's threads: %s", strerror(-r));
	return r;
}

int gate_start(const struct gate_config *config, char *why, size_t why_len)
{
	pthread_condattr_t attr;
	int r;

	r = config_check(config, why, why_len);
	if (r < 0)
		return r;
	if (gate.left_behind) {
		snprintf(why, why_len,
			 "%u judges of the last file gate are still reading a file; the gate "
			 "starts again with canisterd",
			 gate.left_behind);
		return -EBUSY;
	}
	/*
	 * An unlimited queue: when a bounded one overflows, fanotify drops the
	 * permission event and lets the open through.  The queue stays bounded
	 * all the same: each event holds its opener until it is answered.
	 */
	gate.fan_fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK |
					    FAN_UNLIMITED_QUEUE | FAN_UNLIMITED_MARKS,
				    O_RDONLY | O_LARGEFILE | O_CLOEXEC);
	if (gate.fan_fd < 0) {
		r = -errno;
		snprintf(why, why_len, "fanotify_init for the file gate: %s", strerror(-r));
		return r;
	}
	gate.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (gate.wake_fd < 0) {
		r = -errno;
		snprintf(why, why_len, "eventfd for the file gate: %s", strerror(-r));
		close(gate.fan_fd);
		gate.fan_fd = -1;
		return r;
	}
	gate.config = *config;
	gate.self = getpid();
	gate.stopping = false;
	gate.pending = 0;
	gate_share_init(&gate.share, config->container_judges);
	memset(&gate.stats, 0, sizeof(gate.stats));
	gate.reader_detail[0] = '\0';
	memset(gate.jobs, 0, sizeof(gate.jobs));
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&gate.work, &attr);
	pthread_cond_init(&gate.released, &attr);
	pthread_condattr_destroy(&attr);
	r = start_threads(why, why_len);
	if (r < 0)
		gate_stop();
	return r;
}

/* The mask marks ask for now; the wish changes on the main loop, read elsewhere too. */
static uint64_t mark_mask(void)
{
	bool file_check;

	pthread_mutex_lock(&gate.lock);
	file_check = gate.config.file_check;
	pthread_mutex_unlock(&gate.lock);
	/* FAN_CLOSE_WRITE moves the write generations (write_gen.h). */
	return FAN_OPEN_EXEC_PERM | FAN_CLOSE_WRITE | (file_check ? FAN_OPEN_PERM : 0);
}

int gate_mark(const char *path, char *why, size_t why_len)
{
	uint64_t mask = mark_mask();

	if (fanotify_mark(gate.fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD, path)) {
		int r = -errno;

		snprintf(why, why_len, "cannot watch the filesystem of %s: %s", path, strerror(-r));
		return r;
	}
	pthread_mutex_lock(&gate.lock);
	gate.stats.marks++;
	pthread_mutex_unlock(&gate.lock);
	return 0;
}

int gate_mark_group(uint64_t *ret_mask)
{
	*ret_mask = mark_mask();
	return gate.fan_fd >= 0 ? gate.fan_fd : -EBADF;
}

bool gate_set_file_check(bool on)
{
	bool changed;

	pthread_mutex_lock(&gate.lock);
	changed = gate.config.file_check != on;
	gate.config.file_check = on;
	pthread_mutex_unlock(&gate.lock);
	return changed;
}

bool gate_file_check(void)
{
	return mark_mask() & FAN_OPEN_PERM;
}

void gate_count_marks(unsigned int marked)
{
	pthread_mutex_lock(&gate.lock);
	gate.stats.marks += marked;
	pthread_mutex_unlock(&gate.lock);
}

/* Waits until no judge holds an event, or @ms passed; true when none does. */
static bool judges_done(unsigned int ms)
{
	struct timespec at;
	bool done;

	clock_gettime(CLOCK_MONOTONIC, &at);
	timespec_add_ms(&at, ms);
	pthread_mutex_lock(&gate.lock);
	while (gate.pending && pthread_cond_timedwait(&gate.released, &gate.lock, &at) != ETIMEDOUT)
		;
	done = gate.pending == 0;
	pthread_mutex_unlock(&gate.lock);
	return done;
}

bool gate_stop(void)
{
	uint64_t one = 1;
	bool done;

	if (gate.fan_fd < 0)
		return gate.left_behind == 0;
	/* No new event from here on; those already queued in the group are read below. */
	fanotify_mark(gate.fan_fd, FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, 0, AT_FDCWD, NULL);
	pthread_mutex_lock(&gate.lock);
	gate.stopping = true;
	for (unsigned int i = 0; i < GATE_PENDING_MAX; i++)
		if (gate.jobs[i].state != JOB_FREE && !gate.jobs[i].answered)
			job_answer(&gate.jobs[i], fail_answer(&gate.jobs[i].event),
				   &gate.stats.late);
	pthread_cond_broadcast(&gate.work);
	pthread_mutex_unlock(&gate.lock);
	if (gate.reader_started) {
		/* An eventfd write fails only on overflow, which wakes poll all the same. */
		(void)!write(gate.wake_fd, &one, sizeof(one));
		pthread_join(gate.reader, NULL);
		gate.reader_started = false;
	}
	/* What the group still held: the stopping gate routes as before, judges nothing. */
	while (read_events())
		;
	pthread_mutex_lock(&gate.lock);
	for (unsigned int i = 0; i < GATE_PENDING_MAX; i++)
		if (gate.jobs[i].state != JOB_FREE && !gate.jobs[i].answered)
			job_answer(&gate.jobs[i], fail_answer(&gate.jobs[i].event),
				   &gate.stats.late);
	pthread_cond_broadcast(&gate.work);
	pthread_mutex_unlock(&gate.lock);
	done = judges_done(STOP_WAIT_MS);
	for (unsigned int i = 0; i < gate.workers_started; i++) {
		if (done)
			pthread_join(gate.workers[i], NULL);
		else
			pthread_detach(gate.workers[i]);
	}
	if (!done)
		gate.left_behind = gate.workers_started;
	gate.workers_started = 0;
	close(gate.wake_fd);
	gate.wake_fd = -1;
	/*
	 * Every event is answered, so a judge left behind writes no answer when
	 * it returns (it only closes its file): the group can go, and with it
	 * any event the kernel still held for it.
	 */
	close(gate.fan_fd);
	gate.fan_fd = -1;
	return done;
}

void gate_reader_detail(char *detail, size_t detail_len)
{
	pthread_mutex_lock(&gate.lock);
	snprintf(detail, detail_len, "%s",
		 gate.reader_detail[0] ? gate.reader_detail : "not started");
	pthread_mutex_unlock(&gate.lock);
}

void gate_stats(struct gate_stats *ret)
{
	pthread_mutex_lock(&gate.lock);
	*ret = gate.stats;
	pthread_mutex_unlock(&gate.lock);
}
