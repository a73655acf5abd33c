# SPDX-License-Identifier: GPL-2.0-only
# canister: the file gate (integrity/gate.c) on its own, through tests/tools/gate-run: host
# processes pass, a container's opens wait for a verdict, a judge never waits on canisterd's own
# opens, a late or crowded verdict follows the fail policy, and a stuck judge cannot hold a stop.
. "$(dirname "$0")/../lib/harness.sh"

FS=$T_TMP/fs
GATE=
mkdir -p "$FS" "$T_TMP/bin"
mount -t tmpfs none "$FS" || fail "cannot mount a tmpfs"
cp /bin/true "$FS/true"
cp /bin/true "$FS/bad"
echo data >"$FS/data"
# Who is in a container, for gate-run: a process named cnN-..., here a shell.
cp /bin/dash "$T_TMP/bin/cn1-sh"
cp /bin/dash "$T_TMP/bin/cn2-sh"

gate_down()
{
	[ -n "$GATE" ] || return 0
	kill -TERM "$GATE" 2>/dev/null
	wait "$GATE"
	GATE=
}
trap 'gate_down; umount "$FS"; t_cleanup' EXIT

gate_up()
{
	rm -f "$T_TMP/stats" "$T_TMP/gate.out"
	# Not through tool(): a function in the background is a subshell, and $! would be its pid.
	"${CANISTER_TOOLS:+$CANISTER_TOOLS/}gate-run" "$@" "$T_TMP/stats" "$FS" >"$T_TMP/gate.out" 2>&1 &
	GATE=$!
	wait_until "the gate ready" grep -q '^ready$' "$T_TMP/gate.out"
}

# at_least NAME N: the gate's counter NAME has reached N (it rewrites its stats on SIGUSR1).
at_least()
{
	kill -USR1 "$GATE"
	al_value=$(sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$T_TMP/stats" 2>/dev/null)
	[ "${al_value:-0}" -ge "$2" ]
}
counter() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$T_TMP/stats"; }
in_container() { "$T_TMP/bin/cn$1-sh" -c "$2"; }

# Verdicts: the host passes unjudged, a container's exec is judged.
gate_up --deny bad
"$FS/true" || fail "a host exec through the gate failed"
"$FS/bad" || fail "a host exec of a file the judge denies containers failed"
wait_until "host execs counted" at_least host 2
expect_eq "$(in_container 1 "$FS/true 2>&1; echo \$?")" 0 "a container's exec the judge allows"
expect_match "$(in_container 1 "$FS/bad 2>&1; echo \$?")" "Operation not permitted" "a container's exec the judge denies"
wait_until "both judged" at_least judged 2
expect_eq "$(counter denied)" 1 "denied"
expect_match "$(cat "$T_TMP/gate.out")" "judged pid [0-9]+ container 1 $FS/true " "the judge saw the file"
gate_down

# A judge that opens a file on a watched filesystem (canisterd's log, its lists) is answered at
# once, not by itself: without that it would wait for its own verdict.
gate_up --file-check --judge-open "$FS/data" --deadline 60000
got=$(timeout 30 "$T_TMP/bin/cn1-sh" -c "$FS/true; echo \$?")
expect_eq "$got" 0 "a container's exec while the judge opens a watched file"
wait_until "the judge's own open counted" at_least own 1
gate_down

# A verdict that comes too late: the fail policy answers at the deadline.
gate_up --fail-closed --judge-sleep 30000 --deadline 300
start=$(date +%s)
expect_match "$(in_container 1 "$FS/true 2>&1; echo \$?")" "Operation not permitted" \
	"fail closed: a container's exec whose verdict is late"
[ $(($(date +%s) - start)) -lt 15 ] || fail "the late verdict took $(($(date +%s) - start)) s"
wait_until "the late answer counted" at_least late 1
expect_eq "$(counter stuck)" 1 "the judge still reading"
# ... and a stop does not wait for that judge (it would, for 30 s).
start=$(date +%s)
gate_down
[ $(($(date +%s) - start)) -lt 10 ] || fail "the stop waited $(($(date +%s) - start)) s for a stuck judge"
gate_up --judge-sleep 30000 --deadline 300
expect_eq "$(in_container 1 "$FS/true 2>&1; echo \$?")" 0 "fail open: a container's exec whose verdict is late"
gate_down

# One container's share: its second exec, while the first waits for a slow judge, gets the fail
# policy at once; another container is still judged.
gate_up --per-container 1 --judge-sleep 2000 --deadline 60000
in_container 1 "$FS/true" &
first=$!
started $first
wait_until "the first exec taken" at_least events 1
expect_eq "$(in_container 1 "$FS/true 2>&1; echo \$?")" 0 "a second exec of the same container (fail open)"
wait_until "the second exec answered by the fail policy" at_least busy 1
expect_eq "$(in_container 2 "$FS/true 2>&1; echo \$?")" 0 "another container's exec"
wait "$first" || fail "the first exec failed"
wait_until "the first and the other container's judged" at_least judged 2
gate_down

# One container's share of the judges: with two judges, a container whose verdicts never come in
# time holds one (its second exec waits for it, and its deadline denies both); another
# container's exec is judged by the other at once.  Before, both judges took the first
# container's execs and the other's waited until its deadline denied it too.
gate_up --fail-closed --workers 2 --judge-sleep 30000 --sleep-only 1 --deadline 3000
in_container 1 "$FS/true 2>&1; echo \$?" >"$T_TMP/slow1" &
started $!
in_container 1 "$FS/true 2>&1; echo \$?" >"$T_TMP/slow2" &
started $!
wait_until "both of container 1's execs read" at_least events 2
expect_eq "$(in_container 2 "$FS/true 2>&1; echo \$?")" 0 "another container's exec, fail closed"
wait_until "container 1's execs answered by their deadline" at_least late 2
wait_for_line "$T_TMP/slow1" '^126$' "container 1's first exec"
wait_for_line "$T_TMP/slow2" '^126$' "container 1's second exec"
expect_eq "$(counter stuck)" 1 "judges still busy with container 1's files"
gate_down
