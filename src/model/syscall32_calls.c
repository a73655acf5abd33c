// SPDX-License-Identifier: GPL-2.0-only
/* canister behaviour models: the 32-bit system calls trace mode sees and does not decode. */
#include "model/syscall32_calls.h"

#include "lib/syscall32.h"

struct call {
	uint32_t nr;
	const char *name;
	enum canister_model_event_type type;
};

#define CALL_ENTRY(nr, name, event) { nr, #name, CANISTER_MODEL_##event },
#define SOCKET_ENTRY(nr, sub, name, event) CALL_ENTRY(nr, name, event)
/* A multiplexer's sub-call is named after both: "socketcall.connect". */
#define SOCKETCALL_ENTRY(sub, name, event) { sub, "socketcall." #name, CANISTER_MODEL_##event },
#define SOCKET_SUB_ENTRY(nr, sub, name, event) SOCKETCALL_ENTRY(sub, name, event)
#define IPC_ENTRY(sub, name, event) { sub, "ipc." #name, CANISTER_MODEL_##event },

static const struct call calls[] = { SYSCALL32_MODEL_CALLS(CALL_ENTRY)
					     SYSCALL32_SOCKET_CALLS(SOCKET_ENTRY) };
static const struct call socketcall_calls[] = { SYSCALL32_SOCKET_CALLS(
	SOCKET_SUB_ENTRY) SYSCALL32_SOCKETCALL_ONLY_CALLS(SOCKETCALL_ENTRY) };
static const struct call ipc_calls[] = { SYSCALL32_IPC_CALLS(IPC_ENTRY) };

static const struct call *find(const struct call *table, size_t count, uint32_t nr)
{
	for (size_t i = 0; i < count; i++)
		if (table[i].nr == nr)
			return &table[i];
	return NULL;
}

#define FIND(table, nr) find(table, sizeof(table) / sizeof(table[0]), nr)

const char *canister_model_syscall32_call(uint32_t nr, uint32_t sub,
					  enum canister_model_event_type *ret_type)
{
	const struct call *call;

	if (nr == NR32_SOCKETCALL)
		call = FIND(socketcall_calls, sub);
	else if (nr == NR32_IPC)
		call = FIND(ipc_calls, sub);
	else
		call = sub ? NULL : FIND(calls, nr);
	if (!call)
		return NULL;
	*ret_type = call->type;
	return call->name;
}
