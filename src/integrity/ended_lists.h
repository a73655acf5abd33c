/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: which ended containers' lists stay under integrity_dir, and how they are named. */
#ifndef CANISTERD_INTEGRITY_ENDED_LISTS_H
#define CANISTERD_INTEGRITY_ENDED_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "<contid>.ended-<unix time>": its list as it was when canisterd saw it end. */
#define ENDED_LISTS_INFIX ".ended-"

struct ended_list {
	uint64_t contid;
	int64_t when; /* the unix time canisterd saw the container end */
	char name[64];
};

/*
 * ended_list_name() - @contid's ended name for @when into @buf (at least 64
 * bytes: 20 digits, the infix, 19 digits).  Returns snprintf's length.
 */
int ended_list_name(uint64_t contid, int64_t when, char *buf, size_t len);

/*
 * ended_list_parse() - whether @name is an ended list's name, exactly as
 * ended_list_name() writes it (decimal digits, no sign, no leading zero, no
 * overflow); its parts into *@ret.  A live list ("<contid>") and a refused one
 * ("<contid>.refused-<time>") are not: a restarted canisterd never takes an
 * ended list for a live one, nor prunes anything else.
 */
bool ended_list_parse(const char *name, struct ended_list *ret);

/*
 * ended_lists_to_remove() - sorts @lists oldest first (by @when, then
 * contid) and returns how many of the first ones go so that at most @keep
 * stay.
 */
size_t ended_lists_to_remove(struct ended_list *lists, size_t count, size_t keep);

#endif
