// SPDX-License-Identifier: GPL-2.0-only
/* canister behaviour models, lsm mode: the maps from which the observers deny enforced events. */
#include "model/observe_deny.h"

#include "model/event.h"
#include "model/observe_abi.h"
#include "model/observe_decode.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

struct canister_model_deny {
	int settings_fd, task_ids_fd, enforced_fd, allowed_fd;
	/*
	 * model_enforced's value: a new one at each enforce, which the
	 * kernel's cache of datagram peers (observe_dgram.bpf.h) compares, so
	 * that no peer allowed before is taken as allowed by another model.
	 * Started from the boot clock: a restarted canisterd's values are
	 * not the last one's.
	 */
	uint32_t enforce_epoch;
	/* A task's entry is read, changed and written back: one writer at a time. */
	pthread_mutex_t task_ids_lock;
};

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	return map ? bpf_map__fd(map) : -ENOENT;
}

/* Each record kind's H(EVENT_ID), as the coefficient's first field; the clock of start times. */
static int write_settings(int fd)
{
	struct canister_model_obs_deny_settings settings = {};
	long hz = sysconf(_SC_CLK_TCK);
	uint32_t zero = 0;

	const uint32_t slots = sizeof(settings.event_digest) / sizeof(settings.event_digest[0]);

	if (hz <= 0 || 1000000000L % hz)
		return -ENOTSUP;
	/* A slot for each kind the kernel judges (a 32-bit call not decoded is none). */
	for (uint32_t kind = 1; kind < CANISTER_MODEL_OBS_KINDS; kind++) {
		const char *name = canister_model_event_name(canister_model_obs_kind_type(kind));

		if (!canister_model_obs_kernel_judged(kind))
			continue;
		if (kind >= slots)
			return -E2BIG;
		if (!name || model_sha256(name, strlen(name), NULL, 0, settings.event_digest[kind]))
			return -ENOMEM;
	}
	settings.ns_per_tick = 1000000000ULL / (uint64_t)hz;
	return bpf_map_update_elem(fd, &zero, &settings, BPF_ANY) ? -errno : 0;
}

int canister_model_deny_open(struct bpf_object *obj, struct canister_model_deny **ret)
{
	struct canister_model_deny deny = {
		.settings_fd = map_fd(obj, "model_deny_settings"),
		.task_ids_fd = map_fd(obj, "model_task_ids"),
		.enforced_fd = map_fd(obj, "model_enforced"),
		.allowed_fd = map_fd(obj, "model_allowed"),
	};
	struct timespec now;
	int r;

	if (clock_gettime(CLOCK_BOOTTIME, &now) == 0)
		deny.enforce_epoch = (uint32_t)(now.tv_sec * 1000 + now.tv_nsec / 1000000);
	if (deny.settings_fd < 0 || deny.task_ids_fd < 0 || deny.enforced_fd < 0 ||
	    deny.allowed_fd < 0)
		return -ENOENT;
	r = write_settings(deny.settings_fd);
	if (r < 0)
		return r;
	*ret = malloc(sizeof(**ret));
	if (!*ret)
		return -ENOMEM;
	**ret = deny;
	pthread_mutex_init(&(*ret)->task_ids_lock, NULL);
	return 0;
}

void canister_model_deny_free(struct canister_model_deny *deny)
{
	if (deny)
		pthread_mutex_destroy(&deny->task_ids_lock);
	free(deny);
}

uint64_t canister_model_deny_kernel_dev(uint64_t dev)
{
	/* The kernel's MKDEV(): 12 bits of major above 20 of minor. */
	return (uint64_t)major(dev) << 20 | minor(dev);
}

void canister_model_deny_task_put(struct canister_model_obs_task_ids *ids, uint64_t start_ticks,
				  uint64_t kernel_dev, uint64_t exe_ino,
				  const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE])
{
	struct canister_model_obs_task_id_slot *slot;
	uint32_t at = (ids->last + 1) % CANISTER_MODEL_OBS_TASK_ID_SLOTS;

	/* The same program's slot again (a derived TASK_ID after the exec's), else the older. */
	for (uint32_t i = 0; i < CANISTER_MODEL_OBS_TASK_ID_SLOTS; i++) {
		slot = &ids->slot[i];
		if (slot->exe_ino == exe_ino && slot->exe_dev == kernel_dev &&
		    slot->start_ticks == start_ticks)
			at = i;
	}
	slot = &ids->slot[at];
	slot->start_ticks = start_ticks;
	slot->exe_dev = kernel_dev;
	slot->exe_ino = exe_ino;
	memcpy(slot->task_id, task_id, sizeof(slot->task_id));
	ids->last = at;
}

int canister_model_deny_task(struct canister_model_deny *deny, int pidfd, uint64_t start_ticks,
			     uint64_t exe_dev, uint64_t exe_ino,
			     const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE])
{
	struct canister_model_obs_task_ids ids = {};
	uint64_t dev = canister_model_deny_kernel_dev(exe_dev);
	int r = 0;

	pthread_mutex_lock(&deny->task_ids_lock);
	if (bpf_map_lookup_elem(deny->task_ids_fd, &pidfd, &ids) < 0 && errno != ENOENT) {
		r = -errno;
		goto out;
	}
	canister_model_deny_task_put(&ids, start_ticks, dev, exe_ino, task_id);
	if (bpf_map_update_elem(deny->task_ids_fd, &pidfd, &ids, BPF_ANY) < 0)
		r = -errno;
out:
	pthread_mutex_unlock(&deny->task_ids_lock);
	return r;
}

int canister_model_deny_allow(struct canister_model_deny *deny, uint64_t contid,
			      const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	struct canister_model_obs_allowed_key key = { .contid = contid };
	uint8_t one = 1;

	memcpy(key.coefficient, coefficient, sizeof(key.coefficient));
	return bpf_map_update_elem(deny->allowed_fd, &key, &one, BPF_ANY) ? -errno : 0;
}

/*
 * Every coefficient of @contid leaves the allowed map: its keys gathered
 * first (a walk of a map that changes under it may start again), then
 * deleted.  Bounded by the map's size.
 */
static void forget_allowed(struct canister_model_deny *deny, uint64_t contid)
{
	struct canister_model_obs_allowed_key key, next, *gone = NULL, *grown;
	size_t count = 0, room = 0;
	bool first = true;

	while (bpf_map_get_next_key(deny->allowed_fd, first ? NULL : &key, &next) == 0) {
		first = false;
		key = next;
		if (next.contid != contid)
			continue;
		if (count == room) {
			room = room ? 2 * room : 256;
			grown = realloc(gone, room * sizeof(*gone));
			if (!grown)
				break;
			gone = grown;
		}
		gone[count++] = next;
	}
	for (size_t i = 0; i < count; i++)
		(void)bpf_map_delete_elem(deny->allowed_fd, &gone[i]);
	free(gone);
}

int canister_model_deny_enforce(struct canister_model_deny *deny, uint64_t contid, bool on)
{
	uint32_t epoch = __atomic_add_fetch(&deny->enforce_epoch, 1, __ATOMIC_RELAXED);

	if (!on) {
		if (bpf_map_delete_elem(deny->enforced_fd, &contid) && errno != ENOENT)
			return -errno;
		forget_allowed(deny, contid);
		return 0;
	}
	if (!epoch) /* 0 is no domain's: observe_dgram.bpf.h */
		epoch = __atomic_add_fetch(&deny->enforce_epoch, 1, __ATOMIC_RELAXED);
	if (bpf_map_update_elem(deny->enforced_fd, &contid, &epoch, BPF_ANY) == 0)
		return 0;
	return errno == E2BIG ? -ENOSPC : -errno;
}
