// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister unit tests: the behaviour-model export (TSEM's external-modeller JSON, one event a
 * line), and its coefficients recomputed by tests/tools/model-recompute.py, a python3 script that
 * knows only docs/model.md's layouts.  Without python3 the test fails: the independent check is
 * the point.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model_fixture.h"
#include "model/event_json.h"
#include "model/model.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECOMPUTE "tests/tools/model-recompute.py"

static char *export_line(const struct canister_model_event *event, uint64_t contid)
{
	char *line = NULL;
	int r = canister_model_event_json(event, contid, &line);

	if (r != 0)
		fail_msg("export of %s refused: %d", canister_model_event_name(event->type), r);
	assert_null(strchr(line, '\n'));
	return line;
}

/* The string at @path ("a.b.c") in @line's JSON. */
static void expect_field(const char *line, const char *path, const char *want)
{
	json_object *root = json_tokener_parse(line), *obj = root;
	char key[64];
	const char *at = path;

	assert_non_null(root);
	while (*at) {
		size_t len = strcspn(at, ".");

		snprintf(key, sizeof(key), "%.*s", (int)len, at);
		if (!json_object_object_get_ex(obj, key, &obj))
			fail_msg("no %s in %s", path, line);
		at += len + (at[len] == '.');
	}
	assert_string_equal(json_object_get_string(obj), want);
	json_object_put(root);
}

/* file_open as TSEM keys it, with canister's contid and the coefficient. */
static void test_file_open_fields(void **state)
{
	struct canister_model_event event = fixture_event(CANISTER_MODEL_FILE_OPEN);
	uint8_t c[CANISTER_MODEL_DIGEST_SIZE];
	char *line;

	event.pid = 4242;
	event.comm = "cat";
	event.ts = 123456789;
	assert_int_equal(canister_model_coefficient(&event, c), 0);
	line = export_line(&event, 7);
	expect_field(line, "export.type", "event");
	expect_field(line, "event.type", "file_open");
	expect_field(line, "event.contid", "7");
	expect_field(line, "event.coefficient", hex32(c));
	expect_field(line, "event.task_id", hex32(event.task_id));
	expect_field(line, "event.pid", "4242");
	expect_field(line, "event.process", "cat");
	expect_field(line, "event.ts", "123456789");
	expect_field(line, "COE.uid", "1000");
	expect_field(line, "COE.egid", "100");
	expect_field(line, "COE.capeff", "0x20");
	expect_field(line, "file_open.file.inode.mode", "0100644");
	expect_field(line, "file_open.file.inode.s_magic", "0xef53");
	expect_field(line, "file_open.file.inode.s_uuid", "000102030405060708090a0b0c0d0e0f");
	expect_field(line, "file_open.file.path.pathname", "/etc/passwd");
	expect_field(line, "file_open.file.digest", hex32(event.cell.file.digest));
	free(line);
}

static void test_address_fields(void **state)
{
	struct canister_model_event connect = fixture_event(CANISTER_MODEL_SOCKET_CONNECT);
	struct canister_model_event bind = fixture_event(CANISTER_MODEL_SOCKET_BIND);
	char *line;

	line = export_line(&connect, 1);
	expect_field(line, "socket_connect.addr", "192.0.2.1");
	expect_field(line, "socket_connect.port", "443");
	free(line);
	line = export_line(&bind, 1);
	expect_field(line, "socket_bind.addr", "::1");
	free(line);
}

/*
 * Every type, and variants (anonymous mmap, another family, a path that is
 * not UTF-8, a path with a quote and a control byte, a pseudonym's file),
 * exported to a file and recomputed by the python3 script.
 */
static void test_recomputed_independently(void **state)
{
	char path[] = "/tmp/canister-model-export-XXXXXX";
	FILE *f;
	int fd, status;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (int type = 0; type < CANISTER_MODEL_EVENT_TYPES; type++) {
		struct canister_model_event event = fixture_event(type);
		char *line = export_line(&event, (uint64_t)type + 1);

		fprintf(f, "%s\n", line);
		free(line);
	}
	{
		struct canister_model_event variants[5];
		char *line;

		variants[0] = fixture_event(CANISTER_MODEL_MMAP_FILE);
		variants[0].cell.mmap.anonymous = true;
		variants[0].cell.mmap.reqprot = 3; /* RW, made RWX by READ_IMPLIES_EXEC */
		variants[0].cell.mmap.prot = 7;
		variants[1] = fixture_event(CANISTER_MODEL_SOCKET_BIND);
		variants[1].cell.socket.family = 16; /* AF_NETLINK: the family alone */
		variants[2] = fixture_event(CANISTER_MODEL_FILE_OPEN);
		variants[2].cell.file.path = "/data/caf\xe9\xff.txt";
		variants[3] = fixture_event(CANISTER_MODEL_EXEC);
		variants[3].cell.file.path = "/opt/a \"quoted\"\tname\\x";
		variants[4] = fixture_event(CANISTER_MODEL_FILE_OPEN);
		memcpy(variants[4].cell.file.digest, canister_model_pseudonym_digest,
		       CANISTER_MODEL_DIGEST_SIZE);
		for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
			line = export_line(&variants[i], 99);
			fprintf(f, "%s\n", line);
			free(line);
		}
	}
	assert_int_equal(fclose(f), 0);

	status = run_recompute(path);
	unlink(path);
	if (status != 0)
		fail_msg("%s disagrees with the export (exit status %d)", RECOMPUTE, status);
}

/* The script is not a rubber stamp: a line with a wrong coefficient fails it. */
static void test_recompute_catches_a_wrong_line(void **state)
{
	struct canister_model_event event = fixture_event(CANISTER_MODEL_CAPABLE);
	char path[] = "/tmp/canister-model-export-XXXXXX";
	char args[256], *line, *field;
	FILE *f;
	int fd, status;

	line = export_line(&event, 1);
	field = strstr(line, "\"cap\": \"21\"");
	assert_non_null(field);
	/* "cap": "22" (CAP_SYS_BOOT) under the coefficient of CAP_SYS_ADMIN */
	field[9] = '2';
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", line);
	assert_int_equal(fclose(f), 0);
	free(line);
	snprintf(args, sizeof(args), "%s >/dev/null", path);
	status = run_recompute(args);
	unlink(path);
	assert_int_equal(status, 1);
}

static void test_refusals(void **state)
{
	struct canister_model_event event = fixture_event(CANISTER_MODEL_FILE_OPEN);
	char *line = (char *)&line;

	event.cell.file.path = NULL;
	assert_int_equal(canister_model_event_json(&event, 1, &line), -EINVAL);
	assert_ptr_equal(line, (char *)&line);
	event.type = CANISTER_MODEL_EVENT_TYPES;
	assert_int_equal(canister_model_event_json(&event, 1, &line), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_open_fields),
		cmocka_unit_test(test_address_fields),
		cmocka_unit_test(test_recomputed_independently),
		cmocka_unit_test(test_recompute_catches_a_wrong_line),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
