/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: an observer's ring record, checked, as a model event. */
#ifndef CANISTER_MODEL_OBSERVE_DECODE_H
#define CANISTER_MODEL_OBSERVE_DECODE_H

#include "model/event.h"
#include "model/observe_abi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One decoded record.  @event has every field of its COE and CELL but the
 * ones no record can carry, which the caller fills before it hashes:
 * @event.task_id (the actor's TASK_ID: its executable's), for task_kill and
 * ptrace_access_check the target's TASK_ID (the task @target_tgid), and
 * for a file-backed mmap_file the file's path and content digest (the
 * file @fd of @event.pid, or the inode @dev/@ino).  Its strings point
 * into this struct.
 */
struct canister_model_observed {
	struct canister_model_event event;
	uint64_t contid;
	uint32_t target_tgid;
	/* ptrace in trace mode from a nested pid namespace: @target_tgid is not the host's pid */
	bool target_pid_nested;
	int32_t fd;	   /* mmap_file, trace mode: the caller's descriptor; -1 otherwise */
	uint64_t dev, ino; /* mmap_file: the kernel's s_dev and the inode number */
	uint64_t exe_dev, exe_ino; /* the actor's executable, as @dev and @ino */
	uint64_t start_ns;	   /* when the actor's thread group started (observe_abi.h) */
	/* task_kill: the target, named as the actor is (0: the record could not tell) */
	uint64_t target_start_ns, target_exe_dev, target_exe_ino;
	/*
	 * The task whose TASK_ID the actor (and a task_kill's target) runs with
	 * as a forked child that has not executed since (observe_abi.h); a
	 * @tgid of 0: none.
	 */
	struct canister_model_obs_task origin, target_origin;
	/* lsm mode, an enforced domain (observe_abi.h's head): judged in the kernel */
	bool kernel_keyed, kernel_denied;
	uint8_t kernel_coefficient[8]; /* the first bytes of the kernel's coefficient, if keyed */
	char comm[16 + 1];
	char unix_path[CANISTER_MODEL_OBS_ADDR_MAX + 2];
	char dev_name[CANISTER_MODEL_OBS_STR_MAX];
	char fstype[CANISTER_MODEL_OBS_STR_MAX];
	char mount_path[CANISTER_MODEL_OBS_PATH_MAX];
	/* an exec the gate never sees (lsm mode, denied): "/" and the file's name */
	char exec_path[1 + CANISTER_MODEL_OBS_STR_MAX];
	/*
	 * trace mode, a 32-bit system call not decoded: its i386 name (static),
	 * number and sub-call (socketcall's or ipc's; else 0); @event has its
	 * native call's type and no CELL.  NULL for every other record.
	 */
	const char *compat_call;
	uint32_t compat_nr, compat_sub;
};

/*
 * canister_model_observe_decode() - checks the ring record @data of @size
 * bytes and decodes it into *@ret (written only on success).  A record is
 * never trusted: every length and every value with a range is checked.
 * Errors, in the order they are checked:
 *   -EBADMSG       shorter than its head, a size other than the head says
 *                  or its kind's, an unknown kind;
 *   -EINVAL        a value out of its range (no container, keyed or denied
 *                  not 0 or 1 or either set on a kind the kernel does not
 *                  judge, a signal past 64, a capability past 63, unknown LSM_SETID_* flags, a
 *                  flag that is not 0 or 1, a mapping without PROT_EXEC,
 *                  a file-backed mapping or mprotect keyed or denied (only
 *                  anonymous ones are judged in the kernel), an mprotect
 *                  whose applied protection lacks PROT_EXEC or is not the
 *                  one asked for with PROT_EXEC added at most,
 *                  an address too short for its family, a string whose
 *                  length disagrees with its bytes, a mount without a
 *                  mount point, a move_mount's whole flag not 0 or 1 or set
 *                  with no (or an empty) type name, an unseen exec not denied or keyed, or
 *                  whose name is not one NUL-terminated name without '/', a 32-bit
 *                  call that is not one of syscall32_calls.h's);
 *   -ENAMETOOLONG  a string the observer had to cut (hashing a cut path
 *                  would model another path).
 */
int canister_model_observe_decode(const void *data, size_t size,
				  struct canister_model_observed *ret);

/*
 * canister_model_obs_kernel_judged() - whether lsm mode judges records of
 * @kind in the kernel for an enforced domain (and may deny them); of
 * mmap_file's and file_mprotect's, the anonymous mappings only.
 */
bool canister_model_obs_kernel_judged(uint32_t kind);

/* canister_model_obs_kind_type() - the event of record kind @kind; CANISTER_MODEL_EVENT_TYPES if
 * none. */
enum canister_model_event_type canister_model_obs_kind_type(uint32_t kind);

/*
 * canister_model_clock_ticks() - a record's start time (@ns, since boot) in
 * the clock ticks of /proc/PID/stat's field 22 (sysconf(_SC_CLK_TCK) a
 * second: @ticks_per_second), rounded down as the kernel's
 * nsec_to_clock_t(), so that it names the task as the TASK_ID table does.
 * 0 for a @ticks_per_second of 0 or above a billion.
 */
uint64_t canister_model_clock_ticks(uint64_t ns, long ticks_per_second);

#endif
