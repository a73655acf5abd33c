/* SPDX-License-Identifier: GPL-2.0-only */
/* canister CLI: what the subcommands share (options, connection, error printing). */
#ifndef CANISTER_CLI_H
#define CANISTER_CLI_H

#include <canister/canister.h>
#include <stdbool.h>

struct cli {
	const char *socket_path; /* NULL: $CANISTER_SOCKET or the default */
	bool json;
};

/*
 * cli_error() - print one line "canister: MESSAGE" on stderr and, with --json,
 * {"error": MESSAGE, "errno": NAME} on stdout; returns the exit status to use.
 */
int cli_error(const struct cli *cli, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* cli_connect() - connect to canisterd or explain why not (returns NULL after cli_error). */
struct canister_client *cli_connect(const struct cli *cli);

/* cli_client_error() - report a failed library call with the daemon's own words. */
int cli_client_error(const struct cli *cli, struct canister_client *client, int r);

int cmd_status(const struct cli *cli, int argc, char **argv);
int cmd_run(const struct cli *cli, int argc, char **argv);
int cmd_get(const struct cli *cli, int argc, char **argv);
int cmd_set(const struct cli *cli, int argc, char **argv);

#endif
