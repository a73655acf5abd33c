// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access capability's entry in the core's table: policies held, kept, dropped. */
#include "access/access.h"

#include "access/enforcement.h"
#include "access/fs_events.h"
#include "access/gate_decide.h"
#include "access/grant_requests.h"
#include "access/grants.h"
#include "access/held.h"
#include "access/isolation.h"
#include "access/isolation_abi.h"
#include "access/landlock.h"
#include "access/lsm.h"
#include "access/lsm_abi.h"
#include "access/records.h"
#include "access/requests.h"
#include "access/store.h"
#include "core/capability.h"
#include "core/log.h"
#include "identity/identity.h"
#include "integrity/integrity.h"
#include "integrity/requests.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Ticks (100 ms) between sweeps for dropped containers. */
#define SWEEP_TICKS 10

static struct {
	bool running;
	char dir[CANISTER_CONFIG_PATH_MAX];
	char default_path[CANISTER_CONFIG_PATH_MAX]; /* access_policy, as canisterd started */
	int landlock_abi;
	enum access_lsm_state lsm;
	unsigned int ticks;
} access;

bool access_running(void)
{
	return access.running;
}

const char *access_dir(void)
{
	return access.dir;
}

const char *access_default_path(void)
{
	return access.default_path;
}

/*
 * Whether @contid is still the container a policy was loaded for: live, and
 * registered when the policy says.  A contid registered again after a drop
 * (an orchestrator that reuses its numbers) is another container.
 */
static bool same_container(uint64_t contid, int64_t registered_ns)
{
	struct canister_container container;

	return identity_container(contid, &container) == 0 && container.created_ns == registered_ns;
}

static bool container_live(uint64_t contid)
{
	struct canister_container container;

	return identity_container(contid, &container) == 0;
}

/* Refused loudly: said in the log and the status, kept for a human, the container holds none. */
static void refuse_stored(uint64_t contid, const char *why)
{
	int r;

	log_error("access: container %" PRIu64 "'s stored policy is refused, it holds none: %s",
		  contid, why);
	if (access_held_refuse(contid, why) < 0)
		log_error("access: out of memory keeping why container %" PRIu64
			  "'s policy was refused",
			  contid);
	r = access_store_set_aside(access.dir, contid);
	if (r < 0)
		log_warning("access: container %" PRIu64 "'s refused policy file stays: %s", contid,
			    strerror(-r));
}

static void reload_one(uint64_t contid, const char *text, size_t len, const char *read_error,
		       void *ctx)
{
	struct access_stored_settings settings;
	struct canister_access_policy *policy;
	char source[64], why[768], *canonical;
	const char *body;
	size_t body_len, canonical_len;
	int r;

	(void)ctx;
	snprintf(source, sizeof(source), "%" PRIu64 ACCESS_STORE_SUFFIX, contid);
	if (!text) {
		refuse_stored(contid, read_error);
		return;
	}
	r = access_stored_parse(text, len, source, &settings, &body, &body_len, why, sizeof(why));
	if (r < 0) {
		refuse_stored(contid, why);
		return;
	}
	/* Dropped while canisterd was away: its policy went with it. */
	if (!same_container(contid, settings.registered_ns)) {
		log_info("access: container %" PRIu64 " was dropped while canisterd was stopped: "
			 "its policy goes",
			 contid);
		access_store_remove(access.dir, contid);
		return;
	}
	r = canister_access_policy_parse(body, body_len, source, &policy, why, sizeof(why));
	if (r < 0) {
		refuse_stored(contid, r == -ENOMEM ? "out of memory" : why);
		return;
	}
	/* Printed again: what is held is canonical even if the file was edited. */
	r = access_canonical_text(policy, &canonical, &canonical_len);
	if (r < 0) {
		canister_access_policy_free(policy);
		snprintf(why, sizeof(why), "%s: %s", source,
			 r == -E2BIG ? "the policy prints longer than canisterd holds"
				     : "out of memory");
		refuse_stored(contid, why);
		return;
	}
	r = access_held_put(contid, policy, canonical, canonical_len, &settings);
	if (r < 0) {
		if (r == -E2BIG)
			snprintf(why, sizeof(why),
				 "%s: canisterd holds the policies of %d containers at most",
				 source, ACCESS_HELD_MAX);
		else
			snprintf(why, sizeof(why), "%s: out of memory", source);
		refuse_stored(contid, why);
		return;
	}
	log_info("access: container %" PRIu64 "'s policy reloaded, mode %s", contid,
		 canister_access_mode_name(settings.mode));
}

/*
 * canister.conf's access_policy, the policy of every container that holds
 * none: read first, so that a file that does not parse stops the start with
 * nothing of the stored policies touched.
 */
static int open_default(const struct canister_config *config, char *why, size_t why_len)
{
	struct access_stored_settings settings = { .mode = config->access_policy_mode };
	struct canister_access_policy *policy;
	char *text;
	size_t len;
	int r;

	if (!config->access_policy[0])
		return 0;
	r = canister_access_policy_load(config->access_policy, &policy, why, why_len);
	if (r < 0) {
		/* The loader names the file and line; it says nothing of the key. */
		char detail[512];

		snprintf(detail, sizeof(detail), "%s", why);
		snprintf(why, why_len, "access_policy: %s", detail);
		return r;
	}
	r = access_canonical_text(policy, &text, &len);
	if (r < 0) {
		canister_access_policy_free(policy);
		snprintf(why, why_len, "access_policy %s: %s", config->access_policy,
			 r == -E2BIG ? "the policy prints longer than canisterd holds"
				     : "out of memory");
		return r;
	}
	settings.loaded = (int64_t)time(NULL);
	access_held_set_default(policy, text, len, &settings);
	log_info("access: containers that hold no policy of their own take %s (%zu rules, mode "
		 "%s)",
		 config->access_policy, policy->fs_count + policy->net_count,
		 canister_access_mode_name(settings.mode));
	return 0;
}

static int access_open(struct canisterd *d, char *why, size_t why_len)
{
	int r;

	snprintf(access.dir, sizeof(access.dir), "%s", d->config.access_dir);
	snprintf(access.default_path, sizeof(access.default_path), "%s", d->config.access_policy);
	r = open_default(&d->config, why, why_len);
	if (r < 0)
		return r;
	access.landlock_abi = access_landlock_abi();
	if (access.landlock_abi < 0)
		access.landlock_abi = 0;
	/* After identity: which containers live, and since when, decides what reloads. */
	r = access_store_each(access.dir, reload_one, NULL);
	if (r < 0) {
		snprintf(why, why_len, "access: cannot read %s: %s", access.dir, strerror(-r));
		access_held_clear();
		return r;
	}
	r = access_records_open(d, why, why_len);
	if (r < 0) {
		access_held_clear();
		return r;
	}
	/*
	 * After the reload: the maps get every held policy before the programs
	 * of this run attach.  A failure leaves the policies held, and the
	 * status says they go unenforced (as integrity's backstop does).
	 */
	access.lsm = d->mode == DAEMON_MODE_LSM ? ACCESS_LSM_ON : ACCESS_LSM_TRACE;
	r = access_lsm_open(d, why, why_len);
	if (r < 0 && access.lsm == ACCESS_LSM_ON) {
		log_error("access: BPF LSM does not enforce held policies: %s", why);
		access.lsm = ACCESS_LSM_FAILED;
	} else if (r < 0) {
		log_error("access: trace mode: bind and connect go unrecorded: %s", why);
		access.lsm = ACCESS_LSM_TRACE_UNRECORDED;
	}
	/* Grants whose containers were dropped while canisterd was stopped go first. */
	access_grants_open(access.dir, why, why_len);
	access_grants_sweep(same_container);
	/* Not fatal: the status says what is not enforced, and why. */
	if (isolation_open(d, why, why_len) < 0)
		log_error("access: cross-container isolation is not %s: %s",
			  d->mode == DAEMON_MODE_LSM ? "enforced" : "recorded", why);
	/* Not fatal either: the status's create and remove rows say why nothing is recorded. */
	if (access_fs_events_open(why, why_len) < 0)
		log_error("access: file creations and removals go unrecorded: %s", why);
	access.running = true;
	log_info("access: %zu container policies held (%s); file rights execute, read and "
		 "write %s; %s",
		 access_held_count(), access.dir,
		 integrity_running() ? "are decided at the file gate"
				     : "are not enforced: the file gate is not running",
		 access.lsm == ACCESS_LSM_ON
			 ? "BPF LSM enforces their TCP ports and capability bounds"
			 : "their TCP ports and capability bounds are not enforced by canisterd");
	/* The gate started before the policies reloaded: it sees every open if one needs it. */
	integrity_follow_file_check(false);
	access_fs_events_follow();
	return 0;
}

static void access_close(struct canisterd *d)
{
	access_fs_events_close();
	access_lsm_close();
	isolation_close();
	access_grants_close();
	access_records_close(d);
	access.running = false;
	access_held_clear();
}

/* A dropped container's policy goes with it, its file too; so does a refusal of it. */
static void sweep(void)
{
	bool dropped = false;

	for (size_t i = access_held_count(); i-- > 0;) {
		const struct access_held *held = access_held_at(i);
		uint64_t contid = held->contid;

		if (same_container(contid, held->settings.registered_ns))
			continue;
		access_held_drop(contid);
		access_records_forget(contid);
		access_lsm_remove(contid);
		access_store_remove(access.dir, contid);
		log_info("access: container %" PRIu64 " was dropped: its policy goes", contid);
		dropped = true;
	}
	for (size_t i = access_held_refused_count(); i-- > 0;) {
		uint64_t contid = access_held_refused_contid(i);

		if (container_live(contid))
			continue;
		access_held_drop(contid);
		access_store_remove(access.dir, contid);
	}
	/* The last policy that needed every open may be gone. */
	if (dropped) {
		integrity_follow_file_check(false);
		access_fs_events_follow();
	}
	/* A grant goes with either container it names. */
	if (access_grants_sweep(same_container))
		isolation_sync();
}

static void access_tick(struct canisterd *d)
{
	(void)d;
	if (access.running && ++access.ticks % SWEEP_TICKS == 0)
		sweep();
}

/* Why the file gate decides nothing, or NULL while it runs. */
static const char *gate_off(const struct canisterd *d)
{
	if (integrity_running())
		return NULL;
	return d->config.integrity ? "the file gate did not start (canisterd's log says why)"
				   : "the file gate is off (integrity = off in canister.conf)";
}

/* Whether a held policy handles a file right the gate would decide. */
static bool fs_rights_held(void)
{
	return access_held_handles_fs(ACCESS_GATE_RIGHTS);
}

static void access_status(struct canisterd *d, struct canister_status *ret)
{
	struct canister_access_status *status = &ret->access;
	struct access_record_counts counts;

	status->on = access.running;
	if (!access.running)
		return;
	for (size_t i = 0; i < access_held_count(); i++) {
		if (access_held_at(i)->settings.mode == CANISTER_ACCESS_COMPLAIN)
			status->complain++;
		else
			status->enforce++;
	}
	status->containers = status->enforce + status->complain;
	status->refused = access_held_refused_count();
	status->landlock_abi = (uint64_t)access.landlock_abi;
	if (access_held_default()) {
		snprintf(status->default_policy, sizeof(status->default_policy), "%s",
			 access.default_path);
		status->default_mode = access_held_default()->settings.mode;
	}
	access_record_counts(&counts);
	status->denied = counts.denied;
	status->complained = counts.complained;
	status->written = counts.written;
	status->repeated = counts.repeated;
	status->suppressed = counts.suppressed;
	status->lost = counts.lost;
	access_enforcement(access.landlock_abi, gate_off(d), access.lsm, status->rights,
			   &status->right_count);
	access_fs_events_enforcement(gate_off(d) ? gate_off(d) : access_fs_events_off(), access.lsm,
				     status->rights, status->right_count);
	{
		struct access_fs_events_stats fs;

		access_fs_events_stats(&fs);
		/*
		 * Only a lost event warns: one of a process that exited first
		 * may be the host's (a host's short-lived shells would warn
		 * for ever), so it is only counted alongside.
		 */
		if (fs.overflows)
			canister_status_warn(
				&ret->warnings,
				"access: creates and removes unrecorded: %llu fanotify queue "
				"overflows (events lost); also %llu of processes that exited "
				"before they were read (unattributed), %llu whose directory "
				"could not be opened",
				(unsigned long long)fs.overflows,
				(unsigned long long)fs.unattributed,
				(unsigned long long)fs.unresolved);
	}
	if (gate_off(d) && fs_rights_held())
		canister_status_warn(&ret->warnings,
				     "access: a held policy handles file execute, read or write, "
				     "and no file gate decides them: %s",
				     gate_off(d));
	if (access.lsm == ACCESS_LSM_ON) {
		struct access_lsm_stats lsm;

		access_lsm_stats(&lsm);
		if (lsm.lost)
			canister_status_warn(
				&ret->warnings,
				"access: %llu BPF LSM decisions (of %llu denied, %llu "
				"complained) went unrecorded: the ring buffer was full",
				(unsigned long long)lsm.lost, (unsigned long long)lsm.denied,
				(unsigned long long)lsm.complained);
	}
	if (access.lsm == ACCESS_LSM_FAILED)
		canister_status_warn(&ret->warnings,
				     "access: lsm mode, but BPF LSM programs did not load: held "
				     "policies' TCP ports and capability bounds go unenforced");
	isolation_status_rows(status->rights, &status->right_count, CANISTER_STATUS_ACCESS_RIGHTS);
	if (access_grants_refused())
		canister_status_warn(
			&ret->warnings,
			"access: the stored grants were refused at start, no container "
			"holds one: %s",
			access_grants_refused());
	if (status->refused)
		canister_status_warn(
			&ret->warnings,
			"access: the stored policies of %llu containers were refused at "
			"start: they hold none (canisterd's log names them; `canister "
			"policy show N` says why)",
			(unsigned long long)status->refused);
}

static const struct capability_request access_requests[] = {
	{ CANISTER_OP_POLICY_LOAD, access_handle_load },
	{ CANISTER_OP_POLICY_SHOW, access_handle_show },
	{ CANISTER_OP_GRANT, access_handle_grant },
	{ CANISTER_OP_REVOKE, access_handle_revoke },
	{ CANISTER_OP_GRANT_LIST, access_handle_grant_list },
	{ 0, NULL },
};

/* Both objects' pinned maps, for `canisterd --unload`: each list is its loader's. */
static const char *const *const access_pinned_maps[] = {
	access_lsm_pinned_maps,
	isolation_pinned_maps,
	NULL,
};

static void access_containers_present(struct canisterd *d, bool any)
{
	(void)d;
	isolation_containers_present(any);
}

const struct capability access_capability = {
	.name = "access",
	.open = access_open,
	.close = access_close,
	.tick = access_tick,
	.containers_present = access_containers_present,
	.status = access_status,
	.requests = access_requests,
	.pinned_maps = access_pinned_maps,
};
