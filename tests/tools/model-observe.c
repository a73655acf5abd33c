// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister test tool: the model observers without canisterd.  Loads them on
 * a running canisterd's pinned labels (--identity-pin DIR), pins its links
 * under --pin DIR (removed at exit), wants --contid N (repeatable), writes
 * the file --ready once it observes, and prints every event as one line of
 * the model's JSON export on stdout until SIGTERM or SIGINT.  On stderr:
 * one line per event type, "available TYPE: HOW" or "unavailable TYPE:
 * WHY", and "origins: kept" or "origins: not kept (WHY)" (a forked child's
 * origin, observe_abi.h), before ready; at exit "counts emitted=.. over_budget=.. ring_full=..
 * stash_full=.. decoded=.. malformed=.. unresolved=.." and per container "container N
 * emitted=.. over_budget=.. ring_full=..".  --mode lsm loads
 * the BPF LSM variant; --budget N and --burst N set each container's;
 * --verbose prints libbpf's log; --quiet reads and decodes the records and prints none
 * (for benchmarks: the records' cost without the resolver's).
 * Exit 0, 1 on a failure, 2 on misuse.
 */
#include "model/event_json.h"
#include "model/observe_resolve.h"
#include "model/observers.h"

#include <errno.h>
#include <bpf/libbpf.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTIDS_MAX 8

static volatile sig_atomic_t stop;
static bool quiet;
static uint64_t unresolved;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_event(struct canister_model_observed *observed, void *ctx)
{
	char path[CANISTER_MODEL_PATH_MAX + 1];
	char *line = NULL;
	int r;

	(void)ctx;
	if (quiet)
		return;
	r = canister_model_observed_resolve(observed, path, sizeof(path));
	if (r < 0) {
		unresolved++;
		fprintf(stderr, "unresolved %s pid %" PRIu32 ": %s\n",
			canister_model_event_name(observed->event.type), observed->event.pid,
			strerror(-r));
		return;
	}
	r = canister_model_event_json(&observed->event, observed->contid, &line);
	if (r < 0) {
		fprintf(stderr, "cannot export a %s event: %s\n",
			canister_model_event_name(observed->event.type), strerror(-r));
		return;
	}
	printf("%s\n", line);
	fflush(stdout);
	free(line);
}

/* --verbose: libbpf's own words (the verifier's log of a refused program). */
static int libbpf_print(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	return vfprintf(stderr, format, args);
}

static int usage(void)
{
	fprintf(stderr, "usage: model-observe --identity-pin DIR [--pin DIR] [--mode trace|lsm] "
			"--contid N [--contid N ...] [--ready FILE] [--budget N] [--burst N] "
			"[--verbose]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "identity-pin", required_argument, NULL, 'i' },
		{ "pin", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "contid", required_argument, NULL, 'c' },
		{ "ready", required_argument, NULL, 'r' },
		{ "budget", required_argument, NULL, 'b' },
		{ "burst", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ 0 },
	};
	struct canister_model_observers_config config = { .mode = CANISTER_MODEL_OBSERVE_TRACE };
	struct canister_model_observers_counts counts;
	struct canister_model_observers *observers;
	uint64_t contids[CONTIDS_MAX];
	size_t ncontids = 0;
	const char *ready = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	char why[512];
	int opt, r;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'i':
			config.identity_pin_path = optarg;
			break;
		case 'p':
			config.pin_path = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "lsm") == 0)
				config.mode = CANISTER_MODEL_OBSERVE_LSM;
			else if (strcmp(optarg, "trace") != 0)
				return usage();
			break;
		case 'c':
			if (ncontids == CONTIDS_MAX)
				return usage();
			contids[ncontids++] = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			ready = optarg;
			break;
		case 'b':
			config.budget_per_second = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'u':
			config.budget_burst = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'q':
			quiet = true;
			break;
		case 'v':
			libbpf_set_print(libbpf_print);
			break;
		default:
			return usage();
		}
	}
	if (!config.identity_pin_path || !ncontids || optind != argc)
		return usage();
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	r = canister_model_observers_open(&config, &observers, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "model-observe: %s\n", why);
		return 1;
	}
	for (int type = 0; type < CANISTER_MODEL_EVENT_TYPES; type++) {
		const char *how;
		bool on = canister_model_observers_available(observers, type, &how);

		fprintf(stderr, "%s %s: %s\n", on ? "available" : "unavailable",
			canister_model_event_name(type), how);
	}
	{
		const char *origins_why;

		if (canister_model_observers_origins(observers, &origins_why))
			fprintf(stderr, "origins: kept\n");
		else
			fprintf(stderr, "origins: not kept (%s)\n", origins_why);
	}
	for (size_t i = 0; i < ncontids; i++) {
		r = canister_model_observers_want(observers, contids[i]);
		if (r < 0) {
			fprintf(stderr, "model-observe: cannot want %" PRIu64 ": %s\n", contids[i],
				strerror(-r));
			canister_model_observers_close(observers);
			return 1;
		}
	}
	if (ready) {
		FILE *f = fopen(ready, "we");

		if (!f || fclose(f)) {
			fprintf(stderr, "model-observe: cannot write %s\n", ready);
			canister_model_observers_close(observers);
			return 1;
		}
	}
	while (!stop) {
		r = canister_model_observers_poll(observers, 100, print_event, NULL);
		if (r < 0 && r != -EINTR) {
			fprintf(stderr, "model-observe: reading the ring buffer: %s\n",
				strerror(-r));
			break;
		}
	}
	/* What is still in the ring: the events before the signal. */
	(void)canister_model_observers_poll(observers, 0, print_event, NULL);
	canister_model_observers_counts(observers, &counts);
	fprintf(stderr,
		"counts emitted=%" PRIu64 " over_budget=%" PRIu64 " ring_full=%" PRIu64
		" stash_full=%" PRIu64 " decoded=%" PRIu64 " malformed=%" PRIu64
		" unresolved=%" PRIu64 "\n",
		counts.emitted, counts.over_budget, counts.ring_full, counts.stash_full,
		counts.decoded, counts.malformed, unresolved);
	for (size_t i = 0; i < ncontids; i++) {
		struct canister_model_obs_wanted wanted;

		if (canister_model_observers_container(observers, contids[i], &wanted) == 0)
			fprintf(stderr,
				"container %" PRIu64 " emitted=%" PRIu64 " over_budget=%" PRIu64
				" ring_full=%" PRIu64 "\n",
				contids[i], (uint64_t)wanted.emitted, (uint64_t)wanted.over_budget,
				(uint64_t)wanted.ring_full);
	}
	if (counts.malformed)
		fprintf(stderr, "last malformed record: kind %" PRIu32 ": %s\n",
			counts.malformed_last_kind, strerror(-counts.malformed_last));
	canister_model_observers_close(observers);
	return r < 0 && r != -EINTR ? 1 : 0;
}
