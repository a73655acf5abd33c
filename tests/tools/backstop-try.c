// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: what the appraisal backstop (lsm mode) must see: a memfd exec, an mprotect to exec,
 * security.ima set. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

/*
 * backstop-try exec FILE [ARG...]      execve FILE (no shell between: the errno is the kernel's)
 * backstop-try memfd-exec FILE [ARG...] FILE's bytes into a memfd, run with execveat(AT_EMPTY_PATH)
 * backstop-try memfd-exec-path FILE [ARG...]  the same, run by its path /proc/self/fd/N
 * backstop-try memfd-interp FILE SCRIPT  FILE's bytes into a memfd at descriptor 9, then execve
 *                                     SCRIPT (whose #! line may name /proc/self/fd/9)
 * backstop-try mprotect-exec FILE      map FILE PROT_READ, then mprotect it PROT_READ|PROT_EXEC
 * backstop-try set-ima FILE HEX        write security.ima (the VM has no setfattr nor evmctl)
 * backstop-try mmap-exec-when FILE READY GO  open FILE, write READY, wait (at most 120 s)
 *                                     until GO exists, then map FILE PROT_READ|PROT_EXEC
 * Prints "ok" (mprotect-exec, set-ima, mmap-exec-when) or what exec runs; on failure "refused:
 * <errno text>" and exits 1 (with BACKSTOP_TRY_HOLD=FILE, once FILE exists); 2 for a usage error
 * or a file that did not appear.
 */
static int refused(const char *what)
{
	printf("refused: %s\n", strerror(errno));
	fflush(stdout);
	fprintf(stderr, "backstop-try: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Whether @path exists within 120 s (said when not). */
static bool appeared(const char *path)
{
	struct timespec pause = { .tv_nsec = 50 * 1000 * 1000 };

	for (int tries = 0; access(path, F_OK) < 0; tries++) {
		if (tries == 2400) {
			fprintf(stderr, "backstop-try: %s did not appear within 120 s\n", path);
			return false;
		}
		nanosleep(&pause, NULL);
	}
	return true;
}

static int no_memfd(const char *what)
{
	refused(what);
	return -1;
}

/* A memfd holding FILE's bytes, or -1 (said); not close-on-exec, so that /proc/self/fd names it. */
static int memfd_of(const char *path)
{
	char buf[65536];
	ssize_t n;
	int in, fd;

	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return no_memfd(path);
	/* Not MFD_CLOEXEC: execveat of a close-on-exec fd fails for scripts only, but plainly. */
	fd = (int)syscall(SYS_memfd_create, "backstop-try", 0);
	if (fd < 0)
		return no_memfd("memfd_create");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return no_memfd("write");
	if (n < 0)
		return no_memfd("read");
	close(in);
	return fd;
}

static int memfd_exec(const char *path, char **argv, bool by_path)
{
	char fd_path[64];
	int fd = memfd_of(path);

	if (fd < 0)
		return 1;
	if (by_path) {
		snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
		execv(fd_path, argv);
		return refused(fd_path);
	}
	syscall(SYS_execveat, fd, "", argv, (char *[]){ NULL }, AT_EMPTY_PATH);
	return refused("execveat");
}

/* A script on disk whose interpreter is a memfd: the kernel loads the memfd as the interpreter. */
static int memfd_interp(const char *path, const char *script)
{
	int fd = memfd_of(path);

	if (fd < 0)
		return 1;
	if (dup2(fd, 9) < 0)
		return refused("dup2");
	execv(script, (char *[]){ (char *)script, NULL });
	return refused(script);
}

static int mprotect_exec(const char *path)
{
	struct stat st;
	size_t len;
	void *at;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return refused(path);
	len = st.st_size ? (size_t)st.st_size : 1;
	at = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (at == MAP_FAILED)
		return refused("mmap");
	if (mprotect(at, len, PROT_READ | PROT_EXEC) < 0)
		return refused("mprotect");
	printf("ok\n");
	return 0;
}

/* The file opened (and judged by the gate) first, mapped later: a change in between counts. */
static int mmap_exec_when(const char *path, const char *ready, const char *go)
{
	struct stat st;
	int fd, out;
	void *at;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return refused(path);
	out = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0 || write(out, "opened\n", 7) != 7 || close(out) < 0)
		return refused(ready);
	if (!appeared(go))
		return 2;
	if (fstat(fd, &st) < 0)
		return refused(path);
	at = mmap(NULL, st.st_size ? (size_t)st.st_size : 1, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd,
		  0);
	if (at == MAP_FAILED)
		return refused("mmap");
	printf("ok\n");
	return 0;
}

static int set_ima(const char *path, const char *hex)
{
	unsigned char value[1024];
	size_t len = strlen(hex) / 2;

	if (strlen(hex) % 2 || len > sizeof(value)) {
		fprintf(stderr,
			"backstop-try: set-ima: %s is not an even hex string of at most "
			"%zu bytes\n",
			hex, sizeof(value));
		return 2;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned int byte;

		if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
			fprintf(stderr, "backstop-try: set-ima: %s is not hex\n", hex);
			return 2;
		}
		value[i] = (unsigned char)byte;
	}
	if (setxattr(path, "security.ima", value, len, 0) < 0)
		return refused("setxattr security.ima");
	printf("ok\n");
	return 0;
}

static int try(int argc, char **argv);

/*
 * With BACKSTOP_TRY_HOLD=FILE a refused attempt's process lives on until FILE
 * exists (at most 120 s), so that a test sees what canisterd did to it while
 * it runs (an untrusted mark goes with the process).
 */
int main(int argc, char **argv)
{
	const char *hold = getenv("BACKSTOP_TRY_HOLD");
	int r = try(argc, argv);

	if (r == 1 && hold && hold[0] && !appeared(hold))
		return 2;
	return r;
}

static int try(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
		execv(argv[2], argv + 2);
		return refused(argv[2]);
	}
	if (argc >= 3 && strcmp(argv[1], "memfd-exec") == 0)
		return memfd_exec(argv[2], argv + 2, false);
	if (argc >= 3 && strcmp(argv[1], "memfd-exec-path") == 0)
		return memfd_exec(argv[2], argv + 2, true);
	if (argc == 4 && strcmp(argv[1], "memfd-interp") == 0)
		return memfd_interp(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "mprotect-exec") == 0)
		return mprotect_exec(argv[2]);
	if (argc == 4 && strcmp(argv[1], "set-ima") == 0)
		return set_ima(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "mmap-exec-when") == 0)
		return mmap_exec_when(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: backstop-try exec|memfd-exec|memfd-exec-path FILE [ARG...] | "
			"memfd-interp FILE SCRIPT | mprotect-exec FILE | "
			"set-ima FILE HEX | mmap-exec-when FILE READY GO\n");
	return 2;
}
