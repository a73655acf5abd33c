// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: kernel audit messages as auditd lines, grouped into events, with pids. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audit/grouper.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Messages as the kernel (6.1, x86_64) sends them on the audit netlink: the
 * type, and the text that audit_get_reply() leaves in reply.message.
 */
struct message {
	int type;
	const char *text;
};

/* execve("/usr/bin/ls", {"ls", "-l"}) by pid 8731, watched by "-a always,exit -S execve". */
static const struct message execve_event[] = {
	{ AUDIT_SYSCALL,
	  "audit(1700000000.123:42): arch=c000003e syscall=59 success=yes exit=0 a0=55d0c3b2e2a0 "
	  "a1=55d0c3b2e2c8 a2=55d0c3b2e2e0 a3=8 items=2 ppid=8700 pid=8731 auid=1000 uid=0 gid=0 "
	  "euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"ls\" "
	  "exe=\"/usr/bin/ls\" subj=unconfined key=\"exec\"" },
	{ AUDIT_EXECVE, "audit(1700000000.123:42): argc=2 a0=\"ls\" a1=\"-l\"" },
	{ AUDIT_CWD, "audit(1700000000.123:42): cwd=\"/root\"" },
	{ AUDIT_PATH,
	  "audit(1700000000.123:42): item=0 name=\"/usr/bin/ls\" inode=1835017 dev=fe:01 "
	  "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 "
	  "cap_fver=0 cap_frootid=0" },
	{ AUDIT_PROCTITLE, "audit(1700000000.123:42): proctitle=6C73002D6C" },
	/* The kernel's EOE has nothing after the stamp but the separating space. */
	{ AUDIT_EOE, "audit(1700000000.123:42): " },
};

/* kill(8775, SIGKILL) by pid 8731: the target is in OBJ_PID. */
static const struct message kill_event[] = {
	{ AUDIT_SYSCALL,
	  "audit(1700000001.500:77): arch=c000003e syscall=62 success=yes exit=0 a0=2247 a1=9 "
	  "a2=0 a3=7f4e2c1a2a80 items=0 ppid=8700 pid=8731 auid=1000 uid=0 gid=0 euid=0 suid=0 "
	  "fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"kill\" exe=\"/usr/bin/kill\" "
	  "subj=unconfined key=\"kill\"" },
	{ AUDIT_OBJ_PID,
	  "audit(1700000001.500:77): opid=8775 oauid=1000 ouid=0 oses=3 obj=unconfined "
	  "ocomm=\"sleep\"" },
	{ AUDIT_PROCTITLE, "audit(1700000001.500:77): proctitle=6B696C6C002D390038373735" },
	{ AUDIT_EOE, "audit(1700000001.500:77): " },
};

/* Writing /proc/self/loginuid: LOGIN inside the write(), then the write's own records. */
static const struct message login_event[] = {
	{ AUDIT_LOGIN,
	  "audit(1700000002.250:90): pid=8800 uid=0 subj=unconfined old-auid=4294967295 "
	  "auid=1000 tty=(none) old-ses=4294967295 ses=4 res=1" },
	{ AUDIT_SYSCALL,
	  "audit(1700000002.250:90): arch=c000003e syscall=1 success=yes exit=4 a0=8 "
	  "a1=7ffd9b2f1b40 a2=4 a3=0 items=0 ppid=1 pid=8800 auid=1000 uid=0 gid=0 euid=0 suid=0 "
	  "fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4 comm=\"sshd\" exe=\"/usr/sbin/sshd\" "
	  "subj=unconfined key=(null)" },
	{ AUDIT_PROCTITLE, "audit(1700000002.250:90): proctitle=737368643A20616C696365" },
	{ AUDIT_EOE, "audit(1700000002.250:90): " },
};

/* A user-space message relayed by the kernel: one record, no EOE. */
static const struct message user_start = {
	AUDIT_USER_START,
	"audit(1700000003.000:95): pid=8810 uid=0 auid=1000 ses=4 subj=unconfined "
	"msg='op=PAM:session_open grantors=pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" "
	"hostname=10.0.0.5 addr=10.0.0.5 terminal=ssh res=success'",
};

#define MAX_EVENTS 16
#define MAX_RECORDS 16

struct event {
	struct canister_record_stamp stamp;
	char *records[MAX_RECORDS];
	size_t record_count;
	struct canister_kaudit_subject subjects[MAX_RECORDS];
	size_t subject_count;
};

struct capture {
	struct event events[MAX_EVENTS];
	size_t count;
};

static void on_event(const struct canister_record_stamp *stamp, const char *const *records,
		     size_t record_count, const struct canister_kaudit_subject *subjects,
		     size_t subject_count, void *ctx)
{
	struct capture *c = ctx;
	struct event *e;

	assert_true(c->count < MAX_EVENTS);
	assert_true(record_count > 0 && record_count <= MAX_RECORDS);
	assert_true(subject_count <= record_count);
	e = &c->events[c->count++];
	e->stamp = *stamp;
	e->record_count = record_count;
	for (size_t i = 0; i < record_count; i++) {
		e->records[i] = strdup(records[i]);
		assert_non_null(e->records[i]);
	}
	e->subject_count = subject_count;
	memcpy(e->subjects, subjects, subject_count * sizeof(*subjects));
}

static void capture_clear(struct capture *c)
{
	for (size_t i = 0; i < c->count; i++)
		for (size_t j = 0; j < c->events[i].record_count; j++)
			free(c->events[i].records[j]);
	c->count = 0;
}

/* cmocka keeps one pointer of state, the grouper; the capture it feeds is here. */
static struct capture *the_capture;

static int setup_with_capture(void **state)
{
	struct canister_kaudit *k = NULL;

	the_capture = calloc(1, sizeof(*the_capture));
	if (!the_capture || canister_kaudit_new(on_event, the_capture, &k) < 0)
		return -1;
	*state = k;
	return 0;
}

static int teardown(void **state)
{
	canister_kaudit_free(*state);
	capture_clear(the_capture);
	free(the_capture);
	the_capture = NULL;
	return 0;
}

static struct capture *captured(void **state)
{
	return the_capture;
}

static void feed(struct canister_kaudit *k, const struct message *m)
{
	assert_int_equal(canister_kaudit_feed(k, m->type, m->text, strlen(m->text)), 0);
}

static void feed_all(struct canister_kaudit *k, const struct message *m, size_t count)
{
	for (size_t i = 0; i < count; i++)
		feed(k, &m[i]);
}

static void expect_stamp(const struct event *e, int64_t sec, uint32_t msec, uint64_t serial)
{
	assert_int_equal(e->stamp.sec, sec);
	assert_int_equal(e->stamp.msec, msec);
	assert_int_equal(e->stamp.serial, serial);
}

static void expect_subject(const struct event *e, size_t i, unsigned int record, pid_t pid,
			   bool target)
{
	assert_true(i < e->subject_count);
	assert_int_equal(e->subjects[i].record, record);
	assert_int_equal(e->subjects[i].pid, pid);
	assert_int_equal(e->subjects[i].target, target);
}

/* The line auditd writes for @m: the type's name, then the text. */
static void expect_line(const char *line, const char *name, const struct message *m)
{
	char expected[2048];

	snprintf(expected, sizeof(expected), "type=%s msg=%s", name, m->text);
	assert_string_equal(line, expected);
}

static void test_execve_is_one_event_of_five_records(void **state)
{
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);
	const struct event *e;

	feed_all(k, execve_event, 4);
	assert_int_equal(c->count, 0);
	/* libauparse ends an event at PROCTITLE; it is handed over before the feed returns. */
	feed(k, &execve_event[4]);
	assert_int_equal(c->count, 1);
	/* The EOE that follows adds nothing, and is not a record. */
	feed(k, &execve_event[5]);
	canister_kaudit_flush(k);
	assert_int_equal(c->count, 1);

	e = &c->events[0];
	expect_stamp(e, 1700000000, 123, 42);
	assert_int_equal(e->record_count, 5);
	expect_line(e->records[0], "SYSCALL", &execve_event[0]);
	expect_line(e->records[1], "EXECVE", &execve_event[1]);
	expect_line(e->records[2], "CWD", &execve_event[2]);
	expect_line(e->records[3], "PATH", &execve_event[3]);
	expect_line(e->records[4], "PROCTITLE", &execve_event[4]);
	/* ppid= is not pid=: only the process itself is named. */
	assert_int_equal(e->subject_count, 1);
	expect_subject(e, 0, 1, 8731, false);
}

static void test_eoe_ends_an_event_without_proctitle(void **state)
{
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);

	feed_all(k, execve_event, 4);
	assert_int_equal(c->count, 0);
	assert_int_equal(canister_kaudit_feed(k, AUDIT_EOE, "audit(1700000000.123:42): ", 26), 0);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->events[0].record_count, 4);
	expect_line(c->events[0].records[3], "PATH", &execve_event[3]);
}

static void test_kill_names_its_target(void **state)
{
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);
	const struct event *e;

	feed_all(k, kill_event, 4);
	assert_int_equal(c->count, 1);
	e = &c->events[0];
	expect_stamp(e, 1700000001, 500, 77);
	assert_int_equal(e->record_count, 3);
	expect_line(e->records[1], "OBJ_PID", &kill_event[1]);
	assert_int_equal(e->subject_count, 2);
	expect_subject(e, 0, 1, 8731, false);
	/* oauid=, ouid= and oses= are not pids; opid= is the target. */
	expect_subject(e, 1, 2, 8775, true);
}

static void test_interleaved_serials_are_kept_apart(void **state)
{
	static const struct message interleaved[] = {
		{ AUDIT_SYSCALL, "audit(1700000004.010:100): arch=c000003e syscall=257 success=yes "
				 "exit=3 items=1 ppid=1 pid=501 auid=0 uid=0 comm=\"cat\"" },
		{ AUDIT_SYSCALL, "audit(1700000004.010:101): arch=c000003e syscall=257 success=no "
				 "exit=-2 items=1 ppid=1 pid=502 auid=0 uid=0 comm=\"ls\"" },
		{ AUDIT_CWD, "audit(1700000004.010:101): cwd=\"/\"" },
		{ AUDIT_CWD, "audit(1700000004.010:100): cwd=\"/tmp\"" },
		{ AUDIT_PATH, "audit(1700000004.010:100): item=0 name=\"a\" nametype=NORMAL" },
		{ AUDIT_PATH, "audit(1700000004.010:101): item=0 name=\"b\" nametype=UNKNOWN" },
		{ AUDIT_PROCTITLE, "audit(1700000004.010:101): proctitle=6C73" },
		{ AUDIT_EOE, "audit(1700000004.010:101): " },
		{ AUDIT_PROCTITLE, "audit(1700000004.010:100): proctitle=636174" },
		{ AUDIT_EOE, "audit(1700000004.010:100): " },
	};
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);

	feed_all(k, interleaved, 7);
	/* 101 is complete, but libauparse keeps the order of first records: 100 is first. */
	assert_int_equal(c->count, 0);
	/* The kernel's EOE is final, whatever libauparse's order. */
	feed(k, &interleaved[7]);
	assert_int_equal(c->count, 1);
	feed_all(k, interleaved + 8, 2);
	canister_kaudit_flush(k);
	assert_int_equal(c->count, 2);

	expect_stamp(&c->events[0], 1700000004, 10, 101);
	assert_int_equal(c->events[0].record_count, 4);
	expect_line(c->events[0].records[0], "SYSCALL", &interleaved[1]);
	expect_line(c->events[0].records[1], "CWD", &interleaved[2]);
	expect_line(c->events[0].records[2], "PATH", &interleaved[5]);
	expect_line(c->events[0].records[3], "PROCTITLE", &interleaved[6]);
	expect_subject(&c->events[0], 0, 1, 502, false);

	expect_stamp(&c->events[1], 1700000004, 10, 100);
	assert_int_equal(c->events[1].record_count, 4);
	expect_line(c->events[1].records[0], "SYSCALL", &interleaved[0]);
	expect_line(c->events[1].records[1], "CWD", &interleaved[3]);
	expect_line(c->events[1].records[2], "PATH", &interleaved[4]);
	expect_line(c->events[1].records[3], "PROCTITLE", &interleaved[8]);
	expect_subject(&c->events[1], 0, 1, 501, false);
}

static void test_an_event_waits_behind_one_still_building(void **state)
{
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);
	char text[256];
	long long now = (long long)time(NULL);

	/* A SYSCALL without EOE, stamped now, then a whole event and a user message. */
	snprintf(text, sizeof(text), "audit(%lld.000:300): arch=c000003e syscall=2 pid=601", now);
	assert_int_equal(canister_kaudit_feed(k, AUDIT_SYSCALL, text, strlen(text)), 0);
	snprintf(text, sizeof(text), "audit(%lld.000:301): arch=c000003e syscall=2 pid=602", now);
	assert_int_equal(canister_kaudit_feed(k, AUDIT_SYSCALL, text, strlen(text)), 0);
	snprintf(text, sizeof(text), "audit(%lld.000:301): ", now);
	assert_int_equal(canister_kaudit_feed(k, AUDIT_EOE, text, strlen(text)), 0);
	snprintf(text, sizeof(text), "audit(%lld.000:302): pid=603 uid=0 msg='op=x'", now);
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER_START, text, strlen(text)), 0);
	/* The one ended by EOE goes at once; the user message waits behind 300. */
	assert_int_equal(c->count, 1);
	assert_int_equal(c->events[0].stamp.serial, 301);
	canister_kaudit_age(k);
	assert_int_equal(c->count, 1);

	/* The first ends (here by flush; by age two seconds on), and the rest follow in order. */
	canister_kaudit_flush(k);
	assert_int_equal(c->count, 3);
	assert_int_equal(c->events[1].stamp.serial, 300);
	assert_int_equal(c->events[2].stamp.serial, 302);
}

static void test_login_is_not_cut_from_its_syscall(void **state)
{
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);
	const struct event *e;

	/* libauparse ends an event at a LOGIN record; the write() that made it follows. */
	feed(k, &login_event[0]);
	assert_int_equal(c->count, 0);
	feed_all(k, login_event + 1, 3);
	assert_int_equal(c->count, 1);
	e = &c->events[0];
	expect_stamp(e, 1700000002, 250, 90);
	assert_int_equal(e->record_count, 3);
	expect_line(e->records[0], "LOGIN", &login_event[0]);
	expect_line(e->records[1], "SYSCALL", &login_event[1]);
	expect_line(e->records[2], "PROCTITLE", &login_event[2]);
	assert_int_equal(e->subject_count, 2);
	expect_subject(e, 0, 1, 8800, false);
	expect_subject(e, 1, 2, 8800, false);
}

static void test_single_records_by_age_and_flush(void **state)
{
	static const struct message lone_login = {
		AUDIT_LOGIN, "audit(1700000005.000:96): pid=8820 uid=0 old-auid=4294967295 "
			     "auid=1001 tty=(none) old-ses=4294967295 ses=5 res=1"
	};
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);
	char now_syscall[256];

	/* A user message is an event of its own at once. */
	feed(k, &user_start);
	assert_int_equal(c->count, 1);
	expect_line(c->events[0].records[0], "USER_START", &user_start);
	assert_int_equal(c->events[0].subject_count, 1);
	expect_subject(&c->events[0], 0, 1, 8810, false);

	/* A LOGIN outside any syscall waits for a syscall that never comes: age ends it. */
	feed(k, &lone_login);
	assert_int_equal(c->count, 1);
	canister_kaudit_age(k);
	assert_int_equal(c->count, 2);
	expect_line(c->events[1].records[0], "LOGIN", &lone_login);

	/* An event stamped now is not old enough to be aged; flush ends it. */
	snprintf(now_syscall, sizeof(now_syscall),
		 "audit(%lld.000:97): arch=c000003e syscall=2 success=yes exit=3 pid=8830",
		 (long long)time(NULL));
	assert_int_equal(canister_kaudit_feed(k, AUDIT_SYSCALL, now_syscall, strlen(now_syscall)),
			 0);
	canister_kaudit_age(k);
	assert_int_equal(c->count, 2);
	canister_kaudit_flush(k);
	assert_int_equal(c->count, 3);
	assert_int_equal(c->events[2].record_count, 1);
	expect_subject(&c->events[2], 0, 1, 8830, false);
	/* Nothing is handed over twice. */
	canister_kaudit_flush(k);
	canister_kaudit_age(k);
	assert_int_equal(c->count, 3);
}

static void test_an_old_event_without_end_goes_by_age(void **state)
{
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);

	feed_all(k, execve_event, 3);
	canister_kaudit_age(k);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->events[0].record_count, 3);
}

static void test_line_is_auditds(void **state)
{
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);
	char with_nul[] = "audit(1700000006.001:1): pid=1 uid=0\0 forged";
	char separator[] = "audit(1700000006.001:4): pid=4 uid=0 msg='a\x1d"
			   "b=c'";
	char big[MAX_AUDIT_MESSAGE_LENGTH + 1];
	const char *text;
	int len;

	/* A newline would forge a record of its own; auditd makes it a space. */
	text = "audit(1700000006.001:2): pid=2 uid=0 msg='op=x\ntype=LOGIN auid=0'\n";
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, text, strlen(text)), 0);
	/* The text ends at its first NUL, whatever the length says. */
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, with_nul, sizeof(with_nul)), 0);
	/* Only one trailing space goes. */
	text = "audit(1700000006.001:3): pid=3 uid=0 msg='x'  ";
	assert_int_equal(canister_kaudit_feed(k, 65000, text, strlen(text)), 0);
	/* libauparse cuts its copy of a line at 0x1d (enriched logs' separator); ours stays whole.
	 */
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, separator, strlen(separator)), 0);
	canister_kaudit_flush(k);

	assert_int_equal(c->count, 4);
	assert_string_equal(c->events[0].records[0],
			    "type=USER msg=audit(1700000006.001:2): pid=2 uid=0 "
			    "msg='op=x type=LOGIN auid=0'");
	assert_string_equal(c->events[1].records[0],
			    "type=USER msg=audit(1700000006.001:1): pid=1 uid=0");
	assert_string_equal(
		c->events[2].records[0],
		"type=UNKNOWN[65000] msg=audit(1700000006.001:3): pid=3 uid=0 msg='x' ");
	assert_string_equal(c->events[3].records[0],
			    "type=USER msg=audit(1700000006.001:4): pid=4 uid=0 msg='a\x1d"
			    "b=c'");
	capture_clear(c);

	/* The longest message netlink carries is taken whole; one byte more is refused. */
	len = snprintf(big, sizeof(big), "audit(1700000007.000:5): pid=5 data=");
	memset(big + len, 'A', sizeof(big) - 1 - (size_t)len);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, big, MAX_AUDIT_MESSAGE_LENGTH), 0);
	assert_int_equal(c->count, 1);
	assert_int_equal(strlen(c->events[0].records[0]),
			 strlen("type=USER msg=") + MAX_AUDIT_MESSAGE_LENGTH);
	big[sizeof(big) - 1] = 'A';
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, big, sizeof(big)), -EMSGSIZE);
}

static void test_subjects_only_from_pid_fields(void **state)
{
	static const struct message records[] = {
		/* No pid at all. */
		{ AUDIT_CONFIG_CHANGE, "audit(1700000008.000:6): auid=1000 ses=3 "
				       "subj=unconfined op=add_rule key=\"exec\" list=4 res=1" },
		/* A pid that is no number, or 0, names nobody. */
		{ AUDIT_USER, "audit(1700000008.000:7): pid=abc uid=0" },
		{ AUDIT_USER, "audit(1700000008.000:8): pid=0 uid=0" },
		{ AUDIT_USER, "audit(1700000008.000:9): pid=99999999999 uid=0" },
		/* The first pid= field counts, not one inside a later value. */
		{ AUDIT_USER, "audit(1700000008.000:10): spid=3 pid=12 uid=0 msg='pid=13'" },
	};
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);

	feed_all(k, records, 5);
	canister_kaudit_flush(k);
	assert_int_equal(c->count, 5);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(c->events[i].subject_count, 0);
	assert_int_equal(c->events[4].subject_count, 1);
	expect_subject(&c->events[4], 0, 1, 12, false);
}

static void test_malformed_is_refused_and_not_fed(void **state)
{
	static const char *const bad[] = {
		"",
		"audit(1700000009.000:11)",
		"audit(1700000009.000:11):pid=1",
		"audit(1700000009.00:11): pid=1",
		"audit(1700000009.0000:11): pid=1",
		"audit(1700000009:11): pid=1",
		"audit(.000:11): pid=1",
		"audit(1700000009.000:): pid=1",
		"audit(1700000009.000): pid=1",
		"audit 1700000009.000:11): pid=1",
		" audit(1700000009.000:11): pid=1",
		"type=SYSCALL msg=audit(1700000009.000:11): pid=1",
		"audit(-1700000009.000:11): pid=1",
		"audit(1700000009.000:-11): pid=1",
		"audit(1700000009\n.000:11): pid=1",
		/* More digits than the kernel writes, or than 64 bits hold. */
		"audit(1234567890123.000:11): pid=1",
		"audit(1700000009.000:18446744073709551616): pid=1",
		"\x01\x02\x03\x04",
	};
	struct canister_kaudit *k = *state;
	struct capture *c = captured(state);
	const char *good = "audit(1700000009.000:18446744073709551615): pid=1";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, bad[i], strlen(bad[i])),
				 -EINVAL);
	/* A good text cut before its stamp ends is as bad. */
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, good, 20), -EINVAL);
	assert_int_equal(canister_kaudit_feed(k, 0, good, strlen(good)), -EINVAL);
	assert_int_equal(canister_kaudit_feed(k, 65536, good, strlen(good)), -EINVAL);
	assert_int_equal(canister_kaudit_feed(k, -1300, good, strlen(good)), -EINVAL);
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, NULL, 5), -EINVAL);
	assert_int_equal(canister_kaudit_feed(NULL, AUDIT_USER, good, strlen(good)), -EINVAL);
	canister_kaudit_flush(k);
	assert_int_equal(c->count, 0);

	/* Nothing of them lingers: the next event is exactly its own. */
	feed_all(k, kill_event, 4);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->events[0].record_count, 3);
	assert_int_equal(canister_kaudit_feed(k, AUDIT_USER, good, strlen(good)), 0);
	canister_kaudit_flush(k);
	assert_int_equal(c->count, 2);
	expect_stamp(&c->events[1], 1700000009, 0, UINT64_MAX);
}

static void test_new_and_free_arguments(void **state)
{
	struct canister_kaudit *k = (void *)0x1;

	assert_int_equal(canister_kaudit_new(NULL, NULL, &k), -EINVAL);
	assert_ptr_equal(k, (void *)0x1);
	assert_int_equal(canister_kaudit_new(on_event, NULL, NULL), -EINVAL);
	canister_kaudit_free(NULL);
	canister_kaudit_age(NULL);
	canister_kaudit_flush(NULL);

	/* Freed with an event half built: nothing is handed over, nothing leaks. */
	assert_int_equal(canister_kaudit_new(on_event, NULL, &k), 0);
	feed_all(k, execve_event, 3);
	canister_kaudit_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_execve_is_one_event_of_five_records,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_eoe_ends_an_event_without_proctitle,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_kill_names_its_target, setup_with_capture,
						teardown),
		cmocka_unit_test_setup_teardown(test_interleaved_serials_are_kept_apart,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_an_event_waits_behind_one_still_building,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_login_is_not_cut_from_its_syscall,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_single_records_by_age_and_flush,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_an_old_event_without_end_goes_by_age,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_line_is_auditds, setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_subjects_only_from_pid_fields,
						setup_with_capture, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_is_refused_and_not_fed,
						setup_with_capture, teardown),
		cmocka_unit_test(test_new_and_free_arguments),
	};

	return cmocka_run_group_tests_name("kaudit_event", tests, NULL, NULL);
}
