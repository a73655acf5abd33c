/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: the human-readable form of canisterd's status. */
#ifndef CANISTER_LIB_STATUS_FORMAT_H
#define CANISTER_LIB_STATUS_FORMAT_H

#include "lib/status.h"

#include <stddef.h>
#include <stdio.h>

/* canister_status_print() - print @status (as canister_reply_decode() gives it) as text. */
void canister_status_print(const struct canister_status *status, FILE *out);

/*
 * canister_format_duration() - "3d 04h 05m 06s"; leading zero units are left
 * out ("5m 06s"), inner ones are kept so columns line up ("1d 00h 00m 00s").
 */
void canister_format_duration(unsigned long long seconds, char *buf, size_t len);

#endif
