// SPDX-License-Identifier: GPL-2.0-only
/* canister: the fields of a /proc/PID/mountinfo line (pure). */
#include "lib/mountinfo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The next space-separated field of @line at *@at into @buf, octal escapes undone. */
static int field(const char *line, size_t *at, char *buf, size_t len)
{
	size_t i = *at, used = 0;

	while (line[i] == ' ')
		i++;
	if (!line[i] || line[i] == '\n')
		return -EPROTO;
	for (; line[i] && line[i] != ' ' && line[i] != '\n'; i++) {
		char c = line[i];

		/* show_mountinfo() escapes space, tab, newline and backslash as \ooo. */
		if (c == '\\' && line[i + 1] >= '0' && line[i + 1] <= '3' && line[i + 2] >= '0' &&
		    line[i + 2] <= '7' && line[i + 3] >= '0' && line[i + 3] <= '7') {
			c = (char)((line[i + 1] - '0') << 6 | (line[i + 2] - '0') << 3 |
				   (line[i + 3] - '0'));
			i += 3;
		}
		if (used + 1 >= len)
			return -EPROTO;
		buf[used++] = c;
	}
	buf[used] = '\0';
	*at = i;
	return 0;
}

int mountinfo_parse(const char *line, struct mountinfo_entry *ret)
{
	char word[PATH_MAX], dev[32];
	size_t at = 0;
	char end;

	/* mount id, parent id, major:minor, root, mount point, options */
	if (field(line, &at, word, sizeof(word)) || field(line, &at, word, sizeof(word)) ||
	    field(line, &at, dev, sizeof(dev)) ||
	    sscanf(dev, "%u:%u%c", &ret->major, &ret->minor, &end) != 2 ||
	    field(line, &at, ret->root, sizeof(ret->root)) ||
	    field(line, &at, ret->point, sizeof(ret->point)) ||
	    field(line, &at, word, sizeof(word)))
		return -EPROTO;
	ret->read_only = strncmp(word, "ro", 2) == 0 && (word[2] == ',' || word[2] == '\0');
	/* optional fields (shared:N, master:N, ...) up to the "-" separator, then the type */
	do {
		if (field(line, &at, word, sizeof(word)))
			return -EPROTO;
	} while (strcmp(word, "-") != 0);
	if (field(line, &at, ret->fstype, sizeof(ret->fstype)))
		return -EPROTO;
	if (ret->root[0] != '/' || ret->point[0] != '/')
		return -EPROTO;
	return 0;
}

int mountinfo_super_options(const char *line, char *buf, size_t len)
{
	char word[PATH_MAX];
	size_t at = 0, n;
	const char *end;

	/* past the "-" separator: the type, the source, then the options */
	do {
		if (field(line, &at, word, sizeof(word)))
			return -EPROTO;
	} while (strcmp(word, "-") != 0);
	if (field(line, &at, word, sizeof(word)) || field(line, &at, word, sizeof(word)))
		return -EPROTO;
	while (line[at] == ' ')
		at++;
	end = line + at + strcspn(line + at, " \n");
	n = (size_t)(end - (line + at));
	if (n == 0)
		return -EPROTO;
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, line + at, n);
	buf[n] = '\0';
	return 0;
}

bool mountinfo_within(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

bool mountinfo_exposes(const struct mountinfo_entry *entry, unsigned int major, unsigned int minor,
		       const char *rel)
{
	return entry->major == major && entry->minor == minor && mountinfo_within(rel, entry->root);
}

int mountinfo_relative(const struct mountinfo_entry *entry, const char *path, char *buf, size_t len)
{
	size_t point = strlen(entry->point);
	const char *below;
	int n;

	if (!mountinfo_within(path, entry->point))
		return -EINVAL;
	below = strcmp(entry->point, "/") == 0 ? path : path + point;
	/* "/" + "/x" is "/x"; "/sub" + "" is "/sub" */
	n = snprintf(buf, len, "%s%s", strcmp(entry->root, "/") == 0 ? "" : entry->root, below);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (!buf[0])
		snprintf(buf, len, "/");
	return 0;
}
