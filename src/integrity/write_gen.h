/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a write generation per inode, moved by each FAN_CLOSE_WRITE the gate reads. */
#ifndef CANISTERD_INTEGRITY_WRITE_GEN_H
#define CANISTERD_INTEGRITY_WRITE_GEN_H

#include <stdint.h>

/*
 * A file's stat key misses a change made through a shared writable mapping
 * where the filesystem moves no timestamp for it (tmpfs, ramfs).  Every file
 * opened for writing, a mapping's included, sends FAN_CLOSE_WRITE at its last
 * release, in the gate's queue before any later permission event; the gate's
 * reader bumps the file's generation there, and the generation is part of the
 * key (integrity_file_key_from_stat()).
 *
 * Not a map of inodes but a fixed table of counters, each inode counted in
 * the bucket its (dev, ino) hashes to: nothing to allocate, nothing to evict,
 * never full.  Two inodes sharing a bucket only make each other's writes
 * cost a hash again, never hide one.  Counters only grow, so a generation
 * read is never one read before a bump.  Lock-free: the reader bumps, any
 * thread reads.
 */

/* The generation of (@dev, @ino) now: its bucket's count plus the global count. */
uint64_t write_gen_of(uint64_t dev, uint64_t ino);

/* A writer of (@dev, @ino) closed it: every key of it read before is old. */
void write_gen_bump(uint64_t dev, uint64_t ino);

/* Events were lost (FAN_Q_OVERFLOW) or a closed file is unknown: every key is old. */
void write_gen_bump_all(void);

#endif
