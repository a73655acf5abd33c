// SPDX-License-Identifier: GPL-2.0-only
/* canister: where a process's cgroups of the v1 hierarchies are, from /proc and mountinfo. */
#include "lib/cgroup1.h"

#include "lib/mountinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/self/cgroup read at most: a line per hierarchy, each path up to PATH_MAX. */
#define PROC_CGROUP_BYTES_MAX (64u << 10)

int canister_cgroup1_line(const char *line, struct canister_cgroup1 *ret)
{
	const char *first = strchr(line, ':'), *second, *path;
	size_t n;

	if (!first || first == line || strspn(line, "0123456789") != (size_t)(first - line))
		return -EINVAL;
	second = strchr(first + 1, ':');
	if (!second)
		return -EINVAL;
	/* "0::PATH" is v2's; a named hierarchy always has its "name=" */
	if (second == first + 1)
		return -ENOENT;
	n = (size_t)(second - first - 1);
	if (n >= sizeof(ret->controllers))
		return -ENAMETOOLONG;
	memcpy(ret->controllers, first + 1, n);
	ret->controllers[n] = '\0';
	path = second + 1;
	n = strcspn(path, "\n");
	if (n == 0 || path[0] != '/')
		return -EINVAL;
	/* A removed cgroup shows " (deleted)"; outside one's cgroup namespace "/.." */
	if (memmem(path, n, "/..", 3) || memmem(path, n, " (deleted)", 10))
		return -EINVAL;
	if (n >= sizeof(ret->path))
		return -ENAMETOOLONG;
	memcpy(ret->path, path, n);
	ret->path[n] = '\0';
	ret->dir[0] = '\0';
	ret->dir_read_only = false;
	return 0;
}

/* Whether @word is one of the comma-separated @list's items. */
static bool listed(const char *list, const char *word, size_t len)
{
	for (const char *at = list; *at;) {
		size_t n = strcspn(at, ",");

		if (n == len && strncmp(at, word, len) == 0)
			return true;
		at += n + (at[n] == ',');
	}
	return false;
}

bool canister_cgroup1_mounts(const char *controllers, const char *super_options)
{
	const char *at = controllers;
	size_t len = strlen(controllers);

	/* "" or a trailing ",": an empty name, which names no hierarchy */
	if (len == 0 || controllers[len - 1] == ',')
		return false;
	while (*at) {
		size_t n = strcspn(at, ",");

		if (n == 0 || !listed(super_options, at, n))
			return false;
		at += n + (at[n] == ',');
	}
	return true;
}

/* The whole of /proc/self/cgroup, NUL-terminated, into *@ret (freed by the caller). */
static int read_proc_cgroup(char **ret)
{
	size_t len = 0;
	char *text;
	ssize_t n;
	int fd;

	fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	text = malloc(PROC_CGROUP_BYTES_MAX);
	if (!text) {
		close(fd);
		return -ENOMEM;
	}
	while ((n = read(fd, text + len, PROC_CGROUP_BYTES_MAX - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	/*
	 * Cut short: its last path may be a sibling's name.  Empty is a table
	 * of no hierarchy: the kernel lists v2's only once cgroup2 has been
	 * mounted, and there may be no v1 one (a minimal guest).
	 */
	if (n < 0 || len == PROC_CGROUP_BYTES_MAX - 1 || (len > 0 && text[len - 1] != '\n')) {
		int r = n < 0 ? -errno : -EMSGSIZE;

		free(text);
		return r;
	}
	text[len] = '\0';
	*ret = text;
	return 0;
}

/*
 * Each hierarchy's directory under the first cgroup mount of this namespace
 * that shows its cgroup, a writable one before a read-only one.
 */
static int find_dirs(struct canister_cgroup1 *list, size_t count)
{
	static struct mountinfo_entry entry; /* PATH_MAX twice: not on the stack */
	char *line = NULL, options[512];
	size_t cap = 0;
	FILE *table;

	table = fopen("/proc/self/mountinfo", "re");
	if (!table)
		return -errno;
	while (getline(&line, &cap, table) > 0) {
		if (mountinfo_parse(line, &entry) < 0 || strcmp(entry.fstype, "cgroup") != 0 ||
		    mountinfo_super_options(line, options, sizeof(options)) < 0)
			continue;
		for (size_t i = 0; i < count; i++) {
			const char *below = list[i].path + strlen(entry.root);
			int n;

			if ((list[i].dir[0] && (!list[i].dir_read_only || entry.read_only)) ||
			    !canister_cgroup1_mounts(list[i].controllers, options) ||
			    !mountinfo_within(list[i].path, entry.root))
				continue;
			if (strcmp(entry.root, "/") == 0)
				below = list[i].path;
			if (strcmp(below, "/") == 0)
				below = "";
			n = snprintf(list[i].dir, sizeof(list[i].dir), "%s%s",
				     strcmp(entry.point, "/") == 0 && below[0] ? "" : entry.point,
				     below);
			if (n < 0 || (size_t)n >= sizeof(list[i].dir))
				list[i].dir[0] = '\0';
			list[i].dir_read_only = entry.read_only;
		}
	}
	free(line);
	fclose(table);
	return 0;
}

int canister_cgroup1_lines(const char *text, struct canister_cgroup1 *ret, size_t max,
			   size_t *ret_count)
{
	struct canister_cgroup1 one;
	size_t count = 0;
	int r = 0;

	for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
		r = canister_cgroup1_line(line, &one);
		if (r == -ENOENT)
			r = 0;
		else if (r == 0 && count == max)
			r = -E2BIG;
		else if (r == 0)
			ret[count++] = one;
		if (r < 0 || !strchr(line, '\n'))
			break;
	}
	*ret_count = r == 0 ? count : 0;
	return r;
}

int canister_cgroup1_self(struct canister_cgroup1 *ret, size_t max, size_t *ret_count)
{
	size_t count = 0;
	char *text = NULL;
	int r;

	r = read_proc_cgroup(&text);
	if (r < 0)
		return r;
	r = canister_cgroup1_lines(text, ret, max, &count);
	free(text);
	if (r == 0)
		r = find_dirs(ret, count);
	*ret_count = r == 0 ? count : 0;
	return r;
}
