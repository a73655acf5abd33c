// SPDX-License-Identifier: GPL-2.0-only
/* canister behaviour models: a process's current credentials as TSEM's COE, from /proc. */
#include "model/proc_coe.h"

#include "lib/procfs.h"

void canister_model_coe_of_creds(const struct canister_proc_creds *creds,
				 struct canister_model_coe *ret)
{
	*ret = (struct canister_model_coe){
		.uid = creds->uid[0],
		.euid = creds->uid[1],
		.suid = creds->uid[2],
		.fsuid = creds->uid[3],
		.gid = creds->gid[0],
		.egid = creds->gid[1],
		.sgid = creds->gid[2],
		.fsgid = creds->gid[3],
		.capeff = creds->cap_effective,
	};
}

int canister_model_proc_coe(pid_t pid, struct canister_model_coe *ret)
{
	struct canister_proc_creds creds;
	int r = canister_proc_creds(pid, &creds);

	if (r < 0)
		return r;
	canister_model_coe_of_creds(&creds, ret);
	return 0;
}
