// SPDX-License-Identifier: GPL-2.0-only
/* canister: loaded (never attached) to learn whether the kernel lets BPF hash files in-kernel. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/*
 * bpf_ima_file_hash() exists only in kernels built with IMA and is callable
 * only from sleepable LSM programs, so the verifier's verdict on this program
 * is the answer.  It is loaded and discarded; nothing is attached.
 */
SEC("lsm.s/bprm_committed_creds")
int BPF_PROG(canister_probe_ima_hash, struct linux_binprm *bprm)
{
	__u8 digest[64];

	bpf_ima_file_hash(bprm->file, digest, sizeof(digest));
	return 0;
}
