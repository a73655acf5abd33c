// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of a cheap system call, by default getppid(2), which
 * no observer decodes but every program at the syscalls' entry (raw
 * tracepoint sys_enter) runs before it; or one that trace mode's model
 * observers decode (mprotect, socket).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * mprotect of one anonymous page to PROT_READ and back to read-write: the
 * observer of sys_enter_mprotect runs and leaves at its first test (no
 * PROT_EXEC), as it does for a JIT's or an allocator's every call.  Two
 * calls an iteration.
 */
static int mprotect_loop(long iterations)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	p[0] = 1; /* a populated page, as a real one is */
	for (long i = 0; i < iterations; i++)
		if (mprotect(p, page, PROT_READ) || mprotect(p, page, PROT_READ | PROT_WRITE))
			return -1;
	return 0;
}

/*
 * socket(AF_INET, SOCK_STREAM) + close: sys_enter_socket's observer runs;
 * in a wanted container each socket is a socket_create event (recorded
 * within the container's budget, the rest counted and dropped).
 */
static int socket_loop(long iterations)
{
	for (long i = 0; i < iterations; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0 || close(fd) < 0)
			return -1;
	}
	return 0;
}

/* syscall(2), not the libc wrapper: nothing may answer it without entering the kernel. */
static int getppid_loop(long iterations)
{
	for (long i = 0; i < iterations; i++)
		syscall(SYS_getppid);
	return 0;
}

/*
 * Prints nanoseconds per iteration over N iterations, to a tenth, in the
 * thread's CPU time: on a loaded machine wall time counts the other
 * processes' turns too.
 */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 0;
	const char *kind = argc > 2 ? argv[2] : "getppid";
	int (*loop)(long);
	struct timespec start, end;
	double ns;

	if (!strcmp(kind, "getppid"))
		loop = getppid_loop;
	else if (!strcmp(kind, "mprotect"))
		loop = mprotect_loop;
	else if (!strcmp(kind, "socket"))
		loop = socket_loop;
	else
		loop = NULL;
	if (iterations <= 0 || argc < 2 || argc > 3 || !loop) {
		fprintf(stderr, "usage: syscallloop N [getppid|mprotect|socket]\n");
		return 2;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	if (loop(iterations) < 0) {
		perror("syscallloop");
		return 1;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
	ns = (double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec);
	printf("%.1f\n", ns / (double)iterations);
	return 0;
}
