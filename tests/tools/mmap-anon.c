// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: anonymous executable mappings for the model's cases,
 * as a JIT makes them.  `mmap-anon PROT FLAGS [PROT FLAGS]...` maps one
 * page for each pair in turn, stopping at the first that fails: PROT is
 * some of the letters r, w, x (PROT_READ, PROT_WRITE, PROT_EXEC), prefixed
 * `implies:` to map under the READ_IMPLIES_EXEC personality (which makes
 * PROT_READ executable); FLAGS is private or shared, each optionally
 * followed by +noreserve (MAP_NORESERVE), or memfd (MAP_SHARED of a memfd
 * holding the code), or shm (a SysV shm segment attached with shmat(2):
 * SHM_EXEC for x, SHM_RDONLY without w, under the personality for implies:;
 * "PROT shm: shmat: ERROR" when refused), or shm@ (the same at an address
 * given: MAP_FIXED).  A mapping that is
 * executable without asking for it (implies:) or of a memfd, and holds code (written through it or
 * the memfd) is called: "PROT FLAGS: ran 42".  Otherwise prints "PROT FLAGS: ok", or "PROT FLAGS:
 * mmap: ERROR" and exits with the errno of the first failing call (0 when all went through): EPERM
 * (1) where an LSM denied it; 2 for bad arguments.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "prot_letters.h"

/* x86_64: mov $42, %eax; ret */
static const unsigned char code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

/* A memfd of one page holding the code, or -1. */
static int memfd_code(size_t page)
{
	int fd = (int)syscall(SYS_memfd_create, "jit", 0);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)page) < 0 ||
	    pwrite(fd, code, sizeof(code), 0) != (ssize_t)sizeof(code)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * One page of SysV shm attached with @prot, at an address of the caller's
 * choosing for @fixed (one a page of anonymous memory held and gave back:
 * do_shmat() maps it MAP_FIXED); returns 0 or the errno.
 */
static int shm_attach(const char *prot_text, int prot, bool fixed, size_t page)
{
	int id = shmget(IPC_PRIVATE, page, IPC_CREAT | 0700), e = 0; /* SHM_EXEC needs x */
	void *at, *where = NULL;

	if (id < 0) {
		e = errno;
		printf("%s shm: shmget: %s\n", prot_text, strerror(e));
		return e;
	}
	if (fixed) {
		where = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (where == MAP_FAILED) {
			e = errno;
			printf("%s shm@: mmap: %s\n", prot_text, strerror(e));
			shmctl(id, IPC_RMID, NULL);
			return e;
		}
		munmap(where, page);
	}
	at = shmat(id, where,
		   ((prot & PROT_WRITE) ? 0 : SHM_RDONLY) | ((prot & PROT_EXEC) ? SHM_EXEC : 0));
	if (at == (void *)-1) {
		e = errno;
		printf("%s shm%s: shmat: %s\n", prot_text, fixed ? "@" : "", strerror(e));
	} else {
		printf("%s shm%s: ok\n", prot_text, fixed ? "@" : "");
		shmdt(at);
	}
	fflush(stdout);
	shmctl(id, IPC_RMID, NULL);
	return e;
}

/* FLAGS as mmap's; MAP_SHARED without MAP_ANONYMOUS for memfd (*@memfd true). */
static int parse_flags(const char *text, int *ret, bool *memfd)
{
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	int flags = MAP_ANONYMOUS;

	*memfd = strcmp(text, "memfd") == 0;
	if (*memfd) {
		*ret = MAP_SHARED;
		return 0;
	}
	if (len == strlen("private") && strncmp(text, "private", len) == 0)
		flags |= MAP_PRIVATE;
	else if (len == strlen("shared") && strncmp(text, "shared", len) == 0)
		flags |= MAP_SHARED;
	else
		return -1;
	if (plus && strcmp(plus, "+noreserve") != 0)
		return -1;
	if (plus)
		flags |= MAP_NORESERVE;
	*ret = flags;
	return 0;
}

int main(int argc, char **argv)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (argc < 3 || argc % 2 == 0) {
		fprintf(stderr,
			"usage: mmap-anon [implies:]PROT FLAGS [[implies:]PROT FLAGS]...\n");
		return 2;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		bool implies = strncmp(argv[i], "implies:", 8) == 0, shm, fixed, memfd = false, run;
		int prot, flags = 0, e, fd = -1;
		void *at;

		fixed = strcmp(argv[i + 1], "shm@") == 0;
		shm = fixed || strcmp(argv[i + 1], "shm") == 0;
		if (prot_letters(argv[i] + (implies ? 8 : 0), &prot) < 0 ||
		    (!shm && parse_flags(argv[i + 1], &flags, &memfd) < 0)) {
			fprintf(stderr, "mmap-anon: %s %s: not a protection and flags\n", argv[i],
				argv[i + 1]);
			return 2;
		}
		if (memfd && (fd = memfd_code(page)) < 0) {
			e = errno;
			printf("%s %s: memfd: %s\n", argv[i], argv[i + 1], strerror(e));
			return e;
		}
		if (implies && personality(READ_IMPLIES_EXEC) < 0) {
			e = errno;
			printf("%s %s: personality: %s\n", argv[i], argv[i + 1], strerror(e));
			return e;
		}
		if (shm) {
			e = shm_attach(argv[i], prot, fixed, page);
			if (implies)
				personality(0);
			if (e)
				return e;
			continue;
		}
		at = mmap(NULL, page, prot, flags, fd, 0);
		e = errno;
		if (fd >= 0)
			close(fd);
		if (implies)
			personality(0);
		if (at == MAP_FAILED) {
			printf("%s %s: mmap: %s\n", argv[i], argv[i + 1], strerror(e));
			fflush(stdout);
			return e;
		}
		run = (implies && (prot & PROT_READ) && (prot & PROT_WRITE)) ||
		      (memfd && (prot & PROT_EXEC));
		if (run && !memfd)
			memcpy(at, code, sizeof(code));
#if defined(__x86_64__)
		if (run) {
			int (*fn)(void) = (int (*)(void))at;

			printf("%s %s: ran %d\n", argv[i], argv[i + 1], fn());
		} else {
			printf("%s %s: ok\n", argv[i], argv[i + 1]);
		}
#else
		printf("%s %s: ok\n", argv[i], argv[i + 1]);
#endif
		fflush(stdout);
		munmap(at, page);
	}
	return 0;
}
