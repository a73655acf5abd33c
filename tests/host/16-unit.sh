# SPDX-License-Identifier: GPL-2.0-only
# canisterd.service: systemd-analyze verifies it; canisterd under its capability bound
# and NoNewPrivileges (setpriv: systemd is not PID 1 on every test machine) says
# READY=1 to $NOTIFY_SOCKET only once its control socket serves, RELOADING=1 and
# READY=1 around a SIGHUP reload, and STOPPING=1 when it stops.
. "$(dirname "$0")/../lib/harness.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
unit=$root/systemd/canisterd.service
real=$(command -v "$CANISTERD")

# verify needs ExecStart to name an existing binary: the one under test.
command -v systemd-analyze >/dev/null || fail "systemd-analyze (Debian systemd) is missing"
mkdir "$T_TMP/unit"
sed "s|^ExecStart=/usr/sbin/canisterd|ExecStart=$real|" "$unit" >"$T_TMP/unit/canisterd.service"
# Documentation= names man pages, which may not be installed here.
systemd-analyze verify --man=no "$T_TMP/unit/canisterd.service" >"$T_TMP/verify" 2>&1 ||
	fail "systemd-analyze verify failed: $(cat "$T_TMP/verify")"
# It warns, and exits 0, on unknown keys and bad values: any output is a failure.
[ ! -s "$T_TMP/verify" ] || fail "systemd-analyze verify: $(cat "$T_TMP/verify")"
grep -qx 'Type=notify' "$unit" || fail "the unit is not Type=notify"
grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit" || fail "the unit does not reload by SIGHUP"

# The unit's CapabilityBoundingSet, as setpriv spells it: -all,+bpf,+perfmon,...
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z ' 'a-z\n' | sed -n 's/^cap_/+/p' | paste -sd, -)
[ -n "$caps" ] || fail "no CapabilityBoundingSet in the unit"
cat >"$T_TMP/canisterd" <<WRAP
#!/bin/sh
exec setpriv --bounding-set -all,$caps --no-new-privs "$real" "\$@"
WRAP
chmod +x "$T_TMP/canisterd"
CANISTERD=$T_TMP/canisterd

notify_log=$T_TMP/notify.log
tool notify-listen "$T_TMP/notify.sock" "$notify_log" -- "$CANISTER" --socket "$T_SOCK" status &
listener=$!
started "$listener"
wait_for_file_exists() { [ -S "$T_TMP/notify.sock" ]; }
wait_until 10 "notify-listen's socket" wait_for_file_exists

NOTIFY_SOCKET=$T_TMP/notify.sock start_daemon
wait_for_line "$notify_log" "^READY=1 MAINPID=$T_DAEMON_PID STATUS=serving on $T_SOCK in trace mode\$" "readiness"
wait_for_line "$notify_log" '^CMD exit' "canister status at READY=1"
# The first message is READY=1, and canister status, run the moment it came, got an answer.
expect_match "$(head -n 2 "$notify_log")" "^READY=1 .*
CMD exit 0\$" "READY=1 only once the control socket serves"
expect_eq "$(grep -v '^CMD' "$notify_log" | grep -c 'READY=1')" 1 "one READY=1 at start"
expect_eq "$(awk '/^CapBnd/ { print $2 }' "/proc/$T_DAEMON_PID/status")" \
	"$(setpriv --bounding-set -all,"$caps" awk '/^CapBnd/ { print $2 }' /proc/self/status)" \
	"canisterd runs with the unit's bounding set"

# Under that bound canisterd registers, and the label is inherited.
out=$(cn run --id 42 -- sh -c "\"$CANISTER\" --socket \"$T_SOCK\" get \$\$") || fail "canister run under the bound"
expect_eq "$out" 42 "contid under the unit's capability bound"
expect_record "op=set opid=[0-9]+ contid=42 old-contid=-1 .*res=1\$" "set record"

# Reload: RELOADING=1, then READY=1 (canisterd serving again).
kill -HUP "$T_DAEMON_PID"
wait_for_line "$notify_log" '^RELOADING=1$' "RELOADING=1 on SIGHUP"
wait_for_line "$notify_log" "^READY=1 STATUS=serving on $T_SOCK in trace mode\$" "READY=1 after the reload"
# notify-listen runs canister status when READY=1 comes: its line follows, not at once.
two_status_runs() { [ "$(grep -c '^CMD exit' "$notify_log")" -ge 2 ]; }
wait_until "canister status after the reload" two_status_runs
expect_eq "$(grep -c '^CMD exit 0$' "$notify_log")" 2 "canister status answered after the reload"
# A bad file: refused, canisterd says so and is ready again with what it had.
echo 'no_such_key = 1' >>"$T_CONF"
kill -HUP "$T_DAEMON_PID"
wait_for_line "$notify_log" '^READY=1 STATUS=reload refused, previous settings kept: .*no_such_key' "refused reload"

stop_daemon
wait_for_line "$notify_log" '^STOPPING=1$' "STOPPING=1 at the stop"
wait "$listener" || fail "notify-listen failed"
! grep -q 'from pid' "$notify_log" || fail "a message came from another pid: $(cat "$notify_log")"
