// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: a container's behaviour model as the text each `canister model N VIEW` shows. */
#include "model/views.h"

#include "lib/hex.h"
#include "model/domains.h"
#include "model/kernel_marks.h"
#include "model/model_file.h"
#include "model/task_ids.h"
#include "model/untrusted.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
	char *buf;
	size_t len, size;
	bool failed;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list args;
	int n;

	if (t->failed)
		return;
	for (;;) {
		va_start(args, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->size - t->len : 0, fmt,
			      args);
		va_end(args);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if (t->buf && t->len + (size_t)n < t->size) {
			t->len += (size_t)n;
			return;
		}
		{
			size_t size = t->size ? t->size : 4096;
			char *grown;

			while (size <= t->len + (size_t)n)
				size *= 2;
			grown = realloc(t->buf, size);
			if (!grown) {
				t->failed = true;
				return;
			}
			t->buf = grown;
			t->size = size;
		}
	}
}

static void put_digest(struct text *t, const uint8_t *digest)
{
	char hex[2 * CANISTER_MODEL_DIGEST_SIZE + 1];

	canister_hex_encode(digest, CANISTER_MODEL_DIGEST_SIZE, hex);
	put(t, "%s\n", hex);
}

struct view {
	uint64_t contid;
	enum canister_model_action action;
	struct text text;
	enum model_mode mode;
};

static void put_points(struct text *t, const struct canister_model *model, bool forensic)
{
	char hex[2 * CANISTER_MODEL_DIGEST_SIZE + 1];

	for (size_t i = 0; i < canister_model_points(model); i++) {
		const struct canister_model_point *point = canister_model_point(model, i);

		if ((point->source == CANISTER_MODEL_FORENSIC) != forensic)
			continue;
		canister_hex_encode(point->coefficient, sizeof(point->coefficient), hex);
		put(t, "%s %llu\n", hex, (unsigned long long)point->seen);
	}
}

static int render_locked(const struct canister_model *model, enum model_mode mode,
			 const struct model_domain_counts *counts, void *data)
{
	uint8_t digest[CANISTER_MODEL_DIGEST_SIZE];
	uint64_t held, forgotten;
	struct view *v = data;
	struct text *t = &v->text;
	long len;

	v->mode = mode;
	switch (v->action) {
	case CANISTER_MODEL_ACT_STATE:
		if (canister_model_state(model, false, digest) < 0)
			return -ENOMEM;
		put_digest(t, digest);
		break;
	case CANISTER_MODEL_ACT_MEASUREMENT:
		/*
		 * The value, then what it is the extension of, so that a verifier
		 * can replay it (and the container's PCR 11): docs/model.md.
		 */
		canister_model_measurement(model, digest);
		put_digest(t, digest);
		put(t, "base ");
		canister_model_base(model, digest);
		put_digest(t, digest);
		put(t, "aggregate ");
		canister_model_aggregate(model, digest);
		put_digest(t, digest);
		for (size_t i = 0; i < canister_model_points(model); i++)
			put_digest(t, canister_model_point(model, i)->coefficient);
		break;
	case CANISTER_MODEL_ACT_TRAJECTORY:
	case CANISTER_MODEL_ACT_FORENSICS:
		put_points(t, model, v->action == CANISTER_MODEL_ACT_FORENSICS);
		break;
	case CANISTER_MODEL_ACT_COUNTS:
		put(t,
		    "mode %s\nloaded %zu\nlearned %zu\nforensic %zu\nevents %llu\n"
		    "forensic_events %llu\ndenied %llu\nunlearned %llu\nuntrusted_marked %llu\n"
		    "descriptions_dropped %zu\nobserved_dropped %llu\ntask_id_misses %llu\n",
		    model_mode_name(mode), canister_model_count(model, CANISTER_MODEL_LOADED),
		    canister_model_count(model, CANISTER_MODEL_LEARNED),
		    canister_model_count(model, CANISTER_MODEL_FORENSIC),
		    (unsigned long long)counts->events, (unsigned long long)counts->forensic,
		    (unsigned long long)counts->denied, (unsigned long long)counts->unlearned,
		    (unsigned long long)counts->untrusted_marked,
		    canister_model_descriptions_dropped(model),
		    (unsigned long long)counts->observed_dropped,
		    (unsigned long long)counts->task_id_misses);
		/* Its own table's: no other container's execs can make it forget. */
		model_task_ids_container(v->contid, &held, &forgotten);
		put(t, "task_ids_held %llu\ntask_ids_forgotten %llu\n", (unsigned long long)held,
		    (unsigned long long)forgotten);
		break;
	case CANISTER_MODEL_ACT_EVENTS:
		for (size_t i = 0; i < canister_model_points(model); i++) {
			const struct canister_model_point *point = canister_model_point(model, i);

			if (point->description)
				put(t, "%s\n", point->description);
		}
		break;
	case CANISTER_MODEL_ACT_UNTRUSTED:
		break; /* below, outside the domain's lock */
	case CANISTER_MODEL_ACT_EXPORT:
		len = canister_model_file_print(model, NULL, 0);
		if (len < 0)
			return (int)len;
		t->buf = malloc((size_t)len + 1);
		if (!t->buf)
			return -ENOMEM;
		t->size = (size_t)len + 1;
		t->len = (size_t)canister_model_file_print(model, t->buf, t->size);
		break;
	default:
		return -EINVAL;
	}
	return t->failed ? -ENOMEM : 0;
}

int model_view(uint64_t contid, enum canister_model_action view, char **ret_text, size_t *ret_len,
	       enum model_mode *ret_mode)
{
	struct view v = { .contid = contid, .action = view };
	int r = model_domains_with(contid, render_locked, &v);

	if (r == 0 && view == CANISTER_MODEL_ACT_UNTRUSTED) {
		/* The kernel's map when it copies marks: it holds every child, and survives
		 * restarts. */
		static pid_t pids[MODEL_UNTRUSTED_MAX];
		size_t n = model_kernel_marks_on()
				   ? model_kernel_marks_list(contid, pids, MODEL_UNTRUSTED_MAX)
				   : model_untrusted_list(contid, pids, MODEL_UNTRUSTED_MAX);

		for (size_t i = 0; i < n; i++)
			put(&v.text, "%d\n", (int)pids[i]);
		r = v.text.failed ? -ENOMEM : 0;
	}
	if (r == 0 && !v.text.buf) {
		v.text.buf = strdup("");
		r = v.text.buf ? 0 : -ENOMEM;
	}
	if (r < 0) {
		free(v.text.buf);
		return r;
	}
	*ret_text = v.text.buf;
	*ret_len = v.text.len;
	*ret_mode = v.mode;
	return 0;
}
