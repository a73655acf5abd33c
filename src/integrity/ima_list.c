// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: a container's IMA measurement list, written and read back in the kernel's formats. */
#include "integrity/ima_list.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void canister_ima_list_init(struct canister_ima_list *list)
{
	memset(list, 0, sizeof(*list));
}

void canister_ima_list_free(struct canister_ima_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->entries[i].data);
	free(list->entries);
	canister_ima_list_init(list);
}

static bool is_zero(const uint8_t *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (bytes[i])
			return false;
	return true;
}

/* Takes @data (malloc()ed) into a new last entry, extending @pcr; on error @data is the caller's.
 */
static int append(struct canister_ima_list *list, uint32_t pcr, enum canister_ima_template template,
		  uint8_t *data, uint32_t data_len, const struct canister_ima_digests *digests)
{
	struct canister_ima_entry *entry;
	struct canister_ima_pcrs pcrs = list->pcrs;
	int r;

	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 64;
		struct canister_ima_entry *entries;

		entries = reallocarray(list->entries, capacity, sizeof(*entries));
		if (!entries)
			return -ENOMEM;
		list->entries = entries;
		list->capacity = capacity;
	}
	r = canister_ima_pcrs_extend(&pcrs, pcr, digests);
	if (r < 0)
		return r;

	entry = &list->entries[list->count++];
	memset(entry, 0, sizeof(*entry));
	entry->pcr = pcr;
	entry->template = template;
	entry->violation = !digests;
	if (digests)
		entry->digests = *digests;
	entry->data = data;
	entry->data_len = data_len;
	list->pcrs = pcrs;
	if (!digests)
		list->violations++;
	return 0;
}

/* @event's template data (malloc()ed) and, unless a violation, its template digests. */
static int build(const struct canister_ima_event *event, uint8_t **ret_data, uint32_t *ret_len,
		 struct canister_ima_digests *ret_digests)
{
	int r;

	r = canister_ima_template_build(event, ret_data, ret_len);
	if (r < 0)
		return r;
	/* IMA does not hash a violation's template (ima_store_template()): it lists zeros. */
	if (event->digest) {
		r = canister_ima_template_digests(*ret_data, *ret_len, ret_digests);
		if (r < 0)
			free(*ret_data);
	}
	return r;
}

/* Whether a measurement (not a violation) with the sha1 template digest of @digests is listed. */
static bool listed(const struct canister_ima_list *list, const struct canister_ima_digests *digests)
{
	const unsigned int size = canister_ima_bank_size(CANISTER_IMA_BANK_SHA1);

	for (size_t i = 0; i < list->count; i++) {
		const struct canister_ima_entry *entry = &list->entries[i];

		if (!entry->violation && entry->pcr == CANISTER_IMA_PCR &&
		    memcmp(entry->digests.bank[CANISTER_IMA_BANK_SHA1],
			   digests->bank[CANISTER_IMA_BANK_SHA1], size) == 0)
			return true;
	}
	return false;
}

static int add(struct canister_ima_list *list, const struct canister_ima_event *event, bool once)
{
	struct canister_ima_digests digests;
	uint8_t *data;
	uint32_t len;
	int r;

	r = build(event, &data, &len, &digests);
	if (r < 0)
		return r;
	if (once && event->digest && listed(list, &digests))
		r = -EEXIST;
	else
		r = append(list, CANISTER_IMA_PCR, event->template, data, len,
			   event->digest ? &digests : NULL);
	if (r < 0)
		free(data);
	return r;
}

int canister_ima_list_add(struct canister_ima_list *list, const struct canister_ima_event *event)
{
	return add(list, event, false);
}

int canister_ima_list_add_once(struct canister_ima_list *list,
			       const struct canister_ima_event *event)
{
	return add(list, event, true);
}

static void put_u32(uint32_t value, FILE *out)
{
	fwrite(&value, sizeof(value), 1, out);
}

void canister_ima_list_write_binary(const struct canister_ima_list *list,
				    enum canister_ima_bank bank, FILE *out)
{
	canister_ima_list_write_binary_from(list, bank, 0, out);
}

void canister_ima_list_write_binary_from(const struct canister_ima_list *list,
					 enum canister_ima_bank bank, size_t from, FILE *out)
{
	for (size_t i = from; i < list->count; i++) {
		const struct canister_ima_entry *entry = &list->entries[i];
		const char *name = canister_ima_template_name(entry->template);

		put_u32(entry->pcr, out);
		fwrite(entry->digests.bank[bank], 1, canister_ima_bank_size(bank), out);
		put_u32((uint32_t)strlen(name), out);
		fputs(name, out);
		put_u32(entry->data_len, out);
		fwrite(entry->data, 1, entry->data_len, out);
	}
}

void canister_ima_list_write_ascii(const struct canister_ima_list *list,
				   enum canister_ima_bank bank, FILE *out)
{
	canister_ima_list_write_ascii_from(list, bank, 0, out);
}

void canister_ima_list_write_ascii_from(const struct canister_ima_list *list,
					enum canister_ima_bank bank, size_t from, FILE *out)
{
	for (size_t i = from; i < list->count; i++) {
		const struct canister_ima_entry *entry = &list->entries[i];
		struct canister_ima_fields fields;

		/* Entries are built or read back through the parser: this cannot fail. */
		if (canister_ima_template_parse(entry->template, entry->data, entry->data_len,
						&fields, NULL, 0) < 0)
			abort();
		fprintf(out, "%2" PRIu32 " ", entry->pcr);
		canister_ima_hex(entry->digests.bank[bank], canister_ima_bank_size(bank), out);
		fprintf(out, " %s", canister_ima_template_name(entry->template));
		canister_ima_template_print(entry->template, &fields, out);
		fputc('\n', out);
	}
}

void canister_ima_list_write_count(const struct canister_ima_list *list, FILE *out)
{
	fprintf(out, "%zu\n", list->count);
}

static int corrupt(char *why, size_t why_len, size_t entry, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int corrupt(char *why, size_t why_len, size_t entry, size_t offset, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (why && why_len)
		snprintf(why, why_len, "binary measurement list: entry %zu at offset %zu: %s",
			 entry, offset, reason);
	return -EINVAL;
}

/* One entry at @data + *offset, appended to @list; *offset moves past it. */
static int read_entry(const uint8_t *data, size_t len, size_t *offset, size_t entry_no,
		      enum canister_ima_bank bank, struct canister_ima_list *list, char *why,
		      size_t why_len)
{
	const size_t start = *offset, digest_size = canister_ima_bank_size(bank);
	const uint8_t *p = data + start, *listed, *name;
	size_t left = len - start;
	uint32_t pcr, name_len, data_len;
	enum canister_ima_template template;
	struct canister_ima_digests digests;
	struct canister_ima_fields fields;
	char reason[256], quoted[33];
	uint8_t *copy;
	int r;

	if (left < 4 + digest_size + 4)
		return corrupt(why, why_len, entry_no, start,
			       "truncated: %zu bytes left, an entry header takes %zu", left,
			       4 + digest_size + 4);
	memcpy(&pcr, p, 4);
	listed = p + 4;
	memcpy(&name_len, p + 4 + digest_size, 4);
	p += 4 + digest_size + 4;
	left -= 4 + digest_size + 4;
	if (pcr >= CANISTER_IMA_PCRS)
		return corrupt(why, why_len, entry_no, start, "PCR %" PRIu32 " is not below %d",
			       pcr, CANISTER_IMA_PCRS);
	if (name_len == 0 || name_len > CANISTER_IMA_TEMPLATE_NAME_MAX)
		return corrupt(why, why_len, entry_no, start,
			       "template name length %" PRIu32 " is not 1 to %d", name_len,
			       CANISTER_IMA_TEMPLATE_NAME_MAX);
	if (left < name_len + 4)
		return corrupt(why, why_len, entry_no, start,
			       "truncated: %zu bytes left for a template name of %" PRIu32
			       " and the data length",
			       left, name_len);
	name = p;
	if (canister_ima_template_by_name((const char *)name, name_len, &template) < 0)
		return corrupt(why, why_len, entry_no, start,
			       "template \"%s\" is not ima-ng or ima-sig",
			       canister_ima_printable((const char *)name, name_len, quoted,
						      sizeof(quoted)));
	memcpy(&data_len, p + name_len, 4);
	p += name_len + 4;
	left -= name_len + 4;
	if (data_len > CANISTER_IMA_TEMPLATE_DATA_MAX)
		return corrupt(why, why_len, entry_no, start,
			       "template data length %" PRIu32 " is more than %d", data_len,
			       CANISTER_IMA_TEMPLATE_DATA_MAX);
	if (left < data_len)
		return corrupt(why, why_len, entry_no, start,
			       "truncated: template data of %" PRIu32 " bytes, %zu left", data_len,
			       left);
	if (canister_ima_template_parse(template, p, data_len, &fields, reason, sizeof(reason)) < 0)
		return corrupt(why, why_len, entry_no, start, "%s", reason);

	/* Zeros are a violation (the kernel does not hash those); anything else must be the hash.
	 */
	if (!is_zero(listed, digest_size)) {
		r = canister_ima_template_digests(p, data_len, &digests);
		if (r < 0)
			return r;
		if (memcmp(digests.bank[bank], listed, digest_size) != 0)
			return corrupt(why, why_len, entry_no, start,
				       "%s template digest does not match its template data",
				       canister_ima_bank_name(bank));
	}
	copy = malloc(data_len ? data_len : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, p, data_len);
	r = append(list, pcr, template, copy, data_len,
		   is_zero(listed, digest_size) ? NULL : &digests);
	if (r < 0) {
		free(copy);
		return r;
	}
	*offset = (size_t)(p - data) + data_len;
	return 0;
}

int canister_ima_list_read_binary(const uint8_t *data, size_t len, enum canister_ima_bank bank,
				  struct canister_ima_list *ret_list, char *why, size_t why_len)
{
	struct canister_ima_list list;
	size_t offset = 0;
	int r;

	if (!canister_ima_bank_name(bank))
		return -EINVAL;
	canister_ima_list_init(&list);
	while (offset < len) {
		r = read_entry(data, len, &offset, list.count + 1, bank, &list, why, why_len);
		if (r < 0) {
			canister_ima_list_free(&list);
			return r;
		}
	}
	*ret_list = list;
	return 0;
}
