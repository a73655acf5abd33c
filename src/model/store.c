// SPDX-License-Identifier: GPL-2.0-only
/*
 * canisterd: the behaviour models kept under model_dir/<contid>/{model,mode,init}, read back at
 * start.
 */
#include "model/store.h"

#include "core/log.h"
#include "lib/config.h"
#include "lib/mkdir.h"
#include "lib/trusted_file.h"
#include "lib/whole_file.h"
#include "model/domains.h"
#include "model/model_file.h"
#include "model/proc_stat.h"
#include "model/runtime_init.h"
#include "lib/clock.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* model_dir (CANISTER_CONFIG_PATH_MAX), a contid and a file name. */
#define STORE_PATH_MAX 512
/* A model file of CANISTER_MODEL_COEFFICIENTS_MAX coefficients is about 20 MB. */
#define STORE_MODEL_MAX (64u << 20)

struct printed {
	char *text;
	long len;
	enum model_mode mode;
};

static int print_locked(const struct canister_model *model, enum model_mode mode,
			const struct model_domain_counts *counts, void *data)
{
	struct printed *out = data;
	long len = canister_model_file_print(model, NULL, 0);

	(void)counts;
	if (len < 0)
		return (int)len;
	out->text = malloc((size_t)len + 1);
	if (!out->text)
		return -ENOMEM;
	out->len = canister_model_file_print(model, out->text, (size_t)len + 1);
	out->mode = mode;
	return out->len < 0 ? (int)out->len : 0;
}

/*
 * The runtime's init phase of a domain made with one (runtime_init.h), as
 * it is now: a restart between the runtime's create and start goes on
 * with it, and one after its end does not open it again.
 */
static int save_init(const char *folder, uint64_t contid, char *why, size_t why_len)
{
	char path[STORE_PATH_MAX], temp[STORE_PATH_MAX], line[MODEL_RUNTIME_INIT_TEXT_MAX + 1];
	struct model_runtime_init init;
	int len;

	if (model_domains_init_copy(contid, &init) < 0)
		return 0;
	len = model_runtime_init_print(&init, line, sizeof(line));
	if (len < 0) {
		snprintf(why, why_len, "the runtime's init does not print");
		return len;
	}
	snprintf(path, sizeof(path), "%s/init", folder);
	snprintf(temp, sizeof(temp), "%s/init.tmp", folder);
	return canister_write_whole_file(path, temp, line, (size_t)len, 0600, true, why, why_len);
}

int model_store_save(const char *dir, uint64_t contid, char *why, size_t why_len)
{
	/* model_dir is CANISTER_CONFIG_PATH_MAX at most: a contid and a file name fit. */
	char folder[CANISTER_CONFIG_PATH_MAX + 24], path[STORE_PATH_MAX], temp[STORE_PATH_MAX],
		mode[16];
	struct printed out = { 0 };
	int r;

	/* Printed under the domain's lock, written outside it: a judge waits for no disk. */
	r = model_domains_with(contid, print_locked, &out);
	if (r < 0) {
		free(out.text);
		snprintf(why, why_len, "%s", r == -ENOENT ? "no model" : strerror(-r));
		return r;
	}
	snprintf(folder, sizeof(folder), "%s/%" PRIu64, dir, contid);
	/* Only root reads it: a model says what a container does. */
	r = canister_mkdir_p(folder, 0700);
	if (r < 0) {
		free(out.text);
		snprintf(why, why_len, "%s: cannot create: %s", folder, strerror(-r));
		return r;
	}
	snprintf(path, sizeof(path), "%s/model", folder);
	snprintf(temp, sizeof(temp), "%s/model.tmp", folder);
	r = canister_write_whole_file(path, temp, out.text, (size_t)out.len, 0600, true, why,
				      why_len);
	free(out.text);
	if (r < 0)
		return r;
	r = save_init(folder, contid, why, why_len);
	if (r < 0)
		return r;
	/* The mode last: a mode never names a model file older than itself. */
	snprintf(mode, sizeof(mode), "%s\n", model_mode_name(out.mode));
	snprintf(path, sizeof(path), "%s/mode", folder);
	snprintf(temp, sizeof(temp), "%s/mode.tmp", folder);
	return canister_write_whole_file(path, temp, mode, strlen(mode), 0600, true, why, why_len);
}

void model_store_remove(const char *dir, uint64_t contid)
{
	char path[STORE_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%" PRIu64 "/model", dir, contid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%" PRIu64 "/mode", dir, contid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%" PRIu64 "/init", dir, contid);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%" PRIu64, dir, contid);
	rmdir(path);
}

/* The learning model with @sealed's coefficients and pseudonyms: a sealed one never learns. */
static int copy_point(const struct canister_model_point *point, void *data)
{
	return canister_model_load(data, point->coefficient);
}

static struct canister_model *unsealed_copy(const struct canister_model *sealed)
{
	uint8_t aggregate[CANISTER_MODEL_DIGEST_SIZE], base[CANISTER_MODEL_DIGEST_SIZE];
	struct canister_model *copy;

	canister_model_aggregate(sealed, aggregate);
	canister_model_base(sealed, base);
	copy = canister_model_new(aggregate, base);
	if (!copy)
		return NULL;
	for (size_t i = 0; i < canister_model_pseudonyms(sealed); i++)
		if (canister_model_add_pseudonym(copy, canister_model_pseudonym(sealed, i)) < 0)
			goto fail;
	if (canister_model_for_each_sorted(sealed, copy_point, copy) < 0)
		goto fail;
	return copy;
fail:
	canister_model_free(copy);
	return NULL;
}

/*
 * @contid's stored init phase into *@ret (*@ret_has false when none was
 * kept).  One that lasted when it was written lasts only while its process
 * is still that task (the same start time) running the runtime's
 * executable: what it did while canisterd was down is not known, so a
 * process gone, or running another program (the workload), ends it now,
 * as the gate would have at its next event.
 */
static int reload_init(const char *dir, uint64_t contid, struct model_runtime_init *ret,
		       bool *ret_has, char *why, size_t why_len)
{
	char path[STORE_PATH_MAX], link[64], *text = NULL, line_why[256];
	uint64_t start_time;
	struct stat exe;
	size_t len;
	int r;

	*ret_has = false;
	snprintf(path, sizeof(path), "%s/%" PRIu64 "/init", dir, contid);
	r = canister_read_trusted_file(path, MODEL_RUNTIME_INIT_TEXT_MAX, &text, &len, why,
				       why_len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = model_runtime_init_parse(text, len, ret, line_why, sizeof(line_why));
	free(text);
	if (r < 0) {
		snprintf(why, why_len, "%.400s: %s", path, line_why);
		return r;
	}
	*ret_has = true;
	if (ret->over_monotonic_ns)
		return 0;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)ret->tgid);
	if (model_proc_stat(ret->tgid, &(pid_t){ 0 }, &start_time) < 0 ||
	    start_time != ret->start_time || stat(link, &exe) < 0 ||
	    (uint64_t)exe.st_dev != ret->exe_dev || (uint64_t)exe.st_ino != ret->exe_ino)
		ret->over_monotonic_ns = canister_monotonic_ns();
	return 0;
}

int model_store_reload_one(const char *dir, uint64_t contid, char *why, size_t why_len)
{
	char path[STORE_PATH_MAX], *text = NULL, *mode_text = NULL;
	struct canister_model *model = NULL, *learning;
	struct model_runtime_init init;
	enum model_mode mode;
	size_t len, mode_len;
	bool has_init;
	int r;

	snprintf(path, sizeof(path), "%s/%" PRIu64 "/mode", dir, contid);
	r = canister_read_trusted_file(path, 64, &mode_text, &mode_len, why, why_len);
	if (r < 0)
		return r;
	for (mode = MODEL_MODE_LEARN; mode <= MODEL_MODE_ENFORCE; mode++) {
		size_t n = strlen(model_mode_name(mode));

		if (mode_len == n + 1 && strncmp(mode_text, model_mode_name(mode), n) == 0 &&
		    mode_text[n] == '\n')
			break;
	}
	free(mode_text);
	if (mode > MODEL_MODE_ENFORCE) {
		snprintf(why, why_len, "%.400s: not learn, seal or enforce", path);
		return -EINVAL;
	}
	r = reload_init(dir, contid, &init, &has_init, why, why_len);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/%" PRIu64 "/model", dir, contid);
	r = canister_read_trusted_file(path, STORE_MODEL_MAX, &text, &len, why, why_len);
	if (r < 0)
		return r;
	r = canister_model_file_parse(text, len, path, &model, why, why_len);
	free(text);
	if (r < 0)
		return r;
	if (mode == MODEL_MODE_LEARN) {
		learning = unsealed_copy(model);
		canister_model_free(model);
		model = learning;
		if (!model) {
			snprintf(why, why_len, "out of memory");
			return -ENOMEM;
		}
	}
	r = model_domains_add(contid, model, mode, has_init ? &init : NULL);
	if (r < 0) {
		canister_model_free(model);
		snprintf(why, why_len, "%s", strerror(-r));
	}
	return r;
}

static bool contid_name(const char *name, uint64_t *ret)
{
	char *end;

	if (name[0] < '1' || name[0] > '9')
		return false;
	errno = 0;
	*ret = strtoull(name, &end, 10);
	return !errno && *end == '\0';
}

size_t model_store_reload(const char *dir, bool (*live)(uint64_t contid), size_t *ret_refused)
{
	size_t reloaded = 0;
	struct dirent *entry;
	DIR *folder;

	*ret_refused = 0;
	folder = opendir(dir);
	if (!folder)
		return 0;
	while ((entry = readdir(folder)) != NULL) {
		char why[512], path[STORE_PATH_MAX], aside[STORE_PATH_MAX];
		uint64_t contid;

		if (!contid_name(entry->d_name, &contid))
			continue;
		if (!live(contid)) {
			model_store_remove(dir, contid);
			continue;
		}
		if (model_store_reload_one(dir, contid, why, sizeof(why)) == 0) {
			reloaded++;
			continue;
		}
		(*ret_refused)++;
		log_error("model: container %" PRIu64 "'s stored model is refused: %s; it has "
			  "none until one is loaded again",
			  contid, why);
		snprintf(path, sizeof(path), "%s/%" PRIu64, dir, contid);
		snprintf(aside, sizeof(aside), "%s/%" PRIu64 ".refused", dir, contid);
		if (rename(path, aside) < 0)
			log_error("model: cannot set %s aside: %s", path, strerror(errno));
	}
	closedir(folder);
	return reloaded;
}
