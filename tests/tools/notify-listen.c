// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test tool: a service manager's notification socket in miniature.
 *
 *   notify-listen SOCKET LOG -- CMD...
 *
 * Binds a unix datagram socket at SOCKET (what $NOTIFY_SOCKET names for the
 * daemon under test) and appends each message it receives to LOG as one line,
 * its newlines turned into spaces.  When a message holds READY=1 it runs CMD at
 * once, before reading the next message, and appends "CMD exit N": CMD (say
 * `canister status`) tells whether the daemon already served when it said it
 * was ready.  A message from a pid other than the first sender's is marked
 * "(from pid N)".  Runs until STOPPING=1 arrives, or SIGTERM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char **cmd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	pid_t first = 0;
	FILE *log;
	int fd, one = 1;

	if (argc < 5 || strcmp(argv[3], "--") != 0 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: notify-listen SOCKET LOG -- CMD...\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "notify-listen: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	log = fopen(argv[2], "a");
	if (!log) {
		fprintf(stderr, "notify-listen: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	setvbuf(log, NULL, _IOLBF, 0);
	for (;;) {
		char buf[4096], control[CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr msg = { .msg_iov = &iov,
				      .msg_iovlen = 1,
				      .msg_control = control,
				      .msg_controllen = sizeof(control) };
		struct cmsghdr *cmsg;
		pid_t sender = 0;
		ssize_t got = recvmsg(fd, &msg, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "notify-listen: recvmsg: %s\n", strerror(errno));
			return 1;
		}
		for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
			if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_CREDENTIALS) {
				struct ucred cred;

				memcpy(&cred, CMSG_DATA(cmsg), sizeof(cred));
				sender = cred.pid;
			}
		if (!first)
			first = sender;
		buf[got] = '\0';
		for (char *c = buf; *c; c++)
			if (*c == '\n')
				*c = ' ';
		if (sender != first)
			fprintf(log, "%s (from pid %d)\n", buf, (int)sender);
		else
			fprintf(log, "%s\n", buf);
		/* A word of its own: READY=1 at the start or after a space. */
		if (!strncmp(buf, "READY=1", 7) || strstr(buf, " READY=1"))
			fprintf(log, "CMD exit %d\n", run(argv + 4));
		if (!strncmp(buf, "STOPPING=1", 10) || strstr(buf, " STOPPING=1"))
			return 0;
	}
}
