/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the gate's judge: each container's measurement of the files it opens. */
#ifndef CANISTERD_INTEGRITY_MEASURE_H
#define CANISTERD_INTEGRITY_MEASURE_H

#include "integrity/gate.h"
#include "integrity/ima_policy.h"
#include "lib/config.h"
#include "lib/tpm_choice.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The names of the violation-style entries canisterd adds to a list it
 * reloads (docs/integrity.md, "Restart"): a canisterd was not watching since
 * the entry before; the list before this one was refused and set aside.
 */
#define MEASURE_MARK_RESTART "canister_restart"
#define MEASURE_MARK_REFUSED "canister_list_refused"

/*
 * measure_open() - the default policy (integrity_policy), the boot_aggregate
 * every list starts with (the host's when it has IMA, else IMA's no-TPM
 * value) and integrity_dir.  Returns 0, or -errno with @why.
 */
int measure_open(const struct canister_config *config, char *why, size_t why_len);
void measure_close(void);

/*
 * measure_file_check() - whether a live policy has a rule FILE_CHECK can
 * match: a measure or audit rule of the default, or of the own policy of a
 * container not dropped; or an appraise rule of the policy (its own, else
 * the default) of a container not dropped whose own appraisal mode is log
 * or enforce.
 */
bool measure_file_check(void);

/*
 * measure_judge() - the gate's judge (gate_judge_fn): for @event's container
 * and each container it nests in, whose policy (its own, else the default)
 * says measure, the file's entry goes into that container's list and PCRs,
 * once per version of the file, and the files are published before the
 * verdict.  An exec some level appraises (appraise_judge.c) may be
 * denied: false.
 */
bool measure_judge(const struct gate_event *event, void *ctx);

/*
 * measure_appraise_mmap() - for the appraisal backstop (lsm mode): whether
 * @event's file passes the appraisal IMA would make if @event's opener mapped
 * it executable (MMAP_CHECK, MAY_EXEC), at every level of its chain: true
 * when no level's rule appraises it (dont_appraise, or none matches) or every
 * level that appraises passes or is in log mode.  Verdicts are cached and
 * failures recorded as for an exec (appraise_judge()); nothing is denied.
 */
bool measure_appraise_mmap(const struct gate_event *event);

/*
 * measure_appraise_bits() - CANISTER_BACKSTOP_EXEC and _MMAP for the hooks the
 * policy of @contid (its own, else the default) has an appraise rule for.
 */
uint32_t measure_appraise_bits(uint64_t contid);

/*
 * measure_own_policies() - up to @max live containers with an IMA policy of
 * their own, into @ret_contids.  Returns how many there are (may exceed @max).
 */
size_t measure_own_policies(uint64_t *ret_contids, size_t max);

/*
 * measure_exec_writers() - whether the file @event (an exec) is open for
 * writing elsewhere: an OPEN_WRITERS_* answer (integrity/open_writers.h),
 * OPEN_WRITERS_NONE when the check is unavailable on this kernel, or -errno
 * when it cannot be told.  For another capability that judges an exec (the
 * behaviour model): a writer that changes the file between its verdict and
 * the kernel's deny_write_access() would run content nobody judged.  Any
 * thread.
 */
int measure_exec_writers(const struct gate_event *event);

/*
 * measure_file_digest() - the SHA-256 of the open file @fd's content, from the
 * digest cache the gate's measurements fill (read and cached when it is not
 * there), for another capability that needs a file's digest (the behaviour
 * model's CELL).  Any thread.  Returns 0, -ESTALE (written while read), or
 * -errno.
 */
int measure_file_digest(int fd, uint8_t digest[32]);

/* measure_file_path() - the path of the open file @fd as canisterd sees it, or "?". */
void measure_file_path(int fd, char *buf, size_t len);

/* An executable mapping a BPF LSM program reported (lsm mode; mmap_watch.c). */
struct measure_mapping {
	uint64_t contid;
	pid_t pid;
	/* MMAP_CHECK, MAY_EXEC, the mapper's ids, the file's owner and magic, from the kernel */
	struct canister_ima_access access;
	uint64_t dev, ino;	      /* the mapped file, st_dev's encoding */
	uint64_t root_dev, root_ino;  /* the mapper's root directory, st_dev's encoding */
	const uint8_t *kernel_digest; /* IMA's sha256 of it, or NULL */
	const char *path;	      /* as the mapper sees it */
};

/*
 * measure_mapping() - as measure_judge(), for a mapping: nothing waits for
 * it (the mapping is made), it is recorded.  Without the kernel's digest the
 * file is opened again by its path to be hashed here: in the mapper's root,
 * or in canisterd's when the mapper is gone and its root was canisterd's.
 */
void measure_mapping(const struct measure_mapping *m);

/*
 * measure_follow_mapping_policies() - tells mmap_watch.c every policy held
 * now (the default and each container's own); every later change is told as
 * it is made.  Called once its hook is loaded, before it is attached.
 */
void measure_follow_mapping_policies(void);

/*
 * measure_set_policy() - @contid's own policy from now on (taken over, also
 * on error).  Returns 0, or -EBUSY when its list already holds a measurement:
 * a policy is set before the workload's first exec.
 */
int measure_set_policy(uint64_t contid, struct canister_ima_policy *policy);

/*
 * measure_set_tpm() - whether @contid has a swtpm of its own from now on, in
 * place of integrity_tpm's default, saved beside its list.  A change stops
 * the swtpm it had (attest_choose()); with swtpm the whole list is queued
 * for a new one.  Returns 0, -EBUSY when its list already holds a
 * measurement (as measure_set_policy()), or -errno.
 */
int measure_set_tpm(uint64_t contid, enum canister_tpm_choice choice);

/* measure_tpm() - @contid's TPM choice (its list is made if need be).  Returns 0 or -ENOMEM. */
int measure_tpm(uint64_t contid, enum canister_tpm_choice *ret_choice);

/*
 * measure_publish() - @contid's files under integrity_dir now, for a reader
 * that asks before the container's first event made them (its list then
 * holds the boot_aggregate alone).  Returns 0 or -errno.
 */
int measure_publish(uint64_t contid);

/*
 * measure_end() - @contid ended: its lists leave memory and its directory
 * under integrity_dir becomes <contid>.ended-<@when> (publish_end()), named
 * in @ended.  An event of it judged later starts a new list.  Returns 0,
 * -ENOENT when it had no directory, or another -errno.
 */
int measure_end(uint64_t contid, int64_t when, char *ended, size_t ended_len);

/* One container's list, as `canister status` counts it. */
struct measure_container {
	uint64_t contid;
	uint64_t entries; /* the boot_aggregate included */
	bool own_policy;  /* set for it, not the default */
};

/*
 * measure_containers() - up to @max of the containers measured, in no
 * particular order; returns how many there are in all.
 */
size_t measure_containers(struct measure_container *ret, size_t max);

struct measure_stats {
	uint64_t containers, entries, violations, audited, hashed, cache_hits, errors;
	uint64_t listed; /* answered at once: the file version was in every list of the chain */
	uint64_t kernel_digests;    /* mappings whose digest the kernel's IMA gave */
	uint64_t writers_unchecked; /* measured opens whose open_writers check failed */
	/* mappings without a usable kernel digest: opened again and hashed, or not measured */
	uint64_t mapping_rehashed, mapping_unreadable;
};
void measure_stats(struct measure_stats *ret);

/* measure_violation_checks() - which of IMA's violations are seen, in words, for the status. */
void measure_violation_checks(char *buf, size_t len);

#endif
