// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the control socket's limits: who may connect, how often it may ask, which refusals are
 * recorded. */
#include "core/control_limits.h"

#include "lib/why.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SECOND_MS 1000
#define MINUTE_MS (60 * SECOND_MS)

static uint64_t bucket_cap(unsigned int burst, uint64_t period_ms)
{
	return (uint64_t)burst * period_ms;
}

static void bucket_refill(struct control_bucket *bucket, unsigned int rate, uint64_t period_ms,
			  unsigned int burst, uint64_t now_ms)
{
	uint64_t cap = bucket_cap(burst, period_ms);

	/* A clock that does not move forward refills nothing (and never empties). */
	if (now_ms > bucket->at_ms) {
		uint64_t elapsed = now_ms - bucket->at_ms;

		/* Saturate rather than wrap after a very long quiet time. */
		if (elapsed > cap / (rate ? rate : 1) + 1)
			bucket->credit = cap;
		else
			bucket->credit += elapsed * rate;
		bucket->at_ms = now_ms;
	}
	if (bucket->credit > cap)
		bucket->credit = cap;
}

bool control_bucket_take(struct control_bucket *bucket, unsigned int rate, uint64_t period_ms,
			 unsigned int burst, uint64_t now_ms)
{
	bucket_refill(bucket, rate, period_ms, burst, now_ms);
	if (bucket->credit < period_ms)
		return false;
	bucket->credit -= period_ms;
	return true;
}

static void bucket_fill(struct control_bucket *bucket, unsigned int burst, uint64_t period_ms,
			uint64_t now_ms)
{
	bucket->credit = bucket_cap(burst, period_ms);
	bucket->at_ms = now_ms;
}

static bool bucket_full(const struct control_bucket *bucket, unsigned int rate, uint64_t period_ms,
			unsigned int burst, uint64_t now_ms)
{
	struct control_bucket probe = *bucket;

	bucket_refill(&probe, rate, period_ms, burst, now_ms);
	return probe.credit >= bucket_cap(burst, period_ms);
}

static bool nothing_folded(const struct control_folded *folded)
{
	return !folded->refused && !folded->throttled && !folded->connections;
}

/*
 * An entity with nothing open, nothing folded and full buckets is the same
 * as a fresh one: its slot may go to another caller.  One whose buckets are
 * still refilling is kept, or reconnecting would reset its rate.
 */
static bool reclaimable(const struct control_entity *entity,
			const struct canister_control_config *config, uint64_t now_ms)
{
	return !entity->used ||
	       (entity->connections == 0 && nothing_folded(&entity->folded) &&
		bucket_full(&entity->requests, config->requests_per_second, SECOND_MS,
			    config->request_burst, now_ms) &&
		bucket_full(&entity->records, config->refusal_records_per_minute, MINUTE_MS,
			    config->refusal_records_per_minute, now_ms));
}

static bool same_caller(const struct control_caller *a, const struct control_caller *b)
{
	return a->class == b->class && a->id == b->id;
}

/* @caller's entity, a new one if it has none (NULL when the table is full of live ones). */
static struct control_entity *entity_of(struct control_state *state,
					const struct canister_control_config *config,
					const struct control_caller *caller, uint64_t now_ms)
{
	struct control_entity *free_slot = NULL;

	for (size_t i = 0; i < CONTROL_ENTITIES_MAX; i++) {
		struct control_entity *entity = &state->entities[i];

		if (entity->used && same_caller(&entity->caller, caller))
			return entity;
		if (!free_slot && reclaimable(entity, config, now_ms))
			free_slot = entity;
	}
	if (!free_slot)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->caller = *caller;
	bucket_fill(&free_slot->requests, config->request_burst, SECOND_MS, now_ms);
	bucket_fill(&free_slot->records, config->refusal_records_per_minute, MINUTE_MS, now_ms);
	return free_slot;
}

static void fold_started(struct control_folded *folded, uint64_t now_ms)
{
	if (nothing_folded(folded))
		folded->since_ms = now_ms;
}

/* "container 4" or "uid 1000", as refusals name the caller. */
static const char *caller_words(const struct control_caller *caller, char *buf, size_t len)
{
	if (caller->class == CONTROL_CONTAINER)
		snprintf(buf, len, "container %" PRIu64, caller->id);
	else
		snprintf(buf, len, "uid %" PRIu64, caller->id);
	return buf;
}

int control_admit(struct control_state *state, const struct canister_control_config *config,
		  const struct control_caller *caller, uint64_t now_ms, char *why, size_t why_len)
{
	unsigned int open = state->host_connections + state->guest_connections;
	bool container = caller->class == CONTROL_CONTAINER;
	struct control_entity *entity;
	unsigned int own_limit;
	char words[48];
	int r = 0;

	if (caller->class == CONTROL_HOST) {
		if (open >= config->connections) {
			state->totals.refused_connections++;
			return canister_refuse(why, why_len, -EAGAIN,
					       "canisterd has %u connections open, its limit "
					       "(control_connections)",
					       open);
		}
		state->host_connections++;
		state->totals.accepted++;
		return 0;
	}

	entity = entity_of(state, config, caller, now_ms);
	if (!entity) {
		state->totals.refused_connections++;
		return canister_refuse(
			why, why_len, -EAGAIN,
			"canisterd is tracking %d other callers of its control socket; "
			"try again later",
			CONTROL_ENTITIES_MAX);
	}
	own_limit = container ? config->connections_per_container : config->connections_per_uid;
	if (entity->connections >= own_limit)
		r = canister_refuse(why, why_len, -EAGAIN,
				    "%s has %u connections open, its limit (%s)",
				    caller_words(caller, words, sizeof(words)), entity->connections,
				    container ? "control_connections_per_container"
					      : "control_connections_per_uid");
	else if (open >= config->connections ||
		 state->guest_connections + config->host_reserve >= config->connections)
		r = canister_refuse(
			why, why_len, -EAGAIN,
			"the control socket's connections are taken (%u of them are kept for "
			"the host: control_host_reserve)",
			config->host_reserve);
	/* A connection costs a request: identifying its caller is the dearest part of serving it.
	 */
	else if (!control_bucket_take(&entity->requests, config->requests_per_second, SECOND_MS,
				      config->request_burst, now_ms))
		r = canister_refuse(
			why, why_len, -EAGAIN,
			"%s connects too often: at most %u connections and requests a second "
			"(control_requests_per_second)",
			caller_words(caller, words, sizeof(words)), config->requests_per_second);
	if (r < 0) {
		fold_started(&entity->folded, now_ms);
		entity->folded.connections++;
		state->totals.refused_connections++;
		return r;
	}
	entity->connections++;
	state->guest_connections++;
	state->totals.accepted++;
	return 0;
}

void control_leave(struct control_state *state, const struct control_caller *caller)
{
	if (caller->class == CONTROL_HOST) {
		if (state->host_connections)
			state->host_connections--;
		return;
	}
	for (size_t i = 0; i < CONTROL_ENTITIES_MAX; i++) {
		struct control_entity *entity = &state->entities[i];

		if (entity->used && same_caller(&entity->caller, caller)) {
			if (entity->connections)
				entity->connections--;
			break;
		}
	}
	if (state->guest_connections)
		state->guest_connections--;
}

int control_request(struct control_state *state, const struct canister_control_config *config,
		    const struct control_caller *caller, uint64_t now_ms, char *why, size_t why_len)
{
	struct control_entity *entity;
	char words[48];

	if (caller->class == CONTROL_HOST)
		return 0;
	/* An admitted caller has its entity: it is not reclaimed while a connection is open. */
	entity = entity_of(state, config, caller, now_ms);
	if (!entity)
		return canister_refuse(why, why_len, -EAGAIN,
				       "canisterd is tracking too many callers");
	if (control_bucket_take(&entity->requests, config->requests_per_second, SECOND_MS,
				config->request_burst, now_ms))
		return 0;
	fold_started(&entity->folded, now_ms);
	entity->folded.throttled++;
	state->totals.throttled_requests++;
	return canister_refuse(why, why_len, -EAGAIN,
			       "%s asks too often: at most %u requests a second, bursts of %u "
			       "(control_requests_per_second, control_request_burst)",
			       caller_words(caller, words, sizeof(words)),
			       config->requests_per_second, config->request_burst);
}

bool control_record_refusal(struct control_state *state,
			    const struct canister_control_config *config,
			    const struct control_caller *caller, uint64_t now_ms)
{
	struct control_entity *entity;

	if (caller->class == CONTROL_HOST) {
		state->totals.refusals_recorded++;
		return true;
	}
	entity = entity_of(state, config, caller, now_ms);
	if (entity && control_bucket_take(&entity->records, config->refusal_records_per_minute,
					  MINUTE_MS, config->refusal_records_per_minute, now_ms)) {
		state->totals.refusals_recorded++;
		return true;
	}
	/* No entity: nowhere to count it but the totals; the record is still left out. */
	if (entity) {
		fold_started(&entity->folded, now_ms);
		entity->folded.refused++;
	}
	state->totals.refusals_folded++;
	return false;
}

bool control_next_summary(struct control_state *state, const struct canister_control_config *config,
			  uint64_t now_ms, bool flush, struct control_caller *ret_caller,
			  struct control_folded *ret_folded)
{
	uint64_t interval_ms = (uint64_t)config->refusal_summary_interval * SECOND_MS;

	for (size_t i = 0; i < CONTROL_ENTITIES_MAX; i++) {
		struct control_entity *entity = &state->entities[i];

		if (!entity->used || nothing_folded(&entity->folded))
			continue;
		if (!flush && now_ms < entity->folded.since_ms + interval_ms)
			continue;
		*ret_caller = entity->caller;
		*ret_folded = entity->folded;
		memset(&entity->folded, 0, sizeof(entity->folded));
		state->totals.summaries++;
		return true;
	}
	return false;
}

int control_format_summary_record(const struct canister_record_stamp *stamp,
				  const struct control_caller *caller,
				  const struct control_folded *folded, uint64_t now_ms, char *buf,
				  size_t len)
{
	char contid[24] = "-1", uid[24] = "-1";
	uint64_t seconds;
	int n;

	if (len)
		buf[0] = '\0';
	if (!stamp || !caller || !folded || stamp->msec > 999 || caller->class == CONTROL_HOST ||
	    nothing_folded(folded))
		return -EINVAL;
	if (caller->class == CONTROL_CONTAINER)
		snprintf(contid, sizeof(contid), "%" PRIu64, caller->id);
	else
		snprintf(uid, sizeof(uid), "%" PRIu64, caller->id);
	seconds = now_ms > folded->since_ms
			  ? (now_ms - folded->since_ms + SECOND_MS - 1) / SECOND_MS
			  : 0;
	n = snprintf(buf, len,
		     "type=CONTAINER_REFUSALS msg=audit(%" PRId64 ".%03u:%" PRIu64
		     "): contid=%s uid=%s refused=%" PRIu64 " throttled=%" PRIu64
		     " connections=%" PRIu64 " seconds=%" PRIu64 "\n",
		     stamp->sec, stamp->msec, stamp->serial, contid, uid, folded->refused,
		     folded->throttled, folded->connections, seconds);
	if (n < 0 || (size_t)n >= len || n > CANISTER_RECORD_MAX) {
		if (len)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return n;
}
