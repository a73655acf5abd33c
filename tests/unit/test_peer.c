// SPDX-License-Identifier: GPL-2.0-only
/* canister unit tests: a caller must hold the client end of its connection (core/peer.c), no
 * privilege needed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/peer.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* A socketpair stands in for an accepted connection: its peer is this process. */
static void test_holder_is_identified(void **unused)
{
	const struct peer_method *method = peer_probe();
	struct peer peer;
	char why[512] = "";
	int pair[2];

	if (!method->unix_diag)
		skip(); /* no unix_diag here: peer_verify() then refuses, as documented */
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
	assert_int_equal(peer_identify(pair[0], &peer, why, sizeof(why)), 0);
	assert_int_equal(peer.tgid, getpid());
	assert_int_equal(peer_verify(pair[0], &peer, why, sizeof(why)), 0);
	assert_true(peer_alive(&peer));
	peer_release(&peer);
	close(pair[0]);
	close(pair[1]);
}

/*
 * The process with the connecting pid handed the client end to a child and
 * closed its own: it is not the one asking any more, whatever its pid says.
 */
static void test_handed_on_is_refused(void **unused)
{
	const struct peer_method *method = peer_probe();
	struct peer peer;
	char why[512] = "", expected[256];
	int pair[2], ready[2];
	pid_t child;
	char byte;

	if (!method->unix_diag)
		skip();
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair), 0);
	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(ready[0]);
		close(pair[0]);
		(void)!write(ready[1], "r", 1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &byte, 1), 1);
	close(pair[1]);
	assert_int_equal(peer_identify(pair[0], &peer, why, sizeof(why)), 0);
	assert_int_equal(peer_verify(pair[0], &peer, why, sizeof(why)), -EPERM);
	snprintf(expected, sizeof(expected),
		 "pid %d does not hold the connection: ", (int)getpid());
	assert_memory_equal(why, expected, strlen(expected));
	peer_release(&peer);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(pair[0]);
	close(ready[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holder_is_identified),
		cmocka_unit_test(test_handed_on_is_refused),
	};

	return cmocka_run_group_tests_name("peer", tests, NULL, NULL);
}
