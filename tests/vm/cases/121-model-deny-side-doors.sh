# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: the side doors an attacker root in a container tries against an enforced model's denials in the kernel (docs/model.md, "Denied in the kernel").  A workload learns TCP connects to one port (plainly and through a socket handed in from the host over AF_UNIX); under that model, enforced, each side door to another port is denied with EPERM and the learned port still connects: a second thread, a child sharing the memory (CLONE_VM|CLONE_VFORK), io_uring's IORING_OP_CONNECT, a socket made outside the container and passed in (SCM_RIGHTS); io_uring's IORING_OP_SOCKET is judged as socket(2) (an IPv6 socket the model never made: EPERM both ways); pidfd_send_signal is judged as kill (EPERM), process_vm_readv of its own child as a ptrace access (EPERM); execveat(AT_EMPTY_PATH) of an O_PATH fd of a program the model never ran is denied at the gate (EPERM).
# A datagram sent with an address (sendto(), sendmsg(), sendmmsg()) is judged as the
# socket_connect it amounts to: VM 126 (docs/model.md, "Datagrams sent to an address").
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/integrity.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
ip link set lo up || fail "cannot bring the loopback up"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# The host hands a TCP socket it made to whoever asks on this AF_UNIX path.
SOCK=$T_TMP/handout.sock
lsm-attack fd-serve "$SOCK" >"$T_TMP/serve.out" &
started $!
wait_for_line "$T_TMP/serve.out" '^serving$' "the host's socket handout"

cn run --id 1210 --model learn -- sh -c "lsm-attack connect 5001; lsm-attack fd-connect $SOCK 5001" \
	>"$T_TMP/learn.out" 2>&1
expect_eq "$(cat "$T_TMP/learn.out")" "connect: connect: Connection refused
fd-connect: connect: Connection refused" "the learning run"
cn model 1210 export "$T_TMP/side.model" || fail "export failed"

refused='connect: Connection refused'
denied='Operation not permitted'
said=$(cn run --id 1211 --model "$T_TMP/side.model" --model-enforce -- sh -c "
	lsm-attack connect 5001; lsm-attack connect 5002
	lsm-attack thread-connect 5001; lsm-attack thread-connect 5002
	lsm-attack clone-connect 5001; lsm-attack clone-connect 5002
	lsm-attack uring-connect 5001; lsm-attack uring-connect 5002
	lsm-attack fd-connect $SOCK 5001; lsm-attack fd-connect $SOCK 5002
	lsm-attack socket6; lsm-attack uring-socket6
	lsm-attack pidfd-signal self 18
	lsm-attack vm-read
	lsm-attack execveat /bin/tcp-try tcp-try connect 5002" 2>&1)
expect_eq "$said" "connect: $refused
connect: connect: $denied
thread-connect: $refused
thread-connect: connect: $denied
clone-connect: $refused
clone-connect: connect: $denied
uring-connect: $refused
uring-connect: connect: $denied
fd-connect: $refused
fd-connect: connect: $denied
socket6: socket: $denied
uring-socket6: socket: $denied
pidfd-signal: pidfd_send_signal: $denied
vm-read: process_vm_readv: $denied
execveat: execveat: $denied" "the side doors under the enforced model (learned port 5001, never 5002)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1211 .*mode=enforce res=0" \
	"a denied connect's record" 60
expect_record "type=CONTAINER_MODEL .* op=task_kill contid=1211 .*mode=enforce res=0" \
	"the denied pidfd signal's record" 60
# No record is awaited for the denied process_vm_readv: its process ends at once, before
# canisterd reads the event, which is then dropped unjudged ("Without a TASK_ID"); the EPERM is
# the kernel's.
expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"no kernel coefficient differed from canisterd's"
exit 0
