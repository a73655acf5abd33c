/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: which ended containers' domains leave memory (pure). */
#ifndef CANISTERD_MODEL_ENDED_H
#define CANISTERD_MODEL_ENDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A domain whose container ended. */
struct model_ended {
	uint64_t contid;
	uint64_t ended_ms; /* when it was first seen ended */
	bool saved;	   /* on disk as it is: it may leave memory */
};

/*
 * model_ended_pick() - of the @count domains in @ended (reordered), those to
 * free at @now_ms, into @ret_contids (room for @count): every saved one that
 * ended @grace_ms ago or longer, then, while more than @kept would stay, the
 * saved ones that ended first.  A domain not saved yet is never picked (it is
 * saved at the next save, then picked).  Returns how many.
 */
size_t model_ended_pick(struct model_ended *ended, size_t count, uint64_t now_ms, uint64_t grace_ms,
			size_t kept, uint64_t *ret_contids);

#endif
