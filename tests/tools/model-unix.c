// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: AF_UNIX stream sockets for the model's cases.  ADDR is a
 * path (absolute or relative) or, with a leading '@', an abstract name.
 * `model-unix [-C DIR] STEP ADDR [STEP ADDR]...` runs each STEP in turn,
 * stopping at the first that fails: `connect ADDR`, a socket connected to
 * ADDR; `serve ADDR`, binds ADDR (a path removed first), listens, connects
 * a second socket to it and accepts that connection.
 * `model-unix listen ADDR GO`: binds and listens on ADDR, prints
 * "listening" and waits until the file GO exists (polled every 10 ms),
 * accepting nothing (a connect completes into the backlog).  -C changes
 * into DIR first (a relative ADDR is then the same socket by another name).  Prints "STEP ADDR: ok"
 * or "STEP ADDR: CALL: ERROR" and exits with the errno of the first failing call (0 when all went
 * through): EPERM (1) where an LSM denied it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *step, *name;

/* @addr from ADDR; its length for bind() and connect(). */
static socklen_t address(const char *text, struct sockaddr_un *addr)
{
	size_t len = strlen(text);

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (len > sizeof(addr->sun_path) - 1) {
		fprintf(stderr, "model-unix: %s: longer than sun_path\n", text);
		exit(2);
	}
	memcpy(addr->sun_path, text, len);
	if (text[0] != '@')
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	/* Abstract: the NUL in place of '@', and no NUL after the name. */
	addr->sun_path[0] = '\0';
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
}

static int failed(const char *call)
{
	int e = errno;

	printf("%s %s: %s: %s\n", step, name, call, strerror(e));
	return e;
}

static int run(const char *what, const char *go)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	struct sockaddr_un addr;
	socklen_t len = address(name, &addr);
	int fd, peer, conn;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return failed("socket");
	if (strcmp(what, "connect") == 0) {
		if (connect(fd, (struct sockaddr *)&addr, len) < 0)
			return failed("connect");
		printf("%s %s: ok\n", step, name);
		return 0;
	}
	if (name[0] != '@')
		unlink(name);
	if (bind(fd, (struct sockaddr *)&addr, len) < 0)
		return failed("bind");
	if (listen(fd, 5) < 0)
		return failed("listen");
	if (strcmp(what, "listen") == 0) {
		printf("listening\n");
		fflush(stdout);
		while (access(go, F_OK) < 0)
			nanosleep(&tick, NULL);
		return 0;
	}
	peer = socket(AF_UNIX, SOCK_STREAM, 0);
	if (peer < 0)
		return failed("socket");
	if (connect(peer, (struct sockaddr *)&addr, len) < 0)
		return failed("connect");
	conn = accept(fd, NULL, NULL);
	if (conn < 0)
		return failed("accept");
	printf("%s %s: ok\n", step, name);
	return 0;
}

static bool is_step(const char *word)
{
	return strcmp(word, "connect") == 0 || strcmp(word, "serve") == 0;
}

int main(int argc, char **argv)
{
	int i = 1, e;

	if (argc > 2 && strcmp(argv[1], "-C") == 0) {
		if (chdir(argv[2]) < 0) {
			perror(argv[2]);
			return 2;
		}
		i = 3;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc - i == 3 && strcmp(argv[i], "listen") == 0) {
		step = argv[i];
		name = argv[i + 1];
		return run(step, argv[i + 2]);
	}
	if (argc - i < 2 || (argc - i) % 2)
		goto usage;
	for (int j = i; j < argc; j += 2) {
		if (!is_step(argv[j]))
			goto usage;
	}
	for (; i < argc; i += 2) {
		step = argv[i];
		name = argv[i + 1];
		e = run(step, NULL);
		if (e)
			return e;
	}
	return 0;
usage:
	fprintf(stderr, "usage: model-unix [-C DIR] {connect|serve ADDR}... | listen ADDR GO\n");
	return 2;
}
