// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: one audit log that events are written to (the host's or a sink's), in its format. */
#include "audit/output.h"

#include "core/log.h"
#include "audit/stamps.h"
#include "audit/json.h"
#include "lib/audit_log.h"
#include "lib/audit_record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *canister_log_format_name(enum canister_log_format format)
{
	return format == CANISTER_LOG_FORMAT_JSON ? "json" : "text";
}

static void describe(const struct audit_output *out, char *buf, size_t len)
{
	if (out->sink_contid)
		snprintf(buf, len, "audit sink %" PRIu64 " (%s)", out->sink_contid, out->path);
	else
		snprintf(buf, len, "host log %s", out->path);
}

int audit_output_open(struct audit_output *out, const char *path, enum canister_log_format format,
		      const struct canister_log_policy_config *policy, uint64_t sink_contid,
		      char *why, size_t why_len)
{
	struct canister_audit_log_policy log_policy;
	int r;

	memset(out, 0, sizeof(*out));
	snprintf(out->path, sizeof(out->path), "%s", path);
	out->format = format;
	out->sink_contid = sink_contid;
	r = canister_audit_log_open(path, &out->log);
	if (r < 0) {
		snprintf(why, why_len, "cannot open %s: %s", path, strerror(-r));
		return r;
	}
	canister_audit_log_policy_of(policy, &log_policy);
	canister_audit_log_set_policy(out->log, &log_policy);
	return 0;
}

static int reserve(struct audit_output *out, size_t more)
{
	char *bigger;
	size_t cap;

	if (out->bytes_len + more <= out->bytes_cap)
		return 0;
	cap = out->bytes_cap ? out->bytes_cap : 4096;
	while (cap < out->bytes_len + more)
		cap *= 2;
	bigger = realloc(out->bytes, cap);
	if (!bigger)
		return -ENOMEM;
	out->bytes = bigger;
	out->bytes_cap = cap;
	return 0;
}

/* One record (@len bytes, no newline) as a line of the output's format, appended to out->bytes. */
static int append_line(struct audit_output *out, const char *text, size_t len)
{
	size_t room;
	int r;

	if (out->format == CANISTER_LOG_FORMAT_TEXT) {
		r = reserve(out, len + 1);
		if (r < 0)
			return r;
		memcpy(out->bytes + out->bytes_len, text, len);
		out->bytes[out->bytes_len + len] = '\n';
		out->bytes_len += len + 1;
		return 0;
	}
	/* Whatever the record's size: the JSON line never needs more than this. */
	room = CANISTER_AUDIT_JSON_MAX(len);
	r = reserve(out, room);
	if (r < 0)
		return r;
	r = canister_audit_json_format(text, len, out->bytes + out->bytes_len, room);
	if (r < 0)
		return r;
	out->bytes_len += (size_t)r;
	return 0;
}

/* Lines (each ending in '\n') in the output's format, appended to out->bytes. */
static int append_lines(struct audit_output *out, const char *lines, size_t len)
{
	const char *end = lines + len;
	int r;

	if (out->format == CANISTER_LOG_FORMAT_TEXT) {
		r = reserve(out, len);
		if (r < 0)
			return r;
		memcpy(out->bytes + out->bytes_len, lines, len);
		out->bytes_len += len;
		return 0;
	}
	while (lines < end) {
		const char *nl = memchr(lines, '\n', (size_t)(end - lines));
		size_t line_len = nl ? (size_t)(nl - lines) : (size_t)(end - lines);

		r = append_line(out, lines, line_len);
		if (r < 0)
			return r;
		lines += line_len + 1;
	}
	return 0;
}

static size_t count_lines(const char *bytes, size_t len)
{
	size_t n = 0;

	for (const char *p = bytes; (p = memchr(p, '\n', len - (size_t)(p - bytes))); p++)
		n++;
	return n;
}

static bool disk_full_error(int r)
{
	return r == -ENOSPC || r == -EDQUOT || r == -EFBIG;
}

static void note_failure(struct audit_output *out, int r, uint64_t events)
{
	char what[CANISTER_CONFIG_PATH_MAX + 64];

	describe(out, what, sizeof(what));
	if (disk_full_error(r)) {
		out->lost_pending += events;
		out->disk_full_lost += events;
		if (!out->disk_full)
			log_error("%s: %s; events are counted, not written, until it takes them "
				  "again",
				  what, strerror(-r));
		out->disk_full = true;
		return;
	}
	out->write_failures += events;
	if (out->write_failures == events || out->write_failures % 1000 < events)
		log_error("%s: an event was not written (%s; %" PRIu64 " so far)", what,
			  strerror(-r), out->write_failures);
}

static int write_lost_record(struct audit_output *out, uint64_t lost,
			     enum canister_lost_reason reason)
{
	struct canister_record_stamp stamp;
	char line[CANISTER_RECORD_MAX + 1];
	size_t at = out->bytes_len;
	int len;

	stamps_next(&stamp);
	len = canister_format_lost_record(&stamp, out->sink_contid, lost, reason, line,
					  sizeof(line));
	if (len < 0)
		return len;
	len = append_line(out, line, (size_t)len - 1);
	if (len == 0)
		len = canister_audit_log_write_lines(out->log, out->bytes + at, out->bytes_len - at,
						     1);
	out->bytes_len = at;
	return len;
}

/* After a full disk: the first thing written again says how much is missing. */
static int catch_up(struct audit_output *out)
{
	char what[CANISTER_CONFIG_PATH_MAX + 64];
	int r;

	if (!out->lost_pending)
		return 0;
	r = write_lost_record(out, out->lost_pending, CANISTER_LOST_DISK_FULL);
	if (r < 0)
		return r;
	describe(out, what, sizeof(what));
	log_info("%s: written again; %" PRIu64 " events were lost while the disk was full", what,
		 out->lost_pending);
	out->lost_pending = 0;
	out->disk_full = false;
	return 0;
}

int audit_output_add(struct audit_output *out, const char *lines, size_t len)
{
	size_t before = out->bytes_len;
	size_t *ends;
	int r;

	if (out->batch_count == out->batch_cap) {
		size_t cap = out->batch_cap ? 2 * out->batch_cap : 64;

		ends = realloc(out->batch_ends, cap * sizeof(*ends));
		if (!ends) {
			note_failure(out, -ENOMEM, 1);
			return -ENOMEM;
		}
		out->batch_ends = ends;
		out->batch_cap = cap;
	}
	r = append_lines(out, lines, len);
	if (r < 0) {
		out->bytes_len = before;
		note_failure(out, r, 1);
		return r;
	}
	out->batch_ends[out->batch_count++] = out->bytes_len;
	return 0;
}

/* One event of the batch, alone: so that a failing batch still writes what it can, and counts. */
static void write_one(struct audit_output *out, size_t start, size_t end)
{
	int r = catch_up(out);

	if (r == 0)
		r = canister_audit_log_write_lines(out->log, out->bytes + start, end - start,
						   count_lines(out->bytes + start, end - start));
	if (r < 0) {
		note_failure(out, r, 1);
		return;
	}
	out->events++;
}

int audit_output_flush(struct audit_output *out)
{
	size_t events = out->batch_count;
	int r;

	if (!events) {
		out->bytes_len = 0;
		return 0;
	}
	r = catch_up(out);
	if (r == 0)
		r = canister_audit_log_write_lines(out->log, out->bytes, out->bytes_len,
						   count_lines(out->bytes, out->bytes_len));
	if (r == 0) {
		out->events += events;
	} else if (events == 1) {
		note_failure(out, r, 1);
	} else {
		/* Nothing of the batch is in the file: each event is tried on its own. */
		for (size_t i = 0, start = 0; i < events; start = out->batch_ends[i++])
			write_one(out, start, out->batch_ends[i]);
	}
	out->batch_count = 0;
	/* out->bytes keeps what was written (one event's lines, for a sink's readers). */
	out->written_len = out->bytes_len;
	out->bytes_len = 0;
	return r;
}

size_t audit_output_batched(const struct audit_output *out)
{
	return out->batch_count;
}

int audit_output_event_lines(struct audit_output *out, const char *lines, size_t len)
{
	int r = audit_output_add(out, lines, len);

	if (r < 0)
		return r;
	return audit_output_flush(out);
}

int audit_output_lost(struct audit_output *out, uint64_t lost)
{
	int r = catch_up(out);

	if (r == 0)
		r = write_lost_record(out, lost, CANISTER_LOST_QUEUE_FULL);
	if (r < 0) {
		note_failure(out, r, 1);
		/* Still missing, now for a full disk: the next record that gets through says so. */
		if (disk_full_error(r))
			out->lost_pending += lost - 1;
	}
	return r;
}

void audit_output_rotations(const struct audit_output *out, uint64_t *ret_rotations,
			    uint64_t *ret_failures)
{
	struct canister_audit_log_stats stats = { 0 };

	if (out->log)
		canister_audit_log_stats(out->log, &stats);
	*ret_rotations = stats.rotations;
	*ret_failures = stats.rotation_failures;
}

int audit_output_rotate(struct audit_output *out)
{
	return out->log ? canister_audit_log_rotate(out->log) : -EBADF;
}

void audit_output_close(struct audit_output *out)
{
	canister_audit_log_close(out->log);
	out->log = NULL;
	free(out->batch_ends);
	out->batch_ends = NULL;
	out->batch_count = out->batch_cap = 0;
	free(out->bytes);
	out->bytes = NULL;
	out->bytes_len = out->bytes_cap = 0;
}
