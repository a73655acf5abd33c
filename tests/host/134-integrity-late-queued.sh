# SPDX-License-Identifier: GPL-2.0-only
# canister: an exec whose deadline passes while it waits in the gate's queue for a judge.  The
# fail policy (open) answers it and the file runs; it must still be measured, as an exec a judge
# had taken in time and was slow on is: a file that ran and is missing from the container's list
# is what a verifier cannot see.  Four padded programs keep the container's share of the gate's
# judges (three of four) hashing for seconds; a fifth exec, of a small file, queues behind them
# past its 20 ms deadline.
# (The defect: a queued event answered by its deadline was dropped unjudged, and host 132's
# forensics record of a late exec went missing whenever its event was not taken within 10 ms.)
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

command -v evmctl >/dev/null || fail "evmctl is missing: install the Debian package ima-evm-utils"
FS=$T_TMP/fs
mkdir -p "$FS"
mount -t tmpfs none "$FS" || fail "cannot mount a tmpfs"
integrity_config 'measure func=BPRM_CHECK
' 20
trap 'integrity_cleanup "$FS"' EXIT
integrity_padded 2G p1 p2 p3 p4
integrity_padded 0 small
mkfifo "$T_TMP/go" "$T_TMP/go2"
start_daemon

cn run --id 1340 -- sh -c "read x <'$T_TMP/go'
	for d in p1 p2 p3 p4; do '$FS/'\$d/true & done
	read x <'$T_TMP/go2'
	'$FS/small/true'; echo small=\$? >'$T_TMP/out'
	wait" &
container=$!
started "$container"
L=$LISTS/1340/ascii_runtime_measurements
shell_listed() { [ -e "$L" ] && awk '$5 ~ /sh$/' "$L" | grep -q .; }
wait_until 30 "the container's shell measured" shell_listed
late0=$(integrity_counter late)
echo go >"$T_TMP/go"
# Each padded exec's deadline passed while a judge hashed it (or while it waited for one).
late_by() { [ "$(integrity_counter late)" -ge $((late0 + $1)) ]; }
wait_until 60 "the four padded execs answered by their deadline" late_by 4
echo go >"$T_TMP/go2"
wait_for_line "$T_TMP/out" '^small=' "the small exec's status" 60
expect_eq "$(cat "$T_TMP/out")" small=0 "the small exec, answered by the fail policy (open)"
late_by 5 || fail "the small exec was not late: the case proves nothing"
wait_until 120 "the small file measured although its deadline passed in the queue" \
	integrity_listed "$L" "$FS/small/true"
wait_until 120 "every padded file measured" sh -c "
	for d in p1 p2 p3 p4; do awk -v f='$FS/'\$d/true '\$5 == f' '$L' | grep -q . || exit 1; done"
wait "$container" || fail "the container failed"
T_STARTED=
expect_eq "$(awk -v f="$FS/small/true" '$5 == f' "$L" | wc -l)" 1 "the small file's entries"
integrity_verify "$LISTS/1340" "the list with the late exec's entry"
expect_eq "$(integrity_counter stuck)" 0 "judges still busy once every file is measured"
exit 0
