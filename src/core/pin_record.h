/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the record of what canisterd pinned, and the check of the pins against it (pure). */
#ifndef CANISTERD_PIN_RECORD_H
#define CANISTERD_PIN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * canisterd keeps, beside its pins, a record of the id of every map and link
 * it pinned (CANISTER_PIN_RECORD, a symlink whose target is the text below:
 * bpffs holds no regular files, and a symlink lives and dies with the pins).
 * At start the pins are compared with it, and with what the pinned links'
 * programs use, before any pin is adopted; see docs/architecture.md.
 */

#define PIN_NAME_MAX 64
/* The text is kept in parts, each a symlink's target (which ends at PATH_MAX). */
#define PIN_RECORD_PART 4000
#define PIN_RECORD_PARTS 16
#define PIN_RECORD_MAX (PIN_RECORD_PART * PIN_RECORD_PARTS)
#define PIN_RECORD_VERSION "canister-pins-1"

enum pin_kind {
	PIN_MAP = 1,
	PIN_LINK = 2,
};

/* One pin: its path under the pin directory ("labels", "links/canister_fork"). */
struct pin_entry {
	char name[PIN_NAME_MAX];
	uint32_t kind; /* enum pin_kind */
	uint32_t id;   /* the kernel's map or link id */
};

/* A map that the program of a pinned link uses, as the kernel names it. */
struct pin_use {
	char link[PIN_NAME_MAX]; /* the link's pin */
	char map[PIN_NAME_MAX];	 /* the map's name (a pinned map has its pin's name) */
	uint32_t map_id;
};

/*
 * pin_record_format() - "canister-pins-1 map:labels:12 link:links/canister_fork:40 ..."
 * Returns the length, or:
 *   -EINVAL  a name that is empty or holds ':', a space or a non-printable byte,
 *            or a kind outside the enum
 *   -ENOSPC  the text does not fit in @len or in PIN_RECORD_MAX
 */
int pin_record_format(const struct pin_entry *entries, size_t count, char *buf, size_t len);

/*
 * pin_record_parse() - the entries of a record's @text, at most @max.
 * Returns the number of entries, or:
 *   -EINVAL  another version word, a malformed entry, an id that is not a
 *            decimal number in 1..2^32-1, a name pinned twice
 *   -E2BIG   more than @max entries
 */
int pin_record_parse(const char *text, struct pin_entry *ret_entries, size_t max);

/*
 * pin_record_parts() - how many parts a record's text of @len bytes is kept
 * in: every part holds PIN_RECORD_PART bytes but the last, and an empty text
 * still takes one.  Part @part (from 1) starts at (@part - 1) * PIN_RECORD_PART.
 */
size_t pin_record_parts(size_t len);

/*
 * pin_record_join() - the record's text from its parts as read: @parts[i]
 * is part i + 1's text, @lens[i] its length, NULL where there is no such
 * part; @count at most PIN_RECORD_PARTS.  Written to @buf (NUL-terminated)
 * only on success.  Returns the text's length, or with @why (naming the part):
 *   -ENOENT  there is no first part: no record
 *   -EINVAL  a part is missing before a later one, a part before the last
 *            is shorter than PIN_RECORD_PART (a cut or corrupted record), or
 *            a part is longer, or holds a NUL byte
 *   -ENOSPC  the text does not fit in @len
 */
int pin_record_join(const char *const *parts, const size_t *lens, size_t count, char *buf,
		    size_t len, char *why, size_t why_len);

/* What the pins under the pin directory are, for pin_record_check(). */
struct pin_state {
	const struct pin_entry *pinned; /* what is pinned now */
	size_t pinned_count;
	const struct pin_entry *record; /* NULL: there is no record */
	size_t record_count;
	const struct pin_use *uses; /* what the pinned links' programs use */
	size_t use_count;
};

/*
 * pin_record_check() - whether @state's pins are what canisterd pinned, in
 * this order:
 *   - a pinned link whose program uses a map named like a pinned map, but
 *     another id: the map was replaced (this holds with no record, too);
 *   - with a record: every pin must be in it with its kind and id, and every
 *     entry of it must still be pinned (`canisterd --unload` removes the
 *     record with the pins; a reboot empties the bpffs).
 * Nothing pinned and no record is a first start.
 * Returns 0, or with the first difference in @why:
 *   -EEXIST  a pin holds another object than canisterd pinned there, or one
 *            canisterd did not pin
 *   -ENOENT  a pin canisterd made is gone
 */
int pin_record_check(const struct pin_state *state, char *why, size_t why_len);

#endif
