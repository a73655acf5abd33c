// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: each container's swtpm, extended with its list and quoted, from one helper thread. */
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

struct quote_wait {
	uint8_t nonce[TPM_NONCE_MAX];
	size_t nonce_len;
	struct attest_quote result;
	char why[256];
	int r;
	bool done;
};

enum job_kind { JOB_EXTEND, JOB_QUOTE, JOB_SWEEP };

struct job {
	enum job_kind kind;
	uint64_t contid;
	uint8_t sha1[20];
	uint8_t sha256[32];
	struct quote_wait *quote;
	struct job *next;
};

/* The thread's own: only it reads or writes these, so they need no lock. */
struct attested {
	uint64_t contid;
	pid_t pid;
	struct tpm *tpm;
	bool failed;  /* its swtpm did not start or refused an extend: @why */
	bool dropped; /* the container is gone and so is its swtpm */
	uint64_t extends;
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
	struct attested *containers;
} attest = { .lock = PTHREAD_MUTEX_INITIALIZER,
	     .work = PTHREAD_COND_INITIALIZER,
	     .done = PTHREAD_COND_INITIALIZER };

bool attest_on(void)
{
	return attest.on;
}

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

/* The container's swtpm, started at its first job: its list was just created. */
static struct attested *get(uint64_t contid)
{
	char dir[CANISTER_CONFIG_PATH_MAX + 64], sock[CANISTER_CONFIG_PATH_MAX + 80],
		ak[CANISTER_CONFIG_PATH_MAX + 80];
	struct attested *a = find(contid);
	struct timespec start;
	int r;

	if (a)
		return a;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->contid = contid;
	a->next = attest.containers;
	attest.containers = a;
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

static void run_extend(const struct job *job)
{
	struct attested *a = get(job->contid);

	if (!a || a->failed || a->dropped)
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

static void run_quote(const struct job *job)
{
	struct quote_wait *q = job->quote;
	struct attested *a = get(job->contid);

	if (!a) {
		q->r = -ENOMEM;
	} else if (a->dropped) {
		q->r = -ENOENT;
	} else if (a->failed) {
		snprintf(q->why, sizeof(q->why), "%s", a->why);
		q->r = -EIO;
	} else {
		q->r = tpm_quote(a->tpm, q->nonce, q->nonce_len, &q->result.quote, q->why,
				 sizeof(q->why));
		q->result.extends = a->extends;
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
		else if (job->kind == JOB_QUOTE)
			run_quote(job);
		else
			run_sweep();
		pthread_mutex_lock(&attest.lock);
		if (job->kind == JOB_QUOTE) {
			/* The waiter owns the quote_wait, and frees it once done (or gave up). */
			job->quote->done = true;
			pthread_cond_broadcast(&attest.done);
		}
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

int attest_open(const struct canister_config *config, char *why, size_t why_len)
{
	sigset_t all, old;
	int r;

	if (!config->integrity_swtpm)
		return 0;
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

void attest_extend(uint64_t contid, const struct canister_ima_digests *digests)
{
	struct job *job;

	if (!attest.on)
		return;
	job = calloc(1, sizeof(*job));
	pthread_mutex_lock(&attest.lock);
	if (!job) {
		attest.lost++;
		pthread_mutex_unlock(&attest.lock);
		log_error("integrity: container %" PRIu64 ": an extend of its TPM is lost (no "
			  "memory); no quote is given from now on",
			  contid);
		return;
	}
	job->kind = JOB_EXTEND;
	job->contid = contid;
	if (digests) {
		memcpy(job->sha1, digests->bank[CANISTER_IMA_BANK_SHA1], sizeof(job->sha1));
		memcpy(job->sha256, digests->bank[CANISTER_IMA_BANK_SHA256], sizeof(job->sha256));
	} else {
		/* What IMA extends for a violation, in place of the zeros it lists. */
		memset(job->sha1, 0xff, sizeof(job->sha1));
		memset(job->sha256, 0xff, sizeof(job->sha256));
	}
	push(job);
	pthread_mutex_unlock(&attest.lock);
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
		snprintf(why, why_len,
			 "integrity_tpm is none (integrity_tpm = swtpm in "
			 "canister.conf gives each container a TPM)");
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
			 "PCR 10 no longer follow the lists",
			 attest.lost);
		return -EIO;
	}
	push(job);
	while (!q->done && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&attest.done, &attest.lock, &deadline);
	if (!q->done) {
		/* The thread still holds the job: it will mark a quote_wait no one frees. */
		pthread_mutex_unlock(&attest.lock);
		snprintf(why, why_len, "no quote within %u ms (the TPM thread is busy)", wait_ms);
		return -ETIMEDOUT;
	}
	pthread_mutex_unlock(&attest.lock);
	r = q->r;
	if (r == 0)
		*ret = q->result;
	else if (r == -ENOENT)
		snprintf(why, why_len, "container %" PRIu64 " was dropped: its swtpm is gone",
			 contid);
	else
		snprintf(why, why_len, "%s", q->why[0] ? q->why : strerror(-r));
	free(q);
	return r;
}
