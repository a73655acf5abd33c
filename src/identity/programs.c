// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: loads and attaches the identity capability's BPF programs; hands out their maps. */
#include "identity/programs.h"
#include "identity/shared_maps.h"

#include "access/isolation_abi.h"
#include "core/loader.h"
#include "core/oom.h"
#include "core/log.h"
#include "fork_room.skel.h"
#include "guard.skel.h"
#include "guard_daemon.skel.h"
#include "guard_objects.skel.h"
#include "identity/guarded.h"
#include "identity/identity.h"
#include "label.skel.h"
#include "namespaces.skel.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <canister/abi.h>
#include <canister/canister.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *const identity_pinned_maps[] = {
	IDENTITY_SHARED_MAPS,
	CANISTER_MAP_GUARDED,
	/* The guard reads it for ptrace, access's isolation.bpf.c for signals and writes it. */
	CANISTER_MAP_ISOLATION_GRANTS,
	NULL,
};

static struct {
	struct label_bpf *label;
	struct namespaces_bpf *namespaces;
	struct guard_bpf *guard;		 /* lsm mode only */
	struct guard_objects_bpf *guard_objects; /* lsm mode only */
	struct guard_daemon_bpf *guard_daemon;	 /* lsm mode only */
	struct fork_room_bpf *fork_room;	 /* lsm mode only */
	/* The labels map's entries, and what the configuration (or pid_max) asked for. */
	unsigned int labels_entries, labels_wanted;
	/* CANISTERD_TEST_INHERIT_FAILURE: every Nth child's label insertion fails (0: off). */
	unsigned int inject_every;
	/* CLOCK_MONOTONIC once this run's label programs were attached; 0: not yet. */
	uint64_t label_attached_ns;
} programs;

#define TEST_INHERIT_FAILURE_ENV "CANISTERD_TEST_INHERIT_FAILURE"

/*
 * CANISTERD_TEST_INHERIT_FAILURE=N makes the fork tracepoint fail every Nth
 * insertion of a child's label with ENOMEM (label.bpf.c), for tests of what
 * canister does when the labels map cannot allocate an element.  Unset, empty
 * or 0: off.  Anything else refuses the start rather than run with a switch
 * nobody meant.
 */
static int read_inject_every(unsigned int *ret_every, char *why, size_t why_len)
{
	const char *text = getenv(TEST_INHERIT_FAILURE_ENV);
	unsigned long every;
	char *end;

	*ret_every = 0;
	if (!text || !text[0])
		return 0;
	errno = 0;
	every = strtoul(text, &end, 10);
	if (errno || *end || text[0] == '-' || every > UINT_MAX) {
		snprintf(why, why_len, "%s=%s: not a count of forks (N: every Nth fails; 0: off)",
			 TEST_INHERIT_FAILURE_ENV, text);
		return -EINVAL;
	}
	*ret_every = (unsigned int)every;
	return 0;
}

unsigned int programs_inject_inherit_failure(void)
{
	return programs.inject_every;
}

/* kernel.pid_max, or 0 when unreadable. */
static unsigned int read_pid_max(void)
{
	char text[32] = "";
	unsigned long value;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
	char *end;

	if (!f)
		return 0;
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	value = strtoul(text, &end, 10);
	if (end == text || value > UINT_MAX)
		return 0;
	return (unsigned int)value;
}

/*
 * The labels map's size: labels_max, else pid_max (every thread group the
 * kernel can number fits), within CANISTER_LABELS_MAX_MIN..MAX.  A map pinned
 * by an earlier run keeps its size (it holds the labels); a different wish
 * takes effect after `canisterd --unload`, and the status says so.
 */
static int choose_labels_entries(struct canisterd *d, char *why, size_t why_len)
{
	char path[PATH_MAX];
	unsigned int wanted = d->config.labels_max;
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd;

	if (!wanted) {
		wanted = read_pid_max();
		if (!wanted) {
			snprintf(why, why_len,
				 "cannot read /proc/sys/kernel/pid_max to size the labels map; "
				 "set labels_max in the configuration");
			return -EIO;
		}
		if (wanted < CANISTER_LABELS_MAX_MIN)
			wanted = CANISTER_LABELS_MAX_MIN;
		if (wanted > CANISTER_LABELS_MAX_MAX)
			wanted = CANISTER_LABELS_MAX_MAX;
	}
	programs.labels_wanted = programs.labels_entries = wanted;
	snprintf(path, sizeof(path), "%s/%s", d->config.pin_path, CANISTER_MAP_LABELS);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.max_entries)
		programs.labels_entries = info.max_entries;
	close(fd);
	if (programs.labels_entries != wanted)
		log_warning("the pinned labels map has %u entries, %u are asked for: it keeps its "
			    "size until `canisterd --unload` (which forgets every label)",
			    programs.labels_entries, wanted);
	return 0;
}

void programs_labels_size(unsigned int *ret_entries, unsigned int *ret_wanted)
{
	*ret_entries = programs.labels_entries;
	*ret_wanted = programs.labels_wanted;
}

/*
 * Before load: the shared maps come from their pins, and every object that
 * declares the labels map agrees with the pin on its size.
 */
static int prepare(const char *pin_path, struct bpf_object *obj, struct bpf_map *labels, char *why,
		   size_t why_len)
{
	int r = loader_set_pin_paths(obj, pin_path, identity_pinned_maps, why, why_len);

	if (r < 0)
		return r;
	r = bpf_map__set_max_entries(labels, programs.labels_entries);
	if (r)
		snprintf(why, why_len, "cannot size the labels map: %s", strerror(-r));
	return r;
}

int identity_prepare_object(const struct canisterd *d, struct bpf_object *obj,
			    struct bpf_map *labels, char *why, size_t why_len)
{
	return prepare(d->config.pin_path, obj, labels, why, why_len);
}

int programs_load_label(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct label_bpf *skel;
	struct timespec now;
	int r;

	r = choose_labels_entries(d, why, why_len);
	if (r < 0)
		return r;
	skel = label_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the label BPF object: %s", strerror(-r));
		return r;
	}
	r = prepare(pin_path, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	r = read_inject_every(&programs.inject_every, why, why_len);
	if (r < 0)
		goto fail;
	skel->rodata->inject_inherit_failure_every = programs.inject_every;
	if (programs.inject_every)
		log_warning("%s=%u: test switch on: 1 in %u insertions of a forked child's "
			    "label fails with ENOMEM on purpose; not for production",
			    TEST_INHERIT_FAILURE_ENV, programs.inject_every, programs.inject_every);
	r = label_bpf__load(skel);
	if (r) {
		loader_explain_load_failure("the label programs", r, pin_path, why, why_len);
		goto fail;
	}
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	programs.label = skel;
	/* Taken after the old links were unpinned: from here on only these programs send. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	programs.label_attached_ns = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	return 0;
fail:
	label_bpf__destroy(skel);
	return r;
}

int programs_load_namespaces(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct namespaces_bpf *skel;
	int r;

	skel = namespaces_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the namespaces BPF object: %s", strerror(-r));
		return r;
	}
	r = prepare(pin_path, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	skel->rodata->join_policy = d->config.join_policy;
	r = namespaces_bpf__load(skel);
	if (r) {
		loader_explain_load_failure("the namespace programs", r, pin_path, why, why_len);
		goto fail;
	}
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	programs.namespaces = skel;
	return 0;
fail:
	namespaces_bpf__destroy(skel);
	return r;
}

int programs_load_guard(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct guard_bpf *skel;
	int r;

	skel = guard_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the guard BPF object: %s", strerror(-r));
		return r;
	}
	r = prepare(pin_path, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	skel->rodata->canisterd_tgid = d->pid;
	r = guard_bpf__load(skel);
	if (r) {
		snprintf(why, why_len, "the kernel refused to load the guard's lsm programs: %s",
			 strerror(-r));
		goto fail;
	}
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	programs.guard = skel;
	return 0;
fail:
	guard_bpf__destroy(skel);
	return r;
}

/* The mount namespace canisterd sees the pins and its files through. */
static int own_mnt_ns(__u32 *ret_inum)
{
	struct stat st;

	if (stat("/proc/self/ns/mnt", &st) < 0)
		return -errno;
	*ret_inum = (__u32)st.st_ino;
	return 0;
}

/*
 * The number of arguments the running kernel's BPF LSM hook @hook takes
 * (bpf_lsm_<hook> in its BTF), or -errno: hooks change their prototypes
 * between releases, and a distribution may backport the change, so the
 * kernel's own BTF says which layout a program must read, not its version.
 */
int identity_lsm_hook_arg_count(const char *hook)
{
	const struct btf_type *func, *proto;
	char name[128];
	struct btf *btf;
	int id, r;

	snprintf(name, sizeof(name), "bpf_lsm_%s", hook);
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	func = id > 0 ? btf__type_by_id(btf, id) : NULL;
	proto = func ? btf__type_by_id(btf, func->type) : NULL;
	r = proto && btf_is_func_proto(proto) ? btf_vlen(proto) : -ENOENT;
	btf__free(btf);
	return r;
}

int programs_load_guard_objects(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct guard_objects_bpf *skel;
	int r;

	skel = guard_objects_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the object guard's BPF object: %s",
			 strerror(-r));
		return r;
	}
	r = prepare(pin_path, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	r = guarded_pins_dev(pin_path, (__u32 *)&skel->rodata->pins_dev);
	if (r == 0)
		r = own_mnt_ns((__u32 *)&skel->rodata->canisterd_mnt_ns);
	if (r < 0) {
		snprintf(why, why_len,
			 "cannot read the pins' filesystem or canisterd's mount "
			 "namespace: %s",
			 strerror(-r));
		goto fail;
	}
	r = identity_lsm_hook_arg_count("inode_setattr");
	if (r < 0) {
		snprintf(why, why_len,
			 "cannot read lsm/inode_setattr's arguments from the kernel's BTF: %s",
			 strerror(-r));
		goto fail;
	}
	if (r != 2 && r != 3) {
		snprintf(why, why_len,
			 "this kernel's lsm/inode_setattr takes %d arguments, a layout the object "
			 "guard does not know (2 or 3 expected)",
			 r);
		r = -ENOTSUP;
		goto fail;
	}
	skel->rodata->setattr_idmap_first = r == 3;
	r = guard_objects_bpf__load(skel);
	if (r) {
		snprintf(why, why_len,
			 "the kernel refused to load the object guard's lsm programs: %s",
			 strerror(-r));
		goto fail;
	}
	/* The guarded map knows every object, its own included, before the first attach. */
	r = guarded_open(bpf_map__fd(skel->maps.guarded), pin_path, why, why_len);
	if (r < 0)
		goto fail;
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	programs.guard_objects = skel;
	return 0;
fail:
	guarded_close();
	guard_objects_bpf__destroy(skel);
	return r;
}

int programs_load_guard_daemon(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct guard_daemon_bpf *skel;
	__u64 task = 0;
	__u32 zero = 0;
	int r, task_fd;

	skel = guard_daemon_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the daemon guard BPF object: %s", strerror(-r));
		return r;
	}
	r = prepare(pin_path, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	skel->rodata->canisterd_tgid = d->pid;
	_Static_assert(CANISTER_NEST_LIMIT_MAX == 20, "guard_daemon.bpf.c (NEST_WALK) walks 20 up");
	r = guard_daemon_bpf__load(skel);
	if (r) {
		snprintf(why, why_len,
			 "the kernel refused to load the daemon guard's lsm programs: %s",
			 strerror(-r));
		goto fail;
	}
	/* Only the programs write canisterd's task: a frozen map refuses bpf(2) writes. */
	task_fd = bpf_map__fd(skel->maps.daemon_task);
	if (bpf_map_freeze(task_fd)) {
		r = -errno;
		snprintf(why, why_len, "cannot freeze the daemon guard's task map: %s",
			 strerror(-r));
		goto fail;
	}
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	/*
	 * The guard learns canisterd's task from canisterd's first open after
	 * the attach (it compares credentials and cgroups with it); this open
	 * is that one, and it lowers the OOM score again in case it was raised.
	 */
	r = oom_protect_self();
	if (r < 0) {
		snprintf(why, why_len,
			 "cannot write /proc/self/oom_score_adj, the open that tells the daemon "
			 "guard canisterd's task: %s",
			 strerror(-r));
		goto fail;
	}
	if (bpf_map_lookup_elem(task_fd, &zero, &task) || !task) {
		snprintf(why, why_len,
			 "the daemon guard did not learn canisterd's task from its open of "
			 "/proc/self/oom_score_adj");
		r = -ESRCH;
		goto fail;
	}
	programs.guard_daemon = skel;
	return 0;
fail:
	guard_daemon_bpf__destroy(skel);
	return r;
}

int programs_load_fork_room(struct canisterd *d, char *why, size_t why_len)
{
	const char *pin_path = d->config.pin_path;
	struct fork_room_bpf *skel;
	int r;

	skel = fork_room_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(why, why_len, "cannot open the fork_room BPF object: %s", strerror(-r));
		return r;
	}
	r = prepare(pin_path, skel->obj, skel->maps.labels, why, why_len);
	if (r < 0)
		goto fail;
	r = fork_room_bpf__load(skel);
	if (r) {
		snprintf(why, why_len,
			 "the kernel refused to load the lsm programs that keep room for labels "
			 "(lsm/task_alloc, lsm/task_free, lsm/bprm_creds_for_exec): %s",
			 strerror(-r));
		goto fail;
	}
	r = loader_attach_all(pin_path, skel->obj, why, why_len);
	if (r < 0)
		goto fail;
	programs.fork_room = skel;
	return 0;
fail:
	fork_room_bpf__destroy(skel);
	return r;
}

int programs_labels_room_fd(void)
{
	return programs.label ? bpf_map__fd(programs.label->maps.labels_room) : -1;
}

int programs_map_fd(enum identity_map map)
{
	struct label_bpf *skel = programs.label;

	if (!skel)
		return -1;
	switch (map) {
	case IDENTITY_MAP_LABELS:
		return bpf_map__fd(skel->maps.labels);
	case IDENTITY_MAP_EVENTS:
		return bpf_map__fd(skel->maps.events);
	case IDENTITY_MAP_STATS:
		return bpf_map__fd(skel->maps.stats);
	case IDENTITY_MAP_CONTAINERS:
		return bpf_map__fd(skel->maps.containers);
	case IDENTITY_MAP_CENSUS:
		return bpf_map__fd(skel->maps.census);
	case IDENTITY_MAP_WATCH:
		return bpf_map__fd(skel->maps.watch);
	case IDENTITY_MAP_NSJOIN:
		return bpf_map__fd(skel->maps.nsjoin);
	case IDENTITY_MAP_FORK_ROOM:
		return bpf_map__fd(skel->maps.fork_room);
	case IDENTITY_MAP_CONTAINER_CGROUPS:
		return bpf_map__fd(skel->maps.container_cgroups);
	case IDENTITY_MAP_COUNT:
		break;
	}
	return -1;
}

void programs_close(void)
{
	/* Destroying the skeletons closes our fds; the pinned links stay attached. */
	guarded_close();
	guard_objects_bpf__destroy(programs.guard_objects);
	programs.guard_objects = NULL;
	guard_daemon_bpf__destroy(programs.guard_daemon);
	programs.guard_daemon = NULL;
	fork_room_bpf__destroy(programs.fork_room);
	programs.fork_room = NULL;
	guard_bpf__destroy(programs.guard);
	programs.guard = NULL;
	namespaces_bpf__destroy(programs.namespaces);
	programs.namespaces = NULL;
	label_bpf__destroy(programs.label);
	programs.label = NULL;
}

uint64_t programs_label_attached_ns(void)
{
	return programs.label_attached_ns;
}
