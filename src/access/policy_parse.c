// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: reads a container's access policy (docs/access.md, "The policy file"), all or nothing.
 */
#include "access/policy.h"

#include "access/policy_build.h"
#include "lib/why.h"

#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* Words are quoted in messages; a longer one is cut there, the message stays one short line. */
#define WORD_SHOWN 80
#define WORDS_MAX 8

#define KNOWN_STATEMENTS "fs handle, fs allow, fs deny, net handle, net allow, scope, capability"

struct name_bit {
	const char *name;
	uint32_t bit;
};

static const struct name_bit fs_rights[] = {
	{ "execute", CANISTER_ACCESS_FS_EXECUTE }, { "read", CANISTER_ACCESS_FS_READ },
	{ "write", CANISTER_ACCESS_FS_WRITE },	   { "create", CANISTER_ACCESS_FS_CREATE },
	{ "remove", CANISTER_ACCESS_FS_REMOVE },
};

static const struct name_bit net_rights[] = {
	{ "bind", CANISTER_ACCESS_NET_BIND },
	{ "connect", CANISTER_ACCESS_NET_CONNECT },
};

static const struct name_bit scopes[] = {
	{ "signal", CANISTER_ACCESS_SCOPE_SIGNAL },
	{ "ptrace", CANISTER_ACCESS_SCOPE_PTRACE },
};

static const char *name_of(const struct name_bit *names, size_t n, uint32_t bit)
{
	for (size_t i = 0; i < n; i++)
		if (names[i].bit == bit)
			return names[i].name;
	return NULL;
}

const char *canister_access_fs_right_name(uint32_t right)
{
	return name_of(fs_rights, ARRAY_SIZE(fs_rights), right);
}

const char *canister_access_net_right_name(uint32_t right)
{
	return name_of(net_rights, ARRAY_SIZE(net_rights), right);
}

const char *canister_access_scope_name(uint32_t scope)
{
	return name_of(scopes, ARRAY_SIZE(scopes), scope);
}

const char *canister_access_cap_name(unsigned int cap)
{
	static __thread char names[CANISTER_ACCESS_CAP_LAST + 1][32];
	const char *lower;

	if (cap > CANISTER_ACCESS_CAP_LAST)
		return NULL;
	if (!names[cap][0]) {
		/* libcap-ng spells them "net_raw"; capabilities(7) and a policy, "CAP_NET_RAW". */
		lower = capng_capability_to_name(cap);
		if (!lower)
			return NULL;
		snprintf(names[cap], sizeof(names[cap]), "CAP_%s", lower);
		for (char *c = names[cap]; *c; c++)
			*c = (char)toupper((unsigned char)*c);
	}
	return names[cap];
}

struct parser {
	struct access_builder b;
	unsigned int line;
	char reason[512];
};

static int refuse(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * A comma-separated list of @names (or "all": every one) into *@ret_bits;
 * @what names the kind in a message.
 */
static int parse_names(struct parser *p, const char *list, const struct name_bit *names, size_t n,
		       const char *what, uint32_t *ret_bits)
{
	uint32_t bits = 0;
	const char *cur = list;

	if (strcmp(list, "all") == 0) {
		for (size_t i = 0; i < n; i++)
			bits |= names[i].bit;
		*ret_bits = bits;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(cur, ",");
		size_t i;

		for (i = 0; i < n; i++)
			if (strlen(names[i].name) == len && memcmp(names[i].name, cur, len) == 0)
				break;
		if (i == n) {
			char known[128] = "";

			for (size_t k = 0; k < n; k++)
				snprintf(known + strlen(known), sizeof(known) - strlen(known),
					 "%s%s", k ? ", " : "", names[k].name);
			return refuse(p, "unknown %s \"%.*s\" (known: %s, or all)", what,
				      (int)(len < WORD_SHOWN ? len : WORD_SHOWN), cur, known);
		}
		if (bits & names[i].bit)
			return refuse(p, "%s \"%s\" named twice", what, names[i].name);
		bits |= names[i].bit;
		if (!cur[len])
			break;
		cur += len + 1;
	}
	*ret_bits = bits;
	return 0;
}

/* CAP_NAME (any case) into its number, through libcap-ng's table. */
static int parse_cap(struct parser *p, const char *word, size_t len, unsigned int *ret_cap)
{
	char name[40];
	int cap;

	if (len < 5 || len >= sizeof(name) || strncasecmp(word, "CAP_", 4) != 0)
		return refuse(p, "\"%.*s\" is not a capability name (CAP_NET_RAW, ...)",
			      (int)(len < WORD_SHOWN ? len : WORD_SHOWN), word);
	for (size_t i = 4; i < len; i++)
		name[i - 4] = (char)tolower((unsigned char)word[i]);
	name[len - 4] = '\0';
	cap = capng_name_to_capability(name);
	if (cap < 0 || cap > CANISTER_ACCESS_CAP_LAST)
		return refuse(p, "unknown capability \"%.*s\" (capabilities(7) names them)",
			      (int)len, word);
	*ret_cap = (unsigned int)cap;
	return 0;
}

static int parse_caps(struct parser *p, const char *list, uint64_t *ret_caps)
{
	uint64_t caps = 0;

	for (const char *cur = list;;) {
		size_t len = strcspn(cur, ",");
		unsigned int cap = 0;
		int r = parse_cap(p, cur, len, &cap);

		if (r < 0)
			return r;
		if (caps & (UINT64_C(1) << cap))
			return refuse(p, "capability %s named twice",
				      canister_access_cap_name(cap));
		caps |= UINT64_C(1) << cap;
		if (!cur[len])
			break;
		cur += len + 1;
	}
	*ret_caps = caps;
	return 0;
}

/* A decimal port, 0 to 65535, no sign, no leading zeros but "0". */
static int parse_port(struct parser *p, const char *text, size_t len, uint16_t *ret_port)
{
	unsigned long value = 0;

	if (!len || len > 5 || (len > 1 && text[0] == '0'))
		goto bad;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			goto bad;
		value = value * 10 + (unsigned long)(text[i] - '0');
	}
	if (value > 65535)
		goto bad;
	*ret_port = (uint16_t)value;
	return 0;
bad:
	return refuse(p, "\"%.*s\" is not a TCP port (0 to 65535)",
		      (int)(len < WORD_SHOWN ? len : WORD_SHOWN), text);
}

/* PORT or FIRST-LAST, comma-separated, each added for @rights. */
static int parse_ports(struct parser *p, uint32_t rights, const char *list)
{
	for (const char *cur = list;;) {
		size_t len = strcspn(cur, ","), dash = strcspn(cur, "-,");
		uint16_t first, last;
		int r;

		r = parse_port(p, cur, dash, &first);
		if (r < 0)
			return r;
		last = first;
		if (dash < len) {
			r = parse_port(p, cur + dash + 1, len - dash - 1, &last);
			if (r < 0)
				return r;
			if (last < first)
				return refuse(p, "port range %u-%u ends before it starts", first,
					      last);
		}
		r = access_builder_add_net(&p->b, rights, first, last, p->line);
		if (r == -E2BIG)
			return r;
		if (r < 0)
			return refuse(p, "out of memory");
		if (!cur[len])
			break;
		cur += len + 1;
	}
	return 0;
}

/*
 * An absolute path as the policy names it, normalised into @out: repeated
 * and trailing slashes dropped.  "." and ".." are refused, not resolved: what
 * they name depends on symlinks the policy cannot see.
 */
static int normalise_path(struct parser *p, const char *path, char *out, size_t *ret_len)
{
	size_t n = 0;

	if (path[0] != '/')
		return refuse(p, "\"%.*s\" is not an absolute path", WORD_SHOWN, path);
	for (const char *cur = path; *cur;) {
		size_t len;

		while (*cur == '/')
			cur++;
		len = strcspn(cur, "/");
		if (!len)
			break;
		if ((len == 1 && cur[0] == '.') || (len == 2 && cur[0] == '.' && cur[1] == '.'))
			return refuse(
				p,
				"\"%.*s\": \".\" and \"..\" are not resolved in a policy; name "
				"the directory itself",
				WORD_SHOWN, path);
		out[n++] = '/';
		memcpy(out + n, cur, len);
		n += len;
		cur += len;
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	/* "/srv /" would print as "/srv ", which reads back as "/srv": the line's end is trimmed.
	 */
	if (out[n - 1] == ' ' || out[n - 1] == '\t')
		return refuse(p, "\"%.*s\" ends in a blank, which a policy line cannot end in",
			      WORD_SHOWN, path);
	*ret_len = n;
	return 0;
}

/* fs allow|deny RIGHTS beneath PATH: the path is the rest of the line, spaces and all. */
static int parse_fs_rule(struct parser *p, enum canister_access_effect effect, char **words,
			 unsigned int count, const char *rest)
{
	char path[CANISTER_ACCESS_PATH_MAX + 1];
	unsigned int other_line = 0;
	uint32_t rights = 0;
	size_t len = 0;
	int r;

	if (count < 4 || strcmp(words[3], "beneath") != 0)
		return refuse(p, "expected \"fs %s RIGHTS beneath PATH\"", words[1]);
	r = parse_names(p, words[2], fs_rights, ARRAY_SIZE(fs_rights), "file right", &rights);
	if (r < 0)
		return r;
	if (!rest || !*rest)
		return refuse(p, "no path after \"beneath\"");
	if (strlen(rest) >= CANISTER_ACCESS_PATH_MAX)
		return refuse(p, "path longer than %d bytes", CANISTER_ACCESS_PATH_MAX - 1);
	r = normalise_path(p, rest, path, &len);
	if (r < 0)
		return r;
	if ((rights & p->b.policy.fs_handled) != rights)
		return refuse(p,
			      "fs %s names a right this policy does not handle (add \"fs handle "
			      "%s\" before it)",
			      words[1], words[2]);
	r = access_builder_add_fs(&p->b, effect, rights, path, len, p->line, &other_line);
	if (r == -EEXIST)
		return refuse(p, "line %u says the opposite for the same rights beneath %s",
			      other_line, path);
	if (r == -E2BIG)
		return r;
	if (r < 0)
		return refuse(p, "out of memory");
	return 0;
}

static int expect_words(struct parser *p, unsigned int count, unsigned int want, const char *form)
{
	if (count != want)
		return refuse(p, "expected \"%s\"", form);
	return 0;
}

static int parse_fs(struct parser *p, char **words, unsigned int count, const char *rest)
{
	uint32_t rights;
	int r;

	if (count >= 2 && strcmp(words[1], "allow") == 0)
		return parse_fs_rule(p, CANISTER_ACCESS_ALLOW, words, count, rest);
	if (count >= 2 && strcmp(words[1], "deny") == 0)
		return parse_fs_rule(p, CANISTER_ACCESS_DENY, words, count, rest);
	if (count < 2 || strcmp(words[1], "handle") != 0)
		return refuse(p, "expected \"fs handle\", \"fs allow\" or \"fs deny\"");
	r = expect_words(p, count, 3, "fs handle RIGHTS");
	if (r < 0)
		return r;
	r = parse_names(p, words[2], fs_rights, ARRAY_SIZE(fs_rights), "file right", &rights);
	if (r < 0)
		return r;
	p->b.policy.fs_handled |= rights;
	return 0;
}

static int parse_net(struct parser *p, char **words, unsigned int count)
{
	uint32_t rights;
	int r;

	if (count < 2 || (strcmp(words[1], "handle") != 0 && strcmp(words[1], "allow") != 0))
		return refuse(p, "expected \"net handle\" or \"net allow\"");
	if (strcmp(words[1], "handle") == 0) {
		r = expect_words(p, count, 3, "net handle RIGHTS");
		if (r < 0)
			return r;
		r = parse_names(p, words[2], net_rights, ARRAY_SIZE(net_rights), "network right",
				&rights);
		if (r < 0)
			return r;
		p->b.policy.net_handled |= rights;
		return 0;
	}
	r = expect_words(p, count, 4, "net allow RIGHTS PORT[-PORT][,...]");
	if (r < 0)
		return r;
	r = parse_names(p, words[2], net_rights, ARRAY_SIZE(net_rights), "network right", &rights);
	if (r < 0)
		return r;
	if ((rights & p->b.policy.net_handled) != rights)
		return refuse(p,
			      "net allow names a right this policy does not handle (add \"net "
			      "handle %s\" before it)",
			      words[2]);
	return parse_ports(p, rights, words[3]);
}

static int parse_scope(struct parser *p, char **words, unsigned int count)
{
	uint32_t bits;
	int r = expect_words(p, count, 2, "scope signal|ptrace[,...]");

	if (r < 0)
		return r;
	r = parse_names(p, words[1], scopes, ARRAY_SIZE(scopes), "scope", &bits);
	if (r < 0)
		return r;
	p->b.policy.scopes |= bits;
	return 0;
}

/* capability keep CAPS: the bound is at most these; capability drop CAPS: never these. */
static int parse_capability(struct parser *p, char **words, unsigned int count)
{
	uint64_t caps = 0;
	int r = expect_words(p, count, 3, "capability keep|drop CAP_NAME[,...]");

	if (r < 0)
		return r;
	if (strcmp(words[1], "keep") != 0 && strcmp(words[1], "drop") != 0)
		return refuse(p, "expected \"capability keep\" or \"capability drop\"");
	r = parse_caps(p, words[2], &caps);
	if (r < 0)
		return r;
	if (strcmp(words[1], "keep") == 0)
		p->b.policy.cap_bound &= caps;
	else
		p->b.policy.cap_bound &= ~caps;
	return 0;
}

/* One line, without its newline, writable: split on spaces and tabs. */
static int parse_line(struct parser *p, char *line)
{
	char *words[WORDS_MAX], *cursor = line, *rest = NULL;
	unsigned int count = 0;

	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			return refuse(p, "control character 0x%02x in the line", (unsigned char)*c);
	cursor += strspn(cursor, " \t");
	if (*cursor == '#' || *cursor == '\0')
		return -ENODATA;
	while (*cursor && count < WORDS_MAX) {
		size_t len = strcspn(cursor, " \t");

		words[count++] = cursor;
		cursor += len;
		if (*cursor)
			*cursor++ = '\0';
		cursor += strspn(cursor, " \t");
		/* After "beneath" the path is the rest of the line: it may hold spaces. */
		if (count == 4 && strcmp(words[0], "fs") == 0 && strcmp(words[3], "beneath") == 0) {
			size_t end = strlen(cursor);

			while (end && (cursor[end - 1] == ' ' || cursor[end - 1] == '\t'))
				cursor[--end] = '\0';
			rest = cursor;
			break;
		}
	}
	if (!rest && *cursor)
		return refuse(p, "too many words");
	if (strcmp(words[0], "fs") == 0)
		return parse_fs(p, words, count, rest);
	if (strcmp(words[0], "net") == 0)
		return parse_net(p, words, count);
	if (strcmp(words[0], "scope") == 0)
		return parse_scope(p, words, count);
	if (strcmp(words[0], "capability") == 0)
		return parse_capability(p, words, count);
	return refuse(p, "unknown statement \"%.*s\" (known: " KNOWN_STATEMENTS ")", WORD_SHOWN,
		      words[0]);
}

int canister_access_policy_parse(const char *text, size_t len, const char *source,
				 struct canister_access_policy **ret_policy, char *why,
				 size_t why_len)
{
	char line[CANISTER_ACCESS_LINE_MAX + 1];
	const char *end = text + len;
	struct parser p = { .line = 0 };
	int r = 0;

	access_builder_init(&p.b);
	for (const char *cur = text; cur < end;) {
		const char *eol = memchr(cur, '\n', (size_t)(end - cur));
		size_t n = (size_t)((eol ? eol : end) - cur);

		p.line++;
		if (n > CANISTER_ACCESS_LINE_MAX) {
			r = refuse(&p, "line is longer than %d bytes", CANISTER_ACCESS_LINE_MAX);
			break;
		}
		if (memchr(cur, '\0', n)) {
			r = refuse(&p, "contains a NUL byte; not a text file");
			break;
		}
		memcpy(line, cur, n);
		line[n] = '\0';
		cur += n + (eol ? 1 : 0);
		r = parse_line(&p, line);
		if (r == -ENODATA) {
			r = 0;
			continue;
		}
		if (r == -E2BIG)
			snprintf(p.reason, sizeof(p.reason), "more than %d rules",
				 CANISTER_ACCESS_RULES_MAX);
		if (r < 0)
			break;
	}
	if (r == 0) {
		r = access_builder_finish(&p.b, ret_policy);
		if (r < 0) {
			snprintf(p.reason, sizeof(p.reason), "%s",
				 r == -E2BIG ? "the rules, merged, make more than a policy may hold"
					     : "out of memory");
		}
	}
	if (r < 0) {
		canister_line_why(why, why_len, source, p.line, p.reason);
		access_builder_release(&p.b);
	}
	return r;
}
