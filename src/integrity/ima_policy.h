/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: a container's IMA policy: its rules, parsed, printed as IMA prints them, and matched.
 */
#ifndef CANISTER_INTEGRITY_IMA_POLICY_H
#define CANISTER_INTEGRITY_IMA_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The bound: a policy of more rules is refused whole. */
#define CANISTER_IMA_POLICY_RULES_MAX 1024
/*
 * IMA takes a rule from one write of at most a page (PAGE_SIZE - 1 bytes);
 * a longer line would be cut there, so it is refused instead.
 */
#define CANISTER_IMA_POLICY_LINE_MAX 4095
/* What canister_ima_policy_load() reads at most from a policy file. */
#define CANISTER_IMA_POLICY_FILE_MAX (1024 * 1024)

/*
 * Actions, with IMA's own bit values (security/integrity/ima/ima.h): each
 * dont_ action is its action shifted left by one, which is what the matcher's
 * "first match decides the kind" bookkeeping relies on, exactly as IMA's.
 * dont_audit is canister's: IMA has audit but no dont_audit.
 */
enum canister_ima_action {
	CANISTER_IMA_MEASURE = 0x0001,
	CANISTER_IMA_DONT_MEASURE = 0x0002,
	CANISTER_IMA_APPRAISE = 0x0004, /* issue 13; parsed and matched now */
	CANISTER_IMA_DONT_APPRAISE = 0x0008,
	CANISTER_IMA_AUDIT = 0x0040,
	CANISTER_IMA_DONT_AUDIT = 0x0080,
};

/* The hooks canister sees (fanotify, and BPF LSM for mmap); NONE: the rule names no func. */
enum canister_ima_func {
	CANISTER_IMA_FUNC_NONE = 0,
	CANISTER_IMA_FILE_CHECK,
	CANISTER_IMA_MMAP_CHECK,
	CANISTER_IMA_BPRM_CHECK,
};

/* The kernel's MAY_* bits (include/linux/fs.h), as an event's mask and a rule's mask= hold them. */
#define CANISTER_IMA_MAY_EXEC 0x1
#define CANISTER_IMA_MAY_WRITE 0x2
#define CANISTER_IMA_MAY_READ 0x4
#define CANISTER_IMA_MAY_APPEND 0x8

/* Which conditions a rule holds. */
#define CANISTER_IMA_COND_FUNC 0x0001
#define CANISTER_IMA_COND_MASK 0x0002	/* mask=X: the event's mask is exactly X */
#define CANISTER_IMA_COND_INMASK 0x0004 /* mask=^X: the event's mask includes X */
#define CANISTER_IMA_COND_FSMAGIC 0x0008
#define CANISTER_IMA_COND_FSUUID 0x0010
#define CANISTER_IMA_COND_UID 0x0020
#define CANISTER_IMA_COND_EUID 0x0040
#define CANISTER_IMA_COND_FOWNER 0x0080
#define CANISTER_IMA_COND_DIGSIG 0x0100 /* appraise_type=imasig */

/* uid=, uid> and uid< (and likewise euid, fowner): unsigned comparisons, as IMA's. */
enum canister_ima_id_op {
	CANISTER_IMA_ID_EQ = 0,
	CANISTER_IMA_ID_GT,
	CANISTER_IMA_ID_LT,
};

/* template= on a measure rule; DEFAULT: none named, the list's own template applies. */
enum canister_ima_rule_template {
	CANISTER_IMA_RULE_TEMPLATE_DEFAULT = 0,
	CANISTER_IMA_RULE_TEMPLATE_IMA_NG,
	CANISTER_IMA_RULE_TEMPLATE_IMA_SIG,
};

struct canister_ima_rule {
	enum canister_ima_action action;
	uint32_t conds; /* CANISTER_IMA_COND_* */
	enum canister_ima_func func;
	uint32_t mask; /* one MAY_* bit */
	uint64_t fsmagic;
	uint8_t fsuuid[16];
	/* uid= and euid= share one value and one operator in IMA; a rule holds at most one. */
	uint32_t uid;
	enum canister_ima_id_op uid_op;
	uint32_t fowner;
	enum canister_ima_id_op fowner_op;
	enum canister_ima_rule_template template;
	unsigned int line; /* in the text it was parsed from */
};

struct canister_ima_policy {
	size_t count; /* 0 for a policy of comments only: nothing is measured */
	struct canister_ima_rule rules[];
};

/*
 * canister_ima_policy_parse() - parse a policy in IMA's policy syntax, all or nothing.
 * @source names the text in messages (a file name, "--ima-policy", ...).
 *
 * One rule a line: an action and conditions separated by spaces or tabs; blank
 * lines, lines whose first non-blank is '#', and the rest of a line from a word
 * starting with '#' are comments, as IMA reads them.  docs/integrity.md lists
 * what canister accepts and where it differs from the kernel.
 *
 * Returns 0 with *ret_policy set (free it with canister_ima_policy_free()), or
 *   -EINVAL  refused: "SOURCE:LINE: reason" in @why (one printable line)
 *   -E2BIG   more than CANISTER_IMA_POLICY_RULES_MAX rules, same message form
 *   -ENOMEM  out of memory
 * *ret_policy is untouched unless 0 is returned: the caller keeps its old policy.
 */
int canister_ima_policy_parse(const char *text, size_t len, const char *source,
			      struct canister_ima_policy **ret_policy, char *why, size_t why_len);

/*
 * canister_ima_policy_load() - parse the policy file at @path (a default
 * policy named by the configuration, or one a command names).
 *
 * The file is read only if nobody but canisterd's own user could have written
 * it: a regular file, not a symlink (O_NOFOLLOW), owned by the effective uid
 * and not writable by group or others, at most CANISTER_IMA_POLICY_FILE_MAX
 * bytes; whoever can write a policy decides what is measured.  Messages
 * name @path as the source.
 *
 * Returns 0 with *ret_policy, or -ENOENT, -EPERM (owner or mode), -EINVAL (not
 * a regular file, a symlink (ELOOP is reported as such) or a refused rule),
 * -EFBIG, -E2BIG, -ENOMEM or another -errno from open/read, with one line in
 * @why ("PATH: reason" or "PATH:LINE: reason").
 */
int canister_ima_policy_load(const char *path, struct canister_ima_policy **ret_policy, char *why,
			     size_t why_len);

void canister_ima_policy_free(struct canister_ima_policy *policy);

/*
 * canister_ima_policy_print() - the policy as the kernel prints
 * /sys/kernel/security/ima/policy: one line a rule, comments and source
 * spelling gone (FILE_MMAP prints as MMAP_CHECK), fields in IMA's order, each
 * followed by one space.  snprintf-like: writes at most @size bytes
 * (NUL-terminated when @size > 0) and returns the length of the whole text.
 */
size_t canister_ima_policy_print(const struct canister_ima_policy *policy, char *buf, size_t size);

/*
 * canister_ima_rule_print() - one rule's line, newline included; snprintf-like.
 */
size_t canister_ima_rule_print(const struct canister_ima_rule *rule, char *buf, size_t size);

/*
 * The facts of one file event, as canisterd learns them: the hook, the access
 * mask (MAY_* bits; MAY_EXEC for BPRM_CHECK and MMAP_CHECK, the open's
 * MAY_READ/MAY_WRITE/MAY_APPEND for FILE_CHECK, as IMA passes them), the
 * opener's ids as the initial user namespace sees them (/proc/PID/status),
 * whether it holds CAP_SETUID there (IMA then matches euid= against its real
 * and saved uids too), and the file's owner, filesystem magic (statfs f_type)
 * and superblock UUID when canisterd could read it (@fsuuid_known; a
 * filesystem without one, or a kernel without FS_IOC_GETFSUUID, leaves it
 * unknown, and then no fsuuid= rule matches).
 */
struct canister_ima_access {
	enum canister_ima_func func;
	uint32_t mask;
	uint32_t uid, euid, suid;
	bool cap_setuid;
	uint32_t fowner;
	uint64_t fsmagic;
	uint8_t fsuuid[16];
	bool fsuuid_known;
};

/*
 * What one policy decides for one event.  @actions holds CANISTER_IMA_MEASURE,
 * _APPRAISE and _AUDIT for the kinds whose first matching rule said so (a
 * matching dont_ rule first leaves its kind out).  The *_rule members give
 * the index of the rule that decided each kind (its do or dont rule), -1 when
 * none matched.
 */
struct canister_ima_decision {
	uint32_t actions;
	/* The measuring rule's template=, DEFAULT when it named none (or nothing measures). */
	enum canister_ima_rule_template template;
	bool digsig_required; /* the appraising rule said appraise_type=imasig */
	int measure_rule, appraise_rule, audit_rule;
};

/*
 * canister_ima_policy_match() - IMA's ima_match_policy() for one policy: rules
 * in order, each kind (measure, appraise, audit) decided by the first rule of
 * that kind (do or dont) that matches, the walk ending once every kind is
 * decided.  @policy NULL (no policy) decides nothing.  Never fails.
 */
void canister_ima_policy_match(const struct canister_ima_policy *policy,
			       const struct canister_ima_access *event,
			       struct canister_ima_decision *ret_decision);

/*
 * canister_ima_chain_match() - a nested container's event against its own
 * policy and every ancestor's: @chain[0] is the container's own policy,
 * @chain[1] its parent's, ... (NULL where a level has none); each level is
 * judged on its own and @ret_decisions[i] says whether the entry goes into
 * level i's list.  Returns the union of the levels' actions: an ancestor's
 * appraise binds its descendants.
 */
uint32_t canister_ima_chain_match(const struct canister_ima_policy *const *chain, size_t depth,
				  const struct canister_ima_access *event,
				  struct canister_ima_decision *ret_decisions);

/*
 * canister_ima_policy_lists_func() - whether an event of @func can make
 * @policy measure or audit: a measure or audit rule for @func or for any
 * hook (one that names no func=).  dont_ rules are not weighed: the answer
 * may be yes where the rules' order makes every such event a dont_, never no
 * where one is listed.  A NULL policy lists nothing.
 */
bool canister_ima_policy_lists_func(const struct canister_ima_policy *policy,
				    enum canister_ima_func func);

/*
 * canister_ima_policy_needs_file_check() - whether a FILE_CHECK event can make
 * @policy do anything: a measure or audit rule for FILE_CHECK or for any hook.
 * dont_ rules alone never do; appraise rules are asked about apart
 * (canister_ima_policy_appraises_file_check(): they count only for a
 * container whose appraisal mode is not off).  A NULL policy needs nothing.
 * The gate asks for every open (FAN_OPEN_PERM) only while some live policy
 * says yes.
 */
bool canister_ima_policy_needs_file_check(const struct canister_ima_policy *policy);

/*
 * canister_ima_policy_appraises_file_check() - whether an open (FILE_CHECK)
 * can match an appraise rule of @policy: one for FILE_CHECK or for every
 * hook.  dont_appraise rules alone never do.  NULL: no.
 */
bool canister_ima_policy_appraises_file_check(const struct canister_ima_policy *policy);

#endif
