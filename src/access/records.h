/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the access capability's decisions as CONTAINER_ACCESS records, bounded. */
#ifndef CANISTERD_ACCESS_RECORDS_H
#define CANISTERD_ACCESS_RECORDS_H

#include "core/canisterd.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One refusal by a policy: what enforce denies, or complain would. */
struct access_decision {
	const uint64_t *chain; /* the subject's container, then its ancestors */
	unsigned int depth;
	uint64_t by;	    /* the level whose policy refused */
	pid_t pid;	    /* the subject; 0: unknown */
	const char *exe;    /* the subject's executable; NULL: unknown */
	const char *op;	    /* "exec", "open", "bind", ... (a string literal) */
	const char *target; /* the object, as the record prints it */
	const char *right;  /* the policy's word (a string literal) */
	const char *cause;  /* "not-granted", ... (a string literal) */
	bool enforce;	    /* denied; else complain: allowed and recorded */
};

int access_records_open(struct canisterd *d, char *why, size_t why_len);
void access_records_close(struct canisterd *d);

/*
 * access_record() - @decision into canister's audit log and the container's
 * sinks, from any thread, without waiting: complain writes one record per
 * distinct decision (container, op, right, target, executable) while it is
 * remembered (RECORD_QUEUE_SEEN of them), repeats only counted; enforce
 * writes every denial, but an identical one within a second of the last is
 * counted and carried as repeats= by the next one written.  Each container
 * writes at most RECORD_QUEUE_PER_SECOND a second (bursts of twice that);
 * beyond, records are counted suppressed.  Nothing is dropped uncounted.
 */
void access_record(const struct access_decision *decision);

/*
 * access_record_exe() - @pid's program as canisterd sees it (kernel text,
 * no file of the container's), into @buf of @len bytes: @buf, or NULL
 * when it cannot be read (the process is gone): access_decision.exe.
 */
const char *access_record_exe(pid_t pid, char *buf, size_t len);

/* access_records_forget() - @contid's policy changed: its decisions are new ones again. */
void access_records_forget(uint64_t contid);

struct access_record_counts {
	uint64_t denied;     /* decisions in enforce */
	uint64_t complained; /* decisions in complain */
	uint64_t written;    /* records queued */
	uint64_t repeated;   /* left out as a repeat of a recorded decision */
	uint64_t suppressed; /* left out by a container's rate limit */
	uint64_t lost;	     /* the queue was full, or no memory */
};
void access_record_counts(struct access_record_counts *ret);

#endif
