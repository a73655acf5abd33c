# SPDX-License-Identifier: GPL-2.0-only
# canister: IMA's violations in a container's list.  open_writers: a file a container opens to
# read while another process holds it open for write gets a violation entry before its
# measurement, at each such open, and none when the opener itself opens it for write or the
# writer has closed it.  ToMToU as canister sees it: a file written while canisterd hashes it.
# Entries are as IMA writes them (the path, zeros listed, 0xff extended): evmctl accepts the
# list with --ignore-violations and, as for the kernel's, refuses it without.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_setup 'measure func=FILE_CHECK mask=MAY_READ
'
trap 'integrity_cleanup "$FS"' EXIT
printf 'kept\n' >"$FS/held"
printf 'own\n' >"$FS/own"
start_daemon
integrity() { cn status --json | jq -r ".integrity.$1"; }
expect_eq "$(integrity file_check)" true "FILE_CHECK with a default policy that reads"
expect_match "$(integrity violation_checks)" "^open_writers: a read lease on each file" \
	"the status names how open_writers is seen"
expect_match "$(integrity violation_checks)" "ToMToU: .*\\(unavailable\\)" \
	"the status says what of ToMToU is not seen"

L=$LISTS/1030
# violations FILE / measured FILE: entries naming FILE with a zero digest, and with another.
zeros=sha256:0000000000000000000000000000000000000000000000000000000000000000
violations() { awk -v f="$1" -v z="$zeros" '$5 == f && $4 == z' "$L/ascii_runtime_measurements" | wc -l; }
measured() { awk -v f="$1" -v z="$zeros" '$5 == f && $4 != z' "$L/ascii_runtime_measurements" | wc -l; }

# A host process holds "held" open for write (and writes nothing) while the container reads it
# twice, then lets it go; the container reads it once more.
mkfifo "$T_TMP/holding" "$T_TMP/release" "$T_TMP/go" "$T_TMP/released"
sh -c "exec 3>>'$FS/held'; echo >'$T_TMP/holding'; read x <'$T_TMP/release'" &
holder=$!
started "$holder"
read -r x <"$T_TMP/holding"
cn run --id 1030 -- sh -c "cat '$FS/held' >/dev/null; cat '$FS/held' >/dev/null
	read x <'$T_TMP/go'; cat '$FS/held' >/dev/null
	echo more >>'$FS/own'" &
container=$!
started "$container"
two_violations() { [ "$(violations "$FS/held")" = 2 ]; }
wait_until 20 "two open_writers violations for the held file" two_violations
expect_eq "$(measured "$FS/held")" 1 "the held file's measurement, beside its violations"
expect_eq "$(awk -v f="$FS/held" '$5 == f { print ($4 == z) ? "v" : "m" }' z="$zeros" \
	"$L/ascii_runtime_measurements" | tr -d '\n')" vmv "violation, measurement, violation (IMA's order)"
echo release >"$T_TMP/release"
wait "$holder" || fail "the holder failed"
echo go >"$T_TMP/go"
wait "$container" || fail "the container failed"
T_STARTED=
expect_eq "$(violations "$FS/held")" 2 "a read after the writer closed the file"
# The container's own append (a single-threaded shell's open for write): no violation, as in
# IMA, where an open for write is checked for ToMToU only.
expect_eq "$(violations "$FS/own")" 0 "the opener's own open for write"
expect_eq "$(measured "$FS/own")" 1 "the file the container appended to, measured"
expect_eq "$(integrity violations)" 2 "the status's violations"
# Each violation also has its record, as IMA's INTEGRITY_PCR.
expect_eq "$(grep -c "^type=CONTAINER_INTEGRITY msg=audit([0-9.:]*): op=invalid_pcr cause=open_writers contid=1030 pid=[0-9]* file=\"$FS/held\" res=1$" "$T_AUDIT")" \
	2 "the open_writers violations' records"
integrity_verify "$L" "a list with open_writers violations"
evmctl ima_measurement --pcrs "sha256,$L/pcrs-sha256" "$L/binary_runtime_measurements" \
	>"$T_TMP/evmctl.out" 2>&1 && fail "evmctl accepted violations without --ignore-violations"

# ToMToU as canister sees it: a host process keeps writing a byte into a big file while a
# container reads it, until canisterd's hash of it is torn (its ctime moved meanwhile).
L=$LISTS/1031
dd if=/dev/zero of="$FS/big" bs=1M count=64 status=none || fail "cannot write the big file"
sh -c "while [ ! -e '$T_TMP/stop' ]; do printf x 1<>'$FS/big'; done" &
writer=$!
started "$writer"
torn() { grep -q "integrity: $FS/big changed while it was measured (pid [0-9]*): a ToMToU violation" "$T_LOG"; }
reads_until_torn()
{
	cn run --id 1031 -- cat "$FS/big" >/dev/null || fail "the container's read of the big file failed"
	torn
}
wait_until 60 "a violation for a file written while canisterd hashed it" reads_until_torn
touch "$T_TMP/stop"
wait "$writer"
T_STARTED=
[ "$(violations "$FS/big")" -ge 1 ] || fail "no violation entry for the torn file"
expect_record "op=invalid_pcr cause=ToMToU contid=1031 pid=[0-9]+ file=\"$FS/big\" res=1$" \
	"the torn file's violation record"
integrity_verify "$L" "a list with a ToMToU violation"
