/* SPDX-License-Identifier: GPL-2.0-only */
/* canister CLI: what the subcommands share (options, connection, error printing). */
#ifndef CANISTER_CLI_H
#define CANISTER_CLI_H

#include <canister/canister.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/tpm_choice.h"

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

/* The exit status of a command line that cannot be understood (as getopt tools use). */
#define CLI_EXIT_USAGE 2

/* cli_usage_error() - as cli_error() (errno EINVAL), for a bad command line: returns
 * CLI_EXIT_USAGE. */
int cli_usage_error(const struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cli_socket_path() - the socket named by --socket, else $CANISTER_SOCKET, else the default. */
const char *cli_socket_path(const struct cli *cli);

/* cli_connect() - connect to canisterd or explain why not (returns NULL after cli_error). */
struct canister_client *cli_connect(const struct cli *cli);

/* cli_client_error() - report a failed library call with the daemon's own words. */
int cli_client_error(const struct cli *cli, struct canister_client *client, int r);

/* An option of a command that takes a value ("--name NAME"). */
struct cli_option {
	const char *name;	/* "--name" */
	const char **ret_value; /* the argument after it; left alone when absent */
};

/*
 * cli_args() - split a command's arguments (argv[0] is the command) into
 * --json, the options in @options and @min..@max positional arguments, which
 * land in @ret_args and number *ret_count.  An unknown option or a surplus
 * argument is an error naming it.  Returns 0, or CLI_EXIT_USAGE after cli_usage_error().
 */
int cli_args(struct cli *cli, int argc, char **argv, const char *usage,
	     const struct cli_option *options, size_t option_count, char **ret_args, int min,
	     int max, int *ret_count);

/*
 * cli_take_flag() - takes @flag (an option without a value) out of argv
 * (argv[0], the command, stays) and says whether it was there: cli_args()
 * knows only options with a value.
 */
bool cli_take_flag(int *argc, char **argv, const char *flag);

/* cli_parse_pid() - read a PID argument or explain why not (CLI_EXIT_USAGE after the error). */
int cli_parse_pid(const struct cli *cli, const char *text, pid_t *ret_pid);

/* cli_parse_contid() - read a container ID argument (CLI_EXIT_USAGE after the error). */
int cli_parse_contid(const struct cli *cli, const char *text, uint64_t *ret_contid);

/* cli_check_name() - refuse a --name canisterd would refuse, with the reason (CLI_EXIT_USAGE). */
int cli_check_name(const struct cli *cli, const char *name);

struct canister_ima_policy;
/*
 * cli_integrity_policy_read() - reads and parses the IMA policy at @path as the
 * caller may read it (errors name the file and line), and prints it as IMA
 * prints it for canisterd (*@ret_printed, *@ret_len; free()).  Returns 0, or
 * EXIT_FAILURE after cli_error().
 */
int cli_integrity_policy_read(const struct cli *cli, const char *path,
			      struct canister_ima_policy **ret_policy, char **ret_printed,
			      size_t *ret_len);

enum canister_appraise_mode;
/* cli_appraise_mode_parse() - off, log or enforce; CLI_EXIT_USAGE after the error otherwise. */
int cli_appraise_mode_parse(const struct cli *cli, const char *word,
			    enum canister_appraise_mode *ret_mode);

/* cli_yes_no_parse() - @option's value, yes or no; CLI_EXIT_USAGE after the error otherwise. */
int cli_yes_no_parse(const struct cli *cli, const char *option, const char *word, bool *ret);

/* `canister integrity key ...` and `canister integrity appraise ...` (argv[0] is the word). */
int cli_integrity_key(struct cli *cli, int argc, char **argv);
int cli_integrity_appraise(struct cli *cli, int argc, char **argv);

struct json_object;

/*
 * cli_parse_tpm_choice() - a TPM choice argument ("none" or "swtpm") for
 * @what (the option or command that takes it), or CLI_EXIT_USAGE after the
 * error.
 */
int cli_parse_tpm_choice(const struct cli *cli, const char *what, const char *text,
			 enum canister_tpm_choice *ret_choice);

/* cli_print_json() - print @object as one line on stdout and release it. */
void cli_print_json(struct json_object *object);

/* cli_json_add_contid() - @contid as @object's "contid" (a decimal string). */
void cli_json_add_contid(struct json_object *object, uint64_t contid);

int cmd_status(const struct cli *cli, int argc, char **argv);
int cmd_run(const struct cli *cli, int argc, char **argv);
int cmd_get(const struct cli *cli, int argc, char **argv);
int cmd_set(const struct cli *cli, int argc, char **argv);
int cmd_delegate(const struct cli *cli, int argc, char **argv);
int cmd_ps(const struct cli *cli, int argc, char **argv);
int cmd_audit(const struct cli *cli, int argc, char **argv);
int cmd_log(const struct cli *cli, int argc, char **argv);
int cmd_integrity(const struct cli *cli, int argc, char **argv);
int cmd_policy(const struct cli *cli, int argc, char **argv);
int cmd_grant(const struct cli *cli, int argc, char **argv);
int cmd_revoke(const struct cli *cli, int argc, char **argv);
int cmd_model(const struct cli *cli, int argc, char **argv);
int cmd_help(const struct cli *cli, int argc, char **argv);

/*
 * cli_model_file_read() - the model file at @path as the caller may read it
 * (its own, nobody else may write it), parsed here so that a refusal says
 * "FILE:LINE: reason", into *@ret_text (free()).  Returns 0, or the exit
 * status after cli_error().
 */
int cli_model_file_read(const struct cli *cli, const char *path, char **ret_text, size_t *ret_len);

#endif
