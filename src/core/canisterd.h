/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the core's state (config, mode, features, main loop); capabilities keep their own. */
#ifndef CANISTERD_CANISTERD_H
#define CANISTERD_CANISTERD_H

#include "lib/config.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "version.h" /* CANISTER_VERSION, from the VERSION file */

enum feature_id {
	FEATURE_BPF_LSM,
	FEATURE_TP_BTF,
	FEATURE_IMA_FILE_HASH,
	FEATURE_AUDIT_NETLINK,
	FEATURE_BPFFS,
	FEATURE_NS_TRACKING,
	FEATURE_PEER_PIDFD,
	FEATURE_COUNT,
};

struct feature {
	const char *name; /* as shown by `canister status` and its JSON */
	bool available;
	char detail[512];
};

enum daemon_mode {
	DAEMON_MODE_TRACE,
	DAEMON_MODE_LSM,
};

struct canisterd {
	struct canister_config config;
	char config_path[CANISTER_CONFIG_PATH_MAX];
	bool config_present;
	char pending_restart[1024]; /* keys changed by a reload that need a restart */
	bool foreground;

	pid_t pid;
	struct timespec started_monotonic;
	time_t started_realtime;

	enum daemon_mode mode;
	char mode_reason[512];
	struct feature features[FEATURE_COUNT];

	uint32_t host_pid_ns; /* canisterd's own: a container sharing them is not joined by setns */
	uint32_t host_mnt_ns;

	int epoll_fd;
	int signal_fd;
	int listen_fd;
	bool stopping;
};

static inline const char *daemon_mode_name(enum daemon_mode mode)
{
	return mode == DAEMON_MODE_LSM ? "lsm" : "trace";
}

#endif
