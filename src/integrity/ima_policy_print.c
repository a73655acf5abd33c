// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: prints a container's IMA policy exactly as the kernel prints
 * /sys/kernel/security/ima/policy. */
#include "integrity/ima_policy.h"

#include <stdarg.h>
#include <stdio.h>

/* snprintf() into a buffer that may be too small: the length keeps counting, as snprintf's. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += n;
}

static const char *action_word(enum canister_ima_action action)
{
	switch (action) {
	case CANISTER_IMA_MEASURE:
		return "measure";
	case CANISTER_IMA_DONT_MEASURE:
		return "dont_measure";
	case CANISTER_IMA_APPRAISE:
		return "appraise";
	case CANISTER_IMA_DONT_APPRAISE:
		return "dont_appraise";
	case CANISTER_IMA_AUDIT:
		return "audit";
	case CANISTER_IMA_DONT_AUDIT:
		return "dont_audit";
	}
	return "";
}

/* IMA's func_tokens[]: FILE_MMAP and PATH_CHECK come back under their current names. */
static const char *func_word(enum canister_ima_func func)
{
	switch (func) {
	case CANISTER_IMA_FILE_CHECK:
		return "FILE_CHECK";
	case CANISTER_IMA_MMAP_CHECK:
		return "MMAP_CHECK";
	case CANISTER_IMA_BPRM_CHECK:
		return "BPRM_CHECK";
	case CANISTER_IMA_FUNC_NONE:
		break;
	}
	return "NONE";
}

/* uid, euid and fowner are printed with "%d": ids of 2^31 and above come out negative. */
static void put_id(struct out *o, const char *key, enum canister_ima_id_op op, uint32_t id)
{
	char sign = op == CANISTER_IMA_ID_GT ? '>' : op == CANISTER_IMA_ID_LT ? '<' : '=';

	put(o, "%s%c%d ", key, sign, (int32_t)id);
}

static void put_rule(struct out *o, const struct canister_ima_rule *rule)
{
	const uint8_t *u = rule->fsuuid;

	/* The action, then a space, then each condition followed by its own space. */
	put(o, "%s ", action_word(rule->action));
	if (rule->conds & CANISTER_IMA_COND_FUNC)
		put(o, "func=%s ", func_word(rule->func));
	if (rule->conds & (CANISTER_IMA_COND_MASK | CANISTER_IMA_COND_INMASK)) {
		const char *any_of = rule->conds & CANISTER_IMA_COND_INMASK ? "^" : "";

		/* IMA prints every bit in this order; a parsed rule holds one. */
		if (rule->mask & CANISTER_IMA_MAY_EXEC)
			put(o, "mask=%sMAY_EXEC", any_of);
		if (rule->mask & CANISTER_IMA_MAY_WRITE)
			put(o, "mask=%sMAY_WRITE", any_of);
		if (rule->mask & CANISTER_IMA_MAY_READ)
			put(o, "mask=%sMAY_READ", any_of);
		if (rule->mask & CANISTER_IMA_MAY_APPEND)
			put(o, "mask=%sMAY_APPEND", any_of);
		put(o, " ");
	}
	if (rule->conds & CANISTER_IMA_COND_FSMAGIC)
		put(o, "fsmagic=0x%llx ", (unsigned long long)rule->fsmagic);
	if (rule->conds & CANISTER_IMA_COND_FSUUID)
		put(o,
		    "fsuuid=%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x ",
		    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		    u[13], u[14], u[15]);
	if (rule->conds & CANISTER_IMA_COND_UID)
		put_id(o, "uid", rule->uid_op, rule->uid);
	if (rule->conds & CANISTER_IMA_COND_EUID)
		put_id(o, "euid", rule->uid_op, rule->uid);
	if (rule->conds & CANISTER_IMA_COND_FOWNER)
		put_id(o, "fowner", rule->fowner_op, rule->fowner);
	if (rule->template == CANISTER_IMA_RULE_TEMPLATE_IMA_NG)
		put(o, "template=ima-ng ");
	else if (rule->template == CANISTER_IMA_RULE_TEMPLATE_IMA_SIG)
		put(o, "template=ima-sig ");
	if (rule->conds & CANISTER_IMA_COND_DIGSIG)
		put(o, "appraise_type=imasig ");
	put(o, "\n");
}

size_t canister_ima_rule_print(const struct canister_ima_rule *rule, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };

	if (size)
		buf[0] = '\0';
	put_rule(&o, rule);
	return o.len;
}

size_t canister_ima_policy_print(const struct canister_ima_policy *policy, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < policy->count; i++)
		put_rule(&o, &policy->rules[i]);
	return o.len;
}
