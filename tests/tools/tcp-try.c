// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: one TCP step on the loopback, for access policies' net
 * rights.  `tcp-try bind PORT [6]` binds a TCP socket (IPv4, or IPv6 with 6)
 * and prints "ok" or "bind: ERROR"; `tcp-try connect PORT [6]` connects and
 * prints "ok" or "connect: ERROR"; `tcp-try fastopen PORT [6]` connects by
 * TCP Fast Open (sendto() with MSG_FASTOPEN) and prints "ok" or "sendto:
 * ERROR"; `tcp-try listen PORT READY` listens on
 * 127.0.0.1:PORT, writes the file READY once it does, and accepts (closing
 * each connection) until killed; `tcp-try bindlisten PORT [6]` binds and
 * listens, and prints "ok" or "bind: ERROR" or "listen: ERROR";
 * `tcp-try autobind [6]` listens on a socket never bound (the kernel picks
 * an ephemeral port) and prints "ok" or "listen: ERROR".  Exit 0 on success,
 * 1 on a refusal, 2 on misuse.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define USAGE                                                                             \
	"usage: tcp-try bind|connect|fastopen|bindlisten PORT [6] | listen PORT READY | " \
	"autobind [6]\n"

/* listen() on a socket never bound: no bind() call, the port taken at listen(). */
static int autobind(int six)
{
	int fd = socket(six ? AF_INET6 : AF_INET, SOCK_STREAM, IPPROTO_TCP);

	if (fd < 0) {
		printf("socket: %s\n", strerror(errno));
		return 1;
	}
	if (listen(fd, 1) < 0) {
		printf("listen: %s\n", strerror(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static socklen_t address(int port, int six, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (six) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		in6->sin6_addr = in6addr_loopback;
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*in);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	FILE *ready;
	int port, six, fd, one = 1;
	socklen_t len;

	if (argc > 1 && !strcmp(argv[1], "autobind"))
		return autobind(argc > 2 && !strcmp(argv[2], "6"));
	if (argc < 3 || (port = atoi(argv[2])) < 0 || port > 65535) {
		fprintf(stderr, USAGE);
		return 2;
	}
	six = strcmp(argv[1], "listen") && argc > 3 && !strcmp(argv[3], "6");
	len = address(port, six, &ss);
	fd = socket(six ? AF_INET6 : AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0) {
		printf("socket: %s\n", strerror(errno));
		return 1;
	}
	/* A connect by TCP Fast Open: the SYN goes with sendto(), no connect() is made. */
	if (!strcmp(argv[1], "fastopen")) {
		if (sendto(fd, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&ss, len) < 0) {
			printf("sendto: %s\n", strerror(errno));
			return 1;
		}
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "connect")) {
		if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
			printf("connect: %s\n", strerror(errno));
			return 1;
		}
		printf("ok\n");
		return 0;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		printf("bind: %s\n", strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "bind")) {
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "bindlisten")) {
		if (listen(fd, 1) < 0) {
			printf("listen: %s\n", strerror(errno));
			return 1;
		}
		printf("ok\n");
		return 0;
	}
	if (strcmp(argv[1], "listen") || argc < 4) {
		fprintf(stderr, USAGE);
		return 2;
	}
	if (listen(fd, 64) < 0) {
		printf("listen: %s\n", strerror(errno));
		return 1;
	}
	ready = fopen(argv[3], "wx");
	if (!ready || fprintf(ready, "listening\n") < 0 || fclose(ready)) {
		printf("%s: %s\n", argv[3], strerror(errno));
		return 1;
	}
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
}
