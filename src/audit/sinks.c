// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: per-container audit sinks, each with its own rules, bounded queue, log and readers. */
#include "audit/sinks.h"

#include "audit/kernel_rules.h"
#include "audit/stream.h"
#include "audit/queued_event.h"
#include "audit/route.h"
#include "audit/rules.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/peer.h"
#include "identity/identity.h"
#include "lib/mkdir.h"
#include "lib/queue.h"
#include "lib/trusted_file.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SINK_READERS_MAX 16
#define SINK_RULES_MAX_BYTES (256 * 1024)
/* sinks_wait(): after the deadline, the writers' time to count what is left and end. */
#define AFTER_DEADLINE_MS 1000

/* A follower of the sink's socket, fed by the writer without ever waiting for it. */
struct reader {
	int fd;
	char *pending; /* what its socket has not taken yet: pending[pending_at, pending_len) */
	size_t pending_at, pending_len, pending_cap;
	uint64_t stalled_since_ms; /* its socket last took nothing then (CLOCK_MONOTONIC); 0: all */
};

struct sink {
	struct loop_source listen_source; /* first: the loop hands it back */
	struct canisterd *d;
	struct canister_sink_config config;
	struct canister_audit_rule *rules;
	size_t rule_count, rules_added;
	int listen_fd;
	struct canister_queue *queue; /* closed once the sink is removed or stopped */
	pthread_t writer;
	bool writer_started;
	struct sink *next_retired;

	/* The writer's own. */
	struct audit_output out;
	struct reader readers[SINK_READERS_MAX];
	size_t reader_count;

	/* Readers the main thread accepted, not yet taken by the writer. */
	pthread_mutex_t incoming_lock;
	int incoming[SINK_READERS_MAX];
	size_t incoming_count;

	/* Written by one thread, read by others. */
	atomic_size_t readers_now;	   /* accepted and not yet let go */
	atomic_uint_fast64_t deadline_ms;  /* CLOCK_MONOTONIC; 0 until sinks_wait() */
	atomic_uint_fast64_t pending_lost; /* not queued since the last CONTAINER_LOST record */
	atomic_uint_fast64_t events, disk_full_lost, write_failures, lost_records;
	atomic_uint_fast64_t dropped_no_memory, lost_at_stop, readers_dropped;
};

static struct {
	/* The sinks events are routed to. */
	struct sink *sinks[CANISTER_SINKS_MAX];
	size_t sink_count;
	/* Removed or stopped: each writer writes what was queued and ends; sinks_tick() frees them.
	 */
	struct sink *retired;
	/*
	 * The keys of removed sinks' rules, for a while: events those rules
	 * caused before they left the kernel may still be on their way, and
	 * they are still not the host's (sinks_tick() forgets them).
	 */
	struct removed_key {
		char key[AUDIT_MAX_KEY_LEN + 1];
		uint64_t contid, until_ms;
	} * removed_keys;
	size_t removed_key_count, removed_key_capacity;
	/*
	 * The sink whose rules are being loaded: kernel_rules_add() reads the
	 * events that come meanwhile, and those its rules caused are already not
	 * the host's.
	 */
	struct sink *adding;
} registry;

bool sinks_key_owner(const char *key, uint64_t *ret_contid)
{
	if (!key[0])
		return false;
	for (size_t j = 0; registry.adding && j < registry.adding->rule_count; j++)
		if (strcmp(registry.adding->rules[j].key, key) == 0) {
			*ret_contid = registry.adding->config.contid;
			return true;
		}
	for (size_t i = 0; i < registry.sink_count; i++)
		for (size_t j = 0; j < registry.sinks[i]->rule_count; j++)
			if (strcmp(registry.sinks[i]->rules[j].key, key) == 0) {
				*ret_contid = registry.sinks[i]->config.contid;
				return true;
			}
	for (size_t i = 0; i < registry.removed_key_count; i++)
		if (strcmp(registry.removed_keys[i].key, key) == 0) {
			*ret_contid = registry.removed_keys[i].contid;
			return true;
		}
	return false;
}

/*
 * A removed sink's keys stay known this long: the kernel's backlog and
 * canisterd's socket hold at most a few seconds of events in the worst storm.
 */
#define REMOVED_KEYS_MS 10000

static void remember_removed_keys(const struct sink *s)
{
	uint64_t until = canister_queue_now_ms() + REMOVED_KEYS_MS;

	for (size_t j = 0; j < s->rule_count; j++) {
		struct removed_key *entry;

		if (!s->rules[j].key[0])
			continue;
		if (registry.removed_key_count == registry.removed_key_capacity) {
			size_t capacity = registry.removed_key_capacity
						  ? 2 * registry.removed_key_capacity
						  : 16;
			struct removed_key *bigger =
				realloc(registry.removed_keys, capacity * sizeof(*bigger));

			/* Without room, its late events go to the host: said, not hidden. */
			if (!bigger) {
				log_warning("audit sink %" PRIu64
					    ": no memory to remember its rules' "
					    "keys; events they caused that are still on their way "
					    "reach the host log",
					    s->config.contid);
				return;
			}
			registry.removed_keys = bigger;
			registry.removed_key_capacity = capacity;
		}
		entry = &registry.removed_keys[registry.removed_key_count++];
		snprintf(entry->key, sizeof(entry->key), "%s", s->rules[j].key);
		entry->contid = s->config.contid;
		entry->until_ms = until;
	}
}

static void forget_removed_keys(bool all)
{
	uint64_t now = canister_queue_now_ms();

	for (size_t i = 0; i < registry.removed_key_count;) {
		if (all || registry.removed_keys[i].until_ms <= now)
			registry.removed_keys[i] =
				registry.removed_keys[--registry.removed_key_count];
		else
			i++;
	}
	if (all) {
		free(registry.removed_keys);
		registry.removed_keys = NULL;
		registry.removed_key_capacity = 0;
	}
}

/* Only this sink loses it: counted, and said in its log once its queue has drained. */
static void lose(struct sink *s)
{
	atomic_fetch_add(&s->pending_lost, 1);
	/* An idle writer would otherwise say so only at the next event. */
	canister_queue_poke(s->queue);
}

void sinks_push(struct audit_queued_event *event, const struct canister_route *route)
{
	for (size_t i = 0; i < registry.sink_count; i++) {
		struct sink *s = registry.sinks[i];

		if (canister_sink_takes(s->config.contid, s->rules, s->rule_count, route) &&
		    canister_queue_push(s->queue, &event->item) < 0)
			lose(s);
	}
}

void sinks_route(const char *lines, size_t len, size_t count, const struct canister_route *route)
{
	struct audit_queued_event *copy = NULL;

	for (size_t i = 0; i < registry.sink_count; i++) {
		struct sink *s = registry.sinks[i];

		if (!canister_sink_takes(s->config.contid, s->rules, s->rule_count, route))
			continue;
		/* One copy for every sink that takes it, made for the first. */
		if (!copy && audit_queued_event_new(lines, len, count, &copy) < 0) {
			atomic_fetch_add(&s->dropped_no_memory, 1);
			lose(s);
			continue;
		}
		if (canister_queue_push(s->queue, &copy->item) < 0)
			lose(s);
	}
	if (copy)
		audit_queued_event_put(copy);
}

static uint64_t now_ms(void)
{
	return canister_queue_now_ms();
}

static bool past_deadline(struct sink *s)
{
	uint64_t deadline = atomic_load(&s->deadline_ms);

	return deadline && now_ms() >= deadline;
}

/* Sends what the reader's socket will take now; -EPIPE when the reader is gone. */
static int flush_reader(struct reader *r, uint64_t now)
{
	while (r->pending_at < r->pending_len) {
		ssize_t n = send(r->fd, r->pending + r->pending_at, r->pending_len - r->pending_at,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			r->pending_at += (size_t)n;
			r->stalled_since_ms = now; /* it reads: the stall starts again */
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		return -EPIPE;
	}
	r->pending_at = r->pending_len = 0;
	r->stalled_since_ms = 0;
	return 0;
}

/*
 * One event as written, for one reader: sent, or kept for when its socket
 * has room.  Returns 0, -EPIPE (gone), or -ENOBUFS (more than
 * SINK_READER_BACKLOG_BYTES would be kept for it; -ENOMEM likewise).
 */
static int feed_reader(struct reader *r, const char *bytes, size_t len, uint64_t now)
{
	int err = flush_reader(r, now);

	if (err)
		return err;
	if (r->pending_len == 0) {
		ssize_t n = send(r->fd, bytes, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -EPIPE;
		if (n > 0) {
			bytes += n;
			len -= (size_t)n;
		}
		if (len == 0)
			return 0;
	}
	if (r->pending_at) {
		memmove(r->pending, r->pending + r->pending_at, r->pending_len - r->pending_at);
		r->pending_len -= r->pending_at;
		r->pending_at = 0;
	}
	if (len > SINK_READER_BACKLOG_BYTES - r->pending_len)
		return -ENOBUFS;
	if (r->pending_len + len > r->pending_cap) {
		size_t cap = r->pending_cap ? r->pending_cap : 64 * 1024;
		char *grown;

		while (cap < r->pending_len + len)
			cap *= 2;
		if (cap > SINK_READER_BACKLOG_BYTES)
			cap = SINK_READER_BACKLOG_BYTES;
		grown = realloc(r->pending, cap);
		if (!grown)
			return -ENOMEM;
		r->pending = grown;
		r->pending_cap = cap;
	}
	memcpy(r->pending + r->pending_len, bytes, len);
	r->pending_len += len;
	if (!r->stalled_since_ms)
		r->stalled_since_ms = now;
	return 0;
}

/* The writer lets reader @i go; @why is NULL when it went away by itself. */
static void drop_reader(struct sink *s, size_t i, const char *why)
{
	struct reader *r = &s->readers[i];

	if (why) {
		atomic_fetch_add(&s->readers_dropped, 1);
		log_warning("audit sink %" PRIu64 ": a reader was dropped: %s", s->config.contid,
			    why);
	}
	close(r->fd);
	free(r->pending);
	s->readers[i] = s->readers[--s->reader_count];
	atomic_fetch_sub(&s->readers_now, 1);
}

static void drop_failed_reader(struct sink *s, size_t i, int err)
{
	if (err == -EPIPE)
		drop_reader(s, i, NULL);
	else
		drop_reader(s, i,
			    "it fell more than " SINK_READER_BACKLOG_TEXT
			    " behind (it does not read)");
}

/* Readers whose socket has taken nothing for SINK_READER_STALL_MS are let go. */
static void drop_stalled_readers(struct sink *s, uint64_t now)
{
	for (size_t i = s->reader_count; i-- > 0;) {
		const struct reader *r = &s->readers[i];

		if (r->stalled_since_ms && now - r->stalled_since_ms >= SINK_READER_STALL_MS)
			drop_reader(s, i,
				    "its socket took nothing for " SINK_READER_STALL_TEXT
				    " (it does not read)");
	}
}

/* What was just written to the log goes to every reader too. */
static void feed_readers(struct sink *s)
{
	uint64_t now = now_ms();

	for (size_t i = s->reader_count; i-- > 0;) {
		int err = feed_reader(&s->readers[i], s->out.bytes, s->out.written_len, now);

		if (err)
			drop_failed_reader(s, i, err);
	}
	drop_stalled_readers(s, now);
}

static void take_incoming_readers(struct sink *s)
{
	pthread_mutex_lock(&s->incoming_lock);
	for (size_t i = 0; i < s->incoming_count; i++)
		s->readers[s->reader_count++] = (struct reader){ .fd = s->incoming[i] };
	s->incoming_count = 0;
	pthread_mutex_unlock(&s->incoming_lock);
}

static void publish_counters(struct sink *s)
{
	atomic_store(&s->events, s->out.events);
	atomic_store(&s->disk_full_lost, s->out.disk_full_lost);
	atomic_store(&s->write_failures, s->out.write_failures);
}

static void write_event(struct sink *s, const struct audit_queued_event *event)
{
	if (audit_output_event_lines(&s->out, event->text, event->len) == 0)
		feed_readers(s);
	publish_counters(s);
}

/*
 * Nothing queued: waits for an event, a reader's socket to take what is
 * kept for it, a reader to hang up, a stall to time out, or the deadline.
 */
static void wait_for_work(struct sink *s)
{
	struct pollfd fds[1 + SINK_READERS_MAX] = {
		{ .fd = canister_queue_fd(s->queue), .events = POLLIN },
	};
	uint64_t deadline = atomic_load(&s->deadline_ms), until = deadline, now;
	size_t count = s->reader_count;
	int n;

	for (size_t i = 0; i < count; i++) {
		const struct reader *r = &s->readers[i];

		fds[1 + i] = (struct pollfd){ .fd = r->fd, .events = POLLRDHUP };
		if (r->stalled_since_ms) {
			fds[1 + i].events |= POLLOUT;
			if (!until || r->stalled_since_ms + SINK_READER_STALL_MS < until)
				until = r->stalled_since_ms + SINK_READER_STALL_MS;
		}
	}
	if (!canister_queue_sleep_begin(s->queue))
		return;
	now = now_ms();
	n = poll(fds, 1 + count, !until ? -1 : until > now ? (int)(until - now) : 0);
	canister_queue_sleep_end(s->queue);
	now = now_ms();
	/* Backwards: dropping reader i moves the last one into its place. */
	for (size_t i = count; n > 0 && i-- > 0;) {
		short revents = fds[1 + i].revents;
		int err;

		if (revents & (POLLRDHUP | POLLHUP | POLLERR)) {
			drop_reader(s, i, NULL);
		} else if (revents & POLLOUT) {
			err = flush_reader(&s->readers[i], now);
			if (err)
				drop_failed_reader(s, i, err);
		}
	}
	drop_stalled_readers(s, now);
}

/* The writer's end: count what the deadline left, let the readers go. */
static void writer_finish(struct sink *s)
{
	uint64_t left = canister_queue_discard(s->queue);

	if (left) {
		atomic_fetch_add(&s->lost_at_stop, left);
		log_error("audit sink %" PRIu64 ": %" PRIu64
			  " queued events not written by the stop's deadline",
			  s->config.contid, left);
	}
	take_incoming_readers(s);
	while (s->reader_count) {
		/* Whatever their sockets take now; nobody waits for the rest. */
		flush_reader(&s->readers[s->reader_count - 1], now_ms());
		drop_reader(s, s->reader_count - 1, NULL);
	}
	publish_counters(s);
}

static void *sink_writer(void *arg)
{
	struct sink *s = arg;

	for (;;) {
		struct canister_queue_item *item;
		uint64_t lost;
		int r;

		take_incoming_readers(s);
		if (past_deadline(s))
			break;
		r = canister_queue_pop(s->queue, &item);
		if (r == 0) {
			write_event(s, audit_queued_event_of(item));
			canister_queue_item_put(item);
			continue;
		}
		/* Drained: the log says how many events it did not get. */
		lost = atomic_exchange(&s->pending_lost, 0);
		if (lost) {
			if (audit_output_lost(&s->out, lost) == 0)
				feed_readers(s);
			atomic_fetch_add(&s->lost_records, 1);
			publish_counters(s);
			continue;
		}
		if (r == -EPIPE)
			break;
		wait_for_work(s);
	}
	writer_finish(s);
	return NULL;
}

/* A reader may follow the sink if it is in the sink's own container, or root on the host. */
static int reader_allowed(struct sink *s, int fd, char *why, size_t why_len)
{
	struct canister_label label;
	struct peer peer;
	int r = peer_identify(fd, &peer, why, why_len);

	if (r < 0)
		return r;
	if (identity_label(peer.tgid, &label) < 0)
		label.contid = CANISTER_CONTID_UNSET;
	r = 0;
	if (label.contid == CANISTER_CONTID_UNSET && peer.uid != 0) {
		snprintf(why, why_len, "only root may follow an audit sink from the host");
		r = -EPERM;
	} else if (label.contid != CANISTER_CONTID_UNSET && label.contid != s->config.contid) {
		snprintf(why, why_len, "this sink is container %" PRIu64 "'s; you are in %" PRIu64,
			 s->config.contid, (uint64_t)label.contid);
		r = -EPERM;
	} else if (!peer_alive(&peer)) {
		/* The label read must still be the connecting process's, not a reused pid's. */
		snprintf(why, why_len, "the connecting process exited");
		r = -ESRCH;
	}
	peer_release(&peer);
	return r;
}

static void sink_accept(struct canisterd *d, struct loop_source *source)
{
	struct sink *s = (struct sink *)source;
	char why[256];
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (reader_allowed(s, fd, why, sizeof(why)) < 0) {
		char line[300];
		int len = snprintf(line, sizeof(line), "error: %s\n", why);

		log_info("audit sink %" PRIu64 ": reader refused: %s", s->config.contid, why);
		send(fd, line, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	/* Only this thread adds readers: the count cannot grow between the check and the add. */
	if (atomic_load(&s->readers_now) >= SINK_READERS_MAX) {
		send(fd, "error: too many readers\n", 24, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	atomic_fetch_add(&s->readers_now, 1);
	pthread_mutex_lock(&s->incoming_lock);
	s->incoming[s->incoming_count++] = fd;
	pthread_mutex_unlock(&s->incoming_lock);
	/* An idle writer takes it now, so that its hanging up is seen at once. */
	canister_queue_poke(s->queue);
	log_debug("audit sink %" PRIu64 ": a reader follows it", s->config.contid);
}

/* The writer takes no signal: canisterd reads its own from a signalfd in the main thread. */
static int start_writer(struct sink *s)
{
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&s->writer, NULL, sink_writer, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

static int open_socket(struct sink *s, char *why, size_t why_len)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, r;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", s->config.socket);
	r = canister_mkdir_parent(s->config.socket, 0755);
	if (r < 0) {
		snprintf(why, why_len, "socket %s: %s", s->config.socket, strerror(-r));
		return r;
	}
	/* A stale socket of an earlier run is replaced; anything else is not ours to remove. */
	if (lstat(s->config.socket, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(why, why_len, "socket %s: exists and is not a socket",
				 s->config.socket);
			return -EEXIST;
		}
		unlink(s->config.socket);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    chmod(s->config.socket, 0600) < 0 || listen(fd, 8) < 0) {
		r = -errno;
		snprintf(why, why_len, "socket %s: %s", s->config.socket, strerror(-r));
		close(fd);
		return r;
	}
	s->listen_fd = fd;
	s->listen_source.ready = sink_accept;
	r = loop_add(s->d, fd, &s->listen_source);
	if (r < 0)
		snprintf(why, why_len, "socket %s: %s", s->config.socket, strerror(-r));
	return r;
}

static bool key_taken(const char *key)
{
	uint64_t owner;

	return kernel_rules_host_key(key) || sinks_key_owner(key, &owner);
}

static int load_rules(struct sink *s, char *why, size_t why_len)
{
	char *text, reason[512];
	size_t len;
	int r;

	r = canister_read_trusted_file(s->config.rules, SINK_RULES_MAX_BYTES, &text, &len, why,
				       why_len);
	if (r < 0) {
		if (r == -ENOENT)
			snprintf(why, why_len, "%s: no such file", s->config.rules);
		return r;
	}
	r = canister_audit_rules_parse(text, len, s->config.rules, &s->rules, &s->rule_count, why,
				       why_len);
	free(text);
	if (r < 0)
		return r;
	for (size_t i = 0; i < s->rule_count; i++) {
		const struct canister_audit_rule *rule = &s->rules[i];

		r = canister_audit_rule_sink_check(rule, reason, sizeof(reason));
		if (r == 0 && rule->prepend) {
			snprintf(reason, sizeof(reason),
				 "-A would put the sink's rule before the host's rules");
			r = -EINVAL;
		}
		if (r == 0 && key_taken(rule->key)) {
			snprintf(reason, sizeof(reason),
				 "key \"%s\" is already the host's or another sink's", rule->key);
			r = -EINVAL;
		}
		if (r < 0) {
			snprintf(why, why_len, "%.200s:%u: %.200s", s->config.rules, rule->line,
				 reason);
			return r;
		}
	}
	if (s->rule_count == 0) {
		snprintf(why, why_len, "%s: no rules (leave rules out to take every event)",
			 s->config.rules);
		return -EINVAL;
	}
	registry.adding = s;
	r = kernel_rules_add(s->rules, s->rule_count, &s->rules_added, why, why_len);
	registry.adding = NULL;
	return r;
}

/*
 * What the main thread holds for a sink goes at once: its listening socket
 * (no reader may come), its rules (in the kernel while the audit stream is
 * still ours).  Its queue is closed: the writer writes what was queued and
 * ends by itself.
 */
static void sink_detach(struct sink *s)
{
	if (s->listen_fd >= 0) {
		loop_remove(s->d, s->listen_fd);
		close(s->listen_fd);
		unlink(s->config.socket);
		s->listen_fd = -1;
	}
	if (s->rules_added)
		kernel_rules_delete(s->rules, s->rules_added);
	canister_audit_rules_free(s->rules, s->rule_count);
	s->rules = NULL;
	s->rules_added = s->rule_count = 0;
	if (s->queue)
		canister_queue_close(s->queue);
}

/* After its writer ended (or never started). */
static void sink_free(struct sink *s)
{
	sink_detach(s);
	for (size_t i = 0; i < s->incoming_count; i++)
		close(s->incoming[i]);
	audit_output_close(&s->out);
	canister_queue_free(s->queue);
	pthread_mutex_destroy(&s->incoming_lock);
	free(s);
}

static void retire(struct sink *s)
{
	sink_detach(s);
	s->next_retired = registry.retired;
	registry.retired = s;
}

static bool still_writing(const struct canister_sink_config *config, char *why, size_t why_len)
{
	for (const struct sink *s = registry.retired; s; s = s->next_retired)
		if (s->config.contid == config->contid || strcmp(s->config.log, config->log) == 0) {
			snprintf(why, why_len,
				 "container %" PRIu64 "'s removed sink is still writing what it "
				 "had queued to %s; try again once it is done",
				 s->config.contid, s->config.log);
			return true;
		}
	return false;
}

int sinks_add(struct canisterd *d, const struct canister_sink_config *config, char *why,
	      size_t why_len)
{
	char detail[512] = "";
	struct sink *s;
	int r;

	if (!kaudit_active()) {
		snprintf(why, why_len, "audit sinks need kernel audit (kernel_audit = auto or on)");
		return -ENOTCONN;
	}
	/* Beside auditd, the kernel's rules are auditd's: a sink takes the events auditd gets. */
	if (config->rules[0] && !kernel_rules_attached()) {
		snprintf(why, why_len,
			 "audit sinks with rules need canisterd to be the audit daemon "
			 "(kernel_audit = on, or auto with no audit daemon running)");
		return -ENOTCONN;
	}
	for (size_t i = 0; i < registry.sink_count; i++)
		if (registry.sinks[i]->config.contid == config->contid) {
			snprintf(why, why_len, "container %" PRIu64 " already has an audit sink",
				 config->contid);
			return -EEXIST;
		} else if (strcmp(registry.sinks[i]->config.log, config->log) == 0) {
			snprintf(why, why_len, "%s is already container %" PRIu64 "'s sink log",
				 config->log, registry.sinks[i]->config.contid);
			return -EEXIST;
		}
	if (strcmp(config->log, d->config.host_log) == 0 ||
	    strcmp(config->log, d->config.audit_log) == 0 ||
	    strcmp(config->log, d->config.log_file) == 0) {
		snprintf(why, why_len, "%s is one of canisterd's own logs", config->log);
		return -EEXIST;
	}
	/* Two writers of one log would rotate each other's records away. */
	sinks_tick();
	if (still_writing(config, why, why_len))
		return -EBUSY;
	if (registry.sink_count == CANISTER_SINKS_MAX) {
		snprintf(why, why_len, "at most %d audit sinks", CANISTER_SINKS_MAX);
		return -ENOSPC;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->d = d;
	s->config = *config;
	if (!s->config.backlog_bytes)
		s->config.backlog_bytes = CANISTER_DEFAULT_SINK_BACKLOG_BYTES;
	s->listen_fd = -1;
	pthread_mutex_init(&s->incoming_lock, NULL);
	r = canister_queue_new(s->config.backlog, s->config.backlog_bytes, &s->queue);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "queue: %s", strerror(-r));
		goto fail;
	}
	if (config->rules[0]) {
		r = load_rules(s, detail, sizeof(detail));
		if (r < 0)
			goto fail;
	}
	r = audit_output_open(&s->out, config->log, config->format, &config->policy, config->contid,
			      detail, sizeof(detail));
	if (r < 0)
		goto fail;
	if (config->socket[0]) {
		r = open_socket(s, detail, sizeof(detail));
		if (r < 0)
			goto fail;
	}
	r = start_writer(s);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "writer thread: %s", strerror(-r));
		goto fail;
	}
	s->writer_started = true;
	registry.sinks[registry.sink_count++] = s;
	log_info("audit sink %" PRIu64 ": %s (%s, backlog %u events or %u bytes, %zu rules%s%s)",
		 config->contid, config->log, canister_log_format_name(config->format),
		 s->config.backlog, s->config.backlog_bytes, s->rule_count,
		 config->socket[0] ? ", readers at " : "", config->socket);
	return 0;
fail:
	snprintf(why, why_len, "audit sink %" PRIu64 ": %s", config->contid, detail);
	sink_free(s);
	return r;
}

int sinks_open(struct canisterd *d, char *why, size_t why_len)
{
	for (unsigned int i = 0; i < d->config.sink_count; i++) {
		int r = sinks_add(d, &d->config.sinks[i], why, why_len);

		if (r < 0)
			return r;
	}
	return 0;
}

int sinks_remove(struct canisterd *d, uint64_t contid, char *why, size_t why_len)
{
	for (size_t i = 0; i < registry.sink_count; i++) {
		struct sink *s = registry.sinks[i];
		struct canister_queue_stats stats;

		if (s->config.contid != contid)
			continue;
		registry.sinks[i] = registry.sinks[--registry.sink_count];
		remember_removed_keys(s);
		retire(s);
		canister_queue_stats(s->queue, &stats);
		log_info("audit sink %" PRIu64 " removed; its writer writes the %zu events it had "
			 "queued, then ends",
			 contid, stats.items);
		return 0;
	}
	snprintf(why, why_len, "container %" PRIu64 " has no audit sink", contid);
	return -ENOENT;
}

static void log_ended(struct sink *s)
{
	log_info("audit sink %" PRIu64 ": its writer ended; %" PRIu64 " events written, %" PRIu64
		 " lost at the stop",
		 s->config.contid, (uint64_t)atomic_load(&s->events),
		 (uint64_t)atomic_load(&s->lost_at_stop));
}

void sinks_tick(void)
{
	forget_removed_keys(false);
	for (struct sink **at = &registry.retired; *at;) {
		struct sink *s = *at;

		if (s->writer_started && pthread_tryjoin_np(s->writer, NULL) != 0) {
			at = &s->next_retired;
			continue;
		}
		*at = s->next_retired;
		log_ended(s);
		sink_free(s);
	}
}

void sinks_stop(void)
{
	while (registry.sink_count)
		retire(registry.sinks[--registry.sink_count]);
}

uint64_t sinks_wait(uint64_t deadline_ms)
{
	uint64_t lost = 0, later = deadline_ms + AFTER_DEADLINE_MS;
	struct timespec after = { .tv_sec = (time_t)(later / 1000),
				  .tv_nsec = (long)(later % 1000) * 1000000 };

	sinks_stop();
	for (struct sink *s = registry.retired; s; s = s->next_retired) {
		atomic_store(&s->deadline_ms, deadline_ms ? deadline_ms : 1);
		/* Wakes a writer that waits, so that it sees the deadline. */
		canister_queue_close(s->queue);
	}
	while (registry.retired) {
		struct sink *s = registry.retired;

		registry.retired = s->next_retired;
		if (s->writer_started &&
		    pthread_clockjoin_np(s->writer, NULL, CLOCK_MONOTONIC, &after) != 0) {
			struct canister_queue_stats stats;

			/* Stuck in a write to its log: it keeps its sink; nobody frees it. */
			canister_queue_stats(s->queue, &stats);
			atomic_fetch_add(&s->lost_at_stop, stats.items);
			log_error("audit sink %" PRIu64 ": its writer did not end by the deadline; "
				  "%zu events still queued are lost",
				  s->config.contid, stats.items);
			lost += atomic_load(&s->lost_at_stop);
			pthread_detach(s->writer);
			continue;
		}
		lost += atomic_load(&s->lost_at_stop);
		log_ended(s);
		sink_free(s);
	}
	forget_removed_keys(true);
	return lost;
}

void sinks_close(struct canisterd *d)
{
	sinks_stop();
	sinks_wait(now_ms() + SINKS_CLOSE_MS);
}

size_t sinks_count(void)
{
	return registry.sink_count;
}

bool sinks_get(size_t i, struct sink_info *ret)
{
	struct canister_queue_stats stats;
	struct sink *s;

	if (i >= registry.sink_count)
		return false;
	s = registry.sinks[i];
	canister_queue_stats(s->queue, &stats);
	*ret = (struct sink_info){
		.config = s->config,
		.rule_count = s->rule_count,
		.queued = stats.items,
		.queued_bytes = stats.bytes,
		.events = atomic_load(&s->events),
		.dropped_queue_events = stats.refused_items,
		.dropped_queue_bytes = stats.refused_bytes,
		.dropped_no_memory = stats.refused_memory + atomic_load(&s->dropped_no_memory),
		.lost_at_stop = stats.refused_closed + atomic_load(&s->lost_at_stop),
		.lost_records = atomic_load(&s->lost_records),
		.disk_full_lost = atomic_load(&s->disk_full_lost),
		.write_failures = atomic_load(&s->write_failures),
		.readers = atomic_load(&s->readers_now),
		.readers_dropped = atomic_load(&s->readers_dropped),
	};
	ret->dropped = ret->dropped_queue_events + ret->dropped_queue_bytes +
		       ret->dropped_no_memory + ret->lost_at_stop;
	audit_output_rotations(&s->out, &ret->rotations, &ret->rotation_failures);
	return true;
}
