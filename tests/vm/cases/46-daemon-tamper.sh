# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a labelled root cannot OOM-target, starve, freeze, limit or move canisterd.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

CG2=$T_TMP/cg2
# The v1 freezer hierarchy stays mounted for the guest's life: in this kernel it outlives its
# unmount, and a later case's `canister run` would find it in /proc/self/cgroup under no mount
# (it warns then, on the stderr those cases compare).
FZ=/run/canister-vm-freezer
# shellcheck disable=SC2317 # called from the EXIT trap
undo_cgroups()
{
	if [ -d "$CG2/daemon" ]; then
		echo 0 >"$CG2/trap/cgroup.freeze" 2>/dev/null
		[ -z "$T_DAEMON_PID" ] || echo "$T_DAEMON_PID" >"$CG2/cgroup.procs" 2>/dev/null
		rmdir "$CG2/trap" "$CG2/daemon" 2>/dev/null
	fi
	umount "$CG2" 2>/dev/null
	if [ -d "$FZ/trap" ]; then
		echo THAWED >"$FZ/trap/freezer.state" 2>/dev/null
		[ -z "$T_DAEMON_PID" ] || echo "$T_DAEMON_PID" >"$FZ/tasks" 2>/dev/null
		rmdir "$FZ/trap" 2>/dev/null
	fi
}
trap 'undo_cgroups; t_cleanup' EXIT

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
D=$T_DAEMON_PID
refused="refused: Operation not permitted"

# OOM: canisterd lowers its own score at start, and no container raises it again.
expect_eq "$(cat /proc/"$D"/oom_score_adj)" -1000 "canisterd's own oom_score_adj"
tamper_as 70 "labelled root raising canisterd's oom_score_adj" "$refused" \
	write /proc/"$D"/oom_score_adj 1000
tamper_as 70 "labelled root writing canisterd's oom_adj" "$refused" write /proc/"$D"/oom_adj 15
for task in /proc/"$D"/task/*; do
	tamper_as 70 "labelled root writing oom_score_adj of canisterd's thread ${task##*/}" \
		"$refused" write "$task"/oom_score_adj 1000
done
tamper_as 70 "labelled root renaming canisterd (comm)" "$refused" write /proc/"$D"/comm evil
expect_eq "$(cat /proc/"$D"/oom_score_adj)" -1000 "canisterd's oom_score_adj after the attempts"
# The guard is aimed: a container's own /proc files, and the host, stay writable.
got=$(cn run --id 70 -- sh -c 'tamper write /proc/$$/oom_score_adj 500')
expect_eq "$got" ok "labelled root raising its own oom_score_adj"
tool tamper write /proc/"$D"/oom_score_adj -1000 >/dev/null || fail "host root writing canisterd's oom_score_adj"

# The guard's record of canisterd's task is frozen: no process, the host's root included, writes it.
tamper_as 70 "labelled root overwriting the guard's record of canisterd's task" "$refused" \
	map-write daemon_task
expect_eq "$(tool tamper map-write daemon_task)" "$refused" "host root overwriting it"

# Scheduling, limits, memory placement.
nice_before=$(awk '{ print $19 }' /proc/"$D"/stat)
got=$(cn run --id 71 -- renice -n 19 -p "$D" 2>&1)
expect_match "$got" "Operation not permitted|Permission denied" "labelled root renicing canisterd"
expect_eq "$(awk '{ print $19 }' /proc/"$D"/stat)" "$nice_before" "canisterd's nice value"
got=$(cn run --id 71 -- ionice -c 3 -p "$D" 2>&1)
expect_match "$got" "Operation not permitted" "labelled root setting canisterd's I/O class to idle"
got=$(cn run --id 71 -- taskset -p 1 "$D" 2>&1)
expect_match "$got" "Operation not permitted" "labelled root pinning canisterd to one CPU"
tamper_as 71 "labelled root setting canisterd's scheduling policy" "$refused" sched "$D"
tamper_as 71 "labelled root setting canisterd's resource limits (prlimit)" "$refused" prlimit "$D"
# pidfd_getfd needs PTRACE_MODE_ATTACH: the guard's ptrace hook covers it.
tamper_as 71 "labelled root taking canisterd's fd 0 (pidfd_getfd)" "$refused" pidfd-getfd "$D"
got=$(cn run --id 71 -- sh -c 'tamper sched $$; tamper prlimit $$; renice -n 5 -p $$ >/dev/null && echo ok')
expect_eq "$(echo $got)" "ok ok ok" "labelled root changing its own scheduling and limits"

# fanotify permission events would hold canisterd's opens (its config, its logs) until answered.
tamper_as 72 "labelled root marking canisterd's audit log for permission events" "$refused" \
	fanotify-perm "$T_AUDIT"
tamper_as 72 "labelled root marking the root filesystem for permission events" "$refused" \
	fanotify-perm-fs /
tamper_as 72 "labelled root marking a file for notification only" ok fanotify-notify "$T_AUDIT"

# An async-I/O signal (F_SETOWN, F_SETSIG) bypasses task_kill; it is refused and recorded.
tamper_as 72 "labelled root arming SIGIO toward canisterd" ok sigio "$D"
wait_for_line "$T_LOG" 'container 72: refused pid [0-9]+ an async-I/O signal to canisterd' \
	"refused async-I/O signal recorded"

# cgroup v2: canisterd's own cgroup cannot be frozen, limited or killed, nor canisterd moved out.
mkdir -p "$CG2"
mount -t cgroup2 none "$CG2" || fail "cannot mount cgroup2"
mkdir "$CG2/daemon" "$CG2/trap" || fail "cannot create cgroups"
echo +pids >"$CG2/cgroup.subtree_control" 2>/dev/null
echo "$D" >"$CG2/daemon/cgroup.procs" || fail "host root cannot move canisterd into a cgroup"
tamper_as 73 "labelled root freezing canisterd's cgroup" "$refused" write "$CG2/daemon/cgroup.freeze" 1
expect_match "$(cat "$CG2/daemon/cgroup.events")" "^frozen 0" "canisterd's cgroup stays thawed"
if [ -e "$CG2/daemon/pids.max" ]; then
	tamper_as 73 "labelled root limiting canisterd's cgroup (pids.max)" "$refused" \
		write "$CG2/daemon/pids.max" 1
	expect_eq "$(cat "$CG2/daemon/pids.max")" max "canisterd's pids.max"
fi
# trap is a cgroup of container 73's own when it is registered in the root cgroup (canister run
# --cgroup none: else it gets a cgroup beneath the root, which trap is not within).
got=$(cn run --cgroup none --id 73 -- tamper write "$CG2/trap/cgroup.freeze" 1 2>&1 |
	grep -v '^canister: warning: --cgroup none')
expect_eq "$got" ok "labelled root freezing a cgroup of its own"
got=$(cn run --cgroup none --id 73 -- tamper write "$CG2/trap/cgroup.procs" "$D" 2>&1 |
	grep -v '^canister: warning: --cgroup none')
expect_eq "$got" "$refused" "labelled root moving canisterd into a frozen cgroup"
expect_match "$(cat /proc/"$D"/cgroup)" "^0::/daemon$" "canisterd's cgroup after the move attempt"
got=$(cn run --id 73 -- sh -c "tamper write $CG2/daemon/cgroup.procs \$\$")
expect_eq "$got" "$refused" "labelled root moving itself into canisterd's cgroup"
tamper_as 73 "labelled root killing canisterd's cgroup (cgroup.kill)" "$refused" \
	write "$CG2/daemon/cgroup.kill" 1
kill -0 "$D" || fail "canisterd died"
echo "$D" >"$CG2/cgroup.procs" || fail "host root cannot move canisterd back"
echo 0 >"$CG2/trap/cgroup.freeze"

# cgroup v1: a move is checked against no ancestor, so labelled writes to tasks are refused.
mkdir -p "$FZ"
if grep -q " $FZ cgroup " /proc/mounts || mount -t cgroup -o freezer none "$FZ" 2>/dev/null; then
	mkdir "$FZ/trap" || fail "cannot create a freezer cgroup"
	# --cgroup none: else the container gets a v1 cgroup beneath the root, which trap is not within.
	got=$(cn run --cgroup none --id 74 -- tamper write "$FZ/trap/freezer.state" FROZEN 2>&1 |
		grep -v '^canister: warning: --cgroup none')
	expect_eq "$got" ok "labelled root freezing a v1 cgroup of its own"
	tamper_as 74 "labelled root moving canisterd into a frozen v1 cgroup" "$refused" \
		write "$FZ/trap/tasks" "$D"
	expect_eq "$(grep freezer /proc/"$D"/cgroup | cut -d: -f3)" / "canisterd's freezer cgroup"
	tamper_as 74 "labelled root setting a v1 release_agent" "$refused" write "$FZ/release_agent" /bin/true
	tamper_as 74 "labelled root setting notify_on_release" "$refused" write "$FZ/trap/notify_on_release" 1
	echo THAWED >"$FZ/trap/freezer.state"
else
	echo "46-daemon-tamper: cgroup v1 freezer unavailable in this kernel; v1 checks skipped" >&2
fi

# A refusal repeated in a loop is counted every time, recorded one by one up to a rate, and the
# rest is recorded as one count with the next refusal after the second.
before=$(cn status --json | tr -d ' \n' | sed -n 's/.*"guard_denied":\([0-9]*\).*/\1/p')
tamper_as 76 "labelled root rescheduling canisterd 500 times" "$refused" repeat 500 sched "$D"
after=$(cn status --json | tr -d ' \n' | sed -n 's/.*"guard_denied":\([0-9]*\).*/\1/p')
[ "$((after - before))" -ge 500 ] || fail "500 refusals counted as $((after - before))"
one_by_one=$(grep -c "container 76: refused pid" "$T_LOG")
[ "$one_by_one" -lt 500 ] || fail "all 500 refusals were recorded one by one"
folded_seen()
{
	cn run --id 76 -- tamper sched "$D" >/dev/null
	grep -Eq "container 76: refused pid [0-9]+ a change of canisterd's scheduling.* \\([0-9]+ more within a second, folded\\)" "$T_LOG"
}
wait_until "the folded refusals' record" folded_seen

# Six hooks at 20 refusals each within a second: 16 a hook would record 96 of the 120; the
# container's budget (64 a second per guard object) records no more than 64 plus what the
# guard.bpf.c object (ptrace) records on its own.
set -- $(cn run --id 77 -- tamper cycle 20 "$D")
# A SIGIO to canisterd is dropped silently (the write that raises it succeeds): 100 fail.
[ "$1" = 100 ] || fail "the cycle of six hooks: $1 of 100 calls failed"
if [ "$2" -lt 900 ]; then
	# The ring buffer is read in order: once a later refusal is in the log, all of 77's are.
	cn run --id 78 -- tamper prlimit "$D" >/dev/null
	marker_logged() { grep -q "container 78: refused pid" "$T_LOG"; }
	wait_until "a later refusal in the log" marker_logged
	one_by_one=$(grep -c "container 77: refused pid" "$T_LOG")
	[ "$one_by_one" -le 80 ] || fail "$one_by_one of 120 refusals across six hooks recorded one by one"
else
	echo "46-daemon-tamper: the cycle took $2 ms, over a second; its record budget not checked" >&2
fi

# Every refusal is counted and logged with the container that tried.
expect_match "$(cat "$T_LOG")" "container 70: refused pid [0-9]+ writing /proc files of canisterd or its helpers" \
	"/proc refusal logged"
expect_match "$(cat "$T_LOG")" "container 71: refused pid [0-9]+ a change of canisterd's resource limits" \
	"prlimit refusal logged"
expect_match "$(cat "$T_LOG")" "container 73: refused pid [0-9]+ a change of canisterd's cgroups" \
	"cgroup refusal logged"
denied=$(cn status --json | tr -d ' \n' | sed -n 's/.*"guard_denied":\([0-9]*\).*/\1/p')
[ "${denied:-0}" -ge 15 ] || fail "guard_denied counter is ${denied:-missing}, expected at least 15"

# A restart over the pinned links: the new canisterd is guarded, the old pid's programs are gone.
stop_daemon
start_daemon
D=$T_DAEMON_PID
tamper_as 75 "labelled root raising the restarted canisterd's oom_score_adj" "$refused" \
	write /proc/"$D"/oom_score_adj 1000
tamper_as 75 "labelled root setting the restarted canisterd's limits" "$refused" prlimit "$D"
stop_daemon
