// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: answers one decoded control request from one identified peer. */
#include "daemon/requests.h"

#include "daemon/loader.h"
#include "daemon/log.h"
#include "daemon/status.h"
#include "lib/errnames.h"
#include "lib/procfs.h"
#include "lib/registry.h"

#include <bpf/bpf.h>
#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <unistd.h>

struct json_object *request_error_reply(int errnum, const char *message)
{
	struct json_object *reply = json_object_new_object();
	const char *name = canister_errno_name(errnum);

	json_object_object_add(reply, "ok", json_object_new_boolean(0));
	json_object_object_add(reply, "errno", json_object_new_string(name ? name : "EIO"));
	json_object_object_add(reply, "error", json_object_new_string(message));
	return reply;
}

static struct json_object *ok_reply(void)
{
	struct json_object *reply = json_object_new_object();

	json_object_object_add(reply, "ok", json_object_new_boolean(1));
	return reply;
}

static void add_contid(struct json_object *reply, bool set, uint64_t contid)
{
	char text[32];

	if (set)
		snprintf(text, sizeof(text), "%" PRIu64, contid);
	else
		snprintf(text, sizeof(text), "unset");
	json_object_object_add(reply, "contid", json_object_new_string(text));
}

/* The label of thread group @tgid: 0, or -ENOENT when it belongs to no container. */
static int lookup_label(struct canisterd *d, pid_t tgid, struct canister_label *ret_label)
{
	__u32 key = tgid;

	if (bpf_map_lookup_elem(loader_labels_fd(d), &key, ret_label))
		return -errno;
	return 0;
}

static struct json_object *handle_get(struct canisterd *d, const struct canister_request *request)
{
	struct canister_label label;
	struct json_object *reply;
	char why[128];
	pid_t tgid;
	int r;

	/* A thread id is answered for its thread group, which is what carries the label. */
	r = canister_proc_tgid(request->pid, &tgid);
	if (r < 0) {
		snprintf(why, sizeof(why), "no process %d", (int)request->pid);
		return request_error_reply(ESRCH, why);
	}
	r = lookup_label(d, tgid, &label);
	if (r < 0 && r != -ENOENT) {
		snprintf(why, sizeof(why), "cannot read the labels map: %s", strerror(-r));
		return request_error_reply(EIO, why);
	}
	reply = ok_reply();
	json_object_object_add(reply, "pid", json_object_new_int(request->pid));
	add_contid(reply, r == 0, label.contid);
	return reply;
}

/* Facts about the caller, pinned by its pidfd; -ESRCH if it went away while we looked. */
static int caller_facts(struct canisterd *d, const struct peer *peer,
			struct canister_caller *ret_caller)
{
	struct canister_caller caller = { .tgid = peer->tgid };
	struct canister_label label;
	uint64_t caps = 0;
	bool own_userns = false;
	int r;

	r = canister_proc_cap_effective(peer->tgid, &caps);
	if (r < 0)
		return r;
	r = canister_proc_in_own_userns(peer->tgid, &own_userns);
	if (r < 0)
		return r;
	caller.cap_audit_control = own_userns && (caps & (1ULL << CAP_AUDIT_CONTROL));
	r = lookup_label(d, peer->tgid, &label);
	if (r < 0 && r != -ENOENT)
		return r;
	caller.in_container = r == 0;
	if (!peer_alive(peer))
		return -ESRCH;
	*ret_caller = caller;
	return 0;
}

struct contid_search {
	uint64_t contid;
	bool found;
};

static bool match_contid(__u32 tgid, const struct canister_label *label, void *ctx)
{
	struct contid_search *search = ctx;

	search->found = label->contid == search->contid;
	return !search->found;
}

static bool contid_in_use(struct canisterd *d, uint64_t contid)
{
	struct contid_search search = { .contid = contid };

	loader_for_each_label(d, match_contid, &search);
	return search.found;
}

/* A random contid keeps allocations from colliding across restarts and hosts. */
static int allocate_contid(struct canisterd *d, uint64_t *ret_contid)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		uint64_t contid;

		if (getrandom(&contid, sizeof(contid), 0) != sizeof(contid))
			return -errno;
		contid &= (1ULL << 53) - 1; /* stays exact in any JSON reader */
		if (contid == 0 || contid_in_use(d, contid))
			continue;
		*ret_contid = contid;
		return 0;
	}
	return -EAGAIN;
}

static struct json_object *handle_set(struct canisterd *d, const struct peer *peer,
				      const struct canister_request *request)
{
	struct canister_target target = { .tgid = request->pid };
	struct canister_caller caller;
	struct canister_label label = { 0 }, existing;
	struct json_object *reply;
	uint64_t contid = request->contid;
	char why[256];
	pid_t tgid;
	int target_pidfd = -1, r;
	__u32 key;

	r = caller_facts(d, peer, &caller);
	if (r < 0) {
		snprintf(why, sizeof(why), "cannot identify the caller (pid %d): %s",
			 (int)peer->tgid, strerror(-r));
		return request_error_reply(r == -ESRCH ? EPERM : EIO, why);
	}

	r = canister_proc_tgid(request->pid, &tgid);
	if (r == 0 && tgid != request->pid) {
		snprintf(why, sizeof(why),
			 "pid %d is a thread of process %d; a container holds whole processes",
			 (int)request->pid, (int)tgid);
		return request_error_reply(EINVAL, why);
	}
	if (r == 0) {
		/* Says if the target exits meanwhile: its successor must not be labelled. */
		target_pidfd = pidfd_open(request->pid, 0);
		if (target_pidfd >= 0)
			target.exists =
				canister_proc_has_children(request->pid, &target.has_children) == 0;
	}
	if (target.exists && lookup_label(d, request->pid, &existing) == 0) {
		target.in_container = true;
		target.contid = existing.contid;
	}

	if (request->allocate && caller.cap_audit_control && !caller.in_container) {
		r = allocate_contid(d, &contid);
		if (r < 0) {
			snprintf(why, sizeof(why), "cannot choose a free contid: %s", strerror(-r));
			reply = request_error_reply(EAGAIN, why);
			goto out;
		}
	}

	r = canister_registry_check_set(&caller, &target, contid, why, sizeof(why));
	if (r < 0) {
		log_info("refused to register pid %d into container %" PRIu64
			 " for pid %d (uid %u): %s",
			 (int)request->pid, contid, (int)peer->tgid, (unsigned)peer->uid, why);
		reply = request_error_reply(-r, why);
		goto out;
	}

	key = request->pid;
	label.contid = contid;
	if (bpf_map_update_elem(loader_labels_fd(d), &key, &label, BPF_NOEXIST)) {
		int errnum;

		/* The errno sent back is the one the message explains. */
		if (errno == EEXIST) {
			errnum = EEXIST;
			snprintf(why, sizeof(why), "pid %d joined a container meanwhile",
				 (int)request->pid);
		} else if (errno == E2BIG || errno == ENOMEM) {
			errnum = ENOSPC;
			snprintf(why, sizeof(why), "the labels map is full (%d processes)",
				 CANISTER_MAX_LABELLED);
		} else {
			errnum = EIO;
			snprintf(why, sizeof(why), "cannot update the labels map: %s",
				 strerror(errno));
		}
		reply = request_error_reply(errnum, why);
		goto out;
	}
	{
		struct pollfd pfd = { .fd = target_pidfd, .events = POLLIN };

		if (poll(&pfd, 1, 0) != 0) {
			/* It died meanwhile; its pid may already be someone else's. */
			bpf_map_delete_elem(loader_labels_fd(d), &key);
			snprintf(why, sizeof(why), "pid %d exited during registration",
				 (int)request->pid);
			reply = request_error_reply(ESRCH, why);
			goto out;
		}
	}

	log_info("registered pid %d into container %" PRIu64 " (by pid %d, uid %u)",
		 (int)request->pid, contid, (int)peer->tgid, (unsigned)peer->uid);
	reply = ok_reply();
	json_object_object_add(reply, "pid", json_object_new_int(request->pid));
	add_contid(reply, true, contid);
out:
	if (target_pidfd >= 0)
		close(target_pidfd);
	return reply;
}

struct json_object *request_handle(struct canisterd *d, const struct peer *peer,
				   const struct canister_request *request)
{
	switch (request->op) {
	case CANISTER_OP_STATUS:
		return status_document(d);
	case CANISTER_OP_GET:
		return handle_get(d, request);
	case CANISTER_OP_SET:
		return handle_set(d, peer, request);
	}
	return request_error_reply(EINVAL, "unknown op");
}
