// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the gate's reader answers at once an exec the judge found listed everywhere before. */
#include "integrity/fast_answer.h"

#include "integrity/appraise_judge.h"

#include "identity/identity.h"
#include "integrity/listed_set.h"
#include "integrity/write_gen.h"
#include "lib/procfs.h"

#include <canister/canister.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Files remembered at once, all containers: about 1 MiB. */
#define FAST_SLOTS 4096

#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif
#ifndef EROFS_SUPER_MAGIC_V1
#define EROFS_SUPER_MAGIC_V1 0xe0f5e1e2
#endif
#ifndef F2FS_SUPER_MAGIC
#define F2FS_SUPER_MAGIC 0xf2f52010
#endif

/*
 * Descriptors of /proc/self/fdinfo/N held open, by N modulo: fanotify gives
 * each event the lowest free descriptor, so a few numbers come back again
 * and again.  fdinfo's text is made at each read from the descriptor the
 * number names then, so a pread at 0 of one held open reads the file the
 * number holds now: one system call per event instead of an open, a read
 * and a close (a third of the reader's CPU on a cached exec, in perf).
 */
#define FDINFO_SLOTS 16

/*
 * Under @lock only a lookup or a copy: the reader never waits longer.
 * @fdinfo is canisterd's /proc/self/fdinfo, held open; @infos, under
 * @info_lock, are its entries read most, each with the number it names.
 */
static struct {
	pthread_mutex_t lock, info_lock;
	struct listed_set set;
	int fdinfo;
	struct {
		int fd, info;
	} infos[FDINFO_SLOTS];
} fast = { .lock = PTHREAD_MUTEX_INITIALIZER,
	   .info_lock = PTHREAD_MUTEX_INITIALIZER,
	   .fdinfo = -1 };

int fast_answer_open(void)
{
	int r;

	r = listed_set_init(&fast.set, FAST_SLOTS);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < FDINFO_SLOTS; i++)
		fast.infos[i].info = -1;
	/* Without it (no /proc), every lookup fails: no fast answer, as before. */
	fast.fdinfo = open("/proc/self/fdinfo", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return 0;
}

void fast_answer_close(void)
{
	pthread_mutex_lock(&fast.lock);
	listed_set_free(&fast.set);
	pthread_mutex_unlock(&fast.lock);
	pthread_mutex_lock(&fast.info_lock);
	for (unsigned int i = 0; i < FDINFO_SLOTS; i++) {
		if (fast.infos[i].info >= 0)
			close(fast.infos[i].info);
		fast.infos[i].info = -1;
	}
	if (fast.fdinfo >= 0)
		close(fast.fdinfo);
	fast.fdinfo = -1;
	pthread_mutex_unlock(&fast.info_lock);
}

/*
 * Filesystems whose getattr answers from the inode in memory: local disks
 * and memory.  Not overlayfs, whose getattr asks its layers, which may be a
 * network filesystem that ignores AT_STATX_DONT_SYNC (9p without a cache),
 * nor NFS, CIFS, 9p, FUSE, GFS2 or OCFS2 (a server, a cluster lock).
 */
static bool attributes_local(long magic)
{
	switch (magic) {
	case TMPFS_MAGIC:
	case RAMFS_MAGIC:
	case EXT4_SUPER_MAGIC: /* ext2 and ext3 too */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case SQUASHFS_MAGIC:
	case EROFS_SUPER_MAGIC_V1:
	case F2FS_SUPER_MAGIC:
		return true;
	default:
		return false;
	}
}

/* The decimal value of @key's line in fdinfo @text.  Returns 0 or -EPROTO. */
static int fdinfo_u64(const char *text, const char *key, uint64_t *ret)
{
	char value[32], *end;
	uint64_t n;

	if (canister_proc_status_field(text, key, value, sizeof(value)) < 0)
		return -EPROTO;
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno || *end || end == value)
		return -EPROTO;
	*ret = n;
	return 0;
}

/* /proc/self/fdinfo/@fd's text into @text (@size with its NUL).  Returns its length or -errno. */
static ssize_t fdinfo_read(int fd, char *text, size_t size)
{
	int slot = fd % FDINFO_SLOTS;
	char name[16];
	ssize_t n;

	pthread_mutex_lock(&fast.info_lock);
	if (fast.infos[slot].info < 0 || fast.infos[slot].fd != fd) {
		if (fast.infos[slot].info >= 0)
			close(fast.infos[slot].info);
		snprintf(name, sizeof(name), "%d", fd);
		fast.infos[slot].fd = fd;
		/* A failed open is tried again at the next event of this number. */
		fast.infos[slot].info = openat(fast.fdinfo, name, O_RDONLY | O_CLOEXEC);
	}
	n = fast.infos[slot].info < 0 ? -1 : pread(fast.infos[slot].info, text, size - 1, 0);
	n = n < 0 ? -errno : n;
	pthread_mutex_unlock(&fast.info_lock);
	if (n >= 0)
		text[n] = '\0';
	return n;
}

/* The mount and inode of canisterd's descriptor @fd, from /proc/self/fdinfo: kernel text. */
static int fd_mount_inode(int fd, uint64_t *ret_mnt_id, uint64_t *ret_ino)
{
	char text[512];
	uint64_t mnt_id, ino;
	ssize_t n;

	if (fd < 0)
		return -EBADF;
	n = fdinfo_read(fd, text, sizeof(text));
	if (n <= 0)
		return -EPROTO;
	if (fdinfo_u64(text, "mnt_id", &mnt_id) < 0 || fdinfo_u64(text, "ino", &ino) < 0)
		return -EPROTO;
	*ret_mnt_id = mnt_id;
	*ret_ino = ino;
	return 0;
}

void fast_answer_learn(const struct gate_event *event, const struct stat *st,
		       const struct integrity_file_key *key, const uint64_t *chain,
		       unsigned int depth)
{
	struct listed_file file = { .contid = event->contid, .depth = depth };
	struct statfs sfs;

	if (!(event->mask & FAN_OPEN_EXEC_PERM) || depth == 0 || depth > CANISTER_NEST_LIMIT_MAX)
		return;
	if (fstatfs(event->fd, &sfs) < 0 || !attributes_local((long)sfs.f_type))
		return;
	if (fd_mount_inode(event->fd, &file.mnt_id, &file.ino) < 0 || file.ino != st->st_ino)
		return;
	file.key = *key;
	memcpy(file.chain, chain, depth * sizeof(*chain));
	pthread_mutex_lock(&fast.lock);
	listed_set_put(&fast.set, &file);
	pthread_mutex_unlock(&fast.lock);
}

/* The file's version from its cached attributes: no filesystem is asked to refresh them. */
static int cached_version(int fd, struct integrity_file_key *ret)
{
	struct statx stx;
	struct stat st = { 0 };

	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &stx) < 0)
		return -errno;
	if (!S_ISREG(stx.stx_mode))
		return -EINVAL;
	st.st_dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	st.st_ino = stx.stx_ino;
	st.st_size = (off_t)stx.stx_size;
	st.st_ctim.tv_sec = stx.stx_ctime.tv_sec;
	st.st_ctim.tv_nsec = stx.stx_ctime.tv_nsec;
	st.st_mtim.tv_sec = stx.stx_mtime.tv_sec;
	st.st_mtim.tv_nsec = stx.stx_mtime.tv_nsec;
	integrity_file_key_from_stat(&st, write_gen_of(st.st_dev, st.st_ino), ret);
	return 0;
}

bool fast_answer(const struct gate_event *event, void *ctx)
{
	uint64_t chain[CANISTER_NEST_LIMIT_MAX], mnt_id, ino;
	struct integrity_file_key key;
	struct listed_file file;
	unsigned int depth;
	bool found;

	(void)ctx;
	if (!(event->mask & FAN_OPEN_EXEC_PERM) || (event->mask & FAN_OPEN_PERM))
		return false;
	if (fd_mount_inode(event->fd, &mnt_id, &ino) < 0)
		return false;
	pthread_mutex_lock(&fast.lock);
	found = listed_set_find(&fast.set, event->contid, mnt_id, ino, &file);
	pthread_mutex_unlock(&fast.lock);
	/* Only a file the judge saw on a local filesystem gets as far as a statx. */
	if (!found || cached_version(event->fd, &key) < 0)
		return false;
	/* @contid's chain now, as measure's judge walks it. */
	depth = identity_parents(event->contid, chain);
	if (!listed_set_matches(&file, &key, chain, depth))
		return false;
	/* Learnt while no level appraised: a mode set since sends the exec to the judge. */
	return !appraise_judge_wanted(event, chain, depth);
}
