# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode: canisterd feeds its model observers' events (signals, TCP sockets,
# setuid, ...) to the behaviour models.  `canister status` names the observed events; a
# container learning with `canister run --model learn` whose workload signals, connects a TCP
# socket and setuid's has those events in `model N events` with their EVENT_IDs, their
# coefficients in its trajectory and state, and the export recomputes; a second identical run
# learns the same state; once sealed, a signal the model never saw is forensics (a
# CONTAINER_MODEL record, an entry of `model N forensics`) and its process is untrusted, also
# after a canisterd restart (the reloaded domain's container is wanted again); a container that
# ended is no longer wanted.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

WORKLOAD="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-workload"
command -v "$WORKLOAD" >/dev/null || fail "no $WORKLOAD (make test-host builds it)"
WORKLOAD=$(command -v "$WORKLOAD")
PORT=7330

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

# The status says which events are observed, and that the observers run.
expect_eq "$(cn status --json | jq -r .model.observed)" true "observers running (status --json)"
available=$(cn status --json | jq -r .model.observed_available)
for event in task_kill socket_connect task_fix_setuid; do
	echo " $available " | grep -q " $event " || fail "$event not observed: $available"
done
cn status | grep -Eq '^  observed: .*task_kill' || fail "no observed line in canister status: $(cn status)"

head -c 4096 /dev/urandom >"$T_TMP/lib.bin"
# A host process the workloads signal (SIGCONT: harmless): an unlabelled target.
sleep 600 &
host_pid=$!
started "$host_pid"

# learn ID: container ID learns tests/tools/model-workload (a signal to a sibling and to the
# host process, ptrace, a TCP listener it connects to, a mount, a PROT_EXEC mapping, setregid
# and setreuid, a marker bind) started by a shell that then waits for a line on $T_TMP/go-ID.fifo and sends
# itself SIGUSR2 (a builtin: the shell lives on, to be marked untrusted; its second read of the
# FIFO may meet the first line's writer closing, an end of file: it reads again).  Every run uses the same paths and ports (they are in the coefficients): one
# workload at a time.  Returns once the marker bind, the workload's last event, is learned.
learn()
{
	rm -f "$T_TMP/done" "$T_TMP/shell"
	mkfifo "$T_TMP/go-$1.fifo"
	cn run --id "$1" --model learn -- sh -c "echo \$\$ >\"$T_TMP/shell\"; trap : USR2
		\"$WORKLOAD\" $host_pid $PORT \"$T_TMP/lib.bin\" \"$T_TMP/done\" &
		read go <\"$T_TMP/go-$1.fifo\" && kill -USR2 \$\$ && echo released &&
		until read end <\"$T_TMP/go-$1.fifo\"; do :; done" \
		>"$T_TMP/run-$1.out" 2>&1 &
	started $!
	wait_for_line "$T_TMP/done" '^(ok|failed)' "container $1's workload"
	workload=$(cut -d' ' -f2 "$T_TMP/done")
	started "$workload" "$(cat "$T_TMP/shell")"
	grep -q '^ok ' "$T_TMP/done" || fail "container $1's workload failed: $(cat "$T_TMP/run-$1.out")"
	wait_until "container $1 learned the marker bind" marker_learned "$1"
}
marker_learned()
{
	cn model "$1" events | jq -e "select(.event.type == \"socket_bind\" and .socket_bind.port == \"$((PORT + 10))\")" >/dev/null
}

learn 1331
cn model 1331 events >"$T_TMP/events.jsonl"
# ev FILTER: jq over the export.
ev() { jq -c "$1" "$T_TMP/events.jsonl"; }
expect_eq "$(ev 'select(.event.type == "task_kill" and .task_kill.signal == "18") | .task_kill | [.signal, .cross_container]' | sort -u)" \
	'["18","0"]
["18","1"]' "task_kill: SIGCONT to its sibling (same container) and to the host process (crossing)"
expect_eq "$(ev 'select(.event.type == "socket_connect") | .socket_connect | [.family, .addr, .port]')" \
	"[\"2\",\"127.0.0.1\",\"$PORT\"]" "socket_connect: the TCP connect"
expect_match "$(ev 'select(.event.type == "task_fix_setuid") | .task_fix_setuid | [.uid, .euid]')" \
	'\["1000","1000"\]' "task_fix_setuid: setreuid(1000, 1000)"
for event in ptrace_access_check socket_create socket_bind socket_listen socket_accept task_fix_setgid sb_mount mmap_file bprm_set_creds file_open; do
	ev "select(.event.type == \"$event\")" | grep -q . || fail "no $event event learned"
done
# Each observed event's coefficient is the model's: in its trajectory, which its state covers.
cn model 1331 trajectory >"$T_TMP/trajectory"
for event in task_kill socket_connect task_fix_setuid; do
	for coefficient in $(ev "select(.event.type == \"$event\") | .event.coefficient" | tr -d '"'); do
		grep -q "^$coefficient " "$T_TMP/trajectory" || fail "$event's coefficient $coefficient is not in the trajectory"
	done
done
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events.jsonl" >"$T_TMP/recompute.out" 2>&1 ||
	fail "the export does not recompute: $(head -5 "$T_TMP/recompute.out")"
cn model 1331 export "$T_TMP/1331.model" || fail "export failed"
python3 "$(dirname "$0")/../tools/model-recompute.py" --model "$T_TMP/1331.model" >/dev/null ||
	fail "the exported model's state does not recompute"
state1=$(cn model 1331 state)
expect_eq "$(awk '$1 == "state" { print $2 }' "$T_TMP/1331.model")" "$state1" "the exported state"
# The observers' counters: records fed to the model; none dropped or refused.
cn status --json | jq -c '.model | [.observed_wanted, .observed_fed > 0, .observed_over_budget,
	.observed_ring_full, .observed_malformed]' >"$T_TMP/counters"
expect_eq "$(cat "$T_TMP/counters")" '[1,true,0,0,0]' "observer counters (wanted, fed, drops, malformed)"

# The same workload learned again, in another container: the same state.
kill -TERM "$workload"
learn 1332
expect_eq "$(cn model 1332 state)" "$state1" "the same workload, learned in another container (observed events too)"
shell1332=$(cat "$T_TMP/shell")
wanted() { [ "$(cn status --json | jq -r .model.observed_wanted)" = "$1" ]; }
expect_eq "$(cn status --json | jq -r .model.observed_wanted)" 2 "containers wanted (1331, 1332)"

# Container 1332 ends (its last processes exit): it is no longer wanted.
kill -TERM "$workload" "$shell1332"
wait_until "container 1332 no longer wanted, once it ended" wanted 1

# A restart reloads 1331's domain (learning) and wants it again: its events after the restart
# (below) are observed.
stop_daemon
start_daemon
expect_eq "$(cn status --json | jq -r '.model | [.domains, .observed_wanted] | tostring')" '[1,1]' \
	"after a restart: 1331's domain reloaded and wanted (1332's container is gone)"
expect_eq "$(cn model 1331 state)" "$state1" "the state kept across the restart"

# Sealed: the shell's SIGUSR2 to itself was never learned: forensics, with its coefficient (the
# shell lives on, so its TASK_ID is known), and the shell untrusted.
cn model 1331 seal >/dev/null || fail "seal failed"
echo go >"$T_TMP/go-1331.fifo"
wait_for_line "$T_TMP/run-1331.out" '^released$' "the sealed container's shell"
expect_record 'type=CONTAINER_MODEL .* op=task_kill contid=1331 pid=[0-9]+ exe="[^"]*" event=task_kill coefficient=[0-9a-f]{64} mode=seal res=1' \
	"the new signal's forensics record"
offender=$(grep -Eo 'op=task_kill contid=1331 pid=[0-9]+' "$T_AUDIT" | head -1 | sed 's/.*pid=//')
expect_eq "$(cat "/proc/$offender/comm" 2>/dev/null)" sh "the process the record names (the shell)"
[ "$(cn model 1331 forensics | wc -l)" -ge 1 ] || fail "no forensics entry for the new signal"
untrusted() { cn model 1331 untrusted | grep -qx "$1"; }
wait_until "the shell untrusted" untrusted "$offender"
expect_eq "$(cn model 1331 state)" "$(cn model 1331 state)" "a stable state"
[ "$(cn model 1331 state)" != "$state1" ] || fail "the forensic coefficient did not change the state"
echo end >"$T_TMP/go-1331.fifo"
exit 0
