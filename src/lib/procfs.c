// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: facts about a process read from /proc (thread group, capabilities, children). */
#include "lib/procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int canister_proc_status_field(const char *status_text, const char *key, char *buf, size_t len)
{
	size_t key_len = strlen(key);

	for (const char *line = status_text; line && *line;) {
		const char *eol = strchr(line, '\n');

		if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
			const char *value = line + key_len + 1;
			const char *end = eol ? eol : value + strlen(value);

			while (value < end && isspace((unsigned char)*value))
				value++;
			while (end > value && isspace((unsigned char)end[-1]))
				end--;
			if ((size_t)(end - value) >= len)
				return -ENAMETOOLONG;
			memcpy(buf, value, end - value);
			buf[end - value] = '\0';
			return 0;
		}
		line = eol ? eol + 1 : NULL;
	}
	return -ENOENT;
}

/* A vanished process shows up as ENOENT or ESRCH depending on the moment; both mean ESRCH. */
static int read_status(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	got = read(fd, buf, len - 1);
	close(fd);
	if (got <= 0)
		return -ESRCH;
	buf[got] = '\0';
	return 0;
}

int canister_proc_tgid(pid_t pid, pid_t *ret_tgid)
{
	char status[4096], value[32], *end;
	long tgid;
	int r;

	r = read_status(pid, status, sizeof(status));
	if (r < 0)
		return r;
	if (canister_proc_status_field(status, "Tgid", value, sizeof(value)) < 0)
		return -EPROTO;
	errno = 0;
	tgid = strtol(value, &end, 10);
	if (errno || *end || tgid <= 0)
		return -EPROTO;
	*ret_tgid = (pid_t)tgid;
	return 0;
}

int canister_proc_ppid(pid_t pid, pid_t *ret_ppid)
{
	char status[4096], value[32], *end;
	long ppid;
	int r;

	r = read_status(pid, status, sizeof(status));
	if (r < 0)
		return r;
	if (canister_proc_status_field(status, "PPid", value, sizeof(value)) < 0)
		return -EPROTO;
	errno = 0;
	ppid = strtol(value, &end, 10);
	if (errno || *end || ppid < 0)
		return -EPROTO;
	*ret_ppid = (pid_t)ppid;
	return 0;
}

/* /proc/PID/loginuid and sessionid hold one decimal number each; unset is 4294967295. */
static int read_u32_file(pid_t pid, const char *name, uint32_t *ret_value)
{
	char path[64], text[32], *end;
	unsigned long value;
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	got = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (got <= 0)
		return -EPROTO;
	text[got] = '\0';
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || end == text || value > UINT32_MAX)
		return -EPROTO;
	*ret_value = (uint32_t)value;
	return 0;
}

int canister_proc_audit_ids(pid_t pid, uint32_t *ret_auid, uint32_t *ret_ses)
{
	uint32_t auid, ses;
	int r;

	r = read_u32_file(pid, "loginuid", &auid);
	if (r < 0)
		return r;
	r = read_u32_file(pid, "sessionid", &ses);
	if (r < 0)
		return r;
	*ret_auid = auid;
	*ret_ses = ses;
	return 0;
}

int canister_proc_cap_effective(pid_t pid, uint64_t *ret_caps)
{
	char status[4096], value[32], *end;
	unsigned long long caps;
	int r;

	r = read_status(pid, status, sizeof(status));
	if (r < 0)
		return r;
	if (canister_proc_status_field(status, "CapEff", value, sizeof(value)) < 0)
		return -EPROTO;
	errno = 0;
	caps = strtoull(value, &end, 16);
	if (errno || *end || end == value)
		return -EPROTO;
	*ret_caps = caps;
	return 0;
}

static int parse_hex(const char *status_text, const char *key, bool optional, uint64_t *ret)
{
	char value[32], *end;
	unsigned long long number;

	if (canister_proc_status_field(status_text, key, value, sizeof(value)) < 0) {
		*ret = 0;
		return optional ? 0 : -EPROTO;
	}
	errno = 0;
	number = strtoull(value, &end, 16);
	if (errno || *end || end == value)
		return -EPROTO;
	*ret = number;
	return 0;
}

/* "Uid:" and "Gid:" hold four decimal ids; "Groups:" any number, possibly none. */
static int parse_ids(const char *text, uint32_t *ids, size_t max, size_t *ret_count, bool *ret_cut)
{
	size_t count = 0;

	*ret_cut = false;
	for (;;) {
		unsigned long id;
		char *end;

		while (*text == ' ' || *text == '\t')
			text++;
		if (!*text)
			break;
		errno = 0;
		id = strtoul(text, &end, 10);
		if (errno || end == text || id > UINT32_MAX)
			return -EPROTO;
		if (count < max)
			ids[count++] = (uint32_t)id;
		else
			*ret_cut = true;
		text = end;
	}
	*ret_count = count;
	return 0;
}

int canister_proc_creds_parse(const char *status_text, struct canister_proc_creds *ret)
{
	struct canister_proc_creds creds = { 0 };
	char value[1024];
	uint64_t nnp;
	size_t count;
	bool cut;

	if (parse_hex(status_text, "CapEff", false, &creds.cap_effective) < 0 ||
	    parse_hex(status_text, "CapPrm", false, &creds.cap_permitted) < 0 ||
	    parse_hex(status_text, "CapBnd", false, &creds.cap_bounding) < 0 ||
	    parse_hex(status_text, "CapAmb", true, &creds.cap_ambient) < 0 ||
	    parse_hex(status_text, "NoNewPrivs", true, &nnp) < 0)
		return -EPROTO;
	creds.no_new_privs = nnp != 0;
	if (canister_proc_status_field(status_text, "Uid", value, sizeof(value)) < 0 ||
	    parse_ids(value, creds.uid, 4, &count, &cut) < 0 || count != 4 || cut)
		return -EPROTO;
	if (canister_proc_status_field(status_text, "Gid", value, sizeof(value)) < 0 ||
	    parse_ids(value, creds.gid, 4, &count, &cut) < 0 || count != 4 || cut)
		return -EPROTO;
	switch (canister_proc_status_field(status_text, "Groups", value, sizeof(value))) {
	case 0:
		if (parse_ids(value, creds.groups, CANISTER_PROC_GROUPS_MAX, &creds.group_count,
			      &creds.groups_cut) < 0)
			return -EPROTO;
		break;
	case -ENAMETOOLONG:
		creds.groups_cut = true;
		break;
	default:
		return -EPROTO;
	}
	*ret = creds;
	return 0;
}

int canister_proc_creds(pid_t pid, struct canister_proc_creds *ret)
{
	char status[16384];
	int r;

	r = read_status(pid, status, sizeof(status));
	if (r < 0)
		return r;
	return canister_proc_creds_parse(status, ret);
}

int canister_proc_in_own_userns(pid_t pid, bool *ret_same)
{
	struct stat mine, theirs;
	char path[64];

	if (stat("/proc/self/ns/user", &mine) < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (stat(path, &theirs) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	*ret_same = mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino;
	return 0;
}

int canister_proc_has_children(pid_t tgid, bool *ret_has_children)
{
	struct dirent *entry;
	char path[64];
	DIR *tasks;

	/* Children hang off the thread that created them, so every thread is asked. */
	snprintf(path, sizeof(path), "/proc/%d/task", (int)tgid);
	tasks = opendir(path);
	if (!tasks)
		return errno == ENOENT ? -ESRCH : -errno;
	*ret_has_children = false;
	while ((entry = readdir(tasks)) && !*ret_has_children) {
		char children[64];
		ssize_t got;
		int fd;

		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/children", (int)tgid,
			 entry->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue; /* the thread exited meanwhile */
		got = read(fd, children, sizeof(children));
		close(fd);
		if (got > 0)
			*ret_has_children = true;
	}
	closedir(tasks);
	return 0;
}
