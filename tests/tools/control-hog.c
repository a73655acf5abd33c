// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a caller that opens many control connections and keeps them idle, to monopolise the
 * socket. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX 1000

static char dir[2048];

static void write_file(const char *name, const char *text)
{
	char path[2100], tmp[2200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, path) < 0) {
		perror(path);
		exit(1);
	}
}

/* DIR/stop exists, or DIR is gone: the case that started it has ended, failed or not. */
static bool told_to_stop(void)
{
	char path[2100];
	struct stat st;

	snprintf(path, sizeof(path), "%s/stop", dir);
	return stat(path, &st) == 0 || stat(dir, &st) < 0;
}

/* One datagram from @fd (waiting at most 60 s); "" when closed. */
static void receive(int fd, char *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t got = -1;

	if (poll(&pfd, 1, 60 * 1000) == 1) {
		got = recv(fd, buf, len - 1, MSG_DONTWAIT);
		/* A reset is reported before the refusal queued ahead of it. */
		if (got < 0 && errno == ECONNRESET)
			got = recv(fd, buf, len - 1, MSG_DONTWAIT);
	}
	buf[got > 0 ? got : 0] = '\0';
}

/*
 * control-hog SOCKET N DIR: opens N connections and asks one thing on each,
 * so that canisterd's verdict on each is known; writes DIR/result
 * ("admitted=A refused=R" and the first refusal), then keeps the admitted
 * ones idle.  Once canisterd has closed every admitted one, writes
 * DIR/closed ("closed=N" and what it said).  Exits when DIR/stop exists or
 * DIR is gone.
 */
int main(int argc, char **argv)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	static int fds[MAX];
	static bool open_fd[MAX];
	char request[64], reply[65536], first_refusal[4096] = "", said[4096] = "", text[8300];
	int count, admitted = 0, refused = 0, closed = 0;

	if (argc != 4 || strlen(argv[1]) >= sizeof(address.sun_path) ||
	    strlen(argv[3]) >= sizeof(dir) || (count = atoi(argv[2])) < 1 || count > MAX) {
		fprintf(stderr, "usage: control-hog SOCKET N DIR (N at most %d)\n", MAX);
		return 2;
	}
	strcpy(address.sun_path, argv[1]);
	strcpy(dir, argv[3]);
	snprintf(request, sizeof(request), "{\"op\":\"get\",\"pid\":%d}", (int)getpid());
	for (int i = 0; i < count; i++) {
		fds[i] = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fds[i] < 0 ||
		    connect(fds[i], (struct sockaddr *)&address, sizeof(address)) < 0) {
			perror("control-hog: connect");
			return 1;
		}
		if (send(fds[i], request, strlen(request), MSG_NOSIGNAL) < 0 && errno != EPIPE) {
			perror("control-hog: send");
			return 1;
		}
	}
	for (int i = 0; i < count; i++) {
		receive(fds[i], reply, sizeof(reply));
		if (strstr(reply, "\"ok\":true")) {
			admitted++;
			open_fd[i] = true;
			continue;
		}
		refused++;
		if (!first_refusal[0])
			snprintf(first_refusal, sizeof(first_refusal), "%.4000s",
				 reply[0] ? reply : "(closed)");
		close(fds[i]);
	}
	snprintf(text, sizeof(text), "admitted=%d refused=%d\n%s\n", admitted, refused,
		 first_refusal);
	write_file("result", text);

	while (!told_to_stop()) {
		struct pollfd pfds[MAX];
		int n = 0, index[MAX];

		for (int i = 0; i < count; i++)
			if (open_fd[i]) {
				pfds[n] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
				index[n++] = i;
			}
		if (poll(pfds, n, 100) < 0)
			return 1;
		for (int k = 0; k < n; k++) {
			ssize_t got;

			if (!pfds[k].revents)
				continue;
			got = recv(pfds[k].fd, reply, sizeof(reply) - 1, MSG_DONTWAIT);
			if (got > 0) {
				reply[got] = '\0';
				snprintf(said, sizeof(said), "%.4000s", reply);
				continue;
			}
			if (got < 0 && errno == EAGAIN)
				continue;
			open_fd[index[k]] = false;
			close(pfds[k].fd);
			if (++closed == admitted) {
				snprintf(text, sizeof(text), "closed=%d\n%s\n", closed, said);
				write_file("closed", text);
			}
		}
	}
	return 0;
}
