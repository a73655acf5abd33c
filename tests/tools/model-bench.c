// SPDX-License-Identifier: GPL-2.0-only
/* Bench tool: the cost of a behaviour model of N coefficients: learning, checking, the state value,
 * printing and parsing its file, and the memory it takes. */
#include "model/event.h"
#include "model/model.h"
#include "model/model_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/*
 * model-bench [N]   (default 100000)
 *   Coefficients are those of N file_open events of distinct paths (real
 *   coefficients: SHA-256 outputs).  Prints one line per step with its time,
 *   and the process's peak RSS before and after the model was built.
 */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
	struct rusage usage;

	getrusage(RUSAGE_SELF, &usage);
	return usage.ru_maxrss;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	uint8_t(*coefficients)[CANISTER_MODEL_DIGEST_SIZE] = calloc(n, sizeof(*coefficients));
	struct canister_model *model = canister_model_new(NULL, NULL), *again = NULL;
	struct canister_model_event event = { .type = CANISTER_MODEL_FILE_OPEN };
	enum canister_model_verdict verdict;
	uint8_t state[CANISTER_MODEL_DIGEST_SIZE];
	long rss_before, len;
	char path[64], why[256], *text;
	double t;

	if (!coefficients || !model)
		return 1;
	event.cell.file.path = path;
	event.cell.file.mode = 0100644;
	t = now();
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/srv/data/%zu", i);
		if (canister_model_coefficient(&event, coefficients[i]) != 0)
			return 1;
	}
	printf("coefficients  %zu in %.3f s (%.2f us each)\n", n, now() - t, (now() - t) * 1e6 / n);
	rss_before = peak_rss_kib();
	t = now();
	for (size_t i = 0; i < n; i++)
		if (canister_model_observe(model, coefficients[i], NULL, &verdict) != 0)
			return 1;
	printf("learn         %.3f s (%.2f us each)\n", now() - t, (now() - t) * 1e6 / n);
	canister_model_seal(model);
	t = now();
	for (size_t i = 0; i < n; i++)
		if (canister_model_observe(model, coefficients[i], NULL, &verdict) != 0 ||
		    verdict != CANISTER_MODEL_KNOWN)
			return 1;
	printf("check (known) %.3f s (%.3f us each)\n", now() - t, (now() - t) * 1e6 / n);
	t = now();
	if (canister_model_state(model, false, state) != 0)
		return 1;
	printf("state         %.3f s\n", now() - t);
	t = now();
	len = canister_model_file_print(model, NULL, 0);
	text = malloc((size_t)len + 1);
	if (!text || canister_model_file_print(model, text, (size_t)len + 1) != len)
		return 1;
	printf("print         %.3f s (%ld bytes)\n", now() - t, len);
	t = now();
	if (canister_model_file_parse(text, (size_t)len, "bench.model", &again, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	printf("parse         %.3f s\n", now() - t);
	printf("peak RSS      %ld KiB before the model, %ld KiB after (model, its copy, the "
	       "text)\n",
	       rss_before, peak_rss_kib());
	free(text);
	free(coefficients);
	canister_model_free(model);
	canister_model_free(again);
	return 0;
}
