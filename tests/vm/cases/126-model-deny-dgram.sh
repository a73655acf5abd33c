# SPDX-License-Identifier: GPL-2.0-only
# vm-case-timeout: 600
# canister: lsm mode judges a datagram sent to an address as the socket_connect it amounts to
# (docs/model.md, "Datagrams sent to an address").  A workload that sent to one UDP peer (IPv4
# and IPv6) and served one AF_UNIX datagram path and one abstract name is learned and exported;
# enforced in a new container the same sends go through, and so does a connect() to the learned
# UDP peer and its sends (the same CELL: learning by sendto() learned the connect), and a loop of
# sends to it.  The container's root sending by sendto(), sendmsg() or sendmmsg() to another
# port, or to a host socket's path or abstract name, gets EPERM from the BPF LSM hook, recorded
# as forensics with res=0 (also right after a learned send on the same thread: the kernel's
# cache of peers does not pass it).  Learning never denies.  Host 175 is trace mode's.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
ip link set lo up || fail "cannot bring the loopback up"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# dgram_in ARGS...: model-dgram in a new container (cn run ARGS); its exit status (the errno) in
# $status, its lines in $said.
dgram_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

learned=$T_TMP/learned.sock
host=$T_TMP/host.sock
model-dgram listen "$host" "$T_TMP/go" >"$T_TMP/host-path.out" &
started $!
model-dgram listen @canister-126-host "$T_TMP/go" >"$T_TMP/host-abstract.out" &
started $!
wait_for_line "$T_TMP/host-path.out" '^listening$' "the host's socket path"
wait_for_line "$T_TMP/host-abstract.out" '^listening$' "the host's abstract socket"

dgram_in --id 1261 --model learn -- model-dgram sendto 127.0.0.1:1261 sendto '[::1]:1261' \
	serve "$learned" serve @canister-126-learned
expect_eq "$status" 0 "the learning run ($said)"
cn model 1261 events >"$T_TMP/learned.jsonl" || fail "events"
for addr in 127.0.0.1 ::1 "$learned" @canister-126-learned; do
	grep '"type": *"socket_connect"' "$T_TMP/learned.jsonl" | grep -qF "\"$addr\"" ||
		fail "the send to $addr was not learned: $(cat "$T_TMP/learned.jsonl")"
done
cn model 1261 export "$T_TMP/dgram.model" || fail "export failed"

# The learned sends, enforced; a connect() to the learned peer and its sends; a loop of sends.
rm -f "$learned"
dgram_in --id 1262 --model "$T_TMP/dgram.model" --model-enforce -- model-dgram \
	sendto 127.0.0.1:1261 sendto '[::1]:1261' serve "$learned" serve @canister-126-learned \
	connected 127.0.0.1:1261
expect_eq "$status" 0 "the learned sends, enforced ($said)"
expect_eq "$(cn model 1262 forensics)" "" "forensics of the learned sends"
dgram_in --id 1268 --model "$T_TMP/dgram.model" --model-enforce -- model-dgram \
	-n 1000 sendto 127.0.0.1:1261 sendmmsg 127.0.0.1:1261
expect_eq "$status" 0 "a loop of learned sends, enforced ($said)"

# The attacks of the enforced container's root: another port by sendto(), after a learned send
# on the same thread ...
dgram_in --id 1263 --model "$T_TMP/dgram.model" --model-enforce -- model-dgram \
	sendto 127.0.0.1:1261 sendto 127.0.0.1:1263
expect_eq "$status" "$EPERM" "sendto() another port, enforced ($said)"
expect_match "$said" 'sendto 127.0.0.1:1263: sendto: Operation not permitted' "what it saw"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1263 .*event=socket_connect coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied sendto's record" 60
denied=$(cn model 1263 counts | awk '$1 == "denied" { print $2 }')
[ "${denied:-0}" -ge 1 ] || fail "the denied send is not counted: $(cn model 1263 counts)"

# ... by sendmsg() to another IPv6 port, by sendmmsg() ...
dgram_in --id 1264 --model "$T_TMP/dgram.model" --model-enforce -- model-dgram \
	sendmsg '[::1]:1264'
expect_eq "$status" "$EPERM" "sendmsg() another port, enforced ($said)"
expect_match "$said" 'sendmsg \[::1\]:1264: sendmsg: Operation not permitted' "what it saw"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1264 .*mode=enforce res=0" \
	"the denied sendmsg's record" 60
dgram_in --id 1265 --model "$T_TMP/dgram.model" --model-enforce -- model-dgram \
	sendmmsg 127.0.0.1:1265
expect_eq "$status" "$EPERM" "sendmmsg() another port, enforced ($said)"
expect_match "$said" 'sendmmsg 127.0.0.1:1265: sendmmsg: Operation not permitted' "what it saw"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1265 .*mode=enforce res=0" \
	"the denied sendmmsg's record" 60

# ... and to the host's socket path and abstract name.
dgram_in --id 1266 --model "$T_TMP/dgram.model" --model-enforce -- model-dgram \
	sendto "$host"
expect_eq "$status" "$EPERM" "sendto() a host socket path, enforced ($said)"
expect_match "$said" "sendto $host: sendto: Operation not permitted" "what it saw"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1266 .*mode=enforce res=0" \
	"the denied AF_UNIX send's record" 60
dgram_in --id 1267 --model "$T_TMP/dgram.model" --model-enforce -- model-dgram \
	sendto @canister-126-host
expect_eq "$status" "$EPERM" "sendto() a host abstract name, enforced ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1267 .*mode=enforce res=0" \
	"the denied abstract send's record" 60

# Learning never denies: the same sends go through.
dgram_in --id 1271 --model learn -- model-dgram sendto 127.0.0.1:1263 sendmsg '[::1]:1264' \
	sendmmsg 127.0.0.1:1265 sendto "$host" sendto @canister-126-host
expect_eq "$status" 0 "the other sends while learning ($said)"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
touch "$T_TMP/go"
exit 0
