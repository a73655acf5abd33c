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
 * 127.0.0.1:PORT instead ("bind PORT: ..."; 0 when bound).  `model-connect
 * -f PORT GO` forks a child that connects without executing anything, prints
 * its line, waits until the file GO exists (so that it still runs when its
 * events are read) and exits with the errno; the parent waits for it and
 * exits with the child's status.  `model-connect -F PORT` connects by TCP
 * Fast Open instead: sendto() of one byte with MSG_FASTOPEN and the address,
 * no connect() call ("fastopen PORT: ..."; its errno as a connect's).
 * `model-connect -w PORT GO` prints "waiting", waits until GO exists, then
 * forks a child that connects without executing anything and exits with
 * the child's status (a child forked long after its parent's exec).
 * `model-connect -x PORT GO PROGRAM [ARG...]` connects first, prints
 * "waiting", waits until GO exists, then forks a child that executes
 * PROGRAM, and exits with PROGRAM's status (127: it could not execute).
 * `model-connect -l PORT BACKLOG` binds to 127.0.0.1:PORT, listens with
 * BACKLOG and connects a second socket to it ("listen PORT: ..."; the first
 * failing step's errno); `-a PORT BACKLOG` does the same and then accepts
 * that connection ("accept PORT: ...").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void wait_for(const char *path)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };

	while (access(path, F_OK) < 0)
		nanosleep(&tick, NULL);
}

/* Connects to 127.0.0.1:@port, or binds there (@step "bind"); prints the line, returns the errno.
 */
static int attempt(const char *step, int port)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	int fd, e = 0;

	in.sin_port = htons((uint16_t)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		e = errno;
		printf("%s %d: socket: %s\n", step, port, strerror(e));
		return e;
	}
	if (strcmp(step, "fastopen") == 0) {
		/* The kernel's connect inside sendto(): no connect() system call. */
		if (sendto(fd, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&in, sizeof(in)) < 0) {
			e = errno;
			printf("%s %d: sendto: %s\n", step, port, strerror(e));
		} else {
			printf("%s %d: ok\n", step, port);
		}
	} else if ((strcmp(step, "bind") == 0
			    ? bind(fd, (struct sockaddr *)&in, sizeof(in))
			    : connect(fd, (struct sockaddr *)&in, sizeof(in))) < 0) {
		e = errno;
		printf("%s %d: %s: %s\n", step, port, step, strerror(e));
	} else {
		printf("%s %d: ok\n", step, port);
	}
	close(fd);
	return e;
}

/* Prints the line of @step at @port: "ok" (@e 0) or the failing @what; returns @e. */
static int said(const char *step, int port, const char *what, int e)
{
	if (e)
		printf("%s %d: %s: %s\n", step, port, what, strerror(e));
	else
		printf("%s %d: ok\n", step, port);
	return e;
}

/* Listens on 127.0.0.1:@port with @backlog, connects to it and, with @accepting, accepts. */
static int serve(int port, int backlog, bool accepting)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	const char *step = accepting ? "accept" : "listen";
	int server, client, peer, one = 1;

	in.sin_port = htons((uint16_t)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	server = socket(AF_INET, SOCK_STREAM, 0);
	client = socket(AF_INET, SOCK_STREAM, 0);
	if (server < 0 || client < 0)
		return said(step, port, "socket", errno);
	/* A run before on the same port leaves a connection in TIME_WAIT there. */
	if (setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		return said(step, port, "setsockopt", errno);
	if (bind(server, (struct sockaddr *)&in, sizeof(in)) < 0)
		return said(step, port, "bind", errno);
	if (listen(server, backlog) < 0)
		return said(step, port, "listen", errno);
	/* The handshake completes in the kernel: the connection waits in the queue. */
	if (connect(client, (struct sockaddr *)&in, sizeof(in)) < 0)
		return said(step, port, "connect", errno);
	if (accepting) {
		peer = accept(server, NULL, NULL);
		if (peer < 0)
			return said(step, port, "accept", errno);
		close(peer);
	}
	close(client);
	close(server);
	return said(step, port, "", 0);
}

static int forked(int port, const char *go)
{
	int status;
	pid_t child = fork();

	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (child == 0) {
		int e = attempt("connect", port);

		fflush(stdout);
		wait_for(go);
		_exit(e);
	}
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
		return 2;
	return WEXITSTATUS(status);
}

/* Waits until @go exists, then a child connects (@exec NULL) or executes @exec; its status. */
static int fork_later(int port, const char *go, char **exec)
{
	int status;
	pid_t child;

	printf("waiting\n");
	fflush(stdout);
	wait_for(go);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (child == 0) {
		if (exec) {
			execvp(exec[0], exec);
			_exit(127);
		}
		_exit(attempt("connect", port));
	}
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
		return 2;
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	const char *step = "connect";
	int port;

	if (argc == 4 && strcmp(argv[1], "-f") == 0 && (port = atoi(argv[2])) > 0 && port <= 65535)
		return forked(port, argv[3]);
	if (argc == 4 && strcmp(argv[1], "-w") == 0 && (port = atoi(argv[2])) > 0 && port <= 65535)
		return fork_later(port, argv[3], NULL);
	if (argc >= 5 && strcmp(argv[1], "-x") == 0 && (port = atoi(argv[2])) > 0 &&
	    port <= 65535) {
		attempt("connect", port);
		return fork_later(port, argv[3], &argv[4]);
	}
	if (argc == 4 && (strcmp(argv[1], "-l") == 0 || strcmp(argv[1], "-a") == 0) &&
	    (port = atoi(argv[2])) > 0 && port <= 65535)
		return serve(port, atoi(argv[3]), argv[1][1] == 'a');
	if (argc == 3 && (strcmp(argv[1], "-b") == 0 || strcmp(argv[1], "-F") == 0)) {
		step = argv[1][1] == 'b' ? "bind" : "fastopen";
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3 || (port = atoi(argv[1])) <= 0 || port > 65535) {
		fprintf(stderr, "usage: model-connect PORT [GO] | -b PORT | -F PORT | -f PORT GO | "
				"-l|-a PORT BACKLOG | -w PORT GO | -x PORT GO PROGRAM [ARG...]\n");
		return 2;
	}
	if (argc == 3) {
		printf("waiting\n");
		fflush(stdout);
		wait_for(argv[2]);
	}
	return attempt(step, port);
}
