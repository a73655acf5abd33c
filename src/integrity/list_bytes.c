// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the bytes of a list's published files, grown by each new entry, never reformatted. */
#include "integrity/list_bytes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	bool ascii;
	enum canister_ima_bank bank;
} formats[LIST_BYTES_FILES] = {
	[LIST_BYTES_BINARY_SHA1] = { false, CANISTER_IMA_BANK_SHA1 },
	[LIST_BYTES_BINARY_SHA256] = { false, CANISTER_IMA_BANK_SHA256 },
	[LIST_BYTES_ASCII_SHA1] = { true, CANISTER_IMA_BANK_SHA1 },
	[LIST_BYTES_ASCII_SHA256] = { true, CANISTER_IMA_BANK_SHA256 },
};

void list_bytes_init(struct list_bytes *bytes)
{
	memset(bytes, 0, sizeof(*bytes));
}

void list_bytes_free(struct list_bytes *bytes)
{
	for (size_t i = 0; i < LIST_BYTES_FILES; i++)
		free(bytes->file[i].data);
	list_bytes_init(bytes);
}

void list_bytes_forget(struct list_bytes *bytes)
{
	for (size_t i = 0; i < LIST_BYTES_FILES; i++)
		bytes->file[i].len = 0;
	bytes->entries = 0;
}

static int append(struct list_bytes *bytes, size_t i, const char *data, size_t len)
{
	size_t need = bytes->file[i].len + len;

	if (need > bytes->file[i].cap) {
		size_t cap = bytes->file[i].cap ? bytes->file[i].cap : 4096;
		char *bigger;

		while (cap < need)
			cap *= 2;
		bigger = realloc(bytes->file[i].data, cap);
		if (!bigger)
			return -ENOMEM;
		bytes->file[i].data = bigger;
		bytes->file[i].cap = cap;
	}
	memcpy(bytes->file[i].data + bytes->file[i].len, data, len);
	bytes->file[i].len = need;
	return 0;
}

/* The entries from @from on, in file @i's format, appended to its bytes. */
static int format_new(struct list_bytes *bytes, size_t i, const struct canister_ima_list *list,
		      size_t from)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int r;

	out = open_memstream(&text, &len);
	if (!out)
		return -ENOMEM;
	if (formats[i].ascii)
		canister_ima_list_write_ascii_from(list, formats[i].bank, from, out);
	else
		canister_ima_list_write_binary_from(list, formats[i].bank, from, out);
	r = ferror(out) ? -ENOMEM : 0;
	if (fclose(out) != 0)
		r = -ENOMEM;
	if (r == 0)
		r = append(bytes, i, text, len);
	free(text);
	return r;
}

int list_bytes_update(struct list_bytes *bytes, const struct canister_ima_list *list)
{
	size_t from;

	if (bytes->entries > list->count)
		list_bytes_forget(bytes);
	from = bytes->entries;
	if (from == list->count)
		return 0;
	for (size_t i = 0; i < LIST_BYTES_FILES; i++) {
		int r = format_new(bytes, i, list, from);

		if (r < 0) {
			list_bytes_forget(bytes);
			return r;
		}
		bytes->formatted += list->count - from;
	}
	bytes->entries = list->count;
	return 0;
}
