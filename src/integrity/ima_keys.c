// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: appraisal keys, X.509 certificates with the 4-byte key id IMA's signatures name. */
#include "integrity/ima_keys.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define PEM_BEGIN "-----BEGIN "
#define PEM_END "-----END "

__attribute__((format(printf, 4, 5))) static int refuse(char *why, size_t why_len,
							const char *source, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, why_len, "%s: ", source);

	if (n >= 0 && (size_t)n < why_len) {
		va_start(ap, fmt);
		vsnprintf(why + n, why_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	/* Nothing OpenSSL queued on the way may be blamed on a later call. */
	ERR_clear_error();
	return -EINVAL;
}

static bool only_space(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace(p[i]))
			return false;
	return true;
}

static const uint8_t *find(const uint8_t *p, size_t len, const char *what)
{
	size_t n = strlen(what);

	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (memcmp(p + i, what, n) == 0)
			return p + i;
	return NULL;
}

static X509 *der_certificate(const uint8_t *der, size_t len, const char *source, char *why,
			     size_t why_len)
{
	const unsigned char *p = der;
	X509 *cert;

	if (len > CANISTER_IMA_KEY_FILE_MAX) {
		refuse(why, why_len, source, "%zu bytes, more than a certificate (%d)", len,
		       CANISTER_IMA_KEY_FILE_MAX);
		return NULL;
	}
	cert = d2i_X509(NULL, &p, (long)len);
	if (!cert) {
		refuse(why, why_len, source, "not an X.509 certificate (neither DER nor PEM)");
		return NULL;
	}
	if (p != der + len) {
		refuse(why, why_len, source, "%zu bytes after the certificate",
		       len - (size_t)(p - der));
		X509_free(cert);
		return NULL;
	}
	return cert;
}

/* PEM: one CERTIFICATE block, nothing but white space around it. */
static X509 *pem_certificate(const uint8_t *data, size_t len, const char *source, char *why,
			     size_t why_len)
{
	const uint8_t *begin = find(data, len, PEM_BEGIN), *end, *line_end;
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long der_len = 0;
	X509 *cert = NULL;
	BIO *bio;

	end = find(begin, len - (size_t)(begin - data), PEM_END);
	line_end = end ? find(end + strlen(PEM_END), len - (size_t)(end - data) - strlen(PEM_END),
			      "-----")
		       : NULL;
	if (!line_end) {
		refuse(why, why_len, source, "a PEM block without its END line");
		return NULL;
	}
	line_end += strlen("-----");
	if (!only_space(line_end, len - (size_t)(line_end - data))) {
		if (find(line_end, len - (size_t)(line_end - data), PEM_BEGIN))
			refuse(why, why_len, source,
			       "more than one PEM block: a file holds one certificate");
		else
			refuse(why, why_len, source, "text after the PEM block");
		return NULL;
	}
	bio = BIO_new_mem_buf(data, (int)len);
	if (!bio) {
		refuse(why, why_len, source, "out of memory");
		return NULL;
	}
	if (!PEM_read_bio(bio, &name, &header, &der, &der_len))
		refuse(why, why_len, source, "the PEM block does not decode");
	else if (strcmp(name, "CERTIFICATE") != 0)
		refuse(why, why_len, source, "a PEM \"%.40s\", not a CERTIFICATE%s", name,
		       strstr(name, "PRIVATE") ? " (never give canister a private key)" : "");
	else if (header && *header)
		refuse(why, why_len, source, "a PEM certificate with headers");
	else
		cert = der_certificate(der, (size_t)der_len, source, why, why_len);
	BIO_free(bio);
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(der);
	return cert;
}

/* "RSA 2048", "ECDSA P-256", or 0 and a refusal. */
static int describe_key(EVP_PKEY *pkey, const char *source, char *out, size_t out_len, char *why,
			size_t why_len)
{
	char group[64] = "";
	int bits = EVP_PKEY_get_bits(pkey);

	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		if (bits < CANISTER_IMA_RSA_MIN_BITS)
			return refuse(why, why_len, source,
				      "an RSA key of %d bits is too short (at least %d)", bits,
				      CANISTER_IMA_RSA_MIN_BITS);
		snprintf(out, out_len, "RSA %d", bits);
		return 0;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
						    sizeof(group), NULL))
			return refuse(why, why_len, source, "an EC key without a named curve");
		if (strcmp(group, "prime256v1") == 0)
			snprintf(out, out_len, "ECDSA P-256");
		else if (strcmp(group, "secp384r1") == 0)
			snprintf(out, out_len, "ECDSA P-384");
		else
			return refuse(why, why_len, source,
				      "an EC key on curve %s is not taken (P-256, P-384)", group);
		return 0;
	case EVP_PKEY_RSA_PSS:
		return refuse(why, why_len, source,
			      "an RSA-PSS key is not taken: IMA's RSA signatures are PKCS#1 v1.5");
	default:
		return refuse(why, why_len, source,
			      "a key of type %s is not taken (RSA, ECDSA P-256 and P-384)",
			      EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey)
							    : "unknown");
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int key_id(X509 *cert, const char *source, struct canister_ima_key *key, char *why,
		  size_t why_len)
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(cert);
	const ASN1_BIT_STRING *bits;
	uint8_t sha1[20];
	unsigned int sha1_len = 0;

	if (skid) {
		/* The kernel matches the id against the tail of the key's ids; 4 bytes need 4. */
		if (ASN1_STRING_length(skid) < 4)
			return refuse(
				why, why_len, source,
				"a subject key identifier of %d bytes: IMA's key id is its last 4",
				ASN1_STRING_length(skid));
		key->keyid = be32(ASN1_STRING_get0_data(skid) + ASN1_STRING_length(skid) - 4);
		key->keyid_source = CANISTER_IMA_KEY_ID_SKID;
		return 0;
	}
	bits = X509_get0_pubkey_bitstr(cert);
	if (!bits ||
	    !EVP_Digest(ASN1_STRING_get0_data(bits), (size_t)ASN1_STRING_length(bits), sha1,
			&sha1_len, EVP_sha1(), NULL) ||
	    sha1_len != sizeof(sha1))
		return refuse(why, why_len, source, "cannot hash the public key");
	key->keyid = be32(sha1 + 16);
	key->keyid_source = CANISTER_IMA_KEY_ID_PUBLIC_KEY;
	return 0;
}

static void subject_line(X509 *cert, char *out, size_t out_len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int n = 0;

	out[0] = '\0';
	if (!bio)
		return;
	if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0)
		n = BIO_read(bio, out, (int)out_len - 1);
	out[n > 0 ? n : 0] = '\0';
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	BIO_free(bio);
}

int canister_ima_key_parse(const uint8_t *data, size_t len, const char *source,
			   struct canister_ima_key *ret_key, char *why, size_t why_len)
{
	struct canister_ima_key key = { 0 };
	size_t lead = 0;
	uint32_t flags;
	X509 *cert;
	int r;

	while (lead < len && isspace(data[lead]))
		lead++;
	if (len - lead >= strlen(PEM_BEGIN) &&
	    memcmp(data + lead, PEM_BEGIN, strlen(PEM_BEGIN)) == 0)
		cert = pem_certificate(data, len, source, why, why_len);
	else
		cert = der_certificate(data, len, source, why, why_len);
	if (!cert)
		return -EINVAL;

	flags = X509_get_extension_flags(cert);
	if (flags & EXFLAG_INVALID) {
		r = refuse(why, why_len, source, "the certificate's extensions do not parse");
		goto out;
	}
	/* A certificate that states its uses and leaves out signing was not meant to sign files. */
	if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage(cert) & KU_DIGITAL_SIGNATURE)) {
		r = refuse(why, why_len, source,
			   "the key usage excludes digitalSignature: not a key for signing files");
		goto out;
	}
	key.pkey = X509_get_pubkey(cert);
	if (!key.pkey) {
		r = refuse(why, why_len, source, "the public key does not parse");
		goto out;
	}
	r = describe_key(key.pkey, source, key.description, sizeof(key.description), why, why_len);
	if (r == 0)
		r = key_id(cert, source, &key, why, why_len);
	if (r == 0)
		subject_line(cert, key.subject, sizeof(key.subject));
out:
	X509_free(cert);
	if (r < 0) {
		canister_ima_key_clear(&key);
		return r;
	}
	*ret_key = key;
	return 0;
}

void canister_ima_key_clear(struct canister_ima_key *key)
{
	EVP_PKEY_free(key->pkey);
	*key = (struct canister_ima_key){ 0 };
}

int canister_ima_keyring_add(struct canister_ima_keyring *ring, struct canister_ima_key *key)
{
	struct canister_ima_key *keys;

	if (canister_ima_keyring_find(ring, key->keyid))
		return -EEXIST;
	if (ring->count >= CANISTER_IMA_KEYRING_MAX)
		return -ENOSPC;
	keys = realloc(ring->keys, (ring->count + 1) * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	keys[ring->count++] = *key;
	ring->keys = keys;
	*key = (struct canister_ima_key){ 0 };
	return 0;
}

const struct canister_ima_key *canister_ima_keyring_find(const struct canister_ima_keyring *ring,
							 uint32_t keyid)
{
	for (size_t i = 0; i < ring->count; i++)
		if (ring->keys[i].keyid == keyid)
			return &ring->keys[i];
	return NULL;
}

int canister_ima_keyring_remove(struct canister_ima_keyring *ring, uint32_t keyid)
{
	for (size_t i = 0; i < ring->count; i++) {
		if (ring->keys[i].keyid != keyid)
			continue;
		canister_ima_key_clear(&ring->keys[i]);
		memmove(&ring->keys[i], &ring->keys[i + 1],
			(ring->count - i - 1) * sizeof(ring->keys[0]));
		ring->count--;
		return 0;
	}
	return -ENOENT;
}

void canister_ima_keyring_free(struct canister_ima_keyring *ring)
{
	for (size_t i = 0; i < ring->count; i++)
		canister_ima_key_clear(&ring->keys[i]);
	free(ring->keys);
	*ring = (struct canister_ima_keyring){ 0 };
}
