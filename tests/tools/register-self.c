// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: an orchestrator that asks libcanister to register itself, which must be refused
 * (EXDEV). */
#include <canister/canister.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Prints "registered N" or "refused: ERRNO-TEXT: daemon's message". */
int main(int argc, char **argv)
{
	struct canister_client *client;
	uint64_t contid;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: register-self SOCKET\n");
		return 2;
	}
	r = canister_client_connect(argv[1], &client);
	if (r < 0) {
		printf("cannot connect: %s\n", strerror(-r));
		return 2;
	}
	r = canister_set(client, getpid(), 77, &contid);
	if (r < 0)
		printf("refused: %s: %s\n", strerror(-r), canister_client_error(client));
	else
		printf("registered %llu\n", (unsigned long long)contid);
	canister_client_close(client);
	return r < 0;
}
