# SPDX-License-Identifier: GPL-2.0-only
# canisterd as the kernel's audit daemon: events of contained processes get a CONTAINER_ID record
# with the event's own stamp, and stock ausearch/aureport read the log.
. "$(dirname "$0")/../lib/harness.sh"

command -v auditctl >/dev/null || fail "auditctl (Debian auditd) is missing; scripts/install-deps installs it"
status=$(auditctl -s) || fail "auditctl -s: kernel audit unavailable"
holder=$(printf '%s\n' "$status" | awk '$1 == "pid" { print $2 }')
if [ "${holder:-0}" != 0 ] && kill -0 "$holder" 2>/dev/null; then
	fail "audit daemon pid $holder already owns the kernel audit stream; this case needs it free"
fi
was_enabled=$(printf '%s\n' "$status" | awk '$1 == "enabled" { print $2 }')

KEY="canister-$T_NAME-$$"
HOST_LOG="$T_TMP/host.log"
# Our rule only, removed whatever happens; the harness then stops the daemon.
t_audit_cleanup()
{
	auditctl -d exit,always -F arch=b64 -S execve -F key="$KEY" >/dev/null 2>&1
	t_cleanup
}
trap t_audit_cleanup EXIT

printf 'kernel_audit = on\nhost_log = %s\n' "$HOST_LOG" >>"$T_CONF"
start_daemon
expect_eq "$(cn --json status | jq -r .kernel_audit.audit_daemon)" true "canisterd is the audit daemon"
expect_eq "$(auditctl -s | awk '$1 == "pid" { print $2 }')" "$T_DAEMON_PID" "the kernel's audit pid"
auditctl -a always,exit -F arch=b64 -S execve -F key="$KEY" >/dev/null || fail "cannot add the test rule"

# A short-lived process in container 55 execs, and has exited long before its
# records are read; one outside execs too.
cn run --id 55 --name audited -- sh -c 'exec /bin/true' || fail "run"
/bin/true

# Every execve event of a contained process has its CONTAINER_ID record, same stamp.
waited=0
until grep -q "key=\"$KEY\"" "$HOST_LOG" 2>/dev/null && grep -q "type=CONTAINER_ID" "$HOST_LOG"; do
	waited=$((waited + 1))
	[ "$waited" -le 100 ] || fail "no attributed execve event in $HOST_LOG: $(tail -5 "$HOST_LOG" 2>&1)"
	sleep 0.1
done
sleep 0.5
stamp=$(grep "type=CONTAINER_ID" "$HOST_LOG" | grep -o 'msg=audit([0-9.:]*)' | head -1)
expect_match "$(grep -F "$stamp" "$HOST_LOG")" "type=SYSCALL .*key=\"$KEY\"" "CONTAINER_ID shares the SYSCALL's stamp"
expect_match "$(grep -F "$stamp" "$HOST_LOG")" "type=CONTAINER_ID msg=audit\([0-9.:]+\): record=1 contid=55\$" \
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

# Stopping hands the stream back and restores the enabled flag.
stop_daemon
expect_eq "$(auditctl -s | awk '$1 == "pid" { print $2 }')" 0 "audit pid released"
expect_eq "$(auditctl -s | awk '$1 == "enabled" { print $2 }')" "$was_enabled" "enabled flag restored"
