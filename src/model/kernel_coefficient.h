/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * canister behaviour models: a coefficient computed in the kernel, by the
 * lsm observers of an enforced domain, from the same bytes userspace hashes
 * (docs/model.md, "Digests"), so that an LSM hook can tell whether an event
 * is in the model without waiting for canisterd.
 *
 * Compiled twice: into the BPF observers (no library there: SHA-256 is
 * written out here, with bounded loops) and into the unit tests, which
 * check it against OpenSSL's SHA-256 and against event_bytes.c's
 * coefficients.  Plain C over fixed-size arrays, nothing else.
 */
#ifndef CANISTER_MODEL_KERNEL_COEFFICIENT_H
#define CANISTER_MODEL_KERNEL_COEFFICIENT_H

#ifdef __bpf__
#define CN_KC_NOINLINE static __attribute__((noinline))
/*
 * Keeps a bounds check the compiler could prove redundant, for the verifier
 * that cannot (an index derived from a CELL's length known only at run time:
 * a mount's strings, an AF_UNIX path).
 */
#define CN_KC_OPAQUE(x) asm volatile("" : "+r"(x))
#else
#include <linux/types.h>
#define CN_KC_NOINLINE static inline
#define CN_KC_OPAQUE(x) ((void)0)
#endif

#define CN_KC_DIGEST 32
/* The message buffer: three SHA-256 blocks, the outer digest's 128 bytes and their padding. */
#define CN_KC_MSG 192
/* The longest message hashed: what fits three blocks with SHA-256's 9 bytes of padding. */
#define CN_KC_MSG_MAX (CN_KC_MSG - 9)
/* The bytes of a socket address a CELL takes at most (sockaddr_in6 up to its address). */
#define CN_KC_ADDR_READ 28

/* Scratch space (a per-CPU map value in BPF: too large for the stack). */
struct canister_model_kc_scratch {
	__u32 w[64];
	__u32 h[8];
	__u8 msg[CN_KC_MSG];
	/* H(EVENT_ID) || TASK_ID || H(COE) || H(CELL): the coefficient's own input */
	__u8 outer[4 * CN_KC_DIGEST];
	__u8 coefficient[CN_KC_DIGEST];
};

/* SHA-256's round constants (FIPS 180-4, 4.2.2). */
#define CN_KC_K                                                                                 \
	{                                                                                       \
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,         \
			0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, \
			0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, \
			0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, \
			0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, \
			0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, \
			0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, \
			0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, \
			0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, \
			0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, \
			0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2                          \
	}

static inline __u32 cn_kc_ror(__u32 x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

/* One block of @s->msg (at @off: 0, 64 or 128) into @s->h; @k the round constants. */
CN_KC_NOINLINE void cn_kc_compress(struct canister_model_kc_scratch *s, __u32 off, const __u32 *k)
{
	__u32 a, b, c, d, e, f, g, h, i;

	if (off > CN_KC_MSG - 64)
		return;
	for (i = 0; i < 16; i++) {
		const __u8 *p = &s->msg[off + 4 * i];

		s->w[i] = (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
	}
	for (i = 16; i < 64; i++) {
		__u32 w15 = s->w[i - 15], w2 = s->w[i - 2];
		__u32 s0 = cn_kc_ror(w15, 7) ^ cn_kc_ror(w15, 18) ^ (w15 >> 3);
		__u32 s1 = cn_kc_ror(w2, 17) ^ cn_kc_ror(w2, 19) ^ (w2 >> 10);

		s->w[i] = s->w[i - 16] + s0 + s->w[i - 7] + s1;
	}
	a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (i = 0; i < 64; i++) {
		__u32 t1 = h + (cn_kc_ror(e, 6) ^ cn_kc_ror(e, 11) ^ cn_kc_ror(e, 25)) +
			   ((e & f) ^ (~e & g)) + k[i] + s->w[i];
		__u32 t2 = (cn_kc_ror(a, 2) ^ cn_kc_ror(a, 13) ^ cn_kc_ror(a, 22)) +
			   ((a & b) ^ (a & c) ^ (b & c));

		h = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
	s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

/*
 * SHA-256 of the first @len bytes of @s->msg into @out.  The caller zeroed
 * @s->msg before writing the message (the padding's zeros are those).
 * Returns 0, or -1 for a message longer than CN_KC_MSG_MAX.
 */
static inline int cn_kc_sha256(struct canister_model_kc_scratch *s, __u32 len, const __u32 *k,
			       __u8 *out)
{
	__u64 bits = (__u64)len * 8;
	__u32 blocks, end, i;

	if (len > CN_KC_MSG_MAX)
		return -1;
	blocks = (len + 9 + 63) / 64;
	end = blocks * 64;
	CN_KC_OPAQUE(end);
	if (end > CN_KC_MSG || end < 8)
		return -1;
	s->msg[len] = 0x80;
	for (i = 0; i < 8; i++) {
		__u32 at = end - 1 - i;

		CN_KC_OPAQUE(at);
		if (at >= CN_KC_MSG)
			return -1;
		s->msg[at] = (__u8)(bits >> (8 * i));
	}
	s->h[0] = 0x6a09e667, s->h[1] = 0xbb67ae85, s->h[2] = 0x3c6ef372, s->h[3] = 0xa54ff53a;
	s->h[4] = 0x510e527f, s->h[5] = 0x9b05688c, s->h[6] = 0x1f83d9ab, s->h[7] = 0x5be0cd19;
	for (i = 0; i < 3 && i < blocks; i++)
		cn_kc_compress(s, i * 64, k);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (__u8)(s->h[i] >> 24);
		out[4 * i + 1] = (__u8)(s->h[i] >> 16);
		out[4 * i + 2] = (__u8)(s->h[i] >> 8);
		out[4 * i + 3] = (__u8)s->h[i];
	}
	return 0;
}

static inline void cn_kc_zero_msg(struct canister_model_kc_scratch *s)
{
	__builtin_memset(s->msg, 0, sizeof(s->msg));
}

static inline void cn_kc_put_u32(__u8 *p, __u32 v)
{
	p[0] = (__u8)v, p[1] = (__u8)(v >> 8), p[2] = (__u8)(v >> 16), p[3] = (__u8)(v >> 24);
}

/*
 * The coefficient H(H(EVENT_ID) || TASK_ID || H(COE) || H(CELL)) into
 * @s->coefficient: @event_digest is H(EVENT_ID), @coe the COE's 40 bytes
 * (docs/model.md, "COE": the little-endian struct the records carry), the
 * CELL's @cell_len bytes are in @s->msg already (written after
 * cn_kc_zero_msg()).  Returns 0, or -1 (a CELL too long).
 */
static inline int cn_kc_coefficient(struct canister_model_kc_scratch *s, __u32 cell_len,
				    const __u8 *event_digest, const __u8 *task_id, const __u8 *coe,
				    const __u32 *k)
{
	__u32 i;

	if (cn_kc_sha256(s, cell_len, k, &s->outer[3 * CN_KC_DIGEST]) < 0)
		return -1;
	cn_kc_zero_msg(s);
	for (i = 0; i < 40; i++)
		s->msg[i] = coe[i];
	cn_kc_sha256(s, 40, k, &s->outer[2 * CN_KC_DIGEST]);
	for (i = 0; i < CN_KC_DIGEST; i++) {
		s->outer[i] = event_digest[i];
		s->outer[CN_KC_DIGEST + i] = task_id[i];
	}
	cn_kc_zero_msg(s);
	for (i = 0; i < sizeof(s->outer); i++)
		s->msg[i] = s->outer[i];
	return cn_kc_sha256(s, sizeof(s->outer), k, s->coefficient);
}

/*
 * socket_create's and socket_listen's CELL into @s->msg (zeroed): family,
 * type, protocol, then @last (create's kern; listen's backlog as the hook
 * has it).  Returns its length.
 */
static inline __u32 cn_kc_cell_socket_fields(struct canister_model_kc_scratch *s, __u32 family,
					     __u32 type, __u32 protocol, __u32 last)
{
	cn_kc_put_u32(&s->msg[0], family);
	cn_kc_put_u32(&s->msg[4], type);
	cn_kc_put_u32(&s->msg[8], protocol);
	cn_kc_put_u32(&s->msg[12], last);
	return 16;
}

/*
 * socket_bind's, socket_connect's and socket_accept's CELL into @s->msg (zeroed), from the
 * caller's struct sockaddr (@addr, of which @len bytes are valid, at most
 * 28 read; for accept, the listening socket's local address made into one)
 * and the socket's type and protocol, exactly as observe_decode.c
 * and event_bytes.c make it.  Returns its length; 0 when the kernel cannot
 * make: AF_UNIX (a path: kernel_cell_unix.h makes that CELL), or an address too short for its
 * family (which the decoder refuses too).
 */
static inline __u32 cn_kc_cell_socket_address(struct canister_model_kc_scratch *s, const __u8 *addr,
					      __u32 len, __u32 type, __u32 protocol)
{
	__u32 family, i;

	if (len < 2)
		return 0;
	family = (__u32)addr[0] | (__u32)addr[1] << 8;
	cn_kc_put_u32(&s->msg[0], family);
	cn_kc_put_u32(&s->msg[4], type);
	cn_kc_put_u32(&s->msg[8], protocol);
	if (family == 2 /* AF_INET */) {
		if (len < 8)
			return 0;
		/* The port as a number (host order), little-endian: the bytes swapped. */
		s->msg[12] = addr[3], s->msg[13] = addr[2];
		for (i = 0; i < 4; i++)
			s->msg[14 + i] = addr[4 + i];
		return 18;
	}
	if (family == 10 /* AF_INET6 */) {
		if (len < 24)
			return 0;
		s->msg[12] = addr[3], s->msg[13] = addr[2];
		for (i = 0; i < 16; i++)
			s->msg[14 + i] = addr[8 + i];
		return 30;
	}
	if (family == 1 /* AF_UNIX */)
		return 0;
	return 12;
}

/* A target's TASK_ID, where task_kill's and ptrace_access_check's CELL start. */
static inline void cn_kc_put_target(struct canister_model_kc_scratch *s, const __u8 *target)
{
	__u32 i;

	for (i = 0; i < CN_KC_DIGEST; i++)
		s->msg[i] = target[i];
}

/* task_kill's CELL into @s->msg (zeroed): the target's TASK_ID, the signal, cross or not. */
static inline __u32 cn_kc_cell_kill(struct canister_model_kc_scratch *s, const __u8 *target,
				    __u32 signal, __u32 cross_container)
{
	cn_kc_put_target(s, target);
	cn_kc_put_u32(&s->msg[32], signal);
	cn_kc_put_u32(&s->msg[36], cross_container);
	return 40;
}

/* ptrace_access_check's CELL into @s->msg (zeroed): the target's TASK_ID, the hook's mode. */
static inline __u32 cn_kc_cell_ptrace(struct canister_model_kc_scratch *s, const __u8 *target,
				      __u32 mode)
{
	cn_kc_put_target(s, target);
	cn_kc_put_u32(&s->msg[32], mode);
	return 36;
}

#endif
