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

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/hash_info.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

_Static_assert(CANISTER_MMAP_NEST_MAX == CANISTER_NEST_LIMIT_MAX,
	       "the hook walks as deep a chain as canisterd nests");

static struct {
	struct mmap_exec_bpf *skel;
	struct ring_reader reader;
	atomic_uint_fast64_t events;
	/* mmap_lists, for mmap_watch_policy() on the judges' threads; -1 when not loaded */
	pthread_mutex_t lists_lock;
	int lists_fd;
	char detail[256]; /* for the status: how mappings are measured, or why not */
} watch = { .lists_lock = PTHREAD_MUTEX_INITIALIZER, .lists_fd = -1 };

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

/* @key's entry: @policy's answer, or none at all (@policy NULL, @key a container's). */
static void write_lists(uint64_t key, const struct canister_ima_policy *policy)
{
	uint32_t lists = canister_ima_policy_lists_func(policy, CANISTER_IMA_MMAP_CHECK);
	int r = 0;

	pthread_mutex_lock(&watch.lists_lock);
	if (watch.lists_fd < 0) {
		pthread_mutex_unlock(&watch.lists_lock);
		return;
	}
	if (!policy && key != CANISTER_MMAP_DEFAULT) {
		if (bpf_map_delete_elem(watch.lists_fd, &key) < 0 && errno != ENOENT)
			r = -errno;
	} else if (bpf_map_update_elem(watch.lists_fd, &key, &lists, BPF_ANY) < 0) {
		r = -errno;
	}
	/* A stale "lists nothing" would lose mappings: from now on every one is reported. */
	if (r < 0 && !watch.skel->bss->report_all) {
		char whose[48] = "the default";

		watch.skel->bss->report_all = true;
		if (key != CANISTER_MMAP_DEFAULT)
			snprintf(whose, sizeof(whose), "container %" PRIu64, key);
		log_error("integrity: cannot tell the mapping hook %s's policy (%s): every "
			  "executable mapping is reported and hashed from now on",
			  whose, strerror(-r));
		strncat(watch.detail, "; every mapping reported (a policy could not be told)",
			sizeof(watch.detail) - strlen(watch.detail) - 1);
	}
	pthread_mutex_unlock(&watch.lists_lock);
}

void mmap_watch_policy(uint64_t contid, const struct canister_ima_policy *policy)
{
	/* The default's key is CANISTER_CONTID_UNSET's value: never a container's. */
	if (contid == CANISTER_CONTID_UNSET)
		return;
	write_lists(contid, policy);
}

void mmap_watch_default_policy(const struct canister_ima_policy *policy)
{
	write_lists(CANISTER_MMAP_DEFAULT, policy);
}

/* No more policy writes: the map goes with the skeleton. */
static void forget_skel(void)
{
	pthread_mutex_lock(&watch.lists_lock);
	watch.lists_fd = -1;
	watch.skel = NULL;
	pthread_mutex_unlock(&watch.lists_lock);
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
	/* Before the hook runs: measure.c's policies, then every change of them as it is made. */
	pthread_mutex_lock(&watch.lists_lock);
	watch.skel = skel;
	watch.lists_fd = bpf_map__fd(skel->maps.mmap_lists);
	pthread_mutex_unlock(&watch.lists_lock);
	measure_follow_mapping_policies();
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	/* Its own thread: a fallback hash reads a file, and the main loop must not wait on it. */
	r = ring_reader_start(&watch.reader, bpf_map__fd(skel->maps.mmap_events), handle, NULL,
			      "integrity", "the mapping reports", why, why_len);
	if (r < 0)
		goto fail;
	snprintf(watch.detail, sizeof(watch.detail), "lsm.s/mmap_file, digests %s",
		 skel->rodata->kernel_hash ? "from the kernel's IMA (bpf_ima_file_hash)"
		 : d->config.integrity_mmap_canisterd_digest
			 ? "by canisterd (integrity_mmap_digest = canisterd)"
			 : "by canisterd (no bpf_ima_file_hash)");
	log_info("integrity: MMAP_CHECK through %s", watch.detail);
	return 0;
fail:
	snprintf(watch.detail, sizeof(watch.detail), "%s", why);
	forget_skel();
	mmap_exec_bpf__destroy(skel);
	return r;
}

void mmap_watch_close(void)
{
	struct mmap_exec_bpf *skel;

	if (!watch.reader.running)
		return;
	ring_reader_stop(&watch.reader);
	/* The pinned link stays attached, as identity's: a restart replaces it. */
	skel = watch.skel;
	forget_skel();
	mmap_exec_bpf__destroy(skel);
}

void mmap_watch_stats(struct mmap_watch_stats *ret)
{
	ret->on = watch.reader.running;
	snprintf(ret->detail, sizeof(ret->detail), "%s", watch.detail);
	ret->events = atomic_load(&watch.events);
	ret->lost = watch.reader.running && watch.skel->bss ? watch.skel->bss->lost : 0;
	ret->unlisted = watch.reader.running && watch.skel->bss ? watch.skel->bss->unlisted : 0;
}
