/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: auditd's events from canister-audisp, its plugin, when auditd holds the stream. */
#ifndef CANISTERD_AUDITD_FEED_H
#define CANISTERD_AUDITD_FEED_H

#include "core/canisterd.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * With kernel_audit = auto and auditd holding the kernel's audit stream,
 * auditd starts canister-audisp (its plugins.d/canister.conf) with every
 * record on its stdin; canister-audisp connects to @path here and relays the
 * lines.  One connection is served at a time, and only from a root process
 * whose parent is the audit daemon the kernel names now (AUDIT_GET): no
 * other process can put records into canister's log.  Each line is read
 * back into the kernel's message (auditd_line.h) and handed to @ops, as the
 * netlink reader hands its messages.
 */
struct auditd_feed_ops {
	void (*message)(int type, const char *text, size_t len);
	void (*lost)(uint64_t records); /* canister-audisp dropped these */
	void (*batch_done)(void);	/* after each read: age and flush */
	uint32_t (*audit_pid)(void);	/* the kernel's audit daemon now (AUDIT_GET), 0: none */
};

/*
 * auditd_feed_open() - listen on @path (mode 0600, its directory made).
 * Returns 0 or -errno with @why.
 */
int auditd_feed_open(struct canisterd *d, const char *path, const struct auditd_feed_ops *ops,
		     char *why, size_t why_len);

/* auditd_feed_close() - closes the connection and the socket, and removes it. */
void auditd_feed_close(struct canisterd *d);

struct auditd_feed_counters {
	bool connected;	       /* canister-audisp is connected now */
	pid_t relay_pid;       /* its pid while connected */
	uint64_t connections;  /* accepted since start */
	uint64_t refused;      /* connections from anyone else */
	uint64_t records;      /* lines read and handed over */
	uint64_t bad_lines;    /* lines that are not auditd's (or longer than it writes) */
	uint64_t relay_lost;   /* records canister-audisp said it dropped */
	uint64_t cut_at_close; /* partial lines left when a connection closed */
};

void auditd_feed_counters(struct auditd_feed_counters *ret);

/* auditd_feed_conn_fd() - canister-audisp's connection, or -1 (for a poll of what is waiting). */
int auditd_feed_conn_fd(void);

#endif
