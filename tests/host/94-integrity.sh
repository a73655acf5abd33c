# SPDX-License-Identifier: GPL-2.0-only
# canister: the integrity capability end to end: canisterd with integrity on measures what a
# container executes, once per file until it changes, into lists stock evmctl verifies; a host
# process's exec adds nothing; canisterd stops cleanly with the gate on.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_setup 'measure func=BPRM_CHECK
'
trap 'stop_daemon; umount "$FS"; t_cleanup' EXIT
cp /bin/true "$FS/a"
cp /bin/true "$FS/b"
cp /bin/true "$FS/host"

start_daemon
grep -q "integrity: measuring" "$T_LOG" || fail "canisterd did not start measuring: $(cat "$T_LOG")"

# entries FILE: how many entries of the container's sha1 ascii list name FILE.
L=$LISTS/700
entries() { awk -v f="$1" '$5 == f' "$L/ascii_runtime_measurements" | wc -l; }

# a twice and b once: one entry each.  Then a changes and runs again: a second entry for it.
cn run --id 700 -- sh -c "'$FS/a'; '$FS/a'; '$FS/b'" || fail "the container's execs failed"
expect_eq "$(entries "$FS/a")" 1 "a file executed twice"
expect_eq "$(entries "$FS/b")" 1 "another file"
printf '\n' >>"$FS/a"
cn run --id 700 -- sh -c "'$FS/a'; '$FS/a'" || fail "the changed file did not run"
expect_eq "$(entries "$FS/a")" 2 "a file executed again after it changed"
expect_eq "$(awk -v f="$FS/a" '$5 == f { print $4 }' "$L/ascii_runtime_measurements" | tail -1)" \
	"sha256:$(sha256sum "$FS/a" | cut -d' ' -f1)" "the changed file's digest"
expect_eq "$(awk -v f="$FS/b" '$5 == f { print $4 }' "$L/ascii_runtime_measurements")" \
	"sha256:$(sha256sum "$FS/b" | cut -d' ' -f1)" "a file's digest"
expect_eq "$(head -1 "$L/ascii_runtime_measurements" | cut -d' ' -f5)" boot_aggregate "the first entry"
expect_eq "$(cat "$L/runtime_measurements_count")" \
	"$(wc -l <"$L/ascii_runtime_measurements")" "the count"
expect_eq "$(cat "$L/policy")" "measure func=BPRM_CHECK " "the policy as IMA prints it"

# A host process's exec: allowed, and in no list.
"$FS/host" || fail "a host exec with the gate on failed"
[ "$(ls "$LISTS")" = 700 ] || fail "lists of other containers: $(ls "$LISTS")"
expect_eq "$(entries "$FS/host")" 0 "a host exec"

integrity_verify "$L" "the list"
# ... and refuses it with one byte of a digest changed.
cp "$L/binary_runtime_measurements" "$T_TMP/changed"
printf '\377' | dd of="$T_TMP/changed" bs=1 seek=100 conv=notrunc 2>/dev/null
evmctl ima_measurement --ignore-violations --pcrs "sha256,$L/pcrs-sha256" "$T_TMP/changed" \
	>"$T_TMP/evmctl.out" 2>&1 && fail "evmctl accepted a changed list"

stop_daemon
grep -q "integrity: stopped" "$T_LOG" || fail "the gate did not stop: $(tail "$T_LOG")"
