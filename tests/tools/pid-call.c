// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: one system call that names another process by pid, as a container's process would make
 * it. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/*
 * pid-call CALL PID: CALL is tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo
 * (signal 0: nothing is delivered), process_vm_readv or process_vm_writev (one
 * byte at address 0 of the target: nothing is read or written, the call fails
 * with EFAULT or EPERM once it has entered); or a control that sets what the
 * target has already, so that nothing changes when it is allowed: prlimit
 * (RLIMIT_CPU), setpriority, ioprio_set, sched_setaffinity, sched_setparam,
 * migrate_pages (node 0 to node 0).  Prints "ok" or "failed: <errno text>"
 * and exits 0 either way: what matters is that the call was made.
 */
static long control(const char *call, pid_t pid)
{
	struct sched_param param;
	struct rlimit limit;
	unsigned long nodes = 1;
	cpu_set_t cpus;
	long r;

	if (strcmp(call, "prlimit") == 0) {
		r = prlimit(pid, RLIMIT_CPU, NULL, &limit);
		return r < 0 ? r : prlimit(pid, RLIMIT_CPU, &limit, NULL);
	}
	if (strcmp(call, "setpriority") == 0) {
		errno = 0;
		r = getpriority(PRIO_PROCESS, (id_t)pid);
		return r == -1 && errno ? -1 : setpriority(PRIO_PROCESS, (id_t)pid, (int)r);
	}
	if (strcmp(call, "ioprio_set") == 0) {
		r = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, pid);
		return r < 0 ? r : syscall(SYS_ioprio_set, 1, pid, r);
	}
	if (strcmp(call, "sched_setaffinity") == 0) {
		r = sched_getaffinity(pid, sizeof(cpus), &cpus);
		return r < 0 ? r : sched_setaffinity(pid, sizeof(cpus), &cpus);
	}
	if (strcmp(call, "sched_setparam") == 0) {
		r = sched_getparam(pid, &param);
		return r < 0 ? r : sched_setparam(pid, &param);
	}
	if (strcmp(call, "migrate_pages") == 0)
		return syscall(SYS_migrate_pages, pid, sizeof(nodes) * 8, &nodes, &nodes);
	errno = EINVAL;
	return -2;
}

int main(int argc, char **argv)
{
	char byte = 0;
	struct iovec local = { .iov_base = &byte, .iov_len = 1 };
	struct iovec remote = { .iov_base = NULL, .iov_len = 1 };
	siginfo_t info;
	const char *call;
	pid_t pid;
	long r;

	if (argc != 3 || (pid = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: pid-call tkill|tgkill|rt_sigqueueinfo|rt_tgsigqueueinfo|"
				"process_vm_readv|process_vm_writev|prlimit|setpriority|ioprio_set|"
				"sched_setaffinity|sched_setparam|migrate_pages PID\n");
		return 2;
	}
	call = argv[1];
	memset(&info, 0, sizeof(info));
	info.si_code = SI_QUEUE; /* the kernel refuses another process a kernel si_code */
	info.si_pid = getpid();
	info.si_uid = getuid();
	if (strcmp(call, "tkill") == 0)
		r = syscall(SYS_tkill, pid, 0);
	else if (strcmp(call, "tgkill") == 0)
		r = syscall(SYS_tgkill, pid, pid, 0);
	else if (strcmp(call, "rt_sigqueueinfo") == 0)
		r = syscall(SYS_rt_sigqueueinfo, pid, 0, &info);
	else if (strcmp(call, "rt_tgsigqueueinfo") == 0)
		r = syscall(SYS_rt_tgsigqueueinfo, pid, pid, 0, &info);
	else if (strcmp(call, "process_vm_readv") == 0)
		r = syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0);
	else if (strcmp(call, "process_vm_writev") == 0)
		r = syscall(SYS_process_vm_writev, pid, &local, 1, &remote, 1, 0);
	else if ((r = control(call, pid)) == -2) {
		fprintf(stderr, "pid-call: unknown call %s\n", call);
		return 2;
	}
	if (r < 0)
		printf("failed: %s\n", strerror(errno));
	else
		printf("ok\n");
	return 0;
}
