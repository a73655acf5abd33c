// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the gate's appraisal of an exec or an open, at each level of the opener's chain. */
#include "integrity/appraise_judge.h"

#include "core/log.h"
#include "identity/identity.h"
#include "integrity/appraise.h"
#include "integrity/appraise_verdict.h"
#include "integrity/ima_template.h"
#include "integrity/ima_verify.h"
#include "integrity/measure.h"
#include "integrity/open_writers.h"
#include "integrity/records.h"
#include "integrity/write_gen.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>

/*
 * Verdicts are kept per container (a level's verdict is its keys' and its
 * rule's), each table bounded as the digest cache is: when full it forgets
 * and verifies again, which costs a read, never a wrong verdict.  Tables of
 * containers gone are not tracked: past TABLES_MAX all are dropped at once.
 */
#define VERDICTS_PER_CONTAINER 16384
#define TABLES_MAX 256

struct verdicts {
	uint64_t contid;
	struct integrity_file_digests table; /* file version -> appraise_cached_pack() */
	struct verdicts *next;
};

/* Judges run on the gate's workers: the tables and counters are under @lock, never held in a read.
 */
static struct {
	pthread_mutex_t lock;
	struct verdicts *containers;
	unsigned int count;
	bool fail_closed;
	struct appraise_judge_stats stats;
} judge = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void drop_all_locked(void)
{
	while (judge.containers) {
		struct verdicts *v = judge.containers;

		judge.containers = v->next;
		integrity_file_digests_free(&v->table);
		free(v);
	}
	judge.count = 0;
}

void appraise_judge_open(const struct canister_config *config)
{
	pthread_mutex_lock(&judge.lock);
	judge.fail_closed = config->integrity_fail_closed;
	memset(&judge.stats, 0, sizeof(judge.stats));
	pthread_mutex_unlock(&judge.lock);
}

void appraise_judge_close(void)
{
	pthread_mutex_lock(&judge.lock);
	drop_all_locked();
	pthread_mutex_unlock(&judge.lock);
}

/* @contid's table, made on first use; NULL without memory (then nothing is cached).  Lock held. */
static struct verdicts *verdicts_of(uint64_t contid)
{
	struct verdicts *v;

	for (v = judge.containers; v; v = v->next)
		if (v->contid == contid)
			return v;
	if (judge.count >= TABLES_MAX)
		drop_all_locked();
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->contid = contid;
	integrity_file_digests_init(&v->table, VERDICTS_PER_CONTAINER);
	v->next = judge.containers;
	judge.containers = v;
	judge.count++;
	return v;
}

static bool cached(uint64_t contid, const struct integrity_file_key *key,
		   const struct appraise_snapshot *snapshot, bool signature_required,
		   struct appraise_cached *ret)
{
	uint8_t value[INTEGRITY_SHA256_SIZE];
	struct verdicts *v;
	bool hit = false;

	pthread_mutex_lock(&judge.lock);
	v = verdicts_of(contid);
	if (v && integrity_file_digests_get(&v->table, key, value))
		hit = appraise_cached_unpack(value, snapshot->generation, signature_required, ret);
	judge.stats.cache_hits += hit;
	pthread_mutex_unlock(&judge.lock);
	return hit;
}

static void cache(uint64_t contid, const struct integrity_file_key *key,
		  const struct appraise_cached *verdict)
{
	uint8_t value[INTEGRITY_SHA256_SIZE];
	struct verdicts *v;

	appraise_cached_pack(verdict, value);
	pthread_mutex_lock(&judge.lock);
	v = verdicts_of(contid);
	/* No memory: the next exec verifies again. */
	if (v)
		(void)integrity_file_digests_put(&v->table, key, value);
	pthread_mutex_unlock(&judge.lock);
}

bool appraise_judge_wanted(const struct gate_event *event, const uint64_t *chain,
			   unsigned int depth)
{
	bool wanted = false;

	if (!(event->mask & (FAN_OPEN_EXEC_PERM | FAN_OPEN_PERM)))
		return false;
	for (unsigned int i = 0; !wanted && i < depth; i++) {
		struct appraise_snapshot *snapshot = appraise_get(chain[i]);

		wanted = snapshot->mode != CANISTER_APPRAISE_OFF;
		appraise_put(snapshot);
	}
	return wanted;
}

/* security.ima of the event's file, read once for every level that needs it. */
struct file_value {
	bool read;
	int error; /* 0, or the read's -errno (no value is not one) */
	uint8_t *bytes;
	size_t len;
};

static void value_read(int fd, struct file_value *value)
{
	int r;

	if (value->read)
		return;
	value->read = true;
	r = canister_ima_xattr_read(fd, &value->bytes, &value->len);
	/* A filesystem that keeps no xattrs holds no value: the file has none. */
	if (r == -ENODATA || r == -EOPNOTSUPP)
		r = 0;
	value->error = r;
}

static void record(const struct gate_event *event, const uint64_t *chain, unsigned int level,
		   unsigned int depth, const char *op, const char *cause, const char *reason,
		   enum canister_appraise_mode mode)
{
	static __thread char path[CANISTER_IMA_PATH_MAX + 1];

	measure_file_path(event->fd, path, sizeof(path));
	integrity_record_appraisal(chain + level, depth - level, event->pid, path, op, cause,
				   reason, canister_appraise_mode_name(mode));
	log_debug("integrity: container %" PRIu64 " (%s) refuses pid %d's %s of %s: %s (%s)",
		  chain[level], canister_appraise_mode_name(mode), event->pid,
		  event->mask & FAN_OPEN_EXEC_PERM ? "exec" : "open", path, cause, reason);
}

/*
 * A verdict on the file as it stands, for an opener whose own open asks for
 * write access (@writers OPEN_WRITERS_OPENER) or not: IMA's new file passes
 * (appraise_new_file()), a signed file is refused (appraise_signed_immutable(),
 * recorded).  Never cached: it is the opener's, not the file's.
 */
static enum appraise_outcome for_opener(const struct gate_event *event,
					const struct integrity_file_key *key, const uint64_t *chain,
					unsigned int level, unsigned int depth, int writers,
					enum canister_appraise_mode mode, bool pass,
					enum canister_ima_verdict_reason reason)
{
	bool opener_writes = writers == OPEN_WRITERS_OPENER;

	if (!pass)
		return appraise_new_file(reason, key->size, opener_writes) ? APPRAISE_PASSED
									   : APPRAISE_FAILED;
	if (!appraise_signed_immutable(reason, opener_writes))
		return APPRAISE_PASSED;
	record(event, chain, level, depth, "appraise_data", APPRAISE_CAUSE_SIGNED_IMMUTABLE,
	       "a signed file is not opened for writing", mode);
	return APPRAISE_FAILED;
}

/*
 * A file open for writing elsewhere (OPEN_WRITERS_ELSEWHERE) is refused by
 * this level whatever its content: a writer could change it after the
 * verdict.  One it cannot tell (@writers < 0) gives no verdict: the fail
 * policy decides.
 */
static enum appraise_outcome writers_outcome(const struct gate_event *event, const uint64_t *chain,
					     unsigned int level, unsigned int depth, int writers,
					     enum canister_appraise_mode mode)
{
	char reason[128];

	pthread_mutex_lock(&judge.lock);
	judge.stats.writers += writers == OPEN_WRITERS_ELSEWHERE;
	judge.stats.unreadable += writers < 0;
	pthread_mutex_unlock(&judge.lock);
	if (writers == OPEN_WRITERS_ELSEWHERE) {
		record(event, chain, level, depth, "appraise_data", APPRAISE_CAUSE_OPEN_WRITERS,
		       "the file is open for writing by another process", mode);
		return APPRAISE_FAILED;
	}
	snprintf(reason, sizeof(reason), "cannot tell whether the file is open for writing: %s",
		 strerror(-writers));
	record(event, chain, level, depth, "collect_data", "failed", reason, mode);
	return APPRAISE_UNREADABLE;
}

/*
 * A verdict's outcome, fresh or from the cache: the opener's (for_opener())
 * when it passed or IMA takes the file as new, else a refusal, recorded
 * with @why either way: whether a refused exec leaves a record must not
 * depend on how old its file is (the cache holds only settled files); the
 * container's record rate bounds a loop over one refused file.
 */
static enum appraise_outcome
verdict_outcome(const struct gate_event *event, const struct integrity_file_key *key,
		const uint64_t *chain, unsigned int level, unsigned int depth, int writers,
		const struct appraise_snapshot *snapshot, bool signature_required, bool pass,
		enum canister_ima_verdict_reason reason, const char *why)
{
	if (pass || appraise_new_file(reason, key->size, writers == OPEN_WRITERS_OPENER))
		return for_opener(event, key, chain, level, depth, writers, snapshot->mode, pass,
				  reason);
	record(event, chain, level, depth, "appraise_data",
	       appraise_cause(reason, signature_required), why, snapshot->mode);
	return APPRAISE_FAILED;
}

/*
 * Level @level's outcome for the file: refused while open for writing
 * elsewhere (@writers), else from the cache, else verified and recorded if
 * failed.
 */
static enum appraise_outcome level_outcome(const struct gate_event *event,
					   const struct integrity_file_key *key,
					   const uint64_t *chain, unsigned int level,
					   unsigned int depth, bool settled, int writers,
					   const struct appraise_snapshot *snapshot,
					   bool signature_required, struct file_value *value)
{
	struct canister_ima_verdict verdict;
	struct appraise_cached known;
	struct integrity_file_key after;
	struct stat st;
	int r;

	if (writers == OPEN_WRITERS_ELSEWHERE || writers < 0)
		return writers_outcome(event, chain, level, depth, writers, snapshot->mode);
	if (cached(chain[level], key, snapshot, signature_required, &known)) {
		char why[128];

		snprintf(why, sizeof(why), "%s (the verdict on this version of the file, cached)",
			 canister_ima_verdict_reason_name(known.reason));
		return verdict_outcome(event, key, chain, level, depth, writers, snapshot,
				       signature_required, known.pass, known.reason, why);
	}
	value_read(event->fd, value);
	r = value->error;
	if (r == 0)
		r = canister_ima_verify_file(&snapshot->keyring, value->bytes, value->len,
					     event->fd, signature_required, &verdict);
	if (r < 0) {
		pthread_mutex_lock(&judge.lock);
		judge.stats.unreadable++;
		pthread_mutex_unlock(&judge.lock);
		record(event, chain, level, depth, "collect_data", "failed", strerror(-r),
		       snapshot->mode);
		return APPRAISE_UNREADABLE;
	}
	pthread_mutex_lock(&judge.lock);
	judge.stats.verified++;
	pthread_mutex_unlock(&judge.lock);
	/*
	 * A write while the file was read moves its key: what was verified is no
	 * version of it, so it is not vouched for (and not cached).
	 */
	if (fstat(event->fd, &st) < 0)
		memset(&after, 0xff, sizeof(after));
	else
		integrity_file_key_from_stat(&st, write_gen_of(st.st_dev, st.st_ino), &after);
	if (memcmp(&after, key, sizeof(after)) != 0) {
		record(event, chain, level, depth, "appraise_data", "invalid-hash",
		       "the file changed while it was appraised", snapshot->mode);
		return APPRAISE_FAILED;
	}
	known = (struct appraise_cached){ .generation = snapshot->generation,
					  .signature_required = signature_required,
					  .pass = verdict.pass,
					  .reason = verdict.reason };
	/* A key that may not move at a change (within the timestamps' granularity) vouches for
	 * nothing. */
	if (settled)
		cache(chain[level], key, &known);
	return verdict_outcome(event, key, chain, level, depth, writers, snapshot,
			       signature_required, verdict.pass, verdict.reason, verdict.why);
}

bool appraise_judge(const struct gate_event *event, const struct integrity_file_key *key,
		    bool settled, const uint64_t *chain,
		    const struct canister_ima_decision *decisions, unsigned int depth, int writers,
		    bool *ret_asked)
{
	struct appraise_snapshot *snapshots[CANISTER_NEST_LIMIT_MAX];
	struct appraise_level levels[CANISTER_NEST_LIMIT_MAX];
	struct file_value value = { 0 };
	unsigned int asked = 0, logged = 0;
	bool allow;

	/* One moment of the whole chain: a mode set meanwhile counts from the next exec. */
	appraise_get_chain(chain, depth, snapshots);
	for (unsigned int i = 0; i < depth; i++) {
		levels[i].mode = snapshots[i]->mode;
		levels[i].outcome = APPRAISE_NOT_ASKED;
		ret_asked[i] = appraise_level_asked(&decisions[i], snapshots[i]->mode);
		if (!ret_asked[i])
			continue;
		asked++;
		levels[i].outcome =
			level_outcome(event, key, chain, i, depth, settled, writers, snapshots[i],
				      decisions[i].digsig_required, &value);
		logged += levels[i].outcome == APPRAISE_FAILED &&
			  levels[i].mode == CANISTER_APPRAISE_LOG;
	}
	appraise_put_chain(snapshots, depth);
	free(value.bytes);
	allow = appraise_answer(levels, depth, judge.fail_closed);
	pthread_mutex_lock(&judge.lock);
	judge.stats.appraised += asked > 0;
	judge.stats.opens += asked > 0 && !(event->mask & FAN_OPEN_EXEC_PERM);
	judge.stats.denied += !allow;
	judge.stats.logged += logged;
	pthread_mutex_unlock(&judge.lock);
	return allow;
}

void appraise_judge_stats(struct appraise_judge_stats *ret)
{
	pthread_mutex_lock(&judge.lock);
	*ret = judge.stats;
	pthread_mutex_unlock(&judge.lock);
}
