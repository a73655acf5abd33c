// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: the PCR file tpm2_checkquote -f reads, and the wire's hex. */
#include "integrity/tpm_pcrs_file.h"
#include "lib/hex.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The layout tpm2-tools 5.4 reads: selection (132), u32 lists (1), TPML_DIGEST (532). */
static void test_layout(void **state)
{
	uint8_t sha1[20], model_sha1[20], sha256[32], model[32], file[1024];
	size_t len;

	(void)state;
	memset(sha1, 0x11, sizeof(sha1));
	memset(sha256, 0x22, sizeof(sha256));
	memset(model, 0x33, sizeof(model));
	memset(model_sha1, 0x44, sizeof(model_sha1));
	assert_int_equal(tpm_pcrs_file(sha1, model_sha1, sha256, model, NULL, 0), 668);
	assert_int_equal(tpm_pcrs_file(sha1, model_sha1, sha256, model, file, 667), 668);
	memset(file, 0xee, sizeof(file));
	len = tpm_pcrs_file(sha1, model_sha1, sha256, model, file, sizeof(file));
	assert_int_equal(len, 668);
	assert_int_equal(le32_at(file), 2); /* two banks */
	/* TPMS_PCR_SELECTION: u16 hash, u8 sizeofSelect, 4 bytes pcrSelect, padded to 8 */
	assert_int_equal(file[4] | file[5] << 8, 0x0004); /* TPM2_ALG_SHA1 */
	assert_int_equal(file[6], 3);
	assert_memory_equal(file + 7, "\x00\x0c\x00", 3);   /* PCR 10 and the model's 11 */
	assert_int_equal(file[12] | file[13] << 8, 0x000b); /* TPM2_ALG_SHA256 */
	assert_int_equal(file[14], 3);
	assert_memory_equal(file + 15, "\x00\x0c\x00", 3); /* PCR 10 and the model's 11 */
	assert_int_equal(le32_at(file + 132), 1);
	assert_int_equal(le32_at(file + 136), 4);
	/* TPM2B_DIGEST: u16 size, 64-byte buffer */
	assert_int_equal(file[140] | file[141] << 8, 20);
	assert_memory_equal(file + 142, sha1, 20);
	assert_int_equal(file[206] | file[207] << 8, 20);
	assert_memory_equal(file + 208, model_sha1, 20);
	assert_int_equal(file[272] | file[273] << 8, 32);
	assert_memory_equal(file + 274, sha256, 32);
	assert_int_equal(file[338] | file[339] << 8, 32);
	assert_memory_equal(file + 340, model, 32);
	/* Unused entries are zeros, not what was in the buffer. */
	assert_int_equal(file[240], 0);
	assert_int_equal(file[306], 0);
	assert_int_equal(file[404], 0);
	assert_int_equal(file[667], 0);
}

static void test_hex(void **state)
{
	const uint8_t bytes[] = { 0x00, 0xab, 0x7f, 0xff };
	uint8_t back[4];
	char hex[9];

	(void)state;
	canister_hex_encode(bytes, sizeof(bytes), hex);
	assert_string_equal(hex, "00ab7fff");
	assert_int_equal(canister_hex_decode(hex, 8, back), 0);
	assert_memory_equal(back, bytes, 4);
	assert_int_equal(canister_hex_decode("abc", 3, back), -EINVAL);
	assert_int_equal(canister_hex_decode("AB", 2, back), -EINVAL);
	assert_int_equal(canister_hex_decode("0g", 2, back), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
