// SPDX-License-Identifier: GPL-2.0-only
/* canister model: a container's behaviour model (learn, seal, enforce, its views, load, export). */
#include "cli/cli.h"

#include "lib/client.h"
#include "lib/protocol.h"
#include "lib/reply.h"
#include "model/model_file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MODEL_USAGE                                                                        \
	"model N learn|seal|enforce|state|measurement|trajectory|forensics|counts|events|" \
	"untrusted [--json] | model N export FILE | model load N FILE [--enforce]"

int cli_model_file_read(const struct cli *cli, const char *path, char **ret_text, size_t *ret_len)
{
	char why[1024];
	int r = canister_model_file_read(path, CANISTER_MODEL_FILE_MAX, ret_text, ret_len, why,
					 sizeof(why));

	return r < 0 ? cli_error(cli, -r, "%s", why) : 0;
}

static int model_load(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "model load N FILE [--enforce]";
	struct canister_model_reply *reply;
	struct canister_client *client;
	char *args[2], *text;
	bool enforce;
	uint64_t contid;
	size_t len;
	int count, r;

	enforce = cli_take_flag(&argc, argv, "--enforce");
	if (cli_args(cli, argc, argv, usage, NULL, 0, args, 2, 2, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	if (cli_model_file_read(cli, args[1], &text, &len))
		return EXIT_FAILURE;
	reply = calloc(1, sizeof(*reply));
	client = reply ? cli_connect(cli) : NULL;
	if (!client) {
		free(text);
		if (!reply)
			return cli_error(cli, ENOMEM, "out of memory");
		free(reply);
		return EXIT_FAILURE;
	}
	r = canister_model_load_file(client, contid, text, len, enforce, 0, reply);
	if (r < 0) {
		r = cli_client_error(cli, client, r);
	} else if (cli->json) {
		struct json_object *out = json_object_new_object();

		cli_json_add_contid(out, contid);
		json_object_object_add(out, "mode", json_object_new_string(reply->mode));
		cli_print_json(out);
	} else {
		printf("container %" PRIu64 ": model loaded, %s\n", contid, reply->mode);
	}
	canister_client_close(client);
	free(reply);
	free(text);
	return r;
}

/* The whole of a view, page by page, into *@ret_text (free it). */
static int fetch(struct canister_client *client, uint64_t contid, enum canister_model_action action,
		 char **ret_text, size_t *ret_len, char *ret_mode, size_t mode_len)
{
	struct canister_model_reply *page = calloc(1, sizeof(*page));
	char *text = NULL;
	uint64_t offset = 0;
	int r;

	if (!page)
		return -ENOMEM;
	do {
		char *grown;

		r = canister_model_page(client, contid, action, offset, page);
		if (r < 0)
			break;
		grown = realloc(text, offset + page->len + 1);
		if (!grown) {
			r = -ENOMEM;
			break;
		}
		text = grown;
		memcpy(text + offset, page->text, page->len);
		offset += page->len;
		text[offset] = '\0';
		snprintf(ret_mode, mode_len, "%s", page->mode);
	} while (page->len && offset < page->size);
	free(page);
	if (r < 0) {
		free(text);
		return r;
	}
	*ret_text = text ? text : strdup("");
	*ret_len = offset;
	return *ret_text ? 0 : -ENOMEM;
}

/* A view's text as JSON: the lines the daemon writes, made into members. */
static struct json_object *view_json(enum canister_model_action action, const char *mode,
				     char *text)
{
	struct json_object *out = json_object_new_object(), *list = NULL;
	char *line, *save = NULL;

	json_object_object_add(out, "mode", json_object_new_string(mode));
	switch (action) {
	case CANISTER_MODEL_ACT_STATE:
		text[strcspn(text, "\n")] = '\0';
		json_object_object_add(out, canister_model_action_name(action),
				       json_object_new_string(text));
		break;
	case CANISTER_MODEL_ACT_MEASUREMENT:
		/* The value; "base HEX", "aggregate HEX"; then each coefficient in order. */
		list = json_object_new_array();
		line = strtok_r(text, "\n", &save);
		json_object_object_add(out, "measurement",
				       json_object_new_string(line ? line : ""));
		while ((line = strtok_r(NULL, "\n", &save))) {
			char *space = strchr(line, ' ');

			if (space) {
				*space = '\0';
				json_object_object_add(out, line,
						       json_object_new_string(space + 1));
			} else {
				json_object_array_add(list, json_object_new_string(line));
			}
		}
		json_object_object_add(out, "coefficients", list);
		break;
	case CANISTER_MODEL_ACT_TRAJECTORY:
	case CANISTER_MODEL_ACT_FORENSICS:
	case CANISTER_MODEL_ACT_UNTRUSTED:
		list = json_object_new_array();
		json_object_object_add(out, canister_model_action_name(action), list);
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			struct json_object *entry;
			char *space = strchr(line, ' ');

			if (action == CANISTER_MODEL_ACT_UNTRUSTED) {
				json_object_array_add(list, json_object_new_int64(atoll(line)));
				continue;
			}
			entry = json_object_new_object();
			if (space)
				*space = '\0';
			json_object_object_add(entry, "coefficient", json_object_new_string(line));
			json_object_object_add(entry, "seen",
					       json_object_new_int64(space ? atoll(space + 1) : 0));
			json_object_array_add(list, entry);
		}
		break;
	case CANISTER_MODEL_ACT_COUNTS:
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *space = strchr(line, ' ');

			if (!space || strncmp(line, "mode ", 5) == 0)
				continue;
			*space = '\0';
			json_object_object_add(out, line, json_object_new_int64(atoll(space + 1)));
		}
		break;
	default:
		break;
	}
	return out;
}

static int write_file(const struct cli *cli, const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	size_t done = 0;

	if (fd < 0)
		return cli_error(cli, errno, "%s: cannot create: %s", path, strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			close(fd);
			return cli_error(cli, e, "%s: cannot write: %s", path, strerror(e));
		}
		done += (size_t)n;
	}
	if (close(fd) < 0)
		return cli_error(cli, errno, "%s: cannot write: %s", path, strerror(errno));
	return 0;
}

static int model_container(struct cli *cli, int argc, char **argv)
{
	enum canister_model_action action;
	struct canister_client *client;
	char *args[3], *text = NULL, mode[16] = "";
	uint64_t contid;
	size_t len;
	int count, r;

	if (cli_args(cli, argc, argv, MODEL_USAGE, NULL, 0, args, 2, 3, &count) ||
	    cli_parse_contid(cli, args[0], &contid))
		return CLI_EXIT_USAGE;
	if (canister_model_action_parse(args[1], &action) < 0)
		return cli_usage_error(cli, "model: unknown word \"%s\"; usage: canister %s",
				       args[1], MODEL_USAGE);
	if ((action == CANISTER_MODEL_ACT_EXPORT) != (count == 3))
		return cli_usage_error(cli,
				       "model: export takes a FILE, nothing else does; usage: "
				       "canister %s",
				       MODEL_USAGE);
	client = cli_connect(cli);
	if (!client)
		return EXIT_FAILURE;
	r = fetch(client, contid, action, &text, &len, mode, sizeof(mode));
	if (r < 0) {
		r = r == -ENOMEM ? cli_error(cli, ENOMEM, "out of memory")
				 : cli_client_error(cli, client, r);
		canister_client_close(client);
		return r;
	}
	canister_client_close(client);
	if (action == CANISTER_MODEL_ACT_EXPORT) {
		r = write_file(cli, args[2], text, len);
	} else if (action <= CANISTER_MODEL_ACT_ENFORCE) {
		if (cli->json) {
			struct json_object *out = json_object_new_object();

			cli_json_add_contid(out, contid);
			json_object_object_add(out, "mode", json_object_new_string(mode));
			cli_print_json(out);
		} else {
			printf("container %" PRIu64 ": %s\n", contid, mode);
		}
	} else if (cli->json && action != CANISTER_MODEL_ACT_EVENTS) {
		struct json_object *out = view_json(action, mode, text);

		cli_json_add_contid(out, contid);
		cli_print_json(out);
	} else {
		/* events are JSON lines already, with and without --json. */
		fwrite(text, 1, len, stdout);
	}
	free(text);
	if (r == 0 && fflush(stdout) != 0)
		r = cli_error(cli, errno, "cannot write to stdout: %s", strerror(errno));
	return r;
}

int cmd_model(const struct cli *base, int argc, char **argv)
{
	struct cli cli = *base;

	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return model_load(&cli, argc - 1, argv + 1);
	if (argc >= 3)
		return model_container(&cli, argc, argv);
	return cli_usage_error(&cli, "model: usage: canister %s", MODEL_USAGE);
}
