// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: the cost of a TCP connect as BPF LSM's socket_connect sees it:
 * socket, connect to 127.0.0.1:PORT where nothing listens (refused at once,
 * after the hook), close.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Prints nanoseconds per socket/connect/close over N iterations; any answer but ECONNREFUSED fails.
 */
int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 0;
	int port = argc > 2 ? atoi(argv[2]) : 0;
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct timespec start, end;

	if (argc != 3 || iterations <= 0 || port <= 0 || port > 65535) {
		fprintf(stderr, "usage: connectloop N PORT\n");
		return 2;
	}
	to.sin_port = htons((unsigned short)port);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			perror("socket");
			return 1;
		}
		if (connect(fd, (struct sockaddr *)&to, sizeof(to)) == 0 || errno != ECONNREFUSED) {
			fprintf(stderr, "connectloop: connect to port %d: %s\n", port,
				strerror(errno));
			return 1;
		}
		close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%lld\n",
	       ((end.tv_sec - start.tv_sec) * 1000000000LL + end.tv_nsec - start.tv_nsec) /
		       iterations);
	return 0;
}
