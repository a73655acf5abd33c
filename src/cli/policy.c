// SPDX-License-Identifier: GPL-2.0-only
/* canister policy: load or show a container's access policy (canisterd holds it). */
#include "cli/cli.h"

#include "access/policy.h"
#include "lib/client.h"
#include "lib/protocol.h"
#include "lib/reply.h"
#include "lib/status.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The file is read and checked here as `canister run --policy` reads it (the
 * caller's own file, nobody else may write it), so that its errors name it
 * and its lines; canisterd gets the canonical text and parses it again.
 */
static int policy_load(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "policy load N FILE [--complain]";
	enum canister_access_mode mode = CANISTER_ACCESS_ENFORCE;
	struct canister_access_policy *policy;
	struct canister_client *client;
	char why[512], *args[2], *text;
	uint64_t contid;
	size_t len;
	int count, r;

	if (cli_take_flag(&argc, argv, "--complain"))
		mode = CANISTER_ACCESS_COMPLAIN;
	if (cli_args(cli, argc, argv, usage, NULL, 0, args, 2, 2, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	r = canister_access_policy_load(args[1], &policy, why, sizeof(why));
	if (r < 0)
		return cli_error(cli, -r, "%s", r == -ENOMEM ? "out of memory" : why);
	len = canister_access_policy_print(policy, NULL, 0);
	if (len > CANISTER_ACCESS_POLICY_TEXT_MAX) {
		canister_access_policy_free(policy);
		return cli_error(cli, E2BIG,
				 "%s: the policy prints to %zu bytes; canisterd takes at most %d",
				 args[1], len, CANISTER_ACCESS_POLICY_TEXT_MAX);
	}
	text = malloc(len + 1);
	if (!text) {
		canister_access_policy_free(policy);
		return cli_error(cli, ENOMEM, "out of memory");
	}
	canister_access_policy_print(policy, text, len + 1);
	client = cli_connect(cli);
	if (!client) {
		free(text);
		canister_access_policy_free(policy);
		return EXIT_FAILURE;
	}
	r = canister_policy_load(client, contid, text, len, mode);
	if (r < 0) {
		r = cli_client_error(cli, client, r);
	} else if (cli->json) {
		struct json_object *out = json_object_new_object();

		cli_json_add_contid(out, contid);
		json_object_object_add(out, "mode",
				       json_object_new_string(canister_access_mode_name(mode)));
		json_object_object_add(
			out, "rules",
			json_object_new_int64((int64_t)(policy->fs_count + policy->net_count)));
		cli_print_json(out);
	}
	canister_client_close(client);
	free(text);
	canister_access_policy_free(policy);
	return r;
}

#define CLI_POLICY_STATUS_SAYS "`canister status` says what enforces each right"

static void print_loader(const struct canister_policy_show_reply *show,
			 const struct canister_policy_level *level)
{
	if (level->from_default)
		printf("brought none: canister.conf's default (access_policy = %s)",
		       show->default_path);
	else if (level->loaded_by)
		printf("its own, loaded by delegation %" PRIu32, level->loaded_by);
	else
		printf("its own, loaded by the host's administrator");
}

/* @name's row of canisterd's enforcement table, or NULL. */
static const struct canister_access_right_status *right_row(const struct canister_status *status,
							    const char *name)
{
	for (unsigned int i = 0; status && i < status->access.right_count; i++)
		if (strcmp(status->access.rights[i].right, name) == 0)
			return &status->access.rights[i];
	return NULL;
}

static void print_right(const struct canister_status *status, const char *kind, const char *name)
{
	const struct canister_access_right_status *row;
	char right[64];

	snprintf(right, sizeof(right), "%s %s", kind, name);
	row = right_row(status, right);
	printf("# %s: canisterd: %s\n", right, row ? row->canisterd : "unknown");
}

/*
 * "mode enforce" must not read as enforced: for each right the shown policy
 * handles, what canisterd does of it (its status's table, which says when
 * the file gate is not running); the rest of the table in `canister status`.
 */
static void print_enforcement(const struct canister_policy_show_reply *show,
			      const struct canister_status *status)
{
	struct canister_access_policy *policy;
	char why[256];

	if (!status || canister_access_policy_parse(show->policy, show->policy_len, "policy",
						    &policy, why, sizeof(why)) < 0) {
		printf("# %s\n", CLI_POLICY_STATUS_SAYS);
		return;
	}
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_FS_ALL; bit <<= 1)
		if (policy->fs_handled & bit)
			print_right(status, "fs", canister_access_fs_right_name(bit));
	/* Any file right handled: its workload may not mount (docs/access.md). */
	if (policy->fs_handled) {
		const struct canister_access_right_status *row = right_row(status, "mounts");

		printf("# mounts: canisterd: %s\n", row ? row->canisterd : "unknown");
	}
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_NET_ALL; bit <<= 1)
		if (policy->net_handled & bit)
			print_right(status, "net", canister_access_net_right_name(bit));
	for (uint32_t bit = 1; bit <= CANISTER_ACCESS_SCOPE_ALL; bit <<= 1)
		if (policy->scopes & bit)
			print_right(status, "scope", canister_access_scope_name(bit));
	if (policy->cap_bound != CANISTER_ACCESS_CAPS_ALL) {
		const struct canister_access_right_status *row =
			right_row(status, "capability bound");

		printf("# capability bound: canisterd: %s\n", row ? row->canisterd : "unknown");
	}
	canister_access_policy_free(policy);
	printf("# %s\n", CLI_POLICY_STATUS_SAYS);
}

/*
 * The canonical text after comment lines that say whose it is: the output
 * loads as a policy again (`canister policy load M FILE`).
 */
static void print_show(uint64_t contid, const struct canister_policy_show_reply *show,
		       const struct canister_status *status)
{
	if (!show->effective && !show->level_count) {
		printf("# container %" PRIu64 " holds no access policy of its own\n", contid);
		return;
	}
	if (!show->level_count) {
		printf("# no container in %" PRIu64 "'s chain holds an access policy: nothing "
		       "is refused by one\n",
		       contid);
		return;
	}
	if (show->effective)
		printf("# container %" PRIu64 "'s effective policy: %s\n", contid,
		       show->level_count > 1 ? "every level's below, intersected"
					     : "one level holds a policy");
	for (unsigned int i = 0; i < show->level_count; i++) {
		const struct canister_policy_level *level = &show->levels[i];

		printf("# container %" PRIu64 ": mode %s, ", level->contid,
		       canister_access_mode_name(level->mode));
		print_loader(show, level);
		printf("\n");
	}
	print_enforcement(show, status);
	fwrite(show->policy, 1, show->policy_len, stdout);
}

static int policy_show(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "policy show N [--effective] [--json]";
	struct canister_policy_show_reply *show;
	struct canister_client *client;
	bool effective;
	uint64_t contid;
	char *args[1];
	int count, r;

	effective = cli_take_flag(&argc, argv, "--effective");
	if (cli_args(cli, argc, argv, usage, NULL, 0, args, 1, 1, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	show = calloc(1, sizeof(*show));
	if (!show)
		return cli_error(cli, ENOMEM, "out of memory");
	client = cli_connect(cli);
	if (!client) {
		free(show);
		return EXIT_FAILURE;
	}
	r = canister_policy_show(client, contid, effective, show);
	if (r < 0) {
		r = cli_client_error(cli, client, r);
	} else {
		/* A refused file is said every time: the container holds less than was loaded. */
		if (show->refused[0])
			fprintf(stderr,
				"canister: warning: container %" PRIu64 "'s stored policy was "
				"refused at start: %s\n",
				contid, show->refused);
		if (cli->json) {
			struct canister_reply *reply = calloc(1, sizeof(*reply));
			struct json_object *out = NULL;

			if (reply) {
				reply->op = CANISTER_OP_POLICY_SHOW;
				reply->ok = true;
				reply->policy_show = *show;
				out = canister_reply_json(reply, false);
				free(reply);
			}
			if (!out) {
				r = cli_error(cli, ENOMEM, "out of memory");
			} else {
				cli_json_add_contid(out, contid);
				cli_print_json(out);
			}
		} else {
			struct canister_status *status = calloc(1, sizeof(*status));

			/* What enforces each right: said from the status, or not said at all. */
			if (status && canister_status_read(client, status) < 0) {
				free(status);
				status = NULL;
			}
			print_show(contid, show, status);
			free(status);
		}
		if (r == 0 && fflush(stdout) != 0)
			r = cli_error(cli, errno, "cannot write to stdout: %s", strerror(errno));
	}
	canister_client_close(client);
	free(show);
	return r;
}

int cmd_policy(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;

	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return policy_load(&cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return policy_show(&cli, argc - 1, argv + 1);
	return cli_usage_error(&cli, "policy: load or show; usage: canister policy load N FILE "
				     "[--complain] | policy show N [--effective] [--json]");
}
