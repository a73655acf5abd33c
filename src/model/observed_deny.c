// SPDX-License-Identifier: GPL-2.0-only
/* canisterd, lsm mode: an enforced domain's socket, signal, ptrace, capability, setid, mount and
 * anonymous executable mapping events (and move_mount's) denied in the kernel.
 */
#include "model/observed_deny.h"

#include "core/log.h"
#include "identity/identity.h"
#include "model/domains.h"
#include "model/facts.h"
#include "model/observe_deny.h"
#include "model/observers.h"
#include "model/proc_stat.h"
#include "model/task_ids.h"

#include <canister/abi.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

/* The events the lsm observers judge (observe_decode.c, canister_model_obs_kernel_judged()). */
#define DENIED_EVENTS                                                                     \
	"socket_create socket_bind socket_connect socket_listen socket_accept task_kill " \
	"ptrace_access_check capable task_fix_setuid task_fix_setgid sb_mount "           \
	"move_mount mmap_file (anonymous) file_mprotect (anonymous)"

static struct {
	struct canister_model_deny *deny;
	int error; /* why none */
	/*
	 * The containers tried (each once while wanted), and whether each is
	 * enforced in the kernel (false: its model did not fit the map).
	 */
	uint64_t enforced[CANISTER_MODEL_OBS_WANTED_MAX];
	bool in_kernel[CANISTER_MODEL_OBS_WANTED_MAX];
	size_t enforced_count;
	/* Domains whose model did not fit the allowed map; kernel coefficients unlike canisterd's.
	 */
	uint64_t refused, mismatched;
} deny;

/*
 * Each TASK_ID the table takes, into the kernel: into the task storage of
 * the process it was made for (at an exec the gate holds, before the
 * program runs; or derived from /proc).  The pidfd pins the process; its
 * start time read after it was opened says the pid was not another's by
 * then (a process that ended has no TASK_ID to give).
 */
void model_deny_task_id(const struct model_task_key *key,
			const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE])
{
	struct canister_model_deny *maps = deny.deny;
	uint64_t start_time;
	pid_t ppid;
	int pidfd, r;

	if (!maps)
		return;
	pidfd = pidfd_open(key->tgid, 0);
	if (pidfd < 0)
		return;
	r = model_proc_stat(key->tgid, &ppid, &start_time);
	if (r == 0 && start_time == key->start_time)
		r = canister_model_deny_task(maps, pidfd, key->start_time, key->exe_dev,
					     key->exe_ino, task_id);
	if (r < 0 && r != -ESRCH)
		log_debug("model: cannot copy task %d's TASK_ID into the kernel: %s",
			  (int)key->tgid, strerror(-r));
	close(pidfd);
}

void model_deny_start(struct canister_model_observers *observers)
{
	memset(&deny, 0, sizeof(deny));
	deny.deny = canister_model_observers_deny(observers, &deny.error);
	if (!deny.deny) {
		if (deny.error != -ENOTSUP)
			log_warning("model: enforced domains' events are not denied in the kernel: "
				    "%s",
				    strerror(-deny.error));
		return;
	}
	model_task_ids_on_put(model_deny_task_id);
	log_info("model: an enforced domain's " DENIED_EVENTS " are denied in the kernel");
}

void model_deny_stop(void)
{
	model_task_ids_on_put(NULL);
	deny.deny = NULL;
	deny.enforced_count = 0;
}

static bool is_enforced(uint64_t contid, size_t *ret_index)
{
	for (size_t i = 0; i < deny.enforced_count; i++) {
		if (deny.enforced[i] == contid) {
			*ret_index = i;
			return true;
		}
	}
	return false;
}

struct allow_ctx {
	uint64_t contid;
	int error;
};

static int allow_point(const struct canister_model_point *point, void *data)
{
	struct allow_ctx *ctx = data;
	int r;

	if (point->source == CANISTER_MODEL_FORENSIC)
		return 0;
	r = canister_model_deny_allow(deny.deny, ctx->contid, point->coefficient);
	if (r < 0) {
		ctx->error = r;
		return 1;
	}
	return 0;
}

static int allow_model(const struct canister_model *model, enum model_mode mode,
		       const struct model_domain_counts *counts, void *data)
{
	(void)counts;
	if (mode != MODEL_MODE_ENFORCE)
		return -EAGAIN;
	return canister_model_for_each_sorted(model, allow_point, data) ? 1 : 0;
}

/*
 * The TASK_IDs of @contid's processes now, into the table and so into the
 * kernel: those that ran before canisterd started (a restart: the kernel's
 * map starts empty) or before the domain had the gate's attention, which
 * would otherwise have none there and be denied.  Derived as canisterd
 * derives any it did not see at an exec (model_facts_task()).  One pass
 * over /proc, when the container is first enforced in the kernel.
 */
static void seed_task_ids(uint64_t contid)
{
	uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE];
	struct canister_label label;
	uint64_t start_time;
	struct dirent *entry;
	DIR *proc = opendir("/proc");

	if (!proc)
		return;
	while ((entry = readdir(proc)) != NULL) {
		char *end;
		long pid = strtol(entry->d_name, &end, 10);

		if (*end || pid <= 0 || identity_label((pid_t)pid, &label) < 0 ||
		    label.contid != contid)
			continue;
		/* A process gone meanwhile has no TASK_ID to give: nothing to do. */
		(void)model_facts_task((pid_t)pid, contid, &start_time, task_id);
	}
	closedir(proc);
}

void model_deny_sync(uint64_t contid, bool wanted)
{
	struct allow_ctx ctx = { .contid = contid };
	pid_t init;
	size_t at;
	int r;

	if (!deny.deny)
		return;
	if (is_enforced(contid, &at)) {
		if (wanted)
			return;
		(void)canister_model_deny_enforce(deny.deny, contid, false);
		deny.enforced_count--;
		deny.enforced[at] = deny.enforced[deny.enforced_count];
		deny.in_kernel[at] = deny.in_kernel[deny.enforced_count];
		return;
	}
	/*
	 * Not while the runtime's init sets the container up: its steps are
	 * not the workload's, and the kernel cannot tell them apart (they are
	 * judged in canisterd afterwards, as before).
	 */
	if (!wanted || deny.enforced_count == CANISTER_MODEL_OBS_WANTED_MAX ||
	    model_domains_init_tgid(contid, &init) == 0)
		return;
	r = model_domains_with(contid, allow_model, &ctx);
	if (r < 0)
		return; /* no domain, or not enforced */
	if (r > 0) {
		/* Some coefficients are not in the kernel: never deny what the model holds. */
		deny.refused++;
		log_warning("model: container %" PRIu64 "'s model does not fit the kernel's "
			    "map (%s): its events are not denied in the kernel",
			    contid, strerror(-ctx.error));
		(void)canister_model_deny_enforce(deny.deny, contid, false);
		/* Tried once: not again every second while it lives. */
		deny.in_kernel[deny.enforced_count] = false;
		deny.enforced[deny.enforced_count++] = contid;
		return;
	}
	seed_task_ids(contid);
	r = canister_model_deny_enforce(deny.deny, contid, true);
	if (r < 0) {
		log_warning("model: container %" PRIu64
			    "'s events cannot be denied in the kernel: %s",
			    contid, strerror(-r));
		return;
	}
	deny.in_kernel[deny.enforced_count] = true;
	deny.enforced[deny.enforced_count++] = contid;
	log_debug("model: container %" PRIu64 "'s " DENIED_EVENTS " are denied in the kernel",
		  contid);
}

void model_deny_check(const struct canister_model_observed *o,
		      const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	if (!o->kernel_keyed ||
	    memcmp(o->kernel_coefficient, coefficient, sizeof(o->kernel_coefficient)) == 0)
		return;
	/*
	 * The kernel judged another coefficient than canisterd's: a TASK_ID
	 * the kernel had from another exec than the one canisterd found, or a
	 * CELL made otherwise (a defect).  Counted; the status shows it.
	 */
	deny.mismatched++;
	log_warning("model: container %" PRIu64 "'s %s event of pid %" PRIu32
		    ": the kernel's coefficient differs from canisterd's",
		    o->contid, canister_model_event_name(o->event.type), o->event.pid);
}

void model_deny_status(struct canister_model_status *ret)
{
	snprintf(ret->denied_in_kernel, sizeof(ret->denied_in_kernel), "%s",
		 deny.deny ? DENIED_EVENTS : "none");
	ret->kernel_enforced = 0;
	for (size_t i = 0; i < deny.enforced_count; i++)
		ret->kernel_enforced += deny.in_kernel[i];
	ret->kernel_mismatched = deny.mismatched;
}
