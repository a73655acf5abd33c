// SPDX-License-Identifier: GPL-2.0-only
/* canister: attached for a moment at start to learn whether the kernel runs BPF LSM programs. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * The LSM list can name "bpf" while a lockdown or a sandbox still refuses lsm
 * programs at load or attach, so only a trial says whether lsm mode is
 * possible.  This hook allows everything, and is detached right away.
 */
SEC("lsm/bpf")
int BPF_PROG(canister_probe_lsm, int cmd, union bpf_attr *attr, unsigned int size, int ret)
{
	return ret;
}
