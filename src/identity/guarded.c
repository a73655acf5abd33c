// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: owns the guarded map (lsm mode): canister's BPF object ids and the pins' inodes. */
#include "identity/guarded.h"

#include "core/loader.h"
#include "core/log.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The pins' inodes of this run; older entries are dropped once these are in. */
#define MAX_INODES 64

static struct {
	int map_fd;
	int early_fd; /* the pinned map, adopted before this run's first object */
	struct canister_guarded inodes[MAX_INODES];
	size_t inode_count;
} guarded = { .map_fd = -1, .early_fd = -1 };

static void add(const struct canister_guarded *key)
{
	__u32 one = 1;

	if (bpf_map_update_elem(guarded.map_fd, key, &one, BPF_ANY))
		log_error("cannot guard %s %llu: %s (it stays reachable from containers)",
			  key->kind == CANISTER_GUARDED_MAP    ? "map"
			  : key->kind == CANISTER_GUARDED_PROG ? "program"
			  : key->kind == CANISTER_GUARDED_LINK ? "link"
							       : "inode",
			  (unsigned long long)key->id, strerror(errno));
}

static void add_object(const struct loader_object *object, void *ctx)
{
	struct canister_guarded key = { .kind = object->kind, .id = object->id };

	add(&key);
}

static void add_inode(__u32 kind, const struct stat *st)
{
	struct canister_guarded key = { .kind = kind, .id = st->st_ino };

	if (guarded.inode_count < MAX_INODES)
		guarded.inodes[guarded.inode_count++] = key;
	add(&key);
}

/* The kernel's dev_t (MKDEV: major << 20 | minor), as inode->i_sb->s_dev holds it. */
static __u32 kernel_dev(dev_t dev)
{
	return (__u32)(major(dev) << 20 | minor(dev));
}

int guarded_pins_dev(const char *pin_path, __u32 *ret_dev)
{
	struct stat st;

	if (stat(pin_path, &st) < 0)
		return -errno;
	*ret_dev = kernel_dev(st.st_dev);
	return 0;
}

/*
 * The pin directory and its links directory are out of reach as a whole; its
 * ancestors on the same bpffs (up to, not including, the bpffs root, which
 * cannot be renamed) must keep their names, or the pin path would lead a
 * restarted canisterd elsewhere.
 */
static int add_pin_inodes(const char *pin_path)
{
	char path[PATH_MAX], up[PATH_MAX + 4], *slash;
	struct stat pins, st, above;

	if (stat(pin_path, &pins) < 0)
		return -errno;
	add_inode(CANISTER_GUARDED_TREE, &pins);
	snprintf(path, sizeof(path), "%s/%s", pin_path, CANISTER_LINKS_DIR);
	if (stat(path, &st) == 0)
		add_inode(CANISTER_GUARDED_TREE, &st);
	snprintf(path, sizeof(path), "%s", pin_path);
	while ((slash = strrchr(path, '/')) && slash != path) {
		*slash = '\0';
		snprintf(up, sizeof(up), "%s/..", path);
		if (stat(path, &st) < 0 || stat(up, &above) < 0)
			return -errno;
		/* Stop at the bpffs root: what is above it is another filesystem. */
		if (st.st_dev != pins.st_dev || above.st_dev != pins.st_dev)
			break;
		add_inode(CANISTER_GUARDED_NAME, &st);
	}
	return 0;
}

struct prune_ctx {
	struct canister_guarded stale[256];
	size_t count;
};

static bool inode_is_current(const struct canister_guarded *key)
{
	for (size_t i = 0; i < guarded.inode_count; i++)
		if (guarded.inodes[i].kind == key->kind && guarded.inodes[i].id == key->id)
			return true;
	return false;
}

static bool object_exists(const struct canister_guarded *key)
{
	int fd;

	if (key->kind == CANISTER_GUARDED_MAP)
		fd = bpf_map_get_fd_by_id(key->id);
	else if (key->kind == CANISTER_GUARDED_PROG)
		fd = bpf_prog_get_fd_by_id(key->id);
	else
		fd = bpf_link_get_fd_by_id(key->id);
	if (fd >= 0)
		close(fd);
	return fd >= 0 || errno != ENOENT;
}

static bool find_stale(const void *key_ptr, const void *value, void *ctx_ptr)
{
	const struct canister_guarded *key = key_ptr;
	struct prune_ctx *ctx = ctx_ptr;
	struct loader_object object = { .kind = key->kind, .id = (__u32)key->id };
	bool keep;

	if (key->kind == CANISTER_GUARDED_TREE || key->kind == CANISTER_GUARDED_NAME)
		keep = inode_is_current(key);
	else
		/* An object of an earlier run stays guarded while it lives (a link not yet
		 * replaced); ids are not reused before they wrap at 2^31. */
		keep = loader_object_is_ours(&object) || object_exists(key);
	if (!keep && ctx->count < sizeof(ctx->stale) / sizeof(ctx->stale[0]))
		ctx->stale[ctx->count++] = *key;
	return true;
}

/* The map is pinned and outlives runs: what no longer exists goes, or it would fill up. */
static void prune(void)
{
	struct prune_ctx *ctx = calloc(1, sizeof(*ctx));
	int r;

	if (!ctx)
		return;
	r = loader_map_walk(guarded.map_fd, sizeof(struct canister_guarded), sizeof(__u32),
			    find_stale, ctx);
	if (r < 0)
		log_warning("cannot read the guarded map: %s", strerror(-r));
	for (size_t i = 0; i < ctx->count; i++)
		bpf_map_delete_elem(guarded.map_fd, &ctx->stale[i]);
	if (ctx->count)
		log_debug("guard: forgot %zu objects and inodes that are gone", ctx->count);
	free(ctx);
}

void guarded_adopt_pinned(const char *pin_path)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", pin_path, CANISTER_MAP_GUARDED);
	guarded.early_fd = bpf_obj_get(path);
	if (guarded.early_fd < 0)
		return; /* a first start in lsm mode: nothing guards anything yet */
	guarded.map_fd = guarded.early_fd;
	loader_watch_objects(add_object, NULL);
}

int guarded_open(int map_fd, const char *pin_path, char *why, size_t why_len)
{
	int r;

	guarded.map_fd = map_fd;
	guarded.inode_count = 0;
	r = add_pin_inodes(pin_path);
	if (r < 0) {
		snprintf(why, why_len, "cannot read the pin directory %s: %s", pin_path,
			 strerror(-r));
		return r;
	}
	/* Every object loaded so far, and from now on each one before it is attached. */
	loader_watch_objects(add_object, NULL);
	prune();
	return 0;
}

void guarded_close(void)
{
	loader_watch_objects(NULL, NULL);
	guarded.map_fd = -1;
	if (guarded.early_fd >= 0)
		close(guarded.early_fd);
	guarded.early_fd = -1;
}
