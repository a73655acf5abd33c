/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: files by identity and version, each with its sha256 digest (pure). */
#ifndef CANISTERD_INTEGRITY_FILE_DIGESTS_H
#define CANISTERD_INTEGRITY_FILE_DIGESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#define INTEGRITY_SHA256_SIZE 32

/*
 * A file and the version of it that was read: a write changes mtime and
 * ctime (and a truncate the size), so a changed file has another key and is
 * hashed and measured again, which is IMA's "until it changes" (IMA asks the
 * inode's i_version, which userspace cannot read).
 */
struct integrity_file_key {
	uint64_t dev, ino, size;
	int64_t ctime_sec, ctime_nsec, mtime_sec, mtime_nsec;
	uint64_t write_gen; /* write_gen_of(): moved by a writer's close (write_gen.h) */
};

struct integrity_file_slot {
	bool used;
	struct integrity_file_key key;
	uint8_t digest[INTEGRITY_SHA256_SIZE];
};

/*
 * Open addressing, at most half full.  Used twice: as the digest cache (a
 * bound: when full it forgets everything and starts again, which costs a
 * rehash, never a wrong digest) and as each container's set of files already
 * in its list (no bound, as IMA's own list has none).
 */
struct integrity_file_digests {
	struct integrity_file_slot *slots;
	size_t capacity, count;
	size_t max; /* 0: no bound */
};

void integrity_file_key_from_stat(const struct stat *st, uint64_t write_gen,
				  struct integrity_file_key *ret_key);

/*
 * How long after a file's last change its key may still be the key of a
 * later version: a filesystem stores times at its own granularity (FAT 2 s,
 * ext4 with 128-byte inodes 1 s) and kernels before multigrain timestamps
 * (6.13) stamp from a clock that moves once a tick, and a change made within
 * the same unit as the one before leaves mtime and ctime where they were.
 */
#define INTEGRITY_FILE_SETTLE_SEC 2

/*
 * integrity_file_key_settled() - whether @key (read after @now, CLOCK_REALTIME)
 * names one version: its ctime and mtime are INTEGRITY_FILE_SETTLE_SEC or
 * more before @now, so any later change stamps a later time.  A key that is
 * not settled may be measured, never remembered (no cached digest, no
 * "listed already"), so the next use reads the file again.
 */
bool integrity_file_key_settled(const struct integrity_file_key *key, const struct timespec *now);

/* integrity_file_digests_init() - an empty table of at most @max files (0: no bound). */
void integrity_file_digests_init(struct integrity_file_digests *table, size_t max);
void integrity_file_digests_free(struct integrity_file_digests *table);

/* integrity_file_digests_get() - true with @key's digest in @ret_digest (may be NULL). */
bool integrity_file_digests_get(const struct integrity_file_digests *table,
				const struct integrity_file_key *key, uint8_t *ret_digest);

/*
 * integrity_file_digests_put() - @key has @digest from now on (replacing what
 * it had).  Returns 0, or -ENOMEM with the table unchanged.
 */
int integrity_file_digests_put(struct integrity_file_digests *table,
			       const struct integrity_file_key *key, const uint8_t *digest);

#endif
