// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: audit records as JSON lines, read back with json-c and rebuilt byte for
 * byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/json.h"
#include "lib/audit_log.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYSCALL_RECORD                                                                            \
	"type=SYSCALL msg=audit(1700000000.456:77): arch=c000003e syscall=59 success=yes exit=0 " \
	"a0=55d0c0a8e0d0 a1=55d0c0a8e1b0 a2=55d0c0a8e1c8 a3=8 items=2 ppid=4241 pid=4242 "        \
	"auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 "       \
	"comm=\"true\" exe=\"/usr/bin/true\" subj=unconfined key=\"k1\""

#define USER_LOGIN_RECORD                                                         \
	"type=USER_LOGIN msg=audit(1700000001.002:78): pid=1 uid=0 auid=0 ses=1 " \
	"msg='op=login id=0 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=sshd res=success'"

#define AVC_RECORD                                                                             \
	"type=AVC msg=audit(1700000002.003:79): avc:  denied  { read } for  pid=1 comm=\"x\" " \
	"name=\"shadow\" dev=\"sda1\" ino=1234 scontext=system_u:system_r:x_t:s0 "             \
	"tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0"

/* The JSON line of @record, with its length checked against what was returned. */
static char *format_ok(const char *record, size_t len)
{
	size_t buf_len = CANISTER_AUDIT_JSON_MAX(len);
	char *buf = malloc(buf_len);
	int r;

	assert_non_null(buf);
	r = canister_audit_json_format(record, len, buf, buf_len);
	if (r < 0)
		fail_msg("%s: %s", record, strerror(-r));
	assert_int_equal(strlen(buf), r);
	assert_int_equal(buf[r - 1], '\n');
	assert_null(memchr(buf, '\n', (size_t)r - 1));
	return buf;
}

/* The line parsed by json-c, strictly and checking its UTF-8, as one object. */
static struct json_object *parse_line(const char *line)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *object;
	size_t len = strlen(line) - 1;

	assert_non_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	object = json_tokener_parse_ex(tok, line, (int)len);
	if (!object)
		fail_msg("not JSON (%s): %s", json_tokener_error_desc(json_tokener_get_error(tok)),
			 line);
	assert_int_equal(json_tokener_get_parse_end(tok), len);
	json_tokener_free(tok);
	assert_true(json_object_is_type(object, json_type_object));
	return object;
}

static void append(char **p, const char *text, size_t len)
{
	memcpy(*p, text, len);
	*p += len;
}

static void append_string(char **p, struct json_object *string)
{
	assert_true(json_object_is_type(string, json_type_string));
	append(p, json_object_get_string(string), (size_t)json_object_get_string_len(string));
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	fail_msg("not an uppercase hex digit: '%c'", c);
	return -1;
}

/*
 * The record rebuilt from the JSON of @line as a reader would: the keys in
 * their order, "node" only if there, "text" or "text_hex" (and "fields" only
 * with "text").  Returns its length in @rebuilt.
 */
static size_t rebuild(const char *line, char *rebuilt)
{
	static const char *const keys[] = { "node", "type", "time", "serial", "fields", "text" };
	struct json_object *object = parse_line(line);
	struct json_object_iterator it = json_object_iter_begin(object);
	struct json_object_iterator end = json_object_iter_end(object);
	struct json_object *serial, *value;
	char *p = rebuilt, number[32];
	size_t key = 0;
	bool hex = false;

	/* Keys in the promised order, each at most once, none else. */
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *name = json_object_iter_peek_name(&it);

		if (strcmp(name, "text_hex") == 0) {
			assert_true(key <= 4);
			key = 6;
			hex = true;
			continue;
		}
		while (key < 6 && strcmp(keys[key], name) != 0)
			key++;
		if (key == 6)
			fail_msg("key \"%s\" unexpected or out of order: %s", name, line);
		key++;
	}
	assert_int_equal(key, 6);
	assert_true(json_object_object_get_ex(object, "type", NULL));
	assert_true(json_object_object_get_ex(object, "time", NULL));
	assert_int_equal(json_object_object_get_ex(object, "fields", NULL), !hex);

	if (json_object_object_get_ex(object, "node", &value)) {
		append(&p, "node=", 5);
		append_string(&p, value);
		append(&p, " ", 1);
	}
	append(&p, "type=", 5);
	json_object_object_get_ex(object, "type", &value);
	append_string(&p, value);
	append(&p, " msg=audit(", 11);
	json_object_object_get_ex(object, "time", &value);
	append_string(&p, value);
	assert_true(json_object_object_get_ex(object, "serial", &serial));
	assert_true(json_object_is_type(serial, json_type_int));
	snprintf(number, sizeof(number), ":%" PRIu64 "): ", json_object_get_uint64(serial));
	append(&p, number, strlen(number));
	if (hex) {
		const char *digits;
		size_t n;

		json_object_object_get_ex(object, "text_hex", &value);
		digits = json_object_get_string(value);
		n = (size_t)json_object_get_string_len(value);
		assert_int_equal(n % 2, 0);
		for (size_t i = 0; i < n; i += 2)
			*p++ = (char)(hex_digit(digits[i]) << 4 | hex_digit(digits[i + 1]));
	} else {
		json_object_object_get_ex(object, "text", &value);
		append_string(&p, value);
	}
	json_object_put(object);
	return (size_t)(p - rebuilt);
}

/* Formats @record, checks that it rebuilds to itself, and returns the JSON line. */
static char *round_trip(const char *record, size_t len)
{
	char *line = format_ok(record, len);
	/* Every part of the record is in the line, unescaped and unhexed only shorter. */
	char *rebuilt = malloc(strlen(line) + 64);
	size_t rebuilt_len;

	assert_non_null(rebuilt);
	rebuilt_len = rebuild(line, rebuilt);
	assert_int_equal(rebuilt_len, len);
	assert_memory_equal(rebuilt, record, len);
	free(rebuilt);
	return line;
}

static struct json_object *fields_of(struct json_object *object)
{
	struct json_object *fields;

	assert_true(json_object_object_get_ex(object, "fields", &fields));
	assert_true(json_object_is_type(fields, json_type_object));
	return fields;
}

static void expect_field(struct json_object *fields, const char *name, const char *value)
{
	struct json_object *string;

	if (!json_object_object_get_ex(fields, name, &string))
		fail_msg("no field %s in %s", name, json_object_to_json_string(fields));
	assert_true(json_object_is_type(string, json_type_string));
	assert_string_equal(json_object_get_string(string), value);
}

static void expect_no_field(struct json_object *fields, const char *name)
{
	if (json_object_object_get_ex(fields, name, NULL))
		fail_msg("field %s in %s", name, json_object_to_json_string(fields));
}

static void test_syscall_exact_line(void **state)
{
	char *line = round_trip(SYSCALL_RECORD, strlen(SYSCALL_RECORD));

	/* The whole line, once, so that key order and json-c's spelling are pinned. */
	assert_string_equal(
		line,
		"{\"type\":\"SYSCALL\",\"time\":\"1700000000.456\",\"serial\":77,\"fields\":{"
		"\"arch\":\"c000003e\",\"syscall\":\"59\",\"success\":\"yes\",\"exit\":\"0\","
		"\"a0\":\"55d0c0a8e0d0\",\"a1\":\"55d0c0a8e1b0\",\"a2\":\"55d0c0a8e1c8\",\"a3\":"
		"\"8\","
		"\"items\":\"2\",\"ppid\":\"4241\",\"pid\":\"4242\",\"auid\":\"1000\",\"uid\":"
		"\"0\","
		"\"gid\":\"0\",\"euid\":\"0\",\"suid\":\"0\",\"fsuid\":\"0\",\"egid\":\"0\","
		"\"sgid\":\"0\",\"fsgid\":\"0\",\"tty\":\"pts0\",\"ses\":\"3\",\"comm\":\"true\","
		"\"exe\":\"/usr/bin/true\",\"subj\":\"unconfined\",\"key\":\"k1\"},"
		"\"text\":\"arch=c000003e syscall=59 success=yes exit=0 a0=55d0c0a8e0d0 "
		"a1=55d0c0a8e1b0 a2=55d0c0a8e1c8 a3=8 items=2 ppid=4241 pid=4242 auid=1000 uid=0 "
		"gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 "
		"comm=\\\"true\\\" "
		"exe=\\\"/usr/bin/true\\\" subj=unconfined key=\\\"k1\\\"\"}\n");
	free(line);
}

static void test_container_id(void **state)
{
	static const char record[] = "type=CONTAINER_ID msg=audit(1700000000.456:77): record=1 "
				     "contid=4,^2";
	char *line = round_trip(record, strlen(record));

	assert_string_equal(line, "{\"type\":\"CONTAINER_ID\",\"time\":\"1700000000.456\","
				  "\"serial\":77,\"fields\":{\"record\":\"1\",\"contid\":\"4,^2\"},"
				  "\"text\":\"record=1 contid=4,^2\"}\n");
	free(line);
}

static void test_user_record_msg_is_one_field(void **state)
{
	char *line = round_trip(USER_LOGIN_RECORD, strlen(USER_LOGIN_RECORD));
	struct json_object *object = parse_line(line);
	struct json_object *fields = fields_of(object);

	expect_field(fields, "pid", "1");
	expect_field(fields, "ses", "1");
	/* The single quotes go, the inner double quotes stay: it is the user's text. */
	expect_field(fields, "msg",
		     "op=login id=0 exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=sshd "
		     "res=success");
	/* The fields inside msg='...' are not top-level. */
	expect_no_field(fields, "op");
	expect_no_field(fields, "res");
	assert_int_equal(json_object_object_length(fields), 5);
	json_object_put(object);
	free(line);
}

static void test_avc_words_are_not_fields(void **state)
{
	char *line = round_trip(AVC_RECORD, strlen(AVC_RECORD));
	struct json_object *object = parse_line(line);
	struct json_object *fields = fields_of(object);
	struct json_object_iterator it = json_object_iter_begin(fields);

	/* "avc:", "denied", "{", "read", "}", "for" have no '=': the first field is pid. */
	assert_string_equal(json_object_iter_peek_name(&it), "pid");
	expect_field(fields, "comm", "x");
	expect_field(fields, "name", "shadow");
	expect_field(fields, "scontext", "system_u:system_r:x_t:s0");
	expect_field(fields, "permissive", "0");
	assert_int_equal(json_object_object_length(fields), 9);
	json_object_put(object);
	free(line);
}

static void test_unknown_type_and_big_serial(void **state)
{
	static const char unknown[] = "type=UNKNOWN[1340] msg=audit(1700000000.000:0): data=1";
	static const char big[] = "type=X msg=audit(0.999:18446744073709551615): ";
	struct json_object *object, *value;
	char *line = round_trip(unknown, strlen(unknown));

	object = parse_line(line);
	json_object_object_get_ex(object, "type", &value);
	assert_string_equal(json_object_get_string(value), "UNKNOWN[1340]");
	json_object_object_get_ex(object, "time", &value);
	assert_string_equal(json_object_get_string(value), "1700000000.000");
	json_object_object_get_ex(object, "serial", &value);
	assert_int_equal(json_object_get_int64(value), 0);
	json_object_put(object);
	free(line);

	/* 2^64-1 is a JSON number too, and an empty body an empty text without fields. */
	line = round_trip(big, strlen(big));
	assert_string_equal(line,
			    "{\"type\":\"X\",\"time\":\"0.999\",\"serial\":18446744073709551615,"
			    "\"fields\":{},\"text\":\"\"}\n");
	free(line);
}

static void test_node_prefix(void **state)
{
	static const char record[] = "node=web-1.example.org type=CONTAINER_ID "
				     "msg=audit(1700000000.456:77): record=1 contid=4";
	char *line = round_trip(record, strlen(record));

	assert_string_equal(line,
			    "{\"node\":\"web-1.example.org\",\"type\":\"CONTAINER_ID\","
			    "\"time\":\"1700000000.456\",\"serial\":77,\"fields\":{"
			    "\"record\":\"1\",\"contid\":\"4\"},\"text\":\"record=1 contid=4\"}\n");
	free(line);
}

static void test_field_rules(void **state)
{
	static const char record[] =
		"type=X msg=audit(1.000:1): a=1 a=2 empty= q=\"two words\" junk=\"x\"y =nameless "
		"\"n\"=1 s='it's here' tail=\"end\"\x1d"
		"UID=\"root\" ARCH=x86_64";
	char *line = round_trip(record, sizeof(record) - 1);
	struct json_object *object = parse_line(line);
	struct json_object *fields = fields_of(object);

	expect_field(fields, "a", "1"); /* the first of two */
	expect_field(fields, "empty", "");
	expect_field(fields, "q", "two words");
	expect_no_field(fields, "junk"); /* goes on past its closing quote */
	expect_no_field(fields, "");
	expect_no_field(fields, "\"n\"");
	/* A quote inside a single-quoted value does not end it; one before a blank does. */
	expect_field(fields, "s", "it's here");
	/* auditd's enriched fields come after 0x1d. */
	expect_field(fields, "tail", "end");
	expect_field(fields, "UID", "root");
	expect_field(fields, "ARCH", "x86_64");
	assert_int_equal(json_object_object_length(fields), 7);
	json_object_put(object);
	free(line);
}

static void test_unclosed_quote_ends_fields(void **state)
{
	static const char cut[] = "type=EXECVE msg=audit(1.000:1): argc=2 a0=\"sh\" a1=\"never "
				  "closed x=1";
	static const char cut_single[] = "type=USER msg=audit(1.000:1): pid=1 msg='op=x res=1";
	struct json_object *object, *fields;
	char *line = round_trip(cut, strlen(cut));

	object = parse_line(line);
	fields = fields_of(object);
	expect_field(fields, "a0", "sh");
	/* A record cut short: what follows the open quote is the quoted value's, not a field. */
	expect_no_field(fields, "a1");
	expect_no_field(fields, "x");
	assert_int_equal(json_object_object_length(fields), 2);
	json_object_put(object);
	free(line);

	line = round_trip(cut_single, strlen(cut_single));
	object = parse_line(line);
	fields = fields_of(object);
	expect_field(fields, "pid", "1");
	expect_no_field(fields, "msg");
	expect_no_field(fields, "res");
	json_object_put(object);
	free(line);
}

static void test_control_bytes_and_utf8_stay_text(void **state)
{
	/* A tab, a DEL, a backslash, a slash and UTF-8 up to 4 bytes: all JSON can carry. */
	static const char record[] = "type=X msg=audit(1.000:1): t=\"a\tb\" d=\x7f b=\\ p=/x/y "
				     "u=caf\xc3\xa9 e=\xe2\x82\xac g=\xf0\x9f\x90\xb3 cr=\r";
	char *line = round_trip(record, strlen(record));
	struct json_object *object = parse_line(line);
	struct json_object *fields = fields_of(object);

	assert_null(strstr(line, "text_hex"));
	/* NOSLASHESCAPE: paths stay readable. */
	assert_non_null(strstr(line, "\"p\":\"/x/y\""));
	expect_field(fields, "t", "a\tb");
	expect_field(fields, "u", "caf\xc3\xa9");
	expect_field(fields, "g", "\xf0\x9f\x90\xb3");
	expect_field(fields, "cr", "\r");
	json_object_put(object);
	free(line);
}

static void expect_hex(const char *body, size_t body_len, const char *expected_hex)
{
	char record[256], expected[512];
	size_t head = (size_t)snprintf(record, sizeof(record), "type=X msg=audit(1.000:1): ");
	char *line;

	memcpy(record + head, body, body_len);
	line = round_trip(record, head + body_len);
	snprintf(expected, sizeof(expected),
		 "{\"type\":\"X\",\"time\":\"1.000\",\"serial\":1,\"text_hex\":\"%s\"}\n",
		 expected_hex);
	assert_string_equal(line, expected);
	free(line);
}

static void test_non_utf8_body_is_hex(void **state)
{
	expect_hex("a=\xff", 3, "613DFF");
	expect_hex("comm=\"\xc3\"", 8, "636F6D6D3D22C322");	   /* cut short */
	expect_hex("a=\xc0\xaf", 4, "613DC0AF");		   /* overlong '/' */
	expect_hex("a=\xe0\x80\xaf", 5, "613DE080AF");		   /* overlong, 3 bytes */
	expect_hex("a=\xed\xa0\x80", 5, "613DEDA080");		   /* a surrogate */
	expect_hex("a=\xf4\x90\x80\x80", 6, "613DF4908080");	   /* above U+10FFFF */
	expect_hex("a=\x80", 3, "613D80");			   /* a lone continuation */
	expect_hex("\xf0\x9f\x90", 3, "F09F90");		   /* 4 bytes cut at the end */
	expect_hex("a=\xf8\x88\x80\x80\x80", 7, "613DF888808080"); /* 5-byte form */
}

static void expect_invalid(const char *record, size_t len)
{
	char buf[512];

	memset(buf, 'X', sizeof(buf));
	if (canister_audit_json_format(record, len, buf, sizeof(buf)) != -EINVAL)
		fail_msg("accepted: %.*s", (int)len, record);
	/* Nothing half-written for a caller that ignores the error. */
	assert_int_equal(buf[0], '\0');
}

#define EXPECT_INVALID(s) expect_invalid(s, sizeof(s) - 1)

static void test_header_errors(void **state)
{
	char buf[64];

	assert_int_equal(canister_audit_json_format(NULL, 0, buf, sizeof(buf)), -EINVAL);
	EXPECT_INVALID("");
	EXPECT_INVALID("msg=audit(1.000:1): a=1");			      /* no type= */
	EXPECT_INVALID(" type=X msg=audit(1.000:1): a=1");		      /* not at the start */
	EXPECT_INVALID("type= msg=audit(1.000:1): a=1");		      /* empty type */
	EXPECT_INVALID("type=X  msg=audit(1.000:1): a=1");		      /* two spaces */
	EXPECT_INVALID("type=X\tmsg=audit(1.000:1): a=1");		      /* not a space */
	EXPECT_INVALID("type=\xc3\xa9 msg=audit(1.000:1): a=1");	      /* not ASCII */
	EXPECT_INVALID("type=X");					      /* no msg= */
	EXPECT_INVALID("type=X msg=1.000:1): a=1");			      /* no audit( */
	EXPECT_INVALID("type=X msg=audit(.000:1): a=1");		      /* no seconds */
	EXPECT_INVALID("type=X msg=audit(x.000:1): a=1");		      /* not digits */
	EXPECT_INVALID("type=X msg=audit(123456789012345678901.000:1): a=1"); /* 21 digits */
	EXPECT_INVALID("type=X msg=audit(1:1): a=1");			      /* no millis */
	EXPECT_INVALID("type=X msg=audit(1.00:1): a=1");		      /* 2 digits */
	EXPECT_INVALID("type=X msg=audit(1.0000:1): a=1");		      /* 4 digits */
	EXPECT_INVALID("type=X msg=audit(1.000): a=1");			      /* no serial */
	EXPECT_INVALID("type=X msg=audit(1.000:): a=1");		      /* empty serial */
	EXPECT_INVALID("type=X msg=audit(1.000:07): a=1");		      /* leading zero */
	EXPECT_INVALID("type=X msg=audit(1.000:18446744073709551616): a=1");  /* 2^64 */
	EXPECT_INVALID("type=X msg=audit(1.000:-1): a=1");		      /* negative */
	EXPECT_INVALID("type=X msg=audit(1.000:1) a=1");		      /* no colon */
	EXPECT_INVALID("type=X msg=audit(1.000:1):a=1");		      /* no space */
	EXPECT_INVALID("type=X msg=audit(1.000:1):");		/* no body to rebuild */
	EXPECT_INVALID("type=X msg=audit(1.000:1");		/* cut short */
	EXPECT_INVALID("node= type=X msg=audit(1.000:1): a=1"); /* empty node */
	EXPECT_INVALID("node=n msg=audit(1.000:1): a=1");	/* node, no type */
	EXPECT_INVALID("node=n");
	EXPECT_INVALID("node=a\x01 type=X msg=audit(1.000:1): a=1"); /* control byte */
	EXPECT_INVALID("type=X msg=audit(1.000:1): a=1\nb=2");	     /* newline in the body */
	EXPECT_INVALID("type=X msg=audit(1.000:1): a=1\n");	     /* even at the end */
	EXPECT_INVALID("type=X msg=audit(1.000:1): a=1\0b=2");	     /* NUL in the body */
	EXPECT_INVALID("type=X\0msg=audit(1.000:1): a=1");
}

static void test_too_small_at_the_exact_boundary(void **state)
{
	static const char record[] = "type=CONTAINER_ID msg=audit(1700000000.456:77): record=1 "
				     "contid=4,^2";
	char *line = format_ok(record, strlen(record));
	size_t need = strlen(line) + 1; /* the NUL too */
	char *buf = malloc(need + 1);

	assert_non_null(buf);
	memset(buf, 'X', need + 1);
	assert_int_equal(canister_audit_json_format(record, strlen(record), buf, need - 1),
			 -ENOSPC);
	assert_int_equal(buf[0], '\0');
	/* Nothing past the first byte was touched either. */
	for (size_t i = 1; i < need + 1; i++)
		assert_int_equal(buf[i], 'X');
	assert_int_equal(canister_audit_json_format(record, strlen(record), buf, need), need - 1);
	assert_string_equal(buf, line);
	assert_int_equal(buf[need], 'X');

	assert_int_equal(canister_audit_json_format(record, strlen(record), buf, 1), -ENOSPC);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(canister_audit_json_format(record, strlen(record), NULL, 0), -ENOSPC);
	/* -EINVAL is told before -ENOSPC: the record is wrong whatever the buffer. */
	assert_int_equal(canister_audit_json_format("x", 1, NULL, 0), -EINVAL);
	free(buf);
	free(line);
}

#define PROCTITLE_HEAD "type=PROCTITLE msg=audit(1700000000.456:77): proctitle="
#define PROCTITLE_HEAD_LEN (sizeof(PROCTITLE_HEAD) - 1)

/* A PROCTITLE of @hex_len hex digits: the kernel's longest records are of this kind. */
static char *proctitle(size_t hex_len, size_t *ret_len)
{
	size_t len = PROCTITLE_HEAD_LEN + hex_len;
	char *record = malloc(len + 1);

	assert_non_null(record);
	memcpy(record, PROCTITLE_HEAD, PROCTITLE_HEAD_LEN);
	for (size_t i = 0; i < hex_len; i++)
		record[PROCTITLE_HEAD_LEN + i] = "0123456789ABCDEF"[i % 16];
	record[len] = '\0';
	*ret_len = len;
	return record;
}

static void test_16k_proctitle(void **state)
{
	size_t len;
	/* The longest line the audit log writes: CANISTER_AUDIT_LINE_MAX less its newline. */
	size_t hex_len = CANISTER_AUDIT_LINE_MAX - 1 - PROCTITLE_HEAD_LEN;
	char *record = proctitle(hex_len, &len);
	char *line;
	struct json_object *object, *fields, *value;

	assert_int_equal(len, CANISTER_AUDIT_LINE_MAX - 1);
	line = round_trip(record, len);
	object = parse_line(line);
	fields = fields_of(object);
	assert_true(json_object_object_get_ex(fields, "proctitle", &value));
	assert_int_equal(json_object_get_string_len(value), hex_len);
	assert_memory_equal(json_object_get_string(value), record + PROCTITLE_HEAD_LEN, hex_len);
	json_object_put(object);
	free(line);
	free(record);
}

/*
 * The bound is met by the worst body: every byte a control byte (six bytes in
 * JSON), in as many fields as fit, so that each appears in "text" and again
 * in "fields".
 */
static void test_bound_holds_for_the_worst_body(void **state)
{
	static const char head[] = "node=\"\"\"\"\"\"\"\" type=\\\\\\\\ msg=audit(1.000:1): ";
	size_t len = CANISTER_AUDIT_LINE_MAX - 1, used = sizeof(head) - 1;
	char *record = malloc(len);
	char *buf = malloc(CANISTER_AUDIT_JSON_MAX(len));
	unsigned int n = 0;
	int r;

	assert_non_null(record);
	assert_non_null(buf);
	memcpy(record, head, used);
	/*
	 * "\x01\x02\x03=\x1f ": names of three control bytes, all different so
	 * that none is dropped; not \n (refused) nor 0x1d (a separator).
	 */
	while (used + 6 <= len) {
		for (unsigned int k = 0, digits = n; k < 3; k++, digits /= 29) {
			char c = (char)(1 + digits % 29);

			c += c >= '\n';
			c += c >= '\x1d';
			record[used++] = c;
		}
		record[used++] = '=';
		record[used++] = '\x1f';
		record[used++] = ' ';
		n++;
	}
	while (used < len)
		record[used++] = '\x1f';
	r = canister_audit_json_format(record, len, buf, CANISTER_AUDIT_JSON_MAX(len));
	assert_true(r > 0);
	print_message("worst body: %zu bytes -> %d bytes of JSON (bound %zu)\n", len, r,
		      CANISTER_AUDIT_JSON_MAX(len));
	/* Close to the bound, so that the bound is tight enough to mean something. */
	assert_true((size_t)r > CANISTER_AUDIT_JSON_MAX(len) / 2);
	free(buf);
	free(record);
}

static void test_too_long_record(void **state)
{
	size_t len;
	char *record = proctitle(CANISTER_AUDIT_JSON_RECORD_MAX, &len);
	char buf[16];

	assert_int_equal(canister_audit_json_format(record, len, buf, sizeof(buf)), -EINVAL);
	free(record);
}

/* Not a test of speed (nothing is asserted on time): the figure for the report. */
static void test_measure_syscall_rate(void **state)
{
	char buf[CANISTER_AUDIT_JSON_MAX(sizeof(SYSCALL_RECORD))];
	struct timespec start, stop;
	const int rounds = 200000;
	double seconds;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int i = 0; i < rounds; i++)
		assert_true(canister_audit_json_format(SYSCALL_RECORD, sizeof(SYSCALL_RECORD) - 1,
						       buf, sizeof(buf)) > 0);
	clock_gettime(CLOCK_MONOTONIC, &stop);
	seconds = (double)(stop.tv_sec - start.tv_sec) + (stop.tv_nsec - start.tv_nsec) / 1e9;
	print_message("SYSCALL record (%zu bytes) to JSON: %.0f records/s (%.2f us each)\n",
		      sizeof(SYSCALL_RECORD) - 1, rounds / seconds, seconds / rounds * 1e6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall_exact_line),
		cmocka_unit_test(test_container_id),
		cmocka_unit_test(test_user_record_msg_is_one_field),
		cmocka_unit_test(test_avc_words_are_not_fields),
		cmocka_unit_test(test_unknown_type_and_big_serial),
		cmocka_unit_test(test_node_prefix),
		cmocka_unit_test(test_field_rules),
		cmocka_unit_test(test_unclosed_quote_ends_fields),
		cmocka_unit_test(test_control_bytes_and_utf8_stay_text),
		cmocka_unit_test(test_non_utf8_body_is_hex),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_too_small_at_the_exact_boundary),
		cmocka_unit_test(test_16k_proctitle),
		cmocka_unit_test(test_bound_holds_for_the_worst_body),
		cmocka_unit_test(test_too_long_record),
		cmocka_unit_test(test_measure_syscall_rate),
	};

	return cmocka_run_group_tests_name("audit_json", tests, NULL, NULL);
}
