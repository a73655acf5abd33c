/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the control socket's limits: who may connect, how often it may ask, which refusals are
 * recorded. */
#ifndef CANISTERD_CONTROL_LIMITS_H
#define CANISTERD_CONTROL_LIMITS_H

#include "lib/audit_record.h"
#include "lib/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Pure decisions, no system call: the glue (core/control.c) passes the
 * monotonic time in milliseconds and the caller's class, and acts on the
 * answer.  Everything here is bounded: a fixed table of callers, integer
 * token buckets.
 */

/*
 * Whom a limit counts.  The host (an unlabelled caller with uid 0) is not
 * limited: it has its own reserve of connections.  A labelled caller counts
 * against its outermost container (a nested container shares its parent's
 * allowance, so nesting does not multiply it); an unlabelled caller with
 * another uid against that uid.
 */
enum control_class {
	CONTROL_HOST,
	CONTROL_CONTAINER,
	CONTROL_UID,
};

struct control_caller {
	enum control_class class;
	uint64_t id; /* the outermost contid, or the uid */
};

/*
 * A token bucket: "credit" is tokens times the period in ms, so that refill
 * by elapsed milliseconds stays exact in integers.
 */
struct control_bucket {
	uint64_t credit;
	uint64_t at_ms;
};

/*
 * control_bucket_take() - take one token from @bucket, refilled at @rate
 * tokens per @period_ms up to @burst since it was last looked at.  A bucket
 * never looked at (at_ms 0 and credit 0) is full.  Returns whether a token
 * was there.
 */
bool control_bucket_take(struct control_bucket *bucket, unsigned int rate, uint64_t period_ms,
			 unsigned int burst, uint64_t now_ms);

/* What was refused to one caller and not recorded one by one, since its last summary. */
struct control_folded {
	uint64_t refused;     /* refusals by a handler whose record was left out */
	uint64_t throttled;   /* requests refused for exceeding the request rate */
	uint64_t connections; /* connections refused by a limit */
	uint64_t since_ms;    /* when the first of them happened */
};

struct control_entity {
	bool used;
	struct control_caller caller;
	unsigned int connections;
	struct control_bucket requests;
	struct control_bucket records;
	struct control_folded folded;
};

/* Callers tracked at once; a caller beyond them is refused a connection. */
#define CONTROL_ENTITIES_MAX 256

/* Totals since start, for `canister status`. */
struct control_totals {
	uint64_t accepted, refused_connections, throttled_requests;
	uint64_t refusals_recorded, refusals_folded, summaries;
};

struct control_state {
	struct control_entity entities[CONTROL_ENTITIES_MAX];
	unsigned int host_connections;	/* open connections of the host */
	unsigned int guest_connections; /* open connections of everyone else */
	struct control_totals totals;
};

/*
 * control_admit() - may @caller open one more connection?  Returns 0 (now
 * counted: control_leave() when it closes), or -EAGAIN with the limit it
 * hit in @why:
 *   - every connection (config->connections) is open already;
 *   - a guest (not the host) would take one of the host_reserve;
 *   - the caller's container or uid has its connections_per_container or
 *     connections_per_uid open already;
 *   - a guest has no request left (a connection costs one: see
 *     control_request());
 *   - CONTROL_ENTITIES_MAX other callers are being tracked.
 * A guest's refused connection is folded into its next summary.
 */
int control_admit(struct control_state *state, const struct canister_control_config *config,
		  const struct control_caller *caller, uint64_t now_ms, char *why, size_t why_len);

/* control_leave() - a connection admitted for @caller has closed. */
void control_leave(struct control_state *state, const struct control_caller *caller);

/*
 * control_request() - may @caller's next request be served?  The host's
 * always are; a guest's are limited to requests_per_second, with bursts of
 * request_burst.  Returns 0, or -EAGAIN with the reason in @why (the request
 * is folded into the caller's next summary, not recorded).
 */
int control_request(struct control_state *state, const struct canister_control_config *config,
		    const struct control_caller *caller, uint64_t now_ms, char *why,
		    size_t why_len);

/*
 * control_record_refusal() - a request of @caller was refused by its handler:
 * may its record be written?  The host's always are; a guest's up to
 * refusal_records_per_minute (the same number as a burst), the rest are
 * counted into the caller's next summary.
 */
bool control_record_refusal(struct control_state *state,
			    const struct canister_control_config *config,
			    const struct control_caller *caller, uint64_t now_ms);

/*
 * control_next_summary() - a caller whose first folded refusal is at least
 * refusal_summary_interval seconds old (any, with @flush: at stop): its
 * counts in *ret_folded and *ret_caller, which start again from zero.
 * Returns false when there is none.
 */
bool control_next_summary(struct control_state *state, const struct canister_control_config *config,
			  uint64_t now_ms, bool flush, struct control_caller *ret_caller,
			  struct control_folded *ret_folded);

/*
 * control_format_summary_record() - the record that stands for refusals that
 * were not recorded one by one:
 *
 *   type=CONTAINER_REFUSALS msg=audit(1700000000.123:42): contid=4 uid=-1
 *   refused=4950 throttled=12 connections=3 seconds=10
 *
 * contid= names the (outermost) container of a labelled caller, uid= an
 * unlabelled caller's uid; the other is -1.  seconds= is how long the
 * counts ran.  Only numbers: nothing the caller chose appears in it.
 *
 * Returns the record's length, or -EINVAL (NULL argument, msec above 999,
 * the host's class, nothing folded) or -ENOSPC.
 */
int control_format_summary_record(const struct canister_record_stamp *stamp,
				  const struct control_caller *caller,
				  const struct control_folded *folded, uint64_t now_ms, char *buf,
				  size_t len);

#endif
