/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd: each container's appraisal keys and mode, held as immutable
 * snapshots that the gate takes without holding a lock while it verifies.
 */
#ifndef CANISTERD_INTEGRITY_APPRAISE_H
#define CANISTERD_INTEGRITY_APPRAISE_H

#include "integrity/appraise_settings.h"
#include "integrity/ima_keys.h"
#include "lib/config.h"
#include "lib/reply.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One container's appraisal at one moment.  Immutable once published: a
 * change (a key added or removed, the mode or the host-keys choice changed)
 * makes a new snapshot and replaces the container's pointer to it under the
 * table's lock; a holder keeps reading the old one, freed when the last
 * holder puts it.  Any thread may hold and read one for as long as it likes.
 */
struct appraise_snapshot {
	uint64_t contid;
	enum canister_appraise_mode mode; /* the container's own (ancestors' may bind it more) */
	bool host_keys;			  /* the host's keys are in @keyring */
	/*
	 * Its stored keys did not reload at canisterd's start: @keyring has no
	 * key of its own (so enforce denies every appraised file).
	 */
	bool keys_refused;
	/* appraise_generation() when this snapshot was made */
	uint64_t generation;
	/*
	 * The keys a signature is checked with: the container's own, then the
	 * host's when @host_keys (a host key with an own key's id is left out:
	 * the container's own wins).  canister_ima_verify_*() read it; nothing
	 * writes it.  Its EVP_PKEYs are shared (reference-counted) with the
	 * table, and OpenSSL verifies with one EVP_PKEY from several threads.
	 */
	struct canister_ima_keyring keyring;
	size_t own_keys; /* keyring.keys[0..own_keys) are the container's own */
	/*
	 * keyring.keys[own_keys..own_keys + config_keys) are integrity_container_keys':
	 * they count for a container that was never given a key of its own.
	 */
	size_t config_keys;
	atomic_uint refs; /* the table's reference and each holder's */
};

/*
 * appraise_open() - the host's keys (integrity_keys) and the keys of
 * containers with none of their own (integrity_container_keys), each whole or
 * refused (then -errno with the reason in @why, nothing is kept, and
 * canisterd does not start; -EEXIST: the two hold different keys with one
 * id); the defaults of a container with no appraisal of its own
 * (integrity_appraise, integrity_host_keys); then every
 * container's stored appraisal under integrity_dir: its settings
 * (integrity_dir/<contid>/appraise) and keys (integrity_dir/<contid>/keys).
 * A container whose keys do not reload is logged as an error and appraises
 * with no keys of its own until they are fixed and canisterd restarted;
 * one whose settings do not parse is put in enforce mode (fail closed) until
 * its mode is set again.  Returns 0, or -errno with @why.
 */
int appraise_open(const struct canister_config *config, char *why, size_t why_len);

/* appraise_close() - frees the table; every snapshot taken must have been put. */
void appraise_close(void);

/*
 * appraise_get() - @contid's current snapshot, held (appraise_put() it).
 * Never NULL, never blocks beyond the table's lock (a lookup), never
 * allocates: a container canisterd holds no appraisal for gets the defaults'
 * snapshot (canister.conf's integrity_appraise mode, integrity_container_keys'
 * keys, the host's when integrity_host_keys says so; off and no keys before
 * appraise_open()).  Any thread.
 */
struct appraise_snapshot *appraise_get(uint64_t contid);

/*
 * appraise_get_chain() - appraise_get() of each of @chain[0..@depth) (a
 * container first, then each it nests in, as identity_chain() gives it)
 * into @ret_levels, all taken under one hold of the lock: one consistent
 * moment of the whole chain.  Put them with appraise_put_chain().
 */
void appraise_get_chain(const uint64_t *chain, unsigned int depth,
			struct appraise_snapshot **ret_levels);

void appraise_put(struct appraise_snapshot *snapshot);
void appraise_put_chain(struct appraise_snapshot **levels, unsigned int depth);

/*
 * appraise_chain_mode() - the mode that binds the container @levels[0]:
 * the strictest of its own and its ancestors' (appraise_effective_mode()).
 */
enum canister_appraise_mode appraise_chain_mode(struct appraise_snapshot *const *levels,
						unsigned int depth);

/*
 * appraise_generation() - a number that moves (up) on every change of any
 * container's appraisal.  A verdict cached with the generation it was made
 * under is stale once this differs: a key or a mode changed somewhere, maybe
 * in an ancestor.  Any thread; one atomic load.
 */
uint64_t appraise_generation(void);

/* The control plane (canisterd's main loop; each returns -errno with one line in @why). */

/*
 * appraise_key_add() - the certificate in the @len bytes at @cert joins
 * @contid's own keys (stored first, then published); from then on only its
 * own keys count for it, integrity_container_keys' no more.  -EINVAL (refused
 * certificate), -EEXIST (its id is there), -ENOSPC (64 keys), -EIO (its
 * store was refused at start: nothing is added until it is fixed).
 */
int appraise_key_add(uint64_t contid, const uint8_t *cert, size_t len, uint32_t *ret_keyid,
		     char *why, size_t why_len);

/* appraise_key_remove() - -ENOENT (no own key @keyid), -EIO (as above). */
int appraise_key_remove(uint64_t contid, uint32_t keyid, char *why, size_t why_len);

/*
 * appraise_set() - @contid's mode becomes *@mode and its host-keys choice
 * *@host_keys, each when not NULL (the other stays as it was: the config's
 * default for a container that never set it): both written to its settings
 * file first (whole: a temporary file, fsync, rename), then published; from
 * then on both are its own.
 */
int appraise_set(uint64_t contid, const enum canister_appraise_mode *mode, const bool *host_keys,
		 char *why, size_t why_len);

/* appraise_describe() - @contid's appraisal as the control protocol answers it. */
void appraise_describe(uint64_t contid, struct canister_appraisal_reply *ret);

/* How many containers canisterd holds an appraisal for, by mode; `canister status`. */
/*
 * appraise_held() - up to @max containers canisterd holds an appraisal of
 * their own for (a mode set, a key added: whatever the mode, off included):
 * their contids into @ret_contids, their modes into @ret_modes.  Returns
 * how many there are (may exceed @max).  Every other container appraises in
 * appraise_default_mode().
 */
size_t appraise_held(uint64_t *ret_contids, enum canister_appraise_mode *ret_modes, size_t max);

/* appraise_mode_of() - @contid's mode: its own, else the config's default. */
enum canister_appraise_mode appraise_mode_of(uint64_t contid);

/* appraise_default_mode() - integrity_appraise: the mode of a container that set none. */
enum canister_appraise_mode appraise_default_mode(void);

struct appraise_counts {
	uint64_t off, log, enforce;
	uint64_t host_keys;	 /* counting the host's keys */
	uint64_t keys_refused;	 /* whose stored keys did not reload */
	uint64_t host_key_count; /* keys in integrity_keys */
};
void appraise_counts(struct appraise_counts *ret);

#endif
