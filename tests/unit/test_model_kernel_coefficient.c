// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister unit tests: the coefficient lsm mode computes in the kernel
 * (src/model/kernel_coefficient.h, compiled here as plain C) is SHA-256 as
 * OpenSSL computes it, and for socket_create, socket_bind, socket_connect,
 * socket_listen, socket_accept, task_kill, ptrace_access_check, capable,
 * task_fix_setuid, task_fix_setgid, sb_mount and move_mount the coefficient event_bytes.c
 * gives the same event (listen's and accept's from the record decoded; bind's,
 * connect's and accept's of AF_UNIX addresses from the record decoded as
 * canisterd decodes it); records
 * marked keyed or denied are refused for kinds the kernel does not judge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/event.h"
#include "model/kernel_cell_mmap.h"
#include "model/kernel_cell_move_mount.h"
#include "model/kernel_cell_mprotect.h"
#include "model/kernel_cell_unix.h"
#include "model/kernel_coefficient.h"
#include "model/kernel_coefficient_cred.h"
#include "model/observe_decode.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

static const __u32 k[64] = CN_KC_K;

static void openssl_sha256(const uint8_t *msg, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	assert_int_equal(EVP_Digest(msg, len, out, &n, EVP_sha256(), NULL), 1);
	assert_int_equal(n, 32);
}

/* Every length a message the kernel hashes may have, with varied bytes: OpenSSL's digest. */
static void test_sha256_every_length(void **state)
{
	static struct canister_model_kc_scratch s;
	uint8_t msg[CN_KC_MSG_MAX + 1], ours[32], theirs[32];

	(void)state;
	for (uint32_t len = 0; len <= CN_KC_MSG_MAX; len++) {
		for (uint32_t i = 0; i < len; i++)
			msg[i] = (uint8_t)(i * 131 + len * 7 + 1);
		cn_kc_zero_msg(&s);
		memcpy(s.msg, msg, len);
		assert_int_equal(cn_kc_sha256(&s, len, k, ours), 0);
		openssl_sha256(msg, len, theirs);
		assert_memory_equal(ours, theirs, 32);
	}
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_sha256(&s, CN_KC_MSG_MAX + 1, k, ours), -1);
}

/* The COE's 40 bytes as the records carry them (a little-endian struct). */
static void coe_bytes(const struct canister_model_coe *coe, uint8_t out[40])
{
	struct canister_model_obs_coe obs = {
		coe->uid,  coe->euid,  coe->suid,  coe->gid,	coe->egid,
		coe->sgid, coe->fsuid, coe->fsgid, coe->capeff,
	};

	memcpy(out, &obs, sizeof(obs));
}

/* The kernel's coefficient of @ev, whose CELL @fill wrote into the scratch's message. */
static void kernel_matches(const struct canister_model_event *ev,
			   struct canister_model_kc_scratch *s, uint32_t cell_len)
{
	uint8_t event_digest[32], coe[40], expected[32];
	const char *name = canister_model_event_name(ev->type);

	assert_non_null(name);
	assert_true(cell_len > 0);
	openssl_sha256((const uint8_t *)name, strlen(name), event_digest);
	coe_bytes(&ev->coe, coe);
	assert_int_equal(cn_kc_coefficient(s, cell_len, event_digest, ev->task_id, coe, k), 0);
	assert_int_equal(canister_model_coefficient(ev, expected), 0);
	assert_memory_equal(s->coefficient, expected, 32);
}

static struct canister_model_event base_event(enum canister_model_event_type type)
{
	struct canister_model_event ev = {
		.type = type,
		.coe = { 0, 0, 0, 0, 0, 0, 0, 0, 0x1ffffffffffULL },
	};

	for (int i = 0; i < 32; i++)
		ev.task_id[i] = (uint8_t)(0xa0 + i);
	return ev;
}

static void test_socket_create(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = base_event(CANISTER_MODEL_SOCKET_CREATE);

	(void)state;
	ev.cell.socket.family = AF_INET;
	ev.cell.socket.type = SOCK_STREAM;
	ev.cell.socket.protocol = 0;
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_socket_fields(&s, AF_INET, SOCK_STREAM, 0, 0));
}

/* connect and bind from the caller's struct sockaddr, as the hook reads it. */
static void test_socket_address(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = base_event(CANISTER_MODEL_SOCKET_CONNECT);
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(5001) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	(void)state;
	inet_pton(AF_INET, "192.0.2.1", &in.sin_addr);
	ev.cell.socket = (struct canister_model_socket){
		.family = AF_INET, .type = SOCK_STREAM, .protocol = IPPROTO_TCP, .port = 5001
	};
	memcpy(ev.cell.socket.addr, &in.sin_addr, 4);
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s,
		       cn_kc_cell_socket_address(&s, (const __u8 *)&in, sizeof(in), SOCK_STREAM,
						 IPPROTO_TCP));

	ev.type = CANISTER_MODEL_SOCKET_BIND;
	inet_pton(AF_INET6, "2001:db8::7", &in6.sin6_addr);
	ev.cell.socket = (struct canister_model_socket){
		.family = AF_INET6, .type = SOCK_DGRAM, .protocol = IPPROTO_UDP, .port = 443
	};
	memcpy(ev.cell.socket.addr, &in6.sin6_addr, 16);
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s,
		       cn_kc_cell_socket_address(&s, (const __u8 *)&in6, sizeof(in6), SOCK_DGRAM,
						 IPPROTO_UDP));

	/* Any other family: family, type, protocol alone. */
	ev.cell.socket = (struct canister_model_socket){ .family = AF_UNSPEC, .type = SOCK_DGRAM };
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s,
		       cn_kc_cell_socket_address(&s, (const __u8 *)&unspec, sizeof(unspec),
						 SOCK_DGRAM, 0));

	/* None the kernel can make: AF_UNIX (not built), an address too short for its family. */
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_cell_socket_address(&s, (const __u8 *)"\1\0/x", 4, SOCK_STREAM, 0),
			 0);
	assert_int_equal(cn_kc_cell_socket_address(&s, (const __u8 *)&in, 7, SOCK_STREAM, 0), 0);
	assert_int_equal(cn_kc_cell_socket_address(&s, (const __u8 *)&in6, 23, SOCK_STREAM, 0), 0);
	assert_int_equal(cn_kc_cell_socket_address(&s, (const __u8 *)&in, 1, SOCK_STREAM, 0), 0);
}

/*
 * A record of @kind as the lsm observer fills it (family, type, protocol,
 * and the listen's backlog or the accept's local address), decoded as
 * canisterd decodes it, with the TASK_ID and COE of base_event().
 */
static struct canister_model_event decoded(uint32_t kind, uint32_t family, uint32_t type,
					   uint32_t protocol, uint32_t backlog, const void *addr,
					   uint32_t addr_len)
{
	struct canister_model_event ev = base_event(canister_model_obs_kind_type(kind));
	struct canister_model_obs_socket record;
	static struct canister_model_observed o;

	memset(&record, 0, sizeof(record));
	record.head.kind = kind;
	record.head.size = sizeof(record);
	record.head.contid = 7;
	record.head.coe.capeff = ev.coe.capeff;
	record.family = family;
	record.type = type;
	record.protocol = protocol;
	record.backlog = backlog;
	memcpy(record.addr, addr, addr_len);
	record.addr_len = addr_len;
	assert_int_equal(canister_model_observe_decode(&record, sizeof(record), &o), 0);
	assert_int_equal(o.event.type, ev.type);
	o.event.coe = ev.coe;
	memcpy(o.event.task_id, ev.task_id, sizeof(ev.task_id));
	return o.event;
}

/* listen: the record's fields as the hook read them, the backlog capped at somaxconn by then. */
static void test_socket_listen(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev;

	(void)state;
	ev = decoded(CANISTER_MODEL_OBS_SOCKET_LISTEN, AF_INET, SOCK_STREAM, IPPROTO_TCP, 5, "", 0);
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_socket_fields(&s, AF_INET, SOCK_STREAM, IPPROTO_TCP, 5));
	ev = decoded(CANISTER_MODEL_OBS_SOCKET_LISTEN, AF_INET6, SOCK_STREAM, IPPROTO_SCTP, 4096,
		     "", 0);
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s,
		       cn_kc_cell_socket_fields(&s, AF_INET6, SOCK_STREAM, IPPROTO_SCTP, 4096));
}

/*
 * accept: the listening socket's local address, as socket_inet_local()
 * makes it into a struct sockaddr for both the record and the hook.
 */
static void test_socket_accept(void **state)
{
	static struct canister_model_kc_scratch s;
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(5031) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(8443) };
	uint16_t other = AF_PACKET, unix_family = AF_UNIX;
	struct canister_model_event ev;

	(void)state;
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	ev = decoded(CANISTER_MODEL_OBS_SOCKET_ACCEPT, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0, &in,
		     sizeof(in));
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s,
		       cn_kc_cell_socket_address(&s, (const __u8 *)&in, sizeof(in), SOCK_STREAM,
						 IPPROTO_TCP));
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	ev = decoded(CANISTER_MODEL_OBS_SOCKET_ACCEPT, AF_INET6, SOCK_STREAM, IPPROTO_TCP, 0, &in6,
		     sizeof(in6));
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s,
		       cn_kc_cell_socket_address(&s, (const __u8 *)&in6, sizeof(in6), SOCK_STREAM,
						 IPPROTO_TCP));
	/* Another family: the family alone, as the hook's 2 bytes give it. */
	ev = decoded(CANISTER_MODEL_OBS_SOCKET_ACCEPT, AF_PACKET, SOCK_SEQPACKET, 0, 0, &other,
		     sizeof(other));
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s,
		       cn_kc_cell_socket_address(&s, (const __u8 *)&other, sizeof(other),
						 SOCK_SEQPACKET, 0));
	/* AF_UNIX: no CELL the kernel makes (recorded only). */
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_cell_socket_address(&s, (const __u8 *)&unix_family,
						   sizeof(unix_family), SOCK_STREAM, 0),
			 0);
}

/*
 * The AF_UNIX CELL the hook makes (kernel_cell_unix.h) from the @len bytes
 * of sockaddr_un @addr, against event_bytes.c's of the record of @kind
 * canisterd decodes from the same bytes.
 */
static void unix_matches(uint32_t kind, const void *addr, uint32_t len)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = decoded(kind, AF_UNIX, SOCK_STREAM, 0, 0, addr, len);

	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_socket_unix(&s, addr, len, SOCK_STREAM, 0));
}

/* A sockaddr_un of @path (a leading '@': abstract, no NUL after it) and its length. */
static uint32_t sun_of(struct sockaddr_un *sun, const char *path, bool nul)
{
	size_t n = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	if (path[0] == '@') {
		sun->sun_path[0] = '\0';
		return (uint32_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return (uint32_t)(offsetof(struct sockaddr_un, sun_path) + n + (nul ? 1 : 0));
}

/*
 * bind, connect and accept of AF_UNIX addresses: absolute, relative and
 * abstract names, a path with bytes after its NUL, one of all 108 bytes
 * with no NUL, an address of the family alone (autobind), each as the
 * record canisterd decodes gives it.
 */
static void test_socket_unix(void **state)
{
	static const uint32_t kinds[] = { CANISTER_MODEL_OBS_SOCKET_BIND,
					  CANISTER_MODEL_OBS_SOCKET_CONNECT,
					  CANISTER_MODEL_OBS_SOCKET_ACCEPT };
	struct sockaddr_un sun;
	char longest[sizeof(sun.sun_path) + 1];
	uint32_t len;

	(void)state;
	memset(longest, 'p', sizeof(longest) - 1);
	longest[0] = '/';
	longest[sizeof(longest) - 1] = '\0';
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		unix_matches(kinds[i], &sun, sun_of(&sun, "/run/app.sock", true));
		unix_matches(kinds[i], &sun, sun_of(&sun, "/run/app.sock", false));
		unix_matches(kinds[i], &sun, sun_of(&sun, "app.sock", true));
		unix_matches(kinds[i], &sun, sun_of(&sun, "@canister-abstract", false));
		unix_matches(kinds[i], &sun, sun_of(&sun, "@", false));
		unix_matches(kinds[i], &sun, sun_of(&sun, longest, false));
		/* Bytes after the path's NUL are not the path's. */
		len = sun_of(&sun, "/run/a", true);
		memcpy(&sun.sun_path[7], "junk", 4);
		unix_matches(kinds[i], &sun, len + 4);
		/* The family alone: an autobind, the empty path. */
		unix_matches(kinds[i], &sun, sizeof(sa_family_t));
	}
}

/* No CELL: an abstract name with a NUL inside (the hook denies it), an address without a family. */
static void test_socket_unix_none(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_obs_socket record;
	struct canister_model_observed o;
	struct sockaddr_un sun;
	uint32_t len = sun_of(&sun, "@two", false);

	(void)state;
	sun.sun_path[2] = '\0';
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_cell_socket_unix(&s, &sun, len, SOCK_STREAM, 0), 0);
	/* The decoder refuses the record too: no model holds such an address. */
	memset(&record, 0, sizeof(record));
	record.head.kind = CANISTER_MODEL_OBS_SOCKET_CONNECT;
	record.head.size = sizeof(record);
	record.head.contid = 7;
	memcpy(record.addr, &sun, len);
	record.addr_len = len;
	assert_int_equal(canister_model_observe_decode(&record, sizeof(record), &o), -EINVAL);
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_cell_socket_unix(&s, &sun, 1, SOCK_STREAM, 0), 0);
}

static void test_kill(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = base_event(CANISTER_MODEL_TASK_KILL);

	(void)state;
	for (int i = 0; i < 32; i++)
		ev.cell.kill.target[i] = (uint8_t)(0x10 * i + 3);
	ev.cell.kill.signal = 15;
	ev.cell.kill.cross_container = true;
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_kill(&s, ev.cell.kill.target, 15, 1));
	ev.cell.kill.cross_container = false;
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_kill(&s, ev.cell.kill.target, 15, 0));
}

/* ptrace: the target's TASK_ID and the hook's mode (an attach; a /proc read). */
static void test_ptrace(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = base_event(CANISTER_MODEL_PTRACE);

	(void)state;
	for (int i = 0; i < 32; i++)
		ev.cell.ptrace.target[i] = (uint8_t)(0x11 * i + 5);
	ev.cell.ptrace.mode = 18; /* PTRACE_MODE_ATTACH_REALCREDS */
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_ptrace(&s, ev.cell.ptrace.target, 18));
	ev.cell.ptrace.mode = 9; /* PTRACE_MODE_READ_FSCREDS */
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_ptrace(&s, ev.cell.ptrace.target, 9));
}

/* capable: the CAP_* number and the CAP_OPT_* flags as the hook has them. */
static void test_capable(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = base_event(CANISTER_MODEL_CAPABLE);

	(void)state;
	ev.cell.capable.cap = 21; /* CAP_SYS_ADMIN */
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_capable(&s, 21, 0));
	ev.cell.capable.cap = 7; /* CAP_SETUID, as ns_capable_setid() checks it */
	ev.cell.capable.opts = 4;
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_capable(&s, 7, 4));
}

/* setuid, setgid: the new ids and the LSM_SETID_* flag. */
static void test_setid(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = base_event(CANISTER_MODEL_SETUID);

	(void)state;
	ev.cell.setid.id = 1000;
	ev.cell.setid.eid = 1000;
	ev.cell.setid.sid = 1000;
	ev.cell.setid.fsid = 1000;
	ev.cell.setid.flags = 1; /* LSM_SETID_ID */
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_setid(&s, 1000, 1000, 1000, 1000, 1));
	ev.type = CANISTER_MODEL_SETGID;
	ev.cell.setid.id = 0;
	ev.cell.setid.eid = 65534;
	ev.cell.setid.sid = 7;
	ev.cell.setid.fsid = 65534;
	ev.cell.setid.flags = 4; /* LSM_SETID_RES */
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_setid(&s, 0, 65534, 7, 65534, 4));
}

/*
 * The kernel's mount CELL of these strings against event_bytes.c's; the
 * mount point is in kernel memory, as bpf_d_path wrote it (lsm mode).
 */
static void mount_matches(const char *dev, const char *path, const char *type, uint64_t flags)
{
	static struct canister_model_kc_mount_scratch m;
	struct canister_model_event ev = base_event(CANISTER_MODEL_MOUNT);

	ev.cell.mount.dev_name = dev;
	ev.cell.mount.path = path;
	ev.cell.mount.fstype = type;
	ev.cell.mount.flags = flags;
	memset(&m, 0xa5, sizeof(m));
	cn_kc_zero_msg(&m.kc);
	kernel_matches(&ev, &m.kc, cn_kc_cell_mount(&m, dev, path, 0, type, flags));
}

/*
 * mount: the three strings (an absent device or type as the empty string),
 * up to the longest CELL the hash takes; a longer one, or none without a
 * mount point, is not made (the hook denies it).
 */
static void test_mount(void **state)
{
	static struct canister_model_kc_mount_scratch m;
	char longest[CN_KC_MSG_MAX];
	size_t fit;

	(void)state;
	mount_matches("tmpfs", "/mnt/a", "tmpfs", 0);
	mount_matches(NULL, "/srv", NULL, 0x1000 | 0x4000 /* MS_BIND | MS_REC */);
	mount_matches("", "relative/dir", "proc", 0xffffffff00000001ULL);
	/* The longest: 3 lengths, "a", the path, "t", the flags. */
	fit = CN_KC_MSG_MAX - 12 - 1 - 1 - 8;
	memset(longest, 'p', fit);
	longest[fit] = '\0';
	mount_matches("a", longest, "t", 1);
	longest[fit] = 'p';
	longest[fit + 1] = '\0';
	cn_kc_zero_msg(&m.kc);
	assert_int_equal(cn_kc_cell_mount(&m, "a", longest, 0, "t", 1), 0);
	/* A string longer than a read takes, alone. */
	memset(longest, 'q', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	cn_kc_zero_msg(&m.kc);
	assert_int_equal(cn_kc_cell_mount(&m, longest, "/mnt", 0, NULL, 0), 0);
	cn_kc_zero_msg(&m.kc);
	assert_int_equal(cn_kc_cell_mount(&m, "tmpfs", NULL, 0, "tmpfs", 0), 0);
}

/*
 * move_mount: the kernel's CELL of a source (its filesystem's type name in
 * kernel memory, whole or not) against event_bytes.c's, and against the
 * decoded record's; a name that fills the read, or none, is not made (the
 * hook denies it).
 */
static void test_move_mount(void **state)
{
	static struct canister_model_kc_scratch s;
	struct canister_model_event ev = base_event(CANISTER_MODEL_MOVE_MOUNT);
	struct canister_model_obs_move_mount record = {};
	struct canister_model_observed o;
	char longest[CN_KC_FSTYPE_READ + 1];
	uint8_t ours[32];

	(void)state;
	ev.cell.move_mount.fstype = "tmpfs";
	ev.cell.move_mount.whole = true;
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_move_mount(&s, "tmpfs", 1));
	ev.cell.move_mount.fstype = "proc";
	ev.cell.move_mount.whole = false;
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_move_mount(&s, "proc", 0));
	/* The longest name the record carries: 62 bytes (63 and a NUL fill it: too long). */
	memset(longest, 'f', CN_KC_FSTYPE_READ - 2);
	longest[CN_KC_FSTYPE_READ - 2] = '\0';
	ev.cell.move_mount.fstype = longest;
	cn_kc_zero_msg(&s);
	kernel_matches(&ev, &s, cn_kc_cell_move_mount(&s, longest, 0));
	longest[CN_KC_FSTYPE_READ - 2] = 'f';
	longest[CN_KC_FSTYPE_READ - 1] = '\0';
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_cell_move_mount(&s, longest, 0), 0);
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_cell_move_mount(&s, NULL, 0), 0);

	/* The record of a whole tmpfs decodes to the event the kernel keyed. */
	record.head.kind = CANISTER_MODEL_OBS_MOVE_MOUNT;
	record.head.size = sizeof(record);
	record.head.contid = 7;
	record.head.keyed = 1;
	record.whole = 1;
	record.fstype_len = 5;
	memcpy(record.fstype, "tmpfs", 6);
	assert_int_equal(canister_model_observe_decode(&record, sizeof(record), &o), 0);
	assert_int_equal(o.event.type, CANISTER_MODEL_MOVE_MOUNT);
	memcpy(o.event.task_id, ev.task_id, sizeof(ev.task_id));
	o.event.coe = ev.coe;
	ev.cell.move_mount.fstype = "tmpfs";
	ev.cell.move_mount.whole = true;
	cn_kc_zero_msg(&s);
	kernel_matches(&o.event, &s, cn_kc_cell_move_mount(&s, "tmpfs", 1));
	assert_int_equal(canister_model_coefficient(&ev, ours), 0);
	assert_memory_equal(ours, s.coefficient, 32);
}

/*
 * An anonymous mapping's CELL as the mmap_file hook makes it
 * (kernel_cell_mmap.h): { reqprot, prot }, as asked and READ_IMPLIES_EXEC's
 * PROT_EXEC added.
 */
static void test_mmap_anonymous(void **state)
{
	static struct canister_model_kc_scratch s;
	static const uint32_t prots[][2] = {
		{ PROT_EXEC, PROT_EXEC },
		{ PROT_READ | PROT_EXEC, PROT_READ | PROT_EXEC },
		{ PROT_READ | PROT_WRITE | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC },
		{ PROT_READ, PROT_READ | PROT_EXEC },
		{ PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE | PROT_EXEC },
		{ 0xffffffffu, 0xffffffffu },
	};
	static const uint32_t flags[] = { MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS,
					  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
					  0 };

	(void)state;
	for (size_t i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
		for (size_t j = 0; j < sizeof(flags) / sizeof(flags[0]); j++) {
			struct canister_model_event ev = base_event(CANISTER_MODEL_MMAP_FILE);

			ev.cell.mmap.anonymous = 1;
			ev.cell.mmap.reqprot = prots[i][0];
			ev.cell.mmap.prot = prots[i][1];
			ev.cell.mmap.flags = flags[j];
			cn_kc_zero_msg(&s);
			kernel_matches(
				&ev, &s,
				cn_kc_cell_mmap_anonymous(&s, prots[i][0], prots[i][1], flags[j]));
		}
	}
}

/*
 * The exact bytes of one (docs/model.md, "CELL, by event"): RW private
 * anonymous memory under READ_IMPLIES_EXEC, which the kernel maps RWX.
 */
static void test_mmap_anonymous_bytes(void **state)
{
	static struct canister_model_kc_scratch s;
	static const uint8_t want[] = { 1, 0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0, 0x22, 0, 0, 0 };

	(void)state;
	cn_kc_zero_msg(&s);
	assert_int_equal(cn_kc_cell_mmap_anonymous(&s, PROT_READ | PROT_WRITE,
						   PROT_READ | PROT_WRITE | PROT_EXEC,
						   MAP_PRIVATE | MAP_ANONYMOUS),
			 sizeof(want));
	assert_memory_equal(s.msg, want, sizeof(want));
}

/* An mprotect's CELL as the file_mprotect hook makes it (kernel_cell_mprotect.h). */
static void test_mprotect(void **state)
{
	static struct canister_model_kc_scratch s;
	/* { reqprot, prot }: as asked, and READ_IMPLIES_EXEC's PROT_EXEC added */
	static const uint32_t prots[][2] = {
		{ PROT_EXEC, PROT_EXEC },
		{ PROT_READ | PROT_EXEC, PROT_READ | PROT_EXEC },
		{ PROT_READ | PROT_WRITE | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC },
		{ PROT_READ, PROT_READ | PROT_EXEC },
		{ 0xffffffffu, 0xffffffffu },
	};

	(void)state;
	for (uint32_t anonymous = 0; anonymous < 2; anonymous++) {
		for (size_t i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
			struct canister_model_event ev = base_event(CANISTER_MODEL_FILE_MPROTECT);

			ev.cell.mprotect.anonymous = anonymous;
			ev.cell.mprotect.reqprot = prots[i][0];
			ev.cell.mprotect.prot = prots[i][1];
			cn_kc_zero_msg(&s);
			kernel_matches(
				&ev, &s,
				cn_kc_cell_mprotect(&s, anonymous, prots[i][0], prots[i][1]));
		}
	}
}

/* The head's keyed and denied: flags, and only on the kinds the kernel judges. */
static void test_decode_kernel_verdict(void **state)
{
	struct canister_model_obs_socket socket;
	struct canister_model_obs_capable capable;
	struct canister_model_obs_mmap mmap_record;
	struct canister_model_observed o;

	(void)state;
	memset(&socket, 0, sizeof(socket));
	socket.head.kind = CANISTER_MODEL_OBS_SOCKET_CONNECT;
	socket.head.size = sizeof(socket);
	socket.head.contid = 7;
	socket.type = SOCK_STREAM;
	socket.addr_len = sizeof(struct sockaddr_in);
	socket.addr[0] = AF_INET;
	socket.head.keyed = 1;
	socket.head.denied = 1;
	memcpy(socket.head.kernel_coefficient, "\1\2\3\4\5\6\7\10", 8);
	assert_int_equal(canister_model_observe_decode(&socket, sizeof(socket), &o), 0);
	assert_true(o.kernel_keyed);
	assert_true(o.kernel_denied);
	assert_memory_equal(o.kernel_coefficient, "\1\2\3\4\5\6\7\10", 8);
	socket.head.denied = 2;
	assert_int_equal(canister_model_observe_decode(&socket, sizeof(socket), &o), -EINVAL);

	memset(&capable, 0, sizeof(capable));
	capable.head.kind = CANISTER_MODEL_OBS_CAPABLE;
	capable.head.size = sizeof(capable);
	capable.head.contid = 7;
	assert_int_equal(canister_model_observe_decode(&capable, sizeof(capable), &o), 0);
	assert_false(o.kernel_denied);
	capable.head.denied = 1;
	assert_int_equal(canister_model_observe_decode(&capable, sizeof(capable), &o), 0);
	assert_true(o.kernel_denied);

	/* An anonymous mapping is judged in the kernel, a file-backed one never: refused. */
	memset(&mmap_record, 0, sizeof(mmap_record));
	mmap_record.head.kind = CANISTER_MODEL_OBS_MMAP;
	mmap_record.head.size = sizeof(mmap_record);
	mmap_record.head.contid = 7;
	mmap_record.anonymous = 1;
	mmap_record.prot = 4; /* PROT_EXEC */
	assert_int_equal(canister_model_observe_decode(&mmap_record, sizeof(mmap_record), &o), 0);
	assert_false(o.kernel_denied);
	mmap_record.head.keyed = 1;
	mmap_record.head.denied = 1;
	assert_int_equal(canister_model_observe_decode(&mmap_record, sizeof(mmap_record), &o), 0);
	assert_true(o.kernel_keyed);
	assert_true(o.kernel_denied);
	mmap_record.anonymous = 0;
	assert_int_equal(canister_model_observe_decode(&mmap_record, sizeof(mmap_record), &o),
			 -EINVAL);
	mmap_record.head.keyed = 0;
	assert_int_equal(canister_model_observe_decode(&mmap_record, sizeof(mmap_record), &o),
			 -EINVAL);
	mmap_record.head.denied = 0;
	assert_int_equal(canister_model_observe_decode(&mmap_record, sizeof(mmap_record), &o), 0);
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_KILL));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_SOCKET_LISTEN));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_SOCKET_ACCEPT));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_PTRACE));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_CAPABLE));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_SETUID));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_SETGID));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_MOUNT));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_MMAP));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_MOVE_MOUNT));
	assert_true(canister_model_obs_kernel_judged(CANISTER_MODEL_OBS_MPROTECT));
	assert_int_equal(canister_model_obs_kind_type(CANISTER_MODEL_OBS_MPROTECT),
			 CANISTER_MODEL_FILE_MPROTECT);
	assert_int_equal(canister_model_obs_kind_type(CANISTER_MODEL_OBS_SOCKET_CONNECT),
			 CANISTER_MODEL_SOCKET_CONNECT);
	assert_int_equal(canister_model_obs_kind_type(0), CANISTER_MODEL_EVENT_TYPES);
}

#define README_MODEL_TABLE "| event | trace mode: observed by | lsm mode: observed by | denied |"
#define DENIED_LSM "lsm mode, enforced: yes (EPERM); trace mode: no (recorded) |"
#define RECORDED " no (recorded) |"

/*
 * The README's table of model events says "denied" for exactly the record
 * kinds the lsm observers judge (canister_model_obs_kernel_judged()), and
 * "no (recorded)" for every other.
 */
static void test_readme_denied_column(void **state)
{
	char line[1024];
	bool in_table = false;
	unsigned int rows = 0, denied = 0;
	FILE *f = fopen("README.md", "r");

	(void)state;
	if (!f)
		fail_msg("cannot read README.md (run from the repository's root): %s",
			 strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		bool judged = false;
		size_t len;

		line[strcspn(line, "\n")] = '\0';
		if (!in_table) {
			in_table = strcmp(line, README_MODEL_TABLE) == 0;
			continue;
		}
		if (strncmp(line, "| ---", 5) == 0)
			continue;
		if (line[0] != '|')
			break;
		rows++;
		for (uint32_t kind = 1; kind < CANISTER_MODEL_OBS_KINDS; kind++) {
			char name[64];

			/* A 32-bit call's record has no event of its own: never judged. */
			if (!canister_model_obs_kernel_judged(kind))
				continue;
			snprintf(name, sizeof(name), "`%s`",
				 canister_model_event_name(canister_model_obs_kind_type(kind)));
			/* The first cell names the row's events. */
			if (canister_model_obs_kernel_judged(kind) && strstr(line, name) &&
			    strstr(line, name) < strstr(line + 1, " | "))
				judged = true;
		}
		len = strlen(line);
		if (judged) {
			denied++;
			assert_true(len > strlen(DENIED_LSM));
			assert_string_equal(line + len - strlen(DENIED_LSM), DENIED_LSM);
		} else {
			assert_true(len > strlen(RECORDED));
			assert_string_equal(line + len - strlen(RECORDED), RECORDED);
		}
	}
	fclose(f);
	assert_true(in_table);
	assert_int_equal(rows, 13);
	/*
	 * task_kill, ptrace, socket_create, the row of bind and connect, listen,
	 * accept, capable, the row of setuid and setgid, mount, move_mount, mmap
	 * and mprotect (their anonymous mappings), and the exec of a file the gate
	 * never sees (a memfd)
	 */
	assert_int_equal(denied, 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_every_length),
		cmocka_unit_test(test_socket_create),
		cmocka_unit_test(test_socket_address),
		cmocka_unit_test(test_socket_listen),
		cmocka_unit_test(test_socket_accept),
		cmocka_unit_test(test_socket_unix),
		cmocka_unit_test(test_socket_unix_none),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_ptrace),
		cmocka_unit_test(test_capable),
		cmocka_unit_test(test_setid),
		cmocka_unit_test(test_mount),
		cmocka_unit_test(test_move_mount),
		cmocka_unit_test(test_mmap_anonymous),
		cmocka_unit_test(test_mmap_anonymous_bytes),
		cmocka_unit_test(test_mprotect),
		cmocka_unit_test(test_decode_kernel_verdict),
		cmocka_unit_test(test_readme_denied_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
