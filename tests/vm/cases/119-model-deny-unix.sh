# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain's bind, connect and accept of AF_UNIX addresses
# outside its model, in the kernel (VM 111 and 112 cover the inet ones).  A workload that serves
# one socket path and one abstract name (bind, listen, a connect to itself, accept) is learned and
# exported; enforced in a new container it serves both again (the kernel's coefficients of the
# AF_UNIX CELLs equal canisterd's, the model holding only canisterd's), while the container's
# root connecting to a host socket's path or abstract name, or binding the learned socket by a
# relative name, gets EPERM from the BPF LSM hook, recorded as forensics with res=0.  Learning
# never denies: the same connects go through.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon
expect_match "$(cn status)" \
	'observed events denied in the kernel when enforced: .*socket_bind socket_connect' \
	"what lsm mode denies"

# unix_in ARGS...: model-unix in a new container (cn run ARGS -- model-unix ...); its exit
# status (the errno) in $status, its lines in $said.
unix_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

learned=$T_TMP/learned.sock
host=$T_TMP/host.sock

# Sockets of the host's the container's root will try: a path and an abstract name.
model-unix listen "$host" "$T_TMP/go" >"$T_TMP/host-path.out" &
started $!
model-unix listen @canister-119-host "$T_TMP/go" >"$T_TMP/host-abstract.out" &
started $!
wait_for_line "$T_TMP/host-path.out" '^listening$' "the host's socket path"
wait_for_line "$T_TMP/host-abstract.out" '^listening$' "the host's abstract socket"

# Learned: a socket path and an abstract name served (bind, listen, connect, accept).
unix_in --id 1901 --model learn -- model-unix serve "$learned" serve @canister-119-learned
expect_eq "$status" 0 "the learning run ($said)"
cn model 1901 events >"$T_TMP/learned.jsonl" || fail "events"
for addr in "$learned" @canister-119-learned; do
	for event in socket_bind socket_connect socket_accept; do
		grep "\"type\": *\"$event\"" "$T_TMP/learned.jsonl" | grep -qF "\"$addr\"" ||
			fail "the $event of $addr was not learned: $(cat "$T_TMP/learned.jsonl")"
	done
done
cn model 1901 export "$T_TMP/unix.model" || fail "export failed"

# The socket file is the learning container's: no other container may remove it (isolation), the
# host does.
rm -f "$learned"
unix_in --id 1902 --model "$T_TMP/unix.model" --model-enforce -- \
	model-unix serve "$learned" serve @canister-119-learned
expect_eq "$status" 0 "the learned workload, enforced ($said)"
expect_eq "$(cn model 1902 forensics)" "" "forensics of the learned workload"

# The attacks of the enforced container's root: a connect to another socket path ...
unix_in --id 1903 --model "$T_TMP/unix.model" --model-enforce -- model-unix connect "$host"
expect_eq "$status" "$EPERM" "a connect to another path, enforced ($said)"
expect_match "$said" "connect $host: connect: Operation not permitted" "what the workload saw"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1903 .*event=socket_connect coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied connect's record" 60
denied=$(cn model 1903 counts | awk '$1 == "denied" { print $2 }')
[ "${denied:-0}" -ge 1 ] || fail "the denied connect is not counted: $(cn model 1903 counts)"

# ... to another abstract name ...
unix_in --id 1904 --model "$T_TMP/unix.model" --model-enforce -- \
	model-unix connect @canister-119-host
expect_eq "$status" "$EPERM" "a connect to another abstract name, enforced ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1904 .*mode=enforce res=0" \
	"the denied abstract connect's record" 60

# ... and the learned socket by a relative name: the CELL is the name the caller gave.
rm -f "$learned"
unix_in --id 1905 --model "$T_TMP/unix.model" --model-enforce -- \
	model-unix -C "$T_TMP" serve learned.sock
expect_eq "$status" "$EPERM" "a bind by a relative name, enforced ($said)"
expect_match "$said" 'serve learned.sock: bind: Operation not permitted' "what the workload saw"
expect_record "type=CONTAINER_MODEL .* op=socket_bind contid=1905 .*mode=enforce res=0" \
	"the denied bind's record" 60

# Learning never denies: the same connects go through.
unix_in --id 1911 --model learn -- model-unix connect "$host" connect @canister-119-host
expect_eq "$status" 0 "the other connects while learning ($said)"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
touch "$T_TMP/go"
exit 0
