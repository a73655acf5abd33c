# SPDX-License-Identifier: GPL-2.0-only
# examples/logrotate/canister as logrotate runs it: the live audit_log is moved to a dated name, its
# postrotate SIGUSR1 makes canisterd start a fresh one, and no record is lost or lands in the old one.
. "$(dirname "$0")/../lib/harness.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
command -v logrotate >/dev/null || fail "logrotate is not installed (scripts/install-deps)"
start_daemon

# The shipped file, aimed at this case's audit_log and at this case's canisterd alone
# (pkill -x canisterd would reach the other cases' daemons too).
conf="$T_TMP/logrotate.conf"
sed -e '/^\/var\/log\/canister\//d' -e "s|^{\$|$T_AUDIT {|" \
	-e "s|pkill -USR1 -x canisterd|kill -USR1 $T_DAEMON_PID|" \
	"$root/examples/logrotate/canister" >"$conf"
grep -q "kill -USR1 $T_DAEMON_PID" "$conf" || fail "the postrotate line changed: $(cat "$conf")"

cn run --id 7 -- true || fail "canister run"
expect_record "op=drop .*old-contid=7" "a record before the rotation"
before=$(stat -c %i "$T_AUDIT")
logrotate -f -s "$T_TMP/logrotate.state" "$conf" >"$T_TMP/logrotate.out" 2>&1 ||
	fail "logrotate: $(cat "$T_TMP/logrotate.out")"
wait_for_line "$T_LOG" "SIGUSR1 from pid [0-9]+: rotated audit_log \\($T_AUDIT\\)" "the rotation by SIGUSR1"

moved=$(ls "$T_AUDIT"-* 2>/dev/null)
[ -n "$moved" ] || fail "logrotate left no dated file: $(ls -l "$T_TMP")"
expect_eq "$(stat -c %i "$moved")" "$before" "the old audit_log under its dated name"
grep -q "old-contid=7" "$moved" || fail "the records before the rotation are not in $moved"
[ ! -e "$T_AUDIT.1" ] || fail "canisterd also shifted the moved log to audit_log.1"

# The next records go to the fresh audit_log, none to the moved one.
cn run --id 8 -- true || fail "canister run after the rotation"
expect_record "op=drop .*old-contid=8" "a record after the rotation"
! grep -q "contid=8" "$moved" || fail "a record after the rotation went to $moved"
[ "$(stat -c %i "$T_AUDIT")" != "$before" ] || fail "audit_log was not started afresh"
stop_daemon
