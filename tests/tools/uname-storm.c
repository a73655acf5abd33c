// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: exactly N uname(2) calls from one process, as fast as it can (audit events to
 * count). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
	struct utsname name;
	char *end;
	long count;

	count = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (argc != 2 || *end || count < 0) {
		fprintf(stderr, "usage: uname-storm N\n");
		return 2;
	}
	for (long i = 0; i < count; i++)
		if (uname(&name) < 0) {
			perror("uname");
			return 1;
		}
	return 0;
}
