// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: libcanister's client against a fake canisterd thread speaking the protocol.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <canister/canister.h>

#include "lib/client.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_EXCHANGES 32

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

	/* As canisterd does: the largest reply exceeds the default send buffer. */
	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &(int){ CANISTER_REPLY_MAX },
				  sizeof(int)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ CANISTER_REPLY_MAX }, sizeof(int));

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
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":5,\"contid\":\"7\",\"chain\":[\"7\"],\"delegated\":false}",
	};
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
		"{\"ok\":true,\"pid\":1234,\"contid\":\"18446744073709551614\","
		"\"chain\":[\"18446744073709551614\"],\"delegated\":false}",
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
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":1,\"contid\":\"unset\",\"chain\":[],\"delegated\":false}",
	};
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
		"{\"ok\":true,\"pid\":77,\"contid\":\"9007199254740993\",\"joined\":false}",
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
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":77,\"contid\":\"31337\",\"joined\":false}",
	};
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
		/* Good replies with something after them, or in a lenient dialect. */
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false} x",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false}{}",
		"{'ok':true,'pid':1,'contid':'5','chain':['5'],'delegated':false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false,}",
		/* Each of the rest is a good get reply but for one member. */
		"{\"ok\":true,\"pid\":1,\"contid\":5,\"chain\":[\"5\"],\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"five\",\"chain\":[\"5\"],\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"18446744073709551615\",\"chain\":[\"5\"],"
		"\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\\u0000\",\"chain\":[\"5\"],\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":\"5\",\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[],\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"2\",\"5\"],\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"]}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":0}",
		/* A member this client does not know is refused, not skipped. */
		"{\"ok\":true,\"pid\":1,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false,"
		"\"future\":{\"x\":1}}",
		"{\"ok\":true,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false}",
		"{\"ok\":true,\"pid\":0,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false}",
		/* An answer about another process than the one asked about. */
		"{\"ok\":true,\"pid\":2,\"contid\":\"5\",\"chain\":[\"5\"],\"delegated\":false}",
		"{\"ok\":false,\"errno\":\"ESRCH\",\"error\":\"gone\",\"pid\":1}",
		"{\"ok\":false,\"errno\":\"ESRCH\",\"error\":7}",
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
	char *reply;
	uint64_t contid;

	/* Only root may raise a socket's send buffer above what so large a datagram needs. */
	if (geteuid() != 0)
		skip();
	reply = malloc(len + 1);
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

/* A status document as canisterd writes it, with a little of everything. */
static char *status_document(void)
{
	struct canister_reply *reply = calloc(1, sizeof(*reply));
	struct canister_status *status;
	char *text = malloc(CANISTER_REPLY_MAX + 1);

	assert_non_null(reply);
	assert_non_null(text);
	reply->op = CANISTER_OP_STATUS;
	reply->ok = true;
	status = &reply->status;
	status->core.mode = CANISTER_MODE_TRACE;
	strcpy(status->core.mode_reason, "BPF LSM unavailable");
	status->core.daemon = (struct canister_daemon_status){
		.pid = 812,
		.version = "0.1.0",
		.started = 1714557600,
		.uptime_seconds = 59,
		.config = "/etc/canister/canister.conf",
		.pin_path = "/sys/fs/bpf/canister",
		.control_socket = "/run/canister/control.sock",
		.log = "stderr",
		.log_level = CANISTER_LOG_INFO,
		.audit_log = "/var/log/canister/audit.log",
		.nest_limit = 4,
		.join_policy = CANISTER_JOIN_LABEL,
	};
	status->core.feature_count = 1;
	status->core.features[0] = (struct canister_feature_status){ "bpffs", true, "mounted" };
	strcpy(status->core.protection, "trace mode");
	status->identity.labelled_processes = 3;
	status->audit.sink_count = 1;
	status->audit.sinks[0] = (struct canister_sink_status){ .contid = 4, .log = "/l/4.log" };
	assert_true(canister_reply_encode(reply, text, CANISTER_REPLY_MAX + 1) > 0);
	free(reply);
	return text;
}

static void test_status_read_and_json(void **state)
{
	char *document = status_document();
	const char *replies[] = { document, document, "{\"ok\":true,\"mode\":\"trace\"}" };
	struct canister_status *status = calloc(1, sizeof(*status));
	struct fake_daemon fake;
	struct canister_client *client;
	char *json = NULL;

	assert_non_null(status);
	fake_daemon_start(&fake, replies, 3);
	client = connect_to(&fake);
	assert_int_equal(canister_status_read(client, status), 0);
	assert_int_equal(status->core.daemon.pid, 812);
	assert_true(status->identity.labelled_processes == 3);
	assert_int_equal(status->audit.sink_count, 1);
	assert_string_equal(status->audit.sinks[0].log, "/l/4.log");
	assert_int_equal(canister_status_json(client, &json), 0);
	assert_non_null(json);
	/* The public API's text keeps the member names scripts use. */
	assert_non_null(strstr(json, "\"mode\":\"trace\""));
	assert_non_null(strstr(json, "\"pid\":812"));
	assert_non_null(strstr(json, "\"labelled_processes\":3"));
	free(json);
	/* Half a status is no status. */
	json = (char *)0x1;
	assert_int_equal(canister_status_json(client, &json), -EPROTO);
	assert_ptr_equal(json, (char *)0x1);
	assert_non_null(strstr(canister_client_error(client), "malformed"));
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_STATUS);
	free(status);
	free(document);
}

/* The error describes the last call only; a success after a failure clears it. */
static void test_error_describes_last_call(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":false,\"errno\":\"ESRCH\",\"error\":\"no process 9\"}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"3\",\"chain\":[\"3\"],\"delegated\":false}",
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

/* A nested process: its container first, then each ancestor, with the name and delegation. */
static void test_get_info_reads_chain_name_and_delegation(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":9,\"contid\":\"4\",\"chain\":[\"4\",\"2\",\"1\"],"
		"\"name\":\"web-1\",\"delegated\":true}",
		"{\"ok\":true,\"pid\":9,\"contid\":\"4\",\"chain\":[\"4\",\"2\",\"1\"],"
		"\"delegated\":false}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	struct canister_info info;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 2);
	client = connect_to(&fake);
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(canister_get_info(client, 9, &info), 0);
	assert_int_equal(info.depth, 3);
	assert_true(info.chain[0] == 4 && info.chain[1] == 2 && info.chain[2] == 1);
	assert_string_equal(info.name, "web-1");
	assert_true(info.delegated);
	/* canister_get() reads the same reply and answers with the innermost container. */
	assert_int_equal(canister_get(client, 9, &contid), 0);
	assert_true(contid == 4);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.received, 2);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_GET);
	assert_int_equal(fake.requests[0].pid, 9);
}

static void test_get_info_of_unlabelled_process(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":1,\"contid\":\"unset\",\"chain\":[],\"delegated\":true}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	struct canister_info info;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(canister_get_info(client, 1, &info), 0);
	assert_int_equal(info.depth, 0);
	assert_string_equal(info.name, "");
	/* A delegated orchestrator may itself be outside any container. */
	assert_true(info.delegated);
	fake_daemon_stop(&fake, client);
}

/* CANISTER_NEST_LIMIT_MAX deep is the most a chain can be; one more is not canister's. */
static void test_get_info_chain_depth_limit(void **state)
{
	char deepest[1024], deeper[1024];
	const char *replies[2] = { deepest, deeper };
	struct fake_daemon fake;
	struct canister_client *client;
	struct canister_info info;
	size_t used;

	used = snprintf(deepest, sizeof(deepest),
			"{\"ok\":true,\"pid\":1,\"contid\":\"20\",\"chain\":[");
	for (int i = 20; i >= 1; i--)
		used += snprintf(deepest + used, sizeof(deepest) - used, "\"%d\"%s", i,
				 i > 1 ? "," : "");
	snprintf(deepest + used, sizeof(deepest) - used, "],\"delegated\":false}");
	used = snprintf(deeper, sizeof(deeper),
			"{\"ok\":true,\"pid\":1,\"contid\":\"21\",\"chain\":[");
	for (int i = 21; i >= 1; i--)
		used += snprintf(deeper + used, sizeof(deeper) - used, "\"%d\"%s", i,
				 i > 1 ? "," : "");
	snprintf(deeper + used, sizeof(deeper) - used, "],\"delegated\":false}");

	fake_daemon_start(&fake, replies, 2);
	client = connect_to(&fake);
	assert_int_equal(canister_get_info(client, 1, &info), 0);
	assert_int_equal(info.depth, CANISTER_NEST_LIMIT_MAX);
	assert_true(info.chain[0] == 20 && info.chain[19] == 1);
	info.depth = 77;
	assert_int_equal(canister_get_info(client, 1, &info), -EPROTO);
	assert_int_equal(info.depth, 77);
	fake_daemon_stop(&fake, client);
}

static void test_get_info_malformed_replies_are_eproto(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\",2],\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\",\"unset\"],\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\",\"-1\"],\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\",\"2\\u0000\"],"
		"\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\",\"^2\"],\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"unset\",\"chain\":[\"4\"],\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"unset\",\"chain\":[],\"name\":\"web\","
		"\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\"],\"name\":\"\","
		"\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\"],\"name\":\"a "
		"b\",\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\"],\"name\":7,"
		"\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\"],\"name\":\"w\\u0000x\","
		"\"delegated\":false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\"],\"name\":null,"
		"\"delegated\":"
		"false}",
		"{\"ok\":true,\"pid\":1,\"contid\":\"4\",\"chain\":[\"4\"],\"delegated\":"
		"\"false\"}",
	};
	const size_t count = sizeof(replies) / sizeof(replies[0]);
	struct fake_daemon fake;
	struct canister_client *client;

	fake_daemon_start(&fake, replies, count);
	client = connect_to(&fake);
	for (size_t i = 0; i < count; i++) {
		struct canister_info info = { .depth = 77, .name = "kept", .delegated = 5 };
		int r = canister_get_info(client, 1, &info);

		if (r != -EPROTO)
			fail_msg("reply %s: got %d, expected -EPROTO", replies[i], r);
		assert_int_equal(info.depth, 77);
		assert_string_equal(info.name, "kept");
		assert_int_equal(info.delegated, 5);
		assert_non_null(strstr(canister_client_error(client), "malformed"));
	}
	fake_daemon_stop(&fake, client);
}

static void test_register_sends_name_and_reads_joined(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":77,\"contid\":\"4\",\"joined\":false}",
		"{\"ok\":true,\"pid\":78,\"contid\":\"4\",\"joined\":true}",
		"{\"ok\":true,\"pid\":79,\"contid\":\"123\",\"joined\":false}",
	};
	struct canister_set_reply registration = { 0 };
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 3);
	client = connect_to(&fake);
	assert_int_equal(canister_register(client, 77, 4, "web-1", &contid), 0);
	assert_true(contid == 4);
	assert_int_equal(canister_register_reply(client, 78, 4, "web-1", &registration), 0);
	assert_true(registration.contid == 4);
	assert_true(registration.joined);
	assert_int_equal(canister_register(client, 79, CANISTER_CONTID_UNSET,
					   "0f8fad5b-d9cb-469f-a165-70867728950e", &contid),
			 0);
	assert_true(contid == 123);
	fake_daemon_stop(&fake, client);

	assert_int_equal(fake.received, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(fake.decode_result[i], 0);
		assert_int_equal(fake.requests[i].op, CANISTER_OP_SET);
		assert_true(fake.requests[i].has_name);
	}
	assert_int_equal(fake.requests[0].pid, 77);
	assert_false(fake.requests[0].allocate);
	assert_true(fake.requests[0].contid == 4);
	assert_string_equal(fake.requests[0].name, "web-1");
	assert_true(fake.requests[2].allocate);
	assert_string_equal(fake.requests[2].name, "0f8fad5b-d9cb-469f-a165-70867728950e");
}

/* canister_set() is canister_register() without a name: none goes on the wire. */
static void test_set_sends_no_name(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":77,\"contid\":\"4\",\"joined\":false}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 0;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_set(client, 77, 4, &contid), 0);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.decode_result[0], 0);
	assert_false(fake.requests[0].has_name);
}

/* A name canisterd would refuse is refused before anything is sent, with the reason. */
static void test_register_bad_name_is_einval_locally(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":77,\"contid\":\"4\",\"joined\":false}",
	};
	char too_long[CANISTER_NAME_MAX + 2];
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 4242;

	memset(too_long, 'a', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_register(client, 77, 4, "", &contid), -EINVAL);
	assert_string_equal(canister_client_error(client), "a container name must not be empty");
	assert_int_equal(canister_register(client, 77, 4, "web 1", &contid), -EINVAL);
	assert_non_null(strstr(canister_client_error(client), "character 4"));
	assert_int_equal(canister_register(client, 77, 4, too_long, &contid), -EINVAL);
	assert_string_equal(canister_client_error(client),
			    "a container name has at most 64 characters");
	assert_true(contid == 4242);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.received, 0);
}

static void test_register_malformed_replies_are_eproto(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":77,\"contid\":\"unset\",\"joined\":false}",
		"{\"ok\":true,\"pid\":77,\"contid\":\"5\",\"joined\":false}",
		"{\"ok\":true,\"pid\":77,\"contid\":\"4\"}",
		"{\"ok\":true,\"pid\":77,\"contid\":\"4\",\"joined\":1}",
		"{\"ok\":true,\"pid\":77,\"contid\":4,\"joined\":false}",
		"{\"ok\":true,\"pid\":78,\"contid\":\"4\",\"joined\":false}",
		"{\"ok\":true,\"pid\":77,\"contid\":\"4\",\"joined\":false,\"name\":\"web\"}",
	};
	const size_t count = sizeof(replies) / sizeof(replies[0]);
	struct fake_daemon fake;
	struct canister_client *client;

	fake_daemon_start(&fake, replies, count);
	client = connect_to(&fake);
	for (size_t i = 0; i < count; i++) {
		struct canister_set_reply registration = { .contid = 4242, .joined = true };
		int r = canister_register_reply(client, 77, 4, "web", &registration);

		if (r != -EPROTO)
			fail_msg("reply %s: got %d, expected -EPROTO", replies[i], r);
		assert_true(registration.contid == 4242 && registration.joined);
	}
	fake_daemon_stop(&fake, client);
}

static void test_register_refusals_of_names(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":false,\"errno\":\"ENOTUNIQ\",\"error\":\"container 4 is named db-1\"}",
		"{\"ok\":false,\"errno\":\"EMLINK\",\"error\":\"deeper than 4\"}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	uint64_t contid = 4242;

	fake_daemon_start(&fake, replies, 2);
	client = connect_to(&fake);
	assert_int_equal(canister_register(client, 77, 4, "web-1", &contid), -ENOTUNIQ);
	assert_string_equal(canister_client_error(client), "container 4 is named db-1");
	assert_int_equal(canister_register(client, 77, 4, NULL, &contid), -EMLINK);
	assert_string_equal(canister_client_error(client), "deeper than 4");
	assert_true(contid == 4242);
	fake_daemon_stop(&fake, client);
}

static void test_delegate_sends_pid_and_reads_delegation(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":300,\"delegation\":7}",
		"{\"ok\":true,\"pid\":301,\"delegation\":4294967295}",
		"{\"ok\":false,\"errno\":\"EEXIST\",\"error\":\"pid 300 is already delegated\"}",
	};
	struct fake_daemon fake;
	struct canister_client *client;
	uint32_t delegation = 0;

	fake_daemon_start(&fake, replies, 3);
	client = connect_to(&fake);
	assert_int_equal(canister_delegate(client, 300), 0);
	assert_int_equal(canister_delegate_reply(client, 301, &delegation), 0);
	assert_int_equal(delegation, UINT32_MAX);
	assert_int_equal(canister_delegate_reply(client, 300, &delegation), -EEXIST);
	assert_string_equal(canister_client_error(client), "pid 300 is already delegated");
	assert_int_equal(delegation, UINT32_MAX);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.received, 3);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_DELEGATE);
	assert_int_equal(fake.requests[0].pid, 300);
	assert_int_equal(fake.requests[1].pid, 301);
}

static void test_delegate_malformed_replies_are_eproto(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"pid\":300}",
		"{\"ok\":true,\"pid\":300,\"delegation\":0}",
		"{\"ok\":true,\"pid\":300,\"delegation\":-7}",
		"{\"ok\":true,\"pid\":300,\"delegation\":4294967296}",
		"{\"ok\":true,\"pid\":300,\"delegation\":\"7\"}",
		"{\"ok\":true,\"pid\":300,\"delegation\":7.5}",
		"{\"ok\":true,\"pid\":301,\"delegation\":7}",
		"{\"ok\":true,\"pid\":300,\"delegation\":7,\"contid\":\"4\"}",
	};
	const size_t count = sizeof(replies) / sizeof(replies[0]);
	struct fake_daemon fake;
	struct canister_client *client;

	fake_daemon_start(&fake, replies, count);
	client = connect_to(&fake);
	for (size_t i = 0; i < count; i++) {
		uint32_t delegation = 4242;
		int r = canister_delegate_reply(client, 300, &delegation);

		if (r != -EPROTO)
			fail_msg("reply %s: got %d, expected -EPROTO", replies[i], r);
		assert_int_equal(delegation, 4242);
	}
	fake_daemon_stop(&fake, client);
}

/* Two pages: the second request resumes after the last contid of the first. */
static void test_list_follows_pages(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"containers\":["
		"{\"contid\":\"2\",\"chain\":[\"2\"],\"name\":\"db-1\",\"processes\":3,"
		"\"first_pid\":123,\"owner\":0,\"registered\":1700000000},"
		"{\"contid\":\"4\",\"chain\":[\"4\",\"2\"],\"processes\":1,\"first_pid\":130,"
		"\"owner\":7,\"registered\":1700000100}"
		"],\"more\":true}",
		"{\"ok\":true,\"containers\":["
		"{\"contid\":\"9007199254740993\",\"chain\":[\"9007199254740993\"],"
		"\"name\":\"web-1\",\"processes\":0,\"first_pid\":2147483647,"
		"\"owner\":4294967295,\"registered\":0}"
		"],\"more\":false}",
	};
	struct canister_container_entry *entries = NULL;
	struct fake_daemon fake;
	struct canister_client *client;
	size_t count = 0;

	fake_daemon_start(&fake, replies, 2);
	client = connect_to(&fake);
	assert_int_equal(canister_list(client, &entries, &count), 0);
	fake_daemon_stop(&fake, client);

	assert_int_equal(count, 3);
	assert_non_null(entries);
	assert_int_equal(entries[0].depth, 1);
	assert_true(entries[0].chain[0] == 2);
	assert_string_equal(entries[0].name, "db-1");
	assert_true(entries[0].processes == 3);
	assert_int_equal(entries[0].first_pid, 123);
	assert_int_equal(entries[0].owner, 0);
	assert_true(entries[0].registered == 1700000000);
	assert_int_equal(entries[1].depth, 2);
	assert_true(entries[1].chain[0] == 4 && entries[1].chain[1] == 2);
	assert_string_equal(entries[1].name, "");
	assert_int_equal(entries[1].owner, 7);
	assert_true(entries[2].chain[0] == 9007199254740993ULL);
	assert_string_equal(entries[2].name, "web-1");
	assert_true(entries[2].processes == 0);
	assert_int_equal(entries[2].first_pid, INT_MAX);
	assert_int_equal(entries[2].owner, UINT32_MAX);
	assert_true(entries[2].registered == 0);
	free(entries);

	assert_int_equal(fake.received, 2);
	assert_int_equal(fake.decode_result[0], 0);
	assert_int_equal(fake.requests[0].op, CANISTER_OP_LIST);
	assert_false(fake.requests[0].has_after);
	assert_int_equal(fake.decode_result[1], 0);
	assert_int_equal(fake.requests[1].op, CANISTER_OP_LIST);
	assert_true(fake.requests[1].has_after);
	assert_true(fake.requests[1].after == 4);
}

/* More containers than the first guess of the array's size: it grows. */
static void test_list_grows_past_first_allocation(void **state)
{
	const size_t per_page = 150;
	char *pages[2];
	const char *replies[2];
	struct canister_container_entry *entries = NULL;
	struct fake_daemon fake;
	struct canister_client *client;
	size_t count = 0;

	for (size_t p = 0; p < 2; p++) {
		size_t size = 128 * per_page + 64, used;

		pages[p] = malloc(size);
		assert_non_null(pages[p]);
		used = snprintf(pages[p], size, "{\"ok\":true,\"containers\":[");
		for (size_t i = 0; i < per_page; i++) {
			size_t contid = p * per_page + i + 1;

			used += snprintf(
				pages[p] + used, size - used,
				"%s{\"contid\":\"%zu\",\"chain\":[\"%zu\"],\"processes\":1,"
				"\"first_pid\":%zu,\"owner\":0,\"registered\":5}",
				i ? "," : "", contid, contid, contid + 1000);
		}
		snprintf(pages[p] + used, size - used, "],\"more\":%s}", p ? "false" : "true");
		replies[p] = pages[p];
	}
	fake_daemon_start(&fake, replies, 2);
	client = connect_to(&fake);
	assert_int_equal(canister_list(client, &entries, &count), 0);
	fake_daemon_stop(&fake, client);
	assert_int_equal(count, 2 * per_page);
	for (size_t i = 0; i < count; i++) {
		assert_true(entries[i].chain[0] == i + 1);
		assert_int_equal(entries[i].first_pid, i + 1001);
	}
	assert_true(fake.requests[1].after == per_page);
	free(entries);
	free(pages[0]);
	free(pages[1]);
}

static void test_list_empty(void **state)
{
	static const char *const replies[] = { "{\"ok\":true,\"containers\":[],\"more\":false}" };
	struct canister_container_entry *entries = (void *)0x1;
	struct fake_daemon fake;
	struct canister_client *client;
	size_t count = 77;

	fake_daemon_start(&fake, replies, 1);
	client = connect_to(&fake);
	assert_int_equal(canister_list(client, &entries, &count), 0);
	assert_int_equal(count, 0);
	free(entries);
	fake_daemon_stop(&fake, client);
}

#define GOOD_ENTRY(contid)                                                       \
	"{\"contid\":\"" contid "\",\"chain\":[\"" contid "\"],\"processes\":1," \
	"\"first_pid\":10,\"owner\":0,\"registered\":5}"

/* Each reply is a good list page but for one thing; the list comes back whole or not at all. */
static void test_list_malformed_replies_are_eproto(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"more\":false}",
		"{\"ok\":true,\"containers\":{},\"more\":false}",
		"{\"ok\":true,\"containers\":[" GOOD_ENTRY("4") "]}",
		"{\"ok\":true,\"containers\":[" GOOD_ENTRY("4") "],\"more\":\"no\"}",
		/* "more" with nothing in it would ask for the same page forever. */
		"{\"ok\":true,\"containers\":[],\"more\":true}",
		"{\"ok\":true,\"containers\":[" GOOD_ENTRY("4") "," GOOD_ENTRY(
			"2") "],"
			     "\"more\":false}",
		"{\"ok\":true,\"containers\":[" GOOD_ENTRY("4") "," GOOD_ENTRY(
			"4") "],"
			     "\"more\":false}",
		"{\"ok\":true,\"containers\":[\"4\"],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"unset\",\"chain\":[],\"processes\":1,"
		"\"first_pid\":10,\"owner\":0,\"registered\":5}],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"2\",\"4\"],"
		"\"processes\":1,\"first_pid\":10,\"owner\":0,\"registered\":5}],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],\"name\":\"a b\","
		"\"processes\":1,\"first_pid\":10,\"owner\":0,\"registered\":5}],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],"
		"\"first_pid\":10,\"owner\":0,\"registered\":5}],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],\"processes\":-1,"
		"\"first_pid\":10,\"owner\":0,\"registered\":5}],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],\"processes\":1,"
		"\"first_pid\":0,\"owner\":0,\"registered\":5}],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],\"processes\":1,"
		"\"first_pid\":10,\"owner\":4294967296,\"registered\":5}],\"more\":false}",
		"{\"ok\":true,\"containers\":[{\"contid\":\"4\",\"chain\":[\"4\"],\"processes\":1,"
		"\"first_pid\":10,\"owner\":0,\"registered\":\"5\"}],\"more\":false}",
	};
	const size_t count = sizeof(replies) / sizeof(replies[0]);
	struct fake_daemon fake;
	struct canister_client *client;

	assert_true(count <= MAX_EXCHANGES);
	fake_daemon_start(&fake, replies, count);
	client = connect_to(&fake);
	for (size_t i = 0; i < count; i++) {
		struct canister_container_entry *entries = (void *)0x1;
		size_t entry_count = 77;
		int r = canister_list(client, &entries, &entry_count);

		if (r != -EPROTO)
			fail_msg("reply %s: got %d, expected -EPROTO", replies[i], r);
		assert_ptr_equal(entries, (void *)0x1);
		assert_int_equal(entry_count, 77);
	}
	fake_daemon_stop(&fake, client);
}

/* A second page that goes back to contids already listed would loop or duplicate. */
static void test_list_second_page_must_continue(void **state)
{
	static const char *const replies[] = {
		"{\"ok\":true,\"containers\":[" GOOD_ENTRY("2") "," GOOD_ENTRY(
			"4") "],"
			     "\"more\":true}",
		"{\"ok\":true,\"containers\":[" GOOD_ENTRY("4") "],\"more\":false}",
		"{\"ok\":true,\"containers\":[" GOOD_ENTRY("2") "],\"more\":true}",
		"{\"ok\":false,\"errno\":\"EIO\",\"error\":\"cannot read the containers map\"}",
	};
	struct canister_container_entry *entries = (void *)0x1;
	struct fake_daemon fake;
	struct canister_client *client;
	size_t count = 77;

	fake_daemon_start(&fake, replies, 4);
	client = connect_to(&fake);
	assert_int_equal(canister_list(client, &entries, &count), -EPROTO);
	assert_non_null(strstr(canister_client_error(client), "order"));
	/* A refusal on a later page fails the whole list, not just the rest of it. */
	assert_int_equal(canister_list(client, &entries, &count), -EIO);
	assert_string_equal(canister_client_error(client), "cannot read the containers map");
	assert_ptr_equal(entries, (void *)0x1);
	assert_int_equal(count, 77);
	fake_daemon_stop(&fake, client);
	assert_int_equal(fake.received, 4);
	assert_false(fake.requests[2].has_after);
	assert_true(fake.requests[3].has_after && fake.requests[3].after == 2);
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
		cmocka_unit_test(test_status_read_and_json),
		cmocka_unit_test(test_error_describes_last_call),
		cmocka_unit_test(test_get_info_reads_chain_name_and_delegation),
		cmocka_unit_test(test_get_info_of_unlabelled_process),
		cmocka_unit_test(test_get_info_chain_depth_limit),
		cmocka_unit_test(test_get_info_malformed_replies_are_eproto),
		cmocka_unit_test(test_register_sends_name_and_reads_joined),
		cmocka_unit_test(test_set_sends_no_name),
		cmocka_unit_test(test_register_bad_name_is_einval_locally),
		cmocka_unit_test(test_register_malformed_replies_are_eproto),
		cmocka_unit_test(test_register_refusals_of_names),
		cmocka_unit_test(test_delegate_sends_pid_and_reads_delegation),
		cmocka_unit_test(test_delegate_malformed_replies_are_eproto),
		cmocka_unit_test(test_list_follows_pages),
		cmocka_unit_test(test_list_grows_past_first_allocation),
		cmocka_unit_test(test_list_empty),
		cmocka_unit_test(test_list_malformed_replies_are_eproto),
		cmocka_unit_test(test_list_second_page_must_continue),
	};

	return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
