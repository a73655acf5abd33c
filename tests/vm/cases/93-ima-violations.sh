# SPDX-License-Identifier: GPL-2.0-only
# canister: open_writers violations in lsm mode on Debian's 6.1: a container's read of a file another process holds open for write is a violation entry before its measurement, its own open for write is none; FILE_CHECK is asked for while the policy needs it.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=FILE_CHECK mask=MAY_READ
' 60000
FS=$T_TMP/fs
mkdir -p "$FS"
mount -t tmpfs none "$FS" || fail "cannot mount a tmpfs"
trap 'integrity_cleanup "$FS"' EXIT
printf 'kept\n' >"$FS/held"
printf 'own\n' >"$FS/own"

start_daemon
# The gate's reader runs above canisterd here too (Debian's 6.1, the guard's task_setnice hook
# loaded): it sets its own value before its first poll (host case 159 tests the rest).
reader_raised() { cn status | grep -q "^  reader: nice -2, canisterd's 0: "; }
wait_until 60 "the reader's nice value in status" reader_raised
cn status >"$T_TMP/status" || fail "status failed"
expect_match "$(cat "$T_TMP/status")" '^mode: lsm$' "mode"
expect_match "$(cat "$T_TMP/status")" '^  file_check: on' "FILE_CHECK with a default policy that reads"
expect_match "$(cat "$T_TMP/status")" '^  violations: 0 \(open_writers: a read lease on each file' \
	"open_writers is seen in lsm mode"

L=$LISTS/930/ascii_runtime_measurements
zeros=sha256:0000000000000000000000000000000000000000000000000000000000000000
# kinds FILE: v for each violation entry naming FILE, m for each measurement, in list order.
kinds() { awk -v f="$1" -v z="$zeros" '$5 == f { printf(($4 == z) ? "v" : "m") }' "$L" 2>/dev/null; }

mkfifo "$T_TMP/holding" "$T_TMP/release"
sh -c "exec 3>>'$FS/held'; echo >'$T_TMP/holding'; read x <'$T_TMP/release'" &
holder=$!
started "$holder"
read -r x <"$T_TMP/holding"
cn run --id 930 -- sh -c "cat '$FS/held' >/dev/null; cat '$FS/held' >/dev/null" ||
	fail "the container's reads failed"
expect_eq "$(kinds "$FS/held")" vmv "a file held open for write, read twice"
echo release >"$T_TMP/release"
wait "$holder" || fail "the holder failed"
T_STARTED=
cn run --id 930 -- sh -c "cat '$FS/held' >/dev/null; echo more >>'$FS/own'" ||
	fail "the container's read and append failed"
expect_eq "$(kinds "$FS/held")" vmv "a read after the writer closed the file"
expect_eq "$(kinds "$FS/own")" m "the opener's own open for write"
expect_match "$(cn status)" '  violations: 2 ' "the status's violations"
exit 0
