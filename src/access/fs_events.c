// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: file creations and removals a held policy would refuse, recorded after the fact. */
#include "access/fs_events.h"

#include "access/fs_event_parse.h"
#include "access/gate_decide.h"
#include "access/gate_judge.h"
#include "access/held.h"
#include "access/lsm.h"
#include "access/records.h"
#include "core/in_root.h"
#include "core/log.h"
#include "identity/identity.h"
#include "integrity/integrity.h"

#include <canister/canister.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define RIGHTS (CANISTER_ACCESS_FS_CREATE | CANISTER_ACCESS_FS_REMOVE)
#define MASK (FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR)
/* Filesystems whose mount point is kept for open_by_handle_at(). */
#define MOUNTS_MAX 32
/* How long the resolver may take for one directory before it is killed. */
#define RESOLVE_DEADLINE_MS 1000
/* Containers whose directory timed out, not resolved again for a while. */
#define STUCK_MAX 8
#define STUCK_FOR_MS 10000

struct mount_point {
	uint32_t fsid[2];
	char *point; /* as the process's mount table names it */
};

static struct {
	int fan, stop;
	bool open, thread, marked;
	char off[256];
	pthread_t reader;
	/* The resolver's alone (a copy of the reader's, empty, at its fork). */
	struct mount_point mounts[MOUNTS_MAX];
	unsigned int mount_count, mount_next;
	/* The reader's alone: the resolver process, and the containers it got stuck on. */
	struct in_root resolver;
	struct {
		uint64_t contid, until_ms;
	} stuck[STUCK_MAX];
	unsigned int stuck_next;
	_Atomic uint64_t events, overflows, unattributed, unresolved, malformed;
} fse = { .fan = -1, .stop = -1, .off = "not started" };

/* A descriptor of @pid's mount point @point if it is of filesystem @fsid, else -1. */
static int open_point(pid_t pid, const char *point, const uint32_t *fsid)
{
	/*
	 * Resolved in the process's root alone: the container writes its own
	 * tree, and a symlink it planted on the way to a mount point would
	 * otherwise resolve against canisterd's root (a host directory of the
	 * same filesystem, whose path the record would then name).  Not O_PATH:
	 * open_by_handle_at() refuses one as its mount (EBADF).
	 */
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	char root[64];
	struct statfs st;
	int rootfd, fd;

	snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, rootfd, point, &how, sizeof(how));
	close(rootfd);
	if (fd < 0)
		return -1;
	if (fstatfs(fd, &st) == 0 && !memcmp(&st.f_fsid, fsid, 8))
		return fd;
	close(fd);
	return -1;
}

/*
 * A descriptor on the filesystem @fsid names, among the mounts @pid sees
 * (its root and mount table): open_by_handle_at() takes any mount of the
 * superblock.  The caller closes it: a descriptor kept would hold the
 * filesystem busy (a container's unmount would fail).  The mount point is
 * kept instead, checked again at each use, and the table read again when it
 * no longer fits.
 */
static int mount_fd(pid_t pid, const uint32_t *fsid)
{
	char path[64], *line = NULL, *point = NULL;
	struct mount_point *slot = NULL;
	size_t cap = 0;
	FILE *table;
	int fd = -1;

	for (unsigned int i = 0; i < fse.mount_count; i++)
		if (!memcmp(fse.mounts[i].fsid, fsid, sizeof(fse.mounts[i].fsid))) {
			slot = &fse.mounts[i];
			fd = open_point(pid, slot->point, fsid);
			if (fd >= 0)
				return fd;
		}
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
	table = fopen(path, "re");
	if (!table)
		return -1;
	while (fd < 0 && getline(&line, &cap, table) > 0) {
		char field[CANISTER_ACCESS_PATH_MAX];

		/* "ID PARENT MAJ:MIN ROOT POINT ...": the fifth field (octal escapes: skipped). */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", field) != 1 || strchr(field, '\\'))
			continue;
		fd = open_point(pid, field, fsid);
		if (fd >= 0)
			point = strdup(field);
	}
	free(line);
	fclose(table);
	if (!point)
		return fd;
	/* Kept in its slot, or a free one, or the next in turn when all are taken. */
	if (!slot && fse.mount_count < MOUNTS_MAX)
		slot = &fse.mounts[fse.mount_count++];
	else if (!slot)
		slot = &fse.mounts[fse.mount_next++ % MOUNTS_MAX];
	free(slot->point);
	memcpy(slot->fsid, fsid, sizeof(slot->fsid));
	slot->point = point;
	return fd;
}

/* The directory of @event, as canisterd's /proc/self/fd shows it (the gate's records' view). */
static int event_dir(const struct fs_event *event, char *buf, size_t len)
{
	struct {
		struct file_handle head;
		unsigned char bytes[FS_EVENT_HANDLE_MAX];
	} handle;
	char link[64];
	int mount = mount_fd(event->pid, event->fsid), fd, r;
	ssize_t n;

	if (mount < 0)
		return -ENOENT;
	handle.head.handle_bytes = event->handle_bytes;
	handle.head.handle_type = event->handle_type;
	memcpy(handle.head.f_handle, event->handle, event->handle_bytes);
	fd = open_by_handle_at(mount, &handle.head, O_PATH | O_CLOEXEC);
	r = fd < 0 ? -errno : 0;
	close(mount);
	if (r < 0)
		return r;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	buf[n] = '\0';
	return 0;
}

/*
 * The directory of an event is resolved in the container's mount namespace
 * (open_point()), through paths the container chose: a container root can
 * put a filesystem that never answers (a FUSE mount it does not serve) on
 * the way, and an open there waits for ever.  So a helper process resolves
 * it, and the reader waits RESOLVE_DEADLINE_MS at most: a helper that takes
 * longer is killed (a wait in FUSE ends on SIGKILL) and started again at the
 * next event, and that container's events are not resolved for STUCK_FOR_MS.
 */
struct resolve_request {
	pid_t pid;
	uint32_t fsid[2];
	int handle_type;
	uint32_t handle_bytes;
	unsigned char handle[FS_EVENT_HANDLE_MAX];
};

/* The helper (core/in_root.h): a request a message, a reply its error and directory. */
static void resolver_main(int sock, void *arg)
{
	static char buf[IN_ROOT_MSG_MAX], dir[CANISTER_ACCESS_PATH_MAX];
	struct resolve_request request;

	(void)arg;
	for (;;) {
		struct fs_event event = { .name = "" };
		struct in_root_msg msg;
		ssize_t n = recv(sock, buf, sizeof(buf), 0);
		int r;

		if (n <= 0 || in_root_msg_decode(buf, (size_t)n, &msg) < 0 ||
		    in_root_msg_fixed(&msg, &request, sizeof(request)) < 0 ||
		    request.handle_bytes > FS_EVENT_HANDLE_MAX)
			return;
		event.pid = request.pid;
		memcpy(event.fsid, request.fsid, sizeof(event.fsid));
		event.handle_type = request.handle_type;
		event.handle_bytes = request.handle_bytes;
		memcpy(event.handle, request.handle, request.handle_bytes);
		r = event_dir(&event, dir, sizeof(dir));
		if (r < 0)
			dir[0] = '\0';
		if (in_root_send(sock, 0, r, dir, strlen(dir) + 1, -1) < 0)
			return;
	}
}

static void resolver_stop(void)
{
	/* One stuck in a wait it cannot leave is reaped by the main loop when it ends. */
	in_root_end(&fse.resolver, true);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool stuck(uint64_t contid)
{
	uint64_t now = now_ms();

	for (unsigned int i = 0; i < STUCK_MAX; i++)
		if (fse.stuck[i].contid == contid && fse.stuck[i].until_ms > now)
			return true;
	return false;
}

/* event_dir() of @event for container @contid, by the resolver, within its deadline. */
static int resolve_dir(const struct fs_event *event, uint64_t contid, char *buf, size_t len)
{
	static char reply[IN_ROOT_MSG_MAX];
	struct resolve_request request = {
		.pid = event->pid,
		.handle_type = event->handle_type,
		.handle_bytes = event->handle_bytes,
	};
	struct in_root_msg msg;
	const char *dir;
	char why[256];
	int r;

	if (stuck(contid))
		return -ETIMEDOUT;
	if (!fse.resolver.pid) {
		r = in_root_start(&fse.resolver, "the create/remove directory resolver", 0, NULL, 0,
				  resolver_main, NULL, why, sizeof(why));
		if (r < 0) {
			log_debug("access: %s", why);
			return r;
		}
	}
	memcpy(request.fsid, event->fsid, sizeof(request.fsid));
	memcpy(request.handle, event->handle, event->handle_bytes);
	if (in_root_send(fse.resolver.sock, 0, 0, &request, sizeof(request), -1) < 0) {
		resolver_stop();
		return -EPIPE;
	}
	r = in_root_wait(&fse.resolver, RESOLVE_DEADLINE_MS);
	if (r == 0) {
		log_warning("access: container %" PRIu64 ": pid %d's directory is not resolved "
			    "within %d ms (a filesystem of its mount table does not answer): its "
			    "creates and removes are not recorded for %d s; the resolver (pid %d) "
			    "is killed",
			    contid, (int)event->pid, RESOLVE_DEADLINE_MS, STUCK_FOR_MS / 1000,
			    (int)fse.resolver.pid);
		resolver_stop();
		fse.stuck[fse.stuck_next].contid = contid;
		fse.stuck[fse.stuck_next].until_ms = now_ms() + STUCK_FOR_MS;
		fse.stuck_next = (fse.stuck_next + 1) % STUCK_MAX;
		return -ETIMEDOUT;
	}
	r = r < 0 ? r : in_root_recv(&fse.resolver, reply, &msg, NULL);
	dir = r == 1 ? in_root_msg_string(&msg) : NULL;
	if (!dir) {
		resolver_stop();
		return -EPROTO;
	}
	if (msg.err < 0)
		return msg.err;
	if (strlen(dir) >= len)
		return -ENAMETOOLONG;
	memcpy(buf, dir, strlen(dir) + 1);
	return 0;
}

static void record(const struct fs_event *event, uint32_t right, const uint64_t *chain,
		   unsigned int depth, const struct access_gate_verdict *verdict, const char *path)
{
	char exe[CANISTER_ACCESS_PATH_MAX];
	struct access_decision decision = {
		.chain = chain,
		.depth = depth,
		.by = verdict->by,
		.pid = event->pid,
		.op = right == CANISTER_ACCESS_FS_CREATE ? "create" : "remove",
		.target = path,
		.right = canister_access_fs_right_name(right),
		/* After the fact: the name is made or gone whatever the mode says. */
		.cause = "recorded-only",
		.enforce = false,
	};

	decision.exe = access_record_exe(event->pid, exe, sizeof(exe));
	access_record(&decision);
}

/* "create", "remove", or both merged, for the log. */
static const char *rights_name(uint32_t rights)
{
	if (rights == RIGHTS)
		return "create and remove";
	return canister_access_fs_right_name(rights);
}

static void handle(const struct fs_event *event)
{
	static char dir[CANISTER_ACCESS_PATH_MAX], path[CANISTER_ACCESS_PATH_MAX + 256];
	struct access_gate_level levels[CANISTER_NEST_LIMIT_MAX];
	uint64_t chain[CANISTER_NEST_LIMIT_MAX];
	struct canister_label label;
	struct access_gate_verdict verdict;
	uint32_t rights = fs_event_rights(event->mask);
	unsigned int depth, count;
	int r;

	if (event->overflow) {
		fse.overflows++;
		return;
	}
	if (!rights || event->pid == getpid())
		return;
	fse.events++;
	if (identity_label(event->pid, &label) < 0 || label.contid == CANISTER_CONTID_UNSET) {
		/* Gone before its event was read: whose it was cannot be told. */
		if (event->pid <= 0 || kill(event->pid, 0) < 0) {
			fse.unattributed++;
			log_debug("access: pid %d's %s of \"%s\": the process exited before it "
				  "was read (unattributed)",
				  (int)event->pid, rights_name(rights), event->name);
		}
		return;
	}
	depth = identity_parents(label.contid, chain);
	access_held_lock();
	count = access_gate_levels_locked(chain, depth, rights, NULL);
	access_held_unlock();
	if (!count)
		return;
	r = resolve_dir(event, label.contid, dir, sizeof(dir));
	if (r < 0 || fs_event_path(dir, event->name, path, sizeof(path)) < 0) {
		fse.unresolved++;
		log_debug("access: container %" PRIu64 ": pid %d's %s of \"%s\": its directory "
			  "cannot be opened: %s",
			  (uint64_t)label.contid, (int)event->pid, rights_name(rights), event->name,
			  r < 0 ? strerror(-r) : "too long a path");
		return;
	}
	/* A merged event (made and taken before it was read): each right decided and recorded. */
	for (uint32_t right = CANISTER_ACCESS_FS_CREATE; right & RIGHTS; right <<= 1) {
		if (!(rights & right))
			continue;
		access_held_lock();
		count = access_gate_levels_locked(chain, depth, right, levels);
		access_gate_decide(levels, count, right, path, strlen(path), &verdict);
		access_held_unlock();
		if (count && verdict.refused)
			record(event, right, chain, depth, &verdict, path);
	}
}

static void *reader(void *arg)
{
	/* Aligned as struct fanotify_event_metadata, which the kernel writes first. */
	static uint64_t buf[4096];
	struct pollfd fds[2] = { { .fd = fse.fan, .events = POLLIN },
				 { .fd = fse.stop, .events = POLLIN } };

	(void)arg;
	for (;;) {
		struct fs_event event;
		size_t offset = 0;
		ssize_t len;
		int r;

		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		if (fds[1].revents)
			break;
		len = read(fse.fan, buf, sizeof(buf));
		if (len <= 0)
			continue;
		while ((r = fs_event_next(buf, (size_t)len, &offset, &event)) == 1)
			handle(&event);
		if (r < 0)
			fse.malformed++;
	}
	return NULL;
}

int access_fs_events_open(char *why, size_t why_len)
{
	sigset_t all, old;
	int r;

	fse.fan = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK,
				O_RDONLY | O_CLOEXEC);
	if (fse.fan < 0) {
		r = -errno;
		snprintf(why, why_len, "fanotify_init(FAN_REPORT_DFID_NAME): %s%s", strerror(-r),
			 r == -EINVAL ? " (a kernel before 5.9)" : "");
		goto fail;
	}
	fse.stop = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fse.stop < 0) {
		r = -errno;
		snprintf(why, why_len, "eventfd: %s", strerror(-r));
		goto fail;
	}
	/* Signals are the main loop's (signalfd): the reader takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&fse.reader, NULL, reader, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		snprintf(why, why_len, "reader thread: %s", strerror(-r));
		goto fail;
	}
	fse.thread = true;
	fse.open = true;
	return 0;
fail:
	snprintf(fse.off, sizeof(fse.off), "%s", why);
	access_fs_events_close();
	return r;
}

void access_fs_events_close(void)
{
	uint64_t one = 1;

	if (fse.marked)
		integrity_mark_also(-1, 0);
	fse.marked = false;
	if (fse.thread) {
		if (write(fse.stop, &one, sizeof(one)) != sizeof(one))
			log_warning("access: cannot stop the create/remove reader: %s",
				    strerror(errno));
		else
			pthread_join(fse.reader, NULL);
		fse.thread = false;
	}
	resolver_stop();
	for (unsigned int i = 0; i < fse.mount_count; i++)
		free(fse.mounts[i].point);
	fse.mount_count = fse.mount_next = 0;
	if (fse.stop >= 0)
		close(fse.stop);
	if (fse.fan >= 0)
		close(fse.fan);
	fse.stop = fse.fan = -1;
	fse.open = false;
}

void access_fs_events_follow(void)
{
	bool want;

	if (!fse.open)
		return;
	/* In lsm mode BPF LSM decides them before the fact: nothing to record after it. */
	want = access_held_handles_fs(RIGHTS) && !access_lsm_enforcing();
	if (want == fse.marked)
		return;
	if (want) {
		fse.marked = integrity_mark_also(fse.fan, MASK);
		if (fse.marked)
			log_info("access: a held policy handles create or remove: recorded after "
				 "the fact (fanotify FAN_CREATE / FAN_DELETE)");
		return;
	}
	integrity_mark_also(-1, 0);
	if (fanotify_mark(fse.fan, FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, 0, AT_FDCWD, NULL) < 0)
		log_warning("access: cannot remove the create/remove marks: %s", strerror(errno));
	fse.marked = false;
	log_info("access: no held policy handles create or remove: not watched any more");
}

const char *access_fs_events_off(void)
{
	return fse.open ? NULL : fse.off;
}

void access_fs_events_stats(struct access_fs_events_stats *ret)
{
	ret->marked = fse.marked;
	ret->events = fse.events;
	ret->overflows = fse.overflows;
	ret->unattributed = fse.unattributed;
	ret->unresolved = fse.unresolved;
	ret->malformed = fse.malformed;
}
