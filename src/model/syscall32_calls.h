/* SPDX-License-Identifier: GPL-2.0-only */
/* canister behaviour models: the 32-bit system calls trace mode sees and does not decode. */
#ifndef CANISTER_MODEL_SYSCALL32_CALLS_H
#define CANISTER_MODEL_SYSCALL32_CALLS_H

#include "model/event.h"

#include <stdint.h>

/*
 * canister_model_syscall32_call() - i386's system call @nr with sub-call
 * @sub, if it is one of those the trace-mode observers record when native
 * (lib/syscall32.h): its i386 name, and in *@ret_type the event its native
 * call would be.  For socketcall (102) and ipc (117) @sub is the sub-call
 * (%ebx; ipc's without its version), named after the multiplexer
 * ("socketcall.connect", "ipc.shmat"), and must be one that natively is an
 * event (SYSCALL32_SOCKET_CALLS, SYSCALL32_SOCKETCALL_ONLY_CALLS,
 * SYSCALL32_IPC_CALLS); for any other call @sub is 0 (SYSCALL32_MODEL_CALLS,
 * SYSCALL32_SOCKET_CALLS).  NULL for any other pair.
 */
const char *canister_model_syscall32_call(uint32_t nr, uint32_t sub,
					  enum canister_model_event_type *ret_type);

#endif
