// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the record of what canisterd pinned, and the check of the pins against it (pure). */
#include "core/pin_record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_word(uint32_t kind)
{
	return kind == PIN_MAP ? "map" : kind == PIN_LINK ? "link" : NULL;
}

static bool name_ok(const char *name)
{
	if (!name[0])
		return false;
	for (const char *p = name; *p; p++)
		if (*p == ':' || *p <= ' ' || *p > '~')
			return false;
	return true;
}

int pin_record_format(const struct pin_entry *entries, size_t count, char *buf, size_t len)
{
	size_t used;
	int n;

	if (len > PIN_RECORD_MAX)
		len = PIN_RECORD_MAX;
	n = snprintf(buf, len, "%s", PIN_RECORD_VERSION);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	used = (size_t)n;
	for (size_t i = 0; i < count; i++) {
		const char *kind = kind_word(entries[i].kind);

		if (!kind || !name_ok(entries[i].name))
			return -EINVAL;
		n = snprintf(buf + used, len - used, " %s:%s:%u", kind, entries[i].name,
			     entries[i].id);
		if (n < 0 || (size_t)n >= len - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	return (int)used;
}

static const struct pin_entry *find(const struct pin_entry *entries, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(entries[i].name, name) == 0)
			return &entries[i];
	return NULL;
}

static int parse_entry(const char *word, size_t word_len, struct pin_entry *ret)
{
	char copy[PIN_NAME_MAX + 32], *name, *id, *end;
	unsigned long value;

	if (word_len >= sizeof(copy))
		return -EINVAL;
	memcpy(copy, word, word_len);
	copy[word_len] = '\0';
	name = strchr(copy, ':');
	id = name ? strchr(name + 1, ':') : NULL;
	if (!id)
		return -EINVAL;
	*name++ = '\0';
	*id++ = '\0';
	if (strcmp(copy, "map") == 0)
		ret->kind = PIN_MAP;
	else if (strcmp(copy, "link") == 0)
		ret->kind = PIN_LINK;
	else
		return -EINVAL;
	if (strlen(name) >= sizeof(ret->name) || !name_ok(name))
		return -EINVAL;
	if (*id < '0' || *id > '9')
		return -EINVAL;
	errno = 0;
	value = strtoul(id, &end, 10);
	if (errno || *end || value == 0 || value > UINT32_MAX)
		return -EINVAL;
	snprintf(ret->name, sizeof(ret->name), "%s", name);
	ret->id = (uint32_t)value;
	return 0;
}

size_t pin_record_parts(size_t len)
{
	return len ? (len + PIN_RECORD_PART - 1) / PIN_RECORD_PART : 1;
}

int pin_record_join(const char *const *parts, const size_t *lens, size_t count, char *buf,
		    size_t len, char *why, size_t why_len)
{
	size_t present = 0, total = 0, at = 0;

	if (count == 0 || !parts[0]) {
		snprintf(why, why_len, "there is no record");
		return -ENOENT;
	}
	/* Checked whole before @buf is written: a refused record leaves it as it was. */
	for (size_t i = 0; i < count; i++) {
		if (!parts[i])
			continue;
		if (i >= PIN_RECORD_PARTS) {
			snprintf(why, why_len, "the record has more than %d parts",
				 PIN_RECORD_PARTS);
			return -EINVAL;
		}
		if (present != i) {
			snprintf(why, why_len,
				 "part %zu of the record is missing, but part %zu is there",
				 present + 1, i + 1);
			return -EINVAL;
		}
		if (lens[i] > PIN_RECORD_PART || memchr(parts[i], '\0', lens[i])) {
			snprintf(why, why_len,
				 "part %zu of the record is not a part canisterd wrote", i + 1);
			return -EINVAL;
		}
		present = i + 1;
		total += lens[i];
	}
	for (size_t i = 0; i + 1 < present; i++) {
		if (lens[i] != PIN_RECORD_PART) {
			snprintf(why, why_len,
				 "part %zu of the record holds %zu bytes, not %d: a part after it "
				 "is left from another record, or the part was cut",
				 i + 1, lens[i], PIN_RECORD_PART);
			return -EINVAL;
		}
	}
	if (total >= len) {
		snprintf(why, why_len, "the record's %zu bytes do not fit in %zu", total, len);
		return -ENOSPC;
	}
	for (size_t i = 0; i < present; i++) {
		memcpy(buf + at, parts[i], lens[i]);
		at += lens[i];
	}
	buf[at] = '\0';
	return (int)at;
}

int pin_record_parse(const char *text, struct pin_entry *ret_entries, size_t max)
{
	size_t version_len = strlen(PIN_RECORD_VERSION), count = 0;
	const char *p = text;

	if (strncmp(p, PIN_RECORD_VERSION, version_len) != 0 ||
	    (p[version_len] != ' ' && p[version_len] != '\0'))
		return -EINVAL;
	p += version_len;
	while (*p) {
		size_t word_len;
		int r;

		if (*p++ != ' ' || *p == ' ' || *p == '\0')
			return -EINVAL;
		word_len = strcspn(p, " ");
		if (count == max)
			return -E2BIG;
		r = parse_entry(p, word_len, &ret_entries[count]);
		if (r < 0)
			return r;
		if (find(ret_entries, count, ret_entries[count].name))
			return -EINVAL;
		count++;
		p += word_len;
	}
	return (int)count;
}

int pin_record_check(const struct pin_state *state, char *why, size_t why_len)
{
	/* The links' programs were loaded with the maps canisterd had: they name them by id. */
	for (size_t i = 0; i < state->use_count; i++) {
		const struct pin_use *use = &state->uses[i];
		const struct pin_entry *pin = find(state->pinned, state->pinned_count, use->map);

		if (pin && pin->kind == PIN_MAP && pin->id != use->map_id) {
			snprintf(why, why_len,
				 "the pin %s holds map id %u, but the pinned program %s uses its "
				 "map %s with id %u: the pin was replaced",
				 pin->name, pin->id, use->link, use->map, use->map_id);
			return -EEXIST;
		}
	}
	if (!state->record)
		return 0;

	for (size_t i = 0; i < state->pinned_count; i++) {
		const struct pin_entry *pin = &state->pinned[i];
		const struct pin_entry *mine = find(state->record, state->record_count, pin->name);

		if (!mine) {
			snprintf(why, why_len,
				 "%s (%s id %u) is pinned, but canisterd did not pin it", pin->name,
				 kind_word(pin->kind), pin->id);
			return -EEXIST;
		}
		if (mine->kind != pin->kind || mine->id != pin->id) {
			snprintf(why, why_len,
				 "the pin %s holds %s id %u, but canisterd pinned %s id %u there: "
				 "it was replaced",
				 pin->name, kind_word(pin->kind), pin->id, kind_word(mine->kind),
				 mine->id);
			return -EEXIST;
		}
	}
	for (size_t i = 0; i < state->record_count; i++) {
		const struct pin_entry *mine = &state->record[i];

		if (!find(state->pinned, state->pinned_count, mine->name)) {
			snprintf(why, why_len,
				 "canisterd pinned %s (%s id %u), but the pin is gone", mine->name,
				 kind_word(mine->kind), mine->id);
			return -ENOENT;
		}
	}
	return 0;
}
