// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the file CELLs the gate made lately, by container and inode (file_cells.h). */
#include "model/file_cells.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct cell {
	uint64_t contid, dev, ino;
	char *path; /* NULL: a free slot */
	uint8_t digest[CANISTER_MODEL_DIGEST_SIZE];
};

static struct {
	pthread_mutex_t lock;
	struct cell cells[MODEL_FILE_CELLS_MAX];
} table = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct cell *slot_of(uint64_t contid, uint64_t dev, uint64_t ino)
{
	uint64_t h = contid * 0x9e3779b97f4a7c15ULL ^ ino * 0xc2b2ae3d27d4eb4fULL ^ dev;

	return &table.cells[(h ^ (h >> 29)) % MODEL_FILE_CELLS_MAX];
}

void model_file_cells_put(uint64_t contid, dev_t dev, uint64_t ino, const char *path,
			  const uint8_t digest[CANISTER_MODEL_DIGEST_SIZE])
{
	char *copy = strdup(path);
	struct cell *cell;

	if (!copy)
		return; /* a mapping read after its process ended is then not modelled */
	pthread_mutex_lock(&table.lock);
	cell = slot_of(contid, (uint64_t)dev, ino);
	free(cell->path);
	*cell = (struct cell){ .contid = contid, .dev = (uint64_t)dev, .ino = ino, .path = copy };
	memcpy(cell->digest, digest, sizeof(cell->digest));
	pthread_mutex_unlock(&table.lock);
}

bool model_file_cells_get(uint64_t contid, dev_t dev, uint64_t ino, char *path, size_t path_size,
			  uint8_t digest[CANISTER_MODEL_DIGEST_SIZE])
{
	struct cell *cell;
	bool found;

	pthread_mutex_lock(&table.lock);
	cell = slot_of(contid, (uint64_t)dev, ino);
	found = cell->path && cell->contid == contid && cell->dev == (uint64_t)dev &&
		cell->ino == ino && strlen(cell->path) < path_size;
	if (found) {
		memcpy(path, cell->path, strlen(cell->path) + 1);
		memcpy(digest, cell->digest, sizeof(cell->digest));
	}
	pthread_mutex_unlock(&table.lock);
	return found;
}

void model_file_cells_clear(void)
{
	pthread_mutex_lock(&table.lock);
	for (size_t i = 0; i < MODEL_FILE_CELLS_MAX; i++)
		free(table.cells[i].path);
	memset(table.cells, 0, sizeof(table.cells));
	pthread_mutex_unlock(&table.lock);
}
