// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: the side doors an attacker root in a container tries
 * against lsm mode's denials (VM cases 121 and 122).  `lsm-attack ATTACK
 * ARGS...` prints "ATTACK: ok" or "ATTACK: STEP: ERROR" and exits with the
 * errno (0 when the attack went through): EPERM (1) where an LSM denied it,
 * ECONNREFUSED (111) where the kernel let a connect through to a port
 * nobody listens on.
 *
 *   connect PORT          TCP connect to 127.0.0.1:PORT (the plain way)
 *   thread-connect PORT   the same from a second thread of the process
 *   clone-connect PORT    the same from a child sharing the memory (CLONE_VM|CLONE_VFORK)
 *   uring-connect PORT    the same through io_uring (IORING_OP_CONNECT)
 *   socket6               a TCP socket over IPv6 (socket(2))
 *   uring-socket6         the same through io_uring (IORING_OP_SOCKET)
 *   udp-send PORT         one datagram to 127.0.0.1:PORT by sendto() on an unconnected socket
 *   pidfd-signal PID SIG  pidfd_open(PID) and pidfd_send_signal(SIG); PID "self": its own
 *   sigio PID SIG         a pipe whose owner is PID (F_SETOWN) with F_SETSIG SIG and O_ASYNC,
 *                         then written: the kernel sends SIG to PID as an async-I/O notice
 *                         (no error comes back: the test looks at the target)
 *   vm-read [PID]         process_vm_readv() of PID at an unmapped address (EFAULT where the
 *                         kernel allows the access); without PID, forks a child and reads its
 * memory pidfd-getfd PID       pidfd_open(PID) and pidfd_getfd() of its descriptor 0 execveat PATH
 * ARG...  opens PATH O_PATH and executes it by execveat(AT_EMPTY_PATH) fd-serve SOCK (outside)
 * listens on the AF_UNIX path SOCK and hands every caller a fresh TCP socket (SCM_RIGHTS); prints
 * "serving" once listening fd-connect SOCK PORT  asks SOCK for a socket made outside and connects
 * it to PORT block SIG FILE DONE   (a target) blocks SIG, writes its pid to FILE and runs until the
 * file DONE exists: a signal sent to it meanwhile stays pending, in /proc/PID/status's ShdPnd
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *attack;

/* Prints the attack's line: "ok" (@e 0) or the failing @step; returns @e. */
static int said(const char *step, int e)
{
	if (e)
		printf("%s: %s: %s\n", attack, step, strerror(e));
	else
		printf("%s: ok\n", attack);
	fflush(stdout);
	return e;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in in = { .sin_family = AF_INET };

	in.sin_port = htons((uint16_t)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return in;
}

/* A TCP connect to 127.0.0.1:@port; the errno (0: connected). */
static int tcp_connect(int port)
{
	struct sockaddr_in in = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), e = 0;

	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&in, sizeof(in)) < 0)
		e = errno;
	close(fd);
	return e;
}

static void *thread_connect(void *port)
{
	return (void *)(intptr_t)tcp_connect((int)(intptr_t)port);
}

static int clone_port, clone_result;

static int clone_connect(void *unused)
{
	(void)unused;
	/* The memory is the parent's: the result is there when the parent resumes. */
	clone_result = tcp_connect(clone_port);
	return 0;
}

/* One io_uring, one request: the completion's result (a negative errno, or the op's value). */
static int uring_one(const struct io_uring_sqe *request, int *ret)
{
	struct io_uring_params p = {};
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned int *tail, *array, *ctail;
	void *sq, *cq;
	int ring;

	ring = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0)
		return errno;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return errno;
	tail = (unsigned int *)((char *)sq + p.sq_off.tail);
	array = (unsigned int *)((char *)sq + p.sq_off.array);
	sqes[0] = *request;
	array[*tail & (p.sq_entries - 1)] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return errno;
	ctail = (unsigned int *)((char *)cq + p.cq_off.tail);
	if (__atomic_load_n(ctail, __ATOMIC_ACQUIRE) ==
	    *(unsigned int *)((char *)cq + p.cq_off.head))
		return EAGAIN;
	cqe = (struct io_uring_cqe *)((char *)cq + p.cq_off.cqes);
	*ret = cqe[0].res;
	return 0;
}

static int uring_connect(int port)
{
	struct sockaddr_in in = loopback(port);
	struct io_uring_sqe sqe = {};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), res = 0, e;

	if (fd < 0)
		return said("socket", errno);
	sqe.opcode = IORING_OP_CONNECT;
	sqe.fd = fd;
	sqe.addr = (uintptr_t)&in;
	sqe.off = sizeof(in);
	e = uring_one(&sqe, &res);
	if (e)
		return said("io_uring", e);
	return said("connect", res < 0 ? -res : 0);
}

static int uring_socket6(void)
{
	struct io_uring_sqe sqe = {};
	int res = 0, e;

	sqe.opcode = IORING_OP_SOCKET;
	sqe.fd = AF_INET6;
	sqe.off = SOCK_STREAM;
	sqe.len = 0;
	e = uring_one(&sqe, &res);
	if (e)
		return said("io_uring", e);
	return said("socket", res < 0 ? -res : 0);
}

static int udp_send(int port)
{
	struct sockaddr_in in = loopback(port);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return said("socket", errno);
	if (sendto(fd, "x", 1, 0, (struct sockaddr *)&in, sizeof(in)) < 0)
		return said("sendto", errno);
	return said("", 0);
}

static int pidfd_signal(pid_t pid, int sig)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		return said("pidfd_open", errno);
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		return said("pidfd_send_signal", errno);
	return said("", 0);
}

static int sigio(pid_t pid, int sig)
{
	int p[2];

	if (pipe(p) < 0)
		return said("pipe", errno);
	if (fcntl(p[0], F_SETOWN, pid) < 0)
		return said("F_SETOWN", errno);
	if (fcntl(p[0], F_SETSIG, sig) < 0)
		return said("F_SETSIG", errno);
	if (fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) < 0)
		return said("F_SETFL", errno);
	if (write(p[1], "x", 1) != 1)
		return said("write", errno);
	return said("", 0);
}

/*
 * process_vm_readv() of @pid at an address it has not mapped: the access
 * check comes first, so EPERM where it is refused and EFAULT where allowed.
 */
static int vm_read_other(pid_t pid)
{
	char copy[16];
	struct iovec local = { copy, sizeof(copy) }, remote = { (void *)16, sizeof(copy) };

	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0)
		return said("process_vm_readv", errno);
	return said("", 0);
}

static int pidfd_getfd(pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), fd;

	if (pidfd < 0)
		return said("pidfd_open", errno);
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
	if (fd < 0)
		return said("pidfd_getfd", errno);
	return said("", 0);
}

static int vm_read(void)
{
	static char secret[16] = "child's memory";
	char copy[sizeof(secret)], c;
	struct iovec local = { copy, sizeof(copy) }, remote = { secret, sizeof(secret) };
	int hold[2], e = 0;
	pid_t child;

	if (pipe(hold) < 0)
		return said("pipe", errno);
	child = fork();
	if (child < 0)
		return said("fork", errno);
	if (child == 0) {
		/*
		 * Runs until the parent closes the pipe: no signal ends it, as an
		 * enforced model may deny the parent's kill.
		 */
		close(hold[1]);
		(void)!read(hold[0], &c, 1);
		_exit(0);
	}
	close(hold[0]);
	if (process_vm_readv(child, &local, 1, &remote, 1, 0) < 0)
		e = errno;
	close(hold[1]);
	waitpid(child, NULL, 0);
	return said("process_vm_readv", e);
}

static int do_execveat(char **argv)
{
	int fd = open(argv[0], O_PATH | O_CLOEXEC);

	if (fd < 0)
		return said("open", errno);
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	return said("execveat", errno);
}

static int fd_serve(const char *path)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (server < 0)
		return said("socket", errno);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
	unlink(path);
	if (bind(server, (struct sockaddr *)&un, sizeof(un)) < 0 || listen(server, 8) < 0)
		return said("listen", errno);
	printf("serving\n");
	fflush(stdout);
	for (;;) {
		char cbuf[CMSG_SPACE(sizeof(int))] = {};
		struct iovec iov = { "s", 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct cmsghdr *cmsg;
		int peer = accept4(server, NULL, NULL, SOCK_CLOEXEC), handed;

		if (peer < 0)
			continue;
		handed = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &handed, sizeof(int));
		sendmsg(peer, &msg, 0);
		close(handed);
		close(peer);
	}
}

static int fd_connect(const char *path, int port)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in = loopback(port);
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, c;
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), handed;

	if (fd < 0)
		return said("socket", errno);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&un, sizeof(un)) < 0)
		return said("unix connect", errno);
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	if (recvmsg(fd, &msg, 0) < 1)
		return said("recvmsg", errno ? errno : EPROTO);
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return said("recvmsg", EPROTO);
	memcpy(&handed, CMSG_DATA(cmsg), sizeof(int));
	if (connect(handed, (struct sockaddr *)&in, sizeof(in)) < 0)
		return said("connect", errno);
	return said("", 0);
}

static int block(int sig, const char *path, const char *done)
{
	const struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	char tmp[4096];
	sigset_t set;
	FILE *f;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return said("sigprocmask", errno);
	/* Renamed into place: the test never reads half a pid. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f) != 0 || rename(tmp, path) < 0)
		return said("pid file", errno);
	/* Polled: the blocked signal cannot wake it, and nothing else should. */
	while (access(done, F_OK) < 0)
		nanosleep(&tick, NULL);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: lsm-attack ATTACK ARGS... (see tests/tools/lsm-attack.c)\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	attack = argv[1];
	if (strcmp(attack, "connect") == 0 && argc == 3)
		return said("connect", tcp_connect(atoi(argv[2])));
	if (strcmp(attack, "thread-connect") == 0 && argc == 3) {
		pthread_t thread;
		void *result;
		int e = pthread_create(&thread, NULL, thread_connect,
				       (void *)(intptr_t)atoi(argv[2]));

		if (e)
			return said("pthread_create", e);
		pthread_join(thread, &result);
		return said("connect", (int)(intptr_t)result);
	}
	if (strcmp(attack, "clone-connect") == 0 && argc == 3) {
		static char stack[64 * 1024] __attribute__((aligned(16)));
		pid_t child;

		clone_port = atoi(argv[2]);
		child = clone(clone_connect, stack + sizeof(stack),
			      CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
		if (child < 0)
			return said("clone", errno);
		waitpid(child, NULL, 0);
		return said("connect", clone_result);
	}
	if (strcmp(attack, "uring-connect") == 0 && argc == 3)
		return uring_connect(atoi(argv[2]));
	if (strcmp(attack, "socket6") == 0 && argc == 2) {
		int fd = socket(AF_INET6, SOCK_STREAM, 0);

		return said("socket", fd < 0 ? errno : 0);
	}
	if (strcmp(attack, "uring-socket6") == 0 && argc == 2)
		return uring_socket6();
	if (strcmp(attack, "udp-send") == 0 && argc == 3)
		return udp_send(atoi(argv[2]));
	if (strcmp(attack, "pidfd-signal") == 0 && argc == 4)
		return pidfd_signal(strcmp(argv[2], "self") == 0 ? getpid() : atoi(argv[2]),
				    atoi(argv[3]));
	if (strcmp(attack, "sigio") == 0 && argc == 4)
		return sigio(atoi(argv[2]), atoi(argv[3]));
	if (strcmp(attack, "vm-read") == 0 && argc == 2)
		return vm_read();
	if (strcmp(attack, "vm-read") == 0 && argc == 3)
		return vm_read_other(atoi(argv[2]));
	if (strcmp(attack, "pidfd-getfd") == 0 && argc == 3)
		return pidfd_getfd(atoi(argv[2]));
	if (strcmp(attack, "execveat") == 0 && argc >= 3)
		return do_execveat(argv + 2);
	if (strcmp(attack, "fd-serve") == 0 && argc == 3)
		return fd_serve(argv[2]);
	if (strcmp(attack, "fd-connect") == 0 && argc == 4)
		return fd_connect(argv[2], atoi(argv[3]));
	if (strcmp(attack, "block") == 0 && argc == 5)
		return block(atoi(argv[2]), argv[3], argv[4]);
	return usage();
}
