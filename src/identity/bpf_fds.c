// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: which BPF object a process's descriptor holds, from /proc/PID/fd and fdinfo (pure). */
#include "identity/bpf_fds.h"

#include <canister/abi.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	uint32_t kind;
	const char *target; /* the names the kernel gives anon_inode_getfile() */
	const char *key;    /* its line in fdinfo */
} kinds[] = {
	{ CANISTER_GUARDED_MAP, "anon_inode:bpf-map", "map_id:" },
	{ CANISTER_GUARDED_PROG, "anon_inode:bpf-prog", "prog_id:" },
	{ CANISTER_GUARDED_LINK, "anon_inode:bpf_link", "link_id:" },
};

uint32_t bpf_fd_kind(const char *target)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(target, kinds[i].target) == 0)
			return kinds[i].kind;
	return 0;
}

int bpf_fd_id(const char *fdinfo, uint32_t kind, uint32_t *ret_id)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t key_len = strlen(kinds[i].key);
		const char *line;

		if (kinds[i].kind != kind)
			continue;
		for (line = fdinfo; line;
		     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			char *end;
			unsigned long id;

			if (strncmp(line, kinds[i].key, key_len) != 0)
				continue;
			errno = 0;
			id = strtoul(line + key_len, &end, 10);
			if (errno || end == line + key_len || id > UINT32_MAX ||
			    (*end != '\n' && *end != '\0'))
				return -ENOENT;
			*ret_id = (uint32_t)id;
			return 0;
		}
	}
	return -ENOENT;
}
