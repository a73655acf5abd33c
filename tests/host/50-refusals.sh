# SPDX-License-Identifier: GPL-2.0-only
# Registration refusals seen from the CLI: each with its errno's meaning and one clear line.
. "$(dirname "$0")/../lib/harness.sh"

start_daemon

# EINVAL: malformed arguments never reach the daemon.
out=$(cn set 1 -1 2>&1) && fail "set accepted contid -1"
expect_eq "$out" "canister: '-1' is not a container ID (decimal, 0..18446744073709551614)" "-1"
out=$(cn set 1 18446744073709551615 2>&1) && fail "set accepted (u64)-1"
out=$(cn get abc 2>&1) && fail "get accepted a non-numeric pid"
expect_eq "$out" "canister: 'abc' is not a process ID (1..2147483647)" "non-numeric pid"
out=$(cn --json get 0 2>/dev/null) && fail "get accepted pid 0"
expect_eq "$(printf '%s' "$out" | jq -r .errno)" EINVAL "--json error object"

# ESRCH
out=$(cn set 2147483647 5 2>&1) && fail "set of a missing pid succeeded"
expect_eq "$out" "canister: no process 2147483647" "missing pid"

# EXDEV: an orchestrator registering itself (through libcanister, as a runtime would).
out=$(tool register-self "$T_SOCK") && fail "a caller registered itself: $out"
expect_match "$out" "^refused: Invalid cross-device link: pid [0-9]+ is the caller itself; register a child instead\$" \
	"EXDEV"

# EBUSY: a process that already has children would leave them outside.
sh -c 'sleep 30 & sleep 30 & wait' &
parent=$!
has_children() { [ -n "$(cat "/proc/$parent/task/"*/children 2>/dev/null)" ]; }
wait_until "the parent forks" has_children
out=$(cn set "$parent" 5 2>&1) && fail "set of a process with children succeeded"
expect_eq "$out" "canister: pid $parent already has children, which would stay outside the container" "EBUSY"

# EEXIST: write-once.
cn run --id 11 -- sh -c 'echo $$ >'"$T_TMP"'/c.pid; exec sleep 30' &
runner=$!
wait_for_file "$T_TMP/c.pid"
child=$(cat "$T_TMP/c.pid")
out=$(cn set "$child" 12 2>&1) && fail "a second registration succeeded"
expect_eq "$out" "canister: pid $child already belongs to container 11" "EEXIST"
expect_eq "$(cn get "$child")" 11 "contid unchanged after a refused set"

# EPERM: a process inside a container cannot register anyone, even as root.
out=$(cn run --id 13 -- "$CANISTER" --socket "$T_SOCK" run --id 14 -- true 2>&1) &&
	fail "a labelled caller registered a container"
expect_match "$out" "^canister: caller \(pid [0-9]+\) is inside container 13 and holds no delegation\$" \
	"labelled caller"

# EPERM: root without CAP_AUDIT_CONTROL is not an orchestrator.
out=$(setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" run --id 15 -- true 2>&1) &&
	fail "a caller without CAP_AUDIT_CONTROL registered a container"
expect_match "$out" "lacks CAP_AUDIT_CONTROL in the initial user namespace" "no CAP_AUDIT_CONTROL"
# ... also when it asks canisterd to choose the contid: EPERM, not a complaint about the contid.
out=$(setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" --json run -- true 2>/dev/null) &&
	fail "a caller without CAP_AUDIT_CONTROL had a contid allocated"
expect_eq "$(printf '%s' "$out" | jq -r .errno)" EPERM "allocation without CAP_AUDIT_CONTROL"

# A refused run never starts CMD.
rm -f "$T_TMP/ran"
cn run --id 13 -- "$CANISTER" --socket "$T_SOCK" run --id 14 -- touch "$T_TMP/ran" 2>/dev/null
[ ! -e "$T_TMP/ran" ] || fail "CMD ran although its registration was refused"

# The socket is root-only.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CANISTER" --socket "$T_SOCK" status 2>&1) &&
	fail "an unprivileged user reached the control socket"
expect_match "$out" "not allowed to talk to canisterd" "unprivileged user"

# Every refusal is a record too, with its errno and res=0.
expect_record "type=CONTAINER_OP msg=audit\([0-9]+\.[0-9]{3}:[0-9]+\): op=set opid=$child contid=12 old-contid=11 pid=[0-9]+ auid=[0-9]+ uid=0 ses=[0-9]+ errno=EEXIST reason=[0-9A-F]+ res=0\$" \
	"EEXIST record"
expect_record "op=set opid=$parent contid=5 old-contid=-1 .* errno=EBUSY .*res=0\$" "EBUSY record"
expect_record "op=set opid=2147483647 contid=5 .* errno=ESRCH .*res=0\$" "ESRCH record"
expect_record "op=set opid=[0-9]+ contid=14 old-contid=13 .* errno=EPERM .*res=0\$" "EPERM record"

kill "$child" 2>/dev/null
pkill -P "$parent" sleep
wait "$runner" "$parent"
stop_daemon
