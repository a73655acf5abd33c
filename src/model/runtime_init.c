// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a runtime's init phase, which is not the workload's behaviour (pure). */
#include "model/runtime_init.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

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

int model_runtime_init_print(const struct model_runtime_init *init, char *buf, size_t size)
{
	int len = snprintf(buf, size,
			   "runtime-init 1 %d %" PRIu64 " %" PRIu64 " %" PRIu64 " %d %" PRIu64 "\n",
			   (int)init->tgid, init->start_time, init->exe_dev, init->exe_ino,
			   init->executed ? 1 : 0, init->over_monotonic_ns);

	return len < 0 || (size_t)len >= size ? -ENOSPC : len;
}

/* A decimal u64 at *@at, without sign or leading zero, then one space or the newline. */
static bool field(const char **at, const char *end, uint64_t *ret)
{
	const char *p = *at;
	uint64_t value = 0;

	if (p == end || *p < '0' || *p > '9' ||
	    (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9'))
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (value > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		value = value * 10 + (uint64_t)(*p - '0');
	}
	if (p == end || (*p != ' ' && *p != '\n'))
		return false;
	*at = p;
	*ret = value;
	return true;
}

int model_runtime_init_parse(const char *text, size_t len, struct model_runtime_init *ret,
			     char *why, size_t why_len)
{
	static const char magic[] = "runtime-init 1 ";
	const char *names[] = {
		"TGID", "START_TIME", "EXE_DEV", "EXE_INO", "EXECUTED", "ENDED_NS"
	};
	const char *at = text, *end = text + len;
	uint64_t values[6];

	if (len > MODEL_RUNTIME_INIT_TEXT_MAX) {
		snprintf(why, why_len, "longer than %d bytes", MODEL_RUNTIME_INIT_TEXT_MAX);
		return -EINVAL;
	}
	if (len < sizeof(magic) - 1 || memcmp(text, magic, sizeof(magic) - 1) != 0) {
		snprintf(why, why_len, "not a \"runtime-init 1\" line");
		return -EINVAL;
	}
	at += sizeof(magic) - 1;
	for (size_t i = 0; i < 6; i++) {
		if (i > 0) {
			if (at == end || *at != ' ') {
				snprintf(why, why_len, "%s is missing", names[i]);
				return -EINVAL;
			}
			at++;
		}
		if (!field(&at, end, &values[i]) ||
		    (i == 0 && (values[0] == 0 || values[0] > INT_MAX)) ||
		    (i == 4 && values[4] > 1)) {
			snprintf(why, why_len, "%s is not %s", names[i],
				 i == 0	  ? "a pid"
				 : i == 4 ? "0 or 1"
					  : "a decimal number");
			return -EINVAL;
		}
	}
	if (at == end || *at != '\n') {
		snprintf(why, why_len, "more than six fields");
		return -EINVAL;
	}
	if (at + 1 != end) {
		snprintf(why, why_len, "more than one line");
		return -EINVAL;
	}
	*ret = (struct model_runtime_init){
		.tgid = (pid_t)values[0],
		.start_time = values[1],
		.exe_dev = values[2],
		.exe_ino = values[3],
		.executed = values[4] == 1,
		.over_monotonic_ns = values[5],
	};
	return 0;
}
