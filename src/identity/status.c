// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the identity section of the status (labels, inheritance, containers). */
#include "identity/status.h"

#include "identity/capscan.h"
#include "identity/containers.h"
#include "identity/container_cgroup.h"
#include "identity/events.h"
#include "identity/labels.h"
#include "identity/privileged.h"
#include "identity/programs.h"

#include <canister/abi.h>
#include <inttypes.h>
#include <stdio.h>
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

/* Labels never go missing silently: each way a label was, or could be, lost is a warning. */
static void labels_warnings(struct canisterd *d, const struct canister_identity_status *status,
			    struct canister_status_warnings *warnings)
{
	unsigned int entries, wanted;
	uint64_t pid_max = 0;
	FILE *f;

	if (status->inherit_failed)
		canister_status_warn(
			warnings,
			"%" PRIu64 " processes of containers run unlabelled: the labels map "
			"(%" PRIu64 " entries) was full when they were created (see the "
			"audit log, op=inherit)",
			status->inherit_failed, status->labels_capacity);
	if (status->fork_refused)
		canister_status_warn(
			warnings,
			"%" PRIu64 " forks of labelled processes were refused (ENOSPC): the "
			"labels map (%" PRIu64 " entries) was full (see the audit log, "
			"op=fork)",
			status->fork_refused, status->labels_capacity);
	if (programs_inject_inherit_failure())
		canister_status_warn(
			warnings,
			"test switch CANISTERD_TEST_INHERIT_FAILURE=%u is on: 1 in %u forked "
			"children's labels is refused by the labels map (ENOMEM) on purpose; "
			"not for production",
			programs_inject_inherit_failure(), programs_inject_inherit_failure());
	programs_labels_size(&entries, &wanted);
	if (entries != wanted)
		canister_status_warn(
			warnings,
			"the pinned labels map has %u entries, %u are asked for (labels_max "
			"or pid_max): `canisterd --unload` and a start resize it",
			entries, wanted);
	f = fopen("/proc/sys/kernel/pid_max", "re");
	if (f) {
		if (fscanf(f, "%" SCNu64, &pid_max) != 1)
			pid_max = 0;
		fclose(f);
	}
	if (!d->config.labels_max && pid_max > status->labels_capacity)
		canister_status_warn(warnings,
				     "kernel.pid_max (%" PRIu64
				     ") grew beyond the labels map (%" PRIu64
				     " entries) after it was made: a restart after `canisterd "
				     "--unload` resizes it",
				     pid_max, status->labels_capacity);
}

/*
 * lsm mode: containers with no recorded cgroup (registered by a canisterd
 * that kept none, or whose cgroup could not be read) are held to the cgroup
 * each writer is in now, which a container whose init moved into a leaf
 * feels: say so.
 */
static void cgroup_warning(const struct canisterd *d, uint64_t live,
			   struct canister_status_warnings *warnings)
{
	uint64_t recorded;

	if (d->mode != DAEMON_MODE_LSM)
		return;
	recorded = container_cgroup_recorded();
	if (recorded < live)
		canister_status_warn(warnings,
				     "%" PRIu64 " of %" PRIu64
				     " containers have no recorded cgroup: "
				     "their processes may write only the cgroups they are in and "
				     "beneath, not their container's",
				     live - recorded, live);
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
	status.fork_refused = labels_stat_sum(CANISTER_STAT_FORK_REFUSED);
	labels_room(&status.labels_used, &status.labels_capacity);
	labels_for_each(count_contained, &status.labelled_processes);
	containers_for_each(d, count_container, &status.containers);
	status.containers_dropped = containers_dropped_count();
	capscan_result(&status.privileged, &scan_error);

	if (status.lost)
		canister_status_warn(warnings,
				     "%" PRIu64 " event records were lost (ring buffer full)",
				     status.lost);
	labels_warnings(d, &status, warnings);
	cgroup_warning(d, status.containers, warnings);
	container_cgroup_shared_warnings(warnings);
	privileged_warning(&status.privileged, d->mode == DAEMON_MODE_LSM, text, sizeof(text));
	if (text[0])
		canister_status_warn(warnings, "%s", text);
	if (scan_error)
		canister_status_warn(warnings,
				     "the scan for privileged labelled processes failed: %s",
				     strerror(-scan_error));
	*ret = status;
}
