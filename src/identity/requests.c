// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the identity capability's control requests that read (get, list). */
#include "identity/requests.h"

#include "core/reply.h"
#include "identity/containers.h"
#include "identity/labels.h"
#include "identity/register.h"
#include "lib/procfs.h"

#include <canister/abi.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int identity_handle_get(struct canisterd *d, const struct peer *peer,
			const struct canister_request *request, struct canister_reply *ret)
{
	struct canister_info *info = &ret->get.info;
	struct canister_label label;
	struct canister_container c;
	bool contained;
	char why[128];
	pid_t tgid;
	int r;

	r = register_check_pid_namespace(d, peer, why, sizeof(why));
	if (r < 0)
		return reply_refuse(ret, -r, "%s", why);
	/* A thread id is answered for its thread group, which is what carries the label. */
	r = canister_proc_tgid(request->pid, &tgid);
	if (r < 0)
		return reply_refuse(ret, ESRCH, "no process %d", (int)request->pid);
	r = labels_lookup(tgid, &label);
	if (r < 0 && r != -ENOENT)
		return reply_refuse(ret, EIO, "cannot read the labels map: %s", strerror(-r));
	contained = r == 0 && label.contid != CANISTER_CONTID_UNSET;
	memset(&ret->get, 0, sizeof(ret->get));
	ret->get.pid = request->pid;
	containers_chain(d, contained ? label.contid : CANISTER_CONTID_UNSET, info->chain,
			 &info->depth);
	if (contained && containers_lookup(d, label.contid, &c) == 0 && c.name[0])
		snprintf(info->name, sizeof(info->name), "%.*s", CANISTER_NAME_MAX, c.name);
	info->delegated = r == 0 && label.delegation;
	return 0;
}

struct list_page {
	const struct canisterd *d;
	uint64_t after;
	bool has_after;
	struct canister_container page[CANISTER_LIST_PAGE_MAX + 1];
	uint64_t contids[CANISTER_LIST_PAGE_MAX + 1];
	size_t count;
};

/* Keeps the CANISTER_LIST_PAGE_MAX + 1 smallest contids above @after, sorted, by insertion. */
static bool list_collect(uint64_t contid, const struct canister_container *c, void *ctx)
{
	struct list_page *page = ctx;
	size_t at;

	if (page->has_after && contid <= page->after)
		return true;
	for (at = page->count; at > 0 && page->contids[at - 1] > contid; at--)
		;
	if (at > CANISTER_LIST_PAGE_MAX)
		return true;
	if (page->count < CANISTER_LIST_PAGE_MAX + 1)
		page->count++;
	memmove(&page->contids[at + 1], &page->contids[at],
		(page->count - 1 - at) * sizeof(page->contids[0]));
	memmove(&page->page[at + 1], &page->page[at],
		(page->count - 1 - at) * sizeof(page->page[0]));
	page->contids[at] = contid;
	page->page[at] = *c;
	return true;
}

int identity_handle_list(struct canisterd *d, const struct peer *peer,
			 const struct canister_request *request, struct canister_reply *ret)
{
	static struct list_page page; /* 40 KiB: kept off the stack; one request at a time */
	struct canister_list_reply *list = &ret->list;

	memset(&page, 0, sizeof(page));
	page.d = d;
	page.has_after = request->has_after;
	page.after = request->after;
	containers_for_each(d, list_collect, &page);

	memset(list, 0, sizeof(*list));
	list->count = page.count > CANISTER_LIST_PAGE_MAX ? CANISTER_LIST_PAGE_MAX : page.count;
	list->more = page.count > CANISTER_LIST_PAGE_MAX;
	for (size_t i = 0; i < list->count; i++) {
		const struct canister_container *c = &page.page[i];
		struct canister_container_entry *entry = &list->containers[i];
		int64_t processes = containers_processes(d, page.contids[i]);

		containers_chain(d, page.contids[i], entry->chain, &entry->depth);
		snprintf(entry->name, sizeof(entry->name), "%.*s", CANISTER_NAME_MAX, c->name);
		entry->processes = processes > 0 ? (uint64_t)processes : 0;
		entry->first_pid = c->first_tgid;
		entry->owner = c->owner;
		entry->registered = c->created_ns / 1000000000;
	}
	return 0;
}
