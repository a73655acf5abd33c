// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: anonymous executable mappings for the model's cases,
 * as a JIT makes them.  `mmap-anon PROT FLAGS [PROT FLAGS]...` maps one
 * page for each pair in turn, stopping at the first that fails: PROT is
 * some of the letters r, w, x (PROT_READ, PROT_WRITE, PROT_EXEC); FLAGS is
 * private or shared, each optionally followed by +noreserve (MAP_NORESERVE).
 * Prints "PROT FLAGS: ok" or "PROT FLAGS: mmap: ERROR" and exits with the
 * errno of the first failing call (0 when all went through): EPERM (1)
 * where an LSM denied it; 2 for bad arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "prot_letters.h"

static int parse_flags(const char *text, int *ret)
{
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	int flags = MAP_ANONYMOUS;

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
		fprintf(stderr, "usage: mmap-anon PROT FLAGS [PROT FLAGS]...\n");
		return 2;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		int prot, flags, e;
		void *at;

		if (prot_letters(argv[i], &prot) < 0 || parse_flags(argv[i + 1], &flags) < 0) {
			fprintf(stderr, "mmap-anon: %s %s: not a protection and flags\n", argv[i],
				argv[i + 1]);
			return 2;
		}
		at = mmap(NULL, page, prot, flags, -1, 0);
		if (at == MAP_FAILED) {
			e = errno;
			printf("%s %s: mmap: %s\n", argv[i], argv[i + 1], strerror(e));
			fflush(stdout);
			return e;
		}
		printf("%s %s: ok\n", argv[i], argv[i + 1]);
		munmap(at, page);
	}
	return 0;
}
