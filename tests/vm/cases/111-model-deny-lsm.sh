# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain's observed events in the kernel.  A workload that
# connects to one port (socket_create, socket_connect) is learned and exported; under that model,
# enforced in a new container, the learned connect goes through (ECONNREFUSED: nobody listens), while
# a connect to another port, the attack of the container's root, gets EPERM from the BPF LSM hook
# and is recorded as forensics with res=0; the same connect in a learning container, in a sealed
# one (forensics, res=1) and on the host goes through.  The learned connect passing proves the
# kernel's coefficient equals canisterd's byte for byte (the model holds only canisterd's).  A
# shell's signal to itself, learned, goes through when enforced; SIGUSR2, never learned, is denied.
# A connect by TCP Fast Open (sendto() with MSG_FASTOPEN) is judged as a connect.  A process
# that ran across a canisterd restart is judged as before it.  A learned bind binds,
# another is denied.  A forked child that never executes is judged with its parent's TASK_ID.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

ECONNREFUSED=111
EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
ip link set lo up || fail "cannot bring the loopback up"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: socket_create socket_bind socket_connect socket_listen socket_accept task_kill' \
	"what lsm mode denies"

# connect_in ARGS...: model-connect in a new container (cn run ARGS -- model-connect PORT); its
# exit status (the errno) in $status, its line in $said.
connect_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

connect_in --id 1111 --model learn -- model-connect 5001
expect_eq "$status" "$ECONNREFUSED" "the learning run's connect ($said)"
cn model 1111 events >"$T_TMP/learned.jsonl" || fail "events"
grep -q '"type": *"socket_connect"' "$T_TMP/learned.jsonl" ||
	fail "the connect was not learned: $(cat "$T_TMP/learned.jsonl")"
cn model 1111 export "$T_TMP/connect.model" || fail "export failed"

connect_in --id 1112 --model "$T_TMP/connect.model" --model-enforce -- model-connect 5001
expect_eq "$status" "$ECONNREFUSED" "the learned connect, enforced ($said)"
expect_eq "$(cn model 1112 forensics)" "" "forensics of the learned workload"

# The attack: root in an enforced container connects where the model never did.
connect_in --id 1113 --model "$T_TMP/connect.model" --model-enforce -- model-connect 5002
expect_eq "$status" "$EPERM" "a connect outside the model, enforced ($said)"
expect_match "$said" 'connect 5002: connect: Operation not permitted' "what the workload saw"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1113 .*event=socket_connect coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied connect's record" 60
denied=$(cn model 1113 counts | awk '$1 == "denied" { print $2 }')
[ "${denied:-0}" -ge 1 ] || fail "the denied connect is not counted: $(cn model 1113 counts)"

# The same attack by TCP Fast Open: sendto() with MSG_FASTOPEN connects inside the send, no
# connect() call, so no socket_connect hook; judged as the connect it is.  The learned port
# goes through (the same CELL), another is denied and recorded.
connect_in --id 1116 --model "$T_TMP/connect.model" --model-enforce -- model-connect -F 5001
expect_eq "$status" "$ECONNREFUSED" "the learned connect by Fast Open, enforced ($said)"
connect_in --id 1117 --model "$T_TMP/connect.model" --model-enforce -- model-connect -F 5002
expect_eq "$status" "$EPERM" "a Fast Open connect outside the model, enforced ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1117 .*mode=enforce res=0" \
	"the denied Fast Open connect's record" 60

# Never denied: a learning domain, a sealed one (forensics, res=1), the host.
connect_in --id 1114 --model learn -- model-connect 5002
expect_eq "$status" "$ECONNREFUSED" "the same connect while learning ($said)"
connect_in --id 1115 --model "$T_TMP/connect.model" -- model-connect 5002
expect_eq "$status" "$ECONNREFUSED" "the same connect, sealed ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1115 .*mode=seal res=1" \
	"the sealed connect's record" 60
status=0
model-connect 5002 >/dev/null || status=$?
expect_eq "$status" "$ECONNREFUSED" "the same connect on the host"

# A bind: learned to one port, enforced, it binds there and gets EPERM for another.
connect_in --id 1131 --model learn -- model-connect -b 5011
expect_eq "$status" 0 "the learning run's bind ($said)"
cn model 1131 export "$T_TMP/bind.model" || fail "export failed"
connect_in --id 1132 --model "$T_TMP/bind.model" --model-enforce -- model-connect -b 5011
expect_eq "$status" 0 "the learned bind, enforced ($said)"
connect_in --id 1133 --model "$T_TMP/bind.model" --model-enforce -- model-connect -b 5012
expect_eq "$status" "$EPERM" "a bind outside the model, enforced ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_bind contid=1133 .*mode=enforce res=0" \
	"the denied bind's record" 60

# A forked child that connects without executing has no TASK_ID of its own in the kernel: it
# takes its parent's, whose program it runs.  Learned (the child waits until its connect is
# in the model), enforced: the child's learned connect goes through, another port is denied.
cn run --id 1141 --model learn -- model-connect -f 5021 "$T_TMP/go-child" >"$T_TMP/child.out" &
child_run=$!
wait_for_line "$T_TMP/child.out" '^connect 5021:' "the learning child's connect"
child_learned() { cn model 1141 events | grep '"socket_connect"' | grep -q '"5021"'; }
wait_until 30 "the child's connect learned" child_learned
touch "$T_TMP/go-child"
status=0
wait "$child_run" || status=$?
expect_eq "$status" "$ECONNREFUSED" "the learning child's connect ($(cat "$T_TMP/child.out"))"
cn model 1141 export "$T_TMP/child.model" || fail "export failed"
connect_in --id 1142 --model "$T_TMP/child.model" --model-enforce -- \
	model-connect -f 5021 "$T_TMP/go-child"
expect_eq "$status" "$ECONNREFUSED" "a forked child's learned connect, enforced ($said)"
connect_in --id 1143 --model "$T_TMP/child.model" --model-enforce -- \
	model-connect -f 5022 "$T_TMP/go-child"
expect_eq "$status" "$EPERM" "a forked child's connect outside the model, enforced ($said)"

# Across a restart: the kernel's TASK_IDs start empty, so canisterd derives those of an enforced
# container's running processes before it enforces it again; a process that ran before the
# restart still connects where its model says it may (and not elsewhere).
for port in 5001 5002; do
	rm -f "$T_TMP/go"
	cn run --id $((port - 3880)) --model "$T_TMP/connect.model" --model-enforce -- \
		model-connect $port "$T_TMP/go" >"$T_TMP/restart-$port.out" 2>&1 &
	echo $! >"$T_TMP/restart-$port.pid"
	wait_for_line "$T_TMP/restart-$port.out" '^waiting$' "the connect waiting on port $port"
done
stop_daemon
start_daemon
touch "$T_TMP/go"
for port in 5001 5002; do
	status=0
	wait "$(cat "$T_TMP/restart-$port.pid")" || status=$?
	said=$(cat "$T_TMP/restart-$port.out")
	if [ $port = 5001 ]; then
		expect_eq "$status" "$ECONNREFUSED" "the learned connect after a restart ($said)"
	else
		expect_eq "$status" "$EPERM" "a connect outside the model after a restart ($said)"
	fi
done

# A signal: a shell that learned to send itself SIGCONT, enforced, still does, and its SIGUSR2
# (ignored, so that a signal let through would do nothing) is denied.
SIGNALS='trap "" USR2; kill -CONT $$ || exit 3; kill -USR2 $$ 2>/dev/null && exit 4; exit 0'
cn run --id 1116 --model learn -- sh -c 'trap "" USR2; kill -CONT $$' ||
	fail "the learning run of the signals failed"
cn model 1116 export "$T_TMP/signals.model" || fail "export failed"
status=0
cn run --id 1117 --model "$T_TMP/signals.model" --model-enforce -- sh -c "$SIGNALS" || status=$?
expect_eq "$status" 0 "a learned signal sent and one outside the model denied (3: SIGCONT denied, 4: SIGUSR2 sent)"
expect_record "type=CONTAINER_MODEL .* op=task_kill contid=1117 .*event=task_kill coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied signal's record" 60
status=0
cn run --id 1118 --model "$T_TMP/signals.model" -- sh -c "$SIGNALS" || status=$?
expect_eq "$status" 4 "the same signal, sealed: sent"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
