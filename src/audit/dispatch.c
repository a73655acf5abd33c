// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: where each audit event goes: the host log, the auditd plugins, the sinks. */
#include "audit/dispatch.h"

#include "audit/output.h"
#include "audit/plugins.h"
#include "audit/sinks.h"
#include "core/log.h"
#include "identity/identity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	struct audit_output host;
	bool host_open;
	const struct audit_host_rules *host_rules;
	char node_prefix[256];
	size_t node_prefix_len;
	char *own_line; /* node= prefix and one of canister's records */
	size_t own_line_cap;
	uint64_t events, filtered, sink_only, own_failures;
} dispatch;

int dispatch_open(struct canisterd *d, const struct audit_host_rules *host_rules,
		  const char *node_prefix, char *why, size_t why_len)
{
	char detail[512];
	int r;

	r = audit_output_open(&dispatch.host, d->config.host_log, d->config.host_log_format,
			      &d->config.log_policy, 0, detail, sizeof(detail));
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", detail);
		return r;
	}
	dispatch.host_open = true;
	dispatch.host_rules = host_rules;
	dispatch.node_prefix_len = strlen(node_prefix);
	memcpy(dispatch.node_prefix, node_prefix, dispatch.node_prefix_len + 1);
	return 0;
}

void dispatch_close(void)
{
	if (dispatch.host_open) {
		audit_output_flush(&dispatch.host);
		audit_output_close(&dispatch.host);
	}
	dispatch.host_open = false;
	free(dispatch.own_line);
	dispatch.own_line = NULL;
	dispatch.own_line_cap = 0;
}

/* The event's lines, node= prefixes and newlines included: one piece of its buffer. */
static const char *event_lines(const struct audit_event *event, size_t *ret_len)
{
	if (!event->count) {
		*ret_len = 0;
		return "";
	}
	*ret_len = event->len - event->records[0].line;
	return event->bytes + event->records[0].line;
}

void dispatch_event(const struct audit_event *event)
{
	struct canister_route route = {
		.chain = event->chain,
		.depth = event->depth,
		.facts = &event->facts,
	};
	const char *lines;
	size_t len;

	lines = event_lines(event, &len);
	if (!len)
		return;
	/* An event a sink's own rule caused is that sink's alone: the host never asked for it. */
	route.owned = sinks_key_owner(event->facts.key, &route.owner);
	if (route.owned) {
		dispatch.sink_only++;
	} else if (!dispatch.host_rules || audit_host_rules_pass(dispatch.host_rules, &event->facts,
								 event->chain, event->depth)) {
		dispatch.events++;
		audit_output_add(&dispatch.host, lines, len);
		plugins_event(lines, len, event->count);
	} else {
		dispatch.filtered++;
	}
	sinks_route(lines, len, event->count, &route);
}

void dispatch_flush(void)
{
	if (dispatch.host_open && audit_output_batched(&dispatch.host))
		audit_output_flush(&dispatch.host);
}

void dispatch_own_record(struct canisterd *d, const char *line, size_t len, uint64_t contid)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	struct canister_syscall_facts none = { 0 };
	struct canister_route route = { .chain = chain, .facts = &none };
	size_t need = dispatch.node_prefix_len + len;

	if (!dispatch.host_open || !len || line[len - 1] != '\n')
		return;
	if (need > dispatch.own_line_cap) {
		char *bigger = realloc(dispatch.own_line, need);

		if (!bigger) {
			dispatch.own_failures++;
			return;
		}
		dispatch.own_line = bigger;
		dispatch.own_line_cap = need;
	}
	memcpy(dispatch.own_line, dispatch.node_prefix, dispatch.node_prefix_len);
	memcpy(dispatch.own_line + dispatch.node_prefix_len, line, len);
	/* Among the kernel's events in arrival order: gathered behind them, written now. */
	audit_output_add(&dispatch.host, dispatch.own_line, need);
	audit_output_flush(&dispatch.host);
	plugins_event(dispatch.own_line, need, 1);
	if (contid == CANISTER_CONTID_UNSET)
		return;
	identity_chain(d, contid, chain, &route.depth);
	if (route.depth == 0) {
		/* Dropped already: the sink of that very container still hears of it. */
		chain[0] = contid;
		route.depth = 1;
	}
	sinks_route(dispatch.own_line, need, 1, &route);
}

int dispatch_rotate_host_log(void)
{
	return dispatch.host_open ? audit_output_rotate(&dispatch.host) : -ENOENT;
}

void dispatch_counters(struct dispatch_counters *ret)
{
	*ret = (struct dispatch_counters){
		.events = dispatch.events,
		.filtered = dispatch.filtered,
		.sink_only = dispatch.sink_only,
	};
	if (!dispatch.host_open)
		return;
	ret->write_failures = dispatch.host.write_failures + dispatch.own_failures;
	ret->disk_full_lost = dispatch.host.disk_full_lost;
	audit_output_rotations(&dispatch.host, &ret->rotations, &ret->rotation_failures);
}
