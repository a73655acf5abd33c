// SPDX-License-Identifier: GPL-2.0-only
/* canister-oci-hook: registers an OCI container with canisterd from a runtime hook. */
#include <canister/canister.h>

#include "access/policy.h"
#include "integrity/appraise_setup.h"
#include "integrity/ima_policy.h"
#include "lib/client.h"
#include "lib/oci_contid.h"
#include "lib/oci_state.h"
#include "lib/reply.h"
#include "model/model_file_read.h"
#include "version.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "canister-oci-hook"
/* A command line (or a stdin) that says the hook was not started as a hook, as getopt tools report
 * it. */
#define EXIT_USAGE 2

/* The stages runtime-spec config.md defines; runtimes pass one as an argument by convention. */
static const char *const oci_stages[] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

struct hook_options {
	const char *socket_path; /* NULL: $CANISTER_SOCKET or the default */
	bool verbose;
};

static int fail(int r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The runtime shows the hook's stderr in its own error, so one line says it all; returns @r. */
static int fail(int r, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return r;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: " PROG " [--socket PATH] [--verbose] [STAGE]\n"
		     "       " PROG " --version | --help\n"
		     "\n"
		     "Reads an OCI runtime state document on stdin and registers its pid with\n"
		     "canisterd as the first process of a container named after its id.  The\n"
		     "contid is the \"" CANISTER_OCI_CONTID_ANNOTATION
		     "\" annotation, else derived from the id.\n"
		     "Run it as a createRuntime (or prestart) hook; STAGE is informational.\n"
		     "The socket defaults to $CANISTER_SOCKET, else " CANISTER_SOCKET_DEFAULT ".\n"
		     "See canister-oci-hook(8).\n");
}

static bool is_oci_stage(const char *arg)
{
	for (size_t i = 0; i < sizeof(oci_stages) / sizeof(oci_stages[0]); i++)
		if (strcmp(arg, oci_stages[i]) == 0)
			return true;
	return false;
}

/* Returns 0 to go on, 1 when --help or --version was answered, or -EINVAL (reported). */
static int parse_args(int argc, char **argv, struct hook_options *options)
{
	const char *stage = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 || strcmp(argv[i], "-s") == 0) {
			if (++i == argc)
				return fail(-EINVAL, "%s needs a path", argv[i - 1]);
			options->socket_path = argv[i];
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			options->verbose = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 1;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			printf(PROG " %s\n", CANISTER_VERSION);
			return 1;
		} else if (argv[i][0] == '-') {
			return fail(-EINVAL, "unknown option '%s' (see --help)", argv[i]);
		} else if (stage) {
			return fail(-EINVAL, "unexpected argument '%s' after the stage '%s'",
				    argv[i], stage);
		} else if (!is_oci_stage(argv[i])) {
			return fail(-EINVAL,
				    "'%s' is not an OCI hook stage (createRuntime, prestart, ...)",
				    argv[i]);
		} else {
			stage = argv[i];
		}
	}
	return 0;
}

/* Reads stdin to EOF into a buffer of at most CANISTER_OCI_STATE_MAX bytes; errors are reported. */
static int read_state(char **ret_buf, size_t *ret_len)
{
	/* One byte more than allowed tells "exactly the limit" from "over it". */
	size_t cap = CANISTER_OCI_STATE_MAX + 1, len = 0;
	char *buf = NULL;

	buf = malloc(cap);
	if (!buf)
		return fail(-ENOMEM, "out of memory");
	while (len < cap) {
		ssize_t n = read(STDIN_FILENO, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			free(buf);
			return fail(r, "cannot read the OCI state from stdin: %s", strerror(-r));
		}
		if (n == 0)
			break;
		len += n;
	}
	if (len > CANISTER_OCI_STATE_MAX) {
		free(buf);
		return fail(-EFBIG, "the OCI state on stdin is larger than %d bytes",
			    CANISTER_OCI_STATE_MAX);
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

static const char *socket_path_shown(const struct hook_options *options)
{
	const char *path = options->socket_path;

	if (!path)
		path = getenv("CANISTER_SOCKET");
	if (!path || !*path)
		path = CANISTER_SOCKET_DEFAULT;
	return path;
}

static int connect_daemon(const struct hook_options *options, struct canister_client **ret_client)
{
	const char *path = socket_path_shown(options);
	int r;

	r = canister_client_connect(path, ret_client);
	if (r == 0)
		return 0;
	if (r == -ENOENT || r == -ECONNREFUSED)
		return fail(r, "canisterd is not running (nothing answers on %s)", path);
	if (r == -EACCES || r == -EPERM)
		return fail(r, "not allowed to talk to canisterd on %s (root only)", path);
	return fail(r, "cannot connect to canisterd on %s: %s", path, strerror(-r));
}

/*
 * A runtime that runs the hook at two stages (prestart and createRuntime both
 * configured) asks twice; the second answer is EEXIST although the container
 * is exactly as requested, and failing would abort a correct start.
 */
static bool already_registered(struct canister_client *client,
			       const struct canister_oci_state *state, uint64_t contid)
{
	struct canister_info info;

	return canister_get_info(client, state->pid, &info) == 0 && info.depth > 0 &&
	       info.chain[0] == contid && strcmp(info.name, state->id) == 0;
}

/*
 * The IMA policy the annotation names, read as canisterd reads a policy file
 * (a root-owned regular file no one else may write) and printed as IMA prints
 * it for canisterd: checked before anything is registered.
 */
static int read_ima_policy(const char *path, char **ret_text, size_t *ret_len)
{
	struct canister_ima_policy *policy;
	char why[512], *text;
	size_t len;
	int r;

	r = canister_ima_policy_load(path, &policy, why, sizeof(why));
	if (r < 0)
		return fail(r, "the " CANISTER_OCI_IMA_POLICY_ANNOTATION " annotation: %s", why);
	len = canister_ima_policy_print(policy, NULL, 0);
	text = malloc(len + 1);
	if (!text) {
		canister_ima_policy_free(policy);
		return fail(-ENOMEM, "out of memory");
	}
	canister_ima_policy_print(policy, text, len + 1);
	canister_ima_policy_free(policy);
	*ret_text = text;
	*ret_len = len;
	return 0;
}

/*
 * The access policy the annotation names, read as `canister policy load`
 * reads one (root's, no one else may write it) and printed canonically for
 * canisterd: checked before anything is registered.  canisterd holds it;
 * nothing here confines runc's process (docs/access.md).
 */
static int read_access_policy(const char *path, char **ret_text, size_t *ret_len)
{
	struct canister_access_policy *policy;
	char why[512], *text;
	size_t len;
	int r;

	r = canister_access_policy_load(path, &policy, why, sizeof(why));
	if (r < 0)
		return fail(r, "the " CANISTER_OCI_POLICY_ANNOTATION " annotation: %s", why);
	len = canister_access_policy_print(policy, NULL, 0);
	if (len > CANISTER_ACCESS_POLICY_TEXT_MAX) {
		canister_access_policy_free(policy);
		return fail(-E2BIG,
			    "the " CANISTER_OCI_POLICY_ANNOTATION " annotation: %s prints to %zu "
			    "bytes; canisterd takes at most %d",
			    path, len, CANISTER_ACCESS_POLICY_TEXT_MAX);
	}
	text = malloc(len + 1);
	if (!text) {
		canister_access_policy_free(policy);
		return fail(-ENOMEM, "out of memory");
	}
	canister_access_policy_print(policy, text, len + 1);
	canister_access_policy_free(policy);
	*ret_text = text;
	*ret_len = len;
	return 0;
}

/*
 * The appraisal the annotations ask for: each certificate file read as
 * canisterd reads one (root's, no one else may write it) and checked before
 * anything is registered.
 */
static int read_appraisal(const struct canister_oci_state *state, struct appraise_setup *setup)
{
	char paths[sizeof(state->ima_keys)], why[512], *path, *next;
	int r;

	snprintf(paths, sizeof(paths), "%s", state->ima_keys);
	for (path = paths; path && *path; path = next) {
		next = strchr(path, CANISTER_OCI_IMA_KEYS_SEPARATOR);
		if (next)
			*next++ = '\0';
		r = appraise_setup_add_key(setup, path, why, sizeof(why));
		if (r < 0)
			return fail(r, "the " CANISTER_OCI_IMA_KEYS_ANNOTATION " annotation: %s",
				    why);
	}
	setup->has_mode = state->has_appraise;
	setup->mode = state->appraise;
	setup->has_host_keys = state->has_ima_host_keys;
	setup->host_keys = state->ima_host_keys;
	return 0;
}

/*
 * The model file the annotation names, read as canisterd reads a policy file
 * (root's, no one else may write it) and parsed: checked before anything is
 * registered, and a refusal names the file and line.
 */
static int read_model(const char *path, char **ret_text, size_t *ret_len)
{
	char why[1024];
	int r = canister_model_file_read(path, CANISTER_MODEL_FILE_MAX, ret_text, ret_len, why,
					 sizeof(why));

	return r < 0 ? fail(r, "the " CANISTER_OCI_MODEL_ANNOTATION " annotation: %s", why) : 0;
}

/* What the annotations ask canisterd to hold for the container, read and checked. */
struct hook_policies {
	char *ima;
	size_t ima_len;
	char *access;
	size_t access_len;
	bool model_learn;
	char *model; /* a model file's text */
	size_t model_len;
	bool model_enforce;
};

/*
 * The state's pid is the runtime's init only until the workload starts: at
 * the creating stages (createRuntime, createContainer: "creating"; prestart:
 * "created").  A hook configured later (poststart: "running") would name the
 * workload itself, which would then go unmodelled until its next exec; from
 * there no init is named and the model starts at once.
 */
static pid_t runtime_init_of(const struct canister_oci_state *state)
{
	if (strcmp(state->status, "creating") == 0 || strcmp(state->status, "created") == 0)
		return state->pid;
	return 0;
}

static int register_container(const struct hook_options *options,
			      const struct canister_oci_state *state, uint64_t contid,
			      const struct hook_policies *policies,
			      const struct appraise_setup *appraisal)
{
	struct canister_client *client;
	char refusal[512];
	uint64_t assigned;
	int r;

	r = connect_daemon(options, &client);
	if (r < 0)
		return r;
	r = canister_register(client, state->pid, contid, state->id, &assigned);
	/* The look-up below replaces the client's error; the refusal is what to report. */
	snprintf(refusal, sizeof(refusal), "%s", canister_client_error(client));
	if (r == -EEXIST && already_registered(client, state, contid)) {
		assigned = contid;
		r = 0;
	}
	if (r < 0) {
		fail(r, "cannot register container %s (pid %d) as contid %" PRIu64 ": %s",
		     state->id, (int)state->pid, contid, refusal);
		canister_client_close(client);
		return r;
	}
	if (options->verbose)
		fprintf(stderr, PROG ": container %s (pid %d, %s) is contid %" PRIu64 " (%s)\n",
			state->id, (int)state->pid, state->status, assigned,
			state->has_contid ? "from its annotation" : "derived from its id");
	/* The runtime starts the workload after its hooks: its first exec is measured so. */
	if (policies->ima) {
		r = canister_integrity_policy_set(client, assigned, policies->ima,
						  policies->ima_len);
		if (r < 0)
			fail(r, "cannot set container %s's IMA policy: %s", state->id,
			     canister_client_error(client));
	}
	if (r == 0 && state->has_tpm) {
		r = canister_integrity_tpm_set(client, assigned, state->tpm);
		if (r < 0)
			fail(r, "cannot choose container %s's TPM (%s): %s", state->id,
			     canister_tpm_choice_name(state->tpm), canister_client_error(client));
	}
	if (r == 0) {
		r = appraise_setup_apply(appraisal, client, assigned);
		if (r < 0)
			fail(r, "cannot set container %s's appraisal: %s", state->id,
			     canister_client_error(client));
	}
	if (r == 0 && policies->access) {
		r = canister_policy_load(client, assigned, policies->access, policies->access_len,
					 CANISTER_ACCESS_ENFORCE);
		if (r < 0)
			fail(r, "cannot load container %s's access policy: %s", state->id,
			     canister_client_error(client));
	}
	/*
	 * The model last, with the runtime's init named: its own steps until it
	 * executes the configured process (pivot_root, capabilities dropped)
	 * are the runtime's, and the workload's first exec is the first event.
	 */
	if (r == 0 && (policies->model_learn || policies->model)) {
		static struct canister_model_reply reply;
		pid_t init = runtime_init_of(state);

		if (policies->model)
			r = canister_model_load_file(client, assigned, policies->model,
						     policies->model_len, policies->model_enforce,
						     init, &reply);
		else
			r = canister_model_learn(client, assigned, init, &reply);
		if (r < 0)
			fail(r, "cannot give container %s its behaviour model: %s", state->id,
			     canister_client_error(client));
	}
	canister_client_close(client);
	return r;
}

int main(int argc, char **argv)
{
	struct hook_options options = { 0 };
	static struct appraise_setup appraisal;
	struct canister_oci_state state;
	struct hook_policies policies = { 0 };
	char why[512];
	uint64_t contid;
	size_t len = 0;
	char *buf = NULL;
	int r;

	r = parse_args(argc, argv, &options);
	if (r != 0)
		return r < 0 ? EXIT_USAGE : EXIT_SUCCESS;
	if (isatty(STDIN_FILENO))
		return fail(EXIT_USAGE,
			    "expects the OCI state on stdin; it is meant to run as a runtime hook "
			    "(see --help)");
	r = read_state(&buf, &len);
	if (r < 0)
		return EXIT_FAILURE;
	/* Everything is checked before canisterd is asked, so bad input registers nothing. */
	r = canister_oci_state_parse(buf, len, &state, why, sizeof(why));
	free(buf);
	if (r < 0)
		return fail(EXIT_FAILURE, "%s", why);

	if (state.has_contid) {
		contid = state.contid;
	} else {
		r = canister_oci_derive_contid(state.id, &contid);
		if (r < 0)
			return fail(EXIT_FAILURE, "cannot derive a contid from the id %s: %s",
				    state.id, strerror(-r));
	}
	if (state.ima_policy[0] &&
	    read_ima_policy(state.ima_policy, &policies.ima, &policies.ima_len) < 0)
		return EXIT_FAILURE;
	if (state.access_policy[0] &&
	    read_access_policy(state.access_policy, &policies.access, &policies.access_len) < 0) {
		free(policies.ima);
		return EXIT_FAILURE;
	}
	policies.model_learn = strcmp(state.model, "learn") == 0;
	policies.model_enforce = state.model_enforce;
	if (state.model[0] && !policies.model_learn &&
	    read_model(state.model, &policies.model, &policies.model_len) < 0) {
		free(policies.ima);
		free(policies.access);
		return EXIT_FAILURE;
	}
	if (read_appraisal(&state, &appraisal) < 0) {
		free(policies.ima);
		free(policies.access);
		free(policies.model);
		appraise_setup_free(&appraisal);
		return EXIT_FAILURE;
	}
	r = register_container(&options, &state, contid, &policies, &appraisal);
	free(policies.ima);
	free(policies.access);
	free(policies.model);
	appraise_setup_free(&appraisal);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
