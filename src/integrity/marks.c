// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which filesystems the file gate watches: every mount namespace a container uses. */
#include "integrity/marks.h"

#include "core/log.h"
#include "identity/identity.h"
#include "integrity/exempt.h"
#include "integrity/gate.h"
#include "integrity/mark_child.h"
#include "integrity/mark_plan.h"

#include <canister/abi.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* A mount table larger than this is read no further (its rest is not marked). */
#define MOUNTINFO_MAX (4 << 20)
/* Failures logged one by one per pass; the rest are counted. */
#define FAILURES_LOGGED 8
/* How long a withdrawal waits for a killed host helper (exempt.h). */
#define STOP_WAIT_MS 500

/*
 * One watched mount namespace: an open /proc/PID/mountinfo, which signals
 * POLLPRI when the table changes and holds the namespace (not the process)
 * while open; and the helper marking it, one at a time.
 */
struct watch {
	bool used, host, dropping, reported;
	bool dirty; /* changed while a helper ran: another pass when it ends */
	uint64_t ns, contid;
	pid_t pid;
	int mountinfo;
	int root;  /* O_PATH: the root the table's mount points are relative to */
	int pidfd; /* the process they were opened through, while it lives */
	struct mark_child child;
	struct mark_plan *plan; /* the pass's targets, while its helper runs */
	int err[MARK_PLAN_MAX];
	int ignore_err[MARK_PLAN_MAX]; /* the host's pass: its ignore marks (exempt.h) */
	bool legacy;		       /* those were FAN_MARK_IGNORED_MASK */
	bool flush_on_end; /* withdrawn while its helper placed ignore marks: flush at its end */
	bool host_proc;	   /* its table showed canisterd's procfs at its last pass (exempt.h) */
	uint32_t ok[MARK_PLAN_MAX]; /* what the last pass marked (the host's: others skip it) */
	unsigned int ok_count, failed, fuse;
};

static struct {
	bool open;
	struct watch host;
	struct watch ns[MARKS_NAMESPACES_MAX];
	uint64_t unwatched, passes;
} marks;

static bool host_marked(uint32_t device, void *ctx)
{
	(void)ctx;
	for (unsigned int i = 0; i < marks.host.ok_count; i++)
		if (marks.host.ok[i] == device)
			return true;
	return false;
}

static const char *watch_name(const struct watch *w, char *buf, size_t len)
{
	if (w->host)
		return "canisterd's mount namespace";
	snprintf(buf, len, "container %" PRIu64 "'s mount namespace %" PRIu64, w->contid, w->ns);
	return buf;
}

/* The whole table, from the start: a seq file reads afresh from offset 0. */
static char *read_table(int fd)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	ssize_t n;

	if (!buf || lseek(fd, 0, SEEK_SET) < 0) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			char *more = cap < MOUNTINFO_MAX ? realloc(buf, cap * 2 + 1) : NULL;

			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	return buf;
}

static void pass(struct watch *w);
static void stop_host_ignores(void);

/* The host pass's ignore marks: how many, for the status; withdrawn meanwhile, none count. */
static void report_ignores(struct watch *w)
{
	unsigned int ok = 0, failed = 0;

	/*
	 * Withdrawn meanwhile: the helper was killed (stop_host_ignores()) and
	 * the marks it had not placed yet are none of its failures; the
	 * withdrawal is logged already.
	 */
	if ((!w->plan->ignore_count && !w->plan->ignore_too_many) || !exempt_in_force())
		return;
	for (unsigned int i = 0; i < w->plan->ignore_count; i++) {
		if (w->ignore_err[i] == 0) {
			ok++;
			continue;
		}
		if (failed++ < FAILURES_LOGGED)
			log_warning("integrity: canisterd's mount %s: no ignore mark: %s (host "
				    "processes' opens there still wait for the gate)",
				    w->plan->ignore[i], strerror(-w->ignore_err[i]));
	}
	failed += w->plan->ignore_too_many;
	exempt_placed(ok, failed, w->legacy);
	log_info("integrity: host mount exemption: %u of canisterd's mounts ignored (%s), %u not",
		 ok, w->legacy ? "FAN_MARK_IGNORED_MASK" : "FAN_MARK_IGNORE", failed);
}

static void report(struct watch *w)
{
	char name[96];
	unsigned int marked = 0, logged = 0;

	w->ok_count = w->failed = 0;
	for (unsigned int i = 0; i < w->plan->count; i++) {
		const struct mark_target *t = &w->plan->target[i];

		if (w->err[i] == 0) {
			w->ok[w->ok_count++] = t->device;
			marked++;
			continue;
		}
		w->failed++;
		if (logged++ < FAILURES_LOGGED)
			log_warning("integrity: %s: cannot watch %s (%s): %s%s",
				    watch_name(w, name, sizeof(name)), t->point, t->fstype,
				    strerror(-w->err[i]),
				    w->err[i] == -ETIMEDOUT ? " (the walk to it did not return: "
							      "left to its helper, killed)"
							    : "");
	}
	if (w->failed > FAILURES_LOGGED)
		log_warning("integrity: %s: %u more filesystems not watched",
			    watch_name(w, name, sizeof(name)), w->failed - FAILURES_LOGGED);
	w->fuse = w->plan->fuse;
	log_info("integrity: %s: %u filesystems marked, %u not, %u already through canisterd's"
		 "%s%s%s",
		 watch_name(w, name, sizeof(name)), marked, w->failed, w->plan->known,
		 w->plan->fuse ? "; FUSE left out (not measured): " : "",
		 w->plan->fuse ? w->plan->fuse_point : "",
		 w->plan->too_many ? "; more filesystems than a pass marks" : "");
	gate_count_marks(marked);
	w->reported = true;
	if (w->host)
		report_ignores(w);
}

static void watch_free(struct watch *w)
{
	if (w->mountinfo >= 0)
		close(w->mountinfo);
	if (w->root >= 0)
		close(w->root);
	if (w->pidfd >= 0)
		close(w->pidfd);
	free(w->plan);
	*w = (struct watch){ .mountinfo = -1, .root = -1, .pidfd = -1 };
}

static uint64_t ns_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/*
 * Table and root afresh from the watched process while it lives: a root it
 * changed since (runc's pivot_root after its registration) would leave the
 * old table showing nothing.
 */
static void refresh(struct watch *w)
{
	char path[64];
	int fd, root;

	if (w->host || w->pidfd < 0 || syscall(SYS_pidfd_send_signal, w->pidfd, 0, NULL, 0) < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)w->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/root", (int)w->pid);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)w->pid);
	if (fd < 0 || root < 0 || ns_of(path) != w->ns) {
		if (fd >= 0)
			close(fd);
		if (root >= 0)
			close(root);
		return;
	}
	close(w->mountinfo);
	close(w->root);
	w->mountinfo = fd;
	w->root = root;
}

/* A pass: the table now, one helper to mark it. */
static void pass(struct watch *w)
{
	char why[256], name[96], *table, *line, *next;

	if (w->child.helper.pid) {
		w->dirty = true;
		return;
	}
	w->dirty = false;
	refresh(w);
	table = read_table(w->mountinfo);
	if (!w->plan)
		w->plan = malloc(sizeof(*w->plan));
	if (!table || !w->plan) {
		log_warning("integrity: %s: cannot read its mount table",
			    watch_name(w, name, sizeof(name)));
		free(table);
		return;
	}
	mark_plan_init(w->plan);
	w->host_proc = false;
	if (w->host)
		exempt_host_table_start();
	for (line = table; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		mark_plan_add(w->plan, line, w->host ? NULL : host_marked, NULL);
		if (w->host) {
			exempt_host_line(line);
			if (exempt_in_force())
				mark_plan_add_ignore(w->plan, line);
		} else {
			w->host_proc |= exempt_host_proc_line(line);
		}
	}
	free(table);
	if (w->host_proc && exempt_table_hole(w->contid))
		stop_host_ignores();
	for (unsigned int i = 0; i < w->plan->count; i++)
		w->err[i] = -ETIMEDOUT;
	for (unsigned int i = 0; i < w->plan->ignore_count; i++)
		w->ignore_err[i] = -ETIMEDOUT;
	w->legacy = false;
	w->reported = false;
	marks.passes++;
	if (mark_child_start(&w->child, w->root, w->plan, why, sizeof(why)) < 0) {
		for (unsigned int i = 0; i < w->plan->count; i++)
			w->err[i] = -EAGAIN;
		for (unsigned int i = 0; i < w->plan->ignore_count; i++)
			w->ignore_err[i] = -EAGAIN;
		log_warning("integrity: %s: %s", watch_name(w, name, sizeof(name)), why);
		report(w);
	}
}

static bool collect_results(struct watch *w)
{
	struct mark_ignore_results ignores = { .err = w->ignore_err,
					       .count = w->plan->ignore_count,
					       .legacy = w->legacy };
	bool ended = mark_child_collect(&w->child, w->err, w->plan->count, &ignores);

	w->legacy = ignores.legacy;
	/* Its last ignore mark may have come after the withdrawal's flush. */
	if (ended && w->flush_on_end) {
		exempt_flush();
		w->flush_on_end = false;
	}
	return ended;
}

/* The helper's results so far; its end lets the next pass go. */
static void collect(struct watch *w, const struct timespec *now)
{
	bool ended;

	if (!w->child.helper.pid)
		return;
	ended = collect_results(w);
	if (!ended && !w->child.helper.killed && mark_child_expired(&w->child, now)) {
		mark_child_kill(&w->child);
		ended = collect_results(w);
	}
	/* Killed and still in a wait it cannot leave: reported now, reaped when it can. */
	if ((ended || w->child.helper.killed) && !w->reported)
		report(w);
	if (!ended)
		return;
	if (w->dropping)
		watch_free(w);
	else if (w->dirty)
		pass(w);
}

/*
 * Withdrawn (exempt_check()): a host pass still placing ignore marks is
 * killed and waited for, briefly, then the marks are flushed again, so that
 * none it placed after the withdrawal's flush stays.  Its pass runs again
 * (dirty), without ignore marks, for the filesystems it had not marked yet.
 */
static void stop_host_ignores(void)
{
	struct watch *w = &marks.host;
	struct timespec now;
	struct pollfd fd;

	if (!w->child.helper.pid || !w->plan || !w->plan->ignore_count)
		return;
	w->flush_on_end = true;
	w->dirty = true;
	mark_child_kill(&w->child);
	fd = (struct pollfd){ .fd = w->child.helper.pidfd, .events = POLLIN };
	/* SIGKILL ends it at its next return from a system call; a walk it is stuck in, not. */
	if (poll(&fd, 1, STOP_WAIT_MS) <= 0)
		log_warning("integrity: the host mounts' marking helper did not end within %d ms "
			    "of the exemption's withdrawal: its ignore marks are flushed again "
			    "when it does",
			    STOP_WAIT_MS);
	clock_gettime(CLOCK_MONOTONIC, &now);
	collect(w, &now);
}

unsigned int marks_open(void)
{
	memset(&marks, 0, sizeof(marks));
	for (unsigned int i = 0; i < MARKS_NAMESPACES_MAX; i++)
		marks.ns[i].mountinfo = marks.ns[i].root = marks.ns[i].pidfd = -1;
	marks.host.pidfd = -1;
	marks.host.used = marks.host.host = true;
	marks.host.ns = ns_of("/proc/self/ns/mnt");
	marks.host.root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	marks.host.mountinfo = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	marks.open = true;
	/*
	 * Containers that ran before this start are looked at before any ignore
	 * mark is placed: one that holds a hole keeps the exemption off.
	 */
	exempt_open();
	exempt_scan();
	if (marks.host.mountinfo < 0 || marks.host.root < 0) {
		log_warning("integrity: cannot read /proc/self/mountinfo: no filesystem watched");
		return 0;
	}
	/* At the start, before any container runs: waited for, up to the helper's deadline. */
	pass(&marks.host);
	marks_settle(MARK_CHILD_DEADLINE_MS);
	return marks.host.ok_count;
}

bool marks_settle(unsigned int ms)
{
	struct timespec now, until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	for (;;) {
		struct pollfd fds[MARKS_NAMESPACES_MAX + 1];
		unsigned int n = 0;

		clock_gettime(CLOCK_MONOTONIC, &now);
		for (unsigned int i = 0; i <= MARKS_NAMESPACES_MAX; i++) {
			struct watch *w = i < MARKS_NAMESPACES_MAX ? &marks.ns[i] : &marks.host;

			if (!w->used)
				continue;
			/* Past its own deadline a helper is killed here: the wait stays bounded. */
			collect(w, &now);
			/* Killed and stuck in a walk: reported already, nothing left to wait for.
			 */
			if (w->used && w->child.helper.pid && !w->child.helper.killed)
				fds[n++] = (struct pollfd){ .fd = w->child.helper.pidfd,
							    .events = POLLIN };
		}
		if (!n)
			return true;
		if (now.tv_sec > until.tv_sec ||
		    (now.tv_sec == until.tv_sec && now.tv_nsec >= until.tv_nsec))
			return false;
		poll(fds, n, 50);
	}
}

void marks_remark(void)
{
	if (!marks.open)
		return;
	for (unsigned int i = 0; i <= MARKS_NAMESPACES_MAX; i++) {
		struct watch *w = i < MARKS_NAMESPACES_MAX ? &marks.ns[i] : &marks.host;

		/* A helper running already passes again when it ends (dirty), with the new mask. */
		if (w->used && !w->dropping && w->mountinfo >= 0)
			pass(w);
	}
}

static void drop(struct watch *w)
{
	/* The open table holds the namespace, and with it the container's mounts. */
	if (w->mountinfo >= 0)
		close(w->mountinfo);
	w->mountinfo = -1;
	if (w->root >= 0 && !w->child.helper.pid) {
		close(w->root);
		w->root = -1;
	}
	if (w->child.helper.pid) {
		mark_child_kill(&w->child);
		w->dropping = true;
		return;
	}
	watch_free(w);
}

void marks_close(void)
{
	if (!marks.open)
		return;
	marks.open = false;
	exempt_close();
	/* A helper still running is killed and abandoned: canisterd does not wait on it. */
	for (unsigned int i = 0; i <= MARKS_NAMESPACES_MAX; i++) {
		struct watch *w = i < MARKS_NAMESPACES_MAX ? &marks.ns[i] : &marks.host;

		if (!w->used)
			continue;
		if (w->child.helper.pid)
			mark_child_abandon(&w->child);
		watch_free(w);
	}
}

void marks_process_started(pid_t pid, uint64_t contid, bool record)
{
	char path[64];
	struct watch *w = NULL;
	uint64_t ns;
	int fd, root;

	if (!marks.open || contid == CANISTER_CONTID_UNSET)
		return;
	if (exempt_check(pid, contid, record))
		stop_host_ignores();
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	ns = ns_of(path);
	if (!ns || ns == marks.host.ns)
		return;
	for (unsigned int i = 0; i < MARKS_NAMESPACES_MAX; i++) {
		struct watch *known = &marks.ns[i];

		if (known->used && !known->dropping && known->ns == ns) {
			/* Its process gone: this one keeps the table fresh from now on. */
			if (known->pidfd < 0 ||
			    syscall(SYS_pidfd_send_signal, known->pidfd, 0, NULL, 0) < 0) {
				if (known->pidfd >= 0)
					close(known->pidfd);
				known->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
				known->pid = pid;
			}
			return;
		}
		if (!marks.ns[i].used && !w)
			w = &marks.ns[i];
	}
	if (!w) {
		if (!marks.unwatched++)
			log_warning("integrity: more than %d container mount namespaces: the "
				    "filesystems of the next ones are not marked",
				    MARKS_NAMESPACES_MAX);
		return;
	}
	/*
	 * The table and the root together: the table's mount points are paths
	 * from the root the process had when it was opened, and both stay
	 * usable after the process is gone.  Opening the root is no walk
	 * into the container: the magic link jumps to the directory itself.
	 */
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* Opened by pid: still the namespace asked about, not a reused pid's. */
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	if (fd < 0 || root < 0 || ns_of(path) != ns) {
		if (fd >= 0)
			close(fd);
		if (root >= 0)
			close(root);
		return;
	}
	*w = (struct watch){
		.used = true,
		.ns = ns,
		.contid = contid,
		.pid = pid,
		.mountinfo = fd,
		.root = root,
		.pidfd = (int)syscall(SYS_pidfd_open, pid, 0),
	};
	pass(w);
}

void marks_tick(void)
{
	struct pollfd fds[MARKS_NAMESPACES_MAX + 1];
	struct watch *by[MARKS_NAMESPACES_MAX + 1];
	unsigned int n = 0, tables = 0;
	struct timespec now;
	uint64_t parent;

	if (!marks.open)
		return;
	/*
	 * The containers that held the exemption off are gone, and no table
	 * shows canisterd's procfs any more (a runtime's pivot_root took the
	 * copy away): a host pass places it again.
	 */
	for (unsigned int i = 0; i < MARKS_NAMESPACES_MAX; i++)
		tables += marks.ns[i].used && !marks.ns[i].dropping && marks.ns[i].host_proc;
	if (exempt_tick(tables))
		pass(&marks.host);
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (unsigned int i = 0; i <= MARKS_NAMESPACES_MAX; i++) {
		struct watch *w = i < MARKS_NAMESPACES_MAX ? &marks.ns[i] : &marks.host;

		if (!w->used)
			continue;
		collect(w, &now);
		if (!w->used)
			continue;
		/* A dropped container's namespace is not kept alive by our watch. */
		if (!w->host && !w->dropping && identity_parent(w->contid, &parent) == -ENOENT) {
			drop(w);
			continue;
		}
		if (w->mountinfo >= 0) {
			fds[n] = (struct pollfd){ .fd = w->mountinfo, .events = POLLPRI };
			by[n++] = w;
		}
	}
	/* Without a wait: the table's POLLPRI stays until the next poll of that file. */
	if (n && poll(fds, n, 0) > 0)
		for (unsigned int i = 0; i < n; i++)
			if (fds[i].revents & (POLLPRI | POLLERR))
				pass(by[i]);
}

void marks_stats(struct marks_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->unwatched = marks.unwatched;
	ret->passes = marks.passes;
	for (unsigned int i = 0; i <= MARKS_NAMESPACES_MAX; i++) {
		const struct watch *w = i < MARKS_NAMESPACES_MAX ? &marks.ns[i] : &marks.host;

		if (!w->used || w->dropping)
			continue;
		ret->namespaces++;
		ret->marked += w->ok_count;
		ret->failed += w->failed;
		ret->fuse += w->fuse;
	}
}
