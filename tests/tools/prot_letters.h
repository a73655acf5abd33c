/* SPDX-License-Identifier: GPL-2.0-only */
/* Test tools: a protection written as letters (mmap-anon, mprotect-exec). */
#ifndef CANISTER_TOOLS_PROT_LETTERS_H
#define CANISTER_TOOLS_PROT_LETTERS_H

#include <sys/mman.h>

/*
 * prot_letters() - @text as some of the letters r, w, x (PROT_READ,
 * PROT_WRITE, PROT_EXEC) into *@ret; "" is PROT_NONE.  Returns 0, or -1
 * for another letter (*@ret untouched).
 */
static int prot_letters(const char *text, int *ret)
{
	int prot = PROT_NONE;

	for (const char *c = text; *c; c++) {
		if (*c == 'r')
			prot |= PROT_READ;
		else if (*c == 'w')
			prot |= PROT_WRITE;
		else if (*c == 'x')
			prot |= PROT_EXEC;
		else
			return -1;
	}
	*ret = prot;
	return 0;
}

#endif
