/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the file CELLs the gate made lately, by container and inode, for observed mappings. */
#ifndef CANISTERD_MODEL_FILE_CELLS_H
#define CANISTERD_MODEL_FILE_CELLS_H

#include "model/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * An observed mmap_file names its file by inode only; the process that
 * mapped it may be gone when its record is read, and /proc with it.  The
 * file was opened first, and the gate made its CELL then: its path as the
 * container sees it and its digest (or the pseudonym's) are kept here, so
 * that a mapping's CELL does not depend on how fast canisterd reads.  At
 * most MODEL_FILE_CELLS_MAX, one slot per hash: a newer file takes an
 * older one's slot.  Any thread.
 */
#define MODEL_FILE_CELLS_MAX 4096

/* model_file_cells_put() - the gate made @path and @digest for inode @dev/@ino in @contid. */
void model_file_cells_put(uint64_t contid, dev_t dev, uint64_t ino, const char *path,
			  const uint8_t digest[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * model_file_cells_get() - true with the path (into @path, @path_size
 * bytes) and digest the gate made last for @dev/@ino in @contid; false
 * when it holds none (or the path does not fit).
 */
bool model_file_cells_get(uint64_t contid, dev_t dev, uint64_t ino, char *path, size_t path_size,
			  uint8_t digest[CANISTER_MODEL_DIGEST_SIZE]);

void model_file_cells_clear(void);

#endif
