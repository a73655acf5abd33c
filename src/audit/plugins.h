/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: feeds auditd's plugin interface (plugins.d: audisp-remote and the like) each event's
 * records, one text line each on the plugin's stdin. */
#ifndef CANISTERD_PLUGINS_H
#define CANISTERD_PLUGINS_H

#include "core/canisterd.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Restarts of a plugin that keeps exiting, as auditd's max_restarts (default 10). */
#define PLUGIN_RESTARTS_MAX 10
/* Each plugin's queue: an event that would exceed either bound is dropped for that plugin. */
#define PLUGIN_QUEUE_EVENTS 2048
#define PLUGIN_QUEUE_BYTES (8u << 20)
/* plugins_close(): how long the plugins get to take what was queued and exit. */
#define PLUGINS_CLOSE_MS 10000

struct plugin_info {
	char name[64];	   /* the conf file's name without ".conf" */
	pid_t pid;	   /* the running (or last) process; 0 if none ever started */
	bool running;	   /* a process runs now and is fed */
	uint64_t events;   /* events written whole to its stdin */
	uint64_t restarts; /* times it was started again after exiting */
	size_t queued, queued_bytes;
	/* Events it never got, by why; dropped is their sum. */
	uint64_t dropped;
	uint64_t dropped_queue_events; /* its queue held PLUGIN_QUEUE_EVENTS */
	uint64_t dropped_queue_bytes;  /* its queue would have passed PLUGIN_QUEUE_BYTES */
	uint64_t dropped_no_memory;
	uint64_t dropped_exited;   /* it exited (or stopped reading) in the middle of the event */
	uint64_t dropped_given_up; /* after its last restart */
	uint64_t lost_at_stop;	   /* still queued, or arriving, when canisterd stopped it */
};

/*
 * plugins_open() - start every active plugin conf (*.conf, read with
 * canister_read_trusted_file, parsed by canister_plugin_conf_parse) in @dir;
 * "" starts none.  Call once, before plugins_event().
 *
 * All files are parsed before any plugin starts, and one bad file, or a
 * program that cannot be executed, starts none.  A program must be a regular
 * executable file owned by canisterd's uid and not writable by group or
 * others: it runs as root.  Each one gets a pipe as stdin, /dev/null as stdout
 * and stderr, no other descriptor, default signal dispositions, an empty
 * mask and environment, and a session of its own; argv[0] is its path.  It
 * is started with posix_spawn() (vfork semantics: the thread that starts it
 * waits until it has exec'd), and every descriptor of canisterd's is
 * close-on-exec, so none reaches the plugin.
 *
 * Returns 0, or with "reason" in @why:
 *   -ENOENT  @dir does not exist, or a program does not
 *   -ENOTDIR @dir is not a directory
 *   -EINVAL  a file is not a valid plugin conf ("FILE:LINE: reason"), not a
 *            regular file, or its name is too long (63 bytes before ".conf")
 *   -EPERM   a file or a program may be written by someone else than canisterd's uid
 *   -EFBIG   a file is larger than CANISTER_PLUGIN_CONF_MAX_BYTES
 *   -E2BIG   more than 32 files
 *   -ENOMEM  out of memory
 *   other    -errno from opendir, posix_spawn, pipe2, eventfd, pthread_create, or the
 *            program's execve
 */
int plugins_open(struct canisterd *d, const char *dir, char *why, size_t why_len);

/*
 * plugins_event() - one event (@count records as @len bytes of lines, each
 * ending in '\n'; event.h made any newline or NUL inside a record a space)
 * to every plugin.  Never blocks the caller: each plugin has its own bounded
 * queue and writer thread; a full queue drops this event for that plugin and
 * counts it.
 */
void plugins_event(const char *lines, size_t len, size_t count);

/* plugins_push() - as plugins_event(), for an event already copied (shared with the sinks). */
struct audit_queued_event;
void plugins_push(struct audit_queued_event *event);

/*
 * plugins_stop() - the first half of a stop; never blocks.  The plugins
 * take no more events (those that come are counted in lost_at_stop); each
 * writer thread feeds its plugin what was queued, closes its stdin and
 * waits for it to exit (3 s, then SIGTERM, 2 s, then SIGKILL), on its own.
 */
void plugins_stop(void);

/*
 * plugins_wait() - the second half: waits until every writer is done, or
 * until @deadline_ms (canister_queue_now_ms(): CLOCK_MONOTONIC, in ms).  At the
 * deadline, what a plugin has not taken is counted in lost_at_stop and
 * logged, and a plugin still running is killed (SIGKILL) and reaped.  A
 * writer that does not end within a second after that (its plugin stuck in
 * the kernel) is left behind and logged.  Then the plugins are forgotten.
 * Calls plugins_stop() if it was not.  Returns the events lost at stop.
 */
uint64_t plugins_wait(uint64_t deadline_ms);

/* plugins_close() - plugins_stop(), then plugins_wait() up to PLUGINS_CLOSE_MS from now. */
void plugins_close(struct canisterd *d);

size_t plugins_count(void);

/* plugins_get() - a snapshot of plugin @i (0 <= @i < plugins_count()). */
void plugins_get(size_t i, struct plugin_info *ret);

#endif
