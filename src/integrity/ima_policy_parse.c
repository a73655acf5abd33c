// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: reads a container's IMA policy in the kernel's policy syntax, all or nothing. */
#include "integrity/ima_policy.h"

#include "lib/why.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* Tokens are quoted in messages; a longer one is cut there, the message stays one short line. */
#define TOKEN_SHOWN 80

#define KNOWN_ACTIONS "measure, dont_measure, audit, dont_audit, appraise, dont_appraise"
#define KNOWN_CONDITIONS "func, mask, uid, euid, fowner, fsmagic, fsuuid, template, appraise_type"
#define KNOWN_FUNCS "BPRM_CHECK, MMAP_CHECK, FILE_CHECK"

struct parser {
	char *why;
	size_t why_len;
};

static int refuse(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->why_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct {
	const char *name;
	enum canister_ima_action action;
} actions[] = {
	{ "measure", CANISTER_IMA_MEASURE },   { "dont_measure", CANISTER_IMA_DONT_MEASURE },
	{ "appraise", CANISTER_IMA_APPRAISE }, { "dont_appraise", CANISTER_IMA_DONT_APPRAISE },
	{ "audit", CANISTER_IMA_AUDIT },       { "dont_audit", CANISTER_IMA_DONT_AUDIT },
};

/* Words IMA takes that canister does not, each with the reason a user is owed. */
static const struct {
	const char *name;
	const char *why;
} foreign_words[] = {
	{ "hash", "IMA's hash action (write the digest to security.ima) is not canister's to do" },
	{ "dont_hash", "IMA's dont_hash action goes with hash, which canister does not do" },
	{ "permit_directio", "canister's gate reads every file it measures; it has no direct-I/O "
			     "exemption" },
};

static const struct {
	const char *name;
	enum canister_ima_func func;
} funcs[] = {
	{ "BPRM_CHECK", CANISTER_IMA_BPRM_CHECK },
	{ "MMAP_CHECK", CANISTER_IMA_MMAP_CHECK },
	{ "FILE_MMAP", CANISTER_IMA_MMAP_CHECK }, /* IMA's old name, still accepted */
	{ "FILE_CHECK", CANISTER_IMA_FILE_CHECK },
	{ "PATH_CHECK", CANISTER_IMA_FILE_CHECK }, /* likewise */
};

/* IMA's hooks that have no event canister sees, and why not. */
static const struct {
	const char *name;
	const char *why;
} unseen_funcs[] = {
	{ "MODULE_CHECK", "kernel module loads are the host's, not a container's" },
	{ "FIRMWARE_CHECK", "firmware loads are the host's, not a container's" },
	{ "KEXEC_KERNEL_CHECK", "kexec is the host's, not a container's" },
	{ "KEXEC_INITRAMFS_CHECK", "kexec is the host's, not a container's" },
	{ "KEXEC_CMDLINE", "kexec is the host's, not a container's" },
	{ "POLICY_CHECK", "IMA policy files are read by the host kernel, not by a container" },
	{ "CREDS_CHECK", "no event it sees carries the credentials an exec is about to take; "
			 "BPRM_CHECK judges the exec" },
	{ "KEY_CHECK", "keys added to kernel keyrings are not files a container opens" },
	{ "CRITICAL_DATA", "the kernel's critical data is not a container's" },
	{ "SETXATTR_CHECK", "it restricts setxattr's hash algorithms, and canister does not gate "
			    "setxattr" },
	{ "MMAP_CHECK_REQPROT", "it judges mmap by the protection the kernel applies "
				"(MMAP_CHECK), not the one asked for" },
};

/*
 * template= names a template or its format, as IMA's lookup_template_desc()
 * compares both; canister writes two of them.
 */
static const struct {
	const char *name;
	const char *fmt;
	enum canister_ima_rule_template template;
} templates[] = {
	{ "ima-ng", "d-ng|n-ng", CANISTER_IMA_RULE_TEMPLATE_IMA_NG },
	{ "ima-sig", "d-ng|n-ng|sig", CANISTER_IMA_RULE_TEMPLATE_IMA_SIG },
};

static const char *const other_ima_templates[] = {
	"ima", "ima-ngv2", "ima-sigv2", "ima-buf", "ima-modsig", "evm-sig",
};

/*
 * The kernel's kstrtoull(): an optional '+', for base 16 an optional "0x",
 * then at least one digit and nothing else; overflow is an error.
 */
static int parse_kernel_unsigned(const char *text, unsigned int base, uint64_t *ret_value)
{
	uint64_t value = 0;
	const char *s = text;

	if (*s == '+')
		s++;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int digit;

		if (*s >= '0' && *s <= '9')
			digit = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			digit = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			digit = *s - 'A' + 10;
		else
			return -EINVAL;
		if (digit >= base)
			return -EINVAL;
		if (value > (UINT64_MAX - digit) / base)
			return -ERANGE;
		value = value * base + digit;
	}
	*ret_value = value;
	return 0;
}

/*
 * A user id as IMA reads one: decimal, below (uid_t)-1, which is no user.
 * The kernel prints ids with "%d", so those of 2^31 and above come back
 * negative from /sys/kernel/security/ima/policy; canister reads that form too
 * (IMA itself refuses it), so that what it prints it can read.
 */
static int parse_id(const char *text, uint32_t *ret_id)
{
	uint64_t value;

	if (text[0] == '-') {
		if (text[1] == '+' || parse_kernel_unsigned(text + 1, 10, &value) < 0)
			return -EINVAL;
		if (value < 2 || value > (UINT64_C(1) << 31))
			return -EINVAL;
		*ret_id = (uint32_t)((UINT64_C(1) << 32) - value);
		return 0;
	}
	if (parse_kernel_unsigned(text, 10, &value) < 0 || value >= UINT32_MAX)
		return -EINVAL;
	*ret_id = (uint32_t)value;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, either case, bytes in the order written (uuid_parse()). */
static int parse_uuid(const char *text, uint8_t ret_uuid[16])
{
	uint8_t uuid[16];
	size_t byte = 0;

	if (strlen(text) != 36)
		return -EINVAL;
	for (size_t i = 0; i < 36;) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return -EINVAL;
			i++;
			continue;
		}
		hi = hex_digit(text[i]);
		lo = hex_digit(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		uuid[byte++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	memcpy(ret_uuid, uuid, sizeof(uuid));
	return 0;
}

static const char *action_name(enum canister_ima_action action)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (actions[i].action == action)
			return actions[i].name;
	return "?";
}

static int parse_action(struct parser *p, struct canister_ima_rule *rule, const char *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(word, actions[i].name) != 0)
			continue;
		if (rule->action)
			return refuse(p, "\"%s\": a rule has one action, and this one has \"%s\"",
				      word, action_name(rule->action));
		rule->action = actions[i].action;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(foreign_words); i++)
		if (strcmp(word, foreign_words[i].name) == 0)
			return refuse(p, "\"%s\" is not supported: %s", word, foreign_words[i].why);
	return refuse(p, "unknown action \"%.*s\" (canister knows " KNOWN_ACTIONS ")", TOKEN_SHOWN,
		      word);
}

static int parse_func(struct parser *p, struct canister_ima_rule *rule, const char *value)
{
	for (size_t i = 0; i < ARRAY_SIZE(funcs); i++)
		if (strcmp(value, funcs[i].name) == 0) {
			rule->func = funcs[i].func;
			rule->conds |= CANISTER_IMA_COND_FUNC;
			return 0;
		}
	for (size_t i = 0; i < ARRAY_SIZE(unseen_funcs); i++)
		if (strcmp(value, unseen_funcs[i].name) == 0)
			return refuse(
				p,
				"func=%s: canister cannot see it: %s (canister sees " KNOWN_FUNCS
				")",
				value, unseen_funcs[i].why);
	return refuse(p,
		      "func=%.*s: unknown hook (canister sees BPRM_CHECK, MMAP_CHECK or FILE_MMAP, "
		      "FILE_CHECK or PATH_CHECK)",
		      TOKEN_SHOWN, value);
}

static int parse_mask(struct parser *p, struct canister_ima_rule *rule, const char *value)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} masks[] = {
		{ "MAY_EXEC", CANISTER_IMA_MAY_EXEC },
		{ "MAY_WRITE", CANISTER_IMA_MAY_WRITE },
		{ "MAY_READ", CANISTER_IMA_MAY_READ },
		{ "MAY_APPEND", CANISTER_IMA_MAY_APPEND },
	};
	bool any_of = value[0] == '^';

	for (size_t i = 0; i < ARRAY_SIZE(masks); i++)
		if (strcmp(value + any_of, masks[i].name) == 0) {
			rule->mask = masks[i].bit;
			rule->conds |= any_of ? CANISTER_IMA_COND_INMASK : CANISTER_IMA_COND_MASK;
			return 0;
		}
	return refuse(p,
		      "mask=%.*s: unknown mask (MAY_EXEC, MAY_WRITE, MAY_READ or MAY_APPEND, "
		      "with ^ before it for \"includes\")",
		      TOKEN_SHOWN, value);
}

static int parse_template(struct parser *p, struct canister_ima_rule *rule, const char *value)
{
	/* IMA reads template= only once the rule's action is measure: "template=X measure" fails.
	 */
	if (rule->action != CANISTER_IMA_MEASURE)
		return rule->action ? refuse(p, "template= is for measure rules, not %s rules",
					     action_name(rule->action))
				    : refuse(p, "template= before the action: IMA reads it only "
						"after \"measure\"");
	for (size_t i = 0; i < ARRAY_SIZE(templates); i++)
		if (strcmp(value, templates[i].name) == 0 || strcmp(value, templates[i].fmt) == 0) {
			rule->template = templates[i].template;
			return 0;
		}
	for (size_t i = 0; i < ARRAY_SIZE(other_ima_templates); i++)
		if (strcmp(value, other_ima_templates[i]) == 0)
			return refuse(p,
				      "template=%s: not supported: canister writes its lists in "
				      "ima-ng or ima-sig",
				      value);
	return refuse(p, "template=%.*s: unknown template (canister writes ima-ng and ima-sig)",
		      TOKEN_SHOWN, value);
}

static int parse_appraise_type(struct parser *p, struct canister_ima_rule *rule, const char *value)
{
	if (strcmp(value, "imasig") == 0) {
		/* Said twice is said once, as IMA reads it. */
		rule->conds |= CANISTER_IMA_COND_DIGSIG;
		return 0;
	}
	if (strcmp(value, "imasig|modsig") == 0)
		return refuse(
			p, "appraise_type=imasig|modsig: not supported: canister appraises "
			   "security.ima signatures only (modsig is for kernel modules and kexec "
			   "images)");
	return refuse(p, "appraise_type=%.*s: unknown (canister knows imasig)", TOKEN_SHOWN, value);
}

static int duplicate(struct parser *p, const char *key)
{
	return refuse(p, "duplicate condition \"%s=\" (IMA takes one per rule)", key);
}

static int parse_condition(struct parser *p, struct canister_ima_rule *rule, const char *token,
			   size_t key_len)
{
	static const char *const keys[] = { "func", "mask",   "fsmagic",  "fsuuid",	  "uid",
					    "euid", "fowner", "template", "appraise_type" };
	char op = token[key_len];
	const char *value = token + key_len + 1;
	char key[16];
	bool known = false;

	if (key_len < sizeof(key)) {
		memcpy(key, token, key_len);
		key[key_len] = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			known = known || strcmp(key, keys[i]) == 0;
	}
	if (!known)
		return refuse(p,
			      "unknown condition \"%.*s%c\" (canister knows " KNOWN_CONDITIONS ")",
			      (int)(key_len < TOKEN_SHOWN ? key_len : TOKEN_SHOWN), token, op);

	if (strcmp(key, "uid") == 0 || strcmp(key, "euid") == 0 || strcmp(key, "fowner") == 0) {
		bool fowner = key[0] == 'f';
		enum canister_ima_id_op id_op = op == '>'   ? CANISTER_IMA_ID_GT
						: op == '<' ? CANISTER_IMA_ID_LT
							    : CANISTER_IMA_ID_EQ;
		uint32_t id;

		if (fowner && (rule->conds & CANISTER_IMA_COND_FOWNER))
			return duplicate(p, key);
		if (!fowner && (rule->conds & (CANISTER_IMA_COND_UID | CANISTER_IMA_COND_EUID))) {
			bool same = (rule->conds & CANISTER_IMA_COND_EUID) == (key[0] == 'e');

			if (same)
				return duplicate(p, key);
			return refuse(p,
				      "\"%s%c\": uid and euid share one value in IMA; a rule holds "
				      "one of them",
				      key, op);
		}
		if (!*value || parse_id(value, &id) < 0)
			return refuse(p, "%s%c%.*s: not a user id (decimal, 0 to 4294967294)", key,
				      op, TOKEN_SHOWN, value);
		if (fowner) {
			rule->fowner = id;
			rule->fowner_op = id_op;
			rule->conds |= CANISTER_IMA_COND_FOWNER;
		} else {
			rule->uid = id;
			rule->uid_op = id_op;
			rule->conds |=
				key[0] == 'e' ? CANISTER_IMA_COND_EUID : CANISTER_IMA_COND_UID;
		}
		return 0;
	}

	if (op != '=')
		return refuse(p,
			      "\"%s%c\": %s takes \"=\" only (\"<\" and \">\" are for uid, euid "
			      "and fowner)",
			      key, op, key);
	if (!*value)
		return refuse(p, "\"%s=\": no value", key);

	if (strcmp(key, "func") == 0) {
		if (rule->conds & CANISTER_IMA_COND_FUNC)
			return duplicate(p, key);
		return parse_func(p, rule, value);
	}
	if (strcmp(key, "mask") == 0) {
		if (rule->conds & (CANISTER_IMA_COND_MASK | CANISTER_IMA_COND_INMASK))
			return duplicate(p, key);
		return parse_mask(p, rule, value);
	}
	if (strcmp(key, "fsmagic") == 0) {
		if (rule->conds & CANISTER_IMA_COND_FSMAGIC)
			return duplicate(p, key);
		if (parse_kernel_unsigned(value, 16, &rule->fsmagic) < 0)
			return refuse(p,
				      "fsmagic=%.*s: not a hexadecimal number of 64 bits at most",
				      TOKEN_SHOWN, value);
		rule->conds |= CANISTER_IMA_COND_FSMAGIC;
		return 0;
	}
	if (strcmp(key, "fsuuid") == 0) {
		if (rule->conds & CANISTER_IMA_COND_FSUUID)
			return duplicate(p, key);
		if (parse_uuid(value, rule->fsuuid) < 0)
			return refuse(
				p,
				"fsuuid=%.*s: not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx "
				"in hexadecimal)",
				TOKEN_SHOWN, value);
		rule->conds |= CANISTER_IMA_COND_FSUUID;
		return 0;
	}
	if (strcmp(key, "template") == 0) {
		if (rule->template != CANISTER_IMA_RULE_TEMPLATE_DEFAULT)
			return duplicate(p, key);
		return parse_template(p, rule, value);
	}
	return parse_appraise_type(p, rule, value);
}

static int parse_token(struct parser *p, struct canister_ima_rule *rule, const char *token)
{
	size_t key_len = strcspn(token, "=<>");

	if (strchr(token, '\r'))
		return refuse(p,
			      "\"%.*s\": carriage return in a rule (IMA reads lines that end in "
			      "\\n alone)",
			      TOKEN_SHOWN, token);
	if (!token[key_len])
		return parse_action(p, rule, token);
	return parse_condition(p, rule, token, key_len);
}

/* One line, without its newline, writable: split in place on spaces and tabs as IMA's strsep(). */
static int parse_line(struct parser *p, char *line, unsigned int line_no,
		      struct canister_ima_rule *ret_rule)
{
	struct canister_ima_rule rule = { .line = line_no };
	char *cursor = line + strspn(line, " \t"), *token;
	int r;

	if (*cursor == '#' || *cursor == '\0')
		return -ENODATA;
	while ((token = strsep(&cursor, " \t")) != NULL) {
		if (*token == '#') /* the rest of the line is a comment */
			break;
		if (*token == '\0')
			continue;
		r = parse_token(p, &rule, token);
		if (r < 0)
			return r;
	}
	if (!rule.action)
		return refuse(p, "no action (a rule has one of " KNOWN_ACTIONS ")");
	if ((rule.conds & CANISTER_IMA_COND_DIGSIG) && rule.action != CANISTER_IMA_APPRAISE)
		return refuse(p, "appraise_type= is for appraise rules, not %s rules",
			      action_name(rule.action));
	*ret_rule = rule;
	return 0;
}

int canister_ima_policy_parse(const char *text, size_t len, const char *source,
			      struct canister_ima_policy **ret_policy, char *why, size_t why_len)
{
	struct canister_ima_rule *rules = NULL;
	struct canister_ima_policy *policy;
	size_t count = 0, capacity = 0;
	unsigned int line_no = 0;
	const char *end = text + len;
	char line[CANISTER_IMA_POLICY_LINE_MAX + 1], reason[512];
	struct parser p = { .why = reason, .why_len = sizeof(reason) };
	int r = 0;

	for (const char *cur = text; cur < end;) {
		const char *eol = memchr(cur, '\n', end - cur);
		size_t n = (eol ? eol : end) - cur;
		struct canister_ima_rule rule;

		line_no++;
		if (n > CANISTER_IMA_POLICY_LINE_MAX) {
			r = refuse(&p,
				   "line is longer than %d bytes (IMA reads a rule from one page)",
				   CANISTER_IMA_POLICY_LINE_MAX);
			break;
		}
		if (memchr(cur, '\0', n)) {
			r = refuse(&p, "contains a NUL byte; not a text file");
			break;
		}
		memcpy(line, cur, n);
		line[n] = '\0';
		cur += n + (eol ? 1 : 0);

		r = parse_line(&p, line, line_no, &rule);
		if (r == -ENODATA) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		if (count == CANISTER_IMA_POLICY_RULES_MAX) {
			snprintf(reason, sizeof(reason), "more than %d rules",
				 CANISTER_IMA_POLICY_RULES_MAX);
			r = -E2BIG;
			break;
		}
		if (count == capacity) {
			size_t grown_capacity = capacity ? capacity * 2 : 16;
			struct canister_ima_rule *grown =
				reallocarray(rules, grown_capacity, sizeof(*rules));

			if (!grown) {
				snprintf(reason, sizeof(reason), "out of memory");
				r = -ENOMEM;
				break;
			}
			rules = grown;
			capacity = grown_capacity;
		}
		rules[count++] = rule;
	}
	if (r < 0) {
		canister_line_why(why, why_len, source, line_no, reason);
		free(rules);
		return r;
	}
	policy = malloc(sizeof(*policy) + count * sizeof(policy->rules[0]));
	if (!policy) {
		canister_line_why(why, why_len, source, 0, "out of memory");
		free(rules);
		return -ENOMEM;
	}
	policy->count = count;
	if (count)
		memcpy(policy->rules, rules, count * sizeof(policy->rules[0]));
	free(rules);
	*ret_policy = policy;
	return 0;
}

void canister_ima_policy_free(struct canister_ima_policy *policy)
{
	free(policy);
}
