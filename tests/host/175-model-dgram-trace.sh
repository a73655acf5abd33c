# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode records a datagram sent to an address as the socket_connect it amounts to
# (docs/model.md, "Datagrams sent to an address"), and denies nothing.  A workload that sent to
# one UDP peer and served one AF_UNIX datagram path learns both as socket_connect events, with
# the CELL a connect() to them has; enforced in a new container the same sends are no
# forensics, and its sends by sendto(), sendmsg() and sendmmsg() to other addresses go through
# and are recorded as forensics with res=1.  A loop of 10,000 sends to one peer makes no more
# records than one send (each thread remembers its last peers in BPF).  VM 126 is the same in
# lsm mode, where they are denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

DGRAM="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-dgram"
command -v "$DGRAM" >/dev/null || fail "no $DGRAM (make test-host builds it)"
DGRAM=$(command -v "$DGRAM")

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon
expect_match "$(cn status)" '^mode: trace$' "mode"

learned=$T_TMP/learned.sock
host=$T_TMP/host.sock
"$DGRAM" listen "$host" "$T_TMP/go" >"$T_TMP/host.out" &
started $!
wait_for_line "$T_TMP/host.out" '^listening$' "the host's datagram socket"

status=0
said=$(cn run --id 1751 --model learn -- "$DGRAM" sendto 127.0.0.1:7551 serve "$learned") ||
	status=$?
expect_eq "$status" 0 "the learning run ($said)"
cn model 1751 events >"$T_TMP/learned.jsonl" || fail "events"
grep '"type": *"socket_connect"' "$T_TMP/learned.jsonl" | grep '"port": *"7551"' |
	grep -qF '"127.0.0.1"' || fail "the UDP send was not learned: $(cat "$T_TMP/learned.jsonl")"
grep '"type": *"socket_connect"' "$T_TMP/learned.jsonl" | grep -qF "\"$learned\"" ||
	fail "the AF_UNIX send was not learned: $(cat "$T_TMP/learned.jsonl")"
cn model 1751 export "$T_TMP/dgram.model" || fail "export failed"

# The learned sends, enforced: no forensics.
rm -f "$learned"
status=0
said=$(cn run --id 1752 --model "$T_TMP/dgram.model" --model-enforce -- \
	"$DGRAM" sendto 127.0.0.1:7551 serve "$learned") || status=$?
expect_eq "$status" 0 "the learned sends, enforced ($said)"

# Other addresses, by each call: recorded as forensics, not denied (trace mode cannot).
status=0
said=$(cn run --id 1753 --model "$T_TMP/dgram.model" --model-enforce -- \
	"$DGRAM" sendto 127.0.0.1:7552 sendmsg '[::1]:7553' sendmmsg 127.0.0.1:7554 \
	sendto "$host") || status=$?
expect_eq "$status" 0 "sends to other addresses, enforced in trace mode ($said)"
expect_record "type=CONTAINER_MODEL .* op=socket_connect contid=1753 .*mode=enforce res=1" \
	"the sends' forensics records" 30
four_recorded() { [ "$(grep -c 'op=socket_connect contid=1753 .*res=1' "$T_AUDIT")" -ge 4 ]; }
poll_until 30 four_recorded ||
	fail "not 4 forensics records of the sends: $(grep 'contid=1753' "$T_AUDIT")"
expect_eq "$(cn model 1752 forensics)" "" "forensics of the learned sends"
denied=$(cn model 1753 counts | awk '$1 == "denied" { print $2 }')
expect_eq "$denied" 0 "denials counted in trace mode"

# 10,000 sends to one peer: the same events as one send.
events_of()
{
	cn model "$1" counts | awk '$1 == "events" { print $2 }'
}
cn run --id 1754 --model learn -- "$DGRAM" sendto 127.0.0.1:7555 >/dev/null ||
	fail "one send"
cn run --id 1755 --model learn -- "$DGRAM" -n 10000 sendto 127.0.0.1:7555 >/dev/null ||
	fail "10,000 sends"
# Records are read in the order made: once a third container's are in, so are the second's.
cn run --id 1756 --model learn -- "$DGRAM" sendto 127.0.0.1:7555 >/dev/null ||
	fail "one more send"
third_in()
{
	one=$(events_of 1754)
	[ -n "$one" ] && [ "$(events_of 1756)" -ge "$one" ]
}
poll_until 30 third_in || fail "the third container's events did not come"
many=$(events_of 1755)
[ -n "$one" ] && [ -n "$many" ] || fail "no counts"
[ "$many" -le $((one + 10)) ] ||
	fail "10,000 sends to one peer made $many events, one send $one"
touch "$T_TMP/go"
exit 0
