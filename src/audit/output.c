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

/* A JSON line carries the text and its fields: room for both, escaped. */
#define JSON_LINE_MAX (4 * CANISTER_AUDIT_LINE_MAX)

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

/* One record as a line of the output's format, appended to out->bytes. */
static int append_line(struct audit_output *out, const char *text, size_t len)
{
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
	r = reserve(out, JSON_LINE_MAX);
	if (r < 0)
		return r;
	r = canister_audit_json_format(text, len, out->bytes + out->bytes_len, JSON_LINE_MAX);
	if (r < 0)
		return r;
	out->bytes_len += (size_t)r;
	return 0;
}

static bool disk_full_error(int r)
{
	return r == -ENOSPC || r == -EDQUOT || r == -EFBIG;
}

/* Write out->bytes, line by line: each line whole or not at all. */
static int write_lines(struct audit_output *out)
{
	size_t at = 0;

	while (at < out->bytes_len) {
		const char *end = memchr(out->bytes + at, '\n', out->bytes_len - at);
		size_t line_len = (size_t)(end - (out->bytes + at)) + 1;
		int r = canister_audit_log_write(out->log, out->bytes + at, line_len);

		if (r < 0)
			return r;
		at += line_len;
	}
	return 0;
}

static void note_failure(struct audit_output *out, int r)
{
	char what[CANISTER_CONFIG_PATH_MAX + 64];

	describe(out, what, sizeof(what));
	if (disk_full_error(r)) {
		out->lost_pending++;
		out->disk_full_lost++;
		if (!out->disk_full)
			log_error("%s: %s; events are counted, not written, until it takes them "
				  "again",
				  what, strerror(-r));
		out->disk_full = true;
		return;
	}
	out->write_failures++;
	if (out->write_failures == 1 || out->write_failures % 1000 == 0)
		log_error("%s: an event was not written (%s; %" PRIu64 " so far)", what,
			  strerror(-r), out->write_failures);
}

static int write_lost_record(struct audit_output *out, uint64_t lost,
			     enum canister_lost_reason reason)
{
	struct canister_record_stamp stamp;
	char line[CANISTER_RECORD_MAX + 1];
	int len;

	stamps_next(&stamp);
	len = canister_format_lost_record(&stamp, out->sink_contid, lost, reason, line,
					  sizeof(line));
	if (len < 0)
		return len;
	out->bytes_len = 0;
	len = append_line(out, line, (size_t)len - 1);
	if (len < 0)
		return len;
	return write_lines(out);
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

int audit_output_event(struct audit_output *out, const struct audit_event_view *event)
{
	int r = catch_up(out);

	if (r == 0) {
		out->bytes_len = 0;
		for (size_t i = 0; i < event->count && r == 0; i++)
			r = append_line(out, event->records[i], event->lens[i]);
	}
	if (r == 0)
		r = write_lines(out);
	if (r < 0) {
		note_failure(out, r);
		return r;
	}
	out->events++;
	return 0;
}

int audit_output_lost(struct audit_output *out, uint64_t lost)
{
	int r = catch_up(out);

	if (r == 0)
		r = write_lost_record(out, lost, CANISTER_LOST_QUEUE_FULL);
	if (r < 0) {
		note_failure(out, r);
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
	free(out->bytes);
	out->bytes = NULL;
	out->bytes_len = out->bytes_cap = 0;
}
