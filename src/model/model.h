/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canister behaviour models: one container's model: its coefficients, the state value over them,
 * the measurement of their first appearances, the trajectory, forensics and pseudonyms.
 */
#ifndef CANISTER_MODEL_MODEL_H
#define CANISTER_MODEL_MODEL_H

#include "model/digest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A model holds at most this many distinct coefficients (learned, loaded and
 * forensic together): 2^18, about 16 MiB of model.  A learned workload that
 * needs more is not a behaviour model but a log.
 */
#define CANISTER_MODEL_COEFFICIENTS_MAX 262144
/*
 * The descriptions kept with points (the export line of each one's first
 * event) take at most this many bytes together; past it a new point keeps
 * none, and is counted (canister_model_descriptions_dropped()).  Without it a
 * workload of long distinct paths would make the model take gigabytes.
 */
#define CANISTER_MODEL_DESCRIPTIONS_MAX (32u << 20)
/* And at most this many pseudonyms. */
#define CANISTER_MODEL_PSEUDONYMS_MAX 1024

/* How a coefficient entered the model. */
enum canister_model_source {
	CANISTER_MODEL_LOADED,	 /* from a model file: part of the model, seen by no event yet */
	CANISTER_MODEL_LEARNED,	 /* first seen while learning: part of the model */
	CANISTER_MODEL_FORENSIC, /* first seen after seal: not part of the model */
};

/* What canister_model_observe() made of a coefficient. */
enum canister_model_verdict {
	CANISTER_MODEL_KNOWN,	  /* in the model (loaded or learned before) */
	CANISTER_MODEL_NEW,	  /* learning: added to the model */
	CANISTER_MODEL_VIOLATION, /* sealed: not in the model (a forensics entry, new or again) */
};

struct canister_model_point {
	uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE];
	enum canister_model_source source;
	uint64_t seen;	   /* events that gave it (a loaded one starts at 0) */
	char *description; /* the first event's export line (event_json.h), or NULL */
};

struct canister_model;

/*
 * canister_model_new() - an empty model, learning, whose measurement starts
 * with @aggregate and whose points are all extended through @base (both NULL
 * for TSEM's all-zero defaults: a platform without a TPM, no nonce).
 * Returns NULL when out of memory.
 */
struct canister_model *canister_model_new(const uint8_t *aggregate, const uint8_t *base);
void canister_model_free(struct canister_model *model);

/*
 * canister_model_observe() - an event gave @coefficient.  Learning, a new one
 * is added to the model (NEW); sealed, a new one is added as forensics
 * (VIOLATION), and so is one seen again that was forensic.  A new coefficient
 * extends the measurement.  @description, copied, is kept with a new one
 * while the descriptions take less than CANISTER_MODEL_DESCRIPTIONS_MAX.
 * Returns 0 and the verdict in @ret_verdict; -E2BIG when the model already
 * holds CANISTER_MODEL_COEFFICIENTS_MAX coefficients (nothing changes; the
 * caller must treat the event as a violation); -ENOMEM.
 */
int canister_model_observe(struct canister_model *model,
			   const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE],
			   const char *description, enum canister_model_verdict *ret_verdict);

/*
 * canister_model_load() - @coefficient is part of the model (read from a
 * model file): added as LOADED, extending the measurement.  Returns 0,
 * -EEXIST when the model holds it already, -E2BIG when full, -ENOMEM.
 */
int canister_model_load(struct canister_model *model,
			const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE]);

/* canister_model_knows() - whether @coefficient is part of the model (loaded or learned). */
bool canister_model_knows(const struct canister_model *model,
			  const uint8_t coefficient[CANISTER_MODEL_DIGEST_SIZE]);

/* canister_model_seal() - from now on a new coefficient is forensics, not model; for good. */
void canister_model_seal(struct canister_model *model);
bool canister_model_sealed(const struct canister_model *model);

/*
 * canister_model_state() - TSEM's state value: SHA-256 extension, starting
 * from zeros, of the aggregate and then of every coefficient the model holds
 * (forensic ones too, as TSEM's points list) in ascending byte order
 * (docs/model.md).  Independent of the order and time they came in.
 * @model_only leaves the forensic ones out: the state of the model a model
 * file describes.  Returns 0 or -ENOMEM.
 */
int canister_model_state(const struct canister_model *model, bool model_only,
			 uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/* canister_model_measurement() - the extension, from zeros, of the aggregate and every
 * coefficient in the order each first came. */
void canister_model_measurement(const struct canister_model *model,
				uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/* The coefficients in the order each first came (the trajectory and forensics both). */
size_t canister_model_points(const struct canister_model *model);
const struct canister_model_point *canister_model_point(const struct canister_model *model,
							size_t index);
/*
 * canister_model_for_each_sorted() - @fn called with each point in ascending
 * coefficient order (byte by byte, as memcmp() orders them), until it returns
 * non-zero; that value is returned, else 0.
 */
int canister_model_for_each_sorted(const struct canister_model *model,
				   int (*fn)(const struct canister_model_point *point, void *data),
				   void *data);
/* How many new points kept no description (CANISTER_MODEL_DESCRIPTIONS_MAX reached). */
size_t canister_model_descriptions_dropped(const struct canister_model *model);
/* How many of the coefficients came from @source. */
size_t canister_model_count(const struct canister_model *model, enum canister_model_source source);

void canister_model_aggregate(const struct canister_model *model,
			      uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);
void canister_model_base(const struct canister_model *model,
			 uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * canister_model_add_pseudonym() - the file whose pseudonym id is @id
 * (canister_model_pseudonym_id()) takes the pseudonym digest in its CELL.
 * Returns 0, -EEXIST, or -E2BIG past CANISTER_MODEL_PSEUDONYMS_MAX.
 */
int canister_model_add_pseudonym(struct canister_model *model,
				 const uint8_t id[CANISTER_MODEL_DIGEST_SIZE]);
/* The pseudonym ids, in ascending byte order. */
size_t canister_model_pseudonyms(const struct canister_model *model);
const uint8_t *canister_model_pseudonym(const struct canister_model *model, size_t index);

/*
 * canister_model_pseudonym_id() - TSEM's pseudonym id of @path:
 * SHA256(u32le(strlen(path)) || path).  Returns 0, -ENAMETOOLONG past
 * CANISTER_MODEL_PATH_MAX, or -ENOMEM.
 */
int canister_model_pseudonym_id(const char *path, uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

/*
 * The digest a pseudonym's file takes in place of its content's: TSEM's
 * zero_digest, SHA-256 of no bytes (e3b0c442...b855), the digest of an empty
 * file, so a log that grows keeps one coefficient.
 */
extern const uint8_t canister_model_pseudonym_digest[CANISTER_MODEL_DIGEST_SIZE];

/*
 * canister_model_file_digest() - the digest a CELL takes for the file at
 * @path whose content has @content_digest: the pseudonym digest if @model has
 * a pseudonym for @path, else @content_digest.  Returns 0 or the errors of
 * canister_model_pseudonym_id().
 */
int canister_model_file_digest(const struct canister_model *model, const char *path,
			       const uint8_t content_digest[CANISTER_MODEL_DIGEST_SIZE],
			       uint8_t ret[CANISTER_MODEL_DIGEST_SIZE]);

#endif
