// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: MMAP_CHECK in lsm mode: the BPF LSM reports of executable mappings, measured. */
#include "integrity/mmap_watch.h"

#include "core/loader.h"
#include "core/log.h"
#include "core/ring_reader.h"
#include "identity/identity.h"
#include "integrity/measure.h"
#include "mmap_exec.skel.h"

#include <linux/types.h>

#include "integrity/mmap_event.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/capability.h>
#include <linux/hash_info.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

static struct {
	struct mmap_exec_bpf *skel;
	struct ring_reader reader;
	atomic_uint_fast64_t events;
	char detail[256]; /* for the status: how mappings are measured, or why not */
} watch;

/* The kernel's dev_t (MINORBITS 20) as stat(2) gives it. */
static uint64_t user_dev(uint64_t kdev)
{
	return makedev((unsigned int)(kdev >> 20), (unsigned int)(kdev & 0xfffff));
}

static int handle(void *ctx, void *data, size_t size)
{
	static char path[CANISTER_MMAP_PATH_MAX];
	const struct canister_mmap_event *e = data;
	struct measure_mapping m = {};

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	atomic_fetch_add(&watch.events, 1);
	/* bpf_d_path() fails for a file with no path a name can give (deleted, anonymous). */
	if (e->path_len > 0)
		snprintf(path, sizeof(path), "%.*s", (int)sizeof(e->path), e->path);
	else
		snprintf(path, sizeof(path), "?");
	m.contid = e->contid;
	m.pid = (pid_t)e->tgid;
	m.access.func = CANISTER_IMA_MMAP_CHECK;
	m.access.mask = CANISTER_IMA_MAY_EXEC;
	m.access.uid = e->uid;
	m.access.euid = e->euid;
	m.access.suid = e->suid;
	m.access.cap_setuid = e->cap_effective & (1ULL << CAP_SETUID);
	m.access.fowner = e->fowner;
	m.access.fsmagic = e->fsmagic;
	/* s_uuid itself, as IMA compares it: zeros for a filesystem without one. */
	memcpy(m.access.fsuuid, e->fsuuid, sizeof(m.access.fsuuid));
	m.access.fsuuid_known = true;
	m.root_dev = user_dev(e->root_dev);
	m.root_ino = e->root_ino;
	m.dev = user_dev(e->dev);
	m.ino = e->ino;
	/* IMA hashes with its configured algorithm; canister's lists are sha256. */
	m.kernel_digest = e->hash_algo == HASH_ALGO_SHA256 ? e->digest : NULL;
	m.path = path;
	measure_mapping(&m);
	return 0;
}

int mmap_watch_open(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct mmap_exec_bpf *skel;
	int r;

	if (d->mode != DAEMON_MODE_LSM) {
		snprintf(watch.detail, sizeof(watch.detail),
			 "trace mode: fanotify sees no mappings, BPF LSM does");
		log_info("integrity: MMAP_CHECK unavailable in trace mode (fanotify sees no "
			 "mappings; BPF LSM does)");
		return 0;
	}
	skel = mmap_exec_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the mapping BPF object: %s", strerror(-r));
		snprintf(watch.detail, sizeof(watch.detail), "%s", why);
		return r;
	}
	r = identity_prepare_object(d, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	skel->rodata->kernel_hash = d->features[FEATURE_IMA_FILE_HASH].available &&
				    !d->config.integrity_mmap_canisterd_digest;
	r = mmap_exec_bpf__load(skel);
	if (r) {
		snprintf(why, why_len,
			 "the kernel refused to load lsm.s/mmap_file (MMAP_CHECK): %s",
			 strerror(-r));
		goto fail;
	}
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	/* Its own thread: a fallback hash reads a file, and the main loop must not wait on it. */
	r = ring_reader_start(&watch.reader, bpf_map__fd(skel->maps.mmap_events), handle, NULL,
			      "integrity", "the mapping reports", why, why_len);
	if (r < 0)
		goto fail;
	watch.skel = skel;
	snprintf(watch.detail, sizeof(watch.detail), "lsm.s/mmap_file, digests %s",
		 skel->rodata->kernel_hash ? "from the kernel's IMA (bpf_ima_file_hash)"
		 : d->config.integrity_mmap_canisterd_digest
			 ? "by canisterd (integrity_mmap_digest = canisterd)"
			 : "by canisterd (no bpf_ima_file_hash)");
	log_info("integrity: MMAP_CHECK through %s", watch.detail);
	return 0;
fail:
	snprintf(watch.detail, sizeof(watch.detail), "%s", why);
	mmap_exec_bpf__destroy(skel);
	return r;
}

void mmap_watch_close(void)
{
	if (!watch.reader.running)
		return;
	ring_reader_stop(&watch.reader);
	/* The pinned link stays attached, as identity's: a restart replaces it. */
	mmap_exec_bpf__destroy(watch.skel);
	watch.skel = NULL;
}

void mmap_watch_stats(struct mmap_watch_stats *ret)
{
	ret->on = watch.reader.running;
	snprintf(ret->detail, sizeof(ret->detail), "%s", watch.detail);
	ret->events = atomic_load(&watch.events);
	ret->lost = watch.reader.running && watch.skel->bss ? watch.skel->bss->lost : 0;
}
