// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the identity capability's entry in the core's table: its start, stop and tick. */
#include "identity/identity.h"

#include "core/capability.h"
#include "core/features.h"
#include "core/log.h"
#include "core/tracefs.h"
#include "identity/capscan.h"
#include "identity/containers.h"
#include "identity/events.h"
#include "identity/guarded.h"
#include "identity/labels.h"
#include "identity/pending.h"
#include "identity/programs.h"
#include "identity/records.h"
#include "identity/register.h"
#include "identity/requests.h"
#include "identity/status.h"
#include "identity/tamper.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void identity_close(struct canisterd *d)
{
	capscan_close();
	/* Records that arrived before the stop are still counted and logged. */
	events_drain(d);
	events_close(d);
	register_close();
	containers_close();
	labels_close();
	programs_close();
}

static int identity_open(struct canisterd *d, char *why, size_t why_len)
{
	char detail[512];
	int r;

	if (d->mode == DAEMON_MODE_LSM)
		guarded_adopt_pinned(d->config.pin_path);
	pending_enable(d->mode == DAEMON_MODE_LSM);
	r = programs_load_label(d, why, why_len);
	if (r < 0) {
		feature_set(d, FEATURE_TP_BTF, false, "%s", why);
		return r;
	}
	feature_set(d, FEATURE_TP_BTF, true,
		    "fork, exec and exit tracking attached (tp_btf/sched_process_fork, "
		    "tp_btf/sched_process_exec, tp_btf/sched_process_exit)");
	r = labels_open(why, why_len);
	if (r < 0)
		goto fail;
	register_open();
	r = containers_open(d);
	if (r < 0) {
		snprintf(why, why_len, "cannot read the containers map: %s", strerror(-r));
		goto fail;
	}

	/*
	 * Without the syscall tracepoints canister still labels and inherits;
	 * what it loses (namespace records, joins by setns) is said, not hidden.
	 */
	r = tracefs_prepare(detail, sizeof(detail));
	if (r == 0)
		r = programs_load_namespaces(d, detail, sizeof(detail));
	feature_set(d, FEATURE_NS_TRACKING, r == 0, "%s",
		    r == 0 ? "setns and unshare tracked (tracepoint/syscalls/sys_{enter,exit}_"
			     "{setns,unshare}): namespace records, joins by setns"
			   : detail);
	if (r < 0)
		log_warning("%s: no namespace records, and processes entering a container by "
			    "setns are not labelled",
			    detail);

	if (d->mode == DAEMON_MODE_LSM) {
		r = programs_load_fork_room(d, why, why_len);
		if (r < 0)
			goto fail;
		r = programs_load_guard(d, why, why_len);
		if (r < 0)
			goto fail;
		r = programs_load_guard_objects(d, why, why_len);
		if (r < 0)
			goto fail;
		r = programs_load_guard_daemon(d, why, why_len);
		if (r < 0)
			goto fail;
	}

	r = events_open(d);
	if (r < 0) {
		snprintf(why, why_len, "cannot read the events ring buffer: %s", strerror(-r));
		goto fail;
	}
	/*
	 * What happened while canisterd was stopped: queued records first, then
	 * containers whose last process exited meanwhile get their drop record.
	 */
	events_drain(d);
	register_forget_watches();
	containers_reconcile(d);
	r = capscan_open(d->config.pin_path, why, why_len);
	if (r < 0)
		goto fail;
	return 0;
fail:
	identity_close(d);
	return r;
}

/*
 * Processes the scanner found able to change labels are recorded as it finds
 * them, not when someone asks: canister's log is written from this thread.
 * In lsm mode the guards refuse what such processes could do, so only an fd
 * held to canister's objects is an alarm there: the guards refuse getting
 * one, not using one taken before.
 */
static bool alarming(const struct canisterd *d, const struct capscan_finding *finding)
{
	return d->mode != DAEMON_MODE_LSM || (finding->reasons & TAMPER_HELD);
}

static void record_findings(struct canisterd *d)
{
	struct capscan_finding findings[16];
	unsigned int count;
	uint64_t dropped;

	do {
		count = capscan_take_findings(findings, 16, &dropped);
		for (unsigned int i = 0; i < count; i++) {
			struct canister_op_record rec = {
				.op = CANISTER_CONTAINER_OP_TAMPER,
				.opid = findings[i].pid,
				.contid = findings[i].contid,
				.old_contid = CANISTER_CONTID_UNSET,
				.reason = findings[i].why,
				.res = 1,
			};

			if (!alarming(d, &findings[i]))
				continue;
			record_op(d, 0, &rec);
			log_warning("container %" PRIu64 ": pid %d could change labels: %s",
				    findings[i].contid, (int)findings[i].pid, findings[i].why);
		}
		if (dropped)
			log_warning("%" PRIu64 " more processes able to change labels were found "
				    "than could be recorded at once; canister status counts them",
				    dropped);
	} while (count == 16);
}

static void identity_tick(struct canisterd *d)
{
	events_tick(d);
	record_findings(d);
}

static void identity_fill_status(struct canisterd *d, struct canister_status *ret)
{
	identity_status(d, &ret->identity, &ret->warnings);
}

static const struct capability_request identity_requests[] = {
	{ CANISTER_OP_GET, identity_handle_get },
	{ CANISTER_OP_SET, register_handle_set },
	{ CANISTER_OP_DELEGATE, register_handle_delegate },
	{ CANISTER_OP_LIST, identity_handle_list },
	{ 0, NULL },
};

/* The outermost container of a control caller: nested containers share their parent's limits. */
static int identity_caller_container(struct canisterd *d, const struct peer *peer,
				     uint64_t *ret_contid)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	struct canister_label label;
	unsigned int depth = 0;
	int r = labels_lookup(peer->tgid, &label);

	if (r == -ENOENT) {
		*ret_contid = CANISTER_CONTID_UNSET;
		return 0;
	}
	if (r < 0)
		return r;
	identity_chain(d, label.contid, chain, &depth);
	*ret_contid = depth ? chain[depth - 1] : label.contid;
	return 0;
}

/* One BPF object's pins, for `canisterd --unload`. */
static const char *const *const identity_pinned_map_lists[] = { identity_pinned_maps, NULL };

const struct capability identity_capability = {
	.name = "identity",
	.open = identity_open,
	.close = identity_close,
	.tick = identity_tick,
	.status = identity_fill_status,
	.caller_container = identity_caller_container,
	.requests = identity_requests,
	.pinned_maps = identity_pinned_map_lists,
};

void identity_catch_up(struct canisterd *d)
{
	events_drain(d);
}

int identity_label(pid_t tgid, struct canister_label *ret_label)
{
	return labels_lookup(tgid, ret_label);
}

int identity_contid(pid_t tgid, uint64_t *ret_contid)
{
	return labels_contid(tgid, ret_contid);
}

void identity_chain(const struct canisterd *d, uint64_t contid, uint64_t *chain,
		    unsigned int *ret_depth)
{
	containers_chain(d, contid, chain, ret_depth);
}

int identity_parent(uint64_t contid, uint64_t *ret_parent)
{
	return containers_parent(contid, ret_parent);
}

unsigned int identity_parents(uint64_t contid, uint64_t *chain)
{
	unsigned int depth = 0;

	while (contid != CANISTER_CONTID_UNSET && depth < CANISTER_NEST_LIMIT_MAX) {
		chain[depth++] = contid;
		if (identity_parent(contid, &contid) < 0)
			break;
	}
	return depth;
}

int identity_container(uint64_t contid, struct canister_container *ret_container)
{
	return containers_lookup(NULL, contid, ret_container);
}

int identity_check_host_admin(const struct canisterd *d, const struct peer *peer, char *why,
			      size_t why_len)
{
	return register_check_host_admin(d, peer, why, why_len);
}
