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

# A (1010) is an orchestrator that lives to the end (grants go with their container) with a
# container nested in it (1013): A signals 1013, 1013 does not signal A.
cn run --id 1010 --name outer -- sh -c '
	echo $$ >'"$T_TMP"'/outer.pid
	sh '"$T_AWAIT"' '"$T_TMP"'/go || exit 1
	canister --socket '"$T_SOCK"' run --id 1013 --name inner -- sh -c "
		echo \$\$ >'"$T_TMP"'/inner.pid
		kill -0 $$ 2>/dev/null && echo ok >'"$T_TMP"'/inner-to-outer || echo refused >'"$T_TMP"'/inner-to-outer
		sh '"$T_AWAIT"' '"$T_TMP"'/done 600" &
	sh '"$T_AWAIT"' -s '"$T_TMP"'/inner-to-outer || exit 1
	kill -0 "$(cat '"$T_TMP"'/inner.pid)" 2>/dev/null && echo ok >'"$T_TMP"'/outer-to-inner ||
		echo refused >'"$T_TMP"'/outer-to-inner
	sh '"$T_AWAIT"' '"$T_TMP"'/done 600' &
started $!
# B (1011): root and uid 1000; C (1012): root; a host process.
# (uid 1000 cannot read $T_TMP: its process sleeps, and the case's end kills it.)
cn run --id 1011 -- sh -c "run-as 1000 sleep 600 & echo \$! >'$T_TMP/b1000.pid'
	echo \$\$ >'$T_TMP/b0.pid'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
cn run --id 1012 -- sh -c "echo \$\$ >'$T_TMP/c.pid'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
sh "$T_AWAIT" "$T_TMP/done" 600 &
HOST_PID=$!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate"
touch "$T_TMP/go"
wait_for_file "$T_TMP/b0.pid"
wait_for_file "$T_TMP/b1000.pid"
wait_for_file "$T_TMP/c.pid"
B0=$(cat "$T_TMP/b0.pid")
B1000=$(cat "$T_TMP/b1000.pid")
C=$(cat "$T_TMP/c.pid")
b_labelled() { cn get "$B1000" | grep -q '^1011'; }
wait_until "B's uid-1000 process labelled" b_labelled
[ "$(awk '/^Uid:/ { print $3 }' "/proc/$B1000/status")" = 1000 ] || fail "B's process is not uid 1000"
wait_for_file "$T_TMP/outer-to-inner"
expect_eq "$(cat "$T_TMP/outer-to-inner")" ok "A signalling a container nested in it"
expect_eq "$(cat "$T_TMP/inner-to-outer")" refused "a nested container signalling its parent container"

# probe ID UID ACTION...: what one process of container ID running as UID gets, a word per
# try: s:PID is two (signal 0, then SIGCONT), p:PID one (ptrace attach), own one (signal 0
# to a process of its own container).  One `canister run` for all: TCG makes each slow.
probe()
{
	pr_id=$1 pr_uid=$2
	shift 2
	pr_script=
	for pr_action in "$@"; do
		case $pr_action in
		s:*) pr_script="$pr_script
			for sig in 0 CONT; do kill -\$sig ${pr_action#s:} 2>/dev/null && echo ok || echo refused; done" ;;
		p:*) pr_script="$pr_script
			ptrace-attach ${pr_action#p:} >/dev/null 2>&1 && echo ok || echo refused" ;;
		own) pr_script="$pr_script
			sleep 600 & kill -0 \$! 2>/dev/null && echo ok || echo refused; kill \$!" ;;
		esac
	done
	cn run --id "$pr_id" -- run-as "$pr_uid" sh -c "$pr_script" | tr '\n' ' '
}

# --- isolated ------------------------------------------------------------------------------------
expect_eq "$(probe 1010 0 s:"$B0" s:"$B1000" s:"$C" s:"$HOST_PID" p:"$B0" p:"$B1000" own)" \
	"refused refused refused refused refused refused refused refused refused refused ok " \
	"A's root signalling B's root, B's uid 1000, C and a host process, attaching to B's two, signalling its own"
expect_record "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=signal contid=1010 by=1010 pid=[0-9]+ target=\"pid:$B0,uid:0,contid:1011\" right=signal cause=cross-container mode=enforce res=0" \
	"the record of a refused signal"
expect_record "op=signal contid=1010 by=1010 pid=[0-9]+ target=\"pid:$HOST_PID,uid:0,host\" right=signal cause=cross-container" \
	"the record of a refused signal to the host"
# The host toward everyone.
kill -0 "$B0" && kill -0 "$C" && kill -0 "$B1000" || fail "the host signalling containers"
expect_eq "$(tool ptrace-attach "$B0")" ok "host root attaching to B's root"

# --- host-admin, then revoked --------------------------------------------------------------------
cn grant 1010 host-admin || fail "grant host-admin"
expect_eq "$(probe 1010 0 s:"$B0" s:"$C" s:"$HOST_PID" p:"$B0" p:"$HOST_PID")" \
	"ok ok ok ok ok ok ok ok " "A's root with host-admin: B's root, C, the host, attaching to B's root and the host"
# The grant is A's: B gains nothing.
expect_eq "$(probe 1011 0 s:"$C")" "refused refused " "B signalling C while A holds host-admin"
cn revoke 1010 host-admin || fail "revoke host-admin"
expect_eq "$(probe 1010 0 s:"$B0" p:"$B0")" "refused refused refused " \
	"A's root after the revoke: B's root"

# --- a credential: exactly B's uid 1000 -------------------------------------------------------
cn grant 1010 --as 1011:1000 || fail "grant a credential"
expect_eq "$(probe 1010 0 s:"$B1000" p:"$B1000" s:"$B0" p:"$B0" s:"$C")" \
	"ok ok ok refused refused refused refused refused " \
	"A's root with --as 1011:1000: B's uid 1000 yes, B's root and C no"
cn revoke 1010 --as 1011:1000 || fail "revoke the credential"
# --uid: only A's processes running as that uid hold it.
cn grant 1010 --uid 1000 --as 1011:1000 || fail "grant a credential for A's uid 1000"
expect_eq "$(probe 1010 1000 s:"$B1000")" "ok ok " "A's uid 1000 with --uid 1000 --as 1011:1000"
expect_eq "$(probe 1010 0 s:"$B1000")" "refused refused " "A's root with --uid 1000 --as 1011:1000"

# --- canisterd stopped: the pinned programs decide from the pinned grants ----------------------
# A's helper, as uid 1000, tries once canisterd is gone (it writes as root, its own parent).
cn run --id 1010 -- sh -c "echo ready >'$T_TMP/helper-ready'
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
expect_match "$(cn status)" "  isolation signal: canisterd: enforced \(BPF LSM task_kill, and prlimit, nice, ioprio, sched, page moves, /proc/PID and cgroup writes\), grants aside" \
	"the status of isolation in lsm mode"
stop_daemon
