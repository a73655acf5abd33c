# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain's ptrace_access_check outside its model, in the
# kernel.  A workload that attaches to its own child (a program executed, so that its TASK_ID is
# known) is learned and exported; enforced in a new container, the same attach goes through (the
# kernel's coefficient equals canisterd's), while opening the child's /proc/PID/environ, the
# attack of the container's root on another process's secrets (an access check of another mode),
# is refused by the BPF LSM hook (open(2) says EACCES for it) and recorded as forensics with
# res=0.  The same read while learning goes through.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EACCES=13

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: .*ptrace_access_check' \
	"what lsm mode denies"

# The child must run until canisterd has read the event (it resolves the target's TASK_ID then).
cn run --id 1501 --model learn -- model-ptrace attach "$T_TMP/go-learn" >"$T_TMP/learn.out" &
learn_run=$!
wait_for_line "$T_TMP/learn.out" '^attach:' "the learning run's attach"
attach_learned() { cn model 1501 events | grep -q '"type": *"ptrace_access_check"'; }
wait_until 60 "the attach learned" attach_learned
touch "$T_TMP/go-learn"
status=0
wait "$learn_run" || status=$?
expect_eq "$status" 0 "the learning run's attach ($(cat "$T_TMP/learn.out"))"
cn model 1501 export "$T_TMP/attach.model" || fail "export failed"

touch "$T_TMP/go-now"
status=0
said=$(cn run --id 1502 --model "$T_TMP/attach.model" --model-enforce -- \
	model-ptrace attach "$T_TMP/go-now") || status=$?
expect_eq "$status" 0 "the learned attach, enforced ($said)"

# The attack: the child's environment.  The child runs until the denial is recorded.
cn run --id 1503 --model "$T_TMP/attach.model" --model-enforce -- \
	model-ptrace environ "$T_TMP/go-attack" >"$T_TMP/attack.out" &
attack_run=$!
wait_for_line "$T_TMP/attack.out" '^environ:' "the enforced run's read"
expect_record "type=CONTAINER_MODEL .* op=ptrace_access_check contid=1503 .*event=ptrace_access_check coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied access check's record" 60
touch "$T_TMP/go-attack"
status=0
wait "$attack_run" || status=$?
expect_eq "$status" "$EACCES" "a read of the child's environ outside the model, enforced ($(cat "$T_TMP/attack.out"))"
expect_match "$(cat "$T_TMP/attack.out")" 'environ: environ: Permission denied' "what the workload saw"

# Never denied while learning.
status=0
said=$(cn run --id 1504 --model learn -- model-ptrace environ "$T_TMP/go-now") || status=$?
expect_eq "$status" 0 "the same read while learning ($said)"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
