// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: per-container audit sinks, each with its own rules, bounded queue, log and readers. */
#include "audit/sinks.h"

#include "audit/kernel_rules.h"
#include "core/log.h"
#include "core/mainloop.h"
#include "core/peer.h"
#include "identity/identity.h"
#include "audit/route.h"
#include "audit/rules.h"
#include "lib/mkdir.h"
#include "lib/trusted_file.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define SINK_READERS_MAX 16
#define SINK_RULES_MAX_BYTES (256 * 1024)

/* One event as queued: its text records, each ending in a newline. */
struct queued_event {
	size_t count, len;
	char bytes[];
};

struct sink {
	struct loop_source listen_source; /* first: the loop hands it back */
	struct canisterd *d;
	struct canister_sink_config config;
	struct canister_audit_rule *rules;
	size_t rule_count, rules_added;
	struct audit_output out;
	int listen_fd, wake_fd;

	pthread_t writer;
	bool writer_started;
	pthread_mutex_t lock; /* everything below */
	pthread_cond_t more;
	struct queued_event **queue;
	size_t head, queued;
	bool stop;
	uint64_t dropped, pending_lost, lost_records;
	int readers[SINK_READERS_MAX];
	size_t reader_count;
	bool feeding;		  /* the writer is sending to copies of @readers: they stay open */
	struct sink_info written; /* the writer's counters, copied out under the lock */
};

static struct sink *sinks[CANISTER_SINKS_MAX];
static size_t sink_count;
/* Removed sinks whose listening fd may still be in the loop's current batch. */
static struct sink *retired[CANISTER_SINKS_MAX];
static size_t retired_count;

bool sinks_key_owner(const char *key, uint64_t *ret_contid)
{
	if (!key[0])
		return false;
	for (size_t i = 0; i < sink_count; i++)
		for (size_t j = 0; j < sinks[i]->rule_count; j++)
			if (strcmp(sinks[i]->rules[j].key, key) == 0) {
				*ret_contid = sinks[i]->config.contid;
				return true;
			}
	return false;
}

static struct queued_event *copy_event(const char *lines, size_t len, size_t count)
{
	struct queued_event *copy = malloc(sizeof(*copy) + len);

	if (!copy)
		return NULL;
	copy->count = count;
	copy->len = len;
	memcpy(copy->bytes, lines, len);
	return copy;
}

static void enqueue(struct sink *s, const char *lines, size_t len, size_t count)
{
	struct queued_event *copy;

	pthread_mutex_lock(&s->lock);
	if (s->queued >= s->config.backlog) {
		/* Only this sink loses it; counted, and said in its log once it drains. */
		s->dropped++;
		s->pending_lost++;
		pthread_mutex_unlock(&s->lock);
		return;
	}
	pthread_mutex_unlock(&s->lock);
	copy = copy_event(lines, len, count);
	pthread_mutex_lock(&s->lock);
	if (!copy) {
		s->dropped++;
		s->pending_lost++;
	} else {
		s->queue[(s->head + s->queued) % s->config.backlog] = copy;
		s->queued++;
		pthread_cond_signal(&s->more);
	}
	pthread_mutex_unlock(&s->lock);
}

void sinks_route(const char *lines, size_t len, size_t count, const struct canister_route *route)
{
	for (size_t i = 0; i < sink_count; i++)
		if (canister_sink_takes(sinks[i]->config.contid, sinks[i]->rules,
					sinks[i]->rule_count, route))
			enqueue(sinks[i], lines, len, count);
}

/* Blocks while a reader is slow: only this sink waits (and its queue fills). */
static bool send_all(int fd, int wake_fd, const char *bytes, size_t len)
{
	while (len) {
		ssize_t n = send(fd, bytes, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			bytes += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd fds[2] = { { .fd = fd, .events = POLLOUT },
						 { .fd = wake_fd, .events = POLLIN } };

			if (poll(fds, 2, -1) < 0 && errno != EINTR)
				return false;
			if (fds[1].revents)
				return false; /* stopping: a reader that does not read is let go */
			continue;
		}
		return false;
	}
	return true;
}

static void feed_readers(struct sink *s)
{
	int readers[SINK_READERS_MAX];
	bool dead[SINK_READERS_MAX] = { false };
	size_t count;

	pthread_mutex_lock(&s->lock);
	count = s->reader_count;
	memcpy(readers, s->readers, count * sizeof(readers[0]));
	s->feeding = count > 0;
	pthread_mutex_unlock(&s->lock);
	if (!count)
		return;
	for (size_t i = 0; i < count; i++)
		dead[i] = !send_all(readers[i], s->wake_fd, s->out.bytes, s->out.written_len);
	pthread_mutex_lock(&s->lock);
	s->feeding = false;
	for (size_t i = 0; i < count; i++) {
		if (!dead[i])
			continue;
		for (size_t j = 0; j < s->reader_count; j++)
			if (s->readers[j] == readers[i]) {
				s->readers[j] = s->readers[--s->reader_count];
				break;
			}
		close(readers[i]);
	}
	pthread_mutex_unlock(&s->lock);
}

static void write_event(struct sink *s, struct queued_event *event)
{
	if (audit_output_event_lines(&s->out, event->bytes, event->len) == 0)
		feed_readers(s);
}

static void publish_counters(struct sink *s)
{
	s->written.events = s->out.events;
	s->written.disk_full_lost = s->out.disk_full_lost;
	s->written.write_failures = s->out.write_failures;
}

static void *sink_writer(void *arg)
{
	struct sink *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		if (s->queued) {
			struct queued_event *event = s->queue[s->head];

			s->head = (s->head + 1) % s->config.backlog;
			s->queued--;
			pthread_mutex_unlock(&s->lock);
			write_event(s, event);
			free(event);
			pthread_mutex_lock(&s->lock);
			publish_counters(s);
		} else if (s->pending_lost) {
			/* Drained: the log says how many events it did not get. */
			uint64_t lost = s->pending_lost;

			s->pending_lost = 0;
			pthread_mutex_unlock(&s->lock);
			if (audit_output_lost(&s->out, lost) == 0)
				feed_readers(s);
			pthread_mutex_lock(&s->lock);
			s->lost_records++;
			publish_counters(s);
		} else if (s->stop) {
			break;
		} else {
			pthread_cond_wait(&s->more, &s->lock);
		}
	}
	pthread_mutex_unlock(&s->lock);
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
	pthread_mutex_lock(&s->lock);
	if (s->reader_count == SINK_READERS_MAX) {
		pthread_mutex_unlock(&s->lock);
		send(fd, "error: too many readers\n", 24, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	s->readers[s->reader_count++] = fd;
	pthread_mutex_unlock(&s->lock);
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
	return kernel_rules_add(s->rules, s->rule_count, &s->rules_added, why, why_len);
}

/* Writes what it queued, takes its rules out of the kernel, closes its log and socket. */
static void sink_stop(struct sink *s)
{
	if (s->writer_started) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_signal(&s->more);
		pthread_mutex_unlock(&s->lock);
		/* Let a writer stuck on a reader go; it still writes what it queued to its log. */
		if (s->wake_fd >= 0)
			eventfd_write(s->wake_fd, 1);
		pthread_join(s->writer, NULL);
	}
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->config.socket);
	}
	for (size_t i = 0; i < s->reader_count; i++)
		close(s->readers[i]);
	if (s->rules_added)
		kernel_rules_delete(s->rules, s->rules_added);
	canister_audit_rules_free(s->rules, s->rule_count);
	while (s->queued) {
		free(s->queue[s->head]);
		s->head = (s->head + 1) % s->config.backlog;
		s->queued--;
	}
	free(s->queue);
	audit_output_close(&s->out);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	s->wake_fd = s->listen_fd = -1;
	s->writer_started = false;
	s->rules_added = s->rule_count = s->reader_count = 0;
	s->rules = NULL;
	s->queue = NULL;
}

static void sink_free(struct sink *s)
{
	sink_stop(s);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->more);
	free(s);
}

int sinks_add(struct canisterd *d, const struct canister_sink_config *config, char *why,
	      size_t why_len)
{
	char detail[512] = "";
	struct sink *s;
	int r;

	if (!kernel_rules_attached()) {
		snprintf(why, why_len,
			 "audit sinks need canisterd to be the audit daemon (kernel_audit = on)");
		return -ENOTCONN;
	}
	for (size_t i = 0; i < sink_count; i++)
		if (sinks[i]->config.contid == config->contid) {
			snprintf(why, why_len, "container %" PRIu64 " already has an audit sink",
				 config->contid);
			return -EEXIST;
		} else if (strcmp(sinks[i]->config.log, config->log) == 0) {
			snprintf(why, why_len, "%s is already container %" PRIu64 "'s sink log",
				 config->log, sinks[i]->config.contid);
			return -EEXIST;
		}
	if (strcmp(config->log, d->config.host_log) == 0 ||
	    strcmp(config->log, d->config.audit_log) == 0 ||
	    strcmp(config->log, d->config.log_file) == 0) {
		snprintf(why, why_len, "%s is one of canisterd's own logs", config->log);
		return -EEXIST;
	}
	if (sink_count == CANISTER_SINKS_MAX) {
		snprintf(why, why_len, "at most %d audit sinks", CANISTER_SINKS_MAX);
		return -ENOSPC;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->d = d;
	s->config = *config;
	s->listen_fd = s->wake_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	s->queue = calloc(config->backlog, sizeof(*s->queue));
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!s->queue || s->wake_fd < 0) {
		r = -ENOMEM;
		snprintf(detail, sizeof(detail), "%s", strerror(-r));
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
	sinks[sink_count++] = s;
	log_info("audit sink %" PRIu64 ": %s (%s, backlog %u, %zu rules%s%s)", config->contid,
		 config->log, canister_log_format_name(config->format), config->backlog,
		 s->rule_count, config->socket[0] ? ", readers at " : "", config->socket);
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
	for (size_t i = 0; i < sink_count; i++) {
		struct sink *s = sinks[i];

		if (s->config.contid != contid)
			continue;
		sinks[i] = sinks[--sink_count];
		if (s->listen_fd >= 0)
			epoll_ctl(d->epoll_fd, EPOLL_CTL_DEL, s->listen_fd, NULL);
		sink_stop(s);
		log_info("audit sink %" PRIu64 " removed", contid);
		/* Its listening source may be in the batch the loop is serving: freed later. */
		if (retired_count < CANISTER_SINKS_MAX) {
			retired[retired_count++] = s;
		} else {
			sink_free(s);
		}
		return 0;
	}
	snprintf(why, why_len, "container %" PRIu64 " has no audit sink", contid);
	return -ENOENT;
}

/* Readers that went away between events are let go now, so that `readers` is true. */
static void drop_gone_readers(struct sink *s)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; !s->feeding && i < s->reader_count;) {
		struct pollfd fds = { .fd = s->readers[i], .events = POLLRDHUP };

		if (poll(&fds, 1, 0) == 1 && (fds.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
			close(s->readers[i]);
			s->readers[i] = s->readers[--s->reader_count];
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

void sinks_tick(void)
{
	while (retired_count)
		sink_free(retired[--retired_count]);
	for (size_t i = 0; i < sink_count; i++)
		drop_gone_readers(sinks[i]);
}

void sinks_close(struct canisterd *d)
{
	sinks_tick();
	while (sink_count)
		sink_free(sinks[--sink_count]);
}

size_t sinks_count(void)
{
	return sink_count;
}

bool sinks_get(size_t i, struct sink_info *ret)
{
	struct sink *s;

	if (i >= sink_count)
		return false;
	s = sinks[i];
	pthread_mutex_lock(&s->lock);
	*ret = s->written;
	ret->config = s->config;
	ret->rule_count = s->rule_count;
	ret->queued = s->queued;
	ret->dropped = s->dropped;
	ret->lost_records = s->lost_records;
	ret->readers = s->reader_count;
	pthread_mutex_unlock(&s->lock);
	audit_output_rotations(&s->out, &ret->rotations, &ret->rotation_failures);
	return true;
}
