/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: the 32-bit system calls trace mode sees and does not decode. */
#ifndef CANISTER_MODEL_SYSCALL32_CALLS_H
#define CANISTER_MODEL_SYSCALL32_CALLS_H

#include "model/event.h"

#include <stdint.h>

/*
 * canister_model_syscall32_call() - i386's system call @nr, if it is one of
 * those the trace-mode observers record when native (lib/syscall32.h,
 * SYSCALL32_MODEL_CALLS): its i386 name, and in *@ret_type the event its
 * native call would be.  NULL for any other number.
 */
const char *canister_model_syscall32_call(uint32_t nr, enum canister_model_event_type *ret_type);

#endif
