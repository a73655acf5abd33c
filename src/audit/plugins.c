// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: feeds auditd's plugin interface (plugins.d: audisp-remote and the like) each event's
 * records, one text line each on the plugin's stdin. */
#include "audit/plugins.h"

#include "core/log.h"
#include "audit/plugin_conf.h"
#include "lib/trusted_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PLUGINS_MAX 32
/* A plugin that exits at once would otherwise spend its restarts within a millisecond. */
#define RESTART_DELAY_MS 200
/* plugins_close(): queued events, then the plugin's own exit on EOF, then SIGTERM. */
#define CLOSE_FLUSH_MS 5000
#define CLOSE_EXIT_MS 3000
#define TERM_GRACE_MS 2000
/* SIGKILL is not refused; only a process stuck in the kernel takes longer. */
#define KILL_WAIT_MS 10000

/* One event's lines, shared by every plugin's queue; the last one to let go frees it. */
struct shared_event {
	atomic_uint refs;
	size_t len;
	char text[];
};

struct plugin {
	char name[64];
	struct canister_plugin_conf conf;
	char *argv[CANISTER_PLUGIN_ARGS_MAX + 2];

	pthread_t thread;
	bool thread_started;
	int wake_fd; /* eventfd: an event was queued, or the close began */

	/* The writer thread's own (plugins_open's before the thread starts). */
	int stdin_fd;  /* the pipe's write end, non-blocking */
	int pidfd;     /* readable once the process exits */
	size_t offset; /* bytes of the head event already written */

	/*
	 * The queue has one producer (plugins_event, in canisterd's main thread)
	 * and one consumer (the writer thread), so it needs no lock: the main
	 * thread never waits, not even for a writer that was preempted.  head
	 * and tail only grow; a slot is ring[x % PLUGIN_QUEUE_EVENTS].
	 */
	struct shared_event *ring[PLUGIN_QUEUE_EVENTS];
	atomic_size_t head; /* the consumer's: the next event to write */
	atomic_size_t tail; /* the producer's: the next free slot */
	atomic_size_t queued_bytes;
	bool dropping;	    /* the producer's: in a run of drops, logged once */
	atomic_bool asleep; /* the writer may wait on wake_fd with nothing queued */

	/* Written by one thread, read by others (status, the producer). */
	atomic_int pid;
	atomic_bool running, gave_up, closing;
	atomic_uint_fast64_t close_deadline_ms; /* CLOCK_MONOTONIC; set before closing */
	atomic_uint_fast64_t events, dropped, restarts;
};

static struct plugin *plugins;
static size_t plugin_count;

static const char *const empty_environment[] = { NULL };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void release_event(struct shared_event *event)
{
	if (atomic_fetch_sub(&event->refs, 1) == 1)
		free(event);
}

/* The consumer's view: the head event, or NULL. */
static struct shared_event *peek(struct plugin *p)
{
	size_t head = atomic_load_explicit(&p->head, memory_order_relaxed);

	/* Acquire: the slot was filled before the producer moved tail past it. */
	if (head == atomic_load_explicit(&p->tail, memory_order_acquire))
		return NULL;
	return p->ring[head % PLUGIN_QUEUE_EVENTS];
}

/* The consumer's: the head event leaves the queue (it must be there). */
static struct shared_event *pop(struct plugin *p)
{
	size_t head = atomic_load_explicit(&p->head, memory_order_relaxed);
	struct shared_event *event = p->ring[head % PLUGIN_QUEUE_EVENTS];

	atomic_fetch_sub(&p->queued_bytes, event->len);
	/* Release: the slot is read before the producer may fill it again. */
	atomic_store_explicit(&p->head, head + 1, memory_order_release);
	return event;
}

static size_t queued(struct plugin *p)
{
	return atomic_load(&p->tail) - atomic_load(&p->head);
}

/*
 * The writer's half of the wake-up: it says it will sleep, then looks at the
 * queue once more.  The producer publishes an event, then looks at asleep.
 * Both pairs are sequentially consistent, so one of the two sees the other:
 * an event queued meanwhile is either seen here or wakes the writer.
 * Returns false (and stays awake) when an event is queued.
 */
static bool may_sleep(struct plugin *p)
{
	atomic_store(&p->asleep, true);
	if (atomic_load(&p->tail) != atomic_load(&p->head)) {
		atomic_store(&p->asleep, false);
		return false;
	}
	return true;
}

/* Everything still queued is lost for @p: counted, and let go.  The consumer's (or after it). */
static void drop_queue(struct plugin *p)
{
	while (peek(p)) {
		release_event(pop(p));
		atomic_fetch_add(&p->dropped, 1);
	}
}

/*
 * In the child between fork and exec, canisterd may have other threads, so
 * only async-signal-safe calls: nothing here allocates or takes a lock.
 * A failed exec reports its errno through @report_fd (close-on-exec: EOF
 * tells the parent the program runs).
 */
static void __attribute__((noreturn)) exec_child(const struct plugin *p, int data_fd, int report_fd)
{
	struct sigaction default_action = { .sa_handler = SIG_DFL };
	int in_fd, null_fd, err_fd, err;
	int report = report_fd;
	sigset_t none;

	/* canisterd ignores SIGPIPE and blocks its own signals; the plugin gets neither. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &default_action, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A terminal's ^C meant for canisterd -f must not cut the plugin off before its EOF. */
	setsid();

	/* Above 3 first, so that no dup2() below overwrites a descriptor still to be used. */
	in_fd = fcntl(data_fd, F_DUPFD, 10);
	err_fd = fcntl(report_fd, F_DUPFD, 10);
	null_fd = open("/dev/null", O_RDWR);
	if (null_fd >= 0 && null_fd < 10) {
		int high = fcntl(null_fd, F_DUPFD, 10);

		close(null_fd);
		null_fd = high;
	}
	if (in_fd < 0 || err_fd < 0 || null_fd < 0 || dup2(in_fd, STDIN_FILENO) < 0 ||
	    dup2(null_fd, STDOUT_FILENO) < 0 || dup2(null_fd, STDERR_FILENO) < 0 ||
	    dup2(err_fd, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
		goto fail;
	report = 3;
	/* Nothing of canisterd's leaks: not its sockets, nor other plugins' pipes. */
	if (close_range(4, ~0U, 0) < 0)
		goto fail;
	execve(p->conf.path, p->argv, (char *const *)empty_environment);
fail:
	err = errno;
	if (write(report, &err, sizeof(err)) < 0) {
		/* The parent sees EOF with the child gone, and says so. */
	}
	_exit(127);
}

/* Starts @p's program; on success it runs and p->stdin_fd feeds it. */
static int spawn(struct plugin *p, char *why, size_t why_len)
{
	int data[2], report[2], child_errno = 0, pidfd, r;
	ssize_t got;
	pid_t pid;

	if (pipe2(data, O_CLOEXEC) < 0) {
		r = -errno;
		snprintf(why, why_len, "plugin %s: pipe: %s", p->name, strerror(errno));
		return r;
	}
	if (pipe2(report, O_CLOEXEC) < 0) {
		r = -errno;
		snprintf(why, why_len, "plugin %s: pipe: %s", p->name, strerror(errno));
		close(data[0]);
		close(data[1]);
		return r;
	}
	pid = fork();
	if (pid == 0)
		exec_child(p, data[0], report[1]);
	r = pid < 0 ? -errno : 0;
	close(data[0]);
	close(report[1]);
	if (r < 0) {
		snprintf(why, why_len, "plugin %s: fork: %s", p->name, strerror(-r));
		close(report[0]);
		close(data[1]);
		return r;
	}
	do
		got = read(report[0], &child_errno, sizeof(child_errno));
	while (got < 0 && errno == EINTR);
	close(report[0]);
	if (got != 0) {
		if (got != sizeof(child_errno) || child_errno <= 0)
			child_errno = EIO;
		snprintf(why, why_len, "plugin %s: cannot execute %s: %s", p->name, p->conf.path,
			 strerror(child_errno));
		waitpid(pid, NULL, 0);
		close(data[1]);
		return -child_errno;
	}
	/* Nobody else reaps canisterd's children, so the pid is still this process's. */
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0 || fcntl(data[1], F_SETFL, O_NONBLOCK) < 0) {
		r = -errno;
		snprintf(why, why_len, "plugin %s: cannot watch pid %d: %s", p->name, (int)pid,
			 strerror(errno));
		if (pidfd >= 0)
			close(pidfd);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(data[1]);
		return r;
	}
	p->stdin_fd = data[1];
	p->pidfd = pidfd;
	p->offset = 0;
	atomic_store(&p->pid, pid);
	atomic_store(&p->running, true);
	return 0;
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by SIG%s", sigabbrev_np(WTERMSIG(status)) ?: "?");
	else
		snprintf(buf, len, "ended (wait status %#x)", (unsigned)status);
}

/* Waits up to @ms for the process to exit; true if it has. */
static bool wait_exit(struct plugin *p, int ms)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
	uint64_t deadline = now_ms() + (uint64_t)ms;

	for (;;) {
		uint64_t now = now_ms();
		int n = poll(&pfd, 1, now >= deadline ? 0 : (int)(deadline - now));

		if (n > 0)
			return true;
		if (n == 0)
			return false;
		if (errno != EINTR)
			return false;
	}
}

/* The process has exited (its pidfd said so): reap it and forget its descriptors. */
static void reap(struct plugin *p, bool expected)
{
	char how[96];
	int status = 0;
	pid_t pid;

	pid = atomic_load(&p->pid);
	atomic_store(&p->running, false);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	describe_status(status, how, sizeof(how));
	if (expected)
		log_info("plugin %s: pid %d %s", p->name, (int)pid, how);
	else
		log_error("plugin %s: pid %d %s", p->name, (int)pid, how);
	close(p->pidfd);
	p->pidfd = -1;
	if (p->stdin_fd >= 0)
		close(p->stdin_fd);
	p->stdin_fd = -1;
}

/* SIGTERM, and SIGKILL if it is still there after @grace_ms; the caller reaps it. */
static void terminate(struct plugin *p, int grace_ms)
{
	pid_t pid = atomic_load(&p->pid);

	kill(pid, SIGTERM);
	if (!wait_exit(p, grace_ms)) {
		log_error("plugin %s: pid %d ignored SIGTERM for %d ms; killing it", p->name,
			  (int)pid, grace_ms);
		kill(pid, SIGKILL);
		wait_exit(p, KILL_WAIT_MS);
	}
}

static bool closing(struct plugin *p)
{
	return atomic_load(&p->closing);
}

static void drain_wake(struct plugin *p)
{
	uint64_t count;

	if (read(p->wake_fd, &count, sizeof(count)) < 0) {
		/* EAGAIN: nothing pending; the queue is looked at either way. */
	}
}

/*
 * After an exit: start the program again, up to PLUGIN_RESTARTS_MAX times
 * over canisterd's life.  Returns false when it gave up or a close began.
 */
static bool restart(struct plugin *p)
{
	char why[512];

	for (;;) {
		struct pollfd pfd = { .fd = p->wake_fd, .events = POLLIN };
		uint64_t deadline;

		if (atomic_load(&p->restarts) >= PLUGIN_RESTARTS_MAX) {
			atomic_store(&p->gave_up, true);
			log_error("plugin %s: restarted %d times already; not again (as auditd's "
				  "max_restarts): its events are dropped from now on",
				  p->name, PLUGIN_RESTARTS_MAX);
			return false;
		}

		/* Events queue meanwhile; a close ends the wait. */
		deadline = now_ms() + RESTART_DELAY_MS;
		for (uint64_t now; (now = now_ms()) < deadline;) {
			if (closing(p))
				return false;
			if (poll(&pfd, 1, (int)(deadline - now)) > 0)
				drain_wake(p);
		}
		if (closing(p))
			return false;

		atomic_fetch_add(&p->restarts, 1);
		if (spawn(p, why, sizeof(why)) == 0) {
			log_info("plugin %s: restarted %s (pid %d; restart %" PRIu64 " of %d)",
				 p->name, p->conf.path, (int)p->pid, (uint64_t)p->restarts,
				 PLUGIN_RESTARTS_MAX);
			return true;
		}
		log_error("%s", why);
	}
}

/* The head event is done with: written whole (@delivered) or lost for this plugin. */
static void finish_head(struct plugin *p, bool delivered)
{
	release_event(pop(p));
	atomic_fetch_add(delivered ? &p->events : &p->dropped, 1);
	p->offset = 0;
}

/*
 * Writes the head event; false when the plugin can no longer read (EPIPE:
 * it closed its stdin or is exiting).
 */
static bool write_some(struct plugin *p, struct shared_event *event)
{
	sigset_t pipe_set;
	ssize_t n;

	n = write(p->stdin_fd, event->text + p->offset, event->len - p->offset);
	if (n > 0) {
		p->offset += (size_t)n;
		if (p->offset == event->len)
			finish_head(p, true);
		return true;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	/* This thread blocks SIGPIPE; the one the write raised is taken back, not left pending. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigtimedwait(&pipe_set, NULL, &(struct timespec){ 0 });
	return false;
}

/* The plugin process ended (or stopped reading) outside a close. */
static bool after_exit(struct plugin *p)
{
	/* Part of it went to the process that is gone: resending would repeat records. */
	if (p->offset && peek(p))
		finish_head(p, false);
	return restart(p);
}

static void *writer_main(void *arg)
{
	struct plugin *p = arg;
	bool alive = true;
	size_t left;

	while (alive) {
		struct shared_event *event = peek(p);
		struct pollfd fds[3] = {
			{ .fd = p->wake_fd, .events = POLLIN },
			{ .fd = p->pidfd, .events = POLLIN },
			{ .fd = p->stdin_fd, .events = POLLOUT },
		};
		int timeout = -1, n;
		uint64_t deadline;
		bool stop;

		stop = atomic_load(&p->closing);
		deadline = atomic_load(&p->close_deadline_ms);
		if (stop) {
			uint64_t now = now_ms();

			if (!event || now >= deadline)
				break;
			timeout = (int)(deadline - now);
		}
		if (!event && !may_sleep(p))
			continue;
		n = poll(fds, event ? 3 : 2, timeout);
		atomic_store(&p->asleep, false);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("plugin %s: poll: %s", p->name, strerror(errno));
			break;
		}
		if (fds[0].revents & POLLIN)
			drain_wake(p);
		if (fds[1].revents & POLLIN) {
			reap(p, false);
			alive = after_exit(p);
			continue;
		}
		if (event && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) &&
		    !write_some(p, event)) {
			log_error("plugin %s: pid %d stopped reading its stdin; stopping it",
				  p->name, (int)p->pid);
			terminate(p, TERM_GRACE_MS);
			reap(p, false);
			alive = after_exit(p);
		}
	}

	if (p->pidfd >= 0) {
		/* EOF first: a plugin sends what it holds and exits, as under auditd. */
		close(p->stdin_fd);
		p->stdin_fd = -1;
		if (!wait_exit(p, CLOSE_EXIT_MS)) {
			log_warning("plugin %s: pid %d still runs %d ms after EOF; SIGTERM",
				    p->name, (int)p->pid, CLOSE_EXIT_MS);
			terminate(p, TERM_GRACE_MS);
		}
		reap(p, true);
	}
	/*
	 * Given up: the thread stays the queue's consumer until the close, so an
	 * event the producer queued just before it saw gave_up is still counted.
	 */
	while (atomic_load(&p->gave_up) && !closing(p)) {
		struct pollfd pfd = { .fd = p->wake_fd, .events = POLLIN };

		drop_queue(p);
		if (!may_sleep(p))
			continue;
		if (poll(&pfd, 1, -1) > 0)
			drain_wake(p);
		atomic_store(&p->asleep, false);
	}
	left = queued(p);
	if (left)
		log_error("plugin %s: %zu events not delivered: %s", p->name, left,
			  atomic_load(&p->gave_up) ? "it is not restarted again"
						   : "stopped before it read them");
	drop_queue(p);
	return NULL;
}

/* Its program runs as root: only a file nobody but canisterd's uid could have replaced. */
static int check_program(const struct plugin *p, const char *conf_path, char *why, size_t why_len)
{
	struct stat st;

	if (stat(p->conf.path, &st) < 0) {
		int r = -errno;

		snprintf(why, why_len, "%s: path %s: %s", conf_path, p->conf.path, strerror(errno));
		return r;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		snprintf(why, why_len, "%s: path %s: not an executable regular file", conf_path,
			 p->conf.path);
		return -EINVAL;
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, why_len,
			 "%s: path %s: refused: must be owned by uid %u and not writable by group "
			 "or others (owner %u, mode %04o)",
			 conf_path, p->conf.path, (unsigned)geteuid(), (unsigned)st.st_uid,
			 (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

static int conf_filter(const struct dirent *entry)
{
	size_t len = strlen(entry->d_name);

	return entry->d_name[0] != '.' && len > 5 && strcmp(entry->d_name + len - 5, ".conf") == 0;
}

static void free_plugins(void)
{
	for (size_t i = 0; i < plugin_count; i++) {
		if (plugins[i].wake_fd >= 0)
			close(plugins[i].wake_fd);
	}
	free(plugins);
	plugins = NULL;
	plugin_count = 0;
}

/* Reads and parses every file; the active ones become plugins[] (nothing started yet). */
static int read_confs(const char *dir, char *why, size_t why_len)
{
	struct dirent **entries = NULL;
	struct stat st;
	int n, r = 0;

	if (stat(dir, &st) < 0) {
		r = -errno;
		snprintf(why, why_len, "plugin_dir %s: %s", dir, strerror(errno));
		return r;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "plugin_dir %s: not a directory", dir);
		return -ENOTDIR;
	}
	n = scandir(dir, &entries, conf_filter, alphasort);
	if (n < 0) {
		r = -errno;
		snprintf(why, why_len, "plugin_dir %s: %s", dir, strerror(errno));
		return r;
	}
	if (n > PLUGINS_MAX) {
		snprintf(why, why_len, "plugin_dir %s: %d plugin files; at most %d", dir, n,
			 PLUGINS_MAX);
		r = -E2BIG;
		goto out;
	}
	plugins = calloc((size_t)n ? (size_t)n : 1, sizeof(*plugins));
	if (!plugins) {
		snprintf(why, why_len, "plugin_dir %s: out of memory", dir);
		r = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		const char *file = entries[i]->d_name;
		size_t name_len = strlen(file) - 5;
		struct plugin *p = &plugins[plugin_count];
		char path[CANISTER_CONFIG_PATH_MAX + 256], *text;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s", dir, file);
		if (name_len >= sizeof(p->name)) {
			snprintf(why, why_len, "%s: name longer than %zu bytes before \".conf\"",
				 path, sizeof(p->name) - 1);
			r = -EINVAL;
			goto out;
		}
		r = canister_read_trusted_file(path, CANISTER_PLUGIN_CONF_MAX_BYTES, &text, &len,
					       why, why_len);
		if (r < 0) {
			/* Gone between the listing and the open. */
			if (r == -ENOENT)
				snprintf(why, why_len, "%s: no such file", path);
			goto out;
		}
		r = canister_plugin_conf_parse(text, len, path, &p->conf, why, why_len);
		free(text);
		if (r < 0)
			goto out;
		if (!p->conf.active) {
			log_info("plugin %.*s: %s is not active", (int)name_len, file, path);
			continue;
		}
		memcpy(p->name, file, name_len);
		p->name[name_len] = '\0';
		p->argv[0] = p->conf.path;
		for (unsigned int a = 0; a < p->conf.arg_count; a++)
			p->argv[a + 1] = p->conf.args[a];
		p->argv[p->conf.arg_count + 1] = NULL;
		p->stdin_fd = p->pidfd = p->wake_fd = -1;
		plugin_count++;
		r = check_program(p, path, why, why_len);
		if (r < 0)
			goto out;
	}
out:
	for (int i = 0; i < n; i++)
		free(entries[i]);
	free(entries);
	return r;
}

/* Writer threads take no signal: canisterd reads its own from a signalfd in the main thread. */
static int start_thread(struct plugin *p)
{
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&p->thread, NULL, writer_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0)
		p->thread_started = true;
	return r;
}

int plugins_open(struct canisterd *d, const char *dir, char *why, size_t why_len)
{
	int r;

	if (!dir[0])
		return 0;
	r = read_confs(dir, why, why_len);
	if (r < 0) {
		free_plugins();
		return r;
	}
	for (size_t i = 0; i < plugin_count; i++) {
		struct plugin *p = &plugins[i];

		p->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (p->wake_fd < 0) {
			r = -errno;
			snprintf(why, why_len, "plugin %s: eventfd: %s", p->name, strerror(errno));
			goto fail;
		}
		r = spawn(p, why, why_len);
		if (r < 0)
			goto fail;
		r = start_thread(p);
		if (r < 0) {
			snprintf(why, why_len, "plugin %s: cannot start its writer thread: %s",
				 p->name, strerror(-r));
			goto fail;
		}
		log_info("plugin %s: started %s (pid %d)", p->name, p->conf.path, (int)p->pid);
	}
	if (!plugin_count)
		log_info("plugins: no active plugin in %s", dir);
	return 0;
fail:
	/* A plugin spawned but without its thread is stopped here, with the rest. */
	for (size_t i = 0; i < plugin_count; i++) {
		struct plugin *p = &plugins[i];

		if (!p->thread_started && p->pidfd >= 0) {
			close(p->stdin_fd);
			p->stdin_fd = -1;
			if (!wait_exit(p, CLOSE_EXIT_MS))
				terminate(p, TERM_GRACE_MS);
			reap(p, true);
		}
	}
	plugins_close(d);
	return r;
}

void plugins_event(const char *lines, size_t len, size_t count)
{
	struct shared_event *event;

	if (!plugin_count || !count)
		return;
	event = malloc(sizeof(*event) + len);
	if (!event) {
		for (size_t i = 0; i < plugin_count; i++)
			atomic_fetch_add(&plugins[i].dropped, 1);
		return;
	}
	event->len = len;
	memcpy(event->text, lines, len);
	/* Ours until every queue holds its own. */
	atomic_init(&event->refs, (unsigned)plugin_count + 1);

	for (size_t i = 0; i < plugin_count; i++) {
		struct plugin *p = &plugins[i];
		size_t tail = atomic_load_explicit(&p->tail, memory_order_relaxed);
		size_t head = atomic_load_explicit(&p->head, memory_order_acquire);
		size_t bytes = atomic_load(&p->queued_bytes);
		bool gave_up = atomic_load(&p->gave_up);
		bool started_dropping = false, caught_up = false;
		uint64_t one = 1;

		if (gave_up || atomic_load(&p->closing) || tail - head >= PLUGIN_QUEUE_EVENTS ||
		    bytes + len > PLUGIN_QUEUE_BYTES) {
			atomic_fetch_add(&p->dropped, 1);
			started_dropping = !p->dropping && !gave_up;
			p->dropping = true;
			release_event(event);
			if (started_dropping)
				log_error("plugin %s: queue full (%d events or %u bytes): dropping "
					  "its events until it catches up",
					  p->name, PLUGIN_QUEUE_EVENTS, PLUGIN_QUEUE_BYTES);
			continue;
		}
		p->ring[tail % PLUGIN_QUEUE_EVENTS] = event;
		/* Counted before it is visible: the consumer never takes away more than is there.
		 */
		atomic_fetch_add(&p->queued_bytes, len);
		/* Sequentially consistent, against the writer's may_sleep(). */
		atomic_store(&p->tail, tail + 1);
		/* Caught up once half the queue is free, so a plugin at the edge does not fill the
		 * log with full/caught-up pairs. */
		if (p->dropping && tail + 1 - head <= PLUGIN_QUEUE_EVENTS / 2 &&
		    bytes + len <= PLUGIN_QUEUE_BYTES / 2) {
			caught_up = true;
			p->dropping = false;
		}
		if (caught_up)
			log_info("plugin %s: caught up; %" PRIu64 " events dropped so far", p->name,
				 (uint64_t)atomic_load(&p->dropped));
		/* A busy writer looks at the queue again by itself: no system call then. */
		if (atomic_load(&p->asleep) && write(p->wake_fd, &one, sizeof(one)) < 0) {
			/* Only a counter at its limit refuses; the writer is awake then anyway. */
		}
	}
	release_event(event);
}

void plugins_close(struct canisterd *d)
{
	uint64_t deadline = now_ms() + CLOSE_FLUSH_MS;

	for (size_t i = 0; i < plugin_count; i++) {
		struct plugin *p = &plugins[i];
		uint64_t one = 1;

		atomic_store(&p->close_deadline_ms, deadline);
		atomic_store(&p->closing, true);
		if (p->wake_fd >= 0 && write(p->wake_fd, &one, sizeof(one)) < 0) {
			/* Awake already. */
		}
	}
	/* The writers flush, close and reap in parallel; each is bounded on its own. */
	for (size_t i = 0; i < plugin_count; i++) {
		struct plugin *p = &plugins[i];

		if (!p->thread_started)
			continue;
		pthread_join(p->thread, NULL);
		/* Its writer is gone: this thread may take the consumer's part. */
		drop_queue(p);
		log_info("plugin %s: stopped; %" PRIu64 " events written, %" PRIu64
			 " dropped, %" PRIu64 " restarts",
			 p->name, (uint64_t)p->events, (uint64_t)p->dropped, (uint64_t)p->restarts);
	}
	free_plugins();
}

size_t plugins_count(void)
{
	return plugin_count;
}

void plugins_get(size_t i, struct plugin_info *ret)
{
	struct plugin *p = &plugins[i];

	snprintf(ret->name, sizeof(ret->name), "%s", p->name);
	ret->pid = atomic_load(&p->pid);
	ret->running = atomic_load(&p->running);
	ret->events = atomic_load(&p->events);
	ret->dropped = atomic_load(&p->dropped);
	ret->restarts = atomic_load(&p->restarts);
}
