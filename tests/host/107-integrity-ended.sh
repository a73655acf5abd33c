# SPDX-License-Identifier: GPL-2.0-only
# canister: an ended container's list is kept as <contid>.ended-<time> 30 s after it was last
# written (evmctl still verifies it), at most integrity_ended_kept of them stay (the oldest go
# first), a restarted canisterd neither reloads them nor touches them, and a later container
# given the same contid starts a list of its own.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_setup 'measure func=BPRM_CHECK
'
echo "integrity_ended_kept = 2" >>"$T_CONF"
trap 'integrity_cleanup "$FS"' EXIT
cp /bin/true "$FS/prog"
start_daemon

# ended CONTID: the name of CONTID's one ended list, or nothing.
ended() { (cd "$LISTS" && ls -d "$1".ended-* 2>/dev/null); }
is_ended() { [ -n "$(ended "$1")" ] && [ ! -e "$LISTS/$1" ]; }
ended_count() { (cd "$LISTS" && ls -d ./*.ended-* 2>/dev/null | wc -l); }

# Two containers end; 30 s after its list was last written, each list is set aside.
cn run --id 707 -- "$FS/prog" || fail "container 707 failed"
cn run --id 708 -- "$FS/prog" || fail "container 708 failed"
ended_at=$(date +%s)
wait_until 90 "707's list set aside once it ended" is_ended 707
wait_until 90 "708's list set aside once it ended" is_ended 708
[ "$(($(date +%s) - ended_at))" -ge 29 ] ||
	fail "lists set aside before 30 s passed since they were written"
expect_match "$(ended 707)" '^707\.ended-[0-9]+$' "the ended list's name"
ended_name=$(ended 707)
when=${ended_name#*.ended-}
now=$(date +%s)
[ "$when" -le "$now" ] && [ "$when" -ge $((now - 90)) ] ||
	fail "the ended time $when is not of the last minute and a half (now $now)"
grep -q "integrity: container 707 ended: its list is kept as $LISTS/$ended_name" "$T_LOG" ||
	fail "canisterd did not say where 707's list is kept: $(grep integrity: "$T_LOG")"
expect_eq "$(awk -v f="$FS/prog" '$5 == f' "$LISTS/$ended_name/ascii_runtime_measurements" | wc -l)" \
	1 "the ended list's entry"
integrity_verify "$LISTS/$ended_name" "an ended container's list"
cn integrity list 707 >"$T_TMP/707.list" || fail "integrity list of an ended container failed"
cmp -s "$T_TMP/707.list" "$LISTS/$ended_name/ascii_runtime_measurements" ||
	fail "integrity list of an ended container is not its kept list"

# A third ends: three ended lists, two kept, 707's (the oldest) removed.
cn run --id 709 -- "$FS/prog" || fail "container 709 failed"
wait_until 90 "709's list set aside" is_ended 709
only_two() { [ "$(ended_count)" = 2 ] && [ -z "$(ended 707)" ]; }
wait_until 20 "the oldest ended list removed (integrity_ended_kept = 2)" only_two
[ -n "$(ended 708)" ] || fail "708's ended list was removed, not the oldest"
grep -q "integrity: 1 ended containers' lists removed (integrity_ended_kept = 2)" "$T_LOG" ||
	fail "canisterd did not say it removed an ended list"
out=$(cn integrity list 707 2>&1) && fail "integrity list of a removed ended list: $out"
case $out in *"no container 707 and no list of one"*) ;; *) fail "a removed list: $out" ;; esac

# A restart: the ended lists are no live containers' (no reload, no marker), left as they were.
cp "$LISTS/$(ended 709)/binary_runtime_measurements" "$T_TMP/709.before"
stop_daemon
start_daemon
wait_for_line "$T_LOG" "integrity: measuring" "integrity after the restart"
grep -Eq "container (708|709): [0-9]+ entries reloaded" "$T_LOG" &&
	fail "a restarted canisterd reloaded an ended list: $(grep reloaded "$T_LOG")"
cmp -s "$T_TMP/709.before" "$LISTS/$(ended 709)/binary_runtime_measurements" ||
	fail "the restart changed an ended list"
expect_eq "$(ended_count)" 2 "ended lists after the restart"

# The same contid again: a list of its own (the boot_aggregate first, its exec once), not the
# ended one's reloaded behind a restart marker.
cn run --id 709 -- "$FS/prog" || fail "container 709 again failed"
L=$LISTS/709/ascii_runtime_measurements
expect_eq "$(head -1 "$L" | cut -d' ' -f5)" boot_aggregate "a new 709's first entry"
expect_eq "$(awk -v f="$FS/prog" '$5 == f' "$L" | wc -l)" 1 "a new 709's entry for prog"
expect_eq "$(grep -c canister_restart "$L")" 0 "restart markers in a new 709's list"
expect_eq "$(cut -d' ' -f5 "$L" | grep -c boot_aggregate)" 1 "boot_aggregates in a new 709's list"
stop_daemon
