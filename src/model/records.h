/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a sealed model's forensics as CONTAINER_MODEL records, bounded per container. */
#ifndef CANISTERD_MODEL_RECORDS_H
#define CANISTERD_MODEL_RECORDS_H

#include "core/canisterd.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One forensics entry: an event outside a sealed model. */
struct model_forensic {
	uint64_t contid;
	pid_t pid;
	const char *exe;	 /* NULL: unknown */
	const char *op;		 /* "exec", "open", or the event's name (a string literal) */
	const char *target;	 /* the object; NULL: none */
	const char *event;	 /* EVENT_ID (a string literal) */
	const char *coefficient; /* hex, or "none" */
	bool enforce;		 /* the domain enforces: denied when a gate held it */
	bool denied;
};

int model_records_open(struct canisterd *d, char *why, size_t why_len);
void model_records_close(struct canisterd *d);

/*
 * model_record() - @forensic into canister's audit log and the container's
 * sinks, from any thread, without waiting.  An identical entry (container,
 * coefficient, pid) within a second of the last one written is counted and
 * carried as repeats= by the next one written; each container writes at most
 * RECORD_QUEUE_PER_SECOND a second (bursts of twice that), and beyond that
 * records are counted suppressed.  Nothing is dropped uncounted.
 */
void model_record(const struct model_forensic *forensic);

struct model_record_counts {
	uint64_t written, repeated, suppressed, lost;
};
void model_record_counts(struct model_record_counts *ret);

#endif
