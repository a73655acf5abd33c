// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* canister: how containers read to a person (contid chains, ages, the `canister ps` table). */
#include "lib/container_format.h"

#include <inttypes.h>
#include <string.h>

void canister_format_chain(const uint64_t *chain, unsigned int depth, char *buf, size_t len)
{
	size_t used = 0;

	if (len == 0)
		return;
	if (depth == 0) {
		snprintf(buf, len, "unset");
		return;
	}
	buf[0] = '\0';
	for (unsigned int i = 0; i < depth && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%" PRIu64, i ? ",^" : "", chain[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

void canister_format_age(int64_t seconds, char *buf, size_t len)
{
	if (seconds < 0) /* registered "later" than now: the clock was set back */
		seconds = 0;
	if (seconds < 60)
		snprintf(buf, len, "%" PRId64 "s", seconds);
	else if (seconds < 3600)
		snprintf(buf, len, "%" PRId64 "m", seconds / 60);
	else if (seconds < 86400)
		snprintf(buf, len, "%" PRId64 "h", seconds / 3600);
	else
		snprintf(buf, len, "%" PRId64 "d", seconds / 86400);
}

enum { COL_CONTID, COL_NAME, COL_PROCS, COL_FIRST_PID, COL_OWNER, COL_AGE, COLUMNS };

static const char *const headers[COLUMNS] = {
	"CONTID", "NAME", "PROCS", "FIRST-PID", "OWNER", "AGE"
};

struct row {
	char cells[COLUMNS][CANISTER_CHAIN_TEXT_MAX];
};

static void format_row(const struct canister_container_entry *entry, int64_t now, struct row *row)
{
	canister_format_chain(entry->chain, entry->depth, row->cells[COL_CONTID],
			      sizeof(row->cells[COL_CONTID]));
	snprintf(row->cells[COL_NAME], sizeof(row->cells[COL_NAME]), "%s",
		 entry->name[0] ? entry->name : "-");
	snprintf(row->cells[COL_PROCS], sizeof(row->cells[COL_PROCS]), "%" PRIu64,
		 entry->processes);
	snprintf(row->cells[COL_FIRST_PID], sizeof(row->cells[COL_FIRST_PID]), "%d",
		 (int)entry->first_pid);
	if (entry->owner)
		snprintf(row->cells[COL_OWNER], sizeof(row->cells[COL_OWNER]), "delegation %u",
			 (unsigned int)entry->owner);
	else
		snprintf(row->cells[COL_OWNER], sizeof(row->cells[COL_OWNER]), "host");
	canister_format_age(now - entry->registered, row->cells[COL_AGE],
			    sizeof(row->cells[COL_AGE]));
}

static void print_line(const char *const cells[COLUMNS], const size_t widths[COLUMNS], FILE *out)
{
	for (int c = 0; c < COLUMNS; c++) {
		/* The last column is not padded: no trailing blanks. */
		if (c == COLUMNS - 1)
			fprintf(out, "%s\n", cells[c]);
		else
			fprintf(out, "%-*s  ", (int)widths[c], cells[c]);
	}
}

void canister_ps_print(const struct canister_container_entry *entries, size_t count, int64_t now,
		       FILE *out)
{
	size_t widths[COLUMNS];
	const char *cells[COLUMNS];
	struct row row;

	/* Two passes over the rows rather than a table in memory: rows are cheap to format. */
	for (int c = 0; c < COLUMNS; c++)
		widths[c] = strlen(headers[c]);
	for (size_t i = 0; i < count; i++) {
		format_row(&entries[i], now, &row);
		for (int c = 0; c < COLUMNS; c++)
			if (strlen(row.cells[c]) > widths[c])
				widths[c] = strlen(row.cells[c]);
	}
	print_line(headers, widths, out);
	for (size_t i = 0; i < count; i++) {
		format_row(&entries[i], now, &row);
		for (int c = 0; c < COLUMNS; c++)
			cells[c] = row.cells[c];
		print_line(cells, widths, out);
	}
}
