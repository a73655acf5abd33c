// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: IMA measurement lists against a real kernel's, PCR replay, reload refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "integrity/boot_aggregate.h"
#include "integrity/ima_list.h"
#include "integrity/ima_pcr.h"
#include "integrity/ima_template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Ground truth: the lists Debian's 6.1 kernel wrote in a qemu guest without a
 * TPM (ima_policy=tcb, ima_template=ima-ng or ima-sig, root=/dev/ram0 so that
 * the initramfs is ramfs, which tcb measures), running data/ima/guest-init.sh:
 * boot_aggregate, /init, /bin/busybox, a 260-byte path with a space, a file,
 * and a violation (the file read while open for writing).
 */
#define DATA_DIR "tests/unit/data/ima/"

/* PCR 10 of each list, replayed independently (Python's hashlib) from the kernel's binary lists. */
static const char *const guest_pcr10[][2] = {
	{ "23a708985e7348461b4e2f5628223e1bfb4846f1",
	  "c35f8860332870cb6706dc13393303776a1fb132e7b73f85f0369933ae403e8c" },
	{ "d6ac944011cedae216fb989fa5f35bad6c782c4b",
	  "36cb54f6ac3c2650e57e59e5976decd4a348e75ef4a3fed8bea4bf321ee8b391" },
};

static const char long_dir[] =
	"/opt/a dir/"
	"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	"dddddddddddddddddddddddddddddddddddd/"
	"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
	"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee/prog";

static uint8_t *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long len;

	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = malloc((size_t)len + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
	data[len] = 0;
	fclose(f);
	*ret_len = (size_t)len;
	return data;
}

struct output {
	char *text;
	size_t len;
	FILE *f;
};

static FILE *output_open(struct output *out)
{
	out->f = open_memstream(&out->text, &out->len);
	assert_non_null(out->f);
	return out->f;
}

static void output_close(struct output *out)
{
	assert_int_equal(fclose(out->f), 0);
}

static void hex_to_bytes(const char *hex, uint8_t *out)
{
	for (size_t i = 0; hex[2 * i]; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

static void assert_pcr(const struct canister_ima_pcrs *pcrs, enum canister_ima_bank bank,
		       const char *hex)
{
	uint8_t want[CANISTER_IMA_BANK_DIGEST_MAX];

	assert_int_equal(strlen(hex), 2 * canister_ima_bank_size(bank));
	hex_to_bytes(hex, want);
	assert_memory_equal(pcrs->value[bank][CANISTER_IMA_PCR], want,
			    canister_ima_bank_size(bank));
}

static void check_guest_list(const char *template, int which)
{
	char path[256], why[512];
	struct canister_ima_list list;
	struct output out;
	uint8_t *bin, *ascii;
	size_t bin_len, ascii_len;

	snprintf(path, sizeof(path), DATA_DIR "guest-6.1-%s.bin", template);
	bin = slurp(path, &bin_len);
	snprintf(path, sizeof(path), DATA_DIR "guest-6.1-%s.ascii", template);
	ascii = slurp(path, &ascii_len);

	if (canister_ima_list_read_binary(bin, bin_len, CANISTER_IMA_BANK_SHA1, &list, why,
					  sizeof(why)) != 0)
		fail_msg("the kernel's %s list was refused: %s", template, why);
	assert_int_equal(list.count, 6);
	assert_int_equal(list.violations, 1);
	assert_true(list.entries[5].violation);

	canister_ima_list_write_binary(&list, CANISTER_IMA_BANK_SHA1, output_open(&out));
	output_close(&out);
	assert_int_equal(out.len, bin_len);
	assert_memory_equal(out.text, bin, bin_len);
	free(out.text);

	canister_ima_list_write_ascii(&list, CANISTER_IMA_BANK_SHA1, output_open(&out));
	output_close(&out);
	assert_string_equal(out.text, (const char *)ascii);
	free(out.text);

	canister_ima_list_write_count(&list, output_open(&out));
	output_close(&out);
	assert_string_equal(out.text, "6\n");
	free(out.text);

	assert_pcr(&list.pcrs, CANISTER_IMA_BANK_SHA1, guest_pcr10[which][0]);
	assert_pcr(&list.pcrs, CANISTER_IMA_BANK_SHA256, guest_pcr10[which][1]);
	canister_ima_list_free(&list);
	free(bin);
	free(ascii);
}

/* The kernel's own lists read back and written again byte for byte, ascii included. */
static void test_kernel_lists_round_trip(void **state)
{
	check_guest_list("ima-ng", 0);
	check_guest_list("ima-sig", 1);
}

/* The same list built from its measurements equals what the kernel wrote. */
static void check_built_equals_kernel(enum canister_ima_template template, const char *name)
{
	static const struct {
		const char *path, *digest;
	} files[] = {
		{ "/init", "26622b29799720c2561e5b3f7f12813edc1648d22c01a436a51179ad8afd4307" },
		{ "/bin/busybox",
		  "3d9f2889d6782537624a4e1a10e68a2ddd53e0ee8bac02676f27308f42ec6bf6" },
		{ long_dir, "299001868fb8c02fd431c336c6d058f5558c5dff5b5af5e6fe04b870a6a9cbba" },
		{ "/opt/file", "6667b2d1aab6a00caa5aee5af8ad9f1465e567abf1c209d15727d57b3e8f6e5f" },
	};
	struct canister_ima_boot_aggregate aggregate;
	struct canister_ima_list list;
	struct output out;
	char path[256];
	uint8_t *bin;
	size_t bin_len;

	canister_ima_list_init(&list);
	canister_ima_boot_aggregate_no_tpm(&aggregate);
	assert_int_equal(canister_ima_list_add_boot_aggregate(&list, template, &aggregate), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		uint8_t digest[32];
		struct canister_ima_event event = {
			.template = template,
			.algo = "sha256",
			.digest = digest,
			.path = files[i].path,
		};

		hex_to_bytes(files[i].digest, digest);
		assert_int_equal(canister_ima_list_add(&list, &event), 0);
	}
	assert_int_equal(canister_ima_list_add(&list,
					       &(struct canister_ima_event){
						       .template = template,
						       .algo = "sha256",
						       .path = "/opt/file",
					       }),
			 0);

	snprintf(path, sizeof(path), DATA_DIR "guest-6.1-%s.bin", name);
	bin = slurp(path, &bin_len);
	canister_ima_list_write_binary(&list, CANISTER_IMA_BANK_SHA1, output_open(&out));
	output_close(&out);
	assert_int_equal(out.len, bin_len);
	assert_memory_equal(out.text, bin, bin_len);
	free(out.text);
	free(bin);
	assert_int_equal(canister_ima_list_add_boot_aggregate(&list, template, &aggregate),
			 -EEXIST);
	canister_ima_list_free(&list);
}

static void test_built_list_equals_kernel(void **state)
{
	check_built_equals_kernel(CANISTER_IMA_TEMPLATE_NG, "ima-ng");
	check_built_equals_kernel(CANISTER_IMA_TEMPLATE_SIG, "ima-sig");
}

/* A violation is listed as zeros and extended as 0xff (values from `openssl dgst`). */
static void test_violation_extends_ff(void **state)
{
	struct canister_ima_event event = {
		.template = CANISTER_IMA_TEMPLATE_NG,
		.algo = "sha256",
		.path = "/etc/passwd",
	};
	struct canister_ima_list list;
	struct canister_ima_fields fields;

	canister_ima_list_init(&list);
	assert_int_equal(canister_ima_list_add(&list, &event), 0);
	assert_true(list.entries[0].violation);
	assert_int_equal(list.violations, 1);
	for (size_t i = 0; i < CANISTER_IMA_BANK_DIGEST_MAX; i++)
		assert_int_equal(list.entries[0].digests.bank[CANISTER_IMA_BANK_SHA256][i], 0);
	assert_pcr(&list.pcrs, CANISTER_IMA_BANK_SHA1, "bac37b84f007d0238af95af707cac8d61254870e");
	assert_pcr(&list.pcrs, CANISTER_IMA_BANK_SHA256,
		   "bba91ca85dc914b2ec3efb9e16e7267bf9193b14350d20fba8a8b406730ae30a");
	/* Since 5.10 the d-ng field keeps zeros of the algorithm's size (32), not 20. */
	assert_int_equal(canister_ima_template_parse(CANISTER_IMA_TEMPLATE_NG, list.entries[0].data,
						     list.entries[0].data_len, &fields, NULL, 0),
			 0);
	assert_int_equal(fields.digest_len, 32);
	canister_ima_list_free(&list);
}

/*
 * IMA's "hash_exists": an entry whose template digest (file digest and path)
 * is listed already is not added again, also in a list read back from its
 * binary file (a restart); a changed digest or another path is; violations
 * always are.
 */
static void test_add_once(void **state)
{
	uint8_t a[32], b[32];
	struct canister_ima_event event = {
		.template = CANISTER_IMA_TEMPLATE_NG,
		.algo = "sha256",
		.digest = a,
		.path = "/bin/a",
	};
	struct canister_ima_event violation = event;
	struct canister_ima_list list, again;
	struct canister_ima_pcrs pcrs;
	char *bytes = NULL, why[256];
	size_t len = 0;
	FILE *out;

	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	violation.digest = NULL;
	canister_ima_list_init(&list);
	assert_int_equal(canister_ima_list_add_once(&list, &event), 0);
	pcrs = list.pcrs;
	assert_int_equal(canister_ima_list_add_once(&list, &event), -EEXIST);
	assert_int_equal(list.count, 1);
	assert_memory_equal(&pcrs, &list.pcrs, sizeof(pcrs));
	event.path = "/bin/b";
	assert_int_equal(canister_ima_list_add_once(&list, &event), 0);
	event.digest = b;
	assert_int_equal(canister_ima_list_add_once(&list, &event), 0);
	assert_int_equal(canister_ima_list_add_once(&list, &violation), 0);
	assert_int_equal(canister_ima_list_add_once(&list, &violation), 0);
	assert_int_equal(list.count, 5);
	assert_int_equal(list.violations, 2);

	/* Read back, as after a restart: the same entries are still known. */
	out = open_memstream(&bytes, &len);
	assert_non_null(out);
	canister_ima_list_write_binary(&list, CANISTER_IMA_BANK_SHA1, out);
	fclose(out);
	assert_int_equal(canister_ima_list_read_binary((uint8_t *)bytes, len,
						       CANISTER_IMA_BANK_SHA1, &again, why,
						       sizeof(why)),
			 0);
	event.path = "/bin/a";
	event.digest = a;
	assert_int_equal(canister_ima_list_add_once(&again, &event), -EEXIST);
	event.digest = b;
	assert_int_equal(canister_ima_list_add_once(&again, &event), 0);
	assert_int_equal(again.count, 6);
	free(bytes);
	canister_ima_list_free(&again);
	canister_ima_list_free(&list);
}

/* The file evmctl reads: 24 lines, PCR 10 extended, the rest zeros. */
static void test_pcr_file(void **state)
{
	struct canister_ima_list list;
	struct output out;
	char *line;
	int n = 0;

	canister_ima_list_init(&list);
	assert_int_equal(canister_ima_list_add(&list,
					       &(struct canister_ima_event){
						       .template = CANISTER_IMA_TEMPLATE_NG,
						       .algo = "sha256",
						       .path = "/x",
					       }),
			 0);
	canister_ima_pcrs_write(&list.pcrs, CANISTER_IMA_BANK_SHA256, output_open(&out));
	output_close(&out);
	for (line = out.text; *line; n++) {
		char *nl = strchr(line, '\n');
		char want[128];

		assert_non_null(nl);
		if (n == 10)
			snprintf(
				want, sizeof(want), "PCR-10: %s",
				"bba91ca85dc914b2ec3efb9e16e7267bf9193b14350d20fba8a8b406730ae30a");
		else
			snprintf(want, sizeof(want), "PCR-%02d: %064d", n, 0);
		assert_int_equal((size_t)(nl - line), strlen(want));
		assert_memory_equal(line, want, strlen(want));
		line = nl + 1;
	}
	assert_int_equal(n, 24);
	free(out.text);

	canister_ima_pcrs_write(&list.pcrs, CANISTER_IMA_BANK_SHA1, output_open(&out));
	output_close(&out);
	assert_int_equal(out.len, 24 * strlen("PCR-00: \n") + 24 * 40);
	assert_non_null(strstr(out.text, "\nPCR-10: bac37b84f007d0238af95af707cac8d61254870e\n"));
	free(out.text);
	canister_ima_list_free(&list);
}

/* ima-sig with a signature: hex after the name, and the sha256 per-bank files round trip. */
static void test_signature_and_sha256_bank(void **state)
{
	static const uint8_t sig[] = { 0x03, 0x02, 0x04, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01 };
	uint8_t digest[32] = { 0xab };
	struct canister_ima_event event = {
		.template = CANISTER_IMA_TEMPLATE_SIG,
		.algo = "sha256",
		.digest = digest,
		.path = "/usr/bin/signed file",
		.sig = sig,
		.sig_len = sizeof(sig),
	};
	struct canister_ima_list list, again;
	struct output out, ascii;
	char why[256];

	canister_ima_list_init(&list);
	assert_int_equal(canister_ima_list_add(&list, &event), 0);
	canister_ima_list_write_ascii(&list, CANISTER_IMA_BANK_SHA256, output_open(&ascii));
	output_close(&ascii);
	assert_true(strncmp(ascii.text, "10 ", 3) == 0);
	assert_int_equal(strlen(ascii.text), 3 + 64 + strlen(" ima-sig sha256:") + 64 +
						     strlen(" /usr/bin/signed_file ") + 18 + 1);
	assert_non_null(strstr(ascii.text, " /usr/bin/signed_file 030204deadbeef0001\n"));

	canister_ima_list_write_binary(&list, CANISTER_IMA_BANK_SHA256, output_open(&out));
	output_close(&out);
	if (canister_ima_list_read_binary((uint8_t *)out.text, out.len, CANISTER_IMA_BANK_SHA256,
					  &again, why, sizeof(why)) != 0)
		fail_msg("sha256 list refused: %s", why);
	assert_int_equal(again.count, 1);
	assert_memory_equal(&again.pcrs, &list.pcrs, sizeof(list.pcrs));
	assert_memory_equal(again.entries[0].digests.bank, list.entries[0].digests.bank,
			    sizeof(list.entries[0].digests.bank));
	/* Read as a sha1 list, the 32-byte digests put everything off by 12 bytes. */
	assert_int_equal(canister_ima_list_read_binary((uint8_t *)out.text, out.len,
						       CANISTER_IMA_BANK_SHA1, &again, why,
						       sizeof(why)),
			 -EINVAL);
	canister_ima_list_free(&list);
	free(out.text);
	free(ascii.text);
}

/* Every cut of a real list, but those at entry boundaries, is refused, naming where. */
static void test_truncated_lists_refused(void **state)
{
	struct canister_ima_list list, untouched;
	size_t len, boundaries[8], nb = 0, off = 0;
	uint8_t *bin = slurp(DATA_DIR "guest-6.1-ima-sig.bin", &len);
	char why[512];

	assert_int_equal(canister_ima_list_read_binary(bin, len, CANISTER_IMA_BANK_SHA1, &list, why,
						       sizeof(why)),
			 0);
	for (size_t i = 0; i < list.count; i++) {
		boundaries[nb++] = off;
		off += 4 + 20 + 4 + strlen("ima-sig") + 4 + list.entries[i].data_len;
	}
	boundaries[nb++] = off;
	assert_int_equal(off, len);

	for (size_t cut = 0; cut < len; cut++) {
		bool boundary = false;
		int r;

		for (size_t b = 0; b < nb; b++)
			boundary |= boundaries[b] == cut;
		memset(&untouched, 0x5a, sizeof(untouched));
		why[0] = 0;
		r = canister_ima_list_read_binary(bin, cut, CANISTER_IMA_BANK_SHA1, &untouched, why,
						  sizeof(why));
		if (boundary) {
			assert_int_equal(r, 0);
			canister_ima_list_free(&untouched);
			continue;
		}
		if (r != -EINVAL)
			fail_msg("a list cut at %zu bytes was not refused", cut);
		if (!strstr(why, "at offset ") || !strstr(why, "truncated"))
			fail_msg("cut at %zu: reason does not name the offset and the cut: %s", cut,
				 why);
		assert_int_equal(((uint8_t *)&untouched)[0], 0x5a);
	}
	canister_ima_list_free(&list);
	free(bin);
}

static void expect_refusal(const uint8_t *bin, size_t len, const char *reason)
{
	struct canister_ima_list list;
	char why[512] = "";

	assert_int_equal(canister_ima_list_read_binary(bin, len, CANISTER_IMA_BANK_SHA1, &list, why,
						       sizeof(why)),
			 -EINVAL);
	if (strcmp(why, reason) != 0)
		fail_msg("reason \"%s\", expected \"%s\"", why, reason);
}

/* A changed byte is caught: by the template digest, or by the framing it breaks. */
static void test_corrupt_lists_refused(void **state)
{
	size_t len;
	uint8_t *bin = slurp(DATA_DIR "guest-6.1-ima-ng.bin", &len);
	/* Entry 2 (/init) starts at 101: pcr, sha1, name length 6, "ima-ng", length 54, its data.
	 */
	const size_t second = 4 + 20 + 4 + 6 + 4 + 63;

	bin[second + 4 + 20 + 4 + 6 + 4 + 30] ^= 1;
	expect_refusal(bin, len,
		       "binary measurement list: entry 2 at offset 101: sha1 template digest "
		       "does not match its template data");
	bin[second + 4 + 20 + 4 + 6 + 4 + 30] ^= 1;

	bin[second] = 24;
	expect_refusal(bin, len,
		       "binary measurement list: entry 2 at offset 101: PCR 24 is not "
		       "below 24");
	bin[second] = 10;

	memcpy(bin + second + 4 + 20 + 4, "ima-nx", 6);
	expect_refusal(bin, len,
		       "binary measurement list: entry 2 at offset 101: template "
		       "\"ima-nx\" is not ima-ng or ima-sig");
	memcpy(bin + second + 4 + 20 + 4, "ima-ng", 6);

	bin[second + 4 + 20] = 0;
	expect_refusal(bin, len,
		       "binary measurement list: entry 2 at offset 101: template name "
		       "length 0 is not 1 to 255");
	bin[second + 4 + 20] = 6;

	/* The d-ng field's length grows by one: the fields no longer tile the data. */
	bin[second + 4 + 20 + 4 + 6 + 4] = 41;
	expect_refusal(bin, len,
		       "binary measurement list: entry 2 at offset 101: d-ng field: 33 "
		       "digest bytes for sha256, which has 32");
	bin[second + 4 + 20 + 4 + 6 + 4] = 40;

	/* The path's NUL becomes a character. */
	bin[second + 4 + 20 + 4 + 6 + 4 + 4 + 40 + 4 + 5] = 'x';
	expect_refusal(bin, len,
		       "binary measurement list: entry 2 at offset 101: n-ng field: not "
		       "one non-empty NUL-terminated name");
	free(bin);
}

static void test_build_refusals(void **state)
{
	static char long_path[CANISTER_IMA_PATH_MAX + 2];
	uint8_t digest[32] = { 0 }, *data;
	uint32_t len;
	struct canister_ima_event event = {
		.template = CANISTER_IMA_TEMPLATE_NG,
		.algo = "sha256",
		.digest = digest,
		.path = long_path,
	};

	memset(long_path, 'a', CANISTER_IMA_PATH_MAX);
	long_path[0] = '/';
	assert_int_equal(canister_ima_template_build(&event, &data, &len), 0);
	assert_int_equal(len, 4 + 40 + 4 + CANISTER_IMA_PATH_MAX + 1);
	free(data);
	long_path[CANISTER_IMA_PATH_MAX] = 'a';
	assert_int_equal(canister_ima_template_build(&event, &data, &len), -ENAMETOOLONG);
	event.path = "";
	assert_int_equal(canister_ima_template_build(&event, &data, &len), -EINVAL);
	event.path = "/bin/sh";
	event.algo = "sha3";
	assert_int_equal(canister_ima_template_build(&event, &data, &len), -EINVAL);
	event.algo = "sha256";
	event.sig = digest;
	event.sig_len = 4;
	assert_int_equal(canister_ima_template_build(&event, &data, &len), -EINVAL);
	event.template = CANISTER_IMA_TEMPLATE_SIG;
	event.sig_len = CANISTER_IMA_SIG_MAX + 1;
	assert_int_equal(canister_ima_template_build(&event, &data, &len), -E2BIG);
}

static void test_boot_aggregate_from_host(void **state)
{
	struct canister_ima_boot_aggregate aggregate;
	char why[256];
	size_t len;
	char *ascii = (char *)slurp(DATA_DIR "guest-6.1-ima-sig.ascii", &len);

	/* The whole file: only its first line counts. */
	assert_int_equal(
		canister_ima_boot_aggregate_parse(ascii, len, &aggregate, why, sizeof(why)), 0);
	assert_string_equal(aggregate.algo, "sha256");
	assert_int_equal(aggregate.digest_len, 32);
	free(ascii);

	assert_int_equal(canister_ima_boot_aggregate_parse(
				 "10 1111111111111111111111111111111111111111 ima-ng "
				 "sha1:00112233445566778899aabbccddeeff00112233 boot_aggregate\n",
				 200, &aggregate, why, sizeof(why)),
			 0);
	assert_string_equal(aggregate.algo, "sha1");
	assert_int_equal(aggregate.digest[1], 0x11);
	assert_int_equal(aggregate.digest[19], 0x33);

	static const char old[] = "10 1111111111111111111111111111111111111111 ima "
				  "ffeeddccbbaa99887766554433221100ffeeddcc boot_aggregate";
	assert_int_equal(
		canister_ima_boot_aggregate_parse(old, strlen(old), &aggregate, why, sizeof(why)),
		0);
	assert_string_equal(aggregate.algo, "sha1");
	assert_int_equal(aggregate.digest[0], 0xff);

	static const struct {
		const char *line, *reason;
	} bad[] = {
		{ "10 11 ima-ng sha256:00 /init",
		  "first measurement is \"/init\", not boot_aggregate" },
		{ "10 11 ima-ng", "first measurement: 3 fields, expected PCR, template hash, "
				  "template, digest, name" },
		{ "10 11 ima-ng sha3:00 boot_aggregate",
		  "boot_aggregate digest: unknown algorithm \"sha3\"" },
		{ "10 11 ima-ng sha1:00 boot_aggregate",
		  "boot_aggregate digest is not 20 bytes of lowercase hex" },
		{ "10 11 ima-ng 0011 boot_aggregate", "boot_aggregate digest has no \"ALGO:\"" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(canister_ima_boot_aggregate_parse(bad[i].line, strlen(bad[i].line),
								   &aggregate, why, sizeof(why)),
				 -EINVAL);
		assert_string_equal(why, bad[i].reason);
	}
}

/* A host with a TPM: its boot_aggregate leads the container's list unchanged. */
static void test_boot_aggregate_entry_matches_host(void **state)
{
	static const char host[] =
		"10 0adefe762c149c7cec19da62f0da1297fcfbffff ima-ng "
		"sha256:0000000000000000000000000000000000000000000000000000000000000000 "
		"boot_aggregate\n";
	struct canister_ima_boot_aggregate aggregate;
	struct canister_ima_list list;
	struct output out;

	assert_int_equal(canister_ima_boot_aggregate_parse(host, strlen(host), &aggregate, NULL, 0),
			 0);
	canister_ima_list_init(&list);
	assert_int_equal(
		canister_ima_list_add_boot_aggregate(&list, CANISTER_IMA_TEMPLATE_NG, &aggregate),
		0);
	canister_ima_list_write_ascii(&list, CANISTER_IMA_BANK_SHA1, output_open(&out));
	output_close(&out);
	assert_string_equal(out.text, host);
	free(out.text);
	canister_ima_list_free(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_lists_round_trip),
		cmocka_unit_test(test_built_list_equals_kernel),
		cmocka_unit_test(test_violation_extends_ff),
		cmocka_unit_test(test_add_once),
		cmocka_unit_test(test_pcr_file),
		cmocka_unit_test(test_signature_and_sha256_bank),
		cmocka_unit_test(test_truncated_lists_refused),
		cmocka_unit_test(test_corrupt_lists_refused),
		cmocka_unit_test(test_build_refusals),
		cmocka_unit_test(test_boot_aggregate_from_host),
		cmocka_unit_test(test_boot_aggregate_entry_matches_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
