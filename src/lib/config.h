/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: canisterd's configuration file, `key = value` lines. */
#ifndef CANISTER_LIB_CONFIG_H
#define CANISTER_LIB_CONFIG_H

#include "lib/audit_log.h"
#include "lib/protocol.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#define CANISTER_DEFAULT_CONFIG "/etc/canister/canister.conf"
#define CANISTER_DEFAULT_PIN_PATH "/sys/fs/bpf/canister"
#define CANISTER_DEFAULT_SOCKET "/run/canister/control.sock"
#define CANISTER_DEFAULT_LOG_FILE "/var/log/canister/canisterd.log"
#define CANISTER_DEFAULT_AUDIT_LOG "/var/log/canister/audit.log"
#define CANISTER_DEFAULT_HOST_LOG "/var/log/canister/host.log"
#define CANISTER_DEFAULT_AUDITD_PLUGIN_SOCKET "/run/canister/auditd-plugin.sock"
#define CANISTER_DEFAULT_INTEGRITY_DIR "/run/canister/integrity"
#define CANISTER_DEFAULT_ACCESS_DIR "/run/canister/access"
#define CANISTER_DEFAULT_MODEL_DIR "/run/canister/model"
/* An ended container's behaviour domain stays in canisterd's memory this long, at most. */
#define CANISTER_DEFAULT_MODEL_ENDED_GRACE 60
#define CANISTER_MODEL_ENDED_GRACE_MAX 86400
/* And no more ended containers' domains than this stay (the earliest ended go first). */
#define CANISTER_DEFAULT_MODEL_ENDED_KEPT 16
#define CANISTER_MODEL_ENDED_KEPT_MAX 4096
/* How long a container's exec waits for its measurement before integrity_fail answers. */
#define CANISTER_DEFAULT_INTEGRITY_DEADLINE_MS 5000
#define CANISTER_INTEGRITY_DEADLINE_MS_MIN 10
#define CANISTER_INTEGRITY_DEADLINE_MS_MAX 600000
/* Ended containers' lists kept under integrity_dir, the oldest removed first. */
#define CANISTER_DEFAULT_INTEGRITY_ENDED_KEPT 100
#define CANISTER_INTEGRITY_ENDED_KEPT_MAX 100000
#define CANISTER_CONFIG_MAX_BYTES (64 * 1024)
#define CANISTER_CONFIG_PATH_MAX 256

/* Log rotation and flush, as auditd.conf's keys of the same names; the defaults are auditd's. */
#define CANISTER_DEFAULT_MAX_LOG_FILE_MIB 8
#define CANISTER_MAX_LOG_FILE_MIB_MAX 4096
#define CANISTER_DEFAULT_NUM_LOGS 5
#define CANISTER_DEFAULT_FLUSH CANISTER_AUDIT_FLUSH_INCREMENTAL_ASYNC
#define CANISTER_DEFAULT_FREQ 50
#define CANISTER_FREQ_MAX 10000
/* canisterd's own log (log_file) rotates as the audit logs do, with the same defaults. */
#define CANISTER_DEFAULT_LOG_MAX_BYTES (8ULL * 1024 * 1024)

/* Per-container audit sinks. */
#define CANISTER_SINKS_MAX 64
#define CANISTER_DEFAULT_SINK_BACKLOG 8192
#define CANISTER_SINK_BACKLOG_MAX 1000000
/* The bytes a sink's queue may hold besides (an event larger than that is never queued). */
#define CANISTER_DEFAULT_SINK_BACKLOG_BYTES (8u << 20)
#define CANISTER_SINK_BACKLOG_BYTES_MIN (64u << 10)
#define CANISTER_SINK_BACKLOG_BYTES_MAX (1u << 30)

/*
 * The control socket's limits (the control_* keys; README "Control socket
 * limits").  The host (unlabelled callers with uid 0) is limited only by
 * @connections and always has @host_reserve of them; everyone else is
 * limited per container (labelled callers, by their outermost container)
 * or per uid (unlabelled callers with another uid).
 */
struct canister_control_config {
	unsigned int connections;		 /* open at once, all callers */
	unsigned int host_reserve;		 /* of those, only for the host */
	unsigned int connections_per_container;	 /* one container's, nested ones included */
	unsigned int connections_per_uid;	 /* one uid's, outside containers */
	unsigned int requests_per_second;	 /* per container or uid */
	unsigned int request_burst;		 /* requests above the rate, at once */
	unsigned int idle_timeout;		 /* seconds without a request; 0: never */
	unsigned int refusal_records_per_minute; /* refusals recorded one by one */
	unsigned int refusal_summary_interval;	 /* seconds a summary of the rest waits */
};

#define CANISTER_DEFAULT_CONTROL_CONFIG           \
	((struct canister_control_config){        \
		.connections = 64,                \
		.host_reserve = 16,               \
		.connections_per_container = 8,   \
		.connections_per_uid = 8,         \
		.requests_per_second = 20,        \
		.request_burst = 40,              \
		.idle_timeout = 30,               \
		.refusal_records_per_minute = 30, \
		.refusal_summary_interval = 10,   \
	})

enum canister_mode {
	CANISTER_MODE_AUTO = 0, /* lsm where the kernel allows it, else trace */
	CANISTER_MODE_TRACE,
	CANISTER_MODE_LSM, /* refuse to start without BPF LSM */
};

enum canister_log_level {
	CANISTER_LOG_ERROR = 0,
	CANISTER_LOG_WARNING,
	CANISTER_LOG_INFO,
	CANISTER_LOG_DEBUG,
};

enum canister_log_format {
	CANISTER_LOG_FORMAT_TEXT = 0, /* linux-audit text, as auditd writes it */
	CANISTER_LOG_FORMAT_JSON,     /* one JSON object per event */
};

/*
 * Who takes the kernel's audit stream.  OFF is 0 so that "kernel audit in
 * use" stays a truth test.
 */
enum canister_kernel_audit {
	CANISTER_KERNEL_AUDIT_OFF = 0,
	CANISTER_KERNEL_AUDIT_ON,   /* canisterd is the audit daemon; refuses beside another */
	CANISTER_KERNEL_AUDIT_AUTO, /* as on, or through auditd's plugin interface beside it */
};

/* What node= canisterd writes before each record (auditd's name_format). */
enum canister_name_format {
	CANISTER_NAME_FORMAT_NONE = 0,
	CANISTER_NAME_FORMAT_HOSTNAME, /* gethostname() at start */
	CANISTER_NAME_FORMAT_USER,     /* the `name` key */
};

/* How a log file is rotated and synced (see canister_audit_log_set_policy()). */
struct canister_log_policy_config {
	unsigned int max_log_file_mib; /* rotate at this size, in MiB (0..4096); 0: never */
	unsigned int num_logs;	       /* files kept, the live one included (2..99) */
	enum canister_audit_flush flush;
	unsigned int freq; /* INCREMENTAL*: records between syncs (1..10000) */
};

/* One `audit_sink = CONTID log=... ...` line: a container's own audit log. */
struct canister_sink_config {
	uint64_t contid;		      /* the container, and every one nested in it */
	char log[CANISTER_CONFIG_PATH_MAX];   /* where its events go */
	char rules[CANISTER_CONFIG_PATH_MAX]; /* auditctl-syntax rules; "" none */
	char socket[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* live readers; "" none */
	unsigned int backlog;		 /* events queued before they are dropped (1..1000000) */
	unsigned int backlog_bytes;	 /* and bytes (65536..1073741824) */
	enum canister_log_format format; /* text unless the line says json */
	/* The global log policy, but for max_log_file and num_logs the sink line sets. */
	struct canister_log_policy_config policy;
};

struct canister_config {
	char pin_path[CANISTER_CONFIG_PATH_MAX];
	char control_socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char log_file[CANISTER_CONFIG_PATH_MAX];
	/* log_max_file (MiB, or KiB with a K suffix) and log_num_logs: log_file's rotation. */
	uint64_t log_max_bytes; /* 0: never */
	unsigned int log_num_logs;
	enum canister_mode mode;
	enum canister_log_level log_level;
	char audit_log[CANISTER_CONFIG_PATH_MAX]; /* canister's records (CONTAINER_OP, ...) */
	unsigned int nest_limit;		  /* 1..CANISTER_NEST_LIMIT_MAX */
	/* labels_max: entries of the labels map; 0 (auto): the host's kernel.pid_max. */
	unsigned int labels_max;
	int join_policy;			    /* enum canister_join_policy */
	enum canister_kernel_audit kernel_audit;    /* default auto */
	char host_log[CANISTER_CONFIG_PATH_MAX];    /* its events, with CONTAINER_ID records */
	char audit_rules[CANISTER_CONFIG_PATH_MAX]; /* auditctl-syntax rules to load; "" none */
	/* Rotation and flush of host_log and of the sinks that do not set their own. */
	struct canister_log_policy_config log_policy;
	enum canister_log_format host_log_format;
	char plugin_dir[CANISTER_CONFIG_PATH_MAX]; /* auditd-style plugin .conf files; "" none */
	/* kernel_audit = auto beside auditd: where canister-audisp hands auditd's events over. */
	char auditd_plugin_socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct canister_sink_config sinks[CANISTER_SINKS_MAX];
	unsigned int sink_count;
	int name_format;    /* enum canister_name_format */
	char node_name[64]; /* name_format = user: the `name` key */
	struct canister_control_config control;
	/* Per-container IMA measurement (issue 12); off by default. */
	bool integrity;
	char integrity_policy[CANISTER_CONFIG_PATH_MAX]; /* for containers with none; "" none */
	char integrity_keys[CANISTER_CONFIG_PATH_MAX];	 /* the host's appraisal keys; "" none */
	/*
	 * The appraisal of a container that brings none of its own
	 * (docs/integrity.md, "Defaults from canister.conf"): its mode, the
	 * certificates it trusts ("" none) and whether the host's keys count.
	 */
	enum canister_appraise_mode integrity_appraise;
	char integrity_container_keys[CANISTER_CONFIG_PATH_MAX];
	bool integrity_host_keys;
	char integrity_dir[CANISTER_CONFIG_PATH_MAX]; /* <contid>/ lists beneath it */
	unsigned int integrity_deadline_ms;
	unsigned int integrity_ended_kept; /* ended containers' lists kept; 0: none */
	/* integrity_mmap_digest = canisterd: a mapping is hashed by canisterd, not the kernel's IMA
	 */
	bool integrity_mmap_canisterd_digest;
	bool integrity_fail_closed; /* a late measurement denies, rather than allows, the open */
	bool integrity_swtpm; /* integrity_tpm = swtpm: a swtpm per container, PCR 10 quoted */
	/* Per-container access policies (issue 14): <contid>.policy beneath it. */
	char access_dir[CANISTER_CONFIG_PATH_MAX];
	/*
	 * The access policy of a container that brings none ("" none), and the
	 * mode it is held in; a file that does not parse stops canisterd's start.
	 */
	char access_policy[CANISTER_CONFIG_PATH_MAX];
	enum canister_access_mode access_policy_mode;
	char model_dir[CANISTER_CONFIG_PATH_MAX]; /* behaviour models: <contid>/{model,mode} */
	unsigned int model_ended_grace; /* seconds an ended container's domain stays in memory */
	unsigned int model_ended_kept;	/* ended containers' domains in memory at most */
};

void canister_config_defaults(struct canister_config *ret_config);

/*
 * canister_config_parse() - parse configuration text on top of the defaults.
 * @source names the text in messages (usually the file's path).
 *
 * Each key may be given once, but audit_sink, once per container.  A sink's
 * log policy is the global one as the whole text sets it (a max_log_file line
 * may come after the sink lines), but for what its own line sets.
 *
 * Returns 0 and fills *ret_config, or -EINVAL and writes "SOURCE:LINE: reason"
 * to @err; *ret_config is untouched on error.
 */
int canister_config_parse(const char *text, size_t len, const char *source,
			  struct canister_config *ret_config, char *err, size_t err_len);

/*
 * canister_config_load() - read and parse a configuration file.
 *
 * The file is opened without following a final symlink and refused unless it
 * is a regular file owned by the caller's effective uid (root for canisterd)
 * and not writable by group or others: whoever can write it controls the daemon.
 *
 * Returns 0, or:
 *   -ENOENT  the file does not exist (the caller decides whether that is fine)
 *   -EPERM   unsafe ownership or permissions
 *   -EINVAL  a syntax or value error, or not a regular file (FIFOs are
 *            opened non-blocking so they are refused, not waited on)
 *   -EFBIG   larger than CANISTER_CONFIG_MAX_BYTES
 *   other    -errno from open/read
 * with a message in @err for every error but -ENOENT.
 */
int canister_config_load(const char *path, struct canister_config *ret_config, char *err,
			 size_t err_len);

/*
 * canister_config_restart_keys() - the keys that differ between @old and @new
 * but take effect only at restart, comma-separated in @buf ("" when none).
 */
void canister_config_restart_keys(const struct canister_config *old,
				  const struct canister_config *new_config, char *buf, size_t len);

const char *canister_mode_name(enum canister_mode mode);
const char *canister_log_level_name(enum canister_log_level level);
const char *canister_join_policy_name(int policy);
/* "off", "on" or "auto" ("?" when out of range). */
const char *canister_kernel_audit_name(enum canister_kernel_audit how);
/* The name `flush =` takes for @flush, lower case ("?" when out of range). */
const char *canister_audit_flush_name(enum canister_audit_flush flush);

#endif
