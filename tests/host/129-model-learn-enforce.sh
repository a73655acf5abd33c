# SPDX-License-Identifier: GPL-2.0-only
# canister: behaviour models at the file gate (issue 15).  The same scripted workload learned
# twice, in two containers, gives the same state value; a different workload another one.
# tests/tools/model-recompute.py recomputes every coefficient of a live `model N events`
# export.  The model exported, loaded and enforced for a new container: the workload runs, a
# new command is denied at the exec gate (exit 126) and recorded (CONTAINER_MODEL), and a
# process that strays (a new open, denied) is untrusted, and so is a child it forks after (marked
# by the kernel at the fork), across a restart of canisterd.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

WORK='cat /etc/hostname >/dev/null; ls / >/dev/null'
OTHER='cat /etc/hostname >/dev/null; id >/dev/null'

cn run --id 1291 --model learn -- sh -c "$WORK" || fail "the first learning run failed"
cn run --id 1292 --model learn -- sh -c "$WORK" || fail "the second learning run failed"
cn run --id 1293 --model learn -- sh -c "$OTHER" || fail "the other workload's run failed"
expect_eq "$(cn model 1291 counts | awk '$1 == "mode" { print $2 }')" learn "a learning model's mode"
learned=$(cn model 1291 counts | awk '$1 == "learned" { print $2 }')
[ "$learned" -ge 4 ] || fail "the workload gave $learned coefficients (exec sh, cat, ls and their opens)"
state1=$(cn model 1291 state)
expect_match "$state1" '^[0-9a-f]{64}$' "a state value"
expect_eq "$(cn model 1292 state)" "$state1" "the same workload learned in another container"
[ "$(cn model 1293 state)" != "$state1" ] || fail "another workload gave the same state value"
expect_eq "$(cn --json model 1291 state | jq -r .state)" "$state1" "state --json"

# Every coefficient of the live export recomputes independently.
cn model 1291 events >"$T_TMP/events.jsonl"
expect_eq "$(wc -l <"$T_TMP/events.jsonl")" "$learned" "one export line per learned coefficient"
grep -q '"type": *"bprm_set_creds"' "$T_TMP/events.jsonl" || fail "no exec event exported"
grep -q '"pathname": *"/etc/hostname"' "$T_TMP/events.jsonl" || fail "no open of /etc/hostname exported"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events.jsonl" ||
	fail "the export does not recompute"

# Exported: a model file whose state is the learned state (no forensics in a learning model).
cn model 1291 export "$T_TMP/work.model" || fail "export failed"
expect_eq "$(awk '$1 == "state" { print $2 }' "$T_TMP/work.model")" "$state1" "the exported state"
python3 "$(dirname "$0")/../tools/model-recompute.py" --model "$T_TMP/work.model" >/dev/null ||
	fail "the exported model's state does not recompute"

# Enforced in a new container: the workload runs.
cn run --id 1294 --model "$T_TMP/work.model" --model-enforce -- sh -c "$WORK" ||
	fail "the learned workload did not run under its enforced model"
expect_eq "$(cn model 1294 forensics)" "" "forensics of the learned workload"
expect_eq "$(cn model 1294 counts | awk '$1 == "mode" { print $2 }')" enforce "the loaded model's mode"

# A new command is denied at the exec gate, and recorded.
status=0
cn run --id 1295 --model "$T_TMP/work.model" --model-enforce -- sh -c "$WORK; id" \
	>/dev/null 2>"$T_TMP/denied.err" || status=$?
expect_eq "$status" 126 "a command outside the model (id), enforced"
grep -q "Operation not permitted" "$T_TMP/denied.err" || fail "no EPERM: $(cat "$T_TMP/denied.err")"
expect_record 'type=CONTAINER_MODEL .* op=exec contid=1295 pid=[0-9]+ exe="[^"]*" target="/usr/bin/id" event=bprm_set_creds coefficient=[0-9a-f]{64} mode=enforce res=0' \
	"the denied exec's record"
[ "$(cn model 1295 forensics | wc -l)" -ge 1 ] || fail "no forensics entry for the denied exec"

# Sealed, not enforced: the same command runs, and is forensics all the same.
cn model load 1296 "$T_TMP/work.model" 2>&1 | grep -q "no container" ||
	fail "a load for a container that does not exist"
mkfifo "$T_TMP/fifo"
# A process strays (an open outside the model, denied), then forks a child that waits.
cn run --id 1297 --model "$T_TMP/work.model" --model-enforce -- \
	sh -c "read x </etc/passwd 2>/dev/null || :; cat '$T_TMP/fifo' >/dev/null; echo strayed" \
	>"$T_TMP/strayed.out" 2>&1 &
started $!
child_started() { pgrep -f "cat $T_TMP/fifo" >/dev/null; }
wait_until 30 "the straying process's child" child_started
child=$(pgrep -f "cat $T_TMP/fifo")
offender=$(awk '{ print $4 }' "/proc/$child/stat")
expect_record "type=CONTAINER_MODEL .* op=open contid=1297 pid=$offender .* target=\"/etc/passwd\" event=file_open .* mode=enforce res=0" \
	"the denied open's record"
untrusted() { cn model 1297 untrusted | grep -qx "$1"; }
wait_until 30 "the offender untrusted" untrusted "$offender"
wait_until 30 "its child untrusted" untrusted "$child"
# This kernel has tp_btf: the child was marked at its fork, in a pinned map that outlives canisterd.
expect_eq "$(cn status --json | jq -r .model.marking)" kernel "who marks children"
stop_daemon
start_daemon
untrusted "$offender" || fail "the offender's mark did not survive a restart"
untrusted "$child" || fail "the child's mark did not survive a restart"
echo go >"$T_TMP/fifo"
wait_for_line "$T_TMP/strayed.out" '^strayed$' "the straying workload's end"

cn status | grep -q '^model: [0-9]* domains' || fail "no model line in canister status"
exit 0
