// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: feeds auditd's plugin interface (plugins.d: audisp-remote and the like) each event's
 * records, one text line each on the plugin's stdin. */
#include "audit/plugins.h"

#include "audit/plugin_conf.h"
#include "audit/queued_event.h"
#include "core/log.h"
#include "lib/queue.h"
#include "lib/trusted_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PLUGINS_MAX 32
/* A plugin that exits at once would otherwise spend its restarts within a millisecond. */
#define RESTART_DELAY_MS 200
/* At a stop: the plugin's own exit on EOF, then SIGTERM; both cut short by the deadline. */
#define CLOSE_EXIT_MS 3000
#define TERM_GRACE_MS 2000
/* SIGKILL is not refused; only a process stuck in the kernel takes longer. */
#define KILL_WAIT_MS 10000
/* plugins_wait(): after the deadline, the writers' time to kill, reap and count. */
#define AFTER_DEADLINE_MS 1000

struct plugin {
	char name[64];
	struct canister_plugin_conf conf;
	char *argv[CANISTER_PLUGIN_ARGS_MAX + 2];

	pthread_t thread;
	bool thread_started, thread_joined; /* the main thread's */
	bool dropping;			    /* the producer's: in a run of drops, logged once */
	/* Closed at a stop, or by the writer when it gives up on the plugin. */
	struct canister_queue *queue;

	/* The writer thread's own (plugins_open's before the thread starts). */
	int stdin_fd;			    /* the pipe's write end, non-blocking */
	int pidfd;			    /* readable once the process exits */
	struct audit_queued_event *current; /* taken from the queue, being written */
	size_t offset;			    /* bytes of @current already written */

	/* Written by one thread, read by others (status, the producer, plugins_wait). */
	atomic_int pid;
	atomic_bool running, gave_up, stopping;
	atomic_uint_fast64_t deadline_ms; /* CLOCK_MONOTONIC; 0 until plugins_wait() */
	atomic_uint_fast64_t events, restarts;
	atomic_uint_fast64_t dropped_no_memory, dropped_exited, dropped_given_up, lost_at_stop;
};

static struct {
	struct plugin *plugins;
	size_t plugin_count;
} running;

static const char *const empty_environment[] = { NULL };

/* Milliseconds from now until @when (CLOCK_MONOTONIC), 0 if it has passed. */
static int ms_until(uint64_t when)
{
	uint64_t now = canister_queue_now_ms();

	return now >= when ? 0 : (int)(when - now);
}

static bool past_deadline(struct plugin *p)
{
	uint64_t deadline = atomic_load(&p->deadline_ms);

	return deadline && canister_queue_now_ms() >= deadline;
}

/* A descriptor that is not one of 0, 1, 2, which the child's file actions overwrite. */
static int above_stdio(int fd)
{
	int high;

	if (fd > STDERR_FILENO)
		return fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	close(fd);
	return high;
}

/*
 * Starts @p's program; on success it runs and p->stdin_fd feeds it.
 *
 * posix_spawn() and not fork(): fork() in a threaded daemon copies every
 * descriptor into a child that runs canisterd's code until it closes them,
 * so a control client closed meanwhile lives on in the child (and stays in
 * epoll, which watches open files, not fds).  glibc's posix_spawn() runs
 * the child on the parent's memory until exec (CLONE_VM | CLONE_VFORK),
 * without atfork handlers, and exec closes every descriptor of canisterd's
 * (all are close-on-exec) besides those the file actions below name.
 */
static int spawn(struct plugin *p, char *why, size_t why_len)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	int data[2], pidfd, r;
	sigset_t all, none;
	pid_t pid;

	if (pipe2(data, O_CLOEXEC) < 0) {
		r = -errno;
		snprintf(why, why_len, "plugin %s: pipe: %s", p->name, strerror(errno));
		return r;
	}
	data[0] = above_stdio(data[0]);
	if (data[0] < 0) {
		r = -errno;
		snprintf(why, why_len, "plugin %s: pipe: %s", p->name, strerror(errno));
		close(data[1]);
		return r;
	}
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawn_file_actions_init(&actions);
	posix_spawnattr_init(&attr);
	/* canisterd ignores SIGPIPE and blocks its own signals; the plugin gets neither. */
	r = posix_spawnattr_setsigdefault(&attr, &all);
	if (!r)
		r = posix_spawnattr_setsigmask(&attr, &none);
	/* A terminal's ^C meant for canisterd -f must not cut the plugin off before its EOF. */
	if (!r)
		r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
							    POSIX_SPAWN_SETSID);
	if (!r)
		r = posix_spawn_file_actions_adddup2(&actions, data[0], STDIN_FILENO);
	if (!r)
		r = posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_RDWR,
						     0);
	if (!r)
		r = posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
	/* Close-on-exec already; this holds even for a descriptor a library opened without. */
	if (!r)
		r = posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
	if (!r)
		r = posix_spawn(&pid, p->conf.path, &actions, &attr, p->argv,
				(char *const *)empty_environment);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	close(data[0]);
	if (r) {
		/* An exec that failed is reported here, its child already reaped. */
		snprintf(why, why_len, "plugin %s: cannot execute %s: %s", p->name, p->conf.path,
			 strerror(r));
		close(data[1]);
		return -r;
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

/*
 * Waits up to @ms for the process to exit; true if it has.  With
 * @until_deadline, the stop's deadline cuts the wait short, one set
 * meanwhile too (plugins_wait() closes the queue again to say so).
 */
static bool wait_exit(struct plugin *p, int ms, bool until_deadline)
{
	uint64_t until = canister_queue_now_ms() + (uint64_t)ms;

	for (;;) {
		struct pollfd fds[2] = { { .fd = p->pidfd, .events = POLLIN },
					 { .fd = canister_queue_fd(p->queue), .events = POLLIN } };
		uint64_t deadline = atomic_load(&p->deadline_ms);
		int n;

		if (until_deadline && deadline && deadline < until)
			until = deadline;
		n = poll(fds, until_deadline ? 2 : 1, ms_until(until));
		if (n > 0 && (fds[0].revents & POLLIN))
			return true;
		if (n > 0) {
			canister_queue_sleep_end(p->queue);
			continue;
		}
		if (n == 0 || errno != EINTR)
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

/* SIGTERM, and SIGKILL if it is still there after @grace_ms (or the deadline); the caller reaps. */
static void terminate(struct plugin *p, int grace_ms)
{
	pid_t pid = atomic_load(&p->pid);

	kill(pid, SIGTERM);
	if (!wait_exit(p, grace_ms, true)) {
		log_error("plugin %s: pid %d %s; killing it", p->name, (int)pid,
			  past_deadline(p) ? "still runs at the stop's deadline"
					   : "ignored SIGTERM");
		kill(pid, SIGKILL);
		wait_exit(p, KILL_WAIT_MS, false);
	}
}

/*
 * After an exit: start the program again, up to PLUGIN_RESTARTS_MAX times
 * over canisterd's life.  Returns false when it gave up or a stop began.
 */
static bool restart(struct plugin *p)
{
	char why[512];

	for (;;) {
		struct pollfd pfd = { .fd = canister_queue_fd(p->queue), .events = POLLIN };
		uint64_t deadline;

		if (atomic_load(&p->restarts) >= PLUGIN_RESTARTS_MAX) {
			atomic_store(&p->gave_up, true);
			/* From now on the producer is refused at once, and counts it. */
			canister_queue_close(p->queue);
			log_error("plugin %s: restarted %d times already; not again (as auditd's "
				  "max_restarts): its events are dropped from now on",
				  p->name, PLUGIN_RESTARTS_MAX);
			return false;
		}

		/* Events queue meanwhile; only a stop (which closes the queue) ends the wait. */
		deadline = canister_queue_now_ms() + RESTART_DELAY_MS;
		for (uint64_t now; (now = canister_queue_now_ms()) < deadline;) {
			if (atomic_load(&p->stopping))
				return false;
			if (poll(&pfd, 1, (int)(deadline - now)) > 0)
				canister_queue_sleep_end(p->queue);
		}
		if (atomic_load(&p->stopping))
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

/* The current event is done with: written whole (@delivered) or lost to @lost. */
static void finish_current(struct plugin *p, bool delivered, atomic_uint_fast64_t *lost)
{
	audit_queued_event_put(p->current);
	p->current = NULL;
	p->offset = 0;
	atomic_fetch_add(delivered ? &p->events : lost, 1);
}

/* Writes some of the current event; false when the plugin can no longer read (EPIPE). */
static bool write_some(struct plugin *p)
{
	struct audit_queued_event *event = p->current;
	sigset_t pipe_set;
	ssize_t n;

	n = write(p->stdin_fd, event->text + p->offset, event->len - p->offset);
	if (n > 0) {
		p->offset += (size_t)n;
		if (p->offset == event->len)
			finish_current(p, true, NULL);
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

/* The plugin process ended (or stopped reading) outside a stop. */
static bool after_exit(struct plugin *p)
{
	/* Part of it went to the process that is gone: resending would repeat records. */
	if (p->current && p->offset)
		finish_current(p, false, &p->dropped_exited);
	return restart(p);
}

/*
 * Feeds the plugin until its queue is closed and drained, the stop's
 * deadline passes, or it is given up on.
 */
static void feed(struct plugin *p)
{
	for (;;) {
		struct pollfd fds[3] = {
			{ .fd = canister_queue_fd(p->queue), .events = POLLIN },
			{ .fd = p->pidfd, .events = POLLIN },
			{ .fd = p->stdin_fd, .events = POLLOUT },
		};
		uint64_t deadline = atomic_load(&p->deadline_ms);
		bool asleep = false;
		int timeout = -1, n;

		if (past_deadline(p))
			return;
		if (!p->current) {
			struct canister_queue_item *item;
			int r = canister_queue_pop(p->queue, &item);

			if (r == -EPIPE)
				return;
			if (r == 0) {
				p->current = audit_queued_event_of(item);
				p->offset = 0;
			} else if (!canister_queue_sleep_begin(p->queue)) {
				continue;
			} else {
				asleep = true;
			}
		}
		if (deadline)
			timeout = ms_until(deadline);
		n = poll(fds, p->current ? 3 : 2, timeout);
		/* Busy, it is woken only by a close (or the deadline that comes with one). */
		if (asleep || (n > 0 && (fds[0].revents & POLLIN)))
			canister_queue_sleep_end(p->queue);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("plugin %s: poll: %s", p->name, strerror(errno));
			return;
		}
		if (fds[1].revents & POLLIN) {
			reap(p, false);
			if (!after_exit(p))
				return;
			continue;
		}
		if (p->current && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) &&
		    !write_some(p)) {
			log_error("plugin %s: pid %d stopped reading its stdin; stopping it",
				  p->name, (int)p->pid);
			terminate(p, TERM_GRACE_MS);
			reap(p, false);
			if (!after_exit(p))
				return;
		}
	}
}

static void *writer_main(void *arg)
{
	struct plugin *p = arg;
	atomic_uint_fast64_t *lost;
	uint64_t left;

	feed(p);
	if (p->pidfd >= 0) {
		/* EOF first: a plugin sends what it holds and exits, as under auditd. */
		close(p->stdin_fd);
		p->stdin_fd = -1;
		if (!wait_exit(p, CLOSE_EXIT_MS, true)) {
			log_warning("plugin %s: pid %d still runs after EOF; SIGTERM", p->name,
				    (int)p->pid);
			terminate(p, TERM_GRACE_MS);
		}
		reap(p, true);
	}
	lost = atomic_load(&p->gave_up) ? &p->dropped_given_up : &p->lost_at_stop;
	left = canister_queue_discard(p->queue);
	atomic_fetch_add(lost, left);
	if (p->current) {
		finish_current(p, false, lost);
		left++;
	}
	if (left)
		log_error("plugin %s: %" PRIu64 " events not delivered: %s", p->name, left,
			  atomic_load(&p->gave_up) ? "it is not restarted again"
						   : "stopped before it took them");
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
	for (size_t i = 0; i < running.plugin_count; i++)
		canister_queue_free(running.plugins[i].queue);
	free(running.plugins);
	running.plugins = NULL;
	running.plugin_count = 0;
}

/* Reads and parses every file; the active ones become running.plugins[] (nothing started yet). */
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
	running.plugins = calloc((size_t)n ? (size_t)n : 1, sizeof(*running.plugins));
	if (!running.plugins) {
		snprintf(why, why_len, "plugin_dir %s: out of memory", dir);
		r = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		const char *file = entries[i]->d_name;
		size_t name_len = strlen(file) - 5;
		struct plugin *p = &running.plugins[running.plugin_count];
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
		p->stdin_fd = p->pidfd = -1;
		running.plugin_count++;
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
	for (size_t i = 0; i < running.plugin_count; i++) {
		struct plugin *p = &running.plugins[i];

		r = canister_queue_new(PLUGIN_QUEUE_EVENTS, PLUGIN_QUEUE_BYTES, &p->queue);
		if (r < 0) {
			snprintf(why, why_len, "plugin %s: queue: %s", p->name, strerror(-r));
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
	if (!running.plugin_count)
		log_info("plugins: no active plugin in %s", dir);
	return 0;
fail:
	/* A plugin spawned but without its thread is stopped here, the rest by their writers. */
	for (size_t i = 0; i < running.plugin_count; i++) {
		struct plugin *p = &running.plugins[i];

		if (!p->thread_started && p->pidfd >= 0) {
			close(p->stdin_fd);
			p->stdin_fd = -1;
			if (!wait_exit(p, CLOSE_EXIT_MS, false))
				terminate(p, TERM_GRACE_MS);
			reap(p, true);
		}
	}
	plugins_close(d);
	return r;
}

/* A run of drops is logged once, when it starts and when the plugin has caught up. */
static void note_drop(struct plugin *p, int r)
{
	if (r == -EPIPE) {
		/* Given up on, or stopping: said once by the writer. */
		atomic_fetch_add(atomic_load(&p->gave_up) ? &p->dropped_given_up : &p->lost_at_stop,
				 1);
		return;
	}
	if (!p->dropping)
		log_error("plugin %s: queue full (%d events or %u bytes): dropping its events "
			  "until it catches up",
			  p->name, PLUGIN_QUEUE_EVENTS, PLUGIN_QUEUE_BYTES);
	p->dropping = true;
}

/* Caught up once half the queue is free, so a plugin at the edge does not fill the log. */
static void note_queued(struct plugin *p)
{
	struct canister_queue_stats stats;

	if (!p->dropping)
		return;
	canister_queue_stats(p->queue, &stats);
	if (stats.items > stats.max_items / 2 || stats.bytes > stats.max_bytes / 2)
		return;
	p->dropping = false;
	log_info("plugin %s: caught up; %" PRIu64 " events dropped for a full queue so far",
		 p->name, (uint64_t)(stats.refused_items + stats.refused_bytes));
}

void plugins_push(struct audit_queued_event *event)
{
	for (size_t i = 0; i < running.plugin_count; i++) {
		struct plugin *p = &running.plugins[i];
		int r = canister_queue_push(p->queue, &event->item);

		if (r == 0)
			note_queued(p);
		else
			note_drop(p, r);
	}
}

void plugins_event(const char *lines, size_t len, size_t count)
{
	struct audit_queued_event *event;

	if (!running.plugin_count || !count)
		return;
	if (audit_queued_event_new(lines, len, count, &event) < 0) {
		for (size_t i = 0; i < running.plugin_count; i++)
			atomic_fetch_add(&running.plugins[i].dropped_no_memory, 1);
		return;
	}
	plugins_push(event);
	audit_queued_event_put(event);
}

void plugins_stop(void)
{
	for (size_t i = 0; i < running.plugin_count; i++) {
		atomic_store(&running.plugins[i].stopping, true);
		/* Only plugins_open()'s failure leaves a plugin without one. */
		if (running.plugins[i].queue)
			canister_queue_close(running.plugins[i].queue);
	}
}

static void log_stopped(struct plugin *p)
{
	struct plugin_info info;

	plugins_get((size_t)(p - running.plugins), &info);
	log_info("plugin %s: stopped; %" PRIu64 " events written, %" PRIu64 " dropped (%" PRIu64
		 " lost at the stop), %" PRIu64 " restarts",
		 p->name, info.events, info.dropped, info.lost_at_stop, info.restarts);
}

uint64_t plugins_wait(uint64_t deadline_ms)
{
	struct timespec after;
	uint64_t lost = 0, later = deadline_ms + AFTER_DEADLINE_MS;
	bool left_behind = false;

	plugins_stop();
	for (size_t i = 0; i < running.plugin_count; i++) {
		atomic_store(&running.plugins[i].deadline_ms, deadline_ms ? deadline_ms : 1);
		/* Wakes a writer that waits, so that it sees the deadline. */
		if (running.plugins[i].queue)
			canister_queue_close(running.plugins[i].queue);
	}
	after.tv_sec = (time_t)(later / 1000);
	after.tv_nsec = (long)(later % 1000) * 1000000;
	/* The writers flush, close and reap in parallel; each watches the deadline itself. */
	for (size_t i = 0; i < running.plugin_count; i++) {
		struct plugin *p = &running.plugins[i];
		struct canister_queue_stats stats;

		if (p->thread_started && !p->thread_joined) {
			int r = pthread_clockjoin_np(p->thread, NULL, CLOCK_MONOTONIC, &after);

			if (r) {
				/* Stuck in the kernel: it keeps its plugin and queue; nobody frees
				 * them. */
				canister_queue_stats(p->queue, &stats);
				log_error(
					"plugin %s: its writer did not end by the deadline (pid %d "
					"still running: %s); %zu events still queued are lost",
					p->name, (int)p->pid, p->running ? "yes" : "no",
					stats.items);
				atomic_fetch_add(&p->lost_at_stop, stats.items);
				pthread_detach(p->thread);
				left_behind = true;
			}
			p->thread_joined = true;
		}
		lost += atomic_load(&p->lost_at_stop);
		if (p->queue)
			log_stopped(p);
	}
	if (left_behind) {
		running.plugins = NULL;
		running.plugin_count = 0;
	} else {
		free_plugins();
	}
	return lost;
}

void plugins_close(struct canisterd *d)
{
	plugins_stop();
	plugins_wait(canister_queue_now_ms() + PLUGINS_CLOSE_MS);
}

size_t plugins_count(void)
{
	return running.plugin_count;
}

void plugins_get(size_t i, struct plugin_info *ret)
{
	struct plugin *p = &running.plugins[i];
	struct canister_queue_stats stats;

	canister_queue_stats(p->queue, &stats);
	*ret = (struct plugin_info){
		.pid = atomic_load(&p->pid),
		.running = atomic_load(&p->running),
		.events = atomic_load(&p->events),
		.restarts = atomic_load(&p->restarts),
		.queued = stats.items,
		.queued_bytes = stats.bytes,
		.dropped_queue_events = stats.refused_items,
		.dropped_queue_bytes = stats.refused_bytes,
		.dropped_no_memory = stats.refused_memory + atomic_load(&p->dropped_no_memory),
		.dropped_exited = atomic_load(&p->dropped_exited),
		.dropped_given_up = atomic_load(&p->dropped_given_up),
		.lost_at_stop = atomic_load(&p->lost_at_stop),
	};
	snprintf(ret->name, sizeof(ret->name), "%s", p->name);
	ret->dropped = ret->dropped_queue_events + ret->dropped_queue_bytes +
		       ret->dropped_no_memory + ret->dropped_exited + ret->dropped_given_up +
		       ret->lost_at_stop;
}
