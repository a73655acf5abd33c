/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: whether a container has a TPM of its own (integrity_tpm), one spelling everywhere. */
#ifndef CANISTER_LIB_TPM_CHOICE_H
#define CANISTER_LIB_TPM_CHOICE_H

#include <stddef.h>

/*
 * A container's TPM: none, or a swtpm of its own whose PCR 10 follows its
 * measurement list.  The words are those of canister.conf's integrity_tpm,
 * and the same on the command line, in the OCI annotation, on the wire and
 * in the file canisterd keeps beside the list.
 */
enum canister_tpm_choice {
	CANISTER_TPM_NONE = 0,
	CANISTER_TPM_SWTPM,
};

/* The saved file: the word and a newline. */
#define CANISTER_TPM_CHOICE_FILE_MAX (sizeof("swtpm\n") - 1)

/*
 * canister_tpm_choice_parse() - @len bytes of @text, exactly "none" or
 * "swtpm" (no space, no newline, no NUL).  Returns 0 with *@ret_choice, or
 * -EINVAL with a reason in @why that quotes what was given (at most 32 bytes
 * of it, bytes that are not printable as '?').
 */
int canister_tpm_choice_parse(const char *text, size_t len, enum canister_tpm_choice *ret_choice,
			      char *why, size_t why_len);

/*
 * canister_tpm_choice_parse_file() - as canister_tpm_choice_parse(), for the
 * file canisterd saves: the word and one newline, exactly.
 */
int canister_tpm_choice_parse_file(const char *text, size_t len,
				   enum canister_tpm_choice *ret_choice, char *why, size_t why_len);

/* canister_tpm_choice_name() - "none" or "swtpm" (NULL for a value out of range). */
const char *canister_tpm_choice_name(enum canister_tpm_choice choice);

#endif
