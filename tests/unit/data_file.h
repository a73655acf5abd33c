/* SPDX-License-Identifier: GPL-2.0-only */
/* canister unit tests: reads a file of tests/unit/data into a buffer, failing the test if it
 * cannot. */
#ifndef CANISTER_TESTS_UNIT_DATA_FILE_H
#define CANISTER_TESTS_UNIT_DATA_FILE_H

/* cmocka.h needs these first; included here so that no include order can leave fail_msg out. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <sys/stat.h>

/* At most @size bytes of @path into @buf; the count read. */
static inline size_t data_file(const char *path, void *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t len;

	if (!f)
		fail_msg("cannot open %s", path);
	len = fread(buf, 1, size, f);
	fclose(f);
	return len;
}

/* @path (at most 64 KiB) copied to the file @to, made with @mode. */
static inline void data_file_copy(const char *path, const char *to, mode_t mode)
{
	static uint8_t buf[64 * 1024];
	size_t len = data_file(path, buf, sizeof(buf));
	FILE *f = fopen(to, "wb");

	if (!f)
		fail_msg("cannot create %s", to);
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0 || chmod(to, mode) != 0)
		fail_msg("cannot write %s", to);
}

#endif
