// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: what a behaviour event is made of, read from the kernel: file CELL, TASK_ID. */
#include "model/facts.h"

#include "integrity/fsuuid.h"
#include "integrity/measure.h"
#include "model/domains.h"
#include "model/file_cells.h"
#include "model/proc_coe.h"
#include "model/proc_stat.h"
#include "model/task_ids.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/*
 * Filesystems whose files' content is made for each reader (the opener's
 * own /proc/self/status): no digest of one names the file, so the model
 * leaves them out, as IMA's default policy does.
 */
static bool pseudo_filesystem(uint32_t magic)
{
	static const uint32_t pseudo[] = {
		0x9fa0,	    /* proc */
		0x62656572, /* sysfs */
		0x63677270, /* cgroup2 */
		0x27e0eb,   /* cgroup */
		0x64626720, /* debugfs */
		0x74726163, /* tracefs */
		0x73636673, /* securityfs */
		0xcafe4a11, /* bpffs */
		0x1cd1,	    /* devpts */
		0x6e736673, /* nsfs */
	};

	for (size_t i = 0; i < sizeof(pseudo) / sizeof(pseudo[0]); i++)
		if (magic == pseudo[i])
			return true;
	return false;
}

/*
 * @path (canisterd's view) as @pid sees it: without the prefix of its root
 * directory, when it has one of its own (a container's rootfs).
 */
static void path_in_root(pid_t pid, char *path, size_t path_len)
{
	char link[64], root[4096];
	ssize_t n;
	size_t root_len;

	snprintf(link, sizeof(link), "/proc/%d/root", (int)pid);
	n = readlink(link, root, sizeof(root) - 1);
	if (n <= 1)
		return;
	root[n] = '\0';
	root_len = (size_t)n;
	if (strncmp(path, root, root_len) == 0 && path[root_len] == '/')
		memmove(path, path + root_len, strlen(path + root_len) + 1);
	(void)path_len;
}

int model_facts_file(int fd, pid_t pid, uint64_t contid, char *path, size_t path_len,
		     struct canister_model_file *ret)
{
	uint8_t content[CANISTER_MODEL_DIGEST_SIZE];
	struct statfs sfs;
	struct stat st;
	char link[64];
	ssize_t n;
	int r;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOTSUP;
	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	if (pseudo_filesystem((uint32_t)sfs.f_type))
		return -ENOTSUP;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, path_len - 1);
	if (n <= 0)
		return -ENOENT;
	if ((size_t)n >= path_len - 1)
		return -ENAMETOOLONG;
	path[n] = '\0';
	path_in_root(pid, path, path_len);
	memset(ret, 0, sizeof(*ret));
	ret->path = path;
	ret->uid = st.st_uid;
	ret->gid = st.st_gid;
	ret->mode = st.st_mode;
	ret->s_magic = (uint32_t)sfs.f_type;
	/* TSEM zeroes tmpfs's UUID; one the kernel cannot tell is zeros as well. */
	if (ret->s_magic == 0x01021994 ||
	    fsuuid_read(fd, st.st_dev, (uint64_t)sfs.f_type, ret->s_uuid) < 0)
		memset(ret->s_uuid, 0, sizeof(ret->s_uuid));
	r = measure_file_digest(fd, content);
	if (r < 0)
		return r;
	r = model_domains_file_digest(contid, path, content, ret->digest);
	if (r == -ENOENT)
		memcpy(ret->digest, content, sizeof(content));
	else if (r < 0)
		return r;
	/* For a mapping of it observed later, maybe read after its process ended. */
	model_file_cells_put(contid, st.st_dev, st.st_ino, path, ret->digest);
	return 0;
}

int model_facts_exec(pid_t pid, uint64_t contid, uint64_t start_time,
		     const struct canister_model_coe *coe, const struct canister_model_file *exe,
		     uint64_t dev, uint64_t ino)
{
	struct model_task_key key = {
		.tgid = pid, .start_time = start_time, .exe_dev = dev, .exe_ino = ino
	};
	uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE];
	int r = canister_model_task_id(coe, exe, task_id);

	if (r < 0)
		return r;
	model_task_ids_put(contid, &key, task_id, false);
	return 0;
}

/* @pid's key in the TASK_ID table as it runs now, and the stat of its executable. */
static int task_key(pid_t pid, struct model_task_key *ret, struct stat *ret_exe)
{
	struct model_task_key key = { .tgid = pid };
	char link[64];
	pid_t ppid;
	int r;

	r = model_proc_stat(pid, &ppid, &key.start_time);
	if (r < 0)
		return r;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	if (stat(link, ret_exe) < 0)
		return -errno;
	key.exe_dev = ret_exe->st_dev;
	key.exe_ino = ret_exe->st_ino;
	*ret = key;
	return 0;
}

int model_facts_exec_unseen(pid_t pid, uint64_t contid)
{
	struct model_task_key key;
	struct stat st;
	int r = task_key(pid, &key, &st);

	if (r < 0)
		return r;
	/*
	 * A file with links is on a filesystem the gate may watch: an exec of
	 * it the container's table forgot (full, it forgets its oldest) is not
	 * taken for one the gate never saw.  One without links never passed a fanotify mark
	 * (the kernel's own tmpfs of memfds refuses marks) unless it was
	 * unlinked after a gated exec, which the table then holds as seen.  A
	 * TASK_ID derived from /proc does not count: the process's first event
	 * may be judged before identity's exec event is read.
	 */
	if (st.st_nlink > 0)
		return 0;
	return model_task_ids_seen_at_exec(contid, &key) ? 0 : 1;
}

int model_facts_task(pid_t pid, uint64_t contid, uint64_t *ret_start_time,
		     uint8_t ret_task_id[CANISTER_MODEL_DIGEST_SIZE])
{
	static __thread char path[CANISTER_MODEL_PATH_MAX + 1];
	struct canister_model_file exe;
	struct canister_model_coe coe;
	struct model_task_key key;
	struct stat st;
	char link[64];
	int fd, r;

	r = task_key(pid, &key, &st);
	if (r < 0)
		return r;
	*ret_start_time = key.start_time;
	if (model_task_ids_get(contid, &key, ret_task_id))
		return 0;
	/* Not seen at its exec (before the domain, or forgotten): its executable now. */
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	fd = open(link, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = model_facts_file(fd, pid, contid, path, sizeof(path), &exe);
	close(fd);
	if (r < 0)
		return r;
	r = canister_model_proc_coe(pid, &coe);
	if (r < 0)
		return r;
	r = canister_model_task_id(&coe, &exe, ret_task_id);
	if (r < 0)
		return r;
	model_task_ids_put(contid, &key, ret_task_id, true);
	return 0;
}

void model_facts_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}
