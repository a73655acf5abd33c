// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which of canister's BPF objects a labelled process holds fds to, from /proc. */
#include "identity/held_fds.h"

#include "core/loader.h"
#include "identity/bpf_fds.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The most objects one run loads (the loader keeps as many). */
#define HELD_OBJECTS_MAX 512

/* canister's objects of this run, sorted by kind and id: set before the scanner starts. */
static struct {
	struct loader_object objects[HELD_OBJECTS_MAX];
	size_t count;
} known;

static int object_cmp(const void *a_ptr, const void *b_ptr)
{
	const struct loader_object *a = a_ptr, *b = b_ptr;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void add(struct tamper_facts *facts, const struct loader_object *object)
{
	struct tamper_held *held;

	/* Two fds to one object (dup, or two fd tables) are one finding. */
	for (unsigned int i = 0; i < facts->held_count; i++)
		if (facts->held[i].kind == object->kind && facts->held[i].id == object->id)
			return;
	if (facts->held_count == TAMPER_HELD_MAX) {
		facts->held_more++;
		return;
	}
	held = &facts->held[facts->held_count++];
	held->kind = object->kind;
	held->id = object->id;
	snprintf(held->name, sizeof(held->name), "%s", object->name);
}

/* The fds in /proc/@tgid/@table ("fd", "task/TID/fd") that are canister's objects. */
static void scan_table(pid_t tgid, const char *table, bool (*stop)(void),
		       struct tamper_facts *facts)
{
	char path[96], target[64], info[1024];
	struct loader_object key, *object;
	struct dirent *entry;
	int info_dir, fd;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/%sinfo", (int)tgid, table);
	info_dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	path[strlen(path) - 4] = '\0';
	dir = info_dir >= 0 ? opendir(path) : NULL;
	while (dir && (entry = readdir(dir)) && !stop()) {
		if (entry->d_name[0] == '.')
			continue;
		/* d_path of the open file: an anonymous inode's name, no filesystem asked */
		n = readlinkat(dirfd(dir), entry->d_name, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		key.kind = bpf_fd_kind(target);
		if (!key.kind)
			continue;
		fd = openat(info_dir, entry->d_name, O_RDONLY | O_CLOEXEC);
		n = fd >= 0 ? read(fd, info, sizeof(info) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		info[n] = '\0';
		if (bpf_fd_id(info, key.kind, &key.id))
			continue;
		object = bsearch(&key, known.objects, known.count, sizeof(known.objects[0]),
				 object_cmp);
		if (object)
			add(facts, object);
	}
	if (dir)
		closedir(dir);
	if (info_dir >= 0)
		close(info_dir);
}

/*
 * The fds to canister's objects that @tgid holds: those of its fd table, and
 * of any thread that has a table of its own (unshare(CLONE_FILES); kcmp(2)
 * tells, and where it cannot, the thread's table is read as well).
 */
void held_fds_read(pid_t tgid, bool (*stop)(void), struct tamper_facts *facts)
{
	char path[64], table[64];
	struct dirent *entry;
	DIR *tasks;

	if (!known.count)
		return;
	scan_table(tgid, "fd", stop, facts);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)tgid);
	tasks = opendir(path);
	while (tasks && (entry = readdir(tasks)) && !stop()) {
		pid_t tid = (pid_t)atoi(entry->d_name);

		if (tid <= 0 || tid == tgid ||
		    syscall(SYS_kcmp, tgid, tid, KCMP_FILES, 0UL, 0UL) == 0)
			continue;
		snprintf(table, sizeof(table), "task/%d/fd", (int)tid);
		scan_table(tgid, table, stop, facts);
	}
	if (tasks)
		closedir(tasks);
}

void held_fds_open(void)
{
	known.count = loader_objects(known.objects, HELD_OBJECTS_MAX);
	if (known.count > HELD_OBJECTS_MAX)
		known.count = HELD_OBJECTS_MAX;
	qsort(known.objects, known.count, sizeof(known.objects[0]), object_cmp);
}
