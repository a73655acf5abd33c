# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a container's root writes only the cgroups at or beneath the one its container was registered in: another container's cgroup.freeze, cgroup.kill, a limit, cgroup.procs (to move its process in), a mkdir, and a host service's cgroup.freeze are each refused with EPERM and recorded (op=cgroup-write right=signal), the other container's process and the service still alive and thawed; its own cgroup's limits are refused (cgroup v2 delegates a subtree's root only its cgroup.procs, cgroup.threads and cgroup.subtree_control), its sub-cgroups stay its to make, freeze, kill and move into; a container whose process moved itself into a leaf (as systemd does into init.scope) still enables controllers in its container's root cgroup, makes a sibling and moves there; host-admin allows them; host root writes any.  Before, a container's root froze or killed every process of another container's cgroup, never passing task_kill.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

# canisterd reads a registered process's cgroup under /sys/fs/cgroup: the guest's init mounts none.
CG2=/sys/fs/cgroup
CG2_MOUNTED=
# shellcheck disable=SC2317 # called from the EXIT trap
undo_cgroups()
{
	touch "$T_TMP/done" "$T_TMP/c-go"
	kill_started
	if [ -d "$CG2/b" ]; then
		echo 0 >"$CG2/b/cgroup.freeze" 2>/dev/null
		echo 0 >"$CG2/svc/cgroup.freeze" 2>/dev/null
		for cg in a b c svc; do
			echo 1 >"$CG2/$cg/cgroup.kill" 2>/dev/null
		done
		poll_until 10 rmdir "$CG2/a/sub" "$CG2/c/init" "$CG2/c/sib" "$CG2/a" "$CG2/b" \
			"$CG2/c" "$CG2/svc" 2>/dev/null
	fi
	[ -z "$CG2_MOUNTED" ] || umount "$CG2" 2>/dev/null
}
trap 'undo_cgroups; t_cleanup' EXIT

if ! grep -q " $CG2 cgroup2 " /proc/mounts; then
	mount -t cgroup2 none "$CG2" || fail "cannot mount cgroup2 at $CG2"
	CG2_MOUNTED=1
fi
mkdir "$CG2/a" "$CG2/b" "$CG2/c" "$CG2/svc" || fail "cannot create cgroups"
echo +pids >"$CG2/cgroup.subtree_control" 2>/dev/null
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# sh -c "$IN_CGROUP" DIR COMMAND...: COMMAND run in cgroup DIR (the shell moves itself there, then
# execs: a command started so in the background is $!).
# shellcheck disable=SC2016 # expanded by the inner shell
IN_CGROUP='echo $$ >"$0/cgroup.procs" && exec "$@"'

# Each container is registered in the cgroup its runtime put it in, as a runtime does (canister
# run --cgroup none: in the cgroup it was started from; VM 145 is canister run's own cgroup).
# A (1430) and B (1431) live to the end (a grant goes with its container), each registered in its
# cgroup; a host service's process in svc.
for run in 1430:a 1431:b; do
	id=${run%:*}
	sh -c "$IN_CGROUP" "$CG2/${run#*:}" "$CANISTER" --socket "$T_SOCK" run --cgroup none --id "$id" -- \
		sh -c "echo \$\$ >'$T_TMP/$id.pid'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
	started $!
	wait_for_file "$T_TMP/$id.pid"
done
A=$(cat "$T_TMP/1430.pid")
B=$(cat "$T_TMP/1431.pid")
sh -c "$IN_CGROUP" "$CG2/svc" sh "$T_AWAIT" "$T_TMP/done" 600 &
S=$!
started $S
poll_until "$T_WAIT" grep -qx "$S" "$CG2/svc/cgroup.procs" || fail "the service never entered svc"
grep -qx "$A" "$CG2/a/cgroup.procs" || fail "A's process is not in a"

# a_try COMMAND...: what container A's root gets for each shell command, run by a process of A
# in cgroup a (a join of A, started there).
a_try()
{
	at_script=
	for at_command in "$@"; do
		at_script="$at_script
			if out=\$( ($at_command) 2>&1); then echo ok; else echo \"\${out##*: }\"; fi"
	done
	sh -c "$IN_CGROUP" "$CG2/a" "$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1430 -- sh -c "$at_script" |
		sed 's/Operation not permitted/refused/g' | tr '\n' ' '
}

LIMIT="echo 1 >'$CG2/b/cgroup.max.descendants'"
[ ! -e "$CG2/b/pids.max" ] || LIMIT="$LIMIT && echo 1 >'$CG2/b/pids.max'"
expect_eq "$(a_try "echo 1 >'$CG2/b/cgroup.freeze'" "$LIMIT" "echo $B >'$CG2/a/cgroup.procs'" \
	"mkdir '$CG2/b/x'" "echo 1 >'$CG2/b/cgroup.kill'" "echo 1 >'$CG2/svc/cgroup.freeze'")" \
	"refused refused refused refused refused refused " \
	"A's root: freezing, limiting B's cgroup, moving B's process into its own, a mkdir in B's, killing B's cgroup, freezing a host service's"
kill -0 "$B" || fail "B's process was killed"
kill -0 "$S" || fail "the service's process was killed"
expect_match "$(cat "$CG2/b/cgroup.events")" "^frozen 0" "B's cgroup stays thawed"
expect_match "$(cat "$CG2/svc/cgroup.events")" "^frozen 0" "the service's cgroup stays thawed"
grep -qx "$B" "$CG2/b/cgroup.procs" || fail "B's process left B's cgroup"
expect_eq "$(cat "$CG2/b/cgroup.max.descendants")" max "B's cgroup.max.descendants"
expect_record "op=cgroup-write contid=1430 by=1430 pid=[0-9]+ target=\"b/cgroup.kill\" right=signal cause=cross-container mode=enforce res=0" \
	"the record of a refused cgroup.kill"
expect_record "op=cgroup-write contid=1430 by=1430 pid=[0-9]+ target=\"svc/cgroup.freeze\" right=signal" \
	"the record of a refused freeze of a host service's cgroup"

# Its own cgroup's: a sub-cgroup made, frozen, thawed, killed (empty), and moved into.
# shellcheck disable=SC2016 # $$: the container's shell
expect_eq "$(a_try "mkdir '$CG2/a/sub'" "echo 1 >'$CG2/a/sub/cgroup.freeze'" \
	"echo 0 >'$CG2/a/sub/cgroup.freeze'" "echo 1 >'$CG2/a/sub/cgroup.kill'" \
	"echo 1 >'$CG2/a/sub/cgroup.max.descendants'" 'echo $$ >'"'$CG2/a/sub/cgroup.procs'")" \
	"ok ok ok ok ok ok " "A's root: its own sub-cgroup"

# Its own cgroup itself, as cgroup v2 delegates one: its limits, freeze and kill are its
# runtime's (a write would lift what it was given); cgroup.subtree_control is its own (C, below).
# Only limits are tried: a freeze or kill let through would stop this very shell.
expect_eq "$(a_try "echo 100 >'$CG2/a/cgroup.max.descendants'")" "refused " \
	"A's root: its own cgroup's cgroup.max.descendants"
if [ -e "$CG2/a/pids.max" ]; then
	expect_eq "$(a_try "echo 100000 >'$CG2/a/pids.max'")" "refused " \
		"A's root: its own cgroup's pids.max"
	expect_eq "$(cat "$CG2/a/pids.max")" max "A's pids.max"
fi
expect_eq "$(cat "$CG2/a/cgroup.max.descendants")" max "A's cgroup.max.descendants"
expect_record "op=cgroup-write contid=1430 by=1430 pid=[0-9]+ target=\"a/cgroup.max.descendants\" right=signal" \
	"the record of a refused limit of its own container's cgroup"

# C (1432), registered in c, moves itself into the leaf c/init, as a container's systemd moves
# into init.scope; once host root has taken canister run (C's parent, unlabelled) out of c, c has
# no process and C's root manages it from its leaf: controllers, a sibling, a move there.
# shellcheck disable=SC2016 # expanded by the container's shell
c_script='try() { if out=$( (eval "$1") 2>&1); then echo ok; else echo "${out##*: }"; fi; }
try "mkdir $0/init && echo \$\$ >$0/init/cgroup.procs"
echo moved >"$1/c-moved"
sh "$1/await" "$1/c-go" 60
try "echo +pids >$0/cgroup.subtree_control"
try "mkdir $0/sib"
try "echo \$\$ >$0/sib/cgroup.procs"
try "echo 1 >$0/init/cgroup.freeze"
try "echo 1 >$0/init/cgroup.kill"'
sh -c "$IN_CGROUP" "$CG2/c" "$CANISTER" --socket "$T_SOCK" run --cgroup none --id 1432 -- \
	sh -c "$c_script" "$CG2/c" "$T_TMP" >"$T_TMP/c-out" 2>"$T_TMP/c-err" &
C_RUN=$!
started $C_RUN
wait_for_file "$T_TMP/c-moved"
echo "$C_RUN" >"$CG2/cgroup.procs" || fail "host root moving canister run out of c"
touch "$T_TMP/c-go"
wait "$C_RUN"
expect_eq "$(sed 's/Operation not permitted/refused/g' "$T_TMP/c-out" | tr '\n' ' ')" \
	"ok ok ok ok ok ok " \
	"C's root in its leaf: into init, controllers of its root, a sibling, a move there, its leaf frozen and killed"
expect_eq "$(cat "$CG2/c/cgroup.subtree_control")" pids "C's root enabled pids in its container's cgroup"

cn grant 1430 host-admin || fail "grant host-admin"
expect_eq "$(a_try "echo 1 >'$CG2/b/cgroup.freeze'")" "ok " "A with host-admin: freezing B's cgroup"
expect_match "$(cat "$CG2/b/cgroup.events")" "^frozen 1" "B's cgroup frozen by A with host-admin"
echo 0 >"$CG2/b/cgroup.freeze" || fail "host root thawing B's cgroup"
expect_match "$(cat "$CG2/b/cgroup.events")" "^frozen 0" "B's cgroup thawed by host root"
echo 1 >"$CG2/b/cgroup.kill" || fail "host root killing B's cgroup"
poll_until "$T_WAIT" sh -c "! kill -0 $B 2>/dev/null" || fail "B's process outlived host root's cgroup.kill"
stop_daemon
