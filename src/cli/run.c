// SPDX-License-Identifier: GPL-2.0-only
/* canister run: start a command as the first process of a new container. */
#include "cli/cli.h"

#include "cli/run_cgroup.h"
#include "cli/run_policy.h"

#include "integrity/appraise_setup.h"
#include "integrity/ima_policy.h"
#include "lib/client.h"
#include "lib/exec_path.h"
#include "lib/reply.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define GO_BYTE 'g'
/* canister run's own failures, as env(1) and podman run report theirs: CMD's statuses stay CMD's.
 */
#define RUN_EXIT_FAILED 125

static volatile pid_t forward_to;
/* The first forwarded signal that came before CMD started (0: none). */
static volatile sig_atomic_t stop_signal;

/* A signal meant for `canister run` (a supervisor's SIGTERM) is meant for the container. */
static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/* Before CMD starts: the run stops (canisterd's answer is not waited for), then ends by @sig. */
static void note_stop(int sig)
{
	if (!stop_signal)
		stop_signal = sig;
}

/*
 * The forwarded signals that this process was not told to ignore (nohup's
 * SIGHUP, a script's background job's SIGINT and SIGQUIT) stop the run until
 * CMD starts; their earlier actions are kept in @old.
 */
static void catch_stops(const int *signals, size_t count, struct sigaction *old)
{
	/* No SA_RESTART: a wait for canisterd's answer returns. */
	struct sigaction stop = { .sa_handler = note_stop };

	for (size_t s = 0; s < count; s++) {
		sigaction(signals[s], NULL, &old[s]);
		if (old[s].sa_handler != SIG_IGN)
			sigaction(signals[s], &stop, NULL);
	}
}

static void restore_actions(const int *signals, size_t count, const struct sigaction *old)
{
	for (size_t s = 0; s < count; s++)
		sigaction(signals[s], &old[s], NULL);
}

/*
 * A run stopped before CMD started, its cleanup done: it ends by the signal
 * that stopped it, under the action it had before (the default, unless the
 * caller gave another), as it would have without canister.
 */
static void end_by_stop(const int *signals, size_t count, const struct sigaction *old)
{
	restore_actions(signals, count, old);
	if (stop_signal)
		raise(stop_signal);
}

/* execv(), or /bin/sh for a file in no format the kernel knows, as execvp(3) does. */
static void exec_command(const char *path, char **cmd)
{
	char **shell_argv;
	size_t argc = 0;

	execv(path, cmd);
	if (errno != ENOEXEC)
		return;
	while (cmd[argc])
		argc++;
	shell_argv = calloc(argc + 2, sizeof(*shell_argv));
	if (!shell_argv)
		return;
	shell_argv[0] = "/bin/sh";
	shell_argv[1] = (char *)path;
	memcpy(shell_argv + 2, cmd + 1, argc * sizeof(*cmd)); /* with cmd's NULL */
	execv("/bin/sh", shell_argv);
	free(shell_argv);
}

/*
 * The child waits on the pipe until canisterd has labelled it: it must carry
 * its contid before it runs a single instruction of CMD, or a fork of CMD
 * could escape.  Anything but the go byte (the parent failed, died or was
 * refused) makes it exit without running CMD.
 */
static void child_wait_and_exec(int go_fd, const char *path, char **cmd,
				const struct run_policy *access)
{
	/*
	 * Confined before the label, so before CMD's first instruction: once
	 * labelled, in lsm mode, BPF LSM refuses every capability outside the
	 * policy's bound, CAP_SETPCAP that dropping from the bounding set needs
	 * included.  Shrinking only, so nothing is gained by confining early.  A
	 * failure still waits for the go byte (the parent's write must not meet a
	 * closed pipe), then runs nothing.
	 */
	int confined = run_policy_enforce(access);
	ssize_t got;
	char go = 0;
	int errnum;

	do
		got = read(go_fd, &go, 1);
	while (got < 0 && errno == EINTR);
	if (got != 1 || go != GO_BYTE || confined)
		_exit(RUN_EXIT_FAILED);
	close(go_fd);
	exec_command(path, cmd);
	/* Checked before registering: only a race or the kernel's own refusal lands here. */
	errnum = errno;
	fprintf(stderr, "canister: cannot run %s: %s\n", cmd[0], strerror(errnum));
	_exit(canister_exec_status(-errnum));
}

/* Until @child has ended, leaving it a zombie: its pid stays taken. */
static void wait_child_unreaped(pid_t child)
{
	siginfo_t info;

	while (waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
}

static int wait_child(pid_t child)
{
	int status;

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return RUN_EXIT_FAILED;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int cmd_run(const struct cli *base, int argc, char **argv)
{
	static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	static const char usage[] =
		"run [--id N] [--name NAME] [--cgroup own|none] [--ima-policy FILE] "
		"[--integrity-tpm none|swtpm] "
		"[--ima-key FILE]... [--appraise off|log|enforce] [--ima-host-keys yes|no] "
		"[--policy FILE] [--model learn|FILE [--model-enforce]] -- CMD [ARG...]";
	const char *name = NULL, *ima_policy = NULL, *access_policy = NULL, *model = NULL;
	bool model_enforce = false, own_cgroup = true;
	static struct run_cgroup cgroup;
	char *model_text = NULL;
	size_t model_len = 0;
	static struct run_policy access;
	static struct canister_model_reply model_reply;
	enum canister_tpm_choice tpm;
	bool has_tpm = false;
	static struct appraise_setup appraisal;
	char why[512];
	struct canister_ima_policy *policy = NULL;
	char *policy_text = NULL;
	size_t policy_len = 0;
	struct cli cli = *base;
	struct canister_client *client;
	uint64_t contid = CANISTER_CONTID_UNSET, assigned;
	struct sigaction sa = { .sa_handler = forward_signal };
	struct sigaction before[sizeof(forwarded) / sizeof(forwarded[0])];
	const size_t forwarded_count = sizeof(forwarded) / sizeof(forwarded[0]);
	char path[PATH_MAX];
	int go_pipe[2], i, r;
	pid_t child;

	/*
	 * Every failure of canister's own is RUN_EXIT_FAILED, a bad command line
	 * too (as env(1) and nice(1) do): 2 could be CMD's.
	 */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--id") == 0) {
			if (++i == argc) {
				cli_usage_error(&cli, "--id needs a container ID");
				return RUN_EXIT_FAILED;
			}
			if (cli_parse_contid(&cli, argv[i], &contid))
				return RUN_EXIT_FAILED;
		} else if (strcmp(argv[i], "--name") == 0) {
			if (++i == argc) {
				cli_usage_error(&cli, "--name needs a container name");
				return RUN_EXIT_FAILED;
			}
			name = argv[i];
			if (cli_check_name(&cli, name))
				return RUN_EXIT_FAILED;
		} else if (strcmp(argv[i], "--cgroup") == 0) {
			if (++i == argc ||
			    (strcmp(argv[i], "own") != 0 && strcmp(argv[i], "none") != 0)) {
				cli_usage_error(&cli, "--cgroup needs own or none");
				return RUN_EXIT_FAILED;
			}
			own_cgroup = strcmp(argv[i], "own") == 0;
		} else if (strcmp(argv[i], "--ima-policy") == 0) {
			if (++i == argc) {
				cli_usage_error(&cli, "--ima-policy needs a policy file");
				return RUN_EXIT_FAILED;
			}
			ima_policy = argv[i];
		} else if (strcmp(argv[i], "--policy") == 0) {
			if (++i == argc) {
				cli_usage_error(&cli, "--policy needs a policy file");
				return RUN_EXIT_FAILED;
			}
			access_policy = argv[i];
		} else if (strcmp(argv[i], "--model") == 0) {
			if (++i == argc) {
				cli_usage_error(&cli, "--model needs learn or a model file");
				return RUN_EXIT_FAILED;
			}
			model = argv[i];
		} else if (strcmp(argv[i], "--model-enforce") == 0) {
			model_enforce = true;
		} else if (strcmp(argv[i], "--integrity-tpm") == 0) {
			if (++i == argc) {
				cli_usage_error(&cli, "--integrity-tpm needs none or swtpm");
				return RUN_EXIT_FAILED;
			}
			if (cli_parse_tpm_choice(&cli, "--integrity-tpm", argv[i], &tpm))
				return RUN_EXIT_FAILED;
			has_tpm = true;
		} else if (strcmp(argv[i], "--ima-key") == 0) {
			if (++i == argc) {
				cli_usage_error(&cli, "--ima-key needs a certificate file");
				return RUN_EXIT_FAILED;
			}
			/* A key refused here registers nothing. */
			r = appraise_setup_add_key(&appraisal, argv[i], why, sizeof(why));
			if (r < 0) {
				cli_error(&cli, -r, "%s", why);
				appraise_setup_free(&appraisal);
				return RUN_EXIT_FAILED;
			}
		} else if (strcmp(argv[i], "--appraise") == 0) {
			if (++i == argc ||
			    cli_appraise_mode_parse(&cli, argv[i], &appraisal.mode)) {
				if (i == argc)
					cli_usage_error(&cli,
							"--appraise needs off, log or enforce");
				appraise_setup_free(&appraisal);
				return RUN_EXIT_FAILED;
			}
			appraisal.has_mode = true;
		} else if (strcmp(argv[i], "--ima-host-keys") == 0) {
			if (++i == argc || cli_yes_no_parse(&cli, "--ima-host-keys", argv[i],
							    &appraisal.host_keys)) {
				if (i == argc)
					cli_usage_error(&cli, "--ima-host-keys needs yes or no");
				appraise_setup_free(&appraisal);
				return RUN_EXIT_FAILED;
			}
			appraisal.has_host_keys = true;
		} else {
			cli_usage_error(&cli, "run: unexpected '%s'; usage: canister %s", argv[i],
					usage);
			return RUN_EXIT_FAILED;
		}
	}
	if (i >= argc) {
		cli_usage_error(&cli, "run: no command; usage: canister %s", usage);
		return RUN_EXIT_FAILED;
	}

	/*
	 * A command that cannot run is refused here, before a container exists:
	 * registering first would record a container that never ran anything.
	 */
	r = canister_exec_find(argv[i], getenv("PATH"), path, sizeof(path));
	if (r < 0) {
		cli_error(&cli, -r, "cannot run %s: %s", argv[i], strerror(-r));
		return canister_exec_status(r);
	}
	/* A policy that does not parse is refused before anything is registered. */
	if (ima_policy) {
		if (cli_integrity_policy_read(&cli, ima_policy, &policy, &policy_text, &policy_len))
			return RUN_EXIT_FAILED;
		canister_ima_policy_free(policy);
	}

	/* The model file too: a refusal names its line before anything is registered. */
	if (model_enforce && (!model || strcmp(model, "learn") == 0)) {
		cli_usage_error(&cli, "--model-enforce needs --model FILE: a model being learned "
				      "has nothing to enforce yet");
		return RUN_EXIT_FAILED;
	}
	if (model && strcmp(model, "learn") != 0 &&
	    cli_model_file_read(&cli, model, &model_text, &model_len)) {
		free(policy_text);
		return RUN_EXIT_FAILED;
	}

	/* The access policy too; its Landlock rules are made now, while errors can be told. */
	if (access_policy && run_policy_prepare(&cli, access_policy, &access)) {
		free(model_text);
		return RUN_EXIT_FAILED;
	}

	client = cli_connect(&cli);
	if (!client) {
		run_policy_release(&access);
		free(access.text);
		return RUN_EXIT_FAILED;
	}
	if (pipe2(go_pipe, O_CLOEXEC) < 0) {
		canister_client_close(client);
		cli_error(&cli, errno, "pipe: %s", strerror(errno));
		return RUN_EXIT_FAILED;
	}
	/*
	 * From the fork to CMD's start a forwarded signal (a ^C, a supervisor's
	 * SIGTERM) stops the run rather than ending this process at once,
	 * which would leave the child's cgroups made and the child registered:
	 * the run removes what it made and then ends by that signal.  A wait
	 * for canisterd's answer is cut short by it, so a canisterd that never
	 * answers still lets the run be stopped.
	 */
	catch_stops(forwarded, forwarded_count, before);
	canister_client_cancel_on(client, &stop_signal);
	child = fork();
	if (child < 0) {
		canister_client_close(client);
		cli_error(&cli, errno, "fork: %s", strerror(errno));
		end_by_stop(forwarded, forwarded_count, before);
		return RUN_EXIT_FAILED;
	}
	if (child == 0) {
		/* CMD gets the caller's actions (exec resets a caught one anyway). */
		restore_actions(forwarded, forwarded_count, before);
		close(go_pipe[1]);
		child_wait_and_exec(go_pipe[0], path, argv + i, &access);
	}
	/*
	 * This process writes only to the go pipe and stderr from now on: a
	 * child that ended before the go byte, or a closed stderr, must not end
	 * it with its cgroups left.  The child was forked with the caller's.
	 */
	sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL);
	close(go_pipe[0]);
	run_policy_release(&access);

	/*
	 * Into a cgroup of its own before canisterd records the cgroup it is in
	 * (at registration) and before CMD's first instruction (the go byte).
	 * Only the child moves: this process stays in the caller's cgroup and
	 * holds nothing of the new one open.
	 */
	if (!own_cgroup) {
		run_cgroup_shared_warn();
	} else if (run_cgroup_enter(&cli, child, &cgroup) < 0) {
		close(go_pipe[1]); /* the child exits without running CMD */
		wait_child(child);
		canister_client_close(client);
		run_cgroup_leave(&cgroup, contid); /* what it made before the refusal */
		end_by_stop(forwarded, forwarded_count, before);
		return RUN_EXIT_FAILED;
	}

	/*
	 * A live container of ours with this contid takes the child in (the
	 * reply says it joined); CMD runs the same either way.
	 */
	r = canister_register(client, child, contid, name, &assigned);
	/*
	 * The container's policy is set before CMD's first exec, which waits
	 * for the go byte: its first measurement is under that policy.
	 */
	if (r == 0 && policy_text)
		r = canister_integrity_policy_set(client, assigned, policy_text, policy_len);
	/* Its TPM too: a swtpm chosen now replays the list from its boot_aggregate. */
	if (r == 0 && has_tpm)
		r = canister_integrity_tpm_set(client, assigned, tpm);
	free(policy_text);
	/* Its keys and mode too: CMD's first exec is appraised under them. */
	if (r == 0)
		r = appraise_setup_apply(&appraisal, client, assigned);
	appraise_setup_free(&appraisal);
	/*
	 * canisterd holds the access policy the workload is confined by, before
	 * the go byte: `canister policy show` says it from CMD's first instruction.
	 */
	if (r == 0 && access.text)
		r = canister_policy_load(client, assigned, access.text, access.text_len,
					 CANISTER_ACCESS_ENFORCE);
	free(access.text);
	/*
	 * The behaviour model last, before the go byte: CMD's first exec is the
	 * first event it learns or judges, and every later process of the
	 * container is in it from its first instruction.
	 */
	if (r == 0 && model && !model_text)
		r = canister_model_page(client, assigned, CANISTER_MODEL_ACT_LEARN, 0,
					&model_reply);
	if (r == 0 && model_text)
		r = canister_model_load_file(client, assigned, model_text, model_len, model_enforce,
					     0, &model_reply);
	free(model_text);
	/* Stopped by a signal: said by the signal's end, not as canisterd's error. */
	if (r < 0 || stop_signal) {
		if (!stop_signal)
			cli_client_error(&cli, client, r);
		close(go_pipe[1]); /* the child exits without running CMD */
		/*
		 * Stopped, canisterd may still hold the registration asked for:
		 * the child stays unreaped (a zombie, in no cgroup's count) so
		 * that its pid is no other process's until this one ends.
		 */
		if (stop_signal)
			wait_child_unreaped(child);
		else
			wait_child(child);
		canister_client_close(client);
		run_cgroup_leave(&cgroup, contid);
		end_by_stop(forwarded, forwarded_count, before);
		return RUN_EXIT_FAILED;
	}
	canister_client_close(client);
	if (contid == CANISTER_CONTID_UNSET)
		fprintf(stderr, "canister: pid %d runs in container %" PRIu64 "\n", (int)child,
			assigned);

	/*
	 * From here a forwarded signal is the container's.  One that came
	 * after the check above is passed on as it would have been: it reaches
	 * the child before its go byte and ends it, and the run's status is
	 * the child's.
	 */
	forward_to = child;
	for (size_t s = 0; s < forwarded_count; s++)
		sigaction(forwarded[s], &sa, NULL);
	if (stop_signal)
		kill(child, stop_signal);
	if (write(go_pipe[1], &(char){ GO_BYTE }, 1) != 1) {
		if (errno == EPIPE) {
			r = wait_child(child);
			run_cgroup_leave(&cgroup, assigned);
			return r;
		}
		cli_error(&cli, errno, "cannot start the child: %s", strerror(errno));
		kill(child, SIGKILL);
		wait_child(child);
		run_cgroup_leave(&cgroup, assigned);
		return RUN_EXIT_FAILED;
	}
	close(go_pipe[1]);
	r = wait_child(child);
	run_cgroup_leave(&cgroup, assigned);
	return r;
}
