// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of the cheapest system call, getppid(2), which every
 * program at the syscalls' entry (raw tracepoint sys_enter) runs before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * Prints nanoseconds per getppid over N iterations, to a tenth, in the
 * thread's CPU time: on a loaded machine wall time counts the other
 * processes' turns too.
 */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 0;
	struct timespec start, end;
	double ns;

	if (iterations <= 0 || argc != 2) {
		fprintf(stderr, "usage: syscallloop N\n");
		return 2;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	/* syscall(2), not the libc wrapper: nothing may answer it without entering the kernel. */
	for (long i = 0; i < iterations; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
	ns = (double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec);
	printf("%.1f\n", ns / (double)iterations);
	return 0;
}
