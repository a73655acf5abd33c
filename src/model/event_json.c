// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: the export of an event, keyed as TSEM's trajectory and export
 * records are ("export", "event", "COE", then the CELL under the event's name), every value a
 * string as TSEM writes them, so that the coefficient can be recomputed from the line alone.
 */
#include "model/event_json.h"

#include "lib/hex.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Each adder returns 0 or -ENOMEM; json-c takes the new value even when adding fails. */
static int add_string(json_object *obj, const char *key, const char *value)
{
	json_object *v = json_object_new_string(value ? value : "");

	if (!v || json_object_object_add(obj, key, v) < 0)
		return -ENOMEM;
	return 0;
}

static int add_format(json_object *obj, const char *key, const char *format, uint64_t value)
{
	char text[32];

	snprintf(text, sizeof(text), format, value);
	return add_string(obj, key, text);
}

static int add_u64(json_object *obj, const char *key, uint64_t value)
{
	return add_format(obj, key, "%" PRIu64, value);
}

static int add_digest(json_object *obj, const char *key, const uint8_t *digest, size_t len)
{
	char hex[2 * CANISTER_MODEL_DIGEST_SIZE + 1];

	canister_hex_encode(digest, len, hex);
	return add_string(obj, key, hex);
}

/* A child object, added to @parent under @key; NULL when out of memory. */
static json_object *add_object(json_object *parent, const char *key)
{
	json_object *child = json_object_new_object();

	if (!child || json_object_object_add(parent, key, child) < 0)
		return NULL;
	return child;
}

static int add_coe(json_object *root, const struct canister_model_coe *coe)
{
	json_object *obj = add_object(root, "COE");

	if (!obj)
		return -ENOMEM;
	return add_u64(obj, "uid", coe->uid) | add_u64(obj, "euid", coe->euid) |
	       add_u64(obj, "suid", coe->suid) | add_u64(obj, "gid", coe->gid) |
	       add_u64(obj, "egid", coe->egid) | add_u64(obj, "sgid", coe->sgid) |
	       add_u64(obj, "fsuid", coe->fsuid) | add_u64(obj, "fsgid", coe->fsgid) |
	       add_format(obj, "capeff", "0x%" PRIx64, coe->capeff);
}

/* TSEM's "file" object: "inode", "path", "digest" (its "flags", "s_id" and "dev" canister
 * does not take: docs/model.md). */
static int add_file(json_object *cell, const struct canister_model_file *file)
{
	json_object *obj = add_object(cell, "file"), *inode, *path;

	if (!obj || !(inode = add_object(obj, "inode")) || !(path = add_object(obj, "path")))
		return -ENOMEM;
	return add_u64(inode, "uid", file->uid) | add_u64(inode, "gid", file->gid) |
	       add_format(inode, "mode", "0%" PRIo64, file->mode) |
	       add_format(inode, "s_magic", "0x%" PRIx64, file->s_magic) |
	       add_digest(inode, "s_uuid", file->s_uuid, sizeof(file->s_uuid)) |
	       add_string(path, "pathname", file->path) |
	       add_digest(obj, "digest", file->digest, sizeof(file->digest));
}

static int add_address(json_object *cell, const struct canister_model_socket *socket)
{
	char text[INET6_ADDRSTRLEN];

	switch (socket->family) {
	case AF_INET:
	case AF_INET6:
		if (!inet_ntop((int)socket->family, socket->addr, text, sizeof(text)))
			return -EINVAL;
		return add_u64(cell, "port", socket->port) | add_string(cell, "addr", text);
	case AF_UNIX:
		return add_string(cell, "addr", socket->unix_path);
	default:
		return 0;
	}
}

static int add_cell(json_object *cell, const struct canister_model_event *event)
{
	const struct canister_model_socket *socket = &event->cell.socket;
	bool gid = event->type == CANISTER_MODEL_SETGID;
	int r;

	switch (event->type) {
	case CANISTER_MODEL_EXEC:
	case CANISTER_MODEL_FILE_OPEN:
		return add_file(cell, &event->cell.file);
	case CANISTER_MODEL_MMAP_FILE:
		r = add_u64(cell, "type", event->cell.mmap.anonymous) |
		    add_u64(cell, "reqprot", event->cell.mmap.reqprot) |
		    add_u64(cell, "prot", event->cell.mmap.prot) |
		    add_u64(cell, "flags", event->cell.mmap.flags);
		if (r == 0 && !event->cell.mmap.anonymous)
			r = add_file(cell, &event->cell.mmap.file);
		return r;
	case CANISTER_MODEL_TASK_KILL:
		return add_digest(cell, "target", event->cell.kill.target,
				  sizeof(event->cell.kill.target)) |
		       add_u64(cell, "signal", event->cell.kill.signal) |
		       add_u64(cell, "cross_container", event->cell.kill.cross_container);
	case CANISTER_MODEL_PTRACE:
		return add_digest(cell, "target", event->cell.ptrace.target,
				  sizeof(event->cell.ptrace.target)) |
		       add_u64(cell, "mode", event->cell.ptrace.mode);
	case CANISTER_MODEL_SOCKET_CREATE:
	case CANISTER_MODEL_SOCKET_BIND:
	case CANISTER_MODEL_SOCKET_CONNECT:
	case CANISTER_MODEL_SOCKET_LISTEN:
	case CANISTER_MODEL_SOCKET_ACCEPT:
		r = add_u64(cell, "family", socket->family) | add_u64(cell, "type", socket->type) |
		    add_u64(cell, "protocol", socket->protocol);
		if (r)
			return r;
		if (event->type == CANISTER_MODEL_SOCKET_CREATE)
			return add_u64(cell, "kern", socket->kern);
		if (event->type == CANISTER_MODEL_SOCKET_LISTEN)
			return add_u64(cell, "backlog", socket->backlog);
		return add_address(cell, socket);
	case CANISTER_MODEL_CAPABLE:
		return add_u64(cell, "cap", event->cell.capable.cap) |
		       add_u64(cell, "opts", event->cell.capable.opts);
	case CANISTER_MODEL_SETUID:
	case CANISTER_MODEL_SETGID:
		return add_u64(cell, gid ? "gid" : "uid", event->cell.setid.id) |
		       add_u64(cell, gid ? "egid" : "euid", event->cell.setid.eid) |
		       add_u64(cell, gid ? "sgid" : "suid", event->cell.setid.sid) |
		       add_u64(cell, gid ? "fsgid" : "fsuid", event->cell.setid.fsid) |
		       add_u64(cell, "flags", event->cell.setid.flags);
	case CANISTER_MODEL_MOUNT: {
		json_object *path = add_object(cell, "path");

		if (!path)
			return -ENOMEM;
		return add_string(cell, "dev_name", event->cell.mount.dev_name) |
		       add_string(path, "pathname", event->cell.mount.path) |
		       add_string(cell, "type", event->cell.mount.fstype) |
		       add_u64(cell, "flags", event->cell.mount.flags);
	}
	case CANISTER_MODEL_MOVE_MOUNT:
		return add_string(cell, "type", event->cell.move_mount.fstype) |
		       add_u64(cell, "whole", event->cell.move_mount.whole);
	case CANISTER_MODEL_FILE_MPROTECT:
		return add_u64(cell, "type", event->cell.mprotect.anonymous) |
		       add_u64(cell, "reqprot", event->cell.mprotect.reqprot) |
		       add_u64(cell, "prot", event->cell.mprotect.prot);
	default:
		return -EINVAL;
	}
}

/* The "event" object: what TSEM puts there, the coefficient and canister's contid. */
static int add_event(json_object *root, const struct canister_model_event *event, uint64_t contid,
		     const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	json_object *obj = add_object(root, "event");
	uint8_t new_task_id[CANISTER_MODEL_DIGEST_SIZE];
	int r;

	if (!obj)
		return -ENOMEM;
	r = add_string(obj, "type", canister_model_event_name(event->type)) |
	    add_u64(obj, "contid", contid) |
	    add_digest(obj, "task_id", event->task_id, sizeof(event->task_id)) |
	    add_digest(obj, "coefficient", coefficient, CANISTER_MODEL_DIGEST_SIZE);
	if (r == 0 && event->type == CANISTER_MODEL_EXEC) {
		r = canister_model_task_id(&event->coe, &event->cell.file, new_task_id);
		if (r == 0)
			r = add_digest(obj, "new_task_id", new_task_id, sizeof(new_task_id));
	}
	/* Descriptive only: in no hashed byte. */
	if (r == 0 && event->pid)
		r = add_u64(obj, "pid", event->pid);
	if (r == 0 && event->comm)
		r = add_string(obj, "process", event->comm);
	if (r == 0 && event->ts)
		r = add_u64(obj, "ts", event->ts);
	return r;
}

int canister_model_event_json(const struct canister_model_event *event, uint64_t contid,
			      char **ret_line)
{
	uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE];
	json_object *root, *export, *cell;
	const char *text;
	char *line = NULL;
	int r;

	r = canister_model_coefficient(event, coefficient);
	if (r < 0)
		return r;
	root = json_object_new_object();
	if (!root)
		return -ENOMEM;
	r = -ENOMEM;
	export = add_object(root, "export");
	if (export && add_string(export, "type", "event") == 0 &&
	    add_event(root, event, contid, coefficient) == 0 && add_coe(root, &event->coe) == 0 &&
	    (cell = add_object(root, canister_model_event_name(event->type))) != NULL) {
		r = add_cell(cell, event);
		/* Errors are OR-ed together: only -EINVAL (an address inet_ntop refused) is alone.
		 */
		if (r != 0 && r != -EINVAL)
			r = -ENOMEM;
	}
	if (r == 0) {
		text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_SPACED |
								    JSON_C_TO_STRING_NOSLASHESCAPE);
		line = text ? strdup(text) : NULL;
		r = line ? 0 : -ENOMEM;
	}
	json_object_put(root);
	if (r == 0)
		*ret_line = line;
	return r;
}
