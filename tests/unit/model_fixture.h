/* SPDX-License-Identifier: GPL-2.0-only */
/* canister unit tests: behaviour-model events of every kind, and hex helpers, for test_model_*. */
#ifndef CANISTER_TESTS_UNIT_MODEL_FIXTURE_H
#define CANISTER_TESTS_UNIT_MODEL_FIXTURE_H

#include "lib/hex.h"
#include "model/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* The credentials and TASK_ID kat.py takes (tests/unit/data/model/kat.py). */
static inline struct canister_model_event fixture_base(enum canister_model_event_type type)
{
	struct canister_model_event event = {
		.type = type,
		.coe = { 1000, 1000, 1000, 100, 100, 100, 1000, 1000, 0x20 },
	};

	memset(event.task_id, 0x11, sizeof(event.task_id));
	return event;
}

/* kat.py's /etc/passwd (a file with @digest_byte repeated as its digest). */
static inline struct canister_model_file fixture_file(const char *path, uint32_t mode,
						      uint8_t digest_byte)
{
	struct canister_model_file file = {
		.path = path,
		.mode = mode,
		.s_magic = 0xef53,
	};

	for (size_t i = 0; i < sizeof(file.s_uuid); i++)
		file.s_uuid[i] = (uint8_t)i;
	memset(file.digest, digest_byte, sizeof(file.digest));
	return file;
}

/* An event of @type with every CELL field set (the values kat.py takes where it has the type). */
static inline struct canister_model_event fixture_event(enum canister_model_event_type type)
{
	struct canister_model_event event = fixture_base(type);
	struct canister_model_socket *socket = &event.cell.socket;

	switch (type) {
	case CANISTER_MODEL_EXEC:
		event.cell.file = fixture_file("/bin/sh", 0100755, 0x33);
		break;
	case CANISTER_MODEL_FILE_OPEN:
		event.cell.file = fixture_file("/etc/passwd", 0100644, 0x22);
		break;
	case CANISTER_MODEL_MMAP_FILE:
		event.cell.mmap.file = fixture_file("/lib/libc.so.6", 0100755, 0x55);
		event.cell.mmap.reqprot = 5; /* PROT_READ | PROT_EXEC */
		event.cell.mmap.prot = 5;
		event.cell.mmap.flags = 2; /* MAP_PRIVATE */
		break;
	case CANISTER_MODEL_TASK_KILL:
		memset(event.cell.kill.target, 0x44, sizeof(event.cell.kill.target));
		event.cell.kill.signal = 15;
		event.cell.kill.cross_container = true;
		break;
	case CANISTER_MODEL_PTRACE:
		memset(event.cell.ptrace.target, 0x66, sizeof(event.cell.ptrace.target));
		event.cell.ptrace.mode = 0x12; /* PTRACE_MODE_ATTACH | PTRACE_MODE_REALCREDS */
		break;
	case CANISTER_MODEL_SOCKET_CREATE:
		socket->family = AF_INET6;
		socket->type = SOCK_DGRAM;
		socket->protocol = 17;
		break;
	case CANISTER_MODEL_SOCKET_BIND:
		socket->family = AF_INET6;
		socket->type = SOCK_STREAM;
		socket->protocol = 6;
		socket->port = 8080;
		socket->addr[15] = 1; /* ::1 */
		break;
	case CANISTER_MODEL_SOCKET_CONNECT:
		socket->family = AF_INET;
		socket->type = SOCK_STREAM;
		socket->protocol = 6;
		socket->port = 443;
		memcpy(socket->addr, "\xc0\x00\x02\x01", 4); /* 192.0.2.1 */
		break;
	case CANISTER_MODEL_SOCKET_LISTEN:
		socket->family = AF_INET;
		socket->type = SOCK_STREAM;
		socket->protocol = 6;
		socket->backlog = 128;
		break;
	case CANISTER_MODEL_SOCKET_ACCEPT:
		socket->family = AF_UNIX;
		socket->type = SOCK_STREAM;
		socket->unix_path = "/run/app.sock";
		break;
	case CANISTER_MODEL_CAPABLE:
		event.cell.capable.cap = 21; /* CAP_SYS_ADMIN */
		break;
	case CANISTER_MODEL_SETUID:
	case CANISTER_MODEL_SETGID:
		event.cell.setid.id = 0;
		event.cell.setid.eid = 0;
		event.cell.setid.sid = 0;
		event.cell.setid.fsid = 0;
		event.cell.setid.flags = 1; /* LSM_SETID_ID */
		break;
	case CANISTER_MODEL_MOUNT:
		event.cell.mount.dev_name = "tmpfs";
		event.cell.mount.path = "/mnt";
		event.cell.mount.fstype = "tmpfs";
		event.cell.mount.flags = 2; /* MS_NOSUID */
		break;
	case CANISTER_MODEL_MOVE_MOUNT:
		event.cell.move_mount.fstype = "tmpfs";
		event.cell.move_mount.whole = true;
		break;
	case CANISTER_MODEL_FILE_MPROTECT:
		event.cell.mprotect.anonymous = true;
		event.cell.mprotect.reqprot = 1; /* PROT_READ */
		event.cell.mprotect.prot = 5;	 /* READ_IMPLIES_EXEC: PROT_READ | PROT_EXEC */
		break;
	default:
		break;
	}
	return event;
}

/* @digest as 64 hex digits, in one of a few rotating static buffers (for messages). */
static inline const char *hex32(const uint8_t *digest)
{
	static char text[4][2 * CANISTER_MODEL_DIGEST_SIZE + 1];
	static unsigned int next;
	char *out = text[next++ % 4];

	canister_hex_encode(digest, CANISTER_MODEL_DIGEST_SIZE, out);
	return out;
}

/* A distinct, well-spread coefficient for each @n (the tests' model inputs). */
static inline void fixture_coefficient(uint32_t n, uint8_t out[CANISTER_MODEL_DIGEST_SIZE])
{
	uint32_t x = n * 2654435761u + 0x9e3779b9u;

	for (size_t i = 0; i < CANISTER_MODEL_DIGEST_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[i] = (uint8_t)(x >> 24);
	}
	memcpy(out + CANISTER_MODEL_DIGEST_SIZE - 4, &n, 4); /* distinct whatever the mixing */
}

/*
 * The exit status of tests/tools/model-recompute.py run with @args (from the
 * tree's top, where tests/unit/run runs).  Without python3 the test fails, and
 * says why: the independent check is the point, a skip would hide its absence.
 */
static inline int run_recompute(const char *args)
{
	char command[512];
	int status;

	if (system("command -v python3 >/dev/null 2>&1") != 0)
		fail_msg("python3 is not installed: nothing can recompute the model independently");
	snprintf(command, sizeof(command), "python3 tests/tools/model-recompute.py %s", args);
	status = system(command);
	if (!WIFEXITED(status))
		fail_msg("%s: did not exit (status %d)", command, status);
	return WEXITSTATUS(status);
}

#endif
