// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the identity section of the status (labels, inheritance, containers). */
#include "identity/status.h"

#include "identity/capscan.h"
#include "identity/containers.h"
#include "identity/events.h"
#include "identity/labels.h"
#include "identity/privileged.h"

#include <canister/abi.h>
#include <inttypes.h>
#include <string.h>

static bool count_contained(__u32 tgid, const struct canister_label *label, void *ctx)
{
	/* A delegated process outside containers carries a label, but no contid. */
	if (label->contid != CANISTER_CONTID_UNSET)
		(*(uint64_t *)ctx)++;
	return true;
}

static bool count_container(uint64_t contid, const struct canister_container *c, void *ctx)
{
	(*(uint64_t *)ctx)++;
	return true;
}

void identity_status(struct canisterd *d, struct canister_identity_status *ret,
		     struct canister_status_warnings *warnings)
{
	struct canister_identity_status status = { 0 };
	char text[CANISTER_STATUS_WARNING_MAX + 1];
	int scan_error;

	status.events_received = events_received_total();
	status.events = labels_stat_sum(CANISTER_STAT_EVENTS);
	status.lost = labels_stat_sum(CANISTER_STAT_LOST);
	status.inherited = labels_stat_sum(CANISTER_STAT_INHERITED);
	status.cleared = labels_stat_sum(CANISTER_STAT_CLEARED);
	status.inherit_failed = labels_stat_sum(CANISTER_STAT_INHERIT_FAILED);
	status.guard_denied = labels_stat_sum(CANISTER_STAT_GUARD_DENIED);
	status.joined = labels_stat_sum(CANISTER_STAT_JOINED);
	labels_for_each(count_contained, &status.labelled_processes);
	containers_for_each(d, count_container, &status.containers);
	status.containers_dropped = containers_dropped_count();
	capscan_result(&status.privileged, &scan_error);

	if (status.lost)
		canister_status_warn(warnings,
				     "%" PRIu64 " event records were lost (ring buffer full)",
				     status.lost);
	privileged_warning(&status.privileged, d->mode == DAEMON_MODE_LSM, text, sizeof(text));
	if (text[0])
		canister_status_warn(warnings, "%s", text);
	if (scan_error)
		canister_status_warn(warnings,
				     "the scan for privileged labelled processes failed: %s",
				     strerror(-scan_error));
	*ret = status;
}
