# SPDX-License-Identifier: GPL-2.0-only
# canisterd without -f: goes to the background only once it serves, says where state and log are.
. "$(dirname "$0")/../lib/harness.sh"

echo "log_file = $T_TMP/log/canisterd.log" >>"$T_CONF"
out=$("$CANISTERD" -c "$T_CONF" 2>&1) || fail "canisterd in the background failed: $out"
expect_match "$out" "running in trace mode" "start-up banner relayed"
expect_match "$out" "maps and links pinned at $T_PIN; control socket $T_SOCK" "state location"
expect_match "$out" "log: $T_TMP/log/canisterd.log" "log location"
# It must answer at once: the parent returned only after the socket was up.
pid=$(cn status --json | jq -r .daemon.pid) || fail "no answer right after start"
T_DAEMON_PID=
expect_match "$(cat "$T_TMP/log/canisterd.log")" "running in trace mode" "log file written"

# A second instance on the same socket is refused, and the first keeps running.
out=$("$CANISTERD" -c "$T_CONF" 2>&1) && fail "a second canisterd started on the same socket"
expect_match "$out" "another canisterd already answers on $T_SOCK" "second instance"
kill -0 "$pid" || fail "the first canisterd died"

kill -TERM "$pid"
gone() { ! kill -0 "$pid" 2>/dev/null; }
wait_until "canisterd ends on SIGTERM" gone
[ ! -e "$T_SOCK" ] || fail "socket left behind after a clean stop"
expect_match "$(cat "$T_TMP/log/canisterd.log")" "stopped; the labels stay pinned" "clean stop logged"

# A failed background start exits non-zero and says why.
printf 'mode = lsm\npin_path = %s\ncontrol_socket = %s\nlog_file = %s\n' "$T_PIN" "$T_SOCK" \
	"$T_TMP/log/canisterd.log" >"$T_TMP/lsm.conf"
out=$("$CANISTERD" -c "$T_TMP/lsm.conf" 2>&1) && fail "a failing background start exited 0"
expect_match "$out" "mode = lsm in the config, but" "failure relayed from the background"
