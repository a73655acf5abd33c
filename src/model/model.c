// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: a model as TSEM's internal modelling agent keeps one
 * (security/tsem/model.c): a set of coefficients with their counts, learned until sealed, then
 * forensics; the measurement extended by each new coefficient, the state value over them sorted.
 */
#include "model/model.h"
#include "model/event.h"
#include "model/pseudonym.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Lookups are binary searches over two sorted index arrays: a large one and a
 * small one that takes the insertions and is merged into the large one when it
 * fills.  An insertion moves at most RECENT_MAX indexes, and a merge (every
 * RECENT_MAX insertions) all of them once: no input order or coefficient
 * chosen by a workload makes learning quadratic, as a single sorted array
 * would, and nothing hashes a coefficient an attacker can grind.
 */
#define RECENT_MAX 4096

struct canister_model {
	struct canister_model_point *points; /* in the order each first came */
	size_t count, capacity;
	uint32_t *sorted; /* indexes into points, ascending coefficient */
	size_t sorted_count, sorted_capacity;
	uint32_t recent[RECENT_MAX]; /* the same, for the latest insertions */
	size_t recent_count;
	size_t by_source[CANISTER_MODEL_FORENSIC + 1];
	size_t description_bytes, descriptions_dropped;
	bool sealed;
	uint8_t aggregate[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t base[CANISTER_MODEL_DIGEST_SIZE];
	uint8_t measurement[CANISTER_MODEL_DIGEST_SIZE];
	struct pseudonym_set pseudonyms;
};

struct canister_model *canister_model_new(const uint8_t *aggregate, const uint8_t *base)
{
	struct canister_model *model = calloc(1, sizeof(*model));

	if (!model)
		return NULL;
	if (aggregate)
		memcpy(model->aggregate, aggregate, CANISTER_MODEL_DIGEST_SIZE);
	if (base)
		memcpy(model->base, base, CANISTER_MODEL_DIGEST_SIZE);
	/* TSEM extends the aggregate first (tsem_model_add_aggregate()). */
	if (model_extend(model->measurement, model->base, model->aggregate) < 0) {
		free(model);
		return NULL;
	}
	return model;
}

void canister_model_free(struct canister_model *model)
{
	if (!model)
		return;
	for (size_t i = 0; i < model->count; i++)
		free(model->points[i].description);
	free(model->points);
	free(model->sorted);
	pseudonym_set_free(&model->pseudonyms);
	free(model);
}

static int compare(const struct canister_model *model, uint32_t index,
		   const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	return memcmp(model->points[index].coefficient, coefficient, CANISTER_MODEL_DIGEST_SIZE);
}

/* The position of the first index in @indexes whose coefficient is not below @coefficient. */
static size_t lower_bound(const struct canister_model *model, const uint32_t *indexes, size_t count,
			  const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	size_t low = 0, high = count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (compare(model, indexes[mid], coefficient) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

static struct canister_model_point *find(const struct canister_model *model,
					 const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	size_t at = lower_bound(model, model->sorted, model->sorted_count, coefficient);

	if (at < model->sorted_count && compare(model, model->sorted[at], coefficient) == 0)
		return &model->points[model->sorted[at]];
	at = lower_bound(model, model->recent, model->recent_count, coefficient);
	if (at < model->recent_count && compare(model, model->recent[at], coefficient) == 0)
		return &model->points[model->recent[at]];
	return NULL;
}

/* The recent indexes merged into the sorted ones, from the back, in place. */
static int merge_recent(struct canister_model *model)
{
	size_t total = model->sorted_count + model->recent_count;
	size_t s = model->sorted_count, r = model->recent_count, out = total;

	if (total > model->sorted_capacity) {
		size_t capacity = model->sorted_capacity ? model->sorted_capacity : RECENT_MAX;
		uint32_t *sorted;

		while (capacity < total)
			capacity *= 2;
		sorted = realloc(model->sorted, capacity * sizeof(*sorted));
		if (!sorted)
			return -ENOMEM;
		model->sorted = sorted;
		model->sorted_capacity = capacity;
	}
	while (r > 0) {
		if (s > 0 && compare(model, model->sorted[s - 1],
				     model->points[model->recent[r - 1]].coefficient) > 0)
			model->sorted[--out] = model->sorted[--s];
		else
			model->sorted[--out] = model->recent[--r];
	}
	model->sorted_count = total;
	model->recent_count = 0;
	return 0;
}

/* A new point: appended, indexed, and extended into the measurement. */
static int add(struct canister_model *model, const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE],
	       enum canister_model_source source, const char *description)
{
	struct canister_model_point *point;
	uint8_t measurement[CANISTER_MODEL_DIGEST_SIZE];
	char *copy = NULL;
	size_t at;
	int r;

	if (model->count >= CANISTER_MODEL_COEFFICIENTS_MAX)
		return -E2BIG;
	if (model->recent_count == RECENT_MAX) {
		r = merge_recent(model);
		if (r < 0)
			return r;
	}
	if (model->count == model->capacity) {
		size_t capacity = model->capacity ? 2 * model->capacity : 64;

		point = realloc(model->points, capacity * sizeof(*point));
		if (!point)
			return -ENOMEM;
		model->points = point;
		model->capacity = capacity;
	}
	if (description &&
	    strlen(description) + 1 > CANISTER_MODEL_DESCRIPTIONS_MAX - model->description_bytes) {
		model->descriptions_dropped++;
		description = NULL;
	}
	if (description) {
		copy = strdup(description);
		if (!copy)
			return -ENOMEM;
	}
	memcpy(measurement, model->measurement, sizeof(measurement));
	r = model_extend(measurement, model->base, coefficient);
	if (r < 0) {
		free(copy);
		return r;
	}
	memcpy(model->measurement, measurement, sizeof(measurement));

	point = &model->points[model->count];
	memcpy(point->coefficient, coefficient, CANISTER_MODEL_DIGEST_SIZE);
	point->source = source;
	point->seen = source == CANISTER_MODEL_LOADED ? 0 : 1;
	point->description = copy;
	model->description_bytes += copy ? strlen(copy) + 1 : 0;

	at = lower_bound(model, model->recent, model->recent_count, coefficient);
	memmove(&model->recent[at + 1], &model->recent[at],
		(model->recent_count - at) * sizeof(model->recent[0]));
	model->recent[at] = (uint32_t)model->count;
	model->recent_count++;
	model->count++;
	model->by_source[source]++;
	return 0;
}

int canister_model_observe(struct canister_model *model,
			   const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE],
			   const char *description, enum canister_model_verdict *ret_verdict)
{
	struct canister_model_point *point = find(model, coefficient);
	enum canister_model_source source;
	int r;

	if (point) {
		point->seen++;
		*ret_verdict = point->source == CANISTER_MODEL_FORENSIC ? CANISTER_MODEL_VIOLATION
									: CANISTER_MODEL_KNOWN;
		return 0;
	}
	source = model->sealed ? CANISTER_MODEL_FORENSIC : CANISTER_MODEL_LEARNED;
	r = add(model, coefficient, source, description);
	if (r < 0)
		return r;
	*ret_verdict = model->sealed ? CANISTER_MODEL_VIOLATION : CANISTER_MODEL_NEW;
	return 0;
}

int canister_model_load(struct canister_model *model,
			const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	if (find(model, coefficient))
		return -EEXIST;
	return add(model, coefficient, CANISTER_MODEL_LOADED, NULL);
}

bool canister_model_knows(const struct canister_model *model,
			  const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE])
{
	const struct canister_model_point *point = find(model, coefficient);

	return point && point->source != CANISTER_MODEL_FORENSIC;
}

void canister_model_seal(struct canister_model *model)
{
	model->sealed = true;
}

bool canister_model_sealed(const struct canister_model *model)
{
	return model->sealed;
}

int canister_model_for_each_sorted(const struct canister_model *model,
				   int (*fn)(const struct canister_model_point *point, void *data),
				   void *data)
{
	size_t s = 0, r = 0;

	/* The two sorted index arrays walked as one. */
	while (s < model->sorted_count || r < model->recent_count) {
		uint32_t index;
		int ret;

		if (r == model->recent_count ||
		    (s < model->sorted_count &&
		     compare(model, model->sorted[s], model->points[model->recent[r]].coefficient) <
			     0))
			index = model->sorted[s++];
		else
			index = model->recent[r++];
		ret = fn(&model->points[index], data);
		if (ret)
			return ret;
	}
	return 0;
}

struct state_walk {
	const struct canister_model *model;
	bool model_only;
	uint8_t state[CANISTER_MODEL_DIGEST_SIZE];
};

static int extend_state(const struct canister_model_point *point, void *data)
{
	struct state_walk *walk = data;

	if (walk->model_only && point->source == CANISTER_MODEL_FORENSIC)
		return 0;
	return model_extend(walk->state, walk->model->base, point->coefficient);
}

int canister_model_state(const struct canister_model *model, bool model_only,
			 uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	struct state_walk walk = { .model = model, .model_only = model_only };
	int r;

	/* From zeros, the aggregate first (tsem_model_compute_state()). */
	r = model_extend(walk.state, model->base, model->aggregate);
	if (r == 0)
		r = canister_model_for_each_sorted(model, extend_state, &walk);
	if (r < 0)
		return r;
	memcpy(ret, walk.state, sizeof(walk.state));
	return 0;
}

void canister_model_measurement(const struct canister_model *model,
				uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	memcpy(ret, model->measurement, CANISTER_MODEL_DIGEST_SIZE);
}

size_t canister_model_points(const struct canister_model *model)
{
	return model->count;
}

const struct canister_model_point *canister_model_point(const struct canister_model *model,
							size_t index)
{
	return index < model->count ? &model->points[index] : NULL;
}

size_t canister_model_descriptions_dropped(const struct canister_model *model)
{
	return model->descriptions_dropped;
}

size_t canister_model_count(const struct canister_model *model, enum canister_model_source source)
{
	return (unsigned int)source <= CANISTER_MODEL_FORENSIC ? model->by_source[source] : 0;
}

void canister_model_aggregate(const struct canister_model *model,
			      uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	memcpy(ret, model->aggregate, CANISTER_MODEL_DIGEST_SIZE);
}

void canister_model_base(const struct canister_model *model,
			 uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	memcpy(ret, model->base, CANISTER_MODEL_DIGEST_SIZE);
}

int canister_model_add_pseudonym(struct canister_model *model,
				 const uint8_t id[CANISTER_MODEL_DIGEST_SIZE])
{
	return pseudonym_set_add(&model->pseudonyms, id);
}

size_t canister_model_pseudonyms(const struct canister_model *model)
{
	return model->pseudonyms.count;
}

const uint8_t *canister_model_pseudonym(const struct canister_model *model, size_t index)
{
	return index < model->pseudonyms.count ? model->pseudonyms.ids[index] : NULL;
}

int canister_model_file_digest(const struct canister_model *model, const char *path,
			       const uint8_t content_digest[CANISTER_MODEL_DIGEST_SIZE],
			       uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	uint8_t id[CANISTER_MODEL_DIGEST_SIZE];
	int r;

	/* Most models have no pseudonym: no digest of the path for every file event then. */
	if (model->pseudonyms.count == 0 && strlen(path) <= CANISTER_MODEL_PATH_MAX) {
		memcpy(ret, content_digest, CANISTER_MODEL_DIGEST_SIZE);
		return 0;
	}
	r = canister_model_pseudonym_id(path, id);
	if (r < 0)
		return r;
	memcpy(ret,
	       pseudonym_set_has(&model->pseudonyms, id) ? canister_model_pseudonym_digest
							 : content_digest,
	       CANISTER_MODEL_DIGEST_SIZE);
	return 0;
}
