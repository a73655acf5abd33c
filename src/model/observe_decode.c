// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: an observer's ring record (observe_abi.h),
 * checked field by field, as the event whose COE and CELL
 * event_bytes.c hashes.  Pure: no I/O, no kernel.
 */
#include "model/observe_decode.h"

#include "model/syscall32_calls.h"

#include <canister/abi.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define SIGNAL_MAX 64
#define CAP_MAX 63
#define PROT_EXEC_BIT 0x4
#define PROT_WRITE_BIT 0x2
#define MAP_TYPE_BITS 0x0f /* MAP_TYPE: MAP_SHARED 1, MAP_PRIVATE 2, MAP_SHARED_VALIDATE 3 */
#define SIN_PORT_END 4	   /* family, port */
#define SIN_ADDR_END 8	   /* sockaddr_in: the address ends here */
#define SIN6_ADDR_END 24   /* sockaddr_in6: family, port, flowinfo, address */
#define SUN_PATH_MAX 108

static const size_t kind_size[CANISTER_MODEL_OBS_KINDS] = {
	[CANISTER_MODEL_OBS_KILL] = sizeof(struct canister_model_obs_kill),
	[CANISTER_MODEL_OBS_PTRACE] = sizeof(struct canister_model_obs_ptrace),
	[CANISTER_MODEL_OBS_SOCKET_CREATE] = sizeof(struct canister_model_obs_socket),
	[CANISTER_MODEL_OBS_SOCKET_BIND] = sizeof(struct canister_model_obs_socket),
	[CANISTER_MODEL_OBS_SOCKET_CONNECT] = sizeof(struct canister_model_obs_socket),
	[CANISTER_MODEL_OBS_SOCKET_LISTEN] = sizeof(struct canister_model_obs_socket),
	[CANISTER_MODEL_OBS_SOCKET_ACCEPT] = sizeof(struct canister_model_obs_socket),
	[CANISTER_MODEL_OBS_CAPABLE] = sizeof(struct canister_model_obs_capable),
	[CANISTER_MODEL_OBS_SETUID] = sizeof(struct canister_model_obs_setid),
	[CANISTER_MODEL_OBS_SETGID] = sizeof(struct canister_model_obs_setid),
	[CANISTER_MODEL_OBS_MOUNT] = sizeof(struct canister_model_obs_mount),
	[CANISTER_MODEL_OBS_MMAP] = sizeof(struct canister_model_obs_mmap),
	[CANISTER_MODEL_OBS_EXEC_UNSEEN] = sizeof(struct canister_model_obs_exec_unseen),
	[CANISTER_MODEL_OBS_MOVE_MOUNT] = sizeof(struct canister_model_obs_move_mount),
	[CANISTER_MODEL_OBS_MPROTECT] = sizeof(struct canister_model_obs_mprotect),
	[CANISTER_MODEL_OBS_COMPAT_CALL] = sizeof(struct canister_model_obs_compat_call),
};

static const enum canister_model_event_type kind_type[CANISTER_MODEL_OBS_KINDS] = {
	[CANISTER_MODEL_OBS_KILL] = CANISTER_MODEL_TASK_KILL,
	[CANISTER_MODEL_OBS_PTRACE] = CANISTER_MODEL_PTRACE,
	[CANISTER_MODEL_OBS_SOCKET_CREATE] = CANISTER_MODEL_SOCKET_CREATE,
	[CANISTER_MODEL_OBS_SOCKET_BIND] = CANISTER_MODEL_SOCKET_BIND,
	[CANISTER_MODEL_OBS_SOCKET_CONNECT] = CANISTER_MODEL_SOCKET_CONNECT,
	[CANISTER_MODEL_OBS_SOCKET_LISTEN] = CANISTER_MODEL_SOCKET_LISTEN,
	[CANISTER_MODEL_OBS_SOCKET_ACCEPT] = CANISTER_MODEL_SOCKET_ACCEPT,
	[CANISTER_MODEL_OBS_CAPABLE] = CANISTER_MODEL_CAPABLE,
	[CANISTER_MODEL_OBS_SETUID] = CANISTER_MODEL_SETUID,
	[CANISTER_MODEL_OBS_SETGID] = CANISTER_MODEL_SETGID,
	[CANISTER_MODEL_OBS_MOUNT] = CANISTER_MODEL_MOUNT,
	[CANISTER_MODEL_OBS_MMAP] = CANISTER_MODEL_MMAP_FILE,
	[CANISTER_MODEL_OBS_EXEC_UNSEEN] = CANISTER_MODEL_EXEC,
	[CANISTER_MODEL_OBS_MOVE_MOUNT] = CANISTER_MODEL_MOVE_MOUNT,
	[CANISTER_MODEL_OBS_MPROTECT] = CANISTER_MODEL_FILE_MPROTECT,
	/* The call's (decode_compat_call()). */
	[CANISTER_MODEL_OBS_COMPAT_CALL] = CANISTER_MODEL_EVENT_TYPES,
};

static bool flag(uint32_t value)
{
	return value == 0 || value == 1;
}

static int decode_kill(const struct canister_model_obs_kill *r, struct canister_model_observed *o)
{
	if (r->signal == 0 || r->signal > SIGNAL_MAX || !flag(r->target_labelled))
		return -EINVAL;
	o->event.cell.kill.signal = r->signal;
	/* An unlabelled target is a host process: another container than any. */
	o->event.cell.kill.cross_container =
		!r->target_labelled || r->target_contid != r->head.contid;
	o->target_tgid = r->target_tgid;
	o->target_start_ns = r->target_start_ns;
	o->target_exe_dev = r->target_exe_dev;
	o->target_exe_ino = r->target_exe_ino;
	o->target_origin = r->target_origin;
	return 0;
}

static int decode_ptrace(const struct canister_model_obs_ptrace *r,
			 struct canister_model_observed *o)
{
	o->event.cell.ptrace.mode = r->mode;
	o->target_tgid = r->target_tgid;
	o->target_pid_nested = r->pid_level != 0;
	return 0;
}

/*
 * The address @r carries (a struct sockaddr of @r->addr_len bytes, of which
 * the record kept at most CANISTER_MODEL_OBS_ADDR_MAX) into @s: the family
 * is the address's, the port and address as event.h keeps them.
 */
static int decode_address(const struct canister_model_obs_socket *r,
			  struct canister_model_observed *o)
{
	struct canister_model_socket *s = &o->event.cell.socket;
	size_t len = r->addr_len, path_len;
	uint16_t family;

	if (len < sizeof(family))
		return -EINVAL;
	if (len > CANISTER_MODEL_OBS_ADDR_MAX)
		len = CANISTER_MODEL_OBS_ADDR_MAX;
	memcpy(&family, r->addr, sizeof(family));
	s->family = family;
	switch (family) {
	case AF_INET:
		if (len < SIN_ADDR_END)
			return -EINVAL;
		s->port = (uint16_t)(r->addr[2] << 8 | r->addr[3]);
		memcpy(s->addr, r->addr + SIN_PORT_END, 4);
		break;
	case AF_INET6:
		if (len < SIN6_ADDR_END)
			return -EINVAL;
		s->port = (uint16_t)(r->addr[2] << 8 | r->addr[3]);
		memcpy(s->addr, r->addr + SIN6_ADDR_END - 16, 16);
		break;
	case AF_UNIX:
		path_len = len - sizeof(family);
		if (path_len > SUN_PATH_MAX)
			path_len = SUN_PATH_MAX;
		if (path_len > 0 && r->addr[2] == '\0') {
			/* Abstract: '@' for its NUL; a NUL inside cannot be a C string. */
			if (memchr(r->addr + 3, '\0', path_len - 1))
				return -EINVAL;
			o->unix_path[0] = '@';
			memcpy(o->unix_path + 1, r->addr + 3, path_len - 1);
			o->unix_path[path_len] = '\0';
		} else {
			/* A path ends at its first NUL, as the kernel reads it. */
			const char *end = memchr(r->addr + 2, '\0', path_len);

			if (end)
				path_len = (size_t)(end - (const char *)(r->addr + 2));
			memcpy(o->unix_path, r->addr + 2, path_len);
			o->unix_path[path_len] = '\0';
		}
		s->unix_path = o->unix_path;
		break;
	default:
		break;
	}
	return 0;
}

static int decode_socket(const struct canister_model_obs_socket *r,
			 struct canister_model_observed *o)
{
	struct canister_model_socket *s = &o->event.cell.socket;

	s->type = r->type;
	s->protocol = r->protocol;
	switch (r->head.kind) {
	case CANISTER_MODEL_OBS_SOCKET_CREATE:
		if (!flag(r->kern))
			return -EINVAL;
		s->family = r->family;
		s->kern = r->kern;
		return 0;
	case CANISTER_MODEL_OBS_SOCKET_LISTEN:
		s->family = r->family;
		s->backlog = r->backlog;
		return 0;
	default:
		return decode_address(r, o);
	}
}

static int decode_setid(const struct canister_model_obs_setid *r, struct canister_model_observed *o)
{
	/* LSM_SETID_ID, _RE, _RES, _FS: exactly one. */
	if (r->flags != 1 && r->flags != 2 && r->flags != 4 && r->flags != 8)
		return -EINVAL;
	o->event.cell.setid.id = r->id;
	o->event.cell.setid.eid = r->eid;
	o->event.cell.setid.sid = r->sid;
	o->event.cell.setid.fsid = r->fsid;
	o->event.cell.setid.flags = r->flags;
	return 0;
}

/*
 * A mount string of @size bytes whose length the record says is @len into
 * @dst; *@ret is @dst, or NULL when absent.
 */
static int mount_string(const char *src, size_t size, uint32_t len, char *dst, const char **ret)
{
	if (len == CANISTER_MODEL_OBS_STR_ABSENT) {
		*ret = NULL;
		return 0;
	}
	if (len == CANISTER_MODEL_OBS_STR_TOOLONG)
		return -ENAMETOOLONG;
	if (len >= size || src[len] != '\0' || memchr(src, '\0', len))
		return -EINVAL;
	memcpy(dst, src, len + 1);
	*ret = dst;
	return 0;
}

static int decode_mount(const struct canister_model_obs_mount *r, struct canister_model_observed *o)
{
	int e;

	e = mount_string(r->dev, sizeof(r->dev), r->dev_len, o->dev_name,
			 &o->event.cell.mount.dev_name);
	if (!e)
		e = mount_string(r->path, sizeof(r->path), r->path_len, o->mount_path,
				 &o->event.cell.mount.path);
	if (!e)
		e = mount_string(r->type, sizeof(r->type), r->type_len, o->fstype,
				 &o->event.cell.mount.fstype);
	if (e)
		return e;
	if (!o->event.cell.mount.path)
		return -EINVAL;
	o->event.cell.mount.flags = r->flags;
	return 0;
}

/*
 * A source not named (trace mode) hashes as the empty type, never as a whole
 * filesystem; no filesystem's type name is empty.
 */
static int decode_move_mount(const struct canister_model_obs_move_mount *r,
			     struct canister_model_observed *o)
{
	int e;

	if (!flag(r->whole) ||
	    (r->whole && (r->fstype_len == 0 || r->fstype_len == CANISTER_MODEL_OBS_STR_ABSENT)))
		return -EINVAL;
	e = mount_string(r->fstype, sizeof(r->fstype), r->fstype_len, o->fstype,
			 &o->event.cell.move_mount.fstype);
	if (e)
		return e;
	o->event.cell.move_mount.whole = r->whole;
	return 0;
}

/*
 * Whether @prot can be the protection applied to @reqprot: the one asked
 * for, with PROT_EXEC added at most (READ_IMPLIES_EXEC), and PROT_EXEC in
 * it (else there is no event).
 */
static bool applied_prot(uint32_t reqprot, uint32_t prot)
{
	return (prot & PROT_EXEC_BIT) && (reqprot & ~prot) == 0 &&
	       (prot & ~reqprot & ~PROT_EXEC_BIT) == 0;
}

/*
 * Whether a mapping with @flags and applied @prot is a private one both
 * writable and executable, which the kernel side calls anonymous memory
 * whatever its file (exec_memory.bpf.h, mmap_memory_anonymous()).
 */
static bool private_writable_exec(uint32_t prot, uint32_t flags)
{
	uint32_t type = flags & MAP_TYPE_BITS;

	return type != 0x01 && type != 0x03 &&
	       (prot & (PROT_WRITE_BIT | PROT_EXEC_BIT)) == (PROT_WRITE_BIT | PROT_EXEC_BIT);
}

/*
 * The protection as applied_prot() checks it; only anonymous memory is
 * keyed, and a private writable and executable mapping is never a file's.
 */
static int decode_mmap(const struct canister_model_obs_mmap *r, struct canister_model_observed *o)
{
	struct canister_model_file *file = &o->event.cell.mmap.file;

	if (!flag(r->anonymous) || !applied_prot(r->reqprot, r->prot))
		return -EINVAL;
	if (!r->anonymous && private_writable_exec(r->prot, r->flags))
		return -EINVAL;
	/* Only an anonymous mapping is judged in the kernel (deny_mmap.bpf.h). */
	if (!r->anonymous && (r->head.keyed || r->head.denied))
		return -EINVAL;
	o->event.cell.mmap.anonymous = r->anonymous;
	o->event.cell.mmap.reqprot = r->reqprot;
	o->event.cell.mmap.prot = r->prot;
	o->event.cell.mmap.flags = r->flags;
	if (r->anonymous)
		return 0;
	file->uid = r->uid;
	file->gid = r->gid;
	file->mode = r->mode;
	file->s_magic = r->s_magic;
	memcpy(file->s_uuid, r->s_uuid, sizeof(file->s_uuid));
	o->fd = r->fd;
	o->dev = r->dev;
	o->ino = r->ino;
	return 0;
}

/* The protection as for mmap (applied_prot()). */
static int decode_mprotect(const struct canister_model_obs_mprotect *r,
			   struct canister_model_observed *o)
{
	if (!flag(r->anonymous) || !applied_prot(r->reqprot, r->prot))
		return -EINVAL;
	/* Only an anonymous mapping is judged in the kernel (deny_mprotect.bpf.h). */
	if (!r->anonymous && (r->head.keyed || r->head.denied))
		return -EINVAL;
	o->event.cell.mprotect.anonymous = r->anonymous;
	o->event.cell.mprotect.reqprot = r->reqprot;
	o->event.cell.mprotect.prot = r->prot;
	return 0;
}

/* The file as its dentry names it, under the root of its internal mount: "/memfd:NAME". */
static int decode_exec_unseen(const struct canister_model_obs_exec_unseen *r,
			      struct canister_model_observed *o)
{
	if (!r->head.denied || r->head.keyed)
		return -EINVAL;
	if (r->name_len >= sizeof(r->name) || r->name[r->name_len] != '\0' ||
	    memchr(r->name, '\0', r->name_len) || memchr(r->name, '/', r->name_len))
		return -EINVAL;
	o->dev = r->dev;
	o->ino = r->ino;
	o->exec_path[0] = '/';
	memcpy(o->exec_path + 1, r->name, r->name_len + 1);
	return 0;
}

/*
 * A 32-bit call: the event its native call would be, by i386's number and
 * the multiplexers' sub-call (syscall32_calls.h; a sub-call of another call
 * is refused there).
 */
static int decode_compat_call(const struct canister_model_obs_compat_call *r,
			      struct canister_model_observed *o)
{
	o->compat_call = canister_model_syscall32_call(r->nr, r->sub, &o->event.type);
	if (!o->compat_call)
		return -EINVAL;
	o->compat_nr = r->nr;
	o->compat_sub = r->sub;
	return 0;
}

static int decode_body(const void *data, struct canister_model_observed *o)
{
	const struct canister_model_obs_head *head = data;

	switch (head->kind) {
	case CANISTER_MODEL_OBS_KILL:
		return decode_kill(data, o);
	case CANISTER_MODEL_OBS_PTRACE:
		return decode_ptrace(data, o);
	case CANISTER_MODEL_OBS_CAPABLE: {
		const struct canister_model_obs_capable *r = data;

		if (r->cap > CAP_MAX)
			return -EINVAL;
		o->event.cell.capable.cap = r->cap;
		o->event.cell.capable.opts = r->opts;
		return 0;
	}
	case CANISTER_MODEL_OBS_SETUID:
	case CANISTER_MODEL_OBS_SETGID:
		return decode_setid(data, o);
	case CANISTER_MODEL_OBS_MOUNT:
		return decode_mount(data, o);
	case CANISTER_MODEL_OBS_MMAP:
		return decode_mmap(data, o);
	case CANISTER_MODEL_OBS_EXEC_UNSEEN:
		return decode_exec_unseen(data, o);
	case CANISTER_MODEL_OBS_MOVE_MOUNT:
		return decode_move_mount(data, o);
	case CANISTER_MODEL_OBS_MPROTECT:
		return decode_mprotect(data, o);
	case CANISTER_MODEL_OBS_COMPAT_CALL:
		return decode_compat_call(data, o);
	default:
		return decode_socket(data, o);
	}
}

int canister_model_observe_decode(const void *data, size_t size,
				  struct canister_model_observed *ret)
{
	/* Decoded apart, copied out only when whole: *@ret is written only on success. */
	struct canister_model_observed o;
	struct canister_model_obs_head head;
	const struct canister_model_obs_coe *coe = &head.coe;
	int e;

	if (size < sizeof(head))
		return -EBADMSG;
	memcpy(&head, data, sizeof(head));
	if (head.size != size || head.kind == 0 || head.kind >= CANISTER_MODEL_OBS_KINDS ||
	    kind_size[head.kind] != size)
		return -EBADMSG;
	if (head.contid == CANISTER_CONTID_UNSET)
		return -EINVAL;
	/* A denial is the kernel's only where it judges (canister_model_obs_kernel_judged()). */
	if (!flag(head.keyed) || !flag(head.denied) ||
	    ((head.keyed || head.denied) && !canister_model_obs_kernel_judged(head.kind)))
		return -EINVAL;
	memset(&o, 0, sizeof(o));
	o.kernel_keyed = head.keyed;
	o.kernel_denied = head.denied;
	memcpy(o.kernel_coefficient, head.kernel_coefficient, sizeof(o.kernel_coefficient));
	o.fd = -1;
	o.contid = head.contid;
	o.event.type = kind_type[head.kind];
	o.event.coe = (struct canister_model_coe){
		.uid = coe->uid,
		.euid = coe->euid,
		.suid = coe->suid,
		.gid = coe->gid,
		.egid = coe->egid,
		.sgid = coe->sgid,
		.fsuid = coe->fsuid,
		.fsgid = coe->fsgid,
		.capeff = coe->capeff,
	};
	o.event.pid = head.tgid;
	o.exe_dev = head.exe_dev;
	o.exe_ino = head.exe_ino;
	o.start_ns = head.start_ns;
	o.origin = head.origin;
	o.event.ts = head.ktime_ns;
	memcpy(o.comm, head.comm, sizeof(head.comm));
	o.comm[sizeof(head.comm)] = '\0';
	o.event.comm = o.comm;
	e = decode_body(data, &o);
	if (e)
		return e;
	*ret = o;
	/* The strings point into the struct: moved with it. */
	ret->event.comm = ret->comm;
	if (o.event.type == CANISTER_MODEL_MOUNT) {
		if (o.event.cell.mount.dev_name)
			ret->event.cell.mount.dev_name = ret->dev_name;
		if (o.event.cell.mount.fstype)
			ret->event.cell.mount.fstype = ret->fstype;
		ret->event.cell.mount.path = ret->mount_path;
	}
	if (o.event.type == CANISTER_MODEL_MOVE_MOUNT && o.event.cell.move_mount.fstype)
		ret->event.cell.move_mount.fstype = ret->fstype;
	if ((o.event.type == CANISTER_MODEL_SOCKET_BIND ||
	     o.event.type == CANISTER_MODEL_SOCKET_CONNECT ||
	     o.event.type == CANISTER_MODEL_SOCKET_ACCEPT) &&
	    o.event.cell.socket.unix_path)
		ret->event.cell.socket.unix_path = ret->unix_path;
	return 0;
}

enum canister_model_event_type canister_model_obs_kind_type(uint32_t kind)
{
	return kind > 0 && kind < CANISTER_MODEL_OBS_KINDS ? kind_type[kind]
							   : CANISTER_MODEL_EVENT_TYPES;
}

/* The kinds deny_cred.bpf.h and deny_move_mount.bpf.h judge (capable: its audited checks). */
static bool cred_judged(uint32_t kind)
{
	return kind == CANISTER_MODEL_OBS_CAPABLE || kind == CANISTER_MODEL_OBS_SETUID ||
	       kind == CANISTER_MODEL_OBS_SETGID || kind == CANISTER_MODEL_OBS_MOUNT ||
	       kind == CANISTER_MODEL_OBS_MOVE_MOUNT;
}

bool canister_model_obs_kernel_judged(uint32_t kind)
{
	return kind == CANISTER_MODEL_OBS_KILL || kind == CANISTER_MODEL_OBS_SOCKET_CREATE ||
	       kind == CANISTER_MODEL_OBS_SOCKET_BIND ||
	       kind == CANISTER_MODEL_OBS_SOCKET_CONNECT ||
	       kind == CANISTER_MODEL_OBS_SOCKET_LISTEN ||
	       kind == CANISTER_MODEL_OBS_SOCKET_ACCEPT || kind == CANISTER_MODEL_OBS_PTRACE ||
	       kind == CANISTER_MODEL_OBS_EXEC_UNSEEN || kind == CANISTER_MODEL_OBS_MMAP ||
	       kind == CANISTER_MODEL_OBS_MPROTECT || cred_judged(kind);
}

uint64_t canister_model_clock_ticks(uint64_t ns, long ticks_per_second)
{
	const uint64_t ns_per_second = 1000000000ULL;
	uint64_t hz = (uint64_t)ticks_per_second;

	if (ticks_per_second <= 0 || hz > ns_per_second)
		return 0;
	/* USER_HZ (100 wherever Linux runs) divides a second: the kernel's exact division. */
	if (ns_per_second % hz == 0)
		return ns / (ns_per_second / hz);
	return ns / ns_per_second * hz + ns % ns_per_second * hz / ns_per_second;
}
