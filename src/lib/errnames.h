/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: errno values by name, as the control protocol carries them. */
#ifndef CANISTER_LIB_ERRNAMES_H
#define CANISTER_LIB_ERRNAMES_H

/* The symbolic name ("EPERM") of a positive errno, or NULL if the protocol does not carry it. */
const char *canister_errno_name(int errnum);

/* The positive errno named by @name, or 0 if the name is unknown. */
int canister_errno_from_name(const char *name);

#endif
