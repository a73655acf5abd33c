// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: behaviour-model coefficients: known answers, the exact bytes hashed, and
 * what does and does not change a coefficient. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "data_file.h"
#include "model_fixture.h"
#include "model/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DATA_DIR "tests/unit/data/model/"

/* The value named @name in kat.txt (kat.py's output). */
static void kat(const char *name, uint8_t out[CANISTER_MODEL_DIGEST_SIZE])
{
	static char text[4096];
	size_t len = data_file(DATA_DIR "kat.txt", text, sizeof(text) - 1);
	size_t name_len = strlen(name);

	text[len] = '\0';
	for (char *line = text; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (strncmp(line, name, name_len) == 0 && line[name_len] == ' ') {
			assert_int_equal(canister_hex_decode(line + name_len + 1,
							     2 * CANISTER_MODEL_DIGEST_SIZE, out),
					 0);
			return;
		}
	fail_msg("no %s in kat.txt", name);
}

static void expect_coefficient(const struct canister_model_event *event, const char *name)
{
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE], want[CANISTER_MODEL_DIGEST_SIZE];

	kat(name, want);
	assert_int_equal(canister_model_coefficient(event, got), 0);
	if (memcmp(got, want, sizeof(got)) != 0)
		fail_msg("%s: coefficient %s, kat.py says %s", name, hex32(got), hex32(want));
}

static void coefficient_of(const struct canister_model_event *event,
			   uint8_t out[CANISTER_MODEL_DIGEST_SIZE])
{
	assert_int_equal(canister_model_coefficient(event, out), 0);
}

/* Coefficients as kat.py computes them from docs/model.md's layouts with hashlib alone. */
static void test_known_answers(void **state)
{
	struct canister_model_event event;
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE], want[CANISTER_MODEL_DIGEST_SIZE];

	event = fixture_event(CANISTER_MODEL_CAPABLE);
	expect_coefficient(&event, "capable");
	event = fixture_event(CANISTER_MODEL_FILE_OPEN);
	expect_coefficient(&event, "file_open");
	event = fixture_event(CANISTER_MODEL_TASK_KILL);
	expect_coefficient(&event, "task_kill");
	event = fixture_event(CANISTER_MODEL_SOCKET_CONNECT);
	expect_coefficient(&event, "socket_connect");
	event = fixture_event(CANISTER_MODEL_MOUNT);
	expect_coefficient(&event, "sb_mount");
	event = fixture_event(CANISTER_MODEL_MOVE_MOUNT);
	expect_coefficient(&event, "move_mount");
	event = fixture_event(CANISTER_MODEL_FILE_MPROTECT);
	expect_coefficient(&event, "file_mprotect");

	event = fixture_event(CANISTER_MODEL_EXEC);
	kat("task_id", want);
	assert_int_equal(canister_model_task_id(&event.coe, &event.cell.file, got), 0);
	assert_memory_equal(got, want, sizeof(got));

	kat("pseudonym", want);
	assert_int_equal(canister_model_pseudonym_id("/var/log/app.log", got), 0);
	assert_memory_equal(got, want, sizeof(got));
}

/* The COE's 40 bytes and a file CELL's bytes, byte for byte as docs/model.md lays them out. */
static void test_exact_bytes(void **state)
{
	static const uint8_t coe_want[CANISTER_MODEL_COE_SIZE] = {
		0xe8, 0x03, 0, 0, 0xe8, 0x03, 0, 0, 0xe8, 0x03, 0, 0, 100,  0, 0, 0, 100, 0, 0, 0,
		100,  0,    0, 0, 0xe8, 0x03, 0, 0, 0xe8, 0x03, 0, 0, 0x20, 0, 0, 0, 0,	  0, 0, 0,
	};
	struct canister_model_event event = fixture_event(CANISTER_MODEL_FILE_OPEN);
	uint8_t coe[CANISTER_MODEL_COE_SIZE], cell[256], want[256];
	size_t at = 0;

	canister_model_coe_bytes(&event.coe, coe);
	assert_memory_equal(coe, coe_want, sizeof(coe));

	/* uid 0, gid 0, mode 0100644, magic 0xef53: u32le each */
	memcpy(want + at, "\0\0\0\0\0\0\0\0\xa4\x81\0\0\x53\xef\0\0", 16);
	at += 16;
	for (int i = 0; i < 16; i++)
		want[at++] = (uint8_t)i;		/* s_uuid */
	memcpy(want + at, "\x0b\0\0\0/etc/passwd", 15); /* u32le length, no NUL */
	at += 15;
	memset(want + at, 0x22, 32);
	at += 32;
	assert_int_equal(canister_model_cell_bytes(&event, NULL, 0), at);
	assert_int_equal(canister_model_cell_bytes(&event, cell, sizeof(cell)), at);
	assert_memory_equal(cell, want, at);
	/* snprintf-like: a short buffer takes what fits, the length is the whole. */
	memset(cell, 0xee, sizeof(cell));
	assert_int_equal(canister_model_cell_bytes(&event, cell, 10), at);
	assert_memory_equal(cell, want, 10);
	assert_int_equal(cell[10], 0xee);
}

/* Pids, times and process names are described, never hashed: no byte and no coefficient moves. */
static void test_pid_time_comm_not_hashed(void **state)
{
	for (int type = 0; type < CANISTER_MODEL_EVENT_TYPES; type++) {
		struct canister_model_event a = fixture_event(type), b = a;
		uint8_t ca[CANISTER_MODEL_DIGEST_SIZE], cb[CANISTER_MODEL_DIGEST_SIZE];
		uint8_t bytes_a[CANISTER_MODEL_CELL_MAX], bytes_b[CANISTER_MODEL_CELL_MAX];
		long len_a, len_b;

		a.pid = 1;
		a.ts = 1000;
		a.comm = "one";
		b.pid = 424242;
		b.ts = 99999999999ull;
		b.comm = "another";
		len_a = canister_model_cell_bytes(&a, bytes_a, sizeof(bytes_a));
		len_b = canister_model_cell_bytes(&b, bytes_b, sizeof(bytes_b));
		assert_true(len_a > 0);
		assert_int_equal(len_a, len_b);
		assert_memory_equal(bytes_a, bytes_b, (size_t)len_a);
		coefficient_of(&a, ca);
		coefficient_of(&b, cb);
		assert_memory_equal(ca, cb, sizeof(ca));
	}
}

/* Every type has its own name (EVENT_ID), and the same CELL under two types differs. */
static void test_names(void **state)
{
	struct canister_model_event a = fixture_event(CANISTER_MODEL_FILE_OPEN), b = a;
	uint8_t ca[CANISTER_MODEL_DIGEST_SIZE], cb[CANISTER_MODEL_DIGEST_SIZE];

	for (int i = 0; i < CANISTER_MODEL_EVENT_TYPES; i++) {
		assert_non_null(canister_model_event_name(i));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(canister_model_event_name(i),
						canister_model_event_name(j));
	}
	assert_null(canister_model_event_name(CANISTER_MODEL_EVENT_TYPES));
	assert_string_equal(canister_model_event_name(CANISTER_MODEL_EXEC), "bprm_set_creds");
	b.type = CANISTER_MODEL_EXEC;
	coefficient_of(&a, ca);
	coefficient_of(&b, cb);
	assert_memory_not_equal(ca, cb, sizeof(ca));
}

/* Each field that is hashed changes the coefficient when it changes. */
static void test_each_field_counts(void **state)
{
	struct canister_model_event base = fixture_event(CANISTER_MODEL_FILE_OPEN), e;
	uint8_t c0[CANISTER_MODEL_DIGEST_SIZE], c1[CANISTER_MODEL_DIGEST_SIZE];
	uint32_t *coe_ids = &base.coe.uid;

	coefficient_of(&base, c0);
	for (int i = 0; i < 8; i++) {
		e = base;
		(&e.coe.uid)[i] = coe_ids[i] + 1;
		coefficient_of(&e, c1);
		assert_memory_not_equal(c0, c1, sizeof(c0));
	}
#define CHANGED(stmt)                                        \
	do {                                                 \
		e = base;                                    \
		stmt;                                        \
		coefficient_of(&e, c1);                      \
		assert_memory_not_equal(c0, c1, sizeof(c0)); \
	} while (0)
	CHANGED(e.coe.capeff = 0);
	CHANGED(e.task_id[31] ^= 1);
	CHANGED(e.cell.file.uid = 1);
	CHANGED(e.cell.file.gid = 1);
	CHANGED(e.cell.file.mode = 0100600);
	CHANGED(e.cell.file.s_magic = 0x01021994);
	CHANGED(e.cell.file.s_uuid[15] = 0);
	CHANGED(e.cell.file.path = "/etc/shadow");
	CHANGED(e.cell.file.digest[0] = 0);
	base = fixture_event(CANISTER_MODEL_TASK_KILL);
	coefficient_of(&base, c0);
	CHANGED(e.cell.kill.target[0] = 0);
	CHANGED(e.cell.kill.signal = 9);
	CHANGED(e.cell.kill.cross_container = false);
#undef CHANGED
}

/* TASK_ID binds the executable's digest: the same action by another program differs. */
static void test_task_id_binds_executable(void **state)
{
	struct canister_model_event exec = fixture_event(CANISTER_MODEL_EXEC);
	struct canister_model_event open_a = fixture_event(CANISTER_MODEL_FILE_OPEN);
	struct canister_model_event open_b = open_a;
	struct canister_model_file other = exec.cell.file;
	uint8_t ca[CANISTER_MODEL_DIGEST_SIZE], cb[CANISTER_MODEL_DIGEST_SIZE];

	other.digest[0] ^= 0xff; /* /bin/sh, modified */
	assert_int_equal(canister_model_task_id(&exec.coe, &exec.cell.file, open_a.task_id), 0);
	assert_int_equal(canister_model_task_id(&exec.coe, &other, open_b.task_id), 0);
	assert_memory_not_equal(open_a.task_id, open_b.task_id, sizeof(open_a.task_id));
	coefficient_of(&open_a, ca);
	coefficient_of(&open_b, cb);
	assert_memory_not_equal(ca, cb, sizeof(ca));
	/* TASK_ID is the exec coefficient with NULL_ID: not the exec event's own coefficient. */
	coefficient_of(&exec, cb);
	assert_memory_not_equal(open_a.task_id, cb, sizeof(cb));
	memset(exec.task_id, 0, sizeof(exec.task_id));
	coefficient_of(&exec, cb);
	assert_memory_equal(open_a.task_id, cb, sizeof(cb));
}

/* Strings are length-prefixed: moving bytes between the mount's strings changes the CELL. */
static void test_strings_do_not_run_together(void **state)
{
	struct canister_model_event a = fixture_event(CANISTER_MODEL_MOUNT), b = a;
	uint8_t ca[CANISTER_MODEL_DIGEST_SIZE], cb[CANISTER_MODEL_DIGEST_SIZE];

	a.cell.mount.dev_name = "ab";
	a.cell.mount.path = "/c";
	b.cell.mount.dev_name = "a";
	b.cell.mount.path = "b/c";
	coefficient_of(&a, ca);
	coefficient_of(&b, cb);
	assert_memory_not_equal(ca, cb, sizeof(ca));
	/* NULL and "" are documented to hash the same. */
	a = fixture_event(CANISTER_MODEL_MOUNT);
	b = a;
	a.cell.mount.dev_name = NULL;
	b.cell.mount.dev_name = "";
	coefficient_of(&a, ca);
	coefficient_of(&b, cb);
	assert_memory_equal(ca, cb, sizeof(ca));
}

static void test_refusals(void **state)
{
	static char long_path[CANISTER_MODEL_PATH_MAX + 2];
	struct canister_model_event event = fixture_event(CANISTER_MODEL_FILE_OPEN);
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];

	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	event.cell.file.path = long_path;
	assert_int_equal(canister_model_coefficient(&event, c), -ENAMETOOLONG);
	long_path[CANISTER_MODEL_PATH_MAX] = '\0'; /* exactly PATH_MAX bytes: taken */
	assert_int_equal(canister_model_coefficient(&event, c), 0);
	event.cell.file.path = NULL;
	assert_int_equal(canister_model_coefficient(&event, c), -EINVAL);
	event = fixture_event(CANISTER_MODEL_MOUNT);
	event.cell.mount.path = NULL;
	assert_int_equal(canister_model_coefficient(&event, c), -EINVAL);
	event.type = CANISTER_MODEL_EVENT_TYPES;
	assert_int_equal(canister_model_coefficient(&event, c), -EINVAL);
	assert_int_equal(canister_model_pseudonym_id(long_path, c), 0);
	long_path[CANISTER_MODEL_PATH_MAX] = 'a';
	assert_int_equal(canister_model_pseudonym_id(long_path, c), -ENAMETOOLONG);
}

/* A pseudonym's file takes SHA-256 of nothing as its digest; others keep their own. */
static void test_pseudonym_digest(void **state)
{
	static char long_path[CANISTER_MODEL_PATH_MAX + 2];
	struct canister_model *model = canister_model_new(NULL, NULL);
	uint8_t id[CANISTER_MODEL_DIGEST_SIZE], content[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t got[CANISTER_MODEL_DIGEST_SIZE], empty[CANISTER_MODEL_DIGEST_SIZE];

	assert_non_null(model);
	memset(long_path, 'a', sizeof(long_path) - 1);
	memset(content, 0x77, sizeof(content));
	/* No pseudonym yet: the content's digest; a path too long is refused all the same. */
	assert_int_equal(canister_model_file_digest(model, "/var/log/app.log", content, got), 0);
	assert_memory_equal(got, content, sizeof(got));
	assert_int_equal(canister_model_file_digest(model, long_path, content, got), -ENAMETOOLONG);
	assert_int_equal(model_sha256("", 0, NULL, 0, empty), 0);
	assert_memory_equal(empty, canister_model_pseudonym_digest, sizeof(empty));
	assert_int_equal(canister_model_pseudonym_id("/var/log/app.log", id), 0);
	assert_int_equal(canister_model_add_pseudonym(model, id), 0);
	assert_int_equal(canister_model_add_pseudonym(model, id), -EEXIST);
	assert_int_equal(canister_model_file_digest(model, "/var/log/app.log", content, got), 0);
	assert_memory_equal(got, empty, sizeof(got));
	assert_int_equal(canister_model_file_digest(model, "/var/log/app.log2", content, got), 0);
	assert_memory_equal(got, content, sizeof(got));
	assert_int_equal(canister_model_file_digest(model, long_path, content, got), -ENAMETOOLONG);
	canister_model_free(model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_exact_bytes),
		cmocka_unit_test(test_pid_time_comm_not_hashed),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_each_field_counts),
		cmocka_unit_test(test_task_id_binds_executable),
		cmocka_unit_test(test_strings_do_not_run_together),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_pseudonym_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
