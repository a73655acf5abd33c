/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: room for one more element in a growing array. */
#ifndef CANISTER_LIB_ARRAY_ROOM_H
#define CANISTER_LIB_ARRAY_ROOM_H

#include <stddef.h>

/*
 * canister_array_room() - makes *@array (of *@capacity elements of @size
 * bytes, @count of them used) hold at least one more, doubling it (16 at
 * first).  Returns 0, or -ENOMEM with the array as it was.
 */
int canister_array_room(void *array, size_t *capacity, size_t count, size_t size);

#endif
