// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: IMA's ima-ng and ima-sig template data, byte for byte as the kernel builds and prints
 * it. */
#include "integrity/ima_template.h"

#include "lib/why.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The kernel's hash_algo_name[] entries a d-ng field may carry, with their sizes. */
static const struct canister_ima_hash_algo hash_algos[] = {
	{ "md5", 16 },	  { "sha1", 20 },   { "sha224", 28 }, { "sha256", 32 },
	{ "sha384", 48 }, { "sha512", 64 }, { "sm3", 32 },
};

static const char *const template_names[] = {
	[CANISTER_IMA_TEMPLATE_NG] = "ima-ng",
	[CANISTER_IMA_TEMPLATE_SIG] = "ima-sig",
};

const struct canister_ima_hash_algo *canister_ima_hash_algo_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(hash_algos) / sizeof(hash_algos[0]); i++)
		if (strlen(hash_algos[i].name) == len && memcmp(hash_algos[i].name, name, len) == 0)
			return &hash_algos[i];
	return NULL;
}

const char *canister_ima_template_name(enum canister_ima_template template)
{
	if ((unsigned int)template >= sizeof(template_names) / sizeof(template_names[0]))
		return NULL;
	return template_names[template];
}

int canister_ima_template_by_name(const char *name, size_t len,
				  enum canister_ima_template *ret_template)
{
	for (size_t i = 0; i < sizeof(template_names) / sizeof(template_names[0]); i++) {
		if (strlen(template_names[i]) == len && memcmp(template_names[i], name, len) == 0) {
			*ret_template = (enum canister_ima_template)i;
			return 0;
		}
	}
	return -ENOENT;
}

/* IMA's field lengths are u32 in the CPU's order (ima_canonical_fmt aside: little endian). */
static uint8_t *put_field(uint8_t *p, const void *data, uint32_t len)
{
	memcpy(p, &len, sizeof(len));
	p += sizeof(len);
	if (len)
		memcpy(p, data, len);
	return p + len;
}

int canister_ima_template_build(const struct canister_ima_event *event, uint8_t **ret_data,
				uint32_t *ret_len)
{
	const struct canister_ima_hash_algo *algo;
	uint8_t digest_field[CANISTER_IMA_ALGO_NAME_MAX + 2 + CANISTER_IMA_DIGEST_MAX] = { 0 };
	size_t name_len, algo_len, digest_field_len, total;
	uint8_t *data, *p, *name;

	if (!canister_ima_template_name(event->template) || !event->algo || !event->path)
		return -EINVAL;
	algo_len = strlen(event->algo);
	algo = canister_ima_hash_algo_find(event->algo, algo_len);
	if (!algo)
		return -EINVAL;
	name_len = strlen(event->path);
	if (name_len == 0)
		return -EINVAL;
	if (name_len > CANISTER_IMA_PATH_MAX)
		return -ENAMETOOLONG;
	if (event->sig && event->sig_len && event->template != CANISTER_IMA_TEMPLATE_SIG)
		return -EINVAL;
	if (event->sig && event->sig_len > CANISTER_IMA_SIG_MAX)
		return -E2BIG;

	/*
	 * "ALGO:" then a NUL, so that a reader of the binary list finds the
	 * algorithm as a C string; a violation keeps zeros of the algorithm's
	 * full size (since 5.10; older kernels left 20 bytes).
	 */
	memcpy(digest_field, event->algo, algo_len);
	digest_field[algo_len] = ':';
	if (event->digest)
		memcpy(digest_field + algo_len + 2, event->digest, algo->size);
	digest_field_len = algo_len + 2 + algo->size;

	total = 4 + digest_field_len + 4 + name_len + 1;
	if (event->template == CANISTER_IMA_TEMPLATE_SIG)
		total += 4 + (event->sig ? event->sig_len : 0);
	data = malloc(total);
	if (!data)
		return -ENOMEM;

	p = put_field(data, digest_field, (uint32_t)digest_field_len);
	name = p + 4;
	p = put_field(p, event->path, (uint32_t)(name_len + 1));
	/*
	 * The kernel turns spaces into '_' so that the ascii list, whose fields
	 * are space-separated, stays parseable; the template hash covers the
	 * replaced name, so the binary list must hold it too.
	 */
	for (size_t i = 0; i < name_len; i++)
		if (name[i] == ' ')
			name[i] = '_';
	if (event->template == CANISTER_IMA_TEMPLATE_SIG)
		p = put_field(p, event->sig, event->sig ? (uint32_t)event->sig_len : 0);

	*ret_data = data;
	*ret_len = (uint32_t)(p - data);
	return 0;
}

/* Takes the next length-prefixed field of @data; false when it does not fit. */
static bool take_field(const uint8_t *data, uint32_t len, uint32_t *offset,
		       const uint8_t **ret_field, uint32_t *ret_field_len)
{
	uint32_t field_len;

	if (len - *offset < sizeof(field_len))
		return false;
	memcpy(&field_len, data + *offset, sizeof(field_len));
	if (len - *offset - sizeof(field_len) < field_len)
		return false;
	*ret_field = data + *offset + sizeof(field_len);
	*ret_field_len = field_len;
	*offset += sizeof(field_len) + field_len;
	return true;
}

static int parse_digest_field(const uint8_t *field, uint32_t field_len,
			      struct canister_ima_fields *fields, char *why, size_t why_len)
{
	const struct canister_ima_hash_algo *algo;
	const uint8_t *colon = memchr(field, ':', field_len);
	char quoted[CANISTER_IMA_ALGO_NAME_MAX + 1];
	size_t algo_len;

	if (!colon || (uint32_t)(colon - field) + 2 > field_len || colon[1] != '\0')
		return canister_refuse(why, why_len, -EINVAL,
				       "d-ng field: no \"ALGO:\" and NUL before the digest");
	algo_len = (size_t)(colon - field);
	algo = canister_ima_hash_algo_find((const char *)field, algo_len);
	if (!algo)
		return canister_refuse(why, why_len, -EINVAL,
				       "d-ng field: unknown hash algorithm \"%s\"",
				       canister_ima_printable((const char *)field, algo_len, quoted,
							      sizeof(quoted)));
	if (field_len - algo_len - 2 != algo->size)
		return canister_refuse(
			why, why_len, -EINVAL, "d-ng field: %u digest bytes for %s, which has %u",
			(unsigned int)(field_len - algo_len - 2), algo->name, algo->size);
	fields->algo = (const char *)field;
	fields->algo_len = algo_len;
	fields->digest = colon + 2;
	fields->digest_len = algo->size;
	return 0;
}

int canister_ima_template_parse(enum canister_ima_template template, const uint8_t *data,
				uint32_t len, struct canister_ima_fields *ret_fields, char *why,
				size_t why_len)
{
	struct canister_ima_fields fields = { 0 };
	const uint8_t *field;
	uint32_t offset = 0, field_len, name_at;
	int r;

	if (!canister_ima_template_name(template))
		return canister_refuse(why, why_len, -EINVAL, "unknown template");
	if (!take_field(data, len, &offset, &field, &field_len))
		return canister_refuse(why, why_len, -EINVAL,
				       "d-ng field at offset 0 runs past the template data");
	r = parse_digest_field(field, field_len, &fields, why, why_len);
	if (r < 0)
		return r;

	name_at = offset;
	if (!take_field(data, len, &offset, &field, &field_len))
		return canister_refuse(why, why_len, -EINVAL,
				       "n-ng field at offset %u runs past the template data",
				       name_at);
	if (field_len < 2 || field[field_len - 1] != '\0' ||
	    memchr(field, '\0', field_len - 1) != NULL)
		return canister_refuse(why, why_len, -EINVAL,
				       "n-ng field: not one non-empty NUL-terminated name");
	if (field_len - 1 > CANISTER_IMA_PATH_MAX)
		return canister_refuse(why, why_len, -EINVAL,
				       "n-ng field: name longer than %u bytes",
				       CANISTER_IMA_PATH_MAX);
	fields.path = (const char *)field;
	fields.path_len = field_len - 1;

	if (template == CANISTER_IMA_TEMPLATE_SIG) {
		uint32_t sig_at = offset;

		if (!take_field(data, len, &offset, &field, &field_len))
			return canister_refuse(why, why_len, -EINVAL,
					       "sig field at offset %u runs past the template data",
					       sig_at);
		if (field_len > CANISTER_IMA_SIG_MAX)
			return canister_refuse(why, why_len, -EINVAL,
					       "sig field: %u bytes, more than %u", field_len,
					       CANISTER_IMA_SIG_MAX);
		fields.sig = field_len ? field : NULL;
		fields.sig_len = field_len;
	}
	if (offset != len)
		return canister_refuse(why, why_len, -EINVAL, "%u bytes after the %s fields",
				       len - offset, canister_ima_template_name(template));
	*ret_fields = fields;
	return 0;
}

const char *canister_ima_printable(const char *text, size_t len, char *out, size_t out_size)
{
	size_t i;

	for (i = 0; i < len && i + 1 < out_size; i++)
		out[i] = text[i] >= 0x20 && text[i] <= 0x7e ? text[i] : '?';
	out[i] = '\0';
	return out;
}

void canister_ima_hex(const uint8_t *bytes, size_t len, FILE *out)
{
	for (size_t i = 0; i < len; i++)
		fprintf(out, "%02x", bytes[i]);
}

void canister_ima_template_print(enum canister_ima_template template,
				 const struct canister_ima_fields *fields, FILE *out)
{
	/* The kernel prints the algorithm with its ':' (the string before the NUL). */
	fputc(' ', out);
	fwrite(fields->algo, 1, fields->algo_len, out);
	fputc(':', out);
	canister_ima_hex(fields->digest, fields->digest_len, out);
	fputc(' ', out);
	fwrite(fields->path, 1, fields->path_len, out);
	if (template == CANISTER_IMA_TEMPLATE_SIG) {
		/* An empty field still gets its separator: ima-sig lines end in a space. */
		fputc(' ', out);
		canister_ima_hex(fields->sig, fields->sig_len, out);
	}
}
