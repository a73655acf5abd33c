# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a program executed by a thread other than its process's leader keeps the
# TASK_ID canisterd gave it in the kernel.  canisterd writes it while the gate holds the exec, into
# the task storage of the thread group's leader; the kernel then makes the executing thread the
# leader and frees the old one with its storage (de_thread()).  Before, the new program ran with no
# TASK_ID in the kernel: in an enforced container its first learned connect was denied (EPERM).
# Now the executing thread takes a copy first (lsm/bprm_check_security): the learned connect goes
# through (ECONNREFUSED: nobody listens), a connect to another port is still denied, and the
# program's own leader's exec (no thread) is judged as before.
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

# thread_connect ID ARGS... PORT: in a new container, thread-exec (a forked child whose second
# thread executes model-connect PORT); the errno in $status, what was said in $said.
thread_connect()
{
	status=0
	said=$(cn run "$@" 2>&1) || status=$?
}

# Learned: the fork, the thread's exec, the program's socket and connect.
thread_connect --id 1271 --model learn -- thread-exec model-connect 5001
expect_eq "$status" "$ECONNREFUSED" "the learning run's connect ($said)"
cn model 1271 events >"$T_TMP/learned.jsonl" || fail "events"
grep -q '"type": *"socket_connect"' "$T_TMP/learned.jsonl" ||
	fail "the connect was not learned: $(cat "$T_TMP/learned.jsonl")"
cn model 1271 export "$T_TMP/thread.model" || fail "export failed"

# Enforced: the program the thread executed connects where it learned to.
thread_connect --id 1272 --model "$T_TMP/thread.model" --model-enforce -- \
	thread-exec model-connect 5001
expect_eq "$status" "$ECONNREFUSED" "the learned connect after a thread's exec, enforced ($said)"
expect_eq "$(cn model 1272 forensics)" "" "forensics of the learned workload"

# And nowhere else: the TASK_ID it took is the program's, judged as any.
thread_connect --id 1273 --model "$T_TMP/thread.model" --model-enforce -- \
	thread-exec model-connect 5002
expect_eq "$status" "$EPERM" "a connect outside the model after a thread's exec ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1273 .*mode=enforce res=0" \
	"the denied connect's record" 60

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
