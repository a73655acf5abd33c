// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: untrusted marks in the kernel: a pinned map, copied to each child at fork by BPF. */
#include "model/kernel_marks.h"

#include "core/loader.h"
#include "core/log.h"

#include <linux/types.h>

#include "model/untrusted_abi.h"
#include "model_untrusted.skel.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *const model_pinned_maps[] = { "model_untrusted", NULL };

static struct {
	struct model_untrusted_bpf *skel;
	int map_fd;
} marks = { .map_fd = -1 };

int model_kernel_marks_open(struct canisterd *d, char *why, size_t why_len)
{
	struct model_untrusted_bpf *skel = model_untrusted_bpf__open();
	int r;

	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the untrusted-marks BPF object: %s",
			 strerror(-r));
		return r;
	}
	r = loader_set_pin_paths(skel->obj, d->config.pin_path, model_pinned_maps, why, why_len);
	if (r < 0)
		goto fail;
	r = model_untrusted_bpf__load(skel);
	if (r) {
		snprintf(why, why_len, "the kernel refused tp_btf/sched_process_fork: %s",
			 strerror(-r));
		goto fail;
	}
	r = loader_attach_all(d->config.pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	marks.skel = skel;
	marks.map_fd = bpf_map__fd(skel->maps.model_untrusted);
	return 0;
fail:
	model_untrusted_bpf__destroy(skel);
	return r;
}

void model_kernel_marks_close(void)
{
	/* The pinned links stay attached and the map pinned: marks outlive canisterd. */
	model_untrusted_bpf__destroy(marks.skel);
	marks.skel = NULL;
	marks.map_fd = -1;
}

bool model_kernel_marks_on(void)
{
	return marks.map_fd >= 0;
}

uint64_t model_kernel_marks_lost(void)
{
	return marks.skel && marks.skel->bss ? marks.skel->bss->lost : 0;
}

int model_kernel_marks_put(pid_t tgid, uint64_t contid)
{
	struct canister_model_mark mark = { .contid = contid };
	__u32 key = (__u32)tgid;

	if (marks.map_fd < 0)
		return -ENODEV;
	/* BPF_NOEXIST: a mark the kernel copied keeps who it came from. */
	if (bpf_map_update_elem(marks.map_fd, &key, &mark, BPF_NOEXIST) == 0)
		return 0;
	if (errno == EEXIST)
		return 1;
	return errno == E2BIG ? -E2BIG : -errno;
}

void model_kernel_marks_drop(pid_t tgid)
{
	__u32 key = (__u32)tgid;

	if (marks.map_fd >= 0)
		bpf_map_delete_elem(marks.map_fd, &key);
}

bool model_kernel_marks_has(pid_t tgid)
{
	struct canister_model_mark mark;
	__u32 key = (__u32)tgid;

	return marks.map_fd >= 0 && bpf_map_lookup_elem(marks.map_fd, &key, &mark) == 0;
}

struct listing {
	uint64_t contid;
	pid_t *pids;
	size_t count, max;
};

static bool list_one(const void *key, const void *value, void *ctx)
{
	const struct canister_model_mark *mark = value;
	struct listing *l = ctx;

	if (mark->contid == l->contid && l->count < l->max)
		l->pids[l->count++] = (pid_t) * (const __u32 *)key;
	return l->count < l->max;
}

static bool count_one(const void *key, const void *value, void *ctx)
{
	(void)key;
	(void)value;
	(*(size_t *)ctx)++;
	return true;
}

size_t model_kernel_marks_count(void)
{
	size_t n = 0;

	if (marks.map_fd >= 0)
		loader_map_walk(marks.map_fd, sizeof(__u32), sizeof(struct canister_model_mark),
				count_one, &n);
	return n;
}

size_t model_kernel_marks_list(uint64_t contid, pid_t *ret_pids, size_t max)
{
	struct listing l = { .contid = contid, .pids = ret_pids, .max = max };

	if (marks.map_fd < 0 || !max)
		return 0;
	loader_map_walk(marks.map_fd, sizeof(__u32), sizeof(struct canister_model_mark), list_one,
			&l);
	return l.count;
}
