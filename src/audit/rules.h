/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: kernel audit rules in auditctl(8) syntax, parsed into libaudit's rule structures. */
#ifndef CANISTER_LIB_AUDIT_RULES_H
#define CANISTER_LIB_AUDIT_RULES_H

#include <libaudit.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longer lines are refused, not cut: auditctl would read the rest as another line. */
#define CANISTER_AUDIT_RULE_LINE_MAX 4096

/* What one line asks for. */
enum canister_rule_kind {
	CANISTER_RULE_KERNEL,	  /* a struct audit_rule_data to add */
	CANISTER_RULE_DELETE_ALL, /* -D: delete every rule (only those with @key when set) */
	CANISTER_RULE_CONTROL,	  /* -e, -f, -b, -r, --backlog_wait_time, --loginuid-immutable */
};

/* The setting a CONTROL line changes; @value is what it is set to. */
enum canister_audit_control {
	CANISTER_AUDIT_ENABLED,		   /* -e 0|1|2 (2 locks the configuration) */
	CANISTER_AUDIT_FAILURE,		   /* -f 0|1|2: silent, printk, panic */
	CANISTER_AUDIT_BACKLOG_LIMIT,	   /* -b N */
	CANISTER_AUDIT_RATE_LIMIT,	   /* -r N messages a second, 0 for none */
	CANISTER_AUDIT_BACKLOG_WAIT_TIME,  /* --backlog_wait_time N */
	CANISTER_AUDIT_LOGINUID_IMMUTABLE, /* --loginuid-immutable; value 1 */
};

/*
 * canister's own filter on the process's container, which the kernel does not
 * know: it stays out of the kernel rule and is evaluated by canisterd.
 */
struct canister_contid_filter {
	enum {
		CONTID_ANY,	/* no -F contid */
		CONTID_UNSET,	/* contid=unset: not in a container */
		CONTID_EQ,	/* contid=N: the process's own container is N */
		CONTID_SUBTREE, /* contid^=N: N or a container nested in N */
	} kind;
	uint64_t contid; /* EQ and SUBTREE */
	bool negate;	 /* contid!=N, contid!=unset; never set with ANY */
};

struct canister_audit_rule {
	enum canister_rule_kind kind;
	/* KERNEL: flags and action filled in as auditctl sends them; free() it. NULL otherwise. */
	struct audit_rule_data *data;
	int list;     /* KERNEL: AUDIT_FILTER_EXIT etc., without AUDIT_FILTER_PREPEND */
	int action;   /* KERNEL: AUDIT_ALWAYS or AUDIT_NEVER */
	bool prepend; /* KERNEL: -A rather than -a */
	struct canister_contid_filter contid;
	/*
	 * KERNEL: the key as the kernel gets it, several -k joined by
	 * AUDIT_KEY_SEPARATOR (0x01); DELETE_ALL: the -k of -D.  "" when none.
	 */
	char key[AUDIT_MAX_KEY_LEN + 1];
	enum canister_audit_control control; /* CONTROL */
	uint32_t value;			     /* CONTROL */
	unsigned int line;
};

/*
 * canister_audit_rule_parse_line() - parse one line of a rules file.
 * @line: the line without its newline (a trailing '\r' is ignored).
 *
 * Options and their arguments are separated by spaces or tabs; "\ " is a
 * space and "\\" a backslash inside an argument, as auditctl reads them.
 * Rules are built with libaudit's own helpers, without talking to the kernel:
 * features the running kernel may lack (exe, sessionid, the filesystem list,
 * exclude fields beyond msgtype) are accepted and left for the kernel to refuse
 * when the rule is loaded.  User and group names are looked up (NSS) and
 * -w stat()s its path to tell a directory watch from a file watch, as auditctl
 * does.  Not for concurrent use with another thread building libaudit rules.
 *
 * Returns 0 and fills *ret_rule (the caller frees ret_rule->data), or:
 *   -ENODATA  a blank or comment line; nothing to do
 *   -EINVAL   refused; @why holds one line saying why ("-F: unknown field 'foo'")
 *   -ENOMEM   out of memory
 * *ret_rule is untouched unless 0 is returned.
 */
int canister_audit_rule_parse_line(const char *line, unsigned int lineno,
				   struct canister_audit_rule *ret_rule, char *why, size_t why_len);

/*
 * canister_audit_rules_parse() - parse a whole rules file, all or nothing.
 * @source names the text in messages (usually the file's path).
 *
 * Besides what each line refuses, the text is refused when it holds a NUL
 * byte, or anything after "-e 2" (the kernel refuses every change once locked).
 *
 * Returns 0 with *ret_rules (NULL when there are none) and *ret_count set, or
 * -EINVAL / -ENOMEM with "SOURCE:LINE: reason" in @why and the outputs untouched.
 */
int canister_audit_rules_parse(const char *text, size_t len, const char *source,
			       struct canister_audit_rule **ret_rules, size_t *ret_count, char *why,
			       size_t why_len);

void canister_audit_rules_free(struct canister_audit_rule *rules, size_t count);

/*
 * canister_contid_filter_match() - does a process match @filter?
 * @chain: the process's containers, chain[0] innermost; @depth 0 when it is in none.
 */
bool canister_contid_filter_match(const struct canister_contid_filter *filter,
				  const uint64_t *chain, unsigned int depth);

/*
 * canister_audit_rules_select_alike() - do @a and @b select the same events in
 * the kernel: same list, action, syscalls and fields, the key aside?  Then the
 * kernel reports each event under the first one's key only, and a contid
 * filter on either would decide for both.
 */
bool canister_audit_rules_select_alike(const struct canister_audit_rule *a,
				       const struct canister_audit_rule *b);

/*
 * canister_audit_key_is_plain() - does the kernel write @key, a rule's key,
 * as key="KEY" in its SYSCALL records, so that an event can be known by it?
 * Only one key, not empty, of bytes 0x21 to 0x7e but '"': any other byte
 * (the 0x01 joining several keys included) makes the kernel write the key in
 * hex, and no event would show it.
 */
bool canister_audit_key_is_plain(const char *key);

/*
 * canister_audit_rule_sink_check() - is @rule one an audit sink may have?
 *
 * A sink receives the syscall events of its containers that its rules
 * select.  The kernel tells which rule caused an event only by the first
 * matching rule's key, and the host's rules come first; so canisterd decides
 * on its own side whether an event another rule caused matches a sink's rule,
 * and a sink's rules may only use what the SYSCALL record shows:
 * `-a always,exit`, -S (or none: every syscall), -F arch=, -F success= and
 * one -k key of plain characters.
 *
 * Returns 0, or -EINVAL with one line in @why saying what the rule may not use.
 */
int canister_audit_rule_sink_check(const struct canister_audit_rule *rule, char *why,
				   size_t why_len);

/*
 * canister_audit_rule_matches_syscall() - does a rule that passed
 * canister_audit_rule_sink_check() select a syscall event with these values
 * of its SYSCALL record (arch= as a number, syscall=, success= yes (1) or no (0))?
 */
bool canister_audit_rule_matches_syscall(const struct canister_audit_rule *rule, uint32_t arch,
					 unsigned int syscall, bool success);

#endif
