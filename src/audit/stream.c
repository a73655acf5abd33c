// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: owns the kernel audit stream (as auditd does) and writes it with CONTAINER_ID records.
 */
#include "audit/stream.h"

#include "audit/guardian.h"
#include "audit/kernel_rules.h"
#include "audit/output.h"
#include "audit/plugins.h"
#include "audit/sinks.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/records.h"
#include "identity/identity.h"
#include "audit/stamps.h"
#include "lib/audit_log.h"
#include "lib/audit_record.h"
#include "audit/route.h"
#include "audit/rules.h"
#include "lib/trusted_file.h"
#include "audit/grouper.h"
#include "audit/pid_history.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <libaudit.h>
#include <limits.h>
#include <poll.h>
#include <search.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
	struct audit_output host;
	bool host_open;
	struct canister_audit_rule *rules; /* loaded from audit_rules; deleted at close */
	size_t rule_count, rules_added;
	/* The rules with a contid filter, by key: one lookup per event however many there are. */
	struct hsearch_data filtered_keys;
	bool filtered_keys_made;
	struct canisterd *d;
	uint64_t events, attributed, write_failures, filtered, overruns, sink_only;
	/* "node=NAME " before every record (name_format), "" for none; and room for the copies. */
	char node_prefix[80];
	size_t node_prefix_len;
	char *prefixed;
	size_t prefixed_cap;
} ka = { .fd = -1 };

#define RULES_MAX_BYTES (1024 * 1024)
#define KAUDIT_RCVBUF (16 * 1024 * 1024)

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
	if (identity_label(pid, &label) == 0 && label.contid != CANISTER_CONTID_UNSET) {
		*ret = label.contid;
		return true;
	}
	/*
	 * Neither: the process may have exited just now, its label deleted and
	 * its exit record submitted after the ring buffer was last read.
	 */
	identity_catch_up(ka.d);
	return canister_pid_history_lookup(ka.history, pid, at, ret) == 0 ||
	       canister_pid_history_lookup(ka.history, pid, at + 999999, ret) == 0;
}

/* As auditd: netlink control, our own requests' replies and daemon messages are not events. */
static bool is_event(int type)
{
	return type >= AUDIT_USER && type != AUDIT_GET && type != AUDIT_LIST_RULES &&
	       !(type >= AUDIT_FIRST_DAEMON && type <= AUDIT_LAST_DAEMON);
}

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
static bool passes_contid_filters(const struct canister_syscall_facts *facts, const uint64_t *chain,
				  unsigned int depth)
{
	ENTRY query = { .key = (char *)facts->key }, *found = NULL;

	if (!facts->present || !facts->key[0] || !ka.filtered_keys_made)
		return true;
	if (!hsearch_r(query, FIND, &found, &ka.filtered_keys) || !found)
		return true;
	return canister_contid_filter_match(&ka.rules[(size_t)found->data].contid, chain, depth);
}

/* The process that acted: the SYSCALL record's (or the event's first), not a kill target. */
static int acting_subject(const char *const *records,
			  const struct canister_kaudit_subject *subjects, size_t subject_count)
{
	for (size_t i = 0; i < subject_count; i++)
		if (!subjects[i].target &&
		    strncmp(records[subjects[i].record - 1], "type=SYSCALL ", 13) == 0)
			return (int)i;
	for (size_t i = 0; i < subject_count; i++)
		if (!subjects[i].target)
			return (int)i;
	return -1;
}

#define EVENT_RECORDS_MAX 256

/*
 * As auditd with name_format: node=NAME before each record, in every log and
 * for the plugins.  @records and @lens are changed to point at the copies.
 */
static int add_node(const char **records, size_t *lens, size_t count)
{
	size_t need = 0, at = 0;

	if (!ka.node_prefix_len)
		return 0;
	for (size_t i = 0; i < count; i++)
		need += ka.node_prefix_len + lens[i];
	if (need > ka.prefixed_cap) {
		char *bigger = realloc(ka.prefixed, need);

		if (!bigger)
			return -ENOMEM;
		ka.prefixed = bigger;
		ka.prefixed_cap = need;
	}
	for (size_t i = 0; i < count; i++) {
		char *copy = ka.prefixed + at;

		memcpy(copy, ka.node_prefix, ka.node_prefix_len);
		memcpy(copy + ka.node_prefix_len, records[i], lens[i]);
		records[i] = copy;
		lens[i] += ka.node_prefix_len;
		at += lens[i];
	}
	return 0;
}

static void on_event(const struct canister_record_stamp *stamp, const char *const *records,
		     size_t record_count, const struct canister_kaudit_subject *subjects,
		     size_t subject_count, void *ctx)
{
	static char id_lines[16][CANISTER_RECORD_MAX + 16];
	const char *all[EVENT_RECORDS_MAX];
	size_t lens[EVENT_RECORDS_MAX], count = 0;
	struct subject_place places[16] = { 0 };
	uint64_t at = stamp_to_monotonic(stamp);
	uint64_t chain[CANISTER_NEST_LIMIT_MAX], owner = 0;
	unsigned int depth = 0;
	struct canister_syscall_facts facts;
	struct audit_event_view view;
	struct canister_route route;
	bool owned, to_host;
	int actor;

	stamps_kernel_seen((uint32_t)stamp->serial);
	/*
	 * Exits the kernel reported since the last look must be known before
	 * this event is attributed: its process may be one of them.
	 */
	identity_catch_up(ka.d);
	if (subject_count > sizeof(places) / sizeof(places[0]))
		subject_count = sizeof(places) / sizeof(places[0]);
	for (size_t i = 0; i < subject_count; i++) {
		places[i].known = contid_at(at, subjects[i].pid, &places[i].contid);
		if (places[i].known)
			log_debug("kernel audit: event %" PRIu64 " record %u: pid %d in container "
				  "%" PRIu64,
				  stamp->serial, subjects[i].record, (int)subjects[i].pid,
				  places[i].contid);
		else
			log_debug("kernel audit: event %" PRIu64
				  " record %u: pid %d in no container",
				  stamp->serial, subjects[i].record, (int)subjects[i].pid);
	}
	actor = acting_subject(records, subjects, subject_count);
	if (actor >= 0 && places[actor].known)
		identity_chain(ka.d, places[actor].contid, chain, &depth);

	/* The kernel's records as they came, then a CONTAINER_ID for each placed subject. */
	for (size_t i = 0; i < record_count && count < EVENT_RECORDS_MAX - 16; i++) {
		all[count] = records[i];
		lens[count++] = strlen(records[i]);
	}
	for (size_t i = 0; i < subject_count; i++) {
		uint64_t subject_chain[CANISTER_NEST_LIMIT_MAX];
		unsigned int subject_depth;
		int len;

		if (!places[i].known)
			continue;
		identity_chain(ka.d, places[i].contid, subject_chain, &subject_depth);
		len = canister_format_container_id_record(stamp, subjects[i].record, subject_chain,
							  subject_depth, id_lines[i],
							  sizeof(id_lines[i]));
		if (len < 0) {
			ka.write_failures++;
			continue;
		}
		all[count] = id_lines[i];
		lens[count++] = (size_t)len - 1; /* without its newline, as the kernel's */
		ka.attributed++;
	}
	canister_syscall_facts_read(records, record_count, &facts);
	if (add_node(all, lens, count) < 0) {
		ka.write_failures++;
		return;
	}
	view = (struct audit_event_view){ all, lens, count };

	/* An event a sink's own rule caused is that sink's alone: the host never asked for it. */
	owned = sinks_key_owner(facts.key, &owner);
	to_host = !owned && passes_contid_filters(&facts, chain, depth);
	if (to_host) {
		ka.events++;
		if (audit_output_event(&ka.host, &view) < 0)
			ka.write_failures++;
		plugins_event(all, lens, count);
	} else if (owned) {
		ka.sink_only++;
	} else {
		ka.filtered++;
	}
	route = (struct canister_route){
		.chain = chain,
		.depth = depth,
		.facts = &facts,
		.owned = owned,
		.owner = owner,
	};
	sinks_route(&view, &route);
}

static void kaudit_own_record(const char *line, size_t len, uint64_t contid, void *ctx)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	unsigned int depth = 0;
	struct audit_event_view view = { &line, &len, 1 };
	struct canister_syscall_facts none = { 0 };
	struct canister_route route = { .chain = chain, .facts = &none };

	if (!ka.host_open)
		return;
	if (len && line[len - 1] == '\n')
		len--;
	if (add_node(&line, &len, 1) < 0) {
		ka.write_failures++;
		return;
	}
	if (audit_output_event(&ka.host, &view) < 0)
		ka.write_failures++;
	plugins_event(&line, &len, 1);
	if (contid != CANISTER_CONTID_UNSET) {
		identity_chain(ka.d, contid, chain, &depth);
		if (depth == 0) {
			/* Dropped already: the sink of that very container still hears of it. */
			chain[0] = contid;
			depth = 1;
		}
		route.depth = depth;
		sinks_route(&view, &route);
	}
}

static void kaudit_ready(struct canisterd *d, struct loop_source *source)
{
	struct audit_reply reply;

	/* Exits still in the ring buffer must be known before their records are attributed. */
	identity_catch_up(d);
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

/*
 * Each rule added makes a CONFIG_CHANGE event, which has no EOE: libauparse
 * holds it until it ages (2 s), and every event after it behind it, so that a
 * storm arriving meanwhile piles up and is grouped at quadratic cost (with
 * 100 rules, 25 times the CPU per event, and the socket overflowed).  They
 * are read as soon as they come and handed over at once.  What the flush
 * hands over besides is complete unless its last records were still on
 * their way; it is read until the stream has been quiet for 20 ms (at most
 * 500 ms), which makes that unlikely.
 */
static void settle_rule_changes(void)
{
	struct pollfd pfd = { .fd = ka.fd, .events = POLLIN };
	uint64_t deadline = clock_ns(CLOCK_MONOTONIC) + 500ULL * 1000000ULL;

	if (ka.fd < 0 || !ka.grouper)
		return;
	while (clock_ns(CLOCK_MONOTONIC) < deadline && poll(&pfd, 1, 20) > 0)
		kaudit_ready(ka.d, &kaudit_source);
	canister_kaudit_flush(ka.grouper);
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

/*
 * canisterd adds rules and takes them away again at stop; it does not delete
 * rules it did not add (-D) nor change kernel-wide settings (-e, -b, -f, -r),
 * which stay auditctl's.  A contid filter needs a key of plain characters, by
 * which its events are recognised.
 */
static int index_filtered_keys(char *why, size_t why_len)
{
	if (!hcreate_r(ka.rule_count * 2 + 1, &ka.filtered_keys)) {
		snprintf(why, why_len, "kernel_audit: %s", strerror(errno));
		return -errno;
	}
	ka.filtered_keys_made = true;
	for (size_t i = 0; i < ka.rule_count; i++) {
		ENTRY entry = { .key = ka.rules[i].key, .data = (void *)i }, *added;

		if (ka.rules[i].contid.kind == CONTID_ANY)
			continue;
		if (!hsearch_r(entry, ENTER, &added, &ka.filtered_keys)) {
			snprintf(why, why_len, "kernel_audit: %s", strerror(errno));
			return -errno;
		}
	}
	return 0;
}

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
		for (size_t j = 0; j < ka.rule_count; j++)
			if (j != i && canister_audit_rules_select_alike(&ka.rules[j], rule)) {
				const struct canister_audit_rule *first =
					j < i ? &ka.rules[j] : rule;
				const struct canister_audit_rule *later =
					j < i ? rule : &ka.rules[j];

				snprintf(why, why_len,
					 "%s:%u: selects the same events as line %u, and the "
					 "kernel reports them under line %u's key only: a contid "
					 "filter on either would decide for both; make the rules "
					 "differ in a field",
					 path, later->line, first->line, first->line);
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
	return index_filtered_keys(why, why_len);
}

static void delete_rules(void)
{
	kernel_rules_delete(ka.rules, ka.rules_added);
	ka.rules_added = 0;
	canister_audit_rules_free(ka.rules, ka.rule_count);
	ka.rules = NULL;
	ka.rule_count = 0;
}

static const struct records_subscriber own_records = { .record = kaudit_own_record };

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

void kaudit_tick(struct canisterd *d)
{
	/* auparse hands over events that end without EOE only once they are old enough. */
	if (ka.grouper)
		canister_kaudit_age(ka.grouper);
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

int kaudit_open(struct canisterd *d, char *why, size_t why_len)
{
	struct audit_status status;
	char detail[512];
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
	if (status.pid && status.pid != (uint32_t)getpid() && kill((pid_t)status.pid, 0) == 0) {
		snprintf(why, why_len,
			 "kernel_audit: audit daemon pid %u already receives the kernel's records; "
			 "stop it or set kernel_audit = off",
			 status.pid);
		r = -EBUSY;
		goto fail;
	}
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
	r = audit_output_open(&ka.host, d->config.host_log, d->config.host_log_format,
			      &d->config.log_policy, 0, detail, sizeof(detail));
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", detail);
		goto fail;
	}
	ka.host_open = true;
	r = node_name(d, why, why_len);
	if (r < 0)
		goto fail;
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
		guardian_enabled();
		if (audit_set_enabled(ka.fd, 1) <= 0) {
			r = -EPERM;
			snprintf(why, why_len, "kernel_audit: cannot enable auditing");
			goto fail;
		}
		ka.enabled_by_us = true;
	}
	r = kernel_rules_attach(ka.rules, ka.rule_count, settle_rule_changes);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: cannot open NETLINK_AUDIT: %s", strerror(-r));
		goto fail;
	}
	r = kernel_rules_add(ka.rules, ka.rule_count, &ka.rules_added, detail, sizeof(detail));
	if (r < 0) {
		snprintf(why, why_len, "%s:%s", d->config.audit_rules, detail + strlen("line "));
		goto fail;
	}
	r = loop_add(d, ka.fd, &kaudit_source);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", strerror(-r));
		goto fail;
	}
	if (ka.rule_count)
		log_info("kernel audit: %zu rules loaded from %s", ka.rule_count,
			 d->config.audit_rules);
	records_set_stamper(stamps_next);
	r = records_subscribe(&own_records);
	if (r < 0) {
		snprintf(why, why_len, "kernel_audit: %s", strerror(-r));
		goto fail;
	}
	r = plugins_open(d, d->config.plugin_dir, why, why_len);
	if (r == 0)
		r = sinks_open(d, why, why_len);
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
	if (ka.grouper) {
		/* Whatever was read is written before the stream is handed back. */
		canister_kaudit_flush(ka.grouper);
		canister_kaudit_free(ka.grouper);
		ka.grouper = NULL;
	}
	records_unsubscribe(&own_records);
	records_set_stamper(NULL);
	/* The sinks write what they queued and take their rules away while the stream is ours. */
	sinks_close(d);
	plugins_close(d);
	if (ka.fd >= 0)
		delete_rules();
	else
		canister_audit_rules_free(ka.rules, ka.rule_count);
	kernel_rules_detach();
	ka.rules = NULL;
	ka.rule_count = 0;
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
	canister_pid_history_free(ka.history);
	ka.history = NULL;
	if (ka.host_open)
		audit_output_close(&ka.host);
	ka.host_open = false;
	if (ka.filtered_keys_made)
		hdestroy_r(&ka.filtered_keys);
	ka.filtered_keys_made = false;
	free(ka.prefixed);
	ka.prefixed = NULL;
	ka.prefixed_cap = 0;
}

int kaudit_rotate_host_log(void)
{
	return ka.host_open ? audit_output_rotate(&ka.host) : -ENOENT;
}

bool kaudit_counters(struct kaudit_counters *ret)
{
	*ret = (struct kaudit_counters){
		.events = ka.events,
		.attributed = ka.attributed,
		.write_failures = ka.write_failures,
		.filtered = ka.filtered,
		.sink_only = ka.sink_only,
		.overruns = ka.overruns,
		.disk_full_lost = ka.host_open ? ka.host.disk_full_lost : 0,
	};
	if (ka.host_open)
		audit_output_rotations(&ka.host, &ret->rotations, &ret->rotation_failures);
	return ka.registered;
}
