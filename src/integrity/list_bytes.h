/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: the bytes of a list's published files, grown by each new entry, never reformatted. */
#ifndef CANISTERD_INTEGRITY_LIST_BYTES_H
#define CANISTERD_INTEGRITY_LIST_BYTES_H

#include "integrity/ima_list.h"

#include <stddef.h>

/* The four list files publish.c writes, in both banks. */
enum list_bytes_file {
	LIST_BYTES_BINARY_SHA1,
	LIST_BYTES_BINARY_SHA256,
	LIST_BYTES_ASCII_SHA1,
	LIST_BYTES_ASCII_SHA256,
	LIST_BYTES_FILES,
};

/*
 * Every new entry republishes a container's whole list (each file is
 * written beside itself and renamed, so no reader sees a torn list).
 * Formatting the whole list each time made a container's n entries cost
 * canisterd time quadratic in n, under the lock every judge takes: a
 * container that kept reading a file held open for write (a violation each
 * time) made canisterd spend 12 CPU minutes on 8,300 entries.  The bytes are
 * kept instead and only the entries added since are formatted; what is left
 * per publish is one copy of each file.
 */
struct list_bytes {
	struct {
		char *data;
		size_t len;
		size_t cap;
	} file[LIST_BYTES_FILES];
	size_t entries;	  /* entries of the list the bytes hold */
	size_t formatted; /* entries formatted so far, counted per file: for the tests */
};

void list_bytes_init(struct list_bytes *bytes);
void list_bytes_free(struct list_bytes *bytes);

/* list_bytes_forget() - the list was replaced (reloaded, started again): hold nothing. */
void list_bytes_forget(struct list_bytes *bytes);

/*
 * list_bytes_update() - @bytes made to hold @list: the entries from
 * @bytes->entries on are formatted and appended.  Whoever replaces the list
 * calls list_bytes_forget() first; a list shorter than what the bytes hold
 * is taken as a new one too, formatted from its start.  Returns 0 or
 * -ENOMEM (then @bytes holds nothing, and the next update starts over).
 */
int list_bytes_update(struct list_bytes *bytes, const struct canister_ima_list *list);

#endif
