// SPDX-License-Identifier: GPL-2.0-only
/* canister behaviour models: the 32-bit system calls trace mode sees and does not decode. */
#include "model/syscall32_calls.h"

#include "lib/syscall32.h"

#define CALL_ENTRY(nr, name, event) { nr, #name, CANISTER_MODEL_##event },

static const struct {
	uint32_t nr;
	const char *name;
	enum canister_model_event_type type;
} calls[] = { SYSCALL32_MODEL_CALLS(CALL_ENTRY) };

const char *canister_model_syscall32_call(uint32_t nr, enum canister_model_event_type *ret_type)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (calls[i].nr == nr) {
			*ret_type = calls[i].type;
			return calls[i].name;
		}
	}
	return NULL;
}
