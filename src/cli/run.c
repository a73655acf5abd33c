// SPDX-License-Identifier: GPL-2.0-only
/* canister run: start a command as the first process of a new container. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define GO_BYTE 'g'

static volatile pid_t forward_to;

/* A signal meant for `canister run` (a supervisor's SIGTERM) is meant for the container. */
static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/*
 * The child waits on the pipe until canisterd has labelled it: it must carry
 * its contid before it runs a single instruction of CMD, or a fork of CMD
 * could escape.  Anything but the go byte (the parent failed, died or was
 * refused) makes it exit without running CMD.
 */
static void child_wait_and_exec(int go_fd, char **cmd)
{
	char go = 0;
	ssize_t got;

	do
		got = read(go_fd, &go, 1);
	while (got < 0 && errno == EINTR);
	if (got != 1 || go != GO_BYTE)
		_exit(126);
	close(go_fd);
	execvp(cmd[0], cmd);
	fprintf(stderr, "canister: cannot run %s: %s\n", cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int wait_child(pid_t child)
{
	int status;

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAILURE;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int cmd_run(const struct cli *base, int argc, char **argv)
{
	static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	static const char usage[] = "run [--id N] [--name NAME] -- CMD [ARG...]";
	const char *name = NULL;
	struct cli cli = *base;
	struct canister_client *client;
	uint64_t contid = CANISTER_CONTID_UNSET, assigned;
	struct sigaction sa = { .sa_handler = forward_signal };
	int go_pipe[2], i, r;
	pid_t child;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--id") == 0) {
			if (++i == argc)
				return cli_error(&cli, EINVAL, "--id needs a container ID");
			if (cli_parse_contid(&cli, argv[i], &contid))
				return EXIT_FAILURE;
		} else if (strcmp(argv[i], "--name") == 0) {
			if (++i == argc)
				return cli_error(&cli, EINVAL, "--name needs a container name");
			name = argv[i];
			if (cli_check_name(&cli, name))
				return EXIT_FAILURE;
		} else {
			return cli_error(&cli, EINVAL, "run: unexpected '%s'; usage: canister %s",
					 argv[i], usage);
		}
	}
	if (i >= argc)
		return cli_error(&cli, EINVAL, "run: no command; usage: canister %s", usage);

	client = cli_connect(&cli);
	if (!client)
		return EXIT_FAILURE;
	if (pipe2(go_pipe, O_CLOEXEC) < 0) {
		canister_client_close(client);
		return cli_error(&cli, errno, "pipe: %s", strerror(errno));
	}
	child = fork();
	if (child < 0) {
		canister_client_close(client);
		return cli_error(&cli, errno, "fork: %s", strerror(errno));
	}
	if (child == 0) {
		close(go_pipe[1]);
		child_wait_and_exec(go_pipe[0], argv + i);
	}
	close(go_pipe[0]);

	/*
	 * A live container of ours with this contid takes the child in (the
	 * reply says it joined); CMD runs the same either way.
	 */
	r = canister_register(client, child, contid, name, &assigned);
	if (r < 0) {
		r = cli_client_error(&cli, client, r);
		close(go_pipe[1]); /* the child exits without running CMD */
		wait_child(child);
		canister_client_close(client);
		return r;
	}
	canister_client_close(client);
	if (contid == CANISTER_CONTID_UNSET)
		fprintf(stderr, "canister: pid %d runs in container %" PRIu64 "\n", (int)child,
			assigned);

	forward_to = child;
	for (size_t s = 0; s < sizeof(forwarded) / sizeof(forwarded[0]); s++)
		sigaction(forwarded[s], &sa, NULL);
	if (write(go_pipe[1], &(char){ GO_BYTE }, 1) != 1) {
		kill(child, SIGKILL);
		wait_child(child);
		return cli_error(&cli, errno, "cannot start the child: %s", strerror(errno));
	}
	close(go_pipe[1]);
	return wait_child(child);
}
