// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: the model observers' ring records decoded (every kind, and malformed ones
 * refused), and the per-container budget. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/observe_decode.h"
#include "model/observe_budget.h"
#include "model/syscall32_calls.h"

#include <canister/abi.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#define CONTID 7

/* A head for a record of @kind and @size, from thread group 4242 of container CONTID. */
static void head(void *record, uint32_t kind, size_t size)
{
	struct canister_model_obs_head *h = record;

	memset(record, 0, size);
	h->kind = kind;
	h->size = (uint32_t)size;
	h->contid = CONTID;
	h->ktime_ns = 123456789;
	h->tgid = 4242;
	h->tid = 4243;
	h->coe = (struct canister_model_obs_coe){ 1, 2, 3, 4, 5, 6, 7, 8, 0x20 };
	memcpy(h->comm, "sixteen-bytes-xx", 16); /* no NUL: the decoder ends it */
	h->exe_dev = 0x800001;
	h->exe_ino = 99;
	h->start_ns = 1234567890123ULL;
	h->origin = (struct canister_model_obs_task){
		.tgid = 4000, .start_ns = 1111ULL, .exe_dev = 0x800003, .exe_ino = 55
	};
}

/* Decodes @record, which must succeed, and checks what every kind shares. */
static struct canister_model_observed *decoded(const void *record, size_t size)
{
	static struct canister_model_observed o;

	assert_int_equal(canister_model_observe_decode(record, size, &o), 0);
	assert_int_equal(o.contid, CONTID);
	assert_int_equal(o.event.pid, 4242);
	assert_int_equal(o.event.ts, 123456789);
	assert_string_equal(o.event.comm, "sixteen-bytes-xx");
	/* TSEM's eight ids, each in its place, and the effective capabilities. */
	assert_int_equal(o.event.coe.uid, 1);
	assert_int_equal(o.event.coe.euid, 2);
	assert_int_equal(o.event.coe.suid, 3);
	assert_int_equal(o.event.coe.gid, 4);
	assert_int_equal(o.event.coe.egid, 5);
	assert_int_equal(o.event.coe.sgid, 6);
	assert_int_equal(o.event.coe.fsuid, 7);
	assert_int_equal(o.event.coe.fsgid, 8);
	assert_int_equal(o.event.coe.capeff, 0x20);
	/* The task the TASK_ID table knows: thread group, start, executable. */
	assert_int_equal(o.exe_dev, 0x800001);
	assert_int_equal(o.exe_ino, 99);
	assert_int_equal(o.start_ns, 1234567890123ULL);
	/* And the task whose exec set its TASK_ID, when it is a forked child. */
	assert_int_equal(o.origin.tgid, 4000);
	assert_int_equal(o.origin.start_ns, 1111ULL);
	assert_int_equal(o.origin.exe_dev, 0x800003);
	assert_int_equal(o.origin.exe_ino, 55);
	return &o;
}

/* The decoded event's CELL encodes (every string it needs is there). */
static void cell_encodes(const struct canister_model_observed *o)
{
	uint8_t cell[CANISTER_MODEL_CELL_MAX];

	assert_true(canister_model_cell_bytes(&o->event, cell, sizeof(cell)) > 0);
}

static int refused(const void *record, size_t size)
{
	struct canister_model_observed o;

	memset(&o, 0xa5, sizeof(o));
	int r = canister_model_observe_decode(record, size, &o);
	/* Nothing written on a refusal. */
	for (size_t i = 0; i < sizeof(o); i++)
		assert_int_equal(((uint8_t *)&o)[i], 0xa5);
	return r;
}

static void test_kill(void **state)
{
	struct canister_model_obs_kill r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_KILL, sizeof(r));
	r.signal = 18;
	r.target_tgid = 77;
	r.target_labelled = 1;
	r.target_contid = CONTID;
	r.target_start_ns = 987654321ULL;
	r.target_exe_dev = 0x800002;
	r.target_exe_ino = 1001;
	r.target_origin =
		(struct canister_model_obs_task){ .tgid = 76, .start_ns = 5, .exe_ino = 9 };
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_TASK_KILL);
	assert_int_equal(o->event.cell.kill.signal, 18);
	assert_false(o->event.cell.kill.cross_container);
	assert_int_equal(o->target_tgid, 77);
	/* The target named as the actor is: its TASK_ID is found after it ended. */
	assert_int_equal(o->target_start_ns, 987654321ULL);
	assert_int_equal(o->target_exe_dev, 0x800002);
	assert_int_equal(o->target_exe_ino, 1001);
	assert_int_equal(o->target_origin.tgid, 76);
	assert_int_equal(o->target_origin.start_ns, 5);
	assert_int_equal(o->target_origin.exe_ino, 9);
	cell_encodes(o);

	r.target_contid = CONTID + 1; /* another container */
	assert_true(decoded(&r, sizeof(r))->event.cell.kill.cross_container);
	r.target_labelled = 0; /* a host process */
	r.target_contid = CANISTER_CONTID_UNSET;
	assert_true(decoded(&r, sizeof(r))->event.cell.kill.cross_container);
	/* A delegated orchestrator outside containers: labelled, but in none. */
	r.target_labelled = 1;
	assert_true(decoded(&r, sizeof(r))->event.cell.kill.cross_container);

	r.signal = 0;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.signal = 65;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.signal = 9;
	r.target_labelled = 2;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

/* A record's start time as /proc/PID/stat's field 22 has it (USER_HZ 100: 10 ms a tick). */
static void test_clock_ticks(void **state)
{
	(void)state;
	assert_int_equal(canister_model_clock_ticks(0, 100), 0);
	assert_int_equal(canister_model_clock_ticks(9999999, 100), 0);
	assert_int_equal(canister_model_clock_ticks(10000000, 100), 1);
	assert_int_equal(canister_model_clock_ticks(1234567890123ULL, 100), 123456);
	assert_int_equal(canister_model_clock_ticks(1000000000ULL, 1000), 1000);
	/* A rate that does not divide a second: rounded down, no overflow. */
	assert_int_equal(canister_model_clock_ticks(3000000000ULL, 300), 900);
	assert_int_equal(canister_model_clock_ticks(UINT64_MAX, 64), 1180591620717ULL);
	/* No clock: no time. */
	assert_int_equal(canister_model_clock_ticks(1000000000ULL, 0), 0);
	assert_int_equal(canister_model_clock_ticks(1000000000ULL, -1), 0);
}

static void test_ptrace(void **state)
{
	struct canister_model_obs_ptrace r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_PTRACE, sizeof(r));
	r.target_tgid = 88;
	r.mode = 0x12;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_PTRACE);
	assert_int_equal(o->event.cell.ptrace.mode, 0x12);
	assert_int_equal(o->target_tgid, 88);
	assert_false(o->target_pid_nested);
	r.pid_level = 2;
	assert_true(decoded(&r, sizeof(r))->target_pid_nested);
}

static void socket_record(struct canister_model_obs_socket *r, uint32_t kind, const void *addr,
			  uint32_t addr_len)
{
	head(r, kind, sizeof(*r));
	r->family = AF_INET;
	r->type = SOCK_STREAM;
	r->protocol = IPPROTO_TCP;
	r->addr_len = addr_len;
	memcpy(r->addr, addr, addr_len < sizeof(r->addr) ? addr_len : sizeof(r->addr));
}

static void test_socket_create_listen(void **state)
{
	struct canister_model_obs_socket r;
	struct canister_model_observed *o;

	(void)state;
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CREATE, "", 0);
	r.protocol = 0;
	r.kern = 1;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_SOCKET_CREATE);
	assert_int_equal(o->event.cell.socket.family, AF_INET);
	assert_int_equal(o->event.cell.socket.type, SOCK_STREAM);
	assert_int_equal(o->event.cell.socket.protocol, 0);
	assert_int_equal(o->event.cell.socket.kern, 1);
	cell_encodes(o);
	r.kern = 2;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);

	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_LISTEN, "", 0);
	r.family = AF_INET6;
	r.backlog = 64;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_SOCKET_LISTEN);
	assert_int_equal(o->event.cell.socket.family, AF_INET6);
	assert_int_equal(o->event.cell.socket.backlog, 64);
	cell_encodes(o);
}

static void test_socket_addresses(void **state)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(7351) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	struct canister_model_obs_socket r;
	struct canister_model_observed *o;

	(void)state;
	in.sin_addr.s_addr = htonl(0xc0000201); /* 192.0.2.1 */
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_BIND, &in, sizeof(in));
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_SOCKET_BIND);
	assert_int_equal(o->event.cell.socket.family, AF_INET);
	assert_int_equal(o->event.cell.socket.port, 7351);
	assert_memory_equal(o->event.cell.socket.addr, "\xc0\x00\x02\x01", 4);
	cell_encodes(o);
	/* Too short for its family: the kernel refuses it, the decoder too. */
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CONNECT, &in, 7);
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CONNECT, &in, 1);
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);

	in6.sin6_addr.s6_addr[15] = 1;
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CONNECT, &in6, sizeof(in6));
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_SOCKET_CONNECT);
	assert_int_equal(o->event.cell.socket.port, 443);
	assert_memory_equal(o->event.cell.socket.addr, &in6.sin6_addr, 16);
	cell_encodes(o);
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CONNECT, &in6, 23);
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);

	/* AF_UNSPEC (a disconnect): the family alone. */
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CONNECT, "\0\0", 2);
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.cell.socket.family, AF_UNSPEC);
	cell_encodes(o);
}

static void test_socket_unix(void **state)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	uint8_t longer[CANISTER_MODEL_OBS_ADDR_MAX];
	struct canister_model_obs_socket r;
	struct canister_model_observed *o;
	size_t len;

	(void)state;
	strcpy(un.sun_path, "/run/x.sock");
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_ACCEPT, &un, sizeof(un));
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_SOCKET_ACCEPT);
	assert_string_equal(o->event.cell.socket.unix_path, "/run/x.sock");
	assert_ptr_equal(o->event.cell.socket.unix_path, o->unix_path);
	cell_encodes(o);

	/* Abstract: '@' for the NUL, the name as long as addrlen says. */
	memset(un.sun_path, 0, sizeof(un.sun_path));
	memcpy(un.sun_path + 1, "abs", 3);
	len = offsetof(struct sockaddr_un, sun_path) + 4;
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_BIND, &un, (uint32_t)len);
	o = decoded(&r, sizeof(r));
	assert_string_equal(o->event.cell.socket.unix_path, "@abs");
	/* A NUL inside an abstract name cannot be hashed as a string. */
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_BIND, &un, (uint32_t)len + 2);
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	/* Unnamed: an empty path. */
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CONNECT, &un, 2);
	assert_string_equal(decoded(&r, sizeof(r))->event.cell.socket.unix_path, "");
	/* A path longer than sun_path, and addrlen past what the record keeps: cut at 108. */
	memset(longer, 'a', sizeof(longer));
	memcpy(longer, &un, sizeof(sa_family_t));
	socket_record(&r, CANISTER_MODEL_OBS_SOCKET_CONNECT, longer, 200);
	assert_int_equal(strlen(decoded(&r, sizeof(r))->event.cell.socket.unix_path), 108);
}

static void test_capable(void **state)
{
	struct canister_model_obs_capable r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_CAPABLE, sizeof(r));
	r.cap = 21;
	r.opts = 2;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_CAPABLE);
	assert_int_equal(o->event.cell.capable.cap, 21);
	assert_int_equal(o->event.cell.capable.opts, 2);
	cell_encodes(o);
	r.cap = 64;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

static void test_setid(void **state)
{
	struct canister_model_obs_setid r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_SETUID, sizeof(r));
	r.id = 1000;
	r.eid = 1001;
	r.sid = 1002;
	r.fsid = 1003;
	r.flags = 2;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_SETUID);
	assert_int_equal(o->event.cell.setid.id, 1000);
	assert_int_equal(o->event.cell.setid.fsid, 1003);
	assert_int_equal(o->event.cell.setid.flags, 2);
	cell_encodes(o);
	r.head.kind = CANISTER_MODEL_OBS_SETGID;
	assert_int_equal(decoded(&r, sizeof(r))->event.type, CANISTER_MODEL_SETGID);
	r.flags = 3;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.flags = 0;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

/*
 * move_mount: a named source decodes to its type and whole flag; a source
 * not named (trace mode) to the empty type; refused: a whole flag not 0 or
 * 1, whole with no or an empty type, a type cut short, a length that
 * disagrees with the bytes.
 */
static void test_move_mount(void **state)
{
	static struct canister_model_obs_move_mount r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_MOVE_MOUNT, sizeof(r));
	r.whole = 1;
	r.fstype_len = 5;
	strcpy(r.fstype, "tmpfs");
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_MOVE_MOUNT);
	assert_string_equal(o->event.cell.move_mount.fstype, "tmpfs");
	assert_true(o->event.cell.move_mount.whole);
	assert_ptr_equal(o->event.cell.move_mount.fstype, o->fstype);
	cell_encodes(o);

	r.whole = 0;
	r.fstype_len = CANISTER_MODEL_OBS_STR_ABSENT;
	o = decoded(&r, sizeof(r));
	assert_null(o->event.cell.move_mount.fstype);
	assert_false(o->event.cell.move_mount.whole);
	cell_encodes(o);

	r.whole = 1;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.fstype_len = 0;
	r.fstype[0] = '\0';
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.whole = 2;
	r.fstype_len = 4;
	strcpy(r.fstype, "proc");
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.whole = 0;
	r.fstype_len = CANISTER_MODEL_OBS_STR_TOOLONG;
	assert_int_equal(refused(&r, sizeof(r)), -ENAMETOOLONG);
	r.fstype_len = 3;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

static void mount_record(struct canister_model_obs_mount *r, const char *dev, const char *path,
			 const char *type)
{
	head(r, CANISTER_MODEL_OBS_MOUNT, sizeof(*r));
	r->flags = 0x44000;
	r->dev_len = dev ? (uint32_t)strlen(dev) : CANISTER_MODEL_OBS_STR_ABSENT;
	r->path_len = path ? (uint32_t)strlen(path) : CANISTER_MODEL_OBS_STR_ABSENT;
	r->type_len = type ? (uint32_t)strlen(type) : CANISTER_MODEL_OBS_STR_ABSENT;
	if (dev)
		strcpy(r->dev, dev);
	if (path)
		strcpy(r->path, path);
	if (type)
		strcpy(r->type, type);
}

static void test_mount(void **state)
{
	static struct canister_model_obs_mount r;
	struct canister_model_observed *o;

	(void)state;
	mount_record(&r, "cnt135", "/mnt", "tmpfs");
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_MOUNT);
	assert_string_equal(o->event.cell.mount.dev_name, "cnt135");
	assert_string_equal(o->event.cell.mount.path, "/mnt");
	assert_string_equal(o->event.cell.mount.fstype, "tmpfs");
	assert_int_equal(o->event.cell.mount.flags, 0x44000);
	assert_ptr_equal(o->event.cell.mount.path, o->mount_path);
	cell_encodes(o);

	mount_record(&r, NULL, "/", NULL);
	o = decoded(&r, sizeof(r));
	assert_null(o->event.cell.mount.dev_name);
	assert_null(o->event.cell.mount.fstype);
	cell_encodes(o);

	/* No mount point, a cut string, lengths that disagree with the bytes. */
	mount_record(&r, "a", NULL, "tmpfs");
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	mount_record(&r, "a", "/mnt", "tmpfs");
	r.path_len = CANISTER_MODEL_OBS_STR_TOOLONG;
	assert_int_equal(refused(&r, sizeof(r)), -ENAMETOOLONG);
	mount_record(&r, "a", "/mnt", "tmpfs");
	r.path_len = 2; /* "/m" but the byte after is not a NUL */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	mount_record(&r, "a", "/mnt", "tmpfs");
	r.path_len = 6; /* past the NUL */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	mount_record(&r, "a", "/mnt", "tmpfs");
	r.type_len = sizeof(r.type); /* past the buffer */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	mount_record(&r, "a", "/mnt", "tmpfs");
	r.dev_len = 0x7fffffff;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

static void test_mmap(void **state)
{
	struct canister_model_obs_mmap r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_MMAP, sizeof(r));
	r.reqprot = 5;
	r.prot = 5;
	r.flags = 2;
	r.fd = 3;
	r.dev = 0x800001;
	r.ino = 1234;
	r.uid = 10;
	r.gid = 11;
	r.mode = 0100755;
	r.s_magic = 0xef53;
	r.s_uuid[0] = 0xaa;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_MMAP_FILE);
	assert_false(o->event.cell.mmap.anonymous);
	assert_int_equal(o->event.cell.mmap.reqprot, 5);
	assert_int_equal(o->event.cell.mmap.prot, 5);
	assert_int_equal(o->event.cell.mmap.flags, 2);
	assert_int_equal(o->event.cell.mmap.file.mode, 0100755);
	assert_int_equal(o->event.cell.mmap.file.s_magic, 0xef53);
	assert_int_equal(o->event.cell.mmap.file.s_uuid[0], 0xaa);
	assert_int_equal(o->fd, 3);
	assert_int_equal(o->ino, 1234);
	/* The path and digest are the resolver's: without a path the CELL cannot be made. */
	assert_null(o->event.cell.mmap.file.path);

	r.anonymous = 1;
	o = decoded(&r, sizeof(r));
	assert_true(o->event.cell.mmap.anonymous);
	cell_encodes(o);
	r.anonymous = 2;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	/* READ_IMPLIES_EXEC: RW asked, RWX applied. */
	r.anonymous = 1;
	r.reqprot = 3;
	r.prot = 7;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.cell.mmap.reqprot, 3);
	assert_int_equal(o->event.cell.mmap.prot, 7);
	cell_encodes(o);
	r.anonymous = 0;
	r.reqprot = 1;
	r.prot = 1; /* no PROT_EXEC: never a record */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.prot = 7; /* PROT_WRITE applied, not asked */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.reqprot = 7;
	r.prot = 5; /* PROT_WRITE asked, not applied */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	/* A private file mapping RWX is anonymous memory (exec_memory.bpf.h): never a file's. */
	r.prot = 7;
	r.flags = 2; /* MAP_PRIVATE */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.reqprot = 3; /* RW asked, RWX by READ_IMPLIES_EXEC */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.anonymous = 1;
	o = decoded(&r, sizeof(r));
	assert_true(o->event.cell.mmap.anonymous);
	assert_int_equal(o->event.cell.mmap.flags, 2);
	cell_encodes(o);
	/* Shared (MAP_SHARED, MAP_SHARED_VALIDATE): it writes the file, and stays the file's. */
	r.anonymous = 0;
	r.reqprot = 7;
	r.flags = 1;
	o = decoded(&r, sizeof(r));
	assert_false(o->event.cell.mmap.anonymous);
	r.flags = 3;
	o = decoded(&r, sizeof(r));
	assert_false(o->event.cell.mmap.anonymous);
	/* Private R-X (a library's text): the file's. */
	r.flags = 2;
	r.reqprot = 5;
	r.prot = 5;
	o = decoded(&r, sizeof(r));
	assert_false(o->event.cell.mmap.anonymous);
}

/* An mprotect adding PROT_EXEC: the protection asked for and the one applied. */
static void test_mprotect(void **state)
{
	struct canister_model_obs_mprotect r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_MPROTECT, sizeof(r));
	r.anonymous = 1;
	r.reqprot = 5; /* PROT_READ | PROT_EXEC */
	r.prot = 5;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_FILE_MPROTECT);
	assert_true(o->event.cell.mprotect.anonymous);
	assert_int_equal(o->event.cell.mprotect.reqprot, 5);
	assert_int_equal(o->event.cell.mprotect.prot, 5);
	cell_encodes(o);

	/* READ_IMPLIES_EXEC: PROT_READ asked, PROT_EXEC applied. */
	r.reqprot = 1;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.cell.mprotect.reqprot, 1);
	assert_int_equal(o->event.cell.mprotect.prot, 5);

	/* A file's mapping: recorded, never judged in the kernel. */
	r.anonymous = 0;
	o = decoded(&r, sizeof(r));
	assert_false(o->event.cell.mprotect.anonymous);
	r.head.denied = 1;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.head.denied = 0;

	r.anonymous = 2;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.anonymous = 1;
	r.prot = 3; /* no PROT_EXEC applied: never a record */
	r.reqprot = 3;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.reqprot = 7; /* asked for what was not applied */
	r.prot = 5;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.reqprot = 1; /* applied more than PROT_EXEC beyond what was asked */
	r.prot = 7;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

/* An exec the gate never sees, denied in the kernel: the file's name, always a denial. */
static void test_exec_unseen(void **state)
{
	struct canister_model_obs_exec_unseen r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_EXEC_UNSEEN, sizeof(r));
	r.head.denied = 1;
	r.dev = 0x1;
	r.ino = 77;
	strcpy(r.name, "memfd:payload");
	r.name_len = strlen(r.name);
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_EXEC);
	assert_true(o->kernel_denied);
	assert_false(o->kernel_keyed);
	assert_string_equal(o->exec_path, "/memfd:payload");
	assert_int_equal(o->ino, 77);
	/* A name the kernel could not read is still a denial to record. */
	memset(r.name, 0, sizeof(r.name));
	r.name_len = 0;
	o = decoded(&r, sizeof(r));
	assert_string_equal(o->exec_path, "/");
	/* The longest name that fits, and one byte past it. */
	memset(r.name, 'a', sizeof(r.name) - 1);
	r.name_len = sizeof(r.name) - 1;
	o = decoded(&r, sizeof(r));
	assert_int_equal(strlen(o->exec_path), sizeof(r.name));
	r.name_len = sizeof(r.name);
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);

	/* Lengths that disagree with the bytes, and a '/' no dentry name has. */
	strcpy(r.name, "memfd:x");
	r.name_len = 3;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.name_len = 9;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	strcpy(r.name, "a/b");
	r.name_len = 3;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	/* Never a record the kernel let through, nor one it keyed. */
	strcpy(r.name, "memfd:x");
	r.name_len = 7;
	r.head.denied = 0;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.head.denied = 1;
	r.head.keyed = 1;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

/*
 * A 32-bit call trace mode does not decode: its native call's event, its i386 name, number and
 * multiplexer's sub-call, no CELL; a number that is none of those calls (i386's getgid32, 200), a
 * sub-call no native call's event (socketcall's send, ipc's semop) or of another call, and keyed
 * or denied flags (the kernel judges none) are refused.
 */
static void test_compat_call(void **state)
{
	struct canister_model_obs_compat_call r;
	struct canister_model_observed *o;

	(void)state;
	head(&r, CANISTER_MODEL_OBS_COMPAT_CALL, sizeof(r));
	r.nr = 102;
	r.sub = 3;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_SOCKET_CONNECT);
	assert_string_equal(o->compat_call, "socketcall.connect");
	assert_int_equal(o->compat_nr, 102);
	assert_int_equal(o->compat_sub, 3);
	r.sub = 0;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.sub = 9; /* send: no address, no event natively */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.nr = 117;
	r.sub = 21;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_MMAP_FILE);
	assert_string_equal(o->compat_call, "ipc.shmat");
	r.sub = 1; /* semop */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.sub = 0;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.nr = 125;
	o = decoded(&r, sizeof(r));
	assert_int_equal(o->event.type, CANISTER_MODEL_FILE_MPROTECT);
	assert_string_equal(o->compat_call, "mprotect");
	r.nr = 213;
	assert_string_equal(decoded(&r, sizeof(r))->compat_call, "setuid32");
	assert_int_equal(decoded(&r, sizeof(r))->event.type, CANISTER_MODEL_SETUID);
	r.nr = 23;
	assert_string_equal(decoded(&r, sizeof(r))->compat_call, "setuid");
	r.nr = 359;
	assert_string_equal(decoded(&r, sizeof(r))->compat_call, "socket");
	assert_int_equal(decoded(&r, sizeof(r))->compat_sub, 0);
	r.nr = 200;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.nr = 359;
	r.sub = 1; /* a sub-call of a call that has none */
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	r.sub = 0;
	r.head.denied = 1;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
	assert_false(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_COMPAT_CALL));
	/* Shorter than its kind: not one. */
	head(&r, CANISTER_MODEL_OBS_COMPAT_CALL, sizeof(r) - 8);
	assert_int_equal(refused(&r, sizeof(r) - 8), -EBADMSG);
}

/*
 * socketcall's sub-calls, each the event its native call makes (observe_trace.bpf.c and
 * observe_dgram_trace.bpf.h: a datagram sent to an address is a socket_connect); those whose
 * native call is no event (getsockname 6 .. shutdown 13, the sockopts, recvmsg 17, recvmmsg 19)
 * are none.  ipc's: shmat (21) alone.
 */
static void test_compat_sub_calls(void **state)
{
	static const struct {
		uint32_t sub;
		const char *name;
		enum canister_model_event_type type;
	} socketcall[] = {
		{ 1, "socketcall.socket", CANISTER_MODEL_SOCKET_CREATE },
		{ 2, "socketcall.bind", CANISTER_MODEL_SOCKET_BIND },
		{ 3, "socketcall.connect", CANISTER_MODEL_SOCKET_CONNECT },
		{ 4, "socketcall.listen", CANISTER_MODEL_SOCKET_LISTEN },
		{ 5, "socketcall.accept", CANISTER_MODEL_SOCKET_ACCEPT },
		{ 11, "socketcall.sendto", CANISTER_MODEL_SOCKET_CONNECT },
		{ 16, "socketcall.sendmsg", CANISTER_MODEL_SOCKET_CONNECT },
		{ 18, "socketcall.accept4", CANISTER_MODEL_SOCKET_ACCEPT },
		{ 20, "socketcall.sendmmsg", CANISTER_MODEL_SOCKET_CONNECT },
	};
	enum canister_model_event_type type;
	size_t found = 0;

	(void)state;
	for (uint32_t sub = 0; sub <= 64; sub++) {
		const char *name = canister_model_syscall32_call(102, sub, &type);
		size_t i;

		for (i = 0; i < sizeof(socketcall) / sizeof(socketcall[0]); i++)
			if (socketcall[i].sub == sub)
				break;
		if (i == sizeof(socketcall) / sizeof(socketcall[0])) {
			assert_null(name);
			continue;
		}
		assert_non_null(name);
		assert_string_equal(name, socketcall[i].name);
		assert_int_equal(type, socketcall[i].type);
		found++;
	}
	assert_int_equal(found, sizeof(socketcall) / sizeof(socketcall[0]));
	for (uint32_t sub = 0; sub <= 64; sub++) {
		const char *name = canister_model_syscall32_call(117, sub, &type);

		if (sub != 21) {
			assert_null(name);
			continue;
		}
		assert_string_equal(name, "ipc.shmat");
		assert_int_equal(type, CANISTER_MODEL_MMAP_FILE);
	}
	/* The multiplexers themselves, without a sub-call, are no call of the table. */
	assert_null(canister_model_syscall32_call(102, 0, &type));
	assert_null(canister_model_syscall32_call(117, 0, &type));
}

static void test_malformed_heads(void **state)
{
	struct canister_model_obs_capable r;
	uint8_t big[sizeof(r) + 8] = { 0 };

	(void)state;
	head(&r, CANISTER_MODEL_OBS_CAPABLE, sizeof(r));
	assert_int_equal(refused(&r, 0), -EBADMSG);
	assert_int_equal(refused(&r, sizeof(r.head) - 1), -EBADMSG);
	/* Truncated: the head claims more than was read. */
	assert_int_equal(refused(&r, sizeof(r) - 4), -EBADMSG);
	/* Longer than the head says. */
	memcpy(big, &r, sizeof(r));
	assert_int_equal(refused(big, sizeof(big)), -EBADMSG);
	/* The head agrees with the length, but the kind has another size. */
	((struct canister_model_obs_head *)big)->size = sizeof(big);
	assert_int_equal(refused(big, sizeof(big)), -EBADMSG);
	/* Unknown kinds. */
	r.head.kind = 0;
	assert_int_equal(refused(&r, sizeof(r)), -EBADMSG);
	r.head.kind = CANISTER_MODEL_OBS_KINDS;
	assert_int_equal(refused(&r, sizeof(r)), -EBADMSG);
	r.head.kind = 0xffffffff;
	assert_int_equal(refused(&r, sizeof(r)), -EBADMSG);
	/* Another kind's size. */
	r.head.kind = CANISTER_MODEL_OBS_KILL;
	assert_int_equal(refused(&r, sizeof(r)), -EBADMSG);
	/* No container: the observers never report those. */
	head(&r, CANISTER_MODEL_OBS_CAPABLE, sizeof(r));
	r.head.contid = CANISTER_CONTID_UNSET;
	assert_int_equal(refused(&r, sizeof(r)), -EINVAL);
}

/* The budget: @burst records at once, then one every @interval, as GCRA gives them. */
static void test_budget(void **state)
{
	const __u64 interval = 1000, burst = 5;
	__u64 tat = 0, now = 1000000;
	int passed = 0;

	(void)state;
	for (int i = 0; i < 100; i++)
		passed += canister_model_budget_take(&tat, now, interval, burst);
	assert_int_equal(passed, burst);
	/* Time gives one back per interval. */
	assert_false(canister_model_budget_take(&tat, now + interval - 1, interval, burst));
	assert_true(canister_model_budget_take(&tat, now + interval, interval, burst));
	assert_false(canister_model_budget_take(&tat, now + interval, interval, burst));
	/* Idle for long, the full burst again, never more. */
	now += 1000 * interval;
	passed = 0;
	for (int i = 0; i < 100; i++)
		passed += canister_model_budget_take(&tat, now, interval, burst);
	assert_int_equal(passed, burst);
	/* Burst 1 (or 0): one at a time, one per interval. */
	tat = 0;
	assert_true(canister_model_budget_take(&tat, now, interval, 1));
	assert_false(canister_model_budget_take(&tat, now, interval, 1));
	assert_true(canister_model_budget_take(&tat, now + interval, interval, 0));
}

/* One container that spends its budget leaves another's whole: each has its own state. */
static void test_budget_per_container(void **state)
{
	__u64 noisy = 0, quiet = 0, now = 5000000;
	int noisy_passed = 0, quiet_passed = 0;

	(void)state;
	/* 100,000 attempts in 100 us, at a budget of one a microsecond and 10 at once. */
	for (int i = 0; i < 100000; i++)
		noisy_passed += canister_model_budget_take(&noisy, now + (__u64)i, 1000, 10);
	assert_in_range(noisy_passed, 100, 10 + 100);
	for (int i = 0; i < 10; i++)
		quiet_passed += canister_model_budget_take(&quiet, now + 100000, 1000, 10);
	assert_int_equal(quiet_passed, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_clock_ticks),
		cmocka_unit_test(test_ptrace),
		cmocka_unit_test(test_socket_create_listen),
		cmocka_unit_test(test_socket_addresses),
		cmocka_unit_test(test_socket_unix),
		cmocka_unit_test(test_capable),
		cmocka_unit_test(test_setid),
		cmocka_unit_test(test_mount),
		cmocka_unit_test(test_move_mount),
		cmocka_unit_test(test_mmap),
		cmocka_unit_test(test_mprotect),
		cmocka_unit_test(test_exec_unseen),
		cmocka_unit_test(test_compat_call),
		cmocka_unit_test(test_compat_sub_calls),
		cmocka_unit_test(test_malformed_heads),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_budget_per_container),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
