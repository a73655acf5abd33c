/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: a security event as TSEM describes it (event, TASK_ID, COE, CELL). */
#ifndef CANISTER_MODEL_EVENT_H
#define CANISTER_MODEL_EVENT_H

#include "model/digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest path, device name or filesystem type a CELL takes (bytes, without a NUL). */
#define CANISTER_MODEL_PATH_MAX 4096
/* No CELL's bytes are longer: three strings of PATH_MAX and their fixed-width fields. */
#define CANISTER_MODEL_CELL_MAX (3 * (4 + CANISTER_MODEL_PATH_MAX) + 128)
/* The COE's bytes: eight u32 ids and the u64 effective capabilities. */
#define CANISTER_MODEL_COE_SIZE 40

/*
 * The events canister models.  Each is named as TSEM (and the LSM hook it
 * comes from) names it; the name is EVENT_ID in the coefficient, so the
 * names are frozen: renaming one changes every coefficient of its kind.
 */
enum canister_model_event_type {
	CANISTER_MODEL_EXEC,	      /* "bprm_set_creds": CELL file (the new executable) */
	CANISTER_MODEL_FILE_OPEN,     /* "file_open": CELL file */
	CANISTER_MODEL_MMAP_FILE,     /* "mmap_file": CELL mmap (PROT_EXEC mappings) */
	CANISTER_MODEL_TASK_KILL,     /* "task_kill": CELL signal */
	CANISTER_MODEL_PTRACE,	      /* "ptrace_access_check": CELL ptrace */
	CANISTER_MODEL_SOCKET_CREATE, /* "socket_create": CELL socket (family, type, protocol, kern)
				       */
	CANISTER_MODEL_SOCKET_BIND,   /* "socket_bind": CELL socket and address */
	CANISTER_MODEL_SOCKET_CONNECT, /* "socket_connect": CELL socket and address */
	CANISTER_MODEL_SOCKET_LISTEN,  /* "socket_listen": CELL socket and backlog */
	CANISTER_MODEL_SOCKET_ACCEPT,  /* "socket_accept": CELL socket and local address */
	CANISTER_MODEL_CAPABLE,	       /* "capable": CELL capability */
	CANISTER_MODEL_SETUID,	       /* "task_fix_setuid": CELL setid (canister's own) */
	CANISTER_MODEL_SETGID,	       /* "task_fix_setgid": CELL setid (canister's own) */
	CANISTER_MODEL_MOUNT,	       /* "sb_mount": CELL mount */
	CANISTER_MODEL_MOVE_MOUNT,     /* "move_mount": CELL the source mount's filesystem */
	CANISTER_MODEL_FILE_MPROTECT,  /* "file_mprotect": CELL mprotect (adding PROT_EXEC) */
	CANISTER_MODEL_EVENT_TYPES,
};

/*
 * The context of execution: the credentials of the task acting, as TSEM
 * takes them (security/tsem/map.c, get_COE_mapping()), ids as the initial
 * user namespace sees them.
 */
struct canister_model_coe {
	uint32_t uid, euid, suid, gid, egid, sgid, fsuid, fsgid;
	uint64_t capeff; /* effective capabilities, bit N = capability N */
};

/* A file as a CELL sees it: exec, file_open and file-backed mmap_file. */
struct canister_model_file {
	const char *path;   /* absolute, in the task's mount namespace; at most PATH_MAX bytes */
	uint32_t uid, gid;  /* the inode's owner */
	uint32_t mode;	    /* st_mode, file type bits included */
	uint32_t s_magic;   /* statfs f_type of its filesystem */
	uint8_t s_uuid[16]; /* its filesystem's UUID; zeros when it has none, always zeros on tmpfs
			     */
	/* SHA-256 of the content; the pseudonym digest for a pseudonym's path (pseudonym.c) */
	uint8_t digest[CANISTER_MODEL_DIGEST_SIZE];
};

/* A socket, and for bind, connect and accept its address. */
struct canister_model_socket {
	uint32_t family, type, protocol;
	uint32_t kern;	       /* socket_create only: 1 for a kernel socket */
	uint32_t backlog;      /* socket_listen only */
	uint16_t port;	       /* AF_INET, AF_INET6: host byte order */
	uint8_t addr[16];      /* AF_INET: 4 bytes, AF_INET6: 16, in network order (as written) */
	const char *unix_path; /* AF_UNIX: the path; an abstract name with '@' for its NUL */
};

struct canister_model_event {
	enum canister_model_event_type type;
	/* TASK_ID of the task acting (canister_model_task_id() of its executable) */
	uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE];
	struct canister_model_coe coe;
	union {
		struct canister_model_file file; /* exec, file_open */
		struct {
			bool anonymous; /* anonymous memory: @file is not read */
			struct canister_model_file file;
			/* asked, applied (READ_IMPLIES_EXEC's PROT_EXEC added), mmap's flags */
			uint32_t reqprot, prot, flags;
		} mmap;
		struct {
			uint8_t target[CANISTER_MODEL_DIGEST_SIZE]; /* the target's TASK_ID */
			uint32_t signal;
			bool cross_container; /* the target is in another container */
		} kill;
		struct {
			uint8_t target[CANISTER_MODEL_DIGEST_SIZE]; /* the tracee's TASK_ID */
			uint32_t mode;				    /* PTRACE_MODE_* */
		} ptrace;
		struct canister_model_socket socket; /* the socket_* events */
		struct {
			uint32_t cap;  /* CAP_* number */
			uint32_t opts; /* CAP_OPT_* */
		} capable;
		struct {
			/* the new ids: uid, euid, suid, fsuid (setuid) or the gids (setgid) */
			uint32_t id, eid, sid, fsid;
			uint32_t flags; /* LSM_SETID_* */
		} setid;
		struct {
			const char *dev_name; /* NULL hashes as "" */
			const char *path;     /* the mount point */
			const char *fstype;   /* NULL hashes as "" */
			uint64_t flags;	      /* MS_* */
		} mount;
		struct {
			/* the source mount's filesystem type; "" when not named (trace mode) */
			const char *fstype;
			bool whole; /* the source mount's root is its filesystem's root */
		} move_mount;
		struct {
			bool anonymous;	  /* the mapping has no file */
			uint32_t reqprot; /* the protection mprotect's caller asked for */
			uint32_t prot; /* the protection applied (READ_IMPLIES_EXEC's PROT_EXEC) */
		} mprotect;
	} cell;

	/* Described in an export, never hashed: no coefficient depends on them. */
	uint32_t pid;
	uint64_t ts; /* nanoseconds, any clock */
	const char *comm;
};

/* canister_model_event_name() - EVENT_ID of @type, NULL for a type canister does not have. */
const char *canister_model_event_name(enum canister_model_event_type type);

/*
 * canister_model_coe_bytes() - the COE's CANISTER_MODEL_COE_SIZE bytes
 * into @buf (docs/model.md, "COE").
 */
void canister_model_coe_bytes(const struct canister_model_coe *coe,
			      uint8_t buf[CANISTER_MODEL_COE_SIZE]);

/*
 * canister_model_cell_bytes() - the bytes of @event's CELL (docs/model.md,
 * "CELL"), at most @size of them into @buf; snprintf-like, the length they
 * take is returned whatever @size.  Returns -EINVAL for a type canister does
 * not have or a file without a path, -ENAMETOOLONG for a string longer than
 * CANISTER_MODEL_PATH_MAX.
 */
long canister_model_cell_bytes(const struct canister_model_event *event, uint8_t *buf, size_t size);

/*
 * canister_model_coefficient() - SHA256(SHA256(EVENT_ID) || TASK_ID ||
 * SHA256(COE) || SHA256(CELL)) of @event into @ret.  Returns 0, the errors
 * of canister_model_cell_bytes(), or -ENOMEM.
 */
int canister_model_coefficient(const struct canister_model_event *event,
			       uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * canister_model_task_id() - the TASK_ID of a task that executed @exe with
 * credentials @coe: the coefficient of the "bprm_set_creds" event with the
 * TASK_ID field all zeros (TSEM's NULL_ID).  Returns as
 * canister_model_coefficient().
 */
int canister_model_task_id(const struct canister_model_coe *coe,
			   const struct canister_model_file *exe,
			   uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

#endif
