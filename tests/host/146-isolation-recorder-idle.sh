# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode attaches the cross-container isolation recorder (tp_btf/sys_enter, which runs at every system call of the host) only while a container lives: with none, the status says "recorder idle: no container" and no link is pinned; the first registration attaches it before it is answered (its pinned link is in the kernel, a cross-container signal right after is recorded); the last container's drop detaches it (the link is gone from the kernel, not only unpinned); a canisterd restarted while a container lives attaches it again and records; one restarted after the last container ended meanwhile leaves it detached.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/access.sh"

command -v jq >/dev/null || fail "jq is missing"
command -v bpftool >/dev/null || fail "bpftool is missing"
LINK=$T_PIN/links/canister_isolation_trace

# signal_row: what the status says of the isolation signal right (canisterd's column).
signal_row()
{
	cn status --json | jq -r '.access.rights[] | select(.right == "isolation signal") | .canisterd'
}
idle() { [ "$(signal_row)" = "recorded only (trace mode: no BPF LSM; syscall tracepoints; recorder idle: no container), grants aside" ]; }
attached() { [ "$(signal_row)" = "recorded only (trace mode: no BPF LSM; syscall tracepoints; recorder attached), grants aside" ]; }
# link_id: the kernel's id of the pinned recorder link.
link_id() { bpftool -j link show pinned "$LINK" | jq -r .id; }
link_gone() { ! bpftool link show id "$1" >/dev/null 2>&1; }
isolation_record()
{
	echo "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=signal contid=$1 by=$1 pid=[0-9]+ target=\"pid:$2,uid:0,contid:$3\" right=signal cause=recorded-only mode=complain res=1\$"
}

# --- no container: nothing attached -------------------------------------------------------------
start_daemon
idle || fail "the status with no container: $(signal_row)"
[ ! -e "$LINK" ] || fail "the recorder's link is pinned with no container"
expect_match "$(cn status)" "^  isolation ptrace: canisterd: recorded only \(trace mode: no BPF LSM; ptrace attach, process_vm_readv/writev; recorder idle: no container\), grants aside; " \
	"the status's isolation ptrace line with no container"

# --- the first registration attaches it before it is answered ------------------------------------
hold 1460
A=$HELD
# No wait: the registration's answer came after the attach.
attached || fail "the status right after the first registration: $(signal_row)"
[ -e "$LINK" ] || fail "no pinned recorder link after the first registration"
id=$(link_id)
[ -n "$id" ] && [ "$id" != null ] || fail "the pinned recorder link is not in the kernel"
hold 1461
B=$HELD
cn run --id 1460 -- sh -c "kill -0 $B" || fail "1460's signal 0 to 1461's process was refused in trace mode"
expect_record "$(isolation_record 1460 "$B" 1461)" "the record of 1460's signal to 1461"
expect_eq "$(link_id)" "$id" "the recorder link after the second container (attached once)"

# --- the last drop detaches it; one left keeps it ---------------------------------------------------
kill "$A"
wait_until "container 1460's drop" grep -q 'container 1460 dropped' "$T_LOG"
attached || fail "the status with container 1461 left: $(signal_row)"
kill "$B"
wait_until "the recorder idle after the last drop" idle
[ ! -e "$LINK" ] || fail "the recorder's link is still pinned after the last drop"
link_gone "$id" || fail "the recorder's link $id is still in the kernel after the last drop"
grep -q 'access: isolation recorder detached: no container left' "$T_LOG" ||
	fail "canisterd's log does not say the recorder was detached"

# --- a restart with a live container attaches it again --------------------------------------------
hold 1462
C=$HELD
hold 1463
D=$HELD
stop_daemon
[ -e "$LINK" ] || fail "the recorder's link is not pinned while canisterd is stopped with containers"
start_daemon
attached || fail "the status after a restart with containers: $(signal_row)"
cn run --id 1462 -- sh -c "kill -0 $D" || fail "1462's signal 0 to 1463's process was refused in trace mode"
expect_record "$(isolation_record 1462 "$D" 1463)" "the record of 1462's signal to 1463 after the restart"
expect_eq "$(ls "$T_PIN/links" | grep -c '^canister_isolation_trace$')" 1 "recorder links pinned after the restart"

# --- a restart after the last container ended while canisterd was down: detached ------------------
id=$(link_id)
stop_daemon
kill "$C" "$D"
wait "$C" "$D" 2>/dev/null
start_daemon
wait_until "the recorder idle after a restart with no container left" idle
[ ! -e "$LINK" ] || fail "the recorder's link is still pinned after a restart with no container"
link_gone "$id" || fail "the recorder's link $id is still in the kernel after a restart with no container"
stop_daemon
exit 0
