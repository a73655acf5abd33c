// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: when the host mount exemption would open a hole, and which containers hold it off
 * (pure). */
#include "integrity/exempt_rule.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum exempt_hole exempt_judge_ns(const struct exempt_ns_facts *facts)
{
	if (!facts->mnt || !facts->host_mnt || facts->mnt == facts->host_mnt)
		return EXEMPT_SHARES_MNT_NS;
	if (!facts->pid || !facts->host_pid || facts->pid == facts->host_pid)
		return EXEMPT_SHARES_PID_NS;
	return EXEMPT_NO_HOLE;
}

void exempt_hole_text(enum exempt_hole hole, uint64_t contid, int fd, char *buf, size_t len)
{
	switch (hole) {
	case EXEMPT_SHARES_MNT_NS:
		snprintf(buf, len, "container %" PRIu64 " shares canisterd's mount namespace",
			 contid);
		break;
	case EXEMPT_SHARES_PID_NS:
		snprintf(buf, len,
			 "container %" PRIu64 " shares canisterd's pid namespace "
			 "(/proc/PID/root of a host process)",
			 contid);
		break;
	case EXEMPT_HOLDS_FD:
		snprintf(buf, len,
			 "container %" PRIu64 " holds a descriptor (%d) on canisterd's mounts",
			 contid, fd);
		break;
	case EXEMPT_HOLDS_PIDFD:
		snprintf(buf, len, "container %" PRIu64 " holds a pidfd (%d)", contid, fd);
		break;
	case EXEMPT_HOLDS_NS:
		snprintf(buf, len,
			 "container %" PRIu64
			 " holds canisterd's mount or pid namespace (descriptor %d)",
			 contid, fd);
		break;
	case EXEMPT_HOST_PROC:
		snprintf(buf, len, "container %" PRIu64 " has canisterd's /proc mounted", contid);
		break;
	case EXEMPT_NO_HOLE:
	default:
		snprintf(buf, len, "no hole");
		break;
	}
}

/* The value of line @key ("mnt_id:") in @text, as an int; false when there is none. */
static bool field(const char *text, size_t len, const char *key, int *ret)
{
	size_t key_len = strlen(key);

	for (size_t at = 0; at < len;) {
		const char *line = text + at, *end = memchr(line, '\n', len - at);
		size_t line_len = end ? (size_t)(end - line) : len - at;

		if (line_len > key_len && memcmp(line, key, key_len) == 0) {
			char digits[24];
			size_t n = 0, i = key_len;
			long value;
			char *stop;

			while (i < line_len && (line[i] == ' ' || line[i] == '\t'))
				i++;
			if (i < line_len && line[i] == '-' && n < sizeof(digits) - 1)
				digits[n++] = line[i++];
			while (i < line_len && line[i] >= '0' && line[i] <= '9' &&
			       n < sizeof(digits) - 1)
				digits[n++] = line[i++];
			digits[n] = '\0';
			if (i != line_len || !n)
				return false;
			errno = 0;
			value = strtol(digits, &stop, 10);
			if (errno || *stop || value < -1 || value > INT32_MAX)
				return false;
			*ret = (int)value;
			return true;
		}
		at += line_len + 1;
	}
	return false;
}

int exempt_fdinfo_parse(const char *text, size_t len, struct exempt_fdinfo *ret)
{
	struct exempt_fdinfo info = { 0 };
	int pid;

	info.has_mnt_id = field(text, len, "mnt_id:", &info.mnt_id) && info.mnt_id >= 0;
	if (!info.has_mnt_id)
		return -EINVAL;
	/* A pidfd's fdinfo has "Pid:" (-1 once its process is reaped): it names a process. */
	info.is_pidfd = field(text, len, "Pid:", &pid);
	*ret = info;
	return 0;
}

int exempt_mountinfo_id(const char *line)
{
	long id;
	char *end;

	if (*line < '0' || *line > '9')
		return -EINVAL;
	errno = 0;
	id = strtol(line, &end, 10);
	if (errno || *end != ' ' || id > INT32_MAX)
		return -EINVAL;
	return (int)id;
}

bool exempt_holders_add(struct exempt_holders *holders, uint64_t contid)
{
	for (unsigned int i = 0; i < holders->count; i++)
		if (holders->contid[i] == contid)
			return false;
	if (holders->count == EXEMPT_HOLDERS_MAX) {
		holders->overflow = true;
		return true;
	}
	holders->contid[holders->count++] = contid;
	return true;
}

bool exempt_holders_prune(struct exempt_holders *holders, bool (*gone)(uint64_t contid, void *ctx),
			  void *ctx)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < holders->count; i++)
		if (!gone(holders->contid[i], ctx))
			holders->contid[kept++] = holders->contid[i];
	holders->count = kept;
	return !kept && !holders->overflow;
}
