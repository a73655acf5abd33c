/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: which of a capability's decision records are written, repeated or over the rate. */
#ifndef CANISTER_LIB_RECORD_REPEATS_H
#define CANISTER_LIB_RECORD_REPEATS_H

#include "lib/rate_limit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One distinct decision remembered (direct-mapped: a collision forgets the older one). */
struct canister_record_seen {
	uint64_t key, contid, repeats, last_ns;
};

/*
 * A table of the decisions recorded lately and a per-container rate limit,
 * both of the caller's memory; the caller locks.
 */
struct canister_record_repeats {
	struct canister_record_seen *seen;
	size_t seen_count;
	struct canister_rate_limit *limit;
	uint64_t window_ns; /* a windowed repeat is one within this long of the last written */
};

enum canister_record_fate {
	CANISTER_RECORD_WRITE,	    /* write it, with *ret_repeats left out before it */
	CANISTER_RECORD_REPEATED,   /* a repeat of one written: counted, carried by the next */
	CANISTER_RECORD_SUPPRESSED, /* over the container's rate: counted */
};

/*
 * canister_record_fate() - what becomes of decision @key (never 0) of
 * @contid now (@now_ns, monotonic).  A @windowed decision repeats only within
 * window_ns of the last one written (a denial a second later is written
 * again); an unwindowed one repeats while it is remembered (a complaint is
 * written once).
 */
enum canister_record_fate canister_record_fate(struct canister_record_repeats *r, uint64_t key,
					       uint64_t contid, bool windowed, uint64_t now_ns,
					       uint64_t *ret_repeats);

/* canister_record_forget() - @contid's decisions are new ones again. */
void canister_record_forget(struct canister_record_repeats *r, uint64_t contid);

/* canister_record_key() - FNV-1a of @len bytes after @h: a table index, not a defence. */
uint64_t canister_record_key(uint64_t h, const void *data, size_t len);

/* The FNV-1a offset basis, to start canister_record_key() from. */
#define CANISTER_RECORD_KEY_START 0xcbf29ce484222325ULL

#endif
