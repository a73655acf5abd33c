// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a helper in a container's root under a deadline (core/in_root.c) and the
 * framing of its messages (lib/in_root_msg.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/in_root.h"
#include "lib/in_root_msg.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void test_msg_round_trip(void **state)
{
	char buf[IN_ROOT_MSG_MAX];
	struct in_root_msg msg;
	uint64_t value = 0x1122334455667788ull, back = 0;
	long len;

	(void)state;
	len = in_root_msg_encode(buf, sizeof(buf), 7, -ENOENT, &value, sizeof(value));
	assert_int_equal(len, 16 + 8);
	assert_int_equal(in_root_msg_decode(buf, (size_t)len, &msg), 0);
	assert_int_equal(msg.tag, 7);
	assert_int_equal(msg.err, -ENOENT);
	assert_int_equal(in_root_msg_fixed(&msg, &back, sizeof(back)), 0);
	assert_true(back == value);
	/* A payload of another size than the caller's struct is refused, not cut or padded. */
	assert_int_equal(in_root_msg_fixed(&msg, &back, 4), -EBADMSG);
	assert_null(in_root_msg_string(&msg));

	len = in_root_msg_encode(buf, sizeof(buf), 0, 0, "/srv/x", 7);
	assert_int_equal(in_root_msg_decode(buf, (size_t)len, &msg), 0);
	assert_string_equal(in_root_msg_string(&msg), "/srv/x");
	/* No payload at all: a result that is its errno alone. */
	len = in_root_msg_encode(buf, sizeof(buf), 0x40000003u, 0, NULL, 0);
	assert_int_equal(len, 16);
	assert_int_equal(in_root_msg_decode(buf, (size_t)len, &msg), 0);
	assert_int_equal(msg.size, 0);
	assert_null(in_root_msg_string(&msg));
}

static void test_msg_encode_refusals(void **state)
{
	char buf[64], big[IN_ROOT_MSG_MAX + 1] = { 0 };

	(void)state;
	assert_int_equal(in_root_msg_encode(buf, sizeof(buf), 0, 1, NULL, 0), -EINVAL);
	assert_int_equal(in_root_msg_encode(buf, sizeof(buf), 0, -4096, NULL, 0), -EINVAL);
	assert_int_equal(in_root_msg_encode(buf, sizeof(buf), 0, 0, big, 49), -EMSGSIZE);
	assert_int_equal(in_root_msg_encode(big, sizeof(big), 0, 0, big, IN_ROOT_MSG_MAX),
			 -EMSGSIZE);
}

static void test_msg_decode_refusals(void **state)
{
	struct in_root_msg_head head = { .tag = 1, .err = 0, .size = 4 };
	struct in_root_msg msg = { .tag = 99 };
	char buf[32] = { 0 };

	(void)state;
	memcpy(buf, &head, sizeof(head));
	/* Shorter than a head, a size that is not the rest (either way). */
	assert_int_equal(in_root_msg_decode(buf, 15, &msg), -EBADMSG);
	assert_int_equal(in_root_msg_decode(buf, 16 + 3, &msg), -EBADMSG);
	assert_int_equal(in_root_msg_decode(buf, 16 + 5, &msg), -EBADMSG);
	assert_int_equal(in_root_msg_decode(buf, 16 + 4, &msg), 0);
	head.pad = 1;
	memcpy(buf, &head, sizeof(head));
	assert_int_equal(in_root_msg_decode(buf, 16 + 4, &msg), -EBADMSG);
	head = (struct in_root_msg_head){ .err = 5, .size = 0 };
	memcpy(buf, &head, sizeof(head));
	assert_int_equal(in_root_msg_decode(buf, 16, &msg), -ERANGE);
	head.err = -4096;
	memcpy(buf, &head, sizeof(head));
	assert_int_equal(in_root_msg_decode(buf, 16, &msg), -ERANGE);
	/* Written only on success. */
	msg.tag = 99;
	assert_int_equal(in_root_msg_decode(buf, 16, &msg), -ERANGE);
	assert_int_equal(msg.tag, 99);
	/* A string payload must end with its only NUL. */
	head = (struct in_root_msg_head){ .size = 4 };
	memcpy(buf, &head, sizeof(head));
	memcpy(buf + 16, "a\0b\0", 4);
	assert_int_equal(in_root_msg_decode(buf, 20, &msg), 0);
	assert_null(in_root_msg_string(&msg));
	memcpy(buf + 16, "abcd", 4);
	assert_int_equal(in_root_msg_decode(buf, 20, &msg), 0);
	assert_null(in_root_msg_string(&msg));
}

/* Whether @pid is still a process of ours: a zombie counts, a reaped one not. */
static bool alive(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0;
}

struct tell_args {
	int kept, closed, passed;
};

/* Three results, one with a descriptor; and whether a descriptor not kept was closed. */
static void tell(int sock, void *arg)
{
	const struct tell_args *args = arg;
	int closed = fcntl(args->closed, F_GETFD) < 0 ? -EBADF : 0;
	int kept = fcntl(args->kept, F_GETFD) < 0 ? -EBADF : 0;

	in_root_send(sock, 1, closed, NULL, 0, -1);
	in_root_send(sock, 2, kept, NULL, 0, -1);
	in_root_send(sock, 3, 0, "dir", 4, args->passed);
}

static void test_helper_answers(void **state)
{
	char buf[IN_ROOT_MSG_MAX], why[256], got[4] = { 0 };
	int pipefd[2], other[2], fd = -1;
	struct tell_args args;
	struct in_root_msg msg;
	struct in_root h;
	unsigned int n = 0;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	assert_int_equal(pipe2(other, O_CLOEXEC), 0);
	args = (struct tell_args){ .kept = pipefd[0], .closed = other[0], .passed = pipefd[1] };
	assert_int_equal(in_root_start(&h, "the test helper", 5000, &pipefd[0], 2, tell, &args, why,
				       sizeof(why)),
			 0);
	pid = h.pid;
	while (n < 3) {
		int r = in_root_recv(&h, buf, &msg, &fd);

		if (r == 0) {
			assert_int_equal(in_root_wait(&h, -1), 1);
			continue;
		}
		assert_int_equal(r, 1);
		n++;
		if (msg.tag == 1)
			assert_int_equal(msg.err, -EBADF);
		if (msg.tag == 2)
			assert_int_equal(msg.err, 0);
		if (msg.tag == 3)
			assert_string_equal(in_root_msg_string(&msg), "dir");
		else
			assert_int_equal(fd, -1);
	}
	/* The descriptor it passed is the pipe's write end: what goes in comes out. */
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	assert_int_equal(read(pipefd[0], got, 1), 1);
	assert_string_equal(got, "x");
	close(fd);
	/* Ended by itself: waited for within its deadline, reaped, no zombie. */
	assert_true(in_root_end(&h, false));
	assert_int_equal(h.pid, 0);
	assert_false(alive(pid));
	close(pipefd[0]);
	close(pipefd[1]);
	close(other[0]);
	close(other[1]);
}

/* A helper held in a walk that never returns: an open of a fifo nobody writes. */
static void hang(int sock, void *arg)
{
	(void)sock;
	(void)open((const char *)arg, O_RDONLY);
}

static void test_helper_past_deadline(void **state)
{
	char dir[] = "/tmp/in_root_test.XXXXXX", fifo[64], buf[IN_ROOT_MSG_MAX], why[256];
	struct in_root_stats before, after;
	struct timespec t0, t1;
	struct in_root_msg msg;
	struct in_root h;
	long elapsed_ms;
	pid_t pid;
	int tries;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	in_root_stats(&before);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(
		in_root_start(&h, "the test helper", 200, NULL, 0, hang, fifo, why, sizeof(why)),
		0);
	pid = h.pid;
	/* Nothing comes: the wait ends at the deadline, not later, whatever the caller asked. */
	assert_int_equal(in_root_recv(&h, buf, &msg, NULL), 0);
	assert_int_equal(in_root_wait(&h, 60000), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(elapsed_ms >= 190 && elapsed_ms < 5000);
	assert_true(in_root_expired(&h, &t1));
	/* Killed and let go at once: the caller does not wait for it to die. */
	in_root_end(&h, true);
	assert_int_equal(h.pid, 0);
	assert_int_equal(h.sock, -1);
	assert_int_equal(h.pidfd, -1);
	/* The tick reaps it once it died: no zombie left. */
	for (tries = 0; tries < 500 && alive(pid); tries++) {
		struct timespec pause = { .tv_nsec = 10000000 };

		in_root_tick();
		nanosleep(&pause, NULL);
	}
	assert_false(alive(pid));
	in_root_stats(&after);
	assert_true(after.started == before.started + 1);
	assert_true(after.killed == before.killed + 1);
	assert_int_equal(after.stuck, 0);
	unlink(fifo);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_round_trip),
		cmocka_unit_test(test_msg_encode_refusals),
		cmocka_unit_test(test_msg_decode_refusals),
		cmocka_unit_test(test_helper_answers),
		cmocka_unit_test(test_helper_past_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
