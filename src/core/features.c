// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: probes what the running kernel offers, for the mode decision and `canister status`. */
#include "core/features.h"

#include <errno.h>
#include <fcntl.h>
#include <libaudit.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LSM_LIST "/sys/kernel/security/lsm"

static const char *const feature_names[FEATURE_COUNT] = {
	[FEATURE_BPF_LSM] = "bpf_lsm",
	[FEATURE_TP_BTF] = "tp_btf",
	[FEATURE_IMA_FILE_HASH] = "ima_file_hash",
	[FEATURE_AUDIT_NETLINK] = "audit_netlink",
	[FEATURE_BPFFS] = "bpffs",
	[FEATURE_NS_TRACKING] = "ns_tracking",
	[FEATURE_PEER_PIDFD] = "peer_pidfd",
};

void features_init(struct canisterd *d)
{
	for (int i = 0; i < FEATURE_COUNT; i++) {
		d->features[i].name = feature_names[i];
		d->features[i].available = false;
		snprintf(d->features[i].detail, sizeof(d->features[i].detail), "not probed");
	}
}

void feature_set(struct canisterd *d, enum feature_id id, bool available, const char *fmt, ...)
{
	va_list ap;

	d->features[id].available = available;
	va_start(ap, fmt);
	vsnprintf(d->features[id].detail, sizeof(d->features[id].detail), fmt, ap);
	va_end(ap);
}

bool features_active_lsms(char *buf, size_t len)
{
	ssize_t got;
	int fd;

	fd = open(LSM_LIST, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(buf, len,
				 "active LSM list unreadable: securityfs is not mounted "
				 "at /sys/kernel/security");
		else
			snprintf(buf, len, "active LSM list unreadable: %s: %s", LSM_LIST,
				 strerror(errno));
		return false;
	}
	got = read(fd, buf, len - 1);
	close(fd);
	if (got < 0) {
		snprintf(buf, len, "active LSM list unreadable: %s: %s", LSM_LIST, strerror(errno));
		return false;
	}
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

void features_probe_audit(struct canisterd *d)
{
	struct audit_reply reply = { 0 };
	int fd, r;

	/* libaudit prints its own errors unless told not to; ours say more. */
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	fd = audit_open();
	if (fd < 0) {
		feature_set(d, FEATURE_AUDIT_NETLINK, false, "cannot open NETLINK_AUDIT: %s",
			    strerror(errno));
		return;
	}
	r = audit_request_status(fd);
	if (r <= 0) {
		feature_set(d, FEATURE_AUDIT_NETLINK, false, "AUDIT_GET refused: %s",
			    strerror(r < 0 ? -r : errno));
		goto out;
	}
	r = audit_get_reply(fd, &reply, GET_REPLY_BLOCKING, 0);
	if (r <= 0 || reply.type != AUDIT_GET || !reply.status) {
		feature_set(d, FEATURE_AUDIT_NETLINK, false, "no AUDIT_GET reply from the kernel");
		goto out;
	}
	feature_set(d, FEATURE_AUDIT_NETLINK, true,
		    "kernel audit answers: enabled=%u, audit daemon pid %u%s, backlog limit %u",
		    reply.status->enabled, reply.status->pid,
		    reply.status->pid ? "" : " (none registered)", reply.status->backlog_limit);
out:
	audit_close(fd);
}
