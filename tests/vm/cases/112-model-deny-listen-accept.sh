# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain's socket_listen and socket_accept outside its model,
# in the kernel (VM 111 covers socket_create, bind, connect and task_kill).  A workload that
# listens on a port, connects to itself and accepts is learned and exported; enforced in a new
# container the same workload listens and accepts (the kernel's coefficients equal canisterd's),
# while a listen with another backlog, the attack of the container's root, gets EPERM from the BPF
# LSM hook and is recorded as forensics with res=0.  A model learned without the accept denies
# the accept (EPERM, res=0) and lets its learned listen through.  Learning never denies.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
ip link set lo up || fail "cannot bring the loopback up"
start_daemon
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: .*socket_listen socket_accept' \
	"what lsm mode denies"

# serve_in ARGS...: model-connect in a new container (cn run ARGS -- model-connect -l|-a ...);
# its exit status (the errno) in $status, its line in $said.
serve_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

# Learned: bind, listen (backlog 5), a connect to itself, accept.
serve_in --id 1201 --model learn -- model-connect -a 5031 5
expect_eq "$status" 0 "the learning run's listen and accept ($said)"
cn model 1201 events >"$T_TMP/learned.jsonl" || fail "events"
for event in socket_listen socket_accept; do
	grep -q "\"type\": *\"$event\"" "$T_TMP/learned.jsonl" ||
		fail "the $event was not learned: $(cat "$T_TMP/learned.jsonl")"
done
cn model 1201 export "$T_TMP/accept.model" || fail "export failed"

serve_in --id 1202 --model "$T_TMP/accept.model" --model-enforce -- model-connect -a 5031 5
expect_eq "$status" 0 "the learned listen and accept, enforced ($said)"
expect_eq "$(cn model 1202 forensics)" "" "forensics of the learned workload"

# The attack: the same port, another backlog: the bind is the model's, the listen is not.
serve_in --id 1203 --model "$T_TMP/accept.model" --model-enforce -- model-connect -l 5031 7
expect_eq "$status" "$EPERM" "a listen outside the model, enforced ($said)"
expect_match "$said" 'listen 5031: listen: Operation not permitted' "what the workload saw"
expect_record "type=CONTAINER_MODEL .* op=socket_listen contid=1203 .*event=socket_listen coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied listen's record" 60

# A model that listened but never accepted: its listen goes through, the accept is denied.
serve_in --id 1211 --model learn -- model-connect -l 5041 5
expect_eq "$status" 0 "the learning run's listen ($said)"
cn model 1211 export "$T_TMP/listen.model" || fail "export failed"
serve_in --id 1212 --model "$T_TMP/listen.model" --model-enforce -- model-connect -l 5041 5
expect_eq "$status" 0 "the learned listen, enforced ($said)"
serve_in --id 1213 --model "$T_TMP/listen.model" --model-enforce -- model-connect -a 5041 5
expect_eq "$status" "$EPERM" "an accept outside the model, enforced ($said)"
expect_match "$said" 'accept 5041: accept: Operation not permitted' "what the workload saw"
expect_record "type=CONTAINER_MODEL .* op=socket_accept contid=1213 .*event=socket_accept coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied accept's record" 60
denied=$(cn model 1213 counts | awk '$1 == "denied" { print $2 }')
[ "${denied:-0}" -ge 1 ] || fail "the denied accept is not counted: $(cn model 1213 counts)"

# Never denied while learning: the listen and the accept the enforced runs were denied.
serve_in --id 1221 --model learn -- model-connect -l 5031 7
expect_eq "$status" 0 "the other listen while learning ($said)"
serve_in --id 1222 --model learn -- model-connect -a 5041 5
expect_eq "$status" 0 "the accept while learning ($said)"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
