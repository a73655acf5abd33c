# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: an enforced container's processes keep their TASK_ID in the kernel whatever
# another container does.  The kernel held every process's TASK_ID in one LRU map of 16,384 entries
# for all containers, never pruned: the attack is a container (Y, root in it, any domain) executing
# short programs (more than 16,384 TASK_IDs) while the processes of an enforced container (X) wait, so that
# their entries were pushed out and their next learned connect was denied (EPERM).  Now each
# process's TASK_ID is task storage, its own and freed with it: after the storm, an idle process's
# learned connect still goes through (ECONNREFUSED: nobody listens), an unlearned one is still
# denied, a child forked long after its parent's exec is judged with its parent's TASK_ID (its
# learned connect goes through), and a child that executes another program is judged with that
# program's (its connect, learned by the parent only, is denied).
#
# Under TCG a container's exec that the gate holds and a learning domain takes costs about 0.1 s
# (measured: 1,000 in 108 s; 13 s on the host without a model): the case took 381 s alone, 635 s
# beside another VM:
# vm-case-timeout: 1500
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

ECONNREFUSED=111
EPERM=1
# Each exec is two TASK_IDs canisterd puts (the forked child's, derived, and the program's it
# executes): more than the 16,384 entries the old map held.
STORM=8400

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
ip link set lo up || fail "cannot bring the loopback up"
start_daemon

# The model: model-connect connects to 5171, and executes tcp-try, which connects to 5179 only.
touch "$T_TMP/go-learn"
status=0
said=$(cn run --id 1171 --model learn -- \
	model-connect -x 5171 "$T_TMP/go-learn" tcp-try connect 5179) || status=$?
expect_match "$said" 'connect 5171: connect: Connection refused' "the learning run's connect"
expect_match "$said" 'connect: Connection refused' "the learning run's executed connect"
cn model 1171 export "$T_TMP/storm.model" || fail "export failed"

# X: four enforced processes that wait (no judged event) until the storm is over.
GO=$T_TMP/go
enforced_waiting()
{
	ew_id=$1
	shift
	cn run --id "$ew_id" --model "$T_TMP/storm.model" --model-enforce -- "$@" \
		>"$T_TMP/x-$ew_id.out" 2>&1 &
	echo $! >"$T_TMP/x-$ew_id.pid"
	wait_for_line "$T_TMP/x-$ew_id.out" '^waiting$' "container $ew_id waiting"
}
enforced_waiting 1172 model-connect 5171 "$GO"
enforced_waiting 1173 model-connect 5172 "$GO"
enforced_waiting 1174 model-connect -w 5171 "$GO"
enforced_waiting 1175 model-connect -x 5171 "$GO" tcp-try connect 5171
expect_match "$(cat "$T_TMP/x-1175.out")" 'connect 5171: connect: Connection refused' \
	"the learned connect before the storm"
# All four judged in the kernel before the storm starts.
four_enforced() { cn status | grep -Eq '\(([4-9]|[1-9][0-9]+) containers; 0 coefficients'; }
wait_until 60 "the four containers enforced in the kernel" four_enforced

# Y: the storm, in a learning container (every exec held by the gate and given a TASK_ID).
said=$(cn run --id 1176 --model learn -- exec-storm $STORM uname-storm 0) ||
	fail "the storm failed: $said"
expect_eq "$said" "execs $STORM" "the storm"

touch "$GO"
x_status()
{
	status=0
	wait "$(cat "$T_TMP/x-$1.pid")" || status=$?
	said=$(cat "$T_TMP/x-$1.out")
}
x_status 1172
expect_eq "$status" "$ECONNREFUSED" "an idle process's learned connect after the storm ($said)"
x_status 1173
expect_eq "$status" "$EPERM" "an idle process's connect outside the model after the storm ($said)"
x_status 1174
expect_eq "$status" "$ECONNREFUSED" "a child forked after the storm connects with its parent's TASK_ID ($said)"
x_status 1175
expect_match "$said" 'connect: Operation not permitted' \
	"a child that executed another program is judged with that program's TASK_ID"
# Recorded as denied (1173's process ended before canisterd read its record, and the storm filled
# canisterd's own table, which then forgot its TASK_ID: that record is dropped and counted).
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1175 .*mode=enforce res=0" \
	"the executed program's denied connect's record" 60

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"no kernel coefficient differed from canisterd's"
exit 0
