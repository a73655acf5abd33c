/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the status reply as a struct, one section per part of canisterd that fills it. */
#ifndef CANISTER_LIB_STATUS_H
#define CANISTER_LIB_STATUS_H

#include "lib/config.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Every member is bounded, arrays included, so that the encoded status has a
 * size known in advance whatever the number of labelled processes, containers,
 * sinks or plugins (tests/unit/test_reply.c encodes the largest one and checks
 * it against CANISTER_REPLY_MAX).  Strings are NUL-terminated within their array.
 */
#define CANISTER_STATUS_TEXT_MAX 511 /* a reason, a detail, a path, a warning's base */
#define CANISTER_STATUS_NAME_MAX 31  /* a feature's name: [a-z0-9_] */
#define CANISTER_STATUS_FEATURES_MAX 16
#define CANISTER_STATUS_WARNINGS_MAX 16
#define CANISTER_STATUS_WARNING_MAX 1023
#define CANISTER_STATUS_PLUGINS_MAX 32
#define CANISTER_STATUS_PLUGIN_NAME_MAX 63
/* What "config" adds to the path when the file is absent and defaults apply. */
#define CANISTER_STATUS_CONFIG_ABSENT " (absent: defaults)"
/* Privileged processes named in the status; the rest are counted. */
#define CANISTER_STATUS_PRIVILEGED_SHOWN 10

/* One probed kernel feature ("features": {NAME: {"available", "detail"}}). */
struct canister_feature_status {
	char name[CANISTER_STATUS_NAME_MAX + 1];
	bool available;
	char detail[CANISTER_STATUS_TEXT_MAX + 1];
};

/* "daemon": who answers, since when, and the settings it runs with. */
struct canister_daemon_status {
	pid_t pid;
	char version[32];
	int64_t started; /* seconds since the epoch; "started" is its UTC ISO 8601 form */
	uint64_t uptime_seconds;
	char config[CANISTER_CONFIG_PATH_MAX];
	bool config_present; /* false: the file is absent and defaults apply */
	char pin_path[CANISTER_CONFIG_PATH_MAX];
	char control_socket[108];
	char log[CANISTER_CONFIG_PATH_MAX]; /* canisterd's own log: a path or "stderr" */
	enum canister_log_level log_level;
	char audit_log[CANISTER_CONFIG_PATH_MAX];
	unsigned int nest_limit;
	int kernel_audit; /* enum canister_kernel_audit */
	char host_log[CANISTER_CONFIG_PATH_MAX];
	char audit_rules[CANISTER_CONFIG_PATH_MAX];
	int join_policy; /* enum canister_join_policy */
};

/* The daemon's core: mode, features and its own records. */
struct canister_core_status {
	enum canister_mode mode; /* CANISTER_MODE_TRACE or CANISTER_MODE_LSM, never AUTO */
	char mode_reason[CANISTER_STATUS_TEXT_MAX + 1];
	struct canister_daemon_status daemon;
	struct canister_feature_status features[CANISTER_STATUS_FEATURES_MAX];
	unsigned int feature_count;
	char protection[CANISTER_STATUS_TEXT_MAX + 1]; /* what the mode defends, in words */
	uint64_t records_written, records_failed;      /* canister's own audit records */
	/* The control socket: connections open now, and what its limits refused since start. */
	uint64_t control_connections, control_host_connections, control_accepted;
	uint64_t control_refused_connections, control_unidentified, control_idle_closed;
	uint64_t control_throttled, control_refusals_recorded, control_refusals_folded;
	uint64_t control_summaries;
};

/* A labelled process found able to change labels, and in a few words why. */
#define CANISTER_STATUS_WHY_MAX 191
struct canister_privileged_process {
	pid_t pid;
	uint64_t contid;
	char why[CANISTER_STATUS_WHY_MAX + 1];
};

/*
 * The last scan of the labelled processes' effective capabilities
 * ("privileged_scan").  It runs off canisterd's main loop; the status shows
 * its result and its age rather than wait for a new one.
 */
struct canister_privileged_scan {
	bool done;	      /* false until the first scan has finished */
	uint64_t age_ms;      /* since it finished */
	uint64_t duration_ms; /* how long it took */
	uint64_t scanned;     /* labelled processes in a container, as it walked them */
	uint64_t privileged;  /* of those, able to change labels (identity/tamper.h) */
	struct canister_privileged_process shown[CANISTER_STATUS_PRIVILEGED_SHOWN];
	unsigned int shown_count; /* the lowest pids, ascending; min(privileged, SHOWN) */
};

/* Identity: labels, their inheritance and the containers ("counters"). */
struct canister_identity_status {
	uint64_t events, events_received, lost;
	uint64_t inherited, cleared, inherit_failed, guard_denied, joined;
	uint64_t labelled_processes, containers, containers_dropped;
	/* lsm mode: forks refused for want of room; the labels map's used slots and size. */
	uint64_t fork_refused, labels_used, labels_capacity;
	struct canister_privileged_scan privileged;
};

/* How canisterd receives the kernel's audit events ("kernel_audit.source"). */
enum canister_audit_source {
	CANISTER_AUDIT_SOURCE_OFF = 0, /* "off": kernel_audit = off */
	CANISTER_AUDIT_SOURCE_OWN,     /* "own_stream": canisterd is the kernel's audit daemon */
	CANISTER_AUDIT_SOURCE_AUDITD,  /* "auditd_plugin": auditd is, and feeds canister-audisp */
};

/* "kernel_audit": the kernel's audit stream and the host log. */
struct canister_kernel_audit_status {
	bool audit_daemon; /* canisterd holds the kernel's audit stream */
	int source;	   /* enum canister_audit_source */
	char source_reason[CANISTER_STATUS_TEXT_MAX + 1]; /* why this source, in words */
	pid_t auditd_pid; /* the audit daemon canisterd is beside (source auditd_plugin), else 0 */
	bool plugin_connected; /* canister-audisp is connected now */
	/* The plugin feed: lines read, not auditd's, dropped by canister-audisp, connections. */
	uint64_t plugin_records, plugin_bad_lines, plugin_relay_lost, plugin_connections;
	uint64_t plugin_refused;
	uint64_t events, container_id_records, write_failures, filtered_by_contid;
	uint64_t sink_only_events, netlink_overruns;
	uint64_t truncated_records, refused_records, no_memory_records, events_cut_short;
	uint64_t disk_full_lost;
	uint64_t rotations, rotation_failures;
	/* The kernel's own count of records it dropped (backlog full, rate limit): auditctl -s. */
	uint64_t kernel_lost;
};

/* One per-container audit sink ("sinks"). */
struct canister_sink_status {
	uint64_t contid;
	char log[CANISTER_CONFIG_PATH_MAX];
	enum canister_log_format format;
	char rules[CANISTER_CONFIG_PATH_MAX]; /* "" none */
	char socket[108];		      /* "" none */
	uint64_t rules_loaded, backlog, queued, events, dropped, lost_records;
	uint64_t disk_full_lost, write_failures, rotations, rotation_failures, readers;
	/* dropped is the sum of the four below. */
	uint64_t backlog_bytes, queued_bytes, dropped_queue_events, dropped_queue_bytes;
	uint64_t dropped_no_memory, lost_at_stop, readers_dropped;
};

/* One auditd-style plugin ("plugins"). */
struct canister_plugin_status {
	char name[CANISTER_STATUS_PLUGIN_NAME_MAX + 1];
	pid_t pid; /* 0: never started */
	bool running;
	uint64_t events, dropped, restarts;
	/* dropped is the sum of the six below. */
	uint64_t queued, queued_bytes, dropped_queue_events, dropped_queue_bytes;
	uint64_t dropped_no_memory, dropped_exited, dropped_given_up, lost_at_stop;
};

/* Audit: the kernel stream, the sinks and the plugins. */
struct canister_audit_status {
	struct canister_kernel_audit_status kernel;
	struct canister_sink_status sinks[CANISTER_SINKS_MAX];
	unsigned int sink_count;
	struct canister_plugin_status plugins[CANISTER_STATUS_PLUGINS_MAX];
	unsigned int plugin_count;
};

/* Containers whose list the status shows; the rest are counted ("integrity.containers"). */
#define CANISTER_STATUS_INTEGRITY_SHOWN 16

/* One container's measurement list ("integrity.lists"). */
struct canister_integrity_list_status {
	uint64_t contid;
	uint64_t entries; /* boot_aggregate included */
	bool own_policy;  /* set for it (else the default applies) */
};

/* Integrity: the file gate and the measurement lists ("integrity"). */
struct canister_integrity_status {
	bool on;	  /* integrity = on, and the gate started */
	bool fail_closed; /* integrity_fail: a late or unjudged open is denied */
	uint64_t deadline_ms;
	/*
	 * The gate's counters (integrity/gate.h: struct gate_stats); fast: a
	 * container's execs its reader answered at once, their file version
	 * listed everywhere when a judge last saw it.
	 */
	uint64_t events, own, host, fast, judged, denied, busy, late, stuck, marks, write_fail;
	/*
	 * The judge's: entries added, files hashed, digest cache hits, errors,
	 * and execs answered at once, their file version listed everywhere.
	 */
	uint64_t entries, hashed, cache_hits, errors, listed;
	/*
	 * FILE_CHECK: whether the gate asks for every open now (a live policy
	 * needs it), and the open events it read; the violation entries added,
	 * and which of IMA's violations this canisterd sees, in words (each
	 * one named, "unavailable" with the reason where it does not).
	 */
	bool file_check;
	uint64_t opens, violations;
	char violation_checks[CANISTER_STATUS_TEXT_MAX + 1];
	uint64_t containers; /* lists held, of which the lowest contids are shown */
	/*
	 * Appraisal: the containers canisterd holds an appraisal for, by their
	 * own mode; of them, those counting the host's keys and those whose
	 * stored keys were refused at start; the host's keys (integrity_keys).
	 */
	uint64_t appraise_off, appraise_log, appraise_enforce, appraise_host_keys;
	uint64_t appraise_keys_refused, host_keys;
	/* Every other container's: integrity_appraise ("off", "log", "enforce"). */
	char appraise_default[8];
	/*
	 * Appraisal in the gate: execs and opens at least one level appraised,
	 * of them opens (FILE_CHECK) and denied; failed verdicts of levels in
	 * log mode (allowed); verdicts computed, taken from the cache, and not
	 * given (the file did not read); levels' refusals of a file open for
	 * writing by another process.
	 */
	uint64_t appraised, appraise_opens, appraise_denied, appraise_logged;
	uint64_t appraise_verified, appraise_cache_hits, appraise_unreadable, appraise_writers;
	/* Whether fsuuid= rules can match: the kernel tells a file's superblock UUID; and why. */
	bool fsuuid;
	char fsuuid_detail[256];
	/*
	 * MMAP_CHECK (lsm mode): whether executable mappings are reported, and
	 * how (or why not); the mappings reported, dropped (the ring buffer was
	 * full), measured with the kernel's digest, hashed by canisterd after
	 * reopening the file (no usable kernel digest), and not measured (the
	 * file did not open again as the mapped one).
	 */
	bool mmap;
	char mmap_detail[256];
	/*
	 * The host mount exemption (docs/integrity.md, "Coverage"): whether
	 * canisterd's own mounts raise no gate event now, and how many (or why
	 * not); the ignore marks removed by withdrawals, and the withdrawals.
	 */
	bool coverage_exempt;
	char coverage_detail[256];
	/*
	 * The gate reader's priority: its nice value against canisterd's, or
	 * why it runs at canisterd's (docs/integrity.md, "The reader's priority").
	 */
	char reader_detail[160];
	uint64_t exempt_mounts, exempt_removed, exempt_withdrawn;
	uint64_t mmap_reported, mmap_dropped, mmap_kernel_digests, mmap_rehashed, mmap_unmeasured;
	/* Executable mappings not reported: no policy of the mapper's chain measures or audits one.
	 */
	uint64_t mmap_unlisted;
	/*
	 * The appraisal backstop (lsm mode): whether its BPF LSM programs run,
	 * and which (or why not); the execs and mappings they denied since their
	 * maps were pinned, what log mode let through, the reports lost (no room), and
	 * the verdicts this run's gate gave them.
	 */
	bool backstop;
	char backstop_detail[256];
	uint64_t backstop_denied, backstop_logged, backstop_lost, backstop_verdicts;
	/*
	 * CONTAINER_INTEGRITY records lost (the queue was full, no memory) and
	 * refusals and violations left unwritten by their container's rate limit.
	 */
	uint64_t records_lost, records_suppressed;
	struct canister_integrity_list_status lists[CANISTER_STATUS_INTEGRITY_SHOWN];
	unsigned int list_count;
};

/* The rights an access policy can name, each with what enforces it ("access.rights"). */
/*
 * A policy's ten rights, the mounts its file rights refuse, then cross-container
 * isolation's signal, ptrace, files and grants.
 */
#define CANISTER_STATUS_ACCESS_RIGHTS 15
#define CANISTER_STATUS_ACCESS_TEXT_MAX 127

/* One right of an access policy and what enforces it in this mode, on this kernel. */
struct canister_access_right_status {
	char right[32];					     /* "fs execute", "capability bound" */
	char canisterd[CANISTER_STATUS_ACCESS_TEXT_MAX + 1]; /* canisterd's own decisions */
	char run[CANISTER_STATUS_ACCESS_TEXT_MAX + 1]; /* a `canister run --policy` workload */
};

/* Access control: the policies canisterd holds, and what enforces them ("access"). */
struct canister_access_status {
	bool on; /* the capability started */
	/* Containers holding a policy, by their mode; stored ones refused at start. */
	uint64_t containers, enforce, complain, refused;
	uint64_t landlock_abi; /* the kernel's Landlock ABI version; 0: none */
	/* canister.conf's access_policy, the policy of containers that bring none; "" none. */
	char default_policy[256];
	enum canister_access_mode default_mode;
	/* Refusals by a policy (access_record_counts()): decisions, then their records. */
	uint64_t denied, complained, written, repeated, suppressed, lost;
	struct canister_access_right_status rights[CANISTER_STATUS_ACCESS_RIGHTS];
	unsigned int right_count;
};

#define CANISTER_STATUS_MODEL_OBSERVED_MAX 1023

/* Behaviour models: the domains canisterd holds, what they judged ("model"). */
struct canister_model_status {
	bool on; /* the capability started (it needs the file gate: integrity = on) */
	/* Containers with a domain, by mode; stored ones refused at start. */
	uint64_t domains, learn, seal, enforce, refused;
	/* Events judged or observed; of them forensics, denials, events not learned. */
	uint64_t events, forensic, denied, unlearned;
	/* Enforced containers' events the gate could not judge in time, denied (integrity_fail). */
	uint64_t late_denied;
	/* Processes untrusted now (the kernel's map when it marks), marks refused for want of room.
	 */
	uint64_t untrusted, untrusted_refused;
	/* CONTAINER_MODEL records. */
	uint64_t written, repeated, suppressed, lost;
	/* Who marks a forked child of an untrusted process: "canisterd" or "kernel". */
	char marking[64];
	/*
	 * The observers of non-file events (docs/model.md, "Observers"): whether
	 * they run; the EVENT_IDs observed, space-separated; those not, each with
	 * its reason ("EVENT_ID (why); ..."), or why none run.
	 */
	bool observed;
	char observed_available[CANISTER_STATUS_MODEL_OBSERVED_MAX + 1];
	char observed_unavailable[CANISTER_STATUS_MODEL_OBSERVED_MAX + 1];
	/* Containers wanted; the programs' records, their drops; records decoded, refused. */
	uint64_t observed_wanted, observed_emitted, observed_over_budget, observed_ring_full,
		observed_stash_full, observed_decoded, observed_malformed;
	/* Forks whose origin the kernel had no room to keep (docs/model.md, "Observed events"). */
	uint64_t observed_origins_full;
	/*
	 * Events fed to a domain; dropped without a TASK_ID (their process gone,
	 * say); TASK_IDs (actors', signals' targets') not remembered from an
	 * exec, looked for in /proc instead.
	 */
	uint64_t observed_fed, observed_unresolved, observed_task_id_misses;
	/*
	 * The TASK_IDs canisterd remembers, a table per container: tasks held
	 * now; entries a container's own table forgot for want of room, and
	 * how many containers that happened to; puts not remembered at all.
	 */
	uint64_t task_ids_held, task_ids_forgotten, task_ids_forgetting, task_ids_refused;
	/*
	 * lsm mode: the EVENT_IDs an enforced domain has denied in the kernel
	 * ("none" in trace mode); the containers so enforced; the kernel's
	 * coefficients that differed from canisterd's (a defect: 0).
	 */
	char denied_in_kernel[256];
	uint64_t kernel_enforced, kernel_mismatched;
};

/* What needs a human's attention, one sentence each ("warnings"). */
struct canister_status_warnings {
	char text[CANISTER_STATUS_WARNINGS_MAX][CANISTER_STATUS_WARNING_MAX + 1];
	unsigned int count;
};

struct canister_status {
	struct canister_core_status core;
	struct canister_identity_status identity;
	struct canister_audit_status audit;
	struct canister_integrity_status integrity;
	struct canister_access_status access;
	struct canister_model_status model;
	struct canister_status_warnings warnings;
};

/*
 * canister_status_warn() - add one warning; those beyond
 * CANISTER_STATUS_WARNINGS_MAX are left out (each part of canisterd adds a
 * handful at most), and a long one is cut at CANISTER_STATUS_WARNING_MAX.
 */
void canister_status_warn(struct canister_status_warnings *warnings, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
