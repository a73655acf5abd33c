// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a runtime's init phase, which is not the workload's behaviour (pure). */
#include "model/runtime_init.h"

static bool runs_runtime(const struct model_runtime_init *init, uint64_t exe_dev, uint64_t exe_ino)
{
	return exe_dev == init->exe_dev && exe_ino == init->exe_ino;
}

bool model_runtime_init_gate(struct model_runtime_init *init, pid_t tgid, uint64_t start_time,
			     uint64_t exe_dev, uint64_t exe_ino, bool exec, uint64_t file_dev,
			     uint64_t file_ino, uint64_t now_ns)
{
	if (init->over_monotonic_ns || tgid != init->tgid || start_time != init->start_time)
		return false;
	/*
	 * The exec committed: the workload runs.  To run the runtime's
	 * executable again it must exec it, and that exec's event, made
	 * while it runs another, ends the phase before the exec goes on.
	 */
	if (!runs_runtime(init, exe_dev, exe_ino)) {
		init->over_monotonic_ns = now_ns;
		return false;
	}
	if (exec && !init->executed) {
		init->executed = true;
		/*
		 * A workload that is the runtime's executable itself could
		 * not be told from the runtime: its first exec is the last
		 * step exempt.
		 */
		if (runs_runtime(init, file_dev, file_ino))
			init->over_monotonic_ns = now_ns;
		return true;
	}
	/*
	 * Before the first exec: the runtime's own opens.  After it, still
	 * running the runtime's executable: the same execve in the kernel
	 * (the ELF interpreter it opens), or a failed exec (runc reports it
	 * and exits).
	 */
	return true;
}

bool model_runtime_init_observed(const struct model_runtime_init *init, pid_t tgid,
				 uint64_t exe_dev, uint64_t exe_ino, uint64_t ktime_ns)
{
	if (tgid != init->tgid || !runs_runtime(init, exe_dev, exe_ino))
		return false;
	/*
	 * Made with the runtime's executable and before the gate saw the init
	 * run anything else: before the exec committed (the runtime's other
	 * threads run on while its exec waits for the gate, until the kernel
	 * ends them), since a way back to the runtime's executable passes the
	 * gate.  Decided by when it was made, not when it is read.
	 */
	return !init->over_monotonic_ns || ktime_ns < init->over_monotonic_ns;
}
