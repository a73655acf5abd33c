/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canisterd: the behaviour models kept under model_dir/<contid>/{model,mode,init}, read back at
 * start.
 */
#ifndef CANISTERD_MODEL_STORE_H
#define CANISTERD_MODEL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * model_store_save() - @contid's domain as it is now into @dir/<contid>/:
 * `model` (the model file of its loaded and learned coefficients), `init`
 * (its runtime's init phase, runtime_init.h, when it was made with one) and
 * `mode` ("learn", "seal" or "enforce"), each written whole and renamed into
 * place.
 * Returns 0, -ENOENT (no domain), or -errno with @why.
 */
int model_store_save(const char *dir, uint64_t contid, char *why, size_t why_len);

/*
 * model_store_reload_one() - @contid's stored domain in memory again, as
 * model_store_reload() makes it (also for a container that ended: its views
 * read after its domain was freed).  Returns 0, or -errno with @why: -ENOENT
 * (nothing stored), -EBUSY (it has a domain), a file that does not read.
 */
int model_store_reload_one(const char *dir, uint64_t contid, char *why, size_t why_len);

/* model_store_remove() - @contid's files go. */
void model_store_remove(const char *dir, uint64_t contid);

/*
 * model_store_reload() - every stored domain whose container @live() says
 * lives becomes a domain again (a learning one keeps learning, with what it
 * had learned); a stored domain of a container gone is removed, one that does
 * not read is set aside as <contid>.refused and said in the log.  Returns how
 * many were reloaded; *@ret_refused how many were set aside.
 */
size_t model_store_reload(const char *dir, bool (*live)(uint64_t contid), size_t *ret_refused);

#endif
