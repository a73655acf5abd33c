// SPDX-License-Identifier: GPL-2.0-only
/* Test tool: registers many processes as containers and loads one access policy for each. */
#include "lib/client.h"

#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Thousands of `canister set` and `canister policy load` runs take minutes on
 * a loaded machine; one connection takes seconds.  The refusals a user sees
 * are the case's own, through the CLI.
 */
int main(int argc, char **argv)
{
	struct canister_client *client;
	uint64_t first;
	char text[4096];
	size_t len;
	FILE *in;
	int r;

	if (argc < 5) {
		fprintf(stderr, "usage: policy-fill SOCKET FIRST_CONTID POLICY_FILE PID...\n");
		return 2;
	}
	first = strtoull(argv[2], NULL, 10);
	in = fopen(argv[3], "re");
	if (!in) {
		fprintf(stderr, "policy-fill: %s: %s\n", argv[3], strerror(errno));
		return 2;
	}
	len = fread(text, 1, sizeof(text), in);
	fclose(in);
	r = canister_client_connect(argv[1], &client);
	if (r < 0) {
		fprintf(stderr, "policy-fill: cannot connect: %s\n", strerror(-r));
		return 2;
	}
	for (int i = 4; i < argc; i++) {
		uint64_t contid = first + (uint64_t)(i - 4), registered;
		const char *step = "set";

		r = canister_set(client, (pid_t)strtol(argv[i], NULL, 10), contid, &registered);
		if (r == 0) {
			step = "policy load";
			r = canister_policy_load(client, contid, text, len,
						 CANISTER_ACCESS_ENFORCE);
		}
		if (r < 0) {
			printf("container %" PRIu64 ": %s refused: %s: %s\n", contid, step,
			       strerror(-r), canister_client_error(client));
			canister_client_close(client);
			return 1;
		}
	}
	printf("filled %d\n", argc - 4);
	canister_client_close(client);
	return 0;
}
