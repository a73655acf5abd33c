// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: whether a labelled process could change labels in trace mode, and why (pure). */
#include "identity/tamper.h"

#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BIT(cap) (1ULL << (cap))

static const struct {
	unsigned int cap;
	const char *name;
} deciding[] = {
	{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
	{ CAP_BPF, "CAP_BPF" },
	{ CAP_SYS_PTRACE, "CAP_SYS_PTRACE" },
	{ CAP_KILL, "CAP_KILL" },
	{ CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE" },
	{ CAP_FOWNER, "CAP_FOWNER" },
	{ CAP_CHOWN, "CAP_CHOWN" },
	{ CAP_SETUID, "CAP_SETUID" },
	{ CAP_SYS_MODULE, "CAP_SYS_MODULE" },
	{ CAP_SYS_RAWIO, "CAP_SYS_RAWIO" },
};

/* Those that open a file whatever its mode bits say (or let the holder change them). */
#define DAC_CAPS (BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FOWNER) | BIT(CAP_CHOWN))

uint64_t tamper_deciding_caps(void)
{
	uint64_t caps = 0;

	for (size_t i = 0; i < sizeof(deciding) / sizeof(deciding[0]); i++)
		caps |= BIT(deciding[i].cap);
	return caps;
}

static bool any_uid_zero(const struct tamper_facts *facts)
{
	for (int i = 0; i < TAMPER_IDS; i++)
		if (facts->uid[i] == 0)
			return true;
	return false;
}

void tamper_classify(const struct tamper_facts *facts, uint64_t cap_effective,
		     struct tamper_verdict *ret)
{
	uint64_t held = facts->cap_permitted | facts->cap_ambient;
	struct tamper_verdict verdict = { .cap_effective = cap_effective };
	bool dac = false;

	if (facts->init_userns) {
		verdict.caps = held & tamper_deciding_caps();
		if (verdict.caps)
			verdict.reasons |= TAMPER_CAPS;
		verdict.effective = (verdict.caps & ~cap_effective) == 0;
		/*
		 * Root's exec fills the permitted set from the bounding set;
		 * no_new_privs caps it at what the process had.  (SECBIT_NOROOT
		 * would too, but /proc does not show securebits: it is assumed off.)
		 */
		if (any_uid_zero(facts) && !facts->no_new_privs) {
			verdict.regained =
				facts->cap_bounding & tamper_deciding_caps() & ~verdict.caps;
			if (verdict.regained)
				verdict.reasons |= TAMPER_EXEC_CAPS;
		}
		dac = (held & DAC_CAPS) != 0;
	} else {
		/* Its capabilities act in its own namespace: on pins only if that maps their owner.
		 */
		dac = facts->pin_owner_mapped && (held & DAC_CAPS);
	}
	/* uid 0 is the kernel's global root whatever namespace the process is in. */
	if (any_uid_zero(facts))
		verdict.reasons |= TAMPER_UID0;
	if (facts->pin_reached && (facts->pin_writable || dac))
		verdict.reasons |= TAMPER_PINS;
	/* Whoever holds the fd uses it: no capability or mode bit is asked again. */
	if (facts->held_count) {
		verdict.reasons |= TAMPER_HELD;
		memcpy(verdict.held, facts->held, sizeof(verdict.held));
		verdict.held_count = facts->held_count;
		verdict.held_more = facts->held_more;
	}
	*ret = verdict;
}

uint32_t tamper_held_digest(const struct tamper_verdict *verdict)
{
	/* FNV-1a over kinds and ids, and the count of those not listed */
	uint32_t hash = 2166136261u;

	if (!verdict->held_count)
		return 0;
	for (unsigned int i = 0; i < verdict->held_count && i < TAMPER_HELD_MAX; i++) {
		uint32_t words[2] = { verdict->held[i].kind, verdict->held[i].id };

		for (size_t b = 0; b < sizeof(words); b++)
			hash = (hash ^ ((const unsigned char *)words)[b]) * 16777619u;
	}
	hash = (hash ^ verdict->held_more) * 16777619u;
	return hash ? hash : 1;
}

bool tamper_mode_allows(uint32_t mode, uint32_t owner, uint32_t group, uint32_t fsuid,
			uint32_t fsgid, const uint32_t *groups, size_t group_count, uint32_t want)
{
	uint32_t granted;
	bool in_group = fsgid == group;

	for (size_t i = 0; i < group_count && !in_group; i++)
		in_group = groups[i] == group;
	if (fsuid == owner)
		granted = (mode >> 6) & 7;
	else if (in_group)
		granted = (mode >> 3) & 7;
	else
		granted = mode & 7;
	return (granted & want) == want;
}

struct text {
	char *buf;
	size_t len, used;
};

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + (t->used < t->len ? t->used : t->len),
		      t->used < t->len ? t->len - t->used : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->used += (size_t)n;
}

static void put_caps(struct text *t, uint64_t caps)
{
	bool first = true;

	for (size_t i = 0; i < sizeof(deciding) / sizeof(deciding[0]); i++) {
		if (!(caps & BIT(deciding[i].cap)))
			continue;
		put(t, "%s%s", first ? "" : ",", deciding[i].name);
		first = false;
	}
}

size_t tamper_describe(const struct tamper_verdict *verdict, char *buf, size_t len)
{
	struct text t = { .buf = buf, .len = len };
	const char *sep = "";

	if (len)
		buf[0] = '\0';
	if (verdict->reasons & TAMPER_CAPS) {
		put_caps(&t, verdict->caps);
		if (verdict->effective)
			put(&t, " effective");
		else if (verdict->caps & verdict->cap_effective)
			put(&t, " permitted, partly effective");
		else
			put(&t, " permitted, not effective");
		sep = "; ";
	}
	if (verdict->reasons & TAMPER_UID0) {
		put(&t, "%suid 0", sep);
		sep = "; ";
	}
	if (verdict->reasons & TAMPER_EXEC_CAPS) {
		put(&t, "%sexec regains ", sep);
		put_caps(&t, verdict->regained);
		sep = "; ";
	}
	if (verdict->reasons & TAMPER_PINS) {
		put(&t, "%spins writable", sep);
		sep = "; ";
	}
	if (verdict->reasons & TAMPER_HELD) {
		static const char *const kind[] = { "object", "map", "program", "link" };

		put(&t, "%sholds", sep);
		for (unsigned int i = 0; i < verdict->held_count && i < TAMPER_HELD_MAX; i++) {
			const struct tamper_held *held = &verdict->held[i];

			put(&t, "%s %s%s%s (id %u)", i ? "," : "",
			    kind[held->kind < 4 ? held->kind : 0], held->name[0] ? " " : "",
			    held->name, held->id);
		}
		if (verdict->held_more)
			put(&t, " and %u more", verdict->held_more);
	}
	return t.used;
}
