// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a caller that connects, asks, hands its connection to a child and exits, so that its
 * pid can be recycled. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Waits (polling, with a deadline) until @path exists. */
static int await(const char *path, int seconds)
{
	struct stat st;

	for (int i = 0; i < seconds * 20; i++) {
		if (stat(path, &st) == 0)
			return 0;
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
	}
	fprintf(stderr, "peer-handoff: %s did not appear within %d s\n", path, seconds);
	return -1;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[2048], tmp[2100];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, path) < 0) {
		perror(path);
		exit(1);
	}
}

/*
 * peer-handoff SOCKET DIR: writes DIR/ready, waits for DIR/stopped, connects
 * and asks canisterd to delegate to its child, which keeps the connection;
 * then writes its own pid to DIR/pid, the child's to DIR/child, and exits.
 * The child waits for the reply (at most 120 s) and writes it to DIR/reply.
 */
int main(int argc, char **argv)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	char request[128], text[64], path[4096];
	int fd, go[2];
	pid_t child;

	if (argc != 3 || strlen(argv[1]) >= sizeof(address.sun_path)) {
		fprintf(stderr, "usage: peer-handoff SOCKET DIR\n");
		return 2;
	}
	strcpy(address.sun_path, argv[1]);
	write_file(argv[2], "ready", "");
	snprintf(path, sizeof(path), "%s/stopped", argv[2]);
	if (await(path, 120) < 0)
		return 1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		perror("connect");
		return 1;
	}
	if (pipe(go) < 0)
		return 1;
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char reply[65536];
		ssize_t got;
		char byte;

		/* The parent has sent the request once this returns. */
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(1);
		if (poll(&pfd, 1, 120 * 1000) != 1) {
			write_file(argv[2], "reply", "no reply within 120 s\n");
			_exit(1);
		}
		got = recv(fd, reply, sizeof(reply) - 2, 0);
		/* A reset is reported before the refusal queued ahead of it. */
		if (got < 0 && errno == ECONNRESET)
			got = recv(fd, reply, sizeof(reply) - 2, MSG_DONTWAIT);
		if (got < 0)
			snprintf(reply, sizeof(reply), "recv: %s", strerror(errno));
		else if (got == 0)
			snprintf(reply, sizeof(reply), "closed");
		else
			reply[got] = '\0';
		strcat(reply, "\n");
		write_file(argv[2], "reply", reply);
		_exit(0);
	}
	snprintf(request, sizeof(request), "{\"op\":\"delegate\",\"pid\":%d}", (int)child);
	if (send(fd, request, strlen(request), 0) != (ssize_t)strlen(request)) {
		perror("send");
		return 1;
	}
	snprintf(text, sizeof(text), "%d\n", (int)child);
	write_file(argv[2], "child", text);
	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	write_file(argv[2], "pid", text);
	if (write(go[1], "g", 1) != 1)
		return 1;
	return 0;
}
