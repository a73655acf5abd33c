# SPDX-License-Identifier: GPL-2.0-only
# Several audit daemons: per-container sinks with their own rules, bounded queues, logs and
# readers; a full or stuck sink loses only its own records (and says so); the host's log is whole.
. "$(dirname "$0")/../lib/harness.sh"

kernel_audit_free

HKEY="canister-host-$$"
SKEY="canister-sink62-$$"
HOST_LOG="$T_TMP/host.log"
S61="$T_TMP/sink61.log"
S62="$T_TMP/sink62.log"
SOCK62="$T_TMP/sink62.sock"
t_audit_cleanup()
{
	auditctl -d exit,always -F arch=b64 -S execve -F key="$HKEY" >/dev/null 2>&1
	auditctl -d exit,always -F arch=b64 -S uname -F key="$SKEY" >/dev/null 2>&1
	t_cleanup
}
trap t_audit_cleanup EXIT

printf -- '-a always,exit -F arch=b64 -S execve -k %s\n' "$HKEY" >"$T_TMP/host.rules"
printf -- '-a always,exit -F arch=b64 -S uname -k %s\n' "$SKEY" >"$T_TMP/sink62.rules"
chmod 600 "$T_TMP/host.rules" "$T_TMP/sink62.rules"
cat >>"$T_CONF" <<CONF
kernel_audit = on
host_log = $HOST_LOG
audit_rules = $T_TMP/host.rules
audit_sink = 61 log=$S61 backlog_bytes=65536
CONF
start_daemon
expect_eq "$(cn --json audit list | jq -r '.[0].contid')" 61 "the configured sink runs"

# --- A sink from the command line: its own rules (uname), JSON lines, a socket, a tiny queue.
out=$(cn audit add 62 --log "$S62" --rules "$T_TMP/sink62.rules" --format json \
	--socket "$SOCK62" --backlog 4 2>&1) || fail "audit add 62: $out"
expect_match "$(auditctl -l)" "-S uname -F key=$SKEY" "the sink's rule is in the kernel"
out=$(cn audit add 62 --log "$T_TMP/other.log" 2>&1) && fail "a second sink for 62 was accepted"
expect_match "$out" "already has an audit sink" "one sink per container"
printf -- '-a always,exit -F arch=b64 -S openat -F uid=0 -k x\n' >"$T_TMP/bad.rules"
chmod 600 "$T_TMP/bad.rules"
out=$(cn audit add 63 --log "$T_TMP/s63.log" --rules "$T_TMP/bad.rules" 2>&1) && fail "a rule canisterd cannot evaluate was accepted"
expect_match "$out" "bad.rules:1: -F uid: a sink's rules may use" "the refusal names the rule"
expect_eq "$(cn --json audit list | jq length)" 2 "the refused sink was not added"
out=$(cn audit add 64 --log "$HOST_LOG" 2>&1) && fail "the host log was accepted as a sink's log"
expect_match "$out" "one of canisterd's own logs" "a sink cannot write the host log"

# --- Routing.  Container 61 (with a nested 611) and 62 exec; 62 calls uname; the host too.
cat >"$T_TMP/orch.sh" <<SCRIPT
echo \$\$ >"$T_TMP/orch.pid"
sh "$T_AWAIT" "$T_TMP/go" || exit 1
"$CANISTER" --socket "$T_SOCK" run --id 611 -- sh -c 'exec /bin/true'
echo done >"$T_TMP/orch.done"
SCRIPT
cn run --id 61 -- sh "$T_TMP/orch.sh" &
wait_for_file "$T_TMP/orch.pid"
cn delegate "$(cat "$T_TMP/orch.pid")" >/dev/null || fail "delegate"
touch "$T_TMP/go"
wait_for_file "$T_TMP/orch.done"
cn run --id 62 -- sh -c 'exec uname' >/dev/null || fail "uname in 62"
uname >/dev/null
# Markers: an exec in 61 and one on the host, after everything above.  Each log is written in
# the order its events came, so once a marker is in a log, so is everything before it that the
# log was to get, and what it was not to get would be there by now.
cn run --id 61 -- sh -c "echo \$\$ >$T_TMP/marker61.pid; exec /bin/true" || fail "marker in 61"
sh -c "echo \$\$ >$T_TMP/marker.pid; exec /bin/true"

wait_for_line "$S61" "type=CONTAINER_ID.*contid=611,\\^61" "the nested container's exec in 61's sink"
wait_for_line "$S61" "type=CONTAINER_ID.*contid=61$" "61's own exec in its sink"
wait_for_line "$S62" '"type":"SYSCALL".*"key":"'"$SKEY"'"' "62's uname in its JSON sink"
wait_for_line "$S61" "type=SYSCALL .* pid=$(cat "$T_TMP/marker61.pid") .*key=\"$HKEY\"" "the marker in 61's sink"
wait_for_line "$HOST_LOG" "type=SYSCALL .* pid=$(cat "$T_TMP/marker.pid") .*key=\"$HKEY\"" "the marker in the host log"
# 61's sink holds only 61's subtree; the host log everything the host's rules asked for.
grep "type=CONTAINER_ID" "$S61" | grep -v "contid=61$\|contid=[0-9]*,^61$" >"$T_TMP/foreign" &&
	fail "61's sink holds another container's event: $(head -2 "$T_TMP/foreign")"
expect_match "$(grep -c "key=\"$HKEY\"" "$HOST_LOG")" "^[3-9]|^[1-9][0-9]" "host log has the execve events"
# The uname events exist only because of 62's rule: the host log never sees them.
# (Adding the rule is itself a CONFIG_CHANGE event, which the host does see.)
grep -q "type=SYSCALL .*key=\"$SKEY\"" "$HOST_LOG" && fail "an event of the sink's own rule reached the host log"
# (It ends without EOE, so it is written once aged.)
wait_for_line "$HOST_LOG" "type=CONFIG_CHANGE .*op=add_rule key=\"$SKEY\".*res=1" \
	"adding the sink's rule is in the host log"
expect_match "$(cn --json status | jq -r .kernel_audit.sink_only_events)" "^[1-9]" "sink-only events counted"
# 62's sink: uname only (its rules), each with its CONTAINER_ID, nothing of the host's uname.
jq -r 'select(.type == "SYSCALL") | .fields.key' "$S62" | grep -vx "$SKEY" >"$T_TMP/other" &&
	fail "62's sink holds events its rules did not select: $(head -2 "$T_TMP/other")"
# (An event's records are written one by one: its CONTAINER_ID comes last.)
every_uname_attributed()
{
	for serial in $(jq -r 'select(.type == "SYSCALL") | .serial' "$S62"); do
		jq -r "select(.serial == $serial and .type == \"CONTAINER_ID\") | .fields.contid" "$S62" |
			grep -qx 62 || return 1
	done
}
poll_until "$T_WAIT" every_uname_attributed || fail "uname event $serial in 62's sink has no CONTAINER_ID contid=62"
# canister's own records: in the host log and in the sink of their container, serials apart.
wait_for_line "$HOST_LOG" "type=CONTAINER_OP .*op=set .*contid=62 " "CONTAINER_OP in the host log"
wait_for_line "$S61" "type=CONTAINER_OP .*op=set .*contid=611 " "the nested set in 61's sink"
stamp=$(grep "type=CONTAINER_OP .*op=set .*contid=62 " "$HOST_LOG" | grep -o 'msg=audit([0-9.:]*)' | head -1)
# (Records whose own stamp it is; an audited grep's EXECVE holds it as an argument.)
same=$(awk -v s="$stamp" 'index($0, s) && index($0, s) == index($0, "msg=")' "$HOST_LOG")
expect_eq "$(printf '%s\n' "$same" | wc -l)" 1 "canister's record shares its stamp with no other record: $same"
# Stock tools read every text log.
for log in "$HOST_LOG" "$S61"; do
	ausearch -if "$log" -i >/dev/null 2>&1 || fail "ausearch cannot read $log"
	aureport -if "$log" >/dev/null 2>&1 || fail "aureport cannot read $log"
done
out=$(ausearch -if "$S61" -k "$HKEY" 2>&1) || fail "ausearch -k in 61's sink: $out"
expect_match "$out" "type=CONTAINER_ID" "ausearch groups CONTAINER_ID with the event in the sink log"

# --- Readers: 62's own processes and host root may follow; container 63 may not.
out=$(cn run --id 63 -- "$CANISTER" audit follow "$SOCK62" 2>&1) && fail "container 63 followed 62's sink"
expect_match "$out" "this sink is container 62's; you are in 63" "a foreign container is refused"
# sink_readers: how many readers follow 62's sink, as canister audit list counts them.
sink_readers()
{
	cn --json audit list | jq -r '.[] | select(.contid == "62") | .readers'
}
readers_are()
{
	[ "$(sink_readers)" = "$1" ]
}
cn run --id 62 -- sh -c "echo \$\$ >'$T_TMP/follow.pid'; exec '$CANISTER' audit follow '$SOCK62' >'$T_TMP/inside.out'" &
inside=$!
wait_until "the reader inside 62 is connected" readers_are 1
cn run --id 62 -- sh -c 'exec uname' >/dev/null
wait_for_line "$T_TMP/inside.out" '"key":"'"$SKEY"'"' "a reader inside 62 follows its sink"
kill "$(cat "$T_TMP/follow.pid")"
wait "$inside"
wait_until "the reader inside 62 is let go when it ends" readers_are 0

# --- A full queue: an event larger than 61's queue may hold (backlog_bytes=65536) is dropped for
# 61 alone, counted, and said in 61's log once its queue has drained; the host log has it whole.
# (Readers that do not read no longer fill a queue: 85-sink-readers.)
big=$(head -c 100000 /dev/zero | tr '\0' x)
cn run --id 61 -- /bin/true "$big" || fail "a large exec in 61"
sink61()
{
	cn --json audit list | jq -r ".[] | select(.contid == \"61\") | .$1"
}
dropped_big() { [ "$(sink61 dropped_queue_bytes)" = 1 ]; }
poll_until "$T_WAIT" dropped_big ||
	fail "61's sink did not drop the event too large for its queue: $(cn --json audit list)"
expect_eq "$(sink61 dropped)" 1 "61's sink counts one event dropped"
wait_for_line "$S61" "type=CONTAINER_LOST .*sink=61 lost=1 reason=queue_full" "the lost record after draining"
expect_eq "$(sink61 lost_records)" 1 "one lost record written"
# (The kernel splits so long an argument into records and hex-encodes it: a1_len is twice its size.)
wait_for_line "$HOST_LOG" 'type=EXECVE .*argc=2 a0="/bin/true" a1_len=200000 ' "the large event in the host log"
grep -q 'a0="/bin/true" a1_len=' "$S61" && fail "61's sink wrote the event it counted as dropped"
expect_eq "$(cn --json status | jq -r .kernel_audit.netlink_overruns)" 0 "no records lost on the way in"

# --- Removing a sink takes its rule away.  Events its rule caused that are still on their way
# when it goes are still not the host's: a uname storm runs across the remove, and once a later
# marker is in the host log, not one of the storm's events is.
sink_only() { cn --json status | jq -r .kernel_audit.sink_only_events; }
before=$(sink_only)
tool uname-storm 400000 &
storm=$!
storm_under_way() { [ "$(sink_only)" -gt $((before + 1000)) ]; }
wait_until "the uname storm's events reach canisterd" storm_under_way
cn audit remove 62 || fail "audit remove"
wait "$storm" || fail "the uname storm failed"
/bin/echo "marker-$$" >/dev/null
wait_for_line "$HOST_LOG" "type=EXECVE .*a1=\"marker-$$\"" "the marker after the storm in the host log"
grep -q "type=SYSCALL .*key=\"$SKEY\"" "$HOST_LOG" &&
	fail "$(grep -c "type=SYSCALL .*key=\"$SKEY\"" "$HOST_LOG") events of the removed sink's rule reached the host log"
auditctl -l | grep -q -- "$SKEY" && fail "the removed sink's rule is still in the kernel"
expect_eq "$(cn --json audit list | jq length)" 1 "one sink left"
out=$(cn audit remove 62 2>&1) && fail "removing a missing sink succeeded"
expect_match "$out" "has no audit sink" "a missing sink is named"
stop_daemon
auditctl -l | grep -q -- "$HKEY\|$SKEY" && fail "canister's rules outlived it: $(auditctl -l)"
kernel_audit_restored
exit 0
