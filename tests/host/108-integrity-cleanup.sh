# SPDX-License-Identifier: GPL-2.0-only
# canister: an integrity case whose canisterd does not stop cleanly still unmounts its tmpfs,
# removes its files and pins, and fails: a case (written here) kills its canisterd, so the
# stop in its EXIT trap (integrity_cleanup) fails.
. "$(dirname "$0")/../lib/harness.sh"
trap t_cleanup EXIT

LIB=$(cd "$(dirname "$0")/../lib" && pwd)
CASE=$T_TMP/108-dies.sh
cat >"$CASE" <<CASE
. "$LIB/harness.sh"
. "$LIB/integrity.sh"
integrity_setup 'measure func=BPRM_CHECK
'
trap 'integrity_cleanup "\$FS"' EXIT
echo "fs \$FS" >"$T_TMP/child"
echo "pins \$T_PIN" >>"$T_TMP/child"
start_daemon
kill -KILL "\$T_DAEMON_PID"
exit 0
CASE
T_LIB=$LIB sh "$CASE" >"$T_TMP/out" 2>&1
status=$?
[ "$status" -ne 0 ] || fail "a case whose canisterd died passed: $(cat "$T_TMP/out")"
grep -q "canisterd exited with status 137 on SIGTERM" "$T_TMP/out" ||
	fail "the case did not say its stop failed: $(cat "$T_TMP/out")"
fs=$(sed -n 's/^fs //p' "$T_TMP/child")
pins=$(sed -n 's/^pins //p' "$T_TMP/child")
[ -n "$fs" ] || fail "the case did not name its tmpfs"
! grep -q " $fs " /proc/mounts || {
	umount "$fs"
	fail "the case's tmpfs $fs is still mounted after its stop failed"
}
[ ! -e "$(dirname "$fs")" ] || fail "the case's directory $(dirname "$fs") is left"
[ ! -e "$pins" ] || fail "the case's pins $pins are left"
