/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: at start, checks the pins are what canisterd pinned; keeps the record of them. */
#ifndef CANISTERD_PINS_H
#define CANISTERD_PINS_H

#include <stddef.h>
#include <stdint.h>

/*
 * pins_verify() - before any capability adopts a pin: the maps and links
 * under @pin_path must be those canisterd pinned (pin_record_check(): the
 * record CANISTER_PIN_RECORD, and the maps the pinned links' programs use).
 * Then the record follows each pin this run makes (pins_note_*()).
 * Returns 0, or -errno with @why, in which case canisterd must not start:
 *   -EEXIST  a pin was replaced, or is not canisterd's; the record is not root's
 *   -ENOENT  a pin canisterd made is gone
 *   -EINVAL  the record is malformed
 *   else     a pin or the record cannot be read
 */
int pins_verify(const char *pin_path, char *why, size_t why_len);

/* pins_note_map() - a map is pinned as @name (under the pin directory) with @id. */
void pins_note_map(const char *name, uint32_t id);
/* pins_note_link() - a link is pinned as links/@name with @id. */
void pins_note_link(const char *name, uint32_t id);
/* pins_forget_link() - links/@name was unpinned. */
void pins_forget_link(const char *name);

/* pins_remove_record() - for `canisterd --unload`.  Returns 0 or -errno. */
int pins_remove_record(const char *pin_path);

/* pins_close() - stop recording (canisterd stops; the record stays with the pins). */
void pins_close(void);

#endif
