# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode: a forked child that never executes keeps its parent's TASK_ID (issue 15;
# TSEM's task_alloc copies it).  A learning container's bash forks subshells that send a signal
# (the kill builtin) or connect (bash's /dev/tcp) and end at once, without an exec, in a loop,
# with every core kept busy, so each ends before canisterd reads its record.  Every such event is
# modelled with bash's TASK_ID (the one the gate remembered at bash's exec), none is dropped and
# no TASK_ID was looked for in /proc; a subshell that executes tcp-try connects with tcp-try's
# TASK_ID, not bash's; two learns give the same state.  Before the records carried the key of the
# task whose exec set the TASK_ID, those events were dropped (`observed_dropped`) as their
# processes ended.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

TCP=$(command -v "${CANISTER_TOOLS:+$CANISTER_TOOLS/}tcp-try") || fail "no tcp-try (make test-host builds it)"
BASH=$(command -v bash) || fail "no bash"
PORT=7560

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

# The load: a busy loop a core, for as long as the case runs.
busy_cores

# Each round: a subshell (forked, never executes) sends SIGCONT to bash and ends; another
# connects to PORT (nobody listens: refused) and ends; a third executes tcp-try, which connects
# to PORT+1.  The same ports in every run (they are in the coefficients).
WORK="
for round in \$(seq 20); do
	( kill -CONT \$\$ ) || exit 1
	( : 2>/dev/null >/dev/tcp/127.0.0.1/$PORT )
	( exec \"$TCP\" connect $((PORT + 1)) >/dev/null )
done
exit 0
"

learn()
{
	cn run --id "$1" --model learn -- "$BASH" -c "$WORK" \
		>"$T_TMP/run-$1.out" 2>&1 || fail "container $1's workload failed: $(cat "$T_TMP/run-$1.out")"
	# A view reads what the ring holds first: every record of the workload, its processes gone.
	cn model "$1" events >"$T_TMP/events-$1.jsonl" || fail "no export of container $1"
}

learn 1561
learn 1562

# ev ID FILTER: jq over container ID's export.
ev() { jq -c "$2" "$T_TMP/events-$1.jsonl"; }
for id in 1561 1562; do
	bash_id=$(ev $id "select(.event.type == \"bprm_set_creds\" and (.bprm_set_creds.file.path.pathname | endswith(\"/bash\"))) | .event.new_task_id" | sort -u)
	[ -n "$bash_id" ] || fail "container $id: no exec of bash in the export: $(head -3 "$T_TMP/events-$id.jsonl")"
	tcp_id=$(ev $id "select(.event.type == \"bprm_set_creds\" and (.bprm_set_creds.file.path.pathname | endswith(\"/tcp-try\"))) | .event.new_task_id" | sort -u)
	[ -n "$tcp_id" ] || fail "container $id: no exec of tcp-try in the export"
	expect_eq "$(ev $id 'select(.event.type == "task_kill") | [.event.task_id, .task_kill.signal, .task_kill.target]' | sort -u)" \
		"[$bash_id,\"18\",$bash_id]" "container $id: the subshells' SIGCONT to bash, with bash's TASK_ID (theirs and the target's)"
	expect_eq "$(ev $id "select(.event.type == \"socket_connect\" and .socket_connect.port == \"$PORT\") | .event.task_id" | sort -u)" \
		"$bash_id" "container $id: the subshells' connect through /dev/tcp, with bash's TASK_ID"
	expect_eq "$(ev $id "select(.event.type == \"socket_connect\" and .socket_connect.port == \"$((PORT + 1))\") | .event.task_id" | sort -u)" \
		"$tcp_id" "container $id: the connect of the subshell that executed tcp-try, with tcp-try's TASK_ID"
	[ "$bash_id" != "$tcp_id" ] || fail "container $id: bash and tcp-try have the same TASK_ID"
	expect_eq "$(cn model $id counts | awk '$1 == "observed_dropped" || $1 == "task_id_misses" { print $1, $2 }')" \
		'observed_dropped 0
task_id_misses 0' "container $id's observed events dropped without a TASK_ID, TASK_IDs looked for in /proc"
	python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events-$id.jsonl" >"$T_TMP/recompute.out" 2>&1 ||
		fail "container $id's export does not recompute: $(head -5 "$T_TMP/recompute.out")"
done
expect_eq "$(cn model 1562 state)" "$(cn model 1561 state)" \
	"the same workload of forked children, learned in another container"
expect_eq "$(cn status --json | jq -c '.model | [.observed_unresolved, .observed_task_id_misses, .observed_malformed, .observed_fed > 0]')" \
	'[0,0,0,true]' "observed events dropped without a TASK_ID, TASK_IDs looked for in /proc, malformed; some fed"
exit 0
