// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a 32-bit system call from a 64-bit process (int $0x80, ia32 emulation), as an attacker
 * in a container may make one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* i386's numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define NR32_KILL 37
#define NR32_GETGID32 200

/*
 * compat-call kill PID: i386's kill(PID, 0), which checks and delivers
 * nothing.  compat-call getgid32 PID: i386's getgid32 (200, the number of
 * x86_64's tkill) with PID in %rdi, where x86_64's tkill takes its target:
 * a recorder that read i386's numbers as x86_64's would take it for a
 * signal to PID.  Prints the raw return value (a negative errno, or the
 * result); exits 2 on a usage error.
 */
int main(int argc, char **argv)
{
	long pid, nr, r;

	if (argc != 3 || (pid = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: compat-call kill|getgid32 PID\n");
		return 2;
	}
	if (strcmp(argv[1], "kill") == 0)
		nr = NR32_KILL;
	else if (strcmp(argv[1], "getgid32") == 0)
		nr = NR32_GETGID32;
	else {
		fprintf(stderr, "compat-call: unknown call %s\n", argv[1]);
		return 2;
	}
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(pid), "c"(0L), "D"(pid), "S"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	printf("%ld\n", r);
	return 0;
}
