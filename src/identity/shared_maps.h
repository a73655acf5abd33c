/* SPDX-License-Identifier: GPL-2.0-only */
/* canister: the names of the maps every object including bpf/maps.bpf.h declares. */
#ifndef CANISTER_IDENTITY_SHARED_MAPS_H
#define CANISTER_IDENTITY_SHARED_MAPS_H

#include <canister/abi.h>

/*
 * One list for canisterd's pins (programs.c) and the objects that reuse them
 * (model/observers.c): a map added to maps.bpf.h and missed by either would be
 * a private copy in that object, which canisterd never writes.
 */
#define IDENTITY_SHARED_MAPS                                                                   \
	CANISTER_MAP_LABELS, CANISTER_MAP_EVENTS, CANISTER_MAP_STATS, CANISTER_MAP_CONTAINERS, \
		CANISTER_MAP_CENSUS, CANISTER_MAP_WATCH, CANISTER_MAP_NSJOIN,                  \
		CANISTER_MAP_LABELS_ROOM, CANISTER_MAP_FORK_ROOM, CANISTER_MAP_CONTAINER_CGROUPS

#endif
