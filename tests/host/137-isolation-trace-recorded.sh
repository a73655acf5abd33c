# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode records, and does not deny, the cross-container signals and ptrace attaches that lsm mode's isolation denies: a container's signal (signal 0 included) to another container's process or to a host process (kill, and each of tkill, tgkill, rt_sigqueueinfo and rt_tgsigqueueinfo), its PTRACE_SEIZE of another container's process and its process_vm_readv/writev of a host process, and its controls of a host process that act as a signal would (prlimit, setpriority, ioprio_set, sched_setaffinity, sched_setparam, migrate_pages: op=rlimit|nice|ioprio|scheduler|move-memory right=signal), each a CONTAINER_ACCESS record op=signal|ptrace cause=recorded-only mode=complain res=1 with the target's pid, uid and container; a signal within the container, the host's signals and what a credential grants are not recorded; the status says signal and ptrace are recorded only and files not recorded.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/access.sh"

command -v jq >/dev/null || fail "jq is missing"
start_daemon
grep -q 'access: cross-container isolation recorded only' "$T_LOG" ||
	fail "no isolation recorder: $(grep 'isolation' "$T_LOG" | grep -v libbpf | tail -20)"
rows=$(cn status --json | jq -r '.access.rights[] | select(.right | startswith("isolation")) | .right + ": " + .canisterd')
expect_match "$rows" "^isolation signal: recorded only \(trace mode: no BPF LSM; syscall tracepoints; recorder idle: no container\), grants aside\$" "the status's isolation signal row"
expect_match "$rows" "^isolation ptrace: recorded only \(trace mode: no BPF LSM; ptrace attach" "the status's isolation ptrace row"
expect_match "$rows" "^isolation files: not enforced, not recorded" "the status's isolation files row"

# isolation_record OP CONTID TARGET: the pattern of one recorded-only isolation record.
isolation_record()
{
	echo "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=$1 contid=$2 by=$2 pid=[0-9]+ target=\"$3\" right=$1 cause=recorded-only mode=complain res=1\$"
}

hold 1370
A=$HELD
hold 1371
B=$HELD
hold 1372
C=$HELD
expect_match "$(cn status --json | jq -r '.access.rights[] | select(.right == "isolation signal") | .canisterd')" \
	"; recorder attached\), grants aside\$" "the status's isolation signal row with containers"
sleep 600 &
HOST=$!
started $HOST

# Across containers: let through (the shell's kill succeeds), recorded.
cn run --id 1370 -- sh -c "kill -0 $B" || fail "1370's signal 0 to 1371's process was refused in trace mode"
expect_record "$(isolation_record signal 1370 "pid:$B,uid:0,contid:1371")" "the record of 1370's signal to 1371"
cn run --id 1370 -- sh -c "kill -CONT $HOST" || fail "1370's signal to a host process was refused in trace mode"
expect_record "$(isolation_record signal 1370 "pid:$HOST,uid:0,host")" "the record of 1370's signal to the host"
cn run --id 1370 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}ptrace-attach" "$C" >/dev/null 2>&1
expect_record "$(isolation_record ptrace 1370 "pid:$C,uid:0,contid:1372")" "the record of 1370's ptrace attach to 1372"
kill -0 "$B" "$C" || fail "the targets did not survive"
# Each of the other system calls that name a process (the recorder compares their numbers):
# one host process each, so that no record is folded into another's.
for call in tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo process_vm_readv process_vm_writev; do
	sleep 600 &
	target=$!
	started $target
	cn run --id 1370 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}pid-call" "$call" "$target" >/dev/null ||
		fail "1370's $call could not be made"
	case $call in
	process_vm_*) op=ptrace ;;
	*) op=signal ;;
	esac
	expect_record "$(isolation_record $op 1370 "pid:$target,uid:0,host")" "the record of 1370's $call to a host process"
done
# The controls that act as a signal would (lsm mode refuses them with the signals, VM 141):
# recorded by kind, right=signal.
for call in prlimit:rlimit setpriority:nice ioprio_set:ioprio sched_setaffinity:scheduler \
	sched_setparam:scheduler migrate_pages:move-memory; do
	sleep 600 &
	target=$!
	started $target
	cn run --id 1370 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}pid-call" "${call%%:*}" "$target" >/dev/null ||
		fail "1370's ${call%%:*} could not be made"
	expect_record "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=${call#*:} contid=1370 by=1370 pid=[0-9]+ target=\"pid:$target,uid:0,host\" right=signal cause=recorded-only mode=complain res=1\$" \
		"the record of 1370's ${call%%:*} on a host process"
done
cn run --id 1370 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}pid-call" prlimit "$A" >/dev/null ||
	fail "1370's prlimit on its own process"

# Not recorded: within a container, from the host, and what a credential opens.  A marker
# recorded after them shows the records caught up.
cn run --id 1371 -- sh -c "kill -0 $B" || fail "1371's signal to its own process"
kill -0 "$B"
cn grant 1370 --as 1371:0 >/dev/null || fail "grant 1370 --as 1371:0"
cn run --id 1370 -- sh -c "kill -CONT $B" || fail "1370's granted signal"
cn run --id 1372 -- sh -c "kill -0 $A" || fail "the marker signal"
expect_record "$(isolation_record signal 1372 "pid:$A,uid:0,contid:1370")" "the marker's record"
no_record "op=signal contid=1371 " "a signal within container 1371"
no_record "op=rlimit contid=1370 .*target=\"pid:$A," "1370's prlimit on its own process"
expect_eq "$(grep -c "op=signal contid=1370 .*target=\"pid:$B," "$T_AUDIT")" 1 "records of 1370's signals to 1371's process, the granted one not among them"
no_record "op=(signal|ptrace) contid=(1370|1371|1372) .*mode=enforce" "a record that claims a denial in trace mode"
exit 0
