// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: owns the kernel audit stream (as auditd does) and writes it with CONTAINER_ID records.
 */
#include "daemon/kaudit.h"

#include "daemon/containers.h"
#include "daemon/events.h"
#include "daemon/log.h"
#include "daemon/mainloop.h"
#include "daemon/register.h"
#include "lib/audit_log.h"
#include "lib/audit_record.h"
#include "lib/audit_rules.h"
#include "lib/trusted_file.h"
#include "lib/kaudit_event.h"
#include "lib/pid_history.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <libaudit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long an exited process stays attributable, and how many are remembered. */
#define HISTORY_RETENTION_NS (60ULL * 1000000000ULL)
#define HISTORY_CAPACITY 65536

static struct {
	int fd;
	bool registered;
	bool enabled_by_us;
	struct canister_kaudit *grouper;
	struct canister_pid_history *history;
	struct canister_audit_log *log;
	struct canister_audit_rule *rules; /* loaded from audit_rules; deleted at close */
	size_t rule_count, rules_added;
	struct canisterd *d;
	uint64_t events, attributed, write_failures, filtered, overruns;
} ka = { .fd = -1 };

#define RULES_MAX_BYTES (1024 * 1024)

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A record's wall-clock stamp on the monotonic clock that BPF's exit times use. */
static uint64_t stamp_to_monotonic(const struct canister_record_stamp *stamp)
{
	uint64_t real = (uint64_t)stamp->sec * 1000000000ULL + stamp->msec * 1000000ULL;
	uint64_t now_real = clock_ns(CLOCK_REALTIME), now_mono = clock_ns(CLOCK_MONOTONIC);

	return now_mono - (now_real - real);
}

/*
 * The container @pid was in when the event happened.  Its past first: the
 * history answers only for events up to a life's exit, so an old event of a
 * reused pid is not given the new process's container; then its live label.
 */
static bool contid_at(uint64_t at, pid_t pid, uint64_t *ret)
{
	struct canister_label label;

	/*
	 * The stamp is cut to the millisecond: the event happened in [at, at +
	 * 1 ms), and a short-lived process may both start and exit inside it.
	 */
	if (canister_pid_history_lookup(ka.history, pid, at, ret) == 0 ||
	    canister_pid_history_lookup(ka.history, pid, at + 999999, ret) == 0)
		return true;
	if (register_lookup_label(ka.d, pid, &label) == 0 &&
	    label.contid != CANISTER_CONTID_UNSET) {
		*ret = label.contid;
		return true;
	}
	return false;
}

/* As auditd: netlink control, our own requests' replies and daemon messages are not events. */
static bool is_event(int type)
{
	return type >= AUDIT_USER && type != AUDIT_GET && type != AUDIT_LIST_RULES &&
	       !(type >= AUDIT_FIRST_DAEMON && type <= AUDIT_LAST_DAEMON);
}

static void write_line(const char *line, size_t len)
{
	if (canister_audit_log_write(ka.log, line, len) < 0)
		ka.write_failures++;
}

/*
 * A rule with a contid filter reaches the kernel without it; its events are
 * known by the rule's key, and kept only when the process of their SYSCALL
 * record passes the filter.
 */
/* Where each subject of one event was, resolved once so that filter and records agree. */
struct subject_place {
	bool known;
	uint64_t contid;
};

/*
 * A rule with a contid filter reaches the kernel without it; its events are
 * known by the rule's key, and kept only when the process of their SYSCALL
 * record passes the filter.
 */
static bool passes_contid_filters(const char *const *records, size_t record_count,
				  const struct canister_kaudit_subject *subjects,
				  const struct subject_place *places, size_t subject_count)
{
	const char *syscall_record = NULL;

	/* Only the syscall events the rules make; not, say, the CONFIG_CHANGE of adding one. */
	for (size_t i = 0; i < record_count && !syscall_record; i++)
		if (strncmp(records[i], "type=SYSCALL ", 13) == 0)
			syscall_record = records[i];
	if (!syscall_record)
		return true;
	for (size_t i = 0; i < ka.rule_count; i++) {
		const struct canister_audit_rule *rule = &ka.rules[i];
		uint64_t chain[CANISTER_NEST_LIMIT_MAX];
		char needle[AUDIT_MAX_KEY_LEN + 8];
		unsigned int depth = 0;

		if (rule->kind != CANISTER_RULE_KERNEL || rule->contid.kind == CONTID_ANY)
			continue;
		snprintf(needle, sizeof(needle), " key=\"%s\"", rule->key);
		if (!strstr(syscall_record, needle))
			continue;
		/* The process is the SYSCALL record's, not an OBJ_PID target's. */
		for (size_t j = 0; j < subject_count; j++)
			if (!subjects[j].target &&
			    strncmp(records[subjects[j].record - 1], "type=SYSCALL ", 13) == 0) {
				if (places[j].known)
					containers_chain(ka.d, places[j].contid, chain, &depth);
				break;
			}
		return canister_contid_filter_match(&rule->contid, chain, depth);
	}
	return true;
}

static void on_event(const struct canister_record_stamp *stamp, const char *const *records,
		     size_t record_count, const struct canister_kaudit_subject *subjects,
		     size_t subject_count, void *ctx)
{
	struct subject_place places[16] = { 0 };
	uint64_t at = stamp_to_monotonic(stamp);
	char line[CANISTER_RECORD_MAX + 16];

	/*
	 * Exits the kernel reported since the last look must be known before
	 * this event is attributed: its process may be one of them.
	 */
	events_drain(ka.d);
	if (subject_count > sizeof(places) / sizeof(places[0]))
		subject_count = sizeof(places) / sizeof(places[0]);
	for (size_t i = 0; i < subject_count; i++) {
		places[i].known = contid_at(at, subjects[i].pid, &places[i].contid);
		log_debug("kernel audit: event %" PRIu64 " record %u: pid %d %s%" PRIu64,
			  stamp->serial, subjects[i].record, (int)subjects[i].pid,
			  places[i].known ? "in container " : "in no container",
			  places[i].known ? places[i].contid : 0);
	}

	if (!passes_contid_filters(records, record_count, subjects, places, subject_count)) {
		ka.filtered++;
		return;
	}
	ka.events++;
	for (size_t i = 0; i < record_count; i++) {
		size_t len = strlen(records[i]);

		/* Kernel records can be long (PROCTITLE, EXECVE): written as they came. */
		if (canister_audit_log_write_text(ka.log, records[i], len) < 0)
			ka.write_failures++;
	}
	for (size_t i = 0; i < subject_count; i++) {
		uint64_t chain[CANISTER_NEST_LIMIT_MAX];
		unsigned int depth;
		int len;

		if (!places[i].known)
			continue;
		containers_chain(ka.d, places[i].contid, chain, &depth);
		len = canister_format_container_id_record(stamp, subjects[i].record, chain, depth,
							  line, sizeof(line));
		if (len < 0) {
			ka.write_failures++;
			continue;
		}
		write_line(line, (size_t)len);
		ka.attributed++;
	}
}

static void kaudit_ready(struct canisterd *d, struct loop_source *source)
{
	struct audit_reply reply;

	/* Exits still in the ring buffer must be known before their records are attributed. */
	events_drain(d);
	for (;;) {
		int r = audit_get_reply(ka.fd, &reply, GET_REPLY_NONBLOCKING, 0);

		if (r == -ENOBUFS) {
			/* The kernel outran us and dropped records on our socket: said, not hidden.
			 */
			ka.overruns++;
			log_error("kernel audit: records lost: canisterd's netlink socket "
				  "overflowed");
			continue;
		}
		if (r <= 0)
			break;
		if (!is_event(reply.type))
			continue;
		canister_kaudit_feed(ka.grouper, reply.type, reply.message, (size_t)reply.len);
	}
	canister_kaudit_age(ka.grouper);
}

static struct loop_source kaudit_source = { .ready = kaudit_ready };

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

/*
 * canisterd adds rules and takes them away again at stop; it does not delete
 * rules it did not add (-D) nor change kernel-wide settings (-e, -b, -f, -r),
 * which stay auditctl's.  A contid filter needs a key of plain characters, by
 * which its events are recognised.
 */
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
	r = canister_audit_rules_parse(text, len, path, &ka.rules, &ka.rule_count, why, why_len);
	free(text);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ka.rule_count; i++) {
		const struct canister_audit_rule *rule = &ka.rules[i];

		if (rule->kind != CANISTER_RULE_KERNEL) {
			snprintf(why, why_len,
				 "%s:%u: canisterd loads rules only; -D and kernel-wide settings "
				 "(-e, -b, -f, -r) stay auditctl's",
				 path, rule->line);
			return -EINVAL;
		}
		if (rule->contid.kind == CONTID_ANY)
			continue;
		if (!rule->key[0] || strpbrk(rule->key, "\"\x01 ")) {
			snprintf(why, why_len,
				 "%s:%u: a rule with a contid filter needs one -k key of plain "
				 "characters, by which its events are recognised",
				 path, rule->line);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(ka.rules[j].key, rule->key) == 0) {
				snprintf(why, why_len,
					 "%s:%u: key \"%s\" is also line %u's; a rule with a "
					 "contid filter needs a key of its own",
					 path, rule->line, rule->key, ka.rules[j].line);
				return -EINVAL;
			}
	}
	return 0;
}

static int add_rules(char *why, size_t why_len)
{
	for (size_t i = 0; i < ka.rule_count; i++) {
		struct canister_audit_rule *rule = &ka.rules[i];
		int flags = rule->list | (rule->prepend ? AUDIT_FILTER_PREPEND : 0);

		int r = audit_add_rule_data(ka.fd, rule->data, flags, rule->action);

		/*
		 * EEXIST: a canisterd killed before it could remove its rules left
		 * this one; it is adopted (and removed at stop) rather than refused,
		 * or a crash would keep canisterd from starting again.
		 */
		if (r <= 0 && r != -EEXIST) {
			snprintf(why, why_len, "%s:%u: the kernel refused the rule: %s",
				 ka.d->config.audit_rules, rule->line,
				 r < 0 ? strerror(-r) : "no answer");
			return -EINVAL;
		}
		ka.rules_added = i + 1;
	}
	return 0;
}

static void delete_rules(void)
{
	while (ka.rules_added > 0) {
		struct canister_audit_rule *rule = &ka.rules[--ka.rules_added];

		audit_delete_rule_data(ka.fd, rule->data, rule->list, rule->action);
	}
	canister_audit_rules_free(ka.rules, ka.rule_count);
	ka.rules = NULL;
	ka.rule_count = 0;
}

int kaudit_open(struct canisterd *d, char *why, size_t why_len)
{
	struct audit_status status;
	int r;

	if (!d->config.kernel_audit)
		return 0;
	ka.d = d;
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	ka.fd = audit_open();
	if (ka.fd < 0) {
		snprintf(why, why_len, "kernel_audit: cannot open NETLINK_AUDIT: %s",
			 strerror(errno));
		return -errno;
	}
	r = current_status(ka.fd, &status);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: the kernel does not answer AUDIT_GET");
		goto fail;
	}
	/* Never take the stream from a living audit daemon (auditd, or another canisterd). */
	if (status.pid && status.pid != (uint32_t)getpid() && kill((pid_t)status.pid, 0) == 0) {
		snprintf(why, why_len,
			 "kernel_audit: audit daemon pid %u already receives the kernel's records; "
			 "stop it or set kernel_audit = off",
			 status.pid);
		r = -EBUSY;
		goto fail;
	}
	if (d->config.audit_rules[0]) {
		r = read_rules(d->config.audit_rules, why, why_len);
		if (r < 0)
			goto fail;
	}
	r = canister_audit_log_open(d->config.host_log, &ka.log);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: cannot open %s: %s", d->config.host_log,
			 strerror(-r));
		goto fail;
	}
	r = canister_pid_history_new(HISTORY_CAPACITY, HISTORY_RETENTION_NS, &ka.history);
	if (r == 0)
		r = canister_kaudit_new(on_event, NULL, &ka.grouper);
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
		if (audit_set_enabled(ka.fd, 1) <= 0) {
			r = -EPERM;
			snprintf(why, why_len, "kernel_audit: cannot enable auditing");
			goto fail;
		}
		ka.enabled_by_us = true;
	}
	r = add_rules(why, why_len);
	if (r < 0)
		goto fail;
	r = loop_add(d, ka.fd, &kaudit_source);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", strerror(-r));
		goto fail;
	}
	if (ka.rule_count)
		log_info("kernel audit: %zu rules loaded from %s", ka.rule_count,
			 d->config.audit_rules);
	log_info("kernel audit: canisterd is the audit daemon; events go to %s%s",
		 d->config.host_log, ka.enabled_by_us ? " (auditing enabled by canisterd)" : "");
	return 0;
fail:
	kaudit_close(d);
	return r < 0 ? r : -EIO;
}

void kaudit_close(struct canisterd *d)
{
	if (ka.grouper) {
		/* Whatever was read is written before the stream is handed back. */
		canister_kaudit_flush(ka.grouper);
		canister_kaudit_free(ka.grouper);
		ka.grouper = NULL;
	}
	if (ka.fd >= 0)
		delete_rules();
	else
		canister_audit_rules_free(ka.rules, ka.rule_count);
	ka.rules = NULL;
	ka.rule_count = 0;
	if (ka.fd >= 0) {
		if (ka.enabled_by_us)
			audit_set_enabled(ka.fd, 0);
		if (ka.registered)
			audit_set_pid(ka.fd, 0, WAIT_NO);
		audit_close(ka.fd);
	}
	ka.fd = -1;
	ka.registered = ka.enabled_by_us = false;
	canister_pid_history_free(ka.history);
	ka.history = NULL;
	canister_audit_log_close(ka.log);
	ka.log = NULL;
}

void kaudit_process_started(struct canisterd *d, pid_t pid, uint64_t ktime_ns)
{
	if (ka.history)
		canister_pid_history_started(ka.history, pid, ktime_ns);
}

void kaudit_process_exited(struct canisterd *d, pid_t pid, uint64_t contid, uint64_t ktime_ns)
{
	if (!ka.history)
		return;
	canister_pid_history_exited(ka.history, pid, contid, ktime_ns);
	canister_pid_history_expire(ka.history, clock_ns(CLOCK_MONOTONIC));
}

bool kaudit_counters(uint64_t *ret_events, uint64_t *ret_attributed, uint64_t *ret_failures,
		     uint64_t *ret_filtered, uint64_t *ret_overruns)
{
	*ret_filtered = ka.filtered;
	*ret_overruns = ka.overruns;
	*ret_events = ka.events;
	*ret_attributed = ka.attributed;
	*ret_failures = ka.write_failures;
	return ka.registered;
}

void kaudit_tick(struct canisterd *d)
{
	/* auparse hands over events that end without EOE only once they are old enough. */
	if (ka.grouper)
		canister_kaudit_age(ka.grouper);
}
