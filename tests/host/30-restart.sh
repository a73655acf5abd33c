# SPDX-License-Identifier: GPL-2.0-only
# A restart reuses the pinned maps and links: no label is lost, not even of a fork made meanwhile.
. "$(dirname "$0")/../lib/harness.sh"

start_daemon
# CMD forks once now and once while the daemon is down.
cn run --id 900 -- sh -c 'echo $$ >'"$T_TMP"'/c.pid
	sh '"$T_AWAIT"' '"$T_TMP"'/go || exit 1
	sh -c "echo \$\$ >'"$T_TMP"'/late.pid; exec sleep 30"' &
runner=$!
wait_for_file "$T_TMP/c.pid"
child=$(cat "$T_TMP/c.pid")
expect_eq "$(cn get "$child")" 900 "before the restart"

stop_daemon
[ -e "$T_PIN/labels" ] || fail "labels map not pinned at $T_PIN/labels after stop"
[ -e "$T_PIN/links/canister_fork" ] || fail "fork link not pinned after stop"
touch "$T_TMP/go"
wait_for_file "$T_TMP/late.pid"
late=$(cat "$T_TMP/late.pid")

start_daemon
expect_eq "$(cn get "$child")" 900 "after the restart"
expect_eq "$(cn get "$late")" 900 "a process forked while canisterd was down"
# The restart replaced the links, it did not stack them: still exactly one pin per program.
expect_eq "$(ls "$T_PIN/links" | tr '\n' ' ')" "canister_access_trace_autobind canister_access_trace_bind canister_access_trace_connect canister_access_trace_fastopen canister_exec canister_exit canister_fork canister_isolation_trace canister_setns_enter canister_setns_exit canister_unshare_enter canister_unshare_exit " "pinned links"

kill "$late"
wait "$runner"
stop_daemon

# A daemon killed outright leaves its socket behind; the next one takes over, labels intact.
start_daemon
cn run --id 901 -- sh -c 'echo $$ >'"$T_TMP"'/k.pid; exec sleep 30' &
runner=$!
wait_for_file "$T_TMP/k.pid"
kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
[ -S "$T_SOCK" ] || fail "expected a stale socket after SIGKILL"
start_daemon
expect_eq "$(cn get "$(cat "$T_TMP/k.pid")")" 901 "after a SIGKILL restart"
kill "$(cat "$T_TMP/k.pid")"
wait "$runner"
stop_daemon

# --unload forgets everything and refuses while a daemon runs.
start_daemon
out=$("$CANISTERD" --unload -c "$T_CONF" 2>&1) && fail "--unload succeeded with a daemon running"
expect_match "$out" "stop it before --unload" "unload refusal"
stop_daemon
"$CANISTERD" --unload -c "$T_CONF" >/dev/null || fail "--unload failed"
[ ! -e "$T_PIN" ] || fail "$T_PIN still exists after --unload"
