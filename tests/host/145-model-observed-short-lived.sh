# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode: the observed events of processes that end at once keep their TASK_IDs
# (issue 15: pids, times and order never change a coefficient).  A learning container's
# short-lived children signal a process that is killed at once (SIGCONT, then SIGTERM), bind a
# TCP port, connect to a closed one, and change their uid and gid, each ending before canisterd
# reads its record.  Learned twice, in two containers, with every core kept busy: the same
# state both times; the signals (their targets gone too), the bind, the connect and the setuid
# are in `model N events`, which recomputes; no observed event was dropped without a TASK_ID.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

TCP=$(command -v "${CANISTER_TOOLS:+$CANISTER_TOOLS/}tcp-try") || fail "no tcp-try (make test-host builds it)"
RUN_AS=$(command -v "${CANISTER_TOOLS:+$CANISTER_TOOLS/}run-as") || fail "no run-as (make test-host builds it)"
KILL=$(command -v kill | grep /) || KILL=/bin/kill
[ -x "$KILL" ] || fail "no kill program (procps): the signals must come from a process that ends"
CAT=$(command -v cat)
PORT=7450

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

# The load: a busy loop a core, for as long as the case runs.
busy_cores

# Each round: cat, started on a FIFO, is the target: the shell's open of the FIFO for writing
# returns once cat opened it, so cat runs its own program (its TASK_ID is cat's, not the
# shell's it was forked from) before it is signalled; a kill process sends it SIGCONT and ends,
# another SIGTERM (cat ends, reaped at once); then tcp-try binds PORT and ends, connects to
# PORT+1 (nobody listens: refused) and ends, and run-as changes its gid and uid and executes
# true, which ends.  The same paths and ports in every run (they are in the coefficients).
WORK="
for round in 1 2 3 4 5; do
	rm -f \"\$FIFO\" && mkfifo \"\$FIFO\" || exit 1
	\"$CAT\" \"\$FIFO\" >/dev/null & target=\$!
	exec 3>\"\$FIFO\"
	\"$KILL\" -CONT \$target || exit 1
	\"$KILL\" -TERM \$target || exit 1
	wait \$target
	exec 3>&-
	\"$TCP\" bind $PORT >/dev/null || exit 1
	\"$TCP\" connect $((PORT + 1)) >/dev/null
	\"$RUN_AS\" 1000 true || exit 1
done
rm -f \"\$FIFO\"
"

learn()
{
	FIFO="$T_TMP/target.fifo" cn run --id "$1" --model learn -- sh -c "$WORK" \
		>"$T_TMP/run-$1.out" 2>&1 || fail "container $1's workload failed: $(cat "$T_TMP/run-$1.out")"
	# A view reads what the ring holds first: every record of the workload, its processes gone.
	cn model "$1" events >"$T_TMP/events-$1.jsonl" || fail "no export of container $1"
}

learn 1451
learn 1452

# ev ID FILTER: jq over container ID's export.
ev() { jq -c "$2" "$T_TMP/events-$1.jsonl"; }
for id in 1451 1452; do
	expect_eq "$(ev $id 'select(.event.type == "task_kill") | .task_kill | [.signal, .cross_container]' | sort -u)" \
		'["15","0"]
["18","0"]' "container $id: the kill processes' SIGCONT and SIGTERM to cat (which ended), learned"
	expect_eq "$(ev $id 'select(.event.type == "socket_bind") | .socket_bind | [.family, .addr, .port]' | sort -u)" \
		"[\"2\",\"127.0.0.1\",\"$PORT\"]" "container $id: tcp-try's bind, learned"
	expect_eq "$(ev $id 'select(.event.type == "socket_connect") | .socket_connect | [.family, .addr, .port]' | sort -u)" \
		"[\"2\",\"127.0.0.1\",\"$((PORT + 1))\"]" "container $id: tcp-try's refused connect, learned"
	expect_match "$(ev $id 'select(.event.type == "task_fix_setuid") | .task_fix_setuid | [.uid, .euid]' | sort -u)" \
		'\["1000","1000"\]' "container $id: run-as's setresuid, learned"
	ev $id 'select(.event.type == "task_fix_setgid")' | grep -q . || fail "container $id: no setgid learned"
	python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events-$id.jsonl" >"$T_TMP/recompute.out" 2>&1 ||
		fail "container $id's export does not recompute: $(head -5 "$T_TMP/recompute.out")"
done
# The signals' targets: cat's TASK_ID, the same in both runs (not the shell's it was forked from).
expect_eq "$(ev 1451 'select(.event.type == "task_kill") | .task_kill.target' | sort -u)" \
	"$(ev 1452 'select(.event.type == "task_kill") | .task_kill.target' | sort -u)" "the signals' targets"
expect_eq "$(cn model 1452 state)" "$(cn model 1451 state)" \
	"the same workload of short-lived processes, learned in another container"
expect_eq "$(cn status --json | jq -c '.model | [.observed_unresolved, .observed_malformed, .observed_fed > 0]')" \
	'[0,0,true]' "observed events dropped without a TASK_ID, malformed; some fed"
for id in 1451 1452; do
	expect_eq "$(cn model $id counts | awk '$1 == "observed_dropped" { print $2 }')" 0 \
		"container $id's observed events dropped without a TASK_ID (model N counts)"
	cn model $id counts | grep -Eq '^task_id_misses [0-9]+$' || fail "no task_id_misses in model $id counts"
done
cn status | grep -Eq 'TASK_IDs not from an exec \(read in /proc\)' ||
	fail "canister status does not count the TASK_IDs not from an exec: $(cn status | grep 'observer records')"
exit 0
