// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: the CONTAINER_ID records canisterd adds to a kernel audit event. */
#include "audit/enrich.h"

#include <string.h>

#define HEAD "type=CONTAINER_ID msg="

int audit_enrich(struct audit_event *event, const struct audit_place *places, const char *prefix,
		 size_t prefix_len)
{
	char line[CANISTER_RECORD_MAX + 1];
	size_t kernel_count = event->kernel_count;
	int added = 0;

	for (size_t i = 0; i < kernel_count; i++) {
		int len, r;

		if (!places[i].depth)
			continue;
		len = canister_format_container_id_record(&event->stamp, (unsigned int)(i + 1),
							  places[i].chain, places[i].depth, line,
							  sizeof(line));
		if (len < 0)
			return len;
		/* The formatter writes the whole line; the event wants its body. */
		r = audit_event_add_line(event, prefix, prefix_len, 0, "CONTAINER_ID",
					 line + strlen(HEAD), (size_t)len - strlen(HEAD) - 1);
		if (r < 0)
			return r;
		added++;
	}
	return added;
}
