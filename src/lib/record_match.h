/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* canister: which audit records belong to which container, for `canister log`. */
#ifndef CANISTER_LIB_RECORD_MATCH_H
#define CANISTER_LIB_RECORD_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * canister_record_matches() - does the audit record @line (linux-audit text,
 * "type=... msg=audit(...): key=value ...", @len bytes, no newline needed)
 * belong to container @contid?
 *
 * It does when @contid is an element of its contid= or old-contid= field: the
 * container itself ("contid=4", "old-contid=4" of a drop) or an ancestor
 * ("contid=7,^4"), since the records of nested containers belong to their
 * ancestors too.  Fields are matched by whole key, so old-contid= is not
 * contid=, and nothing inside a "quoted" value counts; a user record's
 * msg='...' is looked into.  CANISTER_CONTID_UNSET matches every record of
 * any container, that is with a contid in either field.
 */
bool canister_record_matches(const char *line, size_t len, uint64_t contid);

#endif
