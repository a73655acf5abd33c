// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: one process that does every non-file event the model
 * observers see, then stays alive (so that /proc still has its executable
 * when its events are read).  `model-workload HOSTPID PORT LIB DONE`:
 * forks a sibling, sends SIGCONT to it and to HOSTPID and SIGWINCH to it by
 * rt_sigqueueinfo with a made-up si_code (SI_MESGQ), ptrace-attaches to
 * it (PTRACE_SEIZE), listens on 127.0.0.1:PORT (socket, bind, listen), connects to
 * itself and accepts, mounts a tmpfs ("cnt135") on /mnt in a mount namespace of its own, maps LIB
 * PROT_READ|PROT_EXEC, setregid(1000, 1000), setreuid(1000, 1000), and last binds 127.0.0.1:PORT+10
 * (the marker); then writes "ok PID" to DONE (opened before the credentials change) and waits for
 * SIGTERM (at most 120 s).  A step that fails is named on stderr, DONE says "failed", and the exit
 * status is 1.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int failed;

static void check(int ok, const char *step)
{
	if (!ok) {
		perror(step);
		failed = 1;
	}
}

/* SIGTERM and SIGALRM end it at once. */
static void on_end(int sig)
{
	(void)sig;
	_exit(failed);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return in;
}

static void sockets(int port)
{
	struct sockaddr_in in = loopback(port);
	int listener, client, accepted;

	listener = socket(AF_INET, SOCK_STREAM, 0);
	check(listener >= 0, "socket");
	check(setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int)) == 0,
	      "setsockopt");
	check(bind(listener, (struct sockaddr *)&in, sizeof(in)) == 0, "bind");
	check(listen(listener, 64) == 0, "listen");
	client = socket(AF_INET, SOCK_STREAM, 0);
	check(connect(client, (struct sockaddr *)&in, sizeof(in)) == 0, "connect");
	accepted = accept(listener, NULL, NULL);
	check(accepted >= 0, "accept");
	close(accepted);
	close(client);
	close(listener);
}

int main(int argc, char **argv)
{
	struct sigaction end = { .sa_handler = on_end };
	struct sockaddr_in marker;
	pid_t parent, sibling;
	siginfo_t forged;
	FILE *done;
	void *map;
	int fd, port;

	if (argc != 5) {
		fprintf(stderr, "usage: model-workload HOSTPID PORT LIB DONE\n");
		return 2;
	}
	port = atoi(argv[2]);
	sigaction(SIGTERM, &end, NULL);
	sigaction(SIGALRM, &end, NULL);
	parent = getpid();
	sibling = fork();
	if (sibling == 0) {
		/*
		 * Alive while the events about it are read (its TASK_ID is looked
		 * up then), gone within a second of the workload, which cannot
		 * kill it once its own credentials changed.
		 */
		while (getppid() == parent)
			sleep(1);
		_exit(0);
	}
	check(sibling > 0, "fork");
	check(kill(sibling, SIGCONT) == 0, "kill sibling");
	check(kill((pid_t)atoi(argv[1]), SIGCONT) == 0, "kill host process");
	/* The attack: a signal with a made-up si_code (SI_MESGQ), which the observers must not take
	 * for the kernel's. */
	memset(&forged, 0, sizeof(forged));
	forged.si_signo = SIGWINCH;
	forged.si_code = SI_MESGQ;
	forged.si_pid = getpid();
	forged.si_uid = getuid();
	check(syscall(SYS_rt_sigqueueinfo, sibling, SIGWINCH, &forged) == 0, "rt_sigqueueinfo");
	check(ptrace(PTRACE_SEIZE, sibling, NULL, NULL) == 0, "ptrace");
	sockets(port);
	check(unshare(CLONE_NEWNS) == 0, "unshare");
	check(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0, "mount private");
	check(mount("cnt135", "/mnt", "tmpfs", 0, NULL) == 0, "mount tmpfs");
	fd = open(argv[3], O_RDONLY | O_CLOEXEC);
	check(fd >= 0, "open LIB");
	map = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	check(map != MAP_FAILED, "mmap");
	done = fopen(argv[4], "we");
	check(done != NULL, "DONE");
	check(setregid(1000, 1000) == 0, "setregid");
	check(setreuid(1000, 1000) == 0, "setreuid");
	marker = loopback(port + 10);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	check(bind(fd, (struct sockaddr *)&marker, sizeof(marker)) == 0, "bind marker");
	if (done) {
		if (failed)
			fputs("failed\n", done);
		else
			fprintf(done, "ok %d\n", (int)getpid());
		check(fclose(done) == 0, "DONE");
	}
	alarm(120);
	for (;;)
		pause();
}
