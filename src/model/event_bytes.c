// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: the exact bytes of an event's name, COE and CELL, as docs/model.md
 * lays them out (little-endian fixed-width integers, u32-length-prefixed strings).
 */
#include "model/event.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

static const char *const event_names[CANISTER_MODEL_EVENT_TYPES] = {
	[CANISTER_MODEL_EXEC] = "bprm_set_creds",
	[CANISTER_MODEL_FILE_OPEN] = "file_open",
	[CANISTER_MODEL_MMAP_FILE] = "mmap_file",
	[CANISTER_MODEL_TASK_KILL] = "task_kill",
	[CANISTER_MODEL_PTRACE] = "ptrace_access_check",
	[CANISTER_MODEL_SOCKET_CREATE] = "socket_create",
	[CANISTER_MODEL_SOCKET_BIND] = "socket_bind",
	[CANISTER_MODEL_SOCKET_CONNECT] = "socket_connect",
	[CANISTER_MODEL_SOCKET_LISTEN] = "socket_listen",
	[CANISTER_MODEL_SOCKET_ACCEPT] = "socket_accept",
	[CANISTER_MODEL_CAPABLE] = "capable",
	[CANISTER_MODEL_SETUID] = "task_fix_setuid",
	[CANISTER_MODEL_SETGID] = "task_fix_setgid",
	[CANISTER_MODEL_MOUNT] = "sb_mount",
	[CANISTER_MODEL_MOVE_MOUNT] = "move_mount",
	[CANISTER_MODEL_FILE_MPROTECT] = "file_mprotect",
};

const char *canister_model_event_name(enum canister_model_event_type type)
{
	if ((unsigned int)type >= CANISTER_MODEL_EVENT_TYPES)
		return NULL;
	return event_names[type];
}

/* Bytes appended to a buffer that may be too small: what did not fit is counted, not written. */
struct bytes {
	uint8_t *buf;
	size_t size;
	size_t len;
	int error;
};

static void put(struct bytes *b, const void *data, size_t len)
{
	if (len && b->len < b->size)
		memcpy(b->buf + b->len, data, len <= b->size - b->len ? len : b->size - b->len);
	b->len += len;
}

static void put_u16(struct bytes *b, uint16_t value)
{
	uint8_t le[2] = { value & 0xff, value >> 8 };

	put(b, le, sizeof(le));
}

static void put_u32(struct bytes *b, uint32_t value)
{
	uint8_t le[4];

	for (size_t i = 0; i < sizeof(le); i++)
		le[i] = (uint8_t)(value >> (8 * i));
	put(b, le, sizeof(le));
}

static void put_u64(struct bytes *b, uint64_t value)
{
	uint8_t le[8];

	for (size_t i = 0; i < sizeof(le); i++)
		le[i] = (uint8_t)(value >> (8 * i));
	put(b, le, sizeof(le));
}

/* A string as u32le(length) || bytes, no NUL; NULL is the empty string. */
static void put_str(struct bytes *b, const char *str)
{
	size_t len = str ? strlen(str) : 0;

	if (len > CANISTER_MODEL_PATH_MAX) {
		b->error = -ENAMETOOLONG;
		return;
	}
	put_u32(b, (uint32_t)len);
	put(b, str, len);
}

void canister_model_coe_bytes(const struct canister_model_coe *coe,
			      uint8_t buf[CANISTER_MODEL_COE_SIZE])
{
	struct bytes b = { .buf = buf, .size = CANISTER_MODEL_COE_SIZE };

	put_u32(&b, coe->uid);
	put_u32(&b, coe->euid);
	put_u32(&b, coe->suid);
	put_u32(&b, coe->gid);
	put_u32(&b, coe->egid);
	put_u32(&b, coe->sgid);
	put_u32(&b, coe->fsuid);
	put_u32(&b, coe->fsgid);
	put_u64(&b, coe->capeff);
}

/* The inode, then the path, then the content digest: TSEM's add_file() order. */
static void put_file(struct bytes *b, const struct canister_model_file *file)
{
	if (!file->path) {
		b->error = -EINVAL;
		return;
	}
	put_u32(b, file->uid);
	put_u32(b, file->gid);
	put_u32(b, file->mode);
	put_u32(b, file->s_magic);
	put(b, file->s_uuid, sizeof(file->s_uuid));
	put_str(b, file->path);
	put(b, file->digest, sizeof(file->digest));
}

/* The address of a bind, connect or accept, by family. */
static void put_address(struct bytes *b, const struct canister_model_socket *socket)
{
	switch (socket->family) {
	case AF_INET:
		put_u16(b, socket->port);
		put(b, socket->addr, 4);
		break;
	case AF_INET6:
		put_u16(b, socket->port);
		put(b, socket->addr, 16);
		break;
	case AF_UNIX:
		put_str(b, socket->unix_path);
		break;
	default:
		/* Other families: the family alone (their addresses are not described). */
		break;
	}
}

static void put_cell(struct bytes *b, const struct canister_model_event *event)
{
	const struct canister_model_socket *socket = &event->cell.socket;

	switch (event->type) {
	case CANISTER_MODEL_EXEC:
	case CANISTER_MODEL_FILE_OPEN:
		put_file(b, &event->cell.file);
		break;
	case CANISTER_MODEL_MMAP_FILE:
		put_u32(b, event->cell.mmap.anonymous);
		if (!event->cell.mmap.anonymous)
			put_file(b, &event->cell.mmap.file);
		put_u32(b, event->cell.mmap.reqprot);
		put_u32(b, event->cell.mmap.prot);
		put_u32(b, event->cell.mmap.flags);
		break;
	case CANISTER_MODEL_TASK_KILL:
		put(b, event->cell.kill.target, sizeof(event->cell.kill.target));
		put_u32(b, event->cell.kill.signal);
		put_u32(b, event->cell.kill.cross_container);
		break;
	case CANISTER_MODEL_PTRACE:
		put(b, event->cell.ptrace.target, sizeof(event->cell.ptrace.target));
		put_u32(b, event->cell.ptrace.mode);
		break;
	case CANISTER_MODEL_SOCKET_CREATE:
		put_u32(b, socket->family);
		put_u32(b, socket->type);
		put_u32(b, socket->protocol);
		put_u32(b, socket->kern);
		break;
	case CANISTER_MODEL_SOCKET_BIND:
	case CANISTER_MODEL_SOCKET_CONNECT:
	case CANISTER_MODEL_SOCKET_ACCEPT:
		put_u32(b, socket->family);
		put_u32(b, socket->type);
		put_u32(b, socket->protocol);
		put_address(b, socket);
		break;
	case CANISTER_MODEL_SOCKET_LISTEN:
		put_u32(b, socket->family);
		put_u32(b, socket->type);
		put_u32(b, socket->protocol);
		put_u32(b, socket->backlog);
		break;
	case CANISTER_MODEL_CAPABLE:
		put_u32(b, event->cell.capable.cap);
		put_u32(b, event->cell.capable.opts);
		break;
	case CANISTER_MODEL_SETUID:
	case CANISTER_MODEL_SETGID:
		put_u32(b, event->cell.setid.id);
		put_u32(b, event->cell.setid.eid);
		put_u32(b, event->cell.setid.sid);
		put_u32(b, event->cell.setid.fsid);
		put_u32(b, event->cell.setid.flags);
		break;
	case CANISTER_MODEL_MOUNT:
		if (!event->cell.mount.path) {
			b->error = -EINVAL;
			return;
		}
		put_str(b, event->cell.mount.dev_name);
		put_str(b, event->cell.mount.path);
		put_str(b, event->cell.mount.fstype);
		put_u64(b, event->cell.mount.flags);
		break;
	case CANISTER_MODEL_MOVE_MOUNT:
		put_str(b, event->cell.move_mount.fstype);
		put_u32(b, event->cell.move_mount.whole);
		break;
	case CANISTER_MODEL_FILE_MPROTECT:
		put_u32(b, event->cell.mprotect.anonymous);
		put_u32(b, event->cell.mprotect.reqprot);
		put_u32(b, event->cell.mprotect.prot);
		break;
	default:
		b->error = -EINVAL;
		break;
	}
}

long canister_model_cell_bytes(const struct canister_model_event *event, uint8_t *buf, size_t size)
{
	struct bytes b = { .buf = buf, .size = buf ? size : 0 };

	put_cell(&b, event);
	return b.error ? b.error : (long)b.len;
}
