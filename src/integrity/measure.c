// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the gate's judge: each container's measurement of the files it opens. */
#include "integrity/measure.h"

#include "core/log.h"
#include "identity/identity.h"
#include "integrity/appraise.h"
#include "integrity/appraise_judge.h"
#include "integrity/backstop.h"
#include "integrity/backstop_rules.h"
#include "integrity/attest.h"
#include "integrity/boot_aggregate.h"
#include "integrity/fast_answer.h"
#include "integrity/file_digests.h"
#include "integrity/fsuuid.h"
#include "integrity/integrity.h"
#include "integrity/ima_list.h"
#include "integrity/mmap_watch.h"
#include "integrity/open_writers.h"
#include "integrity/publish.h"
#include "integrity/records.h"
#include "integrity/write_gen.h"
#include "lib/mkdir.h"
#include "lib/procfs.h"

#include <canister/canister.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define HOST_IMA_LIST "/sys/kernel/security/ima/ascii_runtime_measurements"
/* Digests remembered across containers; past it the cache starts again. */
#define DIGEST_CACHE_MAX 65536
#define HASH_CHUNK (128 * 1024)
/* security.ima's first byte for a signature (EVM_IMA_XATTR_DIGSIG). */
#define IMA_XATTR_DIGSIG 0x03

/* One step of a behaviour model's measurement, in each bank of PCR 11 (integrity_model_measured()).
 */
struct model_step {
	uint8_t sha256[32];
	uint8_t sha1[20];
};

struct container_lists {
	uint64_t contid;
	struct canister_ima_policy *policy; /* its own; NULL: the default applies */
	struct canister_ima_list list;
	struct list_bytes published;		/* @list's files' bytes, as last published */
	struct integrity_file_digests measured; /* the file versions already in @list */
	struct integrity_file_digests audited;	/* the file versions already audited */
	size_t tpm_queued;			/* entries of @list queued for its TPM's PCR 10 */
	/* Its behaviour model's measurement steps, in order: PCR 11's replay (follow_tpm()). */
	struct model_step *model_steps;
	size_t model_count, model_capacity;
	size_t model_queued;	      /* of @model_steps, queued for its TPM's PCR 11 */
	bool own_file_check;	      /* @policy has a rule FILE_CHECK can match */
	enum canister_tpm_choice tpm; /* its own, else integrity_tpm's default */
	bool ended;		      /* measure_end(): a judge that held it since adds nothing */
	struct container_lists *next;
};

/*
 * Judges run on the gate's workers, several at once: everything below is
 * under @lock, which is never held across a file read (hashing is done
 * outside it) so one slow file does not hold another container's judge.
 */
static struct {
	pthread_mutex_t lock;
	struct canister_ima_policy *default_policy;
	enum canister_tpm_choice default_tpm;
	struct canister_ima_boot_aggregate aggregate;
	char dir[CANISTER_CONFIG_PATH_MAX];
	struct integrity_file_digests cache;
	struct container_lists *containers;
	/* Ended, emptied, freed at close: a judge may still hold one (see measure_end()). */
	struct container_lists *ended;
	struct measure_stats stats;
	bool writers_checked;	       /* open_writers_open() said the check works */
	char writers_unavailable[256]; /* else why not */
} measure = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void boot_aggregate_read(void)
{
	char line[1024], why[256];
	FILE *in = fopen(HOST_IMA_LIST, "re");

	canister_ima_boot_aggregate_no_tpm(&measure.aggregate);
	if (!in)
		return;
	if (fgets(line, sizeof(line), in) &&
	    canister_ima_boot_aggregate_parse(line, strlen(line), &measure.aggregate, why,
					      sizeof(why)) < 0) {
		log_warning("integrity: the host's boot_aggregate: %s; lists start with IMA's "
			    "no-TPM value",
			    why);
		canister_ima_boot_aggregate_no_tpm(&measure.aggregate);
	}
	fclose(in);
}

static void reload_all(void);

int measure_open(const struct canister_config *config, char *why, size_t why_len)
{
	int r;

	snprintf(measure.dir, sizeof(measure.dir), "%s", config->integrity_dir);
	r = canister_mkdir_p(measure.dir, 0700);
	if (r < 0) {
		snprintf(why, why_len, "integrity_dir %s: %s", measure.dir, strerror(-r));
		return r;
	}
	if (config->integrity_policy[0]) {
		r = canister_ima_policy_load(config->integrity_policy, &measure.default_policy, why,
					     why_len);
		if (r < 0)
			return r;
	}
	measure.default_tpm = config->integrity_swtpm ? CANISTER_TPM_SWTPM : CANISTER_TPM_NONE;
	boot_aggregate_read();
	integrity_file_digests_init(&measure.cache, DIGEST_CACHE_MAX);
	r = fast_answer_open();
	if (r < 0) {
		snprintf(why, why_len, "integrity: no memory for the gate's listed files");
		return r;
	}
	memset(&measure.stats, 0, sizeof(measure.stats));
	measure.writers_checked = open_writers_open(measure.dir, measure.writers_unavailable,
						    sizeof(measure.writers_unavailable));
	if (!measure.writers_checked)
		log_warning("integrity: open_writers violations %s", measure.writers_unavailable);
	reload_all();
	return 0;
}

static void container_empty(struct container_lists *c)
{
	canister_ima_policy_free(c->policy);
	c->policy = NULL;
	canister_ima_list_free(&c->list);
	list_bytes_free(&c->published);
	integrity_file_digests_free(&c->measured);
	integrity_file_digests_free(&c->audited);
	free(c->model_steps);
	c->model_steps = NULL;
	c->model_count = c->model_capacity = c->model_queued = 0;
}

void measure_close(void)
{
	pthread_mutex_lock(&measure.lock);
	while (measure.containers) {
		struct container_lists *c = measure.containers;

		measure.containers = c->next;
		container_empty(c);
		free(c);
	}
	while (measure.ended) {
		struct container_lists *c = measure.ended;

		measure.ended = c->next;
		free(c);
	}
	canister_ima_policy_free(measure.default_policy);
	measure.default_policy = NULL;
	integrity_file_digests_free(&measure.cache);
	pthread_mutex_unlock(&measure.lock);
	fast_answer_close();
}

static const struct container_lists *own_policy_locked(uint64_t contid)
{
	for (const struct container_lists *c = measure.containers; c; c = c->next)
		if (c->contid == contid && c->policy)
			return c;
	return NULL;
}

/*
 * Whether a live container appraises opens: its mode (its own, else the
 * config's integrity_appraise) is log or enforce and its policy (its own,
 * else the default) has an appraise rule an open can match; each container
 * counts on its own, since an ancestor's rule binds every container nested
 * in it.  The default mode with a default policy that appraises opens holds
 * for every container, those registered before the next tick included: yes,
 * live container or not.  Without memory to list them, or when more came
 * meanwhile, yes (the next tick looks again): an open left unappraised is
 * the worse mistake.  Lock held.
 */
static bool appraisal_needs_file_check_locked(void)
{
	bool by_default = canister_ima_policy_appraises_file_check(measure.default_policy);
	enum canister_appraise_mode *modes;
	size_t room, n;
	uint64_t *contids, parent;
	bool needed;

	if (by_default && appraise_default_mode() != CANISTER_APPRAISE_OFF)
		return true;
	/* A policy of its own, appraised in its own mode or the default one. */
	for (const struct container_lists *c = measure.containers; c; c = c->next)
		if (c->policy && canister_ima_policy_appraises_file_check(c->policy) &&
		    identity_parent(c->contid, &parent) != -ENOENT &&
		    appraise_mode_of(c->contid) != CANISTER_APPRAISE_OFF)
			return true;
	if (!by_default)
		return false;
	/* A mode of its own and the default policy. */
	room = appraise_held(NULL, NULL, 0);
	if (!room)
		return false;
	contids = calloc(room, sizeof(*contids));
	modes = calloc(room, sizeof(*modes));
	n = contids && modes ? appraise_held(contids, modes, room) : room + 1;
	needed = n > room;
	for (size_t i = 0; i < n && !needed; i++)
		needed = modes[i] != CANISTER_APPRAISE_OFF && !own_policy_locked(contids[i]) &&
			 identity_parent(contids[i], &parent) != -ENOENT;
	free(contids);
	free(modes);
	return needed;
}

bool measure_file_check(void)
{
	struct container_lists *c;
	uint64_t parent;
	bool needed;

	pthread_mutex_lock(&measure.lock);
	needed = canister_ima_policy_needs_file_check(measure.default_policy);
	/* Lists of dropped containers stay (they are read after the drop); their policy is done. */
	for (c = measure.containers; c && !needed; c = c->next)
		needed = c->own_file_check && identity_parent(c->contid, &parent) != -ENOENT;
	if (!needed)
		needed = appraisal_needs_file_check_locked();
	pthread_mutex_unlock(&measure.lock);
	return needed;
}

/*
 * A violation-style entry (zeros listed, 0xff extended, as IMA's violations)
 * whose name says what a verifier is missing: IMA has no such entry, but a
 * verifier replaying with evmctl --ignore-violations still matches the PCRs,
 * and one reading the list sees where it has a hole.
 */
static int add_marker(struct canister_ima_list *list, const char *name)
{
	const struct canister_ima_event marker = {
		.template = CANISTER_IMA_TEMPLATE_NG,
		.algo = "sha256",
		.path = name,
	};

	return canister_ima_list_add(list, &marker);
}

static int start_list(struct canister_ima_list *list)
{
	canister_ima_list_init(list);
	return canister_ima_list_add_boot_aggregate(list, CANISTER_IMA_TEMPLATE_NG,
						    &measure.aggregate);
}

/*
 * The list a previous canisterd published for @c, read back: its entries,
 * PCRs and count, and the policy it was measured under.  What the container
 * ran while no canisterd watched is in no list: a restart marker says so.  A
 * list that does not read back is neither trusted nor overwritten: its
 * directory is set aside, and the new list says it follows a refused one.
 * Returns 0 (@c has a list), or -errno (memory; nothing on disk was touched).
 * Lock held.
 */
static int container_reload(struct container_lists *c)
{
	char why[512], aside[4096];
	const char *marker = MEASURE_MARK_RESTART;
	int r;

	r = publish_read_policy(measure.dir, c->contid, &c->policy, why, sizeof(why));
	if (r < 0 && r != -ENOENT)
		log_warning("integrity: container %" PRIu64 ": its policy is not reloaded (%s); "
			    "the default applies",
			    c->contid, why);
	c->own_file_check = canister_ima_policy_needs_file_check(c->policy);
	r = publish_read_list(measure.dir, c->contid, &c->list, why, sizeof(why));
	if (r == -ENOENT)
		return start_list(&c->list);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		if (r != -EINVAL)
			snprintf(why, sizeof(why), "%s", strerror(-r));
		marker = MEASURE_MARK_REFUSED;
		r = publish_set_aside(measure.dir, c->contid, (int64_t)time(NULL), aside,
				      sizeof(aside));
		if (r < 0)
			snprintf(aside, sizeof(aside), "(not kept: %s)", strerror(-r));
		log_error("integrity: container %" PRIu64 ": its measurement list is refused: %s; "
			  "kept as %s; a new list starts with %s",
			  c->contid, why, aside, marker);
		strncat(aside, "/binary_runtime_measurements", sizeof(aside) - strlen(aside) - 1);
		integrity_record_refused(c->contid, aside, why);
		r = start_list(&c->list);
		if (r < 0)
			return r;
	}
	r = add_marker(&c->list, marker);
	if (r == 0)
		r = publish_lists(measure.dir, c->contid, &c->list, &c->published,
				  c->policy ? c->policy : measure.default_policy);
	if (r < 0)
		log_warning("integrity: container %" PRIu64
			    ": cannot publish its reloaded list: %s",
			    c->contid, strerror(-r));
	else if (strcmp(marker, MEASURE_MARK_RESTART) == 0)
		log_info("integrity: container %" PRIu64 ": %zu entries reloaded, %s added",
			 c->contid, c->list.count, marker);
	return 0;
}

/*
 * Every entry not yet sent is queued for the container's TPM, in list order
 * (the lock is held): the TPM's PCR 10 replays the whole list, a reloaded one
 * too, since its swtpm starts up with PCR 10 cleared.  So does PCR 11 with
 * the model's steps.  Lock held.
 */
static void follow_tpm(struct container_lists *c)
{
	if (c->tpm != CANISTER_TPM_SWTPM) {
		c->tpm_queued = c->list.count;
		c->model_queued = c->model_count;
		return;
	}
	for (; c->tpm_queued < c->list.count; c->tpm_queued++) {
		const struct canister_ima_entry *entry = &c->list.entries[c->tpm_queued];

		attest_extend(c->contid, entry->violation ? NULL : &entry->digests);
	}
	for (; c->model_queued < c->model_count; c->model_queued++)
		attest_extend_model(c->contid, c->model_steps[c->model_queued].sha256,
				    c->model_steps[c->model_queued].sha1);
}

/*
 * The TPM choice a previous canisterd saved for @c, as the policy: a list is
 * not followed by one TPM and then by none because the default changed.  Read
 * before its list, which a refused reload sets aside with its directory.
 * Lock held.
 */
static void tpm_reload(struct container_lists *c)
{
	char why[512];
	int r = publish_read_tpm(measure.dir, c->contid, &c->tpm, why, sizeof(why));

	if (r < 0)
		c->tpm = measure.default_tpm;
	if (r < 0 && r != -ENOENT)
		log_warning("integrity: container %" PRIu64 ": its TPM choice is not reloaded "
			    "(%s); the default (%s) applies",
			    c->contid, why, canister_tpm_choice_name(c->tpm));
}

static bool has_measurement(const struct canister_ima_list *list);

/*
 * A container's lists, made on first use (reloaded when on disk).  @choice,
 * when not NULL, is the TPM choice a new container is made with, unless its
 * reloaded list holds a measurement already: its first entries then go to
 * the TPM it chose, and a container that chose none never has a swtpm
 * started for it.  Lock held.
 */
static struct container_lists *container_make(uint64_t contid,
					      const enum canister_tpm_choice *choice)
{
	struct container_lists *c;

	for (c = measure.containers; c; c = c->next)
		if (c->contid == contid)
			return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->contid = contid;
	canister_ima_list_init(&c->list);
	list_bytes_init(&c->published);
	integrity_file_digests_init(&c->measured, 0);
	integrity_file_digests_init(&c->audited, 0);
	tpm_reload(c);
	if (container_reload(c) < 0) {
		canister_ima_policy_free(c->policy);
		canister_ima_list_free(&c->list);
		list_bytes_free(&c->published);
		free(c);
		return NULL;
	}
	if (choice && !has_measurement(&c->list))
		c->tpm = *choice;
	/* A policy an earlier run stored (or a container registered again) binds its mappings. */
	if (c->policy)
		mmap_watch_policy(contid, c->policy);
	c->next = measure.containers;
	measure.containers = c;
	measure.stats.containers++;
	if (publish_write_tpm(measure.dir, contid, c->tpm) < 0)
		log_warning("integrity: container %" PRIu64 ": cannot save its TPM choice", contid);
	follow_tpm(c);
	return c;
}

static struct container_lists *container_get(uint64_t contid)
{
	return container_make(contid, NULL);
}

/*
 * At start, every container that still exists gets its list back at once:
 * its restart marker is in the list before its next exec, and a verifier
 * reading the files sees the gap even if the container runs nothing new.
 * Lists of containers gone meanwhile are set aside as ended (ended.c).
 */
static void reload_all(void)
{
	struct dirent *entry;
	DIR *dir = opendir(measure.dir);

	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		uint64_t contid, parent;

		if (!publish_dir_contid(entry->d_name, &contid))
			continue;
		if (identity_parent(contid, &parent) < 0)
			continue;
		pthread_mutex_lock(&measure.lock);
		if (!container_get(contid))
			log_warning("integrity: container %" PRIu64
				    ": its list is not reloaded: %s",
				    contid, strerror(ENOMEM));
		pthread_mutex_unlock(&measure.lock);
	}
	closedir(dir);
}

static const struct canister_ima_policy *policy_of(const struct container_lists *c)
{
	return c->policy ? c->policy : measure.default_policy;
}

static int hash_file(int fd, uint8_t *digest)
{
	static __thread uint8_t buf[HASH_CHUNK];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	off_t at = 0;
	int r = 0;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return -ENOMEM;
	}
	for (;;) {
		/* pread: the opener shares no offset with the event's descriptor, but be exact. */
		ssize_t n = pread(fd, buf, sizeof(buf), at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		if (!EVP_DigestUpdate(ctx, buf, (size_t)n)) {
			r = -EIO;
			break;
		}
		at += n;
	}
	if (r == 0 && !EVP_DigestFinal_ex(ctx, digest, NULL))
		r = -EIO;
	EVP_MD_CTX_free(ctx);
	return r;
}

/* The opener's ids and the file's, as the policy's conditions read them. */
static int access_facts(const struct gate_event *event, const struct stat *st,
			struct canister_ima_access *ret)
{
	struct canister_proc_creds creds;
	struct statfs sfs;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (event->mask & FAN_OPEN_EXEC_PERM) {
		ret->func = CANISTER_IMA_BPRM_CHECK;
		ret->mask = CANISTER_IMA_MAY_EXEC;
	} else {
		/* fanotify does not say how the file was opened; a read is what it allows. */
		ret->func = CANISTER_IMA_FILE_CHECK;
		ret->mask = CANISTER_IMA_MAY_READ;
	}
	/* /proc/PID/status is kernel text: no filesystem of the container's is asked. */
	r = gate_event_creds(event, &creds);
	if (r < 0)
		return r;
	ret->uid = creds.uid[0];
	ret->euid = creds.uid[1];
	ret->suid = creds.uid[2];
	ret->cap_setuid = creds.cap_effective & (1ULL << CAP_SETUID);
	ret->fowner = st->st_uid;
	if (fstatfs(event->fd, &sfs) == 0)
		ret->fsmagic = (uint64_t)sfs.f_type;
	ret->fsuuid_known = fsuuid_read(event->fd, st->st_dev, ret->fsmagic, ret->fsuuid) == 0;
	return 0;
}

void measure_file_path(int fd, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, len - 1);
	if (n <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[n] = '\0';
}

/*
 * The file's digest, from the cache or read through @fd, and cached when
 * @key is @settled (integrity_file_key_settled()).  Returns 0, -ESTALE when
 * the file changed while it was read (its digest is then of no version: a
 * time-of-measure-time-of-use violation, see violation()), or -errno.
 */
static int file_digest(int fd, const struct integrity_file_key *key, bool settled, uint8_t *digest)
{
	struct integrity_file_key after;
	struct stat st;
	bool hit;
	int r;

	pthread_mutex_lock(&measure.lock);
	hit = integrity_file_digests_get(&measure.cache, key, digest);
	measure.stats.cache_hits += hit;
	pthread_mutex_unlock(&measure.lock);
	if (hit)
		return 0;
	r = hash_file(fd, digest);
	if (r < 0)
		return r;
	/* A write during the read moves mtime or ctime (or the size): what was read is torn. */
	if (fstat(fd, &st) < 0)
		return -errno;
	integrity_file_key_from_stat(&st, write_gen_of(st.st_dev, st.st_ino), &after);
	if (memcmp(&after, key, sizeof(after)) != 0)
		return -ESTALE;
	pthread_mutex_lock(&measure.lock);
	measure.stats.hashed++;
	r = settled ? integrity_file_digests_put(&measure.cache, key, digest) : 0;
	pthread_mutex_unlock(&measure.lock);
	return r == -ENOMEM ? 0 : r;
}

/*
 * One entry in @c's list for this version of the file, unless it has one.
 * The version is remembered as listed only when its key is @settled: an
 * unsettled key may name a later version too.  Lock held.
 */
static void record(struct container_lists *c, const struct integrity_file_key *key, bool settled,
		   const struct canister_ima_event *entry)
{
	uint8_t listed[INTEGRITY_SHA256_SIZE];
	int r;

	if (integrity_file_digests_get(&c->measured, key, listed) &&
	    memcmp(listed, entry->digest, sizeof(listed)) == 0)
		return;
	/* -EEXIST: listed before, also by a canisterd before a restart (IMA's hash_exists). */
	r = canister_ima_list_add_once(&c->list, entry);
	if (r == -EEXIST) {
		if (settled)
			integrity_file_digests_put(&c->measured, key, entry->digest);
		return;
	}
	if (r == 0) {
		follow_tpm(c);
		if (settled)
			r = integrity_file_digests_put(&c->measured, key, entry->digest);
	}
	if (r == 0)
		r = publish_lists(measure.dir, c->contid, &c->list, &c->published, policy_of(c));
	if (r < 0) {
		measure.stats.errors++;
		log_warning("integrity: container %" PRIu64 ": cannot record %s: %s", c->contid,
			    entry->path, strerror(-r));
		return;
	}
	measure.stats.entries++;
}

/*
 * The file was written while canisterd read it: IMA's ToMToU, a violation
 * entry (zeros listed, 0xff extended) in each list that measures it.  No
 * file version is remembered, so its next use is measured again.  Lock held.
 */
static void violation(struct container_lists *c, const char *path)
{
	const struct canister_ima_event entry = {
		.template = CANISTER_IMA_TEMPLATE_NG,
		.algo = "sha256",
		.path = path,
	};
	int r;

	if (c->ended)
		return;
	r = canister_ima_list_add(&c->list, &entry);
	if (r == 0) {
		follow_tpm(c);
		r = publish_lists(measure.dir, c->contid, &c->list, &c->published, policy_of(c));
	}
	if (r < 0) {
		measure.stats.errors++;
		log_warning("integrity: container %" PRIu64 ": cannot record a violation of %s: %s",
			    c->contid, path, strerror(-r));
		return;
	}
	measure.stats.violations++;
}

/* The contids of @levels from @level up, for a record of that level's list. */
static unsigned int chain_from(struct container_lists *const *levels, unsigned int level,
			       unsigned int depth, uint64_t *chain)
{
	for (unsigned int i = level; i < depth; i++)
		chain[i - level] = levels[i]->contid;
	return depth - level;
}

/*
 * A violation in each list of the chain whose decision says measure, and
 * its record (IMA's INTEGRITY_PCR, op=invalid_pcr cause=@cause).
 */
static void violations(struct container_lists *const *levels,
		       const struct canister_ima_decision *decisions, unsigned int depth, pid_t pid,
		       const char *path, const char *cause)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];

	pthread_mutex_lock(&measure.lock);
	for (unsigned int i = 0; i < depth; i++) {
		if (!(decisions[i].actions & CANISTER_IMA_MEASURE) || levels[i]->ended)
			continue;
		violation(levels[i], path);
		integrity_record_violation(chain, chain_from(levels, i, depth, chain), pid, path,
					   cause);
	}
	pthread_mutex_unlock(&measure.lock);
}

/*
 * Whether the file of @event is open for write, and by whom: an
 * OPEN_WRITERS_* answer, or -errno when it cannot be told (counted);
 * OPEN_WRITERS_NONE when the check is unavailable (open_writers_open() said
 * why).
 */
static int writers_probe(const struct gate_event *event)
{
	int r;

	if (!measure.writers_checked)
		return OPEN_WRITERS_NONE;
	r = open_writers_check(event->fd, event->pid);
	if (r < 0) {
		pthread_mutex_lock(&measure.lock);
		measure.stats.writers_unchecked++;
		pthread_mutex_unlock(&measure.lock);
	}
	return r;
}

int measure_exec_writers(const struct gate_event *event)
{
	return writers_probe(event);
}

/*
 * An open's (FILE_CHECK) writers_probe(); none for an exec (the kernel
 * refuses the exec of a file open for write, ETXTBSY, so IMA never sees
 * one; appraisal probes an exec itself, see appraise()).
 */
static int open_writers_probe(const struct gate_event *event)
{
	return event->mask & FAN_OPEN_PERM ? writers_probe(event) : OPEN_WRITERS_NONE;
}

/*
 * IMA-audit: one record per file version per container whose policy says
 * audit, naming that container and those it nests in.  Lock held.
 */
static void audit(struct container_lists *const *levels, unsigned int level, unsigned int depth,
		  pid_t pid, const struct integrity_file_key *key, const uint8_t *digest,
		  const char *path)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	uint8_t audited[INTEGRITY_SHA256_SIZE];
	char hash[sizeof("sha256:") + 2 * INTEGRITY_SHA256_SIZE];
	int at;

	/* By key and digest: a key not yet settled may come back with other content. */
	if (integrity_file_digests_get(&levels[level]->audited, key, audited) &&
	    memcmp(audited, digest, sizeof(audited)) == 0)
		return;
	if (integrity_file_digests_put(&levels[level]->audited, key, digest) < 0)
		measure.stats.errors++;
	at = snprintf(hash, sizeof(hash), "sha256:");
	for (unsigned int i = 0; i < INTEGRITY_SHA256_SIZE; i++)
		at += snprintf(hash + at, sizeof(hash) - (size_t)at, "%02x", digest[i]);
	integrity_record_audit(chain, chain_from(levels, level, depth, chain), pid, path, hash);
	measure.stats.audited++;
}

static bool policy_audits(const struct canister_ima_policy *policy)
{
	for (size_t i = 0; policy && i < policy->count; i++)
		if (policy->rules[i].action == CANISTER_IMA_AUDIT)
			return true;
	return false;
}

/*
 * @contid's chain (the container, then each it nests in) into @levels and
 * their contids into @ret_chain: walked once per event, for the listed check
 * and for the policies alike.  A container dropped meanwhile ends the chain
 * where it was.  Returns the depth.  Lock held.
 */
static unsigned int chain_walk_locked(uint64_t contid, struct container_lists **levels,
				      uint64_t *ret_chain)
{
	unsigned int depth = 0;

	while (contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX) {
		levels[depth] = container_get(contid);
		if (!levels[depth])
			break;
		ret_chain[depth++] = contid;
		if (identity_parent(contid, &contid) < 0)
			break;
	}
	return depth;
}

/*
 * Whether this version of the file is in the list of every container of the
 * chain already: then nothing the slow path reads (the opener's ids in /proc,
 * the filesystem, the path) can add an entry, and the exec is answered at
 * once.  Not when a policy of the chain audits: an audit rule may match this
 * opener where the measure rule that listed the file matched another, and it
 * is owed its one record.  Lock held.
 */
static bool listed_everywhere_locked(struct container_lists *const *levels, unsigned int depth,
				     const struct integrity_file_key *key)
{
	for (unsigned int i = 0; i < depth; i++)
		if (policy_audits(policy_of(levels[i])) ||
		    !integrity_file_digests_get(&levels[i]->measured, key, NULL))
			return false;
	return depth > 0;
}

/*
 * Each level whose decision says so audits and lists the file (@fd, when not
 * -1, gives its security.ima for ima-sig entries).
 */
static void enter(struct container_lists *const *levels,
		  const struct canister_ima_decision *decisions, unsigned int depth, pid_t pid,
		  const struct integrity_file_key *key, bool settled, const uint8_t *digest,
		  const char *path, int fd)
{
	uint8_t sig[1024];
	ssize_t sig_len = -1;

	pthread_mutex_lock(&measure.lock);
	for (unsigned int i = 0; i < depth; i++) {
		struct canister_ima_event entry = {
			.template = CANISTER_IMA_TEMPLATE_NG,
			.algo = "sha256",
			.digest = digest,
			.path = path,
		};

		if (levels[i]->ended)
			continue;
		if (decisions[i].actions & CANISTER_IMA_AUDIT)
			audit(levels, i, depth, pid, key, digest, path);
		if (!(decisions[i].actions & CANISTER_IMA_MEASURE))
			continue;
		if (decisions[i].template == CANISTER_IMA_RULE_TEMPLATE_IMA_SIG) {
			entry.template = CANISTER_IMA_TEMPLATE_SIG;
			if (sig_len < 0 && fd >= 0)
				sig_len = fgetxattr(fd, "security.ima", sig, sizeof(sig));
			if (sig_len > 0 && sig[0] == IMA_XATTR_DIGSIG) {
				entry.sig = sig;
				entry.sig_len = (size_t)sig_len;
			}
		}
		record(levels[i], key, settled, &entry);
	}
	pthread_mutex_unlock(&measure.lock);
}

/*
 * Each level's decision for @access into @decisions, with the policy each
 * holds now.  Returns the union of the actions.
 */
static uint32_t levels_match(struct container_lists *const *levels, unsigned int depth,
			     const struct canister_ima_access *access,
			     struct canister_ima_decision *decisions)
{
	const struct canister_ima_policy *policies[CANISTER_NEST_LIMIT_MAX];
	uint32_t actions;

	pthread_mutex_lock(&measure.lock);
	for (unsigned int i = 0; i < depth; i++)
		policies[i] = policy_of(levels[i]);
	actions = canister_ima_chain_match(policies, depth, access, decisions);
	pthread_mutex_unlock(&measure.lock);
	return actions;
}

/*
 * Whether the policy of some level of the chain can appraise an open: an
 * open of a container whose chain cannot costs no reading of the opener's
 * ids (FAN_OPEN_PERM is asked for whenever any live container needs it).
 */
static bool levels_appraise_opens(struct container_lists *const *levels, unsigned int depth)
{
	bool appraises = false;

	pthread_mutex_lock(&measure.lock);
	for (unsigned int i = 0; i < depth && !appraises; i++)
		appraises = canister_ima_policy_appraises_file_check(policy_of(levels[i]));
	pthread_mutex_unlock(&measure.lock);
	return appraises;
}

/*
 * The appraisal of an exec or an open (appraise_judge.c): before the listed
 * check below, which answers without the policy.  Fills @access and
 * @decisions when it needed them (then *@matched); returns false to deny.
 * @open_writers is open_writers_probe()'s answer for an open; an exec that
 * a level appraises is probed here (a writer that changes the file between
 * the verdict and the kernel's deny_write_access() would run unverified
 * content).  Without the lease check, whether an opener writes is read from
 * /proc for each appraised open (IMA's new-file and signed-file rules).  A
 * level that appraised lists the file with the ima-sig template (its
 * signature, if it has one): a verifier sees what the file was appraised
 * against.  A verdict on a key that is not settled is not cached (a change
 * within the filesystem's timestamp granularity keeps the key).
 */
static bool appraise(const struct gate_event *event, const struct stat *st,
		     const struct integrity_file_key *key, bool settled,
		     struct container_lists *const *levels, const uint64_t *chain,
		     unsigned int depth, int open_writers, struct canister_ima_access *access,
		     struct canister_ima_decision *decisions, bool *matched)
{
	uint64_t ancestry[CANISTER_NEST_LIMIT_MAX];
	bool asked[CANISTER_NEST_LIMIT_MAX];
	bool exec = event->mask & FAN_OPEN_EXEC_PERM;
	bool allow;

	*matched = false;
	/* The whole chain: @chain stops at a level without lists, and one above may appraise. */
	if (!appraise_judge_wanted(event, ancestry, identity_parents(event->contid, ancestry)))
		return true;
	if (!exec && !levels_appraise_opens(levels, depth))
		return true;
	/* Gone already (killed while it waited): nothing of it will run. */
	if (access_facts(event, st, access) < 0)
		return true;
	*matched = true;
	if (!(levels_match(levels, depth, access, decisions) & CANISTER_IMA_APPRAISE))
		return true;
	if (exec)
		open_writers = writers_probe(event);
	else if (!measure.writers_checked && open_writers_opener_writes(event->pid))
		open_writers = OPEN_WRITERS_OPENER;
	allow = appraise_judge(event, key, settled, chain, decisions, depth, open_writers, asked);
	for (unsigned int i = 0; i < depth; i++)
		if (asked[i])
			decisions[i].template = CANISTER_IMA_RULE_TEMPLATE_IMA_SIG;
	return allow;
}

bool measure_appraise_mmap(const struct gate_event *event)
{
	struct canister_ima_decision decisions[CANISTER_NEST_LIMIT_MAX];
	struct container_lists *levels[CANISTER_NEST_LIMIT_MAX];
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	bool asked[CANISTER_NEST_LIMIT_MAX];
	struct canister_ima_access access;
	struct integrity_file_key key;
	struct timespec now;
	unsigned int depth;
	struct stat st;

	clock_gettime(CLOCK_REALTIME, &now);
	if (fstat(event->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	integrity_file_key_from_stat(&st, write_gen_of(st.st_dev, st.st_ino), &key);
	pthread_mutex_lock(&measure.lock);
	depth = chain_walk_locked(event->contid, levels, chain);
	pthread_mutex_unlock(&measure.lock);
	if (access_facts(event, &st, &access) < 0)
		return false;
	/* As IMA asks at the mapping: what the file is opened for does not matter. */
	access.func = CANISTER_IMA_MMAP_CHECK;
	access.mask = CANISTER_IMA_MAY_EXEC;
	if (!(levels_match(levels, depth, &access, decisions) & CANISTER_IMA_APPRAISE))
		return true;
	/*
	 * No writers check: the file is not executed by this open, and a write
	 * before the mapping moves the ctime the kernel's backstop compares.
	 */
	return appraise_judge(event, &key, integrity_file_key_settled(&key, &now), chain, decisions,
			      depth, OPEN_WRITERS_NONE, asked);
}

uint32_t measure_appraise_bits(uint64_t contid)
{
	const struct canister_ima_policy *policy = measure.default_policy;
	struct container_lists *c;
	uint32_t bits;

	pthread_mutex_lock(&measure.lock);
	for (c = measure.containers; c; c = c->next)
		if (c->contid == contid)
			policy = policy_of(c);
	bits = backstop_policy_bits(policy);
	pthread_mutex_unlock(&measure.lock);
	return bits;
}

size_t measure_own_policies(uint64_t *ret_contids, size_t max)
{
	uint64_t parent;
	size_t n = 0;

	pthread_mutex_lock(&measure.lock);
	for (struct container_lists *c = measure.containers; c; c = c->next) {
		if (!c->policy || identity_parent(c->contid, &parent) == -ENOENT)
			continue;
		if (n < max)
			ret_contids[n] = c->contid;
		n++;
	}
	pthread_mutex_unlock(&measure.lock);
	return n;
}

int measure_file_digest(int fd, uint8_t digest[INTEGRITY_SHA256_SIZE])
{
	struct integrity_file_key key;
	struct timespec now;
	struct stat st;

	clock_gettime(CLOCK_REALTIME, &now);
	if (fstat(fd, &st) < 0)
		return -errno;
	integrity_file_key_from_stat(&st, write_gen_of(st.st_dev, st.st_ino), &key);
	return file_digest(fd, &key, integrity_file_key_settled(&key, &now), digest);
}

bool measure_judge(const struct gate_event *event, void *ctx)
{
	struct canister_ima_decision decisions[CANISTER_NEST_LIMIT_MAX];
	struct container_lists *levels[CANISTER_NEST_LIMIT_MAX];
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	uint8_t digest[INTEGRITY_SHA256_SIZE];
	struct canister_ima_access access;
	struct integrity_file_key key;
	static __thread char path[CANISTER_IMA_PATH_MAX + 1];
	unsigned int depth;
	struct timespec now;
	struct stat st;
	uint32_t actions = 0;
	bool allow, matched, listed, settled;
	int probe, writers, r;

	(void)ctx;
	/* Before the fstat: a key settled by this clock is settled at the stat too. */
	clock_gettime(CLOCK_REALTIME, &now);
	if (fstat(event->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return true;
	integrity_file_key_from_stat(&st, write_gen_of(st.st_dev, st.st_ino), &key);
	settled = integrity_file_key_settled(&key, &now);
	/* Levels are never freed while canisterd runs (an ended one stays): usable unlocked. */
	pthread_mutex_lock(&measure.lock);
	depth = chain_walk_locked(event->contid, levels, chain);
	pthread_mutex_unlock(&measure.lock);
	probe = open_writers_probe(event);
	/* IMA's open_writers: another's open for write, not the opener's own. */
	writers = probe == OPEN_WRITERS_OPENER ? 0 : probe;
	/* IMA measures a file its appraisal denies: the measurement goes on below. */
	allow = appraise(event, &st, &key, settled, levels, chain, depth, probe, &access, decisions,
			 &matched);
	/* lsm mode: what the BPF backstop lets through, written before the gate answers. */
	appraise_backstop_allow(event, &st, chain, depth, allow);
	pthread_mutex_lock(&measure.lock);
	/* A listed file open for write still owes each measuring list a violation, as in IMA. */
	listed = writers <= 0 && listed_everywhere_locked(levels, depth, &key);
	measure.stats.listed += listed;
	pthread_mutex_unlock(&measure.lock);
	if (listed) {
		/* The reader's fast answer skips the judge: never for a chain that appraises. */
		if (!matched)
			fast_answer_learn(event, &st, &key, chain, depth);
		return allow;
	}
	if (matched) {
		for (unsigned int i = 0; i < depth; i++)
			actions |= decisions[i].actions;
	} else {
		/*
		 * Gone already, and not answered late (its ids would have been
		 * read): killed while it waited, nothing of it will run.
		 */
		if (access_facts(event, &st, &access) < 0)
			return allow;
		actions = levels_match(levels, depth, &access, decisions);
	}
	if (!(actions & (CANISTER_IMA_MEASURE | CANISTER_IMA_AUDIT)))
		return allow;
	/* IMA's order: the violation first, then the file is measured as usual. */
	if (writers > 0 && (actions & CANISTER_IMA_MEASURE)) {
		measure_file_path(event->fd, path, sizeof(path));
		violations(levels, decisions, depth, event->pid, path, "open_writers");
		log_debug("integrity: %s is open for writing while pid %d's open is measured: "
			  "an open_writers violation",
			  path, event->pid);
	}

	r = file_digest(event->fd, &key, settled, digest);
	if (r == -ESTALE) {
		measure_file_path(event->fd, path, sizeof(path));
		violations(levels, decisions, depth, event->pid, path, "ToMToU");
		log_warning("integrity: %s changed while it was measured (pid %d): a ToMToU "
			    "violation",
			    path, event->pid);
		return allow;
	}
	if (r < 0) {
		pthread_mutex_lock(&measure.lock);
		measure.stats.errors++;
		pthread_mutex_unlock(&measure.lock);
		log_warning("integrity: cannot read a file pid %d opens: %s", event->pid,
			    strerror(-r));
		return allow;
	}
	measure_file_path(event->fd, path, sizeof(path));
	enter(levels, decisions, depth, event->pid, &key, settled, digest, path, event->fd);
	return allow;
}

/*
 * The key of a file version whose digest the kernel gave: the file and its
 * content (no stat of the file is needed, and a changed file has another
 * digest).  mtime_nsec -1 is no stat's, so such keys never meet stat keys.
 */
static void kernel_digest_key(uint64_t dev, uint64_t ino, const uint8_t *digest,
			      struct integrity_file_key *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->dev = dev;
	ret->ino = ino;
	memcpy(&ret->size, digest, sizeof(ret->size));
	memcpy(&ret->ctime_sec, digest + 8, sizeof(ret->ctime_sec));
	memcpy(&ret->ctime_nsec, digest + 16, sizeof(ret->ctime_nsec));
	memcpy(&ret->mtime_sec, digest + 24, sizeof(ret->mtime_sec));
	ret->mtime_nsec = -1;
}

/*
 * The directory @m's path starts from: the mapper's root while it lives, else
 * canisterd's own if the mapper's was the same directory (a short-lived
 * mapper is gone before its report is read).  Returns an O_PATH descriptor
 * or -errno.
 */
static int mapper_root(const struct measure_mapping *m)
{
	char root[64];
	struct stat st;
	int fd;

	snprintf(root, sizeof(root), "/proc/%d/root", m->pid);
	fd = open(root, O_PATH | O_CLOEXEC);
	if (fd >= 0 || (errno != ENOENT && errno != ESRCH))
		return fd >= 0 ? fd : -errno;
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_dev != m->root_dev ||
	    (uint64_t)st.st_ino != m->root_ino) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}

/*
 * The mapped file again, for a digest the kernel did not give: @m's path
 * resolved from the mapper's root (mapper_root(), RESOLVE_IN_ROOT, no
 * symlinks), and only if it is still the mapped file (@m's dev and ino).
 * It is opened O_PATH first and read only once it is known to be that
 * regular file: the path is the container's to choose, and opening a device
 * node it put there could act on the host's device.  The mapping is made
 * already: a file renamed or replaced since is not this one (-ESTALE), and one
 * written since is measured as it is now.  Returns the descriptor or -errno.
 */
static int reopen_mapped(const struct measure_mapping *m)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	char self[64];
	struct stat st;
	int rootfd, pathfd, fd;

	if (m->path[0] != '/')
		return -ENOENT;
	rootfd = mapper_root(m);
	if (rootfd < 0)
		return rootfd;
	pathfd = (int)syscall(SYS_openat2, rootfd, m->path, &how, sizeof(how));
	close(rootfd);
	if (pathfd < 0)
		return -errno;
	if (fstat(pathfd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_dev != m->dev ||
	    (uint64_t)st.st_ino != m->ino) {
		close(pathfd);
		return -ESTALE;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pathfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	close(pathfd);
	return fd < 0 ? -errno : fd;
}

void measure_mapping(const struct measure_mapping *m)
{
	struct canister_ima_decision decisions[CANISTER_NEST_LIMIT_MAX];
	struct container_lists *levels[CANISTER_NEST_LIMIT_MAX];
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	uint8_t digest[INTEGRITY_SHA256_SIZE];
	struct integrity_file_key key;
	unsigned int depth;
	struct timespec now;
	struct stat st;
	uint32_t actions;
	bool settled = true; /* a key made from the kernel's digest names its content */
	int fd = -1, r;

	pthread_mutex_lock(&measure.lock);
	depth = chain_walk_locked(m->contid, levels, chain);
	pthread_mutex_unlock(&measure.lock);
	actions = levels_match(levels, depth, &m->access, decisions);
	if (!(actions & (CANISTER_IMA_MEASURE | CANISTER_IMA_AUDIT)))
		return;
	if (m->kernel_digest) {
		memcpy(digest, m->kernel_digest, sizeof(digest));
		kernel_digest_key(m->dev, m->ino, digest, &key);
		pthread_mutex_lock(&measure.lock);
		measure.stats.kernel_digests++;
		pthread_mutex_unlock(&measure.lock);
	} else {
		clock_gettime(CLOCK_REALTIME, &now);
		fd = reopen_mapped(m);
		r = fd;
		if (fd >= 0) {
			r = fstat(fd, &st) < 0 ? -errno : 0;
			if (r == 0) {
				integrity_file_key_from_stat(
					&st, write_gen_of(st.st_dev, st.st_ino), &key);
				settled = integrity_file_key_settled(&key, &now);
				r = file_digest(fd, &key, settled, digest);
			}
		}
		pthread_mutex_lock(&measure.lock);
		measure.stats.mapping_rehashed += r == 0;
		measure.stats.mapping_unreadable += r < 0;
		measure.stats.errors += r < 0;
		pthread_mutex_unlock(&measure.lock);
		if (r < 0) {
			log_warning("integrity: %s, mapped executable by pid %d, not measured: "
				    "the kernel gave no digest and it does not read again (%s)",
				    m->path, m->pid,
				    r == -ESTALE ? "changed or replaced since" : strerror(-r));
			if (fd >= 0)
				close(fd);
			return;
		}
	}
	enter(levels, decisions, depth, m->pid, &key, settled, digest, m->path, fd);
	if (fd >= 0)
		close(fd);
}

void measure_follow_mapping_policies(void)
{
	pthread_mutex_lock(&measure.lock);
	mmap_watch_default_policy(measure.default_policy);
	for (const struct container_lists *c = measure.containers; c; c = c->next)
		if (c->policy)
			mmap_watch_policy(c->contid, c->policy);
	pthread_mutex_unlock(&measure.lock);
}

static bool has_measurement(const struct canister_ima_list *list)
{
	for (size_t i = 1; i < list->count; i++)
		if (!list->entries[i].violation)
			return true;
	return false;
}

int measure_set_policy(uint64_t contid, struct canister_ima_policy *policy)
{
	struct container_lists *c;
	int r = 0;

	pthread_mutex_lock(&measure.lock);
	c = container_get(contid);
	if (!c) {
		r = -ENOMEM;
	} else if (has_measurement(&c->list)) {
		/* More than the boot_aggregate and markers: the workload has run already. */
		r = -EBUSY;
	} else {
		canister_ima_policy_free(c->policy);
		c->policy = policy;
		c->own_file_check = canister_ima_policy_needs_file_check(policy);
		mmap_watch_policy(contid, c->policy);
		policy = NULL;
		r = publish_lists(measure.dir, contid, &c->list, &c->published, c->policy);
	}
	pthread_mutex_unlock(&measure.lock);
	canister_ima_policy_free(policy);
	return r;
}

int measure_end(uint64_t contid, int64_t when, char *ended, size_t ended_len)
{
	struct container_lists **at, *c = NULL;
	int r;

	pthread_mutex_lock(&measure.lock);
	for (at = &measure.containers; *at; at = &(*at)->next)
		if ((*at)->contid == contid) {
			c = *at;
			*at = c->next;
			break;
		}
	/*
	 * A judge takes its levels under the lock and adds to them under it
	 * later: the memory stays (marked ended) until measure_close(), the
	 * list it held goes now.
	 */
	if (c) {
		container_empty(c);
		mmap_watch_policy(contid, NULL);
		c->ended = true;
		c->next = measure.ended;
		measure.ended = c;
	}
	r = publish_end(measure.dir, contid, when, ended, ended_len);
	pthread_mutex_unlock(&measure.lock);
	return r;
}

int measure_set_tpm(uint64_t contid, enum canister_tpm_choice choice)
{
	struct container_lists *c;
	int r;

	pthread_mutex_lock(&measure.lock);
	c = container_make(contid, &choice);
	if (!c) {
		r = -ENOMEM;
	} else if (has_measurement(&c->list)) {
		r = -EBUSY;
	} else {
		if (c->tpm != choice) {
			/* The old swtpm goes; a new one replays the list from the start. */
			attest_choose(contid, choice == CANISTER_TPM_SWTPM);
			c->tpm = choice;
			c->tpm_queued = 0;
			c->model_queued = 0;
			follow_tpm(c);
		}
		r = publish_write_tpm(measure.dir, contid, choice);
	}
	pthread_mutex_unlock(&measure.lock);
	return r;
}

int measure_tpm(uint64_t contid, enum canister_tpm_choice *ret_choice)
{
	struct container_lists *c;

	pthread_mutex_lock(&measure.lock);
	c = container_get(contid);
	if (c)
		*ret_choice = c->tpm;
	pthread_mutex_unlock(&measure.lock);
	return c ? 0 : -ENOMEM;
}

int measure_publish(uint64_t contid)
{
	struct container_lists *c;
	int r;

	pthread_mutex_lock(&measure.lock);
	c = container_get(contid);
	r = c ? publish_lists(measure.dir, contid, &c->list, &c->published, policy_of(c)) : -ENOMEM;
	pthread_mutex_unlock(&measure.lock);
	return r;
}

size_t measure_containers(struct measure_container *ret, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&measure.lock);
	for (struct container_lists *c = measure.containers; c; c = c->next, n++)
		if (n < max)
			ret[n] = (struct measure_container){ .contid = c->contid,
							     .entries = c->list.count,
							     .own_policy = c->policy != NULL };
	pthread_mutex_unlock(&measure.lock);
	return n;
}

void measure_violation_checks(char *buf, size_t len)
{
	uint64_t unchecked;

	pthread_mutex_lock(&measure.lock);
	unchecked = measure.stats.writers_unchecked;
	pthread_mutex_unlock(&measure.lock);
	if (measure.writers_checked)
		snprintf(buf, len,
			 "open_writers: a read lease on each file an open measures, %" PRIu64
			 " opens it could not check",
			 unchecked);
	else
		snprintf(buf, len, "open_writers: %s", measure.writers_unavailable);
	strncat(buf,
		"; ToMToU: a write while canisterd reads the file, not an open for write of a "
		"file being read (unavailable)",
		len - strlen(buf) - 1);
}

void measure_stats(struct measure_stats *ret)
{
	pthread_mutex_lock(&measure.lock);
	*ret = measure.stats;
	pthread_mutex_unlock(&measure.lock);
}

/*
 * The model's steps are kept while they may still be needed: with a swtpm
 * (a choice made again before the first exec starts a new swtpm, which
 * replays them), or while the choice may still change.  Lock held.
 */
static int keep_model_step(struct container_lists *c, const uint8_t step[32],
			   const uint8_t step_sha1[20])
{
	if (c->tpm != CANISTER_TPM_SWTPM && has_measurement(&c->list))
		return 0;
	if (c->model_count == c->model_capacity) {
		size_t capacity = c->model_capacity ? 2 * c->model_capacity : 64;
		struct model_step *steps = realloc(c->model_steps, capacity * sizeof(*steps));

		if (!steps)
			return -ENOMEM;
		c->model_steps = steps;
		c->model_capacity = capacity;
	}
	memcpy(c->model_steps[c->model_count].sha256, step, 32);
	memcpy(c->model_steps[c->model_count].sha1, step_sha1, 20);
	c->model_count++;
	return 0;
}

void integrity_model_measured(uint64_t contid, const uint8_t step[32], const uint8_t step_sha1[20])
{
	struct container_lists *c;
	uint64_t parent;

	/* A domain outlives its container: a gone one's lists are not made again. */
	if (identity_parent(contid, &parent) < 0)
		return;
	pthread_mutex_lock(&measure.lock);
	c = container_get(contid);
	if (!c || keep_model_step(c, step, step_sha1) < 0) {
		/* Its PCR 11 can no longer follow the model: counted lost, no quote from now on. */
		if (c && c->tpm == CANISTER_TPM_SWTPM)
			attest_extend_model(contid, NULL, NULL);
		else if (!c)
			log_warning("integrity: container %" PRIu64
				    ": a model step is not kept: %s",
				    contid, strerror(ENOMEM));
	} else {
		follow_tpm(c);
	}
	pthread_mutex_unlock(&measure.lock);
}
