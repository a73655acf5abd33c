// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: datagrams sent to an address, for the model's cases.
 * ADDR is an inet address and port (`127.0.0.1:53`, `[::1]:53`: a UDP
 * socket), or an AF_UNIX datagram socket's path or, with a leading '@',
 * abstract name.  `model-dgram [-n COUNT] STEP ADDR [STEP ADDR]...` runs each
 * STEP in turn on a new socket, stopping at the first that fails:
 * `sendto ADDR`, `sendmsg ADDR`, `sendmmsg ADDR` (two messages a call),
 * COUNT calls (1 unless -n says) to ADDR from an unbound socket;
 * `connected ADDR`, connect() then COUNT send()s without an address;
 * `serve ADDR` (AF_UNIX), binds ADDR (a path removed first) and sends
 * COUNT datagrams to it with sendto(), reading each back.
 * `model-dgram listen ADDR GO` (AF_UNIX): binds ADDR, prints "listening"
 * and waits until the file GO exists (polled every 10 ms).  Prints
 * "STEP ADDR: ok" or "STEP ADDR: CALL: ERROR" and exits with the errno of
 * the first failing call (0 when all went through): EPERM (1) where an
 * LSM denied it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *step, *name;
static long count = 1;

union address {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_un un;
};

static void usage(void)
{
	fprintf(stderr, "usage: model-dgram [-n COUNT] {sendto|sendmsg|sendmmsg|connected|serve "
			"ADDR}... | listen ADDR GO\n");
	exit(2);
}

/* @addr from ADDR; its length for the calls. */
static socklen_t address(const char *text, union address *addr)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	size_t len = strlen(text);
	long port;

	memset(addr, 0, sizeof(*addr));
	if (text[0] == '/' || text[0] == '.' || text[0] == '@' || !colon) {
		addr->un.sun_family = AF_UNIX;
		if (len > sizeof(addr->un.sun_path) - 1)
			usage();
		memcpy(addr->un.sun_path, text, len);
		if (text[0] != '@')
			return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
		addr->un.sun_path[0] = '\0';
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	}
	port = strtol(colon + 1, NULL, 10);
	if (port <= 0 || port > 65535 || (size_t)(colon - text) >= sizeof(host))
		usage();
	if (text[0] == '[') {
		memcpy(host, text + 1, colon - text - 2);
		host[colon - text - 2] = '\0';
		addr->in6.sin6_family = AF_INET6;
		addr->in6.sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &addr->in6.sin6_addr) != 1)
			usage();
		return sizeof(addr->in6);
	}
	memcpy(host, text, colon - text);
	host[colon - text] = '\0';
	addr->in.sin_family = AF_INET;
	addr->in.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr->in.sin_addr) != 1)
		usage();
	return sizeof(addr->in);
}

static int failed(const char *call)
{
	int e = errno;

	printf("%s %s: %s: %s\n", step, name, call, strerror(e));
	return e;
}

static int send_one(int fd, const union address *addr, socklen_t len)
{
	char data[] = "canister";
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct mmsghdr msgs[2] = {};

	if (strcmp(step, "sendto") == 0 || strcmp(step, "serve") == 0)
		return sendto(fd, data, sizeof(data), 0, &addr->sa, len) < 0 ? failed("sendto") : 0;
	if (strcmp(step, "connected") == 0)
		return send(fd, data, sizeof(data), 0) < 0 ? failed("send") : 0;
	for (int i = 0; i < 2; i++) {
		msgs[i].msg_hdr.msg_name = (void *)addr;
		msgs[i].msg_hdr.msg_namelen = len;
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (strcmp(step, "sendmsg") == 0)
		return sendmsg(fd, &msgs[0].msg_hdr, 0) < 0 ? failed("sendmsg") : 0;
	/* sendmmsg() returns the messages sent before the first refused one, and its errno
	 * only when that is the first. */
	return sendmmsg(fd, msgs, 2, 0) < 2 ? failed("sendmmsg") : 0;
}

static int run(const char *go)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	union address addr;
	socklen_t len = address(name, &addr);
	char back[64];
	int fd, e;

	fd = socket(addr.sa.sa_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return failed("socket");
	if (strcmp(step, "serve") == 0 || strcmp(step, "listen") == 0) {
		if (addr.sa.sa_family != AF_UNIX)
			usage();
		if (name[0] != '@')
			unlink(name);
		if (bind(fd, &addr.sa, len) < 0)
			return failed("bind");
	}
	if (strcmp(step, "listen") == 0) {
		printf("listening\n");
		while (access(go, F_OK) < 0)
			nanosleep(&tick, NULL);
		return 0;
	}
	if (strcmp(step, "connected") == 0 && connect(fd, &addr.sa, len) < 0)
		return failed("connect");
	for (long i = 0; i < count; i++) {
		e = send_one(fd, &addr, len);
		if (e)
			return e;
		if (strcmp(step, "serve") == 0 && recv(fd, back, sizeof(back), 0) < 0)
			return failed("recv");
	}
	close(fd);
	printf("%s %s: ok\n", step, name);
	return 0;
}

static int is_step(const char *word)
{
	static const char *const steps[] = { "sendto", "sendmsg", "sendmmsg", "connected",
					     "serve" };

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (strcmp(word, steps[i]) == 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		count = strtol(argv[2], NULL, 10);
		if (count <= 0)
			usage();
		i = 3;
	}
	if (argc - i == 3 && strcmp(argv[i], "listen") == 0) {
		step = argv[i];
		name = argv[i + 1];
		return run(argv[i + 2]);
	}
	if (argc - i < 2 || (argc - i) % 2)
		usage();
	for (int j = i; j < argc; j += 2) {
		if (!is_step(argv[j]))
			usage();
	}
	for (; i < argc; i += 2) {
		step = argv[i];
		name = argv[i + 1];
		e = run(NULL);
		if (e)
			return e;
	}
	return 0;
}
