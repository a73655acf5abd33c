// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: `model-connect PORT [GO]`: a TCP socket connected to
 * 127.0.0.1:PORT; with GO, first prints "waiting" and waits until the file
 * GO exists (polled every 10 ms: no event of the model's meanwhile), so
 * that the process runs before something the test does.  Prints "connect
 * PORT: ok" or "connect PORT: STEP: ERROR" (STEP socket or connect) and
 * exits with the errno (0 when connected): a port nobody listens on gives
 * ECONNREFUSED (111) where the kernel let the connect through, EPERM (1)
 * where an LSM denied it.  `model-connect -b PORT` binds the socket to
 * 127.0.0.1:PORT instead ("bind PORT: ..."; 0 when bound).
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

int main(int argc, char **argv)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	const char *step = "connect";
	int fd, port;

	if (argc == 3 && strcmp(argv[1], "-b") == 0) {
		step = "bind";
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3 || (port = atoi(argv[1])) <= 0 || port > 65535) {
		fprintf(stderr, "usage: model-connect PORT [GO] | -b PORT\n");
		return 2;
	}
	if (argc == 3) {
		const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };

		printf("waiting\n");
		fflush(stdout);
		while (access(argv[2], F_OK) < 0)
			nanosleep(&tick, NULL);
	}
	in.sin_port = htons((uint16_t)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		int e = errno;

		printf("%s %d: socket: %s\n", step, port, strerror(e));
		return e;
	}
	if ((strcmp(step, "bind") == 0 ? bind(fd, (struct sockaddr *)&in, sizeof(in))
				       : connect(fd, (struct sockaddr *)&in, sizeof(in))) < 0) {
		int e = errno;

		printf("%s %d: %s: %s\n", step, port, step, strerror(e));
		close(fd);
		return e;
	}
	printf("%s %d: ok\n", step, port);
	close(fd);
	return 0;
}
