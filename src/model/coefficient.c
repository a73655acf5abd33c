// SPDX-License-Identifier: GPL-2.0-only
/*
 * canister behaviour models: an event's coefficient and a task's TASK_ID, as TSEM defines them
 * (Documentation/admin-guide/LSM/tsem.rst, "Event modeling").
 */
#include "model/event.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * SHA256(SHA256(EVENT_ID) || @task_id || SHA256(COE) || SHA256(CELL)).
 *
 * As tsem.rst defines it.  TSEM's later implementation (v3, map.c,
 * get_event_mapping()) hashes EVENT_ID unhashed and adds the parent's TASK_ID;
 * canister keeps the documented function: it is the one the issue and
 * docs/model.md promise, and a parent's TASK_ID would make a program's
 * coefficients depend on what started it.
 */
static int coefficient(const struct canister_model_event *event,
		       const uint8_t task_id[CANISTER_MODEL_DIGEST_SIZE],
		       uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	uint8_t parts[4 * CANISTER_MODEL_DIGEST_SIZE];
	uint8_t coe[CANISTER_MODEL_COE_SIZE];
	const char *name = canister_model_event_name(event->type);
	uint8_t *cell;
	long cell_len;
	int r;

	if (!name)
		return -EINVAL;
	cell_len = canister_model_cell_bytes(event, NULL, 0);
	if (cell_len < 0)
		return (int)cell_len;
	cell = malloc(cell_len ? (size_t)cell_len : 1);
	if (!cell)
		return -ENOMEM;
	canister_model_cell_bytes(event, cell, (size_t)cell_len);
	canister_model_coe_bytes(&event->coe, coe);

	r = model_sha256(name, strlen(name), NULL, 0, parts);
	if (r == 0) {
		memcpy(parts + CANISTER_MODEL_DIGEST_SIZE, task_id, CANISTER_MODEL_DIGEST_SIZE);
		r = model_sha256(coe, sizeof(coe), NULL, 0, parts + 2 * CANISTER_MODEL_DIGEST_SIZE);
	}
	if (r == 0)
		r = model_sha256(cell, (size_t)cell_len, NULL, 0,
				 parts + 3 * CANISTER_MODEL_DIGEST_SIZE);
	free(cell);
	if (r == 0)
		r = model_sha256(parts, sizeof(parts), NULL, 0, ret);
	return r;
}

int canister_model_coefficient(const struct canister_model_event *event,
			       uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	return coefficient(event, event->task_id, ret);
}

int canister_model_task_id(const struct canister_model_coe *coe,
			   const struct canister_model_file *exe,
			   uint8_t ret[CANISTER_MODEL_DIGEST_SIZE])
{
	static const uint8_t null_id[CANISTER_MODEL_DIGEST_SIZE];
	struct canister_model_event exec = {
		.type = CANISTER_MODEL_EXEC,
		.coe = *coe,
		.cell.file = *exe,
	};

	return coefficient(&exec, null_id, ret);
}
