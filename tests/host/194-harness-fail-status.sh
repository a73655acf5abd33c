# SPDX-License-Identifier: GPL-2.0-only
# canister: the harness itself: a case that fails exits non-zero whatever its EXIT trap runs
# before integrity_cleanup.  A trap such as 'rn delete -f "$CID"; integrity_cleanup' (host 147)
# gave integrity_cleanup the status of its first command, so a failed case passed (found by host
# 193, whose first run on the unfixed daemon passed while it printed its failure).
. "$(dirname "$0")/../lib/harness.sh"

# status_of TRAP: the exit status of a case that sets TRAP as its EXIT trap and fails.
status_of()
{
	cat >"$T_TMP/case.sh" <<CASE
. "$T_LIB/harness.sh"
. "$T_LIB/integrity.sh"
trap '$1' EXIT
fail "failing on purpose"
CASE
	T_LIB=$T_LIB sh "$T_TMP/case.sh" 2>"$T_TMP/case.err"
	echo $?
}
T_LIB=$(cd "$T_LIB" && pwd)

expect_eq "$(status_of 'integrity_cleanup')" 1 "a failing case's status (integrity_cleanup alone)"
expect_eq "$(status_of 'true; integrity_cleanup')" 1 "a failing case's status (a command before integrity_cleanup)"
grep -q "failing on purpose" "$T_TMP/case.err" || fail "the inner case said: $(cat "$T_TMP/case.err")"
exit 0
