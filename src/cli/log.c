// SPDX-License-Identifier: GPL-2.0-only
/* canister log: the records of one container (or of all) from canister's audit log. */
#include "cli/cli.h"

#include "lib/client.h"
#include "lib/record_match.h"
#include "lib/status.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Where canisterd writes its records, as its status document says.  Guessing
 * a default path would read the wrong file whenever the config moved it.
 */
static int audit_log_path(const struct cli *cli, char **ret_path)
{
	const char *socket_path = cli_socket_path(cli);
	struct canister_client *client;
	struct canister_status *status;
	char *path;
	int r;

	r = canister_client_connect(socket_path, &client);
	if (r == -ENOENT || r == -ECONNREFUSED)
		return cli_error(cli, -r,
				 "canisterd is not running (nothing answers on %s) to say where "
				 "its audit log is; name the log with --file PATH",
				 socket_path);
	if (r < 0)
		return cli_error(cli, -r,
				 "cannot ask canisterd on %s where its audit log is (%s); name the "
				 "log with --file PATH",
				 socket_path, strerror(-r));
	status = calloc(1, sizeof(*status));
	if (!status) {
		canister_client_close(client);
		return cli_error(cli, ENOMEM, "out of memory");
	}
	r = canister_status_read(client, status);
	if (r < 0)
		r = cli_client_error(cli, client, r);
	canister_client_close(client);
	if (r) {
		free(status);
		return r;
	}
	if (!status->core.daemon.audit_log[0]) {
		free(status);
		return cli_error(cli, ENOENT,
				 "canisterd's status names no audit log; name the log with --file "
				 "PATH");
	}
	path = strdup(status->core.daemon.audit_log);
	free(status);
	if (!path)
		return cli_error(cli, ENOMEM, "out of memory");
	*ret_path = path;
	return 0;
}

/* Prints the matching lines as they come, or collects them for one JSON document. */
static int print_records(const struct cli *cli, FILE *log, const char *path, uint64_t contid)
{
	struct json_object *records = cli->json ? json_object_new_array() : NULL;
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	int r = 0;

	while ((len = getline(&line, &size, log)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!canister_record_matches(line, (size_t)len, contid))
			continue;
		if (records)
			json_object_array_add(records, json_object_new_string_len(line, (int)len));
		else
			printf("%s\n", line);
	}
	if (ferror(log)) {
		r = cli_error(cli, errno, "cannot read %s: %s", path, strerror(errno));
	} else if (records) {
		struct json_object *root = json_object_new_object();

		json_object_object_add(root, "records", json_object_get(records));
		cli_print_json(root);
	}
	json_object_put(records);
	free(line);
	return r;
}

int cmd_log(const struct cli *base, int argc, char **argv)
{
	static const char usage[] = "log [N] [--file PATH] [--json]";
	struct cli cli = *base;
	const char *file = NULL;
	const struct cli_option options[] = { { "--file", &file } };
	uint64_t contid = CANISTER_CONTID_UNSET;
	char *args[1], *asked_path = NULL;
	FILE *log;
	int count, r;

	if (cli_args(&cli, argc, argv, usage, options, 1, args, 0, 1, &count) ||
	    (count == 1 && cli_parse_contid(&cli, args[0], &contid)))
		return CLI_EXIT_USAGE;
	if (!file) {
		if (audit_log_path(&cli, &asked_path))
			return EXIT_FAILURE;
		file = asked_path;
	}
	log = fopen(file, "re");
	if (!log) {
		r = cli_error(&cli, errno, "cannot open the audit log %s: %s", file,
			      strerror(errno));
		free(asked_path);
		return r;
	}
	r = print_records(&cli, log, file, contid);
	fclose(log);
	free(asked_path);
	return r;
}
