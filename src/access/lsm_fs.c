// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: lsm mode: a policy's create and remove rule paths bound to inodes in its container's
 * root. */
#include "access/lsm_fs.h"

#include "access/lsm_maps.h"
#include "core/in_root.h"
#include "core/log.h"
#include "identity/identity.h"

#include <bpf/bpf.h>
#include <canister/canister.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * What the helper says of one path, with its O_PATH fd when it resolved (or
 * a deny's ancestor did), passed over the socket: the inode is marked by
 * canisterd through that fd, not found again by its number.
 */
struct resolved {
	uint32_t index;
	int32_t err;	   /* 0, or -errno of the path itself */
	uint32_t fallback; /* the bytes of the path an unresolved deny was bound at; 0: none */
	int32_t fd;	   /* canisterd's, once received; -1: none */
};

/*
 * A live process of @contid whose root is the container's: the one it was
 * registered with while it lives (a recycled pid has another label), else
 * any process labelled with it.  0: none lives.
 */
static bool labelled(pid_t pid, uint64_t contid)
{
	struct canister_label label;

	/* The pinned labels map: what BPF holds now, not what canisterd read of it so far. */
	return identity_label(pid, &label) == 0 && label.contid == contid;
}

static pid_t container_pid(uint64_t contid)
{
	struct canister_container container;
	struct dirent *entry;
	pid_t found = 0;
	DIR *proc;

	if (contid == CANISTER_ACCESS_LSM_DEFAULT_KEY)
		return 0;
	if (identity_container(contid, &container) == 0 && container.first_tgid &&
	    labelled((pid_t)container.first_tgid, contid))
		return (pid_t)container.first_tgid;
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while (!found && (entry = readdir(proc))) {
		pid_t pid;

		if (!isdigit((unsigned char)entry->d_name[0]))
			continue;
		pid = (pid_t)atoi(entry->d_name);
		if (labelled(pid, contid))
			found = pid;
	}
	closedir(proc);
	return found;
}

/* @path (NUL-terminated) beneath @root alone, no symlink followed: an O_PATH fd, or -errno. */
static int resolve_one(int root, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

struct helper_args {
	int root;
	const struct access_lsm_fs_path *paths;
	size_t n;
	char *scratch;
};

/* Where a deny fell back to: the payload of a path's message (tag its index, its fd with it). */
struct resolved_msg {
	uint32_t fallback;
};

/*
 * The helper (core/in_root.h): every path resolved beneath the root, one
 * message each, with the O_PATH fd of the path (or of the ancestor an
 * unresolved deny fell back to: nearest first, down to "/").
 */
static void helper(int out, void *arg)
{
	const struct helper_args *args = arg;
	char *scratch = args->scratch;

	for (size_t i = 0; i < args->n; i++) {
		const struct access_lsm_fs_path *path = &args->paths[i];
		struct resolved_msg msg = { 0 };
		int fd = resolve_one(args->root, path->path);
		int err = fd < 0 ? fd : 0;
		int sent;

		if (fd < 0 && path->denied) {
			size_t len = path->path_len;

			memcpy(scratch, path->path, len + 1);
			while (len > 1) {
				while (len > 1 && scratch[len - 1] != '/')
					len--;
				if (len > 1)
					len--;
				scratch[len] = '\0';
				fd = resolve_one(args->root, scratch);
				if (fd >= 0) {
					msg.fallback = (uint32_t)len;
					break;
				}
			}
		}
		sent = in_root_send(out, (uint32_t)i, err, &msg, sizeof(msg), fd);
		if (fd >= 0)
			close(fd);
		if (sent < 0)
			return;
	}
}

/*
 * Runs the helper in @pid's root (0: canisterd's) and reads its answers into
 * @ret[0..@n), with the fds it passes (the caller closes them; -1 where none).
 */
static int resolve(pid_t pid, const struct access_lsm_fs_path *paths, size_t n,
		   struct resolved *ret, char *why, size_t why_len)
{
	struct helper_args args = { .paths = paths, .n = n };
	char root_path[64], buf[IN_ROOT_MSG_MAX];
	struct in_root h;
	size_t got = 0;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		ret[i].fd = -1;
	if (pid)
		snprintf(root_path, sizeof(root_path), "/proc/%d/root", (int)pid);
	else
		snprintf(root_path, sizeof(root_path), "/");
	args.scratch = malloc(CANISTER_ACCESS_PATH_MAX + 1);
	if (!args.scratch)
		return -ENOMEM;
	/* The root link itself is no walk through the container's filesystems. */
	args.root = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (args.root < 0) {
		r = -errno;
		snprintf(why, why_len, "cannot open %s: %s", root_path, strerror(-r));
		free(args.scratch);
		return r;
	}
	r = in_root_start(&h, "the rule path resolver", ACCESS_LSM_FS_DEADLINE_MS, &args.root, 1,
			  helper, &args, why, why_len);
	if (r < 0)
		goto out;
	while (got < n) {
		struct resolved_msg msg;
		struct in_root_msg m;
		int fd = -1;

		r = in_root_recv(&h, buf, &m, &fd);
		if (r == 0) {
			r = in_root_wait(&h, -1);
			if (r == 0) {
				r = -ETIMEDOUT;
				snprintf(
					why, why_len,
					"the rule paths did not resolve within %d ms (a filesystem "
					"that does not answer on the way?)",
					ACCESS_LSM_FS_DEADLINE_MS);
				break;
			}
			if (r > 0)
				continue;
			snprintf(why, why_len, "cannot wait for the path resolver: %s",
				 strerror(-r));
			break;
		}
		if (r == -EPIPE) {
			r = -EIO;
			snprintf(why, why_len, "the path resolver ended after %zu of %zu paths",
				 got, n);
			break;
		}
		if (r < 0 || in_root_msg_fixed(&m, &msg, sizeof(msg)) < 0 || m.tag != got) {
			if (fd >= 0)
				close(fd);
			r = -EPROTO;
			snprintf(why, why_len, "the path resolver's answer %zu is malformed", got);
			break;
		}
		ret[got++] = (struct resolved){
			.index = m.tag, .err = m.err, .fallback = msg.fallback, .fd = fd
		};
		r = 0;
	}
	/* Killed when it failed; one stuck in an uninterruptible wait is reaped later. */
	in_root_end(&h, r < 0);
out:
	close(args.root);
	free(args.scratch);
	return r;
}

static int put_rule(int fd, const struct canister_access_lsm_fs_key *key, uint32_t allowed,
		    uint32_t denied)
{
	struct canister_access_lsm_fs_rule rule = { 0 };

	/* Two paths on one inode (a hard link, a bind mount): both rules hold there. */
	(void)bpf_map_lookup_elem(fd, key, &rule);
	rule.allowed |= allowed;
	rule.denied |= denied;
	return bpf_map_update_elem(fd, key, &rule, BPF_ANY) < 0 ? -errno : 0;
}

/*
 * Marks the inode of the O_PATH fd @fd (lsm/file_fcntl, on this thread's
 * request in @binding_fd) and gives its identity as the kernel holds it:
 * the rules' key, with no stat(2) encoding in between.  0, or -errno:
 * -ENOTRECOVERABLE when the program did not answer (not attached, or no
 * memory for the mark).
 */
static int mark_inode(int binding_fd, int fd, __u32 *ret_dev, __u64 *ret_ino)
{
	__u64 thread = ((__u64)getpid() << 32) | (__u64)(uint32_t)syscall(SYS_gettid);
	struct canister_access_lsm_fs_binding request = { 0 };
	int r = 0;

	if (bpf_map_update_elem(binding_fd, &thread, &request, BPF_ANY) < 0)
		return -errno;
	if (fcntl(fd, F_GETFD, (unsigned long)CANISTER_ACCESS_LSM_FS_BIND_COOKIE) < 0)
		r = -errno;
	else if (bpf_map_lookup_elem(binding_fd, &thread, &request) < 0)
		r = -errno;
	else if (!request.done)
		r = -ENOTRECOVERABLE;
	(void)bpf_map_delete_elem(binding_fd, &thread);
	if (r == 0) {
		*ret_dev = request.dev;
		*ret_ino = request.ino;
	}
	return r;
}

int access_lsm_fs_bind(const struct access_lsm_fs_maps *maps, uint64_t contid, uint32_t generation,
		       const struct canister_access_policy *policy, char *why, size_t why_len)
{
	struct access_lsm_fs_path *paths;
	struct resolved *resolved;
	size_t n = 0;
	pid_t pid;
	int r = 0;

	if (!(policy->fs_handled & CANISTER_ACCESS_LSM_FS))
		return 0;
	paths = calloc(policy->fs_count + 1, sizeof(*paths));
	resolved = calloc(policy->fs_count + 1, sizeof(*resolved));
	if (!paths || !resolved) {
		r = -ENOMEM;
		snprintf(why, why_len, "out of memory");
		goto out;
	}
	n = access_lsm_fs_paths(policy, paths);
	if (!n)
		goto out;
	pid = container_pid(contid);
	if (!pid && contid != CANISTER_ACCESS_LSM_DEFAULT_KEY) {
		r = -ESRCH;
		snprintf(why, why_len,
			 "no live process of container %" PRIu64
			 " to resolve its create and remove rule paths in",
			 contid);
		n = 0;
		goto out;
	}
	r = resolve(pid, paths, n, resolved, why, why_len);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct access_lsm_fs_path *path =
			&paths[resolved[i].index < n ? resolved[i].index : i];
		struct canister_access_lsm_fs_key key = {
			.contid = contid,
			.generation = generation,
		};
		uint32_t allowed = resolved[i].err ? 0 : path->allowed;

		if (resolved[i].fd < 0) {
			log_info("access: container %" PRIu64 "'s rule path %s does not resolve in "
				 "its root (%s): it binds nothing, and its create and remove "
				 "rights are refused beneath it",
				 contid, path->path, strerror(-resolved[i].err));
			continue;
		}
		if (resolved[i].err)
			log_warning("access: container %" PRIu64 "'s rule path %s does not resolve "
				    "in its root (%s): its deny is bound to %.*s, which refuses "
				    "more",
				    contid, path->path, strerror(-resolved[i].err),
				    (int)resolved[i].fallback, path->path);
		r = mark_inode(maps->binding_fd, resolved[i].fd, &key.dev, &key.ino);
		if (r < 0) {
			snprintf(why, why_len,
				 "BPF LSM cannot mark the inode of container %" PRIu64
				 "'s rule path %s: %s",
				 contid, path->path,
				 r == -ENOTRECOVERABLE
					 ? "the marking program did not answer (no memory for the "
					   "inode's storage, or 4096 filesystems hold marks)"
					 : strerror(-r));
			goto out;
		}
		r = put_rule(maps->rules_fd, &key, allowed, path->denied);
		if (r < 0) {
			if (r == -E2BIG)
				snprintf(why, why_len,
					 "BPF LSM holds %d bound create and remove rule paths at "
					 "most, and holds that many",
					 CANISTER_ACCESS_LSM_FS_RULES_MAX);
			else
				snprintf(why, why_len,
					 "BPF LSM cannot hold container %" PRIu64
					 "'s rule path %s: %s",
					 contid, path->path, strerror(-r));
			goto out;
		}
	}
out:
	for (size_t i = 0; resolved && i < n; i++)
		if (resolved[i].fd >= 0)
			close(resolved[i].fd);
	free(paths);
	free(resolved);
	return r;
}

/* The keys of the map @fd that @match takes, into *@ret_keys (the caller frees). */
static size_t collect(int fd, access_lsm_fs_match match, const void *arg,
		      struct canister_access_lsm_fs_key **ret_keys)
{
	struct canister_access_lsm_fs_key key, next, *keys = NULL;
	size_t n = 0, cap = 0;
	bool more = bpf_map_get_next_key(fd, NULL, &key) == 0;

	while (more) {
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		if (match(&key, arg)) {
			if (n == cap) {
				struct canister_access_lsm_fs_key *grown;

				cap = cap ? cap * 2 : 64;
				grown = realloc(keys, cap * sizeof(*keys));
				if (!grown)
					break;
				keys = grown;
			}
			keys[n++] = key;
		}
		key = next;
	}
	*ret_keys = keys;
	return n;
}

void access_lsm_fs_drop_if(int fd, access_lsm_fs_match match, const void *arg)
{
	struct canister_access_lsm_fs_key *keys;
	size_t n = collect(fd, match, arg, &keys);

	/* Collected first: a deletion while walking the keys may restart the walk. */
	for (size_t i = 0; i < n; i++)
		(void)bpf_map_delete_elem(fd, &keys[i]);
	free(keys);
}

struct generation_of {
	uint64_t contid;
	uint32_t generation;
};

static bool other_generation(const struct canister_access_lsm_fs_key *key, const void *arg)
{
	const struct generation_of *of = arg;

	return key->contid == of->contid && (!of->generation || key->generation != of->generation);
}

static bool same_generation(const struct canister_access_lsm_fs_key *key, const void *arg)
{
	const struct generation_of *of = arg;

	return key->contid == of->contid && key->generation == of->generation;
}

void access_lsm_fs_unbind(int fd, uint64_t contid, uint32_t keep)
{
	struct generation_of of = { .contid = contid, .generation = keep };

	access_lsm_fs_drop_if(fd, other_generation, &of);
}

bool access_lsm_fs_bound(int fd, uint64_t contid, uint32_t generation)
{
	struct generation_of of = { .contid = contid, .generation = generation };
	struct canister_access_lsm_fs_key *keys;
	size_t n = collect(fd, same_generation, &of, &keys);

	free(keys);
	return n > 0;
}
