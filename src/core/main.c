// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: start-up, mode selection, reload and shutdown of the canister daemon. */
#include "core/bpffs.h"
#include "core/pins.h"
#include "core/canisterd.h"
#include "core/capability.h"
#include "core/control.h"
#include "core/features.h"
#include "core/loader.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/notify.h"
#include "core/oom.h"
#include "core/records.h"
#include "core/rotate.h"
#include "lib/ns_read.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* A command line canisterd cannot understand, as getopt tools report it. */
#define EXIT_USAGE 2

static void usage(FILE *out)
{
	fprintf(out, "usage: canisterd [-f] [-c FILE]\n"
		     "       canisterd --unload [-c FILE]\n"
		     "       canisterd --version | --help\n"
		     "\n"
		     "  -f, --foreground   stay in the foreground and log to stderr\n"
		     "  -c, --config FILE  configuration file (default " CANISTER_DEFAULT_CONFIG
		     ", optional)\n"
		     "      --unload       remove canister's pinned programs and maps (forgets "
		     "every label)\n"
		     "  -V, --version      print the version\n"
		     "  -h, --help         this text\n"
		     "\nSIGHUP reloads the configuration, SIGUSR1 rotates the logs.  See "
		     "canisterd(8).\n");
}

/* Everything before the log is open goes to stderr, prefixed like any command's error. */
static int fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fatal(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_error("%s", line);
	return EXIT_FAILURE;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	size_t n;

	/* The verifier's log is long; it matters only when someone asks for debug. */
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	log_msg(CANISTER_LOG_DEBUG, "%s", line);
	return 0;
}

static int load_config(struct canisterd *d, bool explicit_path)
{
	char err[512];
	int r;

	r = canister_config_load(d->config_path, &d->config, err, sizeof(err));
	if (r == -ENOENT && !explicit_path) {
		canister_config_defaults(&d->config);
		d->config_present = false;
		return 0;
	}
	if (r == -ENOENT) {
		fprintf(stderr, "canisterd: %s: no such file\n", d->config_path);
		return r;
	}
	if (r < 0) {
		fprintf(stderr, "canisterd: %s\n", err);
		return r;
	}
	d->config_present = true;
	return 0;
}

/* SIGHUP: a bad file changes nothing; keys that need a restart are reported, not half-applied. */
static void reload(struct canisterd *d)
{
	struct canister_config fresh;
	char err[512], keys[1024];
	bool present = true;
	int r;

	notify_manager("RELOADING=1");
	r = canister_config_load(d->config_path, &fresh, err, sizeof(err));
	if (r == -ENOENT) {
		canister_config_defaults(&fresh);
		present = false;
		if (d->config_present) {
			log_warning("reload: %s is gone; defaults apply", d->config_path);
		}
	} else if (r < 0) {
		log_error("reload refused, previous settings kept: %s", err);
		notify_manager("READY=1\nSTATUS=reload refused, previous settings kept: %s", err);
		return;
	}
	canister_config_restart_keys(&d->config, &fresh, keys, sizeof(keys));
	snprintf(d->pending_restart, sizeof(d->pending_restart), "%s", keys);
	if (keys[0])
		log_warning("reload: %s changed; that takes effect at the next restart", keys);
	capabilities_reload(d, &fresh);
	d->config.log_level = fresh.log_level;
	/* The limit is checked at each registration; existing containers keep their depth. */
	d->config.nest_limit = fresh.nest_limit;
	/* Read at each decision; a connection over a lowered limit stays until it closes. */
	d->config.control = fresh.control;
	d->config_present = present;
	log_set_level(fresh.log_level);
	log_info("reload done: log_level = %s, nest_limit = %u",
		 canister_log_level_name(fresh.log_level), fresh.nest_limit);
	notify_manager("READY=1\nSTATUS=serving on %s in %s mode", d->config.control_socket,
		       daemon_mode_name(d->mode));
}

/*
 * Trial attach decides the mode: the LSM list can say "bpf" while a lockdown
 * or a sandbox still refuses lsm programs, and only the kernel knows.
 */
static int choose_mode(struct canisterd *d)
{
	char lsms[256], why[400];
	bool listed = features_active_lsms(lsms, sizeof(lsms));
	bool bpf_listed = listed && strstr(lsms, "bpf") != NULL;

	if (d->config.mode == CANISTER_MODE_TRACE) {
		d->mode = DAEMON_MODE_TRACE;
		feature_set(d, FEATURE_BPF_LSM, false,
			    "not tried: mode = trace in the config (%s%s)",
			    listed ? "active LSMs: " : "", lsms);
		snprintf(d->mode_reason, sizeof(d->mode_reason), "mode = trace in the config");
		return 0;
	}

	if (loader_probe_lsm(why, sizeof(why))) {
		d->mode = DAEMON_MODE_LSM;
		feature_set(d, FEATURE_BPF_LSM, true, "lsm programs load and attach (%s%s)",
			    listed ? "active LSMs: " : "", lsms);
		snprintf(d->mode_reason, sizeof(d->mode_reason),
			 "BPF LSM is active and runs canister's lsm programs");
		return 0;
	}

	feature_set(d, FEATURE_BPF_LSM, false, "%s; %s%s", why,
		    listed ? (bpf_listed ? "active LSMs: " : "bpf is not an active LSM: ") : "",
		    lsms);
	if (d->config.mode == CANISTER_MODE_LSM)
		return -ENOTSUP;
	d->mode = DAEMON_MODE_TRACE;
	snprintf(d->mode_reason, sizeof(d->mode_reason), "BPF LSM unavailable: %s", why);
	return 0;
}

static void signal_ready(struct canisterd *d, struct loop_source *source)
{
	struct signalfd_siginfo info;

	while (read(d->signal_fd, &info, sizeof(info)) == sizeof(info)) {
		switch (info.ssi_signo) {
		case SIGHUP:
			log_info("SIGHUP from pid %u: reloading the configuration", info.ssi_pid);
			reload(d);
			break;
		case SIGINT:
		case SIGTERM:
			log_info("%s from pid %u: stopping", strsignal(info.ssi_signo),
				 info.ssi_pid);
			d->stopping = true;
			break;
		case SIGUSR1:
			logs_rotate(d, (pid_t)info.ssi_pid);
			break;
		}
	}
}

static struct loop_source signal_source = { .ready = signal_ready };

static int setup_signals(struct canisterd *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->signal_fd < 0)
		return -errno;
	return loop_add(d, d->signal_fd, &signal_source);
}

static void read_host_namespaces(struct canisterd *d)
{
	struct canister_ns_set ns = { 0 };

	canister_ns_read(getpid(), &ns);
	d->host_pid_ns = ns.inum[CANISTER_NS_PID];
	d->host_mnt_ns = ns.inum[CANISTER_NS_MNT];
}

static int start(struct canisterd *d)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	char why[512];
	bool hashing;
	int r;

	if (geteuid() != 0)
		return fatal("needs root: loading BPF programs and pinning maps take CAP_BPF, "
			     "CAP_PERFMON and CAP_SYS_ADMIN");
	/* Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK. */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	libbpf_set_print(libbpf_log);

	if (control_daemon_running(d->config.control_socket))
		return fatal("another canisterd already answers on %s", d->config.control_socket);

	r = bpffs_prepare(d->config.pin_path, why, sizeof(why));
	feature_set(d, FEATURE_BPFFS, r == 0, "%s", why);
	if (r < 0)
		return fatal("%s", why);

	/* What the kernel offers decides the mode before any capability loads a program. */
	r = choose_mode(d);
	if (r < 0)
		return fatal("mode = lsm in the config, but %s",
			     d->features[FEATURE_BPF_LSM].detail);
	hashing = loader_probe_ima_hash(why, sizeof(why));
	feature_set(d, FEATURE_IMA_FILE_HASH, hashing, "%s", why);
	features_probe_audit(d);

	d->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epoll_fd < 0)
		return fatal("epoll_create1: %s", strerror(errno));
	r = records_open(d, why, sizeof(why));
	if (r < 0)
		return fatal("%s", why);
	read_host_namespaces(d);
	/* Before any capability adopts a pin: adopting someone else's map hands them the labels. */
	r = pins_verify(d->config.pin_path, why, sizeof(why));
	if (r < 0)
		return fatal("%s", why);
	r = capabilities_open(d, why, sizeof(why));
	if (r < 0)
		return fatal("%s", why);
	/* Every capability has attached its programs: pins no program of this run owns are stale.
	 */
	loader_drop_stale_links(d->config.pin_path);
	r = capabilities_start_ticks(d);
	if (r < 0)
		return fatal("cannot start the tick timer: %s", strerror(-r));
	r = setup_signals(d);
	if (r < 0)
		return fatal("cannot set up signal handling: %s", strerror(-r));
	r = control_open(d, why, sizeof(why));
	if (r < 0)
		return fatal("%s", why);

	log_info("canisterd %s running in %s mode (%s)", CANISTER_VERSION,
		 daemon_mode_name(d->mode), d->mode_reason);
	log_info("state: maps and links pinned at %s; control socket %s", d->config.pin_path,
		 d->config.control_socket);
	log_info("config: %s%s; log: %s", d->config_path,
		 d->config_present ? "" : " (absent: defaults)", log_destination());
	for (int i = 0; i < FEATURE_COUNT; i++)
		log_info("feature %s: %s: %s", d->features[i].name,
			 d->features[i].available ? "available" : "unavailable",
			 d->features[i].detail);
	return 0;
}

#define READY_BYTE '\006'

/*
 * In the background the parent waits until the child is serving or has
 * failed, and relays its start-up lines, so `canisterd` without -f still
 * tells its caller whether it worked.
 */
static int daemonize(int *ret_startup_fd)
{
	int pipe_fds[2];
	pid_t child;

	if (pipe2(pipe_fds, O_CLOEXEC) < 0)
		return -errno;
	child = fork();
	if (child < 0)
		return -errno;
	if (child > 0) {
		char buf[4096];
		ssize_t got;
		int status;

		bool ready = false;

		close(pipe_fds[1]);
		while ((got = read(pipe_fds[0], buf, sizeof(buf))) > 0) {
			/* The child's last start-up byte is READY_BYTE; EOF without it: failure. */
			ready = buf[got - 1] == READY_BYTE;
			if (write(STDERR_FILENO, buf, got - (ready ? 1 : 0)) < 0)
				break;
		}
		if (ready)
			exit(EXIT_SUCCESS);
		if (waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status))
			exit(WEXITSTATUS(status));
		exit(EXIT_FAILURE);
	}
	close(pipe_fds[0]);
	setsid();
	*ret_startup_fd = pipe_fds[1];
	return 0;
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

static int unload(struct canisterd *d)
{
	char why[512];
	int r;

	if (control_daemon_running(d->config.control_socket)) {
		fprintf(stderr, "canisterd: a canisterd answers on %s; stop it before --unload\n",
			d->config.control_socket);
		return EXIT_FAILURE;
	}
	r = loader_unload(d->config.pin_path, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "canisterd: %s\n", why);
		return EXIT_FAILURE;
	}
	printf("canisterd: removed %s; labels are forgotten and nothing is attached\n",
	       d->config.pin_path);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "unload", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct canisterd d = { .epoll_fd = -1, .signal_fd = -1, .listen_fd = -1 };
	bool explicit_config = false, do_unload = false;
	int startup_fd = -1, opt, r, status;

	/* A capability's helper process (the kernel audit guardian), spawned from this binary. */
	if (argc > 1) {
		int (*helper)(int argc, char **argv) = capabilities_helper(argv[1]);

		if (helper)
			return helper(argc, argv);
	}
	snprintf(d.config_path, sizeof(d.config_path), "%s", CANISTER_DEFAULT_CONFIG);
	while ((opt = getopt_long(argc, argv, "fc:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			d.foreground = true;
			break;
		case 'c':
			if (strlen(optarg) >= sizeof(d.config_path)) {
				fprintf(stderr, "canisterd: config path is too long\n");
				return EXIT_USAGE;
			}
			snprintf(d.config_path, sizeof(d.config_path), "%s", optarg);
			explicit_config = true;
			break;
		case 'U':
			do_unload = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("canisterd %s\n", CANISTER_VERSION);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "canisterd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}

	if (load_config(&d, explicit_config) < 0)
		return EXIT_FAILURE;
	if (do_unload)
		return unload(&d);

	log_set_level(d.config.log_level);
	if (!d.foreground) {
		r = log_to_file(d.config.log_file, d.config.log_max_bytes, d.config.log_num_logs);
		if (r < 0) {
			fprintf(stderr, "canisterd: cannot open log file %s: %s\n",
				d.config.log_file, strerror(-r));
			return EXIT_FAILURE;
		}
		r = daemonize(&startup_fd);
		if (r < 0) {
			fprintf(stderr, "canisterd: cannot go to the background: %s\n",
				strerror(-r));
			return EXIT_FAILURE;
		}
		log_set_startup_fd(startup_fd);
	}

	d.pid = getpid();
	r = oom_protect_self();
	if (r < 0)
		log_warning("cannot lower canisterd's oom_score_adj to %d: %s; the OOM killer may "
			    "end canisterd when a container exhausts memory",
			    CANISTERD_OOM_SCORE_ADJ, strerror(-r));
	clock_gettime(CLOCK_MONOTONIC, &d.started_monotonic);
	d.started_realtime = time(NULL);
	features_init(&d);

	status = start(&d);
	if (startup_fd >= 0) {
		char ready = READY_BYTE;

		log_set_startup_fd(-1);
		if (status == 0 && write(startup_fd, &ready, 1) != 1)
			status = EXIT_FAILURE; /* nobody learns we started; better not to stay */
		close(startup_fd);
	}
	if (status == 0) {
		if (!d.foreground)
			detach_stdio();
		/*
		 * The control socket listens (control_open): a client connecting
		 * from now on is queued and answered by the loop.  Under systemd
		 * (Type=notify) this is when canisterd.service becomes active.
		 */
		if (!notify_manager("READY=1\nMAINPID=%d\nSTATUS=serving on %s in %s mode",
				    (int)getpid(), d.config.control_socket,
				    daemon_mode_name(d.mode)))
			log_warning("cannot tell the service manager that canisterd is ready "
				    "($NOTIFY_SOCKET)");
		status = loop_run(&d) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
		notify_manager("STOPPING=1");
		log_info("stopped; the labels stay pinned at %s and are still inherited; "
			 "`canisterd --unload` removes them",
			 d.config.pin_path);
	}

	control_close(&d);
	capabilities_close(&d);
	records_close();
	pins_close();
	loader_close();
	if (d.epoll_fd >= 0)
		close(d.epoll_fd);
	if (d.signal_fd >= 0)
		close(d.signal_fd);
	return status;
}
