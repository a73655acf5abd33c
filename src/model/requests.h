/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the behaviour model's control requests (model, model-load). */
#ifndef CANISTERD_MODEL_REQUESTS_H
#define CANISTERD_MODEL_REQUESTS_H

#include "core/canisterd.h"
#include "core/peer.h"
#include "lib/protocol.h"
#include "lib/reply.h"

/*
 * model: learn makes the container's domain (or is a no-op in learn), seal
 * and enforce move it on; the views answer one page.  Refusals: EOPNOTSUPP
 * (the file gate is not running), EPERM (the caller may not, or a move
 * backwards), ESRCH/ENOENT (no such container, no model), EIO (the change
 * holds but could not be kept on disk).
 */
int model_handle_model(struct canisterd *d, const struct peer *peer,
		       const struct canister_request *request, struct canister_reply *ret);

/*
 * model-load: the container's model from a model file, sealed or enforced;
 * EINVAL/E2BIG ("model:LINE: reason") for a file that does not parse, EBUSY
 * when the container has a model already.
 */
int model_handle_load(struct canisterd *d, const struct peer *peer,
		      const struct canister_request *request, struct canister_reply *ret);

/* The directory the models are kept in (model_dir), for the requests' saves. */
const char *model_dir(void);

#endif
