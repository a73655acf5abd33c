// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a caller that sends requests canisterd refuses, as fast as it answers, to flood its
 * records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * refusal-storm SOCKET COUNT NAME: COUNT requests to register pid 1 into
 * container 99 under NAME, one after the other on one connection (a
 * labelled caller without a delegation is refused each: EPERM).  Prints
 * "ok=N refused=N throttled=N other=N": refused by the handler, refused
 * over the request rate (EAGAIN), anything else (closed, unexpected).
 */
int main(int argc, char **argv)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	unsigned long ok = 0, refused = 0, throttled = 0, other = 0;
	char request[512], reply[65536];
	int fd, count;

	if (argc != 4 || strlen(argv[1]) >= sizeof(address.sun_path) ||
	    (count = atoi(argv[2])) < 1 || strlen(argv[3]) > 200) {
		fprintf(stderr, "usage: refusal-storm SOCKET COUNT NAME\n");
		return 2;
	}
	strcpy(address.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		perror("refusal-storm: connect");
		return 1;
	}
	snprintf(request, sizeof(request),
		 "{\"op\":\"set\",\"pid\":1,\"contid\":\"99\",\"name\":\"%s\"}", argv[3]);
	for (int i = 0; i < count; i++) {
		ssize_t got;

		if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0) {
			other += (unsigned long)(count - i);
			break;
		}
		got = recv(fd, reply, sizeof(reply) - 1, 0);
		if (got <= 0) {
			other += (unsigned long)(count - i);
			break;
		}
		reply[got] = '\0';
		if (strstr(reply, "\"ok\":true"))
			ok++;
		else if (strstr(reply, "\"errno\":\"EAGAIN\""))
			throttled++;
		else if (strstr(reply, "\"errno\":\"EPERM\""))
			refused++;
		else {
			other++;
			fprintf(stderr, "refusal-storm: unexpected reply: %s\n", reply);
		}
	}
	printf("ok=%lu refused=%lu throttled=%lu other=%lu\n", ok, refused, throttled, other);
	return 0;
}
