// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: each container's behaviour domain: its model and its mode (learn, seal, enforce). */
#include "model/domains.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct domain {
	uint64_t contid;
	pthread_mutex_t lock; /* everything below */
	struct canister_model *model;
	enum model_mode mode;
	struct model_domain_counts counts;
	uint64_t generation, saved; /* moved by every change; what the store wrote */
	bool has_init;		    /* made with its runtime's init (runtime_init.h) */
	struct model_runtime_init init;
	uint64_t ended_ms; /* when its container was first seen ended; 0: live */
};

/*
 * Sorted by contid, so that the gate's reader finds a container in log2(n)
 * steps.  The table's lock is a read-write lock: the reader and the judges
 * only read it, and a domain is added rarely (a control request).
 */
static struct {
	pthread_rwlock_t lock;
	struct domain **by_contid;
	size_t count;
} domains = { .lock = PTHREAD_RWLOCK_INITIALIZER };

/* Told each step of every domain's measurement (model_domains_on_step()); NULL: nobody. */
static void (*on_step)(uint64_t contid, const uint8_t step[CANISTER_MODEL_DIGEST_SIZE],
		       const uint8_t step_sha1[CANISTER_MODEL_SHA1_SIZE]);

void model_domains_on_step(void (*fn)(uint64_t contid,
				      const uint8_t step[CANISTER_MODEL_DIGEST_SIZE],
				      const uint8_t step_sha1[CANISTER_MODEL_SHA1_SIZE]))
{
	__atomic_store_n(&on_step, fn, __ATOMIC_RELEASE);
}

/*
 * @digest's step of @domain's measurement told: SHA-256(base || digest),
 * what model_extend() folds in and TSEM extends its TPM with, and SHA-1 of
 * the same bytes for the TPM's sha1 bank (as IMA hashes its template for
 * each bank).  Domain lock held, so that steps are told in the
 * measurement's order.  A step that cannot be hashed is told as zeros: the
 * TPM then differs from the measurement, as it must, since the step was
 * not computed.
 */
static void tell_step(const struct domain *domain, const uint8_t *digest)
{
	void (*fn)(uint64_t contid, const uint8_t step[CANISTER_MODEL_DIGEST_SIZE],
		   const uint8_t step_sha1[CANISTER_MODEL_SHA1_SIZE]) =
		__atomic_load_n(&on_step, __ATOMIC_ACQUIRE);
	uint8_t base[CANISTER_MODEL_DIGEST_SIZE], step[CANISTER_MODEL_DIGEST_SIZE],
		step_sha1[CANISTER_MODEL_SHA1_SIZE];

	if (!fn)
		return;
	canister_model_base(domain->model, base);
	if (model_sha256(base, sizeof(base), digest, CANISTER_MODEL_DIGEST_SIZE, step) < 0)
		memset(step, 0, sizeof(step));
	if (model_sha1(base, sizeof(base), digest, CANISTER_MODEL_DIGEST_SIZE, step_sha1) < 0)
		memset(step_sha1, 0, sizeof(step_sha1));
	fn(domain->contid, step, step_sha1);
}

/* Every step of a new domain's measurement so far: its aggregate, then each point in order. */
static void tell_all_steps(const struct domain *domain)
{
	uint8_t aggregate[CANISTER_MODEL_DIGEST_SIZE];

	canister_model_aggregate(domain->model, aggregate);
	tell_step(domain, aggregate);
	for (size_t i = 0; i < canister_model_points(domain->model); i++)
		tell_step(domain, canister_model_point(domain->model, i)->coefficient);
}

/* The index @contid has, or would have; table lock held. */
static size_t position_locked(uint64_t contid)
{
	size_t low = 0, high = domains.count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (domains.by_contid[mid]->contid < contid)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/*
 * @contid's domain, locked; NULL when it has none.  Locked before the table
 * is let go: a domain is freed (model_domains_free()) only once it is out of
 * the table and its lock is free, so a domain found here stays valid until
 * its lock is released.
 */
static struct domain *lock_found(uint64_t contid)
{
	struct domain *found = NULL;
	size_t at;

	pthread_rwlock_rdlock(&domains.lock);
	at = position_locked(contid);
	if (at < domains.count && domains.by_contid[at]->contid == contid) {
		found = domains.by_contid[at];
		pthread_mutex_lock(&found->lock);
	}
	pthread_rwlock_unlock(&domains.lock);
	return found;
}

int model_domains_add(uint64_t contid, struct canister_model *model, enum model_mode mode,
		      const struct model_runtime_init *init)
{
	struct domain *domain, **grown;
	bool fresh = !model;
	size_t at;

	if (!model_mode_name(mode))
		return -EINVAL;
	domain = calloc(1, sizeof(*domain));
	if (!domain)
		return -ENOMEM;
	if (fresh)
		model = canister_model_new(NULL, NULL);
	if (!model) {
		free(domain);
		return -ENOMEM;
	}
	if (mode != MODEL_MODE_LEARN)
		canister_model_seal(model);
	pthread_mutex_init(&domain->lock, NULL);
	domain->contid = contid;
	domain->model = model;
	domain->mode = mode;
	domain->generation = 1;
	if (init) {
		domain->has_init = true;
		domain->init = *init;
	}
	/* Held until its steps so far are told: a judge that finds it tells later ones after. */
	pthread_mutex_lock(&domain->lock);
	pthread_rwlock_wrlock(&domains.lock);
	at = position_locked(contid);
	if (at < domains.count && domains.by_contid[at]->contid == contid) {
		pthread_rwlock_unlock(&domains.lock);
		goto refuse_busy;
	}
	if (domains.count >= MODEL_DOMAINS_MAX) {
		pthread_rwlock_unlock(&domains.lock);
		pthread_mutex_unlock(&domain->lock);
		if (fresh)
			canister_model_free(model);
		free(domain);
		return -E2BIG;
	}
	grown = realloc(domains.by_contid, (domains.count + 1) * sizeof(*grown));
	if (!grown) {
		pthread_rwlock_unlock(&domains.lock);
		pthread_mutex_unlock(&domain->lock);
		if (fresh)
			canister_model_free(model);
		free(domain);
		return -ENOMEM;
	}
	domains.by_contid = grown;
	memmove(&grown[at + 1], &grown[at], (domains.count - at) * sizeof(*grown));
	grown[at] = domain;
	domains.count++;
	pthread_rwlock_unlock(&domains.lock);
	tell_all_steps(domain);
	pthread_mutex_unlock(&domain->lock);
	return 0;

refuse_busy:
	pthread_mutex_unlock(&domain->lock);
	if (fresh)
		canister_model_free(model);
	free(domain);
	return -EBUSY;
}

/* @contid's domain, locked, when it was made with its runtime's init; else NULL. */
static struct domain *lock_with_init(uint64_t contid)
{
	struct domain *domain = lock_found(contid);

	if (!domain)
		return NULL;
	if (domain->has_init)
		return domain;
	pthread_mutex_unlock(&domain->lock);
	return NULL;
}

int model_domains_init_copy(uint64_t contid, struct model_runtime_init *ret)
{
	struct domain *domain = lock_with_init(contid);

	if (!domain)
		return -ENOENT;
	*ret = domain->init;
	pthread_mutex_unlock(&domain->lock);
	return 0;
}

int model_domains_init_tgid(uint64_t contid, pid_t *ret_tgid)
{
	struct domain *domain = lock_with_init(contid);
	int r = -ENOENT;

	if (!domain)
		return -ENOENT;
	if (!domain->init.over_monotonic_ns) {
		*ret_tgid = domain->init.tgid;
		r = 0;
	}
	pthread_mutex_unlock(&domain->lock);
	return r;
}

bool model_domains_init_gate(uint64_t contid, pid_t tgid, uint64_t start_time, uint64_t exe_dev,
			     uint64_t exe_ino, bool exec, uint64_t file_dev, uint64_t file_ino,
			     uint64_t now_ns)
{
	struct domain *domain = lock_with_init(contid);
	struct model_runtime_init before;
	bool exempt;

	if (!domain)
		return false;
	before = domain->init;
	exempt = model_runtime_init_gate(&domain->init, tgid, start_time, exe_dev, exe_ino, exec,
					 file_dev, file_ino, now_ns);
	/* Kept with the domain (store.c): a restart neither loses the end nor reopens it. */
	if (before.executed != domain->init.executed ||
	    before.over_monotonic_ns != domain->init.over_monotonic_ns)
		domain->generation++;
	pthread_mutex_unlock(&domain->lock);
	return exempt;
}

bool model_domains_init_observed(uint64_t contid, pid_t tgid, uint64_t exe_dev, uint64_t exe_ino,
				 uint64_t ktime_ns)
{
	struct domain *domain = lock_with_init(contid);
	bool exempt;

	if (!domain)
		return false;
	exempt = model_runtime_init_observed(&domain->init, tgid, exe_dev, exe_ino, ktime_ns);
	pthread_mutex_unlock(&domain->lock);
	return exempt;
}

int model_domains_mode(uint64_t contid, enum model_mode *ret_mode)
{
	struct domain *domain = lock_found(contid);

	if (!domain)
		return -ENOENT;
	*ret_mode = domain->mode;
	pthread_mutex_unlock(&domain->lock);
	return 0;
}

size_t model_domains_count(size_t ret_by_mode[3])
{
	size_t n;

	if (ret_by_mode)
		memset(ret_by_mode, 0, 3 * sizeof(*ret_by_mode));
	pthread_rwlock_rdlock(&domains.lock);
	n = domains.count;
	for (size_t i = 0; ret_by_mode && i < n; i++) {
		struct domain *domain = domains.by_contid[i];

		pthread_mutex_lock(&domain->lock);
		ret_by_mode[domain->mode]++;
		pthread_mutex_unlock(&domain->lock);
	}
	pthread_rwlock_unlock(&domains.lock);
	return n;
}

int model_domains_advance(uint64_t contid, enum model_mode to, char *why, size_t why_len)
{
	struct domain *domain = lock_found(contid);
	int r;

	if (!domain)
		return -ENOENT;
	r = model_mode_advance(domain->mode, to, why, why_len);
	if (r == 0) {
		domain->mode = to;
		canister_model_seal(domain->model);
		domain->generation++;
	}
	pthread_mutex_unlock(&domain->lock);
	return r;
}

int model_domains_observe(uint64_t contid, const uint8_t *coefficient, int coefficient_error,
			  const char *description, bool synchronous, struct model_judgement *ret,
			  enum model_mode *ret_mode)
{
	enum canister_model_verdict verdict = CANISTER_MODEL_KNOWN;
	struct domain *domain = lock_found(contid);
	int observed = coefficient_error;
	size_t points;

	if (!domain)
		return -ENOENT;
	points = canister_model_points(domain->model);
	if (observed == 0)
		observed =
			canister_model_observe(domain->model, coefficient, description, &verdict);
	/* A new point, learned or forensic, is a step of the measurement. */
	if (canister_model_points(domain->model) > points)
		tell_step(domain, coefficient);
	model_judge(domain->mode, observed, verdict, synchronous, ret);
	domain->counts.events++;
	domain->counts.forensic += ret->forensic;
	domain->counts.denied += !ret->allow;
	domain->counts.unlearned += ret->unlearned;
	/* Only a learned coefficient is kept on disk: forensics are the log's (docs/model.md). */
	if (observed == 0 && verdict == CANISTER_MODEL_NEW)
		domain->generation++;
	*ret_mode = domain->mode;
	pthread_mutex_unlock(&domain->lock);
	return 0;
}

void model_domains_count_observed(uint64_t contid, unsigned int task_id_misses, bool dropped)
{
	struct domain *domain = lock_found(contid);

	if (!domain)
		return;
	domain->counts.task_id_misses += task_id_misses;
	domain->counts.observed_dropped += dropped;
	pthread_mutex_unlock(&domain->lock);
}

void model_domains_count_untrusted(uint64_t contid)
{
	struct domain *domain = lock_found(contid);

	if (!domain)
		return;
	domain->counts.untrusted_marked++;
	pthread_mutex_unlock(&domain->lock);
}

int model_domains_with(uint64_t contid,
		       int (*fn)(const struct canister_model *model, enum model_mode mode,
				 const struct model_domain_counts *counts, void *data),
		       void *data)
{
	struct domain *domain = lock_found(contid);
	int r;

	if (!domain)
		return -ENOENT;
	r = fn(domain->model, domain->mode, &domain->counts, data);
	pthread_mutex_unlock(&domain->lock);
	return r;
}

int model_domains_file_digest(uint64_t contid, const char *path, const uint8_t *content,
			      uint8_t *ret_digest)
{
	struct domain *domain = lock_found(contid);
	int r;

	if (!domain)
		return -ENOENT;
	r = canister_model_file_digest(domain->model, path, content, ret_digest);
	pthread_mutex_unlock(&domain->lock);
	return r;
}

size_t model_domains_dirty(uint64_t *ret_contids, uint64_t *ret_generations, size_t max)
{
	size_t n = 0;

	pthread_rwlock_rdlock(&domains.lock);
	for (size_t i = 0; i < domains.count && n < max; i++) {
		struct domain *domain = domains.by_contid[i];

		pthread_mutex_lock(&domain->lock);
		if (domain->generation != domain->saved) {
			ret_contids[n] = domain->contid;
			ret_generations[n] = domain->generation;
			n++;
		}
		pthread_mutex_unlock(&domain->lock);
	}
	pthread_rwlock_unlock(&domains.lock);
	return n;
}

void model_domains_saved(uint64_t contid, uint64_t generation)
{
	struct domain *domain = lock_found(contid);

	if (!domain)
		return;
	domain->saved = generation;
	pthread_mutex_unlock(&domain->lock);
}

size_t model_domains_list(uint64_t *ret_contids, size_t max)
{
	size_t n;

	pthread_rwlock_rdlock(&domains.lock);
	n = domains.count < max ? domains.count : max;
	for (size_t i = 0; i < n; i++)
		ret_contids[i] = domains.by_contid[i]->contid;
	pthread_rwlock_unlock(&domains.lock);
	return n;
}

void model_domains_totals(struct model_domain_counts *ret)
{
	memset(ret, 0, sizeof(*ret));
	pthread_rwlock_rdlock(&domains.lock);
	for (size_t i = 0; i < domains.count; i++) {
		struct domain *domain = domains.by_contid[i];

		pthread_mutex_lock(&domain->lock);
		ret->events += domain->counts.events;
		ret->forensic += domain->counts.forensic;
		ret->denied += domain->counts.denied;
		ret->unlearned += domain->counts.unlearned;
		pthread_mutex_unlock(&domain->lock);
	}
	pthread_rwlock_unlock(&domains.lock);
}

void model_domains_set_ended(uint64_t contid, uint64_t now_ms)
{
	struct domain *domain = lock_found(contid);

	if (!domain)
		return;
	if (!now_ms || !domain->ended_ms)
		domain->ended_ms = now_ms;
	pthread_mutex_unlock(&domain->lock);
}

size_t model_domains_ended(struct model_ended *ret, size_t max)
{
	size_t n = 0;

	pthread_rwlock_rdlock(&domains.lock);
	for (size_t i = 0; i < domains.count && n < max; i++) {
		struct domain *domain = domains.by_contid[i];

		pthread_mutex_lock(&domain->lock);
		if (domain->ended_ms)
			ret[n++] = (struct model_ended){
				.contid = domain->contid,
				.ended_ms = domain->ended_ms,
				.saved = domain->generation == domain->saved,
			};
		pthread_mutex_unlock(&domain->lock);
	}
	pthread_rwlock_unlock(&domains.lock);
	return n;
}

int model_domains_free(uint64_t contid)
{
	struct domain *domain;
	size_t at;

	pthread_rwlock_wrlock(&domains.lock);
	at = position_locked(contid);
	if (at >= domains.count || domains.by_contid[at]->contid != contid) {
		pthread_rwlock_unlock(&domains.lock);
		return -ENOENT;
	}
	domain = domains.by_contid[at];
	/* Whoever holds it found it before: it lets go, and nobody finds it after. */
	pthread_mutex_lock(&domain->lock);
	if (domain->generation != domain->saved) {
		pthread_mutex_unlock(&domain->lock);
		pthread_rwlock_unlock(&domains.lock);
		return -EBUSY;
	}
	memmove(&domains.by_contid[at], &domains.by_contid[at + 1],
		(domains.count - at - 1) * sizeof(*domains.by_contid));
	domains.count--;
	pthread_mutex_unlock(&domain->lock);
	pthread_rwlock_unlock(&domains.lock);
	canister_model_free(domain->model);
	pthread_mutex_destroy(&domain->lock);
	free(domain);
	return 0;
}

void model_domains_clear(void)
{
	pthread_rwlock_wrlock(&domains.lock);
	for (size_t i = 0; i < domains.count; i++) {
		canister_model_free(domains.by_contid[i]->model);
		pthread_mutex_destroy(&domains.by_contid[i]->lock);
		free(domains.by_contid[i]);
	}
	free(domains.by_contid);
	domains.by_contid = NULL;
	domains.count = 0;
	pthread_rwlock_unlock(&domains.lock);
}
