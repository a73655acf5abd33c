// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: code made executable with mprotect, as a JIT (or an
 * injected payload) makes it, for the model's file_mprotect cases.
 * `mprotect-exec STEP...` takes each STEP in turn, stopping at the first
 * that fails: it maps one anonymous private page read-write, writes a
 * function returning 42 into it, and changes its protection to PROT with
 * mprotect(2) (with pkey_mprotect(2), key -1, for `pkey:PROT`; first
 * setting the READ_IMPLIES_EXEC personality, after the mapping, for
 * `implies:PROT`).  The page is shared anonymous memory instead
 * (MAP_SHARED | MAP_ANONYMOUS: a shmem file) for `shared:PROT`, a shared
 * mapping of a memfd for `memfd:PROT`, a SysV shm segment attached
 * read-write for `shm:PROT` (memory the kernel gives a file of its own) and
 * a private mapping of /dev/zero for `zero:PROT`.  The page is a private
 * mapping of the tool's own program (/proc/self/exe, opened read-only: any
 * file the domain may open) for `privfile:PROT` (its copy-on-write copy
 * holds the code), the same made read-only before PROT for
 * `privfile-cow:PROT` (not writable any more, but its written pages are
 * anonymous), the same mapped read-only and never written for
 * `file:PROT` (a file-backed mapping, as ld.so maps a library's text: the
 * file's own bytes, never called), and one mmap(2) with PROT_READ|PROT_WRITE|PROT_EXEC,
 * no mprotect, for `privfile-rwx:` (docs/model.md, "Anonymous memory").
 * PROT is some of the letters r, w, x; `-` is none.  When the page is then
 * executable (x asked, or implied) the function is called.  Prints
 * "STEP: ran 42", "STEP: ok" (not executable) or "STEP: mprotect: ERROR"
 * and exits with the errno of the first failing call (0 when all went
 * through): EPERM (1) where an LSM denied it; 2 for bad arguments.
 * `mprotect-exec loop N` instead times N pairs of mprotect(PROT_READ) and
 * mprotect(PROT_READ|PROT_WRITE) of one page (no PROT_EXEC: the hook's
 * early return, a JIT's or an allocator's common case) and prints
 * "loop: NS ns per mprotect".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "prot_letters.h"

/* x86_64: mov $42, %eax; ret */
static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

/* "-" is PROT_NONE; otherwise some of r, w, x. */
static int parse_prot(const char *text, int *ret)
{
	if (strcmp(text, "-") == 0) {
		*ret = PROT_NONE;
		return 0;
	}
	return *text ? prot_letters(text, ret) : -1;
}

enum kind { PRIVATE, SHARED, MEMFD, SHM, ZERO, PRIVFILE, PRIVFILE_COW, FILE_RO, PRIVFILE_RWX };

/*
 * One read-write page of @kind (read-only for FILE_RO, RWX for
 * PRIVFILE_RWX), or MAP_FAILED with errno set (@what: the
 * call that failed).
 */
static void *map_rw(enum kind kind, size_t page, const char **what)
{
	void *at;
	int fd, id;

	*what = "mmap";
	if (kind >= PRIVFILE) {
		*what = "open";
		fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return MAP_FAILED;
		*what = "mmap";
		at = mmap(NULL, page,
			  kind == FILE_RO	 ? PROT_READ
			  : kind == PRIVFILE_RWX ? PROT_READ | PROT_WRITE | PROT_EXEC
						 : PROT_READ | PROT_WRITE,
			  MAP_PRIVATE, fd, 0);
		close(fd);
		return at;
	}
	if (kind == PRIVATE || kind == SHARED)
		return mmap(NULL, page, PROT_READ | PROT_WRITE,
			    (kind == SHARED ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	if (kind == ZERO) {
		*what = "open";
		fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return MAP_FAILED;
		*what = "mmap";
		at = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		close(fd);
		return at;
	}
	if (kind == MEMFD) {
		*what = "memfd_create";
		fd = (int)syscall(SYS_memfd_create, "jit", 0);
		if (fd < 0)
			return MAP_FAILED;
		*what = "ftruncate";
		if (ftruncate(fd, (off_t)page) < 0) {
			close(fd);
			return MAP_FAILED;
		}
		*what = "mmap";
		at = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		return at;
	}
	*what = "shmget";
	id = shmget(IPC_PRIVATE, page, IPC_CREAT | 0600);
	if (id < 0)
		return MAP_FAILED;
	*what = "shmat";
	at = shmat(id, NULL, 0);
	shmctl(id, IPC_RMID, NULL); /* gone at the detach */
	return at == (void *)-1 ? MAP_FAILED : at;
}

/* One step; returns 0 or the errno of the call that failed. */
static int step(const char *arg, size_t page)
{
	static const char *const kinds[] = {
		[SHARED] = "shared:",	  [MEMFD] = "memfd:",
		[SHM] = "shm:",		  [ZERO] = "zero:",
		[PRIVFILE] = "privfile:", [PRIVFILE_COW] = "privfile-cow:",
		[FILE_RO] = "file:",	  [PRIVFILE_RWX] = "privfile-rwx:",
	};
	const char *prot_text = arg, *what;
	bool pkey = false, implies = false;
	enum kind kind = PRIVATE;
	int prot, e = 0, r;
	void *at;

	if (strncmp(arg, "pkey:", 5) == 0) {
		pkey = true;
		prot_text = arg + 5;
	} else if (strncmp(arg, "implies:", 8) == 0) {
		implies = true;
		prot_text = arg + 8;
	}
	for (enum kind k = SHARED; k <= PRIVFILE_RWX; k++) {
		/* After pkey: too (`pkey:privfile:rx`). */
		if (strncmp(prot_text, kinds[k], strlen(kinds[k])) == 0) {
			kind = k;
			prot_text += strlen(kinds[k]);
			break;
		}
	}
	if (kind == PRIVFILE_RWX && *prot_text == '\0')
		prot_text = "rwx"; /* mapped so: no mprotect */
	if (parse_prot(prot_text, &prot) < 0 || (kind == PRIVFILE_RWX && prot != 7)) {
		fprintf(stderr, "mprotect-exec: %s: not a protection\n", arg);
		return -1;
	}
	at = map_rw(kind, page, &what);
	if (at == MAP_FAILED) {
		e = errno;
		printf("%s: %s: %s\n", arg, what, strerror(e));
		return e;
	}
	/* After the mapping: READ_IMPLIES_EXEC would make an RW mmap RWX (an mmap_file event). */
	if (implies && personality(READ_IMPLIES_EXEC) < 0) {
		e = errno;
		printf("%s: personality: %s\n", arg, strerror(e));
		return e;
	}
	if (kind != FILE_RO)
		memcpy(at, code, sizeof(code));
	r = 0;
	if (kind == PRIVFILE_COW)
		r = mprotect(at, page, PROT_READ);
	if (r == 0 && kind != PRIVFILE_RWX) {
		if (pkey)
			r = (int)syscall(SYS_pkey_mprotect, at, page, prot, -1);
		else
			r = mprotect(at, page, prot);
	}
	if (r < 0) {
		e = errno;
		printf("%s: mprotect: %s\n", arg, strerror(e));
	} else if (kind == FILE_RO) {
		printf("%s: ok (the file's page: not called)\n", arg);
	} else if ((prot & PROT_EXEC) || (implies && (prot & PROT_READ))) {
#if defined(__x86_64__)
		int (*fn)(void) = (int (*)(void))at;

		printf("%s: ran %d\n", arg, fn());
#else
		printf("%s: ok (not x86_64: not called)\n", arg);
#endif
	} else {
		printf("%s: ok\n", arg);
	}
	fflush(stdout);
	if (kind == SHM)
		shmdt(at);
	else
		munmap(at, page);
	if (implies)
		personality(0);
	return e;
}

/* N pairs of mprotects without PROT_EXEC, timed. */
static int loop(const char *count, size_t page)
{
	struct timespec start, end;
	long n = strtol(count, NULL, 10);
	void *at;
	double ns;

	if (n <= 0) {
		fprintf(stderr, "mprotect-exec: loop %s: not a count\n", count);
		return 2;
	}
	at = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (at == MAP_FAILED) {
		perror("mprotect-exec: mmap");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < n; i++) {
		if (mprotect(at, page, PROT_READ) < 0 ||
		    mprotect(at, page, PROT_READ | PROT_WRITE) < 0) {
			perror("mprotect-exec: mprotect");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	ns = (double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec);
	printf("loop: %.0f ns per mprotect\n", ns / (2.0 * (double)n));
	return 0;
}

int main(int argc, char **argv)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (argc == 3 && strcmp(argv[1], "loop") == 0)
		return loop(argv[2], page);

	if (argc < 2) {
		fprintf(stderr,
			"usage: mprotect-exec [pkey:|implies:|shared:|memfd:|shm:|zero:|privfile:|"
			"privfile-cow:|file:]PROT... | privfile-rwx: | loop N\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int e = step(argv[i], page);

		if (e < 0)
			return 2;
		if (e)
			return e;
	}
	return 0;
}
