# SPDX-License-Identifier: GPL-2.0-only
# canisterd as the kernel's audit daemon: events of contained processes get a CONTAINER_ID record
# with the event's own stamp, and stock ausearch/aureport read the log.
. "$(dirname "$0")/../lib/harness.sh"

kernel_audit_free

KEY="canister-$T_NAME-$$"
UKEY="canister-uname-$$"
HOST_LOG="$T_TMP/host.log"
# Our rules only, removed whatever happens (canisterd removes them itself at stop).
t_audit_cleanup()
{
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	auditctl -d exit,always -F arch=b64 -S uname -F key="$UKEY" >/dev/null 2>&1
	t_cleanup
}
trap t_audit_cleanup EXIT

# Rules in auditctl syntax, loaded by canisterd; the uname rule only for container 56.
cat >"$T_TMP/audit.rules" <<RULES
# test rules
-a always,exit -F arch=b64 -S execve -k $KEY
-a always,exit -F arch=b64 -S uname -F contid=56 -k $UKEY
RULES
chmod 600 "$T_TMP/audit.rules"
printf 'kernel_audit = on\nhost_log = %s\naudit_rules = %s\n' "$HOST_LOG" "$T_TMP/audit.rules" >>"$T_CONF"
start_daemon
expect_eq "$(cn --json status | jq -r .kernel_audit.audit_daemon)" true "canisterd is the audit daemon"
expect_eq "$(auditctl -s | awk '$1 == "pid" { print $2 }')" "$T_DAEMON_PID" "the kernel's audit pid"
expect_match "$(auditctl -l)" "-S execve -F key=$KEY" "execve rule loaded by canisterd"
expect_match "$(auditctl -l)" "-S uname -F key=$UKEY" "uname rule loaded without its contid filter"

# The contid filter: uname in container 56 is kept, outside and in 57 it is left out.  A last
# uname in 56 marks the end: once it is in the log, the kernel's events before it were judged.
cn run --id 56 -- uname >/dev/null || fail "uname in 56"
cn run --id 57 -- uname >/dev/null || fail "uname in 57"
uname >/dev/null
cn run --id 56 -- sh -c "echo \$\$ >$T_TMP/uname-marker.pid; exec uname" >/dev/null || fail "uname marker in 56"

# A short-lived process in container 55 execs, and has exited long before its
# records are read; one outside execs too.
cn run --id 55 --name audited -- sh -c 'exec /bin/true' || fail "run"
sh -c "echo \$\$ >$T_TMP/outside.pid; exec /bin/true"
outside=$(cat "$T_TMP/outside.pid")

# Every execve event of a contained process has its CONTAINER_ID record, same stamp.  (The
# outside execve comes after 55's: once it is in the log, so is everything of 55's.)
wait_for_line "$HOST_LOG" "type=SYSCALL .* pid=$outside .*comm=\"true\" .*key=\"$KEY\"" \
	"the execve event of the process outside"
wait_for_line "$HOST_LOG" "type=CONTAINER_ID.*contid=55\$" "an attributed execve event"
stamp=$(grep "type=CONTAINER_ID.*contid=55$" "$HOST_LOG" | grep -o 'msg=audit([0-9.:]*)' | head -1)
expect_match "$(grep -F "$stamp" "$HOST_LOG")" "type=SYSCALL .*key=\"$KEY\"" "CONTAINER_ID shares the SYSCALL's stamp"
expect_match "$(grep -F "$stamp" "$HOST_LOG")" "type=CONTAINER_ID msg=audit\([0-9.:]+\): record=[0-9]+ contid=55\$" \
	"CONTAINER_ID names the container"

# ausearch groups them as one event; the event of the process outside has none.
out=$(ausearch -if "$HOST_LOG" -k "$KEY" 2>&1) || fail "ausearch failed: $out"
events=$(printf '%s\n' "$out" | grep -c '^----')
with_id=$(printf '%s\n' "$out" | awk '/^----/ { n++ } /type=CONTAINER_ID/ { seen[n] = 1 } END { print length(seen) }')
[ "$events" -ge 2 ] || fail "expected at least 2 execve events (inside and outside), got $events: $out"
[ "$with_id" -ge 1 ] || fail "no ausearch event holds a CONTAINER_ID record: $out"
[ "$with_id" -lt "$events" ] || fail "every event got a CONTAINER_ID, also the process outside: $out"
ausearch -if "$HOST_LOG" -k "$KEY" -i >/dev/null 2>&1 || fail "ausearch -i cannot interpret the log"
aureport -if "$HOST_LOG" >/dev/null 2>&1 || fail "aureport cannot read the log"

wait_for_line "$HOST_LOG" "type=SYSCALL .* pid=$(cat "$T_TMP/uname-marker.pid") .*key=\"$UKEY\"" \
	"the marker uname event of container 56"
# (An event's records are written one by one: its CONTAINER_ID comes last.)
marker=$(grep "type=SYSCALL .* pid=$(cat "$T_TMP/uname-marker.pid") .*key=\"$UKEY\"" "$HOST_LOG" |
	grep -o 'msg=audit([0-9.:]*)' | tail -n 1)
marker_attributed() { grep -F "$marker" "$HOST_LOG" | grep -q "type=CONTAINER_ID .* contid=56\$"; }
wait_until "the CONTAINER_ID of the marker uname event" marker_attributed
out=$(ausearch -if "$HOST_LOG" -k "$UKEY" 2>&1) || fail "ausearch -k $UKEY: $out"
# Every uname event kept is one of container 56's (uname(1) may call uname(2) more than once).
# A uname event of container 56 is kept with its CONTAINER_ID; none of 57's or the host's is.
kept56=0
for ustamp in $(grep "type=SYSCALL .*key=\"$UKEY\"" "$HOST_LOG" | grep -o 'msg=audit([0-9.:]*)'); do
	ids=$(grep -F "$ustamp" "$HOST_LOG" | grep "type=CONTAINER_ID")
	case $ids in
	*"contid=56") kept56=$((kept56 + 1)) ;;
	*) fail "a uname event kept that is not container 56's (${ids:-no CONTAINER_ID}): $ustamp" ;;
	esac
done
[ "$kept56" -ge 1 ] || fail "no uname event of container 56 kept with its CONTAINER_ID"
# Adding the filtered rule is itself an event (it ends without EOE: written once aged).
wait_for_line "$HOST_LOG" "type=CONFIG_CHANGE .*op=add_rule key=\"$UKEY\"" \
	"the CONFIG_CHANGE of the filtered rule"
expect_match "$(cn --json status | jq -r .kernel_audit.filtered_by_contid)" "^[1-9]" "filtered events counted"

# Stopping removes canister's rules, hands the stream back and restores the enabled flag.
stop_daemon
rules=$(auditctl -l)
printf '%s\n' "$rules" | grep -q -- "$KEY\|$UKEY" && fail "canister's rules outlived it: $rules"
kernel_audit_restored
