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
#include <sys/sysmacros.h>
#include <unistd.h>

/* What the helper says of one path: its inode, or where a deny fell back to. */
struct resolved {
	uint32_t index;
	int32_t err;	   /* 0, or -errno of the path itself */
	uint32_t fallback; /* the bytes of the path an unresolved deny was bound at; 0: none */
	uint32_t dev;	   /* the kernel's s_dev */
	uint64_t ino;
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

/* @path (NUL-terminated) resolved beneath @root alone, no symlink followed; 0 or -errno. */
static int resolve_one(int root, const char *path, struct resolved *ret)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	close(fd);
	ret->dev = access_lsm_kernel_dev(major(st.st_dev), minor(st.st_dev));
	ret->ino = (uint64_t)st.st_ino;
	return 0;
}

struct helper_args {
	int root;
	const struct access_lsm_fs_path *paths;
	size_t n;
	char *scratch;
};

/* A path's inode, or where its deny fell back to: the payload of its message (tag its index). */
struct resolved_msg {
	uint32_t fallback;
	uint32_t dev;
	uint64_t ino;
};

/*
 * The helper (core/in_root.h): every path resolved beneath the root, one
 * message each.  An unresolved deny tries its ancestors, nearest first,
 * down to "/".
 */
static void helper(int out, void *arg)
{
	const struct helper_args *args = arg;
	char *scratch = args->scratch;

	for (size_t i = 0; i < args->n; i++) {
		const struct access_lsm_fs_path *path = &args->paths[i];
		struct resolved r = { .index = (uint32_t)i };
		struct resolved_msg msg;

		r.err = resolve_one(args->root, path->path, &r);
		if (r.err && path->denied) {
			size_t len = path->path_len;

			memcpy(scratch, path->path, len + 1);
			while (len > 1) {
				while (len > 1 && scratch[len - 1] != '/')
					len--;
				if (len > 1)
					len--;
				scratch[len] = '\0';
				if (resolve_one(args->root, scratch, &r) == 0) {
					r.fallback = (uint32_t)len;
					break;
				}
			}
		}
		msg = (struct resolved_msg){ .fallback = r.fallback, .dev = r.dev, .ino = r.ino };
		if (in_root_send(out, r.index, r.err, &msg, sizeof(msg), -1) < 0)
			return;
	}
}

/* Runs the helper in @pid's root (0: canisterd's) and reads its answers into @ret[0..@n). */
static int resolve(pid_t pid, const struct access_lsm_fs_path *paths, size_t n,
		   struct resolved *ret, char *why, size_t why_len)
{
	struct helper_args args = { .paths = paths, .n = n };
	char root_path[64], buf[IN_ROOT_MSG_MAX];
	struct in_root h;
	size_t got = 0;
	int r = 0;

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

		r = in_root_recv(&h, buf, &m, NULL);
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
		if (r < 0 || in_root_msg_fixed(&m, &msg, sizeof(msg)) < 0) {
			r = -EPROTO;
			snprintf(why, why_len, "the path resolver's answer %zu is malformed", got);
			break;
		}
		ret[got++] = (struct resolved){ .index = m.tag,
						.err = m.err,
						.fallback = msg.fallback,
						.dev = msg.dev,
						.ino = msg.ino };
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

int access_lsm_fs_bind(int fd, uint64_t contid, uint32_t generation,
		       const struct canister_access_policy *policy, char *why, size_t why_len)
{
	struct access_lsm_fs_path *paths;
	struct resolved *resolved;
	size_t n;
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
			.ino = resolved[i].ino,
			.dev = resolved[i].dev,
			.generation = generation,
		};

		if (resolved[i].err && !resolved[i].fallback) {
			log_info("access: container %" PRIu64 "'s rule path %s does not resolve in "
				 "its root (%s): it binds nothing, and its create and remove "
				 "rights are refused beneath it",
				 contid, path->path, strerror(-resolved[i].err));
			continue;
		}
		if (resolved[i].err) {
			log_warning("access: container %" PRIu64 "'s rule path %s does not resolve "
				    "in its root (%s): its deny is bound to %.*s, which refuses "
				    "more",
				    contid, path->path, strerror(-resolved[i].err),
				    (int)resolved[i].fallback, path->path);
			r = put_rule(fd, &key, 0, path->denied);
		} else {
			r = put_rule(fd, &key, path->allowed, path->denied);
		}
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
