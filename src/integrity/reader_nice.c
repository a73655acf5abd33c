// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: the gate reader's nice value, a little above canisterd's, and what status says of it
 * (pure). */
#include "integrity/reader_nice.h"

#include <stdio.h>
#include <string.h>

int reader_nice_of(int process_nice)
{
	int nice = process_nice - READER_NICE_BOOST;

	if (nice < READER_NICE_MIN)
		return READER_NICE_MIN;
	return nice > READER_NICE_MAX ? READER_NICE_MAX : nice;
}

bool reader_nice_describe(int err, int process_nice, int reader_nice, char *detail,
			  size_t detail_len)
{
	if (err < 0) {
		snprintf(detail, detail_len, "nice %d as canisterd: cannot raise it to %d: %s",
			 process_nice, reader_nice_of(process_nice), strerror(-err));
		return false;
	}
	if (reader_nice >= process_nice) {
		snprintf(detail, detail_len, "nice %d as canisterd: no higher priority exists",
			 reader_nice);
		return false;
	}
	snprintf(detail, detail_len,
		 "nice %d, canisterd's %d: the opener it answers seldom preempts it", reader_nice,
		 process_nice);
	return true;
}
