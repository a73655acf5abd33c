# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode: the model observers' per-container budget: a container that sends thousands of signals has all but its budget dropped in the kernel and counted (its own counter and the total), while another wanted container's events, at the same time, all arrive; an unwanted container's storm is neither reported nor counted.
. "${T_LIB:-$(dirname "$0")/../lib}/harness.sh"

OBSERVE="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-observe"
WORKLOAD="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-workload"
EVENTS="$T_TMP/events.jsonl"
STORM=3000
observer=

# shellcheck disable=SC2317 # called from the EXIT trap
stop_all()
{
	[ -f "$T_TMP/done-quiet" ] && kill -TERM "$(cut -d' ' -f2 "$T_TMP/done-quiet")" 2>/dev/null
	if [ -n "$observer" ]; then
		kill -TERM "$observer" 2>/dev/null
		wait "$observer" 2>/dev/null
	fi
}
trap 'stop_all; t_cleanup' EXIT

start_daemon
head -c 4096 /dev/urandom >"$T_TMP/lib.bin"
sleep 600 &
host_pid=$!
started "$host_pid"

# 20 records a second and 200 at once for each of 1361 (noisy) and 1362 (quiet).
"$OBSERVE" --identity-pin "$T_PIN" --contid 1361 --contid 1362 --budget 20 --burst 200 \
	--ready "$T_TMP/ready" >"$EVENTS" 2>"$T_TMP/observe.err" &
observer=$!
poll_until "$T_WAIT" test -e "$T_TMP/ready" || fail "no observers: $(cat "$T_TMP/observe.err")"

# The storms (SIGCONT to itself, STORM times, from sh's builtin kill), an unwanted one beside.
storm='i=0; while [ $i -lt '"$STORM"' ]; do kill -CONT $$; i=$((i + 1)); done'
cn run --id 1363 -- sh -c "$storm" >"$T_TMP/unwanted.out" 2>&1 &
started $!
cn run --id 1361 -- sh -c "$storm; echo stormed >'$T_TMP/stormed'" >"$T_TMP/noisy.out" 2>&1 &
started $!
# The quiet container's events while the storm goes on (or right after it, on a fast machine).
cn run --id 1362 -- "$WORKLOAD" "$host_pid" 7363 "$T_TMP/lib.bin" "$T_TMP/done-quiet" \
	>"$T_TMP/quiet.out" 2>&1 &
started $!
wait_for_line "$T_TMP/done-quiet" '^(ok|failed)' "the quiet workload"
grep -q '^ok ' "$T_TMP/done-quiet" || fail "the quiet workload failed: $(cat "$T_TMP/quiet.out")"
wait_for_file "$T_TMP/stormed"
wait_for_line "$EVENTS" '"contid": "1362".*"socket_bind": \{ "family": "2", "type": "1", "protocol": "6", "port": "7373"' \
	"the quiet container's last bind"
for event in task_kill ptrace_access_check socket_create socket_bind socket_connect socket_listen \
	socket_accept task_fix_setuid task_fix_setgid sb_mount mmap_file; do
	grep -q "\"contid\": \"1362\".*\"type\": \"$event\"\\|\"type\": \"$event\", \"contid\": \"1362\"" "$EVENTS" ||
		fail "the quiet container's $event is missing beside the storm"
done

kill -TERM "$observer"
wait "$observer" || fail "model-observe exited with $?: $(tail -3 "$T_TMP/observe.err")"
observer=
noisy=$(sed -n 's/^container 1361 emitted=\([0-9]*\) over_budget=\([0-9]*\) .*/\1 \2/p' "$T_TMP/observe.err")
quiet=$(sed -n 's/^container 1362 emitted=\([0-9]*\) over_budget=\([0-9]*\) .*/\1 \2/p' "$T_TMP/observe.err")
[ -n "$noisy" ] && [ -n "$quiet" ] || fail "no per-container counters: $(tail -5 "$T_TMP/observe.err")"
set -- $noisy
# The burst, and 20 a second for however long the storm and the reading took (at most T_WAIT).
[ "$2" -gt 0 ] && [ "$1" -le $((200 + 20 * (T_WAIT + 10))) ] && [ $(($1 + $2)) -ge "$STORM" ] ||
	fail "the noisy container: emitted $1, over budget $2 (of at least $STORM events)"
set -- $quiet
expect_eq "$2" 0 "the quiet container lost nothing to the budget"
grep -Eq "^counts emitted=[0-9]+ over_budget=$(echo "$noisy" | cut -d' ' -f2) ring_full=0 " "$T_TMP/observe.err" ||
	fail "the total over_budget is the noisy container's: $(grep '^counts' "$T_TMP/observe.err")"
expect_eq "$(grep -c '"contid": "1363"' "$EVENTS")" 0 "the unwanted container's storm is not reported"
exit 0
