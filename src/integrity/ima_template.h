/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: IMA's ima-ng and ima-sig template data, byte for byte as the kernel builds and prints
 * it. */
#ifndef CANISTER_INTEGRITY_IMA_TEMPLATE_H
#define CANISTER_INTEGRITY_IMA_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The largest digest a d-ng field holds (sha512). */
#define CANISTER_IMA_DIGEST_MAX 64
/* The longest name the kernel's d_path() gives: PATH_MAX less its NUL. */
#define CANISTER_IMA_PATH_MAX 4095
/* The largest security.ima value (XATTR_SIZE_MAX), hence the largest sig field. */
#define CANISTER_IMA_SIG_MAX 65536
/* The longest hash algorithm name IMA writes ("sha512"; room for "streebog512"). */
#define CANISTER_IMA_ALGO_NAME_MAX 15
/* The largest template data of an entry canister writes or reads back. */
#define CANISTER_IMA_TEMPLATE_DATA_MAX                                      \
	(3 * 4 + CANISTER_IMA_ALGO_NAME_MAX + 2 + CANISTER_IMA_DIGEST_MAX + \
	 CANISTER_IMA_PATH_MAX + 1 + CANISTER_IMA_SIG_MAX)

enum canister_ima_template {
	CANISTER_IMA_TEMPLATE_NG,  /* "ima-ng": d-ng|n-ng */
	CANISTER_IMA_TEMPLATE_SIG, /* "ima-sig": d-ng|n-ng|sig */
};

/* A file digest algorithm as IMA names it in d-ng (the kernel's hash_algo_name[]). */
struct canister_ima_hash_algo {
	const char *name;
	unsigned int size;
};

/*
 * What one measurement records, before IMA's encoding.  A violation has no
 * digest: IMA writes zeros of @algo's size in its place.
 */
struct canister_ima_event {
	enum canister_ima_template template;
	const char *algo;      /* "sha256" */
	const uint8_t *digest; /* @algo's size; NULL for a violation */
	const char *path;      /* as the kernel names the file; spaces become '_' */
	const uint8_t *sig;    /* ima-sig: security.ima holding a signature, or NULL */
	size_t sig_len;
};

/* The fields of one entry's template data; pointers into that data. */
struct canister_ima_fields {
	const char *algo; /* not NUL-terminated: ends before the ':' */
	size_t algo_len;
	const uint8_t *digest;
	unsigned int digest_len;
	const char *path; /* NUL-terminated in the data */
	size_t path_len;  /* without the NUL */
	const uint8_t *sig;
	uint32_t sig_len; /* 0: no signature (always for ima-ng) */
};

/* canister_ima_hash_algo_find() - the algorithm named by the @len bytes at @name, or NULL. */
const struct canister_ima_hash_algo *canister_ima_hash_algo_find(const char *name, size_t len);

/* canister_ima_template_name() - "ima-ng" or "ima-sig". */
const char *canister_ima_template_name(enum canister_ima_template template);

/*
 * canister_ima_template_by_name() - the template named by the @len bytes at
 * @name.  Returns 0, or -ENOENT for any other name (IMA's "ima", "ima-buf",
 * custom formats: canister neither writes nor reads them).
 */
int canister_ima_template_by_name(const char *name, size_t len,
				  enum canister_ima_template *ret_template);

/*
 * canister_ima_template_build() - @event's template data as the kernel keeps
 * it and writes it into binary_runtime_measurements: for each field a u32
 * length in native byte order, then the field.  d-ng is "ALGO:" NUL DIGEST,
 * n-ng the path (spaces as '_') and its NUL, sig the signature or nothing.
 *
 * Returns 0 with a malloc()ed buffer in *ret_data, or:
 *   -EINVAL        an unknown template or algorithm, no path or an empty
 *                  one, or a signature on an ima-ng event: nothing the
 *                  kernel would write
 *   -ENAMETOOLONG  the path is longer than CANISTER_IMA_PATH_MAX
 *   -E2BIG         the signature is longer than CANISTER_IMA_SIG_MAX
 *   -ENOMEM
 */
int canister_ima_template_build(const struct canister_ima_event *event, uint8_t **ret_data,
				uint32_t *ret_len);

/*
 * canister_ima_template_parse() - the fields of @template's data @data (@len
 * bytes).  Strict: exactly the template's fields, each length within the
 * data, d-ng as "ALGO:" NUL and a digest of ALGO's size, n-ng one
 * NUL-terminated name without other NULs.  Returns 0, or -EINVAL with a
 * reason in @why ("d-ng field: ...", offsets relative to @data).
 */
int canister_ima_template_parse(enum canister_ima_template template, const uint8_t *data,
				uint32_t len, struct canister_ima_fields *ret_fields, char *why,
				size_t why_len);

/*
 * canister_ima_template_print() - the fields as ascii_runtime_measurements
 * shows them: each preceded by one space, an empty field (ima-sig without a
 * signature) by its space alone; d-ng as "ALGO:" and lowercase hex, n-ng as
 * the name, sig as hex.  @fields comes from canister_ima_template_parse().
 */
void canister_ima_template_print(enum canister_ima_template template,
				 const struct canister_ima_fields *fields, FILE *out);

/*
 * canister_ima_printable() - at most @out_size - 1 of the @len bytes at @text,
 * NUL-terminated in @out, each byte outside printable ASCII as '?': a name
 * from an untrusted list quoted in a one-line reason.
 */
const char *canister_ima_printable(const char *text, size_t len, char *out, size_t out_size);

/* canister_ima_hex() - @len bytes at @bytes as lowercase hex, as the kernel's ima_print_digest().
 */
void canister_ima_hex(const uint8_t *bytes, size_t len, FILE *out);

#endif
