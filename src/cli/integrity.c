// SPDX-License-Identifier: GPL-2.0-only
/* canister integrity: a container's IMA policy, TPM choice, measurement lists, PCRs and quotes. */
#include "cli/cli.h"

#include "integrity/ima_policy.h"
#include "integrity/tpm_pcrs_file.h"
#include "lib/hex.h"
#include "lib/client.h"
#include "lib/protocol.h"
#include "lib/reply.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse_bank(const struct cli *cli, const char *bank, bool *ret_sha256)
{
	if (!bank || strcmp(bank, "sha1") == 0)
		*ret_sha256 = false;
	else if (strcmp(bank, "sha256") == 0)
		*ret_sha256 = true;
	else
		return cli_usage_error(cli, "--bank '%s': sha1 or sha256", bank);
	return 0;
}

/* The output is IMA's own format, which tools read as it is: --json has nothing to add. */
static int no_json(const struct cli *cli, const char *what)
{
	return cli_usage_error(cli, "%s prints IMA's own format; --json does not apply", what);
}

/*
 * The whole file, page by page, to stdout.  Lists only grow and canisterd
 * replaces a file whole, so the pages up to the size the first page gave are
 * one list, even when entries are added meanwhile.
 */
static int read_file(const struct cli *cli, uint64_t contid, enum canister_integrity_file file,
		     bool sha256)
{
	struct canister_integrity_read_reply *page = malloc(sizeof(*page));
	struct canister_client *client;
	uint64_t offset = 0, size = 0;
	int r = 0;

	if (!page)
		return cli_error(cli, ENOMEM, "out of memory");
	client = cli_connect(cli);
	if (!client) {
		free(page);
		return EXIT_FAILURE;
	}
	do {
		size_t len;

		r = canister_integrity_read(client, contid, file, sha256, offset, page);
		if (r < 0) {
			r = cli_client_error(cli, client, r);
			break;
		}
		if (offset == 0)
			size = page->size;
		len = page->len;
		if (len > size - offset)
			len = (size_t)(size - offset);
		if (len == 0 && offset < size) {
			r = cli_error(cli, EIO,
				      "container %" PRIu64 "'s list became shorter while "
				      "it was read (a restarted list)",
				      contid);
			break;
		}
		if (fwrite(page->data, 1, len, stdout) != len) {
			r = cli_error(cli, errno, "cannot write to stdout: %s", strerror(errno));
			break;
		}
		offset += len;
	} while (offset < size);
	if (r == 0 && fflush(stdout) != 0)
		r = cli_error(cli, errno, "cannot write to stdout: %s", strerror(errno));
	canister_client_close(client);
	free(page);
	return r;
}

static int read_text(const struct cli *cli, const char *path, char **ret_text, size_t *ret_len)
{
	size_t len = 0, cap = 0;
	char *text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return cli_error(cli, errno, "%s: %s", path, strerror(errno));
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *bigger;

			if (cap > CANISTER_IMA_POLICY_FILE_MAX) {
				close(fd);
				free(text);
				return cli_error(cli, EFBIG, "%s: larger than %d bytes", path,
						 CANISTER_IMA_POLICY_FILE_MAX);
			}
			cap = cap ? cap * 2 : 16384;
			bigger = realloc(text, cap + 1);
			if (!bigger) {
				close(fd);
				free(text);
				return cli_error(cli, ENOMEM, "out of memory");
			}
			text = bigger;
		}
		n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(text);
			return cli_error(cli, e, "%s: %s", path, strerror(e));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > CANISTER_IMA_POLICY_FILE_MAX) {
		free(text);
		return cli_error(cli, EFBIG, "%s: larger than %d bytes", path,
				 CANISTER_IMA_POLICY_FILE_MAX);
	}
	text[len] = '\0';
	*ret_text = text;
	*ret_len = len;
	return 0;
}

/*
 * The file is read and parsed here, as the caller may read it, so that its
 * errors name it and its lines; canisterd gets the rules as IMA prints them
 * (no comments: a policy of 1024 rules fits a request) and parses them again.
 */
int cli_integrity_policy_read(const struct cli *cli, const char *path,
			      struct canister_ima_policy **ret_policy, char **ret_printed,
			      size_t *ret_len)
{
	struct canister_ima_policy *policy;
	char why[512], *text = NULL, *printed;
	size_t len = 0, printed_len;
	int r;

	if (read_text(cli, path, &text, &len))
		return EXIT_FAILURE;
	r = canister_ima_policy_parse(text, len, path, &policy, why, sizeof(why));
	free(text);
	if (r < 0)
		return cli_error(cli, -r == E2BIG ? E2BIG : EINVAL, "%s",
				 r == -ENOMEM ? "out of memory" : why);
	printed_len = canister_ima_policy_print(policy, NULL, 0);
	printed = malloc(printed_len + 1);
	if (!printed) {
		canister_ima_policy_free(policy);
		return cli_error(cli, ENOMEM, "out of memory");
	}
	canister_ima_policy_print(policy, printed, printed_len + 1);
	*ret_policy = policy;
	*ret_printed = printed;
	*ret_len = printed_len;
	return 0;
}

static int set_policy(const struct cli *cli, uint64_t contid, const char *path)
{
	struct canister_ima_policy *policy;
	struct canister_client *client;
	size_t printed_len;
	char *printed;
	int r;

	if (cli_integrity_policy_read(cli, path, &policy, &printed, &printed_len))
		return EXIT_FAILURE;
	client = cli_connect(cli);
	if (!client) {
		free(printed);
		canister_ima_policy_free(policy);
		return EXIT_FAILURE;
	}
	r = canister_integrity_policy_set(client, contid, printed, printed_len);
	if (r < 0) {
		r = cli_client_error(cli, client, r);
	} else if (cli->json) {
		struct json_object *out = json_object_new_object();

		cli_json_add_contid(out, contid);
		json_object_object_add(out, "rules", json_object_new_int64((int64_t)policy->count));
		cli_print_json(out);
	}
	canister_client_close(client);
	free(printed);
	canister_ima_policy_free(policy);
	return r;
}

static int integrity_policy(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "integrity policy N [FILE]";
	uint64_t contid;
	char *args[2];
	int count;

	if (cli_args(cli, argc, argv, usage, NULL, 0, args, 1, 2, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	if (count == 2)
		return set_policy(cli, contid, args[1]);
	if (cli->json)
		return no_json(cli, "integrity policy N");
	return read_file(cli, contid, CANISTER_INTEGRITY_POLICY, false);
}

int cli_parse_tpm_choice(const struct cli *cli, const char *what, const char *text,
			 enum canister_tpm_choice *ret_choice)
{
	char why[128];

	if (canister_tpm_choice_parse(text, strlen(text), ret_choice, why, sizeof(why)) < 0)
		return cli_usage_error(cli, "%s: %s", what, why);
	return 0;
}

static int set_tpm(const struct cli *cli, uint64_t contid, enum canister_tpm_choice choice)
{
	struct canister_client *client = cli_connect(cli);
	int r;

	if (!client)
		return EXIT_FAILURE;
	r = canister_integrity_tpm_set(client, contid, choice);
	if (r < 0) {
		r = cli_client_error(cli, client, r);
	} else if (cli->json) {
		struct json_object *out = json_object_new_object();

		cli_json_add_contid(out, contid);
		json_object_object_add(out, "tpm",
				       json_object_new_string(canister_tpm_choice_name(choice)));
		cli_print_json(out);
	}
	canister_client_close(client);
	return r;
}

/* As integrity policy: with a word, the container's choice before its first exec; else print it. */
static int integrity_tpm(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "integrity tpm N [none|swtpm]";
	enum canister_tpm_choice choice;
	uint64_t contid;
	char *args[2];
	int count;

	if (cli_args(cli, argc, argv, usage, NULL, 0, args, 1, 2, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	if (count == 2) {
		if (cli_parse_tpm_choice(cli, "integrity tpm", args[1], &choice))
			return CLI_EXIT_USAGE;
		return set_tpm(cli, contid, choice);
	}
	if (cli->json)
		return cli_usage_error(cli, "integrity tpm N prints one word; --json does not "
					    "apply");
	return read_file(cli, contid, CANISTER_INTEGRITY_TPM, false);
}

static int integrity_list(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "integrity list N [--binary] [--bank sha1|sha256]";
	const char *bank = NULL;
	const struct cli_option options[] = { { "--bank", &bank } };
	bool binary = cli_take_flag(&argc, argv, "--binary"), sha256;
	uint64_t contid;
	char *args[1];
	int count;

	if (cli_args(cli, argc, argv, usage, options, 1, args, 1, 1, &count) ||
	    cli_parse_contid(cli, args[0], &contid) || parse_bank(cli, bank, &sha256))
		return CLI_EXIT_USAGE;
	if (cli->json)
		return no_json(cli, "integrity list");
	if (binary && isatty(STDOUT_FILENO))
		return cli_usage_error(cli, "integrity list --binary writes binary data: redirect "
					    "it to a file or a pipe");
	return read_file(cli, contid, binary ? CANISTER_INTEGRITY_BINARY : CANISTER_INTEGRITY_ASCII,
			 sha256);
}

static int integrity_pcrs(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "integrity pcrs N [--bank sha1|sha256]";
	const char *bank = NULL;
	const struct cli_option options[] = { { "--bank", &bank } };
	uint64_t contid;
	char *args[1];
	bool sha256;
	int count;

	if (cli_args(cli, argc, argv, usage, options, 1, args, 1, 1, &count) ||
	    cli_parse_contid(cli, args[0], &contid) || parse_bank(cli, bank, &sha256))
		return CLI_EXIT_USAGE;
	if (cli->json)
		return no_json(cli, "integrity pcrs");
	return read_file(cli, contid, CANISTER_INTEGRITY_PCRS, sha256);
}

/* One file of the quote in @dir, made anew (a verifier's old file is not half overwritten). */
static int write_out(const struct cli *cli, const char *dir, const char *name, const void *data,
		     size_t len)
{
	char path[4096];
	int fd, r = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return cli_error(cli, ENAMETOOLONG, "%s/%s: name too long", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return cli_error(cli, errno, "%s: %s", path, strerror(errno));
	if (write(fd, data, len) != (ssize_t)len)
		r = errno ? errno : EIO;
	if (close(fd) < 0 && !r)
		r = errno;
	if (r)
		return cli_error(cli, r, "%s: %s", path, strerror(r));
	return 0;
}

static void print_hex(const char *name, const uint8_t *data, size_t len)
{
	char hex[2 * 32 + 1];

	canister_hex_encode(data, len, hex);
	printf("%s: %s\n", name, hex);
}

/*
 * The files tpm2_checkquote reads: -m quote.msg -s quote.sig -u ak.pem
 * -f pcrs.out (-g sha256, -q the nonce); PCR 10, the model's PCR 11 and the
 * extend counts on stdout.
 */
static int integrity_quote(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "integrity quote N --nonce HEX --out DIR";
	const char *nonce_hex = NULL, *dir = NULL;
	const struct cli_option options[] = { { "--nonce", &nonce_hex }, { "--out", &dir } };
	struct canister_integrity_quote_reply *quote;
	struct canister_client *client;
	uint8_t nonce[CANISTER_INTEGRITY_NONCE_MAX], pcrs[1024];
	size_t nonce_len, pcrs_len;
	uint64_t contid;
	char *args[1];
	int count, r;

	if (cli_args(cli, argc, argv, usage, options, 2, args, 1, 1, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	if (!nonce_hex || !dir)
		return cli_usage_error(cli, "usage: %s", usage);
	nonce_len = strlen(nonce_hex) / 2;
	if (!nonce_len || nonce_len > sizeof(nonce) ||
	    canister_hex_decode(nonce_hex, strlen(nonce_hex), nonce) < 0)
		return cli_usage_error(cli, "--nonce '%s': 1 to %d bytes in lower-case hex",
				       nonce_hex, CANISTER_INTEGRITY_NONCE_MAX);
	if (cli->json)
		return cli_usage_error(cli, "integrity quote writes files for tpm2_checkquote; "
					    "--json does not apply");
	quote = malloc(sizeof(*quote));
	if (!quote)
		return cli_error(cli, ENOMEM, "out of memory");
	client = cli_connect(cli);
	if (!client) {
		free(quote);
		return EXIT_FAILURE;
	}
	r = canister_integrity_quote(client, contid, nonce, nonce_len, quote);
	if (r < 0)
		r = cli_client_error(cli, client, r);
	canister_client_close(client);
	pcrs_len = tpm_pcrs_file(quote->pcr10_sha1, quote->pcr11_sha1, quote->pcr10_sha256,
				 quote->pcr11_sha256, pcrs, sizeof(pcrs));
	if (!r && mkdir(dir, 0755) < 0 && errno != EEXIST)
		r = cli_error(cli, errno, "%s: %s", dir, strerror(errno));
	if (!r)
		r = write_out(cli, dir, "quote.msg", quote->quote, quote->quote_len);
	if (!r)
		r = write_out(cli, dir, "quote.sig", quote->signature, quote->signature_len);
	if (!r)
		r = write_out(cli, dir, "ak.pem", quote->ak, strlen(quote->ak));
	if (!r)
		r = write_out(cli, dir, "pcrs.out", pcrs, pcrs_len);
	if (!r) {
		print_hex("pcr10_sha1", quote->pcr10_sha1, sizeof(quote->pcr10_sha1));
		print_hex("pcr10_sha256", quote->pcr10_sha256, sizeof(quote->pcr10_sha256));
		/*
		 * The model's measurement (canister model N measurement), all zeros without
		 * one; its sha1 bank replays with SHA-1 (docs/model.md).
		 */
		print_hex("pcr11_sha1", quote->pcr11_sha1, sizeof(quote->pcr11_sha1));
		print_hex("pcr11_sha256", quote->pcr11_sha256, sizeof(quote->pcr11_sha256));
		printf("extends: %" PRIu64 "\n", quote->extends);
		printf("model_extends: %" PRIu64 "\n", quote->model_extends);
		/* libtpms counts each bank an extend changes: two per entry and per model step. */
		printf("pcr_update_counter: %" PRIu64 " (%" PRIu64 " when canisterd connected)\n",
		       quote->pcr_update_counter, quote->counter_at_start);
	}
	free(quote);
	return r;
}

int cmd_integrity(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;

	if (argc < 2)
		return cli_usage_error(
			&cli, "integrity: policy, tpm, list, pcrs, quote, key or appraise (see "
			      "canister help integrity)");
	if (strcmp(argv[1], "policy") == 0)
		return integrity_policy(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "tpm") == 0)
		return integrity_tpm(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return integrity_list(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "pcrs") == 0)
		return integrity_pcrs(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "quote") == 0)
		return integrity_quote(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "key") == 0)
		return cli_integrity_key(&cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "appraise") == 0)
		return cli_integrity_appraise(&cli, argc - 1, argv + 1);
	return cli_usage_error(&cli, "integrity: unknown subcommand '%s'", argv[1]);
}
