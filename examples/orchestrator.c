// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* Example: a minimal orchestrator that starts a command as the first process of a container. */
#include <canister/canister.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Usage: orchestrator NAME CMD [ARG...]
 * Build:  cc orchestrator.c $(pkg-config --cflags --libs canister)
 *
 * The child waits on a pipe until it is registered, so nothing it forks can
 * escape the container; canisterd picks the contid.
 */
int main(int argc, char **argv)
{
	struct canister_client *client;
	int go[2], status, r;
	uint64_t contid;
	pid_t child;

	if (argc < 3) {
		fprintf(stderr, "usage: orchestrator NAME CMD [ARG...]\n");
		return 2;
	}
	r = canister_client_connect(NULL, &client);
	if (r < 0) {
		fprintf(stderr, "orchestrator: cannot reach canisterd: %s\n", strerror(-r));
		return 1;
	}
	if (pipe(go) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		char byte;

		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(127); /* the orchestrator gave up: do not run unregistered */
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	close(go[0]);
	r = canister_register(client, child, CANISTER_CONTID_UNSET, argv[1], &contid);
	if (r < 0) {
		fprintf(stderr, "orchestrator: %s\n", canister_client_error(client));
		close(go[1]);
		waitpid(child, NULL, 0);
		return 1;
	}
	fprintf(stderr, "orchestrator: %s is container %" PRIu64 "\n", argv[1], contid);
	canister_client_close(client);
	if (write(go[1], "g", 1) != 1)
		return 1;
	close(go[1]);
	if (waitpid(child, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
