// SPDX-License-Identifier: GPL-2.0-only
/* canisterd: whether a process blocked at the gate is opening its file for writing (pure). */
#include "integrity/opener_syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* /proc/TID/syscall: the number, six arguments, the stack and the instruction pointer. */
#define SYSCALL_FIELDS 9

/* x86-64's table (arch/x86/entry/syscalls/syscall_64.tbl), whatever the build's architecture. */
#define X86_64_OPEN 2
#define X86_64_CREAT 85
#define X86_64_OPENAT 257

static bool parse_number(const char **at, const char *end, bool hex, bool may_be_negative,
			 int64_t *ret)
{
	const char *p = *at;
	bool negative = false;
	uint64_t value = 0;
	unsigned int digits = 0;

	if (may_be_negative && p < end && *p == '-') {
		negative = true;
		p++;
	}
	if (hex) {
		if (end - p < 2 || p[0] != '0' || p[1] != 'x')
			return false;
		p += 2;
	}
	for (; p < end && *p != ' ' && *p != '\n'; p++) {
		unsigned int digit;

		if (*p >= '0' && *p <= '9')
			digit = (unsigned int)(*p - '0');
		else if (hex && *p >= 'a' && *p <= 'f')
			digit = (unsigned int)(*p - 'a' + 10);
		else
			return false;
		if (++digits > (hex ? 16 : 19))
			return false;
		value = value * (hex ? 16 : 10) + digit;
	}
	if (!digits)
		return false;
	*ret = negative ? -(int64_t)value : (int64_t)value;
	*at = p;
	return true;
}

static int kind_of(int64_t nr, uint64_t flags_open, uint64_t flags_openat, uint64_t *ret_flags)
{
	uint64_t flags;

	switch (nr) {
	case X86_64_CREAT:
		*ret_flags = O_CREAT | O_WRONLY | O_TRUNC;
		return OPENER_OPENS_TO_WRITE;
	case X86_64_OPEN:
		flags = flags_open;
		break;
	case X86_64_OPENAT:
		flags = flags_openat;
		break;
	default:
		return OPENER_UNKNOWN;
	}
	*ret_flags = flags;
	/* The kernel takes write access for these two only (OPEN_FMODE()). */
	switch (flags & O_ACCMODE) {
	case O_WRONLY:
	case O_RDWR:
		return OPENER_OPENS_TO_WRITE;
	default:
		return OPENER_OPENS_TO_READ;
	}
}

int opener_syscall_parse(const char *line, size_t len)
{
	uint64_t flags;

	return opener_syscall_flags(line, len, &flags);
}

int opener_syscall_flags(const char *line, size_t len, uint64_t *ret_flags)
{
	const char *at = line, *end = line + len;
	int64_t field[SYSCALL_FIELDS];
	unsigned int count = 0;

	if (len && line[len - 1] == '\n')
		end--;
	if ((size_t)(end - line) == strlen("running") && memcmp(line, "running", 7) == 0)
		return OPENER_RUNNING;
	while (at < end || count == 0) {
		/* One space between fields, none after the last. */
		if (count > 0 && (*at++ != ' ' || count == SYSCALL_FIELDS))
			return -EINVAL;
		if (!parse_number(&at, end, count > 0, count == 0, &field[count]))
			return -EINVAL;
		count++;
	}
	/* Blocked outside a system call: "-1 SP PC". */
	if (count == 3 && field[0] == -1)
		return OPENER_UNKNOWN;
	if (count != SYSCALL_FIELDS || field[0] < 0)
		return -EINVAL;
	return kind_of(field[0], (uint64_t)field[2], (uint64_t)field[3], ret_flags);
}
