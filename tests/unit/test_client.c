// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: libcanister's client against a fake canisterd thread speaking the protocol.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <canister/canister.h>

#include "lib/protocol.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_EXCHANGES 8

/*
 * One listening socket and a thread that answers each request on the first
 * connection with the next scripted reply (NULL: hang up instead), recording
 * what the client sent.  Assertions stay in the test's thread.
 */
struct fake_daemon {
	char dir[64];
	char path[108];
	int listen_fd;
	pthread_t thread;
	const char *replies[MAX_EXCHANGES];
	size_t reply_count;
	/* Filled by the thread, read after pthread_join(). */
	size_t received;
	int decode_result[MAX_EXCHANGES];
	struct canister_request requests[MAX_EXCHANGES];
};

static void *fake_daemon_main(void *arg)
{
	struct fake_daemon *fake = arg;
	char *buf = malloc(CANISTER_REQUEST_MAX + 1);
	int fd = accept4(fake->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	for (size_t i = 0; fd >= 0 && buf && i < fake->reply_count; i++) {
		ssize_t got = recv(fd, buf, CANISTER_REQUEST_MAX + 1, 0);
		char err[256];

		if (got <= 0)
			break;
		/* The daemon's own decoder judges what the client put on the wire. */
		fake->decode_result[i] =
			canister_request_decode(buf, got, &fake->requests[i], err, sizeof(err));
		fake->received++;
		if (!fake->replies[i])
			break;
		if (send(fd, fake->replies[i], strlen(fake->replies[i]), MSG_NOSIGNAL) < 0)
			break;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static void fake_daemon_start(struct fake_daemon *fake, const char *const *replies, size_t count)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	memset(fake, 0, sizeof(*fake));
	assert_true(count <= MAX_EXCHANGES);
	snprintf(fake->dir, sizeof(fake->dir), "/tmp/canister-test-client.XXXXXX");
	assert_non_null(mkdtemp(fake->dir));
	snprintf(fake->path, sizeof(fake->path), "%s/control.sock", fake->dir);
	strcpy(addr.sun_path, fake->path);
	fake->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(fake->listen_fd >= 0);
	assert_int_equal(bind(fake->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(fake->listen_fd, 4), 0);
	for (size_t i = 0; i < count; i++)
		fake->replies[i] = replies[i];
	fake->reply_count = count;
	assert_int_equal(pthread_create(&fake->thread, NULL, fake_daemon_main, fake), 0);
}

/* Closing the client first lets the thread's recv return; what it recorded stays in @fake. */
static void fake_daemon_stop(struct fake_daemon *fake, struct canister_client *client)
{
	canister_client_close(client);
	pthread_join(fake->thread, NULL);
	close(fake->listen_fd);
	unlink(fake->path);
	rmdir(fake->dir);
}

static struct canister_client *connect_to(struct fake_daemon *fake)
{
	struct canister_client *client = NULL;

	assert_int_equal(canister_client_connect(fake->path, &client), 0);
	assert_non_null(client);
	return client;
}

static void test_connect_missing_socket_is_enoent(void **state)
{
	struct canister_client *client = (struct canister_client *)0x1;

	assert_int_equal(canister_client_connect("/nonexistent/canister/control.sock", &client),
			 -ENOENT);
	assert_ptr_equal(client, (struct canister_client *)0x1);
}

/* A socket file left behind by a dead daemon: nothing listens. */
static void test_connect_stale_socket_is_econnrefused(void **state)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct canister_client *client = NULL;
	char dir[64];
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/canister-test-client.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/stale.sock", dir);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	assert_int_equal(canister_client_connect(addr.sun_path, &client), -ECONNREFUSED);
	assert_null(client);
	unlink(addr.sun_path);
	rmdir(dir);
}

static void test_connect_path_too_long(void **state)
{
	struct canister_client *client = NULL;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];

	/* sun_path holds 107 characters and the NUL; 108 cannot be addressed. */
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(canister_client_connect(path, &client), -ENAMETOOLONG);
	assert_null(client);
}

/* With no path given, $CANISTER_SOCKET decides where to connect. */
static void test_connect_uses_environment(void **state)
{
	static const char *const replies[] = { "{\"ok\":true,\"pid\":5,\"contid\":\"7\"}" };
	struct fake_daemon fake;
	struct canister_client *client = NULL;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 1);
	setenv("CANISTER_SOCKET", fake.path, 1);
	assert_int_equal(canister_client_connect(NULL, &client), 0);
	unsetenv("CANISTER_SOCKET");
	assert_int_equal(canister_get(client, 5, &contid), 0);
	assert_true(contid == 7);
	fake_daemon_stop(&fake, client);
}

static void test_get_sends_get_and_returns_contid(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":1234,\"contid\":\"18446744073709551614\"}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_get(client, 1234, &contid), 0);
	assert_true(contid == UINT64_MAX - 1);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.received, 1);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_GET);
	assert_int_equal(fake.requests[0].pid, 1234);
}

static void test_get_of_unlabelled_process_is_unset(void **state)
{
	static const char *const replies[] = { "{\"ok\":true,\"pid\":1,\"contid\":\"unset\"}" };
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_get(client, 1, &contid), 0);
	assert_true(contid == CANISTER_CONTID_UNSET);
	fake_daemon_stop(&fake, client);
}

static void test_set_sends_explicit_contid(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":77,\"contid\":\"9007199254740993\"}"
	};
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_set(client, 77, 9007199254740993ULL, &contid), 0);
	assert_true(contid == 9007199254740993ULL);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_SET);
	assert_int_equal(fake.requests[0].pid, 77);
	assert_false(fake.requests[0].allocate);
	assert_true(fake.requests[0].contid == 9007199254740993ULL);
}

/* CANISTER_CONTID_UNSET asks the daemon to choose, and the chosen contid comes back. */
static void test_set_unset_asks_daemon_to_allocate(void **state)
{
	static const char *const replies[] = { "{\"ok\":true,\"pid\":77,\"contid\":\"31337\"}" };
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_set(client, 77, CANISTER_CONTID_UNSET, &contid), 0);
	assert_true(contid == 31337);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_SET);
	assert_true(fake.requests[0].allocate);
}

/* Every refusal canister_set() documents reaches the caller as that errno, with the daemon's words.
 */
static void test_refusals_carry_errno_and_message(void **state)
{
	static const struct {
		int errnum;
		const char *reply;
		const char *message;
	} refusals[] = {
		{ EINVAL, "{\"ok\":false,\"errno\":\"EINVAL\",\"error\":\"bad contid\"}",
		  "bad contid" },
		{ EPERM, "{\"ok\":false,\"errno\":\"EPERM\",\"error\":\"lacks CAP_AUDIT_CONTROL\"}",
		  "lacks CAP_AUDIT_CONTROL" },
		{ ESRCH, "{\"ok\":false,\"errno\":\"ESRCH\",\"error\":\"no process 77\"}",
		  "no process 77" },
		{ EXDEV, "{\"ok\":false,\"errno\":\"EXDEV\",\"error\":\"the caller itself\"}",
		  "the caller itself" },
		{ EBUSY, "{\"ok\":false,\"errno\":\"EBUSY\",\"error\":\"has children\"}",
		  "has children" },
		{ EEXIST, "{\"ok\":false,\"errno\":\"EEXIST\",\"error\":\"already in 5\"}",
		  "already in 5" },
		{ ENOSPC, "{\"ok\":false,\"errno\":\"ENOSPC\",\"error\":\"table full\"}",
		  "table full" },
	};
	const char *replies[MAX_EXCHANGES];
	const size_t count = sizeof(refusals) / sizeof(refusals[0]);
	struct fake_daemon fake;
	struct canister_client *client;

	for (size_t i = 0; i < count; i++)
		replies[i] = refusals[i].reply;
	fake_daemon_start(&fake, replies, count);
	client = connect_to(&fake);
	for (size_t i = 0; i < count; i++) {
		uint64_t contid = 4242;

		assert_int_equal(canister_set(client, 77, 5, &contid), -refusals[i].errnum);
		assert_string_equal(canister_client_error(client), refusals[i].message);
		assert_true(contid == 4242);
	}
	fake_daemon_stop(&fake, client);
}

/* An errno this client cannot name must not turn into success or a random value. */
static void test_unknown_errno_name_is_eproto(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":false,\"errno\":\"EFUTURE\",\"error\":\"newer daemon\"}",
		"{\"ok\":false}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid;

	fake_daemon_start(&fake, replies, 2);
	client = connect_to(&fake);
	assert_int_equal(canister_get(client, 1, &contid), -EPROTO);
	assert_string_equal(canister_client_error(client), "newer daemon");
	assert_int_equal(canister_get(client, 1, &contid), -EPROTO);
	assert_non_null(canister_client_error(client));
	fake_daemon_stop(&fake, client);
}

static void test_malformed_replies_are_eproto(void **state)
{
	static const char *const replies[] = {
		"not json",
		"[true]",
		"{\"ok\":\"yes\",\"contid\":\"5\"}",
		"{\"contid\":\"5\"}",
		"{\"ok\":true}",
		"{\"ok\":true,\"contid\":5}",
		"{\"ok\":true,\"contid\":\"five\"}",
		"{\"ok\":true,\"contid\":\"18446744073709551615\"}",
	};
	const size_t count = sizeof(replies) / sizeof(replies[0]);
	struct fake_daemon fake;
	struct canister_client *client;

	fake_daemon_start(&fake, replies, count);
	client = connect_to(&fake);
	for (size_t i = 0; i < count; i++) {
		uint64_t contid = 4242;
		int r = canister_get(client, 1, &contid);

		if (r != -EPROTO)
			fail_msg("reply %s: got %d, expected -EPROTO", replies[i], r);
		assert_true(contid == 4242);
		assert_string_not_equal(canister_client_error(client), "no error");
	}
	fake_daemon_stop(&fake, client);
}

static void test_daemon_hanging_up_is_econnreset(void **state)
{
	static const char *const replies[] = { NULL };
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_get(client, 1, &contid), -ECONNRESET);
	assert_string_equal(canister_client_error(client), "canisterd closed the connection");
	fake_daemon_stop(&fake, client);
}

/* A reply over the limit is refused whole, not parsed from its truncated first part. */
static void test_oversized_reply_is_emsgsize(void **state)
{
	const char *replies[1];
	struct fake_daemon fake;
	struct canister_client *client;
	size_t len = CANISTER_REPLY_MAX + 1;
	char *reply = malloc(len + 1);
	uint64_t contid;

	assert_non_null(reply);
	/* Valid JSON up to the limit, so that only its size can be at fault. */
	snprintf(reply, len + 1, "{\"ok\":true,\"contid\":\"5\",\"pad\":\"");
	memset(reply + strlen(reply), 'x', len - strlen(reply) - 2);
	strcpy(reply + len - 2, "\"}");
	assert_int_equal(strlen(reply), len);
	replies[0] = reply;
	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_get(client, 1, &contid), -EMSGSIZE);
	fake_daemon_stop(&fake, client);
	free(reply);
}

static void test_status_json_returns_document(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"mode\":\"trace\",\"daemon\":{\"pid\":812},\"counters\":{\"lost\":0}"
		"}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	char *json = NULL;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_status_json(client, &json), 0);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"mode\":\"trace\""));
	assert_non_null(strstr(json, "\"pid\":812"));
	free(json);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_STATUS);
}

/* The error describes the last call only; a success after a failure clears it. */
static void test_error_describes_last_call(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":false,\"errno\":\"ESRCH\",\"error\":\"no process 9\"}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"3\"}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid;

	fake_daemon_start(&fake, replies, 2);
	client = connect_to(&fake);
	assert_string_equal(canister_client_error(client), "no error");
	assert_int_equal(canister_get(client, 9, &contid), -ESRCH);
	assert_string_equal(canister_client_error(client), "no process 9");
	assert_int_equal(canister_get(client, 1, &contid), 0);
	assert_string_equal(canister_client_error(client), "no error");
	fake_daemon_stop(&fake, client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_missing_socket_is_enoent),
		cmocka_unit_test(test_connect_stale_socket_is_econnrefused),
		cmocka_unit_test(test_connect_path_too_long),
		cmocka_unit_test(test_connect_uses_environment),
		cmocka_unit_test(test_get_sends_get_and_returns_contid),
		cmocka_unit_test(test_get_of_unlabelled_process_is_unset),
		cmocka_unit_test(test_set_sends_explicit_contid),
		cmocka_unit_test(test_set_unset_asks_daemon_to_allocate),
		cmocka_unit_test(test_refusals_carry_errno_and_message),
		cmocka_unit_test(test_unknown_errno_name_is_eproto),
		cmocka_unit_test(test_malformed_replies_are_eproto),
		cmocka_unit_test(test_daemon_hanging_up_is_econnreset),
		cmocka_unit_test(test_oversized_reply_is_emsgsize),
		cmocka_unit_test(test_status_json_returns_document),
		cmocka_unit_test(test_error_describes_last_call),
	};

	return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
