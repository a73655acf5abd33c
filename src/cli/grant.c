// SPDX-License-Identifier: GPL-2.0-only
/* canister grant|revoke: cross-container grants (host-admin, credentials) canisterd holds. */
#include "cli/cli.h"

#include "access/grant_parse.h"
#include "lib/client.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRANT_USAGE "grant N host-admin | grant N [--uid U] --as M:V | grant N --list [--json]"
#define REVOKE_USAGE "revoke N host-admin | revoke N [--uid U] --as M:V"

/* One line a grant, as the command line names it. */
static void print_grants(uint64_t contid, const struct canister_grants_reply *grants)
{
	if (!grants->count)
		printf("# container %" PRIu64 " holds no grant\n", contid);
	for (unsigned int i = 0; i < grants->count; i++) {
		const struct canister_grant_entry *g = &grants->grants[i];

		if (!g->credential) {
			printf("host-admin\n");
			continue;
		}
		printf("credential ");
		if (g->has_uid)
			printf("--uid %" PRIu32 " ", g->uid);
		printf("--as %" PRIu64 ":%" PRIu32 "\n", g->as_contid, g->as_uid);
	}
}

static int print_reply(struct cli *cli, uint64_t contid, enum canister_op op,
		       const struct canister_grants_reply *grants, bool list)
{
	struct canister_reply *reply;
	struct json_object *out = NULL;

	if (!cli->json) {
		if (list)
			print_grants(contid, grants);
		return 0;
	}
	reply = calloc(1, sizeof(*reply));
	if (reply) {
		reply->op = op;
		reply->ok = true;
		reply->grants = *grants;
		out = canister_reply_json(reply, false);
		free(reply);
	}
	if (!out)
		return cli_error(cli, ENOMEM, "out of memory");
	cli_json_add_contid(out, contid);
	cli_print_json(out);
	return 0;
}

static int grant_command(const struct cli *base, int argc, char **argv, bool revoke)
{
	const char *usage = revoke ? REVOKE_USAGE : GRANT_USAGE;
	const char *uid_text = NULL, *as_text = NULL;
	const struct cli_option options[] = {
		{ "--uid", &uid_text },
		{ "--as", &as_text },
	};
	struct canister_grant_request grant = { 0 };
	struct canister_grants_reply *grants;
	struct canister_client *client;
	enum canister_op op = revoke ? CANISTER_OP_REVOKE : CANISTER_OP_GRANT;
	struct cli cli = *base;
	char *args[2], why[256];
	uint64_t contid;
	bool list = !revoke && cli_take_flag(&argc, argv, "--list");
	int count, r;

	if (cli_args(&cli, argc, argv, usage, options, 2, args, 1, 2, &count) ||
	    cli_parse_contid(&cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	if (list) {
		if (count != 1 || uid_text || as_text)
			return cli_usage_error(
				&cli, "grant --list takes only N; usage: canister %s", usage);
		op = CANISTER_OP_GRANT_LIST;
	} else if (count == 2) {
		if (strcmp(args[1], "host-admin") != 0 || uid_text || as_text)
			return cli_usage_error(&cli,
					       "\"%s\": the right is host-admin, or a credential "
					       "with --as M:V; usage: canister %s",
					       args[1], usage);
	} else {
		if (!as_text)
			return cli_usage_error(
				&cli, "name host-admin or --as M:V; usage: canister %s", usage);
		grant.credential = true;
		if (access_grant_parse_as(as_text, &grant.as_contid, &grant.as_uid, why,
					  sizeof(why)) < 0)
			return cli_usage_error(&cli, "%s", why);
		if (uid_text) {
			if (access_grant_parse_uid(uid_text, "--uid", &grant.uid, why,
						   sizeof(why)) < 0)
				return cli_usage_error(&cli, "%s", why);
			grant.has_uid = true;
		}
		if (grant.as_contid == contid)
			return cli_usage_error(&cli,
					       "container %" PRIu64 " needs no credential for "
					       "itself: its processes act on their own container's "
					       "already",
					       contid);
	}
	grants = calloc(1, sizeof(*grants));
	if (!grants)
		return cli_error(&cli, ENOMEM, "out of memory");
	client = cli_connect(&cli);
	if (!client) {
		free(grants);
		return EXIT_FAILURE;
	}
	r = canister_grant_op(client, op, contid, list ? NULL : &grant, grants);
	if (r < 0)
		r = cli_client_error(&cli, client, r);
	else
		r = print_reply(&cli, contid, op, grants, list);
	if (r == 0 && fflush(stdout) != 0)
		r = cli_error(&cli, errno, "cannot write to stdout: %s", strerror(errno));
	canister_client_close(client);
	free(grants);
	return r;
}

int cmd_grant(const struct cli *cli, int argc, char **argv)
{
	return grant_command(cli, argc, argv, false);
}

int cmd_revoke(const struct cli *cli, int argc, char **argv)
{
	return grant_command(cli, argc, argv, true);
}
