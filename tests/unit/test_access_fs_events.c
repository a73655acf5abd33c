// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: fanotify create and remove events parsed, and what they ask of a policy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "access/fs_event_parse.h"
#include "access/policy.h"

#include <errno.h>
#include <linux/fanotify.h>
#include <string.h>

/* One event as the kernel writes it: metadata, one DFID_NAME record (padded to 4). */
static size_t put_event(unsigned char *buf, uint64_t mask, int pid, uint32_t handle_bytes,
			const char *name)
{
	struct fanotify_event_metadata meta = {
		.vers = FANOTIFY_METADATA_VERSION,
		.metadata_len = sizeof(meta),
		.mask = mask,
		.fd = FAN_NOFD,
		.pid = pid,
	};
	struct fanotify_event_info_header head = { .info_type = FAN_EVENT_INFO_TYPE_DFID_NAME };
	uint32_t fsid[2] = { 0x1234, 0x5678 };
	int32_t type = 1;
	size_t at = sizeof(meta), rec = at;

	at += sizeof(head);
	memcpy(buf + at, fsid, sizeof(fsid));
	at += sizeof(fsid);
	memcpy(buf + at, &handle_bytes, 4);
	memcpy(buf + at + 4, &type, 4);
	at += 8;
	memset(buf + at, 0xab, handle_bytes);
	at += handle_bytes;
	memcpy(buf + at, name, strlen(name) + 1);
	at += strlen(name) + 1;
	while (at % 4)
		buf[at++] = 0;
	head.len = (uint16_t)(at - rec);
	memcpy(buf + rec, &head, sizeof(head));
	meta.event_len = (uint32_t)at;
	memcpy(buf, &meta, sizeof(meta));
	return at;
}

static void test_two_events(void **state)
{
	unsigned char buf[512];
	struct fs_event event;
	size_t len, offset = 0;

	(void)state;
	len = put_event(buf, FAN_CREATE, 42, 8, "new-file");
	len += put_event(buf + len, FAN_DELETE | FAN_ONDIR, 43, 12, "old-dir");
	assert_int_equal(fs_event_next(buf, len, &offset, &event), 1);
	assert_int_equal(event.mask, FAN_CREATE);
	assert_int_equal(event.pid, 42);
	assert_false(event.overflow);
	assert_int_equal(event.fsid[0], 0x1234);
	assert_int_equal(event.handle_bytes, 8);
	assert_int_equal(event.handle_type, 1);
	assert_string_equal(event.name, "new-file");
	assert_int_equal(event.name_len, 8);
	assert_int_equal(fs_event_next(buf, len, &offset, &event), 1);
	assert_int_equal(event.mask, FAN_DELETE | FAN_ONDIR);
	assert_int_equal(event.handle_bytes, 12);
	assert_string_equal(event.name, "old-dir");
	assert_int_equal(offset, len);
	assert_int_equal(fs_event_next(buf, len, &offset, &event), 0);
}

/* An overflow carries no record: counted, not refused. */
static void test_overflow(void **state)
{
	struct fanotify_event_metadata meta = {
		.event_len = sizeof(meta),
		.vers = FANOTIFY_METADATA_VERSION,
		.metadata_len = sizeof(meta),
		.mask = FAN_Q_OVERFLOW,
		.fd = FAN_NOFD,
	};
	struct fs_event event;
	size_t offset = 0;

	(void)state;
	assert_int_equal(fs_event_next(&meta, sizeof(meta), &offset, &event), 1);
	assert_true(event.overflow);
	assert_int_equal(offset, sizeof(meta));
}

/* Each malformed buffer refused, the offset left where it was. */
static void test_refused(void **state)
{
	unsigned char buf[512], bad[512];
	struct fanotify_event_metadata meta;
	struct fs_event event;
	size_t len, offset;

	(void)state;
	len = put_event(buf, FAN_CREATE, 42, 8, "name");
	/* Cut short anywhere. */
	for (size_t cut = 1; cut < len; cut++) {
		offset = 0;
		assert_int_equal(fs_event_next(buf, cut, &offset, &event), -EINVAL);
		assert_int_equal(offset, 0);
	}
	/* Another version. */
	memcpy(bad, buf, len);
	bad[4] = FANOTIFY_METADATA_VERSION + 1;
	offset = 0;
	assert_int_equal(fs_event_next(bad, len, &offset, &event), -EINVAL);
	/* A handle longer than its record. */
	memcpy(bad, buf, len);
	bad[sizeof(meta) + 12] = 200;
	offset = 0;
	assert_int_equal(fs_event_next(bad, len, &offset, &event), -EINVAL);
	/* A name without its NUL: the padding and terminator overwritten. */
	memcpy(bad, buf, len);
	memset(bad + len - 4, 'x', 4);
	offset = 0;
	assert_int_equal(fs_event_next(bad, len, &offset, &event), -EINVAL);
	/* A record of length 0 (would loop forever). */
	memcpy(bad, buf, len);
	bad[sizeof(meta) + 2] = 0;
	bad[sizeof(meta) + 3] = 0;
	offset = 0;
	assert_int_equal(fs_event_next(bad, len, &offset, &event), -EINVAL);
	/* No DFID_NAME record in an event that is not an overflow. */
	memcpy(&meta, buf, sizeof(meta));
	meta.event_len = sizeof(meta);
	offset = 0;
	assert_int_equal(fs_event_next(&meta, sizeof(meta), &offset, &event), -EINVAL);
}

static void test_right_and_path(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(fs_event_rights(FAN_CREATE), CANISTER_ACCESS_FS_CREATE);
	assert_int_equal(fs_event_rights(FAN_MOVED_TO | FAN_ONDIR), CANISTER_ACCESS_FS_CREATE);
	assert_int_equal(fs_event_rights(FAN_DELETE), CANISTER_ACCESS_FS_REMOVE);
	assert_int_equal(fs_event_rights(FAN_MOVED_FROM), CANISTER_ACCESS_FS_REMOVE);
	assert_int_equal(fs_event_rights(FAN_Q_OVERFLOW), 0);
	/* A name made and taken before the event was read: one merged event, both rights. */
	assert_int_equal(fs_event_rights(FAN_CREATE | FAN_DELETE | FAN_ONDIR),
			 CANISTER_ACCESS_FS_CREATE | CANISTER_ACCESS_FS_REMOVE);
	assert_int_equal(fs_event_path("/tmp", "a", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "/tmp/a");
	assert_int_equal(fs_event_path("/", "a", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "/a");
	assert_int_equal(fs_event_path("tmp", "a", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(fs_event_path("/tmp", "", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(fs_event_path("/tmp", "a/b", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(fs_event_path("/tmp", "0123456789a", buf, sizeof(buf)), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_events),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_right_and_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
