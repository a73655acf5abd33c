/* SPDX-License-Identifier: GPL-2.0-only */
/* canisterd: what the identity capability offers the others: who is in which container. */
#ifndef CANISTERD_IDENTITY_H
#define CANISTERD_IDENTITY_H

#include "core/canisterd.h"
#include "core/peer.h"

#include <canister/abi.h>
#include <stdint.h>
#include <sys/types.h>

struct bpf_map;
struct bpf_object;
struct capability;
extern const struct capability identity_capability;

/*
 * The number of arguments the running kernel's BPF LSM hook @hook takes
 * (bpf_lsm_<hook> in its BTF), or -errno (-ENOENT: no such hook): which
 * programs a kernel can take, and which layout they must read.
 */
int identity_lsm_hook_arg_count(const char *hook);

/*
 * identity_prepare_object() - before another capability loads @obj, a BPF
 * object that includes identity's maps.bpf.h to read labels: its copies of
 * identity's maps become the pinned ones, and @labels is sized as the pin.
 * Returns 0, or -errno with @why.
 */
int identity_prepare_object(const struct canisterd *d, struct bpf_object *obj,
			    struct bpf_map *labels, char *why, size_t why_len);

/*
 * identity_catch_up() - read what BPF reported so far, so that every fork and
 * exit that happened before now is known to all capabilities (an audit record
 * read after its process exited is attributed by that exit).
 */
void identity_catch_up(struct canisterd *d);

/*
 * identity_label() - the label of thread group @tgid: 0, -ENOENT (none) or
 * -errno.  A lookup in the pinned labels map, safe on any thread (the file
 * gate's reader asks it) for the reason identity_parent() gives.
 */
int identity_label(pid_t tgid, struct canister_label *ret_label);

/*
 * identity_contid() - the contid of thread group @tgid's label, from memory
 * (no system call; kept as BPF reports its changes): 0, or -ENOENT when it has
 * none.  For the audit path, which asks once per event; call
 * identity_catch_up() first so that the latest forks and exits are known.
 */
int identity_contid(pid_t tgid, uint64_t *ret_contid);

/*
 * identity_chain() - @contid and the containers it nests in, innermost first,
 * in @chain (CANISTER_NEST_LIMIT_MAX entries); *ret_depth is 0 for
 * CANISTER_CONTID_UNSET.  Containers dropped lately still name their parents.
 */
void identity_chain(const struct canisterd *d, uint64_t contid, uint64_t *chain,
		    unsigned int *ret_depth);

/*
 * identity_parent() - the container @contid nests in (CANISTER_CONTID_UNSET
 * for a top-level one).  Safe on any thread, unlike identity_chain(): read
 * under a lock from canisterd's copy of the pinned containers map (no system
 * call; the gate's reader asks it for every cached exec), or from the map
 * while the main loop writes the copy, whose descriptor stays open from the
 * identity capability's open to its close, and the capabilities after it in
 * the table close first.  Returns 0, or -ENOENT for no such container.
 */
int identity_parent(uint64_t contid, uint64_t *ret_parent);

/*
 * identity_parents() - @contid and the containers it nests in, innermost
 * first, into @chain (CANISTER_NEST_LIMIT_MAX entries), by identity_parent():
 * safe on any thread.  A container dropped meanwhile ends the chain where it
 * was.  Returns the depth, 0 for CANISTER_CONTID_UNSET.
 */
unsigned int identity_parents(uint64_t contid, uint64_t *chain);

/*
 * identity_container() - the live container @contid (its owner, parent,
 * depth) from the pinned containers map, safe on any thread as
 * identity_parent().  Returns 0, or -ENOENT for no such container.
 */
int identity_container(uint64_t contid, struct canister_container *ret_container);

/*
 * identity_live_containers() - how many containers live now (the pinned
 * containers map's entries, those a previous canisterd left included).  The
 * capabilities' containers_present hook says when this leaves or reaches 0.
 */
uint64_t identity_live_containers(void);

/*
 * identity_check_host_admin() - is @peer the host's audit administrator
 * (CAP_AUDIT_CONTROL in the initial user namespace, in no container)?
 * Returns 0, or -EPERM with the reason in @why.
 */
int identity_check_host_admin(const struct canisterd *d, const struct peer *peer, char *why,
			      size_t why_len);

#endif
