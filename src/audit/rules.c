// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: kernel audit rules in auditctl(8) syntax, parsed into libaudit's rule structures. */
#include "audit/rules.h"

#include "lib/contid.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define LINE_MAX_BYTES CANISTER_AUDIT_RULE_LINE_MAX

/* libaudit keeps the last of the kernel's AUDIT_MAX_FIELDS slots free; so do we. */
#define FIELDS_MAX (AUDIT_MAX_FIELDS - 1)
#define SYSCALLS_MAX (AUDIT_BITMASK_SIZE * 32)

/*
 * What audit_rule_fieldpair_data() and audit_rule_interfield_comp_data()
 * return, negated: libaudit 3.0.9's lib/errormsg.h, which is not installed.
 */
#define EAU_FIELDUNKNOWN 2
#define EAU_ALLOCFAILED 3 /* also EAU_ARCHMISPLACED, which arch (parsed here) would return */
#define EAU_EXITONLY 7
#define EAU_MSGTYPEUNKNOWN 8
#define EAU_MSGTYPEEXCLUDEUSER 9
#define EAU_STRTOOLONG 11
#define EAU_OPEQNOTEQ 13
#define EAU_PERMRWXA 14
#define EAU_ERRUNKNOWN 15
#define EAU_FILETYPEUNKNOWN 16
#define EAU_EXITENTRYONLY 17
#define EAU_FIELDVALNUM 21
#define EAU_FIELDTOOMANY 28
#define EAU_OPEQ 29
#define EAU_COMPINCOMPAT 33
#define EAU_FIELDUNAVAIL 34
#define EAU_NAMEUNKNOWN 38 /* a user or group name not found */

struct builder {
	struct audit_rule_data *data;
	enum canister_rule_kind kind;
	const char *alone; /* -D or a setting: the option the line must hold alone */
	unsigned int options;
	bool has_list; /* -a, -A or -w */
	int list, action;
	bool prepend;
	bool watch;	     /* -w */
	bool syscalls;	     /* -S or -w: auditctl's "syscall added"; arch comes before */
	bool syscall_option; /* -S itself, which only the exit list takes */
	int machine;	     /* from -F arch; -1 for this machine's own */
	bool key_field;	     /* a -F key=, whose prerequisite is checked at the end */
	bool has_contid;
	struct canister_contid_filter contid;
	char key[AUDIT_MAX_KEY_LEN + 1];
	enum canister_audit_control control;
	uint32_t value;
	char *why;
	size_t why_len;
};

static int refuse(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Quoted input may hold control bytes; the message stays one printable line. */
static int refuse(struct builder *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->why || !b->why_len)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(b->why, b->why_len, fmt, ap);
	va_end(ap);
	for (char *p = b->why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -EINVAL;
}

static int out_of_memory(struct builder *b)
{
	if (b->why && b->why_len)
		snprintf(b->why, b->why_len, "out of memory");
	return -ENOMEM;
}

/* auditctl reads numbers with strtoul(..., 0), which takes "9x" for 9 and wraps 2^32 to 0. */
static int parse_unsigned(const char *text, uint64_t max, uint64_t *ret_value)
{
	unsigned long long value;
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return -EINVAL;
	errno = 0;
	value = strtoull(text, &end, 0);
	if (errno || *end || value > max)
		return -EINVAL;
	*ret_value = value;
	return 0;
}

static int parse_negative(const char *text, int64_t min, int64_t *ret_value)
{
	long long value;
	char *end;

	if (text[0] != '-' || !isdigit((unsigned char)text[1]))
		return -EINVAL;
	errno = 0;
	value = strtoll(text, &end, 0);
	if (errno || *end || value < min)
		return -EINVAL;
	*ret_value = value;
	return 0;
}

static const struct {
	const char *name;
	int list;
} lists[] = {
	{ "task", AUDIT_FILTER_TASK },	   { "exit", AUDIT_FILTER_EXIT },
	{ "user", AUDIT_FILTER_USER },	   { "exclude", AUDIT_FILTER_EXCLUDE },
	{ "filesystem", AUDIT_FILTER_FS },
};

static const char *list_name(int list)
{
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		if (lists[i].list == list)
			return lists[i].name;
	return "?";
}

static bool lookup_list(const char *name, int *ret_list)
{
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		if (strcmp(lists[i].name, name) == 0) {
			*ret_list = lists[i].list;
			return true;
		}
	return false;
}

static bool lookup_action(const char *name, int *ret_action)
{
	if (strcmp(name, "always") == 0)
		*ret_action = AUDIT_ALWAYS;
	else if (strcmp(name, "never") == 0)
		*ret_action = AUDIT_NEVER;
	else
		return false;
	return true;
}

static int add_list(struct builder *b, const char *opt, const char *arg, bool prepend)
{
	char first[LINE_MAX_BYTES + 1];
	const char *second, *comma = strchr(arg, ',');
	int list, action;

	if (b->watch)
		return refuse(b, "%s: cannot be combined with -w", opt);
	if (b->has_list)
		return refuse(b, "%s: one -a or -A per rule", opt);
	if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ','))
		return refuse(b, "%s: expected LIST,ACTION, not '%s'", opt, arg);
	memcpy(first, arg, comma - arg);
	first[comma - arg] = '\0';
	second = comma + 1;
	if (strcmp(first, "possible") == 0 || strcmp(second, "possible") == 0)
		return refuse(b, "%s: action 'possible' is deprecated; use always or never", opt);

	/* auditctl takes either order: always,exit or exit,always. */
	if (lookup_action(first, &action)) {
		if (!lookup_list(second, &list))
			return refuse(
				b, "%s: unknown list '%s' (task, exit, user, exclude, filesystem)",
				opt, second);
	} else if (lookup_list(first, &list)) {
		if (!lookup_action(second, &action))
			return refuse(b, "%s: unknown action '%s' (always, never)", opt, second);
	} else {
		return refuse(b, "%s: unknown list or action '%s'", opt, first);
	}
	b->has_list = true;
	b->list = list;
	b->action = action;
	b->prepend = prepend;
	return 0;
}

static int opt_append(struct builder *b, const char *arg)
{
	return add_list(b, "-a", arg, false);
}

static int opt_prepend(struct builder *b, const char *arg)
{
	return add_list(b, "-A", arg, true);
}

static int add_syscall(struct builder *b, const char *name, int machine)
{
	const char *machine_name;
	uint64_t number;
	int nr;

	if (strcmp(name, "all") == 0) {
		for (size_t i = 0; i < AUDIT_BITMASK_SIZE; i++)
			b->data->mask[i] = ~0U;
		return 0;
	}
	nr = audit_name_to_syscall(name, machine);
	if (nr < 0 && isdigit((unsigned char)name[0]) &&
	    parse_unsigned(name, UINT32_MAX, &number) == 0) {
		if (number >= SYSCALLS_MAX)
			return refuse(b, "-S: syscall number %s is out of range (0 to %d)", name,
				      SYSCALLS_MAX - 1);
		nr = (int)number;
	}
	if (nr < 0 || nr >= SYSCALLS_MAX) {
		machine_name = audit_machine_to_name(machine);
		return refuse(b, "-S: unknown syscall '%s' for %s", name,
			      machine_name ? machine_name : "this machine");
	}
	b->data->mask[AUDIT_WORD(nr)] |= AUDIT_BIT(nr);
	return 0;
}

/*
 * Names are looked up in the table of the rule's arch, which is why -F arch
 * must come first.  libaudit's audit_rule_syscallbyname_data() would read that
 * arch from a global only its own arch parsing sets; the table is chosen here.
 */
static int opt_syscall(struct builder *b, const char *arg)
{
	char names[LINE_MAX_BYTES + 1];
	int machine = b->machine;
	char *name, *comma;
	int r;

	if (b->has_list && b->list != AUDIT_FILTER_EXIT)
		return refuse(b, "-S: the %s list takes no syscalls", list_name(b->list));
	if (machine < 0) {
		machine = audit_detect_machine();
		if (machine < 0)
			return refuse(b, "-S: cannot tell this machine's architecture");
	}
	snprintf(names, sizeof(names), "%s", arg);
	for (name = names;; name = comma + 1) {
		comma = strchr(name, ',');
		if (comma)
			*comma = '\0';
		if (!*name)
			return refuse(b, "-S: empty syscall name in '%s'", arg);
		r = add_syscall(b, name, machine);
		if (r < 0)
			return r;
		if (!comma)
			break;
	}
	b->syscalls = true;
	b->syscall_option = true;
	return 0;
}

struct pair {
	char *name;
	int op;
	char *value;
};

struct operator
{
	const char *text;
	int op;
};

static const struct operator field_ops[] = {
	/* libaudit's order: the first of these found anywhere in the pair decides. */
	{ "!=", AUDIT_NOT_EQUAL },
	{ ">=", AUDIT_GREATER_THAN_OR_EQUAL },
	{ "<=", AUDIT_LESS_THAN_OR_EQUAL },
	{ "&=", AUDIT_BIT_TEST },
	{ "=", AUDIT_EQUAL },
	{ ">", AUDIT_GREATER_THAN },
	{ "<", AUDIT_LESS_THAN },
	{ "&", AUDIT_BIT_MASK },
};

/* Comparisons of two fields know only these, in this order. */
static const struct operator compare_ops[] = {
	{ "!=", AUDIT_NOT_EQUAL },
	{ "=", AUDIT_EQUAL },
};

/* Splits @text (modified) as libaudit will, so that what is checked here is what it builds. */
static bool split_pair(char *text, const struct operator* ops, size_t op_count,
		       struct pair *ret_pair)
{
	for (size_t i = 0; i < op_count; i++) {
		char *at = strstr(text, ops[i].text);

		if (!at)
			continue;
		*at = '\0';
		ret_pair->name = text;
		ret_pair->op = ops[i].op;
		ret_pair->value = at + strlen(ops[i].text);
		return true;
	}
	return false;
}

static int append_field(struct builder *b, const char *opt, int field, int op, uint32_t value)
{
	struct audit_rule_data *data = b->data;

	if (data->field_count >= FIELDS_MAX)
		return refuse(b, "%s: too many fields (at most %d)", opt, FIELDS_MAX);
	data->fields[data->field_count] = field;
	data->fieldflags[data->field_count] = op;
	data->values[data->field_count] = value;
	data->field_count++;
	return 0;
}

/* A string field's value is its length; the text goes to the end of buf[], as libaudit does. */
static int append_string_field(struct builder *b, const char *opt, int field, int op,
			       const char *text)
{
	size_t len = strlen(text);
	struct audit_rule_data *grown;

	if (b->data->field_count >= FIELDS_MAX)
		return refuse(b, "%s: too many fields (at most %d)", opt, FIELDS_MAX);
	if (len > PATH_MAX)
		return refuse(b, "%s: value longer than %d bytes", opt, PATH_MAX);
	grown = realloc(b->data, sizeof(*grown) + b->data->buflen + len);
	if (!grown)
		return out_of_memory(b);
	b->data = grown;
	memcpy(&grown->buf[grown->buflen], text, len);
	grown->buflen += len;
	return append_field(b, opt, field, op, (uint32_t)len);
}

/* auditctl's condition for a key: the rule names syscalls or watches something. */
static bool key_allowed(const struct builder *b)
{
	if (b->syscalls)
		return true;
	for (uint32_t i = 0; i < b->data->field_count; i++)
		switch (b->data->fields[i]) {
		case AUDIT_WATCH:
		case AUDIT_DIR:
		case AUDIT_PERM:
		case AUDIT_EXE:
		case AUDIT_FSTYPE:
			return true;
		}
	return false;
}

static int add_key(struct builder *b, const char *opt, const char *text)
{
	size_t used = strlen(b->key), len = strlen(text);

	if (strchr(text, AUDIT_KEY_SEPARATOR))
		return refuse(b, "%s: key '%s' holds byte 0x01, which separates keys", opt, text);
	if (used + (used ? 1 : 0) + len > AUDIT_MAX_KEY_LEN)
		return refuse(b, "%s: keys longer than %d bytes in all", opt, AUDIT_MAX_KEY_LEN);
	if (used)
		b->key[used++] = AUDIT_KEY_SEPARATOR;
	memcpy(b->key + used, text, len + 1);
	return 0;
}

static int opt_key(struct builder *b, const char *arg)
{
	if (b->kind == CANISTER_RULE_DELETE_ALL) {
		if (b->key[0])
			return refuse(b, "-D: takes one -k at most");
		return add_key(b, "-k", arg);
	}
	if (!b->has_list)
		return refuse(b, "-k: needs -a, -A or -w before it");
	if (!key_allowed(b))
		return refuse(b, "-k: needs -S, -w or a path, dir, perm, exe or fstype field "
				 "before it");
	return add_key(b, "-k", arg);
}

static int add_contid(struct builder *b, const struct pair *pair, bool subtree)
{
	struct canister_contid_filter filter = { 0 };

	if (b->has_contid)
		return refuse(b, "-F: one contid filter per rule");
	/*
	 * The kernel gets the rule without the filter: a never rule would then
	 * silence every container, which canisterd cannot undo afterwards.
	 */
	if (b->action == AUDIT_NEVER)
		return refuse(b, "-F: contid cannot narrow a never rule; the kernel would apply it "
				 "to every container");
	if (!subtree && pair->op != AUDIT_EQUAL && pair->op != AUDIT_NOT_EQUAL)
		return refuse(b, "-F: contid takes =, != or ^=");
	filter.negate = pair->op == AUDIT_NOT_EQUAL;
	if (strcmp(pair->value, "unset") == 0) {
		if (subtree)
			return refuse(b, "-F: contid^= needs a contid, not 'unset'");
		filter.kind = CONTID_UNSET;
	} else {
		if (canister_parse_contid(pair->value, &filter.contid) < 0)
			return refuse(b,
				      "-F: contid '%s' is not a container ID (decimal, at most "
				      "18446744073709551614) or 'unset'",
				      pair->value);
		filter.kind = subtree ? CONTID_SUBTREE : CONTID_EQ;
	}
	b->has_contid = true;
	b->contid = filter;
	return 0;
}

static int add_arch(struct builder *b, const struct pair *pair)
{
	int machine;
	uint64_t elf;

	if (b->syscalls)
		return refuse(b, "-F: arch must come before -S and -w; it picks the syscall table");
	if (pair->op != AUDIT_EQUAL && pair->op != AUDIT_NOT_EQUAL)
		return refuse(b, "-F: arch takes only = or !=");
	if (isdigit((unsigned char)pair->value[0])) {
		if (parse_unsigned(pair->value, UINT32_MAX, &elf) < 0 ||
		    audit_elf_to_machine((unsigned int)elf) < 0)
			return refuse(b, "-F: unknown arch '%s'", pair->value);
		machine = audit_elf_to_machine((unsigned int)elf);
	} else {
		machine = audit_determine_machine(pair->value);
		if (machine == -6)
			return refuse(b, "-F: arch '%s' is not supported on this machine",
				      pair->value);
		elf = machine < 0 ? 0 : audit_machine_to_elf(machine);
		if (!elf)
			return refuse(b, "-F: unknown arch '%s'", pair->value);
	}
	b->machine = machine;
	return append_field(b, "-F", AUDIT_ARCH, pair->op, (uint32_t)elf);
}

static int add_fstype(struct builder *b, const struct pair *pair)
{
	uint64_t magic;

	if (pair->op != AUDIT_EQUAL && pair->op != AUDIT_NOT_EQUAL)
		return refuse(b, "-F: fstype takes only = or !=");
	if (isdigit((unsigned char)pair->value[0])) {
		if (parse_unsigned(pair->value, UINT32_MAX, &magic) < 0)
			return refuse(b, "-F: fstype value '%s' is not a 32-bit number",
				      pair->value);
	} else {
		int named = audit_name_to_fstype(pair->value);

		if (named == -1)
			return refuse(b, "-F: unknown file system type '%s'", pair->value);
		magic = (uint32_t)named;
	}
	return append_field(b, "-F", AUDIT_FSTYPE, pair->op, (uint32_t)magic);
}

static int add_sessionid(struct builder *b, const struct pair *pair)
{
	uint64_t value;
	int64_t negative;

	if (b->list != AUDIT_FILTER_EXIT && b->list != AUDIT_FILTER_USER)
		return refuse(b, "-F: field 'sessionid' cannot be used on the %s list",
			      list_name(b->list));
	if (strcmp(pair->value, "unset") == 0)
		value = UINT32_MAX;
	else if (parse_negative(pair->value, INT32_MIN, &negative) == 0)
		value = (uint32_t)negative;
	else if (parse_unsigned(pair->value, UINT32_MAX, &value) < 0)
		return refuse(b, "-F: sessionid value '%s' is not a 32-bit number or 'unset'",
			      pair->value);
	return append_field(b, "-F", AUDIT_SESSIONID, pair->op, (uint32_t)value);
}

static bool is_string_field(int field)
{
	switch (field) {
	case AUDIT_SUBJ_USER ... AUDIT_SUBJ_CLR:
	case AUDIT_OBJ_USER ... AUDIT_OBJ_LEV_HIGH:
	case AUDIT_WATCH:
	case AUDIT_DIR:
	case AUDIT_PERM:
	case AUDIT_FILETYPE:
		return true;
	}
	return false;
}

static bool is_uid_field(int field)
{
	switch (field) {
	case AUDIT_UID:
	case AUDIT_EUID:
	case AUDIT_SUID:
	case AUDIT_FSUID:
	case AUDIT_LOGINUID:
	case AUDIT_OBJ_UID:
		return true;
	}
	return false;
}

static bool is_gid_field(int field)
{
	switch (field) {
	case AUDIT_GID:
	case AUDIT_EGID:
	case AUDIT_SGID:
	case AUDIT_FSGID:
	case AUDIT_OBJ_GID:
		return true;
	}
	return false;
}

/* The fields libaudit reads as signed ("-1", "-13"); the rest it refuses or looks up. */
static bool takes_negative(int field)
{
	return is_uid_field(field) || field == AUDIT_EXIT ||
	       (field >= AUDIT_ARG0 && field <= AUDIT_ARG0 + 3);
}

/* libaudit would take "9x" for 9 and 2^32 for 0; a rule must mean what it says. */
static int check_number(struct builder *b, int field, const struct pair *pair)
{
	const char *value = pair->value;
	uint64_t unsigned_value;
	int64_t negative;

	if (is_string_field(field))
		return 0;
	if (value[0] == '-' && isdigit((unsigned char)value[1])) {
		if (!takes_negative(field))
			return refuse(b, "-F: %s cannot be negative ('%s')", pair->name, value);
		if (parse_negative(value, INT32_MIN, &negative) < 0)
			return refuse(b, "-F: %s value '%s' is not a 32-bit number", pair->name,
				      value);
	} else if (isdigit((unsigned char)value[0])) {
		if (parse_unsigned(value, UINT32_MAX, &unsigned_value) < 0)
			return refuse(b, "-F: %s value '%s' is not a 32-bit number", pair->name,
				      value);
	}
	/* Anything else is a name (user, group, errno, msgtype...) libaudit looks up. */
	return 0;
}

/* Only these pass the kernel's exclude filter (with AUDIT_FEATURE_BITMAP_EXCLUDE_EXTEND). */
static bool exclude_field(int field)
{
	switch (field) {
	case AUDIT_PID:
	case AUDIT_UID:
	case AUDIT_GID:
	case AUDIT_LOGINUID:
	case AUDIT_MSGTYPE:
	case AUDIT_SUBJ_USER ... AUDIT_SUBJ_CLR:
		return true;
	}
	return false;
}

static int libaudit_field_error(struct builder *b, int rc, int field, const struct pair *pair,
				const char *arg)
{
	switch (-rc) {
	case EAU_FIELDUNKNOWN:
	case EAU_NAMEUNKNOWN:
		if (is_uid_field(field))
			return refuse(b, "-F: unknown user '%s'", pair->value);
		if (is_gid_field(field))
			return refuse(b, "-F: unknown group '%s'", pair->value);
		return refuse(b, "-F: unknown field '%s'", pair->name);
	case EAU_EXITONLY:
	case EAU_EXITENTRYONLY:
	case EAU_FIELDUNAVAIL:
		return refuse(b, "-F: field '%s' cannot be used on the %s list", pair->name,
			      list_name(b->list));
	case EAU_MSGTYPEUNKNOWN:
		return refuse(b, "-F: unknown message type '%s'", pair->value);
	case EAU_MSGTYPEEXCLUDEUSER:
		return refuse(b, "-F: field 'msgtype' cannot be used on the %s list",
			      list_name(b->list));
	case EAU_STRTOOLONG:
		return refuse(b, "-F: %s value is too long", pair->name);
	case EAU_OPEQNOTEQ:
		return refuse(b, "-F: %s takes only = or !=", pair->name);
	case EAU_OPEQ:
		return refuse(b, "-F: %s takes only =", pair->name);
	case EAU_PERMRWXA:
		return refuse(b, "-F: perm '%s': permissions are r, w, x and a", pair->value);
	case EAU_ERRUNKNOWN:
		return refuse(b, "-F: unknown errno '%s'", pair->value);
	case EAU_FILETYPEUNKNOWN:
		return refuse(b, "-F: unknown file type '%s'", pair->value);
	case EAU_FIELDVALNUM:
		return refuse(b, "-F: %s value '%s' is not a number", pair->name, pair->value);
	case EAU_FIELDTOOMANY:
		return refuse(b, "-F: too many fields (at most %d)", FIELDS_MAX);
	}
	return refuse(b, "-F: '%s' refused by libaudit (error %d)", arg, rc);
}

static int opt_field(struct builder *b, const char *arg)
{
	char split[LINE_MAX_BYTES + 1], pair_text[LINE_MAX_BYTES + 1];
	struct pair pair;
	bool subtree = false;
	size_t name_len;
	int field, list, rc;

	if (!b->has_list)
		return refuse(b, "-F: needs -a, -A or -w before it");
	snprintf(split, sizeof(split), "%s", arg);
	if (!split_pair(split, field_ops, ARRAY_SIZE(field_ops), &pair))
		return refuse(b, "-F: '%s' has no operator (=, !=, <, >, <=, >=, &, &=)", arg);
	name_len = strlen(pair.name);
	if (pair.op == AUDIT_EQUAL && name_len && pair.name[name_len - 1] == '^') {
		pair.name[name_len - 1] = '\0';
		subtree = true;
	}
	if (!pair.name[0])
		return refuse(b, "-F: '%s' has no field name", arg);
	if (!pair.value[0])
		return refuse(b, "-F: '%s' has no value", arg);
	/* libaudit matches field names regardless of case ("Key", "ARCH"); so does canister. */
	if (strcasecmp(pair.name, "contid") == 0)
		return add_contid(b, &pair, subtree);
	if (subtree)
		return refuse(b, "-F: '^=' is only for contid");
	field = audit_name_to_field(pair.name);
	if (field < 0)
		return refuse(b, "-F: unknown field '%s'", pair.name);
	/* The kernel takes one key a rule: every -F key= and -k goes into it. */
	if (field == AUDIT_FILTERKEY) {
		if (pair.op != AUDIT_EQUAL)
			return refuse(b, "-F: key takes only =");
		b->key_field = true;
		return add_key(b, "-F", pair.value);
	}
	/*
	 * libaudit asks the kernel (over netlink) which features it has when it
	 * builds these; parsing must not.  The kernel still refuses, on load, a
	 * rule it cannot enforce.
	 */
	list = b->list;
	if (b->list == AUDIT_FILTER_FS) {
		if (field != AUDIT_FSTYPE)
			return refuse(b, "-F: field '%s' cannot be used on the filesystem list",
				      pair.name);
		return add_fstype(b, &pair);
	}
	if (b->list == AUDIT_FILTER_EXCLUDE) {
		if (!exclude_field(field))
			return refuse(b, "-F: field '%s' cannot be used on the exclude list",
				      pair.name);
		/* The user list builds these fields exactly as the exclude list does. */
		list = AUDIT_FILTER_USER;
	}
	if (field == AUDIT_ARCH)
		return add_arch(b, &pair);
	if (field == AUDIT_SESSIONID)
		return add_sessionid(b, &pair);
	if (field == AUDIT_EXE) {
		if (pair.op != AUDIT_EQUAL && pair.op != AUDIT_NOT_EQUAL)
			return refuse(b, "-F: exe takes only = or !=");
		return append_string_field(b, "-F", AUDIT_EXE, pair.op, pair.value);
	}

	rc = check_number(b, field, &pair);
	if (rc < 0)
		return rc;
	/* libaudit writes into the text it is given, its const notwithstanding. */
	snprintf(pair_text, sizeof(pair_text), "%s", arg);
	rc = audit_rule_fieldpair_data(&b->data, pair_text, list);
	if (rc == 0)
		return 0;
	if (!b->data)
		return out_of_memory(b);
	return libaudit_field_error(b, rc, field, &pair, arg);
}

static int opt_compare(struct builder *b, const char *arg)
{
	char split[LINE_MAX_BYTES + 1], pair_text[LINE_MAX_BYTES + 1];
	struct pair pair;
	int rc;

	if (!b->has_list)
		return refuse(b, "-C: needs -a, -A or -w before it");
	if (b->list != AUDIT_FILTER_EXIT)
		return refuse(b, "-C: cannot be used on the %s list", list_name(b->list));
	snprintf(split, sizeof(split), "%s", arg);
	if (!split_pair(split, compare_ops, ARRAY_SIZE(compare_ops), &pair) || !pair.name[0] ||
	    !pair.value[0])
		return refuse(b, "-C: expected FIELD=FIELD or FIELD!=FIELD, not '%s'", arg);
	if (audit_name_to_field(pair.name) < 0)
		return refuse(b, "-C: unknown field '%s'", pair.name);
	if (audit_name_to_field(pair.value) < 0)
		return refuse(b, "-C: unknown field '%s'", pair.value);
	snprintf(pair_text, sizeof(pair_text), "%s", arg);
	rc = audit_rule_interfield_comp_data(&b->data, pair_text, AUDIT_FILTER_EXIT);
	if (rc == 0)
		return 0;
	if (rc == -EAU_FIELDTOOMANY)
		return refuse(b, "-C: too many fields (at most %d)", FIELDS_MAX);
	return refuse(b, "-C: cannot compare %s with %s", pair.name, pair.value);
}

static int opt_watch(struct builder *b, const char *arg)
{
	char path[LINE_MAX_BYTES + 1];
	size_t len = strlen(arg), end, start;
	struct stat st;
	int type;

	if (b->watch)
		return refuse(b, "-w: one watch per rule");
	if (b->has_list)
		return refuse(b, "-w: cannot be combined with -a or -A");
	if (len >= PATH_MAX)
		return refuse(b, "-w: path is longer than %d bytes", PATH_MAX - 1);
	if (arg[0] != '/')
		return refuse(b, "-w: '%s' is not an absolute path", arg);
	for (end = len; end > 1 && arg[end - 1] == '/'; end--)
		;
	for (start = end; start > 0 && arg[start - 1] != '/'; start--)
		;
	if (end - start > NAME_MAX)
		return refuse(b, "-w: '%s' ends in a name longer than %d bytes", arg, NAME_MAX);

	/* auditctl's trimming: "/etc/" watches "/etc", "//" stays as it is. */
	memcpy(path, arg, len + 1);
	if (len > 2)
		path[end] = '\0';
	/* As auditctl does: a directory is watched with everything below it. */
	type = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? AUDIT_DIR : AUDIT_WATCH;
	if (audit_add_watch_dir(type, &b->data, path) < 0) {
		if (!b->data)
			return out_of_memory(b);
		return refuse(b, "-w: '%s' refused by libaudit", arg);
	}
	b->has_list = true;
	b->watch = true;
	b->syscalls = true;
	b->list = AUDIT_FILTER_EXIT;
	b->action = AUDIT_ALWAYS;
	return 0;
}

static int opt_perm(struct builder *b, const char *arg)
{
	size_t len = strlen(arg);
	int perms = 0, rc;

	if (!b->has_list)
		return refuse(b, "-p: needs -w before it");
	if (b->list != AUDIT_FILTER_EXIT)
		return refuse(b, "-p: cannot be used on the %s list", list_name(b->list));
	if (len > 4)
		return refuse(b, "-p: '%s' is more than 4 permissions", arg);
	for (size_t i = 0; i < len; i++)
		switch (tolower((unsigned char)arg[i])) {
		case 'r':
			perms |= AUDIT_PERM_READ;
			break;
		case 'w':
			perms |= AUDIT_PERM_WRITE;
			break;
		case 'x':
			perms |= AUDIT_PERM_EXEC;
			break;
		case 'a':
			perms |= AUDIT_PERM_ATTR;
			break;
		default:
			return refuse(b, "-p: '%s': permissions are r, w, x and a", arg);
		}
	rc = audit_update_watch_perms(b->data, perms);
	if (rc == -1)
		return refuse(b, "-p: needs -w, or a -F, before it");
	if (rc < 0)
		return refuse(b, "-p: too many fields (at most %d)", FIELDS_MAX);
	return 0;
}

static int opt_delete_all(struct builder *b, const char *arg)
{
	b->kind = CANISTER_RULE_DELETE_ALL;
	return 0;
}

static int set_control(struct builder *b, enum canister_audit_control control, uint64_t value)
{
	b->kind = CANISTER_RULE_CONTROL;
	b->control = control;
	b->value = (uint32_t)value;
	return 0;
}

static int set_mode(struct builder *b, const char *opt, enum canister_audit_control control,
		    const char *arg)
{
	if (strcmp(arg, "0") != 0 && strcmp(arg, "1") != 0 && strcmp(arg, "2") != 0)
		return refuse(b, "%s: must be 0, 1 or 2, not '%s'", opt, arg);
	return set_control(b, control, (uint64_t)(arg[0] - '0'));
}

static int set_number(struct builder *b, const char *opt, enum canister_audit_control control,
		      const char *arg)
{
	uint64_t value;

	if (parse_unsigned(arg, UINT32_MAX, &value) < 0)
		return refuse(b, "%s: '%s' is not a number from 0 to %u", opt, arg, UINT32_MAX);
	return set_control(b, control, value);
}

static int opt_enabled(struct builder *b, const char *arg)
{
	return set_mode(b, "-e", CANISTER_AUDIT_ENABLED, arg);
}

static int opt_failure(struct builder *b, const char *arg)
{
	return set_mode(b, "-f", CANISTER_AUDIT_FAILURE, arg);
}

static int opt_backlog(struct builder *b, const char *arg)
{
	return set_number(b, "-b", CANISTER_AUDIT_BACKLOG_LIMIT, arg);
}

static int opt_rate(struct builder *b, const char *arg)
{
	return set_number(b, "-r", CANISTER_AUDIT_RATE_LIMIT, arg);
}

static int opt_backlog_wait_time(struct builder *b, const char *arg)
{
	return set_number(b, "--backlog_wait_time", CANISTER_AUDIT_BACKLOG_WAIT_TIME, arg);
}

static int opt_loginuid_immutable(struct builder *b, const char *arg)
{
	return set_control(b, CANISTER_AUDIT_LOGINUID_IMMUTABLE, 1);
}

enum option_role {
	ROLE_RULE,    /* builds the rule */
	ROLE_ALONE,   /* -D, or a setting: the line holds nothing else (but -D's -k) */
	ROLE_REFUSED, /* an auditctl option with no place in a rules file canister loads */
};

struct option_spec {
	const char *name;
	bool takes_arg;
	enum option_role role;
	int (*handle)(struct builder *b, const char *arg);
	const char *refusal; /* ROLE_REFUSED */
};

static const struct option_spec options[] = {
	{ "-a", true, ROLE_RULE, opt_append, NULL },
	{ "-A", true, ROLE_RULE, opt_prepend, NULL },
	{ "-S", true, ROLE_RULE, opt_syscall, NULL },
	{ "-F", true, ROLE_RULE, opt_field, NULL },
	{ "-C", true, ROLE_RULE, opt_compare, NULL },
	{ "-k", true, ROLE_RULE, opt_key, NULL },
	{ "-w", true, ROLE_RULE, opt_watch, NULL },
	{ "-p", true, ROLE_RULE, opt_perm, NULL },
	{ "-D", false, ROLE_ALONE, opt_delete_all, NULL },
	{ "-e", true, ROLE_ALONE, opt_enabled, NULL },
	{ "-f", true, ROLE_ALONE, opt_failure, NULL },
	{ "-b", true, ROLE_ALONE, opt_backlog, NULL },
	{ "-r", true, ROLE_ALONE, opt_rate, NULL },
	{ "--backlog_wait_time", true, ROLE_ALONE, opt_backlog_wait_time, NULL },
	{ "--loginuid-immutable", false, ROLE_ALONE, opt_loginuid_immutable, NULL },
	{ "-d", true, ROLE_REFUSED, NULL, "deleting one rule is not supported; -D deletes all" },
	{ "-W", true, ROLE_REFUSED, NULL, "deleting one watch is not supported; -D deletes all" },
	{ "-c", false, ROLE_REFUSED, NULL, "not supported: a rules file is loaded all or nothing" },
	{ "-i", false, ROLE_REFUSED, NULL, "not supported: a rules file is loaded all or nothing" },
	{ "-R", true, ROLE_REFUSED, NULL, "nested rules files are not supported" },
	{ "-l", false, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "-s", false, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "-m", true, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "-q", true, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "-t", false, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "-h", false, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "-v", false, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "--signal", true, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "--reset-lost", false, ROLE_REFUSED, NULL, "an auditctl command, not a rule" },
	{ "--reset_backlog_wait_time_actual", false, ROLE_REFUSED, NULL,
	  "an auditctl command, not a rule" },
};

/*
 * Finds the option @token names, and its argument when it is attached as
 * getopt allows ("-kfoo", "--backlog_wait_time=60000").  Returns NULL for an
 * unknown option.
 */
static const struct option_spec *lookup_option(const char *token, const char **ret_attached)
{
	size_t name_len;

	if (token[0] != '-' || !token[1])
		return NULL;
	if (token[1] == '-') {
		const char *equals = strchr(token, '=');

		name_len = equals ? (size_t)(equals - token) : strlen(token);
		*ret_attached = equals ? equals + 1 : NULL;
	} else {
		name_len = 2;
		*ret_attached = token[2] ? token + 2 : NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (strlen(options[i].name) == name_len &&
		    strncmp(options[i].name, token, name_len) == 0) {
			/* "-Dx" is not "-D" with an argument; getopt would read more flags. */
			if (*ret_attached && !options[i].takes_arg && token[1] != '-')
				return NULL;
			return &options[i];
		}
	return NULL;
}

struct tokens {
	char buf[LINE_MAX_BYTES + 1];
	char *argv[LINE_MAX_BYTES / 2 + 1];
	unsigned int argc;
};

/* Splits on spaces and tabs; "\ " and "\\" are auditctl's escapes for a space and a backslash. */
static void tokenize(const char *line, size_t len, struct tokens *t)
{
	const char *p = line, *end = line + len;
	char *out = t->buf;

	t->argc = 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		t->argv[t->argc++] = out;
		while (p < end && *p != ' ' && *p != '\t') {
			if (p[0] == '\\' && end - p > 1 && (p[1] == ' ' || p[1] == '\\'))
				p++;
			*out++ = *p++;
		}
		*out++ = '\0';
	}
}

static int run_option(struct builder *b, const struct option_spec *spec, const char *token,
		      const char *arg)
{
	if (spec->role == ROLE_REFUSED)
		return refuse(b, "%s: %s", spec->name, spec->refusal);
	if (b->alone) {
		if (strcmp(b->alone, "-D") != 0)
			return refuse(b, "%s: a setting must be alone on its line", b->alone);
		if (strcmp(spec->name, "-k") != 0)
			return refuse(b, "-D: takes no option but -k");
	}
	if (spec->role == ROLE_ALONE) {
		if (b->options)
			return refuse(b,
				      spec->handle == opt_delete_all
					      ? "%s: takes no option but -k"
					      : "%s: a setting must be alone on its line",
				      spec->name);
		b->alone = spec->name;
	}
	if (!spec->takes_arg && arg)
		return refuse(b, "%s: takes no argument", spec->name);
	return spec->handle(b, arg);
}

/* What auditctl adds when it sends the rule, so the kernel gets the same rule from us. */
static int finish_rule(struct builder *b)
{
	int r;

	if (!b->has_list)
		return refuse(b, "-S: needs -a or -A in the same rule");
	if (b->syscall_option && b->list != AUDIT_FILTER_EXIT)
		return refuse(b, "-S: the %s list takes no syscalls", list_name(b->list));
	if (b->key[0]) {
		if (!key_allowed(b))
			return refuse(b, "-F: key needs -S, -w or a path, dir, perm, exe or fstype "
					 "field in the same rule");
		r = append_string_field(b, b->key_field ? "-F" : "-k", AUDIT_FILTERKEY, AUDIT_EQUAL,
					b->key);
		if (r < 0)
			return r;
	}
	if (b->list != AUDIT_FILTER_TASK && !b->syscalls)
		for (size_t i = 0; i < AUDIT_BITMASK_SIZE; i++)
			b->data->mask[i] = ~0U;
	b->data->flags = b->list | (b->prepend ? AUDIT_FILTER_PREPEND : 0);
	b->data->action = b->action;
	return 0;
}

int canister_audit_rule_parse_line(const char *line, unsigned int lineno,
				   struct canister_audit_rule *ret_rule, char *why, size_t why_len)
{
	struct builder b = {
		.kind = CANISTER_RULE_KERNEL, .machine = -1, .why = why, .why_len = why_len
	};
	struct canister_audit_rule rule;
	size_t len = strlen(line);
	struct tokens t;
	int r = 0;

	if (len > LINE_MAX_BYTES)
		return refuse(&b, "line is longer than %d bytes", LINE_MAX_BYTES);
	if (memchr(line, '\n', len))
		return refuse(&b, "holds a line break; give one line at a time");
	if (len && line[len - 1] == '\r')
		len--;
	tokenize(line, len, &t);
	if (!t.argc || t.argv[0][0] == '#')
		return -ENODATA;

	b.data = audit_rule_create_data();
	if (!b.data)
		return out_of_memory(&b);
	for (unsigned int i = 0; i < t.argc && r == 0; i++) {
		const char *token = t.argv[i], *arg = NULL;
		const struct option_spec *spec = lookup_option(token, &arg);

		if (!spec) {
			r = token[0] == '-' ? refuse(&b, "unknown option '%s'", token)
					    : refuse(&b, "unexpected argument '%s'", token);
			break;
		}
		if (spec->takes_arg && !arg && spec->role != ROLE_REFUSED) {
			if (i + 1 == t.argc) {
				r = refuse(&b, "%s: needs an argument", spec->name);
				break;
			}
			arg = t.argv[++i];
		}
		r = run_option(&b, spec, token, arg);
		b.options++;
	}
	if (r == 0 && b.kind == CANISTER_RULE_KERNEL)
		r = finish_rule(&b);
	if (r < 0) {
		audit_rule_free_data(b.data);
		return r;
	}

	memset(&rule, 0, sizeof(rule));
	rule.kind = b.kind;
	rule.line = lineno;
	memcpy(rule.key, b.key, sizeof(rule.key));
	rule.contid = b.contid;
	if (b.kind == CANISTER_RULE_KERNEL) {
		rule.data = b.data;
		rule.list = b.list;
		rule.action = b.action;
		rule.prepend = b.prepend;
	} else {
		audit_rule_free_data(b.data);
		rule.control = b.control;
		rule.value = b.value;
	}
	*ret_rule = rule;
	return 0;
}

static void set_error(char *why, size_t why_len, const char *source, unsigned int line,
		      const char *reason)
{
	if (why && why_len)
		snprintf(why, why_len, "%s:%u: %s", source, line, reason);
}

int canister_audit_rules_parse(const char *text, size_t len, const char *source,
			       struct canister_audit_rule **ret_rules, size_t *ret_count, char *why,
			       size_t why_len)
{
	struct canister_audit_rule *rules = NULL, rule;
	size_t count = 0, capacity = 0, reason_len = why_len ? why_len : 1;
	unsigned int line_no = 0, locked_on = 0;
	const char *end = text + len;
	char line[LINE_MAX_BYTES + 1];
	char *reason;
	int r = 0;

	reason = malloc(reason_len);
	if (!reason) {
		if (why && why_len)
			snprintf(why, why_len, "%s: out of memory", source);
		return -ENOMEM;
	}
	for (const char *p = text; p < end; line_no++) {
		const char *eol = memchr(p, '\n', end - p);
		size_t n = (eol ? eol : end) - p;

		if (n > LINE_MAX_BYTES) {
			snprintf(reason, reason_len, "line is longer than %d bytes",
				 LINE_MAX_BYTES);
			r = -EINVAL;
			break;
		}
		if (memchr(p, '\0', n)) {
			snprintf(reason, reason_len, "contains a NUL byte; not a text file");
			r = -EINVAL;
			break;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (eol ? 1 : 0);

		r = canister_audit_rule_parse_line(line, line_no + 1, &rule, reason, reason_len);
		if (r == -ENODATA) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		if (locked_on) {
			free(rule.data);
			snprintf(reason, reason_len,
				 "-e 2 on line %u locks the configuration; nothing may follow it",
				 locked_on);
			r = -EINVAL;
			break;
		}
		if (count == capacity) {
			size_t grown_capacity = capacity ? capacity * 2 : 16;
			struct canister_audit_rule *grown =
				reallocarray(rules, grown_capacity, sizeof(*rules));

			if (!grown) {
				free(rule.data);
				snprintf(reason, reason_len, "out of memory");
				r = -ENOMEM;
				break;
			}
			rules = grown;
			capacity = grown_capacity;
		}
		rules[count++] = rule;
		if (rule.kind == CANISTER_RULE_CONTROL && rule.control == CANISTER_AUDIT_ENABLED &&
		    rule.value == 2)
			locked_on = line_no + 1;
	}
	if (r < 0) {
		set_error(why, why_len, source, line_no + 1, reason);
		canister_audit_rules_free(rules, count);
		free(reason);
		return r;
	}
	free(reason);
	*ret_rules = rules;
	*ret_count = count;
	return 0;
}

void canister_audit_rules_free(struct canister_audit_rule *rules, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(rules[i].data);
	free(rules);
}

bool canister_contid_filter_match(const struct canister_contid_filter *filter,
				  const uint64_t *chain, unsigned int depth)
{
	bool match = false;

	switch (filter->kind) {
	case CONTID_ANY:
		return true;
	case CONTID_UNSET:
		match = depth == 0;
		break;
	case CONTID_EQ:
		match = depth > 0 && chain[0] == filter->contid;
		break;
	case CONTID_SUBTREE:
		for (unsigned int i = 0; i < depth && !match; i++)
			match = chain[i] == filter->contid;
		break;
	}
	return match != filter->negate;
}

bool canister_audit_key_is_plain(const char *key)
{
	/* As the kernel's audit_string_contains_control() decides. */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			return false;
	return key[0] != '\0';
}

int canister_audit_rule_sink_check(const struct canister_audit_rule *rule, char *why,
				   size_t why_len)
{
	const struct audit_rule_data *data = rule->data;

	if (rule->kind != CANISTER_RULE_KERNEL || !data) {
		snprintf(why, why_len, "a sink's rules add syscall rules only (-a always,exit)");
		return -EINVAL;
	}
	if (rule->list != AUDIT_FILTER_EXIT || rule->action != AUDIT_ALWAYS) {
		snprintf(why, why_len,
			 "a sink's rules are `-a always,exit` rules: other lists and never "
			 "would act on the host's events too");
		return -EINVAL;
	}
	if (!canister_audit_key_is_plain(rule->key)) {
		snprintf(why, why_len,
			 "a sink's rule needs one -k key of plain characters, by which its "
			 "events are recognised");
		return -EINVAL;
	}
	if (rule->contid.kind != CONTID_ANY) {
		snprintf(why, why_len, "-F contid: a sink's containers are given by the sink");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < data->field_count; i++) {
		uint32_t field = data->fields[i], op = data->fieldflags[i];

		if (field == AUDIT_FILTERKEY)
			continue;
		if ((field == AUDIT_ARCH || field == AUDIT_SUCCESS) &&
		    (op == AUDIT_EQUAL || op == AUDIT_NOT_EQUAL))
			continue;
		snprintf(why, why_len,
			 "-F %s: a sink's rules may use -S, -F arch, -F success (= or !=) and "
			 "-k only: canisterd must tell from the SYSCALL record alone whether an "
			 "event matches",
			 audit_field_to_name((int)field) ? audit_field_to_name((int)field) : "?");
		return -EINVAL;
	}
	return 0;
}

static bool field_holds(uint32_t op, uint32_t rule_value, uint32_t value)
{
	return op == AUDIT_EQUAL ? value == rule_value : value != rule_value;
}

bool canister_audit_rule_matches_syscall(const struct canister_audit_rule *rule, uint32_t arch,
					 unsigned int syscall, bool success)
{
	const struct audit_rule_data *data = rule->data;

	if (syscall >= AUDIT_BITMASK_SIZE * 32 ||
	    !(data->mask[AUDIT_WORD(syscall)] & AUDIT_BIT(syscall)))
		return false;
	for (uint32_t i = 0; i < data->field_count; i++) {
		uint32_t op = data->fieldflags[i];

		if (data->fields[i] == AUDIT_ARCH && !field_holds(op, data->values[i], arch))
			return false;
		/* As the kernel reads it: any value but 0 means success. */
		if (data->fields[i] == AUDIT_SUCCESS &&
		    !field_holds(op, data->values[i] != 0, success))
			return false;
	}
	return true;
}

/* Fields whose value is a string in the rule's buffer (values[] holds its length). */
static bool string_field(uint32_t field)
{
	switch (field) {
	case AUDIT_WATCH:
	case AUDIT_DIR:
	case AUDIT_FILTERKEY:
	case AUDIT_EXE:
	case AUDIT_SUBJ_USER:
	case AUDIT_SUBJ_ROLE:
	case AUDIT_SUBJ_TYPE:
	case AUDIT_SUBJ_SEN:
	case AUDIT_SUBJ_CLR:
	case AUDIT_OBJ_USER:
	case AUDIT_OBJ_ROLE:
	case AUDIT_OBJ_TYPE:
	case AUDIT_OBJ_LEV_LOW:
	case AUDIT_OBJ_LEV_HIGH:
		return true;
	}
	return false;
}

/* The @n-th field of @data that is not the key, with its string if it has one. */
static bool nth_selector(const struct audit_rule_data *data, uint32_t n, uint32_t *ret_field,
			 uint32_t *ret_op, uint32_t *ret_value, const char **ret_string)
{
	uint32_t offset = 0, seen = 0;

	for (uint32_t i = 0; i < data->field_count; i++) {
		bool is_string = string_field(data->fields[i]);

		if (data->fields[i] != AUDIT_FILTERKEY && seen++ == n) {
			*ret_field = data->fields[i];
			*ret_op = data->fieldflags[i];
			*ret_value = data->values[i];
			*ret_string = is_string ? data->buf + offset : NULL;
			return true;
		}
		if (is_string)
			offset += data->values[i];
	}
	return false;
}

bool canister_audit_rules_select_alike(const struct canister_audit_rule *a,
				       const struct canister_audit_rule *b)
{
	const struct audit_rule_data *x = a->data, *y = b->data;

	if (a->kind != CANISTER_RULE_KERNEL || b->kind != CANISTER_RULE_KERNEL || !x || !y ||
	    a->list != b->list || a->action != b->action ||
	    memcmp(x->mask, y->mask, sizeof(x->mask)) != 0)
		return false;
	for (uint32_t n = 0;; n++) {
		uint32_t xf, xo, xv, yf, yo, yv;
		const char *xs, *ys;
		bool more_x = nth_selector(x, n, &xf, &xo, &xv, &xs);
		bool more_y = nth_selector(y, n, &yf, &yo, &yv, &ys);

		if (!more_x || !more_y)
			return more_x == more_y;
		if (xf != yf || xo != yo || xv != yv || (xs && (!ys || memcmp(xs, ys, xv) != 0)))
			return false;
	}
}
