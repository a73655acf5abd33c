// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: an observed event's TASK_IDs and mapped file,
 * looked up in /proc after the event (observe_resolve.h).
 */
#include "model/observe_resolve.h"

#include "integrity/ima_verify.h"
#include "integrity/ima_xattr.h"
#include "model/proc_coe.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const struct canister_ima_xattr_algo sha256 = {
	.id = 4,
	.name = "sha256",
	.size = CANISTER_MODEL_DIGEST_SIZE,
};

dev_t canister_model_kernel_dev(uint64_t dev)
{
	return makedev((unsigned int)(dev >> 20), (unsigned int)(dev & 0xfffff));
}

/* 0 when @fd is the inode @dev/@ino (or @ino is 0: any), else -ESTALE. */
static int same_inode(int fd, uint64_t dev, uint64_t ino)
{
	struct stat st;

	if (!ino)
		return 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	return st.st_dev == canister_model_kernel_dev(dev) && st.st_ino == ino ? 0 : -ESTALE;
}

/*
 * The TASK_IDs found, by process and executable: a process's first event
 * is resolved while /proc still has it, its later ones (after it is gone,
 * or changed its credentials) keep that TASK_ID, as TSEM's does from exec
 * on.  A small table, replaced round-robin: for tools, not a daemon.
 */
#define TASK_IDS 512
static struct {
	uint32_t tgid;
	uint64_t start_ns; /* the record's: a reused pid is another task */
	uint64_t exe_dev, exe_ino;
	uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE];
} task_ids[TASK_IDS];
static size_t task_ids_next;

/* The file CELL of the open file @fd named @path. */
static int file_cell(int fd, const char *path, struct canister_model_file *ret)
{
	struct statfs fs;
	struct stat st;

	if (fstat(fd, &st) < 0 || fstatfs(fd, &fs) < 0)
		return -errno;
	ret->path = path;
	ret->uid = st.st_uid;
	ret->gid = st.st_gid;
	ret->mode = st.st_mode;
	ret->s_magic = (uint32_t)fs.f_type;
	/* statfs has no UUID; the BPF record has the superblock's (mmap), a TASK_ID here zeros. */
	memset(ret->s_uuid, 0, sizeof(ret->s_uuid));
	return canister_ima_file_digest(fd, &sha256, ret->digest);
}

/* The TASK_ID of @pid, whose executable must be the inode @exe_dev/@exe_ino unless @exe_ino is 0.
 */
static int task_id_of(uint32_t pid, uint64_t exe_dev, uint64_t exe_ino,
		      uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	char name[64], path[CANISTER_MODEL_PATH_MAX + 1];
	struct canister_model_file exe;
	struct canister_model_coe coe;
	ssize_t len;
	int fd, r;

	r = canister_model_proc_coe((pid_t)pid, &coe);
	if (r < 0)
		return r;
	snprintf(name, sizeof(name), "/proc/%" PRIu32 "/exe", pid);
	len = readlink(name, path, sizeof(path) - 1);
	if (len < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	path[len] = '\0';
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	r = same_inode(fd, exe_dev, exe_ino);
	if (r == 0)
		r = file_cell(fd, path, &exe);
	close(fd);
	if (r < 0)
		return r;
	return canister_model_task_id(&coe, &exe, ret);
}

int canister_model_process_task_id(uint32_t pid, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	return task_id_of(pid, 0, 0, ret);
}

/* The actor's TASK_ID, from the table or found now (and kept). */
static int actor_task_id(const struct canister_model_observed *o,
			 uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	int r;

	for (size_t i = 0; i < TASK_IDS; i++) {
		if (task_ids[i].tgid == o->event.pid && task_ids[i].start_ns == o->start_ns &&
		    task_ids[i].exe_dev == o->exe_dev && task_ids[i].exe_ino == o->exe_ino &&
		    o->exe_ino) {
			memcpy(ret, task_ids[i].task_id, CANISTER_MODEL_DIGEST_SIZE);
			return 0;
		}
	}
	r = task_id_of(o->event.pid, o->exe_dev, o->exe_ino, ret);
	if (r < 0)
		return r;
	task_ids[task_ids_next].tgid = o->event.pid;
	task_ids[task_ids_next].start_ns = o->start_ns;
	task_ids[task_ids_next].exe_dev = o->exe_dev;
	task_ids[task_ids_next].exe_ino = o->exe_ino;
	memcpy(task_ids[task_ids_next].task_id, ret, CANISTER_MODEL_DIGEST_SIZE);
	task_ids_next = (task_ids_next + 1) % TASK_IDS;
	return 0;
}

/* The path of the mapping of @o->dev/@o->ino in /proc/PID/maps, into @path. */
static int mapped_path(const struct canister_model_observed *o, char *path, size_t path_size)
{
	unsigned int major = (unsigned int)(o->dev >> 20), minor = (unsigned int)(o->dev & 0xfffff);
	char name[64], line[CANISTER_MODEL_PATH_MAX + 128];
	int r = -ESTALE;
	FILE *f;

	snprintf(name, sizeof(name), "/proc/%" PRIu32 "/maps", o->event.pid);
	f = fopen(name, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned int maj, min;
		unsigned long long ino;
		int at = 0;

		if (sscanf(line, "%*x-%*x %*s %*x %x:%x %llu %n", &maj, &min, &ino, &at) != 3 ||
		    !at || maj != major || min != minor || ino != o->ino)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, path_size, "%s", line + at);
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

int canister_model_observed_open_mapped(const struct canister_model_observed *o, char *path,
					size_t path_size, int *ret_fd)
{
	const char *open_path = path;
	char name[64];
	ssize_t len;
	int fd, r;

	len = -1;
	if (o->fd >= 0) {
		snprintf(name, sizeof(name), "/proc/%" PRIu32 "/fd/%" PRId32, o->event.pid, o->fd);
		len = readlink(name, path, path_size - 1);
		if (len < 0 && errno != ENOENT)
			return -errno;
	}
	if (len >= 0) {
		path[len] = '\0';
		/* The descriptor itself: the path may name another file by now. */
		open_path = name;
	} else {
		/* lsm mode, or a descriptor closed once mapped (as ld.so does): the mapping. */
		r = mapped_path(o, path, path_size);
		if (r < 0)
			return r;
	}
	fd = open(open_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	r = same_inode(fd, o->dev, o->ino);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

static int resolve_mmap(struct canister_model_observed *o, char *path, size_t path_size)
{
	struct canister_model_file *file = &o->event.cell.mmap.file;
	struct canister_model_file seen;
	int fd, r;

	r = canister_model_observed_open_mapped(o, path, path_size, &fd);
	if (r < 0)
		return r;
	/* The inode's fields are the record's (the kernel's at the event); the digest now. */
	r = file_cell(fd, path, &seen);
	memcpy(file->digest, seen.digest, sizeof(file->digest));
	file->path = path;
	close(fd);
	return r;
}

int canister_model_observed_resolve(struct canister_model_observed *observed, char *path,
				    size_t path_size)
{
	struct canister_model_event *event = &observed->event;
	int r;

	r = actor_task_id(observed, event->task_id);
	if (r < 0)
		return r;
	switch (event->type) {
	case CANISTER_MODEL_TASK_KILL:
		return canister_model_process_task_id(observed->target_tgid,
						      event->cell.kill.target);
	case CANISTER_MODEL_PTRACE:
		if (observed->target_pid_nested)
			return -ESRCH;
		return canister_model_process_task_id(observed->target_tgid,
						      event->cell.ptrace.target);
	case CANISTER_MODEL_MMAP_FILE:
		if (event->cell.mmap.anonymous)
			return 0;
		return resolve_mmap(observed, path, path_size);
	default:
		return 0;
	}
}
