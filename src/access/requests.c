// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the access capability's control requests (policy-load, policy-show). */
#include "access/requests.h"

#include "access/access.h"
#include "access/fs_events.h"
#include "access/held.h"
#include "access/lsm.h"
#include "access/permit.h"
#include "access/records.h"
#include "access/store.h"
#include "core/log.h"
#include "core/reply.h"
#include "identity/identity.h"
#include "integrity/integrity.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The caller, the container it names, and whether the one may load (@load)
 * or read the other's policy.  Returns 0 with the container in *@ret_container,
 * or the refusal in @ret.
 */
static int check_caller(struct canisterd *d, const struct peer *peer, uint64_t contid, bool load,
			struct canister_container *ret_container, uint32_t *ret_loaded_by,
			struct canister_reply *ret)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	struct access_caller caller = { .chain = chain };
	struct access_target target = { .contid = contid };
	struct canister_label label;
	char why[512];
	int r;

	if (!access_running())
		return reply_refuse(ret, EOPNOTSUPP, "access control did not start");
	caller.host_admin = identity_check_host_admin(d, peer, why, sizeof(why)) == 0;
	r = identity_label(peer->tgid, &label);
	if (r == 0) {
		caller.delegation = label.delegation;
		identity_chain(d, label.contid, chain, &caller.depth);
	} else if (r != -ENOENT) {
		return reply_refuse(ret, -r, "cannot read the caller's label: %s", strerror(-r));
	}
	/* Who may ask is settled before whether the container exists: no probing for contids. */
	r = identity_container(contid, ret_container);
	if (r == 0)
		target.owner = ret_container->owner;
	if (r < 0 && caller.host_admin)
		return reply_refuse(ret, ESRCH, "no container %" PRIu64, contid);
	if (r < 0) {
		access_permit_check(&caller, &target, load, why, sizeof(why));
		return reply_refuse(ret, EPERM, "%s", why);
	}
	r = access_permit_check(&caller, &target, load, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	*ret_loaded_by = caller.host_admin ? 0 : caller.delegation;
	return 0;
}

int access_handle_load(struct canisterd *d, const struct peer *peer,
		       const struct canister_request *request, struct canister_reply *ret)
{
	const struct canister_policy_request *load = &request->policy;
	struct access_stored_settings settings = { .mode = load->mode };
	struct canister_access_policy *policy;
	struct canister_container container;
	char why[512], *text;
	size_t len;
	int r = check_caller(d, peer, request->contid, true, &container, &settings.loaded_by, ret);

	if (r < 0)
		return r;
	r = canister_access_policy_parse(load->policy, load->policy_len, "policy", &policy, why,
					 sizeof(why));
	if (r == -ENOMEM)
		return reply_refuse(ret, ENOMEM, "out of memory");
	if (r < 0)
		return reply_refuse(ret, -r == E2BIG ? E2BIG : EINVAL, "%s", why);
	/* Held and shown as canonical text, whatever spelling the client sent. */
	r = access_canonical_text(policy, &text, &len);
	if (r < 0) {
		canister_access_policy_free(policy);
		if (r == -ENOMEM)
			return reply_refuse(ret, ENOMEM, "out of memory");
		return reply_refuse(ret, E2BIG,
				    "the policy prints to %zu bytes; canisterd holds at most %d",
				    len, CANISTER_ACCESS_POLICY_TEXT_MAX);
	}
	/* The table's limit before anything is written: a refused load changes nothing. */
	if (!access_held_room(request->contid)) {
		canister_access_policy_free(policy);
		free(text);
		return reply_refuse(ret, E2BIG,
				    "canisterd holds the policies of %d containers at most, and "
				    "holds that many: container %" PRIu64 "'s is refused (a "
				    "container's policy goes when it is dropped)",
				    ACCESS_HELD_MAX, request->contid);
	}
	/*
	 * In the kernel before anything else: a policy BPF LSM cannot hold is
	 * refused with nothing changed, and one it holds binds the workload
	 * before the caller hears back.
	 */
	r = access_lsm_put(request->contid, policy, settings.mode, why, sizeof(why));
	if (r < 0) {
		canister_access_policy_free(policy);
		free(text);
		return reply_refuse(ret, -r, "%s", why);
	}
	access_records_forget(request->contid);
	settings.loaded = (int64_t)time(NULL);
	/* Bound to this registration: a container registered later under the contid is another. */
	settings.registered_ns = container.created_ns;
	/* On disk first: a policy that would not survive a restart is not taken. */
	r = access_store_save(access_dir(), request->contid, &settings, text, len, why,
			      sizeof(why));
	if (r < 0) {
		canister_access_policy_free(policy);
		free(text);
		access_lsm_sync(request->contid);
		return reply_refuse(ret, EIO, "cannot keep container %" PRIu64 "'s policy: %s",
				    request->contid, why);
	}
	r = access_held_put(request->contid, policy, text, len, &settings);
	if (r < 0) {
		/*
		 * Only a container that held none makes the table grow: without its
		 * file it is as it was.
		 */
		access_store_remove(access_dir(), request->contid);
		access_lsm_sync(request->contid);
		return reply_refuse(ret, ENOMEM, "out of memory");
	}
	/* A new policy's decisions are new ones: complain records each again. */
	access_records_forget(request->contid);
	/* In force at the gate, opens too, before the caller is answered. */
	integrity_follow_file_check(true);
	access_fs_events_follow();
	if (settings.loaded_by)
		log_info("access: container %" PRIu64
			 " holds a policy of %zu rules, mode %s, loaded "
			 "by delegation %" PRIu32,
			 request->contid, policy->fs_count + policy->net_count,
			 canister_access_mode_name(settings.mode), settings.loaded_by);
	else
		log_info("access: container %" PRIu64
			 " holds a policy of %zu rules, mode %s, loaded "
			 "by the host's administrator (uid %u)",
			 request->contid, policy->fs_count + policy->net_count,
			 canister_access_mode_name(settings.mode), (unsigned int)peer->uid);
	return 0;
}

/* @contid's level, judged by @held: its own, or canister.conf's default (which names no contid). */
static void level_of(uint64_t contid, const struct access_held *held,
		     struct canister_policy_show_reply *show, struct canister_policy_level *ret)
{
	*ret = (struct canister_policy_level){
		.contid = contid,
		.mode = held->settings.mode,
		.loaded_by = held->settings.loaded_by,
		.loaded = held->settings.loaded,
		.from_default = held->from_default,
	};
	if (held->from_default)
		snprintf(show->default_path, sizeof(show->default_path), "%s",
			 access_default_path());
}

/* The chain's policy: every level's that holds one, intersected, into @show. */
static int show_effective(struct canisterd *d, uint64_t contid,
			  struct canister_policy_show_reply *show, struct canister_reply *ret)
{
	const struct canister_access_policy *levels[CANISTER_NEST_LIMIT_MAX];
	struct canister_access_policy *effective;
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth, count = 0;
	char *text;
	size_t len;
	int r;

	identity_chain(d, contid, chain, &depth);
	for (unsigned int i = 0; i < depth; i++) {
		/* A level that brought none is judged by the default: it counts as its policy. */
		const struct access_held *held = access_held_judging(chain[i]);

		if (!held)
			continue;
		levels[count] = held->policy;
		level_of(chain[i], held, show, &show->levels[count++]);
	}
	show->level_count = count;
	if (!count)
		return 0;
	r = canister_access_effective(levels, count, &effective);
	if (r == -E2BIG)
		return reply_refuse(ret, E2BIG,
				    "container %" PRIu64 "'s effective policy needs more than %d "
				    "rules",
				    contid, CANISTER_ACCESS_RULES_MAX);
	if (r < 0)
		return reply_refuse(ret, -r, "cannot intersect container %" PRIu64 "'s chain: %s",
				    contid, strerror(-r));
	r = access_canonical_text(effective, &text, &len);
	canister_access_policy_free(effective);
	if (r == -E2BIG)
		return reply_refuse(ret, E2BIG,
				    "container %" PRIu64 "'s effective policy prints to %zu bytes, "
				    "more than %d",
				    contid, len, CANISTER_ACCESS_POLICY_TEXT_MAX);
	if (r < 0)
		return reply_refuse(ret, ENOMEM, "out of memory");
	memcpy(show->policy, text, len + 1);
	show->policy_len = len;
	free(text);
	return 0;
}

int access_handle_show(struct canisterd *d, const struct peer *peer,
		       const struct canister_request *request, struct canister_reply *ret)
{
	struct canister_policy_show_reply *show = &ret->policy_show;
	struct canister_container container;
	const struct access_held *held;
	const char *refused;
	uint32_t loader;
	int r = check_caller(d, peer, request->contid, false, &container, &loader, ret);

	if (r < 0)
		return r;
	show->effective = request->policy.effective;
	refused = access_held_refused(request->contid);
	snprintf(show->refused, sizeof(show->refused), "%s", refused ? refused : "");
	if (show->effective)
		return show_effective(d, request->contid, show, ret);
	held = access_held_judging(request->contid);
	if (!held)
		return 0;
	level_of(request->contid, held, show, &show->levels[0]);
	show->level_count = 1;
	memcpy(show->policy, held->text, held->text_len + 1);
	show->policy_len = held->text_len;
	return 0;
}
