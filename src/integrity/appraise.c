// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd: each container's appraisal keys and mode, held as immutable
 * snapshots that the gate takes without holding a lock while it verifies.
 */
#include "integrity/appraise.h"

#include "core/log.h"
#include "integrity/appraise_host_keys.h"
#include "integrity/ima_key_store.h"
#include "integrity/publish.h"
#include "lib/mkdir.h"
#include "lib/trusted_file.h"
#include "lib/u64map.h"
#include "lib/whole_file.h"

#include <canister/abi.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(CANISTER_INTEGRITY_CERTIFICATE_MAX == CANISTER_IMA_KEY_FILE_MAX,
	       "the wire carries what a certificate file may hold");
_Static_assert(CANISTER_APPRAISAL_KEYS_MAX >= 2 * CANISTER_IMA_KEYRING_MAX,
	       "a listing holds a container's own keys and the host's");

#define WHY_MAX 512

/*
 * What canisterd holds for one container; its snapshot is what the gate reads.
 * Each part of its appraisal is its own once it has set it, and canister.conf's
 * default until then (docs/integrity.md, "Defaults from canister.conf").
 */
struct container_appraisal {
	uint64_t contid;
	/*
	 * Its mode and host-keys choice: the config's when it was made, then what
	 * it set (its settings file, written whole with both).
	 */
	struct appraise_settings settings;
	/*
	 * It was given a key (its keys directory): only its own keys count, even
	 * none once it removed them all; else integrity_container_keys'.
	 */
	bool own_keys;
	char keys_refused[WHY_MAX];	/* "": its store reloaded (or there was none) */
	char settings_refused[WHY_MAX]; /* "": its settings file parsed (or there was none) */
	struct appraise_snapshot *current;
};

/* Before appraise_open() and after appraise_close(): off, no keys.  Never freed. */
static struct appraise_snapshot off_snapshot = { .contid = CANISTER_CONTID_UNSET };

static struct {
	pthread_mutex_t lock;
	char dir[CANISTER_CONFIG_PATH_MAX];
	struct appraise_host_keys host;
	struct appraise_host_keys container; /* integrity_container_keys */
	struct appraise_settings defaults;   /* integrity_appraise, integrity_host_keys */
	/* Of a container canisterd holds nothing for: the config's defaults. */
	struct appraise_snapshot *defaults_snapshot;
	struct container_appraisal **containers;
	size_t count;
	struct canister_u64map index; /* contid -> position in @containers */
	atomic_uint_fast64_t generation;
} appraise = { .lock = PTHREAD_MUTEX_INITIALIZER, .defaults_snapshot = &off_snapshot };

static void snapshot_free(struct appraise_snapshot *snapshot)
{
	canister_ima_keyring_free(&snapshot->keyring);
	free(snapshot);
}

void appraise_put(struct appraise_snapshot *snapshot)
{
	if (snapshot && snapshot != &off_snapshot && atomic_fetch_sub(&snapshot->refs, 1) == 1)
		snapshot_free(snapshot);
}

void appraise_put_chain(struct appraise_snapshot **levels, unsigned int depth)
{
	for (unsigned int i = 0; i < depth; i++)
		appraise_put(levels[i]);
}

/* A copy of @key sharing its EVP_PKEY, into the ring (whose array has room). */
static void share_key(struct canister_ima_keyring *ring, const struct canister_ima_key *key)
{
	struct canister_ima_key *copy = &ring->keys[ring->count++];

	*copy = *key;
	EVP_PKEY_up_ref(copy->pkey);
}

/*
 * A new snapshot for @contid: the own keys @own[0..@count) but @drop (when
 * @dropping), then @extra (when not NULL), then integrity_container_keys' if
 * @config_keys, then the host's keys if @settings says so.  Not yet published
 * (generation 0).  NULL: no memory.
 */
static struct appraise_snapshot *snapshot_build(uint64_t contid,
						const struct appraise_settings *settings,
						const struct canister_ima_key *own, size_t count,
						const struct canister_ima_key *extra, bool dropping,
						uint32_t drop, bool keys_refused, bool config_keys)
{
	struct appraise_snapshot *s = calloc(1, sizeof(*s));
	const struct canister_ima_keyring *host = &appraise.host.ring;
	const struct canister_ima_keyring *defaults = &appraise.container.ring;

	if (!s)
		return NULL;
	s->keyring.keys =
		calloc(count + 1 + defaults->count + host->count, sizeof(*s->keyring.keys));
	if (!s->keyring.keys) {
		free(s);
		return NULL;
	}
	s->contid = contid;
	s->mode = settings->mode;
	s->host_keys = settings->host_keys;
	s->keys_refused = keys_refused;
	for (size_t i = 0; i < count; i++)
		if (!dropping || own[i].keyid != drop)
			share_key(&s->keyring, &own[i]);
	if (extra)
		share_key(&s->keyring, extra);
	s->own_keys = s->keyring.count;
	for (size_t i = 0; config_keys && i < defaults->count; i++)
		share_key(&s->keyring, &defaults->keys[i]);
	s->config_keys = s->keyring.count - s->own_keys;
	for (size_t i = 0; settings->host_keys && i < host->count; i++) {
		struct canister_ima_keyring own_ring = { s->keyring.keys, s->own_keys };

		/* One in integrity_container_keys is the same key (appraise_open() checked). */
		if (canister_ima_keyring_find(&s->keyring, host->keys[i].keyid)) {
			if (!canister_ima_keyring_find(&own_ring, host->keys[i].keyid))
				continue;
			log_warning("integrity: container %" PRIu64 ": its own key %08x shadows "
				    "the host's in %s",
				    contid, host->keys[i].keyid, appraise.host.paths[i]);
			continue;
		}
		share_key(&s->keyring, &host->keys[i]);
	}
	atomic_init(&s->refs, 1);
	return s;
}

/* integrity_container_keys count for @c: it was never given a key, and its store was not refused.
 */
static bool counts_config_keys(const struct container_appraisal *c)
{
	return !c->own_keys && !c->keys_refused[0];
}

/* The file of the key with @keyid in @keys, as `key list` names where a key came from. */
static const char *key_path(const struct appraise_host_keys *keys, uint32_t keyid)
{
	for (size_t i = 0; i < keys->ring.count; i++)
		if (keys->ring.keys[i].keyid == keyid)
			return keys->paths[i];
	return "canister.conf";
}

/* @c's snapshot becomes @next (taken over); the old one goes when its last holder puts it. */
static void publish(struct container_appraisal *c, struct appraise_snapshot *next)
{
	struct appraise_snapshot *old;

	pthread_mutex_lock(&appraise.lock);
	next->generation = atomic_fetch_add(&appraise.generation, 1) + 1;
	old = c->current;
	c->current = next;
	pthread_mutex_unlock(&appraise.lock);
	appraise_put(old);
}

/*
 * Lookups under the lock.  The table and each entry's snapshot pointer change
 * only on canisterd's main loop (the control plane), under the lock too; the
 * main loop itself may read them without it.
 */
static struct container_appraisal *find_locked(uint64_t contid)
{
	uint64_t position;

	if (!canister_u64map_get(&appraise.index, contid, &position))
		return NULL;
	return appraise.containers[position];
}

static struct container_appraisal *find(uint64_t contid)
{
	struct container_appraisal *c;

	pthread_mutex_lock(&appraise.lock);
	c = find_locked(contid);
	pthread_mutex_unlock(&appraise.lock);
	return c;
}

/* @contid's entry, made with the defaults (and published) if there is none.  NULL: no memory. */
static struct container_appraisal *find_or_add(uint64_t contid)
{
	struct container_appraisal *c = find(contid), **bigger;
	struct appraise_snapshot *first;
	int r = -ENOMEM;

	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	/* The defaults until the caller makes a part of them its own. */
	first = snapshot_build(contid, &appraise.defaults, NULL, 0, NULL, false, 0, false, true);
	if (c && first) {
		c->contid = contid;
		c->settings = appraise.defaults;
		/* Under the lock: a gate thread may be reading the array realloc() moves. */
		pthread_mutex_lock(&appraise.lock);
		bigger = realloc(appraise.containers, (appraise.count + 1) * sizeof(*bigger));
		if (bigger) {
			appraise.containers = bigger;
			r = canister_u64map_put(&appraise.index, contid, appraise.count);
		}
		if (r == 0)
			appraise.containers[appraise.count++] = c;
		pthread_mutex_unlock(&appraise.lock);
	}
	if (r < 0) {
		free(c);
		if (first)
			snapshot_free(first);
		return NULL;
	}
	publish(c, first);
	return c;
}

struct appraise_snapshot *appraise_get(uint64_t contid)
{
	struct container_appraisal *c;
	struct appraise_snapshot *s;

	pthread_mutex_lock(&appraise.lock);
	c = find_locked(contid);
	s = c ? c->current : appraise.defaults_snapshot;
	atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&appraise.lock);
	return s;
}

void appraise_get_chain(const uint64_t *chain, unsigned int depth,
			struct appraise_snapshot **ret_levels)
{
	pthread_mutex_lock(&appraise.lock);
	for (unsigned int i = 0; i < depth; i++) {
		struct container_appraisal *c = find_locked(chain[i]);

		ret_levels[i] = c ? c->current : appraise.defaults_snapshot;
		atomic_fetch_add(&ret_levels[i]->refs, 1);
	}
	pthread_mutex_unlock(&appraise.lock);
}

enum canister_appraise_mode appraise_chain_mode(struct appraise_snapshot *const *levels,
						unsigned int depth)
{
	enum canister_appraise_mode modes[CANISTER_NEST_LIMIT_MAX];

	if (depth > CANISTER_NEST_LIMIT_MAX)
		depth = CANISTER_NEST_LIMIT_MAX;
	for (unsigned int i = 0; i < depth; i++)
		modes[i] = levels[i]->mode;
	return appraise_effective_mode(modes, depth);
}

uint64_t appraise_generation(void)
{
	return atomic_load(&appraise.generation);
}

static void container_path(uint64_t contid, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%" PRIu64 "%s%s", appraise.dir, contid, name[0] ? "/" : "", name);
}

/* Whole or not at all: a temporary file, fsync, rename; never through a symlink. */
static int write_settings(uint64_t contid, const struct appraise_settings *settings, char *why,
			  size_t why_len)
{
	char dir[4096], path[4096], temp[4096], text[APPRAISE_SETTINGS_TEXT_MAX];
	size_t len = appraise_settings_format(settings, text);
	int r;

	container_path(contid, "", dir, sizeof(dir));
	container_path(contid, APPRAISE_SETTINGS_FILE, path, sizeof(path));
	container_path(contid, "." APPRAISE_SETTINGS_FILE ".new", temp, sizeof(temp));
	r = canister_mkdir_p(dir, 0700);
	if (r < 0) {
		snprintf(why, why_len, "%s: cannot create: %s", dir, strerror(-r));
		return r;
	}
	return canister_write_whole_file(path, temp, text, len, 0600, true, why, why_len);
}

int appraise_set(uint64_t contid, const enum canister_appraise_mode *mode, const bool *host_keys,
		 char *why, size_t why_len)
{
	struct container_appraisal *c = find_or_add(contid);
	struct appraise_settings next;
	struct appraise_snapshot *s;
	int r;

	if (!c) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	next = c->settings;
	if (mode)
		next.mode = *mode;
	if (host_keys)
		next.host_keys = *host_keys;
	s = snapshot_build(contid, &next, c->current->keyring.keys, c->current->own_keys, NULL,
			   false, 0, c->current->keys_refused, counts_config_keys(c));
	if (!s) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	r = write_settings(contid, &next, why, why_len);
	if (r < 0) {
		snapshot_free(s);
		return r;
	}
	c->settings = next;
	c->settings_refused[0] = '\0';
	publish(c, s);
	log_info("integrity: container %" PRIu64 ": appraisal %s, host keys %s", contid,
		 canister_appraise_mode_name(next.mode),
		 next.host_keys ? "counted" : "not counted");
	return 0;
}

static int keys_usable(const struct container_appraisal *c, char *why, size_t why_len)
{
	if (!c->keys_refused[0])
		return 0;
	snprintf(why, why_len,
		 "container %" PRIu64 "'s stored keys were refused when canisterd started (%s): "
		 "fix or remove them and restart canisterd",
		 c->contid, c->keys_refused);
	return -EIO;
}

int appraise_key_add(uint64_t contid, const uint8_t *cert, size_t len, uint32_t *ret_keyid,
		     char *why, size_t why_len)
{
	struct container_appraisal *c = find(contid);
	const struct appraise_snapshot *now = c ? c->current : appraise.defaults_snapshot;
	struct canister_ima_keyring own = { now->keyring.keys, now->own_keys };
	struct appraise_snapshot *s;
	struct canister_ima_key key;
	char dir[4096];
	uint32_t stored;
	int r;

	/* Every refusal before anything is made: a refused key leaves no trace, not even an entry.
	 */
	if (c && (r = keys_usable(c, why, why_len)) < 0)
		return r;
	r = canister_ima_key_parse(cert, len, "certificate", &key, why, why_len);
	if (r < 0)
		return r;
	if (canister_ima_keyring_find(&own, key.keyid)) {
		snprintf(why, why_len, "container %" PRIu64 " has a key with id %08x already",
			 contid, key.keyid);
		canister_ima_key_clear(&key);
		return -EEXIST;
	}
	if (own.count >= CANISTER_IMA_KEYRING_MAX) {
		snprintf(why, why_len, "container %" PRIu64 " has %d keys already, the most it may",
			 contid, CANISTER_IMA_KEYRING_MAX);
		canister_ima_key_clear(&key);
		return -ENOSPC;
	}
	c = find_or_add(contid);
	/* From now on only its own keys count: integrity_container_keys' are a default. */
	s = c ? snapshot_build(contid, &c->settings, own.keys, own.count, &key, false, 0, false,
			       false)
	      : NULL;
	canister_ima_key_clear(&key);
	if (!s) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	container_path(contid, "", dir, sizeof(dir));
	r = canister_mkdir_p(dir, 0700);
	if (r < 0)
		snprintf(why, why_len, "%s: cannot create: %s", dir, strerror(-r));
	container_path(contid, "keys", dir, sizeof(dir));
	if (r == 0)
		r = canister_ima_key_store_add(dir, cert, len, "certificate", &stored, why,
					       why_len);
	if (r < 0) {
		snapshot_free(s);
		return r;
	}
	c->own_keys = true;
	publish(c, s);
	log_info("integrity: container %" PRIu64 ": appraisal key %08x added", contid, stored);
	*ret_keyid = stored;
	return 0;
}

int appraise_key_remove(uint64_t contid, uint32_t keyid, char *why, size_t why_len)
{
	struct container_appraisal *c = find(contid);
	struct appraise_snapshot *s;
	char dir[4096];
	int r;

	if (c && (r = keys_usable(c, why, why_len)) < 0)
		return r;
	if (!c ||
	    !canister_ima_keyring_find(&(struct canister_ima_keyring){ c->current->keyring.keys,
								       c->current->own_keys },
				       keyid)) {
		const struct appraise_snapshot *now = c ? c->current : appraise.defaults_snapshot;

		if (now->config_keys && canister_ima_keyring_find(&appraise.container.ring, keyid))
			snprintf(why, why_len,
				 "container %" PRIu64 " has no key with id %08x of its own "
				 "(%08x is canister.conf's, from %s)",
				 contid, keyid, keyid, key_path(&appraise.container, keyid));
		else
			snprintf(why, why_len, "container %" PRIu64 " has no key with id %08x",
				 contid, keyid);
		return -ENOENT;
	}
	s = snapshot_build(contid, &c->settings, c->current->keyring.keys, c->current->own_keys,
			   NULL, true, keyid, false, false);
	if (!s) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	container_path(contid, "keys", dir, sizeof(dir));
	r = canister_ima_key_store_remove(dir, keyid);
	if (r < 0) {
		snprintf(why, why_len, "%s/%08x.crt: cannot remove: %s", dir, keyid, strerror(-r));
		snapshot_free(s);
		return r;
	}
	publish(c, s);
	log_info("integrity: container %" PRIu64 ": appraisal key %08x removed", contid, keyid);
	return 0;
}

void appraise_describe(uint64_t contid, struct canister_appraisal_reply *ret)
{
	struct appraise_snapshot *s = appraise_get(contid);
	struct container_appraisal *c = find(contid);

	ret->mode = s->mode;
	ret->host_keys = s->host_keys;
	ret->generation = appraise_generation();
	ret->refused[0] = '\0';
	if (c && c->keys_refused[0])
		snprintf(ret->refused, sizeof(ret->refused), "keys: %s", c->keys_refused);
	else if (c && c->settings_refused[0])
		snprintf(ret->refused, sizeof(ret->refused), "settings: %s", c->settings_refused);
	ret->key_count = 0;
	for (size_t i = 0; i < s->keyring.count && i < CANISTER_APPRAISAL_KEYS_MAX; i++) {
		const struct canister_ima_key *key = &s->keyring.keys[i];
		struct canister_appraisal_key *out = &ret->keys[ret->key_count++];

		out->keyid = key->keyid;
		out->keyid_from_skid = key->keyid_source == CANISTER_IMA_KEY_ID_SKID;
		/* "RSA 2048", "ECDSA P-384": ima_keys.c's words fit. */
		snprintf(out->algorithm, sizeof(out->algorithm), "%.*s",
			 (int)sizeof(out->algorithm) - 1, key->description);
		snprintf(out->subject, sizeof(out->subject), "%s", key->subject);
		snprintf(out->origin, sizeof(out->origin), "%s",
			 i < s->own_keys ? "container"
			 : i < s->own_keys + s->config_keys
				 ? key_path(&appraise.container, key->keyid)
				 : key_path(&appraise.host, key->keyid));
	}
	appraise_put(s);
}

void appraise_counts(struct appraise_counts *ret)
{
	*ret = (struct appraise_counts){ .host_key_count = appraise.host.ring.count };
	pthread_mutex_lock(&appraise.lock);
	for (size_t i = 0; i < appraise.count; i++) {
		const struct container_appraisal *c = appraise.containers[i];

		ret->off += c->settings.mode == CANISTER_APPRAISE_OFF;
		ret->log += c->settings.mode == CANISTER_APPRAISE_LOG;
		ret->enforce += c->settings.mode == CANISTER_APPRAISE_ENFORCE;
		ret->host_keys += c->settings.host_keys;
		ret->keys_refused += c->keys_refused[0] != '\0';
	}
	pthread_mutex_unlock(&appraise.lock);
}

size_t appraise_held(uint64_t *ret_contids, enum canister_appraise_mode *ret_modes, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&appraise.lock);
	for (size_t i = 0; i < appraise.count; i++) {
		const struct container_appraisal *c = appraise.containers[i];

		if (n < max) {
			ret_contids[n] = c->contid;
			ret_modes[n] = c->settings.mode;
		}
		n++;
	}
	pthread_mutex_unlock(&appraise.lock);
	return n;
}

enum canister_appraise_mode appraise_mode_of(uint64_t contid)
{
	enum canister_appraise_mode mode;
	struct container_appraisal *c;

	pthread_mutex_lock(&appraise.lock);
	c = find_locked(contid);
	mode = c ? c->settings.mode : appraise.defaults.mode;
	pthread_mutex_unlock(&appraise.lock);
	return mode;
}

enum canister_appraise_mode appraise_default_mode(void)
{
	enum canister_appraise_mode mode;

	pthread_mutex_lock(&appraise.lock);
	mode = appraise.defaults.mode;
	pthread_mutex_unlock(&appraise.lock);
	return mode;
}

/*
 * The settings a previous canisterd wrote for @c.  One that does not parse
 * puts the container in enforce (fail closed): whoever could corrupt the
 * file must not thereby turn appraisal off.
 */
static void reload_settings(struct container_appraisal *c)
{
	char path[4096], why[512], *text = NULL;
	size_t len;
	int r;

	container_path(c->contid, APPRAISE_SETTINGS_FILE, path, sizeof(path));
	r = canister_read_trusted_named_file(path, "appraisal settings file",
					     APPRAISE_SETTINGS_TEXT_MAX * 16, &text, &len, why,
					     sizeof(why));
	if (r == -ENOENT)
		return;
	if (r == 0)
		r = appraise_settings_parse(text, len, path, &c->settings, why, sizeof(why));
	free(text);
	if (r < 0) {
		c->settings = (struct appraise_settings){ .mode = CANISTER_APPRAISE_ENFORCE };
		snprintf(c->settings_refused, sizeof(c->settings_refused), "%s", why);
		log_error("integrity: container %" PRIu64 ": its appraisal settings are refused "
			  "(%s); it appraises in enforce mode until its mode is set again",
			  c->contid, why);
	}
}

/* One container's stored appraisal, if it has any. */
static void reload_container(uint64_t contid)
{
	struct canister_ima_keyring own = { 0 };
	struct container_appraisal *c;
	struct appraise_snapshot *s;
	char keys[4096], settings[4096], why[512];
	int r;

	container_path(contid, "keys", keys, sizeof(keys));
	container_path(contid, APPRAISE_SETTINGS_FILE, settings, sizeof(settings));
	if (access(keys, F_OK) < 0 && access(settings, F_OK) < 0)
		return;
	c = find_or_add(contid);
	if (!c) {
		log_error("integrity: container %" PRIu64 ": its appraisal is not reloaded: %s",
			  contid, strerror(ENOMEM));
		return;
	}
	reload_settings(c);
	c->own_keys = access(keys, F_OK) == 0;
	r = canister_ima_key_store_load(keys, &own, why, sizeof(why));
	if (r < 0) {
		snprintf(c->keys_refused, sizeof(c->keys_refused), "%s", why);
		log_error("integrity: container %" PRIu64 ": its appraisal keys are refused (%s); "
			  "it appraises with no keys of its own%s",
			  contid, why,
			  c->settings.mode == CANISTER_APPRAISE_ENFORCE
				  ? ": in enforce mode, what needs a signature is denied"
				  : "");
	}
	s = snapshot_build(contid, &c->settings, own.keys, own.count, NULL, false, 0, r < 0,
			   !c->own_keys);
	canister_ima_keyring_free(&own);
	if (!s) {
		/* Its default snapshot stays: off.  Said loudly, since the disk says otherwise. */
		log_error("integrity: container %" PRIu64 ": its appraisal is not reloaded: %s",
			  contid, strerror(ENOMEM));
		return;
	}
	publish(c, s);
	log_info("integrity: container %" PRIu64 ": appraisal %s reloaded, %zu keys of its own",
		 contid, canister_appraise_mode_name(c->settings.mode), s->own_keys);
}

static void reload_all(void)
{
	struct dirent *entry;
	DIR *dir = opendir(appraise.dir);

	if (!dir)
		return;
	while ((entry = readdir(dir))) {
		uint64_t contid;

		if (publish_dir_contid(entry->d_name, &contid))
			reload_container(contid);
	}
	closedir(dir);
}

/*
 * A key in both integrity_keys and integrity_container_keys must be the same
 * key: the id alone picks the key a signature is checked with, so two keys
 * with one id would make a container's verdicts depend on its host-keys choice.
 */
static int check_key_ids(char *why, size_t why_len)
{
	for (size_t i = 0; i < appraise.container.ring.count; i++) {
		const struct canister_ima_key *key = &appraise.container.ring.keys[i];
		const struct canister_ima_key *host =
			canister_ima_keyring_find(&appraise.host.ring, key->keyid);

		if (host && EVP_PKEY_eq(host->pkey, key->pkey) != 1) {
			snprintf(why, why_len,
				 "integrity_container_keys %s and integrity_keys %s: two different "
				 "keys with one id %08x",
				 appraise.container.paths[i], key_path(&appraise.host, key->keyid),
				 key->keyid);
			return -EEXIST;
		}
	}
	return 0;
}

/* The snapshot of every container canisterd holds nothing for, published. */
static int open_defaults(const struct canister_config *config)
{
	struct appraise_snapshot *s;

	appraise.defaults = (struct appraise_settings){
		.mode = config->integrity_appraise,
		.host_keys = config->integrity_host_keys,
	};
	s = snapshot_build(CANISTER_CONTID_UNSET, &appraise.defaults, NULL, 0, NULL, false, 0,
			   false, true);
	if (!s)
		return -ENOMEM;
	pthread_mutex_lock(&appraise.lock);
	s->generation = atomic_fetch_add(&appraise.generation, 1) + 1;
	appraise.defaults_snapshot = s;
	pthread_mutex_unlock(&appraise.lock);
	log_info("integrity: a container with no appraisal of its own: %s, %zu keys%s%s, host "
		 "keys %s",
		 canister_appraise_mode_name(s->mode), s->config_keys,
		 config->integrity_container_keys[0] ? " from " : "",
		 config->integrity_container_keys, s->host_keys ? "counted" : "not counted");
	return 0;
}

int appraise_open(const struct canister_config *config, char *why, size_t why_len)
{
	int r = 0;

	snprintf(appraise.dir, sizeof(appraise.dir), "%s", config->integrity_dir);
	/* Whole or nothing: a refusal leaves no key of either directory loaded. */
	if (config->integrity_keys[0])
		r = appraise_host_keys_load("integrity_keys", config->integrity_keys,
					    &appraise.host, why, why_len);
	if (r == 0 && config->integrity_container_keys[0])
		r = appraise_host_keys_load("integrity_container_keys",
					    config->integrity_container_keys, &appraise.container,
					    why, why_len);
	if (r == 0)
		r = check_key_ids(why, why_len);
	if (r == 0) {
		r = open_defaults(config);
		if (r < 0)
			snprintf(why, why_len, "out of memory");
	}
	if (r < 0) {
		appraise_host_keys_free(&appraise.container);
		appraise_host_keys_free(&appraise.host);
		return r;
	}
	if (config->integrity_keys[0])
		log_info("integrity: %zu host appraisal keys from %s", appraise.host.ring.count,
			 config->integrity_keys);
	reload_all();
	return 0;
}

void appraise_close(void)
{
	pthread_mutex_lock(&appraise.lock);
	for (size_t i = 0; i < appraise.count; i++) {
		appraise_put(appraise.containers[i]->current);
		free(appraise.containers[i]);
	}
	free(appraise.containers);
	appraise.containers = NULL;
	appraise.count = 0;
	canister_u64map_clear(&appraise.index);
	appraise_put(appraise.defaults_snapshot);
	appraise.defaults_snapshot = &off_snapshot;
	pthread_mutex_unlock(&appraise.lock);
	appraise_host_keys_free(&appraise.container);
	appraise_host_keys_free(&appraise.host);
}
