// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: owns the kernel audit stream as auditd does; writes it with CONTAINER_ID records. */
#include "audit/stream.h"

#include "audit/attribute.h"
#include "audit/auditd_feed.h"
#include "audit/dispatch.h"
#include "audit/enrich.h"
#include "audit/grouper.h"
#include "audit/guardian.h"
#include "audit/host_rules.h"
#include "audit/kernel_rules.h"
#include "audit/netlink.h"
#include "audit/plugins.h"
#include "audit/sinks.h"
#include "audit/source.h"
#include "audit/stamps.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/records.h"
#include "identity/identity.h"
#include "lib/procfs.h"
#include "lib/queue.h"
#include "lib/trusted_file.h"
#include "lib/clock.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <libaudit.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RULES_MAX_BYTES (1024 * 1024)
#define KAUDIT_RCVBUF (16 * 1024 * 1024)
/* Batches read per wake-up before the loop serves anything else (control, ring buffer). */
#define BATCHES_PER_WAKEUP 16
/* How long a stop lets the sinks' and plugins' writers finish, once the stream is handed back. */
#define STOP_WAIT_MS 10000

/*
 * The pipeline, one pass per kernel message: the netlink reader hands each
 * message to the grouper, which keeps it, parsed once, in its event; a
 * complete event is attributed (which container each process it names was
 * in), enriched (a CONTAINER_ID record for each), and dispatched (host log,
 * plugins, sinks).  The host log is written once per batch read.
 */
static struct {
	int fd;
	int how; /* enum canister_audit_source */
	char how_reason[512];
	uint32_t auditd_pid; /* beside auditd: the daemon it was when canisterd started */
	bool registered;
	bool enabled_by_us;
	struct canisterd *d;
	struct netlink_reader *reader;
	struct audit_grouper *grouper;
	struct audit_host_rules host_rules;
	size_t rules_added;
	struct loop_source source;
	char node_prefix[80]; /* "node=NAME " before every record (name_format), "" for none */
	size_t node_prefix_len;
	struct audit_place *places; /* one per record of the event being attributed */
	size_t places_capacity;
	uint64_t attributed, enrich_failures;
	int64_t last_input_ms; /* wall clock of the last batch read, from either source */
} ka = { .fd = -1 };

static int64_t realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* As auditd: netlink control, our own requests' replies and daemon messages are not events. */
static bool is_event(int type)
{
	return type >= AUDIT_USER && type != AUDIT_GET && type != AUDIT_LIST_RULES &&
	       !(type >= AUDIT_FIRST_DAEMON && type <= AUDIT_LAST_DAEMON);
}

static int reserve_places(size_t count)
{
	struct audit_place *bigger;
	size_t capacity;

	if (count <= ka.places_capacity)
		return 0;
	capacity = ka.places_capacity ? ka.places_capacity : 16;
	while (capacity < count)
		capacity *= 2;
	bigger = realloc(ka.places, capacity * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	ka.places = bigger;
	ka.places_capacity = capacity;
	return 0;
}

static void on_event(struct audit_event *event, void *ctx)
{
	int added;

	stamps_kernel_seen((uint32_t)event->stamp.serial);
	if (reserve_places(event->count) == 0) {
		attribute_event(ka.d, event, ka.places);
		added = audit_enrich(event, ka.places, ka.node_prefix, ka.node_prefix_len);
		if (added < 0)
			ka.enrich_failures++;
		else
			ka.attributed += (uint64_t)added;
	} else {
		/* Written without its CONTAINER_ID records rather than not at all; counted. */
		ka.enrich_failures++;
	}
	dispatch_event(event);
}

static void on_message(int type, const char *text, size_t len, void *ctx)
{
	if (is_event(type))
		audit_grouper_feed(ka.grouper, type, text, len);
}

/*
 * Beside auditd, the same messages come from canister-audisp, auditd's
 * plugin: auditd's own DAEMON_* records are left out as the kernel's
 * replies are, so the host log has what it would have as the audit daemon.
 */
static void feed_message(int type, const char *text, size_t len)
{
	on_message(type, text, len, NULL);
}

/*
 * After a batch, events end by the stream's own time (the newest stamp read):
 * a canisterd more than AUDIT_GROUPER_TIMEOUT_MS behind (a loaded host, a
 * backlog in the socket or in canister-audisp) would otherwise end an event
 * by the wall clock between two reads of its records, and write one event as
 * two.  The wall clock ends events only once the stream has been quiet that
 * long (kaudit_tick()).
 */
static void batch_done(void)
{
	ka.last_input_ms = realtime_ms();
	audit_grouper_age(ka.grouper, 0);
	dispatch_flush();
}

static void feed_batch_done(void)
{
	batch_done();
}

static void kaudit_ready(struct canisterd *d, struct loop_source *source)
{
	/* Exits still in the ring buffer must be known before their records are attributed. */
	identity_catch_up(d);
	for (int batch = 0; batch < BATCHES_PER_WAKEUP; batch++) {
		int r = netlink_read(ka.reader, on_message, NULL);

		if (r < 0)
			log_warning("kernel audit: cannot read the audit socket: %s", strerror(-r));
		if (r < NETLINK_BATCH)
			break;
	}
	batch_done();
}

/*
 * Each rule added makes a CONFIG_CHANGE event without EOE (canisterd's own
 * syscalls are not audited), which would otherwise wait 2 s for its age.
 * They are read as soon as they come and handed over at once: the stream is
 * read until it has been quiet for 20 ms (at most 500 ms), then flushed.
 */
static void settle_rule_changes(void)
{
	struct pollfd pfd = { .fd = ka.fd, .events = POLLIN };
	uint64_t deadline = canister_monotonic_ns() + 500ULL * 1000000ULL;

	if (ka.fd < 0 || !ka.grouper)
		return;
	while (canister_monotonic_ns() < deadline && poll(&pfd, 1, 20) > 0)
		kaudit_ready(ka.d, &ka.source);
	audit_grouper_flush(ka.grouper);
	dispatch_flush();
}

static int current_status(int fd, struct audit_status *ret)
{
	struct audit_reply reply = { 0 };

	if (audit_request_status(fd) <= 0)
		return -EIO;
	for (int tries = 0; tries < 16; tries++) {
		if (audit_get_reply(fd, &reply, GET_REPLY_BLOCKING, 0) <= 0)
			return -EIO;
		if (reply.type == AUDIT_GET && reply.status) {
			*ret = *reply.status;
			return 0;
		}
	}
	return -EIO;
}

static uint32_t feed_audit_pid(void)
{
	struct audit_status status;

	return ka.fd >= 0 && current_status(ka.fd, &status) == 0 ? status.pid : 0;
}

/* canister-audisp dropped records (canisterd was away or slow): said in the host log. */
static void feed_lost(uint64_t records)
{
	struct canister_record_stamp stamp;
	char line[256];
	int len;

	log_warning("kernel audit: canister-audisp dropped %" PRIu64
		    " of auditd's records (canisterd was not taking them)",
		    records);
	stamps_next(&stamp);
	len = canister_format_lost_record(&stamp, 0, records, CANISTER_LOST_RELAY, line,
					  sizeof(line));
	if (len > 0)
		dispatch_own_record(ka.d, line, (size_t)len, CANISTER_CONTID_UNSET);
}

static const struct auditd_feed_ops feed_ops = {
	.message = feed_message,
	.lost = feed_lost,
	.batch_done = feed_batch_done,
	.audit_pid = feed_audit_pid,
};

static int read_rules(const char *path, char *why, size_t why_len)
{
	char *text;
	size_t len;
	int r;

	r = canister_read_trusted_file(path, RULES_MAX_BYTES, &text, &len, why, why_len);
	if (r < 0) {
		if (r == -ENOENT)
			snprintf(why, why_len, "%s: no such file", path);
		return r;
	}
	r = audit_host_rules_parse(text, len, path, &ka.host_rules, why, why_len);
	free(text);
	return r;
}

static void kaudit_own_record(const char *line, size_t len, uint64_t contid, void *ctx)
{
	dispatch_own_record(ka.d, line, len, contid);
}

static const struct records_subscriber own_records = { .record = kaudit_own_record };

void kaudit_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns)
{
	attribute_process_started(pid, ktime_ns);
}

void kaudit_process_exited(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns)
{
	attribute_process_exited(pid, contid, ktime_ns);
}

/* Whether @fd has something to read now (a starved reader's backlog). */
static bool input_waiting(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return fd >= 0 && poll(&pfd, 1, 0) > 0;
}

void kaudit_tick(struct canisterd *d)
{
	/*
	 * Events that end without EOE are handed over once they are old enough:
	 * by the wall clock when nothing came for AUDIT_GROUPER_TIMEOUT_MS (the
	 * last event of a quiet stream), by the stream's time otherwise.
	 */
	if (ka.grouper) {
		int64_t now = realtime_ms();
		bool waiting = input_waiting(ka.fd) || input_waiting(auditd_feed_conn_fd());

		audit_grouper_age(ka.grouper,
				  audit_stream_quiet(now, ka.last_input_ms, waiting) ? now : 0);
		dispatch_flush();
	}
	sinks_tick();
}

static int node_name(struct canisterd *d, char *why, size_t why_len)
{
	char name[HOST_NAME_MAX + 1];

	ka.node_prefix_len = 0;
	if (d->config.name_format == CANISTER_NAME_FORMAT_NONE)
		return 0;
	if (d->config.name_format == CANISTER_NAME_FORMAT_USER) {
		snprintf(name, sizeof(name), "%s", d->config.node_name);
	} else if (gethostname(name, sizeof(name)) < 0 || !name[0] || strpbrk(name, " \"'=")) {
		snprintf(why, why_len, "name_format = hostname: no usable host name");
		return -EINVAL;
	}
	ka.node_prefix_len =
		(size_t)snprintf(ka.node_prefix, sizeof(ka.node_prefix), "node=%s ", name);
	if (ka.node_prefix_len >= sizeof(ka.node_prefix)) {
		snprintf(why, why_len, "name_format: the node name is too long");
		return -EINVAL;
	}
	return 0;
}

/* What every event goes through, wherever it comes from: grouped, attributed, dispatched. */
static int open_pipeline(struct canisterd *d, char *why, size_t why_len)
{
	int r = node_name(d, why, why_len);

	if (r == 0)
		r = dispatch_open(d, &ka.host_rules, ka.node_prefix, why, why_len);
	if (r < 0)
		return r;
	r = attribute_open(d);
	if (r == 0)
		r = audit_grouper_new(on_event, NULL, ka.node_prefix, &ka.grouper);
	if (r < 0)
		snprintf(why, why_len, "kernel_audit: %s", strerror(-r));
	return r;
}

/* Once events flow: canister's own records join them; plugins and sinks take them. */
static int open_consumers(struct canisterd *d, char *why, size_t why_len)
{
	int r;

	records_set_stamper(stamps_next);
	r = records_subscribe(&own_records);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", strerror(-r));
		return r;
	}
	r = plugins_open(d, d->config.plugin_dir, why, why_len);
	if (r == 0)
		r = sinks_open(d, why, why_len);
	return r;
}

static int choose_source(const struct audit_status *status, char *why, size_t why_len)
{
	bool alive = status->pid && kill((pid_t)status->pid, 0) == 0;
	char comm[64] = "", path[64];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "/proc/%u/comm", status->pid);
	if (alive && (f = fopen(path, "re"))) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	r = kaudit_source_choose(ka.d->config.kernel_audit, status->pid, alive, comm, getpid(),
				 ka.how_reason, sizeof(ka.how_reason));
	if (r < 0) {
		snprintf(why, why_len, "%s", ka.how_reason);
		return r;
	}
	ka.how = r;
	ka.auditd_pid = r == CANISTER_AUDIT_SOURCE_AUDITD ? status->pid : 0;
	return 0;
}

/*
 * Beside auditd: the kernel's stream, its rules and its enabled flag stay
 * auditd's; nothing is registered and no guardian is needed.  Events come
 * from canister-audisp, and go through the same grouper, attribution,
 * enrichment and dispatch as the stream's.
 */
static int open_beside_auditd(struct canisterd *d, const struct audit_status *status, char *why,
			      size_t why_len)
{
	int r;

	if (d->config.audit_rules[0])
		log_warning("kernel audit: audit_rules (%s) is not loaded beside auditd (pid %u): "
			    "the kernel's rules are auditd's; add them to auditd's rules",
			    d->config.audit_rules, status->pid);
	if (!status->enabled)
		log_warning("kernel audit: auditing is disabled (auditctl -e 0): the kernel sends "
			    "auditd nothing to relay; canisterd leaves that setting to auditd");
	r = open_pipeline(d, why, why_len);
	if (r == 0)
		r = auditd_feed_open(d, d->config.auditd_plugin_socket, &feed_ops, why, why_len);
	if (r == 0)
		r = open_consumers(d, why, why_len);
	if (r < 0)
		goto fail;
	log_info("kernel audit: beside auditd (pid %u): events come through its plugin "
		 "canister-audisp on %s and go to %s",
		 status->pid, d->config.auditd_plugin_socket, d->config.host_log);
	return 0;
fail:
	kaudit_close(d);
	return r < 0 ? r : -EIO;
}

int kaudit_open(struct canisterd *d, char *why, size_t why_len)
{
	struct audit_status status;
	char detail[512];
	int r;

	ka.d = d;
	ka.how = CANISTER_AUDIT_SOURCE_OFF;
	if (!d->config.kernel_audit)
		return 0;
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	ka.fd = audit_open();
	if (ka.fd < 0) {
		snprintf(why, why_len, "kernel_audit: cannot open NETLINK_AUDIT: %s",
			 strerror(errno));
		return -errno;
	}
	/*
	 * The kernel holds records back (up to its backlog) while this socket is
	 * full, and drops what it cannot send: room here absorbs bursts that
	 * arrive while canisterd writes.
	 */
	if (setsockopt(ka.fd, SOL_SOCKET, SO_RCVBUFFORCE, &(int){ KAUDIT_RCVBUF }, sizeof(int)) < 0)
		log_warning("kernel audit: cannot enlarge the socket's buffer: %s",
			    strerror(errno));
	r = current_status(ka.fd, &status);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: the kernel does not answer AUDIT_GET");
		goto fail;
	}
	/* Never take the stream from a living audit daemon (auditd, or another canisterd). */
	r = choose_source(&status, why, why_len);
	if (r < 0)
		goto fail;
	if (ka.how == CANISTER_AUDIT_SOURCE_AUDITD)
		return open_beside_auditd(d, &status, why, why_len);
	/*
	 * The guardian undoes what this canisterd changes should it be killed; a
	 * killed one's guardian may have changed the status meanwhile: read again.
	 */
	if (guardian_arm(d->foreground ? NULL : d->config.log_file, detail, sizeof(detail)) < 0)
		log_warning("%s: a kill -9 of canisterd leaves its audit rules and enabled flag",
			    detail);
	r = current_status(ka.fd, &status);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: the kernel does not answer AUDIT_GET");
		goto fail;
	}
	if (d->config.audit_rules[0]) {
		r = read_rules(d->config.audit_rules, why, why_len);
		if (r < 0)
			goto fail;
	}
	r = open_pipeline(d, why, why_len);
	if (r < 0)
		goto fail;
	r = netlink_reader_new(ka.fd, &ka.reader);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", strerror(-r));
		goto fail;
	}
	if (audit_set_pid(ka.fd, (uint32_t)getpid(), WAIT_YES) <= 0) {
		r = -EPERM;
		snprintf(why, why_len,
			 "kernel_audit: the kernel refused canisterd as audit daemon");
		goto fail;
	}
	ka.registered = true;
	if (!status.enabled) {
		guardian_enabled();
		if (audit_set_enabled(ka.fd, 1) <= 0) {
			r = -EPERM;
			snprintf(why, why_len, "kernel_audit: cannot enable auditing");
			goto fail;
		}
		ka.enabled_by_us = true;
	}
	r = kernel_rules_attach(ka.host_rules.rules, ka.host_rules.count, settle_rule_changes);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: cannot open NETLINK_AUDIT: %s", strerror(-r));
		goto fail;
	}
	r = kernel_rules_add(ka.host_rules.rules, ka.host_rules.count, &ka.rules_added, detail,
			     sizeof(detail));
	if (r < 0) {
		snprintf(why, why_len, "%s:%s", d->config.audit_rules, detail + strlen("line "));
		goto fail;
	}
	ka.source.ready = kaudit_ready;
	r = loop_add(d, ka.fd, &ka.source);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", strerror(-r));
		goto fail;
	}
	if (ka.host_rules.count)
		log_info("kernel audit: %zu rules loaded from %s", ka.host_rules.count,
			 d->config.audit_rules);
	r = open_consumers(d, why, why_len);
	if (r < 0)
		goto fail;
	log_info("kernel audit: canisterd is the audit daemon; events go to %s%s",
		 d->config.host_log, ka.enabled_by_us ? " (auditing enabled by canisterd)" : "");
	return 0;
fail:
	kaudit_close(d);
	return r < 0 ? r : -EIO;
}

void kaudit_close(struct canisterd *d)
{
	uint64_t lost, deadline;

	/* What canister-audisp already sent is read before the grouper is flushed. */
	auditd_feed_close(d);
	if (ka.grouper) {
		/* Whatever was read is written before the stream is handed back. */
		if (ka.fd >= 0 && ka.reader)
			kaudit_ready(d, &ka.source);
		audit_grouper_flush(ka.grouper);
		dispatch_flush();
		audit_grouper_free(ka.grouper);
		ka.grouper = NULL;
	}
	if (ka.fd >= 0)
		loop_remove(d, ka.fd);
	records_unsubscribe(&own_records);
	records_set_stamper(NULL);
	/*
	 * Nothing on the way out waits for a writer while the stream is ours:
	 * the sinks take their rules away and close their queues, the plugins
	 * close theirs; they write what they hold on their own threads.
	 */
	sinks_stop();
	plugins_stop();
	if (ka.fd >= 0)
		kernel_rules_delete(ka.host_rules.rules, ka.rules_added);
	ka.rules_added = 0;
	kernel_rules_detach();
	audit_host_rules_free(&ka.host_rules);
	if (ka.fd >= 0) {
		if (ka.enabled_by_us)
			audit_set_enabled(ka.fd, 0);
		if (ka.registered)
			audit_set_pid(ka.fd, 0, WAIT_NO);
		audit_close(ka.fd);
	}
	/* Everything it was told of is restored: it exits without undoing. */
	guardian_disarm();
	ka.fd = -1;
	ka.registered = ka.enabled_by_us = false;
	ka.auditd_pid = 0;
	/* The stream is the kernel's again; now the writers get a bounded while to finish. */
	deadline = canister_queue_now_ms() + STOP_WAIT_MS;
	lost = sinks_wait(deadline) + plugins_wait(deadline);
	if (lost)
		log_error("kernel audit: %" PRIu64 " events queued for sinks or plugins were not "
			  "written by the stop's deadline (%d s)",
			  lost, STOP_WAIT_MS / 1000);
	netlink_reader_free(ka.reader);
	ka.reader = NULL;
	attribute_close();
	dispatch_close();
	free(ka.places);
	ka.places = NULL;
	ka.places_capacity = 0;
}

int kaudit_rotate_host_log(void)
{
	return dispatch_rotate_host_log();
}

/*
 * The kernel's own lost counter, asked on a socket of its own: the replies
 * to a request on the stream's socket would come among the events.
 */
static bool kernel_status(struct audit_status *ret)
{
	int fd = audit_open();
	bool ok;

	if (fd < 0)
		return false;
	ok = current_status(fd, ret) == 0;
	audit_close(fd);
	return ok;
}

static uint64_t kernel_lost(void)
{
	struct audit_status status;

	return kernel_status(&status) ? status.lost : 0;
}

bool kaudit_active(void)
{
	return ka.grouper != NULL;
}

void kaudit_source(struct kaudit_source_info *ret)
{
	struct audit_status status;

	*ret = (struct kaudit_source_info){ .how = ka.how };
	snprintf(ret->reason, sizeof(ret->reason), "%s",
		 ka.how == CANISTER_AUDIT_SOURCE_OFF ? "kernel_audit = off" : ka.how_reason);
	if (ka.how != CANISTER_AUDIT_SOURCE_AUDITD)
		return;
	auditd_feed_counters(&ret->feed);
	ret->auditd_pid = ka.auditd_pid;
	/* auditd may have been restarted (a new pid) or stopped since canisterd started. */
	if (kernel_status(&status)) {
		if (status.pid && kill((pid_t)status.pid, 0) == 0)
			ret->auditd_pid = status.pid;
		else
			ret->auditd_gone = true;
	}
}

bool kaudit_counters(struct kaudit_counters *ret)
{
	struct dispatch_counters out;
	struct audit_grouper_stats grouped = { 0 };
	struct netlink_counters read = { 0 };

	dispatch_counters(&out);
	if (ka.grouper)
		audit_grouper_stats(ka.grouper, &grouped);
	if (ka.reader)
		netlink_counters(ka.reader, &read);
	*ret = (struct kaudit_counters){
		.events = out.events,
		.attributed = ka.attributed,
		.write_failures = out.write_failures + ka.enrich_failures,
		.filtered = out.filtered,
		.sink_only = out.sink_only,
		.overruns = read.overruns,
		.truncated = read.truncated,
		.refused = grouped.refused,
		.no_memory = grouped.no_memory,
		.forced = grouped.forced,
		.disk_full_lost = out.disk_full_lost,
		.rotations = out.rotations,
		.rotation_failures = out.rotation_failures,
		.kernel_lost = kernel_lost(),
	};
	return ka.registered;
}
