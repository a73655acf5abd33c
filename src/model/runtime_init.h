/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: a runtime's init phase, which is not the workload's behaviour (pure). */
#ifndef CANISTERD_MODEL_RUNTIME_INIT_H
#define CANISTERD_MODEL_RUNTIME_INIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * An OCI runtime registers its init process (runc init) before that process
 * pivots into the rootfs, drops its capabilities and executes the configured
 * process.  Those steps are the runtime's, and what canisterd would learn of
 * them depends on when it reads them (the capabilities runc init still held,
 * the paths before or after its pivot_root): so a container whose domain was
 * made with its runtime's init is modelled from the workload's first exec on
 * (docs/model.md, "The runtime's init phase").
 *
 * Only the registered init is ever exempt, and only while it runs the
 * executable it ran when it was registered: its first exec (the configured
 * process) is the runtime's last step, and the first event that finds it
 * running anything else ends the phase for good.  A child it forked is
 * judged as every other process is.
 */
struct model_runtime_init {
	pid_t tgid;
	uint64_t start_time;	    /* /proc/PID/stat's, at registration */
	uint64_t exe_dev, exe_ino;  /* the runtime's executable (st_dev, st_ino) */
	bool executed;		    /* its first exec reached the gate */
	uint64_t over_monotonic_ns; /* CLOCK_MONOTONIC when the phase ended; 0: it lasts */
};

/*
 * model_runtime_init_gate() - whether a gate event (an open, or with @exec
 * an exec of the file @file_dev/@file_ino) of process @tgid (started at
 * @start_time, running @exe_dev/@exe_ino) is the runtime's, and so neither
 * learned nor judged.  @now_ns: CLOCK_MONOTONIC now, not 0.  Moves @init on:
 * an event of the init running another executable ends the phase (at
 * @now_ns), as does the exec of a configured process that is the runtime's
 * executable itself.
 */
bool model_runtime_init_gate(struct model_runtime_init *init, pid_t tgid, uint64_t start_time,
			     uint64_t exe_dev, uint64_t exe_ino, bool exec, uint64_t file_dev,
			     uint64_t file_ino, uint64_t now_ns);

/*
 * model_runtime_init_observed() - whether an observed event of @tgid,
 * running @exe_dev/@exe_ino (st_dev numbering) at @ktime_ns (the kernel's
 * CLOCK_MONOTONIC), is the runtime's: the init's, made with the runtime's
 * executable before the phase ended, whenever the record is read.
 */
bool model_runtime_init_observed(const struct model_runtime_init *init, pid_t tgid,
				 uint64_t exe_dev, uint64_t exe_ino, uint64_t ktime_ns);

/*
 * The phase as it is kept with the domain (model_dir/<contid>/init), so
 * that a canisterd restart between the runtime's create and start neither
 * models the init's remaining steps nor opens an ended phase again: one line
 *
 *     runtime-init 1 TGID START_TIME EXE_DEV EXE_INO EXECUTED ENDED_NS
 *
 * in decimal, EXECUTED 0 or 1, ENDED_NS @over_monotonic_ns (0: it lasts).
 */
#define MODEL_RUNTIME_INIT_TEXT_MAX 128

/*
 * model_runtime_init_print() - @init as its line (with the newline) into
 * @buf of @size bytes.  Returns its length, or -ENOSPC when it does not fit.
 */
int model_runtime_init_print(const struct model_runtime_init *init, char *buf, size_t size);

/*
 * model_runtime_init_parse() - the line @text of @len bytes (no NUL needed)
 * into *@ret (written only on success).  Returns 0, or -EINVAL with @why
 * naming what is wrong: in the order checked, longer than
 * MODEL_RUNTIME_INIT_TEXT_MAX, not the "runtime-init 1" line, a field
 * missing or that is not a decimal number without sign or leading zero
 * ending in a space or the newline (or past 64 bits, a TGID of 0 or past
 * a pid's range, an EXECUTED other than 0 or 1), more than six fields,
 * more than one line.
 */
int model_runtime_init_parse(const char *text, size_t len, struct model_runtime_init *ret,
			     char *why, size_t why_len);

#endif
