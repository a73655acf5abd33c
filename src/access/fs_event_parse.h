/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: one create or remove event of a FAN_REPORT_DFID_NAME fanotify group, parsed (pure). */
#ifndef CANISTERD_ACCESS_FS_EVENT_PARSE_H
#define CANISTERD_ACCESS_FS_EVENT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* MAX_HANDLE_SZ: the kernel reports no longer file handle. */
#define FS_EVENT_HANDLE_MAX 128

/* One event: the directory a name was made in or taken from, and the name. */
struct fs_event {
	uint64_t mask; /* FAN_CREATE, FAN_DELETE, FAN_MOVED_FROM, FAN_MOVED_TO (FAN_ONDIR) */
	pid_t pid;     /* who did it; the kernel says 0 when it was not in our pid namespace */
	bool overflow; /* FAN_Q_OVERFLOW: events were lost; nothing else is set */
	uint32_t fsid[2];
	int handle_type;
	uint32_t handle_bytes;
	unsigned char handle[FS_EVENT_HANDLE_MAX];
	const char *name; /* in the buffer, NUL-terminated; "" for none */
	size_t name_len;
};

/*
 * fs_event_next() - the event at *@offset of @len bytes that read() gave
 * from the group (@buf), into *@ret, and *@offset moved past it.  Returns 1
 * for an event, 0 at the end of the buffer, or -EINVAL when the bytes are
 * not an event this group reports, in the order checked: a metadata shorter
 * than its struct or than the bytes left, another version
 * (FANOTIFY_METADATA_VERSION), an info record that is short or runs past
 * the event, a DFID_NAME record whose handle runs past its record or is
 * longer than FS_EVENT_HANDLE_MAX, or whose name is not NUL-terminated in
 * it, no DFID_NAME record in an event that is not an overflow.  Info
 * records of other types are skipped.  *@ret is written only on 1; its
 * name points into @buf.
 */
int fs_event_next(const void *buf, size_t len, size_t *offset, struct fs_event *ret);

/*
 * fs_event_rights() - the policy rights an event of @mask needed: create
 * for FAN_CREATE and FAN_MOVED_TO (a name made), remove for FAN_DELETE and
 * FAN_MOVED_FROM (a name taken); both when the kernel merged a make and a
 * take of the same name not yet read into one event; 0 for anything else.
 */
uint32_t fs_event_rights(uint64_t mask);

/*
 * fs_event_path() - directory @dir (absolute, as readlink gives it) and
 * @name joined into @buf of @size bytes.  Returns the length, or -EINVAL
 * for a @dir that is not absolute or a @name that is empty or holds a '/',
 * -ENAMETOOLONG when it does not fit.
 */
int fs_event_path(const char *dir, const char *name, char *buf, size_t size);

#endif
