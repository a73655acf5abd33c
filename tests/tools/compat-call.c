// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: a 32-bit system call from a 64-bit process (int $0x80, ia32 emulation), as an attacker
 * in a container may make one. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* i386's numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define NR32_KILL 37
#define NR32_SOCKETCALL 102
#define NR32_IPC 117
#define NR32_MPROTECT 125
#define NR32_GETGID32 200
#define NR32_SOCKET 359
#define NR32_SENDTO 369
#define SYS_SOCKET_CALL 1  /* socketcall's socket() */
#define SYS_CONNECT_CALL 3 /* and connect() */
#define IPC_SEMOP_CALL 1   /* ipc's semop() */
#define IPC_SHMAT_CALL 21  /* and shmat() */

/* i386's call @nr with %ebx, %ecx, %edx; %rdi holds @rdi (what x86_64's call would take). */
static long call32(long nr, long bx, long cx, long dx, long rdi)
{
	long r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(bx), "c"(cx), "d"(dx), "D"(rdi), "S"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

/*
 * After the call, with "hold": stays until a signal (SIGALRM at the latest,
 * a minute on), so that the process is still there when canisterd judges
 * its call.
 */
static int done(long r, int argc, char **argv)
{
	printf("%ld\n", r);
	fflush(stdout);
	if (argc == 3 && strcmp(argv[2], "hold") == 0) {
		alarm(60);
		pause();
	}
	return 0;
}

/* A page below 4 GiB: a 32-bit call's pointers are 32 bits. */
static void *low_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("compat-call: mmap(MAP_32BIT)");
		exit(1);
	}
	return p;
}

/* i386's socket(AF_INET, SOCK_DGRAM, 0) through socketcall; @args: a low page. */
static long socketcall_socket(unsigned int *args)
{
	args[0] = AF_INET;
	args[1] = SOCK_DGRAM;
	args[2] = 0;
	return call32(NR32_SOCKETCALL, SYS_SOCKET_CALL, (long)args, 0, 0);
}

/*
 * socketcall's socket(), then its connect() of that socket to 127.0.0.1
 * port 9 (a datagram socket connects without a peer listening).  Returns
 * connect()'s result, or socket()'s error.
 */
static long socketcall_connect(void)
{
	unsigned int *args = low_page();
	struct sockaddr_in *peer = (struct sockaddr_in *)(args + 16);
	long fd = socketcall_socket(args);

	if (fd < 0)
		return fd;
	peer->sin_family = AF_INET;
	peer->sin_port = htons(9);
	peer->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	args[0] = (unsigned int)fd;
	args[1] = (unsigned int)(unsigned long)peer;
	args[2] = sizeof(*peer);
	return call32(NR32_SOCKETCALL, SYS_CONNECT_CALL, (long)args, 0, 0);
}

/*
 * i386's semop() through ipc (117): one up on a private semaphore made
 * natively (semget is no event), removed after.  ipc's sembuf pointer is
 * its fifth argument, %edi.
 */
static long ipc_semop(void)
{
	struct sembuf *op = low_page();
	int id = semget(IPC_PRIVATE, 1, 0600);
	long r;

	if (id < 0) {
		perror("compat-call: semget");
		exit(1);
	}
	op->sem_num = 0;
	op->sem_op = 1;
	op->sem_flg = 0;
	r = call32(NR32_IPC, IPC_SEMOP_CALL, id, 1, (long)op);
	(void)semctl(id, 0, IPC_RMID);
	return r;
}

/*
 * i386's shmat() through ipc (117) of a private segment made natively,
 * with @flags (SHM_EXEC or 0): ipc takes the shmid in %ecx, the flags in
 * %edx, where to write the address in %esi and the address wanted in %edi
 * (none).  Returns 0 or ipc's error.
 */
static long ipc_shmat(int flags)
{
	unsigned int *attached = low_page();
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0700);
	long r;

	if (id < 0) {
		perror("compat-call: shmget");
		exit(1);
	}
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(NR32_IPC), "b"(IPC_SHMAT_CALL), "c"(id), "d"(flags), "S"(attached),
			   "D"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	(void)shmctl(id, IPC_RMID, NULL);
	return r;
}

/*
 * i386's socket(), then its sendto() of one byte with no address (%edi
 * zero, as glibc's 32-bit send() makes it; -EDESTADDRREQ on a socket not
 * connected), then socketcall's socket() (a record read after the
 * sendto's would have been).  Returns the last call's result.
 */
static long sendto_no_address(void)
{
	unsigned int *args = low_page();
	long fd = call32(NR32_SOCKET, AF_INET, SOCK_DGRAM, 0, AF_INET);

	if (fd < 0)
		return fd;
	(void)call32(NR32_SENDTO, fd, (long)args, 1, 0);
	return socketcall_socket(args);
}

/* Until @path exists, polled for at most a minute; 0, or -1 if it never came. */
static int wait_for(const char *path)
{
	struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
	struct stat st;

	for (int i = 0; i < 3000; i++) {
		if (stat(path, &st) == 0)
			return 0;
		nanosleep(&tick, NULL);
	}
	return -1;
}

/*
 * compat-call kill PID: i386's kill(PID, 0), which checks and delivers
 * nothing.  compat-call getgid32 PID: i386's getgid32 (200, the number of
 * x86_64's tkill) with PID in %rdi, where x86_64's tkill takes its target:
 * a recorder that read i386's numbers as x86_64's would take it for a
 * signal to PID.  compat-call socket: i386's socket(AF_INET, SOCK_DGRAM, 0)
 * (359).  compat-call socketcall: the same through i386's socketcall (102),
 * its arguments in memory.  compat-call mprotect: i386's mprotect (125) of
 * an anonymous read-write page below 4 GiB to PROT_READ|PROT_EXEC; each of
 * these three with "hold" after it stays (done()).  compat-call
 * socketcall-connect: socketcall's socket(), then its connect() of it
 * (socketcall_connect()).  compat-call semop: i386's semop() through ipc
 * (ipc_semop()).  compat-call shmat, shmat-exec: i386's shmat() through
 * ipc, without and with SHM_EXEC (ipc_shmat()).  compat-call socket-again FILE: i386's socket(),
 * then, once FILE exists, that call again (one process making one call before and after its
 * domain's mode changed).  compat-call socket-exec PROGRAM: i386's socket(), then an exec of
 * PROGRAM with "socket" (one process, the same call made by its next program).  compat-call
 * sendto: sendto_no_address().  Prints the raw return value of each call (a negative errno, or the
 * result); exits 2 on a usage error, 1 when FILE never came.
 */
int main(int argc, char **argv)
{
	long pid = 0, nr;
	unsigned int *args;
	void *page;

	if (argc == 3 && strcmp(argv[1], "socket-again") == 0) {
		printf("%ld\n", call32(NR32_SOCKET, AF_INET, SOCK_DGRAM, 0, AF_INET));
		fflush(stdout);
		if (wait_for(argv[2]) < 0) {
			fprintf(stderr, "compat-call: no %s within a minute\n", argv[2]);
			return 1;
		}
		printf("%ld\n", call32(NR32_SOCKET, AF_INET, SOCK_DGRAM, 0, AF_INET));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "socket-exec") == 0) {
		printf("%ld\n", call32(NR32_SOCKET, AF_INET, SOCK_DGRAM, 0, AF_INET));
		fflush(stdout);
		execv(argv[2], (char *[]){ argv[2], "socket", NULL });
		perror("compat-call: execv");
		return 1;
	}
	if (argc == 2 && strcmp(argv[1], "sendto") == 0)
		return done(sendto_no_address(), argc, argv);
	if (argc == 2 && strcmp(argv[1], "socketcall-connect") == 0)
		return done(socketcall_connect(), argc, argv);
	if (argc == 2 && strcmp(argv[1], "semop") == 0)
		return done(ipc_semop(), argc, argv);
	if (argc == 2 && strcmp(argv[1], "shmat") == 0)
		return done(ipc_shmat(0), argc, argv);
	if (argc == 2 && strcmp(argv[1], "shmat-exec") == 0)
		return done(ipc_shmat(SHM_EXEC), argc, argv);
	if (argc == 3 && strcmp(argv[2], "hold") != 0)
		pid = atol(argv[2]);
	if (argc == 3 && !pid && strcmp(argv[2], "hold") != 0)
		argc = 0; /* neither a pid nor "hold" */
	if (argc == 3 && pid > 0 && strcmp(argv[1], "kill") == 0)
		nr = NR32_KILL;
	else if (argc == 3 && pid > 0 && strcmp(argv[1], "getgid32") == 0)
		nr = NR32_GETGID32;
	else if (argc >= 2 && !pid && strcmp(argv[1], "socket") == 0) {
		return done(call32(NR32_SOCKET, AF_INET, SOCK_DGRAM, 0, AF_INET), argc, argv);
	} else if (argc >= 2 && !pid && strcmp(argv[1], "socketcall") == 0) {
		args = low_page();
		return done(socketcall_socket(args), argc, argv);
	} else if (argc >= 2 && !pid && strcmp(argv[1], "mprotect") == 0) {
		page = low_page();
		return done(call32(NR32_MPROTECT, (long)page, 4096, PROT_READ | PROT_EXEC, 0), argc,
			    argv);
	} else {
		fprintf(stderr, "usage: compat-call kill|getgid32 PID, compat-call "
				"socket|socketcall|mprotect [hold], compat-call "
				"socketcall-connect|semop|shmat|shmat-exec|sendto, compat-call "
				"socket-again FILE, compat-call socket-exec PROGRAM\n");
		return 2;
	}
	printf("%ld\n", call32(nr, pid, 0, 0, pid));
	return 0;
}
