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

struct plugin_info {
	char name[64];	   /* the conf file's name without ".conf" */
	pid_t pid;	   /* the running (or last) process; 0 if none ever started */
	bool running;	   /* a process runs now and is fed */
	uint64_t events;   /* events written whole to its stdin */
	uint64_t dropped;  /* events it never got: queue full, it died mid-event, or gave up */
	uint64_t restarts; /* times it was started again after exiting */
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
 * mask and environment, and a session of its own; argv[0] is its path.
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
 *   other    -errno from opendir, fork, pipe2, pthread_create, or the program's execve
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

/*
 * plugins_close() - flush queued events (up to 5 s), close each plugin's
 * stdin, wait up to 3 s for it to exit, then SIGTERM, 2 s, SIGKILL; reap.
 */
void plugins_close(struct canisterd *d);

size_t plugins_count(void);

/* plugins_get() - a snapshot of plugin @i (0 <= @i < plugins_count()). */
void plugins_get(size_t i, struct plugin_info *ret);

#endif
