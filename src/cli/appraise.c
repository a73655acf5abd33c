// SPDX-License-Identifier: GPL-2.0-only
/* canister integrity key|appraise: a container's appraisal keys, mode and host-keys choice. */
#include "cli/cli.h"

#include "integrity/appraise_setup.h"
#include "lib/client.h"
#include "lib/hex.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_appraise_mode_parse(const struct cli *cli, const char *word,
			    enum canister_appraise_mode *ret_mode)
{
	if (canister_appraise_mode_parse(word, ret_mode) < 0)
		return cli_usage_error(cli, "'%s' is not an appraisal mode (off, log or enforce)",
				       word);
	return 0;
}

int cli_yes_no_parse(const struct cli *cli, const char *option, const char *word, bool *ret)
{
	if (strcmp(word, "yes") != 0 && strcmp(word, "no") != 0)
		return cli_usage_error(cli, "%s '%s': yes or no", option, word);
	*ret = strcmp(word, "yes") == 0;
	return 0;
}

static void print_json(uint64_t contid, const struct canister_appraisal_reply *appraisal,
		       enum canister_op op)
{
	struct canister_reply reply = { .op = op, .ok = true, .appraisal = *appraisal };
	struct json_object *out = canister_reply_json(&reply, false);

	if (!out)
		return;
	cli_json_add_contid(out, contid);
	cli_print_json(out);
}

/* A store refused at start is said on every listing: the container appraises without its keys. */
static void warn_refused(const struct canister_appraisal_reply *appraisal, uint64_t contid)
{
	if (appraisal->refused[0])
		fprintf(stderr, "canister: warning: container %" PRIu64 "'s stored appraisal %s\n",
			contid, appraisal->refused);
}

/* One key a line: KEYID ALGORITHM KEYID_FROM ORIGIN SUBJECT, tab-separated. */
static void print_keys(const struct canister_appraisal_reply *appraisal)
{
	for (size_t i = 0; i < appraisal->key_count; i++) {
		const struct canister_appraisal_key *key = &appraisal->keys[i];

		printf("%08" PRIx32 "\t%s\t%s\t%s\t%s\n", key->keyid, key->algorithm,
		       key->keyid_from_skid ? "skid" : "public-key", key->origin, key->subject);
	}
}

static size_t own_keys(const struct canister_appraisal_reply *appraisal)
{
	size_t count = 0;

	for (size_t i = 0; i < appraisal->key_count; i++)
		count += strcmp(appraisal->keys[i].origin, "container") == 0;
	return count;
}

static void print_appraisal(const struct canister_appraisal_reply *appraisal)
{
	printf("mode: %s\nhost_keys: %s\nkeys: %zu (%zu of its own)\n",
	       canister_appraise_mode_name(appraisal->mode), appraisal->host_keys ? "yes" : "no",
	       appraisal->key_count, own_keys(appraisal));
}

enum appraisal_call { KEY_ADD, KEY_REMOVE, KEY_LIST, APPRAISE };

struct appraisal_args {
	const uint8_t *cert;
	size_t cert_len;
	uint32_t keyid;
	const enum canister_appraise_mode *mode;
	const bool *host_keys;
};

/* One request, its answer printed as @call prints it. */
static int call(const struct cli *cli, uint64_t contid, enum appraisal_call what,
		const struct appraisal_args *args)
{
	static const enum canister_op ops[] = { CANISTER_OP_INTEGRITY_KEY_ADD,
						CANISTER_OP_INTEGRITY_KEY_REMOVE,
						CANISTER_OP_INTEGRITY_APPRAISE,
						CANISTER_OP_INTEGRITY_APPRAISE };
	struct canister_appraisal_reply *appraisal = malloc(sizeof(*appraisal));
	struct canister_client *client;
	int r;

	if (!appraisal)
		return cli_error(cli, ENOMEM, "out of memory");
	client = cli_connect(cli);
	if (!client) {
		free(appraisal);
		return EXIT_FAILURE;
	}
	if (what == KEY_ADD)
		r = canister_integrity_key_add(client, contid, args->cert, args->cert_len,
					       appraisal);
	else if (what == KEY_REMOVE)
		r = canister_integrity_key_remove(client, contid, args->keyid, appraisal);
	else
		r = canister_integrity_appraise(client, contid, args->mode, args->host_keys,
						appraisal);
	if (r < 0) {
		r = cli_client_error(cli, client, r);
	} else if (cli->json) {
		print_json(contid, appraisal, ops[what]);
	} else {
		if (what == KEY_LIST || (what == APPRAISE && !args->mode && !args->host_keys))
			warn_refused(appraisal, contid);
		if (what == KEY_ADD)
			printf("%08" PRIx32 "\n", appraisal->added_keyid);
		else if (what == KEY_LIST)
			print_keys(appraisal);
		else if (what == APPRAISE && !args->mode && !args->host_keys)
			print_appraisal(appraisal);
	}
	canister_client_close(client);
	free(appraisal);
	return r;
}

static int parse_keyid(const struct cli *cli, const char *text, uint32_t *ret_keyid)
{
	uint8_t bytes[4];

	/* As `key list` prints it: 8 lower-case hex digits. */
	if (strlen(text) != 8 || canister_hex_decode(text, 8, bytes) < 0)
		return cli_usage_error(cli, "'%s' is not a key id (8 lower-case hex digits)", text);
	*ret_keyid = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 |
		     bytes[3];
	return 0;
}

int cli_integrity_key(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "integrity key add N FILE | integrity key list N | "
				    "integrity key remove N KEYID";
	struct appraise_setup setup = { 0 };
	struct appraisal_args args = { 0 };
	uint64_t contid;
	char *words[3], why[512];
	int count, r;

	if (cli_args(cli, argc, argv, usage, NULL, 0, words, 2, 3, &count))
		return CLI_EXIT_USAGE;
	if (cli_parse_contid(cli, words[1], &contid))
		return CLI_EXIT_USAGE;
	if (strcmp(words[0], "list") == 0 && count == 2)
		return call(cli, contid, KEY_LIST, &args);
	if (strcmp(words[0], "remove") == 0 && count == 3) {
		if (parse_keyid(cli, words[2], &args.keyid))
			return CLI_EXIT_USAGE;
		return call(cli, contid, KEY_REMOVE, &args);
	}
	if (strcmp(words[0], "add") != 0 || count != 3)
		return cli_usage_error(cli, "usage: canister %s", usage);
	/* Read as the caller may read it: canisterd never opens a path the caller names. */
	r = appraise_setup_add_key(&setup, words[2], why, sizeof(why));
	if (r < 0)
		return cli_error(cli, -r, "%s", r == -ENOMEM ? "out of memory" : why);
	args.cert = setup.certs[0].data;
	args.cert_len = setup.certs[0].len;
	r = call(cli, contid, KEY_ADD, &args);
	appraise_setup_free(&setup);
	return r;
}

int cli_integrity_appraise(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "integrity appraise N [off|log|enforce] [--host-keys yes|no]";
	const char *host_keys_word = NULL;
	const struct cli_option options[] = { { "--host-keys", &host_keys_word } };
	struct appraisal_args args = { 0 };
	enum canister_appraise_mode mode;
	bool host_keys;
	uint64_t contid;
	char *words[2];
	int count;

	if (cli_args(cli, argc, argv, usage, options, 1, words, 1, 2, &count) ||
	    cli_parse_contid(cli, words[0], &contid))
		return CLI_EXIT_USAGE;
	if (count == 2) {
		if (cli_appraise_mode_parse(cli, words[1], &mode))
			return CLI_EXIT_USAGE;
		args.mode = &mode;
	}
	if (host_keys_word) {
		if (cli_yes_no_parse(cli, "--host-keys", host_keys_word, &host_keys))
			return CLI_EXIT_USAGE;
		args.host_keys = &host_keys;
	}
	return call(cli, contid, APPRAISE, &args);
}
