// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: opens a raw ICMP socket (what ping needs CAP_NET_RAW
 * for) and prints "ok", or the error; exit 0 or 1.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0) {
		printf("socket: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}
