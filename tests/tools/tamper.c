// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: the system calls a container root would use to stop, starve or outflank canisterd. */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/mount.h>
#include <linux/netlink.h>
#include <linux/reboot.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#define KEY_SPEC_PROCESS_KEYRING -2

/*
 * Each action prints "ok" (the kernel did it) or "refused: <errno text>" and
 * exits 0 or 1, so that a case asserts which of the two happened and why.
 * Actions that could harm their target do the least that still passes the
 * kernel's check: prlimit writes the limit it read, sched sets the policy
 * canisterd already has, sigio sends SIGWINCH, which canisterd ignores.
 */
/* tamper repeat N ACTION ...: only the last attempt is reported. */
static int quiet;

static int report(int r)
{
	if (quiet)
		return r < 0 ? 1 : 0;
	if (r < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static pid_t pid_arg(int argc, char **argv)
{
	pid_t pid = argc > 2 ? atoi(argv[2]) : 0;

	if (pid <= 0) {
		fprintf(stderr, "tamper %s: needs a PID\n", argv[1]);
		exit(2);
	}
	return pid;
}

/* Opens @path for writing and writes @value: the open or the write may be refused. */
static int do_write(int argc, char **argv)
{
	ssize_t len;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "tamper write: needs a FILE and a VALUE\n");
		exit(2);
	}
	fd = open(argv[2], O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return report(-1);
	len = (ssize_t)strlen(argv[3]);
	return report(write(fd, argv[3], (size_t)len) == len ? 0 : -1);
}

/* Only opens @path for writing: for device files whose writes would do harm. */
static int do_open_write(int argc, char **argv)
{
	int fd;

	if (argc != 3) {
		fprintf(stderr, "tamper open-write: needs a FILE\n");
		exit(2);
	}
	fd = open(argv[2], O_WRONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return report(fd);
}

/* Writes zeros to key 0 of every BPF map named @name (by id, as an attacker finds it). */
static int do_map_write(const char *name)
{
	__u32 id = 0, key = 0;
	int found = 0, refused = 0;

	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		char value[64] = { 0 };
		int fd = bpf_map_get_fd_by_id(id);

		/* The object guard refuses a container every canister map by id. */
		if (fd < 0) {
			refused |= errno == EPERM;
			continue;
		}
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || strcmp(info.name, name) ||
		    info.value_size > sizeof(value)) {
			close(fd);
			continue;
		}
		found = 1;
		if (bpf_map_update_elem(fd, &key, value, BPF_ANY)) {
			close(fd);
			return report(-1);
		}
		close(fd);
	}
	if (!found && refused) {
		errno = EPERM;
		return report(-1);
	}
	if (!found) {
		printf("no map named %s\n", name);
		return 1;
	}
	return report(0);
}

/* A permission-event mark on @path's filesystem (@filesystem) or on @path alone; removed at exit.
 */
static int do_fanotify_perm(const char *path, int filesystem)
{
	int fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);

	if (fd < 0)
		return report(-1);
	return report(fanotify_mark(fd, FAN_MARK_ADD | (filesystem ? FAN_MARK_FILESYSTEM : 0),
				    FAN_OPEN_PERM, AT_FDCWD, path));
}

static int do_prlimit(pid_t pid)
{
	struct rlimit limit;

	if (prlimit(pid, RLIMIT_NOFILE, NULL, &limit) < 0)
		return report(-1);
	return report(prlimit(pid, RLIMIT_NOFILE, &limit, NULL));
}

static int do_sched(pid_t pid)
{
	struct sched_param param = { 0 };

	return report(sched_setscheduler(pid, SCHED_OTHER, &param));
}

static int do_sigio(pid_t pid)
{
	int fds[2];

	if (pipe(fds) < 0 || fcntl(fds[0], F_SETOWN, pid) < 0 ||
	    fcntl(fds[0], F_SETSIG, SIGWINCH) < 0 ||
	    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_ASYNC) < 0)
		return report(-1);
	/* The kernel refuses the signal silently; the guard's record says so. */
	return report(write(fds[1], "x", 1) == 1 ? 0 : -1);
}

static int do_pidfd_getfd(pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		return report(-1);
	return report((int)syscall(SYS_pidfd_getfd, pidfd, 0, 0));
}

static int do_tiocsti(void)
{
	int master, slave;
	char c = ' ';

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		return report(-1);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0)
		return report(-1);
	return report(ioctl(slave, TIOCSTI, &c));
}

static int do_request_key(void)
{
	return report((int)syscall(SYS_request_key, "user", "canister-test:tamper", "callout",
				   KEY_SPEC_PROCESS_KEYRING));
}

static int do_finit_module(void)
{
	char path[] = "/tmp/tamper-module.XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return report(-1);
	if (write(fd, "not a module", 12) != 12)
		return report(-1);
	close(fd);
	/* The kernel refuses a file open for writing (ETXTBSY) before it asks the LSMs. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	if (fd < 0)
		return report(-1);
	return report((int)syscall(SYS_finit_module, fd, "", 0));
}

/* Ctrl-Alt-Del handling: the reboot(2) command that needs CAP_SYS_BOOT and changes least. */
static int do_reboot_cad(const char *onoff)
{
	unsigned int cmd =
		!strcmp(onoff, "on") ? LINUX_REBOOT_CMD_CAD_ON : LINUX_REBOOT_CMD_CAD_OFF;

	return report(
		(int)syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, NULL));
}

/* O_NONBLOCK: an unload that is allowed does not wait for the module's users. */
static int do_delete_module(const char *name)
{
	return report((int)syscall(SYS_delete_module, name, O_NONBLOCK));
}

/* Makes the mount at @path read-only, or (with "rw") writable again. */
static int do_mount_setattr(const char *path, const char *how)
{
	struct mount_attr attr = { 0 };

	if (!strcmp(how, "rw"))
		attr.attr_clr = MOUNT_ATTR_RDONLY;
	else
		attr.attr_set = MOUNT_ATTR_RDONLY;
	return report((int)syscall(SYS_mount_setattr, AT_FDCWD, path, 0, &attr, sizeof(attr)));
}

static int do_init_module(void)
{
	static char image[64] = "not a module";

	return report((int)syscall(SYS_init_module, image, sizeof(image), ""));
}

/* A family no kernel registers (DECnet, removed in 6.1) makes the kernel ask modprobe. */
static int do_module_request(void)
{
	int fd = socket(12, SOCK_STREAM, 0);

	if (fd >= 0)
		close(fd);
	/* EAFNOSUPPORT either way; the guard's record, or modprobe's, tells what happened. */
	printf("done\n");
	return 0;
}

/* "r0 = 0; exit" as a kprobe (@type 2) or socket filter (1) program. */
static int do_bpf_load(unsigned int type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0)
		close(fd);
	return report(fd);
}

static int dispatch(int argc, char **argv);

/*
 * Refused actions of six different hooks against canisterd, @rounds times
 * each, as fast as it can: the guard's record budget is per container, not
 * per hook.  Prints how many of them were refused and the milliseconds taken.
 */
static int do_cycle(int rounds, pid_t pid)
{
	char proc[64];
	struct timespec start, end;
	int refused = 0;

	snprintf(proc, sizeof(proc), "/proc/%d/oom_score_adj", (int)pid);
	quiet = 1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int i = 0; i < rounds; i++) {
		int fd = open(proc, O_WRONLY | O_CLOEXEC);

		refused += do_sched(pid) + do_prlimit(pid) + do_sigio(pid) + do_pidfd_getfd(pid);
		refused += fd < 0;
		if (fd >= 0)
			close(fd);
		refused += iopl(3) < 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	quiet = 0;
	printf("%d %ld\n", refused,
	       (long)((end.tv_sec - start.tv_sec) * 1000 +
		      (end.tv_nsec - start.tv_nsec) / 1000000));
	return 0;
}

/*
 * Sends the kernel's audit socket AUDIT_SET with an empty mask (it changes
 * nothing when allowed), after an AUDIT_GET in the same datagram when
 * @packed: the guard must judge every message, not the first.  "get" sends
 * AUDIT_GET alone, which stays allowed.
 */
static int do_audit(const char *what)
{
	struct {
		struct nlmsghdr get_hdr;
		struct nlmsghdr set_hdr;
		struct audit_status status;
	} req = { 0 };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *set = &req.set_hdr;
	size_t size = sizeof(req);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT), r;

	if (fd < 0)
		return report(-1);
	req.get_hdr = (struct nlmsghdr){ .nlmsg_len = sizeof(struct nlmsghdr),
					 .nlmsg_type = AUDIT_GET,
					 .nlmsg_flags = NLM_F_REQUEST };
	*set = (struct nlmsghdr){ .nlmsg_len = sizeof(struct nlmsghdr) + sizeof(req.status),
				  .nlmsg_type = AUDIT_SET,
				  .nlmsg_flags = NLM_F_REQUEST };
	if (!strcmp(what, "get")) {
		r = (int)sendto(fd, &req.get_hdr, sizeof(req.get_hdr), 0,
				(struct sockaddr *)&kernel, sizeof(kernel));
	} else if (!strcmp(what, "set-packed")) {
		r = (int)sendto(fd, &req, size, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	} else {
		r = (int)sendto(fd, set, size - sizeof(req.get_hdr), 0, (struct sockaddr *)&kernel,
				sizeof(kernel));
	}
	close(fd);
	return report(r < 0 ? -1 : 0);
}

int main(int argc, char **argv)
{
	int times;

	if (argc > 3 && !strcmp(argv[1], "repeat") && (times = atoi(argv[2])) > 0) {
		quiet = 1;
		for (int i = 1; i < times; i++)
			dispatch(argc - 2, argv + 2);
		quiet = 0;
		return dispatch(argc - 2, argv + 2);
	}
	return dispatch(argc, argv);
}

static int dispatch(int argc, char **argv)
{
	const char *action = argc > 1 ? argv[1] : "";

	if (!strcmp(action, "write"))
		return do_write(argc, argv);
	if (!strcmp(action, "open-write"))
		return do_open_write(argc, argv);
	if (!strcmp(action, "fanotify-perm") && argc == 3)
		return do_fanotify_perm(argv[2], 0);
	if (!strcmp(action, "fanotify-perm-fs") && argc == 3)
		return do_fanotify_perm(argv[2], 1);
	if (!strcmp(action, "fanotify-notify") && argc == 3) {
		int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);

		return report(
			fd < 0 ? -1 : fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, argv[2]));
	}
	if (!strcmp(action, "cycle") && argc == 4)
		return do_cycle(atoi(argv[2]), (pid_t)atoi(argv[3]));
	if (!strcmp(action, "audit") && argc == 3)
		return do_audit(argv[2]);
	if (!strcmp(action, "map-write") && argc == 3)
		return do_map_write(argv[2]);
	if (!strcmp(action, "iopl")) {
		int r = iopl(3);

		if (r == 0)
			iopl(0);
		return report(r);
	}
	if (!strcmp(action, "prlimit"))
		return do_prlimit(pid_arg(argc, argv));
	if (!strcmp(action, "sched"))
		return do_sched(pid_arg(argc, argv));
	if (!strcmp(action, "sigio"))
		return do_sigio(pid_arg(argc, argv));
	if (!strcmp(action, "pidfd-getfd"))
		return do_pidfd_getfd(pid_arg(argc, argv));
	if (!strcmp(action, "traceme"))
		return report((int)ptrace(PTRACE_TRACEME, 0, NULL, NULL));
	if (!strcmp(action, "tiocsti"))
		return do_tiocsti();
	if (!strcmp(action, "request-key"))
		return do_request_key();
	if (!strcmp(action, "finit-module"))
		return do_finit_module();
	if (!strcmp(action, "init-module"))
		return do_init_module();
	if (!strcmp(action, "module-request"))
		return do_module_request();
	if (!strcmp(action, "bpf-kprobe"))
		return do_bpf_load(BPF_PROG_TYPE_KPROBE);
	if (!strcmp(action, "bpf-socket-filter"))
		return do_bpf_load(BPF_PROG_TYPE_SOCKET_FILTER);
	if (!strcmp(action, "reboot-cad") && argc == 3)
		return do_reboot_cad(argv[2]);
	if (!strcmp(action, "delete-module") && argc == 3)
		return do_delete_module(argv[2]);
	if (!strcmp(action, "mount-setattr") && argc == 4)
		return do_mount_setattr(argv[2], argv[3]);
	fprintf(stderr, "usage: tamper [repeat N] ACTION ...; ACTION is one of\n"
			"       tamper write FILE VALUE | open-write FILE | map-write NAME | iopl\n"
			"       tamper fanotify-perm|fanotify-perm-fs|fanotify-notify PATH\n"
			"       tamper prlimit|sched|sigio|pidfd-getfd PID\n"
			"       tamper traceme|tiocsti|request-key|finit-module|init-module|"
			"module-request|bpf-kprobe|bpf-socket-filter\n"
			"       tamper reboot-cad on|off | delete-module NAME | mount-setattr PATH "
			"ro|rw\n");
	return 2;
}
