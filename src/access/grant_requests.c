// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the grant, revoke and grant-list control requests. */
#include "access/grant_requests.h"

#include "access/access.h"
#include "access/grants.h"
#include "access/isolation.h"
#include "core/log.h"
#include "core/records.h"
#include "core/reply.h"
#include "identity/identity.h"
#include "lib/audit_record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Only the host's administrator; then the container must be live (ESRCH). */
static int check_caller(struct canisterd *d, const struct peer *peer, uint64_t contid,
			struct canister_container *ret_container, struct canister_reply *ret)
{
	char why[512];

	if (!access_running())
		return reply_refuse(ret, EOPNOTSUPP, "access control did not start");
	if (identity_check_host_admin(d, peer, why, sizeof(why)) < 0)
		return reply_refuse(
			ret, EPERM,
			"only the host's audit administrator may grant, revoke or list "
			"cross-container grants, which widen what a container may do to "
			"others (%s)",
			why);
	if (identity_container(contid, ret_container) < 0)
		return reply_refuse(ret, ESRCH, "no container %" PRIu64, contid);
	return 0;
}

/* The grant @request names, bound to the registrations of the containers it names. */
static int grant_of(const struct canister_request *request, const struct canister_container *holder,
		    struct access_grant *ret, struct canister_reply *reply)
{
	const struct canister_grant_request *g = &request->grant;
	struct canister_container target;

	*ret = (struct access_grant){
		.holder = request->contid,
		.holder_registered = holder->created_ns,
		.credential = g->credential,
		.granted = (int64_t)time(NULL),
	};
	if (!g->credential)
		return 0;
	if (g->as_contid == request->contid)
		return reply_refuse(reply, EINVAL,
				    "container %" PRIu64 " needs no credential for itself: its "
				    "processes act on their own container's already",
				    request->contid);
	if (identity_container(g->as_contid, &target) < 0)
		return reply_refuse(reply, ESRCH,
				    "no container %" PRIu64 " (--as %" PRIu64 ":%" PRIu32 ")",
				    g->as_contid, g->as_contid, g->as_uid);
	ret->any_uid = !g->has_uid;
	ret->uid = g->uid;
	ret->target = g->as_contid;
	ret->target_registered = target.created_ns;
	ret->target_uid = g->as_uid;
	return 0;
}

/* What @holder holds now, into the reply. */
static void list_into(uint64_t holder, struct canister_grants_reply *ret)
{
	static struct access_grant held[CANISTER_GRANTS_LIST_MAX];
	size_t n = access_grants_of(holder, held, CANISTER_GRANTS_LIST_MAX);

	ret->count = (unsigned int)n;
	for (size_t i = 0; i < n; i++)
		ret->grants[i] = (struct canister_grant_entry){
			.credential = held[i].credential,
			.has_uid = held[i].credential && !held[i].any_uid,
			.uid = held[i].uid,
			.as_contid = held[i].target,
			.as_uid = held[i].target_uid,
			.granted = held[i].granted,
		};
}

/*
 * A CONTAINER_ACCESS record of the change: op=grant|revoke, the holder's
 * chain, by= the holder, pid= the administrator's process, target= what it
 * acts on ("host" for host-admin, "contid:M,uid:V[,as-uid:U]"), right=
 * host-admin|credential, cause=granted|revoked, mode=enforce res=1.
 */
static void record(struct canisterd *d, const struct peer *peer, const struct access_grant *g,
		   bool grant)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	struct canister_record_stamp when;
	char target[96], buf[CANISTER_RECORD_MAX + 1];
	unsigned int depth;

	identity_chain(d, g->holder, chain, &depth);
	if (!depth)
		return;
	if (!g->credential)
		snprintf(target, sizeof(target), "host");
	else if (g->any_uid)
		snprintf(target, sizeof(target), "contid:%" PRIu64 ",uid:%" PRIu32, g->target,
			 g->target_uid);
	else
		snprintf(target, sizeof(target),
			 "contid:%" PRIu64 ",uid:%" PRIu32 ",as-uid:%" PRIu32, g->target,
			 g->target_uid, g->uid);
	records_stamp(0, &when);
	records_write("CONTAINER_ACCESS",
		      canister_format_access_record(
			      &when,
			      &(struct canister_access_record){
				      .op = grant ? "grant" : "revoke",
				      .chain = chain,
				      .depth = depth,
				      .by = g->holder,
				      .pid = peer->tgid,
				      .target = target,
				      .right = g->credential ? "credential" : "host-admin",
				      .cause = grant ? "granted" : "revoked",
				      .mode = "enforce",
				      .res = 1,
			      },
			      buf, sizeof(buf)),
		      buf, g->holder);
}

static int change(struct canisterd *d, const struct peer *peer,
		  const struct canister_request *request, struct canister_reply *ret, bool grant)
{
	struct canister_container holder;
	struct access_grant g;
	char why[512], what[96];
	int r = check_caller(d, peer, request->contid, &holder, ret);

	if (r < 0)
		return r;
	r = grant_of(request, &holder, &g, ret);
	if (r < 0)
		return r;
	access_grant_describe(&g, what, sizeof(what));
	r = grant ? access_grants_add(&g, why, sizeof(why))
		  : access_grants_remove(&g, why, sizeof(why));
	if (r == -EEXIST)
		return reply_refuse(ret, EEXIST, "container %" PRIu64 " holds %s already",
				    request->contid, what);
	if (r == -ENOENT)
		return reply_refuse(ret, ENOENT, "container %" PRIu64 " holds no %s",
				    request->contid, what);
	if (r == -ENOSPC)
		return reply_refuse(ret, ENOSPC, "canisterd holds %d grants already",
				    ACCESS_GRANTS_MAX);
	if (r < 0)
		return reply_refuse(ret, EIO, "cannot keep the grants: %s", why);
	isolation_sync();
	record(d, peer, &g, grant);
	log_info("access: container %" PRIu64 " %s %s (the host's administrator, uid %u)",
		 request->contid, grant ? "holds" : "no longer holds", what,
		 (unsigned int)peer->uid);
	list_into(request->contid, &ret->grants);
	return 0;
}

int access_handle_grant(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret)
{
	return change(d, peer, request, ret, true);
}

int access_handle_revoke(struct canisterd *d, const struct peer *peer,
			 const struct canister_request *request, struct canister_reply *ret)
{
	return change(d, peer, request, ret, false);
}

int access_handle_grant_list(struct canisterd *d, const struct peer *peer,
			     const struct canister_request *request, struct canister_reply *ret)
{
	struct canister_container holder;
	int r = check_caller(d, peer, request->contid, &holder, ret);

	if (r < 0)
		return r;
	list_into(request->contid, &ret->grants);
	return 0;
}
