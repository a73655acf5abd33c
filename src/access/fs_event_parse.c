// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: one create or remove event of a FAN_REPORT_DFID_NAME fanotify group, parsed (pure). */
#include "access/fs_event_parse.h"

#include "access/policy.h"

#include <errno.h>
#include <stdio.h>
#include <linux/fanotify.h>
#include <string.h>

/* The layout read below: what the kernel writes, frozen by its ABI. */
_Static_assert(sizeof(struct fanotify_event_metadata) == 24, "fanotify metadata");
_Static_assert(sizeof(struct fanotify_event_info_header) == 4, "fanotify info header");
_Static_assert(sizeof(struct fanotify_event_info_fid) == 12, "fanotify fid record");

/* The fixed part of a struct file_handle: handle_bytes, then handle_type. */
#define HANDLE_HEAD 8

static int parse_fid(const unsigned char *rec, size_t rec_len, struct fs_event *ret)
{
	size_t at = sizeof(struct fanotify_event_info_fid);
	uint32_t bytes;
	int32_t type;
	const unsigned char *end;

	if (rec_len < at + HANDLE_HEAD)
		return -EINVAL;
	memcpy(ret->fsid, rec + sizeof(struct fanotify_event_info_header), sizeof(ret->fsid));
	memcpy(&bytes, rec + at, sizeof(bytes));
	memcpy(&type, rec + at + 4, sizeof(type));
	at += HANDLE_HEAD;
	if (bytes > FS_EVENT_HANDLE_MAX || bytes > rec_len - at)
		return -EINVAL;
	ret->handle_bytes = bytes;
	ret->handle_type = type;
	memcpy(ret->handle, rec + at, bytes);
	at += bytes;
	/* The name, then padding to 4 bytes: its NUL must be within the record. */
	end = memchr(rec + at, '\0', rec_len - at);
	if (!end)
		return -EINVAL;
	ret->name = (const char *)rec + at;
	ret->name_len = (size_t)(end - (rec + at));
	return 0;
}

int fs_event_next(const void *buf, size_t len, size_t *offset, struct fs_event *ret)
{
	const unsigned char *p = (const unsigned char *)buf + *offset;
	struct fanotify_event_metadata meta;
	struct fs_event event = { .name = "" };
	size_t left = len - *offset, at;
	bool fid = false;

	if (*offset >= len)
		return 0;
	if (left < sizeof(meta))
		return -EINVAL;
	memcpy(&meta, p, sizeof(meta));
	if (meta.event_len < sizeof(meta) || meta.event_len > left ||
	    meta.metadata_len < sizeof(meta) || meta.metadata_len > meta.event_len)
		return -EINVAL;
	if (meta.vers != FANOTIFY_METADATA_VERSION)
		return -EINVAL;
	event.mask = meta.mask;
	event.pid = meta.pid;
	event.overflow = meta.mask & FAN_Q_OVERFLOW;
	for (at = meta.metadata_len; at < meta.event_len;) {
		struct fanotify_event_info_header head;

		if (meta.event_len - at < sizeof(head))
			return -EINVAL;
		memcpy(&head, p + at, sizeof(head));
		if (head.len < sizeof(head) || head.len > meta.event_len - at)
			return -EINVAL;
		if (head.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME && !fid) {
			if (parse_fid(p + at, head.len, &event) < 0)
				return -EINVAL;
			fid = true;
		}
		at += head.len;
	}
	if (!fid && !event.overflow)
		return -EINVAL;
	*offset += meta.event_len;
	*ret = event;
	return 1;
}

uint32_t fs_event_rights(uint64_t mask)
{
	uint32_t rights = 0;

	if (mask & (FAN_CREATE | FAN_MOVED_TO))
		rights |= CANISTER_ACCESS_FS_CREATE;
	if (mask & (FAN_DELETE | FAN_MOVED_FROM))
		rights |= CANISTER_ACCESS_FS_REMOVE;
	return rights;
}

int fs_event_path(const char *dir, const char *name, char *buf, size_t size)
{
	size_t dir_len = strlen(dir);
	int n;

	if (dir[0] != '/' || !name[0] || strchr(name, '/'))
		return -EINVAL;
	/* The root's entries: "/NAME", not "//NAME". */
	if (dir_len == 1)
		dir = "";
	n = snprintf(buf, size, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return n;
}
