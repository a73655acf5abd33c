// SPDX-License-Identifier: GPL-2.0-only
/* canister libFuzzer harness: an observer's ring record decoded, and what it decodes to hashed
 * and exported. */
#include "model/event_json.h"
#include "model/observe_decode.h"

#include "fuzz_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A string the decoder gives: NUL-terminated inside its buffer in @o, or NULL. */
static void check_string(const struct canister_model_observed *o, const char *s, const char *what)
{
	const char *base = (const char *)o;

	if (!s)
		return;
	if (s < base || s >= base + sizeof(*o))
		broken("a string points outside the decoded record", what);
	if (!memchr(s, '\0', (size_t)(base + sizeof(*o) - s)))
		broken("a string without its NUL", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct canister_model_observed o;
	/* The ring gives 8-byte aligned records; the harness copies to give the same. */
	uint64_t *copy = malloc(size + 8);
	uint8_t cell[CANISTER_MODEL_CELL_MAX];
	char *line = NULL;
	long len;
	int r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	r = canister_model_observe_decode(copy, size, &o);
	free(copy);
	if (r != 0) {
		if (r != -EBADMSG && r != -EINVAL && r != -ENAMETOOLONG)
			broken("an error the decoder does not document", "");
		return 0;
	}
	if (o.event.type >= CANISTER_MODEL_EVENT_TYPES)
		broken("an event type that does not exist", "");
	check_string(&o, o.event.comm, "comm");
	if (o.event.type == CANISTER_MODEL_MOUNT) {
		check_string(&o, o.event.cell.mount.dev_name, "dev_name");
		check_string(&o, o.event.cell.mount.path, "mount path");
		check_string(&o, o.event.cell.mount.fstype, "fstype");
		if (!o.event.cell.mount.path)
			broken("a mount without a mount point", "");
	}
	if (o.event.type == CANISTER_MODEL_MOVE_MOUNT) {
		check_string(&o, o.event.cell.move_mount.fstype, "move_mount fstype");
		/* A source not named (trace mode) is never a whole filesystem. */
		if ((!o.event.cell.move_mount.fstype || !o.event.cell.move_mount.fstype[0]) &&
		    o.event.cell.move_mount.whole)
			broken("a move_mount whose unnamed source is whole", "");
	}
	if (o.event.type == CANISTER_MODEL_SOCKET_BIND ||
	    o.event.type == CANISTER_MODEL_SOCKET_CONNECT ||
	    o.event.type == CANISTER_MODEL_SOCKET_ACCEPT)
		check_string(&o, o.event.cell.socket.unix_path, "unix path");
	/* An exec the gate never sees has no CELL: its file is named, never hashed. */
	if (o.event.type == CANISTER_MODEL_EXEC) {
		check_string(&o, o.exec_path, "exec path");
		if (o.exec_path[0] != '/' || strchr(o.exec_path + 1, '/') || !o.kernel_denied)
			broken("an unseen exec that is not a denied file's name", o.exec_path);
		return 0;
	}
	/* A file-backed mapping waits for the resolver's path; the rest hash and export as they
	 * are. */
	if (o.event.type == CANISTER_MODEL_MMAP_FILE && !o.event.cell.mmap.anonymous)
		o.event.cell.mmap.file.path = "/resolved";
	len = canister_model_cell_bytes(&o.event, cell, sizeof(cell));
	if (len <= 0 || (size_t)len > sizeof(cell))
		broken("a decoded event whose CELL cannot be made", "");
	if (canister_model_event_json(&o.event, o.contid, &line) != 0)
		broken("a decoded event that does not export", "");
	free(line);
	return 0;
}
