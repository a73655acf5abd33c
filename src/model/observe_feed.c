// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the behaviour model's entry point for observers of events no gate holds. */
#include "model/observe_feed.h"

#include "model/domains.h"
#include "model/gate_guard.h"

#include <errno.h>

bool model_wants_contid(uint64_t contid)
{
	enum model_mode mode;

	return model_domains_mode(contid, &mode) == 0;
}

static int observe(uint64_t contid, pid_t pid, const struct canister_model_event *ev,
		   bool task_id_known, bool gone, bool kernel_denied)
{
	struct canister_model_event event = *ev;
	const char *name = canister_model_event_name(ev->type);
	uint8_t bytes[1];

	if (!model_wants_contid(contid))
		return -ENOENT;
	if (!name || canister_model_cell_bytes(ev, bytes, 0) < 0)
		return -EINVAL;
	if (task_id_known)
		model_gate_event_known(contid, pid, &event, name, gone, kernel_denied);
	else
		model_gate_event(contid, pid, &event, 0, name, NULL, false);
	return 0;
}

int model_observe_event(uint64_t contid, pid_t pid, const struct canister_model_event *ev)
{
	return observe(contid, pid, ev, false, false, false);
}

int model_observe_event_known(uint64_t contid, pid_t pid, const struct canister_model_event *ev,
			      bool gone, bool kernel_denied)
{
	return observe(contid, pid, ev, true, gone, kernel_denied);
}

int model_observe_compat_call(uint64_t contid, pid_t pid, enum canister_model_event_type type,
			      const char *call, uint32_t nr, uint32_t sub, bool gone)
{
	if (!model_wants_contid(contid))
		return -ENOENT;
	model_gate_compat_call(contid, pid, type, call, nr, sub, gone);
	return 0;
}

int model_observe_unseen_exec_denied(uint64_t contid, pid_t pid, const char *path)
{
	if (!model_wants_contid(contid))
		return -ENOENT;
	model_gate_unseen_exec_denied(contid, pid, path);
	return 0;
}
