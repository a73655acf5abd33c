/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: whether a labelled process could change labels in trace mode, and why (pure). */
#ifndef CANISTERD_IDENTITY_TAMPER_H
#define CANISTERD_IDENTITY_TAMPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Capabilities that reach labels when they count in the initial user
 * namespace: BPF on canister's maps (SYS_ADMIN, BPF), canisterd's fds and
 * memory (SYS_PTRACE), canisterd itself (KILL), the pins whatever their mode
 * (DAC_OVERRIDE, FOWNER, CHOWN), uid 0 and all it owns (SETUID), kernel code
 * (SYS_MODULE, SYS_RAWIO).
 */
uint64_t tamper_deciding_caps(void);

/* Ids as the initial user namespace sees them (/proc/PID/status read from it). */
enum tamper_uid { TAMPER_REAL, TAMPER_EFFECTIVE, TAMPER_SAVED, TAMPER_FS, TAMPER_IDS };

/* One of canister's BPF objects a process holds an fd to (bpf_fds.h). */
struct tamper_held {
	uint32_t kind; /* enum canister_guarded_kind: map, program, link */
	uint32_t id;
	char name[24]; /* the map's or program's name, "" for a link */
};
#define TAMPER_HELD_MAX 3

/* What canisterd reads of a process (capscan.c); capabilities as /proc/PID/status gives them. */
struct tamper_facts {
	/* Its user namespace is the initial one: only then do its capabilities reach BPF. */
	bool init_userns;
	uint64_t cap_permitted, cap_ambient, cap_bounding;
	bool no_new_privs;
	uint32_t uid[TAMPER_IDS];
	/*
	 * canister's pin directory as the process resolves the pin path (its
	 * root, its mount namespace): reached at all, and whether its own ids
	 * may write it, or open the labels pin for writing, by mode bits.
	 */
	bool pin_reached;
	bool pin_writable;
	/* The pins' owner and group are mapped in its (child) user namespace. */
	bool pin_owner_mapped;
	/*
	 * fds it holds to canister's objects: the first TAMPER_HELD_MAX, and
	 * how many more.  lsm mode refuses new ones, not these.
	 */
	struct tamper_held held[TAMPER_HELD_MAX];
	unsigned int held_count, held_more;
};

enum tamper_reason {
	/* A deciding capability permitted or ambient in the initial user namespace. */
	TAMPER_CAPS = 1u << 0,
	/* uid 0 without no_new_privs: exec gives back the bounding set's deciding ones. */
	TAMPER_EXEC_CAPS = 1u << 1,
	/* uid 0 (kuid): owner of root's files, /proc/sys among them, in any user namespace. */
	TAMPER_UID0 = 1u << 2,
	/* The pins can be written: by mode bits, or by DAC capabilities that apply to them. */
	TAMPER_PINS = 1u << 3,
	/* It holds an fd to one of canister's maps, programs or links (in either mode). */
	TAMPER_HELD = 1u << 4,
};

struct tamper_verdict {
	uint32_t reasons;  /* enum tamper_reason; 0: it cannot change labels */
	uint64_t caps;	   /* TAMPER_CAPS: the deciding capabilities it holds */
	uint64_t regained; /* TAMPER_EXEC_CAPS: those an exec gives it back */
	bool effective;	   /* all of @caps are also effective (else some only permitted) */
	uint64_t cap_effective;
	/* TAMPER_HELD: the objects, as in struct tamper_facts */
	struct tamper_held held[TAMPER_HELD_MAX];
	unsigned int held_count, held_more;
};

/*
 * tamper_classify() - whether the process @facts describe could change labels
 * in trace mode, and by which means.  A capability held in a child user
 * namespace never counts for BPF or /proc/sys (the kernel checks those
 * against the initial one), except a DAC capability over pins whose owner
 * and group that namespace maps (the kernel's capable_wrt_inode_uidgid()).
 * Effective capabilities are not what decides: a process raises any
 * permitted one into its effective set with capset(2).
 */
void tamper_classify(const struct tamper_facts *facts, uint64_t cap_effective,
		     struct tamper_verdict *ret);

/*
 * tamper_held_digest() - a value that changes with the set of objects
 * @verdict says the process holds (0 for none): a holder is recorded again
 * when it holds others, not at every scan.
 */
uint32_t tamper_held_digest(const struct tamper_verdict *verdict);

/*
 * tamper_mode_allows() - whether mode bits @mode of a file owned by @owner:@group
 * grant @want (a mask of 4 read, 2 write, 1 execute/search) to a process of
 * filesystem ids @fsuid:@fsgid with supplementary @groups: the owner class,
 * else the group class, else others, as generic_permission() chooses.
 */
bool tamper_mode_allows(uint32_t mode, uint32_t owner, uint32_t group, uint32_t fsuid,
			uint32_t fsgid, const uint32_t *groups, size_t group_count, uint32_t want);

/*
 * tamper_describe() - @verdict in a few words for the status and the record:
 * "CAP_SYS_ADMIN,CAP_BPF permitted, not effective; uid 0; pins writable;
 * holds map labels (id 12)".
 * Always NUL-terminated; cut at @len.  Returns the length it needed.
 */
size_t tamper_describe(const struct tamper_verdict *verdict, char *buf, size_t len);

#endif
