// SPDX-License-Identifier: GPL-2.0-only
/* canister CLI: global options, the subcommand table and the shared error printer. */
#include "cli/cli.h"

#include "lib/contid.h"
#include "lib/errnames.h"
#include "lib/name.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static const struct {
	const char *name;
	int (*run)(const struct cli *cli, int argc, char **argv);
	const char *synopsis;
	const char *summary; /* for `canister help CMD`; the man page says the rest */
} commands[] = {
	{ "status", cmd_status, "status [--json]",
	  "Show canisterd's mode, the kernel features it found and what each capability "
	  "enforces." },
	{ "run", cmd_run,
	  "run [--id N] [--name NAME] [--ima-policy FILE] [--integrity-tpm none|swtpm]\n"
	  "      [--ima-key FILE]... [--appraise off|log|enforce] [--ima-host-keys yes|no]\n"
	  "      [--policy FILE] [--cgroup own|none] -- CMD [ARG...]",
	  "Run CMD as the first process of a new container (or of live container N), labelled\n"
	  "before its first instruction.  Exits with CMD's status; 125 when canister fails,\n"
	  "126 when CMD cannot be executed, 127 when it is not found (nothing is registered\n"
	  "for a CMD that never ran).  CMD gets a cgroup v2 of its own beneath the caller's,\n"
	  "removed when the run ends (--cgroup none: the caller's, shared with its processes)." },
	{ "get", cmd_get, "get PID [--json]",
	  "Print the container chain and name of process PID." },
	{ "set", cmd_set, "set PID N [--name NAME] [--json]",
	  "Register process PID (which has no children) into container N." },
	{ "delegate", cmd_delegate, "delegate PID [--json]",
	  "Let process PID register containers nested in its own." },
	{ "ps", cmd_ps, "ps [--json]", "List the live containers." },
	{ "log", cmd_log, "log [N] [--file PATH] [--json]",
	  "Print canister's audit records (those of container N and its descendants)." },
	{ "audit", cmd_audit,
	  "audit add N --log PATH [--rules FILE] [--backlog K] [--format text|json] "
	  "[--socket PATH]\n  canister audit remove N | audit list [--json] | audit follow "
	  "SOCKET",
	  "Manage the per-container audit sinks, or follow a sink's socket live." },
	{ "integrity", cmd_integrity,
	  "integrity policy N [FILE] | integrity tpm N [none|swtpm]\n"
	  "  canister integrity list N [--binary] [--bank sha1|sha256]\n"
	  "  canister integrity pcrs N [--bank sha1|sha256]\n"
	  "  canister integrity quote N --nonce HEX --out DIR\n"
	  "  canister integrity key add N FILE | integrity key list N | integrity key remove N "
	  "KEYID\n"
	  "  canister integrity appraise N [off|log|enforce] [--host-keys yes|no]",
	  "Set or print container N's IMA policy or TPM choice, print its measurement list or "
	  "PCRs, "
	  "quote its TPM's PCR 10 and its model's PCR 11, or manage its appraisal keys and "
	  "mode." },
	{ "policy", cmd_policy,
	  "policy load N FILE [--complain] | policy show N [--effective] [--json]",
	  "Load container N's access policy into canisterd (enforce, or complain), or show\n"
	  "the policy it holds for N, or N's effective one (its own and every ancestor's,\n"
	  "intersected), in canonical form." },
	{ "grant", cmd_grant,
	  "grant N host-admin | grant N [--uid U] --as M:V | grant N --list [--json]",
	  "Let container N's processes signal and ptrace every other container's and the host's\n"
	  "(host-admin), or those of container M running as uid V (a credential; with --uid,\n"
	  "only N's processes running as U).  The host's administrator only; lsm mode enforces." },
	{ "revoke", cmd_revoke, "revoke N host-admin | revoke N [--uid U] --as M:V",
	  "Take a grant of container N back." },
	{ "model", cmd_model,
	  "model N learn|seal|enforce|state|measurement|trajectory|forensics|counts|events|\n"
	  "      untrusted [--json] | model N export FILE | model load N FILE [--enforce]",
	  "Container N's behaviour model: start learning, seal or enforce it (only forward),\n"
	  "show its state value, measurement, trajectory, forensics, counts, events (TSEM's\n"
	  "JSON, one a line) or untrusted processes; export it as a model file, or load one\n"
	  "(sealed, or enforced) into a container that has none." },
	{ "help", cmd_help, "help [COMMAND]", "Show the commands, or how to use one." },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: canister [--socket PATH] [--json] COMMAND [ARGS]\n"
		     "       canister --version | --help | help [COMMAND]\n\ncommands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  canister %s\n", commands[i].synopsis);
	fprintf(out, "\nThe socket defaults to $CANISTER_SOCKET, else " CANISTER_SOCKET_DEFAULT
		     ".\nSee canister(8).\n");
}

static int command_index(const char *name)
{
	for (size_t c = 0; c < COMMAND_COUNT; c++)
		if (strcmp(commands[c].name, name) == 0)
			return (int)c;
	return -1;
}

static void command_help(size_t c)
{
	printf("usage: canister %s\n\n%s\n", commands[c].synopsis, commands[c].summary);
}

int cmd_help(const struct cli *cli, int argc, char **argv)
{
	int c;

	if (argc > 2)
		return cli_usage_error(cli, "help: one command at the most; usage: canister help "
					    "[COMMAND]");
	if (argc == 1) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	c = command_index(argv[1]);
	if (c < 0) {
		usage(stderr);
		return cli_usage_error(cli, "help: unknown command '%s'", argv[1]);
	}
	command_help((size_t)c);
	return EXIT_SUCCESS;
}

static void report(const struct cli *cli, int errnum, const char *fmt, va_list ap)
{
	char message[1024];

	vsnprintf(message, sizeof(message), fmt, ap);
	fprintf(stderr, "canister: %s\n", message);
	if (cli->json) {
		struct json_object *error = json_object_new_object();
		const char *name = canister_errno_name(errnum);

		json_object_object_add(error, "error", json_object_new_string(message));
		if (name)
			json_object_object_add(error, "errno", json_object_new_string(name));
		cli_print_json(error);
	}
}

int cli_error(const struct cli *cli, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(cli, errnum, fmt, ap);
	va_end(ap);
	return EXIT_FAILURE;
}

int cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(cli, EINVAL, fmt, ap);
	va_end(ap);
	return CLI_EXIT_USAGE;
}

const char *cli_socket_path(const struct cli *cli)
{
	const char *path = cli->socket_path;

	if (!path)
		path = getenv("CANISTER_SOCKET");
	if (!path || !*path)
		path = CANISTER_SOCKET_DEFAULT;
	return path;
}

struct canister_client *cli_connect(const struct cli *cli)
{
	const char *path = cli_socket_path(cli);
	struct canister_client *client;
	int r;

	r = canister_client_connect(path, &client);
	if (r == 0)
		return client;
	if (r == -ENOENT || r == -ECONNREFUSED)
		cli_error(cli, -r, "canisterd is not running (nothing answers on %s)", path);
	else if (r == -EACCES || r == -EPERM)
		cli_error(cli, -r, "not allowed to talk to canisterd on %s (root only)", path);
	else
		cli_error(cli, -r, "cannot connect to canisterd on %s: %s", path, strerror(-r));
	return NULL;
}

int cli_client_error(const struct cli *cli, struct canister_client *client, int r)
{
	return cli_error(cli, -r, "%s", canister_client_error(client));
}

int cli_args(struct cli *cli, int argc, char **argv, const char *usage,
	     const struct cli_option *options, size_t option_count, char **ret_args, int min,
	     int max, int *ret_count)
{
	int count = 0;

	for (int i = 1; i < argc; i++) {
		const struct cli_option *option = NULL;

		for (size_t o = 0; o < option_count; o++)
			if (strcmp(argv[i], options[o].name) == 0)
				option = &options[o];
		if (option) {
			if (++i == argc)
				return cli_usage_error(cli, "%s needs a value; usage: canister %s",
						       option->name, usage);
			*option->ret_value = argv[i];
		} else if (strcmp(argv[i], "--json") == 0) {
			cli->json = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0' &&
			   (argv[i][1] < '0' || argv[i][1] > '9')) {
			/* "-1" is a (refused) contid, not an option: its parser explains why. */
			return cli_usage_error(cli, "unknown option '%s'; usage: canister %s",
					       argv[i], usage);
		} else if (count < max) {
			ret_args[count++] = argv[i];
		} else {
			return cli_usage_error(cli, "unexpected argument '%s'; usage: canister %s",
					       argv[i], usage);
		}
	}
	if (count < min)
		return cli_usage_error(cli, "missing arguments; usage: canister %s", usage);
	*ret_count = count;
	return 0;
}

bool cli_take_flag(int *argc, char **argv, const char *flag)
{
	bool found = false;
	int kept = 0;

	for (int i = 0; i < *argc; i++) {
		/* Past "--" nothing is an option; the commands that take flags take none there. */
		if (i > 0 && strcmp(argv[i], flag) == 0)
			found = true;
		else
			argv[kept++] = argv[i];
	}
	*argc = kept;
	return found;
}

int cli_parse_pid(const struct cli *cli, const char *text, pid_t *ret_pid)
{
	if (canister_parse_pid(text, ret_pid) < 0)
		return cli_usage_error(cli, "'%s' is not a process ID (1..2147483647)", text);
	return 0;
}

int cli_parse_contid(const struct cli *cli, const char *text, uint64_t *ret_contid)
{
	if (canister_parse_contid(text, ret_contid) < 0)
		return cli_usage_error(
			cli, "'%s' is not a container ID (decimal, 0..18446744073709551614)", text);
	return 0;
}

int cli_check_name(const struct cli *cli, const char *name)
{
	char why[128];

	if (canister_name_check(name, why, sizeof(why)) < 0)
		return cli_usage_error(cli, "--name '%s': %s", name, why);
	return 0;
}

void cli_print_json(struct json_object *object)
{
	printf("%s\n", json_object_to_json_string_ext(
			       object, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(object);
}

void cli_json_add_contid(struct json_object *object, uint64_t contid)
{
	char id[24];

	snprintf(id, sizeof(id), "%" PRIu64, contid);
	json_object_object_add(object, "contid", json_object_new_string(id));
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	int i, c;

	/* Global options come before the command; each command parses its own. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--socket") == 0 || strcmp(argv[i], "-s") == 0) {
			if (++i == argc)
				return cli_usage_error(&cli, "%s needs a path", argv[i - 1]);
			cli.socket_path = argv[i];
		} else if (strcmp(argv[i], "--json") == 0) {
			cli.json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return EXIT_SUCCESS;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			printf("canister %s\n", CANISTER_VERSION);
			return EXIT_SUCCESS;
		} else {
			usage(stderr);
			return cli_usage_error(&cli, "unknown option '%s'", argv[i]);
		}
	}
	if (i == argc) {
		usage(stderr);
		return cli_usage_error(&cli, "no command given");
	}
	c = command_index(argv[i]);
	if (c < 0) {
		usage(stderr);
		return cli_usage_error(&cli, "unknown command '%s'", argv[i]);
	}
	/* Only right after the command word: `run -- CMD --help` is CMD's. */
	if (i + 1 < argc &&
	    (strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0)) {
		command_help((size_t)c);
		return EXIT_SUCCESS;
	}
	return commands[c].run(&cli, argc - i, argv + i);
}
