// SPDX-License-Identifier: GPL-2.0-only
/* canister audit: per-container audit sinks (add, remove, list) and following one live. */
#include "cli/cli.h"

#include "lib/client.h"
#include "lib/config.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* canisterd runs elsewhere: a relative path is made absolute here, where the user meant it. */
static int absolute(const struct cli *cli, const char *what, const char *path, char *buf,
		    size_t len)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] == '/') {
		n = snprintf(buf, len, "%s", path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return cli_error(cli, errno, "audit add: %s: %s", what, strerror(errno));
		n = snprintf(buf, len, "%s/%s", cwd, path);
	}
	if (n < 0 || (size_t)n >= len)
		return cli_error(cli, ENAMETOOLONG, "audit add: %s: path longer than %zu bytes",
				 what, len - 1);
	return 0;
}

static int audit_add(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "audit add N --log PATH [--rules FILE] [--backlog K] "
				    "[--format text|json] [--socket PATH]";
	const char *log = NULL, *rules = NULL, *backlog = NULL, *format = NULL, *socket = NULL;
	const struct cli_option options[] = {
		{ "--log", &log },	 { "--rules", &rules },	  { "--backlog", &backlog },
		{ "--format", &format }, { "--socket", &socket },
	};
	struct canister_sink_request sink = { 0 };
	struct canister_client *client;
	uint64_t contid;
	char *args[1], *end;
	int count, r;

	if (cli_args(cli, argc, argv, usage, options, 5, args, 1, 1, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	if (!log)
		return cli_usage_error(cli, "audit add: --log PATH is required (usage: %s)", usage);
	if (absolute(cli, "--log", log, sink.log, sizeof(sink.log)) ||
	    (rules && absolute(cli, "--rules", rules, sink.rules, sizeof(sink.rules))) ||
	    (socket && absolute(cli, "--socket", socket, sink.socket, sizeof(sink.socket))))
		return EXIT_FAILURE;
	if (backlog) {
		unsigned long value;

		errno = 0;
		value = strtoul(backlog, &end, 10);
		if (errno || end == backlog || *end || backlog[0] == '-' || value < 1 ||
		    value > CANISTER_SINK_BACKLOG_MAX)
			return cli_usage_error(
				cli,
				"audit add: --backlog '%s' is not a number of events in "
				"1..%d",
				backlog, CANISTER_SINK_BACKLOG_MAX);
		sink.backlog = (unsigned int)value;
	}
	if (format && strcmp(format, "json") != 0 && strcmp(format, "text") != 0)
		return cli_usage_error(cli, "audit add: --format '%s': text or json", format);
	sink.json = format && strcmp(format, "json") == 0;
	client = cli_connect(cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_audit_sink_add(client, contid, &sink);
	if (r < 0)
		r = cli_client_error(cli, client, r);
	canister_client_close(client);
	return r;
}

static int audit_remove(struct cli *cli, int argc, char **argv)
{
	struct canister_client *client;
	uint64_t contid;
	char *args[1];
	int count, r;

	if (cli_args(cli, argc, argv, "audit remove N", NULL, 0, args, 1, 1, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	client = cli_connect(cli);
	if (!client)
		return EXIT_FAILURE;
	r = canister_audit_sink_remove(client, contid);
	if (r < 0)
		r = cli_client_error(cli, client, r);
	canister_client_close(client);
	return r;
}

/* The sinks and their counters, from canisterd's status. */
static int audit_list(struct cli *cli, int argc, char **argv)
{
	struct canister_client *client;
	struct canister_status *status;
	char *args[1];
	int count, r;

	if (cli_args(cli, argc, argv, "audit list [--json]", NULL, 0, args, 0, 0, &count))
		return CLI_EXIT_USAGE;
	client = cli_connect(cli);
	if (!client)
		return EXIT_FAILURE;
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
	if (cli->json) {
		struct json_object *sinks = canister_sinks_json(&status->audit);

		free(status);
		if (!sinks)
			return cli_error(cli, ENOMEM, "out of memory");
		cli_print_json(sinks);
		return 0;
	}
	printf("%-8s %-6s %9s %9s %9s %9s %9s %7s  %s\n", "CONTID", "FORMAT", "QUEUED", "EVENTS",
	       "DROPPED", "DISKLOST", "LOSTRECS", "READERS", "LOG");
	for (unsigned int i = 0; i < status->audit.sink_count; i++) {
		const struct canister_sink_status *sink = &status->audit.sinks[i];

		printf("%-8" PRIu64 " %-6s %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64
		       " %9" PRIu64 " %7" PRIu64 "  %s\n",
		       sink->contid, sink->format == CANISTER_LOG_FORMAT_JSON ? "json" : "text",
		       sink->queued, sink->events, sink->dropped, sink->disk_full_lost,
		       sink->lost_records, sink->readers, sink->log);
	}
	free(status);
	return 0;
}

/* Copies a sink's socket to stdout until canisterd closes it (or refuses, with its reason). */
static int audit_follow(struct cli *cli, int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char *args[1], buf[65536];
	int count, fd;
	ssize_t n;

	if (cli_args(cli, argc, argv, "audit follow SOCKET", NULL, 0, args, 1, 1, &count))
		return CLI_EXIT_USAGE;
	if (strlen(args[0]) >= sizeof(addr.sun_path))
		return cli_error(cli, ENAMETOOLONG, "audit follow: socket path too long");
	strcpy(addr.sun_path, args[0]);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return cli_error(cli, errno, "audit follow: %s: %s", args[0], strerror(errno));
	n = read(fd, buf, sizeof(buf));
	if (n > 6 && memcmp(buf, "error:", 6) == 0) {
		close(fd);
		buf[n - (buf[n - 1] == '\n')] = '\0';
		return cli_error(cli, EPERM, "audit follow: canisterd refused:%s", buf + 6);
	}
	while (n > 0) {
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
		fflush(stdout);
		n = read(fd, buf, sizeof(buf));
	}
	close(fd);
	return 0;
}

int cmd_audit(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;

	if (argc < 2)
		return cli_usage_error(&cli, "audit: add, remove, list or follow (see canister "
					     "help audit)");
	if (strcmp(argv[1], "add") == 0)
		return audit_add(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0)
		return audit_remove(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return audit_list(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "follow") == 0)
		return audit_follow(&cli, argc - 1, argv + 1);
	return cli_usage_error(&cli, "audit: unknown subcommand '%s'", argv[1]);
}
