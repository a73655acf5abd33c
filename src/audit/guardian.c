// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the kernel audit guardian: undoes canisterd's audit changes should it be killed. */
#include "audit/guardian.h"

#include "audit/guardian_ledger.h"
#include "audit/rules.h"
#include "core/log.h"
#include "lib/mkdir.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libaudit.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The descriptors the guardian is given, and nothing else. */
#define GUARDIAN_SOCKET_FD 0
#define GUARDIAN_LOCK_FD 3

/* canisterd's side. */
static struct {
	int fd; /* its end of the socket pair; -1 when unarmed */
	pid_t pid;
	/* A message could not be delivered: the guardian's ledger no longer matches. */
	bool out_of_step;
} g = { .fd = -1 };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void pause_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * The lock a guardian holds while it lives; a killed canisterd's guardian
 * may be undoing what that canisterd left, and must be done before this one
 * registers and adds its own rules.  Returns the locked descriptor, or -1
 * (said in the log): canisterd goes on without it.
 */
static int take_lock(void)
{
	uint64_t start = now_ms();
	bool said = false;
	int fd, r;

	r = canister_mkdir_parent(GUARDIAN_LOCK, 0755);
	fd = r < 0 ? r : open(GUARDIAN_LOCK, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		log_warning("kernel audit: cannot open %s: %s; not waiting for the guardian of "
			    "a killed canisterd",
			    GUARDIAN_LOCK, strerror(r < 0 ? -r : errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			log_warning("kernel audit: cannot lock %s: %s", GUARDIAN_LOCK,
				    strerror(errno));
			close(fd);
			return -1;
		}
		if (now_ms() - start >= GUARDIAN_LOCK_WAIT_MS) {
			log_warning("kernel audit: %s still held after %d ms; going on without it",
				    GUARDIAN_LOCK, GUARDIAN_LOCK_WAIT_MS);
			close(fd);
			return -1;
		}
		if (!said)
			log_info("kernel audit: %s is held, by the guardian of a killed canisterd "
				 "undoing its changes: waiting for it (at most %d ms)",
				 GUARDIAN_LOCK, GUARDIAN_LOCK_WAIT_MS);
		said = true;
		pause_ms(10);
	}
	if (said)
		log_info("kernel audit: waited %" PRIu64 " ms for the guardian of a killed "
			 "canisterd to undo its changes",
			 now_ms() - start);
	return fd;
}

static int spawn(int socket_fd, int lock_fd, const char *log_path, pid_t *ret_pid)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	char watched[16];
	char *argv[] = { "canisterd", GUARDIAN_ARG, watched, (char *)log_path, NULL };
	sigset_t none, all;
	int r;

	snprintf(watched, sizeof(watched), "%d", (int)getpid());
	posix_spawn_file_actions_init(&actions);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	/*
	 * Only what it needs; everything of canisterd's is O_CLOEXEC, and
	 * closefrom makes sure of it.  A session of its own: the terminal's ^C
	 * stops canisterd cleanly, and must not take the guardian first.
	 */
	r = posix_spawn_file_actions_adddup2(&actions, socket_fd, GUARDIAN_SOCKET_FD);
	if (!r)
		r = posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
	if (!r && log_path)
		r = posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
	if (!r && lock_fd >= 0)
		r = posix_spawn_file_actions_adddup2(&actions, lock_fd, GUARDIAN_LOCK_FD);
	if (!r)
		r = posix_spawn_file_actions_addclosefrom_np(&actions, GUARDIAN_LOCK_FD + 1);
	if (!r)
		r = posix_spawnattr_setsigmask(&attr, &none);
	if (!r)
		r = posix_spawnattr_setsigdefault(&attr, &all);
	if (!r)
		r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
							    POSIX_SPAWN_SETSID);
	/* canisterd's own binary, even if the file was replaced since it started. */
	if (!r)
		r = posix_spawn(ret_pid, "/proc/self/exe", &actions, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&actions);
	return -r;
}

int guardian_arm(const char *log_path, char *why, size_t why_len)
{
	int pair[2], lock_fd, high_lock = -1, r;

	guardian_disarm();
	lock_fd = take_lock();
	/* Above the guardian's numbers, so that no dup2 of the spawn lands on its own source. */
	if (lock_fd >= 0) {
		high_lock = fcntl(lock_fd, F_DUPFD_CLOEXEC, GUARDIAN_LOCK_FD + 1);
		close(lock_fd);
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		r = -errno;
		snprintf(why, why_len, "kernel audit guardian: socketpair: %s", strerror(-r));
		goto out;
	}
	r = spawn(pair[1], high_lock, log_path, &g.pid);
	close(pair[1]);
	if (r < 0) {
		close(pair[0]);
		snprintf(why, why_len, "kernel audit guardian: posix_spawn: %s", strerror(-r));
		goto out;
	}
	g.fd = pair[0];
	g.out_of_step = false;
	/* Rules come in bursts (a sink's, a file of hundreds): room for them while it reads. */
	setsockopt(g.fd, SOL_SOCKET, SO_SNDBUF, &(int){ 1024 * 1024 }, sizeof(int));
	log_info("kernel audit: guardian pid %d undoes canisterd's audit changes should it be "
		 "killed",
		 (int)g.pid);
out:
	/* The guardian holds the lock now (its descriptor shares ours), or nobody does. */
	if (high_lock >= 0)
		close(high_lock);
	return r;
}

/* Delivers one message, waiting at most 1 s for room should the guardian lag behind. */
static int deliver(const void *msg, size_t len)
{
	uint64_t deadline = now_ms() + 1000;

	for (;;) {
		struct pollfd pfd = { .fd = g.fd, .events = POLLOUT };
		uint64_t now;

		if (send(g.fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)len)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		now = now_ms();
		if (now >= deadline)
			return -ETIMEDOUT;
		poll(&pfd, 1, (int)(deadline - now));
	}
}

static void tell(enum guardian_op op, const struct canister_audit_rule *rule)
{
	char small[8192], *buf = small;
	size_t need = sizeof(struct guardian_msg);
	int len, r;

	if (g.fd < 0)
		return;
	if (rule)
		need += sizeof(*rule->data) + rule->data->buflen;
	if (need > sizeof(small))
		buf = malloc(need);
	len = buf ? guardian_msg_encode(op, rule ? rule->data : NULL, rule ? rule->list : 0,
					rule ? rule->action : 0, buf, need)
		  : -ENOMEM;
	r = len < 0 ? len : deliver(buf, (size_t)len);
	if (buf != small)
		free(buf);
	if (r < 0 && !g.out_of_step) {
		log_warning("kernel audit: the guardian (pid %d) missed a change (%s): a kill -9 "
			    "of canisterd may now leave audit rules or the enabled flag behind",
			    (int)g.pid, strerror(-r));
		g.out_of_step = true;
	}
}

void guardian_enabled(void)
{
	tell(GUARDIAN_OP_ENABLED, NULL);
}

void guardian_rule_added(const struct canister_audit_rule *rule)
{
	tell(GUARDIAN_OP_RULE_ADDED, rule);
}

void guardian_rule_deleted(const struct canister_audit_rule *rule)
{
	tell(GUARDIAN_OP_RULE_DELETED, rule);
}

void guardian_disarm(void)
{
	uint64_t deadline;

	if (g.fd < 0)
		return;
	tell(GUARDIAN_OP_DISARM, NULL);
	close(g.fd);
	g.fd = -1;
	/* It exits as soon as it reads DISARM; a guardian that hangs is not waited for. */
	deadline = now_ms() + 1000;
	while (waitpid(g.pid, NULL, WNOHANG) == 0 && now_ms() < deadline)
		pause_ms(5);
	g.pid = 0;
}

bool guardian_armed(void)
{
	return g.fd >= 0;
}

/* The guardian's side, in a process of its own. */

/* The kernel's audit status, waiting no later than @deadline (ms, monotonic). */
static int read_status(int fd, uint64_t deadline, struct audit_status *ret)
{
	struct audit_reply reply;

	if (audit_request_status(fd) <= 0)
		return -EIO;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = now_ms();

		if (now >= deadline || poll(&pfd, 1, (int)(deadline - now)) <= 0)
			return -ETIMEDOUT;
		if (audit_get_reply(fd, &reply, GET_REPLY_NONBLOCKING, 0) > 0 &&
		    reply.type == AUDIT_GET && reply.status) {
			*ret = *reply.status;
			return 0;
		}
	}
}

/*
 * canisterd died armed: undo what the ledger holds, unless another audit
 * daemon has taken the stream since, and no later than the deadline.
 */
static void undo(struct guardian_ledger *ledger, pid_t watched, const char *log_path)
{
	uint64_t deadline = now_ms() + GUARDIAN_DEADLINE_MS;
	struct audit_status status;
	size_t deleted = 0, gone = 0, left = 0;
	const char *enabled = "";
	int fd, r;

	if (log_path)
		log_to_file(log_path, 0, CANISTER_AUDIT_NUM_LOGS_MIN);
	set_aumessage_mode(MSG_QUIET, DBG_NO);
	fd = audit_open();
	if (fd < 0) {
		log_error("kernel audit guardian: canisterd (pid %d) is gone, but NETLINK_AUDIT "
			  "cannot be opened: %s; its audit rules and enabled flag stay",
			  (int)watched, strerror(errno));
		return;
	}
	r = read_status(fd, deadline, &status);
	if (r < 0) {
		log_error("kernel audit guardian: canisterd (pid %d) is gone, but the kernel does "
			  "not answer AUDIT_GET; nothing undone",
			  (int)watched);
		goto out;
	}
	if (status.pid && status.pid != (uint32_t)watched && kill((pid_t)status.pid, 0) == 0) {
		log_warning(
			"kernel audit guardian: canisterd (pid %d) is gone and audit daemon pid "
			"%u took the stream since: nothing undone",
			(int)watched, status.pid);
		goto out;
	}
	/* The last added first, as canisterd deletes them. */
	for (size_t i = ledger->rule_count; i-- > 0;) {
		struct guardian_rule *rule = &ledger->rules[i];

		if (now_ms() >= deadline) {
			left = i + 1;
			break;
		}
		r = audit_delete_rule_data(fd, rule->data, rule->list, rule->action);
		if (r > 0)
			deleted++;
		else
			gone++; /* deleted by someone else, or never added */
	}
	if (ledger->enabled_by_canisterd && status.enabled == 1 && now_ms() < deadline) {
		r = audit_set_enabled(fd, 0);
		enabled = r > 0 ? "; auditing turned off again, as canisterd found it"
				: "; auditing could not be turned off again";
	} else if (ledger->enabled_by_canisterd && status.enabled == 1) {
		enabled = "; auditing stays on (out of time)";
	}
	log_warning("kernel audit guardian: canisterd (pid %d) died without restoring the "
		    "kernel's audit state: deleted %zu of its audit rules (%zu already gone, %zu "
		    "left for want of time)%s",
		    (int)watched, deleted, gone, left, enabled);
out:
	audit_close(fd);
}

int guardian_main(int argc, char **argv)
{
	struct guardian_ledger ledger = { 0 };
	const char *log_path = argc > 3 ? argv[3] : NULL;
	pid_t watched = argc > 2 ? (pid_t)atoi(argv[2]) : 0;
	char *buf;

	/*
	 * It outlives canisterd by design: only canisterd's end closing ends it.
	 * The signals meant for canisterd reach it too (`pidof canisterd` names
	 * both): they must not end it, or canisterd would run unguarded.
	 */
	static const int ignored[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE
	};

	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		signal(ignored[i], SIG_IGN);
	prctl(PR_SET_NAME, "canister-guard");
	if (argc < 3 || argc > 4 || watched <= 0) {
		fprintf(stderr, "canisterd: %s is canisterd's own, not to be run by hand\n",
			GUARDIAN_ARG);
		return EXIT_FAILURE;
	}
	buf = malloc(GUARDIAN_MSG_MAX + 1);
	if (!buf)
		return EXIT_FAILURE;
	for (;;) {
		/* One more byte than a message may have: a longer one is seen, not cut. */
		ssize_t n = recv(GUARDIAN_SOCKET_FD, buf, GUARDIAN_MSG_MAX + 1, 0);
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r = guardian_ledger_apply(&ledger, buf, (size_t)n);
		if (r < 0)
			log_error(
				"kernel audit guardian: a message it cannot apply (%zd bytes): %s",
				n, strerror(-r));
		if (ledger.disarmed)
			break;
	}
	free(buf);
	if (!ledger.disarmed && !guardian_ledger_empty(&ledger))
		undo(&ledger, watched, log_path);
	guardian_ledger_free(&ledger);
	return EXIT_SUCCESS;
}
