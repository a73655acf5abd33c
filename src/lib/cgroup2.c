// SPDX-License-Identifier: GPL-2.0-only
/* canister: where a process's cgroup v2 is, read from /proc/PID/cgroup and cgroupfs. */
#include "lib/cgroup2.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

/* /proc/PID/cgroup: one line per hierarchy; a v2 path is at most PATH_MAX. */
#define PROC_CGROUP_BYTES 8192
/* cgroup.procs read at most (a service's cgroup may hold thousands of processes). */
#define PROCS_BYTES_MAX (4u << 20)

int canister_cgroup2_proc_path(const char *text, char *buf, size_t len)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		if (n >= 3 && strncmp(line, "0::", 3) == 0) {
			const char *path = line + 3;

			n -= 3;
			if (n == 0 || path[0] != '/')
				return -EINVAL;
			/* A removed cgroup shows " (deleted)"; outside one's cgroup namespace
			 * "/..". */
			if (memmem(path, n, "/..", 3) || memmem(path, n, " (deleted)", 10))
				return -EINVAL;
			if (n >= len)
				return -ENAMETOOLONG;
			memcpy(buf, path, n);
			buf[n] = '\0';
			return 0;
		}
		line = end ? end + 1 : NULL;
	}
	return -ENOENT;
}

int canister_cgroup2_dir(const char *root, const char *path, const char *name, char *buf,
			 size_t len)
{
	int n;

	if (name &&
	    (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0))
		return -EINVAL;
	/* "/" is the root cgroup: the mount itself. */
	if (strcmp(path, "/") == 0)
		path = "";
	if (name)
		n = snprintf(buf, len, "%s%s/%s", root, path, name);
	else
		n = snprintf(buf, len, "%s%s", root, path);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int canister_cgroup2_procs_count(const char *text, bool (*excluded)(pid_t pid, void *ctx),
				 void *ctx, uint64_t *ret_count)
{
	uint64_t count = 0;
	const char *p = text;

	while (*p) {
		char *end;
		long pid;

		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno || end == p || pid <= 0 || (*end && *end != '\n'))
			return -EINVAL;
		if (!excluded || !excluded((pid_t)pid, ctx))
			count++;
		p = *end ? end + 1 : end;
	}
	*ret_count = count;
	return 0;
}

int canister_cgroup2_procs_read(const char *dir, char **ret)
{
	char path[PATH_MAX + sizeof("/cgroup.procs")];
	size_t cap = 4096, len = 0;
	char *buf = NULL, *grown;
	int fd, r = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (!buf || len + 1 == cap) {
			if (buf)
				cap *= 2;
			grown = cap <= PROCS_BYTES_MAX ? realloc(buf, cap) : NULL;
			if (!grown) {
				r = -ENOMEM;
				break;
			}
			buf = grown;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : 0;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret = buf;
	return 0;
}

#define RUN_PREFIX "canister-run-"

int canister_cgroup2_run_name(pid_t pid, unsigned int attempt, char *buf, size_t len)
{
	int n;

	if (attempt)
		n = snprintf(buf, len, RUN_PREFIX "%d-%u", (int)pid, attempt);
	else
		n = snprintf(buf, len, RUN_PREFIX "%d", (int)pid);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

pid_t canister_cgroup2_run_pid(const char *name)
{
	const char *digits = name + strlen(RUN_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, RUN_PREFIX, strlen(RUN_PREFIX)) != 0 || *digits < '1' || *digits > '9')
		return 0;
	errno = 0;
	pid = strtol(digits, &end, 10);
	if (errno || pid <= 0 || pid > INT32_MAX)
		return 0;
	if (*end == '-') {
		const char *attempt = end + 1;

		if (*attempt < '1' || *attempt > '9')
			return 0;
		strtoul(attempt, &end, 10);
	}
	return *end ? 0 : (pid_t)pid;
}

static bool is_cgroup2(const char *path)
{
	struct statfs fs;

	return statfs(path, &fs) == 0 && (unsigned long)fs.f_type == CGROUP2_SUPER_MAGIC;
}

const char *canister_cgroup2_root(void)
{
	if (is_cgroup2(CANISTER_CGROUP2_ROOT))
		return CANISTER_CGROUP2_ROOT;
	if (is_cgroup2(CANISTER_CGROUP2_ROOT_HYBRID))
		return CANISTER_CGROUP2_ROOT_HYBRID;
	return NULL;
}

int canister_cgroup2_of(pid_t pid, const char *root, char *buf, size_t len)
{
	char text[PROC_CGROUP_BYTES], proc[64], path[4096];
	ssize_t n;
	int fd, r;

	if (pid)
		snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	else
		snprintf(proc, sizeof(proc), "/proc/self/cgroup");
	fd = open(proc, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	/*
	 * The kernel ends the table with a newline: a table that filled the
	 * buffer (many long v1 paths before the "0::" line, which hybrid hosts
	 * list last) may have lost the end of its path, another cgroup's name.
	 */
	if (n == 0 || text[n - 1] != '\n' || (size_t)n == sizeof(text) - 1)
		return -EMSGSIZE;
	text[n] = '\0';
	r = canister_cgroup2_proc_path(text, path, sizeof(path));
	if (r < 0)
		return r;
	return canister_cgroup2_dir(root, path, NULL, buf, len);
}
