# SPDX-License-Identifier: GPL-2.0-only
# canister: integrity across a canisterd restart: a running container's list, PCRs and policy
# come back at start, the gap is a canister_restart violation entry that evmctl replays, an
# unchanged file is not listed again; a list that does not read back is refused, kept aside and
# recorded; `audit` rules give one CONTAINER_INTEGRITY record per file version.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_setup 'measure func=BPRM_CHECK
audit func=BPRM_CHECK
'
trap 'integrity_cleanup "$FS"' EXIT
cp /bin/true "$FS/a"
cp /bin/true "$FS/b"

L=$LISTS/960
entries() { awk -v f="$1" '$5 == f' "$L/ascii_runtime_measurements" | wc -l; }
audits() { grep -c "type=CONTAINER_INTEGRITY .* op=audit contid=960 .*file=\"$1\"" "$T_AUDIT"; }

start_daemon
# One container lives across the restart: it runs a, waits, then runs a and b.
cn run --id 960 -- sh -c "'$FS/a'; '$FS/a'; echo \$\$ >'$T_TMP/c.pid'; sh '$T_AWAIT' '$T_TMP/go' || exit 1; '$FS/a'; '$FS/b'; '$FS/b'; echo done >'$T_TMP/done'" &
started $!
wait_for_file "$T_TMP/c.pid"
expect_eq "$(entries "$FS/a")" 1 "a before the restart"
expect_record "type=CONTAINER_INTEGRITY .* op=audit contid=960 pid=[0-9]+ file=\"$FS/a\" hash=\"sha256:$(sha256sum "$FS/a" | cut -d' ' -f1)\" res=1" "the audit record of a"
expect_eq "$(audits "$FS/a")" 1 "audit records of a run twice"
pcr_before=$(grep '^PCR-10' "$L/pcrs-sha256")
count_before=$(cat "$L/runtime_measurements_count")
integrity_verify "$L" "before the restart"

stop_daemon
start_daemon
wait_for_line "$T_LOG" "integrity: container 960: [0-9]+ entries reloaded, canister_restart added" "the reload at start"
# At start, before anything runs: the marker is listed, the count and PCRs go on from there.
expect_eq "$(tail -1 "$L/ascii_runtime_measurements")" \
	"10 0000000000000000000000000000000000000000 ima-ng sha256:0000000000000000000000000000000000000000000000000000000000000000 canister_restart" \
	"the restart marker"
expect_eq "$(cat "$L/runtime_measurements_count")" "$((count_before + 1))" "the count after the reload"
[ "$(grep '^PCR-10' "$L/pcrs-sha256")" != "$pcr_before" ] || fail "PCR 10 did not move with the marker"
integrity_verify "$L" "after the reload"

touch "$T_TMP/go"
wait_for_file "$T_TMP/done"
expect_eq "$(entries "$FS/a")" 1 "a unchanged, run again after the restart"
expect_eq "$(entries "$FS/b")" 1 "b, first run after the restart"
expect_eq "$(cat "$L/runtime_measurements_count")" "$((count_before + 2))" "the count: marker and b"
expect_eq "$(cat "$L/runtime_measurements_count")" "$(wc -l <"$L/ascii_runtime_measurements")" "the count"
expect_eq "$(cat "$L/policy")" "$(printf 'measure func=BPRM_CHECK \naudit func=BPRM_CHECK ')" \
	"the policy reloaded"
integrity_verify "$L" "after execs following the restart"
expect_record "op=audit contid=960 pid=[0-9]+ file=\"$FS/b\"" "the audit record of b"
expect_eq "$(audits "$FS/b")" 1 "audit records of b run twice"
# Which files were audited is not kept across a restart (IMA's IMA_AUDITED is in memory too):
# a's first run under this canisterd is audited once more.
expect_eq "$(audits "$FS/a")" 2 "audit records of a, one per canisterd"

# IMA-audit: a changed file is audited again, once.
printf '\n' >>"$FS/a"
cn run --id 960 -- sh -c "'$FS/a'; '$FS/a'" || fail "the changed a did not run"
expect_record "op=audit contid=960 pid=[0-9]+ file=\"$FS/a\" hash=\"sha256:$(sha256sum "$FS/a" | cut -d' ' -f1)\"" "the audit record of the changed a"
expect_eq "$(audits "$FS/a")" 3 "audit records of a, changed once"
expect_eq "$(entries "$FS/a")" 2 "a changed: listed again"
stop_daemon

# A list that does not read back: refused, kept aside, recorded, and the new list says so.
printf '\377\377\377' >>"$L/binary_runtime_measurements"
start_daemon
cn run --id 960 -- "$FS/b" || fail "b after the refused list"
wait_for_line "$T_LOG" "integrity: container 960: its measurement list is refused: binary measurement list: entry [0-9]+ at offset [0-9]+: truncated" "the refusal in the daemon's log"
aside=$(ls -d "$LISTS"/960.refused-* 2>/dev/null | head -1)
[ -n "$aside" ] || fail "the refused list was not kept: $(ls "$LISTS")"
expect_eq "$(tail -c 3 "$aside/binary_runtime_measurements" | od -An -tx1 | tr -d ' ')" ffffff "the refused list kept as it was"
expect_record "type=CONTAINER_INTEGRITY .* op=reload contid=960 file=.*reason=.* res=0" "the refusal's record"
expect_eq "$(sed -n 2p "$L/ascii_runtime_measurements" | cut -d' ' -f5)" canister_list_refused "the new list's marker"
expect_eq "$(entries "$FS/b")" 1 "b in the new list"
integrity_verify "$L" "the new list"
stop_daemon
