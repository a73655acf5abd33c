// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: answers one decoded control request from one identified peer. */
#include "core/requests.h"

#include "identity/containers.h"
#include "core/loader.h"
#include "identity/labels.h"
#include "identity/register.h"
#include "audit/sinks.h"
#include "core/reply.h"
#include "core/log.h"
#include "core/status.h"
#include "lib/procfs.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static void add_chain(struct json_object *reply, const struct canisterd *d, uint64_t contid)
{
	struct json_object *chain = json_object_new_array();
	uint64_t links[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth = 0;
	char text[32];

	containers_chain(d, contid, links, &depth);
	for (unsigned int i = 0; i < depth; i++) {
		snprintf(text, sizeof(text), "%" PRIu64, links[i]);
		json_object_array_add(chain, json_object_new_string(text));
	}
	json_object_object_add(reply, "chain", chain);
}

static struct json_object *handle_get(struct canisterd *d, const struct peer *peer,
				      const struct canister_request *request)
{
	struct canister_label label;
	struct canister_container c;
	struct json_object *reply;
	bool contained;
	char why[128];
	pid_t tgid;
	int r;

	r = register_check_pid_namespace(d, peer, why, sizeof(why));
	if (r < 0)
		return reply_error(-r, why);
	/* A thread id is answered for its thread group, which is what carries the label. */
	r = canister_proc_tgid(request->pid, &tgid);
	if (r < 0) {
		snprintf(why, sizeof(why), "no process %d", (int)request->pid);
		return reply_error(ESRCH, why);
	}
	r = labels_lookup(tgid, &label);
	if (r < 0 && r != -ENOENT) {
		snprintf(why, sizeof(why), "cannot read the labels map: %s", strerror(-r));
		return reply_error(EIO, why);
	}
	contained = r == 0 && label.contid != CANISTER_CONTID_UNSET;
	reply = reply_ok();
	json_object_object_add(reply, "pid", json_object_new_int(request->pid));
	reply_add_contid(reply, "contid", contained, label.contid);
	add_chain(reply, d, contained ? label.contid : CANISTER_CONTID_UNSET);
	if (contained && containers_lookup(d, label.contid, &c) == 0 && c.name[0])
		json_object_object_add(reply, "name", json_object_new_string(c.name));
	json_object_object_add(reply, "delegated",
			       json_object_new_boolean(r == 0 && label.delegation));
	return reply;
}

/* One reply holds at most this many containers; the client asks again with "after". */
#define LIST_PAGE 200

struct list_page {
	const struct canisterd *d;
	uint64_t after;
	bool has_after;
	struct canister_container page[LIST_PAGE + 1];
	uint64_t contids[LIST_PAGE + 1];
	size_t count;
};

/* Keeps the LIST_PAGE + 1 smallest contids above @after, sorted, by insertion. */
static bool list_collect(uint64_t contid, const struct canister_container *c, void *ctx)
{
	struct list_page *page = ctx;
	size_t at;

	if (page->has_after && contid <= page->after)
		return true;
	for (at = page->count; at > 0 && page->contids[at - 1] > contid; at--)
		;
	if (at > LIST_PAGE)
		return true;
	if (page->count < LIST_PAGE + 1)
		page->count++;
	memmove(&page->contids[at + 1], &page->contids[at],
		(page->count - 1 - at) * sizeof(page->contids[0]));
	memmove(&page->page[at + 1], &page->page[at],
		(page->count - 1 - at) * sizeof(page->page[0]));
	page->contids[at] = contid;
	page->page[at] = *c;
	return true;
}

static struct json_object *handle_list(struct canisterd *d, const struct canister_request *request)
{
	static struct list_page page; /* 40 KiB: kept off the stack; one request at a time */
	struct json_object *reply, *containers;
	char text[32];
	size_t shown;

	memset(&page, 0, sizeof(page));
	page.d = d;
	page.has_after = request->has_after;
	page.after = request->after;
	containers_for_each(d, list_collect, &page);
	shown = page.count > LIST_PAGE ? LIST_PAGE : page.count;

	reply = reply_ok();
	containers = json_object_new_array();
	for (size_t i = 0; i < shown; i++) {
		const struct canister_container *c = &page.page[i];
		struct json_object *entry = json_object_new_object();
		int64_t processes = containers_processes(d, page.contids[i]);

		snprintf(text, sizeof(text), "%" PRIu64, page.contids[i]);
		json_object_object_add(entry, "contid", json_object_new_string(text));
		add_chain(entry, d, page.contids[i]);
		if (c->name[0])
			json_object_object_add(entry, "name", json_object_new_string(c->name));
		json_object_object_add(entry, "processes",
				       json_object_new_int64(processes > 0 ? processes : 0));
		json_object_object_add(entry, "first_pid", json_object_new_int64(c->first_tgid));
		json_object_object_add(entry, "owner", json_object_new_int64(c->owner));
		json_object_object_add(entry, "registered",
				       json_object_new_int64(c->created_ns / 1000000000));
		json_object_array_add(containers, entry);
	}
	json_object_object_add(reply, "containers", containers);
	json_object_object_add(reply, "more", json_object_new_boolean(page.count > LIST_PAGE));
	return reply;
}

/* audit-add: the host's audit administrator starts a sink for a container. */
static struct json_object *handle_audit_add(struct canisterd *d, const struct peer *peer,
					    const struct canister_request *request)
{
	struct canister_sink_config config = { .contid = request->contid };
	const struct canister_sink_request *sink = &request->sink;
	char why[768];
	int r = register_check_host_admin(d, peer, why, sizeof(why));

	if (r < 0)
		return reply_error(-r, why);
	snprintf(config.log, sizeof(config.log), "%s", sink->log);
	snprintf(config.rules, sizeof(config.rules), "%s", sink->rules);
	snprintf(config.socket, sizeof(config.socket), "%s", sink->socket);
	config.backlog = sink->backlog ? sink->backlog : CANISTER_DEFAULT_SINK_BACKLOG;
	config.format = sink->json ? CANISTER_LOG_FORMAT_JSON : CANISTER_LOG_FORMAT_TEXT;
	config.policy = d->config.log_policy;
	r = sinks_add(d, &config, why, sizeof(why));
	if (r < 0)
		return reply_error(-r, why);
	return reply_ok();
}

static struct json_object *handle_audit_remove(struct canisterd *d, const struct peer *peer,
					       const struct canister_request *request)
{
	char why[256];
	int r = register_check_host_admin(d, peer, why, sizeof(why));

	if (r == 0)
		r = sinks_remove(d, request->contid, why, sizeof(why));
	if (r < 0)
		return reply_error(-r, why);
	return reply_ok();
}

struct json_object *request_handle(struct canisterd *d, const struct peer *peer,
				   const struct canister_request *request)
{
	switch (request->op) {
	case CANISTER_OP_STATUS:
		return status_document(d);
	case CANISTER_OP_GET:
		return handle_get(d, peer, request);
	case CANISTER_OP_SET:
		return register_handle_set(d, peer, request);
	case CANISTER_OP_DELEGATE:
		return register_handle_delegate(d, peer, request);
	case CANISTER_OP_LIST:
		return handle_list(d, request);
	case CANISTER_OP_AUDIT_ADD:
		return handle_audit_add(d, peer, request);
	case CANISTER_OP_AUDIT_REMOVE:
		return handle_audit_remove(d, peer, request);
	}
	return reply_error(EINVAL, "unknown op");
}
