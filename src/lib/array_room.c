// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: room for one more element in a growing array. */
#include "lib/array_room.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int canister_array_room(void *array, size_t *capacity, size_t count, size_t size)
{
	void *grown, *old;
	size_t wanted;

	if (count < *capacity)
		return 0;
	wanted = *capacity ? *capacity * 2 : 16;
	memcpy(&old, array, sizeof(old));
	grown = reallocarray(old, wanted, size);
	if (!grown)
		return -ENOMEM;
	memcpy(array, &grown, sizeof(grown));
	*capacity = wanted;
	return 0;
}
