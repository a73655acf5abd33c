// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: find a command as execvp(3) does; can it run?  Asked before anything is registered. */
#include "lib/exec_path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* The kernel follows four nested #! interpreters (binfmt_script and its recursion limit). */
#define INTERPRETER_DEPTH_MAX 4
/* What binfmt_script reads of a #! line (BINPRM_BUF_SIZE). */
#define SHEBANG_MAX 256

static int check_file(const char *path, int depth);

/* Follows a #! line to its interpreter, which must itself be able to run. */
static int check_interpreter(const char *line, size_t len, int depth)
{
	char interpreter[SHEBANG_MAX];
	size_t start = 2, end;

	while (start < len && (line[start] == ' ' || line[start] == '\t'))
		start++;
	for (end = start; end < len && line[end] != ' ' && line[end] != '\t' && line[end] != '\n' &&
			  line[end] != '\0';
	     end++)
		;
	if (end == start)
		return -ENOEXEC; /* "#!" and nothing: the kernel refuses it */
	memcpy(interpreter, line + start, end - start);
	interpreter[end - start] = '\0';
	if (depth >= INTERPRETER_DEPTH_MAX)
		return -ELOOP;
	return check_file(interpreter, depth + 1);
}

/*
 * What execve(2) checks before it reads the image: a regular file, execute
 * permission as we are (AT_EACCESS: the effective ids, as the kernel uses),
 * a mount that allows exec; then the format, as far as the first bytes tell.
 */
static int check_file(const char *path, int depth)
{
	char head[SHEBANG_MAX];
	struct statvfs vfs;
	struct stat st;
	ssize_t got = 0;
	int fd, r;

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR ? -ENOENT : -errno;
	r = fstat(fd, &st) < 0 || fstatvfs(fd, &vfs) < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	if (!S_ISREG(st.st_mode) || (vfs.f_flag & ST_NOEXEC) ||
	    faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return -EACCES;
	/* Execute-only (0711) images run, though we cannot look inside them. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	got = read(fd, head, sizeof(head));
	close(fd);
	if (got < 2 || head[0] != '#' || head[1] != '!')
		return 0;
	r = check_interpreter(head, (size_t)got, depth);
	/* A bare "#!" is ENOEXEC to the kernel, which execvp(3) hands to /bin/sh. */
	return r == -ENOEXEC ? 0 : r;
}

/* Copied out only when it passes, so @ret_path is written on success alone. */
static int take(const char *path, char *ret_path, size_t len)
{
	int r;

	if (strlen(path) >= len)
		return -ENAMETOOLONG;
	r = check_file(path, 0);
	if (r == 0)
		snprintf(ret_path, len, "%s", path);
	return r;
}

int canister_exec_find(const char *name, const char *search_path, char *ret_path, size_t len)
{
	bool denied = false;
	const char *dir;

	if (!name || !*name)
		return -ENOENT;
	if (strchr(name, '/'))
		return take(name, ret_path, len);
	if (!search_path)
		search_path = "/bin:/usr/bin";
	for (dir = search_path;; dir++) {
		const char *end = strchrnul(dir, ':');
		char path[PATH_MAX];
		int n, r;

		/* An empty entry is the working directory, as execvp(3) takes it. */
		n = end == dir
			    ? snprintf(path, sizeof(path), "%s", name)
			    : snprintf(path, sizeof(path), "%.*s/%s", (int)(end - dir), dir, name);
		if (n >= 0 && (size_t)n < sizeof(path)) {
			r = take(path, ret_path, len);
			if (r == 0)
				return 0;
			if (r == -EACCES)
				denied = true;
			else if (r != -ENOENT && r != -ENAMETOOLONG)
				return r;
		}
		if (!*end)
			break;
		dir = end;
	}
	return denied ? -EACCES : -ENOENT;
}

int canister_exec_status(int r)
{
	return r == -ENOENT ? 127 : 126;
}
