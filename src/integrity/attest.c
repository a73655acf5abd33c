// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd: each container's swtpm, extended with its list (PCR 10) and its behaviour model's
 * measurement (PCR 11) and quoted, from one helper thread.
 */
#include "integrity/attest.h"

#include "core/log.h"
#include "identity/identity.h"
#include "integrity/swtpm.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a new swtpm may take to listen (it is ~10 ms here). */
#define SWTPM_START_MS 2000
/* How long a stopping swtpm may take to save its state before SIGKILL. */
#define SWTPM_STOP_MS 1000
/* Ticks (100 ms) between sweeps for dropped containers. */
#define SWEEP_TICKS 10
/*
 * Test switch: every quote waits this long on the thread before the TPM is
 * asked, so that a quote outlives its caller's wait (docs/integrity.md).
 */
#define TEST_QUOTE_DELAY_ENV "CANISTERD_TEST_QUOTE_DELAY_MS"
#define TEST_QUOTE_DELAY_MAX 60000

/*
 * A quote's meeting point, held by its caller and by the thread (@refs, under
 * attest.lock): a caller that stops waiting drops its reference and leaves
 * the record to the thread, which answers into it and frees it last.
 */
struct quote_wait {
	uint8_t nonce[TPM_NONCE_MAX];
	size_t nonce_len;
	struct attest_quote result;
	char why[256];
	int r;
	bool done;
	unsigned int refs;
	struct timespec queued;
};

enum job_kind { JOB_EXTEND, JOB_EXTEND_MODEL, JOB_QUOTE, JOB_SWEEP, JOB_CHOOSE };

struct job {
	enum job_kind kind;
	uint64_t contid;
	uint8_t sha1[20];
	uint8_t sha256[32]; /* with @sha1: JOB_EXTEND's PCR 10, JOB_EXTEND_MODEL's PCR 11 */
	bool swtpm;	    /* JOB_CHOOSE */
	struct quote_wait *quote;
	struct job *next;
};

/* The thread's own: only it reads or writes these, so they need no lock. */
struct attested {
	uint64_t contid;
	pid_t pid;
	struct tpm *tpm;
	bool started;		/* its swtpm was started (and, unless @failed, is connected) */
	bool none;		/* the container was given no TPM: nothing is started for it */
	bool failed;		/* its swtpm did not start or refused an extend: @why */
	bool dropped;		/* the container is gone and so is its swtpm */
	uint64_t extends;	/* of PCR 10 */
	uint64_t model_extends; /* of PCR 11 */
	char why[256];
	struct attested *next;
};

/*
 * One thread does every TPM call: an ESAPI context is not for two threads,
 * and one FIFO keeps each container's extends in list order with its quotes
 * after them.  The judges only queue (a malloc under @lock).
 */
static struct {
	bool on;
	char dir[CANISTER_CONFIG_PATH_MAX];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	struct job *head, *tail;
	bool stopping;
	uint64_t lost; /* extends never queued (no memory): quotes are refused from then on */
	unsigned int ticks;
	unsigned int test_quote_delay_ms; /* CANISTERD_TEST_QUOTE_DELAY_MS; 0: off */
	struct attested *containers;
} attest = { .lock = PTHREAD_MUTEX_INITIALIZER,
	     .work = PTHREAD_COND_INITIALIZER,
	     .done = PTHREAD_COND_INITIALIZER };

static void push(struct job *job)
{
	job->next = NULL;
	if (attest.tail)
		attest.tail->next = job;
	else
		attest.head = job;
	attest.tail = job;
	pthread_cond_signal(&attest.work);
}

static struct attested *find(uint64_t contid)
{
	for (struct attested *a = attest.containers; a; a = a->next)
		if (a->contid == contid)
			return a;
	return NULL;
}

static double ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static struct attested *find_or_add(uint64_t contid)
{
	struct attested *a = find(contid);

	if (a)
		return a;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->contid = contid;
	a->next = attest.containers;
	attest.containers = a;
	return a;
}

/* The container's swtpm, started at its first job: its list was just created. */
static struct attested *get(uint64_t contid)
{
	char dir[CANISTER_CONFIG_PATH_MAX + 64], sock[CANISTER_CONFIG_PATH_MAX + 80],
		ak[CANISTER_CONFIG_PATH_MAX + 80];
	struct attested *a = find_or_add(contid);
	struct timespec start;
	int r;

	if (!a || a->started || a->none || a->dropped)
		return a;
	a->started = true;
	clock_gettime(CLOCK_MONOTONIC, &start);
	snprintf(dir, sizeof(dir), "%s/%" PRIu64 "/tpm", attest.dir, contid);
	snprintf(sock, sizeof(sock), "%s/" SWTPM_SOCKET, dir);
	snprintf(ak, sizeof(ak), "%s/ak.pem", dir);
	a->pid = swtpm_start(dir, SWTPM_START_MS, a->why, sizeof(a->why));
	if (a->pid < 0) {
		a->pid = 0;
		a->failed = true;
	} else {
		r = tpm_connect(sock, ak, &a->tpm, a->why, sizeof(a->why));
		if (r < 0)
			a->failed = true;
	}
	if (a->failed)
		log_error("integrity: container %" PRIu64 ": no TPM: %s", contid, a->why);
	else
		log_info("integrity: container %" PRIu64 ": swtpm %d started in %s, AK ready, "
			 "%.1f ms",
			 contid, (int)a->pid, dir, ms_since(&start));
	return a;
}

static void stop(struct attested *a)
{
	tpm_disconnect(a->tpm);
	a->tpm = NULL;
	swtpm_stop(a->pid, SWTPM_STOP_MS);
	a->pid = 0;
}

/*
 * The container's TPM choice, before its first exec: whatever swtpm it had
 * (its list's boot_aggregate extended) is stopped and forgotten, so that with
 * swtpm the next extend starts one afresh, PCR 10 cleared, and measure
 * queues the whole list again.
 */
static void run_choose(const struct job *job)
{
	struct attested *a = find_or_add(job->contid);

	if (!a) {
		pthread_mutex_lock(&attest.lock);
		attest.lost++;
		pthread_mutex_unlock(&attest.lock);
		log_error("integrity: container %" PRIu64 ": its TPM choice is lost (no memory); "
			  "no quote is given from now on",
			  job->contid);
		return;
	}
	if (a->dropped)
		return;
	if (a->pid)
		log_info("integrity: container %" PRIu64 ": swtpm %d stopped: its TPM is now %s",
			 a->contid, (int)a->pid, job->swtpm ? "a new swtpm" : "none");
	stop(a);
	a->started = false;
	a->failed = false;
	a->extends = 0;
	a->model_extends = 0;
	a->why[0] = '\0';
	a->none = !job->swtpm;
}

static void run_extend(const struct job *job)
{
	struct attested *a = get(job->contid);

	if (!a || a->none || a->failed || a->dropped)
		return;
	if (tpm_extend(a->tpm, job->sha1, job->sha256, a->why, sizeof(a->why)) < 0) {
		/* From here its PCR 10 no longer follows the list: no quote is given. */
		a->failed = true;
		log_error("integrity: container %" PRIu64 ": its TPM refused an extend: %s",
			  job->contid, a->why);
		return;
	}
	a->extends++;
}

static void run_extend_model(const struct job *job)
{
	struct attested *a = get(job->contid);

	if (!a || a->none || a->failed || a->dropped)
		return;
	if (tpm_extend_model(a->tpm, job->sha1, job->sha256, a->why, sizeof(a->why)) < 0) {
		/* From here its PCR 11 no longer follows the model: no quote is given. */
		a->failed = true;
		log_error("integrity: container %" PRIu64 ": its TPM refused a model extend: %s",
			  job->contid, a->why);
		return;
	}
	a->model_extends++;
}

static void run_quote(const struct job *job)
{
	struct quote_wait *q = job->quote;
	struct attested *a = get(job->contid);

	if (attest.test_quote_delay_ms) {
		struct timespec delay = { .tv_sec = attest.test_quote_delay_ms / 1000,
					  .tv_nsec = (long)(attest.test_quote_delay_ms % 1000) *
						     1000000 };

		while (nanosleep(&delay, &delay) < 0 && errno == EINTR)
			;
	}
	if (!a) {
		q->r = -ENOMEM;
	} else if (a->dropped) {
		q->r = -ENOENT;
	} else if (a->none) {
		q->r = -EOPNOTSUPP;
	} else if (a->failed) {
		snprintf(q->why, sizeof(q->why), "%s", a->why);
		q->r = -EIO;
	} else {
		q->r = tpm_quote(a->tpm, q->nonce, q->nonce_len, &q->result.quote, q->why,
				 sizeof(q->why));
		q->result.extends = a->extends;
		q->result.model_extends = a->model_extends;
	}
}

static void run_sweep(void)
{
	for (struct attested *a = attest.containers; a; a = a->next) {
		uint64_t parent;

		if (a->dropped || identity_parent(a->contid, &parent) != -ENOENT)
			continue;
		a->dropped = true;
		if (a->pid)
			log_info("integrity: container %" PRIu64 " dropped: its swtpm %d stopped",
				 a->contid, (int)a->pid);
		stop(a);
	}
}

/* The thread's part of a quote is done: its caller is told, or has gone.  Lock held. */
static void quote_answered(const struct job *job)
{
	struct quote_wait *q = job->quote;

	q->done = true;
	if (--q->refs > 0) {
		pthread_cond_broadcast(&attest.done);
		return;
	}
	/* Its caller stopped waiting: nobody reads the answer, and the thread frees it. */
	log_warning("integrity: container %" PRIu64 ": a quote was answered %.0f ms after it "
		    "was asked, after its caller stopped waiting; discarded",
		    job->contid, ms_since(&q->queued));
	free(q);
}

static void *attest_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&attest.lock);
	for (;;) {
		struct job *job;

		while (!attest.head && !attest.stopping)
			pthread_cond_wait(&attest.work, &attest.lock);
		if (!attest.head)
			break;
		job = attest.head;
		attest.head = job->next;
		if (!attest.head)
			attest.tail = NULL;
		pthread_mutex_unlock(&attest.lock);
		if (job->kind == JOB_EXTEND)
			run_extend(job);
		else if (job->kind == JOB_EXTEND_MODEL)
			run_extend_model(job);
		else if (job->kind == JOB_QUOTE)
			run_quote(job);
		else if (job->kind == JOB_CHOOSE)
			run_choose(job);
		else
			run_sweep();
		pthread_mutex_lock(&attest.lock);
		if (job->kind == JOB_QUOTE)
			quote_answered(job);
		free(job);
	}
	pthread_mutex_unlock(&attest.lock);
	while (attest.containers) {
		struct attested *a = attest.containers;

		attest.containers = a->next;
		stop(a);
		free(a);
	}
	return NULL;
}

/*
 * CANISTERD_TEST_QUOTE_DELAY_MS=N: each quote waits N ms on the thread, for
 * tests of a quote that outlives its caller.  Unset, empty or 0: off.
 * Anything else refuses the start rather than run with a switch nobody meant.
 */
static int read_test_quote_delay(char *why, size_t why_len)
{
	const char *text = getenv(TEST_QUOTE_DELAY_ENV);
	unsigned long ms;
	char *end;

	attest.test_quote_delay_ms = 0;
	if (!text || !text[0])
		return 0;
	errno = 0;
	ms = strtoul(text, &end, 10);
	if (errno || *end || text[0] == '-' || ms > TEST_QUOTE_DELAY_MAX) {
		snprintf(why, why_len, "%s=%s: not a delay in ms (0..%d; 0: off)",
			 TEST_QUOTE_DELAY_ENV, text, TEST_QUOTE_DELAY_MAX);
		return -EINVAL;
	}
	attest.test_quote_delay_ms = (unsigned int)ms;
	if (ms)
		log_warning("integrity: %s=%lu: test switch on: every quote waits %lu ms",
			    TEST_QUOTE_DELAY_ENV, ms, ms);
	return 0;
}

unsigned int attest_test_quote_delay_ms(void)
{
	return attest.test_quote_delay_ms;
}

int attest_open(const struct canister_config *config, char *why, size_t why_len)
{
	sigset_t all, old;
	int r;

	if (config->integrity_swtpm && !tpm_available()) {
		snprintf(why, why_len, "integrity_tpm = swtpm: %s", tpm_unavailable_reason());
		return -EOPNOTSUPP;
	}
	r = read_test_quote_delay(why, why_len);
	if (r < 0)
		return r;
	snprintf(attest.dir, sizeof(attest.dir), "%s", config->integrity_dir);
	attest.stopping = false;
	attest.lost = 0;
	attest.ticks = 0;
	/* Signals are the main loop's: the thread starts with all of them blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&attest.thread, NULL, attest_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		snprintf(why, why_len, "integrity_tpm: cannot start its thread: %s", strerror(r));
		return -r;
	}
	attest.on = true;
	return 0;
}

void attest_close(void)
{
	if (!attest.on)
		return;
	pthread_mutex_lock(&attest.lock);
	attest.stopping = true;
	pthread_cond_signal(&attest.work);
	pthread_mutex_unlock(&attest.lock);
	/* The queue drains first: a quote waiting is answered, every swtpm stops with its state. */
	pthread_join(attest.thread, NULL);
	attest.on = false;
}

/*
 * @job (NULL: calloc() failed) queued for the TPM thread; a lost job is
 * counted and said, @lost naming what it was: the swtpm then no longer
 * follows the list, so no quote is given.
 */
static void queue_job(struct job *job, uint64_t contid, const char *lost)
{
	pthread_mutex_lock(&attest.lock);
	if (!job) {
		attest.lost++;
		pthread_mutex_unlock(&attest.lock);
		log_error("integrity: container %" PRIu64 ": %s is lost (no memory); no quote is "
			  "given from now on",
			  contid, lost);
		return;
	}
	push(job);
	pthread_mutex_unlock(&attest.lock);
}

void attest_extend(uint64_t contid, const struct canister_ima_digests *digests)
{
	struct job *job;

	if (!attest.on)
		return;
	job = calloc(1, sizeof(*job));
	if (job) {
		job->kind = JOB_EXTEND;
		job->contid = contid;
		if (digests) {
			memcpy(job->sha1, digests->bank[CANISTER_IMA_BANK_SHA1], sizeof(job->sha1));
			memcpy(job->sha256, digests->bank[CANISTER_IMA_BANK_SHA256],
			       sizeof(job->sha256));
		} else {
			/* What IMA extends for a violation, in place of the zeros it lists. */
			memset(job->sha1, 0xff, sizeof(job->sha1));
			memset(job->sha256, 0xff, sizeof(job->sha256));
		}
	}
	queue_job(job, contid, "an extend of its TPM");
}

void attest_extend_model(uint64_t contid, const uint8_t *sha256, const uint8_t *sha1)
{
	struct job *job;

	if (!attest.on)
		return;
	job = sha256 ? calloc(1, sizeof(*job)) : NULL;
	if (job) {
		job->kind = JOB_EXTEND_MODEL;
		job->contid = contid;
		memcpy(job->sha256, sha256, sizeof(job->sha256));
		memcpy(job->sha1, sha1, sizeof(job->sha1));
	}
	queue_job(job, contid, "an extend of its TPM's PCR 11 (its model)");
}

void attest_choose(uint64_t contid, bool swtpm)
{
	struct job *job;

	if (!attest.on)
		return;
	job = calloc(1, sizeof(*job));
	if (job) {
		job->kind = JOB_CHOOSE;
		job->contid = contid;
		job->swtpm = swtpm;
	}
	queue_job(job, contid, "its TPM choice");
}

void attest_tick(void)
{
	struct job *job;

	if (!attest.on || ++attest.ticks < SWEEP_TICKS)
		return;
	attest.ticks = 0;
	job = calloc(1, sizeof(*job));
	if (!job)
		return;
	job->kind = JOB_SWEEP;
	pthread_mutex_lock(&attest.lock);
	push(job);
	pthread_mutex_unlock(&attest.lock);
}

int attest_quote(uint64_t contid, const uint8_t *nonce, size_t nonce_len, unsigned int wait_ms,
		 struct attest_quote *ret, char *why, size_t why_len)
{
	struct quote_wait *q;
	struct job *job;
	struct timespec deadline;
	int r = 0;

	if (!attest.on) {
		snprintf(why, why_len, "integrity is off");
		return -EOPNOTSUPP;
	}
	if (nonce_len < 1 || nonce_len > TPM_NONCE_MAX) {
		snprintf(why, why_len, "a nonce is 1 to %d bytes", TPM_NONCE_MAX);
		return -EINVAL;
	}
	q = calloc(1, sizeof(*q));
	job = calloc(1, sizeof(*job));
	if (!q || !job) {
		free(q);
		free(job);
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	memcpy(q->nonce, nonce, nonce_len);
	q->nonce_len = nonce_len;
	/* The caller's and the thread's: whichever lets go last frees it. */
	q->refs = 2;
	clock_gettime(CLOCK_MONOTONIC, &q->queued);
	job->kind = JOB_QUOTE;
	job->contid = contid;
	job->quote = q;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += wait_ms / 1000;
	deadline.tv_nsec += (long)(wait_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&attest.lock);
	if (attest.lost) {
		pthread_mutex_unlock(&attest.lock);
		free(q);
		free(job);
		snprintf(why, why_len,
			 "%" PRIu64 " extends were lost (no memory): the TPMs' "
			 "PCR 10 and 11 no longer follow the lists and models",
			 attest.lost);
		return -EIO;
	}
	push(job);
	while (!q->done && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&attest.done, &attest.lock, &deadline);
	if (!q->done) {
		/* The thread still holds the job: it answers into @q later, and frees it. */
		q->refs--;
		pthread_mutex_unlock(&attest.lock);
		snprintf(why, why_len, "no quote within %u ms (the TPM thread is busy)", wait_ms);
		return -ETIMEDOUT;
	}
	/* Done: the thread let go of @q before it woke this caller. */
	q->refs--;
	pthread_mutex_unlock(&attest.lock);
	r = q->r;
	if (r == 0)
		*ret = q->result;
	else if (r == -ENOENT)
		snprintf(why, why_len, "container %" PRIu64 " was dropped: its swtpm is gone",
			 contid);
	else if (r == -EOPNOTSUPP)
		snprintf(why, why_len, "container %" PRIu64 " has no TPM (integrity_tpm none)",
			 contid);
	else
		snprintf(why, why_len, "%s", q->why[0] ? q->why : strerror(-r));
	free(q);
	return r;
}
