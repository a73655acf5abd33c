/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: keeps the OOM killer off canisterd. */
#ifndef CANISTERD_OOM_H
#define CANISTERD_OOM_H

/* What canisterd writes to its own /proc/self/oom_score_adj: the OOM killer never picks it. */
#define CANISTERD_OOM_SCORE_ADJ (-1000)

/*
 * oom_protect_self() - set canisterd's oom_score_adj to CANISTERD_OOM_SCORE_ADJ.
 * A container that exhausts memory then ends its own processes, not the
 * daemon that watches it (in lsm mode no labelled process can raise it
 * again).  Returns 0, or -errno: -EACCES/-EPERM without CAP_SYS_RESOURCE,
 * -ENOENT without /proc.
 */
int oom_protect_self(void);

#endif
