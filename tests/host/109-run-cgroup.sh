# SPDX-License-Identifier: GPL-2.0-only
# canister: `canister run` gives its container a cgroup v2 of its own, beneath the caller's.
# canisterd records the cgroup a container's first process is in, and lsm mode lets the
# container write what lies beneath it; left in the caller's cgroup, the container's root could
# move the caller's other processes into a sub-cgroup it makes and kill them there.  This case
# runs from a cgroup of its own G (v2 at /sys/fs/cgroup or, on a hybrid host, .../unified):
# the workload is in G/canister-run-PID, which is gone after the run; a workload that leaves a
# process behind leaves its cgroup too, and the CLI says so (the next run removes it once that
# process has ended); a container registered in G itself
# (`canister set` of a process there) is named in canisterd's log and status warnings, again after
# a restart, and still once no process outside it is left in G itself.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/cgroups.sh"

if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
	V2=/sys/fs/cgroup
elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	V2=/sys/fs/cgroup/unified
else
	fail "no cgroup v2 mounted (neither /sys/fs/cgroup nor /sys/fs/cgroup/unified): this case needs one"
fi
ORIGIN=$V2$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$ORIGIN" != "$V2/" ] || ORIGIN=$V2
G_REL=/canister-test-109-$$
G=$V2$G_REL
LEFT=

# A canisterd stopped by the case runs again.
# shellcheck disable=SC2317 # called from the EXIT trap
resume_daemon() { [ -z "$T_DAEMON_PID" ] || kill -CONT "$T_DAEMON_PID" 2>/dev/null; }

# Everything of G (and of its v1 twins) goes back to where the case started, then G and what the
# case left beneath it.
# shellcheck disable=SC2317 # called from the EXIT trap
cg_cleanup()
{
	resume_daemon
	[ -z "$LEFT" ] || kill "$LEFT" 2>/dev/null
	kill_started
	v1_cleanup
	cgroup_tree_remove "$ORIGIN" "$G"
}
trap 'cg_cleanup; t_cleanup' EXIT

# canisterd stays where it started: only the case's shell (and what it starts) moves into G.
start_daemon
mkdir "$G" || fail "cannot make $G"
echo $$ >"$G/cgroup.procs" || fail "cannot move the case's shell into $G"
# On a hybrid host, the case's own cgroups of v1 too: what its runs leave there is its to remove.
v1_enter "canister-test-109-$$"

# The workload's own cgroup, named in its /proc/self/cgroup.
seen=$(cn run --id 1091 -- cat /proc/self/cgroup) || fail "canister run failed"
expect_match "$(printf '%s\n' "$seen" | grep '^0::')" "^0::$G_REL/canister-run-[0-9]+\$" \
	"the workload's cgroup v2"
left=$(find "$G" -mindepth 1 -type d)
expect_eq "$left" "" "cgroups left beneath $G after the run"

# A workload that leaves a process behind: its cgroup stays with it, nothing is killed.
# It made an empty sub-cgroup too, which stays with it.
err=$(cn run --id 1092 -- sh -c "mkdir $V2\$(sed -n 's/^0:://p' /proc/self/cgroup)/keep || exit 1
	sleep 1000 </dev/null >/dev/null 2>&1 & echo \$! >$T_TMP/left" 2>&1 >/dev/null) ||
	fail "canister run of a workload that leaves a process: $err"
LEFT=$(cat "$T_TMP/left")
kill -0 "$LEFT" 2>/dev/null || fail "the process the workload left was killed"
expect_match "$err" "container 1092 left 1 process in $G/canister-run-[0-9]+: it stays" \
	"what canister run says of the process left"
kept=$(sed -n 's/^0:://p' "/proc/$LEFT/cgroup")
expect_match "$kept" "^$G_REL/canister-run-[0-9]+\$" "the cgroup of the process left"
[ -d "$V2$kept" ] || fail "the cgroup of the process left, $V2$kept, was removed"
[ -d "$V2$kept/keep" ] || fail "the empty sub-cgroup of the workload that left a process was removed"
kill "$LEFT"
wait_until "the process left to end" sh -c "! kill -0 $LEFT 2>/dev/null"
LEFT=
# The next run from G removes it, now that it is empty and its run's child is gone.
cn run --id 1095 -- true || fail "canister run after the process left ended"
[ ! -d "$V2$kept" ] || fail "$V2$kept stayed after what held it ended and another run started"

# From a threaded cgroup, whose children take threads and not processes: the run is refused
# (125, CMD never runs) rather than left in the shared cgroup; --cgroup none runs it there.
if mkdir "$G/t" && echo threaded >"$G/t/cgroup.type" 2>/dev/null; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	in_t='echo $$ >"$0/cgroup.procs" && exec "$@"'
	sh -c "$in_t" "$G/t" "$CANISTER" --socket "$T_SOCK" run --id 1096 -- \
		touch "$T_TMP/threaded-ran" 2>"$T_TMP/threaded-err"
	expect_eq "$?" 125 "canister run from a threaded cgroup"
	[ ! -e "$T_TMP/threaded-ran" ] || fail "CMD ran from a threaded cgroup"
	expect_match "$(cat "$T_TMP/threaded-err")" "cannot move pid [0-9]+ into $G/t/canister-run-[0-9]+: .*--cgroup none" \
		"what canister run says from a threaded cgroup"
	expect_eq "$(find "$G/t" -mindepth 1 -type d)" "" "cgroups left beneath the threaded cgroup"
	sh -c "$in_t" "$G/t" "$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1097 -- \
		touch "$T_TMP/threaded-ran" 2>/dev/null || fail "canister run --cgroup none from a threaded cgroup"
	[ -e "$T_TMP/threaded-ran" ] || fail "CMD did not run with --cgroup none"
	# G is a threaded domain while t lives: its domain children could not hold processes.
	wait_until "the threaded cgroup removed" rmdir "$G/t"
else
	echo "$T_NAME: no threaded cgroup here: that part skipped" >&2
fi

# A SIGTERM while the run registers its child, canisterd stopped meanwhile (so that the CLI waits
# for an answer that does not come, its child in its cgroup): the run stops without that answer,
# CMD never runs, its cgroups go, and it ends by that signal.  Before, the CLI died at once and
# left them.  Ignored (nohup's SIGHUP), the signal changes nothing: CMD runs once canisterd does.
# stopped_run ID [SIGNAL]: canisterd stopped, a run of container ID (with SIGNAL ignored) started
# in the background as $cli, and waited for until its child is in its cgroup.
stopped_run()
{
	kill -STOP "$T_DAEMON_PID"
	sh -c "${2:+trap '' $2; }exec \"\$@\"" sh "$CANISTER" --socket "$T_SOCK" run --id "$1" -- \
		touch "$T_TMP/$1-ran" 2>"$T_TMP/$1-err" &
	cli=$!
	wait_until "run $1's child in its cgroup" \
		sh -c "cat $G/canister-run-*/cgroup.procs 2>/dev/null | grep -q ."
}
stopped_run 1098
kill -TERM "$cli"
wait_until "the signalled run to end while canisterd is stopped" sh -c "! kill -0 $cli 2>/dev/null"
wait "$cli"
expect_eq "$?" 143 "the exit status of a run signalled while it registered its child"
resume_daemon
[ ! -e "$T_TMP/1098-ran" ] || fail "CMD ran after its run was signalled"
expect_eq "$(cat "$T_TMP/1098-err")" "" "what a run signalled while it registered its child says"
expect_eq "$(find "$G" -mindepth 1 -type d)" "" "cgroups left beneath $G after a signalled run"
printf '%s\n' "$V1_CGROUPS" | while read -r ctl origin; do
	[ -z "$ctl" ] || expect_eq "$(find "$origin/$V1_NAME" -mindepth 1 -type d)" "" \
		"v1 $ctl cgroups left after a signalled run"
done || exit 1
stopped_run 1099 HUP
kill -HUP "$cli"
resume_daemon
wait "$cli"
expect_eq "$?" 0 "the exit status of a run that ignores SIGHUP, sent one while it registered"
[ -e "$T_TMP/1099-ran" ] || fail "CMD did not run after an ignored SIGHUP: $(cat "$T_TMP/1099-err")"

# A run in a cgroup of its own shares it with nobody: no warning, while it runs.
cn run --id 1093 -- sh -c ": >$T_TMP/ready; sh $T_AWAIT $T_TMP/go" &
started $!
wait_until "container 1093 running" test -e "$T_TMP/ready"
shared() { cn status --json | jq -r '.warnings[]' | grep -E "(shares|registered in) cgroup" || true; }
expect_eq "$(shared)" "" "status warnings while a container runs in its own cgroup"
grep -q "container 1093 shares cgroup" "$T_LOG" && fail "canisterd warned of container 1093's own cgroup"
: >"$T_TMP/go"

# A container registered in G itself shares it with the case's shell: said in the log and the status.
sleep 1000 &
started $!
cn set $! 1094 >/dev/null || fail "canister set of a process in $G"
wait_for_line "$T_LOG" "container 1094 shares cgroup $G with [0-9]+ process(es)? outside it" \
	"canisterd's warning at registration"
expect_match "$(shared)" "^container 1094 shares cgroup $G with [0-9]+ process(es)? outside it" \
	"the status warning"

# A restarted canisterd finds the container live (it outlives canisterd, its cgroup stays
# recorded) and says it again, in the log and the status.  canisterd starts where it did before,
# outside G; a host process (one with no child: it moves whole) stays in G meanwhile.
sleep 600 &
HOST=$!
started $HOST
stop_daemon
echo $$ >"$ORIGIN/cgroup.procs" || fail "cannot move the case's shell back to $ORIGIN"
start_daemon
echo $$ >"$G/cgroup.procs" || fail "cannot move the case's shell into $G again"
expect_eq "$(grep -c "container 1094 shares cgroup $G with" "$T_LOG")" 2 \
	"canisterd's warnings of container 1094 across a restart"
expect_match "$(shared)" "^container 1094 shares cgroup $G with [0-9]+ process(es)? outside it" \
	"the status warning after a restart"

# With no process outside it left in G itself (here the host process and the case's shell move
# beneath G; the container's root may have moved them into a sub-cgroup of its own), the status
# still names it.
{ mkdir "$G/beneath" && echo $HOST >"$G/beneath/cgroup.procs" &&
	echo $$ >"$G/beneath/cgroup.procs"; } || fail "cannot move the processes of $G beneath it"
expect_match "$(shared)" "^container 1094 was registered in cgroup $G with processes outside it: none is there now" \
	"the status warning once G holds only the container"
exit 0
