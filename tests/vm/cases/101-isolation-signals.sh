# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a labelled process signals and ptraces only its own container's processes and those nested in it; `canister grant A host-admin` opens every container and the host until revoked; a credential --as B:1000 opens exactly B's uid-1000 processes (not B's root, not another container); --uid narrows it to the holder's uid; refusals are CONTAINER_ACCESS records; the pinned programs keep deciding from the grants while canisterd is stopped.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

HOST_PID=
B1000=
# shellcheck disable=SC2317 # called from the EXIT trap
stop_targets()
{
	for target in $HOST_PID $B1000; do
		kill "$target" 2>/dev/null
	done
	touch "$T_TMP/done"
	kill_started
}
trap 'stop_targets; t_cleanup' EXIT

start_daemon
refused="refused: Operation not permitted"

# B (1011): root and uid 1000; C (1012): root; a host process.
# (uid 1000 cannot read $T_TMP: its process sleeps, and the case's end kills it.)
cn run --id 1011 -- sh -c "run-as 1000 sleep 600 & echo \$! >'$T_TMP/b1000.pid'
	echo \$\$ >'$T_TMP/b0.pid'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
cn run --id 1012 -- sh -c "echo \$\$ >'$T_TMP/c.pid'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
sh "$T_AWAIT" "$T_TMP/done" 600 &
HOST_PID=$!
wait_for_file "$T_TMP/b0.pid"
wait_for_file "$T_TMP/b1000.pid"
wait_for_file "$T_TMP/c.pid"
B0=$(cat "$T_TMP/b0.pid")
B1000=$(cat "$T_TMP/b1000.pid")
C=$(cat "$T_TMP/c.pid")
b_labelled() { cn get "$B1000" | grep -q '^1011'; }
wait_until "B's uid-1000 process labelled" b_labelled
[ "$(awk '/^Uid:/ { print $3 }' "/proc/$B1000/status")" = 1000 ] || fail "B's process is not uid 1000"

# signal_as ID TARGET [UID]: what container ID's root (or UID) gets for kill -0 and kill -CONT.
signal_as()
{
	sa_run=
	[ -n "${3:-}" ] && sa_run="run-as $3"
	cn run --id "$1" -- $sa_run sh -c "kill -0 $2 2>/dev/null && echo ok || echo refused
		kill -CONT $2 2>/dev/null && echo ok || echo refused"
}
expect_signals() # ID TARGET EXPECTED WHAT [UID]
{
	expect_eq "$(signal_as "$1" "$2" "${5:-}")" "$3
$3" "$4: signal 0 and SIGCONT"
}
attach_as() { cn run --id "$1" -- ptrace-attach "$2"; }

# --- isolated ------------------------------------------------------------------------------------
expect_signals 1010 "$B0" refused "A signalling B's root"
expect_signals 1010 "$B1000" refused "A signalling B's uid 1000"
expect_signals 1010 "$C" refused "A signalling C"
expect_signals 1010 "$HOST_PID" refused "A signalling a host process"
expect_eq "$(attach_as 1010 "$B0")" "$refused" "A attaching to B's root"
expect_eq "$(attach_as 1010 "$B1000")" "$refused" "A attaching to B's uid 1000"
expect_record "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=signal contid=1010 by=1010 pid=[0-9]+ target=\"pid:$B0,uid:0,contid:1011\" right=signal cause=cross-container mode=enforce res=0" \
	"the record of a refused signal"
expect_record "op=signal contid=1010 by=1010 pid=[0-9]+ target=\"pid:$HOST_PID,uid:0,host\" right=signal cause=cross-container" \
	"the record of a refused signal to the host"
# Its own container, and the host toward everyone.
expect_eq "$(cn run --id 1010 -- sh -c 'sleep 600 & kill -0 $! && echo ok; kill $!')" ok \
	"A signalling its own process"
kill -0 "$B0" && kill -0 "$C" || fail "the host signalling containers"
expect_eq "$(tool ptrace-attach "$B0")" ok "host root attaching to B's root"

# A container nested in A: A signals it; it does not signal A.
cn run --id 1010 --name outer -- sh -c '
	echo $$ >'"$T_TMP"'/outer.pid
	sh '"$T_AWAIT"' '"$T_TMP"'/go || exit 1
	canister --socket '"$T_SOCK"' run --id 1013 --name inner -- sh -c "
		echo \$\$ >'"$T_TMP"'/inner.pid
		kill -0 $$ 2>/dev/null && echo ok >'"$T_TMP"'/inner-to-outer || echo refused >'"$T_TMP"'/inner-to-outer
		sh '"$T_AWAIT"' '"$T_TMP"'/done" &
	sh '"$T_AWAIT"' -s '"$T_TMP"'/inner-to-outer || exit 1
	kill -0 "$(cat '"$T_TMP"'/inner.pid)" 2>/dev/null && echo ok >'"$T_TMP"'/outer-to-inner ||
		echo refused >'"$T_TMP"'/outer-to-inner
	touch '"$T_TMP"'/nested-done
	wait' &
started $!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate"
touch "$T_TMP/go"
wait_for_file "$T_TMP/nested-done"
expect_eq "$(cat "$T_TMP/outer-to-inner")" ok "A signalling a container nested in it"
expect_eq "$(cat "$T_TMP/inner-to-outer")" refused "a nested container signalling its parent container"

# --- host-admin, then revoked --------------------------------------------------------------------
cn grant 1010 host-admin || fail "grant host-admin"
expect_signals 1010 "$B0" ok "A with host-admin signalling B's root"
expect_signals 1010 "$C" ok "A with host-admin signalling C"
expect_signals 1010 "$HOST_PID" ok "A with host-admin signalling a host process"
expect_eq "$(attach_as 1010 "$B0")" ok "A with host-admin attaching to B's root"
expect_eq "$(attach_as 1010 "$HOST_PID")" ok "A with host-admin attaching to a host process"
# The grant is A's: B gains nothing.
expect_signals 1011 "$C" refused "B signalling C while A holds host-admin"
cn revoke 1010 host-admin || fail "revoke host-admin"
expect_signals 1010 "$B0" refused "A signalling B's root after the revoke"
expect_eq "$(attach_as 1010 "$B0")" "$refused" "A attaching to B's root after the revoke"

# --- a credential: exactly B's uid 1000 -------------------------------------------------------
cn grant 1010 --as 1011:1000 || fail "grant a credential"
expect_signals 1010 "$B1000" ok "A with --as 1011:1000 signalling B's uid 1000"
expect_eq "$(attach_as 1010 "$B1000")" ok "A with --as 1011:1000 attaching to B's uid 1000"
expect_signals 1010 "$B0" refused "A with --as 1011:1000 signalling B's root"
expect_eq "$(attach_as 1010 "$B0")" "$refused" "A with --as 1011:1000 attaching to B's root"
expect_signals 1010 "$C" refused "A with --as 1011:1000 signalling C"
cn revoke 1010 --as 1011:1000 || fail "revoke the credential"
# --uid: only A's processes running as that uid hold it.
cn grant 1010 --uid 1000 --as 1011:1000 || fail "grant a credential for A's uid 1000"
expect_signals 1010 "$B1000" ok "A's uid 1000 with --uid 1000 --as 1011:1000" 1000
expect_signals 1010 "$B1000" refused "A's root with --uid 1000 --as 1011:1000"

# --- canisterd stopped: the pinned programs decide from the pinned grants ----------------------
# A's helper, as uid 1000, tries once canisterd is gone (it writes as root, its own parent).
cn run --id 1010 -- sh -c "touch '$T_TMP/helper-ready'
	sh '$T_AWAIT' '$T_TMP/stopped' 600 || exit 1
	for target in $B1000 $B0; do
		run-as 1000 kill -0 \$target 2>/dev/null && echo ok || echo refused
	done >'$T_TMP/while-stopped.tmp'
	mv '$T_TMP/while-stopped.tmp' '$T_TMP/while-stopped'" &
started $!
wait_for_file "$T_TMP/helper-ready"
stop_daemon
touch "$T_TMP/stopped"
wait_for_file "$T_TMP/while-stopped"
expect_eq "$(cat "$T_TMP/while-stopped")" "ok
refused" "A's uid 1000, canisterd stopped: its credential holds for B's uid 1000, not B's root"
start_daemon
expect_eq "$(cn grant 1010 --list)" "credential --uid 1000 --as 1011:1000" "the grant after a restart"
expect_signals 1010 "$B1000" ok "after a restart, A's uid 1000 signalling B's uid 1000" 1000
expect_match "$(cn status)" "  isolation signal: canisterd: enforced \(BPF LSM task_kill\), grants aside" \
	"the status of isolation in lsm mode"
stop_daemon
